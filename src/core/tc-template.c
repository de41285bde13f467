/* tc-template.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-template"

#include "config.h"

#include <string.h>

#include "tc-enums.h"
#include "tc-template.h"

struct _TcTemplate
{
  GObject         parent_instance;

  gint64          id;
  char           *name;
  TcTemplateKind  kind;
  char           *body;
  char           *definition;
  char           *language;
  TcPurpose       purpose;
  int             version;
  char           *status;
  char           *status_reason;
  char           *media_url;
  char           *media_type;
  GDateTime      *created_at;
  GDateTime      *updated_at;
};

G_DEFINE_FINAL_TYPE (TcTemplate, tc_template, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TcTemplateKind, tc_template_kind,
  G_DEFINE_ENUM_VALUE (TC_TEMPLATE_KIND_SMS, "sms"),
  G_DEFINE_ENUM_VALUE (TC_TEMPLATE_KIND_WHATSAPP, "whatsapp"),
  G_DEFINE_ENUM_VALUE (TC_TEMPLATE_KIND_SNIPPET, "snippet"))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_BODY,
  PROP_DEFINITION,
  PROP_LANGUAGE,
  PROP_PURPOSE,
  PROP_VERSION,
  PROP_STATUS,
  PROP_STATUS_REASON,
  PROP_MEDIA_URL,
  PROP_MEDIA_TYPE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [TC_TEMPLATE_KIND_SMS] = "sms",
  [TC_TEMPLATE_KIND_WHATSAPP] = "whatsapp",
  [TC_TEMPLATE_KIND_SNIPPET] = "snippet",
};

const char *
tc_template_kind_to_string (TcTemplateKind kind)
{
  g_return_val_if_fail (kind <= TC_TEMPLATE_KIND_SNIPPET, NULL);

  return kind_names[kind];
}

gboolean
tc_template_kind_from_string (const char     *str,
                              TcTemplateKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (strcmp (kind_names[i], str) == 0)
        {
          *kind = (TcTemplateKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Strings are never NULL inside: "" stands for unset, so that comparing
 * versions does not have to tell NULL from "". */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static gboolean
set_date_time (GDateTime **field,
               GDateTime  *value)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);

  return TRUE;
}

static void
tc_template_finalize (GObject *object)
{
  TcTemplate *self = (TcTemplate *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->definition, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->status_reason, g_free);
  g_clear_pointer (&self->media_url, g_free);
  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (tc_template_parent_class)->finalize (object);
}

static void
tc_template_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TcTemplate *self = TC_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_PURPOSE:
      g_value_set_enum (value, self->purpose);
      break;

    case PROP_VERSION:
      g_value_set_int (value, self->version);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;

    case PROP_DEFINITION:
      g_value_set_string (value, self->definition);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_STATUS_REASON:
      g_value_set_string (value, self->status_reason);
      break;

    case PROP_MEDIA_URL:
      g_value_set_string (value, self->media_url);
      break;

    case PROP_MEDIA_TYPE:
      g_value_set_string (value, self->media_type);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_template_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TcTemplate *self = TC_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      tc_template_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_KIND:
      tc_template_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_PURPOSE:
      tc_template_set_purpose (self, g_value_get_enum (value));
      break;

    case PROP_VERSION:
      tc_template_set_version (self, g_value_get_int (value));
      break;

    case PROP_NAME:
      tc_template_set_name (self, g_value_get_string (value));
      break;

    case PROP_BODY:
      tc_template_set_body (self, g_value_get_string (value));
      break;

    case PROP_DEFINITION:
      tc_template_set_definition (self, g_value_get_string (value));
      break;

    case PROP_LANGUAGE:
      tc_template_set_language (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      tc_template_set_status (self, g_value_get_string (value));
      break;

    case PROP_STATUS_REASON:
      tc_template_set_status_reason (self, g_value_get_string (value));
      break;

    case PROP_MEDIA_URL:
      tc_template_set_media_url (self, g_value_get_string (value));
      break;

    case PROP_MEDIA_TYPE:
      tc_template_set_media_type (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      tc_template_set_created_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      tc_template_set_updated_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_template_class_init (TcTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = tc_template_finalize;
  object_class->get_property = tc_template_get_property;
  object_class->set_property = tc_template_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       TC_TYPE_TEMPLATE_KIND, TC_TEMPLATE_KIND_SMS, flags);
  properties[PROP_PURPOSE] =
    g_param_spec_enum ("purpose", NULL, NULL,
                       TC_TYPE_PURPOSE, TC_PURPOSE_PROMOTIONAL, flags);
  properties[PROP_VERSION] =
    g_param_spec_int ("version", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, "", flags);
  properties[PROP_DEFINITION] =
    g_param_spec_string ("definition", NULL, NULL, "", flags);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "", flags);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, "draft", flags);
  properties[PROP_STATUS_REASON] =
    g_param_spec_string ("status-reason", NULL, NULL, "", flags);
  properties[PROP_MEDIA_URL] =
    g_param_spec_string ("media-url", NULL, NULL, "", flags);
  properties[PROP_MEDIA_TYPE] =
    g_param_spec_string ("media-type", NULL, NULL, "", flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_template_init (TcTemplate *self)
{
  self->name = g_strdup ("");
  self->body = g_strdup ("");
  self->definition = g_strdup ("");
  self->language = g_strdup ("");
  self->status = g_strdup ("draft");
  self->status_reason = g_strdup ("");
  self->media_url = g_strdup ("");
  self->media_type = g_strdup ("");
  self->purpose = TC_PURPOSE_PROMOTIONAL;
}

TcTemplate *
tc_template_new (TcTemplateKind  kind,
                 const char     *name)
{
  return g_object_new (TC_TYPE_TEMPLATE,
                       "kind", kind,
                       "name", name,
                       NULL);
}

TcTemplate *
tc_template_copy (TcTemplate *self)
{
  TcTemplate *copy;

  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  copy = tc_template_new (self->kind, self->name);
  copy->id = self->id;
  copy->purpose = self->purpose;
  copy->version = self->version;
  set_string (&copy->body, self->body);
  set_string (&copy->definition, self->definition);
  set_string (&copy->language, self->language);
  set_string (&copy->status, self->status);
  set_string (&copy->status_reason, self->status_reason);
  set_string (&copy->media_url, self->media_url);
  set_string (&copy->media_type, self->media_type);
  set_date_time (&copy->created_at, self->created_at);
  set_date_time (&copy->updated_at, self->updated_at);

  return copy;
}

gboolean
tc_template_content_differs (TcTemplate *self,
                             TcTemplate *other)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (TC_IS_TEMPLATE (other), FALSE);

  return strcmp (self->body, other->body) != 0 ||
         strcmp (self->definition, other->definition) != 0 ||
         strcmp (self->language, other->language) != 0 ||
         strcmp (self->media_url, other->media_url) != 0 ||
         strcmp (self->media_type, other->media_type) != 0 ||
         self->purpose != other->purpose;
}

gint64
tc_template_get_id (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), 0);

  return self->id;
}

void
tc_template_set_id (TcTemplate *self,
                    gint64      id)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tc_template_get_name (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->name;
}

void
tc_template_set_name (TcTemplate *self,
                      const char *name)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

TcTemplateKind
tc_template_get_kind (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), 0);

  return self->kind;
}

void
tc_template_set_kind (TcTemplate     *self,
                      TcTemplateKind  kind)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));
  g_return_if_fail (kind <= TC_TEMPLATE_KIND_SNIPPET);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
tc_template_get_body (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->body;
}

void
tc_template_set_body (TcTemplate *self,
                      const char *body)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->body, body))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY]);
}

const char *
tc_template_get_definition (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->definition;
}

void
tc_template_set_definition (TcTemplate *self,
                            const char *definition)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->definition, definition))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFINITION]);
}

const char *
tc_template_get_language (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->language;
}

void
tc_template_set_language (TcTemplate *self,
                          const char *language)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->language, language))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

TcPurpose
tc_template_get_purpose (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), 0);

  return self->purpose;
}

void
tc_template_set_purpose (TcTemplate *self,
                         TcPurpose   purpose)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (self->purpose == purpose)
    return;

  self->purpose = purpose;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PURPOSE]);
}

int
tc_template_get_version (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), 0);

  return self->version;
}

void
tc_template_set_version (TcTemplate *self,
                         int         version)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;

  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

const char *
tc_template_get_status (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->status;
}

void
tc_template_set_status (TcTemplate *self,
                        const char *status)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->status, status))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
tc_template_get_status_reason (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->status_reason;
}

void
tc_template_set_status_reason (TcTemplate *self,
                               const char *status_reason)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->status_reason, status_reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_REASON]);
}

/* Returns: (transfer none) (nullable) */
GDateTime *
tc_template_get_created_at (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->created_at;
}

void
tc_template_set_created_at (TcTemplate *self,
                            GDateTime  *created_at)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

/* Returns: (transfer none) (nullable) */
GDateTime *
tc_template_get_updated_at (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->updated_at;
}

void
tc_template_set_updated_at (TcTemplate *self,
                            GDateTime  *updated_at)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
tc_template_get_media_url (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->media_url;
}

void
tc_template_set_media_url (TcTemplate *self,
                           const char *media_url)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->media_url, media_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_URL]);
}

const char *
tc_template_get_media_type (TcTemplate *self)
{
  g_return_val_if_fail (TC_IS_TEMPLATE (self), NULL);

  return self->media_type;
}

void
tc_template_set_media_type (TcTemplate *self,
                            const char *media_type)
{
  g_return_if_fail (TC_IS_TEMPLATE (self));

  if (set_string (&self->media_type, media_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_TYPE]);
}
