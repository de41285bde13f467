/* tc-engine.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send engine: takes due outbox rows and gets them to the providers —
 * as fast as each sender may, never twice, never lost — and records what
 * happened to each.
 *
 * The life of a row (states in tc-outbox.h):
 *   queued / deferred(due) ──claim──► sending ──provider──► sent(provider id)
 *                                        │                     └─status─► delivered / read /
 *                                        │                               undelivered / failed
 *                                        ├─ permanent ──► failed(reason)   (+ ledger "blocked"
 *                                        │                                    for an opt-out)
 *                                        ├─ transient ──► queued, due = now + backoff
 *                                        │                (exponential, with jitter, honouring
 *                                        │                Retry-After; at most 8 attempts, then
 *                                        │                failed)
 *                                        └─ ambiguous ──► reconcile: the provider's lookup finds
 *                                                         it → sent; finds nothing it could be
 *                                                         → unknown (the user decides)
 * Claiming is a committed write (rows become "sending" with claimed_at)
 * before any request leaves; answers are written in batches (one
 * transaction per batch, at most every 50 ms or 256 answers). At start the
 * engine first reconciles every row left in "sending" by a crash, and
 * sends nothing until that is done.
 *
 * Just before sending, each row is checked again against what may have
 * changed since it was planned: consent (an opt-out that arrived in
 * between), erasure — non-compliance rows that no longer pass become
 * skipped(reason).
 *
 * Pacing: a bounded window of requests in flight (default 64); a token
 * bucket per sender in segments per second (messages for WhatsApp), from
 * the senders registry (tc-senders.h; unregistered senders get their
 * type's defaults; mps 0 = no limit) and the sender's daily cap; a limit
 * of concurrent requests per provider account (default 32).
 *
 * Status polling: a channel with no status callback URL
 * (tc_engine_set_status_callback (…, NULL)) whose provider can be asked
 * (tc_provider_get_polling(): Twilio yes, Meta's Cloud API no — it only
 * pushes) gets no webhooks, so the engine asks. A row recorded as sent
 * gets outbox.poll_at = now + 5 s in the same transaction; each poll's
 * answer is applied like a webhook's status (only forward) and moves
 * poll_at along 5 s, 15 s, 30 s, 1 min, 2 min, 5 min, 15 min, 1 h, then
 * every 6 h, until the status is final (delivered / undelivered / failed
 * for SMS; read / undelivered / failed for WhatsApp) — poll_at NULL — or
 * 48 h after sent_at (poll_at NULL, the row stays "sent"). A final status
 * from a webhook clears poll_at too. Polls are listed in batches from a
 * timer, go through the same window and provider slots as sends (at most
 * a quarter of either), and continue after a restart (poll_at is stored).
 *
 * Inbound polling: on such a channel, when its provider can list what
 * came in (Twilio), the engine asks every inbound-poll-interval-ms for
 * messages to the channel's default sender since the newest one stored
 * for the channel (inbound_messages), and hands them to
 * tc_engine_apply_inbound(); a message listed twice is recognised by its
 * provider id and changes nothing.
 *
 * Everything runs on the main loop (libsoup is asynchronous); database
 * work goes to the repository's threads. The GUI thread never waits.
 */

#pragma once

#include <gio/gio.h>

#include "tc-provider.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_ENGINE (tc_engine_get_type ())

G_DECLARE_FINAL_TYPE (TcEngine, tc_engine, TC, ENGINE, GObject)

/*
 * Properties:
 *   "repository"  (TcRepository, construct-only)
 *   "running"     (gboolean, read-only): started and not paused
 *   "window"      (guint, default 64): requests in flight at most
 *   "n-in-flight" (guint, read-only)
 *   "provider-concurrency" (guint, default 32): requests in flight at
 *       most per provider account
 *   "backoff-base-ms" (guint, default 2000): the first retry's delay
 *       (tests make it short)
 *   "poll-interval-ms" (guint, default 1000): how often an idle engine
 *       looks for rows queued by others (tc_engine_kick() wakes it at once)
 *   "status-poll-scale" (double, default 1.0): multiplies the status
 *       polling schedule (tests make it short)
 *   "status-poll-give-up-s" (guint, default 172800 = 48 h): status polling
 *       stops this long after a row was sent
 *   "inbound-poll-interval-ms" (guint, default 15000): how often inbound
 *       messages are listed on a channel without a callback URL
 *   "n-polls" (guint, read-only): status polls answered since creation
 * Signals:
 *   "progress" (guint64 n_sent, guint64 n_failed, guint64 n_waiting):
 *       at most ten times a second while rows move; n_waiting counts due
 *       queued rows
 *   "row-changed" (gint64 outbox_id, const char *state): after the
 *       state is committed
 *   "idle": nothing due and nothing in flight
 *   "provider-problem" (TcChannel channel, const char *message): a
 *       failure with effect ACCOUNT stopped that channel's sending (the
 *       GUI shows a banner); cleared by tc_engine_resume()
 */

TcEngine   *tc_engine_new             (TcRepository  *repository);

/* The provider for @channel (NULL: rows of that channel wait). */
void        tc_engine_set_provider    (TcEngine      *self,
                                       TcChannel      channel,
                                       TcProvider    *provider);
/* The sender for rows of @channel queued without one (compliance replies,
 * `send` without --from). NULL: such rows wait. */
void        tc_engine_set_default_sender (TcEngine  *self,
                                          TcChannel  channel,
                                          const char *sender_id);
/* The status callback URL to give providers (NULL or "": statuses and
 * inbound messages by polling, when the provider can be asked). */
void        tc_engine_set_status_callback (TcEngine  *self,
                                           TcChannel  channel,
                                           const char *url);

/* Reconciles rows left in "sending", then sends what is due, and keeps
 * doing so (a timer wakes it at the next due time) until stopped. */
void        tc_engine_start           (TcEngine      *self);
void        tc_engine_pause           (TcEngine      *self);
void        tc_engine_resume          (TcEngine      *self);
/* Stops claiming; requests in flight finish and are recorded. The
 * callback runs when nothing is in flight and every answer is written. */
void        tc_engine_stop_async      (TcEngine            *self,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    tc_engine_stop_finish     (TcEngine            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Applies status updates and inbound messages from a webhook or polling:
 * statuses move their rows (only forward: delivered never goes back to
 * sent), inbound messages go to tc_inbound_process_async() (one at a
 * time, in order) and the engine looks for the replies they queued. */
void        tc_engine_apply_statuses  (TcEngine      *self,
                                       GPtrArray     *statuses);   /* TcStatusUpdate */
void        tc_engine_apply_inbound   (TcEngine      *self,
                                       GPtrArray     *inbound);    /* TcInboundMessage */

/* Looks for due rows now (after queueing some), instead of at the next
 * poll. */
void        tc_engine_kick            (TcEngine      *self);

/* Emits "inbound" (contact id, inbound message id, action name as
 * tc_inbound_action_to_string() gives it) for a message that came in and
 * was recorded: the engine does so for what it polls, TcMessaging for
 * what webhooks bring. A repeated delivery is not reported. */
void        tc_engine_report_inbound  (TcEngine        *self,
                                       gint64           contact_id,
                                       gint64           inbound_id,
                                       TcInboundAction  action);

gboolean    tc_engine_get_running     (TcEngine      *self);
guint       tc_engine_get_n_in_flight (TcEngine      *self);

/* At most this many attempts per row; a transient failure on the last
 * one fails the row. */
#define TC_ENGINE_MAX_ATTEMPTS 8

/* The delay before attempt @attempt + 1 after a transient failure of
 * attempt @attempt (1-based): base × 2^(attempt − 1), capped at an hour,
 * with jitter (@random in [0, 1) picks a point in the upper half), and
 * never less than @retry_after seconds. In milliseconds. */
guint64     tc_engine_backoff_ms      (guint          attempt,
                                       guint          base_ms,
                                       gint64         retry_after,
                                       double         random);

/* When to poll a row sent at @sent_at next, after @polls polls (0: the
 * first poll, asked at the send), at @now: now + the schedule's step ×
 * @scale, never later than @sent_at + @give_up_s; 0 = stop (now is at or
 * past that). Unix seconds. */
gint64      tc_engine_status_poll_next (gint64         sent_at,
                                        guint          polls,
                                        gint64         now,
                                        double         scale,
                                        gint64         give_up_s);

G_END_DECLS
