/* tc-editor-logic.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the template editors show, as pure functions over GLib and
 * src/core: no GTK here, so that tests/gui/test-editor-logic.c checks it
 * without a display.
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tc-mustache.h"
#include "tc-sms.h"
#include "tc-types.h"
#include "tc-wa-template.h"

G_BEGIN_DECLS

/* A span of the editor's text, in characters (what GtkTextIter counts). */
typedef struct
{
  guint start;
  guint end;
} TcEditorRange;

/**
 * TcEditorSmsState:
 * @count: the count of the text as sent (with the opt-out text when added)
 * @counter: "GSM-7 · 2 segments · 41 characters left in this segment", or
 *   "UCS-2 because of “’” · 1 segment · …"
 * @highlights: (element-type TcEditorRange): the characters of the typed
 *   text that force UCS-2
 * @n_replaceable: how many of them have a GSM-7 replacement
 * @replace_label: (nullable): "Replace 3 characters (saves 1 segment)",
 *   NULL when nothing can be replaced
 * @optout_note: (nullable): "“Reply STOP to opt out” is added", NULL when
 *   no opt-out text is added
 */
typedef struct
{
  TcSmsCount  count;
  char       *counter;
  GArray     *highlights;
  guint       n_replaceable;
  char       *replace_label;
  char       *optout_note;
} TcEditorSmsState;

/* @promotional: the opt-out instruction in @language is added (unless the
 * text already has one) and counted. */
TcEditorSmsState *tc_editor_sms_state_new   (const char       *text,
                                             gboolean          promotional,
                                             const char       *language) G_GNUC_WARN_UNUSED_RESULT;
void              tc_editor_sms_state_free  (TcEditorSmsState *state);

/* The counter line for a text as sent. */
char             *tc_editor_counter_text    (const char       *final_text) G_GNUC_WARN_UNUSED_RESULT;
/* @text with the opt-out instruction added when @promotional. */
char             *tc_editor_final_text      (const char       *text,
                                             gboolean          promotional,
                                             const char       *language) G_GNUC_WARN_UNUSED_RESULT;
/* @text with every replaceable character replaced (the one-click fix). */
char             *tc_editor_replace_non_gsm (const char       *text) G_GNUC_WARN_UNUSED_RESULT;

/**
 * TcEditorPreview:
 * @text: (nullable): the message as this contact gets it (opt-out
 *   included), NULL when the template cannot be rendered
 * @counter: (nullable): the counter line of @text
 * @warnings: (element-type utf8): one sentence per problem: a variable
 *   empty for this contact, a snippet that does not exist, a mistake in the
 *   template
 */
typedef struct
{
  char      *text;
  char      *counter;
  GPtrArray *warnings;
} TcEditorPreview;

/* Renders @source (Mustache, no escaping) with @vars (from
 * tc_mustache_vars_new_for_contact()) and @partials (nullable). */
TcEditorPreview  *tc_editor_preview_new     (const char         *source,
                                             JsonNode           *vars,
                                             TcMustachePartials *partials,
                                             gboolean            promotional,
                                             const char         *language) G_GNUC_WARN_UNUSED_RESULT;
void              tc_editor_preview_free    (TcEditorPreview    *preview);

/* The sentence for a missing variable reported by the renderer ("first_name",
 * or ">footer" for a snippet). */
char             *tc_editor_missing_warning (const char         *missing) G_GNUC_WARN_UNUSED_RESULT;

/* The variables the picker offers, besides custom attributes. NULL-terminated. */
const char * const *tc_editor_contact_fields (void);
const char * const *tc_editor_event_fields   (void);
/* "{{name}}" and "{{> name}}". */
char             *tc_editor_variable_tag    (const char         *name) G_GNUC_WARN_UNUSED_RESULT;
char             *tc_editor_snippet_tag     (const char         *name) G_GNUC_WARN_UNUSED_RESULT;

/* WhatsApp: @text with each {{n}} replaced by the example of parameter n
 * (@examples is indexed from 0 for {{1}}; a missing or empty example keeps
 * the {{n}}). */
char             *tc_editor_wa_fill_examples (const char         *text,
                                              const char * const *examples) G_GNUC_WARN_UNUSED_RESULT;
/* The highest {{n}} in @text (0 when none). */
guint             tc_editor_wa_count_params (const char         *text);

/* Writes @text to @path (the GUI test's window into the editor; see
 * HACKING.md, TEXTCAST_TEST_STATE_FILE). */
gboolean          tc_editor_write_state     (const char         *path,
                                             const char         *text,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEditorSmsState, tc_editor_sms_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEditorPreview, tc_editor_preview_free)

G_END_DECLS
