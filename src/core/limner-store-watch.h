/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-watch.h: noticing that another connection wrote the project.
 *
 * A LimnerStoreWatch keeps a read-only connection of its own to a SQLite
 * project and polls PRAGMA data_version (one pragma: cheap) on a timer of
 * the thread-default main context of the thread that made it, the query
 * itself on a worker; signals come on that context. When another connection
 * committed (another window, the CLI, this process's own autosave writer),
 * it emits "changed" once per poll, then "images-changed" if the images
 * table changed too (added images, a status or a claim). Readers then
 * re-read what they show.
 * SQLite sees the commits of other processes on the same machine only; a
 * project on a network file system is not supported.
 *
 * A team project (PostgreSQL) is not polled: the watch LISTENs on a
 * connection of its own and the server notifies it of every commit that
 * changed images, shapes, reviews or labels (triggers of the schema). The
 * same signals come, on the same context, after notifications were
 * gathered for interval_ms / 5; "images-changed" when images were added,
 * claimed, submitted or decided. The watch connects without blocking, and
 * connects again by itself when the server comes back, then emits both
 * signals once (what changed meanwhile was not announced).
 */
#pragma once

#include <glib-object.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_STORE_WATCH (limner_store_watch_get_type ())
G_DECLARE_FINAL_TYPE (LimnerStoreWatch, limner_store_watch, LIMNER, STORE_WATCH, GObject)

#define LIMNER_STORE_WATCH_DEFAULT_INTERVAL_MS 500

/* Watches the project in `dir` every `interval_ms` (0 = the default).
 * `dir` may be a postgresql:// URI: the watch then logs in as the URI says. */
LimnerStoreWatch *limner_store_watch_new   (const char  *dir,
                                            guint        interval_ms,
                                            GError     **error);
/* Watches the project of `store`: on PostgreSQL with the parameters of the
 * store's own connection (the same role, and a password given only for it). */
LimnerStoreWatch *limner_store_watch_new_for_store (LimnerStore  *store,
                                                    guint         interval_ms,
                                                    GError      **error);
/* On PostgreSQL, whether the watch is connected and listening (a reconnect
 * may be under way); always TRUE on SQLite. For tests and status displays. */
gboolean          limner_store_watch_is_connected (LimnerStoreWatch *self);
/* Polls now, on the calling thread (the timer's polls run on a worker);
 * TRUE (and "changed" emitted) if another connection committed since the
 * previous poll. Not while the timer's poll is running. */
gboolean          limner_store_watch_poll  (LimnerStoreWatch *self);

G_END_DECLS
