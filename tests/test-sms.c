/* test-sms.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SMS encoding and segments (tc-sms.c): the alphabet, every boundary, the
 * characters that force UCS-2, the smart replacements, and the fast count
 * checked against the full inspection on random texts.
 */

#define G_LOG_DOMAIN "test-sms"

#include "config.h"

#include <string.h>

#include "tc-sms.h"

#define NO_SEGMENTS G_MAXUINT  /* ends a list of segment sizes */

/* Builds a text from (piece, times) pairs ending with NULL. */
static char *
build (const char *piece,
       ...)
{
  GString *text = g_string_new (NULL);
  va_list args;

  va_start (args, piece);
  while (piece != NULL)
    {
      guint times = va_arg (args, guint);

      for (guint i = 0; i < times; i++)
        g_string_append (text, piece);
      piece = va_arg (args, const char *);
    }
  va_end (args);

  return g_string_free (text, FALSE);
}

/* Some pieces used below, with their cost. */
#define CYR    "\xd1\x8f"                     /* я: 1 unit, not GSM */
#define GRIN   "\xf0\x9f\x98\x80"             /* 😀: 2 units */
#define FLAG   "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" /* 🇫🇷: 4 units, one cluster */
#define FAMILY "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d" \
               "\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6" /* 👨‍👩‍👧‍👦: 11 units */
#define KEYCAP "1\xef\xb8\x8f\xe2\x83\xa3"    /* 1️⃣: 3 units */
#define THUMBS "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" /* 👍🏽: 4 units */
#define MAN    "\xf0\x9f\x91\xa8"             /* 👨 */
#define ZWJ    "\xe2\x80\x8d"
#define ACUTE  "\xcc\x81"                     /* U+0301 combining acute */

typedef struct
{
  const char    *name;
  char          *text;
  TcSmsEncoding  encoding;
  guint          units;
  guint          sizes[8];   /* per segment, ending with NO_SEGMENTS */
} SegmentCase;

static void
check_segments (const SegmentCase *c)
{
  g_autoptr(TcSmsInfo) info = NULL;
  TcSmsCount count;
  guint n_sizes = 0;
  guint sum = 0;

  g_test_message ("case %s", c->name);

  while (c->sizes[n_sizes] != NO_SEGMENTS)
    n_sizes++;

  g_assert_true (tc_sms_count (c->text, -1, &count));
  g_assert_cmpint (count.encoding, ==, c->encoding);
  g_assert_cmpuint (count.units, ==, c->units);
  g_assert_cmpuint (count.segments, ==, n_sizes);
  g_assert_cmpuint (count.last_units, ==, n_sizes > 0 ? c->sizes[n_sizes - 1] : 0);

  info = tc_sms_inspect (c->text, -1);
  g_assert_nonnull (info);
  g_assert_cmpint (info->encoding, ==, c->encoding);
  g_assert_cmpuint (info->units, ==, c->units);
  g_assert_cmpuint (info->segments, ==, n_sizes);
  g_assert_cmpuint (info->per_segment_units->len, ==, n_sizes);
  g_assert_cmpuint (info->segment_starts->len, ==, n_sizes);
  for (guint i = 0; i < n_sizes; i++)
    {
      g_assert_cmpuint (g_array_index (info->per_segment_units, guint, i), ==, c->sizes[i]);
      sum += c->sizes[i];
    }
  g_assert_cmpuint (sum, ==, c->units);
}

static void
test_boundaries (void)
{
  SegmentCase cases[] = {
    { "empty", build (NULL), TC_SMS_ENCODING_GSM7, 0, { NO_SEGMENTS } },
    { "gsm 1", build ("a", 1, NULL), TC_SMS_ENCODING_GSM7, 1, { 1, NO_SEGMENTS } },
    { "gsm 152", build ("a", 152, NULL), TC_SMS_ENCODING_GSM7, 152, { 152, NO_SEGMENTS } },
    { "gsm 153", build ("a", 153, NULL), TC_SMS_ENCODING_GSM7, 153, { 153, NO_SEGMENTS } },
    { "gsm 160", build ("a", 160, NULL), TC_SMS_ENCODING_GSM7, 160, { 160, NO_SEGMENTS } },
    { "gsm 161", build ("a", 161, NULL), TC_SMS_ENCODING_GSM7, 161, { 153, 8, NO_SEGMENTS } },
    { "gsm 306", build ("a", 306, NULL), TC_SMS_ENCODING_GSM7, 306, { 153, 153, NO_SEGMENTS } },
    { "gsm 307", build ("a", 307, NULL), TC_SMS_ENCODING_GSM7, 307, { 153, 153, 1, NO_SEGMENTS } },
    { "gsm 459", build ("a", 459, NULL), TC_SMS_ENCODING_GSM7, 459, { 153, 153, 153, NO_SEGMENTS } },
    /* Extension characters cost two septets, and their pair never splits. */
    { "euro fits single", build ("a", 158, "€", 1, NULL), TC_SMS_ENCODING_GSM7, 160,
      { 160, NO_SEGMENTS } },
    { "euro tips over 160", build ("a", 159, "€", 1, NULL), TC_SMS_ENCODING_GSM7, 161,
      { 153, 8, NO_SEGMENTS } },
    { "bracket at 153", build ("a", 152, "[", 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 164,
      { 152, 12, NO_SEGMENTS } },
    { "bracket just fits 153", build ("a", 151, "[", 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 163,
      { 153, 10, NO_SEGMENTS } },
    { "braces at 153 and 306", build ("a", 152, "{", 1, "a", 150, "}", 1, "a", 5, NULL),
      TC_SMS_ENCODING_GSM7, 311, { 152, 154 - 2, 7, NO_SEGMENTS } },
    { "form feed at 153", build ("a", 152, "\f", 1, "a", 9, NULL), TC_SMS_ENCODING_GSM7, 163,
      { 152, 11, NO_SEGMENTS } },
    { "80 tildes", build ("~", 80, NULL), TC_SMS_ENCODING_GSM7, 160, { 160, NO_SEGMENTS } },
    { "81 tildes", build ("~", 81, NULL), TC_SMS_ENCODING_GSM7, 162, { 152, 10, NO_SEGMENTS } },
    /* CR LF: two septets, and one user-perceived character. */
    { "crlf", build ("\r\n", 1, NULL), TC_SMS_ENCODING_GSM7, 2, { 2, NO_SEGMENTS } },
    { "crlf at 153", build ("a", 152, "\r\n", 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 164,
      { 152, 12, NO_SEGMENTS } },
    { "lf cr at 153", build ("a", 152, "\n\r", 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 164,
      { 153, 11, NO_SEGMENTS } },
    { "80 crlf", build ("\r\n", 80, NULL), TC_SMS_ENCODING_GSM7, 160, { 160, NO_SEGMENTS } },
    { "gsm latin and greek", build ("ÄÖÑÜ§¿äöñüàΔΦΓΛΩΠΨΣΘΞ", 8, NULL), TC_SMS_ENCODING_GSM7, 168,
      { 153, 15, NO_SEGMENTS } },
    /* UCS-2. */
    { "ucs2 1", build (CYR, 1, NULL), TC_SMS_ENCODING_UCS2, 1, { 1, NO_SEGMENTS } },
    { "ucs2 67", build (CYR, 67, NULL), TC_SMS_ENCODING_UCS2, 67, { 67, NO_SEGMENTS } },
    { "ucs2 70", build (CYR, 70, NULL), TC_SMS_ENCODING_UCS2, 70, { 70, NO_SEGMENTS } },
    { "ucs2 71", build (CYR, 71, NULL), TC_SMS_ENCODING_UCS2, 71, { 67, 4, NO_SEGMENTS } },
    { "ucs2 134", build (CYR, 134, NULL), TC_SMS_ENCODING_UCS2, 134, { 67, 67, NO_SEGMENTS } },
    { "ucs2 135", build (CYR, 135, NULL), TC_SMS_ENCODING_UCS2, 135, { 67, 67, 1, NO_SEGMENTS } },
    { "one non-gsm makes all ucs2", build ("a", 70, "’", 1, NULL), TC_SMS_ENCODING_UCS2, 71,
      { 67, 4, NO_SEGMENTS } },
    { "gsm extension is one unit in ucs2", build ("€", 69, CYR, 1, NULL), TC_SMS_ENCODING_UCS2, 70,
      { 70, NO_SEGMENTS } },
    /* Surrogate pairs. */
    { "emoji at 70", build (CYR, 68, GRIN, 1, NULL), TC_SMS_ENCODING_UCS2, 70, { 70, NO_SEGMENTS } },
    { "emoji tips over 70", build (CYR, 69, GRIN, 1, NULL), TC_SMS_ENCODING_UCS2, 71,
      { 67, 4, NO_SEGMENTS } },
    { "emoji straddles 67", build (CYR, 66, GRIN, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 73,
      { 66, 7, NO_SEGMENTS } },
    { "emoji ends 67", build (CYR, 65, GRIN, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 72,
      { 67, 5, NO_SEGMENTS } },
    { "35 emoji", build (GRIN, 35, NULL), TC_SMS_ENCODING_UCS2, 70, { 70, NO_SEGMENTS } },
    { "36 emoji", build (GRIN, 36, NULL), TC_SMS_ENCODING_UCS2, 72, { 66, 6, NO_SEGMENTS } },
    { "emoji straddles 134", build (CYR, 133, GRIN, 1, NULL), TC_SMS_ENCODING_UCS2, 135,
      { 67, 66, 2, NO_SEGMENTS } },
    /* User-perceived characters. */
    { "flag straddles 67", build (CYR, 65, FLAG, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 74,
      { 65, 9, NO_SEGMENTS } },
    { "flag ends 67", build (CYR, 63, FLAG, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 72,
      { 67, 5, NO_SEGMENTS } },
    { "two flags in a row", build (CYR, 61, FLAG, 2, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 74,
      { 65, 9, NO_SEGMENTS } },
    { "family straddles 67", build (CYR, 60, FAMILY, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 76,
      { 60, 16, NO_SEGMENTS } },
    { "keycap straddles 67", build (CYR, 65, KEYCAP, 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 73,
      { 65, 8, NO_SEGMENTS } },
    { "skin tone straddles 67", build (CYR, 64, THUMBS, 1, CYR, 10, NULL), TC_SMS_ENCODING_UCS2, 78,
      { 64, 14, NO_SEGMENTS } },
    { "combining accent straddles 67", build (CYR, 66, "e" ACUTE, 1, CYR, 5, NULL),
      TC_SMS_ENCODING_UCS2, 73, { 66, 7, NO_SEGMENTS } },
    { "hangul jamo straddles 67", build (CYR, 66, "\xe1\x84\x80\xe1\x85\xa1", 1, CYR, 5, NULL),
      TC_SMS_ENCODING_UCS2, 73, { 66, 7, NO_SEGMENTS } },
    { "crlf straddles 67", build (CYR, 66, "\r\n", 1, CYR, 5, NULL), TC_SMS_ENCODING_UCS2, 73,
      { 66, 7, NO_SEGMENTS } },
    /* A cluster longer than a segment is split at code points, filling the
     * current segment first, and still never inside a surrogate pair. */
    { "80 accents on one letter", build (CYR, 1, ACUTE, 80, NULL), TC_SMS_ENCODING_UCS2, 81,
      { 67, 14, NO_SEGMENTS } },
    { "26 men joined", build (MAN, 1, ZWJ MAN, 25, NULL), TC_SMS_ENCODING_UCS2, 77,
      { 66, 11, NO_SEGMENTS } },
    { "long cluster after text", build (CYR, 10, MAN, 1, ZWJ MAN, 25, NULL), TC_SMS_ENCODING_UCS2, 87,
      { 67, 20, NO_SEGMENTS } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      check_segments (&cases[i]);
      g_free (cases[i].text);
    }
}

/* Each extension character straddling the 153 and the 160 boundaries. */
static void
test_every_extension_char (void)
{
  static const char * const extension[] = { "\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€" };

  for (guint i = 0; i < G_N_ELEMENTS (extension); i++)
    {
      SegmentCase cases[] = {
        { "at 153", build ("a", 152, extension[i], 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 164,
          { 152, 12, NO_SEGMENTS } },
        { "ends 153", build ("a", 151, extension[i], 1, "a", 10, NULL), TC_SMS_ENCODING_GSM7, 163,
          { 153, 10, NO_SEGMENTS } },
        { "ends 160", build ("a", 158, extension[i], 1, NULL), TC_SMS_ENCODING_GSM7, 160,
          { 160, NO_SEGMENTS } },
        { "at 160", build ("a", 159, extension[i], 1, NULL), TC_SMS_ENCODING_GSM7, 161,
          { 153, 8, NO_SEGMENTS } },
        { "at 306", build ("a", 305, extension[i], 1, NULL), TC_SMS_ENCODING_GSM7, 307,
          { 153, 152, 2, NO_SEGMENTS } },
      };

      g_test_message ("extension character %s", extension[i]);
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        {
          check_segments (&cases[j]);
          g_free (cases[j].text);
        }
    }
}

/* The exact GSM 03.38 default alphabet (less the escape code) and its
 * extension table, checked over every code point. */
static void
test_alphabet (void)
{
  static const char basic[] =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  static const char extension[] = "\f^{}\\[~]|€";
  g_autoptr(GHashTable) expected = g_hash_table_new (NULL, NULL);
  guint n_basic = 0;
  guint n_extension = 0;

  for (const char *p = basic; *p != '\0'; p = g_utf8_next_char (p))
    g_hash_table_insert (expected, GUINT_TO_POINTER (g_utf8_get_char (p)), GUINT_TO_POINTER (1));
  for (const char *p = extension; *p != '\0'; p = g_utf8_next_char (p))
    g_hash_table_insert (expected, GUINT_TO_POINTER (g_utf8_get_char (p)), GUINT_TO_POINTER (2));
  g_assert_cmpuint (g_hash_table_size (expected), ==, 127 + 10);

  for (gunichar c = 1; c <= 0x10FFFF; c++)
    {
      char buf[8];
      gint n;
      TcSmsCount count;
      guint cost;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;

      n = g_unichar_to_utf8 (c, buf);
      g_assert_true (tc_sms_count (buf, n, &count));
      g_assert_cmpuint (count.segments, ==, 1);
      cost = GPOINTER_TO_UINT (g_hash_table_lookup (expected, GUINT_TO_POINTER (c)));
      if (cost > 0)
        {
          g_assert_cmpint (count.encoding, ==, TC_SMS_ENCODING_GSM7);
          g_assert_cmpuint (count.units, ==, cost);
          if (cost == 1)
            n_basic++;
          else
            n_extension++;
        }
      else
        {
          if (count.encoding != TC_SMS_ENCODING_UCS2)
            g_error ("U+%04X counted as GSM-7", c);
          g_assert_cmpuint (count.units, ==, c > 0xFFFF ? 2 : 1);
        }
    }

  g_assert_cmpuint (n_basic, ==, 127);
  g_assert_cmpuint (n_extension, ==, 10);
}

static void
test_invalid (void)
{
  static const struct { const char *text; gssize len; } cases[] = {
    { "\xff", 1 },
    { "a\xc0\x80", 3 },          /* overlong NUL */
    { "\xe0\x80\xaf", 3 },       /* overlong / */
    { "\xed\xa0\x80", 3 },       /* surrogate */
    { "\xf4\x90\x80\x80", 4 },   /* past U+10FFFF */
    { "abc\xe2\x80", 5 },        /* truncated */
    { "a\0b", 3 },               /* NUL inside the length */
    { "\xd1\x8f\x80", 3 },       /* stray continuation after UCS-2 text */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcSmsCount count = { TC_SMS_ENCODING_UCS2, 9, 9, 9 };

      g_assert_false (tc_sms_count (cases[i].text, cases[i].len, &count));
      g_assert_cmpuint (count.segments, ==, 0);
      g_assert_cmpuint (count.units, ==, 0);
      g_assert_null (tc_sms_inspect (cases[i].text, cases[i].len));
      g_assert_null (tc_sms_suggest_replacements (cases[i].text, cases[i].len));
      g_assert_null (tc_sms_apply_replacements (cases[i].text, cases[i].len, NULL, NULL, NULL));
      g_assert_null (tc_sms_find_non_gsm (cases[i].text, cases[i].len));
    }
}

static void
test_length_argument (void)
{
  TcSmsCount count;

  /* Only @len bytes count, whatever follows. */
  g_assert_true (tc_sms_count ("hello’", 5, &count));
  g_assert_cmpint (count.encoding, ==, TC_SMS_ENCODING_GSM7);
  g_assert_cmpuint (count.units, ==, 5);

  g_assert_true (tc_sms_count (NULL, 0, &count));
  g_assert_cmpuint (count.segments, ==, 0);
}

static void
test_encoding (void)
{
  g_assert_cmpstr (tc_sms_encoding_to_string (TC_SMS_ENCODING_GSM7), ==, "GSM-7");
  g_assert_cmpstr (tc_sms_encoding_to_string (TC_SMS_ENCODING_UCS2), ==, "UCS-2");
  g_assert_true (G_TYPE_IS_ENUM (TC_TYPE_SMS_ENCODING));
  g_assert_true (G_TYPE_IS_BOXED (TC_TYPE_SMS_INFO));
}

static void
test_chars_left (void)
{
  static const struct { const char *piece; guint times; const char *tail; guint left; } cases[] = {
    { "a", 0, "", 160 },
    { "a", 150, "", 10 },
    { "a", 159, "", 1 },
    { "a", 160, "", 0 },
    { "a", 161, "", 153 - 8 },
    { "a", 306, "", 0 },
    { "a", 307, "", 152 },
    { "a", 152, "€aaaaaaaaaa", 153 - 12 },
    { "a", 10, "{", 160 - 12 },
    { CYR, 10, "", 60 },
    { CYR, 70, "", 0 },
    { CYR, 71, "", 67 - 4 },
    { CYR, 66, GRIN, 70 - 68 },
    { CYR, 69, GRIN, 67 - 4 },
    { GRIN, 1, "", 68 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = build (cases[i].piece, cases[i].times, cases[i].tail, 1, NULL);
      TcSmsCount count;

      g_assert_true (tc_sms_count (text, -1, &count));
      g_assert_cmpuint (tc_sms_chars_left (&count), ==, cases[i].left);
    }
}

static void
assert_strv_array (GPtrArray          *array,
                   const char * const *expected)
{
  g_assert_cmpuint (array->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < array->len; i++)
    g_assert_cmpstr (g_ptr_array_index (array, i), ==, expected[i]);
}

static void
test_non_gsm (void)
{
  static const struct { const char *text; const char *expected[8]; } cases[] = {
    { "", { NULL } },
    { "Plain GSM: @£$¥ {€} ÄÖÑÜ\r\n", { NULL } },
    /* Unique, in order of first appearance, whole clusters. */
    { "a" GRIN "b" GRIN FLAG "c’’" KEYCAP "d’" FLAG, { GRIN, FLAG, "’", KEYCAP, NULL } },
    { THUMBS "👍" FAMILY MAN, { THUMBS, "👍", FAMILY, MAN, NULL } },
    { "e" ACUTE " á é", { "e" ACUTE, "á", NULL } },
    { "tab\there", { "\t", NULL } },
    { "`quoted`", { "`", NULL } },
    { "中文 SMS 中", { "中", "文", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TcSmsInfo) info = tc_sms_inspect (cases[i].text, -1);
      g_autoptr(GArray) ranges = tc_sms_find_non_gsm (cases[i].text, -1);
      g_autoptr(TcSmsInfo) copy = NULL;
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint n_unique = 0;

      g_assert_nonnull (info);
      assert_strv_array (info->non_gsm, cases[i].expected);
      g_assert_cmpint (info->encoding, ==, cases[i].expected[0] != NULL ? TC_SMS_ENCODING_UCS2
                                                                      : TC_SMS_ENCODING_GSM7);

      /* The ranges are every occurrence; their texts, deduplicated in order,
       * are the list above. */
      g_assert_nonnull (ranges);
      for (guint j = 0; j < ranges->len; j++)
        {
          TcSmsRange *range = &g_array_index (ranges, TcSmsRange, j);
          g_autofree char *piece = g_strndup (cases[i].text + range->start, range->end - range->start);

          g_assert_cmpuint (range->start, <, range->end);
          if (j > 0)
            g_assert_cmpuint (range->start, >=, g_array_index (ranges, TcSmsRange, j - 1).end);
          if (!g_hash_table_contains (seen, piece))
            {
              g_assert_cmpstr (piece, ==, cases[i].expected[n_unique]);
              g_hash_table_add (seen, g_steal_pointer (&piece));
              n_unique++;
            }
        }
      g_assert_cmpuint (n_unique, ==, info->non_gsm->len);

      copy = tc_sms_info_copy (info);
      assert_strv_array (copy->non_gsm, cases[i].expected);
      g_assert_cmpuint (copy->segments, ==, info->segments);
      g_assert_cmpuint (copy->per_segment_units->len, ==, info->per_segment_units->len);
    }
}

static void
test_replacements (void)
{
  static const struct { const char *text; const char *expected; guint n_replaced; } cases[] = {
    { "“Hi” – it’s… great — ‘ok’", "\"Hi\" - it's... great - 'ok'", 8 },
    { "‚low‘ „low“ ‹a› «b» ″ ′", "'low' \"low\" 'a' \"b\" \" '", 10 },
    { "a\xc2\xa0" "b\xe2\x80\xaf" "c\xe2\x80\x89" "d\xe3\x80\x80" "e", "a b c d e", 4 },
    { "soft\xc2\xadhyphen", "softhyphen", 1 },
    { "zero\xe2\x80\x8bwidth\xef\xbb\xbf", "zerowidth", 2 },
    { "• one\n• two", "- one\n- two", 2 },
    { "tab\there", "tab here", 1 },
    { "áíóú âêîôû ëï ç", "aiou aeiou ei c", 12 },
    { "ÁÍÓÚ ÂÊ", "AIOU AE", 6 },
    { "ł Ł œ ı", "l L oe i", 4 },
    { "© ® ™", "(C) (R) TM", 3 },
    /* Composed first: e + U+0301 becomes é, which GSM-7 has. */
    { "caf" "e" ACUTE, "café", 1 },
    { "x" ACUTE, "x", 1 },
    /* GSM-7 letters with accents stay as they are. */
    { "é è ù ì ò à ä ö ü ñ Ç É – ok", "é è ù ì ò à ä ö ü ñ Ç É - ok", 1 },
    /* Without a replacement: stays. */
    { "Hi " GRIN " “you”", "Hi " GRIN " \"you\"", 2 },
    { "中文’", "中文'", 1 },
    { FLAG " " KEYCAP, FLAG " " KEYCAP, 0 },
    { "plain", "plain", 0 },
    { "", "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcSmsCount before;
      TcSmsCount after;
      guint n_replaced = 99;
      g_autofree char *result = tc_sms_apply_replacements (cases[i].text, -1, &before, &after,
                                                            &n_replaced);
      TcSmsCount check;

      g_test_message ("replacing %s", cases[i].text);
      g_assert_cmpstr (result, ==, cases[i].expected);
      g_assert_cmpuint (n_replaced, ==, cases[i].n_replaced);
      g_assert_true (tc_sms_count (cases[i].text, -1, &check));
      g_assert_cmpmem (&before, sizeof before, &check, sizeof check);
      g_assert_true (tc_sms_count (cases[i].expected, -1, &check));
      g_assert_cmpmem (&after, sizeof after, &check, sizeof check);
    }
}

static void
test_savings (void)
{
  /* "Replace 3 characters to save 2 segments". */
  g_autofree char *text = build ("’", 3, "a", 150, NULL);
  g_autofree char *stays = build ("’", 3, "a", 150, GRIN, 1, NULL);
  g_autofree char *single = build ("a", 69, "’", 1, NULL);
  g_autofree char *result = NULL;
  TcSmsCount before;
  TcSmsCount after;
  guint n_replaced;

  result = tc_sms_apply_replacements (text, -1, &before, &after, &n_replaced);
  g_assert_cmpuint (n_replaced, ==, 3);
  g_assert_cmpint (before.encoding, ==, TC_SMS_ENCODING_UCS2);
  g_assert_cmpuint (before.segments, ==, 3);
  g_assert_cmpint (after.encoding, ==, TC_SMS_ENCODING_GSM7);
  g_assert_cmpuint (after.segments, ==, 1);
  g_assert_cmpuint (after.units, ==, 153);
  g_clear_pointer (&result, g_free);

  /* An emoji keeps the text in UCS-2: replacing saves nothing. */
  result = tc_sms_apply_replacements (stays, -1, &before, &after, &n_replaced);
  g_assert_cmpuint (n_replaced, ==, 3);
  g_assert_cmpint (after.encoding, ==, TC_SMS_ENCODING_UCS2);
  g_assert_cmpuint (after.segments, ==, before.segments);
  g_clear_pointer (&result, g_free);

  /* Already one segment: the encoding changes, the segments do not. */
  result = tc_sms_apply_replacements (single, -1, &before, &after, NULL);
  g_assert_cmpuint (before.segments, ==, 1);
  g_assert_cmpuint (after.segments, ==, 1);
  g_assert_cmpint (after.encoding, ==, TC_SMS_ENCODING_GSM7);
}

static void
test_suggestions (void)
{
  static const struct { const char *character; const char *replacement; guint count; } expected[] = {
    { "’", "'", 2 },
    { "—", "-", 1 },
    { GRIN, NULL, 2 },
    { "\xe2\x80\x8b", "", 1 },
    { "ç", "c", 1 },
    { "\t", " ", 1 },
  };
  g_autoptr(GPtrArray) suggestions =
    tc_sms_suggest_replacements ("’x’—" GRIN "\xe2\x80\x8b" "ça" GRIN "\t" "é", -1);
  g_autoptr(GPtrArray) none = tc_sms_suggest_replacements ("all GSM-7 {€}", -1);

  g_assert_nonnull (suggestions);
  g_assert_cmpuint (suggestions->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < suggestions->len; i++)
    {
      TcSmsSuggestion *s = g_ptr_array_index (suggestions, i);

      g_assert_cmpstr (s->character, ==, expected[i].character);
      g_assert_cmpstr (s->replacement, ==, expected[i].replacement);
      g_assert_cmpuint (s->count, ==, expected[i].count);
    }

  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Every replacement that exists is GSM-7, for every BMP character. */
static void
test_replacements_are_gsm (void)
{
  guint n_with = 0;

  for (gunichar c = 1; c <= 0xFFFF; c++)
    {
      char buf[8];
      gint n;
      g_autoptr(GPtrArray) suggestions = NULL;
      TcSmsSuggestion *s;
      TcSmsCount count;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;

      n = g_unichar_to_utf8 (c, buf);
      buf[n] = '\0';
      suggestions = tc_sms_suggest_replacements (buf, n);
      g_assert_nonnull (suggestions);
      if (suggestions->len == 0)
        continue;

      g_assert_cmpuint (suggestions->len, ==, 1);
      s = g_ptr_array_index (suggestions, 0);
      if (s->replacement == NULL)
        continue;

      n_with++;
      g_assert_true (tc_sms_count (s->replacement, -1, &count));
      if (count.encoding != TC_SMS_ENCODING_GSM7)
        g_error ("U+%04X is replaced with non-GSM text '%s'", c, s->replacement);
    }

  /* The table, and the hundreds of accented letters. */
  g_assert_cmpuint (n_with, >, 400);
}

/* The fast count agrees with the full inspection on random texts made of
 * the awkward pieces. */
static void
test_count_matches_inspect (void)
{
  static const char * const pieces[] = {
    "a", "a", "a", "Z", " ", "\r\n", "\r", "\n", "€", "{", "~", "é", "Δ", "ß",
    CYR, "’", "中", GRIN, FLAG, "\xf0\x9f\x87\xab", FAMILY, KEYCAP, THUMBS, "🏽", ZWJ, ACUTE,
    "\xe1\x84\x80", "\xe1\x85\xa1", "\xea\xb0\x80", "\xe0\xa4\x95\xe0\xa5\x8d", "\xef\xb8\x8f",
  };

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(TcSmsInfo) info = NULL;
      gint32 mode = g_test_rand_int_range (0, 3);
      guint n_pieces = (guint) g_test_rand_int_range (0, mode == 2 ? 8 : 260);
      TcSmsCount count;
      guint sum = 0;

      for (guint i = 0; i < n_pieces; i++)
        {
          guint max = mode == 0 ? 14 : G_N_ELEMENTS (pieces);
          gint32 k = g_test_rand_int_range (0, 90);

          if (mode < 2)
            {
              g_string_append (text, pieces[g_test_rand_int_range (0, (gint32) max)]);
              continue;
            }

          /* Long clusters, longer than a segment or not, among plain text. */
          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              for (gint32 j = 0; j < k; j++)
                g_string_append (text, CYR);
              break;
            case 1:
              g_string_append (text, MAN);
              for (gint32 j = 0; j < k / 3; j++)
                g_string_append (text, ZWJ MAN);
              break;
            default:
              g_string_append (text, "a");
              for (gint32 j = 0; j < k; j++)
                g_string_append (text, ACUTE);
              break;
            }
        }

      g_assert_true (tc_sms_count (text->str, (gssize) text->len, &count));
      info = tc_sms_inspect (text->str, (gssize) text->len);
      g_assert_nonnull (info);

      g_assert_cmpint (count.encoding, ==, info->encoding);
      g_assert_cmpuint (count.units, ==, info->units);
      g_assert_cmpuint (count.segments, ==, info->segments);
      g_assert_cmpuint (info->per_segment_units->len, ==, info->segments);
      if (info->segments > 0)
        g_assert_cmpuint (count.last_units, ==,
                          g_array_index (info->per_segment_units, guint, info->segments - 1));

      for (guint i = 0; i < info->segments; i++)
        {
          guint size = g_array_index (info->per_segment_units, guint, i);
          guint start = g_array_index (info->segment_starts, guint, i);
          guint limit;

          if (info->segments == 1)
            limit = info->encoding == TC_SMS_ENCODING_GSM7 ? 160 : 70;
          else
            limit = info->encoding == TC_SMS_ENCODING_GSM7 ? 153 : 67;
          g_assert_cmpuint (size, >, 0);
          g_assert_cmpuint (size, <=, limit);
          sum += size;

          /* Each segment starts on a character and is itself valid text. */
          g_assert_cmpuint (start, <, text->len);
          g_assert_true (i == 0 ? start == 0
                                : start > g_array_index (info->segment_starts, guint, i - 1));
          g_assert_true (g_utf8_validate_len (text->str + start, text->len - start, NULL));
          g_assert_false (start > 0 && text->str[start - 1] == '\r' && text->str[start] == '\n');
        }
      g_assert_cmpuint (sum, ==, info->units);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/sms/boundaries", test_boundaries);
  g_test_add_func ("/tc/sms/every-extension-char", test_every_extension_char);
  g_test_add_func ("/tc/sms/alphabet", test_alphabet);
  g_test_add_func ("/tc/sms/invalid", test_invalid);
  g_test_add_func ("/tc/sms/length-argument", test_length_argument);
  g_test_add_func ("/tc/sms/encoding", test_encoding);
  g_test_add_func ("/tc/sms/chars-left", test_chars_left);
  g_test_add_func ("/tc/sms/non-gsm", test_non_gsm);
  g_test_add_func ("/tc/sms/replacements", test_replacements);
  g_test_add_func ("/tc/sms/savings", test_savings);
  g_test_add_func ("/tc/sms/suggestions", test_suggestions);
  g_test_add_func ("/tc/sms/replacements-are-gsm", test_replacements_are_gsm);
  g_test_add_func ("/tc/sms/count-matches-inspect", test_count_matches_inspect);

  return g_test_run ();
}
