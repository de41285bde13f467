/* tc-send-service.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SEND_SERVICE (tc_send_service_get_type())

G_DECLARE_FINAL_TYPE (TcSendService, tc_send_service, TC, SEND_SERVICE, GObject)

/*
 * The sending side of the open workspace, for the app: one TcMessaging
 * (the HTTP endpoint with the provider webhooks and the tracked-link
 * redirects, the providers, the built-in simulator when chosen, and the
 * send engine), started once the repository is open and restarted —
 * stop, then start, never blocking — when a provider or HTTP setting
 * changes or tc_send_service_restart() is called (new credentials).
 *
 * It turns what goes wrong into one problem in plain words for the
 * window's banner and Preferences → Providers:
 *   PROVIDER   the engine stopped a channel ("provider-problem": the
 *              provider refused the credentials, the account is
 *              suspended); tc_send_service_retry() resumes it
 *   SETTINGS   the providers could not be built (a setting or a
 *              credential is missing); the tracked links are still served
 *   ENDPOINT   the HTTP endpoint cannot listen (the port is taken): nothing
 *              is sent, since the simulator and the delivery reports need it
 *   NO_SENDER  due messages wait because a channel has no sender
 *
 * Signals:
 *   "changed": the problem or the progress changed (read them with the
 *       getters)
 *   "recovered": a problem went away and messages move again
 */

typedef enum
{
  TC_SEND_PROBLEM_NONE,
  TC_SEND_PROBLEM_PROVIDER,
  TC_SEND_PROBLEM_SETTINGS,
  TC_SEND_PROBLEM_ENDPOINT,
  TC_SEND_PROBLEM_NO_SENDER,
} TcSendProblem;

/* @port_override >= 0 replaces the http.port setting (0: any free port). */
TcSendService *tc_send_service_new          (TcRepository        *repository,
                                             gint                 port_override);

/* Starts sending (once the repository is open). Idempotent. */
void           tc_send_service_start        (TcSendService       *self);
/* Stops and starts again, re-reading the settings and credentials. */
void           tc_send_service_restart      (TcSendService       *self);
/* Resumes a stopped channel, or starts again after a failed start. */
void           tc_send_service_retry        (TcSendService       *self);
/* Sends what was just queued (an answer in the inbox) now rather than at
 * the engine's next look. Does nothing while not sending. */
void           tc_send_service_kick         (TcSendService       *self);

/* Stops for good: requests in flight finish and are recorded. */
void           tc_send_service_stop_async   (TcSendService       *self,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       tc_send_service_stop_finish  (TcSendService       *self,
                                             GAsyncResult        *result,
                                             GError             **error);

TcSendProblem  tc_send_service_get_problem  (TcSendService       *self);
/* The problem in plain words (what happened, what to do), or NULL. */
const char    *tc_send_service_get_problem_text (TcSendService   *self);

/* Whether messages are on their way now, and how many of this batch are
 * done (sent or failed) out of how many. */
gboolean       tc_send_service_get_progress (TcSendService       *self,
                                             guint64             *n_done,
                                             guint64             *n_total);

/* Where the endpoint listens (0 while it does not). */
guint          tc_send_service_get_port     (TcSendService       *self);

G_END_DECLS
