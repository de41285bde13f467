/* tc-cli-prices.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `textcast-cli prices list|set|unset|reset|estimate`: the price table
 * (src/core/tc-prices.h) — the shipped defaults, a person's own prices on
 * top, and what one message would cost.
 *
 * Exit status: 0 success, 1 bad input or a failed operation (one line on
 * stderr), 2 bad usage.
 */

#define G_LOG_DOMAIN "textcast-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "tc-cli-prices.h"
#include "tc-cli.h"
#include "tc-context.h"
#include "tc-phone.h"
#include "tc-prices.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-sms.h"

static const char usage_text[] =
  "Usage: textcast-cli [--db FILE] prices COMMAND [OPTION…]\n"
  "\n"
  "Prices are in USD: SMS per outbound segment, WhatsApp per message and\n"
  "category. The shipped defaults are estimates after public list prices\n"
  "(Twilio, Meta) as of a date that `prices list` shows; check your\n"
  "provider's price list and set your own.\n"
  "\n"
  "Commands:\n"
  "  prices list [--country CC] [--json]\n"
  "      The price table: every country, or what applies to one (its own\n"
  "      prices, else those of * = every other country); custom or default.\n"
  "  prices set --country CC --channel sms|whatsapp [--category C] --price X [--json]\n"
  "      Set your own price. CC is a two-letter country code or * ; WhatsApp\n"
  "      needs a category: marketing, utility, authentication or service.\n"
  "  prices unset --country CC --channel sms|whatsapp [--category C] [--json]\n"
  "      Remove your own price: the default applies again.\n"
  "  prices reset [--json]\n"
  "      Remove all your own prices.\n"
  "  prices estimate --to NUMBER --channel sms|whatsapp (--body TEXT | --segments N)\n"
  "        [--category C] [--json]\n"
  "      What one message would cost: segments × the SMS price, or the WhatsApp\n"
  "      price of the category (marketing when not given).\n";

static const TcCliOption option_specs[] = {
  { "db", TRUE },
  { "country", TRUE },
  { "channel", TRUE },
  { "category", TRUE },
  { "price", TRUE },
  { "to", TRUE },
  { "body", TRUE },
  { "segments", TRUE },
  { NULL, FALSE },
};

static const char * const list_options[] = { "db", "json", "country", NULL };
static const char * const set_options[] = {
  "db", "json", "country", "channel", "category", "price", NULL
};
static const char * const unset_options[] = {
  "db", "json", "country", "channel", "category", NULL
};
static const char * const reset_options[] = { "db", "json", NULL };
static const char * const estimate_options[] = {
  "db", "json", "to", "channel", "category", "body", "segments", NULL
};

/* ------------------------------------------------------------------------
 * Reading and writing the table
 */

static TcPrices *
load_prices (TcRepository  *repository,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_prices_load_async (repository, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_prices_load_finish (repository, result, error);
}

static gboolean
store_prices (TcRepository  *repository,
              TcPrices      *prices,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *json = NULL;

  /* No override left: the setting goes, so that the defaults apply. */
  if (tc_prices_has_custom (prices))
    json = tc_prices_to_json (prices);

  tc_settings_set_async (repository, TC_SETTING_PRICES, json, NULL,
                         tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);

  return tc_settings_set_finish (repository, result, error);
}

/* ------------------------------------------------------------------------
 * Options
 */

static int
parse_country (const TcCliArgs  *opts,
               gboolean          required,
               char            **country_out)
{
  const char *value = tc_cli_args_get (opts, "country");
  char upper[3];

  *country_out = NULL;
  if (value == NULL)
    {
      if (required)
        return tc_cli_usage_error (usage_text, "'prices %s' needs --country CC (a two-letter "
                                   "country code such as US, or * for every other country)",
                                   tc_cli_args_word (opts, 1));
      return 0;
    }

  if (strcmp (value, TC_PRICES_ANY_COUNTRY) == 0)
    {
      *country_out = g_strdup (value);
      return 0;
    }

  if (strlen (value) != 2 || !g_ascii_isalpha (value[0]) || !g_ascii_isalpha (value[1]))
    return tc_cli_fail ("--country '%s' is not a country code: use two letters such as US, GB "
                        "or DE, or * for every other country", value);
  upper[0] = g_ascii_toupper (value[0]);
  upper[1] = g_ascii_toupper (value[1]);
  upper[2] = '\0';
  if (!tc_phone_region_is_valid (upper))
    return tc_cli_fail ("--country '%s' is not a known country code: use an ISO 3166 code "
                        "such as US, GB or DE, or * for every other country", value);

  *country_out = g_strdup (upper);

  return 0;
}

static int
parse_channel (const TcCliArgs *opts,
               TcChannel       *channel)
{
  const char *value = tc_cli_args_get (opts, "channel");

  if (value == NULL)
    return tc_cli_usage_error (usage_text, "'prices %s' needs --channel sms or --channel whatsapp",
                               tc_cli_args_word (opts, 1));
  if (!tc_channel_from_string (value, channel))
    return tc_cli_fail ("--channel '%s' is not a channel: use sms or whatsapp", value);

  return 0;
}

/* The category for @channel: none for SMS (refused when given), the one
 * given for WhatsApp, else @whatsapp_default (NONE: required). */
static int
parse_category (const TcCliArgs *opts,
                TcChannel        channel,
                TcPriceCategory  whatsapp_default,
                TcPriceCategory *category)
{
  const char *value = tc_cli_args_get (opts, "category");

  *category = TC_PRICE_CATEGORY_NONE;
  if (channel == TC_CHANNEL_SMS)
    {
      if (value != NULL)
        return tc_cli_fail ("--category '%s' is for WhatsApp: SMS prices are per segment, "
                            "without a category; leave --category out", value);
      return 0;
    }

  if (value == NULL)
    {
      if (whatsapp_default == TC_PRICE_CATEGORY_NONE)
        return tc_cli_usage_error (usage_text, "WhatsApp prices need --category: marketing, "
                                   "utility, authentication or service");
      *category = whatsapp_default;
      return 0;
    }

  if (!tc_price_category_from_string (value, category))
    return tc_cli_fail ("--category '%s' is not a WhatsApp pricing category: use marketing, "
                        "utility, authentication or service", value);

  return 0;
}

static int
parse_price (const TcCliArgs *opts,
             double          *price)
{
  const char *value = tc_cli_args_get (opts, "price");
  char *end = NULL;

  if (value == NULL)
    return tc_cli_usage_error (usage_text, "'prices set' needs --price X, e.g. --price 0.0079");

  *price = g_ascii_strtod (value, &end);
  if (value[0] == '\0' || end == NULL || *end != '\0' || g_ascii_isspace (value[0]))
    {
      if (strchr (value, ',') != NULL)
        return tc_cli_fail ("--price '%s' is not a number: write it with a decimal point, "
                            "e.g. 0.0079", value);
      return tc_cli_fail ("--price '%s' is not a number: give the price in %s, e.g. 0.0079",
                          value, TC_PRICES_CURRENCY);
    }
  if (!(*price >= 0.0 && *price <= TC_PRICES_MAX_PRICE))
    return tc_cli_fail ("--price '%s' is out of range: give a price from 0 to %g %s", value,
                        TC_PRICES_MAX_PRICE, TC_PRICES_CURRENCY);

  return 0;
}

/* ------------------------------------------------------------------------
 * Output
 */

/* The JSON is written by hand rather than through JsonGenerator, which
 * prints 0.0083 as 0.0083000000000000001; every string in it is a country
 * code, a name of this file or an E.164 number: nothing to escape. */
static void
append_json_number (GString *out,
                    double   value)
{
  g_autofree char *text = tc_prices_format_number (value);

  g_string_append (out, text);
}

static void
append_json_category (GString         *out,
                      TcPriceCategory  category)
{
  if (category != TC_PRICE_CATEGORY_NONE)
    g_string_append_printf (out, "\"%s\"", tc_price_category_to_string (category));
  else
    g_string_append (out, "null");
}

static void
append_entry_json (GString            *out,
                   const TcPriceEntry *entry)
{
  g_string_append_printf (out, "{\"country\":\"%s\",\"channel\":\"%s\",\"category\":",
                          entry->country, tc_channel_to_string (entry->channel));
  append_json_category (out, entry->category);
  g_string_append (out, ",\"price\":");
  append_json_number (out, entry->price);
  g_string_append_printf (out, ",\"source\":\"%s\"}", entry->custom ? "custom" : "default");
}

static void
print_json_text (GString *out)
{
  g_string_append_c (out, '\n');
  fputs (out->str, stdout);
}

/* "sms 0.0083", or "sms 0.0079 (yours)". */
static void
append_price (GString            *line,
              const char         *label,
              const TcPriceEntry *entry)
{
  g_string_append_printf (line, "  %s %.4f%s", label, entry->price,
                          entry->custom ? " (yours)" : "");
}

static const char *
entry_label (const TcPriceEntry *entry)
{
  return entry->channel == TC_CHANNEL_SMS ? "sms" : tc_price_category_to_string (entry->category);
}

/* The rows that apply to @country: for each channel and category, the
 * country's own, else the "*" one. */
static GPtrArray *
applicable_entries (TcPrices   *prices,
                    const char *country)
{
  static const struct {
    TcChannel       channel;
    TcPriceCategory category;
  } kinds[] = {
    { TC_CHANNEL_SMS, TC_PRICE_CATEGORY_NONE },
    { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_MARKETING },
    { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_UTILITY },
    { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_AUTHENTICATION },
    { TC_CHANNEL_WHATSAPP, TC_PRICE_CATEGORY_SERVICE },
  };
  GPtrArray *entries = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const TcPriceEntry *entry = NULL;
      double price;

      if (tc_prices_lookup (prices, country, kinds[i].channel, kinds[i].category, &price, &entry))
        g_ptr_array_add (entries, (gpointer) entry);
    }

  return entries;
}

static int
run_list (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcPrices) prices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *country = NULL;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "prices list",
                                    list_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'prices list' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 2));
  if ((status = parse_country (opts, FALSE, &country)) != 0)
    return status;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  prices = load_prices (tc_context_get_repository (context), &error);
  if (prices == NULL)
    return tc_cli_fail_with_error ("cannot read the price table", error);

  if (country != NULL)
    entries = applicable_entries (prices, country);
  else
    {
      entries = g_ptr_array_new ();
      for (guint i = 0; i < tc_prices_get_n_entries (prices); i++)
        g_ptr_array_add (entries, (gpointer) tc_prices_get_entry (prices, i));
    }

  if (opts->json)
    {
      g_string_append_printf (text, "{\"currency\":\"%s\",\"as_of\":\"%s\",\"age_days\":%d,"
                              "\"entries\":[", TC_PRICES_CURRENCY, tc_prices_defaults_as_of (),
                              tc_prices_defaults_age_days (NULL));
      for (guint i = 0; i < entries->len; i++)
        {
          if (i > 0)
            g_string_append_c (text, ',');
          append_entry_json (text, g_ptr_array_index (entries, i));
        }
      g_string_append (text, "]}");
      print_json_text (text);
      return EXIT_SUCCESS;
    }

  g_string_append_printf (text, "Prices in %s. Defaults as of %s (%d days old): estimates, "
                          "check your provider's price list.\n",
                          TC_PRICES_CURRENCY, tc_prices_defaults_as_of (),
                          tc_prices_defaults_age_days (NULL));
  if (country != NULL && strcmp (country, TC_PRICES_ANY_COUNTRY) != 0)
    g_string_append_printf (text, "%s:", country);

  /* One line per country: sms, then WhatsApp's categories. */
  for (guint i = 0; i < entries->len; i++)
    {
      const TcPriceEntry *entry = g_ptr_array_index (entries, i);
      const TcPriceEntry *previous = i > 0 ? g_ptr_array_index (entries, i - 1) : NULL;

      if (country == NULL && (previous == NULL || strcmp (previous->country, entry->country) != 0))
        {
          if (previous != NULL)
            g_string_append_c (text, '\n');
          g_string_append (text, strcmp (entry->country, TC_PRICES_ANY_COUNTRY) == 0
                                   ? "* (every other country):" : entry->country);
          if (strcmp (entry->country, TC_PRICES_ANY_COUNTRY) != 0)
            g_string_append_c (text, ':');
        }
      if (country != NULL && strcmp (entry->country, country) != 0)
        {
          g_autofree char *label = g_strdup_printf ("%s (from *)", entry_label (entry));

          append_price (text, label, entry);
        }
      else
        append_price (text, entry_label (entry), entry);
    }
  g_string_append_c (text, '\n');
  fputs (text->str, stdout);

  return EXIT_SUCCESS;
}

static int
run_set (TcCliArgs *opts,
         gboolean   unset)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcPrices) prices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *country = NULL;
  const char *command = unset ? "prices unset" : "prices set";
  const TcPriceEntry *entry = NULL;
  TcChannel channel;
  TcPriceCategory category;
  double price = 0.0;
  gboolean removed = FALSE;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, command,
                                    unset ? unset_options : set_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'%s' got an unexpected argument '%s'", command,
                               tc_cli_args_word (opts, 2));
  if ((status = parse_country (opts, TRUE, &country)) != 0 ||
      (status = parse_channel (opts, &channel)) != 0 ||
      (status = parse_category (opts, channel, TC_PRICE_CATEGORY_NONE, &category)) != 0 ||
      (!unset && (status = parse_price (opts, &price)) != 0))
    return status;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), !unset, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  prices = load_prices (tc_context_get_repository (context), &error);
  if (prices == NULL)
    return tc_cli_fail_with_error ("cannot read the price table", error);

  if (unset)
    removed = tc_prices_unset_custom (prices, country, channel, category);
  else if (!tc_prices_set_custom (prices, country, channel, category, price, &error))
    return tc_cli_fail_with_error (NULL, error);

  if ((!unset || removed) && !store_prices (tc_context_get_repository (context), prices, &error))
    return tc_cli_fail_with_error ("cannot store the price table", error);

  tc_prices_lookup (prices, country, channel, category, &price, &entry);

  if (opts->json)
    {
      g_autoptr(GString) out = g_string_new ("{");

      if (unset)
        g_string_append_printf (out, "\"removed\":%s,", removed ? "true" : "false");
      g_string_append_printf (out, "\"currency\":\"%s\",\"entry\":", TC_PRICES_CURRENCY);
      append_entry_json (out, entry);
      g_string_append_c (out, '}');
      print_json_text (out);
    }
  else if (unset && !removed)
    g_print ("%s %s has no price of your own; it stays at %.4f %s (%s%s)\n",
             country, entry_label (entry) != NULL ? entry_label (entry) : "",
             entry->price, TC_PRICES_CURRENCY,
             entry->custom ? "yours" : "default",
             strcmp (entry->country, country) != 0 ? ", from *" : "");
  else if (unset)
    g_print ("%s %s: your price removed; now %.4f %s (%s%s)\n", country, entry_label (entry),
             entry->price, TC_PRICES_CURRENCY, entry->custom ? "yours" : "default",
             strcmp (entry->country, country) != 0 ? ", from *" : "");
  else
    g_print ("%s %s: %.4f %s (yours)\n", country, entry_label (entry), entry->price,
             TC_PRICES_CURRENCY);

  return EXIT_SUCCESS;
}

static int
run_reset (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcPrices) prices = NULL;
  g_autoptr(TcPrices) defaults = tc_prices_new ();
  g_autoptr(GError) error = NULL;
  guint n_custom = 0;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "prices reset",
                                    reset_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'prices reset' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 2));

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  prices = load_prices (tc_context_get_repository (context), &error);
  if (prices == NULL)
    return tc_cli_fail_with_error ("cannot read the price table", error);
  for (guint i = 0; i < tc_prices_get_n_entries (prices); i++)
    if (tc_prices_get_entry (prices, i)->custom)
      n_custom++;

  if (!store_prices (tc_context_get_repository (context), defaults, &error))
    return tc_cli_fail_with_error ("cannot store the price table", error);

  if (opts->json)
    g_print ("{\"removed\":%u}\n", n_custom);
  else
    g_print ("%u price%s of your own removed; the defaults apply.\n", n_custom,
             n_custom == 1 ? "" : "s");

  return EXIT_SUCCESS;
}

static int
run_estimate (TcCliArgs *opts)
{
  g_autoptr(TcContext) context = NULL;
  g_autoptr(TcPrices) prices = NULL;
  g_autoptr(TcPhoneInfo) phone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *country = NULL;
  const char *to = tc_cli_args_get (opts, "to");
  const char *body = tc_cli_args_get (opts, "body");
  const char *segments_text = tc_cli_args_get (opts, "segments");
  const TcPriceEntry *entry = NULL;
  TcSmsCount count = { 0 };
  TcChannel channel;
  TcPriceCategory category;
  guint64 segments = 1;
  double price = 0.0;
  double cost = 0.0;
  int status;

  if ((status = tc_cli_args_refuse (opts, option_specs, usage_text, "prices estimate",
                                    estimate_options)) != 0)
    return status;
  if (opts->args->len > 2)
    return tc_cli_usage_error (usage_text, "'prices estimate' got an unexpected argument '%s'",
                               tc_cli_args_word (opts, 2));
  if (to == NULL)
    return tc_cli_usage_error (usage_text, "'prices estimate' needs --to NUMBER");
  if ((status = parse_channel (opts, &channel)) != 0 ||
      (status = parse_category (opts, channel, TC_PRICE_CATEGORY_MARKETING, &category)) != 0)
    return status;
  if ((body == NULL) == (segments_text == NULL))
    return tc_cli_usage_error (usage_text, "'prices estimate' needs either --body TEXT or "
                               "--segments N");

  phone = tc_phone_parse (to, NULL, TC_PHONE_PARSE_DEFAULT, &error);
  if (phone == NULL)
    return tc_cli_fail ("--to '%s' is not a phone number: %s", to, error->message);
  country = tc_prices_country_for_phone (phone->e164);

  if (segments_text != NULL &&
      !g_ascii_string_to_unsigned (segments_text, 10, 1, 255, &segments, NULL))
    return tc_cli_fail ("--segments '%s' is not a number of segments: use a whole number from "
                        "1 to 255", segments_text);
  if (body != NULL && channel == TC_CHANNEL_SMS)
    {
      if (!g_utf8_validate (body, -1, NULL))
        return tc_cli_fail ("--body is not UTF-8 text");
      tc_sms_count (body, -1, &count);
      segments = MAX (count.segments, 1);
    }
  if (channel == TC_CHANNEL_WHATSAPP)
    segments = 1;

  context = tc_cli_open_workspace (tc_cli_args_get (opts, "db"), FALSE, &error);
  if (context == NULL)
    return tc_cli_fail_with_error (NULL, error);
  prices = load_prices (tc_context_get_repository (context), &error);
  if (prices == NULL)
    return tc_cli_fail_with_error ("cannot read the price table", error);

  if (!tc_prices_lookup (prices, country, channel, category, &price, &entry) ||
      !tc_prices_estimate (prices, country, channel, category, (guint) segments, &cost))
    return tc_cli_fail ("no %s price for %s: set one with 'textcast-cli prices set'",
                        tc_channel_to_string (channel), country);

  if (opts->json)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_string_append_printf (out, "{\"to\":\"%s\",\"country\":\"%s\",\"channel\":\"%s\","
                              "\"category\":", phone->e164, country,
                              tc_channel_to_string (channel));
      append_json_category (out, category);
      g_string_append_printf (out, ",\"segments\":%u,\"price\":", (guint) segments);
      append_json_number (out, price);
      g_string_append_printf (out, ",\"price_country\":\"%s\",\"source\":\"%s\",\"cost\":",
                              entry->country, entry->custom ? "custom" : "default");
      append_json_number (out, cost);
      g_string_append_printf (out, ",\"currency\":\"%s\"}", TC_PRICES_CURRENCY);
      print_json_text (out);
    }
  else if (channel == TC_CHANNEL_SMS)
    g_print ("%s (%s): %u segment%s × %.4f = %.4f %s (%s price%s)\n", phone->e164, country,
             (guint) segments, segments == 1 ? "" : "s", price, cost, TC_PRICES_CURRENCY,
             entry->custom ? "your" : "default",
             strcmp (entry->country, country) != 0 ? " for every other country" : "");
  else
    g_print ("%s (%s): WhatsApp %s message = %.4f %s (%s price%s)\n", phone->e164, country,
             tc_price_category_to_string (category), cost, TC_PRICES_CURRENCY,
             entry->custom ? "your" : "default",
             strcmp (entry->country, country) != 0 ? " for every other country" : "");

  return EXIT_SUCCESS;
}

int
tc_cli_prices_main (int    argc,
                    char **argv)
{
  TcCliArgs opts = { NULL, NULL, FALSE, FALSE };
  const char *command;
  int status;

  /* Parsed, --help answered, an empty --db refused: or the exit status. */
  if ((status = tc_cli_args_start (&opts, option_specs, usage_text, argc, argv)) >= 0)
    goto out;

  if (opts.args->len < 2)
    {
      status = tc_cli_usage_error (usage_text, "'prices' needs a command: list, set, unset, "
                                   "reset or estimate");
      goto out;
    }

  command = tc_cli_args_word (&opts, 1);
  if (strcmp (command, "list") == 0)
    status = run_list (&opts);
  else if (strcmp (command, "set") == 0)
    status = run_set (&opts, FALSE);
  else if (strcmp (command, "unset") == 0)
    status = run_set (&opts, TRUE);
  else if (strcmp (command, "reset") == 0)
    status = run_reset (&opts);
  else if (strcmp (command, "estimate") == 0)
    status = run_estimate (&opts);
  else
    status = tc_cli_usage_error (usage_text, "unknown command 'prices %s'", command);

out:
  fflush (stdout);
  tc_cli_args_clear (&opts);

  return status;
}
