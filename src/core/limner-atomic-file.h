/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-atomic-file.h: files that appear whole or not at all.
 *
 * limner_atomic_file_new() opens a temporary file next to the destination
 * (same directory, so the final rename stays on one file system). Writes are
 * buffered and hashed (SHA-256) as they go. commit() flushes, fsyncs, renames
 * the file into place and fsyncs the directory; abort() (or free() without a
 * commit) removes the temporary file. A reader therefore sees either the old
 * file or the complete new one, even after a crash.
 *
 * Write errors are sticky: the write calls return FALSE after the first
 * failure, and commit() reports it. So a streaming writer may check only the
 * result of commit().
 *
 * Not thread-safe: use one LimnerAtomicFile from one thread at a time.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LimnerAtomicFile LimnerAtomicFile;

/* Creates the destination's directory if needed. */
LimnerAtomicFile *limner_atomic_file_new (const char  *path,
                                          GError     **error);

gboolean    limner_atomic_file_write  (LimnerAtomicFile  *self,
                                       const void        *data,
                                       gsize              len,
                                       GError           **error);
gboolean    limner_atomic_file_puts   (LimnerAtomicFile  *self,
                                       const char        *str,
                                       GError           **error);
gboolean    limner_atomic_file_printf (LimnerAtomicFile  *self,
                                       GError           **error,
                                       const char        *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* Writes everything `stream` gives until its end. */
gboolean    limner_atomic_file_splice (LimnerAtomicFile  *self,
                                       GInputStream      *stream,
                                       GCancellable      *cancellable,
                                       GError           **error);

/* A jansson dump callback: json_dump_callback (json, limner_atomic_file_jansson_callback, file, flags). */
int         limner_atomic_file_jansson_callback (const char *buffer,
                                                 size_t      size,
                                                 void       *file);

/* The temporary file, for writers that need a path (e.g. libvips savers).
 * Write it completely through that path and then commit(); do not mix with
 * the write calls. commit() then hashes the file as written. */
const char *limner_atomic_file_get_temp_path (LimnerAtomicFile *self);
const char *limner_atomic_file_get_path      (LimnerAtomicFile *self);

/* Flush, fsync, rename into place, fsync the directory. After a failure the
 * temporary file is removed and the destination is untouched. */
gboolean    limner_atomic_file_commit (LimnerAtomicFile  *self,
                                       GError           **error);
/* Removes the temporary file. Safe to call twice, or after commit() (then a no-op). */
void        limner_atomic_file_abort  (LimnerAtomicFile *self);
/* Aborts unless committed. */
void        limner_atomic_file_free   (LimnerAtomicFile *self);

/* After a successful commit(): the SHA-256 (64 lowercase hex digits) and the
 * size in bytes of what was written. */
const char *limner_atomic_file_get_sha256 (LimnerAtomicFile *self);
gint64      limner_atomic_file_get_size   (LimnerAtomicFile *self);

/* Writes `len` bytes as `path` atomically in one call. `sha256` (may be
 * NULL) receives the hash. */
gboolean    limner_atomic_file_set_contents (const char  *path,
                                             const void  *data,
                                             gsize        len,
                                             char       **sha256,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerAtomicFile, limner_atomic_file_free)

G_END_DECLS
