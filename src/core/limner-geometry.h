/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-geometry.h: plane geometry of boxes and polygons.
 *
 * Points are flat arrays of doubles, x/y pairs, in image pixel space: the
 * origin is the top-left corner of the top-left pixel and pixel (i, j)
 * covers [i, i+1) x [j, j+1) (docs/architecture.md, "Coordinates"). `n_points` always
 * counts points (pairs), never doubles. A polygon is implicitly closed. A box
 * is two corners (x0, y0, x1, y1).
 */
#pragma once

#include <glib-object.h>

#include "limner-records.h"

G_BEGIN_DECLS

/* An axis-aligned rectangle, x0 <= x1 and y0 <= y1 unless empty. */
typedef struct {
  double x0;
  double y0;
  double x1;
  double y1;
} LimnerRect;

#define LIMNER_TYPE_RECT (limner_rect_get_type ())
GType       limner_rect_get_type (void) G_GNUC_CONST;
LimnerRect *limner_rect_copy (const LimnerRect *rect);
void        limner_rect_free (LimnerRect *rect);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerRect, limner_rect_free)

/* The empty rectangle: x0 = y0 = +inf, x1 = y1 = -inf. Union with it is the
 * identity; it intersects and contains nothing. */
LimnerRect limner_rect_empty          (void);
gboolean   limner_rect_is_empty       (const LimnerRect *rect);
/* Grows `rect` to cover `other`. */
void       limner_rect_union          (LimnerRect       *rect,
                                       const LimnerRect *other);
void       limner_rect_union_point    (LimnerRect *rect,
                                       double      x,
                                       double      y);
/* Grows a non-empty `rect` by `margin` on every side. */
void       limner_rect_inflate        (LimnerRect *rect,
                                       double      margin);
/* Closed-interval tests: touching rectangles intersect. */
gboolean   limner_rect_intersects     (const LimnerRect *a,
                                       const LimnerRect *b);
gboolean   limner_rect_contains_point (const LimnerRect *rect,
                                       double            x,
                                       double            y);
/* Swaps corners so that x0 <= x1 and y0 <= y1. */
void       limner_rect_normalize      (LimnerRect *rect);

/* Errors of limner_shape_validate() and limner_points_validate(). */
#define LIMNER_GEOMETRY_ERROR (limner_geometry_error_quark ())
GQuark limner_geometry_error_quark (void);

typedef enum {
  LIMNER_GEOMETRY_ERROR_NON_FINITE,     /* a NaN or infinite coordinate */
  LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS, /* polygon < 3 vertices, box != 2 corners */
  LIMNER_GEOMETRY_ERROR_DEGENERATE,     /* box of zero width or height */
  LIMNER_GEOMETRY_ERROR_NOT_NORMALIZED, /* box with x0 > x1 or y0 > y1 */
} LimnerGeometryError;

/* Image transforms for augmentation. The rotations are clockwise, as seen on
 * screen (y grows downwards). For an image of size w x h, points map exactly:
 *   FLIP_H     (x, y) -> (w - x, y)
 *   FLIP_V     (x, y) -> (x, h - y)
 *   ROTATE_90  (x, y) -> (h - y, x)      new image is h x w
 *   ROTATE_180 (x, y) -> (w - x, h - y)
 *   ROTATE_270 (x, y) -> (y, w - x)      new image is h x w
 */
typedef enum {
  LIMNER_TRANSFORM_IDENTITY,
  LIMNER_TRANSFORM_FLIP_H,
  LIMNER_TRANSFORM_FLIP_V,
  LIMNER_TRANSFORM_ROTATE_90,
  LIMNER_TRANSFORM_ROTATE_180,
  LIMNER_TRANSFORM_ROTATE_270,
} LimnerTransform;

/* --- Point arrays ------------------------------------------------------- */

/* Shoelace area. Signed: positive when the vertices run clockwise on screen
 * (y down), i.e. counter-clockwise in the usual y-up convention. */
double     limner_polygon_signed_area (const double *points,
                                       guint         n_points);
double     limner_polygon_area        (const double *points,
                                       guint         n_points);
/* The empty rect when n_points == 0. */
LimnerRect limner_points_bbox         (const double *points,
                                       guint         n_points);

/* Even-odd rule with half-open edges, the same rule as pixels: a point on a
 * left or top edge is inside, on a right or bottom edge outside. So two
 * polygons that share an edge never both contain a point of it, and the box
 * test below agrees with the polygon test on the same rectangle. */
gboolean   limner_polygon_contains_point (const double *points,
                                          guint         n_points,
                                          double        x,
                                          double        y);
/* `corners` is x0, y0, x1, y1 in any order; inside is [x0, x1) x [y0, y1). */
gboolean   limner_box_contains_point     (const double *corners,
                                          double        x,
                                          double        y);

/* Distance from (px, py) to the segment a-b. Optionally returns the closest
 * point on the segment and its parameter t in [0, 1] (0 = a). */
double     limner_segment_distance (double  ax,
                                    double  ay,
                                    double  bx,
                                    double  by,
                                    double  px,
                                    double  py,
                                    double *out_x,
                                    double *out_y,
                                    double *out_t);

/* The edge nearest to (px, py). Edge i runs from vertex i to vertex i + 1;
 * when `closed`, edge n - 1 runs from the last vertex back to the first.
 * To insert a vertex on the edge, insert the projected point at index
 * `*out_edge + 1`. Returns the distance, or -1 when there is no edge
 * (fewer than 2 points). Ties go to the lower edge index. */
double     limner_points_nearest_edge (const double *points,
                                       guint         n_points,
                                       gboolean      closed,
                                       double        px,
                                       double        py,
                                       guint        *out_edge,
                                       double       *out_x,
                                       double       *out_y);

/* Index of the vertex nearest to (px, py) within `tolerance` (inclusive),
 * or -1. Ties go to the lower index. */
int        limner_points_nearest_vertex (const double *points,
                                         guint         n_points,
                                         double        px,
                                         double        py,
                                         double        tolerance);

/* Clamps every coordinate to [0, width] x [0, height]. Returns TRUE if any
 * coordinate moved. Vertex count and order are kept, so vertex indices held
 * by an editor stay valid. */
gboolean   limner_points_clamp (double  *points,
                                guint    n_points,
                                double   width,
                                double   height);
void       limner_points_translate (double  *points,
                                    guint    n_points,
                                    double   dx,
                                    double   dy);
/* Applies `transform` for an image of width x height (see LimnerTransform). */
void       limner_points_transform (double          *points,
                                    guint            n_points,
                                    LimnerTransform  transform,
                                    double           width,
                                    double           height);
/* The size of the image after `transform`. */
void       limner_transform_image_size (LimnerTransform  transform,
                                        double           width,
                                        double           height,
                                        double          *out_width,
                                        double          *out_height);
/* Fails with LIMNER_GEOMETRY_ERROR_NON_FINITE naming the first bad point. */
gboolean   limner_points_validate (const double  *points,
                                   guint          n_points,
                                   GError       **error);

/* --- Shapes ------------------------------------------------------------- */
/* These read shape->kind and shape->points only. */

guint      limner_shape_get_n_points (const LimnerShape *shape);
/* Polygon: shoelace area; box: width x height. */
double     limner_shape_area          (const LimnerShape *shape);
LimnerRect limner_shape_bbox          (const LimnerShape *shape);
/* Same boundary rule as limner_polygon_contains_point(). */
gboolean   limner_shape_contains_point (const LimnerShape *shape,
                                        double             x,
                                        double             y);
/* Distance from (px, py) to the outline (a box's four sides). */
double     limner_shape_outline_distance (const LimnerShape *shape,
                                          double             px,
                                          double             py);

/* All coordinates finite; a polygon has >= 3 vertices; a box has exactly two
 * corners, normalised (x0 <= x1, y0 <= y1) and non-degenerate (x0 < x1,
 * y0 < y1). The message names the shape by id when it has one. */
gboolean   limner_shape_validate (const LimnerShape  *shape,
                                  GError            **error);
/* Sorts a box's corners so that x0 <= x1 and y0 <= y1. No-op for polygons. */
void       limner_shape_normalize_box (LimnerShape *shape);
/* limner_points_clamp() on the shape's points. Returns TRUE if it clamped. */
gboolean   limner_shape_clamp (LimnerShape *shape,
                               double       width,
                               double       height);
void       limner_shape_translate (LimnerShape *shape,
                                   double       dx,
                                   double       dy);
/* Maps the points and, for a box, normalises the corners: a box stays a box. */
void       limner_shape_transform (LimnerShape     *shape,
                                   LimnerTransform  transform,
                                   double           width,
                                   double           height);

G_END_DECLS
