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
 * the "Textcast/VERSION" User-Agent, and the proxy resolver below. Every
 * outgoing request goes through a session made here. */
SoupSession    *tc_soup_session_new        (void) G_GNUC_WARN_UNUSED_RESULT;

/* A proxy resolver that answers "direct://" at once for loopback hosts
 * (127.0.0.0/8, ::1, localhost: the built-in simulator, local mocks) and
 * asks the desktop's default resolver for every other host. */
GProxyResolver *tc_soup_proxy_resolver_new (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
