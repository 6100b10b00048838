/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-review-page.h: the reviewer's mode. The review queue (images in
 * review, oldest first, with author, time spent and shapes) beside the
 * image on an annotate page of its own, where the reviewer may edit.
 *
 * Keys: A accepts (after edits: a fix, limner_store_decide()), R rejects
 * with a comment and an optional mark on the selected shape, Page Down and
 * Page Up move through the queue. A toggle overlays the image's reference
 * shapes (gold or demo ground truth) and its predictions as imported.
 *
 * The page has its own header bar with a back button, which emits
 * "close-requested": put the page in the window's stack and switch back to
 * the project page on that signal.
 */
#pragma once

#include <adwaita.h>

#include "limner-annotate-page.h"
#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_REVIEW_PAGE (limner_review_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerReviewPage, limner_review_page, LIMNER, REVIEW_PAGE, GtkWidget)

GtkWidget          *limner_review_page_new       (void);
/* Shows the review queue of `store` (NULL clears the page). */
gboolean            limner_review_page_set_store (LimnerReviewPage  *self,
                                                  LimnerStore       *store,
                                                  GError           **error);
LimnerStore        *limner_review_page_get_store (LimnerReviewPage *self);
/* Re-reads the queue and shows its first image. */
void                limner_review_page_reload    (LimnerReviewPage *self);
guint               limner_review_page_get_n_items (LimnerReviewPage *self);
/* The image shown, or 0. */
gint64              limner_review_page_get_image_id (LimnerReviewPage *self);
LimnerAnnotatePage *limner_review_page_get_annotate_page (LimnerReviewPage *self);
/* The reject dialog while it is open, else NULL. */
AdwMessageDialog   *limner_review_page_get_reject_dialog (LimnerReviewPage *self);

G_END_DECLS
