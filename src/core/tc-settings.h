/* tc-settings.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Workspace settings: domain configuration that the window and the CLI both
 * need (brand name, short-link domain, opt-out texts, …), stored in the
 * workspace database as key → text. Per-user UI state stays in GSettings;
 * secrets never come here (Secret Service or environment only).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* Known keys. Values are text; booleans are "true" / "false". */
#define TC_SETTING_BRAND_NAME           "brand.name"           /* "Acme Shoes" */
#define TC_SETTING_SHORT_LINK_DOMAIN    "links.short_domain"   /* "go.acme.example"; empty = no click tracking */
#define TC_SETTING_HTTP_PORT            "http.port"            /* port of Textcast's HTTP endpoint, default "8642" */
#define TC_SETTING_HTTP_ADDRESS         "http.address"         /* default "127.0.0.1" */
#define TC_SETTING_OPTOUT_EVERY_MESSAGE "optout.every_message" /* default "true" */
#define TC_SETTING_OPTOUT_TEXT_PREFIX   "optout.text."         /* + language, e.g. "optout.text.fr" */
#define TC_SETTING_WHATSAPP_WABA_ID     "whatsapp.waba_id"     /* WhatsApp Business Account id, digits */
#define TC_SETTING_WHATSAPP_API_BASE    "whatsapp.api_base"    /* default "https://graph.facebook.com" */
#define TC_SETTING_WHATSAPP_API_VERSION "whatsapp.api_version" /* default "v23.0" */

/* Providers (the providers issue; see src/net/tc-providers.h). Secrets —
 * auth tokens, access tokens, app secrets — are never settings: they live
 * in the keyring or the environment (src/net/tc-secrets.h). */
#define TC_SETTING_PROVIDER_SMS          "provider.sms"           /* "simulator" (default) | "twilio" */
#define TC_SETTING_PROVIDER_WHATSAPP     "provider.whatsapp"      /* "simulator" (default) | "whatsapp"
                                                                   * (Meta Cloud API) | "twilio" */
#define TC_SETTING_TWILIO_ACCOUNT_SID    "twilio.account_sid"     /* "AC" + 32 hex digits */
#define TC_SETTING_TWILIO_FROM           "twilio.from"            /* E.164 number or short code to send from */
#define TC_SETTING_TWILIO_MESSAGING_SERVICE_SID "twilio.messaging_service_sid" /* "MG" + 32 hex digits */
#define TC_SETTING_TWILIO_BASE_URL       "twilio.base_url"        /* default "https://api.twilio.com" */
#define TC_SETTING_WHATSAPP_PHONE_NUMBER_ID "whatsapp.phone_number_id" /* digits */
#define TC_SETTING_HTTP_PUBLIC_URL       "http.public_url"        /* public base URL of the webhooks, e.g.
                                                                   * through a tunnel; empty = none */

/* Compliance (the consent issue). <lang> is a language code: "en", "fr", …
 * <channel> is "sms" or "whatsapp". */
#define TC_SETTING_DOUBLE_OPTIN_PREFIX   "consent.double_optin."  /* + channel: "true"/"false", default "false" */
#define TC_SETTING_CONFIRM_HOURS         "consent.confirm_hours"  /* hours to reply YES, default "48" */
#define TC_SETTING_CONFIRM_TEXT_PREFIX   "consent.confirm_text."  /* + lang: the double opt-in request */
#define TC_SETTING_KEYWORDS_OPTOUT_PREFIX "keywords.optout."      /* + lang: extra words, comma-separated */
#define TC_SETTING_KEYWORDS_OPTIN_PREFIX "keywords.optin."        /* + lang */
#define TC_SETTING_KEYWORDS_HELP_PREFIX  "keywords.help."         /* + lang */
#define TC_SETTING_KEYWORDS_CUSTOM       "keywords.custom"        /* JSON array, see tc-keywords.h */
#define TC_SETTING_REPLY_OPTOUT_PREFIX   "reply.opt_out."         /* + lang */
#define TC_SETTING_REPLY_OPTIN_PREFIX    "reply.opt_in."          /* + lang */
#define TC_SETTING_REPLY_HELP_PREFIX     "reply.help."            /* + lang; {{program}} {{frequency}} {{support}} */
#define TC_SETTING_REPLY_CONFIRMED_PREFIX "reply.confirmed."      /* + lang: after YES to a double opt-in */
#define TC_SETTING_HELP_PROGRAM          "help.program"           /* default: brand.name, else "Textcast" */
#define TC_SETTING_HELP_FREQUENCY        "help.frequency"         /* default "Msg frequency varies" */
#define TC_SETTING_HELP_SUPPORT          "help.support"           /* e.g. "support@acme.example"; default "" */
#define TC_SETTING_QUIET_HOURS_RULES     "quiet_hours.rules"      /* JSON, see tc-quiet-hours.h; unset = built-in */
#define TC_SETTING_CAP_COUNT             "caps.promotional.count" /* default "1"; "0" = no cap */
#define TC_SETTING_CAP_HOURS             "caps.promotional.hours" /* default "24" */
/* Attribution (tc-campaign-report.h): a conversion goes to the last message
 * clicked within the click window, else the last received within the
 * receive window. */
#define TC_SETTING_ATTRIBUTION_CLICK_DAYS "attribution.click_days"   /* default "5" */
#define TC_SETTING_ATTRIBUTION_RECEIVE_HOURS "attribution.receive_hours" /* default "24" */
#define TC_SETTING_ATTRIBUTION_EVENT     "attribution.event"      /* the conversion, default "order_placed" */
#define TC_SETTING_PRIVACY_SALT          "privacy.salt"           /* random, made by the schema; not a secret key */
/* Prices (the cost issue; see tc-prices.h). */
#define TC_SETTING_PRICES                "prices.table"           /* JSON array of overrides of the
                                                                   * shipped prices; unset = defaults */
#define TC_SETTING_PRICES_PREFIX         "prices."
/* Keys under this prefix are Textcast's own: tc_settings_get/get_all do
 * not return them and tc_settings_set refuses them. */
#define TC_SETTING_INTERNAL_PREFIX       "privacy."

/* The built-in text of a reply or request setting (one of the *_PREFIX
 * keys above that end in a language) for @language, falling back to
 * English; NULL for an unknown prefix. Owned by the library. */
const char *tc_settings_default_text (const char *prefix,
                                      const char *language);


/* Whether tc_settings_set_async() would accept @value (NULL: removing)
 * for @key, with the same plain-words error; for forms that check a field
 * before saving, and commands that set several keys at once. */
gboolean    tc_settings_check_value    (const char          *key,
                                        const char          *value,
                                        GError             **error);

/* Returns the value, or NULL (without an error) when the key is not set. */
void        tc_settings_get_async      (TcRepository        *repository,
                                        const char          *key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char       *tc_settings_get_finish     (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);
/* Every setting whose key starts with @prefix ("" for all).
 * Returns: (transfer full): key → value */
void        tc_settings_get_all_async  (TcRepository        *repository,
                                        const char          *prefix,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GHashTable *tc_settings_get_all_finish (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);
/* @value NULL removes the key (back to its default). */
void        tc_settings_set_async      (TcRepository        *repository,
                                        const char          *key,
                                        const char          *value,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    tc_settings_set_finish     (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Inside a repository job (worker thread). Returns NULL when unset. */
struct _TcDb;
char       *_tc_db_get_setting         (struct _TcDb        *db,
                                        const char          *key,
                                        GError             **error);

G_END_DECLS
