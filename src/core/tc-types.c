/* tc-types.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-types"

#include "config.h"

#include "tc-names-private.h"
#include "tc-types.h"

/* Indexed by value: the enums in tc-types.h run 0, 1, 2, … */
static const char * const channels[] = { "sms", "whatsapp" };
static const char * const purposes[] = { "promotional", "transactional" };
static const char * const statuses[] = { "none", "pending", "opted_in", "opted_out" };
static const char * const methods[] = { "single", "double" };

G_STATIC_ASSERT (G_N_ELEMENTS (channels) == TC_CHANNEL_WHATSAPP + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (purposes) == TC_PURPOSE_TRANSACTIONAL + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (statuses) == TC_CONSENT_STATUS_OPTED_OUT + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (methods) == TC_CONSENT_METHOD_DOUBLE + 1);

TC_DEFINE_ENUM_NAMES (TcChannel, tc_channel, channels)
TC_DEFINE_ENUM_NAMES (TcPurpose, tc_purpose, purposes)
TC_DEFINE_ENUM_NAMES (TcConsentStatus, tc_consent_status, statuses)
TC_DEFINE_ENUM_NAMES (TcConsentMethod, tc_consent_method, methods)
