/* tc-shop-webhooks.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shopify's and WooCommerce's webhooks as events (see the header). The
 * first half reads a delivery without any I/O: signature, topic, payload,
 * phone number, event. The second half is the endpoint, which works as
 * POST /events does: the request is paused while the secret is looked up
 * (environment, then keyring) and the event stored on the writer, then
 * answered; the main loop never waits. The signature is checked over the
 * raw bytes before the body is parsed, and neither the secret nor the body
 * (names, numbers, addresses) ever reaches a log.
 *
 * Why the checkout or order id, not the delivery id, is the event key:
 * WooCommerce makes a new X-WC-Webhook-Delivery-ID for every delivery,
 * and order.updated arrives again with each change of the order, so only
 * the order's own id says "the same order". Shopify keeps
 * X-Shopify-Webhook-Id across its retries, but checkouts/update arrives
 * many times for one checkout; the id covers both.
 */

#define G_LOG_DOMAIN "tc-shop-webhooks"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-contact-io.h"
#include "tc-events.h"
#include "tc-phone.h"
#include "tc-provider.h"
#include "tc-repository.h"
#include "tc-secrets.h"
#include "tc-shop-webhooks.h"

/* Bounds on what is copied into an event's properties. */
#define MAX_ID_BYTES    64
#define MAX_TITLE_CHARS 120
#define MAX_NAME_CHARS  64
#define MAX_URL_BYTES   2048
#define MAX_SHOP_BYTES  100
#define MAX_PHONE_BYTES 64

G_DEFINE_QUARK (tc-shop-webhook-error-quark, tc_shop_webhook_error)

void
tc_shop_webhook_free (TcShopWebhook *webhook)
{
  if (webhook == NULL)
    return;

  g_free (webhook->topic);
  g_clear_pointer (&webhook->event, tc_event_free);
  g_free (webhook->ignored);
  g_free (webhook->message);
  g_free (webhook);
}

const char *
tc_shop_to_string (TcShop shop)
{
  switch (shop)
    {
    case TC_SHOP_SHOPIFY:
      return "shopify";
    case TC_SHOP_WOOCOMMERCE:
      return "woocommerce";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tc_shop_signature_header (TcShop shop)
{
  switch (shop)
    {
    case TC_SHOP_SHOPIFY:
      return "X-Shopify-Hmac-Sha256";
    case TC_SHOP_WOOCOMMERCE:
      return "X-WC-Webhook-Signature";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
topic_header (TcShop shop)
{
  return shop == TC_SHOP_SHOPIFY ? "X-Shopify-Topic" : "X-WC-Webhook-Topic";
}

static const char *
shop_title (TcShop shop)
{
  return shop == TC_SHOP_SHOPIFY ? "Shopify" : "WooCommerce";
}

/* ------------------------------------------------------------------------
 * Signatures
 */

char *
tc_shop_webhook_sign (GBytes     *body,
                      const char *secret)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  data = g_bytes_get_data (body, &size);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  if (size > 0)
    g_hmac_update (hmac, data, (gssize) size);
  g_hmac_get_digest (hmac, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

gboolean
tc_shop_webhook_verify (TcShop              shop,
                        SoupMessageHeaders *headers,
                        const char         *secret,
                        GBytes             *body)
{
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  const char *value;

  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  if (secret == NULL || secret[0] == '\0')
    return FALSE;
  value = soup_message_headers_get_one (headers, tc_shop_signature_header (shop));
  if (value == NULL)
    return FALSE;
  given = g_strstrip (g_strdup (value));
  if (given[0] == '\0')
    return FALSE;

  expected = tc_shop_webhook_sign (body, secret);

  /* Both are 44 characters of base64 when the header is well formed: only
   * a header of another length is refused early, and its length is no
   * secret. */
  return tc_provider_secure_equal (given, expected);
}

/* ------------------------------------------------------------------------
 * Reading the payload
 */

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *valid = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The answer is JSON: what the payload put in the message must be
   * valid UTF-8 there. */
  valid = g_utf8_make_valid (message, -1);
  g_set_error_literal (error, TC_SHOP_WEBHOOK_ERROR, TC_SHOP_WEBHOOK_ERROR_INVALID, valid);

  return FALSE;
}

/* @text cut to @max_chars characters, valid UTF-8. */
static char *
truncated (const char *text,
           glong       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) <= max_chars)
    return g_steal_pointer (&valid);

  return g_utf8_substring (valid, 0, max_chars);
}

/* A value from the payload as an error message shows it: at most 40
 * characters. */
static char *
shorten (const char *text)
{
  g_autofree char *cut = truncated (text, 40);

  if (strlen (cut) == strlen (text))
    return g_steal_pointer (&cut);

  return g_strconcat (cut, "…", NULL);
}

/* @member of @object (which may be NULL) when it is a string; NULL when
 * absent or null; an error naming @where@member when it is anything else. */
static gboolean
member_string (JsonObject  *object,
               const char  *where,
               const char  *member,
               const char **value,
               GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, "%s%s: give a string", where, member);

  *value = json_node_get_string (node);

  return TRUE;
}

/* The same for an object. */
static gboolean
member_object (JsonObject  *object,
               const char  *where,
               const char  *member,
               JsonObject **value,
               GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "%s%s: give an object", where, member);

  *value = json_node_get_object (node);

  return TRUE;
}

/* An id, a whole number or a string, as text (*@value NULL when absent). */
static gboolean
member_id (JsonObject  *object,
           const char  *member,
           char       **value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    *value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      gsize length = strlen (text);

      for (gsize i = 0; i < length; i++)
        if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_' && text[i] != '.')
          length = 0;
      if (length == 0 || length > MAX_ID_BYTES)
        {
          g_autofree char *shown = shorten (text);

          return invalid (error, "%s: “%s” is not an id; give a number or up to %d letters, "
                          "digits, “-”, “_” and “.”", member, shown, MAX_ID_BYTES);
        }
      *value = g_strdup (text);
    }
  else
    return invalid (error, "%s: give the id as a whole number or a string", member);

  return TRUE;
}

/* Whether @text is an amount as the shops write them: "49.90", "-3",
 * "1200.5" (no exponent, no blanks, no "inf"). */
static gboolean
parse_amount_text (const char *text,
                   double     *value)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (!digits || *p != '\0' || p - text > 32)
    return FALSE;

  *value = g_ascii_strtod (text, NULL);

  return isfinite (*value);
}

/* An amount, a number or a text that is one (*@has FALSE when absent). */
static gboolean
member_amount (JsonObject  *object,
               const char  *where,
               const char  *member,
               gboolean    *has,
               double      *value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  *has = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      *value = json_node_get_double (node);
      *has = isfinite (*value);
    }
  else if (type == G_TYPE_STRING)
    *has = parse_amount_text (json_node_get_string (node), value);

  if (!*has)
    {
      g_autofree char *json = json_to_string (node, FALSE);
      g_autofree char *shown = shorten (json);

      return invalid (error, "%s%s: %s is not an amount; give a number such as 49.90", where,
                      member, shown);
    }

  return TRUE;
}

/* A quantity: a whole number, or a text that is one. */
static gboolean
member_quantity (JsonObject  *object,
                 const char  *where,
                 gint64      *value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, "quantity");
  GType type;

  *value = 1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    *value = json_node_get_int (node);
  else if (type != G_TYPE_STRING ||
           !g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT32, value,
                                      NULL))
    return invalid (error, "%squantity: give a whole number", where);

  return TRUE;
}

/* A time with an offset (Shopify's created_at), or WooCommerce's *_gmt
 * fields, which are UTC without saying so. 0 (now) when absent. */
static gboolean
member_time (JsonObject  *object,
             const char  *member,
             gboolean     utc_without_offset,
             gint64      *value,
             GError     **error)
{
  const char *text = NULL;

  *value = 0;
  if (!member_string (object, "", member, &text, error))
    return FALSE;
  if (text == NULL || text[0] == '\0')
    return TRUE;

  if (tc_parse_time (text, value) && *value >= 0)
    return TRUE;
  if (utc_without_offset)
    {
      g_autofree char *utc = g_strconcat (text, "Z", NULL);

      if (tc_parse_time (utc, value) && *value >= 0)
        return TRUE;
    }

  {
    g_autofree char *shown = shorten (text);

    return invalid (error, "%s: “%s” is not a time; give ISO 8601%s", member, shown,
                    utc_without_offset ? " in UTC" : " with an offset");
  }
}

/* ------------------------------------------------------------------------
 * Writing the properties: compact JSON, amounts in their shortest form.
 */

static void
write_string (GString    *out,
              const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *json = NULL;

  json_node_set_string (node, valid);
  json = json_to_string (node, FALSE);
  g_string_append (out, json);
}

static void
write_string_member (GString    *out,
                     const char *name,
                     const char *text)
{
  g_string_append_printf (out, ",\"%s\":", name);
  write_string (out, text);
}

/* The fewest digits that read back as the same double (json-glib would
 * write 49.9 as 49.899999999999999). */
static void
write_amount (GString *out,
              double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

/* ,"items":[{"title":…,"quantity":N,"price":P},…],"item_count":N from the
 * line_items array, whose titles are in @title_member. */
static gboolean
write_items (GString     *out,
             JsonObject  *root,
             const char  *title_member,
             GError     **error)
{
  JsonNode *node = json_object_get_member (root, "line_items");
  JsonArray *items;
  guint length;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "line_items: give an array");

  items = json_node_get_array (node);
  length = json_array_get_length (items);
  g_string_append (out, ",\"items\":[");
  for (guint i = 0; i < length; i++)
    {
      g_autofree char *where = g_strdup_printf ("line_items[%u].", i);
      JsonNode *element = json_array_get_element (items, i);
      JsonObject *item;
      const char *title = NULL;
      gboolean has_price = FALSE;
      double price = 0;
      gint64 quantity = 1;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, "line_items[%u]: give an object", i);
      item = json_node_get_object (element);
      if (!member_string (item, where, title_member, &title, error) ||
          !member_quantity (item, where, &quantity, error) ||
          !member_amount (item, where, "price", &has_price, &price, error))
        return FALSE;

      if (i >= TC_SHOP_WEBHOOKS_MAX_ITEMS)
        continue;
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"title\":");
      {
        g_autofree char *short_title = truncated (title != NULL ? title : "", MAX_TITLE_CHARS);

        write_string (out, short_title);
      }
      g_string_append_printf (out, ",\"quantity\":%" G_GINT64_FORMAT, quantity);
      if (has_price)
        {
          g_string_append (out, ",\"price\":");
          write_amount (out, price);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_printf (out, "],\"item_count\":%u", length);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * The phone number
 */

typedef struct
{
  const char *field;
  const char *phone;
  const char *regions[3];   /* the countries to read it with, in order */
} Candidate;

/* Upper-cased @code when libphonenumber knows it, else NULL. */
static char *
region_or_null (const char *code)
{
  g_autofree char *upper = NULL;

  if (code == NULL || strlen (code) != 2)
    return NULL;
  upper = g_ascii_strup (code, -1);

  return tc_phone_region_is_valid (upper) ? g_steal_pointer (&upper) : NULL;
}

/* The first candidate that parses, in E.164 (*@e164), or an "ignored"
 * reason and message. */
static gboolean
find_phone (const Candidate  *candidates,
            guint             n_candidates,
            const char       *what,
            char            **e164,
            char            **ignored,
            char            **message)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *first_failure = NULL;

  for (guint i = 0; i < n_candidates; i++)
    {
      const Candidate *c = &candidates[i];
      g_autofree char *phone = NULL;
      g_autoptr(GError) error = NULL;
      const char *region = NULL;
      char *number = NULL;

      if (fields->len > 0)
        g_string_append (fields, i + 1 == n_candidates ? " or " : ", ");
      g_string_append (fields, c->field);

      if (c->phone == NULL)
        continue;
      phone = g_strstrip (g_strdup (c->phone));
      if (phone[0] == '\0')
        continue;

      /* No phone number is this long: libphonenumber need not see it, nor
       * the answer repeat it. */
      if (strlen (phone) > MAX_PHONE_BYTES)
        {
          if (first_failure == NULL)
            first_failure = g_strdup_printf ("%s: too long to be a phone number", c->field);
          continue;
        }

      for (guint r = 0; r < G_N_ELEMENTS (c->regions) && region == NULL; r++)
        region = c->regions[r];
      number = tc_phone_normalize (phone, region, &error);
      if (number != NULL)
        {
          *e164 = number;
          return TRUE;
        }
      if (first_failure == NULL)
        first_failure = g_strdup_printf ("%s: %s%s%s%s", c->field, error->message,
                                         region != NULL ? " (read in " : "",
                                         region != NULL ? region : "",
                                         region != NULL ? ")" : "");
    }

  if (first_failure != NULL)
    {
      *ignored = g_strdup ("invalid_phone");
      *message = g_strdup_printf ("%s, and no other phone number in the %s: there is no "
                                  "contact to record it for", first_failure, what);
    }
  else
    {
      *ignored = g_strdup ("no_phone");
      *message = g_strdup_printf ("No phone number in %s: there is no contact to record the "
                                  "%s for", fields->str, what);
    }

  return FALSE;
}

/* ------------------------------------------------------------------------
 * The delivery
 */

static TcShopWebhook *
ignored (const char *topic,
         const char *reason,
         char       *message)
{
  TcShopWebhook *webhook = g_new0 (TcShopWebhook, 1);

  webhook->kind = TC_SHOP_WEBHOOK_IGNORED;
  webhook->topic = g_strdup (topic);
  webhook->ignored = g_strdup (reason);
  webhook->message = message;

  return webhook;
}

/* The shop that sent it, for event keys: Shopify's shop domain or
 * WooCommerce's site address, lower-case, without scheme; NULL when not
 * said. */
static char *
shop_tag (TcShop              shop,
          SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, shop == TC_SHOP_SHOPIFY
                                                             ? "X-Shopify-Shop-Domain"
                                                             : "X-WC-Webhook-Source");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) tag = g_string_new (NULL);
  g_autofree char *text = NULL;

  if (value == NULL)
    return NULL;

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    text = g_strconcat (g_uri_get_host (uri), g_uri_get_path (uri), NULL);
  else
    text = g_strdup (value);

  for (const char *p = text; *p != '\0' && tag->len < MAX_SHOP_BYTES; p++)
    if (g_ascii_isalnum (*p) || strchr ("-._/", *p) != NULL)
      g_string_append_c (tag, g_ascii_tolower (*p));
  while (tag->len > 0 && tag->str[tag->len - 1] == '/')
    g_string_truncate (tag, tag->len - 1);

  return tag->len > 0 ? g_strdup (tag->str) : NULL;
}

/* The event once everything is read, checked as POST /events checks. */
static TcShopWebhook *
event_webhook (TcShop               shop,
               SoupMessageHeaders  *headers,
               const char          *topic,
               const char          *name,
               const char          *kind,
               const char          *id,
               const char          *phone,
               gint64               occurred_at,
               GString             *properties,
               GError             **error)
{
  g_autoptr(TcEvent) event = tc_event_new (name, phone);
  g_autoptr(GError) check_error = NULL;
  g_autofree char *tag = shop_tag (shop, headers);
  TcShopWebhook *webhook;
  TcEvent *checked;

  if (tag != NULL)
    write_string_member (properties, "shop", tag);
  g_string_append_c (properties, '}');

  event->key = tag != NULL ? g_strdup_printf ("%s:%s:%s:%s", tc_shop_to_string (shop), tag, kind,
                                              id)
                           : g_strdup_printf ("%s:%s:%s", tc_shop_to_string (shop), kind, id);
  event->source = g_strdup (tc_shop_to_string (shop));
  event->occurred_at = occurred_at;
  event->properties = g_strdup (properties->str);

  checked = tc_event_check (event, NULL, &check_error);
  if (checked == NULL)
    {
      invalid (error, "The event made of this %s cannot be recorded: %s", kind,
               check_error->message);
      return NULL;
    }

  webhook = g_new0 (TcShopWebhook, 1);
  webhook->kind = TC_SHOP_WEBHOOK_EVENT;
  webhook->topic = g_strdup (topic);
  webhook->event = checked;

  return webhook;
}

static TcShopWebhook *
parse_shopify (SoupMessageHeaders  *headers,
               const char          *topic,
               JsonObject          *root,
               GError             **error)
{
  gboolean checkout = g_str_has_prefix (topic, "checkouts/");
  const char *what = checkout ? "checkout" : "order";
  g_autoptr(GString) properties = g_string_new (NULL);
  g_autofree char *id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  g_autofree char *billing_country = NULL;
  g_autofree char *shipping_country = NULL;
  g_autofree char *customer_country = NULL;
  JsonObject *customer = NULL, *billing = NULL, *shipping = NULL, *address = NULL;
  const char *customer_phone = NULL, *order_phone = NULL, *billing_phone = NULL;
  const char *shipping_phone = NULL, *code = NULL, *currency = NULL, *text = NULL;
  const char *completed = NULL;
  gboolean has_value = FALSE;
  double value = 0;
  gint64 occurred_at = 0;

  if (!member_id (root, "id", &id, error))
    return NULL;
  if (id == NULL)
    {
      invalid (error, "id: missing; a Shopify %s always has one", what);
      return NULL;
    }

  if (checkout && !member_string (root, "", "completed_at", &completed, error))
    return NULL;
  if (completed != NULL && completed[0] != '\0')
    return ignored (topic, "completed",
                    g_strdup ("The checkout is completed (completed_at is set): its order "
                              "arrives as orders/create"));

  if (!member_object (root, "", "customer", &customer, error) ||
      !member_object (customer, "customer.", "default_address", &address, error) ||
      !member_object (root, "", "billing_address", &billing, error) ||
      !member_object (root, "", "shipping_address", &shipping, error) ||
      !member_string (customer, "customer.", "phone", &customer_phone, error) ||
      !member_string (root, "", "phone", &order_phone, error) ||
      !member_string (billing, "billing_address.", "phone", &billing_phone, error) ||
      !member_string (shipping, "shipping_address.", "phone", &shipping_phone, error))
    return NULL;

  if (!member_string (billing, "billing_address.", "country_code", &code, error))
    return NULL;
  billing_country = region_or_null (code);
  if (!member_string (shipping, "shipping_address.", "country_code", &code, error))
    return NULL;
  shipping_country = region_or_null (code);
  if (!member_string (address, "customer.default_address.", "country_code", &code, error))
    return NULL;
  customer_country = region_or_null (code);

  {
    const Candidate candidates[] = {
      { "customer.phone", customer_phone,
        { customer_country, billing_country, shipping_country } },
      { "phone", order_phone, { billing_country, shipping_country, customer_country } },
      { "billing_address.phone", billing_phone,
        { billing_country, shipping_country, customer_country } },
      { "shipping_address.phone", shipping_phone,
        { shipping_country, billing_country, customer_country } },
    };

    if (!find_phone (candidates, G_N_ELEMENTS (candidates), what, &phone, &reason, &message))
      return ignored (topic, reason, g_steal_pointer (&message));
  }

  if (!member_amount (root, "", "total_price", &has_value, &value, error) ||
      !member_string (root, "", "currency", &currency, error) ||
      !member_time (root, "created_at", FALSE, &occurred_at, error))
    return NULL;

  g_string_append_printf (properties, "{\"%s_id\":\"%s\"", what, id);
  if (checkout)
    {
      if (!member_string (root, "", "abandoned_checkout_url", &text, error))
        return NULL;
      if (text != NULL && text[0] != '\0' && strlen (text) <= MAX_URL_BYTES)
        write_string_member (properties, "cart_url", text);
    }
  else
    {
      if (!member_string (root, "", "name", &text, error))
        return NULL;
      if (text != NULL && text[0] != '\0')
        {
          g_autofree char *name = truncated (text, MAX_NAME_CHARS);

          write_string_member (properties, "order_name", name);
        }
    }
  if (has_value)
    {
      g_string_append (properties, ",\"value\":");
      write_amount (properties, value);
    }
  if (currency != NULL && currency[0] != '\0')
    write_string_member (properties, "currency", currency);
  if (!write_items (properties, root, "title", error))
    return NULL;

  return event_webhook (TC_SHOP_SHOPIFY, headers, topic,
                        checkout ? "cart_abandoned" : "order_placed", what, id, phone,
                        occurred_at, properties, error);
}

static TcShopWebhook *
parse_woocommerce (SoupMessageHeaders  *headers,
                   const char          *topic,
                   JsonObject          *root,
                   GError             **error)
{
  g_autoptr(GString) properties = g_string_new (NULL);
  g_autofree char *id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  g_autofree char *billing_country = NULL;
  g_autofree char *shipping_country = NULL;
  JsonObject *billing = NULL, *shipping = NULL;
  const char *billing_phone = NULL, *shipping_phone = NULL, *code = NULL;
  const char *status = NULL, *created_via = NULL, *currency = NULL, *text = NULL;
  const char *kind;
  gboolean placed;
  gboolean has_value = FALSE;
  double value = 0;
  gint64 occurred_at = 0;

  if (!member_id (root, "id", &id, error) ||
      !member_string (root, "", "status", &status, error) ||
      !member_string (root, "", "created_via", &created_via, error))
    return NULL;
  if (id == NULL || status == NULL)
    {
      invalid (error, "%s: missing; a WooCommerce order always has one",
               id == NULL ? "id" : "status");
      return NULL;
    }

  placed = strcmp (status, "processing") == 0 || strcmp (status, "completed") == 0;
  if (!placed && strcmp (status, "pending") != 0 && strcmp (status, "failed") != 0)
    {
      g_autofree char *shown = shorten (status);

      return ignored (topic, "status",
                      g_strdup_printf ("Orders with status “%s” make no event: processing and "
                                       "completed are order_placed, pending and failed (at the "
                                       "shop's checkout) cart_abandoned", shown));
    }
  /* A pending or failed order is a cart left at the payment step only when
   * the customer made it: one typed in by the shop owner is not. */
  if (!placed && (created_via == NULL || (strcmp (created_via, "checkout") != 0 &&
                                          strcmp (created_via, "store-api") != 0)))
    {
      g_autofree char *shown = shorten (created_via != NULL ? created_via : "");

      return ignored (topic, "status",
                      g_strdup_printf ("A %s order that was not made at the shop's checkout "
                                       "(created_via “%s”) is no abandoned cart", status, shown));
    }
  kind = placed ? "order" : "checkout";

  if (!member_object (root, "", "billing", &billing, error) ||
      !member_object (root, "", "shipping", &shipping, error) ||
      !member_string (billing, "billing.", "phone", &billing_phone, error) ||
      !member_string (shipping, "shipping.", "phone", &shipping_phone, error) ||
      !member_string (billing, "billing.", "country", &code, error))
    return NULL;
  billing_country = region_or_null (code);
  if (!member_string (shipping, "shipping.", "country", &code, error))
    return NULL;
  shipping_country = region_or_null (code);

  {
    const Candidate candidates[] = {
      { "billing.phone", billing_phone, { billing_country, shipping_country, NULL } },
      { "shipping.phone", shipping_phone, { shipping_country, billing_country, NULL } },
    };

    if (!find_phone (candidates, G_N_ELEMENTS (candidates), "order", &phone, &reason,
                     &message))
      return ignored (topic, reason, g_steal_pointer (&message));
  }

  if (!member_amount (root, "", "total", &has_value, &value, error) ||
      !member_string (root, "", "currency", &currency, error))
    return NULL;
  /* Placed when paid, if it says so; else when it was made. */
  if (placed && !member_time (root, "date_paid_gmt", TRUE, &occurred_at, error))
    return NULL;
  if (occurred_at == 0 && !member_time (root, "date_created_gmt", TRUE, &occurred_at, error))
    return NULL;

  g_string_append_printf (properties, "{\"order_id\":\"%s\"", id);
  if (!member_string (root, "", "number", &text, error))
    return NULL;
  if (text != NULL && text[0] != '\0')
    {
      g_autofree char *name = truncated (text, MAX_NAME_CHARS);

      write_string_member (properties, "order_name", name);
    }
  if (!placed)
    {
      if (!member_string (root, "", "payment_url", &text, error))
        return NULL;
      if (text != NULL && text[0] != '\0' && strlen (text) <= MAX_URL_BYTES)
        write_string_member (properties, "cart_url", text);
    }
  write_string_member (properties, "status", status);
  if (has_value)
    {
      g_string_append (properties, ",\"value\":");
      write_amount (properties, value);
    }
  if (currency != NULL && currency[0] != '\0')
    write_string_member (properties, "currency", currency);
  if (!write_items (properties, root, "name", error))
    return NULL;

  return event_webhook (TC_SHOP_WOOCOMMERCE, headers, topic,
                        placed ? "order_placed" : "cart_abandoned", kind, id, phone, occurred_at,
                        properties, error);
}

/* WooCommerce's ping when a webhook is saved: "webhook_id=N", form-encoded,
 * with none of the webhook headers and no signature. */
static gboolean
is_ping (TcShop              shop,
         SoupMessageHeaders *headers,
         GBytes             *body)
{
  static const char prefix[] = "webhook_id=";
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (shop != TC_SHOP_WOOCOMMERCE ||
      soup_message_headers_get_one (headers, topic_header (shop)) != NULL ||
      size <= strlen (prefix) || size > strlen (prefix) + 20 ||
      memcmp (data, prefix, strlen (prefix)) != 0)
    return FALSE;

  for (gsize i = strlen (prefix); i < size; i++)
    if (!g_ascii_isdigit (data[i]))
      return FALSE;

  return TRUE;
}

TcShopWebhook *
tc_shop_webhook_parse (TcShop               shop,
                       SoupMessageHeaders  *headers,
                       GBytes              *body,
                       GError             **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *topic = NULL;
  const char *value;
  gsize size = 0;
  const char *data;
  gboolean wanted;

  g_return_val_if_fail (shop == TC_SHOP_SHOPIFY || shop == TC_SHOP_WOOCOMMERCE, NULL);
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (is_ping (shop, headers, body))
    {
      TcShopWebhook *webhook = g_new0 (TcShopWebhook, 1);

      webhook->kind = TC_SHOP_WEBHOOK_PING;
      return webhook;
    }

  value = soup_message_headers_get_one (headers, topic_header (shop));
  topic = g_strstrip (g_strdup (value != NULL ? value : ""));
  if (topic[0] == '\0')
    {
      invalid (error, "%s: missing; %s names the topic of every webhook there",
               topic_header (shop), shop_title (shop));
      return NULL;
    }

  if (shop == TC_SHOP_SHOPIFY)
    wanted = strcmp (topic, "checkouts/create") == 0 || strcmp (topic, "checkouts/update") == 0 ||
             strcmp (topic, "orders/create") == 0;
  else
    wanted = strcmp (topic, "order.created") == 0 || strcmp (topic, "order.updated") == 0;
  if (!wanted)
    {
      g_autofree char *shown = shorten (topic);

      return ignored (topic, "topic",
                      g_strdup_printf ("Textcast makes events of %s only; “%s” is ignored",
                                       shop == TC_SHOP_SHOPIFY
                                       ? "checkouts/create, checkouts/update and orders/create"
                                       : "order.created and order.updated",
                                       shown));
    }

  data = g_bytes_get_data (body, &size);
  parser = json_parser_new ();
  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, &parse_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      /* json-glib's message may quote bytes that are not UTF-8. */
      g_autofree char *reason = g_utf8_make_valid (parse_error != NULL
                                                   ? parse_error->message
                                                   : size == 0 ? "empty"
                                                               : "another kind of value", -1);

      g_set_error (error, TC_SHOP_WEBHOOK_ERROR, TC_SHOP_WEBHOOK_ERROR_INVALID_JSON,
                   "The body is not a JSON object (%s)", reason);
      return NULL;
    }

  if (shop == TC_SHOP_SHOPIFY)
    return parse_shopify (headers, topic, json_node_get_object (json_parser_get_root (parser)),
                          error);
  return parse_woocommerce (headers, topic, json_node_get_object (json_parser_get_root (parser)),
                            error);
}

/* ------------------------------------------------------------------------
 * The endpoint
 */

typedef struct
{
  TcRepository       *repository;
  SoupServerMessage  *msg;
  SoupMessageHeaders *headers;
  GBytes             *body;
  TcShop              shop;
  gboolean            gone;
} Request;

gboolean
tc_shop_webhooks_owns_path (const char *path)
{
  return path != NULL && (strcmp (path, TC_SHOP_WEBHOOKS_SHOPIFY_PATH) == 0 ||
                          strcmp (path, TC_SHOP_WEBHOOKS_WOOCOMMERCE_PATH) == 0);
}

gboolean
tc_shop_webhooks_accepts_body (goffset content_length)
{
  return content_length >= 0 && content_length <= TC_SHOP_WEBHOOKS_MAX_BODY;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);
  char *body = g_strconcat (text, "\n", NULL);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

/* {"KEY":"VALUE","message":MESSAGE} (or {"ping":true} for a NULL value). */
static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *key,
         const char        *value,
         const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_boolean_value (builder, TRUE);
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_end_object (builder);
  respond_json (msg, status, builder);
}

void
tc_shop_webhooks_refuse_body (SoupServerMessage *msg)
{
  g_autofree char *message = g_strdup_printf ("The body must have a Content-Length of at most "
                                              "%d bytes", TC_SHOP_WEBHOOKS_MAX_BODY);

  respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "error", "too_large", message);
}

static void
request_gone_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Request *request = user_data;

  request->gone = TRUE;
}

static void
request_free (Request *request)
{
  g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->repository);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
request_resume (Request *request)
{
  if (!request->gone)
    soup_server_message_unpause (request->msg);
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(TcEventOutcome) outcome = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  outcome = tc_events_record_finish (TC_REPOSITORY (object), result, &error);
  if (request->gone)
    return;

  if (g_error_matches (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_ERASED))
    /* Refusing would only make the shop send it again and again. */
    respond (request->msg, SOUP_STATUS_OK, "ignored", "erased",
             "The number was erased at the person's request: nothing is recorded for it");
  else if (g_error_matches (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID))
    respond (request->msg, SOUP_STATUS_BAD_REQUEST, "error", "invalid_payload", error->message);
  else if (error != NULL)
    {
      g_message ("Cannot record a %s webhook: %s", shop_title (request->shop), error->message);
      respond (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "error", "unavailable",
               "The event could not be stored; try again in a moment");
    }
  else
    {
      g_debug ("%s webhook: event %" G_GINT64_FORMAT " (%s, %s)", shop_title (request->shop),
               outcome->event->id, outcome->event->name,
               outcome->inserted ? "new" : "delivered before");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, outcome->event->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, outcome->event->name);
      json_builder_set_member_name (builder, "inserted");
      json_builder_add_boolean_value (builder, outcome->inserted);
      json_builder_set_member_name (builder, "contact_created");
      json_builder_add_boolean_value (builder, outcome->contact_created);
      json_builder_end_object (builder);
      respond_json (request->msg, SOUP_STATUS_OK, builder);
    }
  request_resume (request);
}

static void
secret_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(TcShopWebhook) webhook = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  TcSecretSource source = TC_SECRET_SOURCE_NONE;
  TcSecretName name = request->shop == TC_SHOP_SHOPIFY ? TC_SECRET_SHOPIFY_WEBHOOK_SECRET
                                                       : TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET;
  Request *owned;

  secret = tc_secrets_lookup_finish (result, &source, &error);
  if (request->gone)
    goto out;

  if (secret == NULL)
    {
      g_autofree char *message = NULL;

      if (error != NULL)
        g_message ("Cannot read the %s: %s", tc_secret_name_describe (name), error->message);
      message = g_strdup_printf ("Textcast has no %s webhook secret yet: store it as %s in the "
                                 "keyring, or set %s", shop_title (request->shop),
                                 tc_secret_name_to_string (name), tc_secret_name_env_var (name));
      respond (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "error", "not_configured", message);
      request_resume (request);
      goto out;
    }

  /* WooCommerce pings a webhook, unsigned, when it is saved, and keeps it
   * only when the answer is 200. */
  if (is_ping (request->shop, request->headers, request->body))
    {
      respond (request->msg, SOUP_STATUS_OK, "ping", NULL, NULL);
      request_resume (request);
      goto out;
    }

  if (!tc_shop_webhook_verify (request->shop, request->headers, secret, request->body))
    {
      g_autofree char *message = g_strdup_printf ("%s is missing or is not the signature of the "
                                                  "body with the %s webhook secret",
                                                  tc_shop_signature_header (request->shop),
                                                  shop_title (request->shop));

      respond (request->msg, SOUP_STATUS_UNAUTHORIZED, "error", "unauthorized", message);
      request_resume (request);
      goto out;
    }

  webhook = tc_shop_webhook_parse (request->shop, request->headers, request->body, &error);
  if (webhook == NULL)
    {
      respond (request->msg, SOUP_STATUS_BAD_REQUEST, "error",
               g_error_matches (error, TC_SHOP_WEBHOOK_ERROR, TC_SHOP_WEBHOOK_ERROR_INVALID_JSON)
               ? "invalid_json" : "invalid_payload",
               error->message);
      request_resume (request);
      goto out;
    }

  switch (webhook->kind)
    {
    case TC_SHOP_WEBHOOK_EVENT:
      owned = g_steal_pointer (&request);
      tc_events_record_async (owned->repository, webhook->event, NULL, NULL, record_cb, owned);
      break;
    case TC_SHOP_WEBHOOK_PING:
      respond (request->msg, SOUP_STATUS_OK, "ping", NULL, NULL);
      request_resume (request);
      break;
    case TC_SHOP_WEBHOOK_IGNORED:
    default:
      g_debug ("%s webhook %s ignored: %s", shop_title (request->shop), webhook->topic,
               webhook->ignored);
      respond (request->msg, SOUP_STATUS_OK, "ignored", webhook->ignored, webhook->message);
      request_resume (request);
      break;
    }

out:
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

void
tc_shop_webhooks_handle (TcRepository      *repository,
                         SoupServerMessage *msg,
                         const char        *path)
{
  Request *request;
  g_autoptr(GBytes) body = NULL;
  TcShop shop;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (tc_shop_webhooks_owns_path (path));

  shop = strcmp (path, TC_SHOP_WEBHOOKS_SHOPIFY_PATH) == 0 ? TC_SHOP_SHOPIFY
                                                           : TC_SHOP_WOOCOMMERCE;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "POST");
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "error", "method_not_allowed",
               "Webhooks arrive with POST");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > TC_SHOP_WEBHOOKS_MAX_BODY)
    {
      tc_shop_webhooks_refuse_body (msg);
      return;
    }

  request = g_new0 (Request, 1);
  request->repository = g_object_ref (repository);
  request->msg = g_object_ref (msg);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = g_steal_pointer (&body);
  request->shop = shop;
  g_signal_connect (msg, "finished", G_CALLBACK (request_gone_cb), request);
  g_signal_connect (msg, "disconnected", G_CALLBACK (request_gone_cb), request);

  soup_server_message_pause (msg);
  tc_secrets_lookup_async (shop == TC_SHOP_SHOPIFY ? TC_SECRET_SHOPIFY_WEBHOOK_SECRET
                                                   : TC_SECRET_WOOCOMMERCE_WEBHOOK_SECRET,
                           NULL, NULL, secret_cb, request);
}
