/* tc-phone.cc
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C face of libphonenumber. tc_phone_parse() with TC_PHONE_PARSE_DEFAULT
 * is the hot loop of a contact import (a million rows on two threads), so that
 * path does only what it must: one Parse(), one region lookup, one validity
 * check and the E.164 formatting, with no locks and no geocoder.
 */

#define G_LOG_DOMAIN "tc-phone"

#include "config.h"

#include <cstring>
#include <set>
#include <string>

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "tc-phone.h"
#include "tc-phone-private.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

G_DEFINE_QUARK (tc-phone-error-quark, tc_phone_error)

/* Every ISO region libphonenumber knows, as a 26 × 26 table of flags, so
 * that checking the default region of each row costs two array lookups
 * rather than a map search with a std::string. Filled once, read-only after. */
static gboolean known_regions[26 * 26];

static void
init_known_regions (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      std::set<std::string> regions;

      PhoneNumberUtil::GetInstance ()->GetSupportedRegions (&regions);
      for (const std::string &r : regions)
        {
          if (r.size () == 2 && g_ascii_isupper (r[0]) && g_ascii_isupper (r[1]))
            known_regions[(r[0] - 'A') * 26 + (r[1] - 'A')] = TRUE;
        }
      g_once_init_leave (&initialized, 1);
    }
}

/* Copies @region into @out in upper case ("us" is accepted for "US") and
 * says whether libphonenumber knows it. */
static gboolean
canonical_region (const char *region,
                  char        out[3])
{
  if (region == NULL || region[0] == '\0' || region[1] == '\0' || region[2] != '\0')
    return FALSE;
  if (!g_ascii_isalpha (region[0]) || !g_ascii_isalpha (region[1]))
    return FALSE;

  out[0] = g_ascii_toupper (region[0]);
  out[1] = g_ascii_toupper (region[1]);
  out[2] = '\0';

  init_known_regions ();
  return known_regions[(out[0] - 'A') * 26 + (out[1] - 'A')];
}

/* libphonenumber's geocoder keeps a cache of the prefix maps it has loaded
 * and is not documented as thread-safe, so each thread gets its own: no lock
 * serialises the two import threads, and the maps it loads point into the
 * library's static data, so a second geocoder costs little. A thread's
 * geocoder is deleted when the thread ends. */
static void
delete_geocoder (gpointer data)
{
  delete static_cast<PhoneNumberOfflineGeocoder *> (data);
}

static GPrivate geocoder_key = G_PRIVATE_INIT (delete_geocoder);

static char *
describe_location (const PhoneNumber &number)
{
  static const icu::Locale english ("en");
  PhoneNumberOfflineGeocoder *geocoder;
  std::string description;

  geocoder = static_cast<PhoneNumberOfflineGeocoder *> (g_private_get (&geocoder_key));
  if (geocoder == NULL)
    {
      geocoder = new PhoneNumberOfflineGeocoder ();
      g_private_set (&geocoder_key, geocoder);
    }

  description = geocoder->GetDescriptionForValidNumber (number, english);
  if (description.empty ())
    return NULL;

  return g_strndup (description.data (), description.size ());
}

/* "the United States", "Germany", … for messages; falls back to the
 * calling code for numbers that belong to no single region. */
static std::string
region_display_name (const std::string &region,
                     int                country_code)
{
  if (region.size () == 2 && region != "ZZ")
    {
      icu::UnicodeString name;
      std::string utf8;

      icu::Locale ("", region.c_str ()).getDisplayCountry (icu::Locale ("en"), name);
      name.toUTF8String (utf8);
      if (!utf8.empty () && utf8 != region)
        return utf8;
      return region;
    }

  return "country code +" + std::to_string (country_code);
}

static TcPhoneType
map_type (PhoneNumberUtil::PhoneNumberType type)
{
  switch (type)
    {
    case PhoneNumberUtil::FIXED_LINE:
      return TC_PHONE_TYPE_FIXED_LINE;
    case PhoneNumberUtil::MOBILE:
      return TC_PHONE_TYPE_MOBILE;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE;
    case PhoneNumberUtil::TOLL_FREE:
      return TC_PHONE_TYPE_TOLL_FREE;
    case PhoneNumberUtil::PREMIUM_RATE:
      return TC_PHONE_TYPE_PREMIUM_RATE;
    case PhoneNumberUtil::SHARED_COST:
      return TC_PHONE_TYPE_SHARED_COST;
    case PhoneNumberUtil::VOIP:
      return TC_PHONE_TYPE_VOIP;
    case PhoneNumberUtil::PERSONAL_NUMBER:
      return TC_PHONE_TYPE_PERSONAL_NUMBER;
    case PhoneNumberUtil::PAGER:
      return TC_PHONE_TYPE_PAGER;
    case PhoneNumberUtil::UAN:
      return TC_PHONE_TYPE_UAN;
    case PhoneNumberUtil::VOICEMAIL:
      return TC_PHONE_TYPE_VOICEMAIL;
    case PhoneNumberUtil::UNKNOWN:
    default:
      return TC_PHONE_TYPE_UNKNOWN;
    }
}

/* Says why a number that parsed is still not valid. */
static void
set_invalid_error (const PhoneNumberUtil *util,
                   const PhoneNumber     &number,
                   const std::string     &region,
                   const char            *input,
                   GError               **error)
{
  if (error == NULL)
    return;

  switch (util->IsPossibleNumberWithReason (number))
    {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_COUNTRY_CODE,
                   "“%s” has an unknown country calling code", input);
      break;

    case PhoneNumberUtil::TOO_SHORT:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_SHORT,
                   "“%s” is too short to be a phone number", input);
      break;

    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      /* Dialable only inside its own area ("253 0000" in the US): as a
       * number to send to, it lacks digits. */
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_SHORT,
                   "“%s” is too short to be a phone number",
                   input);
      break;

    case PhoneNumberUtil::TOO_LONG:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_LONG,
                   "“%s” is too long to be a phone number", input);
      break;

    case PhoneNumberUtil::INVALID_LENGTH:
      /* Between the shortest and the longest numbers of the country but
       * matching none of its lengths: neither "too short" nor "too long"
       * would be true, so it is a number that does not exist there. */
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_FOR_REGION,
                   "“%s” has the wrong number of digits for a phone number in %s",
                   input, region_display_name (region, number.country_code ()).c_str ());
      break;

    case PhoneNumberUtil::IS_POSSIBLE:
    default:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_FOR_REGION,
                   "“%s” is not a valid phone number in %s",
                   input, region_display_name (region, number.country_code ()).c_str ());
      break;
    }
}

/* @knows_country: whether the text or a default region says which country
 * is meant, i.e. whether an unknown calling code is the problem rather than
 * a missing one. */
static void
set_parse_error (PhoneNumberUtil::ErrorType  parse_error,
                 gboolean                    knows_country,
                 const char                 *input,
                 GError                    **error)
{
  switch (parse_error)
    {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (knows_country)
        g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_COUNTRY_CODE,
                     "“%s” has an unknown country calling code", input);
      else
        g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_COUNTRY_CODE,
                     "“%s” has no country code: write it with + and the country code, "
                     "or choose a default country", input);
      break;

    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_SHORT,
                   "“%s” is too short to be a phone number", input);
      break;

    case PhoneNumberUtil::TOO_LONG_NSN:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_LONG,
                   "“%s” is too long to be a phone number", input);
      break;

    case PhoneNumberUtil::NOT_A_NUMBER:
    case PhoneNumberUtil::NO_PARSING_ERROR:
    default:
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_NOT_A_NUMBER,
                   "“%s” is not a phone number", input);
      break;
    }
}

/* Skips leading blanks; returns the text after "00" if it starts so. */
static const char *
after_double_zero (const char *text)
{
  while (*text == ' ' || *text == '\t')
    text++;

  return text[0] == '0' && text[1] == '0' ? text + 2 : NULL;
}

/* Parses "+" followed by @digits_after_plus, with no default region. */
static PhoneNumberUtil::ErrorType
parse_with_plus (const PhoneNumberUtil *util,
                 const char            *digits_after_plus,
                 PhoneNumber           *number)
{
  std::string with_plus;

  with_plus.reserve (strlen (digits_after_plus) + 1);
  with_plus += '+';
  with_plus += digits_after_plus;

  return util->Parse (with_plus, "ZZ", number);
}

/* IsValidNumber() is GetRegionCodeForNumber() + IsValidNumberForRegion();
 * calling the two halves keeps the region we need anyway without looking it
 * up twice. */
static gboolean
is_valid (const PhoneNumberUtil *util,
          const PhoneNumber     &number,
          std::string           *region)
{
  util->GetRegionCodeForNumber (number, region);

  return *region != "ZZ" && util->IsValidNumberForRegion (number, *region);
}

/* The value as quoted in messages: whole unless it is very long. */
static std::string
quote_value (const char *input)
{
  const gsize max_bytes = 60;
  const char *end;

  if (strlen (input) <= max_bytes)
    return input;

  end = g_utf8_find_prev_char (input, input + max_bytes);
  return std::string (input, end != NULL ? end - input : 0) + "…";
}

TcPhoneInfo *
tc_phone_parse (const char         *input,
                const char         *default_region,
                TcPhoneParseFlags   flags,
                GError            **error)
{
  const PhoneNumberUtil *util;
  PhoneNumber number;
  PhoneNumberUtil::ErrorType parse_error;
  std::string region;
  std::string e164;
  char region_buf[3] = "ZZ";
  gboolean have_region = FALSE;
  const char *international;
  TcPhoneInfo *info;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (default_region != NULL && default_region[0] != '\0')
    {
      if (!canonical_region (default_region, region_buf))
        {
          g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_INVALID_REGION,
                       "“%s” is not a known country code for the default region "
                       "(use a two-letter code such as “US” or “DE”)", default_region);
          return NULL;
        }
      have_region = TRUE;
    }

  /* libphonenumber walks the text as UTF-8; anything else is not a number. */
  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_NOT_A_NUMBER,
                   "The text is not a phone number (it is not valid UTF-8)");
      return NULL;
    }

  util = PhoneNumberUtil::GetInstance ();

  /* "00" is the international prefix almost everywhere outside North
   * America and how people write foreign numbers in spreadsheets. Without a
   * default region libphonenumber only understands "+", so "00" becomes
   * "+"; with one, libphonenumber applies that country's own prefix first,
   * and "00" is tried as "+" only if that gives no valid number (in the US,
   * "0044 20 7946 0958" can only mean London). */
  international = after_double_zero (input);
  if (!have_region && international != NULL)
    parse_error = parse_with_plus (util, international, &number);
  else
    parse_error = util->Parse (input, region_buf, &number);

  if (parse_error != PhoneNumberUtil::NO_PARSING_ERROR || !is_valid (util, number, &region))
    {
      PhoneNumber retry;
      std::string retry_region;

      if (have_region && international != NULL &&
          parse_with_plus (util, international, &retry) == PhoneNumberUtil::NO_PARSING_ERROR &&
          is_valid (util, retry, &retry_region))
        {
          number.Swap (&retry);
          region.swap (retry_region);
        }
      else if (parse_error != PhoneNumberUtil::NO_PARSING_ERROR)
        {
          if (error != NULL)
            set_parse_error (parse_error,
                             have_region || international != NULL || strchr (input, '+') != NULL,
                             quote_value (input).c_str (), error);
          return NULL;
        }
      else
        {
          if (error != NULL)
            set_invalid_error (util, number, region, quote_value (input).c_str (), error);
          return NULL;
        }
    }

  util->Format (number, PhoneNumberUtil::E164, &e164);

  info = g_new0 (TcPhoneInfo, 1);
  info->e164 = g_strndup (e164.data (), e164.size ());
  info->region = g_strndup (region.data (), region.size ());
  info->type = TC_PHONE_TYPE_UNKNOWN;

  if (flags & TC_PHONE_PARSE_TYPE)
    info->type = map_type (util->GetNumberType (number));

  if (flags & TC_PHONE_PARSE_LOCATION)
    info->location = describe_location (number);

  if (flags & TC_PHONE_PARSE_TIMEZONES)
    {
      if (_tc_phone_region_has_several_zones (info->region))
        {
          g_autofree char *location = NULL;
          std::string nsn;
          const char *where = info->location;

          if (!(flags & TC_PHONE_PARSE_LOCATION))
            where = location = describe_location (number);
          util->GetNationalSignificantNumber (number, &nsn);
          info->timezones = _tc_phone_timezones_for_number (info->region, where, nsn.c_str ());
        }
      else
        info->timezones = tc_phone_timezones_for (info->region, NULL);
    }

  return info;
}

void
tc_phone_info_free (TcPhoneInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->e164);
  g_free (info->region);
  g_free (info->location);
  g_strfreev (info->timezones);
  g_free (info);
}

char *
tc_phone_normalize (const char  *input,
                    const char  *default_region,
                    GError     **error)
{
  TcPhoneInfo *info;
  char *e164;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = tc_phone_parse (input, default_region, TC_PHONE_PARSE_DEFAULT, error);
  if (info == NULL)
    return NULL;

  e164 = g_steal_pointer (&info->e164);
  tc_phone_info_free (info);

  return e164;
}

char *
tc_phone_format_international (const char *e164)
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber number;
  std::string formatted;

  if (e164 == NULL)
    return NULL;

  /* Only canonical E.164 is reformatted: a stored value that is anything
   * else is shown as it is, never "corrected" behind the user's back. */
  if (e164[0] != '+' ||
      util->Parse (e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return g_strdup (e164);

  util->Format (number, PhoneNumberUtil::INTERNATIONAL, &formatted);

  return g_strdup (formatted.c_str ());
}

const char *
tc_phone_type_to_string (TcPhoneType type)
{
  switch (type)
    {
    case TC_PHONE_TYPE_FIXED_LINE:
      return "FIXED_LINE";
    case TC_PHONE_TYPE_MOBILE:
      return "MOBILE";
    case TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE:
      return "FIXED_LINE_OR_MOBILE";
    case TC_PHONE_TYPE_TOLL_FREE:
      return "TOLL_FREE";
    case TC_PHONE_TYPE_PREMIUM_RATE:
      return "PREMIUM_RATE";
    case TC_PHONE_TYPE_SHARED_COST:
      return "SHARED_COST";
    case TC_PHONE_TYPE_VOIP:
      return "VOIP";
    case TC_PHONE_TYPE_PERSONAL_NUMBER:
      return "PERSONAL_NUMBER";
    case TC_PHONE_TYPE_PAGER:
      return "PAGER";
    case TC_PHONE_TYPE_UAN:
      return "UAN";
    case TC_PHONE_TYPE_VOICEMAIL:
      return "VOICEMAIL";
    case TC_PHONE_TYPE_UNKNOWN:
    default:
      return "UNKNOWN";
    }
}

gboolean
tc_phone_region_is_valid (const char *region)
{
  char buf[3];

  return canonical_region (region, buf);
}
