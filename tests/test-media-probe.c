/* test-media-probe.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tc_media_probe_async() against a SoupServer on 127.0.0.1 in the same
 * process, serving files that are fine, too large, of the wrong type,
 * missing, behind redirects, and on a server that refuses HEAD.
 */

#define G_LOG_DOMAIN "test-media-probe"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "tc-media-probe.h"

/* The start of a PNG file: the signature and an IHDR chunk header, then
 * padding. The probe never reads it; a real body keeps the server honest. */
static const guint8 png_bytes[64] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R',
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
};

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  GUri        *base;
  guint        n_head;
  guint        n_get;
  guint        n_range;
} Fixture;

static void
count_request (Fixture           *f,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_HEAD) == 0)
    f->n_head++;
  else
    f->n_get++;
  if (soup_message_headers_get_one (req, "Range") != NULL)
    f->n_range++;
}

/* Answers with @size bytes of @content_type (NULL: no Content-Type), the
 * body only to GET. A HEAD answer declares the size without a body. */
static void
answer_file (SoupServerMessage *msg,
             const char        *content_type,
             gsize              size)
{
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_HEAD) == 0)
    {
      soup_message_headers_set_content_length (resp, size);
      if (content_type != NULL)
        soup_message_headers_set_content_type (resp, content_type, NULL);
      return;
    }

  if (size <= sizeof png_bytes)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC,
                                      (const char *) png_bytes, size);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                    "this test never downloads a large file");
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  gboolean head = strcmp (soup_server_message_get_method (msg), SOUP_METHOD_HEAD) == 0;

  count_request (f, msg);

  if (strcmp (path, "/logo.png") == 0)
    answer_file (msg, "image/png", sizeof png_bytes);
  else if (strcmp (path, "/typed.png") == 0)
    answer_file (msg, "IMAGE/PNG; charset=binary", sizeof png_bytes);
  else if (strcmp (path, "/big.jpg") == 0)
    answer_file (msg, "image/jpeg", 7200000);
  else if (strcmp (path, "/just-right.jpg") == 0)
    answer_file (msg, "image/jpeg", 5000000);
  else if (strcmp (path, "/anim.webp") == 0)
    answer_file (msg, "image/webp", sizeof png_bytes);
  else if (strcmp (path, "/clip.mp4") == 0)
    answer_file (msg, "video/mp4", 700000);
  else if (strcmp (path, "/untyped") == 0)
    answer_file (msg, NULL, 10);
  else if (strcmp (path, "/private.png") == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  else if (strcmp (path, "/broken.png") == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
  else if (strcmp (path, "/nohead/photo.gif") == 0)
    {
      /* A server that refuses HEAD but honours a range. */
      if (head)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
        }
      else
        {
          soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
          soup_message_headers_set_content_range (resp, 0, 0, 240000);
          soup_server_message_set_response (msg, "image/gif", SOUP_MEMORY_STATIC, "G", 1);
        }
    }
  else if (strcmp (path, "/nohead/huge.gif") == 0)
    {
      if (head)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_NOT_IMPLEMENTED, NULL);
        }
      else
        {
          soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
          soup_message_headers_set_content_range (resp, 0, 0, 9000000);
          soup_server_message_set_response (msg, "image/gif", SOUP_MEMORY_STATIC, "G", 1);
        }
    }
  else if (strcmp (path, "/go/logo") == 0)
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/hop/logo");
  else if (strcmp (path, "/hop/logo") == 0)
    soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, "../logo.png");
  else if (strcmp (path, "/loop") == 0)
    soup_server_message_set_redirect (msg, SOUP_STATUS_TEMPORARY_REDIRECT, "/loop");
  else if (strcmp (path, "/to-ftp") == 0)
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "ftp://127.0.0.1/logo.png");
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, on_request_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->session = soup_session_new_with_options ("timeout", 10,
                                              "user-agent", "Textcast-test",
                                              NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_uri_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (res);
}

static TcMediaProbeResult *
probe (Fixture         *f,
       const char      *url,
       TcMediaChannel   channel,
       GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_media_probe_async (f->session, url, channel, NULL, store_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);

  return tc_media_probe_finish (res, error);
}

static char *
url_for (Fixture    *f,
         const char *path)
{
  g_autoptr(GUri) uri = NULL;

  if (strstr (path, "://") != NULL)
    return g_strdup (path);

  uri = g_uri_parse_relative (f->base, path, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);

  return g_uri_to_string (uri);
}

typedef struct
{
  const char     *path;
  TcMediaChannel  channel;
  /* success */
  const char     *content_type;
  guint64         size;
  TcMediaKind     kind;
  const char     *final_path;
  const char     *description;
  /* failure: error_domain 0 for success */
  GQuark        (*error_domain) (void);
  int             error_code;
  const char     *message_part;
  /* requests the server saw */
  guint           n_head;
  guint           n_get;
} ProbeCase;

static const ProbeCase probe_cases[] = {
  { "/logo.png", TC_MEDIA_CHANNEL_MMS, "image/png", 64, TC_MEDIA_KIND_IMAGE, "/logo.png",
    "PNG image, 64 bytes", NULL, 0, NULL, 1, 0 },
  /* Parameters and case in Content-Type do not matter. */
  { "/typed.png", TC_MEDIA_CHANNEL_MMS, "image/png", 64, TC_MEDIA_KIND_IMAGE, "/typed.png",
    "PNG image, 64 bytes", NULL, 0, NULL, 1, 0 },
  /* Exactly at the limit is allowed. */
  { "/just-right.jpg", TC_MEDIA_CHANNEL_MMS, "image/jpeg", 5000000, TC_MEDIA_KIND_IMAGE,
    "/just-right.jpg", "JPEG image, 5.0\u00a0MB", NULL, 0, NULL, 1, 0 },
  /* Two redirects, one relative, lead to the PNG. */
  { "/go/logo", TC_MEDIA_CHANNEL_MMS, "image/png", 64, TC_MEDIA_KIND_IMAGE, "/logo.png",
    "PNG image, 64 bytes", NULL, 0, NULL, 3, 0 },
  /* HEAD refused (405, 501): the first byte by GET, sized by Content-Range. */
  { "/nohead/photo.gif", TC_MEDIA_CHANNEL_MMS, "image/gif", 240000, TC_MEDIA_KIND_IMAGE,
    "/nohead/photo.gif", "GIF image, 240.0\u00a0kB", NULL, 0, NULL, 1, 1 },
  { "/nohead/huge.gif", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_TOO_LARGE, "9.0\u00a0MB", 1, 1 },
  /* WebP: not for MMS, a fine WhatsApp sticker. */
  { "/anim.webp", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_UNSUPPORTED_TYPE, "image/webp", 1, 0 },
  { "/anim.webp", TC_MEDIA_CHANNEL_WHATSAPP, "image/webp", 64, TC_MEDIA_KIND_STICKER,
    "/anim.webp", "WEBP sticker, 64 bytes", NULL, 0, NULL, 1, 0 },
  /* Declared too large: known from HEAD alone, nothing downloaded. */
  { "/big.jpg", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_TOO_LARGE, "7.2\u00a0MB", 1, 0 },
  { "/big.jpg", TC_MEDIA_CHANNEL_WHATSAPP, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_TOO_LARGE, "7.2\u00a0MB", 1, 0 },
  /* A video is limited to 600 kB on MMS, 16 MB on WhatsApp. */
  { "/clip.mp4", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_TOO_LARGE, "600.0\u00a0kB", 1, 0 },
  { "/clip.mp4", TC_MEDIA_CHANNEL_WHATSAPP, "video/mp4", 700000, TC_MEDIA_KIND_VIDEO,
    "/clip.mp4", "MP4 video, 700.0\u00a0kB", NULL, 0, NULL, 1, 0 },
  { "/missing.png", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_HTTP, "answered 404", 1, 0 },
  { "/private.png", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_HTTP, "is public", 1, 0 },
  { "/broken.png", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_HTTP, "answered 502", 1, 0 },
  { "/untyped", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_NO_TYPE, "Content-Type", 1, 0 },
  { "/loop", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_REDIRECTS, "more than 5",
    TC_MEDIA_PROBE_MAX_REDIRECTS + 1, 0 },
  { "/to-ftp", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_probe_error_quark, TC_MEDIA_PROBE_ERROR_REDIRECTS, "ftp://", 1, 0 },
  /* Not a web address: refused before any request. */
  { "ftp://127.0.0.1/logo.png", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_INVALID_URL, "not a web address", 0, 0 },
  { "logo.png", TC_MEDIA_CHANNEL_MMS, NULL, 0, 0, NULL, NULL,
    tc_media_error_quark, TC_MEDIA_ERROR_INVALID_URL, "not a web address", 0, 0 },
};

static void
test_probe_cases (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (probe_cases); i++)
    {
      const ProbeCase *c = &probe_cases[i];
      g_autofree char *url = NULL;
      g_autoptr(TcMediaProbeResult) result = NULL;
      g_autoptr(GError) error = NULL;

      /* "logo.png" is a bare relative name: it is passed as is. */
      url = strcmp (c->path, "logo.png") == 0 ? g_strdup (c->path) : url_for (f, c->path);
      g_test_message ("case %u: %s (%s)", i, url,
                      c->channel == TC_MEDIA_CHANNEL_MMS ? "MMS" : "WhatsApp");
      f->n_head = f->n_get = f->n_range = 0;

      result = probe (f, url, c->channel, &error);

      if (c->error_domain == NULL)
        {
          g_autofree char *final_url = url_for (f, c->final_path);
          g_autofree char *description = NULL;

          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_assert_cmpstr (result->content_type, ==, c->content_type);
          g_assert_cmpuint (result->size, ==, c->size);
          g_assert_cmpint (result->kind, ==, c->kind);
          g_assert_cmpstr (result->url, ==, final_url);
          description = tc_media_probe_result_describe (result);
          g_assert_cmpstr (description, ==, c->description);
        }
      else
        {
          g_assert_null (result);
          g_assert_error (error, c->error_domain (), c->error_code);
          if (strstr (error->message, c->message_part) == NULL)
            g_error ("case %u: “%s” does not say “%s”", i, error->message, c->message_part);
        }

      g_assert_cmpuint (f->n_head, ==, c->n_head);
      g_assert_cmpuint (f->n_get, ==, c->n_get);
      /* Every GET asks for one byte only. */
      g_assert_cmpuint (f->n_range, ==, c->n_get);
    }
}

/* The MMS type error names the fix. */
static void
test_probe_type_hint (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/anim.webp");
  g_autoptr(TcMediaProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = probe (f, url, TC_MEDIA_CHANNEL_MMS, &error);
  g_assert_null (result);
  g_assert_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "use a JPEG, PNG or GIF image"));
}

/* A server that is not there: a network error in words, not a crash. */
static void
test_probe_unreachable (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/logo.png");
  g_autoptr(TcMediaProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  soup_server_disconnect (f->server);
  result = probe (f, url, TC_MEDIA_CHANNEL_MMS, &error);
  g_assert_null (result);
  g_assert_error (error, TC_MEDIA_PROBE_ERROR, TC_MEDIA_PROBE_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Cannot reach the link"));
}

static void
test_probe_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_for (f, "/logo.png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(TcMediaProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_media_probe_async (f->session, url, TC_MEDIA_CHANNEL_MMS, cancellable, store_result_cb, &res);
  g_cancellable_cancel (cancellable);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = tc_media_probe_finish (res, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/media-probe/cases", Fixture, NULL,
              fixture_set_up, test_probe_cases, fixture_tear_down);
  g_test_add ("/tc/media-probe/type-hint", Fixture, NULL,
              fixture_set_up, test_probe_type_hint, fixture_tear_down);
  g_test_add ("/tc/media-probe/unreachable", Fixture, NULL,
              fixture_set_up, test_probe_unreachable, fixture_tear_down);
  g_test_add ("/tc/media-probe/cancelled", Fixture, NULL,
              fixture_set_up, test_probe_cancelled, fixture_tear_down);

  return g_test_run ();
}
