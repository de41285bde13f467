/* test-cli-templates.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli templates …` (path in $TEXTCAST_CLI) on a
 * temporary workspace: save from standard input, list, show, versions,
 * and the errors.
 */

#define G_LOG_DOMAIN "test-cli-templates"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
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
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tc-cli-templates-XXXXXX", &error);
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

/* Runs textcast-cli --db DB ARGS… with @input on standard input. */
static void
run_cli (Fixture            *f,
         const char         *input,
         Run                *run,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

#define RUN(f, input, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    run_cli ((f), (input), (run), args_); \
  } G_STMT_END

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static void
test_save_list_show (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) saved = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) changed = { 0 };
  g_auto(Run) listed = { 0 };
  g_auto(Run) shown = { 0 };
  g_auto(Run) old = { 0 };
  g_auto(Run) snippet = { 0 };
  g_autoptr(JsonNode) saved_json = NULL;
  g_autoptr(JsonNode) list_json = NULL;
  JsonObject *object;
  JsonArray *array;

  RUN (f, "Hi {{first_name|there}} – 20% off", &saved,
       "templates", "save", "--name", "Spring sale", "--kind", "sms", "--purpose", "promotional",
       "--language", "en", "--json");
  g_assert_cmpstr (saved.err, ==, "");
  g_assert_cmpint (saved.status, ==, 0);
  saved_json = parse_json (saved.out);
  object = json_node_get_object (saved_json);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Spring sale");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "sms");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, "Hi {{first_name|there}} – 20% off");
  g_assert_cmpstr (json_object_get_string_member (object, "language"), ==, "en");
  g_assert_true (json_object_get_boolean_member (object, "new_version"));

  /* The same text again: no version. */
  RUN (f, "Hi {{first_name|there}} – 20% off", &again,
       "templates", "save", "--name", "Spring sale", "--kind", "sms");
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, "“Spring sale” (sms) is unchanged at version 1\n");

  RUN (f, "Hi {{first_name|there}} - 25% off", &changed,
       "templates", "save", "--name", "Spring sale", "--kind", "sms");
  g_assert_cmpint (changed.status, ==, 0);
  g_assert_cmpstr (changed.out, ==, "Saved “Spring sale” (sms) as version 2\n");

  /* A snippet may share the name. */
  RUN (f, "Reply STOP to opt out", &snippet,
       "templates", "save", "--name", "Spring sale", "--kind", "snippet");
  g_assert_cmpint (snippet.status, ==, 0);

  RUN (f, NULL, &listed, "templates", "list", "--kind", "sms", "--json");
  g_assert_cmpint (listed.status, ==, 0);
  list_json = parse_json (listed.out);
  array = json_node_get_array (list_json);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "purpose"), ==, "promotional");
  /* The language was kept from the first save. */
  g_assert_cmpstr (json_object_get_string_member (object, "language"), ==, "en");

  /* Text output is the stored text exactly, no newline added. */
  RUN (f, NULL, &shown, "templates", "show", "Spring sale", "--kind", "sms");
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (shown.out, ==, "Hi {{first_name|there}} - 25% off");
  RUN (f, NULL, &old, "templates", "show", "Spring sale", "--kind", "sms", "--version", "1");
  g_assert_cmpint (old.status, ==, 0);
  g_assert_cmpstr (old.out, ==, "Hi {{first_name|there}} – 20% off");
}

static void
test_whatsapp_definition (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(Run) saved = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) shown = { 0 };
  g_autoptr(JsonNode) shown_json = NULL;
  JsonObject *definition;

  RUN (f, "{\"name\":\"order_shipped\",\"language\":\"en_US\",\"category\":\"UTILITY\","
          "\"body\":{\"text\":\"Hi {{1}}\",\"params\":[{\"example\":\"Ana\",\"binding\":\"{{first_name}}\"}]}}",
       &saved, "templates", "save", "--name", "order_shipped", "--kind", "whatsapp", "--language", "en_US");
  g_assert_cmpstr (saved.err, ==, "");
  g_assert_cmpint (saved.status, ==, 0);

  /* JSON, but not a template definition. */
  {
    g_auto(Run) shape = { 0 };

    RUN (f, "{\"body\":42}", &shape, "templates", "save", "--name", "y", "--kind", "whatsapp");
    g_assert_cmpint (shape.status, ==, 1);
    g_assert_true (g_str_has_prefix (shape.err, "textcast-cli: the WhatsApp template definition cannot be read"));
  }

  RUN (f, "Hi {{1}}", &bad, "templates", "save", "--name", "x", "--kind", "whatsapp");
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_true (g_str_has_prefix (bad.err, "textcast-cli: a WhatsApp template is its JSON definition"));

  RUN (f, NULL, &shown, "templates", "show", "order_shipped", "--json");
  g_assert_cmpint (shown.status, ==, 0);
  shown_json = parse_json (shown.out);
  /* Embedded as JSON, not as a string. */
  definition = json_object_get_object_member (json_node_get_object (shown_json), "definition");
  g_assert_nonnull (definition);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (definition, "body"), "text"),
                   ==, "Hi {{1}}");
  g_assert_cmpstr (json_object_get_string_member (definition, "category"), ==, "UTILITY");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown_json), "status"), ==, "draft");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  const struct {
    const char *args[10];
    int         status;
    const char *err_prefix;
  } cases[] = {
    { { "templates", NULL }, 2, "textcast-cli: 'templates' needs a command" },
    { { "templates", "frobnicate", NULL }, 2, "textcast-cli: unknown command 'templates frobnicate'" },
    { { "templates", "list", "--kind", "mms", NULL }, 2, "textcast-cli: '--kind' must be sms, whatsapp or snippet" },
    { { "templates", "save", "--name", "x", NULL }, 2, "textcast-cli: 'templates save' needs --kind" },
    { { "templates", "save", "--kind", "sms", NULL }, 2, "textcast-cli: 'templates save' needs --name" },
    { { "templates", "save", "--kind", "sms", "--name", "x", "--purpose", "spam", NULL }, 2,
      "textcast-cli: '--purpose' must be promotional or transactional" },
    { { "templates", "show", NULL }, 2, "textcast-cli: 'templates show' needs the template's name" },
    { { "templates", "show", "x", "--version", "0", NULL }, 2, "textcast-cli: '--version' needs a version number" },
    { { "templates", "list", "--bogus", NULL }, 2, "textcast-cli: unknown option '--bogus'" },
    /* No workspace yet: reading commands do not create one. */
    { { "templates", "list", NULL }, 1, "textcast-cli: no workspace at " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (f, NULL, &run, cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (!g_str_has_prefix (run.err, cases[i].err_prefix))
        g_error ("case %u: stderr is “%s”", i, run.err);
    }
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  {
    g_auto(Run) saved = { 0 };
    g_auto(Run) missing = { 0 };
    g_auto(Run) no_version = { 0 };

    RUN (f, "text", &saved, "templates", "save", "--name", "a", "--kind", "sms");
    g_assert_cmpint (saved.status, ==, 0);
    RUN (f, NULL, &missing, "templates", "show", "b");
    g_assert_cmpint (missing.status, ==, 1);
    g_assert_cmpstr (missing.err, ==, "textcast-cli: No template called “b”\n");
    RUN (f, NULL, &no_version, "templates", "show", "a", "--version", "7");
    g_assert_cmpint (no_version.status, ==, 1);
    g_assert_true (g_str_has_suffix (no_version.err, "has no version 7\n"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/cli/templates/save-list-show", Fixture, NULL, fixture_set_up,
              test_save_list_show, fixture_tear_down);
  g_test_add ("/tc/cli/templates/whatsapp", Fixture, NULL, fixture_set_up,
              test_whatsapp_definition, fixture_tear_down);
  g_test_add ("/tc/cli/templates/errors", Fixture, NULL, fixture_set_up,
              test_errors, fixture_tear_down);

  return g_test_run ();
}
