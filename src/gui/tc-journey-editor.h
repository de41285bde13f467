/* tc-journey-editor.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-journey.h"
#include "tc-repository.h"

G_BEGIN_DECLS

#define TC_TYPE_JOURNEY_EDITOR (tc_journey_editor_get_type ())

G_DECLARE_FINAL_TYPE (TcJourneyEditor, tc_journey_editor, TC, JOURNEY_EDITOR, GtkWidget)

/*
 * The Journeys section: the workspace's journeys and the ready-made ones
 * to start from; a journey opens in the editor — the palette of node
 * kinds (drag one onto the canvas, or activate it to add it in the
 * middle; "Add Step" in the header does the same from a menu), the canvas
 * (TcJourneyCanvas), and beside it the inspector of the selected step
 * (label, durations, templates, condition, fallback, where each output
 * leads) and the journey's problems. Save (Ctrl+S) stores a version;
 * Activate validates against the workspace and switches it on.
 *
 * Properties: "folded" (the window's sidebar is hidden: show a button to
 * reach it).
 * Actions: journey.save (Ctrl+S), journey.activate, journey.undo,
 * journey.redo, journey.add-node (s: a node kind), journey.tidy,
 * journey.fit, journey.zoom-in, journey.zoom-out, journey.back (Alt+Left).
 */

void      tc_journey_editor_set_repository (TcJourneyEditor *self,
                                            TcRepository    *repository);
gboolean  tc_journey_editor_get_folded     (TcJourneyEditor *self);
void      tc_journey_editor_set_folded     (TcJourneyEditor *self,
                                            gboolean         folded);
/* Back to the list (asking first when the open journey has unsaved
 * changes), read it again, and focus it. */
void      tc_journey_editor_show_list      (TcJourneyEditor *self);

/* The window is closing (or the app quitting): TRUE when it may close
 * now. With unsaved changes it asks — Save, Discard or Cancel — and
 * returns FALSE; Save and Discard then close the window themselves (once
 * saved), Cancel keeps it open and calls tc_application_cancel_quit(). */
gboolean  tc_journey_editor_confirm_close  (TcJourneyEditor *self);

/* Shown as a section: the list is read again and focused, or the open
 * journey's canvas is focused. */
void      tc_journey_editor_present        (TcJourneyEditor *self);

/* On a workspace that sends WhatsApp through the built-in simulator, has
 * the WhatsApp templates @journey sends reviewed as Meta would (drafts
 * submitted, pending ones asked about again), so that they can be sent
 * there; nothing for another provider. Runs on its own; what it found is
 * logged. */
void      tc_journey_review_templates      (TcRepository    *repository,
                                            TcJourney       *journey);

G_END_DECLS
