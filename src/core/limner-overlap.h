/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-overlap.h: exact overlap areas and IoU of boxes and polygons.
 *
 * Points are x/y pairs of doubles in image pixel space, as in
 * limner-geometry.h; `n_points` counts points. A polygon's region is its
 * even-odd interior, so a simple polygon (convex or not) covers what it
 * encloses, and a self-intersecting one covers its even-odd region.
 *
 * The intersection area is exact up to floating-point rounding, by slabs:
 * gather the y of every vertex of both polygons and every y where two edges
 * cross. Between two consecutive such y no edges cross and none begins or
 * ends, so the length of the intersection of the two cross-sections is a
 * linear function of y there, and its value at the slab's mid-y times the
 * slab's height is the slab's area exactly. Cost: O(E^2) for the crossings
 * plus O(E log E) per slab, for E edges in all; meant for shapes of up to a
 * few hundred vertices.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Area of the even-odd region of one polygon (|shoelace| when simple).
 * Fewer than 3 points: 0. */
double limner_overlap_polygon_area (const double *points,
                                    guint         n_points);

/* Area of the intersection of the even-odd regions of two polygons. */
double limner_overlap_polygon_polygon (const double *a,
                                       guint         n_a,
                                       const double *b,
                                       guint         n_b);

/* Area of the intersection of two boxes, each `x0, y0, x1, y1` with corners
 * in any order. Touching boxes overlap by 0. */
double limner_overlap_box_box (const double *a,
                               const double *b);

/* Intersection over union of two shapes. A shape is a box when `a_is_box`
 * (then `a` holds exactly 2 corners) and a polygon otherwise; likewise `b`.
 * A box against a polygon is computed as the box's rectangle polygon.
 * 0 when the union's area is 0 (two empty shapes). */
double limner_overlap_iou (const double *a,
                           guint         n_a,
                           gboolean      a_is_box,
                           const double *b,
                           guint         n_b,
                           gboolean      b_is_box);

G_END_DECLS
