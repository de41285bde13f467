/* test-editor-logic.c: what the template editors show, without a display.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-editor-logic"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tc-editor-logic.h"

static char *
repeat (const char *piece,
        guint       n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, piece);

  return g_string_free (out, FALSE);
}

static void
test_counter_text (void)
{
  g_autofree char *a160 = repeat ("a", 160);
  g_autofree char *a161 = repeat ("a", 161);
  g_autofree char *a306 = repeat ("a", 306);
  g_autofree char *u70 = g_strconcat ("’", a160 + 91, NULL);   /* 1 + 69 = 70 units */
  g_autofree char *u71 = g_strconcat ("’", a160 + 90, NULL);   /* 71 units: 2 segments */
  const struct {
    const char *text;
    const char *counter;
  } cases[] = {
    { "", "GSM-7 · 0 segments · 160 characters left in this segment" },
    { "Hi there", "GSM-7 · 1 segment · 152 characters left in this segment" },
    { a160, "GSM-7 · 1 segment · 0 characters left in this segment" },
    { a161, "GSM-7 · 2 segments · 145 characters left in this segment" },
    { a306, "GSM-7 · 2 segments · 0 characters left in this segment" },
    /* An extension character costs two septets. */
    { "5€", "GSM-7 · 1 segment · 157 characters left in this segment" },
    { "It’s", "UCS-2 because of “’” · 1 segment · 66 characters left in this segment" },
    { u70, "UCS-2 because of “’” · 1 segment · 0 characters left in this segment" },
    { u71, "UCS-2 because of “’” · 2 segments · 63 characters left in this segment" },
    /* Invisible characters are named by code point. */
    { "10\u00a0%", "UCS-2 because of U+00A0 · 1 segment · 66 characters left in this segment" },
    { "’—“”", "UCS-2 because of “’”, “—”, ““” and 1 more · 1 segment · 66 characters left in this segment" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *counter = tc_editor_counter_text (cases[i].text);

      g_assert_cmpstr (counter, ==, cases[i].counter);
    }
}

static void
test_sms_state_optout (void)
{
  g_autoptr(TcEditorSmsState) promo = tc_editor_sms_state_new ("20% off today", TRUE, "en");
  g_autoptr(TcEditorSmsState) plain = tc_editor_sms_state_new ("20% off today", FALSE, "en");
  g_autoptr(TcEditorSmsState) has_stop = tc_editor_sms_state_new ("Sale! Reply STOP to opt out", TRUE, "en");
  g_autofree char *final = tc_editor_final_text ("20% off today", TRUE, "en");

  g_assert_cmpstr (final, ==, "20% off today\nReply STOP to opt out");
  g_assert_cmpstr (promo->optout_note, ==, "“Reply STOP to opt out” is added");
  /* 13 + 1 + 21 septets. */
  g_assert_cmpuint (promo->count.units, ==, 35);
  g_assert_cmpstr (promo->counter, ==, "GSM-7 · 1 segment · 125 characters left in this segment");

  g_assert_null (plain->optout_note);
  g_assert_cmpuint (plain->count.units, ==, 13);

  /* Already there: nothing is added. */
  g_assert_null (has_stop->optout_note);
  g_assert_cmpuint (has_stop->count.units, ==, 27);
}

static void
test_sms_state_highlights (void)
{
  const struct {
    const char *text;
    guint       n;
    guint       ranges[4][2];
  } cases[] = {
    { "Hello", 0, { { 0 } } },
    /* é is GSM-7; the offsets count characters, not bytes. */
    { "Hé’llo ’", 2, { { 2, 3 }, { 7, 8 } } },
    /* A flag is one character of two code points. */
    { "Go 🇫🇷!", 1, { { 3, 5 } } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcEditorSmsState) state = tc_editor_sms_state_new (cases[i].text, FALSE, NULL);

      g_assert_cmpuint (state->highlights->len, ==, cases[i].n);
      for (guint j = 0; j < cases[i].n; j++)
        {
          TcEditorRange *r = &g_array_index (state->highlights, TcEditorRange, j);

          g_assert_cmpuint (r->start, ==, cases[i].ranges[j][0]);
          g_assert_cmpuint (r->end, ==, cases[i].ranges[j][1]);
        }
    }
}

static void
test_sms_state_replace (void)
{
  g_autofree char *a100 = repeat ("a", 100);
  g_autofree char *long_text = g_strconcat (a100, " it’s ‘ok’", NULL);
  g_autoptr(TcEditorSmsState) saves = tc_editor_sms_state_new (long_text, FALSE, NULL);
  g_autoptr(TcEditorSmsState) same = tc_editor_sms_state_new ("It’s", FALSE, NULL);
  g_autoptr(TcEditorSmsState) emoji = tc_editor_sms_state_new ("Hi 😀", FALSE, NULL);
  g_autoptr(TcEditorSmsState) gsm = tc_editor_sms_state_new ("Hi", FALSE, NULL);
  g_autofree char *fixed = tc_editor_replace_non_gsm ("It’s “great” — really");

  /* 110 UTF-16 units are 2 segments; 110 septets are 1. */
  g_assert_cmpuint (saves->count.segments, ==, 2);
  g_assert_cmpuint (saves->n_replaceable, ==, 3);
  g_assert_cmpstr (saves->replace_label, ==, "Replace 3 characters (saves 1 segment)");

  g_assert_cmpuint (same->n_replaceable, ==, 1);
  g_assert_cmpstr (same->replace_label, ==, "Replace 1 character");

  /* No replacement for an emoji: no button. */
  g_assert_cmpuint (emoji->n_replaceable, ==, 0);
  g_assert_null (emoji->replace_label);
  g_assert_null (gsm->replace_label);

  g_assert_true (g_str_has_prefix (fixed, "It's \"great\" "));
  g_assert_true (g_str_has_suffix (fixed, " really"));
  g_assert_true (g_utf8_validate (fixed, -1, NULL));
  {
    g_autofree char *counter = tc_editor_counter_text (fixed);

    g_assert_true (g_str_has_prefix (counter, "GSM-7 · 1 segment"));
  }
}

static void
test_missing_warning (void)
{
  const struct {
    const char *missing;
    const char *warning;
  } cases[] = {
    { "first_name", "first_name is empty for this contact: add a fallback like {{first_name|there}}" },
    { "event.cart_url", "event.cart_url is empty for this contact: add a fallback like {{event.cart_url|default}}" },
    { ">footer", "There is no snippet called “footer”: create it under Snippets" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *warning = tc_editor_missing_warning (cases[i].missing);

      g_assert_cmpstr (warning, ==, cases[i].warning);
    }
}

static void
test_preview (void)
{
  g_autoptr(JsonNode) vars = json_from_string ("{\"first_name\":\"\",\"last_name\":\"Chen\",\"brand\":\"Acme\"}", NULL);
  g_autoptr(JsonObject) sources = json_object_new ();
  g_autoptr(TcMustachePartials) partials = NULL;
  g_autoptr(TcEditorPreview) fallback = NULL;
  g_autoptr(TcEditorPreview) missing = NULL;
  g_autoptr(TcEditorPreview) broken = NULL;
  g_autoptr(TcEditorPreview) promo = NULL;

  json_object_set_string_member (sources, "footer", "— {{brand}}");
  partials = tc_mustache_partials_new (sources);

  fallback = tc_editor_preview_new ("Hi {{first_name|there}} {{last_name}}", vars, partials, FALSE, "en");
  g_assert_cmpstr (fallback->text, ==, "Hi there Chen");
  g_assert_cmpuint (fallback->warnings->len, ==, 0);
  g_assert_cmpstr (fallback->counter, ==, "GSM-7 · 1 segment · 147 characters left in this segment");

  /* Used twice, reported once; a missing snippet too. */
  missing = tc_editor_preview_new ("Hi {{first_name}}, {{first_name}}! {{> footer}}{{> legal}}",
                                   vars, partials, FALSE, "en");
  g_assert_cmpstr (missing->text, ==, "Hi , ! — Acme");
  g_assert_cmpuint (missing->warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (missing->warnings, 0), ==,
                   "first_name is empty for this contact: add a fallback like {{first_name|there}}");
  g_assert_cmpstr (g_ptr_array_index (missing->warnings, 1), ==,
                   "There is no snippet called “legal”: create it under Snippets");
  g_assert_true (g_str_has_prefix (missing->counter, "UCS-2 because of “—”"));

  broken = tc_editor_preview_new ("Hi {{first_name", vars, partials, FALSE, "en");
  g_assert_null (broken->text);
  g_assert_null (broken->counter);
  g_assert_cmpuint (broken->warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (broken->warnings, 0), "The template has a mistake: line 1"));

  promo = tc_editor_preview_new ("Sale at {{brand}}", vars, NULL, TRUE, "en");
  g_assert_cmpstr (promo->text, ==, "Sale at Acme\nReply STOP to opt out");
}

static void
test_final_text_full (void)
{
  g_autoptr(TcOptout) custom = tc_optout_new ();
  const struct {
    const char *text;
    gboolean    promotional;
    const char *language;
    gboolean    custom_optout;
    const char *campaign;
    const char *short_domain;
    const char *final;
  } cases[] = {
    /* Not promotional, no links: as it is. */
    { "Your order shipped", FALSE, "en", FALSE, NULL, NULL, "Your order shipped" },
    /* The instruction of the language, built-in or configured. */
    { "Sale", TRUE, "fr", FALSE, NULL, NULL, "Sale\nRépondez STOP pour vous désabonner" },
    { "Sale", TRUE, "fr", TRUE, NULL, NULL, "Sale\nSTOP au 36180" },
    { "Sale", TRUE, "de", TRUE, NULL, NULL, "Sale\nAntworte STOP zum Abmelden" },
    /* No language: English. */
    { "Sale", TRUE, NULL, FALSE, NULL, NULL, "Sale\nReply STOP to opt out" },
    /* Links get UTM tags, with the campaign slug... */
    { "See https://shop.example/a?x=1#top", FALSE, NULL, FALSE, "Spring Sale", NULL,
      "See https://shop.example/a?x=1&utm_source=sms&utm_medium=sms&utm_campaign=spring-sale#top" },
    { "See https://shop.example/a", FALSE, NULL, FALSE, NULL, NULL,
      "See https://shop.example/a?utm_source=sms&utm_medium=sms" },
    /* ...then become short links when a domain is set. */
    { "See https://shop.example/a", TRUE, "en", FALSE, "Spring Sale", "go.shop.example",
      "See https://go.shop.example/l/xxxxxxxx\nReply STOP to opt out" },
    { "", FALSE, NULL, FALSE, "x", "go.shop.example", "" },
  };

  tc_optout_set_text (custom, "fr", "STOP au 36180");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcEditorSmsOptions options = { 0 };
      g_autofree char *final = NULL;

      options.promotional = cases[i].promotional;
      options.language = cases[i].language;
      options.optout = cases[i].custom_optout ? custom : NULL;
      options.optout_every_message = TRUE;
      options.campaign = cases[i].campaign;
      options.short_domain = cases[i].short_domain;
      final = tc_editor_final_text_full (cases[i].text, &options);
      g_assert_cmpstr (final, ==, cases[i].final);
    }
}

static void
test_preview_full (void)
{
  g_autoptr(JsonNode) vars = json_from_string ("{\"first_name\":\"Ana\",\"brand\":null}", NULL);
  const struct {
    const char *source;
    const char *brand;
    const char *short_domain;
    const char *text;
    gboolean    needs_brand;
    gboolean    has_links;
    guint       n_warnings;
  } cases[] = {
    { "{{brand}}: hi {{first_name}}", "Acme", NULL, "Acme: hi Ana", FALSE, FALSE, 0 },
    /* No brand name set: a placeholder, and a hint rather than a warning. */
    { "{{brand}}: hi {{first_name}}", NULL, NULL, "Your Brand: hi Ana", TRUE, FALSE, 0 },
    { "{{brand}}: hi {{first_name}}", "", NULL, "Your Brand: hi Ana", TRUE, FALSE, 0 },
    /* A fallback written by hand is used as it is. */
    { "{{brand|Our shop}}: hi", NULL, NULL, "Our shop: hi", FALSE, FALSE, 0 },
    /* Not used: no hint. */
    { "Hi {{first_name}}", NULL, NULL, "Hi Ana", FALSE, FALSE, 0 },
    /* Other missing variables are still reported. */
    { "{{brand}} {{last_name}}", NULL, NULL, "Your Brand ", TRUE, FALSE, 1 },
    /* The link in its final form. */
    { "{{brand}} www.shop.example", "Acme", "go.shop.example",
      "Acme https://go.shop.example/l/xxxxxxxx", FALSE, TRUE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcEditorSmsOptions options = { 0 };
      g_autoptr(TcEditorPreview) preview = NULL;
      TcSmsCount count;

      options.brand = cases[i].brand;
      options.short_domain = cases[i].short_domain;
      preview = tc_editor_preview_new_full (cases[i].source, vars, NULL, &options);
      g_assert_cmpstr (preview->text, ==, cases[i].text);
      g_assert_cmpint (preview->needs_brand, ==, cases[i].needs_brand);
      g_assert_cmpint (preview->has_links, ==, cases[i].has_links);
      g_assert_cmpuint (preview->warnings->len, ==, cases[i].n_warnings);
      g_assert_false (preview->optout_added);
      g_assert_true (tc_sms_count (preview->text, -1, &count));
      g_assert_cmpuint (preview->count.units, ==, count.units);
      g_assert_cmpuint (preview->count.segments, ==, count.segments);
    }

  /* The caller's data is left alone. */
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (vars), "brand")));
}

static void
test_sms_state_full (void)
{
  g_autofree char *a140 = repeat ("a", 140);
  g_autofree char *long_source = g_strconcat (a140, " {{first_name}} it’s", NULL);
  g_autoptr(JsonNode) vars = json_from_string ("{\"first_name\":\"Maria Clara\"}", NULL);
  TcEditorSmsOptions options = { 0 };
  g_autoptr(TcEditorSmsState) typed = NULL;
  g_autoptr(TcEditorSmsState) nobody = NULL;
  g_autoptr(TcEditorSmsState) broken = NULL;
  g_autoptr(TcEditorSmsState) saves = NULL;
  g_autoptr(TcEditorSmsState) first_only = NULL;

  options.promotional = TRUE;
  options.language = "en";
  options.optout_every_message = TRUE;

  /* The counter is about the rendered text: “Hi Maria Clara” (14), a new
   * line and the instruction (21) are 36 septets, not the 43 typed. */
  typed = tc_editor_sms_state_new_full ("Hi {{first_name|there}}", vars, NULL, "Maria Clara", &options);
  g_assert_cmpstr (typed->counter, ==, "For Maria Clara: GSM-7 · 1 segment · 124 characters left in this segment");
  g_assert_cmpuint (typed->count.units, ==, 36);
  g_assert_cmpstr (typed->optout_note, ==, "“Reply STOP to opt out” is added");
  g_assert_nonnull (typed->preview);
  g_assert_cmpstr (typed->preview->text, ==, "Hi Maria Clara\nReply STOP to opt out");

  nobody = tc_editor_sms_state_new_full ("Hi {{first_name|there}}", NULL, NULL, NULL, &options);
  g_assert_cmpstr (nobody->counter, ==,
                   "For a contact without details: GSM-7 · 1 segment · 130 characters left in this segment");

  /* A mistake: the typed text is counted, and said to be: 15 characters,
   * the braces two septets each, a new line and 21: 39. */
  broken = tc_editor_sms_state_new_full ("Hi {{first_name", vars, NULL, "Maria Clara", &options);
  g_assert_cmpstr (broken->counter, ==, "As typed: GSM-7 · 1 segment · 121 characters left in this segment");
  g_assert_null (broken->preview->text);

  /* The highlight is where the author typed it (offset 158 of the
   * source); the replacement saves a segment of the rendered text: 140 + 1
   * + 11 + 5 + 1 + 21 = 179 units are 3 UCS-2 segments, 179 septets 2. */
  saves = tc_editor_sms_state_new_full (long_source, vars, NULL, "Maria Clara", &options);
  g_assert_cmpuint (saves->highlights->len, ==, 1);
  g_assert_cmpuint (g_array_index (saves->highlights, TcEditorRange, 0).start, ==, 158);
  g_assert_cmpuint (saves->count.segments, ==, 3);
  g_assert_cmpstr (saves->replace_label, ==, "Replace 1 character (saves 1 segment)");

  /* Off, the instruction is still counted: the first message has it. */
  options.optout_every_message = FALSE;
  first_only = tc_editor_sms_state_new_full ("Hi", vars, NULL, "Maria Clara", &options);
  g_assert_cmpuint (first_only->count.units, ==, 24);
  g_assert_cmpstr (first_only->optout_note, ==,
                   "“Reply STOP to opt out” is added to the first message to each contact, and counted here");
}

static void
test_notes (void)
{
  g_autofree char *tracked = tc_editor_links_note ("go.shop.example");
  g_autofree char *untracked = tc_editor_links_note (NULL);
  g_autofree char *empty = tc_editor_links_note ("");
  g_autoptr(TcContact) full = tc_contact_new ();
  g_autoptr(TcContact) last_only = tc_contact_new ();
  g_autoptr(TcContact) phone_only = tc_contact_new ();
  g_autofree char *name_full = NULL;
  g_autofree char *name_last = NULL;
  g_autofree char *name_phone = NULL;
  TcEditorSmsOptions options = { 0 };
  g_autofree char *transactional = NULL;

  g_assert_cmpstr (tracked, ==, "Links are shortened to go.shop.example/… and clicks are counted");
  g_assert_cmpstr (untracked, ==, "Links get UTM tags; clicks are not tracked (no short-link domain set)");
  g_assert_cmpstr (empty, ==, untracked);

  tc_contact_set_first_name (full, "Maria Clara");
  tc_contact_set_last_name (full, "Almeida");
  tc_contact_set_last_name (last_only, "Almeida");
  tc_contact_set_phone (phone_only, "+351912345678");
  name_full = tc_editor_recipient_name (full);
  name_last = tc_editor_recipient_name (last_only);
  name_phone = tc_editor_recipient_name (phone_only);
  g_assert_cmpstr (name_full, ==, "Maria Clara");
  g_assert_cmpstr (name_last, ==, "Almeida");
  g_assert_cmpstr (name_phone, ==, "+351912345678");
  g_assert_null (tc_editor_recipient_name (NULL));

  transactional = tc_editor_optout_note (&options);
  g_assert_null (transactional);
}

static void
test_settings (void)
{
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TcOptout) optout = NULL;
  g_autoptr(TcOptout) defaults = tc_editor_optout_from_settings (NULL);
  const struct {
    const char *value;
    gboolean    default_value;
    gboolean    result;
  } booleans[] = {
    { NULL, TRUE, TRUE },
    { NULL, FALSE, FALSE },
    { "true", FALSE, TRUE },
    { "FALSE", TRUE, FALSE },
    { "false", TRUE, FALSE },
    /* Anything else is the default, not a guess. */
    { "yes", FALSE, FALSE },
    { "", TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (booleans); i++)
    {
      if (booleans[i].value != NULL)
        g_hash_table_insert (settings, (gpointer) "optout.every_message", (gpointer) booleans[i].value);
      else
        g_hash_table_remove (settings, "optout.every_message");
      g_assert_cmpint (tc_editor_settings_get_boolean (settings, "optout.every_message",
                                                       booleans[i].default_value),
                       ==, booleans[i].result);
    }
  g_assert_true (tc_editor_settings_get_boolean (NULL, "optout.every_message", TRUE));

  g_hash_table_insert (settings, (gpointer) "optout.text.fr", (gpointer) " STOP au 36180 ");
  g_hash_table_insert (settings, (gpointer) "optout.text.de", (gpointer) "  ");
  g_hash_table_insert (settings, (gpointer) "optout.text.", (gpointer) "Nobody");
  g_hash_table_insert (settings, (gpointer) "brand.name", (gpointer) "Acme");
  optout = tc_editor_optout_from_settings (settings);
  g_assert_cmpstr (tc_optout_get_text (optout, "fr"), ==, "STOP au 36180");
  g_assert_cmpstr (tc_optout_get_text (optout, "fr_CA"), ==, "STOP au 36180");
  /* Blank: the built-in text stays. */
  g_assert_cmpstr (tc_optout_get_text (optout, "de"), ==, "Antworte STOP zum Abmelden");
  g_assert_cmpstr (tc_optout_get_text (optout, "en"), ==, "Reply STOP to opt out");
  g_assert_cmpstr (tc_optout_get_text (defaults, "fr"), ==, "Répondez STOP pour vous désabonner");
}

static void
test_check_short_domain (void)
{
  const struct {
    const char *input;
    gboolean    ok;
    const char *domain;
    const char *message;
  } cases[] = {
    { "go.shop.example", TRUE, "go.shop.example", NULL },
    { "  Go.Shop.Example  ", TRUE, "go.shop.example", NULL },
    { "", TRUE, "", NULL },
    { "   ", TRUE, "", NULL },
    { "go.shop.example.", TRUE, "go.shop.example", NULL },
    { "a-b.c9.example", TRUE, "a-b.c9.example", NULL },
    /* A pasted link: only the host is kept, and the user is told. */
    { "https://go.shop.example/", TRUE, "go.shop.example",
      "Only the host name “go.shop.example” is kept: Textcast adds https:// and the link code itself." },
    { "HTTP://go.shop.example/abc?x=1#y", TRUE, "go.shop.example",
      "Only the host name “go.shop.example” is kept: Textcast adds https:// and the link code itself." },
    { "go.shop.example/l", TRUE, "go.shop.example",
      "Only the host name “go.shop.example” is kept: Textcast adds https:// and the link code itself." },
    /* Letters outside ASCII are stored in the form SMS can carry. */
    { "go.café.example", TRUE, "go.xn--caf-dma.example",
      "Saved as “go.xn--caf-dma.example”, the form that keeps the SMS in GSM-7." },
    { "https://", FALSE, NULL, "Enter a host name such as go.shop.example" },
    { "shop", FALSE, NULL, "Use a full host name with a dot, like go.shop.example" },
    { "go.shop.example:8642", FALSE, NULL,
      "Leave out the port: short links use the standard port of https://" },
    { "me@go.shop.example", FALSE, NULL,
      "Enter only a host name such as go.shop.example, without a user name" },
    { "go shop.example", FALSE, NULL, "A host name has no spaces, like go.shop.example" },
    { "192.168.1.20", FALSE, NULL,
      "Use a host name such as go.shop.example: phones and carriers distrust links to bare IP addresses" },
    { "go..example", FALSE, NULL,
      "“go..example” is not a host name: use letters, digits, hyphens and dots, like go.shop.example" },
    { "-go.example", FALSE, NULL,
      "“-go.example” is not a host name: use letters, digits, hyphens and dots, like go.shop.example" },
    { "go_links.example", FALSE, NULL,
      "“go_links.example” is not a host name: use letters, digits, hyphens and dots, like go.shop.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *domain = NULL;
      g_autofree char *message = NULL;
      gboolean ok = tc_editor_check_short_domain (cases[i].input, &domain, &message);

      g_assert_cmpint (ok, ==, cases[i].ok);
      g_assert_cmpstr (domain, ==, cases[i].domain);
      g_assert_cmpstr (message, ==, cases[i].message);
    }

  {
    /* 64 characters in one label is one too many. */
    g_autofree char *label = repeat ("a", 64);
    g_autofree char *host = g_strconcat (label, ".example", NULL);
    g_autofree char *domain = NULL;
    g_autofree char *message = NULL;

    g_assert_false (tc_editor_check_short_domain (host, &domain, &message));
    g_assert_null (domain);
    g_assert_nonnull (message);
  }
}

static void
test_check_port (void)
{
  const struct {
    double   port;
    gboolean ok;
  } cases[] = {
    { 8642, TRUE },
    { 1024, TRUE },
    { 65535, TRUE },
    { 1023, FALSE },
    { 80, FALSE },
    { 0, FALSE },
    { 65536, FALSE },
    { 8642.5, FALSE },
    { -1, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = NULL;

      g_assert_cmpint (tc_editor_check_port (cases[i].port, &message), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_null (message);
      else
        g_assert_cmpstr (message, ==, "Use a port from 1024 to 65535: lower ones need administrator rights");
    }
}

static void
test_variable_tags (void)
{
  g_autofree char *tag = tc_editor_variable_tag ("event.cart_url");
  g_autofree char *snippet = tc_editor_snippet_tag ("footer");
  const char * const *fields = tc_editor_contact_fields ();
  const char * const *events = tc_editor_event_fields ();

  g_assert_cmpstr (tag, ==, "{{event.cart_url}}");
  g_assert_cmpstr (snippet, ==, "{{> footer}}");
  g_assert_true (g_strv_contains (fields, "first_name"));
  g_assert_true (g_strv_contains (fields, "phone"));
  for (guint i = 0; events[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (events[i], "event."));
}

static void
test_wa_examples (void)
{
  const char * const examples[] = { "Ana", "#42", "", NULL };
  const struct {
    const char *text;
    const char *filled;
    guint       n_params;
  } cases[] = {
    { "Hi {{1}}, order {{2}} ships", "Hi Ana, order #42 ships", 2 },
    /* An empty or absent example keeps the parameter visible. */
    { "{{3}} and {{4}}", "{{3}} and {{4}}", 4 },
    { "{{2}}{{1}}", "#42Ana", 2 },
    /* Not parameters. */
    { "{{0}} {{ 1 }} {{a}} {1} {{1}", "{{0}} {{ 1 }} {{a}} {1} {{1}", 0 },
    { "", "", 0 },
    { "{{{1}}}", "{Ana}", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *filled = tc_editor_wa_fill_examples (cases[i].text, examples);

      g_assert_cmpstr (filled, ==, cases[i].filled);
      g_assert_cmpuint (tc_editor_wa_count_params (cases[i].text), ==, cases[i].n_params);
    }
}

static void
test_write_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-editor-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "state", NULL);

  g_assert_true (tc_editor_write_state (path, "GSM-7 · 1 segment", &error));
  g_assert_no_error (error);
  g_assert_true (tc_editor_write_state (path, "UCS-2", &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "UCS-2");

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/editor/counter-text", test_counter_text);
  g_test_add_func ("/tc/editor/sms-optout", test_sms_state_optout);
  g_test_add_func ("/tc/editor/sms-highlights", test_sms_state_highlights);
  g_test_add_func ("/tc/editor/sms-replace", test_sms_state_replace);
  g_test_add_func ("/tc/editor/missing-warning", test_missing_warning);
  g_test_add_func ("/tc/editor/preview", test_preview);
  g_test_add_func ("/tc/editor/final-text-full", test_final_text_full);
  g_test_add_func ("/tc/editor/preview-full", test_preview_full);
  g_test_add_func ("/tc/editor/sms-state-full", test_sms_state_full);
  g_test_add_func ("/tc/editor/notes", test_notes);
  g_test_add_func ("/tc/editor/settings", test_settings);
  g_test_add_func ("/tc/editor/check-short-domain", test_check_short_domain);
  g_test_add_func ("/tc/editor/check-port", test_check_port);
  g_test_add_func ("/tc/editor/variable-tags", test_variable_tags);
  g_test_add_func ("/tc/editor/wa-examples", test_wa_examples);
  g_test_add_func ("/tc/editor/write-state", test_write_state);

  return g_test_run ();
}
