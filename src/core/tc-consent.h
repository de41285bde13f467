/* tc-consent.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONSENT (tc_consent_get_type())

G_DECLARE_FINAL_TYPE (TcConsent, tc_consent, TC, CONSENT, GObject)

/*
 * One consent event of the append-only ledger: something that happened to
 * a contact's consent for one channel and one purpose, with its evidence.
 * Properties (all with notify):
 *   "id", "contact-id" (gint64)
 *   "channel" (TcChannel), "purpose" (TcPurpose)
 *   "kind" (TcConsentEventKind): what happened
 *   "status" (TcConsentStatus): the status that followed this event, set by
 *     the ledger when the event is stored (tc_consent_fold())
 *   "method" (TcConsentMethod): single or double opt-in
 *   "source" (TcConsentSource): web form, checkout, keyword, …
 *   "wording": the exact text the person was shown / agreed to
 *   "origin": from where — a page URL, a store, "file.csv line 12", the
 *     inbound message that carried the keyword, a provider's error code
 *   "occurred-at" (GDateTime): when the person did it
 *   "recorded-at" (GDateTime): when Textcast stored it (set by the ledger)
 *   "expires-at" (GDateTime, or NULL): for "requested", when an unconfirmed
 *     request lapses
 */

TcConsent          *tc_consent_new             (gint64              contact_id,
                                                TcChannel           channel,
                                                TcPurpose           purpose,
                                                TcConsentEventKind  kind);

gint64              tc_consent_get_id          (TcConsent          *self);
void                tc_consent_set_id          (TcConsent          *self,
                                                gint64              id);
gint64              tc_consent_get_contact_id  (TcConsent          *self);
void                tc_consent_set_contact_id  (TcConsent          *self,
                                                gint64              contact_id);
TcChannel           tc_consent_get_channel     (TcConsent          *self);
void                tc_consent_set_channel     (TcConsent          *self,
                                                TcChannel           channel);
TcPurpose           tc_consent_get_purpose     (TcConsent          *self);
void                tc_consent_set_purpose     (TcConsent          *self,
                                                TcPurpose           purpose);
TcConsentEventKind  tc_consent_get_kind        (TcConsent          *self);
void                tc_consent_set_kind        (TcConsent          *self,
                                                TcConsentEventKind  kind);
TcConsentStatus     tc_consent_get_status      (TcConsent          *self);
void                tc_consent_set_status      (TcConsent          *self,
                                                TcConsentStatus     status);
TcConsentMethod     tc_consent_get_method      (TcConsent          *self);
void                tc_consent_set_method      (TcConsent          *self,
                                                TcConsentMethod     method);
TcConsentSource     tc_consent_get_source      (TcConsent          *self);
void                tc_consent_set_source      (TcConsent          *self,
                                                TcConsentSource     source);
const char         *tc_consent_get_wording     (TcConsent          *self);
void                tc_consent_set_wording     (TcConsent          *self,
                                                const char         *wording);
const char         *tc_consent_get_origin      (TcConsent          *self);
void                tc_consent_set_origin      (TcConsent          *self,
                                                const char         *origin);
GDateTime          *tc_consent_get_occurred_at (TcConsent          *self);
void                tc_consent_set_occurred_at (TcConsent          *self,
                                                GDateTime          *occurred_at);
GDateTime          *tc_consent_get_recorded_at (TcConsent          *self);
void                tc_consent_set_recorded_at (TcConsent          *self,
                                                GDateTime          *recorded_at);
GDateTime          *tc_consent_get_expires_at  (TcConsent          *self);
void                tc_consent_set_expires_at  (TcConsent          *self,
                                                GDateTime          *expires_at);

/* A copy with the same properties (for handing to another thread). */
TcConsent          *tc_consent_copy            (TcConsent          *self);

/* The ledger's one rule: the status after an event of @kind, given the
 * status before it. requested → pending (opted_in stays opted_in);
 * confirmed → opted_in only from pending; opted_in / resubscribed →
 * opted_in; opted_out / blocked → opted_out; expired → expired only from
 * pending. Everything else is unchanged. */
TcConsentStatus     tc_consent_fold            (TcConsentStatus     before,
                                                TcConsentEventKind  kind);

/* True when @status allows sending for that channel and purpose. Only
 * opted_in does. */
gboolean            tc_consent_status_allows   (TcConsentStatus     status);

G_END_DECLS
