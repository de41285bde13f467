/* tc-privacy.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDPR export and erasure (schema 6, see tc-repository.c).
 *
 * The export reads everything about one number in one read transaction on
 * the reader, so the sections agree with each other: the contact, its tags
 * and attributes, the consent events and the state they led to, inbound
 * messages, outbox rows (by contact or by number: a contact deleted by
 * hand leaves rows with the number), the contact's short links and their
 * clicks, and its events (orders and the like). It is built once as JSON; the CSV is written from that JSON,
 * so both formats always hold the same facts.
 *
 * Erasure runs in one transaction on the writer, with secure_delete on so
 * that SQLite zeroes what it frees instead of leaving the number in free
 * space, and ends with a truncating checkpoint so that the write-ahead log
 * does not keep old copies of the pages either. What stays is the
 * suppression hash: HMAC-SHA256 of the E.164 number keyed with the
 * workspace's salt (setting privacy.salt, 32 hex characters, used as its
 * text), in lower-case hex. The salt is not a secret key — it lives in the
 * same file — but it stops one precomputed table of hashes of every phone
 * number from reading every workspace's list.
 */

#define G_LOG_DOMAIN "tc-privacy"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-campaign-counts.h"
#include "tc-consent-ledger.h"
#include "tc-events.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

#define SALT_BYTES 16

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ISO 8601 in UTC with a Z, seconds precision. */
static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* ------------------------------------------------------------------------
 * The number and its hash
 */

/* "+" and 7 to 15 digits, the first not 0: what E.164 allows. */
static gboolean
looks_like_e164 (const char *str)
{
  gsize n = 0;

  if (str[0] != '+' || str[1] < '1' || str[1] > '9')
    return FALSE;

  for (const char *p = str + 1; *p != '\0'; p++, n++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return n >= 7 && n <= 15;
}

/* The E.164 form of what the person typed, or NULL with
 * TC_CONSENT_ERROR_INVALID_PHONE. A number libphonenumber no longer accepts
 * but that is already written in E.164 is taken as it is: a contact stored
 * under older rules must still be found and erased. */
static char *
resolve_phone (const char  *phone,
               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (phone));
  g_autoptr(GError) phone_error = NULL;
  char *e164;

  e164 = tc_phone_normalize (trimmed, NULL, &phone_error);
  if (e164 != NULL)
    return e164;

  if (looks_like_e164 (trimmed))
    return g_steal_pointer (&trimmed);

  g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
               _("“%s” is not a phone number Textcast can read (%s); write it with its "
                 "country code, e.g. +14155550100"),
               trimmed, phone_error->message);
  return NULL;
}

char *
_tc_privacy_hash (const char *salt,
                  const char *e164)
{
  g_return_val_if_fail (salt != NULL, NULL);
  g_return_val_if_fail (e164 != NULL, NULL);

  /* g_compute_hmac_for_string() answers in lower-case hex. */
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) salt, strlen (salt),
                                    e164, -1);
}

static void
random_bytes (guint8 *buffer,
              gsize   length)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/urandom");
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  gsize n_read = 0;

  if (stream != NULL &&
      g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, length, &n_read, NULL, NULL) &&
      n_read == length)
    return;

  /* Only where there is no /dev/urandom; GLib seeds its generator from
   * the system's entropy too. */
  for (gsize i = 0; i < length; i++)
    buffer[i] = (guint8) g_random_int_range (0, 256);
}

/* The salt, or NULL: with @create FALSE, NULL without an error means there
 * is none, so nothing can have been suppressed yet. With @create TRUE (on
 * the writer, inside the caller's transaction) a missing salt is made. */
static char *
get_salt (TcDb      *db,
          gboolean   create,
          GError   **error)
{
  GError *local_error = NULL;
  guint8 bytes[SALT_BYTES];
  g_autofree char *salt = NULL;
  GString *hex;
  sqlite3_stmt *stmt;

  salt = _tc_db_get_setting (db, TC_SETTING_PRIVACY_SALT, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (salt != NULL && salt[0] != '\0')
    return g_steal_pointer (&salt);
  if (!create)
    return NULL;

  random_bytes (bytes, sizeof bytes);
  hex = g_string_sized_new (2 * SALT_BYTES);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  memset (bytes, 0, sizeof bytes);
  g_free (salt);
  salt = g_string_free (hex, FALSE);

  stmt = _tc_db_prepare (db,
                         "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT (key) DO UPDATE SET"
                         "   value = excluded.value, updated_at = excluded.updated_at",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, TC_SETTING_PRIVACY_SALT, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, salt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot store the privacy salt");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&salt);
}

/* The number's hash under the workspace's salt; *@hash NULL when there is
 * no salt (then nothing can be on the list). */
static gboolean
hash_number (TcDb        *db,
             const char  *e164,
             char       **hash,
             GError     **error)
{
  GError *local_error = NULL;
  g_autofree char *salt = get_salt (db, FALSE, &local_error);

  *hash = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (salt != NULL)
    *hash = _tc_privacy_hash (salt, e164);

  return TRUE;
}

gboolean
_tc_db_is_suppressed (TcDb        *db,
                      const char  *e164,
                      gboolean    *suppressed,
                      GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);
  g_return_val_if_fail (suppressed != NULL, FALSE);

  *suppressed = FALSE;

  if (!hash_number (db, e164, &hash, error))
    return FALSE;
  if (hash == NULL)
    return TRUE;

  stmt = _tc_db_prepare (db, "SELECT 1 FROM suppressions WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the suppression list");

  *suppressed = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
_tc_db_unsuppress (TcDb        *db,
                   const char  *e164,
                   GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  if (!hash_number (db, e164, &hash, error))
    return FALSE;
  if (hash == NULL)
    return TRUE;

  stmt = _tc_db_prepare (db, "DELETE FROM suppressions WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _tc_db_set_error (db, error, "Cannot update the suppression list");
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Export: gathering (reader thread)
 */

typedef struct
{
  char            *e164;
  TcPrivacyFormat  format;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->e164);
  g_free (data);
}

/* Column @i as a JSON member: text (NULL stays null), integer, or time. */
static void
add_text (JsonBuilder  *builder,
          const char   *name,
          sqlite3_stmt *stmt,
          int           i)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, i));
}

/* Empty text is "not given": null. */
static void
add_text_or_null (JsonBuilder  *builder,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);

  json_builder_set_member_name (builder, name);
  if (text == NULL || text[0] == '\0')
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, text);
}

static void
add_int (JsonBuilder  *builder,
         const char   *name,
         sqlite3_stmt *stmt,
         int           i)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
}

static void
add_bool (JsonBuilder  *builder,
          const char   *name,
          sqlite3_stmt *stmt,
          int           i)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, sqlite3_column_int64 (stmt, i) != 0);
}

static void
add_time_value (JsonBuilder *builder,
                const char  *name,
                gint64       unix_seconds,
                gboolean     is_null)
{
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, name);
  if (is_null)
    {
      json_builder_add_null_value (builder);
      return;
    }

  text = format_time (unix_seconds);
  json_builder_add_string_value (builder, text);
}

static void
add_time (JsonBuilder  *builder,
          const char   *name,
          sqlite3_stmt *stmt,
          int           i)
{
  add_time_value (builder, name, sqlite3_column_int64 (stmt, i),
                  sqlite3_column_type (stmt, i) == SQLITE_NULL);
}

/* Runs @stmt (bound by the caller) and hands each row to @row_func. */
typedef void (*RowFunc) (JsonBuilder  *builder,
                         sqlite3_stmt *stmt);

static gboolean
add_rows (TcDb          *db,
          JsonBuilder   *builder,
          sqlite3_stmt  *stmt,
          RowFunc        row_func,
          const char    *what,
          guint         *n_rows,
          GError       **error)
{
  int rc;
  guint n = 0;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row_func (builder, stmt);
      n++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, what);

  if (n_rows != NULL)
    *n_rows = n;
  return TRUE;
}

/* Binds the contact id (NULL when there is no contact) to ?1 and the
 * number to ?2. */
static void
bind_person (sqlite3_stmt *stmt,
             gint64        contact_id,
             const char   *e164)
{
  if (contact_id > 0)
    sqlite3_bind_int64 (stmt, 1, contact_id);
  else
    sqlite3_bind_null (stmt, 1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, e164, -1, SQLITE_TRANSIENT);
}

static void
contact_row (JsonBuilder  *builder,
             sqlite3_stmt *stmt)
{
  g_auto(GStrv) zones = NULL;
  const char *text;

  json_builder_begin_object (builder);
  add_int (builder, "id", stmt, 0);
  add_text (builder, "phone", stmt, 1);
  add_text (builder, "first_name", stmt, 2);
  add_text (builder, "last_name", stmt, 3);
  add_text (builder, "email", stmt, 4);
  add_text (builder, "language", stmt, 5);
  add_text (builder, "country", stmt, 6);

  json_builder_set_member_name (builder, "timezones");
  json_builder_begin_array (builder);
  text = (const char *) sqlite3_column_text (stmt, 7);
  zones = g_strsplit (text != NULL ? text : "", " ", -1);
  for (guint i = 0; zones[i] != NULL; i++)
    if (zones[i][0] != '\0')
      json_builder_add_string_value (builder, zones[i]);
  json_builder_end_array (builder);

  add_time (builder, "created_at", stmt, 8);
  add_time (builder, "updated_at", stmt, 9);
  json_builder_end_object (builder);
}

static void
tag_row (JsonBuilder  *builder,
         sqlite3_stmt *stmt)
{
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
}

static void
attribute_row (JsonBuilder  *builder,
               sqlite3_stmt *stmt)
{
  json_builder_set_member_name (builder, (const char *) sqlite3_column_text (stmt, 0));
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
}

static void
event_row (JsonBuilder  *builder,
           sqlite3_stmt *stmt)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", stmt, 0);
  add_text (builder, "channel", stmt, 1);
  add_text (builder, "purpose", stmt, 2);
  add_text (builder, "kind", stmt, 3);
  add_text (builder, "status", stmt, 4);
  add_text (builder, "method", stmt, 5);
  add_text (builder, "source", stmt, 6);
  add_text (builder, "wording", stmt, 7);
  add_text_or_null (builder, "origin", stmt, 8);
  add_time (builder, "occurred_at", stmt, 9);
  add_time (builder, "recorded_at", stmt, 10);
  add_time (builder, "expires_at", stmt, 11);
  json_builder_end_object (builder);
}

static void
inbound_row (JsonBuilder  *builder,
             sqlite3_stmt *stmt)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", stmt, 0);
  add_text (builder, "channel", stmt, 1);
  add_text (builder, "from", stmt, 2);
  add_text (builder, "body", stmt, 3);
  add_time (builder, "received_at", stmt, 4);
  add_text (builder, "action", stmt, 5);
  add_text_or_null (builder, "keyword", stmt, 6);
  add_bool (builder, "needs_review", stmt, 7);
  add_text (builder, "provider_id", stmt, 8);
  json_builder_end_object (builder);
}

static void
outbound_row (JsonBuilder  *builder,
              sqlite3_stmt *stmt)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", stmt, 0);
  add_text (builder, "to", stmt, 1);
  add_text (builder, "channel", stmt, 2);
  add_text (builder, "purpose", stmt, 3);
  add_text_or_null (builder, "origin", stmt, 4);
  add_bool (builder, "compliance", stmt, 5);
  add_text_or_null (builder, "sender_id", stmt, 6);
  add_text (builder, "body", stmt, 7);
  add_text (builder, "state", stmt, 8);
  add_text_or_null (builder, "reason", stmt, 9);
  add_time (builder, "due_at", stmt, 10);
  add_time (builder, "sent_at", stmt, 11);
  add_text (builder, "provider_id", stmt, 12);
  add_time (builder, "created_at", stmt, 13);
  add_time (builder, "updated_at", stmt, 14);
  json_builder_end_object (builder);
}

static void
click_row (JsonBuilder  *builder,
           sqlite3_stmt *stmt)
{
  json_builder_begin_object (builder);
  add_int (builder, "id", stmt, 0);
  add_time (builder, "clicked_at", stmt, 1);
  add_text_or_null (builder, "user_agent", stmt, 2);
  json_builder_end_object (builder);
}

/* The states of the four channel × purpose pairs, in the shape of
 * tc_consent_report_to_json(): a pending request past its expiry reads as
 * expired, a pair with no event as none. */
static gboolean
add_consent_states (TcDb         *db,
                    JsonBuilder  *builder,
                    gint64        contact_id,
                    gint64        now,
                    GError      **error)
{
  static const char * const channels[] = { "sms", "whatsapp" };
  static const char * const purposes[] = { "promotional", "transactional" };
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db,
                         "SELECT status, since, expires_at, source FROM consent_state"
                         " WHERE contact_id = ?1 AND channel = ?2 AND purpose = ?3",
                         error);
  if (stmt == NULL)
    return FALSE;

  json_builder_begin_object (builder);
  for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
    {
      json_builder_set_member_name (builder, channels[c]);
      json_builder_begin_object (builder);
      for (guint p = 0; p < G_N_ELEMENTS (purposes); p++)
        {
          int rc;

          sqlite3_bind_int64 (stmt, 1, contact_id);
          sqlite3_bind_text (stmt, 2, channels[c], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, purposes[p], -1, SQLITE_STATIC);

          json_builder_set_member_name (builder, purposes[p]);
          json_builder_begin_object (builder);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              const char *status = (const char *) sqlite3_column_text (stmt, 0);
              gboolean has_expiry = sqlite3_column_type (stmt, 2) != SQLITE_NULL;

              if (g_strcmp0 (status, "pending") == 0 && has_expiry &&
                  sqlite3_column_int64 (stmt, 2) <= now)
                status = "expired";

              json_builder_set_member_name (builder, "status");
              json_builder_add_string_value (builder, status);
              add_time (builder, "since", stmt, 1);
              add_time (builder, "expires_at", stmt, 2);
              add_text (builder, "source", stmt, 3);
            }
          else
            {
              json_builder_set_member_name (builder, "status");
              json_builder_add_string_value (builder, "none");
              json_builder_set_member_name (builder, "since");
              json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "expires_at");
              json_builder_add_null_value (builder);
              json_builder_set_member_name (builder, "source");
              json_builder_add_null_value (builder);
            }
          json_builder_end_object (builder);
          sqlite3_reset (stmt);

          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return _tc_db_set_error (db, error, "Cannot read the consent status");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return TRUE;
}

static gboolean
add_links (TcDb         *db,
           JsonBuilder  *builder,
           gint64        contact_id,
           GError      **error)
{
  sqlite3_stmt *links;
  sqlite3_stmt *clicks;
  int rc;

  links = _tc_db_prepare (db,
                          "SELECT code, url, origin, created_at FROM short_links"
                          " WHERE contact_id = ?1 ORDER BY created_at, code",
                          error);
  if (links == NULL)
    return FALSE;

  json_builder_begin_array (builder);
  bind_person (links, contact_id, NULL);
  while ((rc = sqlite3_step (links)) == SQLITE_ROW)
    {
      clicks = _tc_db_prepare (db,
                               "SELECT id, clicked_at, user_agent FROM link_clicks"
                               " WHERE code = ?1 ORDER BY clicked_at, id",
                               error);
      if (clicks == NULL)
        {
          sqlite3_reset (links);
          return FALSE;
        }

      json_builder_begin_object (builder);
      add_text (builder, "code", links, 0);
      add_text (builder, "url", links, 1);
      add_text_or_null (builder, "origin", links, 2);
      add_time (builder, "created_at", links, 3);
      json_builder_set_member_name (builder, "clicks");
      json_builder_begin_array (builder);
      sqlite3_bind_text (clicks, 1, (const char *) sqlite3_column_text (links, 0), -1,
                         SQLITE_TRANSIENT);
      if (!add_rows (db, builder, clicks, click_row, "Cannot read the link clicks", NULL, error))
        {
          sqlite3_reset (links);
          return FALSE;
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  sqlite3_reset (links);
  json_builder_end_array (builder);

  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the short links");

  return TRUE;
}

static JsonNode *
gather (TcDb         *db,
        const char   *e164,
        GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 now = now_unix ();
  gint64 contact_id = 0;
  gboolean suppressed = FALSE;
  guint n_inbound = 0;
  guint n_outbound = 0;
  g_autofree char *exported_at = format_time (now);
  sqlite3_stmt *stmt;
  int rc;

  if (!_tc_db_is_suppressed (db, e164, &suppressed, error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, e164);
  json_builder_set_member_name (builder, "exported_at");
  json_builder_add_string_value (builder, exported_at);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_boolean_value (builder, suppressed);

  /* The contact. */
  stmt = _tc_db_prepare (db,
                         "SELECT id, phone, first_name, last_name, email, language, country,"
                         "       timezones, created_at, updated_at"
                         " FROM contacts WHERE phone = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_TRANSIENT);
  json_builder_set_member_name (builder, "contact");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      contact_id = sqlite3_column_int64 (stmt, 0);
      contact_row (builder, stmt);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the contact");
      return NULL;
    }

  /* Tags and attributes. */
  stmt = _tc_db_prepare (db,
                         "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                         " WHERE ct.contact_id = ?1 ORDER BY t.name",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_person (stmt, contact_id, NULL);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  if (!add_rows (db, builder, stmt, tag_row, "Cannot read the tags", NULL, error))
    return NULL;
  json_builder_end_array (builder);

  stmt = _tc_db_prepare (db,
                         "SELECT j.key, j.value FROM contacts c, json_each (c.attributes) j"
                         " WHERE c.id = ?1 ORDER BY j.key",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_person (stmt, contact_id, NULL);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  if (!add_rows (db, builder, stmt, attribute_row, "Cannot read the attributes", NULL, error))
    return NULL;
  json_builder_end_object (builder);

  /* Consent: the derived state and every event, oldest first. */
  json_builder_set_member_name (builder, "consent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  if (!add_consent_states (db, builder, contact_id, now, error))
    return NULL;
  stmt = _tc_db_prepare (db,
                         "SELECT id, channel, purpose, kind, status, method, source, wording,"
                         "       origin, occurred_at, recorded_at, expires_at"
                         " FROM consent_events WHERE contact_id = ?1 ORDER BY id",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_person (stmt, contact_id, NULL);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  if (!add_rows (db, builder, stmt, event_row, "Cannot read the consent events", NULL, error))
    return NULL;
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  /* Messages in and out: by contact, and by number for rows whose
   * contact was deleted. */
  stmt = _tc_db_prepare (db,
                         "SELECT id, channel, phone, body, received_at, action, keyword,"
                         "       needs_review, provider_id"
                         " FROM inbound_messages WHERE contact_id = ?1 OR phone = ?2"
                         " ORDER BY received_at, id",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_person (stmt, contact_id, e164);
  json_builder_set_member_name (builder, "inbound");
  json_builder_begin_array (builder);
  if (!add_rows (db, builder, stmt, inbound_row, "Cannot read the inbound messages",
                 &n_inbound, error))
    return NULL;
  json_builder_end_array (builder);

  stmt = _tc_db_prepare (db,
                         "SELECT id, phone, channel, purpose, origin, compliance, sender_id,"
                         "       body, state, reason, due_at, sent_at, provider_id,"
                         "       created_at, updated_at"
                         " FROM outbox WHERE contact_id = ?1 OR phone = ?2"
                         " ORDER BY created_at, id",
                         error);
  if (stmt == NULL)
    return NULL;
  bind_person (stmt, contact_id, e164);
  json_builder_set_member_name (builder, "outbound");
  json_builder_begin_array (builder);
  if (!add_rows (db, builder, stmt, outbound_row, "Cannot read the outbox",
                 &n_outbound, error))
    return NULL;
  json_builder_end_array (builder);

  /* Short links made for the contact, with their clicks. */
  json_builder_set_member_name (builder, "links");
  if (!add_links (db, builder, contact_id, error))
    return NULL;

  /* What the contact did (orders, carts, …), oldest first. */
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  if (contact_id > 0)
    {
      g_autoptr(GPtrArray) events = _tc_db_events_for_contact (db, contact_id, error);

      if (events == NULL)
        return NULL;
      for (guint i = 0; i < events->len; i++)
        tc_event_build_json (g_ptr_array_index (events, i), builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  if (contact_id == 0 && n_inbound == 0 && n_outbound == 0)
    {
      if (suppressed)
        g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND,
                     _("Textcast holds nothing about %s: the number was erased at the "
                       "person’s request and only a hash of it is kept, so that it is "
                       "never texted again"),
                     e164);
      else
        g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND,
                     _("Textcast holds nothing about %s: there is no contact with that "
                       "number and no message to or from it"),
                     e164);
      return NULL;
    }

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------------
 * Export: CSV from the JSON (RFC 4180: CRLF line ends, fields quoted when
 * they hold a delimiter, a quote, a line break or blanks at either end)
 */

static void
csv_field (GString    *out,
           const char *value)
{
  gsize len = strlen (value);

  /* Semicolons and tabs too: spreadsheets and Textcast's own reader guess
   * the delimiter from the first lines. */
  if (strpbrk (value, ",;\t\"\r\n") == NULL &&
      (len == 0 || (!g_ascii_isspace (value[0]) && !g_ascii_isspace (value[len - 1]))))
    {
      g_string_append_len (out, value, len);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_row (GString    *out,
         const char *section,
         const char *field,
         const char *value,
         const char *time)
{
  csv_field (out, section);
  g_string_append_c (out, ',');
  csv_field (out, field);
  g_string_append_c (out, ',');
  csv_field (out, value != NULL ? value : "");
  g_string_append_c (out, ',');
  csv_field (out, time != NULL ? time : "");
  g_string_append (out, "\r\n");
}

/* A scalar or an array of scalars as text: null is empty, arrays are
 * joined with spaces (time zones). */
static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = node_to_text (json_array_get_element (array, i));

          if (i > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, item);
        }
      return g_string_free (text, FALSE);
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    default:
      return g_strdup (json_node_get_string (node));
    }
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  return json_node_get_string (node);
}

/* One row per member of @object except @key_member, "<key>.<member>",
 * timed by @time_member; @skip (may be NULL) is a member left out. */
static void
csv_item (GString    *out,
          const char *section,
          const char *prefix,
          JsonObject *object,
          const char *key_member,
          const char *time_member,
          const char *skip)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autofree char *key = node_to_text (json_object_get_member (object, key_member));
  const char *time = member_string (object, time_member);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *field = NULL;
      g_autofree char *value = NULL;

      if (strcmp (name, key_member) == 0 || g_strcmp0 (name, skip) == 0)
        continue;

      field = g_strconcat (prefix != NULL ? prefix : "", key, ".", name, NULL);
      value = node_to_text (json_object_get_member (object, name));
      csv_row (out, section, field, value, time);
    }
}

static void
csv_items (GString    *out,
           JsonObject *root,
           const char *member,
           const char *section,
           const char *prefix,
           const char *key_member,
           const char *time_member)
{
  JsonArray *array = json_object_get_array_member (root, member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    csv_item (out, section, prefix, json_array_get_object_element (array, i),
              key_member, time_member, NULL);
}

static char *
to_csv (JsonNode *root_node)
{
  JsonObject *root = json_node_get_object (root_node);
  JsonNode *contact_node = json_object_get_member (root, "contact");
  JsonObject *consent = json_object_get_object_member (root, "consent");
  JsonObject *states = json_object_get_object_member (consent, "status");
  JsonObject *attributes = json_object_get_object_member (root, "attributes");
  JsonArray *tags = json_object_get_array_member (root, "tags");
  JsonArray *links = json_object_get_array_member (root, "links");
  JsonArray *events = json_object_get_array_member (root, "events");
  g_autoptr(GList) names = NULL;
  GString *out = g_string_new (NULL);

  csv_row (out, "section", "field", "value", "time");

  csv_row (out, "contact", "phone", member_string (root, "phone"), NULL);
  csv_row (out, "contact", "suppressed",
           json_object_get_boolean_member (root, "suppressed") ? "true" : "false", NULL);
  if (JSON_NODE_HOLDS_OBJECT (contact_node))
    {
      JsonObject *contact = json_node_get_object (contact_node);
      g_autoptr(GList) members = json_object_get_members (contact);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = NULL;

          /* The number is the first row already. */
          if (strcmp (l->data, "phone") == 0)
            continue;
          value = node_to_text (json_object_get_member (contact, l->data));
          csv_row (out, "contact", l->data, value, NULL);
        }
    }

  for (guint i = 0; i < json_array_get_length (tags); i++)
    csv_row (out, "tag", "name", json_array_get_string_element (tags, i), NULL);

  names = json_object_get_members (attributes);
  for (GList *l = names; l != NULL; l = l->next)
    csv_row (out, "attribute", l->data, json_object_get_string_member (attributes, l->data),
             NULL);

  /* "status.<channel>.<purpose>", timed by when it took effect. */
  for (guint c = 0; c < 2; c++)
    for (guint p = 0; p < 2; p++)
      {
        const char *channel = tc_channel_to_string ((TcChannel) c);
        const char *purpose = tc_purpose_to_string ((TcPurpose) p);
        JsonObject *pairs = json_object_get_object_member (states, channel);
        JsonObject *state = json_object_get_object_member (pairs, purpose);
        g_autofree char *field = g_strdup_printf ("status.%s.%s", channel, purpose);

        csv_row (out, "consent", field, member_string (state, "status"),
                 member_string (state, "since"));
      }
  csv_items (out, consent, "events", "consent", "event.", "id", "occurred_at");

  csv_items (out, root, "inbound", "inbound", NULL, "id", "received_at");
  csv_items (out, root, "outbound", "outbound", NULL, "id", "created_at");

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);
      JsonArray *clicks = json_object_get_array_member (link, "clicks");
      const char *code = member_string (link, "code");

      csv_item (out, "link", NULL, link, "code", "created_at", "clicks");
      for (guint j = 0; j < json_array_get_length (clicks); j++)
        {
          JsonObject *click = json_array_get_object_element (clicks, j);
          g_autofree char *prefix = g_strconcat (code, ".", NULL);

          csv_item (out, "click", prefix, click, "id", "clicked_at", NULL);
        }
    }

  /* Events: "<id>.<member>", and the properties as one JSON text. */
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      g_autofree char *id = node_to_text (json_object_get_member (event, "id"));
      g_autofree char *field = g_strconcat (id, ".properties", NULL);
      g_autofree char *properties = json_to_string (json_object_get_member (event, "properties"),
                                                    FALSE);

      csv_item (out, "event", NULL, event, "id", "occurred_at", "properties");
      csv_row (out, "event", field, properties, member_string (event, "occurred_at"));
    }

  return g_string_free (out, FALSE);
}

static gpointer
export_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ExportData *data = job_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  /* One read transaction: every section from the same snapshot. */
  if (!_tc_db_exec (db, "BEGIN", error))
    return NULL;
  root = gather (db, data->e164, error);
  _tc_db_exec (db, "COMMIT", NULL);
  if (root == NULL)
    return NULL;

  if (data->format == TC_PRIVACY_FORMAT_CSV)
    return to_csv (root);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------
 * Erasure (writer thread)
 */

typedef struct
{
  gboolean had_contact;
} EraseResult;

static gboolean
run_bound (TcDb          *db,
           const char    *sql,
           gint64         contact_id,
           const char    *e164,
           const char    *what,
           GError       **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  bind_person (stmt, contact_id, e164);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _tc_db_set_error (db, error, what);
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
erase_in_transaction (TcDb        *db,
                      const char  *e164,
                      gboolean    *had_contact,
                      GError     **error)
{
  g_autofree char *salt = NULL;
  g_autofree char *hash = NULL;
  gint64 contact_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  salt = get_salt (db, TRUE, error);
  if (salt == NULL)
    return FALSE;
  hash = _tc_privacy_hash (salt, e164);

  stmt = _tc_db_prepare (db,
                         "INSERT OR IGNORE INTO suppressions (hash, reason, created_at)"
                         " VALUES (?1, 'erased', ?2)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_unix ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot add the number to the suppression list");

  stmt = _tc_db_prepare (db, "SELECT id FROM contacts WHERE phone = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    contact_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot look up the contact");

  /* Outbound rows stay for the campaign's counts, without the number, the
   * text or the contact; a reason that quoted the number loses it — and a
   * skipped campaign row's reason is counted (tc-campaign-counts.h): its
   * rows uncounted as they were, counted as they are (RETURNING). */
  for (guint i = 0; i < 2; i++)
    {
      stmt = _tc_db_prepare (db, i == 0 ?
                             "SELECT " TC_COUNTED_COLUMNS " FROM outbox"
                             " WHERE (contact_id = ?1 OR phone = ?2) AND " TC_CAMPAIGN_ORIGIN_SQL ("") :
                             "UPDATE outbox SET phone = '', body = '', contact_id = NULL,"
                             "                  media_url = '', wa_template = '', content_variables = '',"
                             "                  reason = replace (reason, ?2, '')"
                             " WHERE contact_id = ?1 OR phone = ?2 RETURNING " TC_COUNTED_COLUMNS,
                             error);
      if (stmt == NULL)
        return FALSE;
      bind_person (stmt, contact_id, e164);
      if (!_tc_campaign_counts_add_rows (db, stmt, i == 0 ? -1 : +1,
                                         "Cannot clear the contact’s outbound messages", error))
        return FALSE;
    }

  /* Inbound messages of the number that are not linked to the contact
   * (the contact's own go with it below). */
  if (!run_bound (db, "DELETE FROM inbound_messages WHERE contact_id = ?1 OR phone = ?2",
                  contact_id, e164, "Cannot delete the inbound messages", error))
    return FALSE;

  if (contact_id > 0)
    {
      /* The clicks stay counted, but which browser the person used is
       * about them. */
      if (!run_bound (db,
                      "UPDATE link_clicks SET user_agent = ''"
                      " WHERE user_agent <> ''"
                      "   AND code IN (SELECT code FROM short_links WHERE contact_id = ?1)",
                      contact_id, NULL, "Cannot clear the link clicks", error))
        return FALSE;

      /* Cascades to consent events and state, tags and inbound messages;
       * short links lose their contact (ON DELETE SET NULL) so that the
       * campaign's click totals survive. */
      if (!run_bound (db, "DELETE FROM contacts WHERE id = ?1",
                      contact_id, NULL, "Cannot delete the contact", error))
        return FALSE;
    }

  *had_contact = contact_id > 0;
  return TRUE;
}

static gpointer
erase_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  const char *e164 = job_data;
  sqlite3 *handle = _tc_db_get_handle (db);
  gboolean had_contact = FALSE;
  gboolean ok;
  int secure_delete = -1;
  sqlite3_stmt *stmt;
  EraseResult *result;

  /* Zero what is freed, whatever SQLite was built with; put the
   * connection's setting back afterwards. */
  stmt = _tc_db_prepare (db, "PRAGMA secure_delete", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    secure_delete = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (secure_delete != 1 && !_tc_db_exec (db, "PRAGMA secure_delete = ON", error))
    return NULL;

  ok = _tc_db_begin (db, error) &&
       erase_in_transaction (db, e164, &had_contact, error) &&
       _tc_db_commit (db, error);
  if (!ok)
    _tc_db_rollback (db);

  if (secure_delete == 0)
    _tc_db_exec (db, "PRAGMA secure_delete = OFF", NULL);
  else if (secure_delete == 2)
    _tc_db_exec (db, "PRAGMA secure_delete = FAST", NULL);

  if (!ok)
    return NULL;

  /* The log still holds the pages as they were before; copy the new ones
   * into the database and empty it. A reader in the middle of a long job
   * can keep it from finishing: then the next checkpoint does it. */
  if (sqlite3_exec (handle, "PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
    g_debug ("Checkpoint after an erasure did not finish: %s", sqlite3_errmsg (handle));

  result = g_new0 (EraseResult, 1);
  result->had_contact = had_contact;

  return result;
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_export_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *text;

  text = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

void
tc_privacy_export_async (TcRepository        *repository,
                         const char          *phone,
                         TcPrivacyFormat      format,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;
  ExportData *data;
  char *e164;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (phone != NULL);
  g_return_if_fail (format == TC_PRIVACY_FORMAT_JSON || format == TC_PRIVACY_FORMAT_CSV);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_privacy_export_async);

  e164 = resolve_phone (phone, &error);
  if (e164 == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->e164 = e164;
  data->format = format;

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, export_job,
                                 data, (GDestroyNotify) export_data_free, g_free, FALSE,
                                 cancellable, on_export_done_cb, task);
}

char *
tc_privacy_export_finish (TcRepository  *repository,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_privacy_export_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_erase_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EraseResult *erased;

  erased = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (erased == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, erased, g_free);
}

void
tc_privacy_erase_async (TcRepository        *repository,
                        const char          *phone,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;
  char *e164;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (phone != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_privacy_erase_async);
  /* A committed erasure is reported as done even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  e164 = resolve_phone (phone, &error);
  if (e164 == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, erase_job,
                                 e164, g_free, g_free, TRUE,
                                 cancellable, on_erase_done_cb, task);
}

gboolean
tc_privacy_erase_finish (TcRepository  *repository,
                         GAsyncResult  *result,
                         gboolean      *had_contact,
                         GError       **error)
{
  g_autofree EraseResult *erased = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_privacy_erase_async, FALSE);

  erased = g_task_propagate_pointer (G_TASK (result), error);
  if (erased == NULL)
    return FALSE;

  if (had_contact != NULL)
    *had_contact = erased->had_contact;

  return TRUE;
}
