/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-progress.h: progress of work on a worker thread, reported on the main thread.
 *
 * The worker calls limner_progress_update() as often as it likes; the values
 * are kept under a mutex and at most one idle callback is queued, which emits
 * "changed" on the main context. limner_progress_import_func() fits
 * LimnerImportProgressFunc with the progress as its user data.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LIMNER_TYPE_PROGRESS (limner_progress_get_type ())
G_DECLARE_FINAL_TYPE (LimnerProgress, limner_progress, LIMNER, PROGRESS, GObject)

LimnerProgress *limner_progress_new         (void);
/* Any thread. `current` may be NULL. */
void            limner_progress_update      (LimnerProgress *self,
                                             guint           done,
                                             guint           total,
                                             const char     *current);
void            limner_progress_import_func (guint           done,
                                             guint           total,
                                             const char     *current,
                                             gpointer        user_data);
/* Main thread: the latest values. `current` (may be NULL) gets a copy. */
void            limner_progress_get         (LimnerProgress  *self,
                                             guint           *done,
                                             guint           *total,
                                             char           **current);

G_END_DECLS
