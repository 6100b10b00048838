/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-contour.h"
#include "limner-geometry.h"

/* Directions in the order of a right turn on screen (y down): east, south,
 * west, north. */
static const int dir_dx[4] = { 1, 0, -1, 0 };
static const int dir_dy[4] = { 0, 1, 0, -1 };

typedef struct {
  const guint8 *mask;
  int           width;
  int           height;
  int           stride;
} Mask;

static inline gboolean
inside (const Mask *m,
        int         x,
        int         y)
{
  return x >= 0 && y >= 0 && x < m->width && y < m->height &&
         m->mask[(gsize) y * m->stride + x] != 0;
}

/* The two pixels ahead of corner (x, y) when moving in direction `dir`, to
 * the left and to the right of the way. */
static void
pixels_ahead (int  x,
              int  y,
              int  dir,
              int *lx,
              int *ly,
              int *rx,
              int *ry)
{
  switch (dir)
    {
    case 0: /* east: above-right is left, below-right is right */
      *lx = x; *ly = y - 1; *rx = x; *ry = y;
      break;
    case 1: /* south */
      *lx = x; *ly = y; *rx = x - 1; *ry = y;
      break;
    case 2: /* west */
      *lx = x - 1; *ly = y; *rx = x - 1; *ry = y - 1;
      break;
    default: /* north */
      *lx = x - 1; *ly = y - 1; *rx = x; *ry = y - 1;
      break;
    }
}

/* Marks the 4-connected region of `seed` in `region` (one byte per pixel,
 * width × height) and returns its topmost, then leftmost pixel. */
static void
fill_region (const Mask *m,
             guint8     *region,
             int         seed_x,
             int         seed_y,
             int        *top_x,
             int        *top_y)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gint32) * 2);
  gint32 start[2] = { seed_x, seed_y };

  *top_x = seed_x;
  *top_y = seed_y;
  region[(gsize) seed_y * m->width + seed_x] = 1;
  g_array_append_val (stack, start);
  while (stack->len > 0)
    {
      gint32 *p = &g_array_index (stack, gint32, (stack->len - 1) * 2);
      int x = p[0], y = p[1];

      g_array_set_size (stack, stack->len - 1);
      if (y < *top_y || (y == *top_y && x < *top_x))
        {
          *top_x = x;
          *top_y = y;
        }
      for (int d = 0; d < 4; d++)
        {
          int nx = x + dir_dx[d], ny = y + dir_dy[d];

          if (inside (m, nx, ny) && !region[(gsize) ny * m->width + nx])
            {
              gint32 q[2] = { nx, ny };

              region[(gsize) ny * m->width + nx] = 1;
              g_array_append_val (stack, q);
            }
        }
    }
}

GArray *
limner_contour_trace_outer (const guint8 *mask,
                            int           width,
                            int           height,
                            int           stride,
                            int           seed_x,
                            int           seed_y)
{
  g_autofree guint8 *region = NULL;
  GArray *points;
  Mask m = { mask, width, height, stride };
  Mask r;
  int sx, sy, x, y, dir;

  g_return_val_if_fail (mask != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width, NULL);

  if (!inside (&m, seed_x, seed_y))
    return NULL;

  /* Tracing a copy that holds only the seed's region keeps other regions
   * that touch it diagonally out of the outline. */
  region = g_malloc0 ((gsize) width * height);
  fill_region (&m, region, seed_x, seed_y, &sx, &sy);
  r = (Mask) { region, width, height, width };

  points = g_array_new (FALSE, FALSE, sizeof (double));
  /* The region lies to the right of the way: clockwise on screen. The top
   * edge of the topmost-leftmost pixel is on the outer boundary, and that
   * pixel's top-left corner is always a corner of the outline, passed only
   * once (the pixels above and to its left are outside). */
  x = sx;
  y = sy;
  dir = 0;
  {
    double v[2] = { x, y };

    g_array_append_vals (points, v, 2);
  }
  for (;;)
    {
      int lx, ly, rx, ry, next;

      x += dir_dx[dir];
      y += dir_dy[dir];
      if (x == sx && y == sy)
        break;

      pixels_ahead (x, y, dir, &lx, &ly, &rx, &ry);
      /* 4-connectivity: a pixel touching only diagonally is outside. */
      if (!inside (&r, rx, ry))
        next = (dir + 1) % 4;
      else if (inside (&r, lx, ly))
        next = (dir + 3) % 4;
      else
        next = dir;

      if (next != dir)
        {
          double v[2] = { x, y };

          g_array_append_vals (points, v, 2);
          dir = next;
        }
    }

  return points;
}

double
limner_contour_segment_distance (double px,
                                 double py,
                                 double ax,
                                 double ay,
                                 double bx,
                                 double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t;

  if (len2 <= 0)
    return hypot (px - ax, py - ay);
  t = ((px - ax) * dx + (py - ay) * dy) / len2;
  t = CLAMP (t, 0.0, 1.0);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

#define PX(pts, i) (g_array_index ((pts), double, 2 * (i)))
#define PY(pts, i) (g_array_index ((pts), double, 2 * (i) + 1))

/* Marks in `keep` what Douglas–Peucker keeps between `first` and `last`
 * (indices modulo n, last after first), both ends already kept. An explicit
 * stack: contours of large masks have many thousands of vertices. */
static void
douglas_peucker (const GArray *pts,
                 guint         n,
                 guint         first,
                 guint         last,
                 double        tolerance,
                 gboolean     *keep)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  guint span[2] = { first, last };

  g_array_append_val (stack, span);
  while (stack->len > 0)
    {
      guint *s = &g_array_index (stack, guint, (stack->len - 1) * 2);
      guint a = s[0], b = s[1], best = 0;
      double best_d = -1;

      g_array_set_size (stack, stack->len - 1);
      for (guint i = a + 1; i < b; i++)
        {
          double d = limner_contour_segment_distance (PX (pts, i % n), PY (pts, i % n),
                                                      PX (pts, a % n), PY (pts, a % n),
                                                      PX (pts, b % n), PY (pts, b % n));
          if (d > best_d)
            {
              best_d = d;
              best = i;
            }
        }
      if (best_d > tolerance)
        {
          guint left[2] = { a, best }, right[2] = { best, b };

          keep[best % n] = TRUE;
          g_array_append_val (stack, left);
          g_array_append_val (stack, right);
        }
    }
}

static GArray *
collect_kept (const GArray   *pts,
              guint           n,
              const gboolean *keep)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    if (keep[i])
      {
        double v[2] = { PX (pts, i), PY (pts, i) };

        g_array_append_vals (out, v, 2);
      }
  return out;
}

GArray *
limner_contour_simplify_closed (const GArray *points,
                                double        tolerance)
{
  g_autofree gboolean *keep = NULL;
  guint n, far = 0, n_kept;
  double far_d = -1;

  g_return_val_if_fail (points != NULL, NULL);

  n = points->len / 2;
  keep = g_new0 (gboolean, MAX (n, 1));
  if (n <= 3 || tolerance <= 0)
    {
      for (guint i = 0; i < n; i++)
        keep[i] = TRUE;
      return collect_kept (points, n, keep);
    }

  /* Split the ring at the vertex farthest from the first one: both are
   * extreme points, so both belong to any good simplification. */
  for (guint i = 1; i < n; i++)
    {
      double d = hypot (PX (points, i) - PX (points, 0), PY (points, i) - PY (points, 0));

      if (d > far_d)
        {
          far_d = d;
          far = i;
        }
    }
  keep[0] = keep[far] = TRUE;
  douglas_peucker (points, n, 0, far, tolerance, keep);
  douglas_peucker (points, n, far, n, tolerance, keep);

  /* A polygon needs three vertices: add the one farthest off the chord. */
  n_kept = 0;
  for (guint i = 0; i < n; i++)
    n_kept += keep[i] ? 1 : 0;
  if (n_kept < 3)
    {
      guint best = 0;
      double best_d = -1;

      for (guint i = 0; i < n; i++)
        {
          double d = limner_contour_segment_distance (PX (points, i), PY (points, i),
                                                      PX (points, 0), PY (points, 0),
                                                      PX (points, far), PY (points, far));
          if (!keep[i] && d > best_d)
            {
              best_d = d;
              best = i;
            }
        }
      keep[best] = TRUE;
    }
  return collect_kept (points, n, keep);
}

GArray *
limner_contour_simplify_open (const GArray *points,
                              double        tolerance)
{
  g_autofree gboolean *keep = NULL;
  guint n;

  g_return_val_if_fail (points != NULL, NULL);

  n = points->len / 2;
  keep = g_new0 (gboolean, MAX (n, 1));
  if (n <= 2 || tolerance <= 0)
    {
      for (guint i = 0; i < n; i++)
        keep[i] = TRUE;
      return collect_kept (points, n, keep);
    }
  keep[0] = keep[n - 1] = TRUE;
  /* With last = n - 1 < n, the indices never wrap. */
  douglas_peucker (points, n, 0, n - 1, tolerance, keep);
  return collect_kept (points, n, keep);
}

double
limner_contour_iou (const GArray *a,
                    const GArray *b,
                    double        step)
{
  LimnerRect ra, rb;
  double x0, y0, x1, y1;
  guint64 n_both = 0, n_either = 0;

  g_return_val_if_fail (a != NULL && b != NULL && step > 0, 0);

  ra = limner_points_bbox ((const double *) a->data, a->len / 2);
  rb = limner_points_bbox ((const double *) b->data, b->len / 2);
  x0 = MIN (ra.x0, rb.x0);
  y0 = MIN (ra.y0, rb.y0);
  x1 = MAX (ra.x1, rb.x1);
  y1 = MAX (ra.y1, rb.y1);
  for (double y = y0 + step / 2; y < y1; y += step)
    for (double x = x0 + step / 2; x < x1; x += step)
      {
        gboolean in_a = limner_polygon_contains_point ((const double *) a->data, a->len / 2, x, y);
        gboolean in_b = limner_polygon_contains_point ((const double *) b->data, b->len / 2, x, y);

        n_both += in_a && in_b;
        n_either += in_a || in_b;
      }
  return n_either > 0 ? (double) n_both / n_either : 0;
}
