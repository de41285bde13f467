/* test-cli.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real textcast-cli (path in $TEXTCAST_CLI) on temporary
 * workspaces and checks its output, JSON and exit status.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

/* Line 1 is the header. Line 4 and line 7 are rejected; line 6 is Grace
 * again in another format (same E.164), so it updates her. Line 3 has no
 * country and relies on --region. */
static const char fixture_csv[] =
  "First Name,Last Name,Mobile,E-mail,Tags,Country,Loyalty Tier\r\n"
  "Ada,Lovelace,+44 7400 123456,ada@example.com,\"vip,newsletter\",GB,gold\r\n"
  "Grace,Hopper,(415) 555-0132,grace@example.com,newsletter,,silver\r\n"
  "Alan,Turing,not a number,alan@example.com,,GB,bronze\r\n"
  "Linus,Torvalds,0151 12345678,linus@example.org,,DE,bronze\r\n"
  "Grace,Hopper,415.555.0132,grace.hopper@navy.example,,US,silver\r\n"
  "Margaret,Hamilton,123,margaret@example.com,,US,gold\r\n"
  "Katherine,Johnson,+1 212 555 0199,kj@example.com,wholesale,US,platinum\r\n";

typedef struct
{
  char *tmpdir;
  char *db;
  char *csv;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static const char *
cli_path (void)
{
  const char *path = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (path);
  return path;
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->tmpdir, name, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = fixture_path (fixture, "workspace.db");
  fixture->csv = fixture_path (fixture, "customers.csv");
  g_file_set_contents (fixture->csv, fixture_csv, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmpdir, 0, NULL);
  const char *name;

  /* The workspace holds only plain files (the database, its -wal and -shm,
   * CSV files), so one level is enough. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = fixture_path (fixture, name);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->tmpdir), ==, 0);

  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db, g_free);
  g_clear_pointer (&fixture->csv, g_free);
}

/* Runs textcast-cli with @args (NULL-terminated); XDG_DATA_HOME points into
 * the fixture so a forgotten --db never touches the real workspace. */
static void
run_cli_env (Fixture            *fixture,
             const char         *textcast_db,
             const char * const *args,
             CliResult          *result)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->tmpdir, TRUE);
  if (textcast_db != NULL)
    g_subprocess_launcher_setenv (launcher, "TEXTCAST_DB", textcast_db, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TEXTCAST_DB");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

#define run_cli(fixture, result, ...) \
  G_STMT_START { \
    const char *cli_args_[] = { __VA_ARGS__, NULL }; \
    run_cli_env ((fixture), NULL, cli_args_, (result)); \
  } G_STMT_END

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* A one-line error: "textcast-cli: …\n" and nothing else. */
static void
assert_one_line_error (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "textcast-cli: "));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (gssize) strlen (err) - 1);
}

static void
assert_usage_error (const CliResult *result)
{
  g_assert_cmpint (result->status, ==, 2);
  g_assert_true (g_str_has_prefix (result->err, "textcast-cli: "));
  g_assert_nonnull (strstr (result->err, "Usage: textcast-cli"));
  g_assert_cmpstr (result->out, ==, "");
}

static JsonArray *
list_contacts (Fixture    *fixture,
               const char *db,
               JsonNode  **root_out,
               const char *extra1,
               const char *extra2,
               const char *extra3,
               const char *extra4)
{
  CliResult result = { 0 };
  const char *args[] = { "contacts", "list", "--json", "--db", db,
                         extra1, extra2, extra3, extra4, NULL };
  JsonNode *root;

  run_cli_env (fixture, NULL, args, &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json (result.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  cli_result_clear (&result);

  *root_out = root;
  return json_node_get_array (root);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return json_object_get_string_member (object, member);
}

static gboolean
string_array_contains (JsonArray  *array,
                       const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;

  return FALSE;
}

static JsonObject *
find_by_phone (JsonArray  *contacts,
               const char *phone)
{
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonObject *contact = json_array_get_object_element (contacts, i);

      if (g_strcmp0 (json_object_get_string_member (contact, "phone"), phone) == 0)
        return contact;
    }

  return NULL;
}

static void
import_fixture (Fixture *fixture)
{
  CliResult result = { 0 };

  run_cli (fixture, &result, "contacts", "import", fixture->csv, "--region", "US",
           "--db", fixture->db, "--json");
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  cli_result_clear (&result);
}

static void
test_import_json (Fixture       *fixture,
                  gconstpointer  data)
{
  CliResult result = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *report;
  JsonArray *errors;
  JsonObject *issue;

  run_cli (fixture, &result, "--db", fixture->db, "contacts", "import", fixture->csv,
           "--region", "US", "--json");
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);

  root = parse_json (result.out);
  report = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (report, "rows"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "updated"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "rejected"), ==, 2);

  errors = json_object_get_array_member (report, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 2);
  issue = json_array_get_object_element (errors, 0);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 4);
  g_assert_cmpstr (member_string (issue, "value"), ==, "not a number");
  g_assert_cmpstr (member_string (issue, "reason"), !=, "");
  issue = json_array_get_object_element (errors, 1);
  g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, 7);
  g_assert_cmpstr (member_string (issue, "value"), ==, "123");
  g_assert_cmpstr (member_string (issue, "reason"), !=, "");

  cli_result_clear (&result);
}

static void
test_import_text (Fixture       *fixture,
                  gconstpointer  data)
{
  CliResult result = { 0 };

  run_cli (fixture, &result, "contacts", "import", fixture->csv, "--region", "us",
           "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_nonnull (strstr (result.out, "7 rows read, 4 imported, 1 updated, 2 rejected"));
  g_assert_nonnull (strstr (result.out, "line 4: \"not a number\""));
  g_assert_nonnull (strstr (result.out, "line 7: \"123\""));
  cli_result_clear (&result);
}

/* The human summary lists the first 20 rejected rows; --json all of them. */
static void
test_import_many_rejected (Fixture       *fixture,
                           gconstpointer  data)
{
  CliResult result = { 0 };
  g_autoptr(GString) csv = g_string_new ("Phone,Name\n");
  g_autofree char *path = fixture_path (fixture, "bad.csv");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *errors;

  for (guint i = 0; i < 25; i++)
    g_string_append_printf (csv, "not a number %u,Person %u\n", i, i);
  g_string_append (csv, "+14155550123,Valid Person\n");
  g_file_set_contents (path, csv->str, -1, &error);
  g_assert_no_error (error);

  run_cli (fixture, &result, "contacts", "import", path, "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "26 rows read, 1 imported, 0 updated, 25 rejected"));
  g_assert_nonnull (strstr (result.out, "line 21: \"not a number 19\""));
  g_assert_null (strstr (result.out, "line 22:"));
  g_assert_nonnull (strstr (result.out, "and 5 more"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "import", path, "--db", fixture->db, "--json");
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json (result.out);
  errors = json_object_get_array_member (json_node_get_object (root), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 25);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (errors, 24), "line"), ==, 26);
  cli_result_clear (&result);
}

static void
test_import_fatal (Fixture       *fixture,
                   gconstpointer  data)
{
  CliResult result = { 0 };
  g_autofree char *missing = fixture_path (fixture, "missing.csv");
  g_autofree char *no_phone = fixture_path (fixture, "no-phone.csv");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  run_cli (fixture, &result, "contacts", "import", missing, "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_nonnull (strstr (result.err, "missing.csv"));
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);

  g_file_set_contents (no_phone, "Name,Colour\r\nAda,green\r\n", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &result, "contacts", "import", no_phone, "--db", fixture->db, "--json");
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);

  /* Nothing was imported by the failed attempts. */
  run_cli (fixture, &result, "contacts", "count", "--json", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  root = parse_json (result.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "count"), ==, 0);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "import", fixture->csv, "--region", "QQ",
           "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_nonnull (strstr (result.err, "QQ"));
  cli_result_clear (&result);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonNode) all_root = NULL;
  g_autoptr(JsonNode) search_root = NULL;
  g_autoptr(JsonNode) email_root = NULL;
  g_autoptr(JsonNode) tag_root = NULL;
  g_autoptr(JsonNode) limit_root = NULL;
  g_autoptr(JsonNode) offset_root = NULL;
  g_autoptr(JsonNode) none_root = NULL;
  static const char * const order[] = { "Hopper", "Johnson", "Lovelace", "Torvalds" };
  JsonArray *all, *found;
  JsonObject *grace, *ada, *attributes;

  import_fixture (fixture);

  all = list_contacts (fixture, fixture->db, &all_root, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      JsonObject *contact = json_array_get_object_element (all, i);

      g_assert_cmpstr (member_string (contact, "last_name"), ==, order[i]);
      g_assert_cmpint (json_object_get_int_member (contact, "id"), >, 0);
    }

  /* The duplicate row updated Grace: new email, tags kept. */
  grace = find_by_phone (all, "+14155550132");
  g_assert_nonnull (grace);
  g_assert_cmpstr (member_string (grace, "first_name"), ==, "Grace");
  g_assert_cmpstr (member_string (grace, "email"), ==, "grace.hopper@navy.example");
  g_assert_cmpstr (member_string (grace, "country"), ==, "US");
  g_assert_true (string_array_contains (json_object_get_array_member (grace, "timezones"),
                                        "America/Los_Angeles"));
  g_assert_true (string_array_contains (json_object_get_array_member (grace, "tags"),
                                        "newsletter"));
  attributes = json_object_get_object_member (grace, "attributes");
  g_assert_cmpstr (member_string (attributes, "Loyalty Tier"), ==, "silver");

  ada = find_by_phone (all, "+447400123456");
  g_assert_nonnull (ada);
  g_assert_cmpstr (member_string (ada, "country"), ==, "GB");
  g_assert_true (string_array_contains (json_object_get_array_member (ada, "timezones"),
                                        "Europe/London"));
  g_assert_true (string_array_contains (json_object_get_array_member (ada, "tags"), "vip"));
  g_assert_true (string_array_contains (json_object_get_array_member (ada, "tags"), "newsletter"));

  g_assert_nonnull (find_by_phone (all, "+4915112345678"));
  g_assert_nonnull (find_by_phone (all, "+12125550199"));

  found = list_contacts (fixture, fixture->db, &search_root, "--search", "LOVELACE", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 0), "first_name"), ==, "Ada");

  found = list_contacts (fixture, fixture->db, &email_root, "--search", "example.org", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 0), "last_name"), ==, "Torvalds");

  found = list_contacts (fixture, fixture->db, &tag_root, "--tag", "newsletter", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 0), "last_name"), ==, "Hopper");
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 1), "last_name"), ==, "Lovelace");

  found = list_contacts (fixture, fixture->db, &limit_root, "--limit", "2", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 0), "last_name"), ==, "Hopper");
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 1), "last_name"), ==, "Johnson");

  found = list_contacts (fixture, fixture->db, &offset_root, "--limit", "2", "--offset", "2");
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 0), "last_name"), ==, "Lovelace");
  g_assert_cmpstr (member_string (json_array_get_object_element (found, 1), "last_name"), ==, "Torvalds");

  found = list_contacts (fixture, fixture->db, &none_root, "--search", "nobody-by-that-name", "--tag", "vip");
  g_assert_cmpuint (json_array_get_length (found), ==, 0);
}

static void
test_list_text (Fixture       *fixture,
                gconstpointer  data)
{
  CliResult result = { 0 };

  import_fixture (fixture);

  run_cli (fixture, &result, "contacts", "list", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "     ID  NAME"));
  g_assert_nonnull (strstr (result.out, "Ada Lovelace"));
  g_assert_nonnull (strstr (result.out, "+447400123456"));
  g_assert_true (g_str_has_suffix (result.out, "\n4 contacts\n"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "list", "--limit", "1", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Grace Hopper"));
  g_assert_null (strstr (result.out, "Lovelace"));
  g_assert_true (g_str_has_suffix (result.out, "\n1 of 4 contacts\n"));
  cli_result_clear (&result);
}

/* Drops what differs between two workspaces holding the same people. */
static JsonNode *
comparable_contacts (JsonArray *contacts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonNode *copy = json_node_copy (json_array_get_element (contacts, i));
      JsonObject *object = json_node_get_object (copy);

      json_object_remove_member (object, "id");
      json_object_remove_member (object, "created_at");
      json_object_remove_member (object, "updated_at");
      json_builder_add_value (builder, copy);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  CliResult result = { 0 };
  g_autofree char *exported = fixture_path (fixture, "exported.csv");
  g_autofree char *file_export = fixture_path (fixture, "file-export.csv");
  g_autofree char *db2 = fixture_path (fixture, "second.db");
  g_autofree char *file_contents = NULL;
  g_autoptr(JsonNode) report_root = NULL;
  g_autoptr(JsonNode) export_root = NULL;
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *report;

  import_fixture (fixture);

  run_cli (fixture, &result, "contacts", "export", "-", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_true (g_str_has_prefix (result.out, "phone,"));
  g_assert_nonnull (strstr (result.out, "+447400123456"));
  g_assert_nonnull (strstr (result.out, "grace.hopper@navy.example"));
  g_file_set_contents (exported, result.out, -1, &error);
  g_assert_no_error (error);

  /* To a file: same bytes, and a JSON summary. */
  {
    CliResult to_file = { 0 };

    run_cli (fixture, &to_file, "--db", fixture->db, "contacts", "export", file_export, "--json");
    g_assert_cmpint (to_file.status, ==, 0);
    export_root = parse_json (to_file.out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (export_root), "exported"), ==, 4);
    g_file_get_contents (file_export, &file_contents, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (file_contents, ==, result.out);
    cli_result_clear (&to_file);
  }
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "import", exported, "--db", db2, "--json");
  g_assert_cmpint (result.status, ==, 0);
  report_root = parse_json (result.out);
  report = json_node_get_object (report_root);
  g_assert_cmpint (json_object_get_int_member (report, "rows"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (report, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "rejected"), ==, 0);
  cli_result_clear (&result);

  first = comparable_contacts (list_contacts (fixture, fixture->db, &first_root, NULL, NULL, NULL, NULL));
  second = comparable_contacts (list_contacts (fixture, db2, &second_root, NULL, NULL, NULL, NULL));
  g_assert_true (json_node_equal (first, second));
}

typedef struct
{
  const char *input;
  const char *e164;        /* NULL: invalid */
  const char *region;
  const char *type;
  const char *zone;        /* one zone that must be among the candidates */
  const char *error_code;
} PhoneCase;

static const PhoneCase phone_cases[] = {
  { "+1 415 555 0132", "+14155550132", "US", "FIXED_LINE_OR_MOBILE", "America/Los_Angeles", NULL },
  { "hello", NULL, NULL, NULL, NULL, "NOT_A_NUMBER" },
  { "+44 20 7946 0958", "+442079460958", "GB", "FIXED_LINE", "Europe/London", NULL },
  { "12", NULL, NULL, NULL, NULL, "TOO_SHORT" },
  { "(212) 555-0199", "+12125550199", "US", "FIXED_LINE_OR_MOBILE", "America/New_York", NULL },
  { "+49 151 12345678", "+4915112345678", "DE", "MOBILE", "Europe/Berlin", NULL },
  { "+999 1234 5678", NULL, NULL, NULL, NULL, "INVALID_COUNTRY_CODE" },
};

static void
test_phone_normalize_json (Fixture       *fixture,
                           gconstpointer  data)
{
  CliResult result = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(GStrv) lines = NULL;
  guint n_invalid = 0;
  g_autofree char *summary = NULL;

  g_ptr_array_add (args, (gpointer) "phone");
  g_ptr_array_add (args, (gpointer) "normalize");
  g_ptr_array_add (args, (gpointer) "--region");
  g_ptr_array_add (args, (gpointer) "US");
  g_ptr_array_add (args, (gpointer) "--json");
  for (guint i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      g_ptr_array_add (args, (gpointer) phone_cases[i].input);
      n_invalid += phone_cases[i].e164 == NULL;
    }
  g_ptr_array_add (args, NULL);

  run_cli_env (fixture, NULL, (const char * const *) args->pdata, &result);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  summary = g_strdup_printf ("%u of %u numbers are invalid", n_invalid,
                             (guint) G_N_ELEMENTS (phone_cases));
  g_assert_nonnull (strstr (result.err, summary));

  g_assert_true (g_str_has_suffix (result.out, "\n"));
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (phone_cases) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      const PhoneCase *c = &phone_cases[i];
      g_autoptr(JsonNode) root = parse_json (lines[i]);
      JsonObject *object = json_node_get_object (root);
      JsonArray *zones = json_object_get_array_member (object, "timezones");

      g_test_message ("case %s", c->input);
      g_assert_cmpstr (member_string (object, "input"), ==, c->input);
      g_assert_cmpint (json_object_get_boolean_member (object, "valid"), ==, c->e164 != NULL);
      g_assert_cmpstr (member_string (object, "e164"), ==, c->e164);
      g_assert_cmpstr (member_string (object, "region"), ==, c->region);
      g_assert_cmpstr (member_string (object, "type"), ==, c->type);
      g_assert_cmpstr (member_string (object, "error_code"), ==, c->error_code);
      g_assert_nonnull (zones);
      if (c->e164 != NULL)
        {
          g_assert_null (member_string (object, "error"));
          g_assert_true (string_array_contains (zones, c->zone));
          g_assert_true (json_object_has_member (object, "location"));
        }
      else
        {
          g_assert_nonnull (member_string (object, "error"));
          g_assert_cmpstr (member_string (object, "error"), !=, "");
          g_assert_null (member_string (object, "location"));
          g_assert_cmpuint (json_array_get_length (zones), ==, 0);
        }
    }

  cli_result_clear (&result);
}

static void
test_phone_normalize_text (Fixture       *fixture,
                           gconstpointer  data)
{
  CliResult result = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (fixture, &result, "phone", "normalize", "+1 415 555 0132", "0151 12345678",
           "--region", "de");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "+1 415 555 0132: +14155550132  US  "));
  g_assert_true (g_str_has_prefix (lines[1], "0151 12345678: +4915112345678  DE  MOBILE"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "phone", "normalize", "--region", "XX", "123");
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_nonnull (strstr (result.err, "'XX' is not a known region"));
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);
}

static void
test_db_anywhere (Fixture       *fixture,
                  gconstpointer  data)
{
  CliResult before = { 0 };
  CliResult after = { 0 };
  CliResult between = { 0 };
  CliResult env = { 0 };
  g_autofree char *db_option = g_strdup_printf ("--db=%s", fixture->db);
  const char *env_args[] = { "contacts", "list", "--json", NULL };

  import_fixture (fixture);

  run_cli (fixture, &before, "--db", fixture->db, "contacts", "list", "--json");
  run_cli (fixture, &between, "contacts", db_option, "list", "--json");
  run_cli (fixture, &after, "contacts", "list", "--json", "--db", fixture->db);
  run_cli_env (fixture, fixture->db, env_args, &env);

  g_assert_cmpint (before.status, ==, 0);
  g_assert_cmpint (between.status, ==, 0);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpint (env.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "+447400123456"));
  g_assert_cmpstr (before.out, ==, after.out);
  g_assert_cmpstr (before.out, ==, between.out);
  g_assert_cmpstr (before.out, ==, env.out);

  cli_result_clear (&before);
  cli_result_clear (&between);
  cli_result_clear (&after);
  cli_result_clear (&env);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  CliResult result = { 0 };

  run_cli (fixture, &result, "frobnicate", "--db", fixture->db);
  assert_usage_error (&result);
  g_assert_nonnull (strstr (result.err, "unknown command 'frobnicate'"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "frobnicate");
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts");
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "list", "--bogus");
  assert_usage_error (&result);
  g_assert_nonnull (strstr (result.err, "--bogus"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "import", "--db", fixture->db);
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "list", "--db");
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "phone", "normalize", "--json");
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "list", "--region", "US", "--db", fixture->db);
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "list", "--limit", "many", "--db", fixture->db);
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "export", "a.csv", "b.csv", "--db", fixture->db);
  assert_usage_error (&result);
  cli_result_clear (&result);

  run_cli (fixture, &result, "--json");
  assert_usage_error (&result);
  cli_result_clear (&result);

  /* Nothing above created the workspace. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  CliResult result = { 0 };

  run_cli (fixture, &result, "--help");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_true (g_str_has_prefix (result.out, "Usage: textcast-cli"));
  g_assert_nonnull (strstr (result.out, "contacts import FILE"));
  g_assert_nonnull (strstr (result.out, "phone normalize"));
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "import", "--help");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Usage: textcast-cli"));
  cli_result_clear (&result);
}

static void
test_too_new_database (Fixture       *fixture,
                       gconstpointer  data)
{
  CliResult result = { 0 };
  g_autofree char *bad = fixture_path (fixture, "not-a-database.db");
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (fixture->db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 9999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  run_cli (fixture, &result, "contacts", "list", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_nonnull (strstr (result.err, fixture->db));
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);

  g_file_set_contents (bad, "this is a text file, not SQLite, and long enough to have a header", -1, &error);
  g_assert_no_error (error);
  run_cli (fixture, &result, "contacts", "count", "--db", bad);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  cli_result_clear (&result);
}

static void
test_missing_database (Fixture       *fixture,
                       gconstpointer  data)
{
  CliResult result = { 0 };
  g_autofree char *missing = fixture_path (fixture, "typo.db");

  run_cli (fixture, &result, "contacts", "list", "--json", "--db", missing);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  g_assert_nonnull (strstr (result.err, "typo.db"));
  g_assert_cmpstr (result.out, ==, "");
  cli_result_clear (&result);

  run_cli (fixture, &result, "contacts", "export", "-", "--db", missing);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  cli_result_clear (&result);

  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  CliResult result = { 0 };
  g_autofree char *db2 = fixture_path (fixture, "second.db");
  g_autoptr(JsonNode) created_root = NULL;
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *first, *second;

  run_cli (fixture, &result, "sample", "--count", "60", "--seed", "7", "--json", "--db", fixture->db);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  created_root = parse_json (result.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (created_root), "created"), ==, 60);
  cli_result_clear (&result);

  /* A workspace with contacts is left alone. */
  run_cli (fixture, &result, "sample", "--db", fixture->db);
  g_assert_cmpint (result.status, ==, 1);
  assert_one_line_error (result.err);
  cli_result_clear (&result);

  run_cli (fixture, &result, "sample", "--count", "60", "--seed", "7", "--db", db2);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Added 60 sample contacts"));
  cli_result_clear (&result);

  first = list_contacts (fixture, fixture->db, &first_root, NULL, NULL, NULL, NULL);
  second = list_contacts (fixture, db2, &second_root, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (first), ==, 60);
  g_assert_cmpuint (json_array_get_length (second), ==, 60);

  for (guint i = 0; i < 60; i++)
    {
      JsonObject *a = json_array_get_object_element (first, i);
      JsonObject *b = json_array_get_object_element (second, i);

      /* Same seed, same people. */
      g_assert_cmpstr (member_string (a, "phone"), ==, member_string (b, "phone"));
      g_assert_cmpstr (member_string (a, "first_name"), ==, member_string (b, "first_name"));
      g_assert_cmpstr (member_string (a, "email"), ==, member_string (b, "email"));

      g_assert_true (g_str_has_prefix (member_string (a, "phone"), "+"));
      g_assert_nonnull (member_string (a, "country"));
      g_assert_nonnull (member_string (a, "last_name"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "timezones")), >, 0);
      g_assert_nonnull (member_string (json_object_get_object_member (a, "attributes"), "city"));
      g_assert_nonnull (member_string (json_object_get_object_member (a, "attributes"), "loyalty_tier"));
      g_hash_table_add (regions, (gpointer) member_string (a, "country"));
    }

  g_assert_cmpuint (g_hash_table_size (regions), >=, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli/import/json", test_import_json);
  ADD ("/tc/cli/import/text", test_import_text);
  ADD ("/tc/cli/import/many-rejected", test_import_many_rejected);
  ADD ("/tc/cli/import/fatal", test_import_fatal);
  ADD ("/tc/cli/list/json", test_list);
  ADD ("/tc/cli/list/text", test_list_text);
  ADD ("/tc/cli/export/round-trip", test_export_round_trip);
  ADD ("/tc/cli/phone/json", test_phone_normalize_json);
  ADD ("/tc/cli/phone/text", test_phone_normalize_text);
  ADD ("/tc/cli/db/anywhere", test_db_anywhere);
  ADD ("/tc/cli/usage/errors", test_usage_errors);
  ADD ("/tc/cli/usage/help", test_help);
  ADD ("/tc/cli/open/too-new", test_too_new_database);
  ADD ("/tc/cli/open/missing", test_missing_database);
  ADD ("/tc/cli/sample", test_sample);

#undef ADD

  return g_test_run ();
}
