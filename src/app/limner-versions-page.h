/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-versions-page.h: the published versions of a project with their
 * counts; publish, compare two versions (or a version and the current
 * state), export a version with a progress bar, and verify an export.
 *
 * All slow work (publish, diff, export, verify) runs on a worker thread that
 * opens its own store on the project (a store is not thread-safe); results
 * come back on the main context.
 *
 * The page has its own header bar with a back button, which emits
 * "close-requested": put the page in the window's stack and switch back to
 * the project page on that signal.
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_VERSIONS_PAGE (limner_versions_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerVersionsPage, limner_versions_page, LIMNER, VERSIONS_PAGE, GtkWidget)

GtkWidget   *limner_versions_page_new       (void);
/* Shows the versions of `store` (NULL clears the page). */
void         limner_versions_page_set_store (LimnerVersionsPage *self,
                                             LimnerStore        *store);
LimnerStore *limner_versions_page_get_store (LimnerVersionsPage *self);
/* Re-reads the list of versions. */
void         limner_versions_page_reload    (LimnerVersionsPage *self);
/* The number of versions listed. */
guint        limner_versions_page_get_n_versions (LimnerVersionsPage *self);

/* Compares version `a` with `b` (0 = the current state) on a worker thread
 * and shows the result; "diff-shown" is emitted when it is on screen. */
void         limner_versions_page_compare   (LimnerVersionsPage *self,
                                             gint64              a,
                                             gint64              b);
/* Verifies the export in `dir` on a worker thread and shows the report;
 * emits "verify-shown" with TRUE when the export matched. */
void         limner_versions_page_verify    (LimnerVersionsPage *self,
                                             const char         *dir);
/* The text of the result view (a diff or a verification report). */
char        *limner_versions_page_dup_result_text (LimnerVersionsPage *self);

G_END_DECLS
