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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tc-cli-campaign-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

/* textcast-cli --db f->db ARGS… with @input on standard input. */
static void
run_cli_v (Fixture    *f,
           Run        *run,
           const char *input,
           va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TEXTCAST_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* No keyring: the simulator needs none. */
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);

  /* A sanitizer report fails the test even when the command succeeded. */
  g_assert_null (strstr (run->err, "Sanitizer"));
}

static void
run_cli (Fixture *f,
         Run     *run,
         ...)
{
  va_list args;

  va_start (args, run);
  run_cli_v (f, run, NULL, args);
  va_end (args);
}

static void
run_cli_input (Fixture    *f,
               Run        *run,
               const char *input,
               ...)
{
  va_list args;

  va_start (args, input);
  run_cli_v (f, run, input, args);
  va_end (args);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
set_up_workspace (Fixture *f)
{
  g_auto(Run) sample = { 0, };
  g_auto(Run) simulator = { 0, };
  g_auto(Run) a = { 0, };
  g_auto(Run) b = { 0, };

  run_cli (f, &sample, "sample", "--count", "30", NULL);
  g_assert_cmpint (sample.status, ==, 0);
  run_cli (f, &simulator, "providers", "set", "simulator", NULL);
  g_assert_cmpint (simulator.status, ==, 0);
  run_cli_input (f, &a, "Hi {{first_name|there}}, 20% off today", "templates", "save", "--name", "a",
                 "--kind", "sms", "--purpose", "promotional", NULL);
  g_assert_cmpint (a.status, ==, 0);
  run_cli_input (f, &b, "Hi {{first_name|there}}, free shipping today", "templates", "save", "--name", "b",
                 "--kind", "sms", "--purpose", "promotional", NULL);
  g_assert_cmpint (b.status, ==, 0);
}

static void
test_create_send_report (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) create = { 0, };
  g_auto(Run) send = { 0, };
  g_auto(Run) again = { 0, };
  g_auto(Run) report = { 0, };
  g_auto(Run) list = { 0, };
  JsonObject *object;
  const char * const contract[] = {
    "audience", "intended", "sent", "delivered", "failed", "skipped", "deferred", "read",
    "replies", "opt_outs", "clicks", "conversions", "revenue", "cost",
  };
  gint64 audience, intended, queued;

  set_up_workspace (f);

  run_cli (f, &create, "campaign", "create", "--name", "Spring sale", "--channel", "sms", "--purpose",
           "promotional", "--template", "a,b", "--all", "--holdout", "10", "--json", NULL);
  g_assert_cmpint (create.status, ==, 0);
  g_assert_cmpstr (create.out, ==, "{\"id\":1}\n");

  run_cli (f, &send, "campaign", "send", "1", "--wait", "--port", "0", "--json", NULL);
  g_assert_cmpint (send.status, ==, 0);
  object = parse_object (send.out, parser);
  audience = json_object_get_int_member (object, "audience_size");
  intended = json_object_get_int_member (object, "intended");
  queued = json_object_get_int_member (object, "queued");
  g_assert_cmpint (audience, ==, 30);
  g_assert_cmpint (intended, ==, 27);
  g_assert_cmpint (queued, ==, 27);

  /* Sent again: nobody twice. */
  run_cli (f, &again, "campaign", "send", "1", "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  object = parse_object (again.out, parser);
  g_assert_cmpint (json_object_get_int_member (object, "queued"), ==, 27);

  run_cli (f, &report, "campaign", "report", "1", "--json", NULL);
  g_assert_cmpint (report.status, ==, 0);
  object = parse_object (report.out, parser);
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

  run_cli (f, &list, "campaign", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, list.out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) create = { 0, };
  g_auto(Run) pause_draft = { 0, };
  g_auto(Run) del = { 0, };
  g_auto(Run) create2 = { 0, };
  g_auto(Run) send = { 0, };
  g_auto(Run) pause = { 0, };
  g_auto(Run) resume = { 0, };
  g_auto(Run) cancel = { 0, };
  g_auto(Run) show = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();

  set_up_workspace (f);

  run_cli (f, &create, "campaign", "create", "--name", "Draft", "--channel", "sms", "--purpose",
           "promotional", "--template", "a", "--all", NULL);
  g_assert_cmpint (create.status, ==, 0);
  run_cli (f, &pause_draft, "campaign", "pause", "1", NULL);
  g_assert_cmpint (pause_draft.status, ==, 1);
  g_assert_nonnull (strstr (pause_draft.err, "draft"));
  run_cli (f, &del, "campaign", "delete", "1", NULL);
  g_assert_cmpint (del.status, ==, 0);

  /* 10:00 in each recipient's zone: everything waits, so pause holds it. */
  run_cli (f, &create2, "campaign", "create", "--name", "Morning", "--channel", "sms", "--purpose",
           "promotional", "--template", "a", "--all", "--local-time", "10:00", "--on", "2030-01-07", NULL);
  g_assert_cmpint (create2.status, ==, 0);
  run_cli (f, &send, "campaign", "send", "2", NULL);
  g_assert_cmpint (send.status, ==, 0);
  run_cli (f, &pause, "campaign", "pause", "2", NULL);
  g_assert_cmpint (pause.status, ==, 0);
  run_cli (f, &resume, "campaign", "resume", "2", NULL);
  g_assert_cmpint (resume.status, ==, 0);
  run_cli (f, &cancel, "campaign", "cancel", "2", NULL);
  g_assert_cmpint (cancel.status, ==, 0);
  run_cli (f, &show, "campaign", "show", "2", "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (parse_object (show.out, parser), "state"), ==, "cancelled");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct {
    const char *args[16];
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
    { { "campaign", "test", "1", "--to", "12" }, 1, "“12”" },
  };

  set_up_workspace (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("case %u", i);
      g_ptr_array_add (argv, (gpointer) g_getenv ("TEXTCAST_CLI"));
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[a]);
      g_ptr_array_add (argv, NULL);
      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, cases[i].status);
      if (strstr (err, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, err, cases[i].message);
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
