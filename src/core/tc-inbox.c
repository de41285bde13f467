/* tc-inbox.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tc-compose.h"
#include "tc-contact.h"
#include "tc-gate-check.h"
#include "tc-inbox.h"
#include "tc-repository-private.h"
#include "tc-settings.h"
#include "tc-template-store.h"

/* ------------------------------------------------------------------------
 * Values
 */

TcConversation *
tc_conversation_copy (const TcConversation *conversation)
{
  TcConversation *copy;

  g_return_val_if_fail (conversation != NULL, NULL);

  copy = g_memdup2 (conversation, sizeof *conversation);
  copy->phone = g_strdup (conversation->phone);
  copy->name = g_strdup (conversation->name);
  copy->last_body = g_strdup (conversation->last_body);
  return copy;
}

void
tc_conversation_free (TcConversation *conversation)
{
  if (conversation == NULL)
    return;

  g_free (conversation->phone);
  g_free (conversation->name);
  g_free (conversation->last_body);
  g_free (conversation);
}

gint64
tc_conversation_wa_window_closes (const TcConversation *conversation,
                                  gint64                now)
{
  gint64 closes;

  g_return_val_if_fail (conversation != NULL, 0);

  if (conversation->wa_last_inbound <= 0)
    return 0;
  closes = conversation->wa_last_inbound + TC_INBOX_WA_WINDOW_SECONDS;
  return closes > now ? closes : 0;
}

TcInboxMessage *
tc_inbox_message_copy (const TcInboxMessage *message)
{
  TcInboxMessage *copy;

  g_return_val_if_fail (message != NULL, NULL);

  copy = g_memdup2 (message, sizeof *message);
  copy->body = g_strdup (message->body);
  copy->template_name = g_strdup (message->template_name);
  copy->origin = g_strdup (message->origin);
  copy->keyword = g_strdup (message->keyword);
  copy->reason = g_strdup (message->reason);
  copy->error_code = g_strdup (message->error_code);
  return copy;
}

void
tc_inbox_message_free (TcInboxMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->body);
  g_free (message->template_name);
  g_free (message->origin);
  g_free (message->keyword);
  g_free (message->reason);
  g_free (message->error_code);
  g_free (message);
}

static const char *
channel_name (TcChannel channel)
{
  return channel == TC_CHANNEL_WHATSAPP ? _("WhatsApp") : _("SMS");
}

char *
tc_inbox_message_describe_action (const TcInboxMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  if (message->direction != TC_INBOX_MESSAGE_INBOUND)
    return NULL;

  switch (message->action)
    {
    case TC_INBOUND_ACTION_OPT_OUT:
      /* Translators: %s is SMS or WhatsApp */
      return g_strdup_printf (_("Opted out of %s — the confirmation was sent"), channel_name (message->channel));

    case TC_INBOUND_ACTION_OPT_IN:
      /* Translators: %s is SMS or WhatsApp */
      return g_strdup_printf (_("Opted in to %s — the confirmation was sent"), channel_name (message->channel));

    case TC_INBOUND_ACTION_HELP:
      return g_strdup (_("Asked for help — the help text was sent"));

    case TC_INBOUND_ACTION_KEYWORD:
      /* Translators: %s is a keyword such as JOIN */
      return g_strdup_printf (_("Sent the keyword %s — handled as its rule says"),
                              message->keyword != NULL && message->keyword[0] != '\0'
                              ? message->keyword : "?");

    case TC_INBOUND_ACTION_MESSAGE:
    default:
      return NULL;
    }
}

/* The plain sentence for a gate reason code kept in outbox.reason, or
 * NULL when @code is not one. */
static const char *
gate_reason_describe (const char *code)
{
  for (guint r = TC_GATE_REASON_NONE + 1; r <= TC_GATE_REASON_QUIET_HOURS; r++)
    if (g_strcmp0 (tc_gate_reason_to_string (r), code) == 0)
      return tc_gate_reason_describe (r);
  return NULL;
}

char *
tc_inbox_message_describe_state (const TcInboxMessage *message)
{
  const char *reason;

  g_return_val_if_fail (message != NULL, NULL);

  if (message->direction != TC_INBOX_MESSAGE_OUTBOUND)
    return NULL;

  reason = gate_reason_describe (message->reason);
  if (reason == NULL && message->reason != NULL && message->reason[0] != '\0')
    reason = message->reason;

  switch (message->state)
    {
    case TC_OUTBOX_QUEUED:
      return g_strdup (_("Waiting to be sent"));
    case TC_OUTBOX_SENDING:
      return g_strdup (_("Sending"));
    case TC_OUTBOX_SENT:
      return g_strdup (_("Sent"));
    case TC_OUTBOX_DELIVERED:
      return g_strdup (_("Delivered"));
    case TC_OUTBOX_READ:
      return g_strdup (_("Read"));
    case TC_OUTBOX_DEFERRED:
      if (reason != NULL)
        /* Translators: %s says why, e.g. "Quiet hours in the recipient's time zone" */
        return g_strdup_printf (_("Held back: %s"), reason);
      return g_strdup (_("Held back until later"));
    case TC_OUTBOX_PAUSED:
      return g_strdup (_("Paused with its campaign"));
    case TC_OUTBOX_SKIPPED:
      if (reason != NULL)
        /* Translators: %s says why, e.g. "Opted out of promotional SMS" */
        return g_strdup_printf (_("Not sent: %s"), reason);
      return g_strdup (_("Not sent"));
    case TC_OUTBOX_UNKNOWN:
      return g_strdup (_("Unknown: the provider may or may not have sent it; check the outbox"));
    case TC_OUTBOX_UNDELIVERED:
    case TC_OUTBOX_FAILED:
    default:
      if (reason != NULL)
        /* Translators: %s is the provider's reason in plain words */
        return g_strdup_printf (_("Failed: %s"), reason);
      if (message->error_code != NULL && message->error_code[0] != '\0')
        /* Translators: %s is a provider error code such as 30003 */
        return g_strdup_printf (_("Failed (error %s)"), message->error_code);
      return g_strdup (_("Failed"));
    }
}

/* ------------------------------------------------------------------------
 * Worker side
 */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

static char *
full_name (const char *first,
           const char *last)
{
  return g_strstrip (g_strdup_printf ("%s %s", first != NULL ? first : "", last != NULL ? last : ""));
}

/* A LIKE pattern that finds @text anywhere, with its % _ \ escaped. */
static char *
like_pattern (const char *text)
{
  GString *out = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

/* The conversations (one contact's when @contact_id > 0). */
static GPtrArray *
load_conversations (TcDb        *db,
                    gint64       contact_id,
                    const char  *search,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_conversation_free);
  g_autofree char *folded = NULL;
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* For one contact, the summary exists even when they never wrote. */
  stmt = _tc_db_prepare (db,
                         "SELECT c.id, c.phone, c.first_name, c.last_name,"
                         "       coalesce (i.last_in, 0), coalesce (i.unread, 0), coalesce (i.wa_last, 0),"
                         "       (SELECT max (coalesce (o.sent_at, o.created_at)) FROM outbox o"
                         "         WHERE o.contact_id = c.id) AS last_out"
                         "  FROM contacts c"
                         "  LEFT JOIN (SELECT contact_id, max (received_at) AS last_in,"
                         "                    sum (read_at IS NULL) AS unread,"
                         "                    max (CASE WHEN channel = 'whatsapp' THEN received_at END) AS wa_last"
                         "               FROM inbound_messages"
                         "              WHERE contact_id IS NOT NULL AND (?1 = 0 OR contact_id = ?1)"
                         "              GROUP BY contact_id) AS i ON i.contact_id = c.id"
                         " WHERE (?1 = 0 AND i.contact_id IS NOT NULL OR c.id = ?1)"
                         "   AND (?2 IS NULL"
                         "        OR instr (c.search_text, ?2) > 0"
                         "        OR EXISTS (SELECT 1 FROM inbound_messages m"
                         "                    WHERE m.contact_id = c.id AND m.body LIKE ?3 ESCAPE '\\'))"
                         " ORDER BY max (coalesce (i.last_in, 0), coalesce (last_out, 0)) DESC, c.id DESC"
                         " LIMIT ?4",
                         error);
  if (stmt == NULL)
    return NULL;

  if (search != NULL && *search != '\0')
    {
      folded = _tc_db_fold_search (search);
      pattern = like_pattern (search);
    }
  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (folded != NULL)
    {
      sqlite3_bind_text (stmt, 2, folded, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, pattern, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int64 (stmt, 4, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcConversation *conversation = g_new0 (TcConversation, 1);
      gint64 last_in = sqlite3_column_int64 (stmt, 4);
      gint64 last_out = sqlite3_column_int64 (stmt, 7);

      conversation->contact_id = sqlite3_column_int64 (stmt, 0);
      conversation->phone = column_dup (stmt, 1);
      conversation->name = full_name ((const char *) sqlite3_column_text (stmt, 2),
                                      (const char *) sqlite3_column_text (stmt, 3));
      conversation->unread = (guint) sqlite3_column_int64 (stmt, 5);
      conversation->wa_last_inbound = sqlite3_column_int64 (stmt, 6);
      conversation->last_at = MAX (last_in, last_out);
      /* At the same second, our answer comes after what they sent. */
      conversation->last_outbound = last_out > 0 && last_out >= last_in;
      g_ptr_array_add (conversations, conversation);
    }
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the conversations");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  /* The latest message's text, each from its own index. */
  for (guint i = 0; i < conversations->len; i++)
    {
      TcConversation *conversation = g_ptr_array_index (conversations, i);

      if (conversation->last_outbound)
        stmt = _tc_db_prepare (db,
                               "SELECT body, channel FROM outbox WHERE contact_id = ?1"
                               " ORDER BY coalesce (sent_at, created_at) DESC, id DESC LIMIT 1",
                               error);
      else
        stmt = _tc_db_prepare (db,
                               "SELECT body, channel FROM inbound_messages WHERE contact_id = ?1"
                               " ORDER BY received_at DESC, id DESC LIMIT 1",
                               error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, conversation->contact_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          conversation->last_body = column_dup (stmt, 0);
          tc_channel_from_string ((const char *) sqlite3_column_text (stmt, 1), &conversation->last_channel);
        }
      else if (rc == SQLITE_DONE)
        conversation->last_body = g_strdup ("");
      else
        {
          _tc_db_set_error (db, error, "Cannot read the conversation's last message");
          sqlite3_reset (stmt);
          return NULL;
        }
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&conversations);
}

/* The "name" of a Cloud API template object, or NULL. */
static char *
template_name_of (const char *wa_template)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;

  if (wa_template == NULL || wa_template[0] == '\0')
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, wa_template, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "name") ||
      json_node_get_value_type (json_object_get_member (object, "name")) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_object_get_string_member (object, "name"));
}

static GPtrArray *
load_thread (TcDb        *db,
             gint64       contact_id,
             guint        limit,
             GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_inbox_message_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Newest first to take the latest @limit; reversed below. At the same
   * second, what they sent comes before our answer to it. */
  stmt = _tc_db_prepare (db,
                         "SELECT * FROM ("
                         " SELECT 0 AS dir, id, channel, received_at AS at, body, '' AS wa_template,"
                         "        '' AS origin, action, keyword, read_at IS NULL AS unread,"
                         "        '' AS state, '' AS reason, '' AS error_code, 0 AS delivered, 0 AS seen"
                         "   FROM inbound_messages WHERE contact_id = ?1"
                         " UNION ALL"
                         " SELECT 1, id, channel, coalesce (sent_at, created_at), body, wa_template,"
                         "        origin, '', '', 0, state, reason, error_code,"
                         "        coalesce (delivered_at, 0), coalesce (read_at, 0)"
                         "   FROM outbox WHERE contact_id = ?1)"
                         " ORDER BY at DESC, dir DESC, id DESC LIMIT ?2",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcInboxMessage *message = g_new0 (TcInboxMessage, 1);

      message->direction = sqlite3_column_int (stmt, 0) == 0 ? TC_INBOX_MESSAGE_INBOUND
                                                             : TC_INBOX_MESSAGE_OUTBOUND;
      message->id = sqlite3_column_int64 (stmt, 1);
      tc_channel_from_string ((const char *) sqlite3_column_text (stmt, 2), &message->channel);
      message->at = sqlite3_column_int64 (stmt, 3);
      message->body = column_dup (stmt, 4);
      if (message->direction == TC_INBOX_MESSAGE_INBOUND)
        {
          if (!tc_inbound_action_from_string ((const char *) sqlite3_column_text (stmt, 7), &message->action))
            message->action = TC_INBOUND_ACTION_MESSAGE;
          message->keyword = column_dup (stmt, 8);
          message->unread = sqlite3_column_int (stmt, 9) != 0;
        }
      else
        {
          message->template_name = template_name_of ((const char *) sqlite3_column_text (stmt, 5));
          message->origin = column_dup (stmt, 6);
          if (!tc_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 10), &message->state))
            message->state = TC_OUTBOX_UNKNOWN;
          message->reason = column_dup (stmt, 11);
          message->error_code = column_dup (stmt, 12);
          message->delivered_at = sqlite3_column_int64 (stmt, 13);
          message->read_at = sqlite3_column_int64 (stmt, 14);
        }
      g_ptr_array_add (messages, message);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the conversation");
      return NULL;
    }

  for (guint i = 0, j = messages->len; messages->len > 0 && i < --j; i++)
    {
      gpointer tmp = messages->pdata[i];

      messages->pdata[i] = messages->pdata[j];
      messages->pdata[j] = tmp;
    }
  return g_steal_pointer (&messages);
}

/* ------------------------------------------------------------------------
 * Jobs
 */

typedef struct
{
  gint64        contact_id;
  char         *search;
  guint         limit;
  /* reply */
  TcChannel     channel;
  char         *body;
  char         *template_name;
  char         *idem_key;
  gint64        now;
} InboxJob;

static void
inbox_job_free (InboxJob *job)
{
  g_free (job->search);
  g_free (job->body);
  g_free (job->template_name);
  g_free (job->idem_key);
  g_free (job);
}

typedef struct
{
  TcConversation *conversation;
  GPtrArray      *messages;
} ThreadResult;

static void
thread_result_free (ThreadResult *result)
{
  g_clear_pointer (&result->conversation, tc_conversation_free);
  g_clear_pointer (&result->messages, g_ptr_array_unref);
  g_free (result);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  InboxJob *job = job_data;

  return load_conversations (db, 0, job->search, job->limit, error);
}

static gpointer
thread_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  InboxJob *job = job_data;
  g_autoptr(GPtrArray) conversations = NULL;
  ThreadResult *result;

  conversations = load_conversations (db, job->contact_id, NULL, 1, error);
  if (conversations == NULL)
    return NULL;
  if (conversations->len == 0)
    {
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
                   "There is no contact #%" G_GINT64_FORMAT, job->contact_id);
      return NULL;
    }

  result = g_new0 (ThreadResult, 1);
  result->conversation = g_ptr_array_steal_index (conversations, 0);
  result->messages = load_thread (db, job->contact_id, job->limit, error);
  if (result->messages == NULL)
    {
      thread_result_free (result);
      return NULL;
    }
  return result;
}

static gpointer
mark_read_job (TcDb          *db,
               gpointer       job_data,
               GCancellable  *cancellable,
               GError       **error)
{
  InboxJob *job = job_data;
  sqlite3_stmt *stmt;
  guint *marked;

  stmt = _tc_db_prepare (db,
                         "UPDATE inbound_messages SET read_at = ?2"
                         " WHERE contact_id = ?1 AND read_at IS NULL",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->contact_id);
  sqlite3_bind_int64 (stmt, 2, job->now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot mark the conversation read");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  marked = g_new (guint, 1);
  *marked = (guint) sqlite3_changes (_tc_db_get_handle (db));
  return marked;
}

static gpointer
count_unread_job (TcDb          *db,
                  gpointer       job_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  sqlite3_stmt *stmt;
  guint *unread;

  stmt = _tc_db_prepare (db,
                         "SELECT count (*) FROM inbound_messages"
                         " WHERE read_at IS NULL AND contact_id IS NOT NULL",
                         error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot count the unread messages");
      sqlite3_reset (stmt);
      return NULL;
    }
  unread = g_new (guint, 1);
  *unread = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return unread;
}

/* The template's id by kind and name, or 0 with TC_DB_ERROR_NOT_FOUND. */
static gint64
find_template_id (TcDb        *db,
                  TcChannel    channel,
                  const char  *name,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT id FROM templates WHERE kind = ?1 AND name = ?2", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, channel == TC_CHANNEL_WHATSAPP ? "whatsapp" : "sms", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return id;
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot look the template up");
      return 0;
    }
  g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND,
               /* Translators: %s is SMS or WhatsApp, then the template's name */
               _("There is no %s template called “%s”"), channel_name (channel), name);
  return 0;
}

static gpointer
reply_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  InboxJob *job = job_data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TcContact) contact = NULL;
  g_autoptr(GHashTable) settings = NULL;
  g_autoptr(TcGatePolicy) policy = NULL;
  g_autoptr(TcComposer) composer = NULL;
  g_autoptr(TcTemplate) template = NULL;
  g_auto(TcComposed) composed = { 0, };
  TcOutboxEntry *entry;
  TcGateQuery query = { 0, };
  TcGateDecision decision;
  TcOutboxRow row = { 0, };
  gboolean inserted = FALSE;

  /* Queued before under this key: that row, nothing new (G_IO_ERROR_NOT_FOUND
   * when there is none). */
  entry = _tc_db_outbox_get_by_idem_key (db, job->idem_key, &local_error);
  if (entry != NULL)
    return entry;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  contact = _tc_db_load_contact (db, job->contact_id, error);
  if (contact == NULL)
    return NULL;

  settings = _tc_db_gate_load_settings (db, error);
  if (settings == NULL)
    return NULL;
  policy = tc_gate_policy_new_from_settings (settings, error);
  if (policy == NULL)
    return NULL;

  if (job->template_name != NULL)
    {
      TcComposeOptions options = { 0, };
      gint64 template_id = find_template_id (db, job->channel, job->template_name, error);

      if (template_id == 0)
        return NULL;
      template = _tc_db_template_load (db, template_id, 0, error);
      if (template == NULL)
        return NULL;
      options.brand = g_hash_table_lookup (settings, TC_SETTING_BRAND_NAME);
      options.purpose = TC_PURPOSE_TRANSACTIONAL;
      composer = tc_composer_new (template, &options, error);
      if (composer == NULL)
        return NULL;
      if (!tc_composer_compose (composer, contact, tc_contact_get_phone (contact), NULL, &composed, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: the template's name, then why it failed */
                       _("The template “%s” cannot be filled in for this contact: %s"),
                       job->template_name, local_error->message);
          return NULL;
        }
    }
  else
    {
      composed.body = g_strdup (job->body);
      composed.content = TC_GATE_CONTENT_TEXT;
    }

  query.phone = tc_contact_get_phone (contact);
  query.channel = job->channel;
  query.purpose = TC_PURPOSE_TRANSACTIONAL;
  query.content = composed.content;
  query.wa_category = composed.category;
  query.template_approved = composed.approved;
  query.now = job->now;
  if (!_tc_db_gate_check (db, policy, &query, &decision, error))
    return NULL;

  /* An answer to someone who wrote needs their consent on the channel, of
   * either purpose: with only marketing consent, the checks after consent
   * decide as for a transactional message (a cap or quiet hours, which
   * hold marketing only, do not). */
  if (decision.decision == TC_GATE_SKIP && decision.reason == TC_GATE_REASON_NO_CONSENT)
    {
      TcGateDecision promotional;

      query.purpose = TC_PURPOSE_PROMOTIONAL;
      if (!_tc_db_gate_check (db, policy, &query, &promotional, error))
        return NULL;
      if (promotional.decision == TC_GATE_SEND ||
          promotional.reason == TC_GATE_REASON_FREQUENCY_CAP ||
          promotional.reason == TC_GATE_REASON_QUIET_HOURS)
        {
          decision.decision = TC_GATE_SEND;
          decision.reason = TC_GATE_REASON_NONE;
        }
      else if (promotional.reason != TC_GATE_REASON_NO_CONSENT &&
               promotional.reason != TC_GATE_REASON_OPTED_OUT &&
               promotional.reason != TC_GATE_REASON_SENDER_TRANSACTIONAL)
        decision = promotional;
    }

  row.idem_key = job->idem_key;
  row.origin = TC_INBOX_ORIGIN;
  row.contact_id = job->contact_id;
  row.phone = tc_contact_get_phone (contact);
  row.channel = job->channel;
  row.purpose = TC_PURPOSE_TRANSACTIONAL;
  row.body = composed.body;
  row.wa_template = composed.wa_template;
  row.media_url = composed.media_url;
  row.due_at = job->now;
  switch (decision.decision)
    {
    case TC_GATE_SEND:
      row.state = TC_OUTBOX_QUEUED;
      break;

    case TC_GATE_DEFER:
      /* No time allowed in every zone within two weeks: nothing to wait for. */
      row.state = decision.until > 0 ? TC_OUTBOX_DEFERRED : TC_OUTBOX_SKIPPED;
      row.due_at = decision.until > 0 ? decision.until : job->now;
      row.reason = tc_gate_reason_to_string (decision.reason);
      break;

    case TC_GATE_SKIP:
    default:
      row.state = TC_OUTBOX_SKIPPED;
      row.reason = tc_gate_reason_to_string (decision.reason);
      break;
    }

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!_tc_db_outbox_enqueue (db, &row, job->now, &inserted, error))
    goto failed;
  entry = _tc_db_outbox_get_by_idem_key (db, job->idem_key, error);
  if (entry == NULL)
    goto failed;
  if (!_tc_db_commit (db, error))
    {
      tc_outbox_entry_free (entry);
      goto failed;
    }
  return entry;

failed:
  _tc_db_rollback (db);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDestroyNotify free_func = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, free_func);
}

static void
run_job (TcRepository        *repository,
         gpointer             source_tag,
         TcDbJobKind          kind,
         TcDbJobFunc          func,
         InboxJob            *job,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (repository, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, result_free, NULL);
  if (kind == TC_DB_JOB_WRITE)
    /* A committed change is reported as done even if cancelled meanwhile. */
    g_task_set_check_cancellable (task, FALSE);

  _tc_repository_run_async_full (repository, kind, func, job, (GDestroyNotify) inbox_job_free,
                                 result_free, FALSE, cancellable, on_job_done_cb, task);
}

static gint64
now_or (gint64 now)
{
  return now > 0 ? now : g_get_real_time () / G_USEC_PER_SEC;
}

void
tc_inbox_list_async (TcRepository        *repository,
                     const char          *search,
                     guint                limit,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  InboxJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  job = g_new0 (InboxJob, 1);
  job->search = g_strdup (search);
  job->limit = CLAMP (limit, 1, 1000);
  run_job (repository, tc_inbox_list_async, TC_DB_JOB_READ, list_job, job,
           (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
tc_inbox_list_finish (TcRepository  *repository,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_inbox_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_inbox_thread_async (TcRepository        *repository,
                       gint64               contact_id,
                       guint                limit,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  InboxJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (contact_id > 0);

  job = g_new0 (InboxJob, 1);
  job->contact_id = contact_id;
  job->limit = CLAMP (limit, 1, 5000);
  run_job (repository, tc_inbox_thread_async, TC_DB_JOB_READ, thread_job, job,
           (GDestroyNotify) thread_result_free, cancellable, callback, user_data);
}

GPtrArray *
tc_inbox_thread_finish (TcRepository    *repository,
                        GAsyncResult    *result,
                        TcConversation **conversation,
                        GError         **error)
{
  ThreadResult *thread;
  GPtrArray *messages;

  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_inbox_thread_async, NULL);

  thread = g_task_propagate_pointer (G_TASK (result), error);
  if (thread == NULL)
    return NULL;
  if (conversation != NULL)
    *conversation = g_steal_pointer (&thread->conversation);
  messages = g_steal_pointer (&thread->messages);
  thread_result_free (thread);
  return messages;
}

static gboolean
propagate_uint (TcRepository  *repository,
                GAsyncResult  *result,
                gpointer       source_tag,
                guint         *out,
                GError       **error)
{
  g_autofree guint *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  if (out != NULL)
    *out = *value;
  return TRUE;
}

void
tc_inbox_mark_read_async (TcRepository        *repository,
                          gint64               contact_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  InboxJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  job = g_new0 (InboxJob, 1);
  job->contact_id = contact_id;
  job->now = now_or (0);
  run_job (repository, tc_inbox_mark_read_async, TC_DB_JOB_WRITE, mark_read_job, job,
           g_free, cancellable, callback, user_data);
}

gboolean
tc_inbox_mark_read_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           guint         *marked,
                           GError       **error)
{
  return propagate_uint (repository, result, tc_inbox_mark_read_async, marked, error);
}

void
tc_inbox_count_unread_async (TcRepository        *repository,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  run_job (repository, tc_inbox_count_unread_async, TC_DB_JOB_READ, count_unread_job,
           g_new0 (InboxJob, 1), g_free, cancellable, callback, user_data);
}

gboolean
tc_inbox_count_unread_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              guint         *unread,
                              GError       **error)
{
  return propagate_uint (repository, result, tc_inbox_count_unread_async, unread, error);
}

static gboolean
has_text (const char *body)
{
  if (body == NULL)
    return FALSE;
  for (const char *p = body; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

void
tc_inbox_reply_async (TcRepository        *repository,
                      const TcInboxReply  *reply,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  const char *message = NULL;
  InboxJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (reply != NULL);

  if (reply->idem_key == NULL || reply->idem_key[0] == '\0' || reply->contact_id <= 0)
    message = "A reply needs a contact and an idempotency key";
  else if (reply->template_name != NULL && reply->body != NULL)
    message = _("A reply is either a text or a template, not both");
  else if (reply->template_name == NULL && !has_text (reply->body))
    message = _("Write a message, or pick a template");
  if (message != NULL)
    {
      g_autoptr(GTask) task = g_task_new (repository, cancellable, callback, user_data);

      g_task_set_source_tag (task, tc_inbox_reply_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", message);
      return;
    }

  job = g_new0 (InboxJob, 1);
  job->contact_id = reply->contact_id;
  job->channel = reply->channel;
  job->body = g_strdup (reply->body);
  job->template_name = g_strdup (reply->template_name);
  job->idem_key = g_strdup (reply->idem_key);
  job->now = now_or (reply->now);
  run_job (repository, tc_inbox_reply_async, TC_DB_JOB_WRITE, reply_job, job,
           (GDestroyNotify) tc_outbox_entry_free, cancellable, callback, user_data);
}

TcOutboxEntry *
tc_inbox_reply_finish (TcRepository  *repository,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_inbox_reply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
