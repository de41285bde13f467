/* test-inbox.c: conversations, threads, read marks and replies.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "tc-consent-ledger.h"
#include "tc-inbound.h"
#include "tc-inbox.h"
#include "tc-outbox.h"
#include "tc-repository.h"
#include "tc-template-store.h"
#include "tc-template.h"
#include "tc-test-util.h"
#include "tc-wa-template.h"

typedef struct
{
  TcTestRepo repo;
  gint64     now;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  tc_test_repo_set_up (&f->repo, "textcast-inbox-XXXXXX", "t.db");
  f->now = g_get_real_time () / G_USEC_PER_SEC;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tc_test_repo_tear_down (&f->repo);
}

static TcInboundResult *
inbound (Fixture    *f,
         TcChannel   channel,
         const char *from,
         const char *body,
         gint64      at)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_id = g_strdup_printf ("IN%s%" G_GINT64_FORMAT "%u", from + 1, at,
                                                  g_str_hash (body));
  TcInboundResult *processed;

  tc_inbound_process_async (f->repo.repo, channel, from, body, provider_id, at, NULL,
                            tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  processed = tc_inbound_process_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (processed);
  return processed;
}

static gint64
inbound_contact (Fixture    *f,
                 TcChannel   channel,
                 const char *from,
                 const char *body,
                 gint64      at)
{
  g_autoptr(TcInboundResult) processed = inbound (f, channel, from, body, at);

  g_assert_cmpint (processed->contact_id, >, 0);
  return processed->contact_id;
}

static gint64
consent (Fixture            *f,
         const char         *phone,
         TcChannel           channel,
         TcPurpose           purpose,
         TcConsentEventKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcConsentOutcome) outcome = NULL;
  TcConsentRequest request = {
    .phone = phone,
    .channel = channel,
    .purpose = purpose,
    .kind = kind,
    .source = TC_CONSENT_SOURCE_WEB_FORM,
    .wording = "Yes, text me about my orders and offers",
    .origin = "https://shop.example/signup",
    .create_contact = TRUE,
    .confirmed = TRUE,
  };

  tc_consent_ledger_record_async (f->repo.repo, &request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  outcome = tc_consent_ledger_record_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (outcome);
  return outcome->contact_id;
}

static void
enqueue (Fixture    *f,
         gint64      contact_id,
         const char *phone,
         const char *idem_key,
         const char *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcOutboxEntry) entry = NULL;
  TcOutboxRow row = {
    .idem_key = idem_key,
    .origin = "campaign:1:A",
    .contact_id = contact_id,
    .phone = phone,
    .channel = TC_CHANNEL_SMS,
    .purpose = TC_PURPOSE_PROMOTIONAL,
    .body = body,
    .due_at = f->now,
  };

  tc_outbox_enqueue_async (f->repo.repo, &row, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  entry = tc_outbox_enqueue_finish (f->repo.repo, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
}

static GPtrArray *
list (Fixture    *f,
      const char *search)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *conversations;

  tc_inbox_list_async (f->repo.repo, search, 100, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  conversations = tc_inbox_list_finish (f->repo.repo, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (conversations);
  return conversations;
}

static GPtrArray *
thread (Fixture         *f,
        gint64           contact_id,
        TcConversation **conversation,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_inbox_thread_async (f->repo.repo, contact_id, 100, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_inbox_thread_finish (f->repo.repo, result, conversation, error);
}

static guint
count_unread (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint unread = G_MAXUINT;

  tc_inbox_count_unread_async (f->repo.repo, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_inbox_count_unread_finish (f->repo.repo, result, &unread, &error));
  g_assert_no_error (error);
  return unread;
}

static guint
mark_read (Fixture *f,
           gint64   contact_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint marked = G_MAXUINT;

  tc_inbox_mark_read_async (f->repo.repo, contact_id, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_inbox_mark_read_finish (f->repo.repo, result, &marked, &error));
  g_assert_no_error (error);
  return marked;
}

static TcOutboxEntry *
reply (Fixture            *f,
       const TcInboxReply *request,
       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tc_inbox_reply_async (f->repo.repo, request, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  return tc_inbox_reply_finish (f->repo.repo, result, error);
}

static void
save_templates (Fixture *f)
{
  g_autoptr(TcTemplate) sms = tc_template_new (TC_TEMPLATE_KIND_SMS, "order-help");
  g_autoptr(TcTemplate) wa = tc_template_new (TC_TEMPLATE_KIND_WHATSAPP, "order_update");
  g_autoptr(TcWaTemplate) model = tc_wa_template_new ("order_update", "en_US", TC_WA_CATEGORY_UTILITY);
  g_autoptr(JsonNode) definition = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_template_set_body (sms, "Hi {{first_name|there}}, your order is on its way.");
  tc_repository_save_template_async (f->repo.repo, sms, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->repo.repo, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  tc_wa_template_set_body (model, "Hello {{1}}, we have news about your order.");
  tc_wa_template_set_body_param (model, 1, "Ana", "{{first_name|there}}");
  tc_wa_template_set_status (model, TC_WA_STATUS_APPROVED, NULL);
  definition = tc_wa_template_to_json (model);
  json = json_to_string (definition, FALSE);
  tc_template_set_definition (wa, json);
  tc_repository_save_template_async (f->repo.repo, wa, NULL, tc_repository_store_result_cb, &result);
  tc_repository_wait (&result);
  g_assert_true (tc_repository_save_template_finish (f->repo.repo, result, NULL, &error));
  g_assert_no_error (error);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  return tc_test_sql_int (path, sql);
}

/* ------------------------------------------------------------------------ */

/* Only people who wrote have a conversation; latest first, with unread
 * counts, the last text and the WhatsApp window; search by text or number. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  gint64 t0 = f->now - 3600;
  gint64 ana, ben;
  const TcConversation *first, *second;
  struct {
    const char *search;
    guint       n;
    const char *phone;
  } searches[] = {
    { "spain", 1, "+14155550101" },      /* text they sent, any case */
    { "SPAIN", 1, "+14155550101" },
    { "50%", 1, "+14155550102" },        /* % is a character, not a wildcard */
    { "5_%", 0, NULL },
    { "0102", 1, "+14155550102" },       /* the number */
    { "nobody wrote this", 0, NULL },
    { "", 2, NULL },                      /* everyone */
  };

  ana = inbound_contact (f, TC_CHANNEL_SMS, "+14155550101", "Do you ship to Spain?", t0);
  ben = inbound_contact (f, TC_CHANNEL_WHATSAPP, "+14155550102", "Is the 50% off still on?", t0 + 10);
  g_assert_cmpint (inbound_contact (f, TC_CHANNEL_WHATSAPP, "+14155550102", "Thanks!", t0 + 20), ==, ben);
  /* Someone a campaign reached, who never wrote: no conversation. */
  enqueue (f, consent (f, "+14155550103", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN),
           "+14155550103", "campaign:1:3", "Spring sale: 20% off");

  all = list (f, NULL);
  g_assert_cmpuint (all->len, ==, 2);
  first = g_ptr_array_index (all, 0);
  second = g_ptr_array_index (all, 1);
  g_assert_cmpint (first->contact_id, ==, ben);
  g_assert_cmpstr (first->phone, ==, "+14155550102");
  g_assert_cmpstr (first->last_body, ==, "Thanks!");
  g_assert_false (first->last_outbound);
  g_assert_cmpint (first->last_channel, ==, TC_CHANNEL_WHATSAPP);
  g_assert_cmpuint (first->unread, ==, 2);
  g_assert_cmpint (first->last_at, ==, t0 + 20);
  g_assert_cmpint (first->wa_last_inbound, ==, t0 + 20);
  g_assert_cmpint (tc_conversation_wa_window_closes (first, f->now), ==, t0 + 20 + 24 * 3600);
  g_assert_cmpint (tc_conversation_wa_window_closes (first, t0 + 20 + 24 * 3600), ==, 0);
  g_assert_cmpint (second->contact_id, ==, ana);
  g_assert_cmpuint (second->unread, ==, 1);
  g_assert_cmpint (second->wa_last_inbound, ==, 0);
  g_assert_cmpint (tc_conversation_wa_window_closes (second, f->now), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GPtrArray) found = list (f, searches[i].search);

      g_test_message ("search “%s”", searches[i].search);
      g_assert_cmpuint (found->len, ==, searches[i].n);
      if (searches[i].phone != NULL)
        g_assert_cmpstr (((TcConversation *) g_ptr_array_index (found, 0))->phone, ==, searches[i].phone);
    }
}

/* The thread: what they sent and what we sent, in order, said in words. */
static void
test_thread (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(TcConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  g_autofree char *state = NULL;
  const TcInboxMessage *stop, *confirmation;
  gint64 dana, erin;

  dana = inbound_contact (f, TC_CHANNEL_SMS, "+14155550104", "STOP", f->now - 60);
  messages = thread (f, dana, &conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpint (conversation->contact_id, ==, dana);
  g_assert_true (conversation->last_outbound);

  stop = g_ptr_array_index (messages, 0);
  g_assert_cmpint (stop->direction, ==, TC_INBOX_MESSAGE_INBOUND);
  g_assert_cmpstr (stop->body, ==, "STOP");
  g_assert_cmpint (stop->action, ==, TC_INBOUND_ACTION_OPT_OUT);
  g_assert_true (stop->unread);
  action = tc_inbox_message_describe_action (stop);
  g_assert_cmpstr (action, ==, "Opted out of SMS — the confirmation was sent");

  confirmation = g_ptr_array_index (messages, 1);
  g_assert_cmpint (confirmation->direction, ==, TC_INBOX_MESSAGE_OUTBOUND);
  g_assert_cmpint (confirmation->state, ==, TC_OUTBOX_QUEUED);
  g_assert_nonnull (strstr (confirmation->body, "unsubscribed"));
  g_assert_null (tc_inbox_message_describe_action (confirmation));
  state = tc_inbox_message_describe_state (confirmation);
  g_assert_cmpstr (state, ==, "Waiting to be sent");

  /* Someone who never wrote has a thread too (opened from their contact
   * page): the campaign message, nothing unread. */
  erin = consent (f, "+14155550105", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN);
  enqueue (f, erin, "+14155550105", "campaign:1:5", "Spring sale: 20% off");
  g_clear_pointer (&messages, g_ptr_array_unref);
  g_clear_pointer (&conversation, tc_conversation_free);
  messages = thread (f, erin, &conversation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpuint (conversation->unread, ==, 0);
  g_assert_cmpstr (((TcInboxMessage *) g_ptr_array_index (messages, 0))->origin, ==, "campaign:1:A");

  /* No such contact. */
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = thread (f, 999999, NULL, &error);
  g_assert_error (error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND);
  g_assert_null (messages);
}

/* What an outbound message's state says, table-driven. */
static void
test_describe_state (void)
{
  struct {
    TcOutboxState  state;
    const char    *reason;
    const char    *error_code;
    const char    *expected;
  } cases[] = {
    { TC_OUTBOX_QUEUED, "", "", "Waiting to be sent" },
    { TC_OUTBOX_SENT, "", "", "Sent" },
    { TC_OUTBOX_DELIVERED, "", "", "Delivered" },
    { TC_OUTBOX_READ, "", "", "Read" },
    { TC_OUTBOX_SKIPPED, "opted_out", "", "Not sent: Opted out of this channel and purpose" },
    { TC_OUTBOX_SKIPPED, "", "", "Not sent" },
    { TC_OUTBOX_DEFERRED, "quiet_hours", "", NULL },
    { TC_OUTBOX_FAILED, "The number is not a mobile number", "30006",
      "Failed: The number is not a mobile number" },
    { TC_OUTBOX_UNDELIVERED, "", "30003", "Failed (error 30003)" },
    { TC_OUTBOX_FAILED, "", "", "Failed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TcInboxMessage message = {
        .direction = TC_INBOX_MESSAGE_OUTBOUND,
        .state = cases[i].state,
        .reason = (char *) cases[i].reason,
        .error_code = (char *) cases[i].error_code,
      };
      g_autofree char *text = tc_inbox_message_describe_state (&message);

      g_test_message ("case %u", i);
      if (cases[i].expected != NULL)
        g_assert_cmpstr (text, ==, cases[i].expected);
      else
        g_assert_true (g_str_has_prefix (text, "Held back: ") && strlen (text) > strlen ("Held back: "));
    }
}

static void
test_mark_read (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) conversations = NULL;
  gint64 ana, ben;

  ana = inbound_contact (f, TC_CHANNEL_SMS, "+14155550101", "Hello?", f->now - 30);
  ben = inbound_contact (f, TC_CHANNEL_SMS, "+14155550102", "Question one", f->now - 20);
  inbound_contact (f, TC_CHANNEL_SMS, "+14155550102", "Question two", f->now - 10);
  g_assert_cmpuint (count_unread (f), ==, 3);

  g_assert_cmpuint (mark_read (f, ben), ==, 2);
  g_assert_cmpuint (count_unread (f), ==, 1);
  g_assert_cmpuint (mark_read (f, ben), ==, 0);

  conversations = list (f, NULL);
  g_assert_cmpuint (conversations->len, ==, 2);
  g_assert_cmpuint (((TcConversation *) g_ptr_array_index (conversations, 0))->unread, ==, 0);
  g_assert_cmpuint (((TcConversation *) g_ptr_array_index (conversations, 1))->unread, ==, 1);

  g_assert_cmpuint (mark_read (f, ana), ==, 1);
  g_assert_cmpuint (count_unread (f), ==, 0);
}

/* Replies go through the gate: table of who may get which reply. */
static void
test_reply (Fixture       *f,
            gconstpointer  data)
{
  gint64 promo, stopped, none, wa;
  struct {
    const char    *name;
    gint64        *contact;
    TcChannel      channel;
    const char    *body;
    const char    *template_name;
    gint64         at_offset;     /* seconds after now; -1: 03:00 in San Francisco */
    TcOutboxState  state;
    const char    *reason;
  } cases[] = {
    /* Marketing consent only: the answer goes out, as transactional. */
    { "sms-promotional-consent", &promo, TC_CHANNEL_SMS, "We ship to Spain, yes!", NULL, 0,
      TC_OUTBOX_QUEUED, "" },
    /* At 3 in the morning too: quiet hours hold marketing, not answers. */
    { "sms-night", &promo, TC_CHANNEL_SMS, "Still here", NULL, -1, TC_OUTBOX_QUEUED, "" },
    { "sms-template", &promo, TC_CHANNEL_SMS, NULL, "order-help", 0, TC_OUTBOX_QUEUED, "" },
    { "sms-stopped", &stopped, TC_CHANNEL_SMS, "Sorry to see you go", NULL, 0,
      TC_OUTBOX_SKIPPED, "opted_out" },
    { "sms-no-consent", &none, TC_CHANNEL_SMS, "Hello", NULL, 0, TC_OUTBOX_SKIPPED, "no_consent" },
    /* WhatsApp: free text inside the window, a template after it. */
    { "wa-window-open", &wa, TC_CHANNEL_WHATSAPP, "Yes, size 38 is back", NULL, 0, TC_OUTBOX_QUEUED, "" },
    { "wa-window-closed", &wa, TC_CHANNEL_WHATSAPP, "Hello again", NULL, 25 * 3600,
      TC_OUTBOX_SKIPPED, "wa_template_required" },
    { "wa-template-closed", &wa, TC_CHANNEL_WHATSAPP, NULL, "order_update", 25 * 3600,
      TC_OUTBOX_QUEUED, "" },
  };

  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (f->now);
  g_autoptr(GDateTime) here = g_date_time_to_timezone (local, zone);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (here, 1);
  g_autoptr(GDateTime) night = g_date_time_new (zone, g_date_time_get_year (tomorrow),
                                                g_date_time_get_month (tomorrow),
                                                g_date_time_get_day_of_month (tomorrow), 3, 0, 0);

  g_assert_nonnull (zone);
  save_templates (f);
  promo = inbound_contact (f, TC_CHANNEL_SMS, "+14155550111", "Do you ship to Spain?", f->now - 60);
  consent (f, "+14155550111", TC_CHANNEL_SMS, TC_PURPOSE_PROMOTIONAL, TC_CONSENT_EVENT_OPTED_IN);
  stopped = inbound_contact (f, TC_CHANNEL_SMS, "+14155550112", "STOP", f->now - 60);
  none = inbound_contact (f, TC_CHANNEL_SMS, "+14155550113", "who is this?", f->now - 60);
  wa = inbound_contact (f, TC_CHANNEL_WHATSAPP, "+14155550114", "Is size 38 back?", f->now - 3600);
  consent (f, "+14155550114", TC_CHANNEL_WHATSAPP, TC_PURPOSE_TRANSACTIONAL, TC_CONSENT_EVENT_OPTED_IN);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = g_strdup_printf ("inbox:test:%s", cases[i].name);
      g_autoptr(TcOutboxEntry) entry = NULL;
      g_autoptr(TcOutboxEntry) again = NULL;
      g_autoptr(GError) error = NULL;
      TcInboxReply request = {
        .contact_id = *cases[i].contact,
        .channel = cases[i].channel,
        .body = cases[i].body,
        .template_name = cases[i].template_name,
        .idem_key = key,
        .now = cases[i].at_offset < 0 ? g_date_time_to_unix (night) : f->now + cases[i].at_offset,
      };

      g_test_message ("case %s", cases[i].name);
      entry = reply (f, &request, &error);
      g_assert_no_error (error);
      g_assert_nonnull (entry);
      g_assert_cmpint (entry->state, ==, cases[i].state);
      g_assert_cmpstr (entry->reason, ==, cases[i].reason);
      g_assert_cmpstr (entry->origin, ==, TC_INBOX_ORIGIN);
      g_assert_cmpint (entry->purpose, ==, TC_PURPOSE_TRANSACTIONAL);
      g_assert_cmpint (entry->contact_id, ==, *cases[i].contact);
      if (cases[i].template_name != NULL && cases[i].channel == TC_CHANNEL_WHATSAPP)
        g_assert_nonnull (strstr (entry->wa_template, "\"order_update\""));
      else if (cases[i].template_name != NULL)
        g_assert_cmpstr (entry->body, ==, "Hi there, your order is on its way.");
      else
        g_assert_cmpstr (entry->body, ==, cases[i].body);

      /* The same key again (a double click, a retry): the same row. */
      again = reply (f, &request, &error);
      g_assert_no_error (error);
      g_assert_cmpint (again->id, ==, entry->id);
    }
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count (*) FROM outbox WHERE origin = 'inbox'"),
                   ==, G_N_ELEMENTS (cases));
}

static void
test_reply_errors (Fixture       *f,
                   gconstpointer  data)
{
  gint64 ana = inbound_contact (f, TC_CHANNEL_SMS, "+14155550121", "Hi", f->now - 60);
  struct {
    gint64       contact;
    const char  *body;
    const char  *template_name;
    const char  *key;
    GQuark       domain;
    int          code;
    const char  *message;
  } cases[] = {
    { 0, NULL, NULL, NULL, 0, G_IO_ERROR_INVALID_ARGUMENT, NULL },
    { 1, "   \n", NULL, "k1", 0, G_IO_ERROR_INVALID_ARGUMENT, "Write a message, or pick a template" },
    { 1, NULL, NULL, "k2", 0, G_IO_ERROR_INVALID_ARGUMENT, "Write a message, or pick a template" },
    { 1, "text", "order-help", "k3", 0, G_IO_ERROR_INVALID_ARGUMENT,
      "A reply is either a text or a template, not both" },
    { 1, NULL, "no-such-template", "k4", 1, TC_DB_ERROR_NOT_FOUND,
      "There is no SMS template called “no-such-template”" },
    { 999999, "Hello", NULL, "k5", 1, TC_DB_ERROR_NOT_FOUND, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TcOutboxEntry) entry = NULL;
      GQuark domain;
      TcInboxReply request = {
        .contact_id = cases[i].contact == 1 ? ana : cases[i].contact,
        .channel = TC_CHANNEL_SMS,
        .body = cases[i].body,
        .template_name = cases[i].template_name,
        .idem_key = cases[i].key,
      };

      g_test_message ("case %u", i);
      entry = reply (f, &request, &error);
      g_assert_null (entry);
      domain = cases[i].domain == 0 ? G_IO_ERROR : TC_DB_ERROR;
      g_assert_error (error, domain, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  g_assert_cmpint (raw_int (f->repo.path, "SELECT count (*) FROM outbox WHERE origin = 'inbox'"), ==, 0);
}

/* Schema 10: what came in before the inbox counts as read. */
static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  sqlite3 *handle = NULL;

  inbound_contact (f, TC_CHANNEL_SMS, "+14155550131", "Old question", f->now - 600);
  g_assert_cmpuint (count_unread (f), ==, 1);
  tc_repository_close (f->repo.repo);

  g_assert_cmpint (sqlite3_open (f->repo.path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, TC_TEST_UNDO_SCHEMA_10 "PRAGMA user_version = 9;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (handle);

  tc_test_open_ok (f->repo.repo);
  g_assert_cmpint (raw_int (f->repo.path, "PRAGMA user_version"), ==, TC_REPOSITORY_SCHEMA_VERSION);
  g_assert_cmpuint (count_unread (f), ==, 0);
  inbound_contact (f, TC_CHANNEL_SMS, "+14155550131", "New question", f->now);
  g_assert_cmpuint (count_unread (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tc/inbox/list", test_list);
  ADD ("/tc/inbox/thread", test_thread);
  g_test_add_func ("/tc/inbox/describe-state", test_describe_state);
  ADD ("/tc/inbox/mark-read", test_mark_read);
  ADD ("/tc/inbox/reply", test_reply);
  ADD ("/tc/inbox/reply-errors", test_reply_errors);
  ADD ("/tc/inbox/upgrade", test_upgrade);

  return g_test_run ();
}
