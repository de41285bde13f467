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
 * One consent record: a contact's consent for one channel and one purpose.
 * Properties (all with notify): "id", "contact-id" (gint64), "channel"
 * (TcChannel), "purpose" (TcPurpose), "status" (TcConsentStatus), "method"
 * (TcConsentMethod), "source" (e.g. "web form", "checkout box", "import"),
 * "wording" (the exact text the person agreed to), "recorded-at" (GDateTime,
 * when the person gave or withdrew consent).
 */

TcConsent       *tc_consent_new             (gint64           contact_id,
                                             TcChannel        channel,
                                             TcPurpose        purpose,
                                             TcConsentStatus  status);

gint64           tc_consent_get_id          (TcConsent       *self);
void             tc_consent_set_id          (TcConsent       *self,
                                             gint64           id);
gint64           tc_consent_get_contact_id  (TcConsent       *self);
void             tc_consent_set_contact_id  (TcConsent       *self,
                                             gint64           contact_id);
TcChannel        tc_consent_get_channel     (TcConsent       *self);
void             tc_consent_set_channel     (TcConsent       *self,
                                             TcChannel        channel);
TcPurpose        tc_consent_get_purpose     (TcConsent       *self);
void             tc_consent_set_purpose     (TcConsent       *self,
                                             TcPurpose        purpose);
TcConsentStatus  tc_consent_get_status      (TcConsent       *self);
void             tc_consent_set_status      (TcConsent       *self,
                                             TcConsentStatus  status);
TcConsentMethod  tc_consent_get_method      (TcConsent       *self);
void             tc_consent_set_method      (TcConsent       *self,
                                             TcConsentMethod  method);
const char      *tc_consent_get_source      (TcConsent       *self);
void             tc_consent_set_source      (TcConsent       *self,
                                             const char      *source);
const char      *tc_consent_get_wording     (TcConsent       *self);
void             tc_consent_set_wording     (TcConsent       *self,
                                             const char      *wording);
GDateTime       *tc_consent_get_recorded_at (TcConsent       *self);
void             tc_consent_set_recorded_at (TcConsent       *self,
                                             GDateTime       *recorded_at);

G_END_DECLS
