/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-chart.h: small cairo charts for the analytics page.
 *
 * Three kinds, each over named items (people or days):
 *   BARS       one bar per item, with its target as a tick across the bar;
 *              a bar below its target is drawn in the warning colour;
 *   LINES      one polyline over the items (days), with a dot per value;
 *   INTERVALS  one dot per item with an error bar from low to high (a
 *              Wilson interval), on a 0..1 axis shown as percent.
 * The text and grid take the widget's foreground colour, so the charts read
 * in light and dark themes; drawing goes through GtkSnapshot, so they are
 * sharp at any scale factor. Axes carry a title with its unit.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  LIMNER_CHART_BARS,
  LIMNER_CHART_LINES,
  LIMNER_CHART_INTERVALS,
} LimnerChartKind;

typedef struct {
  char   *name;    /* under the axis */
  double  value;
  double  target;  /* BARS: <= 0 for none */
  double  low;     /* INTERVALS */
  double  high;
} LimnerChartItem;

#define LIMNER_TYPE_CHART (limner_chart_get_type ())
G_DECLARE_FINAL_TYPE (LimnerChart, limner_chart, LIMNER, CHART, GtkWidget)

GtkWidget   *limner_chart_new       (LimnerChartKind kind);
/* The title above the chart and the value axis' title with its unit. */
void         limner_chart_set_titles (LimnerChart *self,
                                      const char  *title,
                                      const char  *axis_title);
/* Copies `items` (n of them). */
void         limner_chart_set_items (LimnerChart           *self,
                                     const LimnerChartItem *items,
                                     guint                  n);
guint        limner_chart_get_n_items (LimnerChart *self);
/* The top of the value axis (a round number above every value, target and
 * high end), for tests. */
double       limner_chart_get_axis_max (LimnerChart *self);

G_END_DECLS
