/* tc-gui-util.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef struct
{
  const char *code;  /* ISO 3166-1 alpha-2 */
  const char *name;  /* untranslated; pass through _() */
} TcCountry;

/* The countries offered as a default region, sorted by name. */
const TcCountry *tc_gui_countries            (guint           *n_countries);
/* The translated name of @code, or @code itself when it is not in the table. */
const char      *tc_gui_country_name         (const char      *code);
/* The region of the user's locale ("US" for en_US.UTF-8), or NULL. */
char            *tc_gui_guess_region         (void) G_GNUC_WARN_UNUSED_RESULT;
/* "12,345" with the locale's digit grouping. */
char            *tc_gui_format_number        (guint            n) G_GNUC_WARN_UNUSED_RESULT;
/* "3 March 2026, 14:05" in local time. */
char            *tc_gui_format_datetime      (GDateTime       *datetime) G_GNUC_WARN_UNUSED_RESULT;
const char      *tc_gui_channel_name         (TcChannel        channel);
const char      *tc_gui_purpose_name         (TcPurpose        purpose);
const char      *tc_gui_consent_status_name  (TcConsentStatus  status);
const char      *tc_gui_consent_status_symbol (TcConsentStatus status);
const char      *tc_gui_consent_status_css_class (TcConsentStatus status);
/* Plain words for an error (from any Textcast domain), for people. */
char            *tc_gui_describe_error       (const GError    *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
