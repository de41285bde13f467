/* tc-events-import.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Events from a CSV file — orders exported from a shop, carts from a
 * checkout tool. One event a row; the header names the columns (any case,
 * spaces or dashes for _):
 *
 *   phone (or mobile, number, phone_number)   required
 *   event (or name, event_name)               required: order_placed, …
 *   occurred_at (or time, date, timestamp)    ISO 8601, or a date (midnight UTC); empty: now
 *   id (or event_id, key)                     makes importing the file again harmless
 *   value (or amount, total), currency        revenue
 *   source                                    default "import"
 *   any other column                          a property, as text (empty cells left out)
 *
 * Rows that do not make an event (a number that is no phone number, an
 * unknown time, a name that is not an event name, an erased number) are
 * reported with their line and the reason, and the rest are recorded — all
 * in one transaction, so a file is recorded whole or not at all when
 * something else fails (the disk, the file).
 */

#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint  line;
  char  *message;
} TcEventsRejected;

typedef struct
{
  guint      n_rows;             /* data rows read */
  guint      n_recorded;         /* new events */
  guint      n_repeated;         /* rows whose id had been recorded already */
  guint      n_contacts_created; /* numbers that became contacts (without consent) */
  GPtrArray *rejected;           /* TcEventsRejected, by line */
} TcEventsImportReport;

void                  tc_events_import_report_free (TcEventsImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcEventsImportReport, tc_events_import_report_free)

/* Reads @path on the writer's thread. A file with no phone or event column
 * is TC_EVENTS_ERROR_INVALID naming what to add; an unreadable file is one
 * of the TC_IMPORT_ERROR codes. @default_region reads numbers without +
 * (NULL: "US"). */
void                  tc_events_import_async  (TcRepository        *repository,
                                               const char          *path,
                                               const char          *default_region,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TcEventsImportReport *tc_events_import_finish (TcRepository        *repository,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
