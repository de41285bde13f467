/* tc-inbound.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What happens when a message comes in, in one transaction: the message is
 * stored (table inbound_messages; a repeated provider id is recognised and
 * changes nothing), the contact is created if the number is new, the text
 * is classified (tc-keywords.h) and acted on —
 *   opt-out   every purpose on that channel (or the custom keyword's one)
 *             is opted out at once (source keyword, origin = the message);
 *   opt-in    YES confirms pending double opt-in requests on the channel;
 *             START / UNSTOP / YES otherwise re-subscribes what was opted
 *             out, or opts in to promotional messages when nothing was
 *             recorded;
 *   keyword   a custom keyword joins or leaves its purpose;
 *   help      nothing changes;
 * — and the reply (settings reply.<action>.<lang>, in the contact's
 * language, else the language the keyword was in, else English; HELP
 * filled with help.program, help.frequency, help.support) is queued in the
 * outbox as a compliance reply. A conversation gets no reply.
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef struct
{
  TcInboundAction  action;
  char            *keyword;        /* canonical keyword, or NULL */
  char            *reply;          /* the reply queued, or NULL */
  gboolean         needs_review;
  gboolean         duplicate;      /* the provider id was seen before; nothing done */
  gint64           inbound_id;
  gint64           contact_id;
  gboolean         contact_created;
  GPtrArray       *events;         /* (element-type TcConsent) the consent events appended */
} TcInboundResult;

void             tc_inbound_result_free    (TcInboundResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcInboundResult, tc_inbound_result_free)

/* @from: any form tc_phone_parse() reads (WhatsApp ids are digits without
 * a "+": they are read as international). @provider_id may be NULL.
 * @received_at: unix seconds, 0 = now. */
void             tc_inbound_process_async  (TcRepository         *repository,
                                            TcChannel             channel,
                                            const char           *from,
                                            const char           *body,
                                            const char           *provider_id,
                                            gint64                received_at,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
TcInboundResult *tc_inbound_process_finish (TcRepository         *repository,
                                            GAsyncResult         *result,
                                            GError              **error);

/* {"action":"opt_out","keyword":"STOP","reply":"…"|null,
 *  "needs_review":false,"duplicate":false,"contact_id":1,"inbound_id":1,
 *  "events":[{"channel":"sms","purpose":"promotional","kind":"opted_out"}, …]} */
char            *tc_inbound_result_to_json (const TcInboundResult *result);

G_END_DECLS
