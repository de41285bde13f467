/* tc-window.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-application.h"

G_BEGIN_DECLS

#define TC_TYPE_WINDOW (tc_window_get_type())

G_DECLARE_FINAL_TYPE (TcWindow, tc_window, TC, WINDOW, AdwApplicationWindow)

/* @sample: fill the workspace with sample contacts if it has none. */
TcWindow *tc_window_new         (TcApplication *application,
                                 gboolean       sample);
/* Opens the Import dialog on @file (once the workspace is open). */
void      tc_window_import_file (TcWindow      *self,
                                 GFile         *file);
void      tc_window_add_toast   (TcWindow      *self,
                                 const char    *title);
void      tc_window_show_conversation (TcWindow *self,
                                       gint64    contact_id);
/* Whether the Inbox shows @contact_id's conversation. */
gboolean  tc_window_shows_conversation (TcWindow *self,
                                        gint64    contact_id);

G_END_DECLS
