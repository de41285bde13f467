/* tc-names-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stable string names of enums whose values run 0, 1, 2, …: one table
 * of names indexed by value, and one macro that defines the pair
 * prefix_to_string () / prefix_from_string () over it (matching ignores
 * ASCII case). Used by tc-types.c, tc-wa-template.c and tc-campaign.c.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

static inline gboolean
_tc_names_lookup (const char * const *names,
                  guint               n_names,
                  const char         *str,
                  guint              *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (names[i], str) == 0)
      {
        *value = i;
        return TRUE;
      }

  return FALSE;
}

#define TC_DEFINE_ENUM_NAMES(Type, prefix, names)                              \
  const char *                                                                 \
  prefix##_to_string (Type value)                                              \
  {                                                                            \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), NULL);         \
    return names[value];                                                       \
  }                                                                            \
                                                                               \
  gboolean                                                                     \
  prefix##_from_string (const char *str,                                       \
                        Type       *out)                                       \
  {                                                                            \
    guint value;                                                               \
                                                                               \
    g_return_val_if_fail (out != NULL, FALSE);                                 \
                                                                               \
    if (!_tc_names_lookup (names, G_N_ELEMENTS (names), str, &value))          \
      return FALSE;                                                            \
    *out = (Type) value;                                                       \
    return TRUE;                                                               \
  }

G_END_DECLS
