/* tc-wa-template.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tc-mustache.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* Meta's limits for message templates. */
#define TC_WA_NAME_MAX            512
#define TC_WA_HEADER_TEXT_MAX     60
#define TC_WA_BODY_MAX            1024
#define TC_WA_FOOTER_MAX          60
#define TC_WA_BUTTON_TEXT_MAX     25
#define TC_WA_COPY_CODE_MAX       15
#define TC_WA_URL_MAX             2000
#define TC_WA_BUTTONS_MAX         10
#define TC_WA_URL_BUTTONS_MAX     2
#define TC_WA_PHONE_BUTTONS_MAX   1
#define TC_WA_COPY_CODE_BUTTONS_MAX 1

#define TC_WA_TEMPLATE_ERROR (tc_wa_template_error_quark ())

/**
 * TcWaTemplateError:
 * @TC_WA_TEMPLATE_ERROR_INVALID: the template breaks one of Meta's rules;
 *   the message is that of the first #TcWaProblem
 * @TC_WA_TEMPLATE_ERROR_PARSE: stored JSON could not be read back
 * @TC_WA_TEMPLATE_ERROR_MISSING_VALUE: a send request lacks a parameter
 *   value the template needs
 */
typedef enum
{
  TC_WA_TEMPLATE_ERROR_INVALID,
  TC_WA_TEMPLATE_ERROR_PARSE,
  TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
} TcWaTemplateError;

GQuark tc_wa_template_error_quark (void);

/**
 * TcWaCategory:
 * @TC_WA_CATEGORY_MARKETING: promotions
 * @TC_WA_CATEGORY_UTILITY: order, account and appointment updates
 * @TC_WA_CATEGORY_AUTHENTICATION: one-time passcodes
 */
typedef enum
{
  TC_WA_CATEGORY_MARKETING,
  TC_WA_CATEGORY_UTILITY,
  TC_WA_CATEGORY_AUTHENTICATION,
} TcWaCategory;

/**
 * TcWaHeaderFormat:
 * @TC_WA_HEADER_NONE: no header
 * @TC_WA_HEADER_TEXT: a line of text, with at most one {{1}}
 * @TC_WA_HEADER_IMAGE: an image
 * @TC_WA_HEADER_VIDEO: a video
 * @TC_WA_HEADER_DOCUMENT: a document (PDF)
 */
typedef enum
{
  TC_WA_HEADER_NONE,
  TC_WA_HEADER_TEXT,
  TC_WA_HEADER_IMAGE,
  TC_WA_HEADER_VIDEO,
  TC_WA_HEADER_DOCUMENT,
} TcWaHeaderFormat;

/**
 * TcWaButtonType:
 * @TC_WA_BUTTON_QUICK_REPLY: sends a reply (with a payload) back
 * @TC_WA_BUTTON_URL: opens a URL, whose end may be a {{1}} parameter
 * @TC_WA_BUTTON_PHONE_NUMBER: calls a number
 * @TC_WA_BUTTON_COPY_CODE: copies an offer code
 */
typedef enum
{
  TC_WA_BUTTON_QUICK_REPLY,
  TC_WA_BUTTON_URL,
  TC_WA_BUTTON_PHONE_NUMBER,
  TC_WA_BUTTON_COPY_CODE,
} TcWaButtonType;

/**
 * TcWaStatus:
 * @TC_WA_STATUS_DRAFT: never submitted
 * @TC_WA_STATUS_PENDING: submitted, under review
 * @TC_WA_STATUS_APPROVED: can be sent
 * @TC_WA_STATUS_REJECTED: rejected; see #TcWaTemplate:rejection-reason
 * @TC_WA_STATUS_PAUSED: paused by Meta after poor feedback
 * @TC_WA_STATUS_DISABLED: disabled by Meta
 */
typedef enum
{
  TC_WA_STATUS_DRAFT,
  TC_WA_STATUS_PENDING,
  TC_WA_STATUS_APPROVED,
  TC_WA_STATUS_REJECTED,
  TC_WA_STATUS_PAUSED,
  TC_WA_STATUS_DISABLED,
} TcWaStatus;

/**
 * TcWaPart:
 * @TC_WA_PART_NAME: the template name
 * @TC_WA_PART_LANGUAGE: the language code
 * @TC_WA_PART_CATEGORY: the category
 * @TC_WA_PART_HEADER: the header
 * @TC_WA_PART_BODY: the body
 * @TC_WA_PART_FOOTER: the footer
 * @TC_WA_PART_BUTTONS: the buttons as a whole
 * @TC_WA_PART_BUTTON: one button (see #TcWaProblem.button)
 *
 * Where a validation problem is, so the editor can show it in place.
 */
typedef enum
{
  TC_WA_PART_NAME,
  TC_WA_PART_LANGUAGE,
  TC_WA_PART_CATEGORY,
  TC_WA_PART_HEADER,
  TC_WA_PART_BODY,
  TC_WA_PART_FOOTER,
  TC_WA_PART_BUTTONS,
  TC_WA_PART_BUTTON,
} TcWaPart;

GType tc_wa_category_get_type      (void) G_GNUC_CONST;
GType tc_wa_header_format_get_type (void) G_GNUC_CONST;
GType tc_wa_button_type_get_type   (void) G_GNUC_CONST;
GType tc_wa_status_get_type        (void) G_GNUC_CONST;
GType tc_wa_part_get_type          (void) G_GNUC_CONST;
GType tc_wa_problem_get_type       (void) G_GNUC_CONST;
GType tc_wa_send_values_get_type   (void) G_GNUC_CONST;

#define TC_TYPE_WA_CATEGORY      (tc_wa_category_get_type ())
#define TC_TYPE_WA_HEADER_FORMAT (tc_wa_header_format_get_type ())
#define TC_TYPE_WA_BUTTON_TYPE   (tc_wa_button_type_get_type ())
#define TC_TYPE_WA_STATUS        (tc_wa_status_get_type ())
#define TC_TYPE_WA_PART          (tc_wa_part_get_type ())
#define TC_TYPE_WA_PROBLEM       (tc_wa_problem_get_type ())
#define TC_TYPE_WA_SEND_VALUES   (tc_wa_send_values_get_type ())

/* Meta's upper-case names ("MARKETING", "IMAGE", "QUICK_REPLY",
 * "APPROVED"), as used in the Cloud API and in stored JSON. */
const char *tc_wa_category_to_string      (TcWaCategory      category);
gboolean    tc_wa_category_from_string    (const char       *str,
                                           TcWaCategory     *category);
const char *tc_wa_header_format_to_string (TcWaHeaderFormat  format);
gboolean    tc_wa_header_format_from_string (const char     *str,
                                           TcWaHeaderFormat *format);
const char *tc_wa_button_type_to_string   (TcWaButtonType    type);
gboolean    tc_wa_button_type_from_string (const char       *str,
                                           TcWaButtonType   *type);
const char *tc_wa_status_to_string        (TcWaStatus        status);
gboolean    tc_wa_status_from_string      (const char       *str,
                                           TcWaStatus       *status);

/**
 * TcWaButton:
 * @type: the kind of button
 * @text: the label (COPY_CODE buttons have Meta's fixed label; theirs is ignored)
 * @url: URL buttons: the URL, possibly ending with {{1}}
 * @phone_number: PHONE_NUMBER buttons: the number, E.164
 * @example: URL buttons: an example for the {{1}} suffix; COPY_CODE: an example code
 * @binding: the Mustache expression giving the value at send time: the URL
 *   suffix, the offer code, or a quick reply's payload (optional there)
 *
 * A button, owned by its #TcWaTemplate.
 */
typedef struct
{
  TcWaButtonType type;
  char *text;
  char *url;
  char *phone_number;
  char *example;
  char *binding;
} TcWaButton;

/**
 * TcWaProblem:
 * @part: where the problem is
 * @button: for %TC_WA_PART_BUTTON, the button's index, else -1
 * @rule: a stable identifier of the rule ("body.param-at-start")
 * @message: a sentence naming the part and the rule, e.g.
 *   "Header: text is 72 characters; the limit is 60"
 */
typedef struct
{
  TcWaPart part;
  int button;
  char *rule;
  char *message;
} TcWaProblem;

void tc_wa_problem_free (TcWaProblem *problem);
TcWaProblem *tc_wa_problem_copy (const TcWaProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcWaProblem, tc_wa_problem_free)

/**
 * TcWaSendValues:
 * @header: the header's value for this message: the text for {{1}} of a
 *   TEXT header, the media link of an IMAGE / VIDEO / DOCUMENT header;
 *   %NULL when the header takes none
 * @body: (array zero-terminated=1): the values of {{1}}…{{n}} of the body
 * @buttons: (array zero-terminated=1): one value per button, by index: the
 *   URL suffix, the offer code or the quick-reply payload; "" where the
 *   button takes none
 *
 * The per-message values of a template send, already rendered.
 */
typedef struct
{
  char *header;
  char **body;
  char **buttons;
} TcWaSendValues;

TcWaSendValues *tc_wa_send_values_new  (const char          *header,
                                        const char * const  *body,
                                        const char * const  *buttons) G_GNUC_WARN_UNUSED_RESULT;
TcWaSendValues *tc_wa_send_values_copy (const TcWaSendValues *values) G_GNUC_WARN_UNUSED_RESULT;
void            tc_wa_send_values_free (TcWaSendValues      *values);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcWaSendValues, tc_wa_send_values_free)

#define TC_TYPE_WA_TEMPLATE (tc_wa_template_get_type ())

G_DECLARE_FINAL_TYPE (TcWaTemplate, tc_wa_template, TC, WA_TEMPLATE, GObject)

TcWaTemplate     *tc_wa_template_new                  (const char       *name,
                                                       const char       *language,
                                                       TcWaCategory      category) G_GNUC_WARN_UNUSED_RESULT;

const char       *tc_wa_template_get_name             (TcWaTemplate     *self);
void              tc_wa_template_set_name             (TcWaTemplate     *self,
                                                       const char       *name);
const char       *tc_wa_template_get_language         (TcWaTemplate     *self);
void              tc_wa_template_set_language         (TcWaTemplate     *self,
                                                       const char       *language);
TcWaCategory      tc_wa_template_get_category         (TcWaTemplate     *self);
void              tc_wa_template_set_category         (TcWaTemplate     *self,
                                                       TcWaCategory      category);

TcWaHeaderFormat  tc_wa_template_get_header_format    (TcWaTemplate     *self);
void              tc_wa_template_set_header_format    (TcWaTemplate     *self,
                                                       TcWaHeaderFormat  format);
const char       *tc_wa_template_get_header_text      (TcWaTemplate     *self);
void              tc_wa_template_set_header_text      (TcWaTemplate     *self,
                                                       const char       *text);
const char       *tc_wa_template_get_header_example   (TcWaTemplate     *self);
void              tc_wa_template_set_header_example   (TcWaTemplate     *self,
                                                       const char       *example);
const char       *tc_wa_template_get_header_binding   (TcWaTemplate     *self);
void              tc_wa_template_set_header_binding   (TcWaTemplate     *self,
                                                       const char       *binding);

const char       *tc_wa_template_get_body             (TcWaTemplate     *self);
void              tc_wa_template_set_body             (TcWaTemplate     *self,
                                                       const char       *body);
guint             tc_wa_template_get_n_body_params    (TcWaTemplate     *self);
void              tc_wa_template_set_body_param       (TcWaTemplate     *self,
                                                       guint             number,
                                                       const char       *example,
                                                       const char       *binding);
const char       *tc_wa_template_get_body_param_example (TcWaTemplate   *self,
                                                       guint             number);
const char       *tc_wa_template_get_body_param_binding (TcWaTemplate   *self,
                                                       guint             number);

const char       *tc_wa_template_get_footer           (TcWaTemplate     *self);
void              tc_wa_template_set_footer           (TcWaTemplate     *self,
                                                       const char       *footer);

guint             tc_wa_template_get_n_buttons        (TcWaTemplate     *self);
const TcWaButton *tc_wa_template_get_button           (TcWaTemplate     *self,
                                                       guint             index);
guint             tc_wa_template_add_button           (TcWaTemplate     *self,
                                                       TcWaButtonType    type,
                                                       const char       *text,
                                                       const char       *url_or_phone,
                                                       const char       *example,
                                                       const char       *binding);
void              tc_wa_template_remove_button        (TcWaTemplate     *self,
                                                       guint             index);

TcWaStatus        tc_wa_template_get_status           (TcWaTemplate     *self);
const char       *tc_wa_template_get_rejection_reason (TcWaTemplate     *self);
void              tc_wa_template_set_status           (TcWaTemplate     *self,
                                                       TcWaStatus        status,
                                                       const char       *rejection_reason);

gboolean          tc_wa_template_validate             (TcWaTemplate     *self,
                                                       GPtrArray       **problems,
                                                       GError          **error);

JsonNode         *tc_wa_template_build_create_request (TcWaTemplate     *self,
                                                       GError          **error) G_GNUC_WARN_UNUSED_RESULT;
JsonNode         *tc_wa_template_build_send_request   (TcWaTemplate     *self,
                                                       const char       *to,
                                                       const TcWaSendValues *values,
                                                       GError          **error) G_GNUC_WARN_UNUSED_RESULT;

TcWaSendValues   *tc_wa_template_render_values        (TcWaTemplate     *self,
                                                       JsonNode         *data,
                                                       TcMustachePartials *partials,
                                                       GPtrArray        *missing,
                                                       GError          **error) G_GNUC_WARN_UNUSED_RESULT;

JsonNode         *tc_wa_template_to_json              (TcWaTemplate     *self) G_GNUC_WARN_UNUSED_RESULT;
TcWaTemplate     *tc_wa_template_new_from_json        (JsonNode         *node,
                                                       GError          **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
