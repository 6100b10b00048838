/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-reviews.h: reading the reviewers' decisions on an image, so an
 * annotator sees why their work came back. Part of the store module. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  image_id;
  char   *reviewer;   /* login */
  char   *annotator;  /* login of whoever submitted the work, or NULL */
  char   *decision;   /* "accept", "reject" or "fix" */
  char   *comment;    /* NULL when the reviewer left none */
  gint64  created_at; /* unix seconds */
} LimnerReviewRecord;

void limner_review_record_free (LimnerReviewRecord *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerReviewRecord, limner_review_record_free)

/* The reviews of one image, oldest first (of LimnerReviewRecord). An image
 * nobody reviewed gives an empty array; an unknown image fails with
 * LIMNER_STORE_ERROR_NOT_FOUND. */
GPtrArray *limner_store_list_reviews (LimnerStore  *store,
                                      gint64        image_id,
                                      GError      **error);

G_END_DECLS
