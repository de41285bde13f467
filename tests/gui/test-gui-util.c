/* test-gui-util.c: the GUI's pure helpers (no display needed).
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-gui-util"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "tc-contact-io.h"
#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-repository.h"

static void
test_country_name (void)
{
  static const struct {
    const char *code;
    const char *name;
  } cases[] = {
    { "US", "United States" },
    { "gb", "United Kingdom" },
    { "BR", "Brazil" },
    { "TR", "Türkiye" },
    { "ZZ", "ZZ" },   /* not in the table: the code itself */
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (tc_gui_country_name (cases[i].code), ==, cases[i].name);
}

static void
test_countries (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const TcCountry *countries;
  guint n = 0;

  countries = tc_gui_countries (&n);
  g_assert_cmpuint (n, >, 20);

  for (guint i = 0; i < n; i++)
    {
      /* Every code is one libphonenumber knows, and appears once. */
      g_assert_true (tc_phone_region_is_valid (countries[i].code));
      g_assert_false (g_hash_table_contains (seen, countries[i].code));
      g_hash_table_add (seen, (gpointer) countries[i].code);

      /* Sorted by name, as the dropdown shows them. */
      if (i > 0)
        g_assert_cmpint (g_utf8_collate (countries[i - 1].name, countries[i].name), <, 0);
    }
}

static void
test_guess_region (void)
{
  static const struct {
    const char *language;
    const char *region;
  } cases[] = {
    { "pt_BR", "BR" },
    { "en_US.UTF-8", "US" },
    { "de_DE@euro", "DE" },
    { "sr_RS@latin", "RS" },
    { "en_GB:fr_FR", "GB" },
    { "fr", NULL },           /* a language without a country */
    { "xx_ZZ", NULL },        /* not a region */
    { "fr:es_MX", "MX" },     /* the first that has one */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *region = NULL;

      g_setenv ("LANGUAGE", cases[i].language, TRUE);
      region = tc_gui_guess_region ();
      g_assert_cmpstr (region, ==, cases[i].region);
    }

  g_unsetenv ("LANGUAGE");
}

static void
test_describe_error (void)
{
  static const struct {
    GQuark    (*domain) (void);
    int         code;
    const char *contains;
  } cases[] = {
    { tc_db_error_quark, TC_DB_ERROR_FAILED, "raw-message" },
    { tc_db_error_quark, TC_DB_ERROR_BUSY, "Another program" },
    { tc_db_error_quark, TC_DB_ERROR_CORRUPT, "backup" },
    { tc_db_error_quark, TC_DB_ERROR_NOT_FOUND, "no longer exists" },
    { tc_db_error_quark, TC_DB_ERROR_CONSTRAINT, "phone number" },
    { tc_db_error_quark, TC_DB_ERROR_TOO_NEW, "newer version" },
    { tc_db_error_quark, TC_DB_ERROR_CLOSED, "closed" },
    { tc_db_error_quark, TC_DB_ERROR_CANT_OPEN, "folder" },
    { tc_import_error_quark, TC_IMPORT_ERROR_NOT_FOUND, "choose it again" },
    { tc_import_error_quark, TC_IMPORT_ERROR_NOT_TEXT, "Save As" },
    { tc_import_error_quark, TC_IMPORT_ERROR_ENCODING, "UTF-8" },
    { tc_import_error_quark, TC_IMPORT_ERROR_EMPTY, "header row" },
    { tc_import_error_quark, TC_IMPORT_ERROR_NO_PHONE_COLUMN, "phone numbers" },
    { tc_import_error_quark, TC_IMPORT_ERROR_INVALID_REGION, "country" },
    { tc_import_error_quark, TC_IMPORT_ERROR_MALFORMED, "raw-message" },
    { tc_consent_error_quark, TC_CONSENT_ERROR_INVALID_PHONE, "raw-message" },
    { tc_consent_error_quark, TC_CONSENT_ERROR_NOT_FOUND, "no longer exists" },
    { tc_consent_error_quark, TC_CONSENT_ERROR_ERASED, "START" },
    { tc_consent_error_quark, TC_CONSENT_ERROR_INVALID, "raw-message" },
    { g_io_error_quark, G_IO_ERROR_PERMISSION_DENIED, "another folder" },
    { g_io_error_quark, G_IO_ERROR_NO_SPACE, "disk is full" },
    { g_io_error_quark, G_IO_ERROR_FAILED, "raw-message" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain (), cases[i].code, "raw-message");
      g_autofree char *text = tc_gui_describe_error (error);

      g_assert_nonnull (text);
      if (strstr (text, cases[i].contains) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, text, cases[i].contains);
    }
}

static void
test_consent_status (void)
{
  static const struct {
    TcConsentStatus status;
    const char     *symbol;
    const char     *css_class;
    const char     *name;
  } cases[] = {
    { TC_CONSENT_STATUS_NONE, "—", "dim-label", "No consent recorded" },
    { TC_CONSENT_STATUS_PENDING, "…", "warning", "Waiting for confirmation" },
    { TC_CONSENT_STATUS_OPTED_IN, "✓", "success", "Opted in" },
    { TC_CONSENT_STATUS_OPTED_OUT, "✗", "error", "Opted out" },
    { TC_CONSENT_STATUS_EXPIRED, "⊘", "dim-label", "Expired without confirmation" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (tc_gui_consent_status_symbol (cases[i].status), ==, cases[i].symbol);
      g_assert_cmpstr (tc_gui_consent_status_css_class (cases[i].status), ==, cases[i].css_class);
      g_assert_cmpstr (tc_gui_consent_status_name (cases[i].status), ==, cases[i].name);
    }

  g_assert_cmpstr (tc_gui_channel_name (TC_CHANNEL_SMS), ==, "SMS");
  g_assert_cmpstr (tc_gui_channel_name (TC_CHANNEL_WHATSAPP), ==, "WhatsApp");
  g_assert_cmpstr (tc_gui_purpose_name (TC_PURPOSE_PROMOTIONAL), ==, "Promotional");
  g_assert_cmpstr (tc_gui_purpose_name (TC_PURPOSE_TRANSACTIONAL), ==, "Transactional");
}

static void
test_format (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 3, 14, 5, 59);
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;

  /* The tests run with TZ=UTC and the C locale. */
  text = tc_gui_format_datetime (when);
  g_assert_cmpstr (text, ==, "3 March 2026, 14:05");
  g_clear_pointer (&text, g_free);

  text = tc_gui_format_datetime (NULL);
  g_assert_cmpstr (text, ==, "");

  number = tc_gui_format_number (12345);
  g_assert_cmpstr (number, ==, "12345");
}

static void
test_consent_state (void)
{
  /* 3 March 2026 14:05 UTC and two days later; the tests run with TZ=UTC. */
  const gint64 since = 1772546700;
  const gint64 expires = since + 48 * 3600;
  static const struct {
    TcChannel        channel;
    TcPurpose        purpose;
    TcConsentStatus  status;
    TcConsentSource  source;
    gboolean         with_expiry;
    const char      *text;
  } cases[] = {
    { TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_STATUS_OPTED_IN, TC_CONSENT_SOURCE_WEB_FORM, FALSE,
      "Opted in to promotional SMS since 3 Mar 2026 — web form" },
    { TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, TC_CONSENT_STATUS_OPTED_OUT, TC_CONSENT_SOURCE_KEYWORD, FALSE,
      "Opted out of transactional WhatsApp since 3 Mar 2026 — keyword" },
    { TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_STATUS_PENDING, TC_CONSENT_SOURCE_MANUAL, TRUE,
      "Pending confirmation of promotional SMS, expires 5 March 2026, 14:05" },
    { TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_STATUS_EXPIRED, TC_CONSENT_SOURCE_MANUAL, TRUE,
      "Expired: promotional SMS was not confirmed by 5 March 2026, 14:05" },
    { TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_STATUS_NONE, TC_CONSENT_SOURCE_MANUAL, FALSE,
      "No consent to promotional WhatsApp recorded" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcConsentState state = {
        .status = cases[i].status,
        .since = cases[i].status == TC_CONSENT_STATUS_NONE ? 0 : since,
        .expires_at = cases[i].with_expiry ? expires : 0,
        .source = cases[i].source,
      };
      g_autofree char *text = tc_gui_describe_consent_state (cases[i].channel, cases[i].purpose, &state);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Every source and event kind has words. */
  for (guint source = TC_CONSENT_SOURCE_WEB_FORM; source <= TC_CONSENT_SOURCE_SYSTEM; source++)
    g_assert_cmpstr (tc_gui_consent_source_name (source), !=, "");
  for (guint kind = TC_CONSENT_EVENT_REQUESTED; kind <= TC_CONSENT_EVENT_EXPIRED; kind++)
    g_assert_cmpstr (tc_gui_consent_event_kind_name (kind), !=, "");
  g_assert_cmpstr (tc_gui_consent_source_name (TC_CONSENT_SOURCE_MANUAL), ==, "By hand");
}

static void
test_time_window (void)
{
  static const struct {
    const char *text;
    gboolean    valid;
    guint16     start;
    guint16     end;
    const char *canonical;
  } cases[] = {
    { "08:00-21:00", TRUE, 480, 1260, "08:00-21:00" },
    { " 8:00 - 21:00 ", TRUE, 480, 1260, "08:00-21:00" },
    { "08:00–20:30", TRUE, 480, 1230, "08:00-20:30" },   /* en dash */
    { "8-21", TRUE, 480, 1260, "08:00-21:00" },
    { "00:00-24:00", TRUE, 0, 1440, "00:00-24:00" },
    { "", TRUE, 0, 0, "" },                             /* no messages that day */
    { "   ", TRUE, 0, 0, "" },
    { "21:00-08:00", FALSE, 0, 0, NULL },               /* ends before it starts */
    { "09:00-09:00", FALSE, 0, 0, NULL },
    { "08:60-21:00", FALSE, 0, 0, NULL },
    { "25:00-26:00", FALSE, 0, 0, NULL },
    { "24:30-24:45", FALSE, 0, 0, NULL },
    { "08:00", FALSE, 0, 0, NULL },
    { "8am-9pm", FALSE, 0, 0, NULL },
    { "08:0-21:00", FALSE, 0, 0, NULL },
    { "-21:00", FALSE, 0, 0, NULL },
    { NULL, FALSE, 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint16 start = 999;
      guint16 end = 999;
      gboolean valid = tc_gui_parse_time_window (cases[i].text, &start, &end);

      if (valid != cases[i].valid)
        g_error ("case %u (“%s”): expected %s", i, cases[i].text, cases[i].valid ? "valid" : "invalid");
      if (valid)
        {
          g_autofree char *canonical = tc_gui_format_time_window (start, end);

          g_assert_cmpuint (start, ==, cases[i].start);
          g_assert_cmpuint (end, ==, cases[i].end);
          g_assert_cmpstr (canonical, ==, cases[i].canonical);
        }
    }
}

static void
test_quiet_rule (void)
{
  TcQuietHoursRule rule = { .country = "US", .subdivision = "FL" };
  g_autofree char *text = NULL;

  for (guint d = 0; d < 6; d++)
    {
      rule.days[d].start = 8 * 60;
      rule.days[d].end = 20 * 60;
    }
  text = tc_gui_describe_quiet_rule (&rule);
  g_assert_cmpstr (text, ==, "Mon–Sat 08:00–20:00 · Sun no messages");
  g_clear_pointer (&text, g_free);

  rule.days[6].start = 12 * 60;
  rule.days[6].end = 20 * 60;
  rule.days[2].end = 21 * 60;
  text = tc_gui_describe_quiet_rule (&rule);
  g_assert_cmpstr (text, ==, "Mon–Tue 08:00–20:00 · Wed 08:00–21:00 · Thu–Sat 08:00–20:00 · Sun 12:00–20:00");
  g_clear_pointer (&text, g_free);

  for (guint d = 0; d < 7; d++)
    {
      rule.days[d].start = 9 * 60 + 30;
      rule.days[d].end = 24 * 60;
    }
  text = tc_gui_describe_quiet_rule (&rule);
  g_assert_cmpstr (text, ==, "Mon–Sun 09:30–24:00");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/gui-util/country-name", test_country_name);
  g_test_add_func ("/tc/gui-util/countries", test_countries);
  g_test_add_func ("/tc/gui-util/guess-region", test_guess_region);
  g_test_add_func ("/tc/gui-util/describe-error", test_describe_error);
  g_test_add_func ("/tc/gui-util/consent-status", test_consent_status);
  g_test_add_func ("/tc/gui-util/format", test_format);
  g_test_add_func ("/tc/gui-util/consent-state", test_consent_state);
  g_test_add_func ("/tc/gui-util/time-window", test_time_window);
  g_test_add_func ("/tc/gui-util/quiet-rule", test_quiet_rule);

  return g_test_run ();
}
