/* tc-toasts.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows @toast (transfer full, like adw_toast_overlay_add_toast()) in
 * @host, an AdwToastOverlay or an AdwPreferencesWindow, one toast at a
 * time: a toast already shown is dismissed, and the new one comes once
 * the old one has gone. Toasts that arrive meanwhile replace each other
 * (the latest news wins); one waiting cannot be dismissed yet.
 *
 * Why not libadwaita's own queue: in libadwaita 1.2 a toast shown while
 * another is going away gets a 500 ms show animation, and dismissing it
 * in its first 200 ms (two quick Escapes, or dismissing two toasts in a
 * row) frees its state while that animation still runs: the app crashes
 * when the animation ends (fixed in libadwaita 1.3). Toasts shown through
 * here never overlap, so that animation never happens. */
void     tc_toasts_add     (GtkWidget *host,
                            AdwToast  *toast);

/* Says @text in a toast of the AdwToastOverlay around @widget, for
 * @timeout seconds; nothing when @widget is not inside one. */
void      tc_toasts_say       (GtkWidget  *widget,
                               const char *text,
                               guint       timeout);

/* The toast @host shows now through tc_toasts_add(), or NULL. */
AdwToast *tc_toasts_get_shown (GtkWidget *host);

G_END_DECLS
