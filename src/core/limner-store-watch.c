/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-watch.c: noticing other writers' commits.
 *
 * SQLite: PRAGMA data_version, polled on a timer (see the header).
 *
 * PostgreSQL: the server tells. Triggers (limner-pg-schema.c) NOTIFY the
 * channel limner_changes when a transaction that changed images, shapes,
 * reviews or labels commits. The watch keeps a connection of its own that
 * LISTENs, with its socket in a GSource on the main context: nothing polls,
 * and the main loop does not wait for the server, not even to connect
 * (PQconnectStartParams and PQconnectPoll, driven by the same socket
 * source; only a host name's DNS lookup, which libpq makes on its own,
 * blocks). Notifications are
 * coalesced over a short window, then "changed" is emitted once, and
 * "images-changed" after it if one said "images". When the connection drops,
 * the watch connects again every few seconds; once back, it emits both
 * signals, since what changed meanwhile was not announced to anyone. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "limner-pg.h"
#include "limner-store-private.h"
#include "limner-store-watch.h"

#define CHANNEL "limner_changes"
#define PG_CONNECT_TIMEOUT_S 15

typedef enum {
  PG_IDLE,        /* no connection; a retry is scheduled */
  PG_CONNECTING,  /* PQconnectPoll in progress */
  PG_LISTENING,   /* LISTEN sent or answered */
} PgState;

enum {
  PENDING_CHANGED = 1 << 0,
  PENDING_IMAGES  = 1 << 1,
};

struct _LimnerStoreWatch
{
  GObject parent_instance;

  /* Owned references */
  sqlite3      *db;
  sqlite3_stmt *stmt;       /* PRAGMA data_version */
  sqlite3_stmt *images;     /* a signature of the images table */
  GSource      *source;     /* SQLite: the poll timer */

  gint64        data_version;   /* main thread; read by the poll worker */
  char         *images_signature;
  gboolean      polling;        /* a poll runs on a worker */

  /* PostgreSQL */
  GStrv         pg_keywords;    /* the connection's parameters, NULL-terminated */
  GStrv         pg_values;
  PGconn       *pg;
  PgState       pg_state;
  GSource      *pg_io;          /* the connection's socket */
  GSource      *pg_retry;       /* the next connection attempt */
  GSource      *pg_deadline;    /* gives up on a connection attempt */
  GSource      *pg_emit;        /* the end of the coalescing window */
  GMainContext *context;
  guint         interval_ms;
  guint         pending;        /* PENDING_* not emitted yet */
  gboolean      pg_listened;    /* LISTEN was answered at least once */
  gboolean      pg_awaiting_listen;
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

static gboolean pg_poll_now (LimnerStoreWatch *self);

gboolean
limner_store_watch_poll (LimnerStoreWatch *self)
{
  gint64 version;

  g_return_val_if_fail (LIMNER_IS_STORE_WATCH (self), FALSE);
  g_return_val_if_fail (!self->polling, FALSE);

  if (self->pg_keywords != NULL)
    return pg_poll_now (self);

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
drop_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
limner_store_watch_dispose (GObject *object)
{
  LimnerStoreWatch *self = LIMNER_STORE_WATCH (object);

  drop_source (&self->source);
  drop_source (&self->pg_io);
  drop_source (&self->pg_retry);
  drop_source (&self->pg_deadline);
  drop_source (&self->pg_emit);
  g_clear_pointer (&self->pg, PQfinish);
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
  g_strfreev (self->pg_keywords);
  g_strfreev (self->pg_values);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (limner_store_watch_parent_class)->finalize (object);
}

/* --- PostgreSQL: LISTEN/NOTIFY ------------------------------------------ */

static void pg_connect (LimnerStoreWatch *self);

static gboolean
pg_emit_cb (gpointer data)
{
  LimnerStoreWatch *self = data;
  guint pending = self->pending;

  g_clear_pointer (&self->pg_emit, g_source_unref);
  self->pending = 0;
  /* A handler may drop the last reference. */
  g_object_ref (self);
  if (pending & PENDING_CHANGED)
    g_signal_emit (self, signals[CHANGED], 0);
  if (pending & PENDING_IMAGES)
    g_signal_emit (self, signals[IMAGES_CHANGED], 0);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Notifications come in bursts (a save of twenty shapes is one commit, an
 * import is many): they are gathered for a moment and emitted once. */
static void
pg_schedule_emit (LimnerStoreWatch *self)
{
  if (self->pending == 0 || self->pg_emit != NULL)
    return;
  self->pg_emit = g_timeout_source_new (MAX (self->interval_ms / 5, 1));
  g_source_set_callback (self->pg_emit, pg_emit_cb, self, NULL);
  g_source_set_name (self->pg_emit, "[limner] store watch: emit");
  g_source_attach (self->pg_emit, self->context);
}

static void
pg_take_payload (LimnerStoreWatch *self,
                 const char       *payload)
{
  self->pending |= PENDING_CHANGED;
  /* Images, or a payload from a newer schema that this version does not
   * know: read everything again rather than miss something. */
  if (!g_str_has_prefix (payload, "shapes:") && !g_str_equal (payload, "reviews")
      && !g_str_equal (payload, "labels"))
    self->pending |= PENDING_IMAGES;
}

static gboolean
pg_retry_cb (gpointer data)
{
  LimnerStoreWatch *self = data;

  g_clear_pointer (&self->pg_retry, g_source_unref);
  pg_connect (self);
  return G_SOURCE_REMOVE;
}

/* The connection failed or dropped: try again a little later. */
static void
pg_lost (LimnerStoreWatch *self)
{
  drop_source (&self->pg_io);
  drop_source (&self->pg_deadline);
  g_clear_pointer (&self->pg, PQfinish);
  self->pg_state = PG_IDLE;
  self->pg_awaiting_listen = FALSE;
  if (self->pg_retry != NULL)
    return;
  self->pg_retry = g_timeout_source_new (CLAMP (self->interval_ms * 4, 250, 5000));
  g_source_set_callback (self->pg_retry, pg_retry_cb, self, NULL);
  g_source_set_name (self->pg_retry, "[limner] store watch: reconnect");
  g_source_attach (self->pg_retry, self->context);
}

static gboolean pg_io_cb (int fd, GIOCondition condition, gpointer data);

static void
pg_watch_socket (LimnerStoreWatch *self,
                 GIOCondition      condition)
{
  int fd = PQsocket (self->pg);

  drop_source (&self->pg_io);
  if (fd < 0)
    {
      pg_lost (self);
      return;
    }
  self->pg_io = g_unix_fd_source_new (fd, condition | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (self->pg_io, (GSourceFunc) (void (*) (void)) pg_io_cb, self, NULL);
  g_source_set_name (self->pg_io, "[limner] store watch: server");
  g_source_attach (self->pg_io, self->context);
}

/* Reads what the server sent: LISTEN's answer and notifications. FALSE if
 * the connection is gone. */
static gboolean
pg_read (LimnerStoreWatch *self)
{
  PGresult *result;
  PGnotify *notify;

  if (!PQconsumeInput (self->pg))
    return FALSE;
  while (!PQisBusy (self->pg) && (result = PQgetResult (self->pg)) != NULL)
    {
      gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

      PQclear (result);
      if (!self->pg_awaiting_listen)
        continue;
      if (!ok)
        return FALSE;
      self->pg_awaiting_listen = FALSE;
      /* Back after a loss: what changed meanwhile was announced to nobody. */
      if (self->pg_listened)
        self->pending |= PENDING_CHANGED | PENDING_IMAGES;
      self->pg_listened = TRUE;
    }
  while ((notify = PQnotifies (self->pg)) != NULL)
    {
      pg_take_payload (self, notify->extra != NULL ? notify->extra : "");
      PQfreemem (notify);
    }
  return PQstatus (self->pg) == CONNECTION_OK;
}

static gboolean
pg_io_cb (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  LimnerStoreWatch *self = data;

  if (self->pg_state == PG_CONNECTING)
    {
      switch (PQconnectPoll (self->pg))
        {
        case PGRES_POLLING_READING:
          pg_watch_socket (self, G_IO_IN);
          return G_SOURCE_REMOVE;
        case PGRES_POLLING_WRITING:
          pg_watch_socket (self, G_IO_OUT);
          return G_SOURCE_REMOVE;
        case PGRES_POLLING_OK:
          break;
        case PGRES_POLLING_FAILED:
        case PGRES_POLLING_ACTIVE:
        default:
          pg_lost (self);
          return G_SOURCE_REMOVE;
        }
      drop_source (&self->pg_deadline);
      self->pg_state = PG_LISTENING;
      if (PQsetnonblocking (self->pg, 1) != 0 || !PQsendQuery (self->pg, "LISTEN " CHANNEL))
        {
          pg_lost (self);
          return G_SOURCE_REMOVE;
        }
      self->pg_awaiting_listen = TRUE;
      /* The socket may have changed while connecting: watch it anew. */
      pg_watch_socket (self, PQflush (self->pg) == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
      return G_SOURCE_REMOVE;
    }

  if ((condition & G_IO_OUT) && PQflush (self->pg) == 0)
    {
      pg_watch_socket (self, G_IO_IN);
      return G_SOURCE_REMOVE;
    }
  if (!pg_read (self))
    {
      pg_lost (self);
      /* What was announced before the loss still counts. */
      pg_schedule_emit (self);
      return G_SOURCE_REMOVE;
    }
  pg_schedule_emit (self);
  return G_SOURCE_CONTINUE;
}

/* libpq ignores connect_timeout when connecting without blocking: a
 * server whose packets are dropped would hold the attempt for minutes. */
static gboolean
pg_deadline_cb (gpointer data)
{
  LimnerStoreWatch *self = data;

  g_clear_pointer (&self->pg_deadline, g_source_unref);
  pg_lost (self);
  return G_SOURCE_REMOVE;
}

static void
pg_connect (LimnerStoreWatch *self)
{
  g_assert (self->pg == NULL);

  self->pg = PQconnectStartParams ((const char * const *) self->pg_keywords,
                                   (const char * const *) self->pg_values, FALSE);
  if (self->pg == NULL || PQstatus (self->pg) == CONNECTION_BAD)
    {
      pg_lost (self);
      return;
    }
  self->pg_state = PG_CONNECTING;
  self->pg_deadline = g_timeout_source_new_seconds (PG_CONNECT_TIMEOUT_S);
  g_source_set_callback (self->pg_deadline, pg_deadline_cb, self, NULL);
  g_source_set_name (self->pg_deadline, "[limner] store watch: connect timeout");
  g_source_attach (self->pg_deadline, self->context);
  /* libpq's rule: begin as if PQconnectPoll had asked to write. */
  pg_watch_socket (self, G_IO_OUT);
}

/* limner_store_watch_poll() on PostgreSQL: reads what has arrived, without
 * waiting, and emits at once. */
static gboolean
pg_poll_now (LimnerStoreWatch *self)
{
  if (self->pg_state == PG_LISTENING && !pg_read (self))
    pg_lost (self);
  if (self->pending == 0)
    return FALSE;
  drop_source (&self->pg_emit);
  pg_emit_cb (self);
  return TRUE;
}

/* Takes libpq's parameters from `options` (of PQconninfoParse or
 * PQconninfo), adding the watch's own. */
static void
pg_set_parameters (LimnerStoreWatch *self,
                   PQconninfoOption *options)
{
  g_autoptr(GStrvBuilder) keywords = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  /* Shown in pg_stat_activity; keepalives find a silently dead network
   * within about a minute (Unix sockets ignore them). */
  static const char *const own[][2] = {
    { "application_name", "limner watch" },
    { "keepalives", "1" },
    { "keepalives_idle", "30" },
    { "keepalives_interval", "10" },
    { "keepalives_count", "3" },
  };

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (own); i++)
        replaced = replaced || g_str_equal (o->keyword, own[i][0]);
      if (replaced || o->val == NULL || *o->val == '\0')
        continue;
      g_strv_builder_add (keywords, o->keyword);
      g_strv_builder_add (values, o->val);
    }
  for (guint i = 0; i < G_N_ELEMENTS (own); i++)
    {
      g_strv_builder_add (keywords, own[i][0]);
      g_strv_builder_add (values, own[i][1]);
    }
  self->pg_keywords = g_strv_builder_end (keywords);
  self->pg_values = g_strv_builder_end (values);
}

static LimnerStoreWatch *
pg_watch_new (PQconninfoOption *options,
              guint             interval_ms)
{
  LimnerStoreWatch *self = g_object_new (LIMNER_TYPE_STORE_WATCH, NULL);

  self->interval_ms = interval_ms ? interval_ms : LIMNER_STORE_WATCH_DEFAULT_INTERVAL_MS;
  self->context = g_main_context_ref_thread_default ();
  pg_set_parameters (self, options);
  pg_connect (self);
  return self;
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

  if (limner_pg_is_uri (dir))
    {
      char *message = NULL;
      PQconninfoOption *options = PQconninfoParse (dir, &message);

      if (options == NULL)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("Could not watch the team project for changes: its address does not parse (%s)"),
                       message != NULL ? g_strstrip (message) : _("out of memory"));
          PQfreemem (message);
          return NULL;
        }
      self = pg_watch_new (options, interval_ms);
      PQconninfoFree (options);
      return g_steal_pointer (&self);
    }

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

LimnerStoreWatch *
limner_store_watch_new_for_store (LimnerStore  *store,
                                  guint         interval_ms,
                                  GError      **error)
{
  LimnerStoreWatch *self;
  PQconninfoOption *options;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  if (!limner_store_is_pg (store))
    return limner_store_watch_new (limner_store_get_dir (store), interval_ms, error);
  /* The store's own connection's parameters, as in effect: the same server,
   * database and role, and a password given only for that connection. */
  options = PQconninfo (limner_pg_get_connection (LIMNER_PG (store->pg)));
  if (options == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                   _("Could not watch %s for changes: out of memory"), limner_store_get_dir (store));
      return NULL;
    }
  self = pg_watch_new (options, interval_ms);
  PQconninfoFree (options);
  return self;
}

gboolean
limner_store_watch_is_connected (LimnerStoreWatch *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE_WATCH (self), FALSE);

  if (self->pg_keywords == NULL)
    return self->db != NULL;
  return self->pg_state == PG_LISTENING && !self->pg_awaiting_listen;
}
