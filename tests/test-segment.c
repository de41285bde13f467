/* test-segment.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Segment rules (tc-segment.h) on a hand-made workspace of 30 contacts
 * whose answers were worked out by hand: every operator of every kind of
 * rule, nesting, saved segments, injection attempts, and the messages of
 * rules that are wrong. "Now" is fixed at 2026-03-01T00:00:00Z.
 */

#define G_LOG_DOMAIN "test-segment"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-contact-io.h"
#include "tc-contact.h"
#include "tc-repository-private.h"
#include "tc-segment.h"
#include "tc-test-util.h"

#define NOW  G_GINT64_CONSTANT (1772323200)   /* 2026-03-01T00:00:00Z */
#define DAY  G_GINT64_CONSTANT (86400)
#define N_CONTACTS 30

typedef struct
{
  TcTestRepo t;
} Fixture;

/* The hand-made contacts: ids 1 to 12 as below, 13 to 30 "plain" (French
 * numbers, country MX, no email, created 2026-01-15). */
static const struct
{
  const char *phone;
  const char *first;
  const char *last;
  const char *email;
  const char *language;
  const char *country;
  const char *timezones;
  const char *attributes;
  const char *created;
} people[] = {
  { "+13052070101", "Ana", "Silva", "ana@example.com", "en", "US", "America/New_York",
    "{\"plan\":\"gold\",\"signup\":\"2025-06-01\"}", "2025-01-10" },
  { "+12127365002", "Bob", "Stone", "bob@shop.example", "en", "US", "America/New_York",
    "{\"plan\":\"silver\",\"signup\":\"2025-11-20\"}", "2025-02-10" },
  { "+13052070103", "Carla", "Diaz", "", "es", "US", "America/New_York America/Chicago", "{}",
    "2025-03-10" },
  { "+14162035604", "Dan", "Roy", "dan@example.ca", "fr", "CA", "America/Toronto",
    "{\"plan\":\"gold\"}", "2025-04-10" },
  { "+16042155605", "Eve", "Lee", "eve@EXAMPLE.ca", "en", "CA", "America/Vancouver",
    "{\"plan\":\"bronze\"}", "2025-05-10" },
  { "+442079460906", "Finn", "Hart", "finn@example.co.uk", "en", "GB", "Europe/London",
    "{\"plan\":\"Gold\"}", "2025-06-10" },
  { "+33142685307", "Greta", "Vogel", "", "fr", "FR", "Europe/Paris", "{\"plan\":\"\"}",
    "2025-07-10" },
  { "+13052070108", "Hana", "Ito", "hana@example.jp", "ja", "US", "",
    "{\"signup\":\"2026-02-01\"}", "2025-08-10" },
  { "+12127365009", "Ivan", "Petrov", "ivan@example.com", "ru", "US", "America/New_York", "{}",
    "2025-09-10" },
  { "+14162035610", "Jo", "March", "jo@example.ca", "en", "CA", "America/Toronto", "{}",
    "2025-10-10" },
  { "+13052070111", "Kim", "x'); DROP TABLE contacts;--", "kim@example.com", "en", "US",
    "America/New_York", "{}", "2025-11-10" },
  { "+13052070112", "Lu", "Wei", "lu@example.com", "zh", "US", "America/New_York",
    "{\"a.b\":\"dotted\",\"k[0]\":\"bracket\",\"it's\":\"quote\","
    "\"x'); DROP TABLE contacts;--\":\"boom\"}", "2025-12-10" },
};

/* The rest of the fixture, relative to NOW (see the expected answers). */
static const char fixture_sql[] =
  /* Tags. */
  "INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'newsletter'),"
  "  (3, 'x''); DROP TABLE tags;--');"
  "INSERT INTO contact_tags (contact_id, tag_id) VALUES"
  "  (1, 1), (2, 1), (4, 1), (6, 1), (13, 1),"
  "  (1, 2), (3, 2), (5, 2), (14, 2), (15, 2), (12, 3);"
  /* Consent: the current state per channel and purpose. */
  "INSERT INTO consent_state (contact_id, channel, purpose, status, since, expires_at, event_id,"
  "                           source) VALUES"
  "  (1, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (2, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (3, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (4, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (13, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (14, 'sms', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (5, 'sms', 'promotional', 'opted_out', 1, NULL, 0, 'manual'),"
  "  (6, 'sms', 'promotional', 'opted_out', 1, NULL, 0, 'manual'),"
  "  (7, 'sms', 'promotional', 'pending', 1, 1772409600, 0, 'web_form'),"   /* NOW + 1 day */
  "  (8, 'sms', 'promotional', 'pending', 1, 1772236800, 0, 'web_form'),"   /* NOW - 1 day */
  "  (11, 'sms', 'promotional', 'none', 1, NULL, 0, 'manual'),"
  "  (1, 'whatsapp', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (9, 'whatsapp', 'promotional', 'opted_in', 1, NULL, 0, 'manual'),"
  "  (10, 'sms', 'transactional', 'opted_in', 1, NULL, 0, 'manual');"
  /* Messages sent (times in days before NOW). */
  "INSERT INTO outbox (idem_key, contact_id, phone, channel, purpose, state, due_at, created_at,"
  "                    updated_at, sent_at, delivered_at, read_at) VALUES"
  "  ('o1', 1, '+13052070101', 'sms', 'promotional', 'delivered', 0, 0, 0,"
  "   1772150400, 1772150400, NULL),"                                          /* -2 */
  "  ('o2', 2, '+12127365002', 'whatsapp', 'promotional', 'read', 0, 0, 0,"
  "   1771891200, 1771891200, 1771977600),"                                    /* -5, -4 */
  "  ('o3', 3, '+13052070103', 'sms', 'promotional', 'delivered', 0, 0, 0,"
  "   1768867200, 1768867200, NULL),"                                          /* -40 */
  "  ('o4', 4, '+14162035604', 'sms', 'promotional', 'failed', 0, 0, 0,"
  "   1772236800, NULL, NULL),"                                                /* -1 */
  "  ('o5', 13, '+33142685313', 'sms', 'promotional', 'queued', 0, 0, 0, NULL, NULL, NULL);"
  /* Replies. */
  "INSERT INTO inbound_messages (channel, phone, contact_id, body, received_at, action) VALUES"
  "  ('sms', '+16042155605', 5, 'hi', 1772064000, 'conversation'),"          /* -3 */
  "  ('whatsapp', '+442079460906', 6, 'hi', 1771459200, 'conversation'),"    /* -10 */
  "  ('sms', '+33142685314', 14, 'hi', 1772236800, 'conversation');"         /* -1 */
  /* Tracked links and their clicks. */
  "INSERT INTO short_links (code, url, contact_id, origin, created_at) VALUES"
  "  ('A', 'https://shop.example/a', 1, 'test', 0), ('B', 'https://shop.example/b', 7, 'test', 0),"
  "  ('C', 'https://shop.example/c', 8, 'test', 0), ('D', 'https://shop.example/d', NULL, 'test', 0);"
  "INSERT INTO link_clicks (code, clicked_at) VALUES"
  "  ('A', 1772236800), ('B', 1770595200), ('D', 1772236800);"             /* -1, -20, -1 */
  /* Events. */
  "INSERT INTO events (event_key, contact_id, name, occurred_at, recorded_at, source, value,"
  "                    currency, properties) VALUES"
  "  ('e1', 1, 'order_placed', 1772064000, 0, 'test', 80, 'USD',"                /* -3 */
  "   '{\"value\":80,\"currency\":\"USD\",\"sku\":\"X1\"}'),"
  "  ('e2', 1, 'order_placed', 1763683200, 0, 'test', 20, 'USD', '{}'),"          /* -100 */
  "  ('e3', 2, 'order_placed', 1771459200, 0, 'test', 30, 'USD',"                 /* -10 */
  "   '{\"sku\":\"Y2\",\"qty\":2}'),"
  "  ('e4', 3, 'order_placed', 1768867200, 0, 'test', 120, 'EUR', '{\"sku\":\"X1\"}')," /* -40 */
  "  ('e5', 4, 'cart_abandoned', 1772150400, 0, 'test', NULL, '', '{\"sku\":\"X1\"}'),"  /* -2 */
  "  ('e6', 6, 'order_placed', 1771891200, 0, 'test', 55.5, 'GBP',"               /* -5 */
  "   '{\"sku\":\"z9\",\"coupon\":\"SPRING\",\"qty\":\"3\"}'),"
  "  ('e7', 12, 'order_placed', 1772236800, 0, 'test', NULL, '',"                 /* -1 */
  "   '{\"note\":\"x''); DROP TABLE events;--\",\"a.b\":\"dotted\"}'),"
  "  ('e8', 13, 'product_viewed', 1772236800, 0, 'test', NULL, '', '{\"sku\":\"X1\"}');";

static gpointer
seed_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  if (!_tc_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < N_CONTACTS; i++)
    {
      g_autofree char *phone = NULL;
      g_autofree char *first = NULL;
      char *sql;
      gint64 created = 0;
      gboolean ok;

      if (i < G_N_ELEMENTS (people))
        {
          g_assert_true (tc_parse_time (people[i].created, &created));
          sql = sqlite3_mprintf ("INSERT INTO contacts (id, phone, first_name, last_name, email,"
                                 " language, country, timezones, attributes, created_at,"
                                 " updated_at, sort_key, search_text) VALUES (%u, %Q, %Q, %Q,"
                                 " %Q, %Q, %Q, %Q, %Q, %lld, %lld, tc_sort_key (%Q, %Q, %Q), '')",
                                 i + 1, people[i].phone, people[i].first, people[i].last,
                                 people[i].email, people[i].language, people[i].country,
                                 people[i].timezones, people[i].attributes,
                                 (long long) created, (long long) created, people[i].last,
                                 people[i].first, people[i].phone);
        }
      else
        {
          g_assert_true (tc_parse_time ("2026-01-15", &created));
          phone = g_strdup_printf ("+331426853%02u", i + 1);
          first = g_strdup_printf ("P%02u", i + 1);
          sql = sqlite3_mprintf ("INSERT INTO contacts (id, phone, first_name, last_name, email,"
                                 " language, country, timezones, attributes, created_at,"
                                 " updated_at, sort_key, search_text) VALUES (%u, %Q, %Q,"
                                 " 'Plain', '', 'es', 'MX', 'America/Mexico_City', '{}', %lld,"
                                 " %lld, tc_sort_key ('Plain', %Q, %Q), '')",
                                 i + 1, phone, first, (long long) created, (long long) created,
                                 first, phone);
        }

      ok = _tc_db_exec (db, sql, error);
      sqlite3_free (sql);
      if (!ok)
        goto fail;
    }

  if (!_tc_db_exec (db, fixture_sql, error) || !_tc_db_commit (db, error))
    goto fail;

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

  tc_test_repo_set_up (&f->t, "tc-segment-XXXXXX", "textcast.db");

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_WRITE, seed_job, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->t.repo, res, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

/* ------------------------------------------------------------------------
 * Running a rule
 */

typedef struct
{
  TcSegment *segment;
  gint64     after_id;
  guint      stop_after;   /* 0: never */
} ForeachJob;

static gboolean
collect_id (gint64   contact_id,
            gpointer user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, contact_id);

  return TRUE;
}

static gpointer
foreach_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  ForeachJob *job = job_data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!_tc_db_segment_foreach (db, job->segment, NOW, job->after_id, collect_id, ids,
                               cancellable, error))
    return NULL;

  return g_steal_pointer (&ids);
}

/* The matching ids, "1,2,5", from the worker-side iteration. */
static char *
matching_ids (Fixture   *f,
              TcSegment *segment,
              gint64     after_id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  ForeachJob job = { segment, after_id, 0 };

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_READ, foreach_job, &job, NULL,
                            (GDestroyNotify) g_array_unref, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  ids = _tc_repository_run_finish (f->t.repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);

  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        {
          g_assert_cmpint (g_array_index (ids, gint64, i), >, g_array_index (ids, gint64, i - 1));
          g_string_append_c (text, ',');
        }
      g_string_append_printf (text, "%" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "1,3-5" → "1,3,4,5"; "" stays "". */
static char *
expand_ranges (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint from = 0;
      guint to = 0;

      if (parts[i][0] == '\0')
        continue;
      if (sscanf (parts[i], "%u-%u", &from, &to) != 2)
        to = from = (guint) g_ascii_strtoull (parts[i], NULL, 10);
      for (guint id = from; id <= to; id++)
        g_string_append_printf (text, "%s%u", text->len > 0 ? "," : "", id);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
count_ids (const char *ids)
{
  guint n = ids[0] != '\0' ? 1 : 0;

  for (const char *p = ids; *p != '\0'; p++)
    n += *p == ',';

  return n;
}

static guint
count_segment (Fixture   *f,
               TcSegment *segment)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  tc_segment_count_async (f->t.repo, segment, NOW, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_segment_count_finish (f->t.repo, res, &n, &error));
  g_assert_no_error (error);

  return n;
}

static void
assert_rule (Fixture    *f,
             const char *rule,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSegment) segment = tc_segment_new_from_json (rule, &error);
  g_autofree char *want = expand_ranges (expected);
  g_autofree char *got = NULL;

  g_test_message ("%s → %s", rule, want);
  g_assert_no_error (error);
  g_assert_nonnull (segment);

  got = matching_ids (f, segment, 0);
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpuint (count_segment (f, segment), ==, count_ids (want));
}

typedef struct
{
  const char *rule;
  const char *expected;   /* ids, ranges allowed: "1,3,13-30" */
} RuleCase;

static void
run_cases (Fixture        *f,
           const RuleCase *cases,
           gsize           n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    assert_rule (f, cases[i].rule, cases[i].expected);
}

/* ------------------------------------------------------------------------
 * Cases
 */

static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"field\":\"country\",\"op\":\"equals\",\"value\":\"us\"}", "1,2,3,8,9,11,12" },
    { "{\"field\":\"country\",\"op\":\"not_equals\",\"value\":\"US\"}", "4-7,10,13-30" },
    { "{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]}", "1-5,8-12" },
    { "{\"field\":\"first_name\",\"op\":\"contains\",\"value\":\"AN\"}", "1,4,8,9" },
    { "{\"field\":\"email\",\"op\":\"empty\"}", "3,7,13-30" },
    { "{\"field\":\"email\",\"op\":\"not_empty\"}", "1,2,4,5,6,8-12" },
    { "{\"field\":\"email\",\"op\":\"contains\",\"value\":\"example.ca\"}", "4,5,10" },
    { "{\"field\":\"language\",\"op\":\"in\",\"value\":[\"fr\",\"de\"]}", "4,7" },
    { "{\"field\":\"phone\",\"op\":\"equals\",\"value\":\"+12127365002\"}", "2" },
    { "{\"field\":\"last_name\",\"op\":\"equals\",\"value\":\"silva\"}", "1" },
    { "{\"field\":\"created_at\",\"op\":\"before\",\"value\":\"2025-03-01\"}", "1,2" },
    { "{\"field\":\"created_at\",\"op\":\"after\",\"value\":\"2025-11-01T00:00:00Z\"}",
      "11-30" },
    { "{\"field\":\"attributes.plan\",\"op\":\"equals\",\"value\":\"gold\"}", "1,4,6" },
    { "{\"field\":\"attributes.plan\",\"op\":\"not_equals\",\"value\":\"gold\"}",
      "2,3,5,7-30" },
    { "{\"field\":\"attributes.plan\",\"op\":\"empty\"}", "3,7-30" },
    { "{\"field\":\"attributes.plan\",\"op\":\"not_empty\"}", "1,2,4,5,6" },
    { "{\"field\":\"attributes.plan\",\"op\":\"in\",\"value\":[\"silver\",\"BRONZE\"]}", "2,5" },
    { "{\"field\":\"attributes.plan\",\"op\":\"contains\",\"value\":\"ol\"}", "1,4,6" },
    { "{\"field\":\"attributes.signup\",\"op\":\"before\",\"value\":\"2025-12-01\"}", "1,2" },
    { "{\"field\":\"attributes.signup\",\"op\":\"after\",\"value\":\"2025-12-01\"}", "8" },
    { "{\"field\":\"attributes.missing\",\"op\":\"equals\",\"value\":\"x\"}", "" },
    { "{\"field\":\"timezone\",\"op\":\"equals\",\"value\":\"america/chicago\"}", "3" },
    { "{\"field\":\"timezone\",\"op\":\"equals\",\"value\":\"America/New_York\"}",
      "1,2,3,9,11,12" },
    { "{\"field\":\"timezone\",\"op\":\"not_equals\",\"value\":\"America/New_York\"}",
      "4-8,10,13-30" },
    { "{\"field\":\"timezone\",\"op\":\"in\",\"value\":[\"Europe/London\",\"Europe/Paris\"]}",
      "6,7" },
    { "{\"field\":\"timezone\",\"op\":\"contains\",\"value\":\"Europe/\"}", "6,7" },
    { "{\"field\":\"timezone\",\"op\":\"empty\"}", "8" },
    /* A zone is a whole word of the list, not a piece of one. */
    { "{\"field\":\"timezone\",\"op\":\"equals\",\"value\":\"America/New\"}", "" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_region (Fixture       *f,
             gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"field\":\"region\",\"op\":\"equals\",\"value\":\"US-FL\"}", "1,3,8,11,12" },
    { "{\"field\":\"region\",\"op\":\"equals\",\"value\":\"us\"}", "1,2,3,8,9,11,12" },
    { "{\"field\":\"region\",\"op\":\"in\",\"value\":[\"US-NY\",\"CA\"]}", "2,4,5,9,10" },
    { "{\"field\":\"region\",\"op\":\"in\",\"value\":[\"CA-ON\"]}", "4,10" },
    { "{\"field\":\"region\",\"op\":\"equals\",\"value\":\"GB\"}", "6" },
    { "{\"field\":\"region\",\"op\":\"not_equals\",\"value\":\"FR\"}", "1-6,8-12" },
    { "{\"field\":\"region\",\"op\":\"empty\"}", "" },
    { "{\"field\":\"region\",\"op\":\"not_empty\"}", "1-30" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"tag\":\"vip\"}", "1,2,4,6,13" },
    { "{\"tag\":\"VIP\"}", "1,2,4,6,13" },
    { "{\"tag\":\"vip\",\"has\":false}", "3,5,7-12,14-30" },
    { "{\"tag\":\"newsletter\",\"has\":true}", "1,3,5,14,15" },
    { "{\"tag\":\"nobody-has-this\"}", "" },
    { "{\"tag\":\"nobody-has-this\",\"has\":false}", "1-30" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_consent (Fixture       *f,
              gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"consent\":\"sms\"}", "1-4,13,14" },
    { "{\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}", "1-4,13,14" },
    { "{\"consent\":\"sms\",\"status\":\"opted_out\"}", "5,6" },
    { "{\"consent\":\"sms\",\"status\":\"pending\"}", "7" },
    { "{\"consent\":\"sms\",\"status\":\"expired\"}", "8" },
    { "{\"consent\":\"sms\",\"status\":\"none\"}", "9-12,15-30" },
    { "{\"consent\":\"sms\",\"status\":[\"opted_out\",\"none\"]}", "5,6,9-12,15-30" },
    { "{\"consent\":\"sms\",\"status\":[\"pending\",\"expired\",\"opted_in\"]}", "1-4,7,8,13,14" },
    { "{\"consent\":\"whatsapp\",\"status\":\"opted_in\"}", "1,9" },
    { "{\"consent\":\"sms\",\"purpose\":\"transactional\"}", "10" },
    { "{\"consent\":\"whatsapp\",\"purpose\":\"transactional\",\"status\":\"none\"}", "1-30" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_engagement (Fixture       *f,
                 gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"engagement\":\"received\",\"within_days\":7}", "1,2,4" },
    { "{\"engagement\":\"received\",\"within_days\":7,\"channel\":\"sms\"}", "1,4" },
    { "{\"engagement\":\"received\",\"within_days\":60}", "1-4" },
    { "{\"engagement\":\"delivered\",\"within_days\":7}", "1,2" },
    { "{\"engagement\":\"delivered\",\"within_days\":60,\"channel\":\"sms\"}", "1,3" },
    { "{\"engagement\":\"read\",\"within_days\":7}", "2" },
    { "{\"engagement\":\"read\",\"within_days\":7,\"channel\":\"sms\"}", "" },
    { "{\"engagement\":\"replied\",\"within_days\":7}", "5,14" },
    { "{\"engagement\":\"replied\",\"within_days\":30}", "5,6,14" },
    { "{\"engagement\":\"replied\",\"within_days\":30,\"channel\":\"whatsapp\"}", "6" },
    { "{\"engagement\":\"clicked\",\"within_days\":7}", "1" },
    { "{\"engagement\":\"clicked\",\"within_days\":30}", "1,7" },
    { "{\"engagement\":\"clicked\",\"within_days\":1}", "1" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"event\":\"order_placed\"}", "1,2,3,6,12" },
    { "{\"event\":\"order_placed\",\"within_days\":30}", "1,2,6,12" },
    { "{\"event\":\"order_placed\",\"within_days\":30,"
      "\"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":50}]}", "1,6" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\">=\",\"value\":80}]}",
      "1,3" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\"<\",\"value\":50}]}",
      "1,2" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\"<=\",\"value\":30}]}",
      "1,2" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\"=\",\"value\":55.5}]}",
      "6" },
    { "{\"event\":\"order_placed\",\"within_days\":30,"
      "\"where\":[{\"property\":\"value\",\"op\":\"!=\",\"value\":80}]}", "2,6,12" },
    /* Both conditions on one and the same event: Ana's $80 order has X1
     * and her $20 order no sku, so neither meets both. */
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\"<\",\"value\":50},"
      "{\"property\":\"properties.sku\",\"op\":\"=\",\"value\":\"X1\"}]}", "" },
    { "{\"event\":\"order_placed\",\"did\":false,\"within_days\":30}", "3-5,7-11,13-30" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.sku\",\"op\":\"=\","
      "\"value\":\"x1\"}]}", "1,3" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.sku\",\"op\":\"contains\","
      "\"value\":\"Z\"}]}", "6" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.sku\",\"op\":\"!=\","
      "\"value\":\"X1\"}]}", "1,2,6,12" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"currency\",\"op\":\"=\","
      "\"value\":\"usd\"}]}", "1,2" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"currency\",\"op\":\"!=\","
      "\"value\":\"USD\"}]}", "3,6,12" },
    /* Numbers only compare with numbers: "3" (text) is not > 1. */
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.qty\",\"op\":\">\","
      "\"value\":1}]}", "2" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.qty\",\"op\":\"!=\","
      "\"value\":2}]}", "1,3,6,12" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.qty\",\"op\":\"=\","
      "\"value\":\"3\"}]}", "6" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.coupon\",\"op\":\">\","
      "\"value\":\"R\"}]}", "6" },
    { "{\"event\":\"product_viewed\"}", "13" },
    { "{\"event\":\"cart_abandoned\",\"within_days\":7,"
      "\"where\":[{\"property\":\"properties.sku\",\"op\":\"=\",\"value\":\"X1\"}]}", "4" },
    { "{\"event\":\"cart_abandoned\",\"within_days\":1}", "" },
    { "{\"event\":\"never_happened\"}", "" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_nesting (Fixture       *f,
              gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"all\":[{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]},{\"tag\":\"vip\"},"
      "{\"any\":[{\"event\":\"order_placed\",\"within_days\":30,"
      "\"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":50}]},"
      "{\"engagement\":\"clicked\",\"within_days\":7}]}]}", "1" },
    { "{\"any\":[{\"tag\":\"newsletter\"},{\"consent\":\"whatsapp\"}]}", "1,3,5,9,14,15" },
    { "{\"not\":{\"tag\":\"vip\"}}", "3,5,7-12,14-30" },
    { "{\"not\":{\"not\":{\"tag\":\"vip\"}}}", "1,2,4,6,13" },
    { "{\"all\":[]}", "1-30" },
    { "{\"any\":[]}", "" },
    { "{\"not\":{\"any\":[]}}", "1-30" },
    { "{\"all\":[{\"not\":{\"field\":\"country\",\"op\":\"equals\",\"value\":\"US\"}},"
      "{\"any\":[{\"tag\":\"vip\"},{\"tag\":\"newsletter\"}]}]}", "4,5,6,13,14,15" },
    { "{\"all\":[{\"consent\":\"sms\"},{\"not\":{\"engagement\":\"received\",\"within_days\":7}}]}",
      "3,13,14" },
    { "{\"any\":[{\"all\":[{\"tag\":\"vip\"},{\"field\":\"country\",\"op\":\"equals\","
      "\"value\":\"GB\"}]},{\"all\":[{\"tag\":\"newsletter\"},{\"consent\":\"sms\","
      "\"status\":\"opted_out\"}]}]}", "5,6" },
  };

  run_cases (f, cases, G_N_ELEMENTS (cases));
}

static gboolean
stop_after_two (gint64   contact_id,
                gpointer user_data)
{
  GArray *ids = user_data;

  g_array_append_val (ids, contact_id);

  return ids->len < 2;
}

static gpointer
stop_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!_tc_db_segment_foreach (db, job_data, NOW, 0, stop_after_two, ids, NULL, error))
    return NULL;

  return g_steal_pointer (&ids);
}

/* Resuming after an id, stopping early, and the preview in name order. */
static void
test_iterate_and_preview (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) stop_res = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *after = NULL;

  segment = tc_segment_new_from_json ("{\"field\":\"country\",\"op\":\"equals\",\"value\":\"CA\"}",
                                      &error);
  g_assert_no_error (error);

  after = matching_ids (f, segment, 4);
  g_assert_cmpstr (after, ==, "5,10");

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_READ, stop_job, segment, NULL,
                            (GDestroyNotify) g_array_unref, NULL,
                            tc_repository_store_result_cb, &stop_res);
  tc_repository_wait (&stop_res);
  ids = _tc_repository_run_finish (f->t.repo, stop_res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 4);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 5);

  /* By last name: Lee, March, Roy. */
  tc_segment_preview_async (f->t.repo, segment, NOW, 2, NULL, tc_repository_store_result_cb,
                            &res);
  tc_repository_wait (&res);
  contacts = tc_segment_preview_finish (f->t.repo, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 2);
  g_assert_cmpstr (tc_contact_get_last_name (g_ptr_array_index (contacts, 0)), ==, "Lee");
  g_assert_cmpstr (tc_contact_get_last_name (g_ptr_array_index (contacts, 1)), ==, "March");
  g_assert_cmpint (tc_contact_get_id (g_ptr_array_index (contacts, 1)), ==, 10);
}

typedef struct
{
  gint64 n_contacts;
  gint64 n_tags;
  gint64 n_events;
} Census;

static gpointer
census_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  static const char * const queries[] = {
    "SELECT count(*) FROM contacts", "SELECT count(*) FROM tags", "SELECT count(*) FROM events",
  };
  Census *census = g_new0 (Census, 1);
  gint64 *slots[] = { &census->n_contacts, &census->n_tags, &census->n_events };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = _tc_db_prepare (db, queries[i], error);

      if (stmt == NULL)
        {
          g_free (census);
          return NULL;
        }
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      *slots[i] = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  return census;
}

/* Values and keys that look like SQL are data: they match literally (or
 * are refused), and the tables are all still there afterwards. */
static void
test_injection (Fixture       *f,
                gconstpointer  data)
{
  static const RuleCase cases[] = {
    { "{\"field\":\"last_name\",\"op\":\"equals\",\"value\":\"x'); DROP TABLE contacts;--\"}",
      "11" },
    { "{\"field\":\"last_name\",\"op\":\"in\",\"value\":[\"x'); DROP TABLE contacts;--\","
      "\"' OR 1=1 --\"]}", "11" },
    { "{\"field\":\"first_name\",\"op\":\"equals\",\"value\":\"' OR '1'='1\"}", "" },
    { "{\"field\":\"first_name\",\"op\":\"contains\",\"value\":\"%\"}", "" },
    { "{\"field\":\"first_name\",\"op\":\"contains\",\"value\":\"_\"}", "" },
    { "{\"field\":\"attributes.x'); DROP TABLE contacts;--\",\"op\":\"equals\","
      "\"value\":\"boom\"}", "12" },
    { "{\"field\":\"attributes.a.b\",\"op\":\"equals\",\"value\":\"dotted\"}", "12" },
    { "{\"field\":\"attributes.k[0]\",\"op\":\"equals\",\"value\":\"bracket\"}", "12" },
    { "{\"field\":\"attributes.it's\",\"op\":\"equals\",\"value\":\"quote\"}", "12" },
    { "{\"field\":\"attributes.a\",\"op\":\"not_empty\"}", "" },
    { "{\"field\":\"attributes.$\",\"op\":\"not_empty\"}", "" },
    { "{\"tag\":\"x'); DROP TABLE tags;--\"}", "12" },
    { "{\"tag\":\"' OR 1=1 --\"}", "" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.note\",\"op\":\"=\","
      "\"value\":\"x'); DROP TABLE events;--\"}]}", "12" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.a.b\",\"op\":\"=\","
      "\"value\":\"dotted\"}]}", "12" },
    { "{\"field\":\"country\",\"op\":\"equals\",\"value\":\"US' OR 1=1; DELETE FROM contacts;--\"}",
      "" },
    { "{\"segment\":\"x'); DROP TABLE segments;--\"}", NULL },
  };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree Census *census = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (cases[i].expected != NULL)
        assert_rule (f, cases[i].rule, cases[i].expected);
      else
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(TcSegment) segment = tc_segment_new_from_json (cases[i].rule, &local_error);
          g_autoptr(GAsyncResult) count_res = NULL;

          g_assert_no_error (local_error);
          tc_segment_count_async (f->t.repo, segment, NOW, NULL, tc_repository_store_result_cb,
                                  &count_res);
          tc_repository_wait (&count_res);
          g_assert_false (tc_segment_count_finish (f->t.repo, count_res, NULL, &local_error));
          g_assert_error (local_error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND);
        }
    }

  _tc_repository_run_async (f->t.repo, TC_DB_JOB_READ, census_job, NULL, NULL, g_free, NULL,
                            tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  census = _tc_repository_run_finish (f->t.repo, res, &error);
  g_assert_no_error (error);
  g_assert_cmpint (census->n_contacts, ==, N_CONTACTS);
  g_assert_cmpint (census->n_tags, ==, 3);
  g_assert_cmpint (census->n_events, ==, 8);
}

typedef struct
{
  const char *rule;
  const char *message;   /* the start of the error message */
} ErrorCase;

static void
test_parse_errors (void)
{
  static const ErrorCase cases[] = {
    { "{\"all\":[{\"tag\":\"vip\"},{\"tag\":\"a\"},{\"field\":\"country\",\"op\":\"between\","
      "\"value\":\"x\"}]}",
      "rule.all[2].op: \"between\" is not an operator; use one of equals, not_equals, contains, "
      "in, empty, not_empty" },
    { "{\"field\":\"nope\",\"op\":\"equals\",\"value\":\"x\"}",
      "rule.field: \"nope\" is not a field; use one of first_name" },
    { "{\"field\":\"country\",\"op\":\"in\",\"value\":[]}",
      "rule.value: [] is not a list of values" },
    { "{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",3.5]}",
      "rule.value[1]: 3.5 is not a text" },
    { "{\"field\":\"country\",\"op\":\"equals\",\"value\":true}", "rule.value: true is not a text" },
    { "{\"field\":\"created_at\",\"op\":\"contains\",\"value\":\"x\"}",
      "rule.op: \"contains\" does not apply to the field created_at; use one of before, after" },
    { "{\"field\":\"created_at\",\"op\":\"before\",\"value\":\"yesterday\"}",
      "rule.value: “yesterday” is not a date or time" },
    { "{\"field\":\"attributes.a\\\"b\",\"op\":\"equals\",\"value\":\"x\"}",
      "rule.field: the key “a\"b” contains a double quote" },
    { "{\"field\":\"attributes.a\\\\b\",\"op\":\"equals\",\"value\":\"x\"}",
      "rule.field: the key “a\\b” contains a double quote, a backslash" },
    { "{\"field\":\"attributes.\",\"op\":\"equals\",\"value\":\"x\"}", "rule.field: the key is empty" },
    { "{\"field\":\"region\",\"op\":\"equals\",\"value\":\"Florida\"}",
      "rule.value: “Florida” is not a region" },
    { "{\"field\":\"email\",\"op\":\"empty\",\"value\":\"x\"}",
      "rule.value: the op empty takes no value" },
    { "{\"field\":\"email\",\"op\":\"contains\",\"value\":\"\"}", "rule.value: the text is empty" },
    { "{\"tag\":\"vip\",\"colour\":\"red\"}", "rule.colour: unknown member of a tag rule" },
    { "{\"tag\":\"\"}", "rule.tag: the text is empty" },
    { "{\"tag\":\"vip\",\"has\":\"no\"}", "rule.has: \"no\" is not true or false" },
    { "{\"consent\":\"fax\"}", "rule.consent: \"fax\" is not a channel" },
    { "{\"consent\":\"sms\",\"purpose\":\"marketing\"}", "rule.purpose: \"marketing\" is not a purpose" },
    { "{\"consent\":\"sms\",\"status\":\"maybe\"}",
      "rule.status: \"maybe\" is not a consent status; use one of none, pending, opted_in" },
    { "{\"consent\":\"sms\",\"status\":[\"opted_in\",\"yes\"]}",
      "rule.status[1]: \"yes\" is not a consent status" },
    { "{\"engagement\":\"opened\",\"within_days\":7}",
      "rule.engagement: \"opened\" is not a kind of engagement" },
    { "{\"engagement\":\"clicked\"}", "rule.within_days: missing" },
    { "{\"engagement\":\"clicked\",\"within_days\":0}", "rule.within_days: 0 is not a number of days" },
    { "{\"engagement\":\"read\",\"within_days\":1.5}", "rule.within_days: 1.5 is not a number of days" },
    { "{\"engagement\":\"clicked\",\"within_days\":7,\"channel\":\"sms\"}",
      "rule.channel: clicks are counted on every channel" },
    { "{\"event\":\"Order Placed\"}", "rule.event: “Order Placed” is not an event name" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\"~\",\"value\":1}]}",
      "rule.where[0].op: \"~\" is not an operator; use one of =, !=, >, >=, <, <=, contains" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"value\",\"op\":\">\","
      "\"value\":\"50\"}]}", "rule.where[0].value: the value of an event is a number" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"sku\",\"op\":\"=\",\"value\":\"x\"}]}",
      "rule.where[0].property: “sku” is not a property" },
    { "{\"event\":\"order_placed\",\"where\":[{\"property\":\"properties.sku\",\"op\":\"contains\","
      "\"value\":5}]}", "rule.where[0].op: contains compares text" },
    { "{\"event\":\"order_placed\",\"where\":{}}", "rule.where: {} is not a list" },
    { "{\"any\":[{\"not\":{\"field\":\"email\",\"op\":\"equals\"}}]}",
      "rule.any[0].not.value: nothing is not a text" },
    { "{\"all\":{\"tag\":\"vip\"}}", "rule.all: {\"tag\":\"vip\"} is not a list" },
    { "{\"tag\":\"vip\",\"event\":\"x\"}", "rule: a rule is one kind only" },
    { "[1,2]", "rule: [1,2] is not a rule" },
    { "{\"all\":[", "rule: not valid JSON" },
    { "", "rule: the rule is empty" },
    { "  \n ", "rule: the rule is empty" },
    { "{}", "rule: not a rule: give one of all, any, not, field" },
    { "{\"all\":[{\"tag\":\"vip\"},5]}", "rule.all[1]: 5 is not a rule" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcSegment) segment = tc_segment_new_from_json (cases[i].rule, &error);

      g_test_message ("%s → %s", cases[i].rule, error != NULL ? error->message : "(accepted)");
      g_assert_null (segment);
      g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_RULE);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("expected “%s…”, got “%s”", cases[i].message, error->message);
    }
}

static void
test_parse_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) many = g_string_new ("{\"field\":\"country\",\"op\":\"in\",\"value\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSegment) segment = NULL;
  g_autoptr(TcSegment) canonical = NULL;

  for (guint i = 0; i < 40; i++)
    g_string_append (deep, "{\"not\":");
  g_string_append (deep, "{\"tag\":\"vip\"}");
  for (guint i = 0; i < 40; i++)
    g_string_append_c (deep, '}');
  segment = tc_segment_new_from_json (deep->str, &error);
  g_assert_null (segment);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_RULE);
  g_assert_nonnull (strstr (error->message, "nest deeper than 32 levels"));
  g_clear_error (&error);

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (many, "%s\"C%u\"", i > 0 ? "," : "", i);
  g_string_append (many, "]}");
  segment = tc_segment_new_from_json (many->str, &error);
  g_assert_null (segment);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_RULE);
  g_clear_error (&error);

  /* The stored form is compact JSON of the same rule. */
  canonical = tc_segment_new_from_json ("{ \"tag\" :  \"vip\" }", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_segment_get_json (canonical), ==, "{\"tag\":\"vip\"}");
}

/* ------------------------------------------------------------------------
 * Saved segments
 */

static gint64
store_add (Fixture     *f,
           const char  *name,
           const char  *rule,
           GError     **error)
{
  g_autoptr(TcSegment) segment = tc_segment_new_from_json (rule, NULL);
  g_autoptr(GAsyncResult) res = NULL;

  g_assert_nonnull (segment);
  tc_segment_store_add_async (f->t.repo, name, segment, NULL, tc_repository_store_result_cb,
                              &res);
  tc_repository_wait (&res);

  return tc_segment_store_add_finish (f->t.repo, res, error);
}

static gboolean
store_update (Fixture     *f,
              const char  *name,
              const char  *new_name,
              const char  *rule,
              GError     **error)
{
  g_autoptr(TcSegment) segment = rule != NULL ? tc_segment_new_from_json (rule, NULL) : NULL;
  g_autoptr(GAsyncResult) res = NULL;

  tc_segment_store_update_async (f->t.repo, name, new_name, segment, NULL,
                                 tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_segment_store_update_finish (f->t.repo, res, error);
}

static TcSavedSegment *
store_get (Fixture     *f,
           const char  *name,
           GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_segment_store_get_async (f->t.repo, name, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_segment_store_get_finish (f->t.repo, res, error);
}

static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSavedSegment) saved = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GAsyncResult) list_res = NULL;
  g_autoptr(GAsyncResult) delete_res = NULL;
  g_autoptr(GAsyncResult) delete_again_res = NULL;
  gint64 vips;
  gint64 other;

  vips = store_add (f, "  VIPs ", "{\"tag\":\"vip\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vips, >, 0);

  /* Unique without regard to case, with the stored name in the message. */
  g_assert_cmpint (store_add (f, "vips", "{\"tag\":\"newsletter\"}", &error), ==, 0);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NAME_TAKEN);
  g_assert_nonnull (strstr (error->message, "“VIPs” exists already"));
  g_clear_error (&error);

  g_assert_cmpint (store_add (f, "   ", "{\"tag\":\"vip\"}", &error), ==, 0);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME);
  g_clear_error (&error);

  g_assert_cmpint (store_add (f, "Missing ref", "{\"segment\":\"nope\"}", &error), ==, 0);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "rule.segment: there is no saved segment called "
                                            "“nope”"));
  g_clear_error (&error);

  other = store_add (f, "US VIPs", "{\"all\":[{\"segment\":\"vips\"},"
                     "{\"field\":\"country\",\"op\":\"equals\",\"value\":\"US\"}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, >, vips);

  saved = store_get (f, "us vips", &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved->id, ==, other);
  g_assert_cmpstr (saved->name, ==, "US VIPs");
  /* The reference resolves when the rule runs: VIPs in the US. */
  assert_rule (f, tc_segment_get_json (saved->segment), "1,2");
  g_clear_pointer (&saved, tc_saved_segment_free);

  /* A circle is refused, directly or through another segment. */
  g_assert_false (store_update (f, "VIPs", NULL, "{\"segment\":\"US VIPs\"}", &error));
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_CYCLE);
  g_clear_error (&error);
  g_assert_false (store_update (f, "VIPs", NULL, "{\"segment\":\"vips\"}", &error));
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_CYCLE);
  g_clear_error (&error);

  /* Renaming onto another segment's name is refused; onto its own in
   * another case is fine. */
  g_assert_false (store_update (f, "VIPs", "us vips", NULL, &error));
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  g_assert_true (store_update (f, "VIPs", "vips", "{\"tag\":\"newsletter\"}", &error));
  g_assert_no_error (error);
  g_assert_false (store_update (f, "nobody", "x", NULL, &error));
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  saved = store_get (f, "VIPS", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->name, ==, "vips");
  g_assert_cmpstr (tc_segment_get_json (saved->segment), ==, "{\"tag\":\"newsletter\"}");
  g_clear_pointer (&saved, tc_saved_segment_free);

  tc_segment_store_list_async (f->t.repo, NULL, tc_repository_store_result_cb, &list_res);
  tc_repository_wait (&list_res);
  list = tc_segment_store_list_finish (f->t.repo, list_res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((TcSavedSegment *) g_ptr_array_index (list, 0))->name, ==, "US VIPs");
  g_assert_cmpstr (((TcSavedSegment *) g_ptr_array_index (list, 1))->name, ==, "vips");

  tc_segment_store_delete_async (f->t.repo, "Vips", NULL, tc_repository_store_result_cb,
                                 &delete_res);
  tc_repository_wait (&delete_res);
  g_assert_true (tc_segment_store_delete_finish (f->t.repo, delete_res, &error));
  g_assert_no_error (error);
  tc_segment_store_delete_async (f->t.repo, "vips", NULL, tc_repository_store_result_cb,
                                 &delete_again_res);
  tc_repository_wait (&delete_again_res);
  g_assert_false (tc_segment_store_delete_finish (f->t.repo, delete_again_res, &error));
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  saved = store_get (f, "vips", &error);
  g_assert_null (saved);
  g_assert_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TcSegment) segment = tc_segment_new_from_json ("{\"tag\":\"vip\"}", NULL);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  tc_segment_count_async (f->t.repo, segment, NOW, cancellable, tc_repository_store_result_cb,
                          &res);
  tc_repository_wait (&res);
  g_assert_false (tc_segment_count_finish (f->t.repo, res, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/segment/parse/errors", test_parse_errors);
  g_test_add_func ("/tc/segment/parse/limits", test_parse_limits);
  g_test_add ("/tc/segment/fields", Fixture, NULL, fixture_set_up, test_fields,
              fixture_tear_down);
  g_test_add ("/tc/segment/region", Fixture, NULL, fixture_set_up, test_region,
              fixture_tear_down);
  g_test_add ("/tc/segment/tags", Fixture, NULL, fixture_set_up, test_tags, fixture_tear_down);
  g_test_add ("/tc/segment/consent", Fixture, NULL, fixture_set_up, test_consent,
              fixture_tear_down);
  g_test_add ("/tc/segment/engagement", Fixture, NULL, fixture_set_up, test_engagement,
              fixture_tear_down);
  g_test_add ("/tc/segment/events", Fixture, NULL, fixture_set_up, test_events,
              fixture_tear_down);
  g_test_add ("/tc/segment/nesting", Fixture, NULL, fixture_set_up, test_nesting,
              fixture_tear_down);
  g_test_add ("/tc/segment/iterate-preview", Fixture, NULL, fixture_set_up,
              test_iterate_and_preview, fixture_tear_down);
  g_test_add ("/tc/segment/injection", Fixture, NULL, fixture_set_up, test_injection,
              fixture_tear_down);
  g_test_add ("/tc/segment/store", Fixture, NULL, fixture_set_up, test_store,
              fixture_tear_down);
  g_test_add ("/tc/segment/cancel", Fixture, NULL, fixture_set_up, test_cancel,
              fixture_tear_down);

  return g_test_run ();
}
