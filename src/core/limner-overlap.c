/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-overlap.h"

typedef struct {
  double x0, y0, x1, y1;
} Edge;

static void
append_edges (GArray       *edges,
              const double *points,
              guint         n_points)
{
  for (guint i = 0; i < n_points; i++)
    {
      guint j = (i + 1) % n_points;
      Edge e = { points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1] };

      g_array_append_val (edges, e);
    }
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return da < db ? -1 : da > db;
}

/* Adds the y where the segments e and f cross or touch, if they do and are
 * not parallel. Parallel overlaps meet at vertices, which are in already. */
static void
add_crossing (GArray     *ys,
              const Edge *e,
              const Edge *f)
{
  double rx = e->x1 - e->x0, ry = e->y1 - e->y0;
  double sx = f->x1 - f->x0, sy = f->y1 - f->y0;
  double qx = f->x0 - e->x0, qy = f->y0 - e->y0;
  double denom = rx * sy - ry * sx;
  double t, u, y;

  if (MAX (e->x0, e->x1) < MIN (f->x0, f->x1) || MAX (f->x0, f->x1) < MIN (e->x0, e->x1)
      || MAX (e->y0, e->y1) < MIN (f->y0, f->y1) || MAX (f->y0, f->y1) < MIN (e->y0, e->y1))
    return;
  if (denom == 0.0)
    return;
  t = (qx * sy - qy * sx) / denom;
  u = (qx * ry - qy * rx) / denom;
  if (t < 0.0 || t > 1.0 || u < 0.0 || u > 1.0)
    return;
  y = e->y0 + t * ry;
  g_array_append_val (ys, y);
}

/* The x where each edge of edges[from, to) crosses the horizontal line at y,
 * sorted: consecutive pairs are the even-odd cross-section's intervals.
 * y is never a vertex's y here, so no edge is met at an end. */
static void
cross_section (const Edge *edges,
               guint       from,
               guint       to,
               double      y,
               GArray     *xs)
{
  g_array_set_size (xs, 0);
  for (guint i = from; i < to; i++)
    {
      const Edge *e = &edges[i];

      if ((e->y0 < y && y < e->y1) || (e->y1 < y && y < e->y0))
        {
          double x = e->x0 + (y - e->y0) * (e->x1 - e->x0) / (e->y1 - e->y0);

          g_array_append_val (xs, x);
        }
    }
  g_array_sort (xs, compare_double);
}

static double
intervals_length (const GArray *xs)
{
  double len = 0.0;

  for (guint i = 0; i + 1 < xs->len; i += 2)
    len += g_array_index (xs, double, i + 1) - g_array_index (xs, double, i);
  return len;
}

/* Length of the intersection of two sorted interval lists (pairs of x). */
static double
intervals_overlap (const GArray *a,
                   const GArray *b)
{
  double len = 0.0;
  guint i = 0, j = 0;

  while (i + 1 < a->len && j + 1 < b->len)
    {
      double a0 = g_array_index (a, double, i), a1 = g_array_index (a, double, i + 1);
      double b0 = g_array_index (b, double, j), b1 = g_array_index (b, double, j + 1);
      double lo = MAX (a0, b0), hi = MIN (a1, b1);

      if (hi > lo)
        len += hi - lo;
      if (a1 < b1)
        i += 2;
      else
        j += 2;
    }
  return len;
}

/* The slab method (see the header). With b == NULL, the area of a alone. */
static double
slab_area (const double *a,
           guint         n_a,
           const double *b,
           guint         n_b)
{
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) xa = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) xb = g_array_new (FALSE, FALSE, sizeof (double));
  const Edge *e;
  guint n_edges;
  double lo_y = -G_MAXDOUBLE, hi_y = G_MAXDOUBLE;
  double area = 0.0;

  append_edges (edges, a, n_a);
  if (b != NULL)
    append_edges (edges, b, n_b);
  e = (const Edge *) edges->data;
  n_edges = edges->len;

  if (b != NULL)
    {
      /* Only where both have rows can they overlap. */
      double amin = G_MAXDOUBLE, amax = -G_MAXDOUBLE, bmin = G_MAXDOUBLE, bmax = -G_MAXDOUBLE;

      for (guint i = 0; i < n_a; i++)
        amin = MIN (amin, a[2 * i + 1]), amax = MAX (amax, a[2 * i + 1]);
      for (guint i = 0; i < n_b; i++)
        bmin = MIN (bmin, b[2 * i + 1]), bmax = MAX (bmax, b[2 * i + 1]);
      lo_y = MAX (amin, bmin);
      hi_y = MIN (amax, bmax);
      if (hi_y <= lo_y)
        return 0.0;
      g_array_append_val (ys, lo_y);
      g_array_append_val (ys, hi_y);
    }

  for (guint i = 0; i < n_edges; i++)
    if (e[i].y0 >= lo_y && e[i].y0 <= hi_y)
      g_array_append_val (ys, e[i].y0);
  /* Crossings of any two edges, of the same polygon too, so that a
   * self-intersecting outline still keeps its edges in order in a slab. */
  for (guint i = 0; i < n_edges; i++)
    for (guint j = i + 1; j < n_edges; j++)
      add_crossing (ys, &e[i], &e[j]);
  g_array_sort (ys, compare_double);

  for (guint k = 0; k + 1 < ys->len; k++)
    {
      double y0 = g_array_index (ys, double, k);
      double y1 = g_array_index (ys, double, k + 1);
      double ym;

      if (y1 <= y0 || y0 < lo_y || y1 > hi_y)
        continue;
      ym = y0 + (y1 - y0) / 2.0;
      cross_section (e, 0, n_a, ym, xa);
      if (b == NULL)
        area += intervals_length (xa) * (y1 - y0);
      else
        {
          cross_section (e, n_a, n_edges, ym, xb);
          area += intervals_overlap (xa, xb) * (y1 - y0);
        }
    }
  return area;
}

double
limner_overlap_polygon_area (const double *points,
                             guint         n_points)
{
  g_return_val_if_fail (points != NULL || n_points == 0, 0.0);

  if (n_points < 3)
    return 0.0;
  return slab_area (points, n_points, NULL, 0);
}

double
limner_overlap_polygon_polygon (const double *a,
                                guint         n_a,
                                const double *b,
                                guint         n_b)
{
  g_return_val_if_fail (a != NULL || n_a == 0, 0.0);
  g_return_val_if_fail (b != NULL || n_b == 0, 0.0);

  if (n_a < 3 || n_b < 3)
    return 0.0;
  return slab_area (a, n_a, b, n_b);
}

double
limner_overlap_box_box (const double *a,
                        const double *b)
{
  double w, h;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  w = MIN (MAX (a[0], a[2]), MAX (b[0], b[2])) - MAX (MIN (a[0], a[2]), MIN (b[0], b[2]));
  h = MIN (MAX (a[1], a[3]), MAX (b[1], b[3])) - MAX (MIN (a[1], a[3]), MIN (b[1], b[3]));
  if (w <= 0.0 || h <= 0.0)
    return 0.0;
  return w * h;
}

static void
box_to_polygon (const double *box,
                double        out[8])
{
  double x0 = MIN (box[0], box[2]), x1 = MAX (box[0], box[2]);
  double y0 = MIN (box[1], box[3]), y1 = MAX (box[1], box[3]);

  out[0] = x0, out[1] = y0;
  out[2] = x1, out[3] = y0;
  out[4] = x1, out[5] = y1;
  out[6] = x0, out[7] = y1;
}

double
limner_overlap_iou (const double *a,
                    guint         n_a,
                    gboolean      a_is_box,
                    const double *b,
                    guint         n_b,
                    gboolean      b_is_box)
{
  double pa[8], pb[8];
  double area_a, area_b, inter, uni;

  g_return_val_if_fail (!a_is_box || n_a == 2, 0.0);
  g_return_val_if_fail (!b_is_box || n_b == 2, 0.0);
  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  if (a_is_box && b_is_box)
    {
      area_a = fabs ((a[2] - a[0]) * (a[3] - a[1]));
      area_b = fabs ((b[2] - b[0]) * (b[3] - b[1]));
      inter = limner_overlap_box_box (a, b);
    }
  else
    {
      if (a_is_box)
        box_to_polygon (a, pa), a = pa, n_a = 4;
      if (b_is_box)
        box_to_polygon (b, pb), b = pb, n_b = 4;
      area_a = limner_overlap_polygon_area (a, n_a);
      area_b = limner_overlap_polygon_area (b, n_b);
      inter = limner_overlap_polygon_polygon (a, n_a, b, n_b);
    }
  uni = area_a + area_b - inter;
  if (uni <= 0.0)
    return 0.0;
  /* Rounding may leave the intersection a hair above the smaller area. */
  return CLAMP (inter / uni, 0.0, 1.0);
}
