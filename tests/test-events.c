/* test-events.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Events (tc-events.h): checking (table-driven), recording with a new or
 * known contact, idempotency by key, erased numbers, value and currency
 * lifted from the properties, batches that are all or nothing, and
 * listing. Segments over events are in test-segment.c.
 */

#define G_LOG_DOMAIN "test-events"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-events-import.h"
#include "tc-events.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-test-util.h"

#define KNOWN   "+14155550123"
#define STRANGE "+14155550177"

typedef struct
{
  TcTestRepo t;
  gint64     known_id;
} Fixture;

static gpointer
seed_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  gint64 *id = job_data;
  TcContactRow row = { .phone = KNOWN, .first_name = "Kim" };

  if (!_tc_db_upsert_contact (db, &row, 1764000000, id, NULL, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_test_repo_set_up (&f->t, "tc-events-XXXXXX", "textcast.db");
  _tc_repository_run_async (f->t.repo, TC_DB_JOB_WRITE, seed_job, &f->known_id, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->t.repo, res, &error));
  g_assert_no_error (error);
  g_assert_cmpint (f->known_id, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

static TcEventOutcome *
record (Fixture        *f,
        const TcEvent  *event,
        GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_events_record_async (f->t.repo, event, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_events_record_finish (f->t.repo, res, error);
}

static GPtrArray *
list (Fixture     *f,
      const char  *phone,
      const char  *name,
      guint        limit,
      GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_events_list_async (f->t.repo, phone, name, NULL, limit, NULL,
                        tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_events_list_finish (f->t.repo, res, error);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (f->t.path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* ------------------------------------------------------------------------
 * Checking
 */

typedef struct
{
  const char *name;
  const char *phone;
  const char *key;
  const char *source;
  const char *properties;
  gint64      occurred_at;
  /* Expected: NULL = valid, else the start of the message. */
  const char *error;
  gboolean    has_value;
  double      value;
  const char *currency;
} CheckCase;

static void
test_check (void)
{
  static const CheckCase cases[] = {
    { "order_placed", "+1 (415) 555-0123", NULL, NULL, NULL, 0, NULL, FALSE, 0, "" },
    { "order_placed", "4155550123", "shop-1", "shop",
      "{\"value\": 49.90, \"currency\": \"usd\", \"sku\": \"X1\"}", 1764000000,
      NULL, TRUE, 49.90, "USD" },
    { "order_placed", KNOWN, NULL, NULL, "{\"value\":\"12.5\"}", 0, NULL, TRUE, 12.5, "" },
    { "order_placed", KNOWN, NULL, NULL, "{\"value\":7,\"currency\":null}", 0, NULL, TRUE, 7, "" },
    { "order_placed", KNOWN, NULL, NULL, "{\"value\":null}", 0, NULL, FALSE, 0, "" },
    { "Order Placed", KNOWN, NULL, NULL, NULL, 0, "name: “Order Placed” is not an event name" },
    { "", KNOWN, NULL, NULL, NULL, 0, "name: “” is not an event name" },
    { "order-placed", KNOWN, NULL, NULL, NULL, 0, "name: “order-placed” is not an event name" },
    { "o', 1); DROP TABLE events;--", KNOWN, NULL, NULL, NULL, 0, "name: “o', 1); DROP" },
    { "order_placed", "not a number", NULL, NULL, NULL, 0,
      "phone: “not a number” is not a phone number Textcast can read" },
    { "order_placed", KNOWN, "", NULL, NULL, 0, "key: an event key is 1 to 200 characters" },
    { "order_placed", KNOWN, "a\nb", NULL, NULL, 0, "key: an event key is 1 to 200" },
    { "order_placed", KNOWN, NULL, "Shop!", NULL, 0, "source: “Shop!” is not a source" },
    { "order_placed", KNOWN, NULL, NULL, "[1,2]", 0, "properties: not a JSON object" },
    { "order_placed", KNOWN, NULL, NULL, "{\"a\":", 0, "properties: not a JSON object" },
    { "order_placed", KNOWN, NULL, NULL, "{\"value\":\"lots\"}", 0,
      "properties.value: \"lots\" is not a number" },
    { "order_placed", KNOWN, NULL, NULL, "{\"value\":true}", 0,
      "properties.value: true is not a number" },
    { "order_placed", KNOWN, NULL, NULL, "{\"currency\":\"dollars\"}", 0,
      "properties.currency: \"dollars\" is not a currency code" },
    { "order_placed", KNOWN, NULL, NULL, "{\"currency\":840}", 0,
      "properties.currency: 840 is not a currency code" },
    { "order_placed", KNOWN, NULL, NULL, NULL, -5, "occurred_at: the time is before 1970" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcEvent) event = tc_event_new (cases[i].name, cases[i].phone);
      g_autoptr(TcEvent) checked = NULL;
      g_autoptr(GError) error = NULL;

      event->key = g_strdup (cases[i].key);
      event->source = g_strdup (cases[i].source);
      event->properties = g_strdup (cases[i].properties);
      event->occurred_at = cases[i].occurred_at;

      checked = tc_event_check (event, NULL, &error);
      g_test_message ("%s %s → %s", cases[i].name, cases[i].phone,
                      error != NULL ? error->message : "valid");
      if (cases[i].error != NULL)
        {
          g_assert_null (checked);
          g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID);
          if (!g_str_has_prefix (error->message, cases[i].error))
            g_error ("expected “%s…”, got “%s”", cases[i].error, error->message);
          continue;
        }

      g_assert_no_error (error);
      g_assert_cmpstr (checked->phone, ==, KNOWN);
      g_assert_cmpstr (checked->source, ==, cases[i].source != NULL ? cases[i].source : "api");
      g_assert_cmpint (checked->has_value, ==, cases[i].has_value);
      if (cases[i].has_value)
        g_assert_cmpfloat_with_epsilon (checked->value, cases[i].value, 1e-9);
      g_assert_cmpstr (checked->currency, ==, cases[i].currency);
    }
}

static void
test_check_size (void)
{
  g_autoptr(GString) big = g_string_new ("{\"note\":\"");
  g_autoptr(TcEvent) event = tc_event_new ("note_taken", KNOWN);
  g_autoptr(TcEvent) checked = NULL;
  g_autoptr(GError) error = NULL;

  while (big->len < TC_EVENT_MAX_PROPERTIES_BYTES)
    g_string_append (big, "xxxxxxxxxx");
  g_string_append (big, "\"}");
  event->properties = g_strdup (big->str);

  checked = tc_event_check (event, NULL, &error);
  g_assert_null (checked);
  g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "properties: more than 16 KiB"));
}

/* ------------------------------------------------------------------------
 * Recording
 */

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcEvent) event = tc_event_new ("order_placed", "(415) 555-0123");
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  event->properties = g_strdup ("{\"value\": 49.90, \"currency\": \"eur\", \"sku\": \"X1\"}");
  event->occurred_at = 1764100000;
  event->source = g_strdup ("shop");

  outcome = record (f, event, &error);
  g_assert_no_error (error);
  g_assert_true (outcome->inserted);
  g_assert_false (outcome->contact_created);
  g_assert_cmpint (outcome->event->contact_id, ==, f->known_id);
  g_assert_cmpstr (outcome->event->phone, ==, KNOWN);
  g_assert_cmpstr (outcome->event->name, ==, "order_placed");
  g_assert_cmpint (outcome->event->occurred_at, ==, 1764100000);
  g_assert_cmpint (outcome->event->recorded_at, >=, 1764100000);
  g_assert_true (outcome->event->has_value);
  g_assert_cmpfloat_with_epsilon (outcome->event->value, 49.90, 1e-9);
  g_assert_cmpstr (outcome->event->currency, ==, "EUR");
  g_assert_cmpstr (outcome->event->source, ==, "shop");
  g_assert_null (outcome->event->key);
  /* Stored as written: the digits given survive. */
  g_assert_cmpstr (outcome->event->properties, ==,
                   "{\"value\": 49.90, \"currency\": \"eur\", \"sku\": \"X1\"}");

  /* Without a key, the same event again is another event. */
  g_clear_pointer (&outcome, tc_event_outcome_free);
  outcome = record (f, event, &error);
  g_assert_no_error (error);
  g_assert_true (outcome->inserted);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 2);
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TcEvent) event = tc_event_new ("order_placed", KNOWN);
  g_autoptr(TcEvent) again = tc_event_new ("refund_issued", STRANGE);
  g_autoptr(TcEventOutcome) first = NULL;
  g_autoptr(TcEventOutcome) second = NULL;
  g_autoptr(GError) error = NULL;

  event->key = g_strdup ("shop-order-1001");
  event->properties = g_strdup ("{\"value\":20}");
  first = record (f, event, &error);
  g_assert_no_error (error);
  g_assert_true (first->inserted);

  /* A repeat delivery, even with other content, returns the first one and
   * neither records nor creates anything. */
  again->key = g_strdup ("shop-order-1001");
  again->properties = g_strdup ("{\"value\":999}");
  second = record (f, again, &error);
  g_assert_no_error (error);
  g_assert_false (second->inserted);
  g_assert_false (second->contact_created);
  g_assert_cmpint (second->event->id, ==, first->event->id);
  g_assert_cmpstr (second->event->name, ==, "order_placed");
  g_assert_cmpfloat (second->event->value, ==, 20);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 1);
}

static void
test_new_contact (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TcEvent) event = tc_event_new ("cart_abandoned", STRANGE);
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = record (f, event, &error);
  g_assert_no_error (error);
  g_assert_true (outcome->inserted);
  g_assert_true (outcome->contact_created);
  g_assert_cmpint (outcome->event->contact_id, !=, f->known_id);
  g_assert_cmpstr (outcome->event->phone, ==, STRANGE);
  g_assert_false (outcome->event->has_value);

  /* A contact, with its country from the number, and no consent at all. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE phone = '" STRANGE "'"
                                 " AND country = 'US'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM consent_state"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM consent_events"), ==, 0);
}

static gpointer
suppress_job (TcDb          *db,
              gpointer       job_data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean suppressed = TRUE;

  /* Not on the list yet; put it there the way erasure does. */
  if (!_tc_db_is_suppressed (db, STRANGE, &suppressed, error))
    return NULL;
  g_assert_false (suppressed);

  stmt = _tc_db_prepare (db, "SELECT value FROM settings WHERE key = 'privacy.salt'", error);
  if (stmt == NULL)
    return NULL;
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autofree char *hash = _tc_privacy_hash ((const char *) sqlite3_column_text (stmt, 0),
                                              STRANGE);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO suppressions (hash, reason, created_at)"
                                            " VALUES ('%s', 'erased', 0)", hash);

    sqlite3_reset (stmt);
    if (!_tc_db_exec (db, sql, error))
      return NULL;
  }

  return GINT_TO_POINTER (1);
}

static void
test_erased (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcEvent) event = tc_event_new ("cart_abandoned", STRANGE);
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_WRITE, suppress_job, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->t.repo, res, &error));
  g_assert_no_error (error);

  outcome = record (f, event, &error);
  g_assert_null (outcome);
  g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_ERASED);
  g_assert_nonnull (strstr (error->message, "was erased at the person’s request"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 0);
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) bad_res = NULL;
  g_autoptr(GError) error = NULL;
  TcEventOutcome *outcome;

  for (guint i = 0; i < 3; i++)
    {
      TcEvent *event = tc_event_new ("product_viewed", i == 1 ? STRANGE : KNOWN);

      event->key = g_strdup_printf ("view-%u", i % 2);  /* view-0, view-1, view-0 */
      event->occurred_at = 1764000000 + i;
      g_ptr_array_add (events, event);
    }

  tc_events_record_batch_async (f->t.repo, events, NULL, NULL, tc_repository_store_result_cb,
                                &res);
  tc_repository_wait (&res);
  outcomes = tc_events_record_batch_finish (f->t.repo, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 3);
  outcome = g_ptr_array_index (outcomes, 0);
  g_assert_true (outcome->inserted);
  outcome = g_ptr_array_index (outcomes, 1);
  g_assert_true (outcome->inserted);
  g_assert_true (outcome->contact_created);
  /* The third repeats the first's key within the same batch. */
  outcome = g_ptr_array_index (outcomes, 2);
  g_assert_false (outcome->inserted);
  g_assert_cmpint (outcome->event->id, ==,
                   ((TcEventOutcome *) g_ptr_array_index (outcomes, 0))->event->id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 2);

  /* One bad event refuses the whole batch, naming it. */
  g_ptr_array_add (bad, tc_event_new ("ok_event", KNOWN));
  g_ptr_array_add (bad, tc_event_new ("ok_event", "+1 999"));
  tc_events_record_batch_async (f->t.repo, bad, NULL, NULL, tc_repository_store_result_cb,
                                &bad_res);
  tc_repository_wait (&bad_res);
  g_assert_null (tc_events_record_batch_finish (f->t.repo, bad_res, &error));
  g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "events[1]: phone: “+1 999”"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE name = 'ok_event'"), ==, 0);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *phone;
    gint64      at;
  } seed[] = {
    { "order_placed", KNOWN, 1764000100 },
    { "cart_abandoned", KNOWN, 1764000300 },
    { "order_placed", STRANGE, 1764000200 },
    { "order_placed", KNOWN, 1764000400 },
  };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) nobody = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    {
      g_autoptr(TcEvent) event = tc_event_new (seed[i].name, seed[i].phone);
      g_autoptr(TcEventOutcome) outcome = NULL;

      event->occurred_at = seed[i].at;
      outcome = record (f, event, &error);
      g_assert_no_error (error);
    }

  all = list (f, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  /* Newest first. */
  g_assert_cmpint (((TcEvent *) g_ptr_array_index (all, 0))->occurred_at, ==, 1764000400);
  g_assert_cmpint (((TcEvent *) g_ptr_array_index (all, 3))->occurred_at, ==, 1764000100);

  mine = list (f, "(415) 555-0123", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 3);
  for (guint i = 0; i < mine->len; i++)
    g_assert_cmpstr (((TcEvent *) g_ptr_array_index (mine, i))->phone, ==, KNOWN);

  orders = list (f, KNOWN, "order_placed", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 2);

  newest = list (f, NULL, "order_placed", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 1);
  g_assert_cmpint (((TcEvent *) g_ptr_array_index (newest, 0))->occurred_at, ==, 1764000400);

  nobody = list (f, "+14155550100", NULL, 0, &error);
  g_assert_null (nobody);
  g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_NOT_FOUND);
}

static void
test_json (void)
{
  g_autoptr(TcEvent) event = tc_event_new ("order_placed", KNOWN);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  event->id = 7;
  event->contact_id = 3;
  event->occurred_at = 1764000000;
  event->recorded_at = 1764000005;
  event->source = g_strdup ("shop");
  event->has_value = TRUE;
  event->value = 12.5;
  g_free (event->currency);
  event->currency = g_strdup ("USD");
  event->properties = g_strdup ("{\"sku\":\"X1\"}");

  tc_event_build_json (event, builder);
  root = json_builder_get_root (builder);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 7);
  g_assert_true (json_object_get_null_member (object, "key"));
  g_assert_cmpstr (json_object_get_string_member (object, "occurred_at"), ==,
                   "2025-11-24T16:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (object, "value"), ==, 12.5);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "properties"),
                                                  "sku"), ==, "X1");
}

/* ------------------------------------------------------------------------
 * CSV import
 */

static TcEventsImportReport *
import (Fixture     *f,
        const char  *csv,
        GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *path = g_build_filename (f->t.dir, "events.csv", NULL);

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  tc_events_import_async (f->t.repo, path, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_events_import_finish (f->t.repo, res, error);
}

static void
assert_rejected (const TcEventsImportReport *report,
                 guint                       index,
                 guint                       line,
                 const char                 *says)
{
  const TcEventsRejected *rejected = g_ptr_array_index (report->rejected, index);

  g_assert_cmpuint (rejected->line, ==, line);
  if (strstr (rejected->message, says) == NULL)
    g_error ("line %u: “%s” does not say “%s”", line, rejected->message, says);
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  /* A shop's export: its own column names, a date without a time, an
   * event name as a person writes it, an extra column, mistakes. */
  static const char csv[] =
    "Phone,Event,Occurred At,Order ID,Total,Currency,SKU\n"
    KNOWN ",order_placed,2026-11-20T10:00:00Z,1001,49.90,usd,TR-2\n"
    "(415) 555-0199,Order Placed,2026-11-21,1002,15,EUR,\n"
    "not a phone,order_placed,,1003,5,USD,\n"
    "+14155550124,order_placed,yesterday,1004,5,USD,\n"
    "+14155550125,order_placed,,1005,five,USD,\n"
    KNOWN ",order_placed,2026-11-20T10:00:00Z,1001,49.90,usd,TR-2\n";
  g_autoptr(TcEventsImportReport) report = NULL;
  g_autoptr(TcEventsImportReport) again = NULL;
  g_autoptr(GError) error = NULL;

  report = import (f, csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_rows, ==, 6);
  g_assert_cmpuint (report->n_recorded, ==, 2);
  g_assert_cmpuint (report->n_repeated, ==, 1);
  g_assert_cmpuint (report->n_contacts_created, ==, 1);
  g_assert_cmpuint (report->rejected->len, ==, 3);
  assert_rejected (report, 0, 4, "“not a phone”");
  assert_rejected (report, 1, 5, "column occurred_at: “yesterday”");
  assert_rejected (report, 2, 6, "properties.value: \"five\"");

  /* What was stored: value and currency lifted, the order id as the key,
   * the rest as properties; the new number a contact without consent. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE event_key = '1001' AND value = 49.9"
                                 " AND currency = 'USD' AND source = 'import'"
                                 " AND json_extract (properties, '$.sku') = 'TR-2'"
                                 " AND occurred_at = 1795168800"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id"
                                 " WHERE c.phone = '+14155550199' AND e.name = 'order_placed'"
                                 " AND e.occurred_at = 1795219200 AND e.currency = 'EUR'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM consent_events"), ==, 0);

  /* The same file again records nothing. */
  again = import (f, csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_recorded, ==, 0);
  g_assert_cmpuint (again->n_repeated, ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 2);
}

static void
test_import_columns (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcEventsImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = import (f, "email,event\na@example.com,order_placed\n", &error);
  g_assert_null (report);
  g_assert_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no phone column"));
  g_clear_error (&error);

  report = import (f, "mobile,total\n" KNOWN ",5\n", &error);
  g_assert_null (report);
  g_assert_nonnull (strstr (error->message, "no event column"));
  g_clear_error (&error);

  report = import (f, "", &error);
  g_assert_null (report);
  g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_EMPTY);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/events/check", test_check);
  g_test_add_func ("/tc/events/check/size", test_check_size);
  g_test_add_func ("/tc/events/json", test_json);
  g_test_add ("/tc/events/record", Fixture, NULL, fixture_set_up, test_record,
              fixture_tear_down);
  g_test_add ("/tc/events/idempotent", Fixture, NULL, fixture_set_up, test_idempotent,
              fixture_tear_down);
  g_test_add ("/tc/events/new-contact", Fixture, NULL, fixture_set_up, test_new_contact,
              fixture_tear_down);
  g_test_add ("/tc/events/erased", Fixture, NULL, fixture_set_up, test_erased,
              fixture_tear_down);
  g_test_add ("/tc/events/batch", Fixture, NULL, fixture_set_up, test_batch, fixture_tear_down);
  g_test_add ("/tc/events/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);
  g_test_add ("/tc/events/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/tc/events/import/columns", Fixture, NULL, fixture_set_up, test_import_columns,
              fixture_tear_down);

  return g_test_run ();
}
