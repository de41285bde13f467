/* tc-cli-inbox.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inbox commands of textcast-cli: the conversations with the people
 * who wrote, and answers to them.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] inbox …` (the whole command line):
 * returns the exit status. */
int tc_cli_inbox_main (int    argc,
                       char **argv);

G_END_DECLS
