/* tc-http-call.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP exchange for the providers and the template client; see
 * tc-http-call.h for what it guards against and why.
 */

#define G_LOG_DOMAIN "tc-http-call"

#include "config.h"

#include <string.h>

#include "tc-http-call.h"

struct _TcHttpCall
{
  GObject          parent_instance;

  SoupMessage     *message;
  TcHttpCallFlags  flags;
  GInputStream    *stream;
  GByteArray      *body;
  gsize            max_bytes;

  /* Ours, given to libsoup: cancelled by the caller's cancellable, by the
   * timeout, or by a restart. */
  GCancellable    *cancellable;
  GCancellable    *caller_cancellable;
  gulong           caller_handler;
  GSource         *timeout_source;

  guint            first_status;
  gboolean         sent;
  gboolean         written;
  gboolean         timed_out;
  gboolean         resend_blocked;
};

G_DEFINE_FINAL_TYPE (TcHttpCall, tc_http_call, G_TYPE_OBJECT)
G_DEFINE_QUARK (tc-http-call-error-quark, tc_http_call_error)

static void
stop_timeout (TcHttpCall *self)
{
  if (self->timeout_source != NULL)
    g_source_destroy (self->timeout_source);
  g_clear_pointer (&self->timeout_source, g_source_unref);
}

static void
on_message_wrote_headers_cb (SoupMessage *message,
                             TcHttpCall  *self)
{
  self->written = TRUE;
}

static void
on_message_got_headers_cb (SoupMessage *message,
                           TcHttpCall  *self)
{
  if (self->first_status == 0)
    self->first_status = soup_message_get_status (message);
}

static void
on_message_restarted_cb (SoupMessage *message,
                         TcHttpCall  *self)
{
  /* Emitted before libsoup sends the message again, whatever the reason:
   * the request goes out once. */
  self->resend_blocked = TRUE;
  g_cancellable_cancel (self->cancellable);
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  TcHttpCall *self = user_data;

  self->timed_out = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
return_error (GTask  *task,
              GError *error)
{
  TcHttpCall *self = g_task_get_source_object (task);

  stop_timeout (self);
  g_task_return_error (task, error);
}

static GError *
too_large_error (TcHttpCall      *self,
                 TcHttpCallError  code)
{
  return g_error_new (TC_HTTP_CALL_ERROR, code, "the answer is larger than %u KiB",
                      (guint) (self->max_bytes / 1024));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHttpCall *self = g_task_get_source_object (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      stop_timeout (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->body->len + g_bytes_get_size (chunk) > self->max_bytes)
    {
      return_error (task, too_large_error (self, TC_HTTP_CALL_ERROR_TOO_LARGE));
      return;
    }
  g_byte_array_append (self->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));

  g_input_stream_read_bytes_async (self->stream, TC_HTTP_CALL_READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHttpCall *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (self->resend_blocked)
    {
      g_clear_error (&error);
      return_error (task, g_error_new (TC_HTTP_CALL_ERROR, TC_HTTP_CALL_ERROR_RESEND_BLOCKED,
                                       "libsoup wanted to send the request again "
                                       "(first answer: HTTP %u); it was stopped",
                                       self->first_status));
      return;
    }

  if (self->stream == NULL)
    {
      return_error (task, error);
      return;
    }

  if (soup_message_headers_get_content_length (soup_message_get_response_headers (self->message)) >
      (goffset) self->max_bytes)
    {
      return_error (task, too_large_error (self, TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE));
      return;
    }

  g_input_stream_read_bytes_async (self->stream, TC_HTTP_CALL_READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, g_steal_pointer (&task));
}

static void
tc_http_call_dispose (GObject *object)
{
  TcHttpCall *self = (TcHttpCall *) object;

  stop_timeout (self);
  if (self->caller_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
  self->caller_handler = 0;
  g_clear_object (&self->caller_cancellable);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tc_http_call_parent_class)->dispose (object);
}

static void
tc_http_call_finalize (GObject *object)
{
  TcHttpCall *self = (TcHttpCall *) object;

  g_clear_pointer (&self->body, g_byte_array_unref);

  G_OBJECT_CLASS (tc_http_call_parent_class)->finalize (object);
}

static void
tc_http_call_class_init (TcHttpCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_http_call_dispose;
  object_class->finalize = tc_http_call_finalize;
}

static void
tc_http_call_init (TcHttpCall *self)
{
  self->body = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
}

/**
 * tc_http_call_new:
 * @method: the HTTP method (SOUP_METHOD_POST, …)
 * @uri: the address
 * @flags: what libsoup may not do with the request on its own
 *
 * Returns: (transfer full) (nullable): the call, or %NULL when libsoup
 *   cannot make a request of @uri
 */
TcHttpCall *
tc_http_call_new (const char      *method,
                  const char      *uri,
                  TcHttpCallFlags  flags)
{
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageFlags message_flags = 0;
  TcHttpCall *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  message = soup_message_new (method, uri);
  if (message == NULL)
    return NULL;

  if (flags & TC_HTTP_CALL_NO_REDIRECT)
    message_flags |= SOUP_MESSAGE_NO_REDIRECT;
  if (flags & TC_HTTP_CALL_OWN_AUTH)
    message_flags |= SOUP_MESSAGE_DO_NOT_USE_AUTH_CACHE;
  if (flags & TC_HTTP_CALL_NEW_CONNECTION)
    message_flags |= SOUP_MESSAGE_NEW_CONNECTION;
  if (message_flags != 0)
    soup_message_add_flags (message, message_flags);
  if (flags & TC_HTTP_CALL_OWN_AUTH)
    soup_message_disable_feature (message, SOUP_TYPE_AUTH_MANAGER);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json");

  self = g_object_new (TC_TYPE_HTTP_CALL, NULL);
  self->message = g_steal_pointer (&message);
  self->flags = flags;

  return self;
}

void
tc_http_call_set_basic (TcHttpCall *self,
                        const char *user,
                        const char *password)
{
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *authorization = NULL;

  g_return_if_fail (TC_IS_HTTP_CALL (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);

  credentials = g_strconcat (user, ":", password, NULL);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  authorization = g_strconcat ("Basic ", encoded, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (self->message), "Authorization",
                                authorization);
  memset (credentials, 0, strlen (credentials));
  memset (encoded, 0, strlen (encoded));
  memset (authorization, 0, strlen (authorization));
}

void
tc_http_call_set_bearer (TcHttpCall *self,
                         const char *token)
{
  g_autofree char *authorization = NULL;

  g_return_if_fail (TC_IS_HTTP_CALL (self));
  g_return_if_fail (token != NULL);

  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (self->message), "Authorization",
                                authorization);
  memset (authorization, 0, strlen (authorization));
}

void
tc_http_call_set_body (TcHttpCall *self,
                       const char *content_type,
                       GBytes     *body)
{
  g_return_if_fail (TC_IS_HTTP_CALL (self));
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);

  soup_message_set_request_body_from_bytes (self->message, content_type, body);
}

/**
 * tc_http_call_send_async:
 * @self: a call not sent yet
 * @session: the session from tc_soup_session_new()
 * @timeout_ms: the call's own time limit, 0 for none
 * @max_bytes: the largest answer body read
 * @cancellable: (nullable): the caller's
 * @callback: called with the outcome, on the caller's main context
 * @user_data: for @callback
 *
 * Sends the request and reads the whole answer.
 */
void
tc_http_call_send_async (TcHttpCall          *self,
                         SoupSession         *session,
                         guint                timeout_ms,
                         gsize                max_bytes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_HTTP_CALL (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->sent);

  self->sent = TRUE;
  self->max_bytes = max_bytes;

  /* Our own cancellable, so that the timeout and the restart guard can
   * cancel without touching the caller's. */
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tc_http_call_send_async);

  g_signal_connect (self->message, "wrote-headers", G_CALLBACK (on_message_wrote_headers_cb), self);
  g_signal_connect (self->message, "got-headers", G_CALLBACK (on_message_got_headers_cb), self);
  if (self->flags & TC_HTTP_CALL_BLOCK_RESTART)
    g_signal_connect (self->message, "restarted", G_CALLBACK (on_message_restarted_cb), self);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (on_caller_cancelled_cb),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }

  if (timeout_ms > 0)
    {
      self->timeout_source = g_timeout_source_new (timeout_ms);
      g_source_set_callback (self->timeout_source, on_timeout_cb, self, NULL);
      g_source_set_static_name (self->timeout_source, "[tc-http-call] request timeout");
      g_source_attach (self->timeout_source, g_main_context_get_thread_default ());
    }

  soup_session_send_async (session, self->message, G_PRIORITY_DEFAULT, self->cancellable, send_cb,
                           task);
}

gboolean
tc_http_call_send_finish (TcHttpCall    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_http_call_send_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

SoupMessage *
tc_http_call_get_message (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), NULL);

  return self->message;
}

guint
tc_http_call_get_status (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), 0);

  return soup_message_get_status (self->message);
}

guint
tc_http_call_get_first_status (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), 0);

  return self->first_status;
}

gboolean
tc_http_call_get_answered (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), FALSE);

  return self->stream != NULL;
}

gboolean
tc_http_call_get_written (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), FALSE);

  return self->written;
}

gboolean
tc_http_call_get_timed_out (TcHttpCall *self)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), FALSE);

  return self->timed_out;
}

const guint8 *
tc_http_call_get_body (TcHttpCall *self,
                       gsize      *length)
{
  g_return_val_if_fail (TC_IS_HTTP_CALL (self), NULL);
  g_return_val_if_fail (length != NULL, NULL);

  *length = self->body->len;

  return self->body->data;
}

/* ------------------------------------------------------------------------
 * Shared helpers
 */

gint64
tc_http_retry_after (SoupMessage *message,
                     gint64       max_seconds)
{
  const char *value;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;
  char *end = NULL;

  g_return_val_if_fail (SOUP_IS_MESSAGE (message), 0);
  g_return_val_if_fail (max_seconds >= 0, 0);

  value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  if (value == NULL)
    return 0;
  while (*value == ' ')
    value++;

  if (g_ascii_isdigit (*value))
    {
      guint64 parsed = g_ascii_strtoull (value, &end, 10);

      while (end != NULL && *end == ' ')
        end++;
      if (end == NULL || *end != '\0')
        return 0;
      seconds = (gint64) MIN (parsed, (guint64) max_seconds);
    }
  else
    {
      date = soup_date_time_new_from_http_string (value);
      if (date == NULL)
        return 0;
      now = g_date_time_new_now_utc ();
      seconds = g_date_time_difference (date, now) / G_TIME_SPAN_SECOND;
    }

  return CLAMP (seconds, 0, max_seconds);
}

char *
tc_http_clean_value (const char *value,
                     const char *fallback,
                     gboolean    strip_slash)
{
  g_autofree char *text = g_strstrip (g_strdup (value != NULL ? value : ""));
  gsize len = strlen (text);

  while (strip_slash && len > 0 && text[len - 1] == '/')
    text[--len] = '\0';
  if (len == 0)
    return g_strdup (fallback);

  return g_steal_pointer (&text);
}

char *
tc_http_mask_secret (const char *text,
                     const char *secret)
{
  g_autoptr(GString) masked = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  masked = g_string_new (text);
  if (secret != NULL && secret[0] != '\0')
    g_string_replace (masked, secret, "[token]", 0);

  return g_string_free (g_steal_pointer (&masked), FALSE);
}

void
tc_http_clear_secret (char **secret)
{
  g_return_if_fail (secret != NULL);

  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

const char *
tc_http_member_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
tc_http_member_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
tc_http_member_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
