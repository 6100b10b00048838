/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-spatial-index.h"

#define DEFAULT_CELL_SIZE 128.0
#define N_LEVELS 48
/* Cell coordinates are clamped to +-2^28 so that two fit in one 64-bit key.
 * Clamping is monotonic and shared by inserts and queries, so it only makes
 * far-away cells coarser, never wrong. */
#define CELL_LIMIT (G_GINT64_CONSTANT (1) << 28)

typedef struct {
  gint64     id;
  gint64     z;
  LimnerRect bbox;
  guint      level;
  gint64     cx0, cy0, cx1, cy1;
  guint      stamp;  /* last query that saw this entry, to report it once */
} Entry;

typedef struct {
  gint64     key;    /* first: the hash table hashes &bucket->key */
  GPtrArray *entries;
} Bucket;

typedef struct {
  GHashTable *buckets;   /* &Bucket.key -> Bucket* (owned) */
  guint       n_entries;
} Level;

struct _LimnerSpatialIndex {
  double      cell_size;
  GHashTable *entries;   /* &Entry.id -> Entry* (owned) */
  Level       levels[N_LEVELS];
  guint       stamp;
};

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_ptr_array_unref (bucket->entries);
  g_free (bucket);
}

LimnerSpatialIndex *
limner_spatial_index_new (double cell_size)
{
  LimnerSpatialIndex *self = g_new0 (LimnerSpatialIndex, 1);

  self->cell_size = cell_size > 0 && isfinite (cell_size) ? cell_size : DEFAULT_CELL_SIZE;
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  return self;
}

void
limner_spatial_index_free (LimnerSpatialIndex *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_LEVELS; i++)
    g_clear_pointer (&self->levels[i].buckets, g_hash_table_unref);
  g_hash_table_unref (self->entries);
  g_free (self);
}

void
limner_spatial_index_clear (LimnerSpatialIndex *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < N_LEVELS; i++)
    {
      g_clear_pointer (&self->levels[i].buckets, g_hash_table_unref);
      self->levels[i].n_entries = 0;
    }
  g_hash_table_remove_all (self->entries);
}

guint
limner_spatial_index_get_size (LimnerSpatialIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->entries);
}

static double
level_cell_size (LimnerSpatialIndex *self,
                 guint               level)
{
  return ldexp (self->cell_size, (int) level);
}

/* The coarsest level is a catch-all, so everything has a level. */
static guint
level_for_bbox (LimnerSpatialIndex *self,
                const LimnerRect   *bbox)
{
  double extent = MAX (bbox->x1 - bbox->x0, bbox->y1 - bbox->y0);
  guint level = 0;

  while (level + 1 < N_LEVELS && level_cell_size (self, level) < extent)
    level++;
  return level;
}

static gint64
cell_coord (double v,
            double size)
{
  double c = floor (v / size);

  if (c < (double) -CELL_LIMIT)
    return -CELL_LIMIT;
  if (c > (double) (CELL_LIMIT - 1))
    return CELL_LIMIT - 1;
  return (gint64) c;
}

static gint64
cell_key (gint64 cx,
          gint64 cy)
{
  return ((cx + CELL_LIMIT) << 29) | (cy + CELL_LIMIT);
}

/* g_int64_hash folds the two halves of a key together, so packed (cx, cy)
 * keys collide in rows; mix all bits first (the splitmix64 finaliser). */
static guint
cell_hash (gconstpointer key)
{
  guint64 z = (guint64) *(const gint64 *) key;

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return (guint) (z ^ (z >> 31));
}

static void
entry_attach (LimnerSpatialIndex *self,
              Entry              *entry)
{
  Level *level;
  double size;

  entry->level = level_for_bbox (self, &entry->bbox);
  size = level_cell_size (self, entry->level);
  entry->cx0 = cell_coord (entry->bbox.x0, size);
  entry->cy0 = cell_coord (entry->bbox.y0, size);
  entry->cx1 = cell_coord (entry->bbox.x1, size);
  entry->cy1 = cell_coord (entry->bbox.y1, size);

  level = &self->levels[entry->level];
  if (level->buckets == NULL)
    level->buckets = g_hash_table_new_full (cell_hash, g_int64_equal, NULL, bucket_free);
  level->n_entries++;

  for (gint64 cy = entry->cy0; cy <= entry->cy1; cy++)
    for (gint64 cx = entry->cx0; cx <= entry->cx1; cx++)
      {
        gint64 key = cell_key (cx, cy);
        Bucket *bucket = g_hash_table_lookup (level->buckets, &key);

        if (bucket == NULL)
          {
            bucket = g_new0 (Bucket, 1);
            bucket->key = key;
            bucket->entries = g_ptr_array_new ();
            g_hash_table_insert (level->buckets, &bucket->key, bucket);
          }
        g_ptr_array_add (bucket->entries, entry);
      }
}

static void
entry_detach (LimnerSpatialIndex *self,
              Entry              *entry)
{
  Level *level = &self->levels[entry->level];

  for (gint64 cy = entry->cy0; cy <= entry->cy1; cy++)
    for (gint64 cx = entry->cx0; cx <= entry->cx1; cx++)
      {
        gint64 key = cell_key (cx, cy);
        Bucket *bucket = g_hash_table_lookup (level->buckets, &key);

        g_assert (bucket != NULL);
        g_ptr_array_remove_fast (bucket->entries, entry);
        if (bucket->entries->len == 0)
          g_hash_table_remove (level->buckets, &key);
      }
  level->n_entries--;
}

static gboolean
bbox_is_valid (const LimnerRect *bbox)
{
  return bbox != NULL && isfinite (bbox->x0) && isfinite (bbox->y0) &&
         isfinite (bbox->x1) && isfinite (bbox->y1) && !limner_rect_is_empty (bbox);
}

void
limner_spatial_index_insert (LimnerSpatialIndex *self,
                             gint64              id,
                             gint64              z,
                             const LimnerRect   *bbox)
{
  Entry *entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (bbox_is_valid (bbox));

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry != NULL)
    entry_detach (self, entry);
  else
    {
      entry = g_new0 (Entry, 1);
      entry->id = id;
      g_hash_table_insert (self->entries, &entry->id, entry);
    }
  entry->z = z;
  entry->bbox = *bbox;
  entry_attach (self, entry);
}

gboolean
limner_spatial_index_update (LimnerSpatialIndex *self,
                             gint64              id,
                             const LimnerRect   *bbox)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bbox_is_valid (bbox), FALSE);

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    return FALSE;
  entry_detach (self, entry);
  entry->bbox = *bbox;
  entry_attach (self, entry);
  return TRUE;
}

gboolean
limner_spatial_index_remove (LimnerSpatialIndex *self,
                             gint64              id)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    return FALSE;
  entry_detach (self, entry);
  g_hash_table_remove (self->entries, &id);
  return TRUE;
}

gboolean
limner_spatial_index_contains (LimnerSpatialIndex *self,
                               gint64              id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->entries, &id);
}

gboolean
limner_spatial_index_get_bbox (LimnerSpatialIndex *self,
                               gint64              id,
                               LimnerRect         *out_bbox)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    return FALSE;
  if (out_bbox)
    *out_bbox = entry->bbox;
  return TRUE;
}

static void
collect_bucket (Bucket           *bucket,
                const LimnerRect *rect,
                guint             stamp,
                GPtrArray        *found)
{
  for (guint i = 0; i < bucket->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (bucket->entries, i);

      if (entry->stamp == stamp)
        continue;
      entry->stamp = stamp;
      if (limner_rect_intersects (&entry->bbox, rect))
        g_ptr_array_add (found, entry);
    }
}

static guint
next_stamp (LimnerSpatialIndex *self)
{
  if (++self->stamp == 0)
    {
      /* Wrapped: forget every old stamp so none can match the new one. */
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((Entry *) value)->stamp = 0;
      self->stamp = 1;
    }
  return self->stamp;
}

/* Entries whose bbox meets `rect`, unsorted. */
static GPtrArray *
collect (LimnerSpatialIndex *self,
         const LimnerRect   *rect)
{
  GPtrArray *found = g_ptr_array_new ();
  guint stamp;

  if (!(rect->x0 <= rect->x1 && rect->y0 <= rect->y1))
    return found;

  stamp = next_stamp (self);
  for (guint l = 0; l < N_LEVELS; l++)
    {
      Level *level = &self->levels[l];
      double size = level_cell_size (self, l);
      gint64 cx0, cy0, cx1, cy1;
      double n_cells;

      if (level->n_entries == 0)
        continue;

      cx0 = cell_coord (rect->x0, size);
      cy0 = cell_coord (rect->y0, size);
      cx1 = cell_coord (rect->x1, size);
      cy1 = cell_coord (rect->y1, size);
      n_cells = ((double) (cx1 - cx0) + 1) * ((double) (cy1 - cy0) + 1);

      /* A big rectangle on a fine level: walking the occupied cells is
       * cheaper than probing every covered one. */
      if (n_cells > g_hash_table_size (level->buckets))
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, level->buckets);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            collect_bucket (value, rect, stamp, found);
          continue;
        }

      for (gint64 cy = cy0; cy <= cy1; cy++)
        for (gint64 cx = cx0; cx <= cx1; cx++)
          {
            gint64 key = cell_key (cx, cy);
            Bucket *bucket = g_hash_table_lookup (level->buckets, &key);

            if (bucket != NULL)
              collect_bucket (bucket, rect, stamp, found);
          }
    }
  return found;
}

static int
compare_z_ascending (gconstpointer a,
                     gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  const Entry *eb = *(const Entry * const *) b;

  if (ea->z != eb->z)
    return ea->z < eb->z ? -1 : 1;
  if (ea->id != eb->id)
    return ea->id < eb->id ? -1 : 1;
  return 0;
}

static int
compare_z_descending (gconstpointer a,
                      gconstpointer b)
{
  return compare_z_ascending (b, a);
}

static GArray *
entries_to_ids (GPtrArray *found)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), found->len);

  for (guint i = 0; i < found->len; i++)
    g_array_append_val (ids, ((Entry *) g_ptr_array_index (found, i))->id);
  return ids;
}

GArray *
limner_spatial_index_query_point (LimnerSpatialIndex *self,
                                  double              x,
                                  double              y,
                                  double              tolerance)
{
  g_autoptr(GPtrArray) found = NULL;
  LimnerRect rect;

  g_return_val_if_fail (self != NULL, g_array_new (FALSE, FALSE, sizeof (gint64)));

  tolerance = MAX (tolerance, 0);
  rect = (LimnerRect) { x - tolerance, y - tolerance, x + tolerance, y + tolerance };
  found = collect (self, &rect);
  g_ptr_array_sort (found, compare_z_descending);
  return entries_to_ids (found);
}

GArray *
limner_spatial_index_query_rect (LimnerSpatialIndex *self,
                                 const LimnerRect   *rect)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (self != NULL, g_array_new (FALSE, FALSE, sizeof (gint64)));
  g_return_val_if_fail (rect != NULL, g_array_new (FALSE, FALSE, sizeof (gint64)));

  found = collect (self, rect);
  g_ptr_array_sort (found, compare_z_ascending);
  return entries_to_ids (found);
}
