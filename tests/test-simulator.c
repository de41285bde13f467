/* test-simulator.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in simulator (src/net/tc-simulator.c): the real Twilio and
 * WhatsApp providers send through it, its callbacks arrive at a SoupServer
 * in this process and are parsed (signatures checked) by the providers'
 * own parse_webhook; raw requests check its error formats, rate limit,
 * bounds and log; `textcast-cli simulator` runs as a real program.
 */

#define G_LOG_DOMAIN "test-simulator"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-simulator.h"
#include "tc-soup.h"
#include "tc-twilio.h"
#include "tc-whatsapp-cloud.h"

#define ACCOUNT_SID  "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN   "f7c2e9a1b4d3c6e8a0b9d2f1e3c4a5b6"
#define SERVICE_SID  "MG0123456789abcdef0123456789abcdef"
#define PHONE_ID     "106540352242922"
#define WA_TOKEN     "EAAG-test-token"
#define APP_SECRET   "app-secret-for-tests"
#define VERIFY_TOKEN "verify-me"
#define MESSAGES     "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json"
#define WAIT_SECONDS 20

typedef TcStatusUpdate StatusUpdate;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StatusUpdate, tc_status_update_free)

static const char * const reply_texts[] = {
  "STOP", "HELP", "YES", "Yes please!", "Do you have this in blue?",
  "What time do you open tomorrow?", "Thanks!", "stop",
};

/* ------------------------------------------------------------------------
 * Waiting
 */

static gboolean
on_deadline_cb (gpointer user_data)
{
  g_error ("timed out waiting: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond) \
  G_STMT_START { \
    guint deadline_ = g_timeout_add_seconds (WAIT_SECONDS, on_deadline_cb, (gpointer) #cond); \
    while (!(cond)) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (deadline_); \
  } G_STMT_END

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Iterates for @ms milliseconds. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* ------------------------------------------------------------------------
 * The receiver: Textcast's side of the callbacks
 */

typedef struct
{
  char       *url;
  GHashTable *headers;
  GBytes     *body;
} Received;

static void
received_free (Received *r)
{
  g_free (r->url);
  g_hash_table_unref (r->headers);
  g_bytes_unref (r->body);
  g_free (r);
}

typedef struct
{
  SoupServer *server;
  char       *base;
  GPtrArray  *received;   /* Received, in arrival order */
  gboolean    hold;       /* pause answers until released */
  GPtrArray  *held;       /* SoupServerMessage */
  guint       max_held;
} Receiver;

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *receiver = user_data;
  Received *r = g_new0 (Received, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  r->url = g_uri_to_string (soup_server_message_get_uri (msg));
  r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_insert (r->headers, g_ascii_strdown (name, -1), g_strdup (value));
  r->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_ptr_array_add (receiver->received, r);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
  if (receiver->hold)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (receiver->held, g_object_ref (msg));
      receiver->max_held = MAX (receiver->max_held, receiver->held->len);
    }
}

static Receiver *
receiver_new (void)
{
  Receiver *receiver = g_new0 (Receiver, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  receiver->received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  receiver->held = g_ptr_array_new_with_free_func (g_object_unref);
  receiver->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (receiver->server, NULL, receiver_cb, receiver, NULL);
  soup_server_listen_local (receiver->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (receiver->server);
  receiver->base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:PORT/" → without the slash. */
  receiver->base[strlen (receiver->base) - 1] = '\0';

  return receiver;
}

static void
receiver_release (Receiver *receiver)
{
  receiver->hold = FALSE;
  for (guint i = 0; i < receiver->held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (receiver->held, i));
  g_ptr_array_set_size (receiver->held, 0);
}

static void
receiver_free (Receiver *receiver)
{
  receiver_release (receiver);
  soup_server_disconnect (receiver->server);
  g_object_unref (receiver->server);
  g_ptr_array_unref (receiver->received);
  g_ptr_array_unref (receiver->held);
  g_free (receiver->base);
  g_free (receiver);
}

static char *
receiver_url (Receiver   *receiver,
              const char *path)
{
  return g_strconcat (receiver->base, path, NULL);
}

/* Parses every callback received on @path with @provider: the signature
 * must be valid. Appends to @statuses / @inbound. */
static void
parse_received (Receiver   *receiver,
                const char *path,
                TcProvider *provider,
                GPtrArray  *statuses,
                GPtrArray  *inbound)
{
  for (guint i = 0; i < receiver->received->len; i++)
    {
      Received *r = g_ptr_array_index (receiver->received, i);
      g_autoptr(GUri) uri = g_uri_parse (r->url, G_URI_FLAGS_ENCODED, NULL);
      TcWebhookRequest request = { "POST", r->url, r->headers, r->body };
      g_autoptr(GError) error = NULL;
      g_autofree char *challenge = NULL;

      if (strcmp (g_uri_get_path (uri), path) != 0)
        continue;
      g_assert_true (tc_provider_parse_webhook (provider, &request, statuses, inbound, &challenge, &error));
      g_assert_no_error (error);
      g_assert_null (challenge);
    }
}

static guint
count_received (Receiver   *receiver,
                const char *path)
{
  guint n = 0;

  for (guint i = 0; i < receiver->received->len; i++)
    {
      Received *r = g_ptr_array_index (receiver->received, i);

      if (strstr (r->url, path) != NULL)
        n++;
    }

  return n;
}

/* ------------------------------------------------------------------------
 * Sending
 */

static TcSimulator *
simulator_start (TcSimulatorConfig *config)
{
  g_autoptr(GError) error = NULL;
  TcSimulator *simulator = tc_simulator_new (config);

  g_assert_true (tc_simulator_listen (simulator, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tc_simulator_get_port (simulator), >, 0);

  return simulator;
}

/* Stops @simulator and waits for its last callbacks to let go of it. */
static void
simulator_finish (TcSimulator *simulator)
{
  GObject *weak = G_OBJECT (simulator);

  tc_simulator_stop (simulator);
  g_object_add_weak_pointer (weak, (gpointer *) &weak);
  g_object_unref (simulator);
  WAIT_UNTIL (weak == NULL);
}

static TcProvider *
twilio_provider (SoupSession *session,
                 TcSimulator *simulator)
{
  return TC_PROVIDER (tc_twilio_provider_new (session, tc_simulator_get_base_url (simulator),
                                              ACCOUNT_SID, AUTH_TOKEN));
}

static TcProvider *
whatsapp_provider (SoupSession *session,
                   TcSimulator *simulator)
{
  return TC_PROVIDER (tc_whatsapp_provider_new (session, tc_simulator_get_base_url (simulator), NULL,
                                                PHONE_ID, WA_TOKEN, APP_SECRET, VERIFY_TOKEN));
}

static TcSendReceipt *
send_one (TcProvider              *provider,
          const TcOutboundMessage *message,
          TcSendFailure          **failure)
{
  g_autoptr(GAsyncResult) result = NULL;
  TcSendReceipt *receipt;

  *failure = NULL;
  tc_provider_send_async (provider, message, NULL, store_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  receipt = tc_provider_send_finish (provider, result, failure);
  g_assert_true ((receipt == NULL) != (*failure == NULL));

  return receipt;
}

typedef struct
{
  guint  status;
  char  *retry_after;
  char  *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->retry_after, g_free);
  g_clear_pointer (&answer->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* A raw request to the simulator. @body NULL: none. */
static void
raw_request (SoupSession *session,
             const char  *method,
             const char  *url,
             const char  *authorization,
             const char  *content_type,
             GBytes      *body,
             Answer      *answer)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer_body = NULL;
  g_autoptr(GError) error = NULL;
  const char *retry_after;

  g_assert_nonnull (message);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, store_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  answer_body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);

  answer->status = soup_message_get_status (message);
  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  answer->retry_after = g_strdup (retry_after);
  answer->body = g_strndup (g_bytes_get_data (answer_body, NULL), g_bytes_get_size (answer_body));
}

static char *
basic_auth (const char *sid,
            const char *token)
{
  g_autofree char *pair = g_strconcat (sid, ":", token, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

static void
twilio_post (SoupSession *session,
             TcSimulator *simulator,
             const char  *form,
             Answer      *answer)
{
  g_autofree char *url = g_strconcat (tc_simulator_get_base_url (simulator), MESSAGES, NULL);
  g_autofree char *auth = basic_auth (ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

  raw_request (session, "POST", url, auth, SOUP_FORM_MIME_TYPE_URLENCODED, body, answer);
}

static void
meta_post (SoupSession *session,
           TcSimulator *simulator,
           const char  *json,
           Answer      *answer)
{
  g_autofree char *url = g_strconcat (tc_simulator_get_base_url (simulator), "/v23.0/" PHONE_ID "/messages", NULL);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  raw_request (session, "POST", url, "Bearer " WA_TOKEN, "application/json", body, answer);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

static gboolean
is_hex_sid (const char *sid,
            const char *prefix)
{
  return sid != NULL && g_str_has_prefix (sid, prefix) && strlen (sid) == 34 &&
         strspn (sid + 2, "0123456789abcdef") == 32;
}

/* ------------------------------------------------------------------------
 * Twilio
 */

static void
test_twilio_send (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  Receiver *receiver = receiver_new ();
  g_autofree char *callback = receiver_url (receiver, "/twilio/status?c=1");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_autoptr(GPtrArray) inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(TcSendReceipt) service_receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(StatusUpdate) fetched = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcSimulatorConfig config;
  TcSimulator *simulator;
  TcOutboundMessage message = {
    .channel = TC_CHANNEL_SMS,
    .from = "+15005550006",
    .to = "+14155550100",
    .body = "Your order #42 ships today & arrives Friday. Reply STOP to opt out",
    .status_callback = callback,
  };

  tc_simulator_config_init (&config);
  config.delivered_ratio = 1.0;
  config.failed_ratio = 0.0;
  config.status_delay_ms = 10;
  simulator = simulator_start (&config);
  provider = twilio_provider (session, simulator);

  receipt = send_one (provider, &message, &failure);
  g_assert_null (failure);
  g_assert_true (is_hex_sid (receipt->provider_id, "SM"));
  g_assert_cmpstr (receipt->status, ==, "queued");

  /* A Messaging Service sender: Twilio says "accepted". */
  message.from = SERVICE_SID;
  message.to = "+14155550101";
  service_receipt = send_one (provider, &message, &failure);
  g_assert_null (failure);
  g_assert_true (is_hex_sid (service_receipt->provider_id, "SM"));
  g_assert_cmpstr (service_receipt->status, ==, "accepted");
  g_assert_cmpstr (receipt->provider_id, !=, service_receipt->provider_id);
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, 2);

  /* sent, then delivered, for each; signed over the URL with its query. */
  WAIT_UNTIL (count_received (receiver, "/twilio/status") == 4);
  parse_received (receiver, "/twilio/status", provider, statuses, inbound);
  g_assert_cmpuint (statuses->len, ==, 4);
  g_assert_cmpuint (inbound->len, ==, 0);
  for (guint k = 0; k < 2; k++)
    {
      const char *sid = k == 0 ? receipt->provider_id : service_receipt->provider_id;
      TcDeliveryState seen[2];
      guint n = 0;

      for (guint i = 0; i < statuses->len; i++)
        {
          TcStatusUpdate *update = g_ptr_array_index (statuses, i);

          if (strcmp (update->provider_id, sid) == 0)
            {
              g_assert_cmpuint (n, <, 2);
              seen[n++] = update->state;
              g_assert_null (update->error_code);
            }
        }
      g_assert_cmpuint (n, ==, 2);
      g_assert_cmpint (seen[0], ==, TC_DELIVERY_SENT);
      g_assert_cmpint (seen[1], ==, TC_DELIVERY_DELIVERED);
    }
  {
    Received *first = g_ptr_array_index (receiver->received, 0);

    g_assert_nonnull (g_hash_table_lookup (first->headers, "x-twilio-signature"));
    g_assert_cmpstr (g_hash_table_lookup (first->headers, "content-type"), ==,
                     SOUP_FORM_MIME_TYPE_URLENCODED);
  }

  /* Polling and lookup find them, delivered and priced. */
  tc_provider_fetch_status_async (provider, receipt->provider_id, NULL, store_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  fetched = tc_provider_fetch_status_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->provider_id, ==, receipt->provider_id);
  g_assert_cmpint (fetched->state, ==, TC_DELIVERY_DELIVERED);
  g_assert_cmpfloat (fetched->price, >, 0.0);
  g_assert_cmpstr (fetched->price_currency, ==, "USD");
  g_assert_cmpint (fetched->at, >, 0);
  g_clear_object (&result);

  tc_provider_lookup_async (provider, "+14155550101", g_get_real_time () / G_USEC_PER_SEC - 60, NULL,
                            store_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  found = tc_provider_lookup_finish (provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((TcStatusUpdate *) g_ptr_array_index (found, 0))->provider_id, ==,
                   service_receipt->provider_id);
  g_clear_object (&result);

  /* An unknown message: 404, as Twilio. */
  tc_provider_fetch_status_async (provider, "SM00000000000000000000000000000000", NULL, store_result_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_null (tc_provider_fetch_status_finish (provider, result, &error));
  g_assert_error (error, TC_TWILIO_ERROR, TC_TWILIO_ERROR_NOT_FOUND);

  simulator_finish (simulator);
  receiver_free (receiver);
}

/* The message list: newest first, paged, filtered by recipient and day. */
static void
test_twilio_list (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autofree char *auth = basic_auth (ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *next_day = g_date_time_format (tomorrow, "%Y-%m-%d");
  g_autoptr(GPtrArray) sids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  TcSimulatorConfig config;
  TcSimulator *simulator;

  tc_simulator_config_init (&config);
  simulator = simulator_start (&config);

  for (guint i = 0; i < 4; i++)
    {
      g_auto(Answer) answer = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();

      twilio_post (session, simulator, i == 3 ? "To=%2B14155550199&From=%2B15005550006&Body=other"
                                              : "To=%2B14155550100&From=%2B15005550006&Body=mine", &answer);
      g_assert_cmpuint (answer.status, ==, 201);
      g_ptr_array_add (sids, g_strdup (json_object_get_string_member (parse_object (parser, answer.body), "sid")));
    }

  for (guint page = 0; page < 2; page++)
    {
      g_autofree char *url = NULL;
      g_auto(Answer) answer = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      JsonArray *messages;

      if (page == 0)
        url = g_strdup_printf ("%s" MESSAGES "?To=%%2B14155550100&DateSent%%3E=%s&PageSize=2",
                               tc_simulator_get_base_url (simulator), today);
      else
        url = g_strconcat (tc_simulator_get_base_url (simulator), next, NULL);
      raw_request (session, "GET", url, auth, NULL, NULL, &answer);
      g_assert_cmpuint (answer.status, ==, 200);
      object = parse_object (parser, answer.body);
      messages = json_object_get_array_member (object, "messages");
      g_assert_cmpint (json_object_get_int_member (object, "page"), ==, page);
      g_assert_cmpint (json_object_get_int_member (object, "page_size"), ==, 2);
      if (page == 0)
        {
          /* Newest first: the third, then the second. */
          g_assert_cmpuint (json_array_get_length (messages), ==, 2);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "sid"), ==,
                           g_ptr_array_index (sids, 2));
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "sid"), ==,
                           g_ptr_array_index (sids, 1));
          next = g_strdup (json_object_get_string_member (object, "next_page_uri"));
          g_assert_true (g_str_has_prefix (next, MESSAGES "?"));
        }
      else
        {
          g_assert_cmpuint (json_array_get_length (messages), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "sid"), ==,
                           g_ptr_array_index (sids, 0));
          g_assert_true (json_object_get_null_member (object, "next_page_uri"));
        }
    }

  /* Nothing sent from tomorrow on. */
  {
    g_autofree char *url = g_strdup_printf ("%s" MESSAGES "?To=%%2B14155550100&DateSent%%3E=%s",
                                            tc_simulator_get_base_url (simulator), next_day);
    g_auto(Answer) answer = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();

    raw_request (session, "GET", url, auth, NULL, NULL, &answer);
    g_assert_cmpuint (answer.status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (parse_object (parser, answer.body),
                                                                           "messages")), ==, 0);
  }

  simulator_finish (simulator);
}

typedef struct
{
  const char *form;
  guint       status;
  guint       code;
} TwilioCase;

static void
test_twilio_errors (void)
{
  static const TwilioCase cases[] = {
    { "From=%2B15005550006&Body=hi", 400, 21604 },
    { "To=%2B14155550100&Body=hi", 400, 21603 },
    { "To=%2B14155550100&From=%2B15005550006", 400, 21602 },
    { "To=4155550100&From=%2B15005550006&Body=hi", 400, 21211 },
    { "To=%2B1415&From=%2B15005550006&Body=hi", 400, 21211 },
    { "To=%2B14155550100&From=not+a+number!&Body=hi", 400, 21212 },
    { "To=%2B14155550100&MessagingServiceSid=MGnope&Body=hi", 400, 21705 },
    { "To=whatsapp%3A%2B14155550100&From=%2B15005550006&Body=hi", 400, 21910 },
    { "To=%2B14155550100&From=%2B14155550100&Body=hi", 400, 21266 },
    { "To=%2B14155550100&From=%2B15005550006&Body=hi&MediaUrl=ftp%3A%2F%2Fx", 400, 21620 },
    { "To=%2B14155550100&From=%2B15005550006&Body=hi&StatusCallback=nowhere", 400, 21609 },
    { "To=%2B14155550100&From=%2B15005550006&ContentSid=HX12", 400, 21655 },
    { "To=%2B14155550100&From=%2B15005550006&ContentSid=HX0123456789abcdef0123456789abcdef"
      "&ContentVariables=%5B1%5D", 400, 21656 },
    { "To=%2B14155550100&From=%2B15005550006&Body=%FF", 400, 21602 },
    { "To=%2B14155550100&From=%2B15005550006&Body=hi", 201, 0 },
    { "To=%2B14155550100&From=Textcast&Body=hi", 201, 0 },
    { "To=%2B14155550100&From=12345&Body=hi", 201, 0 },
    { "To=%2B14155550100&From=%2B15005550006&MediaUrl=https%3A%2F%2Fexample.org%2Fa.jpg", 201, 0 },
    { "To=whatsapp%3A%2B14155550100&From=whatsapp%3A%2B15005550006"
      "&ContentSid=HX0123456789abcdef0123456789abcdef&ContentVariables=%7B%221%22%3A%22x%22%7D", 201, 0 },
  };
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(GString) long_body = g_string_new ("To=%2B14155550100&From=%2B15005550006&Body=");
  TcSimulatorConfig config;
  TcSimulator *simulator;
  guint accepted = 0;

  tc_simulator_config_init (&config);
  simulator = simulator_start (&config);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Answer) answer = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      g_test_message ("case %u: %s", i, cases[i].form);
      twilio_post (session, simulator, cases[i].form, &answer);
      g_assert_cmpuint (answer.status, ==, cases[i].status);
      object = parse_object (parser, answer.body);
      if (cases[i].status == 201)
        {
          accepted++;
          g_assert_true (is_hex_sid (json_object_get_string_member (object, "sid"), "SM"));
          g_assert_cmpstr (json_object_get_string_member (object, "account_sid"), ==, ACCOUNT_SID);
          g_assert_cmpstr (json_object_get_string_member (object, "direction"), ==, "outbound-api");
          g_assert_cmpstr (json_object_get_string_member (object, "api_version"), ==, "2010-04-01");
          g_assert_true (json_object_get_null_member (object, "date_sent"));
          g_assert_true (json_object_get_null_member (object, "error_code"));
          g_assert_true (json_object_has_member (object, "uri"));
          g_assert_true (json_object_has_member (object, "subresource_uris"));
          g_assert_true (json_object_has_member (object, "num_segments"));
        }
      else
        {
          g_autofree char *more_info = g_strdup_printf ("https://www.twilio.com/docs/errors/%u", cases[i].code);

          g_assert_cmpint (json_object_get_int_member (object, "code"), ==, cases[i].code);
          g_assert_cmpint (json_object_get_int_member (object, "status"), ==, cases[i].status);
          g_assert_cmpstr (json_object_get_string_member (object, "more_info"), ==, more_info);
          g_assert_cmpstr (json_object_get_string_member (object, "message"), !=, "");
        }
    }
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, accepted);

  /* Twilio's segment count: 161 GSM-7 characters are two segments. */
  {
    g_auto(Answer) answer = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();

    for (guint i = 0; i < 161; i++)
      g_string_append_c (long_body, 'a');
    twilio_post (session, simulator, long_body->str, &answer);
    g_assert_cmpuint (answer.status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (parse_object (parser, answer.body), "num_segments"), ==, "2");
  }
  {
    g_auto(Answer) answer = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();

    for (guint i = 0; i < 1600; i++)
      g_string_append_c (long_body, 'b');
    twilio_post (session, simulator, long_body->str, &answer);
    g_assert_cmpuint (answer.status, ==, 400);
    g_assert_cmpint (json_object_get_int_member (parse_object (parser, answer.body), "code"), ==, 21617);
  }

  /* Credentials: none, another account's, a token-less pair. */
  {
    g_autofree char *url = g_strconcat (tc_simulator_get_base_url (simulator), MESSAGES, NULL);
    g_autofree char *other = basic_auth ("AC11111111111111111111111111111111", AUTH_TOKEN);
    g_autofree char *empty = basic_auth (ACCOUNT_SID, "");
    const char *auths[] = { NULL, other, empty, "Bearer x" };
    g_autoptr(GBytes) body = g_bytes_new_static ("To=%2B14155550100&From=%2B15005550006&Body=hi", 46);

    for (guint i = 0; i < G_N_ELEMENTS (auths); i++)
      {
        g_auto(Answer) answer = { 0 };
        g_autoptr(JsonParser) parser = json_parser_new ();

        raw_request (session, "POST", url, auths[i], SOUP_FORM_MIME_TYPE_URLENCODED, body, &answer);
        g_assert_cmpuint (answer.status, ==, 401);
        g_assert_cmpint (json_object_get_int_member (parse_object (parser, answer.body), "code"), ==, 20003);
      }
  }

  /* Unknown paths and methods. */
  {
    g_autofree char *url = g_strconcat (tc_simulator_get_base_url (simulator),
                                        "/2010-04-01/Accounts/" ACCOUNT_SID "/Calls.json", NULL);
    g_autofree char *auth = basic_auth (ACCOUNT_SID, AUTH_TOKEN);
    g_autofree char *message_url = g_strconcat (tc_simulator_get_base_url (simulator),
                                                "/2010-04-01/Accounts/" ACCOUNT_SID
                                                "/Messages/SM0123456789abcdef0123456789abcdef.json", NULL);
    g_auto(Answer) answer = { 0 };
    g_auto(Answer) put = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();

    raw_request (session, "GET", url, auth, NULL, NULL, &answer);
    g_assert_cmpuint (answer.status, ==, 404);
    g_assert_cmpint (json_object_get_int_member (parse_object (parser, answer.body), "code"), ==, 20404);
    raw_request (session, "DELETE", message_url, auth, NULL, NULL, &put);
    g_assert_cmpuint (put.status, ==, 405);
  }

  /* Through the provider: classified as the real service's answer would be. */
  {
    g_autoptr(TcProvider) provider = twilio_provider (session, simulator);
    g_autoptr(TcSendFailure) failure = NULL;
    TcOutboundMessage message = { .channel = TC_CHANNEL_SMS, .from = "+15005550006", .to = "+1415", .body = "x" };

    g_assert_null (send_one (provider, &message, &failure));
    g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_PERMANENT);
    g_assert_cmpint (failure->effect, ==, TC_SEND_EFFECT_INVALID_NUMBER);
    g_assert_cmpstr (failure->code, ==, "21211");
    g_assert_cmpuint (failure->http_status, ==, 400);
  }

  simulator_finish (simulator);
}

/* ------------------------------------------------------------------------
 * WhatsApp
 */

static void
test_whatsapp_send (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  Receiver *receiver = receiver_new ();
  g_autofree char *webhook = receiver_url (receiver, "/whatsapp");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_autoptr(GPtrArray) inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(TcSendReceipt) text_receipt = NULL;
  g_autoptr(TcSendReceipt) template_receipt = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autoptr(TcProvider) provider = NULL;
  TcSimulatorConfig config;
  TcSimulator *simulator;
  TcOutboundMessage text = {
    .channel = TC_CHANNEL_WHATSAPP, .from = PHONE_ID, .to = "+16505551234", .body = "Hello \"there\"",
  };
  TcOutboundMessage template = {
    .channel = TC_CHANNEL_WHATSAPP, .from = PHONE_ID, .to = "+16505551235",
    .wa_template_json = "{\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"},"
                        "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"42\"}]}]}",
  };

  tc_simulator_config_init (&config);
  config.delivered_ratio = 1.0;
  config.failed_ratio = 0.0;
  config.read_ratio = 1.0;
  config.reply_ratio = 0.0;
  config.status_delay_ms = 10;
  config.whatsapp_app_secret = APP_SECRET;
  config.whatsapp_webhook_url = webhook;
  simulator = simulator_start (&config);
  provider = whatsapp_provider (session, simulator);

  text_receipt = send_one (provider, &text, &failure);
  g_assert_null (failure);
  g_assert_true (g_str_has_prefix (text_receipt->provider_id, "wamid."));
  template_receipt = send_one (provider, &template, &failure);
  g_assert_null (failure);
  g_assert_true (g_str_has_prefix (template_receipt->provider_id, "wamid."));
  g_assert_cmpstr (template_receipt->status, ==, "accepted");
  g_assert_cmpstr (text_receipt->provider_id, !=, template_receipt->provider_id);

  /* sent, delivered, read for each. */
  WAIT_UNTIL (count_received (receiver, "/whatsapp") == 6);
  parse_received (receiver, "/whatsapp", provider, statuses, inbound);
  g_assert_cmpuint (statuses->len, ==, 6);
  for (guint k = 0; k < 2; k++)
    {
      TcSendReceipt *receipt = k == 0 ? text_receipt : template_receipt;
      TcDeliveryState expected[] = { TC_DELIVERY_SENT, TC_DELIVERY_DELIVERED, TC_DELIVERY_READ };
      guint n = 0;

      for (guint i = 0; i < statuses->len; i++)
        {
          TcStatusUpdate *update = g_ptr_array_index (statuses, i);

          if (strcmp (update->provider_id, receipt->provider_id) != 0)
            continue;
          g_assert_cmpuint (n, <, 3);
          g_assert_cmpint (update->state, ==, expected[n]);
          g_assert_cmpint (update->at, >, 0);
          if (update->state != TC_DELIVERY_READ)
            {
              g_assert_cmpstr (update->pricing_category, ==, k == 0 ? "service" : "marketing");
              g_assert_cmpstr (update->pricing_model, ==, "PMP");
              g_assert_true (update->not_billable == (k == 0));
            }
          n++;
        }
      g_assert_cmpuint (n, ==, 3);
    }

  simulator_finish (simulator);
  receiver_free (receiver);
}

typedef struct
{
  const char *json;
  guint       status;
  guint       code;
} MetaCase;

static void
test_whatsapp_errors (void)
{
  static const MetaCase cases[] = {
    { "{\"to\":\"16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"abc\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}", 400, 131009 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"text\"}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"text\",\"text\":{}}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"fax\",\"fax\":{}}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"template\","
      "\"template\":{\"name\":\"x\"}}", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"image\","
      "\"image\":{\"link\":\"nope\"}}", 400, 100 },
    { "not json", 400, 100 },
    { "[1,2]", 400, 100 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"+16505551234\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}", 200, 0 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"image\","
      "\"image\":{\"link\":\"https://example.org/a.png\",\"caption\":\"c\"}}", 200, 0 },
    { "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"template\","
      "\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}", 200, 0 },
  };
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  TcSimulatorConfig config;
  TcSimulator *simulator;

  tc_simulator_config_init (&config);
  simulator = simulator_start (&config);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Answer) answer = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      g_test_message ("case %u: %s", i, cases[i].json);
      meta_post (session, simulator, cases[i].json, &answer);
      g_assert_cmpuint (answer.status, ==, cases[i].status);
      object = parse_object (parser, answer.body);
      if (cases[i].status == 200)
        {
          JsonObject *contact = json_array_get_object_element (json_object_get_array_member (object, "contacts"), 0);
          JsonObject *message = json_array_get_object_element (json_object_get_array_member (object, "messages"), 0);

          g_assert_cmpstr (json_object_get_string_member (object, "messaging_product"), ==, "whatsapp");
          g_assert_cmpstr (json_object_get_string_member (contact, "wa_id"), ==, "16505551234");
          g_assert_true (g_str_has_suffix (json_object_get_string_member (contact, "input"), "16505551234"));
          g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "id"), "wamid."));
        }
      else
        {
          JsonObject *error = json_object_get_object_member (object, "error");

          g_assert_cmpint (json_object_get_int_member (error, "code"), ==, cases[i].code);
          g_assert_nonnull (json_object_get_string_member (error, "message"));
          g_assert_nonnull (json_object_get_string_member (error, "type"));
          g_assert_nonnull (json_object_get_string_member (error, "fbtrace_id"));
        }
    }
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, 3);

  /* No token, or a path that is not the messages edge. */
  {
    g_autofree char *url = g_strconcat (tc_simulator_get_base_url (simulator), "/v23.0/" PHONE_ID "/messages", NULL);
    g_autofree char *bad_id = g_strconcat (tc_simulator_get_base_url (simulator), "/v23.0/me/messages", NULL);
    g_autofree char *other = g_strconcat (tc_simulator_get_base_url (simulator), "/v23.0/" PHONE_ID "/media", NULL);
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
    g_auto(Answer) no_token = { 0 };
    g_auto(Answer) id_answer = { 0 };
    g_auto(Answer) other_answer = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();

    raw_request (session, "POST", url, NULL, "application/json", body, &no_token);
    g_assert_cmpuint (no_token.status, ==, 401);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (parse_object (parser, no_token.body), "error"),
                                                 "code"), ==, 190);
    raw_request (session, "POST", bad_id, "Bearer x", "application/json", body, &id_answer);
    g_assert_cmpuint (id_answer.status, ==, 400);
    raw_request (session, "POST", other, "Bearer x", "application/json", body, &other_answer);
    g_assert_cmpuint (other_answer.status, ==, 404);
  }

  simulator_finish (simulator);
}

/* ------------------------------------------------------------------------
 * Rate
 */

static void
test_rate (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcProvider) twilio = NULL;
  g_autoptr(TcProvider) whatsapp = NULL;
  TcSimulatorConfig config;
  TcSimulator *simulator;
  guint accepted = 0, refused = 0;
  gint64 start;
  double elapsed;

  /* One message every two seconds: the bucket holds one. */
  tc_simulator_config_init (&config);
  config.max_rate = 0.5;
  simulator = simulator_start (&config);
  twilio = twilio_provider (session, simulator);
  whatsapp = whatsapp_provider (session, simulator);

  /* At once: one passes (another for every two seconds the loop took),
   * the rest get 429. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 12; i++)
    {
      g_auto(Answer) answer = { 0 };

      twilio_post (session, simulator, "To=%2B14155550100&From=%2B15005550006&Body=hi", &answer);
      if (answer.status == 201)
        accepted++;
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          guint64 seconds = 0;

          g_assert_cmpuint (answer.status, ==, 429);
          g_assert_cmpint (json_object_get_int_member (parse_object (parser, answer.body), "code"), ==, 20429);
          g_assert_nonnull (answer.retry_after);
          g_assert_true (g_ascii_string_to_unsigned (answer.retry_after, 10, 1, 2, &seconds, NULL));
          refused++;
        }
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (accepted, >=, 1);
  g_assert_cmpuint (accepted, <=, 1 + (guint) (elapsed * config.max_rate));
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (refused, ==, 12 - accepted);
  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, accepted);

  /* The providers see a transient failure with the wait. */
  {
    g_autoptr(TcSendFailure) failure = NULL;
    TcOutboundMessage sms = { .channel = TC_CHANNEL_SMS, .from = "+15005550006", .to = "+14155550100", .body = "x" };
    TcOutboundMessage wa = { .channel = TC_CHANNEL_WHATSAPP, .from = PHONE_ID, .to = "+16505551234", .body = "x" };

    g_assert_null (send_one (twilio, &sms, &failure));
    g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
    g_assert_cmpstr (failure->code, ==, "20429");
    g_assert_cmpint (failure->retry_after, >=, 1);
    g_clear_pointer (&failure, tc_send_failure_free);

    g_assert_null (send_one (whatsapp, &wa, &failure));
    g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
    g_assert_cmpstr (failure->code, ==, "130429");
    g_assert_cmpuint (failure->http_status, ==, 429);
    g_assert_cmpint (failure->retry_after, >=, 1);
  }

  /* Two seconds later the bucket has refilled. */
  spin (2100);
  {
    g_auto(Answer) answer = { 0 };

    twilio_post (session, simulator, "To=%2B14155550100&From=%2B15005550006&Body=hi", &answer);
    g_assert_cmpuint (answer.status, ==, 201);
  }

  simulator_finish (simulator);
}

/* ------------------------------------------------------------------------
 * Determinism, outcomes and replies
 */

typedef struct
{
  char            *sid;
  TcDeliveryState  final;
  char            *code;
  gboolean         read;
} Outcome;

static void
outcome_clear (gpointer data)
{
  Outcome *outcome = data;

  g_free (outcome->sid);
  g_free (outcome->code);
}

static gboolean
in_list (const char         *code,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_strcmp0 (code, list[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Sends @n SMS (half through Twilio's WhatsApp) with @seed and returns
 * each one's final outcome, in the order sent. */
static GArray *
run_outcomes (guint32 seed,
              guint   n)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  Receiver *receiver = receiver_new ();
  g_autofree char *callback = receiver_url (receiver, "/status");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_autoptr(GPtrArray) inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *outcomes = g_array_sized_new (FALSE, TRUE, sizeof (Outcome), n);
  TcSimulatorConfig config;
  TcSimulator *simulator;
  guint finals = 0;
  guint deadline;

  g_array_set_clear_func (outcomes, outcome_clear);
  tc_simulator_config_init (&config);
  config.seed = seed;
  config.delivered_ratio = 0.6;
  config.failed_ratio = 0.2;
  config.read_ratio = 0.5;
  config.status_delay_ms = 5;
  simulator = simulator_start (&config);
  provider = twilio_provider (session, simulator);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = g_strdup_printf ("+1415555%04u", i);
      g_autoptr(TcSendFailure) failure = NULL;
      g_autoptr(TcSendReceipt) receipt = NULL;
      TcOutboundMessage message = {
        .channel = i % 2 == 0 ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP,
        .from = "+15005550006", .to = to, .body = "Sale today", .status_callback = callback,
      };
      Outcome outcome = { 0 };

      receipt = send_one (provider, &message, &failure);
      g_assert_null (failure);
      outcome.sid = g_strdup (receipt->provider_id);
      g_array_append_val (outcomes, outcome);
    }
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index, g_array_index (outcomes, Outcome, i).sid, &g_array_index (outcomes, Outcome, i));

  /* Every message ends delivered, undelivered or failed; reads follow. */
  deadline = g_timeout_add_seconds (WAIT_SECONDS, on_deadline_cb, (gpointer) "final statuses");
  while (finals < n)
    {
      g_main_context_iteration (NULL, TRUE);
      if (receiver->received->len == 0)
        continue;
      g_ptr_array_set_size (statuses, 0);
      parse_received (receiver, "/status", provider, statuses, inbound);
      g_ptr_array_set_size (receiver->received, 0);
      for (guint i = 0; i < statuses->len; i++)
        {
          TcStatusUpdate *update = g_ptr_array_index (statuses, i);
          Outcome *outcome = g_hash_table_lookup (index, update->provider_id);

          g_assert_nonnull (outcome);
          if (update->state == TC_DELIVERY_READ)
            {
              g_assert_cmpint (outcome->final, ==, TC_DELIVERY_DELIVERED);
              outcome->read = TRUE;
            }
          else if (update->state != TC_DELIVERY_SENT)
            {
              g_assert_cmpint (outcome->final, ==, 0);
              outcome->final = update->state;
              outcome->code = g_strdup (update->error_code);
              finals++;
            }
        }
    }
  g_source_remove (deadline);
  /* The reads that are still on their way. */
  spin (300);
  g_ptr_array_set_size (statuses, 0);
  parse_received (receiver, "/status", provider, statuses, inbound);
  for (guint i = 0; i < statuses->len; i++)
    {
      TcStatusUpdate *update = g_ptr_array_index (statuses, i);

      g_assert_cmpint (update->state, ==, TC_DELIVERY_READ);
      ((Outcome *) g_hash_table_lookup (index, update->provider_id))->read = TRUE;
    }

  simulator_finish (simulator);
  receiver_free (receiver);

  return outcomes;
}

static void
test_determinism (void)
{
  static const char * const sms_undelivered[] = { "30003", "30005", "30006", "30007", NULL };
  static const char * const sms_failed[] = { "30008", "30004", NULL };
  static const char * const wa_undelivered[] = { "63024", "63049", "30003", "63003", NULL };
  static const char * const wa_failed[] = { "63003", "63024", NULL };
  g_autoptr(GArray) first = run_outcomes (42, 120);
  g_autoptr(GArray) second = run_outcomes (42, 120);
  g_autoptr(GArray) other = run_outcomes (43, 120);
  guint counts[TC_DELIVERY_FAILED + 1] = { 0 };
  guint differences = 0, reads = 0;

  for (guint i = 0; i < first->len; i++)
    {
      Outcome *a = &g_array_index (first, Outcome, i);
      Outcome *b = &g_array_index (second, Outcome, i);
      Outcome *c = &g_array_index (other, Outcome, i);
      gboolean whatsapp = i % 2 == 1;

      /* Same seed, same requests: the same outcomes (not the same ids). */
      g_assert_cmpint (a->final, ==, b->final);
      g_assert_cmpstr (a->code, ==, b->code);
      g_assert_true (a->read == b->read);
      g_assert_cmpstr (a->sid, !=, b->sid);
      if (a->final != c->final || g_strcmp0 (a->code, c->code) != 0)
        differences++;

      counts[a->final]++;
      reads += a->read;
      switch (a->final)
        {
        case TC_DELIVERY_DELIVERED:
          g_assert_null (a->code);
          break;
        case TC_DELIVERY_UNDELIVERED:
          g_assert_true (in_list (a->code, whatsapp ? wa_undelivered : sms_undelivered));
          break;
        case TC_DELIVERY_FAILED:
          g_assert_true (in_list (a->code, whatsapp ? wa_failed : sms_failed));
          break;
        case TC_DELIVERY_QUEUED:
        case TC_DELIVERY_SENT:
        case TC_DELIVERY_READ:
        default:
          g_assert_not_reached ();
        }
      /* Only WhatsApp messages are read. */
      g_assert_true (!a->read || whatsapp);
    }

  /* 0.6 / 0.2 / 0.2 of 120: each class well represented. */
  g_assert_cmpuint (counts[TC_DELIVERY_DELIVERED], >=, 50);
  g_assert_cmpuint (counts[TC_DELIVERY_UNDELIVERED], >=, 10);
  g_assert_cmpuint (counts[TC_DELIVERY_FAILED], >=, 10);
  g_assert_cmpuint (reads, >=, 5);
  /* Another seed, another sequence. */
  g_assert_cmpuint (differences, >=, 10);
}

static void
test_replies (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  Receiver *receiver = receiver_new ();
  g_autofree char *twilio_inbound = receiver_url (receiver, "/twilio/inbound");
  g_autofree char *webhook = receiver_url (receiver, "/whatsapp");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  g_autoptr(GPtrArray) inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(GPtrArray) wa_inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  g_autoptr(TcProvider) twilio = NULL;
  g_autoptr(TcProvider) whatsapp = NULL;
  TcSimulatorConfig config;
  TcSimulator *simulator;
  const guint n = 30;
  guint stops = 0;

  tc_simulator_config_init (&config);
  config.seed = 5;
  config.delivered_ratio = 1.0;
  config.failed_ratio = 0.0;
  config.reply_ratio = 1.0;
  config.read_ratio = 1.0;
  config.status_delay_ms = 5;
  config.twilio_inbound_url = twilio_inbound;
  config.whatsapp_webhook_url = webhook;
  config.whatsapp_app_secret = APP_SECRET;
  simulator = simulator_start (&config);
  twilio = twilio_provider (session, simulator);
  whatsapp = whatsapp_provider (session, simulator);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = g_strdup_printf ("+1650555%04u", i);
      g_autoptr(TcSendFailure) failure = NULL;
      g_autoptr(TcSendReceipt) sms = NULL;
      g_autoptr(TcSendReceipt) wa = NULL;
      TcOutboundMessage message = { .channel = TC_CHANNEL_SMS, .from = "+15005550006", .to = to, .body = "Hi" };

      sms = send_one (twilio, &message, &failure);
      g_assert_null (failure);
      message.channel = TC_CHANNEL_WHATSAPP;
      message.from = PHONE_ID;
      wa = send_one (whatsapp, &message, &failure);
      g_assert_null (failure);
    }

  WAIT_UNTIL (count_received (receiver, "/twilio/inbound") == n &&
              count_received (receiver, "/whatsapp") == n * 4);
  parse_received (receiver, "/twilio/inbound", twilio, statuses, inbound);
  parse_received (receiver, "/whatsapp", whatsapp, statuses, wa_inbound);
  g_assert_cmpuint (inbound->len, ==, n);
  g_assert_cmpuint (wa_inbound->len, ==, n);

  for (guint k = 0; k < 2; k++)
    {
      GPtrArray *list = k == 0 ? inbound : wa_inbound;
      g_autoptr(GHashTable) senders = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < list->len; i++)
        {
          TcInboundMessage *message = g_ptr_array_index (list, i);
          gboolean known = FALSE;

          for (guint r = 0; r < G_N_ELEMENTS (reply_texts); r++)
            known |= strcmp (message->body, reply_texts[r]) == 0;
          g_assert_true (known);
          g_assert_true (g_str_has_prefix (message->from, "+1650555"));
          g_assert_cmpstr (message->to, ==, k == 0 ? "+15005550006" : PHONE_ID);
          g_assert_cmpint (message->channel, ==, k == 0 ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP);
          g_assert_nonnull (message->provider_id);
          g_hash_table_add (senders, message->from);
        }
      /* One reply per recipient. */
      g_assert_cmpuint (g_hash_table_size (senders), ==, n);
    }

  /* Twilio remembers a STOP: that sender may no longer text that
   * number (21610, which the provider turns into an opt-out). */
  for (guint i = 0; i < inbound->len; i++)
    {
      TcInboundMessage *message = g_ptr_array_index (inbound, i);
      g_autoptr(TcSendFailure) failure = NULL;
      g_autoptr(TcSendReceipt) receipt = NULL;
      TcOutboundMessage again = { .channel = TC_CHANNEL_SMS, .from = "+15005550006", .to = message->from, .body = "Hi" };

      receipt = send_one (twilio, &again, &failure);
      if (g_ascii_strcasecmp (message->body, "STOP") == 0)
        {
          stops++;
          g_assert_null (receipt);
          g_assert_cmpstr (failure->code, ==, "21610");
          g_assert_cmpint (failure->effect, ==, TC_SEND_EFFECT_OPTED_OUT);
        }
      else
        g_assert_null (failure);
    }
  g_assert_cmpuint (stops, >, 0);

  simulator_finish (simulator);
  receiver_free (receiver);
}

/* ------------------------------------------------------------------------
 * Bounds: request sizes, callbacks in flight
 */

static void
test_bounds (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  TcSimulatorConfig config;
  TcSimulator *simulator;
  g_autofree char *twilio_url = NULL;
  g_autofree char *meta_url = NULL;
  g_autofree char *auth = basic_auth (ACCOUNT_SID, AUTH_TOKEN);

  tc_simulator_config_init (&config);
  simulator = simulator_start (&config);
  twilio_url = g_strconcat (tc_simulator_get_base_url (simulator), MESSAGES, NULL);
  meta_url = g_strconcat (tc_simulator_get_base_url (simulator), "/v23.0/" PHONE_ID "/messages", NULL);

  /* Twilio: 64 KiB. Just under passes validation, just over is 413. */
  for (guint k = 0; k < 2; k++)
    {
      gsize size = 64 * 1024 + (k == 0 ? 0 : 1);
      g_autoptr(GString) form = g_string_new ("To=%2B14155550100&From=%2B15005550006&Body=hi&Pad=");
      g_autoptr(GBytes) body = NULL;
      g_auto(Answer) answer = { 0 };

      while (form->len < size)
        g_string_append_c (form, 'x');
      body = g_bytes_new (form->str, form->len);
      raw_request (session, "POST", twilio_url, auth, SOUP_FORM_MIME_TYPE_URLENCODED, body, &answer);
      g_assert_cmpuint (answer.status, ==, k == 0 ? 201 : 413);
    }

  /* Meta: 1 MiB. */
  for (guint k = 0; k < 2; k++)
    {
      gsize size = 1024 * 1024 + (k == 0 ? 0 : 1);
      g_autoptr(GString) json = g_string_new ("{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\","
                                              "\"type\":\"text\",\"text\":{\"body\":\"hi\"},\"pad\":\"");
      g_autoptr(GBytes) body = NULL;
      g_auto(Answer) answer = { 0 };

      while (json->len < size - 2)
        g_string_append_c (json, 'x');
      g_string_append (json, "\"}");
      g_assert_cmpuint (json->len, ==, size);
      body = g_bytes_new (json->str, json->len);
      raw_request (session, "POST", meta_url, "Bearer x", "application/json", body, &answer);
      g_assert_cmpuint (answer.status, ==, k == 0 ? 200 : 413);
    }

  /* A chunked body (no length given) is counted as it comes. */
  {
    g_autoptr(SoupMessage) message = soup_message_new ("POST", twilio_url);
    g_autofree char *big = g_malloc (100 * 1024);
    g_autoptr(GInputStream) stream = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;

    memset (big, 'y', 100 * 1024);
    stream = g_memory_input_stream_new_from_data (big, 100 * 1024, NULL);
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
    soup_message_set_request_body (message, SOUP_FORM_MIME_TYPE_URLENCODED, stream, -1);
    soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, store_result_cb, &result);
    WAIT_UNTIL (result != NULL);
    answer = soup_session_send_and_read_finish (session, result, &error);
    /* Refused: 413, or the connection shut before the whole body went. */
    if (error == NULL)
      g_assert_cmpuint (soup_message_get_status (message), ==, 413);
  }

  /* JSON nested too deep for json-glib's recursion. */
  {
    g_autoptr(GString) json = g_string_new (NULL);
    g_autoptr(GBytes) body = NULL;
    g_auto(Answer) answer = { 0 };

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (json, '[');
    body = g_bytes_new (json->str, json->len);
    raw_request (session, "POST", meta_url, "Bearer x", "application/json", body, &answer);
    g_assert_cmpuint (answer.status, ==, 400);
  }

  g_assert_cmpuint (tc_simulator_get_n_accepted (simulator), ==, 2);
  simulator_finish (simulator);
}

static void
test_callbacks_bounded (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  Receiver *receiver = receiver_new ();
  g_autofree char *callback = receiver_url (receiver, "/held");
  TcSimulatorConfig config;
  TcSimulator *simulator;
  const guint n = 100;

  tc_simulator_config_init (&config);
  config.delivered_ratio = 1.0;
  config.failed_ratio = 0.0;
  config.status_delay_ms = 1;
  simulator = simulator_start (&config);
  receiver->hold = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (callback, NULL, FALSE);
      g_autofree char *form = NULL;
      g_auto(Answer) answer = { 0 };

      form = g_strdup_printf ("To=%%2B1415555%04u&From=%%2B15005550006&Body=hi&StatusCallback=%s", i, escaped);
      twilio_post (session, simulator, form, &answer);
      g_assert_cmpuint (answer.status, ==, 201);
    }

  /* The receiver holds every answer: the callbacks wait (in the
   * simulator's queues, at most 16 posted at once; libsoup's connection
   * limit keeps fewer still at the receiver) and none is lost. */
  spin (300);
  g_assert_cmpuint (receiver->held->len, >, 0);
  g_assert_cmpuint (receiver->max_held, <=, 16);
  receiver_release (receiver);

  /* Released, all of them arrive: sent and delivered for each. */
  WAIT_UNTIL (count_received (receiver, "/held") == 2 * n);

  simulator_finish (simulator);
  receiver_free (receiver);
}

/* ------------------------------------------------------------------------
 * The log
 */

static void
test_log (void)
{
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-simulator-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "log.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(TcProvider) twilio = NULL;
  g_autoptr(TcProvider) whatsapp = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  static const char * const members[] = { "provider", "id", "to", "body", "at" };
  const char *bodies[] = { "Plain", "Quotes \" and \\ and\nnew line", "Ünïcödé ✓ 😀", "WA text", NULL };
  TcSimulatorConfig config;
  TcSimulator *simulator;
  guint n_lines;

  g_assert_no_error (error);
  /* An existing line stays: the log is appended to. */
  g_assert_true (g_file_set_contents (path, "{\"earlier\":true}\n", -1, &error));

  tc_simulator_config_init (&config);
  config.log_path = path;
  simulator = simulator_start (&config);
  twilio = twilio_provider (session, simulator);
  whatsapp = whatsapp_provider (session, simulator);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TcSendFailure) failure = NULL;
      g_autoptr(TcSendReceipt) receipt = NULL;
      TcOutboundMessage message = { .channel = TC_CHANNEL_SMS, .from = "+15005550006",
                                    .to = "+14155550100", .body = bodies[i] };

      if (i == 3)
        {
          message.channel = TC_CHANNEL_WHATSAPP;
          message.from = PHONE_ID;
          receipt = send_one (whatsapp, &message, &failure);
        }
      else if (i == 4)
        {
          /* A refused message is not logged. */
          message.to = "+1";
          message.body = "refused";
          receipt = send_one (twilio, &message, &failure);
          g_assert_null (receipt);
          continue;
        }
      else
        receipt = send_one (twilio, &message, &failure);
      g_assert_null (failure);
      g_ptr_array_add (ids, g_strdup (receipt->provider_id));

      /* Written before the answer: the line is there already. */
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
      g_assert_nonnull (strstr (contents, receipt->provider_id));
    }

  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, ==, 1 + 4 + 1);
  g_assert_cmpstr (lines[0], ==, "{\"earlier\":true}");
  g_assert_cmpstr (lines[5], ==, "");

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_object (parser, lines[i + 1]);
      g_autoptr(GDateTime) at = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (members));
      for (guint k = 0; k < G_N_ELEMENTS (members); k++)
        g_assert_true (json_object_has_member (object, members[k]));
      g_assert_cmpstr (json_object_get_string_member (object, "provider"), ==, i == 3 ? "whatsapp" : "twilio");
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, g_ptr_array_index (ids, i));
      g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, "+14155550100");
      g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, bodies[i]);
      at = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "at"), NULL);
      g_assert_nonnull (at);
      g_assert_cmpint (g_date_time_difference (now, at), <, 60 * G_TIME_SPAN_SECOND);
      g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "at"), "Z"));
    }

  simulator_finish (simulator);

  /* A log that cannot be opened is an error at listen. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "log.jsonl", NULL);
    g_autoptr(TcSimulator) failing = NULL;

    config.log_path = bad;
    failing = tc_simulator_new (&config);
    g_assert_false (tc_simulator_listen (failing, "127.0.0.1", 0, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, bad));
    g_clear_error (&error);
  }
  {
    g_autoptr(TcSimulator) failing = NULL;

    config.log_path = NULL;
    failing = tc_simulator_new (&config);
    g_assert_false (tc_simulator_listen (failing, "localhost-ish", 0, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ------------------------------------------------------------------------
 * textcast-cli simulator
 */

static void
test_cli (void)
{
  const char *cli = g_getenv ("TEXTCAST_CLI");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-simulator-cli-XXXXXX", &error);
  g_autofree char *log = g_build_filename (dir, "sim.jsonl", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(SoupSession) session = tc_soup_session_new ();
  g_autoptr(TcProvider) provider = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  g_autoptr(TcSendReceipt) receipt = NULL;
  g_autoptr(GUri) uri = NULL;
  TcOutboundMessage message = { .channel = TC_CHANNEL_SMS, .from = "+15005550006",
                                .to = "+14155550100", .body = "From the CLI test" };

  if (cli == NULL)
    {
      g_test_skip ("TEXTCAST_CLI is not set");
      return;
    }
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "simulator", "--listen", "127.0.0.1:0",
                                         "--seed", "9", "--log", log, "--max-rate", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  /* The first line is the base URL, with the port picked. */
  uri = g_uri_parse (line, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  provider = TC_PROVIDER (tc_twilio_provider_new (session, line, ACCOUNT_SID, AUTH_TOKEN));
  receipt = send_one (provider, &message, &failure);
  g_assert_null (failure);
  g_assert_true (is_hex_sid (receipt->provider_id, "SM"));

  g_assert_true (g_file_get_contents (log, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, receipt->provider_id));
  g_assert_nonnull (strstr (contents, "\"body\":\"From the CLI test\""));

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_assert_cmpint (g_remove (log), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

typedef struct
{
  const char *args[6];
  int         status;
} CliCase;

static void
test_cli_usage (void)
{
  static const CliCase cases[] = {
    { { "simulator", "--listen", "nowhere", NULL }, 2 },
    { { "simulator", "--listen", "127.0.0.1:70000", NULL }, 2 },
    { { "simulator", "--listen", "127.0.0.1:0", "--max-rate", "-1", NULL }, 2 },
    { { "simulator", "--listen", "127.0.0.1:0", "--seed", "x", NULL }, 2 },
    { { "simulator", "--listen", "127.0.0.1:0", "--webhook-url", "ftp://x", NULL }, 2 },
    { { "simulator", "--listen", "127.0.0.1:0", "--bogus", NULL }, 2 },
    { { "simulator", "extra", NULL }, 2 },
    { { "simulator", "--listen", "256.0.0.1:0", NULL }, 2 },
    /* A documentation address this machine does not have: bind fails. */
    { { "simulator", "--listen", "192.0.2.1:0", NULL }, 1 },
    { { "simulator", "--help", NULL }, 0 },
  };
  const char *cli = g_getenv ("TEXTCAST_CLI");

  if (cli == NULL)
    {
      g_test_skip ("TEXTCAST_CLI is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer) cli);
      for (guint k = 0; cases[i].args[k] != NULL; k++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[k]);
      g_ptr_array_add (argv, NULL);

      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_test_message ("case %u: exit %d, stderr: %s", i, g_subprocess_get_exit_status (process), err);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, cases[i].status);
      if (cases[i].status == 0)
        g_assert_nonnull (strstr (out, "--listen"));
      else
        g_assert_true (g_str_has_prefix (err, "textcast-cli: "));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator/twilio/send", test_twilio_send);
  g_test_add_func ("/simulator/twilio/errors", test_twilio_errors);
  g_test_add_func ("/simulator/twilio/list", test_twilio_list);
  g_test_add_func ("/simulator/whatsapp/send", test_whatsapp_send);
  g_test_add_func ("/simulator/whatsapp/errors", test_whatsapp_errors);
  g_test_add_func ("/simulator/rate", test_rate);
  g_test_add_func ("/simulator/determinism", test_determinism);
  g_test_add_func ("/simulator/replies", test_replies);
  g_test_add_func ("/simulator/bounds", test_bounds);
  g_test_add_func ("/simulator/callbacks-bounded", test_callbacks_bounded);
  g_test_add_func ("/simulator/log", test_log);
  g_test_add_func ("/simulator/cli", test_cli);
  g_test_add_func ("/simulator/cli-usage", test_cli_usage);

  return g_test_run ();
}
