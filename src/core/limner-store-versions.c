/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-versions.c: publishing and reading immutable versions. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "limner-store-private.h"
#include "limner-store-versions.h"

/* The images each policy includes, as a condition on `images`. A submitted
 * image that was drawn for QC is in_review, so 'submitted' means done. Gold
 * images (limner-store-qc.h) test annotators and are never published. */
#define NOT_GOLD "images.id NOT IN (SELECT image_id FROM gold_images) AND "
static const char *
policy_condition (LimnerPublishPolicy policy)
{
  switch (policy)
    {
    case LIMNER_PUBLISH_DONE:
      return NOT_GOLD "images.status IN ('submitted', 'accepted')";
    case LIMNER_PUBLISH_WITH_SHAPES:
      return NOT_GOLD "EXISTS (SELECT 1 FROM shapes WHERE shapes.image_id = images.id)";
    case LIMNER_PUBLISH_ALL:
      return NOT_GOLD "1 = 1";
    default:
      g_assert_not_reached ();
    }
}

const char *
limner_publish_policy_to_string (LimnerPublishPolicy policy)
{
  switch (policy)
    {
    case LIMNER_PUBLISH_DONE:
      return "done";
    case LIMNER_PUBLISH_WITH_SHAPES:
      return "with-shapes";
    case LIMNER_PUBLISH_ALL:
      return "all";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
limner_publish_policy_from_string (const char *str, LimnerPublishPolicy *out)
{
  for (int p = LIMNER_PUBLISH_DONE; p <= LIMNER_PUBLISH_ALL; p++)
    if (g_strcmp0 (str, limner_publish_policy_to_string (p)) == 0)
      {
        *out = p;
        return TRUE;
      }
  return FALSE;
}

static gboolean
query_int64 (LimnerStore *self, const char *sql, gint64 bind1, gint64 *out, GError **error)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (limner_stmt_param_count (stmt) > 0)
    limner_stmt_bind_int64 (stmt, 1, bind1);
  rc = limner_stmt_step (stmt);
  if (rc != LIMNER_DB_ROW)
    {
      limner_store_set_sqlite_error (self, error, _("Could not read the versions"));
      limner_stmt_reset (stmt);
      return FALSE;
    }
  *out = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

gint64
limner_store_publish (LimnerStore          *self,
                      const char           *message,
                      LimnerPublishPolicy   policy,
                      GError              **error)
{
  g_autofree char *images_sql = NULL;
  g_autofree char *detail = NULL;
  LimnerStmt *stmt;
  gint64 number = 0;
  gint64 n_images = 0;
  gint64 n_shapes = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  g_return_val_if_fail (policy >= LIMNER_PUBLISH_DONE && policy <= LIMNER_PUBLISH_ALL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (message == NULL || is_blank (message))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("A version needs a message that says what changed"));
      return 0;
    }
  if (!g_utf8_validate (message, -1, NULL))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The version message is not valid UTF-8"));
      return 0;
    }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return 0;

  ok = query_int64 (self, "SELECT COALESCE(MAX(number), 0) FROM versions", 0, &number, error);
  number++;

  /* The row is unsealed while its contents go in: the triggers refuse rows
   * for sealed versions, and sealing last makes it immutable as a whole. */
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO versions (number, parent, author, created_at, message, "
                                   "policy, n_images, n_shapes, sealed) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, 0)",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, number);
          limner_stmt_bind_int64 (stmt, 2, number - 1);
          limner_stmt_bind_text (stmt, 3, limner_store_get_login (self));
          limner_stmt_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
          limner_stmt_bind_text (stmt, 5, message);
          limner_stmt_bind_text (stmt, 6, limner_publish_policy_to_string (policy));
          ok = limner_store_step_done (self, stmt, _("Could not create the version"), error);
        }
    }

  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO version_labels (version, label_id, name, color, hotkey, "
                                   "guide, position) "
                                   "SELECT ?1, id, name, color, hotkey, guide, position FROM labels",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, number);
          ok = limner_store_step_done (self, stmt, _("Could not freeze the labels"), error);
        }
    }

  if (ok)
    {
      images_sql = g_strdup_printf ("INSERT INTO version_images (version, image_id, path, sha256, size, "
                                    "width, height, format, status) "
                                    "SELECT ?1, id, path, sha256, size, width, height, format, status "
                                    "FROM images WHERE %s",
                                    policy_condition (policy));
      stmt = limner_store_prepare (self, images_sql, error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, number);
          ok = limner_store_step_done (self, stmt, _("Could not freeze the images"), error);
        }
    }

  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO version_shapes (version, shape_id, image_id, label_id, kind, "
                                   "points, group_id, source, score, author, created_at, modified_at) "
                                   "SELECT ?1, s.id, s.image_id, s.label_id, s.kind, s.points, s.group_id, "
                                   "s.source, s.score, s.author, s.created_at, s.modified_at "
                                   "FROM shapes s JOIN version_images vi "
                                   "ON vi.version = ?1 AND vi.image_id = s.image_id",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, number);
          ok = limner_store_step_done (self, stmt, _("Could not freeze the shapes"), error);
        }
    }

  if (ok)
    ok = query_int64 (self, "SELECT count(*) FROM version_images WHERE version = ?1",
                      number, &n_images, error)
         && query_int64 (self, "SELECT count(*) FROM version_shapes WHERE version = ?1",
                         number, &n_shapes, error);

  /* Under the default policy the usual cause is work not submitted yet;
   * say how to publish what has shapes anyway. */
  if (ok && n_images == 0 && policy == LIMNER_PUBLISH_DONE)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Nothing to publish in %s: no image is done (submitted, or accepted in "
                     "review); publish with --policy with-shapes to include every image that "
                     "has shapes"),
                   limner_store_get_dir (self));
      ok = FALSE;
    }
  else if (ok && n_images == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Nothing to publish in %s: no image meets the policy “%s”"),
                   limner_store_get_dir (self), limner_publish_policy_to_string (policy));
      ok = FALSE;
    }

  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "UPDATE versions SET n_images = ?2, n_shapes = ?3, sealed = 1 "
                                   "WHERE number = ?1 AND sealed = 0",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, number);
          limner_stmt_bind_int64 (stmt, 2, n_images);
          limner_stmt_bind_int64 (stmt, 3, n_shapes);
          ok = limner_store_step_done (self, stmt, _("Could not seal the version"), error);
        }
    }

  if (ok)
    {
      detail = g_strdup_printf ("{\"version\": %" PRId64 ", \"images\": %" PRId64
                                ", \"shapes\": %" PRId64 "}", number, n_images, n_shapes);
      ok = limner_store_log_event_locked (self, "version.publish", 0, 0, detail, error);
    }

  if (!limner_store_write_end (self, ok, error))
    return 0;
  return number;
}

#define VERSION_COLUMNS "number, parent, author, created_at, message, policy, n_images, n_shapes"

static LimnerVersion *
version_from_row (LimnerStmt *stmt)
{
  LimnerVersion *v = g_new0 (LimnerVersion, 1);

  v->number = limner_stmt_column_int64 (stmt, 0);
  v->parent = limner_stmt_column_int64 (stmt, 1);
  v->author = limner_store_column_dup (stmt, 2);
  v->created_at = limner_stmt_column_int64 (stmt, 3);
  v->message = limner_store_column_dup (stmt, 4);
  v->policy = limner_store_column_dup (stmt, 5);
  v->n_images = limner_stmt_column_int64 (stmt, 6);
  v->n_shapes = limner_stmt_column_int64 (stmt, 7);
  return v;
}

GPtrArray *
limner_store_list_versions (LimnerStore *self, GError **error)
{
  g_autoptr(GPtrArray) versions = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  /* Unsealed rows exist only inside a publish transaction. */
  stmt = limner_store_prepare (self, "SELECT " VERSION_COLUMNS " FROM versions WHERE sealed = 1 "
                               "ORDER BY number", error);
  if (stmt == NULL)
    return NULL;
  versions = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_version_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    g_ptr_array_add (versions, version_from_row (stmt));
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not read the versions"));
      limner_stmt_reset (stmt);
      return NULL;
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&versions);
}

LimnerVersion *
limner_store_get_version (LimnerStore *self, gint64 number, GError **error)
{
  LimnerVersion *v = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " VERSION_COLUMNS " FROM versions "
                               "WHERE number = ?1 AND sealed = 1", error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, number);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    v = version_from_row (stmt);
  limner_stmt_reset (stmt);
  if (v == NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                 _("The project %s has no version %" PRId64),
                 limner_store_get_dir (self), number);
  return v;
}

static gboolean
require_version (LimnerStore *self, gint64 number, GError **error)
{
  g_autoptr(LimnerVersion) v = limner_store_get_version (self, number, error);
  return v != NULL;
}

GPtrArray *
limner_store_list_version_labels (LimnerStore *self, gint64 number, GError **error)
{
  g_autoptr(GPtrArray) labels = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  if (!require_version (self, number, error))
    return NULL;
  stmt = limner_store_prepare (self,
                               "SELECT label_id, name, color, hotkey, guide, position FROM version_labels "
                               "WHERE version = ?1 ORDER BY position, label_id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, number);
  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_label_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    g_ptr_array_add (labels, limner_store_label_from_row (stmt));
  limner_stmt_reset (stmt);
  return g_steal_pointer (&labels);
}

GPtrArray *
limner_store_list_version_images (LimnerStore *self, gint64 number, GError **error)
{
  g_autoptr(GPtrArray) images = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  if (!require_version (self, number, error))
    return NULL;
  stmt = limner_store_prepare (self,
                               /* The same columns as LIMNER_STORE_IMAGE_COLUMNS: a frozen image
                                * has no claim and no date added. */
                               "SELECT image_id, path, sha256, size, width, height, format, status, NULL, 0, 0 "
                               "FROM version_images WHERE version = ?1 ORDER BY path, image_id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, number);
  images = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_image_record_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    g_ptr_array_add (images, limner_store_image_from_row (stmt));
  limner_stmt_reset (stmt);
  return g_steal_pointer (&images);
}

GPtrArray *
limner_store_list_version_shapes (LimnerStore  *self,
                                  gint64        number,
                                  gint64        image_id,
                                  GError      **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self,
                               "SELECT shape_id, image_id, label_id, kind, points, group_id, source, "
                               "score, author, created_at, modified_at FROM version_shapes "
                               "WHERE version = ?1 AND image_id = ?2 ORDER BY shape_id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, number);
  limner_stmt_bind_int64 (stmt, 2, image_id);
  shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    g_ptr_array_add (shapes, limner_store_shape_from_row (stmt));
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not read the shapes of a version"));
      limner_stmt_reset (stmt);
      return NULL;
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&shapes);
}

/* strcmp() order, as SQLite's BINARY collation sorts version_images. */
static int
compare_image_paths (gconstpointer a, gconstpointer b)
{
  const LimnerImageRecord *ia = *(LimnerImageRecord * const *) a;
  const LimnerImageRecord *ib = *(LimnerImageRecord * const *) b;
  int c = strcmp (ia->path, ib->path);

  if (c != 0)
    return c;
  return ia->id < ib->id ? -1 : ia->id > ib->id;
}

GPtrArray *
limner_store_list_policy_images (LimnerStore          *self,
                                 LimnerPublishPolicy   policy,
                                 GError              **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) included = NULL;
  GPtrArray *images;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  /* Full records come from the store's own reader; SQL picks the ids. */
  sql = g_strdup_printf ("SELECT id FROM images WHERE %s", policy_condition (policy));
  stmt = limner_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  included = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      gint64 id = limner_stmt_column_int64 (stmt, 0);
      g_hash_table_add (included, g_memdup2 (&id, sizeof id));
    }
  limner_stmt_reset (stmt);

  all = limner_store_list_images (self, error);
  if (all == NULL)
    return NULL;
  images = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_image_record_free);
  for (guint i = 0; i < all->len; i++)
    {
      LimnerImageRecord *image = g_ptr_array_index (all, i);

      if (g_hash_table_contains (included, &image->id))
        g_ptr_array_add (images, g_steal_pointer (&all->pdata[i]));
    }
  g_ptr_array_sort (images, compare_image_paths);
  return images;
}

gint64
limner_store_count_policy_shapes (LimnerStore          *self,
                                  LimnerPublishPolicy   policy,
                                  GError              **error)
{
  g_autofree char *sql = NULL;
  gint64 n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), -1);

  sql = g_strdup_printf ("SELECT count(*) FROM shapes JOIN images ON images.id = shapes.image_id "
                         "WHERE %s", policy_condition (policy));
  if (!query_int64 (self, sql, 0, &n, error))
    return -1;
  return n;
}

/* The same guards on PostgreSQL (limner-pg-schema.c), where the event log
 * is insert-only too. */
static const char *const pg_immutability_triggers[] = {
  "versions_immutable", "versions_no_truncate",
  "version_labels_immutable", "version_labels_no_truncate",
  "version_images_immutable", "version_images_no_truncate",
  "version_shapes_immutable", "version_shapes_no_truncate",
  "events_insert_only", "events_no_truncate",
  NULL
};

static const char *const immutability_triggers[] = {
  "versions_immutable_update",
  "versions_immutable_delete",
  "version_labels_immutable_update",
  "version_labels_immutable_delete",
  "version_labels_immutable_insert",
  "version_images_immutable_update",
  "version_images_immutable_delete",
  "version_images_immutable_insert",
  "version_shapes_immutable_update",
  "version_shapes_immutable_delete",
  "version_shapes_immutable_insert",
};

/* SQLite's own checks of project.db: pages, foreign keys, and the triggers
 * that keep published versions immutable. */
static gboolean
check_sqlite_file (LimnerStore        *self,
                   LimnerCheckReport  *report,
                   GError            **error)
{
  const char *db_name = LIMNER_STORE_DB_NAME;
  LimnerStmt *stmt;
  int rc;

  stmt = limner_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      const char *line = (const char *) limner_stmt_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        limner_check_report_add (report, _("%s: %s"), db_name, line ? line : "?");
    }
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not check the database"));
      return FALSE;
    }

  stmt = limner_store_prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return FALSE;
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    limner_check_report_add (report, _("%s: row %" PRId64 " of the table %s refers to a "
                                       "missing row of %s."),
                             db_name, (gint64) limner_stmt_column_int64 (stmt, 1),
                             (const char *) limner_stmt_column_text (stmt, 0),
                             (const char *) limner_stmt_column_text (stmt, 2));
  limner_stmt_reset (stmt);

  for (guint i = 0; i < G_N_ELEMENTS (immutability_triggers); i++)
    {
      stmt = limner_store_prepare (self, "SELECT count(*) FROM sqlite_master "
                                   "WHERE type = 'trigger' AND name = ?1", error);
      if (stmt == NULL)
        return FALSE;
      limner_stmt_bind_text (stmt, 1, immutability_triggers[i]);
      if (limner_stmt_step (stmt) == LIMNER_DB_ROW && limner_stmt_column_int (stmt, 0) == 0)
        limner_check_report_add (report, _("%s: the trigger %s, which keeps published versions "
                                           "immutable, is missing."),
                                 db_name, immutability_triggers[i]);
      limner_stmt_reset (stmt);
    }

  return TRUE;
}

gboolean
limner_store_check_database (LimnerStore        *self,
                             LimnerCheckReport  *report,
                             GError            **error)
{
  const char *db_name = LIMNER_STORE_DB_NAME;
  LimnerStmt *stmt;
  gint64 previous = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* On PostgreSQL the server keeps its pages and foreign keys whole; what
   * Limner checks there is that nobody dropped or disabled its guards. */
  if (limner_store_is_pg (self))
    {
      db_name = limner_store_get_dir (self);
      for (guint i = 0; pg_immutability_triggers[i] != NULL; i++)
        {
          stmt = limner_store_prepare (self, "SELECT count(*) FROM pg_trigger "
                                       "WHERE tgname = ?1 AND tgenabled <> 'D'", error);
          if (stmt == NULL)
            return FALSE;
          limner_stmt_bind_text (stmt, 1, pg_immutability_triggers[i]);
          if (limner_stmt_step (stmt) == LIMNER_DB_ROW && limner_stmt_column_int (stmt, 0) == 0)
            limner_check_report_add (report, _("%s: the trigger %s, which keeps published versions "
                                               "and the event log unchanged, is missing or disabled."),
                                     db_name, pg_immutability_triggers[i]);
          limner_stmt_reset (stmt);
        }
    }
  else if (!check_sqlite_file (self, report, error))
    return FALSE;

  stmt = limner_store_prepare (self,
                               "SELECT v.number, v.parent, v.sealed, v.n_images, v.n_shapes, "
                               "(SELECT count(*) FROM version_images vi WHERE vi.version = v.number), "
                               "(SELECT count(*) FROM version_shapes vs WHERE vs.version = v.number), "
                               "(SELECT count(*) FROM version_shapes vs WHERE vs.version = v.number "
                               "  AND NOT EXISTS (SELECT 1 FROM version_images vi "
                               "  WHERE vi.version = vs.version AND vi.image_id = vs.image_id)) "
                               "FROM versions v ORDER BY v.number",
                               error);
  if (stmt == NULL)
    return FALSE;
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      gint64 number = limner_stmt_column_int64 (stmt, 0);
      gint64 parent = limner_stmt_column_int64 (stmt, 1);
      gint64 n_images = limner_stmt_column_int64 (stmt, 3);
      gint64 n_shapes = limner_stmt_column_int64 (stmt, 4);
      gint64 rows_images = limner_stmt_column_int64 (stmt, 5);
      gint64 rows_shapes = limner_stmt_column_int64 (stmt, 6);
      gint64 orphans = limner_stmt_column_int64 (stmt, 7);

      report->n_versions++;
      if (limner_stmt_column_int (stmt, 2) != 1)
        limner_check_report_add (report, _("Version %" PRId64 " is not sealed: it was "
                                           "not published by Limner."), number);
      if (parent != previous)
        limner_check_report_add (report, _("Version %" PRId64 " has the parent %"
                                           PRId64 ", expected %" PRId64 "."),
                                 number, parent, previous);
      if (rows_images != n_images)
        limner_check_report_add (report, _("Version %" PRId64 " records %" PRId64
                                           " images but holds %" PRId64 "."),
                                 number, n_images, rows_images);
      if (rows_shapes != n_shapes)
        limner_check_report_add (report, _("Version %" PRId64 " records %" PRId64
                                           " shapes but holds %" PRId64 "."),
                                 number, n_shapes, rows_shapes);
      if (orphans > 0)
        limner_check_report_add (report, _("Version %" PRId64 " holds %" PRId64
                                           " shapes of images it does not include."),
                                 number, orphans);
      previous = number;
    }
  limner_stmt_reset (stmt);
  return TRUE;
}
