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

/* On the built-in simulator with no WhatsApp Business Account, submit
 * and refresh go to the simulator's review: one that advertises as
 * UTILITY is rejected, a marketing one approved; submitting twice is
 * refused, as Meta refuses a name used twice. */
static void
test_simulator_review (Fixture       *f,
                       gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *category;
    const char *body;
    const char *status;
    const char *reason;
  } cases[] = {
    { "winter_news", "UTILITY", "Hi {{1}}, our winter sale starts today at the shop.", "REJECTED",
      "TAG_CONTENT_MISMATCH" },
    { "winter_sale", "MARKETING", "Hi {{1}}, our winter sale starts today at the shop.",
      "APPROVED", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *definition = g_strdup_printf (
        "{\"name\":\"%s\",\"language\":\"en\",\"category\":\"%s\",\"body\":{\"text\":\"%s\","
        "\"params\":[{\"example\":\"Ana\",\"binding\":\"{{first_name}}\"}]}}",
        cases[i].name, cases[i].category, cases[i].body);
      g_auto(Run) saved = { 0 };
      g_auto(Run) early = { 0 };
      g_auto(Run) submitted = { 0 };
      g_auto(Run) again = { 0 };
      g_auto(Run) refreshed = { 0 };
      g_auto(Run) shown = { 0 };
      g_autoptr(JsonNode) state = NULL;
      g_autoptr(JsonNode) template = NULL;
      g_autofree char *line = NULL;

      RUN (f, definition, &saved, "templates", "save", "--name", cases[i].name, "--kind",
           "whatsapp");
      g_assert_cmpint (saved.status, ==, 0);

      RUN (f, NULL, &early, "templates", "refresh", cases[i].name);
      g_assert_cmpint (early.status, ==, 1);
      g_assert_nonnull (strstr (early.err, "submit it first"));

      RUN (f, NULL, &submitted, "templates", "submit", cases[i].name, "--json");
      g_assert_cmpstr (submitted.err, ==, "");
      g_assert_cmpint (submitted.status, ==, 0);
      state = parse_json (submitted.out);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "status"), ==,
                       cases[i].status);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "reason"), ==,
                       cases[i].reason);

      RUN (f, NULL, &again, "templates", "submit", cases[i].name);
      g_assert_cmpint (again.status, ==, 1);
      g_assert_nonnull (strstr (again.err, "submitted already"));

      RUN (f, NULL, &refreshed, "templates", "refresh", cases[i].name);
      g_assert_cmpint (refreshed.status, ==, 0);
      line = cases[i].reason[0] != '\0'
             ? g_strdup_printf ("%s (en): %s: %s\n", cases[i].name, cases[i].status, cases[i].reason)
             : g_strdup_printf ("%s (en): %s\n", cases[i].name, cases[i].status);
      g_assert_cmpstr (refreshed.out, ==, line);

      /* Stored on the template. */
      RUN (f, NULL, &shown, "templates", "show", cases[i].name, "--json");
      template = parse_json (shown.out);
      {
        g_autofree char *lower = g_ascii_strdown (cases[i].status, -1);

        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (template), "status"),
                         ==, lower);
      }
    }
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

/* ------------------------------------------------------------------------
 * MMS pictures: a SoupServer on 127.0.0.1 in a thread of its own (the test
 * waits for the CLI synchronously), serving a small JPEG and a WebP.
 */

typedef struct
{
  GMutex        lock;
  GCond         ready;
  GMainContext *context;
  GMainLoop    *loop;
  char         *base_url;
} MediaServer;

static void
on_media_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  static const char body[] = "\xff\xd8\xff\xe0 not really a JPEG, but the probe never reads it";

  if (strcmp (path, "/sale.jpg") == 0)
    soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_STATIC, body, sizeof body - 1);
  else if (strcmp (path, "/sale.webp") == 0)
    soup_server_message_set_response (msg, "image/webp", SOUP_MEMORY_STATIC, body, sizeof body - 1);
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static gpointer
media_server_thread (gpointer data)
{
  MediaServer *ms = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (ms->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, on_media_request_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);

  g_mutex_lock (&ms->lock);
  ms->base_url = g_uri_to_string (uris->data);
  g_cond_signal (&ms->ready);
  g_mutex_unlock (&ms->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (ms->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (ms->context, FALSE))
    ;
  g_main_context_pop_thread_default (ms->context);

  return NULL;
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);

  return G_SOURCE_REMOVE;
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  MediaServer ms = { 0 };
  GThread *thread;
  g_autofree char *jpeg_url = NULL;
  g_autofree char *webp_url = NULL;
  g_autofree char *missing_url = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_mutex_init (&ms.lock);
  g_cond_init (&ms.ready);
  ms.context = g_main_context_new ();
  ms.loop = g_main_loop_new (ms.context, FALSE);
  thread = g_thread_new ("media-server", media_server_thread, &ms);
  g_mutex_lock (&ms.lock);
  while (ms.base_url == NULL)
    g_cond_wait (&ms.ready, &ms.lock);
  g_mutex_unlock (&ms.lock);

  /* The base URL ends in "/". */
  jpeg_url = g_strconcat (ms.base_url, "sale.jpg", NULL);
  webp_url = g_strconcat (ms.base_url, "sale.webp", NULL);
  missing_url = g_strconcat (ms.base_url, "gone.png", NULL);

  /* Checked with the server, then stored with its type. */
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms",
       "--media-url", jpeg_url, "--json");
  g_assert_cmpint (run.status, ==, 0);
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "media_url"), ==, jpeg_url);
  g_assert_cmpstr (json_object_get_string_member (object, "media_type"), ==, "image/jpeg");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  run_clear (&run);

  /* Saved again without --media-url: the picture stays, no new version. */
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "unchanged at version 1"));
  run_clear (&run);

  /* A type MMS does not take, and a missing file: refused, in words, and
   * nothing stored. */
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms",
       "--media-url", webp_url);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "image/webp"));
  g_assert_nonnull (strstr (run.err, "use a JPEG, PNG or GIF image"));
  run_clear (&run);
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms",
       "--media-url", missing_url);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "answered 404"));
  run_clear (&run);

  RUN (f, NULL, &run, "templates", "show", "spring", "--json");
  g_assert_cmpint (run.status, ==, 0);
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "media_url"), ==, jpeg_url);
  g_clear_pointer (&node, json_node_unref);
  run_clear (&run);

  /* --no-check: no request; the type comes from the file name. */
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms",
       "--media-url", "https://cdn.invalid/banner.png", "--no-check", "--json");
  g_assert_cmpint (run.status, ==, 0);
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "media_type"), ==, "image/png");
  g_clear_pointer (&node, json_node_unref);
  run_clear (&run);

  /* An empty URL removes the picture: a new version; the old one keeps it. */
  RUN (f, "Spring sale, 20% off", &run, "templates", "save", "--name", "spring", "--kind", "sms",
       "--media-url", "");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  RUN (f, NULL, &run, "templates", "show", "spring", "--json");
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "media_url"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "media_type"), ==, "");
  g_clear_pointer (&node, json_node_unref);
  run_clear (&run);
  RUN (f, NULL, &run, "templates", "show", "spring", "--version", "1", "--json");
  node = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "media_type"), ==, "image/jpeg");
  g_clear_pointer (&node, json_node_unref);
  run_clear (&run);

  /* Usage errors: media on other kinds, --no-check alone, a non-web URL. */
  RUN (f, "{}", &run, "templates", "save", "--name", "x", "--kind", "snippet",
       "--media-url", jpeg_url);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  RUN (f, "Hi", &run, "templates", "save", "--name", "x", "--kind", "sms", "--no-check");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  RUN (f, "Hi", &run, "templates", "save", "--name", "x", "--kind", "sms",
       "--media-url", "file:///etc/passwd", "--no-check");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not a web address"));
  run_clear (&run);

  g_main_context_invoke (ms.context, quit_loop_cb, ms.loop);
  g_thread_join (thread);
  g_main_loop_unref (ms.loop);
  g_main_context_unref (ms.context);
  g_free (ms.base_url);
  g_mutex_clear (&ms.lock);
  g_cond_clear (&ms.ready);
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
  g_test_add ("/tc/cli/templates/simulator-review", Fixture, NULL, fixture_set_up,
              test_simulator_review, fixture_tear_down);
  g_test_add ("/tc/cli/templates/media", Fixture, NULL, fixture_set_up,
              test_media, fixture_tear_down);
  g_test_add ("/tc/cli/templates/errors", Fixture, NULL, fixture_set_up,
              test_errors, fixture_tear_down);

  return g_test_run ();
}
