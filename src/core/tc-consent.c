/* tc-consent.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-consent"

#include "config.h"

#include "tc-consent.h"
#include "tc-enums.h"

struct _TcConsent
{
  GObject             parent_instance;

  gint64              id;
  gint64              contact_id;
  TcChannel           channel;
  TcPurpose           purpose;
  TcConsentEventKind  kind;
  TcConsentStatus     status;
  TcConsentMethod     method;
  TcConsentSource     source;
  char               *wording;
  char               *origin;
  GDateTime          *occurred_at;
  GDateTime          *recorded_at;
  GDateTime          *expires_at;
};

G_DEFINE_FINAL_TYPE (TcConsent, tc_consent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CONTACT_ID,
  PROP_CHANNEL,
  PROP_PURPOSE,
  PROP_KIND,
  PROP_STATUS,
  PROP_METHOD,
  PROP_SOURCE,
  PROP_WORDING,
  PROP_ORIGIN,
  PROP_OCCURRED_AT,
  PROP_RECORDED_AT,
  PROP_EXPIRES_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_date_time (GDateTime **slot,
               GDateTime  *value)
{
  if (*slot == value || (*slot != NULL && value != NULL && g_date_time_equal (*slot, value)))
    return FALSE;

  g_clear_pointer (slot, g_date_time_unref);
  if (value != NULL)
    *slot = g_date_time_ref (value);

  return TRUE;
}

static gboolean
set_string (char       **slot,
            const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;

  g_free (*slot);
  *slot = g_strdup (value);

  return TRUE;
}

static void
tc_consent_finalize (GObject *object)
{
  TcConsent *self = (TcConsent *)object;

  g_clear_pointer (&self->wording, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->occurred_at, g_date_time_unref);
  g_clear_pointer (&self->recorded_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (tc_consent_parent_class)->finalize (object);
}

static void
tc_consent_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcConsent *self = TC_CONSENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_CONTACT_ID:
      g_value_set_int64 (value, self->contact_id);
      break;

    case PROP_CHANNEL:
      g_value_set_enum (value, self->channel);
      break;

    case PROP_PURPOSE:
      g_value_set_enum (value, self->purpose);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;

    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_WORDING:
      g_value_set_string (value, self->wording);
      break;

    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;

    case PROP_OCCURRED_AT:
      g_value_set_boxed (value, self->occurred_at);
      break;

    case PROP_RECORDED_AT:
      g_value_set_boxed (value, self->recorded_at);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_consent_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcConsent *self = TC_CONSENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      tc_consent_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_CONTACT_ID:
      tc_consent_set_contact_id (self, g_value_get_int64 (value));
      break;

    case PROP_CHANNEL:
      tc_consent_set_channel (self, g_value_get_enum (value));
      break;

    case PROP_PURPOSE:
      tc_consent_set_purpose (self, g_value_get_enum (value));
      break;

    case PROP_KIND:
      tc_consent_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
      tc_consent_set_status (self, g_value_get_enum (value));
      break;

    case PROP_METHOD:
      tc_consent_set_method (self, g_value_get_enum (value));
      break;

    case PROP_SOURCE:
      tc_consent_set_source (self, g_value_get_enum (value));
      break;

    case PROP_WORDING:
      tc_consent_set_wording (self, g_value_get_string (value));
      break;

    case PROP_ORIGIN:
      tc_consent_set_origin (self, g_value_get_string (value));
      break;

    case PROP_OCCURRED_AT:
      tc_consent_set_occurred_at (self, g_value_get_boxed (value));
      break;

    case PROP_RECORDED_AT:
      tc_consent_set_recorded_at (self, g_value_get_boxed (value));
      break;

    case PROP_EXPIRES_AT:
      tc_consent_set_expires_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_consent_class_init (TcConsentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_consent_finalize;
  object_class->get_property = tc_consent_get_property;
  object_class->set_property = tc_consent_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_CONTACT_ID] =
    g_param_spec_int64 ("contact-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_CHANNEL] =
    g_param_spec_enum ("channel", NULL, NULL,
                       TC_TYPE_CHANNEL, TC_CHANNEL_SMS, rw);
  properties[PROP_PURPOSE] =
    g_param_spec_enum ("purpose", NULL, NULL,
                       TC_TYPE_PURPOSE, TC_PURPOSE_PROMOTIONAL, rw);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       TC_TYPE_CONSENT_EVENT_KIND, TC_CONSENT_EVENT_OPTED_IN, rw);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       TC_TYPE_CONSENT_STATUS, TC_CONSENT_STATUS_NONE, rw);
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL,
                       TC_TYPE_CONSENT_METHOD, TC_CONSENT_METHOD_SINGLE, rw);
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       TC_TYPE_CONSENT_SOURCE, TC_CONSENT_SOURCE_MANUAL, rw);
  properties[PROP_WORDING] =
    g_param_spec_string ("wording", NULL, NULL, NULL, rw);
  properties[PROP_ORIGIN] =
    g_param_spec_string ("origin", NULL, NULL, NULL, rw);
  properties[PROP_OCCURRED_AT] =
    g_param_spec_boxed ("occurred-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_RECORDED_AT] =
    g_param_spec_boxed ("recorded-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_consent_init (TcConsent *self)
{
  self->source = TC_CONSENT_SOURCE_MANUAL;
  self->kind = TC_CONSENT_EVENT_OPTED_IN;
}

TcConsent *
tc_consent_new (gint64              contact_id,
                TcChannel           channel,
                TcPurpose           purpose,
                TcConsentEventKind  kind)
{
  return g_object_new (TC_TYPE_CONSENT,
                       "contact-id", contact_id,
                       "channel", channel,
                       "purpose", purpose,
                       "kind", kind,
                       NULL);
}

TcConsent *
tc_consent_copy (TcConsent *self)
{
  TcConsent *copy;

  g_return_val_if_fail (TC_IS_CONSENT (self), NULL);

  copy = tc_consent_new (self->contact_id, self->channel, self->purpose, self->kind);
  copy->id = self->id;
  copy->status = self->status;
  copy->method = self->method;
  copy->source = self->source;
  copy->wording = g_strdup (self->wording);
  copy->origin = g_strdup (self->origin);
  set_date_time (&copy->occurred_at, self->occurred_at);
  set_date_time (&copy->recorded_at, self->recorded_at);
  set_date_time (&copy->expires_at, self->expires_at);

  return copy;
}

#define DEFINE_SCALAR(type, name, PROP)                                        \
  type                                                                         \
  tc_consent_get_##name (TcConsent *self)                                      \
  {                                                                            \
    g_return_val_if_fail (TC_IS_CONSENT (self), 0);                            \
    return self->name;                                                         \
  }                                                                            \
                                                                               \
  void                                                                         \
  tc_consent_set_##name (TcConsent *self,                                      \
                         type       name)                                      \
  {                                                                            \
    g_return_if_fail (TC_IS_CONSENT (self));                                   \
    if (self->name == name)                                                    \
      return;                                                                  \
    self->name = name;                                                         \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);              \
  }

DEFINE_SCALAR (gint64, id, PROP_ID)
DEFINE_SCALAR (gint64, contact_id, PROP_CONTACT_ID)
DEFINE_SCALAR (TcChannel, channel, PROP_CHANNEL)
DEFINE_SCALAR (TcPurpose, purpose, PROP_PURPOSE)
DEFINE_SCALAR (TcConsentEventKind, kind, PROP_KIND)
DEFINE_SCALAR (TcConsentStatus, status, PROP_STATUS)
DEFINE_SCALAR (TcConsentMethod, method, PROP_METHOD)
DEFINE_SCALAR (TcConsentSource, source, PROP_SOURCE)

#define DEFINE_STRING(name, PROP)                                              \
  const char *                                                                 \
  tc_consent_get_##name (TcConsent *self)                                      \
  {                                                                            \
    g_return_val_if_fail (TC_IS_CONSENT (self), NULL);                         \
    return self->name;                                                         \
  }                                                                            \
                                                                               \
  void                                                                         \
  tc_consent_set_##name (TcConsent  *self,                                     \
                         const char *name)                                     \
  {                                                                            \
    g_return_if_fail (TC_IS_CONSENT (self));                                   \
    if (set_string (&self->name, name))                                         \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);            \
  }

DEFINE_STRING (wording, PROP_WORDING)
DEFINE_STRING (origin, PROP_ORIGIN)

#define DEFINE_DATE_TIME(name, PROP)                                           \
  GDateTime *                                                                  \
  tc_consent_get_##name (TcConsent *self)                                      \
  {                                                                            \
    g_return_val_if_fail (TC_IS_CONSENT (self), NULL);                         \
    return self->name;                                                         \
  }                                                                            \
                                                                               \
  void                                                                         \
  tc_consent_set_##name (TcConsent *self,                                      \
                         GDateTime *name)                                      \
  {                                                                            \
    g_return_if_fail (TC_IS_CONSENT (self));                                   \
    if (set_date_time (&self->name, name))                                     \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);            \
  }

DEFINE_DATE_TIME (occurred_at, PROP_OCCURRED_AT)
DEFINE_DATE_TIME (recorded_at, PROP_RECORDED_AT)
DEFINE_DATE_TIME (expires_at, PROP_EXPIRES_AT)

TcConsentStatus
tc_consent_fold (TcConsentStatus     before,
                 TcConsentEventKind  kind)
{
  switch (kind)
    {
    case TC_CONSENT_EVENT_REQUESTED:
      return before == TC_CONSENT_STATUS_OPTED_IN ? before : TC_CONSENT_STATUS_PENDING;

    case TC_CONSENT_EVENT_CONFIRMED:
      return before == TC_CONSENT_STATUS_PENDING ? TC_CONSENT_STATUS_OPTED_IN : before;

    case TC_CONSENT_EVENT_OPTED_IN:
    case TC_CONSENT_EVENT_RESUBSCRIBED:
      return TC_CONSENT_STATUS_OPTED_IN;

    case TC_CONSENT_EVENT_OPTED_OUT:
    case TC_CONSENT_EVENT_BLOCKED:
      return TC_CONSENT_STATUS_OPTED_OUT;

    case TC_CONSENT_EVENT_EXPIRED:
      return before == TC_CONSENT_STATUS_PENDING ? TC_CONSENT_STATUS_EXPIRED : before;

    default:
      g_return_val_if_reached (before);
    }
}

gboolean
tc_consent_status_allows (TcConsentStatus status)
{
  return status == TC_CONSENT_STATUS_OPTED_IN;
}
