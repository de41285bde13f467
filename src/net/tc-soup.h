/* tc-soup.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The one place where Textcast makes an HTTP client session: bounded
 * timeouts (30 s for I/O, 60 s idle), a bounded number of connections and
 * the "Textcast/VERSION" User-Agent. Every outgoing request goes through a
 * session made here. */
SoupSession *tc_soup_session_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
