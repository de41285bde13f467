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

  return g_test_run ();
}
