/* tc-journey-canvas.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tc-journey-editor-logic.h"

G_BEGIN_DECLS

#define TC_JOURNEY_CANVAS_MIN_ZOOM 0.2
#define TC_JOURNEY_CANVAS_MAX_ZOOM 2.5

#define TC_TYPE_JOURNEY_CANVAS (tc_journey_canvas_get_type ())

G_DECLARE_FINAL_TYPE (TcJourneyCanvas, tc_journey_canvas, TC, JOURNEY_CANVAS, GtkWidget)

/*
 * The journey drawn as cards joined by curved edges, on a dotted sheet
 * that pans and zooms. It draws and hit-tests through a
 * TcJourneyEditorLogic and turns input into its calls:
 *
 * - drag a card to move it (with the rest of the selection), click to
 *   select, Shift- or Ctrl-click to add to the selection, drag on the empty
 *   sheet for a rubber band; drag from an output port (the dots on a
 *   card's right edge) onto another card to connect, or onto the empty
 *   sheet to disconnect;
 * - pan with the scroll wheel or by dragging with the middle button; zoom
 *   with Ctrl+scroll, a pinch, or tc_journey_canvas_zoom_in() / _out();
 * - drop a node kind's name (a string such as "send_sms", what the
 *   palette's drag sources carry) to add that node where it lands;
 * - keys: Tab / Shift+Tab select the next / previous node (and leave the
 *   canvas after the last), arrow keys move the selection (Shift: by a
 *   larger step), Delete, Ctrl+A, Ctrl+C, Ctrl+V, Ctrl+Z, Shift+Ctrl+Z,
 *   Ctrl+plus / minus / 0 (zoom), Shift+Ctrl+F (fit).
 *
 * Its accessible description names the selected node, its problems and
 * where its outputs lead. Problems are marked on the cards and given in
 * their tooltips.
 *
 * Properties: "logic" (TcJourneyEditorLogic), "zoom" (double, read-only).
 * Signals: "error" (a sentence for a toast, when a connection or a paste
 * is refused).
 */

GtkWidget            *tc_journey_canvas_new          (void);
TcJourneyEditorLogic *tc_journey_canvas_get_logic    (TcJourneyCanvas      *self);
void                  tc_journey_canvas_set_logic    (TcJourneyCanvas      *self,
                                                      TcJourneyEditorLogic *logic);
double                tc_journey_canvas_get_zoom     (TcJourneyCanvas      *self);
void                  tc_journey_canvas_zoom_in      (TcJourneyCanvas      *self);
void                  tc_journey_canvas_zoom_out     (TcJourneyCanvas      *self);
void                  tc_journey_canvas_zoom_reset   (TcJourneyCanvas      *self);
/* Fits every node in view (at most at 100 %). */
void                  tc_journey_canvas_fit          (TcJourneyCanvas      *self);
/* Where a journey opens: fitted in the view when its text stays
 * readable, else at the smallest readable zoom with its start (the left
 * edge, where the trigger is) in view. */
void                  tc_journey_canvas_show_start   (TcJourneyCanvas      *self);
/* Scrolls so node @id is in view. */
void                  tc_journey_canvas_reveal_node  (TcJourneyCanvas      *self,
                                                      const char           *id);
/* The centre of the view, in document coordinates (where "Add Node"
 * places a node). */
void                  tc_journey_canvas_get_center   (TcJourneyCanvas      *self,
                                                      double               *x,
                                                      double               *y);
/* The clipboard: the selection as journey JSON, and pasting it back. */
void                  tc_journey_canvas_copy         (TcJourneyCanvas      *self);
void                  tc_journey_canvas_paste        (TcJourneyCanvas      *self);

G_END_DECLS
