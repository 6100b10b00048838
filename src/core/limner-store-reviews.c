/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-private.h"
#include "limner-store-reviews.h"

void
limner_review_record_free (LimnerReviewRecord *review)
{
  if (review == NULL)
    return;
  g_free (review->reviewer);
  g_free (review->annotator);
  g_free (review->decision);
  g_free (review->comment);
  g_free (review);
}

GPtrArray *
limner_store_list_reviews (LimnerStore  *store,
                           gint64        image_id,
                           GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Names the image in the error when there is none. */
  image = limner_store_get_image (store, image_id, error);
  if (image == NULL)
    return NULL;

  stmt = limner_store_prepare (store,
                               "SELECT id, image_id, reviewer, annotator, decision, comment, created_at "
                               "FROM reviews WHERE image_id = ?1 ORDER BY created_at, id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);

  reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_review_record_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerReviewRecord *review = g_new0 (LimnerReviewRecord, 1);

      review->id = limner_stmt_column_int64 (stmt, 0);
      review->image_id = limner_stmt_column_int64 (stmt, 1);
      review->reviewer = limner_store_column_dup (stmt, 2);
      review->annotator = limner_store_column_dup (stmt, 3);
      review->decision = limner_store_column_dup (stmt, 4);
      review->comment = limner_store_column_dup (stmt, 5);
      review->created_at = limner_stmt_column_int64 (stmt, 6);
      g_ptr_array_add (reviews, review);
    }
  if (rc != LIMNER_DB_DONE)
    {
      g_autofree char *what = g_strdup_printf (_("Could not read the reviews of %s"), image->path);

      limner_store_set_sqlite_error (store, error, what);
      limner_stmt_reset (stmt);
      return NULL;
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&reviews);
}

gboolean
limner_store_add_review (LimnerStore  *self,
                         gint64        image_id,
                         gboolean      accepted,
                         const char   *comment,
                         GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_REVIEWER, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO reviews (image_id, reviewer, annotator, decision, comment, created_at) "
                                   "VALUES (?1, ?2, (SELECT last_annotator FROM images WHERE id = ?1), ?3, ?4, ?5)",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image_id);
          limner_stmt_bind_text (stmt, 2, self->login);
          limner_stmt_bind_text (stmt, 3, accepted ? "accept" : "reject");
          limner_store_bind_text_or_null (stmt, 4, comment);
          limner_stmt_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
          ok = limner_store_step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, accepted ? "review.accept" : "review.reject",
                                        image_id, 0, NULL, error);
  if (ok)
    ok = limner_store_set_image_status (self, image_id,
                                        accepted ? LIMNER_IMAGE_ACCEPTED : LIMNER_IMAGE_REJECTED,
                                        error);
  return limner_store_write_end (self, ok, error);
}
