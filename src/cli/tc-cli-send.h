/* tc-cli-send.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

G_BEGIN_DECLS

/* `send`, `outbox list` and `outbox run` (tc-cli-send.c). */
int tc_cli_send_main (int    argc,
                      char **argv);

G_END_DECLS
