/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-progress.h"

struct _LimnerProgress
{
  GObject parent_instance;

  /* Under `mutex` */
  GMutex   mutex;
  guint    done;
  guint    total;
  char    *current;
  gboolean idle_queued;
};

G_DEFINE_FINAL_TYPE (LimnerProgress, limner_progress, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
limner_progress_finalize (GObject *object)
{
  LimnerProgress *self = (LimnerProgress *)object;

  g_mutex_clear (&self->mutex);
  g_free (self->current);

  G_OBJECT_CLASS (limner_progress_parent_class)->finalize (object);
}

static void
limner_progress_class_init (LimnerProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = limner_progress_finalize;

  /* Emitted on the main context after one or more updates. */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
limner_progress_init (LimnerProgress *self)
{
  g_mutex_init (&self->mutex);
}

LimnerProgress *
limner_progress_new (void)
{
  return g_object_new (LIMNER_TYPE_PROGRESS, NULL);
}

static gboolean
emit_changed (gpointer data)
{
  LimnerProgress *self = data;

  g_mutex_lock (&self->mutex);
  self->idle_queued = FALSE;
  g_mutex_unlock (&self->mutex);

  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

void
limner_progress_update (LimnerProgress *self,
                        guint           done,
                        guint           total,
                        const char     *current)
{
  g_return_if_fail (LIMNER_IS_PROGRESS (self));

  g_mutex_lock (&self->mutex);
  self->done = done;
  self->total = total;
  g_free (self->current);
  self->current = g_strdup (current);
  if (!self->idle_queued)
    {
      self->idle_queued = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed, g_object_ref (self), g_object_unref);
    }
  g_mutex_unlock (&self->mutex);
}

void
limner_progress_import_func (guint       done,
                             guint       total,
                             const char *current,
                             gpointer    user_data)
{
  limner_progress_update (user_data, done, total, current);
}

void
limner_progress_get (LimnerProgress  *self,
                     guint           *done,
                     guint           *total,
                     char           **current)
{
  g_return_if_fail (LIMNER_IS_PROGRESS (self));

  g_mutex_lock (&self->mutex);
  if (done != NULL)
    *done = self->done;
  if (total != NULL)
    *total = self->total;
  if (current != NULL)
    *current = g_strdup (self->current);
  g_mutex_unlock (&self->mutex);
}
