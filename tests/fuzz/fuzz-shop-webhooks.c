/* fuzz-shop-webhooks.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what arrives at POST /webhooks/shopify and
 * /webhooks/woocommerce (tc-shop-webhooks.c): the first byte picks the
 * shop and the topic header, the rest is the raw body. The delivery reads
 * as an event, a ping, something ignored, or an error that says something
 * — never a crash, never both a result and an error; an event is always in
 * the form stored (its name, an E.164 number, a key, properties a JSON
 * object within the bound). The signature of the same bytes verifies with
 * its secret and with no other.
 */

#define G_LOG_DOMAIN "fuzz-shop-webhooks"

#include "config.h"

#include <string.h>

#include "tc-events.h"
#include "tc-shop-webhooks.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static const char * const topics[] = {
  NULL, "checkouts/create", "checkouts/update", "orders/create", "order.created",
  "order.updated", "products/update", "",
};

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(TcShopWebhook) webhook = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  TcShop shop;
  const char *topic;

  if (size == 0)
    return 0;

  shop = (data[0] & 1) ? TC_SHOP_WOOCOMMERCE : TC_SHOP_SHOPIFY;
  topic = topics[(data[0] >> 1) % G_N_ELEMENTS (topics)];
  body = g_bytes_new (data + 1, size - 1);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  if (topic != NULL)
    soup_message_headers_append (headers, shop == TC_SHOP_SHOPIFY ? "X-Shopify-Topic"
                                                                   : "X-WC-Webhook-Topic",
                                 topic);
  if (data[0] & 0x80)
    soup_message_headers_append (headers, shop == TC_SHOP_SHOPIFY ? "X-Shopify-Shop-Domain"
                                                                   : "X-WC-Webhook-Source",
                                 shop == TC_SHOP_SHOPIFY ? "fuzz.myshopify.com"
                                                         : "https://fuzz.example/shop/");

  signature = tc_shop_webhook_sign (body, "fuzz-secret");
  g_assert (signature != NULL && strlen (signature) == 44);
  g_assert (!tc_shop_webhook_verify (shop, headers, "fuzz-secret", body));
  soup_message_headers_replace (headers, tc_shop_signature_header (shop), signature);
  g_assert (tc_shop_webhook_verify (shop, headers, "fuzz-secret", body));
  g_assert (!tc_shop_webhook_verify (shop, headers, "fuzz-secret2", body));

  webhook = tc_shop_webhook_parse (shop, headers, body, &error);
  g_assert ((webhook == NULL) != (error == NULL));
  if (webhook == NULL)
    {
      g_assert (error->domain == TC_SHOP_WEBHOOK_ERROR);
      g_assert (error->message[0] != '\0');
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  switch (webhook->kind)
    {
    case TC_SHOP_WEBHOOK_EVENT:
      {
        g_autoptr(JsonNode) properties = NULL;
        const TcEvent *event = webhook->event;

        g_assert (event != NULL);
        g_assert (strcmp (event->name, "cart_abandoned") == 0 ||
                  strcmp (event->name, "order_placed") == 0);
        g_assert (event->phone != NULL && event->phone[0] == '+');
        g_assert (event->key != NULL && strlen (event->key) <= TC_EVENT_MAX_KEY);
        g_assert (strcmp (event->source, tc_shop_to_string (shop)) == 0);
        g_assert (strlen (event->properties) <= TC_EVENT_MAX_PROPERTIES_BYTES);
        properties = json_from_string (event->properties, NULL);
        g_assert (properties != NULL && JSON_NODE_HOLDS_OBJECT (properties));
      }
      break;
    case TC_SHOP_WEBHOOK_IGNORED:
      g_assert (webhook->event == NULL);
      g_assert (webhook->ignored != NULL && webhook->message != NULL);
      g_assert (g_utf8_validate (webhook->message, -1, NULL));
      break;
    case TC_SHOP_WEBHOOK_PING:
      g_assert (shop == TC_SHOP_WOOCOMMERCE && topic == NULL);
      break;
    default:
      g_assert_not_reached ();
    }

  return 0;
}
