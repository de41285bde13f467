/* tc-cli-settings.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli settings …`, `links …` or `serve`, which parse their
 * own options (--domain, --contact-phone, --origin, --port): returns the
 * exit status. */
int      tc_cli_settings_main    (int    argc,
                                  char **argv);

G_END_DECLS
