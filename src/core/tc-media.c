/* tc-media.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks of media attachments (sent by URL) per channel: the content
 * type must be one the channel takes, and the size within its limit.
 *
 * MMS (Twilio), https://www.twilio.com/docs/messaging/guides/accepted-mime-types
 * and https://support.twilio.com/hc/en-us/articles/360018832773 :
 * - the whole message, text and media, stays under 5 MB;
 * - image/jpeg (also written image/jpg), image/gif and image/png are fully
 *   supported: Twilio resizes them for the handset, so they may use the
 *   whole 5 MB;
 * - the other accepted types (audio, video, vCard, calendar, PDF, office
 *   files…) are passed on unchanged, and US carriers cap them between
 *   0.6 MB and 1.5 MB depending on carrier and number type; the limit here
 *   is the smallest of those, 600 KB, so an attachment that passes goes
 *   through on every carrier.
 *
 * WhatsApp (Cloud API "supported media types", as listed in
 * https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html):
 * - image: image/jpeg, image/png, 5 MB;
 * - video: video/mp4, video/3gpp (H.264 and AAC), 16 MB;
 * - audio: audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg (Opus), 16 MB;
 * - document: text/plain, PDF, Word, Excel, PowerPoint (old and OOXML), 100 MB;
 * - sticker: image/webp, 500 KB animated (100 KB static: the file alone
 *   does not say which, so the larger limit applies here).
 */

#define G_LOG_DOMAIN "tc-media"

#include "config.h"

#include <string.h>

#include "tc-media.h"

G_DEFINE_QUARK (tc-media-error-quark, tc_media_error)

typedef struct
{
  const char *content_type;
  TcMediaKind kind;
  guint64 limit;
} MediaType;

static const MediaType mms_types[] = {
  { "image/jpeg", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_TOTAL },
  { "image/jpg", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_TOTAL },
  { "image/gif", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_TOTAL },
  { "image/png", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_TOTAL },
  { "image/bmp", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "image/tiff", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "image/heic", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "image/heif", TC_MEDIA_KIND_IMAGE, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/basic", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/l24", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/mp4", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/mpeg", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/ogg", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/vorbis", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/vnd.rn-realaudio", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/vnd.wave", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/3gpp", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/3gpp2", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/ac3", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/webm", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/amr-nb", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/amr", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "audio/aac", TC_MEDIA_KIND_AUDIO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/mpeg", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/mp4", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/quicktime", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/webm", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/3gpp", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/3gpp2", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/3gpp-tt", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/h261", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/h263", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/h263-1998", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/h263-2000", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "video/h264", TC_MEDIA_KIND_VIDEO, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/vcard", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/x-vcard", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/csv", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/rtf", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/richtext", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/calendar", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "text/directory", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/pdf", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vcard", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.apple.pkpass", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/msword", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.ms-excel", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.ms-powerpoint", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
  { "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_MMS_MAX_NON_IMAGE },
};

static const MediaType whatsapp_types[] = {
  { "image/jpeg", TC_MEDIA_KIND_IMAGE, TC_MEDIA_WHATSAPP_MAX_IMAGE },
  { "image/png", TC_MEDIA_KIND_IMAGE, TC_MEDIA_WHATSAPP_MAX_IMAGE },
  { "video/mp4", TC_MEDIA_KIND_VIDEO, TC_MEDIA_WHATSAPP_MAX_VIDEO },
  { "video/3gpp", TC_MEDIA_KIND_VIDEO, TC_MEDIA_WHATSAPP_MAX_VIDEO },
  { "video/3gp", TC_MEDIA_KIND_VIDEO, TC_MEDIA_WHATSAPP_MAX_VIDEO },
  { "audio/aac", TC_MEDIA_KIND_AUDIO, TC_MEDIA_WHATSAPP_MAX_AUDIO },
  { "audio/amr", TC_MEDIA_KIND_AUDIO, TC_MEDIA_WHATSAPP_MAX_AUDIO },
  { "audio/mpeg", TC_MEDIA_KIND_AUDIO, TC_MEDIA_WHATSAPP_MAX_AUDIO },
  { "audio/mp4", TC_MEDIA_KIND_AUDIO, TC_MEDIA_WHATSAPP_MAX_AUDIO },
  { "audio/ogg", TC_MEDIA_KIND_AUDIO, TC_MEDIA_WHATSAPP_MAX_AUDIO },
  { "text/plain", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/pdf", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/msword", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/vnd.ms-excel", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/vnd.ms-powerpoint", TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    TC_MEDIA_KIND_DOCUMENT, TC_MEDIA_WHATSAPP_MAX_DOCUMENT },
  { "image/webp", TC_MEDIA_KIND_STICKER, TC_MEDIA_WHATSAPP_MAX_STICKER },
};

static const char *
channel_name (TcMediaChannel channel)
{
  return channel == TC_MEDIA_CHANNEL_WHATSAPP ? "WhatsApp" : "MMS";
}

static const char *
kind_name (TcMediaKind kind)
{
  switch (kind)
    {
    case TC_MEDIA_KIND_IMAGE:
      return "images";
    case TC_MEDIA_KIND_VIDEO:
      return "videos";
    case TC_MEDIA_KIND_AUDIO:
      return "audio files";
    case TC_MEDIA_KIND_DOCUMENT:
      return "documents";
    case TC_MEDIA_KIND_STICKER:
      return "stickers";
    default:
      return "files";
    }
}

/**
 * tc_media_check_url:
 * @url: where the provider will fetch the media
 * @error: return location for a #GError
 *
 * Providers fetch media themselves, so the URL must be absolute http(s)
 * with a host.
 *
 * Returns: %TRUE if @url can be used
 */
gboolean
tc_media_check_url (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_INVALID_URL,
                   "“%s” is not a web address (https://…) that the provider can fetch", url);
      return FALSE;
    }

  return TRUE;
}

/* "Image/JPEG; charset=x" → "image/jpeg". Parameters such as
 * "codecs=opus" say nothing the checks here use. */
static char *
normalize_content_type (const char *content_type)
{
  const char *semi = strchr (content_type, ';');
  g_autofree char *base = g_strndup (content_type,
                                     semi != NULL ? (gsize) (semi - content_type)
                                                  : strlen (content_type));

  return g_ascii_strdown (g_strstrip (base), -1);
}

/**
 * tc_media_check:
 * @channel: where the attachment goes
 * @content_type: its Content-Type (parameters after ";" are ignored,
 *   case does not matter)
 * @size: its size in bytes
 * @kind: (out) (optional): what kind of media it is
 * @limit: (out) (optional): the size limit that applies to it
 * @error: return location for a #GError
 *
 * Checks one attachment against the channel's accepted types and limits
 * (see the top of tc-media.c for the sources). For MMS, also check the
 * total of all attachments with tc_media_check_total().
 *
 * Returns: %TRUE if the channel takes it
 */
gboolean
tc_media_check (TcMediaChannel   channel,
                const char      *content_type,
                guint64          size,
                TcMediaKind     *kind,
                guint64         *limit,
                GError         **error)
{
  g_autofree char *norm = NULL;
  const MediaType *types;
  guint n_types;

  g_return_val_if_fail (content_type != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (channel == TC_MEDIA_CHANNEL_WHATSAPP)
    {
      types = whatsapp_types;
      n_types = G_N_ELEMENTS (whatsapp_types);
    }
  else
    {
      types = mms_types;
      n_types = G_N_ELEMENTS (mms_types);
    }

  norm = normalize_content_type (content_type);
  for (guint i = 0; i < n_types; i++)
    {
      g_autofree char *size_str = NULL;
      g_autofree char *limit_str = NULL;

      if (strcmp (types[i].content_type, norm) != 0)
        continue;

      if (kind != NULL)
        *kind = types[i].kind;
      if (limit != NULL)
        *limit = types[i].limit;

      if (size <= types[i].limit)
        return TRUE;

      size_str = g_format_size (size);
      limit_str = g_format_size (types[i].limit);
      /* "5.0 MB; … at most 5.0 MB" would read as a contradiction. */
      if (strcmp (size_str, limit_str) == 0)
        {
          g_free (size_str);
          size_str = g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT);
        }
      g_set_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_TOO_LARGE,
                   "The %s file is %s; %s %s can be at most %s",
                   norm, size_str, channel_name (channel),
                   channel == TC_MEDIA_CHANNEL_MMS && types[i].limit == TC_MEDIA_MMS_MAX_NON_IMAGE
                   ? "attachments other than JPEG, PNG and GIF images"
                   : kind_name (types[i].kind),
                   limit_str);
      return FALSE;
    }

  g_set_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_UNSUPPORTED_TYPE,
               "%s does not accept %s files", channel_name (channel), norm);
  return FALSE;
}

/**
 * tc_media_check_total:
 * @channel: where the attachments go
 * @total_size: the sum of their sizes, in bytes
 * @error: return location for a #GError
 *
 * MMS limits the whole message to 5 MB; a WhatsApp message carries one
 * media, so its per-type limit is the only one.
 *
 * Returns: %TRUE if the total is within the limit
 */
gboolean
tc_media_check_total (TcMediaChannel   channel,
                      guint64          total_size,
                      GError         **error)
{
  g_autofree char *size_str = NULL;
  g_autofree char *limit_str = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (channel != TC_MEDIA_CHANNEL_MMS || total_size <= TC_MEDIA_MMS_MAX_TOTAL)
    return TRUE;

  size_str = g_format_size (total_size);
  limit_str = g_format_size (TC_MEDIA_MMS_MAX_TOTAL);
  if (strcmp (size_str, limit_str) == 0)
    {
      g_free (size_str);
      size_str = g_format_size_full (total_size, G_FORMAT_SIZE_LONG_FORMAT);
    }
  g_set_error (error, TC_MEDIA_ERROR, TC_MEDIA_ERROR_TOO_LARGE,
               "The attachments total %s; an MMS can carry at most %s", size_str, limit_str);
  return FALSE;
}
