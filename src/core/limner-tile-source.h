/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-tile-source.h: 256 px display tiles of an image, at several
 * resolution levels, rendered on worker threads. No GTK.
 *
 * Level 0 is full resolution; each next level is about half the size of the
 * one before. Levels come from the file when it can provide them cheaply
 * (TIFF sub-IFD or page pyramids, JPEG shrink-on-load, WebP scaled load) and
 * are otherwise made by shrinking the coarsest level the file has. Pixels are
 * only ever decoded for the tiles that are asked for.
 *
 * Signals (main context): ::tile-ready (LimnerTile *tile) and ::tile-failed
 * (int level, int tx, int ty, const char *message).
 *
 * Requests are grouped in rounds: limner_tile_source_begin_requests() starts a
 * round, and tiles asked for in an earlier round and not asked for again are
 * cancelled while queued and dropped when they finish. Finished tiles arrive
 * as the ::tile-ready signal in the main context that was the thread-default
 * one when the source was made.
 */
#pragma once

#include <gio/gio.h>

#include "limner-image.h"

G_BEGIN_DECLS

#define LIMNER_TILE_SIZE 256

/* A rendered tile: premultiplied RGBA, 8 bits per channel, rows of
 * `stride` bytes (GDK_MEMORY_R8G8B8A8_PREMULTIPLIED). */
typedef struct {
  int     level;
  int     tx;
  int     ty;
  /* The tile in the pixels of its level; edge tiles are smaller than 256. */
  int     x;
  int     y;
  int     width;
  int     height;
  /* The same area in full-resolution image pixels. */
  double  image_x;
  double  image_y;
  double  image_width;
  double  image_height;
  guint   generation;  /* the request round it was rendered for */
  int     stride;
  GBytes *pixels;
  /*< private >*/
  gint    ref_count;
} LimnerTile;

#define LIMNER_TYPE_TILE (limner_tile_get_type ())
GType       limner_tile_get_type (void) G_GNUC_CONST;
LimnerTile *limner_tile_ref      (LimnerTile *tile);
void        limner_tile_unref    (LimnerTile *tile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerTile, limner_tile_unref)

/* Where a level's pixels come from. */
typedef enum {
  LIMNER_LEVEL_FILE,    /* a pyramid level, or a shrink-on-load of the file */
  LIMNER_LEVEL_SHRUNK,  /* computed from a finer level */
} LimnerLevelOrigin;

#define LIMNER_TYPE_TILE_SOURCE (limner_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (LimnerTileSource, limner_tile_source, LIMNER, TILE_SOURCE, GObject)

/* Picks the level to draw at `zoom` (screen pixels per image pixel, HiDPI
 * scale included): the coarsest level that still has at least one pixel per
 * screen pixel, so nothing is enlarged beyond its resolution; level 0 when
 * zooming in. `downsamples` are image pixels per level pixel, ascending
 * (downsamples[0] is 1). Pure. */
int               limner_tile_source_choose_level (const double *downsamples,
                                                   int           n_levels,
                                                   double        zoom);

/* Probes and opens `path` (headers only; no pixel is decoded here). */
LimnerTileSource *limner_tile_source_new        (const char           *path,
                                                 GError              **error);
/* The same on a worker thread, for files on slow disks. */
void              limner_tile_source_new_async  (const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
LimnerTileSource *limner_tile_source_new_finish (GAsyncResult         *result,
                                                 GError              **error);

const char       *limner_tile_source_get_path   (LimnerTileSource *self);
const LimnerImageInfo *limner_tile_source_get_info (LimnerTileSource *self);
int               limner_tile_source_get_width  (LimnerTileSource *self);
int               limner_tile_source_get_height (LimnerTileSource *self);

int               limner_tile_source_get_n_levels      (LimnerTileSource *self);
void              limner_tile_source_get_level_size    (LimnerTileSource *self,
                                                        int               level,
                                                        int              *width,
                                                        int              *height);
/* Image pixels per level pixel, horizontally (levels may round their size). */
double            limner_tile_source_get_level_downsample (LimnerTileSource *self,
                                                           int               level);
LimnerLevelOrigin limner_tile_source_get_level_origin  (LimnerTileSource *self,
                                                        int               level);
/* limner_tile_source_choose_level() with this source's levels. */
int               limner_tile_source_choose_level_for_zoom (LimnerTileSource *self,
                                                            double            zoom);
/* Number of tile columns and rows of a level. */
void              limner_tile_source_get_n_tiles       (LimnerTileSource *self,
                                                        int               level,
                                                        int              *n_x,
                                                        int              *n_y);
/* The rectangle a tile covers, in full-resolution image pixels. */
void              limner_tile_source_get_tile_rect     (LimnerTileSource *self,
                                                        int               level,
                                                        int               tx,
                                                        int               ty,
                                                        double           *x,
                                                        double           *y,
                                                        double           *width,
                                                        double           *height);

/* Renders one tile now, in the calling thread. Thread-safe. */
LimnerTile       *limner_tile_source_render_tile (LimnerTileSource  *self,
                                                  int                level,
                                                  int                tx,
                                                  int                ty,
                                                  GError           **error);

/* Starts a new round of requests and returns its generation. */
guint             limner_tile_source_begin_requests (LimnerTileSource *self);
guint             limner_tile_source_get_generation (LimnerTileSource *self);
/* Asks for a tile in the current round. Lower `priority` values render first.
 * Asking again for a tile that is queued or rendering only moves it into this
 * round. */
void              limner_tile_source_request        (LimnerTileSource *self,
                                                     int               level,
                                                     int               tx,
                                                     int               ty,
                                                     int               priority);
/* TRUE while the tile is queued or rendering. */
gboolean          limner_tile_source_is_pending     (LimnerTileSource *self,
                                                     int               level,
                                                     int               tx,
                                                     int               ty);
/* Tiles queued or rendering. */
guint             limner_tile_source_get_n_pending  (LimnerTileSource *self);
/* Cancels every queued tile and drops those being rendered. */
void              limner_tile_source_cancel_all     (LimnerTileSource *self);

/* Counters, for tests and benchmarks. */
guint             limner_tile_source_get_n_delivered (LimnerTileSource *self);
guint             limner_tile_source_get_n_dropped   (LimnerTileSource *self);
guint             limner_tile_source_get_n_cancelled (LimnerTileSource *self);

G_END_DECLS
