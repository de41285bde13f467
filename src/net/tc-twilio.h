/* tc-twilio.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Twilio provider (SMS, MMS, WhatsApp through Twilio): Programmable
 * Messaging's REST API 2010-04-01.
 *
 *   send     POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json,
 *            form-encoded, Basic auth (AccountSid:AuthToken); From or
 *            MessagingServiceSid, To, Body, MediaUrl, StatusCallback;
 *            WhatsApp as "whatsapp:+…" with ContentSid / ContentVariables
 *   status   GET …/Messages/{Sid}.json
 *   lookup   GET …/Messages.json?To=…&DateSent>=YYYY-MM-DD (then filtered
 *            to the exact time). Twilio stores WhatsApp recipients as
 *            "whatsapp:+…": pass @to that way to look WhatsApp messages up.
 *   inbound  GET …/Messages.json?To={our number}&DateSent>=YYYY-MM-DD,
 *            following next_page_uri (at most 20 pages of 100), keeping
 *            direction "inbound" at or after the time asked for (Twilio
 *            filters by day); with a Messaging Service (no single number)
 *            without To. For inbound polling when no webhook reaches us.
 *   webhooks status callbacks and inbound messages (form fields),
 *            X-Twilio-Signature: HMAC-SHA1 (auth token) over the URL
 *            followed by the sorted POST parameters' names and values,
 *            base64; accepted with or without the default port in the URL;
 *            and for JSON bodies the bodySHA256 query parameter form.
 *
 * Error codes are mapped to a class, an effect and plain words
 * (tc_twilio_describe_error()).
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-provider.h"

G_BEGIN_DECLS

#define TC_TWILIO_DEFAULT_BASE_URL "https://api.twilio.com"
/* How long one request may take, from sending to the last byte of the
 * answer, unless tc_twilio_provider_set_timeout() says otherwise. */
#define TC_TWILIO_DEFAULT_TIMEOUT_MS  30000
/* Webhooks larger than this, or with more fields, are refused as malformed. */
#define TC_TWILIO_MAX_WEBHOOK_BYTES   (64 * 1024)
#define TC_TWILIO_MAX_WEBHOOK_FIELDS  256
/* The largest answer read from the REST API. */
#define TC_TWILIO_MAX_RESPONSE_BYTES  (1024 * 1024)

#define TC_TWILIO_ERROR (tc_twilio_error_quark ())

/**
 * TcTwilioError:
 * @TC_TWILIO_ERROR_INVALID: an argument cannot be sent (a message SID with
 *   characters a SID never has, an Account SID that is not one)
 * @TC_TWILIO_ERROR_AUTH: Twilio refused the Account SID / auth token
 * @TC_TWILIO_ERROR_NOT_FOUND: Twilio has no such message
 * @TC_TWILIO_ERROR_RATE_LIMITED: too many requests; try later
 * @TC_TWILIO_ERROR_SERVER: Twilio answered with a server error
 * @TC_TWILIO_ERROR_NETWORK: Twilio could not be reached, or did not answer in time
 * @TC_TWILIO_ERROR_BAD_RESPONSE: the answer is not what the API sends
 * @TC_TWILIO_ERROR_FAILED: any other refusal
 *
 * Errors of status polling and lookups (a send reports a #TcSendFailure).
 */
typedef enum
{
  TC_TWILIO_ERROR_INVALID,
  TC_TWILIO_ERROR_AUTH,
  TC_TWILIO_ERROR_NOT_FOUND,
  TC_TWILIO_ERROR_RATE_LIMITED,
  TC_TWILIO_ERROR_SERVER,
  TC_TWILIO_ERROR_NETWORK,
  TC_TWILIO_ERROR_BAD_RESPONSE,
  TC_TWILIO_ERROR_FAILED,
} TcTwilioError;

GQuark tc_twilio_error_quark (void);

#define TC_TYPE_TWILIO_PROVIDER (tc_twilio_provider_get_type ())

G_DECLARE_FINAL_TYPE (TcTwilioProvider, tc_twilio_provider, TC, TWILIO_PROVIDER, GObject)

/* @base_url NULL = TC_TWILIO_DEFAULT_BASE_URL. @session from
 * tc_soup_session_new(). Nothing is sent until send_async. */
TcTwilioProvider *tc_twilio_provider_new (SoupSession *session,
                                          const char  *base_url,
                                          const char  *account_sid,
                                          const char  *auth_token);

/* The time one request may take (the "timeout-ms" property), in
 * milliseconds, > 0. A send still unanswered then is ambiguous if its
 * body was written, transient if not. */
void              tc_twilio_provider_set_timeout (TcTwilioProvider *self,
                                                  guint             timeout_ms);
guint             tc_twilio_provider_get_timeout (TcTwilioProvider *self);

/* Fills @failure's class, effect, meaning and action for a Twilio error
 * @code (and @http_status when the code is unknown). */
void              tc_twilio_describe_error (guint          http_status,
                                            const char    *code,
                                            TcSendFailure *failure);

/* The X-Twilio-Signature for @url and the form @params (name → value;
 * NULL for a JSON body), base64. Exposed for tests and the simulator. */
char             *tc_twilio_signature      (const char    *auth_token,
                                            const char    *url,
                                            GHashTable    *params);

G_END_DECLS
