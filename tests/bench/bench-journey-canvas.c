/* bench-journey-canvas.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws a 200-node journey with the journey canvas and the cairo renderer,
 * and prints the frame time:
 *
 *   bench-journey-canvas [NODES] [FRAMES]    (needs a display: run it under
 *                                              xvfb-run, as meson does)
 *
 * The journey is a ladder of every kind of node (each output leads to the
 * next node, a second output to the one after), tidied up left to right.
 * The canvas sits in a 1280 × 800 window. A frame is what GTK does for it:
 * the widget's snapshot (render nodes, the cairo edges and sheet), then
 * the nodes drawn into a 1280 × 800 cairo image surface with
 * gsk_render_node_draw(), which is the cairo renderer's drawing. Two views
 * are timed: fitted (all 200 cards in view, small) and at 100 % (the
 * cards a person reads, the rest culled). The figures are the median and
 * the slowest of the frames; the target is 16 ms.
 */

#define G_LOG_DOMAIN "bench-journey-canvas"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gtk/gtk.h>

#include "tc-journey-canvas.h"
#include "tc-journey-editor-logic.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static TcJourney *
build_journey (guint n)
{
  static const TcJourneyNodeKind kinds[] = {
    TC_JOURNEY_NODE_WAIT, TC_JOURNEY_NODE_SEND_SMS, TC_JOURNEY_NODE_BRANCH,
    TC_JOURNEY_NODE_SEND_WHATSAPP, TC_JOURNEY_NODE_WAIT_FOR_EVENT, TC_JOURNEY_NODE_SPLIT,
    TC_JOURNEY_NODE_UPDATE_CONTACT, TC_JOURNEY_NODE_SEND_PREFERRED,
  };
  TcJourney *journey = tc_journey_new ("Benchmark");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      TcJourneyNodeKind kind = i == 0 ? TC_JOURNEY_NODE_TRIGGER
                                      : i == n - 1 ? TC_JOURNEY_NODE_EXIT
                                                   : kinds[i % G_N_ELEMENTS (kinds)];
      g_autofree char *label = g_strdup_printf ("Step %u of the journey", i + 1);
      const char *id = tc_journey_add_node (journey, NULL, kind, label, 0, 0, NULL, NULL);

      g_assert (id != NULL);
      g_ptr_array_add (ids, g_strdup (id));
    }

  for (guint i = 0; i + 1 < n; i++)
    {
      const TcJourneyNode *node = tc_journey_lookup_node (journey, g_ptr_array_index (ids, i));
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);

      for (guint p = 0; ports[p] != NULL; p++)
        {
          guint to = MIN (i + 1 + p, n - 1);

          tc_journey_connect (journey, node->id, ports[p], g_ptr_array_index (ids, to), NULL);
        }
    }
  return journey;
}

static void
time_frames (GtkWidget  *canvas,
             guint       n_frames,
             const char *what)
{
  g_autofree double *snap = g_new (double, n_frames);
  g_autofree double *draw = g_new (double, n_frames);
  g_autofree double *total = g_new (double, n_frames);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1280, 800);

  for (guint f = 0; f < n_frames; f++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;
      cairo_t *cr;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      t1 = g_get_monotonic_time ();
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      if (node != NULL)
        gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      t2 = g_get_monotonic_time ();
      g_clear_pointer (&node, gsk_render_node_unref);

      snap[f] = (t1 - t0) / 1000.0;
      draw[f] = (t2 - t1) / 1000.0;
      total[f] = (t2 - t0) / 1000.0;
    }
  cairo_surface_destroy (surface);

  qsort (snap, n_frames, sizeof (double), compare_doubles);
  qsort (draw, n_frames, sizeof (double), compare_doubles);
  qsort (total, n_frames, sizeof (double), compare_doubles);
  printf ("%-28s frame %6.2f ms median, %6.2f ms slowest (snapshot %5.2f ms, cairo draw %5.2f ms)\n",
          what, total[n_frames / 2], total[n_frames - 1], snap[n_frames / 2], draw[n_frames / 2]);
}

int
main (int   argc,
      char *argv[])
{
  guint n_nodes = argc > 1 ? (guint) atoi (argv[1]) : 200;
  guint n_frames = argc > 2 ? (guint) atoi (argv[2]) : 60;
  g_autoptr(TcJourney) journey = NULL;
  g_autoptr(TcJourneyEditorLogic) logic = NULL;
  GtkWidget *window, *canvas;
  g_autofree char *title = NULL;

  if (!gtk_init_check ())
    {
      printf ("SKIP: no display (run it under xvfb-run)\n");
      return 77;
    }
  if (n_nodes < 2 || n_nodes > TC_JOURNEY_MAX_NODES || n_frames < 1)
    {
      fprintf (stderr, "usage: bench-journey-canvas [NODES 2–%d] [FRAMES]\n", TC_JOURNEY_MAX_NODES);
      return 2;
    }

  journey = build_journey (n_nodes);
  logic = tc_journey_editor_logic_new (journey);
  tc_journey_editor_logic_tidy (logic);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  canvas = tc_journey_canvas_new ();
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  tc_journey_canvas_set_logic (TC_JOURNEY_CANVAS (canvas), logic);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (canvas) < 1000)
    g_main_context_iteration (NULL, TRUE);

  printf ("%u nodes, %u edges, %u frames of 1280 × 800, GTK %u.%u.%u\n",
          tc_journey_get_n_nodes (journey), tc_journey_get_n_edges (journey), n_frames,
          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version ());

  tc_journey_canvas_fit (TC_JOURNEY_CANVAS (canvas));
  title = g_strdup_printf ("fitted (zoom %.0f %%):",
                           tc_journey_canvas_get_zoom (TC_JOURNEY_CANVAS (canvas)) * 100);
  time_frames (canvas, n_frames, title);

  /* Every node selected: the selection rings and highlighted edges too. */
  tc_journey_editor_logic_select_all (logic);
  time_frames (canvas, n_frames, "fitted, all selected:");
  tc_journey_editor_logic_clear_selection (logic);

  tc_journey_canvas_show_start (TC_JOURNEY_CANVAS (canvas));
  tc_journey_canvas_zoom_reset (TC_JOURNEY_CANVAS (canvas));
  time_frames (canvas, n_frames, "at 100 %:");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
