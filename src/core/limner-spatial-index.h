/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-spatial-index.h: find shapes by position without scanning them all.
 *
 * A hierarchical bucket grid: a shape lives on the level whose cell is at
 * least as large as its bounding box, so it occupies at most 2 x 2 cells,
 * and a point query looks at one or a few cells per level. Big and small
 * shapes mix without either flooding the grid.
 *
 * The index knows ids, bounding boxes and a stacking order `z` (higher is
 * drawn later, i.e. on top). It does not know the shapes' exact outlines:
 * queries return candidates whose bounding box matches, and the caller
 * (LimnerDocument) refines them. Not thread-safe; use from one thread.
 */
#pragma once

#include <glib.h>

#include "limner-geometry.h"

G_BEGIN_DECLS

typedef struct _LimnerSpatialIndex LimnerSpatialIndex;

/* `cell_size` is the finest cell edge in pixels; <= 0 picks the default
 * (128, the fastest for objects of 10-120 px in limner-bench hittest). */
LimnerSpatialIndex *limner_spatial_index_new  (double cell_size);
void                limner_spatial_index_free (LimnerSpatialIndex *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerSpatialIndex, limner_spatial_index_free)

void     limner_spatial_index_clear    (LimnerSpatialIndex *self);
guint    limner_spatial_index_get_size (LimnerSpatialIndex *self);

/* Adds `id`, or replaces its bbox and z if it is already there. `bbox` must
 * be finite and non-empty (a zero-size box is fine). */
void     limner_spatial_index_insert   (LimnerSpatialIndex *self,
                                        gint64              id,
                                        gint64              z,
                                        const LimnerRect   *bbox);
/* Moves `id` to `bbox`, keeping its z. FALSE if `id` is unknown. */
gboolean limner_spatial_index_update   (LimnerSpatialIndex *self,
                                        gint64              id,
                                        const LimnerRect   *bbox);
/* FALSE if `id` is unknown. */
gboolean limner_spatial_index_remove   (LimnerSpatialIndex *self,
                                        gint64              id);
gboolean limner_spatial_index_contains (LimnerSpatialIndex *self,
                                        gint64              id);
/* FALSE if `id` is unknown. */
gboolean limner_spatial_index_get_bbox (LimnerSpatialIndex *self,
                                        gint64              id,
                                        LimnerRect         *out_bbox);

/* Ids (gint64) whose bbox, grown by `tolerance`, contains (x, y) (closed
 * interval), topmost first: descending z. Never NULL. */
GArray  *limner_spatial_index_query_point (LimnerSpatialIndex *self,
                                           double              x,
                                           double              y,
                                           double              tolerance);
/* Ids (gint64) whose bbox intersects `rect` (closed interval), in drawing
 * order: ascending z, bottom first. For viewport culling. Never NULL. */
GArray  *limner_spatial_index_query_rect  (LimnerSpatialIndex *self,
                                           const LimnerRect   *rect);

G_END_DECLS
