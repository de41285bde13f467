/* tc-segment.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Segment rules (see tc-segment.h for the JSON): a parser that turns the
 * JSON into a tree of checked nodes, a compiler that turns the tree into
 * one WHERE clause over "contacts c" plus the list of values to bind, and
 * the saved segments (table segments, schema 8).
 *
 * The compiler writes only text of its own into the SQL: column names come
 * from the fixed table below, status names and operators are constants,
 * and everything that came from the rule — values, tag, event and channel
 * names, attribute keys (as JSON paths) — is a bound parameter. Each
 * compiled query is prepared on its own and finalized after use rather
 * than put in the connection's statement cache, which would otherwise
 * grow with every rule someone tried in the builder.
 */

#define G_LOG_DOMAIN "tc-segment"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tc-consent-ledger.h"
#include "tc-contact.h"
#include "tc-contact-io.h"
#include "tc-phone.h"
#include "tc-repository-private.h"
#include "tc-segment.h"

/* Limits that keep a rule something a person wrote, and its SQL within
 * what SQLite accepts (at most 32,766 parameters, 1,000 levels of
 * expression). */
#define MAX_DEPTH          32
#define MAX_CHILDREN       1000
#define MAX_IN_VALUES      1000
#define MAX_CONDITIONS     20
#define MAX_WITHIN_DAYS    36500
#define MAX_TEXT_BYTES     1024
#define MAX_SEGMENT_NESTING 8
#define MAX_EVENT_NAME     64

#define SECONDS_PER_DAY    G_GINT64_CONSTANT (86400)

G_DEFINE_QUARK (tc-segment-error-quark, tc_segment_error)

/* ------------------------------------------------------------------------
 * The tree
 */

typedef enum
{
  NODE_ALL,
  NODE_ANY,
  NODE_NOT,
  NODE_FIELD,
  NODE_TAG,
  NODE_CONSENT,
  NODE_ENGAGEMENT,
  NODE_EVENT,
  NODE_SEGMENT,
} NodeKind;

typedef enum
{
  FIELD_FIRST_NAME,
  FIELD_LAST_NAME,
  FIELD_EMAIL,
  FIELD_PHONE,
  FIELD_LANGUAGE,
  FIELD_COUNTRY,
  FIELD_CREATED_AT,
  FIELD_TIMEZONE,
  FIELD_REGION,
  FIELD_ATTRIBUTE,
} Field;

typedef enum
{
  OP_EQUALS,
  OP_NOT_EQUALS,
  OP_CONTAINS,
  OP_IN,
  OP_BEFORE,
  OP_AFTER,
  OP_EMPTY,
  OP_NOT_EMPTY,
} Op;

#define OP_BIT(op) (1u << (op))
#define OPS_TEXT   (OP_BIT (OP_EQUALS) | OP_BIT (OP_NOT_EQUALS) | OP_BIT (OP_CONTAINS) | \
                    OP_BIT (OP_IN) | OP_BIT (OP_EMPTY) | OP_BIT (OP_NOT_EMPTY))
#define OPS_ALL    (OPS_TEXT | OP_BIT (OP_BEFORE) | OP_BIT (OP_AFTER))

static const char * const op_names[] = {
  "equals", "not_equals", "contains", "in", "before", "after", "empty", "not_empty",
};

/* The contact fields a rule may name: the SQL for each is ours. */
static const struct
{
  const char *name;
  const char *column;
  guint       ops;
} fields[] = {
  [FIELD_FIRST_NAME] = { "first_name", "c.first_name", OPS_TEXT },
  [FIELD_LAST_NAME] = { "last_name", "c.last_name", OPS_TEXT },
  [FIELD_EMAIL] = { "email", "c.email", OPS_TEXT },
  [FIELD_PHONE] = { "phone", "c.phone", OPS_TEXT },
  [FIELD_LANGUAGE] = { "language", "c.language", OPS_TEXT },
  [FIELD_COUNTRY] = { "country", "c.country", OPS_TEXT },
  [FIELD_CREATED_AT] = { "created_at", "c.created_at", OP_BIT (OP_BEFORE) | OP_BIT (OP_AFTER) },
  [FIELD_TIMEZONE] = { "timezone", "c.timezones", OPS_TEXT },
  [FIELD_REGION] = { "region", NULL,
                     OP_BIT (OP_EQUALS) | OP_BIT (OP_NOT_EQUALS) | OP_BIT (OP_IN) |
                     OP_BIT (OP_EMPTY) | OP_BIT (OP_NOT_EMPTY) },
  [FIELD_ATTRIBUTE] = { "attributes.KEY", NULL, OPS_ALL },
};

typedef enum
{
  CMP_EQ,
  CMP_NE,
  CMP_GT,
  CMP_GE,
  CMP_LT,
  CMP_LE,
  CMP_CONTAINS,
} Cmp;

static const char * const cmp_names[] = { "=", "!=", ">", ">=", "<", "<=", "contains" };
static const char * const cmp_sql[] = { "=", "<>", ">", ">=", "<", "<=", NULL };

typedef enum
{
  ENGAGE_RECEIVED,
  ENGAGE_DELIVERED,
  ENGAGE_READ,
  ENGAGE_CLICKED,
  ENGAGE_REPLIED,
} Engagement;

static const char * const engagement_names[] = {
  "received", "delivered", "read", "clicked", "replied",
};

/* The statuses a consent rule may ask for; a bit each in Node.statuses. */
static const char * const status_names[] = {
  "none", "pending", "opted_in", "opted_out", "expired",
};
#define STATUS_NONE      (1u << 0)
#define STATUS_PENDING   (1u << 1)
#define STATUS_OPTED_IN  (1u << 2)
#define STATUS_OPTED_OUT (1u << 3)
#define STATUS_EXPIRED   (1u << 4)

typedef enum
{
  PROP_VALUE,
  PROP_CURRENCY,
  PROP_KEY,
} Prop;

typedef struct
{
  Prop      prop;
  char     *path;     /* PROP_KEY: the JSON path of the key */
  Cmp       cmp;
  gboolean  numeric;
  double    number;
  char     *text;
} Condition;

typedef struct _Node Node;

struct _Node
{
  NodeKind    kind;
  char       *path;       /* where in the rule, for errors found later */
  GPtrArray  *children;   /* ALL, ANY, NOT (one) */

  Field       field;      /* FIELD */
  char       *json_path;  /* FIELD_ATTRIBUTE */
  Op          op;
  GPtrArray  *values;     /* FIELD: the strings (one unless OP_IN) */
  gint64      time;       /* FIELD_CREATED_AT */

  char       *name;       /* TAG, EVENT, SEGMENT */
  gboolean    positive;   /* TAG: has; EVENT: did */

  gboolean    has_channel;
  TcChannel   channel;    /* CONSENT, ENGAGEMENT */
  TcPurpose   purpose;    /* CONSENT */
  guint       statuses;   /* CONSENT */

  Engagement  engagement;
  gint64      within_days; /* ENGAGEMENT, EVENT; 0: any time */

  GPtrArray  *conditions;  /* EVENT: Condition */
};

struct _TcSegment
{
  gatomicrefcount  ref_count;
  Node            *root;
  char            *json;
};

static void
condition_free (Condition *condition)
{
  g_free (condition->path);
  g_free (condition->text);
  g_free (condition);
}

static void
node_free (Node *node)
{
  if (node == NULL)
    return;

  g_free (node->path);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node->json_path);
  g_clear_pointer (&node->values, g_ptr_array_unref);
  g_free (node->name);
  g_clear_pointer (&node->conditions, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static Node *
node_new (NodeKind    kind,
          const char *path)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->path = g_strdup (path);

  return node;
}

/* ------------------------------------------------------------------------
 * Parsing
 */

static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError     **error,
         const char  *path,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_RULE, "%s: %s", path, message);

  return FALSE;
}

/* A JSON value as the person wrote it, shortened, for a message. */
static char *
describe (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  if (g_utf8_strlen (text, -1) > 60)
    {
      g_autofree char *start = g_utf8_substring (text, 0, 57);

      return g_strconcat (start, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static char *
join_names (const char * const *names,
            gsize               n_names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < n_names; i++)
    {
      if (names[i] == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, names[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
member_path (const char *path,
             const char *member)
{
  return g_strdup_printf ("%s.%s", path, member);
}

static char *
element_path (const char *path,
              guint       index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

/* Refuses members of @object other than @allowed (NULL-terminated): a
 * misspelt "within_day" must not silently mean "any time". */
static gboolean
check_members (JsonObject         *object,
               const char         *path,
               const char         *what,
               const char * const *allowed,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (!g_strv_contains (allowed, member))
        {
          g_autofree char *where = member_path (path, member);
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          return invalid (error, where, _("unknown member of %s; it takes %s"), what, list);
        }
    }

  return TRUE;
}

/* A non-empty string of at most MAX_TEXT_BYTES, or an integer written as
 * a number (attributes are stored as text). */
static char *
get_text (JsonNode    *node,
          const char  *path,
          gboolean     allow_number,
          GError     **error)
{
  const char *text;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 && allow_number)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *value = node != NULL ? describe (node) : g_strdup ("nothing");

      invalid (error, path, _("%s is not a text; give a string in double quotes"), value);
      return NULL;
    }

  text = json_node_get_string (node);
  if (text[0] == '\0')
    {
      invalid (error, path, _("the text is empty; give some text (or use the op empty)"));
      return NULL;
    }
  if (strlen (text) > MAX_TEXT_BYTES)
    {
      invalid (error, path, _("the text is longer than %d bytes; shorten it"), MAX_TEXT_BYTES);
      return NULL;
    }

  return g_strdup (text);
}

static gboolean
get_within_days (JsonObject  *object,
                 const char  *path,
                 gboolean     required,
                 gint64      *days,
                 GError     **error)
{
  g_autofree char *where = member_path (path, "within_days");
  JsonNode *node = json_object_get_member (object, "within_days");

  *days = 0;
  if (node == NULL)
    {
      if (required)
        return invalid (error, where, _("missing; say how many days back to look, e.g. 30"));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1 || json_node_get_int (node) > MAX_WITHIN_DAYS)
    {
      g_autofree char *value = describe (node);

      return invalid (error, where, _("%s is not a number of days; give a whole number from 1 "
                                      "to %d"), value, MAX_WITHIN_DAYS);
    }

  *days = json_node_get_int (node);

  return TRUE;
}

static gboolean
get_channel (JsonObject  *object,
             const char  *member,
             const char  *path,
             gboolean     required,
             Node        *node,
             GError     **error)
{
  g_autofree char *where = member_path (path, member);
  JsonNode *value = json_object_get_member (object, member);

  if (value == NULL)
    {
      if (required)
        return invalid (error, where, _("missing; give sms or whatsapp"));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
      !tc_channel_from_string (json_node_get_string (value), &node->channel))
    {
      g_autofree char *text = describe (value);

      return invalid (error, where, _("%s is not a channel; use sms or whatsapp"), text);
    }
  node->has_channel = TRUE;

  return TRUE;
}

/* The JSON path of a key taken literally: $."KEY". SQLite's paths have no
 * escape for '"' inside a quoted label, so such keys are refused rather
 * than read as some other path. */
static char *
key_to_json_path (const char  *key,
                  const char  *path,
                  GError     **error)
{
  if (key[0] == '\0')
    {
      invalid (error, path, _("the key is empty; write attributes.KEY, e.g. attributes.plan"));
      return NULL;
    }
  if (strlen (key) > MAX_TEXT_BYTES || !g_utf8_validate (key, -1, NULL))
    {
      invalid (error, path, _("the key is not valid text of at most %d bytes"), MAX_TEXT_BYTES);
      return NULL;
    }
  for (const char *p = key; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20)
      {
        invalid (error, path, _("the key “%s” contains a double quote, a backslash or a control "
                                "character, which keys may not contain"), key);
        return NULL;
      }

  return g_strdup_printf ("$.\"%s\"", key);
}

static Node *parse_rule (JsonNode    *json,
                         const char  *path,
                         guint        depth,
                         GError     **error);

static Node *
parse_group (JsonObject  *object,
             NodeKind     kind,
             const char  *path,
             guint        depth,
             GError     **error)
{
  static const char * const all_members[] = { "all", NULL };
  static const char * const any_members[] = { "any", NULL };
  const char *member = kind == NODE_ALL ? "all" : "any";
  g_autofree char *where = member_path (path, member);
  g_autoptr(Node) node = node_new (kind, path);
  JsonNode *list = json_object_get_member (object, member);
  JsonArray *array;

  if (!check_members (object, path, _("a group"), kind == NODE_ALL ? all_members : any_members,
                      error))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      g_autofree char *value = describe (list);

      invalid (error, where, _("%s is not a list; give a list of rules in [ ]"), value);
      return NULL;
    }

  array = json_node_get_array (list);
  if (json_array_get_length (array) > MAX_CHILDREN)
    {
      invalid (error, where, _("more than %d rules in one group; split them into groups"),
               MAX_CHILDREN);
      return NULL;
    }

  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *child_path = element_path (where, i);
      Node *child = parse_rule (json_array_get_element (array, i), child_path, depth + 1, error);

      if (child == NULL)
        return NULL;
      g_ptr_array_add (node->children, child);
    }

  return g_steal_pointer (&node);
}

static Node *
parse_not (JsonObject  *object,
           const char  *path,
           guint        depth,
           GError     **error)
{
  static const char * const members[] = { "not", NULL };
  g_autofree char *where = member_path (path, "not");
  g_autoptr(Node) node = node_new (NODE_NOT, path);
  Node *child;

  if (!check_members (object, path, _("a not rule"), members, error))
    return NULL;

  child = parse_rule (json_object_get_member (object, "not"), where, depth + 1, error);
  if (child == NULL)
    return NULL;

  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_ptr_array_add (node->children, child);

  return g_steal_pointer (&node);
}

static gboolean
parse_field_name (JsonNode    *value,
                  const char  *where,
                  Node        *node,
                  GError     **error)
{
  const char *name;

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_STRING)
    {
      g_autofree char *text = value != NULL ? describe (value) : g_strdup ("nothing");

      return invalid (error, where, _("%s is not a field name; give one in double quotes"), text);
    }

  name = json_node_get_string (value);
  if (g_str_has_prefix (name, "attributes."))
    {
      node->field = FIELD_ATTRIBUTE;
      node->json_path = key_to_json_path (name + strlen ("attributes."), where, error);
      return node->json_path != NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (i != FIELD_ATTRIBUTE && strcmp (name, fields[i].name) == 0)
      {
        node->field = i;
        return TRUE;
      }

  {
    const char *names[G_N_ELEMENTS (fields)];
    g_autofree char *list = NULL;
    g_autofree char *text = describe (value);

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      names[i] = fields[i].name;
    list = join_names (names, G_N_ELEMENTS (names));

    return invalid (error, where, _("%s is not a field; use one of %s"), text, list);
  }
}

/* "US", "us-fl" → "US", "US-FL"; NULL for anything else. */
static char *
normalize_region (const char *text)
{
  g_autofree char *upper = g_ascii_strup (text, -1);
  char country[3];

  if (strlen (upper) < 2 || !g_ascii_isalpha (upper[0]) || !g_ascii_isalpha (upper[1]))
    return NULL;
  country[0] = upper[0];
  country[1] = upper[1];
  country[2] = '\0';
  if (!tc_phone_region_is_valid (country))
    return NULL;

  if (upper[2] == '\0')
    return g_steal_pointer (&upper);
  if (upper[2] != '-' || strlen (upper) < 4 || strlen (upper) > 6)
    return NULL;
  for (const char *p = upper + 3; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;

  return g_steal_pointer (&upper);
}

static gboolean
add_field_value (Node        *node,
                 JsonNode    *value,
                 const char  *where,
                 GError     **error)
{
  g_autofree char *text = get_text (value, where, TRUE, error);

  if (text == NULL)
    return FALSE;

  if (node->field == FIELD_REGION)
    {
      char *region = normalize_region (text);

      if (region == NULL)
        return invalid (error, where, _("“%s” is not a region; give a country code such as GB, "
                                        "or a US state or Canadian province such as US-FL or "
                                        "CA-ON"), text);
      g_ptr_array_add (node->values, region);
      return TRUE;
    }

  g_ptr_array_add (node->values, g_steal_pointer (&text));

  return TRUE;
}

static Node *
parse_field (JsonObject  *object,
             const char  *path,
             GError     **error)
{
  static const char * const members[] = { "field", "op", "value", NULL };
  g_autofree char *field_where = member_path (path, "field");
  g_autofree char *op_where = member_path (path, "op");
  g_autofree char *value_where = member_path (path, "value");
  g_autoptr(Node) node = node_new (NODE_FIELD, path);
  JsonNode *op_node = json_object_get_member (object, "op");
  JsonNode *value = json_object_get_member (object, "value");
  const char *op_name = NULL;
  gboolean found = FALSE;

  if (!check_members (object, path, _("a field rule"), members, error) ||
      !parse_field_name (json_object_get_member (object, "field"), field_where, node, error))
    return NULL;

  if (op_node != NULL && JSON_NODE_HOLDS_VALUE (op_node) &&
      json_node_get_value_type (op_node) == G_TYPE_STRING)
    op_name = json_node_get_string (op_node);
  for (guint i = 0; op_name != NULL && i < G_N_ELEMENTS (op_names); i++)
    if (strcmp (op_name, op_names[i]) == 0)
      {
        node->op = i;
        found = TRUE;
      }

  if (!found || (fields[node->field].ops & OP_BIT (node->op)) == 0)
    {
      const char *names[G_N_ELEMENTS (op_names)];
      g_autofree char *list = NULL;
      g_autofree char *text = op_node != NULL ? describe (op_node) : g_strdup ("nothing");

      for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
        names[i] = (fields[node->field].ops & OP_BIT (i)) != 0 ? op_names[i] : NULL;
      list = join_names (names, G_N_ELEMENTS (names));

      if (!found)
        invalid (error, op_where, _("%s is not an operator; use one of %s"), text, list);
      else
        invalid (error, op_where, _("%s does not apply to the field %s; use one of %s"), text,
                 fields[node->field].name, list);
      return NULL;
    }

  node->values = g_ptr_array_new_with_free_func (g_free);

  switch (node->op)
    {
    case OP_EMPTY:
    case OP_NOT_EMPTY:
      if (value != NULL)
        {
          invalid (error, value_where, _("the op %s takes no value; remove it"), op_name);
          return NULL;
        }
      break;

    case OP_IN:
      {
        JsonArray *array;

        if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value) ||
            json_array_get_length (json_node_get_array (value)) == 0 ||
            json_array_get_length (json_node_get_array (value)) > MAX_IN_VALUES)
          {
            g_autofree char *text = value != NULL ? describe (value) : g_strdup ("nothing");

            invalid (error, value_where, _("%s is not a list of values; the op in takes a list "
                                           "of 1 to %d strings, e.g. [\"US\", \"CA\"]"),
                     text, MAX_IN_VALUES);
            return NULL;
          }

        array = json_node_get_array (value);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *where = element_path (value_where, i);

            if (!add_field_value (node, json_array_get_element (array, i), where, error))
              return NULL;
          }
      }
      break;

    case OP_BEFORE:
    case OP_AFTER:
      {
        g_autofree char *text = get_text (value, value_where, FALSE, error);

        if (text == NULL)
          return NULL;
        if (!tc_parse_time (text, &node->time))
          {
            invalid (error, value_where, _("“%s” is not a date or time; write it in ISO 8601, "
                                           "e.g. 2026-03-01 or 2026-03-01T09:30:00Z"), text);
            return NULL;
          }
        g_ptr_array_add (node->values, g_steal_pointer (&text));
      }
      break;

    case OP_EQUALS:
    case OP_NOT_EQUALS:
    case OP_CONTAINS:
    default:
      if (!add_field_value (node, value, value_where, error))
        return NULL;
      break;
    }

  return g_steal_pointer (&node);
}

static Node *
parse_tag (JsonObject  *object,
           const char  *path,
           GError     **error)
{
  static const char * const members[] = { "tag", "has", NULL };
  g_autofree char *tag_where = member_path (path, "tag");
  g_autofree char *has_where = member_path (path, "has");
  g_autoptr(Node) node = node_new (NODE_TAG, path);
  JsonNode *has = json_object_get_member (object, "has");

  if (!check_members (object, path, _("a tag rule"), members, error))
    return NULL;

  node->name = get_text (json_object_get_member (object, "tag"), tag_where, FALSE, error);
  if (node->name == NULL)
    return NULL;

  node->positive = TRUE;
  if (has != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (has) || json_node_get_value_type (has) != G_TYPE_BOOLEAN)
        {
          g_autofree char *text = describe (has);

          invalid (error, has_where, _("%s is not true or false"), text);
          return NULL;
        }
      node->positive = json_node_get_boolean (has);
    }

  return g_steal_pointer (&node);
}

static gboolean
add_status (Node        *node,
            JsonNode    *value,
            const char  *where,
            GError     **error)
{
  const char *name = NULL;

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_STRING)
    name = json_node_get_string (value);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (name, status_names[i]) == 0)
      {
        node->statuses |= 1u << i;
        return TRUE;
      }

  {
    g_autofree char *list = join_names (status_names, G_N_ELEMENTS (status_names));
    g_autofree char *text = value != NULL ? describe (value) : g_strdup ("nothing");

    return invalid (error, where, _("%s is not a consent status; use one of %s"), text, list);
  }
}

static Node *
parse_consent (JsonObject  *object,
               const char  *path,
               GError     **error)
{
  static const char * const members[] = { "consent", "purpose", "status", NULL };
  g_autofree char *purpose_where = member_path (path, "purpose");
  g_autofree char *status_where = member_path (path, "status");
  g_autoptr(Node) node = node_new (NODE_CONSENT, path);
  JsonNode *purpose = json_object_get_member (object, "purpose");
  JsonNode *status = json_object_get_member (object, "status");

  if (!check_members (object, path, _("a consent rule"), members, error) ||
      !get_channel (object, "consent", path, TRUE, node, error))
    return NULL;

  node->purpose = TC_PURPOSE_PROMOTIONAL;
  if (purpose != NULL &&
      (!JSON_NODE_HOLDS_VALUE (purpose) || json_node_get_value_type (purpose) != G_TYPE_STRING ||
       !tc_purpose_from_string (json_node_get_string (purpose), &node->purpose)))
    {
      g_autofree char *text = describe (purpose);

      invalid (error, purpose_where, _("%s is not a purpose; use promotional or transactional"),
               text);
      return NULL;
    }

  if (status == NULL)
    node->statuses = STATUS_OPTED_IN;
  else if (JSON_NODE_HOLDS_ARRAY (status))
    {
      JsonArray *array = json_node_get_array (status);

      if (json_array_get_length (array) == 0)
        {
          invalid (error, status_where, _("the list of statuses is empty; name at least one"));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *where = element_path (status_where, i);

          if (!add_status (node, json_array_get_element (array, i), where, error))
            return NULL;
        }
    }
  else if (!add_status (node, status, status_where, error))
    return NULL;

  return g_steal_pointer (&node);
}

static Node *
parse_engagement (JsonObject  *object,
                  const char  *path,
                  GError     **error)
{
  static const char * const members[] = { "engagement", "within_days", "channel", NULL };
  g_autofree char *where = member_path (path, "engagement");
  g_autoptr(Node) node = node_new (NODE_ENGAGEMENT, path);
  JsonNode *value = json_object_get_member (object, "engagement");
  const char *name = NULL;
  gboolean found = FALSE;

  if (!check_members (object, path, _("an engagement rule"), members, error))
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    name = json_node_get_string (value);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (engagement_names); i++)
    if (strcmp (name, engagement_names[i]) == 0)
      {
        node->engagement = i;
        found = TRUE;
      }
  if (!found)
    {
      g_autofree char *list = join_names (engagement_names, G_N_ELEMENTS (engagement_names));
      g_autofree char *text = describe (value);

      invalid (error, where, _("%s is not a kind of engagement; use one of %s"), text, list);
      return NULL;
    }

  if (!get_within_days (object, path, TRUE, &node->within_days, error) ||
      !get_channel (object, "channel", path, FALSE, node, error))
    return NULL;

  if (node->engagement == ENGAGE_CLICKED && node->has_channel)
    {
      g_autofree char *channel_where = member_path (path, "channel");

      invalid (error, channel_where, _("clicks are counted on every channel together; remove "
                                       "the channel"));
      return NULL;
    }

  return g_steal_pointer (&node);
}

static gboolean
is_event_name (const char *name)
{
  if (name[0] == '\0' || strlen (name) > MAX_EVENT_NAME)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static Condition *
parse_condition (JsonNode    *json,
                 const char  *path,
                 GError     **error)
{
  static const char * const members[] = { "property", "op", "value", NULL };
  g_autofree char *property_where = member_path (path, "property");
  g_autofree char *op_where = member_path (path, "op");
  g_autofree char *value_where = member_path (path, "value");
  g_autofree char *property = NULL;
  Condition *condition;
  JsonObject *object;
  JsonNode *op;
  JsonNode *value;
  const char *op_name = NULL;
  gboolean found = FALSE;
  GType value_type;

  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      g_autofree char *text = describe (json);

      invalid (error, path, _("%s is not a condition; write {\"property\": \"value\", "
                              "\"op\": \">\", \"value\": 50}"), text);
      return NULL;
    }
  object = json_node_get_object (json);
  if (!check_members (object, path, _("a condition"), members, error))
    return NULL;

  property = get_text (json_object_get_member (object, "property"), property_where, FALSE,
                       error);
  if (property == NULL)
    return NULL;

  condition = g_new0 (Condition, 1);
  if (strcmp (property, "value") == 0)
    condition->prop = PROP_VALUE;
  else if (strcmp (property, "currency") == 0)
    condition->prop = PROP_CURRENCY;
  else if (g_str_has_prefix (property, "properties."))
    {
      condition->prop = PROP_KEY;
      condition->path = key_to_json_path (property + strlen ("properties."), property_where,
                                          error);
      if (condition->path == NULL)
        goto failed;
    }
  else
    {
      invalid (error, property_where, _("“%s” is not a property; use value, currency or "
                                        "properties.KEY, e.g. properties.sku"), property);
      goto failed;
    }

  op = json_object_get_member (object, "op");
  if (op != NULL && JSON_NODE_HOLDS_VALUE (op) && json_node_get_value_type (op) == G_TYPE_STRING)
    op_name = json_node_get_string (op);
  for (guint i = 0; op_name != NULL && i < G_N_ELEMENTS (cmp_names); i++)
    if (strcmp (op_name, cmp_names[i]) == 0)
      {
        condition->cmp = i;
        found = TRUE;
      }
  if (!found)
    {
      g_autofree char *list = join_names (cmp_names, G_N_ELEMENTS (cmp_names));
      g_autofree char *text = op != NULL ? describe (op) : g_strdup ("nothing");

      invalid (error, op_where, _("%s is not an operator; use one of %s"), text, list);
      goto failed;
    }

  value = json_object_get_member (object, "value");
  value_type = value != NULL && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value)
                                                               : G_TYPE_INVALID;
  if (value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE)
    {
      condition->numeric = TRUE;
      condition->number = json_node_get_double (value);
    }
  else if (value_type == G_TYPE_STRING)
    {
      condition->text = get_text (value, value_where, FALSE, error);
      if (condition->text == NULL)
        goto failed;
    }
  else
    {
      g_autofree char *text = value != NULL ? describe (value) : g_strdup ("nothing");

      invalid (error, value_where, _("%s is not a number or a text; give one of them"), text);
      goto failed;
    }

  if (condition->numeric && condition->cmp == CMP_CONTAINS)
    {
      invalid (error, op_where, _("contains compares text, not numbers; give the value in "
                                  "double quotes or use = or !="));
      goto failed;
    }
  if (condition->prop == PROP_VALUE && !condition->numeric)
    {
      invalid (error, value_where, _("the value of an event is a number; compare it with a "
                                     "number, e.g. 50"));
      goto failed;
    }
  if (condition->prop == PROP_CURRENCY && condition->numeric)
    {
      invalid (error, value_where, _("a currency is a code such as \"USD\", not a number"));
      goto failed;
    }

  return condition;

failed:
  condition_free (condition);
  return NULL;
}

static Node *
parse_event (JsonObject  *object,
             const char  *path,
             GError     **error)
{
  static const char * const members[] = { "event", "within_days", "did", "where", NULL };
  g_autofree char *event_where = member_path (path, "event");
  g_autofree char *did_where = member_path (path, "did");
  g_autofree char *where_where = member_path (path, "where");
  g_autoptr(Node) node = node_new (NODE_EVENT, path);
  JsonNode *did = json_object_get_member (object, "did");
  JsonNode *where = json_object_get_member (object, "where");

  if (!check_members (object, path, _("an event rule"), members, error))
    return NULL;

  node->name = get_text (json_object_get_member (object, "event"), event_where, FALSE, error);
  if (node->name == NULL)
    return NULL;
  if (!is_event_name (node->name))
    {
      invalid (error, event_where, _("“%s” is not an event name; names are 1 to %d lower-case "
                                     "letters, digits and _, e.g. order_placed"),
               node->name, MAX_EVENT_NAME);
      return NULL;
    }

  if (!get_within_days (object, path, FALSE, &node->within_days, error))
    return NULL;

  node->positive = TRUE;
  if (did != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (did) || json_node_get_value_type (did) != G_TYPE_BOOLEAN)
        {
          g_autofree char *text = describe (did);

          invalid (error, did_where, _("%s is not true or false"), text);
          return NULL;
        }
      node->positive = json_node_get_boolean (did);
    }

  node->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);
  if (where != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (where) ||
          json_array_get_length (json_node_get_array (where)) > MAX_CONDITIONS)
        {
          g_autofree char *text = describe (where);

          invalid (error, where_where, _("%s is not a list of at most %d conditions"), text,
                   MAX_CONDITIONS);
          return NULL;
        }

      array = json_node_get_array (where);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *condition_path = element_path (where_where, i);
          Condition *condition = parse_condition (json_array_get_element (array, i),
                                                  condition_path, error);

          if (condition == NULL)
            return NULL;
          g_ptr_array_add (node->conditions, condition);
        }
    }

  return g_steal_pointer (&node);
}

static Node *
parse_segment_ref (JsonObject  *object,
                   const char  *path,
                   GError     **error)
{
  static const char * const members[] = { "segment", NULL };
  g_autofree char *where = member_path (path, "segment");
  g_autoptr(Node) node = node_new (NODE_SEGMENT, where);

  if (!check_members (object, path, _("a segment rule"), members, error))
    return NULL;

  node->name = get_text (json_object_get_member (object, "segment"), where, FALSE, error);
  if (node->name == NULL)
    return NULL;
  g_strstrip (node->name);

  return g_steal_pointer (&node);
}

static const char * const rule_kinds[] = {
  "all", "any", "not", "field", "tag", "consent", "engagement", "event", "segment",
};

static Node *
parse_rule (JsonNode    *json,
            const char  *path,
            guint        depth,
            GError     **error)
{
  JsonObject *object;
  const char *kind = NULL;

  if (depth > MAX_DEPTH)
    {
      invalid (error, path, _("rules nest deeper than %d levels; flatten the groups"), MAX_DEPTH);
      return NULL;
    }

  if (json == NULL || !JSON_NODE_HOLDS_OBJECT (json))
    {
      g_autofree char *text = json != NULL ? describe (json) : g_strdup ("nothing");

      invalid (error, path, _("%s is not a rule; a rule is an object in { }, e.g. "
                              "{\"tag\": \"vip\"}"), text);
      return NULL;
    }

  object = json_node_get_object (json);
  for (guint i = 0; i < G_N_ELEMENTS (rule_kinds); i++)
    if (json_object_has_member (object, rule_kinds[i]))
      {
        if (kind != NULL)
          {
            invalid (error, path, _("a rule is one kind only, but this one has both %s and %s; "
                                    "put them in an all or any group"), kind, rule_kinds[i]);
            return NULL;
          }
        kind = rule_kinds[i];
      }

  if (kind == NULL)
    {
      g_autofree char *list = join_names (rule_kinds, G_N_ELEMENTS (rule_kinds));

      invalid (error, path, _("not a rule: give one of %s"), list);
      return NULL;
    }

  if (strcmp (kind, "all") == 0)
    return parse_group (object, NODE_ALL, path, depth, error);
  if (strcmp (kind, "any") == 0)
    return parse_group (object, NODE_ANY, path, depth, error);
  if (strcmp (kind, "not") == 0)
    return parse_not (object, path, depth, error);
  if (strcmp (kind, "field") == 0)
    return parse_field (object, path, error);
  if (strcmp (kind, "tag") == 0)
    return parse_tag (object, path, error);
  if (strcmp (kind, "consent") == 0)
    return parse_consent (object, path, error);
  if (strcmp (kind, "engagement") == 0)
    return parse_engagement (object, path, error);
  if (strcmp (kind, "event") == 0)
    return parse_event (object, path, error);

  return parse_segment_ref (object, path, error);
}

/* ------------------------------------------------------------------------
 * TcSegment
 */

G_DEFINE_BOXED_TYPE (TcSegment, tc_segment, tc_segment_ref, tc_segment_unref)

TcSegment *
tc_segment_new_from_node (JsonNode  *node,
                          GError   **error)
{
  TcSegment *segment;
  Node *root;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_rule (node, "rule", 0, error);
  if (root == NULL)
    return NULL;

  segment = g_new0 (TcSegment, 1);
  g_atomic_ref_count_init (&segment->ref_count);
  segment->root = root;
  segment->json = json_to_string (node, FALSE);

  return segment;
}

TcSegment *
tc_segment_new_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (json) > TC_SEGMENT_MAX_RULE_BYTES)
    {
      invalid (error, "rule", _("the rule is longer than %d bytes; simplify it"),
               TC_SEGMENT_MAX_RULE_BYTES);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      invalid (error, "rule", _("not valid JSON (%s); write the rule as a JSON object"),
               parse_error->message);
      return NULL;
    }
  /* Nothing but blanks parses, to nothing. */
  if (json_parser_get_root (parser) == NULL)
    {
      invalid (error, "rule", _("the rule is empty; write it as a JSON object, e.g. {\"tag\": \"vip\"}"));
      return NULL;
    }

  return tc_segment_new_from_node (json_parser_get_root (parser), error);
}

TcSegment *
tc_segment_ref (TcSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  g_atomic_ref_count_inc (&segment->ref_count);

  return segment;
}

void
tc_segment_unref (TcSegment *segment)
{
  g_return_if_fail (segment != NULL);

  if (!g_atomic_ref_count_dec (&segment->ref_count))
    return;

  node_free (segment->root);
  g_free (segment->json);
  g_free (segment);
}

const char *
tc_segment_get_json (TcSegment *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  return segment->json;
}

/* ------------------------------------------------------------------------
 * Compiling
 */

typedef enum
{
  PARAM_TEXT,
  PARAM_INT,
  PARAM_DOUBLE,
} ParamType;

typedef struct
{
  ParamType  type;
  gint64     i;
  double     d;
  char      *s;
} Param;

typedef struct
{
  TcDb      *db;        /* to resolve saved segments; NULL: refuse them */
  gint64     now;
  GString   *sql;
  GArray    *params;    /* Param */
  GPtrArray *stack;     /* names of the saved segments being expanded */
  gboolean   uses_region;
} Compiler;

static void
param_clear (Param *param)
{
  g_free (param->s);
}

static void
compiler_init (Compiler *c,
               TcDb     *db,
               gint64    now)
{
  c->db = db;
  c->now = now;
  c->sql = g_string_new (NULL);
  c->params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (c->params, (GDestroyNotify) param_clear);
  c->stack = g_ptr_array_new_with_free_func (g_free);
  c->uses_region = FALSE;
}

static void
compiler_clear (Compiler *c)
{
  g_string_free (c->sql, TRUE);
  g_array_unref (c->params);
  g_ptr_array_unref (c->stack);
}

/* Appends "?" to the SQL and @value to the parameters. */
static void
bind_text (Compiler   *c,
           const char *value)
{
  Param param = { PARAM_TEXT, 0, 0, g_strdup (value) };

  g_string_append_c (c->sql, '?');
  g_array_append_val (c->params, param);
}

static void
bind_int (Compiler *c,
          gint64    value)
{
  Param param = { PARAM_INT, value, 0, NULL };

  g_string_append_c (c->sql, '?');
  g_array_append_val (c->params, param);
}

static void
bind_double (Compiler *c,
             double    value)
{
  Param param = { PARAM_DOUBLE, 0, value, NULL };

  g_string_append_c (c->sql, '?');
  g_array_append_val (c->params, param);
}

static void
append (Compiler   *c,
        const char *sql)
{
  g_string_append (c->sql, sql);
}

static gboolean compile_node (Compiler  *c,
                              Node      *node,
                              GError   **error);

/* The text expression of a field (not created_at, timezone or region). */
static void
append_field_expr (Compiler *c,
                   Node     *node)
{
  if (node->field == FIELD_ATTRIBUTE)
    {
      append (c, "CAST(coalesce(json_extract(c.attributes, ");
      bind_text (c, node->json_path);
      append (c, "), '') AS TEXT)");
    }
  else
    append (c, fields[node->field].column);
}

static void
compile_text_field (Compiler *c,
                    Node     *node)
{
  switch (node->op)
    {
    case OP_EQUALS:
    case OP_NOT_EQUALS:
      append (c, "(");
      append_field_expr (c, node);
      append (c, node->op == OP_EQUALS ? " = " : " <> ");
      bind_text (c, g_ptr_array_index (node->values, 0));
      append (c, " COLLATE NOCASE)");
      break;

    case OP_CONTAINS:
      append (c, "(instr(lower(");
      append_field_expr (c, node);
      append (c, "), lower(");
      bind_text (c, g_ptr_array_index (node->values, 0));
      append (c, ")) > 0)");
      break;

    case OP_IN:
      append (c, "(");
      append_field_expr (c, node);
      append (c, " COLLATE NOCASE IN (");
      for (guint i = 0; i < node->values->len; i++)
        {
          if (i > 0)
            append (c, ", ");
          bind_text (c, g_ptr_array_index (node->values, i));
        }
      append (c, "))");
      break;

    case OP_BEFORE:
    case OP_AFTER:
      /* Attributes only (created_at has its own): the stored text against
       * the value as written, so ISO dates compare in time order. */
      append (c, "(");
      append_field_expr (c, node);
      append (c, " <> '' AND ");
      append_field_expr (c, node);
      append (c, node->op == OP_BEFORE ? " < " : " > ");
      bind_text (c, g_ptr_array_index (node->values, 0));
      append (c, ")");
      break;

    case OP_EMPTY:
    case OP_NOT_EMPTY:
      append (c, "(");
      append_field_expr (c, node);
      append (c, node->op == OP_EMPTY ? " = '')" : " <> '')");
      break;

    default:
      g_assert_not_reached ();
    }
}

/* One zone among the contact's space-separated zones, ignoring ASCII case. */
static void
append_has_zone (Compiler   *c,
                 const char *zone)
{
  append (c, "(instr(lower(' ' || c.timezones || ' '), lower(' ' || ");
  bind_text (c, zone);
  append (c, " || ' ')) > 0)");
}

static void
compile_timezone (Compiler *c,
                  Node     *node)
{
  switch (node->op)
    {
    case OP_EQUALS:
      append_has_zone (c, g_ptr_array_index (node->values, 0));
      break;
    case OP_NOT_EQUALS:
      append (c, "(NOT ");
      append_has_zone (c, g_ptr_array_index (node->values, 0));
      append (c, ")");
      break;
    case OP_IN:
      append (c, "(");
      for (guint i = 0; i < node->values->len; i++)
        {
          if (i > 0)
            append (c, " OR ");
          append_has_zone (c, g_ptr_array_index (node->values, i));
        }
      append (c, ")");
      break;
    case OP_CONTAINS:
    case OP_EMPTY:
    case OP_NOT_EMPTY:
      compile_text_field (c, node);
      break;
    case OP_BEFORE:
    case OP_AFTER:
    default:
      g_assert_not_reached ();
    }
}

/* The region is computed once per contact in a subquery, then compared:
 * a value "US" matches every region of the country ("US-FL"). */
static void
append_region_match (Compiler   *c,
                     const char *value)
{
  if (strchr (value, '-') != NULL)
    {
      append (c, "r = ");
      bind_text (c, value);
    }
  else
    {
      append (c, "substr(r, 1, 2) = ");
      bind_text (c, value);
    }
}

static void
compile_region (Compiler *c,
                Node     *node)
{
  c->uses_region = TRUE;
  append (c, "(SELECT ");
  switch (node->op)
    {
    case OP_EQUALS:
      append_region_match (c, g_ptr_array_index (node->values, 0));
      break;
    case OP_NOT_EQUALS:
      append (c, "NOT (");
      append_region_match (c, g_ptr_array_index (node->values, 0));
      append (c, ")");
      break;
    case OP_IN:
      for (guint i = 0; i < node->values->len; i++)
        {
          append (c, i > 0 ? " OR (" : "(");
          append_region_match (c, g_ptr_array_index (node->values, i));
          append (c, ")");
        }
      break;
    case OP_EMPTY:
      append (c, "r = ''");
      break;
    case OP_NOT_EMPTY:
      append (c, "r <> ''");
      break;
    case OP_CONTAINS:
    case OP_BEFORE:
    case OP_AFTER:
    default:
      g_assert_not_reached ();
    }
  append (c, " FROM (SELECT tc_segment_phone_region(c.phone) AS r))");
}

static void
compile_field (Compiler *c,
               Node     *node)
{
  switch (node->field)
    {
    case FIELD_CREATED_AT:
      append (c, node->op == OP_BEFORE ? "(c.created_at < " : "(c.created_at > ");
      bind_int (c, node->time);
      append (c, ")");
      break;
    case FIELD_TIMEZONE:
      compile_timezone (c, node);
      break;
    case FIELD_REGION:
      compile_region (c, node);
      break;
    case FIELD_FIRST_NAME:
    case FIELD_LAST_NAME:
    case FIELD_EMAIL:
    case FIELD_PHONE:
    case FIELD_LANGUAGE:
    case FIELD_COUNTRY:
    case FIELD_ATTRIBUTE:
    default:
      compile_text_field (c, node);
      break;
    }
}

static void
compile_tag (Compiler *c,
             Node     *node)
{
  /* "c.id IN (…)" rather than EXISTS: in an AND, SQLite can then walk
   * the tag's contacts (index contact_tags_tag) and fetch each by rowid
   * instead of scanning every contact, which is what makes a count of a
   * rule with a tag fast on a million contacts. */
  append (c, node->positive ? "c.id IN" : "c.id NOT IN");
  append (c, " (SELECT ct.contact_id FROM contact_tags ct WHERE ct.tag_id IN "
             "(SELECT t.id FROM tags t WHERE t.name = ");
  bind_text (c, node->name);
  append (c, " COLLATE NOCASE))");
}

static void
compile_consent (Compiler *c,
                 Node     *node)
{
  const char *channel = tc_channel_to_string (node->channel);
  const char *purpose = tc_purpose_to_string (node->purpose);
  guint rest = node->statuses & ~STATUS_NONE;
  gboolean first = TRUE;

  append (c, "(");
  if (rest != 0)
    {
      append (c, "EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id"
                 " AND cs.channel = ");
      bind_text (c, channel);
      append (c, " AND cs.purpose = ");
      bind_text (c, purpose);
      append (c, " AND (");
      if (rest & STATUS_OPTED_IN)
        {
          append (c, "cs.status = 'opted_in'");
          first = FALSE;
        }
      if (rest & STATUS_OPTED_OUT)
        {
          append (c, first ? "" : " OR ");
          append (c, "cs.status = 'opted_out'");
          first = FALSE;
        }
      if (rest & STATUS_PENDING)
        {
          /* As the ledger reads it: a request past its expiry is expired
           * even before the expiry sweep has written so. */
          append (c, first ? "" : " OR ");
          append (c, "(cs.status = 'pending' AND (cs.expires_at IS NULL OR cs.expires_at > ");
          bind_int (c, c->now);
          append (c, "))");
          first = FALSE;
        }
      if (rest & STATUS_EXPIRED)
        {
          append (c, first ? "" : " OR ");
          append (c, "cs.status = 'expired' OR (cs.status = 'pending' AND cs.expires_at <= ");
          bind_int (c, c->now);
          append (c, ")");
        }
      append (c, "))");
    }
  if (node->statuses & STATUS_NONE)
    {
      append (c, rest != 0 ? " OR " : "");
      append (c, "NOT EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id"
                 " AND cs.channel = ");
      bind_text (c, channel);
      append (c, " AND cs.purpose = ");
      bind_text (c, purpose);
      append (c, " AND cs.status <> 'none')");
    }
  append (c, ")");
}

static void
append_window (Compiler   *c,
               const char *column,
               gint64      within_days)
{
  append (c, " AND ");
  append (c, column);
  append (c, " BETWEEN ");
  bind_int (c, c->now - within_days * SECONDS_PER_DAY);
  append (c, " AND ");
  bind_int (c, c->now);
}

static void
compile_engagement (Compiler *c,
                    Node     *node)
{
  const char *column = NULL;

  switch (node->engagement)
    {
    case ENGAGE_RECEIVED:
      column = "o.sent_at";
      break;
    case ENGAGE_DELIVERED:
      column = "o.delivered_at";
      break;
    case ENGAGE_READ:
      column = "o.read_at";
      break;
    case ENGAGE_CLICKED:
      append (c, "EXISTS (SELECT 1 FROM short_links s JOIN link_clicks k ON k.code = s.code"
                 " WHERE s.contact_id = c.id");
      append_window (c, "k.clicked_at", node->within_days);
      append (c, ")");
      return;
    case ENGAGE_REPLIED:
      append (c, "EXISTS (SELECT 1 FROM inbound_messages i WHERE i.contact_id = c.id");
      if (node->has_channel)
        {
          append (c, " AND i.channel = ");
          bind_text (c, tc_channel_to_string (node->channel));
        }
      append_window (c, "i.received_at", node->within_days);
      append (c, ")");
      return;
    default:
      g_assert_not_reached ();
    }

  append (c, "EXISTS (SELECT 1 FROM outbox o WHERE o.contact_id = c.id");
  if (node->has_channel)
    {
      append (c, " AND o.channel = ");
      bind_text (c, tc_channel_to_string (node->channel));
    }
  append_window (c, column, node->within_days);
  append (c, ")");
}

static void
compile_condition (Compiler  *c,
                   Condition *condition)
{
  g_autofree char *expr = NULL;

  append (c, " AND ");

  if (condition->prop == PROP_VALUE)
    {
      /* Numeric only (checked when parsed). */
      if (condition->cmp == CMP_NE)
        append (c, "(e.value IS NULL OR e.value <> ");
      else
        {
          append (c, "(e.value IS NOT NULL AND e.value ");
          append (c, cmp_sql[condition->cmp]);
          append (c, " ");
        }
      bind_double (c, condition->number);
      append (c, ")");
      return;
    }

  if (condition->numeric)
    {
      /* Only a property stored as a JSON number compares with a number;
       * "!=" also matches events without it. */
      append (c, condition->cmp == CMP_NE ? "(NOT " : "(");
      append (c, "(coalesce(json_type(e.properties, ");
      bind_text (c, condition->path);
      append (c, "), '') IN ('integer', 'real') AND json_extract(e.properties, ");
      bind_text (c, condition->path);
      append (c, ") ");
      append (c, condition->cmp == CMP_NE ? "=" : cmp_sql[condition->cmp]);
      append (c, " ");
      bind_double (c, condition->number);
      append (c, "))");
      return;
    }

  /* Text: the currency column, or a property as text (a missing one is
   * empty). */
  if (condition->prop == PROP_CURRENCY)
    expr = g_strdup ("e.currency");

  append (c, "(");
  if (condition->cmp == CMP_CONTAINS)
    {
      append (c, "instr(lower(");
      if (expr != NULL)
        append (c, expr);
      else
        {
          append (c, "CAST(coalesce(json_extract(e.properties, ");
          bind_text (c, condition->path);
          append (c, "), '') AS TEXT)");
        }
      append (c, "), lower(");
      bind_text (c, condition->text);
      append (c, ")) > 0)");
      return;
    }

  if (expr != NULL)
    append (c, expr);
  else
    {
      append (c, "CAST(coalesce(json_extract(e.properties, ");
      bind_text (c, condition->path);
      append (c, "), '') AS TEXT)");
    }
  append (c, " ");
  append (c, cmp_sql[condition->cmp]);
  append (c, " ");
  bind_text (c, condition->text);
  append (c, " COLLATE NOCASE)");
}

static void
compile_event (Compiler *c,
               Node     *node)
{
  append (c, node->positive ? "EXISTS" : "NOT EXISTS");
  append (c, " (SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.name = ");
  bind_text (c, node->name);
  if (node->within_days > 0)
    append_window (c, "e.occurred_at", node->within_days);
  for (guint i = 0; i < node->conditions->len; i++)
    compile_condition (c, g_ptr_array_index (node->conditions, i));
  append (c, ")");
}

static TcSavedSegment *load_saved (TcDb        *db,
                                   const char  *name,
                                   GError     **error);

static gboolean
compile_segment_ref (Compiler  *c,
                     Node      *node,
                     GError   **error)
{
  g_autoptr(TcSavedSegment) saved = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (c->db == NULL)
    return invalid (error, node->path, _("a saved segment cannot be used here"));

  for (guint i = 0; i < c->stack->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (c->stack, i), node->name) == 0)
      {
        g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_CYCLE,
                     _("%s: the segment “%s” refers back to itself through the segments it "
                       "uses; remove one of the references"), node->path, node->name);
        return FALSE;
      }
  if (c->stack->len >= MAX_SEGMENT_NESTING)
    {
      g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_CYCLE,
                   _("%s: saved segments nest deeper than %d levels; refer to fewer segments "
                     "in a chain"), node->path, MAX_SEGMENT_NESTING);
      return FALSE;
    }

  saved = load_saved (c->db, node->name, &local_error);
  if (saved == NULL)
    {
      if (g_error_matches (local_error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND))
        g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND,
                     _("%s: there is no saved segment called “%s”; save it first or check "
                       "the name in the list of segments"), node->path, node->name);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_ptr_array_add (c->stack, g_strdup (saved->name));
  append (c, "(");
  ok = compile_node (c, saved->segment->root, error);
  append (c, ")");
  g_ptr_array_remove_index (c->stack, c->stack->len - 1);

  return ok;
}

static gboolean
compile_node (Compiler  *c,
              Node      *node,
              GError   **error)
{
  switch (node->kind)
    {
    case NODE_ALL:
    case NODE_ANY:
      if (node->children->len == 0)
        {
          append (c, node->kind == NODE_ALL ? "1" : "0");
          return TRUE;
        }
      append (c, "(");
      for (guint i = 0; i < node->children->len; i++)
        {
          if (i > 0)
            append (c, node->kind == NODE_ALL ? " AND " : " OR ");
          if (!compile_node (c, g_ptr_array_index (node->children, i), error))
            return FALSE;
        }
      append (c, ")");
      return TRUE;

    case NODE_NOT:
      /* Every fragment is 0 or 1, never NULL, so NOT is exact. */
      append (c, "(NOT ");
      if (!compile_node (c, g_ptr_array_index (node->children, 0), error))
        return FALSE;
      append (c, ")");
      return TRUE;

    case NODE_FIELD:
      compile_field (c, node);
      return TRUE;
    case NODE_TAG:
      compile_tag (c, node);
      return TRUE;
    case NODE_CONSENT:
      compile_consent (c, node);
      return TRUE;
    case NODE_ENGAGEMENT:
      compile_engagement (c, node);
      return TRUE;
    case NODE_EVENT:
      compile_event (c, node);
      return TRUE;
    case NODE_SEGMENT:
      return compile_segment_ref (c, node, error);
    default:
      g_assert_not_reached ();
    }
}

/* tc_segment_phone_region (phone): "US-FL", "CA-ON", "GB", or "" for a
 * number libphonenumber cannot read. */
static void
phone_region_func (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  const char *phone = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(TcPhoneInfo) info = NULL;
  g_autofree char *subdivision = NULL;
  g_autofree char *region = NULL;

  if (phone == NULL || phone[0] == '\0')
    {
      sqlite3_result_text (context, "", 0, SQLITE_STATIC);
      return;
    }

  info = tc_phone_parse (phone, NULL, TC_PHONE_PARSE_LOCATION, NULL);
  if (info == NULL || info->region == NULL)
    {
      sqlite3_result_text (context, "", 0, SQLITE_STATIC);
      return;
    }

  subdivision = tc_phone_subdivision (info->region, info->location);
  region = subdivision != NULL ? g_strdup_printf ("%s-%s", info->region, subdivision)
                               : g_strdup (info->region);
  sqlite3_result_text (context, region, -1, SQLITE_TRANSIENT);
}

/* Registers tc_segment_phone_region() on the connection the first time a
 * rule needs it. Registering again would expire every cached statement of
 * the connection, so it is done only when the function is missing. */
static gboolean
ensure_region_function (TcDb    *db,
                        GError **error)
{
  sqlite3 *handle = _tc_db_get_handle (db);
  sqlite3_stmt *probe = NULL;

  if (sqlite3_prepare_v2 (handle, "SELECT tc_segment_phone_region('')", -1, &probe,
                          NULL) == SQLITE_OK)
    {
      sqlite3_finalize (probe);
      return TRUE;
    }

  if (sqlite3_create_function (handle, "tc_segment_phone_region", 1,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, phone_region_func,
                               NULL, NULL) != SQLITE_OK)
    return _tc_db_set_error (db, error, "Cannot prepare the region of phone numbers");

  return TRUE;
}

static int
on_progress_cb (void *user_data)
{
  /* Non-zero interrupts the statement (SQLITE_INTERRUPT). */
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data)) ? 1 : 0;
}

/* Prepares "@head WHERE (rule) @tail" and binds everything; @extra (if
 * not NULL) is bound to the last parameter, which @tail names. */
static sqlite3_stmt *
prepare_query (TcDb         *db,
               TcSegment    *segment,
               gint64        now,
               const char   *head,
               const char   *tail,
               const gint64 *extra,
               GError      **error)
{
  Compiler c;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) sql = g_string_new (head);
  int rc;

  compiler_init (&c, db, now != 0 ? now : g_get_real_time () / G_USEC_PER_SEC);
  if (!compile_node (&c, segment->root, error))
    goto out;

  if (c.uses_region && !ensure_region_function (db, error))
    goto out;

  g_string_append (sql, " WHERE ");
  g_string_append_len (sql, c.sql->str, c.sql->len);
  g_string_append (sql, tail);

  rc = sqlite3_prepare_v2 (_tc_db_get_handle (db), sql->str, (int) sql->len, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _tc_db_set_error (db, error, "Cannot prepare the segment query");
      goto out;
    }

  for (guint i = 0; i < c.params->len; i++)
    {
      Param *param = &g_array_index (c.params, Param, i);
      int index = (int) i + 1;

      switch (param->type)
        {
        case PARAM_TEXT:
          sqlite3_bind_text (stmt, index, param->s, -1, SQLITE_TRANSIENT);
          break;
        case PARAM_INT:
          sqlite3_bind_int64 (stmt, index, param->i);
          break;
        case PARAM_DOUBLE:
          sqlite3_bind_double (stmt, index, param->d);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (extra != NULL)
    sqlite3_bind_int64 (stmt, (int) c.params->len + 1, *extra);

out:
  compiler_clear (&c);
  return stmt;
}

/* Steps @stmt to its end, calling @row_func for each row (stop when it
 * returns FALSE). Cancelling @cancellable interrupts a long step. */
static gboolean
run_query (TcDb          *db,
           sqlite3_stmt  *stmt,
           GCancellable  *cancellable,
           gboolean     (*row_func) (sqlite3_stmt *stmt, gpointer user_data),
           gpointer       user_data,
           GError       **error)
{
  sqlite3 *handle = _tc_db_get_handle (db);
  gboolean ok = TRUE;
  int rc;

  if (cancellable != NULL)
    sqlite3_progress_handler (handle, 10000, on_progress_cb, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!row_func (stmt, user_data))
      {
        rc = SQLITE_DONE;
        break;
      }

  if (cancellable != NULL)
    sqlite3_progress_handler (handle, 0, NULL, NULL);

  if (rc == SQLITE_INTERRUPT || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (rc == SQLITE_INTERRUPT)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
      ok = FALSE;
    }
  else if (rc != SQLITE_DONE)
    ok = _tc_db_set_error (db, error, "Cannot run the segment query");

  sqlite3_finalize (stmt);

  return ok;
}

static gboolean
count_row (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  gint64 n = sqlite3_column_int64 (stmt, 0);

  *(guint *) user_data = (guint) CLAMP (n, 0, G_MAXUINT);

  return TRUE;
}

static gboolean
count_in_job (TcDb          *db,
              TcSegment     *segment,
              gint64         now,
              GCancellable  *cancellable,
              guint         *n_contacts,
              GError       **error)
{
  sqlite3_stmt *stmt;

  *n_contacts = 0;
  stmt = prepare_query (db, segment, now, "SELECT count(*) FROM contacts c", "", NULL, error);
  if (stmt == NULL)
    return FALSE;

  return run_query (db, stmt, cancellable, count_row, n_contacts, error);
}

gboolean
_tc_db_segment_count (TcDb       *db,
                      TcSegment  *segment,
                      gint64      now,
                      guint      *n_contacts,
                      GError    **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (segment != NULL, FALSE);
  g_return_val_if_fail (n_contacts != NULL, FALSE);

  return count_in_job (db, segment, now, NULL, n_contacts, error);
}

typedef struct
{
  TcSegmentContactFunc  func;
  gpointer              user_data;
} ForeachData;

static gboolean
foreach_row (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  ForeachData *data = user_data;

  return data->func (sqlite3_column_int64 (stmt, 0), data->user_data);
}

gboolean
_tc_db_segment_foreach (TcDb                  *db,
                        TcSegment             *segment,
                        gint64                 now,
                        gint64                 after_id,
                        TcSegmentContactFunc   func,
                        gpointer               user_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  ForeachData data = { func, user_data };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (segment != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = prepare_query (db, segment, now, "SELECT c.id FROM contacts c",
                        " AND c.id > ? ORDER BY c.id", &after_id, error);
  if (stmt == NULL)
    return FALSE;

  return run_query (db, stmt, cancellable, foreach_row, &data, error);
}

static gboolean
collect_id_row (sqlite3_stmt *stmt,
                gpointer      user_data)
{
  gint64 id = sqlite3_column_int64 (stmt, 0);

  g_array_append_val ((GArray *) user_data, id);

  return TRUE;
}

static GPtrArray *
preview_in_job (TcDb          *db,
                TcSegment     *segment,
                gint64         now,
                guint          limit,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 extra = limit;
  sqlite3_stmt *stmt;

  stmt = prepare_query (db, segment, now, "SELECT c.id FROM contacts c",
                        " ORDER BY c.sort_key LIMIT ?", &extra, error);
  if (stmt == NULL || !run_query (db, stmt, cancellable, collect_id_row, ids, error))
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      TcContact *contact = _tc_db_load_contact (db, g_array_index (ids, gint64, i), error);

      if (contact == NULL)
        return NULL;
      g_ptr_array_add (contacts, contact);
    }

  return g_steal_pointer (&contacts);
}

/* ------------------------------------------------------------------------
 * Saved segments, worker side
 */

G_DEFINE_BOXED_TYPE (TcSavedSegment, tc_saved_segment, tc_saved_segment_copy,
                     tc_saved_segment_free)

TcSavedSegment *
tc_saved_segment_copy (const TcSavedSegment *saved)
{
  TcSavedSegment *copy;

  g_return_val_if_fail (saved != NULL, NULL);

  copy = g_new0 (TcSavedSegment, 1);
  copy->id = saved->id;
  copy->name = g_strdup (saved->name);
  copy->segment = saved->segment != NULL ? tc_segment_ref (saved->segment) : NULL;
  copy->created_at = saved->created_at;
  copy->updated_at = saved->updated_at;

  return copy;
}

void
tc_saved_segment_free (TcSavedSegment *saved)
{
  if (saved == NULL)
    return;

  g_free (saved->name);
  g_clear_pointer (&saved->segment, tc_segment_unref);
  g_free (saved);
}

void
tc_saved_segment_build_json (const TcSavedSegment *saved,
                             JsonBuilder          *builder)
{
  g_autoptr(JsonNode) rule = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;

  g_return_if_fail (saved != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  rule = json_from_string (tc_segment_get_json (saved->segment), NULL);
  created = tc_format_iso8601_utc (saved->created_at);
  updated = tc_format_iso8601_utc (saved->updated_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, saved->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, saved->name);
  json_builder_set_member_name (builder, "rule");
  if (rule != NULL)
    json_builder_add_value (builder, g_steal_pointer (&rule));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, updated);
  json_builder_end_object (builder);
}

#define SAVED_COLUMNS "id, name, rule, created_at, updated_at"

static TcSavedSegment *
saved_from_row (sqlite3_stmt  *stmt,
                GError       **error)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  const char *rule = (const char *) sqlite3_column_text (stmt, 2);
  g_autoptr(GError) rule_error = NULL;
  TcSavedSegment *saved;
  TcSegment *segment;

  segment = tc_segment_new_from_json (rule != NULL ? rule : "", &rule_error);
  if (segment == NULL)
    {
      g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_RULE,
                   _("The saved segment “%s” has a rule Textcast cannot read (%s); save it "
                     "again with a valid rule"), name != NULL ? name : "", rule_error->message);
      return NULL;
    }

  saved = g_new0 (TcSavedSegment, 1);
  saved->id = sqlite3_column_int64 (stmt, 0);
  saved->name = g_strdup (name != NULL ? name : "");
  saved->segment = segment;
  saved->created_at = sqlite3_column_int64 (stmt, 3);
  saved->updated_at = sqlite3_column_int64 (stmt, 4);

  return saved;
}

static TcSavedSegment *
load_saved (TcDb        *db,
            const char  *name,
            GError     **error)
{
  TcSavedSegment *saved = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _tc_db_prepare (db, "SELECT " SAVED_COLUMNS " FROM segments WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    saved = saved_from_row (stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND,
                 _("There is no segment called “%s”; the list of segments shows their names"),
                 name);
  else
    _tc_db_set_error (db, error, "Cannot read the segment");
  sqlite3_reset (stmt);

  return saved;
}

TcSavedSegment *
_tc_db_segment_load (TcDb        *db,
                     const char  *name,
                     GError     **error)
{
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return load_saved (db, name, error);
}

/* A name as stored: trimmed, 1 to TC_SEGMENT_MAX_NAME_CHARS characters
 * of valid text without control characters. */
static char *
check_name (const char  *name,
            GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME,
                           _("The segment name is not valid UTF-8 text"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME,
                           _("A segment needs a name, e.g. “Recent buyers”"));
      return NULL;
    }
  if (g_utf8_strlen (trimmed, -1) > TC_SEGMENT_MAX_NAME_CHARS)
    {
      g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME,
                   _("The segment name “%s” is longer than %d characters; shorten it"), trimmed,
                   TC_SEGMENT_MAX_NAME_CHARS);
      return NULL;
    }
  for (const char *p = trimmed; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_INVALID_NAME,
                             _("The segment name contains a control character (such as a line "
                               "break); use plain text"));
        return NULL;
      }

  return g_steal_pointer (&trimmed);
}

/* The id of the segment called @name (any case), 0 when there is none. */
static gboolean
find_id (TcDb        *db,
         const char  *name,
         gint64      *id,
         char       **stored_name,
         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *id = 0;
  stmt = _tc_db_prepare (db, "SELECT id, name FROM segments WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      if (stored_name != NULL)
        *stored_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _tc_db_set_error (db, error, "Cannot read the segments");

  return TRUE;
}

static gboolean
name_taken (const char  *name,
            const char  *existing,
            GError     **error)
{
  g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NAME_TAKEN,
               _("A segment called “%s” exists already; choose another name or change that "
                 "segment"), existing != NULL ? existing : name);

  return FALSE;
}

/* Checks that every saved segment @segment refers to exists and that none
 * leads back to @own_names (the segment being saved). */
static gboolean
check_references (TcDb                *db,
                  TcSegment           *segment,
                  const char * const  *own_names,
                  GError             **error)
{
  Compiler c;
  gboolean ok;

  compiler_init (&c, db, 1);
  for (guint i = 0; own_names[i] != NULL; i++)
    g_ptr_array_add (c.stack, g_strdup (own_names[i]));
  ok = compile_node (&c, segment->root, error);
  compiler_clear (&c);

  return ok;
}

typedef struct
{
  char      *name;
  char      *new_name;
  TcSegment *segment;
  gint64     now;
  guint      limit;
} JobData;

static void
job_data_free (JobData *data)
{
  g_free (data->name);
  g_free (data->new_name);
  g_clear_pointer (&data->segment, tc_segment_unref);
  g_free (data);
}

static gpointer
add_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  JobData *data = job_data;
  const char * const own_names[] = { data->name, NULL };
  g_autofree char *existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!find_id (db, data->name, &id, &existing, error))
    return NULL;
  if (id != 0)
    {
      name_taken (data->name, existing, error);
      return NULL;
    }
  if (!check_references (db, data->segment, own_names, error))
    return NULL;

  stmt = _tc_db_prepare (db,
                         "INSERT INTO segments (name, rule, created_at, updated_at)"
                         " VALUES (?1, ?2, ?3, ?3)",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, data->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, tc_segment_get_json (data->segment), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot save the segment");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  id = sqlite3_last_insert_rowid (_tc_db_get_handle (db));

  return g_memdup2 (&id, sizeof id);
}

static gpointer
update_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  JobData *data = job_data;
  g_autoptr(TcSavedSegment) saved = NULL;
  const char *new_name = data->new_name != NULL ? data->new_name : NULL;
  sqlite3_stmt *stmt;

  saved = load_saved (db, data->name, error);
  if (saved == NULL)
    return NULL;

  if (new_name != NULL)
    {
      g_autofree char *existing = NULL;
      gint64 other = 0;

      if (!find_id (db, new_name, &other, &existing, error))
        return NULL;
      if (other != 0 && other != saved->id)
        {
          name_taken (new_name, existing, error);
          return NULL;
        }
    }

  if (data->segment != NULL)
    {
      const char * const own_names[] = {
        saved->name, new_name != NULL ? new_name : saved->name, NULL
      };

      if (!check_references (db, data->segment, own_names, error))
        return NULL;
    }

  stmt = _tc_db_prepare (db,
                         "UPDATE segments SET name = ?2, rule = ?3, updated_at = ?4 WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, saved->id);
  sqlite3_bind_text (stmt, 2, new_name != NULL ? new_name : saved->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3,
                     tc_segment_get_json (data->segment != NULL ? data->segment : saved->segment),
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot change the segment");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return GINT_TO_POINTER (1);
}

static gpointer
get_job (TcDb          *db,
         gpointer       job_data,
         GCancellable  *cancellable,
         GError       **error)
{
  JobData *data = job_data;

  return load_saved (db, data->name, error);
}

static gpointer
list_job (TcDb          *db,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_saved_segment_free);
  stmt = _tc_db_prepare (db,
                         "SELECT " SAVED_COLUMNS " FROM segments ORDER BY name COLLATE NOCASE, id",
                         error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TcSavedSegment *saved = saved_from_row (stmt, error);

      if (saved == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, saved);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot list the segments");
      return NULL;
    }

  return g_steal_pointer (&list);
}

static gpointer
delete_job (TcDb          *db,
            gpointer       job_data,
            GCancellable  *cancellable,
            GError       **error)
{
  JobData *data = job_data;
  sqlite3_stmt *stmt;

  stmt = _tc_db_prepare (db, "DELETE FROM segments WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, data->name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _tc_db_set_error (db, error, "Cannot delete the segment");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (sqlite3_changes (_tc_db_get_handle (db)) == 0)
    {
      g_set_error (error, TC_SEGMENT_ERROR, TC_SEGMENT_ERROR_NOT_FOUND,
                   _("There is no segment called “%s”; the list of segments shows their names"),
                   data->name);
      return NULL;
    }

  return GINT_TO_POINTER (1);
}

static gpointer
count_job (TcDb          *db,
           gpointer       job_data,
           GCancellable  *cancellable,
           GError       **error)
{
  JobData *data = job_data;
  guint n_contacts = 0;

  if (!count_in_job (db, data->segment, data->now, cancellable, &n_contacts, error))
    return NULL;

  return g_memdup2 (&n_contacts, sizeof n_contacts);
}

static gpointer
preview_job (TcDb          *db,
             gpointer       job_data,
             GCancellable  *cancellable,
             GError       **error)
{
  JobData *data = job_data;

  return preview_in_job (db, data->segment, data->now, data->limit, cancellable, error);
}

/* ------------------------------------------------------------------------
 * Main-thread side
 */

static void
on_job_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDestroyNotify free_func = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value;

  value = _tc_repository_run_finish (TC_REPOSITORY (object), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else if (free_func == NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, value, free_func);
}

static void
run_job (TcRepository        *repository,
         gpointer             source_tag,
         TcDbJobKind          kind,
         TcDbJobFunc          func,
         JobData             *data,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (repository, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, result_free, NULL);
  if (kind == TC_DB_JOB_WRITE)
    /* A committed change is reported as done even if cancelled meanwhile. */
    g_task_set_check_cancellable (task, FALSE);

  /* No "contacts-changed": segments change no contact. */
  _tc_repository_run_async_full (repository, kind, func, data, (GDestroyNotify) job_data_free,
                                 result_free, FALSE, cancellable, on_job_done_cb, task);
}

static void
return_error (TcRepository        *repository,
              gpointer             source_tag,
              GError              *error,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (repository, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, error);
}

static JobData *
job_data_new (const char *name,
              TcSegment  *segment)
{
  JobData *data = g_new0 (JobData, 1);

  data->name = g_strdup (name);
  data->segment = segment != NULL ? tc_segment_ref (segment) : NULL;

  return data;
}

static gboolean
check_finish (TcRepository *repository,
              GAsyncResult *result,
              gpointer      source_tag)
{
  return g_task_is_valid (result, repository) &&
         g_task_get_source_tag (G_TASK (result)) == source_tag;
}

void
tc_segment_count_async (TcRepository        *repository,
                        TcSegment           *segment,
                        gint64               now,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (segment != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new (NULL, segment);
  data->now = now;
  run_job (repository, tc_segment_count_async, TC_DB_JOB_READ, count_job, data, g_free,
           cancellable, callback, user_data);
}

gboolean
tc_segment_count_finish (TcRepository  *repository,
                         GAsyncResult  *result,
                         guint         *n_contacts,
                         GError       **error)
{
  g_autofree guint *count = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_count_async), FALSE);

  count = g_task_propagate_pointer (G_TASK (result), error);
  if (n_contacts != NULL)
    *n_contacts = count != NULL ? *count : 0;

  return count != NULL;
}

void
tc_segment_preview_async (TcRepository        *repository,
                          TcSegment           *segment,
                          gint64               now,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (segment != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new (NULL, segment);
  data->now = now;
  data->limit = limit;
  run_job (repository, tc_segment_preview_async, TC_DB_JOB_READ, preview_job, data,
           (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
tc_segment_preview_finish (TcRepository  *repository,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_preview_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_segment_store_add_async (TcRepository        *repository,
                            const char          *name,
                            TcSegment           *segment,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GError *error = NULL;
  g_autofree char *checked = NULL;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (name != NULL);
  g_return_if_fail (segment != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  checked = check_name (name, &error);
  if (checked == NULL)
    {
      return_error (repository, tc_segment_store_add_async, error, callback, user_data);
      return;
    }

  run_job (repository, tc_segment_store_add_async, TC_DB_JOB_WRITE, add_job,
           job_data_new (checked, segment), g_free, cancellable, callback, user_data);
}

gint64
tc_segment_store_add_finish (TcRepository  *repository,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (TC_IS_REPOSITORY (repository), 0);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_store_add_async), 0);

  id = g_task_propagate_pointer (G_TASK (result), error);

  return id != NULL ? *id : 0;
}

void
tc_segment_store_update_async (TcRepository        *repository,
                               const char          *name,
                               const char          *new_name,
                               TcSegment           *segment,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GError *error = NULL;
  g_autofree char *checked = NULL;
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (new_name != NULL)
    {
      checked = check_name (new_name, &error);
      if (checked == NULL)
        {
          return_error (repository, tc_segment_store_update_async, error, callback, user_data);
          return;
        }
    }

  data = job_data_new (name, segment);
  g_strstrip (data->name);
  data->new_name = g_steal_pointer (&checked);
  run_job (repository, tc_segment_store_update_async, TC_DB_JOB_WRITE, update_job, data, NULL,
           cancellable, callback, user_data);
}

gboolean
tc_segment_store_update_finish (TcRepository  *repository,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_store_update_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tc_segment_store_get_async (TcRepository        *repository,
                            const char          *name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new (name, NULL);
  g_strstrip (data->name);
  run_job (repository, tc_segment_store_get_async, TC_DB_JOB_READ, get_job, data,
           (GDestroyNotify) tc_saved_segment_free, cancellable, callback, user_data);
}

TcSavedSegment *
tc_segment_store_get_finish (TcRepository  *repository,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_store_get_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_segment_store_list_async (TcRepository        *repository,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_job (repository, tc_segment_store_list_async, TC_DB_JOB_READ, list_job,
           job_data_new (NULL, NULL), (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
           user_data);
}

GPtrArray *
tc_segment_store_list_finish (TcRepository  *repository,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_store_list_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tc_segment_store_delete_async (TcRepository        *repository,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  JobData *data;

  g_return_if_fail (TC_IS_REPOSITORY (repository));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = job_data_new (name, NULL);
  g_strstrip (data->name);
  run_job (repository, tc_segment_store_delete_async, TC_DB_JOB_WRITE, delete_job, data, NULL,
           cancellable, callback, user_data);
}

gboolean
tc_segment_store_delete_finish (TcRepository  *repository,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TC_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (check_finish (repository, result, tc_segment_store_delete_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
