/* tc-engine.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send engine (contract in tc-engine.h). Everything here runs on the
 * main context the engine was made on; the database work is jobs on the
 * repository's threads (tc-outbox.c):
 *
 *   pump ──claim job──► ready ──dispatch──► provider ──answer──► pending outcomes
 *     ▲   (one at a time,          (window, per-provider          │ (flush: one write job at
 *     │    budgets per sender)      concurrency)                  │  a time, ≤ 256 or 50 ms)
 *     └──────────── a flight ends, a timer (next due, tokens, poll) ◄┘
 *
 * At most @window rows are claimed and not yet answered (ready + in
 * flight), and the claim asks only for what each sender's bucket allows at
 * that moment, so a row spends no longer in "sending" than it takes to
 * send it — what a crash leaves behind is at most a window's worth.
 *
 * Ambiguous answers and the rows a crash left in "sending" are looked up
 * (tc_provider_lookup_async) and recorded as RECONCILE outcomes: the
 * writer picks the first id the lookup found that no other row carries, in
 * the same transaction as every other outcome of the batch.
 */

#define G_LOG_DOMAIN "tc-engine"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-engine.h"
#include "tc-enums.h"
#include "tc-inbound.h"
#include "tc-outbox.h"
#include "tc-repository-private.h"
#include "tc-senders.h"

#define DEFAULT_WINDOW               64
#define DEFAULT_PROVIDER_CONCURRENCY 32
#define DEFAULT_BACKOFF_BASE_MS      2000
#define DEFAULT_POLL_INTERVAL_MS     1000
#define MAX_BACKOFF_MS               (60 * 60 * 1000)
#define FLUSH_BATCH                  256
#define FLUSH_INTERVAL_MS            50
#define PROGRESS_INTERVAL_US         (G_USEC_PER_SEC / 10)
#define COUNT_DUE_INTERVAL_US        G_USEC_PER_SEC
#define RECOVERY_PAGE                64
#define LOOKUP_SLACK_SECONDS         60
#define ORPHAN_MAX                   10000
#define ORPHAN_MAX_AGE_US            (60 * G_USEC_PER_SEC)
#define N_CHANNELS                   2
#define DEFAULT_STATUS_POLL_GIVE_UP_S (48 * 60 * 60)
#define DEFAULT_INBOUND_POLL_MS      15000
#define POLL_LIST_PAGE               256
#define POLL_MIN_GAP_US              (10 * 1000)
#define INBOUND_FIRST_LOOKBACK_S     (24 * 60 * 60)

typedef enum
{
  RECOVERY_PENDING,   /* not started (no provider yet, or not started) */
  RECOVERY_RUNNING,
  RECOVERY_DONE,
} Recovery;

typedef struct
{
  TcProvider *provider;
  char       *status_callback;
  char       *default_sender;
  gboolean    stopped;          /* a provider account problem; until resume */

  Recovery    recovery;
  gboolean    recovery_listing; /* a list job is running */
  gboolean    recovery_listed;  /* every "sending" row has been listed */
  gint64      recovery_after_id;
  GQueue      recovery_queue;   /* TcOutboxEntry waiting for a lookup */
  guint       recovery_lookups; /* lookups running */
  guint       recovery_unwritten; /* outcomes not yet committed */

  gboolean    inbound_listing;  /* an inbound poll is running */
} Channel;

typedef struct
{
  char     *key;       /* "channel:id" */
  char     *id;
  TcChannel channel;
  double    mps;       /* 0 = no limit */
  guint     daily_cap; /* 0 = no cap */
  double    capacity;
  double    tokens;
  gint64    refilled_us;
  gint64    day;       /* UTC day of sent_today */
  guint     sent_today;
} Sender;

typedef struct
{
  TcProvider *provider;
  guint       in_flight;
} Slot;

typedef struct
{
  TcOutboxStatus *status;
  gint64          seen_us;
} Orphan;

struct _TcEngine
{
  GObject       parent_instance;

  TcRepository *repository;
  GMainContext *context;
  Channel       channels[N_CHANNELS];
  GHashTable   *senders;        /* key → Sender */
  GHashTable   *resolving;      /* key → key: sender lookups running */
  GHashTable   *slots;          /* TcProvider* → Slot */
  GHashTable   *active;         /* ids of rows claimed and not yet answered (gint64*) */

  guint         window;
  guint         provider_concurrency;
  guint         backoff_base_ms;
  guint         poll_interval_ms;

  gboolean      started;
  gboolean      paused;
  gboolean      stopping;
  GTask        *stop_task;

  gboolean      claiming;
  GQueue        ready;          /* TcOutboxEntry: claimed, waiting for a provider slot */
  guint         in_flight;      /* send requests */
  guint         lookups;        /* reconcile lookups of ambiguous answers */

  GPtrArray    *pending;        /* TcOutboxOutcome to write */
  guint         pending_recovery[N_CHANNELS]; /* of which from recovery */
  GPtrArray    *pending_statuses; /* TcOutboxStatus to write */
  GPtrArray    *orphans;        /* Orphan: statuses no row matched yet */
  gboolean      flushing;
  GSource      *flush_source;

  GSource      *wake_source;
  GSource      *pump_source;
  GSource      *progress_source;
  gint64        last_progress_us;
  gint64        last_count_us;
  gboolean      progress_dirty;
  gboolean      idle_emitted;

  GQueue        inbound;        /* Inbound, waiting for tc_inbound_process_async */
  gboolean      inbound_busy;

  guint64       n_sent;
  guint64       n_failed;
  guint64       n_waiting;

  /* Status polling (rows with poll_at) and inbound polling. */
  double        status_poll_scale;
  guint         status_poll_give_up_s;
  guint         inbound_poll_interval_ms;
  GCancellable *poll_cancellable;
  gboolean      poll_listing;   /* a list job is running */
  gboolean      poll_full;      /* the last list was full: list again at once */
  GQueue        poll_queue;     /* TcOutboxPoll waiting for a provider slot */
  guint         polls_in_flight;
  guint         polls_open;     /* listed and not yet committed (queue, flight, pending) */
  GArray       *pending_polled; /* TcOutboxPolled to write */
  gint64        poll_next_at;   /* earliest known poll_at (unix s); 0 = none known */
  GSource      *poll_source;
  GSource      *inbound_source;
  guint         n_polls;
};

enum
{
  PROP_0,
  PROP_REPOSITORY,
  PROP_RUNNING,
  PROP_WINDOW,
  PROP_N_IN_FLIGHT,
  PROP_PROVIDER_CONCURRENCY,
  PROP_BACKOFF_BASE_MS,
  PROP_POLL_INTERVAL_MS,
  PROP_STATUS_POLL_SCALE,
  PROP_STATUS_POLL_GIVE_UP_S,
  PROP_INBOUND_POLL_INTERVAL_MS,
  PROP_N_POLLS,
  N_PROPS
};

enum
{
  SIGNAL_PROGRESS,
  SIGNAL_ROW_CHANGED,
  SIGNAL_IDLE,
  SIGNAL_PROVIDER_PROBLEM,
  SIGNAL_INBOUND,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TcEngine, tc_engine, G_TYPE_OBJECT)

static void schedule_pump   (TcEngine *self);
static void pump            (TcEngine *self);
static void dispatch        (TcEngine *self);
static void flush           (TcEngine *self);
static void check_done      (TcEngine *self);
static void recovery_step   (TcEngine *self,
                             TcChannel channel);
static void wake_in         (TcEngine *self,
                             gint64    delay_us);
static void dispatch_polls  (TcEngine *self);
static void poll_note       (TcEngine *self,
                             gint64    poll_at);
static void poll_cycle_end  (TcEngine *self);
static void schedule_inbound (TcEngine *self,
                              guint     delay_ms);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

guint64
tc_engine_backoff_ms (guint   attempt,
                      guint   base_ms,
                      gint64  retry_after,
                      double  random)
{
  double delay = base_ms;
  guint64 result;

  for (guint i = 1; i < attempt && delay < MAX_BACKOFF_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_BACKOFF_MS);
  random = CLAMP (random, 0.0, 1.0);
  result = (guint64) (delay / 2 + random * delay / 2);

  if (retry_after > 0 && (guint64) retry_after * 1000 > result)
    result = (guint64) MIN (retry_after, 24 * 60 * 60) * 1000;

  return result;
}

/* Seconds from one status poll to the next: the first after the send,
 * then after each poll. */
static const guint status_poll_schedule[] = {
  5, 15, 30, 60, 2 * 60, 5 * 60, 15 * 60, 60 * 60, 6 * 60 * 60,
};

gint64
tc_engine_status_poll_next (gint64  sent_at,
                            guint   polls,
                            gint64  now,
                            double  scale,
                            gint64  give_up_s)
{
  guint step = MIN (polls, G_N_ELEMENTS (status_poll_schedule) - 1);
  gint64 deadline = sent_at + MAX (give_up_s, 0);
  gint64 next;

  if (now >= deadline)
    return 0;

  next = now + (gint64) (status_poll_schedule[step] * MAX (scale, 0.0));
  return MIN (next, deadline);
}

/* ------------------------------------------------------------------------
 * Senders: token buckets and daily caps
 */

static void
sender_free (Sender *sender)
{
  g_free (sender->key);
  g_free (sender->id);
  g_free (sender);
}

static void
sender_refill (Sender *sender,
               gint64  now_us)
{
  gint64 day = now_us / G_USEC_PER_SEC / 86400;

  if (day != sender->day)
    {
      sender->day = day;
      sender->sent_today = 0;
    }
  if (sender->mps <= 0)
    return;

  sender->tokens = MIN (sender->capacity,
                        sender->tokens + (now_us - sender->refilled_us) * sender->mps / G_USEC_PER_SEC);
  sender->refilled_us = now_us;
}

/* Microseconds until @sender may send again (0: now); -1 when only the
 * window holds it back. */
static gint64
sender_wait_us (Sender *sender,
                gint64  now_us)
{
  gint64 wait = -1;

  if (sender->daily_cap > 0 && sender->sent_today >= sender->daily_cap)
    wait = (sender->day + 1) * 86400 * G_USEC_PER_SEC - now_us;
  if (sender->mps > 0 && sender->tokens <= 0)
    {
      gint64 refill = (gint64) ceil ((1e-6 - sender->tokens) / sender->mps * G_USEC_PER_SEC) + 1000;

      wait = MAX (wait, refill);
    }

  return wait;
}

static Slot *
slot_for (TcEngine   *self,
          TcProvider *provider)
{
  Slot *slot = g_hash_table_lookup (self->slots, provider);

  if (slot == NULL)
    {
      slot = g_new0 (Slot, 1);
      slot->provider = provider;
      g_hash_table_insert (self->slots, provider, slot);
    }

  return slot;
}

/* ------------------------------------------------------------------------
 * Signals
 */

static void
emit_progress_now (TcEngine *self)
{
  self->last_progress_us = g_get_monotonic_time ();
  self->progress_dirty = FALSE;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->n_sent, self->n_failed, self->n_waiting);
}

static gboolean
on_progress_timeout_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->progress_source, g_source_unref);
  if (self->progress_dirty)
    emit_progress_now (self);

  return G_SOURCE_REMOVE;
}

static GSource *
add_timeout (TcEngine    *self,
             guint        ms,
             GSourceFunc  func,
             const char  *name)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);

  return source;
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
progress (TcEngine *self)
{
  gint64 now = g_get_monotonic_time ();

  self->progress_dirty = TRUE;
  self->idle_emitted = FALSE;
  if (now - self->last_progress_us >= PROGRESS_INTERVAL_US)
    emit_progress_now (self);
  else if (self->progress_source == NULL)
    self->progress_source = add_timeout (self, (guint) ((PROGRESS_INTERVAL_US - (now - self->last_progress_us)) / 1000) + 1,
                                         on_progress_timeout_cb, "[tc-engine] progress");
}

static void
row_changed (TcEngine      *self,
             gint64         id,
             TcOutboxState  state)
{
  g_signal_emit (self, signals[SIGNAL_ROW_CHANGED], 0, id, tc_outbox_state_to_string (state));
}

/* ------------------------------------------------------------------------
 * Writing outcomes
 */

typedef struct
{
  GPtrArray *outcomes;   /* TcOutboxOutcome */
  GPtrArray *statuses;   /* TcOutboxStatus, not owned (owned or orphans) */
  GPtrArray *owned;      /* TcOutboxStatus owned by this batch */
  GArray    *polled;     /* TcOutboxPolled */
  guint      recovery[N_CHANNELS]; /* outcomes of recovery in this batch */
  gboolean   ledger_changed;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->outcomes, g_ptr_array_unref);
  g_clear_pointer (&batch->statuses, g_ptr_array_unref);
  g_clear_pointer (&batch->owned, g_ptr_array_unref);
  g_clear_pointer (&batch->polled, g_array_unref);
  g_free (batch);
}

static gpointer
record_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  Batch *batch = job_data;

  if (!_tc_db_outbox_record_polled (db, batch->outcomes, batch->statuses, batch->polled,
                                    now_seconds (), &batch->ledger_changed, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static void
orphan_free (Orphan *orphan)
{
  tc_outbox_status_free (orphan->status);
  g_free (orphan);
}

static gboolean
on_flush_timeout_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  flush (self);

  return G_SOURCE_REMOVE;
}

static void
on_record_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  Batch *batch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gint64 now_us = g_get_monotonic_time ();

  self->flushing = FALSE;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    {
      /* The rows stay "sending" in the database. Keep the outcomes and try
       * again: losing them would leave rows for a restart to reconcile,
       * and ask the user about messages that went out fine. */
      g_warning ("Cannot record %u send results, trying again in a second: %s",
                 batch->outcomes->len, error->message);
      for (guint i = 0; i < batch->outcomes->len; i++)
        g_ptr_array_add (self->pending, g_ptr_array_steal_index (batch->outcomes, i--));
      for (guint i = 0; i < batch->owned->len; i++)
        g_ptr_array_add (self->pending_statuses, g_ptr_array_steal_index (batch->owned, i--));
      g_array_append_vals (self->pending_polled, batch->polled->data, batch->polled->len);
      for (guint c = 0; c < N_CHANNELS; c++)
        self->pending_recovery[c] += batch->recovery[c];
      if (self->flush_source == NULL)
        self->flush_source = add_timeout (self, 1000, on_flush_timeout_cb, "[tc-engine] flush");
      return;
    }

  for (guint i = 0; i < batch->outcomes->len; i++)
    {
      TcOutboxOutcome *outcome = g_ptr_array_index (batch->outcomes, i);

      if (!outcome->applied)
        continue;
      if (outcome->state == TC_OUTBOX_SENT)
        {
          self->n_sent++;
          if (outcome->poll_at > 0)
            poll_note (self, outcome->poll_at);
        }
      else if (outcome->state == TC_OUTBOX_FAILED || outcome->state == TC_OUTBOX_UNKNOWN)
        self->n_failed++;
      row_changed (self, outcome->id, outcome->state);
    }

  for (guint i = 0; i < batch->statuses->len; i++)
    {
      TcOutboxStatus *status = g_ptr_array_index (batch->statuses, i);

      if (status->outbox_id > 0)
        row_changed (self, status->outbox_id, status->state);
    }

  /* Statuses that matched no row: a status can arrive before the answer
   * that carries its id is written. Keep them a while (bounded). */
  for (guint i = 0; i < self->orphans->len; i++)
    {
      Orphan *orphan = g_ptr_array_index (self->orphans, i);

      if (!orphan->status->matched && now_us - orphan->seen_us < ORPHAN_MAX_AGE_US)
        continue;
      g_ptr_array_remove_index_fast (self->orphans, i--);
    }
  for (guint i = 0; i < batch->owned->len; i++)
    {
      TcOutboxStatus *status = g_ptr_array_index (batch->owned, i);

      if (!status->matched && self->orphans->len < ORPHAN_MAX)
        {
          Orphan *orphan = g_new0 (Orphan, 1);

          orphan->status = g_ptr_array_steal_index (batch->owned, i--);
          orphan->seen_us = now_us;
          g_ptr_array_add (self->orphans, orphan);
        }
    }

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      Channel *channel = &self->channels[c];

      channel->recovery_unwritten -= MIN (channel->recovery_unwritten, batch->recovery[c]);
      if (channel->recovery == RECOVERY_RUNNING)
        recovery_step (self, (TcChannel) c);
    }

  if (batch->polled->len > 0)
    {
      self->polls_open -= MIN (self->polls_open, batch->polled->len);
      for (guint i = 0; i < batch->polled->len; i++)
        if (g_array_index (batch->polled, TcOutboxPolled, i).next_poll_at > 0)
          poll_note (self, g_array_index (batch->polled, TcOutboxPolled, i).next_poll_at);
      poll_cycle_end (self);
    }

  progress (self);

  if (self->pending->len > 0 || self->pending_statuses->len > 0 || self->pending_polled->len > 0)
    flush (self);
  check_done (self);
  schedule_pump (self);
}

static void
flush (TcEngine *self)
{
  Batch *batch;
  GTask *task;
  gboolean block = FALSE;
  gboolean any_sent = FALSE;

  destroy_source (&self->flush_source);

  if (self->flushing || (self->pending->len == 0 && self->pending_statuses->len == 0 &&
                         self->pending_polled->len == 0))
    return;

  batch = g_new0 (Batch, 1);
  batch->outcomes = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);
  batch->owned = g_steal_pointer (&self->pending_statuses);
  self->pending_statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_status_free);
  batch->polled = g_steal_pointer (&self->pending_polled);
  self->pending_polled = g_array_new (FALSE, FALSE, sizeof (TcOutboxPolled));
  batch->statuses = g_ptr_array_new ();
  for (guint c = 0; c < N_CHANNELS; c++)
    {
      batch->recovery[c] = self->pending_recovery[c];
      self->pending_recovery[c] = 0;
    }

  for (guint i = 0; i < batch->outcomes->len; i++)
    {
      TcOutboxOutcome *outcome = g_ptr_array_index (batch->outcomes, i);

      block |= outcome->block;
      any_sent |= outcome->kind == TC_OUTBOX_OUTCOME_SENT || outcome->kind == TC_OUTBOX_OUTCOME_RECONCILE;
    }
  /* Orphaned statuses get another chance when new ids are written. */
  if (any_sent)
    for (guint i = 0; i < self->orphans->len; i++)
      g_ptr_array_add (batch->statuses, ((Orphan *) g_ptr_array_index (self->orphans, i))->status);
  for (guint i = 0; i < batch->owned->len; i++)
    g_ptr_array_add (batch->statuses, g_ptr_array_index (batch->owned, i));

  self->flushing = TRUE;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  _tc_repository_run_async_full (self->repository, TC_DB_JOB_WRITE, record_job, batch,
                                 NULL, NULL, block, NULL, on_record_done_cb, task);
}

static void
push_outcome (TcEngine        *self,
              TcOutboxOutcome *outcome)
{
  g_hash_table_remove (self->active, &outcome->id);
  g_ptr_array_add (self->pending, outcome);

  if (self->pending->len >= FLUSH_BATCH)
    flush (self);
  else if (self->flush_source == NULL && !self->flushing)
    self->flush_source = add_timeout (self, FLUSH_INTERVAL_MS, on_flush_timeout_cb, "[tc-engine] flush");
}

/* ------------------------------------------------------------------------
 * Status polling: what a channel does
 */

/* The provider of @c can be asked for statuses (rows already carrying a
 * poll_at are polled whatever the callback is now: the provider posts to
 * the URL each message was sent with, and they had none). */
static gboolean
channel_can_poll_status (TcEngine  *self,
                         TcChannel  c)
{
  Channel *channel = &self->channels[c];

  return channel->provider != NULL &&
         (tc_provider_get_polling (channel->provider) & TC_PROVIDER_POLLING_STATUS) != 0;
}

/* When a row of @c sent now is first polled: only when no status
 * callback goes with the message. 0 = never. */
static gint64
first_poll_at (TcEngine  *self,
               TcChannel  c)
{
  gint64 now = now_seconds ();

  if (!channel_can_poll_status (self, c) || self->channels[c].status_callback != NULL)
    return 0;

  return tc_engine_status_poll_next (now, 0, now, self->status_poll_scale,
                                     self->status_poll_give_up_s);
}

/* ------------------------------------------------------------------------
 * Sending
 */

typedef struct
{
  TcEngine      *self;       /* a reference */
  TcOutboxEntry *entry;
  TcProvider    *provider;   /* a reference */
  gboolean       recovery;   /* a row a crash left in "sending" */
} Flight;

static void
flight_free (Flight *flight)
{
  g_clear_object (&flight->self);
  g_clear_pointer (&flight->entry, tc_outbox_entry_free);
  g_clear_object (&flight->provider);
  g_free (flight);
}

static void
channel_push_outcome (TcEngine        *self,
                      Flight          *flight,
                      TcOutboxOutcome *outcome)
{
  if (flight->recovery)
    self->pending_recovery[flight->entry->channel]++;
  push_outcome (self, outcome);
}

static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(TcEngine) self = g_object_ref (flight->self);
  Channel *channel = &self->channels[flight->entry->channel];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  TcOutboxOutcome *outcome;

  found = tc_provider_lookup_finish (TC_PROVIDER (object), result, &error);

  if (found == NULL)
    {
      outcome = tc_outbox_outcome_new (flight->entry->id, TC_OUTBOX_OUTCOME_UNKNOWN);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        outcome->reason = g_strdup_printf ("The request may have reached %s, which cannot look messages "
                                           "up: check whether it arrived, then send it again or not",
                                           tc_provider_get_name (flight->provider));
      else
        outcome->reason = g_strdup_printf ("The request may have reached %s, and looking it up failed "
                                           "(%s): check whether it arrived, then send it again or not",
                                           tc_provider_get_name (flight->provider), error->message);
    }
  else
    {
      GStrvBuilder *builder = g_strv_builder_new ();

      for (guint i = 0; i < found->len; i++)
        {
          TcStatusUpdate *update = g_ptr_array_index (found, i);

          if (update->provider_id != NULL && update->provider_id[0] != '\0')
            g_strv_builder_add (builder, update->provider_id);
        }
      outcome = tc_outbox_outcome_new (flight->entry->id, TC_OUTBOX_OUTCOME_RECONCILE);
      /* A row a crash left in "sending" that the provider does not know
       * was never received: it goes again. A row whose request was seen
       * going out (an ambiguous answer now) is never sent twice. */
      outcome->requeue_if_none = flight->recovery;
      outcome->due_at = g_get_real_time () / G_USEC_PER_SEC;
      outcome->poll_at = first_poll_at (self, flight->entry->channel);
      outcome->candidates = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
      outcome->reason = g_strdup_printf ("The request may have reached %s, but it has no message to this "
                                         "number from that time: check, then send it again or not",
                                         tc_provider_get_name (flight->provider));
    }

  if (flight->recovery)
    channel->recovery_lookups--;
  else
    self->lookups--;
  slot_for (self, flight->provider)->in_flight--;
  channel_push_outcome (self, flight, outcome);

  if (flight->recovery)
    recovery_step (self, flight->entry->channel);
  dispatch (self);
  flight_free (flight);
  check_done (self);
  schedule_pump (self);
}

/* Looks up the message of @flight (an ambiguous send, or a row a crash
 * left "sending"). Takes a provider slot. */
static void
start_lookup (TcEngine *self,
              Flight   *flight)
{
  g_autofree char *to = NULL;
  gint64 since = MAX (flight->entry->claimed_at - LOOKUP_SLACK_SECONDS, 0);

  /* Twilio keeps WhatsApp recipients as "whatsapp:+…" (tc-twilio.h). */
  if (flight->entry->channel == TC_CHANNEL_WHATSAPP &&
      g_strcmp0 (tc_provider_get_name (flight->provider), "twilio") == 0)
    to = g_strconcat ("whatsapp:", flight->entry->phone, NULL);
  else
    to = g_strdup (flight->entry->phone);

  if (flight->recovery)
    self->channels[flight->entry->channel].recovery_lookups++;
  else
    self->lookups++;
  slot_for (self, flight->provider)->in_flight++;
  tc_provider_lookup_async (flight->provider, to, since, NULL, on_lookup_cb, flight);
}

static const char *
or_default (const char *text,
            const char *fallback)
{
  return text != NULL && text[0] != '\0' ? text : fallback;
}

static void
channel_problem (TcEngine            *self,
                 TcChannel            channel,
                 const TcSendFailure *failure)
{
  g_autofree char *message = NULL;

  if (self->channels[channel].stopped)
    return;

  self->channels[channel].stopped = TRUE;
  message = g_strdup_printf ("%s. %s", or_default (failure->meaning, "The provider refused the account"),
                             or_default (failure->action, "Check the provider settings, then resume sending"));
  g_signal_emit (self, signals[SIGNAL_PROVIDER_PROBLEM], 0, channel, message);
}

static void
on_send_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(TcEngine) self = g_object_ref (flight->self);
  TcOutboxEntry *entry = flight->entry;
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcOutboxOutcome *outcome = NULL;

  receipt = tc_provider_send_finish (TC_PROVIDER (object), result, &failure);

  self->in_flight--;
  slot_for (self, flight->provider)->in_flight--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);

  if (receipt != NULL)
    {
      outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_SENT);
      outcome->provider_id = g_strdup (receipt->provider_id);
      outcome->poll_at = first_poll_at (self, entry->channel);
    }
  else if (failure->klass == TC_SEND_FAILURE_AMBIGUOUS)
    {
      start_lookup (self, flight);
      dispatch (self);
      schedule_pump (self);
      return;
    }
  else if (failure->effect == TC_SEND_EFFECT_ACCOUNT)
    {
      /* Not this message's fault: it waits for the account to be fixed. */
      outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_REQUEUE);
      outcome->due_at = now_seconds ();
      outcome->reason = g_strdup (or_default (failure->meaning, "The provider refused the account"));
      outcome->error_code = g_strdup (failure->code);
      channel_problem (self, entry->channel, failure);
    }
  else if (failure->klass == TC_SEND_FAILURE_PERMANENT)
    {
      outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_FAILED);
      outcome->reason = g_strdup (or_default (failure->meaning, "The provider refused the message"));
      outcome->error_code = g_strdup (failure->code);
      if (failure->effect == TC_SEND_EFFECT_OPTED_OUT)
        {
          outcome->block = TRUE;
          outcome->block_origin = g_strdup_printf ("%s error %s", tc_provider_get_name (flight->provider),
                                                   or_default (failure->code, "(no code)"));
        }
    }
  else if (entry->attempts >= TC_ENGINE_MAX_ATTEMPTS)
    {
      outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_FAILED);
      outcome->reason = g_strdup_printf ("Gave up after %u attempts: %s", entry->attempts,
                                         or_default (failure->meaning, "the provider did not take it"));
      outcome->error_code = g_strdup (failure->code);
    }
  else
    {
      guint64 delay = tc_engine_backoff_ms (entry->attempts, self->backoff_base_ms,
                                            failure->retry_after, g_random_double ());

      outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_RETRY);
      /* Due at the first whole second after now + delay. */
      outcome->due_at = (g_get_real_time () + (gint64) delay * 1000 + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
      outcome->reason = g_strdup (or_default (failure->meaning, "The provider did not take it"));
      outcome->error_code = g_strdup (failure->code);
    }

  /* Not taken by the provider: it does not count toward the daily cap. */
  if (outcome->kind == TC_OUTBOX_OUTCOME_RETRY || outcome->kind == TC_OUTBOX_OUTCOME_REQUEUE)
    {
      g_autofree char *key = tc_outbox_sender_key (entry->channel, entry->sender_id);
      Sender *sender = g_hash_table_lookup (self->senders, key);

      if (sender != NULL && sender->sent_today > 0)
        sender->sent_today--;
    }

  channel_push_outcome (self, flight, outcome);
  flight_free (flight);
  dispatch (self);
  check_done (self);
  schedule_pump (self);
}

static void
start_send (TcEngine      *self,
            TcOutboxEntry *entry)
{
  Channel *channel = &self->channels[entry->channel];
  Flight *flight = g_new0 (Flight, 1);
  TcOutboundMessage message = {
    .channel = entry->channel,
    .from = entry->sender_id,
    .to = entry->phone,
    .body = entry->body[0] != '\0' ? entry->body : NULL,
    .media_url = entry->media_url[0] != '\0' ? entry->media_url : NULL,
    .wa_template_json = entry->wa_template[0] != '\0' ? entry->wa_template : NULL,
    .content_sid = entry->content_sid[0] != '\0' ? entry->content_sid : NULL,
    .content_variables = entry->content_variables[0] != '\0' ? entry->content_variables : NULL,
    .status_callback = channel->status_callback,
  };

  flight->self = g_object_ref (self);
  flight->entry = entry;
  flight->provider = g_object_ref (channel->provider);

  self->in_flight++;
  slot_for (self, flight->provider)->in_flight++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_FLIGHT]);

  tc_provider_send_async (flight->provider, &message, NULL, on_send_cb, flight);
}

/* Hands ready rows to their providers while the provider slots allow. */
static void
dispatch (TcEngine *self)
{
  GList *link = self->ready.head;

  while (link != NULL)
    {
      GList *next = link->next;
      TcOutboxEntry *entry = link->data;
      Channel *channel = &self->channels[entry->channel];

      if (channel->stopped || channel->provider == NULL || self->stopping)
        {
          /* Claimed but never sent: back to the queue, the attempt not counted. */
          TcOutboxOutcome *outcome = tc_outbox_outcome_new (entry->id, TC_OUTBOX_OUTCOME_REQUEUE);

          outcome->due_at = now_seconds ();
          outcome->reason = g_strdup (self->stopping ? "Sending was stopped before this message went out"
                                                     : "Waiting for the provider problem to be fixed");
          g_queue_delete_link (&self->ready, link);
          tc_outbox_entry_free (entry);
          push_outcome (self, outcome);
        }
      else if (slot_for (self, channel->provider)->in_flight < self->provider_concurrency)
        {
          g_queue_delete_link (&self->ready, link);
          start_send (self, entry);
        }

      link = next;
    }

  /* Polls take what sends leave. */
  dispatch_polls (self);
}

/* ------------------------------------------------------------------------
 * Status polling
 *
 * A cycle: list the rows due (poll_at <= now) of the channels whose
 * provider can be asked, ask for each within the provider's slots and at
 * most a quarter of the window, write every answer with the next poll_at
 * in the regular batches, and when all are written, list again — at once
 * if the list was full, else at the earliest poll_at known.
 */

/* A provider's status as a TcOutboxStatus, or NULL when it says nothing
 * a row does not already (queued, no id). */
static TcOutboxStatus *
status_from_update (const TcStatusUpdate *update)
{
  TcOutboxStatus *status;
  TcOutboxState state;

  switch (update->state)
    {
    case TC_DELIVERY_SENT:        state = TC_OUTBOX_SENT; break;
    case TC_DELIVERY_DELIVERED:   state = TC_OUTBOX_DELIVERED; break;
    case TC_DELIVERY_READ:        state = TC_OUTBOX_READ; break;
    case TC_DELIVERY_UNDELIVERED: state = TC_OUTBOX_UNDELIVERED; break;
    case TC_DELIVERY_FAILED:      state = TC_OUTBOX_FAILED; break;
    case TC_DELIVERY_QUEUED:
    default:
      return NULL;
    }
  if (update->provider_id == NULL || update->provider_id[0] == '\0')
    return NULL;

  status = g_new0 (TcOutboxStatus, 1);
  status->provider_id = g_strdup (update->provider_id);
  status->state = state;
  status->at = update->at;
  status->error_code = g_strdup (update->error_code);
  status->reason = g_strdup (update->error_meaning);
  status->price = update->price;
  status->price_currency = g_strdup (update->price_currency);

  return status;
}

static void
schedule_flush (TcEngine *self)
{
  if (self->pending->len + self->pending_statuses->len + self->pending_polled->len >= FLUSH_BATCH)
    flush (self);
  else if (self->flush_source == NULL && !self->flushing)
    self->flush_source =
      add_timeout (self, FLUSH_INTERVAL_MS, on_flush_timeout_cb, "[tc-engine] flush");
}

static gboolean
polling_allowed (TcEngine *self)
{
  return self->started && !self->paused && !self->stopping;
}

static guint
poll_channels (TcEngine *self)
{
  guint mask = 0;

  /* A channel stopped by an account problem waits for resume. */
  for (guint c = 0; c < N_CHANNELS; c++)
    if (channel_can_poll_status (self, (TcChannel) c) && !self->channels[c].stopped)
      mask |= 1u << c;

  return mask;
}

static guint
poll_cap (TcEngine *self)
{
  return MAX (1, MIN (self->window, self->provider_concurrency) / 4);
}

static gint64
poll_min_gap_us (TcEngine *self)
{
  return MAX ((gint64) (G_USEC_PER_SEC * self->status_poll_scale), POLL_MIN_GAP_US);
}

typedef struct
{
  guint      channels;
  guint      limit;
  gint64     next_poll_at;
} PollListJob;

static gpointer
list_polls_job (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  PollListJob *job = job_data;

  return _tc_db_outbox_list_polls (db, job->channels, now_seconds (), job->limit,
                                   &job->next_poll_at, error);
}

static void poll_list (TcEngine *self);

static gboolean
on_poll_timeout_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->poll_source, g_source_unref);
  poll_list (self);

  return G_SOURCE_REMOVE;
}

/* Lists due rows in @delay_us, unless a cycle runs (its end decides) or
 * the timer is set sooner. */
static void
poll_wake_in (TcEngine *self,
              gint64    delay_us)
{
  gint64 ready = g_get_monotonic_time () + MAX (delay_us, 0);

  if (!polling_allowed (self) || self->poll_listing || self->polls_open > 0)
    return;
  if (self->poll_source != NULL && g_source_get_ready_time (self->poll_source) <= ready &&
      g_source_get_ready_time (self->poll_source) >= 0)
    return;

  destroy_source (&self->poll_source);
  self->poll_source = add_timeout (self, (guint) CLAMP ((delay_us + 999) / 1000, 0, G_MAXINT / 2),
                                   on_poll_timeout_cb, "[tc-engine] status polls");
}

/* A row will be due at @poll_at (unix seconds). */
static void
poll_note (TcEngine *self,
           gint64    poll_at)
{
  if (self->poll_next_at == 0 || poll_at < self->poll_next_at)
    self->poll_next_at = poll_at;
  if (!self->poll_listing && self->polls_open == 0)
    poll_wake_in (self,
                  MAX (poll_at * G_USEC_PER_SEC - g_get_real_time (), poll_min_gap_us (self)));
}

static void
poll_cycle_end (TcEngine *self)
{
  if (self->poll_listing || self->polls_open > 0)
    return;

  if (self->poll_full)
    poll_wake_in (self, 0);
  else if (self->poll_next_at > 0)
    poll_wake_in (self, MAX (self->poll_next_at * G_USEC_PER_SEC - g_get_real_time (),
                             poll_min_gap_us (self)));
  check_done (self);
}

static void
on_list_polls_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  PollListJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  self->poll_listing = FALSE;
  rows = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot read which messages' statuses to ask for, trying again in a minute: %s",
                 error->message);
      self->poll_full = FALSE;
      if (self->poll_next_at == 0 || self->poll_next_at > now_seconds () + 60)
        self->poll_next_at = now_seconds () + 60;
      poll_cycle_end (self);
      return;
    }

  if (job->next_poll_at > 0 && (self->poll_next_at == 0 || job->next_poll_at < self->poll_next_at))
    self->poll_next_at = job->next_poll_at;
  self->poll_full = rows->len >= job->limit;

  for (guint i = 0; i < rows->len; i++)
    {
      g_queue_push_tail (&self->poll_queue, g_ptr_array_steal_index (rows, i--));
      self->polls_open++;
    }

  if (self->stopping)
    {
      g_queue_clear_full (&self->poll_queue, (GDestroyNotify) tc_outbox_poll_free);
      self->polls_open = 0;
    }
  dispatch_polls (self);
  poll_cycle_end (self);
}

static void
poll_list (TcEngine *self)
{
  PollListJob *job;
  GTask *task;
  guint channels = poll_channels (self);

  destroy_source (&self->poll_source);
  if (!polling_allowed (self) || self->poll_listing || self->polls_open > 0 || channels == 0)
    return;

  job = g_new0 (PollListJob, 1);
  job->channels = channels;
  job->limit = POLL_LIST_PAGE;
  self->poll_listing = TRUE;
  self->poll_next_at = 0;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, job, g_free);
  _tc_repository_run_async_full (self->repository, TC_DB_JOB_READ, list_polls_job, job, NULL,
                                 (GDestroyNotify) g_ptr_array_unref, FALSE, NULL,
                                 on_list_polls_cb, task);
}

typedef struct
{
  TcEngine     *self;      /* a reference */
  TcOutboxPoll *row;
  TcProvider   *provider;  /* a reference */
} PollFlight;

static void
poll_flight_free (PollFlight *flight)
{
  g_clear_object (&flight->self);
  g_clear_pointer (&flight->row, tc_outbox_poll_free);
  g_clear_object (&flight->provider);
  g_free (flight);
}

static void
on_poll_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PollFlight *flight = user_data;
  g_autoptr(TcEngine) self = g_object_ref (flight->self);
  g_autoptr(GError) error = NULL;
  TcStatusUpdate *update = NULL;
  TcOutboxPolled polled = { flight->row->id, 0 };

  update = tc_provider_fetch_status_finish (TC_PROVIDER (object), result, &error);

  self->polls_in_flight--;
  slot_for (self, flight->provider)->in_flight--;

  if (update == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopping: the row keeps its poll_at and is asked for after a
       * restart. */
      self->polls_open--;
      poll_flight_free (flight);
      poll_cycle_end (self);
      dispatch (self);
      check_done (self);
      return;
    }

  if (update != NULL)
    {
      TcOutboxStatus *status = status_from_update (update);

      if (status != NULL)
        g_ptr_array_add (self->pending_statuses, status);
      tc_status_update_free (update);
    }
  else
    g_debug ("Status poll of outbox row %" G_GINT64_FORMAT " (%s): %s", flight->row->id,
             flight->row->provider_id, error->message);

  /* A provider that cannot be asked: nothing will change that by asking
   * again. Any other failure (network, not found yet, rate limited) is
   * tried again on the schedule. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    polled.next_poll_at = tc_engine_status_poll_next (flight->row->sent_at, flight->row->polls + 1,
                                                      now_seconds (), self->status_poll_scale,
                                                      self->status_poll_give_up_s);
  g_array_append_val (self->pending_polled, polled);
  self->n_polls++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POLLS]);

  poll_flight_free (flight);
  schedule_flush (self);
  dispatch (self);
  check_done (self);
}

/* Asks for the statuses of listed rows while the slots allow: sends come
 * first, and polls never hold more than a quarter of the window. */
static void
dispatch_polls (TcEngine *self)
{
  while (!g_queue_is_empty (&self->poll_queue))
    {
      TcOutboxPoll *row = g_queue_peek_head (&self->poll_queue);
      Channel *channel = &self->channels[row->channel];
      PollFlight *flight;
      Slot *slot;

      if (self->stopping || channel->stopped || !channel_can_poll_status (self, row->channel))
        {
          /* Its provider went away (or has an account problem) meanwhile:
           * it keeps its poll_at. */
          tc_outbox_poll_free (g_queue_pop_head (&self->poll_queue));
          self->polls_open--;
          continue;
        }

      slot = slot_for (self, channel->provider);
      if (self->polls_in_flight >= poll_cap (self) ||
          slot->in_flight >= self->provider_concurrency ||
          self->in_flight + self->lookups + self->polls_in_flight >= self->window)
        break;

      flight = g_new0 (PollFlight, 1);
      flight->self = g_object_ref (self);
      flight->row = g_queue_pop_head (&self->poll_queue);
      flight->provider = g_object_ref (channel->provider);
      self->polls_in_flight++;
      slot->in_flight++;
      tc_provider_fetch_status_async (flight->provider, flight->row->provider_id,
                                      self->poll_cancellable, on_poll_cb, flight);
    }

  if (self->polls_open == 0)
    poll_cycle_end (self);
}

/* ------------------------------------------------------------------------
 * Inbound polling: what came in, asked for every inbound-poll-interval-ms
 * on channels whose provider can list it and that have no callback URL
 * (then no webhook reaches us either). The cursor is the newest message
 * stored for the channel (inbound_messages); a message listed twice is
 * recognised by its provider id and changes nothing.
 */

static gboolean
channel_polls_inbound (TcEngine  *self,
                       TcChannel  c)
{
  Channel *channel = &self->channels[c];

  return channel->provider != NULL && channel->status_callback == NULL && !channel->stopped &&
         (tc_provider_get_polling (channel->provider) & TC_PROVIDER_POLLING_INBOUND) != 0;
}

typedef struct
{
  TcChannel   channel;
  gint64      cursor;
  TcProvider *provider;  /* a reference */
  char       *to;
} InboundPoll;

static void
inbound_poll_free (InboundPoll *poll)
{
  g_clear_object (&poll->provider);
  g_free (poll->to);
  g_free (poll);
}

static gpointer
inbound_cursor_job (TcDb          *db,
                    gpointer       job_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  InboundPoll *poll = job_data;
  sqlite3_stmt *stmt;
  int rc;

  stmt =
    _tc_db_prepare (db, "SELECT max (received_at) FROM inbound_messages WHERE channel = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, tc_channel_to_string (poll->channel), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    poll->cursor = sqlite3_column_int64 (stmt, 0);
  else
    poll->cursor = now_seconds () - INBOUND_FIRST_LOOKBACK_S;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the newest message received");
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static void
on_inbound_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  InboundPoll *poll = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  self->channels[poll->channel].inbound_listing = FALSE;
  messages = tc_provider_list_inbound_finish (TC_PROVIDER (object), result, &error);
  if (messages == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot list the %s messages that came in: %s",
                 tc_channel_to_string (poll->channel), error->message);
    }
  else
    {
      for (guint i = 0; i < messages->len; i++)
        if (((TcInboundMessage *) g_ptr_array_index (messages, i))->channel != poll->channel)
          g_ptr_array_remove_index (messages, i--);
      if (messages->len > 0)
        tc_engine_apply_inbound (self, messages);
    }

  check_done (self);
}

static void
on_inbound_cursor_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  InboundPoll *poll = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL || self->stopping)
    {
      if (error != NULL)
        g_warning ("Cannot poll for messages that came in: %s", error->message);
      self->channels[poll->channel].inbound_listing = FALSE;
      check_done (self);
      return;
    }

  tc_provider_list_inbound_async (poll->provider, poll->channel, poll->to, poll->cursor,
                                  self->poll_cancellable, on_inbound_listed_cb,
                                  g_object_ref (task));
}

static void
inbound_poll (TcEngine  *self,
              TcChannel  c)
{
  Channel *channel = &self->channels[c];
  InboundPoll *poll;
  GTask *task;

  if (channel->inbound_listing)
    return;

  poll = g_new0 (InboundPoll, 1);
  poll->channel = c;
  poll->provider = g_object_ref (channel->provider);
  poll->to = g_strdup (channel->default_sender);
  channel->inbound_listing = TRUE;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, poll, (GDestroyNotify) inbound_poll_free);
  _tc_repository_run_async_full (self->repository, TC_DB_JOB_READ, inbound_cursor_job, poll, NULL,
                                 NULL, FALSE, NULL, on_inbound_cursor_cb, task);
}

static gboolean
on_inbound_timeout_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->inbound_source, g_source_unref);
  if (!polling_allowed (self))
    return G_SOURCE_REMOVE;

  /* While earlier messages are still being handled, their cursor is not
   * written yet: wait for them. */
  if (!self->inbound_busy && g_queue_is_empty (&self->inbound))
    for (guint c = 0; c < N_CHANNELS; c++)
      if (channel_polls_inbound (self, (TcChannel) c))
        inbound_poll (self, (TcChannel) c);

  schedule_inbound (self, self->inbound_poll_interval_ms);

  return G_SOURCE_REMOVE;
}

static void
schedule_inbound (TcEngine *self,
                  guint     delay_ms)
{
  gboolean any = FALSE;

  for (guint c = 0; c < N_CHANNELS; c++)
    any |= channel_polls_inbound (self, (TcChannel) c);
  if (!any || !polling_allowed (self) || self->inbound_source != NULL)
    return;

  self->inbound_source =
    add_timeout (self, delay_ms, on_inbound_timeout_cb, "[tc-engine] inbound polls");
}

/* Starts (or restarts after a change) both kinds of polling: rows due
 * now are listed at once; what came in is first asked for one interval
 * from now (sending goes first). */
static void
start_polling (TcEngine *self)
{
  if (!polling_allowed (self))
    return;

  poll_wake_in (self, 0);
  if (self->inbound_source == NULL)
    schedule_inbound (self, self->inbound_poll_interval_ms);
}

/* ------------------------------------------------------------------------
 * Recovery of rows left in "sending"
 */

typedef struct
{
  TcChannel channel;
  gint64    after_id;
} RecoveryJob;

static gpointer
list_sending_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  RecoveryJob *job = job_data;

  return _tc_db_outbox_list_sending (db, job->channel, job->after_id, RECOVERY_PAGE, error);
}

static void
on_list_sending_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  RecoveryJob *job = g_task_get_task_data (task);
  Channel *channel = &self->channels[job->channel];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  channel->recovery_listing = FALSE;
  rows = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot list the messages left being sent: %s", error->message);
      /* Without knowing them nothing of this channel may be sent. */
      channel->recovery = RECOVERY_PENDING;
      check_done (self);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      TcOutboxEntry *entry = g_ptr_array_steal_index (rows, i--);

      channel->recovery_after_id = MAX (channel->recovery_after_id, entry->id);
      g_queue_push_tail (&channel->recovery_queue, entry);
    }
  if (g_queue_is_empty (&channel->recovery_queue) || channel->recovery_after_id == job->after_id)
    channel->recovery_listed = TRUE;

  recovery_step (self, job->channel);
  /* A stop asked for while this page was being listed waits for it. */
  check_done (self);
}

/* Moves the recovery of @channel on: lists the next page of "sending"
 * rows, looks them up (within the provider's slots), and once all are
 * looked up and written, lets the channel send. */
static void
recovery_step (TcEngine  *self,
               TcChannel  c)
{
  Channel *channel = &self->channels[c];

  if (channel->recovery != RECOVERY_RUNNING)
    return;

  while (!g_queue_is_empty (&channel->recovery_queue) && channel->provider != NULL &&
         slot_for (self, channel->provider)->in_flight < self->provider_concurrency)
    {
      TcOutboxEntry *entry = g_queue_pop_head (&channel->recovery_queue);
      Flight *flight;

      /* Being sent by this engine right now (the provider was changed
       * under a running engine): its own answer settles it. */
      if (g_hash_table_contains (self->active, &entry->id))
        {
          tc_outbox_entry_free (entry);
          continue;
        }

      flight = g_new0 (Flight, 1);
      flight->self = g_object_ref (self);
      flight->entry = entry;
      flight->provider = g_object_ref (channel->provider);
      flight->recovery = TRUE;
      channel->recovery_unwritten++;
      start_lookup (self, flight);
    }

  if (g_queue_is_empty (&channel->recovery_queue) && !channel->recovery_listing &&
      !channel->recovery_listed && !self->stopping)
    {
      RecoveryJob *job = g_new0 (RecoveryJob, 1);
      GTask *task = g_task_new (self, NULL, NULL, NULL);

      job->channel = c;
      job->after_id = channel->recovery_after_id;
      g_task_set_task_data (task, job, g_free);
      channel->recovery_listing = TRUE;
      _tc_repository_run_async_full (self->repository, TC_DB_JOB_READ, list_sending_job, job, NULL,
                                     (GDestroyNotify) g_ptr_array_unref, FALSE, NULL,
                                     on_list_sending_cb, task);
      return;
    }

  if (channel->recovery_listed && g_queue_is_empty (&channel->recovery_queue) &&
      channel->recovery_lookups == 0 && channel->recovery_unwritten == 0)
    {
      g_debug ("Channel %s: nothing left from before, sending", tc_channel_to_string (c));
      channel->recovery = RECOVERY_DONE;
      schedule_pump (self);
    }
  else if (channel->recovery_unwritten > 0 && channel->recovery_lookups == 0 &&
           g_queue_is_empty (&channel->recovery_queue))
    flush (self);
}

static void
start_recovery (TcEngine  *self,
                TcChannel  c)
{
  Channel *channel = &self->channels[c];

  if (!self->started || self->stopping || channel->provider == NULL ||
      channel->recovery != RECOVERY_PENDING)
    return;

  channel->recovery = RECOVERY_RUNNING;
  channel->recovery_listed = FALSE;
  channel->recovery_after_id = 0;
  recovery_step (self, c);
}

/* ------------------------------------------------------------------------
 * Claiming
 */

typedef struct
{
  TcOutboxClaimChannel  channels[N_CHANNELS];
  guint                 n_channels;
  char                 *providers[N_CHANNELS];
  char                 *default_senders[N_CHANNELS];
  guint                 limit;
  gboolean              count_due;
} ClaimJob;

static void
claim_job_free (ClaimJob *job)
{
  for (guint i = 0; i < N_CHANNELS; i++)
    {
      g_free (job->providers[i]);
      g_free (job->default_senders[i]);
      g_clear_pointer (&job->channels[i].budgets, g_hash_table_unref);
    }
  g_free (job);
}

static gpointer
claim_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  ClaimJob *job = job_data;

  return _tc_db_outbox_claim (db, job->channels, job->n_channels, job->limit, job->count_due,
                              now_seconds (), error);
}

typedef struct
{
  char      *key;
  char      *id;
  TcChannel  channel;
  TcSender  *sender;
  guint      sent_today;
  gint64     day;
} SenderInfo;

static void
sender_info_free (SenderInfo *info)
{
  g_free (info->key);
  g_free (info->id);
  g_clear_pointer (&info->sender, tc_sender_free);
  g_free (info);
}

static gpointer
resolve_senders_job (TcDb          *db,
                     gpointer       job_data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  GPtrArray *infos = job_data;
  gint64 day = now_seconds () / 86400;

  for (guint i = 0; i < infos->len; i++)
    {
      SenderInfo *info = g_ptr_array_index (infos, i);

      info->sender = _tc_db_lookup_sender (db, info->id, error);
      if (info->sender == NULL)
        {
          if (error != NULL && *error != NULL)
            return NULL;
          info->sender = tc_sender_new_unregistered (info->id, info->channel);
        }
      info->day = day;
      if (!_tc_db_outbox_count_by_sender (db, info->id, day * 86400, &info->sent_today, error))
        return NULL;
    }

  return g_ptr_array_ref (infos);
}

static void
on_resolve_senders_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  GPtrArray *infos = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) done = NULL;
  gint64 now_us = g_get_real_time ();

  done = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);

  for (guint i = 0; i < infos->len; i++)
    {
      SenderInfo *info = g_ptr_array_index (infos, i);
      Sender *sender;

      g_hash_table_remove (self->resolving, info->key);
      if (done == NULL)
        continue;

      sender = g_new0 (Sender, 1);
      sender->key = g_strdup (info->key);
      sender->id = g_strdup (info->id);
      sender->channel = info->channel;
      sender->mps = info->sender->mps;
      sender->daily_cap = info->sender->daily_cap;
      sender->capacity = MAX (1.0, sender->mps / 10);
      sender->tokens = sender->capacity;
      sender->refilled_us = now_us;
      sender->day = info->day;
      sender->sent_today = info->sent_today;
      g_hash_table_replace (self->senders, sender->key, sender);
    }

  if (done == NULL)
    {
      g_warning ("Cannot read the senders' limits: %s", error->message);
      wake_in (self, G_USEC_PER_SEC);
      return;
    }

  schedule_pump (self);
}

static void
resolve_senders (TcEngine  *self,
                 GPtrArray *keys)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) sender_info_free);
  GTask *task;

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *colon = strchr (key, ':');
      g_autofree char *channel_name = NULL;
      SenderInfo *info;
      TcChannel channel;

      if (colon == NULL || g_hash_table_contains (self->resolving, key))
        continue;
      channel_name = g_strndup (key, colon - key);
      if (!tc_channel_from_string (channel_name, &channel))
        continue;

      info = g_new0 (SenderInfo, 1);
      info->key = g_strdup (key);
      info->id = g_strdup (colon + 1);
      info->channel = channel;
      g_ptr_array_add (infos, info);
      g_hash_table_add (self->resolving, g_strdup (key));
    }

  if (infos->len == 0)
    {
      g_ptr_array_unref (infos);
      return;
    }

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, infos, (GDestroyNotify) g_ptr_array_unref);
  _tc_repository_run_async_full (self->repository, TC_DB_JOB_READ, resolve_senders_job, infos, NULL,
                                 (GDestroyNotify) g_ptr_array_unref, FALSE, NULL,
                                 on_resolve_senders_cb, task);
}

static gboolean
on_wake_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->wake_source, g_source_unref);
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
wake_in (TcEngine *self,
         gint64    delay_us)
{
  guint ms = (guint) CLAMP ((delay_us + 999) / 1000, 0, G_MAXINT / 2);

  destroy_source (&self->wake_source);
  self->wake_source = add_timeout (self, ms, on_wake_cb, "[tc-engine] wake");
}

static gboolean
nothing_pending (TcEngine *self)
{
  for (guint c = 0; c < N_CHANNELS; c++)
    if (self->channels[c].provider != NULL && self->channels[c].recovery != RECOVERY_DONE)
      return FALSE;

  return self->in_flight == 0 && self->lookups == 0 && g_queue_is_empty (&self->ready) &&
         self->pending->len == 0 && !self->flushing && !self->claiming &&
         g_hash_table_size (self->resolving) == 0;
}

static void
on_claim_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcEngine *self = g_task_get_source_object (task);
  ClaimJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxClaimResult) claimed = NULL;
  gint64 now_us = g_get_real_time ();
  gint64 wait_us = (gint64) self->poll_interval_ms * 1000;
  gboolean again = FALSE;

  self->claiming = FALSE;
  claimed = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (claimed == NULL)
    {
      g_warning ("Cannot take the next messages to send: %s", error->message);
      if (!self->stopping)
        wake_in (self, G_USEC_PER_SEC);
      check_done (self);
      return;
    }

  if (claimed->n_due >= 0)
    self->n_waiting = (guint64) claimed->n_due;

  for (guint i = 0; i < claimed->skipped->len; i++)
    {
      TcOutboxEntry *entry = g_ptr_array_index (claimed->skipped, i);

      row_changed (self, entry->id, TC_OUTBOX_SKIPPED);
    }

  for (guint i = 0; i < claimed->claimed->len; i++)
    {
      TcOutboxEntry *entry = g_ptr_array_steal_index (claimed->claimed, i--);
      g_autofree char *key = tc_outbox_sender_key (entry->channel, entry->sender_id);
      Sender *sender = g_hash_table_lookup (self->senders, key);

      if (sender != NULL)
        {
          if (sender->mps > 0)
            sender->tokens -= entry->segments;
          sender->sent_today++;
        }
      row_changed (self, entry->id, TC_OUTBOX_SENDING);
      g_hash_table_add (self->active, g_memdup2 (&entry->id, sizeof entry->id));
      g_queue_push_tail (&self->ready, entry);
    }

  if (claimed->new_senders->len > 0)
    resolve_senders (self, claimed->new_senders);

  /* Claimed or skipped something: more may be due right away (the window
   * and the flights' ends call pump too). */
  again = claimed->skipped->len > 0 || claimed->claimed->len > 0;

  for (guint i = 0; i < claimed->waiting->len; i++)
    {
      Sender *sender = g_hash_table_lookup (self->senders, g_ptr_array_index (claimed->waiting, i));
      gint64 sender_wait;

      if (sender == NULL)
        continue;
      sender_refill (sender, now_us);
      sender_wait = sender_wait_us (sender, now_us);
      if (sender_wait >= 0)
        wait_us = MIN (wait_us, sender_wait);
    }
  if (claimed->next_due > 0)
    wait_us = MIN (wait_us, MAX (claimed->next_due * G_USEC_PER_SEC - now_us, 0));

  progress (self);
  dispatch (self);

  if (self->stopping)
    {
      check_done (self);
      return;
    }

  if (again)
    schedule_pump (self);
  else
    wake_in (self, wait_us);

  /* A channel that became ready while this claim ran was not looked at. */
  for (guint c = 0; c < N_CHANNELS; c++)
    {
      Channel *channel = &self->channels[c];
      gboolean covered = FALSE;

      for (guint i = 0; i < job->n_channels; i++)
        covered |= job->channels[i].channel == (TcChannel) c;
      if (!covered && channel->provider != NULL && !channel->stopped && channel->recovery == RECOVERY_DONE)
        {
          schedule_pump (self);
          return;
        }
    }

  if (!again && claimed->waiting->len == 0 && claimed->new_senders->len == 0 && nothing_pending (self) &&
      !self->idle_emitted)
    {
      self->idle_emitted = TRUE;
      if (self->progress_dirty)
        emit_progress_now (self);
      g_signal_emit (self, signals[SIGNAL_IDLE], 0);
    }
}

static void
pump (TcEngine *self)
{
  ClaimJob *job;
  GTask *task;
  gint64 now_us = g_get_real_time ();
  guint busy = self->in_flight + self->lookups + self->polls_in_flight +
               g_queue_get_length (&self->ready);
  gint64 mono = g_get_monotonic_time ();

  destroy_source (&self->pump_source);

  if (!self->started || self->paused || self->stopping || self->claiming)
    return;
  if (busy >= self->window)
    return;

  job = g_new0 (ClaimJob, 1);
  job->limit = self->window - busy;

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      Channel *channel = &self->channels[c];
      TcOutboxClaimChannel *claim;
      GHashTableIter iter;
      Sender *sender;

      if (channel->provider == NULL || channel->stopped || channel->recovery != RECOVERY_DONE)
        continue;

      claim = &job->channels[job->n_channels++];
      job->providers[c] = g_strdup (tc_provider_get_name (channel->provider));
      job->default_senders[c] = g_strdup (channel->default_sender);
      claim->channel = (TcChannel) c;
      claim->provider = job->providers[c];
      claim->default_sender = job->default_senders[c];
      claim->budgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      g_hash_table_iter_init (&iter, self->senders);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sender))
        {
          TcOutboxBudget *budget;

          if (sender->channel != (TcChannel) c)
            continue;
          sender_refill (sender, now_us);
          budget = g_new0 (TcOutboxBudget, 1);
          budget->segments = sender->mps <= 0 ? G_MAXINT64
                             : sender->tokens > 0 ? MAX ((gint64) ceil (sender->tokens), 1) : 0;
          budget->rows = sender->daily_cap == 0 ? G_MAXINT64
                         : (gint64) sender->daily_cap - MIN (sender->sent_today, sender->daily_cap);
          g_hash_table_insert (claim->budgets, g_strdup (sender->key), budget);
        }
    }

  if (job->n_channels == 0)
    {
      claim_job_free (job);
      return;
    }

  if (mono - self->last_count_us >= COUNT_DUE_INTERVAL_US)
    {
      job->count_due = TRUE;
      self->last_count_us = mono;
    }

  self->claiming = TRUE;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) claim_job_free);
  _tc_repository_run_async_full (self->repository, TC_DB_JOB_WRITE, claim_job, job, NULL,
                                 (GDestroyNotify) tc_outbox_claim_result_free, FALSE, NULL,
                                 on_claim_cb, task);
}

static gboolean
on_pump_idle_cb (gpointer user_data)
{
  TcEngine *self = user_data;

  g_clear_pointer (&self->pump_source, g_source_unref);
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_pump (TcEngine *self)
{
  if (self->pump_source != NULL || !self->started || self->paused || self->stopping)
    return;

  self->pump_source = g_idle_source_new ();
  g_source_set_callback (self->pump_source, on_pump_idle_cb, self, NULL);
  g_source_set_static_name (self->pump_source, "[tc-engine] pump");
  g_source_attach (self->pump_source, self->context);
}

/* ------------------------------------------------------------------------
 * Stopping
 */

static void
check_done (TcEngine *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean recovering = FALSE;

  if (!self->stopping || self->stop_task == NULL)
    return;

  for (guint c = 0; c < N_CHANNELS; c++)
    recovering |= self->channels[c].recovery_lookups > 0 || self->channels[c].recovery_listing;

  if (!g_queue_is_empty (&self->ready))
    dispatch (self);   /* requeues them */

  for (guint c = 0; c < N_CHANNELS; c++)
    recovering |= self->channels[c].inbound_listing;

  if (recovering || self->in_flight > 0 || self->lookups > 0 || self->claiming ||
      g_hash_table_size (self->resolving) > 0 || self->inbound_busy ||
      !g_queue_is_empty (&self->inbound) || self->poll_listing || self->polls_in_flight > 0)
    return;
  if (self->pending->len > 0 || self->pending_statuses->len > 0 || self->pending_polled->len > 0)
    {
      flush (self);
      return;
    }
  if (self->flushing)
    return;

  task = g_steal_pointer (&self->stop_task);
  self->started = FALSE;
  self->stopping = FALSE;
  for (guint c = 0; c < N_CHANNELS; c++)
    {
      Channel *channel = &self->channels[c];

      /* Rows listed but not looked up stay "sending": the next start
       * reconciles them. */
      g_queue_clear_full (&channel->recovery_queue, (GDestroyNotify) tc_outbox_entry_free);
      if (channel->recovery == RECOVERY_RUNNING)
        channel->recovery = RECOVERY_PENDING;
    }
  if (self->progress_dirty)
    emit_progress_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------
 * Public API
 */

TcEngine *
tc_engine_new (TcRepository *repository)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return g_object_new (TC_TYPE_ENGINE, "repository", repository, NULL);
}

void
tc_engine_set_provider (TcEngine   *self,
                        TcChannel   channel,
                        TcProvider *provider)
{
  Channel *ch;

  g_return_if_fail (TC_IS_ENGINE (self));
  g_return_if_fail ((guint) channel < N_CHANNELS);
  g_return_if_fail (provider == NULL || TC_IS_PROVIDER (provider));

  ch = &self->channels[channel];
  if (ch->provider == provider)
    return;

  g_set_object (&ch->provider, provider);
  /* Another provider may know other messages: reconcile again with it. */
  if (ch->recovery == RECOVERY_DONE)
    ch->recovery = RECOVERY_PENDING;
  if (provider != NULL)
    {
      start_recovery (self, channel);
      recovery_step (self, channel);
    }
  dispatch (self);
  start_polling (self);
}

void
tc_engine_set_default_sender (TcEngine   *self,
                              TcChannel   channel,
                              const char *sender_id)
{
  g_return_if_fail (TC_IS_ENGINE (self));
  g_return_if_fail ((guint) channel < N_CHANNELS);

  g_free (self->channels[channel].default_sender);
  self->channels[channel].default_sender = g_strdup (sender_id != NULL && sender_id[0] != '\0'
                                                     ? sender_id : NULL);
  schedule_pump (self);
}

void
tc_engine_set_status_callback (TcEngine   *self,
                               TcChannel   channel,
                               const char *url)
{
  g_return_if_fail (TC_IS_ENGINE (self));
  g_return_if_fail ((guint) channel < N_CHANNELS);

  g_free (self->channels[channel].status_callback);
  self->channels[channel].status_callback = g_strdup (url != NULL && url[0] != '\0' ? url : NULL);
  start_polling (self);
}

void
tc_engine_start (TcEngine *self)
{
  g_return_if_fail (TC_IS_ENGINE (self));

  if (self->started && !self->stopping)
    return;
  if (self->stopping)
    {
      g_warning ("tc_engine_start() while stopping; start again once stopped");
      return;
    }

  self->started = TRUE;
  self->paused = FALSE;
  self->idle_emitted = FALSE;
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  for (guint c = 0; c < N_CHANNELS; c++)
    start_recovery (self, (TcChannel) c);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  schedule_pump (self);
  start_polling (self);
}

void
tc_engine_pause (TcEngine *self)
{
  g_return_if_fail (TC_IS_ENGINE (self));

  if (self->paused)
    return;

  self->paused = TRUE;
  destroy_source (&self->pump_source);
  destroy_source (&self->wake_source);
  destroy_source (&self->poll_source);
  destroy_source (&self->inbound_source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
tc_engine_resume (TcEngine *self)
{
  g_return_if_fail (TC_IS_ENGINE (self));

  for (guint c = 0; c < N_CHANNELS; c++)
    self->channels[c].stopped = FALSE;

  if (self->paused)
    {
      self->paused = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  self->idle_emitted = FALSE;
  schedule_pump (self);
  start_polling (self);
}

void
tc_engine_kick (TcEngine *self)
{
  g_return_if_fail (TC_IS_ENGINE (self));

  self->idle_emitted = FALSE;
  schedule_pump (self);
}

void
tc_engine_report_inbound (TcEngine        *self,
                          gint64           contact_id,
                          gint64           inbound_id,
                          TcInboundAction  action)
{
  g_return_if_fail (TC_IS_ENGINE (self));

  g_signal_emit (self, signals[SIGNAL_INBOUND], 0, contact_id, inbound_id,
                 tc_inbound_action_to_string (action));
}

void
tc_engine_stop_async (TcEngine            *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_ENGINE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tc_engine_stop_async);

  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The send engine is already stopping");
      g_object_unref (task);
      return;
    }
  if (!self->started)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  self->stopping = TRUE;
  self->stop_task = task;
  destroy_source (&self->pump_source);
  destroy_source (&self->wake_source);
  destroy_source (&self->poll_source);
  destroy_source (&self->inbound_source);
  /* Polls answer nothing that cannot wait: rows keep their poll_at. */
  g_cancellable_cancel (self->poll_cancellable);
  self->polls_open -= MIN (self->polls_open, g_queue_get_length (&self->poll_queue));
  g_queue_clear_full (&self->poll_queue, (GDestroyNotify) tc_outbox_poll_free);
  dispatch (self);
  check_done (self);
}

gboolean
tc_engine_stop_finish (TcEngine      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TC_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_engine_stop_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_engine_apply_statuses (TcEngine  *self,
                          GPtrArray *statuses)
{
  g_return_if_fail (TC_IS_ENGINE (self));
  g_return_if_fail (statuses != NULL);

  for (guint i = 0; i < statuses->len; i++)
    {
      TcOutboxStatus *status = status_from_update (g_ptr_array_index (statuses, i));

      if (status != NULL)
        g_ptr_array_add (self->pending_statuses, status);
    }

  if (self->pending_statuses->len >= FLUSH_BATCH)
    flush (self);
  else if (self->pending_statuses->len > 0 && self->flush_source == NULL && !self->flushing)
    self->flush_source = add_timeout (self, FLUSH_INTERVAL_MS, on_flush_timeout_cb, "[tc-engine] flush");
}

typedef struct
{
  TcChannel  channel;
  char      *from;
  char      *body;
  char      *provider_id;
  gint64     at;
} Inbound;

static void
inbound_free (Inbound *inbound)
{
  g_free (inbound->from);
  g_free (inbound->body);
  g_free (inbound->provider_id);
  g_free (inbound);
}

static void process_next_inbound (TcEngine *self);

static void
on_inbound_processed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TcEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcInboundResult) processed = NULL;

  self->inbound_busy = FALSE;
  processed = tc_inbound_process_finish (TC_REPOSITORY (object), result, &error);
  if (processed == NULL)
    g_warning ("Cannot record an inbound message: %s", error->message);
  else
    {
      if (processed->reply != NULL)
        tc_engine_kick (self);
      if (!processed->duplicate)
        tc_engine_report_inbound (self, processed->contact_id, processed->inbound_id, processed->action);
    }

  process_next_inbound (self);
  check_done (self);
}

/* One at a time, in order: a STOP then a START must land in that order. */
static void
process_next_inbound (TcEngine *self)
{
  Inbound *inbound;

  if (self->inbound_busy || g_queue_is_empty (&self->inbound))
    return;

  inbound = g_queue_pop_head (&self->inbound);
  self->inbound_busy = TRUE;
  tc_inbound_process_async (self->repository, inbound->channel, inbound->from, inbound->body,
                            inbound->provider_id, inbound->at, NULL, on_inbound_processed_cb,
                            g_object_ref (self));
  inbound_free (inbound);
}

void
tc_engine_apply_inbound (TcEngine  *self,
                         GPtrArray *inbound)
{
  g_return_if_fail (TC_IS_ENGINE (self));
  g_return_if_fail (inbound != NULL);

  for (guint i = 0; i < inbound->len; i++)
    {
      const TcInboundMessage *message = g_ptr_array_index (inbound, i);
      Inbound *copy;

      if (message->from == NULL || message->from[0] == '\0')
        continue;

      copy = g_new0 (Inbound, 1);
      copy->channel = message->channel;
      copy->from = g_strdup (message->from);
      copy->body = g_strdup (message->body != NULL ? message->body : "");
      copy->provider_id = g_strdup (message->provider_id);
      copy->at = message->at;
      g_queue_push_tail (&self->inbound, copy);
    }

  process_next_inbound (self);
}

gboolean
tc_engine_get_running (TcEngine *self)
{
  g_return_val_if_fail (TC_IS_ENGINE (self), FALSE);

  return self->started && !self->paused && !self->stopping;
}

guint
tc_engine_get_n_in_flight (TcEngine *self)
{
  g_return_val_if_fail (TC_IS_ENGINE (self), 0);

  return self->in_flight;
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_engine_dispose (GObject *object)
{
  TcEngine *self = TC_ENGINE (object);

  destroy_source (&self->pump_source);
  destroy_source (&self->wake_source);
  destroy_source (&self->flush_source);
  destroy_source (&self->progress_source);
  destroy_source (&self->poll_source);
  destroy_source (&self->inbound_source);
  g_cancellable_cancel (self->poll_cancellable);
  g_queue_clear_full (&self->poll_queue, (GDestroyNotify) tc_outbox_poll_free);

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      g_clear_object (&self->channels[c].provider);
      g_queue_clear_full (&self->channels[c].recovery_queue, (GDestroyNotify) tc_outbox_entry_free);
    }
  g_queue_clear_full (&self->ready, (GDestroyNotify) tc_outbox_entry_free);
  g_queue_clear_full (&self->inbound, (GDestroyNotify) inbound_free);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (tc_engine_parent_class)->dispose (object);
}

static void
tc_engine_finalize (GObject *object)
{
  TcEngine *self = TC_ENGINE (object);

  if (self->pending->len > 0)
    g_warning ("The send engine was dropped with %u results not written; "
               "stop it with tc_engine_stop_async() first", self->pending->len);

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      g_free (self->channels[c].status_callback);
      g_free (self->channels[c].default_sender);
    }
  g_clear_pointer (&self->senders, g_hash_table_unref);
  g_clear_pointer (&self->resolving, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->pending_statuses, g_ptr_array_unref);
  g_clear_pointer (&self->pending_polled, g_array_unref);
  g_clear_object (&self->poll_cancellable);
  g_clear_pointer (&self->orphans, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tc_engine_parent_class)->finalize (object);
}

static void
tc_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TcEngine *self = TC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, tc_engine_get_running (self));
      break;
    case PROP_WINDOW:
      g_value_set_uint (value, self->window);
      break;
    case PROP_N_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_PROVIDER_CONCURRENCY:
      g_value_set_uint (value, self->provider_concurrency);
      break;
    case PROP_BACKOFF_BASE_MS:
      g_value_set_uint (value, self->backoff_base_ms);
      break;
    case PROP_POLL_INTERVAL_MS:
      g_value_set_uint (value, self->poll_interval_ms);
      break;
    case PROP_STATUS_POLL_SCALE:
      g_value_set_double (value, self->status_poll_scale);
      break;
    case PROP_STATUS_POLL_GIVE_UP_S:
      g_value_set_uint (value, self->status_poll_give_up_s);
      break;
    case PROP_INBOUND_POLL_INTERVAL_MS:
      g_value_set_uint (value, self->inbound_poll_interval_ms);
      break;
    case PROP_N_POLLS:
      g_value_set_uint (value, self->n_polls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TcEngine *self = TC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      self->repository = g_value_dup_object (value);
      break;
    case PROP_WINDOW:
      self->window = g_value_get_uint (value);
      schedule_pump (self);
      break;
    case PROP_PROVIDER_CONCURRENCY:
      self->provider_concurrency = g_value_get_uint (value);
      dispatch (self);
      break;
    case PROP_BACKOFF_BASE_MS:
      self->backoff_base_ms = g_value_get_uint (value);
      break;
    case PROP_POLL_INTERVAL_MS:
      self->poll_interval_ms = g_value_get_uint (value);
      break;
    case PROP_STATUS_POLL_SCALE:
      self->status_poll_scale = g_value_get_double (value);
      break;
    case PROP_STATUS_POLL_GIVE_UP_S:
      self->status_poll_give_up_s = g_value_get_uint (value);
      break;
    case PROP_INBOUND_POLL_INTERVAL_MS:
      self->inbound_poll_interval_ms = g_value_get_uint (value);
      if (self->inbound_source != NULL)
        {
          destroy_source (&self->inbound_source);
          schedule_inbound (self, self->inbound_poll_interval_ms);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_engine_class_init (TcEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_engine_dispose;
  object_class->finalize = tc_engine_finalize;
  object_class->get_property = tc_engine_get_property;
  object_class->set_property = tc_engine_set_property;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL, TC_TYPE_REPOSITORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW] =
    g_param_spec_uint ("window", NULL, NULL, 1, 4096, DEFAULT_WINDOW,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_N_IN_FLIGHT] =
    g_param_spec_uint ("n-in-flight", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_CONCURRENCY] =
    g_param_spec_uint ("provider-concurrency", NULL, NULL, 1, 4096, DEFAULT_PROVIDER_CONCURRENCY,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKOFF_BASE_MS] =
    g_param_spec_uint ("backoff-base-ms", NULL, NULL, 1, 600000, DEFAULT_BACKOFF_BASE_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL_MS] =
    g_param_spec_uint ("poll-interval-ms", NULL, NULL, 10, 3600000, DEFAULT_POLL_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_POLL_SCALE] =
    g_param_spec_double ("status-poll-scale", NULL, NULL, 0.0, 1000.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_POLL_GIVE_UP_S] =
    g_param_spec_uint ("status-poll-give-up-s", NULL, NULL, 0, 30 * 24 * 60 * 60,
                       DEFAULT_STATUS_POLL_GIVE_UP_S,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_INBOUND_POLL_INTERVAL_MS] =
    g_param_spec_uint ("inbound-poll-interval-ms", NULL, NULL, 10, 3600000, DEFAULT_INBOUND_POLL_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_N_POLLS] =
    g_param_spec_uint ("n-polls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT64);
  signals[SIGNAL_ROW_CHANGED] =
    g_signal_new ("row-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_IDLE] =
    g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_PROVIDER_PROBLEM] =
    g_signal_new ("provider-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TC_TYPE_CHANNEL, G_TYPE_STRING);
  signals[SIGNAL_INBOUND] =
    g_signal_new ("inbound", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tc_engine_init (TcEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->senders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sender_free);
  self->resolving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->slots = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->active = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);
  self->pending_statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_status_free);
  self->orphans = g_ptr_array_new_with_free_func ((GDestroyNotify) orphan_free);
  self->pending_polled = g_array_new (FALSE, FALSE, sizeof (TcOutboxPolled));
  self->poll_cancellable = g_cancellable_new ();
  g_queue_init (&self->poll_queue);
  for (guint c = 0; c < N_CHANNELS; c++)
    g_queue_init (&self->channels[c].recovery_queue);
  g_queue_init (&self->ready);
  g_queue_init (&self->inbound);
}
