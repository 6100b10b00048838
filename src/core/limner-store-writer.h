/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-writer.h: autosave without stalling the frame.
 *
 * A LimnerStoreWriter applies shape writes to the store in the order they
 * were queued. In the normal (threaded) mode one worker thread owns a store
 * connection of its own and commits each queued job in its own transaction;
 * the caller never waits for SQLite. Failures come back on the main context
 * (the thread-default context of the thread that created the writer) as the
 * "save-failed" signal.
 *
 * In synchronous mode (CLI, tests) every job is committed before the queuing
 * call returns, on the caller's thread and connection, and "save-failed" is
 * emitted from inside that call.
 *
 * Shape ids. An editor must know a new shape's id at once (the canvas selects
 * it, the next command refers to it), but the INSERT is queued. So the writer
 * reserves blocks of shape ids in the store (advancing the shapes table's id
 * sequence, which no other process will then hand out) and gives them out
 * without touching the database; inserts then store the shape under its
 * reserved id. A block is refilled on the worker before it runs out, so
 * limner_store_writer_reserve_shape_id() practically never waits. Ids lost
 * when a process exits leave harmless gaps.
 */
#pragma once

#include <glib-object.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_STORE_WRITER (limner_store_writer_get_type ())
G_DECLARE_FINAL_TYPE (LimnerStoreWriter, limner_store_writer, LIMNER, STORE_WRITER, GObject)

/* Threaded mode: opens a second connection to the project in `dir` as
 * `login` (NULL = the OS login) for the worker thread. */
LimnerStoreWriter *limner_store_writer_new      (const char   *dir,
                                                 const char   *login,
                                                 GError      **error);
/* Synchronous mode on `store` (the writer keeps a reference). */
LimnerStoreWriter *limner_store_writer_new_sync (LimnerStore *store);

gboolean     limner_store_writer_is_sync   (LimnerStoreWriter *self);
const char  *limner_store_writer_get_login (LimnerStoreWriter *self);

/* A fresh shape id, unique in the project. 0 with `error` set only if the
 * store cannot reserve ids (e.g. the database is locked for too long). */
gint64       limner_store_writer_reserve_shape_id (LimnerStoreWriter  *self,
                                                   GError            **error);

/* Jobs. Every queuing call below is a job of its own unless it comes between
 * begin() and commit(), which group the calls into one job, i.e. one store
 * transaction (a composite edit is saved all or nothing). Groups nest; the
 * outermost commit() queues the job. The shape is copied. */
void         limner_store_writer_begin  (LimnerStoreWriter *self);
void         limner_store_writer_commit (LimnerStoreWriter *self);
/* shape->id must be set (limner_store_writer_reserve_shape_id(), or the id
 * of a deleted shape being restored). update() and delete() carry the row
 * version the caller last knew (shape->row_version, `row_version`; 0 = no
 * check): a shape changed meanwhile by another writer fails the job with
 * LIMNER_STORE_ERROR_CONFLICT, reported through "save-failed", not retried.
 * The caller passes the version it read from the store, not counting its
 * own updates: the writer remembers the versions its jobs stored. */
void         limner_store_writer_insert_shape (LimnerStoreWriter *self,
                                               const LimnerShape *shape);
void         limner_store_writer_update_shape (LimnerStoreWriter *self,
                                               const LimnerShape *shape);
void         limner_store_writer_delete_shape (LimnerStoreWriter *self,
                                               gint64             shape_id,
                                               gint64             row_version);

/* Logs an event (limner-store-stats.h) stamped with the current time. It
 * joins the open group, else a job still waiting in the queue, so it is
 * written in an edit's own transaction when one is pending; otherwise it is
 * a job of its own. Never waits for the database. */
void         limner_store_writer_log_event (LimnerStoreWriter *self,
                                            const char        *kind,
                                            gint64             image_id,
                                            const char        *detail_json);

/* Blocks until every job queued so far is committed (or failed), or until
 * the writer is retrying a job (see below). Returns FALSE with the first
 * failure since the previous flush, if any (failures are also signalled), or
 * with the reason of the retry; a failure whose retry has saved the job
 * since is no failure. Call before closing or re-reading an image's
 * shapes and in tests. Must not be called between begin() and commit(). */
gboolean     limner_store_writer_flush (LimnerStoreWriter  *self,
                                        GError            **error);
/* Jobs queued and not yet finished. */
guint        limner_store_writer_get_pending (LimnerStoreWriter *self);

/* A job that failed for a reason that may pass (disk full, an I/O error, the
 * database busy: LIMNER_STORE_ERROR_FAILED; a database server out of reach:
 * LIMNER_STORE_ERROR_OFFLINE) is not dropped: it stays first in the queue,
 * the edits after it wait behind it, and the worker retries it with a
 * growing delay (0.25 s up to 8 s, or up to 3 s for an unreachable server).
 * "save-failed" is emitted once at the start of such a streak. TRUE while
 * that goes on, with the last reason in `error` (may be NULL). Refusals
 * (permission, conflict, invalid data) are not retried. When the writer is
 * disposed, queued jobs are tried once more and dropped if they still fail:
 * callers ask the user before closing while this goes on. */
gboolean     limner_store_writer_is_retrying (LimnerStoreWriter  *self,
                                              GError            **error);
/* While retrying, tries again at once instead of waiting out the delay (the
 * user pressed Retry, or the server is known to be back). */
void         limner_store_writer_retry_now   (LimnerStoreWriter  *self);

G_END_DECLS
