/* tc-messaging.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcMessaging ties the sending side of a workspace together, for the
 * window and for the long-running CLI commands:
 *
 *   HTTP endpoint ──/webhooks/twilio, /webhooks/whatsapp──► provider parses and
 *        │                                                   verifies
 *        │         statuses ──► engine (outbox rows move forward)
 *        │         inbound  ──► tc_inbound_process_async() (consent keywords, replies
 *        │                      queued) ──► engine kicked
 *   providers (settings + credentials; the built-in simulator when chosen,
 *   its callbacks pointed at the endpoint) ──► engine
 *
 * Start order: the endpoint listens first (the simulator must know where
 * to post), then the providers are loaded, then the engine starts (it
 * reconciles rows a crash left in "sending" before sending anything).
 * Status callbacks: with a public URL set (http.public_url), providers are
 * given <public url>/webhooks/<name>; in simulator mode the endpoint's own
 * 127.0.0.1 address; otherwise none — and then the engine polls instead
 * (tc-engine.h, "Status polling"): Twilio statuses by message SID and the
 * messages that came in, by listing. Meta's Cloud API cannot be polled; it
 * needs the public URL set as the app's webhook.
 *
 * TEXTCAST_SIMULATOR_POLLING=1 runs the simulator as Twilio behaves with
 * no public URL: no status callbacks and no inbound posts for Twilio
 * messages (the simulator keeps its replies for listing), so statuses and
 * replies reach the outbox only by polling. Meant for tests and demos.
 */

#pragma once

#include <gio/gio.h>

#include "tc-engine.h"
#include "tc-http-server.h"
#include "tc-providers.h"

G_BEGIN_DECLS

#define TC_MESSAGING_SIMULATOR_POLLING_ENV "TEXTCAST_SIMULATOR_POLLING"
/* "1": the workspace's simulator delivers every message and sends no
 * replies (for tests that count what reaches it). */
#define TC_MESSAGING_SIMULATOR_QUIET_ENV   "TEXTCAST_SIMULATOR_QUIET"

#define TC_TYPE_MESSAGING (tc_messaging_get_type ())

G_DECLARE_FINAL_TYPE (TcMessaging, tc_messaging, TC, MESSAGING, GObject)

TcMessaging  *tc_messaging_new            (TcRepository        *repository);

/* @port_override >= 0 replaces the http.port setting (0: any free port). */
void          tc_messaging_start_async    (TcMessaging         *self,
                                           gint                 port_override,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tc_messaging_start_finish   (TcMessaging         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Stops the engine (requests in flight finish and are recorded), then the
 * endpoint and the simulator. */
void          tc_messaging_stop_async     (TcMessaging         *self,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tc_messaging_stop_finish    (TcMessaging         *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Valid after a successful start. */
TcEngine     *tc_messaging_get_engine      (TcMessaging        *self);
TcHttpServer *tc_messaging_get_http_server (TcMessaging        *self);
TcProviders  *tc_messaging_get_providers   (TcMessaging        *self);

G_END_DECLS
