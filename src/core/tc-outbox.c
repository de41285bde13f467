/* tc-outbox.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox rows and their history. Every function that changes a row's
 * state appends its outbox_events row in the same transaction (add_event).
 *
 * Claiming walks the due rows per channel and sender through the partial
 * index outbox_pending (channel, sender_id, due_at) WHERE state IN
 * ('queued', 'deferred'): the senders are found by seeking from one
 * sender id to the next, and each sender's due rows come in due order
 * from an index range, so a claim costs what it takes, not what waits —
 * a million queued rows are never scanned or sorted.
 */

#define G_LOG_DOMAIN "tc-outbox"

#include "config.h"

#include <string.h>

#include "tc-campaign-counts.h"
#include "tc-consent-ledger.h"
#include "tc-json-private.h"
#include "tc-inbox.h"
#include "tc-outbox.h"
#include "tc-prices.h"
#include "tc-privacy.h"
#include "tc-repository-private.h"
#include "tc-sms.h"

/* Rows of one sender read per query while claiming. */
#define CLAIM_PAGE        256
/* Senders of one channel looked at per claim. */
#define CLAIM_MAX_GROUPS  256

static const char * const state_names[] = {
  [TC_OUTBOX_QUEUED] = "queued",
  [TC_OUTBOX_DEFERRED] = "deferred",
  [TC_OUTBOX_SKIPPED] = "skipped",
  [TC_OUTBOX_SENDING] = "sending",
  [TC_OUTBOX_SENT] = "sent",
  [TC_OUTBOX_DELIVERED] = "delivered",
  [TC_OUTBOX_READ] = "read",
  [TC_OUTBOX_UNDELIVERED] = "undelivered",
  [TC_OUTBOX_FAILED] = "failed",
  [TC_OUTBOX_UNKNOWN] = "unknown",
  [TC_OUTBOX_PAUSED] = "paused",
};

const char *
tc_outbox_state_to_string (TcOutboxState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state];
}

gboolean
tc_outbox_state_from_string (const char    *str,
                             TcOutboxState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (strcmp (str, state_names[i]) == 0)
        {
          *state = (TcOutboxState) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ------------------------------------------------------------------------
 * TcOutboxEntry
 */

G_DEFINE_BOXED_TYPE (TcOutboxEntry, tc_outbox_entry, tc_outbox_entry_copy, tc_outbox_entry_free)

TcOutboxEntry *
tc_outbox_entry_copy (const TcOutboxEntry *entry)
{
  TcOutboxEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->idem_key = g_strdup (entry->idem_key);
  copy->origin = g_strdup (entry->origin);
  copy->phone = g_strdup (entry->phone);
  copy->sender_id = g_strdup (entry->sender_id);
  copy->body = g_strdup (entry->body);
  copy->media_url = g_strdup (entry->media_url);
  copy->wa_template = g_strdup (entry->wa_template);
  copy->content_sid = g_strdup (entry->content_sid);
  copy->content_variables = g_strdup (entry->content_variables);
  copy->reason = g_strdup (entry->reason);
  copy->error_code = g_strdup (entry->error_code);
  copy->provider = g_strdup (entry->provider);
  copy->provider_id = g_strdup (entry->provider_id);

  return copy;
}

void
tc_outbox_entry_free (TcOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->idem_key);
  g_free (entry->origin);
  g_free (entry->phone);
  g_free (entry->sender_id);
  g_free (entry->body);
  g_free (entry->media_url);
  g_free (entry->wa_template);
  g_free (entry->content_sid);
  g_free (entry->content_variables);
  g_free (entry->reason);
  g_free (entry->error_code);
  g_free (entry->provider);
  g_free (entry->provider_id);
  g_free (entry);
}

void
tc_outbox_entry_to_json_builder (const TcOutboxEntry *entry,
                                 JsonBuilder         *builder)
{
  g_return_if_fail (entry != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, entry->id);
  json_builder_set_member_name (builder, "idem_key");
  json_builder_add_string_value (builder, entry->idem_key);
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, entry->origin);
  json_builder_set_member_name (builder, "contact_id");
  if (entry->contact_id > 0)
    json_builder_add_int_value (builder, entry->contact_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, entry->phone);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, tc_channel_to_string (entry->channel));
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, tc_purpose_to_string (entry->purpose));
  _tc_json_add_text_or_null (builder, "sender_id", entry->sender_id);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, entry->body);
  json_builder_set_member_name (builder, "segments");
  json_builder_add_int_value (builder, entry->segments);
  json_builder_set_member_name (builder, "cost");
  if (entry->priced)
    json_builder_add_double_value (builder, entry->cost);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "currency");
  if (entry->priced)
    json_builder_add_string_value (builder, TC_PRICES_CURRENCY);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, tc_outbox_state_to_string (entry->state));
  _tc_json_add_text_or_null (builder, "reason", entry->reason);
  _tc_json_add_text_or_null (builder, "error_code", entry->error_code);
  _tc_json_add_text_or_null (builder, "provider_id", entry->provider_id);
  _tc_json_add_time_or_null (builder, "due_at", entry->due_at);
  _tc_json_add_time_or_null (builder, "sent_at", entry->sent_at);
  _tc_json_add_time_or_null (builder, "delivered_at", entry->delivered_at);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, entry->attempts);
  json_builder_end_object (builder);
}

char *
tc_outbox_entry_to_json (const TcOutboxEntry *entry,
                         gboolean             pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  tc_outbox_entry_to_json_builder (entry, builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);

  return json_generator_to_data (generator, NULL);
}

guint
tc_outbox_row_segments (const TcOutboxRow *row)
{
  TcSmsCount count;

  g_return_val_if_fail (row != NULL, 1);

  if (row->channel != TC_CHANNEL_SMS || row->body == NULL)
    return 1;
  if (!tc_sms_count (row->body, -1, &count) || count.segments == 0)
    return 1;

  return count.segments;
}

/* ------------------------------------------------------------------------
 * Reading rows
 */

#define ENTRY_COLUMNS \
  "id, idem_key, origin, contact_id, phone, channel, purpose, compliance, sender_id, body," \
  " media_url, wa_template, content_sid, content_variables, segments, cost, state, reason," \
  " error_code, provider, provider_id, attempts, due_at, claimed_at, sent_at, delivered_at," \
  " read_at, failed_at, created_at, updated_at"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

static TcOutboxEntry *
entry_from_statement (sqlite3_stmt *stmt)
{
  TcOutboxEntry *entry = g_new0 (TcOutboxEntry, 1);
  TcChannel channel = TC_CHANNEL_SMS;
  TcPurpose purpose = TC_PURPOSE_TRANSACTIONAL;
  TcOutboxState state = TC_OUTBOX_QUEUED;

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->idem_key = column_dup (stmt, 1);
  entry->origin = column_dup (stmt, 2);
  entry->contact_id = sqlite3_column_int64 (stmt, 3);
  entry->phone = column_dup (stmt, 4);
  tc_channel_from_string ((const char *) sqlite3_column_text (stmt, 5), &channel);
  entry->channel = channel;
  tc_purpose_from_string ((const char *) sqlite3_column_text (stmt, 6), &purpose);
  entry->purpose = purpose;
  entry->compliance = sqlite3_column_int (stmt, 7) != 0;
  entry->sender_id = column_dup (stmt, 8);
  entry->body = column_dup (stmt, 9);
  entry->media_url = column_dup (stmt, 10);
  entry->wa_template = column_dup (stmt, 11);
  entry->content_sid = column_dup (stmt, 12);
  entry->content_variables = column_dup (stmt, 13);
  entry->segments = (guint) MAX (sqlite3_column_int64 (stmt, 14), 1);
  entry->priced = sqlite3_column_type (stmt, 15) != SQLITE_NULL;
  entry->cost = sqlite3_column_double (stmt, 15);
  tc_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 16), &state);
  entry->state = state;
  entry->reason = column_dup (stmt, 17);
  entry->error_code = column_dup (stmt, 18);
  entry->provider = column_dup (stmt, 19);
  entry->provider_id = column_dup (stmt, 20);
  entry->attempts = (guint) MAX (sqlite3_column_int64 (stmt, 21), 0);
  entry->due_at = sqlite3_column_int64 (stmt, 22);
  entry->claimed_at = sqlite3_column_int64 (stmt, 23);
  entry->sent_at = sqlite3_column_int64 (stmt, 24);
  entry->delivered_at = sqlite3_column_int64 (stmt, 25);
  entry->read_at = sqlite3_column_int64 (stmt, 26);
  entry->failed_at = sqlite3_column_int64 (stmt, 27);
  entry->created_at = sqlite3_column_int64 (stmt, 28);
  entry->updated_at = sqlite3_column_int64 (stmt, 29);

  return entry;
}

/* Steps @stmt (already bound) to its end, collecting the entries. */
static GPtrArray *
collect_entries (TcDb          *db,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_entry_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_statement (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the outbox");
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static TcOutboxEntry *
get_one (TcDb          *db,
         sqlite3_stmt  *stmt,
         const char    *what,
         GError       **error)
{
  g_autoptr(GPtrArray) entries = collect_entries (db, stmt, error);

  if (entries == NULL)
    return NULL;
  if (entries->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "There is no outbox message %s", what);
      return NULL;
    }

  return g_ptr_array_steal_index (entries, 0);
}

TcOutboxEntry *
_tc_db_outbox_get (struct _TcDb  *db,
                   gint64         id,
                   GError       **error)
{
  g_autofree char *what = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  what = g_strdup_printf ("with id %" G_GINT64_FORMAT, id);
  return get_one (db, stmt, what, error);
}

TcOutboxEntry *
_tc_db_outbox_get_by_idem_key (struct _TcDb  *db,
                               const char    *idem_key,
                               GError       **error)
{
  g_autofree char *what = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (idem_key != NULL, NULL);

  stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE idem_key = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, idem_key, -1, SQLITE_TRANSIENT);

  what = g_strdup_printf ("with the key “%s”", idem_key);
  return get_one (db, stmt, what, error);
}

GPtrArray *
_tc_db_outbox_list (struct _TcDb   *db,
                    gboolean        any_state,
                    TcOutboxState   state,
                    gint64          after_id,
                    guint           limit,
                    GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);

  if (limit == 0)
    limit = 1000;

  if (any_state)
    stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id > ?1"
                               " ORDER BY id LIMIT ?2", error);
  else
    stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id > ?1 AND state = ?3"
                               " ORDER BY id LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (!any_state)
    sqlite3_bind_text (stmt, 3, tc_outbox_state_to_string (state), -1, SQLITE_STATIC);

  return collect_entries (db, stmt, error);
}

GPtrArray *
_tc_db_outbox_list_sending (struct _TcDb   *db,
                            TcChannel       channel,
                            gint64          after_id,
                            guint           limit,
                            GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);

  /* The partial index outbox_sending covers this. */
  stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox"
                             " WHERE state = 'sending' AND channel = ?1 AND id > ?2"
                             " ORDER BY id LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, tc_channel_to_string (channel), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after_id);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? limit : 256);

  return collect_entries (db, stmt, error);
}

/* ------------------------------------------------------------------------
 * Writing rows
 */

static gboolean
add_event (TcDb           *db,
           gint64          outbox_id,
           TcOutboxState   state,
           gint64          at,
           const char     *detail,
           GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "INSERT INTO outbox_events (outbox_id, state, at, detail)"
                             " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, outbox_id);
  sqlite3_bind_text (stmt, 2, tc_outbox_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, at);
  sqlite3_bind_text (stmt, 4, detail != NULL ? detail : "", -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot record the outbox history");

  return TRUE;
}

static void
bind_text_or_empty (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

gboolean
_tc_db_outbox_enqueue (struct _TcDb       *db,
                       const TcOutboxRow  *row,
                       gint64              now,
                       gboolean           *inserted,
                       GError            **error)
{
  sqlite3_stmt *stmt;
  TcOutboxState state;
  guint segments;
  double cost;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (row->idem_key != NULL && *row->idem_key != '\0', FALSE);
  g_return_val_if_fail (row->phone != NULL, FALSE);
  g_return_val_if_fail (row->state == TC_OUTBOX_QUEUED || row->state == TC_OUTBOX_DEFERRED ||
                        row->state == TC_OUTBOX_SKIPPED, FALSE);

  if (inserted != NULL)
    *inserted = FALSE;
  state = row->state;

  /* Every row carries its estimated cost: the caller's, or the price
   * table's (the connection keeps it parsed, so this costs a phone parse
   * and a lookup). */
  segments = tc_outbox_row_segments (row);
  if (row->priced)
    cost = row->cost;
  else if (!_tc_db_price_message (db, row->phone, row->channel, row->purpose, row->wa_template,
                                  row->content_sid, segments, &cost, error))
    return FALSE;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO outbox (idem_key, origin, contact_id, phone, channel, purpose,"
                         "  compliance, body, state, due_at, created_at, updated_at, reason, sender_id,"
                         "  media_url, wa_template, content_sid, content_variables, segments, cost) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?11, ?9, ?10, ?10, ?12, ?13,"
                         "  ?14, ?15, ?16, ?17, ?18, ?19) "
                         "ON CONFLICT (idem_key) DO NOTHING",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, row->idem_key, -1, SQLITE_TRANSIENT);
  bind_text_or_empty (stmt, 2, row->origin);
  if (row->contact_id > 0)
    sqlite3_bind_int64 (stmt, 3, row->contact_id);
  sqlite3_bind_text (stmt, 4, row->phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, tc_channel_to_string (row->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, tc_purpose_to_string (row->purpose), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, row->compliance ? 1 : 0);
  bind_text_or_empty (stmt, 8, row->body);
  sqlite3_bind_int64 (stmt, 9, row->due_at);
  sqlite3_bind_int64 (stmt, 10, now);
  sqlite3_bind_text (stmt, 11, tc_outbox_state_to_string (state), -1, SQLITE_STATIC);
  bind_text_or_empty (stmt, 12, row->reason);
  bind_text_or_empty (stmt, 13, row->sender_id);
  bind_text_or_empty (stmt, 14, row->media_url);
  bind_text_or_empty (stmt, 15, row->wa_template);
  bind_text_or_empty (stmt, 16, row->content_sid);
  bind_text_or_empty (stmt, 17, row->content_variables);
  sqlite3_bind_int64 (stmt, 18, segments);
  sqlite3_bind_double (stmt, 19, cost);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot queue the message");

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    return TRUE;

  /* A campaign's new row, counted as written (nothing sent yet). */
  {
    TcCountedRow counted = {
      .origin = row->origin,
      .state = tc_outbox_state_to_string (state),
      .reason = row->reason,
      .has_cost = TRUE,
      .cost = cost,
    };

    _tc_campaign_counts_add_row (db, &counted, +1);
  }

  if (!add_event (db, sqlite3_last_insert_rowid (_tc_db_get_handle (db)), state, now,
                  row->reason, error))
    return FALSE;

  if (inserted != NULL)
    *inserted = TRUE;

  return TRUE;
}

gboolean
_tc_db_outbox_count_promotional (struct _TcDb  *db,
                                 gint64         contact_id,
                                 gint64         since,
                                 guint         *count,
                                 GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  *count = 0;

  /* The partial index outbox_contact_sent covers exactly this. */
  stmt = _tc_db_prepare (db,
                         "SELECT count(*) FROM outbox WHERE contact_id = ?1 AND sent_at >= ?2 "
                         "AND purpose = 'promotional' AND compliance = 0",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot count recent messages");

  return TRUE;
}

static gboolean
query_count (TcDb          *db,
             sqlite3_stmt  *stmt,
             gint64        *count,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot read the outbox");

  return TRUE;
}

gboolean
_tc_db_outbox_count_by_sender (struct _TcDb  *db,
                               const char    *sender_id,
                               gint64         since,
                               guint         *count,
                               GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 sent = 0, sending = 0;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sender_id != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  *count = 0;

  stmt = _tc_db_prepare (db, "SELECT count(*) FROM outbox WHERE sender_id = ?1 AND sent_at >= ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sender_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since);
  if (!query_count (db, stmt, &sent, error))
    return FALSE;

  stmt = _tc_db_prepare (db, "SELECT count(*) FROM outbox WHERE state = 'sending' AND sender_id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sender_id, -1, SQLITE_TRANSIENT);
  if (!query_count (db, stmt, &sending, error))
    return FALSE;

  *count = (guint) MIN (sent + sending, G_MAXUINT);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Claiming
 */

char *
tc_outbox_sender_key (TcChannel   channel,
                      const char *sender_id)
{
  g_return_val_if_fail (sender_id != NULL, NULL);

  return g_strconcat (tc_channel_to_string (channel), ":", sender_id, NULL);
}

void
tc_outbox_claim_result_free (TcOutboxClaimResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->claimed, g_ptr_array_unref);
  g_clear_pointer (&result->skipped, g_ptr_array_unref);
  g_clear_pointer (&result->new_senders, g_ptr_array_unref);
  g_clear_pointer (&result->waiting, g_ptr_array_unref);
  g_free (result);
}

static void
add_key_once (GPtrArray  *keys,
              const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (strcmp (g_ptr_array_index (keys, i), key) == 0)
      return;
  g_ptr_array_add (keys, g_strdup (key));
}

/* The gate's reason code when @entry may no longer be sent, else NULL. */
static gboolean
recheck (TcDb                *db,
         const TcOutboxEntry *entry,
         gboolean             any_suppressed,
         gint64               now,
         const char         **reason,
         GError             **error)
{
  gboolean suppressed = FALSE;
  gint64 contact_id = entry->contact_id;
  TcConsentState state = { 0 };

  *reason = NULL;

  if (entry->phone[0] == '\0')
    {
      *reason = "erased";
      return TRUE;
    }
  if (any_suppressed && !_tc_db_is_suppressed (db, entry->phone, &suppressed, error))
    return FALSE;
  if (suppressed)
    {
      *reason = "erased";
      return TRUE;
    }
  if (entry->compliance)
    return TRUE;

  if (contact_id <= 0 &&
      !_tc_db_find_contact_by_phone (db, entry->phone, &contact_id, NULL, error))
    return FALSE;
  if (contact_id <= 0)
    {
      *reason = "no_consent";
      return TRUE;
    }
  if (!_tc_db_get_consent_state (db, contact_id, entry->channel, entry->purpose, now, &state, error))
    return FALSE;
  /* An answer in a conversation (tc-inbox.h) needs consent on the channel
   * for either purpose, as tc_inbox_reply_async() decided. */
  if (state.status != TC_CONSENT_STATUS_OPTED_IN && state.status != TC_CONSENT_STATUS_OPTED_OUT &&
      entry->purpose == TC_PURPOSE_TRANSACTIONAL && strcmp (entry->origin, TC_INBOX_ORIGIN) == 0 &&
      !_tc_db_get_consent_state (db, contact_id, entry->channel, TC_PURPOSE_PROMOTIONAL, now, &state, error))
    return FALSE;
  if (state.status == TC_CONSENT_STATUS_OPTED_OUT)
    *reason = "opted_out";
  else if (state.status != TC_CONSENT_STATUS_OPTED_IN)
    *reason = "no_consent";

  return TRUE;
}

/* The claim's moves (a queued or deferred row to "sending" or "skipped")
 * in the campaign counters. A row that was never sent is counted from its
 * entry, read in this transaction, without reading it again (its cost
 * counts only once sent); else around the UPDATE (@counted). */
static gboolean
claim_count_before (TcDb                *db,
                    const TcOutboxEntry *entry,
                    gboolean            *counted,
                    GError             **error)
{
  *counted = FALSE;
  if (!_tc_campaign_counts_origin (entry->origin) || entry->sent_at == 0)
    return TRUE;

  return _tc_campaign_counts_row_before (db, entry->id, counted, error);
}

/* After the UPDATE, before @entry takes its new state. */
static gboolean
claim_count_after (TcDb                *db,
                   const TcOutboxEntry *entry,
                   gboolean             counted,
                   const char          *state,
                   const char          *reason,
                   GError             **error)
{
  TcCountedRow row = {
    .origin = entry->origin,
    .state = tc_outbox_state_to_string (entry->state),
    .reason = entry->reason,
    .error_code = entry->error_code,
    .delivered_at = entry->delivered_at,
    .read_at = entry->read_at,
  };

  if (!_tc_campaign_counts_origin (entry->origin))
    return TRUE;
  if (entry->sent_at != 0)
    return _tc_campaign_counts_row_after (db, entry->id, counted, error);

  _tc_campaign_counts_add_row (db, &row, -1);
  row.state = state;
  if (reason != NULL)
    row.reason = reason;
  _tc_campaign_counts_add_row (db, &row, +1);

  return TRUE;
}

static gboolean
mark_skipped (TcDb           *db,
              TcOutboxEntry  *entry,
              const char     *reason,
              gint64          now,
              GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean counted = FALSE;
  int rc;

  if (!claim_count_before (db, entry, &counted, error))
    return FALSE;
  stmt = _tc_db_prepare (db, "UPDATE outbox SET state = 'skipped', reason = ?2, updated_at = ?3"
                             " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->id);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot skip the message");
  if (!claim_count_after (db, entry, counted, "skipped", reason, error))
    return FALSE;

  entry->state = TC_OUTBOX_SKIPPED;
  g_free (entry->reason);
  entry->reason = g_strdup (reason);
  entry->updated_at = now;

  return add_event (db, entry->id, TC_OUTBOX_SKIPPED, now, reason, error);
}

static gboolean
mark_sending (TcDb           *db,
              TcOutboxEntry  *entry,
              const char     *sender_id,
              const char     *provider,
              gint64          now,
              GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean counted = FALSE;
  int rc;

  if (!claim_count_before (db, entry, &counted, error))
    return FALSE;
  stmt = _tc_db_prepare (db, "UPDATE outbox SET state = 'sending', claimed_at = ?2,"
                             " attempts = attempts + 1, sender_id = ?3, provider = ?4,"
                             " updated_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_text (stmt, 3, sender_id, -1, SQLITE_TRANSIENT);
  bind_text_or_empty (stmt, 4, provider);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot claim the message for sending");
  if (!claim_count_after (db, entry, counted, "sending", NULL, error))
    return FALSE;

  entry->state = TC_OUTBOX_SENDING;
  entry->claimed_at = now;
  entry->attempts++;
  entry->updated_at = now;
  if (strcmp (entry->sender_id, sender_id) != 0)
    {
      g_free (entry->sender_id);
      entry->sender_id = g_strdup (sender_id);
    }
  g_free (entry->provider);
  entry->provider = g_strdup (provider != NULL ? provider : "");

  return add_event (db, entry->id, TC_OUTBOX_SENDING, now, NULL, error);
}

/* The next sender id of @channel after @after with pending rows, or NULL. */
static gboolean
next_group (TcDb        *db,
            TcChannel    channel,
            const char  *after,
            char       **sender_id,
            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *sender_id = NULL;

  if (after == NULL)
    stmt = _tc_db_prepare (db, "SELECT sender_id FROM outbox WHERE state IN ('queued', 'deferred')"
                               " AND channel = ?1 ORDER BY sender_id LIMIT 1", error);
  else
    stmt = _tc_db_prepare (db, "SELECT sender_id FROM outbox WHERE state IN ('queued', 'deferred')"
                               " AND channel = ?1 AND sender_id > ?2 ORDER BY sender_id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tc_channel_to_string (channel), -1, SQLITE_STATIC);
  if (after != NULL)
    sqlite3_bind_text (stmt, 2, after, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *sender_id = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the outbox");

  return TRUE;
}

/* The earliest due_at of a group's pending rows after @after (-1: any);
 * 0 when there is none. */
static gboolean
group_next_due (TcDb        *db,
                TcChannel    channel,
                const char  *sender_id,
                gint64       after,
                gint64      *due,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "SELECT min (due_at) FROM outbox WHERE state IN ('queued', 'deferred')"
                             " AND channel = ?1 AND sender_id = ?2 AND due_at > ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tc_channel_to_string (channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sender_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, after);

  return query_count (db, stmt, due, error);
}

static void
note_next_due (TcOutboxClaimResult *result,
               gint64               due)
{
  if (due > 0 && (result->next_due == 0 || due < result->next_due))
    result->next_due = due;
}

/* Claims the due rows of one sender group while the budget lasts. */
static gboolean
claim_group (TcDb                       *db,
             const TcOutboxClaimChannel *channel,
             const char                 *group,
             const char                 *sender_id,
             TcOutboxBudget             *budget,
             guint                      *limit,
             gint64                      now,
             TcOutboxClaimResult        *result,
             gboolean                   *exhausted,
             GError                    **error)
{
  gboolean urgent = TRUE;

  *exhausted = FALSE;

  while (*limit > 0 && budget->segments > 0 && budget->rows > 0)
    {
      g_autoptr(GPtrArray) page = NULL;
      sqlite3_stmt *stmt;
      guint page_size = MIN (*limit, CLAIM_PAGE);
      guint i;

      /* First the rows a person is waiting for (Inbox replies, answers to
       * STOP and HELP; index outbox_urgent, schema 13), then the rest in
       * the order they came due. */
      if (urgent)
        stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox"
                                   " WHERE state IN ('queued', 'deferred') AND channel = ?1"
                                   " AND sender_id = ?2 AND due_at <= ?3"
                                   " AND (origin = 'inbox' OR compliance = 1)"
                                   " ORDER BY due_at, id LIMIT ?4", error);
      else
        stmt = _tc_db_prepare (db, "SELECT " ENTRY_COLUMNS " FROM outbox"
                                   " WHERE state IN ('queued', 'deferred') AND channel = ?1"
                                   " AND sender_id = ?2 AND due_at <= ?3"
                                   " ORDER BY due_at, id LIMIT ?4", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, tc_channel_to_string (channel->channel), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, group, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, page_size);
      page = collect_entries (db, stmt, error);
      if (page == NULL)
        return FALSE;

      for (i = 0; i < page->len; i++)
        {
          TcOutboxEntry *entry = g_ptr_array_index (page, i);
          const char *reason = NULL;

          if (*limit == 0 || budget->segments <= 0 || budget->rows <= 0)
            break;

          if (!recheck (db, entry, result->any_suppressed, now, &reason, error))
            return FALSE;
          if (reason != NULL)
            {
              if (!mark_skipped (db, entry, reason, now, error))
                return FALSE;
              g_ptr_array_add (result->skipped, g_ptr_array_steal_index (page, i));
              g_ptr_array_insert (page, i, NULL);
              continue;
            }

          if (!mark_sending (db, entry, sender_id, channel->provider, now, error))
            return FALSE;
          if (budget->segments != G_MAXINT64)
            budget->segments -= entry->segments;
          if (budget->rows != G_MAXINT64)
            budget->rows--;
          (*limit)--;
          g_ptr_array_add (result->claimed, g_ptr_array_steal_index (page, i));
          g_ptr_array_insert (page, i, NULL);
        }

      if (i < page->len)
        {
          /* Rows left that this claim could not take. */
          *exhausted = TRUE;
          return TRUE;
        }
      if (page->len < page_size)
        {
          if (!urgent)
            return TRUE;   /* nothing more due */
          urgent = FALSE;  /* on to the rest */
        }
    }

  /* The loop ended on the budget or the limit: are there rows left? */
  {
    sqlite3_stmt *stmt;
    gint64 n = 0;

    stmt = _tc_db_prepare (db, "SELECT count(*) FROM (SELECT 1 FROM outbox"
                               " WHERE state IN ('queued', 'deferred') AND channel = ?1"
                               " AND sender_id = ?2 AND due_at <= ?3 LIMIT 1)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, tc_channel_to_string (channel->channel), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, group, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, now);
    if (!query_count (db, stmt, &n, error))
      return FALSE;
    *exhausted = n > 0;
  }

  return TRUE;
}

static gboolean
claim_channel (TcDb                       *db,
               const TcOutboxClaimChannel *channel,
               guint                      *limit,
               gint64                      now,
               TcOutboxClaimResult        *result,
               GError                    **error)
{
  g_autofree char *group = NULL;

  for (guint n_groups = 0; n_groups < CLAIM_MAX_GROUPS; n_groups++)
    {
      g_autofree char *next = NULL;
      g_autofree char *key = NULL;
      const char *sender_id;
      TcOutboxBudget *budget;
      gint64 first_due = 0;
      gboolean exhausted = FALSE;

      if (!next_group (db, channel->channel, group, &next, error))
        return FALSE;
      if (next == NULL)
        break;
      g_free (group);
      group = g_steal_pointer (&next);

      sender_id = group[0] != '\0' ? group : channel->default_sender;
      if (sender_id == NULL || sender_id[0] == '\0')
        continue;   /* no sender to send them with: they wait */

      if (!group_next_due (db, channel->channel, group, -1, &first_due, error))
        return FALSE;
      if (first_due > now)
        {
          note_next_due (result, first_due);
          continue;
        }

      key = tc_outbox_sender_key (channel->channel, sender_id);
      budget = channel->budgets != NULL ? g_hash_table_lookup (channel->budgets, key) : NULL;
      if (budget == NULL)
        {
          add_key_once (result->new_senders, key);
          continue;
        }

      if (!claim_group (db, channel, group, sender_id, budget, limit, now, result, &exhausted, error))
        return FALSE;
      if (exhausted)
        add_key_once (result->waiting, key);
      else
        {
          gint64 later = 0;

          if (!group_next_due (db, channel->channel, group, now, &later, error))
            return FALSE;
          note_next_due (result, later);
        }
    }

  return TRUE;
}

TcOutboxClaimResult *
_tc_db_outbox_claim (struct _TcDb                *db,
                     const TcOutboxClaimChannel  *channels,
                     guint                        n_channels,
                     guint                        limit,
                     gboolean                     count_due,
                     gint64                       now,
                     GError                     **error)
{
  g_autoptr(TcOutboxClaimResult) result = g_new0 (TcOutboxClaimResult, 1);

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (channels != NULL || n_channels == 0, NULL);

  result->claimed = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_entry_free);
  result->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_entry_free);
  result->new_senders = g_ptr_array_new_with_free_func (g_free);
  result->waiting = g_ptr_array_new_with_free_func (g_free);
  result->n_due = -1;

  if (!_tc_db_begin (db, error))
    return NULL;

  /* Most workspaces have erased nobody: then no number needs hashing. */
  {
    sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT count(*) FROM (SELECT 1 FROM suppressions LIMIT 1)",
                                         error);
    gint64 n = 0;

    if (stmt == NULL || !query_count (db, stmt, &n, error))
      goto failed;
    result->any_suppressed = n > 0;
  }

  for (guint i = 0; i < n_channels; i++)
    {
      if (!claim_channel (db, &channels[i], &limit, now, result, error))
        goto failed;
    }

  if (count_due)
    {
      sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT count(*) FROM outbox"
                                               " WHERE state IN ('queued', 'deferred') AND due_at <= ?1",
                                           error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, now);
      if (!query_count (db, stmt, &result->n_due, error))
        goto failed;
    }

  if (!_tc_db_commit (db, error))
    goto failed;

  return g_steal_pointer (&result);

failed:
  _tc_db_rollback (db);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Recording outcomes and statuses
 */

TcOutboxOutcome *
tc_outbox_outcome_new (gint64               id,
                       TcOutboxOutcomeKind  kind)
{
  TcOutboxOutcome *outcome = g_new0 (TcOutboxOutcome, 1);

  outcome->id = id;
  outcome->kind = kind;

  return outcome;
}

void
tc_outbox_outcome_free (TcOutboxOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_free (outcome->provider_id);
  g_strfreev (outcome->candidates);
  g_free (outcome->reason);
  g_free (outcome->error_code);
  g_free (outcome->block_origin);
  g_free (outcome);
}

void
tc_outbox_status_free (TcOutboxStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->provider_id);
  g_free (status->error_code);
  g_free (status->reason);
  g_free (status->price_currency);
  g_free (status);
}

typedef struct
{
  TcOutboxState  state;
  gint64         contact_id;
  char          *phone;
  TcChannel      channel;
  guint          attempts;
  gboolean       in_campaign;   /* counted (tc-campaign-counts.h) */
} RowFacts;

static gboolean
load_facts (TcDb      *db,
            gint64     id,
            gboolean  *found,
            RowFacts  *facts,
            GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  stmt = _tc_db_prepare (db, "SELECT state, contact_id, phone, channel, attempts, origin FROM outbox"
                             " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      TcOutboxState state = TC_OUTBOX_QUEUED;
      TcChannel channel = TC_CHANNEL_SMS;

      tc_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 0), &state);
      tc_channel_from_string ((const char *) sqlite3_column_text (stmt, 3), &channel);
      facts->state = state;
      facts->contact_id = sqlite3_column_int64 (stmt, 1);
      facts->phone = column_dup (stmt, 2);
      facts->channel = channel;
      facts->attempts = (guint) MAX (sqlite3_column_int64 (stmt, 4), 0);
      facts->in_campaign = _tc_campaign_counts_origin ((const char *) sqlite3_column_text (stmt, 5));
      *found = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the outbox");

  return TRUE;
}

static gboolean
provider_id_taken (TcDb        *db,
                   const char  *provider_id,
                   gint64       id,
                   gboolean    *taken,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 n = 0;

  stmt = _tc_db_prepare (db, "SELECT count(*) FROM (SELECT 1 FROM outbox"
                             " WHERE provider_id = ?1 AND id <> ?2 LIMIT 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, provider_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!query_count (db, stmt, &n, error))
    return FALSE;
  *taken = n > 0;

  return TRUE;
}

static gboolean
run_update (TcDb          *db,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot update the outbox");

  return TRUE;
}

/* @poll_at: the first status poll (0 = none: a webhook brings statuses,
 * or the provider only pushes them). */
static gboolean
write_sent (TcDb          *db,
            gint64         id,
            const char    *provider_id,
            gint64         now,
            gint64         poll_at,
            const char    *detail,
            GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "UPDATE outbox SET state = 'sent', provider_id = ?2, sent_at = ?3,"
                             " reason = '', error_code = '', updated_at = ?3, poll_at = ?4, polls = 0"
                             " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, provider_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (poll_at > 0)
    sqlite3_bind_int64 (stmt, 4, poll_at);
  else
    sqlite3_bind_null (stmt, 4);
  if (!run_update (db, stmt, error))
    return FALSE;

  return add_event (db, id, TC_OUTBOX_SENT, now, detail, error);
}

static gboolean
write_end (TcDb           *db,
           gint64          id,
           TcOutboxState   state,
           const char     *reason,
           const char     *error_code,
           gint64          now,
           GError        **error)
{
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "UPDATE outbox SET state = ?2, reason = ?3, error_code = ?4,"
                             " failed_at = CASE WHEN ?2 = 'failed' THEN ?5 ELSE failed_at END,"
                             " updated_at = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, tc_outbox_state_to_string (state), -1, SQLITE_STATIC);
  bind_text_or_empty (stmt, 3, reason);
  bind_text_or_empty (stmt, 4, error_code);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!run_update (db, stmt, error))
    return FALSE;

  if (error_code != NULL && error_code[0] != '\0')
    detail = g_strdup_printf ("%s: %s", error_code, reason != NULL ? reason : "");
  else
    detail = g_strdup (reason);

  return add_event (db, id, state, now, detail, error);
}

static gboolean
write_queued (TcDb          *db,
              gint64         id,
              gint64         due_at,
              gboolean       undo_attempt,
              const char    *reason,
              const char    *error_code,
              gint64         now,
              GError       **error)
{
  g_autofree char *due = tc_format_iso8601_utc (due_at);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "UPDATE outbox SET state = 'queued', due_at = ?2, reason = ?3,"
                             " error_code = ?4, updated_at = ?5,"
                             " attempts = CASE WHEN ?6 THEN max (attempts - 1, 0) ELSE attempts END"
                             " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, due_at);
  bind_text_or_empty (stmt, 3, reason);
  bind_text_or_empty (stmt, 4, error_code);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int (stmt, 6, undo_attempt ? 1 : 0);
  if (!run_update (db, stmt, error))
    return FALSE;

  detail = g_strdup_printf ("%s at %s%s%s%s%s", undo_attempt ? "not sent; again" : "retry",
                            due,
                            reason != NULL && reason[0] != '\0' ? ": " : "",
                            reason != NULL ? reason : "",
                            error_code != NULL && error_code[0] != '\0' ? " — error " : "",
                            error_code != NULL ? error_code : "");

  return add_event (db, id, TC_OUTBOX_QUEUED, now, detail, error);
}

static gboolean
append_block (TcDb             *db,
              const RowFacts   *facts,
              const char       *origin,
              gint64            now,
              gboolean         *appended,
              GError          **error)
{
  gint64 contact_id = facts->contact_id;

  if (contact_id <= 0 && facts->phone[0] != '\0' &&
      !_tc_db_find_contact_by_phone (db, facts->phone, &contact_id, NULL, error))
    return FALSE;
  if (contact_id <= 0)
    return TRUE;   /* nobody left to record it for */

  for (TcPurpose purpose = TC_PURPOSE_PROMOTIONAL; purpose <= TC_PURPOSE_TRANSACTIONAL; purpose++)
    {
      g_autoptr(TcConsent) event = tc_consent_new (contact_id, facts->channel, purpose,
                                                   TC_CONSENT_EVENT_BLOCKED);

      tc_consent_set_source (event, TC_CONSENT_SOURCE_PROVIDER);
      tc_consent_set_origin (event, origin);
      if (!_tc_db_append_consent_event (db, event, now, error))
        return FALSE;
      *appended = TRUE;
    }

  return TRUE;
}

static gboolean
record_outcome (TcDb             *db,
                TcOutboxOutcome  *outcome,
                gint64            now,
                gboolean         *ledger_changed,
                GError          **error)
{
  RowFacts facts = { 0 };
  gboolean found = FALSE;
  gboolean counted = FALSE;
  gboolean ok = FALSE;

  outcome->applied = FALSE;
  if (!load_facts (db, outcome->id, &found, &facts, error))
    return FALSE;
  if (!found || facts.state != TC_OUTBOX_SENDING)
    {
      /* Already moved (a second answer, or a row erased meanwhile):
       * never rewrite what is there. */
      outcome->state = facts.state;
      g_free (facts.phone);
      return TRUE;
    }

  if (facts.in_campaign && !_tc_campaign_counts_row_before (db, outcome->id, &counted, error))
    goto out;

  switch (outcome->kind)
    {
    case TC_OUTBOX_OUTCOME_SENT:
      outcome->state = TC_OUTBOX_SENT;
      ok = write_sent (db, outcome->id, outcome->provider_id, now, outcome->poll_at,
                       outcome->provider_id, error);
      break;

    case TC_OUTBOX_OUTCOME_FAILED:
      outcome->state = TC_OUTBOX_FAILED;
      ok = write_end (db, outcome->id, TC_OUTBOX_FAILED, outcome->reason, outcome->error_code, now, error);
      break;

    case TC_OUTBOX_OUTCOME_UNKNOWN:
      outcome->state = TC_OUTBOX_UNKNOWN;
      ok = write_end (db, outcome->id, TC_OUTBOX_UNKNOWN, outcome->reason, outcome->error_code, now, error);
      break;

    case TC_OUTBOX_OUTCOME_RETRY:
    case TC_OUTBOX_OUTCOME_REQUEUE:
      outcome->state = TC_OUTBOX_QUEUED;
      ok = write_queued (db, outcome->id, outcome->due_at, outcome->kind == TC_OUTBOX_OUTCOME_REQUEUE,
                         outcome->reason, outcome->error_code, now, error);
      break;

    case TC_OUTBOX_OUTCOME_RECONCILE:
      {
        const char *match = NULL;

        for (guint i = 0; outcome->candidates != NULL && outcome->candidates[i] != NULL; i++)
          {
            gboolean taken = TRUE;

            if (!provider_id_taken (db, outcome->candidates[i], outcome->id, &taken, error))
              goto out;
            if (!taken)
              {
                match = outcome->candidates[i];
                break;
              }
          }

        if (match != NULL)
          {
            g_autofree char *detail = g_strdup_printf ("%s (found by lookup)", match);

            outcome->state = TC_OUTBOX_SENT;
            g_free (outcome->provider_id);
            outcome->provider_id = g_strdup (match);
            ok = write_sent (db, outcome->id, match, now, outcome->poll_at, detail, error);
          }
        else if (outcome->requeue_if_none)
          {
            outcome->state = TC_OUTBOX_QUEUED;
            ok = write_queued (db, outcome->id, outcome->due_at, TRUE,
                               "not found at the provider after a restart: sent again",
                               NULL, now, error);
          }
        else
          {
            outcome->state = TC_OUTBOX_UNKNOWN;
            ok = write_end (db, outcome->id, TC_OUTBOX_UNKNOWN, outcome->reason, outcome->error_code,
                            now, error);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (ok)
    ok = _tc_campaign_counts_row_after (db, outcome->id, counted, error);
  if (ok && outcome->block)
    ok = append_block (db, &facts, outcome->block_origin, now, ledger_changed, error);

out:
  if (ok)
    outcome->applied = TRUE;
  g_free (facts.phone);
  return ok;
}

/* SQL: whether state @state (an expression) is final for the row's
 * channel — nothing more will be learnt by polling. WhatsApp may still
 * report "read" after "delivered"; SMS never does. */
#define FINAL_STATE_SQL(state) \
  "(" state " IN ('undelivered', 'failed', 'read')" \
  " OR (" state " = 'delivered' AND channel <> 'whatsapp'))"

/* Whether a row in @from may move to @to on a provider's status. */
static gboolean
status_moves_forward (TcOutboxState from,
                      TcOutboxState to)
{
  gboolean any_news = to == TC_OUTBOX_DELIVERED || to == TC_OUTBOX_READ ||
                      to == TC_OUTBOX_UNDELIVERED || to == TC_OUTBOX_FAILED;

  if (from == TC_OUTBOX_SENT)
    return any_news;
  if (from == TC_OUTBOX_DELIVERED)
    return to == TC_OUTBOX_READ;
  /* A row left unknown that carries the id (set by hand): its status
   * settles it. */
  if (from == TC_OUTBOX_UNKNOWN)
    return any_news || to == TC_OUTBOX_SENT;

  return FALSE;
}

static gboolean
record_status (TcDb            *db,
               TcOutboxStatus  *status,
               gint64           now,
               GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  TcOutboxState from = TC_OUTBOX_QUEUED;
  gint64 at = status->at > 0 ? status->at : now;
  g_autofree char *detail = NULL;
  gboolean counted = FALSE;
  gboolean in_campaign = FALSE;
  int rc;

  status->outbox_id = 0;
  status->matched = FALSE;
  if (status->provider_id == NULL || status->provider_id[0] == '\0')
    return TRUE;

  stmt = _tc_db_prepare (db, "SELECT id, state, origin FROM outbox WHERE provider_id = ?1"
                             " ORDER BY id LIMIT 1", error);
  /* poll_at (below): a final status ends status polling. */
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status->provider_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      tc_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 1), &from);
      in_campaign = _tc_campaign_counts_origin ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the outbox");
  if (id == 0)
    return TRUE;

  status->matched = TRUE;
  if (!status_moves_forward (from, status->state))
    return TRUE;

  if (in_campaign && !_tc_campaign_counts_row_before (db, id, &counted, error))
    return FALSE;
  stmt = _tc_db_prepare (db,
                         "UPDATE outbox SET state = ?2, updated_at = ?3,"
                         " delivered_at = CASE WHEN ?2 IN ('delivered', 'read')"
                         "                THEN coalesce (delivered_at, ?4) ELSE delivered_at END,"
                         " read_at = CASE WHEN ?2 = 'read' THEN ?4 ELSE read_at END,"
                         " failed_at = CASE WHEN ?2 IN ('failed', 'undelivered') THEN ?4 ELSE failed_at END,"
                         " error_code = CASE WHEN ?5 IS NOT NULL THEN ?5 ELSE error_code END,"
                         " reason = CASE WHEN ?6 IS NOT NULL THEN ?6 ELSE reason END,"
                         " price = CASE WHEN ?7 IS NOT NULL THEN ?7 ELSE price END,"
                         " price_currency = CASE WHEN ?8 IS NOT NULL THEN ?8 ELSE price_currency END,"
                         " poll_at = CASE WHEN " FINAL_STATE_SQL ("?2") " THEN NULL ELSE poll_at END"
                         " WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, tc_outbox_state_to_string (status->state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, at);
  if (status->error_code != NULL)
    sqlite3_bind_text (stmt, 5, status->error_code, -1, SQLITE_TRANSIENT);
  if (status->reason != NULL)
    sqlite3_bind_text (stmt, 6, status->reason, -1, SQLITE_TRANSIENT);
  if (status->price > 0)
    sqlite3_bind_double (stmt, 7, status->price);
  if (status->price_currency != NULL)
    sqlite3_bind_text (stmt, 8, status->price_currency, -1, SQLITE_TRANSIENT);
  if (!run_update (db, stmt, error) || !_tc_campaign_counts_row_after (db, id, counted, error))
    return FALSE;

  if (status->error_code != NULL)
    detail = g_strdup_printf ("status from the provider: %s %s", status->error_code,
                              status->reason != NULL ? status->reason : "");
  else
    detail = g_strdup ("status from the provider");
  if (!add_event (db, id, status->state, at, detail, error))
    return FALSE;

  status->outbox_id = id;

  return TRUE;
}

static gboolean
record_polled (TcDb                 *db,
               const TcOutboxPolled *polled,
               GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "UPDATE outbox SET polls = polls + 1,"
                             " poll_at = CASE WHEN ?2 > 0 AND NOT " FINAL_STATE_SQL ("state")
                             "           AND state IN ('sent', 'delivered') THEN ?2 ELSE NULL END"
                             " WHERE id = ?1 AND poll_at IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, polled->id);
  sqlite3_bind_int64 (stmt, 2, polled->next_poll_at);

  return run_update (db, stmt, error);
}

void
tc_outbox_poll_free (TcOutboxPoll *poll)
{
  if (poll == NULL)
    return;

  g_free (poll->provider_id);
  g_free (poll);
}

GPtrArray *
_tc_db_outbox_list_polls (struct _TcDb  *db,
                          guint          channels,
                          gint64         now,
                          guint          limit,
                          gint64        *next_poll_at,
                          GError       **error)
{
  g_autoptr(GPtrArray) polls = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_poll_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  *next_poll_at = 0;
  if (channels == 0)
    return g_steal_pointer (&polls);

  stmt = _tc_db_prepare (db, "SELECT id, channel, provider_id, polls, sent_at, poll_at FROM outbox"
                             " WHERE poll_at IS NOT NULL AND poll_at <= ?1"
                             " AND ((?2 AND channel = ?3) OR (?4 AND channel = ?5))"
                             " ORDER BY poll_at, id LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, (channels & (1u << TC_CHANNEL_SMS)) != 0);
  sqlite3_bind_text (stmt, 3, tc_channel_to_string (TC_CHANNEL_SMS), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (channels & (1u << TC_CHANNEL_WHATSAPP)) != 0);
  sqlite3_bind_text (stmt, 5, tc_channel_to_string (TC_CHANNEL_WHATSAPP), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, limit > 0 ? limit : 1000);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcOutboxPoll *poll = g_new0 (TcOutboxPoll, 1);
      TcChannel channel = TC_CHANNEL_SMS;

      tc_channel_from_string ((const char *) sqlite3_column_text (stmt, 1), &channel);
      poll->id = sqlite3_column_int64 (stmt, 0);
      poll->channel = channel;
      poll->provider_id = column_dup (stmt, 2);
      poll->polls = (guint) CLAMP (sqlite3_column_int64 (stmt, 3), 0, G_MAXUINT);
      poll->sent_at = sqlite3_column_int64 (stmt, 4);
      poll->poll_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (polls, poll);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the outbox");
      return NULL;
    }

  stmt = _tc_db_prepare (db, "SELECT coalesce (min (poll_at), 0) FROM outbox"
                             " WHERE poll_at IS NOT NULL AND poll_at > ?1"
                             " AND ((?2 AND channel = ?3) OR (?4 AND channel = ?5))", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, (channels & (1u << TC_CHANNEL_SMS)) != 0);
  sqlite3_bind_text (stmt, 3, tc_channel_to_string (TC_CHANNEL_SMS), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (channels & (1u << TC_CHANNEL_WHATSAPP)) != 0);
  sqlite3_bind_text (stmt, 5, tc_channel_to_string (TC_CHANNEL_WHATSAPP), -1, SQLITE_STATIC);
  if (!query_count (db, stmt, next_poll_at, error))
    return NULL;

  return g_steal_pointer (&polls);
}

gboolean
_tc_db_outbox_record (struct _TcDb  *db,
                      GPtrArray     *outcomes,
                      GPtrArray     *statuses,
                      gint64         now,
                      gboolean      *ledger_changed,
                      GError       **error)
{
  return _tc_db_outbox_record_polled (db, outcomes, statuses, NULL, now, ledger_changed, error);
}

gboolean
_tc_db_outbox_record_polled (struct _TcDb  *db,
                             GPtrArray     *outcomes,
                             GPtrArray     *statuses,
                             GArray        *polled,
                             gint64         now,
                             gboolean      *ledger_changed,
                             GError       **error)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (db != NULL, FALSE);

  if (ledger_changed != NULL)
    *ledger_changed = FALSE;

  if (!_tc_db_begin (db, error))
    return FALSE;

  for (guint i = 0; outcomes != NULL && i < outcomes->len; i++)
    if (!record_outcome (db, g_ptr_array_index (outcomes, i), now, &changed, error))
      goto failed;

  /* The next poll first: the statuses (a poll's own among them) then
   * clear it where they are final. */
  for (guint i = 0; polled != NULL && i < polled->len; i++)
    if (!record_polled (db, &g_array_index (polled, TcOutboxPolled, i), error))
      goto failed;

  for (guint i = 0; statuses != NULL && i < statuses->len; i++)
    if (!record_status (db, g_ptr_array_index (statuses, i), now, error))
      goto failed;

  if (!_tc_db_commit (db, error))
    goto failed;

  if (ledger_changed != NULL)
    *ledger_changed = changed;

  return TRUE;

failed:
  _tc_db_rollback (db);
  return FALSE;
}

/* ------------------------------------------------------------------------
 * Main-thread API
 */

typedef struct
{
  char          *idem_key;
  char          *origin;
  gint64         contact_id;
  char          *phone;
  TcChannel      channel;
  TcPurpose      purpose;
  gboolean       compliance;
  char          *body;
  gint64         due_at;
  TcOutboxState  state;
  char          *reason;
  char          *sender_id;
  char          *media_url;
  char          *wa_template;
  char          *content_sid;
  char          *content_variables;
  gboolean       priced;
  double         cost;
} EnqueueJob;

typedef struct
{
  TcOutboxEntry *entry;
  gboolean       inserted;
} EnqueueResult;

static void
enqueue_job_free (EnqueueJob *job)
{
  g_free (job->idem_key);
  g_free (job->origin);
  g_free (job->phone);
  g_free (job->body);
  g_free (job->reason);
  g_free (job->sender_id);
  g_free (job->media_url);
  g_free (job->wa_template);
  g_free (job->content_sid);
  g_free (job->content_variables);
  g_free (job);
}

static void
enqueue_result_free (EnqueueResult *result)
{
  g_clear_pointer (&result->entry, tc_outbox_entry_free);
  g_free (result);
}

static gpointer
enqueue_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  EnqueueJob *job = job_data;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  gint64 now = g_date_time_to_unix (now_dt);
  EnqueueResult *result;
  TcOutboxRow row = {
    .idem_key = job->idem_key,
    .origin = job->origin,
    .contact_id = job->contact_id,
    .phone = job->phone,
    .channel = job->channel,
    .purpose = job->purpose,
    .compliance = job->compliance,
    .body = job->body,
    .due_at = job->due_at,
    .state = job->state,
    .reason = job->reason,
    .sender_id = job->sender_id,
    .media_url = job->media_url,
    .wa_template = job->wa_template,
    .content_sid = job->content_sid,
    .content_variables = job->content_variables,
    .priced = job->priced,
    .cost = job->cost,
  };
  gboolean inserted = FALSE;
  TcOutboxEntry *entry;

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!_tc_db_outbox_enqueue (db, &row, now, &inserted, error))
    goto failed;
  entry = _tc_db_outbox_get_by_idem_key (db, job->idem_key, error);
  if (entry == NULL)
    goto failed;
  if (!_tc_db_commit (db, error))
    {
      tc_outbox_entry_free (entry);
      goto failed;
    }

  result = g_new0 (EnqueueResult, 1);
  result->entry = entry;
  result->inserted = inserted;
  return result;

failed:
  _tc_db_rollback (db);
  return NULL;
}

static void
on_enqueue_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EnqueueResult *value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) enqueue_result_free);
}

void
tc_outbox_enqueue_async (TcRepository        *repository,
                         const TcOutboxRow   *row,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  EnqueueJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (row != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_outbox_enqueue_async);

  if (row->idem_key == NULL || row->idem_key[0] == '\0' || row->phone == NULL ||
      (row->state != TC_OUTBOX_QUEUED && row->state != TC_OUTBOX_DEFERRED &&
       row->state != TC_OUTBOX_SKIPPED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "A message to queue needs an idempotency key, a phone number and "
                               "the state queued, deferred or skipped");
      g_object_unref (task);
      return;
    }

  job = g_new0 (EnqueueJob, 1);
  job->idem_key = g_strdup (row->idem_key);
  job->origin = g_strdup (row->origin);
  job->contact_id = row->contact_id;
  job->phone = g_strdup (row->phone);
  job->channel = row->channel;
  job->purpose = row->purpose;
  job->compliance = row->compliance;
  job->body = g_strdup (row->body);
  job->due_at = row->due_at;
  job->state = row->state;
  job->reason = g_strdup (row->reason);
  job->sender_id = g_strdup (row->sender_id);
  job->media_url = g_strdup (row->media_url);
  job->wa_template = g_strdup (row->wa_template);
  job->content_sid = g_strdup (row->content_sid);
  job->content_variables = g_strdup (row->content_variables);
  job->priced = row->priced;
  job->cost = row->cost;

  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, enqueue_job, job,
                                 (GDestroyNotify) enqueue_job_free,
                                 (GDestroyNotify) enqueue_result_free, FALSE,
                                 cancellable, on_enqueue_done_cb, task);
}

TcOutboxEntry *
tc_outbox_enqueue_finish (TcRepository  *repository,
                          GAsyncResult  *result,
                          gboolean      *inserted,
                          GError       **error)
{
  EnqueueResult *value;
  TcOutboxEntry *entry;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_outbox_enqueue_async, NULL);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return NULL;

  if (inserted != NULL)
    *inserted = value->inserted;
  entry = g_steal_pointer (&value->entry);
  enqueue_result_free (value);

  return entry;
}

typedef struct
{
  gboolean      any_state;
  TcOutboxState state;
  gint64        id;
  guint         limit;
} ReadJob;

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  ReadJob *job = job_data;

  return _tc_db_outbox_get (db, job->id, error);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  ReadJob *job = job_data;

  return _tc_db_outbox_list (db, job->any_state, job->state, job->id, job->limit, error);
}

static void
on_read_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else if (g_task_get_source_tag (task) == tc_outbox_get_async)
    g_task_return_pointer (task, value, (GDestroyNotify) tc_outbox_entry_free);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) g_ptr_array_unref);
}

void
tc_outbox_get_async (TcRepository        *repository,
                     gint64               id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  ReadJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_outbox_get_async);

  job = g_new0 (ReadJob, 1);
  job->id = id;
  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, get_job, job, g_free,
                                 (GDestroyNotify) tc_outbox_entry_free, FALSE,
                                 cancellable, on_read_done_cb, task);
}

TcOutboxEntry *
tc_outbox_get_finish (TcRepository  *repository,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_outbox_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_outbox_list_async (TcRepository        *repository,
                      gboolean             any_state,
                      TcOutboxState        state,
                      gint64               after_id,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  ReadJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_outbox_list_async);

  job = g_new0 (ReadJob, 1);
  job->any_state = any_state;
  job->state = state;
  job->id = after_id;
  job->limit = limit;
  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, list_job, job, g_free,
                                 (GDestroyNotify) g_ptr_array_unref, FALSE,
                                 cancellable, on_read_done_cb, task);
}

GPtrArray *
tc_outbox_list_finish (TcRepository  *repository,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_outbox_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
