/* bench-segment.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long counting a segment of three rules takes on 1,000,000 contacts:
 *   country in [US, CA] AND tag vip AND SMS promotional consent opted in.
 * The workspace is built first in one transaction (synthetic contacts,
 * seed fixed: 40 % US, 10 % CA and the rest in four other countries; 20 %
 * tagged vip, 10 % newsletter; 55 % opted in to promotional SMS, 5 %
 * opted out, 30 % opted in to WhatsApp), then the count runs on the
 * reader thread through tc_segment_count_async(), once to warm the cache
 * and then five times; the figures are the times from the call to the
 * result. Checks the count against the one the generator expects (a wrong
 * answer fails; a slow one never does). Prints its figures.
 *
 *   bench-segment [N]     N contacts, default 1000000 (or $BENCH_ROWS)
 */

#define G_LOG_DOMAIN "bench-segment"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tc-repository-private.h"
#include "tc-segment.h"

#define RUNS 5

static const char * const countries[] = { "US", "US", "US", "US", "CA", "GB", "GB", "DE", "FR",
                                          "MX" };

typedef struct
{
  guint  n_contacts;
  guint  expected;     /* contacts the rule should match */
} Build;

static gpointer
build_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  Build *build = job_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  sqlite3_stmt *contact;
  sqlite3_stmt *tag;
  sqlite3_stmt *consent;

  if (!_tc_db_begin (db, error) || !_tc_db_bulk_begin (db, error) ||
      !_tc_db_exec (db, "INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'newsletter')", error))
    goto fail;

  contact = _tc_db_prepare (db,
                            "INSERT INTO contacts (id, phone, first_name, last_name, country,"
                            " timezones, created_at, updated_at, sort_key, search_text)"
                            " VALUES (?1, ?2, ?3, 'Bench', ?4, '', 1767225600, 1767225600, ?5, '')",
                            error);
  if (contact == NULL)
    goto fail;
  tag = _tc_db_prepare (db, "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)", error);
  if (tag == NULL)
    goto fail;
  consent = _tc_db_prepare (db,
                            "INSERT INTO consent_state (contact_id, channel, purpose, status,"
                            " since, event_id, source) VALUES (?1, ?2, 'promotional', ?3,"
                            " 1767225600, 0, 'import')",
                            error);
  if (consent == NULL)
    goto fail;

  for (guint i = 1; i <= build->n_contacts; i++)
    {
      char phone[32];
      char first[16];
      char sort_key[32];
      const char *country = countries[g_rand_int_range (rand, 0, G_N_ELEMENTS (countries))];
      gboolean vip = g_rand_int_range (rand, 0, 100) < 20;
      gboolean newsletter = g_rand_int_range (rand, 0, 100) < 10;
      int sms = g_rand_int_range (rand, 0, 100);
      gboolean whatsapp = g_rand_int_range (rand, 0, 100) < 30;
      gboolean sms_in = sms < 55;

      g_snprintf (phone, sizeof phone, "+1555%07u", i);
      g_snprintf (first, sizeof first, "C%u", i);
      g_snprintf (sort_key, sizeof sort_key, "bench\x1f%07u", i);

      sqlite3_bind_int64 (contact, 1, i);
      sqlite3_bind_text (contact, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (contact, 3, first, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (contact, 4, country, -1, SQLITE_STATIC);
      sqlite3_bind_text (contact, 5, sort_key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (contact) != SQLITE_DONE)
        goto fail_db;
      sqlite3_reset (contact);

      for (int t = 1; t <= 2; t++)
        if ((t == 1 && vip) || (t == 2 && newsletter))
          {
            sqlite3_bind_int64 (tag, 1, i);
            sqlite3_bind_int (tag, 2, t);
            if (sqlite3_step (tag) != SQLITE_DONE)
              goto fail_db;
            sqlite3_reset (tag);
          }

      if (sms < 60)
        {
          sqlite3_bind_int64 (consent, 1, i);
          sqlite3_bind_text (consent, 2, "sms", -1, SQLITE_STATIC);
          sqlite3_bind_text (consent, 3, sms_in ? "opted_in" : "opted_out", -1, SQLITE_STATIC);
          if (sqlite3_step (consent) != SQLITE_DONE)
            goto fail_db;
          sqlite3_reset (consent);
        }
      if (whatsapp)
        {
          sqlite3_bind_int64 (consent, 1, i);
          sqlite3_bind_text (consent, 2, "whatsapp", -1, SQLITE_STATIC);
          sqlite3_bind_text (consent, 3, "opted_in", -1, SQLITE_STATIC);
          if (sqlite3_step (consent) != SQLITE_DONE)
            goto fail_db;
          sqlite3_reset (consent);
        }

      if ((strcmp (country, "US") == 0 || strcmp (country, "CA") == 0) && vip && sms_in)
        build->expected++;
    }

  if (!_tc_db_commit (db, error))
    goto fail;

  return GINT_TO_POINTER (1);

fail_db:
  _tc_db_set_error (db, error, "Cannot build the workspace");
fail:
  _tc_db_rollback (db);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  static const char rule[] =
    "{\"all\":[{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]},"
    "{\"tag\":\"vip\"},"
    "{\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TcRepository) repo = NULL;
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GAsyncResult) open_res = NULL;
  g_autoptr(GAsyncResult) build_res = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *rows = argc > 1 ? argv[1] : g_getenv ("BENCH_ROWS");
  Build build = { rows != NULL ? (guint) g_ascii_strtoull (rows, NULL, 10) : 1000000, 0 };
  double times[RUNS];
  gint64 start;
  guint n = 0;

  if (build.n_contacts == 0)
    build.n_contacts = 1000000;

  dir = g_dir_make_tmp ("bench-segment-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);

  repo = tc_repository_new (path);
  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &open_res);
  tc_repository_wait (&open_res);
  if (!tc_repository_open_finish (repo, open_res, &error))
    g_error ("cannot open %s: %s", path, error->message);

  start = g_get_monotonic_time ();
  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, build_job, &build, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &build_res);
  tc_repository_wait (&build_res);
  if (_tc_repository_run_finish (repo, build_res, &error) == NULL)
    g_error ("cannot build the workspace: %s", error->message);
  g_print ("built %u contacts in %.1f s\n", build.n_contacts,
           (g_get_monotonic_time () - start) / 1e6);

  segment = tc_segment_new_from_json (rule, &error);
  g_assert_no_error (error);

  for (int run = -1; run < RUNS; run++)
    {
      g_autoptr(GAsyncResult) res = NULL;

      start = g_get_monotonic_time ();
      tc_segment_count_async (repo, segment, 0, NULL, tc_repository_store_result_cb, &res);
      tc_repository_wait (&res);
      if (!tc_segment_count_finish (repo, res, &n, &error))
        g_error ("cannot count: %s", error->message);
      if (run >= 0)
        times[run] = (g_get_monotonic_time () - start) / 1e3;
      else
        g_print ("warm-up: %.1f ms\n", (g_get_monotonic_time () - start) / 1e3);
      if (n != build.expected)
        g_error ("the segment counted %u contacts, the generator expects %u", n, build.expected);
    }

  qsort (times, RUNS, sizeof times[0], compare_doubles);
  g_print ("segment of three rules on %u contacts: %u match; median %.1f ms, best %.1f ms, "
           "worst %.1f ms over %d runs (target ≤ 300 ms)\n",
           build.n_contacts, n, times[RUNS / 2], times[0], times[RUNS - 1], RUNS);

  tc_repository_close (repo);
  g_clear_object (&repo);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);

  return EXIT_SUCCESS;
}
