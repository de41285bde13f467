/* tc-campaign-send.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starting, queueing, pausing, resuming and cancelling campaigns (see
 * tc-campaign.h). Everything runs in repository jobs on the writer, one
 * transaction each, so a kill at any moment leaves either the whole step
 * or none of it — and the idempotency keys make a repeated step a no-op.
 */

#define G_LOG_DOMAIN "tc-campaign"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-campaign-counts.h"
#include "tc-campaign-private.h"
#include "tc-campaign-report.h"
#include "tc-compose.h"
#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-gate-check.h"
#include "tc-json-private.h"
#include "tc-links.h"
#include "tc-outbox.h"
#include "tc-prices.h"
#include "tc-sms.h"
#include "tc-repository-private.h"
#include "tc-segment.h"
#include "tc-settings.h"
#include "tc-short-links.h"
#include "tc-template-store.h"

#define HOLDOUT "holdout"
/* With a test portion: the recipients waiting for the winner (outbox_id
 * -1 keeps them out of the pending index until then). */
#define REST    "rest"

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
state_error (GError    **error,
             TcCampaign *campaign,
             const char *what)
{
  g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE,
               "Campaign %" G_GINT64_FORMAT " is %s: it cannot %s", tc_campaign_get_id (campaign),
               tc_campaign_state_to_string (tc_campaign_get_state (campaign)), what);
  return FALSE;
}

/* ------------------------------------------------------------------------
 * Pure helpers
 */

guint
tc_campaign_pick_group (const double *weights,
                        guint        *counts,
                        guint         n_groups,
                        guint64       k)
{
  guint best = 0;
  double best_deficit = -INFINITY;

  g_return_val_if_fail (n_groups > 0, 0);

  for (guint g = 0; g < n_groups; g++)
    {
      double deficit;

      if (weights[g] <= 0)
        continue;
      deficit = weights[g] * (double) (k + 1) - (double) counts[g];
      if (deficit > best_deficit + 1e-9)
        {
          best = g;
          best_deficit = deficit;
        }
    }
  counts[best]++;

  return best;
}

gint64
tc_campaign_next_local_time (const char         *hhmm,
                             const char * const *zones,
                             gint64              from)
{
  int hour, minute;
  gint64 latest = 0;
  g_autoptr(GDateTime) from_utc = NULL;

  if (!tc_campaign_parse_local_time (hhmm, &hour, &minute) || zones == NULL)
    return 0;
  from_utc = g_date_time_new_from_unix_utc (from);

  for (guint i = 0; zones[i] != NULL; i++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[i]);
      g_autoptr(GDateTime) local = NULL;
      g_autoptr(GDateTime) at = NULL;
      gint64 when;

      if (zone == NULL)
        continue;
      local = g_date_time_to_timezone (from_utc, zone);
      at = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                            g_date_time_get_day_of_month (local), hour, minute, 0);
      if (at == NULL)
        continue;
      if (g_date_time_to_unix (at) < from)
        {
          g_autoptr(GDateTime) next_day = g_date_time_add_days (local, 1);

          g_clear_pointer (&at, g_date_time_unref);
          at = g_date_time_new (zone, g_date_time_get_year (next_day),
                                g_date_time_get_month (next_day),
                                g_date_time_get_day_of_month (next_day), hour, minute, 0);
          if (at == NULL)
            continue;
        }
      when = g_date_time_to_unix (at);
      latest = MAX (latest, when);
    }

  return latest;
}

/* A keyed 64-bit mix of the campaign and the contact (SplitMix64's
 * finaliser): a random-looking order that is the same every time. */
static gint64
recipient_rank (gint64 campaign_id,
                gint64 contact_id)
{
  guint64 x = ((guint64) campaign_id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) ^ (guint64) contact_id;

  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 31;

  /* SQLite integers are signed: keep 63 bits. */
  return (gint64) (x >> 1);
}

/* ------------------------------------------------------------------------
 * Start: freeze the audience, pin the templates, assign the variants
 */

static gboolean
foreach_saved (TcDb                 *db,
               const char           *name,
               gint64                now,
               TcSegmentContactFunc  func,
               gpointer              data,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(TcSavedSegment) saved = _tc_db_segment_load (db, name, error);

  if (saved == NULL)
    {
      g_prefix_error (error, "The campaign's audience: ");
      return FALSE;
    }
  return _tc_db_segment_foreach (db, saved->segment, now, 0, func, data, cancellable, error);
}

typedef struct
{
  gint64 rank;
  gint64 contact_id;
} Ranked;

typedef struct
{
  GHashTable *excluded;     /* contact ids, or NULL */
  GHashTable *seen;         /* contact ids, when several segments may overlap */
  GArray     *heap;         /* Ranked, a max-heap by rank of the smallest ones */
  guint       limit;        /* keep the @limit smallest ranks; G_MAXUINT: everyone */
  guint64     n;
  gint64      campaign_id;
} Sampler;

static void
heap_sift_down (GArray *heap,
                guint   i)
{
  for (;;)
    {
      guint largest = i, left = 2 * i + 1, right = 2 * i + 2;
      Ranked tmp;

      if (left < heap->len && g_array_index (heap, Ranked, left).rank > g_array_index (heap, Ranked, largest).rank)
        largest = left;
      if (right < heap->len && g_array_index (heap, Ranked, right).rank > g_array_index (heap, Ranked, largest).rank)
        largest = right;
      if (largest == i)
        return;
      tmp = g_array_index (heap, Ranked, i);
      g_array_index (heap, Ranked, i) = g_array_index (heap, Ranked, largest);
      g_array_index (heap, Ranked, largest) = tmp;
      i = largest;
    }
}

static void
heap_push (GArray *heap,
           Ranked  item)
{
  guint i;

  g_array_append_val (heap, item);
  for (i = heap->len - 1; i > 0;)
    {
      guint parent = (i - 1) / 2;
      Ranked tmp;

      if (g_array_index (heap, Ranked, parent).rank >= g_array_index (heap, Ranked, i).rank)
        break;
      tmp = g_array_index (heap, Ranked, i);
      g_array_index (heap, Ranked, i) = g_array_index (heap, Ranked, parent);
      g_array_index (heap, Ranked, parent) = tmp;
      i = parent;
    }
}

static gboolean
sample_cb (gint64   contact_id,
           gpointer user_data)
{
  Sampler *sampler = user_data;
  Ranked item = { recipient_rank (sampler->campaign_id, contact_id), contact_id };

  if (sampler->excluded != NULL && g_hash_table_contains (sampler->excluded, &contact_id))
    return TRUE;
  if (sampler->seen != NULL)
    {
      gint64 *key;

      if (g_hash_table_contains (sampler->seen, &contact_id))
        return TRUE;
      key = g_new (gint64, 1);
      *key = contact_id;
      g_hash_table_add (sampler->seen, key);
    }

  sampler->n++;
  if (sampler->limit == G_MAXUINT)
    g_array_append_val (sampler->heap, item);
  else if (sampler->heap->len < sampler->limit)
    heap_push (sampler->heap, item);
  else if (item.rank < g_array_index (sampler->heap, Ranked, 0).rank)
    {
      g_array_index (sampler->heap, Ranked, 0) = item;
      heap_sift_down (sampler->heap, 0);
    }

  return TRUE;
}

static gboolean
exclude_cb (gint64   contact_id,
            gpointer user_data)
{
  GHashTable *excluded = user_data;
  gint64 *key = g_new (gint64, 1);

  *key = contact_id;
  g_hash_table_add (excluded, key);

  return TRUE;
}

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a;
  const Ranked *y = b;

  return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The audience's size and, in the campaign's random order, its first
 * @limit members (G_MAXUINT: all of them). Everyone once, whatever the
 * segments they are in, minus the exclusions. */
static gboolean
sample_audience (TcDb          *db,
                 TcCampaign    *campaign,
                 gint64         now,
                 guint          limit,
                 guint64       *n,
                 GArray       **sample,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const char * const *segments = tc_campaign_get_segments (campaign);
  const char * const *exclusions = tc_campaign_get_exclusions (campaign);
  g_autoptr(GHashTable) excluded = NULL;
  g_autoptr(GHashTable) seen = NULL;
  Sampler sampler = { 0, };

  if (exclusions[0] != NULL)
    {
      excluded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; exclusions[i] != NULL; i++)
        if (!foreach_saved (db, exclusions[i], now, exclude_cb, excluded, cancellable, error))
          return FALSE;
    }
  if (!tc_campaign_get_audience_all (campaign) && segments[0] != NULL && segments[1] != NULL)
    seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  sampler.excluded = excluded;
  sampler.seen = seen;
  sampler.heap = g_array_sized_new (FALSE, FALSE, sizeof (Ranked), MIN (limit, 1 << 16));
  sampler.limit = limit;
  sampler.campaign_id = tc_campaign_get_id (campaign);

  if (tc_campaign_get_audience_all (campaign))
    {
      sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT id FROM contacts", error);
      int rc;

      if (stmt == NULL)
        goto fail;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        sample_cb (sqlite3_column_int64 (stmt, 0), &sampler);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _tc_db_set_error (db, error, "Cannot read the contacts");
          goto fail;
        }
    }
  else
    for (guint i = 0; segments[i] != NULL; i++)
      if (!foreach_saved (db, segments[i], now, sample_cb, &sampler, cancellable, error))
        goto fail;

  g_array_sort (sampler.heap, compare_ranked);
  *n = sampler.n;
  *sample = sampler.heap;
  return TRUE;

fail:
  g_array_unref (sampler.heap);
  return FALSE;
}

/* The template @name of @kind as of now: its id and current version. */
static gboolean
pin_template (TcDb        *db,
              const char  *kind,
              const char  *name,
              gint64      *id,
              int         *version,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT id, current_version FROM templates WHERE kind = ?1 AND name = ?2",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *version = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID,
                   "template: there is no %s template “%s” any more", kind, name);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot read the template");

  return TRUE;
}

static gboolean
pin_templates (TcDb        *db,
               TcCampaign  *campaign,
               GError     **error)
{
  const char *kind = tc_campaign_get_channel (campaign) == TC_CAMPAIGN_CHANNEL_SMS ? "sms" : "whatsapp";

  for (guint i = 0; i < tc_campaign_get_n_variants (campaign); i++)
    {
      TcCampaignVariant *variant = (TcCampaignVariant *) tc_campaign_get_variant (campaign, i);

      if (!pin_template (db, kind, variant->template_name, &variant->template_id,
                         &variant->template_version, error))
        return FALSE;
      if (variant->fallback_template != NULL &&
          !pin_template (db, "sms", variant->fallback_template, &variant->fallback_id,
                         &variant->fallback_version, error))
        return FALSE;
    }

  return TRUE;
}

/* Stores the audience (@ranked, in rank order) with each person's group:
 * the holdout (if any) or a variant, each within one of its share at every
 * prefix of the order. Holdout rows get outbox_id 0 (nothing to queue). */
static gboolean
insert_recipients (TcDb        *db,
                   TcCampaign  *campaign,
                   GArray      *ranked,
                   gint64      *n_intended,
                   char       **group_counts,
                   GError     **error)
{
  double weights[TC_CAMPAIGN_MAX_VARIANTS + 2] = { 0, };
  guint counts[TC_CAMPAIGN_MAX_VARIANTS + 2] = { 0, };
  const char *labels[TC_CAMPAIGN_MAX_VARIANTS + 2];
  guint n_variants = tc_campaign_get_n_variants (campaign);
  double holdout = tc_campaign_get_holdout_percent (campaign) / 100.0;
  /* With a test portion, the variants share only that part; the rest
   * waits for the winner. */
  double test = tc_campaign_get_test_percent (campaign) > 0
                ? tc_campaign_get_test_percent (campaign) / 100.0 : 1.0;
  guint n_groups = n_variants + 2;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_variants; i++)
    {
      weights[i] = (1.0 - holdout) * test * tc_campaign_get_variant (campaign, i)->percent / 100.0;
      labels[i] = tc_campaign_get_variant (campaign, i)->label;
    }
  weights[n_variants] = holdout;
  labels[n_variants] = HOLDOUT;
  weights[n_variants + 1] = (1.0 - holdout) * (1.0 - test);
  labels[n_variants + 1] = REST;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO campaign_recipients (campaign_id, contact_id, rank, variant, outbox_id)"
                         " VALUES (?1, ?2, ?3, ?4, CASE ?4 WHEN '" HOLDOUT "' THEN 0 WHEN '" REST "' THEN -1 END)",
                         error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ranked->len; i++)
    {
      const Ranked *item = &g_array_index (ranked, Ranked, i);
      guint group = tc_campaign_pick_group (weights, counts, n_groups, i);
      int rc;

      sqlite3_bind_int64 (stmt, 1, tc_campaign_get_id (campaign));
      sqlite3_bind_int64 (stmt, 2, item->contact_id);
      sqlite3_bind_int64 (stmt, 3, item->rank);
      sqlite3_bind_text (stmt, 4, labels[group], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (db, error, "Cannot store the campaign's audience");
    }

  *n_intended = (gint64) ranked->len - counts[n_variants] - counts[n_variants + 1];
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object (builder);
    for (guint g = 0; g < n_groups; g++)
      if (g < n_variants || counts[g] > 0)
        {
          json_builder_set_member_name (builder, labels[g]);
          json_builder_add_int_value (builder, counts[g]);
        }
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    *group_counts = json_to_string (root, FALSE);
  }

  return TRUE;
}

typedef struct
{
  gint64   id;
  gint64   now;
  guint    limit;
  int      action;
  /* Results */
  guint    audience_size;
  guint    n_queued;
  guint    n_left;
  gboolean finished;
} SendJob;

static gpointer
start_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  SendJob *job = job_data;
  g_autoptr(TcCampaign) campaign = NULL;
  g_autofree char *variants = NULL;
  g_autofree char *group_counts = NULL;
  g_autoptr(GArray) ranked = NULL;
  guint64 audience_n = 0;
  gint64 audience = 0;
  gint64 n_intended = 0;
  gint64 first_due;
  const char *state;

  if (!_tc_db_begin (db, error))
    return NULL;

  campaign = _tc_db_campaign_load (db, job->id, error);
  if (campaign == NULL)
    goto fail;

  /* Started already: nothing changes, nobody is added. */
  if (tc_campaign_get_state (campaign) != TC_CAMPAIGN_DRAFT)
    {
      _tc_db_rollback (db);
      if (tc_campaign_get_state (campaign) == TC_CAMPAIGN_CANCELLED)
        {
          state_error (error, campaign, "be sent again");
          return NULL;
        }
      job->audience_size = tc_campaign_get_audience_size (campaign);
      return GINT_TO_POINTER (1);
    }

  if (!pin_templates (db, campaign, error) ||
      !sample_audience (db, campaign, job->now, G_MAXUINT, &audience_n, &ranked, cancellable, error) ||
      !insert_recipients (db, campaign, ranked, &n_intended, &group_counts, error))
    goto fail;
  audience = (gint64) audience_n;

  first_due = tc_campaign_get_schedule (campaign) == TC_CAMPAIGN_SCHEDULE_AT
              ? tc_campaign_get_send_at (campaign) : job->now;
  state = first_due > job->now ? "scheduled" : "sending";
  variants = _tc_campaign_variants_json (campaign);

  {
    sqlite3_stmt *stmt = _tc_db_prepare (db,
                                         "UPDATE campaigns SET state = ?2, phase = 'assigned', variants = ?3,"
                                         " audience_size = ?4, started_at = ?5, updated_at = ?5,"
                                         " n_intended = ?6, group_counts = ?7 WHERE id = ?1",
                                         error);
    int rc;

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, job->id);
    sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, variants, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 4, audience);
    sqlite3_bind_int64 (stmt, 5, job->now);
    sqlite3_bind_int64 (stmt, 6, n_intended);
    sqlite3_bind_text (stmt, 7, group_counts, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      {
        _tc_db_set_error (db, error, "Cannot start the campaign");
        goto fail;
      }
  }

  if (!_tc_db_commit (db, error))
    goto fail;

  job->audience_size = (guint) audience;
  return GINT_TO_POINTER (1);

fail:
  _tc_db_rollback (db);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Queue: compose, gate and enqueue the next recipients
 */

typedef struct
{
  TcComposer *primary;
  TcComposer *fallback;   /* whatsapp+sms */
  char       *origin;
} VariantSend;

typedef struct
{
  TcDb          *db;
  TcCampaign    *campaign;
  TcGatePolicy  *policy;
  char          *short_domain;
  VariantSend    variants[TC_CAMPAIGN_MAX_VARIANTS];
  gint64         now;
  guint          index;      /* recipients queued before this one */
  gboolean       immediate;  /* a test send: now, whatever the schedule */
} QueueContext;

static void
queue_context_clear (QueueContext *ctx)
{
  for (guint i = 0; i < TC_CAMPAIGN_MAX_VARIANTS; i++)
    {
      g_clear_pointer (&ctx->variants[i].primary, tc_composer_free);
      g_clear_pointer (&ctx->variants[i].fallback, tc_composer_free);
      g_clear_pointer (&ctx->variants[i].origin, g_free);
    }
  g_clear_pointer (&ctx->policy, tc_gate_policy_free);
  g_clear_pointer (&ctx->short_domain, g_free);
}

static TcComposer *
make_composer (TcDb        *db,
               TcCampaign  *campaign,
               GHashTable  *settings,
               gint64       template_id,
               int          version,
               TcChannel    channel,
               const char  *label,
               gboolean     shorten,
               GError     **error)
{
  g_autoptr(TcTemplate) template = _tc_db_template_load (db, template_id, version, error);
  g_autofree char *slug = NULL;
  TcUtmParams utm = { 0, };
  TcComposeOptions options = { 0, };

  if (template == NULL)
    return NULL;

  slug = tc_links_slugify (tc_campaign_get_name (campaign));
  utm.source = tc_links_default_source (channel);
  utm.medium = tc_links_default_medium (channel);
  utm.campaign = slug;
  utm.content = label;

  options.brand = g_hash_table_lookup (settings, TC_SETTING_BRAND_NAME);
  options.purpose = tc_campaign_get_purpose (campaign);
  options.utm = &utm;
  options.short_domain = g_hash_table_lookup (settings, TC_SETTING_SHORT_LINK_DOMAIN);
  options.alloc_link = shorten ? _tc_short_link_alloc : NULL;

  return tc_composer_new (template, &options, error);
}

/* @shorten: links become tracked short links (stored); FALSE for a
 * pre-flight, which writes nothing. */
static gboolean
queue_context_init (QueueContext  *ctx,
                    TcDb          *db,
                    TcCampaign    *campaign,
                    gint64         now,
                    gboolean       shorten,
                    GError       **error)
{
  g_autoptr(GHashTable) settings = _tc_db_gate_load_settings (db, error);
  TcChannel primary = tc_campaign_get_channel (campaign) == TC_CAMPAIGN_CHANNEL_SMS
                      ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP;

  ctx->db = db;
  ctx->campaign = campaign;
  ctx->now = now;
  ctx->index = tc_campaign_get_n_queued (campaign);
  if (settings == NULL)
    return FALSE;
  ctx->policy = tc_gate_policy_new_from_settings (settings, error);
  if (ctx->policy == NULL)
    return FALSE;
  ctx->short_domain = g_strdup (g_hash_table_lookup (settings, TC_SETTING_SHORT_LINK_DOMAIN));

  for (guint i = 0; i < tc_campaign_get_n_variants (campaign); i++)
    {
      const TcCampaignVariant *variant = tc_campaign_get_variant (campaign, i);

      ctx->variants[i].origin = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":%s",
                                                 tc_campaign_get_id (campaign), variant->label);
      ctx->variants[i].primary = make_composer (db, campaign, settings, variant->template_id,
                                                variant->template_version, primary, variant->label,
                                                shorten, error);
      if (ctx->variants[i].primary == NULL)
        return FALSE;
      if (variant->fallback_id != 0)
        {
          ctx->variants[i].fallback = make_composer (db, campaign, settings, variant->fallback_id,
                                                     variant->fallback_version, TC_CHANNEL_SMS,
                                                     variant->label, shorten, error);
          if (ctx->variants[i].fallback == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

/* When the recipient's message is due, before the gate: the schedule,
 * then the throttle and the daily cap by queue position. */
static gint64
due_time (QueueContext *ctx,
          TcContact    *contact)
{
  TcCampaign *campaign = ctx->campaign;
  guint per_minute = tc_campaign_get_throttle_per_minute (campaign);
  guint daily_cap = tc_campaign_get_daily_cap (campaign);
  gint64 due = ctx->now;

  if (ctx->immediate)
    return ctx->now;

  switch (tc_campaign_get_schedule (campaign))
    {
    case TC_CAMPAIGN_SCHEDULE_AT:
      due = MAX (ctx->now, tc_campaign_get_send_at (campaign));
      break;

    case TC_CAMPAIGN_SCHEDULE_LOCAL_TIME:
      {
        const char * const *zones = tc_contact_get_timezones (contact);
        g_auto(GStrv) derived = NULL;
        gint64 from = MAX (ctx->now, tc_campaign_get_send_at (campaign));
        gint64 local;

        if (zones == NULL || zones[0] == NULL)
          {
            g_autoptr(TcPhoneInfo) info = tc_phone_parse (tc_contact_get_phone (contact), "US",
                                                          TC_PHONE_PARSE_ALL, NULL);

            if (info != NULL && info->timezones != NULL)
              derived = g_strdupv (info->timezones);
            zones = (const char * const *) derived;
          }
        local = tc_campaign_next_local_time (tc_campaign_get_local_time (campaign), zones, from);
        /* No zone known: the campaign's own time, read in UTC. */
        if (local == 0)
          {
            const char *utc[] = { "UTC", NULL };

            local = tc_campaign_next_local_time (tc_campaign_get_local_time (campaign), utc, from);
          }
        due = local;
      }
      break;

    case TC_CAMPAIGN_SCHEDULE_NOW:
    default:
      break;
    }

  if (per_minute > 0)
    due += (gint64) ctx->index * 60 / per_minute;
  if (daily_cap > 0)
    due += (gint64) (ctx->index / daily_cap) * 24 * 60 * 60;

  return due;
}

static gboolean
outbox_id_for_key (TcDb        *db,
                   const char  *idem_key,
                   gint64      *id,
                   GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db, "SELECT id FROM outbox WHERE idem_key = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, idem_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _tc_db_set_error (db, error, "Cannot find the queued message");

  return TRUE;
}

/* Records that the recipient is queued (@outbox_id), or that nothing
 * will be (0). */
static gboolean
set_outbox_id (TcDb     *db,
               gint64    campaign_id,
               gint64    contact_id,
               gint64    outbox_id,
               GError  **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db,
                                       "UPDATE campaign_recipients SET outbox_id = ?3"
                                       " WHERE campaign_id = ?1 AND contact_id = ?2",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  sqlite3_bind_int64 (stmt, 3, outbox_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot record the queued message");

  return TRUE;
}

/* Whether a WhatsApp skip is one SMS can answer for "whatsapp+sms". */
static gboolean
falls_back_to_sms (TcGateReason reason)
{
  return reason == TC_GATE_REASON_OPTED_OUT ||
         reason == TC_GATE_REASON_NO_CONSENT ||
         reason == TC_GATE_REASON_WA_MARKETING_US ||
         reason == TC_GATE_REASON_WA_TEMPLATE_REQUIRED ||
         reason == TC_GATE_REASON_WA_TEMPLATE_NOT_APPROVED;
}

static gboolean
compose_and_gate (QueueContext   *ctx,
                  TcComposer     *composer,
                  TcChannel       channel,
                  TcContact      *contact,
                  const char     *origin,
                  gint64          due,
                  TcComposed     *composed,
                  TcGateDecision *decision,
                  GError        **error)
{
  TcShortLinkTarget target = { ctx->db, tc_contact_get_id (contact), origin };
  TcGateQuery query = { 0, };

  if (!tc_composer_compose (composer, contact, tc_contact_get_phone (contact), &target, composed, error))
    return FALSE;

  query.phone = tc_contact_get_phone (contact);
  query.channel = channel;
  query.purpose = tc_campaign_get_purpose (ctx->campaign);
  query.content = composed->content;
  query.wa_category = composed->category;
  query.template_approved = composed->approved;
  query.sender_id = tc_campaign_get_sender (ctx->campaign, channel);
  query.now = due;

  return _tc_db_gate_check (ctx->db, ctx->policy, &query, decision, error);
}

/* What would go to @contact: the channel, the message and the gate's
 * decision at its due time (with "whatsapp+sms", SMS for those WhatsApp
 * may not reach). A message that cannot be made for this person (a
 * template that does not render) is a skip with reason NONE; only a
 * database failure is an error. */
typedef struct
{
  TcChannel       channel;
  gint64          due;
  TcComposed      composed;
  TcGateDecision  decision;
} Plan;

static void
plan_clear (Plan *plan)
{
  tc_composed_clear (&plan->composed);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static gboolean
plan_message (QueueContext  *ctx,
              VariantSend   *variant,
              TcContact     *contact,
              Plan          *plan,
              GError       **error)
{
  TcCampaign *campaign = ctx->campaign;
  g_autoptr(GError) local_error = NULL;

  plan->due = due_time (ctx, contact);
  plan->channel = tc_campaign_get_channel (campaign) == TC_CAMPAIGN_CHANNEL_SMS
                  ? TC_CHANNEL_SMS : TC_CHANNEL_WHATSAPP;
  if (compose_and_gate (ctx, variant->primary, plan->channel, contact, variant->origin, plan->due,
                        &plan->composed, &plan->decision, &local_error) &&
      variant->fallback != NULL && plan->decision.decision == TC_GATE_SKIP &&
      falls_back_to_sms (plan->decision.reason))
    {
      plan->channel = TC_CHANNEL_SMS;
      compose_and_gate (ctx, variant->fallback, plan->channel, contact, variant->origin, plan->due,
                        &plan->composed, &plan->decision, &local_error);
    }
  if (local_error != NULL)
    {
      if (local_error->domain == TC_DB_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Campaign %" G_GINT64_FORMAT ", contact %" G_GINT64_FORMAT ": %s",
               tc_campaign_get_id (campaign), tc_contact_get_id (contact), local_error->message);
      tc_composed_clear (&plan->composed);
      plan->decision.decision = TC_GATE_SKIP;
      plan->decision.reason = TC_GATE_REASON_NONE;
    }

  /* No time within two weeks is allowed in every zone: nothing to queue. */
  if (plan->decision.decision == TC_GATE_DEFER && plan->decision.until == 0)
    plan->decision.decision = TC_GATE_SKIP;

  return TRUE;
}

static const char *
plan_reason (const Plan *plan)
{
  if (plan->decision.decision == TC_GATE_SEND)
    return NULL;
  return plan->decision.reason != TC_GATE_REASON_NONE
         ? tc_gate_reason_to_string (plan->decision.reason) : TC_CAMPAIGN_REASON_MESSAGE_ERROR;
}

static gboolean
queue_one (QueueContext  *ctx,
           gint64         contact_id,
           const char    *label,
           GError       **error)
{
  TcCampaign *campaign = ctx->campaign;
  g_autoptr(TcContact) contact = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Plan) plan = { 0, };
  g_autofree char *idem_key = NULL;
  TcOutboxRow row = { 0, };
  VariantSend *variant;
  gint64 outbox_id = 0;
  gboolean inserted;
  guint v = (guint) (label[0] - 'A');

  g_assert (v < tc_campaign_get_n_variants (campaign));
  variant = &ctx->variants[v];

  contact = _tc_db_load_contact (ctx->db, contact_id, &local_error);
  if (contact == NULL)
    {
      if (!g_error_matches (local_error, TC_DB_ERROR, TC_DB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Gone since the audience was frozen (deleted): nothing to send. */
      return set_outbox_id (ctx->db, tc_campaign_get_id (campaign), contact_id, 0, error);
    }

  if (!plan_message (ctx, variant, contact, &plan, error))
    return FALSE;

  idem_key = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                              tc_campaign_get_id (campaign), contact_id);
  row.idem_key = idem_key;
  row.origin = variant->origin;
  row.contact_id = contact_id;
  row.phone = tc_contact_get_phone (contact);
  row.channel = plan.channel;
  row.purpose = tc_campaign_get_purpose (campaign);
  row.body = plan.composed.body != NULL ? plan.composed.body : "";
  row.wa_template = plan.composed.wa_template;
  row.media_url = plan.composed.media_url;
  row.sender_id = tc_campaign_get_sender (campaign, plan.channel);
  row.due_at = plan.due;
  row.reason = plan_reason (&plan);
  switch (plan.decision.decision)
    {
    case TC_GATE_SEND:
      row.state = TC_OUTBOX_QUEUED;
      break;
    case TC_GATE_DEFER:
      row.state = TC_OUTBOX_DEFERRED;
      row.due_at = plan.decision.until;
      break;
    case TC_GATE_SKIP:
    default:
      row.state = TC_OUTBOX_SKIPPED;
      break;
    }

  if (!_tc_db_outbox_enqueue (ctx->db, &row, ctx->now, &inserted, error) ||
      !outbox_id_for_key (ctx->db, idem_key, &outbox_id, error))
    return FALSE;
  ctx->index++;

  return set_outbox_id (ctx->db, tc_campaign_get_id (campaign), contact_id, outbox_id, error);
}

static gpointer
queue_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  SendJob *job = job_data;
  g_autoptr(TcCampaign) campaign = NULL;
  g_autoptr(GArray) contacts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  QueueContext ctx = { 0, };
  sqlite3_stmt *stmt;
  gboolean scheduled;
  guint n_done;
  int rc;

  if (!_tc_db_begin (db, error))
    return NULL;

  campaign = _tc_db_campaign_load (db, job->id, error);
  if (campaign == NULL)
    goto fail;

  scheduled = tc_campaign_get_state (campaign) == TC_CAMPAIGN_SCHEDULED;
  if ((tc_campaign_get_state (campaign) != TC_CAMPAIGN_SENDING && !scheduled) ||
      g_strcmp0 (_tc_campaign_get_phase (campaign), "assigned") != 0)
    {
      /* Paused, cancelled, finished, or not started: nothing to queue. */
      _tc_db_rollback (db);
      if (tc_campaign_get_state (campaign) == TC_CAMPAIGN_DRAFT)
        {
          state_error (error, campaign, "be queued before it is started");
          return NULL;
        }
      return GINT_TO_POINTER (1);
    }

  stmt = _tc_db_prepare (db,
                         "SELECT contact_id, variant FROM campaign_recipients"
                         " WHERE campaign_id = ?1 AND outbox_id IS NULL ORDER BY rank LIMIT ?2",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_int64 (stmt, 2, job->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 contact_id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (contacts, contact_id);
      g_ptr_array_add (labels, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot read the campaign's recipients");
      goto fail;
    }

  if (contacts->len > 0 && !queue_context_init (&ctx, db, campaign, job->now, TRUE, error))
    goto fail;
  for (guint i = 0; i < contacts->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (!queue_one (&ctx, g_array_index (contacts, gint64, i), g_ptr_array_index (labels, i), error))
        {
          g_prefix_error (error, "Campaign %" G_GINT64_FORMAT ", contact %" G_GINT64_FORMAT ": ",
                          job->id, g_array_index (contacts, gint64, i));
          goto fail;
        }
    }

  n_done = tc_campaign_get_n_queued (campaign) + contacts->len;
  job->n_queued = contacts->len;
  job->n_left = n_done < tc_campaign_get_n_intended (campaign)
                ? tc_campaign_get_n_intended (campaign) - n_done : 0;

  stmt = _tc_db_prepare (db,
                         "UPDATE campaigns SET n_queued = ?2, updated_at = ?3,"
                         " phase = CASE WHEN NOT ?4 THEN phase"
                         "  WHEN test_percent > 0 AND winner = '' THEN 'testing' ELSE 'queued' END,"
                         " state = CASE WHEN state = 'scheduled' AND ?5 THEN 'sending' ELSE state END"
                         " WHERE id = ?1",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_int64 (stmt, 2, n_done);
  sqlite3_bind_int64 (stmt, 3, job->now);
  /* Fewer than asked for: nobody is left. */
  sqlite3_bind_int (stmt, 4, contacts->len < job->limit);
  sqlite3_bind_int (stmt, 5, tc_campaign_get_schedule (campaign) != TC_CAMPAIGN_SCHEDULE_AT ||
                             tc_campaign_get_send_at (campaign) <= job->now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot update the campaign");
      goto fail;
    }
  if (contacts->len < job->limit)
    job->n_left = 0;

  if (!_tc_db_commit (db, error))
    goto fail;
  queue_context_clear (&ctx);
  return GINT_TO_POINTER (1);

fail:
  queue_context_clear (&ctx);
  _tc_db_rollback (db);
  return NULL;
}

/* ------------------------------------------------------------------------
 * Pause, resume, cancel, finish
 */

/* Moves the campaign's outbox rows in @from_states to @to (with @reason),
 * each with its history event. The origin range "campaign:ID:" up to
 * "campaign:ID;" is every variant's. */
static gboolean
move_rows (TcDb        *db,
           gint64       id,
           const char  *from_states,
           const char  *to,
           const char  *reason,
           const char  *detail,
           gint64       now,
           GError     **error)
{
  g_autofree char *low = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":", id);
  g_autofree char *high = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ";", id);
  g_autofree char *history = NULL;
  g_autofree char *before = NULL;
  g_autofree char *update = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* @from_states is one of the constant lists below, never outside input.
   * The campaign counters (tc-campaign-counts.h): the rows uncounted as
   * they are, then counted as the UPDATE leaves them (RETURNING). */
  history = g_strdup_printf ("INSERT INTO outbox_events (outbox_id, state, at, detail)"
                             " SELECT id, ?3, ?4, ?5 FROM outbox"
                             " WHERE origin >= ?1 AND origin < ?2 AND state IN (%s)", from_states);
  before = g_strdup_printf ("SELECT " TC_COUNTED_COLUMNS " FROM outbox INDEXED BY outbox_origin"
                            " WHERE origin >= ?1 AND origin < ?2 AND state IN (%s)", from_states);
  update = g_strdup_printf ("UPDATE outbox SET state = ?3, reason = ?6, updated_at = ?4"
                            " WHERE origin >= ?1 AND origin < ?2 AND state IN (%s)"
                            " RETURNING " TC_COUNTED_COLUMNS, from_states);

  for (guint i = 0; i < 3; i++)
    {
      stmt = _tc_db_prepare (db, i == 0 ? history : i == 1 ? before : update, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
      if (i != 1)
        {
          sqlite3_bind_text (stmt, 3, to, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, now);
        }
      if (i == 0)
        sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_STATIC);
      else if (i == 2)
        sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
      if (i > 0)
        {
          if (!_tc_campaign_counts_add_rows (db, stmt, i == 1 ? -1 : +1,
                                             "Cannot change the campaign's messages", error))
            return FALSE;
          continue;
        }
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return _tc_db_set_error (db, error, "Cannot change the campaign's messages");
    }

  return TRUE;
}

static gboolean
set_state (TcDb        *db,
           gint64       id,
           const char  *state,
           gboolean     finished,
           gint64       now,
           GError     **error)
{
  sqlite3_stmt *stmt = _tc_db_prepare (db,
                                       "UPDATE campaigns SET state = ?2, updated_at = ?3,"
                                       " finished_at = CASE WHEN ?4 THEN ?3 ELSE finished_at END"
                                       " WHERE id = ?1",
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int (stmt, 4, finished);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot change the campaign");

  return TRUE;
}

static gpointer
act_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  SendJob *job = job_data;
  g_autoptr(TcCampaign) campaign = NULL;
  TcCampaignState state;
  gboolean ok;

  if (!_tc_db_begin (db, error))
    return NULL;
  campaign = _tc_db_campaign_load (db, job->id, error);
  if (campaign == NULL)
    goto fail;
  state = tc_campaign_get_state (campaign);

  switch ((TcCampaignAction) job->action)
    {
    case TC_CAMPAIGN_PAUSE:
      if (state == TC_CAMPAIGN_PAUSED)
        break;
      if (state != TC_CAMPAIGN_SENDING && state != TC_CAMPAIGN_SCHEDULED)
        {
          state_error (error, campaign, "be paused");
          goto fail;
        }
      ok = move_rows (db, job->id, "'queued', 'deferred'", "paused", "", "campaign paused", job->now, error) &&
           set_state (db, job->id, "paused", FALSE, job->now, error);
      if (!ok)
        goto fail;
      break;

    case TC_CAMPAIGN_RESUME:
      if (state == TC_CAMPAIGN_SENDING || state == TC_CAMPAIGN_SCHEDULED)
        break;
      if (state != TC_CAMPAIGN_PAUSED)
        {
          state_error (error, campaign, "be resumed");
          goto fail;
        }
      /* Waiting again for their own due time. */
      ok = move_rows (db, job->id, "'paused'", "deferred", "", "campaign resumed", job->now, error) &&
           set_state (db, job->id,
                      tc_campaign_get_schedule (campaign) == TC_CAMPAIGN_SCHEDULE_AT &&
                      tc_campaign_get_send_at (campaign) > job->now ? "scheduled" : "sending",
                      FALSE, job->now, error);
      if (!ok)
        goto fail;
      break;

    case TC_CAMPAIGN_CANCEL:
      if (state == TC_CAMPAIGN_CANCELLED)
        break;
      if (state == TC_CAMPAIGN_DRAFT || state == TC_CAMPAIGN_SENT)
        {
          state_error (error, campaign, "be cancelled");
          goto fail;
        }
      ok = move_rows (db, job->id, "'queued', 'deferred', 'paused'", "skipped", "cancelled",
                      "campaign cancelled", job->now, error) &&
           set_state (db, job->id, "cancelled", TRUE, job->now, error);
      if (!ok)
        goto fail;
      break;

    default:
      g_assert_not_reached ();
    }

  if (!_tc_db_commit (db, error))
    goto fail;
  return GINT_TO_POINTER (1);

fail:
  _tc_db_rollback (db);
  return NULL;
}

static gpointer
finished_job (TcDb          *db,
              gpointer       job_data,
              GCancellable  *cancellable,
              GError       **error)
{
  SendJob *job = job_data;
  g_autoptr(TcCampaign) campaign = NULL;
  g_autofree char *low = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ":", job->id);
  g_autofree char *high = g_strdup_printf ("campaign:%" G_GINT64_FORMAT ";", job->id);
  sqlite3_stmt *stmt;
  gboolean waiting;
  int rc;

  campaign = _tc_db_campaign_load (db, job->id, error);
  if (campaign == NULL)
    return NULL;
  job->finished = tc_campaign_get_state (campaign) == TC_CAMPAIGN_SENT;
  if (tc_campaign_get_state (campaign) != TC_CAMPAIGN_SENDING ||
      g_strcmp0 (_tc_campaign_get_phase (campaign), "queued") != 0)
    return GINT_TO_POINTER (1);

  stmt = _tc_db_prepare (db,
                         "SELECT EXISTS (SELECT 1 FROM outbox WHERE origin >= ?1 AND origin < ?2"
                         " AND state IN ('queued', 'deferred', 'sending', 'paused'))",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, high, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  waiting = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _tc_db_set_error (db, error, "Cannot look at the campaign's messages");
      return NULL;
    }
  if (waiting)
    return GINT_TO_POINTER (1);

  if (!_tc_db_begin (db, error))
    return NULL;
  stmt = _tc_db_prepare (db,
                         "UPDATE campaigns SET state = 'sent', finished_at = ?2, updated_at = ?2"
                         " WHERE id = ?1 AND state = 'sending'",
                         error);
  if (stmt == NULL)
    {
      _tc_db_rollback (db);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_int64 (stmt, 2, job->now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot mark the campaign sent");
      _tc_db_rollback (db);
      return NULL;
    }
  if (!_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      return NULL;
    }
  job->finished = TRUE;

  return GINT_TO_POINTER (1);
}

/* ------------------------------------------------------------------------
 * The winner of a test portion
 */

double
tc_campaign_metric_value (TcCampaignMetric         metric,
                          const TcCampaignFigures *figures)
{
  double per = figures->intended > 0 ? (double) figures->intended : 1.0;

  switch (metric)
    {
    case TC_CAMPAIGN_METRIC_DELIVERY_RATE:
      return figures->delivered / per;
    case TC_CAMPAIGN_METRIC_CLICKS:
      return figures->unique_clicks / per;
    case TC_CAMPAIGN_METRIC_REPLIES:
      return figures->replies / per;
    case TC_CAMPAIGN_METRIC_CONVERSIONS:
      return figures->conversions / per;
    case TC_CAMPAIGN_METRIC_REVENUE:
      return figures->revenue / per;
    default:
      g_return_val_if_reached (0);
    }
}

typedef struct
{
  gint64    id;
  gint64    now;
  char     *winner;     /* result: the label, or NULL when not chosen (yet) */
  gint64    due_at;     /* result: when it can be chosen */
} WinnerJob;

static void
winner_job_free (WinnerJob *job)
{
  g_free (job->winner);
  g_free (job);
}

static gpointer
winner_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  WinnerJob *job = job_data;
  g_autoptr(TcCampaign) campaign = _tc_db_campaign_load (db, job->id, error);
  g_autoptr(TcCampaignReport) report = NULL;
  g_autoptr(GString) counts = NULL;
  TcCampaignMetric metric;
  guint after_hours;
  const char *best = NULL;
  double best_value = -1;
  sqlite3_stmt *stmt;
  int rc;

  if (campaign == NULL)
    return NULL;
  if (!tc_campaign_get_winner_rule (campaign, &metric, &after_hours))
    {
      g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE,
                   "Campaign %" G_GINT64_FORMAT " has no test portion: every variant goes to its share",
                   job->id);
      return NULL;
    }
  if (tc_campaign_get_winner (campaign)[0] != '\0')
    {
      job->winner = g_strdup (tc_campaign_get_winner (campaign));
      return GINT_TO_POINTER (1);
    }
  job->due_at = tc_campaign_get_started_at (campaign) + (gint64) after_hours * 3600;
  if (g_strcmp0 (_tc_campaign_get_phase (campaign), "testing") != 0 || job->now < job->due_at ||
      tc_campaign_get_state (campaign) != TC_CAMPAIGN_SENDING)
    return GINT_TO_POINTER (1);

  report = _tc_db_campaign_report (db, job->id, TC_CAMPAIGN_GROUP_VARIANT, NULL, error);
  if (report == NULL)
    return NULL;
  /* The best per recipient it was meant for; a tie goes to the first. */
  for (guint i = 0; i < tc_campaign_get_n_variants (campaign); i++)
    {
      const char *label = tc_campaign_get_variant (campaign, i)->label;

      for (guint v = 0; v < report->variants->len; v++)
        {
          const TcCampaignFigures *figures = g_ptr_array_index (report->variants, v);
          double value;

          if (strcmp (figures->key, label) != 0)
            continue;
          value = tc_campaign_metric_value (metric, figures);
          if (value > best_value)
            {
              best = label;
              best_value = value;
            }
        }
    }
  if (best == NULL)
    best = tc_campaign_get_variant (campaign, 0)->label;

  if (!_tc_db_begin (db, error))
    return NULL;
  stmt = _tc_db_prepare (db,
                         "UPDATE campaign_recipients SET variant = ?2, outbox_id = NULL"
                         " WHERE campaign_id = ?1 AND variant = '" REST "'",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_text (stmt, 2, best, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot give the rest the winning variant");
      goto fail;
    }

  /* The audience per group again, the rest now in the winner's. */
  counts = g_string_new ("{");
  stmt = _tc_db_prepare (db,
                         "SELECT variant, count(*) FROM campaign_recipients WHERE campaign_id = ?1"
                         " GROUP BY variant ORDER BY variant",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (counts, "%s\"%s\":%" G_GINT64_FORMAT, counts->len > 1 ? "," : "",
                            (const char *) sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot count the campaign's audience");
      goto fail;
    }
  g_string_append_c (counts, '}');

  stmt = _tc_db_prepare (db,
                         "UPDATE campaigns SET winner = ?2, phase = 'assigned', group_counts = ?3,"
                         " n_intended = (SELECT count(*) FROM campaign_recipients"
                         "  WHERE campaign_id = ?1 AND variant <> '" HOLDOUT "'),"
                         " updated_at = ?4 WHERE id = ?1",
                         error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_text (stmt, 2, best, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, counts->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, job->now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot record the winner");
      goto fail;
    }
  if (!_tc_db_commit (db, error))
    goto fail;

  job->winner = g_strdup (best);
  return GINT_TO_POINTER (1);

fail:
  _tc_db_rollback (db);
  return NULL;
}

static void
on_winner_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tc_campaign_pick_winner_async (TcRepository        *repository,
                               gint64               id,
                               gint64               now,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WinnerJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_campaign_pick_winner_async);
  job = g_new0 (WinnerJob, 1);
  job->id = id;
  job->now = now != 0 ? now : now_unix ();
  g_task_set_task_data (task, job, (GDestroyNotify) winner_job_free);
  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, winner_job, job, NULL, NULL, FALSE,
                                 cancellable, on_winner_done_cb, g_steal_pointer (&task));
}

gboolean
tc_campaign_pick_winner_finish (TcRepository  *repository,
                                GAsyncResult  *result,
                                char         **winner,
                                gint64        *due_at,
                                GError       **error)
{
  WinnerJob *job;

  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (winner != NULL)
    *winner = g_steal_pointer (&job->winner);
  if (due_at != NULL)
    *due_at = job->due_at;

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Pre-flight
 */

void
tc_campaign_preflight_free (TcCampaignPreflight *preflight)
{
  if (preflight == NULL)
    return;
  g_hash_table_unref (preflight->skipped);
  g_hash_table_unref (preflight->deferred);
  g_hash_table_unref (preflight->segments);
  g_ptr_array_unref (preflight->costs);
  g_ptr_array_unref (preflight->warnings);
  g_free (preflight);
}

static void
warning_free (TcPreflightWarning *warning)
{
  g_free (warning->code);
  g_free (warning->message);
  g_free (warning);
}

static void
add_warning (TcCampaignPreflight *preflight,
             const char          *code,
             char                *message)
{
  TcPreflightWarning *warning = g_new0 (TcPreflightWarning, 1);

  warning->code = g_strdup (code);
  warning->message = message;
  g_ptr_array_add (preflight->warnings, warning);
}

static void
tally (GHashTable *table,
       const char *key,
       double      n)
{
  double *count = g_hash_table_lookup (table, key);

  if (count == NULL)
    {
      count = g_new0 (double, 1);
      g_hash_table_insert (table, g_strdup (key), count);
    }
  *count += n;
}

static TcPreflightCost *
cost_for (GHashTable *costs,
          const char *country,
          TcChannel   channel)
{
  g_autofree char *key = g_strdup_printf ("%s %s", country, tc_channel_to_string (channel));
  TcPreflightCost *cost = g_hash_table_lookup (costs, key);

  if (cost == NULL)
    {
      cost = g_new0 (TcPreflightCost, 1);
      g_strlcpy (cost->country, country, sizeof cost->country);
      cost->channel = channel;
      g_hash_table_insert (costs, g_steal_pointer (&key), cost);
    }
  return cost;
}

static int
compare_costs (gconstpointer a,
               gconstpointer b)
{
  const TcPreflightCost *x = *(TcPreflightCost * const *) a;
  const TcPreflightCost *y = *(TcPreflightCost * const *) b;
  int by_country = strcmp (x->country, y->country);

  return by_country != 0 ? by_country : (int) x->channel - (int) y->channel;
}

/* Scaled counts (rounded) into a reason → count table. */
static GHashTable *
scaled (GHashTable *tallies,
        double      factor)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (counts, g_strdup (key),
                         GSIZE_TO_POINTER ((gsize) (*(double *) value * factor + 0.5)));
  return counts;
}

typedef struct
{
  gint64 id;
  gint64 now;
} PreflightJob;

static gpointer
preflight_job (TcDb          *db,
               gpointer       job_data,
               GCancellable  *cancellable,
               GError       **error)
{
  PreflightJob *job = job_data;
  g_autoptr(TcCampaign) campaign = _tc_db_campaign_load (db, job->id, error);
  g_autoptr(TcCampaignPreflight) preflight = NULL;
  g_autoptr(GArray) sample = NULL;
  g_autoptr(GHashTable) skipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) deferred = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) segments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) costs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  double weights[TC_CAMPAIGN_MAX_VARIANTS + 1] = { 0, };
  guint counts[TC_CAMPAIGN_MAX_VARIANTS + 1] = { 0, };
  guint sample_counts[TC_CAMPAIGN_MAX_VARIANTS + 1] = { 0, };
  guint n_variants, sample_intended = 0, n_unapproved = 0, n_links = 0;
  double holdout, factor, send = 0;
  QueueContext ctx = { 0, };
  guint64 n = 0;

  if (campaign == NULL)
    return NULL;

  preflight = g_new0 (TcCampaignPreflight, 1);
  preflight->campaign_id = job->id;
  preflight->costs = g_ptr_array_new_with_free_func (g_free);
  preflight->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) warning_free);

  /* A draft names its templates; what they say now is what would go. */
  if (tc_campaign_get_state (campaign) == TC_CAMPAIGN_DRAFT && !pin_templates (db, campaign, error))
    return NULL;
  if (!sample_audience (db, campaign, job->now, TC_CAMPAIGN_PREFLIGHT_SAMPLE, &n, &sample,
                        cancellable, error))
    return NULL;

  /* The split of the whole audience, exactly as sending would make it. */
  n_variants = tc_campaign_get_n_variants (campaign);
  holdout = tc_campaign_get_holdout_percent (campaign) / 100.0;
  for (guint i = 0; i < n_variants; i++)
    weights[i] = (1.0 - holdout) * tc_campaign_get_variant (campaign, i)->percent / 100.0;
  weights[n_variants] = holdout;
  for (guint64 k = 0; k < n; k++)
    tc_campaign_pick_group (weights, counts, n_variants + 1, k);
  preflight->audience = n;
  preflight->holdout = counts[n_variants];
  preflight->intended = n - counts[n_variants];

  if (sample->len > 0 && !queue_context_init (&ctx, db, campaign, job->now, FALSE, error))
    {
      queue_context_clear (&ctx);
      return NULL;
    }

  for (guint i = 0; i < sample->len; i++)
    {
      gint64 contact_id = g_array_index (sample, Ranked, i).contact_id;
      guint group = tc_campaign_pick_group (weights, sample_counts, n_variants + 1, i);
      g_autoptr(TcContact) contact = NULL;
      g_auto(Plan) plan = { 0, };

      if (group == n_variants)
        continue;
      sample_intended++;
      ctx.index = i;

      contact = _tc_db_load_contact (db, contact_id, error);
      if (contact == NULL || !plan_message (&ctx, &ctx.variants[group], contact, &plan, error))
        {
          queue_context_clear (&ctx);
          return NULL;
        }

      if (plan.decision.decision == TC_GATE_SKIP)
        {
          tally (skipped, plan_reason (&plan), 1);
          continue;
        }
      if (plan.decision.decision == TC_GATE_DEFER)
        tally (deferred, plan_reason (&plan), 1);
      else
        send++;

      {
        g_autofree char *country = tc_prices_country_for_phone (tc_contact_get_phone (contact));
        TcPreflightCost *cost = cost_for (costs, country, plan.channel);
        guint n_segments = 1;
        double one = 0;
        g_autoptr(GError) price_error = NULL;

        if (plan.channel == TC_CHANNEL_SMS && plan.composed.body != NULL)
          {
            g_autofree char *preview = tc_links_preview_text (plan.composed.body, ctx.short_domain);
            g_autofree char *key = NULL;
            TcSmsCount count;

            tc_sms_count (preview, -1, &count);
            n_segments = MAX (count.segments, 1);
            key = g_strdup_printf ("%u", n_segments);
            tally (segments, key, 1);
            {
              g_autoptr(GArray) links = tc_links_find (plan.composed.body);

              if (links->len > 0)
                n_links++;
            }
          }
        if (plan.channel == TC_CHANNEL_WHATSAPP && !plan.composed.approved)
          n_unapproved++;
        if (!_tc_db_price_message (db, tc_contact_get_phone (contact), plan.channel,
                                   tc_campaign_get_purpose (campaign), plan.composed.wa_template,
                                   NULL, n_segments, &one, &price_error))
          {
            if (!g_error_matches (price_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
              {
                g_propagate_error (error, g_steal_pointer (&price_error));
                queue_context_clear (&ctx);
                return NULL;
              }
            one = 0;
          }
        cost->messages++;
        cost->cost += one;
      }
    }
  queue_context_clear (&ctx);

  factor = sample_intended > 0 ? (double) preflight->intended / sample_intended : 0;
  preflight->sample = sample_intended;
  preflight->estimated = sample_intended < preflight->intended;
  preflight->send = (guint64) (send * factor + 0.5);
  preflight->skipped = scaled (skipped, factor);
  preflight->deferred = scaled (deferred, factor);
  preflight->segments = scaled (segments, factor);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, costs);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        TcPreflightCost *cost = value;

        cost->messages = (guint64) (cost->messages * factor + 0.5);
        cost->cost *= factor;
        preflight->cost += cost->cost;
        g_ptr_array_add (preflight->costs, g_memdup2 (cost, sizeof *cost));
      }
    g_ptr_array_sort (preflight->costs, compare_costs);
  }

  /* What a careful marketer would want to hear before pressing Send. */
  if (g_hash_table_contains (preflight->skipped, "sender_transactional"))
    add_warning (preflight, "sender_transactional",
                 g_strdup ("A promotional campaign goes through a sender registered for transactional "
                           "messages only: those messages are skipped. Choose a promotional sender."));
  if (g_hash_table_contains (preflight->skipped, "wa_marketing_us"))
    add_warning (preflight, "wa_marketing_us",
                 g_strdup_printf ("%" G_GSIZE_FORMAT " recipients have +1 numbers: WhatsApp marketing "
                                  "templates are not delivered to US numbers. Use whatsapp+sms to reach "
                                  "them by SMS.",
                                  GPOINTER_TO_SIZE (g_hash_table_lookup (preflight->skipped, "wa_marketing_us"))));
  if (n_unapproved > 0 ||
      g_hash_table_contains (preflight->skipped, "wa_template_not_approved"))
    add_warning (preflight, "template_not_approved",
                 g_strdup ("The WhatsApp template is not approved by Meta yet: its messages are not "
                           "sent. Submit it and refresh its status in Templates."));
  if (n_links > 0 && (ctx.short_domain == NULL || ctx.short_domain[0] == '\0'))
    add_warning (preflight, "links_not_tracked",
                 g_strdup ("The message has links but no short-link domain is set: clicks will not be "
                           "counted. Set one in Preferences → Messages."));
  if (g_hash_table_contains (preflight->deferred, "quiet_hours"))
    add_warning (preflight, "quiet_hours",
                 g_strdup_printf ("%" G_GSIZE_FORMAT " messages would arrive in quiet hours: they wait "
                                  "for the morning in the recipient's zone.",
                                  GPOINTER_TO_SIZE (g_hash_table_lookup (preflight->deferred, "quiet_hours"))));
  if (g_hash_table_contains (preflight->skipped, TC_CAMPAIGN_REASON_MESSAGE_ERROR))
    add_warning (preflight, TC_CAMPAIGN_REASON_MESSAGE_ERROR,
                 g_strdup ("The template cannot be filled in for some recipients (a variable with no "
                           "value and no fallback): they would be skipped. Add fallbacks such as "
                           "{{first_name|there}}."));
  if (preflight->audience == 0)
    add_warning (preflight, "empty_audience",
                 g_strdup ("Nobody is in the audience. Check the segments and exclusions."));

  return g_steal_pointer (&preflight);
}

static void
on_preflight_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TcCampaignPreflight *preflight = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);

  if (preflight == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preflight, (GDestroyNotify) tc_campaign_preflight_free);
}

void
tc_campaign_preflight_async (TcRepository        *repository,
                             gint64               id,
                             gint64               now,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PreflightJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_campaign_preflight_async);
  job = g_new0 (PreflightJob, 1);
  job->id = id;
  job->now = now != 0 ? now : now_unix ();
  _tc_repository_run_async_full (repository, TC_DB_JOB_READ, preflight_job, job, g_free,
                                 (GDestroyNotify) tc_campaign_preflight_free, FALSE, cancellable,
                                 on_preflight_done_cb, g_steal_pointer (&task));
}

TcCampaignPreflight *
tc_campaign_preflight_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_campaign_preflight_build_json (const TcCampaignPreflight *preflight,
                                  JsonBuilder               *builder)
{
  g_return_if_fail (preflight != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "campaign_id");
  json_builder_add_int_value (builder, preflight->campaign_id);
  json_builder_set_member_name (builder, "audience");
  json_builder_add_int_value (builder, (gint64) preflight->audience);
  json_builder_set_member_name (builder, "holdout");
  json_builder_add_int_value (builder, (gint64) preflight->holdout);
  json_builder_set_member_name (builder, "intended");
  json_builder_add_int_value (builder, (gint64) preflight->intended);
  json_builder_set_member_name (builder, "sample");
  json_builder_add_int_value (builder, preflight->sample);
  json_builder_set_member_name (builder, "estimated");
  json_builder_add_boolean_value (builder, preflight->estimated);
  json_builder_set_member_name (builder, "send");
  json_builder_add_int_value (builder, (gint64) preflight->send);
  _tc_json_add_counts (builder, "skipped", preflight->skipped);
  _tc_json_add_counts (builder, "deferred", preflight->deferred);
  _tc_json_add_counts (builder, "segments", preflight->segments);

  json_builder_set_member_name (builder, "cost");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_double_value (builder, preflight->cost);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, TC_PRICES_CURRENCY);
  json_builder_set_member_name (builder, "by_country");
  json_builder_begin_array (builder);
  for (guint i = 0; i < preflight->costs->len; i++)
    {
      const TcPreflightCost *cost = g_ptr_array_index (preflight->costs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "country");
      json_builder_add_string_value (builder, cost->country);
      json_builder_set_member_name (builder, "channel");
      json_builder_add_string_value (builder, tc_channel_to_string (cost->channel));
      json_builder_set_member_name (builder, "messages");
      json_builder_add_int_value (builder, (gint64) cost->messages);
      json_builder_set_member_name (builder, "cost");
      json_builder_add_double_value (builder, cost->cost);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < preflight->warnings->len; i++)
    {
      const TcPreflightWarning *warning = g_ptr_array_index (preflight->warnings, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, warning->code);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, warning->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------
 * Test sends
 */

typedef struct
{
  gint64    id;
  gint64    now;
  GStrv     phones;
  GPtrArray *entries;   /* TcOutboxEntry */
} TestJob;

static void
test_job_free (TestJob *job)
{
  g_strfreev (job->phones);
  g_clear_pointer (&job->entries, g_ptr_array_unref);
  g_free (job);
}

static gpointer
test_send_job (TcDb          *db,
               gpointer       job_data,
               GCancellable  *cancellable,
               GError       **error)
{
  TestJob *job = job_data;
  g_autoptr(TcCampaign) campaign = _tc_db_campaign_load (db, job->id, error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_outbox_entry_free);
  QueueContext ctx = { 0, };

  if (campaign == NULL)
    return NULL;
  if (tc_campaign_get_state (campaign) == TC_CAMPAIGN_DRAFT && !pin_templates (db, campaign, error))
    return NULL;
  if (!_tc_db_begin (db, error))
    return NULL;
  if (!queue_context_init (&ctx, db, campaign, job->now, TRUE, error))
    goto fail;
  ctx.immediate = TRUE;

  for (guint p = 0; job->phones[p] != NULL; p++)
    for (guint v = 0; v < tc_campaign_get_n_variants (campaign); v++)
      {
        g_autoptr(TcContact) contact = NULL;
        g_autoptr(TcOutboxEntry) entry = NULL;
        g_auto(Plan) plan = { 0, };
        g_autofree char *idem_key = NULL;
        g_autofree char *origin = NULL;
        g_autofree char *uuid = g_uuid_string_random ();
        TcOutboxRow row = { 0, };
        gint64 contact_id = 0;
        gboolean inserted;

        if (!_tc_db_find_contact_by_phone (db, job->phones[p], &contact_id, NULL, error))
          goto fail;
        if (contact_id != 0)
          contact = _tc_db_load_contact (db, contact_id, error);
        else
          {
            /* A seed number that is no contact: only its number is known. */
            contact = tc_contact_new ();
            tc_contact_set_phone (contact, job->phones[p]);
          }
        if (contact == NULL || !plan_message (&ctx, &ctx.variants[v], contact, &plan, error))
          goto fail;

        origin = g_strdup_printf ("campaign-test:%" G_GINT64_FORMAT ":%s", job->id,
                                  tc_campaign_get_variant (campaign, v)->label);
        idem_key = g_strdup_printf ("%s:%s:%s", origin, job->phones[p], uuid);
        row.idem_key = idem_key;
        row.origin = origin;
        row.contact_id = contact_id;
        row.phone = job->phones[p];
        row.channel = plan.channel;
        row.purpose = tc_campaign_get_purpose (campaign);
        row.body = plan.composed.body != NULL ? plan.composed.body : "";
        row.wa_template = plan.composed.wa_template;
        row.media_url = plan.composed.media_url;
        row.sender_id = tc_campaign_get_sender (campaign, plan.channel);
        row.due_at = plan.due;
        row.reason = plan_reason (&plan);
        row.state = plan.decision.decision == TC_GATE_SEND ? TC_OUTBOX_QUEUED
                    : plan.decision.decision == TC_GATE_DEFER ? TC_OUTBOX_DEFERRED : TC_OUTBOX_SKIPPED;
        if (plan.decision.decision == TC_GATE_DEFER)
          row.due_at = plan.decision.until;

        if (!_tc_db_outbox_enqueue (db, &row, job->now, &inserted, error))
          goto fail;
        entry = _tc_db_outbox_get_by_idem_key (db, idem_key, error);
        if (entry == NULL)
          goto fail;
        g_ptr_array_add (entries, g_steal_pointer (&entry));
      }

  if (!_tc_db_commit (db, error))
    goto fail;
  queue_context_clear (&ctx);
  job->entries = g_steal_pointer (&entries);
  return GINT_TO_POINTER (1);

fail:
  queue_context_clear (&ctx);
  _tc_db_rollback (db);
  return NULL;
}

static void
on_test_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&job->entries), (GDestroyNotify) g_ptr_array_unref);
}

void
tc_campaign_test_send_async (TcRepository        *repository,
                             gint64               id,
                             const char * const  *phones,
                             gint64               now,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TestJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (phones != NULL && phones[0] != NULL);

  task = g_task_new (repository, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_campaign_test_send_async);
  job = g_new0 (TestJob, 1);
  job->id = id;
  job->now = now != 0 ? now : now_unix ();
  job->phones = g_strdupv ((char **) phones);
  g_task_set_task_data (task, job, (GDestroyNotify) test_job_free);
  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, test_send_job, job, NULL, NULL, FALSE,
                                 cancellable, on_test_done_cb, g_steal_pointer (&task));
}

GPtrArray *
tc_campaign_test_send_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Main-thread API
 */

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_tc_repository_run_finish (TC_REPOSITORY (object), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_send_job (TcRepository        *repository,
              TcDbJobFunc          func,
              gint64               id,
              gint64               now,
              guint                limit,
              int                  action,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (repository, cancellable, callback, user_data);
  SendJob *job = g_new0 (SendJob, 1);

  g_task_set_source_tag (task, source_tag);
  job->id = id;
  job->now = now != 0 ? now : now_unix ();
  job->limit = limit;
  job->action = action;
  /* The task keeps the job (for its results); the repository borrows it. */
  g_task_set_task_data (task, job, g_free);
  _tc_repository_run_async_full (repository, TC_DB_JOB_WRITE, func, job, NULL, NULL, FALSE,
                                 cancellable, on_job_done_cb, g_steal_pointer (&task));
}

static SendJob *
finish_send_job (TcRepository  *repository,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

void
tc_campaign_start_async (TcRepository        *repository,
                         gint64               id,
                         gint64               now,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  run_send_job (repository, start_job, id, now, 0, 0, tc_campaign_start_async, cancellable,
                callback, user_data);
}

gboolean
tc_campaign_start_finish (TcRepository  *repository,
                          GAsyncResult  *result,
                          guint         *audience_size,
                          GError       **error)
{
  SendJob *job = finish_send_job (repository, result, tc_campaign_start_async, error);

  if (job == NULL)
    return FALSE;
  if (audience_size != NULL)
    *audience_size = job->audience_size;

  return TRUE;
}

void
tc_campaign_queue_async (TcRepository        *repository,
                         gint64               id,
                         guint                limit,
                         gint64               now,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (limit > 0);

  run_send_job (repository, queue_job, id, now, limit, 0, tc_campaign_queue_async, cancellable,
                callback, user_data);
}

gboolean
tc_campaign_queue_finish (TcRepository  *repository,
                          GAsyncResult  *result,
                          guint         *n_queued,
                          guint         *n_left,
                          GError       **error)
{
  SendJob *job = finish_send_job (repository, result, tc_campaign_queue_async, error);

  if (job == NULL)
    return FALSE;
  if (n_queued != NULL)
    *n_queued = job->n_queued;
  if (n_left != NULL)
    *n_left = job->n_left;

  return TRUE;
}

void
tc_campaign_act_async (TcRepository        *repository,
                       gint64               id,
                       TcCampaignAction     action,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (action <= TC_CAMPAIGN_CANCEL);

  run_send_job (repository, act_job, id, 0, 0, action, tc_campaign_act_async, cancellable,
                callback, user_data);
}

gboolean
tc_campaign_act_finish (TcRepository  *repository,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish_send_job (repository, result, tc_campaign_act_async, error) != NULL;
}

void
tc_campaign_check_finished_async (TcRepository        *repository,
                                  gint64               id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  run_send_job (repository, finished_job, id, 0, 0, 0, tc_campaign_check_finished_async,
                cancellable, callback, user_data);
}

gboolean
tc_campaign_check_finished_finish (TcRepository  *repository,
                                   GAsyncResult  *result,
                                   gboolean      *finished,
                                   GError       **error)
{
  SendJob *job = finish_send_job (repository, result, tc_campaign_check_finished_async, error);

  if (job == NULL)
    return FALSE;
  if (finished != NULL)
    *finished = job->finished;

  return TRUE;
}
