/* tc-cli.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every textcast-cli command shares: how errors are printed and which
 * exit status they give, JSON output, standard input, and opening the
 * workspace.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-context.h"

G_BEGIN_DECLS

#define TC_CLI_EXIT_FAILURE     1
#define TC_CLI_EXIT_USAGE       2
#define TC_CLI_EXIT_INTERRUPTED 130

/* One line on stderr ("textcast-cli: …", newlines folded: scripts read the
 * first line). Returns TC_CLI_EXIT_FAILURE. */
int         tc_cli_fail            (const char    *format,
                                    ...) G_GNUC_PRINTF (1, 2);
/* As tc_cli_fail() with "@what: message"; a cancelled operation (Ctrl-C)
 * says so and returns TC_CLI_EXIT_INTERRUPTED. */
int         tc_cli_fail_with_error (const char    *what,
                                    const GError  *error);
/* "textcast-cli: …" then @usage on stderr. Returns TC_CLI_EXIT_USAGE. */
int         tc_cli_usage_error     (const char    *usage,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (2, 3);
/* One line of compact JSON and a newline on stdout. */
void        tc_cli_print_json      (JsonNode      *node);
/* All of standard input, exactly as given; more than @max_bytes (0: no
 * limit) is an error rather than unbounded memory. */
GBytes     *tc_cli_read_stdin      (gsize          max_bytes,
                                    GError       **error);
/* Opens the workspace at @db_path (NULL: the default one). Without
 * @create, a missing file is an error, so that a mistyped --db does not
 * quietly start a new workspace. */
TcContext  *tc_cli_open_workspace  (const char    *db_path,
                                    gboolean       create,
                                    GError       **error);
/* The command word: the first argument that is neither an option nor the
 * value of one of @value_options (NULL-terminated, e.g. "--db"). */
const char *tc_cli_command_word    (int            argc,
                                    char         **argv,
                                    const char * const *value_options);

/* One long option a command takes: --NAME VALUE or --NAME=VALUE when
 * @takes_value, a bare --NAME otherwise. -h/--help and --json are always
 * understood. */
typedef struct
{
  const char *name;
  gboolean    takes_value;
} TcCliOption;

/* What tc_cli_args_parse() found: the words that are not options, in
 * order, and the options given (name without "--" → value; "" for one that
 * takes none; the last one wins). */
typedef struct
{
  GPtrArray  *args;
  GHashTable *options;
  gboolean    help;
  gboolean    json;
} TcCliArgs;

/* Parses @argv[1…] against @specs (ended by a { NULL } entry). Options may
 * come anywhere; "--" ends them. An unknown option or a missing value is a
 * usage error with @usage: returns 0 or TC_CLI_EXIT_USAGE. Clear @args with
 * tc_cli_args_clear() either way. */
int         tc_cli_args_parse      (TcCliArgs          *args,
                                    const TcCliOption  *specs,
                                    const char         *usage,
                                    int                 argc,
                                    char              **argv);
void        tc_cli_args_clear      (TcCliArgs          *args);
/* Runs the main loop until SIGINT or SIGTERM (a foreground service's
 * normal end). */
void        tc_cli_run_until_signal (void);

/* What every command group does first: tc_cli_args_parse(), then --help
 * (usage on stdout, 0), then an empty --db refused (2). Returns -1 when
 * the command should run, else the exit status to return. */
int         tc_cli_args_start      (TcCliArgs          *args,
                                    const TcCliOption  *specs,
                                    const char         *usage,
                                    int                 argc,
                                    char              **argv);
/* The value of option @name, NULL when not given. */
const char *tc_cli_args_get        (const TcCliArgs    *args,
                                    const char         *name);
gboolean    tc_cli_args_has        (const TcCliArgs    *args,
                                    const char         *name);
/* The positional word at @index. */
const char *tc_cli_args_word       (const TcCliArgs    *args,
                                    guint               index);
/* Refuses the options of @specs (and --json) that @command does not take:
 * @allowed is NULL-terminated ("json" for --json). Checks --json, then
 * @specs in order; returns 0 or TC_CLI_EXIT_USAGE after a usage error. */
int         tc_cli_args_refuse     (const TcCliArgs    *args,
                                    const TcCliOption  *specs,
                                    const char         *usage,
                                    const char         *command,
                                    const char * const *allowed);

G_END_DECLS
