/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-qc.c: submit and its draw, reviews, gold and moderation. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "limner-store-private.h"
#include "limner-store-qc.h"

static const char *const decision_names[] = { "accept", "reject", "fix" };
static const char *const mark_names[] = { "wrong-label", "loose-outline", "missing-object", "extra-object" };

const char *
limner_review_decision_to_string (LimnerReviewDecision decision)
{
  g_return_val_if_fail (decision <= LIMNER_REVIEW_FIX, NULL);
  return decision_names[decision];
}

gboolean
limner_review_decision_from_string (const char *str, LimnerReviewDecision *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (str, decision_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
limner_mark_kind_to_string (LimnerMarkKind kind)
{
  g_return_val_if_fail (kind <= LIMNER_MARK_EXTRA_OBJECT, NULL);
  return mark_names[kind];
}

gboolean
limner_mark_kind_from_string (const char *str, LimnerMarkKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (mark_names); i++)
    if (g_strcmp0 (str, mark_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

void
limner_qc_draw_free (LimnerQcDraw *draw)
{
  if (draw == NULL)
    return;
  g_free (draw->image_path);
  g_free (draw->image_sha256);
  g_free (draw->seed);
  g_free (draw->reason);
  g_free (draw->login);
  g_free (draw);
}

void
limner_review_item_free (LimnerReviewItem *item)
{
  if (item == NULL)
    return;
  g_free (item->path);
  g_free (item->author);
  g_free (item);
}

void
limner_correction_free (LimnerCorrection *correction)
{
  if (correction == NULL)
    return;
  g_free (correction->change);
  g_free (correction->reviewer);
  g_free (correction);
}

void
limner_gold_score_record_free (LimnerGoldScoreRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->annotator);
  g_free (record);
}

void
limner_qc_counts_free (LimnerQcCounts *counts)
{
  if (counts == NULL)
    return;
  g_free (counts->annotator);
  g_free (counts);
}

void
limner_prediction_outcome_free (LimnerPredictionOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->label);
  g_free (outcome);
}

/* Helpers */

static gboolean
step_done (LimnerStore *self, LimnerStmt *stmt, const char *what, GError **error)
{
  gboolean ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;

  if (!ok)
    limner_store_set_sqlite_error (self, error, what);
  limner_stmt_reset (stmt);
  return ok;
}

/* The first column of the first row of `sql` with ?1 = bind1 (if used),
 * or `def` when there is no row. */
static gint64
query_int64 (LimnerStore *self, const char *sql, gint64 bind1, gint64 def)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, NULL);
  gint64 value = def;

  if (stmt == NULL)
    return def;
  if (limner_stmt_param_count (stmt) > 0)
    limner_stmt_bind_int64 (stmt, 1, bind1);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    value = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return value;
}

static double
setting_double (LimnerStore *self, const char *key, double def)
{
  g_autofree char *value = limner_store_get_setting (self, key);
  char *end = NULL;
  double v;

  if (value == NULL)
    return def;
  v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (v) || v < 0 || v > 1)
    return def;
  return v;
}

static gboolean
set_share (LimnerStore *self, const char *key, const char *what, double value, GError **error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  if (!isfinite (value) || value < 0 || value > 1)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The %s must be between 0 and 1, not %g"), what, value);
      return FALSE;
    }
  return limner_store_set_setting (self, key, g_ascii_dtostr (buf, sizeof buf, value), error);
}

/* Settings */

double
limner_store_qc_get_rate (LimnerStore *store)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), LIMNER_QC_DEFAULT_RATE);
  return setting_double (store, "qc.rate", LIMNER_QC_DEFAULT_RATE);
}

gboolean
limner_store_qc_set_rate (LimnerStore *store, double rate, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  return set_share (store, "qc.rate", _("review sample rate"), rate, error);
}

double
limner_store_gold_get_rate (LimnerStore *store)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), LIMNER_GOLD_DEFAULT_RATE);
  return setting_double (store, "gold.rate", LIMNER_GOLD_DEFAULT_RATE);
}

gboolean
limner_store_gold_set_rate (LimnerStore *store, double rate, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  return set_share (store, "gold.rate", _("gold rate"), rate, error);
}

double
limner_store_gold_get_threshold (LimnerStore *store)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), LIMNER_GOLD_DEFAULT_THRESHOLD);
  return setting_double (store, "gold.iou_threshold", LIMNER_GOLD_DEFAULT_THRESHOLD);
}

gboolean
limner_store_gold_set_threshold (LimnerStore *store, double threshold, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  return set_share (store, "gold.iou_threshold", _("gold IoU threshold"), threshold, error);
}

char *
limner_store_qc_dup_seed (LimnerStore *store, GError **error)
{
  g_autofree char *seed = NULL;
  LimnerStmt *stmt;
  guint64 bits;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  seed = limner_store_get_setting (store, "qc.seed");
  if (seed != NULL)
    return g_steal_pointer (&seed);

  /* Made by whoever submits first, so not a lead-only setting write. */
  bits = ((guint64) g_random_int () << 32 | g_random_int ()) >> 1;
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, bits);
  if (!limner_store_write_begin (store, error))
    return NULL;
  stmt = limner_store_prepare (store, "INSERT OR IGNORE INTO settings (key, value) VALUES ('qc.seed', ?1)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, seed);
      ok = step_done (store, stmt, _("Could not store the review seed"), error);
    }
  if (!limner_store_write_end (store, ok, error))
    return NULL;
  return limner_store_get_setting (store, "qc.seed");
}

gboolean
limner_store_qc_set_override (LimnerStore  *store,
                              const char   *login,
                              double        rate,
                              guint         first_n,
                              GError      **error)
{
  g_autofree char *detail = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error))
    return FALSE;
  if (!isfinite (rate) || rate > 1)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The review sample rate of %s must be between 0 and 1, not %g"), login, rate);
      return FALSE;
    }
  if (!limner_store_write_begin (store, error))
    return FALSE;
  if (rate < 0)
    stmt = limner_store_prepare (store, "DELETE FROM qc_overrides WHERE login = ?1", error);
  else
    stmt = limner_store_prepare (store,
                                 "INSERT INTO qc_overrides (login, rate, first_n) VALUES (?1, ?2, ?3) "
                                 "ON CONFLICT (login) DO UPDATE SET rate = ?2, first_n = ?3",
                                 error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, login);
      if (rate >= 0)
        {
          limner_stmt_bind_double (stmt, 2, rate);
          limner_stmt_bind_int64 (stmt, 3, first_n);
        }
      ok = step_done (store, stmt, _("Could not store the review rate override"), error);
    }
  if (ok)
    {
      g_autoptr(GString) json = g_string_new ("{\"login\": ");
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* Logins come from the users table; quote them as JSON strings. */
      g_string_append_c (json, '"');
      for (const char *p = login; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (json, '\\');
          if ((guchar) *p >= 0x20)
            g_string_append_c (json, *p);
        }
      g_string_append_printf (json, "\", \"rate\": %s, \"first_n\": %u}",
                              g_ascii_dtostr (buf, sizeof buf, rate), first_n);
      detail = g_string_free (g_steal_pointer (&json), FALSE);
      ok = limner_store_log_event_locked (store, "qc.override", 0, 0, detail, error);
    }
  return limner_store_write_end (store, ok, error);
}

gboolean
limner_store_qc_get_override (LimnerStore      *store,
                              const char       *login,
                              LimnerQcOverride *out)
{
  LimnerStmt *stmt;
  gboolean found;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);

  stmt = limner_store_prepare (store, "SELECT rate, first_n FROM qc_overrides WHERE login = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_text (stmt, 1, login);
  found = limner_stmt_step (stmt) == LIMNER_DB_ROW;
  if (found && out != NULL)
    {
      out->rate = limner_stmt_column_double (stmt, 0);
      out->first_n = limner_stmt_column_int64 (stmt, 1);
    }
  limner_stmt_reset (stmt);
  return found;
}

/* Gold shapes */

gboolean
limner_store_is_gold (LimnerStore *store, gint64 image_id)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  return query_int64 (store, "SELECT 1 FROM gold_images WHERE image_id = ?1", image_id, 0) == 1;
}

static gboolean
all_boxes (GPtrArray *shapes)
{
  for (guint i = 0; i < shapes->len; i++)
    if (((LimnerShape *) shapes->pdata[i])->kind != LIMNER_SHAPE_BOX)
      return FALSE;
  return TRUE;
}

/* Scores the image's shapes against its reference, stores the score and the
 * attempt, and gives the image back as new with no shapes. */
static gboolean
score_gold_locked (LimnerStore        *self,
                   LimnerImageRecord  *image,
                   LimnerGoldScore    *out_score,
                   GError            **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autofree LimnerGoldShape *mine = NULL;
  g_autofree LimnerGoldShape *theirs = NULL;
  g_autofree char *detail = NULL;
  LimnerGoldScore score;
  double threshold = limner_store_gold_get_threshold (self);
  gboolean boxes;
  LimnerStmt *stmt;
  gint64 score_id;
  gboolean ok;

  shapes = limner_store_list_shapes (self, image->id, error);
  if (shapes == NULL)
    return FALSE;
  refs = limner_store_list_reference_shapes (self, image->id, error);
  if (refs == NULL)
    return FALSE;

  /* Boxes are scored against the reference's boxes, anything else against
   * its outlines: a box never fits a polygon tightly. */
  boxes = all_boxes (shapes);
  mine = g_new0 (LimnerGoldShape, MAX (shapes->len, 1));
  theirs = g_new0 (LimnerGoldShape, MAX (refs->len, 1));
  for (guint i = 0; i < shapes->len; i++)
    mine[i] = limner_gold_shape_from_shape (shapes->pdata[i]);
  for (guint i = 0; i < refs->len; i++)
    {
      LimnerReferenceShape *ref = refs->pdata[i];

      theirs[i].label_id = ref->label_id;
      if (boxes || ref->polygon == NULL || ref->polygon->len < 6)
        {
          theirs[i].kind = LIMNER_SHAPE_BOX;
          theirs[i].points = ref->box;
          theirs[i].n_points = 2;
        }
      else
        {
          theirs[i].kind = LIMNER_SHAPE_POLYGON;
          theirs[i].points = (const double *) ref->polygon->data;
          theirs[i].n_points = ref->polygon->len / 2;
        }
    }
  limner_gold_score (mine, shapes->len, theirs, refs->len, threshold, &score, NULL);

  stmt = limner_store_prepare (self,
                               "INSERT INTO gold_scores (image_id, annotator, threshold, tp, fp, fn, iou_sum, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image->id);
  limner_stmt_bind_text (stmt, 2, limner_store_get_login (self));
  limner_stmt_bind_double (stmt, 3, threshold);
  limner_stmt_bind_int64 (stmt, 4, score.tp);
  limner_stmt_bind_int64 (stmt, 5, score.fp);
  limner_stmt_bind_int64 (stmt, 6, score.fn);
  limner_stmt_bind_double (stmt, 7, score.iou_sum);
  limner_stmt_bind_int64 (stmt, 8, g_get_real_time () / G_USEC_PER_SEC);
  if (!limner_store_step_id (self, stmt, image->path, &score_id, error))
    return FALSE;

  stmt = limner_store_prepare (self,
                               "INSERT INTO gold_attempt_shapes (score_id, label_id, kind, points) "
                               "SELECT ?1, label_id, kind, points FROM shapes WHERE image_id = ?2 ORDER BY id",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, score_id);
      limner_stmt_bind_int64 (stmt, 2, image->id);
      ok = step_done (self, stmt, image->path, error);
    }
  /* The attempt leaves the image, which waits for the next annotator. */
  if (ok)
    {
      stmt = limner_store_prepare (self, "DELETE FROM shapes WHERE image_id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image->id);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "UPDATE images SET status = 'new', assignee = NULL, claimed_at = 0, "
                                   "last_annotator = ?2 WHERE id = ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image->id);
          limner_stmt_bind_text (stmt, 2, limner_store_get_login (self));
          ok = step_done (self, stmt, image->path, error);
        }
    }
  limner_gold_score_finish (&score);
  if (ok)
    {
      char p[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE], m[G_ASCII_DTOSTR_BUF_SIZE];

      detail = g_strdup_printf ("{\"score\": %" PRId64 ", \"tp\": %u, \"fp\": %u, \"fn\": %u, "
                                "\"precision\": %s, \"recall\": %s, \"mean_iou\": %s}",
                                score_id, score.tp, score.fp, score.fn,
                                g_ascii_formatd (p, sizeof p, "%.6f", score.precision),
                                g_ascii_formatd (r, sizeof r, "%.6f", score.recall),
                                g_ascii_formatd (m, sizeof m, "%.6f", score.mean_iou));
      ok = limner_store_log_event_locked (self, "gold.score", image->id, 0, detail, error);
    }
  if (ok && out_score != NULL)
    *out_score = score;
  return ok;
}

/* Submit */

static gboolean
held_by_me (LimnerStore *store, const LimnerImageRecord *image)
{
  return image->status == LIMNER_IMAGE_IN_PROGRESS &&
         g_strcmp0 (image->assignee, limner_store_get_login (store)) == 0;
}

/* The acting user takes the image in progress unless they hold it. */
static gboolean
take_locked (LimnerStore *store, const LimnerImageRecord *image, GError **error)
{
  LimnerRole roles = limner_store_get_roles (store);

  if (held_by_me (store, image))
    return TRUE;
  if (roles & LIMNER_ROLE_ANNOTATOR)
    {
      /* A submitted or done image fails later with the store's message. */
      if (image->status == LIMNER_IMAGE_NEW || image->status == LIMNER_IMAGE_REJECTED ||
          image->status == LIMNER_IMAGE_IN_PROGRESS)
        return limner_store_claim (store, image->id, error);
    }
  else if ((roles & LIMNER_ROLE_LEAD) &&
           (image->status == LIMNER_IMAGE_NEW || image->status == LIMNER_IMAGE_REJECTED))
    return limner_store_set_image_status (store, image->id, LIMNER_IMAGE_IN_PROGRESS, error);
  return TRUE;
}

static gboolean
snapshot_locked (LimnerStore *store, gint64 image_id, const char *path, GError **error)
{
  LimnerStmt *stmt;

  stmt = limner_store_prepare (store, "DELETE FROM submitted_shapes WHERE image_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  if (!step_done (store, stmt, path, error))
    return FALSE;
  stmt = limner_store_prepare (store,
                               "INSERT INTO submitted_shapes (image_id, shape_id, label_id, kind, points, author) "
                               "SELECT image_id, id, label_id, kind, points, author FROM shapes WHERE image_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  return step_done (store, stmt, path, error);
}

static gboolean
draw_locked (LimnerStore         *store,
             LimnerImageRecord   *image,
             LimnerSubmitResult  *result,
             GError             **error)
{
  g_autofree char *seed = NULL;
  g_autofree char *detail = NULL;
  LimnerQcOverride override;
  const char *login = limner_store_get_login (store);
  gint64 rejects, resubmits, before;
  LimnerStmt *stmt;
  char t[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE];

  seed = limner_store_qc_dup_seed (store, error);
  if (seed == NULL)
    return FALSE;

  /* Each reject owes exactly one trip straight back to review. */
  rejects = query_int64 (store, "SELECT count(*) FROM reviews WHERE image_id = ?1 AND decision = 'reject'",
                         image->id, 0);
  resubmits = query_int64 (store, "SELECT count(*) FROM qc_draws WHERE image_id = ?1 AND reason = 'resubmit'",
                           image->id, 0);
  result->submission = query_int64 (store, "SELECT count(*) FROM qc_draws WHERE image_id = ?1",
                                    image->id, 0) + 1;
  before = limner_store_count_my_submissions (store);
  result->rate = limner_qc_rate_for (limner_store_qc_get_rate (store),
                                     limner_store_qc_get_override (store, login, &override) ? &override : NULL,
                                     before);
  /* A rate of 0 turns review off: then nothing goes back to review either. */
  result->resubmitted = rejects > resubmits && result->rate > 0;
  result->ticket = limner_qc_ticket (seed, image->sha256, result->submission);
  result->drawn = result->resubmitted || limner_qc_is_drawn (result->ticket, result->rate);

  stmt = limner_store_prepare (store,
                               "INSERT INTO qc_draws (image_id, seed, rate, ticket, drawn, login, ts, submission, reason) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image->id);
  limner_stmt_bind_int64 (stmt, 2, g_ascii_strtoll (seed, NULL, 10));
  limner_stmt_bind_double (stmt, 3, result->rate);
  limner_stmt_bind_double (stmt, 4, result->ticket);
  limner_stmt_bind_int64 (stmt, 5, result->drawn);
  limner_stmt_bind_text (stmt, 6, login);
  limner_stmt_bind_int64 (stmt, 7, g_get_real_time ());
  limner_stmt_bind_int64 (stmt, 8, result->submission);
  limner_stmt_bind_text (stmt, 9, result->resubmitted ? "resubmit" : "draw");
  if (!step_done (store, stmt, image->path, error))
    return FALSE;

  detail = g_strdup_printf ("{\"submission\": %u, \"rate\": %s, \"ticket\": %s, \"drawn\": %s, "
                            "\"reason\": \"%s\"}",
                            result->submission,
                            g_ascii_formatd (r, sizeof r, "%.17g", result->rate),
                            g_ascii_formatd (t, sizeof t, "%.17g", result->ticket),
                            result->drawn ? "true" : "false",
                            result->resubmitted ? "resubmit" : "draw");
  if (!limner_store_log_event_locked (store, "qc.draw", image->id, 0, detail, error))
    return FALSE;
  if (!snapshot_locked (store, image->id, image->path, error))
    return FALSE;
  if (!result->drawn)
    return TRUE;

  /* The annotator may not set in_review themselves; the draw does. */
  stmt = limner_store_prepare (store, "UPDATE images SET status = 'in_review' WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image->id);
  if (!step_done (store, stmt, image->path, error))
    return FALSE;
  result->status = LIMNER_IMAGE_IN_REVIEW;
  return limner_store_log_event_locked (store, "image.status", image->id, 0,
                                        "{\"from\": \"submitted\", \"to\": \"in_review\"}", error);
}

guint
limner_store_count_my_submissions (LimnerStore *store)
{
  LimnerStmt *stmt;
  guint n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (store), 0);
  stmt = limner_store_prepare (store,
                               "SELECT (SELECT count(DISTINCT image_id) FROM qc_draws WHERE login = ?1)"
                               " + (SELECT count(*) FROM gold_scores WHERE annotator = ?1)",
                               NULL);
  if (stmt == NULL)
    return 0;
  limner_stmt_bind_text (stmt, 1, limner_store_get_login (store));
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    n = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return n;
}

gboolean
limner_store_submit (LimnerStore         *store,
                     gint64               image_id,
                     LimnerSubmitResult  *out,
                     GError             **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerSubmitResult result = { 0 };
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (limner_store_in_batch (store))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Cannot submit image %" PRId64 " inside another transaction"), image_id);
      return FALSE;
    }
  if (!limner_store_begin (store, error))
    return FALSE;

  if (limner_store_lock_image (store, image_id, error))
    image = limner_store_get_image (store, image_id, error);
  ok = image != NULL && take_locked (store, image, error);
  if (ok && limner_store_is_gold (store, image_id))
    {
      g_autoptr(LimnerImageRecord) now = limner_store_get_image (store, image_id, error);

      ok = now != NULL;
      if (ok && !held_by_me (store, now))
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                       _("%s is %s, not in progress with %s"), now->path,
                       limner_image_status_to_string (now->status), limner_store_get_login (store));
          ok = FALSE;
        }
      if (ok)
        ok = score_gold_locked (store, now, &result.gold_score, error);
      result.gold = TRUE;
      result.status = LIMNER_IMAGE_NEW;
    }
  else if (ok)
    {
      ok = limner_store_set_image_status (store, image_id, LIMNER_IMAGE_SUBMITTED, error);
      result.status = LIMNER_IMAGE_SUBMITTED;
      if (ok)
        ok = draw_locked (store, image, &result, error);
    }

  if (!ok)
    {
      limner_store_rollback (store);
      return FALSE;
    }
  if (!limner_store_commit (store, error))
    return FALSE;
  if (out != NULL)
    *out = result;
  return TRUE;
}

/* Draws and audit */

GPtrArray *
limner_store_list_draws (LimnerStore  *store,
                         gint64        image_id,
                         GError      **error)
{
  g_autoptr(GPtrArray) draws = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "SELECT d.id, d.image_id, i.path, i.sha256, d.seed, d.rate, d.ticket, d.drawn, "
                               "  d.submission, d.reason, d.login, d.ts "
                               "FROM qc_draws d JOIN images i ON i.id = d.image_id "
                               "WHERE ?1 = 0 OR d.image_id = ?1 ORDER BY d.id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  draws = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_qc_draw_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerQcDraw *draw = g_new0 (LimnerQcDraw, 1);

      draw->id = limner_stmt_column_int64 (stmt, 0);
      draw->image_id = limner_stmt_column_int64 (stmt, 1);
      draw->image_path = limner_store_column_dup (stmt, 2);
      draw->image_sha256 = limner_store_column_dup (stmt, 3);
      /* The column's text form: an INTEGER prints in decimal. */
      draw->seed = limner_store_column_dup (stmt, 4);
      draw->rate = limner_stmt_column_double (stmt, 5);
      draw->ticket = limner_stmt_column_double (stmt, 6);
      draw->drawn = limner_stmt_column_int (stmt, 7) != 0;
      draw->submission = limner_stmt_column_int64 (stmt, 8);
      draw->reason = limner_store_column_dup (stmt, 9);
      draw->login = limner_store_column_dup (stmt, 10);
      draw->ts = limner_stmt_column_int64 (stmt, 11);
      g_ptr_array_add (draws, draw);
    }
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not read the review draws"));
      limner_stmt_reset (stmt);
      return NULL;
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&draws);
}

gboolean
limner_store_audit_draws (LimnerStore  *store,
                          guint        *n_checked,
                          GError      **error)
{
  g_autoptr(GPtrArray) draws = NULL;
  g_autofree char *seed = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);

  draws = limner_store_list_draws (store, 0, error);
  if (draws == NULL)
    return FALSE;
  seed = limner_store_get_setting (store, "qc.seed");
  for (guint i = 0; i < draws->len; i++)
    {
      LimnerQcDraw *draw = draws->pdata[i];
      gboolean resubmit = g_strcmp0 (draw->reason, "resubmit") == 0;

      if (seed != NULL && g_strcmp0 (draw->seed, seed) != 0)
        {
          g_set_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_TICKET_MISMATCH,
                       _("The draw of %s (submission %u) used seed %s, not the project’s seed %s"),
                       draw->image_path, draw->submission, draw->seed, seed);
          return FALSE;
        }
      if (resubmit && !draw->drawn)
        {
          g_set_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_DECISION_MISMATCH,
                       _("The resubmission %u of %s is recorded as not sent to review"),
                       draw->submission, draw->image_path);
          return FALSE;
        }
      /* A resubmission goes to review whatever its ticket says. */
      if (!limner_qc_audit_draw (draw->seed, draw->image_sha256, draw->submission, draw->ticket,
                                 resubmit ? 1.0 : draw->rate, draw->drawn, draw->image_path, error))
        return FALSE;
    }
  if (n_checked != NULL)
    *n_checked = draws->len;
  return TRUE;
}

GArray *
limner_store_review_sample (LimnerStore  *store,
                            const char   *seed,
                            guint         count,
                            GError      **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) picked = NULL;
  GArray *sample;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (seed != NULL, NULL);

  if (strchr (seed, '\n') != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The sample seed must be one line"));
      return NULL;
    }
  stmt = limner_store_prepare (store,
                               "SELECT id, sha256 FROM images "
                               "WHERE status IN ('submitted', 'in_review', 'accepted') ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      gint64 id = limner_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (hashes, limner_store_column_dup (stmt, 1));
    }
  limner_stmt_reset (stmt);

  sample = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (ids->len == 0)
    return sample;
  picked = limner_qc_sample (seed, (const char * const *) hashes->pdata, hashes->len, count);
  if (picked == NULL)
    {
      g_array_unref (sample);
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                   _("An image of the project has a malformed SHA-256"));
      return NULL;
    }
  for (guint i = 0; i < picked->len; i++)
    g_array_append_val (sample, g_array_index (ids, gint64, g_array_index (picked, guint, i)));
  return sample;
}

/* Review queue and decisions */

GPtrArray *
limner_store_review_queue (LimnerStore  *store,
                           GError      **error)
{
  g_autoptr(GPtrArray) items = NULL;
  LimnerStmt *stmt;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  /* Time spent: from the author's first claim of the image to the last
   * submission, as the event log has them. */
  stmt = limner_store_prepare (store,
                               "SELECT i.id, i.path, i.last_annotator, "
                               "  (SELECT max(ts) FROM qc_draws d WHERE d.image_id = i.id) AS sub, "
                               "  (SELECT min(ts) FROM events e WHERE e.image_id = i.id "
                               "     AND e.kind = 'image.claim' AND e.login = i.last_annotator), "
                               "  (SELECT count(*) FROM shapes s WHERE s.image_id = i.id) "
                               "FROM images i WHERE i.status = 'in_review' ORDER BY sub, i.id",
                               error);
  if (stmt == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_review_item_free);
  while ((rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      LimnerReviewItem *item = g_new0 (LimnerReviewItem, 1);

      item->image_id = limner_stmt_column_int64 (stmt, 0);
      item->path = limner_store_column_dup (stmt, 1);
      item->author = limner_store_column_dup (stmt, 2);
      item->submitted_at = limner_stmt_column_int64 (stmt, 3);
      item->seconds_spent = -1;
      if (!limner_stmt_column_is_null (stmt, 4) && item->submitted_at > 0)
        item->seconds_spent = MAX (0, (item->submitted_at - limner_stmt_column_int64 (stmt, 4)) / G_USEC_PER_SEC);
      item->n_shapes = limner_stmt_column_int64 (stmt, 5);
      g_ptr_array_add (items, item);
    }
  if (rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (store, error, _("Could not read the review queue"));
      limner_stmt_reset (stmt);
      return NULL;
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&items);
}

static gboolean
insert_mark_locked (LimnerStore            *store,
                    gint64                  review_id,
                    const LimnerImageRecord *image,
                    const LimnerReviewMark *mark,
                    GError                **error)
{
  LimnerStmt *stmt;

  if (mark->shape_id > 0
      && query_int64 (store, "SELECT image_id FROM shapes WHERE id = ?1", mark->shape_id, 0) != image->id)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("%s has no shape with id %" PRId64 " to mark"), image->path, mark->shape_id);
      return FALSE;
    }
  if (mark->shape_id <= 0 && (!isfinite (mark->x) || !isfinite (mark->y)
                              || mark->x < 0 || mark->y < 0
                              || mark->x > image->width || mark->y > image->height))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The marked point (%g, %g) lies outside %s"), mark->x, mark->y, image->path);
      return FALSE;
    }
  stmt = limner_store_prepare (store,
                               "INSERT INTO review_marks (review_id, shape_id, note, kind, x, y) "
                               "VALUES (?1, ?2, NULL, ?3, ?4, ?5)",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, review_id);
  limner_stmt_bind_int64 (stmt, 2, MAX (mark->shape_id, 0));
  limner_stmt_bind_text (stmt, 3, limner_mark_kind_to_string (mark->kind));
  if (mark->shape_id <= 0)
    {
      limner_stmt_bind_double (stmt, 4, mark->x);
      limner_stmt_bind_double (stmt, 5, mark->y);
    }
  return step_done (store, stmt, image->path, error);
}

/* Compares the submitted shapes with the image's shapes now. */
static gboolean
record_corrections_locked (LimnerStore *store, gint64 review_id, const LimnerImageRecord *image,
                           GError **error)
{
  static const char *const sql[] = {
    "INSERT INTO review_corrections (review_id, image_id, shape_id, change, label_id, points_before, reviewer) "
    "SELECT ?1, ?2, ss.shape_id, 'deleted', ss.label_id, ss.points, ?3 FROM submitted_shapes ss "
    "WHERE ss.image_id = ?2 AND NOT EXISTS (SELECT 1 FROM shapes s WHERE s.id = ss.shape_id)",
    "INSERT INTO review_corrections (review_id, image_id, shape_id, change, label_id, points_before, reviewer) "
    "SELECT ?1, ?2, ss.shape_id, 'changed', ss.label_id, ss.points, ?3 FROM submitted_shapes ss "
    "JOIN shapes s ON s.id = ss.shape_id WHERE ss.image_id = ?2 "
    "  AND (s.label_id IS DISTINCT FROM ss.label_id OR s.kind <> ss.kind OR s.points <> ss.points)",
    "INSERT INTO review_corrections (review_id, image_id, shape_id, change, label_id, points_before, reviewer) "
    "SELECT ?1, ?2, s.id, 'added', s.label_id, NULL, ?3 FROM shapes s WHERE s.image_id = ?2 "
    "  AND NOT EXISTS (SELECT 1 FROM submitted_shapes ss WHERE ss.image_id = ?2 AND ss.shape_id = s.id)",
    /* The corrected shapes are the reviewer's work now. */
    ("UPDATE shapes SET author = ?3 WHERE id IN (SELECT shape_id FROM review_corrections "
     "  WHERE review_id = ?1 AND change IN ('changed', 'added')) AND ?2 = ?2"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      LimnerStmt *stmt = limner_store_prepare (store, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      limner_stmt_bind_int64 (stmt, 1, review_id);
      limner_stmt_bind_int64 (stmt, 2, image->id);
      limner_stmt_bind_text (stmt, 3, limner_store_get_login (store));
      if (!step_done (store, stmt, image->path, error))
        return FALSE;
    }
  return TRUE;
}

gint64
limner_store_decide (LimnerStore             *store,
                     gint64                   image_id,
                     LimnerReviewDecision     decision,
                     const char              *comment,
                     const LimnerReviewMark  *marks,
                     guint                    n_marks,
                     GError                 **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *detail = NULL;
  LimnerStmt *stmt;
  gint64 review_id = 0;
  gint64 n_corrections = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), 0);
  g_return_val_if_fail (decision <= LIMNER_REVIEW_FIX, 0);
  g_return_val_if_fail (n_marks == 0 || marks != NULL, 0);

  if (!limner_store_require_role (store, LIMNER_ROLE_REVIEWER, error)
      || !limner_store_write_begin (store, error))
    return 0;
  if (limner_store_lock_image (store, image_id, error))
    image = limner_store_get_image (store, image_id, error);
  ok = image != NULL;
  if (ok && image->status != LIMNER_IMAGE_IN_REVIEW && image->status != LIMNER_IMAGE_SUBMITTED)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is %s, not waiting for review"), image->path,
                   limner_image_status_to_string (image->status));
      ok = FALSE;
    }
  if (ok)
    {
      stmt = limner_store_prepare (store,
                                   "INSERT INTO reviews (image_id, reviewer, annotator, decision, comment, created_at) "
                                   "VALUES (?1, ?2, (SELECT last_annotator FROM images WHERE id = ?1), ?3, ?4, ?5) "
                                   "RETURNING id",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image_id);
          limner_stmt_bind_text (stmt, 2, limner_store_get_login (store));
          limner_stmt_bind_text (stmt, 3, decision_names[decision]);
          limner_store_bind_text_or_null (stmt, 4, comment != NULL && *comment ? comment : NULL);
          limner_stmt_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
          ok = limner_store_step_id (store, stmt, image->path, &review_id, error);
        }
    }
  for (guint i = 0; ok && i < n_marks; i++)
    ok = insert_mark_locked (store, review_id, image, &marks[i], error);
  if (ok && decision != LIMNER_REVIEW_REJECT)
    ok = record_corrections_locked (store, review_id, image, error);
  if (ok)
    n_corrections = query_int64 (store, "SELECT count(*) FROM review_corrections WHERE review_id = ?1",
                                 review_id, 0);
  /* Accepting after editing is fixing: the image did not pass as submitted. */
  if (ok && decision == LIMNER_REVIEW_ACCEPT && n_corrections > 0)
    {
      decision = LIMNER_REVIEW_FIX;
      stmt = limner_store_prepare (store, "UPDATE reviews SET decision = 'fix' WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, review_id);
          ok = step_done (store, stmt, image->path, error);
        }
    }
  if (ok)
    {
      kind = g_strconcat ("review.", decision_names[decision], NULL);
      detail = g_strdup_printf ("{\"review\": %" PRId64 ", \"marks\": %u, \"corrections\": %" PRId64 "}",
                                review_id, n_marks, n_corrections);
      ok = limner_store_log_event_locked (store, kind, image_id, 0, detail, error);
    }
  if (ok)
    ok = limner_store_set_image_status (store, image_id,
                                        decision == LIMNER_REVIEW_REJECT ? LIMNER_IMAGE_REJECTED
                                                                         : LIMNER_IMAGE_ACCEPTED,
                                        error);
  if (!limner_store_write_end (store, ok, error))
    return 0;
  return review_id;
}

GPtrArray *
limner_store_list_corrections (LimnerStore  *store,
                               gint64        image_id,
                               GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "SELECT review_id, shape_id, change, label_id, reviewer FROM review_corrections "
                               "WHERE image_id = ?1 ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_correction_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerCorrection *c = g_new0 (LimnerCorrection, 1);

      c->review_id = limner_stmt_column_int64 (stmt, 0);
      c->shape_id = limner_stmt_column_int64 (stmt, 1);
      c->change = limner_store_column_dup (stmt, 2);
      c->label_id = limner_stmt_column_int64 (stmt, 3);
      c->reviewer = limner_store_column_dup (stmt, 4);
      g_ptr_array_add (list, c);
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&list);
}

GPtrArray *
limner_store_list_review_marks (LimnerStore  *store,
                                gint64        review_id,
                                GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  stmt = limner_store_prepare (store,
                               "SELECT shape_id, kind, x, y FROM review_marks WHERE review_id = ?1 ORDER BY rowid",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, review_id);
  list = g_ptr_array_new_with_free_func (g_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerReviewMark *mark = g_new0 (LimnerReviewMark, 1);

      mark->shape_id = limner_stmt_column_int64 (stmt, 0);
      if (!limner_mark_kind_from_string ((const char *) limner_stmt_column_text (stmt, 1), &mark->kind))
        mark->kind = LIMNER_MARK_WRONG_LABEL;
      mark->x = limner_stmt_column_double (stmt, 2);
      mark->y = limner_stmt_column_double (stmt, 3);
      g_ptr_array_add (list, mark);
    }
  limner_stmt_reset (stmt);
  return g_steal_pointer (&list);
}

/* Gold */

/* An accepted image's shapes become its reference; the image starts over. */
static gboolean
shapes_to_reference_locked (LimnerStore *store, LimnerImageRecord *image, GError **error)
{
  g_autoptr(GPtrArray) shapes = limner_store_list_shapes (store, image->id, error);
  LimnerStmt *stmt;

  if (shapes == NULL)
    return FALSE;
  for (guint i = 0; i < shapes->len; i++)
    {
      LimnerShape *shape = shapes->pdata[i];
      const double *p = (const double *) shape->points->data;
      LimnerReferenceShape ref = { 0 };
      g_autoptr(GArray) polygon = NULL;

      ref.image_id = image->id;
      ref.label_id = shape->label_id;
      ref.box[0] = ref.box[2] = p[0];
      ref.box[1] = ref.box[3] = p[1];
      for (guint k = 0; k < shape->points->len / 2; k++)
        {
          ref.box[0] = MIN (ref.box[0], p[2 * k]);
          ref.box[1] = MIN (ref.box[1], p[2 * k + 1]);
          ref.box[2] = MAX (ref.box[2], p[2 * k]);
          ref.box[3] = MAX (ref.box[3], p[2 * k + 1]);
        }
      if (shape->kind == LIMNER_SHAPE_BOX)
        {
          double corners[8] = { ref.box[0], ref.box[1], ref.box[2], ref.box[1],
                                ref.box[2], ref.box[3], ref.box[0], ref.box[3] };

          polygon = g_array_sized_new (FALSE, FALSE, sizeof (double), 8);
          g_array_append_vals (polygon, corners, 8);
        }
      else
        polygon = g_array_ref (shape->points);
      ref.polygon = polygon;
      if (!limner_store_add_reference_shape (store, &ref, error))
        return FALSE;
    }
  stmt = limner_store_prepare (store, "DELETE FROM shapes WHERE image_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image->id);
  if (!step_done (store, stmt, image->path, error))
    return FALSE;
  return limner_store_set_image_status (store, image->id, LIMNER_IMAGE_NEW, error);
}

gboolean
limner_store_set_gold (LimnerStore  *store,
                       gint64        image_id,
                       gboolean      gold,
                       GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);

  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (store, error))
    return FALSE;
  image = limner_store_get_image (store, image_id, error);
  ok = image != NULL;
  if (ok && gold && !limner_store_is_gold (store, image_id))
    {
      gboolean has_refs = query_int64 (store, "SELECT count(*) FROM reference_shapes WHERE image_id = ?1",
                                       image_id, 0) > 0;

      if (!has_refs && image->status == LIMNER_IMAGE_ACCEPTED)
        ok = shapes_to_reference_locked (store, image, error);
      else if (!has_refs)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("%s has no reference shapes and is not accepted, so it cannot be gold"),
                       image->path);
          ok = FALSE;
        }
      else if (image->status != LIMNER_IMAGE_NEW && image->status != LIMNER_IMAGE_IN_PROGRESS)
        {
          /* Its shapes are someone's finished work: keep them out of gold. */
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                       _("%s is %s; only a new or accepted image can become gold"), image->path,
                       limner_image_status_to_string (image->status));
          ok = FALSE;
        }
      if (ok)
        {
          stmt = limner_store_prepare (store,
                                       "INSERT INTO gold_images (image_id, marked_by, marked_at) VALUES (?1, ?2, ?3)",
                                       error);
          ok = stmt != NULL;
          if (ok)
            {
              limner_stmt_bind_int64 (stmt, 1, image_id);
              limner_stmt_bind_text (stmt, 2, limner_store_get_login (store));
              limner_stmt_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
              ok = step_done (store, stmt, image->path, error);
            }
          if (ok)
            ok = limner_store_log_event_locked (store, "gold.set", image_id, 0, NULL, error);
        }
    }
  else if (ok && !gold && limner_store_is_gold (store, image_id))
    {
      stmt = limner_store_prepare (store, "DELETE FROM gold_images WHERE image_id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image_id);
          ok = step_done (store, stmt, image->path, error);
        }
      if (ok)
        ok = limner_store_log_event_locked (store, "gold.unset", image_id, 0, NULL, error);
    }
  return limner_store_write_end (store, ok, error);
}

gint64
limner_store_next_gold_for_me (LimnerStore  *store,
                               GError      **error)
{
  LimnerStmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (store), 0);

  stmt = limner_store_prepare (store,
                               "SELECT i.id FROM images i JOIN gold_images g ON g.image_id = i.id "
                               "WHERE i.status = 'new' AND NOT EXISTS (SELECT 1 FROM gold_scores s "
                               "  WHERE s.image_id = i.id AND s.annotator = ?1) "
                               /* Work in hand comes first, as in claim_next(). */
                               "  AND NOT EXISTS (SELECT 1 FROM images h "
                               "    WHERE h.status = 'in_progress' AND h.assignee = ?1) "
                               "ORDER BY i.id LIMIT 1",
                               error);
  if (stmt == NULL)
    return 0;
  limner_stmt_bind_text (stmt, 1, limner_store_get_login (store));
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    id = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return id;
}
