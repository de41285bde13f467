/* tc-cli-events.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The events commands of textcast-cli: record what a contact did, and list
 * what was recorded.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] events …` (the whole command line):
 * returns the exit status. */
int tc_cli_events_main (int    argc,
                        char **argv);

G_END_DECLS
