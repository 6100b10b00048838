/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-document.h"
#include "limner-live-refresh.h"
#include "limner-review-page.h"
#include "limner-store-watch.h"

/* An edit of our own still waiting: look again this much later. */
#define BUSY_RETRY_MS 300

struct _LimnerLiveRefresh
{
  GObject parent_instance;

  /* Borrowed references (weak) */
  LimnerAnnotatePage *annotate_page;
  LimnerProjectPage  *project_page;
  LimnerReviewPage   *review_page;

  /* Owned references */
  LimnerStoreWatch   *watch;

  guint               retry;
  guint               grid_retry;
};

G_DEFINE_FINAL_TYPE (LimnerLiveRefresh, limner_live_refresh, G_TYPE_OBJECT)

/* FALSE if the page has an edit of its own waiting: look again later. */
static gboolean
refresh_shapes (LimnerAnnotatePage *page)
{
  if (page == NULL || limner_annotate_page_get_document (page) == NULL)
    return TRUE;
  if (limner_annotate_page_has_pending_edits (page))
    return FALSE;
  limner_annotate_page_reload_shapes (page);
  return TRUE;
}

static LimnerAnnotatePage *
review_annotate_page (LimnerLiveRefresh *self)
{
  return self->review_page != NULL ? limner_review_page_get_annotate_page (self->review_page) : NULL;
}

static gboolean
refresh_annotate (gpointer data)
{
  LimnerLiveRefresh *self = data;
  gboolean done;

  self->retry = 0;
  done = refresh_shapes (self->annotate_page);
  done = refresh_shapes (review_annotate_page (self)) && done;
  if (!done)
    self->retry = g_timeout_add (BUSY_RETRY_MS, refresh_annotate, self);
  return G_SOURCE_REMOVE;
}

static void
on_changed (LimnerStoreWatch  *watch,
            LimnerLiveRefresh *self)
{
  /* A claim, a submission or a review decision on the image shown: its
   * status, the rejection bar, the QC panel's marks and history. */
  if (self->annotate_page != NULL)
    limner_annotate_page_reload_record (self->annotate_page);
  if (review_annotate_page (self) != NULL)
    limner_annotate_page_reload_record (review_annotate_page (self));
  if (self->retry == 0)
    refresh_annotate (self);
}

static gboolean
refresh_grid (gpointer data)
{
  LimnerLiveRefresh *self = data;

  self->grid_retry = 0;
  if (self->project_page == NULL)
    return G_SOURCE_REMOVE;
  /* A load under way may have read the table before the change: wait for
   * it, then load again. */
  if (limner_project_page_get_loading (self->project_page)
      || limner_project_page_get_importing (self->project_page))
    self->grid_retry = g_timeout_add (BUSY_RETRY_MS, refresh_grid, self);
  else
    limner_project_page_reload (self->project_page);
  return G_SOURCE_REMOVE;
}

static void
on_images_changed (LimnerStoreWatch  *watch,
                   LimnerLiveRefresh *self)
{
  if (self->grid_retry == 0)
    refresh_grid (self);
  /* Submissions arrive and others' decisions leave; the image on screen
   * stays while it waits. A hidden page reads the queue when shown. */
  if (self->review_page != NULL && limner_review_page_get_store (self->review_page) != NULL
      && gtk_widget_get_mapped (GTK_WIDGET (self->review_page)))
    limner_review_page_reload (self->review_page);
}

static void
limner_live_refresh_dispose (GObject *object)
{
  LimnerLiveRefresh *self = LIMNER_LIVE_REFRESH (object);

  g_clear_handle_id (&self->retry, g_source_remove);
  g_clear_handle_id (&self->grid_retry, g_source_remove);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_weak_pointer (&self->annotate_page);
  g_clear_weak_pointer (&self->project_page);
  g_clear_weak_pointer (&self->review_page);
  G_OBJECT_CLASS (limner_live_refresh_parent_class)->dispose (object);
}

static void
limner_live_refresh_class_init (LimnerLiveRefreshClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = limner_live_refresh_dispose;
}

static void
limner_live_refresh_init (LimnerLiveRefresh *self)
{
}

LimnerLiveRefresh *
limner_live_refresh_new (LimnerStore        *store,
                         LimnerAnnotatePage *annotate_page,
                         LimnerProjectPage  *project_page)
{
  g_autoptr(LimnerLiveRefresh) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  self = g_object_new (LIMNER_TYPE_LIVE_REFRESH, NULL);
  self->watch = limner_store_watch_new_for_store (store, 0, &error);
  if (self->watch == NULL)
    {
      /* The store keeps a team project's address without its password. */
      g_message ("%s", error->message);
      return NULL;
    }
  g_set_weak_pointer (&self->annotate_page, annotate_page);
  g_set_weak_pointer (&self->project_page, project_page);
  g_signal_connect (self->watch, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (self->watch, "images-changed", G_CALLBACK (on_images_changed), self);
  return g_steal_pointer (&self);
}


void
limner_live_refresh_set_review_page (LimnerLiveRefresh *self,
                                     LimnerReviewPage  *review_page)
{
  g_return_if_fail (LIMNER_IS_LIVE_REFRESH (self));

  g_set_weak_pointer (&self->review_page, review_page);
}
