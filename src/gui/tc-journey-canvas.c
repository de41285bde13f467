/* tc-journey-canvas.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cards, ports and labels are render nodes (colours, rounded clips,
 * borders, text), so they stay sharp at any zoom and cost little; the
 * edges and the dotted sheet are one cairo node each (GTK 4.8 has no
 * path nodes). Everything is drawn in document coordinates under one
 * translate + scale, and the cards outside the view are skipped.
 */

#define G_LOG_DOMAIN "tc-journey-canvas"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tc-journey-canvas.h"

#define GRID_STEP      24.0
#define CARD_RADIUS    10.0
#define PORT_RADIUS    5.0
#define BADGE_HEIGHT   18.0
#define BADGE_PADDING  7.0
#define PORT_HIT       12.0
#define ZOOM_STEP      1.2
#define NUDGE          8.0
#define NUDGE_BIG      40.0
/* Below this zoom the cards' text is too small to read. */
#define READABLE_ZOOM  0.7

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_CONNECT,
  DRAG_BAND,
  DRAG_PAN,
} DragMode;

struct _TcJourneyCanvas
{
  GtkWidget             parent_instance;

  TcJourneyEditorLogic *logic;
  TcJourney            *journey;

  double                zoom;
  double                pan_x;
  double                pan_y;
  gboolean              fit_pending;

  /* The drag under way, in widget coordinates where it began. */
  DragMode              drag_mode;
  double                drag_start_x;
  double                drag_start_y;
  double                drag_x;
  double                drag_y;
  double                drag_pan_x;
  double                drag_pan_y;
  char                 *drag_node;   /* the card pressed, or the port's node */
  char                 *drag_port;
  gboolean              drag_deselect; /* a click on a selected card selects it alone */

  double                pinch_zoom;
  double                pointer_x;
  double                pointer_y;

  PangoLayout          *title_layout;
  PangoLayout          *small_layout;
  GtkIconPaintable     *icons[TC_JOURNEY_N_NODE_KINDS];
};

G_DEFINE_FINAL_TYPE (TcJourneyCanvas, tc_journey_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOGIC,
  PROP_ZOOM,
  N_PROPS
};

enum {
  ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Colours: the kinds' accents are the GNOME palette's; the rest follows
 * the light or dark style. */
static const char * const kind_colors[TC_JOURNEY_N_NODE_KINDS] = {
  "#813d9c", /* trigger */
  "#e5a50a", /* wait */
  "#c64600", /* wait for event */
  "#1c71d8", /* SMS */
  "#26a269", /* WhatsApp */
  "#1a5fb4", /* preferred */
  "#2190a4", /* branch */
  "#c061cb", /* split */
  "#865e3c", /* update contact */
  "#77767b", /* exit */
};

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA card;
  GdkRGBA border;
  GdkRGBA shadow;
  GdkRGBA accent;
  GdkRGBA error;
  GdkRGBA edge;
  GdkRGBA dot;
  GdkRGBA white;
} Palette;

static void
get_palette (Palette *p)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gdk_rgba_parse (&p->fg, dark ? "#ffffff" : "#241f31");
  p->dim = p->fg;
  p->dim.alpha = 0.6f;
  gdk_rgba_parse (&p->card, dark ? "#3a3a3e" : "#ffffff");
  p->border = p->fg;
  p->border.alpha = dark ? 0.18f : 0.14f;
  gdk_rgba_parse (&p->shadow, "rgba(0,0,0,0.18)");
  gdk_rgba_parse (&p->accent, dark ? "#78aeed" : "#1c71d8");
  gdk_rgba_parse (&p->error, dark ? "#ff7b63" : "#e01b24");
  p->edge = p->fg;
  p->edge.alpha = 0.45f;
  p->dot = p->fg;
  p->dot.alpha = dark ? 0.16f : 0.14f;
  gdk_rgba_parse (&p->white, "#ffffff");
}

/* Coordinates */

static void
to_doc (TcJourneyCanvas *self,
        double           wx,
        double           wy,
        double          *dx,
        double          *dy)
{
  *dx = (wx - self->pan_x) / self->zoom;
  *dy = (wy - self->pan_y) / self->zoom;
}

/* Where the view is, for the GUI test: the canvas's origin in its
 * window's surface, the zoom and the pan. */
static void
log_view (TcJourneyCanvas *self)
{
  GtkNative *native;
  graphene_point_t origin;
  double sx = 0, sy = 0;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) ||
      (native = gtk_widget_get_native (GTK_WIDGET (self))) == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (native),
                                 &GRAPHENE_POINT_INIT (0, 0), &origin))
    return;
  gtk_native_get_surface_transform (native, &sx, &sy);
  g_debug ("View: origin %.1f,%.1f zoom %.6f pan %.3f,%.3f",
           sx + origin.x, sy + origin.y, self->zoom, self->pan_x, self->pan_y);
}

static void
set_view (TcJourneyCanvas *self,
          double           zoom,
          double           pan_x,
          double           pan_y)
{
  gboolean zoom_changed = self->zoom != zoom;

  self->zoom = zoom;
  self->pan_x = pan_x;
  self->pan_y = pan_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  log_view (self);
  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
zoom_by (TcJourneyCanvas *self,
         double           factor,
         double           view_x,
         double           view_y)
{
  double zoom = self->zoom, pan_x = self->pan_x, pan_y = self->pan_y;

  tc_journey_zoom_around (factor, view_x, view_y, TC_JOURNEY_CANVAS_MIN_ZOOM,
                          TC_JOURNEY_CANVAS_MAX_ZOOM, &zoom, &pan_x, &pan_y);
  set_view (self, zoom, pan_x, pan_y);
}

void
tc_journey_canvas_show_start (TcJourneyCanvas *self)
{
  TcJourneyRect bounds;
  double zoom, pan_x, pan_y;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->journey == NULL || !tc_journey_get_bounds (self->journey, &bounds))
    {
      set_view (self, 1.0, 40, 40);
      return;
    }

  tc_journey_fit_transform (&bounds, width, height, 32, READABLE_ZOOM, 1.0, &zoom, &pan_x, &pan_y);
  if (bounds.width * zoom > width - 64)
    pan_x = 32 - bounds.x * zoom;
  if (bounds.height * zoom > height - 64)
    pan_y = 32 - bounds.y * zoom;
  set_view (self, zoom, pan_x, pan_y);
}

/* Accessibility: the canvas says which node is selected and where its
 * outputs go, so a screen reader follows Tab and the arrow keys. */
static void
update_accessible (TcJourneyCanvas *self)
{
  const TcJourneyNode *node = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_selected = 0;

  if (self->logic != NULL)
    {
      node = tc_journey_editor_logic_get_selected_node (self->logic);
      n_selected = tc_journey_editor_logic_get_n_selected (self->logic);
    }

  if (node != NULL)
    {
      g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
      guint n_problems = tc_journey_editor_logic_count_node_problems (self->logic, node->id);
      g_autofree char *stats = NULL;

      /* TRANSLATORS: the selected step on the journey canvas, "Send SMS “SMS reminder”". */
      g_string_append_printf (text, _("%s “%s”."), tc_journey_node_kind_get_title (node->kind),
                              tc_journey_node_get_display_label (node));
      for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
        {
          const TcJourneyEdge *edge = tc_journey_lookup_edge (self->journey, node->id, ports[i]);
          g_autofree char *title = tc_journey_port_dup_title (node, ports[i]);

          g_string_append_c (text, ' ');
          if (edge != NULL)
            {
              const TcJourneyNode *to = tc_journey_lookup_node (self->journey, edge->to);

              /* TRANSLATORS: an output and the step it leads to. */
              g_string_append_printf (text, _("%s leads to “%s”."), title,
                                      to != NULL ? tc_journey_node_get_display_label (to) : edge->to);
            }
          else if (tc_journey_node_port_ends (node, ports[i]))
            g_string_append_printf (text, _("%s ends the journey."), title);
          else
            g_string_append_printf (text, _("%s is not connected."), title);
        }
      if (n_problems > 0)
        {
          g_string_append_c (text, ' ');
          g_string_append_printf (text, ngettext ("%u problem.", "%u problems.", n_problems),
                                  n_problems);
        }
      stats = tc_journey_editor_logic_dup_stats_text (self->logic, node->id);
      if (stats != NULL)
        {
          g_string_append_c (text, ' ');
          g_string_append (text, stats);
        }
    }
  else if (n_selected > 1)
    g_string_append_printf (text, ngettext ("%u step selected.", "%u steps selected.", n_selected),
                            n_selected);
  else
    g_string_append (text, _("No step selected. Press Tab to select the first step."));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

/* Drawing */

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  radius,
                const GdkRGBA         *color)
{
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  radius,
                float                  width,
                const GdkRGBA         *color)
{
  GskRoundedRect rr;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rr, rect, radius);
  gtk_snapshot_append_border (snapshot, &rr, widths, colors);
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_circle (GtkSnapshot   *snapshot,
               double         cx,
               double         cy,
               double         r,
               const GdkRGBA *color)
{
  append_rounded (snapshot, &GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r), r, color);
}

static GtkIconPaintable *
get_icon (TcJourneyCanvas   *self,
          TcJourneyNodeKind  kind)
{
  if (self->icons[kind] == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      self->icons[kind] = gtk_icon_theme_lookup_icon (theme,
                                                      tc_journey_node_kind_get_icon_name (kind),
                                                      NULL, 16,
                                                      gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                      GTK_TEXT_DIR_NONE, 0);
    }
  return self->icons[kind];
}

/* A cairo context for the whole view in document coordinates. The cairo
 * node is made in widget coordinates and scaled here: GTK 4.8 applies a
 * snapshot's translation before its scale to cairo nodes (fixed in 4.10),
 * so they cannot sit under the snapshot's own zoom. */
static cairo_t *
begin_cairo (TcJourneyCanvas *self,
             GtkSnapshot     *snapshot)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                           &GRAPHENE_RECT_INIT (0, 0,
                                                                gtk_widget_get_width (GTK_WIDGET (self)),
                                                                gtk_widget_get_height (GTK_WIDGET (self))));

  cairo_translate (cr, self->pan_x, self->pan_y);
  cairo_scale (cr, self->zoom, self->zoom);
  return cr;
}

static void
edge_curve (double  x1,
            double  y1,
            double  x2,
            double  y2,
            double *c1x,
            double *c2x)
{
  /* Forward edges bow gently; edges going back loop out further. */
  double dx = x2 >= x1 + 40 ? MAX (40.0, (x2 - x1) / 2) : CLAMP ((x1 - x2) / 2, 80.0, 140.0);

  *c1x = x1 + dx;
  *c2x = x2 - dx;
}

static void
draw_edges (TcJourneyCanvas       *self,
            GtkSnapshot           *snapshot,
            const graphene_rect_t *visible,
            const Palette         *palette)
{
  cairo_t *cr;
  guint n_edges = tc_journey_get_n_edges (self->journey);

  if (n_edges == 0 && self->drag_mode != DRAG_CONNECT)
    return;

  cr = begin_cairo (self, snapshot);
  cairo_set_line_width (cr, 2);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint i = 0; i < n_edges; i++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (self->journey, i);
      const TcJourneyNode *from = tc_journey_lookup_node (self->journey, edge->from);
      const TcJourneyNode *to = tc_journey_lookup_node (self->journey, edge->to);
      gboolean selected;
      double x1, y1, x2, y2, c1x, c2x;

      if (from == NULL || to == NULL ||
          !tc_journey_node_get_port_position (from, edge->port, &x1, &y1))
        continue;
      tc_journey_node_get_input_position (to, &x2, &y2);
      edge_curve (x1, y1, x2, y2, &c1x, &c2x);

      selected = tc_journey_editor_logic_is_selected (self->logic, edge->from) ||
                 tc_journey_editor_logic_is_selected (self->logic, edge->to);
      gdk_cairo_set_source_rgba (cr, selected ? &palette->accent : &palette->edge);
      cairo_move_to (cr, x1, y1);
      cairo_curve_to (cr, c1x, y1, c2x, y2, x2 - 6, y2);
      cairo_stroke (cr);

      /* The arrowhead. */
      cairo_move_to (cr, x2, y2);
      cairo_line_to (cr, x2 - 9, y2 - 5);
      cairo_line_to (cr, x2 - 9, y2 + 5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  if (self->drag_mode == DRAG_CONNECT)
    {
      const TcJourneyNode *from = tc_journey_lookup_node (self->journey, self->drag_node);
      double x1, y1, x2, y2, c1x, c2x;
      const double dashes[] = { 6, 4 };

      if (from != NULL && tc_journey_node_get_port_position (from, self->drag_port, &x1, &y1))
        {
          to_doc (self, self->drag_x, self->drag_y, &x2, &y2);
          edge_curve (x1, y1, x2, y2, &c1x, &c2x);
          gdk_cairo_set_source_rgba (cr, &palette->accent);
          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
          cairo_move_to (cr, x1, y1);
          cairo_curve_to (cr, c1x, y1, c2x, y2, x2, y2);
          cairo_stroke (cr);
        }
    }

  cairo_destroy (cr);
}

/* The labels of branch outputs, on their edges: a pill near the start of
 * the curve, so two outputs into one step keep their pills apart (the
 * Bézier's point at t = 0.3: 0.343 p0 + 0.441 p1 + 0.189 p2 + 0.027 p3). */
static void
draw_edge_labels (TcJourneyCanvas       *self,
                  GtkSnapshot           *snapshot,
                  const graphene_rect_t *visible,
                  const Palette         *palette)
{
  for (guint i = 0; i < tc_journey_get_n_edges (self->journey); i++)
    {
      const TcJourneyEdge *edge = tc_journey_get_edge (self->journey, i);
      const TcJourneyNode *from = tc_journey_lookup_node (self->journey, edge->from);
      const TcJourneyNode *to = tc_journey_lookup_node (self->journey, edge->to);
      g_autofree char *title = NULL;
      double x1, y1, x2, y2, c1x, c2x, mx, my;
      int w, h;

      if (from == NULL || to == NULL || strcmp (edge->port, "next") == 0 ||
          !tc_journey_node_get_port_position (from, edge->port, &x1, &y1))
        continue;
      tc_journey_node_get_input_position (to, &x2, &y2);
      /* Short edges leave their port's name on the card alone. */
      if (fabs (x2 - x1) < 120 && fabs (y2 - y1) < 80)
        continue;
      edge_curve (x1, y1, x2, y2, &c1x, &c2x);
      mx = 0.343 * x1 + 0.441 * c1x + 0.189 * c2x + 0.027 * x2;
      my = 0.343 * y1 + 0.441 * y1 + 0.189 * y2 + 0.027 * y2;
      if (!graphene_rect_contains_point (visible, &GRAPHENE_POINT_INIT (mx, my)))
        continue;

      title = tc_journey_port_dup_title (from, edge->port);
      pango_layout_set_text (self->small_layout, title, -1);
      pango_layout_get_pixel_size (self->small_layout, &w, &h);
      append_rounded (snapshot,
                      &GRAPHENE_RECT_INIT (mx - w / 2.0 - 7, my - h / 2.0 - 2, w + 14, h + 4),
                      (h + 4) / 2.0f, &palette->card);
      append_outline (snapshot,
                      &GRAPHENE_RECT_INIT (mx - w / 2.0 - 7, my - h / 2.0 - 2, w + 14, h + 4),
                      (h + 4) / 2.0f, 1, &palette->border);
      append_text (snapshot, self->small_layout, mx - w / 2.0, my - h / 2.0, &palette->dim);
    }
}

static void
draw_card (TcJourneyCanvas     *self,
           GtkSnapshot         *snapshot,
           const TcJourneyNode *node,
           const Palette       *palette)
{
  TcJourneyRect r;
  graphene_rect_t rect;
  GskRoundedRect rr;
  GdkRGBA accent, soft;
  g_auto(GStrv) ports = tc_journey_node_dup_ports (node);
  gboolean selected = tc_journey_editor_logic_is_selected (self->logic, node->id);
  guint n_problems = tc_journey_editor_logic_count_node_problems (self->logic, node->id);
  GtkIconPaintable *icon;
  g_autofree char *summary = NULL;
  double ix, iy;
  int w, h;

  tc_journey_node_get_rect (node, &r);
  rect = GRAPHENE_RECT_INIT (r.x, r.y, r.width, r.height);
  gdk_rgba_parse (&accent, kind_colors[node->kind]);
  soft = accent;
  soft.alpha = 0.12f;

  gsk_rounded_rect_init_from_rect (&rr, &rect, CARD_RADIUS);
  gtk_snapshot_append_outset_shadow (snapshot, &rr, &palette->shadow, 0, 1, 0, 4);
  append_rounded (snapshot, &rect, CARD_RADIUS, &palette->card);

  /* The header, tinted with the kind's colour, and its icon. */
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, &soft,
                             &GRAPHENE_RECT_INIT (r.x, r.y, r.width, TC_JOURNEY_CARD_HEADER));
  gtk_snapshot_pop (snapshot);
  append_circle (snapshot, r.x + 22, r.y + TC_JOURNEY_CARD_HEADER / 2, 13, &accent);
  icon = get_icon (self, node->kind);
  if (icon != NULL)
    {
      const GdkRGBA colors[4] = { palette->white, palette->white, palette->white, palette->white };

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (r.x + 14,
                                                    r.y + TC_JOURNEY_CARD_HEADER / 2 - 8));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                                16, 16, colors, G_N_ELEMENTS (colors));
      gtk_snapshot_restore (snapshot);
    }

  /* Title and kind. */
  pango_layout_set_text (self->title_layout, tc_journey_node_get_display_label (node), -1);
  pango_layout_set_width (self->title_layout,
                          (int) ((r.width - 52 - (n_problems > 0 ? 22 : 0)) * PANGO_SCALE));
  append_text (snapshot, self->title_layout, r.x + 42, r.y + 7, &palette->fg);
  summary = tc_journey_node_dup_summary (node);
  pango_layout_set_text (self->small_layout, summary, -1);
  pango_layout_set_width (self->small_layout, (int) ((r.width - 52) * PANGO_SCALE));
  append_text (snapshot, self->small_layout, r.x + 42, r.y + 26, &palette->dim);
  pango_layout_set_width (self->small_layout, -1);

  /* Output ports, with their names unless "next" is the only one. */
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      double px, py;
      gboolean connected = tc_journey_lookup_edge (self->journey, node->id, ports[i]) != NULL;
      gboolean ends = tc_journey_node_port_ends (node, ports[i]);

      tc_journey_node_get_port_position (node, ports[i], &px, &py);
      if (!(strcmp (ports[i], "next") == 0 && ports[i + 1] == NULL && i == 0) || ends)
        {
          g_autofree char *title = tc_journey_port_dup_title (node, ports[i]);

          if (ends)
            {
              g_autofree char *both = g_strdup_printf (_("%s · ends"), title);

              pango_layout_set_text (self->small_layout, both, -1);
            }
          else
            pango_layout_set_text (self->small_layout, title, -1);
          pango_layout_get_pixel_size (self->small_layout, &w, &h);
          append_text (snapshot, self->small_layout, px - 12 - w, py - h / 2.0, &palette->dim);
        }

      if (ends)
        {
          /* An end mark: a short bar instead of a dot. */
          append_rounded (snapshot, &GRAPHENE_RECT_INIT (px - 2, py - 7, 4, 14), 2, &palette->dim);
        }
      else
        {
          append_circle (snapshot, px, py, PORT_RADIUS + 1.5, &palette->card);
          append_circle (snapshot, px, py, PORT_RADIUS, connected ? &accent : &palette->edge);
          if (!connected)
            append_circle (snapshot, px, py, PORT_RADIUS - 2, &palette->card);
        }
    }

  /* The input port (a trigger has none: nothing leads into it). */
  if (node->kind != TC_JOURNEY_NODE_TRIGGER)
    {
      gboolean target = self->drag_mode == DRAG_CONNECT &&
                        g_strcmp0 (self->drag_node, node->id) != 0;

      tc_journey_node_get_input_position (node, &ix, &iy);
      append_circle (snapshot, ix, iy, PORT_RADIUS + 1.5, &palette->card);
      append_circle (snapshot, ix, iy, target ? PORT_RADIUS + 1 : PORT_RADIUS,
                     target ? &palette->accent : &palette->edge);
    }

  /* Problems: a red badge with the count, explained in the tooltip. */
  if (n_problems > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_problems);

      append_circle (snapshot, r.x + r.width - 14, r.y + 14, 9, &palette->error);
      pango_layout_set_text (self->small_layout, count, -1);
      pango_layout_get_pixel_size (self->small_layout, &w, &h);
      append_text (snapshot, self->small_layout, r.x + r.width - 14 - w / 2.0, r.y + 14 - h / 2.0,
                   &palette->white);
      append_outline (snapshot, &rect, CARD_RADIUS, 1, &palette->error);
    }
  else
    append_outline (snapshot, &rect, CARD_RADIUS, 1, &palette->border);

  if (selected)
    {
      graphene_rect_t ring;

      graphene_rect_inset_r (&rect, -3, -3, &ring);
      append_outline (snapshot, &ring, CARD_RADIUS + 3,
                      gtk_widget_has_focus (GTK_WIDGET (self)) ? 3 : 2, &palette->accent);
    }
}

/* Live statistics: a row of pills on the card's bottom edge, one per
 * number that is not zero. */
static const char * const badge_colors[] = {
  "#1c71d8", /* waiting */
  "#5e5c64", /* passed */
  "#26a269", /* sent */
  "#813d9c", /* converted */
};

static void
draw_badges (TcJourneyCanvas     *self,
             GtkSnapshot         *snapshot,
             const TcJourneyNode *node,
             const Palette       *palette)
{
  g_autoptr(GPtrArray) badges = tc_journey_editor_logic_dup_badges (self->logic, node->id);
  TcJourneyRect r;
  double x, y;

  if (badges->len == 0)
    return;

  tc_journey_node_get_rect (node, &r);
  x = r.x + 10;
  y = r.y + r.height - BADGE_HEIGHT / 2 + 4;
  for (guint i = 0; i < badges->len; i++)
    {
      const TcJourneyBadge *badge = g_ptr_array_index (badges, i);
      GdkRGBA color;
      int w, h;
      graphene_rect_t pill;

      gdk_rgba_parse (&color, badge_colors[MIN ((guint) badge->kind, G_N_ELEMENTS (badge_colors) - 1)]);
      pango_layout_set_text (self->small_layout, badge->text, -1);
      pango_layout_get_pixel_size (self->small_layout, &w, &h);
      pill = GRAPHENE_RECT_INIT (x, y, w + 2 * BADGE_PADDING, BADGE_HEIGHT);
      append_rounded (snapshot, &GRAPHENE_RECT_INIT (x - 1.5, y - 1.5, pill.size.width + 3,
                                                     BADGE_HEIGHT + 3),
                      BADGE_HEIGHT / 2 + 1.5, &palette->card);
      append_rounded (snapshot, &pill, BADGE_HEIGHT / 2, &color);
      append_text (snapshot, self->small_layout, x + BADGE_PADDING, y + (BADGE_HEIGHT - h) / 2.0,
                   &palette->white);
      x += pill.size.width + 4;
    }
}

static void
draw_grid (TcJourneyCanvas       *self,
           GtkSnapshot           *snapshot,
           const graphene_rect_t *visible,
           const Palette         *palette)
{
  double step = GRID_STEP;
  cairo_t *cr;
  double x0, y0, r;

  /* Fewer dots when zoomed out, so the sheet never turns grey. */
  while (step * self->zoom < 14)
    step *= 2;
  r = 1.1 / self->zoom;

  cr = begin_cairo (self, snapshot);
  gdk_cairo_set_source_rgba (cr, &palette->dot);
  x0 = floor (visible->origin.x / step) * step;
  y0 = floor (visible->origin.y / step) * step;
  for (double y = y0; y <= visible->origin.y + visible->size.height; y += step)
    for (double x = x0; x <= visible->origin.x + visible->size.width; x += step)
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
tc_journey_canvas_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t visible;
  Palette palette;

  get_palette (&palette);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  visible = GRAPHENE_RECT_INIT (-self->pan_x / self->zoom, -self->pan_y / self->zoom,
                                width / self->zoom, height / self->zoom);

  /* The cairo layers first, in widget coordinates (see begin_cairo()). */
  draw_grid (self, snapshot, &visible, &palette);
  if (self->journey != NULL)
    draw_edges (self, snapshot, &visible, &palette);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->pan_x, self->pan_y));
  gtk_snapshot_scale (snapshot, self->zoom, self->zoom);

  if (self->journey != NULL)
    {
      draw_edge_labels (self, snapshot, &visible, &palette);

      for (guint i = 0; i < tc_journey_get_n_nodes (self->journey); i++)
        {
          const TcJourneyNode *node = tc_journey_get_node (self->journey, i);
          TcJourneyRect r;

          tc_journey_node_get_rect (node, &r);
          /* Room for the shadow, the selection ring, the ports and the
           * badges under the card (which may be wider than it). */
          if (!graphene_rect_intersection (&visible,
                                           &GRAPHENE_RECT_INIT (r.x - 12, r.y - 12, r.width * 2,
                                                                r.height + 24 + BADGE_HEIGHT),
                                           NULL))
            continue;
          draw_card (self, snapshot, node, &palette);
          draw_badges (self, snapshot, node, &palette);
        }
    }

  gtk_snapshot_restore (snapshot);

  if (self->drag_mode == DRAG_BAND)
    {
      graphene_rect_t band = GRAPHENE_RECT_INIT (MIN (self->drag_start_x, self->drag_x),
                                                 MIN (self->drag_start_y, self->drag_y),
                                                 fabs (self->drag_x - self->drag_start_x),
                                                 fabs (self->drag_y - self->drag_start_y));
      GdkRGBA fill = palette.accent;

      fill.alpha = 0.12f;
      gtk_snapshot_append_color (snapshot, &fill, &band);
      append_outline (snapshot, &band, 0, 1, &palette.accent);
    }

  gtk_snapshot_pop (snapshot);
}

static void
tc_journey_canvas_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 720 : 480;
}

static void
tc_journey_canvas_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (widget);

  if (self->fit_pending && width > 1 && height > 1)
    {
      self->fit_pending = FALSE;
      tc_journey_canvas_show_start (self);
    }
  log_view (self);
}

static gboolean
tc_journey_canvas_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_mode,
                                 GtkTooltip *tooltip)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (widget);
  const TcJourneyNode *node;
  const char *port = NULL;
  double dx, dy;

  if (self->logic == NULL || self->drag_mode != DRAG_NONE)
    return FALSE;

  if (keyboard_mode)
    node = tc_journey_editor_logic_get_selected_node (self->logic);
  else
    {
      to_doc (self, x, y, &dx, &dy);
      node = tc_journey_editor_logic_port_at (self->logic, dx, dy, PORT_HIT / self->zoom, &port);
      if (node != NULL)
        {
          g_autofree char *title = tc_journey_port_dup_title (node, port);
          g_autofree char *text = g_strdup_printf (_("Drag from “%s” to a step to connect"), title);

          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
      node = tc_journey_editor_logic_node_at (self->logic, dx, dy);
    }

  if (node != NULL)
    {
      GPtrArray *problems = tc_journey_editor_logic_get_problems (self->logic);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *stats = tc_journey_editor_logic_dup_stats_text (self->logic, node->id);

      for (guint i = 0; i < problems->len; i++)
        {
          const TcJourneyProblem *problem = g_ptr_array_index (problems, i);

          if (g_strcmp0 (problem->node, node->id) != 0)
            continue;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, problem->message);
        }
      if (stats != NULL)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, stats);
        }
      if (text->len == 0)
        return FALSE;
      gtk_tooltip_set_text (tooltip, text->str);
      return TRUE;
    }

  return FALSE;
}

/* Tab and Shift+Tab walk the nodes in the order they were added, then
 * let the focus leave the canvas. */
static gboolean
tc_journey_canvas_focus (GtkWidget        *widget,
                         GtkDirectionType  direction)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (widget);
  const TcJourneyNode *selected;
  guint n;
  int index = -1, next;
  gboolean forward;

  if (self->logic == NULL)
    return FALSE;

  n = tc_journey_get_n_nodes (self->journey);
  forward = direction != GTK_DIR_TAB_BACKWARD && direction != GTK_DIR_UP &&
            direction != GTK_DIR_LEFT;

  if (!gtk_widget_has_focus (widget))
    {
      gtk_widget_grab_focus (widget);
      if (n > 0 && tc_journey_editor_logic_get_n_selected (self->logic) == 0)
        tc_journey_editor_logic_select (self->logic,
                                        tc_journey_get_node (self->journey,
                                                             forward ? 0 : n - 1)->id,
                                        FALSE);
      return TRUE;
    }

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return FALSE;

  selected = tc_journey_editor_logic_get_selected_node (self->logic);
  for (guint i = 0; selected != NULL && i < n; i++)
    if (tc_journey_get_node (self->journey, i) == selected)
      index = (int) i;

  next = index < 0 ? (forward ? 0 : (int) n - 1) : (forward ? index + 1 : index - 1);
  if (next < 0 || next >= (int) n)
    return FALSE;

  tc_journey_editor_logic_select (self->logic, tc_journey_get_node (self->journey, next)->id,
                                  FALSE);
  tc_journey_canvas_reveal_node (self, tc_journey_get_node (self->journey, next)->id);
  return TRUE;
}

/* Gestures */

static void
on_drag_begin_cb (GtkGestureDrag  *gesture,
                  double           x,
                  double           y,
                  TcJourneyCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  gboolean extend = (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  const TcJourneyNode *node;
  const char *port = NULL;
  double dx, dy;

  if (self->logic == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_start_x = self->drag_x = x;
  self->drag_start_y = self->drag_y = y;
  self->drag_deselect = FALSE;
  g_clear_pointer (&self->drag_node, g_free);
  g_clear_pointer (&self->drag_port, g_free);
  to_doc (self, x, y, &dx, &dy);

  if (button == GDK_BUTTON_MIDDLE || button == GDK_BUTTON_SECONDARY)
    {
      self->drag_mode = DRAG_PAN;
      self->drag_pan_x = self->pan_x;
      self->drag_pan_y = self->pan_y;
      return;
    }

  node = tc_journey_editor_logic_port_at (self->logic, dx, dy, PORT_HIT / self->zoom, &port);
  if (node != NULL)
    {
      self->drag_mode = DRAG_CONNECT;
      self->drag_node = g_strdup (node->id);
      self->drag_port = g_strdup (port);
      tc_journey_editor_logic_select (self->logic, node->id, FALSE);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
      return;
    }

  node = tc_journey_editor_logic_node_at (self->logic, dx, dy);
  if (node != NULL)
    {
      self->drag_node = g_strdup (node->id);
      if (extend)
        {
          tc_journey_editor_logic_toggle (self->logic, node->id);
          self->drag_mode = DRAG_NONE;
          return;
        }
      if (tc_journey_editor_logic_is_selected (self->logic, node->id))
        self->drag_deselect = tc_journey_editor_logic_get_n_selected (self->logic) > 1;
      else
        tc_journey_editor_logic_select (self->logic, node->id, FALSE);
      self->drag_mode = DRAG_MOVE;
      tc_journey_editor_logic_move_begin (self->logic);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
      return;
    }

  self->drag_mode = DRAG_BAND;
  if (!extend)
    tc_journey_editor_logic_clear_selection (self->logic);
}

static void
on_drag_update_cb (GtkGestureDrag  *gesture,
                   double           offset_x,
                   double           offset_y,
                   TcJourneyCanvas *self)
{
  self->drag_x = self->drag_start_x + offset_x;
  self->drag_y = self->drag_start_y + offset_y;

  switch (self->drag_mode)
    {
    case DRAG_MOVE:
      tc_journey_editor_logic_move_update (self->logic, offset_x / self->zoom,
                                           offset_y / self->zoom);
      break;
    case DRAG_PAN:
      set_view (self, self->zoom, self->drag_pan_x + offset_x, self->drag_pan_y + offset_y);
      break;
    case DRAG_CONNECT:
    case DRAG_BAND:
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end_cb (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                TcJourneyCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  DragMode mode = self->drag_mode;
  gboolean clicked = fabs (offset_x) < 3 && fabs (offset_y) < 3;
  double dx, dy;

  self->drag_mode = DRAG_NONE;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  if (self->logic == NULL)
    return;

  switch (mode)
    {
    case DRAG_MOVE:
      tc_journey_editor_logic_move_end (self->logic);
      if (clicked && self->drag_deselect && self->drag_node != NULL)
        tc_journey_editor_logic_select (self->logic, self->drag_node, FALSE);
      break;

    case DRAG_CONNECT:
      {
        const TcJourneyNode *target;

        to_doc (self, self->drag_start_x + offset_x, self->drag_start_y + offset_y, &dx, &dy);
        target = tc_journey_editor_logic_input_at (self->logic, dx, dy, PORT_HIT / self->zoom);
        if (target == NULL)
          {
            /* Dropped on the empty sheet: the port lets go of its edge. */
            if (!clicked)
              tc_journey_editor_logic_disconnect (self->logic, self->drag_node, self->drag_port);
          }
        else if (g_strcmp0 (target->id, self->drag_node) != 0)
          {
            g_autoptr(GError) error = NULL;
            g_autofree char *target_id = g_strdup (target->id);

            if (!tc_journey_editor_logic_connect (self->logic, self->drag_node, self->drag_port,
                                                  target_id, &error))
              g_signal_emit (self, signals[ERROR], 0, error->message);
          }
        gtk_widget_queue_draw (GTK_WIDGET (self));
      }
      break;

    case DRAG_BAND:
      if (!clicked)
        {
          TcJourneyRect band;
          double x2, y2;

          to_doc (self, MIN (self->drag_start_x, self->drag_x),
                  MIN (self->drag_start_y, self->drag_y),
                  &band.x, &band.y);
          to_doc (self, MAX (self->drag_start_x, self->drag_x),
                  MAX (self->drag_start_y, self->drag_y),
                  &x2, &y2);
          band.width = x2 - band.x;
          band.height = y2 - band.y;
          tc_journey_editor_logic_select_rect (self->logic, &band,
                                               (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0);
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_PAN:
    case DRAG_NONE:
    default:
      break;
    }
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              TcJourneyCanvas          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double unit = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? 40 : 1;

  if (state & GDK_CONTROL_MASK)
    {
      zoom_by (self, pow (1.1, -dy * (unit > 1 ? 1 : 0.1)), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      dx = dy;
      dy = 0;
    }
  set_view (self, self->zoom, self->pan_x - dx * unit, self->pan_y - dy * unit);
  return TRUE;
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TcJourneyCanvas          *self)
{
  double dx, dy;
  const char *port = NULL;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->logic == NULL || self->drag_mode != DRAG_NONE)
    return;

  to_doc (self, x, y, &dx, &dy);
  if (tc_journey_editor_logic_port_at (self->logic, dx, dy, PORT_HIT / self->zoom, &port) != NULL)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  else if (tc_journey_editor_logic_node_at (self->logic, dx, dy) != NULL)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
  else
    gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
on_zoom_begin_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  TcJourneyCanvas  *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_zoom_scale_changed_cb (GtkGestureZoom  *gesture,
                          double           scale,
                          TcJourneyCanvas *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  zoom_by (self, self->pinch_zoom * scale / self->zoom, cx, cy);
}

static gboolean
on_drop_cb (GtkDropTarget   *target,
            const GValue    *value,
            double           x,
            double           y,
            TcJourneyCanvas *self)
{
  const char *text = g_value_get_string (value);
  const TcJourneyNode *node;
  const char *id;
  TcJourneyNodeKind kind;
  g_autoptr(GError) error = NULL;
  double dx, dy;

  if (self->logic == NULL || text == NULL || !tc_journey_node_kind_from_string (text, &kind))
    return FALSE;

  to_doc (self, x, y, &dx, &dy);
  id = tc_journey_editor_logic_add_node (self->logic, kind, dx - TC_JOURNEY_CARD_WIDTH / 2,
                                         dy - TC_JOURNEY_CARD_HEADER / 2, &error);
  if (id == NULL)
    {
      g_signal_emit (self, signals[ERROR], 0, error->message);
      return FALSE;
    }
  node = tc_journey_lookup_node (self->journey, id);
  g_debug ("Dropped %s as %s at %.0f,%.0f", text, id, node->x, node->y);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return TRUE;
}

static void
on_journey_changed_cb (TcJourneyCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_accessible (self);
}

static void
on_selection_changed_cb (TcJourneyCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_accessible (self);
}

static void
on_paste_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TcJourneyCanvas) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (text == NULL || self->logic == NULL)
    return;

  if (!tc_journey_editor_logic_paste (self->logic, text, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The clipboard does not hold journey steps "
                                                    "to paste (%s)."), error->message);

      g_signal_emit (self, signals[ERROR], 0, message);
    }
}

/* Actions */

static void
canvas_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (widget);

  if (self->logic == NULL)
    return;

  if (g_str_equal (action_name, "canvas.delete"))
    tc_journey_editor_logic_delete_selection (self->logic);
  else if (g_str_equal (action_name, "canvas.select-all"))
    tc_journey_editor_logic_select_all (self->logic);
  else if (g_str_equal (action_name, "canvas.copy"))
    tc_journey_canvas_copy (self);
  else if (g_str_equal (action_name, "canvas.paste"))
    tc_journey_canvas_paste (self);
  else if (g_str_equal (action_name, "canvas.undo"))
    tc_journey_editor_logic_undo (self->logic);
  else if (g_str_equal (action_name, "canvas.redo"))
    tc_journey_editor_logic_redo (self->logic);
  else if (g_str_equal (action_name, "canvas.zoom-in"))
    tc_journey_canvas_zoom_in (self);
  else if (g_str_equal (action_name, "canvas.zoom-out"))
    tc_journey_canvas_zoom_out (self);
  else if (g_str_equal (action_name, "canvas.zoom-reset"))
    tc_journey_canvas_zoom_reset (self);
  else if (g_str_equal (action_name, "canvas.fit"))
    tc_journey_canvas_fit (self);
  else if (g_str_equal (action_name, "canvas.nudge"))
    {
      double dx, dy;
      g_auto(GStrv) ids = NULL;

      g_variant_get (parameter, "(dd)", &dx, &dy);
      if (tc_journey_editor_logic_nudge (self->logic, dx, dy))
        {
          ids = tc_journey_editor_logic_dup_selection (self->logic);
          if (ids[0] != NULL)
            tc_journey_canvas_reveal_node (self, ids[0]);
        }
    }
}

/* GObject */

static void
tc_journey_canvas_dispose (GObject *object)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (object);

  tc_journey_canvas_set_logic (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self->icons); i++)
    g_clear_object (&self->icons[i]);
  g_clear_object (&self->title_layout);
  g_clear_object (&self->small_layout);

  G_OBJECT_CLASS (tc_journey_canvas_parent_class)->dispose (object);
}

static void
tc_journey_canvas_finalize (GObject *object)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (object);

  g_free (self->drag_node);
  g_free (self->drag_port);

  G_OBJECT_CLASS (tc_journey_canvas_parent_class)->finalize (object);
}

static void
tc_journey_canvas_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (object);

  switch (prop_id)
    {
    case PROP_LOGIC:
      g_value_set_object (value, self->logic);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_journey_canvas_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TcJourneyCanvas *self = TC_JOURNEY_CANVAS (object);

  switch (prop_id)
    {
    case PROP_LOGIC:
      tc_journey_canvas_set_logic (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_nudge (GtkWidgetClass  *widget_class,
           guint            key,
           double           dx,
           double           dy)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "canvas.nudge", "(dd)", dx, dy);
  gtk_widget_class_add_binding_action (widget_class, key, GDK_SHIFT_MASK, "canvas.nudge", "(dd)",
                                       dx * NUDGE_BIG / NUDGE, dy * NUDGE_BIG / NUDGE);
}

static void
tc_journey_canvas_class_init (TcJourneyCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char * const simple[] = {
    "canvas.delete", "canvas.select-all", "canvas.copy", "canvas.paste", "canvas.undo",
    "canvas.redo", "canvas.zoom-in", "canvas.zoom-out", "canvas.zoom-reset", "canvas.fit",
  };

  object_class->dispose = tc_journey_canvas_dispose;
  object_class->finalize = tc_journey_canvas_finalize;
  object_class->get_property = tc_journey_canvas_get_property;
  object_class->set_property = tc_journey_canvas_set_property;

  widget_class->snapshot = tc_journey_canvas_snapshot;
  widget_class->measure = tc_journey_canvas_measure;
  widget_class->size_allocate = tc_journey_canvas_size_allocate;
  widget_class->query_tooltip = tc_journey_canvas_query_tooltip;
  widget_class->focus = tc_journey_canvas_focus;

  properties[PROP_LOGIC] =
    g_param_spec_object ("logic", NULL, NULL, TC_TYPE_JOURNEY_EDITOR_LOGIC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, TC_JOURNEY_CANVAS_MIN_ZOOM,
                         TC_JOURNEY_CANVAS_MAX_ZOOM, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    gtk_widget_class_install_action (widget_class, simple[i], NULL, canvas_action);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(dd)", canvas_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "canvas.copy",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "canvas.paste",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "canvas.undo",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "canvas.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "canvas.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "canvas.zoom-reset", NULL);
  /* Ctrl+F is the application's search. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "canvas.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "canvas.fit", NULL);
  add_nudge (widget_class, GDK_KEY_Left, -NUDGE, 0);
  add_nudge (widget_class, GDK_KEY_Right, NUDGE, 0);
  add_nudge (widget_class, GDK_KEY_Up, 0, -NUDGE);
  add_nudge (widget_class, GDK_KEY_Down, 0, NUDGE);

  gtk_widget_class_set_css_name (widget_class, "journeycanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tc_journey_canvas_init (TcJourneyCanvas *self)
{
  GtkGesture *drag, *zoom;
  GtkEventController *scroll, *motion;
  GtkDropTarget *drop;
  PangoAttrList *attrs;

  self->zoom = 1.0;
  self->pan_x = 40;
  self->pan_y = 40;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Journey canvas"),
                                  -1);

  self->title_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (self->title_layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (self->title_layout, PANGO_ELLIPSIZE_END);
  self->small_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_layout_set_attributes (self->small_layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (self->small_layout, PANGO_ELLIPSIZE_END);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_accessible (self);
}

/* Public API */

GtkWidget *
tc_journey_canvas_new (void)
{
  return g_object_new (TC_TYPE_JOURNEY_CANVAS, NULL);
}

TcJourneyEditorLogic *
tc_journey_canvas_get_logic (TcJourneyCanvas *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_CANVAS (self), NULL);

  return self->logic;
}

void
tc_journey_canvas_set_logic (TcJourneyCanvas      *self,
                             TcJourneyEditorLogic *logic)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));
  g_return_if_fail (logic == NULL || TC_IS_JOURNEY_EDITOR_LOGIC (logic));

  if (self->logic == logic)
    return;

  if (self->logic != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->logic, self);
      g_signal_handlers_disconnect_by_data (self->journey, self);
    }
  g_clear_object (&self->logic);
  g_clear_object (&self->journey);
  self->drag_mode = DRAG_NONE;

  if (logic != NULL)
    {
      self->logic = g_object_ref (logic);
      self->journey = g_object_ref (tc_journey_editor_logic_get_journey (logic));
      g_signal_connect_swapped (self->journey, "changed", G_CALLBACK (on_journey_changed_cb), self);
      g_signal_connect_swapped (self->logic, "selection-changed",
                                G_CALLBACK (on_selection_changed_cb), self);
      g_signal_connect_swapped (self->logic, "problems-changed",
                                G_CALLBACK (on_journey_changed_cb), self);
      g_signal_connect_swapped (self->logic, "stats-changed",
                                G_CALLBACK (on_journey_changed_cb), self);
      if (gtk_widget_get_width (GTK_WIDGET (self)) > 1)
        tc_journey_canvas_show_start (self);
      else
        self->fit_pending = TRUE;
    }

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIC]);
}

double
tc_journey_canvas_get_zoom (TcJourneyCanvas *self)
{
  g_return_val_if_fail (TC_IS_JOURNEY_CANVAS (self), 1.0);

  return self->zoom;
}

void
tc_journey_canvas_zoom_in (TcJourneyCanvas *self)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  zoom_by (self, ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
tc_journey_canvas_zoom_out (TcJourneyCanvas *self)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  zoom_by (self, 1 / ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
tc_journey_canvas_zoom_reset (TcJourneyCanvas *self)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  zoom_by (self, 1 / self->zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
tc_journey_canvas_fit (TcJourneyCanvas *self)
{
  TcJourneyRect bounds;
  double zoom, pan_x, pan_y;

  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  if (self->journey == NULL || !tc_journey_get_bounds (self->journey, &bounds))
    {
      set_view (self, 1.0, 40, 40);
      return;
    }

  tc_journey_fit_transform (&bounds, gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)), 32,
                            TC_JOURNEY_CANVAS_MIN_ZOOM, 1.0, &zoom, &pan_x, &pan_y);
  set_view (self, zoom, pan_x, pan_y);
}

void
tc_journey_canvas_reveal_node (TcJourneyCanvas *self,
                               const char      *id)
{
  const TcJourneyNode *node;
  TcJourneyRect r;
  double x1, y1, x2, y2, pan_x, pan_y;
  int width, height;

  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  if (self->journey == NULL || id == NULL ||
      (node = tc_journey_lookup_node (self->journey, id)) == NULL)
    return;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  tc_journey_node_get_rect (node, &r);
  x1 = r.x * self->zoom + self->pan_x - 24;
  y1 = r.y * self->zoom + self->pan_y - 24;
  x2 = (r.x + r.width) * self->zoom + self->pan_x + 24;
  y2 = (r.y + r.height) * self->zoom + self->pan_y + 24;
  pan_x = self->pan_x;
  pan_y = self->pan_y;
  if (x1 < 0)
    pan_x -= x1;
  else if (x2 > width)
    pan_x -= MIN (x2 - width, x1);
  if (y1 < 0)
    pan_y -= y1;
  else if (y2 > height)
    pan_y -= MIN (y2 - height, y1);
  set_view (self, self->zoom, pan_x, pan_y);
}

void
tc_journey_canvas_get_center (TcJourneyCanvas *self,
                              double          *x,
                              double          *y)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  to_doc (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
          gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, x, y);
}

void
tc_journey_canvas_copy (TcJourneyCanvas *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  if (self->logic == NULL || (text = tc_journey_editor_logic_copy (self->logic)) == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

void
tc_journey_canvas_paste (TcJourneyCanvas *self)
{
  g_return_if_fail (TC_IS_JOURNEY_CANVAS (self));

  if (self->logic == NULL)
    return;
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), NULL,
                                 on_paste_read_cb, g_object_ref (self));
}
