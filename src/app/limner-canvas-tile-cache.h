/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-tile-cache.h: a bounded LRU of tile textures.
 *
 * The canvas keeps one for image tiles, keyed by (level, column, row), and
 * one per overlay zoom for rasterised shapes. A tile may be stored with a
 * NULL texture (an overlay tile with no shape on it): present, but nothing
 * to draw. Looking a tile up makes it the most recently used.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _LimnerCanvasTileCache LimnerCanvasTileCache;

static inline guint64
limner_canvas_tile_key (int level,
                        int tx,
                        int ty)
{
  return ((guint64) (level & 0xff) << 56) | ((guint64) (tx & 0xfffffff) << 28) |
         (guint64) (ty & 0xfffffff);
}

LimnerCanvasTileCache *limner_canvas_tile_cache_new      (guint max_tiles);
void                   limner_canvas_tile_cache_free     (LimnerCanvasTileCache *self);
void                   limner_canvas_tile_cache_clear    (LimnerCanvasTileCache *self);
guint                  limner_canvas_tile_cache_get_size (LimnerCanvasTileCache *self);
guint                  limner_canvas_tile_cache_get_max  (LimnerCanvasTileCache *self);
/* Shrinks at once if needed. */
void                   limner_canvas_tile_cache_set_max  (LimnerCanvasTileCache *self,
                                                          guint                  max_tiles);
/* TRUE if the tile is cached; `texture` (borrowed, may be NULL) is set then.
 * Marks the tile as just used. */
gboolean               limner_canvas_tile_cache_lookup   (LimnerCanvasTileCache  *self,
                                                          guint64                 key,
                                                          GdkTexture            **texture);
gboolean               limner_canvas_tile_cache_contains (LimnerCanvasTileCache *self,
                                                          guint64                key);
/* Adds or replaces; evicts the least recently used beyond the bound. */
void                   limner_canvas_tile_cache_insert   (LimnerCanvasTileCache *self,
                                                          guint64                key,
                                                          GdkTexture            *texture);
void                   limner_canvas_tile_cache_remove   (LimnerCanvasTileCache *self,
                                                          guint64                key);

/* Buffers for square ARGB32 tiles of LIMNER_CANVAS_TILE_BUFFER_SIZE pixels,
 * from any thread. */
#define LIMNER_CANVAS_TILE_BUFFER_SIZE 256
#define LIMNER_CANVAS_TILE_BUFFER_BYTES \
  (LIMNER_CANVAS_TILE_BUFFER_SIZE * LIMNER_CANVAS_TILE_BUFFER_SIZE * 4)
guint8                *limner_canvas_tile_buffer_take      (void);
/* Takes the buffer back for reuse (a GDestroyNotify). */
void                   limner_canvas_tile_buffer_give_back (gpointer buffer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerCanvasTileCache, limner_canvas_tile_cache_free)

G_END_DECLS
