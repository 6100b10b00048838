/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the worker helper: work on a worker thread with its own store,
 * progress on the caller's main context, cancellation. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "limner-core.h"
#include "limner-store.h"
#include "limner-test-util.h"
#include "limner-worker.h"

#define TIMEOUT_MS 20000
#define N_STEPS 200

typedef struct {
  char          *tmp;
  char          *dir;
  LimnerStore   *store;
  GThread       *main_thread;
  /* Written by the worker function. */
  gint           func_ran;
  gboolean       own_store;
  gboolean       on_worker_thread;
  /* Written by the progress function. */
  guint          calls;
  guint          last_done;
  guint          last_total;
  char          *last_current;
  gboolean       progress_off_main;
  gint           progress_destroyed;
  GCancellable  *cancel_on_progress;
  /* The outcome. */
  gboolean       finished;
  char          *result;
  GError        *error;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("limner-test-worker-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "project", NULL);
  f->store = limner_store_create (f->dir, "Worker", NULL, &error);
  g_assert_no_error (error);
  f->main_thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  limner_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
  g_free (f->last_current);
  g_free (f->result);
  g_clear_error (&f->error);
}

static void
on_progress (guint done, guint total, const char *current, gpointer user_data)
{
  Fixture *f = user_data;

  f->calls++;
  f->last_done = done;
  f->last_total = total;
  g_free (f->last_current);
  f->last_current = g_strdup (current);
  if (g_thread_self () != f->main_thread)
    f->progress_off_main = TRUE;
  if (f->cancel_on_progress != NULL)
    g_cancellable_cancel (f->cancel_on_progress);
}

static void
on_progress_destroyed (gpointer user_data)
{
  Fixture *f = user_data;

  g_atomic_int_inc (&f->progress_destroyed);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->result = g_task_propagate_pointer (G_TASK (result), &f->error);
  f->finished = TRUE;
}

static gboolean
is_finished (gpointer data)
{
  return ((Fixture *) data)->finished;
}

static gboolean
progress_destroyed (gpointer data)
{
  return g_atomic_int_get (&((Fixture *) data)->progress_destroyed) > 0;
}

/* Reports N_STEPS steps as fast as it can, then names the project. */
static gpointer
count_in_worker (LimnerWorker  *worker,
                 LimnerStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Fixture *f = data;

  g_atomic_int_inc (&f->func_ran);
  f->own_store = store != f->store && g_str_equal (limner_store_get_dir (store), f->dir);
  f->on_worker_thread = g_thread_self () != f->main_thread;
  for (guint i = 1; i <= N_STEPS; i++)
    {
      g_autofree char *current = g_strdup_printf ("step %u", i);

      limner_worker_progress (worker, i, N_STEPS, current);
    }
  return g_strdup (limner_store_get_dir (store));
}

/* Waits for the cancellable, reporting progress so the test can cancel. */
static gpointer
wait_in_worker (LimnerWorker  *worker,
                LimnerStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Fixture *f = data;
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

  g_atomic_int_inc (&f->func_ran);
  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    {
      limner_worker_progress_func (0, 0, NULL, worker);
      g_usleep (2000);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_strdup ("not cancelled");
}

static void
run (Fixture *f, LimnerWorker *worker, LimnerWorkerFunc func, GCancellable *cancellable)
{
  GTask *task = g_task_new (NULL, cancellable, on_done, f);

  limner_worker_set_progress (worker, on_progress, f, on_progress_destroyed);
  limner_worker_run (worker, task, func, f, NULL, g_free);
  g_object_unref (task);
  g_assert_true (limner_test_wait_for (is_finished, f, TIMEOUT_MS));
  /* Everything queued is over once the progress data is let go. */
  g_assert_true (limner_test_wait_for (progress_destroyed, f, TIMEOUT_MS));
}

static void
test_run (Fixture *f, gconstpointer data)
{
  run (f, limner_worker_new (f->dir, NULL), count_in_worker, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpstr (f->result, ==, f->dir);
  g_assert_cmpint (f->func_ran, ==, 1);
  g_assert_true (f->own_store);
  g_assert_true (f->on_worker_thread);

  /* Progress came on the main context, coalesced, and the last values last. */
  g_assert_false (f->progress_off_main);
  g_assert_cmpuint (f->calls, >=, 1);
  g_assert_cmpuint (f->calls, <=, N_STEPS);
  g_assert_cmpuint (f->last_done, ==, N_STEPS);
  g_assert_cmpuint (f->last_total, ==, N_STEPS);
  g_assert_cmpstr (f->last_current, ==, "step " G_STRINGIFY (N_STEPS));
  g_assert_cmpint (f->progress_destroyed, ==, 1);
}

static void
test_cancel_running (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  f->cancel_on_progress = cancellable;
  run (f, limner_worker_new (f->dir, NULL), wait_in_worker, cancellable);

  g_assert_cmpint (f->func_ran, ==, 1);
  g_assert_null (f->result);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->calls, >=, 1);
}

static void
test_cancel_before (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  run (f, limner_worker_new (f->dir, NULL), count_in_worker, cancellable);

  g_assert_cmpint (f->func_ran, ==, 0);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->calls, ==, 0);
}

static void
test_open_fails (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->tmp, "missing", NULL);

  run (f, limner_worker_new (missing, NULL), count_in_worker, NULL);

  g_assert_cmpint (f->func_ran, ==, 0);
  g_assert_error (f->error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT);
  g_assert_false (limner_store_exists (missing));
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autofree char *fresh = g_build_filename (f->tmp, "fresh", NULL);
  LimnerWorker *worker = limner_worker_new (fresh, NULL);

  g_free (f->dir);
  f->dir = g_strdup (fresh);
  limner_worker_set_create (worker, "Fresh");
  run (f, worker, count_in_worker, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpint (f->func_ran, ==, 1);
  g_assert_true (limner_store_exists (fresh));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (limner_core_init (argv[0], NULL));

#define ADD(name, func) \
  g_test_add ("/core/worker/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("run", test_run);
  ADD ("cancel-running", test_cancel_running);
  ADD ("cancel-before", test_cancel_before);
  ADD ("open-fails", test_open_fails);
  ADD ("create", test_create);
#undef ADD

  return g_test_run ();
}
