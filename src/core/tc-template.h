/* tc-template.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tc-types.h"

G_BEGIN_DECLS

/**
 * TcTemplateKind:
 * @TC_TEMPLATE_KIND_SMS: an SMS text (Mustache)
 * @TC_TEMPLATE_KIND_WHATSAPP: a WhatsApp message template (its definition is JSON)
 * @TC_TEMPLATE_KIND_SNIPPET: a reusable piece of text, a Mustache partial
 *   used as `{{> name}}` (a footer, a signature)
 */
typedef enum
{
  TC_TEMPLATE_KIND_SMS,
  TC_TEMPLATE_KIND_WHATSAPP,
  TC_TEMPLATE_KIND_SNIPPET,
} TcTemplateKind;

#define TC_TYPE_TEMPLATE_KIND (tc_template_kind_get_type ())
GType       tc_template_kind_get_type    (void) G_GNUC_CONST;

/* "sms", "whatsapp", "snippet": the words stored and used by the CLI. */
const char *tc_template_kind_to_string   (TcTemplateKind  kind);
gboolean    tc_template_kind_from_string (const char     *str,
                                          TcTemplateKind *kind);

#define TC_TYPE_TEMPLATE (tc_template_get_type())

G_DECLARE_FINAL_TYPE (TcTemplate, tc_template, TC, TEMPLATE, GObject)

/*
 * A message template as of one version. Properties (all with notify):
 *   "id"            gint64, 0 until saved
 *   "name"          unique among the templates of the same kind
 *   "kind"          TcTemplateKind
 *   "body"          the SMS text or the snippet text (Mustache)
 *   "definition"    WhatsApp only: the template definition as JSON
 *   "language"      e.g. "en", "pt_BR" (may be empty)
 *   "purpose"       TcPurpose (SMS: promotional ones carry the opt-out text)
 *   "version"       int, 0 until saved; the version this object holds
 *   "status"        WhatsApp approval: "draft", "pending", "approved",
 *                   "rejected", "paused", "disabled" (free text from the
 *                   provider is kept as is)
 *   "status-reason" why a template was rejected (may be empty)
 *   "media-url"     SMS only: the http(s) URL of a picture sent as MMS
 *                   ("" for a plain SMS)
 *   "media-type"    its content type as last checked, e.g. "image/jpeg"
 *   "created-at", "updated-at"  GDateTime (UTC), NULL until saved
 *
 * Only body, definition, language, purpose and media are versioned: a change to
 * any of them is stored as a new version. Name and status belong to the
 * template as a whole.
 */

TcTemplate     *tc_template_new               (TcTemplateKind  kind,
                                               const char     *name);
/* A copy of every property (a snapshot for a worker thread, or an editor's
 * working copy). */
TcTemplate     *tc_template_copy              (TcTemplate     *self) G_GNUC_WARN_UNUSED_RESULT;
/* TRUE when @self and @other differ in a versioned field. */
gboolean        tc_template_content_differs   (TcTemplate     *self,
                                               TcTemplate     *other);

gint64          tc_template_get_id            (TcTemplate     *self);
void            tc_template_set_id            (TcTemplate     *self,
                                               gint64          id);
const char     *tc_template_get_name          (TcTemplate     *self);
void            tc_template_set_name          (TcTemplate     *self,
                                               const char     *name);
TcTemplateKind  tc_template_get_kind          (TcTemplate     *self);
void            tc_template_set_kind          (TcTemplate     *self,
                                               TcTemplateKind  kind);
const char     *tc_template_get_body          (TcTemplate     *self);
void            tc_template_set_body          (TcTemplate     *self,
                                               const char     *body);
const char     *tc_template_get_definition    (TcTemplate     *self);
void            tc_template_set_definition    (TcTemplate     *self,
                                               const char     *definition);
const char     *tc_template_get_language      (TcTemplate     *self);
void            tc_template_set_language      (TcTemplate     *self,
                                               const char     *language);
TcPurpose       tc_template_get_purpose       (TcTemplate     *self);
void            tc_template_set_purpose       (TcTemplate     *self,
                                               TcPurpose       purpose);
int             tc_template_get_version       (TcTemplate     *self);
void            tc_template_set_version       (TcTemplate     *self,
                                               int             version);
const char     *tc_template_get_status        (TcTemplate     *self);
void            tc_template_set_status        (TcTemplate     *self,
                                               const char     *status);
const char     *tc_template_get_status_reason (TcTemplate     *self);
void            tc_template_set_status_reason (TcTemplate     *self,
                                               const char     *status_reason);
const char     *tc_template_get_media_url     (TcTemplate     *self);
void            tc_template_set_media_url     (TcTemplate     *self,
                                               const char     *media_url);
const char     *tc_template_get_media_type    (TcTemplate     *self);
void            tc_template_set_media_type    (TcTemplate     *self,
                                               const char     *media_type);
GDateTime      *tc_template_get_created_at    (TcTemplate     *self);
void            tc_template_set_created_at    (TcTemplate     *self,
                                               GDateTime      *created_at);
GDateTime      *tc_template_get_updated_at    (TcTemplate     *self);
void            tc_template_set_updated_at    (TcTemplate     *self,
                                               GDateTime      *updated_at);

G_END_DECLS
