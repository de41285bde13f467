/* test-events-endpoint.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /events on Textcast's HTTP endpoint (tc-events-endpoint.h), with
 * real requests from a SoupSession to the server on 127.0.0.1: the token
 * (TEXTCAST_EVENTS_TOKEN), methods, bodies that are too large or not
 * JSON, invalid events, one event, a repeated id, and a batch; and what
 * ends up stored.
 */

#define G_LOG_DOMAIN "test-events-endpoint"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-events-endpoint.h"
#include "tc-events.h"
#include "tc-http-server.h"
#include "tc-repository.h"

#define TOKEN "s3cret-events-token-0123456789"

typedef struct
{
  char         *dir;
  char         *path;
  TcRepository *repo;
  TcHttpServer *server;
  SoupSession  *session;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("TEXTCAST_EVENTS_TOKEN", TOKEN, TRUE);

  f->dir = g_dir_make_tmp ("tc-events-endpoint-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "textcast.db", NULL);
  f->repo = tc_repository_new (f->path);
  tc_repository_open_async (f->repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_open_finish (f->repo, res, &error));
  g_assert_no_error (error);

  f->server = tc_http_server_new (f->repo);
  g_assert_true (tc_http_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  soup_session_abort (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  tc_repository_close (f->repo);
  g_clear_object (&f->repo);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_unsetenv ("TEXTCAST_EVENTS_TOKEN");
}

/* One request; @authorization NULL sends none. */
static void
post (Fixture    *f,
      const char *method,
      const char *authorization,
      const char *body,
      Reply      *reply)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *uri = NULL;

  uri = g_strdup_printf ("http://127.0.0.1:%u" TC_EVENTS_ENDPOINT_PATH,
                         tc_http_server_get_port (f->server));
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  reply->body = soup_session_send_and_read_finish (f->session, res, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

/* The JSON object answered. */
static JsonObject *
reply_object (const Reply *reply,
              JsonNode   **node_out)
{
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;
  JsonNode *node;

  g_assert_no_error (reply->error);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  data = g_bytes_get_data (reply->body, &size);
  {
    g_autofree char *text = g_strndup (data, size);

    node = json_from_string (text, &error);
  }
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  *node_out = node;

  return json_node_get_object (node);
}

static void
assert_error_reply (const Reply *reply,
                    guint        status,
                    const char  *code,
                    const char  *message_start)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, status);
  object = reply_object (reply, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, code);
  if (!g_str_has_prefix (json_object_get_string_member (object, "message"), message_start))
    g_error ("expected “%s…”, got “%s”", message_start,
             json_object_get_string_member (object, "message"));
}

static GPtrArray *
stored_events (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  tc_events_list_async (f->repo, NULL, NULL, NULL, 0, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  events = tc_events_list_finish (f->repo, res, &error);
  g_assert_no_error (error);

  return events;
}

typedef struct
{
  const char *method;
  const char *authorization;
  const char *body;
  guint       status;
  const char *code;
  const char *message;
} RefusalCase;

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  static const RefusalCase cases[] = {
    { "POST", NULL, "{}", 401, "unauthorized", "Send the events token" },
    { "POST", "Basic dXNlcjpwYXNz", "{}", 401, "unauthorized", "Send the events token" },
    { "POST", "Bearer ", "{}", 401, "unauthorized", "Send the events token" },
    { "POST", "Bearer wrong", "{}", 401, "unauthorized", "The bearer token is not" },
    { "POST", "Bearer " TOKEN "x", "{}", 401, "unauthorized", "The bearer token is not" },
    { "GET", "Bearer " TOKEN, NULL, 405, "method_not_allowed", "Send events with POST" },
    { "POST", "Bearer " TOKEN, "not json", 400, "invalid_json", "The body is not JSON" },
    { "POST", "Bearer " TOKEN, NULL, 400, "invalid_json", "The body is not JSON" },
    { "POST", "Bearer " TOKEN, "{\"name\":\"order_placed\"}", 400, "invalid_event",
      "phone: missing" },
    { "POST", "Bearer " TOKEN, "{\"name\":\"Order\",\"phone\":\"+14155550123\"}", 400,
      "invalid_event", "name: “Order” is not an event name" },
    { "POST", "Bearer " TOKEN, "{\"name\":\"x\",\"phone\":\"+14155550123\",\"colour\":1}", 400,
      "invalid_event", "colour: unknown member" },
    { "POST", "Bearer " TOKEN, "{\"name\":\"x\",\"phone\":\"+14155550123\",\"properties\":[]}",
      400, "invalid_event", "properties: give a JSON object" },
    { "POST", "Bearer " TOKEN, "{\"name\":\"x\",\"phone\":\"+14155550123\","
      "\"occurred_at\":\"yesterday\"}", 400, "invalid_event", "occurred_at: give ISO 8601" },
    { "POST", "Bearer " TOKEN, "{\"events\":[{\"name\":\"x\",\"phone\":\"+14155550123\"},"
      "{\"name\":\"y\",\"phone\":\"12\"}]}", 400, "invalid_event", "events[1]: phone: “12”" },
    { "POST", "Bearer " TOKEN, "{\"events\":[]}", 400, "invalid_event", "A batch is" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Reply) reply = { 0 };

      g_test_message ("%s %s %s", cases[i].method,
                      cases[i].authorization != NULL ? cases[i].authorization : "(none)",
                      cases[i].body != NULL ? cases[i].body : "(no body)");
      post (f, cases[i].method, cases[i].authorization, cases[i].body, &reply);
      assert_error_reply (&reply, cases[i].status, cases[i].code, cases[i].message);
      if (cases[i].status == 401)
        g_assert_true (g_str_has_prefix (soup_message_headers_get_one (reply.headers,
                                                                       "WWW-Authenticate"),
                                         "Bearer"));
    }

  {
    g_autoptr(GPtrArray) events = stored_events (f);

    g_assert_cmpuint (events->len, ==, 0);
  }
}

/* Headers that announce a body over the bound, sent on a raw connection
 * with "Expect: 100-continue" and without the body: the answer comes
 * before any of it is sent. */
static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GString) big = g_string_new ("{\"name\":\"x\",\"phone\":\"+14155550123\","
                                         "\"properties\":{\"pad\":\"");
  g_auto(Reply) reply = { 0 };
  g_autofree char *head = NULL;
  GOutputStream *out;
  GInputStream *in;
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                tc_http_server_get_port (f->server), NULL,
                                                &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("POST " TC_EVENTS_ENDPOINT_PATH " HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "Authorization: Bearer " TOKEN "\r\n"
                          "Content-Type: application/json\r\n"
                          "Expect: 100-continue\r\n"
                          "Content-Length: %d\r\n\r\n", TC_EVENTS_ENDPOINT_MAX_BODY + 1);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  /* The server is in this thread: write, then let it run while reading. */
  g_assert_true (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error));
  g_assert_no_error (error);
  while (strstr (answer->str, "}\n") == NULL)
    {
      g_autoptr(GAsyncResult) res = NULL;

      g_input_stream_read_async (in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 tc_repository_store_result_cb, &res);
      tc_repository_wait (&res);
      n = g_input_stream_read_finish (in, res, &error);
      g_assert_no_error (error);
      if (n <= 0)
        break;
      g_string_append_len (answer, buffer, n);
    }
  g_test_message ("%s", answer->str);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (answer->str, "\"error\":\"too_large\""));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  /* Sent whole by a client, the big body is refused or the connection
   * cut; either way nothing is stored and the server keeps serving. */
  while (big->len <= TC_EVENTS_ENDPOINT_MAX_BODY)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}}");
  post (f, "POST", "Bearer " TOKEN, big->str, &reply);
  if (reply.error == NULL)
    assert_error_reply (&reply, 413, "too_large", "The body must have a Content-Length");

  {
    g_autoptr(GPtrArray) events = stored_events (f);
    g_auto(Reply) after = { 0 };

    g_assert_cmpuint (events->len, ==, 0);
    post (f, "POST", "Bearer " TOKEN, "{\"name\":\"x\",\"phone\":\"+14155550123\"}", &after);
    g_assert_cmpuint (after.status, ==, 200);
  }
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  static const char one[] =
    "{\"name\":\"order_placed\",\"phone\":\"+14155550123\",\"id\":\"shop-1001\","
    "\"occurred_at\":\"2026-03-01T09:30:00Z\",\"source\":\"shop\","
    "\"properties\":{\"value\":49.9,\"currency\":\"usd\",\"sku\":\"X1\",\"qty\":2,"
    "\"gift\":{\"wrap\":true,\"note\":\"for \\\"Mum\\\"\"},\"tags\":[1.25,\"a\"]}}";
  g_auto(Reply) first = { 0 };
  g_auto(Reply) again = { 0 };
  g_auto(Reply) batch = { 0 };
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) again_node = NULL;
  g_autoptr(JsonNode) batch_node = NULL;
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *object;
  JsonArray *outcomes;
  TcEvent *event = NULL;
  gint64 id;

  post (f, "POST", "Bearer " TOKEN, one, &first);
  g_assert_cmpuint (first.status, ==, 200);
  object = reply_object (&first, &first_node);
  id = json_object_get_int_member (object, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_true (json_object_get_boolean_member (object, "inserted"));
  g_assert_true (json_object_get_boolean_member (object, "contact_created"));

  /* A repeat delivery records nothing. */
  post (f, "POST", "bearer " TOKEN, one, &again);
  g_assert_cmpuint (again.status, ==, 200);
  object = reply_object (&again, &again_node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_false (json_object_get_boolean_member (object, "inserted"));
  g_assert_false (json_object_get_boolean_member (object, "contact_created"));

  post (f, "POST", "Bearer " TOKEN,
        "{\"events\":[{\"name\":\"cart_abandoned\",\"phone\":\"+14155550123\","
        "\"occurred_at\":1772400000},{\"name\":\"product_viewed\",\"phone\":\"(415) 555-0199\"}]}",
        &batch);
  g_assert_cmpuint (batch.status, ==, 200);
  object = reply_object (&batch, &batch_node);
  outcomes = json_object_get_array_member (object, "events");
  g_assert_cmpuint (json_array_get_length (outcomes), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (outcomes, 0),
                                                  "contact_created"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (outcomes, 1),
                                                 "contact_created"));

  events = stored_events (f);
  g_assert_cmpuint (events->len, ==, 3);
  for (guint i = 0; i < events->len; i++)
    if (((TcEvent *) g_ptr_array_index (events, i))->id == id)
      event = g_ptr_array_index (events, i);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->name, ==, "order_placed");
  g_assert_cmpstr (event->phone, ==, "+14155550123");
  g_assert_cmpstr (event->key, ==, "shop-1001");
  g_assert_cmpstr (event->source, ==, "shop");
  g_assert_cmpint (event->occurred_at, ==, 1772357400);
  g_assert_true (event->has_value);
  g_assert_cmpfloat (event->value, ==, 49.9);
  g_assert_cmpstr (event->currency, ==, "USD");
  /* The properties as sent, compact, numbers with the digits given. */
  g_assert_cmpstr (event->properties, ==,
                   "{\"value\":49.9,\"currency\":\"usd\",\"sku\":\"X1\",\"qty\":2,"
                   "\"gift\":{\"wrap\":true,\"note\":\"for \\\"Mum\\\"\"},\"tags\":[1.25,\"a\"]}");
}

/* Without a token anywhere, the endpoint says it is not set up. */
static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };

  /* No token in the environment and no session bus: the keyring lookup
   * fails at once (tc-secrets.h). */
  g_unsetenv ("TEXTCAST_EVENTS_TOKEN");
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", f->dir, TRUE);

  post (f, "POST", "Bearer anything",
        "{\"name\":\"order_placed\",\"phone\":\"+14155550123\"}", &reply);
  assert_error_reply (&reply, 503, "not_configured", "The events endpoint has no token");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/events-endpoint/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/tc/events-endpoint/too-large", Fixture, NULL, fixture_set_up, test_too_large,
              fixture_tear_down);
  g_test_add ("/tc/events-endpoint/record", Fixture, NULL, fixture_set_up, test_record,
              fixture_tear_down);
  g_test_add ("/tc/events-endpoint/not-configured", Fixture, NULL, fixture_set_up,
              test_not_configured, fixture_tear_down);

  return g_test_run ();
}
