/* test-http-server.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Textcast's HTTP endpoint (src/net/tc-http-server.c) on a free loopback
 * port with a temporary workspace, requested by a SoupSession in the same
 * process: short-link redirects, the recorded clicks, and every refusal.
 */

#define G_LOG_DOMAIN "test-http-server"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tc-contact.h"
#include "tc-http-server.h"
#include "tc-links.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-short-links.h"
#include "tc-soup.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

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
  SoupMessageHeaders *headers;  /* response headers */
  GBytes             *body;
  GError             *error;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
open_ok (TcRepository *repo)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_open_finish (repo, res, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tc-http-server-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "textcast.db", NULL);
  f->repo = tc_repository_new (f->path);
  open_ok (f->repo);

  f->server = tc_http_server_new (f->repo);
  g_assert_true (tc_http_server_listen (f->server, NULL, 0, &error));
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
}

/* One request to @host (NULL: the server's address) at @path; never
 * follows redirects. */
static void
request (Fixture    *f,
         const char *method,
         const char *host,
         const char *path,
         const char *body,
         Reply      *reply)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *uri = NULL;

  uri = g_strdup_printf ("http://%s:%u%s", host != NULL ? host : tc_http_server_get_address (f->server),
                         tc_http_server_get_port (f->server), path);
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                "TextcastTest/1.0");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
    }

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  reply->body = soup_session_send_and_read_finish (f->session, res, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static char *
shorten (Fixture    *f,
         const char *text,
         gint64      contact_id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *result;

  tc_short_links_shorten_async (f->repo, text, "go.example", contact_id, "campaign:7:A", NULL,
                                tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  result = tc_short_links_shorten_finish (f->repo, res, &error);
  g_assert_no_error (error);

  return result;
}

static TcLinkStats
stats (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcLinkStats value = { 0 };

  tc_short_links_count_clicks_async (f->repo, "campaign:7:", NULL,
                                     tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_short_links_count_clicks_finish (f->repo, res, &value, &error));
  g_assert_no_error (error);

  return value;
}

static gint64
add_contact (Fixture    *f,
             const char *phone)
{
  g_autoptr(TcContact) contact = tc_contact_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_contact_set_phone (contact, phone);
  tc_repository_save_contact_async (f->repo, contact, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_save_contact_finish (f->repo, res, &error));
  g_assert_no_error (error);

  return tc_contact_get_id (contact);
}

/* The "/l/<code>" path of the first short link of @text. */
static char *
short_path (const char *text)
{
  const char *p = strstr (text, "https://go.example/l/");

  g_assert_nonnull (p);
  p += strlen ("https://go.example");
  return g_strndup (p, strlen ("/l/") + TC_LINKS_CODE_LENGTH);
}

static void
assert_header (Reply      *reply,
               const char *name,
               const char *value)
{
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, name), ==, value);
}

static void
test_listening (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHttpServer) other = tc_http_server_new (f->repo);
  guint port = 0;

  /* Loopback only, on the port the system picked. */
  g_assert_cmpstr (tc_http_server_get_address (f->server), ==, "127.0.0.1");
  g_assert_cmpuint (tc_http_server_get_port (f->server), >, 0);
  g_object_get (f->server, "port", &port, NULL);
  g_assert_cmpuint (port, ==, tc_http_server_get_port (f->server));
  g_assert_true (tc_http_server_get_repository (f->server) == f->repo);

  g_assert_false (tc_http_server_listen (f->server, NULL, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (tc_http_server_listen (other, "localhost", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (tc_http_server_get_port (other), ==, 0);

  /* The same port is taken. */
  g_assert_false (tc_http_server_listen (other, "127.0.0.1", tc_http_server_get_port (f->server),
                                         &error));
  g_assert_nonnull (error);
}

static void
test_redirect_and_click (Fixture       *f,
                         gconstpointer  data)
{
  gint64 contact = add_contact (f, "+33612345678");
  g_autofree char *text = shorten (f, "Soldes : https://shop.example/été?x=1#top", contact);
  g_autofree char *path = short_path (text);
  g_auto(Reply) get = { 0 };
  g_auto(Reply) head = { 0 };
  TcLinkStats s;

  s = stats (f);
  g_assert_cmpuint (s.links, ==, 1);
  g_assert_cmpuint (s.clicks, ==, 0);

  request (f, "GET", NULL, path, NULL, &get);
  g_assert_no_error (get.error);
  g_assert_cmpuint (get.status, ==, SOUP_STATUS_FOUND);
  /* Non-ASCII is percent-encoded; the query and fragment are kept. */
  assert_header (&get, "Location", "https://shop.example/%C3%A9t%C3%A9?x=1#top");
  assert_header (&get, "Cache-Control", "no-store");
  assert_header (&get, "Referrer-Policy", "no-referrer");
  /* One request per connection (tc-soup.h, the listener). */
  assert_header (&get, "Connection", "close");

  /* The click is stored before the answer. */
  s = stats (f);
  g_assert_cmpuint (s.links, ==, 1);
  g_assert_cmpuint (s.clicks, ==, 1);
  g_assert_cmpuint (s.unique_contacts, ==, 1);

  request (f, "HEAD", NULL, path, NULL, &head);
  g_assert_no_error (head.error);
  g_assert_cmpuint (head.status, ==, SOUP_STATUS_FOUND);
  assert_header (&head, "Location", "https://shop.example/%C3%A9t%C3%A9?x=1#top");
  g_assert_cmpuint (g_bytes_get_size (head.body), ==, 0);

  s = stats (f);
  g_assert_cmpuint (s.clicks, ==, 2);
  g_assert_cmpuint (s.unique_contacts, ==, 1);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  static const char * const paths[] = {
    "/l/AAAAAAAA",    /* well-formed, unknown */
    "/l/AAAA",        /* malformed codes */
    "/l/AAAAAAAAA",
    "/l/AAAA-AAA",
    "/l/",
    "/l/AAAAAAAA/x",
    "/l/%41AAAAAAA",
    "/",              /* other paths */
    "/l",
    "/AAAAAAAA",
    "/webhooks/x",
  };
  g_autofree char *text = shorten (f, "https://shop.example/", 0);
  TcLinkStats s;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Reply) reply = { 0 };
      g_autofree char *body = NULL;

      request (f, "GET", NULL, paths[i], NULL, &reply);
      g_assert_no_error (reply.error);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_NOT_FOUND);
      assert_header (&reply, "Content-Type", "text/plain; charset=utf-8");
      body = g_strndup (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body));
      g_assert_true (g_str_has_prefix (body, "Not found."));
    }

  s = stats (f);
  g_assert_cmpuint (s.clicks, ==, 0);
}

/* With the workspace closed, a lookup fails (503): malformed codes still
 * get their 404, which shows that they never reach the database. */
static void
test_malformed_skips_database (Fixture       *f,
                               gconstpointer  data)
{
  static const char * const malformed[] = { "/l/AAAA", "/l/AAAAAAAA.", "/l/ÄAAAAAAA", "/x" };
  g_auto(Reply) unknown = { 0 };

  tc_repository_close (f->repo);

  request (f, "GET", NULL, "/l/AAAAAAAA", NULL, &unknown);
  g_assert_no_error (unknown.error);
  g_assert_cmpuint (unknown.status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_auto(Reply) reply = { 0 };

      request (f, "GET", NULL, malformed[i], NULL, &reply);
      g_assert_no_error (reply.error);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_NOT_FOUND);
    }
}

static void
test_methods_and_bodies (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const methods[] = { "POST", "PUT", "DELETE", "OPTIONS", "PATCH" };
  g_autofree char *text = shorten (f, "https://shop.example/", 0);
  g_autofree char *path = short_path (text);
  g_autoptr(GString) big = g_string_new (NULL);
  g_auto(Reply) with_body = { 0 };
  g_auto(Reply) big_body = { 0 };
  g_auto(Reply) get_body = { 0 };
  g_auto(Reply) after = { 0 };
  TcLinkStats s;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_auto(Reply) reply = { 0 };

      request (f, methods[i], NULL, path, NULL, &reply);
      g_assert_no_error (reply.error);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
      assert_header (&reply, "Allow", "GET, HEAD");
    }

  /* Bodies are refused, even on GET. */
  request (f, "POST", NULL, path, "a=1", &with_body);
  g_assert_no_error (with_body.error);
  g_assert_cmpuint (with_body.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  request (f, "GET", NULL, path, "a=1", &get_body);
  g_assert_no_error (get_body.error);
  g_assert_cmpuint (get_body.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* A large body is refused too (or the connection is cut): either way
   * nothing is recorded and the server keeps serving. */
  for (guint i = 0; i < 256 * 1024; i++)
    g_string_append_c (big, 'x');
  request (f, "POST", NULL, path, big->str, &big_body);
  if (big_body.error == NULL)
    g_assert_cmpuint (big_body.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  s = stats (f);
  g_assert_cmpuint (s.clicks, ==, 0);

  request (f, "GET", NULL, path, NULL, &after);
  g_assert_no_error (after.error);
  g_assert_cmpuint (after.status, ==, SOUP_STATUS_FOUND);
  s = stats (f);
  g_assert_cmpuint (s.clicks, ==, 1);
}

/* Bound to 127.0.0.1, the server does not answer on another address of the
 * machine (127.0.0.2 is loopback too, but not the bound address). */
static void
test_other_address_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };

  request (f, "GET", "127.0.0.2", "/l/AAAAAAAA", NULL, &reply);
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_start_from_settings (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TcHttpServer) server = tc_http_server_new (f->repo);
  g_autoptr(TcHttpServer) bad = tc_http_server_new (f->repo);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) set_res = NULL;
  guint port;

  /* The port setting is used unless overridden: the server of the fixture
   * holds this one, so starting there fails. */
  g_autofree char *taken = g_strdup_printf ("%u", tc_http_server_get_port (f->server));

  tc_settings_set_async (f->repo, TC_SETTING_HTTP_PORT, taken, NULL,
                         tc_repository_store_result_cb, &set_res);
  tc_repository_wait (&set_res);
  g_assert_true (tc_settings_set_finish (f->repo, set_res, &error));

  tc_http_server_start_async (bad, -1, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_http_server_start_finish (bad, res, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&res);

  tc_http_server_start_async (server, 0, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_http_server_start_finish (server, res, &error));
  g_assert_no_error (error);
  port = tc_http_server_get_port (server);
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (port, !=, tc_http_server_get_port (f->server));
  g_assert_cmpstr (tc_http_server_get_address (server), ==, "127.0.0.1");

  tc_http_server_stop (server);
  g_assert_cmpuint (tc_http_server_get_port (server), ==, 0);
  g_assert_null (tc_http_server_get_address (server));
  tc_http_server_stop (server);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Reply) before = { 0 };
  g_auto(Reply) after = { 0 };
  guint port = tc_http_server_get_port (f->server);
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/x", port);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  request (f, "GET", NULL, "/x", NULL, &before);
  g_assert_cmpuint (before.status, ==, SOUP_STATUS_NOT_FOUND);

  tc_http_server_stop (f->server);
  soup_session_abort (f->session);

  msg = soup_message_new ("GET", uri);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  body = soup_session_send_and_read_finish (f->session, res, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}


/* Webhooks ------------------------------------------------------------- */

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN  "webhook-test-token"

typedef struct
{
  guint      n_calls;
  char      *name;
  GPtrArray *statuses;  /* copies of the provider ids and states */
  guint      n_inbound;
} Received;

static void
on_webhook_received_cb (TcHttpServer *server,
                        const char   *name,
                        GPtrArray    *statuses,
                        GPtrArray    *inbound,
                        Received     *received)
{
  received->n_calls++;
  g_free (received->name);
  received->name = g_strdup (name);
  for (guint i = 0; i < statuses->len; i++)
    {
      TcStatusUpdate *update = g_ptr_array_index (statuses, i);

      g_ptr_array_add (received->statuses,
                       g_strdup_printf ("%s=%s", update->provider_id,
                                        tc_delivery_state_to_string (update->state)));
    }
  received->n_inbound += inbound->len;
}

/* POSTs @params form-encoded to /webhooks/@name, signed for @signed_url
 * with @token (NULL: unsigned). */
static void
post_form (Fixture    *f,
           const char *name,
           GHashTable *params,
           const char *token,
           Reply      *reply)
{
  g_autofree char *uri = g_strdup_printf ("http://%s:%u/webhooks/%s",
                                          tc_http_server_get_address (f->server),
                                          tc_http_server_get_port (f->server), name);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *form = soup_form_encode_hash (params);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  msg = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  if (token != NULL)
    {
      g_autofree char *signature = tc_twilio_signature (token, uri, params);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Twilio-Signature", signature);
    }

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  reply->body = soup_session_send_and_read_finish (f->session, res, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static void
put (GHashTable *table,
     const char *key,
     const char *value)
{
  g_hash_table_insert (table, (gpointer) key, (gpointer) value);
}

static GHashTable *
status_params (const char *sid,
               const char *status)
{
  GHashTable *params = g_hash_table_new (g_str_hash, g_str_equal);

  put (params, "AccountSid", ACCOUNT_SID);
  put (params, "MessageSid", sid);
  put (params, "SmsSid", sid);
  put (params, "MessageStatus", status);
  put (params, "To", "+14155550142");
  put (params, "From", "+14155550100");
  return params;
}

static void
test_webhooks (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcTwilioProvider) twilio = tc_twilio_provider_new (session, NULL, ACCOUNT_SID,
                                                               AUTH_TOKEN);
  g_autoptr(GHashTable) delivered = status_params ("SM00000000000000000000000000000001",
                                                   "delivered");
  g_autoptr(GHashTable) inbound = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) big = g_string_new (NULL);
  g_auto(Reply) ok = { 0 };
  g_auto(Reply) unsigned_reply = { 0 };
  g_auto(Reply) forged = { 0 };
  g_auto(Reply) unknown = { 0 };
  g_auto(Reply) message = { 0 };
  g_auto(Reply) too_big = { 0 };
  g_auto(Reply) wrong_method = { 0 };
  Received received = { 0, };

  received.statuses = g_ptr_array_new_with_free_func (g_free);
  tc_http_server_add_webhook (f->server, "twilio", TC_PROVIDER (twilio));
  g_signal_connect (f->server, "webhook-received", G_CALLBACK (on_webhook_received_cb),
                    &received);

  post_form (f, "twilio", delivered, AUTH_TOKEN, &ok);
  g_assert_no_error (ok.error);
  g_assert_cmpuint (ok.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (ok.headers, NULL), ==, "text/xml");
  g_assert_cmpuint (received.n_calls, ==, 1);
  g_assert_cmpstr (received.name, ==, "twilio");
  g_assert_cmpuint (received.statuses->len, ==, 1);
  g_assert_cmpstr (received.statuses->pdata[0], ==, "SM00000000000000000000000000000001=delivered");

  /* No signature, or a signature made with another token: 403, nothing handed on. */
  post_form (f, "twilio", delivered, NULL, &unsigned_reply);
  g_assert_cmpuint (unsigned_reply.status, ==, SOUP_STATUS_FORBIDDEN);
  post_form (f, "twilio", delivered, "someone-elses-token", &forged);
  g_assert_cmpuint (forged.status, ==, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (received.n_calls, ==, 1);

  /* A provider nobody added. */
  post_form (f, "whatsapp", delivered, AUTH_TOKEN, &unknown);
  g_assert_cmpuint (unknown.status, ==, SOUP_STATUS_NOT_FOUND);

  /* An inbound message. */
  put (inbound, "AccountSid", ACCOUNT_SID);
  put (inbound, "MessageSid", "SM00000000000000000000000000000002");
  put (inbound, "From", "+14155550142");
  put (inbound, "To", "+14155550100");
  put (inbound, "Body", "STOP");
  put (inbound, "NumMedia", "0");
  post_form (f, "twilio", inbound, AUTH_TOKEN, &message);
  g_assert_cmpuint (message.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (received.n_calls, ==, 2);
  g_assert_cmpuint (received.n_inbound, ==, 1);

  /* Bodies are bounded (1 MiB): refused, or the connection is cut. */
  for (guint i = 0; i < 1100 * 1024; i++)
    g_string_append_c (big, 'x');
  request (f, "POST", NULL, "/webhooks/twilio", big->str, &too_big);
  if (too_big.error == NULL)
    g_assert_cmpuint (too_big.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (received.n_calls, ==, 2);

  request (f, "PUT", NULL, "/webhooks/twilio", NULL, &wrong_method);
  g_assert_cmpuint (wrong_method.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);

  g_signal_handlers_disconnect_by_data (f->server, &received);
  g_ptr_array_unref (received.statuses);
  g_free (received.name);
}

/* Behind a tunnel, the provider signs the public URL, not ours. */
static void
test_webhook_public_url (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcTwilioProvider) twilio = tc_twilio_provider_new (session, NULL, ACCOUNT_SID,
                                                               AUTH_TOKEN);
  g_autoptr(GHashTable) params = status_params ("SM00000000000000000000000000000003", "sent");
  g_autofree char *form = soup_form_encode_hash (params);
  g_autofree char *signature = tc_twilio_signature (AUTH_TOKEN,
                                                    "https://shop.example.net/webhooks/twilio",
                                                    params);
  g_autofree char *uri = g_strdup_printf ("http://%s:%u/webhooks/twilio",
                                          tc_http_server_get_address (f->server),
                                          tc_http_server_get_port (f->server));
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
  guint statuses[2] = { 0, 0 };

  tc_http_server_add_webhook (f->server, "twilio", TC_PROVIDER (twilio));

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GAsyncResult) res = NULL;
      g_autoptr(GBytes) answer = NULL;

      /* First without the public URL set (refused), then with it. */
      if (round == 1)
        tc_http_server_set_public_url (f->server, "https://shop.example.net/");
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Twilio-Signature", signature);
      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        tc_repository_store_result_cb, &res);
      tc_repository_wait (&res);
      answer = soup_session_send_and_read_finish (f->session, res, NULL);
      statuses[round] = soup_message_get_status (msg);
    }

  g_assert_cmpuint (statuses[0], ==, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (statuses[1], ==, SOUP_STATUS_OK);
}

/* Meta's verification GET is answered with the challenge. */
static void
test_webhook_verification (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcWhatsappProvider) whatsapp =
    tc_whatsapp_provider_new (session, NULL, NULL, "106540352242922", "token", "app-secret",
                              "my-verify-token");
  g_auto(Reply) good = { 0 };
  g_auto(Reply) bad = { 0 };

  tc_http_server_add_webhook (f->server, "whatsapp", TC_PROVIDER (whatsapp));

  request (f, "GET", NULL,
           "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=my-verify-token"
           "&hub.challenge=1158201444", NULL, &good);
  g_assert_no_error (good.error);
  g_assert_cmpuint (good.status, ==, SOUP_STATUS_OK);
  g_assert_cmpmem (g_bytes_get_data (good.body, NULL), g_bytes_get_size (good.body),
                   "1158201444", 10);

  request (f, "GET", NULL,
           "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess"
           "&hub.challenge=1158201444", NULL, &bad);
  g_assert_cmpuint (bad.status, ==, SOUP_STATUS_FORBIDDEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/http-server/listening", test_listening);
  ADD ("/tc/http-server/redirect-and-click", test_redirect_and_click);
  ADD ("/tc/http-server/not-found", test_not_found);
  ADD ("/tc/http-server/malformed-skips-database", test_malformed_skips_database);
  ADD ("/tc/http-server/methods-and-bodies", test_methods_and_bodies);
  ADD ("/tc/http-server/other-address-refused", test_other_address_refused);
  ADD ("/tc/http-server/start-from-settings", test_start_from_settings);
  ADD ("/tc/http-server/stop", test_stop);
  ADD ("/tc/http-server/webhooks", test_webhooks);
  ADD ("/tc/http-server/webhook-public-url", test_webhook_public_url);
  ADD ("/tc/http-server/webhook-verification", test_webhook_verification);

#undef ADD

  return g_test_run ();
}
