/* tc-simulator-templates.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator's WhatsApp message templates and their review
 * (tc-simulator-templates.h).
 */

#define G_LOG_DOMAIN "tc-simulator"

#include "config.h"

#include <string.h>

#include "tc-simulator-templates.h"

/* The longest template name Meta takes. */
#define MAX_NAME_CHARS 512
#define MAX_BODY_CHARS 1024
/* A list answers at most this many templates per page. */
#define DEFAULT_PAGE 25
#define MAX_PAGE 1000

/* ------------------------------------------------------------------------
 * The review
 */

void
_tc_sim_template_review_clear (TcSimTemplateReview *review)
{
  g_clear_pointer (&review->message, g_free);
}

static void refuse (TcSimTemplateReview *review,
                    guint                subcode,
                    const char          *title,
                    const char          *format,
                    ...) G_GNUC_PRINTF (4, 5);

static void
refuse (TcSimTemplateReview *review,
        guint                subcode,
        const char          *title,
        const char          *format,
        ...)
{
  va_list args;

  review->refused = TRUE;
  review->subcode = subcode;
  review->title = title;
  g_clear_pointer (&review->message, g_free);
  va_start (args, format);
  review->message = g_strdup_vprintf (format, args);
  va_end (args);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The variables {{n}} of @text in order: their numbers into @numbers
 * (0 for a malformed one such as {{name}}), and whether two stand side by
 * side with only spaces between them. Returns the words that are not
 * variables. */
static guint
scan_variables (const char *text,
                GArray     *numbers,
                gboolean   *adjacent)
{
  const char *p = text;
  const char *last_end = NULL;
  guint words = 0;
  gboolean in_word = FALSE;

  *adjacent = FALSE;
  while (*p != '\0')
    {
      if (p[0] == '{' && p[1] == '{')
        {
          const char *close = strstr (p + 2, "}}");
          guint number = 0;

          if (close == NULL)
            break;
          for (const char *q = p + 2; q < close; q++)
            number = g_ascii_isdigit (*q) && number < 1000 ? number * 10 + (guint) (*q - '0') : 1000;
          if (number >= 1000 || close == p + 2)
            number = 0;
          g_array_append_val (numbers, number);
          if (last_end != NULL)
            {
              const char *q = last_end;

              while (q < p && g_ascii_isspace (*q))
                q++;
              if (q == p)
                *adjacent = TRUE;
            }
          last_end = close + 2;
          p = close + 2;
          in_word = FALSE;
          continue;
        }
      if (g_ascii_isspace (*p))
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          words++;
        }
      p++;
    }

  return words;
}

static gboolean
is_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > MAX_NAME_CHARS)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;

  return TRUE;
}

static gboolean
is_language (const char *language)
{
  if (language == NULL || language[0] == '\0' || strlen (language) > 16)
    return FALSE;
  for (const char *p = language; *p != '\0'; p++)
    if (!(g_ascii_isalpha (*p) || *p == '_'))
      return FALSE;

  return TRUE;
}

/* Words that make a message an advertisement. */
static gboolean
advertises (const char *text)
{
  static const char * const words[] = { "% off", "discount", "sale", "offer", "coupon", "promo" };
  g_autofree char *lower = g_ascii_strdown (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
text_has_variable (const char *text)
{
  return text != NULL && strstr (text, "{{") != NULL;
}

void
_tc_sim_template_review (JsonObject          *request,
                         TcSimTemplateReview *review)
{
  const char *name = string_member (request, "name");
  const char *language = string_member (request, "language");
  const char *category = string_member (request, "category");
  JsonArray *components = array_member (request, "components");
  JsonObject *body = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) all_text = g_string_new ("");
  gboolean adjacent = FALSE;
  const char *text;
  const char *start, *end;
  guint words, highest;

  memset (review, 0, sizeof *review);
  review->status = "APPROVED";
  review->reason = "NONE";

  if (!is_name (name))
    {
      refuse (review, 2388001, "Invalid template name",
              "Template names can only have lowercase letters, numbers and underscores.");
      return;
    }
  if (!is_language (language))
    {
      refuse (review, 2388002, "Invalid language", "The template needs a language code, like en_US.");
      return;
    }
  if (category == NULL ||
      (strcmp (category, "MARKETING") != 0 && strcmp (category, "UTILITY") != 0 &&
       strcmp (category, "AUTHENTICATION") != 0))
    {
      refuse (review, 2388003, "Invalid category",
              "Param category must be one of {AUTHENTICATION, MARKETING, UTILITY}.");
      return;
    }

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *component = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = string_member (component, "type");

      if (type == NULL)
        continue;
      if (strcmp (type, "BODY") == 0)
        body = component;
      else if (strcmp (type, "HEADER") == 0)
        {
          const char *format = string_member (component, "format");
          JsonObject *example = object_member (component, "example");

          if (g_strcmp0 (format, "TEXT") == 0)
            {
              g_string_append_printf (all_text, "%s\n", string_member (component, "text") ?: "");
              if (text_has_variable (string_member (component, "text")) &&
                  array_member (example, "header_text") == NULL)
                {
                  refuse (review, 2388043, "Message template sample values missing",
                          "Add sample text for the variable in the header.");
                  return;
                }
            }
          else
            {
              JsonArray *handles = array_member (example, "header_handle");

              if (handles == NULL || json_array_get_length (handles) == 0)
                {
                  refuse (review, 2388043, "Message template sample values missing",
                          "Add a sample %s for the header.",
                          format != NULL ? format : "media");
                  return;
                }
            }
        }
      else if (strcmp (type, "FOOTER") == 0)
        g_string_append_printf (all_text, "%s\n", string_member (component, "text") ?: "");
      else if (strcmp (type, "BUTTONS") == 0)
        {
          JsonArray *buttons = array_member (component, "buttons");

          for (guint b = 0; buttons != NULL && b < json_array_get_length (buttons); b++)
            {
              JsonNode *button_node = json_array_get_element (buttons, b);
              JsonObject *button = JSON_NODE_HOLDS_OBJECT (button_node)
                                   ? json_node_get_object (button_node) : NULL;
              JsonArray *example = array_member (button, "example");

              if (g_strcmp0 (string_member (button, "type"), "URL") == 0 &&
                  text_has_variable (string_member (button, "url")) &&
                  (example == NULL || json_array_get_length (example) == 0))
                {
                  refuse (review, 2388043, "Message template sample values missing",
                          "Add a sample URL for the button “%s”.",
                          string_member (button, "text") ?: "");
                  return;
                }
            }
        }
    }

  text = string_member (body, "text");
  if (text == NULL || text[0] == '\0')
    {
      refuse (review, 2388004, "Message template body missing", "The template needs body text.");
      return;
    }
  if (g_utf8_strlen (text, -1) > MAX_BODY_CHARS)
    {
      refuse (review, 2388005, "Message template body too long",
              "The body text can have at most 1024 characters.");
      return;
    }

  /* Variables at the very start or end. */
  start = text;
  while (g_ascii_isspace (*start))
    start++;
  end = text + strlen (text);
  while (end > start && (g_ascii_isspace (end[-1]) || strchr (".!?", end[-1]) != NULL))
    end--;
  if (g_str_has_prefix (start, "{{") || (end - start >= 2 && end[-1] == '}' && end[-2] == '}'))
    {
      refuse (review, 2388299, "Variables can't be at the start or end of the template",
              "Variables can't be at the start or end of the template. Add text before the "
              "first variable and after the last one.");
      return;
    }

  words = scan_variables (text, numbers, &adjacent);
  highest = 0;
  for (guint i = 0; i < numbers->len; i++)
    {
      guint number = g_array_index (numbers, guint, i);

      if (number == 0)
        {
          refuse (review, 2388043, "Message template variables have an incorrect format",
                  "Variables must be numbers in double braces: {{1}}, {{2}}, …");
          return;
        }
      highest = MAX (highest, number);
    }
  /* A number may come twice, but none may be missing. */
  for (guint k = 1; k <= highest; k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < numbers->len && !found; i++)
        found = g_array_index (numbers, guint, i) == k;
      if (!found)
        {
          refuse (review, 2388043, "Message template variables have an incorrect format",
                  "Variables must be numbered in order, starting at {{1}}; {{%u}} is missing.", k);
          return;
        }
    }
  if (highest > 0)
    {
      JsonArray *examples = array_member (object_member (body, "example"), "body_text");
      JsonNode *first = examples != NULL && json_array_get_length (examples) > 0
                        ? json_array_get_element (examples, 0) : NULL;

      if (first == NULL || !JSON_NODE_HOLDS_ARRAY (first) ||
          json_array_get_length (json_node_get_array (first)) < highest)
        {
          refuse (review, 2388043, "Message template sample values missing",
                  "Add sample text for each variable in the body (%u).", highest);
          return;
        }
    }

  g_string_append (all_text, text);

  /* The verdict. */
  if (adjacent || (highest > 0 && words < 2 * numbers->len + 1))
    {
      review->status = "REJECTED";
      review->reason = "INVALID_FORMAT";
    }
  else if (strcmp (category, "MARKETING") != 0 && advertises (all_text->str))
    {
      review->status = "REJECTED";
      review->reason = "TAG_CONTENT_MISMATCH";
    }
}

/* ------------------------------------------------------------------------
 * The account's templates
 */

typedef struct
{
  char       *id;
  char       *name;
  char       *language;
  char       *category;
  const char *verdict;   /* static */
  const char *reason;    /* static */
  gint64      submitted; /* monotonic µs */
} Template;

static void
template_free (Template *template)
{
  g_free (template->id);
  g_free (template->name);
  g_free (template->language);
  g_free (template->category);
  g_free (template);
}

struct _TcSimTemplates
{
  GPtrArray *templates;   /* (element-type Template), in submission order */
  guint      review_ms;
  guint64    next_id;
};

TcSimTemplates *
_tc_sim_templates_new (guint review_ms)
{
  TcSimTemplates *self = g_new0 (TcSimTemplates, 1);

  self->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) template_free);
  self->review_ms = review_ms;
  self->next_id = 1;

  return self;
}

void
_tc_sim_templates_free (TcSimTemplates *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->templates);
  g_free (self);
}

static void
append_string (GString    *out,
               const char *name,
               const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (node, value);
  text = json_to_string (node, FALSE);
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_printf (out, "\"%s\":%s", name, text);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         GString           *json)
{
  gsize len = json->len;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_string_free (json, FALSE), len);
}

static void
graph_error (SoupServerMessage *msg,
             guint              status,
             guint              code,
             const char        *type,
             const char        *message,
             guint              subcode,
             const char        *title,
             const char        *user_message)
{
  GString *json = g_string_new ("{\"error\":{");
  char number[32];

  append_string (json, "message", message);
  append_string (json, "type", type);
  g_snprintf (number, sizeof number, ",\"code\":%u", code);
  g_string_append (json, number);
  if (subcode != 0)
    {
      g_snprintf (number, sizeof number, ",\"error_subcode\":%u", subcode);
      g_string_append (json, number);
      g_string_append (json, ",\"is_transient\":false");
      append_string (json, "error_user_title", title);
      append_string (json, "error_user_msg", user_message);
    }
  append_string (json, "fbtrace_id", "AsimulatorTemplates0000");
  g_string_append (json, "}}");
  respond (msg, status, json);
}

static const char *
shown_status (TcSimTemplates *self,
              Template       *template)
{
  if (self->review_ms == 0 ||
      g_get_monotonic_time () - template->submitted >= (gint64) self->review_ms * 1000)
    return template->verdict;

  return "PENDING";
}

static void
handle_create (TcSimTemplates    *self,
               SoupServerMessage *msg,
               GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TcSimTemplateReview) review = { 0, };
  JsonNode *root;
  JsonObject *request;
  Template *template;
  GString *json;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      graph_error (msg, SOUP_STATUS_BAD_REQUEST, 100, "OAuthException",
                   "(#100) The parameter name is required.", 0, NULL, NULL);
      return;
    }
  request = json_node_get_object (root);

  _tc_sim_template_review (request, &review);
  if (!review.refused)
    for (guint i = 0; i < self->templates->len; i++)
      {
        Template *other = g_ptr_array_index (self->templates, i);

        if (strcmp (other->name, string_member (request, "name")) == 0 &&
            strcmp (other->language, string_member (request, "language")) == 0)
          {
            refuse (&review, 2388024, "Content in This Language Already Exists",
                    "There is already %s content for this template. You can create a new "
                    "template and try again.", other->language);
            break;
          }
      }
  if (review.refused)
    {
      graph_error (msg, SOUP_STATUS_BAD_REQUEST, 100, "OAuthException", "Invalid parameter",
                   review.subcode, review.title, review.message);
      return;
    }

  template = g_new0 (Template, 1);
  template->id = g_strdup_printf ("%" G_GUINT64_FORMAT, 1000000000000000 + self->next_id++);
  template->name = g_strdup (string_member (request, "name"));
  template->language = g_strdup (string_member (request, "language"));
  template->category = g_strdup (string_member (request, "category"));
  template->verdict = review.status;
  template->reason = review.reason;
  template->submitted = g_get_monotonic_time ();
  g_ptr_array_add (self->templates, template);
  g_debug ("Template %s (%s) submitted: %s %s", template->name, template->language,
           template->verdict, template->reason);

  json = g_string_new ("{");
  append_string (json, "id", template->id);
  append_string (json, "status", "PENDING");
  append_string (json, "category", template->category);
  g_string_append_c (json, '}');
  respond (msg, SOUP_STATUS_OK, json);
}

static void
handle_list (TcSimTemplates    *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             const char        *base_url)
{
  const char *name = query != NULL ? g_hash_table_lookup (query, "name") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *after_text = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  guint limit = DEFAULT_PAGE, after = 0, shown = 0, i;
  GString *json = g_string_new ("{\"data\":[");

  if (limit_text != NULL)
    limit = CLAMP ((guint) g_ascii_strtoull (limit_text, NULL, 10), 1, MAX_PAGE);
  if (after_text != NULL)
    after = (guint) MIN (g_ascii_strtoull (after_text, NULL, 10), G_MAXUINT);

  for (i = after; i < self->templates->len && shown < limit; i++)
    {
      Template *template = g_ptr_array_index (self->templates, i);
      const char *status;

      if (name != NULL && strcmp (template->name, name) != 0)
        continue;
      status = shown_status (self, template);
      if (shown++ > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '{');
      append_string (json, "name", template->name);
      append_string (json, "status", status);
      append_string (json, "language", template->language);
      append_string (json, "category", template->category);
      append_string (json, "rejected_reason",
                     strcmp (status, "REJECTED") == 0 ? template->reason : "NONE");
      append_string (json, "id", template->id);
      g_string_append_c (json, '}');
    }
  g_string_append (json, "],\"paging\":{\"cursors\":{");
  g_string_append_printf (json, "\"before\":\"%u\",\"after\":\"%u\"}", after, i);
  if (i < self->templates->len)
    {
      g_autofree char *next = NULL;

      if (name != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);

          next = g_strdup_printf ("%s%s?name=%s&limit=%u&after=%u", base_url, path, escaped,
                                  limit, i);
        }
      else
        next = g_strdup_printf ("%s%s?limit=%u&after=%u", base_url, path, limit, i);
      append_string (json, "next", next);
    }
  g_string_append (json, "}}");
  respond (msg, SOUP_STATUS_OK, json);
}

gboolean
_tc_sim_templates_handle (TcSimTemplates    *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          GBytes            *body,
                          const char        *base_url)
{
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 0);
  const char *authorization;
  const char *method = soup_server_message_get_method (msg);

  /* {version}/{waba-id}/message_templates */
  if (path[0] != '/' || g_strv_length (parts) != 3 || strcmp (parts[2], "message_templates") != 0 ||
      parts[0][0] != 'v')
    return FALSE;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 ||
      authorization[7] == '\0')
    {
      graph_error (msg, SOUP_STATUS_UNAUTHORIZED, 190, "OAuthException",
                   "Invalid OAuth access token - Cannot parse access token", 0, NULL, NULL);
      return TRUE;
    }
  if (parts[1][0] == '\0' || strspn (parts[1], "0123456789") != strlen (parts[1]))
    {
      graph_error (msg, SOUP_STATUS_BAD_REQUEST, 100, "GraphMethodException",
                   "Unsupported request - method type: post", 0, NULL, NULL);
      return TRUE;
    }

  if (method == SOUP_METHOD_POST)
    handle_create (self, msg, body);
  else if (method == SOUP_METHOD_GET)
    handle_list (self, msg, path, query, base_url);
  else
    graph_error (msg, SOUP_STATUS_BAD_REQUEST, 100, "GraphMethodException",
                 "Unsupported request", 0, NULL, NULL);

  return TRUE;
}
