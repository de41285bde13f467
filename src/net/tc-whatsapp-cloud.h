/* tc-whatsapp-cloud.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Meta WhatsApp Cloud API provider.
 *
 *   send     POST {base}/{version}/{phone-number-id}/messages, JSON built
 *            with json-glib, Bearer token: template messages (the
 *            "template" object from tc-wa-template.h) and free-form text
 *            inside the 24-hour window
 *   status   none by id (Meta only pushes statuses): fetch_status and
 *            lookup fail with G_IO_ERROR_NOT_SUPPORTED
 *   webhooks GET verification (hub.mode=subscribe, hub.verify_token,
 *            hub.challenge); POST with X-Hub-Signature-256 = "sha256=" +
 *            hex HMAC-SHA256 (app secret) of the raw body; entries →
 *            changes → value → statuses (sent / delivered / read / failed,
 *            with pricing and errors) and messages (text, button,
 *            interactive button_reply / list_reply, image with caption)
 *
 * Error codes (131026, 131047, 131048, 131049, 131050, 131056, 130429,
 * 132000, …) mapped by tc_whatsapp_describe_error().
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-provider.h"

G_BEGIN_DECLS

#define TC_WHATSAPP_DEFAULT_BASE_URL    "https://graph.facebook.com"
#define TC_WHATSAPP_DEFAULT_API_VERSION "v23.0"

#define TC_TYPE_WHATSAPP_PROVIDER (tc_whatsapp_provider_get_type ())

G_DECLARE_FINAL_TYPE (TcWhatsappProvider, tc_whatsapp_provider, TC, WHATSAPP_PROVIDER, GObject)

/* NULL @base_url / @api_version = the defaults. @app_secret and
 * @verify_token may be NULL: then every webhook is refused (signature).
 * @session from tc_soup_session_new() (NULL: one is made there).
 *
 * Sending: TcOutboundMessage.wa_template_json is the "template" object
 * of the send request, or a whole send request as
 * tc_wa_template_build_send_request() returns it (its "template" member
 * is used; "to" always comes from TcOutboundMessage.to). Without a
 * template, media_url sends an image (body as its caption), else body is
 * sent as text, with preview_url true when it holds an http(s) link. */
TcWhatsappProvider *tc_whatsapp_provider_new (SoupSession *session,
                                              const char  *base_url,
                                              const char  *api_version,
                                              const char  *phone_number_id,
                                              const char  *access_token,
                                              const char  *app_secret,
                                              const char  *verify_token);

/* Fills @failure's class, effect, meaning and action for Meta's error
 * @code (and @http_status when the code is unknown, 0 = no answer); sets
 * its http_status and code too. */
void                tc_whatsapp_describe_error (guint          http_status,
                                                const char    *code,
                                                TcSendFailure *failure);

/* "sha256=" + lower-case hex HMAC-SHA256 of @body with @app_secret. */
char               *tc_whatsapp_signature      (const char    *app_secret,
                                                GBytes        *body);

G_END_DECLS
