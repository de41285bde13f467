/* tc-events-import.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-events"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tc-csv-private.h"
#include "tc-events-import.h"
#include "tc-events.h"
#include "tc-repository-private.h"

typedef enum
{
  COLUMN_PROPERTY,
  COLUMN_PHONE,
  COLUMN_EVENT,
  COLUMN_TIME,
  COLUMN_KEY,
  COLUMN_VALUE,
  COLUMN_CURRENCY,
  COLUMN_SOURCE,
} Column;

static const struct {
  const char *name;
  Column      column;
} column_names[] = {
  { "phone", COLUMN_PHONE }, { "mobile", COLUMN_PHONE }, { "number", COLUMN_PHONE },
  { "phone_number", COLUMN_PHONE },
  { "event", COLUMN_EVENT }, { "name", COLUMN_EVENT }, { "event_name", COLUMN_EVENT },
  { "occurred_at", COLUMN_TIME }, { "time", COLUMN_TIME }, { "date", COLUMN_TIME },
  { "timestamp", COLUMN_TIME },
  { "id", COLUMN_KEY }, { "event_id", COLUMN_KEY }, { "key", COLUMN_KEY },
  { "order_id", COLUMN_KEY }, { "external_id", COLUMN_KEY },
  { "value", COLUMN_VALUE }, { "amount", COLUMN_VALUE }, { "total", COLUMN_VALUE },
  { "currency", COLUMN_CURRENCY },
  { "source", COLUMN_SOURCE },
};

static void
rejected_free (TcEventsRejected *rejected)
{
  g_free (rejected->message);
  g_free (rejected);
}

void
tc_events_import_report_free (TcEventsImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rejected, g_ptr_array_unref);
  g_free (report);
}

/* "Order Id", "order-id" → "order_id". */
static char *
column_key (const char *header)
{
  char *key = g_utf8_strdown (header, -1);

  g_strstrip (key);
  for (char *p = key; *p != '\0'; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';
  return key;
}

static Column
column_of (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (strcmp (column_names[i].name, key) == 0)
      return column_names[i].column;
  return COLUMN_PROPERTY;
}

static gboolean
parse_time (const char *text,
            gint64     *unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  if (time == NULL && strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);

      time = g_date_time_new_from_iso8601 (midnight, NULL);
    }
  if (time == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (time);
  return TRUE;
}

typedef struct
{
  char *path;
  char *region;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->path);
  g_free (job->region);
  g_free (job);
}

static void
reject (TcEventsImportReport *report,
        guint                 line,
        char                 *message)
{
  TcEventsRejected *rejected = g_new0 (TcEventsRejected, 1);

  rejected->line = line;
  rejected->message = message;
  g_ptr_array_add (report->rejected, rejected);
}

/* The event of one row, before it is checked: NULL with a rejection
 * message when a cell cannot be read. */
static TcEvent *
row_event (const TcCsvRecord  *record,
           GStrv               keys,
           const Column       *columns,
           char              **message)
{
  g_autoptr(TcEvent) event = g_new0 (TcEvent, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint c = 0; keys[c] != NULL && c < record->n_fields; c++)
    {
      g_autofree char *cell = g_strstrip (g_strdup (record->fields[c]));

      if (cell[0] == '\0')
        continue;
      switch (columns[c])
        {
        case COLUMN_PHONE:
          event->phone = g_steal_pointer (&cell);
          break;
        case COLUMN_EVENT:
          /* "Order Placed" as a spreadsheet writes it: order_placed. */
          event->name = column_key (cell);
          break;
        case COLUMN_TIME:
          if (!parse_time (cell, &event->occurred_at))
            {
              *message = g_strdup_printf (_("column %s: “%s” is not a time; write it as 2026-03-01T09:30:00Z "
                                            "or 2026-03-01"), keys[c], cell);
              return NULL;
            }
          break;
        case COLUMN_KEY:
          event->key = g_steal_pointer (&cell);
          break;
        case COLUMN_SOURCE:
          event->source = g_steal_pointer (&cell);
          break;
        case COLUMN_VALUE:
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, cell);
          break;
        case COLUMN_CURRENCY:
          json_builder_set_member_name (builder, "currency");
          json_builder_add_string_value (builder, cell);
          break;
        case COLUMN_PROPERTY:
        default:
          json_builder_set_member_name (builder, keys[c]);
          json_builder_add_string_value (builder, cell);
          break;
        }
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  event->properties = json_to_string (root, FALSE);
  if (event->source == NULL)
    event->source = g_strdup ("import");

  return g_steal_pointer (&event);
}

static gpointer
import_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ImportJob *job = job_data;
  g_autoptr(TcEventsImportReport) report = g_new0 (TcEventsImportReport, 1);
  g_autoptr(TcCsvReader) reader = NULL;
  g_auto(GStrv) headers = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree Column *columns = NULL;
  gboolean has_phone = FALSE, has_event = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TcCsvRecord record;
  guint n_headers;

  report->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) rejected_free);

  reader = _tc_csv_reader_new_for_path (job->path, error);
  if (reader == NULL)
    return NULL;
  headers = _tc_csv_reader_read_header (reader, error);
  if (headers == NULL)
    return NULL;

  n_headers = g_strv_length (headers);
  columns = g_new0 (Column, n_headers);
  for (guint c = 0; c < n_headers; c++)
    {
      char *key = column_key (headers[c]);

      columns[c] = column_of (key);
      has_phone |= columns[c] == COLUMN_PHONE;
      has_event |= columns[c] == COLUMN_EVENT;
      g_ptr_array_add (keys, key);
    }
  g_ptr_array_add (keys, NULL);
  if (!has_phone || !has_event)
    {
      g_set_error (error, TC_EVENTS_ERROR, TC_EVENTS_ERROR_INVALID,
                   _("The file has no %s column: add a column named %s (the header row names "
                     "the columns)"), !has_phone ? "phone" : "event", !has_phone ? "phone" : "event");
      return NULL;
    }

  if (!_tc_db_begin (db, error))
    return NULL;

  for (;;)
    {
      g_autoptr(TcEvent) event = NULL;
      g_autoptr(TcEvent) checked = NULL;
      g_autoptr(TcEventOutcome) outcome = NULL;
      g_autoptr(GError) row_error = NULL;
      char *message = NULL;

      if (!_tc_csv_reader_next (reader, &record, error))
        {
          if (error != NULL && *error != NULL)
            goto fail;
          break;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      report->n_rows++;

      if (record.malformed != NULL)
        {
          reject (report, record.line, g_strdup (record.malformed));
          continue;
        }
      event = row_event (&record, (GStrv) keys->pdata, columns, &message);
      if (event == NULL)
        {
          reject (report, record.line, message);
          continue;
        }
      if (event->occurred_at == 0)
        event->occurred_at = now;

      checked = tc_event_check (event, job->region, &row_error);
      if (checked != NULL)
        outcome = _tc_db_record_event (db, checked, now, &row_error);
      if (outcome == NULL)
        {
          /* The database's own failures end the import; the row's, the row. */
          if (row_error->domain != TC_EVENTS_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&row_error));
              goto fail;
            }
          reject (report, record.line, g_strdup (row_error->message));
          continue;
        }
      if (outcome->inserted)
        report->n_recorded++;
      else
        report->n_repeated++;
      if (outcome->contact_created)
        report->n_contacts_created++;
    }

  if (!_tc_db_commit (db, error))
    goto fail;
  return g_steal_pointer (&report);

fail:
  _tc_db_rollback (db);
  return NULL;
}

static void
on_import_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TcEventsImportReport *report = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) tc_events_import_report_free);
}

void
tc_events_import_async (TcRepository        *repository,
                        const char          *path,
                        const char          *default_region,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (path != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_events_import_async);
  job = g_new0 (ImportJob, 1);
  job->path = g_strdup (path);
  job->region = g_strdup (default_region != NULL ? default_region : "US");
  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, import_job, job,
                            (GDestroyNotify) import_job_free,
                            (GDestroyNotify) tc_events_import_report_free, cancellable,
                            on_import_done_cb, g_steal_pointer (&task));
}

TcEventsImportReport *
tc_events_import_finish (TcRepository  *repository,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
