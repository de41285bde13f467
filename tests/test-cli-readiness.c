/* test-cli-readiness.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli readiness [show|answer|check-webhooks]`, run as a real
 * program on temporary workspaces: the JSON of the findings and the score,
 * answers that change what is relevant, a fix that raises the score, and
 * the webhooks' check against a plain HTTP server on 127.0.0.1 (in a
 * thread of this test) that answers as Textcast does, or as something else.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-cli-test-util.h"

typedef TcCliWorkspace Fixture;
typedef TcCliRun Run;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };
  const char * const args[] = { "sample", "--count", "20", NULL };

  tc_cli_workspace_set_up (f, "tc-cli-readiness-XXXXXX");
  tc_cli_run_argv (f->db, NULL, &run, args);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_cli_workspace_tear_down (f);
}

#define RUN(f, run, ...) \
  G_STMT_START { \
    const char * const args_[] = { __VA_ARGS__, NULL }; \
    tc_cli_run_argv ((f)->db, NULL, (run), args_); \
  } G_STMT_END

static JsonObject *
parse_ok (const Run  *run,
          JsonParser *parser)
{
  if (run->status != 0)
    g_error ("exit status %d; stderr: %s; stdout: %s", run->status, run->err, run->out);
  g_assert_cmpstr (run->err, ==, "");
  /* One line of JSON. */
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);

  return tc_cli_parse_object (parser, run->out);
}

/* The finding or passed check @id of a readiness report, and in which list. */
static JsonObject *
find_check (JsonObject *report,
            const char *id,
            gboolean   *passed_out)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *list = json_object_get_array_member (report, pass == 0 ? "findings" : "passed");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *check = json_array_get_object_element (list, i);

          if (g_strcmp0 (json_object_get_string_member (check, "id"), id) == 0)
            {
              *passed_out = pass == 1;
              return check;
            }
        }
    }

  return NULL;
}

static void
test_show_json (Fixture       *f,
                gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };
  g_auto(TcCliRun) run2 = { 0, };
  g_auto(TcCliRun) run3 = { 0, };
  g_auto(TcCliRun) run4 = { 0, };
  g_auto(TcCliRun) run5 = { 0, };
  g_autoptr(JsonParser) parser4 = json_parser_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autoptr(JsonParser) parser3 = json_parser_new ();
  JsonObject *report, *check, *answer;
  JsonArray *findings;
  gint64 score;
  gboolean passed = TRUE;
  static const char * const severities[] = { "critical", "warning", "info", NULL };
  guint last_rank = 0;

  RUN (f, &run, "readiness", "--json");
  report = parse_ok (&run, parser);
  score = json_object_get_int_member (report, "score");
  g_assert_cmpint (score, >=, 0);
  g_assert_cmpint (score, <, 100);
  findings = json_object_get_array_member (report, "findings");
  g_assert_cmpint (json_array_get_length (findings), ==, json_object_get_int_member (report, "failed"));
  g_assert_cmpuint (json_array_get_length (findings), >, 0);

  /* Most serious first; each says what, why, and where to fix it. */
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);
      const char *severity = json_object_get_string_member (finding, "severity");
      guint rank = 0;

      while (severities[rank] != NULL && strcmp (severities[rank], severity) != 0)
        rank++;
      g_assert_nonnull (severities[rank]);
      g_assert_cmpuint (rank, >=, last_rank);
      last_rank = rank;
      g_assert_cmpstr (json_object_get_string_member (finding, "title"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (finding, "explanation"), !=, "");
      g_assert_nonnull (json_object_get_string_member (finding, "place"));
    }

  /* The sample workspace has no brand name and sends through the simulator. */
  check = find_check (report, "help.program", &passed);
  g_assert_nonnull (check);
  g_assert_false (passed);
  g_assert_cmpstr (json_object_get_string_member (check, "place"), ==, "preferences:messages");
  check = find_check (report, "provider.real", &passed);
  g_assert_nonnull (check);
  g_assert_false (passed);
  g_assert_cmpstr (json_object_get_string_member (check, "severity"), ==, "critical");
  g_assert_nonnull (find_check (report, "consent.double_optin", &passed));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (report, "answers"),
                                              "purposes"));

  /* Only transactional messages: the promotional checks go. */
  RUN (f, &run2, "readiness", "answer", "purposes", "Transactional", "--json");
  answer = parse_ok (&run2, parser2);
  g_assert_cmpstr (json_object_get_string_member (answer, "key"), ==, "purposes");
  g_assert_cmpstr (json_object_get_string_member (answer, "value"), ==, "transactional");

  /* Answers change what counts, so the score is compared after them. */
  RUN (f, &run5, "readiness", "--json");
  score = json_object_get_int_member (parse_ok (&run5, parser4), "score");

  RUN (f, &run3, "settings", "set", "brand.name", "Acme Shoes");
  g_assert_cmpint (run3.status, ==, 0);

  RUN (f, &run4, "readiness", "--json");
  report = parse_ok (&run4, parser3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "answers"),
                                                  "purposes"), ==, "transactional");
  g_assert_null (find_check (report, "consent.double_optin", &passed));
  g_assert_null (find_check (report, "quiet_hours.rules", &passed));
  g_assert_nonnull (find_check (report, "help.program", &passed));
  g_assert_true (passed);
  g_assert_cmpint (json_object_get_int_member (report, "score"), >, score);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_auto(TcCliRun) run = { 0, };

  RUN (f, &run, "readiness");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Readiness: "));
  g_assert_nonnull (strstr (run.out, "Fix in: preferences:providers"));
  g_assert_nonnull (strstr (run.out, "MUST"));
}

static void
test_answer_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(TcCliRun) bad_value = { 0, };
  g_auto(TcCliRun) bad_key = { 0, };
  g_auto(TcCliRun) missing = { 0, };
  g_auto(TcCliRun) cleared = { 0, };

  RUN (f, &bad_value, "readiness", "answer", "channels", "sms,fax");
  g_assert_cmpint (bad_value.status, ==, 1);
  g_assert_nonnull (strstr (bad_value.err, "fax"));
  g_assert_nonnull (strstr (bad_value.err, "sms, whatsapp"));

  RUN (f, &bad_key, "readiness", "answer", "colour", "blue");
  g_assert_cmpint (bad_key.status, ==, 2);

  RUN (f, &missing, "readiness", "answer", "budget");
  g_assert_cmpint (missing.status, ==, 2);

  RUN (f, &cleared, "readiness", "answer", "budget", "");
  g_assert_cmpint (cleared.status, ==, 0);
  g_assert_cmpstr (cleared.out, ==, "Cleared the answer to budget.\n");
}

/* A one-response-per-connection HTTP server in a thread. */
typedef struct
{
  GSocketListener *listener;
  guint16          port;
  const char      *server_header;
  GThread         *thread;
  GCancellable    *cancellable;
  guint            n_requests;
} Http;

static gpointer
http_thread (gpointer data)
{
  Http *http = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *response = NULL;
      char buffer[4096];
      gssize n;
      GInputStream *in;
      GOutputStream *out;

      connection = g_socket_listener_accept (http->listener, NULL, http->cancellable, &error);
      if (connection == NULL)
        return NULL;   /* cancelled: the test is over */
      in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      n = g_input_stream_read (in, buffer, sizeof buffer - 1, NULL, NULL);
      if (n <= 0)
        continue;
      buffer[n] = '\0';
      if (g_str_has_prefix (buffer, "GET /tc/webhooks/ "))
        g_atomic_int_inc (&http->n_requests);
      response = g_strdup_printf ("HTTP/1.1 404 Not Found\r\nServer: %s\r\n"
                                  "Content-Length: 0\r\nConnection: close\r\n\r\n",
                                  http->server_header);
      g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
}

static void
http_start (Http       *http,
            const char *server_header)
{
  g_autoptr(GError) error = NULL;

  http->listener = g_socket_listener_new ();
  http->cancellable = g_cancellable_new ();
  http->server_header = server_header;
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_assert_true (g_socket_listener_add_address (http->listener, address, G_SOCKET_TYPE_STREAM,
                                                  G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                                  &error));
    g_assert_no_error (error);
    http->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  http->thread = g_thread_new ("http", http_thread, http);
}

static void
http_stop (Http *http)
{
  /* Wakes the thread from its accept. */
  g_cancellable_cancel (http->cancellable);
  g_thread_join (http->thread);
  g_socket_listener_close (http->listener);
  g_clear_object (&http->listener);
  g_clear_object (&http->cancellable);
}

static void
test_check_webhooks (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(TcCliRun) no_url = { 0, };
  g_auto(TcCliRun) set_url = { 0, };
  g_auto(TcCliRun) set_twilio = { 0, };
  g_auto(TcCliRun) reached = { 0, };
  g_auto(TcCliRun) report_run = { 0, };
  g_auto(TcCliRun) set_other = { 0, };
  g_auto(TcCliRun) elsewhere = { 0, };
  g_auto(TcCliRun) report_run2 = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_autoptr(JsonParser) parser3 = json_parser_new ();
  g_autoptr(JsonParser) parser4 = json_parser_new ();
  g_autofree char *url = NULL;
  g_autofree char *other_url = NULL;
  Http textcast = { 0, };
  Http other = { 0, };
  JsonObject *object, *check;
  gboolean passed = FALSE;

  RUN (f, &no_url, "readiness", "check-webhooks", "--json");
  g_assert_cmpint (no_url.status, ==, 1);
  object = tc_cli_parse_object (parser, no_url.out);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "message"), "public URL"));

  http_start (&textcast, "Textcast");
  http_start (&other, "nginx");
  url = g_strdup_printf ("http://127.0.0.1:%u/tc/", textcast.port);
  other_url = g_strdup_printf ("http://127.0.0.1:%u/tc", other.port);

  RUN (f, &set_twilio, "settings", "set", "provider.sms", "twilio");
  g_assert_cmpint (set_twilio.status, ==, 0);
  RUN (f, &set_url, "settings", "set", "http.public_url", url);
  g_assert_cmpint (set_url.status, ==, 0);
  RUN (f, &reached, "readiness", "check-webhooks", "--json");
  object = parse_ok (&reached, parser2);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpuint (g_atomic_int_get (&textcast.n_requests), ==, 1);

  RUN (f, &report_run, "readiness", "--json");
  object = parse_ok (&report_run, parser3);
  check = find_check (object, "webhooks.reachable", &passed);
  g_assert_nonnull (check);
  g_assert_true (passed);

  /* Another address that answers, but not as Textcast. */
  RUN (f, &set_other, "settings", "set", "http.public_url", other_url);
  g_assert_cmpint (set_other.status, ==, 0);
  RUN (f, &elsewhere, "readiness", "check-webhooks");
  g_assert_cmpint (elsewhere.status, ==, 1);
  g_assert_nonnull (strstr (elsewhere.err, "not from Textcast"));
  g_assert_cmpuint (g_atomic_int_get (&other.n_requests), ==, 1);

  RUN (f, &report_run2, "readiness", "--json");
  object = parse_ok (&report_run2, parser4);
  check = find_check (object, "webhooks.reachable", &passed);
  g_assert_nonnull (check);
  g_assert_false (passed);
  g_assert_nonnull (strstr (json_object_get_string_member (check, "explanation"),
                            "not from Textcast"));

  http_stop (&textcast);
  http_stop (&other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/cli/readiness/show-json", Fixture, NULL,
              fixture_set_up, test_show_json, fixture_tear_down);
  g_test_add ("/tc/cli/readiness/text", Fixture, NULL,
              fixture_set_up, test_text, fixture_tear_down);
  g_test_add ("/tc/cli/readiness/answer-errors", Fixture, NULL,
              fixture_set_up, test_answer_errors, fixture_tear_down);
  g_test_add ("/tc/cli/readiness/check-webhooks", Fixture, NULL,
              fixture_set_up, test_check_webhooks, fixture_tear_down);

  return g_test_run ();
}
