/* tc-sender-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_SENDER_DIALOG (tc_sender_dialog_get_type())

G_DECLARE_FINAL_TYPE (TcSenderDialog, tc_sender_dialog, TC, SENDER_DIALOG, AdwWindow)

/*
 * Add Sender: a sending identity — a phone number, short code or WhatsApp
 * phone-number id — with its type, what it is registered for, its
 * throughput, daily cap and countries, saved with tc_senders_save_async().
 * Errors are shown in the dialog, which stays open; on success it emits
 * "saved" (with the sender's id) and closes.
 */

TcSenderDialog *tc_sender_dialog_new (GtkWindow    *parent,
                                      TcRepository *repository) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
