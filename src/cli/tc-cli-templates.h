/* tc-cli-templates.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the first word of the command line (options and their values
 * skipped) is "templates". */
/* Runs `textcast-cli templates …`, which parses its own options (--kind,
 * --name, --purpose, --language, --version V): returns the exit status. */
int      tc_cli_templates_main    (int    argc,
                                   char **argv);

G_END_DECLS
