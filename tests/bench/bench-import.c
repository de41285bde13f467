/* bench-import.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports a generated CSV of messy, international phone numbers and compares
 * the rate with the floor: the same numbers through nothing but
 * tc_phone_parse() on every core plus a bare SQLite upsert.
 *
 *   bench-import [ROWS]        (or BENCH_ROWS=…; default 1,000,000)
 *
 * The import runs in a child process (this program again, with --import) so
 * that its peak RSS (VmHWM) is the import's alone, not the generator's or
 * the floor's. Set BENCH_KEEP=1 to keep the temporary folder.
 */

#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tc-contact-io.h"
#include "tc-phone.h"
#include "tc-repository.h"

#define DEFAULT_ROWS 1000000
#define DEFAULT_REGION "US"

typedef enum
{
  FMT_US,
  FMT_GB,
  FMT_DE,
  FMT_FR,
  FMT_IN,
  FMT_BR,
  FMT_MX,
  FMT_AU,
  FMT_ES,
  FMT_IT,
  FMT_NL,
} CountryId;

typedef struct
{
  CountryId   id;
  const char *region;
  const char *calling_code;
  guint       weight;
} CountryDef;

static const CountryDef country_defs[] = {
  { FMT_US, "US", "1", 35 },
  { FMT_GB, "GB", "44", 12 },
  { FMT_DE, "DE", "49", 10 },
  { FMT_FR, "FR", "33", 8 },
  { FMT_IN, "IN", "91", 8 },
  { FMT_BR, "BR", "55", 7 },
  { FMT_MX, "MX", "52", 5 },
  { FMT_AU, "AU", "61", 5 },
  { FMT_ES, "ES", "34", 4 },
  { FMT_IT, "IT", "39", 3 },
  { FMT_NL, "NL", "31", 3 },
};

/* Real NANP area codes across the time zones. */
static const guint us_area_codes[] = {
  201, 202, 203, 205, 206, 207, 208, 210, 212, 213, 214, 215, 216, 217, 224, 225, 228, 231,
  239, 240, 248, 251, 252, 253, 254, 256, 262, 267, 269, 270, 281, 301, 302, 303, 304, 305,
  307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325, 330, 334,
  336, 337, 347, 352, 360, 361, 385, 386, 401, 402, 404, 405, 406, 407, 408, 409, 410, 412,
  414, 415, 417, 419, 423, 424, 425, 432, 434, 435, 440, 443, 469, 479, 480, 484, 501, 502,
  503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530, 541, 559, 561,
  562, 570, 571, 573, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615,
  616, 617, 618, 619, 623, 626, 630, 631, 646, 650, 651, 657, 661, 678, 702, 703, 704, 706,
  707, 708, 713, 714, 715, 716, 717, 718, 719, 720, 724, 727, 732, 734, 737, 740, 754, 757,
  760, 763, 770, 773, 774, 775, 781, 786, 801, 802, 803, 804, 805, 808, 810, 812, 813, 814,
  815, 816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 850, 856, 858, 860, 862, 863, 864,
  865, 901, 903, 904, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925,
  928, 929, 937, 940, 941, 949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985,
};

static const char * const first_names[] = {
  "James", "Mary", "Olivia", "Liam", "Emma", "Noah", "Sophie", "Lukas", "Léa", "Mateo",
  "Sofía", "Aarav", "Ananya", "João", "Beatriz", "Chloé", "Finn", "Giulia", "Daan",
  "Priya", "Wei", "Zoë", "Oliver", "Isla", "Mehmet", "Ayşe", "Jack", "Charlotte", NULL };
static const char * const last_names[] = {
  "Smith", "Johnson", "Müller", "Schmidt", "Martin", "Dubois", "García", "López", "Rossi",
  "de Jong", "Silva", "Santos", "Sharma", "Patel", "Nguyen", "Kim", "O'Brien", "Hernández",
  "Williams", "Brown", "Taylor", "Wilson", "van Dijk", "Côté", "Yılmaz", NULL };
static const char * const tag_sets[] = {
  "", "", "", "newsletter", "vip", "\"vip,newsletter\"", "cart-abandoner",
  "\"newsletter,repeat-buyer\"", "wholesale", "first-order", NULL };
static const char * const invalid_numbers[] = {
  "n/a", "12345", "+1 (555) 123", "call after 5pm", "+999 123 4567", "(123) 456-7890",
  "+44 12", "+49 1234567890123456789", "0000", "tel:", "555-CALL-NOW", NULL };

typedef struct
{
  char **phones;    /* as written in the CSV */
  char **regions;   /* the region the importer will use for the row */
  guint  n_rows;
  guint  n_invalid;
  guint  n_duplicates;
} Generated;

static void
generated_clear (Generated *gen)
{
  for (guint i = 0; i < gen->n_rows; i++)
    g_free (gen->phones[i]);
  g_clear_pointer (&gen->phones, g_free);
  g_clear_pointer (&gen->regions, g_free);
}

static guint
strv_len (const char * const *strv)
{
  guint n = 0;

  while (strv[n] != NULL)
    n++;
  return n;
}

static const char *
pick (GRand              *rand,
      const char * const *strv)
{
  return strv[g_rand_int_range (rand, 0, strv_len (strv))];
}

static void
digits (GRand   *rand,
        char    *out,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    out[i] = '0' + g_rand_int_range (rand, 0, 10);
  out[n] = '\0';
}

/* The national significant number of a plausible number (mostly mobiles,
 * some landlines in big cities). */
static char *
make_nsn (GRand     *rand,
          CountryId  id)
{
  char d[16];

  switch (id)
    {
    case FMT_US:
      digits (rand, d, 6);
      return g_strdup_printf ("%u%c%s", us_area_codes[g_rand_int_range (rand, 0, G_N_ELEMENTS (us_area_codes))],
                              '2' + g_rand_int_range (rand, 0, 8), d);
    case FMT_GB:
      digits (rand, d, 8);
      if (g_rand_int_range (rand, 0, 4) == 0)
        return g_strdup_printf ("20%c%s", "378"[g_rand_int_range (rand, 0, 3)], d + 1);
      return g_strdup_printf ("7%c%s", "45789"[g_rand_int_range (rand, 0, 5)], d);
    case FMT_DE:
      digits (rand, d, 8);
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0: return g_strdup_printf ("15%c%s", "1257"[g_rand_int_range (rand, 0, 4)], d);
        case 1: return g_strdup_printf ("17%c%s", '0' + g_rand_int_range (rand, 0, 10), d + 1);
        case 2: return g_strdup_printf ("30%s", d);
        default: return g_strdup_printf ("89%s", d + 1);
        }
    case FMT_FR:
      digits (rand, d, 8);
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0: return g_strdup_printf ("6%s", d);
        case 1: return g_strdup_printf ("7%c%s", '5' + g_rand_int_range (rand, 0, 4), d + 1);
        default: return g_strdup_printf ("1%s", d);
        }
    case FMT_IN:
      digits (rand, d, 9);
      return g_strdup_printf ("%c%s", '7' + g_rand_int_range (rand, 0, 3), d);
    case FMT_BR:
      digits (rand, d, 7);
      return g_strdup_printf ("%u9%c%s", (guint) (11 + g_rand_int_range (rand, 0, 9) * 10),
                              '6' + g_rand_int_range (rand, 0, 4), d);
    case FMT_MX:
      digits (rand, d, 7);
      return g_strdup_printf ("%s%c%s", g_rand_boolean (rand) ? "55" : "33",
                              '2' + g_rand_int_range (rand, 0, 8), d);
    case FMT_AU:
      digits (rand, d, 8);
      if (g_rand_int_range (rand, 0, 4) == 0)
        return g_strdup_printf ("29%s", d + 1);
      return g_strdup_printf ("4%c%s", '0' + g_rand_int_range (rand, 0, 4), d + 1);
    case FMT_ES:
      digits (rand, d, 8);
      return g_strdup_printf ("6%s", d);
    case FMT_IT:
      digits (rand, d, 8);
      return g_strdup_printf ("3%c%s", '2' + g_rand_int_range (rand, 0, 8), d);
    case FMT_NL:
      digits (rand, d, 7);
      return g_strdup_printf ("6%c%s", '1' + g_rand_int_range (rand, 0, 5), d);
    default:
      g_assert_not_reached ();
      return NULL;
    }
}

/* Writes @nsn the way people type it: with or without the country code,
 * with + or 00, the national trunk 0, and spaces, dashes, dots or
 * parentheses. Sets *@international when the result needs no region. */
static char *
format_number (GRand            *rand,
               const CountryDef *country,
               const char       *nsn,
               gboolean         *international)
{
  gsize len = strlen (nsn);
  int style = g_rand_int_range (rand, 0, 6);

  *international = style <= 1;

  if (country->id == FMT_US)
    {
      switch (style)
        {
        case 0: return g_strdup_printf ("+1 %.3s %.3s %s", nsn, nsn + 3, nsn + 6);
        case 1: return g_strdup_printf ("+1 (%.3s) %.3s-%s", nsn, nsn + 3, nsn + 6);
        case 2: return g_strdup_printf ("(%.3s) %.3s-%s", nsn, nsn + 3, nsn + 6);
        case 3: return g_strdup_printf ("%.3s.%.3s.%s", nsn, nsn + 3, nsn + 6);
        case 4: return g_strdup_printf ("1-%.3s-%.3s-%s", nsn, nsn + 3, nsn + 6);
        default: return g_strdup (nsn);
        }
    }

  switch (style)
    {
    case 0:
      return g_strdup_printf ("+%s %.*s %s", country->calling_code, 3, nsn, nsn + MIN (3, len));
    case 1:
      /* 00 is how Europe, India and Mexico dial abroad; Australia (0011)
       * and Brazil (00 + carrier) write the + form instead. */
      if (country->id == FMT_AU || country->id == FMT_BR)
        return g_strdup_printf ("+%s-%s", country->calling_code, nsn);
      return g_strdup_printf ("00%s %s", country->calling_code, nsn);
    case 2:
      if (country->id == FMT_BR || country->id == FMT_MX)
        return g_strdup_printf ("(%.2s) %.5s-%s", nsn, nsn + 2, nsn + MIN (7, len));
      if (country->id == FMT_IT || country->id == FMT_ES)
        return g_strdup_printf ("(%.3s) %s", nsn, nsn + MIN (3, len));
      return g_strdup_printf ("(0%.3s) %s", nsn, nsn + MIN (3, len));
    case 3:
      if (country->id == FMT_BR || country->id == FMT_MX || country->id == FMT_IT || country->id == FMT_ES)
        return g_strdup_printf ("%.3s-%.3s-%s", nsn, nsn + 3, nsn + MIN (6, len));
      return g_strdup_printf ("0%.3s-%.3s-%s", nsn, nsn + 3, nsn + MIN (6, len));
    case 4:
      if (country->id == FMT_BR || country->id == FMT_MX || country->id == FMT_IT || country->id == FMT_ES)
        return g_strdup_printf ("%.3s.%.3s.%s", nsn, nsn + 3, nsn + MIN (6, len));
      return g_strdup_printf ("0%.1s.%.2s.%.2s.%s", nsn, nsn + 1, nsn + 3, nsn + MIN (5, len));
    default:
      if (country->id == FMT_BR || country->id == FMT_MX || country->id == FMT_IT || country->id == FMT_ES)
        return g_strdup (nsn);
      return g_strdup_printf ("0%s", nsn);
    }
}

/* "Zoë" → "zoe", "O'Brien" → "obrien", for e-mail addresses. */
static GPtrArray *
ascii_names (const char * const *names)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *ascii = g_str_to_ascii (names[i], "C");
      GString *clean = g_string_new (NULL);

      for (const char *p = ascii; *p != '\0'; p++)
        if (g_ascii_isalnum (*p))
          g_string_append_c (clean, g_ascii_tolower (*p));
      g_ptr_array_add (result, g_string_free (clean, FALSE));
    }

  return result;
}

static const CountryDef *
pick_country (GRand *rand)
{
  gint32 n = g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (country_defs); i++)
    {
      if (n < (gint32) country_defs[i].weight)
        return &country_defs[i];
      n -= country_defs[i].weight;
    }
  return &country_defs[0];
}

/* Generates the CSV and remembers each phone with the region the importer
 * will use for it (the row's country, else DEFAULT_REGION). */
static gboolean
generate_csv (const char  *path,
              guint        n_rows,
              Generated   *gen,
              GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autoptr(GPtrArray) previous_nsn = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) previous_country = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) first_ascii = ascii_names (first_names);
  g_autoptr(GPtrArray) last_ascii = ascii_names (last_names);
  FILE *file;

  file = g_fopen (path, "w");
  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }

  gen->phones = g_new0 (char *, n_rows);
  gen->regions = g_new0 (char *, n_rows);
  gen->n_rows = n_rows;

  fputs ("First Name,Last Name,Mobile Phone,E-mail,Country,Tags,Loyalty Points\r\n", file);

  for (guint i = 0; i < n_rows; i++)
    {
      const CountryDef *country;
      g_autofree char *nsn = NULL;
      guint first_index = g_rand_int_range (rand, 0, strv_len (first_names));
      guint last_index = g_rand_int_range (rand, 0, strv_len (last_names));
      const char *country_column;
      gboolean international = FALSE;
      char *phone;
      int kind = g_rand_int_range (rand, 0, 100);

      if (kind < 3)
        {
          country = pick_country (rand);
          phone = g_strdup (pick (rand, invalid_numbers));
          gen->n_invalid++;
        }
      else
        {
          if (kind < 8 && previous_nsn->len > 0)
            {
              guint j = g_rand_int_range (rand, 0, previous_nsn->len);

              country = &country_defs[g_array_index (previous_country, guint, j)];
              nsn = g_strdup (g_ptr_array_index (previous_nsn, j));
              gen->n_duplicates++;
            }
          else
            {
              guint index;

              country = pick_country (rand);
              index = country - country_defs;
              nsn = make_nsn (rand, country->id);
              /* A bounded pool of earlier numbers is enough to draw
               * duplicates from without keeping all of them. */
              if (previous_nsn->len < 65536)
                {
                  g_ptr_array_add (previous_nsn, g_strdup (nsn));
                  g_array_append_val (previous_country, index);
                }
              else
                {
                  guint slot = g_rand_int_range (rand, 0, previous_nsn->len);

                  g_free (g_ptr_array_index (previous_nsn, slot));
                  g_ptr_array_index (previous_nsn, slot) = g_strdup (nsn);
                  g_array_index (previous_country, guint, slot) = index;
                }
            }
          phone = format_number (rand, country, nsn, &international);
        }

      /* Some exports leave the country empty when the number starts with +
       * (with 00 the row still needs its country: the default region, US,
       * dials abroad with 011). */
      country_column = (international && phone[0] == '+' && g_rand_int_range (rand, 0, 3) == 0)
                       ? "" : country->region;

      gen->phones[i] = phone;
      gen->regions[i] = (char *) (country_column[0] != '\0' ? country_column : DEFAULT_REGION);

      fprintf (file, "%s,%s,%s,%s.%s%u@example.com,%s,%s,%u\r\n",
               first_names[first_index], last_names[last_index],
               phone,
               (char *) g_ptr_array_index (first_ascii, first_index),
               (char *) g_ptr_array_index (last_ascii, last_index),
               i % 1000,
               country_column,
               pick (rand, tag_sets),
               (guint) g_rand_int_range (rand, 0, 5000));
    }

  if (fclose (file) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }

  return TRUE;
}

/* The peak RSS of this process image. Not getrusage()'s ru_maxrss: Linux
 * keeps that across exec, so the child would inherit the high-water mark
 * of the forked parent, which holds the whole generated data set. VmHWM
 * belongs to the address space, which exec replaces. */
static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0.0;

  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) / 1024.0;
}

/* The child: open a fresh repository, import, print key=value lines. */
static int
run_import (const char *csv,
            const char *db)
{
  g_autoptr(TcRepository) repository = tc_repository_new (db);
  g_autoptr(GAsyncResult) open_result = NULL;
  g_autoptr(GAsyncResult) import_result = NULL;
  g_autoptr(TcImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  TcImportOptions options = { .default_region = DEFAULT_REGION };
  gint64 start, end;

  tc_repository_open_async (repository, NULL, tc_repository_store_result_cb, &open_result);
  tc_repository_wait (&open_result);
  if (!tc_repository_open_finish (repository, open_result, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  tc_contacts_import_async (repository, csv, &options, NULL, NULL, NULL, NULL,
                            tc_repository_store_result_cb, &import_result);
  tc_repository_wait (&import_result);
  report = tc_contacts_import_finish (repository, import_result, &error);
  end = g_get_monotonic_time ();

  if (report == NULL)
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }

  tc_repository_close (repository);

  g_print ("rows=%u\nimported=%u\nupdated=%u\nrejected=%u\nseconds=%.3f\npeak_rss_mb=%.1f\n",
           report->rows, report->imported, report->updated, report->rejected,
           (end - start) / (double) G_USEC_PER_SEC, peak_rss_mb ());

  return 0;
}

typedef struct
{
  Generated         *gen;
  char             **e164;
  TcPhoneParseFlags  flags;
  guint              begin;
  guint              end;
} ParseSlice;

static gpointer
parse_slice_thread (gpointer data)
{
  ParseSlice *slice = data;

  for (guint i = slice->begin; i < slice->end; i++)
    {
      TcPhoneInfo *info = tc_phone_parse (slice->gen->phones[i], slice->gen->regions[i],
                                          slice->flags, NULL);

      if (info != NULL)
        {
          slice->e164[i] = g_steal_pointer (&info->e164);
          tc_phone_info_free (info);
        }
    }

  return NULL;
}

/* Parses every number on @n_threads threads; returns the seconds taken.
 * @e164 (may be NULL) receives the E.164 forms. */
static double
parse_parallel (Generated         *gen,
                char             **e164,
                TcPhoneParseFlags  flags,
                guint              n_threads)
{
  g_autofree ParseSlice *slices = g_new0 (ParseSlice, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  g_autofree char **scratch = NULL;
  gint64 start = g_get_monotonic_time ();

  if (e164 == NULL)
    e164 = scratch = g_new0 (char *, gen->n_rows);

  for (guint i = 0; i < n_threads; i++)
    {
      slices[i].gen = gen;
      slices[i].e164 = e164;
      slices[i].flags = flags;
      slices[i].begin = (guint) ((guint64) gen->n_rows * i / n_threads);
      slices[i].end = (guint) ((guint64) gen->n_rows * (i + 1) / n_threads);
      threads[i] = g_thread_new ("floor-parse", parse_slice_thread, &slices[i]);
    }
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);

  if (scratch != NULL)
    for (guint i = 0; i < gen->n_rows; i++)
      g_free (scratch[i]);

  return (g_get_monotonic_time () - start) / 1e6;
}

static gboolean
check_sqlite (int          rc,
              sqlite3     *handle,
              GError     **error)
{
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "sqlite: %s", sqlite3_errmsg (handle));
  return FALSE;
}

/* The floor's storage half: one table with a UNIQUE phone, one
 * transaction, one prepared statement, and the same journal and page cache
 * (64 MiB) as the repository's writer, so the comparison is fair. */
static gboolean
bare_upsert (const char  *path,
             char       **e164,
             guint        n,
             guint       *n_stored,
             GError     **error)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!check_sqlite (sqlite3_open (path, &handle), handle, error) ||
      !check_sqlite (sqlite3_exec (handle,
                                   "PRAGMA journal_mode = WAL;"
                                   "PRAGMA synchronous = NORMAL;"
                                   "PRAGMA temp_store = MEMORY;"
                                   "PRAGMA cache_size = -65536;"
                                   "CREATE TABLE contacts (id INTEGER PRIMARY KEY,"
                                   " phone TEXT NOT NULL UNIQUE, updated_at INTEGER NOT NULL);"
                                   "BEGIN;", NULL, NULL, NULL), handle, error) ||
      !check_sqlite (sqlite3_prepare_v2 (handle,
                                         "INSERT INTO contacts (phone, updated_at) VALUES (?1, ?2)"
                                         " ON CONFLICT (phone) DO UPDATE SET updated_at = excluded.updated_at",
                                         -1, &stmt, NULL), handle, error))
    goto out;

  for (guint i = 0; i < n; i++)
    {
      if (e164[i] == NULL)
        continue;
      sqlite3_bind_text (stmt, 1, e164[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now);
      if (!check_sqlite (sqlite3_step (stmt), handle, error))
        goto out;
      sqlite3_reset (stmt);
    }

  if (!check_sqlite (sqlite3_exec (handle, "COMMIT", NULL, NULL, NULL), handle, error))
    goto out;

  {
    sqlite3_stmt *count = NULL;

    sqlite3_prepare_v2 (handle, "SELECT count(*) FROM contacts", -1, &count, NULL);
    if (sqlite3_step (count) == SQLITE_ROW)
      *n_stored = sqlite3_column_int (count, 0);
    sqlite3_finalize (count);
  }

  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return ok;
}

static void
remove_tree (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir_path);
}

static GHashTable *
parse_key_values (const char *text)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (table, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }

  return table;
}

static double
lookup_double (GHashTable *table,
               const char *key)
{
  const char *value = g_hash_table_lookup (table, key);

  return value != NULL ? g_ascii_strtod (value, NULL) : 0.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *db = NULL;
  g_autofree char *floor_db = NULL;
  g_autofree char *child_out = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GHashTable) figures = NULL;
  Generated gen = { 0 };
  char **e164;
  guint n_rows = DEFAULT_ROWS;
  guint n_threads = g_get_num_processors ();
  guint n_valid = 0;
  guint n_stored = 0;
  gint64 t0, t1, t2;
  double import_seconds, import_rate, parse_seconds, upsert_seconds, floor_rate, zones_seconds;
  struct stat st;

  if (argc == 4 && strcmp (argv[1], "--import") == 0)
    return run_import (argv[2], argv[3]);

  if (argc > 1)
    n_rows = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (g_getenv ("BENCH_ROWS") != NULL)
    n_rows = (guint) g_ascii_strtoull (g_getenv ("BENCH_ROWS"), NULL, 10);
  if (n_rows == 0)
    {
      g_printerr ("Usage: bench-import [ROWS]\n");
      return 2;
    }

  tmpdir = g_dir_make_tmp ("bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  csv = g_build_filename (tmpdir, "contacts.csv", NULL);
  db = g_build_filename (tmpdir, "import.db", NULL);
  floor_db = g_build_filename (tmpdir, "floor.db", NULL);

  t0 = g_get_monotonic_time ();
  if (!generate_csv (csv, n_rows, &gen, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  g_stat (csv, &st);
  g_print ("generated: %u rows (%u invalid, %u duplicates written differently), %.1f MB CSV in %.1f s\n",
           n_rows, gen.n_invalid, gen.n_duplicates, st.st_size / 1e6,
           (g_get_monotonic_time () - t0) / 1e6);

  /* The import, alone in a child process. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            "/proc/self/exe", "--import", csv, db, NULL);
  if (child == NULL ||
      !g_subprocess_communicate_utf8 (child, NULL, NULL, &child_out, NULL, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  if (!g_subprocess_get_successful (child))
    {
      g_printerr ("bench-import: the import failed\n");
      return 1;
    }
  figures = parse_key_values (child_out);
  import_seconds = lookup_double (figures, "seconds");
  import_rate = n_rows / import_seconds;
  g_print ("import: %u rows in %.2f s = %.0f rows/s (imported %s, updated %s, rejected %s)\n",
           n_rows, import_seconds, import_rate,
           (char *) g_hash_table_lookup (figures, "imported"),
           (char *) g_hash_table_lookup (figures, "updated"),
           (char *) g_hash_table_lookup (figures, "rejected"));
  g_print ("import peak RSS: %.1f MB (target <= 200 MB)\n", lookup_double (figures, "peak_rss_mb"));

  /* The floor: parse on every core, then a bare upsert. */
  e164 = g_new0 (char *, n_rows);
  parse_seconds = parse_parallel (&gen, e164, TC_PHONE_PARSE_DEFAULT, n_threads);
  t1 = g_get_monotonic_time ();

  for (guint i = 0; i < n_rows; i++)
    n_valid += e164[i] != NULL;

  if (!bare_upsert (floor_db, e164, n_rows, &n_stored, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  t2 = g_get_monotonic_time ();

  upsert_seconds = (t2 - t1) / 1e6;
  floor_rate = n_rows / (parse_seconds + upsert_seconds);
  g_print ("floor: parse %.2f s on %u threads + upsert %.2f s = %.0f rows/s (valid %u, rejected %u, distinct %u)\n",
           parse_seconds, n_threads, upsert_seconds, floor_rate,
           n_valid, n_rows - n_valid, n_stored);
  g_print ("ratio import/floor: %.2f (target >= 0.80)\n", import_rate / floor_rate);

  /* Not part of the floor, but what an import also needs per number: the
   * time zones. Shows how much of the gap they explain. */
  zones_seconds = parse_parallel (&gen, NULL, TC_PHONE_PARSE_TIMEZONES, n_threads);
  g_print ("info: parse with time zones on %u threads: %.2f s = %.0f rows/s\n",
           n_threads, zones_seconds, n_rows / zones_seconds);

  for (guint i = 0; i < n_rows; i++)
    g_free (e164[i]);
  g_free (e164);
  generated_clear (&gen);

  if (g_getenv ("BENCH_KEEP") != NULL)
    g_print ("kept: %s\n", tmpdir);
  else
    remove_tree (tmpdir);

  return 0;
}
