/* tc-gui-util.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-consent-ledger.h"
#include "tc-quiet-hours.h"
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
/* “promotional”, “transactional”: the purpose inside a sentence. */
const char      *tc_gui_purpose_adjective    (TcPurpose        purpose);
/* “Web form”, “By hand”, …: where a consent event came from. */
const char      *tc_gui_consent_source_name  (TcConsentSource  source);
/* “Opted in”, “Confirmed”, …: what a consent event was. */
const char      *tc_gui_consent_event_kind_name (TcConsentEventKind kind);
/* “3 Mar 2026” in local time. */
char            *tc_gui_format_date          (gint64           unix_seconds) G_GNUC_WARN_UNUSED_RESULT;
/* The status of one channel × purpose in a sentence: “Opted in to
 * promotional SMS since 3 Mar 2026 — web form”. */
char            *tc_gui_describe_consent_state (TcChannel       channel,
                                              TcPurpose         purpose,
                                              const TcConsentState *state) G_GNUC_WARN_UNUSED_RESULT;
/* A day's allowed window as typed: “08:00-21:00” (also “8-21”, an en
 * dash, spaces); empty means no messages that day (0, 0). FALSE when it
 * cannot be read or does not end after it starts. */
gboolean         tc_gui_parse_time_window    (const char      *text,
                                              guint16         *start,
                                              guint16         *end);
/* “08:00-21:00”, or “” for a day without messages. */
char            *tc_gui_format_time_window   (guint16          start,
                                              guint16          end) G_GNUC_WARN_UNUSED_RESULT;
/* “Monday” … “Sunday” for 0 … 6. */
const char      *tc_gui_weekday_name         (guint            day);
/* A quiet-hours rule in one line: “Mon–Sat 08:00–20:00 · Sun no messages”. */
char            *tc_gui_describe_quiet_rule  (const TcQuietHoursRule *rule) G_GNUC_WARN_UNUSED_RESULT;
/* Plain words for an error (from any Textcast domain), for people. */
char            *tc_gui_describe_error       (const GError    *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
