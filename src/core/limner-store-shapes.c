/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-shapes.c: shapes and the demo's reference shapes. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "limner-store-private.h"

static gboolean
check_shape (LimnerStore *self, const LimnerShape *shape, const LimnerImageRecord *image, GError **error)
{
  const double *p;
  guint n;

  if (shape->points == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a shape has no points"), image->path);
      return FALSE;
    }
  n = shape->points->len;
  p = (const double *) shape->points->data;
  if (shape->kind == LIMNER_SHAPE_BOX && n != 4)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a box needs exactly two corners"), image->path);
      return FALSE;
    }
  if (shape->kind == LIMNER_SHAPE_POLYGON && (n < 6 || n % 2 != 0))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a polygon needs at least three vertices"), image->path);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      double limit = i % 2 == 0 ? image->width : image->height;

      if (!isfinite (p[i]))
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("%s: point %u of a shape is not a finite number"), image->path, i / 2 + 1);
          return FALSE;
        }
      if (p[i] < 0 || p[i] > limit)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("%s: point %u (%g, %g) of a shape lies outside the %d×%d image"),
                       image->path, i / 2 + 1, p[i - i % 2], p[i - i % 2 + 1],
                       image->width, image->height);
          return FALSE;
        }
    }
  if (shape->kind == LIMNER_SHAPE_BOX && (p[0] > p[2] || p[1] > p[3]))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a box's first corner must be its top-left one"), image->path);
      return FALSE;
    }
  if (shape->score < 0 || shape->score > 1 || !isfinite (shape->score))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a shape's score must lie between 0 and 1"), image->path);
      return FALSE;
    }
  return TRUE;
}

/* Annotators edit only images they hold; reviewers and leads edit any. */
static gboolean
may_edit_image (LimnerStore *self, const LimnerImageRecord *image, GError **error)
{
  LimnerRole roles = limner_store_get_roles (self);

  if (roles & (LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD))
    return TRUE;
  if (!(roles & LIMNER_ROLE_ANNOTATOR))
    return limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD,
                                      error);
  if (image->status == LIMNER_IMAGE_IN_PROGRESS && g_strcmp0 (image->assignee, self->login) == 0)
    return TRUE;
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
               _("%s is not claimed by %s; claim it before editing"), image->path, self->login);
  return FALSE;
}

static gboolean
label_exists (LimnerStore *self, gint64 label_id)
{
  LimnerStmt *stmt = limner_store_prepare (self, "SELECT 1 FROM labels WHERE id = ?1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, label_id);
  found = limner_stmt_step (stmt) == LIMNER_DB_ROW;
  limner_stmt_reset (stmt);
  return found;
}

static gboolean
prepare_shape_write (LimnerStore        *self,
                     const LimnerShape  *shape,
                     LimnerImageRecord **image_out,
                     GError            **error)
{
  g_autoptr(LimnerImageRecord) image = limner_store_get_image (self, shape->image_id, error);

  if (image == NULL || !may_edit_image (self, image, error) || !check_shape (self, shape, image, error))
    return FALSE;
  if (shape->label_id != 0 && !label_exists (self, shape->label_id))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("%s: there is no label with id %" PRId64), image->path, shape->label_id);
      return FALSE;
    }
  *image_out = g_steal_pointer (&image);
  return TRUE;
}

static void
bind_label (LimnerStmt *stmt, int col, gint64 label_id)
{
  if (label_id == 0)
    limner_stmt_bind_null (stmt, col);
  else
    limner_stmt_bind_int64 (stmt, col, label_id);
}

/* Who last changed or deleted the shape, from the event log, for the
 * conflict message; NULL if the log does not say. */
static char *
last_writer (LimnerStore *self, gint64 shape_id)
{
  LimnerStmt *stmt = limner_store_prepare (self,
                                             "SELECT login FROM events WHERE shape_id = ?1 "
                                             "AND kind IN ('shape.update', 'shape.delete') "
                                             "ORDER BY id DESC LIMIT 1",
                                             NULL);
  char *login = NULL;

  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, shape_id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    login = limner_store_column_dup (stmt, 0);
  limner_stmt_reset (stmt);
  return login;
}

/* Inside the write: the row must still carry the version the caller read
 * (`expected`; 0 = the caller does not know it, no check). Another writer's
 * change is refused with CONFLICT, never overwritten. */
static gboolean
check_row_version (LimnerStore              *self,
                   gint64                    shape_id,
                   gint64                    expected,
                   const LimnerImageRecord  *image,
                   GError                  **error)
{
  LimnerStmt *stmt;
  gint64 current = -1;
  g_autofree char *who = NULL;

  if (expected == 0)
    return TRUE;
  stmt = limner_store_prepare (self, "SELECT row_version FROM shapes WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, shape_id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    current = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  if (current == expected)
    return TRUE;
  who = last_writer (self, shape_id);
  if (current < 0)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                 _("Shape %" PRId64 " on %s was deleted by %s meanwhile; reload the image to see it"),
                 shape_id, image->path, who ? who : _("another writer"));
  else
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                 _("Shape %" PRId64 " on %s was changed by %s meanwhile; reload the image to see it"),
                 shape_id, image->path, who ? who : _("another writer"));
  return FALSE;
}

gboolean
limner_store_insert_shape (LimnerStore  *self,
                           LimnerShape  *shape,
                           GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  ok = prepare_shape_write (self, shape, &image, error);
  if (ok)
    {
      /* A shape with an id is being restored (undo of a delete): keep it.
       * Otherwise the id comes from the table (an explicit NULL would not
       * on PostgreSQL), and ?1 is a dummy. */
      stmt = limner_store_prepare (self,
                                   shape->id > 0
                                   ? "INSERT INTO shapes (id, image_id, label_id, kind, points, group_id, source, "
                                     "score, author, created_at, modified_at) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id"
                                   : "INSERT INTO shapes (image_id, label_id, kind, points, group_id, source, "
                                     "score, author, created_at, modified_at) "
                                     "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                                     "RETURNING id + 0 * ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, shape->id);
          limner_stmt_bind_int64 (stmt, 2, shape->image_id);
          bind_label (stmt, 3, shape->label_id);
          limner_stmt_bind_text (stmt, 4, limner_shape_kind_to_string (shape->kind));
          limner_store_bind_points (stmt, 5, shape->points);
          limner_stmt_bind_int64 (stmt, 6, shape->group_id);
          limner_stmt_bind_text (stmt, 7, limner_shape_source_to_string (shape->source));
          limner_stmt_bind_double (stmt, 8, shape->score);
          limner_stmt_bind_text (stmt, 9, shape->author ? shape->author : self->login);
          limner_stmt_bind_int64 (stmt, 10, shape->created_at > 0 ? shape->created_at : now);
          limner_stmt_bind_int64 (stmt, 11, now);
          ok = limner_store_step_id (self, stmt, image->path, &shape->id, error);
        }
    }
  if (ok)
    {
      if (shape->author == NULL)
        shape->author = g_strdup (self->login);
      if (shape->created_at <= 0)
        shape->created_at = now;
      shape->modified_at = now;
      shape->row_version = 1;
      ok = limner_store_log_event_locked (self, "shape.add", shape->image_id, shape->id, NULL, error);
    }
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_update_shape (LimnerStore  *self,
                           LimnerShape  *shape,
                           GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  ok = prepare_shape_write (self, shape, &image, error)
       && check_row_version (self, shape->id, shape->row_version, image, error);
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "UPDATE shapes SET label_id = ?2, kind = ?3, points = ?4, group_id = ?5, "
                                   "source = ?6, score = ?7, modified_at = ?8, row_version = row_version + 1 "
                                   "WHERE id = ?1 AND image_id = ?9",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, shape->id);
          bind_label (stmt, 2, shape->label_id);
          limner_stmt_bind_text (stmt, 3, limner_shape_kind_to_string (shape->kind));
          limner_store_bind_points (stmt, 4, shape->points);
          limner_stmt_bind_int64 (stmt, 5, shape->group_id);
          limner_stmt_bind_text (stmt, 6, limner_shape_source_to_string (shape->source));
          limner_stmt_bind_double (stmt, 7, shape->score);
          limner_stmt_bind_int64 (stmt, 8, now);
          limner_stmt_bind_int64 (stmt, 9, shape->image_id);
          ok = limner_store_step_done (self, stmt, image->path, error);
        }
    }
  if (ok && limner_db_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("%s has no shape with id %" PRId64), image->path, shape->id);
      ok = FALSE;
    }
  if (ok)
    {
      shape->modified_at = now;
      shape->row_version = limner_store_query_row_version (self, shape->id);
      ok = limner_store_log_event_locked (self, "shape.update", shape->image_id, shape->id, NULL, error);
    }
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_delete_shape (LimnerStore  *self,
                           gint64        shape_id,
                           gint64        row_version,
                           GError      **error)
{
  g_autoptr(LimnerShape) shape = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  shape = limner_store_get_shape (self, shape_id, error);
  ok = shape != NULL;
  if (ok)
    {
      image = limner_store_get_image (self, shape->image_id, error);
      ok = image != NULL && may_edit_image (self, image, error)
           && check_row_version (self, shape_id, row_version, image, error);
    }
  if (ok)
    {
      stmt = limner_store_prepare (self, "DELETE FROM shapes WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, shape_id);
          ok = limner_store_step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "shape.delete", shape->image_id, shape_id, NULL, error);
  return limner_store_write_end (self, ok, error);
}

LimnerShape *
limner_store_shape_from_row (LimnerStmt *stmt)
{
  LimnerShape *shape = g_new0 (LimnerShape, 1);

  shape->id = limner_stmt_column_int64 (stmt, 0);
  shape->image_id = limner_stmt_column_int64 (stmt, 1);
  shape->label_id = limner_stmt_column_int64 (stmt, 2);
  if (!limner_shape_kind_from_string ((const char *) limner_stmt_column_text (stmt, 3), &shape->kind))
    shape->kind = LIMNER_SHAPE_POLYGON;
  shape->points = limner_store_points_from_column (stmt, 4);
  shape->group_id = limner_stmt_column_int64 (stmt, 5);
  if (!limner_shape_source_from_string ((const char *) limner_stmt_column_text (stmt, 6), &shape->source))
    shape->source = LIMNER_SOURCE_MANUAL;
  shape->score = limner_stmt_column_double (stmt, 7);
  shape->author = limner_store_column_dup (stmt, 8);
  shape->created_at = limner_stmt_column_int64 (stmt, 9);
  shape->modified_at = limner_stmt_column_int64 (stmt, 10);
  /* The frozen version tables have no row_version: it means nothing there. */
  if (limner_stmt_column_count (stmt) > 11)
    shape->row_version = limner_stmt_column_int64 (stmt, 11);
  return shape;
}

gint64
limner_store_query_row_version (LimnerStore *self, gint64 shape_id)
{
  LimnerStmt *stmt = limner_store_prepare (self, "SELECT row_version FROM shapes WHERE id = ?1", NULL);
  gint64 version = 0;

  if (stmt == NULL)
    return 0;
  limner_stmt_bind_int64 (stmt, 1, shape_id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    version = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return version;
}

LimnerShape *
limner_store_get_shape (LimnerStore *self, gint64 id, GError **error)
{
  LimnerStmt *stmt;
  LimnerShape *shape = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " LIMNER_STORE_SHAPE_COLUMNS " FROM shapes WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    shape = limner_store_shape_from_row (stmt);
  limner_stmt_reset (stmt);
  if (shape == NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                 _("There is no shape with id %" PRId64), id);
  return shape;
}

GPtrArray *
limner_store_list_shapes (LimnerStore  *self,
                          gint64        image_id,
                          GError      **error)
{
  LimnerStmt *stmt;
  GPtrArray *shapes;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " LIMNER_STORE_SHAPE_COLUMNS " FROM shapes WHERE image_id = ?1 ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    g_ptr_array_add (shapes, limner_store_shape_from_row (stmt));
  limner_stmt_reset (stmt);
  return shapes;
}

gint64
limner_store_count_shapes (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  return limner_store_query_int (self, "SELECT count(*) FROM shapes", 0);
}

gboolean
limner_store_foreach_shape (LimnerStore      *self,
                            LimnerShapeFunc   func,
                            gpointer          user_data,
                            GError          **error)
{
  LimnerStmt *stmt;
  gboolean go_on = TRUE;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = limner_store_prepare (self, "SELECT " LIMNER_STORE_SHAPE_COLUMNS " FROM shapes ORDER BY image_id, id", error);
  if (stmt == NULL)
    return FALSE;
  while (go_on && (rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      g_autoptr(LimnerShape) shape = limner_store_shape_from_row (stmt);

      go_on = func (shape, user_data);
    }
  if (go_on && rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not read the shapes"));
      go_on = FALSE;
    }
  limner_stmt_reset (stmt);
  return go_on;
}

/* Reference shapes */

gboolean
limner_store_add_reference_shape (LimnerStore           *self,
                                  LimnerReferenceShape  *ref,
                                  GError               **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL && ref->polygon != NULL, FALSE);

  for (guint i = 0; i < ref->polygon->len; i++)
    if (!isfinite (g_array_index (ref->polygon, double, i)))
      {
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                     _("A reference outline has a coordinate that is not a finite number"));
        return FALSE;
      }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "INSERT INTO reference_shapes (image_id, label_id, polygon, x0, y0, x1, y1) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, ref->image_id);
      bind_label (stmt, 2, ref->label_id);
      limner_store_bind_points (stmt, 3, ref->polygon);
      for (int i = 0; i < 4; i++)
        limner_stmt_bind_double (stmt, 4 + i, ref->box[i]);
      ok = limner_store_step_id (self, stmt, _("reference outline"), &ref->id, error);
    }
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_reference_shapes (LimnerStore  *self,
                                    gint64        image_id,
                                    GError      **error)
{
  LimnerStmt *stmt;
  GPtrArray *refs;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self,
                               "SELECT id, image_id, label_id, polygon, x0, y0, x1, y1 FROM reference_shapes "
                               "WHERE ?1 = 0 OR image_id = ?1 ORDER BY image_id, id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_reference_shape_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerReferenceShape *ref = g_new0 (LimnerReferenceShape, 1);

      ref->id = limner_stmt_column_int64 (stmt, 0);
      ref->image_id = limner_stmt_column_int64 (stmt, 1);
      ref->label_id = limner_stmt_column_int64 (stmt, 2);
      ref->polygon = limner_store_points_from_column (stmt, 3);
      for (int i = 0; i < 4; i++)
        ref->box[i] = limner_stmt_column_double (stmt, 4 + i);
      g_ptr_array_add (refs, ref);
    }
  limner_stmt_reset (stmt);
  return refs;
}
