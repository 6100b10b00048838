/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-shape-ids.h"
#include "limner-store-stats.h"
#include "limner-store-writer.h"

/* Ids are reserved in blocks; the worker refills below the low-water mark so
 * that the main thread practically never waits for a reservation. */
#define ID_BLOCK 256
#define ID_LOW_WATER 64

/* A job that fails for a reason that may pass (disk full, I/O error, the
 * database busy or gone) stays at the head of the queue and is retried,
 * waiting longer each time up to RETRY_MAX_MS. */
#define RETRY_FIRST_MS 250
#define RETRY_MAX_MS 8000
/* An unreachable server (team mode) is tried again every few seconds at
 * most: the user waits for their edits to be saved, and reconnecting costs
 * the server little. */
#define RETRY_OFFLINE_MAX_MS 3000

typedef enum {
  OP_INSERT,
  OP_UPDATE,
  OP_DELETE,
  OP_EVENT,
} OpKind;

typedef struct {
  OpKind       kind;
  LimnerShape *shape;    /* INSERT, UPDATE */
  gint64       shape_id; /* DELETE */
  char        *event;    /* EVENT: its kind, with image_id, detail and the time it happened */
  gint64       image_id;
  char        *detail;
  gint64       ts;
  gint64       row_version; /* DELETE: the version the caller read, 0 = no check */
} Op;

typedef struct {
  GPtrArray *ops;
} Job;

struct _LimnerStoreWriter
{
  GObject parent_instance;

  /* Owned references */
  LimnerStore  *store;         /* threaded: used by the worker, or under conn_lock */
  GMainContext *context;       /* where "save-failed" is emitted */
  GThread      *thread;        /* NULL in synchronous mode */
  Job          *open_job;      /* between begin() and commit(); main thread only */
  GHashTable   *versions;      /* shape id -> row version this writer stored; under conn_lock */
  GArray       *versions_undo; /* during a batch: (id, old version or 0) to restore on rollback */
  char         *login;

  int           group_depth;   /* main thread only */
  gboolean      sync;

  /* Serialises use of `store` between the worker and reservations made on
   * the caller's thread. Taken before `lock` when both are needed. */
  GMutex        conn_lock;

  /* Everything below is under `lock`. */
  GMutex        lock;
  GCond         cond;          /* work for the worker, or progress for flush() */
  GQueue        queue;         /* of Job* */
  guint         pending;       /* queued + running */
  gboolean      quit;
  gboolean      want_ids;      /* the worker should refill the id pool */
  GError       *first_error;   /* since the last flush */
  gboolean      first_error_retried; /* it began a retry streak: gone once the retry saves */
  GError       *retry_error;   /* why the job at the head waits for a retry, or NULL */
  guint         retry_ms;
  gboolean      retry_now;     /* cut the current wait short (retry_now()) */
  gint64        next_id;       /* id pool: [next_id, end_id) */
  gint64        end_id;
};

G_DEFINE_FINAL_TYPE (LimnerStoreWriter, limner_store_writer, G_TYPE_OBJECT)

enum {
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_pointer (&op->shape, limner_shape_free);
  g_free (op->event);
  g_free (op->detail);
  g_free (op);
}

static Job *
job_new (void)
{
  Job *job = g_new0 (Job, 1);

  job->ops = g_ptr_array_new_with_free_func (op_free);
  return job;
}

static void
job_free (Job *job)
{
  g_ptr_array_unref (job->ops);
  g_free (job);
}

/* The caller queues the version it read from the store; it does not see
 * what its own earlier jobs made of it. Versions only grow while a shape
 * lives, so the larger of the two is what the row must hold if nobody else
 * wrote it meanwhile. A rolled-back batch leaves a remembered version too
 * high, so a batch notes the old values (versions_undo) to restore. */
static gint64
expected_version (LimnerStoreWriter *self,
                  gint64             shape_id,
                  gint64             queued)
{
  const gint64 *known = g_hash_table_lookup (self->versions, &shape_id);

  if (queued == 0)
    return 0;
  return known != NULL && known[1] > queued ? known[1] : queued;
}

static void
remember_version (LimnerStoreWriter *self,
                  gint64             shape_id,
                  gint64             version)
{
  gint64 *pair;

  if (self->versions_undo != NULL)
    {
      const gint64 *known = g_hash_table_lookup (self->versions, &shape_id);
      gint64 old[2] = { shape_id, known ? known[1] : 0 };

      g_array_append_vals (self->versions_undo, old, 2);
    }
  if (version == 0)
    {
      g_hash_table_remove (self->versions, &shape_id);
      return;
    }
  pair = g_new (gint64, 2);

  pair[0] = shape_id;
  pair[1] = version;
  g_hash_table_replace (self->versions, pair, pair);
}

static gboolean
run_op (LimnerStoreWriter  *self,
        Op                 *op,
        GError            **error)
{
  gboolean ok;

  switch (op->kind)
    {
    case OP_INSERT:
      ok = limner_store_insert_shape (self->store, op->shape, error);
      if (ok)
        remember_version (self, op->shape->id, 1);
      return ok;
    case OP_UPDATE:
      {
        /* The queued copy keeps the version it was queued with: a batch
         * rolled back and retried must check against it again. */
        gint64 queued = op->shape->row_version;

        op->shape->row_version = expected_version (self, op->shape->id, queued);
        ok = limner_store_update_shape (self->store, op->shape, error);
        if (ok)
          remember_version (self, op->shape->id, op->shape->row_version);
        op->shape->row_version = queued;
        return ok;
      }
    case OP_DELETE:
      ok = limner_store_delete_shape (self->store, op->shape_id,
                                      expected_version (self, op->shape_id, op->row_version), error);
      if (ok)
        remember_version (self, op->shape_id, 0);
      return ok;
    case OP_EVENT:
      return limner_store_log_event_at (self->store, op->ts, op->event, op->image_id,
                                        op->detail, error);
    default:
      g_assert_not_reached ();
    }
}

/* Runs one job in one transaction. Call with conn_lock held (or in
 * synchronous mode). */
static gboolean
run_job (LimnerStoreWriter  *self,
         Job                *job,
         GError            **error)
{
  gboolean batch = job->ops->len > 1;

  g_autoptr(GArray) undo = NULL;
  gboolean ok = TRUE;

  if (batch && !limner_store_begin (self->store, error))
    return FALSE;
  if (batch)
    undo = self->versions_undo = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; ok && i < job->ops->len; i++)
    ok = run_op (self, g_ptr_array_index (job->ops, i), error);
  self->versions_undo = NULL;
  if (!batch)
    return ok;
  if (ok)
    ok = limner_store_commit (self->store, error);
  else
    limner_store_rollback (self->store);
  /* Nothing of the batch stayed: neither do the versions it noted. */
  for (guint i = ok ? 0 : undo->len; i >= 2; i -= 2)
    remember_version (self, g_array_index (undo, gint64, i - 2), g_array_index (undo, gint64, i - 1));
  return ok;
}

typedef struct {
  LimnerStoreWriter *writer;
  GError            *error;
} Failure;

static gboolean
emit_save_failed_cb (gpointer data)
{
  Failure *failure = data;

  g_signal_emit (failure->writer, signals[SAVE_FAILED], 0, failure->error);
  g_object_unref (failure->writer);
  g_error_free (failure->error);
  g_free (failure);
  return G_SOURCE_REMOVE;
}

/* Keeps the first failure for flush() and signals every one. A failure
 * that will be retried (`retried`) is forgotten again once the retry saves
 * the job: flush() must not report an edit lost that was saved. */
static void
report_failure (LimnerStoreWriter *self,
                GError            *error,
                gboolean           retried)
{
  g_mutex_lock (&self->lock);
  if (self->first_error == NULL)
    {
      self->first_error = g_error_copy (error);
      self->first_error_retried = retried;
    }
  g_mutex_unlock (&self->lock);

  /* Not a warning: a failed save is a runtime condition the UI reports. */
  g_message ("Autosave failed: %s", error->message);

  if (self->sync)
    {
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
    }
  else
    {
      Failure *failure = g_new0 (Failure, 1);

      failure->writer = g_object_ref (self);
      failure->error = g_error_copy (error);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
                                  emit_save_failed_cb, failure, NULL);
    }
}

/* Worth retrying: a SQLite or I/O failure, or a database server out of
 * reach, not a refusal (permission, conflict, invalid data), which would
 * fail the same way again. */
static gboolean
error_is_transient (const GError *error)
{
  return g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED)
         || g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE);
}

/* Tops up the id pool. Call with conn_lock held (or in synchronous mode). */
static gboolean
refill_ids (LimnerStoreWriter  *self,
            guint               at_least,
            GError            **error)
{
  guint n = MAX (ID_BLOCK, at_least);
  gint64 first = 0;

  if (!limner_store_reserve_shape_ids (self->store, n, &first, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  /* The pool is a single range: what is left of the old one is dropped, a
   * harmless gap in the ids. */
  self->next_id = first;
  self->end_id = first + n;
  self->want_ids = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gpointer
worker_main (gpointer data)
{
  LimnerStoreWriter *self = data;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      Job *job;

      while (g_queue_is_empty (&self->queue) && !self->want_ids && !self->quit)
        g_cond_wait (&self->cond, &self->lock);
      if (g_queue_is_empty (&self->queue) && !self->want_ids)
        break; /* quit, with nothing left to save */

      job = g_queue_pop_head (&self->queue);
      g_mutex_unlock (&self->lock);

      g_mutex_lock (&self->conn_lock);
      if (job != NULL)
        {
          g_autoptr(GError) error = NULL;
          gboolean ok = run_job (self, job, &error);
          gboolean quitting;

          g_mutex_lock (&self->lock);
          quitting = self->quit;
          g_mutex_unlock (&self->lock);
          if (!ok && error_is_transient (error) && !quitting)
            {
              g_mutex_unlock (&self->conn_lock);
              g_mutex_lock (&self->lock);
              /* The first failure of a streak is signalled; the job keeps
               * its place, so later edits still apply in order. */
              if (self->retry_error == NULL)
                {
                  g_mutex_unlock (&self->lock);
                  report_failure (self, error, TRUE);
                  g_mutex_lock (&self->lock);
                }
              g_clear_error (&self->retry_error);
              self->retry_error = g_steal_pointer (&error);
              {
                guint max_ms = g_error_matches (self->retry_error, LIMNER_STORE_ERROR,
                                                LIMNER_STORE_ERROR_OFFLINE) ? RETRY_OFFLINE_MAX_MS : RETRY_MAX_MS;

                self->retry_ms = self->retry_ms ? MIN (self->retry_ms * 2, max_ms) : RETRY_FIRST_MS;
              }
              g_queue_push_head (&self->queue, job);
              g_cond_broadcast (&self->cond); /* flush() stops waiting */
              {
                gint64 until = g_get_monotonic_time () + self->retry_ms * G_TIME_SPAN_MILLISECOND;

                while (!self->quit && !self->retry_now && g_cond_wait_until (&self->cond, &self->lock, until))
                  ;
                self->retry_now = FALSE;
              }
              continue;
            }
          if (!ok)
            report_failure (self, error, FALSE);
          job_free (job);
          g_mutex_lock (&self->lock);
          if (ok && self->retry_error != NULL && self->first_error_retried)
            g_clear_error (&self->first_error);
          g_clear_error (&self->retry_error);
          self->retry_ms = 0;
          g_mutex_unlock (&self->lock);
        }
      else
        {
          g_autoptr(GError) error = NULL;

          /* Nothing to reserve for if reservation fails: the caller's next
           * reserve_shape_id() will retry and report the error. */
          if (!refill_ids (self, 0, &error))
            {
              g_debug ("Could not refill shape ids: %s", error->message);
              g_mutex_lock (&self->lock);
              self->want_ids = FALSE;
              g_mutex_unlock (&self->lock);
            }
        }
      g_mutex_unlock (&self->conn_lock);

      g_mutex_lock (&self->lock);
      if (job != NULL)
        self->pending--;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* The worker stops in dispose rather than finalize: while it drains the
 * queue it may still take a reference to report a failure, which is legal
 * during dispose. */
static void
limner_store_writer_dispose (GObject *object)
{
  LimnerStoreWriter *self = LIMNER_STORE_WRITER (object);

  if (self->thread != NULL)
    {
      /* Everything queued is still saved before the connection closes. */
      g_mutex_lock (&self->lock);
      self->quit = TRUE;
      self->want_ids = FALSE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->thread);
      self->thread = NULL;
    }

  G_OBJECT_CLASS (limner_store_writer_parent_class)->dispose (object);
}

static void
limner_store_writer_finalize (GObject *object)
{
  LimnerStoreWriter *self = LIMNER_STORE_WRITER (object);

  g_warn_if_fail (self->group_depth == 0);
  g_clear_pointer (&self->open_job, job_free);

  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  g_clear_error (&self->first_error);
  g_clear_error (&self->retry_error);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->versions, g_hash_table_unref);
  g_mutex_clear (&self->conn_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (limner_store_writer_parent_class)->finalize (object);
}

static void
limner_store_writer_class_init (LimnerStoreWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = limner_store_writer_dispose;
  object_class->finalize = limner_store_writer_finalize;

  /**
   * LimnerStoreWriter::save-failed:
   * @error: what went wrong, naming the image
   *
   * A queued write could not be committed. The edit is still on screen and
   * in the undo stack, but not in the store.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
limner_store_writer_init (LimnerStoreWriter *self)
{
  g_mutex_init (&self->conn_lock);
  self->versions = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
}

LimnerStoreWriter *
limner_store_writer_new (const char  *dir,
                         const char  *login,
                         GError     **error)
{
  g_autoptr(LimnerStoreWriter) self = NULL;
  g_autoptr(LimnerStore) store = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Opened here rather than on the worker so that a bad project fails the
   * constructor with a clear error; from now on only the worker (or a holder
   * of conn_lock) touches it. */
  store = limner_store_open (dir, login, error);
  if (store == NULL)
    return NULL;

  self = g_object_new (LIMNER_TYPE_STORE_WRITER, NULL);
  self->store = g_steal_pointer (&store);
  self->login = g_strdup (limner_store_get_login (self->store));
  self->context = g_main_context_ref_thread_default ();
  self->want_ids = TRUE; /* have a block ready before the first add */
  self->thread = g_thread_new ("limner-store-writer", worker_main, self);
  return g_steal_pointer (&self);
}

LimnerStoreWriter *
limner_store_writer_new_sync (LimnerStore *store)
{
  LimnerStoreWriter *self;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  self = g_object_new (LIMNER_TYPE_STORE_WRITER, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (limner_store_get_login (store));
  self->context = g_main_context_ref_thread_default ();
  self->sync = TRUE;
  return self;
}

gboolean
limner_store_writer_is_sync (LimnerStoreWriter *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), FALSE);

  return self->sync;
}

const char *
limner_store_writer_get_login (LimnerStoreWriter *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), NULL);

  return self->login;
}

/* Takes an id from the pool, asking the worker to refill it early. */
static gint64
take_id (LimnerStoreWriter *self)
{
  gint64 id = 0;

  g_mutex_lock (&self->lock);
  if (self->next_id < self->end_id)
    {
      id = self->next_id++;
      if (self->thread != NULL && !self->want_ids && self->end_id - self->next_id < ID_LOW_WATER)
        {
          self->want_ids = TRUE;
          g_cond_broadcast (&self->cond);
        }
    }
  g_mutex_unlock (&self->lock);
  return id;
}

gint64
limner_store_writer_reserve_shape_id (LimnerStoreWriter  *self,
                                      GError            **error)
{
  gint64 id;

  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  id = take_id (self);
  if (id != 0)
    return id;

  /* The pool ran dry: reserve right here, which waits at most for the job
   * the worker is running, unless the worker refilled it meanwhile. */
  g_mutex_lock (&self->conn_lock);
  id = take_id (self);
  if (id == 0 && refill_ids (self, 0, error))
    id = take_id (self);
  g_mutex_unlock (&self->conn_lock);
  return id;
}

static void
queue_job (LimnerStoreWriter *self,
           Job               *job)
{
  if (job->ops->len == 0)
    {
      job_free (job);
      return;
    }

  if (self->sync)
    {
      g_autoptr(GError) error = NULL;

      if (!run_job (self, job, &error))
        report_failure (self, error, FALSE);
      job_free (job);
      return;
    }

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->queue, job);
  self->pending++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
add_op (LimnerStoreWriter *self,
        Op                *op)
{
  if (self->open_job != NULL)
    {
      g_ptr_array_add (self->open_job->ops, op);
    }
  else
    {
      Job *job = job_new ();

      g_ptr_array_add (job->ops, op);
      queue_job (self, job);
    }
}

void
limner_store_writer_begin (LimnerStoreWriter *self)
{
  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));

  if (self->group_depth++ == 0)
    self->open_job = job_new ();
}

void
limner_store_writer_commit (LimnerStoreWriter *self)
{
  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth == 0)
    queue_job (self, g_steal_pointer (&self->open_job));
}

void
limner_store_writer_insert_shape (LimnerStoreWriter *self,
                                  const LimnerShape *shape)
{
  Op *op;

  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));
  g_return_if_fail (shape != NULL);
  g_return_if_fail (shape->id > 0);

  op = g_new0 (Op, 1);
  op->kind = OP_INSERT;
  op->shape = limner_shape_copy (shape);
  add_op (self, op);
}

void
limner_store_writer_update_shape (LimnerStoreWriter *self,
                                  const LimnerShape *shape)
{
  Op *op;

  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));
  g_return_if_fail (shape != NULL);
  g_return_if_fail (shape->id > 0);

  op = g_new0 (Op, 1);
  op->kind = OP_UPDATE;
  op->shape = limner_shape_copy (shape);
  add_op (self, op);
}

void
limner_store_writer_delete_shape (LimnerStoreWriter *self,
                                  gint64             shape_id,
                                  gint64             row_version)
{
  Op *op;

  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));
  g_return_if_fail (shape_id > 0);

  op = g_new0 (Op, 1);
  op->kind = OP_DELETE;
  op->shape_id = shape_id;
  op->row_version = row_version;
  add_op (self, op);
}

void
limner_store_writer_log_event (LimnerStoreWriter *self,
                               const char        *kind,
                               gint64             image_id,
                               const char        *detail_json)
{
  Op *op;
  Job *tail = NULL;

  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));
  g_return_if_fail (kind != NULL);

  op = g_new0 (Op, 1);
  op->kind = OP_EVENT;
  op->event = g_strdup (kind);
  op->image_id = image_id;
  op->detail = g_strdup (detail_json);
  op->ts = g_get_real_time ();
  if (self->open_job != NULL || self->sync)
    {
      add_op (self, op);
      return;
    }

  /* Rides along with a job still waiting in the queue (the worker pops a
   * job before running it, so a queued one is never in progress). */
  g_mutex_lock (&self->lock);
  tail = g_queue_peek_tail (&self->queue);
  if (tail != NULL)
    g_ptr_array_add (tail->ops, op);
  g_mutex_unlock (&self->lock);
  if (tail == NULL)
    add_op (self, op);
}

gboolean
limner_store_writer_flush (LimnerStoreWriter  *self,
                           GError            **error)
{
  GError *first_error;

  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  g_mutex_lock (&self->lock);
  while (self->pending > 0 && self->retry_error == NULL)
    g_cond_wait (&self->cond, &self->lock);
  first_error = g_steal_pointer (&self->first_error);
  if (first_error == NULL && self->retry_error != NULL)
    first_error = g_error_copy (self->retry_error);
  g_mutex_unlock (&self->lock);

  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

guint
limner_store_writer_get_pending (LimnerStoreWriter *self)
{
  guint pending;

  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), 0);

  g_mutex_lock (&self->lock);
  pending = self->pending;
  g_mutex_unlock (&self->lock);
  return pending;
}

gboolean
limner_store_writer_is_retrying (LimnerStoreWriter  *self,
                                 GError            **error)
{
  gboolean retrying;

  g_return_val_if_fail (LIMNER_IS_STORE_WRITER (self), FALSE);

  g_mutex_lock (&self->lock);
  retrying = self->retry_error != NULL;
  if (retrying && error != NULL)
    *error = g_error_copy (self->retry_error);
  g_mutex_unlock (&self->lock);
  return retrying;
}

void
limner_store_writer_retry_now (LimnerStoreWriter *self)
{
  g_return_if_fail (LIMNER_IS_STORE_WRITER (self));

  g_mutex_lock (&self->lock);
  if (self->retry_error != NULL)
    {
      self->retry_now = TRUE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}
