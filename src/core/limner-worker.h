/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-worker.h: slow work on a worker thread with its own store.
 *
 * A LimnerStore is not thread-safe, so work moved off the main thread opens
 * its own connection to the project (SQLite in WAL mode arbitrates with the
 * caller's) and closes it when done. Progress the work reports with
 * limner_worker_progress() is kept under a mutex, and at most one idle
 * callback on the caller's main context hands the latest values to the
 * progress function. The result comes back through the caller's GTask, which
 * also carries the GCancellable.
 *
 *   task = g_task_new (NULL, cancellable, callback, user_data);
 *   g_task_set_source_tag (task, my_thing_async);
 *   worker = limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store));
 *   limner_worker_run (worker, task, my_thing_in_worker, data, data_free, result_free);
 *   ...
 *   result = g_task_propagate_pointer (G_TASK (res), error);   in my_thing_finish()
 */
#pragma once

#include <gio/gio.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef struct _LimnerWorker LimnerWorker;

/* Runs on the worker thread with the worker's own `store`. Returns the
 * result, or sets `error` (a NULL result without an error is a result). */
typedef gpointer (*LimnerWorkerFunc) (LimnerWorker  *worker,
                                      LimnerStore   *store,
                                      gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Called on the main context of the thread that called limner_worker_run(). */
typedef void (*LimnerWorkerProgressFunc) (guint       done,
                                          guint       total,
                                          const char *current,
                                          gpointer    user_data);

/* The worker opens the project at `project_dir` as `login` (NULL = the OS login). */
LimnerWorker *limner_worker_new          (const char                *project_dir,
                                          const char                *login);
/* Creates the project, named `name` (NULL = the directory's name), when
 * there is none at the directory yet. */
void          limner_worker_set_create   (LimnerWorker              *worker,
                                          const char                *name);
/* `destroy` runs once the work is over and no progress is pending, on any thread. */
void          limner_worker_set_progress (LimnerWorker              *worker,
                                          LimnerWorkerProgressFunc   progress,
                                          gpointer                   progress_data,
                                          GDestroyNotify             destroy);
/* Takes `worker`. Runs `func` on a worker thread for `task`, which gets its
 * result as a pointer freed with `result_destroy` when nobody takes it.
 * `data_destroy` frees `data` once the task is done. The task must have no
 * source object that the worker could touch, or one used only on the main
 * thread. Cancelled before it starts, the task returns G_IO_ERROR_CANCELLED
 * without opening the store. */
void          limner_worker_run          (LimnerWorker              *worker,
                                          GTask                     *task,
                                          LimnerWorkerFunc           func,
                                          gpointer                   data,
                                          GDestroyNotify             data_destroy,
                                          GDestroyNotify             result_destroy);

/* From the worker thread (or any): records the progress and makes sure one
 * idle callback will report it. */
void          limner_worker_progress     (LimnerWorker              *worker,
                                          guint                      done,
                                          guint                      total,
                                          const char                *current);
/* limner_worker_progress() in the shape of LimnerImportProgressFunc and the
 * other progress callbacks, with the worker as user data. */
void          limner_worker_progress_func (guint                     done,
                                           guint                     total,
                                           const char               *current,
                                           gpointer                  worker);

G_END_DECLS
