/* tc-journey.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey model: the graph, its editing API, each node kind's config
 * checks, the JSON form and the validation of the graph as a whole (see
 * tc-journey.h, and DESIGN.md "Journeys" for the JSON).
 *
 * Configs are deep-copied and sealed (json_node_seal) when they enter the
 * model, so what the checks accepted is what the runner later reads: a
 * caller that tries to change a node's config in place gets a critical
 * warning instead of an unchecked value.
 */

#define G_LOG_DOMAIN "tc-journey"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-events.h"
#include "tc-journey.h"
#include "tc-keywords.h"
#include "tc-names-private.h"

#define FORMAT_NAME        "textcast.journey"
#define FORMAT_VERSION     1
#define MAX_JSON_DEPTH     32
#define MAX_NAME_CHARS     120
#define MAX_BRANCH_CHARS   16
#define MAX_COORDINATE     1e6
#define MAX_REENTRY_DAYS   3650
#define MAX_FALLBACK_MINUTES (7 * 24 * 60)
#define MAX_SHOWN_VALUE    60

G_DEFINE_QUARK (tc-journey-error-quark, tc_journey_error)

static const char * const state_names[] = { "draft", "active", "paused" };
static const char * const reentry_names[] = { "once", "once_per_days", "every_time" };
static const char * const kind_names[] = {
  "trigger", "wait", "wait_for_event", "send_sms", "send_whatsapp", "send_preferred",
  "branch", "split", "update_contact", "exit",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == TC_JOURNEY_N_NODE_KINDS);

TC_DEFINE_ENUM_NAMES (TcJourneyState, tc_journey_state, state_names)
TC_DEFINE_ENUM_NAMES (TcJourneyReentry, tc_journey_reentry, reentry_names)
TC_DEFINE_ENUM_NAMES (TcJourneyNodeKind, tc_journey_node_kind, kind_names)

gboolean
tc_journey_node_kind_is_send (TcJourneyNodeKind kind)
{
  return kind == TC_JOURNEY_NODE_SEND_SMS || kind == TC_JOURNEY_NODE_SEND_WHATSAPP ||
         kind == TC_JOURNEY_NODE_SEND_PREFERRED;
}

/* ------------------------------------------------------------------------
 * Errors that name the node, the field and the value
 */

/* The value as a person would type it, cut short: a string without its
 * quotes, anything else as JSON. */
static char *
show_value (JsonNode *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return g_strdup ("nothing");
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (value));
  else
    text = json_to_string (value, FALSE);

  if (g_utf8_strlen (text, -1) > MAX_SHOWN_VALUE)
    {
      char *end = g_utf8_offset_to_pointer (text, MAX_SHOWN_VALUE);
      *end = '\0';
      return g_strconcat (text, "…", NULL);
    }

  return g_steal_pointer (&text);
}

/* node "wait-1": "duration" must be …, got "-5" */
static gboolean G_GNUC_PRINTF (5, 6)
invalid (GError     **error,
         const char  *node,
         const char  *field,
         JsonNode    *value,
         const char  *format,
         ...)
{
  g_autofree char *what = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *where = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (node != NULL)
    where = g_strdup_printf (_("node “%s”: "), node);
  else
    where = g_strdup ("");

  if (value != NULL)
    {
      shown = show_value (value);
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("%s“%s” %s, got “%s”"), where, field, what, shown);
    }
  else
    g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                 _("%s“%s” %s"), where, field, what);

  return FALSE;
}

static char *
field_name (const char *prefix,
            const char *member)
{
  return prefix != NULL && prefix[0] != '\0' ? g_strconcat (prefix, ".", member, NULL)
                                             : g_strdup (member);
}

/* ------------------------------------------------------------------------
 * Reading members
 */

static gboolean
check_members (JsonObject         *object,
               const char * const *allowed,
               const char         *node,
               const char         *prefix,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (!g_strv_contains (allowed, member))
        {
          g_autofree char *field = field_name (prefix, member);
          g_autofree char *known = g_strjoinv (", ", (char **) allowed);

          return invalid (error, node, field, NULL,
                          _("is not a setting this can have (it takes: %s)"), known);
        }
    }

  return TRUE;
}

static gboolean
is_string (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_STRING;
}

static gboolean
is_integer (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_INT64;
}

static gboolean
is_number (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         (json_node_get_value_type (value) == G_TYPE_INT64 ||
          json_node_get_value_type (value) == G_TYPE_DOUBLE);
}

static gboolean
is_boolean (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_BOOLEAN;
}

/* A string member (NULL in *@out when absent and not @required), at most
 * @max_bytes, and non-empty when @non_empty. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     required,
             gboolean     non_empty,
             gsize        max_bytes,
             const char  *node,
             const char  *prefix,
             const char **out,
             GError     **error)
{
  JsonNode *value = json_object_get_member (object, member);
  g_autofree char *field = NULL;
  const char *text;

  *out = NULL;
  if (value == NULL && !required)
    return TRUE;

  field = field_name (prefix, member);
  if (value == NULL)
    return invalid (error, node, field, NULL, _("is missing"));
  if (!is_string (value))
    return invalid (error, node, field, value, _("must be a text"));

  text = json_node_get_string (value);
  if (strlen (text) > max_bytes)
    return invalid (error, node, field, NULL, _("is longer than %zu bytes"),
                    (size_t) max_bytes);

  if (non_empty)
    {
      g_autofree char *copy = g_strdup (text);

      if (g_strstrip (copy)[0] == '\0')
        return invalid (error, node, field, value, _("must not be empty"));
    }

  *out = text;
  return TRUE;
}

static gboolean
read_choice (JsonObject         *object,
             const char         *member,
             gboolean            required,
             const char * const *choices,
             const char         *node,
             const char         *prefix,
             const char        **out,
             GError            **error)
{
  JsonNode *value = json_object_get_member (object, member);
  g_autofree char *field = field_name (prefix, member);
  g_autofree char *known = g_strjoinv (", ", (char **) choices);

  *out = NULL;
  if (value == NULL && !required)
    return TRUE;
  if (value == NULL)
    return invalid (error, node, field, NULL, _("is missing (one of: %s)"), known);
  if (!is_string (value) || !g_strv_contains (choices, json_node_get_string (value)))
    return invalid (error, node, field, value, _("must be one of: %s"), known);

  *out = json_node_get_string (value);
  return TRUE;
}

static gboolean
read_seconds (JsonObject  *object,
              const char  *member,
              gboolean     required,
              gint64       max,
              const char  *node,
              const char  *prefix,
              gint64      *out,
              GError     **error)
{
  JsonNode *value = json_object_get_member (object, member);
  g_autofree char *field = field_name (prefix, member);

  *out = 0;
  if (value == NULL && !required)
    return TRUE;
  if (value == NULL)
    return invalid (error, node, field, NULL, _("is missing (a number of seconds)"));
  if (!is_integer (value) || json_node_get_int (value) <= 0)
    return invalid (error, node, field, value, _("must be a positive number of seconds"));
  if (json_node_get_int (value) > max)
    return invalid (error, node, field, value,
                    _("must be at most %lld seconds"), (long long) max);

  *out = json_node_get_int (value);
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *member,
              const char  *node,
              const char  *prefix,
              GError     **error)
{
  JsonNode *value = json_object_get_member (object, member);
  g_autofree char *field = field_name (prefix, member);

  if (value != NULL && !is_boolean (value))
    return invalid (error, node, field, value, _("must be true or false"));

  return TRUE;
}

static gboolean
is_event_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > TC_EVENT_MAX_NAME)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;

  return TRUE;
}

static gboolean
read_event (JsonObject  *object,
            const char  *member,
            const char  *node,
            const char  *prefix,
            GError     **error)
{
  const char *event;

  if (!read_string (object, member, TRUE, TRUE, TC_EVENT_MAX_NAME * 4, node, prefix, &event,
                    error))
    return FALSE;
  if (!is_event_name (event))
    {
      g_autofree char *field = field_name (prefix, member);

      return invalid (error, node, field, json_object_get_member (object, member),
                      _("must be an event name of 1 to %d characters a–z, 0–9 and _"),
                      TC_EVENT_MAX_NAME);
    }

  return TRUE;
}

/* "HH:MM", 00:00 to 23:59. */
static gboolean
is_time_of_day (const char *text)
{
  return strlen (text) == 5 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
         text[2] == ':' && g_ascii_isdigit (text[3]) && g_ascii_isdigit (text[4]) &&
         (text[0] - '0') * 10 + (text[1] - '0') < 24 && text[3] < '6';
}

static gboolean
read_time_of_day (JsonObject  *object,
                  const char  *member,
                  gboolean     required,
                  const char  *node,
                  const char  *prefix,
                  GError     **error)
{
  const char *text;

  if (!read_string (object, member, required, FALSE, 16, node, prefix, &text, error))
    return FALSE;
  if (text != NULL && !is_time_of_day (text))
    {
      g_autofree char *field = field_name (prefix, member);

      return invalid (error, node, field, json_object_get_member (object, member),
                      _("must be a time of day as HH:MM (00:00 to 23:59)"));
    }

  return TRUE;
}

static const char * const filter_ops[] = {
  "equals", "not_equals", "contains", "gt", "gte", "lt", "lte", "exists", NULL
};

/* [{"property": "product_id", "op": "equals", "value": "sku-1"}, …] */
static gboolean
check_filters (JsonObject  *object,
               const char  *member,
               const char  *node,
               const char  *prefix,
               GError     **error)
{
  static const char * const allowed[] = { "property", "op", "value", NULL };
  JsonNode *value = json_object_get_member (object, member);
  g_autofree char *field = field_name (prefix, member);
  JsonArray *array;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return invalid (error, node, field, value, _("must be a list of property filters"));

  array = json_node_get_array (value);
  if (json_array_get_length (array) > TC_JOURNEY_MAX_FILTERS)
    return invalid (error, node, field, NULL, _("has more than %d filters"),
                    TC_JOURNEY_MAX_FILTERS);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("%s[%u]", field, i);
      g_autofree char *value_field = NULL;
      JsonObject *filter;
      JsonNode *filter_value;
      const char *text;
      const char *op;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, node, where, element,
                        _("must be an object with property, op and value"));
      filter = json_node_get_object (element);
      if (!check_members (filter, allowed, node, where, error) ||
          !read_string (filter, "property", TRUE, TRUE, 128, node, where, &text, error) ||
          !read_choice (filter, "op", TRUE, filter_ops, node, where, &op, error))
        return FALSE;

      filter_value = json_object_get_member (filter, "value");
      value_field = field_name (where, "value");
      if (strcmp (op, "exists") == 0)
        {
          if (filter_value != NULL && !is_boolean (filter_value))
            return invalid (error, node, value_field, filter_value,
                            _("must be true or false for “exists”"));
          continue;
        }
      if (filter_value == NULL)
        return invalid (error, node, value_field, NULL, _("is missing"));
      if ((strcmp (op, "gt") == 0 || strcmp (op, "gte") == 0 || strcmp (op, "lt") == 0 ||
           strcmp (op, "lte") == 0) && !is_number (filter_value))
        return invalid (error, node, value_field, filter_value,
                        _("must be a number for “%s”"), op);
      if (!JSON_NODE_HOLDS_VALUE (filter_value))
        return invalid (error, node, value_field, filter_value,
                        _("must be a text, a number or true / false"));
      if (is_string (filter_value) &&
          strlen (json_node_get_string (filter_value)) > TC_JOURNEY_MAX_TEXT_BYTES)
        return invalid (error, node, value_field, NULL, _("is longer than %d bytes"),
                        TC_JOURNEY_MAX_TEXT_BYTES);
    }

  return TRUE;
}

/* Whether every text and member name in @node is UTF-8: json-glib turns
 * an escaped lone surrogate ("\ud800") into bytes that are not, which
 * would be stored and then refused when read back. Nesting beyond
 * @max_depth counts as not valid. */
static gboolean
json_is_utf8 (JsonNode *node,
              guint     max_depth)
{
  if (max_depth == 0)
    return FALSE;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !json_is_utf8 (member, max_depth - 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!json_is_utf8 (json_array_get_element (array, i), max_depth - 1))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_utf8 (JsonNode    *node,
            const char  *node_id,
            const char  *field,
            GError     **error)
{
  if (!json_is_utf8 (node, MAX_JSON_DEPTH + 2))
    return invalid (error, node_id, field, NULL,
                    _("holds text that is not valid UTF-8 (an escaped lone surrogate such as "
                      "\\ud800?), or nests deeper than %d levels"), MAX_JSON_DEPTH);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Each kind's config
 */

static const char * const purposes[] = { "promotional", "transactional", NULL };
static const char * const channels[] = { "sms", "whatsapp", NULL };

static gboolean
check_trigger (const char  *node,
               JsonObject  *config,
               GError     **error)
{
  static const char * const allowed[] = {
    "event", "filters", "product", "channel", "keyword", "attribute", "time", "segment", NULL
  };
  /* Which extra setting each special event takes (NULL: none). */
  static const struct
  {
    const char *event;
    const char *needs;      /* required */
    const char *needs_too;  /* also required */
    const char *may;        /* optional */
  } specials[] = {
    { "back_in_stock", NULL, NULL, "product" },
    { "opted_in", "channel", NULL, NULL },
    { "keyword", "keyword", NULL, NULL },
    { "date_attribute", "attribute", "time", NULL },
    { "entered_segment", "segment", NULL, NULL },
  };
  static const char * const extras[] = {
    "product", "channel", "keyword", "attribute", "time", "segment", NULL
  };
  const char *event;
  const char *text;

  if (!check_members (config, allowed, node, NULL, error) ||
      !read_event (config, "event", node, NULL, error) ||
      !check_filters (config, "filters", node, NULL, error))
    return FALSE;

  event = json_object_get_string_member (config, "event");
  for (guint e = 0; extras[e] != NULL; e++)
    {
      const char *extra = extras[e];
      gboolean required = FALSE;
      gboolean allowed_here = FALSE;

      for (guint s = 0; s < G_N_ELEMENTS (specials); s++)
        if (strcmp (specials[s].event, event) == 0)
          {
            required = g_strcmp0 (specials[s].needs, extra) == 0 ||
                       g_strcmp0 (specials[s].needs_too, extra) == 0;
            allowed_here = required || g_strcmp0 (specials[s].may, extra) == 0;
          }

      if (!allowed_here)
        {
          if (json_object_has_member (config, extra))
            return invalid (error, node, extra, NULL,
                            _("does not go with the event “%s”"), event);
          continue;
        }

      if (strcmp (extra, "channel") == 0)
        {
          if (!read_choice (config, extra, required, channels, node, NULL, &text, error))
            return FALSE;
        }
      else if (strcmp (extra, "time") == 0)
        {
          if (!read_time_of_day (config, extra, required, node, NULL, error))
            return FALSE;
        }
      else if (!read_string (config, extra, required, TRUE, 256, node, NULL, &text, error))
        return FALSE;
      else if (strcmp (extra, "keyword") == 0 && text != NULL)
        {
          /* STOP and its kin opt people out: they never start a journey. */
          g_autoptr(TcKeywords) keywords = tc_keywords_new_default ();
          TcKeywordMatch match;

          tc_keywords_classify (keywords, text, -1, &match);
          if (match.action == TC_INBOUND_ACTION_OPT_OUT)
            return invalid (error, node, extra, json_object_get_member (config, extra),
                            _("is a word people send to stop messages; choose another keyword"));
        }
    }

  return TRUE;
}

static const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static gboolean
check_wait (const char  *node,
            JsonObject  *config,
            GError     **error)
{
  static const char * const allowed[] = { "duration", "until", NULL };
  static const char * const until_allowed[] = { "from", "to", "days", NULL };
  JsonNode *until = json_object_get_member (config, "until");
  JsonObject *window;
  JsonNode *days;
  gint64 seconds;

  if (!check_members (config, allowed, node, NULL, error))
    return FALSE;
  if ((until == NULL) == !json_object_has_member (config, "duration"))
    return invalid (error, node, "duration", NULL,
                    _("or “until” is needed: a wait is either a duration or a time window, "
                      "not both"));
  if (until == NULL)
    return read_seconds (config, "duration", TRUE, TC_JOURNEY_MAX_SECONDS, node, NULL, &seconds,
                         error);

  if (!JSON_NODE_HOLDS_OBJECT (until))
    return invalid (error, node, "until", until,
                    _("must be an object with from, to and days"));
  window = json_node_get_object (until);
  if (!check_members (window, until_allowed, node, "until", error) ||
      !read_time_of_day (window, "from", TRUE, node, "until", error) ||
      !read_time_of_day (window, "to", FALSE, node, "until", error))
    return FALSE;

  days = json_object_get_member (window, "days");
  if (days != NULL)
    {
      JsonArray *array;
      guint seen = 0;

      if (!JSON_NODE_HOLDS_ARRAY (days) || json_array_get_length (json_node_get_array (days)) == 0)
        return invalid (error, node, "until.days", days,
                        _("must be a list of weekdays (mon, tue, wed, thu, fri, sat, sun)"));
      array = json_node_get_array (days);
      if (json_array_get_length (array) > 7)
        return invalid (error, node, "until.days", NULL, _("names more than 7 days"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *day = json_array_get_element (array, i);
          g_autofree char *where = g_strdup_printf ("until.days[%u]", i);
          guint index;

          if (!is_string (day) || !g_strv_contains (weekdays, json_node_get_string (day)))
            return invalid (error, node, where, day,
                            _("must be one of mon, tue, wed, thu, fri, sat, sun"));
          index = g_strv_length ((char **) weekdays);
          for (guint d = 0; weekdays[d] != NULL; d++)
            if (strcmp (weekdays[d], json_node_get_string (day)) == 0)
              index = d;
          if (seen & (1u << index))
            return invalid (error, node, where, day, _("is named twice"));
          seen |= 1u << index;
        }
    }

  return TRUE;
}

static gboolean
check_wait_for_event (const char  *node,
                      JsonObject  *config,
                      GError     **error)
{
  static const char * const allowed[] = { "event", "filters", "within", NULL };
  gint64 seconds;

  return check_members (config, allowed, node, NULL, error) &&
         read_event (config, "event", node, NULL, error) &&
         check_filters (config, "filters", node, NULL, error) &&
         read_seconds (config, "within", TRUE, TC_JOURNEY_MAX_SECONDS, node, NULL, &seconds,
                       error);
}

/* {"template": …, "after_minutes": N, "on": ["not_delivered", …]} */
static gboolean
check_fallback (const char        *node,
                JsonObject        *config,
                TcJourneyNodeKind  kind,
                GError           **error)
{
  static const char * const allowed[] = { "template", "after_minutes", "on", NULL };
  static const char * const sms_reasons[] = { "not_delivered", "no_consent", NULL };
  static const char * const whatsapp_reasons[] = {
    "not_delivered", "no_consent", "not_on_whatsapp", NULL
  };
  const char * const *reasons = kind == TC_JOURNEY_NODE_SEND_SMS ? sms_reasons : whatsapp_reasons;
  JsonNode *value = json_object_get_member (config, "fallback");
  JsonObject *fallback;
  JsonNode *on;
  JsonNode *minutes;
  gboolean not_delivered = FALSE;
  const char *text;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (value))
    return invalid (error, node, "fallback", value,
                    _("must be an object with template, on and after_minutes"));
  fallback = json_node_get_object (value);
  if (!check_members (fallback, allowed, node, "fallback", error) ||
      !read_string (fallback, "template", TRUE, FALSE, 512, node, "fallback", &text, error))
    return FALSE;

  on = json_object_get_member (fallback, "on");
  if (on == NULL || !JSON_NODE_HOLDS_ARRAY (on) ||
      json_array_get_length (json_node_get_array (on)) == 0)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) reasons);

      return invalid (error, node, "fallback.on", on, _("must be a list of reasons from: %s"),
                      known);
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (on)); i++)
    {
      JsonNode *reason = json_array_get_element (json_node_get_array (on), i);
      g_autofree char *where = g_strdup_printf ("fallback.on[%u]", i);
      g_autofree char *known = g_strjoinv (", ", (char **) reasons);

      if (i >= 3 || !is_string (reason) || !g_strv_contains (reasons, json_node_get_string (reason)))
        return invalid (error, node, where, reason, _("must be one of: %s (each once)"), known);
      for (guint j = 0; j < i; j++)
        if (strcmp (json_array_get_string_element (json_node_get_array (on), j),
                    json_node_get_string (reason)) == 0)
          return invalid (error, node, where, reason, _("is named twice"));
      if (strcmp (json_node_get_string (reason), "not_delivered") == 0)
        not_delivered = TRUE;
    }

  minutes = json_object_get_member (fallback, "after_minutes");
  if (minutes != NULL && !not_delivered)
    return invalid (error, node, "fallback.after_minutes", minutes,
                    _("goes with the reason “not_delivered” only"));
  if (not_delivered &&
      (!is_integer (minutes) || json_node_get_int (minutes) <= 0 ||
       json_node_get_int (minutes) > MAX_FALLBACK_MINUTES))
    return invalid (error, node, "fallback.after_minutes", minutes,
                    _("must be a number of minutes from 1 to %d (how long to wait for delivery)"),
                    MAX_FALLBACK_MINUTES);

  return TRUE;
}

static gboolean
check_send (const char         *node,
            TcJourneyNodeKind   kind,
            JsonObject         *config,
            GError            **error)
{
  static const char * const sms_allowed[] = {
    "template", "purpose", "require_consent", "fallback", NULL
  };
  static const char * const whatsapp_allowed[] = {
    "template", "purpose", "require_consent", "fallback", "session_body", NULL
  };
  static const char * const preferred_allowed[] = {
    "sms_template", "whatsapp_template", "purpose", "require_consent", NULL
  };
  const char *text;

  switch (kind)
    {
    case TC_JOURNEY_NODE_SEND_SMS:
      if (!check_members (config, sms_allowed, node, NULL, error) ||
          !read_string (config, "template", TRUE, FALSE, 512, node, NULL, &text, error) ||
          !check_fallback (node, config, kind, error))
        return FALSE;
      break;
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
      if (!check_members (config, whatsapp_allowed, node, NULL, error) ||
          !read_string (config, "template", TRUE, FALSE, 512, node, NULL, &text, error) ||
          !read_string (config, "session_body", FALSE, TRUE, 4096, node, NULL, &text, error) ||
          !check_fallback (node, config, kind, error))
        return FALSE;
      break;
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      if (!check_members (config, preferred_allowed, node, NULL, error) ||
          !read_string (config, "sms_template", TRUE, FALSE, 512, node, NULL, &text, error) ||
          !read_string (config, "whatsapp_template", TRUE, FALSE, 512, node, NULL, &text, error))
        return FALSE;
      break;
    case TC_JOURNEY_NODE_TRIGGER:
    case TC_JOURNEY_NODE_WAIT:
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
    case TC_JOURNEY_NODE_BRANCH:
    case TC_JOURNEY_NODE_SPLIT:
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
    case TC_JOURNEY_NODE_EXIT:
    default:
      g_assert_not_reached ();
    }

  return read_choice (config, "purpose", FALSE, purposes, node, NULL, &text, error) &&
         read_boolean (config, "require_consent", node, NULL, error);
}

static gboolean
check_branch (const char  *node,
              JsonObject  *config,
              GError     **error)
{
  static const char * const allowed[] = { "condition", NULL };
  static const char * const fields[] = {
    "first_name", "last_name", "email", "phone", "language", "country", "timezone", NULL
  };
  static const char * const field_ops[] = {
    "equals", "not_equals", "contains", "empty", "not_empty", NULL
  };
  static const char * const statuses[] = { "opted_in", "opted_out", "pending", "none", NULL };
  static const char * const message_states[] = {
    "delivered", "read", "clicked", "replied", NULL
  };
  static const char * const kinds[] = { "field", "tag", "consent", "last_message", "event", NULL };
  JsonNode *value = json_object_get_member (config, "condition");
  JsonObject *condition;
  const char *kind = NULL;
  const char *text;

  if (!check_members (config, allowed, node, NULL, error))
    return FALSE;
  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return invalid (error, node, "condition", value,
                    _("must be an object with one of: field, tag, consent, last_message, "
                      "event"));
  condition = json_node_get_object (value);
  for (guint i = 0; kinds[i] != NULL; i++)
    if (json_object_has_member (condition, kinds[i]))
      {
        if (kind != NULL)
          return invalid (error, node, "condition", NULL,
                          _("has both “%s” and “%s”; a branch tests one thing"), kind,
                          kinds[i]);
        kind = kinds[i];
      }
  if (kind == NULL)
    return invalid (error, node, "condition", value,
                    _("needs one of: field, tag, consent, last_message, event"));

  if (strcmp (kind, "field") == 0)
    {
      static const char * const field_allowed[] = { "field", "op", "value", NULL };
      const char *op;

      if (!check_members (condition, field_allowed, node, "condition", error) ||
          !read_string (condition, "field", TRUE, TRUE, 256, node, "condition", &text, error) ||
          !read_choice (condition, "op", TRUE, field_ops, node, "condition", &op, error))
        return FALSE;
      if (!g_strv_contains (fields, text) &&
          !(g_str_has_prefix (text, "attributes.") && text[strlen ("attributes.")] != '\0'))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) fields);

          return invalid (error, node, "condition.field", json_object_get_member (condition, "field"),
                          _("must be one of %s or attributes.NAME"), known);
        }
      if (strcmp (op, "empty") == 0 || strcmp (op, "not_empty") == 0)
        {
          if (json_object_has_member (condition, "value"))
            return invalid (error, node, "condition.value", NULL,
                            _("does not go with “%s”"), op);
        }
      else if (!read_string (condition, "value", TRUE, FALSE, TC_JOURNEY_MAX_TEXT_BYTES, node,
                             "condition", &text, error))
        return FALSE;
    }
  else if (strcmp (kind, "tag") == 0)
    {
      static const char * const tag_allowed[] = { "tag", "has", NULL };

      if (!check_members (condition, tag_allowed, node, "condition", error) ||
          !read_string (condition, "tag", TRUE, TRUE, 256, node, "condition", &text, error) ||
          !read_boolean (condition, "has", node, "condition", error))
        return FALSE;
    }
  else if (strcmp (kind, "consent") == 0)
    {
      static const char * const consent_allowed[] = { "consent", "purpose", "status", NULL };

      if (!check_members (condition, consent_allowed, node, "condition", error) ||
          !read_choice (condition, "consent", TRUE, channels, node, "condition", &text, error) ||
          !read_choice (condition, "purpose", TRUE, purposes, node, "condition", &text, error) ||
          !read_choice (condition, "status", TRUE, statuses, node, "condition", &text, error))
        return FALSE;
    }
  else if (strcmp (kind, "last_message") == 0)
    {
      static const char * const message_allowed[] = { "last_message", NULL };

      if (!check_members (condition, message_allowed, node, "condition", error) ||
          !read_choice (condition, "last_message", TRUE, message_states, node, "condition",
                        &text, error))
        return FALSE;
    }
  else
    {
      static const char * const event_allowed[] = { "event", "filters", NULL };

      if (!check_members (condition, event_allowed, node, "condition", error) ||
          !read_event (condition, "event", node, "condition", error) ||
          !check_filters (condition, "filters", node, "condition", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_branch_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_BRANCH_CHARS)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;

  return TRUE;
}

static gboolean
check_split (const char  *node,
             JsonObject  *config,
             GError     **error)
{
  static const char * const allowed[] = { "branches", NULL };
  static const char * const branch_allowed[] = { "name", "percent", NULL };
  JsonNode *value = json_object_get_member (config, "branches");
  JsonArray *branches;
  guint n;

  if (!check_members (config, allowed, node, NULL, error))
    return FALSE;
  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return invalid (error, node, "branches", value,
                    _("must be a list of branches with a name and a percent"));
  branches = json_node_get_array (value);
  n = json_array_get_length (branches);
  if (n < 2 || n > TC_JOURNEY_MAX_BRANCHES)
    return invalid (error, node, "branches", NULL,
                    _("must have 2 to %d branches, not %u"), TC_JOURNEY_MAX_BRANCHES, n);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (branches, i);
      g_autofree char *where = g_strdup_printf ("branches[%u]", i);
      g_autofree char *percent_field = NULL;
      JsonObject *branch;
      JsonNode *percent;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, node, where, element, _("must be an object with name and percent"));
      branch = json_node_get_object (element);
      if (!check_members (branch, branch_allowed, node, where, error) ||
          !read_string (branch, "name", TRUE, TRUE, 64, node, where, &name, error))
        return FALSE;
      if (!is_branch_name (name))
        {
          g_autofree char *name_field = field_name (where, "name");

          return invalid (error, node, name_field, json_object_get_member (branch, "name"),
                          _("must be 1 to %d characters A–Z, a–z, 0–9, _ and -"),
                          MAX_BRANCH_CHARS);
        }
      for (guint j = 0; j < i; j++)
        {
          JsonObject *other = json_array_get_object_element (branches, j);

          if (strcmp (json_object_get_string_member (other, "name"), name) == 0)
            {
              g_autofree char *name_field = field_name (where, "name");

              return invalid (error, node, name_field, json_object_get_member (branch, "name"),
                              _("is the name of another branch"));
            }
        }

      percent = json_object_get_member (branch, "percent");
      percent_field = field_name (where, "percent");
      if (!is_number (percent) || !isfinite (json_node_get_double (percent)) ||
          json_node_get_double (percent) < 0 || json_node_get_double (percent) > 100)
        return invalid (error, node, percent_field, percent,
                        _("must be a number from 0 to 100"));
    }

  return TRUE;
}

static gboolean
check_update_contact (const char  *node,
                      JsonObject  *config,
                      GError     **error)
{
  static const char * const allowed[] = { "action", "tag", "attribute", "value", NULL };
  static const char * const actions[] = { "add_tag", "remove_tag", "set_attribute", NULL };
  const char *action;
  const char *text;

  if (!check_members (config, allowed, node, NULL, error) ||
      !read_choice (config, "action", TRUE, actions, node, NULL, &action, error))
    return FALSE;

  if (strcmp (action, "set_attribute") == 0)
    {
      if (json_object_has_member (config, "tag"))
        return invalid (error, node, "tag", NULL, _("does not go with “set_attribute”"));
      return read_string (config, "attribute", TRUE, TRUE, 256, node, NULL, &text, error) &&
             read_string (config, "value", TRUE, FALSE, TC_JOURNEY_MAX_TEXT_BYTES, node, NULL,
                          &text, error);
    }

  if (json_object_has_member (config, "attribute") || json_object_has_member (config, "value"))
    return invalid (error, node, json_object_has_member (config, "attribute") ? "attribute" : "value",
                    NULL, _("does not go with “%s”"), action);

  return read_string (config, "tag", TRUE, TRUE, 256, node, NULL, &text, error);
}

gboolean
tc_journey_node_check_config (TcJourneyNodeKind   kind,
                              const char         *node_id,
                              JsonObject         *config,
                              GError            **error)
{
  static const char * const nothing[] = { NULL };

  g_autoptr(JsonNode) wrapper = NULL;

  g_return_val_if_fail ((guint) kind < TC_JOURNEY_N_NODE_KINDS, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  wrapper = json_node_init_object (json_node_alloc (), config);
  if (!check_utf8 (wrapper, node_id, "config", error))
    return FALSE;

  switch (kind)
    {
    case TC_JOURNEY_NODE_TRIGGER:
      return check_trigger (node_id, config, error);
    case TC_JOURNEY_NODE_WAIT:
      return check_wait (node_id, config, error);
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
      return check_wait_for_event (node_id, config, error);
    case TC_JOURNEY_NODE_SEND_SMS:
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      return check_send (node_id, kind, config, error);
    case TC_JOURNEY_NODE_BRANCH:
      return check_branch (node_id, config, error);
    case TC_JOURNEY_NODE_SPLIT:
      return check_split (node_id, config, error);
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
      return check_update_contact (node_id, config, error);
    case TC_JOURNEY_NODE_EXIT:
      return check_members (config, nothing, node_id, NULL, error);
    default:
      g_assert_not_reached ();
    }
}

static JsonObject *
object_from_string (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

JsonObject *
tc_journey_node_default_config (TcJourneyNodeKind kind)
{
  static const char * const defaults[] = {
    [TC_JOURNEY_NODE_TRIGGER] = "{\"event\":\"order_placed\"}",
    [TC_JOURNEY_NODE_WAIT] = "{\"duration\":3600}",
    [TC_JOURNEY_NODE_WAIT_FOR_EVENT] = "{\"event\":\"order_placed\",\"within\":86400}",
    [TC_JOURNEY_NODE_SEND_SMS] = "{\"template\":\"\",\"purpose\":\"promotional\"}",
    [TC_JOURNEY_NODE_SEND_WHATSAPP] = "{\"template\":\"\",\"purpose\":\"promotional\"}",
    [TC_JOURNEY_NODE_SEND_PREFERRED] =
      "{\"sms_template\":\"\",\"whatsapp_template\":\"\",\"purpose\":\"promotional\"}",
    [TC_JOURNEY_NODE_BRANCH] = "{\"condition\":{\"last_message\":\"delivered\"}}",
    [TC_JOURNEY_NODE_SPLIT] =
      "{\"branches\":[{\"name\":\"A\",\"percent\":50},{\"name\":\"B\",\"percent\":50}]}",
    [TC_JOURNEY_NODE_UPDATE_CONTACT] = "{\"action\":\"add_tag\",\"tag\":\"journey\"}",
    [TC_JOURNEY_NODE_EXIT] = "{}",
  };

  g_return_val_if_fail ((guint) kind < TC_JOURNEY_N_NODE_KINDS, NULL);

  return object_from_string (defaults[kind]);
}

gboolean
tc_journey_node_id_is_valid (const char *id)
{
  gsize length;

  if (id == NULL)
    return FALSE;
  length = strlen (id);
  if (length == 0 || length > TC_JOURNEY_MAX_ID_CHARS)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;

  return TRUE;
}

GStrv
tc_journey_node_dup_ports (const TcJourneyNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (node != NULL, NULL);

  switch (node->kind)
    {
    case TC_JOURNEY_NODE_TRIGGER:
    case TC_JOURNEY_NODE_WAIT:
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
      g_strv_builder_add (builder, "next");
      break;
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
      g_strv_builder_add_many (builder, "happened", "timed_out", NULL);
      break;
    case TC_JOURNEY_NODE_SEND_SMS:
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      g_strv_builder_add_many (builder, "sent", "skipped", NULL);
      break;
    case TC_JOURNEY_NODE_BRANCH:
      g_strv_builder_add_many (builder, "yes", "no", NULL);
      break;
    case TC_JOURNEY_NODE_SPLIT:
      {
        JsonArray *branches = json_object_get_array_member (node->config, "branches");

        for (guint i = 0; i < json_array_get_length (branches); i++)
          g_strv_builder_add (builder,
                              json_object_get_string_member (
                                json_array_get_object_element (branches, i), "name"));
      }
      break;
    case TC_JOURNEY_NODE_EXIT:
      break;
    default:
      g_assert_not_reached ();
    }

  return g_strv_builder_end (builder);
}

gboolean
tc_journey_node_has_port (const TcJourneyNode *node,
                          const char          *port)
{
  g_auto(GStrv) ports = NULL;

  g_return_val_if_fail (node != NULL, FALSE);

  if (port == NULL)
    return FALSE;
  ports = tc_journey_node_dup_ports (node);

  return g_strv_contains ((const char * const *) ports, port);
}

gboolean
tc_journey_node_port_ends (const TcJourneyNode *node,
                           const char          *port)
{
  g_return_val_if_fail (node != NULL, FALSE);

  for (guint i = 0; i < node->ends->len; i++)
    if (g_strcmp0 (g_ptr_array_index (node->ends, i), port) == 0)
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------------
 * Nodes, edges, goals
 */

/* A deep copy, sealed: what the checks saw is what stays. */
static JsonObject *
seal_copy (JsonObject *object)
{
  g_autoptr(JsonNode) wrapper = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (wrapper, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);
  JsonObject *result;

  g_assert (copy != NULL && JSON_NODE_HOLDS_OBJECT (copy));
  json_node_seal (copy);
  result = json_object_ref (json_node_get_object (copy));

  return result;
}

static JsonArray *
seal_copy_array (JsonArray *array)
{
  g_autoptr(JsonNode) wrapper = json_node_init_array (json_node_alloc (), array);
  g_autofree char *text = json_to_string (wrapper, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);

  g_assert (copy != NULL && JSON_NODE_HOLDS_ARRAY (copy));
  json_node_seal (copy);

  return json_array_ref (json_node_get_array (copy));
}

static void
node_free (TcJourneyNode *node)
{
  g_free (node->id);
  g_free (node->label);
  g_clear_pointer (&node->config, json_object_unref);
  g_clear_pointer (&node->ends, g_ptr_array_unref);
  g_free (node);
}

static void
edge_free (TcJourneyEdge *edge)
{
  g_free (edge->from);
  g_free (edge->port);
  g_free (edge->to);
  g_free (edge);
}

static TcJourneyEdge *
edge_new (const char *from,
          const char *port,
          const char *to)
{
  TcJourneyEdge *edge = g_new0 (TcJourneyEdge, 1);

  edge->from = g_strdup (from);
  edge->port = g_strdup (port);
  edge->to = g_strdup (to);

  return edge;
}

static void
goal_free (TcJourneyGoal *goal)
{
  g_free (goal->event);
  g_clear_pointer (&goal->filters, json_array_unref);
  g_free (goal);
}

void
tc_journey_problem_free (TcJourneyProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->node);
  g_free (problem->code);
  g_free (problem->message);
  g_free (problem);
}

void
tc_journey_problem_build_json (const TcJourneyProblem *problem,
                               JsonBuilder            *builder)
{
  g_return_if_fail (problem != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "node");
  if (problem->node != NULL)
    json_builder_add_string_value (builder, problem->node);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, problem->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, problem->message);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------
 * TcJourney
 */

struct _TcJourney
{
  GObject           parent_instance;

  gint64            id;
  char             *name;
  char             *description;
  TcJourneyState    state;
  int               version;
  TcJourneyReentry  reentry;
  guint             reentry_days;

  GPtrArray        *goals;   /* (element-type TcJourneyGoal) */
  GPtrArray        *nodes;   /* (element-type TcJourneyNode) */
  GHashTable       *by_id;   /* node id (borrowed) → TcJourneyNode */
  GPtrArray        *edges;   /* (element-type TcJourneyEdge) */
};

G_DEFINE_FINAL_TYPE (TcJourney, tc_journey, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_VERSION,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tc_journey_finalize (GObject *object)
{
  TcJourney *self = TC_JOURNEY (object);

  g_free (self->name);
  g_free (self->description);
  g_clear_pointer (&self->goals, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->edges, g_ptr_array_unref);
  g_clear_pointer (&self->nodes, g_ptr_array_unref);

  G_OBJECT_CLASS (tc_journey_parent_class)->finalize (object);
}

static void
tc_journey_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcJourney *self = TC_JOURNEY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_VERSION:
      g_value_set_int (value, self->version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcJourney *self = TC_JOURNEY (object);

  switch (prop_id)
    {
    case PROP_ID:
      tc_journey_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      tc_journey_set_name (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      tc_journey_set_description (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      tc_journey_set_state (self, g_value_get_int (value));
      break;
    case PROP_VERSION:
      tc_journey_set_version (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_class_init (TcJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = tc_journey_finalize;
  object_class->get_property = tc_journey_get_property;
  object_class->set_property = tc_journey_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, "", flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, TC_JOURNEY_DRAFT,
                                             TC_JOURNEY_PAUSED, TC_JOURNEY_DRAFT, flags);
  properties[PROP_VERSION] = g_param_spec_int ("version", NULL, NULL, 0, G_MAXINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
tc_journey_init (TcJourney *self)
{
  self->name = g_strdup ("");
  self->description = g_strdup ("");
  self->reentry = TC_JOURNEY_REENTRY_ONCE;
  self->goals = g_ptr_array_new_with_free_func ((GDestroyNotify) goal_free);
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) edge_free);
}

TcJourney *
tc_journey_new (const char *name)
{
  return g_object_new (TC_TYPE_JOURNEY, "name", name != NULL ? name : "", NULL);
}

static void
emit_changed (TcJourney *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static TcJourneyNode *
node_copy (const TcJourneyNode *node)
{
  TcJourneyNode *copy = g_new0 (TcJourneyNode, 1);

  copy->id = g_strdup (node->id);
  copy->kind = node->kind;
  copy->label = g_strdup (node->label);
  copy->x = node->x;
  copy->y = node->y;
  /* Sealed configs are never changed: sharing them is a copy. */
  copy->config = json_object_ref (node->config);
  copy->ends = g_ptr_array_copy (node->ends, (GCopyFunc) g_strdup, NULL);
  g_ptr_array_set_free_func (copy->ends, g_free);

  return copy;
}

TcJourney *
tc_journey_dup (TcJourney *self)
{
  TcJourney *copy;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  copy = tc_journey_new (self->name);
  copy->id = self->id;
  g_free (copy->description);
  copy->description = g_strdup (self->description);
  copy->state = self->state;
  copy->version = self->version;
  copy->reentry = self->reentry;
  copy->reentry_days = self->reentry_days;

  for (guint i = 0; i < self->goals->len; i++)
    {
      const TcJourneyGoal *goal = g_ptr_array_index (self->goals, i);
      TcJourneyGoal *goal_copy = g_new0 (TcJourneyGoal, 1);

      goal_copy->event = g_strdup (goal->event);
      goal_copy->filters = json_array_ref (goal->filters);
      g_ptr_array_add (copy->goals, goal_copy);
    }
  for (guint i = 0; i < self->nodes->len; i++)
    {
      TcJourneyNode *node = node_copy (g_ptr_array_index (self->nodes, i));

      g_ptr_array_add (copy->nodes, node);
      g_hash_table_insert (copy->by_id, node->id, node);
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i);

      g_ptr_array_add (copy->edges, edge_new (edge->from, edge->port, edge->to));
    }

  return copy;
}

gint64
tc_journey_get_id (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), 0);

  return self->id;
}

void
tc_journey_set_id (TcJourney *self,
                   gint64     id)
{
  g_return_if_fail (TC_IS_JOURNEY (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tc_journey_get_name (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  return self->name;
}

void
tc_journey_set_name (TcJourney  *self,
                     const char *name)
{
  g_return_if_fail (TC_IS_JOURNEY (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
tc_journey_get_description (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  return self->description;
}

void
tc_journey_set_description (TcJourney  *self,
                            const char *description)
{
  g_return_if_fail (TC_IS_JOURNEY (self));

  if (description == NULL)
    description = "";
  if (g_strcmp0 (self->description, description) == 0)
    return;
  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

TcJourneyState
tc_journey_get_state (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), TC_JOURNEY_DRAFT);

  return self->state;
}

void
tc_journey_set_state (TcJourney      *self,
                      TcJourneyState  state)
{
  g_return_if_fail (TC_IS_JOURNEY (self));
  g_return_if_fail ((guint) state <= TC_JOURNEY_PAUSED);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

int
tc_journey_get_version (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), 0);

  return self->version;
}

void
tc_journey_set_version (TcJourney *self,
                        int        version)
{
  g_return_if_fail (TC_IS_JOURNEY (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

TcJourneyReentry
tc_journey_get_reentry (TcJourney *self,
                        guint     *days)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), TC_JOURNEY_REENTRY_ONCE);

  if (days != NULL)
    *days = self->reentry_days;

  return self->reentry;
}

void
tc_journey_set_reentry (TcJourney        *self,
                        TcJourneyReentry  reentry,
                        guint             days)
{
  g_return_if_fail (TC_IS_JOURNEY (self));
  g_return_if_fail ((guint) reentry <= TC_JOURNEY_REENTRY_EVERY_TIME);
  g_return_if_fail (reentry != TC_JOURNEY_REENTRY_ONCE_PER_DAYS ||
                    (days >= 1 && days <= MAX_REENTRY_DAYS));

  self->reentry = reentry;
  self->reentry_days = reentry == TC_JOURNEY_REENTRY_ONCE_PER_DAYS ? days : 0;
  emit_changed (self);
}

guint
tc_journey_get_n_goals (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), 0);

  return self->goals->len;
}

const TcJourneyGoal *
tc_journey_get_goal (TcJourney *self,
                     guint      index)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);
  g_return_val_if_fail (index < self->goals->len, NULL);

  return g_ptr_array_index (self->goals, index);
}

static gboolean
add_goal (TcJourney   *self,
          const char  *event,
          JsonArray   *filters,
          const char  *where,
          GError     **error)
{
  g_autoptr(JsonObject) goal_object = json_object_new ();
  TcJourneyGoal *goal;

  if (self->goals->len >= TC_JOURNEY_MAX_GOALS)
    return invalid (error, NULL, "goals", NULL, _("has more than %d goals"),
                    TC_JOURNEY_MAX_GOALS);

  json_object_set_string_member (goal_object, "event", event != NULL ? event : "");
  if (filters != NULL)
    json_object_set_array_member (goal_object, "filters", json_array_ref (filters));
  if (!read_event (goal_object, "event", NULL, where, error) ||
      !check_filters (goal_object, "filters", NULL, where, error))
    return FALSE;

  goal = g_new0 (TcJourneyGoal, 1);
  goal->event = g_strdup (event);
  if (filters != NULL)
    goal->filters = seal_copy_array (filters);
  else
    {
      g_autoptr(JsonArray) empty = json_array_new ();

      goal->filters = seal_copy_array (empty);
    }
  g_ptr_array_add (self->goals, goal);

  return TRUE;
}

gboolean
tc_journey_add_goal (TcJourney   *self,
                     const char  *event,
                     JsonArray   *filters,
                     GError     **error)
{
  g_autofree char *where = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  where = g_strdup_printf ("goals[%u]", self->goals->len);
  if (!add_goal (self, event, filters, where, error))
    return FALSE;
  emit_changed (self);

  return TRUE;
}

void
tc_journey_clear_goals (TcJourney *self)
{
  g_return_if_fail (TC_IS_JOURNEY (self));

  if (self->goals->len == 0)
    return;
  g_ptr_array_set_size (self->goals, 0);
  emit_changed (self);
}

guint
tc_journey_get_n_nodes (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), 0);

  return self->nodes->len;
}

const TcJourneyNode *
tc_journey_get_node (TcJourney *self,
                     guint      index)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);
  g_return_val_if_fail (index < self->nodes->len, NULL);

  return g_ptr_array_index (self->nodes, index);
}

const TcJourneyNode *
tc_journey_lookup_node (TcJourney  *self,
                        const char *id)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_id, id);
}

static TcJourneyNode *
find_node (TcJourney   *self,
           const char  *id,
           GError     **error)
{
  TcJourneyNode *node = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;

  if (node == NULL)
    g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_NOT_FOUND,
                 _("There is no node “%s” in the journey"), id != NULL ? id : "");

  return node;
}

static char *
free_node_id (TcJourney         *self,
              TcJourneyNodeKind  kind)
{
  g_autofree char *base = g_strdup (kind_names[kind]);

  g_strdelimit (base, "_", '-');
  for (guint n = 1;; n++)
    {
      char *id = g_strdup_printf ("%s-%u", base, n);

      if (!g_hash_table_contains (self->by_id, id))
        return id;
      g_free (id);
    }
}

static gboolean
check_coordinate (double       value,
                  const char  *node,
                  const char  *field,
                  GError     **error)
{
  if (!isfinite (value) || fabs (value) > MAX_COORDINATE)
    {
      g_autoptr(JsonNode) shown = json_node_init_double (json_node_alloc (), value);

      return invalid (error, node, field, isfinite (value) ? shown : NULL,
                      _("must be a position from -1000000 to 1000000"));
    }

  return TRUE;
}

static TcJourneyNode *
insert_node (TcJourney          *self,
             const char         *id,
             TcJourneyNodeKind   kind,
             const char         *label,
             double              x,
             double              y,
             JsonObject         *config,
             GError            **error)
{
  g_autoptr(JsonObject) default_config = NULL;
  g_autofree char *new_id = NULL;
  TcJourneyNode *node;

  if (self->nodes->len >= TC_JOURNEY_MAX_NODES)
    {
      invalid (error, NULL, "nodes", NULL, _("has more than %d nodes"), TC_JOURNEY_MAX_NODES);
      return NULL;
    }
  if (id == NULL)
    id = new_id = free_node_id (self, kind);
  else if (!tc_journey_node_id_is_valid (id))
    {
      g_autoptr(JsonNode) shown = json_node_init_string (json_node_alloc (), id);

      invalid (error, NULL, "id", shown,
               _("must be 1 to %d characters A–Z, a–z, 0–9, _ and -"), TC_JOURNEY_MAX_ID_CHARS);
      return NULL;
    }
  else if (g_hash_table_contains (self->by_id, id))
    {
      g_autoptr(JsonNode) shown = json_node_init_string (json_node_alloc (), id);

      invalid (error, NULL, "id", shown, _("is the id of another node"));
      return NULL;
    }

  if (label == NULL)
    label = "";
  if (strlen (label) > TC_JOURNEY_MAX_TEXT_BYTES)
    {
      invalid (error, id, "label", NULL, _("is longer than %d bytes"), TC_JOURNEY_MAX_TEXT_BYTES);
      return NULL;
    }
  if (!check_coordinate (x, id, "x", error) || !check_coordinate (y, id, "y", error))
    return NULL;

  if (config == NULL)
    config = default_config = tc_journey_node_default_config (kind);
  if (!tc_journey_node_check_config (kind, id, config, error))
    return NULL;

  node = g_new0 (TcJourneyNode, 1);
  node->id = g_strdup (id);
  node->kind = kind;
  node->label = g_strdup (label);
  node->x = x;
  node->y = y;
  node->config = seal_copy (config);
  node->ends = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->nodes, node);
  g_hash_table_insert (self->by_id, node->id, node);

  return node;
}

const char *
tc_journey_add_node (TcJourney          *self,
                     const char         *id,
                     TcJourneyNodeKind   kind,
                     const char         *label,
                     double              x,
                     double              y,
                     JsonObject         *config,
                     GError            **error)
{
  TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);
  g_return_val_if_fail ((guint) kind < TC_JOURNEY_N_NODE_KINDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = insert_node (self, id, kind, label, x, y, config, error);
  if (node == NULL)
    return NULL;
  emit_changed (self);

  return node->id;
}

gboolean
tc_journey_remove_node (TcJourney   *self,
                        const char  *id,
                        GError     **error)
{
  TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  node = find_node (self, id, error);
  if (node == NULL)
    return FALSE;

  for (guint i = self->edges->len; i > 0; i--)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i - 1);

      if (strcmp (edge->from, node->id) == 0 || strcmp (edge->to, node->id) == 0)
        g_ptr_array_remove_index (self->edges, i - 1);
    }
  g_hash_table_remove (self->by_id, node->id);
  g_ptr_array_remove (self->nodes, node);
  emit_changed (self);

  return TRUE;
}

gboolean
tc_journey_move_node (TcJourney   *self,
                      const char  *id,
                      double       x,
                      double       y,
                      GError     **error)
{
  TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  node = find_node (self, id, error);
  if (node == NULL || !check_coordinate (x, id, "x", error) ||
      !check_coordinate (y, id, "y", error))
    return FALSE;
  if (node->x == x && node->y == y)
    return TRUE;
  node->x = x;
  node->y = y;
  emit_changed (self);

  return TRUE;
}

gboolean
tc_journey_set_node_label (TcJourney   *self,
                           const char  *id,
                           const char  *label,
                           GError     **error)
{
  TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  node = find_node (self, id, error);
  if (node == NULL)
    return FALSE;
  if (label == NULL)
    label = "";
  if (strlen (label) > TC_JOURNEY_MAX_TEXT_BYTES)
    return invalid (error, id, "label", NULL, _("is longer than %d bytes"),
                    TC_JOURNEY_MAX_TEXT_BYTES);
  if (strcmp (node->label, label) == 0)
    return TRUE;
  g_free (node->label);
  node->label = g_strdup (label);
  emit_changed (self);

  return TRUE;
}

/* Drops edges and "ends" marks of ports the node no longer has. */
static void
prune_ports (TcJourney     *self,
             TcJourneyNode *node)
{
  g_auto(GStrv) ports = tc_journey_node_dup_ports (node);

  for (guint i = self->edges->len; i > 0; i--)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i - 1);

      if (strcmp (edge->from, node->id) == 0 &&
          !g_strv_contains ((const char * const *) ports, edge->port))
        g_ptr_array_remove_index (self->edges, i - 1);
    }
  for (guint i = node->ends->len; i > 0; i--)
    if (!g_strv_contains ((const char * const *) ports, g_ptr_array_index (node->ends, i - 1)))
      g_ptr_array_remove_index (node->ends, i - 1);
}

gboolean
tc_journey_set_node_config (TcJourney   *self,
                            const char  *id,
                            JsonObject  *config,
                            GError     **error)
{
  TcJourneyNode *node;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  node = find_node (self, id, error);
  if (node == NULL || !tc_journey_node_check_config (node->kind, node->id, config, error))
    return FALSE;

  json_object_unref (node->config);
  node->config = seal_copy (config);
  prune_ports (self, node);
  emit_changed (self);

  return TRUE;
}

static gboolean
check_port (TcJourneyNode  *node,
            const char     *port,
            GError        **error)
{
  if (!tc_journey_node_has_port (node, port))
    {
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
      g_autofree char *known = g_strjoinv (", ", ports);
      g_autoptr(JsonNode) shown = json_node_init_string (json_node_alloc (),
                                                         port != NULL ? port : "");

      return invalid (error, node->id, "port", shown,
                      ports[0] != NULL ? _("must be one of the node’s outputs: %s")
                                       : _("is not possible: an exit has no outputs%s"),
                      known);
    }

  return TRUE;
}

static guint
edge_index (TcJourney  *self,
            const char *from,
            const char *port)
{
  for (guint i = 0; i < self->edges->len; i++)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i);

      if (strcmp (edge->from, from) == 0 && strcmp (edge->port, port) == 0)
        return i;
    }

  return G_MAXUINT;
}

static gboolean
set_ends (TcJourneyNode *node,
          const char    *port,
          gboolean       ends)
{
  for (guint i = 0; i < node->ends->len; i++)
    if (strcmp (g_ptr_array_index (node->ends, i), port) == 0)
      {
        if (!ends)
          g_ptr_array_remove_index (node->ends, i);
        return !ends;
      }
  if (ends)
    g_ptr_array_add (node->ends, g_strdup (port));

  return ends;
}

gboolean
tc_journey_set_port_ends (TcJourney   *self,
                          const char  *id,
                          const char  *port,
                          gboolean     ends,
                          GError     **error)
{
  TcJourneyNode *node;
  guint index;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  node = find_node (self, id, error);
  if (node == NULL || !check_port (node, port, error))
    return FALSE;

  if (ends && (index = edge_index (self, id, port)) != G_MAXUINT)
    g_ptr_array_remove_index (self->edges, index);
  set_ends (node, port, ends);
  emit_changed (self);

  return TRUE;
}

guint
tc_journey_get_n_edges (TcJourney *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), 0);

  return self->edges->len;
}

const TcJourneyEdge *
tc_journey_get_edge (TcJourney *self,
                     guint      index)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);
  g_return_val_if_fail (index < self->edges->len, NULL);

  return g_ptr_array_index (self->edges, index);
}

const TcJourneyEdge *
tc_journey_lookup_edge (TcJourney  *self,
                        const char *from,
                        const char *port)
{
  guint index;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  if (from == NULL || port == NULL)
    return NULL;
  index = edge_index (self, from, port);

  return index != G_MAXUINT ? g_ptr_array_index (self->edges, index) : NULL;
}

static gboolean
connect_nodes (TcJourney   *self,
               const char  *from,
               const char  *port,
               const char  *to,
               GError     **error)
{
  TcJourneyNode *source;
  TcJourneyNode *target;
  guint index;

  source = find_node (self, from, error);
  if (source == NULL || !check_port (source, port, error))
    return FALSE;
  target = find_node (self, to, error);
  if (target == NULL)
    return FALSE;
  if (target->kind == TC_JOURNEY_NODE_TRIGGER)
    {
      g_autoptr(JsonNode) shown = json_node_init_string (json_node_alloc (), to);

      return invalid (error, from, "to", shown,
                      _("is the trigger; nothing leads into a trigger"));
    }
  if (source == target)
    {
      g_autoptr(JsonNode) shown = json_node_init_string (json_node_alloc (), to);

      return invalid (error, from, "to", shown, _("is the node itself"));
    }
  if ((index = edge_index (self, from, port)) == G_MAXUINT &&
      self->edges->len >= TC_JOURNEY_MAX_EDGES)
    return invalid (error, NULL, "edges", NULL, _("has more than %d edges"),
                    TC_JOURNEY_MAX_EDGES);

  if (index != G_MAXUINT)
    g_ptr_array_remove_index (self->edges, index);
  set_ends (source, port, FALSE);
  g_ptr_array_add (self->edges, edge_new (from, port, to));

  return TRUE;
}

gboolean
tc_journey_connect (TcJourney   *self,
                    const char  *from,
                    const char  *port,
                    const char  *to,
                    GError     **error)
{
  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  if (!connect_nodes (self, from, port, to, error))
    return FALSE;
  emit_changed (self);

  return TRUE;
}

gboolean
tc_journey_disconnect (TcJourney  *self,
                       const char *from,
                       const char *port)
{
  guint index;

  g_return_val_if_fail (TC_IS_JOURNEY (self), FALSE);

  if (from == NULL || port == NULL || (index = edge_index (self, from, port)) == G_MAXUINT)
    return FALSE;
  g_ptr_array_remove_index (self->edges, index);
  emit_changed (self);

  return TRUE;
}

const TcJourneyNode *
tc_journey_get_trigger (TcJourney *self)
{
  const TcJourneyNode *trigger = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      const TcJourneyNode *node = g_ptr_array_index (self->nodes, i);

      if (node->kind != TC_JOURNEY_NODE_TRIGGER)
        continue;
      if (trigger != NULL)
        return NULL;
      trigger = node;
    }

  return trigger;
}

GStrv
tc_journey_dup_whatsapp_templates (TcJourney *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      const TcJourneyNode *node = g_ptr_array_index (self->nodes, i);
      JsonNode *fallback = json_object_get_member (node->config, "fallback");
      const char *name = NULL;

      if (node->kind == TC_JOURNEY_NODE_SEND_WHATSAPP)
        name = json_object_get_string_member_with_default (node->config, "template", NULL);
      else if (node->kind == TC_JOURNEY_NODE_SEND_PREFERRED)
        name = json_object_get_string_member_with_default (node->config, "whatsapp_template",
                                                           NULL);
      else if (node->kind == TC_JOURNEY_NODE_SEND_SMS && fallback != NULL &&
               JSON_NODE_HOLDS_OBJECT (fallback))
        name = json_object_get_string_member_with_default (json_node_get_object (fallback),
                                                           "template", NULL);
      if (name == NULL || name[0] == '\0')
        continue;
      for (guint k = 0; k < names->len && name != NULL; k++)
        if (strcmp (g_ptr_array_index (names, k), name) == 0)
          name = NULL;
      if (name != NULL)
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_add (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ------------------------------------------------------------------------
 * JSON
 */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
tc_journey_to_json (TcJourney *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "format", FORMAT_NAME);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  add_string (builder, "name", self->name);
  add_string (builder, "description", self->description);

  json_builder_set_member_name (builder, "reentry");
  json_builder_begin_object (builder);
  add_string (builder, "policy", reentry_names[self->reentry]);
  if (self->reentry == TC_JOURNEY_REENTRY_ONCE_PER_DAYS)
    {
      json_builder_set_member_name (builder, "days");
      json_builder_add_int_value (builder, self->reentry_days);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "goals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->goals->len; i++)
    {
      const TcJourneyGoal *goal = g_ptr_array_index (self->goals, i);

      json_builder_begin_object (builder);
      add_string (builder, "event", goal->event);
      json_builder_set_member_name (builder, "filters");
      json_builder_add_value (builder, json_node_init_array (json_node_alloc (), goal->filters));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const TcJourneyNode *node = g_ptr_array_index (self->nodes, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", node->id);
      add_string (builder, "kind", kind_names[node->kind]);
      add_string (builder, "label", node->label);
      json_builder_set_member_name (builder, "x");
      json_builder_add_double_value (builder, node->x);
      json_builder_set_member_name (builder, "y");
      json_builder_add_double_value (builder, node->y);
      json_builder_set_member_name (builder, "config");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), node->config));
      json_builder_set_member_name (builder, "ends");
      json_builder_begin_array (builder);
      for (guint e = 0; e < node->ends->len; e++)
        json_builder_add_string_value (builder, g_ptr_array_index (node->ends, e));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->edges->len; i++)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i);

      json_builder_begin_object (builder);
      add_string (builder, "from", edge->from);
      add_string (builder, "port", edge->port);
      add_string (builder, "to", edge->to);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
tc_journey_to_string (TcJourney *self)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  root = tc_journey_to_json (self);

  return json_to_string (root, TRUE);
}

static gboolean
read_reentry (TcJourney   *self,
              JsonObject  *root,
              GError     **error)
{
  static const char * const allowed[] = { "policy", "days", NULL };
  static const char * const policies[] = { "once", "once_per_days", "every_time", NULL };
  JsonNode *value = json_object_get_member (root, "reentry");
  JsonObject *reentry;
  JsonNode *days;
  const char *policy;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (value))
    return invalid (error, NULL, "reentry", value, _("must be an object with policy and days"));
  reentry = json_node_get_object (value);
  if (!check_members (reentry, allowed, NULL, "reentry", error) ||
      !read_choice (reentry, "policy", TRUE, policies, NULL, "reentry", &policy, error))
    return FALSE;

  days = json_object_get_member (reentry, "days");
  if (strcmp (policy, "once_per_days") != 0)
    {
      if (days != NULL)
        return invalid (error, NULL, "reentry.days", days,
                        _("goes with the policy “once_per_days” only"));
      tc_journey_reentry_from_string (policy, &self->reentry);
      return TRUE;
    }
  if (!is_integer (days) || json_node_get_int (days) < 1 ||
      json_node_get_int (days) > MAX_REENTRY_DAYS)
    return invalid (error, NULL, "reentry.days", days,
                    _("must be a number of days from 1 to %d"), MAX_REENTRY_DAYS);
  self->reentry = TC_JOURNEY_REENTRY_ONCE_PER_DAYS;
  self->reentry_days = (guint) json_node_get_int (days);

  return TRUE;
}

static gboolean
read_goals (TcJourney   *self,
            JsonObject  *root,
            GError     **error)
{
  static const char * const allowed[] = { "event", "filters", NULL };
  JsonNode *value = json_object_get_member (root, "goals");
  JsonArray *goals;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return invalid (error, NULL, "goals", value, _("must be a list of goals"));
  goals = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (goals); i++)
    {
      JsonNode *element = json_array_get_element (goals, i);
      g_autofree char *where = g_strdup_printf ("goals[%u]", i);
      JsonObject *goal;
      JsonNode *event;
      JsonNode *filters;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, NULL, where, element, _("must be an object with event and filters"));
      goal = json_node_get_object (element);
      if (!check_members (goal, allowed, NULL, where, error))
        return FALSE;
      event = json_object_get_member (goal, "event");
      filters = json_object_get_member (goal, "filters");
      if (!is_string (event))
        {
          g_autofree char *field = field_name (where, "event");

          return invalid (error, NULL, field, event, _("must be an event name"));
        }
      if (filters != NULL && !JSON_NODE_HOLDS_ARRAY (filters))
        {
          g_autofree char *field = field_name (where, "filters");

          return invalid (error, NULL, field, filters, _("must be a list of property filters"));
        }
      if (!add_goal (self, json_node_get_string (event),
                     filters != NULL ? json_node_get_array (filters) : NULL, where, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_number (JsonObject  *object,
             const char  *member,
             const char  *node,
             double      *out,
             GError     **error)
{
  JsonNode *value = json_object_get_member (object, member);

  *out = 0;
  if (value == NULL)
    return TRUE;
  if (!is_number (value))
    return invalid (error, node, member, value, _("must be a number"));
  *out = json_node_get_double (value);

  return TRUE;
}

static gboolean
read_nodes (TcJourney   *self,
            JsonObject  *root,
            GError     **error)
{
  static const char * const allowed[] = { "id", "kind", "label", "x", "y", "config", "ends", NULL };
  JsonNode *value = json_object_get_member (root, "nodes");
  JsonArray *nodes;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return invalid (error, NULL, "nodes", value, _("must be a list of nodes"));
  nodes = json_node_get_array (value);
  if (json_array_get_length (nodes) > TC_JOURNEY_MAX_NODES)
    return invalid (error, NULL, "nodes", NULL, _("has more than %d nodes"), TC_JOURNEY_MAX_NODES);

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonNode *element = json_array_get_element (nodes, i);
      g_autofree char *where = g_strdup_printf ("nodes[%u]", i);
      JsonObject *object;
      JsonNode *config;
      JsonNode *ends;
      TcJourneyNodeKind kind;
      TcJourneyNode *node;
      const char *id;
      const char *label;
      double x;
      double y;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, NULL, where, element, _("must be an object with id, kind and config"));
      object = json_node_get_object (element);
      if (!check_members (object, allowed, NULL, where, error) ||
          !read_string (object, "id", TRUE, TRUE, TC_JOURNEY_MAX_ID_CHARS * 4, NULL, where, &id,
                        error))
        return FALSE;
      if (!tc_journey_node_id_is_valid (id))
        {
          g_autofree char *field = field_name (where, "id");

          return invalid (error, NULL, field, json_object_get_member (object, "id"),
                          _("must be 1 to %d characters A–Z, a–z, 0–9, _ and -"),
                          TC_JOURNEY_MAX_ID_CHARS);
        }

      /* From here on the node has a name to be called by. */
      if (!json_object_has_member (object, "kind"))
        return invalid (error, id, "kind", NULL, _("is missing"));
      if (!is_string (json_object_get_member (object, "kind")) ||
          !tc_journey_node_kind_from_string (json_object_get_string_member (object, "kind"),
                                             &kind) ||
          strcmp (json_object_get_string_member (object, "kind"),
                  kind_names[kind]) != 0)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
            g_string_append_printf (known, "%s%s", k > 0 ? ", " : "", kind_names[k]);
          return invalid (error, id, "kind", json_object_get_member (object, "kind"),
                          _("must be one of: %s"), known->str);
        }

      if (!read_string (object, "label", FALSE, FALSE, TC_JOURNEY_MAX_TEXT_BYTES, id, NULL,
                        &label, error) ||
          !read_number (object, "x", id, &x, error) ||
          !read_number (object, "y", id, &y, error))
        return FALSE;

      config = json_object_get_member (object, "config");
      if (config != NULL && !JSON_NODE_HOLDS_OBJECT (config))
        return invalid (error, id, "config", config, _("must be an object"));
      if (config == NULL && kind != TC_JOURNEY_NODE_EXIT)
        return invalid (error, id, "config", NULL, _("is missing"));

      node = insert_node (self, id, kind, label, x, y,
                          config != NULL ? json_node_get_object (config) : NULL, error);
      if (node == NULL)
        return FALSE;

      ends = json_object_get_member (object, "ends");
      if (ends == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (ends))
        return invalid (error, id, "ends", ends, _("must be a list of output names"));
      for (guint e = 0; e < json_array_get_length (json_node_get_array (ends)); e++)
        {
          JsonNode *port = json_array_get_element (json_node_get_array (ends), e);
          g_autofree char *field = g_strdup_printf ("ends[%u]", e);

          if (!is_string (port) || !tc_journey_node_has_port (node, json_node_get_string (port)))
            {
              g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
              g_autofree char *known = g_strjoinv (", ", ports);

              return invalid (error, id, field, port, _("must be one of the node’s outputs: %s"),
                              known);
            }
          if (tc_journey_node_port_ends (node, json_node_get_string (port)))
            return invalid (error, id, field, port, _("is named twice"));
          set_ends (node, json_node_get_string (port), TRUE);
        }
    }

  return TRUE;
}

static gboolean
read_edges (TcJourney   *self,
            JsonObject  *root,
            GError     **error)
{
  static const char * const allowed[] = { "from", "port", "to", NULL };
  JsonNode *value = json_object_get_member (root, "edges");
  JsonArray *edges;

  if (value == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return invalid (error, NULL, "edges", value, _("must be a list of edges"));
  edges = json_node_get_array (value);
  if (json_array_get_length (edges) > TC_JOURNEY_MAX_EDGES)
    return invalid (error, NULL, "edges", NULL, _("has more than %d edges"), TC_JOURNEY_MAX_EDGES);

  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonNode *element = json_array_get_element (edges, i);
      g_autofree char *where = g_strdup_printf ("edges[%u]", i);
      JsonObject *edge;
      TcJourneyNode *source;
      const char *from;
      const char *port;
      const char *to;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, NULL, where, element, _("must be an object with from, port and to"));
      edge = json_node_get_object (element);
      if (!check_members (edge, allowed, NULL, where, error) ||
          !read_string (edge, "from", TRUE, TRUE, 256, NULL, where, &from, error) ||
          !read_string (edge, "port", TRUE, TRUE, 256, NULL, where, &port, error) ||
          !read_string (edge, "to", TRUE, TRUE, 256, NULL, where, &to, error))
        return FALSE;

      source = g_hash_table_lookup (self->by_id, from);
      if (source == NULL)
        {
          g_autofree char *field = field_name (where, "from");

          return invalid (error, NULL, field, json_object_get_member (edge, "from"),
                          _("is not the id of a node"));
        }
      if (!g_hash_table_contains (self->by_id, to))
        return invalid (error, from, "to", json_object_get_member (edge, "to"),
                        _("is not the id of a node"));
      if (tc_journey_node_has_port (source, port) && edge_index (self, from, port) != G_MAXUINT)
        return invalid (error, from, "port", json_object_get_member (edge, "port"),
                        _("has two edges; an output leads to one node"));
      if (tc_journey_node_has_port (source, port) && tc_journey_node_port_ends (source, port))
        return invalid (error, from, "port", json_object_get_member (edge, "port"),
                        _("both ends the journey and has an edge"));
      if (!connect_nodes (self, from, port, to, error))
        return FALSE;
    }

  return TRUE;
}

TcJourney *
tc_journey_new_from_json (JsonNode  *node,
                          GError   **error)
{
  static const char * const allowed[] = {
    "format", "format_version", "name", "description", "reentry", "goals", "nodes", "edges",
    NULL
  };
  g_autoptr(TcJourney) journey = NULL;
  JsonObject *root;
  JsonNode *format_version;
  const char *text;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, NULL, "journey", node, _("must be a JSON object"));
      return NULL;
    }
  if (!check_utf8 (node, NULL, "journey", error))
    return NULL;
  root = json_node_get_object (node);
  journey = tc_journey_new (NULL);

  if (!check_members (root, allowed, NULL, NULL, error) ||
      !read_string (root, "format", FALSE, FALSE, 64, NULL, NULL, &text, error))
    return NULL;
  if (text != NULL && strcmp (text, FORMAT_NAME) != 0)
    {
      invalid (error, NULL, "format", json_object_get_member (root, "format"),
               _("must be “%s”: this is not a Textcast journey"), FORMAT_NAME);
      return NULL;
    }
  format_version = json_object_get_member (root, "format_version");
  if (format_version != NULL &&
      (!is_integer (format_version) || json_node_get_int (format_version) != FORMAT_VERSION))
    {
      invalid (error, NULL, "format_version", format_version,
               _("must be %d; the file comes from another version of Textcast"), FORMAT_VERSION);
      return NULL;
    }

  if (!read_string (root, "name", TRUE, TRUE, MAX_NAME_CHARS * 4, NULL, NULL, &text, error))
    return NULL;
  if (g_utf8_strlen (text, -1) > MAX_NAME_CHARS)
    {
      invalid (error, NULL, "name", NULL, _("is longer than %d characters"), MAX_NAME_CHARS);
      return NULL;
    }
  tc_journey_set_name (journey, text);
  if (!read_string (root, "description", FALSE, FALSE, TC_JOURNEY_MAX_TEXT_BYTES, NULL, NULL,
                    &text, error))
    return NULL;
  tc_journey_set_description (journey, text);

  if (!read_reentry (journey, root, error) || !read_goals (journey, root, error) ||
      !read_nodes (journey, root, error) || !read_edges (journey, root, error))
    return NULL;

  return g_steal_pointer (&journey);
}

/* How deep the JSON nests, counted on the bytes before any parsing, so
 * that a hostile file of a million "[" never reaches the recursive
 * parser. */
static gboolean
nesting_within (const char *data,
                gsize       length,
                guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

TcJourney *
tc_journey_new_from_data (const char  *data,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  if (size == 0)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey is empty; it should be a JSON object"));
      return NULL;
    }
  if (size > TC_JOURNEY_MAX_JSON_BYTES)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey is %zu bytes; a journey is at most %d bytes "
                     "of JSON"), (size_t) size, TC_JOURNEY_MAX_JSON_BYTES);
      return NULL;
    }
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate (data, size, NULL))
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey is not UTF-8 text"));
      return NULL;
    }
  if (!nesting_within (data, size, MAX_JSON_DEPTH))
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey's JSON nests deeper than %d levels"), MAX_JSON_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      /* json-glib may quote the offending bytes, which need not be UTF-8. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey is not valid JSON: %s"), message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, TC_JOURNEY_ERROR, TC_JOURNEY_ERROR_INVALID,
                   _("The journey is empty; it should be a JSON object"));
      return NULL;
    }

  return tc_journey_new_from_json (json_parser_get_root (parser), error);
}

/* ------------------------------------------------------------------------
 * Validation
 */

static void G_GNUC_PRINTF (4, 5)
add_problem (GPtrArray  *problems,
             const char *node,
             const char *code,
             const char *format,
             ...)
{
  TcJourneyProblem *problem = g_new0 (TcJourneyProblem, 1);
  va_list args;

  va_start (args, format);
  problem->node = g_strdup (node);
  problem->code = g_strdup (code);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, problem);
}

typedef struct
{
  TcJourney  *journey;
  GHashTable *index;     /* node id → GUINT_TO_POINTER (position + 1) */
  GArray    **targets;   /* per node: positions its outputs lead to */
  /* Tarjan's strongly connected components over the nodes that are not
   * waits. */
  int        *order;
  int        *low;
  gboolean   *on_stack;
  GArray     *stack;
  int         counter;
  GPtrArray  *problems;
} Graph;

static gboolean
is_wait (const TcJourneyNode *node)
{
  return node->kind == TC_JOURNEY_NODE_WAIT || node->kind == TC_JOURNEY_NODE_WAIT_FOR_EVENT;
}

static void
strong_connect (Graph *g,
                guint  v)
{
  GArray *targets = g->targets[v];

  g->order[v] = g->low[v] = ++g->counter;
  g_array_append_val (g->stack, v);
  g->on_stack[v] = TRUE;

  for (guint i = 0; i < targets->len; i++)
    {
      guint w = g_array_index (targets, guint, i);

      if (is_wait (g_ptr_array_index (g->journey->nodes, w)))
        continue;
      if (g->order[w] == 0)
        {
          strong_connect (g, w);
          g->low[v] = MIN (g->low[v], g->low[w]);
        }
      else if (g->on_stack[w])
        g->low[v] = MIN (g->low[v], g->order[w]);
    }

  if (g->low[v] == g->order[v])
    {
      g_autoptr(GString) members = g_string_new (NULL);
      guint n = 0;
      guint w;

      do
        {
          w = g_array_index (g->stack, guint, g->stack->len - 1);
          g_array_set_size (g->stack, g->stack->len - 1);
          g->on_stack[w] = FALSE;
          if (n++ > 0)
            g_string_prepend (members, ", ");
          g_string_prepend (members, ((TcJourneyNode *) g_ptr_array_index (g->journey->nodes, w))->id);
        }
      while (w != v);

      if (n > 1)
        add_problem (g->problems, ((TcJourneyNode *) g_ptr_array_index (g->journey->nodes, v))->id,
                     "cycle_without_wait",
                     _("Node “%s” is in a loop without a wait (%s): a contact would go round "
                       "it at once, forever; put a wait in the loop"),
                     ((TcJourneyNode *) g_ptr_array_index (g->journey->nodes, v))->id,
                     members->str);
    }
}

static void
check_template (GPtrArray              *problems,
                const TcJourneyNode    *node,
                const char             *member,
                const char             *kind,
                TcJourneyTemplateLookup lookup,
                gpointer                user_data)
{
  JsonObject *config = node->config;
  const char *name;

  if (strcmp (member, "fallback") == 0)
    {
      if (!json_object_has_member (config, "fallback"))
        return;
      config = json_object_get_object_member (config, "fallback");
      member = "template";
    }
  name = json_object_get_string_member (config, member);

  if (name[0] == '\0')
    add_problem (problems, node->id, "no_template",
                 strcmp (kind, "sms") == 0
                   ? _("Node “%s” sends no SMS template; choose one")
                   : _("Node “%s” sends no WhatsApp template; choose one"),
                 node->id);
  else if (lookup != NULL && !lookup (kind, name, user_data))
    add_problem (problems, node->id, "template_missing",
                 strcmp (kind, "sms") == 0
                   ? _("Node “%s” sends the SMS template “%s”, which does not exist")
                   : _("Node “%s” sends the WhatsApp template “%s”, which does not exist"),
                 node->id, name);
}

static void
check_send_node (GPtrArray              *problems,
                 const TcJourneyNode    *node,
                 TcJourneyTemplateLookup lookup,
                 gpointer                user_data)
{
  JsonObject *config = node->config;

  switch (node->kind)
    {
    case TC_JOURNEY_NODE_SEND_SMS:
      check_template (problems, node, "template", "sms", lookup, user_data);
      check_template (problems, node, "fallback", "whatsapp", lookup, user_data);
      break;
    case TC_JOURNEY_NODE_SEND_WHATSAPP:
      check_template (problems, node, "template", "whatsapp", lookup, user_data);
      check_template (problems, node, "fallback", "sms", lookup, user_data);
      break;
    case TC_JOURNEY_NODE_SEND_PREFERRED:
      check_template (problems, node, "sms_template", "sms", lookup, user_data);
      check_template (problems, node, "whatsapp_template", "whatsapp", lookup, user_data);
      break;
    case TC_JOURNEY_NODE_TRIGGER:
    case TC_JOURNEY_NODE_WAIT:
    case TC_JOURNEY_NODE_WAIT_FOR_EVENT:
    case TC_JOURNEY_NODE_BRANCH:
    case TC_JOURNEY_NODE_SPLIT:
    case TC_JOURNEY_NODE_UPDATE_CONTACT:
    case TC_JOURNEY_NODE_EXIT:
    default:
      g_assert_not_reached ();
    }

  if (!json_object_has_member (config, "purpose"))
    add_problem (problems, node->id, "no_purpose",
                 _("Node “%s” does not say whether its message is promotional or "
                   "transactional; the send gate needs to know"), node->id);
  else if (strcmp (json_object_get_string_member (config, "purpose"), "promotional") == 0 &&
           json_object_has_member (config, "require_consent") &&
           !json_object_get_boolean_member (config, "require_consent"))
    add_problem (problems, node->id, "no_consent",
                 _("Node “%s” sends a promotional message without requiring the contact’s "
                   "consent; promotional messages need it"), node->id);
}

static void
check_split_total (GPtrArray           *problems,
                   const TcJourneyNode *node)
{
  JsonArray *branches = json_object_get_array_member (node->config, "branches");
  double total = 0;

  for (guint i = 0; i < json_array_get_length (branches); i++)
    total += json_object_get_double_member (json_array_get_object_element (branches, i),
                                            "percent");
  if (fabs (total - 100) > 1e-9)
    add_problem (problems, node->id, "split_total",
                 _("Node “%s” splits %g %% of the contacts; the branches must add up to 100 %%"),
                 node->id, total);
}

GPtrArray *
tc_journey_validate (TcJourney              *self,
                     TcJourneyTemplateLookup lookup,
                     gpointer                user_data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree gboolean *reached = NULL;
  g_autoptr(GArray) queue = NULL;
  Graph g = { 0 };
  guint n;
  int trigger = -1;

  g_return_val_if_fail (TC_IS_JOURNEY (self), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_journey_problem_free);
  n = self->nodes->len;

  for (guint i = 0; i < n; i++)
    {
      const TcJourneyNode *node = g_ptr_array_index (self->nodes, i);

      if (node->kind != TC_JOURNEY_NODE_TRIGGER)
        continue;
      if (trigger < 0)
        trigger = (int) i;
      else
        add_problem (problems, node->id, "several_triggers",
                     _("Node “%s” is a second trigger; a journey has exactly one (the first is "
                       "“%s”)"), node->id,
                     ((TcJourneyNode *) g_ptr_array_index (self->nodes, trigger))->id);
    }
  if (trigger < 0)
    add_problem (problems, NULL, "no_trigger",
                 _("The journey has no trigger; add one to say what brings contacts in"));

  /* The graph by position. */
  g.journey = self;
  g.problems = problems;
  g.index = g_hash_table_new (g_str_hash, g_str_equal);
  g.targets = g_new0 (GArray *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_hash_table_insert (g.index, ((TcJourneyNode *) g_ptr_array_index (self->nodes, i))->id,
                           GUINT_TO_POINTER (i + 1));
      g.targets[i] = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      const TcJourneyEdge *edge = g_ptr_array_index (self->edges, i);
      guint from = GPOINTER_TO_UINT (g_hash_table_lookup (g.index, edge->from)) - 1;
      guint to = GPOINTER_TO_UINT (g_hash_table_lookup (g.index, edge->to)) - 1;

      g_array_append_val (g.targets[from], to);
    }

  /* Reachable from the trigger. */
  reached = g_new0 (gboolean, n + 1);
  queue = g_array_new (FALSE, FALSE, sizeof (guint));
  if (trigger >= 0)
    {
      guint start = (guint) trigger;

      reached[start] = TRUE;
      g_array_append_val (queue, start);
    }
  for (guint head = 0; head < queue->len; head++)
    {
      GArray *targets = g.targets[g_array_index (queue, guint, head)];

      for (guint i = 0; i < targets->len; i++)
        {
          guint w = g_array_index (targets, guint, i);

          if (!reached[w])
            {
              reached[w] = TRUE;
              g_array_append_val (queue, w);
            }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      const TcJourneyNode *node = g_ptr_array_index (self->nodes, i);
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);

      if (trigger >= 0 && !reached[i] && node->kind != TC_JOURNEY_NODE_TRIGGER)
        add_problem (problems, node->id, "unreachable",
                     _("Node “%s” cannot be reached from the trigger; connect it or remove it"),
                     node->id);
      for (guint p = 0; ports[p] != NULL; p++)
        if (edge_index (self, node->id, ports[p]) == G_MAXUINT &&
            !tc_journey_node_port_ends (node, ports[p]))
          add_problem (problems, node->id, "output_unconnected",
                       _("Node “%s”: the output “%s” leads nowhere; connect it, or mark it as "
                         "ending the journey"), node->id, ports[p]);
      if (tc_journey_node_kind_is_send (node->kind))
        check_send_node (problems, node, lookup, user_data);
      if (node->kind == TC_JOURNEY_NODE_SPLIT)
        check_split_total (problems, node);
    }

  /* Loops without a wait. */
  g.order = g_new0 (int, n + 1);
  g.low = g_new0 (int, n + 1);
  g.on_stack = g_new0 (gboolean, n + 1);
  g.stack = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    if (g.order[i] == 0 && !is_wait (g_ptr_array_index (self->nodes, i)))
      strong_connect (&g, i);

  for (guint i = 0; i < n; i++)
    g_array_unref (g.targets[i]);
  g_free (g.targets);
  g_free (g.order);
  g_free (g.low);
  g_free (g.on_stack);
  g_array_unref (g.stack);
  g_hash_table_unref (g.index);

  return g_steal_pointer (&problems);
}
