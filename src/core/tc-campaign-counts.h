/* tc-campaign-counts.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A campaign's outbox figures kept as counters (schema 12: campaign_counts
 * and campaign_hours), so that a report over a million messages reads a
 * few hundred rows instead of the million (tc-campaign-report.c).
 *
 * The code that changes a campaign's outbox rows says so here: each row's
 * counted columns before the change (sign -1) and after it (+1). The
 * differences are added up in memory for the transaction and written with
 * a few UPSERTs by _tc_db_commit(), just before COMMIT — so they commit
 * with the rows or not at all; _tc_db_rollback() drops them. Rows of other
 * origins are not counted. Every change of a counted column of a campaign
 * row must go through here (or the counters drift; test-campaign-counts
 * recounts after each kind of move).
 */

#pragma once

#include <sqlite3.h>

#include "tc-repository-private.h"

G_BEGIN_DECLS

/* The outbox columns a counter depends on, in this order. */
#define TC_COUNTED_COLUMNS \
  "origin, state, reason, error_code, sent_at, delivered_at, read_at, price, cost"

/* SQL: whether the row @r (an alias with its dot, or "") is a campaign's. */
#define TC_CAMPAIGN_ORIGIN_SQL(r) \
  r "origin >= 'campaign:' AND " r "origin < 'campaign;'"

/* SQL: the counter key of row @r — origin, state, detail (the reason of a
 * skipped row, the error code of a failed, undelivered or unknown one,
 * else ''), sent, delivered and read (0 or 1; by the times, and by the
 * state for delivered and read) and the cost it adds (coalesce (price,
 * cost) once sent, else 0). tc-campaign-counts.c computes the same in C. */
#define TC_CAMPAIGN_COUNT_KEY_SQL(r) \
  r "origin, " r "state," \
  " CASE WHEN " r "state = 'skipped' THEN " r "reason" \
  "  WHEN " r "state IN ('failed', 'undelivered', 'unknown') THEN " r "error_code ELSE '' END," \
  " (coalesce (" r "sent_at, 0) <> 0)," \
  " (coalesce (" r "delivered_at, 0) <> 0 OR " r "state IN ('delivered', 'read'))," \
  " (coalesce (" r "read_at, 0) <> 0 OR " r "state = 'read')," \
  " (CASE WHEN coalesce (" r "sent_at, 0) <> 0 THEN coalesce (" r "price, " r "cost, 0.0) ELSE 0.0 END)"

typedef struct _TcCampaignCounts TcCampaignCounts;

/* One outbox row's counted columns (strings borrowed; NULL = ''). */
typedef struct
{
  const char *origin;
  const char *state;
  const char *reason;
  const char *error_code;
  gint64      sent_at;        /* 0: none */
  gint64      delivered_at;
  gint64      read_at;
  gboolean    has_price;
  double      price;
  gboolean    has_cost;
  double      cost;
} TcCountedRow;

/* For tc-repository.c: the pending differences of a connection. */
TcCampaignCounts *_tc_campaign_counts_new   (void);
void              _tc_campaign_counts_free  (TcCampaignCounts *counts);
void              _tc_campaign_counts_clear (TcCampaignCounts *counts);
/* Writes the differences (a few UPSERTs) and clears them. */
gboolean          _tc_campaign_counts_flush (TcCampaignCounts *counts,
                                             TcDb             *db,
                                             GError          **error);

/* Whether @origin is a campaign's ("campaign:…"). */
gboolean  _tc_campaign_counts_origin        (const char          *origin);
/* Reads TC_COUNTED_COLUMNS from @stmt, starting at column @first. The
 * strings stay @stmt's: valid until it steps or resets. */
void      _tc_counted_row_from_stmt         (TcCountedRow        *row,
                                             sqlite3_stmt        *stmt,
                                             int                  first);
/* Counts @row @n times (@n < 0: uncounts) in the current transaction;
 * nothing when it is not a campaign's. */
void      _tc_campaign_counts_add_row       (TcDb                *db,
                                             const TcCountedRow  *row,
                                             gint64               n);
/* Steps @stmt to its end (a SELECT, or an UPDATE … RETURNING) and counts
 * each row it gives, TC_COUNTED_COLUMNS from column 0, @sign (+1 or -1)
 * times. @what: the error's words. */
gboolean  _tc_campaign_counts_add_rows      (TcDb                *db,
                                             sqlite3_stmt        *stmt,
                                             gint64               sign,
                                             const char          *what,
                                             GError             **error);

/* Around an UPDATE of the one row @id: _before uncounts it as it is
 * (setting @counted when it is a campaign's), _after counts it as it has
 * become (when @counted). Both inside the transaction of the UPDATE. */
gboolean  _tc_campaign_counts_row_before    (TcDb                *db,
                                             gint64               id,
                                             gboolean            *counted,
                                             GError             **error);
gboolean  _tc_campaign_counts_row_after     (TcDb                *db,
                                             gint64               id,
                                             gboolean             counted,
                                             GError             **error);

/* Counts campaign @campaign_id's counters again from its rows, for rows
 * changed behind this code's back (by hand, with the sqlite3 shell). */
gboolean  _tc_campaign_counts_rebuild       (TcDb                *db,
                                             gint64               campaign_id,
                                             GError             **error);

G_END_DECLS
