/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-worker.c: slow work on a worker thread with its own store. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-worker.h"

struct _LimnerWorker
{
  gatomicrefcount           ref_count;

  char                     *dir;
  char                     *login;
  char                     *create_name;
  gboolean                  create;

  LimnerWorkerFunc          func;
  gpointer                  data;
  GDestroyNotify            data_destroy;
  GDestroyNotify            result_destroy;

  GMainContext             *context;
  LimnerWorkerProgressFunc  progress;
  gpointer                  progress_data;
  GDestroyNotify            progress_destroy;

  /* Under the mutex: the latest progress, and whether an idle will report it. */
  GMutex                    mutex;
  guint                     done;
  guint                     total;
  char                     *current;
  gboolean                  idle_queued;
};

LimnerWorker *
limner_worker_new (const char *project_dir,
                   const char *login)
{
  LimnerWorker *self;

  g_return_val_if_fail (project_dir != NULL, NULL);

  self = g_new0 (LimnerWorker, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->dir = g_strdup (project_dir);
  self->login = g_strdup (login);
  return self;
}

static LimnerWorker *
worker_ref (LimnerWorker *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
worker_unref (LimnerWorker *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->data_destroy != NULL)
    self->data_destroy (self->data);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_free (self->current);
  g_free (self->dir);
  g_free (self->login);
  g_free (self->create_name);
  g_free (self);
}

void
limner_worker_set_create (LimnerWorker *self,
                          const char   *name)
{
  g_return_if_fail (self != NULL);

  self->create = TRUE;
  g_free (self->create_name);
  self->create_name = g_strdup (name);
}

void
limner_worker_set_progress (LimnerWorker             *self,
                            LimnerWorkerProgressFunc  progress,
                            gpointer                  progress_data,
                            GDestroyNotify            destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->progress == NULL);

  self->progress = progress;
  self->progress_data = progress_data;
  self->progress_destroy = destroy;
}

static gboolean
report_progress (gpointer user_data)
{
  LimnerWorker *self = user_data;
  g_autofree char *current = NULL;
  guint done, total;

  g_mutex_lock (&self->mutex);
  self->idle_queued = FALSE;
  done = self->done;
  total = self->total;
  current = g_steal_pointer (&self->current);
  g_mutex_unlock (&self->mutex);

  self->progress (done, total, current, self->progress_data);
  return G_SOURCE_REMOVE;
}

void
limner_worker_progress (LimnerWorker *self,
                        guint         done,
                        guint         total,
                        const char   *current)
{
  g_return_if_fail (self != NULL);

  if (self->progress == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->done = done;
  self->total = total;
  g_free (self->current);
  self->current = g_strdup (current);
  if (!self->idle_queued)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      self->idle_queued = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, report_progress, worker_ref (self), (GDestroyNotify) worker_unref);
      g_source_set_static_name (source, "[limner] worker progress");
      g_source_attach (source, self->context);
    }
  g_mutex_unlock (&self->mutex);
}

void
limner_worker_progress_func (guint       done,
                             guint       total,
                             const char *current,
                             gpointer    worker)
{
  limner_worker_progress (worker, done, total, current);
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LimnerWorker *self = task_data;
  g_autoptr(LimnerStore) store = NULL;
  GError *error = NULL;
  gpointer result;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (self->create && !limner_store_exists (self->dir))
    {
      g_autofree char *name = self->create_name ? g_strdup (self->create_name)
                                                : g_path_get_basename (self->dir);

      store = limner_store_create (self->dir, name, self->login, &error);
    }
  else
    store = limner_store_open (self->dir, self->login, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result = self->func (self, store, self->data, cancellable, &error);
  if (error != NULL)
    {
      if (result != NULL && self->result_destroy != NULL)
        self->result_destroy (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, self->result_destroy);
}

void
limner_worker_run (LimnerWorker   *self,
                   GTask          *task,
                   LimnerWorkerFunc func,
                   gpointer        data,
                   GDestroyNotify  data_destroy,
                   GDestroyNotify  result_destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);
  g_return_if_fail (self->func == NULL);

  self->func = func;
  self->data = data;
  self->data_destroy = data_destroy;
  self->result_destroy = result_destroy;
  self->context = g_main_context_ref_thread_default ();

  g_task_set_task_data (task, self, (GDestroyNotify) worker_unref);
  g_task_run_in_thread (task, worker_thread);
}
