/* tc-senders.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The registry of sending identities (table senders): a phone number (long
 * code / 10DLC, toll-free, short code) or a WhatsApp phone-number id, what
 * it is registered for, the countries it serves, its throughput and daily
 * cap. The gate refuses promotional traffic through a transactional-only
 * sender; the send engine paces each sender at its rate. A sender that is
 * not registered gets the conservative limits of its type
 * (tc_sender_new_unregistered()).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SENDER (tc_sender_get_type ())

/* A plain boxed record; the strings and the array are owned. */
struct _TcSender
{
  char         *id;          /* "+14155550100", "55555", or a WhatsApp phone-number id */
  TcSenderType  type;
  TcSenderUse   use;
  double        mps;         /* segments (SMS) or messages (WhatsApp) per second; 0 = no limit */
  guint         daily_cap;   /* messages per day; 0 = no cap */
  char        **countries;   /* ISO 3166 alpha-2, upper case, NULL-terminated; empty = any */
  gboolean      registered;  /* FALSE: defaults of its type, not in the registry */
};

GType     tc_sender_get_type           (void) G_GNUC_CONST;
/* mps 0, daily_cap 0, any country, registered FALSE (not in the registry
 * until saved and read back). */
TcSender *tc_sender_new                (const char         *id,
                                        TcSenderType        type,
                                        TcSenderUse         use);
TcSender *tc_sender_copy               (const TcSender     *sender);
void      tc_sender_free               (TcSender           *sender);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcSender, tc_sender_free)

/* The type a sender id most likely is, for an unregistered one: WhatsApp
 * for @channel whatsapp; a 5–6 digit number is a short code; a +1 8XX
 * number in 800/833/844/855/866/877/888 is toll-free; else a long code. */
TcSenderType tc_sender_guess_type      (const char         *id,
                                        TcChannel           channel);
/* The conservative defaults for @type: long code 1 mps and 2,000/day
 * (unregistered 10DLC), toll-free 3 mps, short code 100 mps, WhatsApp 80
 * messages/s; use "both", any country. registered = FALSE. */
TcSender *tc_sender_new_unregistered   (const char         *id,
                                        TcChannel           channel);
/* Whether @sender may carry @purpose: promotional messages only through a
 * sender registered for promotional use or both; transactional messages
 * through any sender (the send engine prefers a transactional one). */
gboolean  tc_sender_allows_purpose     (const TcSender     *sender,
                                        TcPurpose           purpose);
/* Whether @sender serves @country (an empty list serves any). */
gboolean  tc_sender_serves_country     (const TcSender     *sender,
                                        const char         *country);

/* Adds or replaces the sender with the same id. Validates: id non-empty
 * (a phone number is normalized to E.164; a short code or WhatsApp id
 * is digits only), mps >= 0, countries valid ISO codes. */
void      tc_senders_save_async        (TcRepository        *repository,
                                        const TcSender      *sender,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  tc_senders_save_finish       (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);
void      tc_senders_remove_async      (TcRepository        *repository,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* FALSE with G_IO_ERROR_NOT_FOUND when there was no such sender. */
gboolean  tc_senders_remove_finish     (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);
/* Returns: (element-type TcSender): every registered sender, by id. */
void      tc_senders_list_async        (TcRepository        *repository,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GPtrArray *tc_senders_list_finish      (TcRepository        *repository,
                                        GAsyncResult        *result,
                                        GError             **error);

/* JSON of one sender: {"id":"+1…","type":"long_code","purpose":"both",
 * "mps":1,"daily_cap":2000|null,"countries":["US"],"registered":true} */
char     *tc_sender_to_json            (const TcSender     *sender);

/* Worker side: the registered sender @id, or NULL (no error) when it is
 * not registered. */
struct _TcDb;
TcSender *_tc_db_lookup_sender         (struct _TcDb       *db,
                                        const char         *id,
                                        GError            **error);

G_END_DECLS
