/* test-shop-webhooks.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shopify's and WooCommerce's webhooks (tc-shop-webhooks.h): the parser
 * over each topic and the payloads around it (fixtures in
 * tests/data/shop/, written for these tests), the signatures, and real
 * deliveries from a SoupSession to Textcast's HTTP server on 127.0.0.1
 * with the events stored in a temporary workspace: answers, redeliveries,
 * WooCommerce's ping, refusals, a number erased before.
 */

#define G_LOG_DOMAIN "test-shop-webhooks"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tc-events.h"
#include "tc-http-server.h"
#include "tc-privacy.h"
#include "tc-repository.h"
#include "tc-shop-webhooks.h"
#include "tc-test-util.h"

#define SHOPIFY_SECRET     "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"
#define WOOCOMMERCE_SECRET "wc-secret: 7Hq!2pZ&x9"
#define SHOPIFY_DOMAIN     "demo-shop.myshopify.com"
#define WOOCOMMERCE_SOURCE "https://shop.example.com/"

/* ------------------------------------------------------------------------
 * Helpers
 */

static GBytes *
fixture_bytes (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char *contents = NULL;
  gsize length = 0;
  const char *dir = g_getenv ("TEXTCAST_TEST_DATA");

  g_assert_nonnull (dir);
  path = g_build_filename (dir, "shop", name, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* @text when it does not start with "@"; else the fixture it names. */
static GBytes *
body_bytes (const char *text)
{
  if (text[0] == '@')
    return fixture_bytes (text + 1);

  return g_bytes_new (text, strlen (text));
}

/* Headers as the shop sends them; @topic NULL sends none. */
static SoupMessageHeaders *
shop_headers (TcShop      shop,
              const char *topic)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  if (shop == TC_SHOP_SHOPIFY)
    {
      soup_message_headers_append (headers, "X-Shopify-Shop-Domain", SHOPIFY_DOMAIN);
      soup_message_headers_append (headers, "X-Shopify-API-Version", "2026-01");
      if (topic != NULL)
        soup_message_headers_append (headers, "X-Shopify-Topic", topic);
    }
  else if (topic != NULL)
    {
      soup_message_headers_append (headers, "X-WC-Webhook-Source", WOOCOMMERCE_SOURCE);
      soup_message_headers_append (headers, "X-WC-Webhook-Topic", topic);
      soup_message_headers_append (headers, "X-WC-Webhook-Resource", "order");
      soup_message_headers_append (headers, "X-WC-Webhook-ID", "12");
    }

  return headers;
}

/* ------------------------------------------------------------------------
 * The parser
 */

typedef struct
{
  TcShop             shop;
  const char        *topic;      /* NULL: no topic header */
  const char        *body;       /* "@file" for a fixture */
  TcShopWebhookKind  kind;       /* when no error */
  int                error;      /* -1: none, else a TcShopWebhookError */
  const char        *expected;   /* EVENT: the name; IGNORED: the reason; error: message start */
  const char        *phone;      /* EVENT */
  const char        *key;        /* EVENT */
  gint64             occurred_at;
  double             value;
  const char        *currency;
  const char        *properties; /* EVENT: exactly, or NULL not to compare */
} ParseCase;

static const ParseCase parse_cases[] = {
  /* Shopify: a checkout, the customer's own number read in the country of
   * their default address. */
  { TC_SHOP_SHOPIFY, "checkouts/create", "@shopify-checkout.json", TC_SHOP_WEBHOOK_EVENT, -1,
    "cart_abandoned", "+14155550142", "shopify:" SHOPIFY_DOMAIN ":checkout:35501234567890",
    1772375400, 64.5, "USD",
    "{\"checkout_id\":\"35501234567890\",\"cart_url\":\"https://demo-shop.myshopify.com/60123456/"
    "checkouts/ac/b1946ac92492d2347c6235b4d2611184/recover?key=9f8e7d6c5b4a\",\"value\":64.5,"
    "\"currency\":\"USD\",\"items\":[{\"title\":\"Ceramic Pour-Over Set\",\"quantity\":1,"
    "\"price\":42},{\"title\":\"Paper Filters (100)\",\"quantity\":2,\"price\":8.75}],"
    "\"item_count\":2,\"shop\":\"" SHOPIFY_DOMAIN "\"}" },
  { TC_SHOP_SHOPIFY, "checkouts/update", "@shopify-checkout.json", TC_SHOP_WEBHOOK_EVENT, -1,
    "cart_abandoned", "+14155550142", "shopify:" SHOPIFY_DOMAIN ":checkout:35501234567890",
    1772375400, 64.5, "USD", NULL },
  /* An order whose only number is the billing address's, a German one
   * written the German way. */
  { TC_SHOP_SHOPIFY, "orders/create", "@shopify-order.json", TC_SHOP_WEBHOOK_EVENT, -1,
    "order_placed", "+4930901820", "shopify:" SHOPIFY_DOMAIN ":order:820982911946154508",
    1772644360, 199.9, "EUR",
    "{\"order_id\":\"820982911946154508\",\"order_name\":\"#1001\",\"value\":199.9,"
    "\"currency\":\"EUR\",\"items\":[{\"title\":\"Handmühle „Kegel“\",\"quantity\":1,"
    "\"price\":149.9},{\"title\":\"Espresso-Bohnen 1 kg\",\"quantity\":2,\"price\":20}],"
    "\"item_count\":2,\"shop\":\"" SHOPIFY_DOMAIN "\"}" },
  /* The checkout's own phone, read with the shipping country when there is
   * no billing address; amounts as numbers are taken too. */
  { TC_SHOP_SHOPIFY, "checkouts/create",
    "{\"id\":\"77\",\"phone\":\"0412 345 678\",\"total_price\":10,\"currency\":\"aud\","
    "\"shipping_address\":{\"country_code\":\"au\"},\"line_items\":[]}",
    TC_SHOP_WEBHOOK_EVENT, -1, "cart_abandoned", "+61412345678", "shopify:" SHOPIFY_DOMAIN
    ":checkout:77", 0, 10, "AUD",
    "{\"checkout_id\":\"77\",\"value\":10,\"currency\":\"aud\",\"items\":[],\"item_count\":0,"
    "\"shop\":\"" SHOPIFY_DOMAIN "\"}" },
  { TC_SHOP_SHOPIFY, "checkouts/create", "@shopify-checkout-no-phone.json",
    TC_SHOP_WEBHOOK_IGNORED, -1, "no_phone" },
  { TC_SHOP_SHOPIFY, "orders/create",
    "{\"id\":5,\"customer\":{\"phone\":\"12\"},\"billing_address\":{\"country_code\":\"US\"}}",
    TC_SHOP_WEBHOOK_IGNORED, -1, "invalid_phone" },
  { TC_SHOP_SHOPIFY, "checkouts/update",
    "{\"id\":5,\"completed_at\":\"2026-03-01T10:00:00Z\",\"phone\":\"+14155550142\"}",
    TC_SHOP_WEBHOOK_IGNORED, -1, "completed" },
  /* Another topic is ignored whatever its body. */
  { TC_SHOP_SHOPIFY, "products/update", "not even JSON", TC_SHOP_WEBHOOK_IGNORED, -1, "topic" },
  { TC_SHOP_SHOPIFY, NULL, "@shopify-order.json", 0, TC_SHOP_WEBHOOK_ERROR_INVALID,
    "X-Shopify-Topic: missing" },
  { TC_SHOP_SHOPIFY, "orders/create", "{\"id\": 1,", 0, TC_SHOP_WEBHOOK_ERROR_INVALID_JSON,
    "The body is not a JSON object" },
  { TC_SHOP_SHOPIFY, "orders/create", "[1, 2]", 0, TC_SHOP_WEBHOOK_ERROR_INVALID_JSON,
    "The body is not a JSON object" },
  { TC_SHOP_SHOPIFY, "orders/create", "", 0, TC_SHOP_WEBHOOK_ERROR_INVALID_JSON,
    "The body is not a JSON object (empty)" },
  { TC_SHOP_SHOPIFY, "orders/create", "{\"phone\":\"+14155550142\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "id: missing" },
  { TC_SHOP_SHOPIFY, "orders/create", "{\"id\":[1],\"phone\":\"+14155550142\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "id: give the id" },
  { TC_SHOP_SHOPIFY, "orders/create", "{\"id\":1,\"customer\":\"Ana\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "customer: give an object" },
  { TC_SHOP_SHOPIFY, "orders/create",
    "{\"id\":1,\"phone\":\"+14155550142\",\"total_price\":\"12,50\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "total_price: \"12,50\" is not an amount" },
  { TC_SHOP_SHOPIFY, "orders/create",
    "{\"id\":1,\"phone\":\"+14155550142\",\"line_items\":[{\"title\":\"A\"},"
    "{\"title\":\"B\",\"quantity\":\"two\"}]}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "line_items[1].quantity: give a whole number" },
  { TC_SHOP_SHOPIFY, "orders/create",
    "{\"id\":1,\"phone\":\"+14155550142\",\"created_at\":\"2026-03-01 10:00\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "created_at: “2026-03-01 10:00” is not a time" },
  { TC_SHOP_SHOPIFY, "orders/create",
    "{\"id\":1,\"phone\":\"+14155550142\",\"currency\":\"euro\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "The event made of this order cannot be recorded: "
    "properties.currency" },

  /* WooCommerce: a paid order, placed when paid. */
  { TC_SHOP_WOOCOMMERCE, "order.created", "@woocommerce-order-processing.json",
    TC_SHOP_WEBHOOK_EVENT, -1, "order_placed", "+442079460958",
    "woocommerce:shop.example.com:order:1234", 1772445665, 45, "GBP",
    "{\"order_id\":\"1234\",\"order_name\":\"1234\",\"status\":\"processing\",\"value\":45,"
    "\"currency\":\"GBP\",\"items\":[{\"title\":\"Loose Leaf Earl Grey - 250 g\",\"quantity\":2,"
    "\"price\":12.5},{\"title\":\"Teapot \\\"Brown Betty\\\"\",\"quantity\":1,\"price\":15.5}],"
    "\"item_count\":2,\"shop\":\"shop.example.com\"}" },
  /* Left at the payment step, with the number only in the shipping
   * address. */
  { TC_SHOP_WOOCOMMERCE, "order.updated", "@woocommerce-order-pending.json",
    TC_SHOP_WEBHOOK_EVENT, -1, "cart_abandoned", "+33612345678",
    "woocommerce:shop.example.com:checkout:1240", 1772743200, 89, "EUR",
    "{\"order_id\":\"1240\",\"order_name\":\"1240\",\"cart_url\":\"https://shop.example.com/"
    "checkout/order-pay/1240/?pay_for_order=true&key=wc_order_Zz81KpQ0aB\",\"status\":"
    "\"pending\",\"value\":89,\"currency\":\"EUR\",\"items\":[{\"title\":\"Linen Apron\","
    "\"quantity\":1,\"price\":89}],\"item_count\":1,\"shop\":\"shop.example.com\"}" },
  { TC_SHOP_WOOCOMMERCE, "order.updated",
    "{\"id\":9,\"status\":\"completed\",\"billing\":{\"phone\":\"+1 415 555 0142\"}}",
    TC_SHOP_WEBHOOK_EVENT, -1, "order_placed", "+14155550142",
    "woocommerce:shop.example.com:order:9", 0, 0, "", NULL },
  { TC_SHOP_WOOCOMMERCE, "order.updated",
    "{\"id\":9,\"status\":\"cancelled\",\"billing\":{\"phone\":\"+14155550142\"}}",
    TC_SHOP_WEBHOOK_IGNORED, -1, "status" },
  { TC_SHOP_WOOCOMMERCE, "order.created",
    "{\"id\":9,\"status\":\"pending\",\"created_via\":\"admin\","
    "\"billing\":{\"phone\":\"+14155550142\"}}",
    TC_SHOP_WEBHOOK_IGNORED, -1, "status" },
  { TC_SHOP_WOOCOMMERCE, "order.created",
    "{\"id\":9,\"status\":\"processing\",\"billing\":{\"phone\":\"\",\"country\":\"US\"},"
    "\"shipping\":{\"country\":\"US\"}}",
    TC_SHOP_WEBHOOK_IGNORED, -1, "no_phone" },
  { TC_SHOP_WOOCOMMERCE, "product.created", "{\"id\":93}", TC_SHOP_WEBHOOK_IGNORED, -1,
    "topic" },
  /* The ping when a webhook is saved: form-encoded, none of the headers. */
  { TC_SHOP_WOOCOMMERCE, NULL, "webhook_id=12", TC_SHOP_WEBHOOK_PING, -1, NULL },
  { TC_SHOP_WOOCOMMERCE, NULL, "webhook_id=12&x=1", 0, TC_SHOP_WEBHOOK_ERROR_INVALID,
    "X-WC-Webhook-Topic: missing" },
  { TC_SHOP_WOOCOMMERCE, "order.created", "webhook_id=12", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID_JSON, "The body is not a JSON object" },
  { TC_SHOP_WOOCOMMERCE, "order.created", "{\"id\":9}", 0, TC_SHOP_WEBHOOK_ERROR_INVALID,
    "status: missing" },
  { TC_SHOP_WOOCOMMERCE, "order.created",
    "{\"id\":9,\"status\":\"processing\",\"billing\":{\"phone\":123}}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "billing.phone: give a string" },
  { TC_SHOP_WOOCOMMERCE, "order.created",
    "{\"id\":9,\"status\":\"processing\",\"billing\":{\"phone\":\"+14155550142\"},"
    "\"date_created_gmt\":\"yesterday\"}", 0,
    TC_SHOP_WEBHOOK_ERROR_INVALID, "date_created_gmt: “yesterday” is not a time" },
};

static void
test_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(SoupMessageHeaders) headers = shop_headers (c->shop, c->topic);
      g_autoptr(GBytes) body = body_bytes (c->body);
      g_autoptr(TcShopWebhook) webhook = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s %s %.40s", i, tc_shop_to_string (c->shop),
                      c->topic != NULL ? c->topic : "(no topic)", c->body);
      webhook = tc_shop_webhook_parse (c->shop, headers, body, &error);

      if (c->error >= 0)
        {
          g_assert_null (webhook);
          g_assert_error (error, TC_SHOP_WEBHOOK_ERROR, c->error);
          if (!g_str_has_prefix (error->message, c->expected))
            g_error ("expected “%s…”, got “%s”", c->expected, error->message);
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (webhook);
      g_assert_cmpint (webhook->kind, ==, c->kind);
      switch (c->kind)
        {
        case TC_SHOP_WEBHOOK_EVENT:
          g_assert_cmpstr (webhook->topic, ==, c->topic);
          g_assert_null (webhook->ignored);
          g_assert_nonnull (webhook->event);
          g_assert_cmpstr (webhook->event->name, ==, c->expected);
          g_assert_cmpstr (webhook->event->phone, ==, c->phone);
          g_assert_cmpstr (webhook->event->key, ==, c->key);
          g_assert_cmpstr (webhook->event->source, ==, tc_shop_to_string (c->shop));
          g_assert_cmpint (webhook->event->occurred_at, ==, c->occurred_at);
          g_assert_cmpstr (webhook->event->currency, ==, c->currency);
          if (c->currency[0] != '\0')
            {
              g_assert_true (webhook->event->has_value);
              g_assert_cmpfloat (webhook->event->value, ==, c->value);
            }
          else
            g_assert_false (webhook->event->has_value);
          if (c->properties != NULL)
            g_assert_cmpstr (webhook->event->properties, ==, c->properties);
          break;
        case TC_SHOP_WEBHOOK_IGNORED:
          g_assert_null (webhook->event);
          g_assert_cmpstr (webhook->ignored, ==, c->expected);
          g_assert_nonnull (webhook->message);
          g_test_message ("ignored: %s", webhook->message);
          break;
        case TC_SHOP_WEBHOOK_PING:
        default:
          g_assert_null (webhook->event);
          g_assert_null (webhook->topic);
          break;
        }
    }
}

/* The messages name the fields looked at. */
static void
test_parse_messages (void)
{
  g_autoptr(SoupMessageHeaders) headers = shop_headers (TC_SHOP_SHOPIFY, "checkouts/create");
  g_autoptr(GBytes) body = fixture_bytes ("shopify-checkout-no-phone.json");
  g_autoptr(TcShopWebhook) webhook = tc_shop_webhook_parse (TC_SHOP_SHOPIFY, headers, body, NULL);
  g_autoptr(SoupMessageHeaders) bad_headers = shop_headers (TC_SHOP_SHOPIFY, "orders/create");
  g_autoptr(GBytes) bad_body = body_bytes ("{\"id\":5,\"customer\":{\"phone\":\"12\"},"
                                          "\"billing_address\":{\"country_code\":\"US\"}}");
  g_autoptr(TcShopWebhook) bad = NULL;

  g_assert_nonnull (webhook);
  g_assert_cmpstr (webhook->message, ==, "No phone number in customer.phone, phone, "
                   "billing_address.phone or shipping_address.phone: there is no contact to "
                   "record the checkout for");

  bad = tc_shop_webhook_parse (TC_SHOP_SHOPIFY, bad_headers, bad_body, NULL);
  g_assert_nonnull (bad);
  g_assert_cmpstr (bad->message, ==, "customer.phone: “12” is too short to be a phone number "
                   "(read in US), and no other phone number in the order: there is no contact "
                   "to record it for");
}

/* Bytes that are not UTF-8 never reach a message (which goes out in a
 * JSON answer): found by fuzz-shop-webhooks. */
static void
test_parse_not_utf8 (void)
{
  static const char * const bodies[] = {
    "{\"id\": \xff}",
    "{\"id\":\"a\xff\xfe\"}",
    "{\"id\":1,\"phone\":\"+1415\xc3\"}",
    "\xfe\xff{}",
    "{\"subtotal\xc3\x28\": 1,",
    /* json-glib quotes the start of an unexpected string, cut in the middle
     * of a character. */
    "{\"id\": 1,\n  \"subtotalKKKKKKBOHNEKKKKKKKKKKKKKKKKK„Kegel“ - Edelstahl\",\n  \"sku\": 2}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SoupMessageHeaders) headers = shop_headers (TC_SHOP_SHOPIFY, "orders/create");
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(TcShopWebhook) webhook = NULL;
      g_autoptr(GError) error = NULL;

      webhook = tc_shop_webhook_parse (TC_SHOP_SHOPIFY, headers, body, &error);
      g_assert_true ((webhook == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      else
        g_assert_true (webhook->message == NULL ||
                       g_utf8_validate (webhook->message, -1, NULL));
    }
}

/* Every line item is read and counted; the properties keep the first
 * TC_SHOP_WEBHOOKS_MAX_ITEMS, with long titles cut. */
static void
test_parse_many_items (void)
{
  g_autoptr(GString) json = g_string_new ("{\"id\":42,\"phone\":\"+14155550142\","
                                          "\"total_price\":\"1.00\",\"line_items\":[");
  g_autoptr(SoupMessageHeaders) headers = shop_headers (TC_SHOP_SHOPIFY, "orders/create");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TcShopWebhook) webhook = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *properties;
  JsonArray *items;

  for (guint i = 0; i < 500; i++)
    {
      g_string_append_printf (json, "%s{\"title\":\"", i > 0 ? "," : "");
      for (guint j = 0; j < 50; j++)
        g_string_append (json, "Ωmega ");
      g_string_append_printf (json, "%u\",\"quantity\":%u,\"price\":\"0.01\"}", i, i + 1);
    }
  g_string_append (json, "]}");
  body = g_bytes_new (json->str, json->len);

  webhook = tc_shop_webhook_parse (TC_SHOP_SHOPIFY, headers, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (webhook->kind, ==, TC_SHOP_WEBHOOK_EVENT);
  g_assert_cmpuint (strlen (webhook->event->properties), <, TC_EVENT_MAX_PROPERTIES_BYTES);

  node = json_from_string (webhook->event->properties, &error);
  g_assert_no_error (error);
  properties = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (properties, "item_count"), ==, 500);
  items = json_object_get_array_member (properties, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, TC_SHOP_WEBHOOKS_MAX_ITEMS);
  g_assert_cmpint (g_utf8_strlen (json_object_get_string_member (
                     json_array_get_object_element (items, 0), "title"), -1), ==, 120);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 19),
                                               "quantity"), ==, 20);
}

/* ------------------------------------------------------------------------
 * Signatures
 */

static void
test_sign (void)
{
  /* RFC 4231, test case 2, as the shops write it: base64 of the digest. */
  g_autoptr(GBytes) body = g_bytes_new_static ("what do ya want for nothing?", 28);
  g_autofree char *signature = tc_shop_webhook_sign (body, "Jefe");

  g_assert_cmpstr (signature, ==, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  g_assert_cmpstr (tc_shop_signature_header (TC_SHOP_SHOPIFY), ==, "X-Shopify-Hmac-Sha256");
  g_assert_cmpstr (tc_shop_signature_header (TC_SHOP_WOOCOMMERCE), ==, "X-WC-Webhook-Signature");
}

typedef enum
{
  SIGNATURE_GOOD,
  SIGNATURE_GOOD_WITH_BLANKS,
  SIGNATURE_FLIPPED,
  SIGNATURE_EMPTY,
  SIGNATURE_NONE,
  SIGNATURE_TRUNCATED,
  SIGNATURE_WRONG_SECRET,
  SIGNATURE_OTHER_BODY,
  SIGNATURE_HEX,
  SIGNATURE_NO_SECRET,
} SignatureCase;

static void
test_verify (void)
{
  static const struct {
    SignatureCase how;
    gboolean      valid;
  } cases[] = {
    { SIGNATURE_GOOD, TRUE },
    { SIGNATURE_GOOD_WITH_BLANKS, TRUE },
    { SIGNATURE_FLIPPED, FALSE },
    { SIGNATURE_EMPTY, FALSE },
    { SIGNATURE_NONE, FALSE },
    { SIGNATURE_TRUNCATED, FALSE },
    { SIGNATURE_WRONG_SECRET, FALSE },
    { SIGNATURE_OTHER_BODY, FALSE },
    { SIGNATURE_HEX, FALSE },
    { SIGNATURE_NO_SECRET, FALSE },
  };
  g_autoptr(GBytes) body = fixture_bytes ("shopify-order.json");
  g_autoptr(GBytes) other = g_bytes_new_from_bytes (body, 0, g_bytes_get_size (body) - 1);

  for (TcShop shop = TC_SHOP_SHOPIFY; shop <= TC_SHOP_WOOCOMMERCE; shop++)
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *secret = shop == TC_SHOP_SHOPIFY ? SHOPIFY_SECRET : WOOCOMMERCE_SECRET;
        g_autoptr(SoupMessageHeaders) headers = shop_headers (shop, "orders/create");
        g_autofree char *good = tc_shop_webhook_sign (body, secret);
        g_autofree char *value = NULL;
        const char *checked_with = secret;

        switch (cases[i].how)
          {
          case SIGNATURE_GOOD:
            value = g_strdup (good);
            break;
          case SIGNATURE_GOOD_WITH_BLANKS:
            value = g_strconcat ("  ", good, " ", NULL);
            break;
          case SIGNATURE_FLIPPED:
            value = g_strdup (good);
            value[5] = value[5] == 'A' ? 'B' : 'A';
            break;
          case SIGNATURE_EMPTY:
            value = g_strdup ("");
            break;
          case SIGNATURE_NONE:
            break;
          case SIGNATURE_TRUNCATED:
            value = g_strndup (good, strlen (good) - 1);
            break;
          case SIGNATURE_WRONG_SECRET:
            value = tc_shop_webhook_sign (body, "another-secret");
            break;
          case SIGNATURE_OTHER_BODY:
            value = tc_shop_webhook_sign (other, secret);
            break;
          case SIGNATURE_HEX:
            {
              g_autoptr(GBytes) key = g_bytes_new_static (secret, strlen (secret));

              value = g_compute_hmac_for_bytes (G_CHECKSUM_SHA256, key, body);
            }
            break;
          case SIGNATURE_NO_SECRET:
            value = tc_shop_webhook_sign (body, "");
            checked_with = "";
            break;
          default:
            g_assert_not_reached ();
          }

        if (value != NULL)
          soup_message_headers_replace (headers, tc_shop_signature_header (shop), value);
        g_test_message ("%s case %" G_GSIZE_FORMAT, tc_shop_to_string (shop), i);
        g_assert_cmpint (tc_shop_webhook_verify (shop, headers, checked_with, body), ==,
                         cases[i].valid);
        /* The other shop's header is not looked at. */
        g_assert_false (tc_shop_webhook_verify (shop == TC_SHOP_SHOPIFY ? TC_SHOP_WOOCOMMERCE
                                                                        : TC_SHOP_SHOPIFY,
                                                headers, checked_with, body));
      }
}

/* ------------------------------------------------------------------------
 * Through the server
 */

typedef struct
{
  TcTestRepo    repo;
  TcHttpServer *server;
  SoupSession  *session;
} Fixture;

typedef struct
{
  guint       status;
  JsonNode   *node;
  JsonObject *object;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->node, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("TEXTCAST_SHOPIFY_WEBHOOK_SECRET", SHOPIFY_SECRET, TRUE);
  g_setenv ("TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET", WOOCOMMERCE_SECRET, TRUE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  tc_test_repo_set_up (&f->repo, "tc-shop-webhooks-XXXXXX", "textcast.db");
  g_setenv ("XDG_RUNTIME_DIR", f->repo.dir, TRUE);

  f->server = tc_http_server_new (f->repo.repo);
  g_assert_true (tc_http_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  tc_test_drain_main_context ();
  tc_test_repo_tear_down (&f->repo);
  g_unsetenv ("TEXTCAST_SHOPIFY_WEBHOOK_SECRET");
  g_unsetenv ("TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET");
}

/* Delivers @body ("@file": a fixture) to @shop's path as the shop does,
 * signed with @secret (NULL: unsigned); @topic NULL sends no topic. */
static void
deliver (Fixture    *f,
         const char *method,
         TcShop      shop,
         const char *topic,
         const char *secret,
         const char *body,
         Reply      *reply)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) bytes = body != NULL ? body_bytes (body) : g_bytes_new_static ("", 0);
  g_autoptr(SoupMessageHeaders) headers = shop_headers (shop, topic);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize size = 0;
  const char *data;

  uri = g_strdup_printf ("http://127.0.0.1:%u%s", tc_http_server_get_port (f->server),
                         shop == TC_SHOP_SHOPIFY ? TC_SHOP_WEBHOOKS_SHOPIFY_PATH
                                                 : TC_SHOP_WEBHOOKS_WOOCOMMERCE_PATH);
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (soup_message_get_request_headers (msg), name, value);
  if (shop == TC_SHOP_SHOPIFY)
    soup_message_headers_append (soup_message_get_request_headers (msg), "X-Shopify-Webhook-Id",
                                 "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
  else if (topic != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg),
                                 "X-WC-Webhook-Delivery-ID", "9c7f1a3e0b5d42f6");
  if (secret != NULL)
    {
      g_autofree char *signature = tc_shop_webhook_sign (bytes, secret);

      soup_message_headers_append (soup_message_get_request_headers (msg),
                                   tc_shop_signature_header (shop), signature);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, topic != NULL
                                                   ? "application/json"
                                                   : "application/x-www-form-urlencoded",
                                              bytes);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  answer = soup_session_send_and_read_finish (f->session, res, &error);
  g_assert_no_error (error);

  reply->status = soup_message_get_status (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL), ==, "application/json");
  data = g_bytes_get_data (answer, &size);
  {
    g_autofree char *text = g_strndup (data, size);

    g_test_message ("%u %s", reply->status, text);
    reply->node = json_from_string (text, &error);
  }
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->node));
  reply->object = json_node_get_object (reply->node);
}

static GPtrArray *
stored_events (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  tc_events_list_async (f->repo.repo, NULL, NULL, NULL, 0, NULL, tc_repository_store_result_cb,
                        &res);
  tc_repository_wait (&res);
  events = tc_events_list_finish (f->repo.repo, res, &error);
  g_assert_no_error (error);

  return events;
}

static TcEvent *
find_event (GPtrArray *events,
            gint64     id)
{
  for (guint i = 0; i < events->len; i++)
    if (((TcEvent *) g_ptr_array_index (events, i))->id == id)
      return g_ptr_array_index (events, i);

  g_error ("no event %" G_GINT64_FORMAT, id);
}

static void
test_shopify_deliveries (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Reply) checkout = { 0 };
  g_auto(Reply) again = { 0 };
  g_auto(Reply) update = { 0 };
  g_auto(Reply) order = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  TcEvent *event;
  gint64 checkout_id, order_id;

  deliver (f, "POST", TC_SHOP_SHOPIFY, "checkouts/create", SHOPIFY_SECRET,
           "@shopify-checkout.json", &checkout);
  g_assert_cmpuint (checkout.status, ==, 200);
  checkout_id = json_object_get_int_member (checkout.object, "id");
  g_assert_cmpint (checkout_id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (checkout.object, "name"), ==, "cart_abandoned");
  g_assert_true (json_object_get_boolean_member (checkout.object, "inserted"));
  g_assert_true (json_object_get_boolean_member (checkout.object, "contact_created"));

  /* Shopify's retry of the same delivery, and the checkout's updates,
   * are the same event. */
  deliver (f, "POST", TC_SHOP_SHOPIFY, "checkouts/create", SHOPIFY_SECRET,
           "@shopify-checkout.json", &again);
  g_assert_cmpuint (again.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (again.object, "id"), ==, checkout_id);
  g_assert_false (json_object_get_boolean_member (again.object, "inserted"));
  g_assert_false (json_object_get_boolean_member (again.object, "contact_created"));
  deliver (f, "POST", TC_SHOP_SHOPIFY, "checkouts/update", SHOPIFY_SECRET,
           "@shopify-checkout.json", &update);
  g_assert_cmpuint (update.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (update.object, "id"), ==, checkout_id);
  g_assert_false (json_object_get_boolean_member (update.object, "inserted"));

  deliver (f, "POST", TC_SHOP_SHOPIFY, "orders/create", SHOPIFY_SECRET, "@shopify-order.json",
           &order);
  g_assert_cmpuint (order.status, ==, 200);
  order_id = json_object_get_int_member (order.object, "id");
  g_assert_cmpstr (json_object_get_string_member (order.object, "name"), ==, "order_placed");
  g_assert_true (json_object_get_boolean_member (order.object, "inserted"));

  events = stored_events (f);
  g_assert_cmpuint (events->len, ==, 2);
  event = find_event (events, checkout_id);
  g_assert_cmpstr (event->name, ==, "cart_abandoned");
  g_assert_cmpstr (event->phone, ==, "+14155550142");
  g_assert_cmpstr (event->source, ==, "shopify");
  g_assert_cmpstr (event->key, ==, "shopify:" SHOPIFY_DOMAIN ":checkout:35501234567890");
  g_assert_cmpint (event->occurred_at, ==, 1772375400);
  g_assert_true (event->has_value);
  g_assert_cmpfloat (event->value, ==, 64.5);
  g_assert_cmpstr (event->currency, ==, "USD");
  g_assert_true (g_str_has_prefix (event->properties, "{\"checkout_id\":\"35501234567890\","
                                   "\"cart_url\":\"https://demo-shop.myshopify.com/"));
  event = find_event (events, order_id);
  g_assert_cmpstr (event->name, ==, "order_placed");
  g_assert_cmpstr (event->phone, ==, "+4930901820");
  g_assert_cmpfloat (event->value, ==, 199.9);
  g_assert_cmpstr (event->currency, ==, "EUR");
}

static void
test_woocommerce_deliveries (Fixture       *f,
                             gconstpointer  data)
{
  g_auto(Reply) ping = { 0 };
  g_auto(Reply) pending = { 0 };
  g_auto(Reply) placed = { 0 };
  g_auto(Reply) completed = { 0 };
  g_autoptr(GBytes) processing = fixture_bytes ("woocommerce-order-processing.json");
  g_autofree char *completed_body = NULL;
  g_autoptr(GPtrArray) events = NULL;
  TcEvent *event;
  gint64 placed_id;

  /* Saving the webhook in WooCommerce pings it, unsigned. */
  deliver (f, "POST", TC_SHOP_WOOCOMMERCE, NULL, NULL, "webhook_id=12", &ping);
  g_assert_cmpuint (ping.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (ping.object, "ping"));

  deliver (f, "POST", TC_SHOP_WOOCOMMERCE, "order.created", WOOCOMMERCE_SECRET,
           "@woocommerce-order-pending.json", &pending);
  g_assert_cmpuint (pending.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (pending.object, "name"), ==, "cart_abandoned");
  g_assert_true (json_object_get_boolean_member (pending.object, "inserted"));

  deliver (f, "POST", TC_SHOP_WOOCOMMERCE, "order.created", WOOCOMMERCE_SECRET,
           "@woocommerce-order-processing.json", &placed);
  g_assert_cmpuint (placed.status, ==, 200);
  placed_id = json_object_get_int_member (placed.object, "id");
  g_assert_cmpstr (json_object_get_string_member (placed.object, "name"), ==, "order_placed");
  g_assert_true (json_object_get_boolean_member (placed.object, "inserted"));

  /* The same order updated to completed (a new delivery id) is the order
   * placed before. */
  {
    g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (processing, NULL),
                                                g_bytes_get_size (processing));

    g_assert_cmpuint (g_string_replace (text, "\"status\": \"processing\"",
                                        "\"status\": \"completed\"", 1), ==, 1);
    completed_body = g_string_free (g_steal_pointer (&text), FALSE);
  }
  deliver (f, "POST", TC_SHOP_WOOCOMMERCE, "order.updated", WOOCOMMERCE_SECRET, completed_body,
           &completed);
  g_assert_cmpuint (completed.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (completed.object, "id"), ==, placed_id);
  g_assert_false (json_object_get_boolean_member (completed.object, "inserted"));

  events = stored_events (f);
  g_assert_cmpuint (events->len, ==, 2);
  event = find_event (events, placed_id);
  g_assert_cmpstr (event->phone, ==, "+442079460958");
  g_assert_cmpstr (event->source, ==, "woocommerce");
  g_assert_cmpstr (event->key, ==, "woocommerce:shop.example.com:order:1234");
  g_assert_cmpfloat (event->value, ==, 45);
  g_assert_cmpstr (event->currency, ==, "GBP");
  g_assert_cmpint (event->occurred_at, ==, 1772445665);
}

typedef struct
{
  const char *method;
  TcShop      shop;
  const char *topic;
  const char *secret;     /* signed with; NULL: unsigned */
  const char *body;
  guint       status;
  const char *member;     /* "error" or "ignored" */
  const char *code;
  const char *message;    /* its start */
} RefusalCase;

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  static const RefusalCase cases[] = {
    { "POST", TC_SHOP_SHOPIFY, "orders/create", NULL, "@shopify-order.json", 401, "error",
      "unauthorized", "X-Shopify-Hmac-Sha256 is missing or is not the signature" },
    { "POST", TC_SHOP_SHOPIFY, "orders/create", WOOCOMMERCE_SECRET, "@shopify-order.json", 401,
      "error", "unauthorized", "X-Shopify-Hmac-Sha256 is missing" },
    { "POST", TC_SHOP_WOOCOMMERCE, "order.created", SHOPIFY_SECRET,
      "@woocommerce-order-processing.json", 401, "error", "unauthorized",
      "X-WC-Webhook-Signature is missing or is not the signature of the body with the "
      "WooCommerce webhook secret" },
    { "POST", TC_SHOP_WOOCOMMERCE, "order.created", NULL, "@woocommerce-order-processing.json",
      401, "error", "unauthorized", "X-WC-Webhook-Signature is missing" },
    { "GET", TC_SHOP_SHOPIFY, "orders/create", NULL, NULL, 405, "error", "method_not_allowed",
      "Webhooks arrive with POST" },
    { "POST", TC_SHOP_SHOPIFY, "orders/create", SHOPIFY_SECRET, "{\"id\":", 400, "error",
      "invalid_json", "The body is not a JSON object" },
    { "POST", TC_SHOP_SHOPIFY, "orders/create", SHOPIFY_SECRET, "{\"phone\":\"+14155550142\"}",
      400, "error", "invalid_payload", "id: missing" },
    { "POST", TC_SHOP_SHOPIFY, NULL, SHOPIFY_SECRET, "@shopify-order.json", 400, "error",
      "invalid_payload", "X-Shopify-Topic: missing" },
    { "POST", TC_SHOP_WOOCOMMERCE, "order.created", WOOCOMMERCE_SECRET,
      "{\"id\":9,\"status\":\"processing\",\"total\":\"ten\","
      "\"billing\":{\"phone\":\"+14155550142\"}}", 400, "error", "invalid_payload",
      "total: \"ten\" is not an amount" },
    /* What is no event is answered 200, so that the shop does not retry
     * it and switch the webhook off in the end. */
    { "POST", TC_SHOP_SHOPIFY, "customers/create", SHOPIFY_SECRET, "{\"id\":1}", 200, "ignored",
      "topic", "Textcast makes events of checkouts/create, checkouts/update and orders/create "
      "only; “customers/create” is ignored" },
    { "POST", TC_SHOP_SHOPIFY, "checkouts/create", SHOPIFY_SECRET,
      "@shopify-checkout-no-phone.json", 200, "ignored", "no_phone", "No phone number in" },
    { "POST", TC_SHOP_WOOCOMMERCE, "order.updated", WOOCOMMERCE_SECRET,
      "{\"id\":9,\"status\":\"refunded\"}", 200, "ignored", "status",
      "Orders with status “refunded” make no event" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const RefusalCase *c = &cases[i];
      g_auto(Reply) reply = { 0 };
      const char *message;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      deliver (f, c->method, c->shop, c->topic, c->secret, c->body, &reply);
      g_assert_cmpuint (reply.status, ==, c->status);
      g_assert_cmpstr (json_object_get_string_member (reply.object, c->member), ==, c->code);
      message = json_object_get_string_member (reply.object, "message");
      if (!g_str_has_prefix (message, c->message))
        g_error ("expected “%s…”, got “%s”", c->message, message);
    }

  {
    g_autoptr(GPtrArray) events = stored_events (f);

    g_assert_cmpuint (events->len, ==, 0);
  }
}

/* A number erased at the person's request stays erased, and the shop gets
 * 200 so that it does not retry. */
static void
test_erased (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(Reply) reply = { 0 };
  gboolean had_contact = TRUE;

  tc_privacy_erase_async (f->repo.repo, "+4930901820", NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_privacy_erase_finish (f->repo.repo, res, &had_contact, &error));
  g_assert_no_error (error);
  g_assert_false (had_contact);

  deliver (f, "POST", TC_SHOP_SHOPIFY, "orders/create", SHOPIFY_SECRET, "@shopify-order.json",
           &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply.object, "ignored"), ==, "erased");

  events = stored_events (f);
  g_assert_cmpuint (events->len, ==, 0);
}

/* Without a secret anywhere, the endpoint says it is not set up — the
 * ping too, so that saving the webhook in WooCommerce fails and says so. */
static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Reply) shopify = { 0 };
  g_auto(Reply) ping = { 0 };

  g_unsetenv ("TEXTCAST_SHOPIFY_WEBHOOK_SECRET");
  g_unsetenv ("TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET");

  deliver (f, "POST", TC_SHOP_SHOPIFY, "orders/create", SHOPIFY_SECRET, "@shopify-order.json",
           &shopify);
  g_assert_cmpuint (shopify.status, ==, 503);
  g_assert_cmpstr (json_object_get_string_member (shopify.object, "error"), ==, "not_configured");
  g_assert_nonnull (strstr (json_object_get_string_member (shopify.object, "message"),
                            "TEXTCAST_SHOPIFY_WEBHOOK_SECRET"));

  deliver (f, "POST", TC_SHOP_WOOCOMMERCE, NULL, NULL, "webhook_id=12", &ping);
  g_assert_cmpuint (ping.status, ==, 503);
  g_assert_nonnull (strstr (json_object_get_string_member (ping.object, "message"),
                            "TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET"));
}

/* Headers that announce a body over the bound, sent on a raw connection
 * with "Expect: 100-continue" and without the body: the answer comes
 * before any of it is sent. */
static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *head = NULL;
  GOutputStream *out;
  GInputStream *in;
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                tc_http_server_get_port (f->server), NULL,
                                                &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("POST " TC_SHOP_WEBHOOKS_SHOPIFY_PATH " HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "X-Shopify-Topic: orders/create\r\n"
                          "Content-Type: application/json\r\n"
                          "Expect: 100-continue\r\n"
                          "Content-Length: %d\r\n\r\n", TC_SHOP_WEBHOOKS_MAX_BODY + 1);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  /* The server is in this thread: write, then let it run while reading. */
  g_assert_true (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error));
  g_assert_no_error (error);
  while (strstr (answer->str, "}\n") == NULL)
    {
      g_autoptr(GAsyncResult) res = NULL;

      g_input_stream_read_async (in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 tc_repository_store_result_cb, &res);
      tc_repository_wait (&res);
      n = g_input_stream_read_finish (in, res, &error);
      g_assert_no_error (error);
      if (n <= 0)
        break;
      g_string_append_len (answer, buffer, n);
    }
  g_test_message ("%s", answer->str);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (answer->str, "\"error\":\"too_large\""));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/shop-webhooks/parse", test_parse);
  g_test_add_func ("/tc/shop-webhooks/parse/messages", test_parse_messages);
  g_test_add_func ("/tc/shop-webhooks/parse/many-items", test_parse_many_items);
  g_test_add_func ("/tc/shop-webhooks/parse/not-utf8", test_parse_not_utf8);
  g_test_add_func ("/tc/shop-webhooks/sign", test_sign);
  g_test_add_func ("/tc/shop-webhooks/verify", test_verify);
  g_test_add ("/tc/shop-webhooks/server/shopify", Fixture, NULL, fixture_set_up,
              test_shopify_deliveries, fixture_tear_down);
  g_test_add ("/tc/shop-webhooks/server/woocommerce", Fixture, NULL, fixture_set_up,
              test_woocommerce_deliveries, fixture_tear_down);
  g_test_add ("/tc/shop-webhooks/server/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/tc/shop-webhooks/server/erased", Fixture, NULL, fixture_set_up, test_erased,
              fixture_tear_down);
  g_test_add ("/tc/shop-webhooks/server/not-configured", Fixture, NULL, fixture_set_up,
              test_not_configured, fixture_tear_down);
  g_test_add ("/tc/shop-webhooks/server/too-large", Fixture, NULL, fixture_set_up,
              test_too_large, fixture_tear_down);

  return g_test_run ();
}
