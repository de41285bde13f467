/* test-privacy.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDPR export and erasure (tc-privacy.h) on a workspace seeded with two
 * people: everything about the first must come out of the export and be
 * gone from the file after erasure (down to the bytes), the second must be
 * left alone.
 */

#define G_LOG_DOMAIN "test-privacy"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-csv-private.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-test-util.h"

/* The person who asks, and someone else. */
#define PHONE           "+14155550123"
#define PHONE_WRITTEN   "+1 (415) 555-0123"
#define OTHER           "+14155550199"
#define STRANGER        "+14155550177"
#define LINK_CODE       "AbCdEf12"
#define OTHER_LINK_CODE "ZyXwVu98"
#define USER_AGENT      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"
#define INBOUND_BODY    "Hi, \"there\"\nsecond line"

typedef struct
{
  TcTestRepo  t;
  gint64      person_id;
  gint64      other_id;
} Fixture;

/* Seeding ------------------------------------------------------------------ */

typedef struct
{
  gint64 person_id;
  gint64 other_id;
} Seeded;

static gboolean
exec_printf (TcDb        *db,
             GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
exec_printf (TcDb        *db,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  return _tc_db_exec (db, sql, error);
}

static gpointer
seed_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  Seeded *seeded = job_data;
  const char * const person_tags[] = { "vip", "shoe lover", NULL };
  const char * const person_attr_names[] = { "plan", "note", NULL };
  const char * const person_attr_values[] = { "gold", "likes, \"quotes\"", NULL };
  const char * const person_zones[] = { "America/Los_Angeles", NULL };
  const char * const other_tags[] = { "vip", NULL };
  TcContactRow person = {
    .phone = PHONE,
    .first_name = "Zebulon",
    .last_name = "Quixotic",
    .email = "zebulon@example.com",
    .language = "en",
    .country = "US",
    .timezones = person_zones,
    .tags = person_tags,
    .attr_names = person_attr_names,
    .attr_values = person_attr_values,
  };
  TcContactRow other = {
    .phone = OTHER,
    .first_name = "Olive",
    .last_name = "Other",
    .tags = other_tags,
  };
  gint64 now = 1764000000;  /* 2025-11-24T16:00:00Z */
  gint64 a, b;

  if (!_tc_db_begin (db, error))
    return NULL;

  if (!_tc_db_upsert_contact (db, &person, now, &a, NULL, error) ||
      !_tc_db_upsert_contact (db, &other, now, &b, NULL, error))
    goto fail;

  /* Consent: an opt-in, then STOP (promotional SMS), a pending request
   * that lapsed (transactional SMS), and the other person's opt-in. */
  if (!exec_printf (db, error,
                    "INSERT INTO consent_events (id, contact_id, channel, purpose, kind, status,"
                    "  method, source, wording, origin, occurred_at, recorded_at, expires_at)"
                    " VALUES (1, %1$" G_GINT64_FORMAT ", 'sms', 'promotional', 'opted_in',"
                    "  'opted_in', 'single', 'web_form', 'Yes, text me deals', "
                    "  'https://shop.example/signup', 1763000000, 1763000000, NULL),"
                    " (2, %1$" G_GINT64_FORMAT ", 'sms', 'promotional', 'opted_out',"
                    "  'opted_out', 'single', 'keyword', '', 'inbound:1',"
                    "  1763500000, 1763500000, NULL),"
                    " (3, %1$" G_GINT64_FORMAT ", 'sms', 'transactional', 'requested',"
                    "  'pending', 'double', 'checkout', 'Order updates by text', '',"
                    "  1763600000, 1763600000, 1763772800),"
                    " (4, %2$" G_GINT64_FORMAT ", 'sms', 'promotional', 'opted_in',"
                    "  'opted_in', 'single', 'manual', 'Other wording', '',"
                    "  1763000000, 1763000000, NULL);"
                    "INSERT INTO consent_state (contact_id, channel, purpose, status, since,"
                    "  expires_at, event_id, source)"
                    " VALUES (%1$" G_GINT64_FORMAT ", 'sms', 'promotional', 'opted_out',"
                    "  1763500000, NULL, 2, 'keyword'),"
                    " (%1$" G_GINT64_FORMAT ", 'sms', 'transactional', 'pending',"
                    "  1763600000, 1763772800, 3, 'checkout'),"
                    " (%2$" G_GINT64_FORMAT ", 'sms', 'promotional', 'opted_in',"
                    "  1763000000, NULL, 4, 'manual');",
                    a, b))
    goto fail;

  /* Inbound: STOP from the contact, and an earlier message from the
   * number that was never linked to it. */
  if (!exec_printf (db, error,
                    "INSERT INTO inbound_messages (id, channel, phone, contact_id, body,"
                    "  received_at, action, keyword, needs_review, provider_id)"
                    " VALUES (1, 'sms', '" PHONE "', %1$" G_GINT64_FORMAT ", 'STOP',"
                    "  1763500000, 'opt_out', 'STOP', 0, 'SM1'),"
                    " (2, 'sms', '" PHONE "', NULL, 'Hi, \"there\"' || char (10) ||"
                    "  'second line', 1762000000, 'message', '', 0, NULL),"
                    " (3, 'sms', '" OTHER "', %2$" G_GINT64_FORMAT ", 'Thanks',"
                    "  1763500000, 'message', '', 0, 'SM3');",
                    a, b))
    goto fail;

  /* Outbox: a campaign message the engine then sent, a reply whose
   * contact link is gone, and the other person's message. */
  if (!exec_printf (db, error,
                    "INSERT INTO outbox (id, idem_key, origin, contact_id, phone, channel,"
                    "  purpose, compliance, sender_id, body, state, reason, due_at,"
                    "  created_at, updated_at)"
                    " VALUES (1, 'campaign:1:A:%1$" G_GINT64_FORMAT "', 'campaign:1:A',"
                    "  %1$" G_GINT64_FORMAT ", '" PHONE "', 'sms', 'promotional', 0,"
                    "  '+18005550100', 'Hi Zebulon, 20%% off today', 'queued', '',"
                    "  1763400000, 1763400000, 1763400000),"
                    " (2, 'reply:1', 'reply', NULL, '" PHONE "', 'sms', 'transactional', 1,"
                    "  '', 'You are unsubscribed', 'failed', 'provider refused " PHONE "',"
                    "  1763500000, 1763500000, 1763500000),"
                    " (3, 'campaign:1:A:%2$" G_GINT64_FORMAT "', 'campaign:1:A',"
                    "  %2$" G_GINT64_FORMAT ", '" OTHER "', 'sms', 'promotional', 0,"
                    "  '+18005550100', 'Hi Olive, 20%% off today', 'sent', '',"
                    "  1763400000, 1763400000, 1763400000);"
                    "UPDATE outbox SET state = 'sent', sent_at = 1763400005,"
                    "  provider_id = 'SMabcdef0123456789', updated_at = 1763400005,"
                    "  media_url = 'https://shop.example/zebulon.jpg',"
                    "  wa_template = '{\"name\":\"sale\",\"components\":[\"Zebulon\"]}',"
                    "  content_variables = '{\"1\":\"Zebulon\"}'"
                    " WHERE id = 1;",
                    a, b))
    goto fail;

  /* A short link for each, clicked. */
  if (!exec_printf (db, error,
                    "INSERT INTO short_links (code, url, contact_id, origin, created_at)"
                    " VALUES ('" LINK_CODE "', 'https://shop.example/deals?utm_source=textcast',"
                    "  %1$" G_GINT64_FORMAT ", 'campaign:1:A', 1763400000),"
                    " ('" OTHER_LINK_CODE "', 'https://shop.example/deals?utm_source=textcast',"
                    "  %2$" G_GINT64_FORMAT ", 'campaign:1:A', 1763400000);"
                    "INSERT INTO link_clicks (code, clicked_at, user_agent)"
                    " VALUES ('" LINK_CODE "', 1763400100, '" USER_AGENT "'),"
                    " ('" LINK_CODE "', 1763400200, '" USER_AGENT "'),"
                    " ('" OTHER_LINK_CODE "', 1763400300, 'OtherAgent/1.0');",
                    a, b))
    goto fail;

  /* An order each (events, schema 8). */
  if (!exec_printf (db, error,
                    "INSERT INTO events (id, event_key, contact_id, name, occurred_at,"
                    "  recorded_at, source, value, currency, properties)"
                    " VALUES (1, 'shop-1001', %1$" G_GINT64_FORMAT ", 'order_placed',"
                    "  1763450000, 1763450000, 'shop', 49.5, 'USD',"
                    "  '{\"value\":49.5,\"currency\":\"USD\",\"sku\":\"ZEB-SHOE\"}'),"
                    " (2, 'shop-1002', %2$" G_GINT64_FORMAT ", 'order_placed',"
                    "  1763450000, 1763450000, 'shop', 10, 'USD', '{\"sku\":\"OLIVE-HAT\"}');",
                    a, b))
    goto fail;

  if (!_tc_db_commit (db, error))
    goto fail;

  seeded->person_id = a;
  seeded->other_id = b;
  return GINT_TO_POINTER (1);

fail:
  _tc_db_rollback (db);
  return NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  Seeded seeded = { 0, 0 };

  tc_test_repo_set_up (&f->t, "tc-privacy-XXXXXX", "textcast.db");

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_WRITE, seed_job, &seeded, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->t.repo, res, &error));
  g_assert_no_error (error);
  f->person_id = seeded.person_id;
  f->other_id = seeded.other_id;
  g_assert_cmpint (f->person_id, >, 0);
  g_assert_cmpint (f->other_id, >, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

static void
close_repo (Fixture *f)
{
  tc_repository_close (f->t.repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (f->t.repo);
  f->t.repo = NULL;
}

/* Calls ---------------------------------------------------------------------- */

static char *
export (TcRepository     *repo,
        const char       *phone,
        TcPrivacyFormat   format,
        GError          **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_privacy_export_async (repo, phone, format, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_privacy_export_finish (repo, res, error);
}

static char *
export_ok (TcRepository    *repo,
           const char      *phone,
           TcPrivacyFormat  format)
{
  g_autoptr(GError) error = NULL;
  char *text = export (repo, phone, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);

  return text;
}

static gboolean
erase (TcRepository  *repo,
       const char    *phone,
       gboolean      *had_contact,
       GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_privacy_erase_async (repo, phone, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_privacy_erase_finish (repo, res, had_contact, error);
}

static gboolean
erase_ok (TcRepository *repo,
          const char   *phone)
{
  g_autoptr(GError) error = NULL;
  gboolean had_contact = -1;

  g_assert_true (erase (repo, phone, &had_contact, &error));
  g_assert_no_error (error);
  g_assert_true (had_contact == TRUE || had_contact == FALSE);

  return had_contact;
}

typedef struct
{
  const char *e164;
  gboolean    suppressed;
  gboolean    unsuppress;
} SuppressionJob;

static gpointer
suppression_job (TcDb          *db,
                 gpointer       job_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SuppressionJob *job = job_data;

  if (job->unsuppress && !_tc_db_unsuppress (db, job->e164, error))
    return NULL;
  if (!_tc_db_is_suppressed (db, job->e164, &job->suppressed, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static gboolean
is_suppressed (TcRepository *repo,
               const char   *e164,
               gboolean      unsuppress)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  SuppressionJob job = { e164, -1, unsuppress };

  _tc_repository_run_async (repo, unsuppress ? TC_DB_JOB_WRITE : TC_DB_JOB_READ,
                            suppression_job, &job, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (repo, res, &error));
  g_assert_no_error (error);
  g_assert_true (job.suppressed == TRUE || job.suppressed == FALSE);

  return job.suppressed;
}

/* Raw reads of the file ------------------------------------------------------ */

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  return db;
}

static gint64
query_intf (sqlite3    *db,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static gint64
query_intf (sqlite3    *db,
            const char *format,
            ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  return query_int (db, sql);
}

/* How often @needle occurs in the bytes of @path (0 when the file does
 * not exist). */
static guint
count_in_file (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize needle_length = strlen (needle);
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      n++;

  return n;
}

static guint
count_in_workspace (const char *db_path,
                    const char *needle)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);

  return count_in_file (db_path, needle) + count_in_file (wal, needle);
}

/* Export: JSON -------------------------------------------------------------- */

static JsonObject *
find_by_id (JsonArray *array,
            gint64     id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      if (json_object_get_int_member (item, "id") == id)
        return item;
    }

  return NULL;
}

static void
test_export_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *json = export_ok (f->t.repo, PHONE_WRITTEN, TC_PRIVACY_FORMAT_JSON);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *contact, *attributes, *consent, *status, *item;
  JsonArray *tags, *zones, *events, *inbound, *outbound, *links, *clicks;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  /* Pretty-printed, and nothing about the other person. */
  g_assert_nonnull (strchr (json, '\n'));
  g_assert_null (strstr (json, OTHER));
  g_assert_null (strstr (json, "Olive"));
  g_assert_null (strstr (json, OTHER_LINK_CODE));
  g_assert_null (strstr (json, "OtherAgent"));

  g_assert_cmpstr (json_object_get_string_member (root, "phone"), ==, PHONE);
  g_assert_false (json_object_get_boolean_member (root, "suppressed"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "exported_at"), "Z"));

  /* Contact. */
  contact = json_object_get_object_member (root, "contact");
  g_assert_cmpint (json_object_get_int_member (contact, "id"), ==, f->person_id);
  g_assert_cmpstr (json_object_get_string_member (contact, "phone"), ==, PHONE);
  g_assert_cmpstr (json_object_get_string_member (contact, "first_name"), ==, "Zebulon");
  g_assert_cmpstr (json_object_get_string_member (contact, "last_name"), ==, "Quixotic");
  g_assert_cmpstr (json_object_get_string_member (contact, "email"), ==, "zebulon@example.com");
  g_assert_cmpstr (json_object_get_string_member (contact, "language"), ==, "en");
  g_assert_cmpstr (json_object_get_string_member (contact, "country"), ==, "US");
  zones = json_object_get_array_member (contact, "timezones");
  g_assert_cmpuint (json_array_get_length (zones), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (zones, 0), ==, "America/Los_Angeles");
  g_assert_cmpstr (json_object_get_string_member (contact, "created_at"), ==,
                   "2025-11-24T16:00:00Z");

  /* Tags and attributes. */
  tags = json_object_get_array_member (root, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "shoe lover");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "vip");
  attributes = json_object_get_object_member (root, "attributes");
  g_assert_cmpuint (json_object_get_size (attributes), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (attributes, "plan"), ==, "gold");
  g_assert_cmpstr (json_object_get_string_member (attributes, "note"), ==, "likes, \"quotes\"");

  /* Consent: the derived status (a lapsed request reads as expired) and
   * every event with its evidence. */
  consent = json_object_get_object_member (root, "consent");
  status = json_object_get_object_member (consent, "status");
  item = json_object_get_object_member (json_object_get_object_member (status, "sms"),
                                        "promotional");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "opted_out");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "keyword");
  g_assert_cmpstr (json_object_get_string_member (item, "since"), ==, "2025-11-18T21:06:40Z");
  item = json_object_get_object_member (json_object_get_object_member (status, "sms"),
                                        "transactional");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "expired");
  item = json_object_get_object_member (json_object_get_object_member (status, "whatsapp"),
                                        "promotional");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "none");
  g_assert_true (json_object_get_null_member (item, "since"));

  events = json_object_get_array_member (consent, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  item = json_array_get_object_element (events, 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "opted_in");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "web_form");
  g_assert_cmpstr (json_object_get_string_member (item, "wording"), ==, "Yes, text me deals");
  g_assert_cmpstr (json_object_get_string_member (item, "origin"), ==,
                   "https://shop.example/signup");
  g_assert_true (json_object_get_null_member (item, "expires_at"));
  item = json_array_get_object_element (events, 2);
  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "requested");
  g_assert_cmpstr (json_object_get_string_member (item, "method"), ==, "double");
  g_assert_true (json_object_get_null_member (item, "origin"));
  g_assert_cmpstr (json_object_get_string_member (item, "expires_at"), ==,
                   "2025-11-22T00:53:20Z");

  /* Messages in (linked or only by number) and out. */
  inbound = json_object_get_array_member (root, "inbound");
  g_assert_cmpuint (json_array_get_length (inbound), ==, 2);
  item = json_array_get_object_element (inbound, 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (item, "body"), ==, INBOUND_BODY);
  g_assert_cmpstr (json_object_get_string_member (item, "from"), ==, PHONE);
  g_assert_true (json_object_get_null_member (item, "provider_id"));
  item = find_by_id (inbound, 1);
  g_assert_nonnull (item);
  g_assert_cmpstr (json_object_get_string_member (item, "action"), ==, "opt_out");
  g_assert_cmpstr (json_object_get_string_member (item, "keyword"), ==, "STOP");

  outbound = json_object_get_array_member (root, "outbound");
  g_assert_cmpuint (json_array_get_length (outbound), ==, 2);
  item = find_by_id (outbound, 1);
  g_assert_nonnull (item);
  g_assert_cmpstr (json_object_get_string_member (item, "body"), ==, "Hi Zebulon, 20% off today");
  g_assert_cmpstr (json_object_get_string_member (item, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (item, "sender_id"), ==, "+18005550100");
  g_assert_cmpstr (json_object_get_string_member (item, "provider_id"), ==, "SMabcdef0123456789");
  g_assert_false (json_object_get_boolean_member (item, "compliance"));
  item = find_by_id (outbound, 2);
  g_assert_nonnull (item);
  g_assert_cmpstr (json_object_get_string_member (item, "to"), ==, PHONE);
  g_assert_true (json_object_get_boolean_member (item, "compliance"));
  g_assert_true (json_object_get_null_member (item, "sent_at"));

  /* Links and their clicks. */
  links = json_object_get_array_member (root, "links");
  g_assert_cmpuint (json_array_get_length (links), ==, 1);
  item = json_array_get_object_element (links, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "code"), ==, LINK_CODE);
  g_assert_cmpstr (json_object_get_string_member (item, "origin"), ==, "campaign:1:A");
  clicks = json_object_get_array_member (item, "clicks");
  g_assert_cmpuint (json_array_get_length (clicks), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clicks, 0),
                                                  "user_agent"), ==, USER_AGENT);

  /* Events: the person's order, not the other person's. */
  events = json_object_get_array_member (root, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  item = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "order_placed");
  g_assert_cmpstr (json_object_get_string_member (item, "key"), ==, "shop-1001");
  g_assert_cmpfloat (json_object_get_double_member (item, "value"), ==, 49.5);
  g_assert_cmpstr (json_object_get_string_member (item, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item,
                                                                                 "properties"),
                                                  "sku"), ==, "ZEB-SHOE");
}

/* Export: CSV -------------------------------------------------------------- */

typedef struct
{
  char *section;
  char *field;
  char *value;
  char *time;
} CsvRow;

static void
csv_row_free (CsvRow *row)
{
  g_free (row->section);
  g_free (row->field);
  g_free (row->value);
  g_free (row->time);
  g_free (row);
}

/* Reads @csv back with Textcast's own CSV reader. */
static GPtrArray *
parse_csv (const char *csv)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (csv, strlen (csv), NULL);
  g_autoptr(TcCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_row_free);
  const char * const expected_header[] = { "section", "field", "value", "time", NULL };
  TcCsvRecord record;

  reader = _tc_csv_reader_new_for_stream (stream, strlen (csv), "export.csv", &error);
  g_assert_no_error (error);
  header = _tc_csv_reader_read_header (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (header, expected_header);
  g_assert_cmpint (_tc_csv_reader_get_delimiter (reader), ==, ',');

  while (_tc_csv_reader_next (reader, &record, &error))
    {
      CsvRow *row;

      if (record.malformed != NULL)
        g_error ("line %u is not valid CSV: %s", record.line, record.malformed);
      g_assert_cmpuint (record.n_fields, ==, 4);

      row = g_new0 (CsvRow, 1);
      row->section = g_strdup (record.fields[0]);
      row->field = g_strdup (record.fields[1]);
      row->value = g_strdup (record.fields[2]);
      row->time = g_strdup (record.fields[3]);
      g_ptr_array_add (rows, row);
    }
  g_assert_no_error (error);

  return rows;
}

static const CsvRow *
find_row (GPtrArray  *rows,
          const char *section,
          const char *field)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const CsvRow *row = g_ptr_array_index (rows, i);

      if (strcmp (row->section, section) == 0 && strcmp (row->field, field) == 0)
        return row;
    }

  return NULL;
}

static void
assert_row (GPtrArray  *rows,
            const char *section,
            const char *field,
            const char *value,
            const char *time)
{
  const CsvRow *row = find_row (rows, section, field);

  if (row == NULL)
    g_error ("no row %s,%s", section, field);
  g_assert_cmpstr (row->value, ==, value);
  if (time != NULL)
    g_assert_cmpstr (row->time, ==, time);
}

static void
test_export_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *csv = export_ok (f->t.repo, PHONE, TC_PRIVACY_FORMAT_CSV);
  g_autoptr(GPtrArray) rows = parse_csv (csv);
  g_autoptr(GHashTable) sections = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const expected_sections[] = {
    "contact", "tag", "attribute", "consent", "inbound", "outbound", "link", "click", "event",
  };
  guint n_tags = 0;

  /* RFC 4180 line ends, and nothing about the other person. */
  g_assert_true (g_str_has_prefix (csv, "section,field,value,time\r\n"));
  g_assert_null (strstr (csv, OTHER));
  g_assert_null (strstr (csv, "Olive"));

  for (guint i = 0; i < rows->len; i++)
    {
      const CsvRow *row = g_ptr_array_index (rows, i);

      g_hash_table_add (sections, row->section);
      if (strcmp (row->section, "tag") == 0)
        n_tags++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected_sections); i++)
    if (!g_hash_table_contains (sections, expected_sections[i]))
      g_error ("no section %s in the CSV export", expected_sections[i]);
  g_assert_cmpuint (g_hash_table_size (sections), ==, G_N_ELEMENTS (expected_sections));
  g_assert_cmpuint (n_tags, ==, 2);

  assert_row (rows, "contact", "phone", PHONE, "");
  assert_row (rows, "contact", "first_name", "Zebulon", "");
  assert_row (rows, "contact", "email", "zebulon@example.com", "");
  assert_row (rows, "contact", "timezones", "America/Los_Angeles", "");
  assert_row (rows, "contact", "suppressed", "false", "");
  assert_row (rows, "attribute", "plan", "gold", "");
  /* A comma and quotes survive the round trip. */
  assert_row (rows, "attribute", "note", "likes, \"quotes\"", "");
  assert_row (rows, "consent", "status.sms.promotional", "opted_out", "2025-11-18T21:06:40Z");
  assert_row (rows, "consent", "status.sms.transactional", "expired", NULL);
  assert_row (rows, "consent", "status.whatsapp.transactional", "none", "");
  assert_row (rows, "consent", "event.1.wording", "Yes, text me deals", "2025-11-13T02:13:20Z");
  assert_row (rows, "event", "1.name", "order_placed", NULL);
  assert_row (rows, "event", "1.properties",
              "{\"value\":49.5,\"currency\":\"USD\",\"sku\":\"ZEB-SHOE\"}", NULL);
  assert_row (rows, "consent", "event.2.kind", "opted_out", "2025-11-18T21:06:40Z");
  assert_row (rows, "consent", "event.3.expires_at", "2025-11-22T00:53:20Z", NULL);
  /* A line break inside a value too. */
  assert_row (rows, "inbound", "2.body", INBOUND_BODY, NULL);
  assert_row (rows, "inbound", "1.keyword", "STOP", "2025-11-18T21:06:40Z");
  assert_row (rows, "outbound", "1.body", "Hi Zebulon, 20% off today", NULL);
  assert_row (rows, "outbound", "1.state", "sent", NULL);
  assert_row (rows, "outbound", "2.to", PHONE, NULL);
  assert_row (rows, "link", LINK_CODE ".url", "https://shop.example/deals?utm_source=textcast",
              NULL);
  /* A semicolon does not confuse the delimiter guess. */
  g_assert_nonnull (find_row (rows, "click", LINK_CODE ".1.user_agent"));
  assert_row (rows, "click", LINK_CODE ".1.user_agent", USER_AGENT, NULL);
}

/* Export: errors ------------------------------------------------------------ */

static void
test_export_errors (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *phone;
    int         code;
    const char *named;
  } cases[] = {
    { STRANGER,           TC_CONSENT_ERROR_NOT_FOUND,     STRANGER },
    { "hello",            TC_CONSENT_ERROR_INVALID_PHONE, "hello" },
    { "4155550123",       TC_CONSENT_ERROR_INVALID_PHONE, "4155550123" },
    { "",                 TC_CONSENT_ERROR_INVALID_PHONE, "country code" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint format = TC_PRIVACY_FORMAT_JSON; format <= TC_PRIVACY_FORMAT_CSV; format++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = export (f->t.repo, cases[i].phone, format, &error);

        g_assert_null (text);
        g_assert_error (error, TC_CONSENT_ERROR, cases[i].code);
        if (strstr (error->message, cases[i].named) == NULL)
          g_error ("“%s” does not name “%s”", error->message, cases[i].named);
      }
}

/* A number with messages but no contact (deleted by hand) is exported. */
static void
test_export_without_contact (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *root;

  tc_repository_delete_contact_async (f->t.repo, f->person_id, NULL,
                                      tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_delete_contact_finish (f->t.repo, res, &error));
  g_assert_no_error (error);

  json = export_ok (f->t.repo, PHONE, TC_PRIVACY_FORMAT_JSON);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_null_member (root, "contact"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "tags")), ==, 0);
  /* The unlinked inbound message and both outbox rows (by number). */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "inbound")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "outbound")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "links")), ==, 0);
}

/* Erasure -------------------------------------------------------------------- */

static void
on_contacts_changed_cb (TcRepository *repo,
                        gpointer      user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
assert_person_gone (Fixture *f,
                    sqlite3 *db)
{
  gint64 id = f->person_id;
  g_autofree char *salt = NULL;
  g_autofree char *hash = NULL;

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE phone = '" PHONE "'"),
                   ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM contacts WHERE id = %" G_GINT64_FORMAT,
                               id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM consent_events"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM consent_state"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM contact_tags"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM inbound_messages"
                                   " WHERE contact_id = %" G_GINT64_FORMAT
                                   " OR phone = '" PHONE "'", id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM outbox"
                                   " WHERE contact_id = %" G_GINT64_FORMAT
                                   " OR phone = '" PHONE "' OR body LIKE '%%Zebulon%%'"
                                   " OR reason LIKE '%%" PHONE "%%'", id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM short_links"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 0);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM events"
                                   " WHERE contact_id = %" G_GINT64_FORMAT
                                   " OR event_key = 'shop-1001'", id), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM link_clicks"
                                  " WHERE user_agent = '" USER_AGENT "'"), ==, 0);

  /* Counts for reports survive: the outbox rows keep their state, the
   * link and its clicks stay. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox WHERE id IN (1, 2)"
                                  " AND phone = '' AND body = '' AND contact_id IS NULL"
                                  " AND media_url = '' AND wa_template = ''"
                                  " AND content_variables = ''"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox WHERE id = 1 AND state = 'sent'"
                                  " AND sent_at = 1763400005 AND purpose = 'promotional'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox WHERE id = 2 AND state = 'failed'"
                                  " AND reason = 'provider refused '"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM short_links"
                                  " WHERE code = '" LINK_CODE "' AND contact_id IS NULL"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM link_clicks"
                                  " WHERE code = '" LINK_CODE "'"), ==, 2);

  /* The suppression hash: HMAC-SHA256 of the number with the salt. */
  salt = query_text (db, "SELECT value FROM settings WHERE key = 'privacy.salt'");
  g_assert_nonnull (salt);
  g_assert_cmpuint (strlen (salt), ==, 32);
  g_assert_cmpuint (strspn (salt, "0123456789abcdef"), ==, 32);
  hash = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) salt, strlen (salt),
                                    PHONE, -1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM suppressions"
                                            " WHERE hash = '%s' AND reason = 'erased'", hash);

    g_assert_cmpint (query_int (db, sql), ==, 1);
  }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM suppressions"), ==, 1);
}

static void
assert_other_untouched (Fixture *f,
                        sqlite3 *db)
{
  gint64 id = f->other_id;

  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM contacts WHERE id = %" G_GINT64_FORMAT
                                   " AND phone = '" OTHER "' AND first_name = 'Olive'", id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM consent_events"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM consent_state"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM contact_tags"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM inbound_messages"
                                   " WHERE contact_id = %" G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM outbox WHERE contact_id = %"
                                   G_GINT64_FORMAT " AND phone = '" OTHER "'"
                                   " AND body = 'Hi Olive, 20%% off today'", id), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM short_links WHERE contact_id = %"
                                   G_GINT64_FORMAT, id), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM link_clicks"
                                  " WHERE user_agent = 'OtherAgent/1.0'"), ==, 1);
  g_assert_cmpint (query_intf (db, "SELECT count(*) FROM events WHERE contact_id = %"
                                   G_GINT64_FORMAT " AND event_key = 'shop-1002'", id), ==, 1);
}

static void
assert_bytes_gone (const char *path)
{
  /* What identified the person, as text anywhere in the file. (Tag names
   * are the workspace's labels and stay in tags; the person's link to them
   * is gone, see assert_person_gone.) */
  const char * const needles[] = {
    PHONE, PHONE + 1, "Zebulon", "Quixotic", "zebulon@example.com", "Yes, text me deals",
    "second line", "iPhone OS", "ZEB-SHOE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      guint n = count_in_workspace (path, needles[i]);

      if (n != 0)
        g_error ("“%s” is still in the workspace file %u times", needles[i], n);
    }

  /* The search can find things: the other person is still there. */
  g_assert_cmpuint (count_in_workspace (path, OTHER), >, 0);
  g_assert_cmpuint (count_in_workspace (path, "Olive"), >, 0);
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  guint changed = 0;
  sqlite3 *db;

  /* The bytes are there before. */
  g_assert_cmpuint (count_in_workspace (f->t.path, PHONE), >, 0);

  g_signal_connect (f->t.repo, "contacts-changed", G_CALLBACK (on_contacts_changed_cb), &changed);
  g_assert_true (erase_ok (f->t.repo, PHONE_WRITTEN));
  tc_test_drain_main_context ();
  g_assert_cmpuint (changed, ==, 1);
  g_signal_handlers_disconnect_by_func (f->t.repo, on_contacts_changed_cb, &changed);

  g_assert_true (is_suppressed (f->t.repo, PHONE, FALSE));
  g_assert_false (is_suppressed (f->t.repo, OTHER, FALSE));

  /* The export now says there is nothing, and why. */
  json = export (f->t.repo, PHONE, TC_PRIVACY_FORMAT_JSON, &error);
  g_assert_null (json);
  g_assert_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "erased"));
  g_clear_error (&error);

  /* Already on disk while the workspace is open: the log was emptied. */
  assert_bytes_gone (f->t.path);

  close_repo (f);
  db = open_raw (f->t.path);
  assert_person_gone (f, db);
  assert_other_untouched (f, db);
  sqlite3_close (db);
  assert_bytes_gone (f->t.path);
}

static void
test_erase_twice (Fixture       *f,
                  gconstpointer  data)
{
  sqlite3 *db;

  g_assert_true (erase_ok (f->t.repo, PHONE));
  g_assert_false (erase_ok (f->t.repo, PHONE));
  g_assert_true (is_suppressed (f->t.repo, PHONE, FALSE));

  close_repo (f);
  db = open_raw (f->t.path);
  assert_person_gone (f, db);
  assert_other_untouched (f, db);
  sqlite3_close (db);
}

static void
test_erase_unknown (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean had_contact = TRUE;
  sqlite3 *db;

  g_assert_false (is_suppressed (f->t.repo, STRANGER, FALSE));
  g_assert_false (erase_ok (f->t.repo, STRANGER));
  g_assert_true (is_suppressed (f->t.repo, STRANGER, FALSE));
  g_assert_false (is_suppressed (f->t.repo, PHONE, FALSE));
  g_assert_false (erase_ok (f->t.repo, STRANGER));

  /* A number that cannot be read is refused, not suppressed. */
  g_assert_false (erase (f->t.repo, "not a number", &had_contact, &error));
  g_assert_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE);
  g_assert_nonnull (strstr (error->message, "not a number"));

  close_repo (f);
  db = open_raw (f->t.path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM suppressions"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox WHERE phone <> ''"), ==, 3);
  sqlite3_close (db);
  g_assert_cmpuint (count_in_workspace (f->t.path, STRANGER), ==, 0);
}

/* Only the person can lift it (tc-inbound.h calls _tc_db_unsuppress). */
static void
test_unsuppress (Fixture       *f,
                 gconstpointer  data)
{
  g_assert_false (erase_ok (f->t.repo, STRANGER));
  g_assert_true (is_suppressed (f->t.repo, STRANGER, FALSE));
  g_assert_false (is_suppressed (f->t.repo, STRANGER, TRUE));
  g_assert_false (is_suppressed (f->t.repo, STRANGER, FALSE));
  /* Harmless when not suppressed. */
  g_assert_false (is_suppressed (f->t.repo, STRANGER, TRUE));
}

/* A workspace whose salt went missing gets a new one at the first
 * erasure; until then nothing reads as suppressed. */
static void
test_salt_created (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *old_salt = NULL;
  g_autofree char *new_salt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  close_repo (f);
  g_assert_cmpint (sqlite3_open (f->t.path, &db), ==, SQLITE_OK);
  old_salt = query_text (db, "SELECT value FROM settings WHERE key = 'privacy.salt'");
  g_assert_nonnull (old_salt);
  g_assert_cmpuint (strlen (old_salt), ==, 32);
  if (sqlite3_exec (db, "DELETE FROM settings WHERE key = 'privacy.salt'", NULL, NULL,
                    &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);

  f->t.repo = tc_repository_new (f->t.path);
  tc_test_open_ok (f->t.repo);
  g_assert_false (is_suppressed (f->t.repo, STRANGER, FALSE));
  g_assert_false (is_suppressed (f->t.repo, STRANGER, TRUE));
  g_assert_false (erase_ok (f->t.repo, STRANGER));
  g_assert_true (is_suppressed (f->t.repo, STRANGER, FALSE));
  close_repo (f);

  db = open_raw (f->t.path);
  new_salt = query_text (db, "SELECT value FROM settings WHERE key = 'privacy.salt'");
  g_assert_nonnull (new_salt);
  g_assert_cmpuint (strlen (new_salt), ==, 32);
  g_assert_cmpuint (strspn (new_salt, "0123456789abcdef"), ==, 32);
  g_assert_cmpstr (new_salt, !=, old_salt);
  hash = _tc_privacy_hash (new_salt, STRANGER);
  sql = g_strdup_printf ("SELECT count(*) FROM suppressions WHERE hash = '%s'", hash);
  g_assert_cmpint (query_int (db, sql), ==, 1);
  sqlite3_close (db);
}

static void
test_hash (void)
{
  static const struct
  {
    const char *salt;
    const char *e164;
    const char *hash;
  } cases[] = {
    /* Python: hmac.new(salt.encode(), e164.encode(), hashlib.sha256).hexdigest() */
    { "00112233445566778899aabbccddeeff", "+14155550100",
      "59537d674e1e768b51c0db55863671fcbb7508bc87ab9f9c8aef6d5570dfa1ba" },
    { "fedcba98765432100123456789abcdef", "+447700900123",
      "8525b7defc1af4cd8f662ce7953d0e56fe9ab7f29b16822e768a5d8b3bdce4e8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hash = _tc_privacy_hash (cases[i].salt, cases[i].e164);

      g_assert_cmpstr (hash, ==, cases[i].hash);
    }

  /* Another salt, another hash. */
  {
    g_autofree char *a = _tc_privacy_hash (cases[0].salt, cases[0].e164);
    g_autofree char *b = _tc_privacy_hash (cases[1].salt, cases[0].e164);

    g_assert_cmpstr (a, !=, b);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/privacy/hash", test_hash);
  g_test_add ("/tc/privacy/export/json", Fixture, NULL,
              fixture_set_up, test_export_json, fixture_tear_down);
  g_test_add ("/tc/privacy/export/csv", Fixture, NULL,
              fixture_set_up, test_export_csv, fixture_tear_down);
  g_test_add ("/tc/privacy/export/errors", Fixture, NULL,
              fixture_set_up, test_export_errors, fixture_tear_down);
  g_test_add ("/tc/privacy/export/without-contact", Fixture, NULL,
              fixture_set_up, test_export_without_contact, fixture_tear_down);
  g_test_add ("/tc/privacy/erase", Fixture, NULL,
              fixture_set_up, test_erase, fixture_tear_down);
  g_test_add ("/tc/privacy/erase/twice", Fixture, NULL,
              fixture_set_up, test_erase_twice, fixture_tear_down);
  g_test_add ("/tc/privacy/erase/unknown", Fixture, NULL,
              fixture_set_up, test_erase_unknown, fixture_tear_down);
  g_test_add ("/tc/privacy/unsuppress", Fixture, NULL,
              fixture_set_up, test_unsuppress, fixture_tear_down);
  g_test_add ("/tc/privacy/salt-created", Fixture, NULL,
              fixture_set_up, test_salt_created, fixture_tear_down);

  return g_test_run ();
}
