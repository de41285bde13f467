/* tc-csv-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The streaming CSV reader under the importer and the preview: encoding
 * detection and conversion, delimiter detection, libcsv with physical line
 * numbers, recovery from malformed records, and the mapping of a record to
 * the fields of a contact. Nothing here touches the database, so the fuzzer
 * runs the very same code on outside bytes.
 */

#pragma once

#include <gio/gio.h>

#include "tc-contact-io.h"

G_BEGIN_DECLS

/* A record longer than this (an unclosed quote swallowing the rest of the
 * file, or a runaway line) is rejected as malformed; memory stays bounded. */
#define TC_CSV_MAX_RECORD_BYTES (1024 * 1024)

typedef struct _TcCsvReader TcCsvReader;

typedef struct
{
  guint         line;       /* physical line where the record starts; 1-based */
  guint         n_fields;
  const char  **fields;     /* borrowed until the next call; UTF-8 */
  const char   *malformed;  /* NULL, or why the record is not valid CSV */
  const char   *raw;        /* malformed only: the text of its first line */
} TcCsvRecord;

/* Opens @path and checks that it is text (TC_IMPORT_ERROR_NOT_FOUND,
 * TC_IMPORT_ERROR_NOT_TEXT, TC_IMPORT_ERROR_ENCODING). */
TcCsvReader  *_tc_csv_reader_new_for_path   (const char     *path,
                                             GError        **error);
/* Same over any stream; @size (or -1) is for the progress fraction and
 * @display_name for the messages. Takes a reference on @stream. */
TcCsvReader  *_tc_csv_reader_new_for_stream (GInputStream   *stream,
                                             goffset         size,
                                             const char     *display_name,
                                             GError        **error);
void          _tc_csv_reader_free           (TcCsvReader    *self);
/* The next non-empty record. Returns FALSE at the end of the file (@error
 * unset) or on a fatal error (@error set: encoding, NUL bytes, I/O). A
 * malformed record is returned (TRUE) with record->malformed set; reading
 * goes on after it. */
gboolean      _tc_csv_reader_next           (TcCsvReader    *self,
                                             TcCsvRecord    *record,
                                             GError        **error);
/* Reads the first record as the header: TC_IMPORT_ERROR_EMPTY when there
 * is none, TC_IMPORT_ERROR_MALFORMED when it is not valid CSV. Returns:
 * (transfer full): the trimmed header names. */
GStrv         _tc_csv_reader_read_header    (TcCsvReader    *self,
                                             GError        **error);
/* For tests: FALSE hands every line to libcsv, also the complete lines
 * without quotes that the reader otherwise splits itself. */
void          _tc_csv_reader_set_simple_lines (TcCsvReader  *self,
                                               gboolean      enabled);
char          _tc_csv_reader_get_delimiter  (TcCsvReader    *self);
/* "UTF-8", or the encoding the text was converted from. */
const char   *_tc_csv_reader_get_encoding   (TcCsvReader    *self);
/* Bytes of the file consumed so far, and its size (0 when unknown). */
guint64       _tc_csv_reader_get_position   (TcCsvReader    *self);
guint64       _tc_csv_reader_get_size       (TcCsvReader    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCsvReader, _tc_csv_reader_free)

/* Splits a cell of tags on ',' and ';', trims, drops empty ones and
 * duplicates. Returns: (transfer full) */
GStrv         _tc_csv_split_tags            (const char     *cell);
/* "Mary Ann Smith" → "Mary Ann" + "Smith" (split on the last space). */
void          _tc_csv_split_full_name       (const char     *full_name,
                                             char          **first_name,
                                             char          **last_name);

/* How the columns of one file map to a contact. */
typedef struct _TcCsvMapping TcCsvMapping;

/* @fields (may be NULL) overrides the guess for the first @n_fields
 * columns. Only the first PHONE column is the phone; later ones become
 * attributes. */
TcCsvMapping *_tc_csv_mapping_new           (const char * const   *headers,
                                             const TcContactField *fields,
                                             guint                 n_fields);
void          _tc_csv_mapping_free          (TcCsvMapping         *self);
/* The column of the phone, or -1. */
int           _tc_csv_mapping_get_phone_column (TcCsvMapping      *self);
TcContactField _tc_csv_mapping_get_field    (TcCsvMapping         *self,
                                             guint                 column);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCsvMapping, _tc_csv_mapping_free)

/* One data record turned into the pieces of a contact. Strings live in the
 * GStringChunk and lists in the GPtrArray given to _tc_csv_row_fill (as
 * indices, because the array may grow): resolve them with
 * _tc_csv_row_list once the array stops growing. */
typedef struct
{
  guint        line;
  const char  *malformed;    /* reason: the record is not valid CSV */
  const char  *raw;          /* malformed: its first line */
  const char  *phone;        /* as written, "" when empty */
  const char  *region;       /* interned: the row's country when it is a
                              * valid region, else the default; may be NULL */
  const char  *country;      /* interned: the row's country if valid */
  const char  *first_name;   /* NULL when empty */
  const char  *last_name;
  const char  *email;
  const char  *language;
  guint        tags;         /* index of a NULL-terminated list, or G_MAXUINT */
  guint        attr_names;   /* same */
  guint        attr_values;  /* same length as attr_names */
} TcCsvRow;

void          _tc_csv_row_fill              (TcCsvMapping         *mapping,
                                             const TcCsvRecord    *record,
                                             const char           *default_region,
                                             GStringChunk         *strings,
                                             GPtrArray            *lists,
                                             TcCsvRow             *row);
static inline const char * const *
_tc_csv_row_list (GPtrArray *lists,
                  guint      index)
{
  return index == G_MAXUINT ? NULL : (const char * const *) &lists->pdata[index];
}

G_END_DECLS
