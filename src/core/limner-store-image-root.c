/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-image-root.c: the project's image root, and the folder its
 * relative image paths are under on this computer.
 *
 * No SQL here: the setting and the paths go through the store's own calls,
 * and the choice of folder is limner-image-root.c's.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <jansson.h>

#include "limner-image-root.h"
#include "limner-store.h"

char *
limner_store_dup_image_root (LimnerStore *self)
{
  char *root;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  root = limner_store_get_setting (self, LIMNER_IMAGE_ROOT_SETTING);
  if (root != NULL && *root == '\0')
    g_clear_pointer (&root, g_free);
  return root;
}

/* The folder, as last chosen for a store. Resolving a path is done once per
 * image when a grid of 100,000 loads; reading the setting (a read
 * transaction) and the mappings every time would add a second to that. The
 * store's own changes and this process' mappings take effect at once;
 * another writer's new root within RECHECK_US. */
#define RECHECK_US (G_USEC_PER_SEC / 2)

typedef struct {
  char   *folder;
  gint64  checked_at;
  guint   generation;
} FolderCache;

static void
folder_cache_free (FolderCache *cache)
{
  g_free (cache->folder);
  g_free (cache);
}

static GQuark
folder_cache_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("limner-image-folder");
  return quark;
}

char *
limner_store_dup_image_folder (LimnerStore *self)
{
  FolderCache *cache;
  g_autofree char *root = NULL;
  gint64 now = g_get_monotonic_time ();
  guint generation = limner_image_root_get_generation ();

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  cache = g_object_get_qdata (G_OBJECT (self), folder_cache_quark ());
  if (cache != NULL && cache->generation == generation && now - cache->checked_at < RECHECK_US)
    return g_strdup (cache->folder);

  root = limner_store_dup_image_root (self);
  cache = g_new0 (FolderCache, 1);
  cache->folder = limner_image_root_choose_folder (limner_store_get_dir (self), root);
  cache->checked_at = now;
  cache->generation = generation;
  g_object_set_qdata_full (G_OBJECT (self), folder_cache_quark (), cache,
                           (GDestroyNotify) folder_cache_free);
  return g_strdup (cache->folder);
}

/* Stores every image's path against `new_folder` instead of `old_folder`.
 * A relative path with no old folder (a team project that had no root) is
 * already meant relative to the root, and stays. */
static gboolean
rebase_paths (LimnerStore  *self,
              const char   *old_folder,
              const char   *new_folder,
              guint        *n_changed,
              GError      **error)
{
  g_autoptr(GPtrArray) images = limner_store_list_images (self, error);

  if (images == NULL)
    return FALSE;
  for (guint i = 0; i < images->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *file = NULL;
      g_autofree char *stored = NULL;

      if (!g_path_is_absolute (image->path) && old_folder == NULL)
        continue;
      file = limner_image_root_resolve (old_folder, image->path);
      stored = limner_image_root_relativize (new_folder, file);
      if (g_str_equal (stored, image->path))
        continue;
      if (!limner_store_set_image_path (self, image->id, stored, error))
        return FALSE;
      (*n_changed)++;
    }
  return TRUE;
}

gboolean
limner_store_set_image_root (LimnerStore  *self,
                             const char   *root,
                             GError      **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *old_folder = NULL;
  g_autofree char *new_folder = NULL;
  g_autofree char *detail = NULL;
  gboolean own_batch;
  guint n_changed = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (root != NULL && *root != '\0')
    {
      if (!g_path_is_absolute (root) || !g_utf8_validate (root, -1, NULL))
        {
          g_autofree char *display = g_filename_display_name (root);

          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("The image root must be an absolute path named in UTF-8, not “%s”"), display);
          return FALSE;
        }
      canonical = g_canonicalize_filename (root, NULL);
    }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;

  old_folder = limner_store_dup_image_folder (self);
  new_folder = limner_image_root_choose_folder (limner_store_get_dir (self), canonical);

  own_batch = !limner_store_in_batch (self);
  if (own_batch && !limner_store_begin (self, error))
    return FALSE;
  ok = rebase_paths (self, old_folder, new_folder, &n_changed, error)
       && limner_store_set_setting (self, LIMNER_IMAGE_ROOT_SETTING, canonical, error);
  if (ok)
    {
      json_t *json = json_pack ("{s:o, s:I}",
                                "root", canonical ? json_string (canonical) : json_null (),
                                "paths_changed", (json_int_t) n_changed);
      char *text = json_dumps (json, JSON_COMPACT | JSON_SORT_KEYS);

      detail = g_strdup (text);
      free (text);
      json_decref (json);
      ok = limner_store_log_event (self, "project.image_root", 0, 0, detail, error);
    }
  g_object_set_qdata (G_OBJECT (self), folder_cache_quark (), NULL);
  if (!own_batch)
    return ok;
  if (!ok)
    {
      limner_store_rollback (self);
      return FALSE;
    }
  return limner_store_commit (self, error);
}
