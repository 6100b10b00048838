/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-livewire.h: intelligent scissors (live-wire) after Mortensen and
 * Barrett: the cheapest 8-connected pixel path between an anchor and the
 * pointer, where following strong edges (gradient magnitude, gradient
 * direction, Laplacian zero crossings) is cheap.
 *
 * Making a LimnerLiveWire computes the cost map of a region and the whole
 * shortest-path tree from the anchor once (Dijkstra with a binary heap), so
 * each pointer move afterwards is only a walk back along the tree. Pure: the
 * region's pixels in, paths out, in image coordinates through pixel centres.
 */
#pragma once

#include <glib.h>

#include "limner-assist.h"

G_BEGIN_DECLS

typedef struct _LimnerLiveWire LimnerLiveWire;

/* The anchor (image coordinates) must lie inside the region. */
LimnerLiveWire *limner_live_wire_new  (const LimnerAssistRegion *region,
                                       double                    anchor_x,
                                       double                    anchor_y,
                                       GError                  **error);
/* The same on a window of `level`, `radius` level pixels around the anchor. */
LimnerLiveWire *limner_live_wire_new_for_source (LimnerTileSource *source,
                                                 int               level,
                                                 double            anchor_x,
                                                 double            anchor_y,
                                                 int               radius,
                                                 GError          **error);
void            limner_live_wire_free (LimnerLiveWire *wire);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerLiveWire, limner_live_wire_free)

/* The region the wire covers, in image coordinates. */
void            limner_live_wire_get_bounds (LimnerLiveWire *wire,
                                             double         *x0,
                                             double         *y0,
                                             double         *x1,
                                             double         *y1);

/* The path from the anchor to (x, y) (clamped into the region), as x/y
 * pairs of double through pixel centres, simplified with Douglas–Peucker to
 * `simplify` image pixels (0 keeps every pixel). It starts at the anchor's
 * pixel centre and ends at the target's. */
GArray         *limner_live_wire_path (LimnerLiveWire *wire,
                                       double          x,
                                       double          y,
                                       double          simplify);
/* The path's total cost, for tests. */
double          limner_live_wire_cost (LimnerLiveWire *wire,
                                       double          x,
                                       double          y);

G_END_DECLS
