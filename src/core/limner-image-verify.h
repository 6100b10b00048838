/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-verify.h: is an image's file still the one the project added?
 *
 * The first time an image is opened on this computer its file is hashed
 * (SHA-256, streamed, on a worker thread for the GUI) and compared with the
 * hash the project recorded when the image was added. The hash is
 * remembered in a local cache,
 *   $XDG_CACHE_HOME/limner/verified/<project>/<image id>
 * (<project> is the SHA-256 of the project's identity, limner-image-root.h)
 * together with the file's path, size and modification time, so later opens
 * read nothing unless one of those changed. A file that was changed is
 * remembered too: it is not hashed again on every open.
 */
#pragma once

#include <gio/gio.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_VERIFY_OK,         /* the file has the SHA-256 the project records */
  LIMNER_VERIFY_CHANGED,    /* it has another: the file changed since it was added */
  LIMNER_VERIFY_MISSING,    /* there is no file at the path */
  LIMNER_VERIFY_UNREADABLE, /* there is something that cannot be read to the end */
} LimnerVerifyStatus;

typedef struct {
  LimnerVerifyStatus  status;
  gint64              image_id;
  char               *path;       /* the file looked at */
  char               *sha256;     /* the file's SHA-256 now; NULL when missing or unreadable */
  gboolean            from_cache; /* nothing was read: the cache knew the file */
  char               *message;    /* one sentence naming the image and the path; NULL when OK */
} LimnerVerifyResult;

void limner_verify_result_free (LimnerVerifyResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerVerifyResult, limner_verify_result_free)

/* Verifies `record`'s file, as `store` resolves its path. Only a
 * cancellation is an error; a missing, changed or unreadable file is a
 * result. Blocks while it hashes: from the main thread, use the async call. */
LimnerVerifyResult *limner_image_verify        (LimnerStore              *store,
                                                const LimnerImageRecord  *record,
                                                GCancellable             *cancellable,
                                                GError                  **error);
/* The same on a worker thread. What it needs of `store` is read at once, on
 * the calling thread; the worker never touches the store. */
void                limner_image_verify_async  (LimnerStore              *store,
                                                const LimnerImageRecord  *record,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
LimnerVerifyResult *limner_image_verify_finish (GAsyncResult             *result,
                                                GError                  **error);

/* The message for an image whose file is not at `path`, with a hint at the
 * image folder of this computer. Shared with whoever else finds it missing. */
char               *limner_image_verify_missing_message (LimnerStore             *store,
                                                         const LimnerImageRecord *record,
                                                         const char              *path);

/* How many files this process has hashed to verify them (not taken from the
 * cache). For tests and the debug log. */
guint               limner_image_verify_get_n_hashed (void);

G_END_DECLS
