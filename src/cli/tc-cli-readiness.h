/* tc-cli-readiness.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli readiness [show|answer|check-webhooks] …`, which
 * parses its own options: returns the exit status. */
int      tc_cli_readiness_main (int    argc,
                                char **argv);

G_END_DECLS
