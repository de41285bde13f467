/* test-csv.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tc-contact-io.h"
#include "tc-contact.h"
#include "tc-csv-private.h"
#include "tc-repository.h"
#include "tc-repository-private.h"

/* Helpers. */

static char *
data_path (const char *name)
{
  const char *dir = g_getenv ("TEXTCAST_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, "csv", name, NULL);
}

/* Reads @len bytes of CSV and returns one line per record:
 * "L<line>: field|field|…" or "L<line>: MALFORMED <reason>", with CR and
 * LF inside fields shown as \r and \n. */
static char *
dump_records_full (const char  *bytes,
                   gssize       len,
                   gboolean     simple_lines,
                   GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TcCsvReader) reader = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  TcCsvRecord record;

  if (len < 0)
    len = strlen (bytes);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (bytes, len), len, g_free);
  reader = _tc_csv_reader_new_for_stream (stream, len, "test.csv", error);
  if (reader == NULL)
    return NULL;
  _tc_csv_reader_set_simple_lines (reader, simple_lines);

  while (_tc_csv_reader_next (reader, &record, error))
    {
      g_string_append_printf (out, "L%u:", record.line);
      if (record.malformed != NULL)
        {
          g_assert_true (g_str_has_prefix (record.malformed, "malformed CSV: "));
          g_string_append_printf (out, " MALFORMED [%s]", record.raw);
        }
      for (guint i = 0; i < record.n_fields; i++)
        {
          g_autofree char *escaped = g_strescape (record.fields[i], "\xc3\xa9\xc3\xbc\xc3\xab");

          g_string_append (out, i == 0 ? " " : "|");
          g_string_append (out, escaped);
        }
      g_string_append_c (out, '\n');
    }

  if (error != NULL && *error != NULL)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
dump_records (const char  *bytes,
              gssize       len,
              GError     **error)
{
  return dump_records_full (bytes, len, TRUE, error);
}

static char *
make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("test-csv-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      len)
{
  GError *error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

typedef struct
{
  char         *dir;
  TcRepository *repo;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *db = NULL;
  GError *error = NULL;

  f->dir = make_tmp_dir ();
  db = g_build_filename (f->dir, "test.db", NULL);
  f->repo = tc_repository_new (db);
  tc_repository_open_async (f->repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_repository_open_finish (f->repo, result, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tc_repository_close (f->repo);
  g_assert_finalize_object (f->repo);
  remove_tree (f->dir);
  g_free (f->dir);
}

static TcImportReport *
import_file (TcRepository           *repo,
             const char             *path,
             const TcImportOptions  *options,
             GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_contacts_import_async (repo, path, options, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_contacts_import_finish (repo, result, error);
}

static TcImportReport *
import_ok (TcRepository *repo,
           const char   *path,
           const char   *region)
{
  TcImportOptions options = { .default_region = region };
  GError *error = NULL;
  TcImportReport *report = import_file (repo, path, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->rows, ==, report->imported + report->updated + report->rejected);
  g_assert_cmpuint (report->errors->len, ==, report->rejected);
  return report;
}

static GPtrArray *
list_all (TcRepository *repo)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  GPtrArray *contacts;

  tc_repository_list_contacts_async (repo, NULL, NULL, 0, 0, NULL,
                                     tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contacts = tc_repository_list_contacts_finish (repo, result, &error);
  g_assert_no_error (error);
  return contacts;
}

static guint
count_all (TcRepository *repo)
{
  g_autoptr(GPtrArray) contacts = list_all (repo);

  return contacts->len;
}

static TcContact *
find_phone (TcRepository *repo,
            const char   *e164)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  TcContact *contact;

  tc_repository_find_contact_by_phone_async (repo, e164, NULL,
                                             tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  contact = tc_repository_find_contact_by_phone_finish (repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

static char *
join_strv (const char * const *strv)
{
  return strv != NULL ? g_strjoinv (",", (char **) strv) : g_strdup ("");
}

/* One line per contact with every stored field, in list order. */
static char *
describe_contacts (TcRepository *repo)
{
  g_autoptr(GPtrArray) contacts = list_all (repo);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < contacts->len; i++)
    {
      TcContact *c = g_ptr_array_index (contacts, i);
      g_autofree char *zones = join_strv (tc_contact_get_timezones (c));
      g_autofree char *tags = join_strv (tc_contact_get_tags (c));
      GHashTable *attrs = tc_contact_get_attributes (c);
      g_autoptr(GList) keys = attrs != NULL ? g_hash_table_get_keys (attrs) : NULL;

      g_string_append_printf (out, "%s|%s|%s|%s|%s|%s|%s|%s|",
                              tc_contact_get_phone (c),
                              tc_contact_get_first_name (c),
                              tc_contact_get_last_name (c),
                              tc_contact_get_email (c),
                              tc_contact_get_language (c),
                              tc_contact_get_country (c),
                              zones, tags);
      keys = g_list_sort (keys, (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        g_string_append_printf (out, "%s=%s;", (char *) l->data,
                                (char *) g_hash_table_lookup (attrs, l->data));
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

/* RFC 4180 and what spreadsheets really write. */

typedef struct
{
  const char *name;
  const char *input;
  const char *expected;
} ReaderCase;

static const ReaderCase reader_cases[] = {
  { "simple", "a,b,c\n1,2,3\n", "L1: a|b|c\nL2: 1|2|3\n" },
  { "no trailing newline", "a,b\n1,2", "L1: a|b\nL2: 1|2\n" },
  { "crlf", "a,b\r\n1,2\r\n3,4\r\n", "L1: a|b\nL2: 1|2\nL3: 3|4\n" },
  { "lone cr", "a,b\r1,2\r3,4", "L1: a|b\nL2: 1|2\nL3: 3|4\n" },
  { "embedded comma", "a,b\n\"x, y\",2\n", "L1: a|b\nL2: x, y|2\n" },
  { "escaped quotes", "a,b\n\"say \"\"hi\"\"\",2\n", "L1: a|b\nL2: say \\\"hi\\\"|2\n" },
  { "only a quote", "a,b\n\"\"\"\",2\n", "L1: a|b\nL2: \\\"|2\n" },
  { "embedded newline", "a,b\n\"one\ntwo\",2\n3,4\n", "L1: a|b\nL2: one\\ntwo|2\nL4: 3|4\n" },
  { "embedded crlf", "a,b\r\n\"one\r\ntwo\r\nthree\",2\r\n3,4\r\n",
    "L1: a|b\nL2: one\\r\\ntwo\\r\\nthree|2\nL5: 3|4\n" },
  { "newline in a later field", "a,b\nx,\"1\n\n2\"\ny,3\n", "L1: a|b\nL2: x|1\\n\\n2\nL5: y|3\n" },
  { "empty fields", "a,b,c\n1,,\n,,3\n\"\",\"\",x\n", "L1: a|b|c\nL2: 1||\nL3: ||3\nL4: ||x\n" },
  { "blank lines", "\n\na,b\n\n1,2\n   \n\r\n3,4\n\n", "L3: a|b\nL5: 1|2\nL8: 3|4\n" },
  { "rows of empty fields", "a,b\n,\n,,,\n1,2\n", "L1: a|b\nL4: 1|2\n" },
  { "utf-8 bom", "\xef\xbb\xbfPhone,Name\n1,2\n", "L1: Phone|Name\nL2: 1|2\n" },
  { "spaces", "a , b\n  1 ,\" 2 \"\n", "L1: a|b\nL2: 1| 2 \n" },
  { "utf-8 text", "a,b\nM\xc3\xbcller,Zo\xc3\xab\n", "L1: a|b\nL2: M\xc3\xbcller|Zo\xc3\xab\n" },
  { "semicolons", "Name;Phone;Note\nA;1;\"x; y, z\"\nB;2;w\n",
    "L1: Name|Phone|Note\nL2: A|1|x; y, z\nL3: B|2|w\n" },
  { "tabs", "Name\tPhone\nA, B\t1\n", "L1: Name|Phone\nL2: A, B|1\n" },
  { "header only", "Phone,Name\n", "L1: Phone|Name\n" },
  { "empty", "", "" },
  { "only blank lines", "\n \r\n\n", "" },
  /* Strict mode: the record is reported and reading goes on. */
  { "stray quote", "a,b\nx\"y,1\n2,3\n", "L1: a|b\nL2: MALFORMED [x\"y,1]\nL3: 2|3\n" },
  { "text after closing quote", "a,b\n\"x\"y,1\n2,3\n",
    "L1: a|b\nL2: MALFORMED [\"x\"y,1]\nL3: 2|3\n" },
  { "malformed after a multi-line field", "a,b\n\"x\ny\"z,1\n2,3\n",
    "L1: a|b\nL2: MALFORMED [\"x]\nL4: 2|3\n" },
  /* A quote never closed: the record is reported, the lines after it are
   * read again rather than lost. */
  { "unclosed quote", "a,b\n1,\"open\n2,3\n4,5\n",
    "L1: a|b\nL2: MALFORMED [1,\"open]\nL3: 2|3\nL4: 4|5\n" },
  { "unclosed quote on the last line", "a,b\n1,2\n3,\"4", "L1: a|b\nL2: 1|2\nL3: MALFORMED [3,\"4]\n" },
  { "unclosed quote crlf", "a,b\r\n\"x\r\n1,2\r\n", "L1: a|b\nL2: MALFORMED [\"x]\nL3: 1|2\n" },
};

static void
test_reader_rfc4180 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (reader_cases); i++)
    {
      const ReaderCase *c = &reader_cases[i];
      g_autofree char *got = NULL;
      GError *error = NULL;

      g_test_message ("case: %s", c->name);
      got = dump_records (c->input, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, c->expected);
    }
}

/* The reader splits complete lines without quotes itself; libcsv must
 * make the very same records of them. */
static void
test_reader_simple_lines (void)
{
  static const char *inputs[] = {
    "a,b,c\n 1 , 2 ,3 \n\t4\t,\t, 6\t\n",
    "a;b\r\n;\r\n x ; y \r\n;;;\r\nlast;\r\n",
    "a\tb\tc\n1\t\t3\n\t\t\n \t x \t\ty\t\n",
    "a,b\n,\n , \n,x,\n\n\r\r\n1,2,3,4,5\n",
    "a,b\r1, 2\r\n3 ,4\n\r5,6",
    "a,b\n1,\"2\"\n3,4\n\"5\n6\",7\n8,9\n",
    "a,b\nx\"y,1\n2,3\n4, 5 \n",
    "a,b\n1,\"open\n2,3\n 4 ,5\n",
    "Phone,Name\n+1 415 555 0100 , Zo\xc3\xab  \n(030) 901820,M\xc3\xbcller\n",
  };
  g_autoptr(GString) generated = g_string_new ("Phone,First,Last,Tags\r\n");

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (generated, "%s+1 415 555 %04u ,%s,%s,%s\r\n",
                            i % 7 == 0 ? " " : "", i, i % 3 ? "Ann" : "",
                            i % 5 ? "\tLee" : "", i % 11 ? "" : "\"vip, new\"");

  for (guint i = 0; i <= G_N_ELEMENTS (inputs) + G_N_ELEMENTS (reader_cases); i++)
    {
      const char *input;
      g_autofree char *simple = NULL;
      g_autofree char *libcsv = NULL;
      GError *error = NULL;

      if (i < G_N_ELEMENTS (inputs))
        input = inputs[i];
      else if (i < G_N_ELEMENTS (inputs) + G_N_ELEMENTS (reader_cases))
        input = reader_cases[i - G_N_ELEMENTS (inputs)].input;
      else
        input = generated->str;

      simple = dump_records_full (input, -1, TRUE, &error);
      g_assert_no_error (error);
      libcsv = dump_records_full (input, -1, FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (simple, ==, libcsv);
    }
}

typedef struct
{
  const char *input;
  char        delimiter;
} DelimiterCase;

static const DelimiterCase delimiter_cases[] = {
  { "Phone,Name\n1,2\n", ',' },
  { "Phone;Name\n1;2\n", ';' },
  { "Phone\tName\n1\t2\n", '\t' },
  { "Phone\n+1 555 0100\n", ',' },
  /* Decimal commas in a ';' file do not fool it. */
  { "Name;Phone;Amount\nA;1;1,5\nB;2;2,25\n", ';' },
  /* Separators inside quotes do not count. */
  { "\"Name;Title\",Phone\n\"A;B\",1\n", ',' },
  { "Name,Phone;Mobile\nA,1;2\nB,3;4\nC,5;6\n", ',' },
  { "Name;Phone\n\"Smith, J\";1\n\"Doe, K\";2\n", ';' },
  { "Name\tPhone\tNotes\nA\t1\tx, y; z\n", '\t' },
};

static void
test_reader_delimiter (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (delimiter_cases); i++)
    {
      const DelimiterCase *c = &delimiter_cases[i];
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (c->input, -1, NULL);
      g_autoptr(TcCsvReader) reader = NULL;
      g_auto(GStrv) headers = NULL;
      GError *error = NULL;

      g_test_message ("case %u", i);
      reader = _tc_csv_reader_new_for_stream (stream, -1, "t.csv", &error);
      g_assert_no_error (error);
      headers = _tc_csv_reader_read_header (reader, &error);
      g_assert_no_error (error);
      g_assert_cmpint (_tc_csv_reader_get_delimiter (reader), ==, c->delimiter);
    }
}

/* A quote left open in a big file: bounded memory, and the rows after it
 * still arrive. */
static void
test_reader_runaway (void)
{
  g_autoptr(GString) input = g_string_new ("Phone,Note\n+1,\"open\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TcCsvReader) reader = NULL;
  TcCsvRecord record;
  GError *error = NULL;
  guint n_rows = 0;
  guint n_malformed = 0;
  guint last_line = 0;
  gsize len;

  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (input, "+1555%07u,plain text line\n", i);
  g_assert_cmpuint (input->len, >, TC_CSV_MAX_RECORD_BYTES);
  len = input->len;

  stream = g_memory_input_stream_new_from_data (g_string_free (g_steal_pointer (&input), FALSE),
                                                len, g_free);
  reader = _tc_csv_reader_new_for_stream (stream, len, "big.csv", &error);
  g_assert_no_error (error);

  while (_tc_csv_reader_next (reader, &record, &error))
    {
      if (record.malformed != NULL)
        {
          n_malformed++;
          g_assert_cmpuint (record.line, ==, 2);
          g_assert_nonnull (strstr (record.malformed, "1 MiB"));
          g_assert_cmpstr (record.raw, ==, "+1,\"open");
          continue;
        }
      g_assert_cmpuint (record.line, >, last_line);
      last_line = record.line;
      n_rows++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_malformed, ==, 1);
  /* The header and every one of the 40000 lines. */
  g_assert_cmpuint (n_rows, ==, 40001);
  g_assert_cmpuint (last_line, ==, 40002);

  /* One line longer than the bound is dropped up to its end. */
  {
    g_autoptr(GString) wide = g_string_new ("Phone,Note\n+1,");
    g_autofree char *got = NULL;

    for (guint i = 0; i < TC_CSV_MAX_RECORD_BYTES / 4; i++)
      g_string_append (wide, "abcdefgh");
    g_string_append (wide, "\n+2,x\n");
    got = dump_records (wide->str, wide->len, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (got, "L1: Phone|Note\nL2: MALFORMED [+1,abcdefgh"));
    g_assert_true (g_str_has_suffix (got, "]\nL3: +2|x\n"));
  }
}

/* Line numbers stay right across the reader's chunks, whatever falls on a
 * chunk boundary (a CR and its LF, a quoted line break). */
static void
test_reader_chunks (void)
{
  const char *endings[] = { "\n", "\r\n", "\r" };

  for (guint e = 0; e < G_N_ELEMENTS (endings); e++)
    {
      const char *nl = endings[e];
      g_autoptr(GString) input = g_string_new (NULL);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(TcCsvReader) reader = NULL;
      TcCsvRecord record;
      GError *error = NULL;
      guint n = 0;
      gsize len;

      g_string_append_printf (input, "Phone,Note%s", nl);
      for (guint i = 0; i < 6000; i++)
        {
          /* Two physical lines per record, and a blank line every 7th. */
          g_string_append_printf (input, "%u,\"first%ssecond %u\"%s", i, nl, i, nl);
          if (i % 7 == 0)
            g_string_append (input, nl);
        }
      len = input->len;
      stream = g_memory_input_stream_new_from_data (g_string_free (g_steal_pointer (&input), FALSE),
                                                    len, g_free);
      reader = _tc_csv_reader_new_for_stream (stream, len, "chunks.csv", &error);
      g_assert_no_error (error);

      {
        g_auto(GStrv) headers = _tc_csv_reader_read_header (reader, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (headers[1], ==, "Note");
      }

      while (_tc_csv_reader_next (reader, &record, &error))
        {
          /* Record i starts after the header, 2 lines per earlier record and
           * the blank lines after records 0, 7, 14, … before it. */
          guint expected = 2 + 2 * n + (n == 0 ? 0 : (n - 1) / 7 + 1);
          g_autofree char *note = g_strdup_printf ("first%ssecond %u", nl, n);

          g_assert_null (record.malformed);
          g_assert_cmpuint (record.line, ==, expected);
          g_assert_cmpuint (record.n_fields, ==, 2);
          g_assert_cmpstr (record.fields[1], ==, note);
          n++;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 6000);
      g_assert_cmpuint (_tc_csv_reader_get_position (reader), ==, len);
    }
}

/* Encodings. */

static void
test_reader_encodings (void)
{
  struct
  {
    const char *name;
    const char *file;
    const char *encoding;
  } files[] = {
    { "windows-1252", "windows-1252.csv", "WINDOWS-1252" },
    { "utf-16le", "utf16le.csv", "UTF-16LE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_path (files[i].file);
      g_autoptr(TcCsvPreview) preview = NULL;
      GError *error = NULL;
      char **row;

      g_test_message ("file: %s", files[i].name);
      preview = tc_csv_preview_load (path, 10, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (preview->encoding, ==, files[i].encoding);
      g_assert_cmpuint (preview->n_columns, ==, 3);
      g_assert_cmpuint (preview->rows->len, ==, 2);
      row = g_ptr_array_index (preview->rows, 0);
      g_assert_cmpstr (row[0], ==, "Zo\xc3\xab");
      g_assert_cmpstr (row[1], ==, "M\xc3\xbcller");
      row = g_ptr_array_index (preview->rows, 1);
      g_assert_cmpstr (row[0], ==, "Ren\xc3\xa9\xe2\x82\xac");
    }

  /* UTF-16 big-endian and UTF-8 with a BOM, made here. */
  {
    static const char be[] = "\xfe\xff\0P\0h\0o\0n\0e\0\n\0\x31\0\n";
    g_autofree char *got = dump_records (be, sizeof be - 1, NULL);

    g_assert_cmpstr (got, ==, "L1: Phone\nL2: 1\n");
  }

  /* ASCII for more than one chunk, then a Windows-1252 byte: the switch
   * happens where the first non-ASCII byte is. */
  {
    g_autoptr(GString) text = g_string_new ("Phone,Name\n");
    g_autofree char *got = NULL;
    GError *error = NULL;

    for (guint i = 0; i < 5000; i++)
      g_string_append (text, "+15550100,Plain Ascii Name\n");
    g_string_append (text, "+15550101,Andr\xe9\n");
    got = dump_records (text->str, text->len, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (got, "L5002: +15550101|Andr\xc3\xa9\n"));
  }

  /* Not convertible: UTF-8 mixed with Latin-1, and a byte Windows-1252
   * does not define. */
  {
    static const char *bad[] = {
      "Name,Phone\nJos\xc3\xa9,1\nR\xe9my,2\n",
      "Name,Phone\nA\x81,1\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        GError *error = NULL;
        g_autofree char *got = dump_records (bad[i], -1, &error);

        g_assert_null (got);
        g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_ENCODING);
        g_assert_nonnull (strstr (error->message, "test.csv"));
        g_clear_error (&error);
      }
  }
}

typedef struct
{
  const char *name;
  const char *bytes;
  gsize       len;
  const char *message_part;
} BinaryCase;

static void
test_reader_not_text (void)
{
  static const BinaryCase cases[] = {
    { "customers.xlsx", "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0[Content_Types].xml", 34, "spreadsheet" },
    { "customers.ods", "PK\x03\x04\x14\0\0\0mimetypeapplication/vnd.oasis.opendocument.spreadsheet", 62,
      "spreadsheet" },
    { "old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12, "File → Save As → CSV" },
    { "list.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 16, "PDF" },
    { "photo.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image" },
    { "list.zip", "PK\x03\x04\x14\0\0\0\x08\0list.csv", 18, "archive" },
    { "data.bin", "Phone,Name\n1,\0\0\0\x01\x02", 17, "not a text file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (cases[i].bytes,
                                                                            cases[i].len, NULL);
      g_autoptr(TcCsvReader) reader = NULL;
      GError *error = NULL;

      g_test_message ("case: %s", cases[i].name);
      reader = _tc_csv_reader_new_for_stream (stream, cases[i].len, cases[i].name, &error);
      g_assert_null (reader);
      g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      g_clear_error (&error);
    }

  /* NUL bytes after the first chunk. */
  {
    g_autoptr(GString) text = g_string_new ("Phone\n");
    GError *error = NULL;
    g_autofree char *got = NULL;

    for (guint i = 0; i < 10000; i++)
      g_string_append (text, "+15550100\n");
    g_string_append_len (text, "\0\0\0", 3);
    got = dump_records (text->str, text->len, &error);
    g_assert_null (got);
    g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT);
    g_clear_error (&error);
  }
}

/* Header mapping. */

static void
test_header_mapping (void)
{
  static const struct
  {
    const char     *header;
    TcContactField  field;
  } cases[] = {
    { "Phone", TC_FIELD_PHONE },
    { "phone", TC_FIELD_PHONE },
    { "PHONE NUMBER", TC_FIELD_PHONE },
    { "Phone_Number", TC_FIELD_PHONE },
    { "phone-number", TC_FIELD_PHONE },
    { "Phone #", TC_FIELD_PHONE },
    { "Mobile", TC_FIELD_PHONE },
    { "Mobile Number", TC_FIELD_PHONE },
    { "Mobile No.", TC_FIELD_PHONE },
    { "Mobile Phone", TC_FIELD_PHONE },
    { "Cell", TC_FIELD_PHONE },
    { "Cell Phone", TC_FIELD_PHONE },
    { "Telephone", TC_FIELD_PHONE },
    { "Tel", TC_FIELD_PHONE },
    { "Tel.", TC_FIELD_PHONE },
    { "MSISDN", TC_FIELD_PHONE },
    { "WhatsApp", TC_FIELD_PHONE },
    { "Number", TC_FIELD_PHONE },
    { "Telefon", TC_FIELD_PHONE },
    { "Teléfono", TC_FIELD_PHONE },
    { "  Phone  ", TC_FIELD_PHONE },
    { "First Name", TC_FIELD_FIRST_NAME },
    { "first_name", TC_FIELD_FIRST_NAME },
    { "FirstName", TC_FIELD_FIRST_NAME },
    { "Given name", TC_FIELD_FIRST_NAME },
    { "Forename", TC_FIELD_FIRST_NAME },
    { "First", TC_FIELD_FIRST_NAME },
    { "Prénom", TC_FIELD_FIRST_NAME },
    { "Last Name", TC_FIELD_LAST_NAME },
    { "last_name", TC_FIELD_LAST_NAME },
    { "Surname", TC_FIELD_LAST_NAME },
    { "Family Name", TC_FIELD_LAST_NAME },
    { "Last", TC_FIELD_LAST_NAME },
    { "Name", TC_FIELD_FULL_NAME },
    { "Full Name", TC_FIELD_FULL_NAME },
    { "Contact Name", TC_FIELD_FULL_NAME },
    { "Email", TC_FIELD_EMAIL },
    { "E-mail", TC_FIELD_EMAIL },
    { "E-Mail Address", TC_FIELD_EMAIL },
    { "email_address", TC_FIELD_EMAIL },
    { "Mail", TC_FIELD_EMAIL },
    { "Language", TC_FIELD_LANGUAGE },
    { "Lang", TC_FIELD_LANGUAGE },
    { "Locale", TC_FIELD_LANGUAGE },
    { "Country", TC_FIELD_COUNTRY },
    { "Country Code", TC_FIELD_COUNTRY },
    { "Country/Region", TC_FIELD_COUNTRY },
    { "Region", TC_FIELD_COUNTRY },
    { "Tags", TC_FIELD_TAGS },
    { "Tag", TC_FIELD_TAGS },
    { "Labels", TC_FIELD_TAGS },
    { "Groups", TC_FIELD_TAGS },
    { "Segments", TC_FIELD_TAGS },
    { "timezones", TC_FIELD_IGNORE },
    { "", TC_FIELD_IGNORE },
    { "   ", TC_FIELD_IGNORE },
    { "Company", TC_FIELD_ATTRIBUTE },
    { "Customer ID", TC_FIELD_ATTRIBUTE },
    { "Phone Type", TC_FIELD_ATTRIBUTE },
    { "Lifetime value (€)", TC_FIELD_ATTRIBUTE },
    { "#", TC_FIELD_ATTRIBUTE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("header: “%s”", cases[i].header);
      g_assert_cmpint (tc_contact_field_from_header (cases[i].header), ==, cases[i].field);
    }

  /* What an export writes reads back as the same field. */
  for (TcContactField f = TC_FIELD_PHONE; f <= TC_FIELD_TAGS; f++)
    g_assert_cmpint (tc_contact_field_from_header (tc_contact_field_to_string (f)), ==, f);
  g_assert_cmpstr (tc_contact_field_to_string (TC_FIELD_FIRST_NAME), ==, "first_name");
}

static void
test_split (void)
{
  static const struct
  {
    const char *cell;
    const char *tags;
  } tag_cases[] = {
    { "vip", "vip" },
    { "vip, new", "vip|new" },
    { "vip;new ; ;, old,", "vip|new|old" },
    { " , ; ", "" },
    { "a,a,b", "a|b" },
    { "Black Friday 2025; spring", "Black Friday 2025|spring" },
  };
  static const struct
  {
    const char *full;
    const char *first;
    const char *last;
  } name_cases[] = {
    { "Ada Lovelace", "Ada", "Lovelace" },
    { "Mary Ann Smith", "Mary Ann", "Smith" },
    { "  Cher  ", "Cher", NULL },
    { "Jean-Luc  Picard ", "Jean-Luc", "Picard" },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tag_cases); i++)
    {
      g_auto(GStrv) tags = _tc_csv_split_tags (tag_cases[i].cell);
      g_autofree char *joined = g_strjoinv ("|", tags);

      g_assert_cmpstr (joined, ==, tag_cases[i].tags);
    }

  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;

      _tc_csv_split_full_name (name_cases[i].full, &first, &last);
      g_assert_cmpstr (first, ==, name_cases[i].first);
      g_assert_cmpstr (last, ==, name_cases[i].last);
    }
}

/* One record through the mapping, as the importer does it. */
static void
test_row_fill (void)
{
  static const char *headers[] = {
    "Mobile", "Name", "First Name", "Country", "Tags", "Company", "Phone", "Labels", "Company", "", NULL
  };
  static const char *fields[] = {
    " +49 30 901820 ", "Mary Ann Smith", "Maria", " de ", "vip; new", "ACME", "+1 415 555 2671",
    "new, b2b", "Other", "ignored", "extra beyond the header"
  };
  g_autoptr(TcCsvMapping) mapping = _tc_csv_mapping_new (headers, NULL, 0);
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  GStringChunk *strings = g_string_chunk_new (256);
  TcCsvRecord record = { .line = 7, .n_fields = G_N_ELEMENTS (fields), .fields = fields };
  TcCsvRow row;
  const char * const *list;
  g_autofree char *joined = NULL;

  g_assert_cmpint (_tc_csv_mapping_get_phone_column (mapping), ==, 0);
  /* Only the first phone column is the phone. */
  g_assert_cmpint (_tc_csv_mapping_get_field (mapping, 6), ==, TC_FIELD_ATTRIBUTE);
  g_assert_cmpint (_tc_csv_mapping_get_field (mapping, 9), ==, TC_FIELD_IGNORE);

  _tc_csv_row_fill (mapping, &record, g_intern_static_string ("FR"), strings, lists, &row);
  g_assert_cmpuint (row.line, ==, 7);
  g_assert_null (row.malformed);
  g_assert_cmpstr (row.phone, ==, " +49 30 901820 ");
  g_assert_cmpstr (row.first_name, ==, "Maria");
  g_assert_cmpstr (row.last_name, ==, "Smith");
  g_assert_cmpstr (row.country, ==, "DE");
  g_assert_cmpstr (row.region, ==, "DE");
  g_assert_null (row.email);
  g_assert_null (row.language);

  list = _tc_csv_row_list (lists, row.tags);
  joined = g_strjoinv ("|", (char **) list);
  g_assert_cmpstr (joined, ==, "vip|new|b2b");
  g_clear_pointer (&joined, g_free);

  list = _tc_csv_row_list (lists, row.attr_names);
  joined = g_strjoinv ("|", (char **) list);
  g_assert_cmpstr (joined, ==, "Company|Phone");
  g_clear_pointer (&joined, g_free);
  list = _tc_csv_row_list (lists, row.attr_values);
  joined = g_strjoinv ("|", (char **) list);
  g_assert_cmpstr (joined, ==, "ACME|+1 415 555 2671");
  g_clear_pointer (&joined, g_free);

  /* A short record, a country that is not a region, and an explicit
   * mapping that turns the first column off. */
  {
    static const char *short_fields[] = { "555 0100", "Solo", "", "Narnia" };
    static const TcContactField explicit[] = { TC_FIELD_IGNORE, TC_FIELD_LAST_NAME, TC_FIELD_IGNORE,
                                               TC_FIELD_ATTRIBUTE, TC_FIELD_IGNORE, TC_FIELD_IGNORE,
                                               TC_FIELD_PHONE };
    g_autoptr(TcCsvMapping) custom = _tc_csv_mapping_new (headers, explicit, G_N_ELEMENTS (explicit));
    TcCsvRecord short_record = { .line = 9, .n_fields = 4, .fields = short_fields };

    _tc_csv_row_fill (mapping, &short_record, NULL, strings, lists, &row);
    g_assert_cmpstr (row.phone, ==, "555 0100");
    g_assert_cmpstr (row.first_name, ==, "Solo");
    g_assert_null (row.last_name);
    g_assert_null (row.country);
    g_assert_null (row.region);
    g_assert_cmpuint (row.tags, ==, G_MAXUINT);
    g_assert_cmpuint (row.attr_names, ==, G_MAXUINT);

    g_assert_cmpint (_tc_csv_mapping_get_phone_column (custom), ==, 6);
    _tc_csv_row_fill (custom, &record, NULL, strings, lists, &row);
    g_assert_cmpstr (row.phone, ==, "+1 415 555 2671");
    g_assert_null (row.first_name);
    g_assert_cmpstr (row.last_name, ==, "Mary Ann Smith");
    list = _tc_csv_row_list (lists, row.attr_names);
    joined = g_strjoinv ("|", (char **) list);
    g_assert_cmpstr (joined, ==, "Country|Company");
    g_clear_pointer (&joined, g_free);
    list = _tc_csv_row_list (lists, row.attr_values);
    joined = g_strjoinv ("|", (char **) list);
    g_assert_cmpstr (joined, ==, "de|Other");
    /* Columns after the explicit ones are guessed. */
    g_assert_cmpint (_tc_csv_mapping_get_field (custom, 7), ==, TC_FIELD_TAGS);
  }

  g_string_chunk_free (strings);
}

static void
test_preview (void)
{
  g_autofree char *path = data_path ("contacts.csv");
  g_autoptr(TcCsvPreview) preview = NULL;
  GError *error = NULL;
  char **row;

  preview = tc_csv_preview_load (path, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->delimiter, ==, ',');
  g_assert_cmpstr (preview->encoding, ==, "UTF-8");
  g_assert_cmpuint (preview->n_columns, ==, 8);
  g_assert_cmpuint (g_strv_length (preview->headers), ==, 8);
  g_assert_cmpstr (preview->headers[0], ==, "First Name");
  g_assert_cmpint (preview->fields[0], ==, TC_FIELD_FIRST_NAME);
  g_assert_cmpint (preview->fields[2], ==, TC_FIELD_PHONE);
  g_assert_cmpint (preview->fields[7], ==, TC_FIELD_ATTRIBUTE);
  g_assert_cmpuint (preview->rows->len, ==, 3);
  row = g_ptr_array_index (preview->rows, 0);
  g_assert_cmpuint (g_strv_length (row), ==, 8);
  g_assert_cmpstr (row[0], ==, "Ada");

  /* Asynchronously, from the semicolon file. */
  {
    g_autofree char *semi = data_path ("semicolon-bom-crlf.csv");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TcCsvPreview) p = NULL;

    tc_csv_preview_load_async (semi, 10, NULL, tc_repository_store_result_cb, &result);
    tc_repository_wait (&result);
    p = tc_csv_preview_load_finish (result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (p->delimiter, ==, ';');
    g_assert_cmpstr (p->headers[0], ==, "Vorname");
    g_assert_cmpint (p->fields[0], ==, TC_FIELD_FIRST_NAME);
    g_assert_cmpuint (p->rows->len, ==, 3);
  }

  /* Fatal files fail the preview too. */
  {
    g_autoptr(TcCsvPreview) p = tc_csv_preview_load ("/nonexistent/list.csv", 3, &error);

    g_assert_null (p);
    g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

/* Import. */

static void
test_import_basic (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = data_path ("contacts.csv");
  g_autoptr(TcImportReport) report = import_ok (f->repo, path, "US");
  g_autoptr(TcContact) ada = NULL;
  g_autoptr(TcContact) jose = NULL;
  g_autoptr(TcContact) local = NULL;
  const char * const *tags;

  g_assert_cmpuint (report->rows, ==, 5);
  g_assert_cmpuint (report->imported, ==, 5);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->rejected, ==, 0);
  g_assert_cmpuint (count_all (f->repo), ==, 5);

  ada = find_phone (f->repo, "+442079460958");
  g_assert_cmpstr (tc_contact_get_first_name (ada), ==, "Ada");
  g_assert_cmpstr (tc_contact_get_last_name (ada), ==, "Lovelace");
  g_assert_cmpstr (tc_contact_get_email (ada), ==, "ada@example.org");
  g_assert_cmpstr (tc_contact_get_language (ada), ==, "en");
  /* The number says GB, whatever the row's country column said. */
  g_assert_cmpstr (tc_contact_get_country (ada), ==, "GB");
  g_assert_cmpstr (tc_contact_get_timezones (ada)[0], ==, "Europe/London");
  tags = tc_contact_get_tags (ada);
  g_assert_true (g_strv_contains (tags, "vip"));
  g_assert_true (g_strv_contains (tags, "newsletter"));
  g_assert_cmpuint (g_strv_length ((char **) tags), ==, 2);
  g_assert_cmpstr (tc_contact_get_attribute (ada, "Company"), ==, "Analytical Engines, Ltd.");

  /* A quoted multi-line note survives as written. */
  jose = find_phone (f->repo, "+34912345678");
  g_assert_cmpstr (tc_contact_get_first_name (jose), ==, "José");
  g_assert_cmpstr (tc_contact_get_attribute (jose, "Company"), ==, "Línea \"Uno\"\nMadrid");
  g_assert_cmpstr (tc_contact_get_country (jose), ==, "ES");

  /* No +: the row's country (DE) is its region, not the default (US). */
  local = find_phone (f->repo, "+4930901820");
  g_assert_cmpstr (tc_contact_get_country (local), ==, "DE");
  g_assert_null (tc_contact_get_attribute (local, "Company"));
}

static void
test_import_formats (Fixture       *f,
                     gconstpointer  data)
{
  static const char *files[] = {
    "semicolon-bom-crlf.csv", "tabs.tsv", "windows-1252.csv", "utf16le.csv",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_path (files[i]);
      g_autoptr(TcImportReport) report = NULL;

      g_test_message ("file: %s", files[i]);
      report = import_ok (f->repo, path, "DE");
      g_assert_cmpuint (report->rejected, ==, 0);
      g_assert_cmpuint (report->rows, >=, 2);
    }

  /* The same people in four files: 3 + 2 + 2 + 2 rows, 3 phones. */
  g_assert_cmpuint (count_all (f->repo), ==, 3);
  {
    g_autoptr(TcContact) c = find_phone (f->repo, "+4915123456789");

    g_assert_cmpstr (tc_contact_get_first_name (c), ==, "Zoë");
    g_assert_cmpstr (tc_contact_get_last_name (c), ==, "Müller");
    g_assert_true (g_strv_contains (tc_contact_get_tags (c), "Kunde"));
    g_assert_true (g_strv_contains (tc_contact_get_tags (c), "tsv"));
  }
  {
    g_autoptr(TcContact) c = find_phone (f->repo, "+4989123456");

    g_assert_cmpstr (tc_contact_get_first_name (c), ==, "René€");
  }
}

typedef struct
{
  guint       line;
  const char *value;
  const char *reason_part;
} ExpectedIssue;

static void
test_import_bad_rows (Fixture       *f,
                      gconstpointer  data)
{
  static const ExpectedIssue expected[] = {
    { 3, "12", "too short" },
    { 4, "", "no phone number" },
    { 6, "not a number", "not a phone number" },
    { 7, "x\"y,+1 415 555 2671", "malformed CSV: " },
    { 9, "+999 1234 5678", "country calling code" },
    { 10, "+1 415 555 26719999999", "too long" },
    { 11, "+44,\"never closed", "malformed CSV: a quoted field is never closed" },
  };
  g_autofree char *path = data_path ("bad-rows.csv");
  g_autoptr(TcImportReport) report = import_ok (f->repo, path, "US");

  g_assert_cmpuint (report->rows, ==, 10);
  g_assert_cmpuint (report->imported, ==, 3);
  g_assert_cmpuint (report->rejected, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const TcImportIssue *issue = g_ptr_array_index (report->errors, i);

      g_test_message ("issue %u: line %u, “%s”: %s", i, issue->line, issue->value, issue->reason);
      g_assert_cmpuint (issue->line, ==, expected[i].line);
      g_assert_cmpstr (issue->value, ==, expected[i].value);
      g_assert_nonnull (strstr (issue->reason, expected[i].reason_part));
    }
  g_assert_cmpuint (count_all (f->repo), ==, 3);

  /* The row on the line after the unclosed quote was read again. */
  {
    g_autoptr(TcContact) after = find_phone (f->repo, "+14155550199");

    g_assert_cmpstr (tc_contact_get_first_name (after), ==, "After");
  }
}

static void
test_import_fatal (Fixture       *f,
                   gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *contents;
    gssize      len;
    const char *region;
    int         code;
    const char *message_part;
  } cases[] = {
    { NULL, NULL, 0, NULL, TC_IMPORT_ERROR_NOT_FOUND, "does not exist" },
    { "customers.xlsx", "PK\x03\x04\x14\0\x06\0[Content_Types].xml", 27, NULL,
      TC_IMPORT_ERROR_NOT_TEXT, "“customers.xlsx” is a spreadsheet file" },
    { "nul.csv", "Phone\n+14155552671\n\0\0\0", 22, NULL, TC_IMPORT_ERROR_NOT_TEXT, "not a text file" },
    { "empty.csv", "", 0, NULL, TC_IMPORT_ERROR_EMPTY, "empty" },
    { "blank.csv", "\r\n\r\n  \n", -1, NULL, TC_IMPORT_ERROR_EMPTY, "empty" },
    { "nophone.csv", "Name,Email,Notes\nAda,a@b.c,x\n", -1, NULL,
      TC_IMPORT_ERROR_NO_PHONE_COLUMN, "“Name”, “Email”, “Notes”" },
    { "region.csv", "Phone\n+14155552671\n", -1, "XX", TC_IMPORT_ERROR_INVALID_REGION, "XX" },
    { "header.csv", "Phone,\"Name\n+14155552671,Ada\n", -1, NULL, TC_IMPORT_ERROR_MALFORMED, "line 1" },
    { "mixed.csv", "Phone,Name\n+14155552671,Jos\xc3\xa9\n+14155552672,R\xe9my\n", -1, NULL,
      TC_IMPORT_ERROR_ENCODING, "mixed.csv" },
  };
  g_autofree char *seed = data_path ("contacts.csv");
  g_autoptr(TcImportReport) first = import_ok (f->repo, seed, "US");
  g_autofree char *before = describe_contacts (f->repo);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(TcImportReport) report = NULL;
      g_autofree char *after = NULL;
      TcImportOptions options = { .default_region = cases[i].region };
      GError *error = NULL;

      if (cases[i].name != NULL)
        path = write_file (f->dir, cases[i].name, cases[i].contents, cases[i].len);
      else
        path = g_build_filename (f->dir, "missing.csv", NULL);

      g_test_message ("case: %s", path);
      report = import_file (f->repo, path, &options, &error);
      g_assert_null (report);
      g_assert_error (error, TC_IMPORT_ERROR, cases[i].code);
      g_test_message ("message: %s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      g_clear_error (&error);

      after = describe_contacts (f->repo);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_import_duplicates (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *first_path = NULL;
  g_autofree char *second_path = NULL;
  g_autoptr(TcImportReport) first = NULL;
  g_autoptr(TcImportReport) second = NULL;
  g_autoptr(TcContact) c = NULL;

  first_path = write_file (f->dir, "first.csv",
                           "Phone,First Name,Last Name,Email,Tags,Plan\n"
                           "+1 415 555 2671,Ann,Lee,ann@example.com,vip,gold\n"
                           /* The same number written differently: an update. */
                           "(415) 555-2671,Annie,,,\"new, vip\",\n"
                           "+1 415 555 2672,Bob,,,,\n", -1);
  first = import_ok (f->repo, first_path, "US");
  g_assert_cmpuint (first->rows, ==, 3);
  g_assert_cmpuint (first->imported, ==, 2);
  g_assert_cmpuint (first->updated, ==, 1);

  second_path = write_file (f->dir, "second.csv",
                            "Mobile;Last Name;Plan;Tags\n"
                            "+14155552671;;platinum;old\n"
                            "+14155552673;Cole;;\n", -1);
  second = import_ok (f->repo, second_path, NULL);
  g_assert_cmpuint (second->imported, ==, 1);
  g_assert_cmpuint (second->updated, ==, 1);
  g_assert_cmpuint (count_all (f->repo), ==, 3);

  c = find_phone (f->repo, "+14155552671");
  /* Non-empty cells overwrite, empty cells keep, tags accumulate. */
  g_assert_cmpstr (tc_contact_get_first_name (c), ==, "Annie");
  g_assert_cmpstr (tc_contact_get_last_name (c), ==, "Lee");
  g_assert_cmpstr (tc_contact_get_email (c), ==, "ann@example.com");
  g_assert_cmpstr (tc_contact_get_attribute (c, "Plan"), ==, "platinum");
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "vip"));
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "new"));
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "old"));
  g_assert_cmpuint (g_strv_length ((char **) tc_contact_get_tags (c)), ==, 3);
}

static void
test_import_mapping (Fixture       *f,
                     gconstpointer  data)
{
  /* The user told the dialog: column 1 is the phone, column 2 is ignored. */
  static const TcContactField fields[] = { TC_FIELD_PHONE, TC_FIELD_IGNORE, TC_FIELD_EMAIL };
  g_autofree char *path = write_file (f->dir, "odd.csv",
                                      "Col A,Col B,Col C\n"
                                      "030 901820,secret,x@example.de\n", -1);
  TcImportOptions options = { .default_region = "de", .fields = fields, .n_fields = 3 };
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(TcContact) c = NULL;
  GError *error = NULL;

  report = import_file (f->repo, path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 1);
  c = find_phone (f->repo, "+4930901820");
  g_assert_cmpstr (tc_contact_get_email (c), ==, "x@example.de");
  g_assert_null (tc_contact_get_attribute (c, "Col B"));
}

typedef struct
{
  gint64  n_contacts;
  gint64  n_mismatched;
  gint64  n_broken_links;
  gint64  foreign_keys;
  char   *sort_key;
} DerivedCheck;

static void
derived_check_free (DerivedCheck *check)
{
  g_free (check->sort_key);
  g_free (check);
}

/* On the writer: compares the columns the importer computes on its workers
 * with what the SQL functions of the full upsert make of the same fields,
 * checks every tag link, and that foreign keys are on again. */
static gpointer
check_derived_job (TcDb          *db,
                   gpointer       job_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  DerivedCheck *check;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db,
                         "SELECT (SELECT count (*) FROM contacts),"
                         " (SELECT count (*) FROM contacts"
                         "  WHERE sort_key IS NOT tc_sort_key (last_name, first_name, phone)"
                         "     OR search_text IS NOT tc_search_text (first_name, last_name, email, phone)"
                         "     OR NOT json_valid (attributes)),"
                         " (SELECT count (*) FROM pragma_foreign_key_check),"
                         " (SELECT foreign_keys FROM pragma_foreign_keys),"
                         " (SELECT sort_key FROM contacts WHERE phone = '+14155552671')",
                         error);
  if (stmt == NULL)
    return NULL;
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  check = g_new0 (DerivedCheck, 1);
  check->n_contacts = sqlite3_column_int64 (stmt, 0);
  check->n_mismatched = sqlite3_column_int64 (stmt, 1);
  check->n_broken_links = sqlite3_column_int64 (stmt, 2);
  check->foreign_keys = sqlite3_column_int64 (stmt, 3);
  check->sort_key = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  sqlite3_reset (stmt);

  return check;
}

static DerivedCheck *
check_derived (TcRepository *repo)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  DerivedCheck *check;

  _tc_repository_run_async (repo, TC_DB_JOB_WRITE, check_derived_job, NULL, NULL,
                            (GDestroyNotify) derived_check_free, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  check = _tc_repository_run_finish (repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (check);
  return check;
}

/* The importer computes sort key, search text, zones and attributes on its
 * workers and inserts new phones with a plain INSERT; known phones take the
 * full upsert. Both must store exactly the same. */
static void
test_import_derived (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *broken_path = NULL;
  g_autoptr(GString) broken = g_string_new ("Phone,First Name\n");
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(TcContact) c = NULL;
  DerivedCheck *check;
  GError *error = NULL;

  path = write_file (f->dir, "derived.csv",
                     "Phone,First Name,Last Name,Email,Tags,Note\n"
                     "+1 415 555 2671,Émile,Müller,EMILE@Example.com, vip ; new ,\"say \"\"hi\"\" \\ there\"\n"
                     "+44 7400 123456,Zoë,O'Brien,,,\n"
                     "+49 151 12345678,,,,,\n"
                     "+1 212 555 0199,İlkay,Straße,,vip,\n"
                     /* Known phone: the full upsert recomputes the columns. */
                     "(415) 555-2671,ÉMILIE,,,old,\n", -1);
  report = import_ok (f->repo, path, "US");
  g_assert_cmpuint (report->imported, ==, 4);
  g_assert_cmpuint (report->updated, ==, 1);

  check = check_derived (f->repo);
  g_assert_cmpint (check->n_contacts, ==, 4);
  g_assert_cmpint (check->n_mismatched, ==, 0);
  g_assert_cmpint (check->n_broken_links, ==, 0);
  g_assert_cmpint (check->foreign_keys, ==, 1);
  g_assert_cmpstr (check->sort_key, ==, "muller\x01" "emilie\x01+14155552671");
  derived_check_free (check);

  c = find_phone (f->repo, "+14155552671");
  g_assert_cmpstr (tc_contact_get_first_name (c), ==, "ÉMILIE");
  g_assert_cmpstr (tc_contact_get_attribute (c, "Note"), ==, "say \"hi\" \\ there");
  g_assert_cmpuint (g_strv_length ((char **) tc_contact_get_tags (c)), ==, 3);
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "vip"));
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "new"));
  g_assert_true (g_strv_contains (tc_contact_get_tags (c), "old"));
  g_assert_true (g_strv_contains (tc_contact_get_timezones (c), "America/Los_Angeles"));

  /* A fatal error half-way (a NUL byte beyond the first block): nothing
   * is stored, and foreign keys are on again. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (broken, "+1 415 555 %04u,Row %u\n", i, i);
  g_string_append_len (broken, "+1 415 555 9999,\0\n", 18);
  broken_path = write_file (f->dir, "broken.csv", broken->str, (gssize) broken->len);
  g_assert_null (import_file (f->repo, broken_path, NULL, &error));
  g_assert_error (error, TC_IMPORT_ERROR, TC_IMPORT_ERROR_NOT_TEXT);
  g_clear_error (&error);

  check = check_derived (f->repo);
  g_assert_cmpint (check->n_contacts, ==, 4);
  g_assert_cmpint (check->foreign_keys, ==, 1);
  derived_check_free (check);
}

typedef struct
{
  GCancellable *cancellable;
  guint         n_calls;
  double        last_fraction;
  guint         last_rows;
  gboolean      freed;
  guint         cancel_after_rows;
} ProgressState;

static void
on_progress (double   fraction,
             guint    rows_done,
             gpointer user_data)
{
  ProgressState *state = user_data;

  g_assert_false (state->freed);
  g_assert_cmpfloat (fraction, >=, state->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.0);
  g_assert_cmpuint (rows_done, >=, state->last_rows);
  state->n_calls++;
  state->last_fraction = fraction;
  state->last_rows = rows_done;

  if (state->cancellable != NULL && rows_done >= state->cancel_after_rows)
    g_cancellable_cancel (state->cancellable);
}

static void
on_progress_free (gpointer user_data)
{
  ProgressState *state = user_data;

  state->freed = TRUE;
}

static char *
write_generated (const char *dir,
                 guint       n_rows)
{
  g_autoptr(GString) text = g_string_new ("Phone,First Name,Last Name,Tags,Score\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (text, "+1 (415) 5%02u-%04u,First%u,Last%u,\"gen, t%u\",%u\n",
                            (i / 10000) % 100, i % 10000, i, i, i % 7, i);

  return write_file (dir, "generated.csv", text->str, text->len);
}

static void
test_import_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *seed = data_path ("contacts.csv");
  g_autoptr(TcImportReport) first = import_ok (f->repo, seed, "US");
  g_autofree char *before = describe_contacts (f->repo);
  g_autofree char *path = write_generated (f->dir, 50000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_autofree char *after = NULL;
  ProgressState state = { .cancellable = cancellable, .cancel_after_rows = 2000 };
  GError *error = NULL;

  tc_contacts_import_async (f->repo, path, NULL, on_progress, &state, on_progress_free,
                            cancellable, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_contacts_import_finish (f->repo, result, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (state.n_calls, >=, 1);
  g_assert_cmpuint (state.last_rows, <, 50000);
  g_assert_true (state.freed);

  after = describe_contacts (f->repo);
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_progress (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = write_generated (f->dir, 20000);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcImportReport) report = NULL;
  ProgressState state = { 0 };
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  tc_contacts_import_async (f->repo, path, NULL, on_progress, &state, on_progress_free,
                            NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_contacts_import_finish (f->repo, result, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_cmpuint (report->rows, ==, 20000);
  g_assert_cmpuint (report->imported, ==, 20000);
  g_assert_cmpuint (count_all (f->repo), ==, 20000);
  g_assert_true (state.freed);
  /* Throttled: about 20 a second at most (one more for the end). */
  g_assert_cmpfloat (state.n_calls, <=, seconds * 20 + 2);
  g_assert_cmpfloat (state.last_fraction, <=, 1.0);

  /* Importing again updates every one of them. */
  g_clear_pointer (&report, tc_import_report_free);
  g_clear_object (&result);
  tc_contacts_import_async (f->repo, path, NULL, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  report = tc_contacts_import_finish (f->repo, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->updated, ==, 20000);
  g_assert_cmpuint (report->imported, ==, 0);
}

/* Export. */

static char *
export_to_string (TcRepository *repo,
                  guint        *n_exported)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  gboolean ok;

  tc_contacts_export_async (repo, stream, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  ok = tc_contacts_export_finish (repo, result, n_exported, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_output_stream_write_all (stream, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static void
test_export_format (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (f->dir, "in.csv",
                                      "Phone,First Name,Last Name,Tags,Note,Company\n"
                                      "+14155552671,\" Ann \",\"O\"\"Neil, Jr\",\"b, a\",\"two\nlines\",ACME\n"
                                      "+442079460958,Bob,Zed,,,\n", -1);
  g_autoptr(TcImportReport) report = import_ok (f->repo, path, NULL);
  g_autofree char *csv = NULL;
  guint n = 0;

  csv = export_to_string (f->repo, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (csv, ==,
                   "phone,first_name,last_name,email,language,country,timezones,tags,Company,Note\r\n"
                   "+14155552671,Ann,\"O\"\"Neil, Jr\",,,US,America/Los_Angeles,\"a,b\",ACME,\"two\nlines\"\r\n"
                   "+442079460958,Bob,Zed,,,GB,Europe/London,,,\r\n");
}

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  static const char *files[][2] = {
    { "contacts.csv", "US" }, { "semicolon-bom-crlf.csv", "DE" }, { "bad-rows.csv", "US" },
  };
  g_autofree char *exported = NULL;
  g_autofree char *exported_path = NULL;
  g_autofree char *original = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *other_dir = make_tmp_dir ();
  g_autofree char *other_db = g_build_filename (other_dir, "copy.db", NULL);
  g_autoptr(TcRepository) other = tc_repository_new (other_db);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcImportReport) report = NULL;
  GError *error = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = data_path (files[i][0]);

      tc_import_report_free (import_ok (f->repo, path, files[i][1]));
    }

  exported = export_to_string (f->repo, &n);
  g_assert_cmpuint (n, ==, count_all (f->repo));
  /* 5 + 3 + 3, one phone in two files. */
  g_assert_cmpuint (n, ==, 10);
  exported_path = write_file (f->dir, "export.csv", exported, -1);

  tc_repository_open_async (other, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  tc_repository_open_finish (other, result, &error);
  g_assert_no_error (error);

  /* No default region: every exported number is in E.164. */
  report = import_ok (other, exported_path, NULL);
  g_assert_cmpuint (report->rejected, ==, 0);
  g_assert_cmpuint (report->imported, ==, n);

  original = describe_contacts (f->repo);
  copy = describe_contacts (other);
  g_assert_cmpstr (copy, ==, original);

  tc_repository_close (other);
  remove_tree (other_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/csv/reader/rfc4180", test_reader_rfc4180);
  g_test_add_func ("/tc/csv/reader/simple-lines", test_reader_simple_lines);
  g_test_add_func ("/tc/csv/reader/delimiter", test_reader_delimiter);
  g_test_add_func ("/tc/csv/reader/runaway", test_reader_runaway);
  g_test_add_func ("/tc/csv/reader/chunks", test_reader_chunks);
  g_test_add_func ("/tc/csv/reader/encodings", test_reader_encodings);
  g_test_add_func ("/tc/csv/reader/not-text", test_reader_not_text);
  g_test_add_func ("/tc/csv/header-mapping", test_header_mapping);
  g_test_add_func ("/tc/csv/split", test_split);
  g_test_add_func ("/tc/csv/row-fill", test_row_fill);
  g_test_add_func ("/tc/csv/preview", test_preview);
  g_test_add ("/tc/csv/import/basic", Fixture, NULL, fixture_setup, test_import_basic, fixture_teardown);
  g_test_add ("/tc/csv/import/formats", Fixture, NULL, fixture_setup, test_import_formats, fixture_teardown);
  g_test_add ("/tc/csv/import/bad-rows", Fixture, NULL, fixture_setup, test_import_bad_rows, fixture_teardown);
  g_test_add ("/tc/csv/import/fatal", Fixture, NULL, fixture_setup, test_import_fatal, fixture_teardown);
  g_test_add ("/tc/csv/import/duplicates", Fixture, NULL, fixture_setup, test_import_duplicates, fixture_teardown);
  g_test_add ("/tc/csv/import/mapping", Fixture, NULL, fixture_setup, test_import_mapping, fixture_teardown);
  g_test_add ("/tc/csv/import/derived", Fixture, NULL, fixture_setup, test_import_derived, fixture_teardown);
  g_test_add ("/tc/csv/import/cancel", Fixture, NULL, fixture_setup, test_import_cancel, fixture_teardown);
  g_test_add ("/tc/csv/import/progress", Fixture, NULL, fixture_setup, test_import_progress, fixture_teardown);
  g_test_add ("/tc/csv/export/format", Fixture, NULL, fixture_setup, test_export_format, fixture_teardown);
  g_test_add ("/tc/csv/export/roundtrip", Fixture, NULL, fixture_setup, test_roundtrip, fixture_teardown);

  return g_test_run ();
}
