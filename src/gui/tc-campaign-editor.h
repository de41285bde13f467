/* tc-campaign-editor.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-campaign.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CAMPAIGN_EDITOR (tc_campaign_editor_get_type ())

G_DECLARE_FINAL_TYPE (TcCampaignEditor, tc_campaign_editor, TC, CAMPAIGN_EDITOR, AdwWindow)

/*
 * The step-by-step campaign creator, a modal window with Back and Next:
 *
 *   1 Audience    every contact, or saved segments minus others; a live count
 *   2 Message     the name, channel, purpose, a template per A/B variant
 *                 with its share, and a holdout
 *   3 Schedule    now, at a date and time, or at a time of day in each
 *                 recipient's zone; the sending speed and a daily cap
 *   4 Pre-flight  the campaign is saved as a draft and checked: who gets
 *                 it, who is skipped or deferred and why, SMS segments,
 *                 the cost by country, warnings, and a test send
 *   5 Send        confirm; the audience is frozen and queued in batches,
 *                 with a progress bar and Cancel
 *
 * Signals:
 *   "saved" (gint64 id): the draft was saved (from step 4 on)
 *   "sent"  (gint64 id): sending started and everyone was queued; the
 *                        window then closes
 */

TcCampaignEditor *tc_campaign_editor_new (GtkWindow    *parent,
                                          TcRepository *repository,
                                          TcCampaign   *draft);

G_END_DECLS
