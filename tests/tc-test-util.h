/* tc-test-util.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core test suites share: a repository in a temporary folder,
 * opened for each test and closed and removed after it.
 */

#pragma once

#include <glib.h>

#include "tc-repository.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  char         *path;
  TcRepository *repo;
} TcTestRepo;

/* Removes @path, a file or a folder with everything in it. */
void tc_test_rm_rf              (const char   *path);
/* Opens @repo, failing the test on an error. */
void tc_test_open_ok            (TcRepository *repo);
/* Lets the completion idles of finished jobs run, so that nothing holds a
 * reference to the repository any more. */
void tc_test_drain_main_context (void);
/* A new folder from @tmp_template (for g_dir_make_tmp()) and a repository
 * at @db_name inside it (it may name a subfolder that does not exist yet),
 * opened. */
void tc_test_repo_set_up        (TcTestRepo   *f,
                                 const char   *tmp_template,
                                 const char   *db_name);
/* Closes the repository (if any), checks that nothing else holds it, and
 * removes the folder. */
void tc_test_repo_tear_down     (TcTestRepo   *f);

G_END_DECLS
