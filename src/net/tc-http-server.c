/* tc-http-server.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer for what comes in. A short-link request is paused while
 * the repository's reader looks the code up and its writer records the
 * click, then answered: the main loop never waits on the database.
 *
 * Bounds: libsoup refuses request headers over 64 KiB. Only webhooks take
 * a body, of at most MAX_WEBHOOK_BODY bytes; any other request that
 * announces one, or a webhook body over the bound, gets 413, its body is
 * discarded as it arrives (never stored), and the connection is shut once
 * more than MAX_DISCARDED_BODY bytes came in.
 *
 * Webhooks: /webhooks/<name> for each provider added with
 * tc_http_server_add_webhook(). The provider checks the signature over the
 * raw body and the URL it was sent to — the public URL (setting
 * http.public_url, through a tunnel or a reverse proxy) followed by the
 * path and query, or the URL as received when none is set — and parses
 * it; what it found is handed to the "webhook-received" signal, and the
 * answer is 200 (403 for a bad signature, 400 for a body the provider
 * does not post, 404 for another account's). /webhooks/shopify and
 * /webhooks/woocommerce are not providers: tc-shop-webhooks.c answers
 * them, as tc-events-endpoint.c answers /events, with a body bound of its
 * own.
 */

#define G_LOG_DOMAIN "tc-http-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "tc-events-endpoint.h"
#include "tc-http-server.h"
#include "tc-provider.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-shop-webhooks.h"
#include "tc-short-links.h"
#include "tc-soup.h"

#define SHORT_LINK_PREFIX  "/l/"
#define WEBHOOK_PREFIX     "/webhooks/"
#define MAX_DISCARDED_BODY (64 * 1024)
#define MAX_WEBHOOK_BODY   (1024 * 1024)

/* Characters kept as they are in a Location header; everything else
 * (non-ASCII, controls, blanks, quotes) is percent-encoded. '%' is kept so
 * that existing escapes stay single. */
#define LOCATION_RESERVED "!#$%&'()*+,/:;=?@[]"

struct _TcHttpServer
{
  GObject       parent_instance;

  TcRepository *repository;
  SoupServer   *server;
  /* Our own listener (tc-soup.h: libsoup 3.2's leaks every socket). */
  TcSoupListener *listener;
  char         *address;
  guint         port;
  char         *public_url;
  GHashTable   *webhooks;   /* name → TcProvider */
};

G_DEFINE_FINAL_TYPE (TcHttpServer, tc_http_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REPOSITORY,
  PROP_ADDRESS,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  WEBHOOK_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------
 * Answers
 */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
respond_not_found (SoupServerMessage *msg)
{
  respond_text (msg, SOUP_STATUS_NOT_FOUND,
                "Not found.\n\nThis link does not exist or is no longer available.\n");
}

static void
respond_redirect (SoupServerMessage *msg,
                  const char        *url)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *location = g_uri_escape_string (url, LOCATION_RESERVED, FALSE);

  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (headers, "Location", location);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

/* ------------------------------------------------------------------------
 * A short-link request, answered asynchronously
 */

typedef struct
{
  TcHttpServer      *self;
  SoupServerMessage *msg;
  char              *code;
  char              *url;
  char              *user_agent;
  gboolean           gone;  /* the client or the server went away */
} Request;

static void
request_gone_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Request *request = user_data;

  request->gone = TRUE;
}

static void
request_free (Request *request)
{
  g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->self);
  g_free (request->code);
  g_free (request->url);
  g_free (request->user_agent);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Resumes the paused message, unless it is gone (unpausing then would be
 * an error: its I/O is over). */
static void
request_resume (Request *request)
{
  if (!request->gone)
    soup_server_message_unpause (request->msg);
}

static void
record_click_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  /* A click that cannot be stored still gets its redirect: the visitor
   * comes first. */
  if (!tc_short_links_record_click_finish (TC_REPOSITORY (object), result, &error))
    g_message ("Cannot record a click on %s: %s", request->code, error->message);

  if (request->gone)
    return;

  respond_redirect (request->msg, request->url);
  request_resume (request);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  const char *code;
  const char *user_agent;

  request->url = tc_short_links_resolve_finish (TC_REPOSITORY (object), result, &error);
  if (request->url == NULL)
    {
      if (request->gone)
        return;

      if (g_error_matches (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        respond_not_found (request->msg);
      else
        {
          g_message ("Cannot look up the short link %s: %s", request->code, error->message);
          respond_text (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                        "Service unavailable.\n\nPlease try again in a moment.\n");
        }
      request_resume (request);
      return;
    }

  /* The code and user agent live as long as the request, which the
   * callback now owns. */
  code = request->code;
  user_agent = request->user_agent;
  tc_short_links_record_click_async (TC_REPOSITORY (object), code, user_agent,
                                     NULL, record_click_cb, g_steal_pointer (&request));
}

static void
handle_short_link (TcHttpServer      *self,
                   SoupServerMessage *msg,
                   const char        *code)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Request *request;

  /* Only the form of a code reaches the database. */
  if (!tc_short_links_code_is_valid (code))
    {
      respond_not_found (msg);
      return;
    }

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->code = g_strdup (code);
  request->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  g_signal_connect (msg, "finished", G_CALLBACK (request_gone_cb), request);
  g_signal_connect (msg, "disconnected", G_CALLBACK (request_gone_cb), request);

  soup_server_message_pause (msg);
  tc_short_links_resolve_async (self->repository, code, NULL, resolve_cb, request);
}

/* ------------------------------------------------------------------------
 * Handlers
 */

static void
discarded_chunk_cb (SoupServerMessage *msg,
                    GBytes            *chunk,
                    gpointer           user_data)
{
  gsize *total = user_data;

  *total += g_bytes_get_size (chunk);
  if (*total > MAX_DISCARDED_BODY)
    {
      GSocket *socket = tc_soup_listener_get_socket (msg);

      /* Enough: the rest is not read. The client sees the connection end. */
      g_signal_handlers_disconnect_by_func (msg, discarded_chunk_cb, user_data);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

/* A chunked webhook body: refused (and the connection shut) once it
 * passes the bound, before it is all in memory. */
static void
webhook_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           user_data)
{
  gsize *total = user_data;

  *total += g_bytes_get_size (chunk);
  if (*total > MAX_WEBHOOK_BODY)
    {
      GSocket *socket = tc_soup_listener_get_socket (msg);

      g_signal_handlers_disconnect_by_func (msg, webhook_chunk_cb, user_data);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

/* After the headers, before any body: refuse requests that carry one. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gboolean has_body;

  /* One request per connection (tc_soup_listener_new()): say so. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  has_body = encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF ||
             (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
              soup_message_headers_get_content_length (headers) > 0);
  if (!has_body)
    return;

  /* The shops' webhooks read their body, up to their own bound
   * (tc-shop-webhooks.c). */
  if (tc_shop_webhooks_owns_path (path) && encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      tc_shop_webhooks_accepts_body (soup_message_headers_get_content_length (headers)))
    return;

  /* A provider webhook's body is read, up to its bound. */
  if (path != NULL && g_str_has_prefix (path, WEBHOOK_PREFIX) &&
      !tc_shop_webhooks_owns_path (path))
    {
      if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
          soup_message_headers_get_content_length (headers) <= MAX_WEBHOOK_BODY)
        return;
      if (encoding == SOUP_ENCODING_CHUNKED)
        {
          g_signal_connect_data (msg, "got-chunk", G_CALLBACK (webhook_chunk_cb),
                                 g_new0 (gsize, 1), (GClosureNotify) (void (*) (void)) g_free, 0);
          return;
        }
    }

  /* POST /events reads its body, up to its own bound (tc-events-endpoint.c). */
  if (tc_events_endpoint_owns_path (path) && encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      tc_events_endpoint_accepts_body (soup_message_headers_get_content_length (headers)))
    return;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect_data (msg, "got-chunk", G_CALLBACK (discarded_chunk_cb),
                         g_new0 (gsize, 1), (GClosureNotify) (void (*) (void)) g_free, 0);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  if (tc_events_endpoint_owns_path (path))
    tc_events_endpoint_refuse_body (msg);
  else if (tc_shop_webhooks_owns_path (path))
    tc_shop_webhooks_refuse_body (msg);
  else
    respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                  "Request body not accepted.\n");
}

/* The URL the provider signed: the public one when set, with the path and
 * query as received. */
static char *
signed_url (TcHttpServer      *self,
            SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (self->public_url == NULL || self->public_url[0] == '\0')
    return g_uri_to_string (uri);

  return g_strconcat (self->public_url, g_uri_get_path (uri),
                      query != NULL ? "?" : "", query != NULL ? query : "", NULL);
}

static void
handle_webhook (TcHttpServer      *self,
                SoupServerMessage *msg,
                const char        *name)
{
  const char *method = soup_server_message_get_method (msg);
  TcProvider *provider = g_hash_table_lookup (self->webhooks, name);
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GPtrArray) inbound = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *challenge = NULL;
  SoupMessageHeadersIter iter;
  const char *header_name, *header_value;
  TcWebhookRequest request;

  if (provider == NULL)
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found.\n");
      return;
    }

  if (method != SOUP_METHOD_POST && method != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST");
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.\n");
      return;
    }

  headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &header_name, &header_value))
    g_hash_table_replace (headers, g_ascii_strdown (header_name, -1), g_strdup (header_value));

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > MAX_WEBHOOK_BODY)
    {
      respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request body too large.\n");
      return;
    }

  url = signed_url (self, msg);
  request.method = method;
  request.url = url;
  request.headers = headers;
  request.body = body;

  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);

  if (!tc_provider_parse_webhook (provider, &request, statuses, inbound, &challenge, &error))
    {
      guint status = SOUP_STATUS_BAD_REQUEST;

      if (g_error_matches (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE))
        status = SOUP_STATUS_FORBIDDEN;
      else if (g_error_matches (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE))
        status = SOUP_STATUS_NOT_FOUND;

      /* The provider's reason stays in our log, not in the answer. */
      g_message ("Webhook %s refused (%u): %s", name, status, error->message);
      respond_text (msg, status, status == SOUP_STATUS_FORBIDDEN ? "Forbidden.\n" : "Refused.\n");
      return;
    }

  if (challenge != NULL)
    {
      respond_text (msg, SOUP_STATUS_OK, challenge);
      return;
    }

  if (statuses->len > 0 || inbound->len > 0)
    g_signal_emit (self, signals[WEBHOOK_RECEIVED], 0, name, statuses, inbound);

  /* An empty TwiML answer: Twilio sends nothing back on its own. */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  if (strcmp (name, "twilio") == 0)
    soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC,
                                      "<Response></Response>", strlen ("<Response></Response>"));
  else
    soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                      "OK\n", 3);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  TcHttpServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (tc_events_endpoint_owns_path (path))
    {
      tc_events_endpoint_handle (self->repository, msg);
      return;
    }

  if (tc_shop_webhooks_owns_path (path))
    {
      tc_shop_webhooks_handle (self->repository, msg, path);
      return;
    }

  if (path != NULL && g_str_has_prefix (path, WEBHOOK_PREFIX))
    {
      handle_webhook (self, msg, path + strlen (WEBHOOK_PREFIX));
      return;
    }

  if (path == NULL || !g_str_has_prefix (path, SHORT_LINK_PREFIX))
    {
      respond_not_found (msg);
      return;
    }

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.\n");
      return;
    }

  handle_short_link (self, msg, path + strlen (SHORT_LINK_PREFIX));
}

/* ------------------------------------------------------------------------
 * Listening
 */

TcHttpServer *
tc_http_server_new (TcRepository *repository)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return g_object_new (TC_TYPE_HTTP_SERVER, "repository", repository, NULL);
}

TcRepository *
tc_http_server_get_repository (TcHttpServer *self)
{
  g_return_val_if_fail (TC_IS_HTTP_SERVER (self), NULL);

  return self->repository;
}

const char *
tc_http_server_get_address (TcHttpServer *self)
{
  g_return_val_if_fail (TC_IS_HTTP_SERVER (self), NULL);

  return self->address;
}

guint
tc_http_server_get_port (TcHttpServer *self)
{
  g_return_val_if_fail (TC_IS_HTTP_SERVER (self), 0);

  return self->port;
}

gboolean
tc_http_server_listen (TcHttpServer  *self,
                       const char    *address,
                       guint          port,
                       GError       **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(TcSoupListener) listener = NULL;
  GInetSocketAddress *bound;

  g_return_val_if_fail (TC_IS_HTTP_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "The HTTP endpoint is already listening on port %u", self->port);
      return FALSE;
    }

  if (address == NULL || address[0] == '\0')
    address = TC_HTTP_SERVER_DEFAULT_ADDRESS;

  inet_address = g_inet_address_new_from_string (address);
  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on", address);
      return FALSE;
    }

  server = soup_server_new ("server-header", "Textcast", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, NULL, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);

  listener = tc_soup_listener_new (server, inet_address, port, 128, error);
  if (listener == NULL)
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ", address, port);
      return FALSE;
    }
  bound = tc_soup_listener_get_address (listener);

  self->listener = g_steal_pointer (&listener);
  self->server = g_steal_pointer (&server);
  g_free (self->address);
  self->address = g_inet_address_to_string (g_inet_socket_address_get_address (bound));
  self->port = g_inet_socket_address_get_port (bound);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  return TRUE;
}

void
tc_http_server_add_webhook (TcHttpServer *self,
                            const char   *name,
                            TcProvider   *provider)
{
  g_return_if_fail (TC_IS_HTTP_SERVER (self));
  g_return_if_fail (name != NULL && strchr (name, '/') == NULL);
  g_return_if_fail (TC_IS_PROVIDER (provider));

  g_hash_table_replace (self->webhooks, g_strdup (name), g_object_ref (provider));
}

void
tc_http_server_remove_webhook (TcHttpServer *self,
                               const char   *name)
{
  g_return_if_fail (TC_IS_HTTP_SERVER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_remove (self->webhooks, name);
}

void
tc_http_server_set_public_url (TcHttpServer *self,
                               const char   *public_url)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (TC_IS_HTTP_SERVER (self));

  clean = g_strdup (public_url != NULL ? public_url : "");
  g_strstrip (clean);
  while (clean[0] != '\0' && clean[strlen (clean) - 1] == '/')
    clean[strlen (clean) - 1] = '\0';

  g_free (self->public_url);
  self->public_url = clean[0] != '\0' ? g_steal_pointer (&clean) : NULL;
}

void
tc_http_server_stop (TcHttpServer *self)
{
  g_return_if_fail (TC_IS_HTTP_SERVER (self));

  if (self->server == NULL)
    return;

  g_clear_pointer (&self->listener, tc_soup_listener_free);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->address, g_free);
  self->port = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

static void
start_settings_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHttpServer *self = g_task_get_source_object (task);
  gint port_override = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GHashTable) values = NULL;
  GError *error = NULL;
  const char *address;
  const char *port_text;
  guint64 port = TC_HTTP_SERVER_DEFAULT_PORT;

  values = tc_settings_get_all_finish (TC_REPOSITORY (object), result, &error);
  if (values == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  address = g_hash_table_lookup (values, TC_SETTING_HTTP_ADDRESS);
  port_text = g_hash_table_lookup (values, TC_SETTING_HTTP_PORT);

  if (port_override >= 0)
    port = (guint64) port_override;
  else if (port_text != NULL &&
           !g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, &error))
    {
      g_prefix_error (&error, "Setting %s: ", TC_SETTING_HTTP_PORT);
      g_task_return_error (task, error);
      return;
    }

  if (!tc_http_server_listen (self, address, (guint) port, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tc_http_server_start_async (TcHttpServer        *self,
                            gint                 port_override,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_HTTP_SERVER (self));
  g_return_if_fail (port_override <= 65535);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_http_server_start_async);
  g_task_set_task_data (task, GINT_TO_POINTER (port_override), NULL);

  tc_settings_get_all_async (self->repository, "http.", cancellable, start_settings_cb, task);
}

gboolean
tc_http_server_start_finish (TcHttpServer  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TC_IS_HTTP_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_http_server_start_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * GObject
 */

static void
tc_http_server_dispose (GObject *object)
{
  TcHttpServer *self = TC_HTTP_SERVER (object);

  tc_http_server_stop (self);
  g_clear_object (&self->repository);
  g_hash_table_remove_all (self->webhooks);

  G_OBJECT_CLASS (tc_http_server_parent_class)->dispose (object);
}

static void
tc_http_server_finalize (GObject *object)
{
  TcHttpServer *self = TC_HTTP_SERVER (object);

  g_free (self->address);
  g_free (self->public_url);
  g_hash_table_unref (self->webhooks);

  G_OBJECT_CLASS (tc_http_server_parent_class)->finalize (object);
}

static void
tc_http_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TcHttpServer *self = TC_HTTP_SERVER (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_http_server_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TcHttpServer *self = TC_HTTP_SERVER (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_set_object (&self->repository, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_http_server_class_init (TcHttpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_http_server_dispose;
  object_class->finalize = tc_http_server_finalize;
  object_class->get_property = tc_http_server_get_property;
  object_class->set_property = tc_http_server_set_property;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL,
                         TC_TYPE_REPOSITORY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, 65535, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TcHttpServer::webhook-received:
   * @name: the webhook's name ("twilio", "whatsapp")
   * @statuses: (element-type TcStatusUpdate): status updates, maybe empty
   * @inbound: (element-type TcInboundMessage): inbound messages, maybe empty
   *
   * A verified webhook brought something. The arrays belong to the
   * server: take what you need during the emission.
   */
  signals[WEBHOOK_RECEIVED] =
    g_signal_new ("webhook-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
}

static void
tc_http_server_init (TcHttpServer *self)
{
  self->webhooks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}
