/* tc-phone.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone numbers: a C face on libphonenumber (tc-phone.cc), plus time zones
 * derived from tzdata and the geocoder (libphonenumber in Debian has no
 * time-zone mapper). Every function is safe to call from any thread.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_PHONE_ERROR (tc_phone_error_quark ())

/**
 * TcPhoneError:
 * @TC_PHONE_ERROR_NOT_A_NUMBER: the text is not a phone number at all
 * @TC_PHONE_ERROR_INVALID_COUNTRY_CODE: unknown country calling code, or no
 *   `+` and no (valid) default region
 * @TC_PHONE_ERROR_TOO_SHORT: too few digits
 * @TC_PHONE_ERROR_TOO_LONG: too many digits
 * @TC_PHONE_ERROR_INVALID_FOR_REGION: the right length but no such number in
 *   that country (unassigned range)
 * @TC_PHONE_ERROR_INVALID_REGION: the default region given is not a known
 *   ISO 3166-1 code
 */
typedef enum
{
  TC_PHONE_ERROR_NOT_A_NUMBER,
  TC_PHONE_ERROR_INVALID_COUNTRY_CODE,
  TC_PHONE_ERROR_TOO_SHORT,
  TC_PHONE_ERROR_TOO_LONG,
  TC_PHONE_ERROR_INVALID_FOR_REGION,
  TC_PHONE_ERROR_INVALID_REGION,
} TcPhoneError;

GQuark tc_phone_error_quark (void);

typedef enum
{
  TC_PHONE_TYPE_UNKNOWN,
  TC_PHONE_TYPE_FIXED_LINE,
  TC_PHONE_TYPE_MOBILE,
  TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE,
  TC_PHONE_TYPE_TOLL_FREE,
  TC_PHONE_TYPE_PREMIUM_RATE,
  TC_PHONE_TYPE_SHARED_COST,
  TC_PHONE_TYPE_VOIP,
  TC_PHONE_TYPE_PERSONAL_NUMBER,
  TC_PHONE_TYPE_PAGER,
  TC_PHONE_TYPE_UAN,
  TC_PHONE_TYPE_VOICEMAIL,
} TcPhoneType;

typedef enum
{
  TC_PHONE_PARSE_DEFAULT   = 0,       /* e164 and region only: the fast path */
  TC_PHONE_PARSE_TYPE      = 1 << 0,
  TC_PHONE_PARSE_LOCATION  = 1 << 1,  /* geocoder description (English) */
  TC_PHONE_PARSE_TIMEZONES = 1 << 2,
  TC_PHONE_PARSE_ALL       = 0x7,
} TcPhoneParseFlags;

typedef struct
{
  char        *e164;       /* "+14155552671" */
  char        *region;     /* "US"; "001" for non-geographic numbers */
  TcPhoneType  type;       /* UNKNOWN unless TC_PHONE_PARSE_TYPE */
  char        *location;   /* NULL unless TC_PHONE_PARSE_LOCATION and known */
  char       **timezones;  /* NULL unless TC_PHONE_PARSE_TIMEZONES; else
                            * NULL-terminated, possibly empty, sorted */
} TcPhoneInfo;

/* Parses a human-written number ("(415) 555-2671", "0044 20 7946 0958",
 * "+49 30 901820") with @default_region (ISO code, may be NULL when the
 * number starts with + or 00) and validates it. Returns NULL with a
 * TC_PHONE_ERROR saying why it was rejected. */
TcPhoneInfo *tc_phone_parse           (const char        *input,
                                       const char        *default_region,
                                       TcPhoneParseFlags  flags,
                                       GError           **error);
void         tc_phone_info_free       (TcPhoneInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcPhoneInfo, tc_phone_info_free)

/* Shorthand: the E.164 form, or NULL with an error. */
char        *tc_phone_normalize       (const char        *input,
                                       const char        *default_region,
                                       GError           **error) G_GNUC_WARN_UNUSED_RESULT;

/* The number as people read it internationally ("+1 650-253-0000",
 * "+44 20 7946 0958"), for display. @e164 should be E.164; anything that
 * does not parse is returned unchanged. Returns: (transfer full) */
char        *tc_phone_format_international (const char  *e164) G_GNUC_WARN_UNUSED_RESULT;

/* "MOBILE", "FIXED_LINE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "VOIP", … */
const char  *tc_phone_type_to_string  (TcPhoneType        type);

/* TRUE if @region is an ISO 3166-1 alpha-2 code libphonenumber knows. */
gboolean     tc_phone_region_is_valid (const char        *region);

/* The IANA time zones of @region (from tzdata's zone1970.tab), narrowed by
 * the geocoder's @location (may be NULL) for countries spanning several
 * zones. Returns: (transfer full): NULL-terminated, sorted, possibly empty. */
char       **tc_phone_timezones_for   (const char        *region,
                                       const char        *location);

/* The US state or Canadian province code ("FL", "ON", "DC") that the
 * geocoder's @location ("Florida", "Miami, FL", "Ontario", "Toronto, ON",
 * "Washington D.C.") names, for @region "US" or "CA"; NULL for other
 * regions, for a location that names no single state or province
 * ("United States", "Nova Scotia/Prince Edward Island"), or NULL input.
 * Returns: (transfer full) (nullable) */
char        *tc_phone_subdivision     (const char        *region,
                                       const char        *location) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
