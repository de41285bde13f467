/* test-cli-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real `textcast-cli settings …`, `links …` and `serve` (path in
 * $TEXTCAST_CLI) on a temporary workspace; `serve` is requested over HTTP
 * and stopped with SIGTERM.
 */

#define G_LOG_DOMAIN "test-cli-settings"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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

  f->dir = g_dir_make_tmp ("tc-cli-settings-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *csv = g_build_filename (f->dir, "contacts.csv", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_unlink (csv);
  g_rmdir (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static GPtrArray *
cli_argv (Fixture            *f,
          const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *cli = g_getenv ("TEXTCAST_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  return argv;
}

/* Runs textcast-cli --db DB ARGS… with @input on standard input. */
static void
run_cli (Fixture            *f,
         const char         *input,
         Run                *run,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (f, args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &run->out, &run->err,
                                 &error);
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
assert_stats (Fixture    *f,
              const char *origin,
              gint64      links,
              gint64      clicks,
              gint64      unique_contacts)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (origin != NULL)
    RUN (f, NULL, &run, "links", "stats", "--origin", origin, "--json");
  else
    RUN (f, NULL, &run, "links", "stats", "--json");
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "links"), ==, links);
  g_assert_cmpint (json_object_get_int_member (object, "clicks"), ==, clicks);
  g_assert_cmpint (json_object_get_int_member (object, "unique_contacts"), ==, unique_contacts);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) set = { 0 };
  g_auto(Run) set2 = { 0 };
  g_auto(Run) get = { 0 };
  g_auto(Run) get_json = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) missing_json = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) list_json = { 0 };
  g_auto(Run) unset = { 0 };
  g_auto(Run) after = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  RUN (f, NULL, &set, "settings", "set", "links.short_domain", "go.acme.example");
  g_assert_cmpstr (set.err, ==, "");
  g_assert_cmpstr (set.out, ==, "");
  g_assert_cmpint (set.status, ==, 0);
  RUN (f, NULL, &set2, "settings", "set", "brand.name", "Acme Chaussures été");
  g_assert_cmpint (set2.status, ==, 0);

  RUN (f, NULL, &get, "settings", "get", "brand.name");
  g_assert_cmpint (get.status, ==, 0);
  g_assert_cmpstr (get.out, ==, "Acme Chaussures été\n");

  RUN (f, NULL, &get_json, "settings", "get", "links.short_domain", "--json");
  g_assert_cmpint (get_json.status, ==, 0);
  node = parse_json (get_json.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "key"), ==, "links.short_domain");
  g_assert_cmpstr (json_object_get_string_member (object, "value"), ==, "go.acme.example");
  g_clear_pointer (&node, json_node_unref);

  RUN (f, NULL, &missing, "settings", "get", "http.port");
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpstr (missing.err, ==, "textcast-cli: http.port is not set\n");
  RUN (f, NULL, &missing_json, "settings", "get", "http.port", "--json");
  g_assert_cmpint (missing_json.status, ==, 0);
  node = parse_json (missing_json.out);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "value"));
  g_clear_pointer (&node, json_node_unref);

  RUN (f, NULL, &list, "settings", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==,
                   "brand.name=Acme Chaussures été\nlinks.short_domain=go.acme.example\n");
  RUN (f, NULL, &list_json, "settings", "list", "--json");
  g_assert_cmpint (list_json.status, ==, 0);
  node = parse_json (list_json.out);
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "brand.name"), ==, "Acme Chaussures été");

  RUN (f, NULL, &unset, "settings", "unset", "brand.name");
  g_assert_cmpint (unset.status, ==, 0);
  RUN (f, NULL, &after, "settings", "list");
  g_assert_cmpstr (after.out, ==, "links.short_domain=go.acme.example\n");
}

static void
test_settings_errors (Fixture       *f,
                      gconstpointer  data)
{
  static const struct {
    const char *args[5];
    int         status;
    const char *err_prefix;
  } cases[] = {
    { { "settings", "get", "brand.name", NULL }, 1, "textcast-cli: no workspace at " },
    { { "settings", "set", "http.port", "99999", NULL }, 1,
      "textcast-cli: “99999” is not valid for http.port" },
    { { "settings", "set", "links.short_domain", "https://go.example", NULL }, 1,
      "textcast-cli: “https://go.example” is not valid for links.short_domain" },
    { { "settings", "set", "brand.name", NULL }, 2, "textcast-cli: 'settings set' needs 2 arguments" },
    { { "settings", "get", "a", "b", NULL }, 2, "textcast-cli: 'settings get' got an unexpected argument 'b'" },
    { { "settings", "frob", NULL }, 2, "textcast-cli: unknown command 'settings frob'" },
    { { "settings", NULL }, 2, "textcast-cli: 'settings' needs a command" },
    { { "settings", "list", "--port", "1", NULL }, 2,
      "textcast-cli: option '--port' does not apply to 'settings list'" },
    { { "links", "stats", "--domain", "x", NULL }, 2,
      "textcast-cli: option '--domain' does not apply to 'links stats'" },
    { { "serve", "--port", "70000", NULL }, 2, "textcast-cli: option '--port' needs a port number" },
    { { "links", "shorten", "--domain", "https://x.example", NULL }, 2,
      "textcast-cli: option '--domain' needs a host name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (f, NULL, &run, cases[i].args);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_true (g_str_has_prefix (run.err, cases[i].err_prefix));
    }
}

static void
write_contacts (Fixture *f)
{
  g_autofree char *csv = g_build_filename (f->dir, "contacts.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  g_file_set_contents (csv,
                       "phone,first_name,last_name\n"
                       "+33612345678,Amélie,Dupont\n"
                       "+4915112345678,Jürgen,Özdemir\n",
                       -1, &error);
  g_assert_no_error (error);
  RUN (f, NULL, &run, "contacts", "import", csv);
  g_assert_cmpint (run.status, ==, 0);
}

/* The code of the first short link on go.example in @text. */
static char *
short_path (const char *text)
{
  const char *p = strstr (text, "https://go.example/l/");

  g_assert_nonnull (p);
  p += strlen ("https://go.example");
  return g_strndup (p, strlen ("/l/") + 8);
}

static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  const char *text = "Soldes -20% : https://shop.example/été?utm_source=sms et www.shop.example/b\n";
  g_auto(Run) shortened = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) no_links = { 0 };
  g_auto(Run) from_setting = { 0 };
  g_auto(Run) no_domain = { 0 };
  g_auto(Run) no_contact = { 0 };
  g_auto(Run) set = { 0 };
  g_auto(Run) stats_text = { 0 };
  g_autoptr(GRegex) regex = NULL;

  write_contacts (f);

  RUN (f, NULL, &no_domain, "links", "shorten");
  g_assert_cmpint (no_domain.status, ==, 1);
  g_assert_true (g_str_has_prefix (no_domain.err, "textcast-cli: no short-link domain"));

  RUN (f, text, &shortened, "links", "shorten", "--domain", "go.example",
       "--contact-phone", "+33 6 12 34 56 78", "--origin", "campaign:3:A");
  g_assert_cmpstr (shortened.err, ==, "");
  g_assert_cmpint (shortened.status, ==, 0);
  /* Exactly the text, links replaced, the final newline kept. */
  regex = g_regex_new ("^Soldes -20% : https://go\\.example/l/[0-9A-Za-z]{8} et "
                       "https://go\\.example/l/[0-9A-Za-z]{8}\n$", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, shortened.out, 0, NULL));

  RUN (f, "Hi https://shop.example/x", &second, "links", "shorten", "--domain", "go.example",
       "--contact-phone", "+4915112345678", "--origin", "campaign:3:B");
  g_assert_cmpint (second.status, ==, 0);
  g_assert_true (g_str_has_prefix (second.out, "Hi https://go.example/l/"));

  RUN (f, "Nothing to shorten.", &no_links, "links", "shorten", "--domain", "go.example");
  g_assert_cmpstr (no_links.out, ==, "Nothing to shorten.");

  RUN (f, NULL, &set, "settings", "set", "links.short_domain", "t.example");
  RUN (f, "https://shop.example/", &from_setting, "links", "shorten", "--origin", "template:1:v1");
  g_assert_cmpint (from_setting.status, ==, 0);
  g_assert_true (g_str_has_prefix (from_setting.out, "https://t.example/l/"));
  g_assert_cmpuint (strlen (from_setting.out), ==, strlen ("https://t.example/l/") + 8);

  RUN (f, "https://shop.example/", &no_contact, "links", "shorten", "--domain", "go.example",
       "--contact-phone", "+14155552671");
  g_assert_cmpint (no_contact.status, ==, 1);
  g_assert_cmpstr (no_contact.err, ==,
                   "textcast-cli: no contact has the phone number +14155552671\n");

  assert_stats (f, NULL, 4, 0, 0);
  assert_stats (f, "campaign:3:", 3, 0, 0);
  assert_stats (f, "campaign:3:A", 2, 0, 0);
  assert_stats (f, "template:", 1, 0, 0);

  RUN (f, NULL, &stats_text, "links", "stats");
  g_assert_cmpstr (stats_text.out, ==, "Links: 4\nClicks: 0\nContacts who clicked: 0\n");
}

static void
got_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_serve (Fixture       *f,
            gconstpointer  data)
{
  const char * const serve_args[] = { "serve", "--port", "0", NULL };
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_auto(Run) shortened = { 0 };
  g_auto(Run) missing = { 0 };

  write_contacts (f);
  RUN (f, "Hi https://shop.example/a?b=c", &shortened, "links", "shorten", "--domain",
       "go.example", "--contact-phone", "+33612345678", "--origin", "campaign:9:A");
  g_assert_cmpint (shortened.status, ==, 0);
  path = short_path (shortened.out);

  argv = cli_argv (f, serve_args);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  /* The first line says where it listens. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, got_line_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  line = g_data_input_stream_read_line_finish_utf8 (out, res, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_clear_object (&res);

  regex = g_regex_new ("^Listening on http://127\\.0\\.0\\.1:([0-9]+)$", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  port = g_match_info_fetch (match, 1);
  g_assert_cmpint (atoi (port), >, 0);

  session = soup_session_new ();
  uri = g_strdup_printf ("http://127.0.0.1:%s%s", port, path);
  msg = soup_message_new ("GET", uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, got_line_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"),
                   ==, "https://shop.example/a?b=c");
  g_clear_object (&res);
  soup_session_abort (session);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  assert_stats (f, "campaign:9:", 1, 1, 1);

  /* No workspace: nothing to serve. */
  g_unlink (f->db);
  RUN (f, NULL, &missing, "serve", "--port", "0");
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_true (g_str_has_prefix (missing.err, "textcast-cli: no workspace at "));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli/settings/get-set-list", test_settings);
  ADD ("/tc/cli/settings/errors", test_settings_errors);
  ADD ("/tc/cli/links/shorten-stats", test_links);
  ADD ("/tc/cli/links/serve", test_serve);

#undef ADD

  return g_test_run ();
}
