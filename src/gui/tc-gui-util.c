/* tc-gui-util.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-gui-util"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tc-consent-ledger.h"
#include "tc-contact-io.h"
#include "tc-gui-util.h"
#include "tc-phone.h"
#include "tc-repository.h"

/* The countries a marketer is most likely to import from, by name. The
 * list is short on purpose: a dropdown of 250 entries is hard to use, and
 * numbers written with a leading + work whatever is chosen here. */
static const TcCountry countries[] = {
  { "AR", N_("Argentina") },
  { "AU", N_("Australia") },
  { "AT", N_("Austria") },
  { "BE", N_("Belgium") },
  { "BR", N_("Brazil") },
  { "CA", N_("Canada") },
  { "CL", N_("Chile") },
  { "CN", N_("China") },
  { "CO", N_("Colombia") },
  { "CZ", N_("Czechia") },
  { "DK", N_("Denmark") },
  { "EG", N_("Egypt") },
  { "FI", N_("Finland") },
  { "FR", N_("France") },
  { "DE", N_("Germany") },
  { "GR", N_("Greece") },
  { "HK", N_("Hong Kong") },
  { "HU", N_("Hungary") },
  { "IN", N_("India") },
  { "ID", N_("Indonesia") },
  { "IE", N_("Ireland") },
  { "IL", N_("Israel") },
  { "IT", N_("Italy") },
  { "JP", N_("Japan") },
  { "KE", N_("Kenya") },
  { "MY", N_("Malaysia") },
  { "MX", N_("Mexico") },
  { "MA", N_("Morocco") },
  { "NL", N_("Netherlands") },
  { "NZ", N_("New Zealand") },
  { "NG", N_("Nigeria") },
  { "NO", N_("Norway") },
  { "PE", N_("Peru") },
  { "PH", N_("Philippines") },
  { "PL", N_("Poland") },
  { "PT", N_("Portugal") },
  { "RO", N_("Romania") },
  { "RU", N_("Russia") },
  { "SA", N_("Saudi Arabia") },
  { "SG", N_("Singapore") },
  { "ZA", N_("South Africa") },
  { "KR", N_("South Korea") },
  { "ES", N_("Spain") },
  { "SE", N_("Sweden") },
  { "CH", N_("Switzerland") },
  { "TH", N_("Thailand") },
  { "TR", N_("Türkiye") },
  { "UA", N_("Ukraine") },
  { "AE", N_("United Arab Emirates") },
  { "GB", N_("United Kingdom") },
  { "US", N_("United States") },
  { "VN", N_("Vietnam") },
};

const TcCountry *
tc_gui_countries (guint *n_countries)
{
  g_return_val_if_fail (n_countries != NULL, NULL);

  *n_countries = G_N_ELEMENTS (countries);
  return countries;
}

const char *
tc_gui_country_name (const char *code)
{
  if (code == NULL || code[0] == '\0')
    return "";

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (countries[i].code, code) == 0)
      return _(countries[i].name);

  return code;
}

char *
tc_gui_guess_region (void)
{
  const char * const *names = g_get_language_names ();

  /* Locale names look like "en_US.UTF-8" or "pt_BR@euro"; the region is
   * the two letters after the underscore. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *underscore = strchr (names[i], '_');
      char region[3];

      if (underscore == NULL ||
          !g_ascii_isalpha (underscore[1]) ||
          !g_ascii_isalpha (underscore[2]))
        continue;

      region[0] = g_ascii_toupper (underscore[1]);
      region[1] = g_ascii_toupper (underscore[2]);
      region[2] = '\0';

      if (tc_phone_region_is_valid (region))
        return g_strdup (region);
    }

  return NULL;
}

char *
tc_gui_format_number (guint n)
{
  /* %' groups digits as the locale does ("12,345", "12.345", "12 345"). */
  return g_strdup_printf ("%'u", n);
}

char *
tc_gui_format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (datetime);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

const char *
tc_gui_channel_name (TcChannel channel)
{
  switch (channel)
    {
    case TC_CHANNEL_SMS:
      return _("SMS");
    case TC_CHANNEL_WHATSAPP:
      return _("WhatsApp");
    default:
      return "";
    }
}

const char *
tc_gui_purpose_name (TcPurpose purpose)
{
  switch (purpose)
    {
    case TC_PURPOSE_PROMOTIONAL:
      return _("Promotional");
    case TC_PURPOSE_TRANSACTIONAL:
      return _("Transactional");
    default:
      return "";
    }
}

const char *
tc_gui_consent_status_name (TcConsentStatus status)
{
  switch (status)
    {
    case TC_CONSENT_STATUS_NONE:
      return _("No consent recorded");
    case TC_CONSENT_STATUS_PENDING:
      return _("Waiting for confirmation");
    case TC_CONSENT_STATUS_OPTED_IN:
      return _("Opted in");
    case TC_CONSENT_STATUS_OPTED_OUT:
      return _("Opted out");
    case TC_CONSENT_STATUS_EXPIRED:
      return _("Expired without confirmation");
    default:
      return "";
    }
}

const char *
tc_gui_consent_status_symbol (TcConsentStatus status)
{
  switch (status)
    {
    case TC_CONSENT_STATUS_PENDING:
      return "…";
    case TC_CONSENT_STATUS_OPTED_IN:
      return "✓";
    case TC_CONSENT_STATUS_OPTED_OUT:
      return "✗";
    case TC_CONSENT_STATUS_EXPIRED:
      return "⊘";
    case TC_CONSENT_STATUS_NONE:
    default:
      return "—";
    }
}

const char *
tc_gui_consent_status_css_class (TcConsentStatus status)
{
  switch (status)
    {
    case TC_CONSENT_STATUS_PENDING:
      return "warning";
    case TC_CONSENT_STATUS_OPTED_IN:
      return "success";
    case TC_CONSENT_STATUS_OPTED_OUT:
      return "error";
    /* An expired request is no consent, like none at all. */
    case TC_CONSENT_STATUS_EXPIRED:
    case TC_CONSENT_STATUS_NONE:
    default:
      return "dim-label";
    }
}

const char *
tc_gui_purpose_adjective (TcPurpose purpose)
{
  switch (purpose)
    {
    case TC_PURPOSE_PROMOTIONAL:
      /* Translators: as in “opted in to promotional SMS” */
      return _("promotional");
    case TC_PURPOSE_TRANSACTIONAL:
      /* Translators: as in “opted in to transactional SMS” */
      return _("transactional");
    default:
      return "";
    }
}

/* Indexed by TcConsentSource: a label for lists, and the same words in
 * the middle of a sentence. */
static const struct {
  const char *label;
  const char *phrase;
} consent_sources[] = {
  { N_("Web form"), N_("web form") },
  { N_("Checkout box"), N_("checkout box") },
  { N_("Keyword"), N_("keyword") },
  { N_("QR code"), N_("QR code") },
  { N_("Import"), N_("import") },
  { N_("API"), N_("API") },
  { N_("By hand"), N_("by hand") },
  { N_("Provider report"), N_("provider report") },
  { N_("Textcast"), N_("Textcast") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (consent_sources) == TC_CONSENT_SOURCE_SYSTEM + 1);

const char *
tc_gui_consent_source_name (TcConsentSource source)
{
  if ((guint) source >= G_N_ELEMENTS (consent_sources))
    return "";

  return _(consent_sources[source].label);
}

static const char *
consent_source_phrase (TcConsentSource source)
{
  if ((guint) source >= G_N_ELEMENTS (consent_sources))
    return "";

  return _(consent_sources[source].phrase);
}

const char *
tc_gui_consent_event_kind_name (TcConsentEventKind kind)
{
  switch (kind)
    {
    case TC_CONSENT_EVENT_REQUESTED:
      return _("Asked to join, confirmation sent");
    case TC_CONSENT_EVENT_CONFIRMED:
      return _("Confirmed");
    case TC_CONSENT_EVENT_OPTED_IN:
      return _("Opted in");
    case TC_CONSENT_EVENT_OPTED_OUT:
      return _("Opted out");
    case TC_CONSENT_EVENT_RESUBSCRIBED:
      return _("Opted in again");
    case TC_CONSENT_EVENT_BLOCKED:
      return _("Blocked: the provider reported the number unsubscribed");
    case TC_CONSENT_EVENT_EXPIRED:
      return _("Expired without confirmation");
    default:
      return "";
    }
}

char *
tc_gui_format_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (utc);
  /* Translators: a short date, see g_date_time_format(): “3 Mar 2026” */
  return g_date_time_format (local, _("%-d %b %Y"));
}

static char *
format_date_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);

  if (utc == NULL)
    return g_strdup ("");

  return tc_gui_format_datetime (utc);
}

char *
tc_gui_describe_consent_state (TcChannel             channel,
                               TcPurpose             purpose,
                               const TcConsentState *state)
{
  const char *what = tc_gui_purpose_adjective (purpose);
  const char *where = tc_gui_channel_name (channel);
  g_autofree char *since = NULL;
  g_autofree char *expires = NULL;

  g_return_val_if_fail (state != NULL, NULL);

  since = tc_gui_format_date (state->since);

  switch (state->status)
    {
    case TC_CONSENT_STATUS_OPTED_IN:
      /* Translators: “Opted in to promotional SMS since 3 Mar 2026 — web form” */
      return g_strdup_printf (_("Opted in to %s %s since %s — %s"),
                              what, where, since, consent_source_phrase (state->source));

    case TC_CONSENT_STATUS_OPTED_OUT:
      /* Translators: “Opted out of promotional SMS since 3 Mar 2026 — keyword” */
      return g_strdup_printf (_("Opted out of %s %s since %s — %s"),
                              what, where, since, consent_source_phrase (state->source));

    case TC_CONSENT_STATUS_PENDING:
      expires = format_date_time (state->expires_at);
      /* Translators: “Pending confirmation of promotional SMS, expires 5 March 2026, 14:05” */
      return g_strdup_printf (_("Pending confirmation of %s %s, expires %s"), what, where, expires);

    case TC_CONSENT_STATUS_EXPIRED:
      expires = format_date_time (state->expires_at != 0 ? state->expires_at : state->since);
      /* Translators: “Expired: promotional SMS was not confirmed by 5 March 2026, 14:05” */
      return g_strdup_printf (_("Expired: %s %s was not confirmed by %s"), what, where, expires);

    case TC_CONSENT_STATUS_NONE:
    default:
      /* Translators: “No consent to promotional SMS recorded” */
      return g_strdup_printf (_("No consent to %s %s recorded"), what, where);
    }
}

static gboolean
parse_clock (const char *text,
             const char *end,
             guint      *minutes)
{
  guint hours = 0;
  guint mins = 0;
  const char *p = text;
  guint digits = 0;

  while (p < end && g_ascii_isdigit (*p) && digits < 2)
    {
      hours = hours * 10 + (guint) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0)
    return FALSE;

  if (p < end && *p == ':')
    {
      p++;
      if (end - p != 2 || !g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
        return FALSE;
      mins = (guint) (p[0] - '0') * 10 + (guint) (p[1] - '0');
      p += 2;
    }

  if (p != end || mins > 59 || hours > 24 || (hours == 24 && mins != 0))
    return FALSE;

  *minutes = hours * 60 + mins;
  return TRUE;
}

gboolean
tc_gui_parse_time_window (const char *text,
                          guint16    *start,
                          guint16    *end)
{
  g_autofree char *copy = NULL;
  const char *dash;
  const char *second;
  guint from;
  guint to;

  g_return_val_if_fail (start != NULL, FALSE);
  g_return_val_if_fail (end != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  if (copy[0] == '\0')
    {
      *start = 0;
      *end = 0;
      return TRUE;
    }

  /* “08:00-21:00”, with an en dash or spaces around it as people type. */
  dash = strstr (copy, "–");
  if (dash != NULL)
    second = dash + strlen ("–");
  else if ((dash = strchr (copy, '-')) != NULL)
    second = dash + 1;
  else
    return FALSE;

  while (dash > copy && dash[-1] == ' ')
    dash--;
  while (*second == ' ')
    second++;

  if (!parse_clock (copy, dash, &from) ||
      !parse_clock (second, second + strlen (second), &to) ||
      from >= to)
    return FALSE;

  *start = (guint16) from;
  *end = (guint16) to;
  return TRUE;
}

char *
tc_gui_format_time_window (guint16 start,
                           guint16 end)
{
  if (start == 0 && end == 0)
    return g_strdup ("");

  return g_strdup_printf ("%02u:%02u-%02u:%02u", start / 60u, start % 60u, end / 60u, end % 60u);
}

const char *
tc_gui_weekday_name (guint day)
{
  switch (day)
    {
    case 0: return _("Monday");
    case 1: return _("Tuesday");
    case 2: return _("Wednesday");
    case 3: return _("Thursday");
    case 4: return _("Friday");
    case 5: return _("Saturday");
    case 6: return _("Sunday");
    default: return "";
    }
}

static const char *
weekday_abbreviation (guint day)
{
  switch (day)
    {
    case 0: return C_("weekday", "Mon");
    case 1: return C_("weekday", "Tue");
    case 2: return C_("weekday", "Wed");
    case 3: return C_("weekday", "Thu");
    case 4: return C_("weekday", "Fri");
    case 5: return C_("weekday", "Sat");
    case 6: return C_("weekday", "Sun");
    default: return "";
    }
}

char *
tc_gui_describe_quiet_rule (const TcQuietHoursRule *rule)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint day = 0;

  g_return_val_if_fail (rule != NULL, NULL);

  /* Days in a row with the same window read as one range: “Mon–Sat”. */
  while (day < 7)
    {
      guint last = day;
      guint16 start = rule->days[day].start;
      guint16 end = rule->days[day].end;

      while (last + 1 < 7 &&
             rule->days[last + 1].start == start &&
             rule->days[last + 1].end == end)
        last++;

      if (text->len > 0)
        g_string_append (text, " · ");

      if (last == day)
        g_string_append (text, weekday_abbreviation (day));
      else
        g_string_append_printf (text, "%s–%s", weekday_abbreviation (day), weekday_abbreviation (last));
      g_string_append_c (text, ' ');

      if (start == end)
        g_string_append (text, _("no messages"));
      else
        g_string_append_printf (text, "%02u:%02u–%02u:%02u",
                                start / 60u, start % 60u, end / 60u, end % 60u);

      day = last + 1;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
tc_gui_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == TC_DB_ERROR)
    {
      switch ((TcDbError) error->code)
        {
        case TC_DB_ERROR_BUSY:
          return g_strdup (_("Another program is using this workspace. Close it and try again."));
        case TC_DB_ERROR_CORRUPT:
          return g_strdup (_("This file is not a Textcast workspace, or it is damaged. Restore it from a backup or start a new workspace."));
        case TC_DB_ERROR_TOO_NEW:
          return g_strdup (_("This workspace was made by a newer version of Textcast. Update Textcast to open it."));
        case TC_DB_ERROR_CANT_OPEN:
          return g_strdup_printf (_("The workspace file could not be opened or created. Check that its folder exists and that you may write to it. (%s)"),
                                  error->message);
        case TC_DB_ERROR_NOT_FOUND:
          return g_strdup (_("This contact no longer exists."));
        case TC_DB_ERROR_CONSTRAINT:
          return g_strdup (_("Another contact already has this phone number."));
        case TC_DB_ERROR_CLOSED:
          return g_strdup (_("The workspace is closed."));
        case TC_DB_ERROR_FAILED:
        default:
          return g_strdup_printf (_("The workspace reported a problem: %s"), error->message);
        }
    }

  if (error->domain == TC_IMPORT_ERROR)
    {
      switch ((TcImportError) error->code)
        {
        case TC_IMPORT_ERROR_NOT_FOUND:
          return g_strdup (_("The file could not be read. Check that it still exists and choose it again."));
        case TC_IMPORT_ERROR_NOT_TEXT:
          return g_strdup (_("This is not a CSV file. In your spreadsheet program, use “Save As” and choose CSV, then import that file."));
        case TC_IMPORT_ERROR_ENCODING:
          return g_strdup (_("The text in this file uses an unknown encoding. Save it again as “CSV UTF-8” and import that file."));
        case TC_IMPORT_ERROR_EMPTY:
          return g_strdup (_("The file is empty: it has no header row. The first line should name the columns, such as “Phone” and “First Name”."));
        case TC_IMPORT_ERROR_NO_PHONE_COLUMN:
          return g_strdup (_("No column holds phone numbers. Choose the phone column in the list of columns."));
        case TC_IMPORT_ERROR_INVALID_REGION:
          return g_strdup (_("The default country is not valid. Choose another one."));
        case TC_IMPORT_ERROR_MALFORMED:
          return g_strdup_printf (_("The file is not valid CSV and could not be read: %s. Open it in a spreadsheet program, save it again as CSV and try once more."),
                                  error->message);
        default:
          break;
        }
    }

  if (error->domain == TC_CONSENT_ERROR)
    {
      switch ((TcConsentError) error->code)
        {
        case TC_CONSENT_ERROR_INVALID_PHONE:
          return g_strdup_printf (_("This phone number cannot be read: %s"), error->message);
        case TC_CONSENT_ERROR_NOT_FOUND:
          return g_strdup (_("This contact no longer exists."));
        case TC_CONSENT_ERROR_ERASED:
          return g_strdup (_("This person asked to be erased. Only they can join again, by texting START."));
        case TC_CONSENT_ERROR_INVALID:
        default:
          /* The ledger says which field and what to do, in words. */
          return g_strdup (error->message);
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup (_("You may not write to this place. Choose another folder."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return g_strdup (_("The disk is full. Free some space and try again."));

  return g_strdup (error->message);
}
