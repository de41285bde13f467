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
