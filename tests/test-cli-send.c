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

  f->dir = g_dir_make_tmp ("tc-cli-send-XXXXXX", &error);
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

/* textcast-cli --db f->db ARGS… */
static void
run_cli (Fixture *f,
         Run     *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *arg;
  va_list args;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TEXTCAST_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* No keyring: the simulator needs none. */
  env = g_environ_unsetenv (env, "DBUS_SESSION_BUS_ADDRESS");

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  run->status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : WEXITSTATUS (wait_status);

  /* A sanitizer report fails the test even when the command succeeded. */
  g_assert_null (strstr (run->err, "Sanitizer"));
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
  g_auto(Run) consent = { 0, };

  run_cli (f, &sample, "sample", "--count", "10", NULL);
  g_assert_cmpint (sample.status, ==, 0);
  run_cli (f, &simulator, "providers", "set", "simulator", NULL);
  g_assert_cmpint (simulator.status, ==, 0);
  run_cli (f, &consent, "consent", "add", "--phone", "+12125550100", "--channel", "sms",
           "--purpose", "transactional", "--source", "checkout", "--wording",
           "Text me updates about my order", NULL);
  g_assert_cmpint (consent.status, ==, 0);
}

static void
test_send_skipped (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0, };
  g_auto(Run) list = { 0, };
  JsonObject *row;
  JsonArray *rows;

  set_up_workspace (f);

  /* Consent for order updates is not consent for a sale. */
  run_cli (f, &run, "send", "--channel", "sms", "--purpose", "promotional", "--to",
           "(212) 555-0100", "--body", "20% off today", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  row = parse_object (run.out, parser);
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

  run_cli (f, &list, "outbox", "list", "--state", "skipped", "--json", NULL);
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
  g_auto(Run) sent = { 0, };
  g_auto(Run) stop = { 0, };
  g_auto(Run) run = { 0, };
  g_auto(Run) list = { 0, };
  g_auto(Run) after = { 0, };
  JsonObject *row;
  JsonArray *rows;
  guint n_replies = 0;

  set_up_workspace (f);

  /* Through the gate, the engine and the simulator: the provider's id. */
  run_cli (f, &sent, "send", "--channel", "sms", "--purpose", "transactional", "--to",
           "+12125550100", "--body", "Your order has shipped", "--wait", "--json", NULL);
  g_assert_cmpint (sent.status, ==, 0);
  row = parse_object (sent.out, parser);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "sent");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (row, "provider_id"), "SM"));
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 1);

  /* STOP queues one confirmation; the engine sends it. */
  run_cli (f, &stop, "inbound", "--channel", "sms", "--from", "+12125550100", "--body", "STOP",
           "--json", NULL);
  g_assert_cmpint (stop.status, ==, 0);
  run_cli (f, &run, "outbox", "run", "--until-idle", "--port", "0", NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (f, &list, "outbox", "list", "--json", NULL);
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
  run_cli (f, &after, "send", "--channel", "sms", "--purpose", "transactional", "--to",
           "+12125550100", "--body", "Your order was delivered", "--json", NULL);
  g_assert_cmpint (after.status, ==, 0);
  row = parse_object (after.out, parser);
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
  g_auto(Run) sample = { 0, };

  run_cli (f, &sample, "sample", "--count", "1", NULL);
  g_assert_cmpint (sample.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int wait_status = 0;

      g_ptr_array_add (argv, (gpointer) g_getenv ("TEXTCAST_CLI"));
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, f->db);
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[a]);
      g_ptr_array_add (argv, NULL);

      g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                    &out, &err, &wait_status, &error);
      g_assert_no_error (error);
      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
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
