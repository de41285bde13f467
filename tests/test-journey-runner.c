/* test-journey-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey runner (src/journey/tc-journey-runner.c) on a simulated
 * clock: the cart journey for buyers and non-buyers, the WhatsApp → SMS
 * fallback, quiet hours, re-entry policies, a version change mid-journey,
 * and a runner killed at every step — nothing sent twice, nothing skipped.
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-events.h"
#include "tc-inbound.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-journey.h"
#include "tc-template-store.h"
#include "tc-test-util.h"
#include "tc-wa-template.h"

/* Tuesday 1 December 2026, 18:00 UTC: 18:00 in London, inside the
 * quiet-hours window (08:00–21:00). In the future, so that every consent
 * (recorded now) comes before it. */
#define NOW G_GINT64_CONSTANT (1796148000)
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
  tc_test_repo_set_up (&f->t, "tc-journey-runner-XXXXXX", "t.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->t);
}

static void
reopen (Fixture *f)
{
  tc_test_repo_reopen (&f->t);
}

static gint64
raw_int (Fixture    *f,
         const char *sql)
{
  return tc_test_sql_int (f->t.path, sql);
}

static char *
raw_text (Fixture    *f,
          const char *sql)
{
  return tc_test_sql_text (f->t.path, sql);
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
save_template (Fixture        *f,
               TcTemplateKind  kind,
               const char     *name,
               const char     *text)
{
  g_autoptr(TcTemplate) template = tc_template_new (kind, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == TC_TEMPLATE_KIND_SMS)
    tc_template_set_body (template, text);
  else
    {
      g_autoptr(TcWaTemplate) model = tc_wa_template_new (name, "en_US", TC_WA_CATEGORY_MARKETING);
      g_autoptr(JsonNode) definition = NULL;
      g_autofree char *json = NULL;

      tc_wa_template_set_body (model, text);
      tc_wa_template_set_body_param (model, 1, "Ana", "{{first_name|there}}");
      tc_wa_template_set_status (model, TC_WA_STATUS_APPROVED, NULL);
      definition = tc_wa_template_to_json (model);
      json = json_to_string (definition, FALSE);
      tc_template_set_definition (template, json);
    }
  tc_repository_save_template_async (f->t.repo, template, NULL, tc_repository_store_result_cb,
                                     &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->t.repo, result, NULL, &error));
  g_assert_no_error (error);
}

static void
opt_in (Fixture    *f,
        const char *phone,
        TcChannel   channel)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Text me offers",
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->t.repo, &request, NULL, tc_repository_store_result_cb,
                                  &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static void
record_event (Fixture    *f,
              const char *phone,
              const char *name,
              gint64      at,
              const char *properties)
{
  g_autoptr(TcEvent) event = tc_event_new (name, phone);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  event->occurred_at = at;
  event->properties = g_strdup (properties);
  tc_events_record_async (f->t.repo, event, NULL, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_events_record_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_true (outcome->inserted);
}

/* The cart journey: an SMS an hour after the cart is abandoned; a day
 * later, unless they ordered, a WhatsApp message that falls back to SMS
 * for those without WhatsApp consent. Goal: order_placed. */
static const char cart_journey[] =
  "{'name': 'Cart', 'reentry': %s,"
  " 'goals': [{'event': 'order_placed'}],"
  " 'nodes': ["
  "  {'id': 'trigger', 'kind': 'trigger', 'config': {'event': 'cart_abandoned'}},"
  "  {'id': 'wait-1h', 'kind': 'wait', 'config': {'duration': 3600}},"
  "  {'id': 'sms', 'kind': 'send_sms', 'config': {'template': '%s', 'purpose': 'promotional'}},"
  "  {'id': 'wait-23h', 'kind': 'wait', 'config': {'duration': 82800}},"
  "  {'id': 'ordered', 'kind': 'branch', 'config': {'condition': {'event': 'order_placed'}}},"
  "  {'id': 'bought', 'kind': 'exit'},"
  "  {'id': 'whatsapp', 'kind': 'send_whatsapp', 'config': {'template': 'cart_wa',"
  "     'purpose': 'promotional',"
  "     'fallback': {'template': 'cart_sms_last', 'on': ['no_consent', 'not_on_whatsapp']}},"
  "   'ends': ['skipped']},"
  "  {'id': 'done', 'kind': 'exit'}],"
  " 'edges': ["
  "  {'from': 'trigger', 'port': 'next', 'to': 'wait-1h'},"
  "  {'from': 'wait-1h', 'port': 'next', 'to': 'sms'},"
  "  {'from': 'sms', 'port': 'sent', 'to': 'wait-23h'},"
  "  {'from': 'sms', 'port': 'skipped', 'to': 'wait-23h'},"
  "  {'from': 'wait-23h', 'port': 'next', 'to': 'ordered'},"
  "  {'from': 'ordered', 'port': 'yes', 'to': 'bought'},"
  "  {'from': 'ordered', 'port': 'no', 'to': 'whatsapp'},"
  "  {'from': 'whatsapp', 'port': 'sent', 'to': 'done'}]}";

static char *
reentry_json (const char *policy,
              guint       days)
{
  if (strcmp (policy, "once_per_days") == 0)
    return g_strdup_printf ("{'policy': '%s', 'days': %u}", policy, days);

  return g_strdup_printf ("{'policy': '%s'}", policy);
}

static TcJourney *
journey_from (const char *json_with_single_quotes)
{
  g_autofree char *json = g_strdup (json_with_single_quotes);
  g_autoptr(GError) error = NULL;
  TcJourney *journey;

  g_strdelimit (json, "'", '"');
  journey = tc_journey_new_from_data (json, -1, &error);
  g_assert_no_error (error);

  return journey;
}

static gint64
add_and_activate (Fixture   *f,
                  TcJourney *journey)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int version = 0;

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
  g_assert_cmpint (version, >=, 1);

  return id;
}

static gint64
set_up_cart (Fixture    *f,
             const char *policy,
             guint       days,
             const char *sms_template)
{
  g_autofree char *reentry = reentry_json (policy, days);
  g_autofree char *json = g_strdup_printf (cart_journey, reentry, sms_template);
  g_autoptr(TcJourney) journey = NULL;

  /* No frequency cap: the journey sends several promotional messages. */
  raw_exec (f, "INSERT INTO settings (key, value, updated_at) VALUES ('caps.promotional.count', '0', 0)"
               " ON CONFLICT (key) DO UPDATE SET value = '0'");
  save_template (f, TC_TEMPLATE_KIND_SMS, "cart_sms",
                 "Hi {{first_name|there}}, your cart is waiting: {{event.cart_url}}");
  save_template (f, TC_TEMPLATE_KIND_SMS, "cart_sms_v2", "New text: {{event.cart_url}}");
  save_template (f, TC_TEMPLATE_KIND_SMS, "cart_sms_last", "Last call for your cart: {{event.cart_url}}");
  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "cart_wa", "Hi {{1}}, your cart misses you.");

  journey = journey_from (json);
  return add_and_activate (f, journey);
}

static gboolean
tick (Fixture               *f,
      gint64                 now,
      guint                  max_steps,
      guint                  abort_after,
      TcJourneyTick         *out,
      GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  TcJourneyTickOptions options = { 0, };
  TcJourneyTick local;

  options.now = now;
  options.max_steps = max_steps;
  options.abort_after = abort_after;
  tc_journey_runner_tick_async (f->t.repo, &options, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_journey_runner_tick_finish (f->t.repo, result, out != NULL ? out : &local, error);
}

/* Runs the simulated clock from @from to @until (0: until nothing is due). */
static TcJourneyRunTotals
run_sim (Fixture *f,
         gint64   from,
         gint64   until)
{
  g_autoptr(TcJourneyClock) clock = tc_journey_clock_new_simulated (from);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyRunTotals totals = { 0, };

  tc_journey_runner_run_async (f->t.repo, clock, until, 0, NULL, NULL, NULL,
                               tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_runner_run_finish (f->t.repo, result, &totals, &error));
  g_assert_no_error (error);
  if (until > 0)
    g_assert_cmpint (totals.clock, ==, until);

  return totals;
}

static TcJourneyStats *
stats (Fixture *f,
       gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyStats *stats;

  tc_journey_runner_stats_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  stats = tc_journey_runner_stats_finish (f->t.repo, result, &error);
  g_assert_no_error (error);

  return stats;
}

static const TcJourneyNodeStats *
node_stats (TcJourneyStats *stats,
            const char     *node)
{
  for (guint i = 0; i < stats->nodes->len; i++)
    {
      const TcJourneyNodeStats *entry = g_ptr_array_index (stats->nodes, i);

      if (strcmp (entry->node, node) == 0)
        return entry;
    }
  g_assert_not_reached ();
}

/* ------------------------------------------------------------------------
 * The cart journey, per kind of contact
 */

static const struct
{
  const char *name;
  const char *phone;
  gboolean    sms_consent;
  gboolean    wa_consent;
  gint64      buys_after;   /* seconds after the cart; 0 = never */
  const char *messages;     /* channel:state:template word per outbox row, in order */
  const char *state;        /* the enrollment at the end */
  const char *node;
} cart_cases[] = {
  /* Buys after the SMS: the goal ends the journey in the 23-hour wait. */
  { "buyer", "+447911123451", TRUE, TRUE, 2 * HOUR,
    "sms:queued:cart\n", "converted", "wait-23h" },
  /* Does not buy: the WhatsApp follow-up a day later. */
  { "no-buyer", "+447911123452", TRUE, TRUE, 0,
    "sms:queued:cart\nwhatsapp:queued:\n", "exited", "done" },
  /* No WhatsApp consent: the last call goes by SMS instead. */
  { "no-whatsapp-consent", "+447911123453", TRUE, FALSE, 0,
    "sms:queued:cart\nsms:queued:Last\n", "exited", "done" },
  /* No consent at all: both skipped, and the journey ends at WhatsApp. */
  { "no-consent", "+447911123454", FALSE, FALSE, 0,
    "sms:skipped:cart\nsms:skipped:Last\n", "completed", "whatsapp" },
};

static void
test_cart_cases (Fixture       *f,
                 gconstpointer  data)
{
  gint64 id = set_up_cart (f, "once", 0, "cart_sms");
  g_autoptr(TcJourneyStats) result = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cart_cases); i++)
    {
      if (cart_cases[i].sms_consent)
        opt_in (f, cart_cases[i].phone, TC_CHANNEL_SMS);
      if (cart_cases[i].wa_consent)
        opt_in (f, cart_cases[i].phone, TC_CHANNEL_WHATSAPP);
      record_event (f, cart_cases[i].phone, "cart_abandoned", NOW,
                    "{\"cart_url\": \"https://shop.example/c/1\"}");
    }

  /* Past the SMS, before the WhatsApp message. */
  run_sim (f, NOW, NOW + 2 * HOUR);
  for (guint i = 0; i < G_N_ELEMENTS (cart_cases); i++)
    if (cart_cases[i].buys_after > 0)
      record_event (f, cart_cases[i].phone, "order_placed", NOW + cart_cases[i].buys_after, "{}");
  run_sim (f, NOW + 2 * HOUR, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cart_cases); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *rows = NULL;
      g_autofree char *state = NULL;

      g_test_message ("%s", cart_cases[i].name);
      sql = g_strdup_printf ("SELECT o.channel || ':' || o.state || ':' ||"
                             "  CASE WHEN o.body LIKE '%%your cart is waiting: https://shop.example/c/1%%'"
                             "  THEN 'cart' WHEN o.body LIKE 'Last call for your cart: https://shop.example/c/1%%'"
                             "  THEN 'Last' ELSE '' END"
                             " FROM outbox o JOIN contacts c ON c.id = o.contact_id"
                             " WHERE c.phone = '%s' ORDER BY o.id", cart_cases[i].phone);
      rows = raw_rows (f, sql);
      g_assert_cmpstr (rows, ==, cart_cases[i].messages);
      g_free (sql);
      sql = g_strdup_printf ("SELECT e.state || ':' || e.node FROM journey_enrollments e"
                             " JOIN contacts c ON c.id = e.contact_id WHERE c.phone = '%s'",
                             cart_cases[i].phone);
      state = raw_text (f, sql);
      g_free (sql);
      sql = g_strconcat (cart_cases[i].state, ":", cart_cases[i].node, NULL);
      g_assert_cmpstr (state, ==, sql);
    }

  /* The statistics: per node. */
  result = stats (f, id);
  g_assert_cmpuint (result->enrolled, ==, 4);
  g_assert_cmpuint (result->converted, ==, 1);
  g_assert_cmpuint (result->active, ==, 0);
  g_assert_cmpuint (node_stats (result, "trigger")->passed, ==, 4);
  g_assert_cmpuint (node_stats (result, "sms")->passed, ==, 4);
  g_assert_cmpuint (node_stats (result, "sms")->sent, ==, 3);
  g_assert_cmpuint (node_stats (result, "wait-23h")->converted, ==, 1);
  g_assert_cmpuint (node_stats (result, "wait-23h")->passed, ==, 3);
  g_assert_cmpuint (node_stats (result, "whatsapp")->passed, ==, 3);
  g_assert_cmpuint (node_stats (result, "whatsapp")->sent, ==, 2);
  g_assert_cmpuint (node_stats (result, "done")->passed, ==, 2);
  g_assert_cmpuint (node_stats (result, "bought")->passed, ==, 0);
  g_assert_cmpstr (node_stats (result, "whatsapp")->kind, ==, "send_whatsapp");
}

/* While they wait, contacts count as waiting at their node. */
static void
test_waiting_stats (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = set_up_cart (f, "once", 0, "cart_sms");
  g_autoptr(TcJourneyStats) result = NULL;

  opt_in (f, "+447911123451", TC_CHANNEL_SMS);
  record_event (f, "+447911123451", "cart_abandoned", NOW, "{}");
  run_sim (f, NOW, NOW + 30 * 60);
  result = stats (f, id);
  g_assert_cmpuint (node_stats (result, "wait-1h")->waiting, ==, 1);
  g_assert_cmpuint (node_stats (result, "sms")->waiting, ==, 0);
  g_assert_cmpuint (result->active, ==, 1);
  g_clear_pointer (&result, tc_journey_stats_free);

  run_sim (f, NOW + 30 * 60, NOW + 2 * HOUR);
  result = stats (f, id);
  g_assert_cmpuint (node_stats (result, "wait-1h")->waiting, ==, 0);
  g_assert_cmpuint (node_stats (result, "wait-23h")->waiting, ==, 1);
  g_assert_cmpuint (node_stats (result, "sms")->sent, ==, 1);
}

/* Quiet hours defer the message, not drop it: the row waits until the
 * window opens and the journey's next node starts from then. */
static void
test_quiet_hours (Fixture       *f,
                  gconstpointer  data)
{
  /* 20:30 in London: the SMS falls at 21:30, after the window. */
  gint64 start = NOW + 2 * HOUR + 30 * 60;
  gint64 morning = NOW + 14 * HOUR;   /* 08:00 the next day */
  g_autofree char *row = NULL;
  g_autofree char *enrollment = NULL;
  g_autofree char *expected = NULL;

  set_up_cart (f, "once", 0, "cart_sms");
  opt_in (f, "+447911123451", TC_CHANNEL_SMS);
  record_event (f, "+447911123451", "cart_abandoned", start, "{}");
  run_sim (f, start, start + 2 * HOUR);

  row = raw_rows (f, "SELECT state, reason, due_at FROM outbox");
  expected = g_strdup_printf ("deferred|quiet_hours|%" G_GINT64_FORMAT "\n", morning);
  g_assert_cmpstr (row, ==, expected);
  g_free (expected);
  enrollment = raw_rows (f, "SELECT node, state, due_at FROM journey_enrollments");
  expected = g_strdup_printf ("wait-23h|active|%" G_GINT64_FORMAT "\n", morning);
  g_assert_cmpstr (enrollment, ==, expected);
  g_free (enrollment);
  g_free (expected);

  /* At 08:00 the 23-hour wait starts. */
  run_sim (f, start + 2 * HOUR, morning + HOUR);
  enrollment = raw_rows (f, "SELECT node, state, due_at FROM journey_enrollments");
  expected = g_strdup_printf ("wait-23h|waiting|%" G_GINT64_FORMAT "\n", morning + 23 * HOUR);
  g_assert_cmpstr (enrollment, ==, expected);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM outbox"), ==, 1);
}

/* ------------------------------------------------------------------------
 * Re-entry
 */

static const struct
{
  const char *policy;
  guint       days;
  guint       enrollments;   /* after carts at day 0, 1 and 10 */
} reentry_cases[] = {
  { "once", 0, 1 },
  { "every_time", 0, 3 },
  { "once_per_days", 7, 2 },
  { "once_per_days", 1, 3 },
};

static void
test_reentry (Fixture       *f,
              gconstpointer  data)
{
  static const gint64 days[] = { 0, 1, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (reentry_cases); i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(TcJourney) journey = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *phone = g_strdup_printf ("+4479111234%02u", 60 + i);
      g_autofree char *reentry = NULL;
      gint64 id;

      g_test_message ("%s %u", reentry_cases[i].policy, reentry_cases[i].days);
      reentry = reentry_json (reentry_cases[i].policy, reentry_cases[i].days);
      json = g_strdup_printf ("{'name': 'Re-entry %u', 'reentry': %s,"
                              " 'nodes': [{'id': 'trigger', 'kind': 'trigger',"
                              "   'config': {'event': 'visit_%u'}},"
                              "  {'id': 'wait', 'kind': 'wait', 'config': {'duration': 7200}},"
                              "  {'id': 'exit', 'kind': 'exit'}],"
                              " 'edges': [{'from': 'trigger', 'port': 'next', 'to': 'wait'},"
                              "  {'from': 'wait', 'port': 'next', 'to': 'exit'}]}",
                              i, reentry, i);
      journey = journey_from (json);
      id = add_and_activate (f, journey);

      for (guint d = 0; d < G_N_ELEMENTS (days); d++)
        {
          g_autofree char *name = g_strdup_printf ("visit_%u", i);

          record_event (f, phone, name, NOW + days[d] * DAY, "{}");
          run_sim (f, NOW + days[d] * DAY, NOW + days[d] * DAY + HOUR);
        }
      run_sim (f, NOW + 10 * DAY + HOUR, 0);

      sql = g_strdup_printf ("SELECT count (*) FROM journey_enrollments WHERE journey_id = %"
                             G_GINT64_FORMAT, id);
      g_assert_cmpint (raw_int (f, sql), ==, reentry_cases[i].enrollments);
      g_free (sql);

      /* Reading every event again (the cursor lost) enrols nobody twice. */
      raw_exec (f, "DELETE FROM settings WHERE key = 'journeys.event_cursor'");
      g_assert_true (tick (f, NOW + 10 * DAY + 2 * HOUR, 0, 0, NULL, NULL));
      sql = g_strdup_printf ("SELECT count (*) FROM journey_enrollments WHERE journey_id = %"
                             G_GINT64_FORMAT " AND state = 'exited'", id);
      g_assert_cmpint (raw_int (f, sql), ==, reentry_cases[i].enrollments);
      g_free (sql);
      sql = g_strdup_printf ("SELECT count (*) FROM journey_enrollments WHERE journey_id = %"
                             G_GINT64_FORMAT, id);
      g_assert_cmpint (raw_int (f, sql), ==, reentry_cases[i].enrollments);
    }
}

/* A draft or paused journey enrols nobody; events before activation
 * neither. */
static void
test_paused (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = set_up_cart (f, "every_time", 0, "cart_sms");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  opt_in (f, "+447911123451", TC_CHANNEL_SMS);
  tc_journey_store_pause_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_store_pause_finish (f->t.repo, result, &error));
  record_event (f, "+447911123451", "cart_abandoned", NOW, "{}");
  run_sim (f, NOW, NOW + DAY);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM journey_enrollments"), ==, 0);
}

/* ------------------------------------------------------------------------
 * Versions
 */

static void
test_version_change (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = set_up_cart (f, "once", 0, "cart_sms");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autofree char *rows = NULL;
  int version = 0;

  opt_in (f, "+447911123451", TC_CHANNEL_SMS);
  opt_in (f, "+447911123452", TC_CHANNEL_SMS);
  record_event (f, "+447911123451", "cart_abandoned", NOW, "{\"cart_url\": \"u1\"}");
  run_sim (f, NOW, NOW + 10 * 60);

  /* Edit the SMS and publish version 2. */
  tc_journey_store_get_async (f->t.repo, id, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  journey = tc_journey_store_get_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  json_object_set_string_member (config, "template", "cart_sms_v2");
  json_object_set_string_member (config, "purpose", "promotional");
  g_assert_true (tc_journey_set_node_config (journey, "sms", config, &error));
  tc_journey_store_save_async (f->t.repo, journey, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_cmpint (tc_journey_store_save_finish (f->t.repo, result, &error), ==, 2);
  g_clear_object (&result);
  tc_journey_store_activate_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_store_activate_finish (f->t.repo, result, &version, &problems, &error));
  g_assert_cmpint (version, ==, 2);

  record_event (f, "+447911123452", "cart_abandoned", NOW + 20 * 60, "{\"cart_url\": \"u2\"}");
  run_sim (f, NOW + 10 * 60, NOW + 3 * HOUR);

  rows = raw_rows (f, "SELECT c.phone, e.version, o.body FROM journey_enrollments e"
                      " JOIN contacts c ON c.id = e.contact_id"
                      " JOIN outbox o ON o.contact_id = e.contact_id ORDER BY c.phone");
  g_assert_cmpstr (rows, ==,
                   "+447911123451|1|Hi there, your cart is waiting: u1\nReply STOP to opt out\n"
                   "+447911123452|2|New text: u2\nReply STOP to opt out\n");
}

/* ------------------------------------------------------------------------
 * Crashes
 */

/* What the outbox and the enrollments hold, to compare runs. */
static char *
snapshot (Fixture *f)
{
  g_autofree char *outbox = raw_rows (f, "SELECT idem_key, channel, state, body, due_at FROM outbox"
                                         " ORDER BY idem_key");
  g_autofree char *enrollments = raw_rows (f, "SELECT contact_id, node, state, due_at, context"
                                              " FROM journey_enrollments ORDER BY contact_id");

  return g_strconcat (outbox, "--\n", enrollments, NULL);
}

static void
seed_crash_workspace (Fixture *f)
{
  static const char * const phones[] = {
    "+447911123451", "+447911123452", "+447911123453",
  };

  set_up_cart (f, "once", 0, "cart_sms");
  opt_in (f, phones[0], TC_CHANNEL_SMS);
  opt_in (f, phones[0], TC_CHANNEL_WHATSAPP);
  opt_in (f, phones[1], TC_CHANNEL_SMS);
  for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
    record_event (f, phones[i], "cart_abandoned", NOW, "{\"cart_url\": \"https://shop.example/c\"}");
}

/* The times at which a simulated run of the cart journey ticks. */
static const gint64 crash_times[] = { NOW, NOW + HOUR, NOW + DAY, NOW + 2 * DAY };

static void
test_restart_every_step (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *reference = NULL;
  g_autofree char *stepped = NULL;
  guint restarts = 0;

  /* The reference: whole ticks. */
  seed_crash_workspace (f);
  for (guint i = 0; i < G_N_ELEMENTS (crash_times); i++)
    g_assert_true (tick (f, crash_times[i], 0, 0, NULL, NULL));
  reference = snapshot (f);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM outbox"), ==, 6);
  fixture_tear_down (f, data);

  /* One node per tick, each on a freshly opened repository: a process
   * killed after every step and started again. */
  fixture_set_up (f, data);
  seed_crash_workspace (f);
  for (guint i = 0; i < G_N_ELEMENTS (crash_times); i++)
    {
      TcJourneyTick result = { 0, };

      do
        {
          g_autoptr(GError) error = NULL;

          reopen (f);
          restarts++;
          g_assert_true (tick (f, crash_times[i], 1, 0, &result, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (result.steps, <=, 1);
        }
      while (result.more);
    }
  stepped = snapshot (f);
  g_assert_cmpstr (stepped, ==, reference);
  g_assert_cmpuint (restarts, >, 20);
}

static void
test_abort_midway (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *reference = NULL;
  g_autofree char *aborted = NULL;
  guint aborts = 0;

  seed_crash_workspace (f);
  for (guint i = 0; i < G_N_ELEMENTS (crash_times); i++)
    g_assert_true (tick (f, crash_times[i], 0, 0, NULL, NULL));
  reference = snapshot (f);
  fixture_tear_down (f, data);

  /* Every tick dies after 1, 2, 3 … node executions, rolling back what it
   * did (outbox rows included), before a tick of three steps commits. */
  fixture_set_up (f, data);
  seed_crash_workspace (f);
  for (guint i = 0; i < G_N_ELEMENTS (crash_times); i++)
    {
      TcJourneyTick result = { 0, };
      guint round = 0;

      do
        {
          g_autofree char *before = snapshot (f);
          g_autofree char *after = NULL;
          g_autoptr(GError) error = NULL;

          /* A tick with less work than that commits normally. */
          if (!tick (f, crash_times[i], 0, 1 + round % 4, NULL, &error))
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
              after = snapshot (f);
              g_assert_cmpstr (after, ==, before);
              aborts++;
            }
          reopen (f);
          g_assert_true (tick (f, crash_times[i], 3, 0, &result, NULL));
          round++;
        }
      while (result.more);
    }
  aborted = snapshot (f);
  g_assert_cmpstr (aborted, ==, reference);
  g_assert_cmpuint (aborts, >, 5);
}

/* ------------------------------------------------------------------------
 * Other nodes
 */

static void
test_nodes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *tags = NULL;
  guint a = 0, b = 0;

  save_template (f, TC_TEMPLATE_KIND_SMS, "hello", "Hello {{first_name|there}} {{event.code}}");
  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "hello_wa", "Hello {{1}}");
  raw_exec (f, "INSERT INTO settings (key, value, updated_at) VALUES ('caps.promotional.count', '0', 0)");
  journey = journey_from (
    "{'name': 'Nodes', 'reentry': {'policy': 'every_time'},"
    " 'nodes': ["
    "  {'id': 'trigger', 'kind': 'trigger', 'config': {'event': 'signup',"
    "     'filters': [{'property': 'plan', 'op': 'equals', 'value': 'pro'}]}},"
    "  {'id': 'tag', 'kind': 'update_contact', 'config': {'action': 'add_tag', 'tag': 'pro'}},"
    "  {'id': 'has-tag', 'kind': 'branch', 'config': {'condition': {'tag': 'pro'}}},"
    "  {'id': 'split', 'kind': 'split', 'config': {'branches': [{'name': 'A', 'percent': 50},"
    "     {'name': 'B', 'percent': 50}]}},"
    "  {'id': 'wait-reply', 'kind': 'wait_for_event', 'config': {'event': 'clicked', 'within': 3600}},"
    "  {'id': 'hello', 'kind': 'send_preferred', 'config': {'sms_template': 'hello',"
    "     'whatsapp_template': 'hello_wa', 'purpose': 'promotional'}},"
    "  {'id': 'morning', 'kind': 'wait', 'config': {'until': {'from': '09:00', 'to': '10:00'}}},"
    "  {'id': 'exit-a', 'kind': 'exit'}, {'id': 'exit-b', 'kind': 'exit'},"
    "  {'id': 'exit-no', 'kind': 'exit'}, {'id': 'exit-late', 'kind': 'exit'}],"
    " 'edges': ["
    "  {'from': 'trigger', 'port': 'next', 'to': 'tag'},"
    "  {'from': 'tag', 'port': 'next', 'to': 'has-tag'},"
    "  {'from': 'has-tag', 'port': 'yes', 'to': 'split'},"
    "  {'from': 'has-tag', 'port': 'no', 'to': 'exit-no'},"
    "  {'from': 'split', 'port': 'A', 'to': 'wait-reply'},"
    "  {'from': 'split', 'port': 'B', 'to': 'exit-b'},"
    "  {'from': 'wait-reply', 'port': 'happened', 'to': 'hello'},"
    "  {'from': 'wait-reply', 'port': 'timed_out', 'to': 'exit-late'},"
    "  {'from': 'hello', 'port': 'sent', 'to': 'morning'},"
    "  {'from': 'hello', 'port': 'skipped', 'to': 'exit-no'},"
    "  {'from': 'morning', 'port': 'next', 'to': 'exit-a'}]}");
  add_and_activate (f, journey);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+4479111235%02u", i);

      opt_in (f, phone, TC_CHANNEL_SMS);
      record_event (f, phone, "signup", NOW, i % 2 == 0 ? "{\"plan\": \"pro\", \"code\": \"X1\"}"
                                                        : "{\"plan\": \"free\"}");
    }
  run_sim (f, NOW, NOW + 10 * 60);

  /* Only the "pro" signups entered, were tagged and split deterministically. */
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM journey_enrollments"), ==, 10);
  tags = raw_text (f, "SELECT count (*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                      " WHERE t.name = 'pro'");
  g_assert_cmpstr (tags, ==, "10");
  a = raw_int (f, "SELECT count (*) FROM journey_enrollments WHERE node = 'wait-reply'");
  b = raw_int (f, "SELECT count (*) FROM journey_enrollments WHERE node = 'exit-b'");
  g_assert_cmpuint (a + b, ==, 10);
  g_assert_cmpuint (a, >, 0);
  g_assert_cmpuint (b, >, 0);

  /* Those in A who click get the message, then wait for 09:00 London. */
  for (guint i = 0; i < 20; i += 2)
    {
      g_autofree char *phone = g_strdup_printf ("+4479111235%02u", i);

      record_event (f, phone, "clicked", NOW + 20 * 60, "{}");
    }
  run_sim (f, NOW + 10 * 60, NOW + 30 * 60);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM outbox WHERE body LIKE 'Hello there X1%'"),
                   ==, a);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM journey_enrollments WHERE node = 'morning'"
                               " AND state = 'waiting'"), ==, a);
  g_assert_cmpint (raw_int (f, "SELECT min (due_at) FROM journey_enrollments WHERE node = 'morning'"),
                   ==, NOW + 15 * HOUR);

  run_sim (f, NOW + 30 * 60, 0);
  rows = raw_rows (f, "SELECT node, state, count (*) FROM journey_enrollments GROUP BY 1, 2 ORDER BY 1");
  {
    g_autofree char *expected = g_strdup_printf ("exit-a|exited|%u\nexit-b|exited|%u\n", a, b);

    g_assert_cmpstr (rows, ==, expected);
  }
}

/* WhatsApp's session text goes instead of the template while the
 * contact's 24-hour window is open. */
static void
test_whatsapp_session (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcInboundResult) inbound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  raw_exec (f, "INSERT INTO settings (key, value, updated_at) VALUES ('caps.promotional.count', '0', 0)");
  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "cart_wa", "Hi {{1}}, your cart misses you.");
  journey = journey_from (
    "{'name': 'Session', 'reentry': {'policy': 'once'},"
    " 'nodes': ["
    "  {'id': 'trigger', 'kind': 'trigger', 'config': {'event': 'cart_abandoned'}},"
    "  {'id': 'wa', 'kind': 'send_whatsapp', 'config': {'template': 'cart_wa',"
    "     'purpose': 'promotional', 'session_body': 'Your cart: {{event.cart_url}}'},"
    "   'ends': ['sent', 'skipped']}],"
    " 'edges': [{'from': 'trigger', 'port': 'next', 'to': 'wa'}]}");
  add_and_activate (f, journey);

  opt_in (f, "+447911123451", TC_CHANNEL_WHATSAPP);
  opt_in (f, "+447911123452", TC_CHANNEL_WHATSAPP);
  /* The first wrote to us on WhatsApp an hour before. */
  tc_inbound_process_async (f->t.repo, TC_CHANNEL_WHATSAPP, "+447911123451", "Is my cart saved?",
                            NULL, NOW - HOUR, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  inbound = tc_inbound_process_finish (f->t.repo, result, &error);
  g_assert_no_error (error);

  record_event (f, "+447911123451", "cart_abandoned", NOW, "{\"cart_url\": \"https://c/1\"}");
  record_event (f, "+447911123452", "cart_abandoned", NOW, "{\"cart_url\": \"https://c/2\"}");
  run_sim (f, NOW, 0);

  rows = raw_rows (f, "SELECT phone, state, body, coalesce (wa_template, '') <> '' FROM outbox"
                      " WHERE origin LIKE 'journey:%' ORDER BY phone");
  g_assert_cmpstr (rows, ==,
                   "+447911123451|queued|Your cart: https://c/1|0\n"
                   "+447911123452|queued||1\n");
}

/* A fallback on "not_delivered": after the minutes given, an SMS that was
 * not delivered is followed by the WhatsApp message; a delivered one not. */
static void
test_not_delivered (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(TcJourneyStats) result = NULL;
  g_autofree char *rows = NULL;
  gint64 id;

  raw_exec (f, "INSERT INTO settings (key, value, updated_at) VALUES ('caps.promotional.count', '0', 0)");
  save_template (f, TC_TEMPLATE_KIND_SMS, "cart_sms", "Your cart: {{event.cart_url}}");
  save_template (f, TC_TEMPLATE_KIND_WHATSAPP, "cart_wa", "Hi {{1}}, your cart misses you.");
  journey = journey_from (
    "{'name': 'Not delivered', 'reentry': {'policy': 'once'},"
    " 'nodes': ["
    "  {'id': 'trigger', 'kind': 'trigger', 'config': {'event': 'cart_abandoned'}},"
    "  {'id': 'sms', 'kind': 'send_sms', 'config': {'template': 'cart_sms',"
    "     'purpose': 'promotional', 'fallback': {'template': 'cart_wa',"
    "     'on': ['not_delivered'], 'after_minutes': 30}}},"
    "  {'id': 'done', 'kind': 'exit'}],"
    " 'edges': [{'from': 'trigger', 'port': 'next', 'to': 'sms'},"
    "  {'from': 'sms', 'port': 'sent', 'to': 'done'},"
    "  {'from': 'sms', 'port': 'skipped', 'to': 'done'}]}");
  id = add_and_activate (f, journey);

  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+44791112345%u", i);

      opt_in (f, phone, TC_CHANNEL_SMS);
      opt_in (f, phone, TC_CHANNEL_WHATSAPP);
      record_event (f, phone, "cart_abandoned", NOW, "{\"cart_url\": \"https://c\"}");
    }
  run_sim (f, NOW, NOW + 10 * 60);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM journey_enrollments"
                               " WHERE node = 'sms' AND state = 'waiting'"), ==, 2);
  g_assert_cmpint (raw_int (f, "SELECT min (due_at) FROM journey_enrollments"), ==, NOW + 30 * 60);

  /* What the provider reported meanwhile. */
  raw_exec (f, "UPDATE outbox SET state = 'undelivered' WHERE phone = '+447911123451';"
               "UPDATE outbox SET state = 'delivered' WHERE phone = '+447911123452'");
  run_sim (f, NOW + 10 * 60, 0);

  rows = raw_rows (f, "SELECT phone, channel, state FROM outbox ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "+447911123451|sms|undelivered\n"
                   "+447911123452|sms|delivered\n"
                   "+447911123451|whatsapp|queued\n");
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM journey_enrollments"
                               " WHERE node = 'done' AND state = 'exited'"), ==, 2);
  result = stats (f, id);
  g_assert_cmpuint (node_stats (result, "sms")->sent, ==, 3);
  g_assert_cmpuint (node_stats (result, "sms")->passed, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/journey-runner/cart", Fixture, NULL, fixture_set_up, test_cart_cases,
              fixture_tear_down);
  g_test_add ("/tc/journey-runner/waiting-stats", Fixture, NULL, fixture_set_up,
              test_waiting_stats, fixture_tear_down);
  g_test_add ("/tc/journey-runner/quiet-hours", Fixture, NULL, fixture_set_up, test_quiet_hours,
              fixture_tear_down);
  g_test_add ("/tc/journey-runner/reentry", Fixture, NULL, fixture_set_up, test_reentry,
              fixture_tear_down);
  g_test_add ("/tc/journey-runner/paused", Fixture, NULL, fixture_set_up, test_paused,
              fixture_tear_down);
  g_test_add ("/tc/journey-runner/version-change", Fixture, NULL, fixture_set_up,
              test_version_change, fixture_tear_down);
  g_test_add ("/tc/journey-runner/restart-every-step", Fixture, NULL, fixture_set_up,
              test_restart_every_step, fixture_tear_down);
  g_test_add ("/tc/journey-runner/abort-midway", Fixture, NULL, fixture_set_up,
              test_abort_midway, fixture_tear_down);
  g_test_add ("/tc/journey-runner/nodes", Fixture, NULL, fixture_set_up, test_nodes,
              fixture_tear_down);
  g_test_add ("/tc/journey-runner/whatsapp-session", Fixture, NULL, fixture_set_up,
              test_whatsapp_session, fixture_tear_down);
  g_test_add ("/tc/journey-runner/not-delivered", Fixture, NULL, fixture_set_up,
              test_not_delivered, fixture_tear_down);

  return g_test_run ();
}
