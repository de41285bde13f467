/* tc-chart.h
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A small chart drawn with GtkSnapshot, in the theme's colours (the
 * accent colour first, then libadwaita's palette), for the campaign
 * report:
 *
 *   TC_CHART_LINES    series over categories (hours): one line each
 *   TC_CHART_FUNNEL   one series, each category a horizontal bar under the
 *                     previous one, with its share of the first
 *   TC_CHART_GROUPED  categories (figures) along the bottom, a bar per
 *                     series (variant) in each, side by side
 *
 * The data: category labels (what the x axis or the funnel's stages say)
 * and series (a name and one value per category). The accessible
 * description reads the values out.
 */

typedef enum
{
  TC_CHART_LINES,
  TC_CHART_FUNNEL,
  TC_CHART_GROUPED,
} TcChartKind;

#define TC_TYPE_CHART (tc_chart_get_type ())

G_DECLARE_FINAL_TYPE (TcChart, tc_chart, TC, CHART, GtkWidget)

GtkWidget  *tc_chart_new            (TcChartKind         kind,
                                     const char         *title);
/* Replaces the data: @categories (NULL-terminated) and no series. */
void        tc_chart_set_categories (TcChart            *self,
                                     const char * const *categories);
/* Adds a series with one value per category (@n_values of them). */
void        tc_chart_add_series     (TcChart            *self,
                                     const char         *name,
                                     const double       *values,
                                     guint               n_values);
/* Percentages: values are fractions, shown as "12 %". */
void        tc_chart_set_percent    (TcChart            *self,
                                     gboolean            percent);
guint       tc_chart_get_n_series   (TcChart            *self);
/* The text the chart's accessible description says (for tests too). */
char       *tc_chart_describe       (TcChart            *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
