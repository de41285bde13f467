/* tc-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Workspace settings in the settings table (schema 4, see
 * tc-repository.c): key → text, with the time of the last change. Reads
 * run on the repository's reader, changes on its writer; after a change
 * the repository emits "settings-changed" (detailed by the key) on the
 * caller's main context.
 */

#define G_LOG_DOMAIN "tc-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-keywords.h"
#include "tc-prices.h"
#include "tc-quiet-hours.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

/* Keys are short dotted names; values are a line or a short paragraph,
 * except the rule tables kept as JSON (quiet hours, custom keywords). */
#define MAX_KEY_BYTES        128
#define MAX_VALUE_BYTES      4096
#define MAX_JSON_VALUE_BYTES (64 * 1024)

typedef struct
{
  char *key;
  char *value;   /* NULL: remove */
} SetData;

static void
set_data_free (SetData *data)
{
  g_free (data->key);
  g_free (data->value);
  g_free (data);
}

/* A job's result must not be NULL: a missing value is a Value with NULL. */
typedef struct
{
  char *value;
} Value;

static void
value_free (Value *value)
{
  g_free (value->value);
  g_free (value);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

char *
_tc_db_get_setting (TcDb        *db,
                    const char  *key,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT value FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the setting");
      return NULL;
    }

  return value;
}

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  GError *local_error = NULL;
  Value *result;
  char *value;

  /* Internal keys (the salt of the suppression list) are not settings a
   * person reads or changes. */
  if (g_str_has_prefix (job_data, TC_SETTING_INTERNAL_PREFIX))
    value = NULL;
  else
    value = _tc_db_get_setting (db, job_data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  result = g_new0 (Value, 1);
  result->value = value;

  return result;
}

static gpointer
get_all_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  const char *prefix = job_data;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* substr() rather than LIKE: a prefix may hold '_' or '%'. */
  stmt = _tc_db_prepare (db,
                         "SELECT key, value FROM settings"
                         " WHERE substr (key, 1, length (?1)) = ?1"
                         " AND substr (key, 1, 8) <> 'privacy.' ORDER BY key",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (values,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the settings");
      return NULL;
    }

  return g_steal_pointer (&values);
}

static gpointer
set_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  SetData *data = job_data;
  sqlite3_stmt *stmt;

  if (data->value == NULL)
    stmt = _tc_db_prepare (db, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = _tc_db_prepare (db,
                           "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT (key) DO UPDATE SET"
                           "   value = excluded.value, updated_at = excluded.updated_at",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, data->key, -1, SQLITE_TRANSIENT);
  if (data->value != NULL)
    {
      sqlite3_bind_text (stmt, 2, data->value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      _tc_db_set_error (db, error, "Cannot store the setting");
      return NULL;
    }
  sqlite3_reset (stmt);

  /* Every connection's parsed price table is out of date. */
  if (g_str_has_prefix (data->key, TC_SETTING_PRICES_PREFIX))
    _tc_prices_invalidate ();

  return GINT_TO_POINTER (1);
}

/* ------------------------------------------------------------------------
 * Validation of the known keys, before anything is queued.
 */

static gboolean
is_boolean (const char *value)
{
  return strcmp (value, "true") == 0 || strcmp (value, "false") == 0;
}

static gboolean
is_event_name (const char *value)
{
  if (value[0] == '\0' || strlen (value) > 64)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_unsigned (const char *value,
             guint64     min,
             guint64     max)
{
  guint64 number;

  return g_ascii_string_to_unsigned (value, 10, min, max, &number, NULL);
}

static gboolean
is_port (const char *value)
{
  guint64 port;

  return g_ascii_string_to_unsigned (value, 10, 0, 65535, &port, NULL);
}

static gboolean
is_address (const char *value)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (value);

  return address != NULL;
}

/* A host name only: no scheme, path, port, user or blank. Empty turns
 * click tracking off. */
static gboolean
is_host (const char *value)
{
  if (value[0] == '\0')
    return TRUE;
  if (strlen (value) > 253 || value[0] == '.' || value[0] == '-')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      /* Non-ASCII bytes are allowed: internationalized domain names. */
      if (c < 0x80 && !g_ascii_isalnum (c) && c != '.' && c != '-')
        return FALSE;
    }

  return strstr (value, "..") == NULL;
}

/* @prefix then 32 hexadecimal digits: a Twilio SID ("AC…", "MG…"). */
static gboolean
is_sid (const char *value,
        const char *prefix)
{
  if (!g_str_has_prefix (value, prefix) || strlen (value) != strlen (prefix) + 32)
    return FALSE;

  for (const char *p = value + strlen (prefix); *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return TRUE;
}

/* Digits only: a Meta id (phone-number id, WhatsApp Business Account). */
static gboolean
is_digits (const char *value,
           gsize       min_length,
           gsize       max_length)
{
  gsize length = strlen (value);

  if (length < min_length || length > max_length)
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* An http or https URL with a host and without user, query or fragment:
 * a base the providers append their paths to. */
static gboolean
is_web_url (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && host[0] != '\0' &&
         g_uri_get_userinfo (uri) == NULL &&
         g_uri_get_query (uri) == NULL &&
         g_uri_get_fragment (uri) == NULL;
}

/* "v23.0": Meta's Graph API version. */
static gboolean
is_api_version (const char *value)
{
  const char *p = value;
  gsize major = 0;
  gsize minor = 0;

  if (*p++ != 'v')
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    major++;
  if (major == 0 || major > 3 || *p++ != '.')
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    minor++;

  return minor >= 1 && minor <= 2 && *p == '\0';
}

/* Who Twilio sends from: an E.164 number, a short code, or an alphanumeric
 * sender id (letters, digits and spaces, at most 11, with a letter). */
static gboolean
is_twilio_sender (const char *value)
{
  gboolean letter = FALSE;
  gsize length = strlen (value);

  if (value[0] == '+')
    return value[1] != '0' && is_digits (value + 1, 7, 15);
  if (is_digits (value, 3, 8))
    return TRUE;
  if (length == 0 || length > 11 || value[0] == ' ' || value[length - 1] == ' ')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        letter = TRUE;
      else if (!g_ascii_isdigit (*p) && *p != ' ')
        return FALSE;
    }

  return letter;
}

static gsize
max_value_bytes (const char *key)
{
  if (strcmp (key, TC_SETTING_QUIET_HOURS_RULES) == 0 ||
      strcmp (key, TC_SETTING_KEYWORDS_CUSTOM) == 0 ||
      strcmp (key, TC_SETTING_PRICES) == 0)
    return MAX_JSON_VALUE_BYTES;

  return MAX_VALUE_BYTES;
}

static gboolean
check_value (const char  *key,
             const char  *value,
             GError     **error)
{
  const char *expected = NULL;

  if (key[0] == '\0' || strlen (key) > MAX_KEY_BYTES || !g_utf8_validate (key, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid setting name"), key);
      return FALSE;
    }

  if (g_str_has_prefix (key, TC_SETTING_INTERNAL_PREFIX))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("“%s” is kept by Textcast itself and cannot be changed: changing it "
                     "would let erased numbers be texted again"), key);
      return FALSE;
    }

  if (value == NULL)
    return TRUE;

  if (strlen (value) > max_value_bytes (key) || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The value of “%s” must be UTF-8 text of at most %d bytes"),
                   key, (int) max_value_bytes (key));
      return FALSE;
    }

  if (strcmp (key, TC_SETTING_HTTP_PORT) == 0 && !is_port (value))
    expected = _("a port number from 0 to 65535");
  else if (strcmp (key, TC_SETTING_HTTP_ADDRESS) == 0 && !is_address (value))
    expected = _("an IP address such as 127.0.0.1");
  else if (strcmp (key, TC_SETTING_SHORT_LINK_DOMAIN) == 0 && !is_host (value))
    expected = _("a host name such as go.example.com, without https:// or a path");
  else if (strcmp (key, TC_SETTING_OPTOUT_EVERY_MESSAGE) == 0 && !is_boolean (value))
    expected = _("true or false");
  else if (g_str_has_prefix (key, TC_SETTING_DOUBLE_OPTIN_PREFIX) && !is_boolean (value))
    expected = _("true or false");
  else if (strcmp (key, TC_SETTING_CONFIRM_HOURS) == 0 && !is_unsigned (value, 1, 24 * 365))
    expected = _("a number of hours from 1 to 8760");
  else if (strcmp (key, TC_SETTING_CAP_COUNT) == 0 && !is_unsigned (value, 0, 1000))
    expected = _("a number of messages from 0 (no cap) to 1000");
  else if (strcmp (key, TC_SETTING_CAP_HOURS) == 0 && !is_unsigned (value, 1, 24 * 365))
    expected = _("a number of hours from 1 to 8760");
  else if (strcmp (key, TC_SETTING_ATTRIBUTION_CLICK_DAYS) == 0 && !is_unsigned (value, 0, 90))
    expected = _("a number of days from 0 (clicks not counted) to 90");
  else if (strcmp (key, TC_SETTING_ATTRIBUTION_RECEIVE_HOURS) == 0 && !is_unsigned (value, 0, 24 * 30))
    expected = _("a number of hours from 0 (receiving alone never counts) to 720");
  else if (strcmp (key, TC_SETTING_ATTRIBUTION_EVENT) == 0 && !is_event_name (value))
    expected = _("an event name of lower-case letters, digits and _, such as order_placed");
  else if (strcmp (key, TC_SETTING_PROVIDER_SMS) == 0 &&
           strcmp (value, "simulator") != 0 && strcmp (value, "twilio") != 0)
    expected = _("simulator or twilio");
  else if (strcmp (key, TC_SETTING_PROVIDER_WHATSAPP) == 0 &&
           strcmp (value, "simulator") != 0 && strcmp (value, "whatsapp") != 0 &&
           strcmp (value, "twilio") != 0)
    expected = _("simulator, whatsapp (the Meta Cloud API) or twilio");
  else if (strcmp (key, TC_SETTING_TWILIO_ACCOUNT_SID) == 0 && !is_sid (value, "AC"))
    expected = _("an Account SID: AC followed by 32 hexadecimal digits, as shown in the Twilio "
                 "console");
  else if (strcmp (key, TC_SETTING_TWILIO_MESSAGING_SERVICE_SID) == 0 && value[0] != '\0' &&
           !is_sid (value, "MG"))
    expected = _("a Messaging Service SID: MG followed by 32 hexadecimal digits");
  else if (strcmp (key, TC_SETTING_TWILIO_FROM) == 0 && value[0] != '\0' &&
           !is_twilio_sender (value))
    expected = _("a phone number in international format such as +14155550100, a short code, "
                 "or an alphanumeric sender id of at most 11 letters and digits");
  else if ((strcmp (key, TC_SETTING_TWILIO_BASE_URL) == 0 ||
            strcmp (key, TC_SETTING_WHATSAPP_API_BASE) == 0 ||
            strcmp (key, TC_SETTING_HTTP_PUBLIC_URL) == 0) &&
           value[0] != '\0' && !is_web_url (value))
    expected = _("an http:// or https:// address such as https://example.com, without a query");
  else if ((strcmp (key, TC_SETTING_WHATSAPP_PHONE_NUMBER_ID) == 0 ||
            strcmp (key, TC_SETTING_WHATSAPP_WABA_ID) == 0) && !is_digits (value, 1, 32))
    expected = _("the id as digits only, as shown in the Meta app dashboard (WhatsApp → API Setup)");
  else if (strcmp (key, TC_SETTING_WHATSAPP_API_VERSION) == 0 && !is_api_version (value))
    expected = _("a Graph API version such as v23.0");

  if (expected != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not valid for %s: expected %s"), value, key, expected);
      return FALSE;
    }

  /* The rule tables are checked by the code that reads them, so a broken
   * table never reaches the workspace. */
  if (strcmp (key, TC_SETTING_QUIET_HOURS_RULES) == 0)
    {
      g_autoptr(TcQuietHours) rules = tc_quiet_hours_new_from_json (value, error);

      if (rules == NULL)
        return FALSE;
    }
  else if (strcmp (key, TC_SETTING_PRICES) == 0)
    {
      g_autoptr(TcPrices) prices = tc_prices_new_from_json (value, error);

      if (prices == NULL)
        return FALSE;
    }
  else if (g_str_has_prefix (key, "keywords."))
    {
      g_autoptr(GHashTable) one = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(TcKeywords) keywords = NULL;

      g_hash_table_insert (one, (gpointer) key, (gpointer) value);
      keywords = tc_keywords_new_from_settings (one, error);
      if (keywords == NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
tc_settings_check_value (const char  *key,
                         const char  *value,
                         GError     **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_value (key, value, error);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
get_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  Value *value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) value_free);
}

void
tc_settings_get_async (TcRepository        *repository,
                       const char          *key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (key != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_settings_get_async);

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, get_job, g_strdup (key), g_free,
                                 (GDestroyNotify) value_free, FALSE, cancellable,
                                 get_done_cb, task);
}

char *
tc_settings_get_finish (TcRepository  *repository,
                        GAsyncResult  *result,
                        GError       **error)
{
  Value *value;
  char *text;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_settings_get_async, NULL);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return NULL;

  text = g_steal_pointer (&value->value);
  value_free (value);

  return text;
}

static void
get_all_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GHashTable *values;

  values = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (values == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, values, (GDestroyNotify) g_hash_table_unref);
}

void
tc_settings_get_all_async (TcRepository        *repository,
                           const char          *prefix,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_settings_get_all_async);

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, get_all_job,
                                 g_strdup (prefix != NULL ? prefix : ""), g_free,
                                 (GDestroyNotify) g_hash_table_unref, FALSE, cancellable,
                                 get_all_done_cb, task);
}

GHashTable *
tc_settings_get_all_finish (TcRepository  *repository,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_settings_get_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcRepository *repository = TC_REPOSITORY (object);
  const char *key = g_task_get_task_data (task);
  g_autofree char *signal_name = NULL;
  GError *error = NULL;

  if (_tc_repository_run_finish (repository, result, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* On the caller's context, as every completion of the repository;
   * detailed, so that "settings-changed::http.port" sees only its key. */
  signal_name = g_strconcat ("settings-changed::", key, NULL);
  g_signal_emit_by_name (repository, signal_name, key);
  g_task_return_boolean (task, TRUE);
}

void
tc_settings_set_async (TcRepository        *repository,
                       const char          *key,
                       const char          *value,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  GError *error = NULL;
  SetData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (key != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_settings_set_async);
  g_task_set_task_data (task, g_strdup (key), g_free);
  /* A committed change is reported as done even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  if (!check_value (key, value, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (SetData, 1);
  data->key = g_strdup (key);
  data->value = g_strdup (value);

  /* No "contacts-changed": no contact list shows settings. */
  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, set_job,
                                 data, (GDestroyNotify) set_data_free, NULL, FALSE,
                                 cancellable, set_done_cb, task);
}

gboolean
tc_settings_set_finish (TcRepository  *repository,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_settings_set_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
