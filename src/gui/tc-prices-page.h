/* tc-prices-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_PRICES_PAGE (tc_prices_page_get_type())

G_DECLARE_FINAL_TYPE (TcPricesPage, tc_prices_page, TC, PRICES_PAGE, AdwPreferencesPage)

/*
 * Preferences → Prices: the price table (src/core/tc-prices.h) — the
 * currency, how old the shipped defaults are, and per country the SMS
 * price per segment and the WhatsApp price per category, each one
 * editable (Enter or ✓ saves, an empty field goes back to the default)
 * with a reset button where the price is the user's own. A search field
 * narrows the countries (Enter opens the first match); another adds a
 * country the defaults do not list. Changes are saved to the setting
 * TC_SETTING_PRICES with tc_settings_set_async(); nothing waits on the
 * GUI thread.
 */

TcPricesPage *tc_prices_page_new (TcRepository *repository) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
