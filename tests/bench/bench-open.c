/* bench-open.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens a workspace of a million contacts the way the window does: open
 * the repository, let a TcContactListModel count, fetch the first screen of
 * rows. Then scrolls to the end in screen-sized jumps, waiting for each page,
 * and prints the RSS on the way to show that memory stays bounded.
 *
 *   bench-open [ROWS]        (or BENCH_ROWS=…; default 1,000,000)
 *
 * BENCH_DB=FILE reuses (or creates once) a database instead of a temporary
 * one; BENCH_STEP=N sets the scroll jump (default: ROWS / 2000, at least a
 * screen). The measurement runs in a child process (this program again,
 * with --measure), so the generator's memory is not counted.
 */

#define G_LOG_DOMAIN "bench-open"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tc-contact-list-model.h"
#include "tc-contact.h"
#include "tc-repository-private.h"

#define DEFAULT_ROWS 1000000
/* Rows on the first screen of the contacts list. */
#define SCREEN_ROWS 40
#define WAIT_SECONDS 120.0

static const char * const first_names[] = {
  "James", "Mary", "Olivia", "Liam", "Emma", "Noah", "Sophie", "Lukas", "Léa", "Mateo",
  "Sofía", "Aarav", "Ananya", "João", "Beatriz", "Chloé", "Finn", "Giulia", "Daan",
  "Priya", "Wei", "Zoë", "Oliver", "Isla", "Mehmet", "Ayşe", "Jack", "Charlotte", NULL };
static const char * const last_names[] = {
  "Smith", "Johnson", "Müller", "Schmidt", "Martin", "Dubois", "García", "López", "Rossi",
  "de Jong", "Silva", "Santos", "Sharma", "Patel", "Nguyen", "Kim", "O'Brien", "Hernández",
  "Williams", "Brown", "Taylor", "Wilson", "van Dijk", "Côté", "Yılmaz", "Anderson",
  "Thomas", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", NULL };
static const guint area_codes[] = {
  201, 206, 212, 213, 214, 303, 305, 312, 404, 415, 503, 512, 602, 617, 702, 713, 718,
  808, 907, 917 };
static const char * const cities[] = {
  "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Seattle", "Denver", NULL };

typedef struct
{
  guint n_rows;
} FillJob;

static guint
strv_len (const char * const *strv)
{
  guint n = 0;

  while (strv[n] != NULL)
    n++;
  return n;
}

/* Writes @n_rows contacts with distinct numbers through the repository's
 * own upsert, in one transaction. */
static gpointer
fill_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  FillJob *job = job_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000000);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  static const char * const zones[] = { "America/New_York", NULL };
  static const char * const newsletter[] = { "newsletter", NULL };
  static const char * const no_tags[] = { NULL };
  static const char * const attr_names[] = { "city", NULL };

  if (!_tc_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < job->n_rows; i++)
    {
      char phone[32];
      const char *attr_values[] = { NULL, NULL };
      TcContactRow row = { 0 };
      gint64 id;
      gboolean updated;

      g_snprintf (phone, sizeof phone, "+1%u%07u",
                  area_codes[i % G_N_ELEMENTS (area_codes)],
                  2000000 + i / (guint) G_N_ELEMENTS (area_codes));
      attr_values[0] = cities[g_rand_int_range (rand, 0, strv_len (cities))];

      row.phone = phone;
      row.first_name = first_names[g_rand_int_range (rand, 0, strv_len (first_names))];
      row.last_name = last_names[g_rand_int_range (rand, 0, strv_len (last_names))];
      row.language = "en";
      row.country = "US";
      row.timezones = zones;
      row.tags = g_rand_int_range (rand, 0, 5) == 0 ? newsletter : no_tags;
      row.attr_names = attr_names;
      row.attr_values = attr_values;

      if (!_tc_db_upsert_contact (db, &row, now, &id, &updated, error))
        {
          _tc_db_rollback (db);
          return NULL;
        }
    }

  if (!_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static gboolean
open_repository (TcRepository  *repository,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_repository_open_async (repository, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_repository_open_finish (repository, result, error);
}

static gboolean
ensure_database (const char  *path,
                 guint        n_rows,
                 GError     **error)
{
  g_autoptr(TcRepository) repository = tc_repository_new (path);
  g_autoptr(GAsyncResult) count_result = NULL;
  g_autoptr(GAsyncResult) fill_result = NULL;
  FillJob *job;
  guint n_existing = 0;
  gint64 start;

  if (!open_repository (repository, error))
    return FALSE;

  tc_repository_count_contacts_async (repository, NULL, NULL, NULL,
                                      tc_repository_store_result_cb, &count_result);
  tc_repository_wait (&count_result);
  if (!tc_repository_count_contacts_finish (repository, count_result, &n_existing, error))
    return FALSE;

  if (n_existing > 0)
    {
      g_print ("database: reusing %s with %u contacts\n", path, n_existing);
      tc_repository_close (repository);
      return TRUE;
    }

  start = g_get_monotonic_time ();
  job = g_new0 (FillJob, 1);
  job->n_rows = n_rows;
  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, fill_job, job, g_free, NULL,
                            NULL, tc_repository_store_result_cb, &fill_result);
  tc_repository_wait (&fill_result);
  if (_tc_repository_run_finish (repository, fill_result, error) == NULL)
    return FALSE;

  g_print ("database: created %u contacts in %.1f s\n",
           n_rows, (g_get_monotonic_time () - start) / 1e6);
  tc_repository_close (repository);

  return TRUE;
}

/* VmRSS or VmHWM from /proc/self/status, in MB. */
static double
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0.0;

  line = strstr (status, field);
  if (line == NULL)
    return 0.0;

  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10) / 1024.0;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static gboolean
on_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main context until @condition holds; FALSE on timeout. A short
 * tick keeps iterating even when nothing else is due. */
static gboolean
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (WAIT_SECONDS * G_USEC_PER_SEC);
  guint tick = g_timeout_add (10, on_tick_cb, NULL);
  gboolean ok = TRUE;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
  return ok;
}

static gboolean
model_counted (gpointer data)
{
  TcContactListModel *model = data;

  return !tc_contact_list_model_get_loading (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static gboolean
contacts_loaded (gpointer data)
{
  GPtrArray *items = data;

  for (guint i = 0; i < items->len; i++)
    if (!tc_contact_get_loaded (g_ptr_array_index (items, i)))
      return FALSE;

  return TRUE;
}

static int
run_measure (const char *path)
{
  g_autoptr(TcRepository) repository = tc_repository_new (path);
  g_autoptr(TcContactListModel) model = NULL;
  g_autoptr(GPtrArray) screen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const char *step_env = g_getenv ("BENCH_STEP");
  guint n_items, step, next_quarter = 1;
  gint64 start, walk_start;
  double t_open, t_count, t_first;

  start = g_get_monotonic_time ();
  if (!open_repository (repository, &error))
    {
      g_printerr ("bench-open: %s\n", error->message);
      return 1;
    }
  t_open = seconds_since (start);

  model = tc_contact_list_model_new (repository);
  if (!wait_until (model_counted, model))
    {
      g_printerr ("bench-open: the model did not count within %.0f s\n", WAIT_SECONDS);
      return 1;
    }
  t_count = seconds_since (start);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < MIN (SCREEN_ROWS, n_items); i++)
    g_ptr_array_add (screen, g_list_model_get_item (G_LIST_MODEL (model), i));
  if (!wait_until (contacts_loaded, screen))
    {
      g_printerr ("bench-open: the first page did not load within %.0f s\n", WAIT_SECONDS);
      return 1;
    }
  t_first = seconds_since (start);

  g_print ("open: repository %.3f s, count %u at %.3f s, first %u rows visible at %.3f s (target < 0.5 s)\n",
           t_open, n_items, t_count, screen->len, t_first);
  g_print ("RSS after first page: %.1f MB (target <= 150 MB)\n", status_mb ("VmRSS:"));
  g_ptr_array_set_size (screen, 0);

  /* Dragging the scrollbar straight to the bottom: the last screen. */
  walk_start = g_get_monotonic_time ();
  for (guint i = n_items - MIN (SCREEN_ROWS, n_items); i < n_items; i++)
    g_ptr_array_add (screen, g_list_model_get_item (G_LIST_MODEL (model), i));
  if (!wait_until (contacts_loaded, screen))
    {
      g_printerr ("bench-open: the last page did not load within %.0f s\n", WAIT_SECONDS);
      return 1;
    }
  g_print ("jump to the end: last %u rows visible after %.3f s\n",
           screen->len, seconds_since (walk_start));
  g_ptr_array_set_size (screen, 0);

  /* Scroll to the end: one screen at a time would take ~25,000 pages for a
   * million rows, so jump like a dragged scrollbar, keeping the jumps
   * small enough that far more pages are visited than any cache holds. */
  step = step_env != NULL ? (guint) g_ascii_strtoull (step_env, NULL, 10) : n_items / 2000;
  step = MAX (step, SCREEN_ROWS);
  walk_start = g_get_monotonic_time ();
  for (guint64 pos = 0; pos < n_items; pos += step)
    {
      guint last = (guint) MIN (pos + SCREEN_ROWS, n_items);

      for (guint i = (guint) pos; i < last; i++)
        g_ptr_array_add (screen, g_list_model_get_item (G_LIST_MODEL (model), i));
      if (!wait_until (contacts_loaded, screen))
        {
          g_printerr ("bench-open: rows at %" G_GUINT64_FORMAT " did not load\n", pos);
          return 1;
        }
      g_ptr_array_set_size (screen, 0);

      while (next_quarter <= 4 && pos + step >= (guint64) n_items * next_quarter / 4)
        {
          g_print ("scroll %3u%%: RSS %.1f MB after %.1f s\n",
                   next_quarter * 25, status_mb ("VmRSS:"), seconds_since (walk_start));
          next_quarter++;
        }
    }

  g_print ("scroll: %u rows in jumps of %u, %.1f s; peak RSS %.1f MB\n",
           n_items, step, seconds_since (walk_start), status_mb ("VmHWM:"));

  g_clear_object (&model);
  tc_repository_close (repository);

  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  guint n_rows = DEFAULT_ROWS;
  gboolean temporary;

  if (argc == 3 && strcmp (argv[1], "--measure") == 0)
    return run_measure (argv[2]);

  if (argc > 1)
    n_rows = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (g_getenv ("BENCH_ROWS") != NULL)
    n_rows = (guint) g_ascii_strtoull (g_getenv ("BENCH_ROWS"), NULL, 10);
  if (n_rows == 0)
    {
      g_printerr ("Usage: bench-open [ROWS]\n");
      return 2;
    }

  temporary = g_getenv ("BENCH_DB") == NULL;
  if (temporary)
    {
      tmpdir = g_dir_make_tmp ("bench-open-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (tmpdir, "contacts.db", NULL);
    }
  else
    path = g_strdup (g_getenv ("BENCH_DB"));

  if (!ensure_database (path, n_rows, &error))
    {
      g_printerr ("bench-open: %s\n", error->message);
      return 1;
    }

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            "/proc/self/exe", "--measure", path, NULL);
  if (child == NULL || !g_subprocess_wait_check (child, NULL, &error))
    {
      g_printerr ("bench-open: %s\n", error->message);
      return 1;
    }

  if (temporary)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_unlink (file);
        }
      g_rmdir (tmpdir);
    }

  return 0;
}
