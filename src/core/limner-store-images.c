/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-images.c: the images of a project: records, lookups, counts, relinking. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "limner-store-private.h"

LimnerImageRecord *
limner_store_image_from_row (LimnerStmt *stmt)
{
  LimnerImageRecord *image = g_new0 (LimnerImageRecord, 1);

  image->id = limner_stmt_column_int64 (stmt, 0);
  image->path = limner_store_column_dup (stmt, 1);
  image->sha256 = limner_store_column_dup (stmt, 2);
  image->size = limner_stmt_column_int64 (stmt, 3);
  image->width = limner_stmt_column_int (stmt, 4);
  image->height = limner_stmt_column_int (stmt, 5);
  image->format = limner_store_column_dup (stmt, 6);
  if (!limner_image_status_from_string ((const char *) limner_stmt_column_text (stmt, 7), &image->status))
    image->status = LIMNER_IMAGE_NEW;
  image->assignee = limner_store_column_dup (stmt, 8);
  image->claimed_at = limner_stmt_column_int64 (stmt, 9);
  image->added_at = limner_stmt_column_int64 (stmt, 10);
  return image;
}

static gboolean
valid_sha256 (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
      return FALSE;
  return TRUE;
}

gint64
limner_store_add_image (LimnerStore  *self,
                        const char   *path,
                        const char   *sha256,
                        gint64        size,
                        int           width,
                        int           height,
                        const char   *format,
                        GError      **error)
{
  LimnerStmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  g_return_val_if_fail (path != NULL && format != NULL, 0);

  if (!valid_sha256 (sha256) || size < 0 || width <= 0 || height <= 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: invalid image record (hash, size or dimensions)"), path);
      return 0;
    }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return 0;
  stmt = limner_store_prepare (self,
                               "INSERT INTO images (path, sha256, size, width, height, format, added_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, path);
      limner_stmt_bind_text (stmt, 2, sha256);
      limner_stmt_bind_int64 (stmt, 3, size);
      limner_stmt_bind_int64 (stmt, 4, width);
      limner_stmt_bind_int64 (stmt, 5, height);
      limner_stmt_bind_text (stmt, 6, format);
      limner_stmt_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
      ok = limner_store_step_id (self, stmt, path, &id, NULL);
      if (!ok)
        {
          if (limner_store_is_constraint_error (self))
            g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                         _("%s is already in the project (same path or same content)"), path);
          else
            limner_store_set_sqlite_error (self, error, path);
        }
    }
  if (ok)
    {
      ok = limner_store_log_event_locked (self, "image.add", id, 0, NULL, error);
    }
  if (!limner_store_write_end (self, ok, error))
    return 0;
  return id;
}

gboolean
limner_store_has_sha256 (LimnerStore *self, const char *sha256)
{
  LimnerStmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  stmt = limner_store_prepare (self, "SELECT 1 FROM images WHERE sha256 = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_text (stmt, 1, sha256);
  found = limner_stmt_step (stmt) == LIMNER_DB_ROW;
  limner_stmt_reset (stmt);
  return found;
}

static LimnerImageRecord *
get_image_by (LimnerStore *self, const char *sql, gint64 id, const char *text, GError **error)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, error);
  LimnerImageRecord *image = NULL;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    limner_stmt_bind_text (stmt, 1, text);
  else
    limner_stmt_bind_int64 (stmt, 1, id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    image = limner_store_image_from_row (stmt);
  limner_stmt_reset (stmt);
  if (image == NULL)
    {
      if (text != NULL)
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("The project has no image %s"), text);
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("The project has no image with id %" PRId64), id);
    }
  return image;
}

LimnerImageRecord *
limner_store_get_image (LimnerStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return get_image_by (self, "SELECT " LIMNER_STORE_IMAGE_COLUMNS " FROM images WHERE id = ?1", id, NULL, error);
}

LimnerImageRecord *
limner_store_find_image_by_path (LimnerStore  *self,
                                 const char   *path,
                                 GError      **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  return get_image_by (self, "SELECT " LIMNER_STORE_IMAGE_COLUMNS " FROM images WHERE path = ?1", 0, path, error);
}

LimnerImageRecord *
limner_store_find_image_by_sha256 (LimnerStore  *self,
                                   const char   *sha256,
                                   GError      **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  return get_image_by (self, "SELECT " LIMNER_STORE_IMAGE_COLUMNS " FROM images WHERE sha256 = ?1", 0, sha256, error);
}

LimnerImageRecord *
limner_store_lookup_image (LimnerStore  *self,
                           const char   *id_or_path,
                           GError      **error)
{
  guint64 id;
  LimnerImageRecord *image;
  g_autofree char *abs = NULL;
  g_autofree char *rel = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (g_ascii_string_to_unsigned (id_or_path, 10, 1, G_MAXINT64, &id, NULL))
    return limner_store_get_image (self, id, error);

  image = limner_store_find_image_by_path (self, id_or_path, NULL);
  if (image != NULL)
    return image;

  /* A path as the user typed it: relative to the working directory. */
  abs = g_canonicalize_filename (id_or_path, NULL);
  rel = limner_store_relativize_path (self, abs);
  image = limner_store_find_image_by_path (self, rel, NULL);
  if (image == NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                 _("The project has no image %s"), id_or_path);
  return image;
}

GPtrArray *
limner_store_list_images (LimnerStore *self, GError **error)
{
  LimnerStmt *stmt;
  GPtrArray *images;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " LIMNER_STORE_IMAGE_COLUMNS " FROM images ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  images = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_image_record_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    g_ptr_array_add (images, limner_store_image_from_row (stmt));
  limner_stmt_reset (stmt);
  return images;
}

gint64
limner_store_count_images (LimnerStore *self, int status)
{
  LimnerStmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  if (status < 0)
    return limner_store_query_int (self, "SELECT count(*) FROM images", 0);
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, 0);
  stmt = limner_store_prepare (self, "SELECT count(*) FROM images WHERE status = ?1", NULL);
  if (stmt == NULL)
    return 0;
  limner_stmt_bind_text (stmt, 1, limner_image_status_to_string (status));
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    n = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return n;
}

gboolean
limner_store_set_image_path (LimnerStore  *self,
                             gint64        image_id,
                             const char   *path,
                             GError      **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "UPDATE images SET path = ?2 WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, image_id);
      limner_stmt_bind_text (stmt, 2, path);
      ok = limner_store_step_done (self, stmt, path, error);
    }
  if (ok && limner_db_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("The project has no image with id %" PRId64), image_id);
      ok = FALSE;
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "image.relink", image_id, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}
