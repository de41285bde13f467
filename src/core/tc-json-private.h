/* tc-json-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Members that the JSON of several records writes the same way.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "name": "value", or null when @value is NULL or empty. */
void _tc_json_add_text_or_null (JsonBuilder *builder,
                                const char  *name,
                                const char  *value);
/* "name": "2026-03-01T09:30:00Z" (UTC), or null when @unix_seconds <= 0. */
void _tc_json_add_time_or_null (JsonBuilder *builder,
                                const char  *name,
                                gint64       unix_seconds);
/* "name": {"key": count, …} by key, from a table of string → count stored
 * with GSIZE_TO_POINTER. */
void _tc_json_add_counts       (JsonBuilder *builder,
                                const char  *name,
                                GHashTable  *counts);

G_END_DECLS
