/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-view.h: a simple view of one image, scaled to fit.
 *
 * A placeholder until the tiled canvas (limner-canvas) takes its place: the
 * pixels are loaded with vips_thumbnail at about the window's size on a worker
 * thread, never decoding a large image in full.
 */
#pragma once

#include <gtk/gtk.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_IMAGE_VIEW (limner_image_view_get_type ())
G_DECLARE_FINAL_TYPE (LimnerImageView, limner_image_view, LIMNER, IMAGE_VIEW, GtkWidget)

GtkWidget *limner_image_view_new          (void);
/* Shows `record` (NULL clears the view). Its path is resolved against
 * `store_dir`, the project directory, unless it is absolute. */
void       limner_image_view_set_image    (LimnerImageView         *self,
                                           const char              *store_dir,
                                           const LimnerImageRecord *record);
/* The image shown, 0 if none. */
gint64     limner_image_view_get_image_id (LimnerImageView *self);
/* TRUE while pixels are being loaded. */
gboolean   limner_image_view_get_loading  (LimnerImageView *self);

G_END_DECLS
