/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-thumbnailer.h: renders grid thumbnails on a pool of worker threads.
 *
 * The grid asks for a thumbnail when it binds an item and releases it when it
 * unbinds it, so the items on screen are rendered first and requests for items
 * scrolled away are dropped before they cost anything. Textures of items that
 * left the screen are kept in a bounded LRU, so memory does not grow with the
 * size of the project.
 */
#pragma once

#include "limner-image-item.h"

G_BEGIN_DECLS

#define LIMNER_THUMBNAILER_DEFAULT_SIZE   192
#define LIMNER_THUMBNAILER_DEFAULT_CACHED 400
#define LIMNER_THUMBNAILER_THREADS        2

#define LIMNER_TYPE_THUMBNAILER (limner_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (LimnerThumbnailer, limner_thumbnailer, LIMNER, THUMBNAILER, GObject)

/* `size` is the longest side in pixels; `max_cached` bounds the textures kept
 * for items that are not bound. */
LimnerThumbnailer *limner_thumbnailer_new          (int                size,
                                                    guint              max_cached);
int                limner_thumbnailer_get_size     (LimnerThumbnailer *self);
/* Queues the item unless it has a thumbnail or is queued already. */
void               limner_thumbnailer_request      (LimnerThumbnailer *self,
                                                    LimnerImageItem   *item);
/* The item left the screen: drops its pending request and lets its texture
 * be evicted. */
void               limner_thumbnailer_release      (LimnerThumbnailer *self,
                                                    LimnerImageItem   *item);
/* Drops every pending request and forgets every item (on project change). */
void               limner_thumbnailer_clear        (LimnerThumbnailer *self);
/* Thumbnails delivered (or failed) since creation. */
guint              limner_thumbnailer_get_n_loaded (LimnerThumbnailer *self);
guint              limner_thumbnailer_get_n_pending (LimnerThumbnailer *self);

G_END_DECLS
