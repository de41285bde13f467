/* tc-whatsapp-cloud.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Meta WhatsApp Cloud API provider.
 *
 * Sending. One POST {base}/{version}/{phone-number-id}/messages per
 * message, its JSON built with json-glib, the token in a Bearer header
 * and nowhere else (Meta's words are masked should they echo it). The
 * answer is read in chunks and refused beyond 1 MiB by TcHttpCall, as the
 * template client's (tc-wa-templates-client.c).
 *
 * Never twice. libsoup 3.2 has four ways of sending a request again by
 * itself, and each is closed here (the flags of tc-http-call.h):
 *   - a request that fails on a reused keep-alive connection the server
 *     has closed is restarted only when its *method* is idempotent
 *     (request_is_restartable() checks SOUP_METHOD_IS_IDEMPOTENT, GET /
 *     HEAD / PUT / DELETE / …, never POST); and a POST without
 *     SOUP_MESSAGE_IDEMPOTENT is never put on an idle connection at all
 *     (soup_connection_manager_get_connection_locked: need_new_connection):
 *     each send has a connection of its own, so that race cannot happen.
 *     We never set SOUP_MESSAGE_IDEMPOTENT;
 *   - redirects (a POST answered 301 / 302 / 303 is followed as a GET):
 *     SOUP_MESSAGE_NO_REDIRECT;
 *   - a 401 with credentials from the auth manager: the feature is
 *     disabled on the message (the token is in our own header);
 *   - a 421 Misdirected Request is re-queued once whatever the method
 *     (misdirected_handler). Nothing turns that off, so every message has a
 *     guard: any "restarted" signal cancels the send before the second
 *     attempt connects, and the first answer decides the outcome.
 * test-whatsapp-cloud.c checks each with a server that counts requests.
 *
 * Outcomes. 2xx with messages[0].id: the receipt. A Graph error object:
 * classified by its code (tc_whatsapp_describe_error()), else by the HTTP
 * status. No answer: transient when the request's headers were never
 * written (so its body cannot have reached Meta: refused, unreachable, a
 * reset or timeout while connecting), ambiguous once they were (a timeout
 * or reset after writing); a 2xx that cannot be read is ambiguous.
 *
 * Webhooks. The GET verification answers hub.challenge when hub.mode is
 * "subscribe" and hub.verify_token equals ours (compared in constant time).
 * A POST must carry X-Hub-Signature-256, HMAC-SHA256 of the raw bytes with
 * the app secret, checked before anything is parsed; bodies over 1 MiB or
 * nested deeper than 64 levels are refused before json-glib sees them (its
 * parser recurses). Meta has no timestamp in the signature: a replayed
 * body verifies, and the engine is idempotent on (message id, status).
 *
 * Phone-number ids: a WhatsApp Business Account's webhook carries the
 * changes of all its numbers, and one POST may batch several. Changes for
 * other numbers are skipped; the request is TC_WEBHOOK_ERROR_NOT_MINE only
 * when it names phone-number ids and none of them is ours. Changes without
 * one (account or template updates) are not errors; they carry nothing
 * this parser reports.
 */

#define G_LOG_DOMAIN "tc-whatsapp-cloud"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-http-call.h"
#include "tc-soup.h"
#include "tc-whatsapp-cloud.h"

#define MAX_RESPONSE_BYTES   (1024 * 1024)
#define MAX_WEBHOOK_BYTES    (1024 * 1024)
#define MAX_JSON_DEPTH       64
#define MAX_TEXT_CHARS       4096
#define MAX_CAPTION_CHARS    1024
#define MAX_CHALLENGE_CHARS  256
#define MAX_TYPE_CHARS       32

/* Not among libsoup 3.2's SoupStatus names. */
#define HTTP_TOO_MANY_REQUESTS 429

struct _TcWhatsappProvider
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *api_version;
  char        *phone_number_id;
  char        *access_token;
  char        *app_secret;
  char        *verify_token;
};

static void provider_iface_init (TcProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcWhatsappProvider, tc_whatsapp_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TC_TYPE_PROVIDER, provider_iface_init))

typedef struct
{
  TcSendReceipt *receipt;
  TcSendFailure *failure;
} SendOutcome;

typedef struct
{
  TcHttpCall   *call;
  char         *token;               /* for masking Meta's words */
} SendData;

/* ------------------------------------------------------------------------
 * Error codes
 */

typedef struct
{
  gint64              code;
  TcSendFailureClass  klass;
  TcSendEffect        effect;
  const char         *meaning;
  const char         *action;
} ErrorInfo;

/* Meta's codes (Graph API and WhatsApp Cloud API error codes). */
static const ErrorInfo error_table[] = {
  { 0, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "Meta could not authenticate Textcast: the access token is not valid or has expired.",
    "Create a new access token in Meta's Business Manager (a system-user token does not expire) and enter it in Preferences → Providers." },
  { 4, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "The app made too many calls to Meta's API in a short time.",
    "Nothing to do: Textcast sends again later, more slowly." },
  { 10, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The access token does not have the permission to send WhatsApp messages.",
    "Give the token's system user the whatsapp_business_messaging permission for this WhatsApp Business Account, then try again." },
  { 100, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta refused a parameter of the message (a wrong phone-number id, or a value it does not accept).",
    "Check the phone-number id in Preferences → Providers and the message's content; Meta's own words are shown with this error." },
  { 190, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The access token has expired or was revoked.",
    "Create a new access token in Meta's Business Manager and enter it in Preferences → Providers." },
  { 200, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The access token is not allowed to use this WhatsApp Business Account or phone number.",
    "Give the token's system user access to the WhatsApp Business Account and its phone number in Meta's Business Manager." },
  { 368, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "Meta has temporarily blocked this account for breaking its policies.",
    "Read the notice in WhatsApp Manager and follow its steps; sending stays stopped until Meta lifts the block." },
  { 80007, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "The WhatsApp Business Account has reached its limit of API calls.",
    "Nothing to do: Textcast sends again later, more slowly." },
  { 130429, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "Meta's limit of messages per second for this phone number was reached.",
    "Nothing to do: Textcast sends again later; lower the sender's rate if this happens often." },
  { 130472, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta did not send the message because the recipient is part of a WhatsApp experiment that holds back marketing messages.",
    "Nothing to do for this message; the recipient can be reached with a utility message or later." },
  { 131000, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "Meta could not send the message because of an error on its side.",
    "Nothing to do: Textcast tries again later." },
  { 131005, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "Meta denied access: the token lacks a permission this message needs.",
    "Check the token's permissions (whatsapp_business_messaging) in Meta's Business Manager." },
  { 131008, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "The message lacks a value Meta requires.",
    "Check the message's text, media link or template values; Meta's own words name the missing value." },
  { 131009, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "A value in the message is not valid for Meta (for example a phone number that is not a valid WhatsApp number).",
    "Check the recipient's number and the message's values; Meta's own words name the value." },
  { 131016, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "Meta's WhatsApp service is unavailable or overloaded.",
    "Nothing to do: Textcast tries again later." },
  { 131021, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER,
    "The recipient is the sending phone number itself.",
    "Send to another number; a WhatsApp number cannot message itself." },
  { 131026, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP,
    "The message could not be delivered: the number is not on WhatsApp, has not accepted WhatsApp's terms, or uses an old version of WhatsApp.",
    "Reach this contact by SMS instead, or ask them to update WhatsApp." },
  { 131031, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The WhatsApp Business Account is locked (a policy violation or a failed data check).",
    "Open WhatsApp Manager to see why and how to appeal; sending stays stopped until it is unlocked." },
  { 131042, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "Meta refused the message because of a payment problem on the WhatsApp Business Account.",
    "Check the payment method and credit line in Meta's Business Manager, then resume sending." },
  { 131045, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The sending phone number is not registered with the Cloud API (or its certificate is wrong).",
    "Register the phone number in WhatsApp Manager, then try again." },
  { 131047, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_WINDOW_CLOSED,
    "More than 24 hours have passed since the recipient last wrote: free-form messages are not allowed.",
    "Send an approved template instead." },
  { 131048, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_ACCOUNT,
    "Meta limits how many messages this phone number may send, because too many earlier messages were blocked or reported as spam.",
    "Check the number's quality rating in WhatsApp Manager and send fewer, more wanted messages; Textcast holds this sender back." },
  { 131049, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta did not deliver this marketing message: the recipient has received as many marketing messages as Meta allows for now.",
    "Do not send it again right away; try this recipient again in a day or more." },
  { 131050, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT,
    "The recipient has stopped receiving marketing messages from this business on WhatsApp.",
    "Nothing to do: Textcast records the opt-out and sends this person no more marketing messages." },
  { 131051, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta does not support this type of message.",
    "Send text, an image or a template instead." },
  { 131052, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta could not download the media of the message.",
    "Check that the media link is public and points to a supported file." },
  { 131053, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta could not upload the media of the message (unreachable link, unsupported type or too large).",
    "Use a public https link to a JPEG or PNG picture of at most 5 MB." },
  { 131056, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "Too many messages were sent to this recipient in a short time.",
    "Nothing to do: Textcast sends to this recipient again later." },
  { 131057, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
    "The WhatsApp Business Account is in maintenance mode.",
    "Nothing to do: Textcast tries again later." },
  { 132000, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "The number of template values does not match the template's parameters.",
    "Check the template's variables against the version Meta approved, and refresh the template." },
  { 132001, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "Meta has no approved template with this name in this language.",
    "Check the template's name and language, submit it, and send once Meta has approved it." },
  { 132005, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "The template text is too long once the values are filled in.",
    "Shorten the values (or the template) so the text stays within Meta's limit." },
  { 132007, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "A template value breaks Meta's formatting rules (for example new lines, tabs or more than four spaces in a row).",
    "Remove new lines, tabs and runs of spaces from the values." },
  { 132012, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "A template value is not of the kind the template expects (for example text where a picture is needed).",
    "Check the template's header and values against the version Meta approved." },
  { 132015, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "Meta has paused this template because of poor feedback from recipients.",
    "Edit the template and submit it again, or use another template." },
  { 132016, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE,
    "Meta has disabled this template for good because of poor feedback.",
    "Create a new template and submit it." },
  { 133010, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
    "The sending phone number is not registered on WhatsApp.",
    "Register the phone number in WhatsApp Manager, then try again." },
  { 135000, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
    "Meta refused the message for an unknown reason in the request.",
    "Check the message's values; if it keeps happening, contact Meta's support with the trace id." },
};

static const ErrorInfo *
lookup_error (const char *code)
{
  gint64 value;

  if (code == NULL || !g_ascii_string_to_signed (code, 10, 0, G_MAXINT64, &value, NULL))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].code == value)
      return &error_table[i];

  /* 200-299 are all "permission" errors in the Graph API. */
  if (value > 200 && value < 300)
    return lookup_error ("200");

  return NULL;
}

static void
set_failure_words (TcSendFailure      *failure,
                   TcSendFailureClass  klass,
                   TcSendEffect        effect,
                   const char         *meaning,
                   const char         *action)
{
  failure->klass = klass;
  failure->effect = effect;
  g_free (failure->meaning);
  failure->meaning = g_strdup (meaning);
  g_free (failure->action);
  failure->action = g_strdup (action);
}

/**
 * tc_whatsapp_describe_error:
 * @http_status: the HTTP status, 0 when there was no answer
 * @code: (nullable): Meta's error code ("131026"), or %NULL
 * @failure: the failure to fill
 *
 * Fills @failure's class, effect, meaning and action for Meta's error
 * @code, falling back on @http_status when the code is unknown; sets its
 * http_status and code too. retry_after and provider_message are left as
 * they are.
 */
void
tc_whatsapp_describe_error (guint          http_status,
                            const char    *code,
                            TcSendFailure *failure)
{
  const ErrorInfo *info;

  g_return_if_fail (failure != NULL);

  failure->http_status = http_status;
  if (failure->code != code)
    {
      g_free (failure->code);
      failure->code = g_strdup (code);
    }

  info = lookup_error (code);
  if (info != NULL)
    set_failure_words (failure, info->klass, info->effect, info->meaning, info->action);
  else if (http_status == HTTP_TOO_MANY_REQUESTS)
    set_failure_words (failure, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
                       "Meta received too many requests and asked Textcast to wait.",
                       "Nothing to do: Textcast sends again later.");
  else if (http_status >= 500)
    set_failure_words (failure, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
                       "Meta's server had a problem and did not take the message.",
                       "Nothing to do: Textcast tries again later.");
  else if (http_status == SOUP_STATUS_REQUEST_TIMEOUT || http_status == SOUP_STATUS_MISDIRECTED_REQUEST)
    set_failure_words (failure, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE,
                       "Meta's server did not process the request.",
                       "Nothing to do: Textcast tries again later.");
  else if (http_status == SOUP_STATUS_UNAUTHORIZED)
    set_failure_words (failure, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                       "Meta did not accept the access token.",
                       "Create a new access token in Meta's Business Manager and enter it in Preferences → Providers.");
  else if (http_status == SOUP_STATUS_FORBIDDEN)
    set_failure_words (failure, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                       "Meta refused to let this account send the message.",
                       "Check the token's permissions and the phone number's status in WhatsApp Manager.");
  else if (http_status == SOUP_STATUS_NOT_FOUND)
    set_failure_words (failure, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                       "Meta's API has no such phone number or address.",
                       "Check the phone-number id, the API version and the API address in Preferences → Providers.");
  else if (http_status >= 300 && http_status < 400)
    set_failure_words (failure, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                       "The WhatsApp API address redirects elsewhere; Textcast does not follow it with a message.",
                       "Check the API address in Preferences → Providers.");
  else if (http_status >= 400)
    set_failure_words (failure, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
                       "Meta refused the message.",
                       "Check the message and Meta's own words shown with this error.");
  else
    set_failure_words (failure, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE,
                       "Meta's answer does not say whether it took the message.",
                       "Check WhatsApp Manager or the recipient before sending it again.");
}

char *
tc_whatsapp_signature (const char *app_secret,
                       GBytes     *body)
{
  g_autoptr(GBytes) key = NULL;
  g_autofree char *hex = NULL;

  g_return_val_if_fail (app_secret != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  key = g_bytes_new_static (app_secret, strlen (app_secret));
  hex = g_compute_hmac_for_bytes (G_CHECKSUM_SHA256, key, body);

  return g_strconcat ("sha256=", hex, NULL);
}

/* ------------------------------------------------------------------------
 * Helpers
 */






/* A code or a timestamp: Meta sends numbers, or numbers in strings.
 * Returns a new string of digits, or NULL. */
static char *
member_number_text (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  if (text[0] == '\0' || strlen (text) > 20)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(p == text && *p == '-'))
      return NULL;

  return g_strdup (text);
}

static gint64
member_time (JsonObject *object,
             const char *member)
{
  g_autofree char *text = member_number_text (object, member);
  gint64 value = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return 0;

  return value;
}

static gboolean
all_digits (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* What json-glib 1.6 does not check itself: nesting (its parser recurses,
 * so deep nesting could exhaust the stack) and a second value after the
 * first ("{…}{…}" or "1 […]" load without an error, and the value that
 * is dropped leaks). Strings are skipped, escapes included; the rest of
 * the syntax is left to json-glib. */
static gboolean
check_json_shape (const char  *data,
                  gsize        length,
                  GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE, seen_value = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        continue;

      if (depth == 0 && seen_value && (c == '[' || c == '{' || c == '"'))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "the JSON holds more than one value");
          return FALSE;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the JSON is nested deeper than %u levels", MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;

      /* A container that closed, a string that opened or a scalar's
       * character at the top: the first value has begun. */
      if (depth == 0)
        seen_value = TRUE;
    }

  return TRUE;
}

/* Parses @data as JSON with the size and shape bounds. */
static JsonNode *
parse_bounded (const char  *data,
               gsize        length,
               gsize        max_bytes,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;

  if (length > max_bytes)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "the JSON is larger than %u KiB", (guint) (max_bytes / 1024));
      return NULL;
    }
  if (!check_json_shape (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  return json_parser_steal_root (parser);
}

/* ------------------------------------------------------------------------
 * Sending
 */

static void
send_outcome_free (SendOutcome *outcome)
{
  tc_send_receipt_free (outcome->receipt);
  tc_send_failure_free (outcome->failure);
  g_free (outcome);
}

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->call);
  tc_http_clear_secret (&data->token);
  g_free (data);
}

static void
return_failure (GTask         *task,
                TcSendFailure *failure)
{
  SendOutcome *outcome = g_new0 (SendOutcome, 1);

  outcome->failure = failure;
  g_task_return_pointer (task, outcome, (GDestroyNotify) send_outcome_free);
}

static void
return_new_failure (GTask              *task,
                    TcSendFailureClass  klass,
                    TcSendEffect        effect,
                    const char         *meaning,
                    const char         *action)
{
  return_failure (task, tc_send_failure_new (klass, effect, meaning, action));
}

/* No answer (or one that stopped): transient when the request's headers
 * were never written, ambiguous once they were. */
static void
return_network_failure (GTask        *task,
                        const GError *error)
{
  SendData *data = g_task_get_task_data (task);
  TcSendFailure *failure;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gboolean timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  if (!tc_http_call_get_written (data->call))
    {
      g_autofree char *meaning = NULL;

      if (cancelled)
        meaning = g_strdup ("The send was stopped before the message was sent to Meta.");
      else
        meaning = g_strdup_printf ("Textcast could not reach Meta's API (%s); the message was not sent.",
                                   error->message);
      failure = tc_send_failure_new (TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, meaning,
                                     "Check the internet connection; Textcast tries again later.");
    }
  else
    {
      g_autofree char *meaning = NULL;

      if (cancelled)
        meaning = g_strdup ("The send was stopped after the message had gone to Meta, before Meta answered.");
      else if (timed_out)
        meaning = g_strdup ("Meta did not answer in time after the message was sent: it may or may not have been taken.");
      /* Too large as announced by Content-Length (TcHttpCall), or by libsoup itself. */
      else if (g_error_matches (error, TC_HTTP_CALL_ERROR,
                                TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        meaning = g_strdup_printf ("Meta's answer could not be read (%s): the message may or may not have been sent.",
                                   error->message);
      else
        meaning = g_strdup_printf ("The connection to Meta failed after the message was sent (%s): "
                                   "it may or may not have been taken.", error->message);
      failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, meaning,
                                     "Check with the recipient or in WhatsApp Manager before sending it again.");
    }

  failure->provider_message = g_strdup (error->message);
  return_failure (task, failure);
}

/* Turns the answer into the outcome: its status, and @body (@length
 * bytes, none when it could not be read whole). */
static void
finish_send (GTask        *task,
             const guint8 *body,
             gsize         length)
{
  SendData *data = g_task_get_task_data (task);
  guint status = tc_http_call_get_status (data->call);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  JsonObject *object = NULL;
  JsonObject *graph_error;

  if (length > 0)
    root = parse_bounded ((const char *) body, length, MAX_RESPONSE_BYTES, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      JsonArray *messages = tc_http_member_array (object, "messages");
      JsonNode *first = messages != NULL && json_array_get_length (messages) > 0
                        ? json_array_get_element (messages, 0) : NULL;
      JsonObject *entry = first != NULL && JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
      const char *id = tc_http_member_string (entry, "id");
      TcSendReceipt *receipt;
      SendOutcome *outcome;

      if (id == NULL || id[0] == '\0')
        {
          failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE,
                                         "Meta answered that it took the request, but its answer has no message id: "
                                         "the message may or may not have been sent.",
                                         "Check with the recipient or in WhatsApp Manager before sending it again.");
          failure->http_status = status;
          return_failure (task, g_steal_pointer (&failure));
          return;
        }

      receipt = g_new0 (TcSendReceipt, 1);
      receipt->provider_id = g_strdup (id);
      receipt->status = g_strdup (tc_http_member_string (entry, "message_status"));
      outcome = g_new0 (SendOutcome, 1);
      outcome->receipt = receipt;
      g_task_return_pointer (task, outcome, (GDestroyNotify) send_outcome_free);
      return;
    }

  failure = g_new0 (TcSendFailure, 1);
  graph_error = tc_http_member_object (object, "error");
  if (graph_error != NULL)
    {
      g_autofree char *code = member_number_text (graph_error, "code");
      g_autofree char *subcode = member_number_text (graph_error, "error_subcode");
      const char *message = tc_http_member_string (graph_error, "message");
      const char *details = tc_http_member_string (tc_http_member_object (graph_error, "error_data"),
                                                   "details");
      const char *trace = tc_http_member_string (graph_error, "fbtrace_id");
      g_autoptr(GString) words = g_string_new (NULL);

      tc_whatsapp_describe_error (status, code, failure);

      if (message != NULL && message[0] != '\0')
        g_string_append (words, message);
      if (details != NULL && details[0] != '\0' && g_strcmp0 (details, message) != 0)
        g_string_append_printf (words, "%s%s", words->len > 0 ? ": " : "", details);
      if (subcode != NULL)
        g_string_append_printf (words, "%s(subcode %s)", words->len > 0 ? " " : "", subcode);
      if (trace != NULL && trace[0] != '\0')
        g_string_append_printf (words, "%s(trace %s)", words->len > 0 ? " " : "", trace);
      if (words->len > 0)
        failure->provider_message = tc_http_mask_secret (words->str, data->token);
    }
  else
    tc_whatsapp_describe_error (status, NULL, failure);

  failure->retry_after = tc_http_retry_after (tc_http_call_get_message (data->call), G_MAXINT32);
  return_failure (task, g_steal_pointer (&failure));
}

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHttpCall *call = TC_HTTP_CALL (object);
  g_autoptr(GError) error = NULL;
  const guint8 *body;
  gsize length;

  if (tc_http_call_send_finish (call, result, &error))
    {
      body = tc_http_call_get_body (call, &length);
      finish_send (task, body, length);
      return;
    }

  if (g_error_matches (error, TC_HTTP_CALL_ERROR, TC_HTTP_CALL_ERROR_RESEND_BLOCKED))
    {
      /* libsoup wanted to send the message a second time (see the top of
       * this file); the first answer decides. */
      g_autoptr(TcSendFailure) failure = g_new0 (TcSendFailure, 1);

      tc_whatsapp_describe_error (tc_http_call_get_first_status (call), NULL, failure);
      failure->provider_message = g_strdup_printf ("HTTP %u; Textcast did not let the request be sent again",
                                                   tc_http_call_get_first_status (call));
      return_failure (task, g_steal_pointer (&failure));
      return;
    }

  if (!tc_http_call_get_answered (call))
    {
      return_network_failure (task, error);
      return;
    }

  /* An answer we cannot read whole: a 2xx may have taken the message;
   * anything else is judged by its status alone. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (tc_http_call_get_status (call)))
    finish_send (task, NULL, 0);
  else if (g_error_matches (error, TC_HTTP_CALL_ERROR, TC_HTTP_CALL_ERROR_ANNOUNCED_TOO_LARGE))
    return_network_failure (task, error);
  else
    {
      g_autoptr(TcSendFailure) failure = NULL;

      failure = tc_send_failure_new (TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE,
                                     "Meta's answer could not be read: the message may or may not have been sent.",
                                     "Check with the recipient or in WhatsApp Manager before sending it again.");
      failure->http_status = tc_http_call_get_status (call);
      if (!g_error_matches (error, TC_HTTP_CALL_ERROR, TC_HTTP_CALL_ERROR_TOO_LARGE))
        failure->provider_message = g_strdup (error->message);
      return_failure (task, g_steal_pointer (&failure));
    }
}

/* "+16505551234" → "16505551234"; NULL unless E.164-like (6 to 15 digits). */
static char *
recipient_digits (const char *to)
{
  const char *digits;
  gsize len;

  if (to == NULL)
    return NULL;
  digits = to[0] == '+' ? to + 1 : to;
  len = strlen (digits);
  if (len < 6 || len > 15 || !all_digits (digits))
    return NULL;

  return g_strdup (digits);
}

static gboolean
is_web_address (const char *url)
{
  const char *scheme = url != NULL ? g_uri_peek_scheme (url) : NULL;

  return (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0) &&
         g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
}

/* The "template" object from @json: the object itself, or the "template"
 * member of a whole send request (tc_wa_template_build_send_request()). */
static JsonNode *
template_object (const char  *json,
                 GError     **error)
{
  g_autoptr(JsonNode) root = parse_bounded (json, strlen (json), MAX_RESPONSE_BYTES, error);
  JsonObject *object;
  JsonObject *inner;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "it is not a JSON object");
      return NULL;
    }

  object = json_node_get_object (root);
  inner = tc_http_member_object (object, "template");
  if (inner != NULL)
    object = inner;

  if (tc_http_member_string (object, "name") == NULL ||
      tc_http_member_object (object, "language") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "it has no template name or language");
      return NULL;
    }

  return json_node_init_object (json_node_alloc (), object);
}

static gboolean
has_web_link (const char *text)
{
  return strstr (text, "https://") != NULL || strstr (text, "http://") != NULL;
}

/* The JSON of the request, or NULL with *@failure set. */
static char *
build_request (const TcOutboundMessage  *message,
               TcSendFailure           **failure)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) template = NULL;
  g_autofree char *to = NULL;
  const char *body = message->body != NULL ? message->body : "";

  if (message->channel != TC_CHANNEL_WHATSAPP)
    {
      *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
                                      "The WhatsApp Cloud API sends WhatsApp messages only.",
                                      "Send SMS through Twilio or the simulator.");
      return NULL;
    }

  to = recipient_digits (message->to);
  if (to == NULL)
    {
      g_autofree char *meaning = g_strdup_printf ("“%s” is not a phone number in international format.",
                                                  message->to != NULL ? message->to : "");

      *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER, meaning,
                                      "Correct the contact's number (for example +16505551234).");
      return NULL;
    }

  if (message->wa_template_json != NULL)
    {
      g_autoptr(GError) error = NULL;

      template = template_object (message->wa_template_json, &error);
      if (template == NULL)
        {
          g_autofree char *meaning = g_strdup_printf ("The template message could not be built: %s.",
                                                      error->message);

          *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE, meaning,
                                          "Check the template's values and send it again.");
          return NULL;
        }
    }
  else if (message->media_url != NULL)
    {
      if (!is_web_address (message->media_url))
        {
          g_autofree char *meaning = g_strdup_printf ("“%s” is not a web address for the picture.",
                                                      message->media_url);

          *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, meaning,
                                          "Use a public https link to a JPEG or PNG picture.");
          return NULL;
        }
      if (g_utf8_strlen (body, -1) > MAX_CAPTION_CHARS)
        {
          g_autofree char *meaning = g_strdup_printf ("The picture's caption is %ld characters; WhatsApp allows %d.",
                                                      g_utf8_strlen (body, -1), MAX_CAPTION_CHARS);

          *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, meaning,
                                          "Shorten the text sent with the picture.");
          return NULL;
        }
    }
  else if (body[0] == '\0')
    {
      *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE,
                                      "The message has no text, picture or template.",
                                      "Write the message's text or choose a template.");
      return NULL;
    }
  else if (g_utf8_strlen (body, -1) > MAX_TEXT_CHARS)
    {
      g_autofree char *meaning = g_strdup_printf ("The text is %ld characters; WhatsApp allows %d.",
                                                  g_utf8_strlen (body, -1), MAX_TEXT_CHARS);

      *failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, meaning,
                                      "Shorten the message.");
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "recipient_type");
  json_builder_add_string_value (builder, "individual");
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "type");

  if (template != NULL)
    {
      json_builder_add_string_value (builder, "template");
      json_builder_set_member_name (builder, "template");
      json_builder_add_value (builder, g_steal_pointer (&template));
    }
  else if (message->media_url != NULL)
    {
      json_builder_add_string_value (builder, "image");
      json_builder_set_member_name (builder, "image");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "link");
      json_builder_add_string_value (builder, message->media_url);
      if (body[0] != '\0')
        {
          json_builder_set_member_name (builder, "caption");
          json_builder_add_string_value (builder, body);
        }
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_string_value (builder, "text");
      json_builder_set_member_name (builder, "text");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
      /* WhatsApp shows a link's preview only when asked. */
      json_builder_set_member_name (builder, "preview_url");
      json_builder_add_boolean_value (builder, has_web_link (body));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
tc_whatsapp_provider_send_async (TcProvider              *provider,
                                 const TcOutboundMessage *message,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  TcWhatsappProvider *self = TC_WHATSAPP_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *uri = NULL;
  TcSendFailure *failure = NULL;
  SendData *data;
  char *json;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_whatsapp_provider_send_async);
  /* A cancelled send still has an outcome: whether it may have reached Meta. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->access_token[0] == '\0')
    {
      return_new_failure (task, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT,
                          "No WhatsApp access token is set.",
                          "Enter the access token in Preferences → Providers, or set TEXTCAST_WHATSAPP_TOKEN.");
      return;
    }
  /* The id is a path segment: digits only, so it cannot name another path. */
  if (!all_digits (self->phone_number_id))
    {
      g_autofree char *meaning = g_strdup_printf ("The WhatsApp phone-number id “%s” is not a number.",
                                                  self->phone_number_id);

      return_new_failure (task, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, meaning,
                          "Copy the phone-number id from WhatsApp Manager into Preferences → Providers.");
      return;
    }

  json = build_request (message, &failure);
  if (json == NULL)
    {
      return_failure (task, failure);
      return;
    }
  bytes = g_bytes_new_take (json, strlen (json));

  data = g_new0 (SendData, 1);
  data->token = g_strdup (self->access_token);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  /* Never SOUP_MESSAGE_IDEMPOTENT, and nothing sent twice: see the top of
   * this file. */
  uri = g_strdup_printf ("%s/%s/%s/messages", self->base_url, self->api_version, self->phone_number_id);
  data->call = tc_http_call_new (SOUP_METHOD_POST, uri,
                                 TC_HTTP_CALL_NO_REDIRECT | TC_HTTP_CALL_OWN_AUTH |
                                 TC_HTTP_CALL_BLOCK_RESTART);
  if (data->call == NULL)
    {
      g_autofree char *meaning = g_strdup_printf ("The WhatsApp API address “%s” is not a valid web address.",
                                                  self->base_url);

      return_new_failure (task, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, meaning,
                          "Check the API address and version in Preferences → Providers.");
      return;
    }

  tc_http_call_set_bearer (data->call, self->access_token);
  tc_http_call_set_body (data->call, "application/json", bytes);
  tc_http_call_send_async (data->call, self->session, 0, MAX_RESPONSE_BYTES, cancellable,
                           call_done_cb, g_steal_pointer (&task));
}

static TcSendReceipt *
tc_whatsapp_provider_send_finish (TcProvider     *provider,
                                  GAsyncResult   *result,
                                  TcSendFailure **failure)
{
  SendOutcome *outcome;
  TcSendReceipt *receipt;

  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_whatsapp_provider_send_async, NULL);

  outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  g_assert (outcome != NULL);
  g_assert ((outcome->receipt == NULL) != (outcome->failure == NULL));

  receipt = g_steal_pointer (&outcome->receipt);
  *failure = g_steal_pointer (&outcome->failure);
  send_outcome_free (outcome);

  return receipt;
}

/* ------------------------------------------------------------------------
 * Status and lookup: Meta only pushes
 */

static void
tc_whatsapp_provider_fetch_status_async (TcProvider          *provider,
                                         const char          *provider_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_task_report_new_error (provider, callback, user_data, tc_whatsapp_provider_fetch_status_async,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Meta does not let Textcast ask for a WhatsApp message's status: "
                           "statuses arrive only through the webhook, so set a public webhook address "
                           "in Preferences → Providers");
}

static TcStatusUpdate *
tc_whatsapp_provider_fetch_status_finish (TcProvider    *provider,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tc_whatsapp_provider_lookup_async (TcProvider          *provider,
                                   const char          *to,
                                   gint64               since,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_task_report_new_error (provider, callback, user_data, tc_whatsapp_provider_lookup_async,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Meta does not let Textcast look up the WhatsApp messages sent to a number: "
                           "a message whose sending is in doubt is marked unknown for you to decide");
}

static GPtrArray *
tc_whatsapp_provider_lookup_finish (TcProvider    *provider,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Webhooks
 */

static const char *
query_value (GHashTable *params,
             const char *name)
{
  return params != NULL ? g_hash_table_lookup (params, name) : NULL;
}

static gboolean
is_challenge_text (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len == 0 || len > MAX_CHALLENGE_CHARS)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
verify_subscription (TcWhatsappProvider      *self,
                     const TcWebhookRequest  *request,
                     char                   **challenge,
                     GError                 **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *query = NULL;
  const char *mode, *token, *text;

  if (request->url == NULL ||
      !g_uri_split (request->url, G_URI_FLAGS_ENCODED_QUERY, NULL, NULL, NULL, NULL, NULL, &query, NULL, NULL))
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the verification request's address cannot be read");
      return FALSE;
    }
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);

  mode = query_value (params, "hub.mode");
  token = query_value (params, "hub.verify_token");
  text = query_value (params, "hub.challenge");

  if (self->verify_token == NULL || self->verify_token[0] == '\0')
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           "no WhatsApp webhook verify token is set, so the subscription is refused; "
                           "set one in Preferences → Providers and the same in Meta's app dashboard");
      return FALSE;
    }
  if (g_strcmp0 (mode, "subscribe") != 0 || !tc_provider_secure_equal (token, self->verify_token))
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           "the webhook verification's hub.mode is not “subscribe” or its hub.verify_token "
                           "is not the one set in Preferences → Providers");
      return FALSE;
    }
  if (!is_challenge_text (text))
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook verification has no usable hub.challenge");
      return FALSE;
    }

  if (challenge != NULL)
    *challenge = g_strdup (text);

  return TRUE;
}

static gboolean
check_signature (TcWhatsappProvider      *self,
                 const TcWebhookRequest  *request,
                 GError                 **error)
{
  const char *header = request->headers != NULL
                       ? g_hash_table_lookup (request->headers, "x-hub-signature-256") : NULL;
  g_autofree char *expected = NULL;
  g_autofree char *received = NULL;

  if (self->app_secret == NULL || self->app_secret[0] == '\0')
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           "no WhatsApp app secret is set, so webhooks cannot be verified and are refused; "
                           "set it in Preferences → Providers");
      return FALSE;
    }
  if (header == NULL)
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           "the webhook has no X-Hub-Signature-256 header");
      return FALSE;
    }

  expected = tc_whatsapp_signature (self->app_secret, request->body);
  received = g_ascii_strdown (header, -1);
  g_strstrip (received);
  if (!tc_provider_secure_equal (received, expected))
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE,
                           "the webhook's X-Hub-Signature-256 does not match its body; check that the app "
                           "secret in Preferences → Providers is the one of Meta's app");
      return FALSE;
    }

  return TRUE;
}

static char *
e164 (const char *wa_id)
{
  if (wa_id == NULL || wa_id[0] == '\0')
    return NULL;
  if (all_digits (wa_id))
    return g_strconcat ("+", wa_id, NULL);

  return g_strdup (wa_id);
}

static TcStatusUpdate *
parse_status (JsonObject *object)
{
  const char *id = tc_http_member_string (object, "id");
  const char *status = tc_http_member_string (object, "status");
  JsonObject *pricing = tc_http_member_object (object, "pricing");
  JsonArray *errors = tc_http_member_array (object, "errors");
  g_autoptr(TcSendFailure) failure = NULL;
  TcDeliveryState state;
  TcStatusUpdate *update;
  const char *category;

  if (id == NULL || id[0] == '\0' || status == NULL)
    return NULL;
  if (strcmp (status, "sent") == 0)
    state = TC_DELIVERY_SENT;
  else if (strcmp (status, "delivered") == 0)
    state = TC_DELIVERY_DELIVERED;
  else if (strcmp (status, "read") == 0)
    state = TC_DELIVERY_READ;
  else if (strcmp (status, "failed") == 0)
    state = TC_DELIVERY_FAILED;
  else
    return NULL;   /* "deleted", "warning", …: nothing the outbox tracks */

  update = g_new0 (TcStatusUpdate, 1);
  update->provider_id = g_strdup (id);
  update->state = state;
  update->at = member_time (object, "timestamp");

  if (errors != NULL && json_array_get_length (errors) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
    {
      JsonObject *first = json_array_get_object_element (errors, 0);
      const char *title = tc_http_member_string (first, "title");
      const char *message = tc_http_member_string (first, "message");
      const char *details = tc_http_member_string (tc_http_member_object (first, "error_data"),
                                                   "details");

      update->error_code = member_number_text (first, "code");
      if (lookup_error (update->error_code) != NULL)
        {
          failure = g_new0 (TcSendFailure, 1);
          tc_whatsapp_describe_error (0, update->error_code, failure);
          update->error_meaning = g_steal_pointer (&failure->meaning);
        }
      else if (details != NULL && details[0] != '\0')
        update->error_meaning = g_strdup (details);
      else if (title != NULL && title[0] != '\0')
        update->error_meaning = g_strdup (title);
      else
        update->error_meaning = g_strdup (message);
    }

  category = tc_http_member_string (pricing, "category");
  if (category == NULL)
    category = tc_http_member_string (tc_http_member_object (tc_http_member_object (object, "conversation"), "origin"), "type");
  update->pricing_category = g_strdup (category);
  if (pricing != NULL)
    {
      JsonNode *billable = json_object_get_member (pricing, "billable");

      update->pricing_model = g_strdup (tc_http_member_string (pricing, "pricing_model"));
      update->not_billable = billable != NULL && JSON_NODE_HOLDS_VALUE (billable) &&
                             json_node_get_value_type (billable) == G_TYPE_BOOLEAN &&
                             !json_node_get_boolean (billable);
    }

  return update;
}

/* "[image]", "[location]"…: a type Meta names, in brackets. */
static char *
placeholder (const char *type)
{
  gsize len = type != NULL ? strlen (type) : 0;

  if (len == 0 || len > MAX_TYPE_CHARS)
    return g_strdup ("[message]");
  for (const char *p = type; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return g_strdup ("[message]");

  return g_strdup_printf ("[%s]", type);
}

static TcInboundMessage *
parse_message (JsonObject *object,
               const char *phone_number_id)
{
  const char *id = tc_http_member_string (object, "id");
  const char *from = tc_http_member_string (object, "from");
  const char *type = tc_http_member_string (object, "type");
  TcInboundMessage *inbound;

  if (id == NULL || id[0] == '\0' || from == NULL || from[0] == '\0')
    return NULL;

  inbound = g_new0 (TcInboundMessage, 1);
  inbound->provider_id = g_strdup (id);
  inbound->channel = TC_CHANNEL_WHATSAPP;
  inbound->from = e164 (from);
  inbound->to = g_strdup (phone_number_id);
  inbound->at = member_time (object, "timestamp");

  if (g_strcmp0 (type, "text") == 0)
    inbound->body = g_strdup (tc_http_member_string (tc_http_member_object (object, "text"),
                                                     "body"));
  else if (g_strcmp0 (type, "button") == 0)
    {
      JsonObject *button = tc_http_member_object (object, "button");

      inbound->body = g_strdup (tc_http_member_string (button, "text"));
      inbound->payload = g_strdup (tc_http_member_string (button, "payload"));
    }
  else if (g_strcmp0 (type, "interactive") == 0)
    {
      JsonObject *interactive = tc_http_member_object (object, "interactive");
      const char *kind = tc_http_member_string (interactive, "type");
      JsonObject *reply = NULL;

      if (g_strcmp0 (kind, "button_reply") == 0 || g_strcmp0 (kind, "list_reply") == 0)
        reply = tc_http_member_object (interactive, kind);
      if (reply != NULL)
        {
          inbound->body = g_strdup (tc_http_member_string (reply, "title"));
          inbound->payload = g_strdup (tc_http_member_string (reply, "id"));
        }
      else
        inbound->body = g_strdup ("[interactive reply]");
    }
  else if (g_strcmp0 (type, "image") == 0 || g_strcmp0 (type, "video") == 0 ||
           g_strcmp0 (type, "document") == 0)
    {
      /* Meta sends a media id, not a link: the caption is the text. */
      const char *caption = tc_http_member_string (tc_http_member_object (object, type), "caption");

      if (caption != NULL && caption[0] != '\0')
        inbound->body = g_strdup (caption);
    }
  else if (g_strcmp0 (type, "reaction") == 0)
    {
      const char *emoji = tc_http_member_string (tc_http_member_object (object, "reaction"),
                                                 "emoji");

      if (emoji != NULL && emoji[0] != '\0' && strlen (emoji) <= 64)
        inbound->body = g_strdup_printf ("[reaction %s]", emoji);
      else
        inbound->body = g_strdup ("[reaction removed]");
    }

  if (inbound->body == NULL)
    inbound->body = placeholder (type);

  return inbound;
}

static gboolean
tc_whatsapp_provider_parse_webhook (TcProvider              *provider,
                                    const TcWebhookRequest  *request,
                                    GPtrArray               *statuses,
                                    GPtrArray               *inbound,
                                    char                   **challenge,
                                    GError                 **error)
{
  TcWhatsappProvider *self = TC_WHATSAPP_PROVIDER (provider);
  g_autoptr(GPtrArray) new_statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_autoptr(GPtrArray) new_inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *object;
  JsonArray *entries;
  gboolean named_others = FALSE, named_ours = FALSE;
  const char *data;
  gsize length;

  if (g_strcmp0 (request->method, "GET") == 0)
    return verify_subscription (self, request, challenge, error);

  if (g_strcmp0 (request->method, "POST") != 0 || request->body == NULL)
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "a WhatsApp webhook is a GET verification or a POST with a body");
      return FALSE;
    }

  data = g_bytes_get_data (request->body, &length);
  if (length > MAX_WEBHOOK_BYTES)
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "the webhook's body is larger than %u KiB", (guint) (MAX_WEBHOOK_BYTES / 1024));
      return FALSE;
    }
  if (!check_signature (self, request, error))
    return FALSE;

  root = parse_bounded (data != NULL ? data : "", length, MAX_WEBHOOK_BYTES, &parse_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                   "the webhook's body is not a JSON object%s%s",
                   parse_error != NULL ? ": " : "", parse_error != NULL ? parse_error->message : "");
      return FALSE;
    }
  object = json_node_get_object (root);
  entries = tc_http_member_array (object, "entry");
  if (g_strcmp0 (tc_http_member_string (object, "object"), "whatsapp_business_account") != 0 || entries == NULL)
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED,
                           "the webhook is not a WhatsApp Business Account notification "
                           "(object “whatsapp_business_account” with entries)");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *entry_node = json_array_get_element (entries, i);
      JsonArray *changes;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        continue;
      changes = tc_http_member_array (json_node_get_object (entry_node), "changes");

      for (guint k = 0; changes != NULL && k < json_array_get_length (changes); k++)
        {
          JsonNode *change_node = json_array_get_element (changes, k);
          JsonObject *value;
          JsonArray *list;
          const char *phone_number_id;

          if (!JSON_NODE_HOLDS_OBJECT (change_node))
            continue;
          value = tc_http_member_object (json_node_get_object (change_node), "value");
          phone_number_id = tc_http_member_string (tc_http_member_object (value, "metadata"),
                                                   "phone_number_id");
          if (phone_number_id == NULL)
            continue;
          if (g_strcmp0 (phone_number_id, self->phone_number_id) != 0)
            {
              named_others = TRUE;
              continue;
            }
          named_ours = TRUE;

          list = tc_http_member_array (value, "statuses");
          for (guint n = 0; list != NULL && n < json_array_get_length (list); n++)
            {
              JsonNode *node = json_array_get_element (list, n);
              TcStatusUpdate *update = JSON_NODE_HOLDS_OBJECT (node) ? parse_status (json_node_get_object (node)) : NULL;

              if (update != NULL)
                g_ptr_array_add (new_statuses, update);
            }

          list = tc_http_member_array (value, "messages");
          for (guint n = 0; list != NULL && n < json_array_get_length (list); n++)
            {
              JsonNode *node = json_array_get_element (list, n);
              TcInboundMessage *message = JSON_NODE_HOLDS_OBJECT (node)
                                          ? parse_message (json_node_get_object (node), self->phone_number_id) : NULL;

              if (message != NULL)
                g_ptr_array_add (new_inbound, message);
            }
        }
    }

  if (named_others && !named_ours)
    {
      g_set_error_literal (error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE,
                           "the webhook is for another WhatsApp phone number than the one set in "
                           "Preferences → Providers");
      return FALSE;
    }

  /* All or nothing: hand over what was parsed, in order. */
  {
    gsize n_statuses = 0, n_inbound = 0;
    g_autofree gpointer *parsed_statuses = g_ptr_array_steal (new_statuses, &n_statuses);
    g_autofree gpointer *parsed_inbound = g_ptr_array_steal (new_inbound, &n_inbound);

    for (gsize n = 0; n < n_statuses; n++)
      g_ptr_array_add (statuses, parsed_statuses[n]);
    for (gsize n = 0; n < n_inbound; n++)
      g_ptr_array_add (inbound, parsed_inbound[n]);
  }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * The provider
 */

static const char *
tc_whatsapp_provider_get_name (TcProvider *provider)
{
  return "whatsapp";
}

static gboolean
tc_whatsapp_provider_supports (TcProvider *provider,
                               TcChannel   channel)
{
  return channel == TC_CHANNEL_WHATSAPP;
}

static void
provider_iface_init (TcProviderInterface *iface)
{
  iface->get_name = tc_whatsapp_provider_get_name;
  iface->supports = tc_whatsapp_provider_supports;
  iface->send_async = tc_whatsapp_provider_send_async;
  iface->send_finish = tc_whatsapp_provider_send_finish;
  iface->fetch_status_async = tc_whatsapp_provider_fetch_status_async;
  iface->fetch_status_finish = tc_whatsapp_provider_fetch_status_finish;
  iface->lookup_async = tc_whatsapp_provider_lookup_async;
  iface->lookup_finish = tc_whatsapp_provider_lookup_finish;
  iface->parse_webhook = tc_whatsapp_provider_parse_webhook;
}

static void
tc_whatsapp_provider_dispose (GObject *object)
{
  TcWhatsappProvider *self = (TcWhatsappProvider *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (tc_whatsapp_provider_parent_class)->dispose (object);
}

static void
tc_whatsapp_provider_finalize (GObject *object)
{
  TcWhatsappProvider *self = (TcWhatsappProvider *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->phone_number_id, g_free);
  tc_http_clear_secret (&self->access_token);
  tc_http_clear_secret (&self->app_secret);
  tc_http_clear_secret (&self->verify_token);

  G_OBJECT_CLASS (tc_whatsapp_provider_parent_class)->finalize (object);
}

static void
tc_whatsapp_provider_class_init (TcWhatsappProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tc_whatsapp_provider_dispose;
  object_class->finalize = tc_whatsapp_provider_finalize;
}

static void
tc_whatsapp_provider_init (TcWhatsappProvider *self)
{
}

/**
 * tc_whatsapp_provider_new:
 * @session: (nullable): the session from tc_soup_session_new(); %NULL
 *   makes one there
 * @base_url: (nullable): the API address, %NULL for Meta's
 * @api_version: (nullable): "v23.0", %NULL for the default
 * @phone_number_id: the sending phone number's id
 * @access_token: (nullable): the Bearer token
 * @app_secret: (nullable): the app secret webhooks are signed with
 * @verify_token: (nullable): the token of the GET verification
 *
 * Returns: (transfer full): the provider; nothing is sent until send_async
 */
TcWhatsappProvider *
tc_whatsapp_provider_new (SoupSession *session,
                          const char  *base_url,
                          const char  *api_version,
                          const char  *phone_number_id,
                          const char  *access_token,
                          const char  *app_secret,
                          const char  *verify_token)
{
  TcWhatsappProvider *self;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (phone_number_id != NULL, NULL);

  self = g_object_new (TC_TYPE_WHATSAPP_PROVIDER, NULL);
  self->session = session != NULL ? g_object_ref (session) : tc_soup_session_new ();
  self->base_url = tc_http_clean_value (base_url, TC_WHATSAPP_DEFAULT_BASE_URL, TRUE);
  self->api_version = tc_http_clean_value (api_version, TC_WHATSAPP_DEFAULT_API_VERSION, TRUE);
  self->phone_number_id = tc_http_clean_value (phone_number_id, "", FALSE);
  self->access_token = tc_http_clean_value (access_token, "", FALSE);
  self->app_secret = g_strdup (app_secret);
  self->verify_token = g_strdup (verify_token);

  return self;
}
