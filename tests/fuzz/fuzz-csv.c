/* fuzz-csv.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the CSV importer: outside bytes go through the same
 * code an import runs before it reaches the database (encoding sniffing and
 * conversion, delimiter detection, libcsv with line tracking and recovery,
 * header mapping, the row → contact split, and the phone parse).
 */

#define G_LOG_DOMAIN "fuzz-csv"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tc-csv-private.h"
#include "tc-phone.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TcCsvReader) reader = NULL;
  g_autoptr(TcCsvMapping) mapping = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  g_auto(GStrv) headers = NULL;
  GStringChunk *strings;
  TcCsvRecord record;
  GError *error = NULL;
  guint last_line = 0;

  stream = g_memory_input_stream_new_from_data (data, size, NULL);
  reader = _tc_csv_reader_new_for_stream (stream, size, "fuzz.csv", &error);
  if (reader == NULL)
    {
      g_assert (error != NULL && error->domain == TC_IMPORT_ERROR);
      g_clear_error (&error);
      return 0;
    }

  headers = _tc_csv_reader_read_header (reader, &error);
  if (headers == NULL)
    {
      g_assert (error != NULL);
      g_clear_error (&error);
      return 0;
    }

  for (guint i = 0; headers[i] != NULL; i++)
    {
      TcContactField field = tc_contact_field_from_header (headers[i]);

      g_assert (field <= TC_FIELD_ATTRIBUTE);
      g_assert (tc_contact_field_to_string (field) != NULL);
    }

  mapping = _tc_csv_mapping_new ((const char * const *) headers, NULL, 0);
  strings = g_string_chunk_new (4096);
  lists = g_ptr_array_new ();

  while (_tc_csv_reader_next (reader, &record, &error))
    {
      TcCsvRow row;

      /* Records come in file order and every field is valid UTF-8. */
      g_assert (record.line > last_line);
      last_line = record.line;
      for (guint i = 0; i < record.n_fields; i++)
        g_assert (g_utf8_validate (record.fields[i], -1, NULL));
      if (record.malformed != NULL)
        g_assert (record.raw != NULL && g_utf8_validate (record.raw, -1, NULL));

      _tc_csv_row_fill (mapping, &record, "US", strings, lists, &row);
      if (row.malformed == NULL && row.phone[0] != '\0' && strlen (row.phone) < 64)
        {
          g_autoptr(TcPhoneInfo) info = tc_phone_parse (row.phone, row.region,
                                                        TC_PHONE_PARSE_TIMEZONES, NULL);

          (void) info;
        }
      (void) _tc_csv_row_list (lists, row.tags);
      (void) _tc_csv_row_list (lists, row.attr_names);
    }
  g_clear_error (&error);

  g_string_chunk_free (strings);
  return 0;
}
