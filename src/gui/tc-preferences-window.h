/* tc-preferences-window.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-providers-page.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_PREFERENCES_WINDOW (tc_preferences_window_get_type())

G_DECLARE_FINAL_TYPE (TcPreferencesWindow, tc_preferences_window, TC, PREFERENCES_WINDOW, AdwPreferencesWindow)

/*
 * The workspace's preferences (brand name, opt-out instruction, short-link
 * domain and the HTTP endpoint's port; the Compliance page of
 * TcCompliancePage and the Senders page of TcSendersPage), read and written through
 * tc_settings_*(): each change is saved shortly after typing stops, on
 * Enter, and when the window closes.
 *
 * Property: "repository" (construct-only).
 * Signal: "credentials-changed", the Providers page's.
 */

TcPreferencesWindow *tc_preferences_window_new (GtkWindow    *parent,
                                                TcRepository *repository) G_GNUC_WARN_UNUSED_RESULT;
/* The Providers page (borrowed; NULL once the window is gone). The pages
 * after Messages are made once the window has been drawn; this makes them
 * at once. */
TcProvidersPage     *tc_preferences_window_get_providers_page (TcPreferencesWindow *self);
/* The sending problem the Providers page explains (NULL: none), kept for
 * when the page is made. */
void                 tc_preferences_window_set_problem        (TcPreferencesWindow *self,
                                                               const char          *text);
/* Shows the page @name: "messages", "compliance", "senders", "providers"
 * or "prices" (the places of tc-readiness.h after "preferences:"). */
void                 tc_preferences_window_show_page          (TcPreferencesWindow *self,
                                                               const char          *name);
/* Shows @toast (taken) in the window through tc_toasts_add(): one toast
 * at a time (see tc-toasts.h). */
void                 tc_preferences_window_add_toast          (TcPreferencesWindow *self,
                                                               AdwToast            *toast);

G_END_DECLS
