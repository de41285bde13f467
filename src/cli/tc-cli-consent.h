/* tc-cli-consent.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consent and compliance commands of textcast-cli: consent, inbound,
 * gate, senders and privacy.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `textcast-cli [--db FILE] consent|inbound|gate|senders|privacy …`
 * (the whole command line): returns the exit status. */
int tc_cli_consent_main (int    argc,
                         char **argv);

G_END_DECLS
