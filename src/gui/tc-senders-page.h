/* tc-senders-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SENDERS_PAGE (tc_senders_page_get_type())

G_DECLARE_FINAL_TYPE (TcSendersPage, tc_senders_page, TC, SENDERS_PAGE, AdwPreferencesPage)

/*
 * Preferences → Senders: the registry of sending identities
 * (tc_senders_list_async()), each with its type, purpose, speed, daily cap
 * and countries; Add Sender… opens TcSenderDialog, and each row can be
 * removed.
 */

TcSendersPage *tc_senders_page_new (TcRepository *repository) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
