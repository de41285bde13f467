/* test-twilio.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Twilio provider (src/net/tc-twilio.c) against fake Twilio servers in
 * this process, on 127.0.0.1:
 *   - a SoupServer for answers (201, Twilio's error bodies, 429, 5xx,
 *     message resources and lists), which records each request;
 *   - a raw socket server on threads, for what a SoupServer will not do:
 *     read a request and hang up, answer too slowly, cut an answer short,
 *     and close keep-alive connections between requests — counting every
 *     request it receives, to show a create-message request is never sent
 *     twice.
 * Webhook parsing and X-Twilio-Signature against our own vectors and,
 * when ../shared/specs is beside the checkout, the public ones
 * ($TEXTCAST_TWILIO_SIGNATURE_VECTORS); the form fields against Twilio's
 * OpenAPI description ($TEXTCAST_TWILIO_SPEC).
 */

#define G_LOG_DOMAIN "test-twilio"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-soup.h"
#include "tc-twilio.h"

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN  "f7c2e9a1b4d3c6e8a0b9d2f1e3c4a5b6"
#define MESSAGES_PATH "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json"
#define SID_1 "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9"

#define CREATED_BODY "{\"sid\":\"" SID_1 "\",\"status\":\"queued\",\"to\":\"+14155550100\"," \
                     "\"date_created\":\"Tue, 24 Nov 2026 04:00:00 +0000\",\"error_code\":null}"

/* tc-provider.h defines no autoptr for these two: local names for ours. */
typedef TcStatusUpdate StatusUpdate;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StatusUpdate, tc_status_update_free)

static void
put (GHashTable *table,
     const char *name,
     const char *value)
{
  g_hash_table_insert (table, (gpointer) name, (gpointer) value);
}

/* ------------------------------------------------------------------------
 * Waiting on the main context
 */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static TcSendReceipt *
send_message (TcTwilioProvider        *provider,
              const TcOutboundMessage *message,
              GCancellable            *cancellable,
              TcSendFailure          **failure)
{
  GAsyncResult *result = NULL;
  TcSendReceipt *receipt;

  tc_provider_send_async (TC_PROVIDER (provider), message, cancellable, store_result_cb, &result);
  receipt = tc_provider_send_finish (TC_PROVIDER (provider), wait_for (&result), failure);
  g_object_unref (result);
  /* Never both, never neither. */
  g_assert_true ((receipt == NULL) != (*failure == NULL));

  return receipt;
}

static TcStatusUpdate *
fetch_status (TcTwilioProvider  *provider,
              const char        *sid,
              GError           **error)
{
  GAsyncResult *result = NULL;
  TcStatusUpdate *update;

  tc_provider_fetch_status_async (TC_PROVIDER (provider), sid, NULL, store_result_cb, &result);
  update = tc_provider_fetch_status_finish (TC_PROVIDER (provider), wait_for (&result), error);
  g_object_unref (result);

  return update;
}

static GPtrArray *
lookup (TcTwilioProvider  *provider,
        const char        *to,
        gint64             since,
        GError           **error)
{
  GAsyncResult *result = NULL;
  GPtrArray *updates;

  tc_provider_lookup_async (TC_PROVIDER (provider), to, since, NULL, store_result_cb, &result);
  updates = tc_provider_lookup_finish (TC_PROVIDER (provider), wait_for (&result), error);
  g_object_unref (result);

  return updates;
}

static const TcOutboundMessage sms_message = {
  .channel = TC_CHANNEL_SMS,
  .from = "+15005550006",
  .to = "+14155550100",
  .body = "Your order #42 ships today & arrives Friday. Reply STOP to opt out",
  .status_callback = "https://hooks.example.org/twilio/status?c=1",
};

/* ------------------------------------------------------------------------
 * The SoupServer fake
 */

typedef struct
{
  SoupServer       *server;
  char             *base;
  SoupSession      *session;
  TcTwilioProvider *provider;

  /* The last request. */
  guint             n_requests;
  char             *method;
  char             *path;
  char             *query;
  char             *authorization;
  char             *content_type;
  char             *body;
  GPtrArray        *form;      /* "name=value", decoded, in order */

  /* The next answer; for a lookup, page_2 when the query asks Page=1. */
  guint             reply_status;
  char             *reply_body;
  char             *retry_after;
  char             *page_2;
} Fixture;

/* Decodes a form body in order, keeping repeated names. */
static GPtrArray *
decode_form (const char *body)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) pairs = g_strsplit (body, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *plus = g_strdup (pairs[i]);
      char *decoded;

      if (plus[0] == '\0')
        continue;
      g_strdelimit (plus, "+", ' ');
      decoded = g_uri_unescape_string (plus, NULL);
      g_assert_nonnull (decoded);
      g_ptr_array_add (fields, decoded);
    }

  return fields;
}

static const char *
form_get (Fixture    *f,
          const char *name)
{
  gsize len = strlen (name);

  for (guint i = 0; f->form != NULL && i < f->form->len; i++)
    {
      const char *pair = g_ptr_array_index (f->form, i);

      if (strncmp (pair, name, len) == 0 && pair[len] == '=')
        return pair + len + 1;
    }

  return NULL;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  GUri *uri = soup_server_message_get_uri (msg);
  const char *page = query != NULL ? g_hash_table_lookup (query, "Page") : NULL;
  const char *answer;

  f->n_requests++;
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->query);
  f->query = g_strdup (g_uri_get_query (uri));
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_content_type (request_headers, NULL));
  g_free (f->body);
  f->body = g_strndup (g_bytes_get_data (flat, NULL), g_bytes_get_size (flat));
  g_clear_pointer (&f->form, g_ptr_array_unref);
  f->form = decode_form (f->body);

  answer = g_strcmp0 (page, "1") == 0 && f->page_2 != NULL ? f->page_2 : f->reply_body;
  soup_server_message_set_status (msg, f->reply_status, NULL);
  if (f->retry_after != NULL)
    soup_message_headers_replace (response_headers, "Retry-After", f->retry_after);
  if (answer != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
reply (Fixture    *f,
       guint       status,
       const char *body)
{
  g_free (f->reply_body);
  f->reply_body = g_strdup (body);
  f->reply_status = status;
  g_clear_pointer (&f->retry_after, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new ("server-header", "fake-twilio", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  /* A trailing '/' on the base URL is dropped by the provider. */
  f->base = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->session = tc_soup_session_new ();
  f->provider = tc_twilio_provider_new (f->session, f->base, ACCOUNT_SID, AUTH_TOKEN);
  reply (f, 201, CREATED_BODY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->provider);
  g_clear_object (&f->session);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
  g_free (f->method);
  g_free (f->path);
  g_free (f->query);
  g_free (f->authorization);
  g_free (f->content_type);
  g_free (f->body);
  g_clear_pointer (&f->form, g_ptr_array_unref);
  g_free (f->reply_body);
  g_free (f->retry_after);
  g_free (f->page_2);
}

/* ------------------------------------------------------------------------
 * The raw server: one thread accepts, one thread per connection.
 */

typedef enum
{
  RAW_CLOSE_AFTER_REQUEST,   /* read the whole request, hang up without a word */
  RAW_SLOW,                  /* answer 201 after slow_ms */
  RAW_PARTIAL_201,           /* 201 headers and part of the body, then hang up */
  RAW_KEEP_ALIVE_TRAP,       /* answer the first request of a connection (keep-alive);
                              * hang up on any later one, after reading it */
  RAW_CLOSE_BETWEEN,         /* answer with keep-alive, then close soon after */
  RAW_NOT_TLS,               /* on connecting, write a plain HTTP error and hang up */
} RawMode;

typedef struct
{
  char  *method;
  char  *path;
  char  *body;
  guint  connection;
  guint  index;    /* on its connection, from 0 */
} RawRequest;

typedef struct _RawServer RawServer;

typedef struct
{
  RawServer *server;
  GSocket   *socket;
  guint      number;
} RawConnection;

struct _RawServer
{
  GSocket   *listener;
  guint16    port;
  RawMode    mode;
  guint      slow_ms;
  GThread   *thread;
  GMutex     lock;
  GPtrArray *requests;     /* RawRequest */
  GPtrArray *connections;  /* RawConnection */
  GPtrArray *threads;
  gint       stop;
};

static void
raw_request_free (RawRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->body);
  g_free (req);
}

/* Reads one request; NULL at the end of the connection. */
static RawRequest *
raw_read_request (GSocket *socket)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  const char *end;
  gsize header_len, content_length = 0;
  RawRequest *req;
  char buffer[4096];

  while ((end = strstr (data->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return NULL;
      g_string_append_len (data, buffer, n);
    }
  header_len = end - data->str + 4;

  lines = g_strsplit (data->str, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
      content_length = g_ascii_strtoull (lines[i] + 15, NULL, 10);

  while (data->len < header_len + content_length)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return NULL;
      g_string_append_len (data, buffer, n);
    }

  first = g_strsplit (lines[0], " ", 3);
  g_assert_nonnull (first[0]);
  g_assert_nonnull (first[1]);
  req = g_new0 (RawRequest, 1);
  req->method = g_strdup (first[0]);
  req->path = g_strdup (first[1]);
  req->body = g_strndup (data->str + header_len, content_length);

  return req;
}

static void
raw_send (GSocket    *socket,
          const char *text)
{
  gsize done = 0, len = strlen (text);

  while (done < len)
    {
      gssize n = g_socket_send (socket, text + done, len - done, NULL, NULL);

      if (n <= 0)
        return;
      done += n;
    }
}

static void
raw_answer (GSocket    *socket,
            RawRequest *req,
            gboolean    keep_alive)
{
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  const char *status;

  if (strcmp (req->method, "POST") == 0)
    {
      status = "201 Created";
      body = g_strdup (CREATED_BODY);
    }
  else
    {
      status = "200 OK";
      body = g_strdup ("{\"sid\":\"" SID_1 "\",\"status\":\"delivered\"}");
    }
  text = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Connection: %s\r\n\r\n%s",
                          status, strlen (body), keep_alive ? "keep-alive" : "close", body);
  raw_send (socket, text);
}

static void
raw_sleep (RawServer *server,
           guint      ms)
{
  for (guint waited = 0; waited < ms && !g_atomic_int_get (&server->stop); waited += 10)
    g_usleep (10 * 1000);
}

static gpointer
raw_connection_thread (gpointer user_data)
{
  RawConnection *conn = user_data;
  RawServer *server = conn->server;

  if (server->mode == RAW_NOT_TLS)
    {
      raw_send (conn->socket, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
      return NULL;
    }

  for (guint index = 0; !g_atomic_int_get (&server->stop); index++)
    {
      RawRequest *req = raw_read_request (conn->socket);
      gboolean close_now = FALSE;

      if (req == NULL)
        break;
      req->connection = conn->number;
      req->index = index;
      g_mutex_lock (&server->lock);
      g_ptr_array_add (server->requests, req);
      g_mutex_unlock (&server->lock);

      switch (server->mode)
        {
        case RAW_CLOSE_AFTER_REQUEST:
          close_now = TRUE;
          break;
        case RAW_SLOW:
          raw_sleep (server, server->slow_ms);
          raw_answer (conn->socket, req, FALSE);
          close_now = TRUE;
          break;
        case RAW_PARTIAL_201:
          raw_send (conn->socket, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                  "Content-Length: 400\r\n\r\n{\"sid\":\"SM0a1b");
          close_now = TRUE;
          break;
        case RAW_KEEP_ALIVE_TRAP:
          if (index == 0)
            raw_answer (conn->socket, req, TRUE);
          else
            close_now = TRUE;
          break;
        case RAW_CLOSE_BETWEEN:
          raw_answer (conn->socket, req, TRUE);
          raw_sleep (server, 50);
          close_now = TRUE;
          break;
        case RAW_NOT_TLS:
        default:
          g_assert_not_reached ();
        }
      if (close_now)
        break;
    }

  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  return NULL;
}

static gpointer
raw_accept_thread (gpointer user_data)
{
  RawServer *server = user_data;

  while (!g_atomic_int_get (&server->stop))
    {
      RawConnection *conn;
      GSocket *socket;

      if (!g_socket_condition_timed_wait (server->listener, G_IO_IN, 20 * 1000, NULL, NULL))
        continue;
      socket = g_socket_accept (server->listener, NULL, NULL);
      if (socket == NULL)
        continue;
      g_socket_set_blocking (socket, TRUE);
      g_socket_set_timeout (socket, 10);

      conn = g_new0 (RawConnection, 1);
      conn->server = server;
      conn->socket = socket;
      g_mutex_lock (&server->lock);
      conn->number = server->connections->len;
      g_ptr_array_add (server->connections, conn);
      g_ptr_array_add (server->threads, g_thread_new ("raw-connection", raw_connection_thread, conn));
      g_mutex_unlock (&server->lock);
    }

  return NULL;
}

static RawServer *
raw_server_new (RawMode mode)
{
  RawServer *server = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server->mode = mode;
  g_mutex_init (&server->lock);
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_request_free);
  server->connections = g_ptr_array_new ();
  server->threads = g_ptr_array_new ();

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  server->thread = g_thread_new ("raw-accept", raw_accept_thread, server);

  return server;
}

static char *
raw_server_base (RawServer *server)
{
  return g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

static guint
raw_server_count (RawServer  *server,
                  const char *method)
{
  guint count = 0;

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->requests->len; i++)
    {
      RawRequest *req = g_ptr_array_index (server->requests, i);

      if (method == NULL || strcmp (req->method, method) == 0)
        count++;
    }
  g_mutex_unlock (&server->lock);

  return count;
}

static void
raw_server_free (RawServer *server)
{
  g_atomic_int_set (&server->stop, 1);
  g_thread_join (server->thread);

  for (guint i = 0; i < server->connections->len; i++)
    {
      RawConnection *conn = g_ptr_array_index (server->connections, i);

      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
    }
  for (guint i = 0; i < server->threads->len; i++)
    g_thread_join (g_ptr_array_index (server->threads, i));
  for (guint i = 0; i < server->connections->len; i++)
    {
      RawConnection *conn = g_ptr_array_index (server->connections, i);

      g_socket_close (conn->socket, NULL);
      g_object_unref (conn->socket);
      g_free (conn);
    }

  g_ptr_array_unref (server->connections);
  g_ptr_array_unref (server->threads);
  g_ptr_array_unref (server->requests);
  g_socket_close (server->listener, NULL);
  g_object_unref (server->listener);
  g_mutex_clear (&server->lock);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

/* Lets the session notice closed connections and the server threads finish
 * writing, without a fixed sleep in the assertions. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* ------------------------------------------------------------------------
 * Sending
 */

static void
assert_basic_auth (Fixture *f)
{
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) ACCOUNT_SID ":" AUTH_TOKEN,
                                              strlen (ACCOUNT_SID ":" AUTH_TOKEN));

  expected = g_strconcat ("Basic ", encoded, NULL);
  g_assert_cmpstr (f->authorization, ==, expected);
}

static void
test_send_created (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcOutboundMessage mms = sms_message;

  receipt = send_message (f->provider, &sms_message, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (receipt->provider_id, ==, SID_1);
  g_assert_cmpstr (receipt->status, ==, "queued");

  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, MESSAGES_PATH);
  g_assert_cmpstr (f->content_type, ==, "application/x-www-form-urlencoded");
  assert_basic_auth (f);
  g_assert_cmpuint (f->form->len, ==, 4);
  g_assert_cmpstr (form_get (f, "To"), ==, "+14155550100");
  g_assert_cmpstr (form_get (f, "From"), ==, "+15005550006");
  g_assert_cmpstr (form_get (f, "Body"), ==, sms_message.body);
  g_assert_cmpstr (form_get (f, "StatusCallback"), ==, sms_message.status_callback);
  g_assert_null (form_get (f, "MessagingServiceSid"));
  /* '+' and '&' travel escaped. */
  g_assert_nonnull (strstr (f->body, "To=%2B14155550100"));
  g_assert_null (strstr (f->body, AUTH_TOKEN));

  g_clear_pointer (&receipt, tc_send_receipt_free);
  mms.media_url = "https://cdn.example.org/p/ship.jpg?w=600&h=400";
  mms.status_callback = NULL;
  receipt = send_message (f->provider, &mms, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (form_get (f, "MediaUrl"), ==, mms.media_url);
  g_assert_null (form_get (f, "StatusCallback"));
  g_assert_cmpuint (f->form->len, ==, 4);
}

static void
test_send_messaging_service (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcOutboundMessage message = sms_message;

  message.from = "MG9752274e9e519418a7406176694466fa";
  receipt = send_message (f->provider, &message, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (form_get (f, "MessagingServiceSid"), ==, message.from);
  g_assert_null (form_get (f, "From"));
  g_assert_cmpstr (form_get (f, "To"), ==, "+14155550100");

  /* An alphanumeric sender ID that happens to begin with "MG" is a From. */
  g_clear_pointer (&receipt, tc_send_receipt_free);
  message.from = "MGMHOTELS";
  receipt = send_message (f->provider, &message, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (form_get (f, "From"), ==, "MGMHOTELS");
  g_assert_null (form_get (f, "MessagingServiceSid"));
}

static void
test_send_whatsapp (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcOutboundMessage template = {
    .channel = TC_CHANNEL_WHATSAPP,
    .from = "+15005550006",
    .to = "+447700900123",
    .content_sid = "HXb5b62575e6e4ff6129ad7c8efe1f983e",
    .content_variables = "{\"1\":\"Ada\",\"2\":\"Friday 3pm\"}",
  };
  TcOutboundMessage text = {
    .channel = TC_CHANNEL_WHATSAPP,
    .from = "whatsapp:+15005550006",
    .to = "+447700900123",
    .body = "Thanks, see you Friday",
  };

  receipt = send_message (f->provider, &template, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (form_get (f, "From"), ==, "whatsapp:+15005550006");
  g_assert_cmpstr (form_get (f, "To"), ==, "whatsapp:+447700900123");
  g_assert_cmpstr (form_get (f, "ContentSid"), ==, template.content_sid);
  g_assert_cmpstr (form_get (f, "ContentVariables"), ==, template.content_variables);
  g_assert_null (form_get (f, "Body"));

  g_clear_pointer (&receipt, tc_send_receipt_free);
  receipt = send_message (f->provider, &text, NULL, &failure);
  g_assert_nonnull (receipt);
  /* A sender already written "whatsapp:…" is not prefixed twice. */
  g_assert_cmpstr (form_get (f, "From"), ==, "whatsapp:+15005550006");
  g_assert_cmpstr (form_get (f, "To"), ==, "whatsapp:+447700900123");
  g_assert_cmpstr (form_get (f, "Body"), ==, "Thanks, see you Friday");
  g_assert_null (form_get (f, "ContentSid"));
}

static void
test_send_invalid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcTwilioProvider) no_token = tc_twilio_provider_new (f->session, f->base, ACCOUNT_SID, "  ");
  g_autoptr(TcTwilioProvider) bad_sid = tc_twilio_provider_new (f->session, f->base, "AC/../x", AUTH_TOKEN);
  g_autoptr(TcTwilioProvider) bad_base = tc_twilio_provider_new (f->session, "not a URL", ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcTwilioProvider) ftp_base = tc_twilio_provider_new (f->session, "ftp://127.0.0.1", ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcTwilioProvider) no_host = tc_twilio_provider_new (f->session, "http:///", ACCOUNT_SID, AUTH_TOKEN);
  TcOutboundMessage empty = sms_message;
  TcOutboundMessage no_to = sms_message;
  struct {
    TcTwilioProvider   *provider;
    const TcOutboundMessage *message;
    TcSendEffect        effect;
  } cases[] = {
    { no_token, &sms_message, TC_SEND_EFFECT_ACCOUNT },
    { bad_sid, &sms_message, TC_SEND_EFFECT_ACCOUNT },
    { bad_base, &sms_message, TC_SEND_EFFECT_ACCOUNT },
    { ftp_base, &sms_message, TC_SEND_EFFECT_ACCOUNT },
    { no_host, &sms_message, TC_SEND_EFFECT_ACCOUNT },
    { f->provider, &empty, TC_SEND_EFFECT_NONE },
    { f->provider, &no_to, TC_SEND_EFFECT_INVALID_NUMBER },
  };

  empty.body = "";
  no_to.to = "";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;

      receipt = send_message (cases[i].provider, cases[i].message, NULL, &failure);
      g_assert_null (receipt);
      g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_PERMANENT);
      g_assert_cmpint (failure->effect, ==, cases[i].effect);
      g_assert_nonnull (failure->meaning);
      g_assert_nonnull (failure->action);
    }
  /* Nothing went out. */
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* Polling with a base URL libsoup cannot use: refused before sending. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StatusUpdate) update = fetch_status (no_host, SID_1, &error);
    g_autoptr(GPtrArray) updates = NULL;

    g_assert_null (update);
    g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID);
    g_clear_error (&error);
    updates = lookup (ftp_base, "+14155550100", 0, &error);
    g_assert_null (updates);
    g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID);
  }
}

typedef struct
{
  guint               http_status;
  const char         *body;
  const char         *retry_after;
  TcSendFailureClass  klass;
  TcSendEffect        effect;
  const char         *code;
  gint64              expect_retry_after;
} ErrorCase;

#define TWILIO_ERROR(code, status) \
  "{\"code\":" #code ",\"message\":\"Twilio says " #code "\",\"more_info\":" \
  "\"https://www.twilio.com/docs/errors/" #code "\",\"status\":" #status "}"

static void
test_send_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const ErrorCase cases[] = {
    { 400, TWILIO_ERROR (21211, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER, "21211", 0 },
    { 400, TWILIO_ERROR (21408, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, "21408", 0 },
    { 400, TWILIO_ERROR (21610, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT, "21610", 0 },
    { 400, TWILIO_ERROR (21614, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_LANDLINE, "21614", 0 },
    { 400, TWILIO_ERROR (21612, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, "21612", 0 },
    { 400, TWILIO_ERROR (21606, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, "21606", 0 },
    { 400, TWILIO_ERROR (21659, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, "21659", 0 },
    { 400, TWILIO_ERROR (63016, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_WINDOW_CLOSED, "63016", 0 },
    { 400, TWILIO_ERROR (63003, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP, "63003", 0 },
    { 400, TWILIO_ERROR (21656, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE, "21656", 0 },
    { 401, TWILIO_ERROR (20003, 401), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, "20003", 0 },
    /* Codes as strings are read too. */
    { 400, "{\"code\":\"21211\",\"message\":\"bad\"}", NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER, "21211", 0 },
    /* Unknown codes fall back on the HTTP status. */
    { 400, TWILIO_ERROR (99999, 400), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, "99999", 0 },
    { 403, TWILIO_ERROR (99998, 403), NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, "99998", 0 },
    /* Rate limits and server errors: transient, with Retry-After. */
    { 429, TWILIO_ERROR (20429, 429), "7", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, "20429", 7 },
    { 429, "", "12", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, NULL, 12 },
    { 429, "rate limited", NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, NULL, 0 },
    { 429, TWILIO_ERROR (20429, 429), "Sun, 06 Nov 1994 08:49:37 GMT", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, "20429", 0 },
    { 500, TWILIO_ERROR (20500, 500), NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, "20500", 0 },
    { 500, "<html>oops</html>", NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, NULL, 0 },
    { 503, "", "120", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, NULL, 120 },
    { 502, "", "999999999", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, NULL, 24 * 3600 },
    /* A redirect is not followed: the POST is not repeated elsewhere. */
    { 307, "", NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;
      guint before = f->n_requests;

      g_test_message ("case %u: HTTP %u %s", i, cases[i].http_status, cases[i].body);
      reply (f, cases[i].http_status, cases[i].body);
      if (cases[i].retry_after != NULL)
        f->retry_after = g_strdup (cases[i].retry_after);

      receipt = send_message (f->provider, &sms_message, NULL, &failure);
      g_assert_null (receipt);
      g_assert_cmpuint (f->n_requests, ==, before + 1);
      g_assert_cmpint (failure->klass, ==, cases[i].klass);
      g_assert_cmpint (failure->effect, ==, cases[i].effect);
      g_assert_cmpuint (failure->http_status, ==, cases[i].http_status);
      g_assert_cmpstr (failure->code, ==, cases[i].code);
      g_assert_cmpint (failure->retry_after, ==, cases[i].expect_retry_after);
      g_assert_nonnull (failure->meaning);
      g_assert_nonnull (failure->action);
      if (strstr (cases[i].body, "Twilio says") != NULL)
        {
          g_autofree char *expected = g_strdup_printf ("Twilio says %s", cases[i].code);

          g_assert_cmpstr (failure->provider_message, ==, expected);
        }
    }
}

static void
test_send_unreadable_2xx (Fixture       *f,
                          gconstpointer  data)
{
  const char *bodies[] = { "", "not json", "{\"status\":\"queued\"}", "[\"" SID_1 "\"]" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;

      reply (f, 201, bodies[i]);
      receipt = send_message (f->provider, &sms_message, NULL, &failure);
      g_assert_null (receipt);
      g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
      g_assert_cmpuint (failure->http_status, ==, 201);
    }

  /* An answer cut short after the 201's headers. */
  {
    g_autoptr(RawServer) raw = raw_server_new (RAW_PARTIAL_201);
    g_autofree char *base = raw_server_base (raw);
    g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
    g_autoptr(TcSendReceipt) receipt = NULL;
    g_autoptr(TcSendFailure) failure = NULL;

    receipt = send_message (provider, &sms_message, NULL, &failure);
    g_assert_null (receipt);
    g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
    g_assert_cmpuint (raw_server_count (raw, "POST"), ==, 1);
  }
}

static guint16
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
test_send_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;

  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpint (failure->effect, ==, TC_SEND_EFFECT_NONE);
  g_assert_cmpuint (failure->http_status, ==, 0);
  g_assert_nonnull (strstr (failure->meaning, "not sent"));
}

/* A resolver that knows no name, so a name lookup fails at once. */
typedef struct { GResolver parent_instance; } FailingResolver;
typedef struct { GResolverClass parent_class; } FailingResolverClass;

static GType failing_resolver_get_type (void);
G_DEFINE_TYPE (FailingResolver, failing_resolver, G_TYPE_RESOLVER)

static GList *
failing_lookup (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such host %s", hostname);
  return NULL;
}

static GList *
failing_lookup_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return failing_lookup (resolver, hostname, cancellable, error);
}

static void
failing_lookup_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such host %s", hostname);
}

static void
failing_lookup_with_flags_async (GResolver                *resolver,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  failing_lookup_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
failing_lookup_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
failing_resolver_class_init (FailingResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = failing_lookup;
  resolver_class->lookup_by_name_async = failing_lookup_async;
  resolver_class->lookup_by_name_finish = failing_lookup_finish;
  resolver_class->lookup_by_name_with_flags = failing_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = failing_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = failing_lookup_finish;
}

static void
failing_resolver_init (FailingResolver *self)
{
}

static void
test_send_dns_failure (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GResolver) saved = g_resolver_get_default ();
  g_autoptr(GResolver) failing = g_object_new (failing_resolver_get_type (), NULL);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, "http://api.twilio.invalid",
                                                                 ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;

  g_resolver_set_default (failing);
  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_resolver_set_default (saved);

  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_nonnull (strstr (failure->meaning, "not sent"));
  g_assert_nonnull (strstr (failure->meaning, "no such host api.twilio.invalid"));
}

static void
test_send_tls_failure (Fixture       *f,
                       gconstpointer  data)
{
  /* https to a server that answers the handshake in plain HTTP: it fails
   * before anything of the request is written. */
  g_autoptr(RawServer) raw = raw_server_new (RAW_NOT_TLS);
  g_autofree char *base = g_strdup_printf ("https://127.0.0.1:%u", raw->port);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  gint64 start = g_get_monotonic_time ();

  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_nonnull (strstr (failure->meaning, "not sent"));
  /* A TLS error, not a timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (raw->connections->len, ==, 1);
  g_assert_cmpuint (raw_server_count (raw, NULL), ==, 0);
}

static void
test_send_closed_after_request (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_CLOSE_AFTER_REQUEST);
  g_autofree char *base = raw_server_base (raw);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;

  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_cmpuint (failure->http_status, ==, 0);
  spin (100);
  g_assert_cmpuint (raw_server_count (raw, "POST"), ==, 1);
}

static void
test_send_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_SLOW);
  g_autofree char *base = raw_server_base (raw);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  gint64 start;
  guint timeout = 0;

  raw->slow_ms = 3000;
  g_assert_cmpuint (tc_twilio_provider_get_timeout (provider), ==, TC_TWILIO_DEFAULT_TIMEOUT_MS);
  g_object_set (provider, "timeout-ms", 300, NULL);
  g_object_get (provider, "timeout-ms", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 300);

  start = g_get_monotonic_time ();
  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
  g_assert_cmpuint (raw_server_count (raw, "POST"), ==, 1);

  /* Within the timeout, the slow answer is a receipt. */
  g_clear_pointer (&failure, tc_send_failure_free);
  raw->slow_ms = 50;
  tc_twilio_provider_set_timeout (provider, 5000);
  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_nonnull (receipt);
  g_assert_cmpstr (receipt->provider_id, ==, SID_1);
  g_assert_cmpuint (raw_server_count (raw, "POST"), ==, 2);
}

static void
test_send_cancelled (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;

  /* Stopped before anything went out: transient, and nothing arrives. */
  g_cancellable_cancel (cancellable);
  receipt = send_message (f->provider, &sms_message, cancellable, &failure);
  g_assert_null (receipt);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  spin (50);
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* Stopped while the server holds the answer: ambiguous. */
  {
    g_autoptr(RawServer) raw = raw_server_new (RAW_SLOW);
    g_autofree char *base = raw_server_base (raw);
    g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
    g_autoptr(GCancellable) later = g_cancellable_new ();
    GAsyncResult *result = NULL;

    raw->slow_ms = 3000;
    g_clear_pointer (&failure, tc_send_failure_free);
    tc_provider_send_async (TC_PROVIDER (provider), &sms_message, later, store_result_cb, &result);
    while (raw_server_count (raw, "POST") == 0)
      spin (5);
    g_cancellable_cancel (later);
    receipt = tc_provider_send_finish (TC_PROVIDER (provider), wait_for (&result), &failure);
    g_object_unref (result);
    g_assert_null (receipt);
    g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  }
}

/* The no-resend property. libsoup restarts a request that meets a closed
 * keep-alive connection if its method is idempotent: the GETs below show
 * the fake triggers exactly that. A create-message POST must reach the
 * server once, on a connection of its own, whatever the server does. */
static void
test_send_no_resend (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_KEEP_ALIVE_TRAP);
  g_autofree char *base = raw_server_base (raw);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(StatusUpdate) first = NULL;
  g_autoptr(StatusUpdate) second = NULL;
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  /* GET 1 leaves an idle keep-alive connection; GET 2 reuses it, the
   * server reads it and hangs up, libsoup sends it again on a new one. */
  first = fetch_status (provider, SID_1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  second = fetch_status (provider, SID_1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_cmpuint (raw_server_count (raw, "GET"), ==, 3);

  /* The POST: a new connection (its first request, answered). */
  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_nonnull (receipt);
  g_clear_pointer (&receipt, tc_send_receipt_free);
  /* Again, with an idle connection left by the first POST and the GETs. */
  receipt = send_message (provider, &sms_message, NULL, &failure);
  g_assert_nonnull (receipt);
  spin (50);
  g_assert_cmpuint (raw_server_count (raw, "POST"), ==, 2);

  g_mutex_lock (&raw->lock);
  for (guint i = 0; i < raw->requests->len; i++)
    {
      RawRequest *req = g_ptr_array_index (raw->requests, i);

      if (strcmp (req->method, "POST") == 0)
        g_assert_cmpuint (req->index, ==, 0);
    }
  g_mutex_unlock (&raw->lock);
}

static void
test_send_close_between (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_CLOSE_BETWEEN);
  g_autofree char *base = raw_server_base (raw);
  g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);

  /* The server promises keep-alive and closes each connection right after
   * its answer: each send arrives once, and succeeds. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;

      receipt = send_message (provider, &sms_message, NULL, &failure);
      g_assert_nonnull (receipt);
      spin (i % 2 == 0 ? 100 : 0);
      g_assert_cmpuint (raw_server_count (raw, "POST"), ==, i + 1);
    }
}

/* ------------------------------------------------------------------------
 * Error table
 */

static void
test_describe_error (void)
{
  static const struct {
    guint               http_status;
    const char         *code;
    TcSendFailureClass  klass;
    TcSendEffect        effect;
  } cases[] = {
    { 400, "21211", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER },
    { 400, "21408", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 400, "21610", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT },
    { 400, "21614", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_LANDLINE },
    { 400, "21612", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 400, "21606", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 400, "21659", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 0, "30003", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 0, "30004", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 0, "30005", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER },
    { 0, "30006", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_LANDLINE },
    { 0, "30007", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 0, "30008", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 401, "20003", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 429, "20429", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    /* The code wins over the HTTP status. */
    { 400, "20429", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 400, "63016", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_WINDOW_CLOSED },
    { 400, "63003", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP },
    { 400, "63024", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP },
    { 400, "21656", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { 400, "63018", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    /* Unknown or no code: the HTTP status decides. */
    { 400, "12345", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 400, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 401, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 404, "12345", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 429, "12345", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 500, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 503, "12345", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 0, "12345", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Start from the opposite, so each field must be written. */
      g_autoptr(TcSendFailure) failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS,
                                                              TC_SEND_EFFECT_TEMPLATE, "old", "old");

      tc_twilio_describe_error (cases[i].http_status, cases[i].code, failure);
      g_assert_cmpint (failure->klass, ==, cases[i].klass);
      g_assert_cmpint (failure->effect, ==, cases[i].effect);
      g_assert_cmpstr (failure->meaning, !=, "old");
      g_assert_cmpstr (failure->action, !=, "old");
      g_assert_cmpuint (strlen (failure->meaning), >, 10);
      g_assert_cmpuint (strlen (failure->action), >, 10);
      if (cases[i].code != NULL && strcmp (cases[i].code, "12345") == 0 &&
          cases[i].klass == TC_SEND_FAILURE_PERMANENT && cases[i].effect == TC_SEND_EFFECT_NONE)
        g_assert_nonnull (strstr (failure->meaning, "12345"));
    }
}

/* ------------------------------------------------------------------------
 * Polling
 */

static void
test_fetch_status (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TcStatusUpdate *update;

  reply (f, 200, "{\"sid\":\"" SID_1 "\",\"status\":\"undelivered\",\"error_code\":30006,"
                 "\"error_message\":\"Landline\",\"price\":\"-0.00790\",\"price_unit\":\"USD\","
                 "\"date_created\":\"Tue, 24 Nov 2026 04:00:00 +0000\","
                 "\"date_sent\":\"Tue, 24 Nov 2026 04:00:02 +0000\","
                 "\"date_updated\":\"Tue, 24 Nov 2026 05:00:05 +0100\"}");
  update = fetch_status (f->provider, SID_1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages/" SID_1 ".json");
  assert_basic_auth (f);
  g_assert_cmpstr (update->provider_id, ==, SID_1);
  g_assert_cmpint (update->state, ==, TC_DELIVERY_UNDELIVERED);
  g_assert_cmpstr (update->error_code, ==, "30006");
  g_assert_nonnull (update->error_meaning);
  g_assert_cmpfloat_with_epsilon (update->price, 0.0079, 1e-9);
  g_assert_cmpstr (update->price_currency, ==, "USD");
  /* 2026-11-24T04:00:05Z */
  g_assert_cmpint (update->at, ==, 1795492805);
  tc_status_update_free (update);

  /* Dates in other zones and forms; statuses. */
  {
    static const struct { const char *date; gint64 at; const char *status; TcDeliveryState state; } cases[] = {
      { "Tue, 24 Nov 2026 04:00:05 +0000", 1795492805, "delivered", TC_DELIVERY_DELIVERED },
      { "Mon, 23 Nov 2026 23:30:05 -0430", 1795492805, "sent", TC_DELIVERY_SENT },
      { "24 Nov 2026 04:00:05 GMT", 1795492805, "read", TC_DELIVERY_READ },
      { "Tue, 24 Nov 2026 04:00:05", 1795492805, "queued", TC_DELIVERY_QUEUED },
      { "Thu, 01 Jan 1970 00:00:00 +0000", 0, "failed", TC_DELIVERY_FAILED },
      { "Tue, 31 Feb 2026 04:00:05 +0000", 0, "accepted", TC_DELIVERY_QUEUED },
      { "yesterday", 0, "canceled", TC_DELIVERY_FAILED },
      { "Tue, 24 Foo 2026 04:00:05 +0000", 0, "sending", TC_DELIVERY_QUEUED },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"sid\":\"" SID_1 "\",\"status\":\"%s\",\"date_updated\":\"%s\","
                                                 "\"error_code\":null,\"price\":null}",
                                                 cases[i].status, cases[i].date);

        reply (f, 200, body);
        update = fetch_status (f->provider, SID_1, &error);
        g_assert_no_error (error);
        g_assert_cmpint (update->at, ==, cases[i].at);
        g_assert_cmpint (update->state, ==, cases[i].state);
        g_assert_null (update->error_code);
        g_assert_cmpfloat (update->price, ==, 0);
        tc_status_update_free (update);
      }
  }

  /* Errors. */
  {
    static const struct { guint status; const char *body; TcTwilioError code; } cases[] = {
      { 404, TWILIO_ERROR (20404, 404), TC_TWILIO_ERROR_NOT_FOUND },
      { 401, TWILIO_ERROR (20003, 401), TC_TWILIO_ERROR_AUTH },
      { 429, "", TC_TWILIO_ERROR_RATE_LIMITED },
      { 500, "", TC_TWILIO_ERROR_SERVER },
      { 400, TWILIO_ERROR (21211, 400), TC_TWILIO_ERROR_FAILED },
      { 200, "[]", TC_TWILIO_ERROR_BAD_RESPONSE },
      { 200, "{\"sid\":\"" SID_1 "\",\"status\":\"exploded\"}", TC_TWILIO_ERROR_BAD_RESPONSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        reply (f, cases[i].status, cases[i].body);
        update = fetch_status (f->provider, SID_1, &error);
        g_assert_null (update);
        g_assert_error (error, TC_TWILIO_ERROR, cases[i].code);
        g_assert_null (strstr (error->message, AUTH_TOKEN));
        g_clear_error (&error);
      }
  }

  /* A SID that would leave its path segment is not sent. */
  {
    guint before = f->n_requests;

    update = fetch_status (f->provider, "../../Calls", &error);
    g_assert_null (update);
    g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (f->n_requests, ==, before);
  }

  /* Nothing listening. */
  {
    g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
    g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (f->session, base, ACCOUNT_SID, AUTH_TOKEN);

    update = fetch_status (provider, SID_1, &error);
    g_assert_null (update);
    g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_NETWORK);
    g_clear_error (&error);
  }
}

#define LIST_ENTRY(sid, created, sent, status) \
  "{\"sid\":\"" sid "\",\"status\":\"" status "\",\"to\":\"+14155550100\"," \
  "\"date_created\":" created ",\"date_sent\":" sent ",\"date_updated\":" created "}"

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GHashTable) query = NULL;
  /* 2026-11-24T04:00:00Z */
  gint64 since = 1795492800;

  reply (f, 200,
         "{\"messages\":["
         LIST_ENTRY ("SM00000000000000000000000000000001", "\"Tue, 24 Nov 2026 04:00:01 +0000\"",
                     "\"Tue, 24 Nov 2026 04:00:03 +0000\"", "delivered") ","
         LIST_ENTRY ("SM00000000000000000000000000000002", "\"Tue, 24 Nov 2026 04:10:00 +0000\"",
                     "null", "queued") ","
         /* Created a second before, sent after: counts. */
         LIST_ENTRY ("SM00000000000000000000000000000003", "\"Tue, 24 Nov 2026 03:59:59 +0000\"",
                     "\"Tue, 24 Nov 2026 04:00:01 +0000\"", "sent") ","
         "\"not an object\""
         "],\"next_page_uri\":\"/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json?To=%2B14155550100&PageSize=50&Page=1&PageToken=PAx\"}");
  f->page_2 = g_strdup ("{\"messages\":["
                        LIST_ENTRY ("SM00000000000000000000000000000004", "\"Tue, 24 Nov 2026 04:00:00 +0000\"",
                                    "null", "failed") ","
                        /* Too old, and one without dates: left out. */
                        LIST_ENTRY ("SM00000000000000000000000000000005", "\"Tue, 24 Nov 2026 03:00:00 +0000\"",
                                    "\"Tue, 24 Nov 2026 03:00:01 +0000\"", "delivered") ","
                        LIST_ENTRY ("SM00000000000000000000000000000006", "null", "null", "delivered")
                        "],\"next_page_uri\":\"/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json?Page=2\"}");

  updates = lookup (f->provider, "+14155550100", since, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->method, ==, "GET");
  g_assert_cmpstr (f->path, ==, MESSAGES_PATH);
  assert_basic_auth (f);
  /* The second page was asked for; a page with an older message is the last. */
  g_assert_cmpuint (f->n_requests, ==, 2);
  g_assert_cmpstr (f->query, ==, "To=%2B14155550100&PageSize=50&Page=1&PageToken=PAx");

  g_assert_cmpuint (updates->len, ==, 4);
  /* Newest first (by the time of their last status). */
  g_assert_cmpstr (((TcStatusUpdate *) updates->pdata[0])->provider_id, ==, "SM00000000000000000000000000000002");
  g_assert_cmpint (((TcStatusUpdate *) updates->pdata[0])->state, ==, TC_DELIVERY_QUEUED);
  g_assert_cmpstr (((TcStatusUpdate *) updates->pdata[1])->provider_id, ==, "SM00000000000000000000000000000001");
  g_assert_cmpstr (((TcStatusUpdate *) updates->pdata[2])->provider_id, ==, "SM00000000000000000000000000000004");
  g_assert_cmpstr (((TcStatusUpdate *) updates->pdata[3])->provider_id, ==, "SM00000000000000000000000000000003");
  g_clear_pointer (&updates, g_ptr_array_unref);

  /* The first request's query: the recipient only (Twilio's DateSent
   * filter would hide messages accepted but not sent yet). */
  g_clear_pointer (&f->page_2, g_free);
  reply (f, 200, "{\"messages\":[],\"next_page_uri\":null}");
  updates = lookup (f->provider, "whatsapp:+447700900123", since + 19 * 3600 + 59 * 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
  query = soup_form_decode (f->query);
  g_assert_cmpstr (g_hash_table_lookup (query, "To"), ==, "whatsapp:+447700900123");
  g_assert_null (g_hash_table_lookup (query, "DateSent>"));
  g_assert_null (strstr (f->query, "DateSent"));
  g_assert_cmpuint (f->n_requests, ==, 3);
  g_clear_pointer (&updates, g_ptr_array_unref);

  /* A next page of another list (another account) is not followed. */
  reply (f, 200, "{\"messages\":[],\"next_page_uri\":\"/2010-04-01/Accounts/AC99999999999999999999999999999999"
                 "/Messages.json?To=%2B14155550100&Page=1\"}");
  updates = lookup (f->provider, "+14155550100", since, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 0);
  g_assert_cmpuint (f->n_requests, ==, 4);
  g_clear_pointer (&updates, g_ptr_array_unref);

  reply (f, 200, "{\"nothing\":true}");
  updates = lookup (f->provider, "+14155550100", since, &error);
  g_assert_null (updates);
  g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  reply (f, 401, TWILIO_ERROR (20003, 401));
  updates = lookup (f->provider, "+14155550100", since, &error);
  g_assert_null (updates);
  g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_AUTH);
}

/* ------------------------------------------------------------------------
 * Webhooks
 */

#define STATUS_URL  "https://hooks.example.org/twilio/status?campaign=7"
#define STATUS_BODY "AccountSid=" ACCOUNT_SID "&ApiVersion=2010-04-01&MessageSid=" SID_1 \
                    "&MessageStatus=undelivered&ErrorCode=30003&From=%2B15005550006&To=%2B14155550100" \
                    "&SmsSid=" SID_1 "&SmsStatus=undelivered"
#define STATUS_SIG  "jBjTJVNoxOW4qwGcUaUTAXVxL6Q="

#define INBOUND_URL "http://127.0.0.1:8080/hooks/twilio"
#define INBOUND_BODY "AccountSid=" ACCOUNT_SID "&MessageSid=SMfeedc0ffee0123456789abcdef012345" \
                     "&From=whatsapp%3A%2B447700900123&To=whatsapp%3A%2B15005550006" \
                     "&Body=Oui%2C+%C3%A0+demain+%E2%98%BA+%26+merci&NumMedia=1" \
                     "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2F" ACCOUNT_SID \
                     "%2FMessages%2FMM1%2FMedia%2FME1&MediaContentType0=image%2Fjpeg" \
                     "&ButtonPayload=confirm-42&SmsStatus=received"
#define INBOUND_SIG  "S58XSjckGyLQFQIMDNP/IWLh+jQ="
#define INBOUND_SIG_WITHOUT_PORT "YnaQcwUc+u0pDBJNzLpJ8Ol3FaU="

#define JSON_BODY "{\"MessageSid\":\"" SID_1 "\",\"MessageStatus\":\"delivered\",\"AccountSid\":\"" ACCOUNT_SID "\"}"
#define JSON_HASH "04fd1b2c000de5d186131297c4806b68b5843af5791481a585e4b3b81784298e"
#define JSON_URL  "https://hooks.example.org/twilio/json?bodySHA256=" JSON_HASH
#define JSON_SIG  "hhZnKBATVSMyFAithdenI5PlcgE="

typedef struct
{
  GPtrArray *statuses;
  GPtrArray *inbound;
  GError    *error;
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_clear_pointer (&parsed->statuses, g_ptr_array_unref);
  g_clear_pointer (&parsed->inbound, g_ptr_array_unref);
  g_clear_error (&parsed->error);
}

static gboolean
parse (TcTwilioProvider *provider,
       const char       *method,
       const char       *url,
       const char       *signature,
       const char       *content_type,
       const char       *body,
       gssize            body_len,
       Parsed           *parsed)
{
  g_autoptr(GHashTable) headers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) bytes = NULL;
  /* An out parameter: the parser must overwrite it. */
  char *challenge = (char *) "left over";
  TcWebhookRequest request = { method, url, headers, NULL };
  gboolean ok;

  parsed_clear (parsed);
  parsed->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  parsed->inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);

  if (signature != NULL)
    g_hash_table_insert (headers, (char *) "x-twilio-signature", (char *) signature);
  g_hash_table_insert (headers, (char *) "content-type",
                       (char *) (content_type != NULL ? content_type : "application/x-www-form-urlencoded"));
  if (body != NULL)
    {
      bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);
      request.body = bytes;
    }

  ok = tc_provider_parse_webhook (TC_PROVIDER (provider), &request, parsed->statuses, parsed->inbound,
                                  &challenge, &parsed->error);
  g_assert_null (challenge);
  g_assert_true (ok == (parsed->error == NULL));
  if (!ok)
    {
      g_assert_cmpuint (parsed->statuses->len, ==, 0);
      g_assert_cmpuint (parsed->inbound->len, ==, 0);
    }

  return ok;
}

static void
test_webhook_status (Fixture       *f,
                     gconstpointer  data)
{
  Parsed parsed = { 0 };
  TcStatusUpdate *update;

  g_assert_true (parse (f->provider, "POST", STATUS_URL, STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
  g_assert_cmpuint (parsed.statuses->len, ==, 1);
  g_assert_cmpuint (parsed.inbound->len, ==, 0);
  update = parsed.statuses->pdata[0];
  g_assert_cmpstr (update->provider_id, ==, SID_1);
  g_assert_cmpint (update->state, ==, TC_DELIVERY_UNDELIVERED);
  g_assert_cmpstr (update->error_code, ==, "30003");
  g_assert_nonnull (strstr (update->error_meaning, "unreachable"));

  /* The same URL with :443 spelt out: still Twilio's signature. */
  g_assert_true (parse (f->provider, "POST", "https://hooks.example.org:443/twilio/status?campaign=7",
                        STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));

  /* Missing, wrong, for another body, for another URL: refused. */
  g_assert_false (parse (f->provider, "POST", STATUS_URL, NULL, NULL, STATUS_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  g_assert_false (parse (f->provider, "POST", STATUS_URL, "", NULL, STATUS_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  g_assert_false (parse (f->provider, "POST", STATUS_URL, "jBjTJVNoxOW4qwGcUaUTAXVxL6R=", NULL, STATUS_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  g_assert_false (parse (f->provider, "POST", STATUS_URL, STATUS_SIG, NULL,
                         STATUS_BODY "&Extra=1", -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  g_assert_false (parse (f->provider, "POST", "https://hooks.example.org/twilio/status?campaign=8",
                         STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  g_assert_false (parse (f->provider, "POST", "http://hooks.example.org/twilio/status?campaign=7",
                         STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);

  /* Another account's token signs differently. */
  {
    g_autoptr(TcTwilioProvider) other = tc_twilio_provider_new (f->session, NULL, ACCOUNT_SID,
                                                                "00000000000000000000000000000000");

    g_assert_false (parse (other, "POST", STATUS_URL, STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  }

  /* Signed by this token but for another account SID: not ours. */
  {
    g_autoptr(TcTwilioProvider) other = tc_twilio_provider_new (f->session, NULL,
                                                                "AC11111111111111111111111111111111", AUTH_TOKEN);

    g_assert_false (parse (other, "POST", STATUS_URL, STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE);
  }

  parsed_clear (&parsed);
}

static void
test_webhook_inbound (Fixture       *f,
                      gconstpointer  data)
{
  Parsed parsed = { 0 };
  TcInboundMessage *message;

  g_assert_true (parse (f->provider, "POST", INBOUND_URL, INBOUND_SIG, NULL, INBOUND_BODY, -1, &parsed));
  g_assert_cmpuint (parsed.statuses->len, ==, 0);
  g_assert_cmpuint (parsed.inbound->len, ==, 1);
  message = parsed.inbound->pdata[0];
  g_assert_cmpstr (message->provider_id, ==, "SMfeedc0ffee0123456789abcdef012345");
  g_assert_cmpint (message->channel, ==, TC_CHANNEL_WHATSAPP);
  g_assert_cmpstr (message->from, ==, "+447700900123");
  g_assert_cmpstr (message->to, ==, "+15005550006");
  g_assert_cmpstr (message->body, ==, "Oui, à demain ☺ & merci");
  g_assert_cmpstr (message->payload, ==, "confirm-42");
  g_assert_cmpstr (message->media_url, ==,
                   "https://api.twilio.com/2010-04-01/Accounts/" ACCOUNT_SID "/Messages/MM1/Media/ME1");

  /* Signed over the URL without its port (a proxy in front of us). */
  g_assert_true (parse (f->provider, "POST", INBOUND_URL, INBOUND_SIG_WITHOUT_PORT, NULL,
                        INBOUND_BODY, -1, &parsed));

  /* A plain SMS, built and signed here. */
  {
    g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree char *signature = NULL;
    const char *body = "SmsMessageSid=SMaa&NumMedia=0&SmsStatus=received&Body=STOP&To=%2B15005550006"
                       "&From=%2B14155550100&MessageSid=SMaa&AccountSid=" ACCOUNT_SID;

    put (params, "SmsMessageSid", "SMaa");
    put (params, "NumMedia", "0");
    put (params, "SmsStatus", "received");
    put (params, "Body", "STOP");
    put (params, "To", "+15005550006");
    put (params, "From", "+14155550100");
    put (params, "MessageSid", "SMaa");
    put (params, "AccountSid", ACCOUNT_SID);
    signature = tc_twilio_signature (AUTH_TOKEN, "https://in.example.org/sms", params);

    g_assert_true (parse (f->provider, "POST", "https://in.example.org/sms", signature, NULL, body, -1, &parsed));
    g_assert_cmpuint (parsed.inbound->len, ==, 1);
    message = parsed.inbound->pdata[0];
    g_assert_cmpint (message->channel, ==, TC_CHANNEL_SMS);
    g_assert_cmpstr (message->from, ==, "+14155550100");
    g_assert_cmpstr (message->body, ==, "STOP");
    g_assert_null (message->payload);
    g_assert_null (message->media_url);
  }

  parsed_clear (&parsed);
}

static void
test_webhook_json_and_get (Fixture       *f,
                           gconstpointer  data)
{
  Parsed parsed = { 0 };
  TcStatusUpdate *update;

  g_assert_true (parse (f->provider, "POST", JSON_URL, JSON_SIG, "application/json", JSON_BODY, -1, &parsed));
  g_assert_cmpuint (parsed.statuses->len, ==, 1);
  update = parsed.statuses->pdata[0];
  g_assert_cmpstr (update->provider_id, ==, SID_1);
  g_assert_cmpint (update->state, ==, TC_DELIVERY_DELIVERED);
  g_assert_null (update->error_code);

  /* The body changed under a valid URL signature: its hash no longer matches. */
  g_assert_false (parse (f->provider, "POST", JSON_URL, JSON_SIG, "application/json",
                         "{\"MessageSid\":\"" SID_1 "\",\"MessageStatus\":\"failed\",\"AccountSid\":\"" ACCOUNT_SID "\"}",
                         -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
  /* A JSON body without bodySHA256 cannot be verified. */
  g_assert_false (parse (f->provider, "POST", "https://hooks.example.org/twilio/json", JSON_SIG,
                         "application/json", JSON_BODY, -1, &parsed));
  g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);

  /* GET: the fields are in the signed URL. */
  {
    const char *url = "https://hooks.example.org/s?MessageSid=SMbb&MessageStatus=read&AccountSid=" ACCOUNT_SID;
    g_autofree char *signature = tc_twilio_signature (AUTH_TOKEN, url, NULL);

    g_assert_true (parse (f->provider, "GET", url, signature, NULL, NULL, 0, &parsed));
    g_assert_cmpuint (parsed.statuses->len, ==, 1);
    update = parsed.statuses->pdata[0];
    g_assert_cmpstr (update->provider_id, ==, "SMbb");
    g_assert_cmpint (update->state, ==, TC_DELIVERY_READ);
  }

  parsed_clear (&parsed);
}

/* Signs @body (a form) for @url with our token, the way Twilio would. */
static char *
sign_form (const char *url,
           const char *body)
{
  g_autoptr(GHashTable) params = soup_form_decode (body);

  return tc_twilio_signature (AUTH_TOKEN, url, params);
}

static void
test_webhook_malformed (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *body; TcWebhookError code; } cases[] = {
    /* Not a messaging webhook. */
    { "CallSid=CA1&CallStatus=ringing", TC_WEBHOOK_ERROR_MALFORMED },
    { "MessageSid=SM1&MessageStatus=exploded", TC_WEBHOOK_ERROR_MALFORMED },
    { "MessageSid=SM1&SmsStatus=received&Body=hi", TC_WEBHOOK_ERROR_MALFORMED },
    /* Bad encodings. */
    { "MessageSid=SM1&MessageStatus=sent&X=%zz", TC_WEBHOOK_ERROR_MALFORMED },
    { "MessageSid=SM1&MessageStatus=sent&X=%00", TC_WEBHOOK_ERROR_MALFORMED },
    { "MessageSid=SM1&MessageStatus=sent&X=%C3%28", TC_WEBHOOK_ERROR_MALFORMED },
  };
  Parsed parsed = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *signature = sign_form (STATUS_URL, cases[i].body);

      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_false (parse (f->provider, "POST", STATUS_URL, signature, NULL, cases[i].body, -1, &parsed));
      g_assert_error (parsed.error, TC_WEBHOOK_ERROR, cases[i].code);
    }

  /* Empty pairs are skipped, a name without '=' has an empty value. */
  {
    const char *body = "&&MessageSid=SM1&&MessageStatus=sent&Flag&";
    g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree char *signature = NULL;

    put (params, "MessageSid", "SM1");
    put (params, "MessageStatus", "sent");
    put (params, "Flag", "");
    signature = tc_twilio_signature (AUTH_TOKEN, STATUS_URL, params);
    g_assert_true (parse (f->provider, "POST", STATUS_URL, signature, NULL, body, -1, &parsed));
    g_assert_cmpint (((TcStatusUpdate *) parsed.statuses->pdata[0])->state, ==, TC_DELIVERY_SENT);
  }

  /* Too large, too many fields, wrong method. */
  {
    g_autoptr(GString) big = g_string_new ("MessageSid=SM1&MessageStatus=sent&Pad=");
    g_autoptr(GString) many = g_string_new ("MessageSid=SM1&MessageStatus=sent");
    g_autofree char *big_signature = NULL;
    g_autofree char *many_signature = NULL;

    while (big->len <= TC_TWILIO_MAX_WEBHOOK_BYTES)
      g_string_append (big, "aaaaaaaaaaaaaaaa");
    for (guint i = 0; i < TC_TWILIO_MAX_WEBHOOK_FIELDS; i++)
      g_string_append_printf (many, "&F%u=%u", i, i);
    big_signature = sign_form (STATUS_URL, big->str);
    many_signature = sign_form (STATUS_URL, many->str);

    g_assert_false (parse (f->provider, "POST", STATUS_URL, big_signature, NULL, big->str, big->len, &parsed));
    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
    g_assert_false (parse (f->provider, "POST", STATUS_URL, many_signature, NULL, many->str, many->len, &parsed));
    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
    g_assert_false (parse (f->provider, "PUT", STATUS_URL, STATUS_SIG, NULL, STATUS_BODY, -1, &parsed));
    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);

    /* One field short of the limit is fine. */
    g_string_truncate (many, strstr (many->str, "&F0=0") - many->str);
    for (guint i = 0; i < TC_TWILIO_MAX_WEBHOOK_FIELDS - 2; i++)
      g_string_append_printf (many, "&F%u=%u", i, i);
    g_clear_pointer (&many_signature, g_free);
    many_signature = sign_form (STATUS_URL, many->str);
    g_assert_true (parse (f->provider, "POST", STATUS_URL, many_signature, NULL, many->str, many->len, &parsed));
  }

  parsed_clear (&parsed);
}

/* Own vectors, computed with Python's hmac module (not with this code). */
static void
test_signature_vectors_own (void)
{
  static const struct { const char *token; const char *url; const char *body; const char *signature; } cases[] = {
    { AUTH_TOKEN, STATUS_URL, STATUS_BODY, STATUS_SIG },
    { AUTH_TOKEN, INBOUND_URL, INBOUND_BODY, INBOUND_SIG },
    { AUTH_TOKEN, "http://127.0.0.1/hooks/twilio", INBOUND_BODY, INBOUND_SIG_WITHOUT_PORT },
    { AUTH_TOKEN, JSON_URL, NULL, JSON_SIG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) params = cases[i].body != NULL ? soup_form_decode (cases[i].body) : NULL;
      g_autofree char *signature = tc_twilio_signature (cases[i].token, cases[i].url, params);

      g_assert_cmpstr (signature, ==, cases[i].signature);
    }
}

static JsonObject *
load_json_object (const char  *path,
                  JsonParser  *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

static char *
form_encode_pair (const char *name,
                  const char *value)
{
  g_autofree char *n = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);

  return g_strconcat (n, "=", v, NULL);
}

/* The public vectors (twilio-python / twilio-node). Their parameters are
 * voice callbacks, not messaging ones: a valid signature gets past the
 * check and is then refused as not a messaging webhook (MALFORMED); an
 * invalid one is refused as SIGNATURE. */
static void
test_signature_vectors_public (void)
{
  const char *path = g_getenv ("TEXTCAST_TWILIO_SIGNATURE_VECTORS");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupSession) session = NULL;
  JsonObject *root;
  JsonArray *vectors;
  guint checked = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the public Twilio signature vectors (../shared/specs/twilio-signature-vectors.json) are not there");
      return;
    }

  session = tc_soup_session_new ();
  root = load_json_object (path, parser);
  vectors = json_object_get_array_member (root, "vectors");

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      const char *name = json_object_get_string_member (vector, "name");
      const char *token = json_object_get_string_member (vector, "auth_token");
      const char *url = json_object_has_member (vector, "url_received")
                          ? json_object_get_string_member (vector, "url_received")
                          : json_object_get_string_member (vector, "url");
      const char *signature = json_object_has_member (vector, "signature_header")
                                ? json_object_get_string_member (vector, "signature_header")
                                : json_object_get_string_member (vector, "expected_signature");
      gboolean valid = json_object_has_member (vector, "validate_result")
                         ? json_object_get_boolean_member (vector, "validate_result")
                         : json_object_get_boolean_member_with_default (vector, "valid", TRUE);
      g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (session, NULL, ACCOUNT_SID, token);
      g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *body = NULL;
      const char *content_type = NULL;
      Parsed parsed = { 0 };

      g_test_message ("vector %s", name);
      if (json_object_has_member (vector, "raw_body"))
        {
          body = g_strdup (json_object_get_string_member (vector, "raw_body"));
          content_type = "application/json";
        }
      else if (json_object_has_member (vector, "params_list"))
        {
          JsonArray *list = json_object_get_array_member (vector, "params_list");

          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              JsonArray *pair = json_array_get_array_element (list, j);

              g_ptr_array_add (pairs, form_encode_pair (json_array_get_string_element (pair, 0),
                                                        json_array_get_string_element (pair, 1)));
            }
        }
      else
        {
          JsonObject *object = json_object_get_object_member (vector, "params");
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            {
              g_ptr_array_add (pairs, form_encode_pair (l->data, json_object_get_string_member (object, l->data)));
              g_hash_table_insert (params, l->data, (gpointer) json_object_get_string_member (object, l->data));
            }
        }
      if (body == NULL)
        {
          g_ptr_array_add (pairs, NULL);
          body = g_strjoinv ("&", (char **) pairs->pdata);
        }

      /* The signature as computed, where the vector gives the URL it was made over. */
      if (json_object_has_member (vector, "expected_signature") && !json_object_has_member (vector, "params_list"))
        {
          g_autofree char *computed = tc_twilio_signature (token, url,
                                                           content_type != NULL ? NULL : params);

          g_assert_cmpstr (computed, ==, signature);
        }

      parse (provider, "POST", url, signature, content_type, body, -1, &parsed);
      if (valid)
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
      else
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
      parsed_clear (&parsed);
      checked++;
    }

  /* Computed signatures for twilio-node's cases; :443 and no port validate
   * each other. */
  if (json_object_has_member (root, "computed_vectors_for_node_cases"))
    {
      JsonArray *node_cases = json_object_get_array_member (root, "computed_vectors_for_node_cases");

      for (guint i = 0; i < json_array_get_length (node_cases); i++)
        {
          JsonObject *vector = json_array_get_object_element (node_cases, i);
          const char *token = json_object_get_string_member (vector, "auth_token");
          const char *url = json_object_get_string_member (vector, "url");
          g_autofree char *computed = tc_twilio_signature (token, url, NULL);

          g_assert_cmpstr (computed, ==, json_object_get_string_member (vector, "signature"));
          checked++;
        }

      {
        g_autoptr(TcTwilioProvider) provider = tc_twilio_provider_new (session, NULL, ACCOUNT_SID, "s3cr3t");
        Parsed parsed = { 0 };

        parse (provider, "POST", "https://example.com/path?test=param", "IdwMFypqvNxti3YgvWWmfcNL26M=",
               NULL, "", 0, &parsed);
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
        parse (provider, "POST", "https://example.com:443/path?test=param", "loLgTitFAoWx57yy5oEU4Hlddzw=",
               NULL, "", 0, &parsed);
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
        parse (provider, "POST", "https://example.com/path?test=other", "loLgTitFAoWx57yy5oEU4Hlddzw=",
               NULL, "", 0, &parsed);
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
        parsed_clear (&parsed);
      }
    }

  g_assert_cmpuint (checked, >=, 5);
}

/* ------------------------------------------------------------------------
 * Against Twilio's OpenAPI description
 */

static JsonObject *
object_path (JsonObject *object,
             ...)
{
  va_list args;
  const char *member;

  va_start (args, object);
  while (object != NULL && (member = va_arg (args, const char *)) != NULL)
    {
      JsonNode *node = json_object_get_member (object, member);

      object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  va_end (args);

  return object;
}

static void
test_openapi_fields (Fixture       *f,
                     gconstpointer  data)
{
  const char *path = g_getenv ("TEXTCAST_TWILIO_SPEC");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GRegex) account_pattern = NULL;
  g_autoptr(GRegex) sid_pattern = NULL;
  JsonObject *spec, *messages, *schema, *props, *fetch;
  JsonArray *required, *list_params;
  TcOutboundMessage mms = sms_message;
  TcOutboundMessage service = sms_message;
  TcOutboundMessage template = {
    .channel = TC_CHANNEL_WHATSAPP, .from = "+15005550006", .to = "+447700900123",
    .content_sid = "HXb5b62575e6e4ff6129ad7c8efe1f983e", .content_variables = "{\"1\":\"Ada\"}",
    .status_callback = "https://hooks.example.org/s",
  };
  const TcOutboundMessage *messages_sent[] = { &sms_message, &mms, &service, &template };
  gboolean has_date_sent_after = FALSE, has_to = FALSE, has_page_size = FALSE;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Twilio's OpenAPI description (../shared/specs/twilio/twilio_api_v2010.json) is not there");
      return;
    }

  spec = load_json_object (path, parser);
  messages = object_path (spec, "paths", "/2010-04-01/Accounts/{AccountSid}/Messages.json", NULL);
  g_assert_nonnull (messages);
  schema = object_path (messages, "post", "requestBody", "content", "application/x-www-form-urlencoded",
                        "schema", NULL);
  g_assert_nonnull (schema);
  props = json_object_get_object_member (schema, "properties");
  required = json_object_get_array_member (schema, "required");

  mms.media_url = "https://cdn.example.org/p/ship.jpg";
  service.from = "MG9752274e9e519418a7406176694466fa";

  for (guint m = 0; m < G_N_ELEMENTS (messages_sent); m++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;

      receipt = send_message (f->provider, messages_sent[m], NULL, &failure);
      g_assert_nonnull (receipt);

      /* Every field is one the API takes, of a type a form can carry. */
      for (guint i = 0; i < f->form->len; i++)
        {
          const char *pair = g_ptr_array_index (f->form, i);
          g_autofree char *name = g_strndup (pair, strcspn (pair, "="));
          JsonObject *prop;
          const char *type;

          g_test_message ("message %u field %s", m, name);
          g_assert_true (json_object_has_member (props, name));
          prop = json_object_get_object_member (props, name);
          type = json_object_get_string_member_with_default (prop, "type", "");
          g_assert_true (strcmp (type, "string") == 0 || strcmp (type, "array") == 0);
          if (g_strcmp0 (json_object_get_string_member_with_default (prop, "format", ""), "uri") == 0 ||
              strcmp (type, "array") == 0)
            g_assert_true (g_str_has_prefix (pair + strlen (name) + 1, "https://"));
        }
      for (guint i = 0; i < json_array_get_length (required); i++)
        g_assert_nonnull (form_get (f, json_array_get_string_element (required, i)));
      /* A sender, one way or the other, and something to send. */
      g_assert_true ((form_get (f, "From") != NULL) != (form_get (f, "MessagingServiceSid") != NULL));
      g_assert_true (form_get (f, "Body") != NULL || form_get (f, "ContentSid") != NULL ||
                     form_get (f, "MediaUrl") != NULL);
    }

  /* The lookup's query parameters exist. */
  list_params = json_object_get_array_member (json_object_get_object_member (messages, "get"), "parameters");
  for (guint i = 0; i < json_array_get_length (list_params); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (list_params, i), "name");

      has_to |= strcmp (name, "To") == 0;
      has_date_sent_after |= strcmp (name, "DateSent>") == 0;  /* not used any more, still there */
      has_page_size |= strcmp (name, "PageSize") == 0;
    }
  g_assert_true (has_to && has_date_sent_after && has_page_size);

  /* The fetch path, and the Account SID pattern our test SID matches. */
  fetch = object_path (spec, "paths", "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "get", NULL);
  g_assert_nonnull (fetch);
  {
    JsonArray *params = json_object_get_array_member (fetch, "parameters");

    for (guint i = 0; i < json_array_get_length (params); i++)
      {
        JsonObject *param = json_array_get_object_element (params, i);
        const char *pattern = json_object_get_string_member (json_object_get_object_member (param, "schema"),
                                                             "pattern");

        if (strcmp (json_object_get_string_member (param, "name"), "AccountSid") == 0)
          account_pattern = g_regex_new (pattern, 0, 0, NULL);
        else if (strcmp (json_object_get_string_member (param, "name"), "Sid") == 0)
          sid_pattern = g_regex_new (pattern, 0, 0, NULL);
      }
  }
  g_assert_nonnull (account_pattern);
  g_assert_nonnull (sid_pattern);
  g_assert_true (g_regex_match (account_pattern, ACCOUNT_SID, 0, NULL));
  g_assert_true (g_regex_match (sid_pattern, SID_1, 0, NULL));
}

/* With TEXTCAST_TWILIO_MOCK_URL set to a Prism mock of Twilio's OpenAPI
 * description (../shared/specs/README.md:
 *   npx --yes @stoplight/prism-cli@5 mock -h 127.0.0.1 -p 4010 twilio/twilio_api_v2010.json
 * then TEXTCAST_TWILIO_MOCK_URL=http://127.0.0.1:4010), the real requests
 * go to it and must be accepted. Skipped otherwise. */
static void
test_mock_server (void)
{
  const char *base = g_getenv ("TEXTCAST_TWILIO_MOCK_URL");
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TcTwilioProvider) provider = NULL;
  TcOutboundMessage service = sms_message;
  TcOutboundMessage template = {
    .channel = TC_CHANNEL_WHATSAPP, .from = "+15005550006", .to = "+447700900123",
    .content_sid = "HXb5b62575e6e4ff6129ad7c8efe1f983e", .content_variables = "{\"1\":\"Ada\"}",
  };
  /* Not the MMS: Twilio takes MediaUrl (an array) as a repeated form
   * field, and Prism 5 reads a repeated field as one value and refuses it
   * ("must be array"; stoplightio/prism#2473). openapi/fields checks it. */
  const TcOutboundMessage *messages_sent[] = { &sms_message, &service, &template };
  g_autoptr(GError) error = NULL;
  g_autoptr(StatusUpdate) update = NULL;
  g_autoptr(GPtrArray) updates = NULL;

  if (base == NULL || base[0] == '\0')
    {
      g_test_skip ("TEXTCAST_TWILIO_MOCK_URL is not set (a Prism mock of Twilio's OpenAPI description)");
      return;
    }

  session = tc_soup_session_new ();
  provider = tc_twilio_provider_new (session, base, ACCOUNT_SID, AUTH_TOKEN);
  service.from = "MG9752274e9e519418a7406176694466fa";

  for (guint m = 0; m < G_N_ELEMENTS (messages_sent); m++)
    {
      g_autoptr(TcSendReceipt) receipt = NULL;
      g_autoptr(TcSendFailure) failure = NULL;

      receipt = send_message (provider, messages_sent[m], NULL, &failure);
      if (failure != NULL)
        g_error ("message %u refused by the mock: HTTP %u %s (%s)", m, failure->http_status,
                 failure->meaning, failure->provider_message != NULL ? failure->provider_message : "");
      g_assert_nonnull (receipt->provider_id);
    }

  update = fetch_status (provider, "SM" "0123456789abcdef0123456789abcdef", &error);
  g_assert_no_error (error);
  g_assert_nonnull (update);
  updates = lookup (provider, "+14155550100", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (updates);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/twilio/send/created", test_send_created);
  ADD ("/tc/twilio/send/messaging-service", test_send_messaging_service);
  ADD ("/tc/twilio/send/whatsapp", test_send_whatsapp);
  ADD ("/tc/twilio/send/invalid", test_send_invalid);
  ADD ("/tc/twilio/send/errors", test_send_errors);
  ADD ("/tc/twilio/send/unreadable-2xx", test_send_unreadable_2xx);
  ADD ("/tc/twilio/send/refused", test_send_refused);
  ADD ("/tc/twilio/send/dns-failure", test_send_dns_failure);
  ADD ("/tc/twilio/send/tls-failure", test_send_tls_failure);
  ADD ("/tc/twilio/send/closed-after-request", test_send_closed_after_request);
  ADD ("/tc/twilio/send/timeout", test_send_timeout);
  ADD ("/tc/twilio/send/cancelled", test_send_cancelled);
  ADD ("/tc/twilio/send/no-resend", test_send_no_resend);
  ADD ("/tc/twilio/send/close-between", test_send_close_between);
  g_test_add_func ("/tc/twilio/describe-error", test_describe_error);
  ADD ("/tc/twilio/fetch-status", test_fetch_status);
  ADD ("/tc/twilio/lookup", test_lookup);
  ADD ("/tc/twilio/webhook/status", test_webhook_status);
  ADD ("/tc/twilio/webhook/inbound", test_webhook_inbound);
  ADD ("/tc/twilio/webhook/json-and-get", test_webhook_json_and_get);
  ADD ("/tc/twilio/webhook/malformed", test_webhook_malformed);
  g_test_add_func ("/tc/twilio/signature/own-vectors", test_signature_vectors_own);
  g_test_add_func ("/tc/twilio/signature/public-vectors", test_signature_vectors_public);
  ADD ("/tc/twilio/openapi/fields", test_openapi_fields);
  g_test_add_func ("/tc/twilio/openapi/mock-server", test_mock_server);

#undef ADD

  return g_test_run ();
}
