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
  GObject          parent_instance;

  gint64           id;
  gint64           contact_id;
  TcChannel        channel;
  TcPurpose        purpose;
  TcConsentStatus  status;
  TcConsentMethod  method;
  char            *source;
  char            *wording;
  GDateTime       *recorded_at;
};

G_DEFINE_FINAL_TYPE (TcConsent, tc_consent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CONTACT_ID,
  PROP_CHANNEL,
  PROP_PURPOSE,
  PROP_STATUS,
  PROP_METHOD,
  PROP_SOURCE,
  PROP_WORDING,
  PROP_RECORDED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tc_consent_finalize (GObject *object)
{
  TcConsent *self = (TcConsent *)object;

  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->wording, g_free);
  g_clear_pointer (&self->recorded_at, g_date_time_unref);

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

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_WORDING:
      g_value_set_string (value, self->wording);
      break;

    case PROP_RECORDED_AT:
      g_value_set_boxed (value, self->recorded_at);
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

    case PROP_STATUS:
      tc_consent_set_status (self, g_value_get_enum (value));
      break;

    case PROP_METHOD:
      tc_consent_set_method (self, g_value_get_enum (value));
      break;

    case PROP_SOURCE:
      tc_consent_set_source (self, g_value_get_string (value));
      break;

    case PROP_WORDING:
      tc_consent_set_wording (self, g_value_get_string (value));
      break;

    case PROP_RECORDED_AT:
      tc_consent_set_recorded_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_consent_class_init (TcConsentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

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
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       TC_TYPE_CONSENT_STATUS, TC_CONSENT_STATUS_NONE, rw);
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL,
                       TC_TYPE_CONSENT_METHOD, TC_CONSENT_METHOD_SINGLE, rw);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL, rw);
  properties[PROP_WORDING] =
    g_param_spec_string ("wording", NULL, NULL, NULL, rw);
  properties[PROP_RECORDED_AT] =
    g_param_spec_boxed ("recorded-at", NULL, NULL, G_TYPE_DATE_TIME, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_consent_init (TcConsent *self)
{
}

TcConsent *
tc_consent_new (gint64          contact_id,
                TcChannel       channel,
                TcPurpose       purpose,
                TcConsentStatus status)
{
  return g_object_new (TC_TYPE_CONSENT,
                       "contact-id", contact_id,
                       "channel", channel,
                       "purpose", purpose,
                       "status", status,
                       NULL);
}

gint64
tc_consent_get_id (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), 0);

  return self->id;
}

void
tc_consent_set_id (TcConsent *self,
                   gint64     id)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
tc_consent_get_contact_id (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), 0);

  return self->contact_id;
}

void
tc_consent_set_contact_id (TcConsent *self,
                           gint64     contact_id)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->contact_id == contact_id)
    return;

  self->contact_id = contact_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT_ID]);
}

TcChannel
tc_consent_get_channel (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), TC_CHANNEL_SMS);

  return self->channel;
}

void
tc_consent_set_channel (TcConsent *self,
                        TcChannel  channel)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->channel == channel)
    return;

  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

TcPurpose
tc_consent_get_purpose (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), TC_PURPOSE_PROMOTIONAL);

  return self->purpose;
}

void
tc_consent_set_purpose (TcConsent *self,
                        TcPurpose  purpose)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->purpose == purpose)
    return;

  self->purpose = purpose;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURPOSE]);
}

TcConsentStatus
tc_consent_get_status (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), TC_CONSENT_STATUS_NONE);

  return self->status;
}

void
tc_consent_set_status (TcConsent       *self,
                       TcConsentStatus  status)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

TcConsentMethod
tc_consent_get_method (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), TC_CONSENT_METHOD_SINGLE);

  return self->method;
}

void
tc_consent_set_method (TcConsent       *self,
                       TcConsentMethod  method)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->method == method)
    return;

  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

const char *
tc_consent_get_source (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), NULL);

  return self->source;
}

void
tc_consent_set_source (TcConsent  *self,
                       const char *source)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (g_strcmp0 (self->source, source) == 0)
    return;

  g_free (self->source);
  self->source = g_strdup (source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

const char *
tc_consent_get_wording (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), NULL);

  return self->wording;
}

void
tc_consent_set_wording (TcConsent  *self,
                        const char *wording)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (g_strcmp0 (self->wording, wording) == 0)
    return;

  g_free (self->wording);
  self->wording = g_strdup (wording);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORDING]);
}

GDateTime *
tc_consent_get_recorded_at (TcConsent *self)
{
  g_return_val_if_fail (TC_IS_CONSENT (self), NULL);

  return self->recorded_at;
}

void
tc_consent_set_recorded_at (TcConsent *self,
                            GDateTime *recorded_at)
{
  g_return_if_fail (TC_IS_CONSENT (self));

  if (self->recorded_at == recorded_at ||
      (self->recorded_at != NULL && recorded_at != NULL &&
       g_date_time_equal (self->recorded_at, recorded_at)))
    return;

  g_clear_pointer (&self->recorded_at, g_date_time_unref);
  if (recorded_at != NULL)
    self->recorded_at = g_date_time_to_utc (recorded_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDED_AT]);
}
