/* tc-cli-template.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `template` command group of textcast-cli: `template render`.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli template …` with its own options (--data, --partials,
 * --escape; --db is accepted and unused): returns the exit status. */
int      tc_cli_template_main    (int    argc,
                                  char **argv);

G_END_DECLS
