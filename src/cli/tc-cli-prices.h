/* tc-cli-prices.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli prices list|set|unset|reset|estimate …`, which parses
 * its own options: returns the exit status. */
int      tc_cli_prices_main   (int    argc,
                               char **argv);

G_END_DECLS
