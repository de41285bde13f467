/* test-cli-providers.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli providers set|test|list`, run as a real program on
 * temporary workspaces, with fakes of Twilio and the Graph API in this
 * process. The program runs without a session bus (no keyring), except in
 * /tc/cli-providers/keyring, which runs only under tests/run-with-keyring.sh.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define SID      "AC0123456789abcdef0123456789abcdef"
#define MG_SID   "MG0123456789abcdef0123456789abcdef"
#define FROM     "+14155550100"
#define PNID     "106540352242922"
#define WABA     "102290129340398"
#define TOKEN    "cli-token-9d2e71"
#define WA_TOKEN "EAAcli-access-token"

static const char * const secret_env_vars[] = {
  "TEXTCAST_TWILIO_AUTH_TOKEN", "TEXTCAST_WHATSAPP_TOKEN", "TEXTCAST_WHATSAPP_APP_SECRET",
  "TEXTCAST_WHATSAPP_VERIFY_TOKEN", "TEXTCAST_EVENTS_TOKEN",
};

typedef struct
{
  char        *dir;
  char        *db;
  SoupServer  *server;
  char        *base;
  guint        n_requests;
  char        *path;
  char        *authorization;
  guint        reply_status;
  char        *reply_body;
  GHashTable  *env;      /* extra environment for the program */
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
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  f->n_requests++;
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    f->reply_body, strlen (f->reply_body));
  soup_server_message_set_status (msg, f->reply_status, NULL);
}

static void
reply (Fixture    *f,
       guint       status,
       const char *body)
{
  g_free (f->reply_body);
  f->reply_body = g_strdup (body);
  f->reply_status = status;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->dir = g_dir_make_tmp ("tc-cli-providers-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);
  f->env = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  f->server = soup_server_new ("server-header", "fake-provider", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  reply (f, 200, "{}");
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

  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
  g_free (f->path);
  g_free (f->authorization);
  g_free (f->reply_body);
  g_hash_table_unref (f->env);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs textcast-cli --db f->db ARGS… with @input on standard input, while
 * this process's fake servers answer. */
static void
run_cli (Fixture    *f,
         Run        *run,
         const char *input,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TEXTCAST_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, f->db);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (g_getenv ("TEXTCAST_TEST_KEYRING") == NULL)
    {
      g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
      g_subprocess_launcher_unsetenv (launcher, "XDG_RUNTIME_DIR");
    }
  for (guint i = 0; i < G_N_ELEMENTS (secret_env_vars); i++)
    g_subprocess_launcher_unsetenv (launcher, secret_env_vars[i]);
  g_hash_table_iter_init (&iter, f->env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_subprocess_launcher_setenv (launcher, key, value, TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL, store_cb,
                                       &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d, out: %s, err: %s", run->status, run->out, run->err);
  /* Under the sanitizers a leak keeps the exit status of a failure. */
  g_assert_null (strstr (run->err, "Sanitizer"));
  g_assert_null (strstr (run->err, "runtime error"));
}

static void
setenv_for_cli (Fixture    *f,
                const char *name,
                const char *value)
{
  g_hash_table_replace (f->env, (gpointer) name, g_strdup (value));
}

/* The object named @name in `providers list --json`. */
static JsonObject *
listed (JsonNode   *root,
        const char *name)
{
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "name"), name) == 0)
        return object;
    }

  g_assert_not_reached ();
  return NULL;
}

static JsonNode *
list_json (Fixture *f)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  run_cli (f, &run, NULL, "providers", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  /* Never a secret, whatever the environment holds. */
  g_assert_null (strstr (run.out, TOKEN));
  g_assert_null (strstr (run.out, WA_TOKEN));
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

/* "a,b" from a "channels" array. */
static char *
channels (JsonObject *object)
{
  JsonArray *array = json_object_get_array_member (object, "channels");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (array, i));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_simulator_and_list (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *sim_channels = NULL;
  g_autofree char *twilio_channels = NULL;
  JsonObject *twilio;
  JsonObject *whatsapp;

  run_cli (f, &run, NULL, "providers", "set", "simulator", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  root = list_json (f);
  sim_channels = channels (listed (root, "simulator"));
  g_assert_cmpstr (sim_channels, ==, "sms,whatsapp");
  g_assert_true (json_object_get_boolean_member (listed (root, "simulator"), "configured"));

  twilio = listed (root, "twilio");
  twilio_channels = channels (twilio);
  g_assert_cmpstr (twilio_channels, ==, "");
  g_assert_false (json_object_get_boolean_member (twilio, "configured"));
  g_assert_true (json_object_get_null_member (twilio, "account_sid"));
  g_assert_cmpstr (json_object_get_string_member (twilio, "base_url"), ==,
                   "https://api.twilio.com");
  g_assert_cmpstr (json_object_get_string_member (twilio, "credentials"), ==, "missing");
  /* No Account SID: no keyring entry to look for. */
  g_assert_false (json_object_has_member (twilio, "credentials_problem"));

  whatsapp = listed (root, "whatsapp");
  g_assert_false (json_object_get_boolean_member (whatsapp, "configured"));
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "api_version"), ==, "v23.0");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "credentials"), ==, "missing");

  run_cli (f, &text, NULL, "providers", "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "simulator: ready; channels: sms whatsapp"));
  g_assert_nonnull (strstr (text.out, "twilio: not configured"));
}

static void
test_set_twilio (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *twilio_channels = NULL;
  g_autofree char *sim_channels = NULL;
  JsonObject *twilio;

  run_cli (f, &run, NULL, "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
           "--base-url", f->base, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  before = list_json (f);
  twilio = listed (before, "twilio");
  twilio_channels = channels (twilio);
  g_assert_cmpstr (twilio_channels, ==, "sms");
  sim_channels = channels (listed (before, "simulator"));
  g_assert_cmpstr (sim_channels, ==, "whatsapp");
  g_assert_cmpstr (json_object_get_string_member (twilio, "account_sid"), ==, SID);
  g_assert_cmpstr (json_object_get_string_member (twilio, "from"), ==, FROM);
  g_assert_true (json_object_get_null_member (twilio, "messaging_service_sid"));
  g_assert_cmpstr (json_object_get_string_member (twilio, "base_url"), ==, f->base);
  /* Settings without a token are not a configured provider. */
  g_assert_false (json_object_get_boolean_member (twilio, "configured"));
  g_assert_cmpstr (json_object_get_string_member (twilio, "credentials"), ==, "missing");
  g_assert_cmpstr (json_object_get_string_member (twilio, "credentials_problem"), ==,
                   "No keyring is running; set TEXTCAST_TWILIO_AUTH_TOKEN or log in to a "
                   "desktop session");

  /* The token in the environment: configured, and never printed. */
  setenv_for_cli (f, "TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN);
  after = list_json (f);
  twilio = listed (after, "twilio");
  g_assert_true (json_object_get_boolean_member (twilio, "configured"));
  g_assert_cmpstr (json_object_get_string_member (twilio, "credentials"), ==, "environment");
  g_assert_false (json_object_has_member (twilio, "credentials_problem"));

  /* A later set keeps the sender; a Messaging Service is added. */
  run_cli (f, &again, NULL, "providers", "set", "twilio", "--account-sid", SID,
           "--messaging-service-sid", MG_SID, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_clear_pointer (&after, json_node_unref);
  after = list_json (f);
  twilio = listed (after, "twilio");
  g_assert_cmpstr (json_object_get_string_member (twilio, "from"), ==, FROM);
  g_assert_cmpstr (json_object_get_string_member (twilio, "messaging_service_sid"), ==, MG_SID);
}

static void
test_set_whatsapp (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *wa_channels = NULL;
  JsonObject *whatsapp;

  run_cli (f, &run, NULL, "providers", "set", "whatsapp", "--phone-number-id", PNID,
           "--business-account-id", WABA, "--api-version", "v21.0", "--base-url", f->base, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");

  setenv_for_cli (f, "TEXTCAST_WHATSAPP_TOKEN", WA_TOKEN);
  setenv_for_cli (f, "TEXTCAST_WHATSAPP_APP_SECRET", "app-secret-1");
  root = list_json (f);
  whatsapp = listed (root, "whatsapp");
  wa_channels = channels (whatsapp);
  g_assert_cmpstr (wa_channels, ==, "whatsapp");
  g_assert_true (json_object_get_boolean_member (whatsapp, "configured"));
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "phone_number_id"), ==, PNID);
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "business_account_id"), ==, WABA);
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "api_version"), ==, "v21.0");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "base_url"), ==, f->base);
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "credentials"), ==, "environment");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "app_secret"), ==, "environment");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "verify_token"), ==, "missing");
}

/* Refused commands say why, and change nothing. */
static void
test_set_errors (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *input;
    const char *args[14];
    int         status;
    const char *said;
  } cases[] = {
    { NULL, { "providers", NULL }, 2, "needs a command" },
    { NULL, { "providers", "frob", NULL }, 2, "unknown command 'providers frob'" },
    { NULL, { "providers", "set", NULL }, 2, "needs a provider" },
    { NULL, { "providers", "set", "meta", NULL }, 2, "'meta' is not a provider" },
    { NULL, { "providers", "set", "twilio", NULL }, 2, "needs --account-sid SID" },
    { NULL, { "providers", "set", "twilio", "--account-sid", "AC12", "--from", FROM, NULL }, 1,
      "“AC12” is not valid for twilio.account_sid: expected an Account SID: AC followed by 32 "
      "hexadecimal digits" },
    { NULL, { "providers", "set", "twilio", "--account-sid", SID, NULL }, 1,
      "Twilio needs a number to send from or a Messaging Service SID" },
    { NULL, { "providers", "set", "twilio", "--account-sid", SID, "--from", "+1 415", NULL }, 1,
      "is not valid for twilio.from" },
    { NULL, { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
              "--messaging-service-sid", SID, NULL }, 1, "MG followed by 32" },
    { NULL, { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM, "--base-url",
              "api.twilio.com", NULL }, 1, "http:// or https://" },
    { NULL, { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
              "--phone-number-id", PNID, NULL }, 2,
      "option '--phone-number-id' does not apply to 'providers set twilio'" },
    { NULL, { "providers", "set", "simulator", "--from", FROM, NULL }, 2, "does not apply" },
    { "tok-123\n", { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
                     "--auth-token-stdin", NULL }, 1,
      "cannot store the Twilio auth token: No keyring is running; set TEXTCAST_TWILIO_AUTH_TOKEN "
      "or log in to a desktop session" },
    { "\n \n", { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
                 "--auth-token-stdin", NULL }, 1,
      "cannot read the auth token: standard input is empty" },
    { "a\nb\n", { "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
                  "--auth-token-stdin", NULL }, 1, "more than 1 line" },
    { NULL, { "providers", "set", "whatsapp", "--phone-number-id", PNID, NULL }, 2,
      "needs --business-account-id ID" },
    { NULL, { "providers", "set", "whatsapp", "--business-account-id", WABA, NULL }, 2,
      "needs --phone-number-id ID" },
    { NULL, { "providers", "set", "whatsapp", "--phone-number-id", "x1", "--business-account-id",
              WABA, NULL }, 1, "digits only" },
    { NULL, { "providers", "set", "whatsapp", "--phone-number-id", PNID, "--business-account-id",
              WABA, "--api-version", "23.0", NULL }, 1, "a Graph API version such as v23.0" },
    { "only-token\n", { "providers", "set", "whatsapp", "--phone-number-id", PNID,
                        "--business-account-id", WABA, "--token-stdin", "--app-secret-stdin",
                        NULL }, 1, "needs 2 lines" },
    { "t\n", { "providers", "set", "whatsapp", "--phone-number-id", PNID,
               "--business-account-id", WABA, "--token-stdin", NULL }, 1,
      "No keyring is running; set TEXTCAST_WHATSAPP_TOKEN" },
    { NULL, { "providers", "test", NULL }, 2, "needs a provider" },
    { NULL, { "providers", "test", "sms", NULL }, 2, "'sms' is not a provider" },
    { NULL, { "providers", "list", "extra", NULL }, 2, "unexpected argument 'extra'" },
  };
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) first = { 0 };
  JsonObject *twilio;
  JsonObject *whatsapp;
  g_autofree char *sim_channels = NULL;

  /* A workspace to refuse changes to. */
  run_cli (f, &first, NULL, "providers", "set", "simulator", NULL);
  g_assert_cmpint (first.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      const char * const *a = cases[i].args;

      /* run_cli takes a NULL-terminated list; 14 words at most. */
      run_cli (f, &run, cases[i].input, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
               a[9], a[10], a[11], a[12], a[13], NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "textcast-cli: "));
      g_assert_nonnull (strstr (run.err, cases[i].said));
      g_assert_null (strstr (run.err, "tok-123"));
    }

  root = list_json (f);
  twilio = listed (root, "twilio");
  whatsapp = listed (root, "whatsapp");
  g_assert_true (json_object_get_null_member (twilio, "account_sid"));
  g_assert_true (json_object_get_null_member (twilio, "from"));
  g_assert_true (json_object_get_null_member (whatsapp, "phone_number_id"));
  g_assert_true (json_object_get_null_member (whatsapp, "business_account_id"));
  sim_channels = channels (listed (root, "simulator"));
  g_assert_cmpstr (sim_channels, ==, "sms,whatsapp");
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_test (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Run) set = { 0 };
  g_auto(Run) ok = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) refused_text = { 0 };
  g_auto(Run) sim = { 0 };
  g_auto(Run) wa = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *pair = g_strconcat (SID, ":", TOKEN, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *expected_auth = g_strconcat ("Basic ", encoded, NULL);
  JsonObject *object;

  run_cli (f, &set, NULL, "providers", "set", "twilio", "--account-sid", SID, "--from", FROM,
           "--base-url", f->base, NULL);
  g_assert_cmpint (set.status, ==, 0);
  setenv_for_cli (f, "TEXTCAST_TWILIO_AUTH_TOKEN", TOKEN);

  reply (f, 200, "{\"sid\":\"" SID "\",\"friendly_name\":\"Acme Shoes\",\"status\":\"active\"}");
  run_cli (f, &ok, NULL, "providers", "test", "twilio", "--json", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (f->path, ==, "/2010-04-01/Accounts/" SID ".json");
  g_assert_cmpstr (f->authorization, ==, expected_auth);
  object = parse_object (ok.out, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "provider"), ==, "twilio");
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "message"), "“Acme Shoes”"));

  reply (f, 401, "{\"code\":20003,\"message\":\"Authenticate\"}");
  run_cli (f, &refused, NULL, "providers", "test", "twilio", "--json", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  object = parse_object (refused.out, parser);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "message"),
                            "Twilio refused the Account SID and auth token (HTTP 401)"));
  g_assert_null (strstr (refused.out, TOKEN));

  run_cli (f, &refused_text, NULL, "providers", "test", "twilio", NULL);
  g_assert_cmpint (refused_text.status, ==, 1);
  g_assert_cmpstr (refused_text.out, ==, "");
  g_assert_true (g_str_has_prefix (refused_text.err, "textcast-cli: Twilio refused"));

  run_cli (f, &sim, NULL, "providers", "test", "simulator", NULL);
  g_assert_cmpint (sim.status, ==, 0);
  g_assert_true (g_str_has_prefix (sim.out, "The built-in simulator started on "
                                            "http://127.0.0.1:"));

  run_cli (f, &wa, NULL, "providers", "test", "whatsapp", "--json", NULL);
  g_assert_cmpint (wa.status, ==, 1);
  object = parse_object (wa.out, parser);
  g_assert_cmpstr (json_object_get_string_member (object, "provider"), ==, "whatsapp");
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "message"),
                            "needs a phone-number id"));
}

static void
test_no_workspace (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) list = { 0 };
  g_auto(Run) test = { 0 };

  run_cli (f, &list, NULL, "providers", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 1);
  g_assert_nonnull (strstr (list.err, "no workspace at"));
  run_cli (f, &test, NULL, "providers", "test", "twilio", NULL);
  g_assert_cmpint (test.status, ==, 1);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* Under tests/run-with-keyring.sh: the token given on standard input is
 * stored in the keyring, listed as such, and used. */
static void
test_keyring (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) set = { 0 };
  g_auto(Run) test = { 0 };
  g_auto(Run) wa = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *pair = g_strconcat (SID, ":", TOKEN, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *expected_auth = g_strconcat ("Basic ", encoded, NULL);
  JsonObject *whatsapp;

  if (g_getenv ("TEXTCAST_TEST_KEYRING") == NULL)
    {
      g_test_skip ("needs a keyring: run by test-cli-providers-keyring "
                   "(tests/run-with-keyring.sh)");
      return;
    }

  run_cli (f, &set, TOKEN "\n", "providers", "set", "twilio", "--account-sid", SID, "--from",
           FROM, "--base-url", f->base, "--auth-token-stdin", NULL);
  g_assert_cmpint (set.status, ==, 0);
  g_assert_cmpstr (set.err, ==, "");

  run_cli (f, &wa, WA_TOKEN "\napp-secret-2\n", "providers", "set", "whatsapp",
           "--phone-number-id", PNID, "--business-account-id", WABA, "--token-stdin",
           "--app-secret-stdin", NULL);
  g_assert_cmpint (wa.status, ==, 0);

  root = list_json (f);
  g_assert_cmpstr (json_object_get_string_member (listed (root, "twilio"), "credentials"), ==,
                   "keyring");
  g_assert_true (json_object_get_boolean_member (listed (root, "twilio"), "configured"));
  whatsapp = listed (root, "whatsapp");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "credentials"), ==, "keyring");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "app_secret"), ==, "keyring");
  g_assert_cmpstr (json_object_get_string_member (whatsapp, "verify_token"), ==, "missing");

  reply (f, 200, "{\"sid\":\"" SID "\",\"status\":\"active\"}");
  run_cli (f, &test, NULL, "providers", "test", "twilio", NULL);
  g_assert_cmpint (test.status, ==, 0);
  g_assert_cmpstr (f->authorization, ==, expected_auth);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/cli-providers/simulator-and-list", test_simulator_and_list);
  ADD ("/tc/cli-providers/set-twilio", test_set_twilio);
  ADD ("/tc/cli-providers/set-whatsapp", test_set_whatsapp);
  ADD ("/tc/cli-providers/set-errors", test_set_errors);
  ADD ("/tc/cli-providers/test", test_test);
  ADD ("/tc/cli-providers/no-workspace", test_no_workspace);
  ADD ("/tc/cli-providers/keyring", test_keyring);

#undef ADD

  return g_test_run ();
}
