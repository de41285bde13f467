/* tc-inbound.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-inbound"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-consent-ledger.h"
#include "tc-inbound.h"
#include "tc-keywords.h"
#include "tc-outbox.h"
#include "tc-phone.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

/* Provider payloads are bounded; so is what we keep of a message. */
#define MAX_BODY_BYTES (64 * 1024)

void
tc_inbound_result_free (TcInboundResult *result)
{
  if (result == NULL)
    return;

  g_free (result->keyword);
  g_free (result->reply);
  g_clear_pointer (&result->events, g_ptr_array_unref);
  g_free (result);
}

typedef struct
{
  TcChannel  channel;
  char      *from;
  char      *body;
  char      *provider_id;
  gint64     received_at;
} ProcessJob;

static void
process_job_free (ProcessJob *job)
{
  g_free (job->from);
  g_free (job->body);
  g_free (job->provider_id);
  g_free (job);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL ? text : "";
}

/* The keyword configuration from the settings. A broken custom setting
 * must never stop STOP from working: it falls back to the built-in lists
 * and says so in the log. */
static TcKeywords *
load_keywords (struct _TcDb *db)
{
  g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  TcKeywords *keywords;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT key, value FROM settings WHERE key >= 'keywords.' "
                             "AND key < 'keywords/'", &error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_insert (settings, g_strdup (column_text (stmt, 0)),
                             g_strdup (column_text (stmt, 1)));
      sqlite3_reset (stmt);
    }

  keywords = tc_keywords_new_from_settings (settings, &error);
  if (keywords == NULL)
    {
      g_warning ("Keyword settings ignored, using the built-in lists: %s", error->message);
      keywords = tc_keywords_new_default ();
    }

  return keywords;
}

static char *
normalize_sender (TcChannel    channel,
                  const char  *from,
                  GError     **error)
{
  g_autoptr(GError) phone_error = NULL;
  g_autofree char *input = g_strstrip (g_strdup (from));
  char *e164;

  if (g_str_has_prefix (input, "whatsapp:"))
    memmove (input, input + strlen ("whatsapp:"), strlen (input) - strlen ("whatsapp:") + 1);

  /* WhatsApp ids are international numbers without the plus. */
  if (channel == TC_CHANNEL_WHATSAPP && g_ascii_isdigit (input[0]))
    {
      g_autofree char *plus = g_strconcat ("+", input, NULL);

      e164 = tc_phone_normalize (plus, NULL, &phone_error);
    }
  else
    e164 = tc_phone_normalize (input, "US", &phone_error);

  if (e164 == NULL)
    g_set_error (error, TC_CONSENT_ERROR, TC_CONSENT_ERROR_INVALID_PHONE,
                 "The sender “%s” is not a phone number: %s", from, phone_error->message);

  return e164;
}

static gboolean
append_event (struct _TcDb        *db,
              TcInboundResult     *result,
              TcChannel            channel,
              TcPurpose            purpose,
              TcConsentEventKind   kind,
              const char          *body,
              const char          *origin,
              gint64               received_at,
              gint64               now,
              GError             **error)
{
  g_autoptr(TcConsent) event = tc_consent_new (result->contact_id, channel, purpose, kind);
  g_autoptr(GDateTime) occurred = g_date_time_new_from_unix_utc (received_at);

  tc_consent_set_source (event, TC_CONSENT_SOURCE_KEYWORD);
  tc_consent_set_method (event, kind == TC_CONSENT_EVENT_CONFIRMED ? TC_CONSENT_METHOD_DOUBLE
                                                                   : TC_CONSENT_METHOD_SINGLE);
  /* The person's own words are the evidence. */
  tc_consent_set_wording (event, body);
  tc_consent_set_origin (event, origin);
  tc_consent_set_occurred_at (event, occurred);

  if (!_tc_db_append_consent_event (db, event, now, error))
    return FALSE;

  g_ptr_array_add (result->events, g_steal_pointer (&event));
  return TRUE;
}

static gboolean
act_on_opt_in (struct _TcDb     *db,
               TcInboundResult  *result,
               TcChannel         channel,
               const char       *body,
               const char       *origin,
               gint64            received_at,
               gint64            now,
               const char      **reply_prefix,
               GError          **error)
{
  TcConsentState states[2];
  gboolean any_pending = FALSE;
  gboolean any_opted_out = FALSE;
  gboolean any_opted_in = FALSE;
  gboolean any_expired = FALSE;

  for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
    {
      if (!_tc_db_get_consent_state (db, result->contact_id, channel, p, received_at,
                                     &states[p], error))
        return FALSE;
      any_pending |= states[p].status == TC_CONSENT_STATUS_PENDING;
      any_opted_out |= states[p].status == TC_CONSENT_STATUS_OPTED_OUT;
      any_opted_in |= states[p].status == TC_CONSENT_STATUS_OPTED_IN;
      any_expired |= states[p].status == TC_CONSENT_STATUS_EXPIRED;
    }

  /* YES to a double opt-in request in time: confirm what was asked. */
  if (any_pending)
    {
      for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
        if (states[p].status == TC_CONSENT_STATUS_PENDING &&
            !append_event (db, result, channel, p, TC_CONSENT_EVENT_CONFIRMED, body, origin,
                           received_at, now, error))
          return FALSE;
      *reply_prefix = TC_SETTING_REPLY_CONFIRMED_PREFIX;
      return TRUE;
    }

  /* START / UNSTOP after STOP: undo the opt-out. */
  if (any_opted_out)
    {
      for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
        if (states[p].status == TC_CONSENT_STATUS_OPTED_OUT &&
            !append_event (db, result, channel, p, TC_CONSENT_EVENT_RESUBSCRIBED, body, origin,
                           received_at, now, error))
          return FALSE;
      *reply_prefix = TC_SETTING_REPLY_OPTIN_PREFIX;
      return TRUE;
    }

  if (any_opted_in)
    {
      /* Already subscribed: say so again, change nothing. */
      *reply_prefix = TC_SETTING_REPLY_OPTIN_PREFIX;
      return TRUE;
    }

  if (any_expired)
    {
      /* A YES after the confirmation time ran out is not a confirmation:
       * a person looks at it. */
      result->needs_review = TRUE;
      *reply_prefix = NULL;
      return TRUE;
    }

  /* Nothing recorded: texting START to the number is a keyword opt-in to
   * the program's messages. */
  if (!append_event (db, result, channel, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN,
                     body, origin, received_at, now, error))
    return FALSE;
  *reply_prefix = TC_SETTING_REPLY_OPTIN_PREFIX;

  return TRUE;
}

static gpointer
process_job (struct _TcDb  *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  ProcessJob *job = job_data;
  g_autoptr(TcInboundResult) result = g_new0 (TcInboundResult, 1);
  g_autoptr(TcKeywords) keywords = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *language = NULL;
  g_autofree char *origin = NULL;
  const char *reply_prefix = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 received_at = job->received_at != 0 ? job->received_at : now;
  gboolean suppressed = FALSE;
  TcKeywordMatch match;
  sqlite3_stmt *stmt;
  int rc;

  result->events = g_ptr_array_new_with_free_func (g_object_unref);

  e164 = normalize_sender (job->channel, job->from, error);
  if (e164 == NULL)
    return NULL;

  if (!_tc_db_begin (db, error))
    return NULL;

  /* The same provider message twice (a webhook retried): nothing new. */
  if (job->provider_id != NULL)
    {
      stmt = _tc_db_prepare (db,
                             "SELECT id, contact_id, action, keyword, needs_review "
                             "FROM inbound_messages WHERE channel = ?1 AND provider_id = ?2",
                             error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, tc_channel_to_string (job->channel), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, job->provider_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          result->duplicate = TRUE;
          result->inbound_id = sqlite3_column_int64 (stmt, 0);
          result->contact_id = sqlite3_column_int64 (stmt, 1);
          tc_inbound_action_from_string (column_text (stmt, 2), &result->action);
          if (*column_text (stmt, 3) != '\0')
            result->keyword = g_strdup (column_text (stmt, 3));
          result->needs_review = sqlite3_column_int (stmt, 4) != 0;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _tc_db_set_error (db, error, "Cannot look up the message");
          goto failed;
        }
      if (result->duplicate)
        {
          _tc_db_rollback (db);
          return g_steal_pointer (&result);
        }
    }

  keywords = load_keywords (db);
  tc_keywords_classify (keywords, job->body, -1, &match);
  result->action = match.action;
  result->keyword = g_strdup (match.keyword);
  result->needs_review = match.needs_review;

  if (!_tc_db_is_suppressed (db, e164, &suppressed, error) ||
      !_tc_db_find_contact_by_phone (db, e164, &result->contact_id, &language, error))
    goto failed;

  /* An erased person who texts START asked to come back; anyone else who
   * writes becomes a contact (the inbox needs one), except an erased
   * person who did not ask to come back. */
  if (suppressed && match.action == TC_INBOUND_ACTION_OPT_IN)
    {
      if (!_tc_db_unsuppress (db, e164, error))
        goto failed;
      suppressed = FALSE;
    }

  if (result->contact_id == 0 && !suppressed)
    {
      if (!_tc_db_create_contact_for_phone (db, e164, now, &result->contact_id, error))
        goto failed;
      result->contact_created = TRUE;
    }

  stmt = _tc_db_prepare (db,
                         "INSERT INTO inbound_messages (channel, phone, contact_id, body, received_at,"
                         "  action, keyword, needs_review, provider_id) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                         error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, tc_channel_to_string (job->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e164, -1, SQLITE_TRANSIENT);
  if (result->contact_id != 0)
    sqlite3_bind_int64 (stmt, 3, result->contact_id);
  sqlite3_bind_text (stmt, 4, job->body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, received_at);
  sqlite3_bind_text (stmt, 6, tc_inbound_action_to_string (match.action), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, match.keyword != NULL ? match.keyword : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 8, match.needs_review ? 1 : 0);
  if (job->provider_id != NULL)
    sqlite3_bind_text (stmt, 9, job->provider_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result->inbound_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot store the message");
      goto failed;
    }

  origin = g_strdup_printf ("%s message #%" G_GINT64_FORMAT " from %s",
                            job->channel == TC_CHANNEL_SMS ? "SMS" : "WhatsApp",
                            result->inbound_id, e164);

  if (result->contact_id != 0)
    {
      switch (match.action)
        {
        case TC_INBOUND_ACTION_OPT_OUT:
          for (guint p = TC_PURPOSE_PROMOTIONAL; p <= TC_PURPOSE_TRANSACTIONAL; p++)
            if ((match.all_purposes || p == match.purpose) &&
                !append_event (db, result, job->channel, p, TC_CONSENT_EVENT_OPTED_OUT,
                               job->body, origin, received_at, now, error))
              goto failed;
          reply_prefix = TC_SETTING_REPLY_OPTOUT_PREFIX;
          break;

        case TC_INBOUND_ACTION_OPT_IN:
          if (!act_on_opt_in (db, result, job->channel, job->body, origin, received_at, now,
                              &reply_prefix, error))
            goto failed;
          break;

        case TC_INBOUND_ACTION_KEYWORD:
          {
            TcConsentState state;
            TcConsentEventKind kind;

            if (!_tc_db_get_consent_state (db, result->contact_id, job->channel, match.purpose,
                                           received_at, &state, error))
              goto failed;

            if (match.unsubscribes)
              kind = TC_CONSENT_EVENT_OPTED_OUT;
            else if (state.status == TC_CONSENT_STATUS_OPTED_OUT)
              kind = TC_CONSENT_EVENT_RESUBSCRIBED;
            else
              kind = TC_CONSENT_EVENT_OPTED_IN;

            if (!append_event (db, result, job->channel, match.purpose, kind, job->body, origin,
                               received_at, now, error))
              goto failed;

            if (match.reply != NULL && *match.reply != '\0')
              result->reply = g_strdup (match.reply);
            else
              reply_prefix = match.unsubscribes ? TC_SETTING_REPLY_OPTOUT_PREFIX
                                                : TC_SETTING_REPLY_OPTIN_PREFIX;
          }
          break;

        case TC_INBOUND_ACTION_HELP:
          reply_prefix = TC_SETTING_REPLY_HELP_PREFIX;
          break;

        case TC_INBOUND_ACTION_MESSAGE:
        default:
          break;
        }
    }
  else if (match.action == TC_INBOUND_ACTION_OPT_OUT)
    /* An erased person saying STOP: nothing to record, but the law still
     * wants the confirmation. */
    reply_prefix = TC_SETTING_REPLY_OPTOUT_PREFIX;
  else if (match.action == TC_INBOUND_ACTION_HELP)
    reply_prefix = TC_SETTING_REPLY_HELP_PREFIX;

  if (reply_prefix != NULL)
    {
      const char *lang = language != NULL ? language : match.language;

      result->reply = _tc_db_compliance_text (db, reply_prefix, lang, error);
      if (result->reply == NULL)
        goto failed;
    }

  if (result->reply != NULL)
    {
      g_autofree char *idem_key = g_strdup_printf ("reply:%" G_GINT64_FORMAT, result->inbound_id);
      TcOutboxRow row = {
        .idem_key = idem_key,
        .origin = "reply",
        .contact_id = result->contact_id,
        .phone = e164,
        .channel = job->channel,
        .purpose = TC_PURPOSE_TRANSACTIONAL,
        .compliance = TRUE,
        .body = result->reply,
        .due_at = now,
      };

      if (!_tc_db_outbox_enqueue (db, &row, now, NULL, error))
        goto failed;
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  return g_steal_pointer (&result);

failed:
  _tc_db_rollback (db);
  return NULL;
}

void
tc_inbound_process_async (TcRepository         *repository,
                          TcChannel             channel,
                          const char           *from,
                          const char           *body,
                          const char           *provider_id,
                          gint64                received_at,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  ProcessJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (from != NULL);
  g_return_if_fail (body != NULL);

  job = g_new0 (ProcessJob, 1);
  job->channel = channel;
  job->from = g_strdup (from);
  /* Keep valid UTF-8 only, and not without bound. */
  job->body = g_utf8_make_valid (body, MIN (strlen (body), MAX_BODY_BYTES));
  job->provider_id = provider_id != NULL && *provider_id != '\0' ? g_strdup (provider_id) : NULL;
  job->received_at = received_at;

  _tc_repository_run_async (repository, TC_DB_JOB_WRITE, process_job,
                            job, (GDestroyNotify) process_job_free,
                            (GDestroyNotify) tc_inbound_result_free,
                            cancellable, callback, user_data);
}

TcInboundResult *
tc_inbound_process_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);

  return _tc_repository_run_finish (repository, result, error);
}

char *
tc_inbound_result_to_json (const TcInboundResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, tc_inbound_action_to_string (result->action));
  json_builder_set_member_name (builder, "keyword");
  if (result->keyword != NULL)
    json_builder_add_string_value (builder, result->keyword);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reply");
  if (result->reply != NULL)
    json_builder_add_string_value (builder, result->reply);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "needs_review");
  json_builder_add_boolean_value (builder, result->needs_review);
  json_builder_set_member_name (builder, "duplicate");
  json_builder_add_boolean_value (builder, result->duplicate);
  json_builder_set_member_name (builder, "contact_id");
  if (result->contact_id != 0)
    json_builder_add_int_value (builder, result->contact_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "inbound_id");
  json_builder_add_int_value (builder, result->inbound_id);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; result->events != NULL && i < result->events->len; i++)
    {
      TcConsent *event = g_ptr_array_index (result->events, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "channel");
      json_builder_add_string_value (builder, tc_channel_to_string (tc_consent_get_channel (event)));
      json_builder_set_member_name (builder, "purpose");
      json_builder_add_string_value (builder, tc_purpose_to_string (tc_consent_get_purpose (event)));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder,
                                     tc_consent_event_kind_to_string (tc_consent_get_kind (event)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
