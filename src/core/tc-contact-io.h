/* tc-contact-io.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV import and export of contacts (libcsv underneath).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_IMPORT_ERROR (tc_import_error_quark ())

/**
 * TcImportError:
 * @TC_IMPORT_ERROR_NOT_FOUND: the file does not exist or cannot be read
 * @TC_IMPORT_ERROR_NOT_TEXT: the file is binary (a spreadsheet, an image…)
 * @TC_IMPORT_ERROR_ENCODING: not UTF-8 and not convertible
 * @TC_IMPORT_ERROR_EMPTY: no header row
 * @TC_IMPORT_ERROR_NO_PHONE_COLUMN: no column could be recognised as the phone
 * @TC_IMPORT_ERROR_INVALID_REGION: the default region is not a country code
 * @TC_IMPORT_ERROR_MALFORMED: the CSV structure is broken beyond one row
 *   (for example an unterminated quote running to the end of the file)
 *
 * Any of these means nothing was changed.
 */
typedef enum
{
  TC_IMPORT_ERROR_NOT_FOUND,
  TC_IMPORT_ERROR_NOT_TEXT,
  TC_IMPORT_ERROR_ENCODING,
  TC_IMPORT_ERROR_EMPTY,
  TC_IMPORT_ERROR_NO_PHONE_COLUMN,
  TC_IMPORT_ERROR_INVALID_REGION,
  TC_IMPORT_ERROR_MALFORMED,
} TcImportError;

GQuark tc_import_error_quark (void);

/* What a CSV column means. */
typedef enum
{
  TC_FIELD_IGNORE,
  TC_FIELD_PHONE,
  TC_FIELD_FIRST_NAME,
  TC_FIELD_LAST_NAME,
  TC_FIELD_FULL_NAME,   /* split into first / last */
  TC_FIELD_EMAIL,
  TC_FIELD_LANGUAGE,
  TC_FIELD_COUNTRY,     /* used as the row's default region when valid */
  TC_FIELD_TAGS,        /* comma- or semicolon-separated list */
  TC_FIELD_ATTRIBUTE,   /* kept as a custom attribute named after the header */
} TcContactField;

/* Maps a header as people write it ("Phone", "Mobile", "Cell", "Phone
 * Number", "First Name", "Given name", "E-mail", …) to a field; anything
 * unrecognised is TC_FIELD_ATTRIBUTE. */
TcContactField  tc_contact_field_from_header (const char     *header);
/* "phone", "first_name", … as written in an export header. */
const char     *tc_contact_field_to_string   (TcContactField  field);

/* The head of a CSV file, for the GUI's mapping preview. */
typedef struct
{
  char             delimiter;    /* ',', ';' or '\t' */
  char           **headers;      /* NULL-terminated */
  TcContactField  *fields;       /* one per header (guessed mapping) */
  guint            n_columns;
  GPtrArray       *rows;         /* of char ** (NULL-terminated), at most max_rows */
  char            *encoding;     /* "UTF-8", or what it was converted from */
} TcCsvPreview;

TcCsvPreview   *tc_csv_preview_load          (const char     *path,
                                              guint           max_rows,
                                              GError        **error);
void            tc_csv_preview_load_async    (const char          *path,
                                              guint                max_rows,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TcCsvPreview   *tc_csv_preview_load_finish   (GAsyncResult   *result,
                                              GError        **error);
void            tc_csv_preview_free          (TcCsvPreview   *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCsvPreview, tc_csv_preview_free)

typedef struct
{
  guint  line;    /* line number in the file where the record starts; header = 1 */
  char  *value;   /* the offending value (usually the phone as written) */
  char  *reason;  /* plain words: "too short for a phone number", … */
} TcImportIssue;

#define TC_TYPE_IMPORT_REPORT (tc_import_report_get_type ())
typedef struct
{
  guint      rows;       /* data records read */
  guint      imported;   /* new contacts */
  guint      updated;    /* existing contacts (or duplicates in the file) updated */
  guint      rejected;   /* records not imported; each has an issue */
  GPtrArray *errors;     /* of TcImportIssue, in file order */
  /* Consent columns (consent_<channel>_<purpose>): opt-ins appended to the
   * ledger, and opt-ins not recorded because the person had opted out (an
   * import never lifts an opt-out). */
  guint      consents_recorded;
  guint      consents_kept_opt_out;
} TcImportReport;

GType           tc_import_report_get_type    (void) G_GNUC_CONST;
TcImportReport *tc_import_report_copy        (const TcImportReport *report);
void            tc_import_report_free        (TcImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcImportReport, tc_import_report_free)

typedef struct
{
  const char            *default_region;  /* for numbers without +; may be NULL */
  const TcContactField  *fields;          /* NULL: guess from the header */
  guint                  n_fields;
} TcImportOptions;

/* Called on the caller's main context, at most ~20 times a second.
 * @fraction is 0..1 (bytes read / file size). */
typedef void (*TcImportProgressFunc) (double   fraction,
                                      guint    rows_done,
                                      gpointer user_data);

/* Imports @path into @repository in one transaction: cancelling, an error,
 * or a crash leaves the database as it was.
 *
 * Consent: columns named consent_<channel>_<purpose> (consent_sms_promotional,
 * consent_whatsapp_transactional, …; any case) hold the time the person opted
 * in (as tc_parse_time() reads it), "yes" (opted in, time unknown: the time
 * of the import), or "no" / empty (nothing is recorded). consent_source (a
 * TcConsentSource name, default "import") and consent_wording apply to the
 * row's consents; the origin is "<file name> line N". Each is appended as an
 * opted_in event (single opt-in: an import records consent given in the
 * past, it never asks for it) in the import's transaction. A value that
 * cannot be read or a time in the future rejects the row, naming the column;
 * a pair the person opted out of stays opted out (consents_kept_opt_out); a
 * number on the suppression list (erased at the person's request) is
 * rejected, with or without consent columns. */
void            tc_contacts_import_async     (TcRepository          *repository,
                                              const char            *path,
                                              const TcImportOptions *options,
                                              TcImportProgressFunc   progress,
                                              gpointer               progress_data,
                                              GDestroyNotify         progress_data_free,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
TcImportReport *tc_contacts_import_finish    (TcRepository          *repository,
                                              GAsyncResult          *result,
                                              GError               **error);

/* Reads a time as `textcast-cli --at` and the import's consent columns take
 * it: ISO 8601 with an offset or Z ("2026-03-01T09:30:00Z",
 * "2026-03-01T10:30+01:00", "2026-03-01 09:30:00.25-05:00"), or a plain date
 * "2026-03-01" (midnight UTC). Surrounding blanks are ignored. A time
 * without an offset is refused: it could be any of 26 hours. */
gboolean        tc_parse_time                (const char            *text,
                                              gint64                *unix_seconds);

/* Writes every contact as CSV (UTF-8, comma, CRLF, header row) with the
 * columns the importer reads back: phone, first_name, last_name, email,
 * language, country, timezones, tags, then one column per custom attribute.
 * @stream is written from a worker thread and not closed. */
void            tc_contacts_export_async     (TcRepository          *repository,
                                              GOutputStream         *stream,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean        tc_contacts_export_finish    (TcRepository          *repository,
                                              GAsyncResult          *result,
                                              guint                 *n_exported,
                                              GError               **error);

G_END_DECLS
