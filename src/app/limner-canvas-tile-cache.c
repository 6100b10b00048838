/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-canvas-tile-cache.h"

typedef struct {
  guint64     key;
  GdkTexture *texture;
  GList       link;    /* in self->order, most recent first */
} Entry;

struct _LimnerCanvasTileCache
{
  GHashTable *entries;  /* &entry->key -> Entry* */
  GQueue      order;
  guint       max_tiles;
};

/* Keys pack level, column and row into bit fields, which g_int64_hash()
 * folds onto each other; mix them instead. */
static guint
key_hash (gconstpointer data)
{
  guint64 k = *(const guint64 *) data;

  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  k ^= k >> 33;
  return (guint) k;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

LimnerCanvasTileCache *
limner_canvas_tile_cache_new (guint max_tiles)
{
  LimnerCanvasTileCache *self = g_new0 (LimnerCanvasTileCache, 1);

  self->entries = g_hash_table_new_full (key_hash, g_int64_equal, NULL, entry_free);
  g_queue_init (&self->order);
  self->max_tiles = MAX (max_tiles, 1);
  return self;
}

void
limner_canvas_tile_cache_free (LimnerCanvasTileCache *self)
{
  if (self == NULL)
    return;
  limner_canvas_tile_cache_clear (self);
  g_hash_table_unref (self->entries);
  g_free (self);
}

void
limner_canvas_tile_cache_clear (LimnerCanvasTileCache *self)
{
  g_return_if_fail (self != NULL);

  g_queue_init (&self->order);
  g_hash_table_remove_all (self->entries);
}

guint
limner_canvas_tile_cache_get_size (LimnerCanvasTileCache *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->entries);
}

guint
limner_canvas_tile_cache_get_max (LimnerCanvasTileCache *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_tiles;
}

static void
evict (LimnerCanvasTileCache *self)
{
  while (g_hash_table_size (self->entries) > self->max_tiles)
    {
      GList *oldest = self->order.tail;
      Entry *entry = oldest->data;

      g_queue_unlink (&self->order, oldest);
      g_hash_table_remove (self->entries, &entry->key);
    }
}

void
limner_canvas_tile_cache_set_max (LimnerCanvasTileCache *self,
                                  guint                  max_tiles)
{
  g_return_if_fail (self != NULL);

  self->max_tiles = MAX (max_tiles, 1);
  evict (self);
}

gboolean
limner_canvas_tile_cache_lookup (LimnerCanvasTileCache  *self,
                                 guint64                 key,
                                 GdkTexture            **texture)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, &key);
  if (entry == NULL)
    return FALSE;

  if (self->order.head != &entry->link)
    {
      g_queue_unlink (&self->order, &entry->link);
      g_queue_push_head_link (&self->order, &entry->link);
    }
  if (texture)
    *texture = entry->texture;
  return TRUE;
}

gboolean
limner_canvas_tile_cache_contains (LimnerCanvasTileCache *self,
                                   guint64                key)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->entries, &key);
}

void
limner_canvas_tile_cache_insert (LimnerCanvasTileCache *self,
                                 guint64                key,
                                 GdkTexture            *texture)
{
  Entry *entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  entry = g_hash_table_lookup (self->entries, &key);
  if (entry != NULL)
    {
      g_set_object (&entry->texture, texture);
      limner_canvas_tile_cache_lookup (self, key, NULL);
      return;
    }

  entry = g_new0 (Entry, 1);
  entry->key = key;
  entry->texture = texture ? g_object_ref (texture) : NULL;
  entry->link.data = entry;
  g_hash_table_insert (self->entries, &entry->key, entry);
  g_queue_push_head_link (&self->order, &entry->link);
  evict (self);
}

void
limner_canvas_tile_cache_remove (LimnerCanvasTileCache *self,
                                 guint64                key)
{
  Entry *entry;

  g_return_if_fail (self != NULL);

  entry = g_hash_table_lookup (self->entries, &key);
  if (entry == NULL)
    return;
  g_queue_unlink (&self->order, &entry->link);
  g_hash_table_remove (self->entries, &key);
}

/* --- Tile buffers ---------------------------------------------------------- */

/* Overlay tile buffers are recycled: a fresh 256 KiB allocation is a fresh
 * mapping, and faulting its pages in cost as much as drawing into it. */
#define MAX_POOLED_BUFFERS 64

static GMutex buffer_pool_lock;
static GPtrArray *buffer_pool;

guint8 *
limner_canvas_tile_buffer_take (void)
{
  guint8 *buffer = NULL;

  g_mutex_lock (&buffer_pool_lock);
  if (buffer_pool != NULL && buffer_pool->len > 0)
    buffer = g_ptr_array_steal_index_fast (buffer_pool, buffer_pool->len - 1);
  g_mutex_unlock (&buffer_pool_lock);

  return buffer != NULL ? buffer : g_malloc (LIMNER_CANVAS_TILE_BUFFER_BYTES);
}

void
limner_canvas_tile_buffer_give_back (gpointer buffer)
{
  g_mutex_lock (&buffer_pool_lock);
  if (buffer_pool == NULL)
    buffer_pool = g_ptr_array_new ();
  if (buffer_pool->len < MAX_POOLED_BUFFERS)
    {
      g_ptr_array_add (buffer_pool, buffer);
      buffer = NULL;
    }
  g_mutex_unlock (&buffer_pool_lock);
  g_free (buffer);
}
