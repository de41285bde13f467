/* tc-consent-ledger.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-consent-ledger"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-consent-ledger.h"
#include "tc-mustache.h"
#include "tc-outbox.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

/* A consent given a few minutes "in the future" is clock skew between the
 * form's server and this machine, not an error. */
#define CLOCK_SKEW_SECONDS (5 * 60)
#define DEFAULT_CONFIRM_HOURS 48

G_DEFINE_QUARK (tc-consent-error-quark, tc_consent_error)

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
tc_format_iso8601_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

void
tc_consent_outcome_free (TcConsentOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_clear_object (&outcome->event);
  g_free (outcome->confirmation_text);
  g_free (outcome);
}

void
tc_consent_report_free (TcConsentReport *report)
{
  if (report == NULL)
    return;

  g_free (report->phone);
  g_clear_pointer (&report->events, g_ptr_array_unref);
  g_free (report);
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL ? text : "";
}

static gboolean
step_done (struct _TcDb  *db,
           sqlite3_stmt  *stmt,
           GError       **error,
           const char    *what)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, what);

  return TRUE;
}

gboolean
_tc_db_get_consent_state (struct _TcDb   *db,
                          gint64          contact_id,
                          TcChannel       channel,
                          TcPurpose       purpose,
                          gint64          now,
                          TcConsentState *state,
                          GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  state->status = TC_CONSENT_STATUS_NONE;
  state->source = TC_CONSENT_SOURCE_MANUAL;

  stmt = _tc_db_prepare (db,
                         "SELECT status, since, expires_at, event_id, source FROM consent_state "
                         "WHERE contact_id = ?1 AND channel = ?2 AND purpose = ?3",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_text (stmt, 2, tc_channel_to_string (channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tc_purpose_to_string (purpose), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      tc_consent_status_from_string (column_text (stmt, 0), &state->status);
      state->since = sqlite3_column_int64 (stmt, 1);
      state->expires_at = sqlite3_column_int64 (stmt, 2);
      state->event_id = sqlite3_column_int64 (stmt, 3);
      tc_consent_source_from_string (column_text (stmt, 4), &state->source);

      if (state->status == TC_CONSENT_STATUS_PENDING &&
          state->expires_at != 0 && state->expires_at <= now)
        state->status = TC_CONSENT_STATUS_EXPIRED;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the consent status");

  return TRUE;
}

static gint64
date_time_or (GDateTime *dt,
              gint64     fallback)
{
  return dt != NULL ? g_date_time_to_unix (dt) : fallback;
}

gboolean
_tc_db_append_consent_event (struct _TcDb   *db,
                             TcConsent      *event,
                             gint64          now,
                             GError        **error)
{
  TcConsentState before;
  TcConsentStatus after;
  TcConsentStatus stored;
  sqlite3_stmt *stmt;
  gint64 occurred_at;
  gint64 expires_at;
  gint64 id;
  g_autoptr(GDateTime) recorded = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (TC_IS_CONSENT (event), FALSE);

  occurred_at = date_time_or (tc_consent_get_occurred_at (event), now);

  /* Whether a request had lapsed is decided at the moment of the event (a
   * YES in time that is recorded late still confirms). */
  if (!_tc_db_get_consent_state (db, tc_consent_get_contact_id (event),
                                 tc_consent_get_channel (event),
                                 tc_consent_get_purpose (event),
                                 occurred_at, &before, error))
    return FALSE;

  /* A pending request that lapsed is no longer pending: the fold sees it
   * as expired, so a late YES does not confirm it. */
  after = tc_consent_fold (before.status, tc_consent_get_kind (event));
  /* What consent_state holds: a lapsed request is stored as pending (with
   * its expiry) until an "expired" event is appended. */
  stored = before.status == TC_CONSENT_STATUS_EXPIRED && before.expires_at != 0
           ? TC_CONSENT_STATUS_PENDING : before.status;
  expires_at = date_time_or (tc_consent_get_expires_at (event), 0);

  stmt = _tc_db_prepare (db,
                         "INSERT INTO consent_events (contact_id, channel, purpose, kind, status,"
                         "  method, source, wording, origin, occurred_at, recorded_at, expires_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, tc_consent_get_contact_id (event));
  sqlite3_bind_text (stmt, 2, tc_channel_to_string (tc_consent_get_channel (event)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tc_purpose_to_string (tc_consent_get_purpose (event)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, tc_consent_event_kind_to_string (tc_consent_get_kind (event)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tc_consent_status_to_string (after), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, tc_consent_method_to_string (tc_consent_get_method (event)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, tc_consent_source_to_string (tc_consent_get_source (event)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, tc_consent_get_wording (event) ? tc_consent_get_wording (event) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, tc_consent_get_origin (event) ? tc_consent_get_origin (event) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, occurred_at);
  sqlite3_bind_int64 (stmt, 11, now);
  if (expires_at != 0)
    sqlite3_bind_int64 (stmt, 12, expires_at);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot store the consent event");
      sqlite3_reset (stmt);
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  if (!step_done (db, stmt, error, "Cannot store the consent event"))
    return FALSE;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO consent_state (contact_id, channel, purpose, status, since,"
                         "  expires_at, event_id, source) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                         "ON CONFLICT (contact_id, channel, purpose) DO UPDATE SET "
                         "  status = excluded.status, since = excluded.since,"
                         "  expires_at = excluded.expires_at, event_id = excluded.event_id,"
                         "  source = excluded.source",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, tc_consent_get_contact_id (event));
  sqlite3_bind_text (stmt, 2, tc_channel_to_string (tc_consent_get_channel (event)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tc_purpose_to_string (tc_consent_get_purpose (event)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, tc_consent_status_to_string (after), -1, SQLITE_STATIC);

  if (after == stored && before.event_id != 0)
    {
      /* Nothing changed (a second STOP, a YES with nothing pending): the
       * status keeps the event that set it. */
      sqlite3_bind_int64 (stmt, 5, before.since);
      if (before.expires_at != 0)
        sqlite3_bind_int64 (stmt, 6, before.expires_at);
      sqlite3_bind_int64 (stmt, 7, before.event_id);
      sqlite3_bind_text (stmt, 8, tc_consent_source_to_string (before.source), -1, SQLITE_STATIC);
    }
  else
    {
      sqlite3_bind_int64 (stmt, 5, occurred_at);
      if (after == TC_CONSENT_STATUS_PENDING && expires_at != 0)
        sqlite3_bind_int64 (stmt, 6, expires_at);
      sqlite3_bind_int64 (stmt, 7, id);
      sqlite3_bind_text (stmt, 8, tc_consent_source_to_string (tc_consent_get_source (event)), -1,
                         SQLITE_STATIC);
    }

  if (!step_done (db, stmt, error, "Cannot update the consent status"))
    return FALSE;

  recorded = g_date_time_new_from_unix_utc (now);
  tc_consent_set_id (event, id);
  tc_consent_set_status (event, after);
  tc_consent_set_recorded_at (event, recorded);
  if (tc_consent_get_occurred_at (event) == NULL)
    tc_consent_set_occurred_at (event, recorded);

  return TRUE;
}

static TcConsent *
event_from_stmt (sqlite3_stmt *stmt)
{
  TcChannel channel = TC_CHANNEL_SMS;
  TcPurpose purpose = TC_PURPOSE_PROMOTIONAL;
  TcConsentEventKind kind = TC_CONSENT_EVENT_OPTED_IN;
  TcConsentStatus status = TC_CONSENT_STATUS_NONE;
  TcConsentMethod method = TC_CONSENT_METHOD_SINGLE;
  TcConsentSource source = TC_CONSENT_SOURCE_MANUAL;
  g_autoptr(GDateTime) occurred_at = NULL;
  g_autoptr(GDateTime) recorded_at = NULL;
  TcConsent *event;

  tc_channel_from_string (column_text (stmt, 2), &channel);
  tc_purpose_from_string (column_text (stmt, 3), &purpose);
  tc_consent_event_kind_from_string (column_text (stmt, 4), &kind);
  tc_consent_status_from_string (column_text (stmt, 5), &status);
  tc_consent_method_from_string (column_text (stmt, 6), &method);
  tc_consent_source_from_string (column_text (stmt, 7), &source);

  event = tc_consent_new (sqlite3_column_int64 (stmt, 1), channel, purpose, kind);
  tc_consent_set_id (event, sqlite3_column_int64 (stmt, 0));
  tc_consent_set_status (event, status);
  tc_consent_set_method (event, method);
  tc_consent_set_source (event, source);
  tc_consent_set_wording (event, column_text (stmt, 8));
  if (*column_text (stmt, 9) != '\0')
    tc_consent_set_origin (event, column_text (stmt, 9));

  occurred_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 10));
  recorded_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 11));
  tc_consent_set_occurred_at (event, occurred_at);
  tc_consent_set_recorded_at (event, recorded_at);

  if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) expires_at =
        g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 12));

      tc_consent_set_expires_at (event, expires_at);
    }

  return event;
}

TcConsentReport *
_tc_db_load_consent_report (struct _TcDb  *db,
                            gint64         contact_id,
                            gint64         now,
                            GError       **error)
{
  g_autoptr(TcConsentReport) report = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT phone FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      report = g_new0 (TcConsentReport, 1);
      report->contact_id = contact_id;
      report->phone = g_strdup (column_text (stmt, 0));
      report->events = g_ptr_array_new_with_free_func (g_object_unref);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the contact");
      return NULL;
    }
  if (report == NULL)
    {
      g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND,
                   "There is no contact with id %" G_GINT64_FORMAT, contact_id);
      return NULL;
    }

  stmt = _tc_db_prepare (db,
                         "SELECT id, contact_id, channel, purpose, kind, status, method, source,"
                         "  wording, origin, occurred_at, recorded_at, expires_at "
                         "FROM consent_events WHERE contact_id = ?1 ORDER BY id",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (report->events, event_from_stmt (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the consent events");
      return NULL;
    }

  for (guint c = TC_CHANNEL_SMS; c <= TC_CHANNEL_WHATSAPP; c++)
    for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
      if (!_tc_db_get_consent_state (db, contact_id, c, p, now, &report->states[c][p], error))
        return NULL;

  return g_steal_pointer (&report);
}

gboolean
_tc_db_find_contact_by_phone (struct _TcDb  *db,
                              const char    *e164,
                              gint64        *contact_id,
                              char         **language,
                              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);
  g_return_val_if_fail (contact_id != NULL, FALSE);

  *contact_id = 0;
  if (language != NULL)
    *language = NULL;

  stmt = _tc_db_prepare (db, "SELECT id, language FROM contacts WHERE phone = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *contact_id = sqlite3_column_int64 (stmt, 0);
      if (language != NULL && *column_text (stmt, 1) != '\0')
        *language = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot look up the contact");

  return TRUE;
}

gboolean
_tc_db_create_contact_for_phone (struct _TcDb  *db,
                                 const char    *e164,
                                 gint64         now,
                                 gint64        *contact_id,
                                 GError       **error)
{
  g_autoptr(TcPhoneInfo) info = NULL;
  TcContactRow row = { 0, };

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  row.phone = e164;
  info = tc_phone_parse (e164, NULL, TC_PHONE_PARSE_TIMEZONES, NULL);
  if (info != NULL)
    {
      if (info->region != NULL && strlen (info->region) == 2)
        row.country = info->region;
      row.timezones = (const char * const *) info->timezones;
    }

  return _tc_db_upsert_contact (db, &row, now, contact_id, NULL, error);
}

static char *
setting_or (struct _TcDb  *db,
            const char    *key,
            const char    *fallback,
            GError       **error)
{
  GError *local_error = NULL;
  char *value = _tc_db_get_setting (db, key, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (value == NULL || *value == '\0')
    {
      g_free (value);
      return g_strdup (fallback);
    }

  return value;
}

/* "fr-CA", "fr_CA" and "FR" all mean "fr". */
static char *
base_language (const char *language)
{
  char *lang;

  if (language == NULL || *language == '\0')
    return g_strdup ("en");

  lang = g_ascii_strdown (language, -1);
  lang[strcspn (lang, "-_.@")] = '\0';
  if (*lang == '\0')
    {
      g_free (lang);
      return g_strdup ("en");
    }

  return lang;
}

char *
_tc_db_compliance_text (struct _TcDb  *db,
                        const char    *prefix,
                        const char    *language,
                        GError       **error)
{
  g_autofree char *lang = base_language (language);
  g_autofree char *key = g_strconcat (prefix, lang, NULL);
  g_autofree char *source = NULL;
  g_autofree char *brand = NULL;
  g_autofree char *program = NULL;
  g_autofree char *frequency = NULL;
  g_autofree char *support = NULL;
  g_autoptr(TcMustacheTemplate) tmpl = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) vars = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  source = _tc_db_get_setting (db, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (source == NULL || *source == '\0')
    {
      const char *builtin = tc_settings_default_text (prefix, lang);

      g_clear_pointer (&source, g_free);
      /* The built-in text for the language itself when there is one;
       * otherwise the user's English text before the built-in English. */
      if (builtin != NULL && tc_settings_default_text (prefix, "en") != builtin)
        source = g_strdup (builtin);
      else
        {
          g_autofree char *en_key = g_strconcat (prefix, "en", NULL);

          source = setting_or (db, en_key, tc_settings_default_text (prefix, "en"), error);
          if (source == NULL && error != NULL && *error != NULL)
            return NULL;
        }
    }
  if (source == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "There is no text for “%s”", prefix);
      return NULL;
    }

  brand = setting_or (db, TC_SETTING_BRAND_NAME, "Textcast", error);
  if (brand == NULL)
    return NULL;
  program = setting_or (db, TC_SETTING_HELP_PROGRAM, brand, error);
  if (program == NULL)
    return NULL;
  frequency = setting_or (db, TC_SETTING_HELP_FREQUENCY, "Msg frequency varies", error);
  if (frequency == NULL)
    return NULL;
  support = setting_or (db, TC_SETTING_HELP_SUPPORT, "", error);
  if (support == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "program");
  json_builder_add_string_value (builder, program);
  json_builder_set_member_name (builder, "frequency");
  json_builder_add_string_value (builder, frequency);
  json_builder_set_member_name (builder, "support");
  json_builder_add_string_value (builder, support);
  json_builder_end_object (builder);
  vars = json_builder_get_root (builder);

  tmpl = tc_mustache_parse (source, -1, error);
  if (tmpl == NULL)
    {
      g_prefix_error (error, "The text of setting “%s” is not a valid template: ", key);
      return NULL;
    }

  return tc_mustache_render (tmpl, vars, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, error);
}

/* ------------------------------------------------------------------------
 * Recording
 */

typedef struct
{
  char               *phone;
  char               *default_region;
  TcChannel           channel;
  TcPurpose           purpose;
  TcConsentEventKind  kind;
  TcConsentSource     source;
  char               *wording;
  char               *origin;
  gint64              occurred_at;   /* 0 = now */
  gboolean            create_contact;
  gboolean            confirmed;
} RecordJob;

static void
record_job_free (RecordJob *job)
{
  g_free (job->phone);
  g_free (job->default_region);
  g_free (job->wording);
  g_free (job->origin);
  g_free (job);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;

  return TRUE;
}

static gboolean
source_needs_wording (TcConsentSource source)
{
  switch (source)
    {
    case TC_CONSENT_SOURCE_WEB_FORM:
    case TC_CONSENT_SOURCE_CHECKOUT:
    case TC_CONSENT_SOURCE_QR_CODE:
    case TC_CONSENT_SOURCE_MANUAL:
    case TC_CONSENT_SOURCE_API:
      return TRUE;

    case TC_CONSENT_SOURCE_KEYWORD:
    case TC_CONSENT_SOURCE_IMPORT:
    case TC_CONSENT_SOURCE_PROVIDER:
    case TC_CONSENT_SOURCE_SYSTEM:
    default:
      return FALSE;
    }
}

/* Sources where the person's own action was the confirmation, or where
 * the consent was given in the past: no confirmation text is sent. */
static gboolean
source_skips_double_optin (TcConsentSource source)
{
  return source == TC_CONSENT_SOURCE_KEYWORD ||
         source == TC_CONSENT_SOURCE_IMPORT ||
         source == TC_CONSENT_SOURCE_PROVIDER ||
         source == TC_CONSENT_SOURCE_SYSTEM;
}

static gboolean
setting_is_true (struct _TcDb  *db,
                 const char    *key,
                 gboolean      *value,
                 GError       **error)
{
  GError *local_error = NULL;
  g_autofree char *text = _tc_db_get_setting (db, key, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  *value = text != NULL && (g_ascii_strcasecmp (text, "true") == 0 ||
                            g_ascii_strcasecmp (text, "yes") == 0 ||
                            strcmp (text, "1") == 0);
  return TRUE;
}

static gboolean
confirm_hours (struct _TcDb  *db,
               guint         *hours,
               GError       **error)
{
  GError *local_error = NULL;
  g_autofree char *text = _tc_db_get_setting (db, TC_SETTING_CONFIRM_HOURS, &local_error);
  guint64 value;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  *hours = DEFAULT_CONFIRM_HOURS;
  if (text == NULL || *text == '\0')
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 24 * 365, &value, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The setting %s is “%s”; it must be a number of hours from 1 to 8760",
                   TC_SETTING_CONFIRM_HOURS, text);
      return FALSE;
    }

  *hours = (guint) value;
  return TRUE;
}

static gpointer
record_job (struct _TcDb  *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  RecordJob *job = job_data;
  g_autoptr(TcConsentOutcome) outcome = g_new0 (TcConsentOutcome, 1);
  g_autofree char *e164 = NULL;
  g_autofree char *language = NULL;
  g_autoptr(GError) phone_error = NULL;
  gint64 now = now_unix ();
  gint64 occurred_at = job->occurred_at != 0 ? job->occurred_at : now;
  gboolean suppressed = FALSE;
  TcConsentState before;
  TcConsentEventKind kind = job->kind;
  TcConsentMethod method = TC_CONSENT_METHOD_SINGLE;
  gint64 expires_at = 0;
  g_autoptr(GDateTime) occurred = NULL;

  e164 = tc_phone_normalize (job->phone, job->default_region, &phone_error);
  if (e164 == NULL)
    {
      g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
                   "“%s” is not a phone number Textcast can text: %s",
                   job->phone, phone_error->message);
      return NULL;
    }

  if (!_tc_db_begin (db, error))
    return NULL;

  if (!_tc_db_is_suppressed (db, e164, &suppressed, error))
    goto failed;

  if (!_tc_db_find_contact_by_phone (db, e164, &outcome->contact_id, &language, error))
    goto failed;

  if (suppressed && outcome->contact_id == 0 &&
      (kind == TC_CONSENT_EVENT_OPTED_IN || kind == TC_CONSENT_EVENT_REQUESTED ||
       kind == TC_CONSENT_EVENT_RESUBSCRIBED || kind == TC_CONSENT_EVENT_CONFIRMED))
    {
      g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_ERASED,
                   "%s was erased at the person’s request. Only they can opt in again, "
                   "by texting START to your number.", e164);
      goto failed;
    }

  if (outcome->contact_id == 0)
    {
      if (!job->create_contact)
        {
          g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND,
                       "There is no contact with the number %s", e164);
          goto failed;
        }
      if (!_tc_db_create_contact_for_phone (db, e164, now, &outcome->contact_id, error))
        goto failed;
      outcome->contact_created = TRUE;
    }

  if (!_tc_db_get_consent_state (db, outcome->contact_id, job->channel, job->purpose,
                                 now, &before, error))
    goto failed;

  /* Double opt-in: an opt-in that the person did not send us themselves
   * waits for their YES, unless they already confirmed it elsewhere or
   * are opted in already. */
  if (kind == TC_CONSENT_EVENT_OPTED_IN && !job->confirmed &&
      !source_skips_double_optin (job->source) &&
      before.status != TC_CONSENT_STATUS_OPTED_IN)
    {
      g_autofree char *key = g_strconcat (TC_SETTING_DOUBLE_OPTIN_PREFIX,
                                          tc_channel_to_string (job->channel), NULL);
      gboolean double_optin = FALSE;
      guint hours = DEFAULT_CONFIRM_HOURS;

      if (!setting_is_true (db, key, &double_optin, error) ||
          !confirm_hours (db, &hours, error))
        goto failed;

      if (double_optin)
        {
          kind = TC_CONSENT_EVENT_REQUESTED;
          method = TC_CONSENT_METHOD_DOUBLE;
          /* The person has this long from now to answer, whenever they
           * filled in the form. */
          expires_at = now + (gint64) hours * 3600;
        }
    }
  else if (kind == TC_CONSENT_EVENT_OPTED_IN && job->confirmed)
    method = TC_CONSENT_METHOD_DOUBLE;

  occurred = g_date_time_new_from_unix_utc (occurred_at);
  outcome->event = tc_consent_new (outcome->contact_id, job->channel, job->purpose, kind);
  tc_consent_set_method (outcome->event, method);
  tc_consent_set_source (outcome->event, job->source);
  tc_consent_set_wording (outcome->event, job->wording);
  tc_consent_set_origin (outcome->event, job->origin);
  tc_consent_set_occurred_at (outcome->event, occurred);
  if (expires_at != 0)
    {
      g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (expires_at);

      tc_consent_set_expires_at (outcome->event, expires);
    }

  if (!_tc_db_append_consent_event (db, outcome->event, now, error))
    goto failed;

  if (kind == TC_CONSENT_EVENT_REQUESTED)
    {
      g_autofree char *idem_key = g_strdup_printf ("confirm:%" G_GINT64_FORMAT,
                                                   tc_consent_get_id (outcome->event));
      TcOutboxRow row = {
        .idem_key = idem_key,
        .origin = "confirm",
        .contact_id = outcome->contact_id,
        .phone = e164,
        .channel = job->channel,
        .purpose = job->purpose,
        .compliance = TRUE,
        .due_at = now,
      };

      outcome->confirmation_text = _tc_db_compliance_text (db, TC_SETTING_CONFIRM_TEXT_PREFIX,
                                                           language, error);
      if (outcome->confirmation_text == NULL)
        goto failed;

      row.body = outcome->confirmation_text;
      if (!_tc_db_outbox_enqueue (db, &row, now, NULL, error))
        goto failed;
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  if (!_tc_db_get_consent_state (db, outcome->contact_id, job->channel, job->purpose,
                                 now, &outcome->state, error))
    return NULL;

  return g_steal_pointer (&outcome);

failed:
  _tc_db_rollback (db);
  return NULL;
}

void
tc_consent_ledger_record_async (TcRepository            *repository,
                                const TcConsentRequest  *request,
                                GCancellable            *cancellable,
                                GAsyncReadyCallback      callback,
                                gpointer                 user_data)
{
  RecordJob *job;
  gint64 now = now_unix ();

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (request != NULL);

  if (request->phone == NULL || *request->phone == '\0')
    {
      g_task_report_new_error (repository, callback, user_data, tc_consent_ledger_record_async,
                               TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
                               "A phone number is required");
      return;
    }

  if ((request->kind == TC_CONSENT_EVENT_OPTED_IN || request->kind == TC_CONSENT_EVENT_REQUESTED) &&
      source_needs_wording (request->source) && is_blank (request->wording))
    {
      g_task_report_new_error (repository, callback, user_data, tc_consent_ledger_record_async,
                               TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID,
                               "The exact wording the person agreed to is required for a "
                               "consent from %s: it is the proof of what they said yes to",
                               tc_consent_source_to_string (request->source));
      return;
    }

  if (request->occurred_at != NULL &&
      g_date_time_to_unix (request->occurred_at) > now + CLOCK_SKEW_SECONDS)
    {
      g_autofree char *when = tc_format_iso8601_utc (g_date_time_to_unix (request->occurred_at));

      g_task_report_new_error (repository, callback, user_data, tc_consent_ledger_record_async,
                               TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID,
                               "The consent time %s is in the future; give the time the "
                               "person actually agreed", when);
      return;
    }

  job = g_new0 (RecordJob, 1);
  job->phone = g_strdup (request->phone);
  job->default_region = g_strdup (request->default_region != NULL ? request->default_region : "US");
  job->channel = request->channel;
  job->purpose = request->purpose;
  job->kind = request->kind;
  job->source = request->source;
  job->wording = g_strdup (request->wording);
  job->origin = g_strdup (request->origin);
  job->occurred_at = request->occurred_at != NULL ? g_date_time_to_unix (request->occurred_at) : 0;
  job->create_contact = request->create_contact;
  job->confirmed = request->confirmed;

  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, record_job,
                            job, (GDestroyNotify) record_job_free,
                            (GDestroyNotify) tc_consent_outcome_free,
                            cancellable, callback, user_data);
}

TcConsentOutcome *
tc_consent_ledger_record_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  if (g_task_get_source_tag (G_TASK (result)) == tc_consent_ledger_record_async)
    return g_task_propagate_pointer (G_TASK (result), error);

  return _tc_repository_run_finish (repository, result, error);
}

/* ------------------------------------------------------------------------
 * Reports
 */

typedef struct
{
  gint64  contact_id;
  char   *phone;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_free (job->phone);
  g_free (job);
}

static gpointer
report_job (struct _TcDb  *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ReportJob *job = job_data;
  gint64 contact_id = job->contact_id;

  if (job->phone != NULL)
    {
      g_autoptr(GError) phone_error = NULL;
      g_autofree char *e164 = tc_phone_normalize (job->phone, "US", &phone_error);

      if (e164 == NULL)
        {
          g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
                       "“%s” is not a phone number: %s", job->phone, phone_error->message);
          return NULL;
        }
      if (!_tc_db_find_contact_by_phone (db, e164, &contact_id, NULL, error))
        return NULL;
      if (contact_id == 0)
        {
          g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_NOT_FOUND,
                       "There is no contact with the number %s", e164);
          return NULL;
        }
    }

  return _tc_db_load_consent_report (db, contact_id, now_unix (), error);
}

void
tc_consent_ledger_report_async (TcRepository         *repository,
                                gint64                contact_id,
                                const char           *phone,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  ReportJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (contact_id > 0 || phone != NULL);

  job = g_new0 (ReportJob, 1);
  job->contact_id = contact_id;
  job->phone = g_strdup (phone);

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, report_job,
                                 job, (GDestroyNotify) report_job_free,
                                 (GDestroyNotify) tc_consent_report_free, FALSE,
                                 cancellable, callback, user_data);
}

TcConsentReport *
tc_consent_ledger_report_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return _tc_repository_run_finish (repository, result, error);
}

/* ------------------------------------------------------------------------
 * Expiry
 */

static gpointer
expire_job (struct _TcDb  *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 now = *(gint64 *) job_data;
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64) * 4);
  sqlite3_stmt *stmt;
  guint *n_expired;
  int rc;

  if (!_tc_db_begin (db, error))
    return NULL;

  stmt = _tc_db_prepare (db,
                         "SELECT contact_id, channel, purpose, expires_at FROM consent_state "
                         "WHERE status = 'pending' AND expires_at <= ?1",
                         error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcChannel channel = TC_CHANNEL_SMS;
      TcPurpose purpose = TC_PURPOSE_PROMOTIONAL;
      gint64 row[4];

      tc_channel_from_string (column_text (stmt, 1), &channel);
      tc_purpose_from_string (column_text (stmt, 2), &purpose);
      row[0] = sqlite3_column_int64 (stmt, 0);
      row[1] = channel;
      row[2] = purpose;
      row[3] = sqlite3_column_int64 (stmt, 3);
      g_array_append_vals (due, row, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot find expired consent requests");
      goto failed;
    }

  for (guint i = 0; i < due->len; i++)
    {
      const gint64 *row = (const gint64 *) (due->data + i * sizeof (gint64) * 4);
      g_autoptr(TcConsent) event = tc_consent_new (row[0], (TcChannel) row[1],
                                                   (TcPurpose) row[2], TC_CONSENT_EVENT_EXPIRED);
      g_autoptr(GDateTime) occurred = g_date_time_new_from_unix_utc (row[3]);

      tc_consent_set_source (event, TC_CONSENT_SOURCE_SYSTEM);
      tc_consent_set_method (event, TC_CONSENT_METHOD_DOUBLE);
      tc_consent_set_origin (event, "not confirmed in time");
      tc_consent_set_occurred_at (event, occurred);

      if (!_tc_db_append_consent_event (db, event, now, error))
        goto failed;
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  n_expired = g_new (guint, 1);
  *n_expired = due->len;
  return n_expired;

failed:
  _tc_db_rollback (db);
  return NULL;
}

void
tc_consent_ledger_expire_async (TcRepository         *repository,
                                gint64                now,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  gint64 *job = g_new (gint64, 1);

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  *job = now;
  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, expire_job,
                            job, g_free, g_free, cancellable, callback, user_data);
}

gboolean
tc_consent_ledger_expire_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 guint         *n_expired,
                                 GError       **error)
{
  g_autofree guint *count = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);

  count = _tc_repository_run_finish (repository, result, error);
  if (count == NULL)
    return FALSE;

  if (n_expired != NULL)
    *n_expired = *count;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * JSON
 */

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       unix_seconds)
{
  json_builder_set_member_name (builder, name);
  if (unix_seconds == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = tc_format_iso8601_utc (unix_seconds);

      json_builder_add_string_value (builder, text);
    }
}

static void
add_date_time_member (JsonBuilder *builder,
                      const char  *name,
                      GDateTime   *dt)
{
  add_time_member (builder, name, dt != NULL ? g_date_time_to_unix (dt) : 0);
}

void
tc_consent_build_json (TcConsent   *event,
                       JsonBuilder *builder)
{
  g_return_if_fail (TC_IS_CONSENT (event));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, tc_consent_get_id (event));
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, tc_channel_to_string (tc_consent_get_channel (event)));
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, tc_purpose_to_string (tc_consent_get_purpose (event)));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder,
                                 tc_consent_event_kind_to_string (tc_consent_get_kind (event)));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder,
                                 tc_consent_status_to_string (tc_consent_get_status (event)));
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder,
                                 tc_consent_method_to_string (tc_consent_get_method (event)));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder,
                                 tc_consent_source_to_string (tc_consent_get_source (event)));
  json_builder_set_member_name (builder, "wording");
  json_builder_add_string_value (builder, tc_consent_get_wording (event) ?
                                          tc_consent_get_wording (event) : "");
  json_builder_set_member_name (builder, "origin");
  if (tc_consent_get_origin (event) != NULL && *tc_consent_get_origin (event) != '\0')
    json_builder_add_string_value (builder, tc_consent_get_origin (event));
  else
    json_builder_add_null_value (builder);
  add_date_time_member (builder, "occurred_at", tc_consent_get_occurred_at (event));
  add_date_time_member (builder, "recorded_at", tc_consent_get_recorded_at (event));
  add_date_time_member (builder, "expires_at", tc_consent_get_expires_at (event));
  json_builder_end_object (builder);
}

char *
tc_consent_report_to_json (const TcConsentReport *report,
                           gboolean               pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contact_id");
  json_builder_add_int_value (builder, report->contact_id);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, report->phone);

  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  for (guint c = TC_CHANNEL_SMS; c <= TC_CHANNEL_WHATSAPP; c++)
    {
      json_builder_set_member_name (builder, tc_channel_to_string (c));
      json_builder_begin_object (builder);
      for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
        {
          const TcConsentState *state = &report->states[c][p];

          json_builder_set_member_name (builder, tc_purpose_to_string (p));
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, tc_consent_status_to_string (state->status));
          add_time_member (builder, "since", state->since);
          add_time_member (builder, "expires_at", state->expires_at);
          json_builder_set_member_name (builder, "source");
          if (state->event_id != 0)
            json_builder_add_string_value (builder, tc_consent_source_to_string (state->source));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; report->events != NULL && i < report->events->len; i++)
    {
      tc_consent_build_json (g_ptr_array_index (report->events, i), builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);

  return json_generator_to_data (generator, NULL);
}
