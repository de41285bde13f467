/* tc-shop-webhooks.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shops' own webhooks on Textcast's HTTP endpoint (tc-http-server.c),
 * turned into events (tc-events.h):
 *
 *   POST /webhooks/shopify       X-Shopify-Topic: checkouts/create or
 *                                checkouts/update → cart_abandoned (not once
 *                                completed_at is set); orders/create →
 *                                order_placed
 *   POST /webhooks/woocommerce   X-WC-Webhook-Topic: order.created or
 *                                order.updated: status processing or
 *                                completed → order_placed; pending or failed
 *                                from the shop's own checkout → cart_abandoned
 *
 * Both are signed with base64 (HMAC-SHA256 (secret, raw body)), in
 * X-Shopify-Hmac-Sha256 and X-WC-Webhook-Signature; the secrets are
 * "shopify.webhook_secret" and "woocommerce.webhook_secret" in the Secret
 * Service, or TEXTCAST_SHOPIFY_WEBHOOK_SECRET and
 * TEXTCAST_WOOCOMMERCE_WEBHOOK_SECRET (tc-secrets.h).
 *
 * The contact is the first phone number that parses, read with the country
 * of its address: Shopify's customer.phone, phone, billing_address.phone,
 * shipping_address.phone; WooCommerce's billing.phone, shipping.phone. As
 * with POST /events, a number Textcast does not know becomes a contact
 * without consent. The event key is the shop, the kind and the checkout or
 * order id ("shopify:example.myshopify.com:order:820982911946154508"), so a
 * redelivery, or an order updated again, is not a second event.
 *
 * Answers are JSON: 200 {"id":N,"name":"order_placed","inserted":true,
 * "contact_created":false}; 200 {"ignored":REASON,"message":TEXT} for what
 * is no event (another topic or status, a completed checkout, no phone
 * number, a number erased at the person's request: a shop retries anything
 * but 2xx and in the end switches the webhook off); 200 {"ping":true} for
 * WooCommerce's ping when a webhook is saved; or {"error":CODE,
 * "message":TEXT}: 400 invalid_json / invalid_payload (naming the header or
 * field), 401 unauthorized, 405 method_not_allowed, 413 too_large, 503
 * not_configured (no secret set) or unavailable.
 */

#pragma once

#include <libsoup/soup.h>

#include "tc-events.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_SHOP_WEBHOOKS_SHOPIFY_PATH     "/webhooks/shopify"
#define TC_SHOP_WEBHOOKS_WOOCOMMERCE_PATH "/webhooks/woocommerce"
/* Orders carry every line with its taxes and discounts: more room than
 * POST /events' 256 KiB, the same as the providers' webhooks. */
#define TC_SHOP_WEBHOOKS_MAX_BODY         (1024 * 1024)
/* Items kept in an event's properties (the rest is counted in
 * "item_count"), so that the properties stay far below
 * TC_EVENT_MAX_PROPERTIES_BYTES. */
#define TC_SHOP_WEBHOOKS_MAX_ITEMS        20

typedef enum
{
  TC_SHOP_SHOPIFY,
  TC_SHOP_WOOCOMMERCE,
} TcShop;

#define TC_SHOP_WEBHOOK_ERROR (tc_shop_webhook_error_quark ())

/**
 * TcShopWebhookError:
 * @TC_SHOP_WEBHOOK_ERROR_INVALID_JSON: the body is not a JSON object
 * @TC_SHOP_WEBHOOK_ERROR_INVALID: a header or field is missing or not what
 *   the shop sends; the message names it
 */
typedef enum
{
  TC_SHOP_WEBHOOK_ERROR_INVALID_JSON,
  TC_SHOP_WEBHOOK_ERROR_INVALID,
} TcShopWebhookError;

GQuark tc_shop_webhook_error_quark (void);

typedef enum
{
  TC_SHOP_WEBHOOK_EVENT,    /* event is set */
  TC_SHOP_WEBHOOK_PING,     /* WooCommerce's ping: answer 200, record nothing */
  TC_SHOP_WEBHOOK_IGNORED,  /* no event: ignored and message say why */
} TcShopWebhookKind;

typedef struct
{
  TcShopWebhookKind  kind;
  char              *topic;     /* as sent; NULL for a ping */
  TcEvent           *event;     /* checked (tc_event_check()): phone in E.164 */
  char              *ignored;   /* "topic", "status", "completed", "no_phone",
                                 * "invalid_phone" */
  char              *message;   /* why it was ignored, in plain words */
} TcShopWebhook;

void           tc_shop_webhook_free       (TcShopWebhook      *webhook);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcShopWebhook, tc_shop_webhook_free)

/* "shopify", "woocommerce": the events' source. */
const char    *tc_shop_to_string          (TcShop              shop);
/* "X-Shopify-Hmac-Sha256", "X-WC-Webhook-Signature". */
const char    *tc_shop_signature_header   (TcShop              shop);

/* base64 (HMAC-SHA256 (@secret, @body)), as the shops sign. */
char          *tc_shop_webhook_sign       (GBytes             *body,
                                           const char         *secret) G_GNUC_WARN_UNUSED_RESULT;
/* Whether @headers carry @shop's signature of @body with @secret, compared
 * in time that does not depend on where it differs. FALSE for a missing or
 * empty header or secret. */
gboolean       tc_shop_webhook_verify     (TcShop              shop,
                                           SoupMessageHeaders *headers,
                                           const char         *secret,
                                           GBytes             *body);
/* Reads a delivery (headers and raw body; the signature is not looked at)
 * into what it means. Pure: no I/O. NULL with TC_SHOP_WEBHOOK_ERROR when
 * the body or a header is not what the shop sends, naming it. */
TcShopWebhook *tc_shop_webhook_parse      (TcShop              shop,
                                           SoupMessageHeaders *headers,
                                           GBytes             *body,
                                           GError            **error);

/* The endpoint, as tc-events-endpoint.h: whether @path is one of ours,
 * whether a body of @content_length bytes (-1: not announced) may be read,
 * the 413 answer for one that may not, and the answer to a request
 * (paused while the secret is looked up and the event stored). */
gboolean       tc_shop_webhooks_owns_path      (const char        *path);
gboolean       tc_shop_webhooks_accepts_body   (goffset            content_length);
void           tc_shop_webhooks_refuse_body    (SoupServerMessage *msg);
void           tc_shop_webhooks_handle         (TcRepository      *repository,
                                                SoupServerMessage *msg,
                                                const char        *path);

G_END_DECLS
