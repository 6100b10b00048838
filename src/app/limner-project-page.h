/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-project-page.h: the images of a project in a thumbnail grid, and import. */
#pragma once

#include <adwaita.h>

#include "limner-image-item.h"
#include "limner-store.h"
#include "limner-thumbnailer.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_PROJECT_PAGE (limner_project_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerProjectPage, limner_project_page, LIMNER, PROJECT_PAGE, GtkWidget)

GtkWidget         *limner_project_page_new             (void);
/* Shows the images of `store` (NULL clears the page). The list is read on a
 * worker thread; "loaded" is emitted when it is in the model. */
void               limner_project_page_set_store       (LimnerProjectPage *self,
                                                        LimnerStore       *store);
LimnerStore       *limner_project_page_get_store       (LimnerProjectPage *self);
/* Re-reads the image list (statuses, new images) keeping the scroll position. */
void               limner_project_page_reload          (LimnerProjectPage *self);
/* The model of the grid: LimnerImageItem, in id order. */
GListModel        *limner_project_page_get_model       (LimnerProjectPage *self);
LimnerThumbnailer *limner_project_page_get_thumbnailer (LimnerProjectPage *self);
gboolean           limner_project_page_get_loading     (LimnerProjectPage *self);
/* Asks for folders with a file chooser, then imports them. */
void               limner_project_page_choose_import   (LimnerProjectPage *self);
/* The same for image files (multiple selection, an "Images" filter). */
void               limner_project_page_choose_import_files (LimnerProjectPage *self);
/* Imports files and folders on a worker thread with a progress bar, then
 * shows a summary and reloads. Does nothing while an import runs. */
void               limner_project_page_import          (LimnerProjectPage  *self,
                                                        const char * const *paths);
gboolean           limner_project_page_get_importing   (LimnerProjectPage *self);
void               limner_project_page_cancel_import   (LimnerProjectPage *self);
/* Microseconds from set_store() to the first thumbnail on screen, 0 until then. */
gint64             limner_project_page_get_first_thumbnail_time (LimnerProjectPage *self);

G_END_DECLS
