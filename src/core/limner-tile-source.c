/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-tile-source.h"

/* JPEG shrink-on-load goes up to 1/8. */
#define MAX_JPEG_FILE_LEVELS 4
/* Enough halvings to bring any image allowed by the pixel cap to one tile. */
#define MAX_LEVELS 32

typedef struct {
  LimnerLevelOrigin  origin;
  int                width;
  int                height;
  double             downsample_x;
  double             downsample_y;
  /* Premultiplied RGBA8, opened for random access: regions of it decode
   * only what they cover. */
  VipsImage         *display;
} Level;

typedef struct {
  gint64   key;
  int      level;
  int      tx;
  int      ty;
  guint    generation;
  int      priority;
  guint64  seq;
  gboolean running;
} Job;

struct _LimnerTileSource
{
  GObject          parent_instance;

  /* Owned references */
  char            *path;
  LimnerImageInfo  info;
  GPtrArray       *levels;       /* of Level*, finest first */
  GMainContext    *context;      /* where signals are emitted */

  /* Guarded by lock */
  GMutex           lock;
  GHashTable      *jobs;         /* &job->key -> Job*, queued or running */
  guint            generation;
  guint64          next_seq;

  /* Main context only */
  guint            n_delivered;
  guint            n_dropped;
  guint            n_cancelled;  /* guarded by lock: counted by workers */
};

enum {
  TILE_READY,
  TILE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LimnerTileSource, limner_tile_source, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (LimnerTile, limner_tile, limner_tile_ref, limner_tile_unref)

LimnerTile *
limner_tile_ref (LimnerTile *tile)
{
  g_return_val_if_fail (tile != NULL, NULL);

  g_atomic_int_inc (&tile->ref_count);
  return tile;
}

void
limner_tile_unref (LimnerTile *tile)
{
  g_return_if_fail (tile != NULL);

  if (g_atomic_int_dec_and_test (&tile->ref_count))
    {
      g_clear_pointer (&tile->pixels, g_bytes_unref);
      g_free (tile);
    }
}

static void
level_free (gpointer data)
{
  Level *level = data;

  g_clear_object (&level->display);
  g_free (level);
}

/* Keys pack level, column and row into bit fields, which g_int64_hash()
 * folds onto each other; mix them instead. */
static guint
job_key_hash (gconstpointer data)
{
  guint64 k = *(const guint64 *) data;

  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  k ^= k >> 33;
  return (guint) k;
}

static gint64
job_key (int level, int tx, int ty)
{
  return ((gint64) level << 56) | ((gint64) tx << 28) | (gint64) ty;
}

int
limner_tile_source_choose_level (const double *downsamples,
                                 int           n_levels,
                                 double        zoom)
{
  double wanted;
  int best = 0;

  g_return_val_if_fail (downsamples != NULL || n_levels == 0, 0);

  if (n_levels <= 1 || !(zoom > 0) || !isfinite (zoom))
    return 0;

  /* A level may be used while each of its pixels covers at most one screen
   * pixel; the small tolerance absorbs rounding in level sizes (a 1001 px
   * image halves to 501 px, a downsample of 1.998). */
  wanted = 1.0 / zoom;
  for (int i = 1; i < n_levels; i++)
    {
      if (downsamples[i] <= wanted * 1.01)
        best = i;
      else
        break;
    }

  return best;
}

/* Converts a freshly opened level to premultiplied 8-bit RGBA, whatever its
 * colour space, bands and format. */
static VipsImage *
convert_for_display (VipsImage *in,
                     VipsImage *context)
{
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 8);
  VipsImage *image;
  VipsImage *out = NULL;
  VipsInterpretation interpretation;
  gboolean has_alpha;

  if (vips_image_decode (in, &t[0]))
    return NULL;
  image = t[0];

  has_alpha = vips_image_hasalpha (image);
  interpretation = vips_image_guess_interpretation (image);
  if (interpretation != VIPS_INTERPRETATION_sRGB)
    {
      if (vips_colourspace (image, &t[1], VIPS_INTERPRETATION_sRGB, NULL) == 0)
        image = t[1];
      else
        {
          /* An interpretation libvips cannot convert (multiband, fourier...):
           * show the first band as grey rather than refuse the file. */
          vips_error_clear ();
          if (vips_extract_band (image, &t[1], 0, "n", 1, NULL))
            return NULL;
          {
            VipsImage *grey[3] = { t[1], t[1], t[1] };

            if (vips_bandjoin (grey, &t[3], 3, NULL))
              return NULL;
          }
          image = t[3];
          has_alpha = FALSE;
        }
    }

  if (image->BandFmt != VIPS_FORMAT_UCHAR)
    {
      if (vips_cast_uchar (image, &t[4], NULL))
        return NULL;
      image = t[4];
    }

  if (image->Bands > 4 || (image->Bands == 4 && !has_alpha))
    {
      if (vips_extract_band (image, &t[5], 0, "n", 3, NULL))
        return NULL;
      image = t[5];
    }

  if (image->Bands == 3)
    {
      if (vips_bandjoin_const1 (image, &out, 255, NULL))
        return NULL;
    }
  else if (image->Bands == 4)
    {
      if (vips_premultiply (image, &t[6], NULL) ||
          vips_cast_uchar (t[6], &out, NULL))
        return NULL;
    }
  else
    {
      vips_error ("limner", "unexpected number of bands: %d", image->Bands);
      return NULL;
    }

  return out;
}

static VipsImage *
make_display_image (VipsImage *in)
{
  VipsImage *context = vips_image_new ();
  VipsImage *out = convert_for_display (in, context);

  /* Intermediate images stay alive as long as `out` needs them. */
  g_object_unref (context);
  return out;
}

static gboolean
add_level (LimnerTileSource   *self,
           VipsImage          *display,
           LimnerLevelOrigin   origin)
{
  Level *level = g_new0 (Level, 1);

  level->origin = origin;
  level->display = display;
  level->width = display->Xsize;
  level->height = display->Ysize;
  level->downsample_x = (double) self->info.width / level->width;
  level->downsample_y = (double) self->info.height / level->height;
  g_ptr_array_add (self->levels, level);
  return TRUE;
}

static gboolean
level_fits_in_a_tile (const Level *level)
{
  return level->width <= LIMNER_TILE_SIZE && level->height <= LIMNER_TILE_SIZE;
}

/* How many levels the file itself can provide without decoding more than it
 * must. */
static int
count_file_levels (const LimnerImageInfo *info)
{
  if (info->pyramid != LIMNER_PYRAMID_NONE)
    return MAX (1, info->n_levels);
  if (g_strcmp0 (info->format, "jpeg") == 0)
    return MAX_JPEG_FILE_LEVELS;
  if (g_strcmp0 (info->format, "webp") == 0)
    return MAX_LEVELS;
  return 1;
}

static gboolean
open_levels (LimnerTileSource  *self,
             GError           **error)
{
  int n_file_levels = count_file_levels (&self->info);
  Level *coarsest_file;
  int shrink;

  for (int i = 0; i < n_file_levels && self->levels->len < MAX_LEVELS; i++)
    {
      g_autoptr(GError) local_error = NULL;
      VipsImage *image;
      VipsImage *display;

      if (i > 0 && level_fits_in_a_tile (g_ptr_array_index (self->levels, i - 1)))
        break;

      image = limner_image_open_level (self->path, i, NULL, &local_error);
      if (image == NULL)
        {
          if (i == 0)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* A pyramid level that is missing or broken: shrink instead. */
          g_debug ("%s: level %d unavailable: %s", self->path, i, local_error->message);
          break;
        }

      if (i > 0)
        {
          const Level *finer = g_ptr_array_index (self->levels, i - 1);

          /* Only true reductions count as levels (some pyramids repeat). */
          if (image->Xsize >= finer->width || image->Ysize > finer->height)
            {
              g_object_unref (image);
              break;
            }
        }

      display = make_display_image (image);
      g_object_unref (image);
      if (display == NULL)
        {
          g_autofree char *basename = g_path_get_basename (self->path);
          g_autofree char *message = vips_error_buffer_copy ();

          g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                       _("%s: cannot convert the image for display: %s"),
                       basename, g_strstrip (message));
          return FALSE;
        }
      add_level (self, display, LIMNER_LEVEL_FILE);
    }

  /* Coarser levels are box-filtered from the coarsest level the file has,
   * which is the smallest image to read from. */
  coarsest_file = g_ptr_array_index (self->levels, self->levels->len - 1);
  shrink = 2;
  while (!level_fits_in_a_tile (g_ptr_array_index (self->levels, self->levels->len - 1)) &&
         self->levels->len < MAX_LEVELS)
    {
      VipsImage *shrunk = NULL;
      double factor_x = MIN (shrink, coarsest_file->width);
      double factor_y = MIN (shrink, coarsest_file->height);

      if (vips_shrink (coarsest_file->display, &shrunk, factor_x, factor_y, NULL))
        {
          g_autofree char *basename = g_path_get_basename (self->path);
          g_autofree char *message = vips_error_buffer_copy ();

          g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                       _("%s: cannot make a reduced view: %s"),
                       basename, g_strstrip (message));
          return FALSE;
        }
      add_level (self, shrunk, LIMNER_LEVEL_SHRUNK);
      shrink *= 2;
    }

  return TRUE;
}

static void
limner_tile_source_finalize (GObject *object)
{
  LimnerTileSource *self = (LimnerTileSource *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (limner_tile_source_parent_class)->finalize (object);
}

static void
limner_tile_source_class_init (LimnerTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = limner_tile_source_finalize;

  signals[TILE_READY] =
    g_signal_new ("tile-ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LIMNER_TYPE_TILE | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[TILE_FAILED] =
    g_signal_new ("tile-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);
}

static void
limner_tile_source_init (LimnerTileSource *self)
{
  g_mutex_init (&self->lock);
  self->levels = g_ptr_array_new_with_free_func (level_free);
  self->jobs = g_hash_table_new_full (job_key_hash, g_int64_equal, NULL, g_free);
  self->generation = 1;
  self->context = g_main_context_ref_thread_default ();
}

LimnerTileSource *
limner_tile_source_new (const char  *path,
                        GError     **error)
{
  g_autoptr(LimnerTileSource) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LIMNER_TYPE_TILE_SOURCE, NULL);
  self->path = g_strdup (path);

  if (!limner_image_probe (path, &self->info, error))
    return NULL;
  if (!open_levels (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
new_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  LimnerTileSource *self;

  self = limner_tile_source_new (task_data, &error);
  if (self == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Signals belong to the context of the caller, not of this thread. */
  g_main_context_unref (self->context);
  self->context = g_main_context_ref (g_task_get_context (task));
  g_task_return_pointer (task, self, g_object_unref);
}

void
limner_tile_source_new_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_tile_source_new_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, new_thread);
}

LimnerTileSource *
limner_tile_source_new_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
limner_tile_source_get_path (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), NULL);

  return self->path;
}

const LimnerImageInfo *
limner_tile_source_get_info (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), NULL);

  return &self->info;
}

int
limner_tile_source_get_width (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  return self->info.width;
}

int
limner_tile_source_get_height (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  return self->info.height;
}

int
limner_tile_source_get_n_levels (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  return self->levels->len;
}

static const Level *
get_level (LimnerTileSource *self,
           int               level)
{
  if (level < 0 || (guint) level >= self->levels->len)
    return NULL;
  return g_ptr_array_index (self->levels, level);
}

void
limner_tile_source_get_level_size (LimnerTileSource *self,
                                   int               level,
                                   int              *width,
                                   int              *height)
{
  const Level *l;

  g_return_if_fail (LIMNER_IS_TILE_SOURCE (self));
  l = get_level (self, level);
  g_return_if_fail (l != NULL);

  if (width)
    *width = l->width;
  if (height)
    *height = l->height;
}

double
limner_tile_source_get_level_downsample (LimnerTileSource *self,
                                         int               level)
{
  const Level *l;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 1.0);
  l = get_level (self, level);
  g_return_val_if_fail (l != NULL, 1.0);

  return l->downsample_x;
}

LimnerLevelOrigin
limner_tile_source_get_level_origin (LimnerTileSource *self,
                                     int               level)
{
  const Level *l;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), LIMNER_LEVEL_FILE);
  l = get_level (self, level);
  g_return_val_if_fail (l != NULL, LIMNER_LEVEL_FILE);

  return l->origin;
}

int
limner_tile_source_choose_level_for_zoom (LimnerTileSource *self,
                                          double            zoom)
{
  double downsamples[MAX_LEVELS];
  guint n;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  n = MIN (self->levels->len, MAX_LEVELS);
  for (guint i = 0; i < n; i++)
    {
      const Level *l = g_ptr_array_index (self->levels, i);

      /* The larger of the two, so neither axis is enlarged. */
      downsamples[i] = MAX (l->downsample_x, l->downsample_y);
    }
  downsamples[0] = 1.0;

  return limner_tile_source_choose_level (downsamples, n, zoom);
}

void
limner_tile_source_get_n_tiles (LimnerTileSource *self,
                                int               level,
                                int              *n_x,
                                int              *n_y)
{
  const Level *l;

  g_return_if_fail (LIMNER_IS_TILE_SOURCE (self));
  l = get_level (self, level);
  g_return_if_fail (l != NULL);

  if (n_x)
    *n_x = (l->width + LIMNER_TILE_SIZE - 1) / LIMNER_TILE_SIZE;
  if (n_y)
    *n_y = (l->height + LIMNER_TILE_SIZE - 1) / LIMNER_TILE_SIZE;
}

static void
level_tile_rect (const Level *l,
                 int          tx,
                 int          ty,
                 VipsRect    *rect)
{
  rect->left = tx * LIMNER_TILE_SIZE;
  rect->top = ty * LIMNER_TILE_SIZE;
  rect->width = MIN (LIMNER_TILE_SIZE, l->width - rect->left);
  rect->height = MIN (LIMNER_TILE_SIZE, l->height - rect->top);
}

static void
image_tile_rect (const Level    *l,
                 const VipsRect *rect,
                 double         *x,
                 double         *y,
                 double         *width,
                 double         *height)
{
  double x0 = rect->left * l->downsample_x;
  double y0 = rect->top * l->downsample_y;
  double x1 = (rect->left + rect->width) * l->downsample_x;
  double y1 = (rect->top + rect->height) * l->downsample_y;

  *x = x0;
  *y = y0;
  *width = x1 - x0;
  *height = y1 - y0;
}

void
limner_tile_source_get_tile_rect (LimnerTileSource *self,
                                  int               level,
                                  int               tx,
                                  int               ty,
                                  double           *x,
                                  double           *y,
                                  double           *width,
                                  double           *height)
{
  const Level *l;
  VipsRect rect;
  double dx, dy, dw, dh;

  g_return_if_fail (LIMNER_IS_TILE_SOURCE (self));
  l = get_level (self, level);
  g_return_if_fail (l != NULL);

  level_tile_rect (l, tx, ty, &rect);
  image_tile_rect (l, &rect, &dx, &dy, &dw, &dh);
  if (x)
    *x = dx;
  if (y)
    *y = dy;
  if (width)
    *width = dw;
  if (height)
    *height = dh;
}

LimnerTile *
limner_tile_source_render_tile (LimnerTileSource  *self,
                                int                level,
                                int                tx,
                                int                ty,
                                GError           **error)
{
  VipsRegion *region;
  const Level *l;
  LimnerTile *tile;
  VipsRect rect;
  guint8 *pixels;
  int n_x, n_y;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  l = get_level (self, level);
  limner_tile_source_get_n_tiles (self, level, &n_x, &n_y);
  if (l == NULL || tx < 0 || ty < 0 || tx >= n_x || ty >= n_y)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: no tile (%d, %d) at level %d", self->path, tx, ty, level);
      return NULL;
    }

  level_tile_rect (l, tx, ty, &rect);

  /* A region per call: regions belong to one thread, the image to all. */
  region = vips_region_new (l->display);
  if (vips_region_prepare (region, &rect))
    {
      g_autofree char *basename = g_path_get_basename (self->path);
      g_autofree char *message = vips_error_buffer_copy ();

      g_set_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_CORRUPT,
                   _("%s: cannot decode the tile at level %d, column %d, row %d: %s"),
                   basename, level, tx, ty, g_strstrip (message));
      g_object_unref (region);
      return NULL;
    }

  tile = g_new0 (LimnerTile, 1);
  tile->ref_count = 1;
  tile->level = level;
  tile->tx = tx;
  tile->ty = ty;
  tile->x = rect.left;
  tile->y = rect.top;
  tile->width = rect.width;
  tile->height = rect.height;
  image_tile_rect (l, &rect, &tile->image_x, &tile->image_y,
                   &tile->image_width, &tile->image_height);
  tile->stride = rect.width * 4;

  pixels = g_malloc ((gsize) tile->stride * rect.height);
  for (int row = 0; row < rect.height; row++)
    memcpy (pixels + (gsize) row * tile->stride,
            VIPS_REGION_ADDR (region, rect.left, rect.top + row),
            tile->stride);
  tile->pixels = g_bytes_new_take (pixels, (gsize) tile->stride * rect.height);
  g_object_unref (region);

  return tile;
}

/* Background rendering. One pool serves every source; each push carries a
 * reference to the source and renders at most one of its queued tiles. */

typedef struct {
  LimnerTileSource *self;
  gint64            key;
  int               level;
  int               tx;
  int               ty;
  guint             generation;
  LimnerTile       *tile;
  char             *error_message;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_clear_pointer (&delivery->tile, limner_tile_unref);
  g_free (delivery->error_message);
  g_object_unref (delivery->self);
  g_free (delivery);
}

static gboolean
deliver_in_main_context (gpointer data)
{
  Delivery *delivery = data;
  LimnerTileSource *self = delivery->self;
  gboolean current;
  Job *job;

  g_mutex_lock (&self->lock);
  job = g_hash_table_lookup (self->jobs, &delivery->key);
  /* The job's generation moves forward when the tile is asked for again
   * while it renders, so only tiles nobody wants any more are dropped. */
  current = job != NULL && job->running && job->generation == self->generation;
  if (job != NULL && job->running)
    g_hash_table_remove (self->jobs, &delivery->key);
  g_mutex_unlock (&self->lock);

  if (!current)
    {
      self->n_dropped++;
      return G_SOURCE_REMOVE;
    }

  if (delivery->tile != NULL)
    {
      delivery->tile->generation = self->generation;
      self->n_delivered++;
      g_signal_emit (self, signals[TILE_READY], 0, delivery->tile);
    }
  else
    g_signal_emit (self, signals[TILE_FAILED], 0,
                   delivery->level, delivery->tx, delivery->ty, delivery->error_message);

  return G_SOURCE_REMOVE;
}

/* Takes the best queued job of the current round, forgetting queued jobs
 * of earlier rounds. Called with the lock held. */
static Job *
take_next_job (LimnerTileSource *self)
{
  GHashTableIter iter;
  Job *best = NULL;
  Job *job;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    {
      if (job->running)
        continue;
      if (job->generation != self->generation)
        {
          self->n_cancelled++;
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (best == NULL ||
          job->priority < best->priority ||
          (job->priority == best->priority && job->seq < best->seq))
        best = job;
    }

  if (best != NULL)
    best->running = TRUE;
  return best;
}

static void
render_worker (gpointer data,
               gpointer pool_data)
{
  g_autoptr(LimnerTileSource) self = data;
  g_autoptr(GError) error = NULL;
  Delivery *delivery;
  Job *job;

  g_mutex_lock (&self->lock);
  job = take_next_job (self);
  if (job == NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  delivery = g_new0 (Delivery, 1);
  delivery->key = job->key;
  delivery->level = job->level;
  delivery->tx = job->tx;
  delivery->ty = job->ty;
  delivery->generation = job->generation;
  g_mutex_unlock (&self->lock);

  delivery->self = g_object_ref (self);
  delivery->tile = limner_tile_source_render_tile (self, delivery->level,
                                                   delivery->tx, delivery->ty, &error);
  if (delivery->tile == NULL)
    delivery->error_message = g_strdup (error->message);

  /* An idle source rather than g_main_context_invoke(): that would run the
   * callback right here whenever this thread manages to acquire the
   * context, i.e. whenever the main thread happens not to be iterating. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, deliver_in_main_context, delivery, delivery_free);
    g_source_set_static_name (source, "[limner] tile delivery");
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
}

static GThreadPool *
get_render_pool (void)
{
  static gsize initialised;
  static GThreadPool *pool;

  if (g_once_init_enter (&initialised))
    {
      int n_threads = CLAMP ((int) g_get_num_processors (), 1, 8);

      pool = g_thread_pool_new (render_worker, NULL, n_threads, FALSE, NULL);
      g_once_init_leave (&initialised, 1);
    }
  return pool;
}

guint
limner_tile_source_begin_requests (LimnerTileSource *self)
{
  guint generation;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  g_mutex_lock (&self->lock);
  generation = ++self->generation;
  g_mutex_unlock (&self->lock);

  return generation;
}

guint
limner_tile_source_get_generation (LimnerTileSource *self)
{
  guint generation;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  g_mutex_lock (&self->lock);
  generation = self->generation;
  g_mutex_unlock (&self->lock);

  return generation;
}

void
limner_tile_source_request (LimnerTileSource *self,
                            int               level,
                            int               tx,
                            int               ty,
                            int               priority)
{
  gint64 key;
  Job *job;
  int n_x, n_y;

  g_return_if_fail (LIMNER_IS_TILE_SOURCE (self));
  g_return_if_fail (get_level (self, level) != NULL);

  limner_tile_source_get_n_tiles (self, level, &n_x, &n_y);
  g_return_if_fail (tx >= 0 && ty >= 0 && tx < n_x && ty < n_y);

  key = job_key (level, tx, ty);

  g_mutex_lock (&self->lock);
  job = g_hash_table_lookup (self->jobs, &key);
  if (job != NULL)
    {
      job->generation = self->generation;
      job->priority = priority;
      g_mutex_unlock (&self->lock);
      return;
    }

  job = g_new0 (Job, 1);
  job->key = key;
  job->level = level;
  job->tx = tx;
  job->ty = ty;
  job->generation = self->generation;
  job->priority = priority;
  job->seq = self->next_seq++;
  g_hash_table_insert (self->jobs, &job->key, job);
  g_mutex_unlock (&self->lock);

  g_thread_pool_push (get_render_pool (), g_object_ref (self), NULL);
}

gboolean
limner_tile_source_is_pending (LimnerTileSource *self,
                               int               level,
                               int               tx,
                               int               ty)
{
  gint64 key = job_key (level, tx, ty);
  gboolean pending;
  Job *job;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), FALSE);

  g_mutex_lock (&self->lock);
  job = g_hash_table_lookup (self->jobs, &key);
  pending = job != NULL && job->generation == self->generation;
  g_mutex_unlock (&self->lock);

  return pending;
}

guint
limner_tile_source_get_n_pending (LimnerTileSource *self)
{
  GHashTableIter iter;
  guint n = 0;
  Job *job;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    if (job->generation == self->generation)
      n++;
  g_mutex_unlock (&self->lock);

  return n;
}

void
limner_tile_source_cancel_all (LimnerTileSource *self)
{
  g_return_if_fail (LIMNER_IS_TILE_SOURCE (self));

  limner_tile_source_begin_requests (self);
}

guint
limner_tile_source_get_n_delivered (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  return self->n_delivered;
}

guint
limner_tile_source_get_n_dropped (LimnerTileSource *self)
{
  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  return self->n_dropped;
}

guint
limner_tile_source_get_n_cancelled (LimnerTileSource *self)
{
  guint n;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_cancelled;
  g_mutex_unlock (&self->lock);

  return n;
}
