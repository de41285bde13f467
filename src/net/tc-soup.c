/* tc-soup.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-soup"

#include "config.h"

#include "tc-soup.h"

#define IO_TIMEOUT_SECONDS     30
#define IDLE_TIMEOUT_SECONDS   60
#define MAX_CONNS              8
#define MAX_CONNS_PER_HOST     4

SoupSession *
tc_soup_session_new (void)
{
  return soup_session_new_with_options ("timeout", IO_TIMEOUT_SECONDS,
                                        "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                        "max-conns", MAX_CONNS,
                                        "max-conns-per-host", MAX_CONNS_PER_HOST,
                                        "user-agent", "Textcast/" PACKAGE_VERSION,
                                        NULL);
}
