/* test-cli-send.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli send`, `outbox list` and `outbox run`, run as a real
 * program on a temporary workspace with the built-in simulator as the
 * provider: the gate decides, the engine sends, compliance replies go out.
 */

#define G_LOG_DOMAIN "test-cli-send"

#include "config.h"

#include <string.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_cli_workspace_set_up (f, "tc-cli-send-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

static void
set_up_workspace (Fixture *f)
{
  g_auto(TcCliRun) sample = { 0, };
  g_auto(TcCliRun) simulator = { 0, };
  g_auto(TcCliRun) consent = { 0, };

  tc_cli_run (f->db, NULL, &sample, "sample", "--count", "10", NULL);
  g_assert_cmpint (sample.status, ==, 0);
  tc_cli_run (f->db, NULL, &simulator, "providers", "set", "simulator", NULL);
  g_assert_cmpint (simulator.status, ==, 0);
  tc_cli_run (f->db, NULL, &consent, "consent", "add", "--phone", "+12125550100", "--channel", "sms",
           "--purpose", "transactional", "--source", "checkout", "--wording",
           "Text me updates about my order", NULL);
  g_assert_cmpint (consent.status, ==, 0);
}

static void
test_send_skipped (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcCliRun) run = { 0, };
  g_auto(TcCliRun) list = { 0, };
  JsonObject *row;
  JsonArray *rows;

  set_up_workspace (f);

  /* Consent for order updates is not consent for a sale. */
  tc_cli_run (f->db, NULL, &run, "send", "--channel", "sms", "--purpose", "promotional", "--to",
           "(212) 555-0100", "--body", "20% off today", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  row = tc_cli_parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (row, "reason"), ==, "no_consent");
  g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "+12125550100");
  g_assert_cmpstr (json_object_get_string_member (row, "channel"), ==, "sms");
  g_assert_cmpstr (json_object_get_string_member (row, "purpose"), ==, "promotional");
  g_assert_cmpstr (json_object_get_string_member (row, "body"), ==, "20% off today");
  g_assert_cmpint (json_object_get_int_member (row, "segments"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 0);
  g_assert_true (json_object_get_null_member (row, "provider_id"));
  g_assert_true (json_object_get_null_member (row, "sent_at"));

  tc_cli_run (f->db, NULL, &list, "outbox", "list", "--state", "skipped", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, list.out, -1, NULL));
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void
test_send_wait_and_stop_reply (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcCliRun) sent = { 0, };
  g_auto(TcCliRun) stop = { 0, };
  g_auto(TcCliRun) run = { 0, };
  g_auto(TcCliRun) list = { 0, };
  g_auto(TcCliRun) after = { 0, };
  JsonObject *row;
  JsonArray *rows;
  guint n_replies = 0;

  set_up_workspace (f);

  /* Through the gate, the engine and the simulator: the provider's id. */
  tc_cli_run (f->db, NULL, &sent, "send", "--channel", "sms", "--purpose", "transactional", "--to",
           "+12125550100", "--body", "Your order has shipped", "--wait", "--json", NULL);
  g_assert_cmpint (sent.status, ==, 0);
  row = tc_cli_parse_object (parser, sent.out);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "sent");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (row, "provider_id"), "SM"));
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 1);

  /* STOP queues one confirmation; the engine sends it. */
  tc_cli_run (f->db, NULL, &stop, "inbound", "--channel", "sms", "--from", "+12125550100", "--body", "STOP",
           "--json", NULL);
  g_assert_cmpint (stop.status, ==, 0);
  tc_cli_run (f->db, NULL, &run, "outbox", "run", "--until-idle", "--port", "0", NULL);
  g_assert_cmpint (run.status, ==, 0);

  tc_cli_run (f->db, NULL, &list, "outbox", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, list.out, -1, NULL));
  rows = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *entry = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "origin"), "reply") != 0)
        continue;
      n_replies++;
      g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "sent");
      g_assert_nonnull (strstr (json_object_get_string_member (entry, "body"), "unsubscribed"));
    }
  g_assert_cmpuint (n_replies, ==, 1);

  /* After STOP, even an order update is refused. */
  tc_cli_run (f->db, NULL, &after, "send", "--channel", "sms", "--purpose", "transactional", "--to",
           "+12125550100", "--body", "Your order was delivered", "--json", NULL);
  g_assert_cmpint (after.status, ==, 0);
  row = tc_cli_parse_object (parser, after.out);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "skipped");
  g_assert_cmpstr (json_object_get_string_member (row, "reason"), ==, "opted_out");
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  static const struct {
    const char *args[12];
    int         status;
    const char *message;
  } cases[] = {
    { { "send", "--channel", "sms", "--purpose", "promotional", "--to", "+12125550100", NULL },
      2, "--body TEXT or --template NAME" },
    { { "send", "--channel", "sms", "--purpose", "promotional", "--to", "+12125550100",
        "--body", "a", "--template", "b", NULL }, 2, "--body TEXT or --template NAME" },
    { { "send", "--channel", "fax", "--purpose", "promotional", "--to", "+12125550100",
        "--body", "a", NULL }, 2, "'fax'" },
    { { "send", "--channel", "sms", "--purpose", "spam", "--to", "+12125550100",
        "--body", "a", NULL }, 2, "'spam'" },
    { { "send", "--channel", "sms", "--purpose", "promotional", "--to", "hello",
        "--body", "a", NULL }, 1, "“hello”" },
    { { "outbox", "list", "--state", "lost", NULL }, 2, "'lost'" },
    { { "outbox", "fly", NULL }, 2, "'fly'" },
    { { "outbox", "run", "--port", "70000", NULL }, 2, "'70000'" },
  };
  g_auto(TcCliRun) sample = { 0, };

  tc_cli_run (f->db, NULL, &sample, "sample", "--count", "1", NULL);
  g_assert_cmpint (sample.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0, };

      tc_cli_run_argv (f->db, NULL, &run, cases[i].args);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, cases[i].message));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/tc/cli/send/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("skipped", test_send_skipped);
  ADD ("wait-and-stop-reply", test_send_wait_and_stop_reply);
  ADD ("usage", test_usage);

#undef ADD

  return g_test_run ();
}
