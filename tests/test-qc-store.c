/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quality control through the store: roles, the recorded draw and its audit,
 * the review states, gold scoring and prediction outcomes. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "limner-qc.h"
#include "limner-queue.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"
#include "limner-store-stats.h"
#include "limner-store-versions.h"
#include "limner-store.h"
#include "limner-test-backend.h"

typedef struct {
  char        *dir;
  LimnerStore *lead;
  LimnerStore *ann1;
  LimnerStore *ann2;
  LimnerStore *rev;
  gint64       label_a;
  gint64       label_b;
} Fixture;

static char *
fake_sha (guint i)
{
  g_autofree char *text = g_strdup_printf ("image %u", i);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gint64
add_image (Fixture *f, guint i)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = fake_sha (i);
  g_autofree char *path = g_strdup_printf ("img-%05u.png", i);
  gint64 id = limner_store_add_image (f->lead, path, sha, 100, 100, 100, "png", &error);

  g_assert_no_error (error);
  return id;
}

static gint64
add_box (LimnerStore *store, gint64 image, gint64 label, LimnerShapeSource source,
         double x0, double y0, double x1, double y1)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double box[] = { x0, y0, x1, y1 };

  shape->image_id = image;
  shape->label_id = label;
  shape->source = source;
  shape->score = source == LIMNER_SOURCE_PREDICTION ? 0.9 : 1;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);
  return shape->id;
}

static LimnerStore *
open_as (Fixture *f, const char *login)
{
  g_autoptr(GError) error = NULL;
  LimnerStore *store = limner_store_open (f->dir, login, &error);

  g_assert_no_error (error);
  return store;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = limner_test_backend_new_project ("lead");
  f->lead = limner_store_create (f->dir, "QC", "lead", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (f->lead, "lead", LIMNER_ROLE_LEAD, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "rev", LIMNER_ROLE_REVIEWER, &error));
  f->label_a = limner_store_add_label (f->lead, "a", NULL, NULL, NULL, &error);
  f->label_b = limner_store_add_label (f->lead, "b", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->ann1 = open_as (f, "ann1");
  f->ann2 = open_as (f, "ann2");
  f->rev = open_as (f, "rev");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->lead);
  g_clear_object (&f->ann1);
  g_clear_object (&f->ann2);
  g_clear_object (&f->rev);
  limner_test_backend_remove (f->dir);
}

static LimnerImageStatus
status_of (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = limner_store_get_image (f->lead, id, &error);

  g_assert_no_error (error);
  return image->status;
}

/* Changes the database behind the store's back, as another tool would. */
static void
raw_sql (Fixture *f, const char *sql)
{
  g_assert_cmpint (limner_test_backend_raw_sql (f->dir, sql), ==, 0);
}

/* Forbidden actions, one test each. */

/* `error` is read after the call that fills it has run. */
static void
assert_refused (gboolean ok, GError **error, const char *login)
{
  g_assert_false (ok);
  g_assert_error (*error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr ((*error)->message, login));
}

static void
test_annotator_cannot_decide (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_image (f, 1);

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  g_assert_true (limner_store_submit (f->ann1, id, NULL, &error));
  assert_refused (limner_store_decide (f->ann1, id, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error) != 0,
                  &error, "ann1");
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_IN_REVIEW);
}

static void
test_annotator_cannot_mark_gold (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_image (f, 1);

  assert_refused (limner_store_set_gold (f->ann1, id, TRUE, &error), &error, "ann1");
  g_assert_false (limner_store_is_gold (f->lead, id));
}

static void
test_reviewer_cannot_set_rate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  assert_refused (limner_store_qc_set_rate (f->rev, 0.5, &error), &error, "rev");
  g_assert_cmpfloat (limner_store_qc_get_rate (f->lead), ==, LIMNER_QC_DEFAULT_RATE);
}

static void
test_reviewer_cannot_set_override (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  assert_refused (limner_store_qc_set_override (f->rev, "ann1", 1.0, 50, &error), &error, "rev");
  g_assert_false (limner_store_qc_get_override (f->lead, "ann1", NULL));
}

static void
test_annotator_cannot_set_gold_settings (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  assert_refused (limner_store_gold_set_rate (f->ann1, 0.5, &error), &error, "ann1");
  g_clear_error (&error);
  assert_refused (limner_store_gold_set_threshold (f->ann1, 0.9, &error), &error, "ann1");
  g_assert_cmpfloat (limner_store_gold_get_rate (f->lead), ==, LIMNER_GOLD_DEFAULT_RATE);
  g_assert_cmpfloat (limner_store_gold_get_threshold (f->lead), ==, LIMNER_GOLD_DEFAULT_THRESHOLD);
}

static void
test_reviewer_cannot_set_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  assert_refused (limner_store_set_user_roles (f->rev, "ann1", LIMNER_ROLE_LEAD, &error), &error, "rev");
  g_assert_cmpint (limner_store_get_user_roles (f->lead, "ann1"), ==, LIMNER_ROLE_ANNOTATOR);
}

static void
test_reviewer_cannot_submit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_image (f, 1);

  g_assert_false (limner_store_submit (f->rev, id, NULL, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_NEW);
}

/* The draw */

static void
test_draw_recorded_and_reproducible (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) draws = NULL;
  g_autoptr(GArray) sample1 = NULL;
  g_autoptr(GArray) sample2 = NULL;
  g_autoptr(GArray) sample3 = NULL;
  g_autofree char *seed = NULL;
  gint64 ids[40];

  g_assert_true (limner_store_qc_set_rate (f->lead, 0.3, &error));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = add_image (f, i);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      LimnerSubmitResult result;
      g_autofree char *sha = fake_sha (i);

      g_assert_true (limner_store_submit (i % 2 ? f->ann1 : f->ann2, ids[i], &result, &error));
      g_assert_no_error (error);
      g_clear_pointer (&seed, g_free);
      seed = limner_store_get_setting (f->lead, "qc.seed");
      g_assert_nonnull (seed);
      /* Anyone recomputes it from the seed, the hash and the count. */
      g_assert_cmpfloat (result.ticket, ==, limner_qc_ticket (seed, sha, 1));
      g_assert_cmpuint (result.submission, ==, 1);
      g_assert_cmpint (result.drawn, ==, result.ticket < 0.3);
      g_assert_cmpint (status_of (f, ids[i]), ==,
                       result.drawn ? LIMNER_IMAGE_IN_REVIEW : LIMNER_IMAGE_SUBMITTED);
    }
  draws = limner_store_list_draws (f->lead, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (draws->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < draws->len; i++)
    {
      LimnerQcDraw *draw = draws->pdata[i];

      g_assert_cmpstr (draw->seed, ==, seed);
      g_assert_cmpstr (draw->reason, ==, "draw");
      g_assert_cmpstr (draw->login, ==, i % 2 ? "ann1" : "ann2");
      g_assert_cmpfloat (draw->rate, ==, 0.3);
    }
  g_assert_true (limner_store_audit_draws (f->lead, NULL, &error));
  g_assert_no_error (error);

  /* The fixed-size sample: same seed, same sample; another seed, another. */
  sample1 = limner_store_review_sample (f->rev, "s1", 5, &error);
  sample2 = limner_store_review_sample (f->lead, "s1", 5, &error);
  sample3 = limner_store_review_sample (f->lead, "s2", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sample1->len, ==, 5);
  g_assert_cmpmem (sample1->data, 5 * sizeof (gint64), sample2->data, 5 * sizeof (gint64));
  g_assert_false (memcmp (sample1->data, sample3->data, 5 * sizeof (gint64)) == 0);
}

/* 10,000 submissions at 20 %: the drawn count is binomial (n = 10000,
 * p = 0.2; sd = 40), so it stays within 4.5 sd of 2,000. */
static void
test_draw_rate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const guint n = 10000;
  guint drawn = 0;
  g_autofree gint64 *ids = g_new (gint64, n);

  g_assert_true (limner_store_qc_set_rate (f->lead, 0.2, &error));
  g_assert_true (limner_store_begin (f->lead, &error));
  for (guint i = 0; i < n; i++)
    ids[i] = add_image (f, i);
  g_assert_true (limner_store_commit (f->lead, &error));
  for (guint i = 0; i < n; i++)
    {
      LimnerSubmitResult result;

      g_assert_true (limner_store_submit (f->ann1, ids[i], &result, &error));
      drawn += result.drawn;
    }
  g_test_message ("%u of %u drawn at rate 0.2", drawn, n);
  g_assert_cmpuint (drawn, >=, 2000 - 180);
  g_assert_cmpuint (drawn, <=, 2000 + 180);
  g_assert_cmpint (limner_store_count_images (f->lead, LIMNER_IMAGE_IN_REVIEW), ==, drawn);
}

static void
test_override (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LimnerSubmitResult result;
  gint64 ids[4];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = add_image (f, i);
  /* A new annotator: everything reviewed for their first two images. */
  g_assert_true (limner_store_qc_set_rate (f->lead, 0.0, &error));
  g_assert_true (limner_store_qc_set_override (f->lead, "ann1", 1.0, 2, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (limner_store_submit (f->ann1, ids[i], &result, &error));
      g_assert_cmpint (result.drawn, ==, i < 2);
      g_assert_cmpfloat (result.rate, ==, i < 2 ? 1.0 : 0.0);
    }
  g_assert_true (limner_store_submit (f->ann2, ids[3], &result, &error));
  g_assert_false (result.drawn);
  g_assert_true (limner_store_audit_draws (f->lead, NULL, &error));
}

static void
test_audit_catches_edit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; i < 6; i++)
    g_assert_true (limner_store_submit (f->ann1, add_image (f, i), NULL, &error));
  g_assert_true (limner_store_audit_draws (f->lead, &n, &error));
  g_assert_cmpuint (n, ==, 6);

  /* Someone flips the decision of the third image with sqlite3 or psql. */
  raw_sql (f, "UPDATE qc_draws SET drawn = 1 - drawn WHERE image_id = 3");
  g_assert_false (limner_store_audit_draws (f->lead, NULL, &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_DECISION_MISMATCH);
  g_assert_nonnull (strstr (error->message, "img-00002.png"));
  g_clear_error (&error);

  /* ... or puts it back and edits the ticket instead. */
  raw_sql (f, "UPDATE qc_draws SET drawn = 1 - drawn WHERE image_id = 3;"
              "UPDATE qc_draws SET ticket = ticket / 2 WHERE image_id = 5");
  g_assert_false (limner_store_audit_draws (f->lead, NULL, &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_TICKET_MISMATCH);
  g_assert_nonnull (strstr (error->message, "img-00004.png"));
}

/* new -> in_progress -> (claim expires) -> in_progress (other) -> in_review
 * -> rejected (back to its annotator) -> in_progress -> in_review (no draw)
 * -> accepted. */
static void
test_transitions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) claimed = NULL;
  g_autoptr(LimnerImageRecord) other = NULL;
  g_autoptr(LimnerImageRecord) back = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) draws = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  LimnerReviewMark mark = { 0, LIMNER_MARK_MISSING_OBJECT, 40, 50 };
  LimnerSubmitResult result;
  gint64 id = add_image (f, 1);
  gint64 id2;
  gint64 review;

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  claimed = limner_store_claim_next (f->ann1, &error);
  g_assert_cmpint (claimed->id, ==, id);
  /* ann1 goes idle past the claim timeout: ann2 takes the image over. */
  g_assert_true (limner_store_set_setting (f->lead, "claim_timeout", "60", &error));
  raw_sql (f, "UPDATE images SET claimed_at = claimed_at - 3600 WHERE id = 1");
  other = limner_store_claim_next (f->ann2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other->id, ==, id);
  g_assert_cmpstr (other->assignee, ==, "ann2");
  g_assert_false (limner_store_submit (f->ann1, id, NULL, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  id2 = add_image (f, 2);

  add_box (f->ann2, id, f->label_a, LIMNER_SOURCE_MANUAL, 1, 1, 10, 10);
  g_assert_true (limner_store_submit (f->ann2, id, &result, &error));
  g_assert_true (result.drawn);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_IN_REVIEW);
  queue = limner_store_review_queue (f->rev, &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpstr (((LimnerReviewItem *) queue->pdata[0])->author, ==, "ann2");
  g_assert_cmpuint (((LimnerReviewItem *) queue->pdata[0])->n_shapes, ==, 1);

  /* Rejected, with a comment and a point where an object was missed. */
  review = limner_store_decide (f->rev, id, LIMNER_REVIEW_REJECT, "One car is missing", &mark, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (review, >, 0);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_REJECTED);
  marks = limner_store_list_review_marks (f->ann2, review, &error);
  g_assert_cmpuint (marks->len, ==, 1);
  g_assert_cmpfloat (((LimnerReviewMark *) marks->pdata[0])->x, ==, 40);
  reviews = limner_store_list_reviews (f->ann2, id, &error);
  g_assert_cmpstr (((LimnerReviewRecord *) reviews->pdata[0])->comment, ==, "One car is missing");

  /* It goes back to ann2 first: ann1 gets the other image. */
  back = limner_store_claim_next (f->ann1, &error);
  g_assert_cmpint (back->id, ==, id2);
  g_clear_pointer (&back, limner_image_record_free);
  back = limner_store_claim_next (f->ann2, &error);
  g_assert_cmpint (back->id, ==, id);

  /* Resubmitted: straight back to review, recorded without a new draw (at a
   * rate so low that a draw would not take it: 1 in 10^12). */
  g_assert_true (limner_store_qc_set_rate (f->lead, 1e-12, &error));
  g_assert_true (limner_store_submit (f->ann2, id, &result, &error));
  g_assert_true (result.resubmitted);
  g_assert_true (result.drawn);
  g_assert_cmpuint (result.submission, ==, 2);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_IN_REVIEW);
  draws = limner_store_list_draws (f->lead, id, &error);
  g_assert_cmpuint (draws->len, ==, 2);
  g_assert_cmpstr (((LimnerQcDraw *) draws->pdata[1])->reason, ==, "resubmit");
  g_assert_true (limner_store_audit_draws (f->lead, NULL, &error));

  review = limner_store_decide (f->rev, id, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (review, >, 0);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_ACCEPTED);
  /* A decided image is no longer waiting. */
  g_assert_cmpint (limner_store_decide (f->rev, id, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
}

/* With the rate at 0, review is off: a rejected image resubmitted is done. */
static void
test_review_off (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LimnerSubmitResult result;
  gint64 id = add_image (f, 1);

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  g_assert_true (limner_store_submit (f->ann1, id, NULL, &error));
  g_assert_cmpint (limner_store_decide (f->rev, id, LIMNER_REVIEW_REJECT, "again", NULL, 0, &error), >, 0);
  g_assert_true (limner_store_qc_set_rate (f->lead, 0.0, &error));
  g_assert_true (limner_store_submit (f->ann1, id, &result, &error));
  g_assert_no_error (error);
  g_assert_false (result.resubmitted);
  g_assert_false (result.drawn);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_SUBMITTED);
  g_assert_true (limner_store_audit_draws (f->lead, NULL, &error));
}

static void
test_fix_corrections (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) corrections = NULL;
  g_autoptr(LimnerShape) changed = NULL;
  g_autoptr(LimnerShape) kept = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  gint64 id = add_image (f, 1);
  gint64 id2;
  gint64 s1, s2, s3, added;
  const char *expect[][2] = { { "deleted", NULL }, { "changed", NULL }, { "added", NULL } };

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  g_assert_true (limner_store_claim (f->ann1, id, &error));
  s1 = add_box (f->ann1, id, f->label_a, LIMNER_SOURCE_MANUAL, 1, 1, 10, 10);
  s2 = add_box (f->ann1, id, f->label_a, LIMNER_SOURCE_MANUAL, 20, 20, 30, 30);
  s3 = add_box (f->ann1, id, f->label_b, LIMNER_SOURCE_MANUAL, 40, 40, 50, 50);
  g_assert_true (limner_store_submit (f->ann1, id, NULL, &error));

  /* The reviewer relabels s1, deletes s2, adds one, and accepts. */
  changed = limner_store_get_shape (f->rev, s1, &error);
  changed->label_id = f->label_b;
  g_assert_true (limner_store_update_shape (f->rev, changed, &error));
  g_assert_true (limner_store_delete_shape (f->rev, s2, 0, &error));
  added = add_box (f->rev, id, f->label_a, LIMNER_SOURCE_MANUAL, 60, 60, 70, 70);
  g_assert_cmpint (limner_store_decide (f->rev, id, LIMNER_REVIEW_FIX, NULL, NULL, 0, &error), >, 0);
  g_assert_no_error (error);

  corrections = limner_store_list_corrections (f->lead, id, &error);
  g_assert_cmpuint (corrections->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      LimnerCorrection *c = corrections->pdata[i];

      g_assert_cmpstr (c->change, ==, expect[i][0]);
      g_assert_cmpstr (c->reviewer, ==, "rev");
      g_assert_cmpint (c->shape_id, ==, i == 0 ? s2 : i == 1 ? s1 : added);
    }
  /* The label before the change is kept for the record. */
  g_assert_cmpint (((LimnerCorrection *) corrections->pdata[1])->label_id, ==, f->label_a);
  g_clear_pointer (&changed, limner_shape_free);
  changed = limner_store_get_shape (f->lead, s1, &error);
  g_assert_cmpstr (changed->author, ==, "rev");
  kept = limner_store_get_shape (f->lead, s3, &error);
  g_assert_cmpstr (kept->author, ==, "ann1");
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_ACCEPTED);

  /* Edit, then accept (A in the window): recorded as a fix. */
  id2 = add_image (f, 2);
  g_assert_true (limner_store_claim (f->ann1, id2, &error));
  add_box (f->ann1, id2, f->label_a, LIMNER_SOURCE_MANUAL, 1, 1, 10, 10);
  g_assert_true (limner_store_submit (f->ann1, id2, NULL, &error));
  add_box (f->rev, id2, f->label_b, LIMNER_SOURCE_MANUAL, 60, 60, 70, 70);
  g_assert_cmpint (limner_store_decide (f->rev, id2, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error), >, 0);
  reviews = limner_store_list_reviews (f->lead, id2, &error);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_cmpstr (((LimnerReviewRecord *) reviews->pdata[0])->decision, ==, "fix");
}

/* Hand-made gold: reference boxes A (10,10)-(30,30) and B (50,50)-(60,60).
 * The annotator draws A as (10,10)-(30,40): overlap 20 x 20 = 400, union
 * 400 + 600 - 400 = 600, IoU 2/3 >= 0.5, a match; an extra A at
 * (70,70)-(80,80) is a false positive; B is missed. So tp 1, fp 1, fn 1,
 * precision 1/2, recall 1/2, mean IoU 2/3. */
static void
test_gold (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scores = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GPtrArray) published = NULL;
  g_autoptr(LimnerImageRecord) served = NULL;
  g_autoptr(LimnerImageRecord) next = NULL;
  LimnerReferenceShape ref_a = { 0 }, ref_b = { 0 };
  double poly_a[] = { 10, 10, 30, 10, 30, 30, 10, 30 };
  double poly_b[] = { 50, 50, 60, 50, 60, 60, 50, 60 };
  LimnerSubmitResult result;
  gint64 gold = add_image (f, 1);
  gint64 plain = add_image (f, 2);
  const LimnerGoldScoreRecord *record;

  ref_a = (LimnerReferenceShape) { 0, gold, f->label_a, g_array_new (FALSE, FALSE, sizeof (double)),
                                   { 10, 10, 30, 30 } };
  ref_b = (LimnerReferenceShape) { 0, gold, f->label_b, g_array_new (FALSE, FALSE, sizeof (double)),
                                   { 50, 50, 60, 60 } };
  g_array_append_vals (ref_a.polygon, poly_a, 8);
  g_array_append_vals (ref_b.polygon, poly_b, 8);
  g_assert_true (limner_store_add_reference_shape (f->lead, &ref_a, &error));
  g_assert_true (limner_store_add_reference_shape (f->lead, &ref_b, &error));
  g_array_unref (ref_a.polygon);
  g_array_unref (ref_b.polygon);
  /* Without a reference and not accepted: refused. */
  g_assert_false (limner_store_set_gold (f->lead, plain, TRUE, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (limner_store_set_gold (f->lead, gold, TRUE, &error));
  g_assert_no_error (error);

  /* The plain queue skips it; at gold rate 1 the annotator's queue serves it,
   * with none of the reference among its shapes. */
  g_assert_true (limner_store_gold_set_rate (f->lead, 1.0, &error));
  served = limner_queue_next (f->ann1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (served->id, ==, gold);
  shapes = limner_store_list_shapes (f->ann1, gold, &error);
  g_assert_cmpuint (shapes->len, ==, 0);
  next = limner_store_claim_next (f->ann2, &error);
  g_assert_cmpint (next->id, ==, plain);

  add_box (f->ann1, gold, f->label_a, LIMNER_SOURCE_MANUAL, 10, 10, 30, 40);
  add_box (f->ann1, gold, f->label_a, LIMNER_SOURCE_MANUAL, 70, 70, 80, 80);
  g_assert_true (limner_store_submit (f->ann1, gold, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.gold);
  g_assert_false (result.drawn);
  g_assert_cmpuint (result.gold_score.tp, ==, 1);
  g_assert_cmpuint (result.gold_score.fp, ==, 1);
  g_assert_cmpuint (result.gold_score.fn, ==, 1);
  g_assert_cmpfloat_with_epsilon (result.gold_score.precision, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (result.gold_score.recall, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (result.gold_score.mean_iou, 2.0 / 3.0, 1e-9);

  scores = limner_store_list_gold_scores (f->lead, &error);
  g_assert_cmpuint (scores->len, ==, 1);
  record = scores->pdata[0];
  g_assert_cmpstr (record->annotator, ==, "ann1");
  g_assert_cmpfloat_with_epsilon (record->score.mean_iou, 2.0 / 3.0, 1e-9);

  /* The score feeds the analytics: ann1's figures over all time. */
  {
    LimnerStatsQuery query = { NULL, NULL, "ann1", LIMNER_STATS_BY_RANGE, NULL };
    g_autoptr(LimnerStatsResult) stats = limner_store_compute_stats (f->lead, &query, NULL, &error);
    const LimnerUserCounts *counts;
    guint at = 0;

    g_assert_no_error (error);
    g_assert_true (stats->has_gold);
    g_assert_true (g_ptr_array_find_with_equal_func (stats->logins, "ann1", g_str_equal, &at));
    counts = &g_array_index (stats->total.counts, LimnerUserCounts, at);
    g_assert_cmpuint (counts->gold_tp, ==, 1);
    g_assert_cmpuint (counts->gold_fp, ==, 1);
    g_assert_cmpuint (counts->gold_fn, ==, 1);
    g_assert_cmpfloat_with_epsilon (counts->gold_iou_sum, 2.0 / 3.0, 1e-9);
  }

  /* The attempt left the image; it waits, new, for the next annotator, and
   * ann1 is not served it again. */
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = limner_store_list_shapes (f->lead, gold, &error);
  g_assert_cmpuint (shapes->len, ==, 0);
  g_assert_cmpint (status_of (f, gold), ==, LIMNER_IMAGE_NEW);
  g_assert_cmpint (limner_store_next_gold_for_me (f->ann1, &error), ==, 0);
  /* ann2 holds the plain image: their work in hand comes first. */
  g_assert_cmpint (limner_store_next_gold_for_me (f->ann2, &error), ==, 0);
  g_assert_true (limner_store_release (f->ann2, plain, &error));
  g_assert_cmpint (limner_store_next_gold_for_me (f->ann2, &error), ==, gold);

  /* Never in a dataset, whatever the policy. */
  published = limner_store_list_policy_images (f->lead, LIMNER_PUBLISH_ALL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < published->len; i++)
    g_assert_cmpint (((LimnerImageRecord *) published->pdata[i])->id, !=, gold);
  g_assert_cmpuint (published->len, ==, 1);
}

static void
test_gold_from_accepted (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  gint64 id = add_image (f, 1);

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  g_assert_true (limner_store_claim (f->ann1, id, &error));
  add_box (f->ann1, id, f->label_a, LIMNER_SOURCE_MANUAL, 5, 6, 25, 26);
  g_assert_true (limner_store_submit (f->ann1, id, NULL, &error));
  g_assert_true (limner_store_decide (f->rev, id, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error) > 0);
  g_assert_true (limner_store_set_gold (f->lead, id, TRUE, &error));
  g_assert_no_error (error);

  refs = limner_store_list_reference_shapes (f->lead, id, &error);
  g_assert_cmpuint (refs->len, ==, 1);
  g_assert_cmpfloat (((LimnerReferenceShape *) refs->pdata[0])->box[0], ==, 5);
  g_assert_cmpfloat (((LimnerReferenceShape *) refs->pdata[0])->box[3], ==, 26);
  shapes = limner_store_list_shapes (f->lead, id, &error);
  g_assert_cmpuint (shapes->len, ==, 0);
  g_assert_cmpint (status_of (f, id), ==, LIMNER_IMAGE_NEW);
  g_assert_true (limner_store_is_gold (f->lead, id));
}

/* Predictions on one image: label a has three, label b one. The annotator
 * keeps one a, moves one a, deletes one a, adds an a the model missed, and
 * keeps b. a: kept 1, corrected 1, deleted 1, missed 1, precision 2/3,
 * recall 2/3; b: kept 1, precision 1, recall 1. */
static void
test_prediction_outcomes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(LimnerShape) moved = NULL;
  gint64 id = add_image (f, 1);
  gint64 p2, p3;
  const LimnerPredictionOutcome *a, *b;

  add_box (f->lead, id, f->label_a, LIMNER_SOURCE_PREDICTION, 1, 1, 10, 10);
  p2 = add_box (f->lead, id, f->label_a, LIMNER_SOURCE_PREDICTION, 20, 20, 30, 30);
  p3 = add_box (f->lead, id, f->label_a, LIMNER_SOURCE_PREDICTION, 40, 40, 50, 50);
  add_box (f->lead, id, f->label_b, LIMNER_SOURCE_PREDICTION, 60, 60, 70, 70);

  /* Not moderated yet: nothing counts. */
  before = limner_store_prediction_outcomes (f->lead, &error);
  g_assert_no_error (error);
  a = before->pdata[0];
  g_assert_cmpuint (a->kept + a->corrected + a->deleted + a->missed, ==, 0);

  g_assert_true (limner_store_qc_set_rate (f->lead, 0.0, &error));
  g_assert_true (limner_store_claim (f->ann1, id, &error));
  moved = limner_store_get_shape (f->ann1, p2, &error);
  g_array_index (moved->points, double, 2) = 33;
  g_assert_true (limner_store_update_shape (f->ann1, moved, &error));
  g_assert_true (limner_store_delete_shape (f->ann1, p3, 0, &error));
  add_box (f->ann1, id, f->label_a, LIMNER_SOURCE_MANUAL, 80, 80, 90, 90);
  g_assert_true (limner_store_submit (f->ann1, id, NULL, &error));
  g_assert_no_error (error);

  outcomes = limner_store_prediction_outcomes (f->lead, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 2);
  a = outcomes->pdata[0];
  b = outcomes->pdata[1];
  g_assert_cmpstr (a->label, ==, "a");
  g_assert_cmpuint (a->kept, ==, 1);
  g_assert_cmpuint (a->corrected, ==, 1);
  g_assert_cmpuint (a->deleted, ==, 1);
  g_assert_cmpuint (a->missed, ==, 1);
  g_assert_cmpfloat_with_epsilon (a->precision, 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (a->recall, 2.0 / 3.0, 1e-12);
  g_assert_cmpuint (b->kept, ==, 1);
  g_assert_cmpuint (b->corrected + b->deleted + b->missed, ==, 0);
  g_assert_cmpfloat (b->precision, ==, 1);
  g_assert_cmpfloat (b->recall, ==, 1);
}

static void
test_counts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) by_label = NULL;
  LimnerQcFilter only_b = { 0, 0, NULL, NULL, "b", -1 };
  const LimnerQcCounts *c1, *c2;
  gint64 ids[5];

  g_assert_true (limner_store_qc_set_rate (f->lead, 1.0, &error));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      LimnerStore *ann = i < 3 ? f->ann1 : f->ann2;

      ids[i] = add_image (f, i);
      g_assert_true (limner_store_claim (ann, ids[i], &error));
      add_box (ann, ids[i], i == 0 ? f->label_b : f->label_a, LIMNER_SOURCE_MANUAL, 1, 1, 5, 5);
      g_assert_true (limner_store_submit (ann, ids[i], NULL, &error));
    }
  g_assert_true (limner_store_decide (f->rev, ids[0], LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error) > 0);
  g_assert_true (limner_store_decide (f->rev, ids[1], LIMNER_REVIEW_REJECT, "no", NULL, 0, &error) > 0);
  g_assert_true (limner_store_decide (f->rev, ids[3], LIMNER_REVIEW_FIX, NULL, NULL, 0, &error) > 0);

  all = limner_store_qc_counts (f->lead, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  c1 = all->pdata[0];
  c2 = all->pdata[1];
  g_assert_cmpstr (c1->annotator, ==, "ann1");
  g_assert_cmpuint (c1->accepted, ==, 1);
  g_assert_cmpuint (c1->rejected, ==, 1);
  g_assert_cmpuint (c1->waiting, ==, 1);
  g_assert_cmpstr (c2->annotator, ==, "ann2");
  g_assert_cmpuint (c2->fixed, ==, 1);
  g_assert_cmpuint (c2->waiting, ==, 1);

  by_label = limner_store_qc_counts (f->lead, &only_b, &error);
  g_assert_cmpuint (by_label->len, ==, 1);
  c1 = by_label->pdata[0];
  g_assert_cmpuint (c1->accepted, ==, 1);
  g_assert_cmpuint (c1->rejected + c1->fixed + c1->waiting, ==, 0);
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "/qc-store/forbidden/annotator-decides", test_annotator_cannot_decide },
    { "/qc-store/forbidden/annotator-marks-gold", test_annotator_cannot_mark_gold },
    { "/qc-store/forbidden/reviewer-sets-rate", test_reviewer_cannot_set_rate },
    { "/qc-store/forbidden/reviewer-sets-override", test_reviewer_cannot_set_override },
    { "/qc-store/forbidden/annotator-sets-gold-settings", test_annotator_cannot_set_gold_settings },
    { "/qc-store/forbidden/reviewer-sets-roles", test_reviewer_cannot_set_roles },
    { "/qc-store/forbidden/reviewer-submits", test_reviewer_cannot_submit },
    { "/qc-store/draw/recorded-and-reproducible", test_draw_recorded_and_reproducible },
    { "/qc-store/draw/rate-over-10000", test_draw_rate },
    { "/qc-store/draw/override", test_override },
    { "/qc-store/draw/audit-catches-edit", test_audit_catches_edit },
    { "/qc-store/review/transitions", test_transitions },
    { "/qc-store/review/review-off", test_review_off },
    { "/qc-store/review/fix-corrections", test_fix_corrections },
    { "/qc-store/review/counts", test_counts },
    { "/qc-store/gold/score", test_gold },
    { "/qc-store/gold/from-accepted", test_gold_from_accepted },
    { "/qc-store/predictions/outcomes", test_prediction_outcomes },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);
  return g_test_run ();
}
