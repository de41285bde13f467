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
  g_test_add_func ("/tc/editor/variable-tags", test_variable_tags);
  g_test_add_func ("/tc/editor/wa-examples", test_wa_examples);
  g_test_add_func ("/tc/editor/write-state", test_write_state);

  return g_test_run ();
}
