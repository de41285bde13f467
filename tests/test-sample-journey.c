/* test-sample-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sample workspace's ready-made journey (tc-sample-journey.c): through
 * the API on a temporary workspace, and through `textcast-cli sample`.
 */

#define G_LOG_DOMAIN "test-sample-journey"

#include "config.h"

#include <string.h>

#include "tc-cli-test-util.h"
#include "tc-events.h"
#include "tc-journey-runner.h"
#include "tc-journey-store.h"
#include "tc-outbox.h"
#include "tc-sample-journey.h"
#include "tc-sample.h"
#include "tc-test-util.h"

static void
create_sample (TcRepository *repo,
               guint         n_contacts)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_sample_create_async (repo, n_contacts, 7, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_sample_create_finish (repo, result, &error));
  g_assert_no_error (error);
}

static gint64
create_journey (TcRepository *repo,
                gint64        now,
                guint        *n_enrolled)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  tc_sample_journey_create_async (repo, now, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_sample_journey_create_finish (repo, result, &id, n_enrolled, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static TcJourneyStats *
get_stats (TcRepository *repo,
           gint64        id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcJourneyStats *stats;

  tc_journey_runner_stats_async (repo, id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  stats = tc_journey_runner_stats_finish (repo, result, &error);
  g_assert_no_error (error);
  return stats;
}

static const TcJourneyNodeStats *
node_stats (TcJourneyStats *stats,
            const char     *node)
{
  for (guint i = 0; i < stats->nodes->len; i++)
    {
      const TcJourneyNodeStats *candidate = g_ptr_array_index (stats->nodes, i);

      if (strcmp (candidate->node, node) == 0)
        return candidate;
    }
  g_assert_not_reached ();
}

/* The journey is the library's cart abandonment, active, with the first
 * six contacts in it waiting an hour; their events are the sample's; an
 * hour later their SMS reminders go through the gate. */
static void
test_create (void)
{
  TcTestRepo f = { 0, };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journeys = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(TcJourneyStats) stats = NULL;
  g_autoptr(TcJourneyStats) later = NULL;
  TcJourneyTickOptions options = { 0, };
  TcJourneyTick tick = { 0, };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TcJourneyInfo *info;
  guint n_enrolled = 0;
  gint64 id;

  tc_test_repo_set_up (&f, "test-sample-journey-XXXXXX", "t.db");
  create_sample (f.repo, 40);
  id = create_journey (f.repo, now, &n_enrolled);
  g_assert_cmpuint (n_enrolled, ==, TC_SAMPLE_JOURNEY_SHOPPERS);

  tc_journey_store_list_async (f.repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  journeys = tc_journey_store_list_finish (f.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (journeys->len, ==, 1);
  info = g_ptr_array_index (journeys, 0);
  g_assert_cmpint (tc_journey_get_id (info->journey), ==, id);
  g_assert_cmpstr (info->origin, ==, TC_SAMPLE_JOURNEY_NAME);
  g_assert_cmpint (info->active_version, ==, 1);
  g_assert_cmpint (tc_journey_get_state (info->journey), ==, TC_JOURNEY_ACTIVE);
  g_clear_object (&result);

  tc_events_list_async (f.repo, NULL, "cart_abandoned", NULL, 0, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  events = tc_events_list_finish (f.repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, TC_SAMPLE_JOURNEY_SHOPPERS);
  for (guint i = 0; i < events->len; i++)
    {
      const TcEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpstr (event->source, ==, "sample");
      g_assert_true (event->has_value);
      g_assert_cmpfloat (event->value, >, 0);
      g_assert_cmpuint (strlen (event->currency), ==, 3);
      g_assert_nonnull (strstr (event->properties, "\"cart_url\":\"https://shop.example.com/cart/sample"));
      g_assert_cmpint (event->occurred_at, <, now);
      g_assert_cmpint (event->occurred_at, >, now - 3600);
    }
  g_clear_object (&result);

  stats = get_stats (f.repo, id);
  g_assert_cmpuint (stats->enrolled, ==, TC_SAMPLE_JOURNEY_SHOPPERS);
  g_assert_cmpuint (stats->active, ==, TC_SAMPLE_JOURNEY_SHOPPERS);
  g_assert_cmpuint (node_stats (stats, "wait-1h")->waiting, ==, TC_SAMPLE_JOURNEY_SHOPPERS);
  g_assert_cmpuint (node_stats (stats, "sms-reminder")->sent, ==, 0);

  /* An hour on: each shopper's reminder is queued or skipped by the gate. */
  options.now = now + 3600 + 1;
  tc_journey_runner_tick_async (f.repo, &options, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_journey_runner_tick_finish (f.repo, result, &tick, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tick.queued + tick.skipped, ==, TC_SAMPLE_JOURNEY_SHOPPERS);
  later = get_stats (f.repo, id);
  g_assert_cmpuint (node_stats (later, "wait-1h")->waiting, ==, 0);
  g_assert_cmpuint (node_stats (later, "wait-23h")->waiting, ==, TC_SAMPLE_JOURNEY_SHOPPERS);

  g_clear_object (&result);
  tc_test_repo_tear_down (&f);
}

/* Fewer contacts than shoppers: everybody is in it. */
static void
test_small (void)
{
  TcTestRepo f = { 0, };
  g_autoptr(TcJourneyStats) stats = NULL;
  guint n_enrolled = 0;
  gint64 id;

  tc_test_repo_set_up (&f, "test-sample-journey-XXXXXX", "t.db");
  create_sample (f.repo, 3);
  id = create_journey (f.repo, 0, &n_enrolled);
  g_assert_cmpuint (n_enrolled, ==, 3);
  stats = get_stats (f.repo, id);
  g_assert_cmpuint (stats->active, ==, 3);
  tc_test_repo_tear_down (&f);
}

/* `textcast-cli sample` gets it too. */
static void
test_cli (void)
{
  TcCliWorkspace w = { 0, };
  g_auto(TcCliRun) sample = { 0, };
  g_auto(TcCliRun) list = { 0, };
  g_auto(TcCliRun) stats = { 0, };
  g_auto(TcCliRun) templates = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) templates_parser = json_parser_new ();
  guint n_whatsapp = 0;
  g_autoptr(JsonParser) list_parser = json_parser_new ();
  JsonObject *object, *journey;
  JsonArray *journeys;

  tc_cli_workspace_set_up (&w, "test-sample-journey-cli-XXXXXX");
  tc_cli_run (w.db, NULL, &sample, "sample", "--count", "30", "--json", NULL);
  g_assert_cmpint (sample.status, ==, 0);
  object = tc_cli_parse_object (parser, sample.out);
  g_assert_cmpint (json_object_get_int_member (object, "created"), ==, 30);
  journey = json_object_get_object_member (object, "journey");
  g_assert_cmpint (json_object_get_int_member (journey, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (journey, "name"), ==, "cart_abandonment");
  g_assert_cmpint (json_object_get_int_member (journey, "enrolled"), ==, TC_SAMPLE_JOURNEY_SHOPPERS);

  tc_cli_run (w.db, NULL, &list, "journey", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (list_parser, list.out, -1, NULL));
  journeys = json_node_get_array (json_parser_get_root (list_parser));
  g_assert_cmpuint (json_array_get_length (journeys), ==, 1);
  object = json_array_get_object_element (journeys, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (object, "template"), ==, "cart_abandonment");

  tc_cli_run (w.db, NULL, &stats, "journey", "stats", "1", NULL);
  g_assert_cmpint (stats.status, ==, 0);
  g_assert_nonnull (strstr (stats.out, "6 entered, 6 inside"));

  /* On the simulator its WhatsApp follow-up is approved, so it can be sent there. */
  tc_cli_run (w.db, NULL, &templates, "templates", "list", "--json", NULL);
  g_assert_cmpint (templates.status, ==, 0);
  g_assert_true (json_parser_load_from_data (templates_parser, templates.out, -1, NULL));
  journeys = json_node_get_array (json_parser_get_root (templates_parser));
  for (guint i = 0; i < json_array_get_length (journeys); i++)
    {
      object = json_array_get_object_element (journeys, i);
      if (g_strcmp0 (json_object_get_string_member (object, "kind"), "whatsapp") != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "approved");
      n_whatsapp++;
    }
  g_assert_cmpuint (n_whatsapp, ==, 1);
  tc_cli_workspace_tear_down (&w);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/sample-journey/create", test_create);
  g_test_add_func ("/tc/sample-journey/small", test_small);
  g_test_add_func ("/tc/sample-journey/cli", test_cli);

  return g_test_run ();
}
