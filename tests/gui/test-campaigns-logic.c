/* test-campaigns-logic.c: the Campaigns section's pure helpers (the report
 * as CSV, words for states and reasons); no display needed.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-campaigns-logic"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "tc-campaign-view.h"
#include "tc-gate.h"

static TcCampaignFigures *
figures_new (const char *key,
             guint64     sent,
             guint64     delivered)
{
  TcCampaignFigures *f = g_new0 (TcCampaignFigures, 1);

  f->key = g_strdup (key);
  f->audience = 10;
  f->intended = 9;
  f->sent = sent;
  f->delivered = delivered;
  f->read = 1;
  f->failed = 2;
  f->deferred = 3;
  f->replies = 4;
  f->opt_outs = 5;
  f->clicks = 6;
  f->unique_clicks = 7;
  f->conversions = 8;
  f->converted = 1;
  f->revenue = 12.5;
  f->cost = 0.0421;
  f->skipped = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (f->skipped, (gpointer) "no_consent", GUINT_TO_POINTER (2));
  g_hash_table_insert (f->skipped, (gpointer) "opted_out", GUINT_TO_POINTER (1));
  return f;
}

static void
figures_free (gpointer data)
{
  TcCampaignFigures *f = data;

  g_free (f->key);
  g_hash_table_unref (f->skipped);
  g_free (f);
}

static void
test_csv (void)
{
  TcCampaignReport report = { 0, };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  report.total = figures_new ("", 30, 27);
  report.variants = g_ptr_array_new_with_free_func (figures_free);
  report.groups = g_ptr_array_new_with_free_func (figures_free);
  g_ptr_array_add (report.variants, figures_new ("A", 15, 14));
  g_ptr_array_add (report.variants, figures_new ("holdout", 0, 0));
  /* A cohort value with a comma and a quote is quoted, the quote doubled. */
  g_ptr_array_add (report.groups, figures_new ("Paris, \"FR\"", 5, 5));

  csv = tc_campaign_report_to_csv (&report);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);   /* header, 4 lines, "" after the last CRLF */
  g_assert_cmpstr (lines[0], ==, "group,audience,intended,sent,delivered,read,failed,skipped,deferred,"
                                 "replies,opt_outs,clicks,unique_clicks,conversions,converted,revenue,cost");
  g_assert_cmpstr (lines[1], ==, "total,10,9,30,27,1,2,3,3,4,5,6,7,8,1,12.50,0.0421");
  g_assert_cmpstr (lines[2], ==, "A,10,9,15,14,1,2,3,3,4,5,6,7,8,1,12.50,0.0421");
  g_assert_cmpstr (lines[3], ==, "holdout,10,9,0,0,1,2,3,3,4,5,6,7,8,1,12.50,0.0421");
  g_assert_cmpstr (lines[4], ==, "\"Paris, \"\"FR\"\"\",10,9,5,5,1,2,3,3,4,5,6,7,8,1,12.50,0.0421");
  g_assert_cmpstr (lines[5], ==, "");

  figures_free (report.total);
  g_ptr_array_unref (report.variants);
  g_ptr_array_unref (report.groups);
}

static void
test_reasons (void)
{
  static const struct {
    const char *code;
    const char *expected;   /* NULL: the send gate's own sentence */
  } cases[] = {
    { "no_consent", NULL },
    { "opted_out", NULL },
    { "quiet_hours", NULL },
    { "frequency_cap", NULL },
    { "wa_marketing_us", NULL },
    { "cancelled", "The campaign was cancelled before it was sent" },
    { "message_error", "The message could not be made for this person (check the template’s fields)" },
    { "something_new", "something_new" },   /* unknown: the code itself */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *text = tc_campaign_reason_describe (cases[i].code);

      if (cases[i].expected != NULL)
        g_assert_cmpstr (text, ==, cases[i].expected);
      else
        {
          gboolean found = FALSE;

          for (TcGateReason r = TC_GATE_REASON_ERASED; r <= TC_GATE_REASON_QUIET_HOURS; r++)
            if (g_strcmp0 (tc_gate_reason_to_string (r), cases[i].code) == 0)
              {
                g_assert_cmpstr (text, ==, tc_gate_reason_describe (r));
                found = TRUE;
              }
          g_assert_true (found);
          g_assert_cmpstr (text, !=, cases[i].code);
        }
    }
}

static void
test_states (void)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  /* Every state has its own name and a pill class. */
  for (TcCampaignState s = TC_CAMPAIGN_DRAFT; s <= TC_CAMPAIGN_CANCELLED; s++)
    {
      const char *name = tc_campaign_state_name (s);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      g_assert_false (g_hash_table_contains (names, name));
      g_hash_table_add (names, (gpointer) name);
      g_assert_true (g_str_has_prefix (tc_campaign_state_css_class (s), "tc-state-"));
    }
  g_assert_cmpstr (tc_campaign_state_css_class (TC_CAMPAIGN_SENDING), ==,
                   tc_campaign_state_css_class (TC_CAMPAIGN_SCHEDULED));
  g_assert_cmpstr (tc_campaign_state_css_class (TC_CAMPAIGN_SENT), !=,
                   tc_campaign_state_css_class (TC_CAMPAIGN_CANCELLED));
  g_assert_cmpstr (tc_campaign_channel_name (TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS), ==, "WhatsApp, else SMS");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/campaigns-logic/csv", test_csv);
  g_test_add_func ("/campaigns-logic/reasons", test_reasons);
  g_test_add_func ("/campaigns-logic/states", test_states);

  return g_test_run ();
}
