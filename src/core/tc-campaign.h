/* tc-campaign.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Campaigns (schema 9): one message to an audience — who (every contact,
 * or saved segments minus others), what (a template per A/B variant, with
 * an optional holdout that gets nothing), on which channel (SMS, WhatsApp,
 * or WhatsApp with SMS for those WhatsApp cannot reach), and when (now, at
 * a moment, or at a time of day in each recipient's own zone).
 *
 * A campaign is a TcCampaign object (the "what" a person edits) stored in
 * table campaigns; its life:
 *
 *   draft ──send──► scheduled (a later start) ──► sending ──► sent
 *                                  │                 │  ▲
 *                                  │            pause│  │resume
 *                                  │                 ▼  │
 *                                  │               paused
 *                                  └──────────cancel──────► cancelled
 *
 * Only a draft can be edited or deleted; sending freezes it (the template
 * versions it uses are pinned).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_CAMPAIGN_ERROR (tc_campaign_error_quark ())

/**
 * TcCampaignError:
 * @TC_CAMPAIGN_ERROR_INVALID: a field has a value a campaign cannot have;
 *   the message names the field and the value
 * @TC_CAMPAIGN_ERROR_NOT_FOUND: no campaign has that id
 * @TC_CAMPAIGN_ERROR_STATE: the campaign is not in a state that allows it
 *   (editing a campaign that is sending, resuming a sent one)
 */
typedef enum
{
  TC_CAMPAIGN_ERROR_INVALID,
  TC_CAMPAIGN_ERROR_NOT_FOUND,
  TC_CAMPAIGN_ERROR_STATE,
} TcCampaignError;

GQuark tc_campaign_error_quark (void);

/* "sms", "whatsapp", "whatsapp+sms". */
typedef enum
{
  TC_CAMPAIGN_CHANNEL_SMS,
  TC_CAMPAIGN_CHANNEL_WHATSAPP,
  TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS,
} TcCampaignChannel;

const char *tc_campaign_channel_to_string   (TcCampaignChannel  channel);
gboolean    tc_campaign_channel_from_string (const char        *str,
                                             TcCampaignChannel *channel);

/* "draft", "scheduled", "sending", "paused", "sent", "cancelled". */
typedef enum
{
  TC_CAMPAIGN_DRAFT,
  TC_CAMPAIGN_SCHEDULED,
  TC_CAMPAIGN_SENDING,
  TC_CAMPAIGN_PAUSED,
  TC_CAMPAIGN_SENT,
  TC_CAMPAIGN_CANCELLED,
} TcCampaignState;

const char *tc_campaign_state_to_string     (TcCampaignState    state);
gboolean    tc_campaign_state_from_string   (const char        *str,
                                             TcCampaignState   *state);

/* "now", "at", "local_time". */
typedef enum
{
  TC_CAMPAIGN_SCHEDULE_NOW,
  TC_CAMPAIGN_SCHEDULE_AT,          /* at send_at (unix seconds) */
  TC_CAMPAIGN_SCHEDULE_LOCAL_TIME,  /* at local_time (HH:MM) in each recipient's zone */
} TcCampaignSchedule;

const char *tc_campaign_schedule_to_string   (TcCampaignSchedule  schedule);
gboolean    tc_campaign_schedule_from_string (const char         *str,
                                              TcCampaignSchedule *schedule);

/* At most this many A/B variants, labelled "A", "B", "C", "D". */
#define TC_CAMPAIGN_MAX_VARIANTS 4
/* The longest campaign name, in characters. */
#define TC_CAMPAIGN_MAX_NAME_CHARS 120

/* One A/B variant. @template: the name of the template for the campaign's
 * channel (an SMS template for "sms", a WhatsApp template otherwise);
 * @fallback_template: for "whatsapp+sms", the SMS template sent to those
 * WhatsApp cannot reach (NULL: the variant's SMS template must be given
 * for that channel). @percent: its share of the audience that is not held
 * out (the shares add up to 100). */
typedef struct
{
  char    label[2];
  char   *template_name;
  char   *fallback_template;
  double  percent;
  /* Pinned when sending starts (0 before). */
  gint64  template_id;
  int     template_version;
  gint64  fallback_id;
  int     fallback_version;
} TcCampaignVariant;

#define TC_TYPE_CAMPAIGN (tc_campaign_get_type ())

G_DECLARE_FINAL_TYPE (TcCampaign, tc_campaign, TC, CAMPAIGN, GObject)

/*
 * Properties (notify on change): "id" (gint64, 0 until saved), "name",
 * "channel" (TcCampaignChannel as int), "purpose" (TcPurpose as int),
 * "state" (TcCampaignState as int, read-only: the store changes it).
 * The rest through the functions below.
 */

TcCampaign        *tc_campaign_new                 (void);
/* A copy of every field, the id and state included (an editor's working
 * copy of a draft: saving it updates the same draft). */
TcCampaign        *tc_campaign_dup                 (TcCampaign         *self) G_GNUC_WARN_UNUSED_RESULT;

gint64             tc_campaign_get_id              (TcCampaign         *self);
const char        *tc_campaign_get_name            (TcCampaign         *self);
void               tc_campaign_set_name            (TcCampaign         *self,
                                                    const char         *name);
TcCampaignChannel  tc_campaign_get_channel         (TcCampaign         *self);
void               tc_campaign_set_channel         (TcCampaign         *self,
                                                    TcCampaignChannel   channel);
TcPurpose          tc_campaign_get_purpose         (TcCampaign         *self);
void               tc_campaign_set_purpose         (TcCampaign         *self,
                                                    TcPurpose           purpose);
TcCampaignState    tc_campaign_get_state           (TcCampaign         *self);

/* The audience: every contact (@all TRUE), or the contacts in any of
 * @segments (saved segment names) and in none of @exclude. */
gboolean           tc_campaign_get_audience_all    (TcCampaign         *self);
const char * const *tc_campaign_get_segments       (TcCampaign         *self);
const char * const *tc_campaign_get_exclusions     (TcCampaign         *self);
void               tc_campaign_set_audience        (TcCampaign         *self,
                                                    gboolean            all,
                                                    const char * const *segments,
                                                    const char * const *exclude);

guint              tc_campaign_get_n_variants      (TcCampaign         *self);
const TcCampaignVariant *tc_campaign_get_variant   (TcCampaign         *self,
                                                    guint               index);
/* Replaces the variants by one, "A", with 100 %. */
void               tc_campaign_set_template        (TcCampaign         *self,
                                                    const char         *template_name,
                                                    const char         *fallback_template);
/* Removes every variant (to set them again with tc_campaign_add_variant()). */
void               tc_campaign_clear_variants      (TcCampaign         *self);
/* Appends a variant (labelled in order). FALSE when there are already
 * TC_CAMPAIGN_MAX_VARIANTS. */
gboolean           tc_campaign_add_variant         (TcCampaign         *self,
                                                    const char         *template_name,
                                                    const char         *fallback_template,
                                                    double              percent);
double             tc_campaign_get_holdout_percent (TcCampaign         *self);
void               tc_campaign_set_holdout_percent (TcCampaign         *self,
                                                    double              percent);

/* A/B with a test portion: the variants go to @percent of the audience
 * that is not held out; after @after_hours the variant best by @metric
 * (per recipient it was meant for) goes to the rest. */
typedef enum
{
  TC_CAMPAIGN_METRIC_DELIVERY_RATE,
  TC_CAMPAIGN_METRIC_CLICKS,        /* people who clicked */
  TC_CAMPAIGN_METRIC_REPLIES,
  TC_CAMPAIGN_METRIC_CONVERSIONS,
  TC_CAMPAIGN_METRIC_REVENUE,
} TcCampaignMetric;

/* "delivery_rate", "clicks", "replies", "conversions", "revenue". */
const char        *tc_campaign_metric_to_string    (TcCampaignMetric    metric);
gboolean           tc_campaign_metric_from_string  (const char         *str,
                                                    TcCampaignMetric   *metric);
/* 0: no test portion (every variant to its share of everyone). */
double             tc_campaign_get_test_percent    (TcCampaign         *self);
/* FALSE when there is no test portion. */
gboolean           tc_campaign_get_winner_rule     (TcCampaign         *self,
                                                    TcCampaignMetric   *metric,
                                                    guint              *after_hours);
/* @percent 0 turns the test portion off. */
void               tc_campaign_set_test            (TcCampaign         *self,
                                                    double              percent,
                                                    TcCampaignMetric    metric,
                                                    guint               after_hours);
/* The winning variant's label once chosen, else "". */
const char        *tc_campaign_get_winner          (TcCampaign         *self);

TcCampaignSchedule tc_campaign_get_schedule        (TcCampaign         *self);
/* Unix seconds (AT), else 0. */
gint64             tc_campaign_get_send_at         (TcCampaign         *self);
/* "HH:MM" (LOCAL_TIME), else "". */
const char        *tc_campaign_get_local_time      (TcCampaign         *self);
void               tc_campaign_set_schedule_now    (TcCampaign         *self);
void               tc_campaign_set_schedule_at     (TcCampaign         *self,
                                                    gint64              send_at);
/* @hhmm "10:00"; @on_day: unix seconds of any moment of the first day it
 * may go (UTC date), or 0: from when sending starts. */
void               tc_campaign_set_schedule_local_time (TcCampaign     *self,
                                                        const char     *hhmm,
                                                        gint64          on_day);

/* Senders (NULL / "": the channel's default). */
const char        *tc_campaign_get_sender          (TcCampaign         *self,
                                                    TcChannel           channel);
void               tc_campaign_set_sender          (TcCampaign         *self,
                                                    TcChannel           channel,
                                                    const char         *sender_id);
/* Messages per minute at most (0: as fast as the senders allow), and per
 * day (0: no cap). */
guint              tc_campaign_get_throttle_per_minute (TcCampaign     *self);
guint              tc_campaign_get_daily_cap       (TcCampaign         *self);
void               tc_campaign_set_pacing          (TcCampaign         *self,
                                                    guint               per_minute,
                                                    guint               daily_cap);

/* Figures the store keeps: the audience size once frozen (holdout
 * included), how many of them are meant to get a message (not held out),
 * how many of those are handled (queued, or gone since), and the times. */
guint              tc_campaign_get_audience_size   (TcCampaign         *self);
guint              tc_campaign_get_n_intended      (TcCampaign         *self);
guint              tc_campaign_get_n_queued        (TcCampaign         *self);
gint64             tc_campaign_get_created_at      (TcCampaign         *self);
gint64             tc_campaign_get_started_at      (TcCampaign         *self);
gint64             tc_campaign_get_finished_at     (TcCampaign         *self);

/* Reads "HH:MM" (00:00 to 23:59, two digits each). */
gboolean           tc_campaign_parse_local_time    (const char         *hhmm,
                                                    int                *hour,
                                                    int                *minute);

/* Checks what a campaign needs before it is saved: a name, at least one
 * variant with a template, shares that add up to 100, a holdout under
 * 100 %, a valid time of day, an audience. Names the field and value. */
gboolean           tc_campaign_validate            (TcCampaign         *self,
                                                    GError            **error);

/* {"id":1,"name":"…","channel":"sms","purpose":"promotional",
 *  "state":"draft","audience":{"all":true}|{"segments":[…],"exclude":[…]},
 *  "variants":[{"label":"A","template":"…","fallback_template":null,
 *               "percent":100,"template_version":null}],
 *  "holdout_percent":0,"test":null|{"percent":20,"metric":"clicks",
 *  "after_hours":4,"winner":"B"|null},"schedule":"now"|"at"|"local_time",
 *  "send_at":ISO|null,"local_time":"10:00"|null,
 *  "senders":{"sms":null,"whatsapp":null},"throttle_per_minute":0,
 *  "daily_cap":0,"audience_size":0,"intended":0,"queued":0,"created_at":ISO,
 *  "started_at":ISO|null,"finished_at":ISO|null} */
void               tc_campaign_build_json          (TcCampaign         *self,
                                                    JsonBuilder        *builder);

/*
 * The store (main thread; the work runs on the repository's threads).
 */

/* Inserts a new campaign (id 0) as a draft, or updates a draft. Validates
 * first; the templates and segments it names must exist. Sets the id. */
void               tc_campaign_store_save_async    (TcRepository        *repository,
                                                    TcCampaign          *campaign,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           tc_campaign_store_save_finish   (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The campaign @id, or TC_CAMPAIGN_ERROR_NOT_FOUND. */
void               tc_campaign_store_get_async     (TcRepository        *repository,
                                                    gint64               id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
TcCampaign        *tc_campaign_store_get_finish    (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Every campaign, newest first. Returns: (element-type TcCampaign) */
void               tc_campaign_store_list_async    (TcRepository        *repository,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray         *tc_campaign_store_list_finish   (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Deletes a draft (TC_CAMPAIGN_ERROR_STATE for any other). */
void               tc_campaign_store_delete_async  (TcRepository        *repository,
                                                    gint64               id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           tc_campaign_store_delete_finish (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/*
 * Sending
 *
 * tc_campaign_start_async() freezes the audience (every recipient gets a
 * row in campaign_recipients with a random rank), pins the template
 * versions and assigns the variants: exactly — each variant's count is
 * within one of its share — and the same person always in the same one.
 * Starting a campaign that already started changes nothing.
 *
 * tc_campaign_queue_async() then queues the next recipients in rank
 * order into the outbox, each composed for them (tc-compose.h), through
 * the send gate at the moment it is due (skipped and deferred rows say
 * why), under the idempotency key "campaign:ID:CONTACT" and the origin
 * "campaign:ID:LABEL": a recipient is queued once, whatever happens. Due
 * times: now, the campaign's moment, or the next HH:MM in the recipient's
 * zone (the latest of its candidate zones), spread by the throttle
 * (per minute) and pushed by whole days by the daily cap. With
 * "whatsapp+sms", those WhatsApp may not reach (no consent, opted out, a
 * marketing template to +1 numbers) get the variant's SMS template.
 */

/* The reason on a recipient's skipped row when their message could not be
 * made (a template that does not render for them). */
#define TC_CAMPAIGN_REASON_MESSAGE_ERROR "message_error"

/* @now: unix seconds (0: the current time). *@audience_size: the frozen
 * audience, holdout included. */
void               tc_campaign_start_async         (TcRepository        *repository,
                                                    gint64               id,
                                                    gint64               now,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           tc_campaign_start_finish        (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    guint               *audience_size,
                                                    GError             **error);
/* Queues at most @limit more recipients (one transaction). *@n_left:
 * recipients still to queue (0: done, or the campaign is paused or
 * cancelled: then nothing is queued). */
void               tc_campaign_queue_async         (TcRepository        *repository,
                                                    gint64               id,
                                                    guint                limit,
                                                    gint64               now,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           tc_campaign_queue_finish        (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    guint               *n_queued,
                                                    guint               *n_left,
                                                    GError             **error);

typedef enum
{
  TC_CAMPAIGN_PAUSE,
  TC_CAMPAIGN_RESUME,
  TC_CAMPAIGN_CANCEL,
} TcCampaignAction;

/* Pause: its waiting rows become "paused" (never claimed); rows being
 * sent finish. Resume: they wait again for their due time. Cancel: every
 * row not yet sent becomes skipped ("cancelled") and nobody else is
 * queued. TC_CAMPAIGN_ERROR_STATE when the campaign is not in a state
 * that allows it (resume a campaign that is not paused, pause a draft). */
void               tc_campaign_act_async           (TcRepository        *repository,
                                                    gint64               id,
                                                    TcCampaignAction     action,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean           tc_campaign_act_finish          (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Marks a sending campaign "sent" once every recipient is queued and none
 * of its rows waits or is being sent. *@finished: whether it is (now) sent. */
void               tc_campaign_check_finished_async  (TcRepository        *repository,
                                                      gint64               id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           tc_campaign_check_finished_finish (TcRepository        *repository,
                                                      GAsyncResult        *result,
                                                      gboolean            *finished,
                                                      GError             **error);

/* Sends each variant's message now to each of @phones (E.164: seed
 * numbers, usually the marketer's own), composed for the contact with
 * that number (or with fallbacks when it is no contact) and through the
 * send gate like any message (a number without consent is skipped, and
 * says so). Origin "campaign-test:ID:LABEL"; the campaign's own figures
 * are not touched. @now: unix seconds (0: the current time).
 * Returns: (element-type TcOutboxEntry) the rows */
void               tc_campaign_test_send_async     (TcRepository        *repository,
                                                    gint64               id,
                                                    const char * const  *phones,
                                                    gint64               now,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray         *tc_campaign_test_send_finish    (TcRepository        *repository,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* The moment @hhmm next comes in @zones (IANA names; the latest of them
 * on the same local date) at or after @from, unix seconds; 0 when no zone
 * is known. */
gint64             tc_campaign_next_local_time     (const char          *hhmm,
                                                    const char * const  *zones,
                                                    gint64               from);
/* The variant of the @k-th recipient (0-based, in rank order) given each
 * group's share (@weights, summing to 1) and the counts so far (@counts,
 * updated): the group furthest below its share — so every prefix of the
 * order is split within one of the shares. */
guint              tc_campaign_pick_group          (const double        *weights,
                                                    guint               *counts,
                                                    guint                n_groups,
                                                    guint64              k);

/*
 * Worker side (inside a job, see tc-repository-private.h).
 */
struct _TcDb;

TcCampaign        *_tc_db_campaign_load            (struct _TcDb       *db,
                                                    gint64              id,
                                                    GError            **error);

G_END_DECLS
