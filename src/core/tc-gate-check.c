/* tc-gate-check.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-gate-check"

#include "config.h"

#include <string.h>

#include "tc-consent-ledger.h"
#include "tc-gate-check.h"
#include "tc-outbox.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

typedef struct
{
  char             *phone;
  char             *default_region;
  TcChannel         channel;
  TcPurpose         purpose;
  TcGateContent     content;
  TcGateWaCategory  wa_category;
  gboolean          template_approved;
  char             *sender_id;
  gint64            now;
} CheckJob;

static void
check_job_free (CheckJob *job)
{
  g_free (job->phone);
  g_free (job->default_region);
  g_free (job->sender_id);
  g_free (job);
}

static GHashTable *
load_settings (struct _TcDb  *db,
               GError       **error)
{
  g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT key, value FROM settings", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (settings,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the settings");
      return NULL;
    }

  return g_steal_pointer (&settings);
}

/* The contact's stored zones (an import may have set them by hand) and
 * the time of their last message on @channel. */
static gboolean
load_contact_facts (struct _TcDb  *db,
                    gint64         contact_id,
                    TcChannel      channel,
                    char        ***timezones,
                    gint64        *last_inbound_at,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db,
                         "SELECT c.timezones, (SELECT max (received_at) FROM inbound_messages i "
                         "  WHERE i.contact_id = c.id AND i.channel = ?2) "
                         "FROM contacts c WHERE c.id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_text (stmt, 2, tc_channel_to_string (channel), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *zones = (const char *) sqlite3_column_text (stmt, 0);

      if (zones != NULL && *zones != '\0')
        *timezones = g_strsplit (zones, " ", -1);
      *last_inbound_at = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the contact");

  return TRUE;
}

GHashTable *
_tc_db_gate_load_settings (struct _TcDb  *db,
                           GError       **error)
{
  return load_settings (db, error);
}

gboolean
_tc_db_gate_check (struct _TcDb        *db,
                   const TcGatePolicy  *policy,
                   const TcGateQuery   *query,
                   TcGateDecision      *decision,
                   GError             **error)
{
  g_autoptr(TcPhoneInfo) info = NULL;
  g_autoptr(GError) phone_error = NULL;
  g_autoptr(TcSender) sender = NULL;
  g_autofree char *subdivision = NULL;
  g_auto(GStrv) stored_zones = NULL;
  TcGateRecipient recipient = { 0, };
  TcGateMessage message = { 0, };
  gint64 contact_id = 0;
  gboolean suppressed = FALSE;
  gint64 now = query->now != 0 ? query->now : g_get_real_time () / G_USEC_PER_SEC;

  info = tc_phone_parse (query->phone, query->default_region != NULL ? query->default_region : "US",
                         TC_PHONE_PARSE_ALL, &phone_error);
  if (info == NULL)
    {
      /* Not a number at all is a question Textcast cannot answer; a
       * number it can read but not text is an answer: skip. */
      if (g_error_matches (phone_error, TC_PHONE_ERROR, TC_PHONE_ERROR_NOT_A_NUMBER))
        {
          g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
                       "“%s” is not a phone number: %s", query->phone, phone_error->message);
          return FALSE;
        }
      recipient.phone = query->phone;
      recipient.number_valid = FALSE;
    }
  else
    {
      recipient.phone = info->e164;
      recipient.number_valid = TRUE;
      recipient.line_type = info->type;
      recipient.country = info->region;
      subdivision = tc_phone_subdivision (info->region, info->location);
      recipient.subdivision = subdivision;
      recipient.timezones = (const char * const *) info->timezones;

      if (!_tc_db_is_suppressed (db, info->e164, &suppressed, error) ||
          !_tc_db_find_contact_by_phone (db, info->e164, &contact_id, NULL, error))
        return FALSE;
      recipient.erased = suppressed;
    }

  recipient.consent = TC_CONSENT_STATUS_NONE;
  if (contact_id != 0)
    {
      TcConsentState state;
      guint cap_count = tc_gate_policy_get_cap_count (policy);

      if (!_tc_db_get_consent_state (db, contact_id, query->channel, query->purpose, now,
                                     &state, error) ||
          !load_contact_facts (db, contact_id, query->channel, &stored_zones,
                               &recipient.last_inbound_at, error))
        return FALSE;
      recipient.consent = state.status;
      if (stored_zones != NULL && stored_zones[0] != NULL)
        recipient.timezones = (const char * const *) stored_zones;

      if (cap_count > 0 &&
          !_tc_db_outbox_count_promotional (db, contact_id,
                                            now - tc_gate_policy_get_cap_window (policy),
                                            &recipient.recent_promotional, error))
        return FALSE;
    }

  if (query->sender_id != NULL && query->sender_id[0] != '\0')
    {
      sender = _tc_db_lookup_sender (db, query->sender_id, error);
      if (sender == NULL)
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          sender = tc_sender_new_unregistered (query->sender_id, query->channel);
        }
    }

  message.channel = query->channel;
  message.purpose = query->purpose;
  message.content = query->content;
  message.wa_category = query->wa_category;
  message.template_approved = query->template_approved;
  message.sender = sender;
  message.now = now;

  tc_gate_decide (policy, &recipient, &message, decision);

  return TRUE;
}

static gpointer
check_job (struct _TcDb  *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  CheckJob *job = job_data;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(TcGatePolicy) policy = NULL;
  g_autofree TcGateDecision *decision = g_new0 (TcGateDecision, 1);
  TcGateQuery query = {
    .phone = job->phone,
    .default_region = job->default_region,
    .channel = job->channel,
    .purpose = job->purpose,
    .content = job->content,
    .wa_category = job->wa_category,
    .template_approved = job->template_approved,
    .sender_id = job->sender_id,
    .now = job->now,
  };

  settings = load_settings (db, error);
  if (settings == NULL)
    return NULL;
  policy = tc_gate_policy_new_from_settings (settings, error);
  if (policy == NULL)
    return NULL;
  if (!_tc_db_gate_check (db, policy, &query, decision, error))
    return NULL;

  return g_steal_pointer (&decision);
}

void
tc_gate_check_async (TcRepository        *repository,
                     const TcGateQuery   *query,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  CheckJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (query != NULL);
  g_return_if_fail (query->phone != NULL);

  job = g_new0 (CheckJob, 1);
  job->phone = g_strdup (query->phone);
  job->default_region = g_strdup (query->default_region != NULL ? query->default_region : "US");
  job->channel = query->channel;
  job->purpose = query->purpose;
  job->content = query->content;
  job->wa_category = query->wa_category;
  job->template_approved = query->template_approved;
  job->sender_id = g_strdup (query->sender_id);
  job->now = query->now != 0 ? query->now : g_get_real_time () / G_USEC_PER_SEC;

  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, check_job,
                                 job, (GDestroyNotify) check_job_free, g_free, FALSE,
                                 cancellable, callback, user_data);
}

gboolean
tc_gate_check_finish (TcRepository    *repository,
                      GAsyncResult    *result,
                      TcGateDecision  *decision,
                      GError         **error)
{
  g_autofree TcGateDecision *answer = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);

  answer = _tc_repository_run_finish (repository, result, error);
  if (answer == NULL)
    return FALSE;

  *decision = *answer;
  return TRUE;
}
