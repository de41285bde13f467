/* tc-wa-templates-client.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-repository.h"
#include "tc-wa-template.h"

G_BEGIN_DECLS

/* The access token is read from this environment variable only: it is
 * never stored in the workspace, logged or printed. */
#define TC_WA_TOKEN_ENV             "TEXTCAST_WHATSAPP_TOKEN"
#define TC_WA_DEFAULT_API_BASE      "https://graph.facebook.com"
#define TC_WA_DEFAULT_API_VERSION   "v23.0"
/* The largest answer accepted from the Graph API. */
#define TC_WA_MAX_RESPONSE_BYTES    (1024 * 1024)

#define TC_WA_CLIENT_ERROR (tc_wa_client_error_quark ())

/**
 * TcWaClientError:
 * @TC_WA_CLIENT_ERROR_NOT_CONFIGURED: no token or no WABA id
 * @TC_WA_CLIENT_ERROR_AUTH: the token is not valid or has expired
 * @TC_WA_CLIENT_ERROR_INVALID: Meta refused a parameter of the request
 * @TC_WA_CLIENT_ERROR_RATE_LIMITED: too many requests; try later
 * @TC_WA_CLIENT_ERROR_SERVER: Meta answered with a server error
 * @TC_WA_CLIENT_ERROR_BAD_RESPONSE: the answer is not what the API sends
 *   (not JSON, too large, a field missing)
 * @TC_WA_CLIENT_ERROR_NOT_FOUND: Meta has no such template
 * @TC_WA_CLIENT_ERROR_FAILED: any other refusal
 */
typedef enum
{
  TC_WA_CLIENT_ERROR_NOT_CONFIGURED,
  TC_WA_CLIENT_ERROR_AUTH,
  TC_WA_CLIENT_ERROR_INVALID,
  TC_WA_CLIENT_ERROR_RATE_LIMITED,
  TC_WA_CLIENT_ERROR_SERVER,
  TC_WA_CLIENT_ERROR_BAD_RESPONSE,
  TC_WA_CLIENT_ERROR_NOT_FOUND,
  TC_WA_CLIENT_ERROR_FAILED,
} TcWaClientError;

GQuark tc_wa_client_error_quark (void);

/**
 * TcWaTemplateState:
 * @id: Meta's id of the template ("" when the answer had none)
 * @name: the template name
 * @language: its language code
 * @status: Meta's word, upper case: "PENDING", "APPROVED", "REJECTED", …
 * @reason: why it was rejected; "" when there is no reason
 *
 * What Meta says about one template.
 */
typedef struct
{
  char *id;
  char *name;
  char *language;
  char *status;
  char *reason;
  char *category;   /* "MARKETING", "UTILITY", "AUTHENTICATION" when Meta said; "" otherwise */
} TcWaTemplateState;

#define TC_TYPE_WA_TEMPLATE_STATE (tc_wa_template_state_get_type ())
GType              tc_wa_template_state_get_type (void) G_GNUC_CONST;
TcWaTemplateState *tc_wa_template_state_copy     (const TcWaTemplateState *state);
void               tc_wa_template_state_free     (TcWaTemplateState       *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcWaTemplateState, tc_wa_template_state_free)

#define TC_TYPE_WA_TEMPLATES_CLIENT (tc_wa_templates_client_get_type ())

G_DECLARE_FINAL_TYPE (TcWaTemplatesClient, tc_wa_templates_client, TC, WA_TEMPLATES_CLIENT, GObject)

/* NULL or "" @api_base / @api_version: the defaults. The token is read
 * from TC_WA_TOKEN_ENV now. */
TcWaTemplatesClient *tc_wa_templates_client_new             (const char          *api_base,
                                                             const char          *api_version,
                                                             const char          *waba_id) G_GNUC_WARN_UNUSED_RESULT;
/* As tc_wa_templates_client_new() with the "whatsapp." workspace settings;
 * when the environment has no token, the access token saved in the
 * keyring for the WhatsApp Business Account (tc-secrets.h), if any. */
void                 tc_wa_templates_client_new_from_settings_async  (TcRepository        *repository,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
TcWaTemplatesClient *tc_wa_templates_client_new_from_settings_finish (GAsyncResult        *result,
                                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Uses @token instead of the one read from the environment (the built-in
 * simulator takes any). */
void                 tc_wa_templates_client_set_token       (TcWaTemplatesClient *self,
                                                             const char          *token);

const char          *tc_wa_templates_client_get_api_base    (TcWaTemplatesClient *self);
const char          *tc_wa_templates_client_get_api_version (TcWaTemplatesClient *self);
const char          *tc_wa_templates_client_get_waba_id     (TcWaTemplatesClient *self);

/* FALSE with TC_WA_CLIENT_ERROR_NOT_CONFIGURED, saying what to set, when
 * the token or the WABA id is missing. */
gboolean             tc_wa_templates_client_check_configured (TcWaTemplatesClient *self,
                                                             GError             **error);

/* Submits @template for approval (POST …/message_templates with
 * tc_wa_template_build_create_request()). */
void                 tc_wa_templates_client_submit_async    (TcWaTemplatesClient *self,
                                                             TcWaTemplate        *template,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
TcWaTemplateState   *tc_wa_templates_client_submit_finish   (TcWaTemplatesClient *self,
                                                             GAsyncResult        *result,
                                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Asks Meta for the status of template @name in @language.
 * TC_WA_CLIENT_ERROR_NOT_FOUND when Meta has none. */
void                 tc_wa_templates_client_refresh_async   (TcWaTemplatesClient *self,
                                                             const char          *name,
                                                             const char          *language,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
TcWaTemplateState   *tc_wa_templates_client_refresh_finish  (TcWaTemplatesClient *self,
                                                             GAsyncResult        *result,
                                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Every template of the WhatsApp Business Account, as Meta lists them
 * (all pages, at most TC_WA_LIST_MAX_PAGES of 100) — the ones made in
 * Meta's Business Manager too. Returns: (element-type TcWaTemplateState) */
#define TC_WA_LIST_MAX_PAGES 50
void                 tc_wa_templates_client_list_async      (TcWaTemplatesClient *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray           *tc_wa_templates_client_list_finish     (TcWaTemplatesClient *self,
                                                             GAsyncResult        *result,
                                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* The status as stored on a template ("approved", "rejected", …: Meta's
 * word in lower case). */
char                *tc_wa_template_state_stored_status     (const TcWaTemplateState *state) G_GNUC_WARN_UNUSED_RESULT;

/* Stores @state's status and reason on template @template_id, through
 * tc_repository_set_template_status_async() (no new version). */
void                 tc_wa_template_state_store_async       (const TcWaTemplateState *state,
                                                             TcRepository        *repository,
                                                             gint64               template_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             tc_wa_template_state_store_finish      (TcRepository        *repository,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
