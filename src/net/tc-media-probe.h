/* tc-media-probe.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-media.h"

G_BEGIN_DECLS

#define TC_MEDIA_PROBE_ERROR (tc_media_probe_error_quark ())

/**
 * TcMediaProbeError:
 * @TC_MEDIA_PROBE_ERROR_NETWORK: the link could not be reached
 * @TC_MEDIA_PROBE_ERROR_HTTP: the link answered with an error status
 * @TC_MEDIA_PROBE_ERROR_REDIRECTS: too many redirects, or one to a
 *   place that is not a web address
 * @TC_MEDIA_PROBE_ERROR_NO_TYPE: the answer has no Content-Type
 * @TC_MEDIA_PROBE_ERROR_NO_SIZE: the answer does not say how large the
 *   file is
 *
 * Problems with the link itself. A file of the wrong type or size fails
 * with #TC_MEDIA_ERROR (tc-media.h) instead.
 */
typedef enum
{
  TC_MEDIA_PROBE_ERROR_NETWORK,
  TC_MEDIA_PROBE_ERROR_HTTP,
  TC_MEDIA_PROBE_ERROR_REDIRECTS,
  TC_MEDIA_PROBE_ERROR_NO_TYPE,
  TC_MEDIA_PROBE_ERROR_NO_SIZE,
} TcMediaProbeError;

GQuark tc_media_probe_error_quark (void);

/* How many redirects a probe follows before it gives up. */
#define TC_MEDIA_PROBE_MAX_REDIRECTS 5

typedef struct
{
  char        *url;           /* where the file was found (after redirects) */
  char        *content_type;  /* lowercase, without parameters: "image/jpeg" */
  guint64      size;          /* bytes */
  TcMediaKind  kind;
} TcMediaProbeResult;

void                tc_media_probe_result_free (TcMediaProbeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcMediaProbeResult, tc_media_probe_result_free)

/* "JPEG image, 240.0 kB": the file in words for the user. */
char               *tc_media_probe_result_describe (const TcMediaProbeResult *result);

/* Asks the server of @url what the file is, without downloading it: a HEAD
 * request (a GET of its first byte, "Range: bytes=0-0", when the server
 * refuses HEAD or does not say the size), following at most
 * TC_MEDIA_PROBE_MAX_REDIRECTS redirects; then checks the type and size
 * against @channel's limits with tc_media_check(). Only http and https
 * URLs are accepted. The error messages are for the user as they are. */
void                tc_media_probe_async  (SoupSession          *session,
                                           const char           *url,
                                           TcMediaChannel        channel,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
TcMediaProbeResult *tc_media_probe_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
