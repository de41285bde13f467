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
 * @TC_CONSENT_STATUS_OPTED_OUT: the person withdrew (or never agreed, "no" on import)
 */
typedef enum
{
  TC_CONSENT_STATUS_NONE,
  TC_CONSENT_STATUS_PENDING,
  TC_CONSENT_STATUS_OPTED_IN,
  TC_CONSENT_STATUS_OPTED_OUT,
} TcConsentStatus;

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

G_END_DECLS
