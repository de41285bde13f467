/* test-journey-canvas.c: the journey canvas as a widget (needs a display;
 * meson runs it under xvfb-run).
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-journey-canvas"

#include "config.h"

#include <gtk/gtk.h>

#include "tc-journey-canvas.h"
#include "tc-journey-library.h"

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
wait_for_width (GtkWidget *widget)
{
  for (guint i = 0; i < 2000 && gtk_widget_get_width (widget) < 100; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_widget_get_width (widget), >=, 100);
}

/* Properties, notifications, and every reference given back. */
static void
test_properties (void)
{
  GtkWidget *canvas = g_object_ref_sink (tc_journey_canvas_new ());
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  TcJourneyEditorLogic *logic = tc_journey_editor_logic_new (journey);
  TcJourneyEditorLogic *got = NULL;
  guint n_logic = 0, n_zoom = 0;

  g_signal_connect_swapped (canvas, "notify::logic", G_CALLBACK (count_cb), &n_logic);
  g_signal_connect_swapped (canvas, "notify::zoom", G_CALLBACK (count_cb), &n_zoom);

  g_assert_null (tc_journey_canvas_get_logic (TC_JOURNEY_CANVAS (canvas)));
  g_object_set (canvas, "logic", logic, NULL);
  g_assert_true (tc_journey_canvas_get_logic (TC_JOURNEY_CANVAS (canvas)) == logic);
  g_object_get (canvas, "logic", &got, NULL);
  g_assert_true (got == logic);
  g_clear_object (&got);
  g_assert_cmpuint (n_logic, ==, 1);
  /* The same again says nothing. */
  tc_journey_canvas_set_logic (TC_JOURNEY_CANVAS (canvas), logic);
  g_assert_cmpuint (n_logic, ==, 1);

  g_assert_cmpfloat (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), ==, 1.0);
  tc_journey_canvas_zoom_in (TC_JOURNEY_CANVAS (canvas));
  g_assert_cmpfloat_with_epsilon (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), 1.2,
                                  1e-9);
  g_assert_cmpuint (n_zoom, ==, 1);
  for (guint i = 0; i < 20; i++)
    tc_journey_canvas_zoom_in (TC_JOURNEY_CANVAS (canvas));
  g_assert_cmpfloat (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), ==,
                     TC_JOURNEY_CANVAS_MAX_ZOOM);
  for (guint i = 0; i < 40; i++)
    tc_journey_canvas_zoom_out (TC_JOURNEY_CANVAS (canvas));
  g_assert_cmpfloat (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), ==,
                     TC_JOURNEY_CANVAS_MIN_ZOOM);
  tc_journey_canvas_zoom_reset (TC_JOURNEY_CANVAS (canvas));
  g_assert_cmpfloat_with_epsilon (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), 1.0,
                                  1e-9);

  tc_journey_canvas_set_logic (TC_JOURNEY_CANVAS (canvas), NULL);
  g_assert_cmpuint (n_logic, ==, 2);
  g_assert_finalize_object (canvas);
  g_assert_finalize_object (logic);
}

/* In a window: the journey opens in view, fit shows all of it, actions
 * reach the logic, and drawing works with every node selected. */
static void
test_in_window (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = tc_journey_canvas_new ();
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  TcJourneyRect bounds;
  double cx, cy;
  guint n_nodes = tc_journey_get_n_nodes (journey);
  GtkSnapshot *snapshot;
  GskRenderNode *node;

  tc_journey_editor_logic_tidy (logic);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  tc_journey_canvas_set_logic (TC_JOURNEY_CANVAS (canvas), logic);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_width (canvas);

  /* Fit: the bounds' middle is the view's middle. */
  tc_journey_canvas_fit (TC_JOURNEY_CANVAS (canvas));
  g_assert_true (tc_journey_get_bounds (journey, &bounds));
  tc_journey_canvas_get_center (TC_JOURNEY_CANVAS (canvas), &cx, &cy);
  g_assert_cmpfloat_with_epsilon (cx, bounds.x + bounds.width / 2, 0.5);
  g_assert_cmpfloat_with_epsilon (cy, bounds.y + bounds.height / 2, 0.5);
  g_assert_cmpfloat (tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)), <=, 1.0);

  /* The keyboard's actions. */
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.select-all", NULL));
  g_assert_cmpuint (tc_journey_editor_logic_get_n_selected (logic), ==, n_nodes);
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_unref (node);

  tc_journey_editor_logic_select (logic, "wait-1h", FALSE);
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.nudge", "(dd)", 8.0, 0.0));
  g_assert_cmpstr (tc_journey_editor_logic_get_undo_label (logic), ==, "Move");
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.delete", NULL));
  g_assert_null (tc_journey_lookup_node (journey, "wait-1h"));
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.undo", NULL));
  g_assert_nonnull (tc_journey_lookup_node (journey, "wait-1h"));
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.redo", NULL));
  g_assert_null (tc_journey_lookup_node (journey, "wait-1h"));

  /* Tab walks the nodes, then lets the focus go. */
  tc_journey_editor_logic_clear_selection (logic);
  g_assert_true (gtk_widget_child_focus (canvas, GTK_DIR_TAB_FORWARD));
  g_assert_cmpstr (tc_journey_editor_logic_get_selected_node (logic)->id, ==,
                   tc_journey_get_node (journey, 0)->id);
  for (guint i = 1; i < tc_journey_get_n_nodes (journey); i++)
    {
      g_assert_true (gtk_widget_child_focus (canvas, GTK_DIR_TAB_FORWARD));
      g_assert_cmpstr (tc_journey_editor_logic_get_selected_node (logic)->id, ==,
                       tc_journey_get_node (journey, i)->id);
    }
  g_assert_false (gtk_widget_child_focus (canvas, GTK_DIR_TAB_FORWARD));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* How many text nodes the canvas draws (titles, summaries, port names,
 * badges). */
static guint
count_text_nodes (GskRenderNode *node)
{
  GskRenderNodeType type = gsk_render_node_get_node_type (node);
  guint n = 0;

  if (type == GSK_TEXT_NODE)
    return 1;
  if (type == GSK_CONTAINER_NODE)
    {
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_text_nodes (gsk_container_node_get_child (node, i));
      return n;
    }
  if (type == GSK_TRANSFORM_NODE)
    return count_text_nodes (gsk_transform_node_get_child (node));
  if (type == GSK_CLIP_NODE)
    return count_text_nodes (gsk_clip_node_get_child (node));
  if (type == GSK_ROUNDED_CLIP_NODE)
    return count_text_nodes (gsk_rounded_clip_node_get_child (node));
  return 0;
}

static guint
count_drawn_texts (GtkWidget *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  guint n;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  n = count_text_nodes (node);
  gsk_render_node_unref (node);
  return n;
}

/* Live statistics: one badge (a text) per number that is not zero, on
 * the nodes in view; none once they are cleared. */
static void
test_stats_badges (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = tc_journey_canvas_new ();
  g_autoptr(TcJourney) journey = tc_journey_library_build ("cart_abandonment", NULL);
  g_autoptr(TcJourneyEditorLogic) logic = tc_journey_editor_logic_new (journey);
  g_autoptr(TcJourneyStats) stats = g_new0 (TcJourneyStats, 1);
  struct { const char *node; guint64 waiting, passed, sent, converted; } rows[] = {
    { "trigger", 0, 4, 0, 0 },        /* 1 badge */
    { "wait-1h", 2, 2, 0, 0 },        /* 2 */
    { "sms-reminder", 0, 2, 2, 1 },   /* 3 */
    { "wait-23h", 0, 0, 0, 0 },       /* none */
  };
  guint without, with;

  tc_journey_editor_logic_tidy (logic);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  tc_journey_canvas_set_logic (TC_JOURNEY_CANVAS (canvas), logic);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_width (canvas);
  tc_journey_canvas_fit (TC_JOURNEY_CANVAS (canvas));

  without = count_drawn_texts (canvas);
  g_assert_cmpuint (without, >, 0);

  stats->journey_id = 1;
  stats->nodes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      TcJourneyNodeStats *node = g_new0 (TcJourneyNodeStats, 1);

      node->node = (char *) rows[i].node;
      node->kind = (char *) "";
      node->label = (char *) "";
      node->waiting = rows[i].waiting;
      node->passed = rows[i].passed;
      node->sent = rows[i].sent;
      node->converted = rows[i].converted;
      g_ptr_array_add (stats->nodes, node);
    }
  g_assert_true (tc_journey_editor_logic_set_stats (logic, stats));
  with = count_drawn_texts (canvas);
  g_assert_cmpuint (with, ==, without + 6);

  /* Drawing does not depend on the selection for badges. */
  g_assert_true (gtk_widget_activate_action (canvas, "canvas.select-all", NULL));
  g_assert_cmpuint (count_drawn_texts (canvas), ==, with);

  g_assert_true (tc_journey_editor_logic_set_stats (logic, NULL));
  g_assert_cmpuint (count_drawn_texts (canvas), ==, without);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/journey-canvas/properties", test_properties);
  g_test_add_func ("/tc/journey-canvas/in-window", test_in_window);
  g_test_add_func ("/tc/journey-canvas/stats-badges", test_stats_badges);

  return g_test_run ();
}
