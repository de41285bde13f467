/* tc-segment-rows.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-segment-rows"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tc-segment-rows.h"

TcSegmentRow *
tc_segment_row_new (TcSegmentRowKind kind)
{
  TcSegmentRow *row = g_new0 (TcSegmentRow, 1);

  row->kind = kind;
  if (kind == TC_SEGMENT_ROW_GROUP)
    row->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);

  return row;
}

void
tc_segment_row_free (TcSegmentRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->op);
  g_free (row->value);
  g_free (row->purpose);
  g_free (row->status);
  g_free (row->channel);
  g_free (row->property);
  g_clear_pointer (&row->children, g_ptr_array_unref);
  g_free (row);
}

gboolean
tc_segment_op_takes_value (const char *op)
{
  return op != NULL && g_strcmp0 (op, "empty") != 0 && g_strcmp0 (op, "not_empty") != 0;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

/* A value that reads wholly as a number is a number. */
static void
add_scalar (JsonBuilder *builder,
            const char  *text)
{
  g_autofree char *value = trimmed (text);
  char *end = NULL;
  gint64 n;
  double d;

  if (*value != '\0')
    {
      n = g_ascii_strtoll (value, &end, 10);
      if (*end == '\0')
        {
          json_builder_add_int_value (builder, n);
          return;
        }
      d = g_ascii_strtod (value, &end);
      if (*end == '\0' && isfinite (d))
        {
          json_builder_add_double_value (builder, d);
          return;
        }
    }
  json_builder_add_string_value (builder, value);
}

/* Adds one condition, or returns FALSE with @message (without the place). */
static gboolean
build_condition (JsonBuilder        *builder,
                 const TcSegmentRow *row,
                 char              **message)
{
  g_autofree char *name = trimmed (row->name);

  switch (row->kind)
    {
    case TC_SEGMENT_ROW_FIELD:
    case TC_SEGMENT_ROW_ATTRIBUTE:
      if (*name == '\0')
        {
          *message = g_strdup (row->kind == TC_SEGMENT_ROW_FIELD
                               ? _("choose a field")
                               : _("enter the attribute’s name"));
          return FALSE;
        }
      if (row->op == NULL || *row->op == '\0')
        {
          *message = g_strdup (_("choose how to compare"));
          return FALSE;
        }
      if (tc_segment_op_takes_value (row->op) && is_blank (row->value))
        {
          *message = g_strdup (_("enter a value"));
          return FALSE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      if (row->kind == TC_SEGMENT_ROW_ATTRIBUTE)
        {
          g_autofree char *field = g_strconcat ("attributes.", name, NULL);
          json_builder_add_string_value (builder, field);
        }
      else
        json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, row->op);
      if (g_strcmp0 (row->op, "in") == 0)
        {
          g_auto(GStrv) parts = g_strsplit (row->value, ",", -1);

          json_builder_set_member_name (builder, "value");
          json_builder_begin_array (builder);
          for (guint i = 0; parts[i] != NULL; i++)
            {
              g_strstrip (parts[i]);
              if (*parts[i] != '\0')
                json_builder_add_string_value (builder, parts[i]);
            }
          json_builder_end_array (builder);
        }
      else if (tc_segment_op_takes_value (row->op))
        {
          g_autofree char *value = trimmed (row->value);

          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
      return TRUE;

    case TC_SEGMENT_ROW_TAG:
      if (*name == '\0')
        {
          *message = g_strdup (_("enter a tag"));
          return FALSE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "tag");
      json_builder_add_string_value (builder, name);
      if (row->negated)
        {
          json_builder_set_member_name (builder, "has");
          json_builder_add_boolean_value (builder, FALSE);
        }
      json_builder_end_object (builder);
      return TRUE;

    case TC_SEGMENT_ROW_CONSENT:
      if (*name == '\0' || is_blank (row->purpose) || is_blank (row->status))
        {
          *message = g_strdup (_("choose a channel, a purpose and a status"));
          return FALSE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "consent");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "purpose");
      json_builder_add_string_value (builder, row->purpose);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, row->status);
      json_builder_end_object (builder);
      return TRUE;

    case TC_SEGMENT_ROW_ENGAGEMENT:
      if (*name == '\0')
        {
          *message = g_strdup (_("choose what they did"));
          return FALSE;
        }
      if (row->within_days == 0)
        {
          *message = g_strdup (_("enter a number of days of at least 1"));
          return FALSE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "engagement");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "within_days");
      json_builder_add_int_value (builder, row->within_days);
      if (!is_blank (row->channel))
        {
          json_builder_set_member_name (builder, "channel");
          json_builder_add_string_value (builder, row->channel);
        }
      json_builder_end_object (builder);
      return TRUE;

    case TC_SEGMENT_ROW_EVENT:
      if (*name == '\0')
        {
          *message = g_strdup (_("enter the event’s name, such as order_placed"));
          return FALSE;
        }
      if (!is_blank (row->property)
          && (row->op == NULL || *row->op == '\0' || is_blank (row->value)))
        {
          *message = g_strdup (_("complete the property condition, or clear its property"));
          return FALSE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, name);
      if (row->negated)
        {
          json_builder_set_member_name (builder, "did");
          json_builder_add_boolean_value (builder, FALSE);
        }
      if (row->within_days > 0)
        {
          json_builder_set_member_name (builder, "within_days");
          json_builder_add_int_value (builder, row->within_days);
        }
      if (!is_blank (row->property))
        {
          g_autofree char *property = trimmed (row->property);

          json_builder_set_member_name (builder, "where");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "property");
          json_builder_add_string_value (builder, property);
          json_builder_set_member_name (builder, "op");
          json_builder_add_string_value (builder, row->op);
          json_builder_set_member_name (builder, "value");
          add_scalar (builder, row->value);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
      return TRUE;

    case TC_SEGMENT_ROW_GROUP:
    default:
      g_assert_not_reached ();
    }
}

char *
tc_segment_rows_to_json (gboolean    any,
                         GPtrArray  *rows,
                         char      **message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (rows != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, any ? "any" : "all");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const TcSegmentRow *row = g_ptr_array_index (rows, i);
      g_autofree char *problem = NULL;

      if (row->kind == TC_SEGMENT_ROW_GROUP)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, row->any ? "any" : "all");
          json_builder_begin_array (builder);
          for (guint j = 0; j < row->children->len; j++)
            {
              const TcSegmentRow *child = g_ptr_array_index (row->children, j);

              if (child->kind == TC_SEGMENT_ROW_GROUP)
                {
                  if (message != NULL)
                    /* Translators: %u is a number, counting from 1 */
                    *message = g_strdup_printf (_("Group %u, condition %u: a group cannot hold another group."),
                                                i + 1, j + 1);
                  return NULL;
                }
              if (!build_condition (builder, child, &problem))
                {
                  if (message != NULL)
                    /* Translators: the last %s is a problem such as “enter a tag” */
                    *message = g_strdup_printf (_("Group %u, condition %u: %s."),
                                                i + 1, j + 1, problem);
                  return NULL;
                }
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else if (!build_condition (builder, row, &problem))
        {
          if (message != NULL)
            /* Translators: %s is a problem such as “enter a tag” */
            *message = g_strdup_printf (_("Condition %u: %s."), i + 1, problem);
          return NULL;
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------
 * From JSON
 */

static gboolean
only_members (JsonObject         *object,
              const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return FALSE;

  return TRUE;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* -1: absent; 0/1; -2: not a boolean */
static int
bool_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return -1;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -2;

  return json_node_get_boolean (node) ? 1 : 0;
}

/* 0: absent; -1: not a whole number from 1 on; else the number */
static gint64
days_member (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "within_days");

  if (node == NULL)
    return 0;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 1 || json_node_get_int (node) > G_MAXINT)
    return -1;

  return json_node_get_int (node);
}

static char *
scalar_text (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }

  return NULL;
}

static TcSegmentRow *
condition_from_node (JsonNode *node)
{
  static const char * const field_members[] = { "field", "op", "value", NULL };
  static const char * const tag_members[] = { "tag", "has", NULL };
  static const char * const consent_members[] = { "consent", "purpose", "status", NULL };
  static const char * const engagement_members[] = { "engagement", "within_days", "channel", NULL };
  static const char * const event_members[] = { "event", "did", "within_days", "where", NULL };
  static const char * const where_members[] = { "property", "op", "value", NULL };
  g_autoptr(TcSegmentRow) row = NULL;
  JsonObject *object;
  const char *text;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  if ((text = string_member (object, "field")) != NULL)
    {
      const char *op = string_member (object, "op");
      JsonNode *value = json_object_get_member (object, "value");

      if (!only_members (object, field_members) || op == NULL)
        return NULL;
      if (g_str_has_prefix (text, "attributes."))
        {
          row = tc_segment_row_new (TC_SEGMENT_ROW_ATTRIBUTE);
          row->name = g_strdup (text + strlen ("attributes."));
        }
      else
        {
          row = tc_segment_row_new (TC_SEGMENT_ROW_FIELD);
          row->name = g_strdup (text);
        }
      row->op = g_strdup (op);
      if (g_strcmp0 (op, "in") == 0)
        {
          g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
          g_auto(GStrv) strv = NULL;
          JsonArray *array;

          if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
            return NULL;
          array = json_node_get_array (value);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              /* A comma inside a value would not come back the same. */
              if (!JSON_NODE_HOLDS_VALUE (item)
                  || json_node_get_value_type (item) != G_TYPE_STRING
                  || strchr (json_node_get_string (item), ',') != NULL)
                return NULL;
              g_strv_builder_add (parts, json_node_get_string (item));
            }
          strv = g_strv_builder_end (parts);
          row->value = g_strjoinv (", ", strv);
        }
      else if (tc_segment_op_takes_value (op))
        {
          if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_STRING)
            return NULL;
          row->value = g_strdup (json_node_get_string (value));
        }
      else if (value != NULL)
        return NULL;
    }
  else if ((text = string_member (object, "tag")) != NULL)
    {
      int has = bool_member (object, "has");

      if (!only_members (object, tag_members) || has == -2)
        return NULL;
      row = tc_segment_row_new (TC_SEGMENT_ROW_TAG);
      row->name = g_strdup (text);
      row->negated = has == 0;
    }
  else if ((text = string_member (object, "consent")) != NULL)
    {
      const char *purpose = string_member (object, "purpose");
      const char *status = string_member (object, "status");

      if (!only_members (object, consent_members)
          || (json_object_has_member (object, "purpose") && purpose == NULL)
          || (json_object_has_member (object, "status") && status == NULL))
        return NULL;
      row = tc_segment_row_new (TC_SEGMENT_ROW_CONSENT);
      row->name = g_strdup (text);
      row->purpose = g_strdup (purpose != NULL ? purpose : "promotional");
      row->status = g_strdup (status != NULL ? status : "opted_in");
    }
  else if ((text = string_member (object, "engagement")) != NULL)
    {
      gint64 days = days_member (object);
      const char *channel = string_member (object, "channel");

      if (!only_members (object, engagement_members) || days <= 0
          || (json_object_has_member (object, "channel") && channel == NULL))
        return NULL;
      row = tc_segment_row_new (TC_SEGMENT_ROW_ENGAGEMENT);
      row->name = g_strdup (text);
      row->within_days = days;
      row->channel = g_strdup (channel);
    }
  else if ((text = string_member (object, "event")) != NULL)
    {
      gint64 days = days_member (object);
      int did = bool_member (object, "did");
      JsonNode *where = json_object_get_member (object, "where");

      if (!only_members (object, event_members) || days < 0 || did == -2)
        return NULL;
      row = tc_segment_row_new (TC_SEGMENT_ROW_EVENT);
      row->name = g_strdup (text);
      row->negated = did == 0;
      row->within_days = days;
      if (where != NULL)
        {
          JsonArray *array;
          JsonObject *condition;
          const char *property, *op;

          if (!JSON_NODE_HOLDS_ARRAY (where))
            return NULL;
          array = json_node_get_array (where);
          if (json_array_get_length (array) == 0)
            return g_steal_pointer (&row);
          if (json_array_get_length (array) > 1
              || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
            return NULL;
          condition = json_array_get_object_element (array, 0);
          property = string_member (condition, "property");
          op = string_member (condition, "op");
          if (!only_members (condition, where_members) || property == NULL || op == NULL)
            return NULL;
          row->property = g_strdup (property);
          row->op = g_strdup (op);
          row->value = scalar_text (json_object_get_member (condition, "value"));
          if (row->value == NULL)
            return NULL;
          /* A string that reads as a number would come back a number. */
          if (json_node_get_value_type (json_object_get_member (condition, "value")) == G_TYPE_STRING)
            {
              char *end = NULL;

              g_ascii_strtod (row->value, &end);
              if (*row->value != '\0' && *end == '\0')
                return NULL;
            }
        }
    }

  return g_steal_pointer (&row);
}

/* The list of an {"all": […]} or {"any": […]} object, or NULL. */
static JsonArray *
group_list (JsonNode *node,
            gboolean *any)
{
  JsonObject *object;
  JsonNode *list;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (json_object_get_size (object) != 1)
    return NULL;
  if ((list = json_object_get_member (object, "all")) != NULL)
    *any = FALSE;
  else if ((list = json_object_get_member (object, "any")) != NULL)
    *any = TRUE;
  else
    return NULL;

  return JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
}

GPtrArray *
tc_segment_rows_from_json (const char *json,
                           gboolean   *any)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);
  JsonNode *root;
  JsonArray *list;
  gboolean top_any = FALSE;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return NULL;

  list = group_list (root, &top_any);
  if (list == NULL)
    {
      /* One condition alone. */
      TcSegmentRow *row = condition_from_node (root);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (rows, row);
    }
  else
    {
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          gboolean group_any = FALSE;
          JsonArray *children = group_list (item, &group_any);
          TcSegmentRow *row;

          if (children != NULL)
            {
              row = tc_segment_row_new (TC_SEGMENT_ROW_GROUP);
              row->any = group_any;
              g_ptr_array_add (rows, row);
              for (guint j = 0; j < json_array_get_length (children); j++)
                {
                  TcSegmentRow *child = condition_from_node (json_array_get_element (children, j));

                  if (child == NULL)
                    return NULL;
                  g_ptr_array_add (row->children, child);
                }
            }
          else
            {
              row = condition_from_node (item);
              if (row == NULL)
                return NULL;
              g_ptr_array_add (rows, row);
            }
        }
    }

  if (any != NULL)
    *any = top_any;

  return g_steal_pointer (&rows);
}
