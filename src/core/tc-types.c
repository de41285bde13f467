/* tc-types.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-types"

#include "config.h"

#include <string.h>

#include "tc-names-private.h"
#include "tc-types.h"

/* Indexed by value: the enums in tc-types.h run 0, 1, 2, … */
static const char * const channels[] = { "sms", "whatsapp" };
static const char * const purposes[] = { "promotional", "transactional" };
static const char * const statuses[] = { "none", "pending", "opted_in", "opted_out", "expired" };
static const char * const methods[] = { "single", "double" };
static const char * const event_kinds[] = {
  "requested", "confirmed", "opted_in", "opted_out", "resubscribed", "blocked", "expired",
};
static const char * const sources[] = {
  "web_form", "checkout", "keyword", "qr_code", "import", "api", "manual", "provider", "system",
};
static const char * const sender_types[] = { "long_code", "toll_free", "short_code", "whatsapp" };
static const char * const sender_uses[] = { "transactional", "promotional", "both" };
static const char * const inbound_actions[] = { "opt_out", "opt_in", "help", "keyword", "message" };

G_STATIC_ASSERT (G_N_ELEMENTS (channels) == TC_CHANNEL_WHATSAPP + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (purposes) == TC_PURPOSE_TRANSACTIONAL + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (statuses) == TC_CONSENT_STATUS_EXPIRED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (methods) == TC_CONSENT_METHOD_DOUBLE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (event_kinds) == TC_CONSENT_EVENT_EXPIRED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sources) == TC_CONSENT_SOURCE_SYSTEM + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sender_types) == TC_SENDER_TYPE_WHATSAPP + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sender_uses) == TC_SENDER_USE_BOTH + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (inbound_actions) == TC_INBOUND_ACTION_MESSAGE + 1);

TC_DEFINE_ENUM_NAMES (TcChannel, tc_channel, channels)
TC_DEFINE_ENUM_NAMES (TcPurpose, tc_purpose, purposes)
TC_DEFINE_ENUM_NAMES (TcConsentStatus, tc_consent_status, statuses)
TC_DEFINE_ENUM_NAMES (TcConsentMethod, tc_consent_method, methods)
TC_DEFINE_ENUM_NAMES (TcConsentEventKind, tc_consent_event_kind, event_kinds)
TC_DEFINE_ENUM_NAMES (TcSenderType, tc_sender_type, sender_types)
TC_DEFINE_ENUM_NAMES (TcSenderUse, tc_sender_use, sender_uses)
TC_DEFINE_ENUM_NAMES (TcInboundAction, tc_inbound_action, inbound_actions)

const char *
tc_consent_source_to_string (TcConsentSource source)
{
  g_return_val_if_fail ((guint) source < G_N_ELEMENTS (sources), NULL);
  return sources[source];
}

gboolean
tc_consent_source_from_string (const char      *str,
                               TcConsentSource *source)
{
  static const struct { const char *alias; TcConsentSource source; } aliases[] = {
    { "form", TC_CONSENT_SOURCE_WEB_FORM },
    { "website", TC_CONSENT_SOURCE_WEB_FORM },
    { "checkout_box", TC_CONSENT_SOURCE_CHECKOUT },
    { "qr", TC_CONSENT_SOURCE_QR_CODE },
    { "by_hand", TC_CONSENT_SOURCE_MANUAL },
    { "hand", TC_CONSENT_SOURCE_MANUAL },
    { "csv", TC_CONSENT_SOURCE_IMPORT },
    { "sms_keyword", TC_CONSENT_SOURCE_KEYWORD },
  };
  g_autofree char *canonical = NULL;
  guint value;

  g_return_val_if_fail (source != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  canonical = g_strstrip (g_ascii_strdown (str, -1));
  g_strdelimit (canonical, " -", '_');

  if (_tc_names_lookup (sources, G_N_ELEMENTS (sources), canonical, &value))
    {
      *source = (TcConsentSource) value;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (aliases[i].alias, canonical) == 0)
      {
        *source = aliases[i].source;
        return TRUE;
      }

  return FALSE;
}
