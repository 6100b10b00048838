/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "limner-geometry.h"

G_DEFINE_QUARK (limner-geometry-error-quark, limner_geometry_error)

G_DEFINE_BOXED_TYPE (LimnerRect, limner_rect, limner_rect_copy, limner_rect_free)

LimnerRect *
limner_rect_copy (const LimnerRect *rect)
{
  g_return_val_if_fail (rect != NULL, NULL);

  return g_memdup2 (rect, sizeof *rect);
}

void
limner_rect_free (LimnerRect *rect)
{
  g_free (rect);
}

LimnerRect
limner_rect_empty (void)
{
  return (LimnerRect) { INFINITY, INFINITY, -INFINITY, -INFINITY };
}

gboolean
limner_rect_is_empty (const LimnerRect *rect)
{
  g_return_val_if_fail (rect != NULL, TRUE);

  /* Written so that NaN corners count as empty too. */
  return !(rect->x0 <= rect->x1 && rect->y0 <= rect->y1);
}

void
limner_rect_union (LimnerRect       *rect,
                   const LimnerRect *other)
{
  g_return_if_fail (rect != NULL);
  g_return_if_fail (other != NULL);

  if (limner_rect_is_empty (other))
    return;
  rect->x0 = MIN (rect->x0, other->x0);
  rect->y0 = MIN (rect->y0, other->y0);
  rect->x1 = MAX (rect->x1, other->x1);
  rect->y1 = MAX (rect->y1, other->y1);
}

void
limner_rect_union_point (LimnerRect *rect,
                         double      x,
                         double      y)
{
  g_return_if_fail (rect != NULL);

  rect->x0 = MIN (rect->x0, x);
  rect->y0 = MIN (rect->y0, y);
  rect->x1 = MAX (rect->x1, x);
  rect->y1 = MAX (rect->y1, y);
}

void
limner_rect_inflate (LimnerRect *rect,
                     double      margin)
{
  g_return_if_fail (rect != NULL);

  if (limner_rect_is_empty (rect))
    return;
  rect->x0 -= margin;
  rect->y0 -= margin;
  rect->x1 += margin;
  rect->y1 += margin;
}

gboolean
limner_rect_intersects (const LimnerRect *a,
                        const LimnerRect *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (limner_rect_is_empty (a) || limner_rect_is_empty (b))
    return FALSE;
  return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

gboolean
limner_rect_contains_point (const LimnerRect *rect,
                            double            x,
                            double            y)
{
  g_return_val_if_fail (rect != NULL, FALSE);

  return x >= rect->x0 && x <= rect->x1 && y >= rect->y0 && y <= rect->y1;
}

void
limner_rect_normalize (LimnerRect *rect)
{
  g_return_if_fail (rect != NULL);

  if (rect->x0 > rect->x1)
    {
      double t = rect->x0;
      rect->x0 = rect->x1;
      rect->x1 = t;
    }
  if (rect->y0 > rect->y1)
    {
      double t = rect->y0;
      rect->y0 = rect->y1;
      rect->y1 = t;
    }
}

double
limner_polygon_signed_area (const double *points,
                            guint         n_points)
{
  double sum = 0;

  g_return_val_if_fail (points != NULL || n_points == 0, 0);

  if (n_points < 3)
    return 0;

  /* Relative to the first vertex: the products stay small, so large image
   * coordinates lose no precision. */
  for (guint i = 1; i + 1 < n_points; i++)
    {
      double ax = points[2 * i] - points[0];
      double ay = points[2 * i + 1] - points[1];
      double bx = points[2 * i + 2] - points[0];
      double by = points[2 * i + 3] - points[1];

      sum += ax * by - bx * ay;
    }
  return sum / 2;
}

double
limner_polygon_area (const double *points,
                     guint         n_points)
{
  return fabs (limner_polygon_signed_area (points, n_points));
}

LimnerRect
limner_points_bbox (const double *points,
                    guint         n_points)
{
  LimnerRect r = limner_rect_empty ();

  g_return_val_if_fail (points != NULL || n_points == 0, r);

  for (guint i = 0; i < n_points; i++)
    limner_rect_union_point (&r, points[2 * i], points[2 * i + 1]);
  return r;
}

gboolean
limner_polygon_contains_point (const double *points,
                               guint         n_points,
                               double        x,
                               double        y)
{
  gboolean inside = FALSE;

  g_return_val_if_fail (points != NULL || n_points == 0, FALSE);

  if (n_points < 3)
    return FALSE;

  /* Crossing test to the right of the point, counting an edge when its
   * y-range is half-open [ymin, ymax) and the point is strictly left of it:
   * that makes left and top edges inside, right and bottom edges outside. */
  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xi = points[2 * i], yi = points[2 * i + 1];
      double xj = points[2 * j], yj = points[2 * j + 1];

      if ((yi > y) != (yj > y))
        {
          double cross_x = xj + (y - yj) * (xi - xj) / (yi - yj);

          if (x < cross_x)
            inside = !inside;
        }
    }
  return inside;
}

gboolean
limner_box_contains_point (const double *corners,
                           double        x,
                           double        y)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (corners != NULL, FALSE);

  x0 = MIN (corners[0], corners[2]);
  x1 = MAX (corners[0], corners[2]);
  y0 = MIN (corners[1], corners[3]);
  y1 = MAX (corners[1], corners[3]);
  return x >= x0 && x < x1 && y >= y0 && y < y1;
}

double
limner_segment_distance (double  ax,
                         double  ay,
                         double  bx,
                         double  by,
                         double  px,
                         double  py,
                         double *out_x,
                         double *out_y,
                         double *out_t)
{
  double dx = bx - ax;
  double dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = 0;
  double cx, cy;

  if (len2 > 0)
    t = CLAMP (((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0);

  cx = t == 1.0 ? bx : ax + t * dx;
  cy = t == 1.0 ? by : ay + t * dy;
  if (out_x)
    *out_x = cx;
  if (out_y)
    *out_y = cy;
  if (out_t)
    *out_t = t;
  return hypot (px - cx, py - cy);
}

double
limner_points_nearest_edge (const double *points,
                            guint         n_points,
                            gboolean      closed,
                            double        px,
                            double        py,
                            guint        *out_edge,
                            double       *out_x,
                            double       *out_y)
{
  double best = -1;
  guint n_edges;

  g_return_val_if_fail (points != NULL || n_points == 0, -1);

  if (n_points < 2)
    return -1;

  /* A closed two-point "polygon" would have the same edge twice. */
  n_edges = closed && n_points > 2 ? n_points : n_points - 1;
  for (guint i = 0; i < n_edges; i++)
    {
      guint j = (i + 1) % n_points;
      double cx, cy;
      double d = limner_segment_distance (points[2 * i], points[2 * i + 1],
                                          points[2 * j], points[2 * j + 1],
                                          px, py, &cx, &cy, NULL);

      if (best < 0 || d < best)
        {
          best = d;
          if (out_edge)
            *out_edge = i;
          if (out_x)
            *out_x = cx;
          if (out_y)
            *out_y = cy;
        }
    }
  return best;
}

int
limner_points_nearest_vertex (const double *points,
                              guint         n_points,
                              double        px,
                              double        py,
                              double        tolerance)
{
  int best = -1;
  double best_d = 0;

  g_return_val_if_fail (points != NULL || n_points == 0, -1);

  for (guint i = 0; i < n_points; i++)
    {
      double d = hypot (points[2 * i] - px, points[2 * i + 1] - py);

      if (d <= tolerance && (best < 0 || d < best_d))
        {
          best = (int) i;
          best_d = d;
        }
    }
  return best;
}

gboolean
limner_points_clamp (double *points,
                     guint   n_points,
                     double  width,
                     double  height)
{
  gboolean clamped = FALSE;

  g_return_val_if_fail (points != NULL || n_points == 0, FALSE);

  for (guint i = 0; i < n_points; i++)
    {
      double x = CLAMP (points[2 * i], 0.0, width);
      double y = CLAMP (points[2 * i + 1], 0.0, height);

      if (x != points[2 * i] || y != points[2 * i + 1])
        {
          points[2 * i] = x;
          points[2 * i + 1] = y;
          clamped = TRUE;
        }
    }
  return clamped;
}

void
limner_points_translate (double *points,
                         guint   n_points,
                         double  dx,
                         double  dy)
{
  g_return_if_fail (points != NULL || n_points == 0);

  for (guint i = 0; i < n_points; i++)
    {
      points[2 * i] += dx;
      points[2 * i + 1] += dy;
    }
}

void
limner_points_transform (double          *points,
                         guint            n_points,
                         LimnerTransform  transform,
                         double           width,
                         double           height)
{
  g_return_if_fail (points != NULL || n_points == 0);

  for (guint i = 0; i < n_points; i++)
    {
      double x = points[2 * i];
      double y = points[2 * i + 1];
      double nx = x, ny = y;

      switch (transform)
        {
        case LIMNER_TRANSFORM_IDENTITY:
          break;
        case LIMNER_TRANSFORM_FLIP_H:
          nx = width - x;
          break;
        case LIMNER_TRANSFORM_FLIP_V:
          ny = height - y;
          break;
        case LIMNER_TRANSFORM_ROTATE_90:
          nx = height - y;
          ny = x;
          break;
        case LIMNER_TRANSFORM_ROTATE_180:
          nx = width - x;
          ny = height - y;
          break;
        case LIMNER_TRANSFORM_ROTATE_270:
          nx = y;
          ny = width - x;
          break;
        default:
          g_return_if_reached ();
        }
      points[2 * i] = nx;
      points[2 * i + 1] = ny;
    }
}

void
limner_transform_image_size (LimnerTransform  transform,
                             double           width,
                             double           height,
                             double          *out_width,
                             double          *out_height)
{
  gboolean swap = transform == LIMNER_TRANSFORM_ROTATE_90 ||
                  transform == LIMNER_TRANSFORM_ROTATE_270;

  if (out_width)
    *out_width = swap ? height : width;
  if (out_height)
    *out_height = swap ? width : height;
}

gboolean
limner_points_validate (const double  *points,
                        guint          n_points,
                        GError       **error)
{
  g_return_val_if_fail (points != NULL || n_points == 0, FALSE);

  for (guint i = 0; i < n_points; i++)
    {
      if (!isfinite (points[2 * i]) || !isfinite (points[2 * i + 1]))
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE,
                       _("Point %u (%g, %g) is not a finite coordinate."),
                       i + 1, points[2 * i], points[2 * i + 1]);
          return FALSE;
        }
    }
  return TRUE;
}

guint
limner_shape_get_n_points (const LimnerShape *shape)
{
  g_return_val_if_fail (shape != NULL, 0);

  return shape->points ? shape->points->len / 2 : 0;
}

static const double *
shape_points (const LimnerShape *shape)
{
  return shape->points && shape->points->len ? &g_array_index (shape->points, double, 0) : NULL;
}

double
limner_shape_area (const LimnerShape *shape)
{
  const double *p;

  g_return_val_if_fail (shape != NULL, 0);

  p = shape_points (shape);
  if (shape->kind == LIMNER_SHAPE_BOX)
    {
      if (limner_shape_get_n_points (shape) != 2)
        return 0;
      return fabs (p[2] - p[0]) * fabs (p[3] - p[1]);
    }
  return limner_polygon_area (p, limner_shape_get_n_points (shape));
}

LimnerRect
limner_shape_bbox (const LimnerShape *shape)
{
  g_return_val_if_fail (shape != NULL, limner_rect_empty ());

  return limner_points_bbox (shape_points (shape), limner_shape_get_n_points (shape));
}

gboolean
limner_shape_contains_point (const LimnerShape *shape,
                             double             x,
                             double             y)
{
  const double *p;
  guint n;

  g_return_val_if_fail (shape != NULL, FALSE);

  p = shape_points (shape);
  n = limner_shape_get_n_points (shape);
  if (shape->kind == LIMNER_SHAPE_BOX)
    return n == 2 && limner_box_contains_point (p, x, y);
  return limner_polygon_contains_point (p, n, x, y);
}

double
limner_shape_outline_distance (const LimnerShape *shape,
                               double             px,
                               double             py)
{
  const double *p;
  guint n;

  g_return_val_if_fail (shape != NULL, -1);

  p = shape_points (shape);
  n = limner_shape_get_n_points (shape);
  if (shape->kind == LIMNER_SHAPE_BOX && n == 2)
    {
      double corners[8] = { p[0], p[1], p[2], p[1], p[2], p[3], p[0], p[3] };

      return limner_points_nearest_edge (corners, 4, TRUE, px, py, NULL, NULL, NULL);
    }
  if (n == 1)
    return hypot (p[0] - px, p[1] - py);
  return limner_points_nearest_edge (p, n, TRUE, px, py, NULL, NULL, NULL);
}

gboolean
limner_shape_validate (const LimnerShape  *shape,
                       GError            **error)
{
  g_autofree char *name = NULL;
  const double *p;
  guint n;

  g_return_val_if_fail (shape != NULL, FALSE);

  if (shape->id > 0)
    name = g_strdup_printf (shape->kind == LIMNER_SHAPE_BOX ? _("Box %" PRId64)
                                                            : _("Polygon %" PRId64),
                            shape->id);
  else
    name = g_strdup (shape->kind == LIMNER_SHAPE_BOX ? _("The box") : _("The polygon"));

  p = shape_points (shape);
  n = limner_shape_get_n_points (shape);
  if (shape->points && shape->points->len % 2 != 0)
    {
      g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS,
                   _("%s has an odd number of coordinates (%u)."), name, shape->points->len);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (p[2 * i]) || !isfinite (p[2 * i + 1]))
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE,
                       _("%s has a point that is not finite: point %u (%g, %g)."),
                       name, i + 1, p[2 * i], p[2 * i + 1]);
          return FALSE;
        }
    }

  switch (shape->kind)
    {
    case LIMNER_SHAPE_POLYGON:
      if (n < 3)
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS,
                       _("%s has %u vertices; a polygon needs at least 3."), name, n);
          return FALSE;
        }
      return TRUE;

    case LIMNER_SHAPE_BOX:
      if (n != 2)
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS,
                       _("%s has %u corners; a box needs exactly 2."), name, n);
          return FALSE;
        }
      if (p[0] > p[2] || p[1] > p[3])
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NOT_NORMALIZED,
                       _("%s has corners (%g, %g) and (%g, %g) in the wrong order; "
                         "the first must be the top-left one."),
                       name, p[0], p[1], p[2], p[3]);
          return FALSE;
        }
      if (p[0] == p[2] || p[1] == p[3])
        {
          g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_DEGENERATE,
                       _("%s from (%g, %g) to (%g, %g) has zero width or height."),
                       name, p[0], p[1], p[2], p[3]);
          return FALSE;
        }
      return TRUE;

    default:
      g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_DEGENERATE,
                   _("Shape %" PRId64 " has an unknown kind (%d)."),
                   shape->id, (int) shape->kind);
      return FALSE;
    }
}

void
limner_shape_normalize_box (LimnerShape *shape)
{
  double *p;

  g_return_if_fail (shape != NULL);

  if (shape->kind != LIMNER_SHAPE_BOX || limner_shape_get_n_points (shape) != 2)
    return;
  p = &g_array_index (shape->points, double, 0);
  if (p[0] > p[2])
    {
      double t = p[0];
      p[0] = p[2];
      p[2] = t;
    }
  if (p[1] > p[3])
    {
      double t = p[1];
      p[1] = p[3];
      p[3] = t;
    }
}

gboolean
limner_shape_clamp (LimnerShape *shape,
                    double       width,
                    double       height)
{
  g_return_val_if_fail (shape != NULL, FALSE);

  if (limner_shape_get_n_points (shape) == 0)
    return FALSE;
  return limner_points_clamp (&g_array_index (shape->points, double, 0),
                              limner_shape_get_n_points (shape), width, height);
}

void
limner_shape_translate (LimnerShape *shape,
                        double       dx,
                        double       dy)
{
  g_return_if_fail (shape != NULL);

  if (limner_shape_get_n_points (shape) == 0)
    return;
  limner_points_translate (&g_array_index (shape->points, double, 0),
                           limner_shape_get_n_points (shape), dx, dy);
}

void
limner_shape_transform (LimnerShape     *shape,
                        LimnerTransform  transform,
                        double           width,
                        double           height)
{
  g_return_if_fail (shape != NULL);

  if (limner_shape_get_n_points (shape) == 0)
    return;
  limner_points_transform (&g_array_index (shape->points, double, 0),
                           limner_shape_get_n_points (shape), transform, width, height);
  limner_shape_normalize_box (shape);
}
