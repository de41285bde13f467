/* tc-providers.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configured providers: which provider serves each channel (the
 * settings provider.sms and provider.whatsapp), built from the workspace
 * settings (tc-settings.h) and the credentials (tc-secrets.h).
 *
 *   simulator  the built-in simulator (tc-simulator.h), started in this
 *              process on 127.0.0.1 (any free port); the real Twilio and
 *              WhatsApp providers are pointed at it with made-up
 *              credentials, so the whole path runs with no account
 *   twilio     Twilio (SMS, and WhatsApp through Twilio): twilio.account_sid,
 *              twilio.from or twilio.messaging_service_sid, twilio.base_url;
 *              the auth token from TEXTCAST_TWILIO_AUTH_TOKEN or the keyring
 *   whatsapp   the Meta WhatsApp Cloud API: whatsapp.phone_number_id,
 *              whatsapp.waba_id, whatsapp.api_base, whatsapp.api_version;
 *              the access token (required), the app secret and the verify
 *              token (webhooks) from the environment or the keyring
 *
 * Twilio's secrets are kept under the Account SID, Meta's under the
 * WhatsApp Business Account id (tc_provider_settings_secret_account()).
 *
 * A connection test per provider (tc_providers_test_async()) asks the
 * provider something harmless with the stored credentials — Twilio
 * GET /2010-04-01/Accounts/{Sid}.json, Meta GET /{version}/{phone-number-id}
 * ?fields=display_phone_number,verified_name — and answers in plain words.
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-provider.h"
#include "tc-secrets.h"
#include "tc-simulator.h"
#include "tc-types.h"

G_BEGIN_DECLS

typedef enum
{
  TC_PROVIDER_KIND_SIMULATOR,
  TC_PROVIDER_KIND_TWILIO,
  TC_PROVIDER_KIND_WHATSAPP,
} TcProviderKind;

#define TC_PROVIDER_KIND_N (TC_PROVIDER_KIND_WHATSAPP + 1)

/* "simulator", "twilio", "whatsapp" (the setting values and the CLI's
 * names). */
const char *tc_provider_kind_to_string   (TcProviderKind  kind);
gboolean    tc_provider_kind_from_string (const char     *str,
                                          TcProviderKind *kind);
/* For people: "the built-in simulator", "Twilio", "the WhatsApp Cloud API". */
const char *tc_provider_kind_describe    (TcProviderKind  kind);

/* The made-up credentials the providers get in simulator mode. */
#define TC_PROVIDERS_SIMULATOR_ACCOUNT_SID     "AC00000000000000000000000000000000"
#define TC_PROVIDERS_SIMULATOR_AUTH_TOKEN      "simulator-auth-token"
#define TC_PROVIDERS_SIMULATOR_PHONE_NUMBER_ID "100000000000001"
#define TC_PROVIDERS_SIMULATOR_ACCESS_TOKEN    "simulator-access-token"
#define TC_PROVIDERS_SIMULATOR_APP_SECRET      "simulator"
#define TC_PROVIDERS_SIMULATOR_VERIFY_TOKEN    "simulator"
/* The SMS sender in simulator mode when twilio.from is not set. */
#define TC_PROVIDERS_SIMULATOR_FROM            "+15005550006"

#define TC_PROVIDERS_ERROR (tc_providers_error_quark ())

/**
 * TcProvidersError:
 * @TC_PROVIDERS_ERROR_NOT_CONFIGURED: a setting or a credential is missing
 *   (the message names it and says where to set it)
 * @TC_PROVIDERS_ERROR_AUTH: the provider refused the credentials
 * @TC_PROVIDERS_ERROR_NOT_FOUND: the provider does not know the account or
 *   phone-number id
 * @TC_PROVIDERS_ERROR_NETWORK: the provider could not be reached in time
 * @TC_PROVIDERS_ERROR_FAILED: any other failure (a server error, an answer
 *   that is not the API's, a suspended account, a simulator that cannot
 *   listen)
 */
typedef enum
{
  TC_PROVIDERS_ERROR_NOT_CONFIGURED,
  TC_PROVIDERS_ERROR_AUTH,
  TC_PROVIDERS_ERROR_NOT_FOUND,
  TC_PROVIDERS_ERROR_NETWORK,
  TC_PROVIDERS_ERROR_FAILED,
} TcProvidersError;

GQuark      tc_providers_error_quark     (void);

/* The provider settings of a workspace, with the defaults filled in
 * (NULL for an optional value that is not set). */
typedef struct
{
  TcProviderKind  sms;                          /* TWILIO or SIMULATOR */
  TcProviderKind  whatsapp;
  char           *twilio_account_sid;
  char           *twilio_from;
  char           *twilio_messaging_service_sid;
  char           *twilio_base_url;              /* never NULL */
  char           *whatsapp_phone_number_id;
  char           *whatsapp_waba_id;
  char           *whatsapp_api_base;            /* never NULL */
  char           *whatsapp_api_version;         /* never NULL */
  char           *public_url;
} TcProviderSettings;

/* From tc_settings_get_all_async()'s table (any prefix that includes the
 * provider keys; NULL = no settings). */
TcProviderSettings *tc_provider_settings_new_from_table (GHashTable *settings);
void                tc_provider_settings_free           (TcProviderSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcProviderSettings, tc_provider_settings_free)

/* Whether the settings of @kind are complete (credentials aside): FALSE
 * with TC_PROVIDERS_ERROR_NOT_CONFIGURED naming what is missing. */
gboolean    tc_provider_settings_check          (const TcProviderSettings *settings,
                                                 TcProviderKind            kind,
                                                 GError                  **error);
/* The "account" @name is kept under in the keyring: the Account SID for
 * Twilio's token, the WhatsApp Business Account id for Meta's secrets,
 * "" for the events token. NULL when that setting is missing. */
const char *tc_provider_settings_secret_account (const TcProviderSettings *settings,
                                                 TcSecretName              name);
/* Whether @kind serves a channel under these settings ("configured"). */
gboolean    tc_provider_settings_uses           (const TcProviderSettings *settings,
                                                 TcProviderKind            kind);

#define TC_TYPE_PROVIDERS (tc_providers_get_type ())

G_DECLARE_FINAL_TYPE (TcProviders, tc_providers, TC, PROVIDERS, GObject)

/* Builds the providers the settings of @repository choose, looking their
 * credentials up. @session: from tc_soup_session_new() (NULL: one is made).
 * @simulator_config: for the in-process simulator when a channel uses it
 * (NULL: the defaults); its strings are copied. Fails with
 * TC_PROVIDERS_ERROR_NOT_CONFIGURED in plain words when a setting or a
 * credential is missing ("Twilio needs an auth token: …"), and
 * TC_PROVIDERS_ERROR_FAILED when the simulator cannot listen. */
void            tc_providers_load_async      (TcRepository             *repository,
                                              SoupSession              *session,
                                              const TcSimulatorConfig  *simulator_config,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
TcProviders    *tc_providers_load_finish     (GAsyncResult             *result,
                                              GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

/* The provider of @channel (borrowed; never NULL after a successful load). */
TcProvider     *tc_providers_get_provider    (TcProviders              *self,
                                              TcChannel                 channel);
TcProviderKind  tc_providers_get_kind        (TcProviders              *self,
                                              TcChannel                 channel);
/* Whom @channel's messages go out from when nothing else says: Twilio's
 * twilio.from (or the Messaging Service SID when there is no number;
 * the Twilio provider adds "whatsapp:" itself for WhatsApp), the Cloud
 * API's phone-number id, or the simulator's made-up sender. NULL when
 * the settings name none. */
const char     *tc_providers_get_sender      (TcProviders              *self,
                                              TcChannel                 channel);
/* The in-process simulator when a channel uses it, else NULL. It stops
 * when @self is finalized. */
TcSimulator    *tc_providers_get_simulator   (TcProviders              *self);
const TcProviderSettings *tc_providers_get_settings (TcProviders       *self);

/* Tests the connection to @kind with the workspace's settings and
 * credentials. Finishes with a sentence saying what worked, or an error
 * in plain words (TC_PROVIDERS_ERROR_*). For the simulator: starts one
 * on 127.0.0.1, says where it listens, and stops it. */
void            tc_providers_test_async      (TcRepository             *repository,
                                              SoupSession              *session,
                                              TcProviderKind            kind,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
char           *tc_providers_test_finish     (GAsyncResult             *result,
                                              GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
