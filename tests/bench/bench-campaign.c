/* bench-campaign.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Campaigns on a large workspace: pre-flight over N contacts (default
 * 1,000,000; target ≤ 2 s), starting (freezing the audience and the exact
 * A/B split), queueing a slice, and the report over N outbox rows (target
 * ≤ 500 ms). Prints its figures; never fails on a slow machine.
 *
 *   bench-campaign [N]
 *
 * The workspace is written with plain SQL in one transaction: N contacts
 * in four countries and their zones, opted in to promotional SMS, an SMS
 * template, a campaign to everyone with two variants and a 10 % holdout.
 * For the report, every intended recipient then gets an outbox row in a
 * realistic mix of states, with clicks and orders for some; written with
 * plain SQL too, so the campaign's counters (schema 12) are then counted
 * from the rows as the migration would. With N = 1,111,112 the campaign
 * has 1,000,000 outbox rows (the holdout gets none).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-campaign-counts.h"
#include "tc-campaign-report.h"
#include "tc-campaign.h"
#include "tc-repository-private.h"
#include "tc-repository.h"

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Numbers: the prefix, then 7 digits from 2,000,000 + the contact's id. */
static const struct {
  const char *prefix;
  const char *country;
  const char *zone;
} places[] = {
  { "+1212", "US", "America/New_York" },
  { "+1415", "US", "America/Los_Angeles" },
  { "+44791", "GB", "Europe/London" },
  { "+3361", "FR", "Europe/Paris" },
};

static void
setup (const char *path,
       guint       n)
{
  g_autoptr(TcRepository) repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *contact, *state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC - 86400;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("Cannot create %s: %s", path, error->message);
  tc_repository_close (repo);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  exec_ok (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; BEGIN");
  sqlite3_prepare_v2 (db, "INSERT INTO contacts (id, phone, first_name, last_name, country, timezones,"
                          " created_at, updated_at, sort_key, search_text)"
                          " VALUES (?1, ?2, 'Ana', 'Lima', ?3, ?4, ?5, ?5, ?2, ?2)", -1, &contact, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO consent_state (contact_id, channel, purpose, status, since, event_id, source)"
                          " VALUES (?1, 'sms', 'promotional', 'opted_in', ?2, 0, 'import')", -1, &state, NULL);
  for (guint i = 1; i <= n; i++)
    {
      char phone[32];
      guint p = i % G_N_ELEMENTS (places);

      g_snprintf (phone, sizeof phone, "%s%07u", places[p].prefix, 2000000 + i);
      sqlite3_bind_int64 (contact, 1, i);
      sqlite3_bind_text (contact, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (contact, 3, places[p].country, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 4, places[p].zone, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (contact, 5, now);
      sqlite3_bind_int64 (state, 1, i);
      sqlite3_bind_int64 (state, 2, now);
      if (sqlite3_step (contact) != SQLITE_DONE || sqlite3_step (state) != SQLITE_DONE)
        g_error ("Cannot write contact %u: %s", i, sqlite3_errmsg (db));
      sqlite3_reset (contact);
      sqlite3_reset (state);
    }
  sqlite3_finalize (contact);
  sqlite3_finalize (state);
  exec_ok (db, "INSERT INTO templates (id, name, kind, current_version, created_at, updated_at)"
               " VALUES (1, 'a', 'sms', 1, unixepoch (), unixepoch ()),"
               " (2, 'b', 'sms', 1, unixepoch (), unixepoch ());"
               "INSERT INTO template_versions (template_id, version, body, purpose, created_at) VALUES"
               " (1, 1, 'Hi {{first_name|there}}, 20% off everything today at https://shop.example/sale',"
               "  'promotional', unixepoch ()),"
               " (2, 1, 'Hi {{first_name|there}}, free shipping today', 'promotional', unixepoch ());"
               "COMMIT; PRAGMA wal_checkpoint (TRUNCATE)");
  sqlite3_close (db);
}

/* Every queued-or-not recipient gets an outbox row in a mix of states,
 * some clicks and orders (what a report reads after a big send). */
static void
fill_outcomes (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  exec_ok (db,
           "BEGIN;"
           "INSERT INTO outbox (idem_key, origin, contact_id, phone, channel, purpose, body, state,"
           " reason, due_at, sent_at, delivered_at, error_code, created_at, updated_at, segments, cost)"
           " SELECT 'campaign:1:' || r.contact_id, 'campaign:1:' || r.variant, r.contact_id, c.phone,"
           "  'sms', 'promotional', 'Hi Ana, 20% off',"
           "  CASE r.contact_id % 20 WHEN 0 THEN 'skipped' WHEN 1 THEN 'failed' WHEN 2 THEN 'deferred'"
           "   WHEN 3 THEN 'sent' ELSE 'delivered' END,"
           "  CASE r.contact_id % 20 WHEN 0 THEN 'frequency_cap' WHEN 2 THEN 'quiet_hours' ELSE '' END,"
           "  unixepoch (),"
           "  CASE WHEN r.contact_id % 20 IN (0, 2) THEN NULL ELSE unixepoch () + (r.contact_id % 24) * 60 END,"
           "  CASE WHEN r.contact_id % 20 > 3 THEN unixepoch () + (r.contact_id % 24) * 60 + 30 END,"
           "  CASE WHEN r.contact_id % 20 = 1 THEN '30003' ELSE '' END,"
           "  unixepoch (), unixepoch (), 1, 0.0083"
           " FROM campaign_recipients r JOIN contacts c ON c.id = r.contact_id"
           " WHERE r.campaign_id = 1 AND r.variant <> 'holdout' AND r.outbox_id IS NULL;"
           "INSERT INTO short_links (code, url, contact_id, origin, created_at)"
           " SELECT printf ('%08d', r.contact_id), 'https://shop.example/', r.contact_id,"
           "  'campaign:1:' || r.variant, unixepoch ()"
           " FROM campaign_recipients r WHERE r.campaign_id = 1 AND r.variant <> 'holdout'"
           "  AND r.contact_id % 10 = 5;"
           "INSERT INTO link_clicks (code, clicked_at) SELECT code, created_at + 60 FROM short_links;"
           "INSERT INTO events (contact_id, name, occurred_at, recorded_at, source, value, currency)"
           " SELECT contact_id, 'order_placed', unixepoch () + 3600, unixepoch (), 'import', 42, 'USD'"
           " FROM campaign_recipients WHERE campaign_id = 1 AND contact_id % 25 = 5;"
           "COMMIT; PRAGMA wal_checkpoint (TRUNCATE)");
  sqlite3_close (db);
}

static gpointer
rebuild_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _tc_campaign_counts_rebuild (db, 1, error) ? GINT_TO_POINTER (1) : NULL;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
time_reports (TcRepository *repo,
              guint         runs)
{
  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TcCampaignReport) report = NULL;
      gint64 start = g_get_monotonic_time ();

      tc_campaign_report_async (repo, 1, TC_CAMPAIGN_GROUP_VARIANT, NULL, NULL,
                                tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      report = tc_campaign_report_finish (repo, result, &error);
      if (report == NULL)
        g_error ("%s", error->message);
      printf ("report:     %.3f s over %" G_GUINT64_FORMAT " sent (run %u): %" G_GUINT64_FORMAT
              " delivered, %" G_GUINT64_FORMAT " conversions, revenue %.0f\n",
              (g_get_monotonic_time () - start) / 1e6, report->total->sent, run + 1,
              report->total->delivered, report->total->conversions, report->total->revenue);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-campaign-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(TcRepository) repo = NULL;
  g_autoptr(TcCampaign) campaign = tc_campaign_new ();
  g_autoptr(TcCampaignPreflight) preflight = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint audience = 0, n_queued = 0, n_left = 0;
  gint64 start;

  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);

  /* BENCH_REPORT_ONLY=FILE: only the report, on a workspace kept by an
   * earlier BENCH_KEEP run. */
  if (g_getenv ("BENCH_REPORT_ONLY") != NULL)
    {
      start = g_get_monotonic_time ();
      repo = tc_repository_new (g_getenv ("BENCH_REPORT_ONLY"));
      tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      if (!tc_repository_open_finish (repo, result, &error))
        g_error ("%s", error->message);
      /* An older workspace is migrated here (schema 12 counts its rows). */
      printf ("open:       %.1f s\n", seconds_since (start));
      time_reports (repo, 5);
      tc_repository_close (repo);
      g_rmdir (dir);
      return 0;
    }

  start = g_get_monotonic_time ();
  setup (path, n);
  printf ("setup:      %u contacts in %.1f s\n", n, seconds_since (start));

  repo = tc_repository_new (path);
  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  tc_campaign_set_name (campaign, "Bench");
  tc_campaign_set_channel (campaign, TC_CAMPAIGN_CHANNEL_SMS);
  tc_campaign_set_purpose (campaign, TC_PURPOSE_PROMOTIONAL);
  tc_campaign_set_audience (campaign, TRUE, NULL, NULL);
  tc_campaign_set_template (campaign, "a", NULL);
  tc_campaign_add_variant (campaign, "b", NULL, 50);
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 50;
  tc_campaign_set_holdout_percent (campaign, 10);
  tc_campaign_store_save_async (repo, campaign, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_store_save_finish (repo, result, &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  tc_campaign_preflight_async (repo, 1, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  preflight = tc_campaign_preflight_finish (repo, result, &error);
  if (preflight == NULL)
    g_error ("%s", error->message);
  printf ("preflight:  %.3f s for %" G_GUINT64_FORMAT " in the audience (%u evaluated, %s),"
          " %" G_GUINT64_FORMAT " would be sent, cost %.2f USD\n",
          seconds_since (start), preflight->audience, preflight->sample,
          preflight->estimated ? "scaled" : "exact", preflight->send, preflight->cost);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  tc_campaign_start_async (repo, 1, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_start_finish (repo, result, &audience, &error))
    g_error ("%s", error->message);
  printf ("start:      %.3f s to freeze %u recipients and split them exactly\n", seconds_since (start),
          audience);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  tc_campaign_queue_async (repo, 1, 10000, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_campaign_queue_finish (repo, result, &n_queued, &n_left, &error))
    g_error ("%s", error->message);
  printf ("queue:      %u messages composed, gated and queued in %.3f s (%.0f/s)\n", n_queued,
          seconds_since (start), n_queued / seconds_since (start));
  g_clear_object (&result);

  tc_repository_close (repo);
  g_clear_object (&repo);
  start = g_get_monotonic_time ();
  fill_outcomes (path);
  printf ("outcomes:   the rest of the outbox rows, clicks and orders written in %.1f s\n",
          seconds_since (start));

  repo = tc_repository_new (path);
  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  start = g_get_monotonic_time ();
  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, rebuild_job, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (_tc_repository_run_finish (repo, result, &error) == NULL)
    g_error ("%s", error->message);
  printf ("counters:   the campaign's counters counted from its rows in %.1f s\n", seconds_since (start));
  g_clear_object (&result);

  time_reports (repo, 2);

  tc_repository_close (repo);
  g_clear_object (&repo);
  /* BENCH_KEEP: leave the workspace for a closer look (sqlite3, perf). */
  if (g_getenv ("BENCH_KEEP") != NULL)
    {
      printf ("kept:       %s\n", path);
      return 0;
    }
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }

  return 0;
}
