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
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LIMNER_TYPE_STORE_WATCH (limner_store_watch_get_type ())
G_DECLARE_FINAL_TYPE (LimnerStoreWatch, limner_store_watch, LIMNER, STORE_WATCH, GObject)

#define LIMNER_STORE_WATCH_DEFAULT_INTERVAL_MS 500

/* Watches the project in `dir` every `interval_ms` (0 = the default). */
LimnerStoreWatch *limner_store_watch_new   (const char  *dir,
                                            guint        interval_ms,
                                            GError     **error);
/* Polls now, on the calling thread (the timer's polls run on a worker);
 * TRUE (and "changed" emitted) if another connection committed since the
 * previous poll. Not while the timer's poll is running. */
gboolean          limner_store_watch_poll  (LimnerStoreWatch *self);

G_END_DECLS
