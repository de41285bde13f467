/* tc-journey-runner.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey runner: enrols contacts whose events match an active
 * journey's trigger and walks each enrollment through the version it
 * entered, one node at a time, in writer transactions (journey_enrollments,
 * schema 11). Sends compose, pass the gate and land in the outbox in the
 * same transaction that moves the enrollment on, under an idempotency key
 * made of the enrollment, its step and the node, so a crash never sends
 * twice and never skips. No GTK; see DESIGN.md ("The journey runner").
 *
 * Time comes from a TcJourneyClock: the real clock, or a simulated one
 * that jumps from due time to due time (tests, `journeys run --simulate`).
 */

#pragma once

#include <gio/gio.h>

#include "tc-repository.h"

G_BEGIN_DECLS

/* A clock: real, or simulated (starts at a given time and only moves when
 * told to). Not thread-safe; read it on the thread that owns it. */
typedef struct _TcJourneyClock TcJourneyClock;

TcJourneyClock *tc_journey_clock_new_real      (void);
TcJourneyClock *tc_journey_clock_new_simulated (gint64          start);
void            tc_journey_clock_free          (TcJourneyClock *clock);
gboolean        tc_journey_clock_is_simulated  (TcJourneyClock *clock);
/* Unix seconds. */
gint64          tc_journey_clock_now           (TcJourneyClock *clock);
/* A simulated clock moves to @time when that is later than its time; the
 * real clock ignores it. */
void            tc_journey_clock_jump          (TcJourneyClock *clock,
                                                gint64          time);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcJourneyClock, tc_journey_clock_free)

/* What one tick does (tc_journey_runner_tick_async()). */
typedef struct
{
  gint64  now;          /* unix seconds: the runner's time */
  guint   max_steps;    /* node executions in this tick (0: 2,000) */
  guint   max_events;   /* new events read in this tick (0: 5,000) */
  /* Tests only: roll the transaction back after this many node
   * executions, as a process killed mid-transaction would (0: never).
   * The tick then fails with G_IO_ERROR_CANCELLED. */
  guint   abort_after;
} TcJourneyTickOptions;

typedef struct
{
  guint   events;       /* new events read */
  guint   enrolled;     /* contacts who entered a journey */
  guint   converted;    /* enrollments a goal ended */
  guint   steps;        /* node executions */
  guint   queued;       /* messages put in the outbox (including deferred) */
  guint   skipped;      /* sends the gate skipped */
  guint   finished;     /* enrollments that reached an end */
  gboolean more;        /* work left at @now (a limit stopped the tick) */
  gint64  next_due;     /* the earliest due time after @now of an active
                         * journey's enrollment; 0: none */
  gint64  next_trigger; /* the next time after @now a date trigger
                         * (a birthday, …) enrols someone, as far as the
                         * tick knows; 0: none */
} TcJourneyTick;

/* One transaction on the writer: reads the events recorded since the last
 * tick (enrolling, converting on goals, waking waits for an event), then
 * executes due nodes, at most @options->max_steps. */
void      tc_journey_runner_tick_async  (TcRepository               *repository,
                                         const TcJourneyTickOptions *options,
                                         GCancellable               *cancellable,
                                         GAsyncReadyCallback         callback,
                                         gpointer                    user_data);
gboolean  tc_journey_runner_tick_finish (TcRepository               *repository,
                                         GAsyncResult               *result,
                                         TcJourneyTick              *tick,
                                         GError                    **error);

/* Totals of a run (tc_journey_runner_run_async()). */
typedef struct
{
  guint   ticks;
  guint   events;
  guint   enrolled;
  guint   converted;
  guint   steps;
  guint   queued;
  guint   skipped;
  guint   finished;
  gint64  clock;        /* the clock's time at the end */
} TcJourneyRunTotals;

/* Called after every tick that queued messages (to kick the send engine). */
typedef void (*TcJourneyQueuedFunc) (guint    queued,
                                     gpointer user_data);

/* Ticks until @until (unix seconds; 0: no end) or cancellation. A
 * simulated @clock jumps to the next due time whenever nothing is due, and
 * the run ends when nothing is due before @until (or at all); the real
 * clock sleeps until the next due time, looking for new events every
 * @poll_seconds (0: 5). @clock must outlive the run. Completes with the
 * totals; cancelling the real-time run (Ctrl-C) is not an error: it
 * finishes with what was done. */
void      tc_journey_runner_run_async   (TcRepository        *repository,
                                         TcJourneyClock      *clock,
                                         gint64               until,
                                         guint                poll_seconds,
                                         TcJourneyQueuedFunc  queued_func,
                                         gpointer             queued_data,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  tc_journey_runner_run_finish  (TcRepository        *repository,
                                         GAsyncResult        *result,
                                         TcJourneyRunTotals  *totals,
                                         GError             **error);

/* Per-node statistics of one journey, all versions together. */
typedef struct
{
  char    *node;       /* the node's id */
  char    *kind;       /* "wait", …; "" for a node only older versions had */
  char    *label;
  guint64  waiting;    /* enrollments at the node now (active or waiting) */
  guint64  passed;     /* times an enrollment left the node through a port */
  guint64  sent;       /* messages the node queued */
  guint64  converted;  /* enrollments a goal ended at the node */
} TcJourneyNodeStats;

typedef struct
{
  gint64     journey_id;
  guint64    enrolled;
  guint64    active;     /* active or waiting */
  guint64    completed;
  guint64    converted;
  guint64    failed;
  GPtrArray *nodes;      /* (element-type TcJourneyNodeStats), the current
                          * version's nodes in order, then older ones */
} TcJourneyStats;

void      tc_journey_stats_free          (TcJourneyStats *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcJourneyStats, tc_journey_stats_free)

/* The stats of journey @id (a read on the reader);
 * TC_JOURNEY_ERROR_NOT_FOUND when there is no such journey. */
void            tc_journey_runner_stats_async  (TcRepository        *repository,
                                                gint64               id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
TcJourneyStats *tc_journey_runner_stats_finish (TcRepository        *repository,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
