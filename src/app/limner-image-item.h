/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-item.h: one image of a project, as an item of the grid's model. */
#pragma once

#include <gtk/gtk.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_IMAGE_ITEM (limner_image_item_get_type ())
G_DECLARE_FINAL_TYPE (LimnerImageItem, limner_image_item, LIMNER, IMAGE_ITEM, GObject)

/* `abs_path` is the record's path resolved against the project directory. */
LimnerImageItem         *limner_image_item_new           (const LimnerImageRecord *record,
                                                          const char              *abs_path);
gint64                   limner_image_item_get_id        (LimnerImageItem *self);
/* Absolute path of the image file. */
const char              *limner_image_item_get_path      (LimnerImageItem *self);
const char              *limner_image_item_get_sha256    (LimnerImageItem *self);
/* The file name shown under the thumbnail. */
const char              *limner_image_item_get_name      (LimnerImageItem *self);
const LimnerImageRecord *limner_image_item_get_record    (LimnerImageItem *self);
/* Replaces the record (status, assignee...) and notifies "status". */
void                     limner_image_item_update        (LimnerImageItem         *self,
                                                          const LimnerImageRecord *record);
LimnerImageStatus        limner_image_item_get_status    (LimnerImageItem *self);
GdkTexture              *limner_image_item_get_thumbnail (LimnerImageItem *self);
void                     limner_image_item_set_thumbnail (LimnerImageItem *self,
                                                          GdkTexture      *thumbnail);
/* Why no thumbnail could be made (one sentence naming the file), or NULL. */
const char              *limner_image_item_get_thumbnail_error (LimnerImageItem *self);
void                     limner_image_item_set_thumbnail_error (LimnerImageItem *self,
                                                                const char      *message);

/* Translated name of a status for badges: "New", "In Progress"... */
const char              *limner_image_status_get_title   (LimnerImageStatus status);

G_END_DECLS
