/* tc-contact.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-contact"

#include "config.h"

#include <string.h>

#include "tc-contact.h"
#include "tc-contact-private.h"
#include "tc-enums.h"
#include "tc-phone.h"

/* Empty strings are stored as NULL so that "" and NULL compare equal and a
 * setter never notifies for a change that is not one. */

struct _TcContact
{
  GObject          parent_instance;

  gint64           id;
  char            *phone;
  char            *phone_display;   /* formatted phone, made when first asked */
  char            *first_name;
  char            *last_name;
  char            *email;
  char            *language;
  char            *country;
  GStrv            timezones;
  GStrv            tags;
  GHashTable      *attributes;
  GDateTime       *created_at;
  GDateTime       *updated_at;
  TcConsentStatus  consent[2];
  guint            loaded : 1;
};

G_DEFINE_FINAL_TYPE (TcContact, tc_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PHONE,
  PROP_FIRST_NAME,
  PROP_LAST_NAME,
  PROP_EMAIL,
  PROP_LANGUAGE,
  PROP_COUNTRY,
  PROP_TIMEZONES,
  PROP_TAGS,
  PROP_ATTRIBUTES,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_SMS_CONSENT,
  PROP_WHATSAPP_CONSENT,
  PROP_DISPLAY_NAME,
  PROP_PHONE_DISPLAY,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const empty_strv[] = { NULL };

static GHashTable *
attributes_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
set_string (TcContact  *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return TRUE;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL)
    a = empty_strv;
  if (b == NULL)
    b = empty_strv;

  return g_strv_equal (a, b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted, unique, stripped, without empty entries. */
static GStrv
normalize_tags (const char * const *tags)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_free);
  guint out = 0;

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      char *tag = g_strstrip (g_strdup (tags[i]));

      if (tag[0] == '\0')
        {
          g_free (tag);
          continue;
        }
      g_ptr_array_add (array, tag);
    }

  g_ptr_array_sort (array, compare_strings);

  for (guint i = 0; i < array->len; i++)
    {
      if (out > 0 && strcmp (array->pdata[out - 1], array->pdata[i]) == 0)
        {
          g_clear_pointer (&array->pdata[i], g_free);
          continue;
        }
      array->pdata[out++] = array->pdata[i];
    }
  g_ptr_array_set_free_func (array, NULL);
  g_ptr_array_set_size (array, out);
  g_ptr_array_add (array, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&array), FALSE);
}

static gboolean
attributes_equal (GHashTable *a,
                  GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *other = g_hash_table_lookup (b, key);

      if (other == NULL || strcmp (other, value) != 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
date_time_equal0 (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static gboolean
set_date_time (TcContact  *self,
               GDateTime **field,
               GDateTime  *value,
               guint       prop_id)
{
  if (date_time_equal0 (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_to_utc (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return TRUE;
}

static void
notify_display_name (TcContact *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

static void
set_consent_summary (TcContact       *self,
                     TcChannel        channel,
                     TcConsentStatus  status)
{
  if (self->consent[channel] == status)
    return;

  self->consent[channel] = status;
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[channel == TC_CHANNEL_SMS ? PROP_SMS_CONSENT
                                                                 : PROP_WHATSAPP_CONSENT]);
}

static void
set_loaded (TcContact *self,
            gboolean   loaded)
{
  loaded = !!loaded;
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
replace_attributes (TcContact  *self,
                    GHashTable *attributes)
{
  GHashTableIter iter;
  gpointer key, value;

  if (attributes == NULL)
    {
      if (g_hash_table_size (self->attributes) == 0)
        return;
      g_hash_table_remove_all (self->attributes);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
      return;
    }

  if (attributes == self->attributes || attributes_equal (self->attributes, attributes))
    return;

  g_hash_table_remove_all (self->attributes);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->attributes, g_strdup (key), g_strdup (value));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
}

static void
tc_contact_finalize (GObject *object)
{
  TcContact *self = (TcContact *)object;

  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->phone_display, g_free);
  g_clear_pointer (&self->first_name, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->timezones, g_strfreev);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->attributes, g_hash_table_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (tc_contact_parent_class)->finalize (object);
}

static void
tc_contact_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcContact *self = TC_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_FIRST_NAME:
      g_value_set_string (value, self->first_name);
      break;

    case PROP_LAST_NAME:
      g_value_set_string (value, self->last_name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;

    case PROP_TIMEZONES:
      g_value_set_boxed (value, tc_contact_get_timezones (self));
      break;

    case PROP_TAGS:
      g_value_set_boxed (value, tc_contact_get_tags (self));
      break;

    case PROP_ATTRIBUTES:
      g_value_set_boxed (value, self->attributes);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case PROP_SMS_CONSENT:
      g_value_set_enum (value, self->consent[TC_CHANNEL_SMS]);
      break;

    case PROP_WHATSAPP_CONSENT:
      g_value_set_enum (value, self->consent[TC_CHANNEL_WHATSAPP]);
      break;

    case PROP_DISPLAY_NAME:
      g_value_take_string (value, tc_contact_dup_display_name (self));
      break;

    case PROP_PHONE_DISPLAY:
      g_value_set_string (value, tc_contact_get_phone_display (self));
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contact_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcContact *self = TC_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID:
      tc_contact_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_PHONE:
      tc_contact_set_phone (self, g_value_get_string (value));
      break;

    case PROP_FIRST_NAME:
      tc_contact_set_first_name (self, g_value_get_string (value));
      break;

    case PROP_LAST_NAME:
      tc_contact_set_last_name (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      tc_contact_set_email (self, g_value_get_string (value));
      break;

    case PROP_LANGUAGE:
      tc_contact_set_language (self, g_value_get_string (value));
      break;

    case PROP_COUNTRY:
      tc_contact_set_country (self, g_value_get_string (value));
      break;

    case PROP_TIMEZONES:
      tc_contact_set_timezones (self, g_value_get_boxed (value));
      break;

    case PROP_TAGS:
      tc_contact_set_tags (self, g_value_get_boxed (value));
      break;

    case PROP_ATTRIBUTES:
      replace_attributes (self, g_value_get_boxed (value));
      break;

    case PROP_CREATED_AT:
      tc_contact_set_created_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      tc_contact_set_updated_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_contact_class_init (TcContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_contact_finalize;
  object_class->get_property = tc_contact_get_property;
  object_class->set_property = tc_contact_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL, rw);
  properties[PROP_FIRST_NAME] =
    g_param_spec_string ("first-name", NULL, NULL, NULL, rw);
  properties[PROP_LAST_NAME] =
    g_param_spec_string ("last-name", NULL, NULL, NULL, rw);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, rw);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL, rw);
  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL, NULL, rw);
  properties[PROP_TIMEZONES] =
    g_param_spec_boxed ("timezones", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ATTRIBUTES] =
    g_param_spec_boxed ("attributes", NULL, NULL, G_TYPE_HASH_TABLE, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_SMS_CONSENT] =
    g_param_spec_enum ("sms-consent", NULL, NULL,
                       TC_TYPE_CONSENT_STATUS, TC_CONSENT_STATUS_NONE, ro);
  properties[PROP_WHATSAPP_CONSENT] =
    g_param_spec_enum ("whatsapp-consent", NULL, NULL,
                       TC_TYPE_CONSENT_STATUS, TC_CONSENT_STATUS_NONE, ro);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_PHONE_DISPLAY] =
    g_param_spec_string ("phone-display", NULL, NULL, NULL, ro);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_contact_init (TcContact *self)
{
  self->attributes = attributes_new ();
  self->loaded = TRUE;
}

TcContact *
tc_contact_new (void)
{
  return g_object_new (TC_TYPE_CONTACT, NULL);
}

TcContact *
_tc_contact_new_placeholder (void)
{
  TcContact *self = g_object_new (TC_TYPE_CONTACT, NULL);

  self->loaded = FALSE;

  return self;
}

gint64
tc_contact_get_id (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), 0);

  return self->id;
}

void
tc_contact_set_id (TcContact *self,
                   gint64     id)
{
  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tc_contact_get_phone (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->phone;
}

void
tc_contact_set_phone (TcContact  *self,
                      const char *phone)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  if (set_string (self, &self->phone, phone, PROP_PHONE))
    {
      g_clear_pointer (&self->phone_display, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_DISPLAY]);
      notify_display_name (self);
    }
}

const char *
tc_contact_get_phone_display (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  if (self->phone_display == NULL && self->phone != NULL)
    self->phone_display = tc_phone_format_international (self->phone);

  return self->phone_display;
}

const char *
tc_contact_get_first_name (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->first_name;
}

void
tc_contact_set_first_name (TcContact  *self,
                           const char *first_name)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  if (set_string (self, &self->first_name, first_name, PROP_FIRST_NAME))
    notify_display_name (self);
}

const char *
tc_contact_get_last_name (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->last_name;
}

void
tc_contact_set_last_name (TcContact  *self,
                          const char *last_name)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  if (set_string (self, &self->last_name, last_name, PROP_LAST_NAME))
    notify_display_name (self);
}

/**
 * tc_contact_dup_display_name:
 *
 * Returns: (transfer full): "First Last", whichever of the two is set, or
 *   the phone when both are empty ("" when nothing is known yet).
 */
char *
tc_contact_dup_display_name (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  if (self->first_name != NULL && self->last_name != NULL)
    return g_strdup_printf ("%s %s", self->first_name, self->last_name);
  if (self->first_name != NULL)
    return g_strdup (self->first_name);
  if (self->last_name != NULL)
    return g_strdup (self->last_name);

  return g_strdup (self->phone != NULL ? self->phone : "");
}

const char *
tc_contact_get_email (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->email;
}

void
tc_contact_set_email (TcContact  *self,
                      const char *email)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  set_string (self, &self->email, email, PROP_EMAIL);
}

const char *
tc_contact_get_language (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->language;
}

void
tc_contact_set_language (TcContact  *self,
                         const char *language)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  set_string (self, &self->language, language, PROP_LANGUAGE);
}

const char *
tc_contact_get_country (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->country;
}

void
tc_contact_set_country (TcContact  *self,
                        const char *country)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  set_string (self, &self->country, country, PROP_COUNTRY);
}

/**
 * tc_contact_get_timezones:
 *
 * Returns: (transfer none) (array zero-terminated=1): the IANA zones, never NULL.
 */
const char * const *
tc_contact_get_timezones (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->timezones != NULL ? (const char * const *) self->timezones : empty_strv;
}

void
tc_contact_set_timezones (TcContact          *self,
                          const char * const *timezones)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  if (strv_equal0 ((const char * const *) self->timezones, timezones))
    return;

  g_clear_pointer (&self->timezones, g_strfreev);
  if (timezones != NULL && timezones[0] != NULL)
    self->timezones = g_strdupv ((char **) timezones);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEZONES]);
}

/**
 * tc_contact_get_tags:
 *
 * Returns: (transfer none) (array zero-terminated=1): the tags, sorted, never NULL.
 */
const char * const *
tc_contact_get_tags (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->tags != NULL ? (const char * const *) self->tags : empty_strv;
}

void
tc_contact_set_tags (TcContact          *self,
                     const char * const *tags)
{
  g_auto(GStrv) normalized = NULL;

  g_return_if_fail (TC_IS_CONTACT (self));

  normalized = normalize_tags (tags);
  if (strv_equal0 ((const char * const *) self->tags, (const char * const *) normalized))
    return;

  g_clear_pointer (&self->tags, g_strfreev);
  if (normalized[0] != NULL)
    self->tags = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

gboolean
tc_contact_has_tag (TcContact  *self,
                    const char *tag)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  return self->tags != NULL && g_strv_contains ((const char * const *) self->tags, tag);
}

void
tc_contact_add_tag (TcContact  *self,
                    const char *tag)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) tags = NULL;

  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (tag != NULL);

  builder = g_strv_builder_new ();
  if (self->tags != NULL)
    g_strv_builder_addv (builder, (const char **) self->tags);
  g_strv_builder_add (builder, tag);
  tags = g_strv_builder_end (builder);

  tc_contact_set_tags (self, (const char * const *) tags);
}

void
tc_contact_remove_tag (TcContact  *self,
                       const char *tag)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) tags = NULL;

  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (tag != NULL);

  if (!tc_contact_has_tag (self, tag))
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; self->tags[i] != NULL; i++)
    if (strcmp (self->tags[i], tag) != 0)
      g_strv_builder_add (builder, self->tags[i]);
  tags = g_strv_builder_end (builder);

  tc_contact_set_tags (self, (const char * const *) tags);
}

/**
 * tc_contact_get_attributes:
 *
 * Returns: (transfer none) (element-type utf8 utf8): the custom attributes.
 */
GHashTable *
tc_contact_get_attributes (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->attributes;
}

const char *
tc_contact_get_attribute (TcContact  *self,
                          const char *name)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->attributes, name);
}

/* A NULL @value removes the attribute. */
void
tc_contact_set_attribute (TcContact  *self,
                          const char *name,
                          const char *value)
{
  const char *old;

  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (name != NULL);

  old = g_hash_table_lookup (self->attributes, name);
  if (g_strcmp0 (old, value) == 0)
    return;

  if (value == NULL)
    g_hash_table_remove (self->attributes, name);
  else
    g_hash_table_insert (self->attributes, g_strdup (name), g_strdup (value));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
}

GDateTime *
tc_contact_get_created_at (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->created_at;
}

void
tc_contact_set_created_at (TcContact *self,
                           GDateTime *created_at)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  set_date_time (self, &self->created_at, created_at, PROP_CREATED_AT);
}

GDateTime *
tc_contact_get_updated_at (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), NULL);

  return self->updated_at;
}

void
tc_contact_set_updated_at (TcContact *self,
                           GDateTime *updated_at)
{
  g_return_if_fail (TC_IS_CONTACT (self));

  set_date_time (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
}

TcConsentStatus
tc_contact_get_consent_summary (TcContact *self,
                                TcChannel  channel)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), TC_CONSENT_STATUS_NONE);
  g_return_val_if_fail (channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP,
                        TC_CONSENT_STATUS_NONE);

  return self->consent[channel];
}

void
_tc_contact_set_consent_summary (TcContact       *self,
                                 TcChannel        channel,
                                 TcConsentStatus  status)
{
  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (channel == TC_CHANNEL_SMS || channel == TC_CHANNEL_WHATSAPP);

  set_consent_summary (self, channel, status);
}

gboolean
tc_contact_get_loaded (TcContact *self)
{
  g_return_val_if_fail (TC_IS_CONTACT (self), FALSE);

  return self->loaded;
}

void
_tc_contact_fill_from (TcContact *self,
                       TcContact *from)
{
  gboolean name_changed = FALSE;

  g_return_if_fail (TC_IS_CONTACT (self));
  g_return_if_fail (TC_IS_CONTACT (from));

  if (self == from)
    return;

  /* One batch of notifications, each only for what really changed. */
  g_object_freeze_notify (G_OBJECT (self));

  tc_contact_set_id (self, from->id);
  if (set_string (self, &self->phone, from->phone, PROP_PHONE))
    {
      /* Formatted already where @from was made (a reader thread), or later. */
      g_free (self->phone_display);
      self->phone_display = g_strdup (from->phone_display);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE_DISPLAY]);
      name_changed = TRUE;
    }
  name_changed |= set_string (self, &self->first_name, from->first_name, PROP_FIRST_NAME);
  name_changed |= set_string (self, &self->last_name, from->last_name, PROP_LAST_NAME);
  if (name_changed)
    notify_display_name (self);
  set_string (self, &self->email, from->email, PROP_EMAIL);
  set_string (self, &self->language, from->language, PROP_LANGUAGE);
  set_string (self, &self->country, from->country, PROP_COUNTRY);
  tc_contact_set_timezones (self, (const char * const *) from->timezones);
  tc_contact_set_tags (self, (const char * const *) from->tags);
  replace_attributes (self, from->attributes);
  set_date_time (self, &self->created_at, from->created_at, PROP_CREATED_AT);
  set_date_time (self, &self->updated_at, from->updated_at, PROP_UPDATED_AT);
  set_consent_summary (self, TC_CHANNEL_SMS, from->consent[TC_CHANNEL_SMS]);
  set_consent_summary (self, TC_CHANNEL_WHATSAPP, from->consent[TC_CHANNEL_WHATSAPP]);
  set_loaded (self, TRUE);

  g_object_thaw_notify (G_OBJECT (self));
}
