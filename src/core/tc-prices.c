/* tc-prices.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price table (see tc-prices.h). The defaults are a compiled-in table;
 * the overrides come from the setting TC_SETTING_PRICES. Lookups go
 * through a hash of (country, channel, category) packed into one integer,
 * so pricing an outbox row costs a phone parse and two hash lookups.
 *
 * Every repository connection keeps its parsed table (TcDb's prices
 * cache). It is parsed again when the settings code reports a change of a
 * prices.* key in this process (a global generation counter) or when
 * SQLite's data version says another connection — another process, such
 * as textcast-cli — committed something since the last look.
 */

#define G_LOG_DOMAIN "tc-prices"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-phone.h"
#include "tc-prices.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

/* The defaults: per outbound SMS segment and per WhatsApp message, in US
 * dollars, as of DEFAULTS_AS_OF. SMS after Twilio's public per-country
 * list prices, WhatsApp after Meta's per-message rate card (countries
 * without their own rate use their region's). Estimates: carriers'
 * surcharges, volume tiers and currency changes move the real figures. */
#define DEFAULTS_AS_OF_YEAR  2026
#define DEFAULTS_AS_OF_MONTH 11
#define DEFAULTS_AS_OF_DAY   1
#define DEFAULTS_AS_OF       "2026-11-01"

typedef struct
{
  const char *country;
  double      sms;
  double      marketing;
  double      utility;
  double      authentication;
} DefaultPrice;

static const DefaultPrice default_prices[] = {
  { "AE", 0.0723, 0.0384, 0.0157, 0.0178 },
  { "AR", 0.0700, 0.0618, 0.0260, 0.0367 },
  { "AT", 0.1129, 0.0592, 0.0318, 0.0416 },
  { "AU", 0.0515, 0.0732, 0.0113, 0.0148 },
  { "BE", 0.1024, 0.0592, 0.0318, 0.0416 },
  { "BR", 0.0489, 0.0625, 0.0080, 0.0315 },
  { "CA", 0.0083, 0.0250, 0.0040, 0.0135 },
  { "CH", 0.0664, 0.0592, 0.0318, 0.0416 },
  { "CO", 0.0107, 0.0125, 0.0002, 0.0077 },
  { "CZ", 0.0727, 0.0860, 0.0212, 0.0583 },
  { "DE", 0.0936, 0.1365, 0.0550, 0.0768 },
  { "DK", 0.0563, 0.0592, 0.0318, 0.0416 },
  { "ES", 0.0905, 0.0615, 0.0200, 0.0276 },
  { "FI", 0.0937, 0.0592, 0.0318, 0.0416 },
  { "FR", 0.0849, 0.0859, 0.0300, 0.0456 },
  { "GB", 0.0524, 0.0529, 0.0220, 0.0358 },
  { "GR", 0.0693, 0.0860, 0.0212, 0.0583 },
  { "HK", 0.0690, 0.0732, 0.0113, 0.0148 },
  { "IE", 0.0781, 0.0592, 0.0318, 0.0416 },
  { "IL", 0.1015, 0.0353, 0.0053, 0.0053 },
  { "IN", 0.0832, 0.0107, 0.0014, 0.0014 },
  { "IT", 0.0897, 0.0691, 0.0200, 0.0330 },
  { "JP", 0.0788, 0.0732, 0.0113, 0.0148 },
  { "MX", 0.0581, 0.0305, 0.0085, 0.0135 },
  { "NG", 0.2420, 0.0516, 0.0067, 0.0067 },
  { "NL", 0.1089, 0.1597, 0.0500, 0.0711 },
  { "NO", 0.0767, 0.0592, 0.0318, 0.0416 },
  { "NZ", 0.1104, 0.0732, 0.0113, 0.0148 },
  { "PL", 0.0406, 0.0860, 0.0212, 0.0583 },
  { "PT", 0.0436, 0.0592, 0.0318, 0.0416 },
  { "RO", 0.0783, 0.0860, 0.0212, 0.0583 },
  { "SA", 0.0456, 0.0455, 0.0107, 0.0107 },
  { "SE", 0.0651, 0.0592, 0.0318, 0.0416 },
  { "SG", 0.0442, 0.0732, 0.0113, 0.0148 },
  { "TR", 0.0185, 0.0109, 0.0053, 0.0083 },
  { "US", 0.0083, 0.0250, 0.0040, 0.0135 },
  { "ZA", 0.0370, 0.0379, 0.0076, 0.0076 },
  /* Every other country. */
  { "*",  0.1000, 0.0604, 0.0077, 0.0280 },
};

static const char * const category_names[] = {
  [TC_PRICE_CATEGORY_NONE] = NULL,
  [TC_PRICE_CATEGORY_MARKETING] = "marketing",
  [TC_PRICE_CATEGORY_UTILITY] = "utility",
  [TC_PRICE_CATEGORY_AUTHENTICATION] = "authentication",
  [TC_PRICE_CATEGORY_SERVICE] = "service",
};

const char *
tc_price_category_to_string (TcPriceCategory category)
{
  g_return_val_if_fail ((guint) category < G_N_ELEMENTS (category_names), NULL);

  return category_names[category];
}

gboolean
tc_price_category_from_string (const char      *str,
                               TcPriceCategory *category)
{
  g_return_val_if_fail (category != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = TC_PRICE_CATEGORY_MARKETING; i < G_N_ELEMENTS (category_names); i++)
    if (strcmp (str, category_names[i]) == 0)
      {
        *category = (TcPriceCategory) i;
        return TRUE;
      }

  return FALSE;
}

const char *
tc_prices_defaults_as_of (void)
{
  return DEFAULTS_AS_OF;
}

int
tc_prices_defaults_age_days (GDateTime *now)
{
  g_autoptr(GDateTime) as_of = g_date_time_new_utc (DEFAULTS_AS_OF_YEAR, DEFAULTS_AS_OF_MONTH,
                                                    DEFAULTS_AS_OF_DAY, 0, 0, 0);
  g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  GTimeSpan span = g_date_time_difference (current, as_of);

  return span > 0 ? (int) (span / G_TIME_SPAN_DAY) : 0;
}

/* ------------------------------------------------------------------------
 * The table
 */

struct _TcPrices
{
  gatomicrefcount  ref;
  GArray          *entries;  /* TcPriceEntry, sorted */
  GHashTable      *index;    /* packed key → position + 1 */
};

G_DEFINE_BOXED_TYPE (TcPrices, tc_prices, tc_prices_ref, tc_prices_unref)

/* Country letters (or '*'), channel and category in one integer. */
static guint
pack_key (const char      *country,
          TcChannel        channel,
          TcPriceCategory  category)
{
  guint c0 = (guchar) g_ascii_toupper (country[0]);
  guint c1 = c0 != '\0' ? (guchar) g_ascii_toupper (country[1]) : 0;

  return (c0 << 24) | (c1 << 16) | ((guint) channel << 8) | (guint) category;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const TcPriceEntry *x = a;
  const TcPriceEntry *y = b;
  gboolean x_any = x->country[0] == '*';
  gboolean y_any = y->country[0] == '*';
  int order;

  /* "*" after every country. */
  if (x_any != y_any)
    return x_any ? 1 : -1;
  order = strcmp (x->country, y->country);
  if (order != 0)
    return order;
  if (x->channel != y->channel)
    return x->channel < y->channel ? -1 : 1;
  if (x->category != y->category)
    return x->category < y->category ? -1 : 1;

  return 0;
}

static void
rebuild_index (TcPrices *self)
{
  g_array_sort (self->entries, compare_entries);
  g_hash_table_remove_all (self->index);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const TcPriceEntry *entry = &g_array_index (self->entries, TcPriceEntry, i);

      g_hash_table_insert (self->index,
                           GUINT_TO_POINTER (pack_key (entry->country, entry->channel,
                                                       entry->category)),
                           GUINT_TO_POINTER (i + 1));
    }
}

static void
append_entry (TcPrices        *self,
              const char      *country,
              TcChannel        channel,
              TcPriceCategory  category,
              double           price,
              gboolean         custom)
{
  TcPriceEntry entry = { { 0 }, channel, category, price, custom };

  g_strlcpy (entry.country, country, sizeof entry.country);
  for (char *p = entry.country; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  g_array_append_val (self->entries, entry);
}

/* The shipped price of (@country, @channel, @category), if there is one. */
static gboolean
default_price (const char      *country,
               TcChannel        channel,
               TcPriceCategory  category,
               double          *price)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_prices); i++)
    {
      const DefaultPrice *row = &default_prices[i];

      if (g_ascii_strcasecmp (row->country, country) != 0)
        continue;

      if (channel == TC_CHANNEL_SMS)
        *price = row->sms;
      else if (category == TC_PRICE_CATEGORY_MARKETING)
        *price = row->marketing;
      else if (category == TC_PRICE_CATEGORY_UTILITY)
        *price = row->utility;
      else if (category == TC_PRICE_CATEGORY_AUTHENTICATION)
        *price = row->authentication;
      else if (category == TC_PRICE_CATEGORY_SERVICE)
        *price = 0.0;
      else
        return FALSE;

      return TRUE;
    }

  return FALSE;
}

TcPrices *
tc_prices_new (void)
{
  TcPrices *self = g_new0 (TcPrices, 1);

  g_atomic_ref_count_init (&self->ref);
  self->entries = g_array_sized_new (FALSE, FALSE, sizeof (TcPriceEntry),
                                     G_N_ELEMENTS (default_prices) * 5);
  self->index = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (default_prices); i++)
    {
      const DefaultPrice *row = &default_prices[i];

      append_entry (self, row->country, TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, row->sms, FALSE);
      append_entry (self, row->country, TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING,
                    row->marketing, FALSE);
      append_entry (self, row->country, TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY,
                    row->utility, FALSE);
      append_entry (self, row->country, TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_AUTHENTICATION,
                    row->authentication, FALSE);
      append_entry (self, row->country, TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE, 0.0,
                    FALSE);
    }
  rebuild_index (self);

  return self;
}

TcPrices *
tc_prices_ref (TcPrices *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);

  return self;
}

void
tc_prices_unref (TcPrices *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  g_array_unref (self->entries);
  g_hash_table_unref (self->index);
  g_free (self);
}

const char *
tc_prices_get_currency (TcPrices *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return TC_PRICES_CURRENCY;
}

guint
tc_prices_get_n_entries (TcPrices *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const TcPriceEntry *
tc_prices_get_entry (TcPrices *self,
                     guint     index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return &g_array_index (self->entries, TcPriceEntry, index);
}

gboolean
tc_prices_has_custom (TcPrices *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, TcPriceEntry, i).custom)
      return TRUE;

  return FALSE;
}

static TcPriceCategory
normalize_category (TcChannel       channel,
                    TcPriceCategory category)
{
  if (channel == TC_CHANNEL_SMS)
    return TC_PRICE_CATEGORY_NONE;
  if (category == TC_PRICE_CATEGORY_NONE)
    return TC_PRICE_CATEGORY_MARKETING;

  return category;
}

static TcPriceEntry *
find_entry (TcPrices        *self,
            const char      *country,
            TcChannel        channel,
            TcPriceCategory  category)
{
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (self->index,
                                                          GUINT_TO_POINTER (pack_key (country,
                                                                                      channel,
                                                                                      category))));

  return position > 0 ? &g_array_index (self->entries, TcPriceEntry, position - 1) : NULL;
}

gboolean
tc_prices_lookup (TcPrices            *self,
                  const char          *country,
                  TcChannel            channel,
                  TcPriceCategory      category,
                  double              *price,
                  const TcPriceEntry **entry_out)
{
  const TcPriceEntry *entry = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (price != NULL, FALSE);

  *price = 0.0;
  if (entry_out != NULL)
    *entry_out = NULL;

  category = normalize_category (channel, category);
  if (country != NULL && strlen (country) == 2)
    entry = find_entry (self, country, channel, category);
  if (entry == NULL)
    entry = find_entry (self, TC_PRICES_ANY_COUNTRY, channel, category);
  if (entry == NULL)
    return FALSE;

  *price = entry->price;
  if (entry_out != NULL)
    *entry_out = entry;

  return TRUE;
}

gboolean
tc_prices_estimate (TcPrices        *self,
                    const char      *country,
                    TcChannel        channel,
                    TcPriceCategory  category,
                    guint            segments,
                    double          *cost)
{
  double price;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  *cost = 0.0;
  if (!tc_prices_lookup (self, country, channel, category, &price, NULL))
    return FALSE;

  *cost = channel == TC_CHANNEL_SMS ? price * MAX (segments, 1) : price;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Overrides
 */

static gboolean
is_country (const char *country)
{
  if (strcmp (country, TC_PRICES_ANY_COUNTRY) == 0)
    return TRUE;
  if (strlen (country) != 2 || !g_ascii_isalpha (country[0]) || !g_ascii_isalpha (country[1]))
    return FALSE;

  {
    char upper[3] = { g_ascii_toupper (country[0]), g_ascii_toupper (country[1]), '\0' };

    return tc_phone_region_is_valid (upper);
  }
}

static gboolean
is_price (double price)
{
  return isfinite (price) && price >= 0.0 && price <= TC_PRICES_MAX_PRICE;
}

static gboolean
set_custom (TcPrices        *self,
            const char      *country,
            TcChannel        channel,
            TcPriceCategory  category,
            double           price)
{
  TcPriceEntry *entry = find_entry (self, country, channel, category);

  if (entry != NULL)
    {
      gboolean was_custom = entry->custom;

      entry->price = price;
      entry->custom = TRUE;
      return !was_custom;
    }

  append_entry (self, country, channel, category, price, TRUE);
  rebuild_index (self);

  return TRUE;
}

gboolean
tc_prices_set_custom (TcPrices         *self,
                      const char       *country,
                      TcChannel         channel,
                      TcPriceCategory   category,
                      double            price,
                      GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (country != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_country (country))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a country: use a two-letter country code such as US or GB, "
                     "or * for every other country"), country);
      return FALSE;
    }
  if (channel == TC_CHANNEL_SMS && category != TC_PRICE_CATEGORY_NONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("SMS prices have no category (“%s” is for WhatsApp): leave the category "
                     "out"), tc_price_category_to_string (category));
      return FALSE;
    }
  if (channel == TC_CHANNEL_WHATSAPP && category == TC_PRICE_CATEGORY_NONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A WhatsApp price needs a category: marketing, utility, "
                             "authentication or service"));
      return FALSE;
    }
  if (!is_price (price))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%g is not a price: use a number from 0 to %g, such as 0.0079"),
                   price, TC_PRICES_MAX_PRICE);
      return FALSE;
    }

  set_custom (self, country, channel, category, price);

  return TRUE;
}

gboolean
tc_prices_unset_custom (TcPrices        *self,
                        const char      *country,
                        TcChannel        channel,
                        TcPriceCategory  category)
{
  TcPriceEntry *entry;
  double price;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (country != NULL, FALSE);

  if (strlen (country) < 1 || strlen (country) > 2)
    return FALSE;

  entry = find_entry (self, country, channel, normalize_category (channel, category));
  if (entry == NULL || !entry->custom)
    return FALSE;

  if (default_price (entry->country, entry->channel, entry->category, &price))
    {
      entry->price = price;
      entry->custom = FALSE;
    }
  else
    {
      guint position = (guint) (entry - &g_array_index (self->entries, TcPriceEntry, 0));

      g_array_remove_index (self->entries, position);
      rebuild_index (self);
    }

  return TRUE;
}

char *
tc_prices_format_number (double value)
{
  static const char * const formats[] = { "%.6g", "%.10g", "%.15g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double rounded = round (value * 1e9) / 1e9;

  if (!isfinite (value))
    return g_strdup ("0");
  if (fabs (rounded) < 1e6)
    value = rounded;

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  return g_strdup (buffer);
}

static void
append_number (GString *out,
               double   value)
{
  g_autofree char *text = tc_prices_format_number (value);

  g_string_append (out, text);
}

char *
tc_prices_to_json (TcPrices *self)
{
  GString *out = g_string_new ("[");
  gboolean first = TRUE;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const TcPriceEntry *entry = &g_array_index (self->entries, TcPriceEntry, i);

      if (!entry->custom)
        continue;

      /* Country codes and the names are plain ASCII: nothing to escape. */
      g_string_append_printf (out, "%s{\"country\":\"%s\",\"channel\":\"%s\"",
                              first ? "" : ",", entry->country,
                              tc_channel_to_string (entry->channel));
      if (entry->category != TC_PRICE_CATEGORY_NONE)
        g_string_append_printf (out, ",\"category\":\"%s\"",
                                tc_price_category_to_string (entry->category));
      g_string_append (out, ",\"price\":");
      append_number (out, entry->price);
      g_string_append_c (out, '}');
      first = FALSE;
    }
  g_string_append_c (out, ']');

  return g_string_free (out, FALSE);
}

static gboolean
entry_error (GError     **error,
             guint        number,
             const char  *field,
             const char  *value,
             const char  *expected)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("Entry %u of the price table: “%s” is “%s”: expected %s"),
               number, field, value, expected);
  return FALSE;
}

/* The text of a member for an error message. */
static char *
describe_node (JsonNode *node)
{
  if (node == NULL)
    return g_strdup (_("missing"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, FALSE);
}

static gboolean
parse_entry (TcPrices  *self,
             JsonNode  *node,
             guint      number,
             GError   **error)
{
  static const char * const known[] = { "country", "channel", "category", "price", NULL };
  JsonObject *object;
  JsonNode *member;
  g_autoptr(GList) names = NULL;
  g_autofree char *text = NULL;
  const char *country;
  TcChannel channel;
  TcPriceCategory category = TC_PRICE_CATEGORY_NONE;
  double price;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      text = describe_node (node);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Entry %u of the price table is %s: expected an object such as "
                     "{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079}"),
                   number, text);
      return FALSE;
    }
  object = json_node_get_object (node);

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("Entry %u of the price table has an unknown field “%s”: expected "
                       "country, channel, category and price"),
                     number, (const char *) l->data);
        return FALSE;
      }

  member = json_object_get_member (object, "country");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !is_country (json_node_get_string (member)))
    {
      text = describe_node (member);
      return entry_error (error, number, "country", text,
                          _("a two-letter country code such as US, or * for every other "
                            "country"));
    }
  country = json_node_get_string (member);

  member = json_object_get_member (object, "channel");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !tc_channel_from_string (json_node_get_string (member), &channel))
    {
      text = describe_node (member);
      return entry_error (error, number, "channel", text, _("sms or whatsapp"));
    }

  member = json_object_get_member (object, "category");
  if (channel == TC_CHANNEL_SMS && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      text = describe_node (member);
      return entry_error (error, number, "category", text,
                          _("no category for an SMS price (categories are for WhatsApp)"));
    }
  if (channel == TC_CHANNEL_WHATSAPP &&
      (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
       json_node_get_value_type (member) != G_TYPE_STRING ||
       !tc_price_category_from_string (json_node_get_string (member), &category)))
    {
      text = describe_node (member);
      return entry_error (error, number, "category", text,
                          _("marketing, utility, authentication or service"));
    }

  member = json_object_get_member (object, "price");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      (json_node_get_value_type (member) != G_TYPE_DOUBLE &&
       json_node_get_value_type (member) != G_TYPE_INT64) ||
      !is_price (json_node_get_double (member)))
    {
      text = describe_node (member);
      return entry_error (error, number, "price", text,
                          _("a number from 0 to 100, such as 0.0079"));
    }
  price = json_node_get_double (member);

  {
    TcPriceEntry *existing = find_entry (self, country, channel, category);

    if (existing != NULL && existing->custom)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("Entry %u of the price table repeats the %s price of %s: keep one"),
                     number,
                     channel == TC_CHANNEL_SMS ? "sms" : tc_price_category_to_string (category),
                     existing->country);
        return FALSE;
      }
  }

  set_custom (self, country, channel, category, price);

  return TRUE;
}

TcPrices *
tc_prices_new_from_json (const char  *json,
                         GError     **error)
{
  g_autoptr(TcPrices) self = tc_prices_new ();
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL || json[0] == '\0')
    return g_steal_pointer (&self);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The price table is not valid JSON (%s): expected an array of entries "
                     "such as [{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079}]"),
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The price table must be a JSON array of entries such as "
                             "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079}]"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!parse_entry (self, json_array_get_element (array, i), i + 1, error))
      return NULL;

  return g_steal_pointer (&self);
}

char *
tc_prices_country_for_phone (const char *phone)
{
  g_autoptr(TcPhoneInfo) info = NULL;

  if (phone == NULL || phone[0] != '+')
    return g_strdup (TC_PRICES_ANY_COUNTRY);

  info = tc_phone_parse (phone, NULL, TC_PHONE_PARSE_DEFAULT, NULL);
  if (info == NULL || info->region == NULL || strlen (info->region) != 2)
    return g_strdup (TC_PRICES_ANY_COUNTRY);

  return g_strdup (info->region);
}

/* ------------------------------------------------------------------------
 * Loading from the workspace
 */

static TcPrices *
prices_from_setting (const char *value)
{
  g_autoptr(GError) error = NULL;
  TcPrices *prices = tc_prices_new_from_json (value, &error);

  /* Settings are checked before they are stored, so this is a table
   * written by something else (an older Textcast, a hand edit). Costs
   * are estimates: the defaults serve rather than no cost at all. */
  if (prices == NULL)
    {
      g_message ("Ignoring the stored price table: %s", error->message);
      prices = tc_prices_new ();
    }

  return prices;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *value = NULL;
  GError *error = NULL;

  value = tc_settings_get_finish (TC_REPOSITORY (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, prices_from_setting (value), (GDestroyNotify) tc_prices_unref);
}

void
tc_prices_load_async (TcRepository        *repository,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_prices_load_async);
  tc_settings_get_async (repository, TC_SETTING_PRICES, cancellable, load_done_cb, task);
}

TcPrices *
tc_prices_load_finish (TcRepository  *repository,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_prices_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Worker side: the per-connection cache
 */

/* Stale templates' categories are read again after this long, so that a
 * template whose category changed is priced right within a minute, while
 * a million rows of one campaign cost one query a minute. */
#define TEMPLATE_CATEGORY_SECONDS 60

/* Bumped whenever a prices.* setting is stored in this process. */
static gint prices_generation = 1;

/* Digits after the "+" that decide a number's country in the memo of
 * the cache: enough for the numbering plans that share a calling code
 * (+1 area codes, +44 7781 Guernsey, +7 7 Kazakhstan, +61 89164
 * Christmas Island), so that a list of numbers clustered by area costs a
 * parse per exchange rather than one per number. */
#define COUNTRY_PREFIX_DIGITS 7
/* The memo starts again beyond this many prefixes. */
#define COUNTRY_MEMO_MAX 100000

typedef struct
{
  TcPrices   *prices;
  gint        generation;
  gint64      data_version;
  GHashTable *template_categories;  /* name → TemplateCategory */
  GHashTable *countries;            /* "+" and COUNTRY_PREFIX_DIGITS digits → packed ISO code */
} PricesCache;

typedef struct
{
  TcPriceCategory category;  /* NONE: no stored template of that name */
  gint64          read_at;   /* monotonic µs */
} TemplateCategory;

void
_tc_prices_cache_free (gpointer cache)
{
  PricesCache *self = cache;

  if (self == NULL)
    return;

  g_clear_pointer (&self->prices, tc_prices_unref);
  g_clear_pointer (&self->template_categories, g_hash_table_unref);
  g_clear_pointer (&self->countries, g_hash_table_unref);
  g_free (self);
}

void
_tc_prices_invalidate (void)
{
  g_atomic_int_inc (&prices_generation);
}

static gboolean
read_data_version (TcDb    *db,
                   gint64  *version,
                   GError **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot read the database's data version");

  return TRUE;
}

static PricesCache *
get_cache (TcDb    *db,
           GError **error)
{
  gpointer *slot = _tc_db_get_prices_cache (db);
  PricesCache *cache = *slot;
  gint generation = g_atomic_int_get (&prices_generation);
  gint64 data_version;
  g_autofree char *value = NULL;
  GError *local_error = NULL;

  if (!read_data_version (db, &data_version, error))
    return NULL;

  if (cache != NULL && cache->generation == generation && cache->data_version == data_version)
    return cache;

  value = _tc_db_get_setting (db, TC_SETTING_PRICES, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (cache == NULL)
    {
      cache = g_new0 (PricesCache, 1);
      cache->template_categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
      cache->countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      *slot = cache;
    }
  g_clear_pointer (&cache->prices, tc_prices_unref);
  cache->prices = prices_from_setting (value);
  cache->generation = generation;
  cache->data_version = data_version;
  g_hash_table_remove_all (cache->template_categories);

  return cache;
}

TcPrices *
_tc_db_get_prices (TcDb    *db,
                   GError **error)
{
  PricesCache *cache;

  g_return_val_if_fail (db != NULL, NULL);

  cache = get_cache (db, error);

  return cache != NULL ? tc_prices_ref (cache->prices) : NULL;
}

/* The "name" of a Cloud API template object. The engine's objects start
 * with it ({"name":"order_update",…}) and template names are lower-case
 * letters, digits and underscores, so a scan usually does; anything else
 * goes through the JSON parser. */
static char *
template_name (const char *wa_template)
{
  static const char prefix[] = "{\"name\":\"";
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;

  if (g_str_has_prefix (wa_template, prefix))
    {
      const char *start = wa_template + strlen (prefix);
      const char *end = strchr (start, '"');

      if (end != NULL && memchr (start, '\\', (gsize) (end - start)) == NULL)
        return g_strndup (start, (gsize) (end - start));
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, wa_template, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);

  return g_strdup (json_object_get_string_member_with_default (object, "name", NULL));
}

/* The category of the stored WhatsApp template @name (its current
 * version's definition), NONE when there is none. */
static TcPriceCategory
stored_template_category (TcDb       *db,
                          const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *definition = NULL;
  sqlite3_stmt *stmt;
  JsonNode *root;
  TcPriceCategory category = TC_PRICE_CATEGORY_NONE;
  const char *text;
  g_autofree char *lower = NULL;

  stmt = _tc_db_prepare (db,
                         "SELECT v.definition FROM templates t JOIN template_versions v"
                         " ON v.template_id = t.id AND v.version = t.current_version"
                         " WHERE t.kind = 'whatsapp' AND t.name = ?1",
                         NULL);
  if (stmt == NULL)
    return TC_PRICE_CATEGORY_NONE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    definition = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (definition == NULL || !json_parser_load_from_data (parser, definition, -1, NULL))
    return TC_PRICE_CATEGORY_NONE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TC_PRICE_CATEGORY_NONE;

  text = json_object_get_string_member_with_default (json_node_get_object (root), "category",
                                                     NULL);
  if (text == NULL)
    return TC_PRICE_CATEGORY_NONE;
  lower = g_ascii_strdown (text, -1);
  if (!tc_price_category_from_string (lower, &category) || category == TC_PRICE_CATEGORY_SERVICE)
    return TC_PRICE_CATEGORY_NONE;

  return category;
}

/* As _tc_db_price_category(), with the connection's cache at hand. */
static TcPriceCategory
price_category (TcDb        *db,
                PricesCache *cache,
                TcChannel    channel,
                TcPurpose    purpose,
                const char  *wa_template,
                const char  *content_sid)
{
  TcPriceCategory fallback;
  g_autofree char *name = NULL;
  TemplateCategory *known;
  gint64 now;

  if (channel == TC_CHANNEL_SMS)
    return TC_PRICE_CATEGORY_NONE;

  /* Free-form text is only possible inside the customer-service window. */
  if ((wa_template == NULL || wa_template[0] == '\0') &&
      (content_sid == NULL || content_sid[0] == '\0'))
    return TC_PRICE_CATEGORY_SERVICE;

  fallback = purpose == TC_PURPOSE_PROMOTIONAL ? TC_PRICE_CATEGORY_MARKETING
                                               : TC_PRICE_CATEGORY_UTILITY;
  if (wa_template == NULL || wa_template[0] == '\0')
    return fallback;

  name = template_name (wa_template);
  if (name == NULL)
    return fallback;

  now = g_get_monotonic_time ();
  known = g_hash_table_lookup (cache->template_categories, name);
  if (known == NULL || now - known->read_at > TEMPLATE_CATEGORY_SECONDS * G_USEC_PER_SEC)
    {
      known = g_new0 (TemplateCategory, 1);
      known->category = stored_template_category (db, name);
      known->read_at = now;
      g_hash_table_replace (cache->template_categories, g_steal_pointer (&name), known);
    }

  return known->category != TC_PRICE_CATEGORY_NONE ? known->category : fallback;
}

TcPriceCategory
_tc_db_price_category (TcDb        *db,
                       TcChannel    channel,
                       TcPurpose    purpose,
                       const char  *wa_template,
                       const char  *content_sid)
{
  PricesCache *cache;

  g_return_val_if_fail (db != NULL, TC_PRICE_CATEGORY_NONE);

  cache = get_cache (db, NULL);
  if (cache == NULL && channel == TC_CHANNEL_SMS)
    return TC_PRICE_CATEGORY_NONE;
  if (cache == NULL)
    return purpose == TC_PURPOSE_PROMOTIONAL ? TC_PRICE_CATEGORY_MARKETING
                                             : TC_PRICE_CATEGORY_UTILITY;

  return price_category (db, cache, channel, purpose, wa_template, content_sid);
}

/* tc_prices_country_for_phone() through the cache's memo. */
static char *
memo_country (PricesCache *cache,
              const char  *phone)
{
  char prefix[COUNTRY_PREFIX_DIGITS + 2];
  gpointer packed;
  char *country;

  if (phone == NULL || phone[0] != '+' || strlen (phone) <= COUNTRY_PREFIX_DIGITS + 1)
    return tc_prices_country_for_phone (phone);

  memcpy (prefix, phone, COUNTRY_PREFIX_DIGITS + 1);
  prefix[COUNTRY_PREFIX_DIGITS + 1] = '\0';
  packed = g_hash_table_lookup (cache->countries, prefix);
  if (packed != NULL)
    {
      guint code = GPOINTER_TO_UINT (packed);

      return g_strdup_printf ("%c%c", (char) (code >> 8), (char) (code & 0xff));
    }

  /* Only numbers that parse are remembered: a mistyped one says nothing
   * about its neighbours. */
  country = tc_prices_country_for_phone (phone);
  if (strlen (country) == 2)
    {
      if (g_hash_table_size (cache->countries) >= COUNTRY_MEMO_MAX)
        g_hash_table_remove_all (cache->countries);
      g_hash_table_insert (cache->countries, g_strdup (prefix),
                           GUINT_TO_POINTER (((guint) (guchar) country[0] << 8) |
                                             (guchar) country[1]));
    }

  return country;
}

gboolean
_tc_db_price_message (TcDb        *db,
                      const char  *phone,
                      TcChannel    channel,
                      TcPurpose    purpose,
                      const char  *wa_template,
                      const char  *content_sid,
                      guint        segments,
                      double      *cost,
                      GError     **error)
{
  g_autofree char *country = NULL;
  TcPriceCategory category;
  PricesCache *cache;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  *cost = 0.0;
  cache = get_cache (db, error);
  if (cache == NULL)
    return FALSE;

  category = price_category (db, cache, channel, purpose, wa_template, content_sid);
  country = memo_country (cache, phone);

  if (!tc_prices_estimate (cache->prices, country, channel, category, segments, cost))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No price for %s %s messages to %s",
                   tc_channel_to_string (channel),
                   category != TC_PRICE_CATEGORY_NONE ? tc_price_category_to_string (category) : "",
                   country);
      return FALSE;
    }

  return TRUE;
}
