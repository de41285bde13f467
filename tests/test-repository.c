/* test-repository.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-repository"

#include "config.h"

#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-consent.h"
#include "tc-contact.h"
#include "tc-contact-list-model.h"
#include "tc-contact-list-model-private.h"
#include "tc-contact-private.h"
#include "tc-enums.h"
#include "tc-repository.h"
#include "tc-repository-private.h"
#include "tc-test-util.h"

/* ------------------------------------------------------------------------
 * Helpers
 */

typedef TcTestRepo Fixture;

static gboolean
open_fails (TcRepository  *repo,
            GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  return tc_repository_open_finish (repo, res, error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* A folder that does not exist yet: the repository creates it. */
  tc_test_repo_set_up (f, "tc-repo-XXXXXX", "workspace/textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

static guint
count_sync (TcRepository *repo,
            const char   *search,
            const char   *tag)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  tc_repository_count_contacts_async (repo, search, tag, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_count_contacts_finish (repo, res, &n, &error));
  g_assert_no_error (error);

  return n;
}

static GPtrArray *
list_sync (TcRepository *repo,
           const char   *search,
           const char   *tag,
           guint         offset,
           guint         limit)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  tc_repository_list_contacts_async (repo, search, tag, offset, limit, NULL,
                                     tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  list = tc_repository_list_contacts_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);

  return list;
}

static void
save_sync (TcRepository *repo,
           TcContact    *contact)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_save_contact_async (repo, contact, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_save_contact_finish (repo, res, &error));
  g_assert_no_error (error);
}

static TcContact *
get_sync (TcRepository  *repo,
          gint64         id,
          GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_get_contact_async (repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  return tc_repository_get_contact_finish (repo, res, error);
}

static TcContact *
make_contact (const char *phone,
              const char *first,
              const char *last,
              const char *email)
{
  TcContact *contact = tc_contact_new ();

  tc_contact_set_phone (contact, phone);
  tc_contact_set_first_name (contact, first);
  tc_contact_set_last_name (contact, last);
  tc_contact_set_email (contact, email);

  return contact;
}

static gint64
insert_sync (TcRepository *repo,
             const char   *phone,
             const char   *first,
             const char   *last,
             const char   *email)
{
  g_autoptr(TcContact) contact = make_contact (phone, first, last, email);

  save_sync (repo, contact);
  g_assert_cmpint (tc_contact_get_id (contact), >, 0);

  return tc_contact_get_id (contact);
}

/* A write job that inserts a batch of rows with _tc_db_upsert_contact, as
 * the importer does. */
typedef struct
{
  guint first;
  guint n;
} BatchData;

static char *
batch_phone (guint i)
{
  return g_strdup_printf ("+1415555%04u", i);
}

static gpointer
insert_batch_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  BatchData *data = job_data;

  if (!_tc_db_begin (db, error))
    return NULL;

  for (guint i = data->first; i < data->first + data->n; i++)
    {
      g_autofree char *phone = batch_phone (i);
      g_autofree char *first = g_strdup_printf ("First%05u", i);
      g_autofree char *last = g_strdup_printf ("Last%05u", i);
      TcContactRow row = { .phone = phone, .first_name = first, .last_name = last };

      if (!_tc_db_upsert_contact (db, &row, 1700000000, NULL, NULL, error))
        {
          _tc_db_rollback (db);
          return NULL;
        }
    }

  if (!_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static void
insert_batch_sync (TcRepository *repo,
                   guint         first,
                   guint         n)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  BatchData *data = g_new0 (BatchData, 1);

  data->first = first;
  data->n = n;
  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, insert_batch_job, data, g_free, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (repo, res, &error));
  g_assert_no_error (error);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *counter = user_data;

  (*counter)++;
}

static gboolean
strv_is (const char * const *strv,
         const char         *joined)
{
  g_autofree char *got = g_strjoinv (",", (char **) strv);

  if (g_strcmp0 (got, joined) != 0)
    {
      g_test_message ("got “%s”, expected “%s”", got, joined);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------
 * TcContact and TcConsent
 */

static void
test_contact_notify (void)
{
  TcContact *contact = tc_contact_new ();
  const char *tags_in[] = { "vip", " b2b", "vip", "", "anniversary", NULL };
  const char *zones[] = { "America/New_York", "America/Chicago", NULL };
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  g_autoptr(GDateTime) same_when = g_date_time_new_from_unix_utc (g_date_time_to_unix (when));
  g_autofree char *display = NULL;
  guint first = 0, display_n = 0, tags_n = 0, zones_n = 0, attrs_n = 0, created_n = 0, id_n = 0;

  g_assert_true (tc_contact_get_loaded (contact));
  g_signal_connect (contact, "notify::first-name", G_CALLBACK (count_notify_cb), &first);
  g_signal_connect (contact, "notify::display-name", G_CALLBACK (count_notify_cb), &display_n);
  g_signal_connect (contact, "notify::tags", G_CALLBACK (count_notify_cb), &tags_n);
  g_signal_connect (contact, "notify::timezones", G_CALLBACK (count_notify_cb), &zones_n);
  g_signal_connect (contact, "notify::attributes", G_CALLBACK (count_notify_cb), &attrs_n);
  g_signal_connect (contact, "notify::created-at", G_CALLBACK (count_notify_cb), &created_n);
  g_signal_connect (contact, "notify::id", G_CALLBACK (count_notify_cb), &id_n);

  tc_contact_set_id (contact, 7);
  tc_contact_set_id (contact, 7);
  g_assert_cmpuint (id_n, ==, 1);

  tc_contact_set_phone (contact, "+14155552671");
  g_assert_cmpuint (display_n, ==, 1);
  display = tc_contact_dup_display_name (contact);
  g_assert_cmpstr (display, ==, "+14155552671");
  g_clear_pointer (&display, g_free);

  tc_contact_set_first_name (contact, "Ada");
  tc_contact_set_first_name (contact, "Ada");
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (display_n, ==, 2);
  g_object_set (contact, "last-name", "Lovelace", NULL);
  g_object_set (contact, "last-name", "Lovelace", NULL);
  g_assert_cmpuint (display_n, ==, 3);
  display = tc_contact_dup_display_name (contact);
  g_assert_cmpstr (display, ==, "Ada Lovelace");
  g_clear_pointer (&display, g_free);
  /* Email does not change the display name. */
  tc_contact_set_email (contact, "ada@example.org");
  g_assert_cmpuint (display_n, ==, 3);

  tc_contact_set_tags (contact, tags_in);
  g_assert_true (strv_is (tc_contact_get_tags (contact), "anniversary,b2b,vip"));
  tc_contact_set_tags (contact, tags_in);
  g_assert_cmpuint (tags_n, ==, 1);
  tc_contact_add_tag (contact, "vip");
  g_assert_cmpuint (tags_n, ==, 1);
  tc_contact_add_tag (contact, "autumn");
  g_assert_cmpuint (tags_n, ==, 2);
  g_assert_true (strv_is (tc_contact_get_tags (contact), "anniversary,autumn,b2b,vip"));
  g_assert_true (tc_contact_has_tag (contact, "b2b"));
  tc_contact_remove_tag (contact, "b2b");
  tc_contact_remove_tag (contact, "b2b");
  g_assert_cmpuint (tags_n, ==, 3);
  g_assert_false (tc_contact_has_tag (contact, "b2b"));

  tc_contact_set_timezones (contact, zones);
  tc_contact_set_timezones (contact, zones);
  g_assert_cmpuint (zones_n, ==, 1);
  /* Order is kept: it is the order the phone layer found them in. */
  g_assert_true (strv_is (tc_contact_get_timezones (contact), "America/New_York,America/Chicago"));

  tc_contact_set_attribute (contact, "shoe size", "38");
  tc_contact_set_attribute (contact, "shoe size", "38");
  g_assert_cmpuint (attrs_n, ==, 1);
  tc_contact_set_attribute (contact, "shoe size", NULL);
  g_assert_cmpuint (attrs_n, ==, 2);
  g_assert_null (tc_contact_get_attribute (contact, "shoe size"));

  tc_contact_set_created_at (contact, when);
  tc_contact_set_created_at (contact, same_when);
  g_assert_cmpuint (created_n, ==, 1);

  g_assert_finalize_object (contact);
}

static void
test_contact_properties (void)
{
  TcContact *contact = tc_contact_new ();
  g_autoptr(GHashTable) attrs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) got_attrs = NULL;
  g_autoptr(GDateTime) local = g_date_time_new (g_time_zone_new_offset (3600), 2026, 1, 2, 3, 4, 5);
  g_autoptr(GDateTime) got_time = NULL;
  g_autofree char *display = NULL;
  g_auto(GStrv) tags = NULL;
  TcConsentStatus sms = -1;
  gboolean loaded = FALSE;
  guint attrs_n = 0, sms_n = 0;
  const char *tag_list[] = { "z", "a", NULL };

  g_signal_connect (contact, "notify::attributes", G_CALLBACK (count_notify_cb), &attrs_n);
  g_signal_connect (contact, "notify::sms-consent", G_CALLBACK (count_notify_cb), &sms_n);

  g_hash_table_insert (attrs, (char *) "plan", (char *) "gold");
  g_object_set (contact,
                "first-name", "Grace",
                "tags", tag_list,
                "attributes", attrs,
                "updated-at", local,
                NULL);
  g_object_set (contact, "attributes", attrs, NULL);
  g_assert_cmpuint (attrs_n, ==, 1);

  g_object_get (contact,
                "display-name", &display,
                "tags", &tags,
                "attributes", &got_attrs,
                "updated-at", &got_time,
                "sms-consent", &sms,
                "loaded", &loaded,
                NULL);
  g_assert_cmpstr (display, ==, "Grace");
  g_assert_true (strv_is ((const char * const *) tags, "a,z"));
  g_assert_cmpstr (g_hash_table_lookup (got_attrs, "plan"), ==, "gold");
  /* Stored in UTC. */
  g_assert_cmpint (g_date_time_get_utc_offset (got_time), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (got_time), ==, 2);
  g_assert_cmpint (sms, ==, TC_CONSENT_STATUS_NONE);
  g_assert_true (loaded);

  _tc_contact_set_consent_summary (contact, TC_CHANNEL_SMS, TC_CONSENT_STATUS_OPTED_IN);
  _tc_contact_set_consent_summary (contact, TC_CHANNEL_SMS, TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpuint (sms_n, ==, 1);
  g_assert_cmpint (tc_contact_get_consent_summary (contact, TC_CHANNEL_SMS), ==,
                   TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpint (tc_contact_get_consent_summary (contact, TC_CHANNEL_WHATSAPP), ==,
                   TC_CONSENT_STATUS_NONE);

  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (G_OBJECT_GET_CLASS (contact),
                                                                        "whatsapp-consent"))
                 == TC_TYPE_CONSENT_STATUS);

  g_clear_pointer (&got_attrs, g_hash_table_unref);
  g_assert_finalize_object (contact);
}

/* "phone-display": the number as people read it, made once and kept; a
 * new phone drops it (with a notify), a fill copies the one already made. */
static void
test_contact_phone_display (void)
{
  g_autoptr(TcContact) contact = tc_contact_new ();
  g_autoptr(TcContact) placeholder = _tc_contact_new_placeholder ();
  g_autofree char *from_property = NULL;
  const char *first;
  guint display_n = 0;

  g_assert_null (tc_contact_get_phone_display (contact));
  g_signal_connect (contact, "notify::phone-display", G_CALLBACK (count_notify_cb), &display_n);

  tc_contact_set_phone (contact, "+442079460958");
  g_assert_cmpuint (display_n, ==, 1);
  first = tc_contact_get_phone_display (contact);
  g_assert_cmpstr (first, ==, "+44 20 7946 0958");
  /* Kept: the same string, not formatted again. */
  g_assert_true (tc_contact_get_phone_display (contact) == first);
  g_object_get (contact, "phone-display", &from_property, NULL);
  g_assert_cmpstr (from_property, ==, "+44 20 7946 0958");

  /* The same number again changes nothing. */
  tc_contact_set_phone (contact, "+442079460958");
  g_assert_cmpuint (display_n, ==, 1);
  g_assert_true (tc_contact_get_phone_display (contact) == first);

  tc_contact_set_phone (contact, "+16502530000");
  g_assert_cmpuint (display_n, ==, 2);
  g_assert_cmpstr (tc_contact_get_phone_display (contact), ==, "+1 650-253-0000");

  /* Not E.164: shown as stored. */
  tc_contact_set_phone (contact, "12345");
  g_assert_cmpstr (tc_contact_get_phone_display (contact), ==, "12345");

  /* A fill brings the formatted number along, with one notify. */
  tc_contact_set_phone (contact, "+447700900123");
  g_assert_cmpstr (tc_contact_get_phone_display (contact), ==, "+44 7700 900123");
  display_n = 0;
  g_signal_connect (placeholder, "notify::phone-display", G_CALLBACK (count_notify_cb), &display_n);
  _tc_contact_fill_from (placeholder, contact);
  g_assert_cmpuint (display_n, ==, 1);
  g_assert_cmpstr (tc_contact_get_phone_display (placeholder), ==, "+44 7700 900123");
}

static void
test_contact_fill_from (void)
{
  TcContact *placeholder = _tc_contact_new_placeholder ();
  TcContact *from = make_contact ("+447700900123", "Alan", "Turing", "alan@example.org");
  TcContact *again = make_contact ("+447700900123", "Alan", "Turing", "alan@example.org");
  guint loaded_n = 0, phone_n = 0, email_n = 0, display_n = 0, all_n = 0;

  tc_contact_set_id (from, 42);
  tc_contact_set_id (again, 42);
  tc_contact_add_tag (from, "vip");
  tc_contact_add_tag (again, "vip");
  tc_contact_set_attribute (from, "city", "Wilmslow");
  tc_contact_set_attribute (again, "city", "Wilmslow");
  _tc_contact_set_consent_summary (from, TC_CHANNEL_WHATSAPP, TC_CONSENT_STATUS_OPTED_OUT);
  _tc_contact_set_consent_summary (again, TC_CHANNEL_WHATSAPP, TC_CONSENT_STATUS_OPTED_OUT);

  g_assert_false (tc_contact_get_loaded (placeholder));
  g_signal_connect (placeholder, "notify::loaded", G_CALLBACK (count_notify_cb), &loaded_n);
  g_signal_connect (placeholder, "notify::phone", G_CALLBACK (count_notify_cb), &phone_n);
  g_signal_connect (placeholder, "notify::email", G_CALLBACK (count_notify_cb), &email_n);
  g_signal_connect (placeholder, "notify::display-name", G_CALLBACK (count_notify_cb), &display_n);
  g_signal_connect (placeholder, "notify", G_CALLBACK (count_notify_cb), &all_n);

  _tc_contact_fill_from (placeholder, from);
  g_assert_true (tc_contact_get_loaded (placeholder));
  g_assert_cmpuint (loaded_n, ==, 1);
  g_assert_cmpuint (phone_n, ==, 1);
  g_assert_cmpuint (email_n, ==, 1);
  g_assert_cmpuint (display_n, ==, 1);
  g_assert_cmpint (tc_contact_get_id (placeholder), ==, 42);
  g_assert_cmpstr (tc_contact_get_attribute (placeholder, "city"), ==, "Wilmslow");
  g_assert_true (tc_contact_has_tag (placeholder, "vip"));
  g_assert_cmpint (tc_contact_get_consent_summary (placeholder, TC_CHANNEL_WHATSAPP), ==,
                   TC_CONSENT_STATUS_OPTED_OUT);

  /* Filling with identical data notifies nothing at all. */
  all_n = 0;
  _tc_contact_fill_from (placeholder, again);
  g_assert_cmpuint (all_n, ==, 0);

  /* Only what changed. */
  tc_contact_set_email (again, "alan@bletchley.example");
  _tc_contact_fill_from (placeholder, again);
  g_assert_cmpuint (all_n, ==, 1);
  g_assert_cmpuint (email_n, ==, 2);

  g_assert_finalize_object (placeholder);
  g_assert_finalize_object (from);
  g_assert_finalize_object (again);
}

static void
test_consent_notify (void)
{
  TcConsent *consent = tc_consent_new (3, TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL,
                                       TC_CONSENT_EVENT_REQUESTED);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 5, 6, 7, 8, 9);
  g_autoptr(GDateTime) same = g_date_time_new_from_unix_utc (g_date_time_to_unix (when));
  g_autofree char *wording = NULL;
  TcChannel channel = -1;
  guint status_n = 0, wording_n = 0, recorded_n = 0, method_n = 0;

  g_signal_connect (consent, "notify::status", G_CALLBACK (count_notify_cb), &status_n);
  g_signal_connect (consent, "notify::wording", G_CALLBACK (count_notify_cb), &wording_n);
  g_signal_connect (consent, "notify::recorded-at", G_CALLBACK (count_notify_cb), &recorded_n);
  g_signal_connect (consent, "notify::method", G_CALLBACK (count_notify_cb), &method_n);

  g_assert_cmpint (tc_consent_get_contact_id (consent), ==, 3);
  g_assert_cmpint (tc_consent_get_channel (consent), ==, TC_CHANNEL_WHATSAPP);
  g_assert_cmpint (tc_consent_get_purpose (consent), ==, TC_PURPOSE_TRANSACTIONAL);

  tc_consent_set_status (consent, TC_CONSENT_STATUS_OPTED_IN);
  tc_consent_set_status (consent, TC_CONSENT_STATUS_OPTED_IN);
  g_assert_cmpuint (status_n, ==, 1);
  tc_consent_set_method (consent, TC_CONSENT_METHOD_DOUBLE);
  tc_consent_set_method (consent, TC_CONSENT_METHOD_DOUBLE);
  g_assert_cmpuint (method_n, ==, 1);
  tc_consent_set_wording (consent, "Yes, text me deals. Reply STOP to opt out.");
  g_object_set (consent, "wording", "Yes, text me deals. Reply STOP to opt out.", NULL);
  g_assert_cmpuint (wording_n, ==, 1);
  tc_consent_set_recorded_at (consent, when);
  tc_consent_set_recorded_at (consent, same);
  g_assert_cmpuint (recorded_n, ==, 1);

  g_object_get (consent, "wording", &wording, "channel", &channel, NULL);
  g_assert_cmpstr (wording, ==, "Yes, text me deals. Reply STOP to opt out.");
  g_assert_cmpint (channel, ==, TC_CHANNEL_WHATSAPP);

  g_assert_finalize_object (consent);
}

/* ------------------------------------------------------------------------
 * Schema and opening
 */

static gint64
raw_query_int (const char *path,
               const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
raw_query_text (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
raw_query_plan (const char *path,
                const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s | ", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (plan, FALSE);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

static void
test_migrate_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *journal = NULL;
  g_autofree char *plan = NULL;

  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (raw_query_int (f->path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  journal = raw_query_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                           " AND name IN ('contacts', 'consent_events', 'consent_state', 'tags',"
                                           "              'contact_tags')"),
                   ==, 5);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM pragma_table_info ('contacts')"
                                           " WHERE name IN ('sort_key', 'search_text')"),
                   ==, 2);

  /* Ordered paging walks the sort index instead of sorting. */
  plan = raw_query_plan (f->path,
                         "SELECT id, phone, first_name FROM contacts c"
                         " ORDER BY c.sort_key LIMIT 200 OFFSET 400");
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "contacts_sort"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
  g_clear_pointer (&plan, g_free);

  /* A search filters on the index before reading any table row. */
  plan = raw_query_plan (f->path,
                         "SELECT id, phone, first_name FROM contacts c"
                         " WHERE instr (c.search_text, 'ada') > 0"
                         " ORDER BY c.sort_key LIMIT 200 OFFSET 400");
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "contacts_sort"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));
  g_clear_pointer (&plan, g_free);

  /* Counting a tag reads the tag's index only. */
  plan = raw_query_plan (f->path,
                         "SELECT count(*) FROM contact_tags"
                         " WHERE tag_id = (SELECT id FROM tags WHERE name = 'vip')");
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "COVERING INDEX contact_tags_tag"));

  /* Opening again is idempotent and does not migrate twice. */
  tc_test_open_ok (f->repo);
  tc_repository_close (f->repo);
  tc_repository_close (f->repo);
  tc_test_open_ok (f->repo);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 0);
}

static void
test_migrate_from_v1 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *sort_key = NULL;
  g_autofree char *search_text = NULL;
  TcRepository *repo;
  g_autoptr(GPtrArray) list = NULL;
  TcContact *first;

  /* A database as version 1 of Textcast left it. */
  raw_exec (path,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE contacts ("
            "  id INTEGER PRIMARY KEY, phone TEXT NOT NULL UNIQUE CHECK (phone <> ''),"
            "  first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '',"
            "  email TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '',"
            "  country TEXT NOT NULL DEFAULT '', timezones TEXT NOT NULL DEFAULT '',"
            "  attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (attributes)),"
            "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
            "CREATE INDEX contacts_name ON contacts (last_name COLLATE NOCASE,"
            "  first_name COLLATE NOCASE, phone);"
            "CREATE TABLE consents ("
            "  id INTEGER PRIMARY KEY,"
            "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
            "  channel TEXT NOT NULL, purpose TEXT NOT NULL, status TEXT NOT NULL,"
            "  method TEXT NOT NULL DEFAULT 'single', source TEXT NOT NULL DEFAULT '',"
            "  wording TEXT NOT NULL DEFAULT '', recorded_at INTEGER NOT NULL);"
            "CREATE INDEX consents_contact ON consents (contact_id, channel, purpose, recorded_at, id);"
            "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
            "CREATE TABLE contact_tags ("
            "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,"
            "  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
            "  PRIMARY KEY (contact_id, tag_id)) WITHOUT ROWID;"
            "CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);"
            "INSERT INTO contacts (id, phone, first_name, last_name, email, timezones, attributes,"
            "                      created_at, updated_at) VALUES"
            "  (1, '+4915112345678', 'Jürgen', 'Özdemir', 'J.Oz@Example.DE', 'Europe/Berlin',"
            "   '{\"kundennummer\":\"A-17\"}', 1600000000, 1600000000),"
            "  (2, '+33612345678', 'Amélie', 'Dupont', '', '', '{}', 1600000001, 1600000001),"
            "  (3, '+14155550100', 'Zoe', 'ADAMS', 'zoe@example.com', '', '{}', 1600000002, 1600000002);"
            "INSERT INTO tags (id, name) VALUES (1, 'stammkunde');"
            "INSERT INTO contact_tags VALUES (1, 1);"
            "INSERT INTO consents (contact_id, channel, purpose, status, recorded_at) VALUES"
            "  (1, 'sms', 'promotional', 'opted_in', 1600000100),"
            "  (1, 'sms', 'promotional', 'opted_out', 1600000200);"
            "PRAGMA user_version = 1;");

  repo = tc_repository_new (path);
  tc_test_open_ok (repo);

  g_assert_cmpint (raw_query_int (path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  /* Schema 6 turned the consent records into ledger events, with the
   * derived status of each pair. */
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM consent_events WHERE contact_id = 1"),
                   ==, 2);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM consent_events WHERE contact_id = 1"
                                        " AND kind = 'opted_out' AND occurred_at = 1600000200"), ==, 1);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM consent_state WHERE contact_id = 1"
                                        " AND channel = 'sms' AND purpose = 'promotional'"
                                        " AND status = 'opted_out' AND since = 1600000200"), ==, 1);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'consents'"),
                   ==, 0);
  g_assert_cmpint (raw_query_int (path, "SELECT length (value) FROM settings"
                                        " WHERE key = 'privacy.salt'"), ==, 32);
  sort_key = raw_query_text (path, "SELECT sort_key FROM contacts WHERE id = 1");
  g_assert_cmpstr (sort_key, ==, "ozdemir\x01jurgen\x01+4915112345678");
  search_text = raw_query_text (path, "SELECT search_text FROM contacts WHERE id = 1");
  g_assert_cmpstr (search_text, ==, "jurgen ozdemir\x01j.oz@example.de\x01+4915112345678");
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM contacts WHERE sort_key = ''"), ==, 0);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts_sort'"),
                   ==, 1);

  /* The old rows read back through the new queries, in the new order. */
  list = list_sync (repo, NULL, NULL, 0, 0);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (tc_contact_get_last_name (list->pdata[0]), ==, "ADAMS");
  g_assert_cmpstr (tc_contact_get_last_name (list->pdata[1]), ==, "Dupont");
  first = list->pdata[2];
  g_assert_cmpstr (tc_contact_get_last_name (first), ==, "Özdemir");
  g_assert_true (strv_is (tc_contact_get_tags (first), "stammkunde"));
  g_assert_true (strv_is (tc_contact_get_timezones (first), "Europe/Berlin"));
  g_assert_cmpstr (tc_contact_get_attribute (first, "kundennummer"), ==, "A-17");
  g_assert_cmpint (tc_contact_get_consent_summary (first, TC_CHANNEL_SMS), ==,
                   TC_CONSENT_STATUS_OPTED_OUT);
  g_assert_cmpuint (count_sync (repo, "özd", NULL), ==, 1);
  g_assert_cmpuint (count_sync (repo, "ÖZDEMIR", NULL), ==, 1);

  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

static void
test_open_too_new (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  TcRepository *repo;
  guint n = 0;

  raw_exec (path, "CREATE TABLE contacts (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;");

  repo = tc_repository_new (path);
  g_assert_false (open_fails (repo, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Textcast"));
  /* Untouched. */
  g_assert_cmpint (raw_query_int (path, "PRAGMA user_version"), ==, 99);
  g_clear_error (&error);

  /* Calls on a repository that failed to open fail cleanly. */
  tc_repository_count_contacts_async (repo, NULL, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_count_contacts_finish (repo, res, &n, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CLOSED);
  g_clear_object (&res);

  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

static void
test_open_corrupt (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "contacts.xlsx", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autoptr(GError) error = NULL;
  TcRepository *repo;
  char junk[8192];

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (char) ((i * 7919u) & 0xff);
  memcpy (junk, "PK\x03\x04", 4);
  g_assert_true (g_file_set_contents (path, junk, sizeof junk, NULL));

  repo = tc_repository_new (path);
  g_assert_false (open_fails (repo, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Textcast database"));
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  g_clear_error (&error);

  /* An SQLite file of some other program. */
  raw_exec (other, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);");
  repo = tc_repository_new (other);
  g_assert_false (open_fails (repo, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT);
  g_assert_cmpint (raw_query_int (other, "SELECT count(*) FROM sqlite_schema"), ==, 1);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);

  tc_test_rm_rf (dir);
}

static void
test_open_cant_create (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *path = g_build_filename (file, "textcast.db", NULL);
  g_autoptr(GError) error = NULL;
  TcRepository *repo;

  /* The parent "folder" is a file. */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  repo = tc_repository_new (path);
  g_assert_false (open_fails (repo, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CANT_OPEN);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------
 * CRUD
 */

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TcContact) contact = make_contact ("+14155552671", "Ada", "Lovelace", "ada@example.org");
  g_autoptr(TcContact) loaded = NULL;
  g_autoptr(TcContact) dup = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  const char *zones[] = { "America/Los_Angeles", NULL };
  const char *tags[] = { "vip", "beta", NULL };
  const char *tags2[] = { "beta", "newsletter", NULL };
  g_autoptr(GDateTime) old = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);
  gint64 id;

  tc_contact_set_language (contact, "en");
  tc_contact_set_country (contact, "US");
  tc_contact_set_timezones (contact, zones);
  tc_contact_set_tags (contact, tags);
  tc_contact_set_attribute (contact, "plan", "gold");
  tc_contact_set_attribute (contact, "quote \"\\ and\nnewline", "ünïcødé \x01");
  tc_contact_set_created_at (contact, old);

  save_sync (f->repo, contact);
  id = tc_contact_get_id (contact);
  g_assert_cmpint (id, >, 0);
  g_assert_true (g_date_time_equal (tc_contact_get_created_at (contact), old));
  g_assert_nonnull (tc_contact_get_updated_at (contact));

  loaded = get_sync (f->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_contact_get_phone (loaded), ==, "+14155552671");
  g_assert_cmpstr (tc_contact_get_first_name (loaded), ==, "Ada");
  g_assert_cmpstr (tc_contact_get_last_name (loaded), ==, "Lovelace");
  g_assert_cmpstr (tc_contact_get_email (loaded), ==, "ada@example.org");
  g_assert_cmpstr (tc_contact_get_language (loaded), ==, "en");
  g_assert_cmpstr (tc_contact_get_country (loaded), ==, "US");
  g_assert_true (strv_is (tc_contact_get_timezones (loaded), "America/Los_Angeles"));
  g_assert_true (strv_is (tc_contact_get_tags (loaded), "beta,vip"));
  g_assert_cmpstr (tc_contact_get_attribute (loaded, "plan"), ==, "gold");
  g_assert_cmpstr (tc_contact_get_attribute (loaded, "quote \"\\ and\nnewline"), ==, "ünïcødé \x01");
  g_assert_cmpuint (g_hash_table_size (tc_contact_get_attributes (loaded)), ==, 2);
  g_assert_true (g_date_time_equal (tc_contact_get_created_at (loaded), old));
  g_assert_true (tc_contact_get_loaded (loaded));

  /* Update: fields, tags replaced, an attribute removed. */
  tc_contact_set_first_name (contact, "Augusta Ada");
  tc_contact_set_tags (contact, tags2);
  tc_contact_set_attribute (contact, "plan", NULL);
  save_sync (f->repo, contact);
  g_assert_cmpint (tc_contact_get_id (contact), ==, id);
  g_clear_object (&loaded);
  loaded = get_sync (f->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_contact_get_first_name (loaded), ==, "Augusta Ada");
  g_assert_true (strv_is (tc_contact_get_tags (loaded), "beta,newsletter"));
  g_assert_null (tc_contact_get_attribute (loaded, "plan"));
  g_assert_cmpuint (count_sync (f->repo, "augusta", NULL), ==, 1);
  g_assert_cmpuint (count_sync (f->repo, "ada lovelace", NULL), ==, 1);

  /* Find by phone. */
  tc_repository_find_contact_by_phone_async (f->repo, "+14155552671", NULL,
                                             tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_clear_object (&loaded);
  loaded = tc_repository_find_contact_by_phone_finish (f->repo, res, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_contact_get_id (loaded), ==, id);
  g_clear_object (&res);
  tc_repository_find_contact_by_phone_async (f->repo, "+10000000000", NULL,
                                             tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_null (tc_repository_find_contact_by_phone_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&res);

  /* A second contact with the same phone breaks a rule. */
  dup = make_contact ("+14155552671", "Eve", NULL, NULL);
  tc_repository_save_contact_async (f->repo, dup, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_save_contact_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "UNIQUE"));
  g_assert_cmpint (tc_contact_get_id (dup), ==, 0);
  g_clear_error (&error);
  g_clear_object (&res);

  /* Updating a contact that is not there. */
  tc_contact_set_id (dup, 9999);
  tc_contact_set_phone (dup, "+14155550000");
  tc_repository_save_contact_async (f->repo, dup, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_save_contact_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&res);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 1);

  /* Delete. */
  tc_repository_delete_contact_async (f->repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_delete_contact_finish (f->repo, res, &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_null (get_sync (f->repo, id, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  tc_repository_delete_contact_async (f->repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_delete_contact_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM contact_tags"), ==, 0);
}

static GStrv
list_tags_sync (TcRepository *repo)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GStrv tags;

  tc_repository_list_tags_async (repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  tags = tc_repository_list_tags_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tags);

  return tags;
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TcContact) a = make_contact ("+14155550001", "A", "A", NULL);
  g_autoptr(TcContact) b = make_contact ("+14155550002", "B", "B", NULL);
  g_auto(GStrv) tags = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tags = list_tags_sync (f->repo);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_clear_pointer (&tags, g_strfreev);

  tc_contact_add_tag (a, "zeta");
  tc_contact_add_tag (a, "alpha");
  tc_contact_add_tag (b, "alpha");
  tc_contact_add_tag (b, "Mid");
  save_sync (f->repo, a);
  save_sync (f->repo, b);

  tags = list_tags_sync (f->repo);
  g_assert_true (strv_is ((const char * const *) tags, "Mid,alpha,zeta"));
  g_clear_pointer (&tags, g_strfreev);
  g_assert_cmpuint (count_sync (f->repo, NULL, "alpha"), ==, 2);
  g_assert_cmpuint (count_sync (f->repo, NULL, "zeta"), ==, 1);
  g_assert_cmpuint (count_sync (f->repo, NULL, "nope"), ==, 0);
  g_assert_cmpuint (count_sync (f->repo, "b", "alpha"), ==, 1);

  /* A tag nobody has any more is not "in use". */
  tc_repository_delete_contact_async (f->repo, tc_contact_get_id (a), NULL,
                                     tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_delete_contact_finish (f->repo, res, &error));
  tags = list_tags_sync (f->repo);
  g_assert_true (strv_is ((const char * const *) tags, "Mid,alpha"));
}

/* ------------------------------------------------------------------------
 * Upsert
 */

typedef struct
{
  TcContactRow row;
  gboolean     expect_updated;
} UpsertStep;

typedef struct
{
  const UpsertStep *steps;
  guint             n_steps;
  gint64           *ids;
  gboolean         *updated;
} UpsertData;

static gpointer
upsert_steps_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  UpsertData *data = job_data;

  if (!_tc_db_begin (db, error))
    return NULL;
  for (guint i = 0; i < data->n_steps; i++)
    if (!_tc_db_upsert_contact (db, &data->steps[i].row, 1700000000 + i,
                                &data->ids[i], &data->updated[i], error))
      return NULL;  /* the repository rolls back a failed write job */
  if (!_tc_db_commit (db, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static void
test_upsert (Fixture       *f,
             gconstpointer  data)
{
  static const char * const tz_ny[] = { "America/New_York", NULL };
  static const char * const tz_none[] = { NULL };
  static const char * const tags1[] = { "spring", "vip", NULL };
  static const char * const tags2[] = { "vip", "autumn", NULL };
  static const char * const names1[] = { "plan", "city", NULL };
  static const char * const values1[] = { "silver", "Boston", NULL };
  static const char * const names2[] = { "plan", "dog", NULL };
  static const char * const values2[] = { "gold", "Rex \"the\" dog", NULL };
  const UpsertStep steps[] = {
    { { .phone = "+16175550100", .first_name = "Mary", .last_name = "Major", .email = "mary@example.com",
        .country = "US", .timezones = tz_ny, .tags = tags1, .attr_names = names1, .attr_values = values1 },
      FALSE },
    /* The same number again: empty and NULL fields do not overwrite. */
    { { .phone = "+16175550100", .first_name = "", .last_name = NULL, .email = "m.major@example.com",
        .language = "en", .timezones = tz_none, .tags = tags2, .attr_names = names2, .attr_values = values2 },
      TRUE },
    { { .phone = "+16175550199", .first_name = "Other" }, FALSE },
    { { .phone = "+16175550199" }, TRUE },
  };
  gint64 ids[G_N_ELEMENTS (steps)] = { 0 };
  gboolean updated[G_N_ELEMENTS (steps)] = { 0 };
  UpsertData job = { steps, G_N_ELEMENTS (steps), ids, updated };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) contact = NULL;
  guint changed = 0;

  g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (count_notify_cb), &changed);

  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, upsert_steps_job, &job, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->repo, res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_assert_cmpint (ids[i], >, 0);
      g_assert_cmpint (updated[i], ==, steps[i].expect_updated);
    }
  g_assert_cmpint (ids[0], ==, ids[1]);
  g_assert_cmpint (ids[2], ==, ids[3]);
  g_assert_cmpint (ids[0], !=, ids[2]);

  contact = get_sync (f->repo, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_contact_get_first_name (contact), ==, "Mary");
  g_assert_cmpstr (tc_contact_get_last_name (contact), ==, "Major");
  g_assert_cmpstr (tc_contact_get_email (contact), ==, "m.major@example.com");
  g_assert_cmpstr (tc_contact_get_language (contact), ==, "en");
  g_assert_cmpstr (tc_contact_get_country (contact), ==, "US");
  g_assert_true (strv_is (tc_contact_get_timezones (contact), "America/New_York"));
  g_assert_true (strv_is (tc_contact_get_tags (contact), "autumn,spring,vip"));
  g_assert_cmpstr (tc_contact_get_attribute (contact, "plan"), ==, "gold");
  g_assert_cmpstr (tc_contact_get_attribute (contact, "city"), ==, "Boston");
  g_assert_cmpstr (tc_contact_get_attribute (contact, "dog"), ==, "Rex \"the\" dog");
  g_assert_cmpint (g_date_time_to_unix (tc_contact_get_created_at (contact)), ==, 1700000000);
  g_assert_cmpint (g_date_time_to_unix (tc_contact_get_updated_at (contact)), ==, 1700000001);
  /* The search column follows the new email. */
  g_assert_cmpuint (count_sync (f->repo, "m.major@", NULL), ==, 1);
  g_assert_cmpuint (count_sync (f->repo, "mary@", NULL), ==, 0);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 2);
}

static gpointer
upsert_then_fail_job (TcDb          *db,
                      gpointer       job_data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  static const char * const tags[] = { "fresh-tag", NULL };
  TcContactRow row = { .phone = "+16175550100", .first_name = "Gone", .tags = tags };

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!_tc_db_upsert_contact (db, &row, 1700000000, NULL, NULL, error))
    return NULL;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The job gives up");
  return NULL;
}

static void
test_upsert_rollback (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const tags[] = { "fresh-tag", NULL };
  const UpsertStep steps[] = {
    { { .phone = "+16175550111", .first_name = "Kept", .tags = tags }, FALSE },
  };
  gint64 ids[1] = { 0 };
  gboolean updated[1] = { TRUE };
  UpsertData job = { steps, 1, ids, updated };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) kept = NULL;
  g_auto(GStrv) all_tags = NULL;
  guint changed = 0;

  g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (count_notify_cb), &changed);

  /* A job that fails after writing is rolled back by the repository and
   * announces nothing. */
  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, upsert_then_fail_job, NULL, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_null (_tc_repository_run_finish (f->repo, res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&res);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 0);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM tags"), ==, 0);

  /* The tag-id cache forgot the rolled-back tag: using it again works
   * (a stale id would break the foreign key). */
  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, upsert_steps_job, &job, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->repo, res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (updated[0]);

  kept = get_sync (f->repo, ids[0], &error);
  g_assert_no_error (error);
  g_assert_true (strv_is (tc_contact_get_tags (kept), "fresh-tag"));
  all_tags = list_tags_sync (f->repo);
  g_assert_true (strv_is ((const char * const *) all_tags, "fresh-tag"));
}

typedef struct
{
  guint    n;
  gboolean explicit_bulk;
  gboolean fail;
  gint64   index_during;  /* contacts_sort present just before the commit? */
} BulkData;

static gpointer
bulk_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  BulkData *data = job_data;
  sqlite3_stmt *stmt;

  if (!_tc_db_begin (db, error))
    return NULL;
  if (data->explicit_bulk && !_tc_db_bulk_begin (db, error))
    return NULL;

  for (guint i = 0; i < data->n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+33612%06u", i);
      g_autofree char *last = g_strdup_printf ("Bulk%06u", data->n - 1 - i);
      TcContactRow row = { .phone = phone, .last_name = last };

      if (!_tc_db_upsert_contact (db, &row, 1700000000, NULL, NULL, error))
        return NULL;
    }

  stmt = _tc_db_prepare (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts_sort'", error);
  if (stmt == NULL)
    return NULL;
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  data->index_during = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (data->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped half-way");
      return NULL;
    }

  if (!_tc_db_commit (db, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static gboolean
run_bulk (TcRepository  *repo,
          BulkData      *data,
          GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, bulk_job, data, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  return _tc_repository_run_finish (repo, res, error) != NULL;
}

static void
test_bulk (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *index_count = "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts_sort'";
  g_autofree char *plan = NULL;
  BulkData small = { .n = 500 };
  BulkData explicit_cancelled = { .n = 500, .explicit_bulk = TRUE, .fail = TRUE };
  BulkData big_cancelled = { .n = 60000, .fail = TRUE };
  BulkData big = { .n = 60000 };

  /* A small load keeps the index all along. */
  g_assert_true (run_bulk (f->repo, &small, &error));
  g_assert_no_error (error);
  g_assert_cmpint (small.index_during, ==, 1);

  /* Asked for, then cancelled: nothing stored, the index is back. */
  g_assert_false (run_bulk (f->repo, &explicit_cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (explicit_cancelled.index_during, ==, 0);
  g_assert_cmpint (raw_query_int (f->path, index_count), ==, 1);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 500);

  /* A big load into a small table switches by itself; cancelled. */
  g_assert_false (run_bulk (f->repo, &big_cancelled, &error));
  g_clear_error (&error);
  g_assert_cmpint (big_cancelled.index_during, ==, 0);
  g_assert_cmpint (raw_query_int (f->path, index_count), ==, 1);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 500);

  /* And committed: the index is rebuilt, the order is right. */
  g_assert_true (run_bulk (f->repo, &big, &error));
  g_assert_no_error (error);
  g_assert_cmpint (big.index_during, ==, 0);
  g_assert_cmpint (raw_query_int (f->path, index_count), ==, 1);
  plan = raw_query_plan (f->path, "SELECT id FROM contacts c ORDER BY c.sort_key LIMIT 2 OFFSET 10");
  g_assert_nonnull (strstr (plan, "contacts_sort"));
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 60000);

  list = list_sync (f->repo, NULL, NULL, 10, 2);
  g_assert_cmpstr (tc_contact_get_last_name (list->pdata[0]), ==, "Bulk000010");
  g_assert_cmpstr (tc_contact_get_last_name (list->pdata[1]), ==, "Bulk000011");
  g_assert_cmpstr (tc_contact_get_phone (list->pdata[0]), ==, "+33612059989");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_sync (f->repo, "bulk000499", NULL, 0, 0);
  g_assert_cmpuint (list->len, ==, 1);
}

/* ------------------------------------------------------------------------
 * Search, filter, order
 */

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  struct {
    const char *search;
    const char *expect;  /* last names, in list order */
  } cases[] = {
    { "ada", "Lovelace" },
    { "LOVE", "Lovelace" },
    { "lovelace", "Lovelace" },
    { "ada love", "Lovelace" },
    { "@EXAMPLE.org", "Lovelace,Hopper" },
    { "grace.hopper", "Hopper" },
    { "(415) 555", "Lovelace" },
    { "555-01", "Hopper" },
    { "415-555-26", "Lovelace" },
    { "+1 415 555 2671", "Lovelace" },
    { "  415.555.2671  ", "Lovelace" },
    { "+44 7700", "Turing" },
    { "07700 900", "" },       /* national format with trunk 0 is not the E.164 digits */
    { "7700 900", "Turing" },
    { "müller", "Müller" },
    { "MÜLLER", "Müller" },
    { "muller", "Müller" },
    { "jorg", "Müller" },
    { "zzz", "" },
    { "%", "" },
    { "_", "" },
    { "", "Hopper,Lovelace,Müller,Turing" },
    { "   ", "Hopper,Lovelace,Müller,Turing" },
  };

  insert_sync (f->repo, "+14155552671", "Ada", "Lovelace", "ada@example.org");
  insert_sync (f->repo, "+12125550100", "Grace", "Hopper", "grace.hopper@example.org");
  insert_sync (f->repo, "+447700900123", "Alan", "Turing", "alan@bletchley.example");
  insert_sync (f->repo, "+4915112345678", "Jörg", "Müller", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) list = list_sync (f->repo, cases[i].search, NULL, 0, 0);
      g_autoptr(GString) got = g_string_new (NULL);
      g_auto(GStrv) expected = g_strsplit (cases[i].expect, ",", -1);
      guint n_expected = cases[i].expect[0] != '\0' ? g_strv_length (expected) : 0;

      for (guint j = 0; j < list->len; j++)
        g_string_append_printf (got, "%s%s", j > 0 ? "," : "", tc_contact_get_last_name (list->pdata[j]));

      g_test_message ("search “%s” → %s", cases[i].search, got->str);
      /* Order within a search result is the list order; compare as sets
       * here and check the order separately. */
      g_assert_cmpuint (list->len, ==, n_expected);
      for (guint j = 0; j < n_expected; j++)
        {
          gboolean found = FALSE;

          for (guint k = 0; k < list->len; k++)
            found |= g_strcmp0 (tc_contact_get_last_name (list->pdata[k]), expected[j]) == 0;
          g_assert_true (found);
        }
      g_assert_cmpuint (count_sync (f->repo, cases[i].search, NULL), ==, n_expected);
    }
}

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  const char *expect[] = {
    /* No name sorts first (empty last name), then by last, first, phone. */
    "+15550000009",
    "ada adams +15550000004",
    "Bob adams +15550000002",
    "bob Adams +15550000003",
    "Émile Bernard +15550000008",
    "Zed Bernard +15550000007",
    "Anna Ölberg +15550000006",
    "Carl zeta +15550000005",
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) page = NULL;

  insert_sync (f->repo, "+15550000005", "Carl", "zeta", NULL);
  insert_sync (f->repo, "+15550000003", "bob", "Adams", NULL);
  insert_sync (f->repo, "+15550000002", "Bob", "adams", NULL);
  insert_sync (f->repo, "+15550000004", "ada", "adams", NULL);
  insert_sync (f->repo, "+15550000006", "Anna", "Ölberg", NULL);
  insert_sync (f->repo, "+15550000007", "Zed", "Bernard", NULL);
  insert_sync (f->repo, "+15550000008", "Émile", "Bernard", NULL);
  insert_sync (f->repo, "+15550000009", NULL, NULL, NULL);

  list = list_sync (f->repo, NULL, NULL, 0, 0);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < list->len; i++)
    {
      TcContact *c = list->pdata[i];
      g_autofree char *got = NULL;

      if (tc_contact_get_first_name (c) == NULL)
        got = g_strdup (tc_contact_get_phone (c));
      else
        got = g_strdup_printf ("%s %s %s", tc_contact_get_first_name (c),
                               tc_contact_get_last_name (c), tc_contact_get_phone (c));
      g_assert_cmpstr (got, ==, expect[i]);
    }

  /* Pages are slices of the same order. */
  page = list_sync (f->repo, NULL, NULL, 3, 2);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_true (page->pdata[0] != list->pdata[3]);
  g_assert_cmpint (tc_contact_get_id (page->pdata[0]), ==, tc_contact_get_id (list->pdata[3]));
  g_assert_cmpint (tc_contact_get_id (page->pdata[1]), ==, tc_contact_get_id (list->pdata[4]));
  g_clear_pointer (&page, g_ptr_array_unref);
  page = list_sync (f->repo, NULL, NULL, 7, 5);
  g_assert_cmpuint (page->len, ==, 1);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = list_sync (f->repo, NULL, NULL, 50, 5);
  g_assert_cmpuint (page->len, ==, 0);
}

/* ------------------------------------------------------------------------
 * Threads: reads during a long write, cancellation, signals
 */

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean inside;    /* the write job has written and holds its transaction */
  gboolean release;   /* the test lets it commit */
} Gate;

static gpointer
held_write_job (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  Gate *gate = job_data;
  static const char * const tags[] = { "uncommitted", NULL };
  TcContactRow row = { .phone = "+19995550000", .first_name = "Pending", .tags = tags };

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!_tc_db_upsert_contact (db, &row, 1700000000, NULL, NULL, error))
    return NULL;

  g_mutex_lock (&gate->mutex);
  gate->inside = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->release)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  if (!_tc_db_commit (db, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

static void
test_read_during_write (Fixture       *f,
                        gconstpointer  data)
{
  Gate gate = { 0 };
  g_autoptr(GAsyncResult) write_res = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  guint n = 0;

  insert_batch_sync (f->repo, 0, 50);

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, held_write_job, &gate, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &write_res);

  g_mutex_lock (&gate.mutex);
  while (!gate.inside)
    g_cond_wait (&gate.cond, &gate.mutex);
  g_mutex_unlock (&gate.mutex);

  /* The writer is stuck inside its transaction; the reader still answers,
   * with the last committed state. */
  tc_repository_count_contacts_async (f->repo, NULL, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_count_contacts_finish (f->repo, res, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 50);
  g_clear_object (&res);

  list = list_sync (f->repo, "pending", NULL, 0, 10);
  g_assert_cmpuint (list->len, ==, 0);
  tags = list_tags_sync (f->repo);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_assert_null (write_res);

  g_mutex_lock (&gate.mutex);
  gate.release = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.mutex);

  tc_repository_wait (&write_res);
  g_assert_nonnull (_tc_repository_run_finish (f->repo, write_res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 51);
  g_assert_cmpuint (count_sync (f->repo, "pending", "uncommitted"), ==, 1);

  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) save_res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcContact) contact = make_contact ("+14155550001", "Never", "Saved", NULL);
  guint n = 0;
  guint changed = 0;

  g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (count_notify_cb), &changed);
  g_cancellable_cancel (cancellable);

  tc_repository_count_contacts_async (f->repo, NULL, NULL, cancellable,
                                      tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_count_contacts_finish (f->repo, res, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  tc_repository_save_contact_async (f->repo, contact, cancellable,
                                    tc_repository_store_result_cb, &save_res);
  tc_repository_wait (&save_res);
  g_assert_false (tc_repository_save_contact_finish (f->repo, save_res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (tc_contact_get_id (contact), ==, 0);

  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 0);
  g_assert_cmpuint (changed, ==, 0);
}

static gpointer
failing_write_job (TcDb          *db,
                   gpointer       job_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  if (!_tc_db_begin (db, error))
    return NULL;
  if (!_tc_db_exec (db, "INSERT INTO contacts (phone, created_at, updated_at) VALUES ('+1999', 0, 0)",
                    error))
    return NULL;
  /* Breaks the CHECK on the channel column. */
  if (!_tc_db_exec (db, "INSERT INTO consent_events (contact_id, channel, purpose, kind, status,"
                        " source, occurred_at, recorded_at) VALUES (last_insert_rowid (), 'pigeon',"
                        " 'promotional', 'opted_in', 'opted_in', 'manual', 0, 0)",
                    error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
test_signal_and_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (count_notify_cb), &changed);

  insert_sync (f->repo, "+14155550001", "Sig", "Nal", NULL);
  g_assert_cmpuint (changed, ==, 1);

  /* Reads do not announce changes. */
  count_sync (f->repo, NULL, NULL);
  g_assert_cmpuint (changed, ==, 1);

  /* A failed write is rolled back, mapped to a TcDbError with SQLite's
   * message, and announces nothing. */
  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, failing_write_job, NULL, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_null (_tc_repository_run_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "CHECK constraint failed"));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 1);
  g_clear_error (&error);
  g_clear_object (&res);

  /* After close, calls fail with CLOSED. */
  tc_repository_close (f->repo);
  tc_repository_count_contacts_async (f->repo, NULL, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_false (tc_repository_count_contacts_finish (f->repo, res, NULL, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CLOSED);
}

static gpointer
half_stepped_read_job (TcDb          *db,
                       gpointer       job_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT id FROM contacts ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  /* One row of several, and no reset. */
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return GINT_TO_POINTER (1);
}

static gpointer
uncommitted_write_job (TcDb          *db,
                       gpointer       job_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  TcContactRow row = { .phone = "+14155559999", .first_name = "Forgotten" };

  if (!_tc_db_begin (db, error) ||
      !_tc_db_upsert_contact (db, &row, 1700000000, NULL, NULL, error))
    return NULL;

  return GINT_TO_POINTER (1);
}

/* The nice value of each of this process's threads called NAME, as a list
 * ("10 10"), read from /proc/self/task/N/stat (field 19). */
#ifdef __linux__
static char *
nice_of_threads (const char *name)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  g_autoptr(GString) found = g_string_new (NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      g_strchomp (comm);
      if (strcmp (comm, name) != 0)
        continue;
      /* "pid (comm) state ppid …": field 19 is the 17th after the name. */
      after_name = strrchr (stat, ')');
      g_assert_nonnull (after_name);
      fields = g_strsplit (after_name + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      g_string_append_printf (found, "%s%s", found->len > 0 ? " " : "", fields[16]);
    }

  return g_string_free (g_steal_pointer (&found), FALSE);
}
#endif

/* tc_repository_set_thread_niceness(): a repository made afterwards runs
 * its reader and writer that much below the main thread (Linux), the
 * reader not twice as low although the writer starts it; 0 leaves the
 * threads of the next one alone. */
#ifdef __linux__
/* Sets the niceness, opens a repository and checks the nice value of both
 * its threads. */
static void
assert_repository_threads_nice (int increment,
                                int expected)
{
  TcTestRepo f = { 0 };
  g_autofree char *want = g_strdup_printf ("%d", expected);
  g_autofree char *writer = NULL;
  g_autofree char *reader = NULL;

  tc_repository_set_thread_niceness (increment);
  tc_test_repo_set_up (&f, "tc-repo-XXXXXX", "t.db");
  /* The reader starts with the first read. */
  g_assert_cmpuint (count_sync (f.repo, NULL, NULL), ==, 0);
  writer = nice_of_threads ("tc-db-writer");
  reader = nice_of_threads ("tc-db-reader");
  g_assert_cmpstr (writer, ==, want);
  g_assert_cmpstr (reader, ==, want);
  tc_test_repo_tear_down (&f);
}
#endif

static void
test_thread_niceness (void)
{
#ifdef __linux__
  int base = getpriority (PRIO_PROCESS, (id_t) getpid ());

  assert_repository_threads_nice (4, MIN (base + 4, 19));
  assert_repository_threads_nice (0, base);
#else
  g_test_skip ("Thread priorities are set on Linux only");
#endif
}

static void
test_job_hygiene (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  insert_sync (f->repo, "+14155550001", "One", NULL, NULL);
  insert_sync (f->repo, "+14155550002", "Two", NULL, NULL);

  /* A read job that leaves its statement mid-way does not pin the
   * reader's snapshot. */
  _tc_repository_run_async (f->repo, TC_DB_JOB_READ, half_stepped_read_job, NULL, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_nonnull (_tc_repository_run_finish (f->repo, res, &error));
  g_clear_object (&res);
  insert_sync (f->repo, "+14155550003", "Three", NULL, NULL);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 3);

  /* A write job that never commits fails and changes nothing; the next
   * write works. */
  _tc_repository_run_async (f->repo, TC_DB_JOB_WRITE, uncommitted_write_job, NULL, NULL, NULL,
                            NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_null (_tc_repository_run_finish (f->repo, res, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_FAILED);
  g_assert_cmpuint (count_sync (f->repo, "forgotten", NULL), ==, 0);
  insert_sync (f->repo, "+14155550004", "Four", NULL, NULL);
  g_assert_cmpuint (count_sync (f->repo, NULL, NULL), ==, 4);
}

static void
test_queue_while_opening (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a", "b", "c.db", NULL);
  TcRepository *repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) open_res = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 99;

  /* Calls made right after open_async wait for it. */
  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &open_res);
  tc_repository_count_contacts_async (repo, NULL, NULL, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_count_contacts_finish (repo, res, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  tc_repository_wait (&open_res);
  g_assert_true (tc_repository_open_finish (repo, open_res, &error));
  g_clear_object (&open_res);
  g_clear_object (&res);

  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

static void
test_close_while_opening (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "c.db", NULL);
  TcRepository *repo = tc_repository_new (path);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &first);
  tc_repository_close (repo);
  tc_repository_open_async (repo, NULL, tc_repository_store_result_cb, &second);

  tc_repository_wait (&first);
  g_assert_false (tc_repository_open_finish (repo, first, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CLOSED);
  g_clear_error (&error);

  tc_repository_wait (&second);
  g_assert_true (tc_repository_open_finish (repo, second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_sync (repo, NULL, NULL), ==, 0);
  g_clear_object (&first);
  g_clear_object (&second);

  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------
 * The paging model
 */

static void
wait_not_loading (TcContactListModel *model)
{
  while (tc_contact_list_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  guint n_calls;
  guint position;
  guint removed;
  guint added;
  guint total_removed;
  guint total_added;
} ItemsChanged;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  ItemsChanged *ic = user_data;

  ic->n_calls++;
  ic->position = position;
  ic->removed = removed;
  ic->added = added;
  ic->total_removed += removed;
  ic->total_added += added;
}

static void
test_model_paging (Fixture       *f,
                   gconstpointer  data)
{
  TcContactListModel *model;
  ItemsChanged ic = { 0 };
  g_autoptr(TcContact) item = NULL;
  g_autoptr(TcContact) again = NULL;
  g_autoptr(TcContact) last = NULL;
  g_autofree char *phone = NULL;
  guint loaded_n = 0;

  insert_batch_sync (f->repo, 0, 5000);

  model = tc_contact_list_model_new (f->repo);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &ic);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TC_TYPE_CONTACT);
  g_assert_true (tc_contact_list_model_get_repository (model) == f->repo);

  /* Counting is asynchronous. */
  g_assert_true (tc_contact_list_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  wait_not_loading (model);
  g_assert_cmpuint (ic.n_calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 0);
  g_assert_cmpuint (ic.removed, ==, 0);
  g_assert_cmpuint (ic.added, ==, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5000);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 5000));

  /* A row not fetched yet is a placeholder, filled in place. */
  item = g_list_model_get_item (G_LIST_MODEL (model), 1234);
  g_assert_nonnull (item);
  g_assert_false (tc_contact_get_loaded (item));
  g_assert_true (tc_contact_list_model_get_loading (model));
  g_signal_connect (item, "notify::loaded", G_CALLBACK (count_notify_cb), &loaded_n);
  again = g_list_model_get_item (G_LIST_MODEL (model), 1234);
  g_assert_true (again == item);
  wait_not_loading (model);
  g_assert_true (tc_contact_get_loaded (item));
  g_assert_cmpuint (loaded_n, ==, 1);
  /* Rows were inserted with names in phone order. */
  phone = batch_phone (1234);
  g_assert_cmpstr (tc_contact_get_phone (item), ==, phone);
  g_assert_cmpuint (_tc_contact_list_model_get_n_cached_pages (model), ==, 1);

  /* Walk the whole list: memory stays bounded. */
  for (guint i = 0; i < 5000; i += 50)
    {
      g_autoptr(TcContact) c = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_nonnull (c);
      wait_not_loading (model);
      g_assert_true (tc_contact_get_loaded (c));
      g_assert_cmpuint (_tc_contact_list_model_get_n_cached_pages (model), <=,
                        _tc_contact_list_model_get_max_cached_pages (model));
    }
  g_assert_cmpuint (_tc_contact_list_model_get_n_cached_pages (model), ==,
                    MIN (_tc_contact_list_model_get_max_cached_pages (model),
                         (5000 + _tc_contact_list_model_get_page_size (model) - 1) /
                         _tc_contact_list_model_get_page_size (model)));

  last = g_list_model_get_item (G_LIST_MODEL (model), 4999);
  wait_not_loading (model);
  g_clear_pointer (&phone, g_free);
  phone = batch_phone (4999);
  g_assert_cmpstr (tc_contact_get_phone (last), ==, phone);
  g_assert_cmpuint (ic.n_calls, ==, 1);

  g_assert_finalize_object (model);
}

static void
test_model_search (Fixture       *f,
                   gconstpointer  data)
{
  TcContactListModel *model;
  ItemsChanged ic = { 0 };
  g_autoptr(TcContact) first = NULL;
  g_autoptr(TcContact) top = NULL;
  g_autoptr(TcContact) row_250 = NULL;
  guint search_n = 0;

  insert_batch_sync (f->repo, 0, 300);
  insert_sync (f->repo, "+447700900123", "Alan", "Turing", NULL);

  model = tc_contact_list_model_new (f->repo);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &ic);
  g_signal_connect (model, "notify::search", G_CALLBACK (count_notify_cb), &search_n);
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 301);
  top = g_list_model_get_item (G_LIST_MODEL (model), 0);
  wait_not_loading (model);
  g_assert_true (tc_contact_get_loaded (top));
  g_assert_cmpstr (tc_contact_get_last_name (top), !=, "Turing");

  /* Three changes in a row before anything answers: only the last one
   * counts, the replies to the first two are ignored. */
  tc_contact_list_model_set_search (model, "First0001");
  tc_contact_list_model_set_search (model, "First000");
  tc_contact_list_model_set_search (model, "turing");
  tc_contact_list_model_set_search (model, "turing");
  g_assert_cmpuint (search_n, ==, 3);
  g_assert_cmpstr (tc_contact_list_model_get_search (model), ==, "turing");
  ic.n_calls = ic.total_removed = ic.total_added = 0;
  wait_not_loading (model);
  /* Not replaced: only the end of the list is removed (one signal, no
   * row for a view to rebuild), and the row held is the same object,
   * refilled in place under the new search (see on_count_cb). */
  g_assert_cmpuint (ic.n_calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 1);
  g_assert_cmpuint (ic.removed, ==, 300);
  g_assert_cmpuint (ic.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (first == top);
  wait_not_loading (model);
  g_assert_true (tc_contact_get_loaded (first));
  g_assert_cmpstr (tc_contact_get_last_name (first), ==, "Turing");
  g_clear_object (&first);

  /* A stale page reply: ask for a page, change the search before it
   * arrives; the placeholder from the old search is never filled. */
  ic.n_calls = 0;
  tc_contact_list_model_set_search (model, NULL);
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 301);
  /* Growing: the rows are added at the end. */
  g_assert_cmpuint (ic.n_calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 1);
  g_assert_cmpuint (ic.removed, ==, 0);
  g_assert_cmpuint (ic.added, ==, 300);
  g_assert_cmpstr (tc_contact_get_last_name (top), !=, "Turing");
  first = g_list_model_get_item (G_LIST_MODEL (model), 250);
  g_assert_false (tc_contact_get_loaded (first));
  tc_contact_list_model_set_search (model, "(415) 555-00");
  wait_not_loading (model);
  g_assert_false (tc_contact_get_loaded (first));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 100);
  g_clear_object (&first);

  /* The pages past the new end were let go. */
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 100));
  g_assert_cmpuint (_tc_contact_list_model_get_n_cached_pages (model), ==, 1);

  /* Tag filter. */
  tc_contact_list_model_set_search (model, NULL);
  tc_contact_list_model_set_tag (model, "nobody-has-this");
  g_assert_cmpstr (tc_contact_list_model_get_tag (model), ==, "nobody-has-this");
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  tc_contact_list_model_set_tag (model, NULL);
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 301);

  /* A row asked for while a count is on its way: its page is fetched
   * once the count is known. */
  tc_contact_list_model_reload (model);
  row_250 = g_list_model_get_item (G_LIST_MODEL (model), 250);
  g_assert_false (tc_contact_get_loaded (row_250));
  wait_not_loading (model);
  g_assert_true (tc_contact_get_loaded (row_250));
  g_clear_object (&row_250);

  g_assert_finalize_object (model);
}

static void
test_model_reload (Fixture       *f,
                   gconstpointer  data)
{
  TcContactListModel *model;
  ItemsChanged ic = { 0 };
  g_autoptr(TcContact) item = NULL;
  g_autoptr(TcContact) edit = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = insert_sync (f->repo, "+14155550001", "Before", "Zed", NULL);
  insert_sync (f->repo, "+14155550002", "Other", "Aaa", NULL);

  model = tc_contact_list_model_new (f->repo);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &ic);
  wait_not_loading (model);
  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  wait_not_loading (model);
  g_assert_cmpstr (tc_contact_get_first_name (item), ==, "Before");

  /* A change elsewhere: same count, the row is refreshed in place. */
  edit = get_sync (f->repo, id, &error);
  g_assert_no_error (error);
  tc_contact_set_first_name (edit, "After");
  ic.n_calls = 0;
  save_sync (f->repo, edit);
  g_assert_true (tc_contact_list_model_get_loading (model));
  wait_not_loading (model);
  g_assert_cmpstr (tc_contact_get_first_name (item), ==, "After");
  g_assert_cmpuint (ic.n_calls, ==, 0);

  /* A new contact: the count changes; a row is added at the end and the
   * rows held are refilled in place (the new one sorts between). */
  ic.total_removed = ic.total_added = 0;
  insert_sync (f->repo, "+14155550003", "New", "Mmm", NULL);
  wait_not_loading (model);
  g_assert_cmpuint (ic.n_calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 2);
  g_assert_cmpuint (ic.total_removed, ==, 0);
  g_assert_cmpuint (ic.total_added, ==, 1);
  g_assert_cmpstr (tc_contact_get_first_name (item), ==, "New");

  /* Explicit reload of an unchanged list does not churn the view. */
  ic.n_calls = 0;
  tc_contact_list_model_reload (model);
  wait_not_loading (model);
  g_assert_cmpuint (ic.n_calls, ==, 0);

  g_assert_finalize_object (model);
}

static void
test_model_before_open (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tc-repo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "early.db", NULL);
  TcRepository *repo = tc_repository_new (path);
  TcContactListModel *model;
  ItemsChanged ic = { 0 };

  tc_test_open_ok (repo);
  insert_batch_sync (repo, 0, 3);
  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);

  /* The GUI may build its list before the workspace is open. */
  repo = tc_repository_new (path);
  model = tc_contact_list_model_new (repo);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &ic);
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  tc_test_open_ok (repo);
  wait_not_loading (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpuint (ic.added, ==, 3);

  g_assert_finalize_object (model);
  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tc/db/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/tc/model/contact/notify", test_contact_notify);
  g_test_add_func ("/tc/model/contact/properties", test_contact_properties);
  g_test_add_func ("/tc/model/contact/fill-from", test_contact_fill_from);
  g_test_add_func ("/tc/model/contact/phone-display", test_contact_phone_display);
  g_test_add_func ("/tc/model/consent/notify", test_consent_notify);

  ADD ("migrate/empty", test_migrate_empty);
  g_test_add_func ("/tc/db/migrate/from-v1", test_migrate_from_v1);
  g_test_add_func ("/tc/db/open/too-new", test_open_too_new);
  g_test_add_func ("/tc/db/open/corrupt", test_open_corrupt);
  g_test_add_func ("/tc/db/open/cant-create", test_open_cant_create);
  g_test_add_func ("/tc/db/open/queue-while-opening", test_queue_while_opening);
  g_test_add_func ("/tc/db/open/close-while-opening", test_close_while_opening);
  ADD ("crud", test_crud);
  ADD ("tags", test_tags);
  ADD ("upsert", test_upsert);
  ADD ("upsert-rollback", test_upsert_rollback);
  ADD ("bulk", test_bulk);
  ADD ("search", test_search);
  ADD ("order", test_order);
  ADD ("read-during-write", test_read_during_write);
  ADD ("cancel", test_cancel);
  ADD ("signal-and-errors", test_signal_and_errors);
  ADD ("job-hygiene", test_job_hygiene);
  g_test_add_func ("/tc/db/thread-niceness", test_thread_niceness);
  ADD ("model/paging", test_model_paging);
  ADD ("model/search", test_model_search);
  ADD ("model/reload", test_model_reload);
  g_test_add_func ("/tc/db/model/before-open", test_model_before_open);

#undef ADD

  return g_test_run ();
}
