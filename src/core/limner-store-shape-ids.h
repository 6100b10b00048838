/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-shape-ids.h: reserving shape ids ahead of their INSERT, so an
 * editor can name a new shape before the queued write reaches the database
 * (see limner-store-writer.h). Part of the store module. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

/* Reserves `n` consecutive shape ids that no other insert in this or any
 * other process will use, and returns the first in `out_first`. Inserting a
 * shape with one of them as its id (limner_store_insert_shape() with
 * shape->id set) then stores it under that id. Needs any role. */
gboolean limner_store_reserve_shape_ids (LimnerStore  *self,
                                         guint         n,
                                         gint64       *out_first,
                                         GError      **error);

G_END_DECLS
