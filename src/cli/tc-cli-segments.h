/* tc-cli-segments.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The segments commands of textcast-cli: saved audience rules, their
 * counts and previews.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] segments …` (the whole command line):
 * returns the exit status. */
int tc_cli_segments_main (int    argc,
                          char **argv);

G_END_DECLS
