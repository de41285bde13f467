/* tc-chart.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tc-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tc-chart.h"

typedef struct
{
  char   *name;
  GArray *values;  /* double, one per category */
} Series;

struct _TcChart
{
  GtkWidget   parent_instance;

  TcChartKind kind;
  char       *title;
  GStrv       categories;
  GPtrArray  *series;     /* Series */
  gboolean    percent;
};

G_DEFINE_FINAL_TYPE (TcChart, tc_chart, GTK_TYPE_WIDGET)

#define PAD 8.0
#define LEGEND_HEIGHT 22.0
#define AXIS_HEIGHT 20.0

static void
series_free (gpointer data)
{
  Series *series = data;

  g_free (series->name);
  g_array_unref (series->values);
  g_free (series);
}

static guint
n_categories (TcChart *self)
{
  return self->categories != NULL ? g_strv_length (self->categories) : 0;
}

static double
value_at (TcChart *self,
          guint    s,
          guint    c)
{
  Series *series = g_ptr_array_index (self->series, s);

  return c < series->values->len ? g_array_index (series->values, double, c) : 0;
}

static double
max_value (TcChart *self)
{
  double max = 0;

  for (guint s = 0; s < self->series->len; s++)
    for (guint c = 0; c < n_categories (self); c++)
      max = MAX (max, value_at (self, s, c));
  return max;
}

static char *
format_value (TcChart *self,
              double   value)
{
  if (self->percent)
    /* Translators: a share in a chart, "12 %" */
    return g_strdup_printf (_("%.0f %%"), value * 100);
  if (value >= 10000)
    return g_strdup_printf ("%.1fk", value / 1000);
  return g_strdup_printf ("%.0f", value);
}

/* A "nice" top for the axis: 1, 2 or 5 times a power of ten. */
static double
nice_top (double max)
{
  double power, fraction;

  if (max <= 0)
    return 1;
  power = pow (10, floor (log10 (max)));
  fraction = max / power;
  if (fraction <= 1)
    return power;
  if (fraction <= 2)
    return 2 * power;
  if (fraction <= 5)
    return 5 * power;
  return 10 * power;
}

static void
series_color (TcChart *self,
              guint    index,
              GdkRGBA *color)
{
  /* The accent first, then libadwaita's palette. */
  static const char *const names[] = { "accent_bg_color", "green_4", "orange_3", "purple_3", "red_3" };
  static const char *const fallbacks[] = { "#3584e4", "#2ec27e", "#ff7800", "#9141ac", "#e01b24" };
  GtkStyleContext *context;
  guint i = index % G_N_ELEMENTS (names);

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  if (!gtk_style_context_lookup_color (context, names[i], color))
    gdk_rgba_parse (color, fallbacks[i]);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
foreground_color (TcChart *self,
                  GdkRGBA *color)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static PangoLayout *
make_layout (TcChart    *self,
             const char *text,
             gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.82));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
draw_text (TcChart        *self,
           cairo_t        *cr,
           const char     *text,
           double          x,
           double          y,
           double          xalign,
           gboolean        small,
           const GdkRGBA  *color,
           double          alpha)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text, small);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - height / 2.0);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  if (r <= 0)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI_2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI_2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI_2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI_2);
  cairo_close_path (cr);
}

/* The legend along the top: a dot and the name of each series. */
static void
draw_legend (TcChart       *self,
             cairo_t       *cr,
             double         width,
             const GdkRGBA *fg)
{
  double x = PAD;

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      g_autoptr(PangoLayout) layout = make_layout (self, series->name, TRUE);
      GdkRGBA color;
      int w, h;

      series_color (self, s, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      rounded_rect (cr, x, LEGEND_HEIGHT / 2 - 5, 10, 10, 3);
      cairo_fill (cr);
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_text (self, cr, series->name, x + 16, LEGEND_HEIGHT / 2, 0, TRUE, fg, 0.8);
      x += 16 + w + 18;
      if (x > width)
        break;
    }
}

/* Horizontal grid lines with their values on the left; returns the
 * left edge of the plot. */
static double
draw_grid (TcChart       *self,
           cairo_t       *cr,
           double         top,
           double         bottom,
           double         width,
           double         axis_top,
           const GdkRGBA *fg)
{
  double left = PAD;

  for (int i = 0; i <= 4; i++)
    {
      g_autofree char *label = format_value (self, axis_top * i / 4);
      g_autoptr(PangoLayout) layout = make_layout (self, label, TRUE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      left = MAX (left, PAD + w + 6);
    }
  for (int i = 0; i <= 4; i++)
    {
      double y = bottom - (bottom - top) * i / 4.0;
      g_autofree char *label = format_value (self, axis_top * i / 4);

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, i == 0 ? 0.25 : 0.08);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, left, floor (y) + 0.5);
      cairo_line_to (cr, width - PAD, floor (y) + 0.5);
      cairo_stroke (cr);
      draw_text (self, cr, label, left - 6, y, 1, TRUE, fg, 0.55);
    }
  return left;
}

/* Category labels under the plot, skipping some when they would touch. */
static void
draw_category_labels (TcChart       *self,
                      cairo_t       *cr,
                      double         left,
                      double         step,
                      double         y,
                      gboolean       centred,
                      const GdkRGBA *fg)
{
  guint n = n_categories (self);
  double widest = 0;
  guint every;

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, self->categories[c], TRUE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      widest = MAX (widest, w);
    }
  every = step > 0 ? (guint) ceil ((widest + 10) / step) : 1;
  every = MAX (every, 1);
  for (guint c = 0; c < n; c += every)
    {
      double x = left + step * c + (centred ? step / 2 : 0);

      draw_text (self, cr, self->categories[c], x, y, 0.5, TRUE, fg, 0.6);
    }
}

static void
draw_lines (TcChart       *self,
            cairo_t       *cr,
            double         width,
            double         height,
            const GdkRGBA *fg)
{
  guint n = n_categories (self);
  double top = LEGEND_HEIGHT + PAD, bottom = height - AXIS_HEIGHT - 4;
  double axis_top = nice_top (max_value (self));
  double left = draw_grid (self, cr, top, bottom, width, axis_top, fg);
  double step = n > 1 ? (width - PAD - left - 8) / (n - 1) : 0;

  draw_legend (self, cr, width, fg);
  for (guint s = 0; s < self->series->len; s++)
    {
      GdkRGBA color;

      series_color (self, s, &color);
      /* The area under the first series, faintly. */
      if (s == 0 && n > 1)
        {
          cairo_move_to (cr, left + 4, bottom);
          for (guint c = 0; c < n; c++)
            cairo_line_to (cr, left + 4 + step * c, bottom - (bottom - top) * value_at (self, s, c) / axis_top);
          cairo_line_to (cr, left + 4 + step * (n - 1), bottom);
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.15);
          cairo_fill (cr);
        }
      cairo_set_line_width (cr, 2.5);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      gdk_cairo_set_source_rgba (cr, &color);
      for (guint c = 0; c < n; c++)
        {
          double x = left + 4 + step * c;
          double y = bottom - (bottom - top) * value_at (self, s, c) / axis_top;

          if (c == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
      /* Dots when there are few points (one hour has only a dot). */
      if (n <= 24)
        for (guint c = 0; c < n; c++)
          {
            cairo_arc (cr, left + 4 + step * c,
                       bottom - (bottom - top) * value_at (self, s, c) / axis_top, 3.5, 0, 2 * G_PI);
            cairo_fill (cr);
          }
    }
  draw_category_labels (self, cr, left + 4, step, height - AXIS_HEIGHT / 2, FALSE, fg);
}

static void
draw_grouped (TcChart       *self,
              cairo_t       *cr,
              double         width,
              double         height,
              const GdkRGBA *fg)
{
  guint n = n_categories (self), n_series = MAX (self->series->len, 1);
  double top = LEGEND_HEIGHT + PAD + 14, bottom = height - AXIS_HEIGHT - 4;
  double axis_top = nice_top (max_value (self));
  double left = draw_grid (self, cr, top, bottom, width, axis_top, fg);
  double step = n > 0 ? (width - PAD - left) / n : 0;
  double bar = MIN (36, (step * 0.72) / n_series);

  draw_legend (self, cr, width, fg);
  for (guint c = 0; c < n; c++)
    {
      double group_left = left + step * c + (step - bar * n_series - 3 * (n_series - 1)) / 2;

      for (guint s = 0; s < self->series->len; s++)
        {
          double value = value_at (self, s, c);
          double h = (bottom - top) * value / axis_top;
          double x = group_left + s * (bar + 3);
          g_autofree char *label = format_value (self, value);
          GdkRGBA color;

          series_color (self, s, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          rounded_rect (cr, x, bottom - h, bar, MAX (h, 1), 4);
          cairo_fill (cr);
          if (bar >= 18)
            draw_text (self, cr, label, x + bar / 2, bottom - h - 9, 0.5, TRUE, fg, 0.75);
        }
    }
  draw_category_labels (self, cr, left, step, height - AXIS_HEIGHT / 2, TRUE, fg);
}

static void
draw_funnel (TcChart       *self,
             cairo_t       *cr,
             double         width,
             double         height,
             const GdkRGBA *fg)
{
  guint n = n_categories (self);
  double first, label_width = 0, row, bar_height;
  GdkRGBA color;

  if (self->series->len == 0 || n == 0)
    return;
  first = value_at (self, 0, 0);
  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, self->categories[c], FALSE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_width = MAX (label_width, w);
    }
  label_width += 2 * PAD;
  row = (height - PAD) / n;
  bar_height = MIN (row - 8, 30);
  series_color (self, 0, &color);
  for (guint c = 0; c < n; c++)
    {
      double value = value_at (self, 0, c);
      double share = first > 0 ? value / first : 0;
      double available = width - label_width - 2 * PAD - 120;
      double w = MAX (available * share, 2);
      double x = label_width + (available - w) / 2;
      double y = PAD / 2 + row * c + (row - bar_height) / 2;
      g_autofree char *number = format_value (self, value);
      g_autofree char *text = NULL;

      draw_text (self, cr, self->categories[c], label_width - PAD, y + bar_height / 2, 1, FALSE, fg, 0.85);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 1.0 - 0.12 * c);
      rounded_rect (cr, x, y, w, bar_height, 6);
      cairo_fill (cr);
      if (c == 0)
        text = g_strdup (number);
      else
        /* Translators: a funnel stage: how many, and their share of the first stage */
        text = g_strdup_printf (_("%s · %.1f %%"), number, share * 100);
      draw_text (self, cr, text, label_width + available + PAD, y + bar_height / 2, 0, TRUE, fg, 0.75);
    }
}

static void
tc_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  TcChart *self = TC_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA fg;

  if (width <= 0 || height <= 0)
    return;
  foreground_color (self, &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (n_categories (self) == 0 || self->series->len == 0)
    {
      draw_text (self, cr, _("Nothing to show yet"), width / 2, height / 2, 0.5, FALSE, &fg, 0.5);
      cairo_destroy (cr);
      return;
    }
  switch (self->kind)
    {
    case TC_CHART_LINES:
      /* A line needs a few points: with one or two hours, bars say more. */
      if (n_categories (self) < 3)
        draw_grouped (self, cr, width, height, &fg);
      else
        draw_lines (self, cr, width, height, &fg);
      break;
    case TC_CHART_FUNNEL:
      draw_funnel (self, cr, width, height, &fg);
      break;
    case TC_CHART_GROUPED:
      draw_grouped (self, cr, width, height, &fg);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_destroy (cr);
}

static void
tc_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  TcChart *self = TC_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 520;
    }
  else
    {
      int rows = self->kind == TC_CHART_FUNNEL ? (int) MAX (n_categories (self), 3) : 0;

      *minimum = self->kind == TC_CHART_FUNNEL ? rows * 38 + 8 : 200;
      *natural = self->kind == TC_CHART_FUNNEL ? rows * 42 + 8 : 240;
    }
}

static void
update_accessible (TcChart *self)
{
  g_autofree char *description = tc_chart_describe (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
}

static void
tc_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (tc_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
tc_chart_finalize (GObject *object)
{
  TcChart *self = TC_CHART (object);

  g_free (self->title);
  g_strfreev (self->categories);
  g_ptr_array_unref (self->series);

  G_OBJECT_CLASS (tc_chart_parent_class)->finalize (object);
}

static void
tc_chart_class_init (TcChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tc_chart_finalize;
  widget_class->snapshot = tc_chart_snapshot;
  widget_class->measure = tc_chart_measure;
  widget_class->css_changed = tc_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "tc-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tc_chart_init (TcChart *self)
{
  self->series = g_ptr_array_new_with_free_func (series_free);
}

GtkWidget *
tc_chart_new (TcChartKind  kind,
              const char  *title)
{
  TcChart *self = g_object_new (TC_TYPE_CHART, NULL);

  self->kind = kind;
  self->title = g_strdup (title);
  update_accessible (self);
  return GTK_WIDGET (self);
}

void
tc_chart_set_categories (TcChart            *self,
                         const char * const *categories)
{
  g_return_if_fail (TC_IS_CHART (self));

  g_strfreev (self->categories);
  self->categories = g_strdupv ((char **) categories);
  g_ptr_array_set_size (self->series, 0);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tc_chart_add_series (TcChart      *self,
                     const char   *name,
                     const double *values,
                     guint         n_values)
{
  Series *series;

  g_return_if_fail (TC_IS_CHART (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (values != NULL || n_values == 0);

  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->values = g_array_sized_new (FALSE, TRUE, sizeof (double), n_values);
  g_array_append_vals (series->values, values, n_values);
  g_ptr_array_add (self->series, series);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tc_chart_set_percent (TcChart  *self,
                      gboolean  percent)
{
  g_return_if_fail (TC_IS_CHART (self));

  self->percent = !!percent;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tc_chart_get_n_series (TcChart *self)
{
  g_return_val_if_fail (TC_IS_CHART (self), 0);

  return self->series->len;
}

char *
tc_chart_describe (TcChart *self)
{
  GString *text;

  g_return_val_if_fail (TC_IS_CHART (self), NULL);

  text = g_string_new (NULL);
  if (n_categories (self) == 0 || self->series->len == 0)
    {
      g_string_append (text, _("Nothing to show yet"));
      return g_string_free (text, FALSE);
    }
  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);

      if (s > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s:", series->name);
      for (guint c = 0; c < n_categories (self); c++)
        {
          g_autofree char *value = format_value (self, value_at (self, s, c));

          g_string_append_printf (text, "%s %s %s", c > 0 ? "," : "", self->categories[c], value);
        }
    }
  return g_string_free (text, FALSE);
}
