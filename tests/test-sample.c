/* test-sample.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sample"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tc-consent-ledger.h"
#include "tc-consent.h"
#include "tc-contact.h"
#include "tc-phone.h"
#include "tc-repository.h"
#include "tc-sample.h"

typedef struct
{
  char         *tmpdir;
  TcRepository *repository;
} Fixture;

static TcRepository *
open_repository (Fixture    *fixture,
                 const char *name)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(TcRepository) repository = tc_repository_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_open_async (repository, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_repository_open_finish (repository, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&repository);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("test-sample-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->repository = open_repository (fixture, "sample.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  tc_repository_close (fixture->repository);
  g_clear_object (&fixture->repository);

  dir = g_dir_open (fixture->tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->tmpdir), ==, 0);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static gboolean
create_sample (TcRepository  *repository,
               guint          n_contacts,
               guint32        seed,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_sample_create_async (repository, n_contacts, seed, cancellable,
                          tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_sample_create_finish (repository, result, error);
}

static guint
count_contacts (TcRepository *repository)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  tc_repository_count_contacts_async (repository, NULL, NULL, NULL,
                                      tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_repository_count_contacts_finish (repository, result, &n, &error);
  g_assert_no_error (error);

  return n;
}

static GPtrArray *
list_all (TcRepository *repository)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *contacts;

  tc_repository_list_contacts_async (repository, NULL, NULL, 0, 1000, NULL,
                                     tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contacts = tc_repository_list_contacts_finish (repository, result, &error);
  g_assert_no_error (error);

  return contacts;
}

static GPtrArray *
list_consents (TcRepository *repository,
               gint64        contact_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentReport) report = NULL;

  tc_consent_ledger_report_async (repository, contact_id, NULL, NULL,
                                  tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_consent_ledger_report_finish (repository, result, &error);
  g_assert_no_error (error);

  return g_ptr_array_ref (report->events);
}

static void
test_contents (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const tiers[] = { "bronze", "silver", "gold", "platinum", NULL };
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) phones = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) year_ago = g_date_time_add_days (now, -366);
  g_autoptr(GError) error = NULL;
  guint n_with_email = 0;
  guint n_by_status[TC_CONSENT_STATUS_EXPIRED + 1] = { 0 };
  guint n_whatsapp = 0;
  guint n_transactional = 0;
  guint n_double = 0;
  guint n_keyword = 0;

  g_assert_true (create_sample (fixture->repository, 300, 42, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_contacts (fixture->repository), ==, 300);

  contacts = list_all (fixture->repository);
  g_assert_cmpuint (contacts->len, ==, 300);

  for (guint i = 0; i < contacts->len; i++)
    {
      TcContact *contact = g_ptr_array_index (contacts, i);
      g_autoptr(TcPhoneInfo) info = NULL;
      g_autoptr(GPtrArray) consents = NULL;
      const char *email = tc_contact_get_email (contact);
      const char * const *contact_tags = tc_contact_get_tags (contact);

      /* Every number is valid for libphonenumber and stored in E.164. */
      info = tc_phone_parse (tc_contact_get_phone (contact), NULL, TC_PHONE_PARSE_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (info->e164, ==, tc_contact_get_phone (contact));
      g_assert_cmpstr (info->region, ==, tc_contact_get_country (contact));
      g_assert_false (g_hash_table_contains (phones, tc_contact_get_phone (contact)));
      g_hash_table_add (phones, (gpointer) tc_contact_get_phone (contact));
      g_hash_table_add (regions, (gpointer) tc_contact_get_country (contact));

      g_assert_nonnull (tc_contact_get_timezones (contact));
      g_assert_nonnull (tc_contact_get_timezones (contact)[0]);
      g_assert_cmpstr (tc_contact_get_first_name (contact), !=, "");
      g_assert_cmpstr (tc_contact_get_last_name (contact), !=, "");
      g_assert_nonnull (tc_contact_get_language (contact));
      g_assert_cmpuint (strlen (tc_contact_get_language (contact)), ==, 2);

      if (email != NULL && email[0] != '\0')
        {
          g_assert_nonnull (strchr (email, '@'));
          g_assert_true (g_str_is_ascii (email));
          n_with_email++;
        }

      g_assert_nonnull (tc_contact_get_attribute (contact, "city"));
      g_assert_true (g_strv_contains (tiers, tc_contact_get_attribute (contact, "loyalty_tier")));
      for (guint j = 0; contact_tags != NULL && contact_tags[j] != NULL; j++)
        g_hash_table_add (tags, (gpointer) g_intern_string (contact_tags[j]));

      consents = list_consents (fixture->repository, tc_contact_get_id (contact));
      for (guint j = 0; j < consents->len; j++)
        {
          TcConsent *consent = g_ptr_array_index (consents, j);
          GDateTime *when = tc_consent_get_occurred_at (consent);

          g_assert_cmpint (tc_consent_get_contact_id (consent), ==, tc_contact_get_id (contact));
          g_assert_cmpint (tc_consent_get_source (consent), !=, TC_CONSENT_SOURCE_SYSTEM);
          g_assert_nonnull (tc_consent_get_origin (consent));
          g_assert_cmpstr (tc_consent_get_origin (consent), !=, "");
          g_assert_nonnull (tc_consent_get_wording (consent));
          g_assert_cmpstr (tc_consent_get_wording (consent), !=, "");
          g_assert_nonnull (when);
          g_assert_cmpint (g_date_time_compare (when, year_ago), >, 0);
          g_assert_cmpint (g_date_time_compare (when, now), <=, 0);

          if (tc_consent_get_channel (consent) == TC_CHANNEL_WHATSAPP)
            n_whatsapp++;
          else if (tc_consent_get_purpose (consent) == TC_PURPOSE_TRANSACTIONAL)
            n_transactional++;
          else
            n_by_status[tc_consent_get_status (consent)]++;
          n_double += tc_consent_get_method (consent) == TC_CONSENT_METHOD_DOUBLE;
          n_keyword += tc_consent_get_source (consent) == TC_CONSENT_SOURCE_KEYWORD;
        }
    }

  /* A varied, realistic workspace. */
  g_assert_cmpuint (g_hash_table_size (regions), >=, 10);
  g_assert_cmpuint (n_with_email, >, 200);
  g_assert_cmpuint (n_with_email, <, 300);
  g_assert_true (g_hash_table_contains (tags, "vip"));
  g_assert_true (g_hash_table_contains (tags, "newsletter"));
  g_assert_true (g_hash_table_contains (tags, "wholesale"));
  g_assert_true (g_hash_table_contains (tags, "cart-abandoner"));
  g_assert_cmpuint (n_by_status[TC_CONSENT_STATUS_OPTED_IN], >, 100);
  g_assert_cmpuint (n_by_status[TC_CONSENT_STATUS_PENDING], >, 10);
  g_assert_cmpuint (n_by_status[TC_CONSENT_STATUS_OPTED_OUT], >, 5);
  g_assert_cmpuint (n_whatsapp, >, 30);
  g_assert_cmpuint (n_transactional, >, 30);
  g_assert_cmpuint (n_double, >, 30);
  g_assert_cmpuint (n_keyword, >, 10);

  /* A workspace with contacts is left as it is. */
  g_assert_false (create_sample (fixture->repository, 10, 1, NULL, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_cmpuint (count_contacts (fixture->repository), ==, 300);
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TcRepository) same = open_repository (fixture, "same.db");
  g_autoptr(TcRepository) other = open_repository (fixture, "other.db");
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GError) error = NULL;
  guint n_same_as_other = 0;

  g_assert_true (create_sample (fixture->repository, 50, 7, NULL, &error));
  g_assert_true (create_sample (same, 50, 7, NULL, &error));
  g_assert_true (create_sample (other, 50, 8, NULL, &error));
  g_assert_no_error (error);

  a = list_all (fixture->repository);
  b = list_all (same);
  c = list_all (other);
  g_assert_cmpuint (a->len, ==, 50);
  g_assert_cmpuint (b->len, ==, 50);
  g_assert_cmpuint (c->len, ==, 50);

  for (guint i = 0; i < a->len; i++)
    {
      TcContact *x = g_ptr_array_index (a, i);
      TcContact *y = g_ptr_array_index (b, i);
      TcContact *z = g_ptr_array_index (c, i);

      g_assert_cmpstr (tc_contact_get_phone (x), ==, tc_contact_get_phone (y));
      g_assert_cmpstr (tc_contact_get_last_name (x), ==, tc_contact_get_last_name (y));
      g_assert_cmpstr (tc_contact_get_email (x), ==, tc_contact_get_email (y));
      g_assert_cmpstrv (tc_contact_get_tags (x), tc_contact_get_tags (y));
      n_same_as_other += g_strcmp0 (tc_contact_get_phone (x), tc_contact_get_phone (z)) == 0;
    }

  g_assert_cmpuint (n_same_as_other, <, 5);

  tc_repository_close (same);
  tc_repository_close (other);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (create_sample (fixture->repository, 300, 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_contacts (fixture->repository), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tc/sample/contents", Fixture, NULL, fixture_set_up, test_contents, fixture_tear_down);
  g_test_add ("/tc/sample/deterministic", Fixture, NULL, fixture_set_up, test_deterministic, fixture_tear_down);
  g_test_add ("/tc/sample/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);

  return g_test_run ();
}
