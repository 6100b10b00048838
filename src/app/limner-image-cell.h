/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-cell.h: one cell of the project grid: thumbnail, name, status badge. */
#pragma once

#include <gtk/gtk.h>

#include "limner-image-item.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_IMAGE_CELL (limner_image_cell_get_type ())
G_DECLARE_FINAL_TYPE (LimnerImageCell, limner_image_cell, LIMNER, IMAGE_CELL, GtkWidget)

GtkWidget       *limner_image_cell_new      (void);
LimnerImageItem *limner_image_cell_get_item (LimnerImageCell *self);
void             limner_image_cell_set_item (LimnerImageCell *self,
                                             LimnerImageItem *item);

G_END_DECLS
