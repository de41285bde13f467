/* test-campaign-counts.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaign counters of schema 12 (campaign_counts, campaign_hours,
 * kept from C in the transactions that move the rows; tc-campaign-counts.h)
 * against a full recount of the campaign's outbox rows, after every kind of
 * move a row makes: queued by the campaign, claimed, skipped at the claim,
 * sent, failed, retried, unknown, delivered, read, undelivered, priced by a
 * status, requeued, reconciled after a restart, paused and resumed, its
 * contact erased, cancelled; after a crash in the middle of a batch (the
 * process killed at many points of a claim and its outcomes: the counters
 * commit with the rows or not at all); and after a migration from schema
 * 11, which counts the rows already there. The recount is the report's
 * former row-by-row arithmetic, done here in C on the rows themselves.
 */

#define G_LOG_DOMAIN "test-campaign-counts"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "tc-campaign-counts.h"
#include "tc-campaign-report.h"
#include "tc-campaign.h"
#include "tc-consent-ledger.h"
#include "tc-outbox.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-template-store.h"
#include "tc-test-util.h"

/* Tuesday 1 December 2026, 18:00 UTC (13:00 in New York). */
#define NOW G_GINT64_CONSTANT (1796148000)
#define N_PEOPLE 40
#define SENDER "55555"

typedef struct
{
  TcTestRepo repo;
  gint64     id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->repo, "tc-campaign-counts-XXXXXX", "t.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->repo);
}

static void
raw_exec (Fixture    *f,
          const char *sql)
{
  tc_test_sql_exec (f->repo.path, sql);
}

static gint64
raw_int (Fixture    *f,
         const char *sql)
{
  return tc_test_sql_int (f->repo.path, sql);
}

static char *
raw_text (Fixture    *f,
          const char *sql)
{
  return tc_test_sql_text (f->repo.path, sql);
}

static void
open_repo (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->repo.repo = tc_repository_new (f->repo.path);
  tc_repository_open_async (f->repo.repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_open_finish (f->repo.repo, result, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------
 * The recount: every figure the counters give, from the rows
 */

typedef struct
{
  guint64     sent, delivered, read, failed, deferred, waiting;
  double      cost;
  GHashTable *skipped;   /* reason → count */
  GHashTable *bounced;   /* error code → count */
} Recount;

static void
recount_free (Recount *recount)
{
  g_hash_table_unref (recount->skipped);
  g_hash_table_unref (recount->bounced);
  g_free (recount);
}

static void
bump (GHashTable *table,
      const char *key)
{
  guint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (table, key));

  g_hash_table_replace (table, g_strdup (key), GSIZE_TO_POINTER (n + 1));
}

/* Label → Recount; @hours: hour → guint64[3] (sent, delivered, read). */
static GHashTable *
recount (Fixture     *f,
         GHashTable **hours)
{
  GHashTable *labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) recount_free);
  g_autofree char *low = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":", f->id);
  g_autofree char *high = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ";", f->id);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  *hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT origin, state, reason, error_code, sent_at, delivered_at,"
                                       " read_at, coalesce (price, cost) FROM outbox"
                                       " WHERE origin >= ?1 AND origin < ?2", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, low, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, high, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *label = (const char *) sqlite3_column_text (stmt, 0) + strlen (low);
      const char *state = (const char *) sqlite3_column_text (stmt, 1);
      Recount *r = g_hash_table_lookup (labels, label);
      gint64 times[3];

      if (r == NULL)
        {
          r = g_new0 (Recount, 1);
          r->skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          r->bounced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (labels, g_strdup (label), r);
        }
      for (guint t = 0; t < 3; t++)
        times[t] = sqlite3_column_int64 (stmt, 4 + t);

      if (g_str_equal (state, "skipped"))
        bump (r->skipped, (const char *) sqlite3_column_text (stmt, 2));
      else if (g_str_equal (state, "deferred"))
        r->deferred++;
      else if (g_str_equal (state, "queued") || g_str_equal (state, "sending") ||
               g_str_equal (state, "paused"))
        r->waiting++;
      else if (g_str_equal (state, "failed") || g_str_equal (state, "undelivered") ||
               g_str_equal (state, "unknown"))
        {
          r->failed++;
          bump (r->bounced, (const char *) sqlite3_column_text (stmt, 3));
        }
      if (times[0] != 0)
        {
          r->sent++;
          r->cost += sqlite3_column_double (stmt, 7);
        }
      if (times[1] != 0 || g_str_equal (state, "delivered") || g_str_equal (state, "read"))
        r->delivered++;
      if (times[2] != 0 || g_str_equal (state, "read"))
        r->read++;

      for (guint t = 0; t < 3; t++)
        if (times[t] != 0)
          {
            gint64 at = times[t] - times[t] % 3600;
            guint64 *counts = g_hash_table_lookup (*hours, &at);

            if (counts == NULL)
              {
                counts = g_new0 (guint64, 3);
                g_hash_table_insert (*hours, g_memdup2 (&at, sizeof at), counts);
              }
            counts[t]++;
          }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  return labels;
}

static void
assert_same_counts (GHashTable *counted,
                    GHashTable *expected)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (counted), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (GPOINTER_TO_SIZE (g_hash_table_lookup (counted, key)), ==, GPOINTER_TO_SIZE (value));
}

/* The report's outbox figures and timeline == the recount; no counter
 * below zero; nothing counted for other origins. Returns how many rows
 * were recounted. */
static guint64
check_counts (Fixture    *f,
              const char *when)
{
  g_autoptr(GHashTable) hours = NULL;
  g_autoptr(GHashTable) labels = recount (f, &hours);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCampaignReport) report = NULL;
  g_autofree char *count_rows = NULL;
  guint64 n_labels = 0;

  g_test_message ("checking the counters %s", when);
  tc_campaign_report_async (f->repo.repo, f->id, TC_CAMPAIGN_GROUP_VARIANT, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_campaign_report_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  for (guint i = 0; i < report->variants->len; i++)
    {
      const TcCampaignFigures *figures = g_ptr_array_index (report->variants, i);
      Recount *r = g_hash_table_lookup (labels, figures->key);
      Recount none = { 0, };
      g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);

      if (r == NULL)
        {
          none.skipped = none.bounced = empty;
          r = &none;
        }
      else
        n_labels++;
      g_assert_cmpuint (figures->sent, ==, r->sent);
      g_assert_cmpuint (figures->delivered, ==, r->delivered);
      g_assert_cmpuint (figures->read, ==, r->read);
      g_assert_cmpuint (figures->failed, ==, r->failed);
      g_assert_cmpuint (figures->deferred, ==, r->deferred);
      g_assert_cmpuint (figures->waiting, ==, r->waiting);
      g_assert_cmpfloat (fabs (figures->cost - r->cost), <, 1e-9);
      assert_same_counts (figures->skipped, r->skipped);
      assert_same_counts (figures->bounced, r->bounced);
    }
  /* Every label with rows is one of the report's. */
  g_assert_cmpuint (n_labels, ==, g_hash_table_size (labels));

  g_assert_cmpuint (report->timeline->len, ==, g_hash_table_size (hours));
  for (guint i = 0; i < report->timeline->len; i++)
    {
      const TcCampaignHour *hour = &g_array_index (report->timeline, TcCampaignHour, i);
      const guint64 *counts = g_hash_table_lookup (hours, &hour->at);

      g_assert_nonnull (counts);
      g_assert_cmpuint (hour->sent, ==, counts[0]);
      g_assert_cmpuint (hour->delivered, ==, counts[1]);
      g_assert_cmpuint (hour->read, ==, counts[2]);
      if (i > 0)
        g_assert_cmpint (hour->at, >, g_array_index (report->timeline, TcCampaignHour, i - 1).at);
    }

  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_counts WHERE n < 0"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_hours"
                               " WHERE sent < 0 OR delivered < 0 OR read < 0"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_counts WHERE origin NOT LIKE 'campaign:%'"), ==, 0);
  /* The counters hold as many rows as the campaign has. */
  g_assert_cmpint (raw_int (f, "SELECT total (n) FROM campaign_counts"), ==,
                   raw_int (f, "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:%'"));

  count_rows = g_strdup_printf ("SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:%" G_GINT64_FORMAT ":%%'",
                                f->id);
  return (guint64) raw_int (f, count_rows);
}

/* ------------------------------------------------------------------------
 * Moving rows the way the engine does: claim, outcomes, statuses
 */

typedef struct
{
  GPtrArray *outcomes;   /* or NULL: claim */
  GPtrArray *statuses;
  gint64     now;
  guint      limit;      /* claim: at most this many rows */
} MoveJob;

static gpointer
move_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  MoveJob *job = job_data;

  if (job->outcomes == NULL && job->statuses == NULL)
    {
      g_autoptr(GHashTable) budgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      TcOutboxBudget *budget = g_new0 (TcOutboxBudget, 1);
      TcOutboxClaimChannel channel = { TC_CHANNEL_SMS, "test", SENDER, budgets };
      TcOutboxClaimResult *claim;
      GPtrArray *ids = g_ptr_array_new ();

      budget->segments = G_MAXINT64;
      budget->rows = G_MAXINT64;
      g_hash_table_insert (budgets, tc_outbox_sender_key (TC_CHANNEL_SMS, SENDER), budget);
      claim = _tc_db_outbox_claim (db, &channel, 1, job->limit, FALSE, job->now, error);
      if (claim == NULL)
        {
          g_ptr_array_unref (ids);
          return NULL;
        }
      for (guint i = 0; i < claim->claimed->len; i++)
        g_ptr_array_add (ids, GSIZE_TO_POINTER (((TcOutboxEntry *) g_ptr_array_index (claim->claimed, i))->id));
      tc_outbox_claim_result_free (claim);
      return ids;
    }

  if (!_tc_db_outbox_record (db, job->outcomes, job->statuses, job->now, NULL, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static gpointer
run_move (Fixture *f,
          MoveJob *job)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  _tc_repository_run_async (f->repo.repo, TC_DB_JOB_WRITE, move_job, job, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  value = _tc_repository_run_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);

  return value;
}

/* The ids of the rows claimed at @now, at most @limit. */
static GPtrArray *
claim (Fixture *f,
       gint64   now,
       guint    limit)
{
  MoveJob job = { NULL, NULL, now, limit };

  return run_move (f, &job);
}

static void
record (Fixture   *f,
        GPtrArray *outcomes,
        GPtrArray *statuses,
        gint64     now)
{
  MoveJob job = { outcomes, statuses, now, 0 };

  run_move (f, &job);
}

static TcOutboxStatus *
status_new (const char    *provider_id,
            TcOutboxState  state,
            gint64         at,
            const char    *error_code,
            double         price)
{
  TcOutboxStatus *status = g_new0 (TcOutboxStatus, 1);

  status->provider_id = g_strdup (provider_id);
  status->state = state;
  status->at = at;
  status->error_code = g_strdup (error_code);
  status->price = price;
  status->price_currency = price != 0 ? g_strdup ("USD") : NULL;

  return status;
}

/* ------------------------------------------------------------------------
 * Set-up: people, a template, a campaign with two variants and a holdout
 */

static void
opt_in (Fixture    *f,
        const char *phone)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Text me offers",
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static gboolean
act (Fixture          *f,
     TcCampaignAction  action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  tc_campaign_act_async (f->repo.repo, f->id, action, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  ok = tc_campaign_act_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);

  return ok;
}

static guint
queue (Fixture *f,
       guint    batch,
       gint64   now)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_queued = 0, n_left = 0;

  tc_campaign_queue_async (f->repo.repo, f->id, batch, now, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_queue_finish (f->repo.repo, result, &n_queued, &n_left, &error));
  g_assert_no_error (error);

  return n_queued;
}

/* Saves the campaign and starts it (nothing queued yet). */
static void
set_up_campaign (Fixture *f)
{
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_SMS, "a");
  g_autoptr(TcTemplate) template_b = tc_template_new (TC_TEMPLATE_KIND_SMS, "b");
  g_autoptr(TcCampaign) campaign = tc_campaign_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint audience = 0;

  tc_template_set_body (template, "A: 20% off today");
  tc_template_set_body (template_b, "B: free shipping today");
  tc_repository_save_template_async (f->repo.repo, template, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->repo.repo, result, NULL, &error));
  g_clear_object (&result);
  tc_repository_save_template_async (f->repo.repo, template_b, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->repo.repo, result, NULL, &error));
  g_clear_object (&result);
  g_assert_no_error (error);

  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1212555%04u", 1000 + i);

      opt_in (f, phone);
    }

  tc_campaign_set_name (campaign, "Counted");
  tc_campaign_set_channel (campaign, TC_CAMPAIGN_CHANNEL_SMS);
  tc_campaign_set_purpose (campaign, TC_PURPOSE_PROMOTIONAL);
  tc_campaign_set_audience (campaign, TRUE, NULL, NULL);
  tc_campaign_set_template (campaign, "a", NULL);
  g_assert_true (tc_campaign_add_variant (campaign, "b", NULL, 50));
  ((TcCampaignVariant *) tc_campaign_get_variant (campaign, 0))->percent = 50;
  tc_campaign_set_holdout_percent (campaign, 10);
  tc_campaign_store_save_async (f->repo.repo, campaign, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_store_save_finish (f->repo.repo, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  f->id = tc_campaign_get_id (campaign);

  tc_campaign_start_async (f->repo.repo, f->id, NOW, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_campaign_start_finish (f->repo.repo, result, &audience, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (audience, ==, N_PEOPLE);
}

/* Claims at most @limit due rows and gives each an outcome in turn:
 * sent, failed, retried, unknown, sent. Returns the provider ids of the
 * rows sent. */
static GPtrArray *
send_due (Fixture *f,
          gint64   now,
          guint    limit)
{
  g_autoptr(GPtrArray) ids = claim (f, now, limit);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);
  GPtrArray *sent = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpuint (ids->len, >, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = GPOINTER_TO_SIZE (g_ptr_array_index (ids, i));
      TcOutboxOutcome *outcome;

      switch (i % 5)
        {
        case 1:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_FAILED);
          outcome->reason = g_strdup ("Invalid number");
          outcome->error_code = g_strdup ("21211");
          break;
        case 2:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_RETRY);
          outcome->reason = g_strdup ("Busy");
          outcome->error_code = g_strdup ("20429");
          outcome->due_at = now + 600;
          break;
        case 3:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_UNKNOWN);
          outcome->reason = g_strdup ("No answer");
          break;
        default:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_SENT);
          outcome->provider_id = g_strdup_printf ("SM%" G_GINT64_FORMAT, id);
          g_ptr_array_add (sent, g_strdup (outcome->provider_id));
          break;
        }
      g_ptr_array_add (outcomes, outcome);
    }
  record (f, outcomes, NULL, now);

  return sent;
}

/* The number of a recipient with a row in one of @states (a constant
 * SQL list). */
static char *
phone_in_state (Fixture    *f,
                const char *states)
{
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1212555%04u", 1000 + i);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE phone = '%s'"
                                              " AND state IN (%s)", phone, states);

      if (raw_int (f, sql) > 0)
        return g_steal_pointer (&phone);
    }
  g_error ("nobody has a message in %s", states);
}

/* Every campaign row gets some outcome, step by step. */
static void
move_everything (Fixture *f)
{
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_status_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean had_contact = FALSE;
  g_autofree char *waiting_phone = NULL;
  g_autofree char *delivered_phone = NULL;

  /* Queued in two batches (the rest waits in the audience). */
  g_assert_cmpuint (queue (f, 20, NOW), ==, 20);
  check_counts (f, "after the first batch");
  g_assert_cmpuint (queue (f, 100, NOW), >, 0);
  g_assert_cmpuint (check_counts (f, "after queueing"), ==, 36);

  /* A row of another origin changes no campaign counter. */
  raw_exec (f, "INSERT INTO outbox (idem_key, origin, phone, channel, purpose, body, state, due_at,"
               " sent_at, created_at, updated_at) VALUES ('cli:1', 'cli', '+12125559999', 'sms',"
               " 'transactional', 'Hi', 'sent', 1796148000, 1796148000, 1796148000, 1796148000)");

  /* Claimed (sending), then outcomes; 12 rows wait on. */
  sent = send_due (f, NOW, 24);
  check_counts (f, "after the first outcomes");
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'failed'"), >, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'unknown'"), >, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 1"), >, 0);

  /* Statuses: delivered in the same hour, read the next, undelivered with
   * a price, a late price on a delivered one. */
  for (guint i = 0; i < sent->len; i++)
    {
      const char *provider_id = g_ptr_array_index (sent, i);

      switch (i % 4)
        {
        case 0:
          g_ptr_array_add (statuses, status_new (provider_id, TC_OUTBOX_DELIVERED, NOW + 60, NULL, 0.0079));
          break;
        case 1:
          g_ptr_array_add (statuses, status_new (provider_id, TC_OUTBOX_DELIVERED, NOW + 120, NULL, 0));
          g_ptr_array_add (statuses, status_new (provider_id, TC_OUTBOX_READ, NOW + 3700, NULL, 0));
          break;
        case 2:
          g_ptr_array_add (statuses, status_new (provider_id, TC_OUTBOX_UNDELIVERED, NOW + 90, "30005", 0.0079));
          break;
        default:
          break;   /* stays sent */
        }
    }
  record (f, NULL, statuses, NOW + 3800);
  check_counts (f, "after the statuses");
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'read'"), >, 0);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'undelivered'"), >, 0);

  /* The retried rows go out later, in another hour. */
  later = send_due (f, NOW + 7200, 10);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state IN ('queued', 'deferred')"), >=, 6);
  check_counts (f, "after the retries");

  /* Paused and resumed: the waiting rows move to paused and back. */
  g_assert_true (act (f, TC_CAMPAIGN_PAUSE));
  check_counts (f, "paused");
  g_assert_true (act (f, TC_CAMPAIGN_RESUME));
  check_counts (f, "resumed");

  /* A recipient erased while their message waits: the next claim skips
   * it ("erased"); one erased after delivery keeps the row's counts. */
  waiting_phone = phone_in_state (f, "'queued', 'deferred'");
  delivered_phone = phone_in_state (f, "'delivered', 'read'");
  for (guint i = 0; i < 2; i++)
    {
      tc_privacy_erase_async (f->repo.repo, i == 0 ? waiting_phone : delivered_phone, NULL,
                              tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      g_assert_true (tc_privacy_erase_finish (f->repo.repo, result, &had_contact, &error));
      g_assert_no_error (error);
      g_assert_true (had_contact);
      g_clear_object (&result);
    }
  check_counts (f, "after erasure");
  {
    g_autoptr(GPtrArray) ids = claim (f, NOW + 86400 * 2, 1000);
    g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);

    g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'skipped' AND reason = 'erased'"), >, 0);
    check_counts (f, "after the erased row was skipped");
    /* Those claimed wait again, for the cancel below. */
    g_assert_cmpuint (ids->len, >, 0);
    for (guint i = 0; i < ids->len; i++)
      {
        TcOutboxOutcome *outcome = tc_outbox_outcome_new (GPOINTER_TO_SIZE (g_ptr_array_index (ids, i)),
                                                          TC_OUTBOX_OUTCOME_REQUEUE);

        outcome->due_at = NOW + 86400 * 3;
        g_ptr_array_add (outcomes, outcome);
      }
    record (f, outcomes, NULL, NOW + 86400 * 2);
    check_counts (f, "after a requeue");
  }

  /* Cancelled: whatever still waited is skipped ("cancelled"). */
  g_assert_true (act (f, TC_CAMPAIGN_CANCEL));
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM outbox WHERE reason = 'cancelled'"), >, 0);
  check_counts (f, "cancelled");
}

static gpointer
rebuild_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  return _tc_campaign_counts_rebuild (db, *(gint64 *) job_data, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
test_moves (Fixture       *f,
            gconstpointer  data)
{
  set_up_campaign (f);
  check_counts (f, "before anything was queued");
  move_everything (f);

  /* The counters were kept, not rebuilt: every state seen has a row. */
  g_assert_cmpint (raw_int (f, "SELECT count (DISTINCT state) FROM campaign_counts"), >=, 7);

  /* Counting again from the rows (_tc_campaign_counts_rebuild, for rows
   * changed by hand) gives the very same counters. */
  {
#define ALL_COUNTERS \
  "SELECT group_concat (key, ' ') FROM (" \
  " SELECT origin || '|' || state || '|' || detail || '|' || sent || delivered || read || '|' || cost" \
  "  || '=' || n AS key FROM campaign_counts WHERE n <> 0" \
  " UNION ALL SELECT origin || '|' || hour || '=' || sent || '/' || delivered || '/' || read" \
  "  FROM campaign_hours WHERE sent <> 0 OR delivered <> 0 OR read <> 0 ORDER BY 1)"
    g_autofree char *kept = raw_text (f, ALL_COUNTERS);
    g_autofree char *rebuilt = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    _tc_repository_run_async (f->repo.repo, TC_DB_JOB_WRITE, rebuild_job, &f->id, NULL, NULL, NULL,
                              tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    g_assert_nonnull (_tc_repository_run_finish (f->repo.repo, result, &error));
    g_assert_no_error (error);
    rebuilt = raw_text (f, ALL_COUNTERS);
    g_assert_nonnull (kept);
    g_assert_cmpstr (rebuilt, ==, kept);
#undef ALL_COUNTERS
  }
}

/* A workspace of schema 11 with a campaign's rows in every state: the
 * migration counts them, and the engine's moves go on from there. */
static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_up_campaign (f);
  move_everything (f);

  tc_repository_close (f->repo.repo);
  g_clear_object (&f->repo.repo);
  raw_exec (f, TC_TEST_UNDO_SCHEMA_12 "PRAGMA user_version = 11;");
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'campaign_counts'"), ==, 0);
  /* Something no counter saw. */
  raw_exec (f, "UPDATE outbox SET state = 'delivered', delivered_at = sent_at + 5"
               " WHERE state = 'sent' AND origin LIKE 'campaign:%'");

  open_repo (f);
  g_assert_cmpint (raw_int (f, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (f, "SELECT count(*) FROM campaign_counts"), >, 0);
  check_counts (f, "after the migration");

  /* Statuses past the migration, as the engine records them. */
  {
    g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_status_free);
    sqlite3 *handle = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT provider_id FROM outbox WHERE state = 'delivered'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (statuses, status_new ((const char *) sqlite3_column_text (stmt, 0), TC_OUTBOX_READ,
                                             NOW + 86400 * 4, NULL, 0.0091));
    sqlite3_finalize (stmt);
    sqlite3_close (handle);
    g_assert_cmpuint (statuses->len, >, 0);
    record (f, NULL, statuses, NOW + 86400 * 4);
  }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE state = 'read'"
                                            " AND read_at = %" G_GINT64_FORMAT, NOW + 86400 * 4);

    g_assert_cmpint (raw_int (f, sql), >, 0);
  }
  check_counts (f, "after reads past the migration");
}

/* ------------------------------------------------------------------------
 * A crash in the middle of a batch
 */

#define CRASH_BATCH 4

static void
crash_handler_exit (void)
{
  /* No atexit handlers, no flush: as if the power went. */
  _exit (3);
}

static int
crash_progress (void *data)
{
  guint *left = data;

  if (--(*left) == 0)
    crash_handler_exit ();
  return 0;
}

/* The child's job: a claim of CRASH_BATCH rows and their outcomes (sent,
 * failed, retried, unknown in turn), with SQLite's progress handler
 * armed to end the process after TC_COUNTS_CRASH_AFTER of its calls (one
 * every 10 virtual machine steps). */
static gpointer
crash_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  guint *left = job_data;
  g_autoptr(GHashTable) budgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);
  TcOutboxBudget *budget = g_new0 (TcOutboxBudget, 1);
  TcOutboxClaimChannel channel = { TC_CHANNEL_SMS, "test", SENDER, budgets };
  TcOutboxClaimResult *claim;

  budget->segments = G_MAXINT64;
  budget->rows = G_MAXINT64;
  g_hash_table_insert (budgets, tc_outbox_sender_key (TC_CHANNEL_SMS, SENDER), budget);

  sqlite3_progress_handler (_tc_db_get_handle (db), 10, crash_progress, left);
  claim = _tc_db_outbox_claim (db, &channel, 1, CRASH_BATCH, FALSE, NOW, error);
  if (claim == NULL)
    return NULL;
  for (guint i = 0; i < claim->claimed->len; i++)
    {
      gint64 id = ((TcOutboxEntry *) g_ptr_array_index (claim->claimed, i))->id;
      TcOutboxOutcome *outcome;

      switch (i % 4)
        {
        case 1:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_FAILED);
          outcome->error_code = g_strdup ("21211");
          break;
        case 2:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_RETRY);
          outcome->due_at = NOW;
          break;
        case 3:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_UNKNOWN);
          break;
        default:
          outcome = tc_outbox_outcome_new (id, TC_OUTBOX_OUTCOME_SENT);
          outcome->provider_id = g_strdup_printf ("SMcrash%" G_GINT64_FORMAT, id);
          break;
        }
      g_ptr_array_add (outcomes, outcome);
    }
  tc_outbox_claim_result_free (claim);
  if (!_tc_db_outbox_record (db, outcomes, NULL, NOW, NULL, error))
    return NULL;
  sqlite3_progress_handler (_tc_db_get_handle (db), 0, NULL, NULL);

  return GINT_TO_POINTER (1);
}

/* Run in a subprocess by test_crash (below), which writes the workspace's
 * path and the crash point to the file TC_COUNTS_CRASH names (set by
 * main() before any thread, so the subprocess finds it too). */
static void
test_crash_child (void)
{
  g_autoptr(TcRepository) repo = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *path;
  guint left;

  if (!g_test_subprocess () ||
      !g_file_get_contents (g_getenv ("TC_COUNTS_CRASH"), &text, NULL, NULL))
    {
      g_test_skip ("run by /tc/campaign-counts/crash");
      return;
    }
  lines = g_strsplit (text, "\n", 3);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  path = lines[0];
  left = (guint) g_ascii_strtoull (lines[1], NULL, 10);

  repo = tc_repository_new (path);
  tc_test_open_ok (repo);
  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, crash_job, &left, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_nonnull (_tc_repository_run_finish (repo, result, &error));
  g_assert_no_error (error);
  tc_repository_close (repo);
}

/* After a restart, the engine settles the rows a crash left in "sending"
 * (RECONCILE; the provider never saw them: queued again). */
static guint
reconcile_sending (Fixture *f)
{
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_outcome_free);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->repo.path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT id FROM outbox WHERE state = 'sending'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TcOutboxOutcome *outcome = tc_outbox_outcome_new (sqlite3_column_int64 (stmt, 0),
                                                        TC_OUTBOX_OUTCOME_RECONCILE);

      outcome->requeue_if_none = TRUE;
      outcome->due_at = NOW;
      g_ptr_array_add (outcomes, outcome);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  if (outcomes->len > 0)
    record (f, outcomes, NULL, NOW);

  return outcomes->len;
}

/* The process killed at ever later points of a claim and its outcomes
 * (1, 2, 4, … progress calls, then every call in the last stretch, where
 * the counters are written and the batch commits), until a run finishes:
 * after each crash the counters equal a recount, the batch moved whole or
 * not at all, and after the restart's reconciliation they still do. */
static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  guint after = 1;
  guint n_crashes = 0, n_half_way = 0;
  guint finished_at = 0;

  set_up_campaign (f);
  g_assert_cmpuint (queue (f, 100, NOW), >, 0);
  check_counts (f, "before the crashes");

  for (guint round = 0; round < 200; round++)
    {
      g_autofree char *value = g_strdup_printf ("%s\n%u\n", f->repo.path, after);
      g_autofree char *note = NULL;
      g_autoptr(GError) error = NULL;
      gint64 sending;

      tc_repository_close (f->repo.repo);
      g_clear_object (&f->repo.repo);
      tc_test_drain_main_context ();

      g_assert_true (g_file_set_contents (g_getenv ("TC_COUNTS_CRASH"), value, -1, &error));
      g_assert_no_error (error);
      g_test_trap_subprocess ("/tc/campaign-counts/crash-child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      open_repo (f);

      note = g_strdup_printf ("after a crash at %u", after);
      check_counts (f, note);
      /* A claim commits whole: "sending" holds none of the batch or all
       * of it (its outcomes not recorded). */
      sending = raw_int (f, "SELECT count(*) FROM outbox WHERE state = 'sending'");
      g_assert_true (sending == 0 || sending == CRASH_BATCH);

      if (g_test_trap_has_passed ())
        {
          /* The whole batch went through: now crash only near its end. */
          if (finished_at == 0)
            {
              finished_at = after;
              after = after / 2;
              continue;
            }
          break;
        }
      n_crashes++;
      if (sending > 0)
        n_half_way++;
      g_assert_cmpuint (reconcile_sending (f), ==, sending);
      check_counts (f, "after the restart's reconciliation");

      if (finished_at == 0)
        after *= 2;
      else
        after += MAX ((finished_at - finished_at / 2) / 20, 1);
    }

  g_test_message ("%u crashes, %u between the claim and its outcomes", n_crashes, n_half_way);
  g_assert_cmpuint (finished_at, >, 0);
  g_assert_cmpuint (n_crashes, >=, 10);
  g_assert_cmpuint (n_half_way, >, 0);
  g_remove (g_getenv ("TC_COUNTS_CRASH"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Before any thread: setenv() is not thread-safe. */
  if (g_getenv ("TC_COUNTS_CRASH") == NULL)
    {
      g_autofree char *name = g_strdup_printf ("tc-campaign-counts-crash-%d", (int) getpid ());
      g_autofree char *file = g_build_filename (g_get_tmp_dir (), name, NULL);

      g_setenv ("TC_COUNTS_CRASH", file, TRUE);
    }

  g_test_add ("/tc/campaign-counts/moves", Fixture, NULL, fixture_set_up, test_moves, fixture_tear_down);
  g_test_add ("/tc/campaign-counts/migration", Fixture, NULL, fixture_set_up, test_migration,
              fixture_tear_down);
  g_test_add ("/tc/campaign-counts/crash", Fixture, NULL, fixture_set_up, test_crash, fixture_tear_down);
  g_test_add_func ("/tc/campaign-counts/crash-child", test_crash_child);

  return g_test_run ();
}
