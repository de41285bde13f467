/* test-prices.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price table (tc-prices.h): the shipped defaults, lookups with the
 * "*" fallback, overrides and their validation, estimates by segments and
 * WhatsApp category, and the cost every outbox row gets when it is queued
 * (with the per-connection table parsed again after a change).
 */

#define G_LOG_DOMAIN "test-prices"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-outbox.h"
#include "tc-prices.h"
#include "tc-repository-private.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-sms.h"
#include "tc-test-util.h"

#define assert_price(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-9)

/* ------------------------------------------------------------------------
 * The table alone
 */

static void
test_defaults (void)
{
  static const char * const markets[] = {
    "US", "CA", "GB", "IE", "FR", "DE", "ES", "IT", "NL", "BE", "PT", "AT", "CH", "SE", "NO",
    "DK", "PL", "AU", "NZ", "BR", "MX", "IN", "ZA", "AE", "SG",
  };
  g_autoptr(TcPrices) prices = tc_prices_new ();
  g_autoptr(GDateTime) today = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_new_utc (2026, 10, 1, 0, 0, 0);
  g_autoptr(GDateTime) year_on = g_date_time_new_utc (2027, 11, 1, 0, 0, 0);
  const TcPriceEntry *last;

  g_assert_cmpstr (tc_prices_defaults_as_of (), ==, "2026-11-01");
  g_assert_cmpint (tc_prices_defaults_age_days (today), ==, 23);
  g_assert_cmpint (tc_prices_defaults_age_days (before), ==, 0);
  g_assert_cmpint (tc_prices_defaults_age_days (year_on), ==, 365);
  g_assert_cmpint (tc_prices_defaults_age_days (NULL), >=, 0);
  g_assert_cmpstr (tc_prices_get_currency (prices), ==, "USD");
  g_assert_false (tc_prices_has_custom (prices));

  /* Every market has an SMS price and the four WhatsApp categories, all
   * defaults, with service free. */
  for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
    {
      TcPriceCategory categories[] = {
        TC_PRICE_CATEGORY_MARKETING, TC_PRICE_CATEGORY_UTILITY,
        TC_PRICE_CATEGORY_AUTHENTICATION, TC_PRICE_CATEGORY_SERVICE,
      };
      const TcPriceEntry *entry = NULL;
      double price = -1;

      g_assert_true (tc_prices_lookup (prices, markets[i], TC_CHANNEL_SMS,
                                       TC_PRICE_CATEGORY_NONE, &price, &entry));
      g_assert_cmpstr (entry->country, ==, markets[i]);
      g_assert_false (entry->custom);
      g_assert_cmpfloat (price, >, 0.001);
      g_assert_cmpfloat (price, <, 1.0);

      for (guint c = 0; c < G_N_ELEMENTS (categories); c++)
        {
          g_assert_true (tc_prices_lookup (prices, markets[i], TC_CHANNEL_WHATSAPP,
                                           categories[c], &price, &entry));
          g_assert_cmpstr (entry->country, ==, markets[i]);
          g_assert_cmpint (entry->category, ==, categories[c]);
          if (categories[c] == TC_PRICE_CATEGORY_SERVICE)
            assert_price (price, 0.0);
          else
            g_assert_cmpfloat (price, >, 0.0);
        }
    }

  /* Sorted, "*" last. */
  g_assert_cmpuint (tc_prices_get_n_entries (prices), >=, 26 * 5);
  for (guint i = 1; i < tc_prices_get_n_entries (prices); i++)
    {
      const TcPriceEntry *a = tc_prices_get_entry (prices, i - 1);
      const TcPriceEntry *b = tc_prices_get_entry (prices, i);

      if (b->country[0] != '*')
        g_assert_cmpint (strcmp (a->country, b->country), <=, 0);
    }
  last = tc_prices_get_entry (prices, tc_prices_get_n_entries (prices) - 1);
  g_assert_cmpstr (last->country, ==, "*");
  g_assert_cmpint (last->channel, ==, TC_CHANNEL_WHATSAPP);
  g_assert_cmpint (last->category, ==, TC_PRICE_CATEGORY_SERVICE);
}

static void
test_lookup (void)
{
  static const struct {
    const char      *country;
    TcChannel        channel;
    TcPriceCategory  category;
    double           price;
    const char      *matched;
  } cases[] = {
    { "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.0083, "US" },
    { "us", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.0083, "US" },
    /* A category means nothing for SMS. */
    { "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_MARKETING, 0.0083, "US" },
    { "GB", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.0524, "GB" },
    { "GB", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING, 0.0529, "GB" },
    { "DE", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY, 0.0550, "DE" },
    { "IN", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_AUTHENTICATION, 0.0014, "IN" },
    { "BR", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE, 0.0, "BR" },
    /* No category for WhatsApp: priced as marketing (the dearest). */
    { "BR", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_NONE, 0.0625, "BR" },
    /* Countries without their own row, and no country at all. */
    { "KE", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.1000, "*" },
    { "GG", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING, 0.0604, "*" },
    { "*", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY, 0.0077, "*" },
    { NULL, TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.1000, "*" },
    { "USA", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, 0.1000, "*" },
    { "", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE, 0.0, "*" },
  };
  g_autoptr(TcPrices) prices = tc_prices_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TcPriceEntry *entry = NULL;
      double price = -1;

      g_test_message ("case %u: %s", i, cases[i].country ? cases[i].country : "(null)");
      g_assert_true (tc_prices_lookup (prices, cases[i].country, cases[i].channel,
                                       cases[i].category, &price, &entry));
      assert_price (price, cases[i].price);
      g_assert_nonnull (entry);
      g_assert_cmpstr (entry->country, ==, cases[i].matched);
    }
}

static void
test_estimate (void)
{
  g_autofree char *gsm_160 = g_strnfill (160, 'a');
  g_autofree char *gsm_161 = g_strnfill (161, 'a');
  g_autofree char *gsm_307 = g_strnfill (307, 'a');
  g_autoptr(GString) ucs2_70 = g_string_new (NULL);
  g_autoptr(GString) ucs2_71 = g_string_new (NULL);
  g_autoptr(GString) ucs2_135 = g_string_new (NULL);
  struct {
    const char      *country;
    TcChannel        channel;
    TcPriceCategory  category;
    const char      *body;
    guint            segments;
    double           cost;
  } cases[] = {
    { "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, "Hello", 1, 0.0083 },
    { "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, gsm_160, 1, 0.0083 },
    { "US", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, gsm_161, 2, 0.0166 },
    { "GB", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, gsm_307, 3, 3 * 0.0524 },
    { "FR", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, NULL, 1, 0.0849 },    /* ucs2_70 */
    { "FR", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, NULL, 2, 2 * 0.0849 },/* ucs2_71 */
    { "FR", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE, NULL, 3, 3 * 0.0849 },/* ucs2_135 */
    /* WhatsApp: per message whatever its length. */
    { "US", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING, gsm_307, 1, 0.0250 },
    { "US", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY, "Your order shipped", 1, 0.0040 },
    { "US", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_AUTHENTICATION, "123456", 1, 0.0135 },
    { "US", TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE, "Thanks!", 1, 0.0 },
  };
  g_autoptr(TcPrices) prices = tc_prices_new ();

  for (guint i = 0; i < 70; i++)
    g_string_append (ucs2_70, "ą");
  g_string_assign (ucs2_71, ucs2_70->str);
  g_string_append (ucs2_71, "ą");
  for (guint i = 0; i < 135; i++)
    g_string_append (ucs2_135, "✓");
  cases[4].body = ucs2_70->str;
  cases[5].body = ucs2_71->str;
  cases[6].body = ucs2_135->str;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcSmsCount count;
      guint segments = 1;
      double cost = -1;

      g_test_message ("case %u", i);
      if (cases[i].channel == TC_CHANNEL_SMS)
        {
          TcOutboxRow row = { .channel = TC_CHANNEL_SMS, .body = cases[i].body };

          g_assert_true (tc_sms_count (cases[i].body, -1, &count));
          segments = count.segments;
          g_assert_cmpuint (tc_outbox_row_segments (&row), ==, cases[i].segments);
          if (i >= 4 && i <= 6)
            g_assert_cmpint (count.encoding, ==, TC_SMS_ENCODING_UCS2);
        }
      g_assert_cmpuint (segments, ==, cases[i].segments);
      g_assert_true (tc_prices_estimate (prices, cases[i].country, cases[i].channel,
                                         cases[i].category, segments, &cost));
      assert_price (cost, cases[i].cost);
    }
}

static void
test_overrides (void)
{
  const char *json =
    "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079},"
    " {\"country\":\"ke\",\"channel\":\"whatsapp\",\"category\":\"marketing\",\"price\":0.05},"
    " {\"country\":\"*\",\"channel\":\"sms\",\"category\":null,\"price\":0.2},"
    " {\"country\":\"GB\",\"channel\":\"whatsapp\",\"category\":\"service\",\"price\":1}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(TcPrices) prices = tc_prices_new_from_json (json, &error);
  g_autoptr(TcPrices) again = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  const TcPriceEntry *entry = NULL;
  double price;

  g_assert_no_error (error);
  g_assert_nonnull (prices);
  g_assert_true (tc_prices_has_custom (prices));

  g_assert_true (tc_prices_lookup (prices, "US", TC_CHANNEL_SMS, 0, &price, &entry));
  assert_price (price, 0.0079);
  g_assert_true (entry->custom);
  /* The rest of the US stays at the defaults. */
  g_assert_true (tc_prices_lookup (prices, "US", TC_CHANNEL_WHATSAPP,
                                   TC_PRICE_CATEGORY_MARKETING, &price, &entry));
  assert_price (price, 0.0250);
  g_assert_false (entry->custom);
  /* A country of its own for one category; the others fall back to "*". */
  g_assert_true (tc_prices_lookup (prices, "KE", TC_CHANNEL_WHATSAPP,
                                   TC_PRICE_CATEGORY_MARKETING, &price, &entry));
  assert_price (price, 0.05);
  g_assert_cmpstr (entry->country, ==, "KE");
  g_assert_true (tc_prices_lookup (prices, "KE", TC_CHANNEL_WHATSAPP,
                                   TC_PRICE_CATEGORY_UTILITY, &price, &entry));
  assert_price (price, 0.0077);
  g_assert_cmpstr (entry->country, ==, "*");
  g_assert_true (tc_prices_lookup (prices, "KE", TC_CHANNEL_SMS, 0, &price, &entry));
  assert_price (price, 0.2);
  g_assert_true (entry->custom);
  g_assert_true (tc_prices_lookup (prices, "GB", TC_CHANNEL_WHATSAPP,
                                   TC_PRICE_CATEGORY_SERVICE, &price, NULL));
  assert_price (price, 1.0);

  /* The overrides, and only they, survive a round trip. */
  saved = tc_prices_to_json (prices);
  g_assert_cmpstr (saved, ==,
                   "[{\"country\":\"GB\",\"channel\":\"whatsapp\",\"category\":\"service\","
                   "\"price\":1},"
                   "{\"country\":\"KE\",\"channel\":\"whatsapp\",\"category\":\"marketing\","
                   "\"price\":0.05},"
                   "{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.0079},"
                   "{\"country\":\"*\",\"channel\":\"sms\",\"price\":0.2}]");
  again = tc_prices_new_from_json (saved, &error);
  g_assert_no_error (error);
  saved_again = tc_prices_to_json (again);
  g_assert_cmpstr (saved, ==, saved_again);

  /* Unsetting brings the default back, or removes a row without one. */
  g_assert_true (tc_prices_unset_custom (prices, "US", TC_CHANNEL_SMS, 0));
  g_assert_false (tc_prices_unset_custom (prices, "US", TC_CHANNEL_SMS, 0));
  g_assert_true (tc_prices_lookup (prices, "US", TC_CHANNEL_SMS, 0, &price, &entry));
  assert_price (price, 0.0083);
  g_assert_false (entry->custom);
  g_assert_true (tc_prices_unset_custom (prices, "ke", TC_CHANNEL_WHATSAPP,
                                         TC_PRICE_CATEGORY_MARKETING));
  g_assert_true (tc_prices_lookup (prices, "KE", TC_CHANNEL_WHATSAPP,
                                   TC_PRICE_CATEGORY_MARKETING, &price, &entry));
  g_assert_cmpstr (entry->country, ==, "*");
  assert_price (price, 0.0604);

  /* Setting through the API, with the same checks as the JSON. */
  g_assert_true (tc_prices_set_custom (prices, "nz", TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE,
                                       0.09, &error));
  g_assert_no_error (error);
  g_assert_true (tc_prices_lookup (prices, "NZ", TC_CHANNEL_SMS, 0, &price, &entry));
  assert_price (price, 0.09);
  g_assert_true (entry->custom);
  g_assert_cmpstr (entry->country, ==, "NZ");
  g_assert_false (tc_prices_set_custom (prices, "QQ", TC_CHANNEL_SMS, 0, 0.1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“QQ”"));
  g_clear_error (&error);
  g_assert_false (tc_prices_set_custom (prices, "US", TC_CHANNEL_WHATSAPP, 0, 0.1, &error));
  g_assert_nonnull (strstr (error->message, "needs a category"));
  g_clear_error (&error);
  g_assert_false (tc_prices_set_custom (prices, "US", TC_CHANNEL_SMS,
                                        TC_PRICE_CATEGORY_UTILITY, 0.1, &error));
  g_assert_nonnull (strstr (error->message, "no category"));
  g_clear_error (&error);
  g_assert_false (tc_prices_set_custom (prices, "US", TC_CHANNEL_SMS, 0, -0.5, &error));
  g_assert_nonnull (strstr (error->message, "-0.5"));
  g_clear_error (&error);
  g_assert_false (tc_prices_set_custom (prices, "US", TC_CHANNEL_SMS, 0, NAN, &error));
  g_clear_error (&error);

  /* Empty means the defaults. */
  g_clear_pointer (&again, tc_prices_unref);
  again = tc_prices_new_from_json ("[]", &error);
  g_assert_no_error (error);
  g_assert_false (tc_prices_has_custom (again));
}

static void
test_invalid (void)
{
  static const struct {
    const char *json;
    const char *words[4];
  } cases[] = {
    { "{", { "not valid JSON", NULL } },
    { "{\"US\":0.01}", { "must be a JSON array", NULL } },
    { "[42]", { "Entry 1", "42", "expected an object", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.01},"
      " {\"country\":\"XX\",\"channel\":\"sms\",\"price\":0.01}]",
      { "Entry 2", "“country”", "“XX”", "two-letter country code" } },
    { "[{\"channel\":\"sms\",\"price\":0.01}]", { "Entry 1", "“country”", "missing", NULL } },
    { "[{\"country\":\"USA\",\"channel\":\"sms\",\"price\":0.01}]",
      { "Entry 1", "“country”", "“USA”", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"mms\",\"price\":0.01}]",
      { "Entry 1", "“channel”", "“mms”", "sms or whatsapp" } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"category\":\"marketing\",\"price\":0.01}]",
      { "Entry 1", "“category”", "“marketing”", "no category for an SMS price" } },
    { "[{\"country\":\"US\",\"channel\":\"whatsapp\",\"price\":0.01}]",
      { "Entry 1", "“category”", "missing", "marketing, utility, authentication or service" } },
    { "[{\"country\":\"US\",\"channel\":\"whatsapp\",\"category\":\"promo\",\"price\":0.01}]",
      { "Entry 1", "“category”", "“promo”", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":\"0.01\"}]",
      { "Entry 1", "“price”", "“0.01”", "a number from 0 to 100" } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":-1}]",
      { "Entry 1", "“price”", "“-1”", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":1000}]",
      { "Entry 1", "“price”", "“1000”", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\"}]", { "Entry 1", "“price”", "missing", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.01,\"cost\":1}]",
      { "Entry 1", "unknown field “cost”", NULL } },
    { "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.01},"
      " {\"country\":\"us\",\"channel\":\"sms\",\"price\":0.02}]",
      { "Entry 2", "repeats", "US", "keep one" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) setting_error = NULL;
      g_autoptr(TcPrices) prices = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      prices = tc_prices_new_from_json (cases[i].json, &error);
      g_assert_null (prices);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].words) && cases[i].words[w] != NULL; w++)
        if (strstr (error->message, cases[i].words[w]) == NULL)
          g_error ("“%s” is not in “%s”", cases[i].words[w], error->message);

      /* The settings refuse the same, with the same words. */
      g_assert_false (tc_settings_check_value (TC_SETTING_PRICES, cases[i].json,
                                               &setting_error));
      g_assert_nonnull (setting_error);
      g_assert_cmpstr (setting_error->message, ==, error->message);
    }

  g_assert_true (tc_settings_check_value (TC_SETTING_PRICES,
                                          "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0}]",
                                          NULL));
  g_assert_true (tc_settings_check_value (TC_SETTING_PRICES, NULL, NULL));
}

static void
test_country_for_phone (void)
{
  static const struct {
    const char *phone;
    const char *country;
  } cases[] = {
    { "+14155552671", "US" },
    { "+14169671111", "CA" },
    { "+447400123456", "GB" },
    { "+447911123456", "GG" },
    { "+4915112345678", "DE" },
    { "+5511987654321", "BR" },
    { "+254712345678", "KE" },
    { "+999123", "*" },
    { "4155552671", "*" },
    { "", "*" },
    { NULL, "*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *country = tc_prices_country_for_phone (cases[i].phone);

      g_assert_cmpstr (country, ==, cases[i].country);
    }
}

/* ------------------------------------------------------------------------
 * The workspace: outbox rows and the cached table
 */

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-prices-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  tc_test_sql_exec (path, sql);
}

static TcOutboxEntry *
enqueue (Fixture           *f,
         const TcOutboxRow *row)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcOutboxEntry *entry;
  gboolean inserted = FALSE;

  tc_outbox_enqueue_async (f->repo, row, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_enqueue_finish (f->repo, result, &inserted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_true (inserted);

  return entry;
}

static void
set_setting (Fixture    *f,
             const char *key,
             const char *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_settings_set_async (f->repo, key, value, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_settings_set_finish (f->repo, result, &error));
  g_assert_no_error (error);
}

static void
test_outbox_rows (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (200, 'b');
  struct {
    const char *phone;
    TcChannel   channel;
    TcPurpose   purpose;
    gboolean    compliance;
    const char *body;
    const char *wa_template;
    const char *content_sid;
    gboolean    priced;
    double      given;
    double      cost;
  } cases[] = {
    /* SMS: segments × the country's price. */
    { "+14155552671", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, "Sale today", NULL, NULL,
      FALSE, 0, 0.0083 },
    { "+447400123456", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, NULL, NULL, NULL,
      FALSE, 0, 2 * 0.0524 },
    { "+33612345678", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL, FALSE,
      "Votre commande est prête ✓", NULL, NULL, FALSE, 0, 0.0849 },
    /* A compliance reply is an SMS like any other. */
    { "+4915112345678", TC_CHANNEL_SMS, TC_PURPOSE_TRANSACTIONAL, TRUE,
      "You are unsubscribed. No more messages.", NULL, NULL, FALSE, 0, 0.0936 },
    /* A country without its own price. */
    { "+254712345678", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, "Hi", NULL, NULL,
      FALSE, 0, 0.1 },
    /* Guernsey shares +44 with the United Kingdom: the number decides. */
    { "+447911123456", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, "Hi", NULL, NULL,
      FALSE, 0, 0.1 },
    { "+447400123457", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, "Hi", NULL, NULL,
      FALSE, 0, 0.0524 },
    /* WhatsApp free-form (inside the window) and compliance replies. */
    { "+5511987654321", TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, FALSE, "Obrigado!", NULL,
      NULL, FALSE, 0, 0.0 },
    { "+5511987654321", TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, TRUE, "STOP received", NULL,
      NULL, FALSE, 0, 0.0 },
    /* Templates: promotional is marketing, the rest utility. */
    { "+5511987654321", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL, FALSE, "",
      "{\"name\":\"spring_sale\",\"language\":{\"code\":\"pt_BR\"}}", NULL, FALSE, 0, 0.0625 },
    { "+5511987654321", TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, FALSE, "",
      "{\"name\":\"order_update\",\"language\":{\"code\":\"pt_BR\"}}", NULL, FALSE, 0, 0.0080 },
    { "+14155552671", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL, FALSE, "", NULL,
      "HX0123456789abcdef0123456789abcdef", FALSE, 0, 0.0250 },
    /* The stored template's own category wins over the purpose, wherever
     * "name" stands. */
    { "+14155552671", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL, FALSE, "",
      "{\"language\":{\"code\":\"en\"},\"name\":\"login_code\"}", NULL, FALSE, 0, 0.0135 },
    { "+14155552671", TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, FALSE, "",
      "{\"name\":\"login_code\",\"language\":{\"code\":\"en\"}}", NULL, FALSE, 0, 0.0135 },
    /* The caller's own figure is kept. */
    { "+14155552671", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, FALSE, "Hi", NULL, NULL,
      TRUE, 0.5, 0.5 },
  };

  cases[1].body = long_text;

  /* A stored WhatsApp template whose category is authentication. */
  raw_exec (f->path,
            "INSERT INTO templates"
            " (id, name, kind, current_version, status, created_at, updated_at)"
            " VALUES (7, 'login_code', 'whatsapp', 2, 'approved', 1, 1);"
            "INSERT INTO template_versions (template_id, version, definition, created_at) VALUES"
            " (7, 1, '{\"name\":\"login_code\",\"category\":\"MARKETING\"}', 1),"
            " (7, 2, '{\"name\":\"login_code\",\"category\":\"AUTHENTICATION\"}', 1);");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("test:%u", i);
      g_autofree char *json = NULL;
      g_autofree char *expected = NULL;
      TcOutboxRow row = {
        .idem_key = key,
        .origin = "test",
        .phone = cases[i].phone,
        .channel = cases[i].channel,
        .purpose = cases[i].purpose,
        .compliance = cases[i].compliance,
        .body = cases[i].body,
        .due_at = 1,
        .wa_template = cases[i].wa_template,
        .content_sid = cases[i].content_sid,
        .priced = cases[i].priced,
        .cost = cases[i].given,
      };
      g_autoptr(TcOutboxEntry) entry = NULL;

      g_test_message ("case %u", i);
      entry = enqueue (f, &row);
      g_assert_true (entry->priced);
      assert_price (entry->cost, cases[i].cost);

      json = tc_outbox_entry_to_json (entry, FALSE);
      g_assert_nonnull (strstr (json, "\"cost\":"));
      g_assert_nonnull (strstr (json, "\"currency\":\"USD\""));
      g_assert_nonnull (strstr (json, "\"segments\":"));
    }
}

static double
enqueue_us_sms (Fixture    *f,
                const char *key)
{
  TcOutboxRow row = {
    .idem_key = key,
    .phone = "+14155552671",
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .body = "Hello",
    .due_at = 1,
  };
  g_autoptr(TcOutboxEntry) entry = enqueue (f, &row);

  g_assert_true (entry->priced);

  return entry->cost;
}

static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcPrices) loaded = NULL;
  const TcPriceEntry *entry = NULL;
  double price;

  assert_price (enqueue_us_sms (f, "a"), 0.0083);

  /* A change through the settings API is seen by the next row. */
  set_setting (f, TC_SETTING_PRICES, "[{\"country\":\"US\",\"channel\":\"sms\",\"price\":0.02}]");
  assert_price (enqueue_us_sms (f, "b"), 0.02);
  assert_price (enqueue_us_sms (f, "c"), 0.02);

  /* And so is one made by another connection (textcast-cli in another
   * process), which only SQLite's data version tells about. */
  raw_exec (f->path, "UPDATE settings SET value = '[{\"country\":\"US\",\"channel\":\"sms\","
                     "\"price\":0.03}]' WHERE key = 'prices.table'");
  assert_price (enqueue_us_sms (f, "d"), 0.03);

  /* The table as the window loads it. */
  tc_prices_load_async (f->repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  loaded = tc_prices_load_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_true (tc_prices_lookup (loaded, "US", TC_CHANNEL_SMS, 0, &price, &entry));
  assert_price (price, 0.03);
  g_assert_true (entry->custom);

  /* Removing the setting brings the defaults back. */
  set_setting (f, TC_SETTING_PRICES, NULL);
  assert_price (enqueue_us_sms (f, "e"), 0.0083);

  /* A broken table stored behind Textcast's back: the defaults serve. */
  raw_exec (f->path, "INSERT INTO settings (key, value, updated_at)"
                     " VALUES ('prices.table', '{broken', 1)");
  assert_price (enqueue_us_sms (f, "f"), 0.0083);
}

/* Not a test: how long queueing takes with pricing, printed. */
static void
test_bench (Fixture       *f,
            gconstpointer  data)
{
  guint n = g_test_perf () ? 100000 : 2000;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("bench:%u", i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TcOutboxEntry) entry = NULL;
      TcOutboxRow row = {
        .idem_key = key,
        .phone = i % 2 ? "+14155552671" : "+447400123456",
        .channel = TC_CHANNEL_SMS,
        .purpose = TC_PURPOSE_PROMOTIONAL,
        .body = "Spring sale: 20% off everything until Sunday. Reply STOP to opt out.",
        .due_at = 1,
      };

      tc_outbox_enqueue_async (f->repo, &row, NULL, tc_repository_store_result_cb, &result);
      tc_repository_wait (&result);
      entry = tc_outbox_enqueue_finish (f->repo, result, NULL, NULL);
      g_assert_nonnull (entry);
      g_assert_true (entry->priced);
    }

  g_test_message ("%u rows queued one job each in %.2f s (pricing included)", n,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static gpointer
price_many_job (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  static const char * const phones[] = {
    "+14155552671", "+447400123456", "+4915112345678", "+5511987654321", "+254712345678",
  };
  guint n = GPOINTER_TO_UINT (job_data);
  double total = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double cost;

      if (!_tc_db_price_message (db, phones[i % G_N_ELEMENTS (phones)],
                                 i % 3 ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP,
                                 TC_PURPOSE_PROMOTIONAL,
                                 i % 3 ? NULL : "{\"name\":\"spring_sale\",\"language\":{}}",
                                 NULL, 1, &cost, error))
        return NULL;
      total += cost;
    }

  return g_memdup2 (&total, sizeof total);
}

/* Not a test either: pricing alone, as a campaign of a million rows does
 * it inside one job. */
static void
test_bench_pricing (Fixture       *f,
                    gconstpointer  data)
{
  guint n = g_test_perf () ? 1000000 : 20000;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *total = NULL;
  gint64 start = g_get_monotonic_time ();

  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, price_many_job, GUINT_TO_POINTER (n),
                            NULL, g_free, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  total = _tc_repository_run_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (total);
  g_assert_cmpfloat (*total, >, 0.0);

  g_test_message ("%u messages priced in %.3f s", n,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/prices/defaults", test_defaults);
  g_test_add_func ("/tc/prices/lookup", test_lookup);
  g_test_add_func ("/tc/prices/estimate", test_estimate);
  g_test_add_func ("/tc/prices/overrides", test_overrides);
  g_test_add_func ("/tc/prices/invalid", test_invalid);
  g_test_add_func ("/tc/prices/country-for-phone", test_country_for_phone);
  g_test_add ("/tc/prices/outbox-rows", Fixture, NULL, fixture_set_up, test_outbox_rows,
              fixture_tear_down);
  g_test_add ("/tc/prices/cache", Fixture, NULL, fixture_set_up, test_cache, fixture_tear_down);
  g_test_add ("/tc/prices/bench", Fixture, NULL, fixture_set_up, test_bench, fixture_tear_down);
  g_test_add ("/tc/prices/bench-pricing", Fixture, NULL, fixture_set_up, test_bench_pricing,
              fixture_tear_down);

  return g_test_run ();
}
