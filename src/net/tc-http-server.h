/* tc-http-server.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-provider.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_HTTP_SERVER_DEFAULT_ADDRESS "127.0.0.1"
#define TC_HTTP_SERVER_DEFAULT_PORT    8642

#define TC_TYPE_HTTP_SERVER (tc_http_server_get_type())

G_DECLARE_FINAL_TYPE (TcHttpServer, tc_http_server, TC, HTTP_SERVER, GObject)

/*
 * Textcast's HTTP endpoint: one SoupServer for everything that comes in
 * from outside:
 *
 *   GET / HEAD /l/<code>     302 Found to the long URL (the click is recorded
 *                            first), or 404 when the code is unknown
 *   GET / POST /webhooks/<name>  provider webhooks (tc_http_server_add_webhook)
 *   POST /webhooks/shopify, /webhooks/woocommerce  the shops' webhooks as
 *                            events (tc-shop-webhooks.h)
 *   POST /events             events (tc-events-endpoint.h)
 *   any other path           404;  other methods on /l/…: 405
 *
 * Requests with a body are refused (413) without storing it, except
 * webhooks, whose bodies are bounded at 1 MiB. Answers are
 * asynchronous: the main loop never waits on the database.
 *
 * Properties:
 *   "repository" (TcRepository, construct-only)
 *   "address"    (string, read-only) the address listened on, or NULL
 *   "port"       (uint, read-only) the bound port, 0 when not listening
 */

TcHttpServer *tc_http_server_new          (TcRepository        *repository);
TcRepository *tc_http_server_get_repository (TcHttpServer      *self);
const char   *tc_http_server_get_address  (TcHttpServer        *self);
guint         tc_http_server_get_port     (TcHttpServer        *self);

/* Starts listening on @address (an IP address; NULL for
 * %TC_HTTP_SERVER_DEFAULT_ADDRESS) and @port (0: a free port, see
 * tc_http_server_get_port()). Fails when already listening. */
gboolean      tc_http_server_listen       (TcHttpServer        *self,
                                           const char          *address,
                                           guint                port,
                                           GError             **error);
/* Reads the settings http.address and http.port (tc-settings.h) and
 * listens there; @port_override >= 0 replaces the port setting. */
void          tc_http_server_start_async  (TcHttpServer        *self,
                                           gint                 port_override,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tc_http_server_start_finish (TcHttpServer        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* Webhooks (see tc-http-server.c): @provider verifies and parses what
 * arrives at /webhooks/@name; the results go to "webhook-received". */
void          tc_http_server_add_webhook    (TcHttpServer      *self,
                                             const char        *name,
                                             TcProvider        *provider);
void          tc_http_server_remove_webhook (TcHttpServer      *self,
                                             const char        *name);
/* The public base URL the providers call ("https://abc.ngrok.app"), so
 * signatures are checked against the URL they signed; NULL or "" = the
 * URL as received. */
void          tc_http_server_set_public_url (TcHttpServer      *self,
                                             const char        *public_url);

/* Stops listening and closes the connections. Idempotent. */
void          tc_http_server_stop         (TcHttpServer        *self);

G_END_DECLS
