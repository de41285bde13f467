/* tc-twilio.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Twilio provider. Requests run on the caller's main context through
 * the application's SoupSession, each one a TcHttpCall (tc-http-call.h):
 * answers are read in chunks and refused beyond
 * TC_TWILIO_MAX_RESPONSE_BYTES, and each request has its own timeout.
 *
 * Never sending a message twice. A create-message POST must reach Twilio
 * at most once, so nothing in libsoup may send it again on its own. What
 * libsoup 3.2 does, and what this file asks of TcHttpCall about it:
 *   - Restarts. libsoup re-sends a request that failed on a reused
 *     keep-alive connection closed by the server (request_is_restartable()
 *     in http1/soup-client-message-io-http1.c and its HTTP/2 twin), but
 *     only for methods it deems idempotent by name (GET, HEAD, PUT, …):
 *     never a POST. The SOUP_MESSAGE_IDEMPOTENT flag does not change that
 *     test, but it lets the message reuse an idle connection; we never set
 *     it. We also set SOUP_MESSAGE_NEW_CONNECTION — 3.2 already gives a
 *     POST a new connection (soup-connection-manager.c), the flag keeps it
 *     so should that default change: a fresh connection has never been
 *     used, and libsoup restarts nothing on a connection never used.
 *   - Redirects. A 307 / 308 would make libsoup POST again to another
 *     URL: SOUP_MESSAGE_NO_REDIRECT.
 *   - Authentication. A 401 lets SoupAuthManager re-send the message with
 *     credentials (cached ones, or ones a handler of "authenticate" gives):
 *     we write the Basic Authorization header ourselves and disable the
 *     auth manager for our messages.
 *   - HTTP/2 "421 Misdirected Request" and GOAWAY for a stream the server
 *     never processed are re-sent by libsoup; both mean by protocol that
 *     the server did not act on the request, so they cannot duplicate.
 * tests/test-twilio.c checks this against a server that closes keep-alive
 * connections between requests and counts what it receives.
 *
 * Was the request written? A send that fails before any of it went out
 * (connection refused, name lookup, TLS handshake) cannot have reached
 * Twilio: transient, safe to retry. One that fails after (reset, timeout,
 * an unreadable 2xx) may have: ambiguous. The line between the two is
 * SoupMessage::wrote-headers, not ::wrote-body (tc_http_call_get_written();
 * tc-http-call.h says why). A failure half-way through a body is then
 * called ambiguous although it is not: the safe side (the engine looks the
 * message up before deciding).
 */

#define G_LOG_DOMAIN "tc-twilio"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-http-call.h"
#include "tc-twilio.h"

#define API_VERSION        "2010-04-01"
#define LOOKUP_PAGE_SIZE   50
#define LOOKUP_MAX_PAGES   5
#define INBOUND_PAGE_SIZE  100
#define INBOUND_MAX_PAGES  20
#define MAX_RETRY_AFTER    (24 * 60 * 60)
#define WHATSAPP_PREFIX    "whatsapp:"

struct _TcTwilioProvider
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *account_sid;
  char        *auth_token;
  guint        timeout_ms;
};

static void tc_twilio_provider_iface_init (TcProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcTwilioProvider, tc_twilio_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TC_TYPE_PROVIDER, tc_twilio_provider_iface_init))
G_DEFINE_QUARK (tc-twilio-error-quark, tc_twilio_error)

enum {
  PROP_0,
  PROP_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  OPERATION_SEND,
  OPERATION_FETCH,
  OPERATION_LOOKUP,
  OPERATION_INBOUND,
} Operation;

typedef struct
{
  Operation      operation;
  /* The request in flight, or the last one. */
  TcHttpCall    *call;

  /* OPERATION_SEND */
  TcSendFailure *failure;

  /* OPERATION_LOOKUP and OPERATION_INBOUND */
  char          *to;
  gint64         since;
  GPtrArray     *results;   /* TcStatusUpdate / TcInboundMessage */
  guint          pages;
  TcChannel      channel;   /* OPERATION_INBOUND */
} Request;

static void
request_free (Request *req)
{
  g_clear_object (&req->call);
  g_clear_pointer (&req->failure, tc_send_failure_free);
  g_clear_pointer (&req->to, g_free);
  g_clear_pointer (&req->results, g_ptr_array_unref);
  g_free (req);
}

/* ------------------------------------------------------------------------
 * Error codes
 */

typedef struct
{
  const char         *code;
  TcSendFailureClass  klass;
  TcSendEffect        effect;
  const char         *meaning;
  const char         *action;
} ErrorInfo;

#define P TC_SEND_FAILURE_PERMANENT
#define T TC_SEND_FAILURE_TRANSIENT

static const ErrorInfo error_table[] = {
  { "20003", P, TC_SEND_EFFECT_ACCOUNT,
    "Twilio did not accept the Account SID and auth token",
    "Check the Account SID and the auth token in Preferences → Providers (or TEXTCAST_TWILIO_AUTH_TOKEN)" },
  { "20404", P, TC_SEND_EFFECT_ACCOUNT,
    "Twilio does not know this account, message or Messaging Service",
    "Check the Account SID and the Messaging Service SID of this sender" },
  { "20429", T, TC_SEND_EFFECT_NONE,
    "Twilio received too many requests from this account",
    "Nothing to do: Textcast sends again later, more slowly" },
  { "20500", T, TC_SEND_EFFECT_NONE,
    "Twilio had an internal error",
    "Nothing to do: Textcast tries again later" },
  { "20503", T, TC_SEND_EFFECT_NONE,
    "Twilio is temporarily unavailable",
    "Nothing to do: Textcast tries again later" },
  { "21211", P, TC_SEND_EFFECT_INVALID_NUMBER,
    "The recipient's number is not a valid phone number",
    "Correct the contact's phone number (international format, e.g. +14155550100)" },
  { "21212", P, TC_SEND_EFFECT_ACCOUNT,
    "The sender's number is not a valid phone number or sender ID",
    "Correct the sender in Preferences → Providers" },
  { "21408", P, TC_SEND_EFFECT_NONE,
    "This Twilio account may not send to the recipient's country",
    "Enable the country in the Twilio Console (Messaging → Settings → Geo permissions), or leave it out" },
  { "21601", P, TC_SEND_EFFECT_ACCOUNT,
    "The sender's number cannot send text messages",
    "Choose a sender number with SMS capability in Preferences → Providers" },
  { "21602", P, TC_SEND_EFFECT_NONE,
    "The message has no text",
    "Give the message a text, a picture or a template" },
  { "21604", P, TC_SEND_EFFECT_INVALID_NUMBER,
    "The message has no recipient number",
    "Give the contact a phone number" },
  { "21606", P, TC_SEND_EFFECT_ACCOUNT,
    "The sender's number is not a Twilio number that can send text messages to this destination",
    "Choose a sender number with SMS capability for this country in Preferences → Providers" },
  { "21610", P, TC_SEND_EFFECT_OPTED_OUT,
    "The recipient unsubscribed from this sender (replied STOP)",
    "Nothing to send: the contact is recorded as unsubscribed; they can text START to subscribe again" },
  { "21611", T, TC_SEND_EFFECT_NONE,
    "The sender has too many messages waiting at Twilio",
    "Nothing to do: Textcast sends again later; lower the sender's rate if it keeps happening" },
  { "21612", P, TC_SEND_EFFECT_NONE,
    "Twilio cannot send from this sender to this recipient's number",
    "Send to this contact from another sender, or leave them out" },
  { "21614", P, TC_SEND_EFFECT_LANDLINE,
    "The recipient's number is not a mobile number (a landline?) and cannot receive text messages",
    "Leave the contact out of text messages, or ask them for a mobile number" },
  { "21617", P, TC_SEND_EFFECT_NONE,
    "The message is longer than Twilio's limit of 1,600 characters",
    "Shorten the message" },
  { "21620", P, TC_SEND_EFFECT_NONE,
    "Twilio could not use the picture's address",
    "Check that the picture's URL is a public https address of an image" },
  { "21621", P, TC_SEND_EFFECT_NONE,
    "The sender's number cannot send pictures (MMS)",
    "Send without a picture, or from a sender with MMS capability" },
  { "21623", P, TC_SEND_EFFECT_NONE,
    "The message has more pictures than Twilio allows",
    "Send fewer pictures" },
  { "21654", P, TC_SEND_EFFECT_TEMPLATE,
    "Twilio did not accept the content template's SID",
    "Check the WhatsApp template's Content SID" },
  { "21655", P, TC_SEND_EFFECT_TEMPLATE,
    "The content template's SID is not valid",
    "Check the WhatsApp template's Content SID" },
  { "21656", P, TC_SEND_EFFECT_TEMPLATE,
    "The template's variables (ContentVariables) are not valid",
    "Check the template's fields: every variable needs a value" },
  { "21659", P, TC_SEND_EFFECT_ACCOUNT,
    "The sender is not a Twilio number of this account",
    "Choose one of your Twilio numbers as the sender in Preferences → Providers" },
  { "21703", P, TC_SEND_EFFECT_ACCOUNT,
    "The Messaging Service has no sender numbers",
    "Add a sender to the Messaging Service in the Twilio Console" },
  { "21705", P, TC_SEND_EFFECT_ACCOUNT,
    "The Messaging Service SID is not valid",
    "Check the Messaging Service SID in Preferences → Providers" },
  { "30001", T, TC_SEND_EFFECT_NONE,
    "Twilio's queue for this sender overflowed",
    "Nothing to do: Textcast sends again later; lower the sender's rate if it keeps happening" },
  { "30002", P, TC_SEND_EFFECT_ACCOUNT,
    "The Twilio account is suspended",
    "Contact Twilio support about the account" },
  { "30003", P, TC_SEND_EFFECT_NONE,
    "The recipient's phone was unreachable (off or out of coverage)",
    "Try this contact again another day" },
  { "30004", P, TC_SEND_EFFECT_NONE,
    "The message was blocked (the recipient or their carrier blocks messages from this sender)",
    "Do not send again to this contact from this sender" },
  { "30005", P, TC_SEND_EFFECT_INVALID_NUMBER,
    "The recipient's number is unknown to their carrier (it may no longer exist)",
    "Check the contact's phone number" },
  { "30006", P, TC_SEND_EFFECT_LANDLINE,
    "The recipient's number is a landline or its carrier cannot receive text messages",
    "Leave the contact out of text messages, or ask them for a mobile number" },
  { "30007", P, TC_SEND_EFFECT_NONE,
    "The recipient's carrier filtered the message as unwanted",
    "Review the text (links, wording) and the sender's registration (A2P 10DLC, toll-free verification)" },
  { "30008", P, TC_SEND_EFFECT_NONE,
    "The message was not delivered, for a reason the carrier did not give",
    "Try this contact again later; if it keeps happening, ask Twilio support" },
  { "30034", P, TC_SEND_EFFECT_ACCOUNT,
    "The sender's US number is not registered for A2P 10DLC messaging",
    "Register the number's brand and campaign in the Twilio Console" },
  { "63003", P, TC_SEND_EFFECT_NOT_ON_WHATSAPP,
    "The recipient's number is not on WhatsApp",
    "Send to this contact by SMS instead" },
  { "63007", P, TC_SEND_EFFECT_ACCOUNT,
    "Twilio has no WhatsApp sender with this number",
    "Check the WhatsApp sender in Preferences → Providers and in the Twilio Console" },
  { "63016", P, TC_SEND_EFFECT_WINDOW_CLOSED,
    "The contact has not written in the last 24 hours, so WhatsApp only allows an approved template",
    "Send an approved WhatsApp template instead of free text" },
  { "63018", T, TC_SEND_EFFECT_NONE,
    "WhatsApp's rate limit for this sender was reached",
    "Nothing to do: Textcast sends again later, more slowly" },
  { "63024", P, TC_SEND_EFFECT_NOT_ON_WHATSAPP,
    "The recipient is not a valid WhatsApp user",
    "Send to this contact by SMS instead" },
  { "63027", P, TC_SEND_EFFECT_TEMPLATE,
    "The WhatsApp template does not exist in this language",
    "Check the template's name and language, and that WhatsApp approved it" },
  { "63028", P, TC_SEND_EFFECT_TEMPLATE,
    "The number of template variables does not match the WhatsApp template",
    "Check the template's fields against the approved template" },
  { "63049", P, TC_SEND_EFFECT_NONE,
    "WhatsApp chose not to deliver this marketing message",
    "Nothing to do for this contact now; WhatsApp limits marketing messages per person" },
  { "63112", P, TC_SEND_EFFECT_ACCOUNT,
    "Meta disabled the WhatsApp Business Account",
    "Check the account's status in Meta Business Manager" },
};

#undef P
#undef T

static const ErrorInfo *
find_error (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (strcmp (error_table[i].code, code) == 0)
      return &error_table[i];

  return NULL;
}

static void
set_failure_words (TcSendFailure *failure,
                   const char    *meaning,
                   const char    *action)
{
  g_free (failure->meaning);
  failure->meaning = g_strdup (meaning);
  g_free (failure->action);
  failure->action = g_strdup (action);
}

void
tc_twilio_describe_error (guint          http_status,
                          const char    *code,
                          TcSendFailure *failure)
{
  const ErrorInfo *info;
  g_autofree char *meaning = NULL;

  g_return_if_fail (failure != NULL);

  info = find_error (code);
  if (info != NULL)
    {
      failure->klass = info->klass;
      failure->effect = info->effect;
      set_failure_words (failure, info->meaning, info->action);
      return;
    }

  failure->effect = TC_SEND_EFFECT_NONE;
  if (http_status == 429)
    {
      failure->klass = TC_SEND_FAILURE_TRANSIENT;
      set_failure_words (failure, "Twilio received too many requests from this account",
                         "Nothing to do: Textcast sends again later, more slowly");
    }
  else if (http_status >= 500 && http_status <= 599)
    {
      failure->klass = TC_SEND_FAILURE_TRANSIENT;
      meaning = g_strdup_printf ("Twilio had a server error (HTTP %u)", http_status);
      set_failure_words (failure, meaning, "Nothing to do: Textcast tries again later");
    }
  else if (http_status == 401 || http_status == 403)
    {
      failure->klass = TC_SEND_FAILURE_PERMANENT;
      failure->effect = TC_SEND_EFFECT_ACCOUNT;
      meaning = g_strdup_printf ("Twilio refused the credentials (HTTP %u)", http_status);
      set_failure_words (failure, meaning,
                         "Check the Account SID and the auth token in Preferences → Providers");
    }
  else if (http_status == 404)
    {
      failure->klass = TC_SEND_FAILURE_PERMANENT;
      failure->effect = TC_SEND_EFFECT_ACCOUNT;
      set_failure_words (failure, "Twilio has no such account or address (HTTP 404)",
                         "Check the Account SID and the provider's base URL in Preferences → Providers");
    }
  else if (http_status >= 300 && http_status <= 399)
    {
      failure->klass = TC_SEND_FAILURE_PERMANENT;
      failure->effect = TC_SEND_EFFECT_ACCOUNT;
      meaning = g_strdup_printf ("The provider's address answered with a redirect (HTTP %u), not Twilio's API",
                                 http_status);
      set_failure_words (failure, meaning, "Check the provider's base URL in Preferences → Providers");
    }
  else if (code != NULL && code[0] != '\0')
    {
      failure->klass = TC_SEND_FAILURE_PERMANENT;
      if (http_status != 0)
        meaning = g_strdup_printf ("Twilio refused the message with error %s (HTTP %u)", code, http_status);
      else
        meaning = g_strdup_printf ("Twilio reported error %s for the message", code);
      set_failure_words (failure, meaning,
                         "Look the code up at https://www.twilio.com/docs/errors; this message is not sent again");
    }
  else
    {
      failure->klass = TC_SEND_FAILURE_PERMANENT;
      meaning = g_strdup_printf ("Twilio refused the message (HTTP %u)", http_status);
      set_failure_words (failure, meaning, "This message is not sent again; check it and the sender's settings");
    }
}

/* ------------------------------------------------------------------------
 * Small parsers
 */

/* A string or an integer member as text, or NULL. */
static char *
member_dup_code (JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING && json_node_get_string (node)[0] != '\0')
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static const char * const month_names[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* An RFC 2822 date as Twilio writes them ("Thu, 30 Jul 2015 20:12:31 +0000")
 * as unix seconds; 0 when @text is not one. */
static gint64
parse_rfc2822 (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) date = NULL;
  const char *p;
  int day, year, hour, minute, second, n = 0;
  char month[4] = "";
  char zone[7] = "";
  int month_index = -1;
  int offset = 0;

  if (text == NULL)
    return 0;
  p = strchr (text, ',');
  p = p != NULL ? p + 1 : text;

  if (sscanf (p, " %2d %3s %4d %2d:%2d:%2d%n", &day, month, &year, &hour, &minute, &second, &n) != 6)
    return 0;
  p += n;
  while (*p == ' ')
    p++;
  if (sscanf (p, "%6s", zone) != 1)
    g_strlcpy (zone, "+0000", sizeof zone);

  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (g_ascii_strcasecmp (month, month_names[i]) == 0)
      month_index = (int) i + 1;
  if (month_index < 0)
    return 0;

  if (strcmp (zone, "GMT") == 0 || strcmp (zone, "UTC") == 0 || strcmp (zone, "Z") == 0)
    offset = 0;
  else if ((zone[0] == '+' || zone[0] == '-') && strlen (zone) == 5 &&
           g_ascii_isdigit (zone[1]) && g_ascii_isdigit (zone[2]) &&
           g_ascii_isdigit (zone[3]) && g_ascii_isdigit (zone[4]))
    {
      int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
      int minutes = (zone[3] - '0') * 10 + (zone[4] - '0');

      if (hours > 23 || minutes > 59)
        return 0;
      offset = (hours * 3600 + minutes * 60) * (zone[0] == '-' ? -1 : 1);
    }
  else
    return 0;

  utc = g_time_zone_new_utc ();
  date = g_date_time_new (utc, year, month_index, day, hour, minute, second);
  if (date == NULL || year < 1970)
    return 0;

  return g_date_time_to_unix (date) - offset;
}

/* Twilio's delivery statuses → ours. FALSE for "received" / "receiving"
 * (inbound) and words Twilio does not use. */
static gboolean
map_status (const char      *status,
            TcDeliveryState *state)
{
  static const struct { const char *name; TcDeliveryState state; } statuses[] = {
    { "accepted", TC_DELIVERY_QUEUED },
    { "scheduled", TC_DELIVERY_QUEUED },
    { "queued", TC_DELIVERY_QUEUED },
    { "sending", TC_DELIVERY_QUEUED },
    { "sent", TC_DELIVERY_SENT },
    { "delivered", TC_DELIVERY_DELIVERED },
    { "partially_delivered", TC_DELIVERY_DELIVERED },
    { "read", TC_DELIVERY_READ },
    { "undelivered", TC_DELIVERY_UNDELIVERED },
    { "failed", TC_DELIVERY_FAILED },
    { "canceled", TC_DELIVERY_FAILED },
  };

  if (status == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_ascii_strcasecmp (status, statuses[i].name) == 0)
      {
        *state = statuses[i].state;
        return TRUE;
      }

  return FALSE;
}

static void
set_update_error (TcStatusUpdate *update,
                  const char     *code)
{
  g_autoptr(TcSendFailure) failure = NULL;

  if (code == NULL || code[0] == '\0' || strcmp (code, "0") == 0)
    return;

  failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, NULL, NULL);
  tc_twilio_describe_error (0, code, failure);
  update->error_code = g_strdup (code);
  update->error_meaning = g_steal_pointer (&failure->meaning);
}

/* One message resource of the REST API as a status update; NULL when it
 * has no SID or a status Twilio does not use for outbound messages. */
static TcStatusUpdate *
parse_message_resource (JsonObject *object)
{
  TcStatusUpdate *update;
  const char *sid = tc_http_member_string (object, "sid");
  const char *price = tc_http_member_string (object, "price");
  const char *price_unit = tc_http_member_string (object, "price_unit");
  g_autofree char *error_code = NULL;
  TcDeliveryState state;

  if (sid == NULL || sid[0] == '\0' ||
      !map_status (tc_http_member_string (object, "status"), &state))
    return NULL;

  update = g_new0 (TcStatusUpdate, 1);
  update->provider_id = g_strdup (sid);
  update->state = state;
  update->at = parse_rfc2822 (tc_http_member_string (object, "date_updated"));
  if (update->at == 0)
    update->at = parse_rfc2822 (tc_http_member_string (object, "date_sent"));
  if (update->at == 0)
    update->at = parse_rfc2822 (tc_http_member_string (object, "date_created"));

  error_code = member_dup_code (object, "error_code");
  set_update_error (update, error_code);

  /* Twilio gives prices as negative strings ("-0.00790"): money spent. */
  if (price != NULL && price[0] != '\0')
    {
      char *end = NULL;
      double value = g_ascii_strtod (price, &end);

      if (end != NULL && *end == '\0')
        update->price = ABS (value);
    }
  if (price_unit != NULL && price_unit[0] != '\0')
    update->price_currency = g_strdup (price_unit);

  return update;
}

/* ------------------------------------------------------------------------
 * Requests
 */

static char *
account_uri (TcTwilioProvider *self,
             const char       *tail)
{
  return g_strdup_printf ("%s/" API_VERSION "/Accounts/%s/%s", self->base_url, self->account_sid, tail);
}

/* An http(s) URL with a host: what libsoup can send to. */
static gboolean
is_base_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme, *host;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && host[0] != '\0' && g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL;
}

static gboolean
is_sid (const char *sid)
{
  if (sid == NULL || sid[0] == '\0' || strlen (sid) > 64)
    return FALSE;
  for (const char *p = sid; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;

  return TRUE;
}

static void request_done (GTask  *task,
                          GError *transport_error);

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  tc_http_call_send_finish (TC_HTTP_CALL (object), result, &error);
  request_done (task, error);
}

/* Sends @method @uri (with a form @body for a POST) for @task, whose data
 * is a Request. */
static void
start_request (TcTwilioProvider *self,
               GTask            *task,
               const char       *method,
               const char       *uri,
               const char       *form)
{
  Request *req = g_task_get_task_data (task);
  TcHttpCallFlags flags = TC_HTTP_CALL_NO_REDIRECT | TC_HTTP_CALL_OWN_AUTH;

  /* See the top of this file: a create-message request is sent once —
   * on a connection of its own, and never again by libsoup itself (it
   * would re-queue any request once after a 421 Misdirected Request). */
  if (form != NULL)
    flags |= TC_HTTP_CALL_NEW_CONNECTION | TC_HTTP_CALL_BLOCK_RESTART;

  g_clear_object (&req->call);
  req->call = tc_http_call_new (method, uri, flags);
  if (req->call == NULL)
    {
      g_autoptr(GError) error = g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                                             "the Twilio base URL “%s” does not make a valid address; "
                                             "check it in Preferences → Providers",
                                             self->base_url);

      request_done (task, error);
      g_object_unref (task);
      return;
    }

  tc_http_call_set_basic (req->call, self->account_sid, self->auth_token);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      tc_http_call_set_body (req->call, SOUP_FORM_MIME_TYPE_URLENCODED, bytes);
    }

  tc_http_call_send_async (req->call, self->session, self->timeout_ms, TC_TWILIO_MAX_RESPONSE_BYTES,
                           g_task_get_cancellable (task), call_done_cb, task);
}

static Request *
request_new (Operation operation)
{
  Request *req = g_new0 (Request, 1);

  req->operation = operation;

  return req;
}

static JsonObject *
body_object (Request    *req,
             JsonParser *parser)
{
  JsonNode *root;
  gsize length;
  const guint8 *body = tc_http_call_get_body (req->call, &length);

  if (length == 0 || !json_parser_load_from_data (parser, (const char *) body, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_get_object (root);
}

/* --- send --- */

static void
return_failure (GTask         *task,
                TcSendFailure *failure)
{
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->failure, tc_send_failure_free);
  req->failure = failure;
  g_task_return_pointer (task, NULL, NULL);
}

static void
send_transport_failed (GTask  *task,
                       GError *error)
{
  TcTwilioProvider *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  gboolean timed_out = tc_http_call_get_timed_out (req->call);
  gboolean by_caller = !timed_out &&
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_autofree char *meaning = NULL;
  TcSendFailure *failure;

  if (tc_http_call_get_written (req->call))
    {
      if (timed_out)
        meaning = g_strdup_printf ("Twilio did not answer within %u s after the message was sent; "
                                   "it may or may not have been accepted",
                                   (self->timeout_ms + 999) / 1000);
      else if (by_caller)
        meaning = g_strdup ("The send was stopped after the message went to Twilio; "
                            "it may or may not have been accepted");
      else
        meaning = g_strdup_printf ("The connection to Twilio broke after the message was sent (%s); "
                                   "it may or may not have been accepted", error->message);
      failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, meaning,
                                     "Textcast looks the message up at Twilio before deciding; "
                                     "it is not sent again blindly");
    }
  else
    {
      if (timed_out)
        meaning = g_strdup_printf ("Twilio could not be reached within %u s; the message was not sent",
                                   (self->timeout_ms + 999) / 1000);
      else if (by_caller)
        meaning = g_strdup ("The send was stopped before the message went out");
      else
        meaning = g_strdup_printf ("Twilio could not be reached at %s (%s); the message was not sent",
                                   self->base_url, error->message);
      failure = tc_send_failure_new (TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, meaning,
                                     "Nothing to do: Textcast tries again later; check the network "
                                     "connection if this goes on");
    }

  return_failure (task, failure);
}

static void
send_answered (GTask  *task,
               GError *read_error)
{
  Request *req = g_task_get_task_data (task);
  guint http_status = tc_http_call_get_status (req->call);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = read_error == NULL ? body_object (req, parser) : NULL;
  TcSendFailure *failure;

  if (SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      const char *sid = object != NULL ? tc_http_member_string (object, "sid") : NULL;
      const char *status = object != NULL ? tc_http_member_string (object, "status") : NULL;
      g_autofree char *meaning = NULL;
      TcSendReceipt *receipt;

      if (sid == NULL || sid[0] == '\0')
        {
          meaning = g_strdup_printf ("Twilio answered HTTP %u but its answer could not be read%s%s; "
                                     "the message may or may not have been accepted",
                                     http_status,
                                     read_error != NULL ? ": " : "",
                                     read_error != NULL ? read_error->message : "");
          failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, meaning,
                                         "Textcast looks the message up at Twilio before deciding; "
                                         "it is not sent again blindly");
          failure->http_status = http_status;
          return_failure (task, failure);
          return;
        }

      receipt = g_new0 (TcSendReceipt, 1);
      receipt->provider_id = g_strdup (sid);
      receipt->status = g_strdup (status);
      g_task_return_pointer (task, receipt, (GDestroyNotify) tc_send_receipt_free);
      return;
    }

  failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, NULL, NULL);
  failure->http_status = http_status;
  if (object != NULL)
    {
      const char *message = tc_http_member_string (object, "message");

      failure->code = member_dup_code (object, "code");
      if (message != NULL && message[0] != '\0')
        failure->provider_message = g_strdup (message);
    }
  tc_twilio_describe_error (http_status, failure->code, failure);
  if (failure->klass == TC_SEND_FAILURE_TRANSIENT)
    failure->retry_after = tc_http_retry_after (tc_http_call_get_message (req->call), MAX_RETRY_AFTER);

  return_failure (task, failure);
}

/* --- fetch and lookup --- */

static GError *
http_error (guint       http_status,
            JsonObject *object)
{
  const char *message = object != NULL ? tc_http_member_string (object, "message") : NULL;
  g_autofree char *code = object != NULL ? member_dup_code (object, "code") : NULL;
  g_autofree char *detail = NULL;

  if (message != NULL && message[0] != '\0' && code != NULL)
    detail = g_strdup_printf ("%s (error %s, HTTP %u)", message, code, http_status);
  else if (message != NULL && message[0] != '\0')
    detail = g_strdup_printf ("%s (HTTP %u)", message, http_status);
  else
    detail = g_strdup_printf ("HTTP %u", http_status);

  if (g_strcmp0 (code, "20003") == 0 || http_status == 401 || http_status == 403)
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_AUTH,
                        "Twilio did not accept the Account SID and auth token: %s; "
                        "check them in Preferences → Providers", detail);
  if (g_strcmp0 (code, "20404") == 0 || http_status == 404)
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_NOT_FOUND,
                        "Twilio has no such message in this account: %s", detail);
  if (g_strcmp0 (code, "20429") == 0 || http_status == 429)
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_RATE_LIMITED,
                        "Twilio received too many requests; try again in a minute (%s)", detail);
  if (http_status >= 500)
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_SERVER,
                        "Twilio is having trouble (%s); try again later", detail);

  return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_FAILED, "Twilio refused the request: %s", detail);
}

static GError *
query_transport_error (TcTwilioProvider *self,
                       Request          *req,
                       GError           *error)
{
  if (req->call != NULL && tc_http_call_get_timed_out (req->call))
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_NETWORK,
                        "Twilio did not answer within %u s; try again later",
                        (self->timeout_ms + 999) / 1000);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == TC_TWILIO_ERROR)
    return g_error_copy (error);
  if (tc_http_call_get_answered (req->call))
    return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                        "the answer from Twilio could not be read: %s", error->message);

  return g_error_new (TC_TWILIO_ERROR, TC_TWILIO_ERROR_NETWORK,
                      "Twilio could not be reached at %s: %s; check the network connection",
                      self->base_url, error->message);
}

static void
fetch_answered (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  guint http_status = tc_http_call_get_status (req->call);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = body_object (req, parser);
  TcStatusUpdate *update;

  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      g_task_return_error (task, http_error (http_status, object));
      return;
    }
  if (object == NULL)
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                               "Twilio's answer about the message is not a JSON object");
      return;
    }

  update = parse_message_resource (object);
  if (update == NULL)
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                               "Twilio's answer about the message has no SID or an unknown status (“%s”)",
                               tc_http_member_string (object, "status") != NULL ? tc_http_member_string (object, "status") : "");
      return;
    }

  g_task_return_pointer (task, update, (GDestroyNotify) tc_status_update_free);
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const TcStatusUpdate *ua = *(TcStatusUpdate * const *) a;
  const TcStatusUpdate *ub = *(TcStatusUpdate * const *) b;

  return (ua->at < ub->at) - (ua->at > ub->at);
}

static void
lookup_answered (GTask *task)
{
  TcTwilioProvider *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint http_status = tc_http_call_get_status (req->call);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = body_object (req, parser);
  JsonNode *list;
  JsonArray *array;
  g_autofree char *own_list = NULL;
  const char *next;
  gboolean older_seen = FALSE;

  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      g_task_return_error (task, http_error (http_status, object));
      return;
    }
  list = object != NULL ? json_object_get_member (object, "messages") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                               "Twilio's list of messages has no “messages” array");
      return;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      TcStatusUpdate *update;
      gint64 created, sent;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);

      /* A message counts when Twilio created or sent it at or after
       * @since; one without either date cannot be shown to be ours. */
      created = parse_rfc2822 (tc_http_member_string (entry, "date_created"));
      sent = parse_rfc2822 (tc_http_member_string (entry, "date_sent"));
      if (created < req->since && sent < req->since)
        {
          if (created != 0 || sent != 0)
            older_seen = TRUE;
          continue;
        }

      update = parse_message_resource (entry);
      if (update != NULL)
        g_ptr_array_add (req->results, update);
    }

  /* Newest first: a page with an older message is the last one needed.
   * Only a next page of this same list is followed. */
  next = tc_http_member_string (object, "next_page_uri");
  own_list = g_strdup_printf ("/" API_VERSION "/Accounts/%s/Messages.json?", self->account_sid);
  if (!older_seen && next != NULL && g_str_has_prefix (next, own_list) &&
      ++req->pages < LOOKUP_MAX_PAGES)
    {
      g_autofree char *uri = g_strconcat (self->base_url, next, NULL);

      start_request (self, g_object_ref (task), SOUP_METHOD_GET, uri, NULL);
      return;
    }

  g_ptr_array_sort (req->results, compare_newest_first);
  g_task_return_pointer (task, g_ptr_array_ref (req->results), (GDestroyNotify) g_ptr_array_unref);
}

static char *strip_whatsapp (const char *address,
                             gboolean   *whatsapp);

static gint
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  const TcInboundMessage *ma = *(TcInboundMessage * const *) a;
  const TcInboundMessage *mb = *(TcInboundMessage * const *) b;

  return (ma->at > mb->at) - (ma->at < mb->at);
}

/* One message resource of a list as an inbound message of @channel at or
 * after @since; NULL for anything else. *@older says it came in before. */
static TcInboundMessage *
parse_inbound_resource (JsonObject *object,
                        TcChannel   channel,
                        gint64      since,
                        gboolean   *older)
{
  const char *sid = tc_http_member_string (object, "sid");
  const char *direction = tc_http_member_string (object, "direction");
  const char *from = tc_http_member_string (object, "from");
  const char *body = tc_http_member_string (object, "body");
  gboolean whatsapp = FALSE;
  TcInboundMessage *message;
  gint64 at;

  if (g_strcmp0 (direction, "inbound") != 0 || sid == NULL || sid[0] == '\0' ||
      from == NULL || from[0] == '\0')
    return NULL;

  /* Twilio filters by day only: the time is checked here. */
  at = parse_rfc2822 (tc_http_member_string (object, "date_sent"));
  if (at == 0)
    at = parse_rfc2822 (tc_http_member_string (object, "date_created"));
  if (at < since)
    {
      *older = TRUE;
      return NULL;
    }

  message = g_new0 (TcInboundMessage, 1);
  message->from = strip_whatsapp (from, &whatsapp);
  message->channel = whatsapp ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
  if (message->channel != channel)
    {
      tc_inbound_message_free (message);
      return NULL;
    }
  message->provider_id = g_strdup (sid);
  message->to = strip_whatsapp (tc_http_member_string (object, "to"), &whatsapp);
  message->body = g_strdup (body != NULL ? body : "");
  /* A list does not carry the media's address (a subresource): the text
   * is what consent handling reads. */
  message->at = at;

  return message;
}

static void
inbound_answered (GTask *task)
{
  TcTwilioProvider *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint http_status = tc_http_call_get_status (req->call);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = body_object (req, parser);
  JsonNode *list;
  JsonArray *array;
  g_autofree char *own_list = NULL;
  const char *next;
  gboolean older_seen = FALSE;

  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      g_task_return_error (task, http_error (http_status, object));
      return;
    }
  list = object != NULL ? json_object_get_member (object, "messages") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                               "Twilio's list of messages has no “messages” array");
      return;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      TcInboundMessage *message;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      message = parse_inbound_resource (json_node_get_object (node), req->channel, req->since,
                                        &older_seen);
      if (message != NULL)
        g_ptr_array_add (req->results, message);
    }

  /* Newest first: a page with an older message is the last one needed.
   * Only a next page of this same list is followed. */
  next = tc_http_member_string (object, "next_page_uri");
  own_list = g_strdup_printf ("/" API_VERSION "/Accounts/%s/Messages.json?", self->account_sid);
  if (!older_seen && next != NULL && g_str_has_prefix (next, own_list) &&
      ++req->pages < INBOUND_MAX_PAGES)
    {
      g_autofree char *uri = g_strconcat (self->base_url, next, NULL);

      start_request (self, g_object_ref (task), SOUP_METHOD_GET, uri, NULL);
      return;
    }

  g_ptr_array_sort (req->results, compare_oldest_first);
  g_task_return_pointer (task, g_ptr_array_ref (req->results), (GDestroyNotify) g_ptr_array_unref);
}

/* Every request ends here: @transport_error says the exchange did not
 * complete (no answer, or its body could not be read). */
static void
request_done (GTask  *task,
              GError *transport_error)
{
  TcTwilioProvider *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) too_large = NULL;

  /* An answer over TC_TWILIO_MAX_RESPONSE_BYTES is a bad answer from Twilio. */
  if (transport_error != NULL && transport_error->domain == TC_HTTP_CALL_ERROR)
    {
      too_large = g_error_new_literal (TC_TWILIO_ERROR, TC_TWILIO_ERROR_BAD_RESPONSE,
                                       transport_error->message);
      transport_error = too_large;
    }

  switch (req->operation)
    {
    case OPERATION_SEND:
      if (req->call == NULL)
        return_failure (task, tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                                                   transport_error->message,
                                                   "Correct the Twilio settings in Preferences → Providers"));
      else if (transport_error != NULL && !tc_http_call_get_answered (req->call))
        send_transport_failed (task, transport_error);
      else
        send_answered (task, transport_error);
      break;

    case OPERATION_FETCH:
    case OPERATION_LOOKUP:
    case OPERATION_INBOUND:
      if (transport_error != NULL)
        g_task_return_error (task, query_transport_error (self, req, transport_error));
      else if (req->operation == OPERATION_FETCH)
        fetch_answered (task);
      else if (req->operation == OPERATION_LOOKUP)
        lookup_answered (task);
      else
        inbound_answered (task);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------
 * Sending
 */

static void
append_field (GString    *form,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  g_string_append (form, escaped);
}

/* "MG" and 32 hex digits; an alphanumeric sender ID may also begin "MG". */
static gboolean
is_messaging_service_sid (const char *from)
{
  if (!g_str_has_prefix (from, "MG") || strlen (from) != 34)
    return FALSE;
  for (const char *p = from + 2; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return TRUE;
}

static char *
whatsapp_address (const char *address)
{
  if (g_str_has_prefix (address, WHATSAPP_PREFIX))
    return g_strdup (address);

  return g_strconcat (WHATSAPP_PREFIX, address, NULL);
}

static void
tc_twilio_provider_send_async (TcProvider              *provider,
                               const TcOutboundMessage *message,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autofree char *uri = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  gboolean whatsapp = message->channel == TC_CHANNEL_WHATSAPP;
  gboolean has_body = message->body != NULL && message->body[0] != '\0';
  gboolean has_media = message->media_url != NULL && message->media_url[0] != '\0';
  gboolean has_content = message->content_sid != NULL && message->content_sid[0] != '\0';
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_twilio_provider_send_async);
  g_task_set_check_cancellable (task, FALSE);
  req = request_new (OPERATION_SEND);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (!is_base_url (self->base_url))
    {
      g_autofree char *meaning = g_strdup_printf ("The Twilio base URL “%s” is not an http or https address",
                                                  self->base_url);

      return_failure (task, tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, meaning,
                                                 "Correct the base URL in Preferences → Providers "
                                                 "(" TC_TWILIO_DEFAULT_BASE_URL " for Twilio itself)"));
      return;
    }
  if (!is_sid (self->account_sid) || self->auth_token[0] == '\0')
    {
      return_failure (task, tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                                                 self->auth_token[0] == '\0'
                                                   ? "Twilio has no auth token to send with"
                                                   : "The Twilio Account SID is missing or not an Account SID",
                                                 "Set the Account SID (AC…) in Preferences → Providers and the "
                                                 "auth token in the keyring or TEXTCAST_TWILIO_AUTH_TOKEN"));
      return;
    }
  if (message->to == NULL || message->to[0] == '\0' || message->from == NULL || message->from[0] == '\0')
    {
      return_failure (task, tc_send_failure_new (TC_SEND_FAILURE_PERMANENT,
                                                 message->to == NULL || message->to[0] == '\0'
                                                   ? TC_SEND_EFFECT_INVALID_NUMBER : TC_SEND_EFFECT_ACCOUNT,
                                                 message->to == NULL || message->to[0] == '\0'
                                                   ? "The message has no recipient number"
                                                   : "The message has no sender",
                                                 "Give the contact a phone number and the channel a sender"));
      return;
    }
  if (!has_body && !has_media && !has_content)
    {
      return_failure (task, tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
                                                 "The message has no text, picture or template",
                                                 "Give the message a text, a picture or a template"));
      return;
    }

  to = whatsapp ? whatsapp_address (message->to) : g_strdup (message->to);
  append_field (form, "To", to);
  if (is_messaging_service_sid (message->from))
    append_field (form, "MessagingServiceSid", message->from);
  else
    {
      from = whatsapp ? whatsapp_address (message->from) : g_strdup (message->from);
      append_field (form, "From", from);
    }
  if (has_content)
    {
      append_field (form, "ContentSid", message->content_sid);
      append_field (form, "ContentVariables", message->content_variables);
    }
  else
    append_field (form, "Body", message->body);
  append_field (form, "MediaUrl", message->media_url);
  append_field (form, "StatusCallback", message->status_callback);

  uri = account_uri (self, "Messages.json");
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_POST, uri, form->str);
}

static TcSendReceipt *
tc_twilio_provider_send_finish (TcProvider     *provider,
                                GAsyncResult   *result,
                                TcSendFailure **failure)
{
  TcSendReceipt *receipt;
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_twilio_provider_send_async, NULL);

  receipt = g_task_propagate_pointer (G_TASK (result), NULL);
  if (receipt != NULL)
    return receipt;

  req = g_task_get_task_data (G_TASK (result));
  g_assert (req->failure != NULL);
  *failure = g_steal_pointer (&req->failure);

  return NULL;
}

/* ------------------------------------------------------------------------
 * Polling
 */

static void
tc_twilio_provider_fetch_status_async (TcProvider          *provider,
                                       const char          *provider_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *uri = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_twilio_provider_fetch_status_async);
  g_task_set_task_data (task, request_new (OPERATION_FETCH), (GDestroyNotify) request_free);

  if (!is_base_url (self->base_url))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               "the Twilio base URL “%s” is not an http or https address; "
                               "correct it in Preferences → Providers", self->base_url);
      return;
    }
  /* The SID is a path segment: letters and digits only. */
  if (!is_sid (provider_id) || !is_sid (self->account_sid))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               !is_sid (self->account_sid)
                                 ? "the Twilio Account SID is missing or not an Account SID; set it in Preferences → Providers"
                                 : "“%s” is not a Twilio message SID", provider_id);
      return;
    }

  tail = g_strdup_printf ("Messages/%s.json", provider_id);
  uri = account_uri (self, tail);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_GET, uri, NULL);
}

static TcStatusUpdate *
tc_twilio_provider_fetch_status_finish (TcProvider    *provider,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_twilio_provider_fetch_status_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tc_twilio_provider_lookup_async (TcProvider          *provider,
                                 const char          *to,
                                 gint64               since,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *uri = NULL;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_twilio_provider_lookup_async);
  req = request_new (OPERATION_LOOKUP);
  req->to = g_strdup (to);
  req->since = MAX (since, 0);
  req->results = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (!is_base_url (self->base_url))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               "the Twilio base URL “%s” is not an http or https address; "
                               "correct it in Preferences → Providers", self->base_url);
      return;
    }
  if (!is_sid (self->account_sid) || to[0] == '\0')
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               to[0] == '\0'
                                 ? "no recipient number to look messages up by"
                                 : "the Twilio Account SID is missing or not an Account SID; set it in Preferences → Providers");
      return;
    }

  /* By recipient only: Twilio's DateSent filter leaves out messages it
   * accepted but has not sent yet, exactly the ones a reconciliation must
   * find. The list comes newest first; the time is checked on the answer
   * and paging stops at the first older message. */
  escaped = g_uri_escape_string (to, NULL, FALSE);
  tail = g_strdup_printf ("Messages.json?To=%s&PageSize=%d", escaped, LOOKUP_PAGE_SIZE);
  uri = account_uri (self, tail);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_GET, uri, NULL);
}

static GPtrArray *
tc_twilio_provider_lookup_finish (TcProvider    *provider,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_twilio_provider_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tc_twilio_provider_list_inbound_async (TcProvider          *provider,
                                       TcChannel            channel,
                                       const char          *to,
                                       gint64               since,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GString) tail = g_string_new ("Messages.json?");
  g_autofree char *date = NULL;
  g_autofree char *uri = NULL;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_twilio_provider_list_inbound_async);
  req = request_new (OPERATION_INBOUND);
  req->channel = channel;
  req->since = MAX (since, 0);
  req->results = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (!is_base_url (self->base_url))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               "the Twilio base URL “%s” is not an http or https address; "
                               "correct it in Preferences → Providers", self->base_url);
      return;
    }
  if (!is_sid (self->account_sid))
    {
      g_task_return_new_error (task, TC_TWILIO_ERROR, TC_TWILIO_ERROR_INVALID,
                               "the Twilio Account SID is missing or not an Account SID; "
                               "set it in Preferences → Providers");
      return;
    }

  /* To our number (as "whatsapp:+…" for WhatsApp); a Messaging Service
   * has no single number, so everything is listed and only inbound
   * messages kept. Twilio's DateSent filter is by whole (UTC) days. */
  if (to != NULL && to[0] != '\0' && !is_messaging_service_sid (to))
    {
      g_autofree char *address =
        channel == TC_CHANNEL_WHATSAPP ? whatsapp_address (to) : g_strdup (to);
      g_autofree char *escaped = g_uri_escape_string (address, NULL, FALSE);

      g_string_append_printf (tail, "To=%s&", escaped);
    }
  day = g_date_time_new_from_unix_utc (req->since);
  date = day != NULL ? g_date_time_format (day, "%Y-%m-%d") : g_strdup ("1970-01-01");
  g_string_append_printf (tail, "DateSent%%3E=%s&PageSize=%d", date, INBOUND_PAGE_SIZE);

  uri = account_uri (self, tail->str);
  start_request (self, g_steal_pointer (&task), SOUP_METHOD_GET, uri, NULL);
}

static GPtrArray *
tc_twilio_provider_list_inbound_finish (TcProvider    *provider,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == tc_twilio_provider_list_inbound_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static TcProviderPolling
tc_twilio_provider_get_polling (TcProvider *provider)
{
  return TC_PROVIDER_POLLING_STATUS | TC_PROVIDER_POLLING_INBOUND;
}

/* ------------------------------------------------------------------------
 * Webhooks
 */

typedef struct
{
  char *name;
  char *value;
} Field;

static void
field_free (Field *field)
{
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static gint
compare_fields (gconstpointer a,
                gconstpointer b)
{
  const Field *fa = *(Field * const *) a;
  const Field *fb = *(Field * const *) b;
  int cmp = strcmp (fa->name, fb->name);

  return cmp != 0 ? cmp : strcmp (fa->value, fb->value);
}

static char *
form_unescape (const char *text,
               gssize      len)
{
  g_autofree char *plus = g_strndup (text, len);

  for (char *p = plus; *p != '\0'; p++)
    if (*p == '+')
      *p = ' ';

  /* NULL for a bad %-escape or an escaped NUL. */
  return g_uri_unescape_string (plus, NULL);
}

/* Splits form-encoded @data (a body or a query) into @fields. */
static gboolean
parse_form (const char  *data,
            gsize        len,
            GPtrArray   *fields,
            GError     **error)
{
  const char *end = data + len;
  const char *p = data;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      Field *field;

      if (pair_end > p)
        {
          if (fields->len >= TC_TWILIO_MAX_WEBHOOK_FIELDS)
            {
              g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook has more than %d fields", TC_TWILIO_MAX_WEBHOOK_FIELDS);
              return FALSE;
            }

          name = form_unescape (p, (eq != NULL ? eq : pair_end) - p);
          value = eq != NULL ? form_unescape (eq + 1, pair_end - eq - 1) : g_strdup ("");
          if (name == NULL || value == NULL ||
              !g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
            {
              g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                                   "the webhook's form fields are not valid form encoding of UTF-8 text");
              return FALSE;
            }

          field = g_new0 (Field, 1);
          field->name = g_steal_pointer (&name);
          field->value = g_steal_pointer (&value);
          g_ptr_array_add (fields, field);
        }

      p = pair_end + 1;
    }

  return TRUE;
}

/* A flat JSON object's string and number members as fields. */
static gboolean
parse_json_fields (const char  *data,
                   gsize        size,
                   GPtrArray   *fields,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook's JSON body is not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  if (json_object_get_size (object) > TC_TWILIO_MAX_WEBHOOK_FIELDS)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "the webhook has more than %d fields", TC_TWILIO_MAX_WEBHOOK_FIELDS);
      return FALSE;
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      Field *field;
      char *value;

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        continue;

      field = g_new0 (Field, 1);
      field->name = g_strdup (name);
      field->value = value;
      g_ptr_array_add (fields, field);
    }

  return TRUE;
}

static const char *
field_get (GPtrArray  *fields,
           const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const Field *field = g_ptr_array_index (fields, i);

      if (strcmp (field->name, name) == 0)
        return field->value;
    }

  return NULL;
}

/* @url's scheme://authority split at the port: [prefix][:port][rest].
 * FALSE for a URL without "scheme://". */
static gboolean
split_port (const char  *url,
            char       **prefix,
            char       **port,
            const char **rest,
            char       **scheme)
{
  const char *sep = strstr (url, "://");
  const char *authority, *end, *host, *colon = NULL;

  if (sep == NULL || sep == url)
    return FALSE;

  authority = sep + 3;
  end = authority + strcspn (authority, "/?#");
  host = authority;
  for (const char *p = authority; p < end; p++)
    if (*p == '@')
      host = p + 1;
  if (*host == '[')
    {
      const char *bracket = memchr (host, ']', end - host);

      if (bracket != NULL && bracket + 1 < end && bracket[1] == ':')
        colon = bracket + 1;
    }
  else
    colon = memchr (host, ':', end - host);

  *scheme = g_ascii_strdown (url, sep - url);
  *prefix = g_strndup (url, (colon != NULL ? colon : end) - url);
  *port = colon != NULL ? g_strndup (colon + 1, end - colon - 1) : NULL;
  *rest = end;

  return TRUE;
}

/* The URLs a signature may have been made over: @url as it is, without
 * its port, and with the scheme's default port when it has none (Twilio
 * signs the URL it was given, which may or may not spell the port). */
static GPtrArray *
url_variants (const char *url)
{
  GPtrArray *variants = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = NULL;
  g_autofree char *port = NULL;
  g_autofree char *scheme = NULL;
  const char *rest = NULL;

  g_ptr_array_add (variants, g_strdup (url));
  if (!split_port (url, &prefix, &port, &rest, &scheme))
    return variants;

  if (port != NULL)
    g_ptr_array_add (variants, g_strconcat (prefix, rest, NULL));
  else if (strcmp (scheme, "https") == 0)
    g_ptr_array_add (variants, g_strconcat (prefix, ":443", rest, NULL));
  else if (strcmp (scheme, "http") == 0)
    g_ptr_array_add (variants, g_strconcat (prefix, ":80", rest, NULL));

  return variants;
}

static char *
signature_over_fields (const char *auth_token,
                       const char *url,
                       GPtrArray  *sorted_fields)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) auth_token, strlen (auth_token));
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  const Field *previous = NULL;

  g_hmac_update (hmac, (const guchar *) url, strlen (url));
  for (guint i = 0; sorted_fields != NULL && i < sorted_fields->len; i++)
    {
      const Field *field = g_ptr_array_index (sorted_fields, i);

      /* A name with the same value twice is signed once. */
      if (previous != NULL && compare_fields (&previous, &field) == 0)
        continue;
      g_hmac_update (hmac, (const guchar *) field->name, strlen (field->name));
      g_hmac_update (hmac, (const guchar *) field->value, strlen (field->value));
      previous = field;
    }
  g_hmac_get_digest (hmac, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

char *
tc_twilio_signature (const char *auth_token,
                     const char *url,
                     GHashTable *params)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);

  g_return_val_if_fail (auth_token != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (params != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Field *field = g_new0 (Field, 1);

          field->name = g_strdup (key);
          field->value = g_strdup (value != NULL ? value : "");
          g_ptr_array_add (fields, field);
        }
      g_ptr_array_sort (fields, compare_fields);
    }

  return signature_over_fields (auth_token, url, fields);
}

/* The value of @name in @url's query, %-decoded, or NULL. */
static char *
query_param (const char *url,
             const char *name)
{
  const char *query = strchr (url, '?');
  const char *end;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  const char *value;

  if (query == NULL)
    return NULL;
  query++;
  end = query + strcspn (query, "#");
  if (!parse_form (query, end - query, fields, NULL))
    return NULL;
  value = field_get (fields, name);

  return g_strdup (value);
}

static gboolean
signature_valid (TcTwilioProvider       *self,
                 const TcWebhookRequest *request,
                 GPtrArray              *signed_fields,
                 const char             *signature)
{
  g_autoptr(GPtrArray) variants = url_variants (request->url);
  gboolean valid = FALSE;

  if (signed_fields != NULL)
    g_ptr_array_sort (signed_fields, compare_fields);

  /* Every variant is computed and compared, whichever matches. */
  for (guint i = 0; i < variants->len; i++)
    {
      g_autofree char *expected = signature_over_fields (self->auth_token,
                                                         g_ptr_array_index (variants, i),
                                                         signed_fields);

      valid |= tc_provider_secure_equal (expected, signature);
    }

  return valid;
}

static char *
strip_whatsapp (const char *address,
                gboolean   *whatsapp)
{
  if (address == NULL)
    return NULL;
  if (g_str_has_prefix (address, WHATSAPP_PREFIX))
    {
      *whatsapp = TRUE;
      return g_strdup (address + strlen (WHATSAPP_PREFIX));
    }

  return g_strdup (address);
}

static gboolean
tc_twilio_provider_parse_webhook (TcProvider              *provider,
                                  const TcWebhookRequest  *request,
                                  GPtrArray               *statuses,
                                  GPtrArray               *inbound,
                                  char                   **challenge,
                                  GError                 **error)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (provider);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  g_autofree char *body_hash = NULL;
  const char *signature = NULL;
  const char *content_type = NULL;
  const char *sid, *status, *account;
  gboolean is_get;
  gsize size = 0;
  const char *data = NULL;

  if (challenge != NULL)
    *challenge = NULL;

  if (request->method == NULL || request->url == NULL)
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook request has no method or URL");
      return FALSE;
    }
  is_get = g_ascii_strcasecmp (request->method, "GET") == 0;
  if (!is_get && g_ascii_strcasecmp (request->method, "POST") != 0)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "Twilio sends webhooks with POST or GET, not %s", request->method);
      return FALSE;
    }
  if (request->body != NULL)
    data = g_bytes_get_data (request->body, &size);
  if (size > TC_TWILIO_MAX_WEBHOOK_BYTES)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "the webhook's body is larger than %d KiB", TC_TWILIO_MAX_WEBHOOK_BYTES / 1024);
      return FALSE;
    }
  if (strlen (request->url) > TC_TWILIO_MAX_WEBHOOK_BYTES)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "the webhook's URL is longer than %d KiB", TC_TWILIO_MAX_WEBHOOK_BYTES / 1024);
      return FALSE;
    }
  if (request->headers != NULL)
    {
      signature = g_hash_table_lookup (request->headers, "x-twilio-signature");
      content_type = g_hash_table_lookup (request->headers, "content-type");
    }

  /* Verify first: nothing is read from a request that is not Twilio's. */
  if (signature == NULL || signature[0] == '\0' || self->auth_token[0] == '\0')
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           signature == NULL || signature[0] == '\0'
                             ? "the webhook has no X-Twilio-Signature header"
                             : "no Twilio auth token is set to check the webhook's signature with");
      return FALSE;
    }

  body_hash = query_param (request->url, "bodySHA256");
  if (body_hash != NULL)
    {
      /* A JSON (or other raw) body: the signature covers the URL, whose
       * bodySHA256 covers the body. */
      g_autofree char *actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) (data != NULL ? data : ""), size);
      g_autofree char *claimed = g_ascii_strdown (body_hash, -1);
      gboolean hash_ok = tc_provider_secure_equal (actual, claimed);
      gboolean signature_ok = signature_valid (self, request, NULL, signature);

      if (!(hash_ok && signature_ok))
        {
          g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                               "the webhook's X-Twilio-Signature or bodySHA256 does not match: "
                               "it was not sent by Twilio for this account, or was changed on the way");
          return FALSE;
        }
      if (!parse_json_fields (data, size, fields, error))
        return FALSE;
    }
  else
    {
      if (content_type != NULL && g_ascii_strncasecmp (content_type, "application/json", 16) == 0)
        {
          g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                               "the webhook has a JSON body but no bodySHA256 in its URL: its body cannot be verified");
          return FALSE;
        }
      if (is_get)
        {
          const char *query = strchr (request->url, '?');

          if (!signature_valid (self, request, NULL, signature))
            {
              g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                                   "the webhook's X-Twilio-Signature does not match: it was not sent by "
                                   "Twilio for this account, or was changed on the way");
              return FALSE;
            }
          if (query != NULL && !parse_form (query + 1, strcspn (query + 1, "#"), fields, error))
            return FALSE;
        }
      else
        {
          if (data != NULL && !parse_form (data, size, fields, error))
            return FALSE;
          if (!signature_valid (self, request, fields, signature))
            {
              g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                                   "the webhook's X-Twilio-Signature does not match: it was not sent by "
                                   "Twilio for this account, or was changed on the way");
              return FALSE;
            }
        }
    }

  account = field_get (fields, "AccountSid");
  if (account != NULL && strcmp (account, self->account_sid) != 0)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE,
                   "the webhook is for Twilio account %s, not this one", account);
      return FALSE;
    }

  sid = field_get (fields, "MessageSid");
  if (sid == NULL)
    sid = field_get (fields, "SmsMessageSid");
  if (sid == NULL)
    sid = field_get (fields, "SmsSid");
  status = field_get (fields, "MessageStatus");
  if (status == NULL)
    status = field_get (fields, "SmsStatus");

  if (sid == NULL || sid[0] == '\0')
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook has no MessageSid: it is not a Twilio messaging webhook");
      return FALSE;
    }

  if (status != NULL && g_ascii_strcasecmp (status, "received") != 0 &&
      g_ascii_strcasecmp (status, "receiving") != 0)
    {
      TcStatusUpdate *update;
      TcDeliveryState state;

      if (!map_status (status, &state))
        {
          g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                       "the webhook's message status “%s” is not one Twilio sends", status);
          return FALSE;
        }
      update = g_new0 (TcStatusUpdate, 1);
      update->provider_id = g_strdup (sid);
      update->state = state;
      set_update_error (update, field_get (fields, "ErrorCode"));
      g_ptr_array_add (statuses, update);
      return TRUE;
    }
  else
    {
      TcInboundMessage *message;
      const char *from = field_get (fields, "From");
      const char *body = field_get (fields, "Body");
      const char *num_media = field_get (fields, "NumMedia");
      const char *payload = field_get (fields, "ButtonPayload");
      gboolean whatsapp = FALSE;

      if (from == NULL || from[0] == '\0')
        {
          g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                               "the inbound-message webhook has no From number");
          return FALSE;
        }

      message = g_new0 (TcInboundMessage, 1);
      message->provider_id = g_strdup (sid);
      message->from = strip_whatsapp (from, &whatsapp);
      message->to = strip_whatsapp (field_get (fields, "To"), &whatsapp);
      message->channel = whatsapp ? TC_CHANNEL_WHATSAPP : TC_CHANNEL_SMS;
      if ((body == NULL || body[0] == '\0') && field_get (fields, "ButtonText") != NULL)
        body = field_get (fields, "ButtonText");
      message->body = g_strdup (body != NULL ? body : "");
      if (payload != NULL && payload[0] != '\0')
        message->payload = g_strdup (payload);
      if (num_media != NULL && g_ascii_strtoull (num_media, NULL, 10) > 0)
        message->media_url = g_strdup (field_get (fields, "MediaUrl0"));
      g_ptr_array_add (inbound, message);
      return TRUE;
    }
}

/* ------------------------------------------------------------------------
 * The provider
 */

static const char *
tc_twilio_provider_get_name (TcProvider *provider)
{
  return "twilio";
}

static gboolean
tc_twilio_provider_supports (TcProvider *provider,
                             TcChannel   channel)
{
  return channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP;
}

static void
tc_twilio_provider_iface_init (TcProviderInterface *iface)
{
  iface->get_name = tc_twilio_provider_get_name;
  iface->supports = tc_twilio_provider_supports;
  iface->send_async = tc_twilio_provider_send_async;
  iface->send_finish = tc_twilio_provider_send_finish;
  iface->fetch_status_async = tc_twilio_provider_fetch_status_async;
  iface->fetch_status_finish = tc_twilio_provider_fetch_status_finish;
  iface->lookup_async = tc_twilio_provider_lookup_async;
  iface->lookup_finish = tc_twilio_provider_lookup_finish;
  iface->get_polling = tc_twilio_provider_get_polling;
  iface->list_inbound_async = tc_twilio_provider_list_inbound_async;
  iface->list_inbound_finish = tc_twilio_provider_list_inbound_finish;
  iface->parse_webhook = tc_twilio_provider_parse_webhook;
}

static void
tc_twilio_provider_dispose (GObject *object)
{
  TcTwilioProvider *self = (TcTwilioProvider *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_twilio_provider_parent_class)->dispose (object);
}

static void
tc_twilio_provider_finalize (GObject *object)
{
  TcTwilioProvider *self = (TcTwilioProvider *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->account_sid, g_free);
  tc_http_clear_secret (&self->auth_token);

  G_OBJECT_CLASS (tc_twilio_provider_parent_class)->finalize (object);
}

static void
tc_twilio_provider_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_twilio_provider_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TcTwilioProvider *self = TC_TWILIO_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      tc_twilio_provider_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_twilio_provider_class_init (TcTwilioProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_twilio_provider_dispose;
  object_class->finalize = tc_twilio_provider_finalize;
  object_class->get_property = tc_twilio_provider_get_property;
  object_class->set_property = tc_twilio_provider_set_property;

  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT, TC_TWILIO_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_twilio_provider_init (TcTwilioProvider *self)
{
  self->timeout_ms = TC_TWILIO_DEFAULT_TIMEOUT_MS;
}

TcTwilioProvider *
tc_twilio_provider_new (SoupSession *session,
                        const char  *base_url,
                        const char  *account_sid,
                        const char  *auth_token)
{
  TcTwilioProvider *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (TC_TYPE_TWILIO_PROVIDER, NULL);
  self->session = g_object_ref (session);
  self->base_url = tc_http_clean_value (base_url, TC_TWILIO_DEFAULT_BASE_URL, TRUE);
  self->account_sid = tc_http_clean_value (account_sid, "", FALSE);
  self->auth_token = tc_http_clean_value (auth_token, "", FALSE);

  return self;
}

void
tc_twilio_provider_set_timeout (TcTwilioProvider *self,
                                guint             timeout_ms)
{
  g_return_if_fail (TC_IS_TWILIO_PROVIDER (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

guint
tc_twilio_provider_get_timeout (TcTwilioProvider *self)
{
  g_return_val_if_fail (TC_IS_TWILIO_PROVIDER (self), 0);

  return self->timeout_ms;
}
