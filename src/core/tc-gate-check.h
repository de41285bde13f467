/* tc-gate-check.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send gate over the workspace: loads what tc_gate_decide() needs
 * about a number (contact, derived consent, suppression list, last inbound
 * message, promotional messages in the cap window, the sender) on the
 * repository's reader and decides, with the policy from the settings.
 */

#pragma once

#include <gio/gio.h>

#include "tc-gate.h"

G_BEGIN_DECLS

typedef struct
{
  const char       *phone;              /* any form tc_phone_parse() reads */
  const char       *default_region;     /* NULL = "US" */
  TcChannel         channel;
  TcPurpose         purpose;
  TcGateContent     content;
  TcGateWaCategory  wa_category;
  gboolean          template_approved;
  const char       *sender_id;          /* NULL = no particular sender */
  gint64            now;                /* unix seconds; 0 = now */
} TcGateQuery;

void      tc_gate_check_async  (TcRepository        *repository,
                                const TcGateQuery   *query,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean  tc_gate_check_finish (TcRepository        *repository,
                                GAsyncResult        *result,
                                TcGateDecision      *decision,
                                GError             **error);

/*
 * Worker side (inside a repository job).
 */
struct _TcDb;

/* Every setting, key → value (for tc_gate_policy_new_from_settings()). */
GHashTable *_tc_db_gate_load_settings (struct _TcDb        *db,
                                       GError             **error);
/* As tc_gate_check_async() with the policy given (load it once for many
 * checks). @query->now 0: the current time. */
gboolean  _tc_db_gate_check    (struct _TcDb        *db,
                                const TcGatePolicy  *policy,
                                const TcGateQuery   *query,
                                TcGateDecision      *decision,
                                GError             **error);

G_END_DECLS
