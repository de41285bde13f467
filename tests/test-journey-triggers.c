/* test-journey-triggers.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey triggers that are not events (src/journey/tc-journey-runner.c):
 * a keyword received (never a word that stops messages), an opt-in (the YES
 * of a double opt-in), a date attribute such as a birthday at a local time
 * in the contact's zone (zones, DST, 29 February, once a year), and entering
 * a saved segment (only those new to it, every 15 minutes). Driven by ticks
 * at exact times and by the simulated clock.
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-inbound.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-journey.h"
#include "tc-segment.h"
#include "tc-template-store.h"
#include "tc-test-util.h"

/* Tuesday 1 December 2026, 18:00 UTC: after the journeys are activated
 * (at the real time the test runs). */
#define NOW G_GINT64_CONSTANT (1796148000)
#define MINUTE 60
#define HOUR 3600
#define DAY (24 * HOUR)

typedef struct
{
  TcTestRepo t;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->t, "tc-journey-triggers-XXXXXX", "t.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

static gint64
raw_int (Fixture    *f,
         const char *sql)
{
  return tc_test_sql_int (f->t.path, sql);
}

static char *
raw_rows (Fixture    *f,
          const char *sql)
{
  return tc_test_sql_rows (f->t.path, sql);
}

static void
raw_exec (Fixture    *f,
          const char *sql)
{
  tc_test_sql_exec (f->t.path, sql);
}

static void
save_sms_template (Fixture    *f,
                   const char *name,
                   const char *text)
{
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_SMS, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_template_set_body (template, text);
  tc_repository_save_template_async (f->t.repo, template, NULL, tc_repository_store_result_cb,
                                     &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->t.repo, result, NULL, &error));
  g_assert_no_error (error);
}

static gint64
save_contact (Fixture    *f,
              const char *phone,
              const char *zone,
              const char *attribute,
              const char *value)
{
  g_autoptr(TcContact) contact = tc_contact_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_contact_set_phone (contact, phone);
  if (zone != NULL)
    {
      const char *zones[] = { zone, NULL };

      tc_contact_set_timezones (contact, zones);
    }
  if (attribute != NULL)
    tc_contact_set_attribute (contact, attribute, value);
  tc_repository_save_contact_async (f->t.repo, contact, NULL, tc_repository_store_result_cb,
                                    &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_contact_finish (f->t.repo, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tc_contact_get_id (contact), >, 0);

  return tc_contact_get_id (contact);
}

static void
consent (Fixture            *f,
         const char         *phone,
         TcChannel           channel,
         TcConsentEventKind  kind,
         gboolean            confirmed)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .kind = kind,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Text me offers",
    .create_contact = TRUE,
    .confirmed = confirmed,
  };

  tc_consent_ledger_record_async (f->t.repo, &request, NULL, tc_repository_store_result_cb,
                                  &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static void
inbound (Fixture    *f,
         TcChannel   channel,
         const char *phone,
         const char *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcInboundResult) done = NULL;
  g_autoptr(GError) error = NULL;

  tc_inbound_process_async (f->t.repo, channel, phone, body, NULL, 0, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  done = tc_inbound_process_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (done);
}

/* Waits for the wall clock's next second: what was recorded before is
 * then strictly before an activation that follows (times are seconds). */
static void
next_second (void)
{
  gint64 second = g_get_real_time () / G_USEC_PER_SEC;

  while (g_get_real_time () / G_USEC_PER_SEC == second)
    g_usleep (20 * 1000);
}

/* A journey: @trigger (JSON with single quotes) → an SMS → exit. */
static gint64
add_journey (Fixture    *f,
             const char *trigger,
             const char *reentry)
{
  g_autofree char *json = g_strdup_printf (
    "{'name': 'T', 'reentry': {'policy': '%s'},"
    " 'nodes': ["
    "  {'id': 'trigger', 'kind': 'trigger', 'config': %s},"
    "  {'id': 'sms', 'kind': 'send_sms', 'config': {'template': 'hello', 'purpose': 'promotional'},"
    "   'ends': ['sent', 'skipped']}],"
    " 'edges': [{'from': 'trigger', 'port': 'next', 'to': 'sms'}]}", reentry, trigger);
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int version = 0;

  g_strdelimit (json, "'", '"');
  journey = tc_journey_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  save_sms_template (f, "hello", "Hello {{first_name|there}}");

  tc_journey_store_add_async (f->t.repo, journey, NULL, NULL, tc_repository_store_result_cb,
                              &result);
  tc_repository_wait (&result);
  id = tc_journey_store_add_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tc_journey_store_activate_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_journey_store_activate_finish (f->t.repo, result, &version, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);

  return id;
}

static TcJourneyTick
tick (Fixture *f,
      gint64   now)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyTickOptions options = { 0, };
  TcJourneyTick out = { 0, };

  options.now = now;
  tc_journey_runner_tick_async (f->t.repo, &options, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_runner_tick_finish (f->t.repo, result, &out, &error));
  g_assert_no_error (error);

  return out;
}

static gint64
enrolled (Fixture *f)
{
  return raw_int (f, "SELECT count (*) FROM journey_enrollments");
}

static gint64
utc (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

/* ------------------------------------------------------------------------
 * Keywords
 */

static void
test_keyword_refuses_stop (void)
{
  static const char * const stops[] = { "STOP", "stop", "Unsubscribe", "ARRET", "baja" };

  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"name\": \"K\", \"nodes\": [{\"id\": \"t\", \"kind\": \"trigger\","
        " \"config\": {\"event\": \"keyword\", \"keyword\": \"%s\"}}]}", stops[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TcJourney) journey = tc_journey_new_from_data (json, -1, &error);

      g_test_message ("keyword %s", stops[i]);
      g_assert_null (journey);
      g_assert_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "stop messages"));
    }
}

static const struct
{
  const char *name;
  const char *keyword;     /* the trigger's */
  TcChannel   channel;
  const char *body;        /* what the contact sends */
  gboolean    enrols;
} keyword_cases[] = {
  { "exact", "JOIN", TC_CHANNEL_SMS, "JOIN", TRUE },
  { "case-and-punctuation", "JOIN", TC_CHANNEL_SMS, "  join! ", TRUE },
  { "accents", "CAFE", TC_CHANNEL_SMS, "Café", TRUE },
  { "lower-case-trigger", "deals", TC_CHANNEL_WHATSAPP, "DEALS", TRUE },
  { "in-a-sentence", "JOIN", TC_CHANNEL_SMS, "I want to join", FALSE },
  { "another-word", "JOIN", TC_CHANNEL_SMS, "JOINT", FALSE },
  { "stop", "JOIN", TC_CHANNEL_SMS, "STOP", FALSE },
  /* A custom keyword that unsubscribes (keywords.custom) never enrols. */
  { "custom-unsubscribe", "LEAVE", TC_CHANNEL_SMS, "leave", FALSE },
};

static void
test_keyword (Fixture       *f,
              gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *trigger = g_strdup_printf ("{'event': 'keyword', 'keyword': '%s'}",
                                              keyword_cases[i].keyword);
  g_autofree char *rows = NULL;
  const char *phone = "+447911123451";

  raw_exec (f, "INSERT INTO settings (key, value, updated_at) VALUES ('keywords.custom',"
               " '[{\"keyword\":\"LEAVE\",\"purpose\":\"promotional\",\"action\":\"unsubscribe\"}]', 0)");
  /* A message before the journey exists enrols nobody. */
  save_contact (f, phone, "Europe/London", NULL, NULL);
  inbound (f, keyword_cases[i].channel, phone, keyword_cases[i].body);
  next_second ();
  add_journey (f, trigger, "every_time");
  tick (f, NOW);
  g_assert_cmpint (enrolled (f), ==, 0);

  inbound (f, keyword_cases[i].channel, phone, keyword_cases[i].body);
  tick (f, NOW + MINUTE);
  g_assert_cmpint (enrolled (f), ==, keyword_cases[i].enrols ? 1 : 0);
  if (!keyword_cases[i].enrols)
    return;

  rows = raw_rows (f, "SELECT state, node, json_extract (context, '$.keyword'),"
                      " json_extract (context, '$.channel') FROM journey_enrollments");
  {
    g_autofree char *want = NULL;
    g_autofree char *norm = g_ascii_strup (keyword_cases[i].keyword, -1);

    want = g_strdup_printf ("completed|sms|%s|%s\n", norm,
                            keyword_cases[i].channel == TC_CHANNEL_SMS ? "sms" : "whatsapp");
    g_assert_cmpstr (rows, ==, want);
  }

  /* Read again (the cursor lost): the same message never enrols twice. */
  raw_exec (f, "DELETE FROM settings WHERE key = 'journeys.inbound_cursor'");
  tick (f, NOW + 2 * MINUTE);
  g_assert_cmpint (enrolled (f), ==, 1);
  /* A second message is a second entry (every time). */
  inbound (f, keyword_cases[i].channel, phone, keyword_cases[i].body);
  tick (f, NOW + 3 * MINUTE);
  g_assert_cmpint (enrolled (f), ==, 2);
}

/* ------------------------------------------------------------------------
 * Opt-ins (the consent ledger)
 */

static void
test_opted_in (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *rows = NULL;

  /* Opted in before the journey: not new. */
  consent (f, "+447911123450", TC_CHANNEL_SMS, TC_CONSENT_EVENT_OPTED_IN, TRUE);
  next_second ();
  add_journey (f, "{'event': 'opted_in', 'channel': 'sms'}", "once");
  tick (f, NOW);
  g_assert_cmpint (enrolled (f), ==, 0);

  /* Single opt-in by SMS: enrols; on WhatsApp: not this journey. */
  consent (f, "+447911123451", TC_CHANNEL_SMS, TC_CONSENT_EVENT_OPTED_IN, FALSE);
  consent (f, "+447911123452", TC_CHANNEL_WHATSAPP, TC_CONSENT_EVENT_OPTED_IN, FALSE);
  /* Double opt-in: the request enrols nobody, the YES does. */
  raw_exec (f, "INSERT INTO settings (key, value, updated_at)"
               " VALUES ('consent.double_optin.sms', 'true', 0)");
  consent (f, "+447911123453", TC_CHANNEL_SMS, TC_CONSENT_EVENT_OPTED_IN, FALSE);
  tick (f, NOW + MINUTE);
  rows = raw_rows (f, "SELECT c.phone, json_extract (e.context, '$.method')"
                      " FROM journey_enrollments e JOIN contacts c ON c.id = e.contact_id"
                      " ORDER BY e.id");
  g_assert_cmpstr (rows, ==, "+447911123451|single\n");
  g_clear_pointer (&rows, g_free);

  inbound (f, TC_CHANNEL_SMS, "+447911123453", "YES");
  tick (f, NOW + 2 * MINUTE);
  rows = raw_rows (f, "SELECT c.phone, json_extract (e.context, '$.method')"
                      " FROM journey_enrollments e JOIN contacts c ON c.id = e.contact_id"
                      " ORDER BY e.id");
  g_assert_cmpstr (rows, ==, "+447911123451|single\n+447911123453|double\n");
}

/* ------------------------------------------------------------------------
 * A date attribute
 */

static const struct
{
  const char *name;
  const char *zone;        /* the contact's stored zone; NULL: from the number */
  const char *phone;
  const char *value;       /* the attribute */
  const char *time;        /* the trigger's time of day */
  const char *at;          /* when they enter (UTC); NULL: never */
} date_cases[] = {
  { "utc", "Etc/UTC", "+447911123401", "1990-12-17", "09:00", "2026-12-17T09:00:00Z" },
  { "london-winter", "Europe/London", "+447911123402", "1985-01-05", "09:00", "2027-01-05T09:00:00Z" },
  { "london-summer", "Europe/London", "+447911123403", "1985-07-05", "09:00", "2027-07-05T08:00:00Z" },
  { "tokyo", "Asia/Tokyo", "+447911123404", "1990-05-17", "09:00", "2027-05-17T00:00:00Z" },
  /* Sydney's summer time in January: UTC+11, the day before in UTC. */
  { "sydney", "Australia/Sydney", "+447911123405", "2001-01-10", "09:00", "2027-01-09T22:00:00Z" },
  { "los-angeles", "America/Los_Angeles", "+447911123406", "1970-12-24", "18:30", "2026-12-25T02:30:00Z" },
  /* The morning the clocks go forward: 02:30 does not exist in New
   * York on 14 March 2027; it is the moment they jump to, 03:00 EDT. */
  { "dst-gap", "America/New_York", "+447911123407", "1980-03-14", "02:30", "2027-03-14T07:00:00Z" },
  /* The morning after: 09:00 EDT again. */
  { "after-dst", "America/New_York", "+447911123408", "1980-03-15", "09:00", "2027-03-15T13:00:00Z" },
  /* 29 February in a year without one: 28 February. */
  { "leap-day", "Etc/UTC", "+447911123409", "2000-02-29", "09:00", "2027-02-28T09:00:00Z" },
  { "month-day-only", "Etc/UTC", "+447911123410", "--12-20", "10:00", "2026-12-20T10:00:00Z" },
  { "no-year", "Etc/UTC", "+447911123411", "12-21", "10:00", "2026-12-21T10:00:00Z" },
  { "date-and-time", "Etc/UTC", "+447911123412", "1990-12-22T15:00:00Z", "10:00", "2026-12-22T10:00:00Z" },
  /* No stored zone: the number's (Japan). */
  { "zone-from-number", NULL, "+81312345678", "1990-05-17", "09:00", "2027-05-17T00:00:00Z" },
  { "not-a-date", "Etc/UTC", "+447911123413", "17/05/1990", "09:00", NULL },
  { "no-such-day", "Etc/UTC", "+447911123414", "1990-02-30", "09:00", NULL },
  { "empty", "Etc/UTC", "+447911123415", "", "09:00", NULL },
};

static void
test_date (Fixture       *f,
           gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *trigger = g_strdup_printf ("{'event': 'date_attribute', 'attribute': 'birthday',"
                                              " 'time': '%s'}", date_cases[i].time);
  gint64 at, next_year;
  TcJourneyTick done;

  save_contact (f, date_cases[i].phone, date_cases[i].zone, "birthday", date_cases[i].value);
  add_journey (f, trigger, "every_time");

  done = tick (f, NOW);
  g_assert_cmpint (enrolled (f), ==, 0);
  if (date_cases[i].at == NULL)
    {
      /* Nothing ever comes round: a year of looks enrols nobody. */
      g_assert_cmpint (done.next_trigger, ==, 0);
      for (gint64 t = NOW + 15 * MINUTE; t < NOW + 400 * DAY; t += 7 * DAY)
        tick (f, t);
      g_assert_cmpint (enrolled (f), ==, 0);
      return;
    }

  at = utc (date_cases[i].at);
  /* The tick knows when the next date comes. */
  g_assert_cmpint (done.next_trigger, ==, at);
  tick (f, at - 1);
  g_assert_cmpint (enrolled (f), ==, 0);
  tick (f, at);
  g_assert_cmpint (enrolled (f), ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT entered_at FROM journey_enrollments"), ==, at);

  /* Once a year: later that day, and with the memory lost, nothing more. */
  tick (f, at + 20 * MINUTE);
  raw_exec (f, "DELETE FROM settings WHERE key LIKE 'journeys.date.%'");
  tick (f, at + 40 * MINUTE);
  g_assert_cmpint (enrolled (f), ==, 1);

  /* The next year, again (every time). */
  next_year = at + 365 * DAY;
  if (strstr (date_cases[i].name, "leap") == NULL && strstr (date_cases[i].name, "dst") == NULL)
    {
      /* (A year later is 365 or 366 days on.) */
      for (gint64 t = next_year - DAY; t <= next_year + 2 * DAY; t += 12 * HOUR)
        tick (f, t);
      g_assert_cmpint (enrolled (f), ==, 2);
    }
}

/* A run on the simulated clock with an end stops at the birthday and
 * sends there; without an end a date trigger does not keep it going. */
static void
test_date_simulated (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TcJourneyClock) clock = tc_journey_clock_new_simulated (NOW);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyRunTotals totals = { 0, };

  save_contact (f, "+447911123401", "Asia/Tokyo", "birthday", "1990-12-17");
  consent (f, "+447911123401", TC_CHANNEL_SMS, TC_CONSENT_EVENT_OPTED_IN, FALSE);
  add_journey (f, "{'event': 'date_attribute', 'attribute': 'birthday', 'time': '09:00'}",
               "every_time");

  tc_journey_runner_run_async (f->t.repo, clock, NOW + 30 * DAY, 0, NULL, NULL, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_runner_run_finish (f->t.repo, result, &totals, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (totals.enrolled, ==, 1);
  g_assert_cmpuint (totals.queued, ==, 1);
  g_assert_cmpint (raw_int (f, "SELECT entered_at FROM journey_enrollments"), ==,
                   utc ("2026-12-17T00:00:00Z"));
  g_assert_cmpint (raw_int (f, "SELECT created_at FROM outbox"), ==, utc ("2026-12-17T00:00:00Z"));
  g_clear_object (&result);

  /* No end: the run stops when no step is due, not at the next birthday. */
  tc_journey_runner_run_async (f->t.repo, clock, 0, 0, NULL, NULL, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_runner_run_finish (f->t.repo, result, &totals, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (totals.enrolled, ==, 0);
  g_assert_cmpuint (totals.ticks, ==, 1);
}

/* ------------------------------------------------------------------------
 * Entered a segment
 */

static void
tag (Fixture    *f,
     gint64      contact,
     gboolean    on)
{
  g_autofree char *sql = on
    ? g_strdup_printf ("INSERT OR IGNORE INTO tags (name) VALUES ('vip');"
                       "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
                       " SELECT %" G_GINT64_FORMAT ", id FROM tags WHERE name = 'vip'", contact)
    : g_strdup_printf ("DELETE FROM contact_tags WHERE contact_id = %" G_GINT64_FORMAT, contact);

  raw_exec (f, sql);
}

static void
save_segment (Fixture    *f,
              const char *name,
              const char *rule)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSegment) segment = tc_segment_new_from_json (rule, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  tc_segment_store_add_async (f->t.repo, name, segment, NULL, tc_repository_store_result_cb,
                              &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_segment_store_add_finish (f->t.repo, result, &error), >, 0);
  g_assert_no_error (error);
}

static const struct
{
  const char *name;
  const char *reentry;
  /* Per look (every 15 minutes from NOW): who has the tag ("a", "b",
   * "c": contacts 1–3, "" nobody), and who has entered by then. */
  const char *tagged[6];
  const char *entered[6];
} segment_cases[] = {
  /* a was in the segment before: not new. b joins: enters once. */
  { "newcomer", "every_time",
    { "a", "ab", "ab", "ab", "ab", "ab" },
    { "", "b", "b", "b", "b", "b" } },
  /* Leaves and comes back: new again, every time... */
  { "comes-back-every-time", "every_time",
    { "", "b", "", "b", "bc", "" },
    { "", "b", "b", "bb", "bbc", "bbc" } },
  /* ...but only once with "once". */
  { "comes-back-once", "once",
    { "", "b", "", "b", "bc", "" },
    { "", "b", "b", "b", "bc", "bc" } },
  /* Everyone in at the first look: nobody enters. */
  { "all-there-first", "every_time",
    { "abc", "abc", "abc", "abc", "abc", "abc" },
    { "", "", "", "", "", "" } },
};

static void
test_segment (Fixture       *f,
              gconstpointer  data)
{
  guint i = GPOINTER_TO_UINT (data);
  gint64 ids[3];

  ids[0] = save_contact (f, "+447911123461", "Europe/London", NULL, NULL);
  ids[1] = save_contact (f, "+447911123462", "Europe/London", NULL, NULL);
  ids[2] = save_contact (f, "+447911123463", "Europe/London", NULL, NULL);
  save_segment (f, "VIPs", "{\"tag\": \"vip\"}");
  add_journey (f, "{'event': 'entered_segment', 'segment': 'VIPs'}", segment_cases[i].reentry);

  for (guint look = 0; look < 6; look++)
    {
      g_autoptr(GString) want = g_string_new ("");
      g_autofree char *have = NULL;
      gint64 at = NOW + (gint64) look * 15 * MINUTE;

      for (guint c = 0; c < 3; c++)
        tag (f, ids[c], strchr (segment_cases[i].tagged[look], 'a' + (int) c) != NULL);
      /* Between looks nothing is counted again. */
      if (look > 0)
        {
          gint64 before = enrolled (f);

          tick (f, at - 5 * MINUTE);
          g_assert_cmpint (enrolled (f), ==, before);
        }
      tick (f, at);

      for (const char *p = segment_cases[i].entered[look]; *p != '\0'; p++)
        g_string_append_printf (want, "%" G_GINT64_FORMAT "\n", ids[*p - 'a']);
      have = raw_rows (f, "SELECT contact_id FROM journey_enrollments ORDER BY contact_id, id");
      g_test_message ("look %u", look);
      g_assert_cmpstr (have, ==, want->str);
    }
}

/* The member lists kept between looks hold long runs and gaps. */
static void
test_segment_many (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) sql = g_string_new ("INSERT OR IGNORE INTO tags (name) VALUES ('vip');");
  gint64 first;

  for (guint c = 0; c < 300; c++)
    {
      g_autofree char *phone = g_strdup_printf ("+4479111%05u", 20000 + c);

      save_contact (f, phone, "Europe/London", NULL, NULL);
    }
  first = raw_int (f, "SELECT min (id) FROM contacts");
  /* Tag every third, and a run of 50. */
  g_string_append_printf (sql, "INSERT INTO contact_tags (contact_id, tag_id)"
                               " SELECT c.id, t.id FROM contacts c, tags t WHERE t.name = 'vip'"
                               " AND ((c.id - %" G_GINT64_FORMAT ") %% 3 = 0"
                               "  OR c.id - %" G_GINT64_FORMAT " BETWEEN 100 AND 149)",
                          first, first);
  raw_exec (f, sql->str);
  save_segment (f, "VIPs", "{\"tag\": \"vip\"}");
  add_journey (f, "{'event': 'entered_segment', 'segment': 'VIPs'}", "every_time");
  tick (f, NOW);
  g_assert_cmpint (enrolled (f), ==, 0);

  /* Everyone else joins: exactly they enter (300 - 100 - 50 + the 16
   * multiples of 3 in the run). */
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM contacts c WHERE NOT EXISTS"
                               " (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id)"), ==, 166);
  raw_exec (f, "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
               " SELECT c.id, t.id FROM contacts c, tags t WHERE t.name = 'vip'");
  tick (f, NOW + 15 * MINUTE);
  g_assert_cmpint (enrolled (f), ==, 166);
  g_assert_cmpint (raw_int (f, "SELECT count (DISTINCT contact_id) FROM journey_enrollments"), ==,
                   enrolled (f));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/journey-triggers/keyword/refuses-stop", test_keyword_refuses_stop);
  for (guint i = 0; i < G_N_ELEMENTS (keyword_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tc/journey-triggers/keyword/%s",
                                               keyword_cases[i].name);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_keyword,
                  fixture_tear_down);
    }
  g_test_add ("/tc/journey-triggers/opted-in", Fixture, NULL, fixture_set_up, test_opted_in,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tc/journey-triggers/date/%s", date_cases[i].name);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_date,
                  fixture_tear_down);
    }
  g_test_add ("/tc/journey-triggers/date/simulated", Fixture, NULL, fixture_set_up,
              test_date_simulated, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (segment_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tc/journey-triggers/segment/%s",
                                               segment_cases[i].name);

      g_test_add (path, Fixture, GUINT_TO_POINTER (i), fixture_set_up, test_segment,
                  fixture_tear_down);
    }
  g_test_add ("/tc/journey-triggers/segment/many", Fixture, NULL, fixture_set_up,
              test_segment_many, fixture_tear_down);

  return g_test_run ();
}
