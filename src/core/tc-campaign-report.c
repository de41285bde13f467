/* tc-campaign-report.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * By variant, the outbox figures and the timeline come from the counters
 * kept as the campaign's rows change (campaign_counts and
 * campaign_hours, schema 12). Every other figure is one grouped query over
 * the campaign's rows — the outbox rows whose origin lies in
 * ["campaign:ID:", "campaign:ID;") (index outbox_origin), its frozen
 * audience, its short links — run once per grouping (the variants, and
 * the country or attribute asked for). The
 * group's key is an SQL expression chosen from three fixed forms; every
 * value, the attribute's JSON path included, is a bound parameter.
 */

#define G_LOG_DOMAIN "tc-campaign"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tc-campaign-private.h"
#include "tc-campaign-report.h"
#include "tc-consent-ledger.h"
#include "tc-json-private.h"
#include "tc-repository-private.h"
#include "tc-settings.h"

#define HOLDOUT "holdout"
/* Recipients of a campaign with a test portion waiting for the winner. */
#define REST    "rest"

/* Parameters every query may use (unused ones are not bound). */
enum {
  P_LOW = 1,        /* "campaign:ID:" */
  P_HIGH,           /* "campaign:ID;" */
  P_LABEL_AT,       /* where the label starts in an origin (1-based) */
  P_PATH,           /* the attribute's JSON path */
  P_CAMPAIGN,
  P_EVENT,
  P_CLICK_WINDOW,
  P_RECEIVE_WINDOW,
  P_STARTED,
  P_REPLY_WINDOW,
};

static void
figures_free (TcCampaignFigures *figures)
{
  if (figures == NULL)
    return;
  g_free (figures->key);
  g_hash_table_unref (figures->skipped);
  g_hash_table_unref (figures->bounced);
  g_free (figures);
}

static TcCampaignFigures *
figures_new (const char *key)
{
  TcCampaignFigures *figures = g_new0 (TcCampaignFigures, 1);

  figures->key = g_strdup (key);
  figures->skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  figures->bounced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return figures;
}

void
tc_campaign_report_free (TcCampaignReport *report)
{
  if (report == NULL)
    return;
  figures_free (report->total);
  g_ptr_array_unref (report->variants);
  g_ptr_array_unref (report->groups);
  g_free (report->group_by);
  g_array_unref (report->timeline);
  g_free (report);
}

static void
count_add (GHashTable *table,
           const char *key,
           guint64     n)
{
  guint64 before = GPOINTER_TO_SIZE (g_hash_table_lookup (table, key));

  g_hash_table_replace (table, g_strdup (key), GSIZE_TO_POINTER (before + n));
}

/* ------------------------------------------------------------------------
 * Queries
 */

typedef struct
{
  TcDb        *db;
  GHashTable  *groups;          /* key → TcCampaignFigures */
  const char  *key_form;        /* one of the key_* forms below */
  char        *low;
  char        *high;
  int          label_at;
  char        *path;
  gint64       campaign_id;
  char        *event;
  gint64       click_window;
  gint64       receive_window;
  gint64       started;
} Grouping;

/* @O stands for the query's origin column, @C for its contact id column. */
static const char key_variant[] = "substr (@O, ?3)";
static const char key_country[] = "(SELECT country FROM contacts WHERE id = @C)";
static const char key_attribute[] = "(SELECT json_extract (attributes, ?4) FROM contacts WHERE id = @C)";

static TcCampaignFigures *
group_for (Grouping   *grouping,
           const char *key)
{
  TcCampaignFigures *figures;

  if (key == NULL)
    key = "";
  figures = g_hash_table_lookup (grouping->groups, key);
  if (figures == NULL)
    {
      figures = figures_new (key);
      g_hash_table_insert (grouping->groups, figures->key, figures);
    }
  return figures;
}

/* Runs @sql_before_key KEY @sql_after_key, KEY being the grouping's key
 * over the query's origin and contact columns; binds every parameter the
 * statement has and calls @row_func for each row. */
typedef void (*RowFunc) (Grouping     *grouping,
                         sqlite3_stmt *stmt);

static gboolean
run_query (Grouping    *grouping,
           const char  *sql_before_key,
           const char  *origin_column,
           const char  *contact_column,
           const char  *sql_after_key,
           RowFunc      row_func,
           GError     **error)
{
  g_autoptr(GString) key = g_string_new (grouping->key_form);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc, n_params;

  /* The key is one of the three fixed forms with the query's own column
   * names: no outside text reaches the SQL. */
  g_string_replace (key, "@O", origin_column, 0);
  g_string_replace (key, "@C", contact_column, 0);
  sql = g_strconcat (sql_before_key, key->str, sql_after_key, NULL);

  stmt = _tc_db_prepare (grouping->db, sql, error);
  if (stmt == NULL)
    return FALSE;

  n_params = sqlite3_bind_parameter_count (stmt);
  for (int p = 1; p <= n_params; p++)
    switch (p)
      {
      case P_LOW:
        sqlite3_bind_text (stmt, p, grouping->low, -1, SQLITE_TRANSIENT);
        break;
      case P_HIGH:
        sqlite3_bind_text (stmt, p, grouping->high, -1, SQLITE_TRANSIENT);
        break;
      case P_LABEL_AT:
        sqlite3_bind_int (stmt, p, grouping->label_at);
        break;
      case P_PATH:
        sqlite3_bind_text (stmt, p, grouping->path != NULL ? grouping->path : "$", -1, SQLITE_TRANSIENT);
        break;
      case P_CAMPAIGN:
        sqlite3_bind_int64 (stmt, p, grouping->campaign_id);
        break;
      case P_EVENT:
        sqlite3_bind_text (stmt, p, grouping->event, -1, SQLITE_TRANSIENT);
        break;
      case P_CLICK_WINDOW:
        sqlite3_bind_int64 (stmt, p, grouping->click_window);
        break;
      case P_RECEIVE_WINDOW:
        sqlite3_bind_int64 (stmt, p, grouping->receive_window);
        break;
      case P_STARTED:
        sqlite3_bind_int64 (stmt, p, grouping->started);
        break;
      case P_REPLY_WINDOW:
        sqlite3_bind_int64 (stmt, p, TC_CAMPAIGN_REPLY_WINDOW);
        break;
      default:
        break;
      }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    row_func (grouping, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (grouping->db, error, "Cannot read the campaign's report");

  return TRUE;
}

static const char *
text_at (sqlite3_stmt *stmt,
         int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
audience_row (Grouping     *grouping,
              sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->audience += sqlite3_column_int64 (stmt, 1);
  figures->intended += sqlite3_column_int64 (stmt, 2);
}

static void
outbox_row (Grouping     *grouping,
            sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->deferred += sqlite3_column_int64 (stmt, 1);
  figures->waiting += sqlite3_column_int64 (stmt, 2);
  figures->sent += sqlite3_column_int64 (stmt, 3);
  figures->delivered += sqlite3_column_int64 (stmt, 4);
  figures->read += sqlite3_column_int64 (stmt, 5);
  figures->failed += sqlite3_column_int64 (stmt, 6);
  figures->cost += sqlite3_column_double (stmt, 7);
}

static void
skipped_row (Grouping     *grouping,
             sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));
  const char *reason = text_at (stmt, 1);

  count_add (figures->skipped, reason != NULL ? reason : "", sqlite3_column_int64 (stmt, 2));
}

static void
bounced_row (Grouping     *grouping,
             sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));
  const char *code = text_at (stmt, 1);

  count_add (figures->bounced, code != NULL ? code : "", sqlite3_column_int64 (stmt, 2));
}

static void
replies_row (Grouping     *grouping,
             sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->replies += sqlite3_column_int64 (stmt, 1);
  figures->opt_outs += sqlite3_column_int64 (stmt, 2);
}

static void
clicks_row (Grouping     *grouping,
            sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->clicks += sqlite3_column_int64 (stmt, 1);
  figures->unique_clicks += sqlite3_column_int64 (stmt, 2);
}

static void
conversions_row (Grouping     *grouping,
                 sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->conversions += sqlite3_column_int64 (stmt, 1);
  figures->revenue += sqlite3_column_double (stmt, 2);
}

static void
converted_row (Grouping     *grouping,
               sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->converted += sqlite3_column_int64 (stmt, 1);
}

#define IN_CAMPAIGN(o) o ".origin >= ?1 AND " o ".origin < ?2"

static void
opt_outs_row (Grouping     *grouping,
              sqlite3_stmt *stmt)
{
  TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));

  figures->opt_outs += sqlite3_column_int64 (stmt, 1);
}

/* Replies, opt-outs, clicks, conversions and (for the lift) converted
 * recipients: each driven from the smaller side — the messages that came
 * in, the opt-outs, the clicks, the events since the start — and joined
 * to the campaign's rows by contact, so their cost follows what happened,
 * not the size of the audience. */
static gboolean
run_outcomes (Grouping  *grouping,
              gboolean   by_variant,
              GError   **error)
{
  return
    run_query (grouping, "SELECT ", "o.origin", "o.contact_id",
               ", count (DISTINCT o.contact_id) FROM inbound_messages i CROSS JOIN outbox o"
               " WHERE i.received_at >= ?9 AND o.contact_id = i.contact_id AND o.channel = i.channel"
               " AND " IN_CAMPAIGN ("o") " AND o.sent_at IS NOT NULL"
               " AND i.received_at >= o.sent_at AND i.received_at < o.sent_at + ?10 GROUP BY 1",
               replies_row, error) &&
    run_query (grouping, "SELECT ", "o.origin", "o.contact_id",
               ", count (DISTINCT o.contact_id) FROM consent_events c CROSS JOIN outbox o"
               " WHERE c.kind IN ('opted_out', 'blocked') AND c.occurred_at >= ?9"
               " AND o.contact_id = c.contact_id AND o.channel = c.channel"
               " AND " IN_CAMPAIGN ("o") " AND o.sent_at IS NOT NULL"
               " AND c.occurred_at >= o.sent_at AND c.occurred_at < o.sent_at + ?10 GROUP BY 1",
               opt_outs_row, error) &&
    run_query (grouping, "SELECT ", "s.origin", "s.contact_id",
               ", count(*), count (DISTINCT s.contact_id) FROM short_links s"
               " JOIN link_clicks l ON l.code = s.code WHERE " IN_CAMPAIGN ("s") " GROUP BY 1",
               clicks_row, error) &&
    /* Each conversion of a recipient since the start goes to the last
     * message they clicked within the click window, else the last they
     * received within the receive window — this campaign's or not. */
    run_query (grouping,
               "WITH conversion AS (SELECT e.contact_id AS contact_id, e.value AS value, coalesce ("
               "  (SELECT s.origin FROM link_clicks l JOIN short_links s ON s.code = l.code"
               "    WHERE s.contact_id = e.contact_id AND l.clicked_at <= e.occurred_at"
               "    AND l.clicked_at > e.occurred_at - ?7 ORDER BY l.clicked_at DESC LIMIT 1),"
               "  (SELECT b.origin FROM outbox b WHERE b.contact_id = e.contact_id"
               "    AND b.sent_at IS NOT NULL AND b.sent_at <= e.occurred_at"
               "    AND b.sent_at > e.occurred_at - ?8 ORDER BY b.sent_at DESC LIMIT 1)) AS origin"
               " FROM events e CROSS JOIN campaign_recipients r"
               " WHERE e.name = ?6 AND e.occurred_at >= ?9"
               "  AND r.campaign_id = ?5 AND r.contact_id = e.contact_id)"
               " SELECT ", "origin", "contact_id",
               ", count(*), total (value) FROM conversion WHERE origin >= ?1 AND origin < ?2 GROUP BY 1",
               conversions_row, error) &&
    (!by_variant ||
     run_query (grouping, "SELECT ", "(?1 || r.variant)", "r.contact_id",
                ", count (DISTINCT r.contact_id) FROM events e CROSS JOIN campaign_recipients r"
                " WHERE e.name = ?6 AND e.occurred_at >= ?9 AND e.occurred_at < ?9 + ?7"
                " AND r.campaign_id = ?5 AND r.contact_id = e.contact_id GROUP BY 1",
                converted_row, error));
}

/* By country or attribute: the key needs each row's contact, so the
 * audience and the outbox figures are grouped queries too. */
static gboolean
run_groupings (Grouping  *grouping,
               GError   **error)
{
  return
    run_query (grouping, "SELECT ", "(?1 || r.variant)", "r.contact_id",
               ", count(*), sum (r.variant <> '" HOLDOUT "') FROM campaign_recipients r"
               " WHERE r.campaign_id = ?5 GROUP BY 1",
               audience_row, error) &&
    run_query (grouping, "SELECT ", "o.origin", "o.contact_id",
               ", sum (o.state = 'deferred'),"
               " sum (o.state IN ('queued', 'sending', 'paused')),"
               " sum (o.sent_at IS NOT NULL),"
               " sum (o.delivered_at IS NOT NULL OR o.state IN ('delivered', 'read')),"
               " sum (o.read_at IS NOT NULL OR o.state = 'read'),"
               " sum (o.state IN ('failed', 'undelivered', 'unknown')),"
               " total (CASE WHEN o.sent_at IS NOT NULL THEN coalesce (o.price, o.cost) END)"
               " FROM outbox o WHERE " IN_CAMPAIGN ("o") " GROUP BY 1",
               outbox_row, error) &&
    run_query (grouping, "SELECT ", "o.origin", "o.contact_id",
               ", o.reason, count(*) FROM outbox o WHERE " IN_CAMPAIGN ("o")
               " AND o.state = 'skipped' GROUP BY 1, 2",
               skipped_row, error) &&
    run_query (grouping, "SELECT ", "o.origin", "o.contact_id",
               ", o.error_code, count(*) FROM outbox o WHERE " IN_CAMPAIGN ("o")
               " AND o.state IN ('failed', 'undelivered', 'unknown') GROUP BY 1, 2",
               bounced_row, error) &&
    run_outcomes (grouping, FALSE, error);
}

/* By variant: the campaign's counters (campaign_counts and
 * campaign_hours, kept as its rows change, tc-campaign-counts.h; see
 * schema 12 in tc-repository.c), a few rows per variant and state, and
 * the audience per variant as stored when sending started. */
static gboolean
scan_variants (Grouping          *grouping,
               TcCampaign        *campaign,
               GHashTable        *hours,
               GError           **error)
{
  g_autoptr(JsonNode) counts = json_from_string (_tc_campaign_get_group_counts (campaign), NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (counts != NULL && JSON_NODE_HOLDS_OBJECT (counts))
    {
      JsonObject *object = json_node_get_object (counts);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          TcCampaignFigures *group = group_for (grouping, l->data);

          group->audience = (guint64) json_object_get_int_member (object, l->data);
          group->intended = strcmp (l->data, HOLDOUT) != 0 ? group->audience : 0;
        }
    }

  stmt = _tc_db_prepare (grouping->db,
                         "SELECT substr (origin, ?3), state, detail, sent, delivered, read, cost, n"
                         " FROM campaign_counts WHERE origin >= ?1 AND origin < ?2 AND n <> 0",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, grouping->low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, grouping->high, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, grouping->label_at);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcCampaignFigures *figures = group_for (grouping, text_at (stmt, 0));
      const char *state = text_at (stmt, 1);
      guint64 n = (guint64) sqlite3_column_int64 (stmt, 7);

      if (strcmp (state, "skipped") == 0)
        count_add (figures->skipped, text_at (stmt, 2), n);
      else if (strcmp (state, "deferred") == 0)
        figures->deferred += n;
      else if (strcmp (state, "queued") == 0 || strcmp (state, "sending") == 0 ||
               strcmp (state, "paused") == 0)
        figures->waiting += n;
      else if (strcmp (state, "failed") == 0 || strcmp (state, "undelivered") == 0 ||
               strcmp (state, "unknown") == 0)
        {
          figures->failed += n;
          count_add (figures->bounced, text_at (stmt, 2), n);
        }

      if (sqlite3_column_int (stmt, 3) != 0)
        {
          figures->sent += n;
          figures->cost += sqlite3_column_double (stmt, 6) * (double) n;
        }
      if (sqlite3_column_int (stmt, 4) != 0)
        figures->delivered += n;
      if (sqlite3_column_int (stmt, 5) != 0)
        figures->read += n;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (grouping->db, error, "Cannot read the campaign's messages");

  /* The timeline: each hour of every variant, added together. */
  stmt = _tc_db_prepare (grouping->db,
                         "SELECT hour, sent, delivered, read FROM campaign_hours"
                         " WHERE origin >= ?1 AND origin < ?2 AND (sent <> 0 OR delivered <> 0 OR read <> 0)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, grouping->low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, grouping->high, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 0);
      TcCampaignHour *hour = g_hash_table_lookup (hours, &at);

      if (hour == NULL)
        {
          hour = g_new0 (TcCampaignHour, 1);
          hour->at = at;
          g_hash_table_insert (hours, &hour->at, hour);
        }
      hour->sent += (guint64) sqlite3_column_int64 (stmt, 1);
      hour->delivered += (guint64) sqlite3_column_int64 (stmt, 2);
      hour->read += (guint64) sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (grouping->db, error, "Cannot read the campaign's timeline");

  return run_outcomes (grouping, TRUE, error);
}

static int
compare_hours (gconstpointer a,
               gconstpointer b)
{
  const TcCampaignHour *x = a;
  const TcCampaignHour *y = b;

  return (x->at > y->at) - (x->at < y->at);
}

/* ------------------------------------------------------------------------
 * The report
 */

static gint64
setting_number (TcDb       *db,
                const char *key,
                gint64      fallback)
{
  g_autofree char *value = _tc_db_get_setting (db, key, NULL);

  return value != NULL && value[0] != '\0' ? g_ascii_strtoll (value, NULL, 10) : fallback;
}

static int
compare_figures (gconstpointer a,
                 gconstpointer b)
{
  const TcCampaignFigures *x = *(TcCampaignFigures * const *) a;
  const TcCampaignFigures *y = *(TcCampaignFigures * const *) b;

  /* The holdout after the variants; the rest by key. */
  if ((strcmp (x->key, HOLDOUT) == 0) != (strcmp (y->key, HOLDOUT) == 0))
    return strcmp (x->key, HOLDOUT) == 0 ? 1 : -1;
  return strcmp (x->key, y->key);
}

static GPtrArray *
sorted_groups (GHashTable *groups)
{
  GPtrArray *sorted = g_ptr_array_new_with_free_func ((GDestroyNotify) figures_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (sorted, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (sorted, compare_figures);

  return sorted;
}

static void
merge_counts (GHashTable *into,
              GHashTable *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    count_add (into, key, GPOINTER_TO_SIZE (value));
}

static void
add_figures (TcCampaignFigures       *into,
             const TcCampaignFigures *from)
{
  into->audience += from->audience;
  into->intended += from->intended;
  into->sent += from->sent;
  into->delivered += from->delivered;
  into->read += from->read;
  into->failed += from->failed;
  into->deferred += from->deferred;
  into->waiting += from->waiting;
  into->replies += from->replies;
  into->opt_outs += from->opt_outs;
  into->clicks += from->clicks;
  into->unique_clicks += from->unique_clicks;
  into->conversions += from->conversions;
  into->converted += from->converted;
  into->revenue += from->revenue;
  into->cost += from->cost;
  merge_counts (into->skipped, from->skipped);
  merge_counts (into->bounced, from->bounced);
}

typedef struct
{
  gint64          id;
  TcCampaignGroup group;
  char           *attribute;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_free (job->attribute);
  g_free (job);
}

static void
grouping_clear (Grouping *grouping)
{
  g_clear_pointer (&grouping->groups, g_hash_table_unref);
  g_clear_pointer (&grouping->low, g_free);
  g_clear_pointer (&grouping->high, g_free);
  g_clear_pointer (&grouping->path, g_free);
  g_clear_pointer (&grouping->event, g_free);
}

static gpointer
report_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ReportJob *job = job_data;

  return _tc_db_campaign_report (db, job->id, job->group, job->attribute, error);
}

TcCampaignReport *
_tc_db_campaign_report (TcDb             *db,
                        gint64            id,
                        TcCampaignGroup   group,
                        const char       *attribute,
                        GError          **error)
{
  ReportJob job_copy = { id, group, (char *) attribute };
  ReportJob *job = &job_copy;
  g_autoptr(TcCampaign) campaign = _tc_db_campaign_load (db, job->id, error);
  g_autoptr(TcCampaignReport) report = NULL;
  g_autofree char *domain = NULL;
  g_autoptr(GHashTable) hours = NULL;
  Grouping grouping = { 0, };
  guint64 variant_converted = 0, variant_audience = 0;
  const TcCampaignFigures *holdout = NULL;

  if (campaign == NULL)
    return NULL;

  report = g_new0 (TcCampaignReport, 1);
  report->campaign_id = job->id;
  report->total = figures_new ("");
  report->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) figures_free);
  report->timeline = g_array_new (FALSE, TRUE, sizeof (TcCampaignHour));
  domain = _tc_db_get_setting (db, TC_SETTING_SHORT_LINK_DOMAIN, NULL);
  report->clicks_tracked = domain != NULL && domain[0] != '\0';

  grouping.db = db;
  grouping.low = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":", job->id);
  grouping.high = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ";", job->id);
  grouping.label_at = (int) strlen (grouping.low) + 1;
  grouping.campaign_id = job->id;
  grouping.event = _tc_db_get_setting (db, TC_SETTING_ATTRIBUTION_EVENT, NULL);
  if (grouping.event == NULL || grouping.event[0] == '\0')
    {
      g_free (grouping.event);
      grouping.event = g_strdup ("order_placed");
    }
  grouping.click_window = setting_number (db, TC_SETTING_ATTRIBUTION_CLICK_DAYS, 5) * 24 * 60 * 60;
  grouping.receive_window = setting_number (db, TC_SETTING_ATTRIBUTION_RECEIVE_HOURS, 24) * 60 * 60;
  grouping.started = tc_campaign_get_started_at (campaign);

  /* By variant. */
  grouping.groups = g_hash_table_new (g_str_hash, g_str_equal);
  grouping.key_form = key_variant;
  hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  if (!scan_variants (&grouping, campaign, hours, error))
    {
      report->variants = sorted_groups (grouping.groups);
      grouping_clear (&grouping);
      return NULL;
    }
  report->variants = sorted_groups (grouping.groups);
  g_clear_pointer (&grouping.groups, g_hash_table_unref);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, hours);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_array_append_val (report->timeline, *(TcCampaignHour *) value);
    g_array_sort (report->timeline, compare_hours);
  }

  for (guint i = 0; i < report->variants->len; i++)
    {
      const TcCampaignFigures *figures = g_ptr_array_index (report->variants, i);

      if (strcmp (figures->key, HOLDOUT) == 0)
        {
          holdout = figures;
          report->total->audience += figures->audience;
          continue;
        }
      if (strcmp (figures->key, REST) == 0)
        {
          report->awaiting_winner = figures->audience;
          report->total->audience += figures->audience;
          continue;
        }
      add_figures (report->total, figures);
      variant_converted += figures->converted;
      variant_audience += figures->audience;
    }

  if (holdout != NULL && holdout->audience > 0 && holdout->converted > 0 && variant_audience > 0)
    {
      double holdout_rate = (double) holdout->converted / (double) holdout->audience;
      double rate = (double) variant_converted / (double) variant_audience;

      report->has_lift = TRUE;
      report->lift = (rate - holdout_rate) / holdout_rate;
    }

  /* By country or attribute. */
  if (job->group != TC_CAMPAIGN_GROUP_VARIANT)
    {
      grouping.groups = g_hash_table_new (g_str_hash, g_str_equal);
      if (job->group == TC_CAMPAIGN_GROUP_COUNTRY)
        {
          grouping.key_form = key_country;
          report->group_by = g_strdup ("country");
        }
      else
        {
          grouping.key_form = key_attribute;
          grouping.path = g_strdup_printf ("$.\"%s\"", job->attribute);
          report->group_by = g_strconcat ("attributes.", job->attribute, NULL);
        }
      if (!run_groupings (&grouping, error))
        {
          g_ptr_array_unref (sorted_groups (grouping.groups));
          grouping_clear (&grouping);
          return NULL;
        }
      g_ptr_array_unref (report->groups);
      report->groups = sorted_groups (grouping.groups);
      g_clear_pointer (&grouping.groups, g_hash_table_unref);
    }

  grouping_clear (&grouping);
  return g_steal_pointer (&report);
}

static void
on_report_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TcCampaignReport *report = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) tc_campaign_report_free);
}

void
tc_campaign_report_async (TcRepository        *repository,
                          gint64               id,
                          TcCampaignGroup      group,
                          const char          *attribute,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_campaign_report_async);

  if (group == TC_CAMPAIGN_GROUP_ATTRIBUTE &&
      (attribute == NULL || attribute[0] == '\0' || strchr (attribute, '"') != NULL ||
       strchr (attribute, '\\') != NULL))
    {
      g_task_return_new_error (task, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID,
                               "“%s” is not an attribute to group by: name a custom attribute "
                               "(without quotes or backslashes)", attribute != NULL ? attribute : "");
      return;
    }

  job = g_new0 (ReportJob, 1);
  job->id = id;
  job->group = group;
  job->attribute = g_strdup (attribute);
  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, report_job, job,
                                 (GDestroyNotify) report_job_free,
                                 (GDestroyNotify) tc_campaign_report_free, FALSE, cancellable,
                                 on_report_done_cb, g_steal_pointer (&task));
}

TcCampaignReport *
tc_campaign_report_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * JSON
 */

static void
add_uint (JsonBuilder *builder,
          const char  *name,
          guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_ratio (JsonBuilder *builder,
           const char  *name,
           double       numerator,
           double       denominator)
{
  json_builder_set_member_name (builder, name);
  if (denominator > 0)
    json_builder_add_double_value (builder, numerator / denominator);
  else
    json_builder_add_null_value (builder);
}

static void
build_figures (const TcCampaignFigures *figures,
               JsonBuilder             *builder)
{
  add_uint (builder, "audience", figures->audience);
  add_uint (builder, "intended", figures->intended);
  add_uint (builder, "sent", figures->sent);
  add_uint (builder, "delivered", figures->delivered);
  add_uint (builder, "failed", figures->failed);
  _tc_json_add_counts (builder, "bounced", figures->bounced);
  _tc_json_add_counts (builder, "skipped", figures->skipped);
  add_uint (builder, "deferred", figures->deferred);
  add_uint (builder, "waiting", figures->waiting);
  add_uint (builder, "read", figures->read);
  add_uint (builder, "replies", figures->replies);
  add_uint (builder, "opt_outs", figures->opt_outs);
  add_uint (builder, "clicks", figures->clicks);
  add_uint (builder, "unique_clicks", figures->unique_clicks);
  add_uint (builder, "conversions", figures->conversions);
  add_double (builder, "revenue", figures->revenue);
  add_ratio (builder, "average_order_value", figures->revenue, (double) figures->conversions);
  add_double (builder, "cost", figures->cost);
  add_ratio (builder, "revenue_per_message", figures->revenue, (double) figures->sent);
  add_ratio (builder, "delivery_rate", (double) figures->delivered, (double) figures->intended);
  add_ratio (builder, "conversion_rate", (double) figures->converted, (double) figures->audience);
}

void
tc_campaign_report_build_json (const TcCampaignReport *report,
                               JsonBuilder            *builder)
{
  const TcCampaignFigures *holdout = NULL;

  g_return_if_fail (report != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  add_uint (builder, "campaign_id", (guint64) report->campaign_id);
  build_figures (report->total, builder);
  json_builder_set_member_name (builder, "clicks_tracked");
  json_builder_add_boolean_value (builder, report->clicks_tracked);
  json_builder_set_member_name (builder, "awaiting_winner");
  json_builder_add_int_value (builder, (gint64) report->awaiting_winner);
  json_builder_set_member_name (builder, "lift");
  if (report->has_lift)
    json_builder_add_double_value (builder, report->lift);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "variants");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->variants->len; i++)
    {
      const TcCampaignFigures *figures = g_ptr_array_index (report->variants, i);

      if (strcmp (figures->key, HOLDOUT) == 0)
        {
          holdout = figures;
          continue;
        }
      if (strcmp (figures->key, REST) == 0)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, figures->key);
      build_figures (figures, builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "holdout");
  if (holdout != NULL)
    {
      json_builder_begin_object (builder);
      add_uint (builder, "audience", holdout->audience);
      add_uint (builder, "converted", holdout->converted);
      add_ratio (builder, "conversion_rate", (double) holdout->converted, (double) holdout->audience);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "group_by");
  if (report->group_by != NULL)
    json_builder_add_string_value (builder, report->group_by);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->groups->len; i++)
    {
      const TcCampaignFigures *figures = g_ptr_array_index (report->groups, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, figures->key);
      build_figures (figures, builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "timeline");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->timeline->len; i++)
    {
      const TcCampaignHour *hour = &g_array_index (report->timeline, TcCampaignHour, i);
      g_autofree char *at = tc_format_iso8601_utc (hour->at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "hour");
      json_builder_add_string_value (builder, at);
      add_uint (builder, "sent", hour->sent);
      add_uint (builder, "delivered", hour->delivered);
      add_uint (builder, "read", hour->read);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
