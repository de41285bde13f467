/* tc-readiness-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_READINESS_PAGE (tc_readiness_page_get_type())

G_DECLARE_FINAL_TYPE (TcReadinessPage, tc_readiness_page, TC, READINESS_PAGE, GtkWidget)

/*
 * The Readiness section (src/core/tc-readiness.h): a few pages of
 * questions (an AdwCarousel), then what is missing in plain words, each
 * with a "Fix…" button, and the score. The inspection runs on the
 * repository's worker; it is run again whenever the page is shown, the
 * window comes back to the front (after fixing something elsewhere), or a
 * setting changes while the page is on screen.
 *
 * Signal "fix-requested" (const char *place): a Fix… button was pressed
 * for a place other than the questions, which the page shows itself
 * (places: tc-readiness.h). Property "folded": the window is folded (a
 * button back to the sections shows).
 */

void      tc_readiness_page_set_repository (TcReadinessPage *self,
                                            TcRepository    *repository);
/* Shows the questions (TRUE) or the findings (FALSE). */
void      tc_readiness_page_show_questions (TcReadinessPage *self,
                                            gboolean         questions);
gboolean  tc_readiness_page_get_folded     (TcReadinessPage *self);
void      tc_readiness_page_set_folded     (TcReadinessPage *self,
                                            gboolean         folded);

G_END_DECLS
