/* tc-sms.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SMS encoding and segments: which alphabet a text needs (GSM 03.38 7-bit
 * or UCS-2), how many segments it costs and where they split, the
 * characters that forced UCS-2, and the GSM-7 replacements that would avoid
 * it. Pure functions, safe to call from any thread.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Units per segment: septets for GSM-7, UTF-16 code units for UCS-2. A text
 * that fits one message has the whole 140 bytes; a concatenated one loses
 * 6 bytes of each segment to the user data header. */
#define TC_SMS_GSM7_SINGLE_UNITS  160
#define TC_SMS_GSM7_SEGMENT_UNITS 153
#define TC_SMS_UCS2_SINGLE_UNITS  70
#define TC_SMS_UCS2_SEGMENT_UNITS 67

/**
 * TcSmsEncoding:
 * @TC_SMS_ENCODING_GSM7: the GSM 03.38 default alphabet and its extension
 *   table, one septet per character (two for `^ { } \ [ ~ ] | €` and form
 *   feed, which need an escape)
 * @TC_SMS_ENCODING_UCS2: UTF-16, one unit per character (two outside the
 *   Basic Multilingual Plane); used as soon as one character is outside
 *   GSM-7
 *
 * The alphabet a message is sent in.
 */
typedef enum
{
  TC_SMS_ENCODING_GSM7,
  TC_SMS_ENCODING_UCS2,
} TcSmsEncoding;

#define TC_TYPE_SMS_ENCODING (tc_sms_encoding_get_type ())
GType        tc_sms_encoding_get_type   (void) G_GNUC_CONST;
const char  *tc_sms_encoding_to_string  (TcSmsEncoding encoding);

/**
 * TcSmsCount:
 * @encoding: the alphabet the text needs
 * @segments: how many SMS the text costs; 0 for an empty text
 * @units: septets (GSM-7) or UTF-16 code units (UCS-2) in the whole text
 * @last_units: units in the last segment (equal to @units for a single one)
 *
 * The result of tc_sms_count(): plain values, nothing to free.
 */
typedef struct
{
  TcSmsEncoding encoding;
  guint         segments;
  guint         units;
  guint         last_units;
} TcSmsCount;

gboolean     tc_sms_count               (const char       *text,
                                         gssize            len,
                                         TcSmsCount       *out);
guint        tc_sms_chars_left          (const TcSmsCount *count);

/**
 * TcSmsInfo:
 * @encoding: the alphabet the text needs
 * @segments: how many SMS the text costs; 0 for an empty text
 * @units: septets (GSM-7) or UTF-16 code units (UCS-2) in the whole text
 * @per_segment_units: (element-type guint): the units in each segment, in
 *   order; as many elements as @segments
 * @segment_starts: (element-type guint): the byte offset in the text where
 *   each segment starts; as many elements as @segments
 * @non_gsm: (element-type utf8): the user-perceived characters (grapheme
 *   clusters, e.g. a whole flag or family emoji) that contain something
 *   outside GSM-7, each once, in order of first appearance; empty for GSM-7
 *
 * Everything about how a text is sent, from tc_sms_inspect().
 */
typedef struct
{
  TcSmsEncoding  encoding;
  guint          segments;
  guint          units;
  GArray        *per_segment_units;
  GArray        *segment_starts;
  GPtrArray     *non_gsm;
} TcSmsInfo;

#define TC_TYPE_SMS_INFO (tc_sms_info_get_type ())
GType        tc_sms_info_get_type       (void) G_GNUC_CONST;
TcSmsInfo   *tc_sms_inspect             (const char       *text,
                                         gssize            len) G_GNUC_WARN_UNUSED_RESULT;
TcSmsInfo   *tc_sms_info_copy           (const TcSmsInfo  *info) G_GNUC_WARN_UNUSED_RESULT;
void         tc_sms_info_free           (TcSmsInfo        *info);

/**
 * TcSmsRange:
 * @start: byte offset of the first byte
 * @end: byte offset just past the last byte
 *
 * A span of a UTF-8 text, in bytes.
 */
typedef struct
{
  guint start;
  guint end;
} TcSmsRange;

GArray      *tc_sms_find_non_gsm        (const char       *text,
                                         gssize            len) G_GNUC_WARN_UNUSED_RESULT;

/**
 * TcSmsSuggestion:
 * @character: a user-perceived character outside GSM-7, as UTF-8
 * @replacement: (nullable): the GSM-7 text that would replace it (`""`
 *   when it would simply be removed, e.g. a zero-width space), or %NULL
 *   when there is none (emoji, CJK, …) and it stays
 * @count: how many times it occurs in the text
 *
 * One entry of tc_sms_suggest_replacements().
 */
typedef struct
{
  char  *character;
  char  *replacement;
  guint  count;
} TcSmsSuggestion;

void         tc_sms_suggestion_free     (TcSmsSuggestion  *suggestion);
GPtrArray   *tc_sms_suggest_replacements (const char      *text,
                                          gssize           len) G_GNUC_WARN_UNUSED_RESULT;
char        *tc_sms_apply_replacements  (const char       *text,
                                         gssize            len,
                                         TcSmsCount       *before,
                                         TcSmsCount       *after,
                                         guint            *n_replaced) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSmsInfo, tc_sms_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSmsSuggestion, tc_sms_suggestion_free)

G_END_DECLS
