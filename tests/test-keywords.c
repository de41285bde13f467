/* test-keywords.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inbound message classification (tc-keywords.c) across languages and
 * phrasings, including what must not be read as an opt-out; keywords from
 * the settings and their errors; and the built-in compliance texts
 * (tc-compliance-texts.c): one GSM-7 segment each, with what the law asks
 * them to say.
 */

#define G_LOG_DOMAIN "test-keywords"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-keywords.h"
#include "tc-mustache.h"
#include "tc-settings.h"
#include "tc-sms.h"

#define OUT  TC_INBOUND_ACTION_OPT_OUT
#define IN   TC_INBOUND_ACTION_OPT_IN
#define HELP TC_INBOUND_ACTION_HELP
#define MSG  TC_INBOUND_ACTION_MESSAGE

typedef struct
{
  const char      *text;
  TcInboundAction  action;
  const char      *keyword;  /* expected canonical keyword; NULL: none */
  gboolean         review;
  const char      *language; /* checked when not NULL */
} Row;

static const Row rows[] = {
  /* The standard English words, whole message, any case, any dress. */
  { "STOP", OUT, "STOP", FALSE, "en" },
  { "stop", OUT, "STOP", FALSE, "en" },
  { "Stop!!", OUT, "STOP", FALSE, "en" },
  { " stop. ", OUT, "STOP", FALSE, "en" },
  { "STOP 🙏", OUT, "STOP", FALSE, "en" },
  { "🛑STOP🛑", OUT, "STOP", FALSE, "en" },
  { "\"Stop\"", OUT, "STOP", FALSE, "en" },
  { "\tSTOP\r\n", OUT, "STOP", FALSE, "en" },
  { "ＳＴＯＰ", OUT, "STOP", FALSE, "en" },          /* full-width letters */
  { "S\u200BTOP", OUT, "STOP", FALSE, "en" },        /* a zero-width space inside */
  { "StopAll", OUT, "STOPALL", FALSE, "en" },
  { "stop all", OUT, "STOP ALL", FALSE, "en" },
  { "Unsubscribe", OUT, "UNSUBSCRIBE", FALSE, "en" },
  { "unsubscribe me", OUT, "UNSUBSCRIBE ME", FALSE, "en" },
  { "CANCEL", OUT, "CANCEL", FALSE, "en" },
  { "end", OUT, "END", FALSE, "en" },
  { "Quit.", OUT, "QUIT", FALSE, "en" },
  { "REVOKE", OUT, "REVOKE", FALSE, "en" },
  { "optout", OUT, "OPTOUT", FALSE, "en" },
  { "opt out", OUT, "OPT OUT", FALSE, "en" },
  { "OPT-OUT", OUT, "OPT OUT", FALSE, "en" },
  { "Opt_Out", OUT, "OPT OUT", FALSE, "en" },
  { "STOP STOP STOP", OUT, "STOP", FALSE, "en" },
  { "START", IN, "START", FALSE, "en" },
  { "yes", IN, "YES", FALSE, "en" },
  { "Yes!", IN, "YES", FALSE, "en" },
  { "unstop", IN, "UNSTOP", FALSE, "en" },
  { "HELP", HELP, "HELP", FALSE, "en" },
  { "info?", HELP, "INFO", FALSE, "en" },
  { "Y", MSG, NULL, FALSE, NULL },                   /* not a built-in word */

  /* A keyword between courtesy words: taken, and marked for review. */
  { "stop please", OUT, "STOP", TRUE, "en" },
  { "Please STOP!", OUT, "STOP", TRUE, "en" },
  { "STOP thank you", OUT, "STOP", TRUE, "en" },
  { "unsubscribe me please", OUT, "UNSUBSCRIBE ME", TRUE, "en" },
  { "yes please", IN, "YES", TRUE, "en" },
  { "Oui merci", IN, "OUI", TRUE, "fr" },
  { "help pls", HELP, "HELP", TRUE, "en" },

  /* Other languages, whole message, accents or not. */
  { "ARRÊT", OUT, "ARRÊT", FALSE, "fr" },
  { "arret", OUT, "ARRÊT", FALSE, "fr" },
  { "Désabonner", OUT, "DÉSABONNER", FALSE, "fr" },
  { "DESINSCRIRE", OUT, "DÉSINSCRIRE", FALSE, "fr" },
  { "oui", IN, "OUI", FALSE, "fr" },
  { "Aide", HELP, "AIDE", FALSE, "fr" },
  { "BAJA", OUT, "BAJA", FALSE, "es" },
  { "Alto", OUT, "ALTO", FALSE, "es" },
  { "parar", OUT, "PARAR", FALSE, "es" },
  { "cancelar", OUT, "CANCELAR", FALSE, "es" },
  { "¡Baja!", OUT, "BAJA", FALSE, "es" },
  { "Sí", IN, "SÍ", FALSE, "es" },
  { "si", IN, "SÍ", FALSE, "es" },
  { "ALTA", IN, "ALTA", FALSE, "es" },
  { "ayuda", HELP, "AYUDA", FALSE, "es" },
  { "STOPP", OUT, "STOPP", FALSE, "de" },
  { "abmelden", OUT, "ABMELDEN", FALSE, "de" },
  { "Ende", OUT, "ENDE", FALSE, "de" },
  { "JA", IN, "JA", FALSE, "de" },
  { "Hilfe", HELP, "HILFE", FALSE, "de" },
  { "annulla", OUT, "ANNULLA", FALSE, "it" },
  { "BASTA!", OUT, "BASTA", FALSE, "it" },
  { "Disiscrivi", OUT, "DISISCRIVI", FALSE, "it" },
  { "sì", IN, "SÍ", FALSE, "es" },                  /* shared with Spanish */
  { "aiuto", HELP, "AIUTO", FALSE, "it" },
  { "SAIR", OUT, "SAIR", FALSE, "pt" },
  { "sim", IN, "SIM", FALSE, "pt" },
  { "Ajuda", HELP, "AJUDA", FALSE, "pt" },
  { "afmelden", OUT, "AFMELDEN", FALSE, "nl" },
  { "Uitschrijven", OUT, "UITSCHRIJVEN", FALSE, "nl" },

  /* Plain requests to stop: opt-outs, for review. */
  { "please stop texting me", OUT, NULL, TRUE, "en" },
  { "Stop sending me messages", OUT, NULL, TRUE, "en" },
  { "STOP TEXTING ME!!!", OUT, NULL, TRUE, "en" },
  { "Can you stop messaging me?", OUT, NULL, TRUE, "en" },
  { "stop it", OUT, NULL, TRUE, "en" },
  { "Stop the spam", OUT, NULL, TRUE, "en" },
  { "I said stop", OUT, NULL, TRUE, "en" },
  { "Hi, stop sending these texts", OUT, NULL, TRUE, "en" },
  { "How do I stop receiving these messages?", OUT, NULL, TRUE, "en" },
  { "How do I unsubscribe?", OUT, NULL, TRUE, "en" },
  { "I want to opt out", OUT, NULL, TRUE, "en" },
  { "I unsubscribed but you keep texting me", OUT, NULL, TRUE, "en" },
  { "remove me from your list", OUT, NULL, TRUE, "en" },
  { "Please remove my number", OUT, NULL, TRUE, "en" },
  { "take me off your list", OUT, NULL, TRUE, "en" },
  { "leave me alone", OUT, NULL, TRUE, "en" },
  { "no more texts", OUT, NULL, TRUE, "en" },
  { "No more!", OUT, NULL, TRUE, "en" },
  { "No more messages please", OUT, NULL, TRUE, "en" },
  { "don't text me", OUT, NULL, TRUE, "en" },
  { "Do not contact me again", OUT, NULL, TRUE, "en" },
  { "never text this number again", OUT, NULL, TRUE, "en" },
  { "I don't want your texts", OUT, NULL, TRUE, "en" },
  { "I don't want to receive any more messages", OUT, NULL, TRUE, "en" },
  { "I no longer want these texts", OUT, NULL, TRUE, "en" },
  { "Love you guys, but stop texting me", OUT, NULL, TRUE, "en" },
  { "Arrêtez de m'envoyer des SMS svp", OUT, NULL, TRUE, "fr" },
  { "Merci de ne plus m’envoyer de messages", OUT, NULL, TRUE, "fr" },
  { "Ne m'envoyez plus de messages", OUT, NULL, TRUE, "fr" },
  { "Je veux me désabonner", OUT, NULL, TRUE, "fr" },
  { "Je ne veux plus recevoir vos messages", OUT, NULL, TRUE, "fr" },
  { "Laissez-moi tranquille", OUT, NULL, TRUE, "fr" },
  { "Por favor no me envíen más mensajes", OUT, NULL, TRUE, "es" },
  { "Dejen de enviarme mensajes", OUT, NULL, TRUE, "es" },
  { "Quiero darme de baja", OUT, NULL, TRUE, "es" },
  { "No quiero recibir más mensajes", OUT, NULL, TRUE, "es" },
  { "Bitte keine SMS mehr", OUT, NULL, TRUE, "de" },
  { "Ich möchte mich abmelden", OUT, NULL, TRUE, "de" },
  { "Schreiben Sie mir nicht mehr", OUT, NULL, TRUE, "de" },
  { "Keine Werbung, danke", OUT, NULL, TRUE, "de" },
  { "Smettete di inviarmi messaggi", OUT, NULL, TRUE, "it" },
  { "Non voglio più ricevere messaggi", OUT, NULL, TRUE, "it" },
  { "Cancellami dalla lista", OUT, NULL, TRUE, "it" },
  { "Parem de me mandar mensagens", OUT, NULL, TRUE, "pt" },
  { "Não quero mais receber mensagens", OUT, NULL, TRUE, "pt" },
  { "Ik wil me afmelden", OUT, NULL, TRUE, "nl" },
  { "Geen berichten meer aub", OUT, NULL, TRUE, "nl" },
  { "Stop met het sturen van berichten", OUT, NULL, TRUE, "nl" },
  { "Wrong number", OUT, NULL, TRUE, "en" },
  { "wrong number, please remove", OUT, NULL, TRUE, "en" },
  { "Get me off this list", OUT, NULL, TRUE, "en" },
  { "Cancel my subscription", OUT, NULL, TRUE, "en" },
  { "Stop texting me or I'll report you", OUT, NULL, TRUE, "en" },
  { "STOP!!! I never signed up", OUT, NULL, TRUE, "en" },
  { "baja por favor", OUT, "BAJA", TRUE, "es" },
  { "Hör auf, mir zu schreiben", OUT, NULL, TRUE, "de" },
  { "Non mandatemi più messaggi", OUT, NULL, TRUE, "it" },
  { "Quero sair da lista", OUT, NULL, TRUE, "pt" },

  /* Must NOT be an opt-out. Mentions of an opt-out word: for review. */
  { "don't stop the deals!", MSG, NULL, TRUE, NULL },
  { "Please don't stop sending me deals", MSG, NULL, TRUE, NULL },
  { "can't stop smiling", MSG, NULL, TRUE, NULL },
  { "when does the sale stop?", MSG, NULL, TRUE, NULL },
  { "stop by the store tomorrow", MSG, NULL, TRUE, NULL },
  { "I'll stop by later", MSG, NULL, TRUE, NULL },
  { "Can you stop at the pharmacy?", MSG, NULL, TRUE, NULL },
  { "Where is the bus stop?", MSG, NULL, TRUE, NULL },
  { "I love these texts, never stop!", MSG, NULL, TRUE, NULL },
  { "Please don't unsubscribe me", MSG, NULL, TRUE, NULL },
  { "Non-stop deals all weekend?", MSG, NULL, TRUE, NULL },
  { "N'arrêtez pas les promos !", MSG, NULL, TRUE, NULL },
  { "Nicht stoppen!", MSG, NULL, TRUE, NULL },
  { "Non smettete mai di mandare offerte", MSG, NULL, TRUE, NULL },
  { "Niet stoppen met de aanbiedingen", MSG, NULL, TRUE, NULL },
  /* … and without one: plain conversation. */
  { "That's the end of the story", MSG, NULL, FALSE, NULL },
  { "Cancel my order please", MSG, NULL, FALSE, NULL },
  { "Yes I'd like to know more", MSG, NULL, FALSE, NULL },
  { "Can you send me info about the sale?", MSG, NULL, FALSE, NULL },
  { "Help me find my order", MSG, NULL, FALSE, NULL },
  { "Don't send me the coupon yet", MSG, NULL, FALSE, NULL },
  { "I don't want to miss the sale", MSG, NULL, FALSE, NULL },
  { "I don't receive your messages", MSG, NULL, FALSE, NULL },
  { "Delete my last order", MSG, NULL, FALSE, NULL },
  { "No thanks", MSG, NULL, FALSE, NULL },
  { "OK", MSG, NULL, FALSE, NULL },
  { "Fine", MSG, NULL, FALSE, NULL },
  { "si tu veux", MSG, NULL, FALSE, NULL },
  { "Ja, morgen um 10", MSG, NULL, FALSE, NULL },
  { "El precio es alto", MSG, NULL, FALSE, NULL },
  { "Para mañana por favor", MSG, NULL, FALSE, NULL },
  { "¿Cuándo termina la oferta?", MSG, NULL, FALSE, NULL },
  { "thanks!", MSG, NULL, FALSE, NULL },
  { "", MSG, NULL, FALSE, NULL },
  { "   ", MSG, NULL, FALSE, NULL },
  { "🙂🙂🙂", MSG, NULL, FALSE, NULL },
  { "S T O P", MSG, NULL, FALSE, NULL },
  { "STOP2", MSG, NULL, FALSE, NULL },
  { "Please send me the link again", MSG, NULL, FALSE, NULL },
  { "Don't text me before 9am please", MSG, NULL, FALSE, NULL },
  { "Please remove the shoes from my order", MSG, NULL, FALSE, NULL },
  { "Do not cancel my order", MSG, NULL, FALSE, NULL },
  { "I want more deals!", MSG, NULL, FALSE, NULL },
  { "Send more texts!", MSG, NULL, FALSE, NULL },
  { "take me to checkout", MSG, NULL, FALSE, NULL },
  { "Get me a table for two", MSG, NULL, FALSE, NULL },
  { "Non, merci", MSG, NULL, FALSE, NULL },
  { "Pouvez-vous m'envoyer le lien ?", MSG, NULL, FALSE, NULL },
  { "No gracias", MSG, NULL, FALSE, NULL },
  { "Schicken Sie mir bitte den Link", MSG, NULL, FALSE, NULL },
  { "Não obrigado", MSG, NULL, FALSE, NULL },
  { "Stuur me de link", MSG, NULL, FALSE, NULL },
  { "stop the car", MSG, NULL, TRUE, NULL },
};

static void
test_table (void)
{
  g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();

  g_assert_cmpuint (G_N_ELEMENTS (rows), >=, 80);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const Row *row = &rows[i];
      TcKeywordMatch match;

      tc_keywords_classify (keywords, row->text, -1, &match);
      g_test_message ("“%s” → %s %s review=%d lang=%s", row->text,
                      tc_inbound_action_to_string (match.action),
                      match.keyword != NULL ? match.keyword : "(none)", match.needs_review,
                      match.language != NULL ? match.language : "(none)");

      g_assert_cmpstr (tc_inbound_action_to_string (match.action), ==,
                       tc_inbound_action_to_string (row->action));
      g_assert_cmpstr (match.keyword, ==, row->keyword);
      g_assert_cmpint (match.needs_review, ==, row->review);
      if (row->language != NULL)
        g_assert_cmpstr (match.language, ==, row->language);
      if (row->action == MSG)
        g_assert_null (match.language);

      g_assert_cmpint (match.all_purposes, ==, row->action == OUT || row->action == IN);
      g_assert_false (match.unsubscribes);
      g_assert_null (match.reply);

      /* With an explicit length, and with text after it that must not be read. */
      {
        g_autofree char *padded = g_strconcat (row->text, "STOP", NULL);
        TcKeywordMatch again;

        tc_keywords_classify (keywords, padded, strlen (row->text), &again);
        g_assert_cmpint (again.action, ==, match.action);
        g_assert_cmpstr (again.keyword, ==, match.keyword);
        g_assert_cmpint (again.needs_review, ==, match.needs_review);
      }
    }
}

/* Every built-in list is there for the Preferences window, and every word
 * in it classifies as its own kind and language family. */
static void
test_builtin_lists (void)
{
  static const char * const languages[] = { "en", "fr", "es", "de", "it", "pt", "nl" };
  static const TcInboundAction actions[] = { OUT, IN, HELP };
  g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
      {
        const char * const *words = tc_keywords_builtin (actions[a], languages[l]);

        g_assert_nonnull (words);
        g_assert_nonnull (words[0]);
        for (guint k = 0; words[k] != NULL; k++)
          {
            TcKeywordMatch match;

            tc_keywords_classify (keywords, words[k], -1, &match);
            g_assert_cmpint (match.action, ==, actions[a]);
            g_assert_false (match.needs_review);
          }
      }

  g_assert_true (g_strv_contains (tc_keywords_builtin (OUT, "en"), "STOP"));
  g_assert_true (g_strv_contains (tc_keywords_builtin (OUT, "en"), "OPT OUT"));
  g_assert_true (g_strv_contains (tc_keywords_builtin (OUT, "fr_CA"), "ARRÊT"));
  g_assert_true (g_strv_contains (tc_keywords_builtin (OUT, "es-MX"), "BAJA"));
  g_assert_true (g_strv_contains (tc_keywords_builtin (IN, NULL), "START"));
  g_assert_false (g_strv_contains (tc_keywords_builtin (IN, "en"), "Y"));
  g_assert_true (g_strv_contains (tc_keywords_builtin (HELP, "de"), "HILFE"));
  g_assert_null (tc_keywords_builtin (OUT, "pl")[0]);
  g_assert_null (tc_keywords_builtin (OUT, "*")[0]);
  g_assert_null (tc_keywords_builtin (TC_INBOUND_ACTION_KEYWORD, "en")[0]);
  g_assert_null (tc_keywords_builtin (MSG, "en")[0]);
}

static GHashTable *
settings_new (const char *key,
              ...)
{
  GHashTable *settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, key);
  while (key != NULL)
    {
      g_hash_table_insert (settings, g_strdup (key), g_strdup (va_arg (args, const char *)));
      key = va_arg (args, const char *);
    }
  va_end (args);

  return settings;
}

static void
test_custom (void)
{
  g_autoptr(GHashTable) settings = settings_new (
    TC_SETTING_KEYWORDS_CUSTOM,
    "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\",\"action\":\"subscribe\","
    "  \"reply\":\"Deals are on! Reply STOP to cancel.\"},"
    " {\"keyword\":\"status\",\"purpose\":\"transactional\",\"action\":\"subscribe\"},"
    " {\"keyword\":\"No Deals\",\"purpose\":\"promotional\",\"action\":\"unsubscribe\","
    "  \"reply\":null}]",
    "brand.name", "Acme", /* other keys are ignored */
    NULL);
  g_autoptr(TcKeywords) keywords = NULL;
  g_autoptr(GError) error = NULL;
  TcKeywordMatch match;

  keywords = tc_keywords_new_from_settings (settings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keywords);

  tc_keywords_classify (keywords, "Deals!", -1, &match);
  g_assert_cmpint (match.action, ==, TC_INBOUND_ACTION_KEYWORD);
  g_assert_cmpstr (match.keyword, ==, "DEALS");
  g_assert_cmpint (match.purpose, ==, TC_PURPOSE_PROMOTIONAL);
  g_assert_false (match.unsubscribes);
  g_assert_false (match.all_purposes);
  g_assert_false (match.needs_review);
  g_assert_cmpstr (match.reply, ==, "Deals are on! Reply STOP to cancel.");
  g_assert_null (match.language);

  tc_keywords_classify (keywords, " STATUS ", -1, &match);
  g_assert_cmpint (match.action, ==, TC_INBOUND_ACTION_KEYWORD);
  g_assert_cmpstr (match.keyword, ==, "STATUS");
  g_assert_cmpint (match.purpose, ==, TC_PURPOSE_TRANSACTIONAL);
  g_assert_null (match.reply);

  tc_keywords_classify (keywords, "no-deals", -1, &match);
  g_assert_cmpint (match.action, ==, TC_INBOUND_ACTION_KEYWORD);
  g_assert_cmpstr (match.keyword, ==, "NO DEALS");
  g_assert_true (match.unsubscribes);
  g_assert_null (match.reply);

  tc_keywords_classify (keywords, "deals please", -1, &match);
  g_assert_cmpint (match.action, ==, TC_INBOUND_ACTION_KEYWORD);
  g_assert_true (match.needs_review);

  /* Custom keywords only match the whole message; the built-ins stay. */
  tc_keywords_classify (keywords, "any deals today?", -1, &match);
  g_assert_cmpint (match.action, ==, MSG);
  tc_keywords_classify (keywords, "STOP", -1, &match);
  g_assert_cmpint (match.action, ==, OUT);
  g_assert_true (match.all_purposes);
}

static void
test_settings_lists (void)
{
  g_autoptr(GHashTable) settings = settings_new (
    TC_SETTING_KEYWORDS_OPTOUT_PREFIX "fr", "Stop SMS, STOPPER ,, désinscris-moi",
    TC_SETTING_KEYWORDS_OPTOUT_PREFIX "pl", "NIE",
    TC_SETTING_KEYWORDS_OPTIN_PREFIX "en", "Y, sure",
    TC_SETTING_KEYWORDS_HELP_PREFIX "es-MX", "INFORMACIÓN",
    /* A word already built in for the same kind is no clash. */
    TC_SETTING_KEYWORDS_OPTOUT_PREFIX "de", "STOP",
    NULL);
  static const struct
  {
    const char      *text;
    TcInboundAction  action;
    const char      *keyword;
    const char      *language;
  } cases[] = {
    { "stop sms", OUT, "STOP SMS", "fr" },
    { "Stopper", OUT, "STOPPER", "fr" },
    { "Désinscris-moi", OUT, "DÉSINSCRIS-MOI", "fr" },
    { "nie", OUT, "NIE", "pl" },
    { "y", IN, "Y", "en" },
    { "Sure!", IN, "SURE", "en" },
    { "informacion", HELP, "INFORMACIÓN", "es" },
    { "STOP", OUT, "STOP", "en" },
  };
  g_autoptr(TcKeywords) keywords = NULL;
  g_autoptr(GError) error = NULL;

  keywords = tc_keywords_new_from_settings (settings, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcKeywordMatch match;

      tc_keywords_classify (keywords, cases[i].text, -1, &match);
      g_assert_cmpint (match.action, ==, cases[i].action);
      g_assert_cmpstr (match.keyword, ==, cases[i].keyword);
      g_assert_cmpstr (match.language, ==, cases[i].language);
      g_assert_false (match.needs_review);
    }

  /* The default lists did not change. */
  {
    g_autoptr(TcKeywords) defaults = tc_keywords_new_default ();
    TcKeywordMatch match;

    tc_keywords_classify (defaults, "nie", -1, &match);
    g_assert_cmpint (match.action, ==, MSG);
  }

  /* No settings at all is the default. */
  {
    g_autoptr(GHashTable) empty = settings_new (NULL);
    g_autoptr(TcKeywords) plain = tc_keywords_new_from_settings (empty, &error);
    TcKeywordMatch match;

    g_assert_no_error (error);
    tc_keywords_classify (plain, "Arrêt", -1, &match);
    g_assert_cmpint (match.action, ==, OUT);
  }
}

/* Each broken setting fails with a message that names the key and the
 * word. */
static void
test_settings_errors (void)
{
  static const struct
  {
    const char *key;
    const char *value;
    const char *expect[3]; /* substrings of the message */
  } cases[] = {
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"STOP\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\"}]", { "keywords.custom", "“STOP”", "opt-out" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"arrêt\",\"purpose\":\"promotional\","
      "\"action\":\"unsubscribe\"}]", { "keywords.custom", "“arrêt”", "opt-out" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"Opt-Out\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\"}]", { "“Opt-Out”", "opt-out", "OPT OUT" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"help\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\"}]", { "keywords.custom", "“help”", "help keyword" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\"},{\"keyword\":\"deals\",\"purpose\":\"transactional\","
      "\"action\":\"subscribe\"}]", { "keywords.custom", "“deals”", "twice" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"DEALS\",\"purpose\":\"marketing\","
      "\"action\":\"subscribe\"}]", { "keywords.custom", "“DEALS”", "promotional" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\"}]",
      { "keywords.custom", "“DEALS”", "subscribe" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"purpose\":\"promotional\",\"action\":\"subscribe\"}]",
      { "keywords.custom", "item 1", "keyword" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"!!!\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\"}]", { "keywords.custom", "“!!!”", "no letters" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{\"keyword\":\"DEALS\",\"purpose\":\"promotional\","
      "\"action\":\"subscribe\",\"reply\":42}]", { "keywords.custom", "“DEALS”", "text" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[\"DEALS\"]", { "keywords.custom", "item 1", "object" } },
    { TC_SETTING_KEYWORDS_CUSTOM, "{\"keyword\":\"DEALS\"}", { "keywords.custom", "list", NULL } },
    { TC_SETTING_KEYWORDS_CUSTOM, "[{", { "keywords.custom", "JSON", NULL } },
    { TC_SETTING_KEYWORDS_OPTIN_PREFIX "en", "GO, STOP",
      { "keywords.optin.en", "“STOP”", "opt-out" } },
    { TC_SETTING_KEYWORDS_OPTOUT_PREFIX "en", "HALT, INFO",
      { "keywords.optout.en", "“INFO”", "help" } },
    { TC_SETTING_KEYWORDS_HELP_PREFIX "fr", "oui", { "keywords.help.fr", "“oui”", "opt-in" } },
    { TC_SETTING_KEYWORDS_OPTOUT_PREFIX "fr", "STOP, ???",
      { "keywords.optout.fr", "“???”", NULL } },
    { TC_SETTING_KEYWORDS_OPTOUT_PREFIX "f!", "STOP", { "keywords.optout.f!", "language", NULL } },
    { TC_SETTING_KEYWORDS_OPTOUT_PREFIX "en",
      "this is far too long a phrase to be a keyword that anybody would text to a number",
      { "keywords.optout.en", "too long", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) settings = settings_new (cases[i].key, cases[i].value, NULL);
      g_autoptr(TcKeywords) keywords = NULL;
      g_autoptr(GError) error = NULL;

      keywords = tc_keywords_new_from_settings (settings, &error);
      g_test_message ("%s = %s → %s", cases[i].key, cases[i].value,
                      error != NULL ? error->message : "(no error)");
      g_assert_null (keywords);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].expect) && cases[i].expect[k] != NULL; k++)
        g_assert_nonnull (strstr (error->message, cases[i].expect[k]));
    }
}

static void
test_invalid_utf8 (void)
{
  static const struct
  {
    const char *bytes;
    gssize      len;
  } cases[] = {
    { "STOP\xff", -1 },
    { "\xc3\x28", -1 },
    { "\xed\xa0\x80STOP", -1 },  /* a UTF-16 surrogate */
    { "\xf4\x90\x80\x80", -1 },  /* beyond U+10FFFF */
    { "ST\0OP", 5 },             /* a NUL byte inside */
    { "STOP\xc3", -1 },          /* cut in the middle of a character */
  };
  g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcKeywordMatch match;

      tc_keywords_classify (keywords, cases[i].bytes, cases[i].len, &match);
      g_assert_cmpint (match.action, ==, MSG);
      g_assert_null (match.keyword);
      g_assert_true (match.needs_review);
    }

  /* NULL text is an empty conversation. */
  {
    TcKeywordMatch match;

    tc_keywords_classify (keywords, NULL, -1, &match);
    g_assert_cmpint (match.action, ==, MSG);
    g_assert_false (match.needs_review);
  }
}

/* A long message costs one pass, and a keyword buried in it is no
 * keyword. */
static void
test_long_message (void)
{
  g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();
  g_autoptr(GString) text = g_string_new (NULL);
  TcKeywordMatch match;

  for (guint i = 0; i < 20000; i++)
    g_string_append (text, "stop the the the the the the the the the ");
  tc_keywords_classify (keywords, text->str, text->len, &match);
  g_assert_cmpint (match.action, ==, MSG);
  g_assert_true (match.needs_review);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "   ");
  g_string_append (text, "STOP");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, " !");
  tc_keywords_classify (keywords, text->str, text->len, &match);
  g_assert_cmpint (match.action, ==, OUT);
  g_assert_false (match.needs_review);
}

/* ------------------------------------------------------------------------
 * The built-in compliance texts
 */

static const char * const text_prefixes[] = {
  TC_SETTING_CONFIRM_TEXT_PREFIX,
  TC_SETTING_REPLY_OPTOUT_PREFIX,
  TC_SETTING_REPLY_OPTIN_PREFIX,
  TC_SETTING_REPLY_HELP_PREFIX,
  TC_SETTING_REPLY_CONFIRMED_PREFIX,
};

static const struct
{
  const char *language;
  const char *yes;    /* the word the confirmation asks for */
  const char *rates;  /* how the help text says "Msg & data rates may apply" */
} text_languages[] = {
  { "en", "YES", "Msg & data rates may apply" },
  { "fr", "OUI", "Frais de SMS possibles" },
  { "es", "SI", "Pueden aplicarse tarifas de SMS y datos" },
  { "de", "JA", "Es können SMS- und Datenkosten anfallen" },
  { "it", "SI", "Possibili costi per SMS e dati" },
  { "pt", "SIM", "Podem ser cobradas tarifas de SMS e dados" },
  { "nl", "JA", "Er kunnen sms- en datakosten gelden" },
};

static char *
render (const char *source,
        const char *program,
        const char *frequency,
        const char *support)
{
  g_autoptr(TcMustacheTemplate) tmpl = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) vars = NULL;
  g_autoptr(GError) error = NULL;
  char *out;

  tmpl = tc_mustache_parse (source, -1, &error);
  g_assert_no_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "program");
  json_builder_add_string_value (builder, program);
  json_builder_set_member_name (builder, "frequency");
  json_builder_add_string_value (builder, frequency);
  json_builder_set_member_name (builder, "support");
  json_builder_add_string_value (builder, support);
  json_builder_end_object (builder);
  vars = json_builder_get_root (builder);

  out = tc_mustache_render (tmpl, vars, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_texts (void)
{
  /* The longest values the texts are written for: 20, 25 and 30. */
  const char *program = "Acme Outdoor Outlets";
  const char *frequency = "Up to 6 msgs per month ok";
  const char *support = "help@acme-outdoors.example.com";
  g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();

  g_assert_cmpuint (g_utf8_strlen (program, -1), ==, 20);
  g_assert_cmpuint (g_utf8_strlen (frequency, -1), ==, 25);
  g_assert_cmpuint (g_utf8_strlen (support, -1), ==, 30);

  for (guint l = 0; l < G_N_ELEMENTS (text_languages); l++)
    for (guint p = 0; p < G_N_ELEMENTS (text_prefixes); p++)
      {
        const char *lang = text_languages[l].language;
        const char *source = tc_settings_default_text (text_prefixes[p], lang);
        g_autofree char *full = NULL;
        g_autofree char *bare = NULL;
        TcSmsCount count;

        g_assert_nonnull (source);
        if (strcmp (lang, "en") != 0)
          g_assert_true (source != tc_settings_default_text (text_prefixes[p], "en"));
        g_assert_nonnull (strstr (source, "{{program}}"));
        /* Every text says how to stop, but the one confirming it. */
        if (strcmp (text_prefixes[p], TC_SETTING_REPLY_OPTOUT_PREFIX) != 0)
          g_assert_nonnull (strstr (source, "STOP"));

        full = render (source, program, frequency, support);
        g_assert_true (tc_sms_count (full, -1, &count));
        g_test_message ("%s%s (%u septets): %s", text_prefixes[p], lang, count.units, full);
        g_assert_cmpint (count.encoding, ==, TC_SMS_ENCODING_GSM7);
        g_assert_cmpuint (count.segments, ==, 1);
        g_assert_cmpuint (count.units, <=, TC_SMS_GSM7_SINGLE_UNITS);
        g_assert_nonnull (strstr (full, program));

        /* Without a support contact there is no gap where it was. */
        bare = render (source, "Acme", "Msg frequency varies", "");
        g_assert_null (strstr (bare, "  "));
        g_assert_null (strstr (bare, ". ."));
        g_assert_null (strstr (bare, "{{"));

        if (strcmp (text_prefixes[p], TC_SETTING_REPLY_HELP_PREFIX) == 0)
          {
            g_assert_nonnull (strstr (full, frequency));
            g_assert_nonnull (strstr (full, support));
            g_assert_nonnull (strstr (full, text_languages[l].rates));
          }
        if (strcmp (text_prefixes[p], TC_SETTING_REPLY_OPTOUT_PREFIX) == 0)
          {
            /* A confirmation, nothing to sell. */
            g_assert_null (strstr (full, "http"));
            g_assert_null (strstr (full, "www"));
            g_assert_null (strstr (full, "%"));
            g_assert_null (strstr (source, "{{frequency}}"));
            g_assert_nonnull (strstr (full, "START"));
          }
        if (strcmp (text_prefixes[p], TC_SETTING_CONFIRM_TEXT_PREFIX) == 0)
          {
            g_autofree char *yes = g_strdup_printf (" %s", text_languages[l].yes);
            const char *at = strstr (full, yes);
            TcKeywordMatch match;

            /* As a word of its own: " JA," or " YES ". */
            g_assert_nonnull (at);
            g_assert_false (g_ascii_isalnum (at[strlen (yes)]));
            /* The word the text asks for is the one that confirms. */
            tc_keywords_classify (keywords, text_languages[l].yes, -1, &match);
            g_assert_cmpint (match.action, ==, IN);
          }
      }

  /* English is the text of an English request. */
  g_assert_nonnull (strstr (tc_settings_default_text (TC_SETTING_CONFIRM_TEXT_PREFIX, "en"),
                            "Reply YES to confirm"));
  g_assert_nonnull (strstr (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "en"),
                            "Reply STOP to cancel"));
  g_assert_cmpstr (tc_settings_default_text (TC_SETTING_REPLY_OPTOUT_PREFIX, "en"), ==,
                   "{{program}}: You are unsubscribed and will receive no more messages. "
                   "Reply START to resubscribe.");

  /* Locales, case, unknown languages. */
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "fr-CA")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "fr"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "fr_CA")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "fr"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "PT_br")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "pt"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "pl")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "en"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "f")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "en"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, NULL)
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "en"));
  g_assert_true (tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "")
                 == tc_settings_default_text (TC_SETTING_REPLY_HELP_PREFIX, "en"));
  g_assert_null (tc_settings_default_text (TC_SETTING_OPTOUT_TEXT_PREFIX, "en"));
  g_assert_null (tc_settings_default_text ("reply.", "en"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/keywords/table", test_table);
  g_test_add_func ("/tc/keywords/builtin-lists", test_builtin_lists);
  g_test_add_func ("/tc/keywords/custom", test_custom);
  g_test_add_func ("/tc/keywords/settings-lists", test_settings_lists);
  g_test_add_func ("/tc/keywords/settings-errors", test_settings_errors);
  g_test_add_func ("/tc/keywords/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/tc/keywords/long-message", test_long_message);
  g_test_add_func ("/tc/keywords/texts", test_texts);

  return g_test_run ();
}
