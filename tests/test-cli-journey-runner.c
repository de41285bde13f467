/* test-cli-journey-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli journeys run --simulate` and `textcast-cli journey stats`,
 * run as a real program on a temporary workspace: the ready-made cart
 * journey, a cart abandoned, the simulated clock through the SMS, an
 * order, the conversion in the statistics.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    tc_cli_run_argv ((f)->db, NULL, (run), args_); \
  } G_STMT_END

static void
assert_status (const Run *run,
               int        status)
{
  if (run->status != status)
    g_error ("expected exit status %d, got %d; stderr: %s; stdout: %s", status, run->status,
             run->err, run->out);
}

static JsonObject *
parse_object (const Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (run->out, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
stats_node (JsonObject *stats,
            const char *id)
{
  JsonArray *nodes = json_object_get_array_member (stats, "nodes");

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (strcmp (json_object_get_string_member (node, "node"), id) == 0)
        return node;
    }
  g_error ("no node %s in the stats", id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_cli_workspace_set_up (f, "tc-cli-journey-runner-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

static void
test_run_and_stats (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autofree char *until = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  JsonObject *node;

  RUN (f, &run, "journey", "create", "--from-template", "cart_abandonment", "--json");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);
  RUN (f, &run, "journey", "activate", "1", "--json");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);
  RUN (f, &run, "consent", "add", "--phone", "+447911123451", "--channel", "sms", "--purpose",
       "promotional", "--source", "web_form", "--wording", "Text me offers", "--confirmed");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);
  RUN (f, &run, "events", "send", "--name", "cart_abandoned", "--phone", "+447911123451",
       "--property", "cart_url=https://shop.example/c/9");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);

  /* Two simulated hours: past the hour's wait and the SMS. */
  RUN (f, &run, "journeys", "run", "--simulate", "--until", until, "--port", "0", "--json");
  assert_status (&run, 0);
  totals = parse_object (&run);
  g_assert_true (json_object_get_boolean_member (totals, "simulated"));
  g_assert_cmpstr (json_object_get_string_member (totals, "clock"), ==, until);
  g_assert_cmpint (json_object_get_int_member (totals, "events"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "enrolled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "queued"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "converted"), ==, 0);
  tc_cli_run_clear (&run);

  RUN (f, &run, "journey", "stats", "1", "--json");
  assert_status (&run, 0);
  stats = parse_object (&run);
  g_assert_cmpint (json_object_get_int_member (stats, "enrolled"), ==, 1);
  node = stats_node (stats, "sms-reminder");
  g_assert_cmpint (json_object_get_int_member (node, "passed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (node, "sent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (node, "waiting"), ==, 0);
  node = stats_node (stats, "wait-23h");
  g_assert_cmpint (json_object_get_int_member (node, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (node, "converted"), ==, 0);
  g_clear_pointer (&stats, json_object_unref);
  g_clear_pointer (&totals, json_object_unref);
  tc_cli_run_clear (&run);

  /* The SMS went into the outbox with the cart's link. */
  RUN (f, &run, "outbox", "list", "--json");
  assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "https://shop.example/c/9"));
  g_assert_nonnull (strstr (run.out, "\"channel\":\"sms\""));
  tc_cli_run_clear (&run);

  /* They order: the goal ends the journey where they wait. */
  RUN (f, &run, "events", "send", "--name", "order_placed", "--phone", "+447911123451");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);
  RUN (f, &run, "journeys", "run", "--simulate", "--port", "0", "--json");
  assert_status (&run, 0);
  totals = parse_object (&run);
  g_assert_cmpint (json_object_get_int_member (totals, "converted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "queued"), ==, 0);
  tc_cli_run_clear (&run);

  RUN (f, &run, "journey", "stats", "1", "--json");
  assert_status (&run, 0);
  stats = parse_object (&run);
  g_assert_cmpint (json_object_get_int_member (stats, "converted"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "active"), ==, 0);
  node = stats_node (stats, "wait-23h");
  g_assert_cmpint (json_object_get_int_member (node, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (node, "converted"), ==, 1);
  node = stats_node (stats, "whatsapp-followup");
  g_assert_cmpint (json_object_get_int_member (node, "passed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (node, "sent"), ==, 0);
  tc_cli_run_clear (&run);

  /* The text form names every node. */
  RUN (f, &run, "journey", "stats", "1");
  assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "whatsapp-followup"));
  g_assert_nonnull (strstr (run.out, "CONVERTED"));
}

/* Without --simulate the runner waits on the real clock, with the send
 * engine running, until --until. */
static void
test_real_time (Fixture       *f,
                gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };
  g_autoptr(JsonObject) totals = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) soon = NULL;
  g_autofree char *until = NULL;

  RUN (f, &run, "journey", "create", "--from-template", "welcome");
  assert_status (&run, 0);
  tc_cli_run_clear (&run);
  now = g_date_time_new_now_utc ();
  soon = g_date_time_add_seconds (now, 3);
  until = g_date_time_format (soon, "%Y-%m-%dT%H:%M:%SZ");
  RUN (f, &run, "journeys", "run", "--until", until, "--port", "0", "--json");
  assert_status (&run, 0);
  totals = parse_object (&run);
  g_assert_false (json_object_get_boolean_member (totals, "simulated"));
  g_assert_cmpint (json_object_get_int_member (totals, "ticks"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "enrolled"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (totals, "clock"), >=, until);
}

static const struct
{
  const char *args[6];
  int         status;
  const char *message;
} usage_cases[] = {
  { { "journeys", "run", "--until", "tomorrow", NULL }, 2, "'--until' needs a date and time" },
  { { "journeys", "run", "--port", "99999", "--simulate", NULL }, 2, "'--port' must be 0 to 65535" },
  { { "journeys", "walk", NULL }, 2, "unknown command 'journeys walk'" },
  { { "journeys", "run", "extra", NULL }, 2, "unexpected argument 'extra'" },
  { { "journey", "stats", "42", NULL }, 1, "There is no journey 42" },
  { { "journey", "stats", NULL }, 2, "needs the ID of a journey" },
};

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };

  RUN (f, &run, "journey", "create", "--from-template", "welcome");
  assert_status (&run, 0);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      tc_cli_run_clear (&run);
      tc_cli_run_argv (f->db, NULL, &run, usage_cases[i].args);
      assert_status (&run, usage_cases[i].status);
      if (strstr (run.err, usage_cases[i].message) == NULL)
        g_error ("expected stderr to contain “%s”, got “%s”", usage_cases[i].message, run.err);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/cli/journeys/run-and-stats", Fixture, NULL, fixture_set_up,
              test_run_and_stats, fixture_tear_down);
  g_test_add ("/tc/cli/journeys/real-time", Fixture, NULL, fixture_set_up, test_real_time,
              fixture_tear_down);
  g_test_add ("/tc/cli/journeys/errors", Fixture, NULL, fixture_set_up, test_errors,
              fixture_tear_down);

  return g_test_run ();
}
