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

#include "tc-contact.h"
#include "tc-mustache.h"
#include "tc-optout.h"
#include "tc-sms.h"
#include "tc-types.h"
#include "tc-wa-template.h"

G_BEGIN_DECLS

/**
 * TcEditorSmsOptions:
 * @promotional: the opt-out instruction is added (unless the text already
 *   has one) and counted
 * @language: (nullable): the template's language, else the contact's
 * @optout: (nullable): the configured instructions
 *   (tc_editor_optout_from_settings()); %NULL for the built-in ones
 * @optout_every_message: the "in every promotional SMS" setting. Either
 *   way the instruction is counted, because the first message to a contact
 *   always carries it; only the note differs.
 * @brand: (nullable): the brand name setting; %NULL or "" when unset, and
 *   then {{brand}} shows a placeholder
 * @campaign: (nullable): the template name, made into utm_campaign
 * @short_domain: (nullable): the short-link domain; %NULL or "" when links
 *   are only UTM-tagged
 *
 * What turns a template into the text a recipient gets, besides the
 * contact's own data. Zero-initialized, it means a promotional-less,
 * untracked message with the built-in texts.
 */
typedef struct
{
  gboolean        promotional;
  const char     *language;
  const TcOptout *optout;
  gboolean        optout_every_message;
  const char     *brand;
  const char     *campaign;
  const char     *short_domain;
} TcEditorSmsOptions;

/* A span of the editor's text, in characters (what GtkTextIter counts). */
typedef struct
{
  guint start;
  guint end;
} TcEditorRange;

typedef struct _TcEditorPreview TcEditorPreview;

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
 * @preview: (nullable): with tc_editor_sms_state_new_full(), the message
 *   rendered for the preview contact, which @count and @counter describe
 */
typedef struct
{
  TcSmsCount       count;
  char            *counter;
  GArray          *highlights;
  guint            n_replaceable;
  char            *replace_label;
  char            *optout_note;
  TcEditorPreview *preview;
} TcEditorSmsState;

/* @promotional: the opt-out instruction in @language is added (unless the
 * text already has one) and counted. */
TcEditorSmsState *tc_editor_sms_state_new   (const char       *text,
                                             gboolean          promotional,
                                             const char       *language) G_GNUC_WARN_UNUSED_RESULT;
/* What a recipient gets: @source rendered with @vars (whose "brand" the
 * options' brand replaces) and @partials, links in their final form and
 * the opt-out text; @counter says so: "For Maria Clara: GSM-7 · …"
 * (@recipient is the contact's name; NULL: the contact has no details).
 * The highlights and the replacement are about the typed @source, but the
 * segments the replacement saves are counted on the rendered text. */
TcEditorSmsState *tc_editor_sms_state_new_full (const char               *source,
                                                JsonNode                 *vars,
                                                TcMustachePartials       *partials,
                                                const char               *recipient,
                                                const TcEditorSmsOptions *options) G_GNUC_WARN_UNUSED_RESULT;
void              tc_editor_sms_state_free  (TcEditorSmsState *state);

/* The counter line for a text as sent. */
char             *tc_editor_counter_text    (const char       *final_text) G_GNUC_WARN_UNUSED_RESULT;
/* @text with the opt-out instruction added when @promotional. */
char             *tc_editor_final_text      (const char       *text,
                                             gboolean          promotional,
                                             const char       *language) G_GNUC_WARN_UNUSED_RESULT;
/* A rendered @text as it is sent: links UTM-tagged (utm_source and
 * utm_medium "sms", utm_campaign the slug of the campaign), then short
 * links when a domain is set, then the opt-out text when promotional. */
char             *tc_editor_final_text_full (const char               *text,
                                             const TcEditorSmsOptions *options) G_GNUC_WARN_UNUSED_RESULT;
/* "For Maria Clara: GSM-7 · 1 segment · …" */
char             *tc_editor_recipient_counter (const char         *recipient,
                                               const char         *final_text) G_GNUC_WARN_UNUSED_RESULT;
/* How the preview names a contact: the first name, else the last name,
 * else the phone number; NULL for NULL. */
char             *tc_editor_recipient_name  (TcContact          *contact) G_GNUC_WARN_UNUSED_RESULT;
/* The note under the preview about links: shortened and counted, or only
 * tagged. */
char             *tc_editor_links_note      (const char         *short_domain) G_GNUC_WARN_UNUSED_RESULT;
/* The opt-out note for @options (NULL when not promotional). */
char             *tc_editor_optout_note     (const TcEditorSmsOptions *options) G_GNUC_WARN_UNUSED_RESULT;

/* Workspace settings (key → value, from tc_settings_get_all_finish()). */
gboolean          tc_editor_settings_get_boolean (GHashTable *settings,
                                                  const char *key,
                                                  gboolean    default_value);
/* The opt-out instructions with the configured "optout.text.<language>"
 * values over the built-in ones (an empty value keeps the built-in). */
TcOptout         *tc_editor_optout_from_settings (GHashTable *settings) G_GNUC_WARN_UNUSED_RESULT;

/* Preferences: checks what the user typed for the short-link domain. Returns
 * FALSE with @message saying what is wrong; TRUE with the host name to store
 * in @domain ("" for none) and, when it differs from what was typed, a
 * @message saying what was changed. */
gboolean          tc_editor_check_short_domain (const char  *input,
                                                char       **domain,
                                                char       **message);
/* Preferences: the HTTP endpoint's port. Returns FALSE with @message when
 * @port is outside 1024–65535. */
gboolean          tc_editor_check_port      (double              port,
                                             char              **message);

/* @text with every replaceable character replaced (the one-click fix). */
char             *tc_editor_replace_non_gsm (const char       *text) G_GNUC_WARN_UNUSED_RESULT;

/**
 * TcEditorPreview:
 * @text: (nullable): the message as this contact gets it (links in their
 *   final form, opt-out included), NULL when the template cannot be rendered
 * @counter: (nullable): the counter line of @text
 * @count: the count of @text (zero when @text is NULL)
 * @warnings: (element-type utf8): one sentence per problem: a variable
 *   empty for this contact, a snippet that does not exist, a mistake in the
 *   template
 * @has_links: the rendered text has links
 * @optout_added: the opt-out text was added to @text
 * @needs_brand: {{brand}} is used but no brand name is set, so the text
 *   shows a placeholder
 */
struct _TcEditorPreview
{
  char       *text;
  char       *counter;
  TcSmsCount  count;
  GPtrArray  *warnings;
  gboolean    has_links;
  gboolean    optout_added;
  gboolean    needs_brand;
};

/* Renders @source (Mustache, no escaping) with @vars (from
 * tc_mustache_vars_new_for_contact()) and @partials (nullable). */
TcEditorPreview  *tc_editor_preview_new     (const char         *source,
                                             JsonNode           *vars,
                                             TcMustachePartials *partials,
                                             gboolean            promotional,
                                             const char         *language) G_GNUC_WARN_UNUSED_RESULT;
TcEditorPreview  *tc_editor_preview_new_full (const char               *source,
                                              JsonNode                 *vars,
                                              TcMustachePartials       *partials,
                                              const TcEditorSmsOptions *options) G_GNUC_WARN_UNUSED_RESULT;
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
