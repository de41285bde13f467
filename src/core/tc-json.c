/* tc-json.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-json"

#include "config.h"

#include <string.h>

#include "tc-consent-ledger.h"
#include "tc-json-private.h"

void
_tc_json_add_text_or_null (JsonBuilder *builder,
                           const char  *name,
                           const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL && value[0] != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
_tc_json_add_time_or_null (JsonBuilder *builder,
                           const char  *name,
                           gint64       unix_seconds)
{
  json_builder_set_member_name (builder, name);
  if (unix_seconds > 0)
    {
      g_autofree char *text = tc_format_iso8601_utc (unix_seconds);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

void
_tc_json_add_counts (JsonBuilder *builder,
                     const char  *name,
                     GHashTable  *counts)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (counts), (GCompareFunc) strcmp);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_int_value (builder, (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (counts, l->data)));
    }
  json_builder_end_object (builder);
}
