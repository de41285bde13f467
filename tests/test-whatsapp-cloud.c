/* test-whatsapp-cloud.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TcWhatsappProvider against fakes of Meta's Cloud API in this process: a
 * SoupServer on 127.0.0.1 for the answers Meta gives (each outcome class,
 * the exact JSON sent, the Bearer header, redirects, 401, 421), and a raw
 * socket server in threads for what a SoupServer cannot do: read a
 * request and close without answering, never answer, cut an answer short,
 * and close a keep-alive connection on the next request. Every send
 * counts the requests that reached the fake: a create-message request
 * goes out once.
 *
 * Webhooks: the signature vectors and sample bodies in
 * $TEXTCAST_SPECS_DIR (../shared/specs; skipped when absent), the examples
 * pulled from Meta's OpenAPI description, and our own cases. The request
 * bodies are also checked against the send-message schema of that
 * description.
 */

#define G_LOG_DOMAIN "test-whatsapp-cloud"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-soup.h"
#include "tc-wa-template.h"
#include "tc-whatsapp-cloud.h"

#define TOKEN        "EAAGtest5ecretT0kenWA"
#define PHONE_ID     "106540352242922"
#define OTHER_ID     "990000000000001"
#define APP_SECRET   "app-5ecret-for-tests"
#define VERIFY_TOKEN "verify-me-42"
#define MESSAGES_PATH "/v23.0/" PHONE_ID "/messages"
#define WAMID        "wamid.HBgLMTIwMjU1NTAxMDAVAgARGBI0QzBGRTE5NjJCRjNBNzgyQTgA"

/* ------------------------------------------------------------------------
 * Fake Cloud API (SoupServer)
 */

typedef struct
{
  SoupServer  *server;
  char        *base;
  SoupSession *session;
  TcWhatsappProvider *provider;

  guint        n_requests;
  GHashTable  *ports;          /* client ports seen: one per connection */
  char        *method;
  char        *path;
  char        *authorization;
  char        *content_type;
  GBytes      *request_body;

  guint        reply_status;
  char        *reply_body;
  char        *reply_header;   /* "Name: value", or NULL */
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  f->n_requests++;
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    g_hash_table_add (f->ports, GUINT_TO_POINTER (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote))));
  g_free (f->method);
  f->method = g_strdup (soup_server_message_get_method (msg));
  g_free (f->path);
  f->path = g_strdup (path);
  g_free (f->authorization);
  f->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (f->content_type);
  f->content_type = g_strdup (soup_message_headers_get_content_type (request_headers, NULL));
  g_clear_pointer (&f->request_body, g_bytes_unref);
  f->request_body = g_bytes_ref (flat);

  if (strcmp (path, "/elsewhere") == 0)
    {
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        "{\"messages\":[{\"id\":\"wamid.redirected\"}]}", 38);
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }

  soup_server_message_set_status (msg, f->reply_status, NULL);
  if (f->reply_header != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (f->reply_header, ": ", 2);

      soup_message_headers_replace (response_headers, parts[0], parts[1]);
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    f->reply_body, strlen (f->reply_body));
}

static void
reply (Fixture    *f,
       guint       status,
       const char *body,
       const char *header)
{
  g_free (f->reply_body);
  f->reply_body = g_strdup (body);
  f->reply_status = status;
  g_free (f->reply_header);
  f->reply_header = g_strdup (header);
}

static TcWhatsappProvider *
provider_for (Fixture    *f,
              const char *base)
{
  return tc_whatsapp_provider_new (f->session, base, NULL, PHONE_ID, TOKEN, APP_SECRET, VERIFY_TOKEN);
}

static void spin (guint ms);

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->server = soup_server_new ("server-header", "fake-graph", NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->ports = g_hash_table_new (NULL, NULL);
  f->session = tc_soup_session_new ();
  f->provider = provider_for (f, f->base);
  reply (f, 200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+16505551234\",\"wa_id\":\"16505551234\"}],"
                 "\"messages\":[{\"id\":\"" WAMID "\",\"message_status\":\"accepted\"}]}", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Let finished requests let go of their objects. */
  spin (20);
  g_assert_finalize_object (f->provider);
  soup_session_abort (f->session);
  spin (20);
  g_assert_finalize_object (f->session);
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_hash_table_unref (f->ports);
  g_free (f->base);
  g_free (f->method);
  g_free (f->path);
  g_free (f->authorization);
  g_free (f->content_type);
  g_clear_pointer (&f->request_body, g_bytes_unref);
  g_free (f->reply_body);
  g_free (f->reply_header);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs the main loop for about @ms milliseconds: long enough for a
 * re-sent request to reach a fake. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct
{
  TcSendReceipt *receipt;
  TcSendFailure *failure;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->receipt, tc_send_receipt_free);
  g_clear_pointer (&outcome->failure, tc_send_failure_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static Outcome
send_full (TcWhatsappProvider      *provider,
           const TcOutboundMessage *message,
           GCancellable            *cancellable,
           gboolean                 cancel_now)
{
  g_autoptr(GAsyncResult) result = NULL;
  Outcome outcome = { NULL, NULL };

  tc_provider_send_async (TC_PROVIDER (provider), message, cancellable, store_cb, &result);
  if (cancel_now)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  outcome.receipt = tc_provider_send_finish (TC_PROVIDER (provider), result, &outcome.failure);
  g_assert_true ((outcome.receipt == NULL) != (outcome.failure == NULL));
  if (outcome.failure != NULL)
    {
      g_assert_nonnull (outcome.failure->meaning);
      g_assert_nonnull (outcome.failure->action);
      g_assert_cmpstr (outcome.failure->meaning, !=, "");
      g_assert_cmpstr (outcome.failure->action, !=, "");
      /* The token never appears in what a failure says. */
      g_assert_null (strstr (outcome.failure->meaning, TOKEN));
      g_assert_null (strstr (outcome.failure->action, TOKEN));
      if (outcome.failure->provider_message != NULL)
        g_assert_null (strstr (outcome.failure->provider_message, TOKEN));
    }

  return outcome;
}

static Outcome
send (TcWhatsappProvider      *provider,
      const TcOutboundMessage *message)
{
  return send_full (provider, message, NULL, FALSE);
}

static TcOutboundMessage
text_message (const char *body)
{
  TcOutboundMessage message = { 0 };

  message.channel = TC_CHANNEL_WHATSAPP;
  message.from = PHONE_ID;
  message.to = "+16505551234";
  message.body = body;

  return message;
}

static void
assert_json_equal (GBytes     *bytes,
                   const char *expected)
{
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) want = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (bytes);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  got = json_from_string (text, &error);
  g_assert_no_error (error);
  want = json_from_string (expected, &error);
  g_assert_no_error (error);
  if (!json_node_equal (got, want))
    g_error ("sent %s\nexpected %s", text, expected);
}

/* ------------------------------------------------------------------------
 * Sending: what goes out
 */

static void
test_send_text (Fixture       *f,
                gconstpointer  data)
{
  TcOutboundMessage message = text_message ("Your order #4411 has shipped.");
  g_auto(Outcome) outcome = send (f->provider, &message);

  g_assert_nonnull (outcome.receipt);
  g_assert_cmpstr (outcome.receipt->provider_id, ==, WAMID);
  g_assert_cmpstr (outcome.receipt->status, ==, "accepted");

  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_cmpstr (f->method, ==, "POST");
  g_assert_cmpstr (f->path, ==, MESSAGES_PATH);
  g_assert_cmpstr (f->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (f->content_type, ==, "application/json");
  assert_json_equal (f->request_body,
                     "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                     "\"to\":\"16505551234\",\"type\":\"text\","
                     "\"text\":{\"body\":\"Your order #4411 has shipped.\",\"preview_url\":false}}");
}

static void
test_send_text_link (Fixture       *f,
                     gconstpointer  data)
{
  TcOutboundMessage message = text_message ("Track it: https://t.example/4411 — «Olá» ✓");
  g_auto(Outcome) outcome = send (f->provider, &message);

  g_assert_nonnull (outcome.receipt);
  assert_json_equal (f->request_body,
                     "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                     "\"to\":\"16505551234\",\"type\":\"text\","
                     "\"text\":{\"body\":\"Track it: https://t.example/4411 — «Olá» ✓\",\"preview_url\":true}}");
}

static void
test_send_image (Fixture       *f,
                 gconstpointer  data)
{
  TcOutboundMessage message = text_message ("New arrivals");
  g_auto(Outcome) first = { NULL, NULL };
  g_auto(Outcome) second = { NULL, NULL };

  message.media_url = "https://cdn.example/shoes.jpg";
  first = send (f->provider, &message);
  g_assert_nonnull (first.receipt);
  assert_json_equal (f->request_body,
                     "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                     "\"to\":\"16505551234\",\"type\":\"image\","
                     "\"image\":{\"link\":\"https://cdn.example/shoes.jpg\",\"caption\":\"New arrivals\"}}");

  message.body = NULL;
  second = send (f->provider, &message);
  g_assert_nonnull (second.receipt);
  assert_json_equal (f->request_body,
                     "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                     "\"to\":\"16505551234\",\"type\":\"image\","
                     "\"image\":{\"link\":\"https://cdn.example/shoes.jpg\"}}");
  g_assert_cmpuint (f->n_requests, ==, 2);
}

static TcWaTemplate *
sample_template (void)
{
  TcWaTemplate *template = tc_wa_template_new ("order_update", "pt_BR", TC_WA_CATEGORY_UTILITY);

  tc_wa_template_set_header_format (template, TC_WA_HEADER_IMAGE);
  tc_wa_template_set_header_example (template, "https://cdn.example/box.png");
  tc_wa_template_set_header_binding (template, "{{picture}}");
  tc_wa_template_set_body (template, "Olá {{1}}, o pedido {{2}} saiu para entrega.");
  tc_wa_template_set_body_param (template, 1, "Ana", "{{first_name}}");
  tc_wa_template_set_body_param (template, 2, "4411", "{{order}}");
  tc_wa_template_add_button (template, TC_WA_BUTTON_URL, "Rastrear", "https://t.example/{{1}}",
                             "4411", "{{order}}");
  tc_wa_template_add_button (template, TC_WA_BUTTON_QUICK_REPLY, "Parar", NULL, NULL, "STOP");

  return template;
}

#define TEMPLATE_OBJECT \
  "{\"name\":\"order_update\",\"language\":{\"policy\":\"deterministic\",\"code\":\"pt_BR\"}," \
  "\"components\":[" \
  "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example/box.png\"}}]}," \
  "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ana\"},{\"type\":\"text\",\"text\":\"4411\"}]}," \
  "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"4411\"}]}," \
  "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"1\",\"parameters\":[{\"type\":\"payload\",\"payload\":\"STOP\"}]}]}"

/* The whole send request for the sample template, as the core builds it. */
static char *
sample_send_request (const char *to)
{
  g_autoptr(TcWaTemplate) template = sample_template ();
  const char *body[] = { "Ana", "4411", NULL };
  const char *buttons[] = { "4411", "STOP", NULL };
  g_autoptr(TcWaSendValues) values = tc_wa_send_values_new ("https://cdn.example/box.png", body, buttons);
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;

  request = tc_wa_template_build_send_request (template, to, values, &error);
  g_assert_no_error (error);

  return json_to_string (request, FALSE);
}

static void
test_send_template (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *whole = sample_send_request ("+16505551234");
  TcOutboundMessage message = text_message (NULL);
  const char *expected = "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                         "\"to\":\"16505551234\",\"type\":\"template\",\"template\":" TEMPLATE_OBJECT "}";
  g_auto(Outcome) first = { NULL, NULL };
  g_auto(Outcome) second = { NULL, NULL };

  /* A whole send request from the core: its "template" is used. */
  message.wa_template_json = whole;
  message.media_url = "https://cdn.example/ignored.jpg";
  first = send (f->provider, &message);
  g_assert_nonnull (first.receipt);
  assert_json_equal (f->request_body, expected);

  /* Only the template object. */
  message.wa_template_json = TEMPLATE_OBJECT;
  second = send (f->provider, &message);
  g_assert_nonnull (second.receipt);
  assert_json_equal (f->request_body, expected);
}

/* Refused before anything is sent. */
static void
test_send_refused_locally (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (4097, 'a');
  g_autofree char *long_caption = g_strnfill (1025, 'b');
  struct {
    const char  *to;
    TcChannel    channel;
    const char  *body;
    const char  *media_url;
    const char  *template_json;
    TcSendEffect effect;
  } cases[] = {
    { "+1650555", TC_CHANNEL_WHATSAPP, "Hi", NULL, NULL, TC_SEND_EFFECT_NONE },            /* ok: 7 digits */
    { "16505551234", TC_CHANNEL_SMS, "Hi", NULL, NULL, TC_SEND_EFFECT_NONE },
    { "+1 650 555 1234", TC_CHANNEL_WHATSAPP, "Hi", NULL, NULL, TC_SEND_EFFECT_INVALID_NUMBER },
    { "+12345678901234567", TC_CHANNEL_WHATSAPP, "Hi", NULL, NULL, TC_SEND_EFFECT_INVALID_NUMBER },
    { "", TC_CHANNEL_WHATSAPP, "Hi", NULL, NULL, TC_SEND_EFFECT_INVALID_NUMBER },
    { NULL, TC_CHANNEL_WHATSAPP, "Hi", NULL, NULL, TC_SEND_EFFECT_INVALID_NUMBER },
    { "+16505551234", TC_CHANNEL_WHATSAPP, "", NULL, NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, NULL, NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, long_text, NULL, NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, long_caption, "https://cdn.example/a.png", NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, "file:///etc/passwd", NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, "cdn.example/a.png", NULL, TC_SEND_EFFECT_NONE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, NULL, "{\"name\":", TC_SEND_EFFECT_TEMPLATE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, NULL, "[1,2]", TC_SEND_EFFECT_TEMPLATE },
    { "+16505551234", TC_CHANNEL_WHATSAPP, NULL, NULL, "{\"template\":{\"name\":\"x\"}}", TC_SEND_EFFECT_TEMPLATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcOutboundMessage message = { 0 };
      g_auto(Outcome) outcome = { NULL, NULL };
      guint before = f->n_requests;

      message.channel = cases[i].channel;
      message.to = cases[i].to;
      message.body = cases[i].body;
      message.media_url = cases[i].media_url;
      message.wa_template_json = cases[i].template_json;
      outcome = send (f->provider, &message);

      if (i == 0)
        {
          g_assert_nonnull (outcome.receipt);
          g_assert_cmpuint (f->n_requests, ==, before + 1);
          continue;
        }
      g_test_message ("case %u", i);
      g_assert_nonnull (outcome.failure);
      g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_PERMANENT);
      g_assert_cmpint (outcome.failure->effect, ==, cases[i].effect);
      g_assert_cmpuint (outcome.failure->http_status, ==, 0);
      g_assert_cmpuint (f->n_requests, ==, before);
    }
}

static void
test_send_misconfigured (Fixture       *f,
                         gconstpointer  data)
{
  TcOutboundMessage message = text_message ("Hi");
  struct {
    const char *base;
    const char *phone_id;
    const char *token;
  } cases[] = {
    { NULL, PHONE_ID, NULL },
    { NULL, PHONE_ID, "  " },
    { NULL, "../../me", TOKEN },
    { NULL, "", TOKEN },
    { "not a url", PHONE_ID, TOKEN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcWhatsappProvider) provider = NULL;
      g_auto(Outcome) outcome = { NULL, NULL };

      provider = tc_whatsapp_provider_new (f->session, cases[i].base != NULL ? cases[i].base : f->base,
                                           "v23.0", cases[i].phone_id, cases[i].token, NULL, NULL);
      outcome = send (provider, &message);
      g_assert_nonnull (outcome.failure);
      g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_PERMANENT);
      g_assert_cmpint (outcome.failure->effect, ==, TC_SEND_EFFECT_ACCOUNT);
    }
  g_assert_cmpuint (f->n_requests, ==, 0);
}

static void
test_base_url_and_version (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *base = g_strdup_printf ("  %s//  ", f->base);
  g_autoptr(TcWhatsappProvider) provider = NULL;
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = { NULL, NULL };

  provider = tc_whatsapp_provider_new (f->session, base, "v21.0", PHONE_ID, TOKEN, NULL, NULL);
  outcome = send (provider, &message);
  g_assert_nonnull (outcome.receipt);
  g_assert_cmpstr (f->path, ==, "/v21.0/" PHONE_ID "/messages");
  g_assert_cmpstr (tc_provider_get_name (TC_PROVIDER (provider)), ==, "whatsapp");
  g_assert_true (tc_provider_supports (TC_PROVIDER (provider), TC_CHANNEL_WHATSAPP));
  g_assert_false (tc_provider_supports (TC_PROVIDER (provider), TC_CHANNEL_SMS));
}

/* ------------------------------------------------------------------------
 * Sending: Meta's answers
 */

static void
test_send_answers (Fixture       *f,
                   gconstpointer  data)
{
  struct {
    guint               status;
    const char         *code;     /* NULL: the body is taken as is */
    const char         *body;
    const char         *header;
    TcSendFailureClass  klass;
    TcSendEffect        effect;
    gint64              retry_after;
  } cases[] = {
    { 400, "131026", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP, 0 },
    { 400, "131047", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_WINDOW_CLOSED, 0 },
    { 400, "131050", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT, 0 },
    { 400, "131049", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, 0 },
    { 400, "131021", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER, 0 },
    { 400, "132001", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE, 0 },
    { 400, "132000", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE, 0 },
    { 401, "190", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, 0 },
    { 400, "100", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, 0 },
    { 429, "130429", NULL, "Retry-After: 30", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 30 },
    { 400, "131056", NULL, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 0 },
    { 400, "80007", NULL, "Retry-After: 120", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 120 },
    { 500, "131000", NULL, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 0 },
    { 503, "131016", NULL, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 0 },
    /* Unknown codes: the HTTP status decides. */
    { 400, "999999", NULL, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, 0 },
    { 503, "999999", NULL, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 0 },
    { 429, NULL, "", "Retry-After: 7", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 7 },
    { 502, NULL, "<html>Bad gateway</html>", NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE, 0 },
    { 403, NULL, "{}", NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, 0 },
    { 404, NULL, "{\"error\":\"nope\"}", NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT, 0 },
    { 400, NULL, "{\"error\":{\"message\":\"(#131009) Parameter value is not valid\",\"code\":\"131009\"}}",
      NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE, 0 },
    /* 2xx that cannot be read: ambiguous. */
    { 200, NULL, "not json", NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, 0 },
    { 200, NULL, "{\"messages\":[]}", NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, 0 },
    { 201, NULL, "{\"messages\":[{\"id\":\"\"}]}", NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, 0 },
    { 200, NULL, "", NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcOutboundMessage message = text_message ("Hi");
      g_auto(Outcome) outcome = { NULL, NULL };
      g_autofree char *body = NULL;

      g_test_message ("case %u: %u %s", i, cases[i].status, cases[i].code ? cases[i].code : cases[i].body);
      if (cases[i].code != NULL)
        body = g_strdup_printf ("{\"error\":{\"message\":\"(#%s) Meta says no for " TOKEN "\","
                                "\"type\":\"OAuthException\",\"code\":%s,\"error_subcode\":2494010,"
                                "\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Details of %s\"},"
                                "\"fbtrace_id\":\"AbCdEf123\"}}",
                                cases[i].code, cases[i].code, cases[i].code);
      reply (f, cases[i].status, body != NULL ? body : cases[i].body, cases[i].header);

      outcome = send (f->provider, &message);
      g_assert_nonnull (outcome.failure);
      g_assert_cmpint (outcome.failure->klass, ==, cases[i].klass);
      g_assert_cmpint (outcome.failure->effect, ==, cases[i].effect);
      g_assert_cmpuint (outcome.failure->http_status, ==, cases[i].status);
      g_assert_cmpint (outcome.failure->retry_after, ==, cases[i].retry_after);
      if (cases[i].code != NULL)
        {
          g_autofree char *details = g_strdup_printf ("Details of %s", cases[i].code);

          g_assert_cmpstr (outcome.failure->code, ==, cases[i].code);
          g_assert_nonnull (strstr (outcome.failure->provider_message, "Meta says no for [token]"));
          g_assert_nonnull (strstr (outcome.failure->provider_message, details));
          g_assert_nonnull (strstr (outcome.failure->provider_message, "AbCdEf123"));
          g_assert_nonnull (strstr (outcome.failure->provider_message, "2494010"));
        }
    }

  g_assert_cmpuint (f->n_requests, ==, G_N_ELEMENTS (cases));
}

static void
test_retry_after_date (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 90);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *header = g_strdup_printf ("Retry-After: %s", date);
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = { NULL, NULL };

  reply (f, 429, "{\"error\":{\"message\":\"slow down\",\"code\":130429}}", header);
  outcome = send (f->provider, &message);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpint (outcome.failure->retry_after, >=, 85);
  g_assert_cmpint (outcome.failure->retry_after, <=, 90);
}

static void
test_large_answer (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"messages\":[{\"id\":\"" WAMID "\"}],\"pad\":\"");
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) first = { NULL, NULL };
  g_auto(Outcome) second = { NULL, NULL };

  while (big->len < 1024 * 1024 + 10)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");

  /* A 2xx too large to read: it may have taken the message. */
  reply (f, 200, big->str, NULL);
  first = send (f->provider, &message);
  g_assert_nonnull (first.failure);
  g_assert_cmpint (first.failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);

  /* A large 5xx: its status is enough. */
  reply (f, 503, big->str, NULL);
  second = send (f->provider, &message);
  g_assert_nonnull (second.failure);
  g_assert_cmpint (second.failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpuint (second.failure->http_status, ==, 503);
}

/* libsoup re-queues a POST answered 421 on its own; the provider stops
 * the second attempt, so the server sees one request. */
static void
test_no_resend_421 (Fixture       *f,
                    gconstpointer  data)
{
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = { NULL, NULL };

  reply (f, SOUP_STATUS_MISDIRECTED_REQUEST, "{}", NULL);
  outcome = send (f->provider, &message);
  spin (200);
  g_assert_cmpuint (f->n_requests, ==, 1);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpuint (outcome.failure->http_status, ==, SOUP_STATUS_MISDIRECTED_REQUEST);
}

/* Redirects are not followed (a POST answered 303 would come back as a
 * GET), and a 401 does not bring the auth manager in. */
static void
test_no_resend_redirect_auth (Fixture       *f,
                              gconstpointer  data)
{
  struct {
    guint        status;
    const char  *header;
  } cases[] = {
    { 303, "Location: /elsewhere" },
    { 302, "Location: /elsewhere" },
    { 307, "Location: /elsewhere" },
    { 308, "Location: /elsewhere" },
    { 401, "WWW-Authenticate: Basic realm=\"graph\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcOutboundMessage message = text_message ("Hi");
      g_auto(Outcome) outcome = { NULL, NULL };
      guint before = f->n_requests;

      reply (f, cases[i].status, "{}", cases[i].header);
      outcome = send (f->provider, &message);
      spin (100);
      g_assert_cmpuint (f->n_requests, ==, before + 1);
      g_assert_cmpstr (f->path, ==, MESSAGES_PATH);
      g_assert_nonnull (outcome.failure);
      g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_PERMANENT);
      g_assert_cmpint (outcome.failure->effect, ==, TC_SEND_EFFECT_ACCOUNT);
    }
}

/* Every send has a connection of its own: none is reused. */
static void
test_fresh_connections (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      TcOutboundMessage message = text_message ("Hi");
      g_auto(Outcome) outcome = send (f->provider, &message);

      g_assert_nonnull (outcome.receipt);
    }
  g_assert_cmpuint (f->n_requests, ==, 3);
  g_assert_cmpuint (g_hash_table_size (f->ports), ==, 3);
}

static void
test_status_lookup_unsupported (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  TcStatusUpdate *update;

  tc_provider_fetch_status_async (TC_PROVIDER (f->provider), WAMID, NULL, store_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  update = tc_provider_fetch_status_finish (TC_PROVIDER (f->provider), result, &error);
  g_assert_null (update);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "webhook"));
  g_clear_error (&error);

  tc_provider_lookup_async (TC_PROVIDER (f->provider), "+16505551234", 0, NULL, store_cb, &result2);
  while (result2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  list = tc_provider_lookup_finish (TC_PROVIDER (f->provider), result2, &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (f->n_requests, ==, 0);
}

static void
test_cancel_before_sending (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = send_full (f->provider, &message, cancellable, TRUE);

  spin (100);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpuint (f->n_requests, ==, 0);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

/* ------------------------------------------------------------------------
 * Raw fake: what a SoupServer cannot do
 */

typedef enum
{
  RAW_CLOSE_AFTER_REQUEST,  /* read the request, close without a word */
  RAW_SILENT,               /* read the request, never answer */
  RAW_TRUNCATED_200,        /* a 200 whose body stops half-way */
  RAW_KEEPALIVE,            /* answer a connection's first request with
                             * keep-alive; close it on its second */
} RawMode;

typedef struct
{
  GSocketService *service;
  char           *base;
  RawMode         mode;
  gint            n_requests;     /* atomic */
  gint            n_connections;  /* atomic */
  gint            n_reused;       /* atomic: second requests on one connection */
  gint            n_active;       /* atomic: handlers running */
  gint            stop;           /* atomic */
} RawServer;

/* Reads one request (headers and a Content-Length body). FALSE at the
 * end of the stream. */
static gboolean
raw_read_request (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *lower = NULL;
  const char *length_header;
  gsize body_length = 0;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        return FALSE;
      g_string_append_c (head, c);
    }

  lower = g_ascii_strdown (head->str, -1);
  length_header = strstr (lower, "content-length:");
  if (length_header != NULL)
    body_length = g_ascii_strtoull (length_header + strlen ("content-length:"), NULL, 10);

  for (gsize i = 0; i < body_length; i++)
    if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
      return FALSE;

  return TRUE;
}

static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source_object,
            RawServer              *raw)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint on_this_connection = 0;

  g_atomic_int_inc (&raw->n_active);
  g_atomic_int_inc (&raw->n_connections);

  while (raw_read_request (in))
    {
      g_atomic_int_inc (&raw->n_requests);
      on_this_connection++;

      if (raw->mode == RAW_CLOSE_AFTER_REQUEST)
        break;
      if (raw->mode == RAW_SILENT)
        {
          /* Until the client gives up and closes. */
          char c;

          while (!g_atomic_int_get (&raw->stop) && g_input_stream_read (in, &c, 1, NULL, NULL) == 1)
            ;
          break;
        }
      if (raw->mode == RAW_TRUNCATED_200)
        {
          const char *answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: 200\r\n\r\n{\"messages\":[{\"id\":\"wamid.";

          g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
          break;
        }
      /* RAW_KEEPALIVE */
      if (on_this_connection > 1)
        {
          g_atomic_int_inc (&raw->n_reused);
          break;
        }
      {
        const char *json = "{\"messages\":[{\"id\":\"" WAMID "\"}]}";
        g_autofree char *answer = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                   "Connection: keep-alive\r\nContent-Length: %zu\r\n\r\n%s",
                                                   strlen (json), json);

        g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
      }
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_dec_and_test (&raw->n_active);

  return TRUE;
}

static RawServer *
raw_server_new (RawMode mode)
{
  RawServer *raw = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  raw->mode = mode;
  raw->service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (raw->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  raw->base = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (raw->service, "run", G_CALLBACK (raw_run_cb), raw);
  g_socket_service_start (raw->service);

  return raw;
}

static void
raw_server_free (RawServer *raw)
{
  gint64 until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_atomic_int_set (&raw->stop, 1);
  while (g_atomic_int_get (&raw->n_active) > 0 && g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpint (g_atomic_int_get (&raw->n_active), ==, 0);

  g_socket_service_stop (raw->service);
  g_socket_listener_close (G_SOCKET_LISTENER (raw->service));
  g_object_unref (raw->service);
  g_free (raw->base);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

static void
test_closed_after_writing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_CLOSE_AFTER_REQUEST);
  g_autoptr(TcWhatsappProvider) provider = provider_for (f, raw->base);
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = send (provider, &message);

  spin (300);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_cmpuint (outcome.failure->http_status, ==, 0);
  g_assert_cmpint (g_atomic_int_get (&raw->n_requests), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&raw->n_connections), ==, 1);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

static void
test_timeout_after_writing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_SILENT);
  g_autoptr(TcWhatsappProvider) provider = provider_for (f, raw->base);
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = { NULL, NULL };

  g_object_set (f->session, "timeout", 1, NULL);
  outcome = send (provider, &message);
  spin (300);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_nonnull (strstr (outcome.failure->meaning, "in time"));
  g_assert_cmpint (g_atomic_int_get (&raw->n_requests), ==, 1);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

static void
test_cancel_after_writing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_SILENT);
  g_autoptr(TcWhatsappProvider) provider = provider_for (f, raw->base);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcSendFailure) failure = NULL;
  TcOutboundMessage message = text_message ("Hi");
  TcSendReceipt *receipt;

  tc_provider_send_async (TC_PROVIDER (provider), &message, cancellable, store_cb, &result);
  while (g_atomic_int_get (&raw->n_requests) == 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  receipt = tc_provider_send_finish (TC_PROVIDER (provider), result, &failure);
  g_assert_null (receipt);
  g_assert_nonnull (failure);
  g_assert_cmpint (failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_cmpint (g_atomic_int_get (&raw->n_requests), ==, 1);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

static void
test_truncated_200 (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_TRUNCATED_200);
  g_autoptr(TcWhatsappProvider) provider = provider_for (f, raw->base);
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = send (provider, &message);

  spin (200);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_AMBIGUOUS);
  g_assert_cmpuint (outcome.failure->http_status, ==, 200);
  g_assert_cmpint (g_atomic_int_get (&raw->n_requests), ==, 1);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

/* A server that keeps connections alive and closes one when a second
 * request comes on it: libsoup 3.2 would restart an idempotent request
 * there; a POST is never put on a kept-alive connection, so every send
 * gets its own and nothing is sent twice. */
static void
test_keepalive_closed_by_server (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_KEEPALIVE);
  g_autoptr(TcWhatsappProvider) provider = provider_for (f, raw->base);

  for (guint i = 0; i < 3; i++)
    {
      TcOutboundMessage message = text_message ("Hi");
      g_auto(Outcome) outcome = send (provider, &message);

      g_assert_nonnull (outcome.receipt);
      g_assert_cmpstr (outcome.receipt->provider_id, ==, WAMID);
      g_assert_null (outcome.receipt->status);
    }
  spin (200);
  g_assert_cmpint (g_atomic_int_get (&raw->n_requests), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&raw->n_connections), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&raw->n_reused), ==, 0);

  /* Close the kept connections, so the fake's threads end. */
  soup_session_abort (f->session);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcWhatsappProvider) provider = NULL;
  g_autofree char *base = NULL;
  TcOutboundMessage message = text_message ("Hi");
  g_auto(Outcome) outcome = { NULL, NULL };

  /* A port that was free a moment ago: nothing listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  provider = provider_for (f, base);
  outcome = send (provider, &message);
  g_assert_nonnull (outcome.failure);
  g_assert_cmpint (outcome.failure->klass, ==, TC_SEND_FAILURE_TRANSIENT);
  g_assert_cmpuint (outcome.failure->http_status, ==, 0);
  g_assert_nonnull (outcome.failure->provider_message);
}

/* ------------------------------------------------------------------------
 * tc_whatsapp_describe_error
 */

static void
test_describe_error_table (void)
{
  struct {
    const char         *code;
    TcSendFailureClass  klass;
    TcSendEffect        effect;
  } cases[] = {
    { "0", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "190", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "10", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "200", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "294", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "100", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "4", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "80007", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "130429", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "131000", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "131005", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "131008", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131009", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131016", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "131021", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_INVALID_NUMBER },
    { "131026", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NOT_ON_WHATSAPP },
    { "131031", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "131042", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "131045", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "131047", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_WINDOW_CLOSED },
    { "131048", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_ACCOUNT },
    { "131049", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131050", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT },
    { "131051", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131052", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131053", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { "131056", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { "132000", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132001", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132005", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132007", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132012", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132015", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "132016", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_TEMPLATE },
    { "133010", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { "135000", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
  };
  g_autoptr(GHashTable) meanings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(TcSendFailure) fallback = g_new0 (TcSendFailure, 1);

  /* What an unknown 400 says: no known code may say only that. */
  tc_whatsapp_describe_error (400, "424242", fallback);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* The HTTP status must not matter for a known code. */
      guint statuses[] = { 400, 500, 0 };

      for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
        {
          g_autoptr(TcSendFailure) failure = g_new0 (TcSendFailure, 1);

          g_test_message ("code %s, HTTP %u", cases[i].code, statuses[s]);
          failure->retry_after = 5;
          tc_whatsapp_describe_error (statuses[s], cases[i].code, failure);
          g_assert_cmpint (failure->klass, ==, cases[i].klass);
          g_assert_cmpint (failure->effect, ==, cases[i].effect);
          g_assert_cmpstr (failure->code, ==, cases[i].code);
          g_assert_cmpuint (failure->http_status, ==, statuses[s]);
          g_assert_cmpint (failure->retry_after, ==, 5);
          g_assert_cmpstr (failure->meaning, !=, fallback->meaning);
          g_assert_true (g_str_has_suffix (failure->meaning, "."));
          g_assert_true (g_str_has_suffix (failure->action, "."));
          if (s == 0 && strcmp (cases[i].code, "294") != 0)
            g_hash_table_add (meanings, g_strdup (failure->meaning));
        }
    }

  /* Each code has words of its own, apart from 200-299 sharing 200's. */
  g_assert_cmpuint (g_hash_table_size (meanings), ==, G_N_ELEMENTS (cases) - 1);
}

static void
test_describe_error_fallback (void)
{
  struct {
    guint               status;
    const char         *code;
    TcSendFailureClass  klass;
    TcSendEffect        effect;
  } cases[] = {
    { 429, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 500, "77", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 503, "not a number", TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 408, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 421, NULL, TC_SEND_FAILURE_TRANSIENT, TC_SEND_EFFECT_NONE },
    { 401, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 403, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 404, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 301, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_ACCOUNT },
    { 400, "123456789", TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 422, NULL, TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_NONE },
    { 0, NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE },
    { 200, NULL, TC_SEND_FAILURE_AMBIGUOUS, TC_SEND_EFFECT_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSendFailure) failure = tc_send_failure_new (TC_SEND_FAILURE_PERMANENT, TC_SEND_EFFECT_OPTED_OUT,
                                                              "old", "old");

      tc_whatsapp_describe_error (cases[i].status, cases[i].code, failure);
      g_assert_cmpint (failure->klass, ==, cases[i].klass);
      g_assert_cmpint (failure->effect, ==, cases[i].effect);
      g_assert_cmpstr (failure->code, ==, cases[i].code);
      g_assert_cmpstr (failure->meaning, !=, "old");
      g_assert_cmpstr (failure->action, !=, "old");
    }
}

/* ------------------------------------------------------------------------
 * Webhooks
 */

static const char *
specs_dir (void)
{
  const char *dir = g_getenv ("TEXTCAST_SPECS_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;

  return dir;
}

static TcWhatsappProvider *
webhook_provider (const char *app_secret,
                  const char *verify_token)
{
  return tc_whatsapp_provider_new (NULL, "http://127.0.0.1:9", NULL, PHONE_ID, TOKEN, app_secret, verify_token);
}

typedef struct
{
  GPtrArray *statuses;
  GPtrArray *inbound;
  char      *challenge;
  GError    *error;
  gboolean   ok;
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_clear_pointer (&parsed->statuses, g_ptr_array_unref);
  g_clear_pointer (&parsed->inbound, g_ptr_array_unref);
  g_clear_pointer (&parsed->challenge, g_free);
  g_clear_error (&parsed->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

static Parsed
parse_request (TcWhatsappProvider *provider,
               const char         *method,
               const char         *url,
               GBytes             *body,
               const char         *signature)
{
  g_autoptr(GHashTable) headers = g_hash_table_new (g_str_hash, g_str_equal);
  TcWebhookRequest request = { method, url, headers, body };
  Parsed parsed = { 0 };

  if (signature != NULL)
    g_hash_table_insert (headers, (char *) "x-hub-signature-256", (char *) signature);
  g_hash_table_insert (headers, (char *) "content-type", (char *) "application/json");

  parsed.statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_status_update_free);
  parsed.inbound = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbound_message_free);
  parsed.ok = tc_provider_parse_webhook (TC_PROVIDER (provider), &request, parsed.statuses, parsed.inbound,
                                         &parsed.challenge, &parsed.error);
  g_assert_true (parsed.ok == (parsed.error == NULL));
  if (!parsed.ok)
    {
      /* A refused webhook adds nothing. */
      g_assert_cmpuint (parsed.statuses->len, ==, 0);
      g_assert_cmpuint (parsed.inbound->len, ==, 0);
      g_assert_null (parsed.challenge);
    }

  return parsed;
}

/* Signs @json with APP_SECRET and parses it. */
static Parsed
parse_signed (TcWhatsappProvider *provider,
              const char         *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autofree char *signature = tc_whatsapp_signature (APP_SECRET, body);

  return parse_request (provider, "POST", "https://hooks.example/whatsapp", body, signature);
}

static char *
read_spec_file (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  return text;
}

static void
test_webhook_vectors (void)
{
  const char *dir = specs_dir ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcWhatsappProvider) provider = NULL;
  JsonArray *vectors;
  guint n_positive = 0, n_negative = 0, n_parsed = 0;

  if (dir == NULL)
    {
      g_test_skip ("no $TEXTCAST_SPECS_DIR (../shared/specs)");
      return;
    }

  text = read_spec_file (dir, "meta-hub-signature-vectors.json");
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  vectors = json_object_get_array_member (json_node_get_object (root), "vectors");

  for (guint i = 0; i < json_array_get_length (vectors); i++)
    {
      JsonObject *vector = json_array_get_object_element (vectors, i);
      const char *secret = json_object_get_string_member (vector, "secret");
      const char *raw = json_object_get_string_member_with_default (vector, "raw_body", NULL);
      const char *file = json_object_get_string_member_with_default (vector, "raw_body_file", NULL);
      const char *expected = json_object_get_string_member_with_default (vector, "expected_header", NULL);
      const char *received = json_object_get_string_member_with_default (vector, "header_received", NULL);
      g_autoptr(GBytes) body = NULL;
      g_autofree char *signature = NULL;

      g_test_message ("vector %s", json_object_get_string_member (vector, "name"));
      if (file != NULL)
        {
          /* The files sit in whatsapp/, whatever folder the vector names. */
          g_autofree char *base = g_path_get_basename (file);
          g_autofree char *relative = g_build_filename ("whatsapp", base, NULL);
          g_autofree char *contents = read_spec_file (dir, relative);

          if (raw != NULL)
            g_assert_cmpstr (contents, ==, raw);
          body = g_bytes_new (contents, strlen (contents));
        }
      else
        body = g_bytes_new (raw, strlen (raw));

      signature = tc_whatsapp_signature (secret, body);
      if (expected != NULL)
        {
          g_assert_cmpstr (signature, ==, expected);
          n_positive++;
        }
      else
        {
          g_assert_nonnull (received);
          g_assert_cmpstr (signature, !=, received);
          n_negative++;
        }

      /* Webhook bodies go through the parser too, with the vector's secret. */
      if (g_str_has_prefix (g_bytes_get_data (body, NULL), "{\"object\""))
        {
          g_autoptr(TcWhatsappProvider) signed_by = webhook_provider (secret, NULL);
          g_auto(Parsed) parsed = parse_request (signed_by, "POST", "https://hooks.example/w", body,
                                                 expected != NULL ? expected : received);

          if (expected == NULL)
            {
              g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
              continue;
            }
          g_assert_no_error (parsed.error);
          g_assert_cmpuint (parsed.inbound->len, ==, 1);
          {
            TcInboundMessage *message = g_ptr_array_index (parsed.inbound, 0);

            g_assert_cmpstr (message->from, ==, "+16505551234");
            g_assert_cmpstr (message->to, ==, "106540352242922");
            g_assert_cmpint (message->at, ==, 1749416383);
            g_assert_true (g_str_has_prefix (message->provider_id, "wamid."));
            g_assert_true (strcmp (message->body, "Does it come in another color?") == 0 ||
                           strcmp (message->body, "Café 👍 <ok> 50% @home") == 0);
          }
          n_parsed++;
        }
    }

  g_assert_cmpuint (n_positive, >=, 4);
  g_assert_cmpuint (n_negative, >=, 1);
  g_assert_cmpuint (n_parsed, >=, 3);
}

static void
test_webhook_sample_bodies (void)
{
  const char *dir = specs_dir ();
  const char *names[] = {
    "meta-sample-webhook-body.json",
    "meta-sample-webhook-body-unicode-escaped.json",
    "meta-sample-webhook-body-unicode-raw.json",
  };
  const char *texts[] = {
    "Does it come in another color?",
    "Café 👍 <ok> 50% @home",
    "Café 👍 <ok> 50% @home",
  };
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_autoptr(TcWhatsappProvider) other = tc_whatsapp_provider_new (NULL, NULL, NULL, OTHER_ID, TOKEN,
                                                                  APP_SECRET, NULL);

  if (dir == NULL)
    {
      g_test_skip ("no $TEXTCAST_SPECS_DIR (../shared/specs)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *relative = g_build_filename ("whatsapp", names[i], NULL);
      g_autofree char *json = read_spec_file (dir, relative);
      g_auto(Parsed) parsed = parse_signed (provider, json);
      g_auto(Parsed) refused = parse_signed (other, json);
      TcInboundMessage *message;

      g_assert_no_error (parsed.error);
      g_assert_cmpuint (parsed.inbound->len, ==, 1);
      g_assert_cmpuint (parsed.statuses->len, ==, 0);
      message = g_ptr_array_index (parsed.inbound, 0);
      g_assert_cmpstr (message->body, ==, texts[i]);
      g_assert_cmpint (message->channel, ==, TC_CHANNEL_WHATSAPP);
      g_assert_null (message->payload);

      g_assert_error (refused.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE);
    }
}

static void
test_webhook_examples (void)
{
  const char *dir = specs_dir ();
  struct {
    const char *name;
    const char *body;     /* NULL: no inbound message */
    const char *payload;
  } expected[] = {
    { "Text Message", "Does it come in another color?", NULL },
    { "Text Message with Context (Product Inquiry)", "Is this still available?", NULL },
    { "Text Message from Click to WhatsApp Ad", "Hello! Can I get more info on this?", NULL },
    { "Reaction Message", "[reaction 👍]", NULL },
    { "Image Message", "Taj Mahal", NULL },
    { "Location Message", "[location]", NULL },
    { "Contact Sharing Message", "[contacts]", NULL },
    { "Unsupported Message", "[unsupported]", NULL },
    { "Button Message", "Unsubscribe", "Unsubscribe" },
    { "Interactive List Reply Message", "Priority Mail Express", "priority_express" },
    { "Interactive Button Reply Message", "Cancel", "cancel-button" },
    { "Order Message", "[order]", NULL },
    { "System Message", "[system]", NULL },
    { "Group Create Message", NULL, NULL },
    { "Group Settings Update", NULL, NULL },
    { "Group Remove Participants", NULL, NULL },
  };
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *examples;
  guint n_known = 0;

  if (dir == NULL)
    {
      g_test_skip ("no $TEXTCAST_SPECS_DIR (../shared/specs)");
      return;
    }

  text = read_spec_file (dir, "whatsapp/meta-webhook-examples.json");
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  examples = json_node_get_object (root);
  members = json_object_get_members (examples);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *json = json_to_string (json_object_get_member (examples, name), FALSE);
      g_auto(Parsed) parsed = parse_signed (provider, json);

      g_test_message ("example %s", name);
      g_assert_no_error (parsed.error);
      g_assert_cmpuint (parsed.statuses->len, ==, 0);

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        {
          TcInboundMessage *message;

          if (strcmp (expected[i].name, name) != 0)
            continue;
          n_known++;
          if (expected[i].body == NULL)
            {
              g_assert_cmpuint (parsed.inbound->len, ==, 0);
              break;
            }
          g_assert_cmpuint (parsed.inbound->len, ==, 1);
          message = g_ptr_array_index (parsed.inbound, 0);
          g_assert_cmpstr (message->body, ==, expected[i].body);
          g_assert_cmpstr (message->payload, ==, expected[i].payload);
          g_assert_cmpstr (message->from, ==, "+16505551234");
          g_assert_cmpstr (message->to, ==, PHONE_ID);
          g_assert_cmpint (message->at, >, 1700000000);
          g_assert_true (g_str_has_prefix (message->provider_id, "wamid."));
          g_assert_null (message->media_url);
        }
    }

  g_assert_cmpuint (n_known, ==, G_N_ELEMENTS (expected));
}

#define HOOK_HEAD "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"8856996819413533\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\""
#define HOOK_MID  "\"},"
#define HOOK_TAIL "}}]}]}"

static void
test_webhook_statuses (void)
{
  const char *json =
    HOOK_HEAD PHONE_ID HOOK_MID "\"statuses\":["
    "{\"id\":\"wamid.A1\",\"status\":\"sent\",\"timestamp\":\"1750263773\",\"recipient_id\":\"5511987654321\","
    " \"conversation\":{\"id\":\"c1\",\"expiration_timestamp\":\"1750350173\",\"origin\":{\"type\":\"utility\"}},"
    " \"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"utility\",\"type\":\"regular\"}},"
    "{\"id\":\"wamid.A2\",\"status\":\"delivered\",\"timestamp\":1750263780,\"recipient_id\":\"5511987654321\","
    " \"pricing\":{\"billable\":false,\"pricing_model\":\"PMP\",\"category\":\"service\"}},"
    "{\"id\":\"wamid.A3\",\"status\":\"read\",\"timestamp\":\"1750263799\",\"recipient_id\":\"5511987654321\"},"
    "{\"id\":\"wamid.A4\",\"status\":\"failed\",\"timestamp\":\"1750263800\",\"recipient_id\":\"5511987654321\","
    " \"errors\":[{\"code\":131050,\"title\":\"Unable to deliver the message\",\"message\":\"Unable to deliver\","
    "  \"error_data\":{\"details\":\"The user has stopped marketing messages\"}}]},"
    "{\"id\":\"wamid.A5\",\"status\":\"failed\",\"timestamp\":\"1750263801\",\"recipient_id\":\"5511987654321\","
    " \"errors\":[{\"code\":\"777001\",\"title\":\"Something new\",\"error_data\":{\"details\":\"Meta's own words\"}}]},"
    "{\"id\":\"wamid.A6\",\"status\":\"sent\",\"timestamp\":\"1750263802\","
    " \"conversation\":{\"id\":\"c2\",\"origin\":{\"type\":\"marketing\"}},"
    " \"pricing\":{\"billable\":true,\"pricing_model\":\"CBP\"}},"
    "{\"id\":\"wamid.A7\",\"status\":\"deleted\",\"timestamp\":\"1750263803\"},"
    "{\"status\":\"read\",\"timestamp\":\"1750263804\"},"
    "{\"id\":\"wamid.A9\",\"status\":\"read\",\"timestamp\":\"soon\"},"
    "42"
    "]" HOOK_TAIL;
  struct {
    const char      *id;
    TcDeliveryState  state;
    gint64           at;
    const char      *error_code;
    const char      *meaning_part;
    const char      *category;
    const char      *model;
    gboolean         not_billable;
  } expected[] = {
    { "wamid.A1", TC_DELIVERY_SENT, 1750263773, NULL, NULL, "utility", "PMP", FALSE },
    { "wamid.A2", TC_DELIVERY_DELIVERED, 1750263780, NULL, NULL, "service", "PMP", TRUE },
    { "wamid.A3", TC_DELIVERY_READ, 1750263799, NULL, NULL, NULL, NULL, FALSE },
    { "wamid.A4", TC_DELIVERY_FAILED, 1750263800, "131050", "stopped receiving marketing", NULL, NULL, FALSE },
    { "wamid.A5", TC_DELIVERY_FAILED, 1750263801, "777001", "Meta's own words", NULL, NULL, FALSE },
    { "wamid.A6", TC_DELIVERY_SENT, 1750263802, NULL, NULL, "marketing", "CBP", FALSE },
    { "wamid.A9", TC_DELIVERY_READ, 0, NULL, NULL, NULL, NULL, FALSE },
  };
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_auto(Parsed) parsed = parse_signed (provider, json);

  g_assert_no_error (parsed.error);
  g_assert_cmpuint (parsed.inbound->len, ==, 0);
  g_assert_cmpuint (parsed.statuses->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TcStatusUpdate *update = g_ptr_array_index (parsed.statuses, i);

      g_assert_cmpstr (update->provider_id, ==, expected[i].id);
      g_assert_cmpint (update->state, ==, expected[i].state);
      g_assert_cmpint (update->at, ==, expected[i].at);
      g_assert_cmpstr (update->error_code, ==, expected[i].error_code);
      if (expected[i].meaning_part != NULL)
        g_assert_nonnull (strstr (update->error_meaning, expected[i].meaning_part));
      else
        g_assert_null (update->error_meaning);
      g_assert_cmpstr (update->pricing_category, ==, expected[i].category);
      g_assert_cmpstr (update->pricing_model, ==, expected[i].model);
      g_assert_cmpint (update->not_billable, ==, expected[i].not_billable);
      g_assert_cmpfloat (update->price, ==, 0.0);
      g_assert_null (update->price_currency);
    }
}

static void
test_webhook_message_types (void)
{
  const char *json =
    HOOK_HEAD PHONE_ID HOOK_MID
    "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"5511987654321\"}],\"messages\":["
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M1\",\"timestamp\":\"1750000001\",\"type\":\"text\",\"text\":{\"body\":\"PARAR\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M2\",\"timestamp\":\"1750000002\",\"type\":\"button\",\"button\":{\"payload\":\"opt-out\",\"text\":\"Parar promoções\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M3\",\"timestamp\":\"1750000003\",\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"yes-1\",\"title\":\"Sim\"}}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M4\",\"timestamp\":\"1750000004\",\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"size-42\",\"title\":\"Tamanho 42\",\"description\":\"EU\"}}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M5\",\"timestamp\":\"1750000005\",\"type\":\"image\",\"image\":{\"caption\":\"Este aqui\",\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"id\":\"1\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M6\",\"timestamp\":\"1750000006\",\"type\":\"image\",\"image\":{\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"id\":\"2\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M7\",\"timestamp\":\"1750000007\",\"type\":\"sticker\",\"sticker\":{\"mime_type\":\"image/webp\",\"id\":\"3\",\"animated\":false}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M8\",\"timestamp\":\"1750000008\",\"type\":\"audio\",\"audio\":{\"mime_type\":\"audio/ogg\",\"id\":\"4\",\"voice\":true}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M9\",\"timestamp\":\"1750000009\",\"type\":\"video\",\"video\":{\"caption\":\"Olha\",\"id\":\"5\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M10\",\"timestamp\":\"1750000010\",\"type\":\"document\",\"document\":{\"filename\":\"a.pdf\",\"id\":\"6\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M11\",\"timestamp\":\"1750000011\",\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"response_json\":\"{}\"}}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M12\",\"timestamp\":\"1750000012\",\"type\":\"<b>x</b>\"},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M13\",\"timestamp\":\"1750000013\",\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.A1\"}},"
    "{\"from\":\"5511987654321\",\"id\":\"wamid.M14\",\"timestamp\":\"1750000014\",\"type\":\"text\",\"text\":{\"body\":42}},"
    "{\"id\":\"wamid.M15\",\"type\":\"text\",\"text\":{\"body\":\"no sender\"}},"
    "{\"from\":\"5511987654321\",\"type\":\"text\",\"text\":{\"body\":\"no id\"}},"
    "[]"
    "]" HOOK_TAIL;
  struct {
    const char *id;
    const char *body;
    const char *payload;
  } expected[] = {
    { "wamid.M1", "PARAR", NULL },
    { "wamid.M2", "Parar promoções", "opt-out" },
    { "wamid.M3", "Sim", "yes-1" },
    { "wamid.M4", "Tamanho 42", "size-42" },
    { "wamid.M5", "Este aqui", NULL },
    { "wamid.M6", "[image]", NULL },
    { "wamid.M7", "[sticker]", NULL },
    { "wamid.M8", "[audio]", NULL },
    { "wamid.M9", "Olha", NULL },
    { "wamid.M10", "[document]", NULL },
    { "wamid.M11", "[interactive reply]", NULL },
    { "wamid.M12", "[message]", NULL },
    { "wamid.M13", "[reaction removed]", NULL },
    { "wamid.M14", "[text]", NULL },
  };
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_auto(Parsed) parsed = parse_signed (provider, json);

  g_assert_no_error (parsed.error);
  g_assert_cmpuint (parsed.statuses->len, ==, 0);
  g_assert_cmpuint (parsed.inbound->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TcInboundMessage *message = g_ptr_array_index (parsed.inbound, i);

      g_assert_cmpstr (message->provider_id, ==, expected[i].id);
      g_assert_cmpstr (message->body, ==, expected[i].body);
      g_assert_cmpstr (message->payload, ==, expected[i].payload);
      g_assert_cmpstr (message->from, ==, "+5511987654321");
      g_assert_cmpstr (message->to, ==, PHONE_ID);
      g_assert_cmpint (message->at, ==, 1750000001 + i);
      g_assert_cmpint (message->channel, ==, TC_CHANNEL_WHATSAPP);
    }
}

static void
test_webhook_phone_numbers (void)
{
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
#define ONE_MESSAGE(id, text) \
  "\"messages\":[{\"from\":\"5511987654321\",\"id\":\"wamid." id "\",\"timestamp\":\"1750000001\"," \
  "\"type\":\"text\",\"text\":{\"body\":\"" text "\"}}]"
  const char *ours = ONE_MESSAGE ("OURS", "for us");
  const char *theirs = ONE_MESSAGE ("THEIRS", "for them");
#undef ONE_MESSAGE
  g_autofree char *only_other = g_strconcat (HOOK_HEAD OTHER_ID HOOK_MID, theirs, HOOK_TAIL, NULL);
  /* Two entries: another number's change, then ours. */
  g_autofree char *mixed = g_strconcat ("{\"object\":\"whatsapp_business_account\",\"entry\":["
                                        "{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"" OTHER_ID "\"},",
                                        theirs, "}}]},"
                                        "{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"" PHONE_ID "\"},",
                                        ours, "}}]}]}", NULL);
  const char *account_update = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
                               "[{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\","
                               "\"message_template_id\":12,\"message_template_name\":\"order_update\"}}]}]}";
  g_auto(Parsed) a = parse_signed (provider, only_other);
  g_auto(Parsed) b = parse_signed (provider, mixed);
  g_auto(Parsed) c = parse_signed (provider, account_update);

  g_assert_error (a.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_NOT_MINE);

  g_assert_no_error (b.error);
  g_assert_cmpuint (b.inbound->len, ==, 1);
  g_assert_cmpstr (((TcInboundMessage *) g_ptr_array_index (b.inbound, 0))->body, ==, "for us");

  g_assert_no_error (c.error);
  g_assert_cmpuint (c.inbound->len, ==, 0);
  g_assert_cmpuint (c.statuses->len, ==, 0);
}

static void
test_webhook_signatures (void)
{
  const char *json = HOOK_HEAD PHONE_ID HOOK_MID
                     "\"messages\":[{\"from\":\"15550002222\",\"id\":\"wamid.S1\",\"timestamp\":\"1750000001\","
                     "\"type\":\"text\",\"text\":{\"body\":\"STOP\"}}]" HOOK_TAIL;
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autofree char *good = tc_whatsapp_signature (APP_SECRET, body);
  g_autofree char *upper = g_ascii_strup (good + strlen ("sha256="), -1);
  g_autofree char *upper_header = g_strconcat ("sha256=", upper, NULL);
  g_autofree char *wrong_secret = tc_whatsapp_signature ("not-the-secret", body);
  g_autofree char *truncated = g_strndup (good, strlen (good) - 1);
  g_autofree char *sha1 = NULL;
  g_autofree char *tampered_text = g_strdup (json);
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_autoptr(TcWhatsappProvider) no_secret = webhook_provider (NULL, NULL);
  g_autoptr(TcWhatsappProvider) empty_secret = webhook_provider ("", NULL);

  g_assert_cmpstr (wrong_secret, !=, good);
  {
    g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA1, (const guchar *) APP_SECRET,
                                                    strlen (APP_SECRET), (const guchar *) json, strlen (json));

    sha1 = g_strconcat ("sha1=", hex, NULL);
  }
  /* The same signature over a body changed by one character: a replay
   * with a forged body. */
  *strstr (tampered_text, "STOP") = 'S' + 1;
  tampered = g_bytes_new (tampered_text, strlen (tampered_text));

  {
    g_auto(Parsed) parsed = parse_request (provider, "POST", "https://h.example/w", body, good);

    g_assert_no_error (parsed.error);
    g_assert_cmpuint (parsed.inbound->len, ==, 1);
  }
  {
    /* Replayed as is: it verifies (Meta signs no timestamp); the engine
     * is idempotent on the message id. */
    g_auto(Parsed) parsed = parse_request (provider, "POST", "https://h.example/w", body, good);

    g_assert_no_error (parsed.error);
    g_assert_cmpstr (((TcInboundMessage *) g_ptr_array_index (parsed.inbound, 0))->provider_id, ==, "wamid.S1");
  }
  {
    g_auto(Parsed) parsed = parse_request (provider, "POST", "https://h.example/w", body, upper_header);

    g_assert_no_error (parsed.error);
  }

  {
    struct {
      TcWhatsappProvider *provider;
      GBytes             *body;
      const char         *signature;
    } refused[] = {
      { provider, tampered, good },
      { provider, body, NULL },
      { provider, body, "" },
      { provider, body, wrong_secret },
      { provider, body, truncated },
      { provider, body, good + strlen ("sha256=") },
      { provider, body, sha1 },
      { provider, body, "sha256=" },
      { no_secret, body, good },
      { empty_secret, body, good },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_auto(Parsed) parsed = parse_request (refused[i].provider, "POST", "https://h.example/w",
                                               refused[i].body, refused[i].signature);

        g_test_message ("refused case %u", i);
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_SIGNATURE);
      }
  }
}

static void
test_webhook_malformed (void)
{
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, NULL);
  g_autoptr(GString) deep = g_string_new ("{\"object\":\"whatsapp_business_account\",\"entry\":");
  g_autoptr(GString) big = g_string_new (HOOK_HEAD PHONE_ID HOOK_MID "\"pad\":\"");
  const char *bodies[] = {
    "",
    "not json",
    "[]",
    "{\"object\":\"page\",\"entry\":[]}",
    "{\"object\":\"whatsapp_business_account\"}",
    "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
    "{\"object\":\"whatsapp_business_account\",\"entry\":[",
    "\xff\xfe{}",
    /* Two values: json-glib 1.6 would load these (and leak one). */
    "{\"object\":\"whatsapp_business_account\",\"entry\":[]}{\"object\":\"whatsapp_business_account\",\"entry\":[]}",
    "\"x\"{\"object\":\"whatsapp_business_account\",\"entry\":[]}",
    "1 {\"object\":\"whatsapp_business_account\",\"entry\":[]}",
  };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  while (big->len <= 1024 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"" HOOK_TAIL);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto(Parsed) parsed = parse_signed (provider, bodies[i]);

      g_test_message ("body %u", i);
      g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
    }
  {
    g_auto(Parsed) parsed = parse_signed (provider, deep->str);

    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
    g_assert_nonnull (strstr (parsed.error->message, "deeper"));
  }
  {
    /* Too large: refused before the signature is even computed. */
    g_autoptr(GBytes) body = g_bytes_new (big->str, big->len);
    g_auto(Parsed) parsed = parse_request (provider, "POST", "https://h.example/w", body, "sha256=00");

    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
  }
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
    g_auto(Parsed) parsed = parse_request (provider, "PUT", "https://h.example/w", body, NULL);

    g_assert_error (parsed.error, TC_WEBHOOK_ERROR, TC_WEBHOOK_ERROR_MALFORMED);
  }
}

static void
test_webhook_verification (void)
{
  g_autoptr(TcWhatsappProvider) provider = webhook_provider (APP_SECRET, VERIFY_TOKEN);
  g_autoptr(TcWhatsappProvider) no_token = webhook_provider (APP_SECRET, NULL);
  struct {
    TcWhatsappProvider *provider;
    const char         *url;
    const char         *challenge;   /* NULL: refused */
    TcWebhookError      code;
  } cases[] = {
    { provider, "https://h.example/w?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1158201444",
      "1158201444", 0 },
    { provider, "/w?hub.challenge=CHALLENGE_ACCEPTED&hub.verify_token=verify%2Dme%2D42&hub.mode=subscribe",
      "CHALLENGE_ACCEPTED", 0 },
    { provider, "https://h.example/w?hub.mode=subscribe&hub.verify_token=verify-me-43&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { provider, "https://h.example/w?hub.mode=subscribe&hub.verify_token=verify-me-4&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { provider, "https://h.example/w?hub.mode=subscribe&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { provider, "https://h.example/w?hub.mode=unsubscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { provider, "https://h.example/w", NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { provider, "https://h.example/w?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN,
      NULL, TC_WEBHOOK_ERROR_MALFORMED },
    { provider, "https://h.example/w?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=%3Cscript%3E",
      NULL, TC_WEBHOOK_ERROR_MALFORMED },
    { no_token, "https://h.example/w?hub.mode=subscribe&hub.verify_token=&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
    { no_token, "https://h.example/w?hub.mode=subscribe&hub.challenge=1",
      NULL, TC_WEBHOOK_ERROR_SIGNATURE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Parsed) parsed = parse_request (cases[i].provider, "GET", cases[i].url, NULL, NULL);

      g_test_message ("case %u: %s", i, cases[i].url);
      if (cases[i].challenge != NULL)
        {
          g_assert_no_error (parsed.error);
          g_assert_cmpstr (parsed.challenge, ==, cases[i].challenge);
        }
      else
        g_assert_error (parsed.error, TC_WEBHOOK_ERROR, (gint) cases[i].code);
    }
}

/* ------------------------------------------------------------------------
 * Meta's OpenAPI description
 *
 * A small checker for the parts of JSON Schema the send-message schema
 * uses: $ref, allOf (the union of the members' properties; additional
 * properties are judged on that union, since Meta's "additionalProperties:
 * false" on one allOf member would otherwise refuse its own examples),
 * oneOf, discriminator mappings, required, properties, items, enum and
 * the basic types. A property the schema does not define is a problem.
 */

typedef struct
{
  JsonObject *schemas;
  GPtrArray  *problems;
} SpecCheck;

static JsonObject *
resolve (SpecCheck  *check,
         JsonObject *schema)
{
  const char *prefix = "#/components/schemas/";

  for (guint guard = 0; schema != NULL && json_object_has_member (schema, "$ref"); guard++)
    {
      const char *ref = json_object_get_string_member (schema, "$ref");

      g_assert_cmpuint (guard, <, 32);
      g_assert_true (g_str_has_prefix (ref, prefix));
      schema = json_object_get_object_member (check->schemas, ref + strlen (prefix));
      g_assert_nonnull (schema);
    }

  return schema;
}

static void
collect (SpecCheck  *check,
         JsonObject *schema,
         GHashTable *properties,
         GHashTable *required,
         guint       depth)
{
  g_assert_cmpuint (depth, <, 32);
  schema = resolve (check, schema);

  if (json_object_has_member (schema, "properties"))
    {
      JsonObject *props = json_object_get_object_member (schema, "properties");
      g_autoptr(GList) names = json_object_get_members (props);

      for (GList *l = names; l != NULL; l = l->next)
        g_hash_table_replace (properties, l->data, json_object_get_object_member (props, l->data));
    }
  if (json_object_has_member (schema, "required"))
    {
      JsonArray *names = json_object_get_array_member (schema, "required");

      for (guint i = 0; i < json_array_get_length (names); i++)
        g_hash_table_add (required, (gpointer) json_array_get_string_element (names, i));
    }
  if (json_object_has_member (schema, "allOf"))
    {
      JsonArray *members = json_object_get_array_member (schema, "allOf");

      for (guint i = 0; i < json_array_get_length (members); i++)
        collect (check, json_array_get_object_element (members, i), properties, required, depth + 1);
    }
}

static void check_node (SpecCheck *check, JsonNode *node, JsonObject *schema, const char *path, guint depth);

static void
problem (SpecCheck  *check,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (SpecCheck  *check,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
type_matches (JsonNode   *node,
              const char *type)
{
  if (strcmp (type, "object") == 0)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (strcmp (type, "array") == 0)
    return JSON_NODE_HOLDS_ARRAY (node);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (strcmp (type, "string") == 0)
    return json_node_get_value_type (node) == G_TYPE_STRING;
  if (strcmp (type, "boolean") == 0)
    return json_node_get_value_type (node) == G_TYPE_BOOLEAN;
  if (strcmp (type, "integer") == 0)
    return json_node_get_value_type (node) == G_TYPE_INT64;
  if (strcmp (type, "number") == 0)
    return json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE;

  return TRUE;
}

static void
check_node (SpecCheck  *check,
            JsonNode   *node,
            JsonObject *schema,
            const char *path,
            guint       depth)
{
  g_autoptr(GHashTable) properties = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) required = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *discriminator;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (depth, <, 32);
  schema = resolve (check, schema);

  /* A discriminator picks the schema from the node's own "type". */
  discriminator = json_object_has_member (schema, "discriminator")
                  ? json_object_get_object_member (schema, "discriminator") : NULL;
  if (discriminator != NULL && json_object_has_member (discriminator, "mapping") && JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *name = json_object_get_string_member (discriminator, "propertyName");
      JsonObject *mapping = json_object_get_object_member (discriminator, "mapping");
      const char *kind = json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
      g_autoptr(JsonObject) target = NULL;

      if (kind == NULL || !json_object_has_member (mapping, kind))
        {
          problem (check, "%s.%s: “%s” is not one the spec defines", path, name, kind ? kind : "(none)");
          return;
        }
      target = json_object_new ();
      json_object_set_string_member (target, "$ref", json_object_get_string_member (mapping, kind));
      check_node (check, node, target, path, depth + 1);
      return;
    }

  if (json_object_has_member (schema, "oneOf"))
    {
      JsonArray *branches = json_object_get_array_member (schema, "oneOf");
      g_autoptr(GPtrArray) best = NULL;

      for (guint i = 0; i < json_array_get_length (branches); i++)
        {
          SpecCheck branch = { check->schemas, g_ptr_array_new_with_free_func (g_free) };

          check_node (&branch, node, json_array_get_object_element (branches, i), path, depth + 1);
          if (best == NULL || branch.problems->len < best->len)
            {
              g_clear_pointer (&best, g_ptr_array_unref);
              best = branch.problems;
            }
          else
            g_ptr_array_unref (branch.problems);
        }
      for (guint i = 0; best != NULL && i < best->len; i++)
        g_ptr_array_add (check->problems, g_strdup (g_ptr_array_index (best, i)));
    }

  if (json_object_has_member (schema, "type") &&
      !type_matches (node, json_object_get_string_member (schema, "type")))
    problem (check, "%s: not of type %s", path, json_object_get_string_member (schema, "type"));

  if (json_object_has_member (schema, "enum") && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      JsonArray *values = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values); i++)
        found |= g_strcmp0 (json_array_get_string_element (values, i), json_node_get_string (node)) == 0;
      if (!found)
        problem (check, "%s: “%s” is not among the spec's values", path, json_node_get_string (node));
    }

  collect (check, schema, properties, required, 0);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      g_hash_table_iter_init (&iter, required);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!json_object_has_member (object, key))
          problem (check, "%s.%s: required by the spec, missing", path, (const char *) key);

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *where = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          value = g_hash_table_lookup (properties, l->data);
          if (value != NULL)
            check_node (check, json_object_get_member (object, l->data), value, where, depth + 1);
          else if (g_hash_table_size (properties) > 0 || g_hash_table_size (required) > 0)
            problem (check, "%s: not a property the spec defines", where);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node) && json_object_has_member (schema, "items"))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]", path, i);

          check_node (check, json_array_get_element (array, i),
                      json_object_get_object_member (schema, "items"), where, depth + 1);
        }
    }
}

/* The problems of @body against the send-message request schema; the
 * names in @allowed ("$.image.caption") are let through. */
static GPtrArray *
spec_problems (JsonObject  *spec,
               const char  *body,
               const char **allowed)
{
  JsonObject *post = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (spec, "paths"),
                                   "/{Version}/{Phone-Number-ID}/messages"), "post");
  JsonObject *schema = json_object_get_object_member (
    json_object_get_object_member (
      json_object_get_object_member (json_object_get_object_member (post, "requestBody"), "content"),
      "application/json"), "schema");
  SpecCheck check = { json_object_get_object_member (json_object_get_object_member (spec, "components"),
                                                     "schemas"),
                      g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (body, &error);
  g_assert_no_error (error);
  check_node (&check, node, schema, "$", 0);

  for (guint i = 0; i < check.problems->len; i++)
    for (guint k = 0; allowed != NULL && allowed[k] != NULL; k++)
      if (g_str_has_prefix (g_ptr_array_index (check.problems, i), allowed[k]) &&
          strstr (g_ptr_array_index (check.problems, i), "not a property the spec defines") != NULL)
        {
          g_ptr_array_remove_index (check.problems, i--);
          break;
        }

  return check.problems;
}

static void
assert_no_problems (GPtrArray  *problems,
                    const char *what)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", what, (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_openapi_requests (Fixture       *f,
                       gconstpointer  data)
{
  const char *dir = specs_dir ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = NULL;
  JsonObject *spec, *schemas, *media;
  JsonArray *branches;
  gboolean caption_defined = FALSE;
  const char *image_caption[] = { "$.image.caption:", NULL };

  if (dir == NULL)
    {
      g_test_skip ("no $TEXTCAST_SPECS_DIR (../shared/specs)");
      return;
    }

  text = read_spec_file (dir, "whatsapp/meta-business-messaging-api_v23.0.json");
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  spec = json_node_get_object (root);

  /* The checker itself: Meta's own examples pass, broken ones do not. */
  {
    g_autoptr(GPtrArray) a = spec_problems (spec, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                                            "\"to\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\",\"preview_url\":false}}", NULL);
    g_autoptr(GPtrArray) b = spec_problems (spec, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                                            "\"to\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"},\"colour\":\"red\"}", NULL);
    g_autoptr(GPtrArray) c = spec_problems (spec, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                                            "\"type\":\"image\",\"image\":{\"link\":\"https://x/y.png\"}}", NULL);
    g_autoptr(GPtrArray) d = spec_problems (spec, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                                            "\"to\":\"1\",\"type\":\"template\",\"template\":{\"name\":\"n\","
                                            "\"language\":{\"code\":\"en\"},\"components\":[{\"type\":\"body\","
                                            "\"parameters\":[{\"type\":\"txt\",\"text\":\"a\"}]}]}}", NULL);
    g_autoptr(GPtrArray) e = spec_problems (spec, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                                            "\"to\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\",\"preview_url\":\"yes\"}}", NULL);

    assert_no_problems (a, "Meta's text example");
    g_assert_cmpuint (b->len, ==, 1);
    g_assert_cmpuint (c->len, ==, 1);
    g_assert_cmpuint (d->len, ==, 2);   /* no language policy; no "txt" parameter */
    g_assert_cmpuint (e->len, ==, 1);
  }

  /* The image's caption: the send schema's MediaObject lists only id and
   * link, but the same description's MediaObject_1 (the same media
   * object) defines caption next to link, and Meta's reference accepts
   * it. It is let through only while the spec says so. */
  schemas = json_object_get_object_member (json_object_get_object_member (spec, "components"), "schemas");
  media = json_object_has_member (schemas, "MediaObject_1")
          ? json_object_get_object_member (schemas, "MediaObject_1") : NULL;
  branches = media != NULL ? json_object_get_array_member (media, "oneOf") : NULL;
  for (guint i = 0; branches != NULL && i < json_array_get_length (branches); i++)
    {
      JsonObject *props = json_object_get_object_member (json_array_get_object_element (branches, i), "properties");

      caption_defined |= json_object_has_member (props, "link") && json_object_has_member (props, "caption");
    }
  g_assert_true (caption_defined);

  /* What the provider sends, as it went over the wire. */
  whole = sample_send_request ("+16505551234");
  {
    struct {
      const char *body;
      const char *media_url;
      const char *template_json;
    } cases[] = {
      { "Your order has shipped.", NULL, NULL },
      { "See https://t.example/1", NULL, NULL },
      { "New arrivals", "https://cdn.example/shoes.jpg", NULL },
      { NULL, "https://cdn.example/shoes.jpg", NULL },
      { NULL, NULL, TEMPLATE_OBJECT },
      { NULL, NULL, whole },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        TcOutboundMessage message = text_message (cases[i].body);
        g_auto(Outcome) outcome = { NULL, NULL };
        g_autofree char *sent = NULL;
        g_autoptr(GPtrArray) problems = NULL;

        message.media_url = cases[i].media_url;
        message.wa_template_json = cases[i].template_json;
        outcome = send (f->provider, &message);
        g_assert_nonnull (outcome.receipt);
        sent = g_strndup (g_bytes_get_data (f->request_body, NULL), g_bytes_get_size (f->request_body));
        problems = spec_problems (spec, sent, image_caption);
        assert_no_problems (problems, sent);
      }
  }
}


/* With TEXTCAST_WHATSAPP_MOCK_URL set to a Prism mock of Meta's OpenAPI
 * description (build-aux/dev contracts starts one:
 *   prism mock -h 127.0.0.1 -p 4011 whatsapp/meta-business-messaging-api_v23.0.json),
 * the real send requests go to it and must be accepted: the mock answers
 * 4xx for a request the description does not allow. Skipped otherwise. */
static void
test_mock_server (void)
{
  const char *base = g_getenv ("TEXTCAST_WHATSAPP_MOCK_URL");
  g_autoptr(TcWhatsappProvider) provider = NULL;
  TcOutboundMessage text = text_message ("Your order #4411 has shipped.");
  TcOutboundMessage picture = text_message ("New in: the Trail 2");
  TcOutboundMessage template = text_message (NULL);
  const TcOutboundMessage *messages_sent[] = { &text, &picture, &template };

  if (base == NULL || base[0] == '\0')
    {
      g_test_skip ("TEXTCAST_WHATSAPP_MOCK_URL is not set (a Prism mock of Meta's OpenAPI description)");
      return;
    }

  provider = tc_whatsapp_provider_new (NULL, base, "v23.0", PHONE_ID, TOKEN, APP_SECRET, VERIFY_TOKEN);
  picture.media_url = "https://cdn.example/trail-2.jpg";
  /* A template whose first button (a phone number) takes no parameter and
   * whose second, a tracking link, does: button index "1". Not the sample
   * template above, whose URL button is the first (index "0", the way
   * Meta's reference numbers buttons from 0 to 9): the description's
   * pattern for index, "^[2-6, 11-14]$", is a character class that allows
   * only one of the characters 1–6, comma and space, so it refuses "0". */
  template.wa_template_json =
    "{\"name\":\"order_update\",\"language\":{\"policy\":\"deterministic\",\"code\":\"pt_BR\"},"
    "\"components\":["
    "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example/box.png\"}}]},"
    "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ana\"},{\"type\":\"text\",\"text\":\"4411\"}]},"
    "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"1\",\"parameters\":[{\"type\":\"text\",\"text\":\"4411\"}]}]}";

  for (guint m = 0; m < G_N_ELEMENTS (messages_sent); m++)
    {
      g_auto(Outcome) outcome = send (provider, messages_sent[m]);

      if (outcome.failure != NULL)
        g_error ("message %u refused by the mock: HTTP %u %s (%s)", m, outcome.failure->http_status,
                 outcome.failure->meaning,
                 outcome.failure->provider_message != NULL ? outcome.failure->provider_message : "");
      g_assert_nonnull (outcome.receipt->provider_id);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add ("/tc/whatsapp/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  FIXTURE_TEST ("send/text", test_send_text);
  FIXTURE_TEST ("send/text-link", test_send_text_link);
  FIXTURE_TEST ("send/image", test_send_image);
  FIXTURE_TEST ("send/template", test_send_template);
  FIXTURE_TEST ("send/refused-locally", test_send_refused_locally);
  FIXTURE_TEST ("send/misconfigured", test_send_misconfigured);
  FIXTURE_TEST ("send/base-url", test_base_url_and_version);
  FIXTURE_TEST ("send/answers", test_send_answers);
  FIXTURE_TEST ("send/retry-after-date", test_retry_after_date);
  FIXTURE_TEST ("send/large-answer", test_large_answer);
  FIXTURE_TEST ("send/cancel-before", test_cancel_before_sending);
  FIXTURE_TEST ("send/connection-refused", test_connection_refused);
  FIXTURE_TEST ("resend/421", test_no_resend_421);
  FIXTURE_TEST ("resend/redirect-auth", test_no_resend_redirect_auth);
  FIXTURE_TEST ("resend/fresh-connections", test_fresh_connections);
  FIXTURE_TEST ("resend/closed-after-writing", test_closed_after_writing);
  FIXTURE_TEST ("resend/timeout-after-writing", test_timeout_after_writing);
  FIXTURE_TEST ("resend/cancel-after-writing", test_cancel_after_writing);
  FIXTURE_TEST ("resend/truncated-200", test_truncated_200);
  FIXTURE_TEST ("resend/keepalive-closed", test_keepalive_closed_by_server);
  FIXTURE_TEST ("status-lookup", test_status_lookup_unsupported);
  FIXTURE_TEST ("openapi/requests", test_openapi_requests);
  g_test_add_func ("/tc/whatsapp/errors/table", test_describe_error_table);
  g_test_add_func ("/tc/whatsapp/errors/fallback", test_describe_error_fallback);
  g_test_add_func ("/tc/whatsapp/webhook/vectors", test_webhook_vectors);
  g_test_add_func ("/tc/whatsapp/webhook/sample-bodies", test_webhook_sample_bodies);
  g_test_add_func ("/tc/whatsapp/webhook/examples", test_webhook_examples);
  g_test_add_func ("/tc/whatsapp/webhook/statuses", test_webhook_statuses);
  g_test_add_func ("/tc/whatsapp/webhook/message-types", test_webhook_message_types);
  g_test_add_func ("/tc/whatsapp/webhook/phone-numbers", test_webhook_phone_numbers);
  g_test_add_func ("/tc/whatsapp/webhook/signatures", test_webhook_signatures);
  g_test_add_func ("/tc/whatsapp/webhook/malformed", test_webhook_malformed);
  g_test_add_func ("/tc/whatsapp/webhook/verification", test_webhook_verification);
  g_test_add_func ("/tc/whatsapp/openapi/mock-server", test_mock_server);

  return g_test_run ();
}
