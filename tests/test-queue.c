/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the annotator's queue (limner-queue.c) and of reading reviews
 * (limner-store-reviews.c): who takes an image on opening it, who may edit
 * it, submitting with and without a claim, and reviewers' comments. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "limner-queue.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"
#include "limner-store.h"
#include "limner-test-backend.h"

typedef struct {
  char        *dir;
  LimnerStore *lead;
  LimnerStore *ann1;
  LimnerStore *ann2;
  LimnerStore *rev;
  gint64       ids[3];
} Fixture;

static LimnerStore *
open_as (Fixture    *f,
         const char *login)
{
  g_autoptr(GError) error = NULL;
  LimnerStore *store = limner_store_open (f->dir, login, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = limner_test_backend_new_project ("lead");
  /* A lead who only leads: the creator gets every role, so take two away. */
  f->lead = limner_store_create (f->dir, "Queue", "lead", &error);
  g_assert_no_error (error);
  /* These tests follow the queue, not the review draw: nothing is drawn. */
  g_assert_true (limner_store_qc_set_rate (f->lead, 0.0, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "rev", LIMNER_ROLE_REVIEWER, &error));
  g_assert_true (limner_store_set_user_roles (f->lead, "lead", LIMNER_ROLE_LEAD, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    {
      g_autofree char *path = g_strdup_printf ("image-%u.png", i + 1);
      g_autofree char *sha = g_strnfill (64, 'a' + i);

      f->ids[i] = limner_store_add_image (f->lead, path, sha, 100, 64, 48, "png", &error);
      g_assert_no_error (error);
    }
  f->ann1 = open_as (f, "ann1");
  f->ann2 = open_as (f, "ann2");
  f->rev = open_as (f, "rev");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->lead);
  g_clear_object (&f->ann1);
  g_clear_object (&f->ann2);
  g_clear_object (&f->rev);
  limner_test_backend_remove (f->dir);
}

static LimnerImageRecord *
get (LimnerStore *store,
     gint64       id)
{
  g_autoptr(GError) error = NULL;
  LimnerImageRecord *image = limner_store_get_image (store, id, &error);

  g_assert_no_error (error);
  return image;
}

static LimnerShape *
box_on (gint64 image_id)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double corners[4] = { 1, 2, 30, 40 };

  shape->image_id = image_id;
  g_array_append_vals (shape->points, corners, 4);
  return shape;
}

static void
test_open_claims (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) before = get (f->ann1, f->ids[0]);
  g_autoptr(LimnerImageRecord) opened = NULL;
  g_autoptr(LimnerImageRecord) other = NULL;
  g_autoptr(LimnerImageRecord) by_rev = NULL;
  g_autoptr(LimnerShape) shape = box_on (f->ids[0]);

  g_assert_false (limner_queue_can_edit (f->ann1, before));
  g_assert_true (limner_queue_can_edit (f->rev, before));
  g_assert_true (limner_queue_can_edit (f->lead, before));

  opened = limner_queue_open (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->status, ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_cmpstr (opened->assignee, ==, "ann1");
  g_assert_true (limner_queue_can_edit (f->ann1, opened));
  /* The store agrees: the holder's edit is taken. */
  g_assert_true (limner_store_insert_shape (f->ann1, shape, &error));
  g_assert_no_error (error);

  /* The second annotator sees it held, cannot edit, and does not take it. */
  other = limner_queue_open (f->ann2, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (other->status, ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_cmpstr (other->assignee, ==, "ann1");
  g_assert_false (limner_queue_can_edit (f->ann2, other));

  /* A reviewer opening a new image leaves it new. */
  by_rev = limner_queue_open (f->rev, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_rev->status, ==, LIMNER_IMAGE_NEW);
  g_assert_null (by_rev->assignee);

  g_assert_null (limner_queue_open (f->ann1, 999, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
}

static void
test_submit (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) first = NULL;
  g_autoptr(LimnerImageRecord) second = NULL;
  g_autoptr(LimnerImageRecord) third = NULL;
  g_autoptr(LimnerImageRecord) opened = NULL;

  /* Held by ann1: ann2 cannot submit it, and nothing changes. */
  opened = limner_queue_open (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_false (limner_queue_submit (f->ann2, f->ids[0], &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "ann1"));
  g_clear_error (&error);
  first = get (f->lead, f->ids[0]);
  g_assert_cmpint (first->status, ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_cmpstr (first->assignee, ==, "ann1");
  g_assert_false (limner_store_in_batch (f->ann2));

  /* The holder submits; after that the image is no longer theirs to edit. */
  g_assert_true (limner_queue_submit (f->ann1, f->ids[0], &error));
  g_assert_no_error (error);
  g_clear_pointer (&first, limner_image_record_free);
  first = get (f->ann1, f->ids[0]);
  g_assert_cmpint (first->status, ==, LIMNER_IMAGE_SUBMITTED);
  g_assert_false (limner_queue_can_edit (f->ann1, first));
  g_clear_pointer (&opened, limner_image_record_free);
  opened = limner_queue_open (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->status, ==, LIMNER_IMAGE_SUBMITTED);

  /* Submitting twice is refused. */
  g_assert_false (limner_queue_submit (f->ann1, f->ids[0], &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* An image nobody holds: the annotator claims and submits it at once. */
  g_assert_true (limner_queue_submit (f->ann2, f->ids[1], &error));
  g_assert_no_error (error);
  second = get (f->lead, f->ids[1]);
  g_assert_cmpint (second->status, ==, LIMNER_IMAGE_SUBMITTED);

  /* A lead who does not annotate can still submit a new image. */
  g_assert_true (limner_queue_submit (f->lead, f->ids[2], &error));
  g_assert_no_error (error);
  third = get (f->lead, f->ids[2]);
  g_assert_cmpint (third->status, ==, LIMNER_IMAGE_SUBMITTED);

  /* A reviewer cannot submit. */
  g_assert_false (limner_queue_submit (f->rev, f->ids[2], &error));
  g_assert_nonnull (error);
}

static void
test_reviews (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(LimnerImageRecord) by_ann2 = NULL;
  g_autoptr(LimnerImageRecord) by_ann1 = NULL;
  const LimnerReviewRecord *review;

  reviews = limner_store_list_reviews (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 0);
  g_clear_pointer (&reviews, g_ptr_array_unref);

  g_assert_true (limner_queue_submit (f->ann1, f->ids[0], &error));
  g_assert_true (limner_store_set_image_status (f->rev, f->ids[0], LIMNER_IMAGE_IN_REVIEW, &error));
  g_assert_true (limner_store_add_review (f->rev, f->ids[0], FALSE, "The left car is missing", &error));
  g_assert_no_error (error);

  reviews = limner_store_list_reviews (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 1);
  review = g_ptr_array_index (reviews, 0);
  g_assert_cmpint (review->image_id, ==, f->ids[0]);
  g_assert_cmpstr (review->reviewer, ==, "rev");
  g_assert_cmpstr (review->annotator, ==, "ann1");
  g_assert_cmpstr (review->decision, ==, "reject");
  g_assert_cmpstr (review->comment, ==, "The left car is missing");
  g_assert_cmpint (review->created_at, >, 0);

  /* Rejected work goes back to ann1: ann2 opening it leaves it alone. */
  by_ann2 = limner_queue_open (f->ann2, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_ann2->status, ==, LIMNER_IMAGE_REJECTED);
  g_assert_cmpstr (by_ann2->assignee, ==, "ann1");
  g_assert_false (limner_queue_can_edit (f->ann2, by_ann2));
  by_ann1 = limner_queue_open (f->ann1, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_ann1->status, ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_true (limner_queue_can_edit (f->ann1, by_ann1));

  g_assert_null (limner_store_list_reviews (f->ann1, 999, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/queue/open-claims", Fixture, NULL, fixture_setup, test_open_claims, fixture_teardown);
  g_test_add ("/core/queue/submit", Fixture, NULL, fixture_setup, test_submit, fixture_teardown);
  g_test_add ("/core/queue/reviews", Fixture, NULL, fixture_setup, test_reviews, fixture_teardown);

  return g_test_run ();
}
