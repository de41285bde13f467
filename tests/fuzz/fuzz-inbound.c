/* fuzz-inbound.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for inbound-message classification (tc-keywords.c):
 * outside bytes are classified with the built-in keywords and with a set
 * extended by settings (custom keywords, extra words), and the result must
 * be consistent: a known action, a keyword exactly when one matched, a
 * reply only for a custom keyword, and the same answer with the text
 * NUL-terminated, with whitespace and punctuation around it, and (for
 * ASCII) in upper case.
 */

#define G_LOG_DOMAIN "fuzz-inbound"

#include "config.h"

#include <string.h>

#include "tc-keywords.h"
#include "tc-settings.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_match (const TcKeywordMatch *match)
{
  g_assert (match->action <= TC_INBOUND_ACTION_MESSAGE);

  switch (match->action)
    {
    case TC_INBOUND_ACTION_OPT_OUT:
      g_assert (match->all_purposes);
      g_assert (match->keyword != NULL || match->needs_review);
      g_assert (match->reply == NULL);
      break;
    case TC_INBOUND_ACTION_OPT_IN:
      g_assert (match->all_purposes);
      g_assert (match->keyword != NULL);
      g_assert (match->reply == NULL);
      break;
    case TC_INBOUND_ACTION_HELP:
      g_assert (!match->all_purposes);
      g_assert (match->keyword != NULL);
      g_assert (match->reply == NULL);
      break;
    case TC_INBOUND_ACTION_KEYWORD:
      g_assert (!match->all_purposes);
      g_assert (match->keyword != NULL);
      break;
    case TC_INBOUND_ACTION_MESSAGE:
    default:
      g_assert (match->keyword == NULL);
      g_assert (match->language == NULL);
      g_assert (match->reply == NULL);
      break;
    }

  if (match->keyword != NULL)
    g_assert (g_utf8_validate (match->keyword, -1, NULL) && match->keyword[0] != '\0');
  if (match->action != TC_INBOUND_ACTION_KEYWORD)
    g_assert (!match->unsubscribes);
}

static void
assert_same (const TcKeywordMatch *a,
             const TcKeywordMatch *b)
{
  g_assert (a->action == b->action);
  g_assert (g_strcmp0 (a->keyword, b->keyword) == 0);
  g_assert (g_strcmp0 (a->language, b->language) == 0);
  g_assert (a->needs_review == b->needs_review);
  g_assert (a->all_purposes == b->all_purposes);
  g_assert (a->unsubscribes == b->unsubscribes);
  g_assert (g_strcmp0 (a->reply, b->reply) == 0);
}

static TcKeywords *
extended_keywords (void)
{
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  TcKeywords *keywords;
  GError *error = NULL;

  g_hash_table_insert (settings, (char *) TC_SETTING_KEYWORDS_CUSTOM,
                       (char *) "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\","
                                "\"action\":\"subscribe\",\"reply\":\"Deals on!\"},"
                                "{\"keyword\":\"no deals\",\"purpose\":\"promotional\","
                                "\"action\":\"unsubscribe\"},"
                                "{\"keyword\":\"STATUS\",\"purpose\":\"transactional\","
                                "\"action\":\"subscribe\"}]");
  g_hash_table_insert (settings, (char *) TC_SETTING_KEYWORDS_OPTOUT_PREFIX "pl",
                       (char *) "NIE, wypisz mnie");
  g_hash_table_insert (settings, (char *) TC_SETTING_KEYWORDS_OPTIN_PREFIX "en", (char *) "Y");
  keywords = tc_keywords_new_from_settings (settings, &error);
  g_assert_no_error (error);

  return keywords;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static TcKeywords *defaults = NULL;
  static TcKeywords *extended = NULL;
  const char *text = (const char *) data;
  TcKeywordMatch match, other;

  if (defaults == NULL)
    {
      defaults = tc_keywords_new_default ();
      extended = extended_keywords ();
    }

  tc_keywords_classify (defaults, text, size, &match);
  check_match (&match);

  tc_keywords_classify (extended, text, size, &other);
  check_match (&other);
  /* Extra words only add: a built-in keyword that matched still matches.
   * (A sentence may become a custom keyword: "no deals" is one here.) */
  if (match.keyword != NULL)
    assert_same (&match, &other);

  if (!g_utf8_validate_len (text, size, NULL))
    {
      g_assert (match.action == TC_INBOUND_ACTION_MESSAGE && match.needs_review);
      return 0;
    }

  /* NUL-terminated, and dressed in whitespace and punctuation. */
  {
    g_autofree char *copy = g_strndup (text, size);
    g_autofree char *dressed = g_strconcat (" \t\"", copy, "\" !!? \n", NULL);

    tc_keywords_classify (defaults, copy, -1, &other);
    assert_same (&match, &other);
    tc_keywords_classify (defaults, dressed, -1, &other);
    assert_same (&match, &other);
  }

  /* Case does not matter (checked on ASCII, where upper-casing cannot
   * change the letters themselves). */
  {
    gboolean ascii = TRUE;

    for (size_t i = 0; i < size && ascii; i++)
      ascii = data[i] < 0x80;
    if (ascii)
      {
        g_autofree char *upper = g_ascii_strup (text, size);

        tc_keywords_classify (defaults, upper, size, &other);
        assert_same (&match, &other);
      }
  }

  return 0;
}
