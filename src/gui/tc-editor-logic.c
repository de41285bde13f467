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
#include "tc-links.h"
#include "tc-optout.h"
#include "tc-settings.h"

/* How many of the characters that force UCS-2 the counter names. */
#define MAX_NAMED_CHARS 3

/* What {{brand}} shows while no brand name is set. */
#define BRAND_PLACEHOLDER _("Your Brand")

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

/* Links as they are sent: UTM-tagged, then shortened when a domain is set. */
static char *
final_links (const char               *text,
             const TcEditorSmsOptions *options)
{
  g_autofree char *slug = NULL;
  g_autofree char *tagged = NULL;
  TcUtmParams utm = { 0 };

  utm.source = tc_links_default_source (TC_CHANNEL_SMS);
  utm.medium = tc_links_default_medium (TC_CHANNEL_SMS);
  if (options->campaign != NULL)
    {
      slug = tc_links_slugify (options->campaign);
      utm.campaign = slug;
    }
  tagged = tc_links_tag_text (text, &utm);

  return tc_links_preview_text (tagged, options->short_domain);
}

static char *
apply_optout (const char               *text,
              const TcEditorSmsOptions *options)
{
  g_autoptr(TcOptout) builtin = NULL;

  if (!options->promotional)
    return g_strdup (text);

  if (options->optout != NULL)
    return tc_optout_apply (options->optout, text, options->language);

  builtin = tc_optout_new ();
  return tc_optout_apply (builtin, text, options->language);
}

char *
tc_editor_final_text_full (const char               *text,
                           const TcEditorSmsOptions *options)
{
  g_autofree char *linked = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  linked = final_links (text, options);

  return apply_optout (linked, options);
}

char *
tc_editor_final_text (const char *text,
                      gboolean    promotional,
                      const char *language)
{
  TcEditorSmsOptions options = { 0 };

  g_return_val_if_fail (text != NULL, NULL);

  options.promotional = promotional;
  options.language = language;
  options.optout_every_message = TRUE;

  return tc_editor_final_text_full (text, &options);
}

char *
tc_editor_optout_note (const TcEditorSmsOptions *options)
{
  g_autoptr(TcOptout) builtin = NULL;
  const char *instruction;

  g_return_val_if_fail (options != NULL, NULL);

  if (!options->promotional)
    return NULL;

  if (options->optout != NULL)
    instruction = tc_optout_get_text (options->optout, options->language);
  else
    {
      builtin = tc_optout_new ();
      instruction = tc_optout_get_text (builtin, options->language);
    }
  if (instruction == NULL)
    return NULL;

  if (options->optout_every_message)
    /* Translators: %s is the opt-out instruction, e.g. “Reply STOP to opt out” */
    return g_strdup_printf (_("“%s” is added"), instruction);

  /* The count includes it: the first message to a contact always has it. */
  /* Translators: %s is the opt-out instruction, e.g. “Reply STOP to opt out” */
  return g_strdup_printf (_("“%s” is added to the first message to each contact, and counted here"),
                          instruction);
}

char *
tc_editor_recipient_counter (const char *recipient,
                             const char *final_text)
{
  g_autofree char *counter = NULL;

  g_return_val_if_fail (final_text != NULL, NULL);

  counter = tc_editor_counter_text (final_text);
  if (recipient == NULL || recipient[0] == '\0')
    /* Translators: %s is the counter, "GSM-7 · 1 segment · …" */
    return g_strdup_printf (_("For a contact without details: %s"), counter);

  /* Translators: "For Maria Clara: GSM-7 · 1 segment · …" */
  return g_strdup_printf (_("For %s: %s"), recipient, counter);
}

char *
tc_editor_recipient_name (TcContact *contact)
{
  const char *name;

  if (contact == NULL)
    return NULL;

  name = tc_contact_get_first_name (contact);
  if (name == NULL || name[0] == '\0')
    name = tc_contact_get_last_name (contact);
  if (name == NULL || name[0] == '\0')
    name = tc_contact_get_phone (contact);

  return g_strdup (name);
}

char *
tc_editor_links_note (const char *short_domain)
{
  if (short_domain == NULL || short_domain[0] == '\0')
    return g_strdup (_("Links get UTM tags; clicks are not tracked (no short-link domain set)"));

  /* Translators: %s is the short-link domain, e.g. go.shop.example */
  return g_strdup_printf (_("Links are shortened to %s/… and clicks are counted"), short_domain);
}

gboolean
tc_editor_settings_get_boolean (GHashTable *settings,
                                const char *key,
                                gboolean    default_value)
{
  const char *value;

  g_return_val_if_fail (key != NULL, default_value);

  if (settings == NULL)
    return default_value;

  value = g_hash_table_lookup (settings, key);
  if (value == NULL)
    return default_value;
  if (g_ascii_strcasecmp (value, "true") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (value, "false") == 0)
    return FALSE;

  return default_value;
}

TcOptout *
tc_editor_optout_from_settings (GHashTable *settings)
{
  TcOptout *optout = tc_optout_new ();
  GHashTableIter iter;
  gpointer key, value;
  gsize prefix_len = strlen (TC_SETTING_OPTOUT_TEXT_PREFIX);

  if (settings == NULL)
    return optout;

  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *language;
      g_autofree char *text = NULL;

      if (!g_str_has_prefix (key, TC_SETTING_OPTOUT_TEXT_PREFIX) || value == NULL)
        continue;
      language = (const char *) key + prefix_len;
      text = g_strstrip (g_strdup (value));
      if (language[0] == '\0' || text[0] == '\0')
        continue;
      tc_optout_set_text (optout, language, text);
    }

  return optout;
}

static gboolean
is_host_label (const char *label,
               gsize       len)
{
  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;

  return TRUE;
}

gboolean
tc_editor_check_short_domain (const char  *input,
                              char       **domain,
                              char       **message)
{
  g_autofree char *text = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  char *host;
  char *end;
  const char *p;
  gboolean trimmed = FALSE;
  guint n_labels = 0;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (domain != NULL && *domain == NULL, FALSE);
  g_return_val_if_fail (message != NULL && *message == NULL, FALSE);

  text = g_strstrip (g_strdup (input));
  if (text[0] == '\0')
    {
      *domain = g_strdup ("");
      return TRUE;
    }

  /* "https://go.shop.example/abc?x#y" → "go.shop.example": people paste
   * a whole link, and Textcast adds the scheme and the code itself. */
  host = strstr (text, "://");
  if (host != NULL)
    {
      host += 3;
      trimmed = TRUE;
    }
  else
    host = text;
  end = strpbrk (host, "/?#");
  if (end != NULL)
    {
      *end = '\0';
      trimmed = TRUE;
    }

  if (host[0] == '\0')
    {
      *message = g_strdup (_("Enter a host name such as go.shop.example"));
      return FALSE;
    }
  if (strchr (host, '@') != NULL)
    {
      *message = g_strdup (_("Enter only a host name such as go.shop.example, without a user name"));
      return FALSE;
    }
  if (strchr (host, ':') != NULL)
    {
      *message = g_strdup (_("Leave out the port: short links use the standard port of https://"));
      return FALSE;
    }
  if (strpbrk (host, " \t") != NULL)
    {
      *message = g_strdup (_("A host name has no spaces, like go.shop.example"));
      return FALSE;
    }
  if (g_hostname_is_ip_address (host))
    {
      *message = g_strdup (_("Use a host name such as go.shop.example: phones and carriers distrust links to bare IP addresses"));
      return FALSE;
    }

  /* A trailing dot (the DNS root) is not part of what people read. */
  if (g_str_has_suffix (host, ".") && strlen (host) > 1)
    host[strlen (host) - 1] = '\0';

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    {
      /* Translators: %s is what the user typed */
      *message = g_strdup_printf (_("“%s” is not a host name: use letters, digits, hyphens and dots, like go.shop.example"),
                                  host);
      return FALSE;
    }
  lower = g_ascii_strdown (ascii, -1);

  p = lower;
  while (TRUE)
    {
      const char *dot = strchr (p, '.');
      gsize len = dot != NULL ? (gsize) (dot - p) : strlen (p);

      if (!is_host_label (p, len))
        {
          *message = g_strdup_printf (_("“%s” is not a host name: use letters, digits, hyphens and dots, like go.shop.example"),
                                      host);
          return FALSE;
        }
      n_labels++;
      if (dot == NULL)
        break;
      p = dot + 1;
    }
  if (strlen (lower) > 253)
    {
      *message = g_strdup (_("The host name is too long: at most 253 characters"));
      return FALSE;
    }
  if (n_labels < 2)
    {
      *message = g_strdup (_("Use a full host name with a dot, like go.shop.example"));
      return FALSE;
    }

  if (g_hostname_is_non_ascii (host))
    /* Translators: %s is a host name in its ASCII form, xn--… */
    *message = g_strdup_printf (_("Saved as “%s”, the form that keeps the SMS in GSM-7."), lower);
  else if (trimmed)
    /* Translators: %s is a host name, e.g. go.shop.example */
    *message = g_strdup_printf (_("Only the host name “%s” is kept: Textcast adds https:// and the link code itself."),
                                lower);

  *domain = g_steal_pointer (&lower);

  return TRUE;
}

gboolean
tc_editor_check_port (double   port,
                      char   **message)
{
  g_return_val_if_fail (message != NULL && *message == NULL, FALSE);

  if (port >= 1024 && port <= 65535 && port == (double) (guint) port)
    return TRUE;

  *message = g_strdup (_("Use a port from 1024 to 65535: lower ones need administrator rights"));

  return FALSE;
}

char *
tc_editor_replace_non_gsm (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return tc_sms_apply_replacements (text, -1, NULL, NULL, NULL);
}

/* Byte ranges of the characters that force UCS-2 to character offsets,
 * walking the text once. */
static void
fill_highlights (TcEditorSmsState *state,
                 const char       *text)
{
  g_autoptr(GArray) ranges = tc_sms_find_non_gsm (text, -1);
  const char *p = text;
  guint offset = 0;

  if (ranges == NULL)
    return;

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

static void
set_replace_label (TcEditorSmsState *state,
                   guint             segments_after)
{
  g_autofree char *what = NULL;
  g_autofree char *saves = NULL;
  guint saved;

  what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace %u character",
                                       "Replace %u characters", state->n_replaceable),
                          state->n_replaceable);
  if (segments_after >= state->count.segments)
    {
      state->replace_label = g_steal_pointer (&what);
      return;
    }

  saved = state->count.segments - segments_after;
  saves = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "saves %u segment",
                                        "saves %u segments", saved),
                           saved);
  /* Translators: "Replace 3 characters (saves 1 segment)" */
  state->replace_label = g_strdup_printf (_("%s (%s)"), what, saves);
}

TcEditorSmsState *
tc_editor_sms_state_new (const char *text,
                         gboolean    promotional,
                         const char *language)
{
  TcEditorSmsState *state;
  TcEditorSmsOptions options = { 0 };
  g_autofree char *final_text = NULL;
  g_autofree char *without_optout = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *replaced_final = NULL;
  TcSmsCount after;

  g_return_val_if_fail (text != NULL, NULL);

  options.promotional = promotional;
  options.language = language;
  options.optout_every_message = TRUE;

  state = g_new0 (TcEditorSmsState, 1);
  state->highlights = g_array_new (FALSE, FALSE, sizeof (TcEditorRange));

  final_text = tc_editor_final_text_full (text, &options);
  if (!tc_sms_count (final_text, -1, &state->count))
    {
      state->counter = g_strdup (_("The text is not valid UTF-8"));
      return state;
    }
  state->counter = tc_editor_counter_text (final_text);

  without_optout = final_links (text, &options);
  if (strcmp (final_text, without_optout) != 0)
    state->optout_note = tc_editor_optout_note (&options);

  fill_highlights (state, text);

  if (state->count.encoding != TC_SMS_ENCODING_UCS2)
    return state;

  replaced = tc_sms_apply_replacements (text, -1, NULL, NULL, &state->n_replaceable);
  if (replaced == NULL || state->n_replaceable == 0)
    return state;

  replaced_final = tc_editor_final_text_full (replaced, &options);
  tc_sms_count (replaced_final, -1, &after);
  set_replace_label (state, after.segments);

  return state;
}

TcEditorSmsState *
tc_editor_sms_state_new_full (const char               *source,
                              JsonNode                 *vars,
                              TcMustachePartials       *partials,
                              const char               *recipient,
                              const TcEditorSmsOptions *options)
{
  TcEditorSmsState *state;
  g_autofree char *replaced = NULL;
  guint segments_after;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  state = g_new0 (TcEditorSmsState, 1);
  state->highlights = g_array_new (FALSE, FALSE, sizeof (TcEditorRange));

  if (!g_utf8_validate (source, -1, NULL))
    {
      state->counter = g_strdup (_("The text is not valid UTF-8"));
      return state;
    }

  state->preview = tc_editor_preview_new_full (source, vars, partials, options);
  if (state->preview->text != NULL)
    {
      state->count = state->preview->count;
      state->counter = tc_editor_recipient_counter (recipient, state->preview->text);
    }
  else
    {
      /* A template with a mistake cannot be filled in: count what was
       * typed, and say so. */
      g_autofree char *final_text = tc_editor_final_text_full (source, options);
      g_autofree char *counter = tc_editor_counter_text (final_text);

      tc_sms_count (final_text, -1, &state->count);
      /* Translators: %s is the counter, "GSM-7 · 1 segment · …" */
      state->counter = g_strdup_printf (_("As typed: %s"), counter);
    }

  if (state->preview->text != NULL ? state->preview->optout_added
                                    : options->promotional && !tc_optout_has_instruction (source))
    state->optout_note = tc_editor_optout_note (options);

  fill_highlights (state, source);
  if (state->highlights->len == 0)
    return state;

  replaced = tc_sms_apply_replacements (source, -1, NULL, NULL, &state->n_replaceable);
  if (replaced == NULL || state->n_replaceable == 0)
    return state;

  {
    g_autoptr(TcEditorPreview) after = tc_editor_preview_new_full (replaced, vars, partials, options);

    if (after->text != NULL)
      segments_after = after->count.segments;
    else
      {
        g_autofree char *final_text = tc_editor_final_text_full (replaced, options);
        TcSmsCount count;

        tc_sms_count (final_text, -1, &count);
        segments_after = count.segments;
      }
  }
  set_replace_label (state, segments_after);

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
  g_clear_pointer (&state->preview, tc_editor_preview_free);
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

static void
add_missing_warnings (TcEditorPreview *preview,
                      GPtrArray       *missing)
{
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
}

static gboolean
contains_string (GPtrArray  *array,
                 const char *str)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), str) == 0)
      return TRUE;

  return FALSE;
}

TcEditorPreview *
tc_editor_preview_new_full (const char               *source,
                            JsonNode                 *vars,
                            TcMustachePartials       *partials,
                            const TcEditorSmsOptions *options)
{
  TcEditorPreview *preview;
  g_autoptr(TcMustacheTemplate) template = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GArray) links = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *linked = NULL;
  JsonObject *object;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (vars == NULL || JSON_NODE_HOLDS_OBJECT (vars), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  preview = g_new0 (TcEditorPreview, 1);
  preview->warnings = g_ptr_array_new_with_free_func (g_free);

  template = tc_mustache_parse (source, -1, &error);
  if (template == NULL)
    {
      g_ptr_array_add (preview->warnings,
                       g_strdup_printf (_("The template has a mistake: %s"), error->message));
      return preview;
    }

  /* A new top-level object, so that setting "brand" leaves the caller's
   * alone (json_node_copy() would share the object). */
  object = json_object_new ();
  if (vars != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (vars));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (object, name, json_node_copy (member));
    }
  data = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  if (options->brand != NULL && options->brand[0] != '\0')
    json_object_set_string_member (object, "brand", options->brand);

  missing = g_ptr_array_new_with_free_func (g_free);
  rendered = tc_mustache_render (template, data, partials, TC_MUSTACHE_ESCAPE_NONE, missing, &error);
  if (rendered != NULL && contains_string (missing, "brand"))
    {
      /* {{brand}} is used and no brand name is set: a placeholder shows
       * where it goes, and the editor says where to set it. */
      preview->needs_brand = TRUE;
      json_object_set_string_member (object, "brand", BRAND_PLACEHOLDER);
      g_ptr_array_set_size (missing, 0);
      g_clear_pointer (&rendered, g_free);
      rendered = tc_mustache_render (template, data, partials, TC_MUSTACHE_ESCAPE_NONE, missing, &error);
    }
  if (rendered == NULL)
    {
      g_ptr_array_add (preview->warnings,
                       g_strdup_printf (_("The template cannot be filled in: %s"), error->message));
      return preview;
    }

  add_missing_warnings (preview, missing);

  links = tc_links_find (rendered);
  preview->has_links = links->len > 0;

  linked = final_links (rendered, options);
  preview->text = apply_optout (linked, options);
  preview->optout_added = strcmp (preview->text, linked) != 0;
  preview->counter = tc_editor_counter_text (preview->text);
  tc_sms_count (preview->text, -1, &preview->count);

  return preview;
}

TcEditorPreview *
tc_editor_preview_new (const char         *source,
                       JsonNode           *vars,
                       TcMustachePartials *partials,
                       gboolean            promotional,
                       const char         *language)
{
  TcEditorSmsOptions options = { 0 };

  g_return_val_if_fail (source != NULL, NULL);

  options.promotional = promotional;
  options.language = language;
  options.optout_every_message = TRUE;

  return tc_editor_preview_new_full (source, vars, partials, &options);
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
