/* tc-journey-editor-logic.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journey editor without a display: an editing session over a
 * TcJourney (the selection, undo / redo of every edit, copy / paste as
 * JSON, tidy-up layout, the problems per node) and the geometry the
 * canvas draws and hit-tests with (node cards, ports, fit to view). The
 * canvas (tc-journey-canvas.c) and the editor page only translate pointer
 * and keyboard input into these calls, so what they do is tested here.
 */

#pragma once

#include <glib-object.h>

#include "tc-journey.h"
#include "tc-journey-runner.h"

G_BEGIN_DECLS

/* The card of a node, in document coordinates (the model's x / y is its
 * top-left corner). */
#define TC_JOURNEY_CARD_WIDTH       184.0
#define TC_JOURNEY_CARD_HEADER      48.0
#define TC_JOURNEY_CARD_PORT_HEIGHT 24.0
#define TC_JOURNEY_CARD_PADDING     8.0
/* The gaps tidy-up leaves between layers and between cards in a layer. */
#define TC_JOURNEY_LAYOUT_H_GAP     88.0
#define TC_JOURNEY_LAYOUT_V_GAP     40.0
/* How far a pasted copy lands from what was copied. */
#define TC_JOURNEY_PASTE_OFFSET     32.0

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} TcJourneyRect;

gboolean  tc_journey_rect_intersects   (const TcJourneyRect *a,
                                        const TcJourneyRect *b);
gboolean  tc_journey_rect_contains     (const TcJourneyRect *rect,
                                        double               x,
                                        double               y);

/* The card @node is drawn as. */
void      tc_journey_node_get_rect     (const TcJourneyNode *node,
                                        TcJourneyRect       *rect);
/* Where output @port of @node sits (on the card's right edge); FALSE when
 * the node has no such port. */
gboolean  tc_journey_node_get_port_position (const TcJourneyNode *node,
                                             const char          *port,
                                             double              *x,
                                             double              *y);
/* Where edges enter @node (the card's left edge, level with its title). */
void      tc_journey_node_get_input_position (const TcJourneyNode *node,
                                              double              *x,
                                              double              *y);
/* The words a port carries on the canvas: "Yes", "Timed out", "A · 50 %".
 * Returns: (transfer full) */
char     *tc_journey_port_dup_title    (const TcJourneyNode *node,
                                        const char          *port) G_GNUC_WARN_UNUSED_RESULT;
/* The name of a node kind for people ("Send SMS"). */
const char *tc_journey_node_kind_get_title (TcJourneyNodeKind kind);
/* The symbolic icon name for a node kind. */
const char *tc_journey_node_kind_get_icon_name (TcJourneyNodeKind kind);
/* A few words on what the node does ("1 hour", "cart_reminder_sms",
 * "order_placed since entry?"), the card's second line.
 * Returns: (transfer full) */
char     *tc_journey_node_dup_summary  (const TcJourneyNode *node) G_GNUC_WARN_UNUSED_RESULT;
/* What the card shows as its title: the label, or the kind's title. */
const char *tc_journey_node_get_display_label (const TcJourneyNode *node);

/* The bounds of every card, or FALSE when there are no nodes. */
gboolean  tc_journey_get_bounds        (TcJourney           *journey,
                                        TcJourneyRect       *bounds);

/* Fit to view: the zoom (clamped to @min_zoom … @max_zoom) and the pan
 * (view = document × zoom + pan) that show @bounds plus @margin view
 * pixels on each side centred in a @view_width × @view_height view. */
void      tc_journey_fit_transform     (const TcJourneyRect *bounds,
                                        double               view_width,
                                        double               view_height,
                                        double               margin,
                                        double               min_zoom,
                                        double               max_zoom,
                                        double              *zoom,
                                        double              *pan_x,
                                        double              *pan_y);
/* Zooming by @factor around view point (@view_x, @view_y), which stays
 * over the same document point; the zoom is clamped. */
void      tc_journey_zoom_around       (double               factor,
                                        double               view_x,
                                        double               view_y,
                                        double               min_zoom,
                                        double               max_zoom,
                                        double              *zoom,
                                        double              *pan_x,
                                        double              *pan_y);

#define TC_TYPE_JOURNEY_EDITOR_LOGIC (tc_journey_editor_logic_get_type ())

G_DECLARE_FINAL_TYPE (TcJourneyEditorLogic, tc_journey_editor_logic, TC, JOURNEY_EDITOR_LOGIC,
                      GObject)

/*
 * Properties: "journey" (the TcJourney edited in place, construct-only),
 * "can-undo", "can-redo", "undo-label" / "redo-label" (what the step
 * does, "Move", "Delete 2 Steps", or NULL), "modified" (edited since
 * tc_journey_editor_logic_mark_saved()), "n-selected".
 *
 * Signals: "selection-changed"; "problems-changed" (after the journey
 * changed and was validated again); "stats-changed" (new live statistics
 * that differ from the last).
 */

TcJourneyEditorLogic *tc_journey_editor_logic_new (TcJourney *journey) G_GNUC_WARN_UNUSED_RESULT;
TcJourney  *tc_journey_editor_logic_get_journey   (TcJourneyEditorLogic *self);

/* Editing: each call is one undo step. */
const char *tc_journey_editor_logic_add_node      (TcJourneyEditorLogic *self,
                                                   TcJourneyNodeKind     kind,
                                                   double                x,
                                                   double                y,
                                                   GError              **error);
gboolean    tc_journey_editor_logic_connect       (TcJourneyEditorLogic *self,
                                                   const char           *from,
                                                   const char           *port,
                                                   const char           *to,
                                                   GError              **error);
gboolean    tc_journey_editor_logic_disconnect    (TcJourneyEditorLogic *self,
                                                   const char           *from,
                                                   const char           *port);
gboolean    tc_journey_editor_logic_set_port_ends (TcJourneyEditorLogic *self,
                                                   const char           *id,
                                                   const char           *port,
                                                   gboolean              ends,
                                                   GError              **error);
/* Typing in the inspector: successive changes to the same node's label
 * (or config) merge into one step. */
gboolean    tc_journey_editor_logic_set_label     (TcJourneyEditorLogic *self,
                                                   const char           *id,
                                                   const char           *label,
                                                   GError              **error);
gboolean    tc_journey_editor_logic_set_config    (TcJourneyEditorLogic *self,
                                                   const char           *id,
                                                   JsonObject           *config,
                                                   GError              **error);
/* Removes the selected nodes and every edge into or out of them; returns
 * how many nodes went. */
guint       tc_journey_editor_logic_delete_selection (TcJourneyEditorLogic *self);

/* Dragging: begin remembers where the selected nodes are, update moves
 * them by (@dx, @dy) from there (snapped to the grid), end makes the
 * whole drag one undo step (none when nothing moved). */
void        tc_journey_editor_logic_move_begin    (TcJourneyEditorLogic *self);
void        tc_journey_editor_logic_move_update   (TcJourneyEditorLogic *self,
                                                   double                dx,
                                                   double                dy);
void        tc_journey_editor_logic_move_end      (TcJourneyEditorLogic *self);
/* The arrow keys: moves the selection by (@dx, @dy); presses in a row on
 * the same selection are one undo step. */
gboolean    tc_journey_editor_logic_nudge         (TcJourneyEditorLogic *self,
                                                   double                dx,
                                                   double                dy);
/* Tidy up: layers left to right by the longest path from the trigger. */
void        tc_journey_editor_logic_tidy          (TcJourneyEditorLogic *self);

/* Whether the journey looks laid out for another direction: cards that
 * overlap, or most edges not going left to right (a journey written by
 * hand or by another tool). The editor tidies such a journey up when it
 * opens it, as an undoable step. */
gboolean    tc_journey_editor_logic_needs_tidy    (TcJourneyEditorLogic *self);

/* Copy / paste: the selected nodes and the edges between them, as the
 * journey JSON of `journey export` (so an exported journey pastes too).
 * Pasting gives the nodes new ids, moves them by TC_JOURNEY_PASTE_OFFSET
 * for each paste of the same text in a row, and selects them.
 * Returns: (transfer full) (nullable): NULL when nothing is selected */
char       *tc_journey_editor_logic_copy          (TcJourneyEditorLogic *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean    tc_journey_editor_logic_paste         (TcJourneyEditorLogic *self,
                                                   const char           *text,
                                                   GError              **error);

gboolean    tc_journey_editor_logic_can_undo      (TcJourneyEditorLogic *self);
gboolean    tc_journey_editor_logic_can_redo      (TcJourneyEditorLogic *self);
const char *tc_journey_editor_logic_get_undo_label (TcJourneyEditorLogic *self);
const char *tc_journey_editor_logic_get_redo_label (TcJourneyEditorLogic *self);
gboolean    tc_journey_editor_logic_undo          (TcJourneyEditorLogic *self);
gboolean    tc_journey_editor_logic_redo          (TcJourneyEditorLogic *self);
gboolean    tc_journey_editor_logic_get_modified  (TcJourneyEditorLogic *self);
void        tc_journey_editor_logic_mark_saved    (TcJourneyEditorLogic *self);

/* The selection. */
void        tc_journey_editor_logic_select        (TcJourneyEditorLogic *self,
                                                   const char           *id,
                                                   gboolean              extend);
void        tc_journey_editor_logic_toggle        (TcJourneyEditorLogic *self,
                                                   const char           *id);
void        tc_journey_editor_logic_select_all    (TcJourneyEditorLogic *self);
void        tc_journey_editor_logic_clear_selection (TcJourneyEditorLogic *self);
/* The rubber band: selects the nodes whose cards touch @rect (added to
 * the selection when @extend). */
void        tc_journey_editor_logic_select_rect   (TcJourneyEditorLogic *self,
                                                   const TcJourneyRect  *rect,
                                                   gboolean              extend);
gboolean    tc_journey_editor_logic_is_selected   (TcJourneyEditorLogic *self,
                                                   const char           *id);
guint       tc_journey_editor_logic_get_n_selected (TcJourneyEditorLogic *self);
/* The one selected node, or NULL when none or several are selected. */
const TcJourneyNode *tc_journey_editor_logic_get_selected_node (TcJourneyEditorLogic *self);
/* The selected ids in node order. Returns: (transfer full) */
GStrv       tc_journey_editor_logic_dup_selection (TcJourneyEditorLogic *self) G_GNUC_WARN_UNUSED_RESULT;

/* Hit-testing, in document coordinates: the topmost node under the
 * point; the output port within @radius of it; the node whose input (its
 * port, or anywhere on its card) is at the point. */
const TcJourneyNode *tc_journey_editor_logic_node_at   (TcJourneyEditorLogic *self,
                                                        double                x,
                                                        double                y);
const TcJourneyNode *tc_journey_editor_logic_port_at   (TcJourneyEditorLogic *self,
                                                        double                x,
                                                        double                y,
                                                        double                radius,
                                                        const char          **port);
const TcJourneyNode *tc_journey_editor_logic_input_at  (TcJourneyEditorLogic *self,
                                                        double                x,
                                                        double                y,
                                                        double                radius);

/* Validation: problems come from tc_journey_validate() with @lookup (set
 * one to check that templates exist), recomputed when the journey changes.
 * Returns: (transfer none) (element-type TcJourneyProblem) */
void        tc_journey_editor_logic_set_template_lookup (TcJourneyEditorLogic   *self,
                                                         TcJourneyTemplateLookup lookup,
                                                         gpointer                user_data,
                                                         GDestroyNotify          destroy);
GPtrArray  *tc_journey_editor_logic_get_problems  (TcJourneyEditorLogic *self);
/* How many problems name node @id (0: none). */
guint       tc_journey_editor_logic_count_node_problems (TcJourneyEditorLogic *self,
                                                         const char           *id);

/* Live statistics: what tc_journey_runner_stats_async() counted per node,
 * drawn as badges on the cards. */
typedef enum
{
  TC_JOURNEY_BADGE_WAITING,
  TC_JOURNEY_BADGE_PASSED,
  TC_JOURNEY_BADGE_SENT,
  TC_JOURNEY_BADGE_CONVERTED,
} TcJourneyBadgeKind;

typedef struct
{
  TcJourneyBadgeKind  kind;
  guint64             count;
  char               *text;   /* "3 waiting" */
} TcJourneyBadge;

void        tc_journey_badge_free               (TcJourneyBadge *badge);

/* Takes the numbers of @stats (NULL: none; it is copied, not kept).
 * Returns TRUE, and emits "stats-changed", when a node's numbers differ
 * from the last ones set. */
gboolean    tc_journey_editor_logic_set_stats   (TcJourneyEditorLogic *self,
                                                 const TcJourneyStats *stats);
/* Whether statistics have been set. */
gboolean    tc_journey_editor_logic_has_stats   (TcJourneyEditorLogic *self);
/* The badges of node @id: one per number that is not zero, in the order
 * waiting, passed, sent, converted (sent only for the send kinds); empty
 * without statistics.
 * Returns: (transfer full) (element-type TcJourneyBadge) */
GPtrArray  *tc_journey_editor_logic_dup_badges  (TcJourneyEditorLogic *self,
                                                 const char           *id) G_GNUC_WARN_UNUSED_RESULT;
/* The badges of node @id as a sentence ("3 waiting, 12 passed."), for
 * the tooltip and the screen reader; NULL when it has none.
 * Returns: (transfer full) (nullable) */
char       *tc_journey_editor_logic_dup_stats_text (TcJourneyEditorLogic *self,
                                                    const char           *id) G_GNUC_WARN_UNUSED_RESULT;

/* Branch conditions as the inspector's controls see them: which kind a
 * condition is, and the condition a kind starts with when chosen. */
typedef enum
{
  TC_JOURNEY_CONDITION_EVENT,         /* {event, filters?}: since entry */
  TC_JOURNEY_CONDITION_TAG,           /* {tag, has?} */
  TC_JOURNEY_CONDITION_LAST_MESSAGE,  /* {last_message: delivered/read/clicked/replied} */
  TC_JOURNEY_CONDITION_FIELD,         /* {field, op, value} */
  TC_JOURNEY_CONDITION_CONSENT,       /* {consent: channel, purpose, status} */
} TcJourneyConditionKind;

#define TC_JOURNEY_N_CONDITION_KINDS (TC_JOURNEY_CONDITION_CONSENT + 1)

/* The kind of @condition (NULL: none), or -1 when it is none of them. */
int         tc_journey_condition_get_kind       (JsonObject             *condition);
/* What a branch's condition becomes when the kind is chosen (it passes
 * tc_journey_node_check_config() as a branch's "condition"). */
JsonObject *tc_journey_condition_new_default    (TcJourneyConditionKind  kind) G_GNUC_WARN_UNUSED_RESULT;

/* A wait's time window ("until" in a wait's config): from a time of day,
 * optionally to another, on some weekdays, in the contact's zone. */
#define TC_JOURNEY_WINDOW_EVERY_DAY 0u
typedef struct
{
  int   from;  /* minutes after midnight, 0 to 1439 */
  int   to;    /* the same, or -1: no end (the moment "from") */
  guint days;  /* bit 0 Monday … bit 6 Sunday; TC_JOURNEY_WINDOW_EVERY_DAY: any day */
} TcJourneyWindow;

/* The weekdays as the config names them ("mon" … "sun"), bit 0 first. */
const char *tc_journey_window_day_name          (guint                   day);
/* Reads the window of a wait's @config; FALSE when it waits for a
 * duration (or the window cannot be read). */
gboolean    tc_journey_window_from_config       (JsonObject             *config,
                                                 TcJourneyWindow        *window);
/* A wait's whole config for @window: {"until": {"from", "to"?, "days"?}}
 * ("days" left out for any day). */
JsonObject *tc_journey_window_to_config         (const TcJourneyWindow  *window) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
