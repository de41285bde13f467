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

G_END_DECLS
