/* tc-cli-campaign.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] campaign …` (the whole command line):
 * returns the exit status. */
int tc_cli_campaign_main (int    argc,
                          char **argv);

G_END_DECLS
