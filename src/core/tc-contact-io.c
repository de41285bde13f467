/* tc-contact-io.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import and export of contacts as CSV.
 *
 * The import is one WRITE job on the repository, one transaction, and a
 * pipeline of three stages so that both cores stay busy with what costs most
 * (libphonenumber):
 *
 *   reader thread    CSV → batches of BATCH_SIZE rows (tc-csv.c)
 *   thread pool      parses the phone numbers of a batch (and their zones),
 *                    and computes everything else a row needs that does not
 *                    need the database (sort key, search text, JSON)
 *   writer (the job) upserts the batches in file order, then commits
 *
 * The writer is the one stage that cannot be spread over the cores, so it
 * does nothing but bind and step cached statements. At most MAX_BATCHES
 * batches exist at a time, and they are recycled, so memory does not depend
 * on the size of the file. Cancelling, an error, or a crash before the
 * commit leave the database as it was.
 */

#define G_LOG_DOMAIN "tc-contact-io"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-csv-private.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"

#define BATCH_SIZE         1000
#define MAX_BATCHES        8
/* A batch's strings: about 400 bytes a row. */
#define BATCH_CHUNK_SIZE   (64 * 1024)
#define PROGRESS_INTERVAL  (G_USEC_PER_SEC / 20)
#define EXPORT_FLUSH_SIZE  (64 * 1024)

/* Report. */

static TcImportIssue *
issue_new (guint       line,
           const char *value,
           const char *reason)
{
  TcImportIssue *issue = g_new0 (TcImportIssue, 1);

  issue->line = line;
  issue->value = g_strdup (value != NULL ? value : "");
  issue->reason = g_strdup (reason);

  return issue;
}

static void
issue_free (TcImportIssue *issue)
{
  g_free (issue->value);
  g_free (issue->reason);
  g_free (issue);
}

static TcImportReport *
report_new (void)
{
  TcImportReport *report = g_new0 (TcImportReport, 1);

  report->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);

  return report;
}

TcImportReport *
tc_import_report_copy (const TcImportReport *report)
{
  TcImportReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = report_new ();
  copy->rows = report->rows;
  copy->imported = report->imported;
  copy->updated = report->updated;
  copy->rejected = report->rejected;
  copy->consents_recorded = report->consents_recorded;
  copy->consents_kept_opt_out = report->consents_kept_opt_out;
  for (guint i = 0; i < report->errors->len; i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);

      g_ptr_array_add (copy->errors, issue_new (issue->line, issue->value, issue->reason));
    }

  return copy;
}

void
tc_import_report_free (TcImportReport *report)
{
  if (report == NULL)
    return;

  g_ptr_array_unref (report->errors);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (TcImportReport, tc_import_report, tc_import_report_copy, tc_import_report_free)

/* Progress: reported from the writer, delivered on the caller's context.
 * At most one delivery is queued at a time, and nothing is delivered once
 * the import has completed. */

typedef struct
{
  GMainContext         *context;
  GMutex                mutex;
  TcImportProgressFunc  func;
  gpointer              data;
  GDestroyNotify        data_free;
  gboolean              scheduled;
  gboolean              finished;
  double                fraction;
  guint                 rows;
} Progress;

static void
progress_clear (Progress *progress)
{
  g_main_context_unref (progress->context);
  g_mutex_clear (&progress->mutex);
}

static void
progress_unref (Progress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

static gboolean
progress_deliver_cb (gpointer user_data)
{
  Progress *progress = user_data;
  TcImportProgressFunc func;
  gpointer data;
  double fraction;
  guint rows;

  g_mutex_lock (&progress->mutex);
  progress->scheduled = FALSE;
  func = progress->finished ? NULL : progress->func;
  data = progress->data;
  fraction = progress->fraction;
  rows = progress->rows;
  g_mutex_unlock (&progress->mutex);

  if (func != NULL)
    func (fraction, rows, data);

  return G_SOURCE_REMOVE;
}

static void
progress_report (Progress *progress,
                 double    fraction,
                 guint     rows)
{
  g_mutex_lock (&progress->mutex);
  progress->fraction = CLAMP (fraction, 0.0, 1.0);
  progress->rows = rows;
  if (!progress->scheduled && !progress->finished && progress->func != NULL)
    {
      GSource *source = g_idle_source_new ();

      progress->scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_deliver_cb,
                             g_atomic_rc_box_acquire (progress),
                             (GDestroyNotify) progress_unref);
      g_source_set_static_name (source, "[tc-contact-io] import progress");
      g_source_attach (source, progress->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&progress->mutex);
}

/* On the caller's context, when the import is over. */
static void
progress_finish (Progress *progress)
{
  GDestroyNotify data_free;
  gpointer data;

  g_mutex_lock (&progress->mutex);
  progress->finished = TRUE;
  data_free = g_steal_pointer (&progress->data_free);
  data = g_steal_pointer (&progress->data);
  g_mutex_unlock (&progress->mutex);

  if (data_free != NULL)
    data_free (data);
}

/* Consent columns. */

/* What a consent column is: one of the four channel × purpose pairs
 * (channel * 2 + purpose), or the row's source or wording. */
#define N_PAIRS        4
#define COLUMN_SOURCE  N_PAIRS
#define COLUMN_WORDING (N_PAIRS + 1)

typedef struct
{
  guint  column;   /* in the record */
  guint  kind;     /* pair, COLUMN_SOURCE or COLUMN_WORDING */
  char  *header;   /* as written, for the messages */
} ConsentColumn;

typedef enum
{
  PAIR_NOTHING,
  PAIR_AT,         /* opted in at @at */
  PAIR_YES,        /* opted in, time unknown: the time of the import */
} PairValue;

/* What the consent columns of one row say, read by a worker. */
typedef struct
{
  const char      *reject;        /* why the row is rejected, or NULL */
  const char      *reject_value;  /* the cell at fault */
  guint8           value[N_PAIRS];
  gint64           at[N_PAIRS];
  TcConsentSource  source;
  const char      *wording;       /* NULL when empty */
} RowConsent;

/* consent_<channel>_<purpose>, consent_source or consent_wording in any
 * case, with spaces or hyphens for the underscores; -1 for anything else. */
static int
consent_column_kind (const char *header)
{
  g_autofree char *key = g_ascii_strdown (header, -1);
  const char *rest;
  const char *sep;
  g_autofree char *channel_name = NULL;
  TcChannel channel;
  TcPurpose purpose;

  g_strstrip (key);
  g_strdelimit (key, " -", '_');
  if (!g_str_has_prefix (key, "consent_"))
    return -1;
  rest = key + strlen ("consent_");
  if (strcmp (rest, "source") == 0)
    return COLUMN_SOURCE;
  if (strcmp (rest, "wording") == 0)
    return COLUMN_WORDING;

  sep = strchr (rest, '_');
  if (sep == NULL)
    return -1;
  channel_name = g_strndup (rest, sep - rest);
  if (!tc_channel_from_string (channel_name, &channel) ||
      !tc_purpose_from_string (sep + 1, &purpose))
    return -1;

  return (int) channel * 2 + (int) purpose;
}

static gboolean
read_digits (const char **p,
             guint        n,
             int         *value)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *value = v;

  return TRUE;
}

gboolean
tc_parse_time (const char *text,
               gint64     *unix_seconds)
{
  g_autofree char *copy = NULL;
  g_autoptr(GDateTime) utc = NULL;
  const char *p;
  int year, month, day;
  int hour = 0, minute = 0, second = 0;
  int offset = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (unix_seconds != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  p = copy;

  if (!read_digits (&p, 4, &year) || *p++ != '-' || !read_digits (&p, 2, &month) ||
      *p++ != '-' || !read_digits (&p, 2, &day))
    return FALSE;
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  if (*p != '\0')
    {
      if (*p != 'T' && *p != 't' && *p != ' ')
        return FALSE;
      p++;
      if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &second))
            return FALSE;
          /* Fractions of a second do not matter to consent. */
          if (*p == '.' || *p == ',')
            {
              p++;
              if (!g_ascii_isdigit (*p))
                return FALSE;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (hour > 23 || minute > 59 || second > 59)
        return FALSE;

      if (*p == 'Z' || *p == 'z')
        p++;
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          int off_hours, off_minutes = 0;

          p++;
          if (!read_digits (&p, 2, &off_hours))
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (!read_digits (&p, 2, &off_minutes))
                return FALSE;
            }
          else if (g_ascii_isdigit (*p) && !read_digits (&p, 2, &off_minutes))
            return FALSE;
          if (off_hours > 23 || off_minutes > 59)
            return FALSE;
          offset = sign * (off_hours * 3600 + off_minutes * 60);
        }
      else
        return FALSE;   /* no offset: local to whom? */

      if (*p != '\0')
        return FALSE;
    }

  utc = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (utc == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (utc) - offset;

  return TRUE;
}

/* The pipeline. */

/* Filled by the reader, completed by a worker, read by the writer: one
 * stage at a time, handed on under the pipeline's mutex. Every string lives
 * in @strings, so a batch costs a few allocations, not a few per row. */
typedef struct
{
  guint                seq;
  guint                n_rows;
  gboolean             ready;
  guint64              position;
  GStringChunk        *strings;
  GPtrArray           *lists;                  /* tags, attributes (reader) */
  GPtrArray           *zones;                  /* time zones (worker) */
  TcCsvRow             rows[BATCH_SIZE];
  /* Worker: contacts[i].phone is NULL when the row has no valid number,
   * and errors[i] then says why (NULL: there is no number at all). */
  TcContactRow         contacts[BATCH_SIZE];
  TcContactRowDerived  derived[BATCH_SIZE];
  const char          *errors[BATCH_SIZE];
  guint                zone_lists[BATCH_SIZE];
  /* Only when the file has consent columns: their cells (reader; n_rows ×
   * the number of consent columns, NULL when empty) and what they say
   * (worker). */
  const char         **consent_cells;
  RowConsent          *consents;
} Batch;

static Batch *
batch_new (void)
{
  Batch *batch = g_new (Batch, 1);

  batch->strings = g_string_chunk_new (BATCH_CHUNK_SIZE);
  batch->lists = g_ptr_array_new ();
  batch->zones = g_ptr_array_new ();
  batch->consent_cells = NULL;
  batch->consents = NULL;

  return batch;
}

/* For reuse as batch @seq. */
static void
batch_reset (Batch *batch,
             guint  seq)
{
  batch->seq = seq;
  batch->n_rows = 0;
  batch->ready = FALSE;
  batch->position = 0;
  g_string_chunk_clear (batch->strings);
  g_ptr_array_set_size (batch->lists, 0);
  g_ptr_array_set_size (batch->zones, 0);
}

static void
batch_free (Batch *batch)
{
  g_string_chunk_free (batch->strings);
  g_ptr_array_unref (batch->lists);
  g_ptr_array_unref (batch->zones);
  g_free (batch->consent_cells);
  g_free (batch->consents);
  g_free (batch);
}

typedef struct
{
  GMutex         mutex;
  GCond          cond;
  TcCsvReader   *reader;
  TcCsvMapping  *mapping;
  const char    *default_region;
  /* Consent columns; none for most files, which then pay nothing. */
  ConsentColumn *consent_columns;
  guint          n_consent_columns;
  const char    *display_name;  /* the file's name, for the events' origin */
  gint64         now;           /* the import's time, unix seconds */
  gboolean       check_suppressed;
  GThreadPool   *pool;
  GThread       *reader_thread;
  Batch         *slots[MAX_BATCHES];
  GPtrArray     *spare;         /* batches the writer is done with */
  guint          n_produced;
  guint          in_flight;
  gboolean       reader_done;
  GError        *reader_error;
  gint           abort;
} Pipeline;

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isspace (*s))
        return FALSE;
    }
  return TRUE;
}

static const char *
reject_printf (Batch      *batch,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static const char *
reject_printf (Batch      *batch,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return g_string_chunk_insert (batch->strings, text);
}

/* Reads the consent cells of row @i into batch->consents[i]. */
static void
read_row_consent (Pipeline *pl,
                  Batch    *batch,
                  guint     i)
{
  const char **cells = &batch->consent_cells[(gsize) i * pl->n_consent_columns];
  RowConsent *rc = &batch->consents[i];
  gboolean any = FALSE;
  const char *source_header = NULL;

  memset (rc, 0, sizeof *rc);
  rc->source = TC_CONSENT_SOURCE_IMPORT;

  for (guint c = 0; c < pl->n_consent_columns && rc->reject == NULL; c++)
    {
      const ConsentColumn *column = &pl->consent_columns[c];
      const char *cell = cells[c];

      if (cell == NULL)
        continue;

      if (column->kind == COLUMN_WORDING)
        {
          if (rc->wording == NULL)
            rc->wording = cell;
        }
      else if (column->kind == COLUMN_SOURCE)
        {
          if (source_header != NULL)
            continue;
          source_header = column->header;
          if (!tc_consent_source_from_string (cell, &rc->source))
            {
              rc->reject_value = cell;
              rc->reject = reject_printf (batch,
                                          _("“%s” in %s is not a consent source: use web_form, "
                                            "checkout, keyword, qr_code, import, api or manual"),
                                          cell, column->header);
            }
        }
      else if (rc->value[column->kind] == PAIR_NOTHING)
        {
          gint64 at;

          if (g_ascii_strcasecmp (cell, "no") == 0)
            continue;
          if (g_ascii_strcasecmp (cell, "yes") == 0)
            {
              rc->value[column->kind] = PAIR_YES;
              any = TRUE;
            }
          else if (tc_parse_time (cell, &at))
            {
              if (at > pl->now)
                {
                  rc->reject_value = cell;
                  rc->reject = reject_printf (batch,
                                              _("%s says “%s”, which is in the future: an opt-in "
                                                "time must be when the person agreed"),
                                              column->header, cell);
                }
              rc->value[column->kind] = PAIR_AT;
              rc->at[column->kind] = at;
              any = TRUE;
            }
          else
            {
              rc->reject_value = cell;
              rc->reject = reject_printf (batch,
                                          _("“%s” in %s is not an opt-in time, yes or no: write "
                                            "a time with its offset (2026-03-01T09:30:00Z) or a "
                                            "date (2026-03-01)"),
                                          cell, column->header);
            }
        }
    }

  /* The same proof the ledger asks of anyone recording an opt-in. */
  if (rc->reject == NULL && any && rc->wording == NULL &&
      (rc->source == TC_CONSENT_SOURCE_WEB_FORM || rc->source == TC_CONSENT_SOURCE_CHECKOUT ||
       rc->source == TC_CONSENT_SOURCE_QR_CODE || rc->source == TC_CONSENT_SOURCE_MANUAL ||
       rc->source == TC_CONSENT_SOURCE_API))
    {
      rc->reject_value = tc_consent_source_to_string (rc->source);
      rc->reject = reject_printf (batch,
                                  _("an opt-in from %s needs the words the person agreed to "
                                    "in a consent_wording column"),
                                  tc_consent_source_to_string (rc->source));
    }
}

static void
parse_batch (gpointer data,
             gpointer user_data)
{
  Batch *batch = data;
  Pipeline *pl = user_data;
  g_autoptr(GString) scratch = g_string_sized_new (256);
  guint n = 0;

  /* The numbers first: what a row keeps of its TcPhoneInfo is copied into
   * the batch, and the info is freed on the thread that allocated it. */
  for (; n < batch->n_rows && !g_atomic_int_get (&pl->abort); n++)
    {
      const TcCsvRow *row = &batch->rows[n];
      TcContactRow *contact = &batch->contacts[n];
      GError *error = NULL;
      TcPhoneInfo *info;

      memset (contact, 0, sizeof *contact);
      batch->errors[n] = NULL;
      batch->zone_lists[n] = G_MAXUINT;

      if (row->malformed != NULL || is_blank (row->phone))
        continue;

      info = tc_phone_parse (row->phone, row->region, TC_PHONE_PARSE_TIMEZONES, &error);
      if (info == NULL)
        {
          batch->errors[n] = g_string_chunk_insert (batch->strings, error->message);
          g_error_free (error);
          continue;
        }

      contact->phone = g_string_chunk_insert (batch->strings, info->e164);
      /* The number knows its country best; non-geographic numbers ("001")
       * keep the country the file gave. */
      if (info->region != NULL && strlen (info->region) == 2)
        contact->country = g_string_chunk_insert (batch->strings, info->region);
      else
        contact->country = row->country;
      if (info->timezones != NULL)
        {
          batch->zone_lists[n] = batch->zones->len;
          for (guint z = 0; info->timezones[z] != NULL; z++)
            g_ptr_array_add (batch->zones,
                             g_string_chunk_insert (batch->strings, info->timezones[z]));
          g_ptr_array_add (batch->zones, NULL);
        }
      tc_phone_info_free (info);
    }

  /* Then the rest of each contact, now that the lists stopped growing. */
  for (guint i = 0; i < n; i++)
    {
      const TcCsvRow *row = &batch->rows[i];
      TcContactRow *contact = &batch->contacts[i];

      if (contact->phone == NULL)
        continue;

      contact->first_name = row->first_name;
      contact->last_name = row->last_name;
      contact->email = row->email;
      contact->language = row->language;
      if (batch->zone_lists[i] != G_MAXUINT)
        contact->timezones = (const char * const *) &batch->zones->pdata[batch->zone_lists[i]];
      contact->tags = _tc_csv_row_list (batch->lists, row->tags);
      contact->attr_names = _tc_csv_row_list (batch->lists, row->attr_names);
      contact->attr_values = _tc_csv_row_list (batch->lists, row->attr_values);
      _tc_contact_row_derive (contact, scratch, batch->strings, &batch->derived[i]);
      if (batch->consents != NULL)
        read_row_consent (pl, batch, i);
    }

  g_mutex_lock (&pl->mutex);
  batch->ready = TRUE;
  g_cond_broadcast (&pl->cond);
  g_mutex_unlock (&pl->mutex);
}

/* Copies the consent cells of @record (the row batch->n_rows) into the
 * batch, trimmed; NULL for an empty one. */
static void
keep_consent_cells (Pipeline          *pl,
                    Batch             *batch,
                    const TcCsvRecord *record)
{
  const char **cells;

  if (batch->consent_cells == NULL)
    {
      batch->consent_cells = g_new (const char *, (gsize) BATCH_SIZE * pl->n_consent_columns);
      batch->consents = g_new (RowConsent, BATCH_SIZE);
    }
  cells = &batch->consent_cells[(gsize) batch->n_rows * pl->n_consent_columns];

  for (guint c = 0; c < pl->n_consent_columns; c++)
    {
      guint column = pl->consent_columns[c].column;
      const char *cell;
      gsize len;

      cells[c] = NULL;
      if (record->malformed != NULL || column >= record->n_fields)
        continue;
      cell = record->fields[column];
      while (g_ascii_isspace (*cell))
        cell++;
      len = strlen (cell);
      while (len > 0 && g_ascii_isspace (cell[len - 1]))
        len--;
      if (len > 0)
        cells[c] = g_string_chunk_insert_len (batch->strings, cell, (gssize) len);
    }
}

static gpointer
reader_thread_func (gpointer data)
{
  Pipeline *pl = data;

  for (;;)
    {
      GError *error = NULL;
      gboolean at_end = FALSE;
      Batch *batch;

      g_mutex_lock (&pl->mutex);
      while (pl->in_flight >= MAX_BATCHES && !g_atomic_int_get (&pl->abort))
        g_cond_wait (&pl->cond, &pl->mutex);
      if (g_atomic_int_get (&pl->abort))
        {
          g_mutex_unlock (&pl->mutex);
          break;
        }
      pl->in_flight++;
      batch = pl->spare->len > 0 ? g_ptr_array_steal_index_fast (pl->spare, pl->spare->len - 1)
                                 : batch_new ();
      g_mutex_unlock (&pl->mutex);
      batch_reset (batch, pl->n_produced);

      while (batch->n_rows < BATCH_SIZE && !g_atomic_int_get (&pl->abort))
        {
          TcCsvRecord record;

          if (!_tc_csv_reader_next (pl->reader, &record, &error))
            {
              at_end = TRUE;
              break;
            }
          _tc_csv_row_fill (pl->mapping, &record, pl->default_region,
                            batch->strings, batch->lists, &batch->rows[batch->n_rows]);
          if (pl->n_consent_columns > 0)
            keep_consent_cells (pl, batch, &record);
          batch->n_rows++;
        }
      batch->position = _tc_csv_reader_get_position (pl->reader);

      g_mutex_lock (&pl->mutex);
      if (error != NULL)
        {
          pl->reader_error = error;
          pl->reader_done = TRUE;
          pl->in_flight--;
          g_cond_broadcast (&pl->cond);
          g_mutex_unlock (&pl->mutex);
          batch_free (batch);
          break;
        }
      pl->slots[batch->seq % MAX_BATCHES] = batch;
      pl->n_produced++;
      if (at_end)
        pl->reader_done = TRUE;
      if (batch->n_rows == 0)
        batch->ready = TRUE;
      g_cond_broadcast (&pl->cond);
      g_mutex_unlock (&pl->mutex);

      if (batch->n_rows > 0)
        g_thread_pool_push (pl->pool, batch, NULL);

      if (at_end)
        break;
    }

  return NULL;
}

static void
pipeline_stop (Pipeline *pl)
{
  g_mutex_lock (&pl->mutex);
  g_atomic_int_set (&pl->abort, TRUE);
  g_cond_broadcast (&pl->cond);
  g_mutex_unlock (&pl->mutex);

  if (pl->reader_thread != NULL)
    g_thread_join (g_steal_pointer (&pl->reader_thread));
  if (pl->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&pl->pool), FALSE, TRUE);

  for (guint i = 0; i < MAX_BATCHES; i++)
    g_clear_pointer (&pl->slots[i], batch_free);
  g_clear_pointer (&pl->spare, g_ptr_array_unref);
  g_clear_error (&pl->reader_error);
  g_mutex_clear (&pl->mutex);
  g_cond_clear (&pl->cond);
}

/* The import job. */

typedef struct
{
  char           *path;
  char           *default_region;
  TcContactField *fields;
  guint           n_fields;
  Progress       *progress;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->path);
  g_free (job->default_region);
  g_free (job->fields);
  g_clear_pointer (&job->progress, progress_unref);
  g_free (job);
}

static char *
describe_headers (const char * const *headers)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; headers[i] != NULL; i++)
    {
      if (headers[i][0] == '\0')
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append_printf (list, "“%s”", headers[i]);
    }

  return g_string_free (list, FALSE);
}

/* Appends the opt-ins of row @i for contact @id, which existed before
 * this row when @existed. */
static gboolean
write_row_consent (TcDb            *db,
                   Pipeline        *pl,
                   Batch           *batch,
                   guint            i,
                   gint64           id,
                   gboolean         existed,
                   TcImportReport  *report,
                   GError         **error)
{
  const RowConsent *rc = &batch->consents[i];
  g_autofree char *origin = NULL;

  for (guint pair = 0; pair < N_PAIRS; pair++)
    {
      TcChannel channel = (TcChannel) (pair / 2);
      TcPurpose purpose = (TcPurpose) (pair % 2);
      gint64 at = rc->value[pair] == PAIR_AT ? rc->at[pair] : pl->now;
      g_autoptr(TcConsent) event = NULL;
      g_autoptr(GDateTime) occurred_at = NULL;

      if (rc->value[pair] == PAIR_NOTHING)
        continue;

      /* A new contact has no history to respect. */
      if (existed)
        {
          TcConsentState state = { 0 };

          if (!_tc_db_get_consent_state (db, id, channel, purpose, pl->now, &state, error))
            return FALSE;
          /* Only the person can lift an opt-out; an old spreadsheet cannot. */
          if (state.status == TC_CONSENT_STATUS_OPTED_OUT)
            {
              report->consents_kept_opt_out++;
              continue;
            }
          /* Already opted in: the ledger holds the proof that counts, and
           * importing the same file again adds nothing to the history. */
          if (state.status == TC_CONSENT_STATUS_OPTED_IN)
            continue;
        }

      if (origin == NULL)
        origin = g_strdup_printf (_("%s line %u"), pl->display_name, batch->rows[i].line);
      occurred_at = g_date_time_new_from_unix_utc (at);
      event = tc_consent_new (id, channel, purpose, TC_CONSENT_EVENT_OPTED_IN);
      tc_consent_set_method (event, TC_CONSENT_METHOD_SINGLE);
      tc_consent_set_source (event, rc->source);
      tc_consent_set_wording (event, rc->wording);
      tc_consent_set_origin (event, origin);
      tc_consent_set_occurred_at (event, occurred_at);
      if (!_tc_db_append_consent_event (db, event, pl->now, error))
        return FALSE;
      report->consents_recorded++;
    }

  return TRUE;
}

/* Upserts one row; FALSE only on a database error. */
static gboolean
write_row (TcDb            *db,
           Pipeline        *pl,
           Batch           *batch,
           guint            i,
           gint64           now,
           TcImportReport  *report,
           GError         **error)
{
  const TcCsvRow *row = &batch->rows[i];
  const TcContactRow *contact = &batch->contacts[i];
  gboolean updated = FALSE;
  gint64 id = 0;

  report->rows++;

  if (row->malformed != NULL)
    {
      report->rejected++;
      g_ptr_array_add (report->errors, issue_new (row->line, row->raw, row->malformed));
      return TRUE;
    }

  if (contact->phone == NULL)
    {
      report->rejected++;
      g_ptr_array_add (report->errors,
                       issue_new (row->line, row->phone,
                                  batch->errors[i] != NULL ? batch->errors[i] : _("no phone number")));
      return TRUE;
    }

  if (batch->consents != NULL && batch->consents[i].reject != NULL)
    {
      report->rejected++;
      g_ptr_array_add (report->errors,
                       issue_new (row->line, batch->consents[i].reject_value,
                                  batch->consents[i].reject));
      return TRUE;
    }

  if (pl->check_suppressed)
    {
      gboolean suppressed = FALSE;

      if (!_tc_db_is_suppressed (db, contact->phone, &suppressed, error))
        {
          g_prefix_error (error, _("Line %u: "), row->line);
          return FALSE;
        }
      if (suppressed)
        {
          report->rejected++;
          g_ptr_array_add (report->errors,
                           issue_new (row->line, row->phone,
                                      _("erased at the person's request: only they can join "
                                        "again, by texting START")));
          return TRUE;
        }
    }

  if (!_tc_db_upsert_contact_derived (db, contact, &batch->derived[i], now, &id, &updated, error))
    {
      g_prefix_error (error, _("Line %u: "), row->line);
      return FALSE;
    }

  if (batch->consents != NULL &&
      !write_row_consent (db, pl, batch, i, id, updated, report, error))
    {
      g_prefix_error (error, _("Line %u: "), row->line);
      return FALSE;
    }

  if (updated)
    report->updated++;
  else
    report->imported++;

  return TRUE;
}

static gboolean
run_pipeline (TcDb            *db,
              Pipeline        *pl,
              ImportJob       *job,
              GCancellable    *cancellable,
              TcImportReport  *report,
              GError         **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 last_progress = g_get_monotonic_time ();
  guint64 size = _tc_csv_reader_get_size (pl->reader);
  GError *local_error = NULL;

  /* The workers check consent times against it. */
  pl->now = now;
  pl->pool = g_thread_pool_new (parse_batch, pl, MAX (2, (int) g_get_num_processors ()),
                                TRUE, &local_error);
  if (pl->pool == NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  pl->reader_thread = g_thread_new ("tc-csv-reader", reader_thread_func, pl);

  for (guint next = 0;; next++)
    {
      Batch *batch = NULL;
      gboolean done = FALSE;
      guint64 position;

      g_mutex_lock (&pl->mutex);
      for (;;)
        {
          Batch *slot = pl->slots[next % MAX_BATCHES];

          if (pl->reader_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&pl->reader_error));
              g_mutex_unlock (&pl->mutex);
              return FALSE;
            }
          if (slot != NULL && slot->seq == next && slot->ready)
            {
              batch = slot;
              break;
            }
          if (pl->reader_done && next >= pl->n_produced)
            {
              done = TRUE;
              break;
            }
          if (g_cancellable_is_cancelled (cancellable))
            break;
          g_cond_wait_until (&pl->cond, &pl->mutex, g_get_monotonic_time () + PROGRESS_INTERVAL);
        }
      g_mutex_unlock (&pl->mutex);

      if (done)
        return TRUE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint i = 0; i < batch->n_rows; i++)
        {
          if (!write_row (db, pl, batch, i, now, report, error))
            return FALSE;
        }

      position = batch->position;

      g_mutex_lock (&pl->mutex);
      pl->slots[next % MAX_BATCHES] = NULL;
      g_ptr_array_add (pl->spare, batch);
      pl->in_flight--;
      g_cond_broadcast (&pl->cond);
      g_mutex_unlock (&pl->mutex);

      if (job->progress != NULL && g_get_monotonic_time () - last_progress >= PROGRESS_INTERVAL)
        {
          last_progress = g_get_monotonic_time ();
          progress_report (job->progress, size > 0 ? (double) position / size : 0.0,
                           report->rows);
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

static void
restore_foreign_keys (TcDb *db)
{
  g_autoptr(GError) error = NULL;

  if (!_tc_db_exec (db, "PRAGMA foreign_keys = ON", &error))
    g_critical ("Cannot turn foreign keys back on: %s", error->message);
}

static void
consent_column_clear (gpointer data)
{
  ConsentColumn *column = data;

  g_free (column->header);
}

/* Finds the consent columns of @headers. A column the caller mapped to a
 * field of its own (anything but the guessed custom attribute) is left to
 * it. Returns NULL when there are none, else the columns, and in @fields_out
 * the mapping with the consent columns ignored (so that they do not also
 * become custom attributes). */
static GArray *
find_consent_columns (const char * const  *headers,
                      const TcContactField *fields,
                      guint                 n_fields,
                      TcContactField      **fields_out)
{
  guint n_headers = g_strv_length ((char **) headers);
  GArray *columns = NULL;
  TcContactField *mapped = NULL;

  for (guint i = 0; i < n_headers; i++)
    {
      int kind = consent_column_kind (headers[i]);
      ConsentColumn column;

      if (kind < 0)
        continue;
      if (fields != NULL && i < n_fields && fields[i] != TC_FIELD_ATTRIBUTE)
        continue;

      if (columns == NULL)
        {
          columns = g_array_new (FALSE, FALSE, sizeof (ConsentColumn));
          g_array_set_clear_func (columns, consent_column_clear);
          mapped = g_new (TcContactField, n_headers);
          for (guint j = 0; j < n_headers; j++)
            mapped[j] = fields != NULL && j < n_fields ? fields[j]
                                                       : tc_contact_field_from_header (headers[j]);
        }
      column.column = i;
      column.kind = (guint) kind;
      column.header = g_strstrip (g_strdup (headers[i]));
      g_array_append_val (columns, column);
      mapped[i] = TC_FIELD_IGNORE;
    }

  *fields_out = mapped;

  return columns;
}

static gboolean
any_suppressed (TcDb     *db,
                gboolean *any,
                GError  **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT EXISTS (SELECT 1 FROM suppressions)", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot read the suppression list");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *any = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  return TRUE;
}

static gpointer
import_job_run (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  ImportJob *job = job_data;
  g_autoptr(TcCsvReader) reader = NULL;
  g_autoptr(TcCsvMapping) mapping = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_auto(GStrv) headers = NULL;
  g_autoptr(GArray) consent_columns = NULL;
  g_autofree TcContactField *consent_fields = NULL;
  g_autofree char *display_name = g_filename_display_basename (job->path);
  const char *region = NULL;
  gboolean check_suppressed = FALSE;
  Pipeline pl = { 0 };
  gboolean ok;

  if (job->default_region != NULL)
    {
      if (!tc_phone_region_is_valid (job->default_region))
        {
          g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_INVALID_REGION,
                       _("“%s” is not a country code: use a two-letter code such as US, GB or DE"),
                       job->default_region);
          return NULL;
        }
      region = g_intern_string (job->default_region);
    }

  reader = _tc_csv_reader_new_for_path (job->path, error);
  if (reader == NULL)
    return NULL;

  headers = _tc_csv_reader_read_header (reader, error);
  if (headers == NULL)
    return NULL;

  consent_columns = find_consent_columns ((const char * const *) headers, job->fields,
                                          job->n_fields, &consent_fields);
  if (consent_columns != NULL)
    {
      mapping = _tc_csv_mapping_new ((const char * const *) headers, consent_fields,
                                     g_strv_length (headers));
    }
  else
    mapping = _tc_csv_mapping_new ((const char * const *) headers, job->fields, job->n_fields);
  if (_tc_csv_mapping_get_phone_column (mapping) < 0)
    {
      g_autofree char *name = g_filename_display_basename (job->path);
      g_autofree char *found = describe_headers ((const char * const *) headers);

      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NO_PHONE_COLUMN,
                   _("No column of “%s” holds phone numbers (columns found: %s): name that column “Phone”"),
                   name, found);
      return NULL;
    }

  /* The import only links contacts and tags it has just looked up or
   * stored, so it needs no foreign-key checks; without them, neither of the
   * statements run for a new contact can fail half-way, and SQLite keeps no
   * statement journal for them (a copy of every page they touch). The
   * pragma only takes effect outside a transaction. */
  if (!_tc_db_exec (db, "PRAGMA foreign_keys = OFF", error))
    return NULL;
  if (!_tc_db_begin (db, error))
    {
      restore_foreign_keys (db);
      return NULL;
    }
  /* Most workspaces have erased nobody: then no row pays for the check. */
  if (!any_suppressed (db, &check_suppressed, error))
    {
      _tc_db_rollback (db);
      restore_foreign_keys (db);
      return NULL;
    }

  report = report_new ();
  g_mutex_init (&pl.mutex);
  g_cond_init (&pl.cond);
  pl.reader = reader;
  pl.mapping = mapping;
  pl.default_region = region;
  if (consent_columns != NULL)
    {
      pl.consent_columns = (ConsentColumn *) (gpointer) consent_columns->data;
      pl.n_consent_columns = consent_columns->len;
    }
  pl.display_name = display_name;
  pl.check_suppressed = check_suppressed;
  pl.spare = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);

  ok = run_pipeline (db, &pl, job, cancellable, report, error);
  pipeline_stop (&pl);

  if (!ok || !_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      restore_foreign_keys (db);
      return NULL;
    }
  restore_foreign_keys (db);

  if (job->progress != NULL)
    progress_report (job->progress, 1.0, report->rows);

  return g_steal_pointer (&report);
}

static void
on_import_job_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Progress *progress = g_task_get_task_data (task);
  TcImportReport *report;
  GError *error = NULL;

  progress_finish (progress);

  report = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) tc_import_report_free);
}

void
tc_contacts_import_async (TcRepository          *repository,
                          const char            *path,
                          const TcImportOptions *options,
                          TcImportProgressFunc   progress,
                          gpointer               progress_data,
                          GDestroyNotify         progress_data_free,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  GTask *task;
  ImportJob *job;
  Progress *state;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  state = g_atomic_rc_box_new0 (Progress);
  g_mutex_init (&state->mutex);
  state->context = g_main_context_ref_thread_default ();
  state->func = progress;
  state->data = progress_data;
  state->data_free = progress_data_free;

  job = g_new0 (ImportJob, 1);
  job->path = g_strdup (path);
  job->progress = g_atomic_rc_box_acquire (state);
  if (options != NULL)
    {
      if (options->default_region != NULL)
        {
          g_autofree char *region = g_strstrip (g_strdup (options->default_region));

          if (region[0] != '\0')
            job->default_region = g_ascii_strup (region, -1);
        }
      if (options->fields != NULL && options->n_fields > 0)
        {
          job->fields = g_memdup2 (options->fields, sizeof (TcContactField) * options->n_fields);
          job->n_fields = options->n_fields;
        }
    }

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_contacts_import_async);
  g_task_set_task_data (task, state, (GDestroyNotify) progress_unref);

  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, import_job_run,
                            job, (GDestroyNotify) import_job_free,
                            (GDestroyNotify) tc_import_report_free,
                            cancellable, on_import_job_done_cb, task);
}

TcImportReport *
tc_contacts_import_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_contacts_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Export. */

static void
append_field (GString    *out,
              const char *value)
{
  gsize len;
  gboolean quote;

  if (value == NULL || value[0] == '\0')
    return;

  len = strlen (value);
  /* The reader trims blanks around unquoted fields, so keep them quoted. */
  quote = strpbrk (value, ",;\"\r\n") != NULL ||
          g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1]);

  if (!quote)
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

static gboolean
flush (GOutputStream  *stream,
       GString        *out,
       GCancellable   *cancellable,
       GError        **error)
{
  if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (out, 0);
  return TRUE;
}

static GPtrArray *
query_attribute_names (TcDb    *db,
                       GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT DISTINCT j.key FROM contacts c, json_each (c.attributes) j "
                         "ORDER BY j.key",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the attribute names");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&names);
}

static void
append_attributes (GString    *out,
                   GPtrArray  *names,
                   const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;

  if (json != NULL && strcmp (json, "{}") != 0)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, json, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        object = json_node_get_object (json_parser_get_root (parser));
    }

  for (guint i = 0; i < names->len; i++)
    {
      JsonNode *node = object != NULL ? json_object_get_member (object, names->pdata[i]) : NULL;

      g_string_append_c (out, ',');
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          append_field (out, json_node_get_string (node));
        }
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);

          append_field (out, text);
        }
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_tags (GString    *out,
             const char *tags)
{
  g_auto(GStrv) list = NULL;
  g_autofree char *joined = NULL;

  if (tags == NULL || tags[0] == '\0')
    return;

  list = g_strsplit (tags, "\x1f", -1);
  qsort (list, g_strv_length (list), sizeof (char *), compare_strings);
  joined = g_strjoinv (",", list);
  append_field (out, joined);
}

typedef struct
{
  GOutputStream *stream;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->stream);
  g_free (job);
}

static gpointer
export_job_run (TcDb          *db,
                gpointer       job_data,
                GCancellable  *cancellable,
                GError       **error)
{
  static const TcContactField columns[] = {
    TC_FIELD_PHONE, TC_FIELD_FIRST_NAME, TC_FIELD_LAST_NAME, TC_FIELD_EMAIL,
    TC_FIELD_LANGUAGE, TC_FIELD_COUNTRY,
  };
  ExportJob *job = job_data;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) out = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  sqlite3_stmt *stmt;
  guint *n_exported;
  guint n = 0;
  int rc;

  names = query_attribute_names (db, error);
  if (names == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_string_append (out, tc_contact_field_to_string (columns[i]));
      g_string_append_c (out, ',');
    }
  g_string_append (out, "timezones,");
  g_string_append (out, tc_contact_field_to_string (TC_FIELD_TAGS));
  for (guint i = 0; i < names->len; i++)
    {
      g_string_append_c (out, ',');
      append_field (out, names->pdata[i]);
    }
  g_string_append (out, "\r\n");

  stmt = _tc_db_prepare (db,
                         "SELECT c.phone, c.first_name, c.last_name, c.email, c.language,"
                         " c.country, c.timezones, c.attributes,"
                         " (SELECT group_concat (t.name, char (31)) FROM contact_tags ct"
                         "  JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id) "
                         "FROM contacts c ORDER BY c.sort_key, c.id",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int col = 0; col < 7; col++)
        {
          if (col > 0)
            g_string_append_c (out, ',');
          append_field (out, (const char *) sqlite3_column_text (stmt, col));
        }
      g_string_append_c (out, ',');
      append_tags (out, (const char *) sqlite3_column_text (stmt, 8));
      append_attributes (out, names, (const char *) sqlite3_column_text (stmt, 7));
      g_string_append (out, "\r\n");
      n++;

      if (out->len >= EXPORT_FLUSH_SIZE &&
          !flush (job->stream, out, cancellable, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the contacts");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (!flush (job->stream, out, cancellable, error))
    return NULL;

  n_exported = g_new (guint, 1);
  *n_exported = n;
  return n_exported;
}

void
tc_contacts_export_async (TcRepository        *repository,
                          GOutputStream       *stream,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ExportJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ExportJob, 1);
  job->stream = g_object_ref (stream);

  _tc_repository_run_async (repository, TC_DB_JOB_READ, export_job_run,
                            job, (GDestroyNotify) export_job_free, g_free,
                            cancellable, callback, user_data);
}

gboolean
tc_contacts_export_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           guint         *n_exported,
                           GError       **error)
{
  g_autofree guint *n = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);

  n = _tc_repository_run_finish (repository, result, error);
  if (n == NULL)
    return FALSE;

  if (n_exported != NULL)
    *n_exported = *n;

  return TRUE;
}
