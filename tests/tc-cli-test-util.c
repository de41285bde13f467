/* tc-cli-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tc-cli-test-util.h"

void
tc_cli_workspace_set_up (TcCliWorkspace *workspace,
                         const char     *tmp_template)
{
  g_autoptr(GError) error = NULL;

  workspace->dir = g_dir_make_tmp (tmp_template, &error);
  g_assert_no_error (error);
  workspace->db = g_build_filename (workspace->dir, "t.db", NULL);
}

void
tc_cli_workspace_tear_down (TcCliWorkspace *workspace)
{
  g_autoptr(GDir) dir = g_dir_open (workspace->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (workspace->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (workspace->dir), ==, 0);
  g_clear_pointer (&workspace->db, g_free);
  g_clear_pointer (&workspace->dir, g_free);
}

void
tc_cli_run_clear (TcCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
tc_cli_run_argv (const char         *db,
                 const char         *input,
                 TcCliRun           *run,
                 const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  tc_cli_run_clear (run);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_assert_null (strstr (run->err, "Sanitizer"));
}

void
tc_cli_run (const char *db,
            const char *input,
            TcCliRun   *run,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list list;

  va_start (list, run);
  while ((arg = va_arg (list, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (list);
  g_ptr_array_add (args, NULL);

  tc_cli_run_argv (db, input, run, (const char * const *) args->pdata);
}

JsonObject *
tc_cli_parse_object (JsonParser *parser,
                     const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}
