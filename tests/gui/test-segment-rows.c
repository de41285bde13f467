/* test-segment-rows.c: the segment builder's rows to JSON and back,
 * without a display.
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-segment-rows"

#include "config.h"

#include <string.h>

#include "tc-segment.h"
#include "tc-segment-rows.h"

typedef struct
{
  TcSegmentRowKind kind;
  const char *name;
  const char *op;
  const char *value;
  const char *purpose;
  const char *status;
  const char *channel;
  const char *property;
  gboolean negated;
  guint within_days;
} RowSpec;

static TcSegmentRow *
row_from_spec (const RowSpec *spec)
{
  TcSegmentRow *row = tc_segment_row_new (spec->kind);

  row->name = g_strdup (spec->name);
  row->op = g_strdup (spec->op);
  row->value = g_strdup (spec->value);
  row->purpose = g_strdup (spec->purpose);
  row->status = g_strdup (spec->status);
  row->channel = g_strdup (spec->channel);
  row->property = g_strdup (spec->property);
  row->negated = spec->negated;
  row->within_days = spec->within_days;

  return row;
}

static void
assert_row_equal (const TcSegmentRow *a,
                  const TcSegmentRow *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->op, ==, b->op);
  g_assert_cmpstr (a->value, ==, b->value);
  g_assert_cmpstr (a->purpose, ==, b->purpose);
  g_assert_cmpstr (a->status, ==, b->status);
  g_assert_cmpstr (a->channel, ==, b->channel);
  g_assert_cmpstr (a->property, ==, b->property);
  g_assert_cmpint (a->negated, ==, b->negated);
  g_assert_cmpuint (a->within_days, ==, b->within_days);
}

/* Each kind of row to the exact JSON, which the core accepts, and back. */
static void
test_each_kind (void)
{
  const struct {
    RowSpec row;
    const char *json;
  } cases[] = {
    { { TC_SEGMENT_ROW_FIELD, "country", "equals", "US" },
      "{\"all\":[{\"field\":\"country\",\"op\":\"equals\",\"value\":\"US\"}]}" },
    { { TC_SEGMENT_ROW_FIELD, "first_name", "contains", "ann" },
      "{\"all\":[{\"field\":\"first_name\",\"op\":\"contains\",\"value\":\"ann\"}]}" },
    { { TC_SEGMENT_ROW_FIELD, "country", "in", "US, CA" },
      "{\"all\":[{\"field\":\"country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]}]}" },
    { { TC_SEGMENT_ROW_FIELD, "created_at", "before", "2026-03-01" },
      "{\"all\":[{\"field\":\"created_at\",\"op\":\"before\",\"value\":\"2026-03-01\"}]}" },
    { { TC_SEGMENT_ROW_FIELD, "region", "equals", "US-FL" },
      "{\"all\":[{\"field\":\"region\",\"op\":\"equals\",\"value\":\"US-FL\"}]}" },
    { { TC_SEGMENT_ROW_FIELD, "email", "empty" },
      "{\"all\":[{\"field\":\"email\",\"op\":\"empty\"}]}" },
    { { TC_SEGMENT_ROW_ATTRIBUTE, "plan", "not_equals", "free" },
      "{\"all\":[{\"field\":\"attributes.plan\",\"op\":\"not_equals\",\"value\":\"free\"}]}" },
    { { TC_SEGMENT_ROW_ATTRIBUTE, "renewal", "after", "2026-01-01" },
      "{\"all\":[{\"field\":\"attributes.renewal\",\"op\":\"after\",\"value\":\"2026-01-01\"}]}" },
    { { TC_SEGMENT_ROW_ATTRIBUTE, "plan", "not_empty" },
      "{\"all\":[{\"field\":\"attributes.plan\",\"op\":\"not_empty\"}]}" },
    { { TC_SEGMENT_ROW_TAG, "vip" },
      "{\"all\":[{\"tag\":\"vip\"}]}" },
    { { TC_SEGMENT_ROW_TAG, "churned", .negated = TRUE },
      "{\"all\":[{\"tag\":\"churned\",\"has\":false}]}" },
    { { TC_SEGMENT_ROW_CONSENT, "sms", .purpose = "promotional", .status = "opted_in" },
      "{\"all\":[{\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}]}" },
    { { TC_SEGMENT_ROW_CONSENT, "whatsapp", .purpose = "transactional", .status = "none" },
      "{\"all\":[{\"consent\":\"whatsapp\",\"purpose\":\"transactional\",\"status\":\"none\"}]}" },
    { { TC_SEGMENT_ROW_ENGAGEMENT, "clicked", .within_days = 7 },
      "{\"all\":[{\"engagement\":\"clicked\",\"within_days\":7}]}" },
    { { TC_SEGMENT_ROW_ENGAGEMENT, "received", .channel = "whatsapp", .within_days = 30 },
      "{\"all\":[{\"engagement\":\"received\",\"within_days\":30,\"channel\":\"whatsapp\"}]}" },
    { { TC_SEGMENT_ROW_EVENT, "order_placed" },
      "{\"all\":[{\"event\":\"order_placed\"}]}" },
    { { TC_SEGMENT_ROW_EVENT, "cart_abandoned", .negated = TRUE, .within_days = 7 },
      "{\"all\":[{\"event\":\"cart_abandoned\",\"did\":false,\"within_days\":7}]}" },
    { { TC_SEGMENT_ROW_EVENT, "order_placed", ">", "50", .property = "value", .within_days = 30 },
      "{\"all\":[{\"event\":\"order_placed\",\"within_days\":30,"
      "\"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":50}]}]}" },
    { { TC_SEGMENT_ROW_EVENT, "order_placed", ">=", "49.5", .property = "value" },
      "{\"all\":[{\"event\":\"order_placed\","
      "\"where\":[{\"property\":\"value\",\"op\":\">=\",\"value\":49.5}]}]}" },
    { { TC_SEGMENT_ROW_EVENT, "order_placed", "=", "X1", .property = "properties.sku" },
      "{\"all\":[{\"event\":\"order_placed\","
      "\"where\":[{\"property\":\"properties.sku\",\"op\":\"=\",\"value\":\"X1\"}]}]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);
      g_autoptr(GPtrArray) back = NULL;
      g_autoptr(TcSegment) segment = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      g_autofree char *json = NULL;
      gboolean any = TRUE;

      g_test_message ("case %u: %s", i, cases[i].json);
      g_ptr_array_add (rows, row_from_spec (&cases[i].row));
      json = tc_segment_rows_to_json (FALSE, rows, &message);
      g_assert_null (message);
      g_assert_cmpstr (json, ==, cases[i].json);

      segment = tc_segment_new_from_json (json, &error);
      g_assert_no_error (error);
      g_assert_nonnull (segment);

      back = tc_segment_rows_from_json (json, &any);
      g_assert_nonnull (back);
      g_assert_false (any);
      g_assert_cmpuint (back->len, ==, 1);
      if (cases[i].row.kind == TC_SEGMENT_ROW_FIELD && g_strcmp0 (cases[i].row.op, "in") == 0)
        g_assert_cmpstr (((TcSegmentRow *) back->pdata[0])->value, ==, "US, CA");
      else
        assert_row_equal (back->pdata[0], rows->pdata[0]);
    }
}

/* Any at the top, a nested group, and back. */
static void
test_groups (void)
{
  static const RowSpec tag = { TC_SEGMENT_ROW_TAG, "vip" };
  static const RowSpec clicked = { TC_SEGMENT_ROW_ENGAGEMENT, "clicked", .within_days = 7 };
  static const RowSpec order = { TC_SEGMENT_ROW_EVENT, "order_placed", ">", "50",
                                 .property = "value", .within_days = 30 };
  const char *expected =
    "{\"any\":[{\"tag\":\"vip\"},{\"all\":[{\"engagement\":\"clicked\",\"within_days\":7},"
    "{\"event\":\"order_placed\",\"within_days\":30,"
    "\"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":50}]}]}]}";
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcSegment) segment = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  TcSegmentRow *group;
  TcSegmentRow *back_group;
  gboolean any = FALSE;

  g_ptr_array_add (rows, row_from_spec (&tag));
  group = tc_segment_row_new (TC_SEGMENT_ROW_GROUP);
  group->any = FALSE;
  g_ptr_array_add (group->children, row_from_spec (&clicked));
  g_ptr_array_add (group->children, row_from_spec (&order));
  g_ptr_array_add (rows, group);

  json = tc_segment_rows_to_json (TRUE, rows, NULL);
  g_assert_cmpstr (json, ==, expected);
  segment = tc_segment_new_from_json (json, &error);
  g_assert_no_error (error);

  back = tc_segment_rows_from_json (json, &any);
  g_assert_nonnull (back);
  g_assert_true (any);
  g_assert_cmpuint (back->len, ==, 2);
  assert_row_equal (back->pdata[0], rows->pdata[0]);
  back_group = back->pdata[1];
  g_assert_cmpint (back_group->kind, ==, TC_SEGMENT_ROW_GROUP);
  g_assert_false (back_group->any);
  g_assert_cmpuint (back_group->children->len, ==, 2);
  assert_row_equal (back_group->children->pdata[0], group->children->pdata[0]);
  assert_row_equal (back_group->children->pdata[1], group->children->pdata[1]);

  again = tc_segment_rows_to_json (any, back, NULL);
  g_assert_cmpstr (again, ==, expected);

  /* No rows: everybody. */
  g_ptr_array_set_size (rows, 0);
  g_clear_pointer (&json, g_free);
  json = tc_segment_rows_to_json (FALSE, rows, NULL);
  g_assert_cmpstr (json, ==, "{\"all\":[]}");
}

/* Incomplete rows: NULL, with a message naming the row. */
static void
test_incomplete (void)
{
  const struct {
    RowSpec row;
    gboolean in_group;
    const char *message;
  } cases[] = {
    { { TC_SEGMENT_ROW_FIELD, NULL, "equals", "US" }, FALSE, "Condition 2: choose a field." },
    { { TC_SEGMENT_ROW_FIELD, "country", NULL, "US" }, FALSE, "Condition 2: choose how to compare." },
    { { TC_SEGMENT_ROW_FIELD, "country", "equals", "  " }, FALSE, "Condition 2: enter a value." },
    { { TC_SEGMENT_ROW_FIELD, "country", "in", "" }, FALSE, "Condition 2: enter a value." },
    { { TC_SEGMENT_ROW_ATTRIBUTE, "", "equals", "gold" }, FALSE, "Condition 2: enter the attribute’s name." },
    { { TC_SEGMENT_ROW_TAG, "" }, FALSE, "Condition 2: enter a tag." },
    { { TC_SEGMENT_ROW_CONSENT, "sms", .purpose = "promotional" }, FALSE,
      "Condition 2: choose a channel, a purpose and a status." },
    { { TC_SEGMENT_ROW_ENGAGEMENT, "clicked" }, FALSE,
      "Condition 2: enter a number of days of at least 1." },
    { { TC_SEGMENT_ROW_ENGAGEMENT, NULL, .within_days = 3 }, FALSE, "Condition 2: choose what they did." },
    { { TC_SEGMENT_ROW_EVENT, " " }, FALSE,
      "Condition 2: enter the event’s name, such as order_placed." },
    { { TC_SEGMENT_ROW_EVENT, "order_placed", ">", "", .property = "value" }, FALSE,
      "Condition 2: complete the property condition, or clear its property." },
    { { TC_SEGMENT_ROW_TAG, "" }, TRUE, "Group 2, condition 1: enter a tag." },
  };
  static const RowSpec good = { TC_SEGMENT_ROW_TAG, "vip" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_segment_row_free);
      g_autofree char *message = NULL;
      g_autofree char *json = NULL;

      g_test_message ("case %u: %s", i, cases[i].message);
      g_ptr_array_add (rows, row_from_spec (&good));
      if (cases[i].in_group)
        {
          TcSegmentRow *group = tc_segment_row_new (TC_SEGMENT_ROW_GROUP);

          g_ptr_array_add (group->children, row_from_spec (&cases[i].row));
          g_ptr_array_add (rows, group);
        }
      else
        g_ptr_array_add (rows, row_from_spec (&cases[i].row));

      json = tc_segment_rows_to_json (FALSE, rows, &message);
      g_assert_null (json);
      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

/* Rules the rows cannot show come back NULL; a lone condition is a list
 * of one. */
static void
test_not_shown (void)
{
  const struct {
    const char *json;
    gboolean shown;
  } cases[] = {
    { "{\"tag\":\"vip\"}", TRUE },
    { "{\"all\":[]}", TRUE },
    { "{\"consent\":\"sms\"}", TRUE },
    { "{\"not\":{\"tag\":\"vip\"}}", FALSE },
    { "{\"segment\":\"VIP customers\"}", FALSE },
    { "{\"all\":[{\"any\":[{\"all\":[{\"tag\":\"a\"}]}]}]}", FALSE },
    { "{\"consent\":\"sms\",\"status\":[\"opted_in\",\"pending\"]}", FALSE },
    { "{\"event\":\"x\",\"where\":[{\"property\":\"value\",\"op\":\">\",\"value\":1},"
      "{\"property\":\"currency\",\"op\":\"=\",\"value\":\"USD\"}]}", FALSE },
    { "{\"event\":\"x\",\"where\":[{\"property\":\"value\",\"op\":\"=\",\"value\":\"5\"}]}", FALSE },
    { "{\"field\":\"country\",\"op\":\"in\",\"value\":[\"a,b\"]}", FALSE },
    { "{\"field\":\"country\",\"op\":\"equals\",\"value\":\"US\",\"extra\":1}", FALSE },
    { "{\"engagement\":\"read\"}", FALSE },
    { "not json", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      gboolean any = TRUE;

      g_test_message ("case %u: %s", i, cases[i].json);
      rows = tc_segment_rows_from_json (cases[i].json, &any);
      g_assert_true ((rows != NULL) == cases[i].shown);
      if (rows != NULL)
        g_assert_false (any);
    }
}

/* The consent defaults are filled in, so saving writes them out. */
static void
test_consent_defaults (void)
{
  g_autoptr(GPtrArray) rows = tc_segment_rows_from_json ("{\"consent\":\"sms\"}", NULL);
  g_autofree char *json = NULL;

  g_assert_nonnull (rows);
  json = tc_segment_rows_to_json (FALSE, rows, NULL);
  g_assert_cmpstr (json, ==,
                   "{\"all\":[{\"consent\":\"sms\",\"purpose\":\"promotional\",\"status\":\"opted_in\"}]}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/segment-rows/each-kind", test_each_kind);
  g_test_add_func ("/segment-rows/groups", test_groups);
  g_test_add_func ("/segment-rows/incomplete", test_incomplete);
  g_test_add_func ("/segment-rows/not-shown", test_not_shown);
  g_test_add_func ("/segment-rows/consent-defaults", test_consent_defaults);

  return g_test_run ();
}
