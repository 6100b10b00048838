/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-thumbnailer.h: renders grid thumbnails on a pool of worker threads.
 *
 * The grid asks for a thumbnail when it binds an item and releases it when it
 * unbinds it, so only bound items are rendered and requests for items scrolled
 * away are dropped before they cost anything. Only a few jobs are handed to the
 * threads at a time; each time a worker frees up, the pending item ranked
 * first by the priority function (the one on screen) goes next. Textures of
 * items that left the screen are kept in a bounded LRU, so memory does not
 * grow with the size of the project.
 */
#pragma once

#include "limner-image-item.h"

G_BEGIN_DECLS

#define LIMNER_THUMBNAILER_DEFAULT_SIZE   192
#define LIMNER_THUMBNAILER_DEFAULT_CACHED 400
#define LIMNER_THUMBNAILER_THREADS        2
/* Jobs queued in the pool at once: enough to keep the threads busy, few
 * enough that a scroll reorders the rest. */
#define LIMNER_THUMBNAILER_IN_FLIGHT      (2 * LIMNER_THUMBNAILER_THREADS)

/* Lower runs sooner. Called on the main thread while choosing the next jobs. */
typedef double (*LimnerThumbnailerPriorityFunc) (LimnerImageItem *item,
                                                 gpointer         user_data);

#define LIMNER_TYPE_THUMBNAILER (limner_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (LimnerThumbnailer, limner_thumbnailer, LIMNER, THUMBNAILER, GObject)

/* `size` is the longest side in pixels; `max_cached` bounds the textures kept
 * for items that are not bound. */
LimnerThumbnailer *limner_thumbnailer_new          (int                size,
                                                    guint              max_cached);
int                limner_thumbnailer_get_size     (LimnerThumbnailer *self);
/* Without one, requests run in the order they were made. */
void               limner_thumbnailer_set_priority_func (LimnerThumbnailer             *self,
                                                         LimnerThumbnailerPriorityFunc  func,
                                                         gpointer                       user_data,
                                                         GDestroyNotify                 destroy);
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
/* Requests not delivered yet (queued or being rendered). */
guint              limner_thumbnailer_get_n_pending (LimnerThumbnailer *self);

G_END_DECLS
