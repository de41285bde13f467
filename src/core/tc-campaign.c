/* tc-campaign.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-campaign"

#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "tc-campaign-private.h"
#include "tc-consent-ledger.h"
#include "tc-json-private.h"
#include "tc-names-private.h"
#include "tc-repository-private.h"

G_DEFINE_QUARK (tc-campaign-error-quark, tc_campaign_error)

static const char * const channel_names[] = {
  [TC_CAMPAIGN_CHANNEL_SMS] = "sms",
  [TC_CAMPAIGN_CHANNEL_WHATSAPP] = "whatsapp",
  [TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS] = "whatsapp+sms",
};

static const char * const state_names[] = {
  [TC_CAMPAIGN_DRAFT] = "draft",
  [TC_CAMPAIGN_SCHEDULED] = "scheduled",
  [TC_CAMPAIGN_SENDING] = "sending",
  [TC_CAMPAIGN_PAUSED] = "paused",
  [TC_CAMPAIGN_SENT] = "sent",
  [TC_CAMPAIGN_CANCELLED] = "cancelled",
};

static const char * const schedule_names[] = {
  [TC_CAMPAIGN_SCHEDULE_NOW] = "now",
  [TC_CAMPAIGN_SCHEDULE_AT] = "at",
  [TC_CAMPAIGN_SCHEDULE_LOCAL_TIME] = "local_time",
};

TC_DEFINE_ENUM_NAMES (TcCampaignChannel, tc_campaign_channel, channel_names)
TC_DEFINE_ENUM_NAMES (TcCampaignState, tc_campaign_state, state_names)
TC_DEFINE_ENUM_NAMES (TcCampaignSchedule, tc_campaign_schedule, schedule_names)

/* ------------------------------------------------------------------------
 * The object
 */

struct _TcCampaign
{
  GObject             parent_instance;

  gint64              id;
  char               *name;
  TcCampaignChannel   channel;
  TcPurpose           purpose;
  TcCampaignState     state;

  gboolean            audience_all;
  GStrv               segments;
  GStrv               exclusions;

  TcCampaignVariant   variants[TC_CAMPAIGN_MAX_VARIANTS];
  guint               n_variants;
  double              holdout_percent;
  double              test_percent;
  char               *winner_metric;
  guint               winner_after_hours;
  char               *winner;

  TcCampaignSchedule  schedule;
  gint64              send_at;
  char               *local_time;

  char               *senders[2];   /* by TcChannel */
  guint               per_minute;
  guint               daily_cap;

  guint               audience_size;
  guint               n_intended;
  guint               n_queued;
  char               *phase;
  char               *group_counts;
  gint64              created_at;
  gint64              updated_at;
  gint64              started_at;
  gint64              finished_at;
};

G_DEFINE_FINAL_TYPE (TcCampaign, tc_campaign, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CHANNEL,
  PROP_PURPOSE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
variant_clear (TcCampaignVariant *variant)
{
  g_clear_pointer (&variant->template_name, g_free);
  g_clear_pointer (&variant->fallback_template, g_free);
  memset (variant, 0, sizeof *variant);
}

static void
clear_variants (TcCampaign *self)
{
  for (guint i = 0; i < self->n_variants; i++)
    variant_clear (&self->variants[i]);
  self->n_variants = 0;
}

static void
tc_campaign_finalize (GObject *object)
{
  TcCampaign *self = TC_CAMPAIGN (object);

  g_free (self->name);
  g_strfreev (self->segments);
  g_strfreev (self->exclusions);
  clear_variants (self);
  g_free (self->local_time);
  g_free (self->senders[0]);
  g_free (self->senders[1]);
  g_free (self->phase);
  g_free (self->group_counts);
  g_free (self->winner_metric);
  g_free (self->winner);

  G_OBJECT_CLASS (tc_campaign_parent_class)->finalize (object);
}

static void
tc_campaign_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TcCampaign *self = TC_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CHANNEL:
      g_value_set_int (value, self->channel);
      break;
    case PROP_PURPOSE:
      g_value_set_int (value, self->purpose);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_campaign_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TcCampaign *self = TC_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      tc_campaign_set_name (self, g_value_get_string (value));
      break;
    case PROP_CHANNEL:
      tc_campaign_set_channel (self, g_value_get_int (value));
      break;
    case PROP_PURPOSE:
      tc_campaign_set_purpose (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_campaign_class_init (TcCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_campaign_finalize;
  object_class->get_property = tc_campaign_get_property;
  object_class->set_property = tc_campaign_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANNEL] =
    g_param_spec_int ("channel", NULL, NULL, TC_CAMPAIGN_CHANNEL_SMS, TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS,
                      TC_CAMPAIGN_CHANNEL_SMS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PURPOSE] =
    g_param_spec_int ("purpose", NULL, NULL, TC_PURPOSE_PROMOTIONAL, TC_PURPOSE_TRANSACTIONAL,
                      TC_PURPOSE_PROMOTIONAL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, TC_CAMPAIGN_DRAFT, TC_CAMPAIGN_CANCELLED, TC_CAMPAIGN_DRAFT,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_campaign_init (TcCampaign *self)
{
  self->name = g_strdup ("");
  self->purpose = TC_PURPOSE_PROMOTIONAL;
  self->audience_all = TRUE;
  self->segments = g_new0 (char *, 1);
  self->exclusions = g_new0 (char *, 1);
  self->local_time = g_strdup ("");
  self->phase = g_strdup ("");
  self->group_counts = g_strdup ("{}");
  self->winner_metric = g_strdup ("");
  self->winner = g_strdup ("");
}

TcCampaign *
tc_campaign_new (void)
{
  return g_object_new (TC_TYPE_CAMPAIGN, NULL);
}

gint64
tc_campaign_get_id (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->id;
}

const char *
tc_campaign_get_name (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return self->name;
}

void
tc_campaign_set_name (TcCampaign *self,
                      const char *name)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

TcCampaignChannel
tc_campaign_get_channel (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), TC_CAMPAIGN_CHANNEL_SMS);
  return self->channel;
}

void
tc_campaign_set_channel (TcCampaign        *self,
                         TcCampaignChannel  channel)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  g_return_if_fail ((guint) channel < G_N_ELEMENTS (channel_names));

  if (self->channel == channel)
    return;
  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

TcPurpose
tc_campaign_get_purpose (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), TC_PURPOSE_PROMOTIONAL);
  return self->purpose;
}

void
tc_campaign_set_purpose (TcCampaign *self,
                         TcPurpose   purpose)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  if (self->purpose == purpose)
    return;
  self->purpose = purpose;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURPOSE]);
}

TcCampaignState
tc_campaign_get_state (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), TC_CAMPAIGN_DRAFT);
  return self->state;
}

gboolean
tc_campaign_get_audience_all (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), FALSE);
  return self->audience_all;
}

const char * const *
tc_campaign_get_segments (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return (const char * const *) self->segments;
}

const char * const *
tc_campaign_get_exclusions (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return (const char * const *) self->exclusions;
}

static GStrv
copy_names (const char * const *names)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));

      if (name[0] != '\0')
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

void
tc_campaign_set_audience (TcCampaign         *self,
                          gboolean            all,
                          const char * const *segments,
                          const char * const *exclude)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  self->audience_all = all;
  g_strfreev (self->segments);
  self->segments = copy_names (all ? NULL : segments);
  g_strfreev (self->exclusions);
  self->exclusions = copy_names (exclude);
}

guint
tc_campaign_get_n_variants (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->n_variants;
}

const TcCampaignVariant *
tc_campaign_get_variant (TcCampaign *self,
                         guint       index)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  g_return_val_if_fail (index < self->n_variants, NULL);
  return &self->variants[index];
}

static void
fill_variant (TcCampaignVariant *variant,
              guint              index,
              const char        *template_name,
              const char        *fallback_template,
              double             percent)
{
  variant->label[0] = (char) ('A' + index);
  variant->label[1] = '\0';
  variant->template_name = g_strstrip (g_strdup (template_name != NULL ? template_name : ""));
  variant->fallback_template = fallback_template != NULL && fallback_template[0] != '\0'
                               ? g_strstrip (g_strdup (fallback_template)) : NULL;
  variant->percent = percent;
}

void
tc_campaign_set_template (TcCampaign *self,
                          const char *template_name,
                          const char *fallback_template)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  clear_variants (self);
  fill_variant (&self->variants[0], 0, template_name, fallback_template, 100.0);
  self->n_variants = 1;
}

void
tc_campaign_clear_variants (TcCampaign *self)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  clear_variants (self);
}

TcCampaign *
tc_campaign_dup (TcCampaign *self)
{
  TcCampaign *copy;

  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);

  copy = tc_campaign_new ();
  copy->id = self->id;
  g_free (copy->name);
  copy->name = g_strdup (self->name);
  copy->channel = self->channel;
  copy->purpose = self->purpose;
  copy->state = self->state;
  copy->audience_all = self->audience_all;
  g_strfreev (copy->segments);
  copy->segments = g_strdupv (self->segments);
  g_strfreev (copy->exclusions);
  copy->exclusions = g_strdupv (self->exclusions);
  for (guint i = 0; i < self->n_variants; i++)
    {
      const TcCampaignVariant *from = &self->variants[i];
      TcCampaignVariant *to = &copy->variants[i];

      *to = *from;
      to->template_name = g_strdup (from->template_name);
      to->fallback_template = g_strdup (from->fallback_template);
    }
  copy->n_variants = self->n_variants;
  copy->holdout_percent = self->holdout_percent;
  copy->test_percent = self->test_percent;
  g_free (copy->winner_metric);
  copy->winner_metric = g_strdup (self->winner_metric);
  copy->winner_after_hours = self->winner_after_hours;
  g_free (copy->winner);
  copy->winner = g_strdup (self->winner);
  copy->schedule = self->schedule;
  copy->send_at = self->send_at;
  g_free (copy->local_time);
  copy->local_time = g_strdup (self->local_time);
  copy->senders[0] = g_strdup (self->senders[0]);
  copy->senders[1] = g_strdup (self->senders[1]);
  copy->per_minute = self->per_minute;
  copy->daily_cap = self->daily_cap;
  copy->audience_size = self->audience_size;
  copy->n_intended = self->n_intended;
  copy->n_queued = self->n_queued;
  g_free (copy->phase);
  copy->phase = g_strdup (self->phase);
  g_free (copy->group_counts);
  copy->group_counts = g_strdup (self->group_counts);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->started_at = self->started_at;
  copy->finished_at = self->finished_at;

  return copy;
}

gboolean
tc_campaign_add_variant (TcCampaign *self,
                         const char *template_name,
                         const char *fallback_template,
                         double      percent)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), FALSE);

  if (self->n_variants >= TC_CAMPAIGN_MAX_VARIANTS)
    return FALSE;
  fill_variant (&self->variants[self->n_variants], self->n_variants, template_name,
                fallback_template, percent);
  self->n_variants++;
  return TRUE;
}

double
tc_campaign_get_holdout_percent (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->holdout_percent;
}

void
tc_campaign_set_holdout_percent (TcCampaign *self,
                                 double      percent)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  self->holdout_percent = percent;
}

static const char * const metric_names[] = {
  [TC_CAMPAIGN_METRIC_DELIVERY_RATE] = "delivery_rate",
  [TC_CAMPAIGN_METRIC_CLICKS] = "clicks",
  [TC_CAMPAIGN_METRIC_REPLIES] = "replies",
  [TC_CAMPAIGN_METRIC_CONVERSIONS] = "conversions",
  [TC_CAMPAIGN_METRIC_REVENUE] = "revenue",
};

TC_DEFINE_ENUM_NAMES (TcCampaignMetric, tc_campaign_metric, metric_names)

double
tc_campaign_get_test_percent (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->test_percent;
}

gboolean
tc_campaign_get_winner_rule (TcCampaign       *self,
                             TcCampaignMetric *metric,
                             guint            *after_hours)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), FALSE);

  if (self->test_percent <= 0 || !tc_campaign_metric_from_string (self->winner_metric, metric))
    return FALSE;
  *after_hours = self->winner_after_hours;
  return TRUE;
}

void
tc_campaign_set_test (TcCampaign       *self,
                      double            percent,
                      TcCampaignMetric  metric,
                      guint             after_hours)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  self->test_percent = percent;
  g_free (self->winner_metric);
  self->winner_metric = g_strdup (percent > 0 ? tc_campaign_metric_to_string (metric) : "");
  self->winner_after_hours = percent > 0 ? after_hours : 0;
}

const char *
tc_campaign_get_winner (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return self->winner;
}

TcCampaignSchedule
tc_campaign_get_schedule (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), TC_CAMPAIGN_SCHEDULE_NOW);
  return self->schedule;
}

gint64
tc_campaign_get_send_at (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->send_at;
}

const char *
tc_campaign_get_local_time (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return self->local_time;
}

void
tc_campaign_set_schedule_now (TcCampaign *self)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  self->schedule = TC_CAMPAIGN_SCHEDULE_NOW;
  self->send_at = 0;
  g_free (self->local_time);
  self->local_time = g_strdup ("");
}

void
tc_campaign_set_schedule_at (TcCampaign *self,
                             gint64      send_at)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  tc_campaign_set_schedule_now (self);
  self->schedule = TC_CAMPAIGN_SCHEDULE_AT;
  self->send_at = send_at;
}

void
tc_campaign_set_schedule_local_time (TcCampaign *self,
                                     const char *hhmm,
                                     gint64      on_day)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));

  tc_campaign_set_schedule_now (self);
  self->schedule = TC_CAMPAIGN_SCHEDULE_LOCAL_TIME;
  self->send_at = on_day;
  g_free (self->local_time);
  self->local_time = g_strstrip (g_strdup (hhmm != NULL ? hhmm : ""));
}

const char *
tc_campaign_get_sender (TcCampaign *self,
                        TcChannel   channel)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  g_return_val_if_fail ((guint) channel < 2, NULL);
  return self->senders[channel];
}

void
tc_campaign_set_sender (TcCampaign *self,
                        TcChannel   channel,
                        const char *sender_id)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  g_return_if_fail ((guint) channel < 2);

  g_free (self->senders[channel]);
  self->senders[channel] = sender_id != NULL && sender_id[0] != '\0' ? g_strdup (sender_id) : NULL;
}

guint
tc_campaign_get_throttle_per_minute (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->per_minute;
}

guint
tc_campaign_get_daily_cap (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->daily_cap;
}

void
tc_campaign_set_pacing (TcCampaign *self,
                        guint       per_minute,
                        guint       daily_cap)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  self->per_minute = per_minute;
  self->daily_cap = daily_cap;
}

guint
tc_campaign_get_audience_size (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->audience_size;
}

guint
tc_campaign_get_n_intended (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->n_intended;
}

guint
tc_campaign_get_n_queued (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->n_queued;
}

gint64
tc_campaign_get_created_at (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->created_at;
}

gint64
tc_campaign_get_started_at (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->started_at;
}

gint64
tc_campaign_get_finished_at (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), 0);
  return self->finished_at;
}

const char *
_tc_campaign_get_phase (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return self->phase;
}

const char *
_tc_campaign_get_group_counts (TcCampaign *self)
{
  g_return_val_if_fail (TC_IS_CAMPAIGN (self), NULL);
  return self->group_counts;
}

gboolean
tc_campaign_parse_local_time (const char *hhmm,
                              int        *hour,
                              int        *minute)
{
  if (hhmm == NULL || strlen (hhmm) != 5 || hhmm[2] != ':' ||
      !g_ascii_isdigit (hhmm[0]) || !g_ascii_isdigit (hhmm[1]) ||
      !g_ascii_isdigit (hhmm[3]) || !g_ascii_isdigit (hhmm[4]))
    return FALSE;

  *hour = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  *minute = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');

  return *hour < 24 && *minute < 60;
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_INVALID, format, args);
  va_end (args);

  return FALSE;
}

gboolean
tc_campaign_validate (TcCampaign  *self,
                      GError     **error)
{
  double total = 0;
  int hour, minute;

  g_return_val_if_fail (TC_IS_CAMPAIGN (self), FALSE);

  if (g_utf8_strlen (g_strstrip (self->name), -1) == 0)
    return invalid (error, "name: a campaign needs a name");
  if (g_utf8_strlen (self->name, -1) > TC_CAMPAIGN_MAX_NAME_CHARS)
    return invalid (error, "name: at most %d characters", TC_CAMPAIGN_MAX_NAME_CHARS);
  if (self->n_variants == 0)
    return invalid (error, "template: choose the template to send");

  for (guint i = 0; i < self->n_variants; i++)
    {
      const TcCampaignVariant *variant = &self->variants[i];

      if (variant->template_name[0] == '\0')
        return invalid (error, "variants[%s].template: choose the template of variant %s",
                        variant->label, variant->label);
      if (self->channel == TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS && variant->fallback_template == NULL)
        return invalid (error, "variants[%s].fallback_template: “whatsapp+sms” needs an SMS "
                        "template for those WhatsApp cannot reach", variant->label);
      if (self->channel != TC_CAMPAIGN_CHANNEL_WHATSAPP_SMS && variant->fallback_template != NULL)
        return invalid (error, "variants[%s].fallback_template: only a “whatsapp+sms” campaign "
                        "has an SMS fallback", variant->label);
      if (!isfinite (variant->percent) || variant->percent <= 0 || variant->percent > 100)
        return invalid (error, "variants[%s].percent: %g is not a share between 0 and 100",
                        variant->label, variant->percent);
      total += variant->percent;
    }
  if (fabs (total - 100.0) > 0.001)
    return invalid (error, "variants: the shares add up to %g %%, not 100 %%", total);

  if (!isfinite (self->holdout_percent) || self->holdout_percent < 0 || self->holdout_percent >= 100)
    return invalid (error, "holdout_percent: %g is not a share from 0 up to (not including) 100",
                    self->holdout_percent);

  if (self->test_percent != 0)
    {
      TcCampaignMetric metric;

      if (!isfinite (self->test_percent) || self->test_percent <= 0 || self->test_percent >= 100)
        return invalid (error, "test_percent: %g is not a share between 0 and 100", self->test_percent);
      if (self->n_variants < 2)
        return invalid (error, "test_percent: a test portion needs at least two variants to compare");
      if (!tc_campaign_metric_from_string (self->winner_metric, &metric))
        return invalid (error, "winner_metric: “%s” is not a measure; use delivery_rate, clicks, "
                        "replies, conversions or revenue", self->winner_metric);
      if (self->winner_after_hours == 0 || self->winner_after_hours > 24 * 30)
        return invalid (error, "winner_after_hours: %u is not a number of hours from 1 to 720",
                        self->winner_after_hours);
    }

  if (!self->audience_all && (self->segments == NULL || self->segments[0] == NULL))
    return invalid (error, "audience: choose at least one segment, or every contact");

  switch (self->schedule)
    {
    case TC_CAMPAIGN_SCHEDULE_NOW:
      break;
    case TC_CAMPAIGN_SCHEDULE_AT:
      if (self->send_at <= 0)
        return invalid (error, "send_at: give the moment to send");
      break;
    case TC_CAMPAIGN_SCHEDULE_LOCAL_TIME:
      if (!tc_campaign_parse_local_time (self->local_time, &hour, &minute))
        return invalid (error, "local_time: “%s” is not a time of day; write it as HH:MM, "
                        "for example 10:00", self->local_time);
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static void
add_names (JsonBuilder        *builder,
           const char         *member,
           const char * const *names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}

/* The audience as stored. */
static void
build_audience (TcCampaign  *self,
                JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  if (self->audience_all)
    {
      json_builder_set_member_name (builder, "all");
      json_builder_add_boolean_value (builder, TRUE);
    }
  else
    add_names (builder, "segments", (const char * const *) self->segments);
  add_names (builder, "exclude", (const char * const *) self->exclusions);
  json_builder_end_object (builder);
}

static void
build_variants (TcCampaign  *self,
                JsonBuilder *builder,
                gboolean     stored)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_variants; i++)
    {
      const TcCampaignVariant *variant = &self->variants[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, variant->label);
      json_builder_set_member_name (builder, "template");
      json_builder_add_string_value (builder, variant->template_name);
      _tc_json_add_text_or_null (builder, "fallback_template", variant->fallback_template);
      json_builder_set_member_name (builder, "percent");
      json_builder_add_double_value (builder, variant->percent);
      if (stored)
        {
          json_builder_set_member_name (builder, "template_id");
          json_builder_add_int_value (builder, variant->template_id);
          json_builder_set_member_name (builder, "fallback_id");
          json_builder_add_int_value (builder, variant->fallback_id);
          json_builder_set_member_name (builder, "fallback_version");
          json_builder_add_int_value (builder, variant->fallback_version);
        }
      json_builder_set_member_name (builder, "template_version");
      if (variant->template_version > 0)
        json_builder_add_int_value (builder, variant->template_version);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
builder_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
_tc_campaign_audience_json (TcCampaign *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_audience (self, builder);
  return builder_text (builder);
}

char *
_tc_campaign_variants_json (TcCampaign *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_variants (self, builder, TRUE);
  return builder_text (builder);
}

void
tc_campaign_build_json (TcCampaign  *self,
                        JsonBuilder *builder)
{
  g_return_if_fail (TC_IS_CAMPAIGN (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, channel_names[self->channel]);
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, tc_purpose_to_string (self->purpose));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state_names[self->state]);
  json_builder_set_member_name (builder, "audience");
  build_audience (self, builder);
  json_builder_set_member_name (builder, "variants");
  build_variants (self, builder, FALSE);
  json_builder_set_member_name (builder, "holdout_percent");
  json_builder_add_double_value (builder, self->holdout_percent);
  json_builder_set_member_name (builder, "test");
  if (self->test_percent > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "percent");
      json_builder_add_double_value (builder, self->test_percent);
      json_builder_set_member_name (builder, "metric");
      json_builder_add_string_value (builder, self->winner_metric);
      json_builder_set_member_name (builder, "after_hours");
      json_builder_add_int_value (builder, self->winner_after_hours);
      _tc_json_add_text_or_null (builder, "winner", self->winner);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "schedule");
  json_builder_add_string_value (builder, schedule_names[self->schedule]);
  _tc_json_add_time_or_null (builder, "send_at", self->send_at);
  _tc_json_add_text_or_null (builder, "local_time", self->local_time);
  json_builder_set_member_name (builder, "senders");
  json_builder_begin_object (builder);
  _tc_json_add_text_or_null (builder, "sms", self->senders[TC_CHANNEL_SMS]);
  _tc_json_add_text_or_null (builder, "whatsapp", self->senders[TC_CHANNEL_WHATSAPP]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "throttle_per_minute");
  json_builder_add_int_value (builder, self->per_minute);
  json_builder_set_member_name (builder, "daily_cap");
  json_builder_add_int_value (builder, self->daily_cap);
  json_builder_set_member_name (builder, "audience_size");
  json_builder_add_int_value (builder, self->audience_size);
  json_builder_set_member_name (builder, "intended");
  json_builder_add_int_value (builder, self->n_intended);
  json_builder_set_member_name (builder, "queued");
  json_builder_add_int_value (builder, self->n_queued);
  _tc_json_add_time_or_null (builder, "created_at", self->created_at);
  _tc_json_add_time_or_null (builder, "started_at", self->started_at);
  _tc_json_add_time_or_null (builder, "finished_at", self->finished_at);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------
 * Loading a stored row
 */

static GStrv
names_from (JsonObject *object,
            const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = json_object_has_member (object, member)
                     ? json_object_get_array_member (object, member) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);

      if (name != NULL)
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

static gboolean
load_audience (TcCampaign  *self,
               const char  *json,
               GError     **error)
{
  g_autoptr(JsonNode) root = json_from_string (json, error);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_error (error);
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT,
                   "The audience of campaign %" G_GINT64_FORMAT " is damaged", self->id);
      return FALSE;
    }
  object = json_node_get_object (root);
  self->audience_all = json_object_get_boolean_member_with_default (object, "all", FALSE);
  g_strfreev (self->segments);
  self->segments = names_from (object, "segments");
  g_strfreev (self->exclusions);
  self->exclusions = names_from (object, "exclude");

  return TRUE;
}

static gboolean
load_variants (TcCampaign  *self,
               const char  *json,
               GError     **error)
{
  g_autoptr(JsonNode) root = json_from_string (json, error);
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_clear_error (error);
      g_set_error (error, TC_DB_ERROR, TC_DB_ERROR_CORRUPT,
                   "The variants of campaign %" G_GINT64_FORMAT " are damaged", self->id);
      return FALSE;
    }
  array = json_node_get_array (root);
  clear_variants (self);
  for (guint i = 0; i < json_array_get_length (array) && i < TC_CAMPAIGN_MAX_VARIANTS; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      TcCampaignVariant *variant = &self->variants[self->n_variants];

      if (object == NULL)
        continue;
      fill_variant (variant, self->n_variants,
                    json_object_get_string_member_with_default (object, "template", ""),
                    json_object_get_string_member_with_default (object, "fallback_template", NULL),
                    json_object_get_double_member_with_default (object, "percent", 0));
      variant->template_id = json_object_get_int_member_with_default (object, "template_id", 0);
      variant->template_version = (int) json_object_get_int_member_with_default (object, "template_version", 0);
      variant->fallback_id = json_object_get_int_member_with_default (object, "fallback_id", 0);
      variant->fallback_version = (int) json_object_get_int_member_with_default (object, "fallback_version", 0);
      self->n_variants++;
    }

  return TRUE;
}

#define CAMPAIGN_COLUMNS \
  "id, name, channel, purpose, audience, variants, holdout_percent, schedule, send_at," \
  " local_time, sms_sender, whatsapp_sender, throttle_per_minute, daily_cap, state, phase," \
  " audience_size, n_queued, created_at, updated_at, started_at, finished_at, n_intended, group_counts," \
  " test_percent, winner_metric, winner_after_hours, winner"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static TcCampaign *
campaign_from_row (sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(TcCampaign) self = tc_campaign_new ();

  self->id = sqlite3_column_int64 (stmt, 0);
  g_free (self->name);
  self->name = g_strdup (column_text (stmt, 1));
  tc_campaign_channel_from_string (column_text (stmt, 2), &self->channel);
  tc_purpose_from_string (column_text (stmt, 3), &self->purpose);
  if (!load_audience (self, column_text (stmt, 4), error) ||
      !load_variants (self, column_text (stmt, 5), error))
    return NULL;
  self->holdout_percent = sqlite3_column_double (stmt, 6);
  tc_campaign_schedule_from_string (column_text (stmt, 7), &self->schedule);
  self->send_at = sqlite3_column_int64 (stmt, 8);
  g_free (self->local_time);
  self->local_time = g_strdup (column_text (stmt, 9));
  tc_campaign_set_sender (self, TC_CHANNEL_SMS, column_text (stmt, 10));
  tc_campaign_set_sender (self, TC_CHANNEL_WHATSAPP, column_text (stmt, 11));
  self->per_minute = (guint) sqlite3_column_int64 (stmt, 12);
  self->daily_cap = (guint) sqlite3_column_int64 (stmt, 13);
  tc_campaign_state_from_string (column_text (stmt, 14), &self->state);
  g_free (self->phase);
  self->phase = g_strdup (column_text (stmt, 15));
  self->audience_size = (guint) sqlite3_column_int64 (stmt, 16);
  self->n_queued = (guint) sqlite3_column_int64 (stmt, 17);
  self->created_at = sqlite3_column_int64 (stmt, 18);
  self->updated_at = sqlite3_column_int64 (stmt, 19);
  self->started_at = sqlite3_column_int64 (stmt, 20);
  self->finished_at = sqlite3_column_int64 (stmt, 21);
  self->n_intended = (guint) sqlite3_column_int64 (stmt, 22);
  g_free (self->group_counts);
  self->group_counts = g_strdup (column_text (stmt, 23));
  self->test_percent = sqlite3_column_double (stmt, 24);
  g_free (self->winner_metric);
  self->winner_metric = g_strdup (column_text (stmt, 25));
  self->winner_after_hours = (guint) sqlite3_column_int64 (stmt, 26);
  g_free (self->winner);
  self->winner = g_strdup (column_text (stmt, 27));

  return g_steal_pointer (&self);
}

TcCampaign *
_tc_db_campaign_load (TcDb    *db,
                      gint64   id,
                      GError **error)
{
  sqlite3_stmt *stmt;
  TcCampaign *campaign = NULL;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    campaign = campaign_from_row (stmt, error);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_NOT_FOUND,
                 "There is no campaign %" G_GINT64_FORMAT, id);
  else if (rc != SQLITE_ROW)
    _tc_db_set_error (db, error, "Cannot read the campaign");

  return campaign;
}

static GPtrArray *
db_list (TcDb    *db,
         GError **error)
{
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcCampaign *campaign = campaign_from_row (stmt, error);

      if (campaign == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (campaigns, campaign);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the campaigns");
      return NULL;
    }

  return g_steal_pointer (&campaigns);
}

/* ------------------------------------------------------------------------
 * Saving
 */

/* The id of the template @name of @kind ("sms", "whatsapp"), or 0. */
static gboolean
find_template (TcDb        *db,
               const char  *kind,
               const char  *name,
               gint64      *id,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT id FROM templates WHERE kind = ?1 AND name = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot look up the template");

  return TRUE;
}

static gboolean
segment_exists (TcDb        *db,
                const char  *name,
                gboolean    *exists,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT 1 FROM segments WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *exists = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot look up the segment");

  return TRUE;
}

/* What the saved campaign refers to must exist. */
static gboolean
check_references (TcDb        *db,
                  TcCampaign  *self,
                  GError     **error)
{
  const char *kind = self->channel == TC_CAMPAIGN_CHANNEL_SMS ? "sms" : "whatsapp";
  const char * const *lists[] = {
    (const char * const *) self->segments, (const char * const *) self->exclusions,
  };

  for (guint i = 0; i < self->n_variants; i++)
    {
      const TcCampaignVariant *variant = &self->variants[i];
      gint64 id;

      if (!find_template (db, kind, variant->template_name, &id, error))
        return FALSE;
      if (id == 0)
        return invalid (error, "variants[%s].template: there is no %s template “%s”",
                        variant->label, self->channel == TC_CAMPAIGN_CHANNEL_SMS ? "SMS" : "WhatsApp",
                        variant->template_name);
      if (variant->fallback_template != NULL)
        {
          if (!find_template (db, "sms", variant->fallback_template, &id, error))
            return FALSE;
          if (id == 0)
            return invalid (error, "variants[%s].fallback_template: there is no SMS template “%s”",
                            variant->label, variant->fallback_template);
        }
    }

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        gboolean exists;

        if (!segment_exists (db, lists[l][i], &exists, error))
          return FALSE;
        if (!exists)
          return invalid (error, "%s: there is no segment “%s”", l == 0 ? "segments" : "exclude",
                          lists[l][i]);
      }

  return TRUE;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
bind_text_or_empty (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

static gboolean
write_campaign (TcDb        *db,
                TcCampaign  *self,
                GError     **error)
{
  g_autofree char *audience = _tc_campaign_audience_json (self);
  g_autofree char *variants = _tc_campaign_variants_json (self);
  sqlite3_stmt *stmt;
  gint64 now = now_unix ();
  int rc;

  if (self->id == 0)
    stmt = _tc_db_prepare (db,
                           "INSERT INTO campaigns (name, channel, purpose, audience, variants,"
                           " holdout_percent, schedule, send_at, local_time, sms_sender,"
                           " whatsapp_sender, throttle_per_minute, daily_cap, created_at, updated_at,"
                           " test_percent, winner_metric, winner_after_hours)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14,"
                           " ?16, ?17, ?18)",
                           error);
  else
    stmt = _tc_db_prepare (db,
                           "UPDATE campaigns SET name = ?1, channel = ?2, purpose = ?3, audience = ?4,"
                           " variants = ?5, holdout_percent = ?6, schedule = ?7, send_at = ?8,"
                           " local_time = ?9, sms_sender = ?10, whatsapp_sender = ?11,"
                           " throttle_per_minute = ?12, daily_cap = ?13, updated_at = ?14,"
                           " test_percent = ?16, winner_metric = ?17, winner_after_hours = ?18"
                           " WHERE id = ?15 AND state = 'draft'",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, channel_names[self->channel], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tc_purpose_to_string (self->purpose), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, audience, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, variants, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 6, self->holdout_percent);
  sqlite3_bind_text (stmt, 7, schedule_names[self->schedule], -1, SQLITE_STATIC);
  if (self->send_at > 0)
    sqlite3_bind_int64 (stmt, 8, self->send_at);
  bind_text_or_empty (stmt, 9, self->local_time);
  bind_text_or_empty (stmt, 10, self->senders[TC_CHANNEL_SMS]);
  bind_text_or_empty (stmt, 11, self->senders[TC_CHANNEL_WHATSAPP]);
  sqlite3_bind_int64 (stmt, 12, self->per_minute);
  sqlite3_bind_int64 (stmt, 13, self->daily_cap);
  sqlite3_bind_int64 (stmt, 14, now);
  if (self->id != 0)
    sqlite3_bind_int64 (stmt, 15, self->id);
  sqlite3_bind_double (stmt, 16, self->test_percent);
  sqlite3_bind_text (stmt, 17, self->winner_metric, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 18, self->winner_after_hours);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot save the campaign");

  if (self->id == 0)
    {
      self->id = sqlite3_last_insert_rowid (_tc_db_get_handle (db));
      self->created_at = now;
    }
  else if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE,
                   "Campaign %" G_GINT64_FORMAT " is no longer a draft: it cannot be changed",
                   self->id);
      return FALSE;
    }
  self->updated_at = now;

  return TRUE;
}

typedef struct
{
  TcCampaign *campaign;
  gint64      id;
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  g_clear_object (&job->campaign);
  g_free (job);
}

static gpointer
save_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  StoreJob *job = job_data;
  gint64 id_before = job->campaign->id;

  if (!_tc_db_begin (db, error))
    return NULL;
  if (!check_references (db, job->campaign, error) ||
      !write_campaign (db, job->campaign, error) ||
      !_tc_db_commit (db, error))
    {
      _tc_db_rollback (db);
      job->campaign->id = id_before;
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

static void
run_job (TcRepository        *repository,
         TcDbJobKind          kind,
         TcDbJobFunc          func,
         StoreJob            *job,
         GDestroyNotify       result_free,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (repository, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* The task data is how the result is freed if nobody takes it. */
  g_task_set_task_data (task, result_free, NULL);
  _tc_repository_run_async_full (repository, kind, func, job, (GDestroyNotify) store_job_free,
                                 result_free, FALSE, cancellable, on_job_done_cb,
                                 g_steal_pointer (&task));
}

void
tc_campaign_store_save_async (TcRepository        *repository,
                              TcCampaign          *campaign,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  StoreJob *job;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (TC_IS_CAMPAIGN (campaign));

  if (!tc_campaign_validate (campaign, &error))
    {
      g_task_report_error (repository, callback, user_data, tc_campaign_store_save_async,
                           g_steal_pointer (&error));
      return;
    }

  job = g_new0 (StoreJob, 1);
  job->campaign = g_object_ref (campaign);
  run_job (repository, TC_DB_JOB_WRITE, save_job, job, NULL, tc_campaign_store_save_async,
           cancellable, callback, user_data);
}

gboolean
tc_campaign_store_save_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  StoreJob *job = job_data;

  return _tc_db_campaign_load (db, job->id, error);
}

void
tc_campaign_store_get_async (TcRepository        *repository,
                             gint64               id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  StoreJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  job = g_new0 (StoreJob, 1);
  job->id = id;
  run_job (repository, TC_DB_JOB_READ, get_job, job, g_object_unref, tc_campaign_store_get_async,
           cancellable, callback, user_data);
}

TcCampaign *
tc_campaign_store_get_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  return db_list (db, error);
}

void
tc_campaign_store_list_async (TcRepository        *repository,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));

  run_job (repository, TC_DB_JOB_READ, list_job, g_new0 (StoreJob, 1),
           (GDestroyNotify) g_ptr_array_unref, tc_campaign_store_list_async, cancellable, callback,
           user_data);
}

GPtrArray *
tc_campaign_store_list_finish (TcRepository  *repository,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
delete_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  StoreJob *job = job_data;
  g_autoptr(TcCampaign) campaign = _tc_db_campaign_load (db, job->id, error);
  sqlite3_stmt *stmt;
  int rc;

  if (campaign == NULL)
    return NULL;
  if (campaign->state != TC_CAMPAIGN_DRAFT)
    {
      g_set_error (error, TC_CAMPAIGN_ERROR, TC_CAMPAIGN_ERROR_STATE,
                   "Campaign %" G_GINT64_FORMAT " is %s: only a draft can be deleted (cancel it instead)",
                   job->id, state_names[campaign->state]);
      return NULL;
    }

  stmt = _tc_db_prepare (db, "DELETE FROM campaigns WHERE id = ?1 AND state = 'draft'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot delete the campaign");
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

void
tc_campaign_store_delete_async (TcRepository        *repository,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  StoreJob *job;

  g_return_if_fail (TC_IS_REPOSITORY (repository));

  job = g_new0 (StoreJob, 1);
  job->id = id;
  run_job (repository, TC_DB_JOB_WRITE, delete_job, job, NULL, tc_campaign_store_delete_async,
           cancellable, callback, user_data);
}

gboolean
tc_campaign_store_delete_finish (TcRepository  *repository,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, repository), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}
