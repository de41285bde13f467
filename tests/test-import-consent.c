/* test-import-consent.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer's consent columns (tc-contact-io.c) through the public API:
 * consent_<channel>_<purpose> values (times, dates, yes, no), the
 * consent_source and consent_wording columns, rejected rows and their
 * reasons, opt-outs an import must keep, numbers erased at the person's
 * request, and tc_parse_time().
 */

#define G_LOG_DOMAIN "test-import-consent"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-contact.h"
#include "tc-privacy.h"
#include "tc-repository.h"
#include "tc-test-util.h"

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-import-consent-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

static char *
write_csv (Fixture    *f,
           const char *name,
           const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static TcImportReport *
import_with (Fixture               *f,
             const char            *path,
             const TcImportOptions *options)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcImportReport *report;

  tc_contacts_import_async (f->repo, path, options, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_contacts_import_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static TcImportReport *
import (Fixture    *f,
        const char *path)
{
  return import_with (f, path, NULL);
}

static TcConsentReport *
consent_report (Fixture    *f,
                const char *phone)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcConsentReport *report;

  tc_consent_ledger_report_async (f->repo, 0, phone, NULL, tc_repository_store_result_cb,
                                  &result);
  tc_repository_wait (&result);
  report = tc_consent_ledger_report_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
record (Fixture            *f,
        const char         *phone,
        TcChannel           channel,
        TcPurpose           purpose,
        TcConsentEventKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_utc (2025, 5, 1, 12, 0, 0);
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = kind,
    .source = TC_CONSENT_SOURCE_MANUAL,
    .wording = "Signed the paper form",
    .occurred_at = at,
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo, &request, NULL, tc_repository_store_result_cb,
                                  &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
}

static void
assert_issue (const TcImportReport *report,
              guint                 index,
              guint                 line,
              const char           *value,
              const char           *reason)
{
  const TcImportIssue *issue;

  g_assert_cmpuint (index, <, report->errors->len);
  issue = g_ptr_array_index (report->errors, index);
  g_assert_cmpuint (issue->line, ==, line);
  g_assert_cmpstr (issue->value, ==, value);
  g_assert_cmpstr (issue->reason, ==, reason);
}

static gint64
utc (int year,
     int month,
     int day,
     int hour,
     int minute,
     int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (dt);
}

static void
test_parse_time (void)
{
  static const struct {
    const char *text;
    gboolean    ok;
    int         y, mo, d, h, mi, s;
  } cases[] = {
    { "2026-03-01", TRUE, 2026, 3, 1, 0, 0, 0 },
    { " 2026-03-01 ", TRUE, 2026, 3, 1, 0, 0, 0 },
    { "2026-03-01T09:30:00Z", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2026-03-01t09:30:00z", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2026-03-01 09:30:00Z", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2026-03-01T09:30Z", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2026-03-01T09:30:00+01:00", TRUE, 2026, 3, 1, 8, 30, 0 },
    { "2026-03-01T09:30:00+0100", TRUE, 2026, 3, 1, 8, 30, 0 },
    { "2026-03-01T09:30:00+01", TRUE, 2026, 3, 1, 8, 30, 0 },
    { "2026-03-01T01:30:00-05:30", TRUE, 2026, 3, 1, 7, 0, 0 },
    { "2026-03-01T00:00:00+14:00", TRUE, 2026, 2, 28, 10, 0, 0 },
    { "2026-03-01T09:30:00.123456Z", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2026-03-01T09:30:00,5-00:00", TRUE, 2026, 3, 1, 9, 30, 0 },
    { "2024-02-29", TRUE, 2024, 2, 29, 0, 0, 0 },
    { "2026-12-31T23:59:59Z", TRUE, 2026, 12, 31, 23, 59, 59 },
    /* No offset: whose 09:30? */
    { "2026-03-01T09:30:00", FALSE },
    { "2026-03-01T09:30", FALSE },
    { "2025-02-29", FALSE },
    { "2026-02-30T00:00:00Z", FALSE },
    { "2026-13-01", FALSE },
    { "2026-00-10", FALSE },
    { "2026-03-00", FALSE },
    { "2026-03-01T24:00:00Z", FALSE },
    { "2026-03-01T09:60:00Z", FALSE },
    { "2026-03-01T09:30:60Z", FALSE },
    { "2026-03-01T09:30:00+24:00", FALSE },
    { "2026-03-01T09:30:00.Z", FALSE },
    { "2026-03-01T09:30:00Z junk", FALSE },
    { "2026-3-1", FALSE },
    { "01/03/2026", FALSE },
    { "20260301", FALSE },
    { "yes", FALSE },
    { "", FALSE },
    { "0000-01-01", FALSE },
    { "2026-03-01X09:30:00Z", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 at = -1;
      gboolean ok = tc_parse_time (cases[i].text, &at);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (at, ==, utc (cases[i].y, cases[i].mo, cases[i].d, cases[i].h,
                                      cases[i].mi, cases[i].s));
      else
        g_assert_cmpint (at, ==, -1);
    }
}

static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(TcImportReport) copy = NULL;
  g_autoptr(TcConsentReport) ann = NULL;
  g_autoptr(TcConsentReport) bob = NULL;
  g_autoptr(TcConsentReport) eve = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  TcConsent *event;

  path = write_csv (f, "shop.csv",
                    "phone,first_name,CONSENT_SMS_PROMOTIONAL,Consent WhatsApp Promotional,"
                    "consent-sms-transactional,consent_whatsapp_transactional,Consent_Source,"
                    "consent_wording\n"
                    /* 2: every form of a value */
                    "+12125550123,Ann,2026-03-01T09:30:00-05:00,YES,2025-12-24,no,"
                    "web form,Yes! Text me deals.\n"
                    /* 3: yes alone, the default source */
                    "+14155550100,Bob,yes,,,,,\n"
                    /* 4: nothing at all */
                    "+33612345678,Cat,,No,,,,\n"
                    /* 5-9: rejected, each for one reason */
                    "+61412345678,Dan,maybe,,,,,\n"
                    "+4915112345678,Eve,2999-01-01T00:00:00Z,,,,,\n"
                    "+447400123456,Fay,2026-03-01T09:30:00,,,,,\n"
                    "+447700123456,Gus,yes,,,,billboard,x\n"
                    "+33612345679,Hal,,yes,,,checkout,\n"
                    /* 10: a bad phone is reported as before */
                    "12,Ida,yes,,,,,\n"
                    /* 11: Eve again, fine this time (keyword needs no wording) */
                    "+4915112345678,Eve,,,2026-01-10,,keyword,\n");
  report = import (f, path);

  g_assert_cmpuint (report->rows, ==, 10);
  g_assert_cmpuint (report->imported, ==, 4);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->rejected, ==, 6);
  g_assert_cmpuint (report->consents_recorded, ==, 5);
  g_assert_cmpuint (report->consents_kept_opt_out, ==, 0);
  g_assert_cmpuint (report->errors->len, ==, 6);
  assert_issue (report, 0, 5, "maybe",
                "“maybe” in CONSENT_SMS_PROMOTIONAL is not an opt-in time, yes or no: write a "
                "time with its offset (2026-03-01T09:30:00Z) or a date (2026-03-01)");
  assert_issue (report, 1, 6, "2999-01-01T00:00:00Z",
                "CONSENT_SMS_PROMOTIONAL says “2999-01-01T00:00:00Z”, which is in the future: "
                "an opt-in time must be when the person agreed");
  assert_issue (report, 2, 7, "2026-03-01T09:30:00",
                "“2026-03-01T09:30:00” in CONSENT_SMS_PROMOTIONAL is not an opt-in time, yes "
                "or no: write a time with its offset (2026-03-01T09:30:00Z) or a date "
                "(2026-03-01)");
  assert_issue (report, 3, 8, "billboard",
                "“billboard” in Consent_Source is not a consent source: use web_form, "
                "checkout, keyword, qr_code, import, api or manual");
  assert_issue (report, 4, 9, "checkout",
                "an opt-in from checkout needs the words the person agreed to in a "
                "consent_wording column");
  g_assert_cmpuint (((TcImportIssue *) g_ptr_array_index (report->errors, 5))->line, ==, 10);

  /* The counts survive a copy (the GUI gets one). */
  copy = tc_import_report_copy (report);
  g_assert_cmpuint (copy->consents_recorded, ==, 5);
  g_assert_cmpuint (copy->consents_kept_opt_out, ==, 0);

  ann = consent_report (f, "+12125550123");
  g_assert_cmpuint (ann->events->len, ==, 3);
  g_assert_cmpint (ann->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (ann->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].since, ==,
                   utc (2026, 3, 1, 14, 30, 0));
  g_assert_cmpint (ann->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].since, ==,
                   utc (2025, 12, 24, 0, 0, 0));
  g_assert_cmpint (ann->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (ann->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].since, >=, before);
  g_assert_cmpint (ann->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_TRANSACTIONAL].status, ==,
                   TC_CONSENT_STATUS_NONE);
  for (guint i = 0; i < ann->events->len; i++)
    {
      event = g_ptr_array_index (ann->events, i);
      g_assert_cmpint (tc_consent_get_kind (event), ==, TC_CONSENT_EVENT_OPTED_IN);
      g_assert_cmpint (tc_consent_get_method (event), ==, TC_CONSENT_METHOD_SINGLE);
      g_assert_cmpint (tc_consent_get_source (event), ==, TC_CONSENT_SOURCE_WEB_FORM);
      g_assert_cmpstr (tc_consent_get_wording (event), ==, "Yes! Text me deals.");
      g_assert_cmpstr (tc_consent_get_origin (event), ==, "shop.csv line 2");
    }

  bob = consent_report (f, "+14155550100");
  g_assert_cmpuint (bob->events->len, ==, 1);
  event = g_ptr_array_index (bob->events, 0);
  g_assert_cmpint (tc_consent_get_source (event), ==, TC_CONSENT_SOURCE_IMPORT);
  g_assert_cmpstr (tc_consent_get_wording (event), ==, "");
  g_assert_cmpstr (tc_consent_get_origin (event), ==, "shop.csv line 3");
  g_assert_cmpint (g_date_time_to_unix (tc_consent_get_occurred_at (event)), >=, before);

  eve = consent_report (f, "+4915112345678");
  g_assert_cmpuint (eve->events->len, ==, 1);
  event = g_ptr_array_index (eve->events, 0);
  g_assert_cmpint (tc_consent_get_channel (event), ==, TC_CHANNEL_SMS);
  g_assert_cmpint (tc_consent_get_purpose (event), ==, TC_PURPOSE_TRANSACTIONAL);
  g_assert_cmpint (tc_consent_get_source (event), ==, TC_CONSENT_SOURCE_KEYWORD);
  g_assert_cmpstr (tc_consent_get_origin (event), ==, "shop.csv line 11");

  {
    g_autoptr(TcConsentReport) cat = consent_report (f, "+33612345678");

    g_assert_cmpuint (cat->events->len, ==, 0);
  }
}

/* An import never lifts an opt-out, and importing the same file twice
 * adds nothing to the history. */
static void
test_kept_opt_out (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(TcImportReport) first = NULL;
  g_autoptr(TcImportReport) second = NULL;
  g_autoptr(TcConsentReport) ann = NULL;
  g_autoptr(TcConsentReport) bob = NULL;

  record (f, "+12125550123", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN);
  record (f, "+12125550123", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_OUT);
  record (f, "+14155550100", TC_CHANNEL_WHATSAPP, TC_PURPOSE_PROMOTIONAL,
          TC_CONSENT_EVENT_BLOCKED);

  path = write_csv (f, "old.csv",
                    "phone,consent_sms_promotional,consent_sms_transactional,"
                    "consent_whatsapp_promotional\n"
                    "+12125550123,2024-01-01,2024-01-01,\n"
                    "+14155550100,,yes,yes\n"
                    "+14155550100,yes,,\n");
  first = import (f, path);
  g_assert_cmpuint (first->rows, ==, 3);
  g_assert_cmpuint (first->rejected, ==, 0);
  g_assert_cmpuint (first->updated, ==, 3);
  g_assert_cmpuint (first->consents_kept_opt_out, ==, 2);
  g_assert_cmpuint (first->consents_recorded, ==, 3);

  ann = consent_report (f, "+12125550123");
  g_assert_cmpint (ann->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (ann->states[TC_CHANNEL_SMS][TC_PURPOSE_TRANSACTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpuint (ann->events->len, ==, 3);
  bob = consent_report (f, "+14155550100");
  g_assert_cmpint (bob->states[TC_CHANNEL_WHATSAPP][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpint (bob->states[TC_CHANNEL_SMS][TC_PURPOSE_PROMOTIONAL].status, ==,
                   TC_CONSENT_STATUS_OPTED_IN);

  /* Again: the opt-outs are kept again, the opt-ins are known already. */
  second = import (f, path);
  g_assert_cmpuint (second->consents_kept_opt_out, ==, 2);
  g_assert_cmpuint (second->consents_recorded, ==, 0);
  g_clear_pointer (&ann, tc_consent_report_free);
  ann = consent_report (f, "+12125550123");
  g_assert_cmpuint (ann->events->len, ==, 3);
}

/* A number erased at the person's request cannot come back through an
 * import, with consent columns or without. */
static void
test_suppressed (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *with_consent = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(TcImportReport) first = NULL;
  g_autoptr(TcImportReport) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean had_contact = TRUE;

  tc_privacy_erase_async (f->repo, "+12125550123", NULL, tc_repository_store_result_cb,
                          &result);
  tc_repository_wait (&result);
  g_assert_true (tc_privacy_erase_finish (f->repo, result, &had_contact, &error));
  g_assert_no_error (error);
  g_assert_false (had_contact);

  with_consent = write_csv (f, "c.csv",
                            "phone,consent_sms_promotional\n"
                            "(212) 555-0123,yes\n"
                            "+14155550100,yes\n");
  first = import_with (f, with_consent, &(TcImportOptions) { .default_region = "US" });
  g_assert_cmpuint (first->imported, ==, 1);
  g_assert_cmpuint (first->rejected, ==, 1);
  g_assert_cmpuint (first->consents_recorded, ==, 1);
  assert_issue (first, 0, 2, "(212) 555-0123",
                "erased at the person's request: only they can join again, by texting START");

  plain = write_csv (f, "p.csv", "phone,first_name\n+12125550123,Ann\n+33612345678,Cat\n");
  second = import (f, plain);
  g_assert_cmpuint (second->imported, ==, 1);
  g_assert_cmpuint (second->rejected, ==, 1);
  g_assert_cmpuint (second->consents_recorded, ==, 0);
  assert_issue (second, 0, 2, "+12125550123",
                "erased at the person's request: only they can join again, by texting START");
}

/* Columns that look like consent but are not, and a caller's own mapping. */
static void
test_columns (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(TcImportReport) mapped = NULL;
  g_autoptr(TcConsentReport) ann = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) contact = NULL;
  GHashTable *attributes;
  static const TcContactField fields[] = {
    TC_FIELD_PHONE, TC_FIELD_IGNORE, TC_FIELD_ATTRIBUTE, TC_FIELD_ATTRIBUTE,
  };
  TcImportOptions options = { .fields = fields, .n_fields = G_N_ELEMENTS (fields) };

  path = write_csv (f, "cols.csv",
                    "phone,consent_sms_promotional,consent_email_promotional,consent\n"
                    "+12125550123,2026-01-01,yes,maybe\n");
  report = import (f, path);
  g_assert_cmpuint (report->rejected, ==, 0);
  g_assert_cmpuint (report->consents_recorded, ==, 1);

  /* Only the real consent column is consent; the rest are attributes, and
   * the consent column is not also kept as one. */
  tc_repository_find_contact_by_phone_async (f->repo, "+12125550123", NULL,
                                             tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contact = tc_repository_find_contact_by_phone_finish (f->repo, result, &error);
  g_assert_no_error (error);
  attributes = tc_contact_get_attributes (contact);
  g_assert_nonnull (attributes);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "consent_email_promotional"), ==, "yes");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "consent"), ==, "maybe");

  /* A caller that maps the column to "ignore" gets no consent from it,
   * not even a rejection for a bad value. */
  g_clear_pointer (&path, g_free);
  path = write_csv (f, "cols2.csv",
                    "phone,consent_sms_transactional,x,y\n"
                    "+12125550123,not a time,,\n");
  mapped = import_with (f, path, &options);
  g_assert_cmpuint (mapped->rejected, ==, 0);
  g_assert_cmpuint (mapped->consents_recorded, ==, 0);
  ann = consent_report (f, "+12125550123");
  g_assert_cmpuint (ann->events->len, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/tc/import-consent/parse-time", test_parse_time);
  ADD ("/tc/import-consent/values", test_values);
  ADD ("/tc/import-consent/kept-opt-out", test_kept_opt_out);
  ADD ("/tc/import-consent/suppressed", test_suppressed);
  ADD ("/tc/import-consent/columns", test_columns);

#undef ADD

  return g_test_run ();
}
