/* test-engine.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send engine (src/net/tc-engine.c) and the outbox store under it
 * (src/core/tc-outbox.c), against a scripted fake TcProvider in this file
 * and, end to end, the real Twilio provider against a fake Twilio
 * (SoupServer) in this process.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-engine.h"
#include "tc-outbox.h"
#include "tc-privacy.h"
#include "tc-repository.h"
#include "tc-senders.h"
#include "tc-soup.h"
#include "tc-test-util.h"
#include "tc-twilio.h"

/* ------------------------------------------------------------------------
 * A scripted provider
 */

typedef enum
{
  ACT_RECEIPT,
  ACT_PERMANENT,
  ACT_TRANSIENT,
  ACT_AMBIGUOUS_REACHED,   /* the provider took it, the answer was lost */
  ACT_AMBIGUOUS_LOST,      /* it never got there */
} Action;

typedef struct
{
  Action        action;
  TcSendEffect  effect;
  const char   *code;
  gint64        retry_after;
} Step;

typedef struct
{
  char   *id;
  char   *to;
  gint64  created;
} Created;

#define FAKE_TYPE_PROVIDER (fake_provider_get_type ())
G_DECLARE_FINAL_TYPE (FakeProvider, fake_provider, FAKE, PROVIDER, GObject)

struct _FakeProvider
{
  GObject      parent_instance;

  GHashTable  *scripts;      /* phone → GArray of Step, consumed in order; else receipt */
  guint        delay_ms;
  gboolean     can_lookup;
  guint        next_id;
  GPtrArray   *created;      /* Created */
  GHashTable  *sends;        /* phone → GArray of gint64 (real time µs of each attempt) */
  guint        n_sends;
  guint        n_lookups;
  guint        in_flight;
  guint        max_in_flight;
  GPtrArray   *log;          /* "send +1…" / "lookup +1…" in order */
  GPtrArray   *last_from;    /* the "from" of each send */
};

static void fake_provider_iface_init (TcProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeProvider, fake_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TC_TYPE_PROVIDER, fake_provider_iface_init))

static void
created_free (Created *created)
{
  g_free (created->id);
  g_free (created->to);
  g_free (created);
}

static void
fake_provider_finalize (GObject *object)
{
  FakeProvider *self = FAKE_PROVIDER (object);

  g_hash_table_unref (self->scripts);
  g_hash_table_unref (self->sends);
  g_ptr_array_unref (self->created);
  g_ptr_array_unref (self->log);
  g_ptr_array_unref (self->last_from);

  G_OBJECT_CLASS (fake_provider_parent_class)->finalize (object);
}

static void
fake_provider_class_init (FakeProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_provider_finalize;
}

static void
fake_provider_init (FakeProvider *self)
{
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->sends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->created = g_ptr_array_new_with_free_func ((GDestroyNotify) created_free);
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->last_from = g_ptr_array_new_with_free_func (g_free);
  self->can_lookup = TRUE;
}

static void
fake_script (FakeProvider *self,
             const char   *phone,
             Step          step)
{
  GArray *steps = g_hash_table_lookup (self->scripts, phone);

  if (steps == NULL)
    {
      steps = g_array_new (FALSE, FALSE, sizeof (Step));
      g_hash_table_insert (self->scripts, g_strdup (phone), steps);
    }
  g_array_append_val (steps, step);
}

static char *
fake_create (FakeProvider *self,
             const char   *to)
{
  Created *created = g_new0 (Created, 1);

  created->id = g_strdup_printf ("FK%05u", ++self->next_id);
  created->to = g_strdup (to);
  created->created = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (self->created, created);

  return g_strdup (created->id);
}

static guint
fake_sends_to (FakeProvider *self,
               const char   *phone)
{
  GArray *times = g_hash_table_lookup (self->sends, phone);

  return times != NULL ? times->len : 0;
}

static const char *
fake_get_name (TcProvider *provider)
{
  return "fake";
}

static gboolean
fake_supports (TcProvider *provider,
               TcChannel   channel)
{
  return TRUE;
}

typedef struct
{
  FakeProvider *self;
  GTask        *task;
  Step          step;
  char         *to;
} Pending;

static void
free_holder (TcSendFailure **holder)
{
  g_clear_pointer (holder, tc_send_failure_free);
  g_free (holder);
}

static gboolean
answer_cb (gpointer data)
{
  Pending *pending = data;
  FakeProvider *self = pending->self;
  GTask *task = pending->task;
  TcSendFailure *failure = NULL;

  self->in_flight--;
  switch (pending->step.action)
    {
    case ACT_RECEIPT:
      {
        TcSendReceipt *receipt = g_new0 (TcSendReceipt, 1);

        receipt->provider_id = fake_create (self, pending->to);
        receipt->status = g_strdup ("queued");
        g_task_return_pointer (task, receipt, (GDestroyNotify) tc_send_receipt_free);
        break;
      }
    case ACT_PERMANENT:
      failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, pending->step.effect,
                                     "The fake refused it", "Nothing");
      break;
    case ACT_TRANSIENT:
      failure = tc_send_failure_new (TC_SEND_FAILURE_TRANSIENT, pending->step.effect,
                                     "The fake is busy", "Wait");
      failure->retry_after = pending->step.retry_after;
      break;
    case ACT_AMBIGUOUS_REACHED:
      g_free (fake_create (self, pending->to));
      failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE,
                                     "The answer was lost", "Look it up");
      break;
    case ACT_AMBIGUOUS_LOST:
      failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE,
                                     "The answer was lost", "Look it up");
      break;
    default:
      g_assert_not_reached ();
    }

  if (failure != NULL)
    {
      TcSendFailure **holder = g_new0 (TcSendFailure *, 1);

      failure->code = g_strdup (pending->step.code);
      *holder = failure;
      g_task_set_task_data (task, holder, (GDestroyNotify) free_holder);
      g_task_return_pointer (task, NULL, NULL);
    }

  g_object_unref (task);
  g_free (pending->to);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

static void
fake_send_async (TcProvider              *provider,
                 const TcOutboundMessage *message,
                 GCancellable            *cancellable,
                 GAsyncReadyCallback      callback,
                 gpointer                 user_data)
{
  FakeProvider *self = FAKE_PROVIDER (provider);
  Pending *pending = g_new0 (Pending, 1);
  GArray *steps = g_hash_table_lookup (self->scripts, message->to);
  GArray *times = g_hash_table_lookup (self->sends, message->to);
  gint64 now = g_get_real_time ();

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->sends, g_strdup (message->to), times);
    }
  g_array_append_val (times, now);
  g_ptr_array_add (self->log, g_strconcat ("send ", message->to, NULL));
  g_ptr_array_add (self->last_from, g_strdup (message->from));

  pending->self = self;
  pending->task = g_task_new (self, cancellable, callback, user_data);
  pending->to = g_strdup (message->to);
  pending->step.action = ACT_RECEIPT;
  if (steps != NULL && steps->len > 0)
    {
      pending->step = g_array_index (steps, Step, 0);
      g_array_remove_index (steps, 0);
    }

  self->n_sends++;
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);

  if (self->delay_ms > 0)
    g_timeout_add (self->delay_ms, answer_cb, pending);
  else
    g_idle_add (answer_cb, pending);
}

static TcSendReceipt *
fake_send_finish (TcProvider     *provider,
                  GAsyncResult   *result,
                  TcSendFailure **failure)
{
  TcSendReceipt *receipt = g_task_propagate_pointer (G_TASK (result), NULL);

  if (receipt == NULL)
    {
      TcSendFailure **holder = g_task_get_task_data (G_TASK (result));

      *failure = g_steal_pointer (holder);
    }
  return receipt;
}

static void
fake_lookup_async (TcProvider          *provider,
                   const char          *to,
                   gint64               since,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  FakeProvider *self = FAKE_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *found;

  self->n_lookups++;
  g_ptr_array_add (self->log, g_strconcat ("lookup ", to, NULL));

  if (!self->can_lookup)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "The fake cannot look up");
      return;
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  for (guint i = self->created->len; i > 0; i--)
    {
      Created *created = g_ptr_array_index (self->created, i - 1);

      if (strcmp (created->to, to) == 0 && created->created >= since)
        {
          TcStatusUpdate *update = g_new0 (TcStatusUpdate, 1);

          update->provider_id = g_strdup (created->id);
          update->state = TC_DELIVERY_SENT;
          update->at = created->created;
          g_ptr_array_add (found, update);
        }
    }
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
fake_lookup_finish (TcProvider    *provider,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_provider_iface_init (TcProviderInterface *iface)
{
  iface->get_name = fake_get_name;
  iface->supports = fake_supports;
  iface->send_async = fake_send_async;
  iface->send_finish = fake_send_finish;
  iface->lookup_async = fake_lookup_async;
  iface->lookup_finish = fake_lookup_finish;
}

/* ------------------------------------------------------------------------
 * Fixture and helpers
 */

typedef struct
{
  TcTestRepo     repo;
  FakeProvider  *fake;
  TcEngine      *engine;
  guint          n_idle;
  guint          n_problems;
  char          *problem;
  guint64        n_progress_sent;
} Fixture;

static void
on_idle_cb (TcEngine *engine,
            Fixture  *f)
{
  f->n_idle++;
}

static void
on_problem_cb (TcEngine   *engine,
               TcChannel   channel,
               const char *message,
               Fixture    *f)
{
  f->n_problems++;
  g_free (f->problem);
  f->problem = g_strdup (message);
}

static void
on_progress_cb (TcEngine *engine,
                guint64   n_sent,
                guint64   n_failed,
                guint64   n_waiting,
                Fixture  *f)
{
  g_assert_cmpuint (n_sent, >=, f->n_progress_sent);
  f->n_progress_sent = n_sent;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->repo, "tc-engine-XXXXXX", "engine.db");
  f->fake = g_object_new (FAKE_TYPE_PROVIDER, NULL);
  f->engine = tc_engine_new (f->repo.repo);
  g_object_set (f->engine, "backoff-base-ms", 1, "poll-interval-ms", 50, NULL);
  tc_engine_set_provider (f->engine, TC_CHANNEL_SMS, TC_PROVIDER (f->fake));
  tc_engine_set_provider (f->engine, TC_CHANNEL_WHATSAPP, TC_PROVIDER (f->fake));
  tc_engine_set_default_sender (f->engine, TC_CHANNEL_SMS, "55555");
  tc_engine_set_default_sender (f->engine, TC_CHANNEL_WHATSAPP, "1234567890");
  g_signal_connect (f->engine, "idle", G_CALLBACK (on_idle_cb), f);
  g_signal_connect (f->engine, "provider-problem", G_CALLBACK (on_problem_cb), f);
  g_signal_connect (f->engine, "progress", G_CALLBACK (on_progress_cb), f);
}

static void
stop_engine (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_engine_stop_async (f->engine, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_engine_stop_finish (f->engine, result, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_engine (f);
  tc_test_drain_main_context ();
  g_assert_finalize_object (f->engine);
  g_assert_finalize_object (f->fake);
  g_free (f->problem);
  tc_test_repo_tear_down (&f->repo);
}

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, failing after @timeout_ms. */
static void
run_until (gboolean   (*done) (Fixture *f),
           Fixture     *f,
           guint        timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_cb, &timed_out);

  while (!done (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
is_idle (Fixture *f)
{
  return f->n_idle > 0;
}

static gint64 raw_int (const char *path,
                       const char *sql);

/* Idle, and no row waits for a retry. */
static gboolean
is_settled (Fixture *f)
{
  if (f->n_idle == 0)
    return FALSE;
  if (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')") == 0)
    return TRUE;
  f->n_idle = 0;
  return FALSE;
}

static void
send_until_settled (Fixture *f,
                    guint    timeout_ms)
{
  f->n_idle = 0;
  tc_engine_start (f->engine);
  run_until (is_settled, f, timeout_ms);
}

/* Starts the engine and waits until it is idle (nothing due, nothing in
 * flight, everything written). */
static void
send_all (Fixture *f,
          guint    timeout_ms)
{
  f->n_idle = 0;
  tc_engine_start (f->engine);
  tc_engine_kick (f->engine);
  run_until (is_idle, f, timeout_ms);
}

static gint64
opt_in (Fixture    *f,
        const char *phone,
        TcChannel   channel,
        TcPurpose   purpose)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_IMPORT,
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome->state.status, ==, TC_CONSENT_STATUS_OPTED_IN);

  return outcome->contact_id;
}

static void
opt_out (Fixture    *f,
         const char *phone,
         TcChannel   channel,
         TcPurpose   purpose)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = TC_CONSENT_EVENT_OPTED_OUT,
    .source = TC_CONSENT_SOURCE_KEYWORD,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
}

static gint64
enqueue_full (Fixture           *f,
              const TcOutboxRow *row,
              gboolean          *inserted)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;

  tc_outbox_enqueue_async (f->repo.repo, row, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_enqueue_finish (f->repo.repo, result, inserted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);

  return entry->id;
}

/* A promotional SMS to @phone (opted in first), due now. */
static gint64
enqueue (Fixture    *f,
         const char *phone,
         const char *key,
         const char *body)
{
  gint64 contact_id = opt_in (f, phone, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  TcOutboxRow row = {
    .idem_key = key,
    .origin = "test",
    .contact_id = contact_id,
    .phone = phone,
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .body = body != NULL ? body : "Hello",
    .due_at = g_get_real_time () / G_USEC_PER_SEC,
  };

  return enqueue_full (f, &row, NULL);
}

static TcOutboxEntry *
get_entry (Fixture *f,
           gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcOutboxEntry *entry;

  tc_outbox_get_async (f->repo.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_get_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);

  return entry;
}

static void
assert_state (Fixture       *f,
              gint64         id,
              TcOutboxState  state)
{
  g_autoptr(TcOutboxEntry) entry = get_entry (f, id);

  g_assert_cmpstr (tc_outbox_state_to_string (entry->state), ==, tc_outbox_state_to_string (state));
}

/* The history of row @id as "state,state,…". */
static char *
history (Fixture *f,
         gint64   id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT state FROM outbox_events WHERE outbox_id = ?1 ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (out, FALSE);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  tc_test_sql_exec (path, sql);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  return tc_test_sql_int (path, sql);
}

static char *
raw_text (const char *path,
          const char *sql)
{
  return tc_test_sql_text (path, sql);
}

static void
save_sender (Fixture    *f,
             const char *id,
             double      mps,
             guint       daily_cap)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSender) sender = tc_sender_new (id, TC_SENDER_TYPE_SHORT_CODE, TC_SENDER_USE_BOTH);

  sender->mps = mps;
  sender->daily_cap = daily_cap;
  tc_senders_save_async (f->repo.repo, sender, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_senders_save_finish (f->repo.repo, result, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------
 * Tests
 */

/* The backoff schedule: doubling from the base, jitter in the upper half,
 * capped at an hour, never under Retry-After. */
static void
test_backoff_schedule (void)
{
  const struct
  {
    guint   attempt;
    guint   base_ms;
    gint64  retry_after;
    double  random;
    guint64 expected;
  } cases[] = {
    { 1, 1000, 0, 0.0, 500 },
    { 1, 1000, 0, 1.0, 1000 },
    { 2, 1000, 0, 0.0, 1000 },
    { 3, 1000, 0, 0.5, 3000 },
    { 8, 1000, 0, 1.0, 128000 },
    { 30, 1000, 0, 1.0, 3600000 },
    { 1, 1000, 5, 0.0, 5000 },
    { 4, 1000, 2, 1.0, 8000 },     /* backoff larger than Retry-After */
    { 1, 2000, 90, 0.3, 90000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (tc_engine_backoff_ms (cases[i].attempt, cases[i].base_ms, cases[i].retry_after,
                                            cases[i].random), ==, cases[i].expected);
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *long_body = g_strnfill (200, 'a');
  gint64 a = enqueue (f, "+14155550101", "k1", "Hello");
  gint64 b = enqueue (f, "+14155550102", "k2", long_body);
  g_autoptr(TcOutboxEntry) ea = NULL;
  g_autoptr(TcOutboxEntry) eb = NULL;
  g_autofree char *hist = NULL;
  g_autofree char *json = NULL;

  send_all (f, 5000);

  ea = get_entry (f, a);
  eb = get_entry (f, b);
  g_assert_cmpint (ea->state, ==, TC_OUTBOX_SENT);
  g_assert_cmpint (eb->state, ==, TC_OUTBOX_SENT);
  g_assert_true (g_str_has_prefix (ea->provider_id, "FK"));
  g_assert_cmpstr (ea->provider_id, !=, eb->provider_id);
  g_assert_cmpuint (ea->segments, ==, 1);
  g_assert_cmpuint (eb->segments, ==, 2);
  g_assert_cmpuint (ea->attempts, ==, 1);
  g_assert_cmpint (ea->sent_at, >, 0);
  g_assert_cmpstr (ea->sender_id, ==, "55555");   /* the default sender, written at claim */
  g_assert_cmpstr (ea->provider, ==, "fake");
  g_assert_cmpuint (f->fake->n_sends, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->fake->last_from, 0), ==, "55555");

  hist = history (f, a);
  g_assert_cmpstr (hist, ==, "queued,sending,sent");

  json = tc_outbox_entry_to_json (ea, FALSE);
  g_assert_nonnull (strstr (json, "\"state\":\"sent\""));
  g_assert_nonnull (strstr (json, "\"provider_id\":\"FK"));
  g_assert_nonnull (strstr (json, "\"delivered_at\":null"));
  g_assert_nonnull (strstr (json, "\"attempts\":1"));
  g_assert_nonnull (strstr (json, "\"due_at\":\"20"));

  /* Nothing is sent twice: a second start finds nothing due. */
  stop_engine (f);
  send_all (f, 5000);
  g_assert_cmpuint (f->fake->n_sends, ==, 2);
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  TcOutboxRow row = {
    .idem_key = "campaign:1:A:7",
    .origin = "campaign:1:A",
    .phone = "+14155550103",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_TRANSACTIONAL,
    .body = "Your order shipped",
    .due_at = 1,
  };
  gboolean inserted = FALSE;
  gint64 first, second;

  first = enqueue_full (f, &row, &inserted);
  g_assert_true (inserted);
  row.body = "Another text";
  second = enqueue_full (f, &row, &inserted);
  g_assert_false (inserted);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox_events"), ==, 1);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE body = 'Your order shipped'"), ==, 1);
}

static void
test_permanent (Fixture       *f,
                gconstpointer  data)
{
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autofree char *hist = NULL;

  fake_script (f->fake, "+14155550104", (Step) { ACT_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER, "21211", 0 });
  id = enqueue (f, "+14155550104", "p1", NULL);
  send_all (f, 5000);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, TC_OUTBOX_FAILED);
  g_assert_cmpstr (entry->reason, ==, "The fake refused it");
  g_assert_cmpstr (entry->error_code, ==, "21211");
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->failed_at, >, 0);
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550104"), ==, 1);
  hist = history (f, id);
  g_assert_cmpstr (hist, ==, "queued,sending,failed");
}

static gboolean
row_sent_or_failed (Fixture *f)
{
  return f->fake->in_flight == 0 && f->n_idle > 0;
}

/* Transient failures come back after the backoff, honouring Retry-After. */
static void
test_transient_retry (Fixture       *f,
                      gconstpointer  data)
{
  const char *phone = "+14155550105";
  GArray *times;
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autofree char *hist = NULL;

  fake_script (f->fake, phone, (Step) { ACT_TRANSIENT, TC_SEND_EFFECT_NONE, "20429", 2 });
  fake_script (f->fake, phone, (Step) { ACT_TRANSIENT, TC_SEND_EFFECT_NONE, "30001", 0 });
  id = enqueue (f, phone, "t1", NULL);
  send_until_settled (f, 15000);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, TC_OUTBOX_SENT);
  g_assert_cmpuint (entry->attempts, ==, 3);
  times = g_hash_table_lookup (f->fake->sends, phone);
  g_assert_cmpuint (times->len, ==, 3);
  /* Retry-After 2 s: the second attempt waits at least until the second
   * second after the first (due times are whole seconds). */
  g_assert_cmpint (g_array_index (times, gint64, 1) / G_USEC_PER_SEC -
                   g_array_index (times, gint64, 0) / G_USEC_PER_SEC, >=, 2);
  g_assert_cmpint (g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0), <, 4 * G_USEC_PER_SEC);
  /* The backoff (1 ms base here) rounds up to the next second. */
  g_assert_cmpint (g_array_index (times, gint64, 2) - g_array_index (times, gint64, 1), <, 2 * G_USEC_PER_SEC);
  hist = history (f, id);
  g_assert_cmpstr (hist, ==, "queued,sending,queued,sending,queued,sending,sent");
  (void) row_sent_or_failed;
}

/* At most TC_ENGINE_MAX_ATTEMPTS, then failed. */
static void
test_transient_gives_up (Fixture       *f,
                         gconstpointer  data)
{
  const char *phone = "+14155550106";
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;

  for (guint i = 0; i < 20; i++)
    fake_script (f->fake, phone, (Step) { ACT_TRANSIENT, TC_SEND_EFFECT_NONE, "30001", 0 });
  id = enqueue (f, phone, "t2", NULL);
  send_until_settled (f, 20000);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, TC_OUTBOX_FAILED);
  g_assert_cmpuint (entry->attempts, ==, TC_ENGINE_MAX_ATTEMPTS);
  g_assert_cmpuint (fake_sends_to (f->fake, phone), ==, TC_ENGINE_MAX_ATTEMPTS);
  g_assert_true (g_str_has_prefix (entry->reason, "Gave up after 8 attempts"));
}

/* Ambiguous: never re-sent; the lookup finds it (sent) or not (unknown). */
static void
test_ambiguous (Fixture       *f,
                gconstpointer  data)
{
  gint64 found, lost;
  g_autoptr(TcOutboxEntry) e_found = NULL;
  g_autoptr(TcOutboxEntry) e_lost = NULL;
  g_autofree char *hist = NULL;

  fake_script (f->fake, "+14155550107", (Step) { ACT_AMBIGUOUS_REACHED, 0, NULL, 0 });
  fake_script (f->fake, "+14155550108", (Step) { ACT_AMBIGUOUS_LOST, 0, NULL, 0 });
  found = enqueue (f, "+14155550107", "a1", NULL);
  lost = enqueue (f, "+14155550108", "a2", NULL);
  send_all (f, 5000);

  e_found = get_entry (f, found);
  e_lost = get_entry (f, lost);
  g_assert_cmpint (e_found->state, ==, TC_OUTBOX_SENT);
  g_assert_true (g_str_has_prefix (e_found->provider_id, "FK"));
  g_assert_cmpint (e_lost->state, ==, TC_OUTBOX_UNKNOWN);
  g_assert_cmpstr (e_lost->provider_id, ==, "");
  g_assert_nonnull (strstr (e_lost->reason, "may have reached"));
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550107"), ==, 1);
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550108"), ==, 1);
  g_assert_cmpuint (f->fake->n_lookups, ==, 2);
  hist = history (f, found);
  g_assert_cmpstr (hist, ==, "queued,sending,sent");
}

/* A provider that cannot look up: ambiguous becomes unknown. */
static void
test_ambiguous_no_lookup (Fixture       *f,
                          gconstpointer  data)
{
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;

  f->fake->can_lookup = FALSE;
  fake_script (f->fake, "+14155550109", (Step) { ACT_AMBIGUOUS_REACHED, 0, NULL, 0 });
  id = enqueue (f, "+14155550109", "a3", NULL);
  send_all (f, 5000);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, TC_OUTBOX_UNKNOWN);
  g_assert_nonnull (strstr (entry->reason, "cannot look messages up"));
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550109"), ==, 1);
}

/* Two ambiguous rows to the same number: one message found; it goes to
 * one row only. */
static void
test_ambiguous_same_number (Fixture       *f,
                            gconstpointer  data)
{
  const char *phone = "+14155550110";
  gint64 a, b;
  g_autoptr(TcOutboxEntry) ea = NULL;
  g_autoptr(TcOutboxEntry) eb = NULL;

  fake_script (f->fake, phone, (Step) { ACT_AMBIGUOUS_REACHED, 0, NULL, 0 });
  fake_script (f->fake, phone, (Step) { ACT_AMBIGUOUS_LOST, 0, NULL, 0 });
  a = enqueue (f, phone, "s1", NULL);
  b = enqueue (f, phone, "s2", NULL);
  send_all (f, 5000);

  ea = get_entry (f, a);
  eb = get_entry (f, b);
  g_assert_true ((ea->state == TC_OUTBOX_SENT) != (eb->state == TC_OUTBOX_SENT));
  g_assert_true (ea->state == TC_OUTBOX_UNKNOWN || eb->state == TC_OUTBOX_UNKNOWN);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(DISTINCT provider_id) FROM outbox"
                                          " WHERE provider_id IS NOT NULL"), ==, 1);
}

static void
fill (Fixture *f,
      guint    n,
      guint    first)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1415555%04u", first + i);
      g_autofree char *key = g_strdup_printf ("fill:%u", first + i);

      enqueue (f, phone, key, NULL);
    }
}

/* Never more requests in flight than the window, nor than the provider's
 * concurrency. */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  f->fake->delay_ms = 20;
  fill (f, 60, 1000);
  g_object_set (f->engine, "window", 8, NULL);
  send_all (f, 20000);
  g_assert_cmpuint (f->fake->n_sends, ==, 60);
  g_assert_cmpuint (f->fake->max_in_flight, <=, 8);
  g_assert_cmpuint (f->fake->max_in_flight, >=, 4);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'sent'"), ==, 60);

  stop_engine (f);
  f->fake->max_in_flight = 0;
  fill (f, 30, 2000);
  g_object_set (f->engine, "window", 64, "provider-concurrency", 3, NULL);
  send_all (f, 20000);
  g_assert_cmpuint (f->fake->n_sends, ==, 90);
  g_assert_cmpuint (f->fake->max_in_flight, <=, 3);
  g_assert_cmpuint (f->fake->max_in_flight, >=, 2);
}

/* A sender limited to 20 segments/s: 40 one-segment messages take about
 * two seconds, 20 two-segment ones too. */
static void
test_token_bucket (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *two_segments = g_strnfill (200, 'b');
  GHashTableIter iter;
  GArray *times;
  gint64 first = G_MAXINT64, last = 0;
  double elapsed;

  save_sender (f, "55555", 20, 0);
  fill (f, 40, 3000);
  send_all (f, 20000);
  g_assert_cmpuint (f->fake->n_sends, ==, 40);

  g_hash_table_iter_init (&iter, f->fake->sends);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &times))
    {
      first = MIN (first, g_array_index (times, gint64, 0));
      last = MAX (last, g_array_index (times, gint64, 0));
    }
  elapsed = (last - first) / (double) G_USEC_PER_SEC;
  /* (40 − a burst of 2) / 20 per second = 1.9 s */
  g_test_message ("40 messages at 20/s took %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 1.5);
  g_assert_cmpfloat (elapsed, <=, 3.5);

  stop_engine (f);
  g_hash_table_remove_all (f->fake->sends);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1415556%04u", i);
      g_autofree char *key = g_strdup_printf ("two:%u", i);

      enqueue (f, phone, key, two_segments);
    }
  send_all (f, 20000);
  first = G_MAXINT64;
  last = 0;
  g_hash_table_iter_init (&iter, f->fake->sends);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &times))
    {
      first = MIN (first, g_array_index (times, gint64, 0));
      last = MAX (last, g_array_index (times, gint64, 0));
    }
  elapsed = (last - first) / (double) G_USEC_PER_SEC;
  g_test_message ("20 two-segment messages at 20 segments/s took %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 1.4);
  g_assert_cmpfloat (elapsed, <=, 3.5);
}

/* The first time @phone was sent to, in microseconds (0: never). */
static gint64
first_send (Fixture    *f,
            const char *phone)
{
  GArray *times = g_hash_table_lookup (f->fake->sends, phone);

  return times != NULL && times->len > 0 ? g_array_index (times, gint64, 0) : 0;
}

/* How many of the numbers the fake got were first sent to before @at. */
static guint
sent_before (Fixture *f,
             gint64   at)
{
  GHashTableIter iter;
  GArray *times;
  guint n = 0;

  g_hash_table_iter_init (&iter, f->fake->sends);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &times))
    if (times->len > 0 && g_array_index (times, gint64, 0) < at)
      n++;

  return n;
}

/* A reply written in the Inbox and the answer to a STOP go out ahead of a
 * campaign's queue on the same sender, although they came due last. */
static void
test_urgent_first (Fixture       *f,
                   gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 reply_contact = opt_in (f, "+14155559001", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL);
  gint64 stop_contact = opt_in (f, "+14155559002", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL);
  TcOutboxRow reply = {
    .idem_key = "inbox:reply",
    .origin = "inbox",
    .contact_id = reply_contact,
    .phone = "+14155559001",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_TRANSACTIONAL,
    .body = "Yes, we open at nine.",
    .due_at = now,
  };
  TcOutboxRow confirmation = {
    .idem_key = "stop:confirmation",
    .origin = "keyword",
    .contact_id = stop_contact,
    .phone = "+14155559002",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_TRANSACTIONAL,
    .compliance = TRUE,
    .body = "You are unsubscribed and will receive no more messages.",
    .due_at = now,
  };

  /* 20 a second: the 60 campaign messages take about three seconds. */
  save_sender (f, "55555", 20, 0);
  fill (f, 60, 4000);
  enqueue_full (f, &reply, NULL);
  enqueue_full (f, &confirmation, NULL);
  send_all (f, 20000);
  g_assert_cmpuint (f->fake->n_sends, ==, 62);

  /* Both in the first claim, before all but a burst's worth of the rest. */
  g_assert_cmpint (first_send (f, "+14155559001"), >, 0);
  g_assert_cmpint (first_send (f, "+14155559002"), >, 0);
  g_assert_cmpuint (sent_before (f, first_send (f, "+14155559001")), <=, 2);
  g_assert_cmpuint (sent_before (f, first_send (f, "+14155559002")), <=, 2);
}

static gboolean
five_sent (Fixture *f)
{
  return f->fake->n_sends >= 5 && f->fake->in_flight == 0;
}

/* The daily cap: 5 a day; the rest wait for tomorrow. */
static void
test_daily_cap (Fixture       *f,
                gconstpointer  data)
{
  save_sender (f, "55555", 0, 5);
  fill (f, 8, 4000);
  tc_engine_start (f->engine);
  run_until (five_sent, f, 10000);
  run_for (500);
  g_assert_cmpuint (f->fake->n_sends, ==, 5);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'sent'"), ==, 5);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==, 3);

  /* A restart counts what was sent today from the database. */
  stop_engine (f);
  tc_engine_start (f->engine);
  run_for (500);
  g_assert_cmpuint (f->fake->n_sends, ==, 5);
}

/* Rows a crash left in "sending" are looked up before anything is sent:
 * found → sent (never again); not found → the provider never got it, so
 * it goes again, once. */
static void
test_recovery (Fixture       *f,
               gconstpointer  data)
{
  gint64 found, lost, queued;
  g_autofree char *sql = NULL;
  g_autofree char *provider_id = NULL;
  g_autoptr(TcOutboxEntry) e_found = NULL;
  g_autoptr(TcOutboxEntry) e_lost = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  found = enqueue (f, "+14155550111", "r1", NULL);
  lost = enqueue (f, "+14155550112", "r2", NULL);
  queued = enqueue (f, "+14155550113", "r3", NULL);
  /* What a crash after claiming leaves behind; the provider did get the
   * first one (a message it created 10 s after the claim). */
  sql = g_strdup_printf ("UPDATE outbox SET state = 'sending', attempts = 1, claimed_at = %" G_GINT64_FORMAT
                         ", sender_id = '55555' WHERE id IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         now - 120, found, lost);
  raw_exec (f->repo.path, sql);
  provider_id = fake_create (f->fake, "+14155550111");
  ((Created *) g_ptr_array_index (f->fake->created, 0))->created = now - 110;
  /* An older message to the second number, from before the claim (minus
   * the slack): not this one. */
  g_free (fake_create (f->fake, "+14155550112"));
  ((Created *) g_ptr_array_index (f->fake->created, 1))->created = now - 300;

  send_all (f, 5000);

  e_found = get_entry (f, found);
  e_lost = get_entry (f, lost);
  g_assert_cmpint (e_found->state, ==, TC_OUTBOX_SENT);
  g_assert_cmpstr (e_found->provider_id, ==, provider_id);
  g_assert_cmpint (e_lost->state, ==, TC_OUTBOX_SENT);
  g_assert_cmpint (e_lost->attempts, ==, 1);
  assert_state (f, queued, TC_OUTBOX_SENT);
  /* The found one is not sent again, the lost one once; both were looked
   * up before anything went. */
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550111"), ==, 0);
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550112"), ==, 1);
  g_assert_cmpuint (fake_sends_to (f->fake, "+14155550113"), ==, 1);
  g_assert_cmpuint (f->fake->log->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->fake->log, 0), "lookup "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->fake->log, 1), "lookup "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->fake->log, 2), "send "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->fake->log, 3), "send "));
  {
    g_autofree char *history = g_strdup_printf ("SELECT count(*) FROM outbox_events WHERE outbox_id = %"
                                                G_GINT64_FORMAT " AND state = 'queued'", lost);

    /* Queued when planned, and again when the lookup found nothing. */
    g_assert_cmpint (raw_int (f->repo.path, history), ==, 2);
  }
}

/* A provider-reported opt-out: failed, and "blocked" in the ledger for
 * both purposes of that channel. */
static void
test_opted_out (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentReport) report = NULL;
  TcConsent *last;
  gint64 id;

  fake_script (f->fake, "+14155550114", (Step) { ACT_PERMANENT, TC_SEND_EFFECT_OPTED_OUT, "21610", 0 });
  id = enqueue (f, "+14155550114", "o1", NULL);
  send_all (f, 5000);
  assert_state (f, id, TC_OUTBOX_FAILED);

  tc_consent_ledger_report_async (f->repo.repo, 0, "+14155550114", NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_consent_ledger_report_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==, TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].status, ==, TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (report->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].source, ==, TC_CONSENT_SOURCE_PROVIDER);
  g_assert_cmpint (report->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==, TC_CONSENT_STATUS_NONE);
  last = g_ptr_array_index (report->events, report->events->len - 1);
  g_assert_cmpint (tc_consent_get_kind (last), ==, TC_CONSENT_EVENT_BLOCKED);
  g_assert_cmpstr (tc_consent_get_origin (last), ==, "fake error 21610");
}

/* Consent is checked again when a row is claimed. */
static void
test_recheck (Fixture       *f,
              gconstpointer  data)
{
  gint64 opted_out, none, compliance, erased, suppressed;
  g_autoptr(TcOutboxEntry) e_out = NULL;
  g_autoptr(TcOutboxEntry) e_none = NULL;
  g_autofree char *hist = NULL;
  TcOutboxRow row = {
    .idem_key = "n1",
    .phone = "+14155550116",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .body = "Sale",
    .due_at = 1,
  };
  TcOutboxRow reply = {
    .idem_key = "reply:1",
    .origin = "reply",
    .phone = "+14155550115",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_TRANSACTIONAL,
    .compliance = TRUE,
    .body = "You are unsubscribed",
    .due_at = 1,
  };

  opted_out = enqueue (f, "+14155550115", "c1", NULL);
  opt_out (f, "+14155550115", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  none = enqueue_full (f, &row, NULL);
  compliance = enqueue_full (f, &reply, NULL);
  /* A row whose person was erased after it was queued (tc-privacy.c blanks
   * the number), even a compliance reply. */
  reply.idem_key = "reply:2";
  erased = enqueue_full (f, &reply, NULL);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox SET phone = '', body = '' WHERE id = %" G_GINT64_FORMAT,
                                            erased);

    raw_exec (f->repo.path, sql);
  }
  /* A number put on the suppression list after its row was queued. */
  suppressed = enqueue (f, "+14155550122", "c2", NULL);
  {
    g_autofree char *salt = raw_text (f->repo.path, "SELECT value FROM settings WHERE key = 'privacy.salt'");
    g_autofree char *hash = _tc_privacy_hash (salt, "+14155550122");
    g_autofree char *sql = g_strdup_printf ("INSERT INTO suppressions (hash, reason, created_at)"
                                            " VALUES ('%s', 'erased', 1)", hash);

    raw_exec (f->repo.path, sql);
  }
  send_all (f, 5000);

  e_out = get_entry (f, opted_out);
  e_none = get_entry (f, none);
  g_assert_cmpint (e_out->state, ==, TC_OUTBOX_SKIPPED);
  g_assert_cmpstr (e_out->reason, ==, "opted_out");
  g_assert_cmpint (e_none->state, ==, TC_OUTBOX_SKIPPED);
  g_assert_cmpstr (e_none->reason, ==, "no_consent");
  assert_state (f, compliance, TC_OUTBOX_SENT);
  assert_state (f, erased, TC_OUTBOX_SKIPPED);
  assert_state (f, suppressed, TC_OUTBOX_SKIPPED);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE reason = 'erased'"), ==, 2);
  g_assert_cmpuint (f->fake->n_sends, ==, 1);
  hist = history (f, opted_out);
  g_assert_cmpstr (hist, ==, "queued,skipped");
}

static gboolean
some_in_flight (Fixture *f)
{
  return tc_engine_get_n_in_flight (f->engine) > 0;
}

static void
on_stopped_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_engine_stop_finish (TC_ENGINE (object), result, &error));
  g_assert_no_error (error);
  /* Everything that was sent has its answer written. */
  g_assert_cmpuint (f->fake->in_flight, ==, 0);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'sending'"), ==, 0);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'sent'"), ==,
                   f->fake->n_sends);
  f->n_idle = 1000;
}

static gboolean
stopped (Fixture *f)
{
  return f->n_idle == 1000;
}

/* Stop waits for the requests in flight and writes their answers. */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  f->fake->delay_ms = 300;
  fill (f, 20, 5000);
  g_object_set (f->engine, "window", 4, NULL);
  tc_engine_start (f->engine);
  run_until (some_in_flight, f, 5000);
  tc_engine_stop_async (f->engine, on_stopped_cb, f);
  run_until (stopped, f, 5000);
  g_assert_cmpuint (f->fake->n_sends, <, 20);
  g_assert_cmpuint (f->fake->n_sends, >, 0);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==,
                   20 - f->fake->n_sends);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT max (attempts) FROM outbox WHERE state = 'queued'"), ==, 0);
}

/* Stopped at once, while it still lists the rows a crash may have left in
 * "sending": the stop completes (it used to wait for ever). */
static void
test_stop_at_start (Fixture       *f,
                    gconstpointer  data)
{
  fill (f, 3, 5000);
  tc_engine_start (f->engine);
  tc_engine_stop_async (f->engine, on_stopped_cb, f);
  run_until (stopped, f, 5000);
  g_assert_cmpuint (f->fake->n_sends, ==, 0);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'queued'"), ==, 3);
}

static gboolean
is_paused_long_enough (Fixture *f)
{
  return f->fake->in_flight == 0;
}

static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  guint sent;

  f->fake->delay_ms = 50;
  fill (f, 30, 6000);
  g_object_set (f->engine, "window", 2, NULL);
  tc_engine_start (f->engine);
  run_until (some_in_flight, f, 5000);
  tc_engine_pause (f->engine);
  g_assert_false (tc_engine_get_running (f->engine));
  run_until (is_paused_long_enough, f, 5000);
  run_for (200);
  sent = f->fake->n_sends;
  run_for (300);
  g_assert_cmpuint (f->fake->n_sends, ==, sent);
  g_assert_cmpuint (sent, <, 30);

  f->n_idle = 0;
  tc_engine_resume (f->engine);
  g_assert_true (tc_engine_get_running (f->engine));
  run_until (is_idle, f, 10000);
  g_assert_cmpuint (f->fake->n_sends, ==, 30);
}

/* An account problem stops the channel and tells the GUI; the row waits. */
static void
test_account_problem (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id;
  g_autoptr(TcOutboxEntry) entry = NULL;

  fake_script (f->fake, "+14155550117", (Step) { ACT_PERMANENT, TC_SEND_EFFECT_ACCOUNT, "20003", 0 });
  id = enqueue (f, "+14155550117", "x1", NULL);
  send_all (f, 5000);
  g_assert_cmpuint (f->n_problems, ==, 1);
  g_assert_nonnull (strstr (f->problem, "The fake refused it"));

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, TC_OUTBOX_QUEUED);
  g_assert_cmpuint (entry->attempts, ==, 0);
  g_assert_cmpuint (f->fake->n_sends, ==, 1);

  f->n_idle = 0;
  tc_engine_resume (f->engine);
  run_until (is_idle, f, 5000);
  assert_state (f, id, TC_OUTBOX_SENT);
  g_assert_cmpuint (f->fake->n_sends, ==, 2);
}

static gboolean
flushed (Fixture *f)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (f->engine), "changes")) >= 1;
}

static void
on_row_changed_cb (TcEngine   *engine,
                   gint64      id,
                   const char *state,
                   gpointer    user_data)
{
  if (strcmp (state, "sending") != 0 && strcmp (state, "sent") != 0)
    g_object_set_data (G_OBJECT (engine), "changes",
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (engine), "changes")) + 1));
}

static void
apply_status (Fixture         *f,
              const char      *provider_id,
              TcDeliveryState  state)
{
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  TcStatusUpdate *update = g_new0 (TcStatusUpdate, 1);

  update->provider_id = g_strdup (provider_id);
  update->state = state;
  g_ptr_array_add (statuses, update);
  g_object_set_data (G_OBJECT (f->engine), "changes", NULL);
  tc_engine_apply_statuses (f->engine, statuses);
  run_for (200);
}

/* Statuses move rows forward only. */
static void
test_statuses (Fixture       *f,
               gconstpointer  data)
{
  gint64 id = enqueue (f, "+14155550118", "st1", NULL);
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autofree char *hist = NULL;
  char *provider_id;

  send_all (f, 5000);
  entry = get_entry (f, id);
  provider_id = g_strdup (entry->provider_id);
  g_clear_pointer (&entry, tc_outbox_entry_free);
  g_signal_connect (f->engine, "row-changed", G_CALLBACK (on_row_changed_cb), NULL);

  apply_status (f, provider_id, TC_DELIVERY_DELIVERED);
  g_assert_true (flushed (f));
  assert_state (f, id, TC_OUTBOX_DELIVERED);
  apply_status (f, provider_id, TC_DELIVERY_SENT);          /* late: ignored */
  assert_state (f, id, TC_OUTBOX_DELIVERED);
  apply_status (f, provider_id, TC_DELIVERY_READ);
  assert_state (f, id, TC_OUTBOX_READ);
  apply_status (f, provider_id, TC_DELIVERY_FAILED);        /* never back */
  assert_state (f, id, TC_OUTBOX_READ);
  apply_status (f, "FK99999", TC_DELIVERY_DELIVERED);       /* nobody's: nothing */

  entry = get_entry (f, id);
  g_assert_cmpint (entry->delivered_at, >, 0);
  g_assert_cmpint (entry->read_at, >, 0);
  hist = history (f, id);
  g_assert_cmpstr (hist, ==, "queued,sending,sent,delivered,read");
  g_free (provider_id);
}

static gboolean
reply_sent (Fixture *f)
{
  return fake_sends_to (f->fake, "+14155550120") == 1 && f->fake->in_flight == 0 &&
         raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE state = 'sent'") == 1;
}

/* An inbound STOP: the ledger records it, and the engine sends the reply
 * it queued. */
static void
test_inbound (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  TcInboundMessage *message = g_new0 (TcInboundMessage, 1);

  opt_in (f, "+14155550120", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL);
  tc_engine_start (f->engine);

  message->provider_id = g_strdup ("SMinbound1");
  message->channel = TC_CHANNEL_SMS;
  message->from = g_strdup ("+14155550120");
  message->to = g_strdup ("55555");
  message->body = g_strdup ("STOP");
  g_ptr_array_add (inbound, message);
  tc_engine_apply_inbound (f->engine, inbound);
  run_until (reply_sent, f, 5000);

  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox WHERE compliance = 1"
                                          " AND origin = 'reply' AND state = 'sent'"), ==, 1);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM consent_state WHERE status = 'opted_out'"
                                          " AND channel = 'sms'"), ==, 2);

  /* The same webhook again changes nothing. */
  tc_engine_apply_inbound (f->engine, inbound);
  run_for (300);
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpuint (f->fake->n_sends, ==, 1);
}

/* Schema 6 → 7 keeps the rows and gives each a history event. */
static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  gint64 id = enqueue (f, "+14155550119", "m1", "Old");
  g_autoptr(TcOutboxEntry) entry = NULL;
  g_autofree char *hist = NULL;

  g_clear_object (&f->engine);
  tc_repository_close (f->repo.repo);
  tc_test_drain_main_context ();
  g_clear_object (&f->repo.repo);
  raw_exec (f->repo.path, TC_TEST_UNDO_SCHEMA_7 "PRAGMA user_version = 6;");
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM pragma_table_info ('outbox')"
                                          " WHERE name = 'attempts'"), ==, 0);

  f->repo.repo = tc_repository_new (f->repo.path);
  tc_test_open_ok (f->repo.repo);
  g_assert_cmpint (raw_int (f->repo.path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  entry = get_entry (f, id);
  g_assert_cmpstr (entry->body, ==, "Old");
  g_assert_cmpuint (entry->segments, ==, 1);
  g_assert_cmpuint (entry->attempts, ==, 0);
  hist = history (f, id);
  g_assert_cmpstr (hist, ==, "queued");
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM outbox_events WHERE detail = 'migrated'"), ==, 1);
  /* The history refuses edits. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->repo.path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox_events SET state = 'sent'", NULL, NULL, NULL), !=, SQLITE_OK);
    sqlite3_close (db);
  }

  f->engine = tc_engine_new (f->repo.repo);
}

/* ------------------------------------------------------------------------
 * End to end: the real Twilio provider against a fake Twilio
 */

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"

typedef struct
{
  GHashTable *by_to;      /* To → count of create requests */
  GPtrArray  *bodies;     /* "To|From|Body" of each accepted one */
  guint       n_created;
} FakeTwilio;

static void
fake_twilio_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeTwilio *twilio = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *form_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = NULL;
  const char *to;
  guint count;
  g_autofree char *answer = NULL;

  if (strcmp (soup_server_message_get_method (msg), "POST") != 0 ||
      strcmp (path, "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json") != 0)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  form = soup_form_decode (form_text);
  to = g_hash_table_lookup (form, "To");
  count = GPOINTER_TO_UINT (g_hash_table_lookup (twilio->by_to, to)) + 1;
  g_hash_table_replace (twilio->by_to, g_strdup (to), GUINT_TO_POINTER (count));

  /* The first request to a number ending in 9 is rate limited. */
  if (g_str_has_suffix (to, "9") && count == 1)
    {
      const char *limited = "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}";

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, limited, strlen (limited));
      return;
    }
  /* A number ending in 8 was unsubscribed. */
  if (g_str_has_suffix (to, "8"))
    {
      const char *refused = "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\",\"status\":400}";

      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, refused, strlen (refused));
      return;
    }

  g_ptr_array_add (twilio->bodies, g_strdup_printf ("%s|%s|%s", to, (char *) g_hash_table_lookup (form, "From"),
                                                    (char *) g_hash_table_lookup (form, "Body")));
  answer = g_strdup_printf ("{\"sid\":\"SM%032x\",\"status\":\"queued\",\"to\":\"%s\"}", ++twilio->n_created, to);
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
test_twilio_end_to_end (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcTwilioProvider) twilio = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  GSList *uris;
  FakeTwilio fake = { 0 };
  gint64 ok, limited, unsubscribed;
  g_autoptr(TcOutboxEntry) e_ok = NULL;
  g_autoptr(TcOutboxEntry) e_limited = NULL;
  g_autoptr(TcOutboxEntry) e_unsub = NULL;

  fake.by_to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake.bodies = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (server, NULL, fake_twilio_cb, &fake, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));

  twilio = tc_twilio_provider_new (session, base, ACCOUNT_SID, "secret-token");
  tc_engine_set_provider (f->engine, TC_CHANNEL_SMS, TC_PROVIDER (twilio));
  tc_engine_set_default_sender (f->engine, TC_CHANNEL_SMS, "+14155550000");

  ok = enqueue (f, "+14155550121", "e1", "Hello from Textcast");
  limited = enqueue (f, "+14155550129", "e2", "Second");
  unsubscribed = enqueue (f, "+14155550128", "e3", "Third");
  send_until_settled (f, 15000);

  e_ok = get_entry (f, ok);
  e_limited = get_entry (f, limited);
  e_unsub = get_entry (f, unsubscribed);
  g_assert_cmpint (e_ok->state, ==, TC_OUTBOX_SENT);
  g_assert_true (g_str_has_prefix (e_ok->provider_id, "SM"));
  g_assert_cmpstr (e_ok->provider, ==, "twilio");
  g_assert_cmpint (e_limited->state, ==, TC_OUTBOX_SENT);
  g_assert_cmpuint (e_limited->attempts, ==, 2);
  g_assert_cmpint (e_unsub->state, ==, TC_OUTBOX_FAILED);
  g_assert_cmpstr (e_unsub->error_code, ==, "21610");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fake.by_to, "+14155550121")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fake.by_to, "+14155550129")), ==, 2);
  g_assert_cmpuint (fake.bodies->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (fake.bodies, "+14155550121|+14155550000|Hello from Textcast",
                                                   g_str_equal, NULL));
  /* 21610 is an opt-out: the ledger says so. */
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count(*) FROM consent_events WHERE kind = 'blocked'"
                                          " AND source = 'provider' AND origin = 'twilio error 21610'"), ==, 2);

  stop_engine (f);
  tc_engine_set_provider (f->engine, TC_CHANNEL_SMS, TC_PROVIDER (f->fake));
  g_hash_table_unref (fake.by_to);
  g_ptr_array_unref (fake.bodies);
  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/engine/backoff-schedule", test_backoff_schedule);
  ADD ("send", test_send);
  ADD ("idempotent", test_idempotent);
  ADD ("permanent", test_permanent);
  ADD ("transient-retry", test_transient_retry);
  ADD ("transient-gives-up", test_transient_gives_up);
  ADD ("ambiguous", test_ambiguous);
  ADD ("ambiguous-no-lookup", test_ambiguous_no_lookup);
  ADD ("ambiguous-same-number", test_ambiguous_same_number);
  ADD ("window", test_window);
  ADD ("token-bucket", test_token_bucket);
  ADD ("daily-cap", test_daily_cap);
  ADD ("urgent-first", test_urgent_first);
  ADD ("recovery", test_recovery);
  ADD ("opted-out", test_opted_out);
  ADD ("recheck", test_recheck);
  ADD ("stop", test_stop);
  ADD ("stop-at-start", test_stop_at_start);
  ADD ("pause-resume", test_pause_resume);
  ADD ("account-problem", test_account_problem);
  ADD ("statuses", test_statuses);
  ADD ("inbound", test_inbound);
  ADD ("migration", test_migration);
  ADD ("twilio-end-to-end", test_twilio_end_to_end);

  return g_test_run ();
}
