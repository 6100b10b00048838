/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-dataset.c: one read-only view over a version or the current state. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-dataset.h"
#include "limner-pg.h"
#include "limner-pg-uri.h"
#include "limner-store-versions.h"

struct _LimnerDataset
{
  LimnerStore         *store;       /* owned reference */
  LimnerVersion       *version;     /* NULL for a draft */
  LimnerPublishPolicy  policy;      /* drafts only */
  GPtrArray           *labels;      /* of LimnerLabel, by position */
  GPtrArray           *images;      /* of LimnerImageRecord, by path */
  GHashTable          *label_by_id; /* gint64* -> LimnerLabel*, borrowed */
  GHashTable          *image_by_id; /* gint64* -> LimnerImageRecord*, borrowed */
  gint64               n_shapes;    /* -1 until counted */
};

static LimnerDataset *
dataset_new (LimnerStore *store)
{
  LimnerDataset *ds = g_new0 (LimnerDataset, 1);

  ds->store = g_object_ref (store);
  ds->label_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  ds->image_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  ds->n_shapes = -1;
  return ds;
}

static void
index_contents (LimnerDataset *ds)
{
  for (guint i = 0; i < ds->labels->len; i++)
    {
      LimnerLabel *label = g_ptr_array_index (ds->labels, i);
      g_hash_table_insert (ds->label_by_id, &label->id, label);
    }
  for (guint i = 0; i < ds->images->len; i++)
    {
      LimnerImageRecord *image = g_ptr_array_index (ds->images, i);
      g_hash_table_insert (ds->image_by_id, &image->id, image);
    }
}

LimnerDataset *
limner_dataset_open (LimnerStore *store, gint64 version, GError **error)
{
  g_autoptr(LimnerDataset) ds = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (version >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (version == 0)
    return limner_dataset_open_draft (store, LIMNER_PUBLISH_ALL, error);

  ds = dataset_new (store);
  ds->version = limner_store_get_version (store, version, error);
  if (ds->version == NULL)
    return NULL;
  ds->labels = limner_store_list_version_labels (store, version, error);
  if (ds->labels == NULL)
    return NULL;
  ds->images = limner_store_list_version_images (store, version, error);
  if (ds->images == NULL)
    return NULL;
  ds->n_shapes = ds->version->n_shapes;
  index_contents (ds);
  return g_steal_pointer (&ds);
}

LimnerDataset *
limner_dataset_open_draft (LimnerStore          *store,
                           LimnerPublishPolicy   policy,
                           GError              **error)
{
  g_autoptr(LimnerDataset) ds = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ds = dataset_new (store);
  ds->policy = policy;
  ds->labels = limner_store_list_labels (store, error);
  if (ds->labels == NULL)
    return NULL;
  ds->images = limner_store_list_policy_images (store, policy, error);
  if (ds->images == NULL)
    return NULL;
  index_contents (ds);
  return g_steal_pointer (&ds);
}

void
limner_dataset_free (LimnerDataset *ds)
{
  if (ds == NULL)
    return;
  g_clear_pointer (&ds->label_by_id, g_hash_table_unref);
  g_clear_pointer (&ds->image_by_id, g_hash_table_unref);
  g_clear_pointer (&ds->labels, g_ptr_array_unref);
  g_clear_pointer (&ds->images, g_ptr_array_unref);
  g_clear_pointer (&ds->version, limner_version_free);
  g_clear_object (&ds->store);
  g_free (ds);
}

gboolean
limner_dataset_is_draft (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, FALSE);
  return ds->version == NULL;
}

const LimnerVersion *
limner_dataset_get_version (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return ds->version;
}

gint64
limner_dataset_get_version_number (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, 0);
  return ds->version ? ds->version->number : 0;
}

LimnerStore *
limner_dataset_get_store (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return ds->store;
}

char *
limner_dataset_dup_project_name (LimnerDataset *ds)
{
  char *name;

  g_return_val_if_fail (ds != NULL, NULL);

  name = limner_store_dup_name (ds->store);
  if (name == NULL || *name == '\0')
    {
      const char *dir = limner_store_get_dir (ds->store);

      g_free (name);
      /* A team project has no folder: its database's name stands in. */
      name = limner_pg_is_uri (dir) ? limner_pg_uri_dup_dbname (dir) : g_path_get_basename (dir);
    }
  return name != NULL ? name : g_strdup ("project");
}

GPtrArray *
limner_dataset_get_labels (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return ds->labels;
}

GPtrArray *
limner_dataset_get_images (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return ds->images;
}

GPtrArray *
limner_dataset_get_shapes (LimnerDataset *ds, gint64 image_id, GError **error)
{
  g_return_val_if_fail (ds != NULL, NULL);

  if (ds->version != NULL)
    return limner_store_list_version_shapes (ds->store, ds->version->number, image_id, error);
  return limner_store_list_shapes (ds->store, image_id, error);
}

const char *
limner_dataset_get_project_dir (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return limner_store_get_dir (ds->store);
}

const LimnerLabel *
limner_dataset_find_label (LimnerDataset *ds, gint64 label_id)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return g_hash_table_lookup (ds->label_by_id, &label_id);
}

const LimnerImageRecord *
limner_dataset_find_image (LimnerDataset *ds, gint64 image_id)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return g_hash_table_lookup (ds->image_by_id, &image_id);
}

gint64
limner_dataset_count_shapes (LimnerDataset *ds)
{
  g_return_val_if_fail (ds != NULL, -1);

  if (ds->n_shapes < 0)
    ds->n_shapes = limner_store_count_policy_shapes (ds->store, ds->policy, NULL);
  return ds->n_shapes;
}

char *
limner_dataset_dup_export_path (LimnerDataset *ds, const LimnerImageRecord *image)
{
  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (image != NULL && image->path != NULL, NULL);

  /* An absolute path names one machine's layout; keep only the file name. */
  if (g_path_is_absolute (image->path))
    return g_path_get_basename (image->path);
#ifdef G_OS_WIN32
  return g_strdelimit (g_strdup (image->path), "\\", '/');
#else
  return g_strdup (image->path);
#endif
}

char *
limner_dataset_dup_image_file (LimnerDataset *ds, const LimnerImageRecord *image)
{
  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (image != NULL, NULL);

  /* A version keeps the path of its time; the project may have relinked the
   * same file (same hash) since. */
  if (ds->version != NULL)
    {
      g_autoptr(LimnerImageRecord) now = limner_store_get_image (ds->store, image->id, NULL);

      if (now != NULL && g_strcmp0 (now->sha256, image->sha256) == 0)
        return limner_store_resolve_path (ds->store, now->path);
    }
  return limner_store_resolve_path (ds->store, image->path);
}
