/* bench-journey-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey runner on a simulated clock: N contacts (default 100,000)
 * abandon a cart and go through a five-node journey — trigger, wait an
 * hour, an SMS, wait a day, exit — with no network (the messages stay in
 * the outbox; nothing is sent). Prints node executions ("steps") per
 * second and enrollments per second. Never fails on a slow machine.
 *
 *   _build-rel/tests/bench/bench-journey-runner [N]
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-journey.h"
#include "tc-repository.h"

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static TcRepository *
open_repository (const char *path)
{
  TcRepository *repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_repository_open_finish (repo, result, &error))
    g_error ("Cannot open %s: %s", path, error->message);

  return repo;
}

/* Contacts +44 7911 xxxxxx (London), opted in to promotional SMS; the SMS
 * template; no frequency cap. */
static void
setup_contacts (const char *path,
                guint       n)
{
  g_autoptr(TcRepository) repo = open_repository (path);
  sqlite3 *db = NULL;
  sqlite3_stmt *contact, *state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC - 86400;

  tc_repository_close (repo);
  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  exec_ok (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; BEGIN");
  sqlite3_prepare_v2 (db, "INSERT INTO contacts (id, phone, first_name, last_name, country, timezones,"
                          " created_at, updated_at, sort_key, search_text)"
                          " VALUES (?1, ?2, 'Ana', 'Lima', 'GB', 'Europe/London', ?3, ?3, ?2, ?2)",
                      -1, &contact, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO consent_state (contact_id, channel, purpose, status, since, event_id, source)"
                          " VALUES (?1, 'sms', 'promotional', 'opted_in', ?2, 0, 'import')", -1, &state, NULL);
  for (guint i = 1; i <= n; i++)
    {
      char phone[32];

      g_snprintf (phone, sizeof phone, "+447911%06u", i);
      sqlite3_bind_int64 (contact, 1, i);
      sqlite3_bind_text (contact, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (contact, 3, now);
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
               " VALUES (1, 'cart_sms', 'sms', 1, unixepoch (), unixepoch ());"
               "INSERT INTO template_versions (template_id, version, body, purpose, created_at) VALUES"
               " (1, 1, 'Hi {{first_name|there}}, your cart is waiting: {{event.cart_url}}',"
               "  'promotional', unixepoch ());"
               "INSERT INTO settings (key, value, updated_at) VALUES ('caps.promotional.count', '0', 0);"
               "COMMIT; PRAGMA wal_checkpoint (TRUNCATE)");
  sqlite3_close (db);
}

static void
setup_journey (const char *path)
{
  g_autoptr(TcRepository) repo = open_repository (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  gint64 id;
  int version;

  journey = tc_journey_new_from_data (
    "{\"name\": \"Cart\", \"reentry\": {\"policy\": \"once\"},"
    " \"goals\": [{\"event\": \"order_placed\"}],"
    " \"nodes\": ["
    "  {\"id\": \"trigger\", \"kind\": \"trigger\", \"config\": {\"event\": \"cart_abandoned\"}},"
    "  {\"id\": \"wait-1h\", \"kind\": \"wait\", \"config\": {\"duration\": 3600}},"
    "  {\"id\": \"sms\", \"kind\": \"send_sms\", \"config\": {\"template\": \"cart_sms\","
    "     \"purpose\": \"promotional\"}},"
    "  {\"id\": \"wait-1d\", \"kind\": \"wait\", \"config\": {\"duration\": 86400}},"
    "  {\"id\": \"exit\", \"kind\": \"exit\"}],"
    " \"edges\": ["
    "  {\"from\": \"trigger\", \"port\": \"next\", \"to\": \"wait-1h\"},"
    "  {\"from\": \"wait-1h\", \"port\": \"next\", \"to\": \"sms\"},"
    "  {\"from\": \"sms\", \"port\": \"sent\", \"to\": \"wait-1d\"},"
    "  {\"from\": \"sms\", \"port\": \"skipped\", \"to\": \"wait-1d\"},"
    "  {\"from\": \"wait-1d\", \"port\": \"next\", \"to\": \"exit\"}]}", -1, &error);
  g_assert_no_error (error);

  tc_journey_store_add_async (repo, journey, NULL, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_journey_store_add_finish (repo, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tc_journey_store_activate_async (repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_journey_store_activate_finish (repo, result, &version, &problems, &error))
    g_error ("Cannot activate the journey: %s", error->message);
  tc_repository_close (repo);
}

/* One cart_abandoned event per contact, recorded when the journey was
 * activated, at @at. */
static void
setup_events (const char *path,
              gint64      at)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  sql = g_strdup_printf ("BEGIN;"
                         "INSERT INTO events (contact_id, name, occurred_at, recorded_at, source, properties)"
                         " SELECT id, 'cart_abandoned', %" G_GINT64_FORMAT ","
                         "  (SELECT max (activated_at) FROM journey_versions), 'bench',"
                         "  json_object ('cart_url', 'https://shop.example/c/' || id)"
                         " FROM contacts ORDER BY id;"
                         "COMMIT; PRAGMA wal_checkpoint (TRUNCATE)", at);
  exec_ok (db, sql);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-journey-runner-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(TcRepository) repo = NULL;
  g_autoptr(TcJourneyClock) clock = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  TcJourneyRunTotals totals = { 0, };
  gint64 start, noon;
  double elapsed;

  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);

  /* Noon UTC tomorrow (noon in London): inside the quiet-hours window. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    tomorrow = g_date_time_add_days (now, 1);
    noon = g_date_time_to_unix (tomorrow) - g_date_time_to_unix (tomorrow) % 86400 + 12 * 3600;
  }

  start = g_get_monotonic_time ();
  setup_contacts (path, n);
  setup_journey (path);
  setup_events (path, noon);
  printf ("setup:    %u contacts, %u events in %.1f s\n", n, n, seconds_since (start));

  repo = open_repository (path);
  clock = tc_journey_clock_new_simulated (noon);
  start = g_get_monotonic_time ();
  tc_journey_runner_run_async (repo, clock, 0, 0, NULL, NULL, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  if (!tc_journey_runner_run_finish (repo, result, &totals, &error))
    g_error ("The run failed: %s", error->message);
  elapsed = seconds_since (start);

  printf ("run:      %.1f s, %u ticks, simulated %.1f days\n", elapsed, totals.ticks,
          (double) (totals.clock - noon) / 86400);
  printf ("          %u enrolled, %u steps, %u messages queued, %u skipped, %u finished\n",
          totals.enrolled, totals.steps, totals.queued, totals.skipped, totals.finished);
  printf ("steps/s:  %.0f (node executions)\n", totals.steps / elapsed);
  printf ("contacts/s through the whole journey: %.0f\n", totals.finished / elapsed);
  if (totals.enrolled != n || totals.finished != n || totals.queued != n)
    g_error ("expected %u enrolled, queued and finished", n);

  tc_repository_close (repo);
  g_clear_object (&repo);
  if (g_getenv ("BENCH_KEEP") == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  else
    printf ("kept:     %s\n", path);

  return 0;
}
