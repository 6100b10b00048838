/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-queue.h: the annotator's queue on top of the store: opening an image
 * (an annotator takes a free one), whether the acting user may edit it, and
 * submitting. No SQL here, and no check the store does not make again: this
 * only chooses the store calls, so the GUI and the CLI behave alike. The next
 * image of the queue is limner_store_claim_next(). */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

/* Whether the store takes shape edits on `image` from the acting user now:
 * reviewers and leads edit any image, annotators only one they hold in
 * progress. */
gboolean           limner_queue_can_edit (LimnerStore             *store,
                                          const LimnerImageRecord *image);

/* Opens an image for the acting user. An annotator takes (claims) an image
 * that is new or rejected and assigned to them or to no one. An image that
 * someone else holds, or one that is submitted or done, is left as it is;
 * so is every image for a user who is not an annotator. Returns the image as
 * it stands afterwards. */
LimnerImageRecord *limner_queue_open     (LimnerStore  *store,
                                          gint64        image_id,
                                          GError      **error);

/* Submits an image: limner_store_submit() (limner-store-qc.h), with its
 * review draw or gold score. An annotator who does not hold it claims it
 * first, and a lead who is no annotator takes it in progress first, all in
 * one transaction; an image someone else holds fails with
 * LIMNER_STORE_ERROR_CONFLICT naming the holder. */
gboolean           limner_queue_submit   (LimnerStore  *store,
                                          gint64        image_id,
                                          GError      **error);

/* The acting user's next image: now and then a gold image (at the lead's
 * gold.rate: the ticket of the project seed, SHA-256 of
 * "limner-gold-queue-v1\n" LOGIN "\n" and the user's submission count + 1),
 * otherwise limner_store_claim_next(). A gold image looks like any other:
 * its reference shapes are not among its shapes. */
LimnerImageRecord *limner_queue_next     (LimnerStore  *store,
                                          GError      **error);

G_END_DECLS
