/* tc-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-test-util"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-test-util.h"

void
tc_test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tc_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
tc_test_open_ok (TcRepository *repo)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_open_finish (repo, res, &error));
  g_assert_no_error (error);
}

void
tc_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
tc_test_repo_set_up (TcTestRepo *f,
                     const char *tmp_template,
                     const char *db_name)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp (tmp_template, &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, db_name, NULL);
  f->repo = tc_repository_new (f->path);
  tc_test_open_ok (f->repo);
}

void
tc_test_repo_tear_down (TcTestRepo *f)
{
  if (f->repo != NULL)
    {
      tc_repository_close (f->repo);
      tc_test_drain_main_context ();
      g_assert_finalize_object (f->repo);
      f->repo = NULL;
    }
  tc_test_rm_rf (f->dir);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->dir, g_free);
}

void
tc_test_repo_reopen (TcTestRepo *f)
{
  tc_repository_close (f->repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (f->repo);
  f->repo = tc_repository_new (f->path);
  tc_test_open_ok (f->repo);
}

static sqlite3_stmt *
prepare (const char *path,
         int         flags,
         const char *sql,
         sqlite3   **db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, db, flags, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (*db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);

  return stmt;
}

gint64
tc_test_sql_int (const char *path,
                 const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = prepare (path, SQLITE_OPEN_READONLY, sql, &db);
  gint64 value;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

char *
tc_test_sql_text (const char *path,
                  const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = prepare (path, SQLITE_OPEN_READONLY, sql, &db);
  char *value = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

char *
tc_test_sql_rows (const char *path,
                  const char *sql)
{
  g_autoptr(GString) out = g_string_new ("");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = prepare (path, SQLITE_OPEN_READONLY, sql, &db);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text != NULL ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
tc_test_sql_exec (const char *path,
                  const char *sql)
{
  sqlite3 *db = NULL;

  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}
