/* tc-sms.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How a text is sent as SMS.
 *
 * Encoding: GSM-7 when every character is in the GSM 03.38 default
 * alphabet or its extension table, else UCS-2 for the whole message.
 *
 * Segments: a text of at most 160 septets (GSM-7) or 70 UTF-16 units
 * (UCS-2) is one message; a longer one is split into segments of at most
 * 153 or 67 units, filled greedily in order. A segment never ends
 *  - inside an escape pair (an extension character costs two septets that
 *    stay in the same segment),
 *  - inside a surrogate pair,
 *  - inside a user-perceived character: a grapheme cluster as ICU's
 *    character break iterator finds it (flags, ZWJ sequences, skin tones,
 *    keycaps, combining accents, CR LF). A cluster that is longer than a
 *    whole segment (a ZWJ sequence or a pile of combining marks of more
 *    than 67 units) cannot be kept together; it is then split at code point
 *    boundaries, filling the current segment first.
 * A segment that cannot take the next indivisible piece is closed short,
 * which is why the segments of a text are not simply ceil (units / 153).
 *
 * Empty text: 0 segments and 0 units in GSM-7. There is nothing to send,
 * and the providers reject an empty body rather than bill one segment.
 *
 * The fast path, tc_sms_count(), is written for the renderer, which counts
 * every personalised message: it allocates nothing, classifies ASCII with a
 * table, and only packs segments (a second pass) when the text needs more
 * than one, asking ICU for cluster boundaries only when the text holds a
 * character that can join a cluster. tc_sms_inspect() always walks ICU's
 * clusters for UCS-2, so the two are checked against each other in the tests.
 */

#define G_LOG_DOMAIN "tc-sms"

#include "config.h"

#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "tc-sms.h"

G_DEFINE_ENUM_TYPE (TcSmsEncoding, tc_sms_encoding,
  G_DEFINE_ENUM_VALUE (TC_SMS_ENCODING_GSM7, "gsm7"),
  G_DEFINE_ENUM_VALUE (TC_SMS_ENCODING_UCS2, "ucs2"))

G_DEFINE_BOXED_TYPE (TcSmsInfo, tc_sms_info, tc_sms_info_copy, tc_sms_info_free)

/* Septets per ASCII character: 0 outside GSM-7, 2 for the extension table.
 * Outside: the C0 controls but LF, CR and form feed; the grave accent;
 * DEL. U+0000 is not GSM's '@' (that is the septet 0x00, not the
 * character), and U+001B is the escape code itself, not a character.
 * CR carries ASCII_CR on top of its one septet, so that the hot loop of
 * tc_sms_count() notices it (CR LF is one piece) without a comparison
 * per byte. */
#define ASCII_CR    4
#define ASCII_COST  3
static const guint8 gsm_ascii[128] = {
  /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1 | ASCII_CR, 0, 0,
  /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x20 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x40 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1,
  /* 0x60 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0,
};

/* Septets for U+0080..U+00FF: ¡ £ ¤ ¥ § ¿ Ä Å Æ Ç É Ñ Ö Ø Ü ß à ä å æ è é
 * ì ñ ò ö ø ù ü. U+00A0 (no-break space) is not in: some tables show the
 * escape code as one, but a phone does not send it as a character. */
static const guint8 gsm_latin1[128] = {
  /* 0x80 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x90 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xA0 */ 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0xB0 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  /* 0xC0 */ 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0,
  /* 0xD0 */ 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1,
  /* 0xE0 */ 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0,
  /* 0xF0 */ 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0,
};

/* Septets a character costs in GSM-7, 0 when it is outside. */
static inline guint
gsm_cost (gunichar c)
{
  if (c < 0x80)
    return gsm_ascii[c] & ASCII_COST;
  if (c < 0x100)
    return gsm_latin1[c - 0x80];

  switch (c)
    {
    case 0x0393: /* Γ */
    case 0x0394: /* Δ */
    case 0x0398: /* Θ */
    case 0x039B: /* Λ */
    case 0x039E: /* Ξ */
    case 0x03A0: /* Π */
    case 0x03A3: /* Σ */
    case 0x03A6: /* Φ */
    case 0x03A8: /* Ψ */
    case 0x03A9: /* Ω */
      return 1;
    case 0x20AC: /* € */
      return 2;
    default:
      return 0;
    }
}

/* Decodes one UTF-8 sequence of two to four bytes at @p (the caller handles
 * ASCII). Returns its length, or 0 when it is not well-formed UTF-8
 * (overlong forms, surrogates and values past U+10FFFF included). */
static inline guint
decode_utf8 (const guchar *p,
             const guchar *end,
             gunichar     *out)
{
  gsize avail = (gsize) (end - p);
  guchar b0 = p[0];

  if (b0 < 0xC2)
    return 0;

  if (b0 < 0xE0)
    {
      if (avail < 2 || (p[1] & 0xC0) != 0x80)
        return 0;
      *out = ((gunichar) (b0 & 0x1F) << 6) | (p[1] & 0x3F);
      return 2;
    }

  if (b0 < 0xF0)
    {
      if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
      if ((b0 == 0xE0 && p[1] < 0xA0) || (b0 == 0xED && p[1] > 0x9F))
        return 0;
      *out = ((gunichar) (b0 & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      return 3;
    }

  if (b0 < 0xF5)
    {
      if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
      if ((b0 == 0xF0 && p[1] < 0x90) || (b0 == 0xF4 && p[1] > 0x8F))
        return 0;
      *out = ((gunichar) (b0 & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12) |
             ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      return 4;
    }

  return 0;
}

/* Decodes one character of text already known to be valid. */
static inline guint
next_char (const guchar *p,
           const guchar *end,
           gunichar     *out)
{
  guint n;

  if (*p < 0x80)
    {
      *out = *p;
      return 1;
    }

  n = decode_utf8 (p, end, out);
  g_assert (n > 0);
  return n;
}

static inline guint
utf16_units (gunichar c)
{
  return c > 0xFFFF ? 2 : 1;
}

/* Whether @c can be part of a grapheme cluster with a neighbour, other than
 * CR LF: extenders, ZWJ, spacing marks, prepended marks, regional
 * indicators, Hangul jamo (a precomposed syllable only joins with a
 * following jamo, which is caught here). A text without any of these has a
 * cluster boundary between every two code points except CR LF. */
static inline gboolean
may_join_cluster (gunichar c)
{
  if (c < 0x300)
    return FALSE;

  switch ((UGraphemeClusterBreak) u_getIntPropertyValue ((UChar32) c, UCHAR_GRAPHEME_CLUSTER_BREAK))
    {
    case U_GCB_OTHER:
    case U_GCB_CONTROL:
    case U_GCB_CR:
    case U_GCB_LF:
    case U_GCB_LV:
    case U_GCB_LVT:
      return FALSE;
    case U_GCB_EXTEND:
    case U_GCB_L:
    case U_GCB_T:
    case U_GCB_V:
    case U_GCB_SPACING_MARK:
    case U_GCB_PREPEND:
    case U_GCB_REGIONAL_INDICATOR:
    case U_GCB_E_BASE:
    case U_GCB_E_BASE_GAZ:
    case U_GCB_E_MODIFIER:
    case U_GCB_GLUE_AFTER_ZWJ:
    case U_GCB_ZWJ:
    case U_GCB_COUNT:
    default:
      return TRUE;
    }
}

/* may_join_cluster() for the Basic Multilingual Plane, one bit per code
 * point, filled from ICU once: the fast count looks at every character of
 * a UCS-2 text, and a bit test is much cheaper than a property lookup. */
static guint32 join_bmp[0x10000 / 32];

static void
init_join_bmp (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (gunichar c = 0x300; c < 0x10000; c++)
        if (may_join_cluster (c))
          join_bmp[c >> 5] |= 1u << (c & 31);
      g_once_init_leave (&initialized, 1);
    }
}

static inline gboolean
bmp_may_join (gunichar c)
{
  return (join_bmp[c >> 5] >> (c & 31)) & 1;
}

/* Segment packing: indivisible pieces go into the current segment while
 * they fit, else they open the next one. */
typedef struct
{
  guint   limit;
  guint   segments;
  guint   fill;
  GArray *sizes;   /* (nullable) units per segment */
  GArray *starts;  /* (nullable) byte offset of each segment */
} Packer;

static inline void
packer_init (Packer *packer,
             guint   limit,
             GArray *sizes,
             GArray *starts)
{
  packer->limit = limit;
  packer->segments = 0;
  packer->fill = 0;
  packer->sizes = sizes;
  packer->starts = starts;
}

static inline void
packer_add (Packer *packer,
            guint   cost,
            gsize   offset)
{
  if (packer->segments == 0 || packer->fill + cost > packer->limit)
    {
      if (packer->segments > 0 && packer->sizes != NULL)
        g_array_append_val (packer->sizes, packer->fill);
      if (packer->starts != NULL)
        {
          guint start = (guint) offset;

          g_array_append_val (packer->starts, start);
        }
      packer->segments++;
      packer->fill = 0;
    }

  packer->fill += cost;
}

static inline void
packer_finish (Packer *packer)
{
  if (packer->segments > 0 && packer->sizes != NULL)
    g_array_append_val (packer->sizes, packer->fill);
}

/* GSM-7: the pieces are characters, CR LF counted as one piece. */
static void
pack_gsm (const guchar *text,
          gsize         len,
          Packer       *packer)
{
  const guchar *p = text;
  const guchar *end = text + len;

  while (p < end)
    {
      const guchar *piece = p;
      gunichar c;
      guint cost;

      p += next_char (p, end, &c);
      cost = gsm_cost (c);
      if (c == '\r' && p < end && *p == '\n')
        {
          cost++;
          p++;
        }
      packer_add (packer, cost, (gsize) (piece - text));
    }
}

typedef void (*ClusterFunc) (const guchar *text,
                             gsize         start,
                             gsize         end,
                             gpointer      user_data);

static void
close_break_iterator (gpointer data)
{
  ubrk_close (data);
}

/* Opening a break iterator costs microseconds, more than counting a whole
 * message; each thread keeps one and points it at each new text. */
static GPrivate break_iterator = G_PRIVATE_INIT (close_break_iterator);

static UBreakIterator *
get_break_iterator (UErrorCode *status)
{
  UBreakIterator *iter = g_private_get (&break_iterator);

  if (iter == NULL)
    {
      iter = ubrk_open (UBRK_CHARACTER, "", NULL, 0, status);
      if (U_SUCCESS (*status))
        g_private_set (&break_iterator, iter);
    }

  return iter;
}

/* Calls @func for each grapheme cluster of the (valid, non-empty) text. */
static void
foreach_cluster (const guchar *text,
                 gsize         len,
                 ClusterFunc   func,
                 gpointer      user_data)
{
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;
  UBreakIterator *iter;
  int32_t start;
  int32_t end;

  g_assert (len <= G_MAXINT32);

  utext_openUTF8 (&utext, (const char *) text, (int64_t) len, &status);
  iter = get_break_iterator (&status);
  if (U_SUCCESS (status))
    ubrk_setUText (iter, &utext, &status);

  if (U_FAILURE (status))
    {
      const guchar *p = text;
      const guchar *text_end = text + len;

      /* ICU's data is linked in, so this means a broken installation; code
       * points are the best remaining guess at boundaries. */
      g_critical ("ICU character break iterator unavailable: %s", u_errorName (status));
      while (p < text_end)
        {
          gunichar c;
          guint n = next_char (p, text_end, &c);

          func (text, (gsize) (p - text), (gsize) (p - text) + n, user_data);
          p += n;
        }
    }
  else
    {
      start = ubrk_first (iter);
      while ((end = ubrk_next (iter)) != UBRK_DONE)
        {
          func (text, (gsize) start, (gsize) end, user_data);
          start = end;
        }
    }

  utext_close (&utext);
}

/* Sums a cluster: UTF-16 units, and whether all of it is GSM-7. */
static guint
cluster_units (const guchar *text,
               gsize         start,
               gsize         end,
               gboolean     *all_gsm)
{
  const guchar *p = text + start;
  const guchar *stop = text + end;
  guint units = 0;

  *all_gsm = TRUE;
  while (p < stop)
    {
      gunichar c;

      p += next_char (p, stop, &c);
      units += utf16_units (c);
      if (gsm_cost (c) == 0)
        *all_gsm = FALSE;
    }

  return units;
}

/* Adds a UCS-2 cluster to @packer: whole when it fits in a segment, else
 * code point by code point. */
static void
pack_ucs2_cluster (Packer       *packer,
                   const guchar *text,
                   gsize         start,
                   gsize         end,
                   guint         units)
{
  const guchar *p;
  const guchar *stop;

  if (units <= packer->limit)
    {
      packer_add (packer, units, start);
      return;
    }

  p = text + start;
  stop = text + end;
  while (p < stop)
    {
      const guchar *piece = p;
      gunichar c;

      p += next_char (p, stop, &c);
      packer_add (packer, utf16_units (c), (gsize) (piece - text));
    }
}

static void
on_cluster_pack_cb (const guchar *text,
                    gsize         start,
                    gsize         end,
                    gpointer      user_data)
{
  gboolean all_gsm;
  guint units = cluster_units (text, start, end, &all_gsm);

  pack_ucs2_cluster (user_data, text, start, end, units);
}

/* pack_gsm() for tc_sms_count(): the same pieces and the same result,
 * without the bookkeeping. */
static void
pack_gsm_quickly (const guchar *p,
                  const guchar *end,
                  guint        *segments,
                  guint        *last_units)
{
  guint n_segments = 1;
  guint fill = 0;

  while (p < end)
    {
      guint cost;

      if (*p < 0x80)
        {
          cost = gsm_ascii[*p];
          if (G_UNLIKELY (cost & ASCII_CR))
            {
              cost &= ASCII_COST;
              if (p + 1 < end && p[1] == '\n')
                {
                  cost++;
                  p++;
                }
            }
          p++;
        }
      else
        {
          gunichar c;

          p += next_char (p, end, &c);
          cost = gsm_cost (c);
        }

      if (fill + cost > TC_SMS_GSM7_SEGMENT_UNITS)
        {
          n_segments++;
          fill = 0;
        }
      fill += cost;
    }

  *segments = n_segments;
  *last_units = fill;
}

static guint
range_units (const guchar *text,
             gsize         start,
             gsize         end)
{
  const guchar *p = text + start;
  const guchar *stop = text + end;
  guint units = 0;

  while (p < stop)
    {
      gunichar c;

      p += next_char (p, stop, &c);
      units += utf16_units (c);
    }

  return units;
}

/* UCS-2 packing by clusters for tc_sms_count(), asking ICU only about the
 * places where a segment would end rather than walking every cluster: the
 * segment takes code points while they fit; if that stops inside a
 * cluster, it ends where the cluster starts, unless the cluster is longer
 * than a segment (then it is split where the segment is full, as the
 * packer does). tc_sms_inspect() walks every cluster instead, and the
 * tests check that both agree. */
static void
pack_ucs2_at_boundaries (const guchar *text,
                         gsize         len,
                         guint        *segments,
                         guint        *last_units)
{
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;
  UBreakIterator *iter;
  guint n_segments = 0;
  guint fill = 0;
  gsize start = 0;

  g_assert (len <= G_MAXINT32);

  utext_openUTF8 (&utext, (const char *) text, (int64_t) len, &status);
  iter = get_break_iterator (&status);
  if (U_SUCCESS (status))
    ubrk_setUText (iter, &utext, &status);

  if (U_FAILURE (status))
    {
      Packer packer;

      /* foreach_cluster() reports the failure and falls back. */
      utext_close (&utext);
      packer_init (&packer, TC_SMS_UCS2_SEGMENT_UNITS, NULL, NULL);
      foreach_cluster (text, len, on_cluster_pack_cb, &packer);
      *segments = packer.segments;
      *last_units = packer.fill;
      return;
    }

  while (start < len)
    {
      gsize end = start;
      guint used = 0;

      while (end < len)
        {
          gunichar c;
          guint n = next_char (text + end, text + len, &c);

          if (used + utf16_units (c) > TC_SMS_UCS2_SEGMENT_UNITS)
            break;
          used += utf16_units (c);
          end += n;
        }

      n_segments++;
      fill = used;

      if (end < len && !ubrk_isBoundary (iter, (int32_t) end))
        {
          gsize cluster_start = (gsize) ubrk_preceding (iter, (int32_t) end);

          if (cluster_start > start)
            {
              gsize cluster_end = (gsize) ubrk_following (iter, (int32_t) cluster_start);

              if (range_units (text, cluster_start, cluster_end) <= TC_SMS_UCS2_SEGMENT_UNITS)
                {
                  fill -= range_units (text, cluster_start, end);
                  end = cluster_start;
                }
            }
        }

      start = end;
    }

  utext_close (&utext);

  *segments = n_segments;
  *last_units = fill;
}

/**
 * tc_sms_encoding_to_string:
 * @encoding: a #TcSmsEncoding
 *
 * Returns: the name carriers and the CLI use: `"GSM-7"` or `"UCS-2"`
 */
const char *
tc_sms_encoding_to_string (TcSmsEncoding encoding)
{
  switch (encoding)
    {
    case TC_SMS_ENCODING_GSM7:
      return "GSM-7";
    case TC_SMS_ENCODING_UCS2:
      return "UCS-2";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * tc_sms_count:
 * @text: (array length=len): UTF-8 text
 * @len: length of @text in bytes, or -1 if it is nul-terminated
 * @out: (out caller-allocates): where to store the count
 *
 * Counts the encoding, segments and units of @text exactly as
 * tc_sms_inspect() does, without allocating: the renderer calls it for
 * every message it produces.
 *
 * Returns: %TRUE, or %FALSE when @text is not valid UTF-8 (a NUL byte
 *   within @len included); @out is then zeroed
 */
gboolean
tc_sms_count (const char *text,
              gssize      len,
              TcSmsCount *out)
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint units = 0;
  guint segments = 1;
  guint fill = 0;
  gboolean may_join = FALSE;
  gboolean uneven = FALSE;   /* a piece of two septets: escape or CR LF */

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (len < 0)
    len = (gssize) strlen (text);
  g_return_val_if_fail (len <= G_MAXINT32, FALSE);

  start = p = (const guchar *) text;
  end = start + len;

  /* GSM-7 as long as it lasts. */
  while (p < end)
    {
      guint cost;

      if (*p < 0x80)
        {
          cost = gsm_ascii[*p];
          if (G_UNLIKELY (cost != 1))
            {
              if (cost == 0)
                break;
              uneven = TRUE;
              if (cost & ASCII_CR)
                {
                  cost &= ASCII_COST;
                  if (p + 1 < end && p[1] == '\n')
                    {
                      cost++;
                      p++;
                    }
                }
            }
          p++;
        }
      else
        {
          gunichar c;
          guint n = decode_utf8 (p, end, &c);

          if (n == 0)
            goto invalid;
          cost = gsm_cost (c);
          if (cost == 0)
            break;
          uneven |= cost != 1;
          p += n;
        }

      units += cost;
    }

  if (p == end)
    {
      out->encoding = TC_SMS_ENCODING_GSM7;
      out->units = units;
      if (units <= TC_SMS_GSM7_SINGLE_UNITS)
        {
          out->segments = units > 0 ? 1 : 0;
          out->last_units = units;
        }
      else if (!uneven)
        {
          /* Every piece is one septet: the segments are full but the last. */
          out->segments = (units + TC_SMS_GSM7_SEGMENT_UNITS - 1) / TC_SMS_GSM7_SEGMENT_UNITS;
          out->last_units = units - (out->segments - 1) * TC_SMS_GSM7_SEGMENT_UNITS;
        }
      else
        {
          pack_gsm_quickly (start, end, &out->segments, &out->last_units);
        }
      return TRUE;
    }

  /* UCS-2: start again from the beginning, counting UTF-16 units, packing
   * 67-unit segments by code point, and noting whether a character may join
   * a cluster (then only ICU knows where the segments end). */
  init_join_bmp ();
  units = 0;
  segments = 1;
  fill = 0;
  p = start;
  while (p < end)
    {
      guint cost = 1;

      if (*p < 0x80)
        {
          if (G_UNLIKELY (*p == 0))
            goto invalid;
          if (*p == '\r' && p + 1 < end && p[1] == '\n')
            {
              cost = 2;
              p++;
            }
          p++;
        }
      else
        {
          gunichar c;
          guint n = decode_utf8 (p, end, &c);

          if (n == 0)
            goto invalid;
          if (c > 0xFFFF)
            {
              cost = 2;
              may_join |= may_join_cluster (c);
            }
          else if (c >= 0x300)
            {
              may_join |= bmp_may_join (c);
            }
          p += n;
        }

      if (fill + cost > TC_SMS_UCS2_SEGMENT_UNITS)
        {
          segments++;
          fill = 0;
        }
      fill += cost;
      units += cost;
    }

  out->encoding = TC_SMS_ENCODING_UCS2;
  out->units = units;
  if (units <= TC_SMS_UCS2_SINGLE_UNITS)
    {
      out->segments = 1;
      out->last_units = units;
    }
  else if (!may_join)
    {
      out->segments = segments;
      out->last_units = fill;
    }
  else
    {
      pack_ucs2_at_boundaries (start, (gsize) len, &out->segments, &out->last_units);
    }

  return TRUE;

invalid:
  memset (out, 0, sizeof *out);
  return FALSE;
}

/**
 * tc_sms_chars_left:
 * @count: a count from tc_sms_count()
 *
 * How many units (septets for GSM-7, UTF-16 units for UCS-2) can still be
 * typed before the text needs another segment, for the editor's counter.
 * An extension character such as `€` takes two of them, an emoji usually
 * two; a character outside GSM-7 typed into a GSM-7 text changes the
 * encoding, and with it this figure.
 *
 * Returns: the units left in the last segment (160 for an empty text)
 */
guint
tc_sms_chars_left (const TcSmsCount *count)
{
  gboolean gsm;
  guint capacity;
  guint used;

  g_return_val_if_fail (count != NULL, 0);

  gsm = count->encoding == TC_SMS_ENCODING_GSM7;
  if (count->segments <= 1)
    {
      capacity = gsm ? TC_SMS_GSM7_SINGLE_UNITS : TC_SMS_UCS2_SINGLE_UNITS;
      used = count->units;
    }
  else
    {
      capacity = gsm ? TC_SMS_GSM7_SEGMENT_UNITS : TC_SMS_UCS2_SEGMENT_UNITS;
      used = count->last_units;
    }

  return used < capacity ? capacity - used : 0;
}

typedef struct
{
  Packer      packer;
  GPtrArray  *non_gsm;
  GHashTable *seen;
} InspectData;

static void
on_cluster_inspect_cb (const guchar *text,
                       gsize         start,
                       gsize         end,
                       gpointer      user_data)
{
  InspectData *data = user_data;
  gboolean all_gsm;
  guint units = cluster_units (text, start, end, &all_gsm);

  pack_ucs2_cluster (&data->packer, text, start, end, units);

  if (!all_gsm)
    {
      g_autofree char *cluster = g_strndup ((const char *) text + start, end - start);

      if (!g_hash_table_contains (data->seen, cluster))
        {
          g_hash_table_add (data->seen, cluster);
          g_ptr_array_add (data->non_gsm, g_steal_pointer (&cluster));
        }
    }
}

static TcSmsInfo *
sms_info_new (void)
{
  TcSmsInfo *info = g_new0 (TcSmsInfo, 1);

  info->per_segment_units = g_array_new (FALSE, FALSE, sizeof (guint));
  info->segment_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  info->non_gsm = g_ptr_array_new_with_free_func (g_free);

  return info;
}

/**
 * tc_sms_inspect:
 * @text: (array length=len): UTF-8 text
 * @len: length of @text in bytes, or -1 if it is nul-terminated
 *
 * Works out everything about how @text is sent: its encoding, its
 * segments and their sizes, and the characters that forced UCS-2.
 *
 * Returns: (transfer full) (nullable): a new #TcSmsInfo, or %NULL when
 *   @text is not valid UTF-8
 */
TcSmsInfo *
tc_sms_inspect (const char *text,
                gssize      len)
{
  TcSmsCount count;
  TcSmsInfo *info;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  if (!tc_sms_count (text, len, &count))
    return NULL;

  info = sms_info_new ();
  info->encoding = count.encoding;
  info->units = count.units;

  if (count.segments == 0)
    return info;

  if (count.encoding == TC_SMS_ENCODING_GSM7)
    {
      Packer packer;

      packer_init (&packer,
                   count.units <= TC_SMS_GSM7_SINGLE_UNITS ? TC_SMS_GSM7_SINGLE_UNITS
                                                           : TC_SMS_GSM7_SEGMENT_UNITS,
                   info->per_segment_units, info->segment_starts);
      pack_gsm ((const guchar *) text, (gsize) len, &packer);
      packer_finish (&packer);
      info->segments = packer.segments;
    }
  else
    {
      InspectData data;

      packer_init (&data.packer,
                   count.units <= TC_SMS_UCS2_SINGLE_UNITS ? TC_SMS_UCS2_SINGLE_UNITS
                                                           : TC_SMS_UCS2_SEGMENT_UNITS,
                   info->per_segment_units, info->segment_starts);
      data.non_gsm = info->non_gsm;
      data.seen = g_hash_table_new (g_str_hash, g_str_equal);
      foreach_cluster ((const guchar *) text, (gsize) len, on_cluster_inspect_cb, &data);
      packer_finish (&data.packer);
      info->segments = data.packer.segments;
      g_hash_table_unref (data.seen);
    }

  return info;
}

/**
 * tc_sms_info_copy:
 * @info: a #TcSmsInfo
 *
 * Returns: (transfer full): a deep copy of @info
 */
TcSmsInfo *
tc_sms_info_copy (const TcSmsInfo *info)
{
  TcSmsInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = sms_info_new ();
  copy->encoding = info->encoding;
  copy->segments = info->segments;
  copy->units = info->units;
  g_array_append_vals (copy->per_segment_units, info->per_segment_units->data,
                       info->per_segment_units->len);
  g_array_append_vals (copy->segment_starts, info->segment_starts->data,
                       info->segment_starts->len);
  for (guint i = 0; i < info->non_gsm->len; i++)
    g_ptr_array_add (copy->non_gsm, g_strdup (g_ptr_array_index (info->non_gsm, i)));

  return copy;
}

/**
 * tc_sms_info_free:
 * @info: (transfer full) (nullable): a #TcSmsInfo
 *
 * Frees @info and everything it holds.
 */
void
tc_sms_info_free (TcSmsInfo *info)
{
  if (info == NULL)
    return;

  g_array_unref (info->per_segment_units);
  g_array_unref (info->segment_starts);
  g_ptr_array_unref (info->non_gsm);
  g_free (info);
}

static void
on_cluster_find_cb (const guchar *text,
                    gsize         start,
                    gsize         end,
                    gpointer      user_data)
{
  GArray *ranges = user_data;
  gboolean all_gsm;

  cluster_units (text, start, end, &all_gsm);
  if (!all_gsm)
    {
      TcSmsRange range = { (guint) start, (guint) end };

      g_array_append_val (ranges, range);
    }
}

/**
 * tc_sms_find_non_gsm:
 * @text: (array length=len): UTF-8 text
 * @len: length of @text in bytes, or -1 if it is nul-terminated
 *
 * Finds every user-perceived character of @text that is (or holds
 * something) outside GSM-7, for the editor to highlight.
 *
 * Returns: (transfer full) (element-type TcSmsRange) (nullable): the byte
 *   ranges of those characters, in order (empty for a GSM-7 text), or %NULL
 *   when @text is not valid UTF-8
 */
GArray *
tc_sms_find_non_gsm (const char *text,
                     gssize      len)
{
  TcSmsCount count;
  GArray *ranges;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  if (!tc_sms_count (text, len, &count))
    return NULL;

  ranges = g_array_new (FALSE, FALSE, sizeof (TcSmsRange));
  if (count.encoding == TC_SMS_ENCODING_UCS2)
    foreach_cluster ((const guchar *) text, (gsize) len, on_cluster_find_cb, ranges);

  return ranges;
}

/* Smart replacements: characters outside GSM-7 that have a faithful GSM-7
 * spelling. Sorted by code point for bsearch. Letters with accents that
 * GSM-7 lacks (á â ç ê ő …) are not listed: they lose their accent through
 * their canonical decomposition (see char_replacement()), while those GSM-7
 * has (é è ù ì ò à ä ö ü ñ Ç É Ä Ö Ñ Ü Å å) are never replaced. */
typedef struct
{
  gunichar    c;
  const char *replacement;
} Replacement;

static const Replacement replacements[] = {
  { 0x0009, " " },     /* character tabulation */
  { 0x0060, "'" },     /* grave accent, used as a quote */
  { 0x00A0, " " },     /* no-break space */
  { 0x00A9, "(C)" },   /* © */
  { 0x00AB, "\"" },    /* « */
  { 0x00AD, "" },      /* soft hyphen */
  { 0x00AE, "(R)" },   /* ® */
  { 0x00B4, "'" },     /* acute accent, used as an apostrophe */
  { 0x00BB, "\"" },    /* » */
  { 0x0110, "D" },     /* Đ */
  { 0x0111, "d" },     /* đ */
  { 0x0131, "i" },     /* ı */
  { 0x0141, "L" },     /* Ł */
  { 0x0142, "l" },     /* ł */
  { 0x0152, "OE" },    /* Œ */
  { 0x0153, "oe" },    /* œ */
  { 0x02BC, "'" },     /* modifier letter apostrophe */
  /* Greek capitals that look like Latin ones (GSM-7 has the others). */
  { 0x0391, "A" },
  { 0x0392, "B" },
  { 0x0395, "E" },
  { 0x0396, "Z" },
  { 0x0397, "H" },
  { 0x0399, "I" },
  { 0x039A, "K" },
  { 0x039C, "M" },
  { 0x039D, "N" },
  { 0x039F, "O" },
  { 0x03A1, "P" },
  { 0x03A4, "T" },
  { 0x03A5, "Y" },
  { 0x03A7, "X" },
  { 0x2000, " " },     /* en quad … hair space */
  { 0x2001, " " },
  { 0x2002, " " },
  { 0x2003, " " },
  { 0x2004, " " },
  { 0x2005, " " },
  { 0x2006, " " },
  { 0x2007, " " },
  { 0x2008, " " },
  { 0x2009, " " },
  { 0x200A, " " },
  { 0x200B, "" },      /* zero width space */
  { 0x200C, "" },      /* zero width non-joiner */
  { 0x200D, "" },      /* zero width joiner */
  { 0x200E, "" },      /* left-to-right mark */
  { 0x200F, "" },      /* right-to-left mark */
  { 0x2010, "-" },     /* hyphen */
  { 0x2011, "-" },     /* non-breaking hyphen */
  { 0x2012, "-" },     /* figure dash */
  { 0x2013, "-" },     /* en dash */
  { 0x2014, "-" },     /* em dash */
  { 0x2015, "-" },     /* horizontal bar */
  { 0x2018, "'" },     /* ‘ */
  { 0x2019, "'" },     /* ’ */
  { 0x201A, "'" },     /* ‚ */
  { 0x201B, "'" },     /* ‛ */
  { 0x201C, "\"" },    /* “ */
  { 0x201D, "\"" },    /* ” */
  { 0x201E, "\"" },    /* „ */
  { 0x201F, "\"" },    /* ‟ */
  { 0x2022, "-" },     /* • */
  { 0x2023, "-" },     /* ‣ */
  { 0x2026, "..." },   /* … */
  { 0x2028, "\n" },    /* line separator */
  { 0x2029, "\n" },    /* paragraph separator */
  { 0x202F, " " },     /* narrow no-break space */
  { 0x2032, "'" },     /* ′ */
  { 0x2033, "\"" },    /* ″ */
  { 0x2039, "'" },     /* ‹ */
  { 0x203A, "'" },     /* › */
  { 0x2043, "-" },     /* ⁃ */
  { 0x2044, "/" },     /* fraction slash */
  { 0x205F, " " },     /* medium mathematical space */
  { 0x2060, "" },      /* word joiner */
  { 0x2122, "TM" },    /* ™ */
  { 0x2212, "-" },     /* minus sign */
  { 0x3000, " " },     /* ideographic space */
  { 0xFE0E, "" },      /* variation selectors: text and emoji style */
  { 0xFE0F, "" },
  { 0xFEFF, "" },      /* zero width no-break space, byte order mark */
};

static int
compare_replacement (const void *key,
                     const void *element)
{
  gunichar c = *(const gunichar *) key;
  const Replacement *replacement = element;

  return c < replacement->c ? -1 : c > replacement->c ? 1 : 0;
}

static const char *
table_replacement (gunichar c)
{
  const Replacement *found = bsearch (&c, replacements, G_N_ELEMENTS (replacements),
                                      sizeof replacements[0], compare_replacement);

  return found != NULL ? found->replacement : NULL;
}

/* Appends the GSM-7 spelling of @c to @out; FALSE when it has none. */
static gboolean
char_replacement (gunichar  c,
                  GString  *out)
{
  const char *mapped;
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  if (gsm_cost (c) > 0)
    {
      g_string_append_unichar (out, c);
      return TRUE;
    }

  if ((mapped = table_replacement (c)) != NULL)
    {
      g_string_append (out, mapped);
      return TRUE;
    }

  /* A letter with accents GSM-7 lacks: its base letter, e.g. á → a, ç → c,
   * ệ → e, Ά → A (through the Greek table). */
  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  if (n > 1)
    {
      for (gsize i = 1; i < n; i++)
        if (g_unichar_type (decomposed[i]) != G_UNICODE_NON_SPACING_MARK)
          return FALSE;

      if (gsm_cost (decomposed[0]) > 0)
        {
          g_string_append_unichar (out, decomposed[0]);
          return TRUE;
        }
      if ((mapped = table_replacement (decomposed[0])) != NULL)
        {
          g_string_append (out, mapped);
          return TRUE;
        }
      return FALSE;
    }

  /* A combining accent GSM-7 cannot show is dropped, keeping its letter. */
  if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
    return TRUE;

  return FALSE;
}

/* The GSM-7 spelling of a user-perceived character, or NULL. The composed
 * form comes first, so that e + U+0301 becomes é (which GSM-7 has) rather
 * than e. */
static char *
cluster_replacement (const char *cluster,
                     gsize       len)
{
  g_autofree char *composed = g_utf8_normalize (cluster, (gssize) len, G_NORMALIZE_NFC);
  g_autoptr(GString) out = NULL;

  if (composed == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    if (!char_replacement (g_utf8_get_char (p), out))
      return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * tc_sms_suggestion_free:
 * @suggestion: (transfer full) (nullable): a #TcSmsSuggestion
 *
 * Frees @suggestion.
 */
void
tc_sms_suggestion_free (TcSmsSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;

  g_free (suggestion->character);
  g_free (suggestion->replacement);
  g_free (suggestion);
}

typedef struct
{
  GPtrArray  *suggestions;
  GHashTable *index;       /* cluster → TcSmsSuggestion, borrowed */
} SuggestData;

static void
on_cluster_suggest_cb (const guchar *text,
                       gsize         start,
                       gsize         end,
                       gpointer      user_data)
{
  SuggestData *data = user_data;
  g_autofree char *cluster = NULL;
  TcSmsSuggestion *suggestion;
  gboolean all_gsm;

  cluster_units (text, start, end, &all_gsm);
  if (all_gsm)
    return;

  cluster = g_strndup ((const char *) text + start, end - start);
  suggestion = g_hash_table_lookup (data->index, cluster);
  if (suggestion == NULL)
    {
      suggestion = g_new0 (TcSmsSuggestion, 1);
      suggestion->replacement = cluster_replacement (cluster, end - start);
      suggestion->character = g_steal_pointer (&cluster);
      g_ptr_array_add (data->suggestions, suggestion);
      g_hash_table_insert (data->index, suggestion->character, suggestion);
    }
  suggestion->count++;
}

/**
 * tc_sms_suggest_replacements:
 * @text: (array length=len): UTF-8 text
 * @len: length of @text in bytes, or -1 if it is nul-terminated
 *
 * Lists each user-perceived character of @text outside GSM-7 (in order of
 * first appearance), how often it occurs, and its GSM-7 replacement when
 * there is one: curly quotes become straight ones, long dashes and bullets
 * a hyphen, `…` three dots, unusual spaces a space, invisible characters
 * nothing, letters with an accent GSM-7 lacks the bare letter.
 *
 * Returns: (transfer full) (element-type TcSmsSuggestion) (nullable): the
 *   suggestions (empty for a GSM-7 text), or %NULL when @text is not valid
 *   UTF-8
 */
GPtrArray *
tc_sms_suggest_replacements (const char *text,
                             gssize      len)
{
  TcSmsCount count;
  SuggestData data;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  if (!tc_sms_count (text, len, &count))
    return NULL;

  data.suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_sms_suggestion_free);
  if (count.encoding == TC_SMS_ENCODING_UCS2)
    {
      data.index = g_hash_table_new (g_str_hash, g_str_equal);
      foreach_cluster ((const guchar *) text, (gsize) len, on_cluster_suggest_cb, &data);
      g_hash_table_unref (data.index);
    }

  return data.suggestions;
}

typedef struct
{
  GString    *out;
  GHashTable *cache;       /* cluster → replacement (NULL: none), owned */
  guint       n_replaced;
} ApplyData;

static void
on_cluster_apply_cb (const guchar *text,
                     gsize         start,
                     gsize         end,
                     gpointer      user_data)
{
  ApplyData *data = user_data;
  g_autofree char *cluster = NULL;
  const char *replacement;
  gpointer value;
  gboolean all_gsm;

  cluster_units (text, start, end, &all_gsm);
  if (all_gsm)
    {
      g_string_append_len (data->out, (const char *) text + start, (gssize) (end - start));
      return;
    }

  cluster = g_strndup ((const char *) text + start, end - start);
  if (g_hash_table_lookup_extended (data->cache, cluster, NULL, &value))
    {
      replacement = value;
    }
  else
    {
      char *computed = cluster_replacement (cluster, end - start);

      g_hash_table_insert (data->cache, g_steal_pointer (&cluster), computed);
      replacement = computed;
    }

  if (replacement != NULL)
    {
      g_string_append (data->out, replacement);
      data->n_replaced++;
    }
  else
    {
      g_string_append_len (data->out, (const char *) text + start, (gssize) (end - start));
    }
}

/**
 * tc_sms_apply_replacements:
 * @text: (array length=len): UTF-8 text
 * @len: length of @text in bytes, or -1 if it is nul-terminated
 * @before: (out caller-allocates) (optional): the count of @text
 * @after: (out caller-allocates) (optional): the count of the result
 * @n_replaced: (out) (optional): how many characters were replaced or
 *   removed
 *
 * Replaces every character of tc_sms_suggest_replacements() that has a
 * replacement; those without one stay. The counts let the editor say
 * "Replace 3 characters to save 2 segments" — or find that it would save
 * nothing, when something without a replacement keeps the text in UCS-2.
 *
 * Returns: (transfer full) (nullable): the new text, or %NULL when @text is
 *   not valid UTF-8
 */
char *
tc_sms_apply_replacements (const char *text,
                           gssize      len,
                           TcSmsCount *before,
                           TcSmsCount *after,
                           guint      *n_replaced)
{
  TcSmsCount count;
  ApplyData data;
  char *result;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  if (!tc_sms_count (text, len, &count))
    return NULL;

  data.out = g_string_sized_new ((gsize) len + 1);
  data.n_replaced = 0;
  if (count.encoding == TC_SMS_ENCODING_UCS2)
    {
      data.cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      foreach_cluster ((const guchar *) text, (gsize) len, on_cluster_apply_cb, &data);
      g_hash_table_unref (data.cache);
    }
  else
    {
      g_string_append_len (data.out, text, len);
    }

  if (before != NULL)
    *before = count;
  if (after != NULL)
    tc_sms_count (data.out->str, (gssize) data.out->len, after);
  if (n_replaced != NULL)
    *n_replaced = data.n_replaced;

  result = g_string_free (data.out, FALSE);
  return result;
}
