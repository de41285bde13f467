/* tc-wa-editor.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-template.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_WA_EDITOR (tc_wa_editor_get_type())

G_DECLARE_FINAL_TYPE (TcWaEditor, tc_wa_editor, TC, WA_EDITOR, GtkWidget)

/*
 * The editor of a WhatsApp message template: name, language, category,
 * header, body with its {{n}} parameters (an example and a Mustache
 * binding each), footer and buttons; Meta's rules checked as you type,
 * shown in place; a chat-bubble preview; the Cloud API's create request
 * copied to the clipboard.
 *
 * Signals: "saved" (TcTemplate) after a successful save.
 * Actions: editor.save (Ctrl+S), editor.copy-json, editor.add-button (a
 * TcWaButtonType as int32), editor.remove-button (an index as int32).
 */

void     tc_wa_editor_edit        (TcWaEditor   *self,
                                   TcRepository *repository,
                                   TcTemplate   *template);
void     tc_wa_editor_focus       (TcWaEditor   *self);
/* TRUE when the fields differ from what was loaded or last saved. */
gboolean tc_wa_editor_has_changes (TcWaEditor   *self);

G_END_DECLS
