/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-live-refresh.h: showing what other writers commit.
 *
 * Another window or `limner-cli` may write the same SQLite project. A
 * LimnerLiveRefresh watches it (LimnerStoreWatch) and keeps the pages up to
 * date: the annotate page's shapes are re-read (on a worker) and merged into
 * its document when it has no edit of its own waiting to be saved, keeping
 * the selection and the undo stack; the project page's grid reloads when
 * images were added or changed status.
 */
#pragma once

#include "limner-annotate-page.h"
#include "limner-project-page.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_LIVE_REFRESH (limner_live_refresh_get_type ())
G_DECLARE_FINAL_TYPE (LimnerLiveRefresh, limner_live_refresh, LIMNER, LIVE_REFRESH, GObject)

/* NULL if the project cannot be watched (then nothing refreshes). */
LimnerLiveRefresh *limner_live_refresh_new (LimnerStore        *store,
                                            LimnerAnnotatePage *annotate_page,
                                            LimnerProjectPage  *project_page);

G_END_DECLS
