/* tc-http-call.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcHttpCall: one request of a provider or an API client (Twilio, the
 * WhatsApp Cloud API, Meta's template API), from the SoupMessage to its
 * whole answer, and the small helpers those clients share. No GTK.
 *
 * What a call does for its caller:
 *   - builds the SoupMessage (tc_http_call_new() is NULL when libsoup cannot
 *     make one of the address) and always asks for JSON
 *     ("Accept: application/json"); the caller adds its credentials with
 *     tc_http_call_set_basic() or tc_http_call_set_bearer(), which wipe
 *     their own copies, and a body with tc_http_call_set_body();
 *   - keeps libsoup from sending a request again by itself, as far as
 *     @flags ask (libsoup 3.2 re-sends on a redirect, on a 401 through the
 *     auth manager, on a keep-alive connection closed under an idempotent
 *     request, and on a 421 Misdirected Request whatever the method):
 *       TC_HTTP_CALL_NO_REDIRECT     SOUP_MESSAGE_NO_REDIRECT
 *       TC_HTTP_CALL_OWN_AUTH        the auth manager is disabled on the
 *                                    message (and its cache unused): the
 *                                    caller writes Authorization itself
 *       TC_HTTP_CALL_NEW_CONNECTION  SOUP_MESSAGE_NEW_CONNECTION: a
 *                                    connection never used, on which
 *                                    libsoup restarts nothing
 *       TC_HTTP_CALL_BLOCK_RESTART   any "restarted" signal cancels the
 *                                    call before the second attempt goes
 *                                    out; it then fails with
 *                                    TC_HTTP_CALL_ERROR_RESEND_BLOCKED and
 *                                    the first answer's status is kept
 *                                    (tc_http_call_get_first_status())
 *     SOUP_MESSAGE_IDEMPOTENT is never set;
 *   - tracks whether the request may have reached the server:
 *     tc_http_call_get_written() turns TRUE on SoupMessage::wrote-headers,
 *     which libsoup 3.2 emits synchronously before the first byte of the
 *     body (::wrote-body comes a main-loop turn late, after an asynchronous
 *     splice, so a timeout could land after the server has the whole
 *     request but before it). Not written: the request cannot have reached
 *     the server (transient); written: it may have (ambiguous);
 *   - chains the caller's cancellable into one of its own, and with a
 *     @timeout_ms cancels that one when the time is up
 *     (tc_http_call_get_timed_out() then says so; the error is
 *     G_IO_ERROR_CANCELLED);
 *   - reads the answer in 64 KiB chunks, refusing one whose Content-Length
 *     announces more than @max_bytes (TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE,
 *     nothing read) or that grows past it (TC_HTTP_CALL_ERROR_TOO_LARGE),
 *     both "the answer is larger than N KiB".
 *
 * tc_http_call_send_finish() is TRUE when the whole answer was read, whatever
 * its HTTP status; otherwise the error is libsoup's or GIO's as it came, or
 * one of TC_HTTP_CALL_ERROR. tc_http_call_get_answered() tells a failure
 * before any answer (no status) from one while reading the body. What the
 * outcome means (words, classes, retries) is the caller's.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TC_HTTP_CALL_ERROR (tc_http_call_error_quark ())

/**
 * TcHttpCallError:
 * @TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE: the answer's Content-Length is
 *   above the limit; none of its body was read
 * @TC_HTTP_CALL_ERROR_TOO_LARGE: the answer's body grew past the limit
 * @TC_HTTP_CALL_ERROR_RESEND_BLOCKED: libsoup wanted to send the request a
 *   second time (TC_HTTP_CALL_BLOCK_RESTART) and the call was stopped
 */
typedef enum
{
  TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE,
  TC_HTTP_CALL_ERROR_TOO_LARGE,
  TC_HTTP_CALL_ERROR_RESEND_BLOCKED,
} TcHttpCallError;

typedef enum
{
  TC_HTTP_CALL_NONE           = 0,
  TC_HTTP_CALL_NO_REDIRECT    = 1 << 0,
  TC_HTTP_CALL_OWN_AUTH       = 1 << 1,
  TC_HTTP_CALL_NEW_CONNECTION = 1 << 2,
  TC_HTTP_CALL_BLOCK_RESTART  = 1 << 3,
} TcHttpCallFlags;

/* How much of an answer is read at a time. */
#define TC_HTTP_CALL_READ_CHUNK_BYTES (64 * 1024)

#define TC_TYPE_HTTP_CALL (tc_http_call_get_type ())

G_DECLARE_FINAL_TYPE (TcHttpCall, tc_http_call, TC, HTTP_CALL, GObject)

GQuark        tc_http_call_error_quark      (void);

TcHttpCall   *tc_http_call_new              (const char           *method,
                                             const char           *uri,
                                             TcHttpCallFlags       flags) G_GNUC_WARN_UNUSED_RESULT;
/* "Authorization: Basic base64(@user:@password)". */
void          tc_http_call_set_basic        (TcHttpCall           *self,
                                             const char           *user,
                                             const char           *password);
/* "Authorization: Bearer @token". */
void          tc_http_call_set_bearer       (TcHttpCall           *self,
                                             const char           *token);
void          tc_http_call_set_body         (TcHttpCall           *self,
                                             const char           *content_type,
                                             GBytes               *body);

/* Sends the call once (a call is not reused) through @session. @timeout_ms
 * 0: no timeout of its own (the session's still applies). */
void          tc_http_call_send_async       (TcHttpCall           *self,
                                             SoupSession          *session,
                                             guint                 timeout_ms,
                                             gsize                 max_bytes,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      tc_http_call_send_finish      (TcHttpCall           *self,
                                             GAsyncResult         *result,
                                             GError              **error);

SoupMessage  *tc_http_call_get_message      (TcHttpCall           *self);
/* The answer's HTTP status; 0 before one. */
guint         tc_http_call_get_status       (TcHttpCall           *self);
/* The status of the first answer's headers, even when libsoup went on. */
guint         tc_http_call_get_first_status (TcHttpCall           *self);
/* TRUE once the answer's status and headers arrived. */
gboolean      tc_http_call_get_answered     (TcHttpCall           *self);
gboolean      tc_http_call_get_written      (TcHttpCall           *self);
gboolean      tc_http_call_get_timed_out    (TcHttpCall           *self);
/* The body read so far (all of it after a successful finish); never NULL. */
const guint8 *tc_http_call_get_body         (TcHttpCall           *self,
                                             gsize                *length);

/* Seconds in the answer's Retry-After header, delta-seconds or an HTTP
 * date, at most @max_seconds; 0 when absent or unreadable. */
gint64        tc_http_retry_after           (SoupMessage          *message,
                                             gint64                max_seconds);

/* @value without blanks around it and, with @strip_slash (an address),
 * without trailing '/'; @fallback when that leaves nothing. */
char         *tc_http_clean_value           (const char           *value,
                                             const char           *fallback,
                                             gboolean              strip_slash)
                                             G_GNUC_WARN_UNUSED_RESULT;
/* @text with every occurrence of @secret replaced by "[token]", for words
 * from a server that may echo it. */
char         *tc_http_mask_secret           (const char           *text,
                                             const char           *secret)
                                             G_GNUC_WARN_UNUSED_RESULT;
/* Overwrites *@secret with zeros, frees it and sets it to NULL. */
void          tc_http_clear_secret          (char                **secret);

/* A member of a JSON answer of the given kind, or NULL (also for a NULL
 * @object). The string is borrowed from @object. */
const char   *tc_http_member_string         (JsonObject           *object,
                                             const char           *member);
JsonObject   *tc_http_member_object         (JsonObject           *object,
                                             const char           *member);
JsonArray    *tc_http_member_array          (JsonObject           *object,
                                             const char           *member);

G_END_DECLS
