/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "limner-store.h"
#include "limner-store-watch.h"

struct _LimnerStoreWatch
{
  GObject parent_instance;

  /* Owned references */
  sqlite3      *db;
  sqlite3_stmt *stmt;       /* PRAGMA data_version */
  sqlite3_stmt *images;     /* a signature of the images table */
  GSource      *source;

  gint64        data_version;   /* main thread; read by the poll worker */
  char         *images_signature;
  gboolean      polling;        /* a poll runs on a worker */
};

G_DEFINE_FINAL_TYPE (LimnerStoreWatch, limner_store_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  IMAGES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
read_data_version (LimnerStoreWatch *self)
{
  gint64 version = -1;

  if (sqlite3_step (self->stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (self->stmt, 0);
  sqlite3_reset (self->stmt);
  return version;
}

/* One scan of the images table: rows added or removed, a status, a claim
 * or a path changed. Shape edits (the usual commit) leave it alone. */
static char *
read_images_signature (LimnerStoreWatch *self)
{
  char *signature = NULL;

  if (sqlite3_step (self->images) == SQLITE_ROW)
    signature = g_strdup ((const char *) sqlite3_column_text (self->images, 0));
  sqlite3_reset (self->images);
  return signature;
}

/* Takes `images`. */
static gboolean
apply_poll (LimnerStoreWatch *self,
            gint64            version,
            char             *images)
{
  g_autofree char *owned = images;

  /* -1: the file is busy or gone for a moment; look again next time. */
  if (version < 0 || version == self->data_version)
    return FALSE;
  self->data_version = version;
  g_signal_emit (self, signals[CHANGED], 0);
  if (owned != NULL && g_strcmp0 (owned, self->images_signature) != 0)
    {
      g_free (self->images_signature);
      self->images_signature = g_steal_pointer (&owned);
      g_signal_emit (self, signals[IMAGES_CHANGED], 0);
    }
  return TRUE;
}

gboolean
limner_store_watch_poll (LimnerStoreWatch *self)
{
  gint64 version;

  g_return_val_if_fail (LIMNER_IS_STORE_WATCH (self), FALSE);
  g_return_val_if_fail (!self->polling, FALSE);

  version = read_data_version (self);
  return apply_poll (self, version, version != self->data_version ? read_images_signature (self) : NULL);
}

typedef struct {
  gint64  version;
  char   *images;
} PollResult;

static void
poll_result_free (gpointer data)
{
  PollResult *result = data;

  g_free (result->images);
  g_free (result);
}

/* The images' signature scans the table (about 35 ms for 100,000 images):
 * the timer's polls run on a worker, one at a time, on the watch's own
 * connection, so the main loop never waits for it. */
static void
poll_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LimnerStoreWatch *self = source_object;
  PollResult *result = g_new0 (PollResult, 1);

  result->version = read_data_version (self);
  if (result->version >= 0 && result->version != self->data_version)
    result->images = read_images_signature (self);
  g_task_return_pointer (task, result, poll_result_free);
}

static void
poll_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  LimnerStoreWatch *self = LIMNER_STORE_WATCH (source);
  PollResult *result = g_task_propagate_pointer (G_TASK (res), NULL);

  self->polling = FALSE;
  /* Disposed meanwhile: nobody listens any more. */
  if (result != NULL && self->source != NULL)
    apply_poll (self, result->version, g_steal_pointer (&result->images));
  g_clear_pointer (&result, poll_result_free);
}

static gboolean
poll_cb (gpointer data)
{
  LimnerStoreWatch *self = data;
  g_autoptr(GTask) task = NULL;

  if (self->polling)
    return G_SOURCE_CONTINUE;
  self->polling = TRUE;
  task = g_task_new (self, NULL, poll_done, NULL);
  g_task_set_source_tag (task, poll_cb);
  g_task_run_in_thread (task, poll_in_thread);
  return G_SOURCE_CONTINUE;
}

static void
limner_store_watch_dispose (GObject *object)
{
  LimnerStoreWatch *self = LIMNER_STORE_WATCH (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  G_OBJECT_CLASS (limner_store_watch_parent_class)->dispose (object);
}

static void
limner_store_watch_finalize (GObject *object)
{
  LimnerStoreWatch *self = LIMNER_STORE_WATCH (object);

  g_clear_pointer (&self->stmt, sqlite3_finalize);
  g_clear_pointer (&self->images, sqlite3_finalize);
  g_free (self->images_signature);
  g_clear_pointer (&self->db, sqlite3_close);
  G_OBJECT_CLASS (limner_store_watch_parent_class)->finalize (object);
}

static void
limner_store_watch_class_init (LimnerStoreWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = limner_store_watch_dispose;
  object_class->finalize = limner_store_watch_finalize;

  /**
   * LimnerStoreWatch::changed:
   *
   * Another connection committed to the project since the last poll.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * LimnerStoreWatch::images-changed:
   *
   * After "changed": images were added or removed, or one's status,
   * holder or path changed.
   */
  signals[IMAGES_CHANGED] = g_signal_new ("images-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
limner_store_watch_init (LimnerStoreWatch *self)
{
}

LimnerStoreWatch *
limner_store_watch_new (const char  *dir,
                        guint        interval_ms,
                        GError     **error)
{
  g_autoptr(LimnerStoreWatch) self = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (LIMNER_TYPE_STORE_WATCH, NULL);
  path = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  /* Read-only and never creating: a watch must not make a project appear. */
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, "PRAGMA data_version", -1, &self->stmt, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db,
                             "SELECT count(*) || ' ' || total(id) || ' ' || total(claimed_at) || ' ' "
                             "|| total(instr('|new|in_progress|submitted|in_review|accepted|rejected|', "
                             "             '|' || status || '|') * id) "
                             "|| ' ' || total((length(assignee) + unicode(assignee)) * id) "
                             "|| ' ' || total(length(path) * id) || ' ' "
                             /* The latest image event among the last ones: a claim handed
                              * from one login to another within a second shows here. */
                             "|| (SELECT coalesce(max(id), 0) FROM (SELECT id, kind FROM events "
                             "    ORDER BY id DESC LIMIT 1000) WHERE kind LIKE 'image.%') "
                             "FROM images",
                             -1, &self->images, NULL) != SQLITE_OK)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                   _("Could not watch %s for changes: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : _("out of memory"));
      return NULL;
    }
  self->data_version = read_data_version (self);
  self->images_signature = read_images_signature (self);
  self->source = g_timeout_source_new (interval_ms ? interval_ms : LIMNER_STORE_WATCH_DEFAULT_INTERVAL_MS);
  g_source_set_callback (self->source, poll_cb, self, NULL);
  g_source_set_name (self->source, "[limner] store watch");
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}
