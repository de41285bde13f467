/* tc-compliance-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_COMPLIANCE_PAGE (tc_compliance_page_get_type())

G_DECLARE_FINAL_TYPE (TcCompliancePage, tc_compliance_page, TC, COMPLIANCE_PAGE, AdwPreferencesPage)

/*
 * Preferences → Compliance: quiet-hour rules (quiet_hours.rules, checked
 * with tc_quiet_hours_new_from_json() before they are saved), the
 * frequency cap, double opt-in per channel and the hours to confirm, extra
 * keywords and the reply texts per language, and what a HELP reply says.
 * Each change is saved shortly after typing stops (tc_settings_set_async()),
 * and at once by tc_compliance_page_flush(). Errors show in the page, in
 * the window's toasts when the window is an AdwPreferencesWindow.
 */

TcCompliancePage *tc_compliance_page_new            (TcRepository     *repository) G_GNUC_WARN_UNUSED_RESULT;
/* Shows @settings (key → value, as from tc_settings_get_all_finish()) and
 * makes the page sensitive. */
void              tc_compliance_page_fill           (TcCompliancePage *self,
                                                     GHashTable       *settings);
/* Saves what waits to be saved. */
void              tc_compliance_page_flush          (TcCompliancePage *self);

G_END_DECLS
