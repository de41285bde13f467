/* tc-campaign-report.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a campaign did, from the outbox and what came back: per campaign,
 * per variant (and the holdout), per country or per value of a contact
 * attribute (a cohort), and hour by hour.
 *
 *   audience      recipients frozen when sending started (holdout included)
 *   intended      recipients meant to get a message (not held out)
 *   sent          messages handed to a provider
 *   delivered     … that reached the phone (read ones included)
 *   read          WhatsApp messages read
 *   failed        … that failed or were undelivered, by error code ("bounced")
 *   skipped       not sent, by the send gate's reason (no_consent, quiet_hours
 *                 past its window, cancelled, …)
 *   deferred      waiting for a later time (quiet hours, the schedule, a pause)
 *   replies       recipients who wrote back within 3 days of their message
 *   opt_outs      recipients who opted out of that channel within 3 days
 *   clicks        clicks on the campaign's tracked links (and distinct people)
 *   conversions   conversion events (setting attribution.event, default
 *                 order_placed) attributed to the campaign: to the last
 *                 message the person clicked within attribution.click_days
 *                 (default 5) before it, or failing that the last one they
 *                 received within attribution.receive_hours (default 24)
 *   revenue       the sum of those events' value; average order value
 *   cost          the provider's price where reported, else the estimate
 *   delivery rate delivered / intended; revenue per message = revenue / sent
 *   lift          how much more often the variants' recipients converted
 *                 (any conversion within the click window after the start,
 *                 attributed or not) than the holdout's: (rate − holdout) /
 *                 holdout; NULL without a holdout or with no holdout
 *                 conversion
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-campaign.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* Recipients who reply or opt out this long after their message count. */
#define TC_CAMPAIGN_REPLY_WINDOW (3 * 24 * 60 * 60)

typedef struct
{
  char       *key;             /* "A", "holdout", "US", an attribute value; "" for the total */
  guint64     audience;
  guint64     intended;
  guint64     sent;
  guint64     delivered;
  guint64     read;
  guint64     failed;
  guint64     deferred;
  guint64     waiting;         /* queued, being sent, or paused */
  guint64     replies;
  guint64     opt_outs;
  guint64     clicks;
  guint64     unique_clicks;
  guint64     conversions;
  guint64     converted;       /* recipients with any conversion in the window (lift) */
  double      revenue;
  double      cost;
  GHashTable *skipped;         /* reason → count (GUINT_TO_POINTER) */
  GHashTable *bounced;         /* error code ("" unknown) → count */
} TcCampaignFigures;

typedef enum
{
  TC_CAMPAIGN_GROUP_VARIANT,
  TC_CAMPAIGN_GROUP_COUNTRY,
  TC_CAMPAIGN_GROUP_ATTRIBUTE,
} TcCampaignGroup;

typedef struct
{
  gint64    at;                /* the hour's start, unix seconds */
  guint64   sent;
  guint64   delivered;
  guint64   read;
} TcCampaignHour;

typedef struct
{
  gint64             campaign_id;
  gboolean           clicks_tracked;  /* a short-link domain is set */
  TcCampaignFigures *total;
  GPtrArray         *variants;        /* TcCampaignFigures, "A"… then "holdout" if any */
  GPtrArray         *groups;          /* by country or attribute when asked; else empty */
  char              *group_by;        /* "country", "attributes.KEY", or NULL */
  GArray            *timeline;        /* TcCampaignHour, by time */
  gboolean           has_lift;
  double             lift;
  guint64            awaiting_winner;  /* the rest, with a test portion, until the winner is chosen */
} TcCampaignReport;

void      tc_campaign_report_free (TcCampaignReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCampaignReport, tc_campaign_report_free)

/* The contract of `campaign report ID --json`: at least audience,
 * intended, sent, delivered, failed, skipped (reason → count), deferred,
 * read, replies, opt_outs, clicks, conversions, revenue, cost; and
 * variants, holdout, groups, timeline, lift. */
void      tc_campaign_report_build_json (const TcCampaignReport *report,
                                         JsonBuilder            *builder);

/* Reads the report on the reader thread. @group: VARIANT (only the
 * variants), COUNTRY, or ATTRIBUTE with @attribute (a custom attribute's
 * key, without '"' or '\'). */
void      tc_campaign_report_async  (TcRepository        *repository,
                                     gint64               id,
                                     TcCampaignGroup      group,
                                     const char          *attribute,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
TcCampaignReport *tc_campaign_report_finish (TcRepository  *repository,
                                             GAsyncResult  *result,
                                             GError       **error);

/* @metric's value for a variant's figures, per recipient it was meant for
 * (delivery rate, people who clicked, replies, conversions, revenue). */
double    tc_campaign_metric_value      (TcCampaignMetric         metric,
                                         const TcCampaignFigures *figures);

/* With a test portion: once the campaign's test messages are queued and
 * winner_after_hours have passed since it started, gives the rest the
 * variant best by the metric (recorded as the campaign's winner) so that
 * tc_campaign_queue_async() sends them theirs. *@winner: the winner, or
 * NULL when it is not time yet (*@due_at says when); a campaign without a
 * test portion is TC_CAMPAIGN_ERROR_STATE. @now 0: the current time. */
void      tc_campaign_pick_winner_async  (TcRepository        *repository,
                                          gint64               id,
                                          gint64               now,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  tc_campaign_pick_winner_finish (TcRepository        *repository,
                                          GAsyncResult        *result,
                                          char               **winner,
                                          gint64              *due_at,
                                          GError             **error);

/* The same inside a repository job. */
struct _TcDb;
TcCampaignReport *_tc_db_campaign_report    (struct _TcDb     *db,
                                             gint64            id,
                                             TcCampaignGroup   group,
                                             const char       *attribute,
                                             GError          **error);

/*
 * Pre-flight: what sending would do, before anything is queued.
 *
 * The audience is counted exactly. Each recipient's message is then made
 * and put through the send gate at the moment it would be due, exactly as
 * tc_campaign_queue_async() does — for everyone when the audience has at
 * most TC_CAMPAIGN_PREFLIGHT_SAMPLE people, else for a uniform random
 * sample of that many (the first by the campaign's own random order, the
 * ones who would be queued first), the counts then scaled to the whole
 * audience and marked as estimates.
 */

#define TC_CAMPAIGN_PREFLIGHT_SAMPLE 5000

typedef struct
{
  char      country[4];    /* "US", or "*" for a number of no country */
  TcChannel channel;
  guint64   messages;
  double    cost;
} TcPreflightCost;

typedef struct
{
  char *code;              /* "quiet_hours", "links_not_tracked", … */
  char *message;           /* plain words, with what to do */
} TcPreflightWarning;

typedef struct
{
  gint64      campaign_id;
  guint64     audience;
  guint64     holdout;
  guint64     intended;
  guint       sample;       /* recipients evaluated */
  gboolean    estimated;    /* sample < intended: the counts below are scaled */
  guint64     send;         /* would go at their time */
  GHashTable *skipped;      /* reason → count */
  GHashTable *deferred;     /* reason → count */
  GHashTable *segments;     /* "1", "2", … (SMS segments per message) → count */
  GPtrArray  *costs;        /* TcPreflightCost, by country then channel */
  double      cost;
  GPtrArray  *warnings;     /* TcPreflightWarning */
} TcCampaignPreflight;

void      tc_campaign_preflight_free (TcCampaignPreflight *preflight);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCampaignPreflight, tc_campaign_preflight_free)

/* {"campaign_id":1,"audience":N,"holdout":N,"intended":N,"sample":N,
 *  "estimated":false,"send":N,"skipped":{reason:N},"deferred":{reason:N},
 *  "segments":{"1":N,…},"cost":{"total":X,"currency":"USD",
 *  "by_country":[{"country":"US","channel":"sms","messages":N,"cost":X}]},
 *  "warnings":[{"code":"…","message":"…"}]} */
void      tc_campaign_preflight_build_json (const TcCampaignPreflight *preflight,
                                            JsonBuilder               *builder);

/* On the writer's thread (it reads only), so that it sees what was just
 * saved. @now: unix seconds (0: the current time). */
void      tc_campaign_preflight_async  (TcRepository        *repository,
                                        gint64               id,
                                        gint64               now,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
TcCampaignPreflight *tc_campaign_preflight_finish (TcRepository  *repository,
                                                   GAsyncResult  *result,
                                                   GError       **error);

G_END_DECLS
