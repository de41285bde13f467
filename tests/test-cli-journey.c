/* test-cli-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli journey …` (path in $TEXTCAST_CLI) on a
 * temporary workspace: the ready-made journeys and the templates they
 * create, export / import / validate of JSON files, activate (refused with
 * the problems when there are any) and pause, the list, and the exit
 * status of bad input and bad usage.
 */

#define G_LOG_DOMAIN "test-cli-journey"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    tc_cli_run_argv ((f)->db, NULL, (run), args_); \
  } G_STMT_END

#define RUN_DB(db, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    tc_cli_run_argv ((db), NULL, (run), args_); \
  } G_STMT_END

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
}

/* The one line of JSON a command printed. */
static JsonNode *
parse_line (const Run *run)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);
  node = json_from_string (run->out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static void
assert_failure (const Run  *run,
                int         status,
                const char *message_part)
{
  if (run->status != status)
    g_error ("expected exit status %d, got %d; stderr: %s", status, run->status, run->err);
  if (strstr (run->err, message_part) == NULL)
    g_error ("expected stderr to contain “%s”, got “%s”", message_part, run->err);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_cli_workspace_set_up (f, "tc-cli-journey-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static gint64
create_from (Fixture    *f,
             const char *name)
{
  g_auto(TcCliRun) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  RUN (f, &run, "journey", "create", "--from-template", name, "--json");
  assert_ok (&run);
  node = parse_line (&run);
  object = json_node_get_object (node);
  /* The contract: exactly {"id": N}. */
  g_assert_cmpuint (json_object_get_size (object), ==, 1);

  return json_object_get_int_member (object, "id");
}

static void
test_templates_create (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const names[] = {
    "cart_abandonment", "back_in_stock", "welcome", "post_purchase_feedback", "birthday_offer"
  };
  g_auto(TcCliRun) templates = { 0 };
  g_auto(TcCliRun) list = { 0 };
  g_auto(TcCliRun) sms = { 0 };
  g_auto(TcCliRun) text = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  g_autoptr(JsonNode) sms_node = NULL;
  JsonArray *array;

  /* Needs no workspace. */
  RUN (f, &templates, "journey", "templates", "--json");
  assert_ok (&templates);
  node = parse_line (&templates);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (entry, "title"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (entry, "description"), !=, "");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "templates")),
                        ==, 2);
    }
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpint (create_from (f, names[i]), ==, i + 1);
  /* Again: a new journey, no new templates. */
  g_assert_cmpint (create_from (f, "cart_abandonment"), ==, 6);

  RUN (f, &sms, "templates", "list", "--json");
  assert_ok (&sms);
  sms_node = parse_line (&sms);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (sms_node)), ==, 10);

  RUN (f, &list, "journey", "list", "--json");
  assert_ok (&list);
  list_node = parse_line (&list);
  array = json_node_get_array (list_node);
  g_assert_cmpuint (json_array_get_length (array), ==, 6);
  {
    JsonObject *first = json_array_get_object_element (array, 0);

    g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Cart abandonment");
    g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "draft");
    g_assert_cmpint (json_object_get_int_member (first, "version"), ==, 1);
    g_assert_true (json_object_get_null_member (first, "active_version"));
    g_assert_cmpstr (json_object_get_string_member (first, "template"), ==, "cart_abandonment");
    g_assert_cmpint (json_object_get_int_member (first, "nodes"), ==, 8);
  }

  RUN (f, &text, "journey", "create", "--from-template", "cart_abandonment");
  assert_ok (&text);
  g_assert_true (g_str_has_prefix (text.out, "Created journey 7 (a draft) from “cart_abandonment”"));
}

static void
test_export_import_validate (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(TcCliRun) export_run = { 0 };
  g_auto(TcCliRun) validate = { 0 };
  g_auto(TcCliRun) offline = { 0 };
  g_auto(TcCliRun) import = { 0 };
  g_auto(TcCliRun) export_again = { 0 };
  g_auto(TcCliRun) stdout_run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) offline_node = NULL;
  g_autoptr(JsonNode) import_node = NULL;
  g_autofree char *path = g_build_filename (f->dir, "cart.json", NULL);
  g_autofree char *path2 = g_build_filename (f->dir, "cart2.json", NULL);
  g_autofree char *missing_db = g_build_filename (f->dir, "none.db", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  JsonObject *object;

  g_assert_cmpint (create_from (f, "cart_abandonment"), ==, 1);

  RUN (f, &export_run, "journey", "export", "1", path);
  assert_ok (&export_run);
  g_assert_cmpstr (export_run.out, ==, "");

  RUN (f, &validate, "journey", "validate", path, "--json");
  assert_ok (&validate);
  node = parse_line (&validate);
  object = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (object, "valid"));
  g_assert_true (json_object_get_boolean_member (object, "templates_checked"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "problems")),
                    ==, 0);

  /* Without a workspace the templates cannot be checked, the rest is. */
  RUN_DB (missing_db, &offline, "journey", "validate", path, "--json");
  assert_ok (&offline);
  offline_node = parse_line (&offline);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (offline_node),
                                                  "templates_checked"));
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));

  RUN (f, &import, "journey", "import", path, "--json");
  assert_ok (&import);
  import_node = parse_line (&import);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (import_node), "id"), ==, 2);

  /* What was imported exports the same. */
  RUN (f, &export_again, "journey", "export", "2", path2);
  assert_ok (&export_again);
  g_assert_true (g_file_get_contents (path, &first, NULL, NULL));
  g_assert_true (g_file_get_contents (path2, &second, NULL, NULL));
  g_assert_cmpstr (first, ==, second);
  RUN (f, &stdout_run, "journey", "export", "2", "-");
  assert_ok (&stdout_run);
  g_assert_cmpstr (stdout_run.out, ==, first);
}

static const char broken_journey[] =
  "{\"name\":\"Broken\",\"nodes\":["
  "{\"id\":\"t\",\"kind\":\"trigger\",\"config\":{\"event\":\"order_placed\"}},"
  "{\"id\":\"s\",\"kind\":\"send_sms\",\"config\":{\"template\":\"\",\"purpose\":\"promotional\"}},"
  "{\"id\":\"ab\",\"kind\":\"split\",\"config\":{\"branches\":[{\"name\":\"A\",\"percent\":70},"
  "{\"name\":\"B\",\"percent\":20}]},\"ends\":[\"A\",\"B\"]}],"
  "\"edges\":[{\"from\":\"t\",\"port\":\"next\",\"to\":\"s\"},"
  "{\"from\":\"s\",\"port\":\"sent\",\"to\":\"ab\"}]}";

static void
test_validate_problems (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(TcCliRun) validate = { 0 };
  g_auto(TcCliRun) validate_text = { 0 };
  g_auto(TcCliRun) bad = { 0 };
  g_auto(TcCliRun) bad_json = { 0 };
  g_auto(TcCliRun) not_there = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad_node = NULL;
  g_autofree char *path = write_file (f, "broken.json", broken_journey);
  g_autofree char *bad_path = write_file (f, "bad.json",
                                          "{\"name\":\"X\",\"nodes\":[{\"id\":\"wait-1\","
                                          "\"kind\":\"wait\",\"config\":{\"duration\":-5}}]}");
  g_autofree char *nowhere = g_build_filename (f->dir, "nowhere.json", NULL);
  JsonObject *object;
  JsonArray *problems;
  static const char * const expected[][2] = {
    { "s", "output_unconnected" },
    { "s", "no_template" },
    { "ab", "split_total" },
  };

  RUN (f, &validate, "journey", "validate", path, "--json");
  g_assert_cmpint (validate.status, ==, 1);
  node = parse_line (&validate);
  object = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (object, "valid"));
  problems = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *problem = json_array_get_object_element (problems, i);

      g_assert_cmpstr (json_object_get_string_member (problem, "node"), ==, expected[i][0]);
      g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, expected[i][1]);
      g_assert_nonnull (strstr (json_object_get_string_member (problem, "message"),
                                expected[i][0]));
    }

  RUN (f, &validate_text, "journey", "validate", path);
  assert_failure (&validate_text, 1, "the journey “Broken” has 3 problems");
  g_assert_nonnull (strstr (validate_text.err, "Node “ab” splits 90 %"));

  /* A file that is not a journey: one problem naming node, field, value. */
  RUN (f, &bad_json, "journey", "validate", bad_path, "--json");
  g_assert_cmpint (bad_json.status, ==, 1);
  bad_node = parse_line (&bad_json);
  problems = json_object_get_array_member (json_node_get_object (bad_node), "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0),
                                                  "code"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0),
                                                  "message"), ==,
                   "node “wait-1”: “duration” must be a positive number of seconds, got “-5”");

  RUN (f, &bad, "journey", "import", bad_path, "--json");
  assert_failure (&bad, 1, "node “wait-1”: “duration” must be a positive number of seconds");
  g_assert_cmpstr (bad.out, ==, "");
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  RUN (f, &not_there, "journey", "import", nowhere);
  assert_failure (&not_there, 1, "cannot read");
}

static void
test_activate_pause (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(TcCliRun) import = { 0 };
  g_auto(TcCliRun) refused = { 0 };
  g_auto(TcCliRun) activate = { 0 };
  g_auto(TcCliRun) again = { 0 };
  g_auto(TcCliRun) pause = { 0 };
  g_auto(TcCliRun) pause_draft = { 0 };
  g_auto(TcCliRun) list = { 0 };
  g_auto(TcCliRun) missing = { 0 };
  g_autoptr(JsonNode) refused_node = NULL;
  g_autoptr(JsonNode) activate_node = NULL;
  g_autoptr(JsonNode) list_node = NULL;
  g_autofree char *path = write_file (f, "other.json",
    "{\"name\":\"Other\",\"nodes\":["
    "{\"id\":\"t\",\"kind\":\"trigger\",\"config\":{\"event\":\"order_placed\"}},"
    "{\"id\":\"s\",\"kind\":\"send_sms\",\"config\":{\"template\":\"not_made_yet\","
    "\"purpose\":\"transactional\"},\"ends\":[\"sent\",\"skipped\"]}],"
    "\"edges\":[{\"from\":\"t\",\"port\":\"next\",\"to\":\"s\"}]}");
  JsonObject *object;
  JsonArray *array;

  g_assert_cmpint (create_from (f, "back_in_stock"), ==, 1);
  RUN (f, &import, "journey", "import", path, "--json");
  assert_ok (&import);

  /* Refused, with the problems, and nothing changes. */
  RUN (f, &refused, "journey", "activate", "2", "--json");
  assert_failure (&refused, 1, "journey 2 was not activated");
  g_assert_nonnull (strstr (refused.err, "“not_made_yet”, which does not exist"));
  refused_node = parse_line (&refused);
  object = json_node_get_object (refused_node);
  g_assert_false (json_object_get_boolean_member (object, "activated"));
  array = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "code"), ==, "template_missing");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "node"), ==, "s");

  RUN (f, &activate, "journey", "activate", "1", "--json");
  assert_ok (&activate);
  activate_node = parse_line (&activate);
  object = json_node_get_object (activate_node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "active");
  g_assert_cmpint (json_object_get_int_member (object, "active_version"), ==, 1);
  RUN (f, &again, "journey", "activate", "1");
  assert_ok (&again);
  g_assert_cmpstr (again.out, ==, "Journey 1 is active (version 1)\n");

  RUN (f, &pause, "journey", "pause", "1", "--json");
  assert_ok (&pause);
  g_assert_cmpstr (pause.out, ==, "{\"id\":1,\"state\":\"paused\"}\n");
  RUN (f, &pause_draft, "journey", "pause", "2");
  assert_failure (&pause_draft, 1, "Journey 2 is a draft");

  RUN (f, &list, "journey", "list", "--json");
  assert_ok (&list);
  list_node = parse_line (&list);
  array = json_node_get_array (list_node);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "state"), ==, "paused");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0),
                                               "active_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "state"), ==, "draft");

  RUN (f, &missing, "journey", "activate", "9");
  assert_failure (&missing, 1, "There is no journey 9");
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char *args[5];
    int         status;
    const char *message;
  } cases[] = {
    { { "journey" }, 2, "'journey' needs a command" },
    { { "journey", "fly" }, 2, "unknown command 'journey fly'" },
    { { "journey", "create" }, 2, "'journey create' needs --from-template NAME" },
    { { "journey", "create", "--from-template", "nope" }, 1, "no ready-made journey called 'nope'" },
    { { "journey", "export", "abc", "x.json" }, 2, "needs the ID of a journey" },
    { { "journey", "export", "1" }, 2, "needs the FILE to write" },
    { { "journey", "import" }, 2, "needs a journey FILE.json" },
    { { "journey", "list", "extra" }, 2, "unexpected argument 'extra'" },
    { { "journey", "list", "--from-template", "x" }, 2, "--from-template" },
    { { "journey", "list" }, 1, "no workspace" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TcCliRun) run = { 0 };

      tc_cli_run_argv (f->db, NULL, &run, cases[i].args);
      assert_failure (&run, cases[i].status, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/cli-journey/templates-create", Fixture, NULL, fixture_set_up,
              test_templates_create, fixture_tear_down);
  g_test_add ("/tc/cli-journey/export-import-validate", Fixture, NULL, fixture_set_up,
              test_export_import_validate, fixture_tear_down);
  g_test_add ("/tc/cli-journey/validate-problems", Fixture, NULL, fixture_set_up,
              test_validate_problems, fixture_tear_down);
  g_test_add ("/tc/cli-journey/activate-pause", Fixture, NULL, fixture_set_up,
              test_activate_pause, fixture_tear_down);
  g_test_add ("/tc/cli-journey/usage", Fixture, NULL, fixture_set_up, test_usage,
              fixture_tear_down);

  return g_test_run ();
}
