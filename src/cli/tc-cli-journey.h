/* tc-cli-journey.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey commands of textcast-cli: the ready-made journeys, creating,
 * importing, exporting, validating, activating, pausing and listing
 * journeys.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] journey …` (the whole command line):
 * returns the exit status. */
int tc_cli_journey_main (int    argc,
                         char **argv);
/* `textcast-cli journeys run …`: the journey runner. */
int tc_cli_journeys_main (int    argc,
                          char **argv);

G_END_DECLS
