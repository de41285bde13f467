/* tc-campaigns-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_CAMPAIGNS_PAGE (tc_campaigns_page_get_type ())

G_DECLARE_FINAL_TYPE (TcCampaignsPage, tc_campaigns_page, TC, CAMPAIGNS_PAGE, GtkWidget)

/*
 * The Campaigns section: the campaigns, newest first, each with its state
 * as a pill and its key figures (sent, delivered, conversions); New
 * Campaign opens TcCampaignEditor; a draft opens in the editor, any other
 * campaign in TcCampaignView. While the list is shown and a campaign is
 * live, it is read again every few seconds.
 *
 * Properties: "folded" (the window's sidebar is hidden: show a button to
 * reach it).
 * Actions: campaigns.new (Ctrl+N), campaigns.back (Alt+Left in a report).
 */

void      tc_campaigns_page_set_repository (TcCampaignsPage *self,
                                            TcRepository    *repository);
gboolean  tc_campaigns_page_get_folded     (TcCampaignsPage *self);
void      tc_campaigns_page_set_folded     (TcCampaignsPage *self,
                                            gboolean         folded);
/* Back to the list (from a report), read it again, and focus it. */
void      tc_campaigns_page_show_list      (TcCampaignsPage *self);

G_END_DECLS
