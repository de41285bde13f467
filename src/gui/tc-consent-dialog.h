/* tc-consent-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CONSENT_DIALOG (tc_consent_dialog_get_type())

G_DECLARE_FINAL_TYPE (TcConsentDialog, tc_consent_dialog, TC, CONSENT_DIALOG, AdwWindow)

/*
 * Record Consent: a consent a person gave, recorded by hand with its
 * evidence — channel, purpose, source, the exact wording they agreed to
 * (required), where it happened, and whether double opt-in was already
 * done elsewhere. Record appends an "opted in" event to the ledger
 * (tc_consent_ledger_record_async()); with double opt-in on for the
 * channel it becomes a request and a confirmation text is queued. Errors
 * are shown in the dialog, which stays open; on success it closes and the
 * parent window (a TcWindow) shows a toast.
 */

TcConsentDialog *tc_consent_dialog_new (GtkWindow    *parent,
                                        TcRepository *repository,
                                        const char   *phone,
                                        const char   *name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
