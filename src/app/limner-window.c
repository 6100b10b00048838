/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-import-annotations-dialog.h"
#include "limner-activity-monitor.h"
#include "limner-analytics-page.h"
#include "limner-labels-dialog.h"
#include "limner-live-refresh.h"
#include "limner-pg.h"
#include "limner-project-settings-dialog.h"
#include "limner-queue.h"
#include "limner-recent-projects.h"
#include "limner-review-page.h"
#include "limner-settings.h"
#include "limner-store-backup.h"
#include "limner-toast.h"
#include "limner-worker.h"
#include "limner-versions-page.h"
#include "limner-fs.h"
#include "limner-window-private.h"

G_DEFINE_FINAL_TYPE (LimnerWindow, limner_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (LimnerWindow *self)
{
  gboolean has_project = self->store != NULL;
  gboolean on_image = has_project &&
                      gtk_stack_get_visible_child (self->stack) == self->image_page;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-files", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-annotations", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-versions", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-review", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-analytics", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-labels", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.project-settings", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-project", on_image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-image", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-image", on_image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.submit-image", on_image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.release-image",
                                 on_image && self->shown_releasable);
}

static gboolean
is_annotator (LimnerWindow *self)
{
  return self->store != NULL && (limner_store_get_roles (self->store) & LIMNER_ROLE_ANNOTATOR) != 0;
}

static void
update_title (LimnerWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->store != NULL)
    name = limner_store_dup_name (self->store);

  if (name != NULL && *name != '\0')
    {
      /* Translators: the window title: the project's name, then the application's */
      title = g_strdup_printf (_("%s — Limner"), name);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Limner"));
}

/* Finds the grid position of an image, or -1. Linear, but only on a key press. */
static int
find_position (LimnerWindow *self,
               gint64        image_id)
{
  GListModel *model = limner_project_page_get_model (self->project_page);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, i);

      if (limner_image_item_get_id (item) == image_id)
        return (int)i;
    }

  return -1;
}

/* The id of the image `delta` places from the shown one in the grid, or 0. */
static gint64
grid_neighbour (LimnerWindow *self,
                int           delta)
{
  GListModel *model = limner_project_page_get_model (self->project_page);
  g_autoptr(LimnerImageItem) item = NULL;
  int position = find_position (self, self->shown_image_id);

  if (position < 0)
    return 0;
  position += delta;
  if (position < 0 || (guint)position >= g_list_model_get_n_items (model))
    return 0;
  item = g_list_model_get_item (model, position);
  return limner_image_item_get_id (item);
}

/* The grid's badge follows the store. */
static void
update_grid_item (LimnerWindow            *self,
                  const LimnerImageRecord *record)
{
  GListModel *model = limner_project_page_get_model (self->project_page);
  int position = find_position (self, record->id);

  if (position >= 0)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, position);

      limner_image_item_update (item, record);
    }
}

/* Opening an image anew (not by walking the history) drops the images ahead
 * of the current one, as a web browser does. */
static void
history_push (LimnerWindow *self,
              gint64        image_id)
{
  if (self->history->len > 0)
    {
      if (g_array_index (self->history, gint64, self->history_pos) == image_id)
        return;
      g_array_set_size (self->history, self->history_pos + 1);
    }
  g_array_append_val (self->history, image_id);
  self->history_pos = self->history->len - 1;
}

static void
history_clear (LimnerWindow *self)
{
  g_array_set_size (self->history, 0);
  self->history_pos = 0;
}

static void
show_status_in_title (LimnerWindow            *self,
                      const LimnerImageRecord *record)
{
  adw_window_title_set_subtitle (self->image_title, limner_image_status_get_title (record->status));
  self->shown_releasable = record->status == LIMNER_IMAGE_IN_PROGRESS &&
                           (g_strcmp0 (record->assignee, limner_store_get_login (self->store)) == 0 ||
                            (limner_store_get_roles (self->store) & LIMNER_ROLE_LEAD));
  update_actions (self);
}

static void
display_record (LimnerWindow            *self,
                const LimnerImageRecord *record)
{
  g_autofree char *name = g_path_get_basename (record->path);

  adw_window_title_set_title (self->image_title, name);
  self->shown_image_id = record->id;
  gtk_stack_set_visible_child_name (self->stack, "image");
  limner_annotate_page_set_image (self->annotate_page, record);
  update_grid_item (self, record);
  show_status_in_title (self, record);
}

/* Opens an image the way the acting user should have it: an annotator takes
 * free work (limner_queue_open()); anything else opens as it is, read-only
 * when the store would refuse the user's edits. */
static gboolean
open_image (LimnerWindow  *self,
            gint64         image_id,
            GError       **error)
{
  g_autoptr(LimnerImageRecord) record = limner_queue_open (self->store, image_id, error);

  if (record == NULL)
    return FALSE;
  display_record (self, record);
  return TRUE;
}

static void
open_image_or_complain (LimnerWindow *self,
                        gint64        image_id)
{
  g_autoptr(GError) error = NULL;

  if (open_image (self, image_id, &error))
    history_push (self, image_id);
  else
    limner_window_show_error (self, error);
}

/* Shows an image as it stands, taking nothing: looking at an image from the
 * grid must not claim it. The image page claims free work on its first edit
 * ("claimed"), Next Image takes the next. */
static void
view_image (LimnerWindow *self,
            gint64        image_id)
{
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = limner_store_get_image (self->store, image_id, &error);
  if (record == NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  display_record (self, record);
  history_push (self, image_id);
}

static void
back_to_grid (LimnerWindow *self)
{
  limner_annotate_page_set_image (self->annotate_page, NULL);
  self->shown_image_id = 0;
  self->shown_releasable = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "project");
  update_actions (self);
}

static void
all_done (LimnerWindow *self)
{
  AdwToast *toast = adw_toast_new (_("All done — no images left in your queue"));

  /* Shown at once, ahead of any toast still on screen. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  back_to_grid (self);
  limner_window_add_toast (self, toast);
}

static gboolean
takeable (const LimnerImageRecord *record,
          const char              *login)
{
  if (record->status == LIMNER_IMAGE_IN_PROGRESS)
    return g_strcmp0 (record->assignee, login) == 0;
  return (record->status == LIMNER_IMAGE_NEW || record->status == LIMNER_IMAGE_REJECTED) &&
         (record->assignee == NULL || g_str_equal (record->assignee, login));
}

/* The first image after `after_id` in the grid's order (and round) that the
 * acting annotator holds or can take, taken. NULL with no error if none. */
static LimnerImageRecord *
take_after (LimnerWindow  *self,
            gint64         after_id,
            GError       **error)
{
  GListModel *model = limner_project_page_get_model (self->project_page);
  guint n = g_list_model_get_n_items (model);
  int start = find_position (self, after_id);
  const char *login = limner_store_get_login (self->store);

  for (guint k = 1; start >= 0 && k < n; k++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, (start + k) % n);
      g_autoptr(LimnerImageRecord) record = NULL;

      if (!takeable (limner_image_item_get_record (item), login))
        continue;
      /* The grid may lag behind the store (another annotator took the
       * image meanwhile): the store decides. */
      record = limner_queue_open (self->store, limner_image_item_get_id (item), error);
      if (record == NULL)
        return NULL;
      update_grid_item (self, record);
      if (record->status == LIMNER_IMAGE_IN_PROGRESS && g_strcmp0 (record->assignee, login) == 0)
        return g_steal_pointer (&record);
    }
  return NULL;
}

/* An annotator's next image. From an image, the next one after it that is
 * theirs to take, so that Page Down moves on even from an image they hold;
 * from the grid or after a submit, the store's choice
 * (limner_store_claim_next(): their own work first, then new images, then
 * stale claims). With nothing left, says so and shows the grid. */
static void
take_next (LimnerWindow *self,
           gint64        after_id)
{
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (after_id != 0)
    record = take_after (self, after_id, &error);
  if (record == NULL && error == NULL)
    record = limner_queue_next (self->store, &error);
  if (error != NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  if (record == NULL)
    {
      all_done (self);
      return;
    }
  if (record->id == after_id)
    {
      /* Their own image is all that is left. */
      limner_window_add_toast (self, adw_toast_new (_("No other images in your queue")));
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  display_record (self, record);
  history_push (self, record->id);
}

static void
show_history (LimnerWindow *self,
              guint         position)
{
  g_autoptr(GError) error = NULL;

  if (open_image (self, g_array_index (self->history, gint64, position), &error))
    self->history_pos = position;
  else
    limner_window_show_error (self, error);
}

static void
go_next (LimnerWindow *self)
{
  gboolean on_image = gtk_stack_get_visible_child (self->stack) == self->image_page;
  gint64 id;

  if (self->store == NULL)
    return;
  if (on_image && self->history_pos + 1 < self->history->len)
    show_history (self, self->history_pos + 1);
  else if (is_annotator (self))
    take_next (self, on_image ? self->shown_image_id : 0);
  else if ((id = grid_neighbour (self, +1)) != 0)
    open_image_or_complain (self, id);
  else if (!on_image && g_list_model_get_n_items (limner_project_page_get_model (self->project_page)) > 0)
    {
      g_autoptr(LimnerImageItem) first = g_list_model_get_item (limner_project_page_get_model (self->project_page), 0);

      open_image_or_complain (self, limner_image_item_get_id (first));
    }
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
go_previous (LimnerWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->history_pos > 0 && self->history_pos < self->history->len)
    {
      show_history (self, self->history_pos - 1);
      return;
    }
  /* Before the first image shown: the one before it in the grid. */
  id = grid_neighbour (self, -1);
  if (id == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (!open_image (self, id, &error))
    {
      limner_window_show_error (self, error);
      return;
    }
  g_array_prepend_val (self->history, id);
  self->history_pos = 0;
}

/* Names the image and why, in a toast: "Could not submit a.jpg: ...". */
static void
queue_failed (LimnerWindow *self,
              const char   *format,
              const char   *path,
              const GError *error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *message = g_strdup_printf (format, name, error->message);
  g_autofree char *markup = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, 8);
  g_message ("%s", message);
  limner_offline_banner_report (self->offline_banner, error);
  limner_window_add_toast (self, toast);
}

/* Ctrl+Enter: the edits saved, the image submitted, the next one opened. */
static void
submit_image (LimnerWindow *self)
{
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = self->shown_image_id;

  if (self->store == NULL || id == 0)
    return;
  record = limner_store_get_image (self->store, id, &error);
  if (record == NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  /* Work submitted before (the previous image, say): just move on. */
  if (record->status == LIMNER_IMAGE_SUBMITTED || record->status == LIMNER_IMAGE_IN_REVIEW ||
      record->status == LIMNER_IMAGE_ACCEPTED)
    {
      g_autofree char *name = g_path_get_basename (record->path);
      /* Translators: %s is an image's file name */
      g_autofree char *message = g_strdup_printf (_("%s is already submitted"), name);
      g_autofree char *markup = g_markup_escape_text (message, -1);

      limner_window_add_toast (self, adw_toast_new (markup));
      go_next (self);
      return;
    }
  /* Everything the screen shows goes in before the status changes. */
  if (!limner_annotate_page_flush (self->annotate_page, &error) ||
      !limner_queue_submit (self->store, id, &error))
    {
      /* Translators: the first %s is an image's file name, the second why */
      queue_failed (self, _("Could not submit %s: %s"), record->path, error);
      return;
    }

  g_clear_pointer (&record, limner_image_record_free);
  record = limner_store_get_image (self->store, id, &error);
  if (record == NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  update_grid_item (self, record);
  /* Read-only now, should nothing come next. */
  limner_annotate_page_update_record (self->annotate_page, record);
  show_status_in_title (self, record);

  if (is_annotator (self))
    take_next (self, 0);
  else
    go_next (self);
}

static void
release_image (LimnerWindow *self)
{
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gint64 id = self->shown_image_id;

  if (self->store == NULL || id == 0)
    return;
  record = limner_store_get_image (self->store, id, &error);
  if (record == NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  if (!limner_annotate_page_flush (self->annotate_page, &error) ||
      !limner_store_release (self->store, id, &error))
    {
      /* Translators: the first %s is an image's file name, the second why */
      queue_failed (self, _("Could not release %s: %s"), record->path, error);
      return;
    }

  name = g_path_get_basename (record->path);
  g_clear_pointer (&record, limner_image_record_free);
  record = limner_store_get_image (self->store, id, NULL);
  if (record != NULL)
    update_grid_item (self, record);
  back_to_grid (self);
  /* Translators: %s is an image's file name */
  message = g_strdup_printf (_("Released %s"), name);
  {
    g_autofree char *markup = g_markup_escape_text (message, -1);

    limner_window_add_toast (self, adw_toast_new (markup));
  }
}

/* Template callbacks --------------------------------------------------- */

/* A page's "toast": the pages do not know the window they are in. */
static void
page_toast (LimnerWindow *self,
            AdwToast     *toast)
{
  if (limner_toast_is_offline (toast))
    {
      limner_offline_banner_report_offline (self->offline_banner);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

static void
welcome_open_project (LimnerWindow      *self,
                      const char        *dir,
                      LimnerWelcomePage *page)
{
  g_autoptr(GError) error = NULL;

  /* A team project: connecting may take a while, and may need a password. */
  if (limner_pg_is_uri (dir))
    limner_window_connect (self, dir, NULL);
  else if (!limner_window_open_project (self, dir, &error))
    limner_window_show_error (self, error);
}

static void
project_image_activated (LimnerWindow      *self,
                         LimnerImageItem   *item,
                         LimnerProjectPage *page)
{
  if (self->store != NULL)
    view_image (self, limner_image_item_get_id (item));
}

static void
annotate_claimed (LimnerWindow       *self,
                  LimnerAnnotatePage *page)
{
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = limner_store_get_image (self->store, self->shown_image_id, &error);
  if (record == NULL)
    {
      limner_window_show_error (self, error);
      return;
    }
  update_grid_item (self, record);
  show_status_in_title (self, record);
}

static void
versions_close_requested (LimnerWindow       *self,
                          LimnerVersionsPage *page)
{
  gtk_stack_set_visible_child_name (self->stack, "project");
  update_actions (self);
}

/* Opening a project ---------------------------------------------------- */

static void
create_project_response (AdwMessageDialog *dialog,
                         const char       *response,
                         LimnerWindow     *self)
{
  const char *dir = g_object_get_data (G_OBJECT (dialog), "project-dir");
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_str_equal (response, "create"))
    return;

  name = g_path_get_basename (dir);
  store = limner_store_create (dir, name, NULL, &error);
  if (store == NULL || !limner_window_open_project (self, dir, &error))
    limner_window_show_error (self, error);
}

static void
offer_to_create_project (LimnerWindow *self,
                         const char   *dir)
{
  g_autofree char *name = g_path_get_basename (dir);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a folder name */
  body = g_strdup_printf (_("“%s” does not contain a Limner project. Create a new project in this folder?"),
                          name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Create Project?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "create", _("C_reate Project"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "project-dir", g_strdup (dir), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (create_project_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_chooser_response (GtkNativeDialog *chooser,
                       int              response,
                       LimnerWindow    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      dir = file ? g_file_get_path (file) : NULL;
    }
  g_clear_object (&self->chooser);

  if (dir == NULL)
    return;

  if (!limner_store_exists (dir))
    offer_to_create_project (self, dir);
  else if (!limner_window_open_project (self, dir, &error))
    limner_window_show_error (self, error);
}

/* Actions --------------------------------------------------------------- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Open Project"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (open_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  if (!_limner_window_ask_before_losing_edits (self, "close-project"))
    limner_window_close_project (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  limner_project_page_choose_import (self->project_page);
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  limner_project_page_choose_import_files (self->project_page);
}

static void
import_annotations_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);
  LimnerImportAnnotationsDialog *dialog;

  if (self->store == NULL)
    return;
  dialog = limner_import_annotations_dialog_new (GTK_WINDOW (self), self->store);
  /* New shapes change the grid's filters; new labels the canvas' keys. */
  g_signal_connect_object (dialog, "imported", G_CALLBACK (limner_project_page_reload),
                           self->project_page, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (limner_annotate_page_reload_labels),
                           self->annotate_page, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  back_to_grid (LIMNER_WINDOW (widget));
}

static void
show_versions_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  if (self->store == NULL)
    return;

  if (self->versions_page == NULL)
    {
      self->versions_page = LIMNER_VERSIONS_PAGE (limner_versions_page_new ());
      g_signal_connect_swapped (self->versions_page, "close-requested",
                                G_CALLBACK (versions_close_requested), self);
      g_signal_connect_swapped (self->versions_page, "toast", G_CALLBACK (page_toast), self);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->versions_page), "versions");
    }

  if (limner_versions_page_get_store (self->versions_page) != self->store)
    limner_versions_page_set_store (self->versions_page, self->store);
  else
    limner_versions_page_reload (self->versions_page);
  gtk_stack_set_visible_child_name (self->stack, "versions");
  update_actions (self);
}

/* The review mode: its own page, with its own annotate page and writer. */
static void
show_review_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (self->review_page == NULL)
    {
      self->review_page = LIMNER_REVIEW_PAGE (limner_review_page_new ());
      g_signal_connect_swapped (self->review_page, "close-requested",
                                G_CALLBACK (versions_close_requested), self);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->review_page), "review");
    }
  if (self->live_refresh != NULL)
    limner_live_refresh_set_review_page (self->live_refresh, self->review_page);
  if (limner_review_page_get_store (self->review_page) != self->store)
    {
      if (!limner_review_page_set_store (self->review_page, self->store, &error))
        {
          limner_window_show_error (self, error);
          return;
        }
    }
  else
    limner_review_page_reload (self->review_page);
  gtk_stack_set_visible_child_name (self->stack, "review");
  update_actions (self);
}

static void
close_labels_dialog (LimnerWindow *self)
{
  GtkWindow *dialog = self->labels_dialog;

  g_clear_weak_pointer (&self->labels_dialog);
  if (dialog != NULL)
    gtk_window_destroy (dialog);
}

/* The label schema editor: modal, for leads (others see it read-only).
 * Whoever shows labels connects to its "labels-changed" signal here. */
static void
edit_labels_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  if (self->store == NULL)
    return;

  if (self->labels_dialog == NULL)
    {
      g_set_weak_pointer (&self->labels_dialog, limner_labels_dialog_new (GTK_WINDOW (self), self->store));
      /* The canvas' colours, keys and guidelines follow the schema. */
      g_signal_connect_object (self->labels_dialog, "labels-changed",
                               G_CALLBACK (limner_annotate_page_reload_labels),
                               self->annotate_page, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->labels_dialog);
}

/* Where the images are: the project's image root and this computer's
 * folder for it. The grid reads its files again when that changes. */
static void
project_settings_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);
  GtkWindow *dialog;

  if (self->store == NULL)
    return;
  dialog = limner_project_settings_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "image-folder-changed", G_CALLBACK (limner_project_page_reload),
                           self->project_page, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static void
next_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  go_next (LIMNER_WINDOW (widget));
}

static void
previous_image_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  go_previous (LIMNER_WINDOW (widget));
}

static void
submit_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  submit_image (LIMNER_WINDOW (widget));
}

static void
release_image_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  release_image (LIMNER_WINDOW (widget));
}

/* Drag and drop -------------------------------------------------------- */

static gboolean
drop_files (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            LimnerWindow  *self)
{
  GdkFileList *list = g_value_get_boxed (value);
  g_autoptr(GSList) files = gdk_file_list_get_files (list);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_strv_builder_add (builder, path);
    }
  paths = g_strv_builder_end (builder);

  if (paths[0] == NULL)
    return FALSE;

  /* A project folder dropped on the window opens it. */
  if (paths[1] == NULL && limner_store_exists (paths[0]))
    {
      g_autoptr(GError) error = NULL;

      if (!limner_window_open_project (self, paths[0], &error))
        limner_window_show_error (self, error);
      return TRUE;
    }

  if (self->store == NULL)
    {
      limner_window_add_toast (self, adw_toast_new (_("Open or create a project before importing images")));
      return FALSE;
    }

  if (limner_project_page_get_importing (self->project_page))
    {
      limner_window_add_toast (self, adw_toast_new (_("An import is already running")));
      return FALSE;
    }

  gtk_stack_set_visible_child_name (self->stack, "project");
  update_actions (self);
  limner_project_page_import (self->project_page, (const char * const *)paths);
  return TRUE;
}

/* GtkWindow ------------------------------------------------------------ */

static gboolean
limner_window_close_request (GtkWindow *window)
{
  LimnerWindow *self = LIMNER_WINDOW (window);
  g_autoptr(GError) error = NULL;
  int width, height;

  if (_limner_window_ask_before_losing_edits (self, "close-window"))
    return TRUE;

  /* Nothing the screen showed as done may be lost. Claims stay: the claim
   * timeout frees images left behind. */
  if (!limner_annotate_page_flush (self->annotate_page, &error))
    g_warning ("%s", error->message);

  /* The default size follows the window's size while it is not maximized. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (limner_window_parent_class)->close_request (window);
}

/* The analytics page, made the first time it is shown. */
static void
show_analytics_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  LimnerWindow *self = LIMNER_WINDOW (widget);

  if (self->store == NULL)
    return;
  if (self->analytics_page == NULL)
    {
      self->analytics_page = LIMNER_ANALYTICS_PAGE (limner_analytics_page_new ());
      g_signal_connect_swapped (self->analytics_page, "close-requested",
                                G_CALLBACK (versions_close_requested), self);
      g_signal_connect_swapped (self->analytics_page, "toast", G_CALLBACK (page_toast), self);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->analytics_page), "analytics");
    }
  if (limner_analytics_page_get_store (self->analytics_page) != self->store)
    limner_analytics_page_set_store (self->analytics_page, self->store);
  else
    limner_analytics_page_reload (self->analytics_page);
  gtk_stack_set_visible_child_name (self->stack, "analytics");
  update_actions (self);
}

static void
activity_cb (LimnerWindow          *self,
             const char            *kind,
             LimnerActivityMonitor *monitor)
{
  limner_annotate_page_log_event (self->annotate_page, kind, NULL);
}

static void
limner_window_dispose (GObject *object)
{
  LimnerWindow *self = (LimnerWindow *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  close_labels_dialog (self);
  if (self->connect_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->connect_dialog));
  g_clear_weak_pointer (&self->connect_dialog);
  g_clear_pointer (&self->connect_image, g_free);
  g_clear_object (&self->live_refresh);
  g_clear_handle_id (&self->backup_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_WINDOW);
  self->versions_page = NULL; /* owned by the stack, gone with it */
  self->review_page = NULL;
  self->analytics_page = NULL;
  g_clear_object (&self->activity);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->history, g_array_unref);

  G_OBJECT_CLASS (limner_window_parent_class)->dispose (object);
}

static void
limner_window_class_init (LimnerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = limner_window_dispose;
  window_class->close_request = limner_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, project_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, image_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, image_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerWindow, annotate_page);
  gtk_widget_class_bind_template_callback (widget_class, welcome_open_project);
  gtk_widget_class_bind_template_callback (widget_class, project_image_activated);
  gtk_widget_class_bind_template_callback (widget_class, page_toast);
  gtk_widget_class_bind_template_callback (widget_class, annotate_claimed);
  gtk_widget_class_bind_template_callback_full (widget_class, "offline_retry",
                                                G_CALLBACK (_limner_window_offline_retry));
  gtk_widget_class_bind_template_callback_full (widget_class, "offline_reconnected",
                                                G_CALLBACK (_limner_window_offline_reconnected));

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, _limner_window_connect_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "win.import-annotations", NULL, import_annotations_action);
  gtk_widget_class_install_action (widget_class, "win.show-project", NULL, show_project_action);
  gtk_widget_class_install_action (widget_class, "win.show-versions", NULL, show_versions_action);
  gtk_widget_class_install_action (widget_class, "win.show-review", NULL, show_review_action);
  gtk_widget_class_install_action (widget_class, "win.show-analytics", NULL, show_analytics_action);
  gtk_widget_class_install_action (widget_class, "win.edit-labels", NULL, edit_labels_action);
  gtk_widget_class_install_action (widget_class, "win.project-settings", NULL, project_settings_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.edit-labels", NULL);
  gtk_widget_class_install_action (widget_class, "win.next-image", NULL, next_image_action);
  gtk_widget_class_install_action (widget_class, "win.previous-image", NULL, previous_image_action);
  gtk_widget_class_install_action (widget_class, "win.submit-image", NULL, submit_image_action);
  gtk_widget_class_install_action (widget_class, "win.release-image", NULL, release_image_action);
}

static void
limner_window_init (LimnerWindow *self)
{
  g_type_ensure (LIMNER_TYPE_WELCOME_PAGE);
  g_type_ensure (LIMNER_TYPE_PROJECT_PAGE);
  g_type_ensure (LIMNER_TYPE_ANNOTATE_PAGE);
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);
  g_type_ensure (LIMNER_TYPE_OFFLINE_BANNER);
  gtk_widget_init_template (GTK_WIDGET (self));
  _limner_window_team_init (self);

  self->history = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->settings = limner_settings_new ();
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (drop_files), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));

  self->activity = limner_activity_monitor_new (GTK_WINDOW (self));
  g_signal_connect_swapped (self->activity, "activity", G_CALLBACK (activity_cb), self);

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  update_actions (self);
}

LimnerWindow *
limner_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (LIMNER_TYPE_WINDOW, "application", application, NULL);
}

/* Backups -------------------------------------------------------------- */

static gpointer
backup_in_worker (LimnerWorker  *worker,
                  LimnerStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return limner_store_backup (store, error);
}

static void
backup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  /* A failed backup is worth a line in the log, not a dialog: the project
   * itself is fine. */
  if (path == NULL)
    g_warning ("No backup of the project was made: %s", error->message);
  else
    g_debug ("Backup made: %s", path);
}

/* A copy of project.db into PROJECT/backups, on a worker with its own
 * connection, so a big database never stalls the window. */
static void
start_backup (LimnerWindow *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || limner_store_is_read_only (self->store))
    return;
  task = g_task_new (NULL, NULL, backup_done, NULL);
  limner_worker_run (limner_worker_new (limner_store_get_dir (self->store),
                                        limner_store_get_login (self->store)),
                     task, backup_in_worker, NULL, NULL, g_free);
}

static gboolean
daily_backup (gpointer data)
{
  start_backup (LIMNER_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

static void
restore_response (AdwMessageDialog *dialog,
                  const char       *response,
                  LimnerWindow     *self)
{
  const char *dir = g_object_get_data (G_OBJECT (dialog), "project-dir");
  const char *backup = g_object_get_data (G_OBJECT (dialog), "backup");
  g_autoptr(GError) error = NULL;
  g_autofree char *damaged = NULL;

  if (g_strcmp0 (response, "restore") != 0)
    return;
  damaged = limner_store_restore_backup (dir, backup, &error);
  if (damaged == NULL || !limner_window_open_project (self, dir, &error))
    {
      limner_window_show_error (self, error);
      return;
    }
  {
    g_autofree char *base = g_path_get_basename (damaged);
    /* Translators: %s is a file name like project.db.damaged-20261206T031500Z */
    g_autofree char *text = g_strdup_printf (_("Backup restored; the damaged database is kept as %s"), base);

    limner_window_add_toast (self, adw_toast_new (text));
  }
}

/* A damaged database with a backup beside it: offer the newest. */
static void
offer_backup (LimnerWindow *self,
              const char   *dir,
              const GError *error)
{
  g_autoptr(GPtrArray) backups = limner_store_list_backups (dir);
  LimnerStoreBackup *newest;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *when_text = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (backups->len == 0)
    return;
  newest = g_ptr_array_index (backups, 0);
  when = g_date_time_new_from_unix_local (newest->created_at);
  when_text = g_date_time_format (when, "%x %X");
  /* Translators: the first %s is why the project cannot be opened, the second a date and time */
  body = g_strdup_printf (_("%s\n\nRestore the backup made on %s? Changes made after it are lost; "
                            "the damaged database is kept beside it."), error->message, when_text);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Project Database Damaged"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore Backup"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "project-dir", g_strdup (dir), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "backup", g_strdup (newest->path), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (restore_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
limner_window_open_project (LimnerWindow  *self,
                            const char    *dir,
                            GError       **error)
{
  g_autoptr(LimnerStore) store = NULL;
  g_autofree char *abs_dir = NULL;

  g_return_val_if_fail (LIMNER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A team project's address is not a path to make absolute. */
  abs_dir = limner_pg_is_uri (dir) ? g_strdup (dir) : g_canonicalize_filename (dir, NULL);
  store = limner_store_open (abs_dir, NULL, error);
  if (store == NULL)
    {
      if (error != NULL && g_error_matches (*error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_DAMAGED)
          && !limner_pg_is_uri (abs_dir))
        offer_backup (self, abs_dir, *error);
      return FALSE;
    }
  return limner_window_open_store (self, store, error);
}

gboolean
limner_window_open_store (LimnerWindow  *self,
                          LimnerStore   *store,
                          GError       **error)
{
  gboolean team;

  g_return_val_if_fail (LIMNER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  team = limner_pg_is_uri (limner_store_get_dir (store));
  /* The workspace saves through a writer of its own (a second connection);
   * the previous project's pending edits are saved first. */
  if (!limner_annotate_page_set_store (self->annotate_page, store, error))
    return FALSE;
  self->shown_image_id = 0;
  self->shown_releasable = FALSE;
  history_clear (self);
  close_labels_dialog (self);
  g_set_object (&self->store, store);
  limner_project_page_set_store (self->project_page, store);
  g_clear_object (&self->live_refresh);
  /* Another window or the CLI may write the project too. */
  self->live_refresh = limner_live_refresh_new (store, self->annotate_page, self->project_page);
  if (self->versions_page != NULL)
    limner_versions_page_set_store (self->versions_page, store);
  /* Set again, with its own writer, when it is next shown. */
  if (self->review_page != NULL)
    limner_review_page_set_store (self->review_page, NULL, NULL);
  if (self->analytics_page != NULL)
    limner_analytics_page_set_store (self->analytics_page, store);
  limner_recent_projects_add (self->settings, limner_store_get_dir (store));
  limner_offline_banner_set_project (self->offline_banner,
                                     team ? limner_store_get_dir (store) : NULL,
                                     limner_store_get_login (store));

  gtk_stack_set_visible_child_name (self->stack, "project");
  update_title (self);
  update_actions (self);
  /* Many computers share a team project by design (the server sees to
   * it), and its backups are the server's business: neither applies. */
  g_clear_handle_id (&self->backup_timer, g_source_remove);
  if (team)
    return TRUE;
  {
    g_autofree char *warning = limner_fs_dup_network_warning (limner_store_get_dir (store));

    if (warning != NULL)
      {
        AdwToast *toast = adw_toast_new (warning);

        adw_toast_set_timeout (toast, 0); /* stays until dismissed */
        limner_window_add_toast (self, toast);
      }
  }
  /* A backup on open, then one a day while the project stays open. */
  start_backup (self);
  self->backup_timer = g_timeout_add_seconds (24 * 60 * 60, daily_backup, self);
  return TRUE;
}

void
limner_window_close_project (LimnerWindow *self)
{
  g_return_if_fail (LIMNER_IS_WINDOW (self));

  /* Waits for pending edits to be saved. */
  limner_annotate_page_set_store (self->annotate_page, NULL, NULL);
  self->shown_image_id = 0;
  self->shown_releasable = FALSE;
  history_clear (self);
  limner_project_page_set_store (self->project_page, NULL);
  if (self->versions_page != NULL)
    limner_versions_page_set_store (self->versions_page, NULL);
  if (self->review_page != NULL)
    limner_review_page_set_store (self->review_page, NULL, NULL);
  if (self->analytics_page != NULL)
    limner_analytics_page_set_store (self->analytics_page, NULL);
  close_labels_dialog (self);
  g_clear_object (&self->live_refresh);
  g_clear_object (&self->store);
  g_clear_handle_id (&self->backup_timer, g_source_remove);
  limner_offline_banner_set_project (self->offline_banner, NULL, NULL);

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  update_title (self);
  update_actions (self);
}

LimnerStore *
limner_window_get_store (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->store;
}

gboolean
limner_window_show_image (LimnerWindow  *self,
                          const char    *id_or_path,
                          GError       **error)
{
  g_autoptr(LimnerImageRecord) record = NULL;

  g_return_val_if_fail (LIMNER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (id_or_path != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Cannot show “%s”: no project is open."), id_or_path);
      return FALSE;
    }

  record = limner_store_lookup_image (self->store, id_or_path, error);
  if (record == NULL)
    return FALSE;

  limner_window_show_image_record (self, record);
  return TRUE;
}

void
limner_window_show_image_record (LimnerWindow            *self,
                                 const LimnerImageRecord *record)
{
  g_return_if_fail (LIMNER_IS_WINDOW (self));
  g_return_if_fail (record != NULL);
  g_return_if_fail (self->store != NULL);

  open_image_or_complain (self, record->id);
}

gint64
limner_window_get_shown_image_id (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), 0);
  return self->shown_image_id;
}

LimnerWelcomePage *
limner_window_get_welcome_page (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->welcome_page;
}

LimnerProjectPage *
limner_window_get_project_page (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->project_page;
}

LimnerAnnotatePage *
limner_window_get_annotate_page (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->annotate_page;
}

void
limner_window_add_toast (LimnerWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (LIMNER_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
limner_window_show_error (LimnerWindow *self,
                          const GError *error)
{
  g_return_if_fail (LIMNER_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* An unreachable server is said once, by the banner, until it is back. */
  if (limner_offline_banner_report (self->offline_banner, error))
    return;
  limner_window_add_toast (self, limner_toast_new_for_error (error));
}
