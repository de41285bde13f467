/* tc-optout.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The opt-out instruction of promotional SMS. Every default uses the
 * keyword STOP, the one that carriers and providers (Twilio among them)
 * handle in every country. Some countries want more: France asks for
 * "STOP au 36xxx" with the operator's short number. That is what
 * tc_optout_set_text() is for; the defaults stay simple.
 */

#define G_LOG_DOMAIN "tc-optout"

#include "config.h"

#include <string.h>

#include "tc-optout.h"

struct _TcOptout
{
  /* Normalized language ("pt_br", "fr") → text. */
  GHashTable *texts;
};

G_DEFINE_BOXED_TYPE (TcOptout, tc_optout, tc_optout_copy, tc_optout_free)

static const struct
{
  const char *language;
  const char *text;
} default_texts[] = {
  { "de", "Antworte STOP zum Abmelden" },
  { "en", "Reply STOP to opt out" },
  { "es", "Responde STOP para darte de baja" },
  { "fr", "Répondez STOP pour vous désabonner" },
  { "it", "Rispondi STOP per annullare l'iscrizione" },
  { "nl", "Antwoord STOP om je af te melden" },
  /* Not "cancelar a inscrição": ç and ã are outside GSM-7 and would make
   * every promotional text to a Portuguese speaker UCS-2 (70 characters a
   * segment instead of 160). Every default here must stay GSM-7. */
  { "pt", "Responda STOP para cancelar" },
};

/* Phrases that say how to opt out, matched case-insensitively on the text
 * folded to ASCII ("Répondez" → "repondez"). They need the keyword next
 * to a verb ("reply stop", "stop au 36…") or a word that only means
 * unsubscribing, so "Don't stop shopping" is not taken for an instruction. */
static const char optout_pattern[] =
  "\\b(reply|text|send|txt|respond|repondez|repondre|envoyez|envoyer|tapez"
  "|responde|responda|responder|envia|envie|escribe|antworte|antworten"
  "|sende|senden|schreibe|rispondi|risponda|invia|invii|scrivi"
  "|antwoord|stuur|sms)(\\s+(with|par|avec|con|mit|com|met|sie))?\\s+[\"']?"
  "(stop|stopall|end|quit|cancel|unsubscribe|arret|baja|sair|parar|fine)\\b"
  "|\\bstop\\s+(to|au|al|a|an|para|per|om|naar|zum|pour)\\b"
  "|\\bopt[ -]?out\\b|\\bunsubscribe\\b"
  "|desabonn|desinscri|dar(te|se)? de baja|abmeld|abbestell|disiscri"
  "|annullare l.iscrizione|descadastr|cancelar a inscri|afmeld|af te melden"
  "|uitschrijv";

static char *
normalize_language (const char *language)
{
  char *norm = g_ascii_strdown (language, -1);

  g_strdelimit (norm, "-", '_');
  return norm;
}

/**
 * tc_optout_new:
 *
 * Returns: (transfer full): texts holding the built-in defaults
 */
TcOptout *
tc_optout_new (void)
{
  TcOptout *self = g_new0 (TcOptout, 1);

  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (default_texts); i++)
    g_hash_table_insert (self->texts,
                         g_strdup (default_texts[i].language),
                         g_strdup (default_texts[i].text));

  return self;
}

/**
 * tc_optout_copy:
 * @self: a #TcOptout
 *
 * Returns: (transfer full): a deep copy
 */
TcOptout *
tc_optout_copy (const TcOptout *self)
{
  TcOptout *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TcOptout, 1);
  copy->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, self->texts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->texts, g_strdup (key), g_strdup (value));

  return copy;
}

void
tc_optout_free (TcOptout *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->texts);
  g_free (self);
}

/**
 * tc_optout_set_text:
 * @self: a #TcOptout
 * @language: a language or locale ("fr", "pt_BR", "pt-BR")
 * @text: (nullable): the instruction, or %NULL to remove the entry
 *
 * Sets the instruction for @language. An entry for a locale ("pt_BR")
 * wins over the one of its language ("pt").
 */
void
tc_optout_set_text (TcOptout   *self,
                    const char *language,
                    const char *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (language != NULL && language[0] != '\0');

  if (text == NULL)
    {
      g_autofree char *norm = normalize_language (language);

      g_hash_table_remove (self->texts, norm);
      return;
    }

  g_hash_table_insert (self->texts, normalize_language (language), g_strdup (text));
}

/**
 * tc_optout_get_text:
 * @self: a #TcOptout
 * @language: (nullable): a language or locale
 *
 * Looks up @language, then its language part ("pt" for "pt_BR"), then
 * English.
 *
 * Returns: (transfer none) (nullable): the instruction, %NULL only if even
 *   English was removed
 */
const char *
tc_optout_get_text (const TcOptout *self,
                    const char     *language)
{
  g_autofree char *norm = NULL;
  const char *text;

  g_return_val_if_fail (self != NULL, NULL);

  if (language != NULL && language[0] != '\0')
    {
      char *sep;

      norm = normalize_language (language);
      text = g_hash_table_lookup (self->texts, norm);
      if (text != NULL)
        return text;

      sep = strchr (norm, '_');
      if (sep != NULL)
        {
          *sep = '\0';
          text = g_hash_table_lookup (self->texts, norm);
          if (text != NULL)
            return text;
        }
    }

  return g_hash_table_lookup (self->texts, "en");
}

/**
 * tc_optout_default_text:
 * @language: a language ("fr") or locale ("fr_CA")
 *
 * Returns: (nullable): the built-in instruction, or %NULL for a language
 *   without one
 */
const char *
tc_optout_default_text (const char *language)
{
  g_autofree char *norm = NULL;
  char *sep;

  g_return_val_if_fail (language != NULL, NULL);

  norm = normalize_language (language);
  sep = strchr (norm, '_');
  if (sep != NULL)
    *sep = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (default_texts); i++)
    if (strcmp (default_texts[i].language, norm) == 0)
      return default_texts[i].text;

  return NULL;
}

static GRegex *
get_optout_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new (optout_pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                               0, NULL);

      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }

  return regex;
}

static GRegex *
get_keyword_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new ("(?<![A-Za-z])(STOP|STOPP|STOPALL|ARRET|ARRÊT)(?![A-Za-z])",
                               G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }

  return regex;
}

/**
 * tc_optout_has_instruction:
 * @text: a message
 *
 * Whether @text already tells how to opt out: an opt-out phrase in one of
 * the supported languages (any case, with or without accents), or the
 * keyword written in capitals as instructions do ("STOP 36179").
 *
 * Returns: %TRUE if it does
 */
gboolean
tc_optout_has_instruction (const char *text)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (g_regex_match (get_keyword_regex (), text, 0, NULL))
    return TRUE;

  folded = g_str_to_ascii (text, "C");
  return g_regex_match (get_optout_regex (), folded, 0, NULL);
}

/**
 * tc_optout_apply:
 * @self: a #TcOptout
 * @text: a promotional message
 * @language: (nullable): the recipient's language
 *
 * Appends the opt-out instruction on a new line unless @text already has
 * one (tc_optout_has_instruction()). Whether it is needed at all is
 * tc_optout_required()'s business.
 *
 * Returns: (transfer full): the final text
 */
char *
tc_optout_apply (const TcOptout *self,
                 const char     *text,
                 const char     *language)
{
  const char *instruction;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  instruction = tc_optout_get_text (self, language);
  if (instruction == NULL || tc_optout_has_instruction (text))
    return g_strdup (text);

  len = strlen (text);
  if (len == 0 || text[len - 1] == '\n')
    return g_strconcat (text, instruction, NULL);

  return g_strconcat (text, "\n", instruction, NULL);
}

/**
 * tc_optout_required:
 * @purpose: what the message is for
 * @is_first_message_to_contact: whether this contact never got a message
 *   from this sender before
 * @setting_every_message: the "opt-out text in every promotional message"
 *   setting (on by default)
 *
 * Promotional messages carry the instruction in the first message to a
 * contact, always, and in every message when the setting is on.
 * Transactional messages never need it.
 *
 * Returns: %TRUE if the instruction must be appended
 */
gboolean
tc_optout_required (TcPurpose purpose,
                    gboolean  is_first_message_to_contact,
                    gboolean  setting_every_message)
{
  if (purpose != TC_PURPOSE_PROMOTIONAL)
    return FALSE;

  return is_first_message_to_contact || setting_every_message;
}
