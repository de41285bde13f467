/* tc-cli-message.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `message` command group of textcast-cli.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] message …` (the whole command line). */
int tc_cli_message_main (int    argc,
                         char **argv);

G_END_DECLS
