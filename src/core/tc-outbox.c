/* tc-outbox.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-outbox"

#include "config.h"

#include "tc-outbox.h"
#include "tc-repository-private.h"

gboolean
_tc_db_outbox_enqueue (struct _TcDb       *db,
                       const TcOutboxRow  *row,
                       gint64              now,
                       gboolean           *inserted,
                       GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (row->idem_key != NULL && *row->idem_key != '\0', FALSE);
  g_return_val_if_fail (row->phone != NULL, FALSE);

  stmt = _tc_db_prepare (db,
                         "INSERT INTO outbox (idem_key, origin, contact_id, phone, channel, purpose,"
                         "  compliance, body, state, due_at, created_at, updated_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', ?9, ?10, ?10) "
                         "ON CONFLICT (idem_key) DO NOTHING",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, row->idem_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->origin != NULL ? row->origin : "", -1, SQLITE_TRANSIENT);
  if (row->contact_id > 0)
    sqlite3_bind_int64 (stmt, 3, row->contact_id);
  sqlite3_bind_text (stmt, 4, row->phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, tc_channel_to_string (row->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, tc_purpose_to_string (row->purpose), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, row->compliance ? 1 : 0);
  sqlite3_bind_text (stmt, 8, row->body != NULL ? row->body : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, row->due_at);
  sqlite3_bind_int64 (stmt, 10, now);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot queue the message");

  if (inserted != NULL)
    *inserted = sqlite3_changes (_tc_db_get_handle (db)) > 0;

  return TRUE;
}

gboolean
_tc_db_outbox_count_promotional (struct _TcDb  *db,
                                 gint64         contact_id,
                                 gint64         since,
                                 guint         *count,
                                 GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  *count = 0;

  /* The partial index outbox_contact_sent covers exactly this. */
  stmt = _tc_db_prepare (db,
                         "SELECT count(*) FROM outbox WHERE contact_id = ?1 AND sent_at >= ?2 "
                         "AND purpose = 'promotional' AND compliance = 0",
                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot count recent messages");

  return TRUE;
}
