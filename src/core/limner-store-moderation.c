/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-moderation.c: the figures a lead reads (limner-store-qc.h):
 * gold scores, review counts per annotator and prediction outcomes. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "limner-store-private.h"
#include "limner-store-qc.h"

GPtrArray *
limner_store_list_gold_scores (LimnerStore  *store,
                               GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "SELECT id, image_id, annotator, threshold, tp, fp, fn, iou_sum, created_at "
                               "FROM gold_scores ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_gold_score_record_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerGoldScoreRecord *r = g_new0 (LimnerGoldScoreRecord, 1);

      r->id = limner_stmt_column_int64 (stmt, 0);
      r->image_id = limner_stmt_column_int64 (stmt, 1);
      r->annotator = limner_store_column_dup (stmt, 2);
      r->threshold = limner_stmt_column_double (stmt, 3);
      r->score.tp = limner_stmt_column_int64 (stmt, 4);
      r->score.fp = limner_stmt_column_int64 (stmt, 5);
      r->score.fn = limner_stmt_column_int64 (stmt, 6);
      r->score.iou_sum = limner_stmt_column_double (stmt, 7);
      r->created_at = limner_stmt_column_int64 (stmt, 8);
      limner_gold_score_finish (&r->score);
      g_ptr_array_add (list, r);
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&list);
}

/* Moderation */

static LimnerQcCounts *
counts_for (GHashTable *by_login, GPtrArray *list, const char *login)
{
  LimnerQcCounts *c = g_hash_table_lookup (by_login, login ? login : "");

  if (c == NULL)
    {
      c = g_new0 (LimnerQcCounts, 1);
      c->annotator = g_strdup (login ? login : "");
      g_hash_table_insert (by_login, c->annotator, c);
      g_ptr_array_add (list, c);
    }
  return c;
}

static int
compare_counts (gconstpointer a, gconstpointer b)
{
  const LimnerQcCounts *x = *(LimnerQcCounts * const *) a;
  const LimnerQcCounts *y = *(LimnerQcCounts * const *) b;

  return strcmp (x->annotator, y->annotator);
}

GPtrArray *
limner_store_qc_counts (LimnerStore           *store,
                        const LimnerQcFilter  *filter,
                        GError               **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) by_login = NULL;
  LimnerQcFilter none = { 0, 0, NULL, NULL, NULL, -1 };
  const char *status;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  if (filter == NULL)
    filter = &none;
  status = filter->status >= 0 && filter->status < LIMNER_IMAGE_N_STATUS
             ? limner_image_status_to_string (filter->status) : NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_qc_counts_free);
  by_login = g_hash_table_new (g_str_hash, g_str_equal);

#define QC_IMAGE_FILTER \
  "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM shapes s JOIN labels l ON l.id = s.label_id " \
  "       WHERE s.image_id = i.id AND l.name = ?3)) " \
  "  AND (?4 IS NULL OR i.status = ?4) "
  stmt = limner_store_prepare (store,
                               "SELECT r.annotator, r.decision, count(*) FROM reviews r "
                               "JOIN images i ON i.id = r.image_id "
                               "WHERE (?1 IS NULL OR r.annotator = ?1) AND (?2 IS NULL OR r.reviewer = ?2) "
                               QC_IMAGE_FILTER
                               "  AND (?5 = 0 OR r.created_at >= ?5) AND (?6 = 0 OR r.created_at < ?6) "
                               "GROUP BY r.annotator, r.decision",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_store_bind_text_or_null (stmt, 1, filter->annotator);
  limner_store_bind_text_or_null (stmt, 2, filter->reviewer);
  limner_store_bind_text_or_null (stmt, 3, filter->label);
  limner_store_bind_text_or_null (stmt, 4, status);
  limner_stmt_bind_int64 (stmt, 5, filter->from);
  limner_stmt_bind_int64 (stmt, 6, filter->to);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerQcCounts *c = counts_for (by_login, list, (const char *) limner_stmt_column_text (stmt, 0));
      const char *decision = (const char *) limner_stmt_column_text (stmt, 1);
      guint n = limner_stmt_column_int64 (stmt, 2);

      if (g_strcmp0 (decision, "accept") == 0)
        c->accepted += n;
      else if (g_strcmp0 (decision, "reject") == 0)
        c->rejected += n;
      else
        c->fixed += n;
    }
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not count the reviews"));
      return NULL;
    }

  stmt = limner_store_prepare (store,
                               "SELECT i.last_annotator, count(*) FROM images i "
                               "WHERE i.status = 'in_review' AND (?1 IS NULL OR i.last_annotator = ?1) "
                               "  AND ?2 IS NULL "
                               QC_IMAGE_FILTER
                               "GROUP BY i.last_annotator",
                               error);
#undef QC_IMAGE_FILTER
  if (stmt == NULL)
    return NULL;
  limner_store_bind_text_or_null (stmt, 1, filter->annotator);
  /* Nobody has reviewed a waiting image yet, so a reviewer filter leaves none. */
  limner_store_bind_text_or_null (stmt, 2, filter->reviewer);
  limner_store_bind_text_or_null (stmt, 3, filter->label);
  limner_store_bind_text_or_null (stmt, 4, status);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    counts_for (by_login, list, (const char *) limner_stmt_column_text (stmt, 0))->waiting
      += limner_stmt_column_int64 (stmt, 1);
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not count the images waiting for review"));
      return NULL;
    }
  g_ptr_array_sort (list, compare_counts);
  return g_steal_pointer (&list);
}

GPtrArray *
limner_store_prediction_outcomes (LimnerStore  *store,
                                  GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "WITH done AS (SELECT id FROM images "
                               "    WHERE status IN ('submitted', 'in_review', 'accepted')), "
                               "  predicted AS (SELECT DISTINCT image_id FROM prediction_baseline "
                               "    WHERE image_id IN done), "
                               "  outcome AS ("
                               "    SELECT b.label_id AS label_id, CASE "
                               "      WHEN s.id IS NULL THEN 'deleted' "
                               "      WHEN s.label_id IS NOT DISTINCT FROM b.label_id AND s.kind = b.kind AND s.points = b.points "
                               "        THEN 'kept' ELSE 'corrected' END AS what "
                               "    FROM prediction_baseline b LEFT JOIN shapes s ON s.id = b.shape_id "
                               "    WHERE b.image_id IN done "
                               "    UNION ALL "
                               "    SELECT s.label_id, 'missed' FROM shapes s "
                               "    WHERE s.image_id IN predicted "
                               "      AND s.id NOT IN (SELECT shape_id FROM prediction_baseline)) "
                               "SELECT l.id, l.name, "
                               "  sum(o.what = 'kept'), sum(o.what = 'corrected'), "
                               "  sum(o.what = 'deleted'), sum(o.what = 'missed') "
                               "FROM labels l LEFT JOIN outcome o ON o.label_id = l.id "
                               "GROUP BY l.id ORDER BY l.position, l.id",
                               error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_prediction_outcome_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerPredictionOutcome *o = g_new0 (LimnerPredictionOutcome, 1);
      guint found;

      o->label_id = limner_stmt_column_int64 (stmt, 0);
      o->label = limner_store_column_dup (stmt, 1);
      o->kept = limner_stmt_column_int64 (stmt, 2);
      o->corrected = limner_stmt_column_int64 (stmt, 3);
      o->deleted = limner_stmt_column_int64 (stmt, 4);
      o->missed = limner_stmt_column_int64 (stmt, 5);
      found = o->kept + o->corrected;
      o->precision = found + o->deleted > 0 ? (double) found / (found + o->deleted) : 1.0;
      o->recall = found + o->missed > 0 ? (double) found / (found + o->missed) : 1.0;
      g_ptr_array_add (list, o);
    }
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not count the prediction outcomes"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
limner_store_list_prediction_baseline (LimnerStore  *store,
                                       gint64        image_id,
                                       GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "SELECT shape_id, label_id, kind, points, score FROM prediction_baseline "
                               "WHERE image_id = ?1 ORDER BY shape_id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerShapeKind kind = LIMNER_SHAPE_BOX;
      LimnerShape *shape;

      limner_shape_kind_from_string ((const char *) limner_stmt_column_text (stmt, 2), &kind);
      shape = limner_shape_new (kind);
      shape->id = limner_stmt_column_int64 (stmt, 0);
      shape->image_id = image_id;
      shape->label_id = limner_stmt_column_int64 (stmt, 1);
      g_array_unref (shape->points);
      shape->points = limner_store_points_from_column (stmt, 3);
      shape->source = LIMNER_SOURCE_PREDICTION;
      shape->score = limner_stmt_column_double (stmt, 4);
      g_ptr_array_add (list, shape);
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&list);
}
