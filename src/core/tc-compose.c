/* tc-compose.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-compose"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "tc-compose.h"
#include "tc-mustache.h"
#include "tc-optout.h"
#include "tc-wa-template.h"

struct _TcComposer
{
  TcTemplateKind        kind;
  char                 *name;
  char                 *media_url;
  TcMustacheTemplate   *compiled;   /* SMS */
  TcWaTemplate         *model;      /* WhatsApp */

  char                 *brand;
  TcPurpose             purpose;
  TcOptout             *optout;
  gboolean              tag;
  char                 *utm[4];     /* source, medium, campaign, content */
  char                 *short_domain;
  TcShortLinkAllocFunc  alloc_link;
};

void
tc_composed_clear (TcComposed *composed)
{
  g_clear_pointer (&composed->body, g_free);
  g_clear_pointer (&composed->wa_template, g_free);
  g_clear_pointer (&composed->media_url, g_free);
}

void
tc_composer_free (TcComposer *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->media_url);
  g_clear_pointer (&self->compiled, tc_mustache_template_unref);
  g_clear_object (&self->model);
  g_free (self->brand);
  g_clear_pointer (&self->optout, tc_optout_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->utm); i++)
    g_free (self->utm[i]);
  g_free (self->short_domain);
  g_free (self);
}

static TcGateWaCategory
gate_category (TcWaCategory category)
{
  switch (category)
    {
    case TC_WA_CATEGORY_MARKETING:
      return TC_GATE_WA_CATEGORY_MARKETING;
    case TC_WA_CATEGORY_UTILITY:
      return TC_GATE_WA_CATEGORY_UTILITY;
    case TC_WA_CATEGORY_AUTHENTICATION:
      return TC_GATE_WA_CATEGORY_AUTHENTICATION;
    default:
      return TC_GATE_WA_CATEGORY_NONE;
    }
}

TcComposer *
tc_composer_new (TcTemplate              *template,
                 const TcComposeOptions  *options,
                 GError                 **error)
{
  g_autoptr(TcComposer) self = g_new0 (TcComposer, 1);
  TcComposeOptions defaults = { NULL, TC_PURPOSE_PROMOTIONAL, };

  g_return_val_if_fail (TC_IS_TEMPLATE (template), NULL);

  if (options == NULL)
    options = &defaults;

  self->kind = tc_template_get_kind (template);
  self->name = g_strdup (tc_template_get_name (template));
  self->brand = g_strdup (options->brand);
  self->purpose = options->purpose;
  self->optout = options->optout != NULL ? tc_optout_copy (options->optout) : tc_optout_new ();
  if (options->utm != NULL)
    {
      self->tag = TRUE;
      self->utm[0] = g_strdup (options->utm->source);
      self->utm[1] = g_strdup (options->utm->medium);
      self->utm[2] = g_strdup (options->utm->campaign);
      self->utm[3] = g_strdup (options->utm->content);
    }
  if (options->short_domain != NULL && options->short_domain[0] != '\0' && options->alloc_link != NULL)
    {
      self->short_domain = g_strdup (options->short_domain);
      self->alloc_link = options->alloc_link;
    }

  switch (self->kind)
    {
    case TC_TEMPLATE_KIND_SMS:
      self->compiled = tc_mustache_parse (tc_template_get_body (template), -1, error);
      if (self->compiled == NULL)
        {
          g_prefix_error (error, "The SMS template “%s” does not read: ", self->name);
          return NULL;
        }
      if (tc_template_get_media_url (template)[0] != '\0')
        self->media_url = g_strdup (tc_template_get_media_url (template));
      break;

    case TC_TEMPLATE_KIND_WHATSAPP:
      {
        g_autoptr(JsonNode) definition = json_from_string (tc_template_get_definition (template), error);

        if (definition == NULL)
          {
            g_prefix_error (error, "The WhatsApp template “%s” is damaged: ", self->name);
            return NULL;
          }
        self->model = tc_wa_template_new_from_json (definition, error);
        if (self->model == NULL)
          {
            g_prefix_error (error, "The WhatsApp template “%s” is damaged: ", self->name);
            return NULL;
          }
        /* What Meta (or the simulator) last said, stored on the template
         * by `templates refresh`, wins over the status in the definition;
         * a template never submitted keeps the definition's. */
        {
          const char *stored = tc_template_get_status (template);
          g_autofree char *upper = stored != NULL ? g_ascii_strup (stored, -1) : NULL;
          TcWaStatus status;

          if (upper != NULL && strcmp (upper, "DRAFT") != 0 &&
              tc_wa_status_from_string (upper, &status))
            tc_wa_template_set_status (self->model, status, tc_template_get_status_reason (template));
        }
      }
      break;

    case TC_TEMPLATE_KIND_SNIPPET:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is a snippet, not a message template", self->name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
compose_sms (TcComposer  *self,
             JsonNode    *vars,
             TcContact   *contact,
             gpointer     alloc_data,
             TcComposed  *composed,
             GError     **error)
{
  g_autofree char *text = NULL;
  const char *language = contact != NULL ? tc_contact_get_language (contact) : NULL;

  text = tc_mustache_render (self->compiled, vars, NULL, TC_MUSTACHE_ESCAPE_NONE, NULL, error);
  if (text == NULL)
    return FALSE;

  if (self->tag)
    {
      TcUtmParams utm = { self->utm[0], self->utm[1], self->utm[2], self->utm[3] };
      char *tagged = tc_links_tag_text (text, &utm);

      g_free (text);
      text = tagged;
    }
  if (self->short_domain != NULL)
    {
      char *shortened = tc_links_shorten_text (text, self->short_domain, self->alloc_link,
                                               alloc_data, error);

      if (shortened == NULL)
        return FALSE;
      g_free (text);
      text = shortened;
    }

  if (self->purpose == TC_PURPOSE_PROMOTIONAL && !tc_optout_has_instruction (text))
    composed->body = tc_optout_apply (self->optout, text, language);
  else
    composed->body = g_steal_pointer (&text);
  composed->media_url = g_strdup (self->media_url);
  composed->content = TC_GATE_CONTENT_TEXT;

  return TRUE;
}

static gboolean
compose_whatsapp (TcComposer  *self,
                  JsonNode    *vars,
                  const char  *to,
                  TcComposed  *composed,
                  GError     **error)
{
  g_autoptr(TcWaSendValues) values = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  JsonObject *object;

  values = tc_wa_template_render_values (self->model, vars, NULL, missing, error);
  if (values == NULL)
    return FALSE;
  request = tc_wa_template_build_send_request (self->model, to, values, error);
  if (request == NULL)
    return FALSE;

  object = json_node_get_object (request);
  if (!json_object_has_member (object, "template"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The WhatsApp template “%s” has no send form", self->name);
      return FALSE;
    }

  composed->wa_template = json_to_string (json_object_get_member (object, "template"), FALSE);
  composed->content = TC_GATE_CONTENT_TEMPLATE;
  composed->category = gate_category (tc_wa_template_get_category (self->model));
  composed->approved = tc_wa_template_get_status (self->model) == TC_WA_STATUS_APPROVED;

  return TRUE;
}

gboolean
tc_composer_compose (TcComposer  *self,
                     TcContact   *contact,
                     const char  *to,
                     gpointer     alloc_data,
                     TcComposed  *composed,
                     GError     **error)
{
  return tc_composer_compose_with_event (self, contact, to, NULL, alloc_data, composed, error);
}

gboolean
tc_composer_compose_with_event (TcComposer  *self,
                                TcContact   *contact,
                                const char  *to,
                                JsonObject  *event,
                                gpointer     alloc_data,
                                TcComposed  *composed,
                                GError     **error)
{
  g_autoptr(JsonNode) vars = NULL;
  g_autoptr(TcContact) stranger = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (contact == NULL || TC_IS_CONTACT (contact), FALSE);
  g_return_val_if_fail (to != NULL, FALSE);
  g_return_val_if_fail (composed != NULL, FALSE);

  tc_composed_clear (composed);
  /* A number that is no contact yet: only its phone is known, and every
   * other field takes its fallback. */
  if (contact == NULL)
    {
      stranger = tc_contact_new ();
      tc_contact_set_phone (stranger, to);
    }
  vars = tc_mustache_vars_new_for_contact (contact != NULL ? contact : stranger, self->brand, event);

  if (self->kind == TC_TEMPLATE_KIND_SMS)
    return compose_sms (self, vars, contact, alloc_data, composed, error);

  return compose_whatsapp (self, vars, to, composed, error);
}
