/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-chart.h"

#define MARGIN_LEFT 64.0
#define MARGIN_RIGHT 16.0
#define MARGIN_TOP 32.0
#define MARGIN_BOTTOM 48.0
#define N_TICKS 4

struct _LimnerChart
{
  GtkWidget        parent_instance;

  LimnerChartKind  kind;
  char            *title;
  char            *axis_title;
  GArray          *items;     /* of LimnerChartItem */
};

G_DEFINE_FINAL_TYPE (LimnerChart, limner_chart, GTK_TYPE_WIDGET)

static void
item_clear (LimnerChartItem *item)
{
  g_clear_pointer (&item->name, g_free);
}

/* A round number (1, 2 or 5 times a power of ten) at or above `v`. */
static double
nice_ceiling (double v)
{
  double p, f;

  if (!(v > 0))
    return 1;
  p = pow (10, floor (log10 (v)));
  f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

double
limner_chart_get_axis_max (LimnerChart *self)
{
  double top = 0;

  g_return_val_if_fail (LIMNER_IS_CHART (self), 1);

  if (self->kind == LIMNER_CHART_INTERVALS)
    return 1;
  for (guint i = 0; i < self->items->len; i++)
    {
      const LimnerChartItem *it = &g_array_index (self->items, LimnerChartItem, i);

      top = MAX (top, MAX (it->value, it->target));
    }
  return nice_ceiling (top);
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *c,
            double         alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static void
draw_text (LimnerChart *self,
           cairo_t     *cr,
           const char  *text,
           double       x,
           double       y,
           double       xalign,
           gboolean     bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - xalign * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
draw (LimnerChart *self,
      cairo_t     *cr,
      double       width,
      double       height)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));
  /* Colours that read on light and dark backgrounds alike. */
  const GdkRGBA accent = { 0.21, 0.52, 0.89, 1 };   /* GNOME blue 3 */
  const GdkRGBA warning = { 0.88, 0.11, 0.14, 1 };  /* GNOME red 3 */
  GdkRGBA fg;
  double plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
  double plot_h = height - MARGIN_TOP - MARGIN_BOTTOM;
  double top = limner_chart_get_axis_max (self);
  guint n = self->items->len;
  double slot;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  /* gtk_widget_get_color() is GTK 4.10. */
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (self->title != NULL)
    {
      set_source (cr, &fg, 1);
      draw_text (self, cr, self->title, MARGIN_LEFT, MARGIN_TOP / 2, 0, TRUE);
    }
  if (plot_w < 20 || plot_h < 20)
    return;

  /* Grid and value axis. */
  cairo_set_line_width (cr, 1);
  for (int t = 0; t <= N_TICKS; t++)
    {
      double v = top * t / N_TICKS;
      double y = MARGIN_TOP + plot_h - plot_h * t / N_TICKS;
      g_autofree char *label = self->kind == LIMNER_CHART_INTERVALS
                               ? g_strdup_printf ("%.0f %%", v * 100)
                               : g_strdup_printf ("%g", v);

      set_source (cr, &fg, t == 0 ? 0.6 : 0.15);
      cairo_move_to (cr, MARGIN_LEFT, round (y) + 0.5);
      cairo_line_to (cr, MARGIN_LEFT + plot_w, round (y) + 0.5);
      cairo_stroke (cr);
      set_source (cr, &fg, 0.8);
      draw_text (self, cr, label, MARGIN_LEFT - 6, y, 1, FALSE);
    }
  if (self->axis_title != NULL)
    {
      set_source (cr, &fg, 0.8);
      cairo_save (cr);
      cairo_translate (cr, 12, MARGIN_TOP + plot_h / 2);
      cairo_rotate (cr, -G_PI / 2);
      draw_text (self, cr, self->axis_title, 0, 0, 0.5, FALSE);
      cairo_restore (cr);
    }
  if (n == 0)
    {
      set_source (cr, &fg, 0.6);
      draw_text (self, cr, _("No data in this range"), MARGIN_LEFT + plot_w / 2,
                 MARGIN_TOP + plot_h / 2, 0.5, FALSE);
      return;
    }

  slot = plot_w / n;
  for (guint i = 0; i < n; i++)
    {
      const LimnerChartItem *it = &g_array_index (self->items, LimnerChartItem, i);
      double cx = MARGIN_LEFT + slot * (i + 0.5);
      double y = MARGIN_TOP + plot_h - plot_h * CLAMP (it->value / top, 0, 1);

      /* Item names: every one that fits. */
      if (slot >= 48 || i % (guint) ceil (48 / slot) == 0)
        {
          set_source (cr, &fg, 0.8);
          draw_text (self, cr, it->name, cx, MARGIN_TOP + plot_h + 14, 0.5, FALSE);
        }

      switch (self->kind)
        {
        case LIMNER_CHART_BARS:
          {
            double bw = MIN (slot * 0.6, 48);
            gboolean below = it->target > 0 && it->value < it->target;

            set_source (cr, below ? &warning : &accent, 1);
            cairo_rectangle (cr, cx - bw / 2, y, bw, MARGIN_TOP + plot_h - y);
            cairo_fill (cr);
            if (it->target > 0)
              {
                double ty = MARGIN_TOP + plot_h - plot_h * CLAMP (it->target / top, 0, 1);

                set_source (cr, &fg, 1);
                cairo_set_line_width (cr, 2);
                cairo_move_to (cr, cx - bw / 2 - 4, ty);
                cairo_line_to (cr, cx + bw / 2 + 4, ty);
                cairo_stroke (cr);
              }
          }
          break;
        case LIMNER_CHART_LINES:
          set_source (cr, &accent, 1);
          cairo_set_line_width (cr, 2);
          if (i > 0)
            {
              const LimnerChartItem *prev = &g_array_index (self->items, LimnerChartItem, i - 1);
              double px = MARGIN_LEFT + slot * (i - 0.5);
              double py = MARGIN_TOP + plot_h - plot_h * CLAMP (prev->value / top, 0, 1);

              cairo_move_to (cr, px, py);
              cairo_line_to (cr, cx, y);
              cairo_stroke (cr);
            }
          cairo_arc (cr, cx, y, 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
          break;
        case LIMNER_CHART_INTERVALS:
          {
            double ylo = MARGIN_TOP + plot_h - plot_h * CLAMP (it->low, 0, 1);
            double yhi = MARGIN_TOP + plot_h - plot_h * CLAMP (it->high, 0, 1);

            set_source (cr, &fg, 0.8);
            cairo_set_line_width (cr, 1.5);
            cairo_move_to (cr, cx, ylo);
            cairo_line_to (cr, cx, yhi);
            cairo_move_to (cr, cx - 6, ylo);
            cairo_line_to (cr, cx + 6, ylo);
            cairo_move_to (cr, cx - 6, yhi);
            cairo_line_to (cr, cx + 6, yhi);
            cairo_stroke (cr);
            set_source (cr, &accent, 1);
            cairo_arc (cr, cx, y, 4.5, 0, 2 * G_PI);
            cairo_fill (cr);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
limner_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LimnerChart *self = LIMNER_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
limner_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 240;
  else
    *minimum = *natural = 220;
}

static void
limner_chart_finalize (GObject *object)
{
  LimnerChart *self = LIMNER_CHART (object);

  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->axis_title, g_free);

  G_OBJECT_CLASS (limner_chart_parent_class)->finalize (object);
}

static void
limner_chart_class_init (LimnerChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = limner_chart_finalize;
  widget_class->snapshot = limner_chart_snapshot;
  widget_class->measure = limner_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
limner_chart_init (LimnerChart *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (LimnerChartItem));
  g_array_set_clear_func (self->items, (GDestroyNotify) item_clear);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
limner_chart_new (LimnerChartKind kind)
{
  LimnerChart *self = g_object_new (LIMNER_TYPE_CHART, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

void
limner_chart_set_titles (LimnerChart *self,
                         const char  *title,
                         const char  *axis_title)
{
  g_return_if_fail (LIMNER_IS_CHART (self));

  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->axis_title);
  self->axis_title = g_strdup (axis_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
limner_chart_set_items (LimnerChart           *self,
                        const LimnerChartItem *items,
                        guint                  n)
{
  g_return_if_fail (LIMNER_IS_CHART (self));
  g_return_if_fail (items != NULL || n == 0);

  g_array_set_size (self->items, 0);
  for (guint i = 0; i < n; i++)
    {
      LimnerChartItem copy = items[i];

      copy.name = g_strdup (items[i].name);
      g_array_append_val (self->items, copy);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
limner_chart_get_n_items (LimnerChart *self)
{
  g_return_val_if_fail (LIMNER_IS_CHART (self), 0);

  return self->items->len;
}
