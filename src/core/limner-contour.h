/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-contour.h: outlines of binary masks, and polyline simplification.
 *
 * A mask is one byte per pixel, non-zero for "inside", rows of `stride`
 * bytes. Contours run along pixel edges, so their vertices are pixel corners
 * in the mask's own coordinates: pixel (i, j) covers [i, i+1) x [j, j+1), as
 * in image space. Vertices are returned as flat GArrays of double, x/y pairs.
 * Everything here is pure and thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The outer contour of the 4-connected region of `mask` that contains pixel
 * (seed_x, seed_y), holes ignored: the polygon along the region's outer
 * pixel edges, clockwise on screen (y down), starting at the top-left corner
 * of the region's topmost, then leftmost pixel, with only the corners where
 * the direction changes. Pixels outside the mask count as outside, so a
 * region may touch the border. Returns NULL when the seed pixel is not
 * inside. */
GArray *limner_contour_trace_outer (const guint8 *mask,
                                    int           width,
                                    int           height,
                                    int           stride,
                                    int           seed_x,
                                    int           seed_y);

/* Douglas–Peucker simplification of a closed polygon: keeps a subset of the
 * vertices such that every input vertex lies within `tolerance` of the
 * simplified polygon's boundary. Keeps at least three vertices when the
 * input has them. A tolerance <= 0 removes nothing. */
GArray *limner_contour_simplify_closed (const GArray *points,
                                        double        tolerance);

/* The same for an open polyline; its two ends are always kept. */
GArray *limner_contour_simplify_open   (const GArray *points,
                                        double        tolerance);

/* Distance from (px, py) to the segment (ax, ay)–(bx, by). */
double  limner_contour_segment_distance (double px,
                                         double py,
                                         double ax,
                                         double ay,
                                         double bx,
                                         double by);

/* Intersection over union of two polygons' areas, measured by sampling a
 * grid of `step` pixels over their bounds (a measure for tests and
 * benchmarks; step 0.25 is within about 1 % on objects 50 px across). */
double  limner_contour_iou (const GArray *a,
                            const GArray *b,
                            double        step);

G_END_DECLS
