/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-image.h"
#include "limner-thumbnailer.h"

/* Results are handed to the main thread in batches by one idle callback, which
 * stops after this many microseconds so a flood of results cannot stall a frame. */
#define DELIVER_BUDGET_US 6000

typedef struct
{
  gatomicrefcount  ref_count;
  int              cancelled;   /* atomic */
  guint64          serial;      /* request order, the default priority */
  gboolean         dispatched;  /* main thread: handed to the pool */
  /* Only touched on the main thread, and only after checking that the item
   * still maps to this job in `pending` (which holds a reference). */
  LimnerImageItem *item;
  char            *path;
  char            *sha256;
  int              size;
  /* Filled by the worker. */
  GdkTexture      *texture;
  char            *error;
} Job;

struct _LimnerThumbnailer
{
  GObject parent_instance;

  /* Owned references */
  GThreadPool                   *pool;
  GHashTable                    *pending;   /* LimnerImageItem (ref) -> Job (ref) */
  GHashTable                    *bound;     /* LimnerImageItem (ref) -> bind count */
  GQueue                         lru;       /* of LimnerImageItem (ref): unbound, with a texture */
  GHashTable                    *lru_links; /* LimnerImageItem -> GList link in lru */
  LimnerThumbnailerPriorityFunc  priority_func;
  gpointer                       priority_data;
  GDestroyNotify                 priority_destroy;

  /* Shared with the workers, under `mutex` */
  GMutex                         mutex;
  GQueue                         results;   /* of Job (ref) */
  guint                          deliver_id;

  guint                          dispatch_id;
  guint                          in_flight;
  guint64                        next_serial;
  guint                          n_loaded;
  int                            size;
  guint                          max_cached;
};

G_DEFINE_FINAL_TYPE (LimnerThumbnailer, limner_thumbnailer, G_TYPE_OBJECT)

enum {
  THUMBNAIL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dispatch (LimnerThumbnailer *self);

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_free (job->path);
  g_free (job->sha256);
  g_free (job->error);
  g_clear_object (&job->texture);
  g_free (job);
}

static gboolean
deliver_results (gpointer user_data)
{
  LimnerThumbnailer *self = user_data;
  gint64 deadline = g_get_monotonic_time () + DELIVER_BUDGET_US;
  gboolean more = TRUE;

  while (more)
    {
      Job *job;

      g_mutex_lock (&self->mutex);
      job = g_queue_pop_head (&self->results);
      if (job == NULL)
        {
          self->deliver_id = 0;
          more = FALSE;
        }
      g_mutex_unlock (&self->mutex);

      if (job == NULL)
        break;

      g_assert (self->in_flight > 0);
      self->in_flight--;

      if (!g_atomic_int_get (&job->cancelled) &&
          g_hash_table_lookup (self->pending, job->item) == job)
        {
          g_autoptr(LimnerImageItem) item = g_object_ref (job->item);

          g_hash_table_remove (self->pending, item);
          self->n_loaded++;

          if (job->texture != NULL)
            limner_image_item_set_thumbnail (item, job->texture);
          else
            limner_image_item_set_thumbnail_error (item, job->error);

          g_signal_emit (self, signals[THUMBNAIL_LOADED], 0, item);
        }

      job_unref (job);

      /* Out of time with results left: come back after the next frame. */
      if (g_get_monotonic_time () > deadline)
        break;
    }

  dispatch (self);
  return more ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
render_thumbnail (gpointer data,
                  gpointer user_data)
{
  LimnerThumbnailer *self = user_data;
  Job *job = data;

  /* A cancelled job still goes back, so the main thread can count it done. */
  if (!g_atomic_int_get (&job->cancelled))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      int width = 0;
      int height = 0;
      int stride = 0;

      if (job->sha256 != NULL)
        bytes = limner_image_thumbnail_cached (job->path, job->sha256, job->size,
                                               &width, &height, &stride, &error);
      else
        bytes = limner_image_thumbnail_rgba (job->path, job->size,
                                             &width, &height, &stride, &error);

      if (bytes != NULL)
        job->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
      else
        job->error = g_strdup (error->message);
    }

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->results, job);
  if (self->deliver_id == 0)
    self->deliver_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, deliver_results, self, NULL);
  g_mutex_unlock (&self->mutex);
}

typedef struct
{
  Job    *job;
  double  priority;
} Candidate;

static int
candidate_compare (gconstpointer a,
                   gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;

  if (ca->priority != cb->priority)
    return ca->priority < cb->priority ? -1 : 1;
  return (ca->job->serial > cb->job->serial) - (ca->job->serial < cb->job->serial);
}

/* Hands the best-ranked waiting jobs to the pool until it has enough. */
static void
dispatch (LimnerThumbnailer *self)
{
  g_autoptr(GArray) candidates = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint free_slots;

  if (self->pool == NULL || self->in_flight >= LIMNER_THUMBNAILER_IN_FLIGHT)
    return;

  candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Candidate candidate = { value, 0.0 };

      if (candidate.job->dispatched)
        continue;
      candidate.priority = self->priority_func ? self->priority_func (key, self->priority_data) : 0.0;
      g_array_append_val (candidates, candidate);
    }

  if (candidates->len == 0)
    return;

  g_array_sort (candidates, candidate_compare);

  free_slots = LIMNER_THUMBNAILER_IN_FLIGHT - self->in_flight;
  for (guint i = 0; i < candidates->len && i < free_slots; i++)
    {
      Job *job = g_array_index (candidates, Candidate, i).job;

      job->dispatched = TRUE;
      self->in_flight++;
      g_thread_pool_push (self->pool, job_ref (job), NULL);
    }
}

static gboolean
dispatch_idle (gpointer user_data)
{
  LimnerThumbnailer *self = user_data;

  self->dispatch_id = 0;
  dispatch (self);
  return G_SOURCE_REMOVE;
}

/* Binds come in bursts during the grid's layout; ranking waits until the
 * cells have their positions. */
static void
queue_dispatch (LimnerThumbnailer *self)
{
  if (self->dispatch_id == 0)
    self->dispatch_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, dispatch_idle, self, NULL);
}

static void
forget_job (LimnerThumbnailer *self,
            LimnerImageItem   *item,
            Job               *job)
{
  /* Dispatched jobs are skipped by the worker if it has not started yet. */
  g_atomic_int_set (&job->cancelled, TRUE);
  g_hash_table_remove (self->pending, item);
}

static void
lru_remove (LimnerThumbnailer *self,
            LimnerImageItem   *item)
{
  GList *link = g_hash_table_lookup (self->lru_links, item);

  if (link == NULL)
    return;

  g_hash_table_remove (self->lru_links, item);
  g_queue_delete_link (&self->lru, link);
  g_object_unref (item);
}

static void
lru_trim (LimnerThumbnailer *self)
{
  while (self->lru.length > self->max_cached)
    {
      LimnerImageItem *item = g_queue_pop_head (&self->lru);

      g_hash_table_remove (self->lru_links, item);
      limner_image_item_set_thumbnail (item, NULL);
      g_object_unref (item);
    }
}

static void
lru_clear (LimnerThumbnailer *self)
{
  g_hash_table_remove_all (self->lru_links);
  g_queue_clear_full (&self->lru, g_object_unref);
}

static void
cancel_all (LimnerThumbnailer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_atomic_int_set (&((Job *)value)->cancelled, TRUE);
  g_hash_table_remove_all (self->pending);
}

static void
limner_thumbnailer_dispose (GObject *object)
{
  LimnerThumbnailer *self = (LimnerThumbnailer *)object;

  if (self->pool != NULL)
    {
      /* Cancelled jobs return at once; wait only for the ones being rendered. */
      cancel_all (self);
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }

  /* No worker runs any more, and the idles only run on this thread. */
  g_clear_handle_id (&self->deliver_id, g_source_remove);
  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  g_queue_clear_full (&self->results, (GDestroyNotify)job_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  if (self->lru_links != NULL)
    lru_clear (self);
  g_clear_pointer (&self->lru_links, g_hash_table_unref);
  limner_thumbnailer_set_priority_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (limner_thumbnailer_parent_class)->dispose (object);
}

static void
limner_thumbnailer_finalize (GObject *object)
{
  LimnerThumbnailer *self = (LimnerThumbnailer *)object;

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (limner_thumbnailer_parent_class)->finalize (object);
}

static void
limner_thumbnailer_class_init (LimnerThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = limner_thumbnailer_dispose;
  object_class->finalize = limner_thumbnailer_finalize;

  /* Emitted on the main thread after an item got its thumbnail (or its
   * thumbnail error). */
  signals[THUMBNAIL_LOADED] =
    g_signal_new ("thumbnail-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LIMNER_TYPE_IMAGE_ITEM);
}

static void
limner_thumbnailer_init (LimnerThumbnailer *self)
{
  g_mutex_init (&self->mutex);
  g_queue_init (&self->results);
  g_queue_init (&self->lru);
  self->pending = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify)job_unref);
  self->bound = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->lru_links = g_hash_table_new (NULL, NULL);
}

LimnerThumbnailer *
limner_thumbnailer_new (int   size,
                        guint max_cached)
{
  LimnerThumbnailer *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (size > 0, NULL);

  self = g_object_new (LIMNER_TYPE_THUMBNAILER, NULL);
  self->size = size;
  self->max_cached = max_cached;
  self->pool = g_thread_pool_new (render_thumbnail, self,
                                  LIMNER_THUMBNAILER_THREADS, FALSE, &error);
  /* A non-exclusive pool starts its threads lazily, so this cannot fail. */
  g_assert_no_error (error);

  return self;
}

int
limner_thumbnailer_get_size (LimnerThumbnailer *self)
{
  g_return_val_if_fail (LIMNER_IS_THUMBNAILER (self), 0);
  return self->size;
}

void
limner_thumbnailer_set_priority_func (LimnerThumbnailer             *self,
                                      LimnerThumbnailerPriorityFunc  func,
                                      gpointer                       user_data,
                                      GDestroyNotify                 destroy)
{
  g_return_if_fail (LIMNER_IS_THUMBNAILER (self));

  if (self->priority_destroy != NULL)
    self->priority_destroy (self->priority_data);

  self->priority_func = func;
  self->priority_data = user_data;
  self->priority_destroy = destroy;
}

void
limner_thumbnailer_request (LimnerThumbnailer *self,
                            LimnerImageItem   *item)
{
  guint count;
  Job *job;

  g_return_if_fail (LIMNER_IS_THUMBNAILER (self));
  g_return_if_fail (LIMNER_IS_IMAGE_ITEM (item));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->bound, item));
  g_hash_table_replace (self->bound, g_object_ref (item), GUINT_TO_POINTER (count + 1));

  /* Bound again: not a candidate for eviction. */
  lru_remove (self, item);

  if (limner_image_item_get_thumbnail (item) != NULL ||
      limner_image_item_get_thumbnail_error (item) != NULL ||
      g_hash_table_contains (self->pending, item))
    return;

  job = g_new0 (Job, 1);
  g_atomic_ref_count_init (&job->ref_count);
  job->serial = self->next_serial++;
  job->item = item;
  job->path = g_strdup (limner_image_item_get_path (item));
  job->sha256 = g_strdup (limner_image_item_get_sha256 (item));
  job->size = self->size;

  g_hash_table_insert (self->pending, g_object_ref (item), job);
  queue_dispatch (self);
}

void
limner_thumbnailer_release (LimnerThumbnailer *self,
                            LimnerImageItem   *item)
{
  guint count;
  Job *job;

  g_return_if_fail (LIMNER_IS_THUMBNAILER (self));
  g_return_if_fail (LIMNER_IS_IMAGE_ITEM (item));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->bound, item));
  if (count > 1)
    {
      g_hash_table_replace (self->bound, g_object_ref (item), GUINT_TO_POINTER (count - 1));
      return;
    }
  g_hash_table_remove (self->bound, item);

  /* Scrolled away before its turn. */
  job = g_hash_table_lookup (self->pending, item);
  if (job != NULL)
    forget_job (self, item, job);

  if (limner_image_item_get_thumbnail (item) != NULL &&
      !g_hash_table_contains (self->lru_links, item))
    {
      g_queue_push_tail (&self->lru, g_object_ref (item));
      g_hash_table_insert (self->lru_links, item, self->lru.tail);
      lru_trim (self);
    }
}

void
limner_thumbnailer_clear (LimnerThumbnailer *self)
{
  g_return_if_fail (LIMNER_IS_THUMBNAILER (self));

  cancel_all (self);
  g_hash_table_remove_all (self->bound);
  lru_clear (self);
}

guint
limner_thumbnailer_get_n_loaded (LimnerThumbnailer *self)
{
  g_return_val_if_fail (LIMNER_IS_THUMBNAILER (self), 0);
  return self->n_loaded;
}

guint
limner_thumbnailer_get_n_pending (LimnerThumbnailer *self)
{
  g_return_val_if_fail (LIMNER_IS_THUMBNAILER (self), 0);
  return g_hash_table_size (self->pending);
}
