/* tc-wa-template.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WhatsApp message templates: the model, Meta's rules, and the Cloud API
 * JSON (the create-template request and the template send request).
 *
 * Rules and limits come from Meta's template documentation as summarized by
 * providers' guides (e.g. https://docs.bird.com/api/touchpoints-api/
 * supported-projects/whatsapp-approved-message-templates/creating-whatsapp-
 * message-templates/text-templates: header and footer 60, body 1,024,
 * 10 buttons), the rejection rules for "dangling" parameters at the start
 * or the end of the body and for adjacent parameters
 * (https://help.businesschat.io/en/articles/12302864-fixing-whatsapp-
 * template-rejections-caused-by-dangling-parameters,
 * https://www.braze.com/docs/user_guide/channels/whatsapp/
 * message_features_and_optimization/template_builder/template_builder_liquid),
 * and the JSON shapes of Meta's own examples
 * (../shared/specs/whatsapp/meta-create-template-examples.json and
 * meta-send-message-examples.json, and the LanguageObject and
 * ButtonComponent schemas of meta-business-messaging-api_v23.0.json:
 * "policy" is required and "deterministic", "index" is a string).
 *
 * Meta does not publish the ratio behind "too many variable parameters
 * relative to the message length"; the check here asks for at least one
 * word of fixed text more than there are parameters, which the examples
 * in Meta's documentation all pass.
 */

#define G_LOG_DOMAIN "tc-wa-template"

#include "config.h"

#include <string.h>

#include "tc-names-private.h"
#include "tc-wa-template.h"

typedef struct
{
  char *example;
  char *binding;
} Param;

struct _TcWaTemplate
{
  GObject parent_instance;

  char *name;
  char *language;
  TcWaCategory category;

  TcWaHeaderFormat header_format;
  char *header_text;
  char *header_example;
  char *header_binding;

  char *body;
  GPtrArray *body_params;   /* (element-type Param) (nullable elements), [n - 1] */

  char *footer;
  GPtrArray *buttons;       /* (element-type TcWaButton) */

  TcWaStatus status;
  char *rejection_reason;
};

G_DEFINE_FINAL_TYPE (TcWaTemplate, tc_wa_template, G_TYPE_OBJECT)

G_DEFINE_QUARK (tc-wa-template-error-quark, tc_wa_template_error)

G_DEFINE_ENUM_TYPE (TcWaCategory, tc_wa_category,
  G_DEFINE_ENUM_VALUE (TC_WA_CATEGORY_MARKETING, "marketing"),
  G_DEFINE_ENUM_VALUE (TC_WA_CATEGORY_UTILITY, "utility"),
  G_DEFINE_ENUM_VALUE (TC_WA_CATEGORY_AUTHENTICATION, "authentication"))

G_DEFINE_ENUM_TYPE (TcWaHeaderFormat, tc_wa_header_format,
  G_DEFINE_ENUM_VALUE (TC_WA_HEADER_NONE, "none"),
  G_DEFINE_ENUM_VALUE (TC_WA_HEADER_TEXT, "text"),
  G_DEFINE_ENUM_VALUE (TC_WA_HEADER_IMAGE, "image"),
  G_DEFINE_ENUM_VALUE (TC_WA_HEADER_VIDEO, "video"),
  G_DEFINE_ENUM_VALUE (TC_WA_HEADER_DOCUMENT, "document"))

G_DEFINE_ENUM_TYPE (TcWaButtonType, tc_wa_button_type,
  G_DEFINE_ENUM_VALUE (TC_WA_BUTTON_QUICK_REPLY, "quick-reply"),
  G_DEFINE_ENUM_VALUE (TC_WA_BUTTON_URL, "url"),
  G_DEFINE_ENUM_VALUE (TC_WA_BUTTON_PHONE_NUMBER, "phone-number"),
  G_DEFINE_ENUM_VALUE (TC_WA_BUTTON_COPY_CODE, "copy-code"))

G_DEFINE_ENUM_TYPE (TcWaStatus, tc_wa_status,
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_APPROVED, "approved"),
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (TC_WA_STATUS_DISABLED, "disabled"))

G_DEFINE_ENUM_TYPE (TcWaPart, tc_wa_part,
  G_DEFINE_ENUM_VALUE (TC_WA_PART_NAME, "name"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_LANGUAGE, "language"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_CATEGORY, "category"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_HEADER, "header"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_BODY, "body"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_FOOTER, "footer"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_BUTTONS, "buttons"),
  G_DEFINE_ENUM_VALUE (TC_WA_PART_BUTTON, "button"))

G_DEFINE_BOXED_TYPE (TcWaProblem, tc_wa_problem, tc_wa_problem_copy, tc_wa_problem_free)
G_DEFINE_BOXED_TYPE (TcWaSendValues, tc_wa_send_values, tc_wa_send_values_copy,
                     tc_wa_send_values_free)

enum {
  PROP_0,
  PROP_NAME,
  PROP_LANGUAGE,
  PROP_CATEGORY,
  PROP_HEADER_FORMAT,
  PROP_HEADER_TEXT,
  PROP_HEADER_EXAMPLE,
  PROP_HEADER_BINDING,
  PROP_BODY,
  PROP_FOOTER,
  PROP_N_BUTTONS,
  PROP_STATUS,
  PROP_REJECTION_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const category_names[] = { "MARKETING", "UTILITY", "AUTHENTICATION" };
static const char *const header_format_names[] = { "NONE", "TEXT", "IMAGE", "VIDEO", "DOCUMENT" };
static const char *const button_type_names[] = { "QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE" };
static const char *const status_names[] = {
  "DRAFT", "PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED",
};

TC_DEFINE_ENUM_NAMES (TcWaCategory, tc_wa_category, category_names)
TC_DEFINE_ENUM_NAMES (TcWaHeaderFormat, tc_wa_header_format, header_format_names)
TC_DEFINE_ENUM_NAMES (TcWaButtonType, tc_wa_button_type, button_type_names)
TC_DEFINE_ENUM_NAMES (TcWaStatus, tc_wa_status, status_names)

void
tc_wa_problem_free (TcWaProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->rule);
  g_free (problem->message);
  g_free (problem);
}

TcWaProblem *
tc_wa_problem_copy (const TcWaProblem *problem)
{
  TcWaProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = g_new0 (TcWaProblem, 1);
  copy->part = problem->part;
  copy->button = problem->button;
  copy->rule = g_strdup (problem->rule);
  copy->message = g_strdup (problem->message);
  return copy;
}

/**
 * tc_wa_send_values_new:
 * @header: (nullable): the header value
 * @body: (nullable) (array zero-terminated=1): the body values
 * @buttons: (nullable) (array zero-terminated=1): one value per button
 *
 * Returns: (transfer full): new values (copies of the arguments)
 */
TcWaSendValues *
tc_wa_send_values_new (const char         *header,
                       const char * const *body,
                       const char * const *buttons)
{
  TcWaSendValues *values = g_new0 (TcWaSendValues, 1);
  static const char *const empty[] = { NULL };

  values->header = g_strdup (header);
  values->body = g_strdupv ((char **) (body != NULL ? body : empty));
  values->buttons = g_strdupv ((char **) (buttons != NULL ? buttons : empty));
  return values;
}

TcWaSendValues *
tc_wa_send_values_copy (const TcWaSendValues *values)
{
  g_return_val_if_fail (values != NULL, NULL);

  return tc_wa_send_values_new (values->header,
                                (const char * const *) values->body,
                                (const char * const *) values->buttons);
}

void
tc_wa_send_values_free (TcWaSendValues *values)
{
  if (values == NULL)
    return;

  g_free (values->header);
  g_strfreev (values->body);
  g_strfreev (values->buttons);
  g_free (values);
}

static void
param_free (gpointer data)
{
  Param *param = data;

  if (param == NULL)
    return;

  g_free (param->example);
  g_free (param->binding);
  g_free (param);
}

static void
button_free (gpointer data)
{
  TcWaButton *button = data;

  g_free (button->text);
  g_free (button->url);
  g_free (button->phone_number);
  g_free (button->example);
  g_free (button->binding);
  g_free (button);
}

static void
emit_changed (TcWaTemplate *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
set_string_property (TcWaTemplate  *self,
                     char         **field,
                     const char    *value,
                     guint          prop)
{
  if (!replace_string (field, value))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  emit_changed (self);
}

static const char *
empty_if_null (const char *s)
{
  return s != NULL ? s : "";
}

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;

  for (; *s != '\0'; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;

  return TRUE;
}

/* A placeholder "{{…}}" in a template text. */
typedef struct
{
  gsize start;
  gsize end;
  int number;      /* the n of {{n}}, or -1 when it is not a number */
} Placeholder;

static GArray *
scan_placeholders (const char *text)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (Placeholder));
  const char *p = text;

  if (text == NULL)
    return found;

  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (p + 2, "}}");
      Placeholder ph;
      gboolean numeric = TRUE;
      guint64 number = 0;

      if (close == NULL)
        break;

      /* "{{{1}}}" is Mustache, not Meta: see it as malformed, not as {{1}}. */
      while (close[2] == '}')
        close++;

      ph.start = (gsize) (p - text);
      ph.end = (gsize) (close + 2 - text);
      if (close == p + 2)
        numeric = FALSE;
      for (const char *d = p + 2; d < close; d++)
        {
          if (!g_ascii_isdigit (*d) || number > 1000)
            {
              numeric = FALSE;
              break;
            }
          number = number * 10 + (guint64) (*d - '0');
        }
      ph.number = numeric && number >= 1 ? (int) number : -1;
      g_array_append_val (found, ph);

      p = close + 2;
    }

  return found;
}

static char *
placeholder_text (const char        *text,
                  const Placeholder *ph)
{
  return g_strndup (text + ph->start, ph->end - ph->start);
}

static Param *
get_param (TcWaTemplate *self,
           guint         number)
{
  if (number == 0 || number > self->body_params->len)
    return NULL;

  return g_ptr_array_index (self->body_params, number - 1);
}

/* The highest {{n}} of the body, which is the number of parameters of a
 * valid body. */
static guint
count_body_params (TcWaTemplate *self)
{
  g_autoptr(GArray) found = scan_placeholders (self->body);
  int max = 0;

  for (guint i = 0; i < found->len; i++)
    max = MAX (max, g_array_index (found, Placeholder, i).number);

  return (guint) max;
}

static gboolean
header_has_param (TcWaTemplate *self)
{
  g_autoptr(GArray) found = NULL;

  if (self->header_format != TC_WA_HEADER_TEXT)
    return FALSE;

  found = scan_placeholders (self->header_text);
  return found->len > 0;
}

static gboolean
url_has_param (const TcWaButton *button)
{
  return button->type == TC_WA_BUTTON_URL && button->url != NULL
         && strstr (button->url, "{{") != NULL;
}

static const char *
header_kind (TcWaHeaderFormat format)
{
  switch (format)
    {
    case TC_WA_HEADER_IMAGE:
      return "an image";
    case TC_WA_HEADER_VIDEO:
      return "a video";
    case TC_WA_HEADER_DOCUMENT:
      return "a document";
    case TC_WA_HEADER_NONE:
    case TC_WA_HEADER_TEXT:
    default:
      return "a text";
    }
}

/* Validation ----------------------------------------------------------- */

static void G_GNUC_PRINTF (5, 6)
add_problem (GPtrArray  *problems,
             TcWaPart    part,
             int         button,
             const char *rule,
             const char *format,
             ...)
{
  TcWaProblem *problem = g_new0 (TcWaProblem, 1);
  va_list args;

  va_start (args, format);
  problem->part = part;
  problem->button = button;
  problem->rule = g_strdup (rule);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (problems, problem);
}

/* A binding must parse as Mustache; the parser's message says where. */
static void
check_binding (GPtrArray  *problems,
               TcWaPart    part,
               int         button,
               const char *rule,
               const char *where,
               const char *binding)
{
  g_autoptr(TcMustacheTemplate) parsed = NULL;
  g_autoptr(GError) error = NULL;

  if (is_blank (binding))
    return;

  parsed = tc_mustache_parse (binding, -1, &error);
  if (parsed == NULL)
    add_problem (problems, part, button, rule, "%s: the value “%s” is not valid Mustache (%s)",
                 where, binding, error->message);
}

static void
validate_name (TcWaTemplate *self,
               GPtrArray    *problems)
{
  const char *name = self->name;
  glong len;

  if (name == NULL || name[0] == '\0')
    {
      add_problem (problems, TC_WA_PART_NAME, -1, "name.empty", "Name: a name is required");
      return;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
        {
          char buf[8] = { 0 };

          g_unichar_to_utf8 (c, buf);
          add_problem (problems, TC_WA_PART_NAME, -1, "name.characters",
                       "Name: only lowercase letters, digits and underscores are allowed, not “%s”",
                       buf);
          break;
        }
    }

  len = g_utf8_strlen (name, -1);
  if (len > TC_WA_NAME_MAX)
    add_problem (problems, TC_WA_PART_NAME, -1, "name.length",
                 "Name: %ld characters; the limit is %d", len, TC_WA_NAME_MAX);
}

static void
validate_language (TcWaTemplate *self,
                   GPtrArray    *problems)
{
  if (self->language == NULL
      || !g_regex_match_simple ("^[a-z]{2,3}(_[A-Z]{2,3})?$", self->language, 0, 0))
    add_problem (problems, TC_WA_PART_LANGUAGE, -1, "language.code",
                 "Language: “%s” is not a language code such as en, en_US or pt_BR",
                 empty_if_null (self->language));
}

static void
validate_category (TcWaTemplate *self,
                   GPtrArray    *problems)
{
  if (self->category == TC_WA_CATEGORY_AUTHENTICATION)
    add_problem (problems, TC_WA_PART_CATEGORY, -1, "category.authentication",
                 "Category: authentication templates use Meta's fixed passcode text and "
                 "one-time-password buttons, which Textcast does not create; choose "
                 "MARKETING or UTILITY");
}

static void
validate_header (TcWaTemplate *self,
                 GPtrArray    *problems)
{
  g_autoptr(GArray) found = NULL;
  glong len;

  if (self->header_format == TC_WA_HEADER_NONE)
    return;

  if (self->header_format != TC_WA_HEADER_TEXT)
    {
      if (is_blank (self->header_example))
        add_problem (problems, TC_WA_PART_HEADER, -1, "header.media-example",
                     "Header: %s header needs an example (a media handle from Meta's upload API)",
                     header_kind (self->header_format));
      if (is_blank (self->header_binding))
        add_problem (problems, TC_WA_PART_HEADER, -1, "header.media-binding",
                     "Header: %s header needs the link of the media to send",
                     header_kind (self->header_format));
      check_binding (problems, TC_WA_PART_HEADER, -1, "header.binding-syntax", "Header",
                     self->header_binding);
      return;
    }

  if (is_blank (self->header_text))
    {
      add_problem (problems, TC_WA_PART_HEADER, -1, "header.text-empty",
                   "Header: a text header needs text");
      return;
    }

  len = g_utf8_strlen (self->header_text, -1);
  if (len > TC_WA_HEADER_TEXT_MAX)
    add_problem (problems, TC_WA_PART_HEADER, -1, "header.text-length",
                 "Header: text is %ld characters; the limit is %d", len, TC_WA_HEADER_TEXT_MAX);

  if (strchr (self->header_text, '\n') != NULL)
    add_problem (problems, TC_WA_PART_HEADER, -1, "header.newline",
                 "Header: text must be a single line");

  found = scan_placeholders (self->header_text);
  if (found->len > 1)
    {
      add_problem (problems, TC_WA_PART_HEADER, -1, "header.param-count",
                   "Header: text has %u parameters; at most one ({{1}}) is allowed", found->len);
      return;
    }

  if (found->len == 1)
    {
      const Placeholder *ph = &g_array_index (found, Placeholder, 0);

      if (ph->number != 1)
        {
          g_autofree char *tag = placeholder_text (self->header_text, ph);

          add_problem (problems, TC_WA_PART_HEADER, -1, "header.param-number",
                       "Header: “%s” is not allowed; the header's parameter is {{1}}", tag);
          return;
        }
      if (is_blank (self->header_example))
        add_problem (problems, TC_WA_PART_HEADER, -1, "header.param-example",
                     "Header: parameter {{1}} has no example value");
      if (is_blank (self->header_binding))
        add_problem (problems, TC_WA_PART_HEADER, -1, "header.param-binding",
                     "Header: parameter {{1}} is not bound to a value (e.g. {{first_name}})");
      check_binding (problems, TC_WA_PART_HEADER, -1, "header.binding-syntax",
                     "Header parameter {{1}}", self->header_binding);
    }
}

static guint
count_fixed_words (const char   *text,
                   const GArray *found)
{
  g_autoptr(GString) fixed = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  gsize pos = 0;
  guint n = 0;

  for (guint i = 0; i < found->len; i++)
    {
      const Placeholder *ph = &g_array_index (found, Placeholder, i);

      g_string_append_len (fixed, text + pos, (gssize) (ph->start - pos));
      g_string_append_c (fixed, ' ');
      pos = ph->end;
    }
  g_string_append (fixed, text + pos);

  words = g_regex_split_simple ("\\s+", fixed->str, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          {
            n++;
            break;
          }
    }

  return n;
}

static void
validate_body (TcWaTemplate *self,
               GPtrArray    *problems)
{
  g_autoptr(GArray) found = NULL;
  g_autofree gboolean *present = NULL;
  const char *body = self->body;
  int max = 0;
  guint n_numbered = 0;
  glong len;
  gsize first_text;
  gsize last_text;

  if (is_blank (body))
    {
      add_problem (problems, TC_WA_PART_BODY, -1, "body.empty", "Body: text is required");
      return;
    }

  len = g_utf8_strlen (body, -1);
  if (len > TC_WA_BODY_MAX)
    add_problem (problems, TC_WA_PART_BODY, -1, "body.length",
                 "Body: text is %ld characters; the limit is %d", len, TC_WA_BODY_MAX);

  found = scan_placeholders (body);
  for (guint i = 0; i < found->len; i++)
    {
      const Placeholder *ph = &g_array_index (found, Placeholder, i);

      if (ph->number < 0)
        {
          g_autofree char *tag = placeholder_text (body, ph);

          add_problem (problems, TC_WA_PART_BODY, -1, "body.param-malformed",
                       "Body: “%s” is not a parameter; parameters are written {{1}}, {{2}}, … "
                       "and bound to a value such as {{first_name}}", tag);
        }
      else
        {
          max = MAX (max, ph->number);
          n_numbered++;
        }
    }

  if (max > 0)
    {
      present = g_new0 (gboolean, (gsize) max + 1);
      for (guint i = 0; i < found->len; i++)
        {
          int number = g_array_index (found, Placeholder, i).number;

          if (number > 0)
            present[number] = TRUE;
        }

      for (int k = 1; k <= max; k++)
        {
          Param *param;

          if (!present[k])
            {
              add_problem (problems, TC_WA_PART_BODY, -1, "body.param-sequence",
                           "Body: parameters must be numbered from {{1}} to {{%d}} without "
                           "gaps; {{%d}} is missing", max, k);
              continue;
            }

          param = get_param (self, (guint) k);
          if (param == NULL || is_blank (param->example))
            add_problem (problems, TC_WA_PART_BODY, -1, "body.param-example",
                         "Body: parameter {{%d}} has no example value", k);
          if (param == NULL || is_blank (param->binding))
            add_problem (problems, TC_WA_PART_BODY, -1, "body.param-binding",
                         "Body: parameter {{%d}} is not bound to a value (e.g. {{first_name}})",
                         k);
          else
            {
              g_autofree char *where = g_strdup_printf ("Body parameter {{%d}}", k);

              check_binding (problems, TC_WA_PART_BODY, -1, "body.binding-syntax", where,
                             param->binding);
            }
        }
    }

  if (found->len == 0)
    return;

  /* Skip white space at both ends: "  {{1}} …" still starts with {{1}}. */
  first_text = 0;
  while (body[first_text] != '\0' && g_ascii_isspace (body[first_text]))
    first_text++;
  last_text = strlen (body);
  while (last_text > 0 && g_ascii_isspace (body[last_text - 1]))
    last_text--;

  {
    const Placeholder *first = &g_array_index (found, Placeholder, 0);
    const Placeholder *last = &g_array_index (found, Placeholder, found->len - 1);

    if (first->start == first_text)
      {
        g_autofree char *tag = placeholder_text (body, first);

        add_problem (problems, TC_WA_PART_BODY, -1, "body.param-at-start",
                     "Body: can't start with a parameter (%s); put some text before it", tag);
      }
    if (last->end == last_text)
      {
        g_autofree char *tag = placeholder_text (body, last);

        add_problem (problems, TC_WA_PART_BODY, -1, "body.param-at-end",
                     "Body: can't end with a parameter (%s); put some text after it", tag);
      }
  }

  for (guint i = 1; i < found->len; i++)
    {
      const Placeholder *a = &g_array_index (found, Placeholder, i - 1);
      const Placeholder *b = &g_array_index (found, Placeholder, i);
      gboolean only_space = TRUE;

      for (gsize p = a->end; p < b->start; p++)
        if (!g_ascii_isspace (body[p]))
          {
            only_space = FALSE;
            break;
          }

      if (only_space)
        {
          g_autofree char *tag_a = placeholder_text (body, a);
          g_autofree char *tag_b = placeholder_text (body, b);

          add_problem (problems, TC_WA_PART_BODY, -1, "body.params-adjacent",
                       "Body: parameters %s and %s have no text between them", tag_a, tag_b);
        }
    }

  if (n_numbered > 0)
    {
      guint words = count_fixed_words (body, found);

      if (words <= n_numbered)
        add_problem (problems, TC_WA_PART_BODY, -1, "body.param-density",
                     "Body: too many parameters for the length of the text (%u parameters, "
                     "%u words of fixed text); add text or remove parameters",
                     n_numbered, words);
    }
}

static void
validate_footer (TcWaTemplate *self,
                 GPtrArray    *problems)
{
  glong len;

  if (self->footer == NULL || self->footer[0] == '\0')
    return;

  len = g_utf8_strlen (self->footer, -1);
  if (len > TC_WA_FOOTER_MAX)
    add_problem (problems, TC_WA_PART_FOOTER, -1, "footer.length",
                 "Footer: text is %ld characters; the limit is %d", len, TC_WA_FOOTER_MAX);

  if (strstr (self->footer, "{{") != NULL)
    add_problem (problems, TC_WA_PART_FOOTER, -1, "footer.params",
                 "Footer: parameters are not allowed in the footer");
}

static gboolean
is_phone_number (const char *s)
{
  return s != NULL && g_regex_match_simple ("^\\+?[1-9][0-9]{6,14}$", s, 0, 0);
}

static void
validate_url_button (const TcWaButton *button,
                     guint             i,
                     GPtrArray        *problems)
{
  g_autoptr(GArray) found = NULL;
  const char *scheme_end;
  glong len;

  if (is_blank (button->url))
    {
      add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-empty",
                   "Button %u: a URL is required", i + 1);
      return;
    }

  len = g_utf8_strlen (button->url, -1);
  if (len > TC_WA_URL_MAX)
    add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-length",
                 "Button %u: the URL is %ld characters; the limit is %d",
                 i + 1, len, TC_WA_URL_MAX);

  scheme_end = strstr (button->url, "://");
  if (!(g_ascii_strncasecmp (button->url, "https://", 8) == 0
        || g_ascii_strncasecmp (button->url, "http://", 7) == 0)
      || scheme_end == NULL || scheme_end[3] == '\0' || scheme_end[3] == '/'
      || scheme_end[3] == '{' || strpbrk (button->url, " \t\n") != NULL)
    add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-invalid",
                 "Button %u: “%s” is not a web address starting with https:// and a host",
                 i + 1, button->url);

  found = scan_placeholders (button->url);
  if (found->len == 0)
    return;

  if (found->len > 1
      || g_array_index (found, Placeholder, 0).number != 1
      || g_array_index (found, Placeholder, 0).end != strlen (button->url))
    {
      add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-param",
                   "Button %u: the URL can have one parameter, {{1}}, and only at its end",
                   i + 1);
      return;
    }

  if (is_blank (button->example))
    add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-example",
                 "Button %u: the URL parameter {{1}} has no example value", i + 1);
  if (is_blank (button->binding))
    add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.url-binding",
                 "Button %u: the URL parameter {{1}} is not bound to a value", i + 1);
}

static void
validate_buttons (TcWaTemplate *self,
                  GPtrArray    *problems)
{
  guint n_url = 0, n_phone = 0, n_copy = 0;
  int first_qr = -1, last_qr = -1;

  if (self->buttons->len > TC_WA_BUTTONS_MAX)
    add_problem (problems, TC_WA_PART_BUTTONS, -1, "buttons.count",
                 "Buttons: %u buttons; the limit is %d", self->buttons->len, TC_WA_BUTTONS_MAX);

  for (guint i = 0; i < self->buttons->len; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, i);

      switch (button->type)
        {
        case TC_WA_BUTTON_QUICK_REPLY:
          if (first_qr < 0)
            first_qr = (int) i;
          last_qr = (int) i;
          break;
        case TC_WA_BUTTON_URL:
          n_url++;
          break;
        case TC_WA_BUTTON_PHONE_NUMBER:
          n_phone++;
          break;
        case TC_WA_BUTTON_COPY_CODE:
          n_copy++;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (n_url > TC_WA_URL_BUTTONS_MAX)
    add_problem (problems, TC_WA_PART_BUTTONS, -1, "buttons.url-count",
                 "Buttons: %u URL buttons; the limit is %d", n_url, TC_WA_URL_BUTTONS_MAX);
  if (n_phone > TC_WA_PHONE_BUTTONS_MAX)
    add_problem (problems, TC_WA_PART_BUTTONS, -1, "buttons.phone-count",
                 "Buttons: %u phone number buttons; the limit is %d",
                 n_phone, TC_WA_PHONE_BUTTONS_MAX);
  if (n_copy > TC_WA_COPY_CODE_BUTTONS_MAX)
    add_problem (problems, TC_WA_PART_BUTTONS, -1, "buttons.copy-code-count",
                 "Buttons: %u copy code buttons; the limit is %d",
                 n_copy, TC_WA_COPY_CODE_BUTTONS_MAX);

  for (int i = first_qr; first_qr >= 0 && i <= last_qr; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, (guint) i);

      if (button->type != TC_WA_BUTTON_QUICK_REPLY)
        {
          add_problem (problems, TC_WA_PART_BUTTONS, -1, "buttons.quick-reply-grouping",
                       "Buttons: quick replies must be next to each other; button %d "
                       "comes between them", i + 1);
          break;
        }
    }

  for (guint i = 0; i < self->buttons->len; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, i);

      if (button->type != TC_WA_BUTTON_COPY_CODE)
        {
          if (is_blank (button->text))
            add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.text-empty",
                         "Button %u: a label is required", i + 1);
          else
            {
              glong len = g_utf8_strlen (button->text, -1);

              if (len > TC_WA_BUTTON_TEXT_MAX)
                add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.text-length",
                             "Button %u: label is %ld characters; the limit is %d",
                             i + 1, len, TC_WA_BUTTON_TEXT_MAX);
            }
        }

      {
        g_autofree char *where = g_strdup_printf ("Button %u", i + 1);

        check_binding (problems, TC_WA_PART_BUTTON, (int) i, "button.binding-syntax", where,
                       button->binding);
      }

      switch (button->type)
        {
        case TC_WA_BUTTON_URL:
          validate_url_button (button, i, problems);
          break;

        case TC_WA_BUTTON_PHONE_NUMBER:
          if (!is_phone_number (button->phone_number))
            add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.phone-invalid",
                         "Button %u: “%s” is not a phone number in international format "
                         "(E.164, such as +16467043595)",
                         i + 1, empty_if_null (button->phone_number));
          break;

        case TC_WA_BUTTON_COPY_CODE:
          if (is_blank (button->example))
            add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.copy-code-example",
                         "Button %u: the copy code button needs an example code", i + 1);
          else if (g_utf8_strlen (button->example, -1) > TC_WA_COPY_CODE_MAX)
            add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.copy-code-length",
                         "Button %u: the example code is %ld characters; the limit is %d",
                         i + 1, g_utf8_strlen (button->example, -1), TC_WA_COPY_CODE_MAX);
          if (is_blank (button->binding))
            add_problem (problems, TC_WA_PART_BUTTON, (int) i, "button.copy-code-binding",
                         "Button %u: the code to copy is not bound to a value", i + 1);
          break;

        case TC_WA_BUTTON_QUICK_REPLY:
        default:
          break;
        }
    }
}

/**
 * tc_wa_template_validate:
 * @self: a #TcWaTemplate
 * @problems: (out) (optional) (transfer full) (element-type TcWaProblem):
 *   every problem found, in the order name, language, category, header,
 *   body, footer, buttons; empty when the template is valid
 * @error: return location for a #GError: %TC_WA_TEMPLATE_ERROR_INVALID with
 *   the first problem's message
 *
 * Checks @self against Meta's rules for templates, and that every
 * parameter is bound to a value for sending.
 *
 * Returns: %TRUE if the template has no problem
 */
gboolean
tc_wa_template_validate (TcWaTemplate  *self,
                         GPtrArray    **problems,
                         GError       **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_wa_problem_free);
  validate_name (self, found);
  validate_language (self, found);
  validate_category (self, found);
  validate_header (self, found);
  validate_body (self, found);
  validate_footer (self, found);
  validate_buttons (self, found);

  if (found->len > 0)
    {
      const TcWaProblem *first = g_ptr_array_index (found, 0);

      g_set_error_literal (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID,
                           first->message);
    }

  if (problems != NULL)
    {
      gboolean ok = found->len == 0;

      *problems = g_steal_pointer (&found);
      return ok;
    }

  return found->len == 0;
}

/* Cloud API JSON ------------------------------------------------------- */

/**
 * tc_wa_template_build_create_request:
 * @self: a #TcWaTemplate
 * @error: return location for a #GError
 *
 * Builds the body of POST /<WABA-ID>/message_templates. The template must
 * validate first: a template with problems gives %NULL and
 * %TC_WA_TEMPLATE_ERROR_INVALID rather than a request Meta would reject.
 * A phone number button's number is written without its "+", as in Meta's
 * examples.
 *
 * Returns: (transfer full) (nullable): the JSON object
 */
JsonNode *
tc_wa_template_build_create_request (TcWaTemplate  *self,
                                     GError       **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n_params;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tc_wa_template_validate (self, NULL, error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, self->language);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, tc_wa_category_to_string (self->category));
  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);

  if (self->header_format != TC_WA_HEADER_NONE)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "HEADER");
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, tc_wa_header_format_to_string (self->header_format));

      if (self->header_format == TC_WA_HEADER_TEXT)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, self->header_text);
          if (header_has_param (self))
            {
              json_builder_set_member_name (builder, "example");
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "header_text");
              json_builder_begin_array (builder);
              json_builder_add_string_value (builder, self->header_example);
              json_builder_end_array (builder);
              json_builder_end_object (builder);
            }
        }
      else
        {
          json_builder_set_member_name (builder, "example");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "header_handle");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, self->header_example);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "BODY");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, self->body);
  n_params = count_body_params (self);
  if (n_params > 0)
    {
      json_builder_set_member_name (builder, "example");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "body_text");
      json_builder_begin_array (builder);
      json_builder_begin_array (builder);
      for (guint k = 1; k <= n_params; k++)
        json_builder_add_string_value (builder, get_param (self, k)->example);
      json_builder_end_array (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if (self->footer != NULL && self->footer[0] != '\0')
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "FOOTER");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, self->footer);
      json_builder_end_object (builder);
    }

  if (self->buttons->len > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "BUTTONS");
      json_builder_set_member_name (builder, "buttons");
      json_builder_begin_array (builder);

      for (guint i = 0; i < self->buttons->len; i++)
        {
          const TcWaButton *button = g_ptr_array_index (self->buttons, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, tc_wa_button_type_to_string (button->type));

          switch (button->type)
            {
            case TC_WA_BUTTON_QUICK_REPLY:
              json_builder_set_member_name (builder, "text");
              json_builder_add_string_value (builder, button->text);
              break;

            case TC_WA_BUTTON_URL:
              json_builder_set_member_name (builder, "text");
              json_builder_add_string_value (builder, button->text);
              json_builder_set_member_name (builder, "url");
              json_builder_add_string_value (builder, button->url);
              if (url_has_param (button))
                {
                  json_builder_set_member_name (builder, "example");
                  json_builder_begin_array (builder);
                  json_builder_add_string_value (builder, button->example);
                  json_builder_end_array (builder);
                }
              break;

            case TC_WA_BUTTON_PHONE_NUMBER:
              json_builder_set_member_name (builder, "text");
              json_builder_add_string_value (builder, button->text);
              json_builder_set_member_name (builder, "phone_number");
              json_builder_add_string_value (builder,
                                             button->phone_number[0] == '+'
                                             ? button->phone_number + 1
                                             : button->phone_number);
              break;

            case TC_WA_BUTTON_COPY_CODE:
              json_builder_set_member_name (builder, "example");
              json_builder_add_string_value (builder, button->example);
              break;

            default:
              g_assert_not_reached ();
            }

          json_builder_end_object (builder);
        }

      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Meta rejects parameter values with a new line, a tab or more than four
 * spaces in a row (Cloud API error 132018). */
static gboolean
check_param_value (const char  *where,
                   const char  *value,
                   GError     **error)
{
  if (value == NULL || value[0] == '\0')
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
                   "%s: no value; WhatsApp rejects empty parameters", where);
      return FALSE;
    }

  if (strpbrk (value, "\n\r\t") != NULL || strstr (value, "     ") != NULL)
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID,
                   "%s: “%s” has a line break, a tab or more than four spaces in a row, "
                   "which WhatsApp does not allow in parameters", where, value);
      return FALSE;
    }

  return TRUE;
}

static void
add_text_parameter (JsonBuilder *builder,
                    const char  *type,
                    const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, type);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

/**
 * tc_wa_template_build_send_request:
 * @self: a #TcWaTemplate
 * @to: the recipient, E.164 ("+16505551234"); written as given, which
 *   the Cloud API accepts with or without the "+"
 * @values: the rendered parameter values for this recipient
 * @error: return location for a #GError
 *
 * Builds the body of POST /<PHONE-NUMBER-ID>/messages for this template:
 * the language with policy "deterministic"; a header component whose
 * parameter is the media ({"type":"image","image":{"link":…}}) for media
 * headers and text for a text header with {{1}}; the body's text
 * parameters; and one "button" component per button that takes a
 * parameter, with its "sub_type" ("url", "quick_reply", "copy_code") and
 * its "index" as a string. Components without parameters are left out.
 *
 * Returns: (transfer full) (nullable): the JSON object, or %NULL with
 *   %TC_WA_TEMPLATE_ERROR_MISSING_VALUE or %TC_WA_TEMPLATE_ERROR_INVALID
 */
JsonNode *
tc_wa_template_build_send_request (TcWaTemplate          *self,
                                   const char            *to,
                                   const TcWaSendValues  *values,
                                   GError               **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  guint n_params;
  guint n_body_values;
  guint n_button_values;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  g_return_val_if_fail (to != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_phone_number (to))
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID,
                   "Recipient: “%s” is not a phone number in E.164 format", to);
      return NULL;
    }

  n_params = count_body_params (self);
  n_body_values = values->body != NULL ? g_strv_length (values->body) : 0;
  n_button_values = values->buttons != NULL ? g_strv_length (values->buttons) : 0;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "recipient_type");
  json_builder_add_string_value (builder, "individual");
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "template");
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "language");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "policy");
  json_builder_add_string_value (builder, "deterministic");
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, self->language);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);

  if (self->header_format == TC_WA_HEADER_TEXT && header_has_param (self))
    {
      if (!check_param_value ("Header parameter {{1}}", values->header, error))
        return NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "header");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      add_text_parameter (builder, "text", values->header);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else if (self->header_format == TC_WA_HEADER_IMAGE
           || self->header_format == TC_WA_HEADER_VIDEO
           || self->header_format == TC_WA_HEADER_DOCUMENT)
    {
      const char *media = self->header_format == TC_WA_HEADER_IMAGE ? "image"
                          : self->header_format == TC_WA_HEADER_VIDEO ? "video"
                          : "document";
      const char *scheme = values->header != NULL ? g_uri_peek_scheme (values->header) : NULL;

      if (values->header == NULL || values->header[0] == '\0')
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
                       "Header: no link for the %s", media);
          return NULL;
        }
      if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_INVALID,
                       "Header: “%s” is not a web address for the %s", values->header, media);
          return NULL;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "header");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, media);
      json_builder_set_member_name (builder, media);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "link");
      json_builder_add_string_value (builder, values->header);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (n_params > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "body");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      for (guint k = 1; k <= n_params; k++)
        {
          g_autofree char *where = g_strdup_printf ("Body parameter {{%u}}", k);
          const char *value = k <= n_body_values ? values->body[k - 1] : NULL;

          if (!check_param_value (where, value, error))
            return NULL;
          add_text_parameter (builder, "text", value);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  for (guint i = 0; i < self->buttons->len; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, i);
      const char *value = i < n_button_values ? values->buttons[i] : NULL;
      g_autofree char *where = g_strdup_printf ("Button %u", i + 1);
      g_autofree char *index = g_strdup_printf ("%u", i);
      const char *sub_type;
      const char *param_type;

      switch (button->type)
        {
        case TC_WA_BUTTON_URL:
          if (!url_has_param (button))
            continue;
          sub_type = "url";
          param_type = "text";
          break;
        case TC_WA_BUTTON_COPY_CODE:
          sub_type = "copy_code";
          param_type = "coupon_code";
          break;
        case TC_WA_BUTTON_QUICK_REPLY:
          /* A quick reply's payload is optional: without one, WhatsApp
           * reports the button's text. */
          if (value == NULL || value[0] == '\0')
            continue;
          sub_type = "quick_reply";
          param_type = "payload";
          break;
        case TC_WA_BUTTON_PHONE_NUMBER:
        default:
          continue;
        }

      if (!check_param_value (where, value, error))
        return NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "button");
      json_builder_set_member_name (builder, "sub_type");
      json_builder_add_string_value (builder, sub_type);
      json_builder_set_member_name (builder, "index");
      json_builder_add_string_value (builder, index);
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      add_text_parameter (builder, param_type, value);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Rendering the bindings ----------------------------------------------- */

static gboolean
render_binding (const char          *where,
                const char          *binding,
                JsonNode            *data,
                TcMustachePartials  *partials,
                GPtrArray           *missing,
                char               **value,
                GError             **error)
{
  g_autoptr(TcMustacheTemplate) parsed = NULL;

  parsed = tc_mustache_parse (binding, -1, error);
  if (parsed != NULL)
    *value = tc_mustache_render (parsed, data, partials, TC_MUSTACHE_ESCAPE_NONE, missing, error);

  if (parsed == NULL || *value == NULL)
    {
      g_prefix_error (error, "%s: ", where);
      return FALSE;
    }

  return TRUE;
}

/**
 * tc_wa_template_render_values:
 * @self: a #TcWaTemplate
 * @data: the variables of one recipient (tc_mustache_vars_new_for_contact())
 * @partials: (nullable): snippets the bindings may include
 * @missing: (nullable) (element-type utf8): where the names of missing
 *   variables are added (see tc_mustache_render())
 * @error: return location for a #GError
 *
 * Renders every binding of @self for one recipient, without escaping, into
 * the values tc_wa_template_build_send_request() takes. A parameter
 * without a binding is %TC_WA_TEMPLATE_ERROR_MISSING_VALUE (a quick reply
 * without one simply gets no payload); a value that renders empty stays
 * empty, and the send request then refuses it, after @missing has said why.
 *
 * Returns: (transfer full) (nullable): the values
 */
TcWaSendValues *
tc_wa_template_render_values (TcWaTemplate        *self,
                              JsonNode            *data,
                              TcMustachePartials  *partials,
                              GPtrArray           *missing,
                              GError             **error)
{
  g_autoptr(TcWaSendValues) values = NULL;
  g_autoptr(GPtrArray) body = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  guint n_params;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  values = g_new0 (TcWaSendValues, 1);

  if (header_has_param (self) || (self->header_format != TC_WA_HEADER_NONE
                                  && self->header_format != TC_WA_HEADER_TEXT))
    {
      if (is_blank (self->header_binding))
        {
          g_set_error_literal (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
                               "Header: not bound to a value");
          return NULL;
        }
      if (!render_binding ("Header", self->header_binding, data, partials, missing,
                           &values->header, error))
        return NULL;
    }

  n_params = count_body_params (self);
  body = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 1; k <= n_params; k++)
    {
      const Param *param = get_param (self, k);
      g_autofree char *where = g_strdup_printf ("Body parameter {{%u}}", k);
      char *value = NULL;

      if (param == NULL || is_blank (param->binding))
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
                       "%s: not bound to a value", where);
          return NULL;
        }
      if (!render_binding (where, param->binding, data, partials, missing, &value, error))
        return NULL;
      g_ptr_array_add (body, value);
    }
  g_ptr_array_add (body, NULL);
  values->body = (char **) g_ptr_array_steal (body, NULL);

  buttons = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->buttons->len; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, i);
      g_autofree char *where = g_strdup_printf ("Button %u", i + 1);
      gboolean takes_value = url_has_param (button) || button->type == TC_WA_BUTTON_COPY_CODE;
      char *value = NULL;

      if ((takes_value || button->type == TC_WA_BUTTON_QUICK_REPLY) && !is_blank (button->binding))
        {
          if (!render_binding (where, button->binding, data, partials, missing, &value, error))
            return NULL;
        }
      else if (takes_value)
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_MISSING_VALUE,
                       "%s: not bound to a value", where);
          return NULL;
        }
      else
        value = g_strdup ("");

      g_ptr_array_add (buttons, value);
    }
  g_ptr_array_add (buttons, NULL);
  values->buttons = (char **) g_ptr_array_steal (buttons, NULL);

  return g_steal_pointer (&values);
}

/* Storage JSON --------------------------------------------------------- */

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * tc_wa_template_to_json:
 * @self: a #TcWaTemplate
 *
 * Serializes the whole definition for storage, bindings and approval
 * status included (this is Textcast's own shape, not Meta's):
 *
 * |[
 * { "name": "spring_sale", "language": "en_US", "category": "MARKETING",
 *   "status": "APPROVED", "rejection_reason": "…",
 *   "header": { "format": "TEXT", "text": "…", "example": "…", "binding": "…" },
 *   "body": { "text": "…", "params": [ { "example": "…", "binding": "…" } ] },
 *   "footer": "…",
 *   "buttons": [ { "type": "URL", "text": "…", "url": "…", "example": "…",
 *                  "binding": "…" } ] }
 * ]|
 *
 * Unset strings are left out; "params" has one object per number from 1.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
tc_wa_template_to_json (TcWaTemplate *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_optional_string (builder, "name", self->name);
  add_optional_string (builder, "language", self->language);
  add_optional_string (builder, "category", tc_wa_category_to_string (self->category));
  add_optional_string (builder, "status", tc_wa_status_to_string (self->status));
  add_optional_string (builder, "rejection_reason", self->rejection_reason);

  if (self->header_format != TC_WA_HEADER_NONE)
    {
      json_builder_set_member_name (builder, "header");
      json_builder_begin_object (builder);
      add_optional_string (builder, "format", tc_wa_header_format_to_string (self->header_format));
      add_optional_string (builder, "text", self->header_text);
      add_optional_string (builder, "example", self->header_example);
      add_optional_string (builder, "binding", self->header_binding);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "body");
  json_builder_begin_object (builder);
  add_optional_string (builder, "text", self->body);
  json_builder_set_member_name (builder, "params");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->body_params->len; i++)
    {
      const Param *param = g_ptr_array_index (self->body_params, i);

      json_builder_begin_object (builder);
      if (param != NULL)
        {
          add_optional_string (builder, "example", param->example);
          add_optional_string (builder, "binding", param->binding);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  add_optional_string (builder, "footer", self->footer);

  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->buttons->len; i++)
    {
      const TcWaButton *button = g_ptr_array_index (self->buttons, i);

      json_builder_begin_object (builder);
      add_optional_string (builder, "type", tc_wa_button_type_to_string (button->type));
      add_optional_string (builder, "text", button->text);
      add_optional_string (builder, "url", button->url);
      add_optional_string (builder, "phone_number", button->phone_number);
      add_optional_string (builder, "example", button->example);
      add_optional_string (builder, "binding", button->binding);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Reads an optional string member; a member of another type is an error. */
static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *member,
             const char **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                   "%s%s: expected a string", path, member);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static JsonObject *
read_object (JsonObject  *object,
             const char  *member,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                   "%s: expected an object", member);
      return NULL;
    }

  return json_node_get_object (node);
}

static JsonArray *
read_array (JsonObject  *object,
            const char  *path,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                   "%s%s: expected an array", path, member);
      return NULL;
    }

  return json_node_get_array (node);
}

static gboolean
parse_error_unknown (GError     **error,
                     const char  *path,
                     const char  *value)
{
  g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
               "%s: unknown value “%s”", path, value);
  return FALSE;
}

static gboolean
load_header (TcWaTemplate  *self,
             JsonObject    *root,
             GError       **error)
{
  GError *local_error = NULL;
  JsonObject *header = read_object (root, "header", &local_error);
  const char *format, *text, *example, *binding;
  TcWaHeaderFormat header_format;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (header == NULL)
    return TRUE;

  if (!read_string (header, "header.", "format", &format, error)
      || !read_string (header, "header.", "text", &text, error)
      || !read_string (header, "header.", "example", &example, error)
      || !read_string (header, "header.", "binding", &binding, error))
    return FALSE;

  if (!tc_wa_header_format_from_string (format, &header_format))
    return parse_error_unknown (error, "header.format", empty_if_null (format));

  self->header_format = header_format;
  self->header_text = g_strdup (text);
  self->header_example = g_strdup (example);
  self->header_binding = g_strdup (binding);
  return TRUE;
}

static gboolean
load_body (TcWaTemplate  *self,
           JsonObject    *root,
           GError       **error)
{
  GError *local_error = NULL;
  JsonObject *body = read_object (root, "body", &local_error);
  JsonArray *params;
  const char *text;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (body == NULL)
    return TRUE;

  if (!read_string (body, "body.", "text", &text, error))
    return FALSE;
  self->body = g_strdup (text);

  params = read_array (body, "body.", "params", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; params != NULL && i < json_array_get_length (params); i++)
    {
      JsonNode *node = json_array_get_element (params, i);
      g_autofree char *path = g_strdup_printf ("body.params[%u].", i);
      const char *example, *binding;
      Param *param = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                       "body.params[%u]: expected an object", i);
          return FALSE;
        }
      if (!read_string (json_node_get_object (node), path, "example", &example, error)
          || !read_string (json_node_get_object (node), path, "binding", &binding, error))
        return FALSE;

      if (example != NULL || binding != NULL)
        {
          param = g_new0 (Param, 1);
          param->example = g_strdup (example);
          param->binding = g_strdup (binding);
        }
      g_ptr_array_add (self->body_params, param);
    }

  return TRUE;
}

static gboolean
load_buttons (TcWaTemplate  *self,
              JsonObject    *root,
              GError       **error)
{
  GError *local_error = NULL;
  JsonArray *buttons = read_array (root, "", "buttons", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; buttons != NULL && i < json_array_get_length (buttons); i++)
    {
      JsonNode *node = json_array_get_element (buttons, i);
      g_autofree char *path = g_strdup_printf ("buttons[%u].", i);
      const char *type, *text, *url, *phone, *example, *binding;
      TcWaButton *button;
      TcWaButtonType button_type;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                       "buttons[%u]: expected an object", i);
          return FALSE;
        }
      object = json_node_get_object (node);
      if (!read_string (object, path, "type", &type, error)
          || !read_string (object, path, "text", &text, error)
          || !read_string (object, path, "url", &url, error)
          || !read_string (object, path, "phone_number", &phone, error)
          || !read_string (object, path, "example", &example, error)
          || !read_string (object, path, "binding", &binding, error))
        return FALSE;

      if (!tc_wa_button_type_from_string (type, &button_type))
        {
          g_autofree char *where = g_strdup_printf ("buttons[%u].type", i);

          return parse_error_unknown (error, where, empty_if_null (type));
        }

      button = g_new0 (TcWaButton, 1);
      button->type = button_type;
      button->text = g_strdup (text);
      button->url = g_strdup (url);
      button->phone_number = g_strdup (phone);
      button->example = g_strdup (example);
      button->binding = g_strdup (binding);
      g_ptr_array_add (self->buttons, button);
    }

  return TRUE;
}

/**
 * tc_wa_template_new_from_json:
 * @node: JSON written by tc_wa_template_to_json()
 * @error: return location for a #GError
 *
 * Reads a template back. Unknown members are ignored; members of the
 * wrong type and unknown enum names are errors
 * (%TC_WA_TEMPLATE_ERROR_PARSE, naming the member).
 *
 * Returns: (transfer full) (nullable): the template
 */
TcWaTemplate *
tc_wa_template_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(TcWaTemplate) self = NULL;
  JsonObject *root;
  const char *name, *language, *category, *status, *reason, *footer;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TC_WA_TEMPLATE_ERROR, TC_WA_TEMPLATE_ERROR_PARSE,
                           "A template must be a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);

  if (!read_string (root, "", "name", &name, error)
      || !read_string (root, "", "language", &language, error)
      || !read_string (root, "", "category", &category, error)
      || !read_string (root, "", "status", &status, error)
      || !read_string (root, "", "rejection_reason", &reason, error)
      || !read_string (root, "", "footer", &footer, error))
    return NULL;

  self = g_object_new (TC_TYPE_WA_TEMPLATE, NULL);
  self->name = g_strdup (name);
  self->language = g_strdup (language);
  self->footer = g_strdup (footer);
  self->rejection_reason = g_strdup (reason);

  if (category != NULL && !tc_wa_category_from_string (category, &self->category))
    {
      parse_error_unknown (error, "category", category);
      return NULL;
    }
  if (status != NULL && !tc_wa_status_from_string (status, &self->status))
    {
      parse_error_unknown (error, "status", status);
      return NULL;
    }

  if (!load_header (self, root, error)
      || !load_body (self, root, error)
      || !load_buttons (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* GObject -------------------------------------------------------------- */

static void
tc_wa_template_finalize (GObject *object)
{
  TcWaTemplate *self = (TcWaTemplate *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->header_text, g_free);
  g_clear_pointer (&self->header_example, g_free);
  g_clear_pointer (&self->header_binding, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->body_params, g_ptr_array_unref);
  g_clear_pointer (&self->footer, g_free);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_clear_pointer (&self->rejection_reason, g_free);

  G_OBJECT_CLASS (tc_wa_template_parent_class)->finalize (object);
}

static void
tc_wa_template_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TcWaTemplate *self = TC_WA_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CATEGORY:
      g_value_set_enum (value, self->category);
      break;
    case PROP_HEADER_FORMAT:
      g_value_set_enum (value, self->header_format);
      break;
    case PROP_HEADER_TEXT:
      g_value_set_string (value, self->header_text);
      break;
    case PROP_HEADER_EXAMPLE:
      g_value_set_string (value, self->header_example);
      break;
    case PROP_HEADER_BINDING:
      g_value_set_string (value, self->header_binding);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_FOOTER:
      g_value_set_string (value, self->footer);
      break;
    case PROP_N_BUTTONS:
      g_value_set_uint (value, self->buttons->len);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_REJECTION_REASON:
      g_value_set_string (value, self->rejection_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_wa_template_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TcWaTemplate *self = TC_WA_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      tc_wa_template_set_name (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      tc_wa_template_set_language (self, g_value_get_string (value));
      break;
    case PROP_CATEGORY:
      tc_wa_template_set_category (self, g_value_get_enum (value));
      break;
    case PROP_HEADER_FORMAT:
      tc_wa_template_set_header_format (self, g_value_get_enum (value));
      break;
    case PROP_HEADER_TEXT:
      tc_wa_template_set_header_text (self, g_value_get_string (value));
      break;
    case PROP_HEADER_EXAMPLE:
      tc_wa_template_set_header_example (self, g_value_get_string (value));
      break;
    case PROP_HEADER_BINDING:
      tc_wa_template_set_header_binding (self, g_value_get_string (value));
      break;
    case PROP_BODY:
      tc_wa_template_set_body (self, g_value_get_string (value));
      break;
    case PROP_FOOTER:
      tc_wa_template_set_footer (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_wa_template_class_init (TcWaTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_wa_template_finalize;
  object_class->get_property = tc_wa_template_get_property;
  object_class->set_property = tc_wa_template_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, rw);
  properties[PROP_CATEGORY] =
    g_param_spec_enum ("category", NULL, NULL, TC_TYPE_WA_CATEGORY,
                       TC_WA_CATEGORY_MARKETING, rw);
  properties[PROP_HEADER_FORMAT] =
    g_param_spec_enum ("header-format", NULL, NULL, TC_TYPE_WA_HEADER_FORMAT,
                       TC_WA_HEADER_NONE, rw);
  properties[PROP_HEADER_TEXT] = g_param_spec_string ("header-text", NULL, NULL, NULL, rw);
  properties[PROP_HEADER_EXAMPLE] = g_param_spec_string ("header-example", NULL, NULL, NULL, rw);
  properties[PROP_HEADER_BINDING] = g_param_spec_string ("header-binding", NULL, NULL, NULL, rw);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, rw);
  properties[PROP_FOOTER] = g_param_spec_string ("footer", NULL, NULL, NULL, rw);
  properties[PROP_N_BUTTONS] = g_param_spec_uint ("n-buttons", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TC_TYPE_WA_STATUS, TC_WA_STATUS_DRAFT, ro);
  properties[PROP_REJECTION_REASON] =
    g_param_spec_string ("rejection-reason", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TcWaTemplate::changed:
   *
   * Emitted after any change of the definition, including parameters and
   * buttons, which have no property of their own.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
tc_wa_template_init (TcWaTemplate *self)
{
  self->body_params = g_ptr_array_new_with_free_func (param_free);
  self->buttons = g_ptr_array_new_with_free_func (button_free);
  self->category = TC_WA_CATEGORY_MARKETING;
  self->header_format = TC_WA_HEADER_NONE;
  self->status = TC_WA_STATUS_DRAFT;
}

/* Public API ----------------------------------------------------------- */

/**
 * tc_wa_template_new:
 * @name: (nullable): the template name
 * @language: (nullable): the language code, e.g. "en_US"
 * @category: the category
 *
 * Returns: (transfer full): a new draft template
 */
TcWaTemplate *
tc_wa_template_new (const char   *name,
                    const char   *language,
                    TcWaCategory  category)
{
  return g_object_new (TC_TYPE_WA_TEMPLATE,
                       "name", name,
                       "language", language,
                       "category", category,
                       NULL);
}

const char *
tc_wa_template_get_name (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->name;
}

void
tc_wa_template_set_name (TcWaTemplate *self,
                         const char   *name)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->name, name, PROP_NAME);
}

const char *
tc_wa_template_get_language (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->language;
}

void
tc_wa_template_set_language (TcWaTemplate *self,
                             const char   *language)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->language, language, PROP_LANGUAGE);
}

TcWaCategory
tc_wa_template_get_category (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), TC_WA_CATEGORY_MARKETING);
  return self->category;
}

void
tc_wa_template_set_category (TcWaTemplate *self,
                             TcWaCategory  category)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));

  if (self->category == category)
    return;

  self->category = category;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
  emit_changed (self);
}

TcWaHeaderFormat
tc_wa_template_get_header_format (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), TC_WA_HEADER_NONE);
  return self->header_format;
}

void
tc_wa_template_set_header_format (TcWaTemplate     *self,
                                  TcWaHeaderFormat  format)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));

  if (self->header_format == format)
    return;

  self->header_format = format;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_FORMAT]);
  emit_changed (self);
}

const char *
tc_wa_template_get_header_text (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->header_text;
}

/**
 * tc_wa_template_set_header_text:
 * @self: a #TcWaTemplate
 * @text: (nullable): the text of a TEXT header, with at most one {{1}}
 */
void
tc_wa_template_set_header_text (TcWaTemplate *self,
                                const char   *text)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->header_text, text, PROP_HEADER_TEXT);
}

const char *
tc_wa_template_get_header_example (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->header_example;
}

/**
 * tc_wa_template_set_header_example:
 * @self: a #TcWaTemplate
 * @example: (nullable): for a TEXT header, an example value of {{1}};
 *   for a media header, the example media handle (from Meta's resumable
 *   upload API) sent as "header_handle"
 */
void
tc_wa_template_set_header_example (TcWaTemplate *self,
                                   const char   *example)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->header_example, example, PROP_HEADER_EXAMPLE);
}

const char *
tc_wa_template_get_header_binding (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->header_binding;
}

/**
 * tc_wa_template_set_header_binding:
 * @self: a #TcWaTemplate
 * @binding: (nullable): the Mustache expression giving, at send time, the
 *   value of {{1}} of a TEXT header or the media link of a media header
 *   (a fixed URL is a valid expression)
 */
void
tc_wa_template_set_header_binding (TcWaTemplate *self,
                                   const char   *binding)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->header_binding, binding, PROP_HEADER_BINDING);
}

const char *
tc_wa_template_get_body (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->body;
}

void
tc_wa_template_set_body (TcWaTemplate *self,
                         const char   *body)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->body, body, PROP_BODY);
}

/**
 * tc_wa_template_get_n_body_params:
 * @self: a #TcWaTemplate
 *
 * Returns: the highest {{n}} in the body (the number of parameters of a
 *   valid body)
 */
guint
tc_wa_template_get_n_body_params (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), 0);
  return count_body_params (self);
}

/**
 * tc_wa_template_set_body_param:
 * @self: a #TcWaTemplate
 * @number: the parameter, from 1 ({{1}})
 * @example: (nullable): the example value Meta reviews
 * @binding: (nullable): the Mustache expression that gives the value at
 *   send time, e.g. "{{first_name|there}}"
 *
 * Stores the example and the binding of body parameter @number. They are
 * kept even while the body has no such parameter, so editing the text does
 * not lose them.
 */
void
tc_wa_template_set_body_param (TcWaTemplate *self,
                               guint         number,
                               const char   *example,
                               const char   *binding)
{
  Param *param;

  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  g_return_if_fail (number >= 1 && number <= 1000);

  while (self->body_params->len < number)
    g_ptr_array_add (self->body_params, NULL);

  param = g_ptr_array_index (self->body_params, number - 1);
  if (param == NULL)
    {
      param = g_new0 (Param, 1);
      g_ptr_array_index (self->body_params, number - 1) = param;
    }
  else if (g_strcmp0 (param->example, example) == 0
           && g_strcmp0 (param->binding, binding) == 0)
    return;

  replace_string (&param->example, example);
  replace_string (&param->binding, binding);
  emit_changed (self);
}

/**
 * tc_wa_template_get_body_param_example:
 * @self: a #TcWaTemplate
 * @number: the parameter, from 1
 *
 * Returns: (nullable): the example value of {{@number}}
 */
const char *
tc_wa_template_get_body_param_example (TcWaTemplate *self,
                                       guint         number)
{
  Param *param;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);

  param = get_param (self, number);
  return param != NULL ? param->example : NULL;
}

/**
 * tc_wa_template_get_body_param_binding:
 * @self: a #TcWaTemplate
 * @number: the parameter, from 1
 *
 * Returns: (nullable): the Mustache expression bound to {{@number}}
 */
const char *
tc_wa_template_get_body_param_binding (TcWaTemplate *self,
                                       guint         number)
{
  Param *param;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);

  param = get_param (self, number);
  return param != NULL ? param->binding : NULL;
}

const char *
tc_wa_template_get_footer (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->footer;
}

void
tc_wa_template_set_footer (TcWaTemplate *self,
                           const char   *footer)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  set_string_property (self, &self->footer, footer, PROP_FOOTER);
}

guint
tc_wa_template_get_n_buttons (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), 0);
  return self->buttons->len;
}

/**
 * tc_wa_template_get_button:
 * @self: a #TcWaTemplate
 * @index: from 0
 *
 * Returns: (transfer none): the button, valid until the buttons change
 */
const TcWaButton *
tc_wa_template_get_button (TcWaTemplate *self,
                           guint         index)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  g_return_val_if_fail (index < self->buttons->len, NULL);

  return g_ptr_array_index (self->buttons, index);
}

/**
 * tc_wa_template_add_button:
 * @self: a #TcWaTemplate
 * @type: the kind of button
 * @text: (nullable): the label
 * @url_or_phone: (nullable): the URL of a URL button, the number of a
 *   PHONE_NUMBER button; ignored for other kinds
 * @example: (nullable): the example of a URL suffix or of a code
 * @binding: (nullable): the Mustache expression of the send-time value
 *
 * Appends a button. Rules (counts, order, lengths) are checked by
 * tc_wa_template_validate(), not here, so the editor can show them.
 *
 * Returns: the button's index
 */
guint
tc_wa_template_add_button (TcWaTemplate   *self,
                           TcWaButtonType  type,
                           const char     *text,
                           const char     *url_or_phone,
                           const char     *example,
                           const char     *binding)
{
  TcWaButton *button;

  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), 0);
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (button_type_names), 0);

  button = g_new0 (TcWaButton, 1);
  button->type = type;
  button->text = g_strdup (text);
  if (type == TC_WA_BUTTON_URL)
    button->url = g_strdup (url_or_phone);
  else if (type == TC_WA_BUTTON_PHONE_NUMBER)
    button->phone_number = g_strdup (url_or_phone);
  button->example = g_strdup (example);
  button->binding = g_strdup (binding);
  g_ptr_array_add (self->buttons, button);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BUTTONS]);
  emit_changed (self);

  return self->buttons->len - 1;
}

void
tc_wa_template_remove_button (TcWaTemplate *self,
                              guint         index)
{
  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  g_return_if_fail (index < self->buttons->len);

  g_ptr_array_remove_index (self->buttons, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BUTTONS]);
  emit_changed (self);
}

TcWaStatus
tc_wa_template_get_status (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), TC_WA_STATUS_DRAFT);
  return self->status;
}

const char *
tc_wa_template_get_rejection_reason (TcWaTemplate *self)
{
  g_return_val_if_fail (TC_IS_WA_TEMPLATE (self), NULL);
  return self->rejection_reason;
}

/**
 * tc_wa_template_set_status:
 * @self: a #TcWaTemplate
 * @status: the approval status reported by the provider
 * @rejection_reason: (nullable): Meta's reason, for REJECTED (and PAUSED
 *   or DISABLED when given); ignored and cleared for the other statuses
 *
 * Records the status after a refresh from the provider.
 */
void
tc_wa_template_set_status (TcWaTemplate *self,
                           TcWaStatus    status,
                           const char   *rejection_reason)
{
  gboolean changed = FALSE;

  g_return_if_fail (TC_IS_WA_TEMPLATE (self));
  g_return_if_fail ((guint) status < G_N_ELEMENTS (status_names));

  if (status == TC_WA_STATUS_DRAFT || status == TC_WA_STATUS_PENDING
      || status == TC_WA_STATUS_APPROVED)
    rejection_reason = NULL;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      changed = TRUE;
    }
  if (replace_string (&self->rejection_reason, rejection_reason))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTION_REASON]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    emit_changed (self);
}
