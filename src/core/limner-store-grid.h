/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-grid.h: what the image grid filters by and the image records
 * do not hold: the labels present on each image and who works it. Part of
 * the store module. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  image_id;
  /* Who holds the image, or else who last annotated it; NULL for neither. */
  char   *worker;
  /* Ids of the labels of the image's shapes, ascending, each once (of gint64). */
  GArray *label_ids;
} LimnerImageGridInfo;

void limner_image_grid_info_free (LimnerImageGridInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerImageGridInfo, limner_image_grid_info_free)

/* One LimnerImageGridInfo per image, by image id. Reads the whole project
 * in two queries (not one per image), so it stays fast for large projects. */
GPtrArray *limner_store_list_grid_info (LimnerStore  *store,
                                        GError      **error);

G_END_DECLS
