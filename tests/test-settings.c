/* test-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Schema 4 through the public API: workspace settings (tc-settings.h) and
 * tracked short links (tc-short-links.h), and the migration from schema 3.
 */

#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-contact.h"
#include "tc-links.h"
#include "tc-repository.h"
#include "tc-settings.h"
#include "tc-short-links.h"
#include "tc-test-util.h"

typedef TcTestRepo Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (f, "tc-settings-XXXXXX", "textcast.db");
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

/* Settings ------------------------------------------------------------- */

static char *
get (TcRepository *repo,
     const char   *key)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  tc_settings_get_async (repo, key, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  value = tc_settings_get_finish (repo, res, &error);
  g_assert_no_error (error);

  return value;
}

static gboolean
set (TcRepository  *repo,
     const char    *key,
     const char    *value,
     GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_settings_set_async (repo, key, value, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_settings_set_finish (repo, res, error);
}

static void
set_ok (TcRepository *repo,
        const char   *key,
        const char   *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (set (repo, key, value, &error));
  g_assert_no_error (error);
}

static GHashTable *
get_all (TcRepository *repo,
         const char   *prefix)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *values;

  tc_settings_get_all_async (repo, prefix, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  values = tc_settings_get_all_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);

  return values;
}

static void
test_get_set_unset (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *missing = get (f->repo, TC_SETTING_BRAND_NAME);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *empty = NULL;

  g_assert_null (missing);

  set_ok (f->repo, TC_SETTING_BRAND_NAME, "Acme Shoes");
  first = get (f->repo, TC_SETTING_BRAND_NAME);
  g_assert_cmpstr (first, ==, "Acme Shoes");

  set_ok (f->repo, TC_SETTING_BRAND_NAME, "Acme Chaussures été");
  second = get (f->repo, TC_SETTING_BRAND_NAME);
  g_assert_cmpstr (second, ==, "Acme Chaussures été");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM settings WHERE key NOT LIKE 'privacy.%'"), ==, 1);

  /* An empty value is a value, not an unset key. */
  set_ok (f->repo, TC_SETTING_SHORT_LINK_DOMAIN, "");
  empty = get (f->repo, TC_SETTING_SHORT_LINK_DOMAIN);
  g_assert_cmpstr (empty, ==, "");

  set_ok (f->repo, TC_SETTING_BRAND_NAME, NULL);
  removed = get (f->repo, TC_SETTING_BRAND_NAME);
  g_assert_null (removed);
  /* Removing what is not there is fine. */
  set_ok (f->repo, TC_SETTING_BRAND_NAME, NULL);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM settings WHERE key NOT LIKE 'privacy.%'"), ==, 1);
}

static void
test_get_all (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GHashTable) all = NULL;
  g_autoptr(GHashTable) http = NULL;
  g_autoptr(GHashTable) optout = NULL;
  g_autoptr(GHashTable) literal = NULL;
  g_autoptr(GHashTable) none = NULL;

  set_ok (f->repo, TC_SETTING_HTTP_PORT, "9000");
  set_ok (f->repo, TC_SETTING_HTTP_ADDRESS, "::1");
  set_ok (f->repo, TC_SETTING_OPTOUT_TEXT_PREFIX "fr", "STOP au 36111");
  set_ok (f->repo, TC_SETTING_OPTOUT_TEXT_PREFIX "de", "STOP an 36111");
  set_ok (f->repo, "x_y.a", "1");
  set_ok (f->repo, "xzy.b", "2");

  all = get_all (f->repo, "");
  g_assert_cmpuint (g_hash_table_size (all), ==, 6);

  http = get_all (f->repo, "http.");
  g_assert_cmpuint (g_hash_table_size (http), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (http, TC_SETTING_HTTP_PORT), ==, "9000");
  g_assert_cmpstr (g_hash_table_lookup (http, TC_SETTING_HTTP_ADDRESS), ==, "::1");

  optout = get_all (f->repo, TC_SETTING_OPTOUT_TEXT_PREFIX);
  g_assert_cmpuint (g_hash_table_size (optout), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (optout, "optout.text.fr"), ==, "STOP au 36111");

  /* '_' in a prefix is a character, not a LIKE wildcard. */
  literal = get_all (f->repo, "x_y.");
  g_assert_cmpuint (g_hash_table_size (literal), ==, 1);
  g_assert_true (g_hash_table_contains (literal, "x_y.a"));

  none = get_all (f->repo, "brand.");
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *key;
    const char *value;
    gboolean    valid;
  } cases[] = {
    { TC_SETTING_HTTP_PORT, "8642", TRUE },
    { TC_SETTING_HTTP_PORT, "0", TRUE },
    { TC_SETTING_HTTP_PORT, "65535", TRUE },
    { TC_SETTING_HTTP_PORT, "65536", FALSE },
    { TC_SETTING_HTTP_PORT, "-1", FALSE },
    { TC_SETTING_HTTP_PORT, "80a", FALSE },
    { TC_SETTING_HTTP_PORT, "", FALSE },
    { TC_SETTING_HTTP_ADDRESS, "127.0.0.1", TRUE },
    { TC_SETTING_HTTP_ADDRESS, "0.0.0.0", TRUE },
    { TC_SETTING_HTTP_ADDRESS, "::1", TRUE },
    { TC_SETTING_HTTP_ADDRESS, "localhost", FALSE },
    { TC_SETTING_HTTP_ADDRESS, "127.0.0.1:8642", FALSE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "go.acme.example", TRUE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "", TRUE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "tč.example", TRUE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "https://go.acme.example", FALSE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "go.acme.example/l", FALSE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "go acme", FALSE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "go..example", FALSE },
    { TC_SETTING_SHORT_LINK_DOMAIN, "go.example:8080", FALSE },
    { TC_SETTING_OPTOUT_EVERY_MESSAGE, "true", TRUE },
    { TC_SETTING_OPTOUT_EVERY_MESSAGE, "false", TRUE },
    { TC_SETTING_OPTOUT_EVERY_MESSAGE, "yes", FALSE },
    { TC_SETTING_BRAND_NAME, "anything at all", TRUE },
    { "", "x", FALSE },
    { "custom.key", "\xff", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = set (f->repo, cases[i].key, cases[i].value, &error);

      if (cases[i].valid)
        {
          g_autofree char *stored = get (f->repo, cases[i].key);

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (stored, ==, cases[i].value);
        }
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_false (ok);
        }
    }
}

static void
count_cb (TcRepository *repo,
          const char   *key,
          gpointer      user_data)
{
  GPtrArray *keys = user_data;

  g_ptr_array_add (keys, g_strdup (key));
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) port_only = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->repo, "settings-changed", G_CALLBACK (count_cb), all);
  g_signal_connect (f->repo, "settings-changed::" TC_SETTING_HTTP_PORT, G_CALLBACK (count_cb),
                    port_only);

  set_ok (f->repo, TC_SETTING_HTTP_PORT, "9001");
  set_ok (f->repo, TC_SETTING_BRAND_NAME, "Acme");
  set_ok (f->repo, TC_SETTING_HTTP_PORT, NULL);
  /* A refused value changes nothing and says nothing. */
  g_assert_false (set (f->repo, TC_SETTING_HTTP_PORT, "http", &error));

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (all, 0), ==, TC_SETTING_HTTP_PORT);
  g_assert_cmpstr (g_ptr_array_index (all, 1), ==, TC_SETTING_BRAND_NAME);
  g_assert_cmpstr (g_ptr_array_index (all, 2), ==, TC_SETTING_HTTP_PORT);
  g_assert_cmpuint (port_only->len, ==, 2);

  g_signal_handlers_disconnect_by_data (f->repo, all);
  g_signal_handlers_disconnect_by_data (f->repo, port_only);
}

static void
test_persistence (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *value = NULL;

  set_ok (f->repo, TC_SETTING_SHORT_LINK_DOMAIN, "go.acme.example");
  set_ok (f->repo, TC_SETTING_HTTP_PORT, "9100");
  tc_repository_close (f->repo);
  g_clear_object (&f->repo);

  f->repo = tc_repository_new (f->path);
  tc_test_open_ok (f->repo);
  value = get (f->repo, TC_SETTING_SHORT_LINK_DOMAIN);
  g_assert_cmpstr (value, ==, "go.acme.example");
  g_clear_pointer (&value, g_free);
  value = get (f->repo, TC_SETTING_HTTP_PORT);
  g_assert_cmpstr (value, ==, "9100");
  g_assert_cmpint (raw_query_int (f->path, "SELECT updated_at > 1700000000 FROM settings"
                                           " WHERE key = 'http.port'"), ==, 1);
}

/* A schema 3 workspace (this build's tables minus those of schemas 4 and 5)
 * with contacts and templates opens as this build's schema and keeps them. */
static void
test_migration_from_3 (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *value = NULL;

  tc_repository_close (f->repo);
  g_clear_object (&f->repo);

  raw_exec (f->path,
            TC_TEST_UNDO_SCHEMA_6
            "DROP TABLE link_clicks; DROP TABLE short_links; DROP TABLE settings;"
            /* and schema 5's columns */
            "ALTER TABLE template_versions DROP COLUMN media_type;"
            "ALTER TABLE template_versions DROP COLUMN media_url;"
            "INSERT INTO contacts (id, phone, first_name, last_name, created_at, updated_at,"
            "                      sort_key, search_text) VALUES"
            "  (1, '+33612345678', 'Amélie', 'Dupont', 1600000000, 1600000000,"
            "   'dupont\x01amelie\x01+33612345678', 'amelie dupont'),"
            "  (2, '+4915112345678', 'Jürgen', 'Özdemir', 1600000001, 1600000001,"
            "   'ozdemir\x01jurgen\x01+4915112345678', 'jurgen ozdemir');"
            "INSERT INTO templates (id, name, kind, current_version, created_at, updated_at)"
            "  VALUES (1, 'welcome', 'sms', 2, 1600000000, 1600000100);"
            "INSERT INTO template_versions (template_id, version, body, created_at) VALUES"
            "  (1, 1, 'Hi {{first_name}}', 1600000000), (1, 2, 'Hello {{first_name}}', 1600000100);"
            "PRAGMA user_version = 3;");
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                           " ('settings', 'short_links', 'link_clicks')"), ==, 0);

  f->repo = tc_repository_new (f->path);
  tc_test_open_ok (f->repo);

  g_assert_cmpint (raw_query_int (f->path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                           " ('settings', 'short_links', 'link_clicks',"
                                           "  'link_clicks_code')"), ==, 4);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM contacts"), ==, 2);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM templates"), ==, 1);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"), ==, 2);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM template_versions"
                                           " WHERE body = 'Hello {{first_name}}'"), ==, 1);

  /* The new tables work at once. */
  set_ok (f->repo, TC_SETTING_BRAND_NAME, "Acme");
  value = get (f->repo, TC_SETTING_BRAND_NAME);
  g_assert_cmpstr (value, ==, "Acme");
}

/* Short links ---------------------------------------------------------- */

static void
test_code_is_valid (void)
{
  static const struct {
    const char *code;
    gboolean    valid;
  } cases[] = {
    { "aZ09bY18", TRUE },
    { "00000000", TRUE },
    { "zzzzzzzz", TRUE },
    { "aZ09bY1", FALSE },
    { "aZ09bY18x", FALSE },
    { "", FALSE },
    { "aZ09-Y18", FALSE },
    { "aZ09_Y18", FALSE },
    { "aZ09bY1/", FALSE },
    { "aZ09bY1\xc3\xa9", FALSE },
    { "../../et", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (tc_short_links_code_is_valid (cases[i].code), ==, cases[i].valid);
  g_assert_false (tc_short_links_code_is_valid (NULL));

  /* Every generated code has the form. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = tc_links_generate_code (&error);

      g_assert_no_error (error);
      g_assert_true (tc_short_links_code_is_valid (code));
    }
}

static gint64
add_contact (TcRepository *repo,
             const char   *phone)
{
  g_autoptr(TcContact) contact = tc_contact_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  tc_contact_set_phone (contact, phone);
  tc_repository_save_contact_async (repo, contact, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_save_contact_finish (repo, res, &error));
  g_assert_no_error (error);

  return tc_contact_get_id (contact);
}

static char *
shorten (TcRepository *repo,
         const char   *text,
         gint64        contact_id,
         const char   *origin)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *result;

  tc_short_links_shorten_async (repo, text, "go.example", contact_id, origin, NULL,
                                tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  result = tc_short_links_shorten_finish (repo, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

static char *
resolve (TcRepository  *repo,
         const char    *code,
         GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_short_links_resolve_async (repo, code, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_short_links_resolve_finish (repo, res, error);
}

static gboolean
click (TcRepository  *repo,
       const char    *code,
       const char    *user_agent,
       GError       **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  tc_short_links_record_click_async (repo, code, user_agent, NULL,
                                     tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);

  return tc_short_links_record_click_finish (repo, res, error);
}

static TcLinkStats
stats (TcRepository *repo,
       const char   *prefix)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcLinkStats value = { 99, 99, 99 };

  tc_short_links_count_clicks_async (repo, prefix, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_short_links_count_clicks_finish (repo, res, &value, &error));
  g_assert_no_error (error);

  return value;
}

/* The code of the short link that starts at @from in @text. */
static char *
code_at (const char *text,
         const char *from)
{
  const char *p = strstr (text, from);

  g_assert_nonnull (p);
  return g_strndup (p + strlen (from), TC_LINKS_CODE_LENGTH);
}

static void
test_shorten_resolve_click (Fixture       *f,
                            gconstpointer  data)
{
  gint64 amelie = add_contact (f->repo, "+33612345678");
  gint64 jurgen = add_contact (f->repo, "+4915112345678");
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  g_autofree char *text_c = NULL;
  g_autofree char *code_a1 = NULL;
  g_autofree char *code_a2 = NULL;
  g_autofree char *code_b = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  TcLinkStats s;

  text_a = shorten (f->repo, "Sale https://shop.example/a?x=1 and www.shop.example/b!", amelie,
                    "campaign:12:A");
  g_assert_true (g_str_has_prefix (text_a, "Sale https://go.example/l/"));
  g_assert_cmpint (g_utf8_strlen (text_a, -1), ==,
                   tc_links_final_length ("Sale https://shop.example/a?x=1 and www.shop.example/b!",
                                          "go.example"));
  code_a1 = code_at (text_a, "Sale https://go.example/l/");
  code_a2 = code_at (text_a, " and https://go.example/l/");
  g_assert_cmpstr (code_a1, !=, code_a2);

  text_b = shorten (f->repo, "Hi https://shop.example/a?x=1", jurgen, "campaign:12:B");
  code_b = code_at (text_b, "Hi https://go.example/l/");
  /* A text without links stores nothing and comes back as it was. */
  text_c = shorten (f->repo, "No link here", 0, "campaign:13:A");
  g_assert_cmpstr (text_c, ==, "No link here");

  url = resolve (f->repo, code_a1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://shop.example/a?x=1");
  g_clear_pointer (&url, g_free);
  url = resolve (f->repo, code_a2, &error);
  g_assert_cmpstr (url, ==, "https://www.shop.example/b");
  g_clear_pointer (&url, g_free);
  url = resolve (f->repo, "AAAAAAAA", &error);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_assert_null (url);
  g_clear_error (&error);

  s = stats (f->repo, NULL);
  g_assert_cmpuint (s.links, ==, 3);
  g_assert_cmpuint (s.clicks, ==, 0);
  g_assert_cmpuint (s.unique_contacts, ==, 0);

  g_assert_true (click (f->repo, code_a1, "Mozilla/5.0", &error));
  g_assert_true (click (f->repo, code_a1, NULL, &error));
  g_assert_true (click (f->repo, code_a2, "Mozilla/5.0", &error));
  g_assert_true (click (f->repo, code_b, "Mozilla/5.0", &error));
  g_assert_no_error (error);
  g_assert_false (click (f->repo, "AAAAAAAA", "x", &error));
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);

  s = stats (f->repo, "");
  g_assert_cmpuint (s.links, ==, 3);
  g_assert_cmpuint (s.clicks, ==, 4);
  g_assert_cmpuint (s.unique_contacts, ==, 2);
  s = stats (f->repo, "campaign:12:A");
  g_assert_cmpuint (s.links, ==, 2);
  g_assert_cmpuint (s.clicks, ==, 3);
  g_assert_cmpuint (s.unique_contacts, ==, 1);
  s = stats (f->repo, "campaign:12:");
  g_assert_cmpuint (s.links, ==, 3);
  g_assert_cmpuint (s.clicks, ==, 4);
  g_assert_cmpuint (s.unique_contacts, ==, 2);
  s = stats (f->repo, "campaign:1");
  g_assert_cmpuint (s.links, ==, 3);
  s = stats (f->repo, "template:");
  g_assert_cmpuint (s.links, ==, 0);
  g_assert_cmpuint (s.clicks, ==, 0);
  g_assert_cmpuint (s.unique_contacts, ==, 0);

  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM short_links"
                                           " WHERE origin = 'campaign:12:A' AND contact_id = 1"), ==, 2);
}

static void
test_contact_deleted (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_contact (f->repo, "+33612345678");
  g_autofree char *text = shorten (f->repo, "https://shop.example/x", id, "campaign:1:A");
  g_autofree char *code = code_at (text, "https://go.example/l/");
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  TcLinkStats s;

  g_assert_true (click (f->repo, code, "UA", &error));
  g_assert_no_error (error);

  tc_repository_delete_contact_async (f->repo, id, NULL, tc_repository_store_result_cb, &res);
  tc_repository_wait (&res);
  g_assert_true (tc_repository_delete_contact_finish (f->repo, res, &error));
  g_assert_no_error (error);

  /* The link and its click stay (campaign totals), without the contact. */
  s = stats (f->repo, "campaign:1:");
  g_assert_cmpuint (s.links, ==, 1);
  g_assert_cmpuint (s.clicks, ==, 1);
  g_assert_cmpuint (s.unique_contacts, ==, 0);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM short_links"
                                           " WHERE contact_id IS NULL"), ==, 1);
}

/* Prefixes are bytes of UTF-8, not characters: a prefix that ends inside
 * an accented word still matches exactly the origins that start with it. */
static void
test_origin_prefixes (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const origins[] = {
    "campagne:été:A", "campagne:étude", "campagne:f", "campagne:e", "campagnes", "", "c%_",
  };
  static const struct {
    const char *prefix;
    guint64     links;
  } cases[] = {
    { "", 7 },
    { "campagne:", 4 },
    { "campagne:é", 2 },
    { "campagne:ét", 2 },
    { "campagne:été", 1 },
    { "campagne:e", 1 },
    { "campagne:f", 1 },
    { "campagne:g", 0 },
    { "campagne", 5 },
    { "c%", 1 },
    { "c_", 0 },
    { "d", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autofree char *text = shorten (f->repo, "https://shop.example/", 0, origins[i]);

      g_assert_nonnull (text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcLinkStats s = stats (f->repo, cases[i].prefix);

      g_assert_cmpuint (s.links, ==, cases[i].links);
    }
}

static void
test_user_agent_bounded (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *text = shorten (f->repo, "https://shop.example/x", 0, NULL);
  g_autofree char *code = code_at (text, "https://go.example/l/");
  g_autoptr(GString) long_agent = g_string_new ("A");
  g_autoptr(GError) error = NULL;

  /* 1 + 200 × 2 bytes: the cut falls inside a two-byte character. */
  for (guint i = 0; i < 200; i++)
    g_string_append (long_agent, "é");

  g_assert_true (click (f->repo, code, long_agent->str, &error));
  g_assert_true (click (f->repo, code, "bad \xff byte", &error));
  g_assert_no_error (error);

  g_assert_cmpint (raw_query_int (f->path, "SELECT max (length (CAST (user_agent AS BLOB)))"
                                           " FROM link_clicks"), ==, 255);
  g_assert_cmpint (raw_query_int (f->path, "SELECT count(*) FROM link_clicks"
                                           " WHERE user_agent = CAST (x'626164' AS TEXT) || ' '"
                                           "   || char (65533) || ' byte'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/settings/get-set-unset", test_get_set_unset);
  ADD ("/tc/settings/get-all", test_get_all);
  ADD ("/tc/settings/validation", test_validation);
  ADD ("/tc/settings/changed-signal", test_changed_signal);
  ADD ("/tc/settings/persistence", test_persistence);
  ADD ("/tc/settings/migration-from-3", test_migration_from_3);
  g_test_add_func ("/tc/short-links/code-is-valid", test_code_is_valid);
  ADD ("/tc/short-links/shorten-resolve-click", test_shorten_resolve_click);
  ADD ("/tc/short-links/contact-deleted", test_contact_deleted);
  ADD ("/tc/short-links/origin-prefixes", test_origin_prefixes);
  ADD ("/tc/short-links/user-agent-bounded", test_user_agent_bounded);

#undef ADD

  return g_test_run ();
}
