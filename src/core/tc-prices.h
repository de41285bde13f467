/* tc-prices.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The price table: what one message costs per destination country and
 * channel — SMS per outbound segment, WhatsApp per message and pricing
 * category (marketing, utility, authentication; service, the free-form
 * replies inside the customer-service window, is free by default).
 *
 * Textcast ships defaults (a compiled-in table in US dollars, dated by
 * tc_prices_defaults_as_of()): estimates after public list prices (Twilio
 * for SMS, Meta's rate card for WhatsApp), not a quote. A person's own
 * prices are overrides, stored in the workspace setting
 * TC_SETTING_PRICES as a JSON array:
 *
 *   [{"country":"US","channel":"sms","price":0.0079},
 *    {"country":"BR","channel":"whatsapp","category":"marketing","price":0.0625},
 *    {"country":"*","channel":"sms","price":0.09}]
 *
 * "country" is an ISO 3166-1 alpha-2 code or "*" (every country without
 * its own entry); "category" is absent (or null) for SMS and required for
 * WhatsApp. A lookup takes the country's entry, else the "*" entry.
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

/* The currency of every price (the defaults and the overrides). */
#define TC_PRICES_CURRENCY "USD"
/* The country code of the fallback entries. */
#define TC_PRICES_ANY_COUNTRY "*"
/* The largest price accepted for one segment or message. */
#define TC_PRICES_MAX_PRICE 100.0

/**
 * TcPriceCategory:
 * @TC_PRICE_CATEGORY_NONE: no category: SMS
 * @TC_PRICE_CATEGORY_MARKETING: WhatsApp marketing templates
 * @TC_PRICE_CATEGORY_UTILITY: WhatsApp utility templates
 * @TC_PRICE_CATEGORY_AUTHENTICATION: WhatsApp one-time passcodes
 * @TC_PRICE_CATEGORY_SERVICE: WhatsApp free-form messages inside the
 *   customer-service window
 */
typedef enum
{
  TC_PRICE_CATEGORY_NONE,
  TC_PRICE_CATEGORY_MARKETING,
  TC_PRICE_CATEGORY_UTILITY,
  TC_PRICE_CATEGORY_AUTHENTICATION,
  TC_PRICE_CATEGORY_SERVICE,
} TcPriceCategory;

#define TC_PRICE_N_CATEGORIES (TC_PRICE_CATEGORY_SERVICE + 1)

/* "marketing", "utility", "authentication", "service"; NULL for NONE. */
const char *tc_price_category_to_string   (TcPriceCategory  category);
/* Accepts the names above; FALSE for anything else (NULL included). */
gboolean    tc_price_category_from_string (const char      *str,
                                           TcPriceCategory *category);

/* The date the shipped defaults were taken, "YYYY-MM-DD". */
const char *tc_prices_defaults_as_of      (void);
/* Whole days from that date to @now (NULL: the current time); never
 * negative. */
int         tc_prices_defaults_age_days   (GDateTime       *now);

/* One row of the table. */
typedef struct
{
  char             country[4];  /* "US", or "*" */
  TcChannel        channel;
  TcPriceCategory  category;    /* NONE for SMS */
  double           price;       /* per segment (SMS) or per message */
  gboolean         custom;      /* an override, rather than a default */
} TcPriceEntry;

/* The effective table: the defaults with the overrides on top. A
 * reference-counted value; not thread-safe to change while shared. */
typedef struct _TcPrices TcPrices;

#define TC_TYPE_PRICES (tc_prices_get_type ())
GType      tc_prices_get_type          (void) G_GNUC_CONST;

/* The defaults alone. */
TcPrices  *tc_prices_new               (void);
/* The defaults plus the overrides in @json (NULL or "" for none). On bad
 * JSON returns NULL with a G_IO_ERROR_INVALID_DATA naming the entry, the
 * field and the value. */
TcPrices  *tc_prices_new_from_json     (const char      *json,
                                        GError         **error);
TcPrices  *tc_prices_ref               (TcPrices        *self);
void       tc_prices_unref             (TcPrices        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcPrices, tc_prices_unref)

const char *tc_prices_get_currency     (TcPrices        *self);
/* The rows, by country ("*" last), channel (SMS first) and category. */
guint      tc_prices_get_n_entries     (TcPrices        *self);
const TcPriceEntry *tc_prices_get_entry (TcPrices       *self,
                                         guint           index);
/* Whether any override is set. */
gboolean   tc_prices_has_custom        (TcPrices        *self);

/* The price of one SMS segment (@category ignored) or one WhatsApp
 * message of @category (NONE means marketing) to @country (an ISO code,
 * any case; NULL or unknown: the "*" entry). @entry_out (nullable) gets the
 * row used. Returns FALSE when neither the country nor "*" has a price —
 * which only happens after an override of a country without "*", never
 * with the shipped defaults. */
gboolean   tc_prices_lookup            (TcPrices            *self,
                                        const char          *country,
                                        TcChannel            channel,
                                        TcPriceCategory      category,
                                        double              *price,
                                        const TcPriceEntry **entry_out);
/* The cost of one message: @segments × the SMS price, or the WhatsApp
 * price of @category (@segments ignored). */
gboolean   tc_prices_estimate          (TcPrices            *self,
                                        const char          *country,
                                        TcChannel            channel,
                                        TcPriceCategory      category,
                                        guint                segments,
                                        double              *cost);

/* Sets an override (checked as the JSON would be: a known country code or
 * "*", a category for WhatsApp and none for SMS, a price from 0 to
 * TC_PRICES_MAX_PRICE). */
gboolean   tc_prices_set_custom        (TcPrices        *self,
                                        const char      *country,
                                        TcChannel        channel,
                                        TcPriceCategory  category,
                                        double           price,
                                        GError         **error);
/* Removes an override; the default (if any) comes back. Returns whether
 * there was one. */
gboolean   tc_prices_unset_custom      (TcPrices        *self,
                                        const char      *country,
                                        TcChannel        channel,
                                        TcPriceCategory  category);
/* The overrides as the JSON of TC_SETTING_PRICES ("[]" when none).
 * Returns: (transfer full) */
char      *tc_prices_to_json           (TcPrices        *self) G_GNUC_WARN_UNUSED_RESULT;

/* @value as the shortest text that reads back as the same number
 * ("0.0083", not "0.0083000000000000001"), for JSON and settings; a cost
 * (a product of prices) is first rounded to nine decimals so that 3 ×
 * 0.0849 is "0.2547". Returns: (transfer full) */
char      *tc_prices_format_number     (double           value) G_GNUC_WARN_UNUSED_RESULT;

/* The country of an E.164 number for pricing: "US", "GB", …; "*" when the
 * number does not parse or belongs to no country. Returns: (transfer full) */
char      *tc_prices_country_for_phone (const char      *phone) G_GNUC_WARN_UNUSED_RESULT;

/* The effective table of the workspace (reads TC_SETTING_PRICES; a stored
 * value that no longer parses gives the defaults with a message in the
 * log). */
void       tc_prices_load_async        (TcRepository        *repository,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
TcPrices  *tc_prices_load_finish       (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);

/*
 * Worker side (inside a repository job).
 */
struct _TcDb;

/* The effective table of @db's workspace, parsed once per connection and
 * parsed again after a prices.* setting changes (in this process or, as
 * SQLite's data version shows, in another). Returns: (transfer full) */
TcPrices  *_tc_db_get_prices           (struct _TcDb        *db,
                                        GError             **error);
/* Called by the settings code after it changed a prices.* key: every
 * connection's table is parsed again on its next use. */
void       _tc_prices_invalidate       (void);
/* The pricing category of an outbox row: NONE for SMS; for WhatsApp,
 * SERVICE without a template; with one, the category of the stored
 * WhatsApp template of that name when there is one, else MARKETING for a
 * promotional row and UTILITY for the rest. */
TcPriceCategory _tc_db_price_category  (struct _TcDb        *db,
                                        TcChannel            channel,
                                        TcPurpose            purpose,
                                        const char          *wa_template,
                                        const char          *content_sid);
/* The estimated cost of one message to @phone (E.164) with the
 * connection's table: the country from the number ("*" when it has
 * none), the category as _tc_db_price_category() says. FALSE with
 * G_IO_ERROR_NOT_FOUND when the table has no price for it (no "*"
 * entry); other errors are the database's. */
gboolean   _tc_db_price_message        (struct _TcDb        *db,
                                        const char          *phone,
                                        TcChannel            channel,
                                        TcPurpose            purpose,
                                        const char          *wa_template,
                                        const char          *content_sid,
                                        guint                segments,
                                        double              *cost,
                                        GError             **error);
/* Frees the per-connection cache (for tc-repository.c). */
void       _tc_prices_cache_free       (gpointer             cache);

G_END_DECLS
