/* tc-editor-logic.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-editor-logic"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tc-editor-logic.h"
#include "tc-optout.h"

/* How many of the characters that force UCS-2 the counter names. */
#define MAX_NAMED_CHARS 3

static const char * const contact_fields[] = {
  "first_name",
  "last_name",
  "phone",
  "email",
  "country",
  "language",
  NULL
};

static const char * const event_fields[] = {
  "event.cart_url",
  "event.order_number",
  "event.items",
  NULL
};

const char * const *
tc_editor_contact_fields (void)
{
  return contact_fields;
}

const char * const *
tc_editor_event_fields (void)
{
  return event_fields;
}

char *
tc_editor_variable_tag (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_strdup_printf ("{{%s}}", name);
}

char *
tc_editor_snippet_tag (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_strdup_printf ("{{> %s}}", name);
}

/* A character as the counter names it: itself in quotes, or its code point
 * when it cannot be seen (a non-breaking space, a zero-width joiner). */
static void
append_char_name (GString    *out,
                  const char *character)
{
  gunichar c = g_utf8_get_char (character);

  if (g_utf8_strlen (character, -1) == 1 &&
      (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
       g_unichar_type (c) == G_UNICODE_CONTROL))
    g_string_append_printf (out, "U+%04X", c);
  else
    g_string_append_printf (out, "“%s”", character);
}

char *
tc_editor_counter_text (const char *final_text)
{
  g_autoptr(TcSmsInfo) info = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  TcSmsCount count;
  guint left;

  g_return_val_if_fail (final_text != NULL, NULL);

  info = tc_sms_inspect (final_text, -1);
  if (info == NULL || !tc_sms_count (final_text, -1, &count))
    return g_strdup (_("The text is not valid UTF-8"));
  left = tc_sms_chars_left (&count);

  if (count.encoding == TC_SMS_ENCODING_GSM7)
    g_string_append (out, "GSM-7");
  else
    {
      guint n = info->non_gsm->len;

      g_string_append (out, "UCS-2");
      if (n > 0)
        {
          /* Translators: followed by the characters that force UCS-2, e.g. “’” */
          g_string_append_printf (out, " %s ", _("because of"));
          for (guint i = 0; i < MIN (n, MAX_NAMED_CHARS); i++)
            {
              if (i > 0)
                g_string_append (out, ", ");
              append_char_name (out, g_ptr_array_index (info->non_gsm, i));
            }
          if (n > MAX_NAMED_CHARS)
            {
              g_string_append_c (out, ' ');
              g_string_append_printf (out,
                                      g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                   n - MAX_NAMED_CHARS),
                                      n - MAX_NAMED_CHARS);
            }
        }
    }

  g_string_append (out, " · ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u segment", "%u segments", count.segments),
                          count.segments);
  g_string_append (out, " · ");
  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u character left in this segment",
                                       "%u characters left in this segment",
                                       left),
                          left);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tc_editor_final_text (const char *text,
                      gboolean    promotional,
                      const char *language)
{
  g_autoptr(TcOptout) optout = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!promotional)
    return g_strdup (text);

  optout = tc_optout_new ();

  return tc_optout_apply (optout, text, language);
}

char *
tc_editor_replace_non_gsm (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return tc_sms_apply_replacements (text, -1, NULL, NULL, NULL);
}

TcEditorSmsState *
tc_editor_sms_state_new (const char *text,
                         gboolean    promotional,
                         const char *language)
{
  TcEditorSmsState *state;
  g_autofree char *final_text = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *replaced_final = NULL;
  g_autoptr(GArray) ranges = NULL;
  TcSmsCount after;

  g_return_val_if_fail (text != NULL, NULL);

  state = g_new0 (TcEditorSmsState, 1);
  state->highlights = g_array_new (FALSE, FALSE, sizeof (TcEditorRange));

  final_text = tc_editor_final_text (text, promotional, language);
  if (!tc_sms_count (final_text, -1, &state->count))
    {
      state->counter = g_strdup (_("The text is not valid UTF-8"));
      return state;
    }
  state->counter = tc_editor_counter_text (final_text);

  if (promotional && strcmp (final_text, text) != 0)
    {
      g_autoptr(TcOptout) optout = tc_optout_new ();

      /* Translators: %s is the opt-out instruction, e.g. “Reply STOP to opt out” */
      state->optout_note = g_strdup_printf (_("“%s” is added"), tc_optout_get_text (optout, language));
    }

  /* Byte ranges to character offsets, walking the text once. */
  ranges = tc_sms_find_non_gsm (text, -1);
  if (ranges != NULL && ranges->len > 0)
    {
      const char *p = text;
      guint offset = 0;

      for (guint i = 0; i < ranges->len; i++)
        {
          const TcSmsRange *r = &g_array_index (ranges, TcSmsRange, i);
          TcEditorRange range;

          while (p < text + r->start)
            {
              p = g_utf8_next_char (p);
              offset++;
            }
          range.start = offset;
          while (p < text + r->end)
            {
              p = g_utf8_next_char (p);
              offset++;
            }
          range.end = offset;
          g_array_append_val (state->highlights, range);
        }
    }

  if (state->count.encoding != TC_SMS_ENCODING_UCS2)
    return state;

  replaced = tc_sms_apply_replacements (text, -1, NULL, NULL, &state->n_replaceable);
  if (replaced == NULL || state->n_replaceable == 0)
    return state;

  replaced_final = tc_editor_final_text (replaced, promotional, language);
  tc_sms_count (replaced_final, -1, &after);

  if (after.segments < state->count.segments)
    {
      guint saved = state->count.segments - after.segments;
      g_autofree char *what = NULL;
      g_autofree char *saves = NULL;

      what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace %u character",
                                           "Replace %u characters", state->n_replaceable),
                              state->n_replaceable);
      saves = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "saves %u segment",
                                            "saves %u segments", saved),
                               saved);
      /* Translators: "Replace 3 characters (saves 1 segment)" */
      state->replace_label = g_strdup_printf (_("%s (%s)"), what, saves);
    }
  else
    state->replace_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace %u character",
                                                         "Replace %u characters",
                                                         state->n_replaceable),
                                            state->n_replaceable);

  return state;
}

void
tc_editor_sms_state_free (TcEditorSmsState *state)
{
  if (state == NULL)
    return;

  g_free (state->counter);
  g_clear_pointer (&state->highlights, g_array_unref);
  g_free (state->replace_label);
  g_free (state->optout_note);
  g_free (state);
}

char *
tc_editor_missing_warning (const char *missing)
{
  const char *fallback;

  g_return_val_if_fail (missing != NULL, NULL);

  if (missing[0] == '>')
    return g_strdup_printf (_("There is no snippet called “%s”: create it under Snippets"),
                            missing + 1);

  /* A word that reads well after "Hi" for names, a neutral one otherwise. */
  if (strcmp (missing, "first_name") == 0 || strcmp (missing, "last_name") == 0)
    fallback = _("there");
  else
    fallback = _("default");

  /* Translators: the first %s is a variable name, then an example of a
   * fallback such as {{first_name|there}} */
  return g_strdup_printf (_("%s is empty for this contact: add a fallback like {{%s|%s}}"),
                          missing, missing, fallback);
}

TcEditorPreview *
tc_editor_preview_new (const char         *source,
                       JsonNode           *vars,
                       TcMustachePartials *partials,
                       gboolean            promotional,
                       const char         *language)
{
  TcEditorPreview *preview;
  g_autoptr(TcMustacheTemplate) template = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  preview = g_new0 (TcEditorPreview, 1);
  preview->warnings = g_ptr_array_new_with_free_func (g_free);

  template = tc_mustache_parse (source, -1, &error);
  if (template == NULL)
    {
      g_ptr_array_add (preview->warnings,
                       g_strdup_printf (_("The template has a mistake: %s"), error->message));
      return preview;
    }

  missing = g_ptr_array_new_with_free_func (g_free);
  rendered = tc_mustache_render (template, vars, partials, TC_MUSTACHE_ESCAPE_NONE, missing, &error);
  if (rendered == NULL)
    {
      g_ptr_array_add (preview->warnings,
                       g_strdup_printf (_("The template cannot be filled in: %s"), error->message));
      return preview;
    }

  for (guint i = 0; i < missing->len; i++)
    {
      const char *name = g_ptr_array_index (missing, i);
      gboolean seen = FALSE;

      /* One sentence per variable, however often it is used. */
      for (guint j = 0; j < i && !seen; j++)
        seen = strcmp (g_ptr_array_index (missing, j), name) == 0;
      if (!seen)
        g_ptr_array_add (preview->warnings, tc_editor_missing_warning (name));
    }

  preview->text = tc_editor_final_text (rendered, promotional, language);
  preview->counter = tc_editor_counter_text (preview->text);

  return preview;
}

void
tc_editor_preview_free (TcEditorPreview *preview)
{
  if (preview == NULL)
    return;

  g_free (preview->text);
  g_free (preview->counter);
  g_clear_pointer (&preview->warnings, g_ptr_array_unref);
  g_free (preview);
}

/* Finds every {{n}} of @text (n a positive whole number, no spaces: Meta
 * allows none) and returns the highest n; with @out, also copies @text
 * there with each {{n}} replaced by its example. */
static guint
scan_params (const char *text,
             GString    *out,
             const char * const *examples)
{
  const char *p = text;
  guint highest = 0;

  while (*p != '\0')
    {
      const char *q;
      guint64 n = 0;

      if (p[0] != '{' || p[1] != '{')
        {
          if (out != NULL)
            g_string_append_c (out, *p);
          p++;
          continue;
        }

      q = p + 2;
      while (g_ascii_isdigit (*q) && n < G_MAXUINT)
        n = n * 10 + (guint64) (*q++ - '0');
      if (q == p + 2 || q[0] != '}' || q[1] != '}' || n == 0 || n > G_MAXUINT)
        {
          if (out != NULL)
            g_string_append_c (out, *p);
          p++;
          continue;
        }

      highest = MAX (highest, (guint) n);
      if (out != NULL)
        {
          const char *example = NULL;

          if (examples != NULL)
            {
              guint len = g_strv_length ((char **) examples);

              if (n <= len)
                example = examples[n - 1];
            }
          if (example != NULL && example[0] != '\0')
            g_string_append (out, example);
          else
            g_string_append_len (out, p, q + 2 - p);
        }
      p = q + 2;
    }

  return highest;
}

char *
tc_editor_wa_fill_examples (const char         *text,
                            const char * const *examples)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (NULL);
  scan_params (text, out, examples);

  return g_string_free (out, FALSE);
}

guint
tc_editor_wa_count_params (const char *text)
{
  g_return_val_if_fail (text != NULL, 0);

  return scan_params (text, NULL, NULL);
}

gboolean
tc_editor_write_state (const char  *path,
                       const char  *text,
                       GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return g_file_set_contents (path, text, -1, error);
}
