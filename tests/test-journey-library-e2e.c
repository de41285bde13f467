/* test-journey-library-e2e.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each ready-made journey end to end on a workspace that sends through the
 * built-in simulator: created from its template (the simulator reviews and
 * approves its WhatsApp templates), activated, its trigger fed (an event,
 * the YES of a double opt-in, a birthday), the runner driven through the
 * following days on a simulated clock — with a tick killed midway and the
 * workspace reopened before every step — and the outbox holding exactly
 * the messages expected; then the send engine (`textcast-cli outbox run`)
 * hands them to the simulator, which takes every one.
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-events.h"
#include "tc-inbound.h"
#include "tc-journey-library.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-messaging.h"
#include "tc-template-store.h"
#include "tc-test-util.h"
#include "tc-wa-templates-client.h"
#include "tc-wa-templates-simulated.h"

/* Tuesday 1 December 2026, 18:00 UTC (18:00 in London): after the
 * journey's activation, inside the hours promotions may go out. */
#define NOW G_GINT64_CONSTANT (1796148000)
#define HOUR 3600
#define DAY (24 * HOUR)
#define PHONE "+447911123451"

typedef struct
{
  TcTestRepo t;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->t, "tc-journey-e2e-XXXXXX", "t.db");
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
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  char *sql = sqlite3_mprintf ("INSERT INTO settings (key, value, updated_at)"
                               " VALUES (%Q, %Q, 0) ON CONFLICT (key)"
                               " DO UPDATE SET value = excluded.value", key, value);

  raw_exec (f, sql);
  sqlite3_free (sql);
}

static void
consent (Fixture   *f,
         TcChannel  channel,
         TcPurpose  purpose,
         gboolean   confirmed)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentRequest request = {
    .phone = PHONE,
    .channel = channel,
    .purpose = purpose,
    .kind = TC_CONSENT_EVENT_OPTED_IN,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Text me offers and order news",
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
record_event (Fixture    *f,
              const char *name,
              const char *properties)
{
  g_autoptr(TcEvent) event = tc_event_new (name, PHONE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  event->occurred_at = NOW;
  event->properties = g_strdup (properties);
  tc_events_record_async (f->t.repo, event, NULL, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_events_record_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_true (outcome->inserted);
}

/* Creates ready-made journey @name as the CLI does — the journey, its
 * templates, the simulator's review of the WhatsApp ones — and activates
 * it. */
static void
create_and_activate (Fixture    *f,
                     const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = tc_journey_library_dup_templates (name);
  g_autoptr(TcJourney) journey = tc_journey_library_build (name, NULL);
  g_autoptr(GPtrArray) reviewed = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) created = NULL;
  gboolean simulated = FALSE;
  guint n_whatsapp = 0;
  gint64 id;
  int version = 0;

  tc_journey_library_create_async (f->t.repo, name, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  id = tc_journey_library_create_finish (f->t.repo, result, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_clear_object (&result);

  for (guint i = 0; i < templates->len; i++)
    if (tc_template_get_kind (g_ptr_array_index (templates, i)) == TC_TEMPLATE_KIND_WHATSAPP)
      n_whatsapp++;
  /* The journey's own list of what it sends on WhatsApp: all of them. */
  names = tc_journey_dup_whatsapp_templates (journey);
  g_assert_cmpuint (g_strv_length (names), ==, n_whatsapp);
  tc_wa_templates_review_simulated_async (f->t.repo, (const char * const *) names, NULL,
                                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  reviewed = tc_wa_templates_review_simulated_finish (f->t.repo, result, &simulated, &error);
  g_assert_no_error (error);
  g_assert_true (simulated);
  g_assert_cmpuint (reviewed->len, ==, n_whatsapp);
  for (guint i = 0; i < reviewed->len; i++)
    {
      const TcWaTemplateState *state = g_ptr_array_index (reviewed, i);

      g_assert_cmpstr (state->status, ==, "APPROVED");
    }
  g_clear_object (&result);

  tc_journey_store_activate_async (f->t.repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_journey_store_activate_finish (f->t.repo, result, &version, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);
}

/* One tick at @now; FALSE when it was the test's abandoned one. */
static gboolean
tick (Fixture       *f,
      gint64         now,
      guint          max_steps,
      guint          abort_after,
      TcJourneyTick *out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyTickOptions options = { 0, };
  gboolean ok;

  options.now = now;
  options.max_steps = max_steps;
  options.abort_after = abort_after;
  tc_journey_runner_tick_async (f->t.repo, &options, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  ok = tc_journey_runner_tick_finish (f->t.repo, result, out, &error);
  if (!ok)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  return ok;
}

/* The runner through the next days, as a process killed in the middle of
 * every step and restarted would run it: at each due time, a tick rolled
 * back after one node, the workspace reopened, then ticks of one node
 * each; the clock jumps to the next due time (or date), up to @until. */
static void
run_with_kills (Fixture *f,
                gint64   until)
{
  gint64 now = NOW;

  while (now > 0 && now <= until)
    {
      TcJourneyTick done = { 0, };

      tick (f, now, 0, 1, &done);
      reopen (f);
      do
        g_assert_true (tick (f, now, 1, 0, &done));
      while (done.more);
      now = done.next_due;
      if (done.next_trigger > 0 && (now == 0 || done.next_trigger < now))
        now = done.next_trigger;
    }
}

/* Every message the journey queued: when, channel, and what. */
static char *
journey_messages (Fixture *f)
{
  return raw_rows (f, "SELECT created_at - 1796148000, channel, state, reason,"
                      "  CASE channel WHEN 'sms' THEN body"
                      "   ELSE json_extract (wa_template, '$.name') END"
                      " FROM outbox WHERE origin LIKE 'journey:%' ORDER BY id");
}

static void
set_up_workspace (Fixture *f)
{
  /* The journeys send several promotions a day apart or closer. */
  set_setting (f, "caps.promotional.count", "0");
  set_setting (f, "brand.name", "Larkspur");
}

static void
opt_in_everywhere (Fixture *f)
{
  consent (f, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TRUE);
  consent (f, TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL, TRUE);
  consent (f, TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL, TRUE);
  consent (f, TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, TRUE);
  raw_exec (f, "UPDATE contacts SET first_name = 'Maria', timezones = 'Europe/London'");
}

/* Hands the queued messages to the simulator through the send engine
 * (`textcast-cli outbox run --until-idle`, its in-process simulator):
 * every one is taken (it gets the simulator's message id). */
static void
send_through_simulator (Fixture *f,
                        guint    expected)
{
  g_autofree char *sql = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");
  const char *argv[] = { cli, "--db", f->t.path, "outbox", "run", "--until-idle", "--port", "0",
                         NULL };
  int status = -1;

  g_assert_nonnull (cli);
  /* Due now (they were queued at simulated times), at any hour. */
  sql = g_strdup_printf ("UPDATE outbox SET due_at = %" G_GINT64_FORMAT
                         " WHERE state = 'queued'", g_get_real_time () / G_USEC_PER_SEC);
  raw_exec (f, sql);
  set_setting (f, "quiet_hours.rules",
               "[{\"country\":\"*\",\"windows\":{\"mon-sun\":\"00:00-23:59\"}}]");
  tc_repository_close (f->t.repo);
  tc_test_drain_main_context ();
  /* Every message delivered and no replies: a STOP the simulator made up
   * would rightly hold back the journey's later messages to that person. */
  envp = g_environ_setenv (g_get_environ (), TC_MESSAGING_SIMULATOR_QUIET_ENV, "1", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("outbox run failed: %s%s", out, err);
  reopen (f);

  rows = raw_rows (f, "SELECT count (*) FROM outbox WHERE origin LIKE 'journey:%'"
                      " AND provider_id IS NOT NULL AND provider_id <> ''"
                      " AND state IN ('sent', 'delivered', 'read', 'undelivered', 'failed')");
  {
    g_autofree char *want = g_strdup_printf ("%u\n", expected);

    if (g_strcmp0 (rows, want) != 0)
      {
        g_autofree char *all = raw_rows (f, "SELECT id, channel, state, reason, error_code,"
                                            " provider_id FROM outbox");

        g_error ("not every message reached the simulator:\n%s\n%s%s", all, out, err);
      }
  }
}

static void
test_cart_abandonment (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *messages = NULL;
  g_autofree char *params = NULL;

  set_up_workspace (f);
  create_and_activate (f, "cart_abandonment");
  opt_in_everywhere (f);
  record_event (f, "cart_abandoned",
                "{\"cart_url\":\"https://shop.example.com/cart/c42\",\"cart_token\":\"c42\","
                "\"image_url\":\"https://shop.example.com/images/mug.jpg\"}");

  run_with_kills (f, NOW + 10 * DAY);
  messages = journey_messages (f);
  g_assert_cmpstr (messages, ==,
                   "3600|sms|queued||Hi Maria, you left something in your cart at Larkspur. "
                   "Pick up where you left off: https://shop.example.com/cart/c42?utm_source=sms"
                   "&utm_medium=sms&utm_campaign=cart-abandonment&utm_content=sms-reminder\n"
                   "Reply STOP to opt out\n"
                   "86400|whatsapp|queued||cart_followup_whatsapp\n");
  /* The picture and the button come from the event. */
  params = raw_rows (f, "SELECT value FROM outbox, json_tree (wa_template)"
                        " WHERE channel = 'whatsapp' AND key IN ('link', 'text')"
                        " ORDER BY fullkey");
  g_assert_nonnull (strstr (params, "https://shop.example.com/images/mug.jpg"));
  g_assert_nonnull (strstr (params, "c42"));
  g_assert_nonnull (strstr (params, "Maria"));
  send_through_simulator (f, 2);
}

static void
test_back_in_stock (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *messages = NULL;

  set_up_workspace (f);
  create_and_activate (f, "back_in_stock");
  opt_in_everywhere (f);
  record_event (f, "back_in_stock",
                "{\"product_handle\":\"blue-mug\",\"product_name\":\"Blue mug\","
                "\"product_url\":\"https://shop.example.com/products/blue-mug\","
                "\"image_url\":\"https://shop.example.com/images/mug.jpg\"}");

  run_with_kills (f, NOW + 10 * DAY);
  messages = journey_messages (f);
  g_assert_cmpstr (messages, ==, "0|whatsapp|queued||back_in_stock_whatsapp\n");
  send_through_simulator (f, 1);
}

static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *messages = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcInboundResult) yes = NULL;
  g_autoptr(GError) error = NULL;

  set_up_workspace (f);
  create_and_activate (f, "welcome");
  /* Double opt-in: the request, then the YES. */
  set_setting (f, "consent.double_optin.sms", "true");
  consent (f, TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE);
  raw_exec (f, "UPDATE contacts SET first_name = 'Maria', timezones = 'Europe/London'");
  run_with_kills (f, NOW + HOUR);
  messages = journey_messages (f);
  g_assert_cmpstr (messages, ==, "");
  g_clear_pointer (&messages, g_free);

  tc_inbound_process_async (f->t.repo, TC_CHANNEL_SMS, PHONE, "YES", NULL, 0, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  yes = tc_inbound_process_finish (f->t.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yes->action, ==, TC_INBOUND_ACTION_OPT_IN);
  g_clear_object (&result);

  run_with_kills (f, NOW + 10 * DAY);
  messages = journey_messages (f);
  g_assert_cmpstr (messages, ==,
                   "0|sms|queued||Welcome to Larkspur, Maria! Thanks for confirming. You will "
                   "hear about offers and new arrivals here.\nReply STOP to opt out\n"
                   "172800|sms|queued||Maria, here is 10% off your first order at Larkspur with "
                   "the code WELCOME10.\nReply STOP to opt out\n");
  send_through_simulator (f, 2);
}

static void
test_post_purchase_feedback (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *messages = NULL;

  set_up_workspace (f);
  create_and_activate (f, "post_purchase_feedback");
  opt_in_everywhere (f);
  record_event (f, "order_placed",
                "{\"order_number\":\"#1042\",\"order_id\":\"1042\","
                "\"review_url\":\"https://shop.example.com/review/1042\"}");

  run_with_kills (f, NOW + 10 * DAY);
  messages = journey_messages (f);
  /* WhatsApp, the channel they opted in to. */
  g_assert_cmpstr (messages, ==, "259200|whatsapp|queued||feedback_request_whatsapp\n");
  send_through_simulator (f, 1);
}

static void
test_birthday_offer (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *messages = NULL;
  g_autofree char *tags = NULL;

  set_up_workspace (f);
  create_and_activate (f, "birthday_offer");
  opt_in_everywhere (f);
  raw_exec (f, "UPDATE contacts SET attributes = json_set (attributes, '$.birthday', '1990-12-02')");

  /* 10:00 in London on 2 December 2026. */
  run_with_kills (f, NOW + 10 * DAY);
  messages = journey_messages (f);
  g_assert_cmpstr (messages, ==, "57600|whatsapp|queued||birthday_offer_whatsapp\n");
  tags = raw_rows (f, "SELECT t.name FROM contact_tags c JOIN tags t ON t.id = c.tag_id");
  g_assert_cmpstr (tags, ==, "birthday-offer\n");
  send_through_simulator (f, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/journey-e2e/cart-abandonment", Fixture, NULL, fixture_set_up,
              test_cart_abandonment, fixture_tear_down);
  g_test_add ("/tc/journey-e2e/back-in-stock", Fixture, NULL, fixture_set_up,
              test_back_in_stock, fixture_tear_down);
  g_test_add ("/tc/journey-e2e/welcome", Fixture, NULL, fixture_set_up, test_welcome,
              fixture_tear_down);
  g_test_add ("/tc/journey-e2e/post-purchase-feedback", Fixture, NULL, fixture_set_up,
              test_post_purchase_feedback, fixture_tear_down);
  g_test_add ("/tc/journey-e2e/birthday-offer", Fixture, NULL, fixture_set_up,
              test_birthday_offer, fixture_tear_down);

  return g_test_run ();
}
