/* tc-mustache.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mustache templates for message personalization.
 *
 * A template is parsed once into a compiled, immutable #TcMustacheTemplate
 * (safe to share between threads), then rendered many times against data
 * given as a #JsonNode. The engine follows the Mustache specification
 * (interpolation, sections, inverted sections, comments, set delimiters,
 * partials with standalone indentation); lambdas, dynamic names and
 * inheritance are not supported (`{{$…}}` and `{{<…}}` are syntax errors).
 *
 * Textcast additions, for templates that marketers write by hand:
 *
 * - Fallbacks: `{{first_name|there}}` renders "there" when `first_name` is
 *   missing, null or the empty string (or anything else that renders
 *   nothing: an empty array, an object). The first `|` separates the name
 *   from the fallback; everything after it, further `|` included, is the
 *   fallback text, with surrounding whitespace trimmed (`{{ a | b|c }}` →
 *   "b|c"). The fallback is template text: it is inserted as written, never
 *   escaped. It works in `{{{a|b}}}` and `{{&a|b}}` too. An empty fallback
 *   (`{{nickname|}}`) renders nothing and silences the missing report.
 *   Fallbacks are only allowed in variable tags.
 * - Missing values are reported: a variable tag without a fallback that
 *   renders nothing (the cases above) adds its name (as written, e.g.
 *   "event.cart_url") to the @missing array of the render call; a partial
 *   that is not found adds ">name". Section and inverted-section names are
 *   never reported (they are conditions), and tags inside sections that are
 *   not rendered are not evaluated, so not reported either.
 *
 * Values: strings as they are; integers without ".0"; other numbers in the
 * shortest form that reads back the same ("1.21"); booleans "true" /
 * "false"; null ""; an array interpolates its scalar elements joined by
 * ", "; an object interpolates as "". In sections, missing, null, false, ""
 * and [] are falsy; everything else (0 included) is truthy; a non-empty
 * array repeats the section once per element.
 *
 * Limits, so that any template and data stay bounded: sections nest at most
 * %TC_MUSTACHE_MAX_NESTING deep in one template, partials at most
 * %TC_MUSTACHE_MAX_PARTIAL_DEPTH deep, one render produces at most
 * %TC_MUSTACHE_MAX_OUTPUT bytes and visits at most %TC_MUSTACHE_MAX_STEPS
 * tags and texts; past any of them the render fails with
 * %TC_MUSTACHE_ERROR_TOO_DEEP or %TC_MUSTACHE_ERROR_TOO_LARGE.
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_MUSTACHE_MAX_NESTING       100
#define TC_MUSTACHE_MAX_PARTIAL_DEPTH 64
#define TC_MUSTACHE_MAX_OUTPUT        (1024 * 1024)
#define TC_MUSTACHE_MAX_STEPS         (4 * 1024 * 1024)

#define TC_MUSTACHE_ERROR (tc_mustache_error_quark ())

/**
 * TcMustacheError:
 * @TC_MUSTACHE_ERROR_INVALID_UTF8: the source is not valid UTF-8 (or has a
 *   NUL byte)
 * @TC_MUSTACHE_ERROR_UNCLOSED_TAG: a tag is opened but its closing
 *   delimiter never comes
 * @TC_MUSTACHE_ERROR_UNCLOSED_SECTION: a section is opened but never closed
 * @TC_MUSTACHE_ERROR_MISMATCHED_CLOSE: a closing tag does not match the
 *   open section, or there is no open section
 * @TC_MUSTACHE_ERROR_BAD_DELIMITERS: an invalid set-delimiter tag
 * @TC_MUSTACHE_ERROR_BAD_NAME: an empty name, a name with whitespace or an
 *   empty part ("a..b"), or a fallback outside a variable tag
 * @TC_MUSTACHE_ERROR_UNSUPPORTED_TAG: an optional spec module's tag
 *   (inheritance `{{$…}}`, `{{<…}}`)
 * @TC_MUSTACHE_ERROR_TOO_DEEP: sections nested too deep (parse) or
 *   partials nested too deep (render)
 * @TC_MUSTACHE_ERROR_PARTIAL: a partial has a syntax error (render); the
 *   message names the partial and the position in it
 * @TC_MUSTACHE_ERROR_TOO_LARGE: the output or the work of one render is
 *   over the limits
 *
 * Parse errors start with "line L, column C: " (1-based; the column counts
 * characters, not bytes) and say what is wrong.
 */
typedef enum
{
  TC_MUSTACHE_ERROR_INVALID_UTF8,
  TC_MUSTACHE_ERROR_UNCLOSED_TAG,
  TC_MUSTACHE_ERROR_UNCLOSED_SECTION,
  TC_MUSTACHE_ERROR_MISMATCHED_CLOSE,
  TC_MUSTACHE_ERROR_BAD_DELIMITERS,
  TC_MUSTACHE_ERROR_BAD_NAME,
  TC_MUSTACHE_ERROR_UNSUPPORTED_TAG,
  TC_MUSTACHE_ERROR_TOO_DEEP,
  TC_MUSTACHE_ERROR_PARTIAL,
  TC_MUSTACHE_ERROR_TOO_LARGE,
} TcMustacheError;

GQuark tc_mustache_error_quark (void);

/**
 * TcMustacheEscape:
 * @TC_MUSTACHE_ESCAPE_HTML: `& " < >` become `&amp; &quot; &lt; &gt;`,
 *   exactly the set of the Mustache specification (a single quote is left
 *   alone: quote HTML attributes with double quotes)
 * @TC_MUSTACHE_ESCAPE_NONE: values are inserted as they are (SMS, WhatsApp)
 *
 * How `{{name}}` escapes values; `{{{name}}}` and `{{&name}}` never do.
 */
typedef enum
{
  TC_MUSTACHE_ESCAPE_HTML,
  TC_MUSTACHE_ESCAPE_NONE,
} TcMustacheEscape;

/**
 * TcMustacheEscapeFunc:
 * @out: where to append
 * @text: the value, UTF-8
 * @len: its length in bytes
 * @user_data: data given with the function
 *
 * Appends @text to @out, escaped for the output's context.
 */
typedef void (*TcMustacheEscapeFunc) (GString    *out,
                                      const char *text,
                                      gsize       len,
                                      gpointer    user_data);

gboolean     tc_mustache_escape_from_string (const char       *str,
                                             TcMustacheEscape *escape);
const char  *tc_mustache_escape_to_string   (TcMustacheEscape  escape);
void         tc_mustache_escape_html        (GString          *out,
                                             const char       *text,
                                             gsize             len,
                                             gpointer          user_data);
void         tc_mustache_escape_none        (GString          *out,
                                             const char       *text,
                                             gsize             len,
                                             gpointer          user_data);

typedef struct _TcMustacheTemplate TcMustacheTemplate;
typedef struct _TcMustachePartials TcMustachePartials;

#define TC_TYPE_MUSTACHE_TEMPLATE (tc_mustache_template_get_type ())
#define TC_TYPE_MUSTACHE_PARTIALS (tc_mustache_partials_get_type ())

GType               tc_mustache_template_get_type   (void) G_GNUC_CONST;
GType               tc_mustache_partials_get_type   (void) G_GNUC_CONST;

TcMustacheTemplate *tc_mustache_parse               (const char          *source,
                                                     gssize               len,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
TcMustacheTemplate *tc_mustache_parse_full          (const char          *source,
                                                     gssize               len,
                                                     guint               *error_line,
                                                     guint               *error_column,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;
TcMustacheTemplate *tc_mustache_template_ref        (TcMustacheTemplate  *self);
void                tc_mustache_template_unref      (TcMustacheTemplate  *self);
const char         *tc_mustache_template_get_source (TcMustacheTemplate  *self);
char              **tc_mustache_template_dup_variables (TcMustacheTemplate *self) G_GNUC_WARN_UNUSED_RESULT;
char              **tc_mustache_template_dup_partials  (TcMustacheTemplate *self) G_GNUC_WARN_UNUSED_RESULT;

TcMustachePartials *tc_mustache_partials_new        (JsonObject          *sources) G_GNUC_WARN_UNUSED_RESULT;
TcMustachePartials *tc_mustache_partials_ref        (TcMustachePartials  *self);
void                tc_mustache_partials_unref      (TcMustachePartials  *self);
void                tc_mustache_partials_add        (TcMustachePartials  *self,
                                                     const char          *name,
                                                     const char          *source);
TcMustacheTemplate *tc_mustache_partials_lookup     (TcMustachePartials  *self,
                                                     const char          *name,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean            tc_mustache_render_to           (TcMustacheTemplate  *self,
                                                     JsonNode            *data,
                                                     TcMustachePartials  *partials,
                                                     TcMustacheEscape     escape,
                                                     GString             *out,
                                                     GPtrArray           *missing,
                                                     GError             **error);
gboolean            tc_mustache_render_to_full      (TcMustacheTemplate  *self,
                                                     JsonNode            *data,
                                                     TcMustachePartials  *partials,
                                                     TcMustacheEscapeFunc escape_func,
                                                     gpointer             escape_data,
                                                     GString             *out,
                                                     GPtrArray           *missing,
                                                     GError             **error);
char               *tc_mustache_render              (TcMustacheTemplate  *self,
                                                     JsonNode            *data,
                                                     TcMustachePartials  *partials,
                                                     TcMustacheEscape     escape,
                                                     GPtrArray           *missing,
                                                     GError             **error) G_GNUC_WARN_UNUSED_RESULT;

JsonNode           *tc_mustache_vars_new_for_contact (TcContact          *contact,
                                                      const char         *brand,
                                                      JsonObject         *event) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcMustacheTemplate, tc_mustache_template_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcMustachePartials, tc_mustache_partials_unref)

G_END_DECLS
