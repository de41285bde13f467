/* tc-sms-editor.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-template.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SMS_EDITOR (tc_sms_editor_get_type())

G_DECLARE_FINAL_TYPE (TcSmsEditor, tc_sms_editor, TC, SMS_EDITOR, GtkWidget)

/*
 * The editor of an SMS template or a snippet: name, purpose, the text with
 * a live segment counter, the characters that force UCS-2 highlighted with
 * a one-click fix, a variable and a snippet picker, and a preview rendered
 * for a contact of the workspace.
 *
 * Signals: "saved" (TcTemplate) after a successful save.
 * Actions: editor.save (Ctrl+S), editor.replace (the UCS-2 fix).
 *
 * Test hook: when TEXTCAST_TEST_STATE_FILE is set, the counter line is
 * written to that file whenever it changes (see HACKING.md).
 */

/* Edits a copy of @template (id 0: a new one, saved on Save). */
void     tc_sms_editor_edit        (TcSmsEditor  *self,
                                    TcRepository *repository,
                                    TcTemplate   *template);
/* Puts the cursor in the text. */
void     tc_sms_editor_focus       (TcSmsEditor  *self);
/* TRUE when the fields differ from what was loaded or last saved. */
gboolean tc_sms_editor_has_changes (TcSmsEditor  *self);

G_END_DECLS
