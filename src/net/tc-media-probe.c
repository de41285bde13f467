/* tc-media-probe.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-media-probe"

#include "config.h"

#include <string.h>

#include "tc-media-probe.h"

G_DEFINE_QUARK (tc-media-probe-error-quark, tc_media_probe_error)

typedef struct
{
  SoupSession    *session;
  SoupMessage    *message;    /* the request in flight */
  GUri           *uri;        /* where it goes */
  TcMediaChannel  channel;
  guint           redirects;
  gboolean        use_get;    /* HEAD was refused or said no size */
} Probe;

static void send_request (GTask *task);

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  g_clear_object (&probe->session);
  g_clear_object (&probe->message);
  g_clear_pointer (&probe->uri, g_uri_unref);
  g_free (probe);
}

void
tc_media_probe_result_free (TcMediaProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->url);
  g_free (result->content_type);
  g_free (result);
}

static const char *
kind_word (TcMediaKind kind)
{
  switch (kind)
    {
    case TC_MEDIA_KIND_IMAGE:
      return "image";
    case TC_MEDIA_KIND_VIDEO:
      return "video";
    case TC_MEDIA_KIND_AUDIO:
      return "audio";
    case TC_MEDIA_KIND_STICKER:
      return "sticker";
    case TC_MEDIA_KIND_DOCUMENT:
    default:
      return "document";
    }
}

char *
tc_media_probe_result_describe (const TcMediaProbeResult *result)
{
  g_autofree char *format = NULL;
  g_autofree char *size = NULL;
  const char *slash;
  const char *subtype;

  g_return_val_if_fail (result != NULL, NULL);

  /* "image/jpeg" → "JPEG"; "image/svg+xml" → "SVG"; "video/x-msvideo"
   * → "MSVIDEO". Good enough to recognise a file by; the full type is
   * shown where it matters (the CLI's JSON). */
  slash = strchr (result->content_type, '/');
  subtype = slash != NULL ? slash + 1 : result->content_type;
  if (g_str_has_prefix (subtype, "x-"))
    subtype = subtype + 2;
  format = g_ascii_strup (subtype, strcspn (subtype, "+;"));
  size = g_format_size (result->size);

  return g_strdup_printf ("%s %s, %s", format, kind_word (result->kind), size);
}

/* Reads no body: the answer's headers are all a probe wants. Closing with
 * a cancelled cancellable drops the connection instead of reading the rest
 * of a file the server sent whole. */
static void
drop_body (GInputStream *stream)
{
  g_autoptr(GCancellable) stop = g_cancellable_new ();

  g_cancellable_cancel (stop);
  g_input_stream_close (stream, stop, NULL);
}

static void
return_http_error (GTask *task,
                   guint  status)
{
  const char *reason = soup_status_get_phrase (status);
  g_autofree char *answer = NULL;

  answer = reason != NULL ? g_strdup_printf ("%u (%s)", status, reason)
                          : g_strdup_printf ("%u", status);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN
      || status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_HTTP,
                             "The link answered %s: check that the address is right "
                             "and the file is public", answer);
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_HTTP,
                             "The link answered %s: its server has a problem, try again later",
                             answer);
  else
    g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_HTTP,
                             "The link answered %s instead of the file", answer);
}

/* Follows a redirect; FALSE when the task was completed with an error. */
static gboolean
follow_redirect (GTask       *task,
                 Probe       *probe,
                 const char  *location)
{
  g_autoptr(GUri) next = NULL;
  g_autofree char *next_str = NULL;
  const char *scheme;

  if (++probe->redirects > TC_MEDIA_PROBE_MAX_REDIRECTS)
    {
      g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_REDIRECTS,
                               "The link redirects more than %d times: use the file's "
                               "own address", TC_MEDIA_PROBE_MAX_REDIRECTS);
      return FALSE;
    }

  next = g_uri_parse_relative (probe->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = next != NULL ? g_uri_get_scheme (next) : NULL;
  if (next == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_REDIRECTS,
                               "The link redirects to “%s”, which is not a web address",
                               location);
      return FALSE;
    }

  next_str = g_uri_to_string (next);
  g_debug ("Redirected to %s", next_str);
  g_uri_unref (probe->uri);
  probe->uri = g_steal_pointer (&next);

  return TRUE;
}

static void
check_answer (GTask *task,
              Probe *probe)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (probe->message);
  guint status = soup_message_get_status (probe->message);
  const char *content_type;
  goffset start = 0;
  goffset end = 0;
  goffset total = -1;
  TcMediaKind kind = TC_MEDIA_KIND_DOCUMENT;
  g_autoptr(GError) error = NULL;
  TcMediaProbeResult *result;

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (!soup_message_headers_get_content_range (headers, &start, &end, &total))
        total = -1;
    }
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      total = soup_message_headers_get_content_length (headers);
    }

  /* Some servers answer HEAD with no length, or a length of 0: ask for
   * the first byte instead, whose Content-Range names the whole size. */
  if (total <= 0 && !probe->use_get)
    {
      probe->use_get = TRUE;
      send_request (task);
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || content_type[0] == '\0')
    {
      g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_NO_TYPE,
                               "The link does not say what kind of file it is (it sends "
                               "no Content-Type)");
      return;
    }

  if (total < 0)
    {
      g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_NO_SIZE,
                               "The link does not say how large the file is, so its size "
                               "cannot be checked");
      return;
    }

  if (!tc_media_check (probe->channel, content_type, (guint64) total, &kind, NULL, &error))
    {
      /* The one fix worth naming: MMS pictures are JPEG, PNG or GIF. */
      if (g_error_matches (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_UNSUPPORTED_TYPE)
          && probe->channel == TC_MEDIA_CHANNEL_MMS)
        g_task_return_new_error (task, TC_MEDIA_ERROR, TC_MEDIA_ERROR_UNSUPPORTED_TYPE,
                                 "%s: use a JPEG, PNG or GIF image", error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (TcMediaProbeResult, 1);
  result->url = g_uri_to_string (probe->uri);
  result->content_type = g_ascii_strdown (content_type, -1);
  result->size = (guint64) total;
  result->kind = kind;
  g_task_return_pointer (task, result, (GDestroyNotify) tc_media_probe_result_free);
}

static void
on_request_sent_cb (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_NETWORK,
                                 "Cannot reach the link: %s", error->message);
      return;
    }
  drop_body (stream);

  status = soup_message_get_status (probe->message);
  g_debug ("%s %s: %u", probe->use_get ? "GET" : "HEAD",
           g_uri_get_path (probe->uri), status);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != 304)
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (probe->message),
                                                           "Location");

      if (location == NULL)
        {
          return_http_error (task, status);
          return;
        }
      if (follow_redirect (task, probe, location))
        send_request (task);
      return;
    }

  if ((status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED)
      && !probe->use_get)
    {
      probe->use_get = TRUE;
      send_request (task);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      return_http_error (task, status);
      return;
    }

  check_answer (task, probe);
}

/* Sends the next request of @task (a new reference is taken). */
static void
send_request (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);

  g_clear_object (&probe->message);
  probe->message = soup_message_new_from_uri (probe->use_get ? SOUP_METHOD_GET : SOUP_METHOD_HEAD,
                                              probe->uri);
  /* Redirects are followed here, to count them and to refuse non-web
   * targets. */
  soup_message_add_flags (probe->message, SOUP_MESSAGE_NO_REDIRECT);
  if (probe->use_get)
    soup_message_headers_set_range (soup_message_get_request_headers (probe->message), 0, 0);

  soup_session_send_async (probe->session, probe->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_request_sent_cb,
                           g_object_ref (task));
}

void
tc_media_probe_async (SoupSession         *session,
                      const char          *url,
                      TcMediaChannel       channel,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Probe *probe;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_media_probe_async);

  if (!tc_media_check_url (url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->session = g_object_ref (session);
  probe->channel = channel;
  probe->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  g_task_set_task_data (task, probe, probe_free);
  if (probe->uri == NULL)
    {
      g_task_return_new_error (task, TC_MEDIA_ERROR, TC_MEDIA_ERROR_INVALID_URL,
                               "“%s” is not a web address: %s", url, error->message);
      return;
    }

  send_request (task);
}

TcMediaProbeResult *
tc_media_probe_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_media_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
