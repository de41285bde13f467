/* tc-gui-util.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-gui-util"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

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
    case TC_CONSENT_STATUS_NONE:
    default:
      return "dim-label";
    }
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

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup (_("You may not write to this place. Choose another folder."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return g_strdup (_("The disk is full. Free some space and try again."));

  return g_strdup (error->message);
}
