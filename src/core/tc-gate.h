/* tc-gate.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send gate: the one function every sender calls before a message
 * goes out. Given what is known about the recipient, the message and the
 * time, it decides send, defer until T, or skip with a reason.
 *
 * The checks, in order (the first that fails decides):
 *   skip   erased                  the number is on the suppression list
 *   skip   invalid_number          the number cannot be texted
 *   skip   landline                SMS to a fixed line
 *   skip   opted_out               the person opted out of this channel × purpose
 *   skip   no_consent              nothing (or pending / expired) for this channel × purpose
 *   skip   sender_transactional    promotional through a transactional-only sender
 *   skip   sender_country          the sender does not serve the recipient's country
 *   skip   wa_marketing_us         WhatsApp MARKETING template to a +1 number
 *   skip   wa_template_required    business-initiated WhatsApp outside the 24-hour
 *                                  window without a template
 *   skip   wa_template_not_approved  the template is not approved
 *   skip   frequency_cap           N promotional messages already in the rolling window
 *   defer  quiet_hours             promotional, outside the allowed window in some
 *                                  candidate zone; until = earliest time allowed in all
 *   send
 * Compliance replies (STOP confirmations, HELP, the double opt-in request)
 * skip only for erased / invalid numbers: they answer the person.
 * Transactional messages are not held by quiet hours or the cap.
 * Pure: no database; tc_gate_decide() allocates nothing.
 */

#pragma once

#include <glib.h>

#include "tc-phone.h"
#include "tc-quiet-hours.h"
#include "tc-senders.h"
#include "tc-types.h"

G_BEGIN_DECLS

typedef enum
{
  TC_GATE_SEND,
  TC_GATE_DEFER,
  TC_GATE_SKIP,
} TcGateDecisionKind;

/* Names: "send", "defer", "skip". */
const char *tc_gate_decision_kind_to_string (TcGateDecisionKind kind);

typedef enum
{
  TC_GATE_REASON_NONE,
  TC_GATE_REASON_ERASED,
  TC_GATE_REASON_INVALID_NUMBER,
  TC_GATE_REASON_LANDLINE,
  TC_GATE_REASON_OPTED_OUT,
  TC_GATE_REASON_NO_CONSENT,
  TC_GATE_REASON_SENDER_TRANSACTIONAL,
  TC_GATE_REASON_SENDER_COUNTRY,
  TC_GATE_REASON_WA_MARKETING_US,
  TC_GATE_REASON_WA_TEMPLATE_REQUIRED,
  TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED,
  TC_GATE_REASON_FREQUENCY_CAP,
  TC_GATE_REASON_QUIET_HOURS,
} TcGateReason;

/* Stable codes ("erased", "invalid_number", … as listed above; NULL for
 * NONE), and a plain sentence for people ("Opted out of promotional SMS"). */
const char *tc_gate_reason_to_string (TcGateReason reason);
const char *tc_gate_reason_describe  (TcGateReason reason);

typedef enum
{
  TC_GATE_CONTENT_TEXT,              /* SMS text, or WhatsApp free-form (session) text */
  TC_GATE_CONTENT_TEMPLATE,          /* a WhatsApp template */
  TC_GATE_CONTENT_COMPLIANCE_REPLY,  /* STOP confirmation, HELP, opt-in confirmation */
} TcGateContent;

typedef enum
{
  TC_GATE_WA_CATEGORY_NONE,
  TC_GATE_WA_CATEGORY_MARKETING,
  TC_GATE_WA_CATEGORY_UTILITY,
  TC_GATE_WA_CATEGORY_AUTHENTICATION,
} TcGateWaCategory;

/* What is known about the recipient (the caller loads it; see
 * tc_gate_check_async() for the database path). */
typedef struct
{
  const char         *phone;          /* E.164 */
  gboolean            number_valid;
  TcPhoneType         line_type;      /* FIXED_LINE skips SMS */
  const char         *country;        /* "US" */
  const char         *subdivision;    /* "FL", or NULL */
  const char * const *timezones;      /* candidate IANA zones; NULL or empty = all
                                       * zones of @country */
  gboolean            erased;
  TcConsentStatus     consent;        /* for the message's channel × purpose, as derived */
  gint64              last_inbound_at;/* unix seconds of the last message from the
                                       * contact on this channel; 0 = never */
  guint               recent_promotional; /* promotional messages sent to the contact
                                       * (any channel) since now − cap window */
} TcGateRecipient;

typedef struct
{
  TcChannel           channel;
  TcPurpose           purpose;
  TcGateContent       content;
  TcGateWaCategory    wa_category;       /* TEMPLATE only */
  gboolean            template_approved; /* TEMPLATE only */
  const TcSender     *sender;            /* NULL = no particular sender */
  gint64              now;               /* unix seconds */
} TcGateMessage;

typedef struct
{
  TcGateDecisionKind  decision;
  TcGateReason        reason;   /* NONE for send */
  gint64              until;    /* defer only: unix seconds; else 0. Also 0 for a
                                 * defer when no instant within 14 days is
                                 * allowed in every candidate zone at once */
  char                zone[64]; /* quiet hours: the zone that held it back, else "" */
} TcGateDecision;

typedef struct _TcGatePolicy TcGatePolicy;

/* Defaults: the built-in quiet hours, cap 1 promotional per 24 h. */
TcGatePolicy *tc_gate_policy_new_default    (void);
/* From settings (tc-settings.h): quiet_hours.rules (JSON, see
 * tc-quiet-hours.h), caps.promotional.count (default 1; 0 = no cap),
 * caps.promotional.hours (default 24). Fails naming the bad key. */
TcGatePolicy *tc_gate_policy_new_from_settings (GHashTable  *settings,
                                                GError     **error);
void          tc_gate_policy_free           (TcGatePolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcGatePolicy, tc_gate_policy_free)

const TcQuietHours *tc_gate_policy_get_quiet_hours (const TcGatePolicy *policy);
guint         tc_gate_policy_get_cap_count  (const TcGatePolicy *policy);
/* The cap's rolling window in seconds. */
gint64        tc_gate_policy_get_cap_window (const TcGatePolicy *policy);

/* The WhatsApp customer-service window: free-form text is allowed until
 * last_inbound_at + 24 h (exclusive). */
#define TC_GATE_WA_WINDOW_SECONDS (24 * 60 * 60)

void          tc_gate_decide                (const TcGatePolicy    *policy,
                                             const TcGateRecipient *recipient,
                                             const TcGateMessage   *message,
                                             TcGateDecision        *decision);

/* JSON: {"decision":"send"|"defer"|"skip","until":"ISO8601"|null,
 * "reason":"plain sentence"|null,"reason_code":"quiet_hours"|null,
 * "zone":"America/New_York"|null}. */
char         *tc_gate_decision_to_json      (const TcGateDecision  *decision);

G_END_DECLS
