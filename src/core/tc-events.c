/* tc-events.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The events table (schema 8, see tc-repository.c). Events are checked and
 * normalized on the caller's thread (tc_event_check()), so the writer only
 * looks the contact up, creates it when new, and inserts; a batch is one
 * transaction.
 */

#define G_LOG_DOMAIN "tc-events"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-consent-ledger.h"
#include "tc-events.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"

#define DEFAULT_SOURCE     "api"
#define DEFAULT_LIST_LIMIT 1000

#define EVENT_COLUMNS \
  "e.id, e.event_key, e.contact_id, c.phone, e.name, e.occurred_at, e.recorded_at, e.source," \
  " e.value, e.currency, e.properties"

G_DEFINE_QUARK (tc-events-error-quark, tc_events_error)

/* ------------------------------------------------------------------------
 * The record
 */

G_DEFINE_BOXED_TYPE (TcEvent, tc_event, tc_event_copy, tc_event_free)

TcEvent *
tc_event_new (const char *name,
              const char *phone)
{
  TcEvent *event;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (phone != NULL, NULL);

  event = g_new0 (TcEvent, 1);
  event->name = g_strdup (name);
  event->phone = g_strdup (phone);
  event->currency = g_strdup ("");

  return event;
}

TcEvent *
tc_event_copy (const TcEvent *event)
{
  TcEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_new0 (TcEvent, 1);
  *copy = *event;
  copy->key = g_strdup (event->key);
  copy->phone = g_strdup (event->phone);
  copy->name = g_strdup (event->name);
  copy->source = g_strdup (event->source);
  copy->currency = g_strdup (event->currency);
  copy->properties = g_strdup (event->properties);

  return copy;
}

void
tc_event_free (TcEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->key);
  g_free (event->phone);
  g_free (event->name);
  g_free (event->source);
  g_free (event->currency);
  g_free (event->properties);
  g_free (event);
}

void
tc_event_outcome_free (TcEventOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_clear_pointer (&outcome->event, tc_event_free);
  g_free (outcome);
}

void
tc_event_build_json (const TcEvent *event,
                     JsonBuilder   *builder)
{
  g_autoptr(JsonNode) properties = NULL;
  g_autofree char *occurred = NULL;
  g_autofree char *recorded = NULL;

  g_return_if_fail (event != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  properties = json_from_string (event->properties != NULL ? event->properties : "{}", NULL);
  occurred = tc_format_iso8601_utc (event->occurred_at);
  recorded = tc_format_iso8601_utc (event->recorded_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, event->id);
  json_builder_set_member_name (builder, "key");
  if (event->key != NULL)
    json_builder_add_string_value (builder, event->key);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "contact_id");
  json_builder_add_int_value (builder, event->contact_id);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, event->phone != NULL ? event->phone : "");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, event->name);
  json_builder_set_member_name (builder, "occurred_at");
  json_builder_add_string_value (builder, occurred);
  json_builder_set_member_name (builder, "recorded_at");
  json_builder_add_string_value (builder, recorded);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, event->source != NULL ? event->source : "");
  json_builder_set_member_name (builder, "value");
  if (event->has_value)
    json_builder_add_double_value (builder, event->value);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "currency");
  if (event->currency != NULL && event->currency[0] != '\0')
    json_builder_add_string_value (builder, event->currency);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "properties");
  if (properties != NULL && JSON_NODE_HOLDS_OBJECT (properties))
    json_builder_add_value (builder, g_steal_pointer (&properties));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------
 * Checking
 */

static gboolean
is_identifier (const char *text,
               gsize       max_len)
{
  gsize len = strlen (text);

  if (len == 0 || len > max_len)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
is_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID, message);

  return FALSE;
}

/* value: a JSON number, or a text that is a whole decimal number. */
static gboolean
lift_value (JsonNode  *node,
            TcEvent   *event,
            GError   **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      event->value = json_node_get_double (node);
      event->has_value = TRUE;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      double value = g_ascii_strtod (text, &end);

      if (text[0] != '\0' && end != NULL && *end == '\0' && isfinite (value))
        {
          event->value = value;
          event->has_value = TRUE;
          return TRUE;
        }
    }

  {
    g_autofree char *text = json_to_string (node, FALSE);

    return invalid (error, _("properties.value: %s is not a number; give the amount as a "
                             "number, e.g. 49.90"), text);
  }
}

static gboolean
lift_currency (JsonNode  *node,
               TcEvent   *event,
               GError   **error)
{
  const char *text = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    text = json_node_get_string (node);

  if (text == NULL || strlen (text) != 3 || !g_ascii_isalpha (text[0]) ||
      !g_ascii_isalpha (text[1]) || !g_ascii_isalpha (text[2]))
    {
      g_autofree char *shown = json_to_string (node, FALSE);

      return invalid (error, _("properties.currency: %s is not a currency code; use the three "
                               "letters of ISO 4217, e.g. USD or EUR"), shown);
    }

  g_free (event->currency);
  event->currency = g_ascii_strup (text, -1);

  return TRUE;
}

TcEvent *
tc_event_check (const TcEvent  *event,
                const char     *default_region,
                GError        **error)
{
  g_autoptr(TcEvent) checked = NULL;
  g_autoptr(GError) phone_error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *member;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  checked = g_new0 (TcEvent, 1);

  if (event->name == NULL || !is_identifier (event->name, TC_EVENT_MAX_NAME))
    {
      invalid (error, _("name: “%s” is not an event name; names are 1 to %d lower-case letters, "
                        "digits and _, e.g. order_placed"),
               event->name != NULL ? event->name : "", TC_EVENT_MAX_NAME);
      return NULL;
    }
  checked->name = g_strdup (event->name);

  checked->phone = tc_phone_normalize (event->phone != NULL ? event->phone : "",
                                       default_region != NULL ? default_region : "US",
                                       &phone_error);
  if (checked->phone == NULL)
    {
      invalid (error, _("phone: “%s” is not a phone number Textcast can read (%s); write it with "
                        "its country code, e.g. +14155550100"),
               event->phone != NULL ? event->phone : "", phone_error->message);
      return NULL;
    }

  if (event->key != NULL)
    {
      if (event->key[0] == '\0' || strlen (event->key) > TC_EVENT_MAX_KEY ||
          !is_printable (event->key))
        {
          invalid (error, _("key: an event key is 1 to %d characters of text without line "
                            "breaks"), TC_EVENT_MAX_KEY);
          return NULL;
        }
      checked->key = g_strdup (event->key);
    }

  checked->source = g_strdup (event->source != NULL ? event->source : DEFAULT_SOURCE);
  if (!is_identifier (checked->source, TC_EVENT_MAX_SOURCE))
    {
      invalid (error, _("source: “%s” is not a source; use 1 to %d lower-case letters, digits "
                        "and _, e.g. shop or cli"), checked->source, TC_EVENT_MAX_SOURCE);
      return NULL;
    }

  if (event->occurred_at < 0)
    {
      invalid (error, _("occurred_at: the time is before 1970"));
      return NULL;
    }
  checked->occurred_at = event->occurred_at;
  checked->currency = g_strdup ("");

  /* Bounded before parsing, so that nobody makes the parser build a
   * huge tree. */
  if (event->properties != NULL && strlen (event->properties) > TC_EVENT_MAX_PROPERTIES_BYTES)
    {
      invalid (error, _("properties: more than %d KiB; send only what segments and reports "
                        "need"), TC_EVENT_MAX_PROPERTIES_BYTES / 1024);
      return NULL;
    }

  root = json_from_string (event->properties != NULL ? event->properties : "{}", &parse_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, _("properties: not a JSON object (%s); write them as {\"key\": value, …}"),
               parse_error != NULL ? parse_error->message : _("another kind of value"));
      return NULL;
    }

  object = json_node_get_object (root);
  if ((member = json_object_get_member (object, "value")) != NULL &&
      !lift_value (member, checked, error))
    return NULL;
  if ((member = json_object_get_member (object, "currency")) != NULL &&
      !lift_currency (member, checked, error))
    return NULL;

  /* Stored as written: serializing the parsed tree again would turn 49.90
   * into 49.899999999999999. */
  checked->properties = g_strstrip (g_strdup (event->properties != NULL ? event->properties
                                                                        : "{}"));
  if (strlen (checked->properties) > TC_EVENT_MAX_PROPERTIES_BYTES)
    {
      invalid (error, _("properties: more than %d KiB; send only what segments and reports "
                        "need"), TC_EVENT_MAX_PROPERTIES_BYTES / 1024);
      return NULL;
    }

  return g_steal_pointer (&checked);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static TcEvent *
event_from_row (sqlite3_stmt *stmt)
{
  TcEvent *event = g_new0 (TcEvent, 1);
  const char *key = (const char *) sqlite3_column_text (stmt, 1);

  event->id = sqlite3_column_int64 (stmt, 0);
  event->key = key != NULL ? g_strdup (key) : NULL;
  event->contact_id = sqlite3_column_int64 (stmt, 2);
  event->phone = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  event->name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  event->occurred_at = sqlite3_column_int64 (stmt, 5);
  event->recorded_at = sqlite3_column_int64 (stmt, 6);
  event->source = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  event->has_value = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
  event->value = sqlite3_column_double (stmt, 8);
  event->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  event->properties = g_strdup ((const char *) sqlite3_column_text (stmt, 10));

  return event;
}

/* The event with @sql's single parameter @value (id or key), or NULL
 * without an error when there is none. */
static TcEvent *
load_event (TcDb        *db,
            const char  *sql,
            gint64       id,
            const char  *key,
            GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, sql, error);
  TcEvent *event = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  if (key != NULL)
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    event = event_from_row (stmt);
  else if (rc != SQLITE_DONE)
    _tc_db_set_error (db, error, "Cannot read the event");
  sqlite3_reset (stmt);

  return event;
}

TcEventOutcome *
_tc_db_record_event (TcDb           *db,
                     const TcEvent  *checked,
                     gint64          now,
                     GError        **error)
{
  g_autoptr(TcEventOutcome) outcome = g_new0 (TcEventOutcome, 1);
  g_autoptr(GError) local_error = NULL;
  gboolean suppressed = FALSE;
  sqlite3_stmt *stmt;
  gint64 contact_id = 0;
  gint64 id;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (checked != NULL, NULL);

  if (checked->key != NULL)
    {
      outcome->event = load_event (db, "SELECT " EVENT_COLUMNS " FROM events e"
                                   " JOIN contacts c ON c.id = e.contact_id WHERE e.event_key = ?1",
                                   0, checked->key, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (outcome->event != NULL)
        return g_steal_pointer (&outcome);
    }

  if (!_tc_db_find_contact_by_phone (db, checked->phone, &contact_id, NULL, error))
    return NULL;

  if (contact_id == 0)
    {
      /* Someone erased at their request is not brought back by a shop's
       * webhook. */
      if (!_tc_db_is_suppressed (db, checked->phone, &suppressed, error))
        return NULL;
      if (suppressed)
        {
          g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_ERASED,
                       _("%s was erased at the person’s request; Textcast records no events "
                         "about them"), checked->phone);
          return NULL;
        }
      if (!_tc_db_create_contact_for_phone (db, checked->phone, now, &contact_id, error))
        return NULL;
      outcome->contact_created = TRUE;
    }

  stmt = _tc_db_prepare (db,
                         "INSERT INTO events (event_key, contact_id, name, occurred_at, recorded_at,"
                         " source, value, currency, properties)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         error);
  if (stmt == NULL)
    return NULL;

  if (checked->key != NULL)
    sqlite3_bind_text (stmt, 1, checked->key, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  sqlite3_bind_text (stmt, 3, checked->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, checked->occurred_at != 0 ? checked->occurred_at : now);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, checked->source, -1, SQLITE_TRANSIENT);
  if (checked->has_value)
    sqlite3_bind_double (stmt, 7, checked->value);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_text (stmt, 8, checked->currency != NULL ? checked->currency : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, checked->properties != NULL ? checked->properties : "{}", -1,
                     SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot store the event");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  id = sqlite3_last_insert_rowid (_tc_db_get_handle (db));
  outcome->event = load_event (db, "SELECT " EVENT_COLUMNS " FROM events e"
                               " JOIN contacts c ON c.id = e.contact_id WHERE e.id = ?1",
                               id, NULL, error);
  if (outcome->event == NULL)
    return NULL;
  outcome->inserted = TRUE;

  return g_steal_pointer (&outcome);
}

GPtrArray *
_tc_db_events_for_contact (TcDb     *db,
                           gint64    contact_id,
                           GError  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = _tc_db_prepare (db,
                         "SELECT " EVENT_COLUMNS " FROM events e JOIN contacts c"
                         " ON c.id = e.contact_id WHERE e.contact_id = ?1"
                         " ORDER BY e.occurred_at, e.id",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the events");
      return NULL;
    }

  return g_steal_pointer (&events);
}

typedef struct
{
  GPtrArray *events;    /* checked TcEvent */
  gboolean   batch;
  char      *phone;     /* list: E.164 or NULL */
  char      *name;      /* list */
  guint      limit;
} JobData;

static void
job_data_free (JobData *data)
{
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_free (data->phone);
  g_free (data->name);
  g_free (data);
}

static gpointer
record_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  JobData *data = job_data;
  g_autoptr(GPtrArray) outcomes = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  outcomes = g_ptr_array_new_full (data->events->len, (GDestroyNotify) tc_event_outcome_free);

  if (!_tc_db_begin (db, error))
    return NULL;

  for (guint i = 0; i < data->events->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      TcEventOutcome *outcome;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      outcome = _tc_db_record_event (db, g_ptr_array_index (data->events, i), now, &local_error);
      if (outcome == NULL)
        {
          if (data->batch)
            g_prefix_error (&local_error, "events[%u]: ", i);
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      g_ptr_array_add (outcomes, outcome);
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  return g_steal_pointer (&outcomes);

failed:
  _tc_db_rollback (db);
  return NULL;
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  JobData *data = job_data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_event_free);
  sqlite3_stmt *stmt;
  gint64 contact_id = 0;
  int rc;

  if (data->phone != NULL)
    {
      if (!_tc_db_find_contact_by_phone (db, data->phone, &contact_id, NULL, error))
        return NULL;
      if (contact_id == 0)
        {
          g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_NOT_FOUND,
                       _("No contact has the number %s"), data->phone);
          return NULL;
        }
    }

  /* ?1 = 0 and ?2 IS NULL stand for "any": one statement for the four
   * combinations, each served by an index. */
  stmt = _tc_db_prepare (db,
                         "SELECT " EVENT_COLUMNS " FROM events e JOIN contacts c"
                         " ON c.id = e.contact_id"
                         " WHERE (?1 = 0 OR e.contact_id = ?1) AND (?2 IS NULL OR e.name = ?2)"
                         " ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?3",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (data->name != NULL)
    sqlite3_bind_text (stmt, 2, data->name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, data->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the events");
      return NULL;
    }

  return g_steal_pointer (&events);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) g_ptr_array_unref);
}

static void
record_events (TcRepository        *repository,
               gpointer             source_tag,
               GPtrArray           *events,
               gboolean             batch,
               const char          *default_region,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GPtrArray) checked = NULL;
  JobData *data;
  GTask *task;

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* A committed batch is reported as done even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  if (events->len > TC_EVENTS_MAX_BATCH)
    {
      g_task_return_new_error (task, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID,
                               _("events: %u events in one batch; send at most %d at a time"),
                               events->len, TC_EVENTS_MAX_BATCH);
      g_object_unref (task);
      return;
    }

  checked = g_ptr_array_new_full (events->len, (GDestroyNotify) tc_event_free);
  for (guint i = 0; i < events->len; i++)
    {
      GError *error = NULL;
      TcEvent *event = tc_event_check (g_ptr_array_index (events, i), default_region, &error);

      if (event == NULL)
        {
          if (batch)
            g_prefix_error (&error, "events[%u]: ", i);
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_ptr_array_add (checked, event);
    }

  data = g_new0 (JobData, 1);
  data->events = g_steal_pointer (&checked);
  data->batch = batch;

  /* "contacts-changed": a new number may have become a contact. */
  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, record_job, data,
                            (GDestroyNotify) job_data_free, (GDestroyNotify) g_ptr_array_unref,
                            cancellable, on_job_done_cb, task);
}

void
tc_events_record_async (TcRepository        *repository,
                        const TcEvent       *event,
                        const char          *default_region,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new ();

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (event != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  g_ptr_array_add (events, (gpointer) event);
  record_events (repository, tc_events_record_async, events, FALSE, default_region, cancellable,
                 callback, user_data);
}

TcEventOutcome *
tc_events_record_finish (TcRepository  *repository,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GPtrArray) outcomes = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_events_record_async, NULL);

  outcomes = g_task_propagate_pointer (G_TASK (result), error);
  if (outcomes == NULL)
    return NULL;

  return g_ptr_array_steal_index (outcomes, 0);
}

void
tc_events_record_batch_async (TcRepository        *repository,
                              GPtrArray           *events,
                              const char          *default_region,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (events != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  record_events (repository, tc_events_record_batch_async, events, TRUE, default_region,
                 cancellable, callback, user_data);
}

GPtrArray *
tc_events_record_batch_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_events_record_batch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_events_list_async (TcRepository        *repository,
                      const char          *phone,
                      const char          *name,
                      const char          *default_region,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GError) phone_error = NULL;
  JobData *data;
  GTask *task;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_events_list_async);

  data = g_new0 (JobData, 1);
  data->name = g_strdup (name);
  data->limit = limit > 0 ? limit : DEFAULT_LIST_LIMIT;
  if (phone != NULL)
    {
      data->phone = tc_phone_normalize (phone, default_region != NULL ? default_region : "US",
                                        &phone_error);
      if (data->phone == NULL)
        {
          g_task_return_new_error (task, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID,
                                   _("phone: “%s” is not a phone number Textcast can read (%s)"),
                                   phone, phone_error->message);
          job_data_free (data);
          g_object_unref (task);
          return;
        }
    }

  _tc_repository_run_async (repository, TC_DB_JOB_READ, list_job, data,
                            (GDestroyNotify) job_data_free, (GDestroyNotify) g_ptr_array_unref,
                            cancellable, on_job_done_cb, task);
}

GPtrArray *
tc_events_list_finish (TcRepository  *repository,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_events_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
