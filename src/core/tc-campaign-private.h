/* tc-campaign-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the campaign store and the campaign sender share.
 */

#pragma once

#include "tc-campaign.h"

G_BEGIN_DECLS

/* How far sending got ("" before it starts). */
const char *_tc_campaign_get_phase      (TcCampaign *self);
/* The audience per group when sending started: {"A":N,…,"holdout":N}. */
const char *_tc_campaign_get_group_counts (TcCampaign *self);
/* The audience and variants as stored (JSON). Returns: (transfer full) */
char       *_tc_campaign_audience_json  (TcCampaign *self);
char       *_tc_campaign_variants_json  (TcCampaign *self);

G_END_DECLS
