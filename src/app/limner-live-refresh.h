/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-live-refresh.h: showing what other writers commit.
 *
 * Another window or `limner-cli` may write the same project, and on a team
 * project (PostgreSQL) the whole team does. A LimnerLiveRefresh watches it
 * (LimnerStoreWatch: polling on SQLite, NOTIFY on PostgreSQL) and keeps the
 * pages up to date: the annotate page's shapes are re-read (on a worker)
 * and merged into its document when it has no edit of its own waiting to be
 * saved, keeping the selection and the undo stack; the shown image's
 * status, rejection and QC history follow a claim, a submission or a
 * reviewer's decision; the project page's grid and the review queue reload
 * when images were added or changed status.
 */
#pragma once

#include "limner-annotate-page.h"
#include "limner-project-page.h"
#include "limner-review-page.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_LIVE_REFRESH (limner_live_refresh_get_type ())
G_DECLARE_FINAL_TYPE (LimnerLiveRefresh, limner_live_refresh, LIMNER, LIVE_REFRESH, GObject)

/* NULL if the project cannot be watched (then nothing refreshes). */
LimnerLiveRefresh *limner_live_refresh_new (LimnerStore        *store,
                                            LimnerAnnotatePage *annotate_page,
                                            LimnerProjectPage  *project_page);
/* The review page, once the window made it (kept as a weak pointer). */
void               limner_live_refresh_set_review_page (LimnerLiveRefresh *self,
                                                        LimnerReviewPage  *review_page);

G_END_DECLS
