/* test-templates.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-templates"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-contact.h"
#include "tc-enums.h"
#include "tc-repository.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-test-util.h"

/* ------------------------------------------------------------------------
 * Helpers
 */

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-templates-XXXXXX", "textcast.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (f);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  tc_test_sql_exec (path, sql);
}

static gint64
raw_query_int (const char *path,
               const char *sql)
{
  return tc_test_sql_int (path, sql);
}

/* Saves @template; returns whether a version was added, or fails the test
 * unless @error is given. */
static gboolean
save (TcRepository  *repo,
      TcTemplate    *template,
      gboolean      *new_version,
      GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_save_template_async (repo, template, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_repository_save_template_finish (repo, res, new_version, error);
}

static void
save_ok (TcRepository *repo,
         TcTemplate   *template,
         gboolean      expect_new_version)
{
  g_autoptr(GError) error = NULL;
  gboolean new_version = !expect_new_version;

  g_assert_true (save (repo, template, &new_version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (new_version, ==, expect_new_version);
  g_assert_cmpint (tc_template_get_id (template), >, 0);
}

static TcTemplate *
get_template (TcRepository  *repo,
              gint64         id,
              int            version,
              GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_get_template_async (repo, id, version, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_repository_get_template_finish (repo, res, error);
}

static TcTemplate *
find_template (TcRepository  *repo,
               int            kind,
               const char    *name,
               int            version,
               GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_find_template_async (repo, kind, name, version, NULL,
                                     tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_repository_find_template_finish (repo, res, error);
}

static GPtrArray *
list_templates (TcRepository *repo,
                int           kind)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  tc_repository_list_templates_async (repo, kind, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  list = tc_repository_list_templates_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);

  return list;
}

static GPtrArray *
list_versions (TcRepository *repo,
               gint64        id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  tc_repository_list_template_versions_async (repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  list = tc_repository_list_template_versions_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);

  return list;
}

static TcTemplate *
duplicate (TcRepository *repo,
           gint64        id)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcTemplate *copy;

  tc_repository_duplicate_template_async (repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  copy = tc_repository_duplicate_template_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  return copy;
}

static gboolean
delete_template (TcRepository  *repo,
                 gint64         id,
                 GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_repository_delete_template_async (repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_repository_delete_template_finish (repo, res, error);
}

static TcTemplate *
new_sms (const char *name,
         const char *body)
{
  TcTemplate *template = tc_template_new (TC_TEMPLATE_KIND_SMS, name);

  tc_template_set_body (template, body);
  tc_template_set_language (template, "en");

  return template;
}

/* ------------------------------------------------------------------------
 * The object
 */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_template_properties (void)
{
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "order_shipped");
  g_autoptr(TcTemplate) copy = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (1700000000);
  g_autoptr(GDateTime) same = g_date_time_new_from_unix_utc (1700000000);
  guint n_notify = 0;
  g_autofree char *name = NULL;
  TcTemplateKind kind = TC_TEMPLATE_KIND_SMS;

  /* Defaults: strings are never NULL, a new template is a draft. */
  g_assert_cmpstr (tc_template_get_body (template), ==, "");
  g_assert_cmpstr (tc_template_get_definition (template), ==, "");
  g_assert_cmpstr (tc_template_get_status (template), ==, "draft");
  g_assert_cmpint (tc_template_get_version (template), ==, 0);
  g_assert_cmpint (tc_template_get_id (template), ==, 0);
  g_assert_null (tc_template_get_created_at (template));

  g_signal_connect (template, "notify", G_CALLBACK (count_notify_cb), &n_notify);

  tc_template_set_body (template, "Hi");
  tc_template_set_body (template, "Hi");
  g_assert_cmpuint (n_notify, ==, 1);
  tc_template_set_body (template, NULL);
  g_assert_cmpstr (tc_template_get_body (template), ==, "");
  g_assert_cmpuint (n_notify, ==, 2);
  tc_template_set_body (template, "");
  g_assert_cmpuint (n_notify, ==, 2);

  tc_template_set_purpose (template, TC_PURPOSE_TRANSACTIONAL);
  tc_template_set_purpose (template, TC_PURPOSE_TRANSACTIONAL);
  g_assert_cmpuint (n_notify, ==, 3);
  tc_template_set_version (template, 4);
  tc_template_set_version (template, 4);
  g_assert_cmpuint (n_notify, ==, 4);
  tc_template_set_updated_at (template, when);
  tc_template_set_updated_at (template, same);
  g_assert_cmpuint (n_notify, ==, 5);
  tc_template_set_status (template, "rejected");
  tc_template_set_status_reason (template, "INVALID_FORMAT");
  g_assert_cmpuint (n_notify, ==, 7);

  g_object_set (template, "kind", TC_TEMPLATE_KIND_SNIPPET, "name", "footer", NULL);
  g_assert_cmpuint (n_notify, ==, 9);
  g_object_set (template, "media-url", "https://example.com/a.jpg", "media-type", "image/jpeg", NULL);
  g_assert_cmpuint (n_notify, ==, 11);
  tc_template_set_media_url (template, "https://example.com/a.jpg");
  g_assert_cmpuint (n_notify, ==, 11);
  g_object_get (template, "name", &name, "kind", &kind, NULL);
  g_assert_cmpstr (name, ==, "footer");
  g_assert_cmpint (kind, ==, TC_TEMPLATE_KIND_SNIPPET);

  copy = tc_template_copy (template);
  g_assert_cmpstr (tc_template_get_name (copy), ==, "footer");
  g_assert_cmpstr (tc_template_get_status_reason (copy), ==, "INVALID_FORMAT");
  g_assert_cmpint (tc_template_get_version (copy), ==, 4);
  g_assert_true (g_date_time_equal (tc_template_get_updated_at (copy), when));
  g_assert_false (tc_template_content_differs (template, copy));

  /* Name and status are not content: they never make a version. */
  tc_template_set_name (copy, "signature");
  tc_template_set_status (copy, "approved");
  g_assert_false (tc_template_content_differs (template, copy));
  tc_template_set_language (copy, "de");
  g_assert_true (tc_template_content_differs (template, copy));
  tc_template_set_language (copy, tc_template_get_language (template));
  tc_template_set_purpose (copy, TC_PURPOSE_PROMOTIONAL);
  g_assert_true (tc_template_content_differs (template, copy));
  tc_template_set_purpose (copy, TC_PURPOSE_TRANSACTIONAL);
  tc_template_set_definition (copy, "{}");
  g_assert_true (tc_template_content_differs (template, copy));
  tc_template_set_definition (copy, tc_template_get_definition (template));
  g_assert_cmpstr (tc_template_get_media_url (copy), ==, "https://example.com/a.jpg");
  g_assert_false (tc_template_content_differs (template, copy));
  tc_template_set_media_url (copy, "https://example.com/b.jpg");
  g_assert_true (tc_template_content_differs (template, copy));
  tc_template_set_media_url (copy, tc_template_get_media_url (template));
  tc_template_set_media_type (copy, "image/png");
  g_assert_true (tc_template_content_differs (template, copy));
}

static void
test_template_kind_strings (void)
{
  static const struct {
    const char     *text;
    gboolean        valid;
    TcTemplateKind  kind;
  } cases[] = {
    { "sms", TRUE, TC_TEMPLATE_KIND_SMS },
    { "whatsapp", TRUE, TC_TEMPLATE_KIND_WHATSAPP },
    { "snippet", TRUE, TC_TEMPLATE_KIND_SNIPPET },
    { "SMS", FALSE, 0 },
    { "snippets", FALSE, 0 },
    { "", FALSE, 0 },
    { NULL, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcTemplateKind kind = 99;

      g_assert_cmpint (tc_template_kind_from_string (cases[i].text, &kind), ==, cases[i].valid);
      if (cases[i].valid)
        {
          g_assert_cmpint (kind, ==, cases[i].kind);
          g_assert_cmpstr (tc_template_kind_to_string (kind), ==, cases[i].text);
        }
      else
        g_assert_cmpint (kind, ==, 99);
    }
}

/* ------------------------------------------------------------------------
 * Storage
 */

static void
test_migrate_from_2 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-templates-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v2.db", NULL);
  g_autoptr(TcTemplate) template = new_sms ("Welcome", "Hi {{first_name|there}}");
  g_autoptr(GPtrArray) list = NULL;
  TcRepository *repo;

  g_assert_no_error (error);

  /* A database as version 2 of Textcast left it. */
  raw_exec (path,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE contacts ("
            "  id INTEGER PRIMARY KEY, phone TEXT NOT NULL UNIQUE CHECK (phone <> ''),"
            "  first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '',"
            "  email TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '',"
            "  country TEXT NOT NULL DEFAULT '', timezones TEXT NOT NULL DEFAULT '',"
            "  attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (attributes)),"
            "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
            "  sort_key TEXT NOT NULL DEFAULT '', search_text TEXT NOT NULL DEFAULT '');"
            "CREATE INDEX contacts_sort ON contacts (sort_key, search_text);"
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
            "INSERT INTO contacts (id, phone, first_name, last_name, attributes, created_at,"
            "                      updated_at, sort_key, search_text) VALUES"
            "  (1, '+4915112345678', 'Jürgen', 'Özdemir', '{\"tier\":\"gold\"}', 1600000000,"
            "   1600000000, 'ozdemir\x01jurgen\x01+4915112345678', 'jurgen ozdemir'),"
            "  (2, '+33612345678', 'Amélie', 'Dupont', '{}', 1600000001, 1600000001,"
            "   'dupont\x01amelie\x01+33612345678', 'amelie dupont');"
            "INSERT INTO tags (id, name) VALUES (1, 'vip');"
            "INSERT INTO contact_tags VALUES (1, 1);"
            "INSERT INTO consents (contact_id, channel, purpose, status, recorded_at) VALUES"
            "  (1, 'sms', 'promotional', 'opted_in', 1600000100);"
            "PRAGMA user_version = 2;");

  repo = tc_repository_new (path);
  tc_test_open_ok (repo);

  g_assert_cmpint (raw_query_int (path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  /* The contacts, their tags and consents are untouched. */
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM contacts"), ==, 2);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM contact_tags"), ==, 1);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM consent_events"), ==, 1);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM contacts WHERE first_name = 'Jürgen'"
                                        " AND json_extract (attributes, '$.tier') = 'gold'"), ==, 1);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                        " ('templates', 'template_versions')"), ==, 2);

  /* And the new tables work. */
  save_ok (repo, template, TRUE);
  list = list_templates (repo, -1);
  g_assert_cmpuint (list->len, ==, 1);

  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

/* A version 4 database (made by dropping the media columns, which is what
 * version 4 did not have) keeps its templates when opened, and their
 * versions read as "no media". */
static void
test_migrate_from_4 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tc-templates-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v4.db", NULL);
  g_autoptr(TcTemplate) template = new_sms ("Welcome", "Hi {{first_name|there}}");
  g_autoptr(TcTemplate) loaded = NULL;
  TcRepository *repo;
  gint64 id;

  g_assert_no_error (error);

  repo = tc_repository_new (path);
  tc_test_open_ok (repo);
  save_ok (repo, template, TRUE);
  tc_template_set_body (template, "Hello {{first_name|there}}");
  save_ok (repo, template, TRUE);
  id = tc_template_get_id (template);
  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);

  raw_exec (path,
            TC_TEST_UNDO_SCHEMA_6
            "ALTER TABLE template_versions DROP COLUMN media_type;"
            "ALTER TABLE template_versions DROP COLUMN media_url;"
            "PRAGMA user_version = 4;");
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM pragma_table_info ('template_versions')"
                                        " WHERE name LIKE 'media%'"), ==, 0);

  repo = tc_repository_new (path);
  tc_test_open_ok (repo);
  g_assert_cmpint (raw_query_int (path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  g_assert_cmpint (raw_query_int (path, "SELECT count(*) FROM template_versions"), ==, 2);

  loaded = get_template (repo, id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_body (loaded), ==, "Hi {{first_name|there}}");
  g_assert_cmpstr (tc_template_get_media_url (loaded), ==, "");
  g_assert_cmpstr (tc_template_get_media_type (loaded), ==, "");
  g_clear_object (&loaded);

  /* Media can be added to the migrated template: a new version. */
  loaded = get_template (repo, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_template_get_version (loaded), ==, 2);
  tc_template_set_media_url (loaded, "https://example.com/a.png");
  tc_template_set_media_type (loaded, "image/png");
  save_ok (repo, loaded, TRUE);
  g_assert_cmpint (tc_template_get_version (loaded), ==, 3);

  tc_repository_close (repo);
  tc_test_drain_main_context ();
  g_assert_finalize_object (repo);
  tc_test_rm_rf (dir);
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TcTemplate) template = new_sms ("Welcome", "Hi {{first_name|there}}, welcome!");
  g_autoptr(TcTemplate) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *created;

  tc_template_set_purpose (template, TC_PURPOSE_TRANSACTIONAL);
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 1);
  created = tc_template_get_created_at (template);
  g_assert_nonnull (created);
  g_assert_nonnull (tc_template_get_updated_at (template));

  loaded = get_template (f->repo, tc_template_get_id (template), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_name (loaded), ==, "Welcome");
  g_assert_cmpint (tc_template_get_kind (loaded), ==, TC_TEMPLATE_KIND_SMS);
  g_assert_cmpstr (tc_template_get_body (loaded), ==, "Hi {{first_name|there}}, welcome!");
  g_assert_cmpstr (tc_template_get_language (loaded), ==, "en");
  g_assert_cmpint (tc_template_get_purpose (loaded), ==, TC_PURPOSE_TRANSACTIONAL);
  g_assert_cmpint (tc_template_get_version (loaded), ==, 1);
  g_assert_cmpstr (tc_template_get_status (loaded), ==, "draft");
  g_assert_true (g_date_time_equal (tc_template_get_created_at (loaded), created));
  g_clear_object (&loaded);

  /* A rename is not a new version. */
  tc_template_set_name (template, "Welcome message");
  save_ok (f->repo, template, FALSE);
  g_assert_cmpint (tc_template_get_version (template), ==, 1);

  list = list_templates (f->repo, TC_TEMPLATE_KIND_SMS);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (tc_template_get_name (g_ptr_array_index (list, 0)), ==, "Welcome message");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (delete_template (f->repo, tc_template_get_id (template), &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"), ==, 0);

  loaded = get_template (f->repo, tc_template_get_id (template), 0, &error);
  g_assert_null (loaded);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (delete_template (f->repo, tc_template_get_id (template), &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = list_templates (f->repo, -1);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TcTemplate) template = new_sms ("Sale", "20% off today");
  g_autoptr(TcTemplate) v1 = NULL;
  g_autoptr(TcTemplate) latest = NULL;
  g_autoptr(TcTemplate) missing = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  save_ok (f->repo, template, TRUE);
  id = tc_template_get_id (template);

  /* Saving what is stored adds nothing. */
  save_ok (f->repo, template, FALSE);
  g_assert_cmpint (tc_template_get_version (template), ==, 1);

  /* Each content field makes a version. */
  tc_template_set_body (template, "30% off today");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 2);
  tc_template_set_language (template, "en_GB");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 3);
  tc_template_set_purpose (template, TC_PURPOSE_TRANSACTIONAL);
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 4);
  tc_template_set_definition (template, "{\"x\":1}");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 5);

  /* Old versions keep their text. */
  v1 = get_template (f->repo, id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_body (v1), ==, "20% off today");
  g_assert_cmpstr (tc_template_get_language (v1), ==, "en");
  g_assert_cmpint (tc_template_get_purpose (v1), ==, TC_PURPOSE_PROMOTIONAL);
  g_assert_cmpint (tc_template_get_version (v1), ==, 1);

  latest = get_template (f->repo, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_template_get_version (latest), ==, 5);
  g_assert_cmpstr (tc_template_get_body (latest), ==, "30% off today");
  g_assert_cmpstr (tc_template_get_definition (latest), ==, "{\"x\":1}");

  missing = get_template (f->repo, id, 6, &error);
  g_assert_null (missing);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  versions = list_versions (f->repo, id);
  g_assert_cmpuint (versions->len, ==, 5);
  for (guint i = 0; i < versions->len; i++)
    g_assert_cmpint (tc_template_get_version (g_ptr_array_index (versions, i)), ==, 5 - (int) i);
  g_assert_cmpstr (tc_template_get_body (g_ptr_array_index (versions, 4)), ==, "20% off today");

  /* The stored rows, not just the objects: one row per version. */
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"), ==, 5);
  g_assert_cmpint (raw_query_int (f->path, "SELECT current_version FROM templates"), ==, 5);
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TcTemplate) template = new_sms ("Spring", "New arrivals in store");
  g_autoptr(TcTemplate) copy = NULL;
  g_autoptr(TcTemplate) loaded = NULL;
  g_autoptr(TcTemplate) v1 = NULL;
  g_autoptr(TcTemplate) dup = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  tc_template_set_media_url (template, "https://cdn.example.com/spring.jpg");
  tc_template_set_media_type (template, "image/jpeg");
  save_ok (f->repo, template, TRUE);
  id = tc_template_get_id (template);

  /* Saved and read back, and copied with the rest. */
  loaded = get_template (f->repo, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_media_url (loaded), ==, "https://cdn.example.com/spring.jpg");
  g_assert_cmpstr (tc_template_get_media_type (loaded), ==, "image/jpeg");
  copy = tc_template_copy (loaded);
  g_assert_cmpstr (tc_template_get_media_url (copy), ==, "https://cdn.example.com/spring.jpg");
  g_assert_false (tc_template_content_differs (copy, loaded));
  g_clear_object (&loaded);

  /* Unchanged: no version. */
  save_ok (f->repo, template, FALSE);
  g_assert_cmpint (tc_template_get_version (template), ==, 1);

  /* Another picture is a new version; so is another type of the same URL,
   * and so is removing the picture. */
  tc_template_set_media_url (template, "https://cdn.example.com/summer.png");
  tc_template_set_media_type (template, "image/png");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 2);
  tc_template_set_media_type (template, "image/gif");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 3);
  tc_template_set_media_url (template, "");
  tc_template_set_media_type (template, "");
  save_ok (f->repo, template, TRUE);
  g_assert_cmpint (tc_template_get_version (template), ==, 4);

  /* Each version keeps its own picture. */
  v1 = get_template (f->repo, id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_media_url (v1), ==, "https://cdn.example.com/spring.jpg");
  g_assert_cmpstr (tc_template_get_media_type (v1), ==, "image/jpeg");
  loaded = get_template (f->repo, id, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_media_url (loaded), ==, "https://cdn.example.com/summer.png");
  g_clear_object (&loaded);
  loaded = get_template (f->repo, id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_media_url (loaded), ==, "");
  g_assert_cmpstr (tc_template_get_media_type (loaded), ==, "");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"
                                           " WHERE media_url <> ''"), ==, 3);

  /* A duplicate takes the latest version's media (none) — and of a
   * version with media, the media. */
  tc_template_set_media_url (template, "https://cdn.example.com/spring.jpg");
  tc_template_set_media_type (template, "image/jpeg");
  save_ok (f->repo, template, TRUE);
  dup = duplicate (f->repo, id);
  g_assert_cmpstr (tc_template_get_media_url (dup), ==, "https://cdn.example.com/spring.jpg");
  g_assert_cmpstr (tc_template_get_media_type (dup), ==, "image/jpeg");
}

static void
test_whatsapp_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TcTemplate) template = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "order_shipped");
  g_autoptr(TcTemplate) loaded = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_template_set_definition (template, "{\"name\":\"order_shipped\"}");
  tc_template_set_language (template, "en_US");
  save_ok (f->repo, template, TRUE);

  /* The provider answers: a status is not a version. */
  tc_repository_set_template_status_async (f->repo, tc_template_get_id (template),
                                           "rejected", "INVALID_FORMAT", NULL,
                                           tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_set_template_status_finish (f->repo, res, &error));
  g_assert_no_error (error);

  loaded = get_template (f->repo, tc_template_get_id (template), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_status (loaded), ==, "rejected");
  g_assert_cmpstr (tc_template_get_status_reason (loaded), ==, "INVALID_FORMAT");
  g_assert_cmpint (tc_template_get_version (loaded), ==, 1);

  /* Fixing the content sends it back to draft. */
  tc_template_set_definition (loaded, "{\"name\":\"order_shipped\",\"v\":2}");
  save_ok (f->repo, loaded, TRUE);
  g_assert_cmpstr (tc_template_get_status (loaded), ==, "draft");
  g_assert_cmpstr (tc_template_get_status_reason (loaded), ==, "");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM templates WHERE status = 'draft'"
                                           " AND status_reason = ''"), ==, 1);

  /* Approved, then saved unchanged: stays approved. */
  tc_template_set_status (loaded, "approved");
  save_ok (f->repo, loaded, FALSE);
  save_ok (f->repo, loaded, FALSE);
  g_assert_cmpstr (tc_template_get_status (loaded), ==, "approved");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM templates WHERE status = 'approved'"), ==, 1);
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TcTemplate) template = new_sms ("Welcome", "first");
  g_autoptr(TcTemplate) copy1 = NULL;
  g_autoptr(TcTemplate) copy2 = NULL;
  g_autoptr(TcTemplate) copy3 = NULL;
  g_autoptr(TcTemplate) snippet = tc_template_new (TC_TEMPLATE_KIND_SNIPPET, "Welcome");
  g_autoptr(TcTemplate) snippet_copy = NULL;

  save_ok (f->repo, template, TRUE);
  tc_template_set_body (template, "second");
  save_ok (f->repo, template, TRUE);

  copy1 = duplicate (f->repo, tc_template_get_id (template));
  g_assert_cmpstr (tc_template_get_name (copy1), ==, "Copy of Welcome");
  g_assert_cmpint (tc_template_get_kind (copy1), ==, TC_TEMPLATE_KIND_SMS);
  g_assert_cmpint (tc_template_get_id (copy1), !=, tc_template_get_id (template));
  /* The latest text, as a fresh history. */
  g_assert_cmpstr (tc_template_get_body (copy1), ==, "second");
  g_assert_cmpint (tc_template_get_version (copy1), ==, 1);
  g_assert_nonnull (tc_template_get_created_at (copy1));

  copy2 = duplicate (f->repo, tc_template_get_id (template));
  g_assert_cmpstr (tc_template_get_name (copy2), ==, "Copy of Welcome (2)");
  copy3 = duplicate (f->repo, tc_template_get_id (template));
  g_assert_cmpstr (tc_template_get_name (copy3), ==, "Copy of Welcome (3)");

  /* Names are per kind: the snippet's copy is the first of its kind. */
  save_ok (f->repo, snippet, TRUE);
  snippet_copy = duplicate (f->repo, tc_template_get_id (snippet));
  g_assert_cmpstr (tc_template_get_name (snippet_copy), ==, "Copy of Welcome");
  g_assert_cmpint (tc_template_get_kind (snippet_copy), ==, TC_TEMPLATE_KIND_SNIPPET);

  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM templates"), ==, 6);
}

static void
test_snippets_and_kinds (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TcTemplate) footer = tc_template_new (TC_TEMPLATE_KIND_SNIPPET, "footer");
  g_autoptr(TcTemplate) sms_footer = new_sms ("footer", "An SMS called footer");
  g_autoptr(TcTemplate) promo = new_sms ("Promo", "Sale! {{> footer}}");
  g_autoptr(TcTemplate) wa = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "abandoned_cart");
  g_autoptr(TcTemplate) found = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) snippets = NULL;
  g_autoptr(GError) error = NULL;

  tc_template_set_body (footer, "Reply STOP to opt out");
  save_ok (f->repo, footer, TRUE);
  save_ok (f->repo, sms_footer, TRUE);
  save_ok (f->repo, promo, TRUE);
  save_ok (f->repo, wa, TRUE);

  snippets = list_templates (f->repo, TC_TEMPLATE_KIND_SNIPPET);
  g_assert_cmpuint (snippets->len, ==, 1);
  g_assert_cmpstr (tc_template_get_body (g_ptr_array_index (snippets, 0)), ==, "Reply STOP to opt out");

  /* SMS (by name, case-insensitive), then WhatsApp, then snippets. */
  all = list_templates (f->repo, -1);
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpstr (tc_template_get_name (g_ptr_array_index (all, 0)), ==, "footer");
  g_assert_cmpint (tc_template_get_kind (g_ptr_array_index (all, 0)), ==, TC_TEMPLATE_KIND_SMS);
  g_assert_cmpstr (tc_template_get_name (g_ptr_array_index (all, 1)), ==, "Promo");
  g_assert_cmpint (tc_template_get_kind (g_ptr_array_index (all, 2)), ==, TC_TEMPLATE_KIND_WHATSAPP);
  g_assert_cmpint (tc_template_get_kind (g_ptr_array_index (all, 3)), ==, TC_TEMPLATE_KIND_SNIPPET);

  /* By name: ambiguous across kinds until the kind is given. */
  found = find_template (f->repo, -1, "footer", 0, &error);
  g_assert_null (found);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "footer"));
  g_clear_error (&error);

  found = find_template (f->repo, TC_TEMPLATE_KIND_SNIPPET, "footer", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_template_get_id (found), ==, tc_template_get_id (footer));
  g_clear_object (&found);

  found = find_template (f->repo, -1, "Promo", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_body (found), ==, "Sale! {{> footer}}");
  g_clear_object (&found);

  found = find_template (f->repo, -1, "nothing", 0, &error);
  g_assert_null (found);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
}

static void
test_unique_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcTemplate) first = new_sms ("Welcome", "one");
  g_autoptr(TcTemplate) second = new_sms ("Welcome", "two");
  g_autoptr(TcTemplate) other = new_sms ("Other", "three");
  g_autoptr(TcTemplate) blank = new_sms (" \t", "four");
  g_autoptr(TcTemplate) loaded = NULL;
  g_autoptr(GError) error = NULL;

  save_ok (f->repo, first, TRUE);

  g_assert_false (save (f->repo, second, NULL, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "There is already an SMS template called “Welcome”: choose another name");
  g_clear_error (&error);
  g_assert_cmpint (tc_template_get_id (second), ==, 0);

  /* Renaming onto a taken name fails the same way, and changes nothing. */
  save_ok (f->repo, other, TRUE);
  tc_template_set_name (other, "Welcome");
  tc_template_set_body (other, "changed");
  g_assert_false (save (f->repo, other, NULL, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "“Welcome”"));
  g_clear_error (&error);

  loaded = get_template (f->repo, tc_template_get_id (other), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_template_get_name (loaded), ==, "Other");
  g_assert_cmpstr (tc_template_get_body (loaded), ==, "three");
  g_assert_cmpint (tc_template_get_version (loaded), ==, 1);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"), ==, 2);

  g_assert_false (save (f->repo, blank, NULL, &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
}

static void
test_attribute_names (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const attrs[][2] = {
    { "tier", "gold" },
    { "city", "Lyon" },
    { "tier", "silver" },
    { "cart_url", "https://shop.example/c/1" },
  };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
    {
      g_autoptr(TcContact) contact = tc_contact_new ();
      g_autoptr(GAsyncResult) saved = NULL;
      g_autofree char *phone = g_strdup_printf ("+3361234560%u", i);

      tc_contact_set_phone (contact, phone);
      tc_contact_set_attribute (contact, attrs[i][0], attrs[i][1]);
      tc_repository_save_contact_async (f->repo, contact, NULL, tc_repository_store_result_cb, &saved);
      tc_repository_wait (&saved);
      g_assert_true (tc_repository_save_contact_finish (f->repo, saved, &error));
      g_assert_no_error (error);
    }

  tc_repository_list_attribute_names_async (f->repo, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  names = tc_repository_list_attribute_names_finish (f->repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "cart_url");
  g_assert_cmpstr (names[1], ==, "city");
  g_assert_cmpstr (names[2], ==, "tier");
}

static void
on_contacts_changed_cb (TcRepository *repo,
                        gpointer      user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_no_contacts_changed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TcTemplate) template = new_sms ("Quiet", "text");
  guint n_changed = 0;
  gulong id;

  id = g_signal_connect (f->repo, "contacts-changed", G_CALLBACK (on_contacts_changed_cb), &n_changed);
  save_ok (f->repo, template, TRUE);
  g_assert_true (delete_template (f->repo, tc_template_get_id (template), NULL));
  tc_test_drain_main_context ();
  g_assert_cmpuint (n_changed, ==, 0);
  g_signal_handler_disconnect (f->repo, id);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/templates/object/properties", test_template_properties);
  g_test_add_func ("/tc/templates/object/kind-strings", test_template_kind_strings);
  g_test_add_func ("/tc/templates/migrate-from-2", test_migrate_from_2);
  g_test_add_func ("/tc/templates/migrate-from-4", test_migrate_from_4);
  g_test_add ("/tc/templates/crud", Fixture, NULL, fixture_set_up, test_crud, fixture_tear_down);
  g_test_add ("/tc/templates/versions", Fixture, NULL, fixture_set_up, test_versions, fixture_tear_down);
  g_test_add ("/tc/templates/media", Fixture, NULL, fixture_set_up, test_media, fixture_tear_down);
  g_test_add ("/tc/templates/whatsapp-status", Fixture, NULL, fixture_set_up, test_whatsapp_status, fixture_tear_down);
  g_test_add ("/tc/templates/duplicate", Fixture, NULL, fixture_set_up, test_duplicate, fixture_tear_down);
  g_test_add ("/tc/templates/snippets-and-kinds", Fixture, NULL, fixture_set_up, test_snippets_and_kinds, fixture_tear_down);
  g_test_add ("/tc/templates/unique-names", Fixture, NULL, fixture_set_up, test_unique_names, fixture_tear_down);
  g_test_add ("/tc/templates/attribute-names", Fixture, NULL, fixture_set_up, test_attribute_names, fixture_tear_down);
  g_test_add ("/tc/templates/no-contacts-changed", Fixture, NULL, fixture_set_up, test_no_contacts_changed, fixture_tear_down);

  return g_test_run ();
}
