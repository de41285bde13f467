/* tc-cli-test-util.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests that run textcast-cli as a program share: a workspace in
 * a temporary folder, running the command ($TEXTCAST_CLI) on it with some
 * standard input, and reading its JSON.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *db;     /* dir/t.db, not created */
} TcCliWorkspace;

/* A new folder from @tmp_template (for g_dir_make_tmp()). */
void        tc_cli_workspace_set_up    (TcCliWorkspace *workspace,
                                        const char     *tmp_template);
/* Removes every file in the folder (the database, its journal, exports)
 * and the folder. */
void        tc_cli_workspace_tear_down (TcCliWorkspace *workspace);

typedef struct
{
  int   status;   /* the exit status */
  char *out;
  char *err;
} TcCliRun;

void        tc_cli_run_clear           (TcCliRun       *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TcCliRun, tc_cli_run_clear)

/* Runs `textcast-cli --db @db ARGS…` with @input (NULL: nothing) on its
 * standard input and no session bus (no keyring: the environment's
 * credentials only), and waits. A sanitizer report on stderr fails the
 * test even when the command succeeded. */
void        tc_cli_run_argv            (const char         *db,
                                        const char         *input,
                                        TcCliRun           *run,
                                        const char * const *args);
void        tc_cli_run                 (const char         *db,
                                        const char         *input,
                                        TcCliRun           *run,
                                        ...) G_GNUC_NULL_TERMINATED;

/* @text parsed into @parser; fails the test unless it is a JSON object. */
JsonObject *tc_cli_parse_object        (JsonParser         *parser,
                                        const char         *text);

G_END_DECLS
