/* test-phone.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone numbers: parsing human-written numbers from around the world, every
 * reason a number is rejected, and the time zones a number can be in. The
 * numbers were checked against Debian 12's libphonenumber 8.12 metadata and
 * its geocoder; the zones against Debian's tzdata.
 */

#define G_LOG_DOMAIN "test-phone"

#include "config.h"

#include <string.h>

#include "tc-phone.h"
#include "tc-phone-private.h"

/* Parsing */

typedef struct
{
  const char  *input;
  const char  *default_region;
  const char  *e164;
  const char  *region;
  TcPhoneType  type;
} ValidCase;

static const ValidCase valid_cases[] = {
  /* United States and Canada: parentheses, dashes, dots, spaces, +1, 1,
   * 011 and 00 prefixes, a tel: URI, an extension. */
  { "(650) 253-0000", "US", "+16502530000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "650.253.0000", "US", "+16502530000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "  +1 212 736 5000  ", "US", "+12127365000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "1-212-736-5000", "US", "+12127365000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "+1 (915) 231-0123", "DE", "+19152310123", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "tel:+1-650-253-0000", "US", "+16502530000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "650 253 0000 ext. 123", "US", "+16502530000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "800-225-5288", "US", "+18002255288", "US", TC_PHONE_TYPE_TOLL_FREE },
  { "+1 900 225 5288", NULL, "+19002255288", "US", TC_PHONE_TYPE_PREMIUM_RATE },
  { "(416) 203-5678", "CA", "+14162035678", "CA", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "604.215.5678", "US", "+16042155678", "CA", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "011 44 20 7946 0958", "US", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  /* "00" is not the US international prefix, but can only mean one here. */
  { "0044 20 7946 0958", "US", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  /* In Australia the prefix is 0011; 00 still works the same way. */
  { "0011 44 20 7946 0958", "AU", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  { "0044 20 7946 0958", "AU", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  /* United Kingdom: national trunk 0, 00 and + prefixes, "(0)". */
  { "020 7946 0958", "GB", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  { "0044 20 7946 0958", "DE", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  { "+44 (0)20 7946 0958", "US", "+442079460958", "GB", TC_PHONE_TYPE_FIXED_LINE },
  { "07400 123456", "GB", "+447400123456", "GB", TC_PHONE_TYPE_MOBILE },
  { "(+44) 7400-123-456", NULL, "+447400123456", "GB", TC_PHONE_TYPE_MOBILE },
  /* Germany. */
  { "030 901820", "DE", "+4930901820", "DE", TC_PHONE_TYPE_FIXED_LINE },
  { "+49 (30) 901820", NULL, "+4930901820", "DE", TC_PHONE_TYPE_FIXED_LINE },
  { "0151/23456789", "DE", "+4915123456789", "DE", TC_PHONE_TYPE_MOBILE },
  { "0049-151-2345-6789", "FR", "+4915123456789", "DE", TC_PHONE_TYPE_MOBILE },
  /* France. */
  { "01 42 68 53 00", "FR", "+33142685300", "FR", TC_PHONE_TYPE_FIXED_LINE },
  { "06.12.34.56.78", "FR", "+33612345678", "FR", TC_PHONE_TYPE_MOBILE },
  { "+33 (0)6 12 34 56 78", NULL, "+33612345678", "FR", TC_PHONE_TYPE_MOBILE },
  /* Spain, Italy (leading zero kept), Netherlands. */
  { "912 34 56 78", "ES", "+34912345678", "ES", TC_PHONE_TYPE_FIXED_LINE },
  { "+34 612-345-678", NULL, "+34612345678", "ES", TC_PHONE_TYPE_MOBILE },
  { "06 4523 1234", "IT", "+390645231234", "IT", TC_PHONE_TYPE_FIXED_LINE },
  /* The Vatican shares Rome's area code: the region says which it is. */
  { "06 6982 1234", "IT", "+390669821234", "VA", TC_PHONE_TYPE_FIXED_LINE },
  { "+39 312 345 6789", NULL, "+393123456789", "IT", TC_PHONE_TYPE_MOBILE },
  { "020 123 4567", "NL", "+31201234567", "NL", TC_PHONE_TYPE_FIXED_LINE },
  { "06-12345678", "NL", "+31612345678", "NL", TC_PHONE_TYPE_MOBILE },
  /* Brazil, Mexico, Argentina. */
  { "(11) 91234-5678", "BR", "+5511912345678", "BR", TC_PHONE_TYPE_MOBILE },
  { "+55 92 2125-6789", NULL, "+559221256789", "BR", TC_PHONE_TYPE_FIXED_LINE },
  { "55 1234 5678", "MX", "+525512345678", "MX", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "+52 (81) 0003-4567", NULL, "+528100034567", "MX", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "+54 261 205-6789", NULL, "+542612056789", "AR", TC_PHONE_TYPE_FIXED_LINE },
  /* India, Australia, Japan. */
  { "098765 43210", "IN", "+919876543210", "IN", TC_PHONE_TYPE_MOBILE },
  { "+91 98765-43210", NULL, "+919876543210", "IN", TC_PHONE_TYPE_MOBILE },
  { "(02) 7200 5678", "AU", "+61272005678", "AU", TC_PHONE_TYPE_FIXED_LINE },
  { "0412 345 678", "AU", "+61412345678", "AU", TC_PHONE_TYPE_MOBILE },
  { "03-1234-5678", "JP", "+81312345678", "JP", TC_PHONE_TYPE_FIXED_LINE },
  { "090-1234-5678", "JP", "+819012345678", "JP", TC_PHONE_TYPE_MOBILE },
  /* South Africa, Nigeria, Russia. */
  { "021 123 4567", "ZA", "+27211234567", "ZA", TC_PHONE_TYPE_FIXED_LINE },
  { "+27 82 123 4567", NULL, "+27821234567", "ZA", TC_PHONE_TYPE_MOBILE },
  { "0802 123 4567", "NG", "+2348021234567", "NG", TC_PHONE_TYPE_MOBILE },
  { "8 (495) 003-45-67", "RU", "+74950034567", "RU", TC_PHONE_TYPE_FIXED_LINE },
  { "+7 912 345-67-89", NULL, "+79123456789", "RU", TC_PHONE_TYPE_MOBILE },
  /* A lower-case default region, and a number of no single country. */
  { "650 253 0000", "us", "+16502530000", "US", TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE },
  { "+800 1234 5678", NULL, "+80012345678", "001", TC_PHONE_TYPE_TOLL_FREE },
};

static void
test_parse_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_cases); i++)
    {
      const ValidCase *c = &valid_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(TcPhoneInfo) info = NULL;

      g_test_message ("%s (%s)", c->input, c->default_region ? c->default_region : "no region");
      info = tc_phone_parse (c->input, c->default_region, TC_PHONE_PARSE_TYPE, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (info->e164, ==, c->e164);
      g_assert_cmpstr (info->region, ==, c->region);
      g_assert_cmpstr (tc_phone_type_to_string (info->type), ==,
                       tc_phone_type_to_string (c->type));
      g_assert_null (info->location);
      g_assert_null (info->timezones);
    }
}

typedef struct
{
  const char   *input;
  const char   *default_region;
  TcPhoneError  code;
} RejectCase;

static const RejectCase reject_cases[] = {
  /* Not a number at all. */
  { "hello", "US", TC_PHONE_ERROR_NOT_A_NUMBER },
  { "", "US", TC_PHONE_ERROR_NOT_A_NUMBER },
  { "   ", "GB", TC_PHONE_ERROR_NOT_A_NUMBER },
  { "+", NULL, TC_PHONE_ERROR_NOT_A_NUMBER },
  { "n/a", "DE", TC_PHONE_ERROR_NOT_A_NUMBER },
  { "\xff\xfe 12 34", "US", TC_PHONE_ERROR_NOT_A_NUMBER },
  /* Unknown calling code, or no + and no default region. */
  { "+999 123 4567", "US", TC_PHONE_ERROR_INVALID_COUNTRY_CODE },
  { "00999 123 4567", NULL, TC_PHONE_ERROR_INVALID_COUNTRY_CODE },
  { "650 253 0000", NULL, TC_PHONE_ERROR_INVALID_COUNTRY_CODE },
  { "030 901820", "", TC_PHONE_ERROR_INVALID_COUNTRY_CODE },
  /* Too short: while parsing (national number, after the international
   * prefix), by length, and a local-only number without its area code. */
  { "12", "US", TC_PHONE_ERROR_TOO_SHORT },
  { "+49 1", NULL, TC_PHONE_ERROR_TOO_SHORT },
  { "011 1", "US", TC_PHONE_ERROR_TOO_SHORT },
  { "+33 1 23", NULL, TC_PHONE_ERROR_TOO_SHORT },
  { "253-0000", "US", TC_PHONE_ERROR_TOO_SHORT },
  /* Too long. */
  { "+1 555 0100 1234", NULL, TC_PHONE_ERROR_TOO_LONG },
  { "+39 02 1234 5678 9012 3456", NULL, TC_PHONE_ERROR_TOO_LONG },
  { "0049 30 901820 1234 5678 90", "US", TC_PHONE_ERROR_TOO_LONG },
  /* The right length, but no such number: area code 123 and exchange 153
   * do not exist in North America; Japan has no such range. */
  { "+1 123 456 7890", NULL, TC_PHONE_ERROR_INVALID_FOR_REGION },
  { "(650) 153-0000", "US", TC_PHONE_ERROR_INVALID_FOR_REGION },
  { "+81 3 1234 56789", NULL, TC_PHONE_ERROR_INVALID_FOR_REGION },
  { "+882 12 3456 78", NULL, TC_PHONE_ERROR_INVALID_FOR_REGION },
  /* An unknown default region, whatever the number. */
  { "650 253 0000", "XX", TC_PHONE_ERROR_INVALID_REGION },
  { "+1 650 253 0000", "USA", TC_PHONE_ERROR_INVALID_REGION },
  { "+1 650 253 0000", "001", TC_PHONE_ERROR_INVALID_REGION },
  { "650 253 0000", "U", TC_PHONE_ERROR_INVALID_REGION },
};

static void
test_parse_rejected (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      const RejectCase *c = &reject_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(TcPhoneInfo) info = NULL;
      g_autoptr(TcPhoneInfo) quiet = NULL;

      /* Invalid UTF-8 would break the TAP output. */
      g_test_message ("“%s” (%s)", g_utf8_validate (c->input, -1, NULL) ? c->input : "(not UTF-8)",
                      c->default_region ? c->default_region : "no region");
      info = tc_phone_parse (c->input, c->default_region, TC_PHONE_PARSE_ALL, &error);
      g_assert_null (info);
      g_assert_error (error, TC_PHONE_ERROR, (int) c->code);

      /* The message names the value it is about, in plain words. */
      if (c->code == TC_PHONE_ERROR_INVALID_REGION)
        g_assert_nonnull (strstr (error->message, c->default_region));
      else if (g_utf8_validate (c->input, -1, NULL))
        g_assert_nonnull (strstr (error->message, c->input));

      /* Without a GError the answer is the same. */
      quiet = tc_phone_parse (c->input, c->default_region, TC_PHONE_PARSE_DEFAULT, NULL);
      g_assert_null (quiet);
    }
}

static void
test_parse_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(TcPhoneInfo) info = NULL;

  info = tc_phone_parse ("12", "US", TC_PHONE_PARSE_DEFAULT, &error);
  g_assert_null (info);
  g_assert_cmpstr (error->message, ==, "“12” is too short to be a phone number");

  info = tc_phone_parse ("+81 3 1234 56789", NULL, TC_PHONE_PARSE_DEFAULT, &invalid);
  g_assert_null (info);
  g_assert_cmpstr (invalid->message, ==, "“+81 3 1234 56789” is not a valid phone number in Japan");

  /* A calling code that does not exist, and a missing one. */
  {
    g_autoptr(GError) unknown = NULL;
    g_autoptr(GError) missing = NULL;

    info = tc_phone_parse ("00999 123 4567", NULL, TC_PHONE_PARSE_DEFAULT, &unknown);
    g_assert_null (info);
    g_assert_cmpstr (unknown->message, ==, "“00999 123 4567” has an unknown country calling code");

    info = tc_phone_parse ("650 253 0000", NULL, TC_PHONE_PARSE_DEFAULT, &missing);
    g_assert_null (info);
    g_assert_cmpstr (missing->message, ==,
                     "“650 253 0000” has no country code: write it with + and the country "
                     "code, or choose a default country");
  }

  /* A very long value is cut short in the message. */
  {
    g_autoptr(GError) long_error = NULL;
    g_autofree char *text = g_strnfill (300, '7');

    info = tc_phone_parse (text, "US", TC_PHONE_PARSE_DEFAULT, &long_error);
    g_assert_null (info);
    g_assert_error (long_error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_LONG);
    g_assert_cmpuint (strlen (long_error->message), <, 120);
    g_assert_nonnull (strstr (long_error->message, "777…”"));
  }
}

static void
test_parse_flags (void)
{
  g_autoptr(TcPhoneInfo) fast = NULL;
  g_autoptr(TcPhoneInfo) located = NULL;
  g_autoptr(TcPhoneInfo) zoned = NULL;
  g_autoptr(TcPhoneInfo) all = NULL;
  g_autoptr(TcPhoneInfo) mobile = NULL;

  /* The fast path fills only the E.164 form and the region. */
  fast = tc_phone_parse ("(650) 253-0000", "US", TC_PHONE_PARSE_DEFAULT, NULL);
  g_assert_nonnull (fast);
  g_assert_cmpstr (fast->e164, ==, "+16502530000");
  g_assert_cmpstr (fast->region, ==, "US");
  g_assert_cmpint (fast->type, ==, TC_PHONE_TYPE_UNKNOWN);
  g_assert_null (fast->location);
  g_assert_null (fast->timezones);

  located = tc_phone_parse ("(650) 253-0000", "US", TC_PHONE_PARSE_LOCATION, NULL);
  g_assert_cmpstr (located->location, ==, "Mountain View, CA");
  g_assert_cmpint (located->type, ==, TC_PHONE_TYPE_UNKNOWN);
  g_assert_null (located->timezones);

  /* Time zones without the location flag still use the geocoder inside,
   * but do not hand the location out. */
  zoned = tc_phone_parse ("(650) 253-0000", "US", TC_PHONE_PARSE_TIMEZONES, NULL);
  g_assert_null (zoned->location);
  g_assert_nonnull (zoned->timezones);
  g_assert_cmpstrv (zoned->timezones, ((const char *[]) { "America/Los_Angeles", NULL }));

  all = tc_phone_parse ("+49 30 901820", NULL, TC_PHONE_PARSE_ALL, NULL);
  g_assert_cmpstr (all->location, ==, "Berlin");
  g_assert_cmpint (all->type, ==, TC_PHONE_TYPE_FIXED_LINE);
  g_assert_cmpstrv (all->timezones, ((const char *[]) { "Europe/Berlin", NULL }));

  /* A number the geocoder knows only by country. */
  mobile = tc_phone_parse ("+44 7400 123456", NULL, TC_PHONE_PARSE_ALL, NULL);
  g_assert_cmpstr (mobile->location, ==, "United Kingdom");
  g_assert_cmpstrv (mobile->timezones, ((const char *[]) { "Europe/London", NULL }));
}

static void
test_parse_no_region (void)
{
  static const struct
  {
    const char *input;
    const char *e164;
  } cases[] = {
    { "+44 20 7946 0958", "+442079460958" },
    { "0044 20 7946 0958", "+442079460958" },
    { "  0049 30 901820", "+4930901820" },
    { "00 1 650 253 0000", "+16502530000" },
    { "\t+33 1 42 68 53 00 ", "+33142685300" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *e164_empty = NULL;

      e164 = tc_phone_normalize (cases[i].input, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, cases[i].e164);

      /* An empty region means the same as none. */
      e164_empty = tc_phone_normalize (cases[i].input, "", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (e164_empty, ==, cases[i].e164);
    }
}

static void
test_normalize (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;
  char *none;

  e164 = tc_phone_normalize ("(212) 736-5000", "US", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e164, ==, "+12127365000");

  none = tc_phone_normalize ("12", "US", &error);
  g_assert_null (none);
  g_assert_error (error, TC_PHONE_ERROR, TC_PHONE_ERROR_TOO_SHORT);
}

static void
test_type_names (void)
{
  static const struct
  {
    TcPhoneType type;
    const char *name;
  } names[] = {
    { TC_PHONE_TYPE_UNKNOWN, "UNKNOWN" },
    { TC_PHONE_TYPE_FIXED_LINE, "FIXED_LINE" },
    { TC_PHONE_TYPE_MOBILE, "MOBILE" },
    { TC_PHONE_TYPE_FIXED_LINE_OR_MOBILE, "FIXED_LINE_OR_MOBILE" },
    { TC_PHONE_TYPE_TOLL_FREE, "TOLL_FREE" },
    { TC_PHONE_TYPE_PREMIUM_RATE, "PREMIUM_RATE" },
    { TC_PHONE_TYPE_SHARED_COST, "SHARED_COST" },
    { TC_PHONE_TYPE_VOIP, "VOIP" },
    { TC_PHONE_TYPE_PERSONAL_NUMBER, "PERSONAL_NUMBER" },
    { TC_PHONE_TYPE_PAGER, "PAGER" },
    { TC_PHONE_TYPE_UAN, "UAN" },
    { TC_PHONE_TYPE_VOICEMAIL, "VOICEMAIL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (tc_phone_type_to_string (names[i].type), ==, names[i].name);
}

static void
test_more_types (void)
{
  static const struct
  {
    const char  *input;
    TcPhoneType  type;
  } cases[] = {
    { "+44 55 1234 5678", TC_PHONE_TYPE_UAN },
    { "+44 870 123 4567", TC_PHONE_TYPE_PREMIUM_RATE },
    { "+44 56 1234 5678", TC_PHONE_TYPE_VOIP },
    { "+44 70 1234 5678", TC_PHONE_TYPE_PERSONAL_NUMBER },
    { "+44 76 0012 3456", TC_PHONE_TYPE_PAGER },
    { "+31 85 123 4567", TC_PHONE_TYPE_VOIP },
    { "+41 86 0123456789", TC_PHONE_TYPE_VOICEMAIL },
    { "+1 876 515 1234", TC_PHONE_TYPE_MOBILE },
    { "+44 808 157 0192", TC_PHONE_TYPE_TOLL_FREE },
    { "+34 901 12 34 56", TC_PHONE_TYPE_SHARED_COST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcPhoneInfo) info = NULL;

      g_test_message ("%s", cases[i].input);
      info = tc_phone_parse (cases[i].input, NULL, TC_PHONE_PARSE_TYPE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (tc_phone_type_to_string (info->type), ==,
                       tc_phone_type_to_string (cases[i].type));
    }
}

static void
test_region_is_valid (void)
{
  g_assert_true (tc_phone_region_is_valid ("US"));
  g_assert_true (tc_phone_region_is_valid ("gb"));
  g_assert_true (tc_phone_region_is_valid ("DE"));
  g_assert_true (tc_phone_region_is_valid ("NG"));
  g_assert_false (tc_phone_region_is_valid ("XX"));
  g_assert_false (tc_phone_region_is_valid ("ZZ"));
  g_assert_false (tc_phone_region_is_valid ("001"));
  g_assert_false (tc_phone_region_is_valid ("USA"));
  g_assert_false (tc_phone_region_is_valid ("U"));
  g_assert_false (tc_phone_region_is_valid ("1A"));
  g_assert_false (tc_phone_region_is_valid (""));
  g_assert_false (tc_phone_region_is_valid (NULL));
}

/* Time zones */

static char *
join_zones (char **zones)
{
  return g_strjoinv (" ", zones);
}

typedef struct
{
  const char *input;
  const char *zones;   /* space-separated, sorted; "*" for all the country's */
} NumberZoneCase;

static const NumberZoneCase number_zone_cases[] = {
  /* United States: whole states, and the cities of split states. */
  { "+1 650 253 0000", "America/Los_Angeles" },
  { "+1 212 736 5000", "America/New_York" },
  { "+1 808 521 0123", "Pacific/Honolulu" },
  { "+1 907 212 0123", "America/Anchorage" },
  { "+1 480 460 0123", "America/Phoenix" },
  { "+1 928 871 0123", "America/Denver" },             /* Window Rock, Navajo Nation */
  { "+1 202 456 1111", "America/New_York" },           /* Washington D.C. */
  { "+1 915 231 0123", "America/Denver" },             /* El Paso, TX */
  { "+1 281 209 0123", "America/Chicago" },            /* Houston, TX */
  { "+1 850 232 0123", "America/Chicago" },            /* Pensacola, FL */
  { "+1 305 207 0123", "America/New_York" },           /* Miami, FL */
  { "+1 317 202 0123", "America/Indiana/Indianapolis" },
  { "+1 219 880 0123", "America/Chicago" },            /* Gary, IN */
  { "+1 812 401 0123", "America/Chicago" },            /* Evansville, IN */
  { "+1 502 212 0123", "America/Kentucky/Louisville" },
  { "+1 859 219 0123", "America/New_York" },           /* Lexington, KY */
  { "+1 270 393 0123", "America/Chicago" },            /* Bowling Green, KY */
  { "+1 615 222 0123", "America/Chicago" },            /* Nashville, TN */
  { "+1 865 200 0123", "America/New_York" },           /* Knoxville, TN */
  { "+1 313 223 0123", "America/Detroit" },
  { "+1 906 774 0123", "America/Menominee" },          /* Iron Mountain, MI */
  { "+1 208 287 0123", "America/Boise" },
  { "+1 208 292 0123", "America/Los_Angeles" },        /* Coeur d'Alene, ID */
  { "+1 541 881 0123", "America/Boise" },              /* Ontario, OR */
  { "+1 503 200 0123", "America/Los_Angeles" },        /* Portland, OR */
  { "+1 605 341 0123", "America/Denver" },             /* Rapid City, SD */
  { "+1 605 271 0123", "America/Chicago" },            /* Sioux Falls, SD */
  { "+1 701 225 0123", "America/Denver" },             /* Dickinson, ND */
  { "+1 701 663 0123", "America/North_Dakota/New_Salem" },     /* Mandan, ND */
  { "+1 402 280 0123", "America/Chicago" },            /* Omaha, NE */
  { "+1 308 630 0123", "America/Denver" },             /* Scottsbluff, NE */
  { "+1 785 890 0123", "America/Denver" },             /* Goodland, KS */
  { "+1 316 201 0123", "America/Chicago" },            /* Wichita, KS */
  { "+1 702 202 0123", "America/Los_Angeles" },        /* Las Vegas, NV */
  /* Canada. */
  { "+1 416 203 5678", "America/Toronto" },
  { "+1 604 215 5678", "America/Vancouver" },
  { "+1 250 417 5678", "America/Edmonton" },           /* Cranbrook, BC */
  { "+1 403 200 5678", "America/Edmonton" },
  { "+1 902 404 5678", "America/Halifax" },
  { "+1 709 237 5678", "America/St_Johns" },
  { "+1 306 242 5678", "America/Regina" },
  { "+1 807 467 5678", "America/Winnipeg" },           /* Kenora, ON */
  { "+1 204 284 5678", "America/Winnipeg" },
  { "+1 867 979 5678", "America/Iqaluit" },
  { "+1 867 393 5678", "America/Whitehorse" },
  { "+1 418 200 5678", "America/Blanc-Sablon America/Toronto" },     /* "Quebec" */
  /* Brazil: cities, a state, a mobile geocoded to its state. */
  { "+55 92 2125 6789", "America/Manaus" },
  { "+55 92 2005 6789", "America/Eirunepe America/Manaus" },         /* "Amazonas" */
  { "+55 81 3015 6789", "America/Recife" },
  { "+55 81 2005 6789", "America/Noronha America/Recife" },          /* "Pernambuco" */
  { "+55 11 2005 6789", "America/Sao_Paulo" },
  { "+55 11 91234 5678", "America/Sao_Paulo" },
  { "+55 68 3025 6789", "America/Rio_Branco" },
  { "+55 91 3015 6789", "America/Belem" },
  { "+55 93 3523 4567", "America/Santarem" },
  /* Mexico. */
  { "+52 55 1234 5678", "America/Mexico_City" },
  { "+52 81 0003 4567", "America/Monterrey" },
  { "+52 998 300 3456", "America/Cancun" },
  { "+52 616 003 4567", "America/Tijuana" },
  { "+52 623 003 4567", "America/Hermosillo" },
  { "+52 985 003 4567", "America/Merida" },
  { "+52 614 003 4567", "America/Chihuahua America/Ciudad_Juarez America/Ojinaga" },
  /* Australia: towns by name, the rest by area code. */
  { "+61 2 7200 5678", "Australia/Sydney" },
  { "+61 2 5547 5678", "Australia/Lord_Howe" },
  { "+61 3 7001 5678", "Australia/Melbourne" },
  { "+61 3 6109 5678", "Australia/Hobart" },
  { "+61 7 2101 5678", "Australia/Brisbane" },
  { "+61 8 7000 5678", "Australia/Adelaide" },
  { "+61 8 6100 5678", "Australia/Perth" },
  { "+61 8 7912 5678", "Australia/Darwin" },
  { "+61 8 8008 5678", "Australia/Broken_Hill" },
  { "+61 3 5352 5678", "Australia/Hobart Australia/Melbourne" },     /* Ararat */
  { "+61 8 8800 5678", "Australia/Adelaide Australia/Broken_Hill Australia/Darwin "
                       "Australia/Eucla Australia/Perth" },          /* Ardrossan */
  { "+61 412 345 678", "*" },
  /* Russia. */
  { "+7 495 003 4567", "Europe/Moscow" },
  { "+7 383 003 4567", "Asia/Novosibirsk" },
  { "+7 401 003 4567", "Europe/Kaliningrad" },
  { "+7 343 003 4567", "Asia/Yekaterinburg" },
  { "+7 423 003 4567", "Asia/Vladivostok" },
  { "+7 411 003 4567", "Asia/Khandyga Asia/Srednekolymsk Asia/Ust-Nera Asia/Yakutsk" },
  { "+7 912 345 6789", "*" },
  /* Argentina, Chile, Spain, Portugal, New Zealand, and more. */
  { "+54 261 205 6789", "America/Argentina/Mendoza" },
  { "+54 2901 35 6789", "America/Argentina/Ushuaia" },
  { "+54 11 1005 6789", "America/Argentina/Buenos_Aires" },
  { "+56 2 1160 4567", "America/Santiago" },
  { "+56 61 000 4567", "America/Punta_Arenas" },
  { "+56 67 000 4567", "America/Coyhaique" },
  { "+56 32 000 4567", "America/Santiago Pacific/Easter" },          /* "Valparaíso" */
  { "+34 828 00 3456", "Atlantic/Canary" },
  { "+34 810 00 3456", "Europe/Madrid" },
  { "+351 291 005 678", "Atlantic/Madeira" },
  { "+351 296 005 678", "Atlantic/Azores" },
  { "+351 210 005 678", "Europe/Lisbon" },
  { "+64 3 261 3678", "Pacific/Chatham" },
  { "+64 9 200 0678", "Pacific/Auckland" },
  { "+243 1 000 567", "Africa/Kinshasa" },
  { "+243 2 000 567", "Africa/Lubumbashi" },
  { "+976 1100 0456", "Asia/Ulaanbaatar" },
  { "+62 361 00123", "Asia/Makassar" },
  { "+62 967 00123", "Asia/Jayapura" },
  { "+7 727 205 6789", "Asia/Almaty" },
  { "+49 30 901820", "Europe/Berlin" },
  { "+49 151 23456789", "Europe/Berlin Europe/Busingen" },
  /* Single-zone countries. */
  { "+44 20 7946 0958", "Europe/London" },
  { "+33 1 42 68 53 00", "Europe/Paris" },
  { "+39 06 4523 1234", "Europe/Rome" },
  { "+39 06 6982 1234", "Europe/Vatican" },
  { "+31 20 123 4567", "Europe/Amsterdam" },
  { "+47 21 23 45 67", "Europe/Oslo" },
  { "+46 8 123 456 78", "Europe/Stockholm" },
  { "+91 98765 43210", "Asia/Kolkata" },
  { "+81 3 1234 5678", "Asia/Tokyo" },
  { "+27 21 123 4567", "Africa/Johannesburg" },
  { "+234 802 123 4567", "Africa/Lagos" },
  /* No region, no zone. */
  { "+800 1234 5678", "" },
};

static void
test_zones_numbers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (number_zone_cases); i++)
    {
      const NumberZoneCase *c = &number_zone_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(TcPhoneInfo) info = NULL;
      g_autofree char *got = NULL;

      info = tc_phone_parse (c->input, NULL, TC_PHONE_PARSE_ALL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info->timezones);
      got = join_zones (info->timezones);
      g_test_message ("%s [%s] → %s", c->input, info->location ? info->location : "", got);

      if (strcmp (c->zones, "*") == 0)
        {
          g_auto(GStrv) all = tc_phone_timezones_for (info->region, NULL);

          g_assert_cmpuint (g_strv_length (all), >, 1);
          g_assert_cmpstrv (info->timezones, all);
        }
      else
        g_assert_cmpstr (got, ==, c->zones);
    }
}

typedef struct
{
  const char *region;
  const char *location;
  const char *zones;   /* "*" for all the country's */
} PlaceZoneCase;

static const PlaceZoneCase place_zone_cases[] = {
  /* Every way the US geocoder writes a place. */
  { "US", "San Francisco, CA", "America/Los_Angeles" },
  { "US", "California", "America/Los_Angeles" },
  { "US", "Washington State", "America/Los_Angeles" },
  { "US", "Washington D.C.", "America/New_York" },
  { "US", "Philadelphia", "America/New_York" },
  { "US", "Boston, MA", "America/New_York" },
  { "US", "Chicago, IL", "America/Chicago" },
  { "US", "Denver, CO", "America/Denver" },
  { "US", "Salt Lake City, UT", "America/Denver" },
  { "US", "Honolulu, HI", "Pacific/Honolulu" },
  { "us", "  seattle, wa  ", "America/Los_Angeles" },
  /* Split states: the city decides when it is known ... */
  { "US", "El Paso, TX", "America/Denver" },
  { "US", "Dallas, TX", "America/Chicago" },
  { "US", "Tell City, IN", "America/Indiana/Tell_City" },
  { "US", "Jasper, IN", "America/Indiana/Vincennes" },
  { "US", "Monticello, KY", "America/Kentucky/Monticello" },
  { "US", "Beulah, ND", "America/North_Dakota/Beulah" },
  { "US", "Juneau, AK", "America/Juneau" },
  /* ... and otherwise every zone of the state. */
  { "US", "Smallville, TX", "America/Chicago America/Denver" },
  { "US", "Texas", "America/Chicago America/Denver" },
  { "US", "Florida", "America/Chicago America/New_York" },
  { "US", "Someplace, FL", "America/Chicago America/New_York" },
  { "US", "Tennessee", "America/Chicago America/New_York" },
  { "US", "Kentucky", "America/Chicago America/Kentucky/Louisville "
                      "America/Kentucky/Monticello America/New_York" },
  { "US", "Indiana", "America/Chicago America/Indiana/Indianapolis America/Indiana/Knox "
                     "America/Indiana/Marengo America/Indiana/Petersburg "
                     "America/Indiana/Tell_City America/Indiana/Vevay "
                     "America/Indiana/Vincennes America/Indiana/Winamac" },
  { "US", "Oregon", "America/Boise America/Los_Angeles" },
  { "US", "Idaho", "America/Boise America/Los_Angeles" },
  { "US", "Nebraska", "America/Chicago America/Denver" },
  { "US", "Kansas", "America/Chicago America/Denver" },
  { "US", "South Dakota", "America/Chicago America/Denver" },
  { "US", "North Dakota", "America/Chicago America/Denver America/North_Dakota/Beulah "
                          "America/North_Dakota/Center America/North_Dakota/New_Salem" },
  { "US", "Michigan", "America/Detroit America/Menominee" },
  { "US", "Arizona", "America/Denver America/Phoenix" },
  /* Ambiguous: every zone of the country. */
  { "US", NULL, "*" },
  { "US", "", "*" },
  { "US", "United States", "*" },
  { "US", "Atlantis", "*" },
  /* Canada. */
  { "CA", "Ontario", "America/Atikokan America/Toronto America/Winnipeg" },
  { "CA", "Montreal, QC", "America/Toronto" },
  { "CA", "Alberta", "America/Edmonton" },
  { "CA", "Manitoba", "America/Winnipeg" },
  { "CA", "New Brunswick", "America/Moncton" },
  { "CA", "Nova Scotia/Prince Edward Island", "America/Glace_Bay America/Halifax" },
  { "CA", "Northwest Territories/Nunavut/Yukon",
    "America/Atikokan America/Cambridge_Bay America/Dawson America/Edmonton "
    "America/Inuvik America/Iqaluit America/Rankin_Inlet America/Resolute "
    "America/Whitehorse" },
  { "CA", "Canada", "*" },
  /* Brazil. */
  { "BR", "Rio de Janeiro - RJ", "America/Sao_Paulo" },
  { "BR", "Salvador - BA", "America/Bahia" },
  { "BR", "Fortaleza - CE", "America/Fortaleza" },
  { "BR", "Porto Velho - RO", "America/Porto_Velho" },
  { "BR", "Cuiabá - MT", "America/Cuiaba" },
  { "BR", "Fernando de Noronha - PE", "America/Noronha" },
  { "BR", "Caruaru - PE", "America/Recife" },
  { "BR", "Brazil", "*" },
  /* Mexico, with the geocoder's abbreviations and "/" lists. */
  { "MX", "Acapulco/Xaltianguis, GRO", "America/Mexico_City" },
  { "MX", "Chiapas/Tabasco", "America/Mexico_City" },
  { "MX", "Coahuila", "America/Matamoros America/Monterrey" },
  { "MX", "Nuevo Laredo/Tamaulipas", "America/Matamoros America/Monterrey" },
  { "MX", "Juarez/Chihuahua", "America/Chihuahua America/Ciudad_Juarez America/Ojinaga" },
  { "MX", "Mexico/Quintana Roo", "*" },
  /* Australia by state and town. */
  { "AU", "Western Australia", "Australia/Eucla Australia/Perth" },
  { "AU", "Queensland", "Australia/Brisbane Australia/Lindeman" },
  { "AU", "Canberra", "Australia/Sydney" },
  { "AU", "Bungendore", "*" },
  /* Russia by region. */
  { "RU", "Republic of Tatarstan", "Europe/Moscow" },
  { "RU", "Chukotka Autonomous District", "Asia/Anadyr" },
  { "RU", "Kamchatka Region", "Asia/Kamchatka" },
  { "RU", "Omsk", "Asia/Omsk" },
  { "RU", "Samara", "Europe/Samara" },
  { "RU", "Sevastopol", "Europe/Simferopol" },
  { "RU", "Russia", "*" },
  /* Others with several zones. */
  { "UA", "Lviv", "Europe/Kyiv" },
  { "UA", "Crimea", "Europe/Simferopol" },
  { "CN", "Anshan, Liaoning", "Asia/Shanghai" },
  { "CN", "Aksu, Xinjiang", "Asia/Shanghai Asia/Urumqi" },
  { "EC", "Manabí/Los Ríos/Galápagos", "America/Guayaquil Pacific/Galapagos" },
  { "EC", "Pichincha", "America/Guayaquil" },
  { "NZ", "Ashburton/Akaroa/Chatham Islands", "Pacific/Auckland Pacific/Chatham" },
  { "CD", "Katanga", "Africa/Lubumbashi" },
  { "CD", "Oriental Province (Kisanga/Mbandaka)", "Africa/Kinshasa Africa/Lubumbashi" },
  { "CL", "Coyhaique, Aisén", "America/Coyhaique" },
  { "GL", "Ittoqqortoormiit", "America/Scoresbysund" },
  { "GL", "Nuuk", "America/Nuuk" },
  { "PS", "Gaza", "Asia/Gaza" },
  { "PS", "Nablus", "Asia/Hebron" },
  { "KI", "Kiritimati", "Pacific/Kiritimati" },
  { "ID", "Pontianak", "Asia/Pontianak" },
  { "ID", "Alas/Taliwang", "*" },
  { "KZ", "Aktobe", "Asia/Aqtobe" },
  { "MN", "Mongolia", "*" },
  /* Single-zone countries, whatever the location; Norway is Oslo. */
  { "NO", NULL, "Europe/Oslo" },
  { "SE", "Stockholm", "Europe/Stockholm" },
  { "OM", NULL, "Asia/Muscat" },
  { "FR", "Paris", "Europe/Paris" },
  { "GB", NULL, "Europe/London" },
  { "JP", "Tokyo", "Asia/Tokyo" },
  { "IN", "Mumbai", "Asia/Kolkata" },
  { "ZA", NULL, "Africa/Johannesburg" },
  { "NG", "Lagos", "Africa/Lagos" },
  { "IT", NULL, "Europe/Rome" },
  /* Nothing known. */
  { "XX", NULL, "" },
  { "001", NULL, "" },
  { NULL, NULL, "" },
};

static void
test_zones_places (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (place_zone_cases); i++)
    {
      const PlaceZoneCase *c = &place_zone_cases[i];
      g_auto(GStrv) zones = tc_phone_timezones_for (c->region, c->location);
      g_autofree char *got = join_zones (zones);

      g_test_message ("%s / %s → %s", c->region, c->location ? c->location : "(null)", got);
      if (strcmp (c->zones, "*") == 0)
        {
          g_autofree char *region = g_ascii_strup (c->region, -1);
          g_auto(GStrv) all = tc_phone_timezones_for (region, NULL);

          g_assert_cmpuint (g_strv_length (all), >, 1);
          g_assert_cmpstrv (zones, all);
        }
      else
        g_assert_cmpstr (got, ==, c->zones);
    }
}

/* The state or province a geocoder location names, for the quiet-hour rules
 * of US states and Canadian provinces. */
typedef struct
{
  const char *region;
  const char *location;
  const char *subdivision;   /* NULL = none */
} SubdivisionCase;

static const SubdivisionCase subdivision_cases[] = {
  /* The geocoder's state names, and "City, ST". */
  { "US", "Florida", "FL" },
  { "US", "Miami, FL", "FL" },
  { "US", "Pensacola, FL", "FL" },
  { "US", "Texas", "TX" },
  { "US", "El Paso, TX", "TX" },
  { "US", "California", "CA" },
  { "US", "San Francisco, CA", "CA" },
  { "US", "New York", "NY" },
  { "US", "New York, NY", "NY" },
  { "US", "Washington State", "WA" },
  { "US", "Seattle, WA", "WA" },
  { "US", "Washington D.C.", "DC" },
  { "US", "Washington, DC", "DC" },
  { "US", "District of Columbia", "DC" },
  { "US", "Philadelphia", "PA" },
  { "US", "North Dakota", "ND" },
  { "US", "West Virginia", "WV" },
  { "US", "Virginia", "VA" },
  { "US", "Coeur d'Alene, ID", "ID" },
  { "US", "Springfield, Illinois", "IL" },
  /* Case and spaces do not matter. */
  { "us", "  miami, fl  ", "FL" },
  { "US", "TEXAS", "TX" },
  { "US", "OK", "OK" },
  /* Canada. */
  { "CA", "Ontario", "ON" },
  { "CA", "Toronto, ON", "ON" },
  { "CA", "Quebec", "QC" },
  { "CA", "Montreal, QC", "QC" },
  { "CA", "British Columbia", "BC" },
  { "CA", "Vancouver, BC", "BC" },
  { "CA", "Newfoundland and Labrador", "NL" },
  { "CA", "Yukon", "YT" },
  /* Nothing single to name. */
  { "US", "United States", NULL },
  { "US", "Washington", NULL },
  { "US", "Atlantis", NULL },
  { "US", "Smallville, XX", NULL },
  { "US", "", NULL },
  { "US", NULL, NULL },
  { "CA", "Canada", NULL },
  { "CA", "Nova Scotia/Prince Edward Island", NULL },
  { "CA", "Northwest Territories/Nunavut/Yukon", NULL },
  /* A Canadian place is no US state, and the other way round. */
  { "US", "Toronto, ON", NULL },
  { "CA", "Miami, FL", NULL },
  /* Only the US and Canada. */
  { "MX", "Chihuahua, CHIH", NULL },
  { "BR", "Manaus - AM", NULL },
  { "AU", "Western Australia", NULL },
  { "FR", "Paris", NULL },
  { NULL, "Florida", NULL },
  { "USA", "Florida", NULL },
};

static void
test_subdivision (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (subdivision_cases); i++)
    {
      const SubdivisionCase *c = &subdivision_cases[i];
      g_autofree char *got = tc_phone_subdivision (c->region, c->location);

      g_test_message ("%s / %s → %s", c->region ? c->region : "(null)",
                      c->location ? c->location : "(null)", got ? got : "(null)");
      g_assert_cmpstr (got, ==, c->subdivision);
    }
}

/* From a number, through the geocoder. */
static void
test_subdivision_numbers (void)
{
  static const struct
  {
    const char *input;
    const char *subdivision;
  } cases[] = {
    { "+1 305 207 0123", "FL" },   /* Miami */
    { "+1 850 232 0123", "FL" },   /* Pensacola */
    { "+1 281 209 0123", "TX" },   /* Houston */
    { "+1 915 231 0123", "TX" },   /* El Paso */
    { "+1 212 736 5000", "NY" },
    { "+1 202 456 1111", "DC" },
    { "+1 650 253 0000", "CA" },
    { "+1 416 203 5678", "ON" },   /* Toronto */
    { "+1 604 215 5678", "BC" },   /* Vancouver */
    { "+44 20 7946 0958", NULL },
    { "+33 1 42 68 53 00", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcPhoneInfo) info = tc_phone_parse (cases[i].input, NULL,
                                                    TC_PHONE_PARSE_LOCATION, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      got = tc_phone_subdivision (info->region, info->location);
      g_test_message ("%s [%s] → %s", cases[i].input, info->location ? info->location : "",
                      got ? got : "(null)");
      g_assert_cmpstr (got, ==, cases[i].subdivision);
    }
}

/* Every multi-zone country answers, without a location, every zone that
 * tzdata lists for it, sorted and without duplicates. */
static void
test_zones_all_candidates (void)
{
  static const struct
  {
    const char *region;
    guint       count;
  } countries[] = {
    { "US", 29 }, { "CA", 23 }, { "BR", 16 }, { "MX", 12 }, { "AU", 12 }, { "RU", 26 },
    { "AR", 12 }, { "ID", 4 }, { "KZ", 7 }, { "CL", 4 }, { "CD", 2 }, { "MN", 2 },
    { "ES", 3 }, { "PT", 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      g_auto(GStrv) zones = tc_phone_timezones_for (countries[i].region, NULL);

      g_test_message ("%s", countries[i].region);
      g_assert_true (_tc_phone_region_has_several_zones (countries[i].region));
      g_assert_cmpuint (g_strv_length (zones), ==, countries[i].count);
      for (guint j = 1; zones[j] != NULL; j++)
        g_assert_cmpint (strcmp (zones[j - 1], zones[j]), <, 0);
    }

  g_assert_false (_tc_phone_region_has_several_zones ("FR"));
  g_assert_false (_tc_phone_region_has_several_zones ("XX"));
  g_assert_false (_tc_phone_region_has_several_zones (NULL));
}

/* The built-in table names only zones tzdata lists for that country. */
static void
test_zones_rules_match_tzdata (void)
{
  g_autoptr(GString) report = g_string_new (NULL);
  guint problems = _tc_phone_zone_rules_verify (report);

  if (problems > 0)
    g_test_message ("%s", report->str);
  g_assert_cmpuint (problems, ==, 0);
}

/* Threads */

static const char *thread_inputs[] = {
  "(650) 253-0000", "+1 212 736 5000", "+1 915 231 0123", "+1 850 232 0123",
  "0044 20 7946 0958", "+49 30 901820", "+33 6 12 34 56 78", "+34 912 34 56 78",
  "+55 92 2125 6789", "+52 81 0003 4567", "+61 8 6100 5678", "+7 383 003 4567",
  "+91 98765 43210", "+81 90 1234 5678", "+27 21 123 4567", "+234 802 123 4567",
  "12", "hello", "+1 123 456 7890", "+999 1234", "+64 3 261 3678", "+56 61 000 4567",
};

#define THREAD_ROUNDS 40

static char *
describe_all (void)
{
  GString *out = g_string_new (NULL);

  for (guint round = 0; round < THREAD_ROUNDS; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (thread_inputs); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(TcPhoneInfo) info = NULL;
          /* Alternate the fast path with the full one, as the importer and
           * the GUI would. */
          TcPhoneParseFlags flags = (i + round) % 2 ? TC_PHONE_PARSE_ALL : TC_PHONE_PARSE_DEFAULT;

          info = tc_phone_parse (thread_inputs[i], "US", flags, &error);
          if (info == NULL)
            {
              g_string_append_printf (out, "%d %s\n", error->code, error->message);
              continue;
            }
          g_string_append_printf (out, "%s %s %s %s", info->e164, info->region,
                                  tc_phone_type_to_string (info->type),
                                  info->location ? info->location : "-");
          for (guint j = 0; info->timezones != NULL && info->timezones[j] != NULL; j++)
            g_string_append_printf (out, " %s", info->timezones[j]);
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}

static gpointer
thread_main (gpointer data)
{
  return describe_all ();
}

static void
test_threads (void)
{
  g_autofree char *expected = describe_all ();
  GThread *threads[4];

  g_assert_nonnull (strstr (expected, "+16502530000 US FIXED_LINE_OR_MOBILE"));

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("phone", thread_main, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *got = g_thread_join (threads[i]);

      g_assert_cmpstr (got, ==, expected);
    }
}

static void
test_format_international (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "+16502530000", "+1 650-253-0000" },
    { "+442079460958", "+44 20 7946 0958" },
    { "+4930901820", "+49 30 901820" },
    { "+33612345678", "+33 6 12 34 56 78" },
    /* Not E.164: shown unchanged rather than guessed at. */
    { "0612345678", "0612345678" },
    { "not a number", "not a number" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = tc_phone_format_international (cases[i].input);

      g_assert_cmpstr (formatted, ==, cases[i].expected);
    }

  g_assert_null (tc_phone_format_international (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/phone/parse/valid", test_parse_valid);
  g_test_add_func ("/tc/phone/parse/rejected", test_parse_rejected);
  g_test_add_func ("/tc/phone/parse/messages", test_parse_messages);
  g_test_add_func ("/tc/phone/parse/flags", test_parse_flags);
  g_test_add_func ("/tc/phone/parse/no-region", test_parse_no_region);
  g_test_add_func ("/tc/phone/normalize", test_normalize);
  g_test_add_func ("/tc/phone/type/names", test_type_names);
  g_test_add_func ("/tc/phone/type/more", test_more_types);
  g_test_add_func ("/tc/phone/region/valid", test_region_is_valid);
  g_test_add_func ("/tc/phone/zones/numbers", test_zones_numbers);
  g_test_add_func ("/tc/phone/zones/places", test_zones_places);
  g_test_add_func ("/tc/phone/zones/all-candidates", test_zones_all_candidates);
  g_test_add_func ("/tc/phone/zones/rules-match-tzdata", test_zones_rules_match_tzdata);
  g_test_add_func ("/tc/phone/subdivision/places", test_subdivision);
  g_test_add_func ("/tc/phone/subdivision/numbers", test_subdivision_numbers);
  g_test_add_func ("/tc/phone/threads", test_threads);
  g_test_add_func ("/tc/phone/format-international", test_format_international);

  return g_test_run ();
}
