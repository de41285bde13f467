/* tc-inbox.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inbox: two-way conversations with contacts across SMS and WhatsApp.
 *
 * A conversation exists for every contact who has written to the
 * workspace (a row in inbound_messages); campaigns alone make none, so a
 * campaign to a million people does not flood the inbox. Its thread is
 * everything exchanged with the contact in time order: what they sent
 * (inbound_messages, with what Textcast made of it — an opt-out, HELP, a
 * keyword) and what was sent to them from any origin (outbox rows, with
 * their state and, for failures, the reason in plain words).
 *
 * Unread: an inbound message is unread until its conversation is marked
 * read (inbound_messages.read_at, schema 10).
 *
 * Replies (tc_inbox_reply_async) are transactional messages — an answer
 * to someone who wrote — checked by the send gate like any other: they
 * need the contact's consent on the channel (for either purpose: with
 * marketing consent only, the marketing cap and quiet hours still do not
 * hold an answer back) and no opt-out; WhatsApp free-form text only inside
 * the 24-hour customer service window, a template outside it. They enter the outbox with origin
 * "inbox" and an idempotency key the caller chooses, so pressing Send
 * twice (or a retry after a crash) never sends the answer twice.
 */

#pragma once

#include <gio/gio.h>

#include "tc-gate.h"
#include "tc-outbox.h"
#include "tc-repository.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_INBOX_ORIGIN "inbox"

/* The WhatsApp customer-service window: free-form messages may be sent
 * until this long after the contact's last WhatsApp message. */
#define TC_INBOX_WA_WINDOW_SECONDS (24 * 60 * 60)

typedef struct
{
  gint64     contact_id;
  char      *phone;            /* E.164 */
  char      *name;             /* "First Last", or "" */
  gint64     last_at;          /* unix seconds of the latest message either way */
  char      *last_body;        /* the latest message's text ("" for a WhatsApp template) */
  gboolean   last_outbound;    /* the latest message was ours */
  TcChannel  last_channel;
  guint      unread;
  gint64     wa_last_inbound;  /* their last WhatsApp message, 0 = never */
} TcConversation;

TcConversation *tc_conversation_copy (const TcConversation *conversation);
void            tc_conversation_free (TcConversation       *conversation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcConversation, tc_conversation_free)

/* Until when free-form WhatsApp text may be sent (0 = the window is closed
 * or was never open) at @now. */
gint64 tc_conversation_wa_window_closes (const TcConversation *conversation,
                                         gint64                now);

typedef enum
{
  TC_INBOX_MESSAGE_INBOUND,
  TC_INBOX_MESSAGE_OUTBOUND,
} TcInboxDirection;

typedef struct
{
  TcInboxDirection  direction;
  gint64            id;           /* inbound_messages.id or outbox.id */
  TcChannel         channel;
  gint64            at;           /* received, or sent (else queued) */
  char             *body;         /* the text; "" for a WhatsApp template */
  char             *template_name;/* outbound WhatsApp template, or NULL */
  char             *origin;       /* outbound: "inbox", "campaign:3:…", "reply:…", … */
  /* Inbound */
  TcInboundAction   action;
  char             *keyword;      /* canonical keyword, or NULL */
  gboolean          unread;
  /* Outbound */
  TcOutboxState     state;
  char             *reason;       /* skipped / deferred / failed: plain words, or NULL */
  char             *error_code;   /* the provider's code, or NULL */
  gint64            delivered_at;
  gint64            read_at;
} TcInboxMessage;

TcInboxMessage *tc_inbox_message_copy (const TcInboxMessage *message);
void            tc_inbox_message_free (TcInboxMessage       *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcInboxMessage, tc_inbox_message_free)

/* What an inbound message did, in plain words ("Opted out of SMS — the
 * confirmation was sent"), or NULL for a plain message. */
char *tc_inbox_message_describe_action (const TcInboxMessage *message);
/* The state of an outbound message in plain words, with the reason for
 * skipped, deferred and failed ones ("Not sent: opted out of promotional
 * SMS"). */
char *tc_inbox_message_describe_state  (const TcInboxMessage *message);

/* The conversations, latest activity first, at most @limit (1–1000).
 * @search (NULL or "": all) matches the contact's name, phone or e-mail,
 * or the text of a message they sent, ignoring case.
 * Returns: (element-type TcConversation) */
void       tc_inbox_list_async     (TcRepository        *repository,
                                    const char          *search,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GPtrArray *tc_inbox_list_finish    (TcRepository        *repository,
                                    GAsyncResult        *result,
                                    GError             **error);

/* One conversation (also for a contact who never wrote: then it has no
 * inbound messages), with its thread: the latest @limit messages (1–5000)
 * in time order. Fails with TC_DB_ERROR_NOT_FOUND for an unknown contact.
 * Returns: (element-type TcInboxMessage) */
void       tc_inbox_thread_async   (TcRepository        *repository,
                                    gint64               contact_id,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GPtrArray *tc_inbox_thread_finish  (TcRepository        *repository,
                                    GAsyncResult        *result,
                                    TcConversation     **conversation,
                                    GError             **error);

/* Marks every inbound message of the contact read; the number marked. */
void       tc_inbox_mark_read_async  (TcRepository        *repository,
                                      gint64               contact_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean   tc_inbox_mark_read_finish (TcRepository        *repository,
                                      GAsyncResult        *result,
                                      guint               *marked,
                                      GError             **error);

/* The number of unread inbound messages in the workspace. */
void       tc_inbox_count_unread_async  (TcRepository        *repository,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean   tc_inbox_count_unread_finish (TcRepository        *repository,
                                         GAsyncResult        *result,
                                         guint               *unread,
                                         GError             **error);

typedef struct
{
  gint64      contact_id;
  TcChannel   channel;
  const char *body;           /* free text; or */
  const char *template_name;  /* a stored template of the channel's kind */
  const char *idem_key;       /* required: the same key never queues twice */
  gint64      now;            /* unix seconds; 0 = now */
} TcInboxReply;

/* Composes (a template, for the contact), checks the gate and queues the
 * reply in one transaction. The entry comes back in every case: queued, or
 * skipped / deferred with the gate's reason (a closed WhatsApp window is
 * "whatsapp_template_required"), or the row queued earlier under the same
 * key. Errors: TC_DB_ERROR_NOT_FOUND (contact, template), G_IO_ERROR_INVALID_ARGUMENT
 * (no text, a template that does not render for the contact). */
void           tc_inbox_reply_async  (TcRepository        *repository,
                                      const TcInboxReply  *reply,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
TcOutboxEntry *tc_inbox_reply_finish (TcRepository        *repository,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
