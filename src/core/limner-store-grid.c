/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-grid.h"
#include "limner-store-private.h"

void
limner_image_grid_info_free (LimnerImageGridInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->worker);
  g_clear_pointer (&info->label_ids, g_array_unref);
  g_free (info);
}

/* Both statements return rows in image id order, so the label rows are
 * merged into the image rows in one pass. */
GPtrArray *
limner_store_list_grid_info (LimnerStore  *store,
                             GError      **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  LimnerStmt *stmt;
  guint next = 0;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = limner_store_prepare (store,
                               "SELECT id, COALESCE(assignee, last_annotator) FROM images ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_image_grid_info_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerImageGridInfo *info = g_new0 (LimnerImageGridInfo, 1);

      info->image_id = limner_stmt_column_int64 (stmt, 0);
      info->worker = limner_store_column_dup (stmt, 1);
      info->label_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (infos, info);
    }
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not read the images of the project"));
      return NULL;
    }

  stmt = limner_store_prepare (store,
                               "SELECT DISTINCT image_id, label_id FROM shapes "
                               "WHERE label_id IS NOT NULL ORDER BY image_id, label_id",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      gint64 image_id = limner_stmt_column_int64 (stmt, 0);
      gint64 label_id = limner_stmt_column_int64 (stmt, 1);

      while (next < infos->len &&
             ((LimnerImageGridInfo *) g_ptr_array_index (infos, next))->image_id < image_id)
        next++;
      if (next == infos->len)
        break;
      if (((LimnerImageGridInfo *) g_ptr_array_index (infos, next))->image_id == image_id)
        g_array_append_val (((LimnerImageGridInfo *) g_ptr_array_index (infos, next))->label_ids,
                            label_id);
    }
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE && rc != LIMNER_DB_ROW)
    {
      limner_store_set_sqlite_error (store, error, _("Could not read the labels of the project’s shapes"));
      return NULL;
    }

  return g_steal_pointer (&infos);
}
