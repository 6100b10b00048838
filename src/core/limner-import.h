/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import.h: importing image files and folders into a project.
 *
 * An import runs in two phases. First every candidate file is hashed
 * (SHA-256, streamed) and probed through limner-image, without touching the
 * database. Then all accepted images are inserted in one store batch, so the
 * database gets either all of them or none (on error or cancellation).
 *
 * Folders are walked recursively in name order; hidden files and folders are
 * skipped, symlink loops are detected, and only files with an image extension
 * (limner_image_get_extensions()) are considered. A file named explicitly is
 * always tried.
 */
#pragma once

#include <gio/gio.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef struct {
  char   *path;     /* the file as found: absolute, or as given */
  char   *reason;   /* duplicates and rejections: one sentence naming the file;
                     * NULL for added images */
  gint64  image_id; /* added: the new image; duplicate: the image already in the
                     * project with that hash (0 if the copy was in this import) */
} LimnerImportItem;

typedef struct {
  GPtrArray *added;      /* of LimnerImportItem, in insertion order */
  GPtrArray *duplicates; /* of LimnerImportItem */
  GPtrArray *rejected;   /* of LimnerImportItem */
} LimnerImportResult;

void limner_import_result_free (LimnerImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerImportResult, limner_import_result_free)

/* Progress. `total` is 0 while folders are still being scanned; then `done`
 * counts files hashed and probed out of `total`, and `current` is the file
 * just finished (NULL for the final call, done == total, made before the
 * database batch). It is called from the thread that runs the import — the
 * caller's for limner_import_run(), a GTask worker thread for
 * limner_import_run_async() — never from two threads at once. A GUI must
 * marshal it to the main context itself (e.g. store under a mutex and
 * g_idle_add). */
typedef void (*LimnerImportProgressFunc) (guint       done,
                                          guint       total,
                                          const char *current,
                                          gpointer    user_data);

/* The SHA-256 of a file as 64 lowercase hex digits, read in 64 KiB chunks.
 * `size` (may be NULL) receives the number of bytes read. */
char *limner_import_hash_file (const char    *path,
                               gint64        *size,
                               GCancellable  *cancellable,
                               GError       **error);

/* Imports `paths` (files or folders, NULL-terminated) into `store` as its
 * acting user, who must be a lead. Missing, unreadable, rejected and duplicate
 * files are listed in the result and are not errors. Returns NULL with an
 * error on cancellation (G_IO_ERROR_CANCELLED) or a store failure; in both
 * cases nothing was inserted. */
LimnerImportResult *limner_import_run (LimnerStore               *store,
                                       const char * const        *paths,
                                       GCancellable              *cancellable,
                                       LimnerImportProgressFunc   progress,
                                       gpointer                   progress_data,
                                       GError                   **error);

/* The same on a worker thread. Only the project directory and acting user are
 * read from `store` (on the calling thread); the worker opens its own
 * LimnerStore, since a store is not thread-safe. `progress_data_destroy` runs
 * once the import is over. Refresh any views of `store` after finishing. */
void                limner_import_run_async  (LimnerStore               *store,
                                              const char * const        *paths,
                                              GCancellable              *cancellable,
                                              LimnerImportProgressFunc   progress,
                                              gpointer                   progress_data,
                                              GDestroyNotify             progress_data_destroy,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data);
LimnerImportResult *limner_import_run_finish (GAsyncResult  *result,
                                              GError       **error);

G_END_DECLS
