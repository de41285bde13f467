/* tc-cli-send.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tc-repository.h"

G_BEGIN_DECLS

/* `send`, `outbox list` and `outbox run` (tc-cli-send.c). */
int tc_cli_send_main (int    argc,
                      char **argv);

/* Runs the send engine (with the HTTP endpoint and the providers of the
 * workspace; @port as `outbox run --port`, -1: the setting) until nothing
 * is due and nothing is in flight, printing progress on stderr; then stops
 * it cleanly. *@interrupted: Ctrl-C or SIGTERM ended it. Returns an exit
 * status. */
int tc_cli_run_engine_until_idle (TcRepository *repository,
                                  gint          port,
                                  gboolean     *interrupted);

G_END_DECLS
