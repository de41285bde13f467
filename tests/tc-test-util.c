/* tc-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-test-util"

#include "config.h"

#include <glib/gstdio.h>

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
