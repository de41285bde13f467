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

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tc/journey-canvas/properties", test_properties);
  g_test_add_func ("/tc/journey-canvas/in-window", test_in_window);

  return g_test_run ();
}
