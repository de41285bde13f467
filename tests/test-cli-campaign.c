/* test-cli-campaign.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli campaign …` as a program, on a temporary workspace with
 * the built-in simulator: the JSON contract of create and report, a send
 * that goes through the engine, starting twice, pause / resume / cancel,
 * and the errors a person makes.
 */

#define G_LOG_DOMAIN "test-cli-campaign"

#include "config.h"

#include <string.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_cli_workspace_set_up (f, "tc-cli-campaign-XXXXXX");
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
  g_auto(TcCliRun) a = { 0, };
  g_auto(TcCliRun) b = { 0, };

  tc_cli_run (f->db, NULL, &sample, "sample", "--count", "30", NULL);
  g_assert_cmpint (sample.status, ==, 0);
  tc_cli_run (f->db, NULL, &simulator, "providers", "set", "simulator", NULL);
  g_assert_cmpint (simulator.status, ==, 0);
  tc_cli_run (f->db, "Hi {{first_name|there}}, 20% off today", &a, "templates", "save", "--name", "a",
                 "--kind", "sms", "--purpose", "promotional", NULL);
  g_assert_cmpint (a.status, ==, 0);
  tc_cli_run (f->db, "Hi {{first_name|there}}, free shipping today", &b, "templates", "save", "--name", "b",
                 "--kind", "sms", "--purpose", "promotional", NULL);
  g_assert_cmpint (b.status, ==, 0);
}

static void
test_create_send_report (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcCliRun) create = { 0, };
  g_auto(TcCliRun) send = { 0, };
  g_auto(TcCliRun) again = { 0, };
  g_auto(TcCliRun) report = { 0, };
  g_auto(TcCliRun) list = { 0, };
  JsonObject *object;
  const char * const contract[] = {
    "audience", "intended", "sent", "delivered", "failed", "skipped", "deferred", "read",
    "replies", "opt_outs", "clicks", "conversions", "revenue", "cost",
  };
  gint64 audience, intended, queued;

  set_up_workspace (f);

  tc_cli_run (f->db, NULL, &create, "campaign", "create", "--name", "Spring sale", "--channel", "sms", "--purpose",
           "promotional", "--template", "a,b", "--all", "--holdout", "10", "--json", NULL);
  g_assert_cmpint (create.status, ==, 0);
  g_assert_cmpstr (create.out, ==, "{\"id\":1}\n");

  tc_cli_run (f->db, NULL, &send, "campaign", "send", "1", "--wait", "--port", "0", "--json", NULL);
  g_assert_cmpint (send.status, ==, 0);
  object = tc_cli_parse_object (parser, send.out);
  audience = json_object_get_int_member (object, "audience_size");
  intended = json_object_get_int_member (object, "intended");
  queued = json_object_get_int_member (object, "queued");
  g_assert_cmpint (audience, ==, 30);
  g_assert_cmpint (intended, ==, 27);
  g_assert_cmpint (queued, ==, 27);

  /* Sent again: nobody twice. */
  tc_cli_run (f->db, NULL, &again, "campaign", "send", "1", "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  object = tc_cli_parse_object (parser, again.out);
  g_assert_cmpint (json_object_get_int_member (object, "queued"), ==, 27);

  tc_cli_run (f->db, NULL, &report, "campaign", "report", "1", "--json", NULL);
  g_assert_cmpint (report.status, ==, 0);
  object = tc_cli_parse_object (parser, report.out);
  for (guint i = 0; i < G_N_ELEMENTS (contract); i++)
    if (!json_object_has_member (object, contract[i]))
      g_error ("the report has no “%s”: %s", contract[i], report.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "skipped")));
  g_assert_cmpint (json_object_get_int_member (object, "audience"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (object, "intended"), ==, 27);
  /* Whatever the gate let through now was handed to the simulator. */
  g_assert_cmpint (json_object_get_int_member (object, "sent"), >, 0);
  g_assert_cmpint (json_object_get_int_member (object, "sent") +
                   json_object_get_int_member (object, "deferred") +
                   json_object_get_int_member (object, "waiting"), <=, 27);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "variants")), ==, 2);

  tc_cli_run (f->db, NULL, &list, "campaign", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, list.out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_auto(TcCliRun) create = { 0, };
  g_auto(TcCliRun) pause_draft = { 0, };
  g_auto(TcCliRun) del = { 0, };
  g_auto(TcCliRun) create2 = { 0, };
  g_auto(TcCliRun) send = { 0, };
  g_auto(TcCliRun) pause = { 0, };
  g_auto(TcCliRun) resume = { 0, };
  g_auto(TcCliRun) cancel = { 0, };
  g_auto(TcCliRun) show = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();

  set_up_workspace (f);

  tc_cli_run (f->db, NULL, &create, "campaign", "create", "--name", "Draft", "--channel", "sms", "--purpose",
           "promotional", "--template", "a", "--all", NULL);
  g_assert_cmpint (create.status, ==, 0);
  tc_cli_run (f->db, NULL, &pause_draft, "campaign", "pause", "1", NULL);
  g_assert_cmpint (pause_draft.status, ==, 1);
  g_assert_nonnull (strstr (pause_draft.err, "draft"));
  tc_cli_run (f->db, NULL, &del, "campaign", "delete", "1", NULL);
  g_assert_cmpint (del.status, ==, 0);

  /* 10:00 in each recipient's zone: everything waits, so pause holds it. */
  tc_cli_run (f->db, NULL, &create2, "campaign", "create", "--name", "Morning", "--channel", "sms", "--purpose",
           "promotional", "--template", "a", "--all", "--local-time", "10:00", "--on", "2030-01-07", NULL);
  g_assert_cmpint (create2.status, ==, 0);
  tc_cli_run (f->db, NULL, &send, "campaign", "send", "2", NULL);
  g_assert_cmpint (send.status, ==, 0);
  tc_cli_run (f->db, NULL, &pause, "campaign", "pause", "2", NULL);
  g_assert_cmpint (pause.status, ==, 0);
  tc_cli_run (f->db, NULL, &resume, "campaign", "resume", "2", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  tc_cli_run (f->db, NULL, &cancel, "campaign", "cancel", "2", NULL);
  g_assert_cmpint (cancel.status, ==, 0);
  tc_cli_run (f->db, NULL, &show, "campaign", "show", "2", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (tc_cli_parse_object (parser, show.out), "state"), ==, "cancelled");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct {
    const char *args[20];
    int         status;
    const char *message;
  } cases[] = {
    { { "campaign", "create", "--channel", "sms", "--purpose", "promotional", "--template", "a", "--all" },
      2, "--name" },
    { { "campaign", "create", "--name", "X", "--channel", "fax", "--purpose", "promotional", "--template", "a",
        "--all" }, 2, "not 'fax'" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a" },
      2, "--segment NAME or --all" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a,b",
        "--split", "50", "--all" }, 2, "one share per template" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a",
        "--all", "--local-time", "25:00" }, 2, "“25:00”" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "nope",
        "--all" }, 1, "“nope”" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a",
        "--segment", "VIP" }, 1, "“VIP”" },
    { { "campaign", "send", "x" }, 2, "the campaign's id" },
    { { "campaign", "send", "42" }, 1, "no campaign 42" },
    { { "campaign", "report", "1", "--by", "tier" }, 2, "--cohort" },
    { { "campaign", "fly", "1" }, 2, "unknown campaign command" },
    { { "campaign", "test", "1" }, 2, "--to NUMBER" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a,b",
        "--all", "--test", "20" }, 2, "--winner-metric" },
    { { "campaign", "create", "--name", "X", "--channel", "sms", "--purpose", "promotional", "--template", "a",
        "--all", "--test", "20", "--winner-metric", "clicks", "--winner-after", "4" }, 1, "at least two variants" },
    { { "campaign", "winner", "1" }, 1, "no campaign 1" },
    { { "campaign", "test", "1", "--to", "12" }, 1, "“12”" },
  };

  set_up_workspace (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0, };

      g_test_message ("case %u", i);
      tc_cli_run_argv (f->db, NULL, &run, cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (strstr (run.err, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, run.err, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/tc/cli/campaign/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-send-report", test_create_send_report);
  ADD ("actions", test_actions);
  ADD ("errors", test_errors);

#undef ADD

  return g_test_run ();
}
