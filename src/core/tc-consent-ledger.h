/* tc-consent-ledger.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consent ledger: append-only consent events per contact × channel ×
 * purpose (table consent_events, which refuses UPDATE), and the status each
 * pair is in, derived from its events by tc_consent_fold() as each event is
 * appended (table consent_state, written only by
 * _tc_db_append_consent_event()).
 *
 * Double opt-in: when it is on for the channel (setting
 * consent.double_optin.<channel>), an opt-in that did not come from the
 * person's own message is stored as "requested" with an expiry
 * (consent.confirm_hours, default 48) and a confirmation text ("Reply YES
 * to confirm …", consent.confirm_text.<lang>) is queued in the outbox; a
 * YES within that time appends "confirmed" (tc-inbound.h). A request past
 * its expiry reads as "expired" (no consent); tc_consent_ledger_expire()
 * appends the "expired" events so the ledger says so too.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-consent.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_CONSENT_ERROR (tc_consent_error_quark ())

typedef enum
{
  TC_CONSENT_ERROR_INVALID_PHONE,  /* the number cannot be read */
  TC_CONSENT_ERROR_NOT_FOUND,      /* no contact with that number */
  TC_CONSENT_ERROR_ERASED,         /* erased at the person's request; only they can opt in again */
  TC_CONSENT_ERROR_INVALID,        /* a missing or bad field (wording, time in the future, …) */
} TcConsentError;

GQuark tc_consent_error_quark (void);

/* The current status of one channel × purpose, as derived. */
typedef struct
{
  TcConsentStatus  status;      /* EXPIRED when pending and past expires_at */
  gint64           since;       /* unix seconds of the event that set it; 0 if none */
  gint64           expires_at;  /* pending requests only; else 0 */
  gint64           event_id;    /* that event; 0 if none */
  TcConsentSource  source;      /* of that event */
} TcConsentState;

/* What to record. Strings are copied. */
typedef struct
{
  const char         *phone;           /* any form tc_phone_parse() reads */
  const char         *default_region;  /* for national numbers; NULL = "US" */
  TcChannel           channel;
  TcPurpose           purpose;
  TcConsentEventKind  kind;            /* OPTED_IN (may become REQUESTED, see below),
                                        * OPTED_OUT, BLOCKED, RESUBSCRIBED, … */
  TcConsentSource     source;
  const char         *wording;         /* required for OPTED_IN / REQUESTED from
                                        * web_form, checkout, qr_code, manual, api */
  const char         *origin;          /* from where; may be NULL */
  GDateTime          *occurred_at;     /* NULL = now; must not be in the future */
  gboolean            create_contact;  /* create the contact when the number is new */
  gboolean            confirmed;       /* OPTED_IN: double opt-in already done
                                        * elsewhere; record as opted_in */
} TcConsentRequest;

typedef struct
{
  gint64          contact_id;
  gboolean        contact_created;
  TcConsent      *event;              /* the event appended (kind may be REQUESTED) */
  TcConsentState  state;              /* the pair's status after it */
  char           *confirmation_text;  /* double opt-in: the text queued; else NULL */
} TcConsentOutcome;

void              tc_consent_outcome_free   (TcConsentOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcConsentOutcome, tc_consent_outcome_free)

/* Appends one event (and, for double opt-in, queues the confirmation), in
 * one transaction. Emits "contacts-changed". */
void              tc_consent_ledger_record_async  (TcRepository            *repository,
                                                   const TcConsentRequest  *request,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
TcConsentOutcome *tc_consent_ledger_record_finish (TcRepository            *repository,
                                                   GAsyncResult            *result,
                                                   GError                 **error);

/* Everything about one contact's consent. */
typedef struct
{
  gint64          contact_id;
  char           *phone;            /* E.164 */
  GPtrArray      *events;           /* (element-type TcConsent), oldest first */
  TcConsentState  states[2][2];     /* [TcChannel][TcPurpose] */
} TcConsentReport;

void              tc_consent_report_free    (TcConsentReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcConsentReport, tc_consent_report_free)

/* By contact id (phone NULL) or by phone (contact_id 0). Fails with
 * TC_CONSENT_ERROR_NOT_FOUND when there is no such contact. */
void              tc_consent_ledger_report_async  (TcRepository         *repository,
                                                   gint64                contact_id,
                                                   const char           *phone,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
TcConsentReport  *tc_consent_ledger_report_finish (TcRepository         *repository,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Appends an "expired" event (source system) for every pending request
 * whose expiry is at or before @now (unix seconds); returns how many. */
void              tc_consent_ledger_expire_async  (TcRepository         *repository,
                                                   gint64                now,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          tc_consent_ledger_expire_finish (TcRepository         *repository,
                                                   GAsyncResult         *result,
                                                   guint                *n_expired,
                                                   GError              **error);

/* JSON for `consent show --json` and the GDPR export:
 *   {"contact_id":1,"phone":"+1…",
 *    "status":{"sms":{"promotional":{"status":"opted_in","since":"ISO8601"|null,
 *                                     "expires_at":"ISO8601"|null,"source":"web_form"|null},
 *                     "transactional":{…}},
 *              "whatsapp":{…}},
 *    "events":[{"id":1,"channel":"sms","purpose":"promotional","kind":"opted_in",
 *               "status":"opted_in","method":"single","source":"web_form",
 *               "wording":"…","origin":"…"|null,"occurred_at":"ISO8601",
 *               "recorded_at":"ISO8601","expires_at":"ISO8601"|null}, …]}
 * Times are UTC with a Z. */
char             *tc_consent_report_to_json (const TcConsentReport *report,
                                             gboolean               pretty);
/* Adds one event as a JSON object (the "events" members above) to
 * @builder, which must be where a value may go. */
void              tc_consent_build_json     (TcConsent             *event,
                                             JsonBuilder           *builder);
/* ISO 8601 UTC with a Z, seconds precision: "2026-11-24T04:30:00Z". */
char             *tc_format_iso8601_utc     (gint64                 unix_seconds);

/*
 * Worker side (inside a job on the writer, see tc-repository-private.h).
 */
struct _TcDb;

/* Appends @event: computes its status from the pair's current state with
 * tc_consent_fold(), inserts it into consent_events and updates
 * consent_state; sets the event's id, status and recorded-at (= @now, unix
 * seconds). The occurred-at defaults to @now. */
gboolean          _tc_db_append_consent_event (struct _TcDb   *db,
                                               TcConsent      *event,
                                               gint64          now,
                                               GError        **error);
/* The derived state of one pair at @now (EXPIRED applied). */
gboolean          _tc_db_get_consent_state    (struct _TcDb   *db,
                                               gint64          contact_id,
                                               TcChannel       channel,
                                               TcPurpose       purpose,
                                               gint64          now,
                                               TcConsentState *state,
                                               GError        **error);
/* Loads the report for @contact_id (events oldest first, states at @now).
 * NULL with TC_CONSENT_ERROR_NOT_FOUND when there is no such contact. */
TcConsentReport  *_tc_db_load_consent_report  (struct _TcDb   *db,
                                               gint64          contact_id,
                                               gint64          now,
                                               GError        **error);

G_END_DECLS

G_BEGIN_DECLS

/* Worker side: the text of a compliance message (@prefix is one of the
 * TC_SETTING_*_PREFIX reply/confirm keys) for @language: the setting for
 * that language, else the built-in text for it, else the English setting,
 * else the built-in English; rendered with {{program}}, {{frequency}},
 * {{support}} from the settings. */
char             *_tc_db_compliance_text      (struct _TcDb   *db,
                                               const char     *prefix,
                                               const char     *language,
                                               GError        **error);
/* Worker side: the id and language of the contact with @e164, or 0. */
gboolean          _tc_db_find_contact_by_phone (struct _TcDb  *db,
                                                const char    *e164,
                                                gint64        *contact_id,
                                                char         **language,
                                                GError       **error);
/* Worker side: creates a contact with just @e164 (country and time zones
 * from the number). */
gboolean          _tc_db_create_contact_for_phone (struct _TcDb *db,
                                                   const char   *e164,
                                                   gint64        now,
                                                   gint64       *contact_id,
                                                   GError      **error);

G_END_DECLS
