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

/* Listening for a SoupServer without libsoup's own listener, which in
 * libsoup 3.2 keeps a reference to every socket it accepts (about 350
 * bytes a connection, for as long as the process runs: a long-running
 * webhook endpoint or simulator would grow with every request). Each
 * connection is accepted here and handed to soup_server_accept_iostream();
 * the server then closes it after one answer (libsoup keeps connections
 * alive only while the server has listeners of its own), so answers
 * should say "Connection: close".
 *
 * The listening socket is bound to @address port @port (0: a free one)
 * with room for @backlog connections waiting to be accepted. Returns
 * NULL with @error set when it cannot listen. */
typedef struct _TcSoupListener TcSoupListener;

TcSoupListener *tc_soup_listener_new        (SoupServer      *server,
                                             GInetAddress    *address,
                                             guint            port,
                                             int              backlog,
                                             GError         **error);
/* The address and port it is bound to. */
GInetSocketAddress *tc_soup_listener_get_address (TcSoupListener *listener);
/* Stops accepting and closes the listening socket (connections already
 * taken are the server's: soup_server_disconnect() closes them). */
void            tc_soup_listener_free       (TcSoupListener  *listener);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSoupListener, tc_soup_listener_free)

/* The socket a request arrived on (for shutting a connection whose body
 * is too large): soup_server_message_get_socket() knows nothing of
 * connections taken through tc_soup_listener_new(). */
GSocket        *tc_soup_listener_get_socket (SoupServerMessage *message);

G_END_DECLS
