/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-document.h"
#include "limner-live-refresh.h"
#include "limner-store-watch.h"
#include "limner-worker.h"

/* An edit of our own still waiting: look again this much later. */
#define BUSY_RETRY_MS 300

struct _LimnerLiveRefresh
{
  GObject parent_instance;

  /* Borrowed references (weak) */
  LimnerAnnotatePage *annotate_page;
  LimnerProjectPage  *project_page;

  /* Owned references */
  LimnerStoreWatch   *watch;

  guint               retry;
  guint               grid_retry;
};

G_DEFINE_FINAL_TYPE (LimnerLiveRefresh, limner_live_refresh, G_TYPE_OBJECT)

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static gpointer
read_shapes_in_worker (LimnerWorker  *worker,
                       LimnerStore   *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return limner_store_list_shapes (store, *(gint64 *) data, error);
}

static gboolean
edit_pending (LimnerDocument *document)
{
  LimnerStoreWriter *writer = limner_document_get_writer (document);

  return writer != NULL && (limner_store_writer_get_pending (writer) > 0
                            || limner_store_writer_is_retrying (writer, NULL));
}

static void
shapes_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(LimnerDocument) document = g_weak_ref_get (ref);
  g_autoptr(GPtrArray) shapes = g_task_propagate_pointer (G_TASK (result), NULL);

  weak_ref_free (ref);
  /* The image was closed, or the user edited while we read: the next
   * change (their own save) brings us back. */
  if (document == NULL || shapes == NULL || edit_pending (document))
    return;
  limner_document_merge_shapes (document, shapes);
}

void
limner_annotate_page_reload_shapes (LimnerAnnotatePage *page)
{
  LimnerDocument *document;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GTask) task = NULL;
  GWeakRef *ref;
  gint64 *image_id;
  LimnerWorker *worker;

  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (page));

  document = limner_annotate_page_get_document (page);
  g_object_get (page, "store", &store, NULL);
  if (document == NULL || store == NULL)
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, document);
  image_id = g_new (gint64, 1);
  *image_id = limner_document_get_image_id (document);
  task = g_task_new (NULL, NULL, shapes_read_cb, ref);
  g_task_set_source_tag (task, limner_annotate_page_reload_shapes);
  worker = limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store));
  limner_worker_run (worker, task, read_shapes_in_worker, image_id, g_free,
                     (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
refresh_annotate (gpointer data)
{
  LimnerLiveRefresh *self = data;
  LimnerDocument *document;

  self->retry = 0;
  if (self->annotate_page == NULL)
    return G_SOURCE_REMOVE;
  document = limner_annotate_page_get_document (self->annotate_page);
  if (document == NULL)
    return G_SOURCE_REMOVE;
  if (edit_pending (document))
    self->retry = g_timeout_add (BUSY_RETRY_MS, refresh_annotate, self);
  else
    limner_annotate_page_reload_shapes (self->annotate_page);
  return G_SOURCE_REMOVE;
}

static void
on_changed (LimnerStoreWatch  *watch,
            LimnerLiveRefresh *self)
{
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
  self->watch = limner_store_watch_new (limner_store_get_dir (store), 0, &error);
  if (self->watch == NULL)
    {
      g_message ("%s", error->message);
      return NULL;
    }
  g_set_weak_pointer (&self->annotate_page, annotate_page);
  g_set_weak_pointer (&self->project_page, project_page);
  g_signal_connect (self->watch, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (self->watch, "images-changed", G_CALLBACK (on_images_changed), self);
  return g_steal_pointer (&self);
}

static void
on_reload_clicked (AdwToast           *toast,
                   LimnerAnnotatePage *page)
{
  limner_annotate_page_reload_shapes (page);
}

AdwToast *
limner_live_refresh_save_failed_toast (LimnerAnnotatePage *page,
                                       const GError       *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not save: %s"), error->message);
  g_autofree char *markup = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, 4);
  if (g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT))
    {
      /* Until dismissed: the user decides when to see the other's edit. */
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Reload"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_reload_clicked), page, 0);
    }
  return toast;
}
