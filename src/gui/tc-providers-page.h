/* tc-providers-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_PROVIDERS_PAGE (tc_providers_page_get_type())

G_DECLARE_FINAL_TYPE (TcProvidersPage, tc_providers_page, TC, PROVIDERS_PAGE, AdwPreferencesPage)

/*
 * Preferences → Providers: which provider sends each channel (the
 * settings provider.sms and provider.whatsapp), Twilio's and the WhatsApp
 * Cloud API's settings (saved with Enter or the ✓ button, checked with
 * tc_settings_check_value() first), their credentials (stored in the
 * keyring with tc_secrets_store_async(), never in the workspace; the page
 * says where each one is found), and a connection test per provider
 * (tc_providers_test_async()) with its result in plain words. Nothing
 * here waits on the GUI thread.
 */

TcProvidersPage *tc_providers_page_new (TcRepository *repository) G_GNUC_WARN_UNUSED_RESULT;

/* Shows what keeps messages from being sent at the top of the page (the
 * window's banner text); NULL hides it. Signal "credentials-changed": a
 * credential was saved in or removed from the keyring (the providers
 * need loading again). */
void             tc_providers_page_set_problem (TcProvidersPage *self,
                                                const char      *text);

G_END_DECLS
