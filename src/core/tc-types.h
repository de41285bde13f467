/* tc-types.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _TcConsent           TcConsent;
typedef struct _TcContact           TcContact;
typedef struct _TcContactListModel  TcContactListModel;
typedef struct _TcContext           TcContext;
typedef struct _TcRepository        TcRepository;
typedef struct _TcSender            TcSender;

/**
 * TcChannel:
 * @TC_CHANNEL_SMS: text messages (SMS/MMS)
 * @TC_CHANNEL_WHATSAPP: WhatsApp Business messages
 */
typedef enum
{
  TC_CHANNEL_SMS,
  TC_CHANNEL_WHATSAPP,
} TcChannel;

/**
 * TcPurpose:
 * @TC_PURPOSE_PROMOTIONAL: marketing: deals, launches, cart reminders
 * @TC_PURPOSE_TRANSACTIONAL: order and shipping updates, reminders, passcodes
 */
typedef enum
{
  TC_PURPOSE_PROMOTIONAL,
  TC_PURPOSE_TRANSACTIONAL,
} TcPurpose;

/**
 * TcConsentStatus:
 * @TC_CONSENT_STATUS_NONE: nothing recorded
 * @TC_CONSENT_STATUS_PENDING: asked, waiting for confirmation (double opt-in)
 * @TC_CONSENT_STATUS_OPTED_IN: the person agreed
 * @TC_CONSENT_STATUS_OPTED_OUT: the person withdrew, or a provider reported
 *   the number unsubscribed (blocked)
 * @TC_CONSENT_STATUS_EXPIRED: asked for double opt-in, but the person did
 *   not confirm in time; counts as no consent
 *
 * The current status of one contact × channel × purpose is derived from its
 * consent events (tc_consent_fold()); it is never stored on its own.
 */
typedef enum
{
  TC_CONSENT_STATUS_NONE,
  TC_CONSENT_STATUS_PENDING,
  TC_CONSENT_STATUS_OPTED_IN,
  TC_CONSENT_STATUS_OPTED_OUT,
  TC_CONSENT_STATUS_EXPIRED,
} TcConsentStatus;

/**
 * TcConsentEventKind:
 * @TC_CONSENT_EVENT_REQUESTED: the person asked to join; double opt-in sent
 *   a confirmation and waits for YES (status pending, with an expiry)
 * @TC_CONSENT_EVENT_CONFIRMED: the person replied YES to the confirmation
 * @TC_CONSENT_EVENT_OPTED_IN: the person agreed (single opt-in)
 * @TC_CONSENT_EVENT_OPTED_OUT: the person withdrew (STOP, by hand, a form)
 * @TC_CONSENT_EVENT_RESUBSCRIBED: the person opted in again after opting out
 *   (START, UNSTOP)
 * @TC_CONSENT_EVENT_BLOCKED: a provider said the number unsubscribed
 *   (e.g. Twilio 21610); only the person can lift it
 * @TC_CONSENT_EVENT_EXPIRED: a pending request was not confirmed in time
 *
 * Names: "requested", "confirmed", "opted_in", "opted_out", "resubscribed",
 * "blocked", "expired".
 */
typedef enum
{
  TC_CONSENT_EVENT_REQUESTED,
  TC_CONSENT_EVENT_CONFIRMED,
  TC_CONSENT_EVENT_OPTED_IN,
  TC_CONSENT_EVENT_OPTED_OUT,
  TC_CONSENT_EVENT_RESUBSCRIBED,
  TC_CONSENT_EVENT_BLOCKED,
  TC_CONSENT_EVENT_EXPIRED,
} TcConsentEventKind;

/**
 * TcConsentSource:
 * Where a consent event came from — its evidence. Names: "web_form",
 * "checkout", "keyword", "qr_code", "import", "api", "manual" (by hand, in
 * the window or the CLI), "provider" (a provider's report), "system"
 * (Textcast itself, e.g. an expiry).
 */
typedef enum
{
  TC_CONSENT_SOURCE_WEB_FORM,
  TC_CONSENT_SOURCE_CHECKOUT,
  TC_CONSENT_SOURCE_KEYWORD,
  TC_CONSENT_SOURCE_QR_CODE,
  TC_CONSENT_SOURCE_IMPORT,
  TC_CONSENT_SOURCE_API,
  TC_CONSENT_SOURCE_MANUAL,
  TC_CONSENT_SOURCE_PROVIDER,
  TC_CONSENT_SOURCE_SYSTEM,
} TcConsentSource;

/**
 * TcSenderType:
 * Names: "long_code" (10DLC and other local numbers), "toll_free",
 * "short_code", "whatsapp" (a WhatsApp phone-number id).
 */
typedef enum
{
  TC_SENDER_TYPE_LONG_CODE,
  TC_SENDER_TYPE_TOLL_FREE,
  TC_SENDER_TYPE_SHORT_CODE,
  TC_SENDER_TYPE_WHATSAPP,
} TcSenderType;

/**
 * TcSenderUse:
 * What a sender is registered for. Names: "transactional", "promotional",
 * "both".
 */
typedef enum
{
  TC_SENDER_USE_TRANSACTIONAL,
  TC_SENDER_USE_PROMOTIONAL,
  TC_SENDER_USE_BOTH,
} TcSenderUse;

/**
 * TcInboundAction:
 * What an inbound message was understood as. Names (the "action" of
 * `textcast-cli inbound --json`): "opt_out", "opt_in", "help", "keyword"
 * (a custom keyword), "message" (conversation).
 */
typedef enum
{
  TC_INBOUND_ACTION_OPT_OUT,
  TC_INBOUND_ACTION_OPT_IN,
  TC_INBOUND_ACTION_HELP,
  TC_INBOUND_ACTION_KEYWORD,
  TC_INBOUND_ACTION_MESSAGE,
} TcInboundAction;

/**
 * TcConsentMethod:
 * @TC_CONSENT_METHOD_SINGLE: one action (a ticked box, a keyword)
 * @TC_CONSENT_METHOD_DOUBLE: confirmed with a second step (reply YES)
 */
typedef enum
{
  TC_CONSENT_METHOD_SINGLE,
  TC_CONSENT_METHOD_DOUBLE,
} TcConsentMethod;

/* Stable lower-case names used in the database, CSV and JSON. */
const char *tc_channel_to_string        (TcChannel        channel);
gboolean    tc_channel_from_string      (const char      *str,
                                         TcChannel       *channel);
const char *tc_purpose_to_string        (TcPurpose        purpose);
gboolean    tc_purpose_from_string      (const char      *str,
                                         TcPurpose       *purpose);
const char *tc_consent_status_to_string (TcConsentStatus  status);
gboolean    tc_consent_status_from_string (const char    *str,
                                         TcConsentStatus *status);
const char *tc_consent_method_to_string (TcConsentMethod  method);
gboolean    tc_consent_method_from_string (const char    *str,
                                         TcConsentMethod *method);
const char *tc_consent_event_kind_to_string (TcConsentEventKind  kind);
gboolean    tc_consent_event_kind_from_string (const char      *str,
                                         TcConsentEventKind *kind);
/* tc_consent_source_from_string() also accepts spaces and hyphens for
 * underscores and a few plain synonyms ("web form", "by hand", "qr",
 * "checkout box"). */
const char *tc_consent_source_to_string (TcConsentSource  source);
gboolean    tc_consent_source_from_string (const char    *str,
                                         TcConsentSource *source);
const char *tc_sender_type_to_string    (TcSenderType     type);
gboolean    tc_sender_type_from_string  (const char      *str,
                                         TcSenderType    *type);
const char *tc_sender_use_to_string     (TcSenderUse      use);
gboolean    tc_sender_use_from_string   (const char      *str,
                                         TcSenderUse     *use);
const char *tc_inbound_action_to_string (TcInboundAction  action);
gboolean    tc_inbound_action_from_string (const char    *str,
                                         TcInboundAction *action);

G_END_DECLS
