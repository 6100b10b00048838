/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-queue.c: the work queue: claims, releases and the status workflow.
 *
 * Concurrency. On SQLite, BEGIN IMMEDIATE lets one writer in at a time, so
 * a claim's check and its update can never interleave with another's. On
 * PostgreSQL many writers run at once (READ COMMITTED), so a call that
 * decides from an image's row first locks that row: claim_next() picks its
 * candidate with FOR NO KEY UPDATE SKIP LOCKED, so that two annotators asking
 * at once get two different images without waiting for each other, and the
 * calls on a given image (claim, release, a status change, submit, a review
 * decision) lock it with limner_store_lock_image() and then read it, so that
 * the second of two waits for the first and sees what it wrote. NO KEY
 * UPDATE rather than UPDATE: it still excludes every other claim, but not the
 * key-share lock that inserting a shape of the image takes, so saving shapes
 * never waits for a claim. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-private.h"
#include "limner-store-qc.h"

#define DEFAULT_CLAIM_TIMEOUT_S (30 * 60)

static gint64
claim_timeout (LimnerStore *self)
{
  g_autofree char *value = limner_store_get_setting (self, "claim_timeout");
  gint64 seconds;

  if (value != NULL && g_ascii_string_to_signed (value, 10, 1, G_MAXINT32, &seconds, NULL))
    return seconds;
  return DEFAULT_CLAIM_TIMEOUT_S;
}

gboolean
limner_store_lock_image (LimnerStore  *self,
                         gint64        image_id,
                         GError      **error)
{
  LimnerStmt *stmt;

  if (!limner_store_is_pg (self))
    return TRUE;
  g_assert (self->write_depth > 0 || self->in_batch);
  stmt = limner_store_prepare (self, "SELECT id FROM images WHERE id = ?1 FOR NO KEY UPDATE", error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image_id);
  /* No row is no error: the caller's read reports a missing image, and
   * row-level security hides the rows that the user may not change. */
  if (limner_stmt_step (stmt) == LIMNER_DB_ERROR)
    {
      g_autofree char *what = g_strdup_printf (_("Could not lock image %" G_GINT64_FORMAT), image_id);

      limner_store_set_sqlite_error (self, error, what);
      limner_stmt_reset (stmt);
      return FALSE;
    }
  limner_stmt_reset (stmt);
  return TRUE;
}

static gboolean
claim_locked (LimnerStore *self, LimnerImageRecord *image, GError **error)
{
  LimnerStmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok;

  stmt = limner_store_prepare (self,
                               "UPDATE images SET status = 'in_progress', assignee = ?2, claimed_at = ?3, "
                               "last_annotator = ?2 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, image->id);
  limner_stmt_bind_text (stmt, 2, self->login);
  limner_stmt_bind_int64 (stmt, 3, now);
  ok = limner_store_step_done (self, stmt, image->path, error);
  /* The server's row-level security skips, without an error, a row that the
   * user may not change. */
  if (ok && limner_db_changes (limner_store_db (self)) != 1)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s could not be claimed by %s: the server refused it"), image->path, self->login);
      ok = FALSE;
    }
  if (ok)
    {
      image->status = LIMNER_IMAGE_IN_PROGRESS;
      g_free (image->assignee);
      image->assignee = g_strdup (self->login);
      image->claimed_at = now;
      ok = limner_store_log_event_locked (self, "image.claim", image->id, 0, NULL, error);
    }
  return ok;
}

/* Whether the acting user may take `image` now. */
static gboolean
claimable (LimnerStore *self, const LimnerImageRecord *image, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean stale = image->claimed_at + claim_timeout (self) < now;

  switch (image->status)
    {
    case LIMNER_IMAGE_NEW:
    case LIMNER_IMAGE_REJECTED:
      if (image->assignee == NULL || g_str_equal (image->assignee, self->login))
        return TRUE;
      break;
    case LIMNER_IMAGE_IN_PROGRESS:
      if (image->assignee == NULL || g_str_equal (image->assignee, self->login) || stale)
        return TRUE;
      break;
    case LIMNER_IMAGE_SUBMITTED:
    case LIMNER_IMAGE_IN_REVIEW:
    case LIMNER_IMAGE_ACCEPTED:
    default:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is %s and cannot be claimed"), image->path,
                   limner_image_status_to_string (image->status));
      return FALSE;
    }
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
               _("%s is held by %s"), image->path, image->assignee);
  return FALSE;
}

/* Own work first (an image already held, then rejected work sent back),
 * then new images, then rejected work of no one and stale claims of others;
 * the lowest id first within each. One query per tier, each answered from
 * an index with LIMIT 1, so that a claim costs the same in a project of a
 * thousand images or of a million: a single query ordered by tier had to
 * gather and sort every candidate (177 ms at 100,000 images on PostgreSQL). */
#define CLAIM_TIER(condition) \
  "SELECT " LIMNER_STORE_IMAGE_COLUMNS " FROM images WHERE " condition \
  " AND " LIMNER_STORE_QC_NOT_GOLD_FOR_1 " ORDER BY id LIMIT 1"
#define CLAIM_TIERS(lock) { \
    CLAIM_TIER ("status = 'in_progress' AND assignee = ?1") lock, \
    CLAIM_TIER ("status IN ('new', 'rejected') AND assignee = ?1") lock, \
    CLAIM_TIER ("status = 'new' AND assignee IS NULL") lock, \
    CLAIM_TIER ("((status = 'rejected' AND assignee IS NULL) " \
                "OR (status = 'in_progress' AND claimed_at < ?2))") lock, \
  }

LimnerImageRecord *
limner_store_claim_next (LimnerStore *self, GError **error)
{
  static const char *const lite_tiers[] = CLAIM_TIERS ("");
  /* On PostgreSQL, a candidate that another annotator's claim has locked
   * is skipped, not waited for: the next one is as good. */
  static const char *const pg_tiers[] = CLAIM_TIERS (" FOR NO KEY UPDATE SKIP LOCKED");
  const char *const *tiers = limner_store_is_pg (self) ? pg_tiers : lite_tiers;
  g_autoptr(LimnerImageRecord) image = NULL;
  gint64 stale_before;
  gboolean ok = TRUE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR, error)
      || !limner_store_write_begin (self, error))
    return NULL;

  stale_before = g_get_real_time () / G_USEC_PER_SEC - claim_timeout (self);
  for (guint i = 0; ok && image == NULL && i < G_N_ELEMENTS (lite_tiers); i++)
    {
      LimnerStmt *stmt = limner_store_prepare (self, tiers[i], error);

      ok = stmt != NULL;
      if (!ok)
        break;
      limner_stmt_bind_text (stmt, 1, self->login);
      if (limner_stmt_param_count (stmt) >= 2)
        limner_stmt_bind_int64 (stmt, 2, stale_before);
      switch (limner_stmt_step (stmt))
        {
        case LIMNER_DB_ROW:
          image = limner_store_image_from_row (stmt);
          break;
        case LIMNER_DB_DONE:
          break;
        default:
          limner_store_set_sqlite_error (self, error, _("Could not find the next image"));
          ok = FALSE;
          break;
        }
      limner_stmt_reset (stmt);
    }
  if (ok && image != NULL)
    ok = claim_locked (self, image, error);
  if (!limner_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&image);
}

gboolean
limner_store_claim (LimnerStore *self, gint64 image_id, GError **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  if (limner_store_lock_image (self, image_id, error))
    image = limner_store_get_image (self, image_id, error);
  ok = image != NULL && claimable (self, image, error);
  if (ok && !(image->status == LIMNER_IMAGE_IN_PROGRESS
              && g_strcmp0 (image->assignee, self->login) == 0))
    ok = claim_locked (self, image, error);
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_release (LimnerStore *self, gint64 image_id, GError **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  if (limner_store_lock_image (self, image_id, error))
    image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok && image->status != LIMNER_IMAGE_IN_PROGRESS)
    return limner_store_write_end (self, TRUE, error);
  if (ok && g_strcmp0 (image->assignee, self->login) != 0
      && !(limner_store_get_roles (self) & LIMNER_ROLE_LEAD))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is held by %s, not by %s"), image->path, image->assignee, self->login);
      ok = FALSE;
    }
  if (ok)
    {
      /* Work that came back from review keeps its annotator. */
      stmt = limner_store_prepare (self,
                                   "UPDATE images SET "
                                   "  status = CASE WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.image_id = images.id "
                                   "    AND r.decision = 'reject') THEN 'rejected' ELSE 'new' END, "
                                   "  assignee = CASE WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.image_id = images.id "
                                   "    AND r.decision = 'reject') THEN assignee ELSE NULL END, "
                                   "  claimed_at = 0 WHERE id = ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image_id);
          ok = limner_store_step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "image.release", image_id, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

static gboolean
transition_allowed (LimnerImageStatus from, LimnerImageStatus to)
{
  switch (to)
    {
    case LIMNER_IMAGE_NEW:
      return TRUE; /* a lead resets an image */
    case LIMNER_IMAGE_IN_PROGRESS:
      return from == LIMNER_IMAGE_NEW || from == LIMNER_IMAGE_REJECTED || from == LIMNER_IMAGE_IN_PROGRESS;
    case LIMNER_IMAGE_SUBMITTED:
      return from == LIMNER_IMAGE_IN_PROGRESS;
    case LIMNER_IMAGE_IN_REVIEW:
      return from == LIMNER_IMAGE_SUBMITTED;
    case LIMNER_IMAGE_ACCEPTED:
    case LIMNER_IMAGE_REJECTED:
      return from == LIMNER_IMAGE_IN_REVIEW || from == LIMNER_IMAGE_SUBMITTED;
    case LIMNER_IMAGE_N_STATUS:
    default:
      return FALSE;
    }
}

gboolean
limner_store_set_image_status (LimnerStore        *self,
                               gint64              image_id,
                               LimnerImageStatus   status,
                               GError            **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autofree char *detail = NULL;
  LimnerRole need;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, FALSE);

  switch (status)
    {
    case LIMNER_IMAGE_IN_PROGRESS:
    case LIMNER_IMAGE_SUBMITTED:
      need = LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_LEAD;
      break;
    case LIMNER_IMAGE_IN_REVIEW:
    case LIMNER_IMAGE_ACCEPTED:
    case LIMNER_IMAGE_REJECTED:
      need = LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD;
      break;
    case LIMNER_IMAGE_NEW:
    case LIMNER_IMAGE_N_STATUS:
    default:
      need = LIMNER_ROLE_LEAD;
      break;
    }
  if (!limner_store_require_role (self, need, error)
      || !limner_store_write_begin (self, error))
    return FALSE;

  if (limner_store_lock_image (self, image_id, error))
    image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok && !transition_allowed (image->status, status))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s cannot go from %s to %s"), image->path,
                   limner_image_status_to_string (image->status), limner_image_status_to_string (status));
      ok = FALSE;
    }
  /* Only the holder submits, unless a lead steps in. */
  if (ok && status == LIMNER_IMAGE_SUBMITTED && image->assignee != NULL
      && !g_str_equal (image->assignee, self->login)
      && !(limner_store_get_roles (self) & LIMNER_ROLE_LEAD))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is held by %s, not by %s"), image->path, image->assignee, self->login);
      ok = FALSE;
    }
  if (ok)
    {
      /* Rejected work goes back to the annotator who submitted it; a reset
       * image (new) belongs to no one. */
      stmt = limner_store_prepare (self,
                                   "UPDATE images SET status = ?2, "
                                   "  assignee = CASE ?2 WHEN 'new' THEN NULL "
                                   "    WHEN 'in_progress' THEN ?3 "
                                   "    WHEN 'rejected' THEN last_annotator ELSE assignee END, "
                                   "  last_annotator = CASE ?2 WHEN 'in_progress' THEN ?3 "
                                   "    WHEN 'submitted' THEN COALESCE(assignee, ?3) ELSE last_annotator END, "
                                   "  claimed_at = CASE ?2 WHEN 'in_progress' THEN ?4 ELSE 0 END "
                                   "WHERE id = ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_int64 (stmt, 1, image_id);
          limner_stmt_bind_text (stmt, 2, limner_image_status_to_string (status));
          limner_stmt_bind_text (stmt, 3, self->login);
          limner_stmt_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
          ok = limner_store_step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    {
      detail = g_strdup_printf ("{\"from\": \"%s\", \"to\": \"%s\"}",
                                limner_image_status_to_string (image->status), limner_image_status_to_string (status));
      ok = limner_store_log_event_locked (self, "image.status", image_id, 0, detail, error);
    }
  return limner_store_write_end (self, ok, error);
}
