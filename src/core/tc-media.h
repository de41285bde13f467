/* tc-media.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_MEDIA_ERROR (tc_media_error_quark ())

/**
 * TcMediaError:
 * @TC_MEDIA_ERROR_INVALID_URL: not an absolute http(s) URL
 * @TC_MEDIA_ERROR_UNSUPPORTED_TYPE: the channel does not take this content type
 * @TC_MEDIA_ERROR_TOO_LARGE: over the channel's size limit for the type
 */
typedef enum
{
  TC_MEDIA_ERROR_INVALID_URL,
  TC_MEDIA_ERROR_UNSUPPORTED_TYPE,
  TC_MEDIA_ERROR_TOO_LARGE,
} TcMediaError;

GQuark tc_media_error_quark (void);

/**
 * TcMediaChannel:
 * @TC_MEDIA_CHANNEL_MMS: MMS through Twilio
 * @TC_MEDIA_CHANNEL_WHATSAPP: the WhatsApp Cloud API
 */
typedef enum
{
  TC_MEDIA_CHANNEL_MMS,
  TC_MEDIA_CHANNEL_WHATSAPP,
} TcMediaChannel;

/**
 * TcMediaKind:
 * @TC_MEDIA_KIND_IMAGE: a picture
 * @TC_MEDIA_KIND_VIDEO: a video
 * @TC_MEDIA_KIND_AUDIO: a sound
 * @TC_MEDIA_KIND_DOCUMENT: a document (PDF, office files, text, vCard…)
 * @TC_MEDIA_KIND_STICKER: a WhatsApp sticker (WebP)
 */
typedef enum
{
  TC_MEDIA_KIND_IMAGE,
  TC_MEDIA_KIND_VIDEO,
  TC_MEDIA_KIND_AUDIO,
  TC_MEDIA_KIND_DOCUMENT,
  TC_MEDIA_KIND_STICKER,
} TcMediaKind;

/* Sizes are in bytes; "MB" in the providers' documents is read as
 * 1,000,000 bytes, the stricter reading. */
#define TC_MEDIA_MMS_MAX_TOTAL          (5 * 1000 * 1000)
#define TC_MEDIA_MMS_MAX_NON_IMAGE      (600 * 1000)
#define TC_MEDIA_WHATSAPP_MAX_IMAGE     (5 * 1000 * 1000)
#define TC_MEDIA_WHATSAPP_MAX_VIDEO     (16 * 1000 * 1000)
#define TC_MEDIA_WHATSAPP_MAX_AUDIO     (16 * 1000 * 1000)
#define TC_MEDIA_WHATSAPP_MAX_DOCUMENT  (100 * 1000 * 1000)
#define TC_MEDIA_WHATSAPP_MAX_STICKER   (500 * 1000)

gboolean tc_media_check_url   (const char     *url,
                               GError        **error);
gboolean tc_media_check       (TcMediaChannel  channel,
                               const char     *content_type,
                               guint64         size,
                               TcMediaKind    *kind,
                               guint64        *limit,
                               GError        **error);
gboolean tc_media_check_total (TcMediaChannel  channel,
                               guint64         total_size,
                               GError        **error);

G_END_DECLS
