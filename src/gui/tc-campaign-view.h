/* tc-campaign-view.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-campaign.h"
#include "tc-campaign-report.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CAMPAIGN_VIEW (tc_campaign_view_get_type ())

G_DECLARE_FINAL_TYPE (TcCampaignView, tc_campaign_view, TC, CAMPAIGN_VIEW, GtkWidget)

/*
 * One campaign: its state with Pause, Resume and Cancel, its figures, the
 * charts (delivery and reads hour by hour, the funnel, the variants side
 * by side) and Export as CSV. While it is shown and the campaign is not
 * finished, the report is read again every few seconds.
 *
 * Its header has a back button that activates "campaigns.back".
 * Actions: campaign.export (Ctrl+S).
 */

void        tc_campaign_view_show     (TcCampaignView *self,
                                       TcRepository   *repository,
                                       gint64          id);
gint64      tc_campaign_view_get_id   (TcCampaignView *self);

/* Words for people: the state ("Sending"), the CSS class of its pill,
 * and a skip or defer reason code ("no_consent") as a sentence. */
const char *tc_campaign_state_name      (TcCampaignState state);
const char *tc_campaign_state_css_class (TcCampaignState state);
const char *tc_campaign_reason_describe (const char     *code);
const char *tc_campaign_channel_name    (TcCampaignChannel channel);

/* The report as CSV: a header line, the total, then a line per variant
 * (and the holdout). */
char       *tc_campaign_report_to_csv   (const TcCampaignReport *report) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
