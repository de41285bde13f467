/* tc-types.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-types"

#include "config.h"

#include <string.h>

#include "tc-types.h"

typedef struct
{
  int         value;
  const char *name;
} NamedValue;

static const NamedValue channels[] = {
  { TC_CHANNEL_SMS, "sms" },
  { TC_CHANNEL_WHATSAPP, "whatsapp" },
};

static const NamedValue purposes[] = {
  { TC_PURPOSE_PROMOTIONAL, "promotional" },
  { TC_PURPOSE_TRANSACTIONAL, "transactional" },
};

static const NamedValue statuses[] = {
  { TC_CONSENT_STATUS_NONE, "none" },
  { TC_CONSENT_STATUS_PENDING, "pending" },
  { TC_CONSENT_STATUS_OPTED_IN, "opted_in" },
  { TC_CONSENT_STATUS_OPTED_OUT, "opted_out" },
};

static const NamedValue methods[] = {
  { TC_CONSENT_METHOD_SINGLE, "single" },
  { TC_CONSENT_METHOD_DOUBLE, "double" },
};

static const char *
lookup_name (const NamedValue *table,
             gsize             n,
             int               value)
{
  for (gsize i = 0; i < n; i++)
    if (table[i].value == value)
      return table[i].name;
  return NULL;
}

static gboolean
lookup_value (const NamedValue *table,
              gsize             n,
              const char       *str,
              int              *value)
{
  if (str == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (table[i].name, str) == 0)
      {
        *value = table[i].value;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_NAMES(type, prefix, table)                                      \
  const char *prefix##_to_string (type v)                                      \
  {                                                                            \
    return lookup_name (table, G_N_ELEMENTS (table), (int) v);                 \
  }                                                                            \
  gboolean prefix##_from_string (const char *str, type *out)                   \
  {                                                                            \
    int v;                                                                     \
    g_return_val_if_fail (out != NULL, FALSE);                                 \
    if (!lookup_value (table, G_N_ELEMENTS (table), str, &v))                  \
      return FALSE;                                                            \
    *out = (type) v;                                                           \
    return TRUE;                                                               \
  }

DEFINE_NAMES (TcChannel, tc_channel, channels)
DEFINE_NAMES (TcPurpose, tc_purpose, purposes)
DEFINE_NAMES (TcConsentStatus, tc_consent_status, statuses)
DEFINE_NAMES (TcConsentMethod, tc_consent_method, methods)
