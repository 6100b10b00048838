/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-grid-filter.h: the bar above the image grid that filters it (status,
 * label, who works the image, file name) and sorts it (name, date added,
 * status), with a count of the images shown.
 *
 * It wraps the grid's model in a GtkFilterListModel and a GtkSortListModel.
 * What an image item does not know (its labels, who works it) is read from
 * the store on a worker thread, all images at once, after each reload.
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_GRID_SORT_ADDED,  /* date added, then id: the order of the store */
  LIMNER_GRID_SORT_NAME,   /* file name, numbers in names compared as numbers */
  LIMNER_GRID_SORT_STATUS, /* new, in progress, submitted, in review, accepted, rejected */
} LimnerGridSort;

#define LIMNER_TYPE_GRID_FILTER (limner_grid_filter_get_type ())
G_DECLARE_FINAL_TYPE (LimnerGridFilter, limner_grid_filter, LIMNER, GRID_FILTER, GtkWidget)

GtkWidget  *limner_grid_filter_new          (void);
/* Sets the model to filter (of LimnerImageItem); call once. */
void        limner_grid_filter_set_items    (LimnerGridFilter *self,
                                             GListModel       *items);
/* The filtered and sorted model, for the grid. */
GListModel *limner_grid_filter_get_model    (LimnerGridFilter *self);
/* The project whose labels and workers to read (NULL clears them); call
 * reload() once its image list is in the model. */
void        limner_grid_filter_set_store    (LimnerGridFilter *self,
                                             LimnerStore      *store);
/* Reads the labels and workers again (after the image list was reloaded);
 * emits "info-loaded" once they apply. */
void        limner_grid_filter_reload       (LimnerGridFilter *self);
gboolean    limner_grid_filter_get_loading  (LimnerGridFilter *self);

/* The same as choosing in the bar. `status` -1 = any, `label_id` 0 = any,
 * `worker` NULL = anyone. */
void        limner_grid_filter_set_status   (LimnerGridFilter *self,
                                             int               status);
void        limner_grid_filter_set_label    (LimnerGridFilter *self,
                                             gint64            label_id);
void        limner_grid_filter_set_worker   (LimnerGridFilter *self,
                                             const char       *worker);
void        limner_grid_filter_set_search   (LimnerGridFilter *self,
                                             const char       *text);
void        limner_grid_filter_set_sort     (LimnerGridFilter *self,
                                             LimnerGridSort    sort);
/* TRUE while a choice hides some images. */
gboolean    limner_grid_filter_is_filtering (LimnerGridFilter *self);
/* "12 images", or "3 of 12 images" while filtering. */
const char *limner_grid_filter_get_count_text (LimnerGridFilter *self);
/* Puts the keyboard focus in the search entry. */
void        limner_grid_filter_focus_search (LimnerGridFilter *self);
/* Ctrl+F in `scope` (e.g. the page holding the grid) focuses the search. */
void        limner_grid_filter_add_shortcuts (LimnerGridFilter *self,
                                              GtkWidget        *scope);

G_END_DECLS
