/* tc-csv.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV reader: bytes → text (UTF-8, UTF-16/32 with a BOM, or Windows-1252
 * when the bytes are not UTF-8) → records (libcsv, strict RFC 4180) with
 * the physical line each record starts on. Also the header mapping and the
 * preview the import dialog shows.
 *
 * Line numbers: libcsv reports fields and rows, not positions, so the text
 * is fed to it one physical line at a time (a line ends at LF, CRLF or a lone
 * CR). Within one line, libcsv can only finish a record at the line's end,
 * so "the record in progress started on the first non-blank line since the
 * last record ended" gives the start line of every record, including
 * records whose quoted fields run over several lines.
 *
 * Recovery: strict mode turns a stray quote into a parse error; the record is
 * reported as malformed and reading resumes on the next line. A quote that is
 * never closed would swallow the rest of the file, so the bytes of the record
 * in progress are kept (at most TC_CSV_MAX_RECORD_BYTES): at the end of the
 * file, or when the record grows past that bound, the record is reported and
 * the lines after its first one are read again as fresh records.
 */

#define G_LOG_DOMAIN "tc-csv"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <csv.h>
#include <glib/gi18n-lib.h>

#include "tc-csv-private.h"
#include "tc-phone.h"

#define RAW_CHUNK_SIZE   (64 * 1024)
#define SNIFF_TEXT_SIZE  (64 * 1024)
#define SNIFF_RECORDS    20
#define RAW_TEXT_MAX     200

struct _TcCsvReader
{
  GInputStream *stream;
  char         *display_name;
  guint64       size;
  guint64       position;

  /* Decoding. */
  const char   *encoding;
  GIConv        iconv;
  gboolean      seen_non_ascii;
  gboolean      eof;
  GByteArray   *carry;
  GBytes       *first_block;

  /* Decoded text not yet parsed. */
  GByteArray   *text;
  gsize         text_pos;

  /* Parsing. */
  struct csv_parser parser;
  gboolean      parser_ready;
  gboolean      finished;
  char          delimiter;
  guint         line;
  gboolean      prev_cr;
  gboolean      in_record;
  guint         record_line;
  gboolean      skip_line;
  gboolean      no_simple_lines;
  GByteArray   *pending;

  /* The record being assembled. */
  GByteArray   *fields_buf;
  GArray       *field_offsets;
  GPtrArray    *field_ptrs;
  gboolean      record_done;
  guint         done_line;
  char         *malformed_raw;
};

struct _TcCsvMapping
{
  guint           n_columns;
  TcContactField *fields;
  char          **names;
  int             phone_column;
  /* cell_region()'s answers by letter pair (AA…ZZ): NULL until asked,
   * then the interned code or invalid_region. */
  const char     *regions[26 * 26];
};

static const char invalid_region[] = "";

G_DEFINE_QUARK (tc-import-error-quark, tc_import_error)

/* Header spellings, compared after normalize_header(): lower case, accents,
 * spaces and punctuation removed. */
static const struct
{
  const char     *name;
  TcContactField  field;
} header_aliases[] = {
  { "phone", TC_FIELD_PHONE },
  { "phonenumber", TC_FIELD_PHONE },
  { "phoneno", TC_FIELD_PHONE },
  { "mobile", TC_FIELD_PHONE },
  { "mobilenumber", TC_FIELD_PHONE },
  { "mobileno", TC_FIELD_PHONE },
  { "mobilephone", TC_FIELD_PHONE },
  { "cell", TC_FIELD_PHONE },
  { "cellphone", TC_FIELD_PHONE },
  { "cellnumber", TC_FIELD_PHONE },
  { "cellular", TC_FIELD_PHONE },
  { "telephone", TC_FIELD_PHONE },
  { "telephonenumber", TC_FIELD_PHONE },
  { "tel", TC_FIELD_PHONE },
  { "telno", TC_FIELD_PHONE },
  { "msisdn", TC_FIELD_PHONE },
  { "whatsapp", TC_FIELD_PHONE },
  { "whatsappnumber", TC_FIELD_PHONE },
  { "number", TC_FIELD_PHONE },
  { "contactnumber", TC_FIELD_PHONE },
  { "handy", TC_FIELD_PHONE },
  { "mobil", TC_FIELD_PHONE },
  { "telefon", TC_FIELD_PHONE },
  { "telefono", TC_FIELD_PHONE },
  { "telefone", TC_FIELD_PHONE },
  { "firstname", TC_FIELD_FIRST_NAME },
  { "givenname", TC_FIELD_FIRST_NAME },
  { "forename", TC_FIELD_FIRST_NAME },
  { "first", TC_FIELD_FIRST_NAME },
  { "fname", TC_FIELD_FIRST_NAME },
  { "vorname", TC_FIELD_FIRST_NAME },
  { "prenom", TC_FIELD_FIRST_NAME },
  { "nombre", TC_FIELD_FIRST_NAME },
  { "lastname", TC_FIELD_LAST_NAME },
  { "surname", TC_FIELD_LAST_NAME },
  { "familyname", TC_FIELD_LAST_NAME },
  { "last", TC_FIELD_LAST_NAME },
  { "lname", TC_FIELD_LAST_NAME },
  { "nachname", TC_FIELD_LAST_NAME },
  { "nom", TC_FIELD_LAST_NAME },
  { "apellido", TC_FIELD_LAST_NAME },
  { "apellidos", TC_FIELD_LAST_NAME },
  { "name", TC_FIELD_FULL_NAME },
  { "fullname", TC_FIELD_FULL_NAME },
  { "contactname", TC_FIELD_FULL_NAME },
  { "displayname", TC_FIELD_FULL_NAME },
  { "email", TC_FIELD_EMAIL },
  { "emailaddress", TC_FIELD_EMAIL },
  { "emailaddr", TC_FIELD_EMAIL },
  { "mail", TC_FIELD_EMAIL },
  { "language", TC_FIELD_LANGUAGE },
  { "lang", TC_FIELD_LANGUAGE },
  { "locale", TC_FIELD_LANGUAGE },
  { "preferredlanguage", TC_FIELD_LANGUAGE },
  { "sprache", TC_FIELD_LANGUAGE },
  { "langue", TC_FIELD_LANGUAGE },
  { "idioma", TC_FIELD_LANGUAGE },
  { "country", TC_FIELD_COUNTRY },
  { "countrycode", TC_FIELD_COUNTRY },
  { "region", TC_FIELD_COUNTRY },
  { "countryregion", TC_FIELD_COUNTRY },
  { "land", TC_FIELD_COUNTRY },
  { "pays", TC_FIELD_COUNTRY },
  { "pais", TC_FIELD_COUNTRY },
  { "tags", TC_FIELD_TAGS },
  { "tag", TC_FIELD_TAGS },
  { "labels", TC_FIELD_TAGS },
  { "label", TC_FIELD_TAGS },
  { "groups", TC_FIELD_TAGS },
  { "group", TC_FIELD_TAGS },
  { "groupmembership", TC_FIELD_TAGS },
  { "segments", TC_FIELD_TAGS },
  { "segment", TC_FIELD_TAGS },
  /* Exports write the zones, but they always follow from the number. */
  { "timezones", TC_FIELD_IGNORE },
  { "timezone", TC_FIELD_IGNORE },
};

static char *
normalize_header (const char *header)
{
  g_autofree char *decomposed = g_utf8_normalize (header, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  if (decomposed == NULL)
    return g_string_free (out, FALSE);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        {
          if (g_ascii_isalnum (c))
            g_string_append_c (out, g_ascii_tolower (c));
        }
      else if (g_unichar_isalnum (c) && !g_unichar_ismark (c))
        {
          g_string_append_unichar (out, g_unichar_tolower (c));
        }
    }

  return g_string_free (out, FALSE);
}

TcContactField
tc_contact_field_from_header (const char *header)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (header != NULL, TC_FIELD_IGNORE);

  key = normalize_header (header);

  /* A column without a name carries nothing anyone could find again
   * (spreadsheets often export trailing empty columns). */
  if (key[0] == '\0')
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (header));

      return trimmed[0] == '\0' ? TC_FIELD_IGNORE : TC_FIELD_ATTRIBUTE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (header_aliases); i++)
    {
      if (strcmp (key, header_aliases[i].name) == 0)
        return header_aliases[i].field;
    }

  return TC_FIELD_ATTRIBUTE;
}

const char *
tc_contact_field_to_string (TcContactField field)
{
  switch (field)
    {
    case TC_FIELD_IGNORE:
      return "ignore";
    case TC_FIELD_PHONE:
      return "phone";
    case TC_FIELD_FIRST_NAME:
      return "first_name";
    case TC_FIELD_LAST_NAME:
      return "last_name";
    case TC_FIELD_FULL_NAME:
      return "name";
    case TC_FIELD_EMAIL:
      return "email";
    case TC_FIELD_LANGUAGE:
      return "language";
    case TC_FIELD_COUNTRY:
      return "country";
    case TC_FIELD_TAGS:
      return "tags";
    case TC_FIELD_ATTRIBUTE:
      return "attribute";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Reader: construction and the binary sniffing. */

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            const char   *magic,
            gsize         magic_len)
{
  return len >= magic_len && memcmp (data, magic, magic_len) == 0;
}

static gboolean
has_extension (const char *name,
               const char * const *extensions)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; extensions[i] != NULL; i++)
    {
      if (g_str_has_suffix (lower, extensions[i]))
        return TRUE;
    }

  return FALSE;
}

static gboolean
contains (const guint8 *data,
          gsize         len,
          const char   *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= len; i++)
    {
      if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, needle_len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Returns FALSE with TC_IMPORT_ERROR_NOT_TEXT when the first block of the
 * file is clearly not text. */
static gboolean
check_is_text (const char   *name,
               const guint8 *data,
               gsize         len,
               GError      **error)
{
  static const char * const spreadsheet_extensions[] = {
    ".xlsx", ".xlsm", ".xls", ".ods", ".numbers", NULL
  };
  gboolean zip = has_prefix (data, len, "PK\x03\x04", 4) || has_prefix (data, len, "PK\x05\x06", 4);
  gboolean ole = has_prefix (data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

  if ((zip && (contains (data, len, "[Content_Types].xml") ||
               contains (data, len, "xl/") ||
               contains (data, len, "opendocument.spreadsheet") ||
               has_extension (name, spreadsheet_extensions))) ||
      ole)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” is a spreadsheet file, not CSV: in your spreadsheet app choose File → Save As → CSV"),
                   name);
      return FALSE;
    }

  if (has_prefix (data, len, "%PDF-", 5))
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” is a PDF document, not CSV: export the list as CSV from the program that made it"),
                   name);
      return FALSE;
    }

  if (has_prefix (data, len, "\x89PNG\r\n\x1a\n", 8) ||
      has_prefix (data, len, "GIF87a", 6) ||
      has_prefix (data, len, "GIF89a", 6) ||
      has_prefix (data, len, "\xFF\xD8\xFF", 3))
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” is an image, not a CSV file"), name);
      return FALSE;
    }

  if (zip ||
      has_prefix (data, len, "\x1F\x8B", 2) ||
      has_prefix (data, len, "7z\xBC\xAF\x27\x1C", 6) ||
      has_prefix (data, len, "Rar!\x1A\x07", 6))
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” is a compressed archive, not CSV: extract the CSV file from it first"),
                   name);
      return FALSE;
    }

  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” is not a text file, so it cannot be read as CSV"), name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
open_iconv (TcCsvReader  *self,
            const char   *from,
            GError      **error)
{
  self->iconv = g_iconv_open ("UTF-8", from);
  if (self->iconv == (GIConv) -1)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_ENCODING,
                   _("“%s” is written in %s, which this system cannot convert"),
                   self->display_name, from);
      return FALSE;
    }
  self->encoding = from;
  return TRUE;
}

TcCsvReader *
_tc_csv_reader_new_for_stream (GInputStream  *stream,
                               goffset        size,
                               const char    *display_name,
                               GError       **error)
{
  g_autoptr(TcCsvReader) self = NULL;
  g_autofree guint8 *block = g_malloc (RAW_CHUNK_SIZE);
  gsize len = 0;
  gsize skip = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  self = g_new0 (TcCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->display_name = g_strdup (display_name);
  self->size = size > 0 ? (guint64) size : 0;
  self->encoding = "UTF-8";
  self->iconv = (GIConv) -1;
  self->carry = g_byte_array_new ();
  self->text = g_byte_array_sized_new (RAW_CHUNK_SIZE * 2);
  self->pending = g_byte_array_new ();
  self->fields_buf = g_byte_array_sized_new (1024);
  self->field_offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->field_ptrs = g_ptr_array_new ();
  self->line = 1;

  if (!g_input_stream_read_all (stream, block, RAW_CHUNK_SIZE, &len, NULL, error))
    return NULL;
  self->position = len;

  if (has_prefix (block, len, "\xEF\xBB\xBF", 3))
    {
      skip = 3;
    }
  else if (has_prefix (block, len, "\xFF\xFE\x00\x00", 4))
    {
      if (!open_iconv (self, "UTF-32LE", error))
        return NULL;
      skip = 4;
    }
  else if (has_prefix (block, len, "\x00\x00\xFE\xFF", 4))
    {
      if (!open_iconv (self, "UTF-32BE", error))
        return NULL;
      skip = 4;
    }
  else if (has_prefix (block, len, "\xFF\xFE", 2))
    {
      if (!open_iconv (self, "UTF-16LE", error))
        return NULL;
      skip = 2;
    }
  else if (has_prefix (block, len, "\xFE\xFF", 2))
    {
      if (!open_iconv (self, "UTF-16BE", error))
        return NULL;
      skip = 2;
    }
  else if (!check_is_text (display_name, block, len, error))
    {
      return NULL;
    }

  if (skip == 3 && !check_is_text (display_name, block + skip, len - skip, error))
    return NULL;

  self->first_block = g_bytes_new (block + skip, len - skip);

  return g_steal_pointer (&self);
}

TcCsvReader *
_tc_csv_reader_new_for_path (const char  *path,
                             GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  name = g_filename_display_basename (path);

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_FOUND,
                     _("“%s” does not exist"), name);
      else
        g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_FOUND,
                     _("“%s” cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);

  return _tc_csv_reader_new_for_stream (G_INPUT_STREAM (stream),
                                        info != NULL ? g_file_info_get_size (info) : -1,
                                        name, error);
}

void
_tc_csv_reader_free (TcCsvReader *self)
{
  if (self == NULL)
    return;

  if (self->parser_ready)
    csv_free (&self->parser);
  if (self->iconv != (GIConv) -1)
    g_iconv_close (self->iconv);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->first_block, g_bytes_unref);
  g_byte_array_unref (self->carry);
  g_byte_array_unref (self->text);
  g_byte_array_unref (self->pending);
  g_byte_array_unref (self->fields_buf);
  g_array_unref (self->field_offsets);
  g_ptr_array_unref (self->field_ptrs);
  g_free (self->malformed_raw);
  g_free (self->display_name);
  g_free (self);
}

/* Decoding. */

static gboolean
has_high_bytes (const guint8 *data,
                gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] >= 0x80)
        return TRUE;
    }
  return FALSE;
}

/* TRUE if @data (@len < 4 bytes, at the end of what was read so far) is the
 * start of a UTF-8 sequence whose other bytes are still to come. */
static gboolean
is_incomplete_utf8 (const guint8 *data,
                    gsize         len)
{
  gsize need;

  if (len == 0)
    return FALSE;
  if (data[0] >= 0xC2 && data[0] <= 0xDF)
    need = 2;
  else if (data[0] >= 0xE0 && data[0] <= 0xEF)
    need = 3;
  else if (data[0] >= 0xF0 && data[0] <= 0xF4)
    need = 4;
  else
    return FALSE;

  if (len >= need)
    return FALSE;
  for (gsize i = 1; i < len; i++)
    {
      if ((data[i] & 0xC0) != 0x80)
        return FALSE;
    }
  return TRUE;
}

static gboolean
decode_iconv (TcCsvReader   *self,
              const guint8  *data,
              gsize          len,
              gboolean       final,
              GError       **error)
{
  char *inbuf = (char *) data;
  gsize inleft = len;

  while (inleft > 0)
    {
      gsize old_len = self->text->len;
      gsize room = inleft * 4 + 16;
      char *outbuf;
      gsize outleft = room;
      gsize r;
      int saved_errno;

      g_byte_array_set_size (self->text, old_len + room);
      outbuf = (char *) self->text->data + old_len;
      r = g_iconv (self->iconv, &inbuf, &inleft, &outbuf, &outleft);
      saved_errno = errno;
      g_byte_array_set_size (self->text, old_len + (room - outleft));

      if (r != (gsize) -1)
        continue;

      if (saved_errno == E2BIG)
        continue;

      if (saved_errno == EINVAL && !final)
        {
          /* An incomplete sequence at the end of this chunk. */
          g_byte_array_append (self->carry, (const guint8 *) inbuf, inleft);
          return TRUE;
        }

      if (g_str_equal (self->encoding, "WINDOWS-1252"))
        g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_ENCODING,
                     _("“%s” is neither UTF-8 nor Windows-1252 text: save it again as “CSV UTF-8” in your spreadsheet app"),
                     self->display_name);
      else
        g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_ENCODING,
                     _("“%s” is not valid %s text: save it again as “CSV UTF-8” in your spreadsheet app"),
                     self->display_name, self->encoding);
      return FALSE;
    }

  return TRUE;
}

static gboolean
decode_utf8 (TcCsvReader   *self,
             const guint8  *data,
             gsize          len,
             gboolean       final,
             GError       **error)
{
  const char *end = NULL;
  gsize valid;

  if (g_utf8_validate_len ((const char *) data, len, &end))
    {
      if (!self->seen_non_ascii && has_high_bytes (data, len))
        self->seen_non_ascii = TRUE;
      g_byte_array_append (self->text, data, len);
      return TRUE;
    }

  valid = (const guint8 *) end - data;

  if (!final && len - valid < 4 && is_incomplete_utf8 (data + valid, len - valid))
    {
      if (!self->seen_non_ascii && has_high_bytes (data, valid))
        self->seen_non_ascii = TRUE;
      g_byte_array_append (self->text, data, valid);
      g_byte_array_append (self->carry, data + valid, len - valid);
      return TRUE;
    }

  /* Not UTF-8. If everything before was plain ASCII, which reads the same
   * in both, the file is most likely a Windows-1252 spreadsheet export:
   * switch to it from here on. UTF-8 text followed by other bytes is a
   * mixture nobody can convert reliably. */
  if (self->seen_non_ascii || has_high_bytes (data, valid))
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_ENCODING,
                   _("“%s” mixes UTF-8 with another encoding: save it again as “CSV UTF-8” in your spreadsheet app"),
                   self->display_name);
      return FALSE;
    }

  g_byte_array_append (self->text, data, valid);
  if (!open_iconv (self, "WINDOWS-1252", error))
    return FALSE;

  return decode_iconv (self, data + valid, len - valid, final, error);
}

static gboolean
decode (TcCsvReader   *self,
        const guint8  *data,
        gsize          len,
        gboolean       final,
        GError       **error)
{
  g_autoptr(GByteArray) joined = NULL;
  gsize old_len = self->text->len;
  gboolean ok;

  if (self->carry->len > 0)
    {
      joined = g_byte_array_sized_new (self->carry->len + len);
      g_byte_array_append (joined, self->carry->data, self->carry->len);
      if (len > 0)
        g_byte_array_append (joined, data, len);
      g_byte_array_set_size (self->carry, 0);
      data = joined->data;
      len = joined->len;
    }

  if (len == 0)
    return TRUE;

  if (self->iconv == (GIConv) -1)
    ok = decode_utf8 (self, data, len, final, error);
  else
    ok = decode_iconv (self, data, len, final, error);

  if (ok && memchr (self->text->data + old_len, '\0', self->text->len - old_len) != NULL)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” contains NUL bytes, so it is not a text file"),
                   self->display_name);
      return FALSE;
    }

  return ok;
}

/* Reads and decodes the next chunk of the file. */
static gboolean
fill (TcCsvReader  *self,
      GError      **error)
{
  g_autofree guint8 *buf = NULL;
  gsize n = 0;

  g_assert (!self->eof);

  if (self->text_pos > 0)
    {
      g_byte_array_remove_range (self->text, 0, self->text_pos);
      self->text_pos = 0;
    }

  if (self->first_block != NULL)
    {
      g_autoptr(GBytes) block = g_steal_pointer (&self->first_block);
      gsize block_len;
      const guint8 *data = g_bytes_get_data (block, &block_len);

      return decode (self, data, block_len, FALSE, error);
    }

  buf = g_malloc (RAW_CHUNK_SIZE);
  if (!g_input_stream_read_all (self->stream, buf, RAW_CHUNK_SIZE, &n, NULL, error))
    return FALSE;
  self->position += n;

  if (n > 0 && self->iconv == (GIConv) -1 && memchr (buf, '\0', n) != NULL)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT,
                   _("“%s” contains NUL bytes, so it is not a text file"),
                   self->display_name);
      return FALSE;
    }

  if (n == 0)
    {
      self->eof = TRUE;
      return decode (self, NULL, 0, TRUE, error);
    }

  return decode (self, buf, n, FALSE, error);
}

/* Delimiter detection: for each candidate, count it outside quotes in the
 * first records. The header must contain it, and the candidate whose count
 * in the header is repeated by most of the following records wins. */
static char
detect_delimiter (const guint8 *p,
                  gsize         len,
                  gboolean      complete)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)][SNIFF_RECORDS] = { { 0 } };
  guint current[G_N_ELEMENTS (candidates)] = { 0 };
  guint n_records = 0;
  gboolean in_quotes = FALSE;
  gboolean content = FALSE;
  int best = -1;
  guint best_consistent = 0;
  guint best_header = 0;

  for (gsize i = 0; i < len && n_records < SNIFF_RECORDS; i++)
    {
      guint8 c = p[i];

      if (c == '"')
        {
          in_quotes = !in_quotes;
          content = TRUE;
        }
      else if (in_quotes)
        {
          continue;
        }
      else if (c == '\n' || c == '\r')
        {
          if (content)
            {
              for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
                counts[k][n_records] = current[k];
              n_records++;
            }
          memset (current, 0, sizeof current);
          content = FALSE;
        }
      else
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            {
              if (c == (guint8) candidates[k])
                current[k]++;
            }
          if (c != ' ')
            content = TRUE;
        }
    }

  if (complete && content && n_records < SNIFF_RECORDS)
    {
      for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
        counts[k][n_records] = current[k];
      n_records++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint header = n_records > 0 ? counts[k][0] : 0;
      guint consistent = 0;

      if (header == 0)
        continue;
      for (guint r = 1; r < n_records; r++)
        {
          if (counts[k][r] == header)
            consistent++;
        }
      if (best < 0 || consistent > best_consistent ||
          (consistent == best_consistent && header > best_header))
        {
          best = k;
          best_consistent = consistent;
          best_header = header;
        }
    }

  return best < 0 ? ',' : candidates[best];
}

/* Parsing. */

static void
on_field_cb (void   *s,
             size_t  len,
             void   *data)
{
  TcCsvReader *self = data;
  guint offset = self->fields_buf->len;

  if (s == NULL)
    len = 0;
  g_byte_array_set_size (self->fields_buf, offset + len + 1);
  if (len > 0)
    memcpy (self->fields_buf->data + offset, s, len);
  self->fields_buf->data[offset + len] = '\0';
  g_array_append_val (self->field_offsets, offset);
}

static void
clear_record (TcCsvReader *self)
{
  g_byte_array_set_size (self->fields_buf, 0);
  g_array_set_size (self->field_offsets, 0);
}

static void
on_row_cb (int   c,
           void *data)
{
  TcCsvReader *self = data;
  guint line = self->in_record ? self->record_line : self->line;

  self->in_record = FALSE;

  /* A row of nothing but empty fields (",,,") is a blank line. */
  if (self->fields_buf->len == self->field_offsets->len)
    {
      clear_record (self);
      return;
    }

  self->record_done = TRUE;
  self->done_line = line;
}

static void
reset_parser (TcCsvReader *self)
{
  if (self->parser_ready)
    csv_free (&self->parser);
  csv_init (&self->parser, CSV_STRICT | CSV_STRICT_FINI);
  csv_set_delim (&self->parser, (unsigned char) self->delimiter);
  self->parser_ready = TRUE;
  self->in_record = FALSE;
  g_byte_array_set_size (self->pending, 0);
  clear_record (self);
}

static gboolean
prepare (TcCsvReader  *self,
         GError      **error)
{
  while (!self->eof && self->text->len - self->text_pos < SNIFF_TEXT_SIZE)
    {
      if (!fill (self, error))
        return FALSE;
    }

  self->delimiter = detect_delimiter (self->text->data + self->text_pos,
                                      self->text->len - self->text_pos,
                                      self->eof);
  reset_parser (self);
  return TRUE;
}

static void
advance (TcCsvReader *self,
         gsize        span_len)
{
  guint8 last = self->text->data[self->text_pos + span_len - 1];

  if (last == '\r')
    {
      self->line++;
      self->prev_cr = TRUE;
    }
  else if (last == '\n')
    {
      if (!(span_len == 1 && self->prev_cr))
        self->line++;
      self->prev_cr = FALSE;
    }
  else
    {
      self->prev_cr = FALSE;
    }

  self->text_pos += span_len;
}

static void
set_malformed_raw (TcCsvReader *self)
{
  const guint8 *p = self->pending->data;
  gsize len = 0;

  while (len < self->pending->len && p[len] != '\r' && p[len] != '\n')
    len++;
  if (len > RAW_TEXT_MAX)
    {
      len = RAW_TEXT_MAX;
      while (len > 0 && (p[len] & 0xC0) == 0x80)
        len--;
    }

  g_free (self->malformed_raw);
  self->malformed_raw = g_strndup ((const char *) p, len);
}

/* The record in progress cannot end well (its quote is never closed, or
 * it outgrew the bound): report it, and read again every line after its
 * first one. */
static void
recover_unclosed (TcCsvReader *self)
{
  const guint8 *p = self->pending->data;
  gsize len = self->pending->len;
  gsize i = 0;

  set_malformed_raw (self);
  self->done_line = self->record_line;
  self->record_done = TRUE;

  while (i < len && p[i] != '\r' && p[i] != '\n')
    i++;

  if (i == len)
    {
      /* One very long line: drop the rest of it. */
      self->skip_line = !self->eof || self->text_pos < self->text->len;
    }
  else
    {
      if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
        i++;
      i++;

      g_byte_array_remove_range (self->text, 0, self->text_pos);
      self->text_pos = 0;
      g_byte_array_prepend (self->text, p + i, len - i);
      self->line = self->record_line + 1;
      /* A CR ending the pending bytes may have its LF still to come. */
      self->prev_cr = p[i - 1] == '\r';
    }

  reset_parser (self);
}

static void
emit (TcCsvReader *self,
      TcCsvRecord *record,
      const char  *malformed)
{
  record->line = self->done_line;
  record->malformed = malformed;
  record->raw = malformed != NULL ? self->malformed_raw : NULL;

  g_ptr_array_set_size (self->field_ptrs, 0);
  if (malformed == NULL)
    {
      for (guint i = 0; i < self->field_offsets->len; i++)
        {
          guint offset = g_array_index (self->field_offsets, guint, i);

          g_ptr_array_add (self->field_ptrs, self->fields_buf->data + offset);
        }
    }
  record->n_fields = self->field_ptrs->len;
  g_ptr_array_add (self->field_ptrs, NULL);
  record->fields = (const char **) self->field_ptrs->pdata;
  self->record_done = FALSE;
}

/* A complete line without a quote, outside a record, is split here
 * rather than by libcsv (its callbacks for every byte were the reader's main
 * cost), exactly as libcsv in strict mode does it: fields end at the
 * delimiter, spaces and tabs (unless the tab is the delimiter) are trimmed
 * around each field, and the line's end ends the row. @len excludes the
 * line's end. */
static void
split_simple_line (TcCsvReader  *self,
                   const guint8 *p,
                   gsize         len)
{
  guint8 delimiter = (guint8) self->delimiter;
  gsize start = 0;

  for (;;)
    {
      const guint8 *field;
      gsize end = start;
      gsize field_len;

      while (end < len && p[end] != delimiter)
        end++;

      field = p + start;
      field_len = end - start;
      while (field_len > 0 && (field[0] == ' ' || field[0] == '\t') && field[0] != delimiter)
        {
          field++;
          field_len--;
        }
      while (field_len > 0 && (field[field_len - 1] == ' ' || field[field_len - 1] == '\t') &&
             field[field_len - 1] != delimiter)
        field_len--;
      on_field_cb ((void *) field, field_len, self);

      if (end >= len)
        break;
      start = end + 1;
    }

  on_row_cb (p[len], self);
}

static gboolean
is_blank (const guint8 *p,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
        return FALSE;
    }
  return TRUE;
}

gboolean
_tc_csv_reader_next (TcCsvReader  *self,
                     TcCsvRecord  *record,
                     GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!self->parser_ready && !prepare (self, error))
    return FALSE;

  if (!self->in_record)
    clear_record (self);

  for (;;)
    {
      const guint8 *p;
      gsize avail, span_len, n;
      gboolean has_term;

      if (self->text_pos >= self->text->len)
        {
          if (self->finished)
            return FALSE;

          if (!self->eof)
            {
              if (!fill (self, error))
                return FALSE;
              continue;
            }

          if (csv_fini (&self->parser, on_field_cb, on_row_cb, self) != 0)
            {
              recover_unclosed (self);
              emit (self, record, _("malformed CSV: a quoted field is never closed"));
              return TRUE;
            }

          self->finished = TRUE;
          if (self->record_done)
            {
              emit (self, record, NULL);
              return TRUE;
            }
          return FALSE;
        }

      p = self->text->data + self->text_pos;
      avail = self->text->len - self->text_pos;
      span_len = 0;
      while (span_len < avail && p[span_len] != '\n' && p[span_len] != '\r')
        span_len++;
      has_term = span_len < avail;
      if (has_term)
        span_len++;

      if (self->skip_line)
        {
          self->skip_line = !has_term;
          advance (self, span_len);
          continue;
        }

      if (!self->in_record && !is_blank (p, span_len))
        {
          self->in_record = TRUE;
          self->record_line = self->line;
          g_byte_array_set_size (self->pending, 0);

          /* libcsv is between rows here, so a whole line without a quote
           * is a row of its own. */
          if (has_term && !self->no_simple_lines && memchr (p, '"', span_len) == NULL)
            {
              split_simple_line (self, p, span_len - 1);
              advance (self, span_len);
              if (self->record_done)
                {
                  emit (self, record, NULL);
                  return TRUE;
                }
              continue;
            }
        }
      else if (!self->in_record && !self->no_simple_lines)
        {
          /* A blank line between rows: libcsv would skip it. */
          advance (self, span_len);
          continue;
        }
      if (self->in_record)
        g_byte_array_append (self->pending, p, span_len);

      n = csv_parse (&self->parser, p, span_len, on_field_cb, on_row_cb, self);
      if (n != span_len || csv_error (&self->parser) != CSV_SUCCESS)
        {
          const char *reason;

          if (n < span_len && p[n] == '"')
            reason = _("malformed CSV: a quote inside a field that does not start with a quote");
          else
            reason = _("malformed CSV: text after the closing quote of a field");

          set_malformed_raw (self);
          self->done_line = self->in_record ? self->record_line : self->line;
          advance (self, span_len);
          self->skip_line = !has_term;
          reset_parser (self);
          emit (self, record, reason);
          return TRUE;
        }

      advance (self, span_len);

      if (self->record_done)
        {
          g_byte_array_set_size (self->pending, 0);
          emit (self, record, NULL);
          return TRUE;
        }

      if (!self->in_record)
        {
          g_byte_array_set_size (self->pending, 0);
        }
      else if (self->pending->len > TC_CSV_MAX_RECORD_BYTES)
        {
          gboolean one_line = memchr (self->pending->data, '\n', self->pending->len) == NULL &&
                              memchr (self->pending->data, '\r', self->pending->len) == NULL;

          recover_unclosed (self);
          emit (self, record,
                one_line ? _("malformed CSV: the record is longer than 1 MiB")
                         : _("malformed CSV: a quoted field runs on for more than 1 MiB; is its closing quote missing?"));
          return TRUE;
        }
    }
}

GStrv
_tc_csv_reader_read_header (TcCsvReader  *self,
                            GError      **error)
{
  TcCsvRecord record;
  GError *local_error = NULL;
  GStrv headers;

  g_return_val_if_fail (self != NULL, NULL);

  if (!_tc_csv_reader_next (self, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_EMPTY,
                     _("“%s” is empty: there is no header row"), self->display_name);
      return NULL;
    }

  if (record.malformed != NULL)
    {
      g_set_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_MALFORMED,
                   _("The header row of “%s” (line %u) is not valid CSV: %s"),
                   self->display_name, record.line, record.malformed);
      return NULL;
    }

  headers = g_new0 (char *, record.n_fields + 1);
  for (guint i = 0; i < record.n_fields; i++)
    headers[i] = g_strstrip (g_strdup (record.fields[i]));

  return headers;
}

void
_tc_csv_reader_set_simple_lines (TcCsvReader *self,
                                 gboolean     enabled)
{
  g_return_if_fail (self != NULL);

  self->no_simple_lines = !enabled;
}

char
_tc_csv_reader_get_delimiter (TcCsvReader *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return self->delimiter;
}

const char *
_tc_csv_reader_get_encoding (TcCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->encoding;
}

guint64
_tc_csv_reader_get_position (TcCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->position;
}

guint64
_tc_csv_reader_get_size (TcCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/* Cells. */

static void
trim_span (const char **s,
           gsize       *len)
{
  while (*len > 0 && g_ascii_isspace ((*s)[0]))
    {
      (*s)++;
      (*len)--;
    }
  while (*len > 0 && g_ascii_isspace ((*s)[*len - 1]))
    (*len)--;
}

GStrv
_tc_csv_split_tags (const char *cell)
{
  GPtrArray *tags = g_ptr_array_new ();
  const char *p = cell;

  g_return_val_if_fail (cell != NULL, NULL);

  for (;;)
    {
      gsize len = strcspn (p, ",;");
      const char *start = p;
      gsize trimmed_len = len;

      trim_span (&start, &trimmed_len);
      if (trimmed_len > 0)
        {
          char *tag = g_strndup (start, trimmed_len);

          if (g_ptr_array_find_with_equal_func (tags, tag, g_str_equal, NULL))
            g_free (tag);
          else
            g_ptr_array_add (tags, tag);
        }
      if (p[len] == '\0')
        break;
      p += len + 1;
    }

  g_ptr_array_add (tags, NULL);
  return (GStrv) g_ptr_array_free (tags, FALSE);
}

void
_tc_csv_split_full_name (const char  *full_name,
                         char       **first_name,
                         char       **last_name)
{
  const char *s = full_name;
  gsize len = strlen (full_name);
  gsize space;

  trim_span (&s, &len);
  *first_name = NULL;
  *last_name = NULL;
  if (len == 0)
    return;

  space = len;
  while (space > 0 && s[space - 1] != ' ' && s[space - 1] != '\t')
    space--;

  if (space == 0)
    {
      *first_name = g_strndup (s, len);
    }
  else
    {
      const char *first = s;
      gsize first_len = space;

      trim_span (&first, &first_len);
      *first_name = g_strndup (first, first_len);
      *last_name = g_strndup (s + space, len - space);
    }
}

/* Mapping. */

TcCsvMapping *
_tc_csv_mapping_new (const char * const   *headers,
                     const TcContactField *fields,
                     guint                 n_fields)
{
  TcCsvMapping *self;

  g_return_val_if_fail (headers != NULL, NULL);

  self = g_new0 (TcCsvMapping, 1);
  self->n_columns = g_strv_length ((char **) headers);
  self->fields = g_new0 (TcContactField, self->n_columns);
  self->names = g_new0 (char *, self->n_columns + 1);
  self->phone_column = -1;

  for (guint i = 0; i < self->n_columns; i++)
    {
      TcContactField field;

      self->names[i] = g_strstrip (g_strdup (headers[i]));
      if (self->names[i][0] == '\0')
        {
          g_free (self->names[i]);
          self->names[i] = g_strdup_printf (_("Column %u"), i + 1);
        }

      if (fields != NULL && i < n_fields)
        field = fields[i];
      else
        field = tc_contact_field_from_header (headers[i]);

      if (field == TC_FIELD_PHONE)
        {
          if (self->phone_column < 0)
            self->phone_column = i;
          else
            field = TC_FIELD_ATTRIBUTE;
        }

      self->fields[i] = field;
    }

  return self;
}

void
_tc_csv_mapping_free (TcCsvMapping *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->names);
  g_free (self->fields);
  g_free (self);
}

int
_tc_csv_mapping_get_phone_column (TcCsvMapping *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->phone_column;
}

TcContactField
_tc_csv_mapping_get_field (TcCsvMapping *self,
                           guint         column)
{
  g_return_val_if_fail (self != NULL, TC_FIELD_IGNORE);

  return column < self->n_columns ? self->fields[column] : TC_FIELD_IGNORE;
}

static const char *
cell_dup (GStringChunk *strings,
          const char   *cell)
{
  const char *s = cell;
  gsize len = strlen (cell);

  trim_span (&s, &len);
  if (len == 0)
    return NULL;
  return g_string_chunk_insert_len (strings, s, len);
}

/* The row's country as a region code, interned; NULL unless valid. */
static const char *
cell_region (TcCsvMapping *mapping,
             const char   *cell)
{
  const char *s = cell;
  gsize len = strlen (cell);
  const char **cached;
  const char *region;
  char code[3];

  trim_span (&s, &len);
  if (len != 2 || !g_ascii_isalpha (s[0]) || !g_ascii_isalpha (s[1]))
    return NULL;

  code[0] = g_ascii_toupper (s[0]);
  code[1] = g_ascii_toupper (s[1]);
  code[2] = '\0';

  /* A file names the same few countries on every row. */
  cached = &mapping->regions[(code[0] - 'A') * 26 + (code[1] - 'A')];
  if (*cached != NULL)
    return *cached != invalid_region ? *cached : NULL;

  /* People write UK; ISO 3166 says GB. */
  if (strcmp (code, "UK") == 0)
    region = g_intern_static_string ("GB");
  else if (tc_phone_region_is_valid (code))
    region = g_intern_string (code);
  else
    region = NULL;

  *cached = region != NULL ? region : invalid_region;
  return region;
}

/* Adds the tags of @cell to @lists from *@start on (which becomes
 * lists->len at the first tag), as _tc_csv_split_tags() splits them,
 * skipping tags the list has already: without allocating for each. */
static void
add_cell_tags (GStringChunk *strings,
               GPtrArray    *lists,
               const char   *cell,
               guint        *start)
{
  const char *p = cell;

  for (;;)
    {
      gsize len = strcspn (p, ",;");
      const char *tag = p;
      gsize tag_len = len;

      trim_span (&tag, &tag_len);
      if (tag_len > 0)
        {
          gboolean seen = FALSE;

          if (*start == G_MAXUINT)
            *start = lists->len;
          for (guint k = *start; k < lists->len && !seen; k++)
            {
              const char *other = lists->pdata[k];

              seen = strncmp (other, tag, tag_len) == 0 && other[tag_len] == '\0';
            }
          if (!seen)
            g_ptr_array_add (lists, g_string_chunk_insert_len (strings, tag, (gssize) tag_len));
        }
      if (p[len] == '\0')
        break;
      p += len + 1;
    }
}

void
_tc_csv_row_fill (TcCsvMapping      *mapping,
                  const TcCsvRecord *record,
                  const char        *default_region,
                  GStringChunk      *strings,
                  GPtrArray         *lists,
                  TcCsvRow          *row)
{
  const char *full_name = NULL;
  guint n;
  guint n_attrs = 0;

  g_return_if_fail (mapping != NULL);
  g_return_if_fail (record != NULL);
  g_return_if_fail (row != NULL);

  memset (row, 0, sizeof *row);
  row->line = record->line;
  row->tags = G_MAXUINT;
  row->attr_names = G_MAXUINT;
  row->attr_values = G_MAXUINT;
  row->phone = "";
  row->region = default_region;

  if (record->malformed != NULL)
    {
      row->malformed = g_string_chunk_insert (strings, record->malformed);
      row->raw = g_string_chunk_insert (strings, record->raw != NULL ? record->raw : "");
      return;
    }

  n = MIN (record->n_fields, mapping->n_columns);

  for (guint i = 0; i < n; i++)
    {
      const char *cell = record->fields[i];

      if (cell[0] == '\0')
        continue;

      switch (mapping->fields[i])
        {
        case TC_FIELD_PHONE:
          row->phone = g_string_chunk_insert (strings, cell);
          break;
        case TC_FIELD_FIRST_NAME:
          if (row->first_name == NULL)
            row->first_name = cell_dup (strings, cell);
          break;
        case TC_FIELD_LAST_NAME:
          if (row->last_name == NULL)
            row->last_name = cell_dup (strings, cell);
          break;
        case TC_FIELD_FULL_NAME:
          if (full_name == NULL)
            full_name = cell;
          break;
        case TC_FIELD_EMAIL:
          if (row->email == NULL)
            row->email = cell_dup (strings, cell);
          break;
        case TC_FIELD_LANGUAGE:
          if (row->language == NULL)
            row->language = cell_dup (strings, cell);
          break;
        case TC_FIELD_COUNTRY:
          if (row->country == NULL)
            row->country = cell_region (mapping, cell);
          break;
        case TC_FIELD_TAGS:
          add_cell_tags (strings, lists, cell, &row->tags);
          break;
        case TC_FIELD_ATTRIBUTE:
          n_attrs++;
          break;
        case TC_FIELD_IGNORE:
        default:
          break;
        }
    }

  if (row->tags != G_MAXUINT)
    g_ptr_array_add (lists, NULL);

  if (full_name != NULL && (row->first_name == NULL || row->last_name == NULL))
    {
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;

      _tc_csv_split_full_name (full_name, &first, &last);
      if (row->first_name == NULL && first != NULL)
        row->first_name = g_string_chunk_insert (strings, first);
      if (row->last_name == NULL && last != NULL)
        row->last_name = g_string_chunk_insert (strings, last);
    }

  if (row->country != NULL)
    row->region = row->country;

  if (n_attrs > 0)
    {
      guint names_start = lists->len;
      guint n_names = 0;

      /* Names first, then the values in the same order; the first
       * non-empty cell of a repeated header wins. */
      for (guint i = 0; i < n; i++)
        {
          const char *value;
          gboolean seen = FALSE;

          if (mapping->fields[i] != TC_FIELD_ATTRIBUTE)
            continue;
          value = cell_dup (strings, record->fields[i]);
          if (value == NULL)
            continue;
          for (guint k = names_start; k < names_start + n_names && !seen; k++)
            seen = g_str_equal (lists->pdata[k], mapping->names[i]);
          if (seen)
            continue;
          g_ptr_array_insert (lists, names_start + n_names, mapping->names[i]);
          n_names++;
          g_ptr_array_add (lists, (gpointer) value);
        }

      if (n_names > 0)
        {
          g_ptr_array_insert (lists, names_start + n_names, NULL);
          g_ptr_array_add (lists, NULL);
          row->attr_names = names_start;
          row->attr_values = names_start + n_names + 1;
        }
      else
        {
          g_ptr_array_set_size (lists, names_start);
        }
    }
}

/* Preview. */

TcCsvPreview *
tc_csv_preview_load (const char  *path,
                     guint        max_rows,
                     GError     **error)
{
  g_autoptr(TcCsvReader) reader = NULL;
  g_autoptr(TcCsvMapping) mapping = NULL;
  g_auto(GStrv) headers = NULL;
  TcCsvPreview *preview;
  TcCsvRecord record;

  g_return_val_if_fail (path != NULL, NULL);

  reader = _tc_csv_reader_new_for_path (path, error);
  if (reader == NULL)
    return NULL;

  headers = _tc_csv_reader_read_header (reader, error);
  if (headers == NULL)
    return NULL;

  mapping = _tc_csv_mapping_new ((const char * const *) headers, NULL, 0);

  preview = g_new0 (TcCsvPreview, 1);
  preview->delimiter = _tc_csv_reader_get_delimiter (reader);
  preview->n_columns = g_strv_length (headers);
  preview->fields = g_new0 (TcContactField, preview->n_columns);
  for (guint i = 0; i < preview->n_columns; i++)
    preview->fields[i] = _tc_csv_mapping_get_field (mapping, i);
  preview->headers = g_steal_pointer (&headers);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (preview->rows->len < max_rows)
    {
      GError *local_error = NULL;
      char **cells;

      if (!_tc_csv_reader_next (reader, &record, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              tc_csv_preview_free (preview);
              return NULL;
            }
          break;
        }

      /* The preview is for choosing columns; broken records are reported
       * by the import itself. */
      if (record.malformed != NULL)
        continue;

      /* Exactly one cell per column, so the dialog can index by column. */
      cells = g_new0 (char *, preview->n_columns + 1);
      for (guint i = 0; i < preview->n_columns; i++)
        cells[i] = g_strdup (i < record.n_fields ? record.fields[i] : "");
      g_ptr_array_add (preview->rows, cells);
    }

  preview->encoding = g_strdup (_tc_csv_reader_get_encoding (reader));

  return preview;
}

typedef struct
{
  char  *path;
  guint  max_rows;
} PreviewData;

static void
preview_data_free (PreviewData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
preview_load_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  PreviewData *data = task_data;
  GError *error = NULL;
  TcCsvPreview *preview;

  preview = tc_csv_preview_load (data->path, data->max_rows, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) tc_csv_preview_free);
}

void
tc_csv_preview_load_async (const char          *path,
                           guint                max_rows,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (PreviewData, 1);
  data->path = g_strdup (path);
  data->max_rows = max_rows;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_csv_preview_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) preview_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, preview_load_thread);
}

TcCsvPreview *
tc_csv_preview_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_csv_preview_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_csv_preview_free (TcCsvPreview *preview)
{
  if (preview == NULL)
    return;

  g_strfreev (preview->headers);
  g_free (preview->fields);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview->encoding);
  g_free (preview);
}
