/* tc-autostart-row.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences' "Start at Login" row: a switch that asks tc-autostart
 * (the Background portal in a Flatpak, the autostart file elsewhere) and
 * shows the new state only once it is done; the "start-at-login" setting
 * remembers it. Outside a Flatpak the autostart file is the truth: the
 * switch follows it when the row is shown.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TC_TYPE_AUTOSTART_ROW (tc_autostart_row_get_type())

G_DECLARE_FINAL_TYPE (TcAutostartRow, tc_autostart_row, TC, AUTOSTART_ROW, AdwActionRow)

/* @settings: the app's settings with a "start-at-login" key (nullable). */
GtkWidget *tc_autostart_row_new (GSettings *settings);

G_END_DECLS
