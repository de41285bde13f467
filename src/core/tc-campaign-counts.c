/* tc-campaign-counts.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The campaign counters' differences, added up per transaction in two
 * hash tables (counter key → n; origin and hour → sent, delivered, read)
 * and written by _tc_campaign_counts_flush() from _tc_db_commit().
 */

#define G_LOG_DOMAIN "textcast-core"

#include "config.h"

#include <string.h>

#include "tc-campaign-counts.h"

typedef struct
{
  char     *origin;
  char     *state;
  char     *detail;
  gboolean  sent;
  gboolean  delivered;
  gboolean  read;
  double    cost;
  gint64    n;
} CountKey;

typedef struct
{
  char   *origin;
  gint64  hour;
  gint64  n[3];   /* sent, delivered, read */
} HourKey;

struct _TcCampaignCounts
{
  GHashTable *counts;   /* CountKey → itself */
  GHashTable *hours;    /* HourKey → itself */
};

static guint
count_key_hash (gconstpointer data)
{
  const CountKey *key = data;
  guint64 bits;
  guint hash;

  memcpy (&bits, &key->cost, sizeof bits);
  hash = g_str_hash (key->origin);
  hash = hash * 31 + g_str_hash (key->state);
  hash = hash * 31 + g_str_hash (key->detail);
  hash = hash * 31 + (guint) (key->sent | key->delivered << 1 | key->read << 2);
  hash = hash * 31 + (guint) (bits ^ (bits >> 32));

  return hash;
}

static gboolean
count_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const CountKey *x = a;
  const CountKey *y = b;

  /* The cost as the same double: SQLite stores and compares it so. */
  return x->sent == y->sent && x->delivered == y->delivered && x->read == y->read &&
         memcmp (&x->cost, &y->cost, sizeof x->cost) == 0 &&
         strcmp (x->origin, y->origin) == 0 && strcmp (x->state, y->state) == 0 &&
         strcmp (x->detail, y->detail) == 0;
}

static void
count_key_free (gpointer data)
{
  CountKey *key = data;

  g_free (key->origin);
  g_free (key->state);
  g_free (key->detail);
  g_free (key);
}

static guint
hour_key_hash (gconstpointer data)
{
  const HourKey *key = data;

  return g_str_hash (key->origin) * 31 + g_int64_hash (&key->hour);
}

static gboolean
hour_key_equal (gconstpointer a,
                gconstpointer b)
{
  const HourKey *x = a;
  const HourKey *y = b;

  return x->hour == y->hour && strcmp (x->origin, y->origin) == 0;
}

static void
hour_key_free (gpointer data)
{
  HourKey *key = data;

  g_free (key->origin);
  g_free (key);
}

TcCampaignCounts *
_tc_campaign_counts_new (void)
{
  TcCampaignCounts *counts = g_new0 (TcCampaignCounts, 1);

  counts->counts = g_hash_table_new_full (count_key_hash, count_key_equal, count_key_free, NULL);
  counts->hours = g_hash_table_new_full (hour_key_hash, hour_key_equal, hour_key_free, NULL);

  return counts;
}

void
_tc_campaign_counts_free (TcCampaignCounts *counts)
{
  if (counts == NULL)
    return;

  g_hash_table_unref (counts->counts);
  g_hash_table_unref (counts->hours);
  g_free (counts);
}

void
_tc_campaign_counts_clear (TcCampaignCounts *counts)
{
  g_hash_table_remove_all (counts->counts);
  g_hash_table_remove_all (counts->hours);
}

gboolean
_tc_campaign_counts_flush (TcCampaignCounts  *counts,
                           TcDb              *db,
                           GError           **error)
{
  GHashTableIter iter;
  gpointer data;
  sqlite3_stmt *stmt;
  int rc;

  g_hash_table_iter_init (&iter, counts->counts);
  while (g_hash_table_iter_next (&iter, &data, NULL))
    {
      const CountKey *key = data;

      if (key->n == 0)
        continue;
      stmt = _tc_db_prepare (db,
                             "INSERT INTO campaign_counts (origin, state, detail, sent, delivered, read, cost, n)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                             " ON CONFLICT DO UPDATE SET n = n + excluded.n",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key->origin, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key->state, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, key->detail, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, key->sent);
      sqlite3_bind_int (stmt, 5, key->delivered);
      sqlite3_bind_int (stmt, 6, key->read);
      sqlite3_bind_double (stmt, 7, key->cost);
      sqlite3_bind_int64 (stmt, 8, key->n);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (db, error, "Cannot count the campaign’s messages");
    }

  g_hash_table_iter_init (&iter, counts->hours);
  while (g_hash_table_iter_next (&iter, &data, NULL))
    {
      const HourKey *key = data;

      if (key->n[0] == 0 && key->n[1] == 0 && key->n[2] == 0)
        continue;
      stmt = _tc_db_prepare (db,
                             "INSERT INTO campaign_hours (origin, hour, sent, delivered, read)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)"
                             " ON CONFLICT DO UPDATE SET sent = sent + excluded.sent,"
                             " delivered = delivered + excluded.delivered, read = read + excluded.read",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key->origin, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, key->hour);
      for (guint t = 0; t < 3; t++)
        sqlite3_bind_int64 (stmt, 3 + t, key->n[t]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (db, error, "Cannot count the campaign’s messages by hour");
    }

  _tc_campaign_counts_clear (counts);

  return TRUE;
}

gboolean
_tc_campaign_counts_origin (const char *origin)
{
  return origin != NULL && g_str_has_prefix (origin, "campaign:");
}

void
_tc_counted_row_from_stmt (TcCountedRow *row,
                           sqlite3_stmt *stmt,
                           int           first)
{
  row->origin = (const char *) sqlite3_column_text (stmt, first);
  row->state = (const char *) sqlite3_column_text (stmt, first + 1);
  row->reason = (const char *) sqlite3_column_text (stmt, first + 2);
  row->error_code = (const char *) sqlite3_column_text (stmt, first + 3);
  row->sent_at = sqlite3_column_int64 (stmt, first + 4);
  row->delivered_at = sqlite3_column_int64 (stmt, first + 5);
  row->read_at = sqlite3_column_int64 (stmt, first + 6);
  row->has_price = sqlite3_column_type (stmt, first + 7) != SQLITE_NULL;
  row->price = sqlite3_column_double (stmt, first + 7);
  row->has_cost = sqlite3_column_type (stmt, first + 8) != SQLITE_NULL;
  row->cost = sqlite3_column_double (stmt, first + 8);
}

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static void
add_hour (TcCampaignCounts *counts,
          const char       *origin,
          gint64            at,
          guint             kind,
          gint64            n)
{
  HourKey probe = { (char *) origin, at - at % 3600, { 0, 0, 0 } };
  HourKey *key;

  if (at == 0)
    return;

  key = g_hash_table_lookup (counts->hours, &probe);
  if (key == NULL)
    {
      key = g_new0 (HourKey, 1);
      key->origin = g_strdup (origin);
      key->hour = probe.hour;
      g_hash_table_add (counts->hours, key);
    }
  key->n[kind] += n;
}

static TcCampaignCounts *
pending (TcDb *db)
{
  TcCampaignCounts **slot = (TcCampaignCounts **) _tc_db_get_campaign_counts (db);

  /* The differences are written at COMMIT: a change without a
   * transaction is a bug (its counters are written at once, not with it). */
  if (sqlite3_get_autocommit (_tc_db_get_handle (db)))
    g_critical ("A campaign's outbox row changed outside a transaction: its counters will be late");
  if (*slot == NULL)
    *slot = _tc_campaign_counts_new ();

  return *slot;
}

void
_tc_campaign_counts_add_row (TcDb               *db,
                             const TcCountedRow *row,
                             gint64              n)
{
  TcCampaignCounts *counts;
  const char *state = nonnull (row->state);
  const char *detail = "";
  CountKey probe;
  CountKey *key;

  if (n == 0 || !_tc_campaign_counts_origin (row->origin))
    return;
  counts = pending (db);

  if (strcmp (state, "skipped") == 0)
    detail = nonnull (row->reason);
  else if (strcmp (state, "failed") == 0 || strcmp (state, "undelivered") == 0 ||
           strcmp (state, "unknown") == 0)
    detail = nonnull (row->error_code);

  probe.origin = (char *) row->origin;
  probe.state = (char *) state;
  probe.detail = (char *) detail;
  probe.sent = row->sent_at != 0;
  probe.delivered = row->delivered_at != 0 || strcmp (state, "delivered") == 0 || strcmp (state, "read") == 0;
  probe.read = row->read_at != 0 || strcmp (state, "read") == 0;
  probe.cost = !probe.sent ? 0.0 : row->has_price ? row->price : row->has_cost ? row->cost : 0.0;

  key = g_hash_table_lookup (counts->counts, &probe);
  if (key == NULL)
    {
      key = g_memdup2 (&probe, sizeof probe);
      key->origin = g_strdup (probe.origin);
      key->state = g_strdup (probe.state);
      key->detail = g_strdup (probe.detail);
      key->n = 0;
      g_hash_table_add (counts->counts, key);
    }
  key->n += n;

  add_hour (counts, row->origin, row->sent_at, 0, n);
  add_hour (counts, row->origin, row->delivered_at, 1, n);
  add_hour (counts, row->origin, row->read_at, 2, n);

  /* Outside a transaction (a bug, reported by pending ()): written now
   * rather than with someone else's transaction. */
  if (sqlite3_get_autocommit (_tc_db_get_handle (db)))
    {
      g_autoptr(GError) error = NULL;

      if (!_tc_campaign_counts_flush (counts, db, &error))
        g_warning ("%s", error->message);
    }
}

gboolean
_tc_campaign_counts_add_rows (TcDb          *db,
                              sqlite3_stmt  *stmt,
                              gint64         sign,
                              const char    *what,
                              GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcCountedRow row;

      _tc_counted_row_from_stmt (&row, stmt, 0);
      _tc_campaign_counts_add_row (db, &row, sign);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, what);

  return TRUE;
}

static gboolean
count_one (TcDb      *db,
           gint64     id,
           gint64     sign,
           gboolean  *counted,
           GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT " TC_COUNTED_COLUMNS " FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      TcCountedRow row;

      _tc_counted_row_from_stmt (&row, stmt, 0);
      if (counted != NULL)
        *counted = _tc_campaign_counts_origin (row.origin);
      _tc_campaign_counts_add_row (db, &row, sign);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the outbox");

  return TRUE;
}

gboolean
_tc_campaign_counts_row_before (TcDb      *db,
                                gint64     id,
                                gboolean  *counted,
                                GError   **error)
{
  *counted = FALSE;

  return count_one (db, id, -1, counted, error);
}

gboolean
_tc_campaign_counts_row_after (TcDb      *db,
                               gint64     id,
                               gboolean   counted,
                               GError   **error)
{
  /* No UPDATE changes a row's origin: a row that was not counted before
   * is not one after. */
  if (!counted)
    return TRUE;

  return count_one (db, id, +1, NULL, error);
}

gboolean
_tc_campaign_counts_rebuild (TcDb    *db,
                             gint64   campaign_id,
                             GError **error)
{
  static const char * const sql[] = {
    "DELETE FROM campaign_counts WHERE origin >= ?1 AND origin < ?2",
    "DELETE FROM campaign_hours WHERE origin >= ?1 AND origin < ?2",
    "INSERT INTO campaign_counts (origin, state, detail, sent, delivered, read, cost, n)"
    " SELECT " TC_CAMPAIGN_COUNT_KEY_SQL ("o.") ", count(*)"
    " FROM outbox o INDEXED BY outbox_origin WHERE o.origin >= ?1 AND o.origin < ?2"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO campaign_hours (origin, hour, sent, delivered, read)"
    " SELECT origin, hour, sum (kind = 0), sum (kind = 1), sum (kind = 2) FROM ("
    "   SELECT o.origin, o.sent_at - o.sent_at % 3600 AS hour, 0 AS kind"
    "   FROM outbox o INDEXED BY outbox_origin"
    "   WHERE o.origin >= ?1 AND o.origin < ?2 AND coalesce (o.sent_at, 0) <> 0"
    "   UNION ALL SELECT o.origin, o.delivered_at - o.delivered_at % 3600, 1"
    "   FROM outbox o INDEXED BY outbox_origin"
    "   WHERE o.origin >= ?1 AND o.origin < ?2 AND coalesce (o.delivered_at, 0) <> 0"
    "   UNION ALL SELECT o.origin, o.read_at - o.read_at % 3600, 2"
    "   FROM outbox o INDEXED BY outbox_origin"
    "   WHERE o.origin >= ?1 AND o.origin < ?2 AND coalesce (o.read_at, 0) <> 0)"
    " GROUP BY 1, 2",
  };
  g_autofree char *low = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":", campaign_id);
  g_autofree char *high = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ";", campaign_id);

  if (!_tc_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = _tc_db_prepare (db, sql[i], error);
      int rc;

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _tc_db_set_error (db, error, "Cannot count the campaign’s messages");
          goto failed;
        }
    }
  if (!_tc_db_commit (db, error))
    goto failed;

  return TRUE;

failed:
  _tc_db_rollback (db);
  return FALSE;
}
