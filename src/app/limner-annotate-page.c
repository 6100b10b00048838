/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-annotate-page-private.h"
#include "limner-worker.h"
#include "limner-image-item.h"
#include "limner-queue.h"
#include "limner-qc-panel.h"
#include "limner-store-reviews.h"
#include "limner-store-writer.h"
#include "limner-tile-source.h"


enum {
  PROP_0,
  PROP_IMAGE_ID,
  PROP_EDITABLE,
  PROP_STORE,
  PROP_SAVING_OFFLINE,
  N_PROPS
};

enum {
  CLAIMED,
  N_SIGNALS
};

/* CSS classes of the status pill, as on the grid's badges (style.css). */
static const char * const status_classes[LIMNER_IMAGE_N_STATUS] = {
  "status-new",
  "status-in-progress",
  "status-submitted",
  "status-in-review",
  "status-accepted",
  "status-rejected",
};

/* What the canvas must not do on an image the user may only look at. */
static const char * const editing_actions[] = {
  "canvas.tool", "canvas.finish", "canvas.backspace", "canvas.delete", "canvas.label",
  "canvas.nudge", "canvas.toggle-locked", "canvas.unlock-all", "canvas.undo", "canvas.redo",
  "canvas.paste", "canvas.tighten", "canvas.wand-tolerance",
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LimnerAnnotatePage, limner_annotate_page, GTK_TYPE_WIDGET)


void
_limner_annotate_page_toast (LimnerAnnotatePage *self,
       const char         *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

const LimnerLabel *
_limner_annotate_page_find_label (LimnerAnnotatePage *self,
            gint64              label_id)
{
  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (self->labels, i);

      if (label->id == label_id)
        return label;
    }
  return NULL;
}

/* --- Status ---------------------------------------------------------------- */

void
_limner_annotate_page_update_status (LimnerAnnotatePage *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *status = NULL;
  g_autofree char *heading = NULL;
  guint n_shapes = self->document ? limner_document_get_n_shapes (self->document) : 0;
  double percent = limner_canvas_get_zoom (self->canvas) *
                   gtk_widget_get_scale_factor (GTK_WIDGET (self->canvas)) * 100;

  zoom = g_strdup_printf ("%.0f%%", percent);
  gtk_label_set_label (self->zoom_label, zoom);

  if (self->record != NULL)
    {
      g_autofree char *name = g_path_get_basename (self->record->path);

      /* Translators: status bar: file name · status · size · number of shapes */
      status = g_strdup_printf (ngettext ("%s · %s · %d×%d · %u shape",
                                          "%s · %s · %d×%d · %u shapes", n_shapes),
                                name, limner_image_status_get_title (self->record->status),
                                self->record->width, self->record->height, n_shapes);
    }
  if (status != NULL && limner_canvas_get_tool (self->canvas) == LIMNER_CANVAS_TOOL_WAND)
    {
      /* Translators: status bar with the magic wand: the status, then the tolerance (0–255) */
      char *with_wand = g_strdup_printf (_("%s · wand tolerance %d ([ ])"), status,
                                         limner_canvas_get_wand_tolerance (self->canvas));

      g_free (status);
      status = with_wand;
    }
  gtk_label_set_label (self->status_label, status ? status : "");

  heading = g_strdup_printf (_("Shapes (%u)"), n_shapes);
  gtk_label_set_label (self->shapes_heading, heading);
}

/* TRUE while edits wait for the writer. */
static gboolean
update_saving (LimnerAnnotatePage *self)
{
  guint pending = self->writer ? limner_store_writer_get_pending (self->writer) : 0;
  g_autoptr(GError) retry_error = NULL;
  gboolean retrying = pending > 0 && limner_store_writer_is_retrying (self->writer, &retry_error);
  gboolean offline = retrying && g_error_matches (retry_error, LIMNER_STORE_ERROR,
                                                  LIMNER_STORE_ERROR_OFFLINE);

  /* Never "saved" while an edit waits for a retry: the edit stays on screen
   * and in the queue until the disk or the database takes it. */
  if (offline)
    gtk_label_set_label (self->save_label, _("Not saved, offline"));
  else if (retrying)
    gtk_label_set_label (self->save_label, _("Not saved, retrying…"));
  else
    gtk_label_set_label (self->save_label, pending > 0 ? _("Saving…") : _("All changes saved"));
  if (offline != self->saving_offline)
    {
      self->saving_offline = offline;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING_OFFLINE]);
    }
  return pending > 0;
}

static gboolean
poll_saving (gpointer data)
{
  LimnerAnnotatePage *self = data;

  if (update_saving (self))
    return G_SOURCE_CONTINUE;
  self->save_poll = 0;
  return G_SOURCE_REMOVE;
}

/* The timeout runs only while save_poll holds its id, so dispose() can
 * always remove it. */
void
_limner_annotate_page_watch_saving (LimnerAnnotatePage *self)
{
  if (update_saving (self) && self->save_poll == 0)
    self->save_poll = g_timeout_add (250, poll_saving, self);
}

/* --- Other writers ------------------------------------------------------- */

/* A re-read of the shown image's shapes, and the state it was asked in. */
typedef struct {
  GWeakRef page;
  GWeakRef document;
  guint    serial;         /* the page's reload_serial */
  guint64  edit_serial;    /* the document's edits so far */
  gboolean edits_pending;  /* some not saved yet */
} Reload;

static void
reload_free (Reload *reload)
{
  g_weak_ref_clear (&reload->page);
  g_weak_ref_clear (&reload->document);
  g_free (reload);
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
  Reload *reload = user_data;
  g_autoptr(LimnerAnnotatePage) page = g_weak_ref_get (&reload->page);
  g_autoptr(LimnerDocument) document = g_weak_ref_get (&reload->document);
  g_autoptr(GPtrArray) shapes = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean own_edits_since = reload->edits_pending || (document != NULL &&
    limner_document_get_edit_serial (document) != reload->edit_serial);
  gboolean latest = page != NULL && reload->serial == page->reload_serial;

  reload_free (reload);
  /* The image was closed, or another read was asked for since: each runs
   * on a worker of its own, so an older one can come back last, and its
   * answer is not the latest. */
  if (document == NULL || shapes == NULL || !latest || page->document != document)
    return;
  /* The user edited and the edit is not saved yet: the next change (their
   * own save) brings us back. */
  if (edit_pending (document))
    return;
  /* An edit of ours, unsaved when the read began or made since, is saved
   * by now: the read may have missed it, and merging it would take the
   * edit back (a box just drawn vanished with its selection, and T had
   * nothing to tighten). Read again. */
  if (own_edits_since)
    {
      limner_annotate_page_reload_shapes (page);
      return;
    }
  limner_document_merge_shapes (document, shapes);
}

void
limner_annotate_page_reload_shapes (LimnerAnnotatePage *page)
{
  LimnerDocument *document;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GTask) task = NULL;
  Reload *reload;
  gint64 *image_id;
  LimnerWorker *worker;

  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (page));

  document = limner_annotate_page_get_document (page);
  g_object_get (page, "store", &store, NULL);
  if (document == NULL || store == NULL)
    return;
  reload = g_new0 (Reload, 1);
  g_weak_ref_init (&reload->page, page);
  g_weak_ref_init (&reload->document, document);
  reload->serial = ++page->reload_serial;
  reload->edit_serial = limner_document_get_edit_serial (document);
  reload->edits_pending = edit_pending (document);
  image_id = g_new (gint64, 1);
  *image_id = limner_document_get_image_id (document);
  task = g_task_new (NULL, NULL, shapes_read_cb, reload);
  g_task_set_source_tag (task, limner_annotate_page_reload_shapes);
  worker = limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store));
  limner_worker_run (worker, task, read_shapes_in_worker, image_id, g_free,
                     (GDestroyNotify) g_ptr_array_unref);
}

gboolean
limner_annotate_page_has_pending_edits (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);

  return self->document != NULL && edit_pending (self->document);
}

guint
limner_annotate_page_get_unsaved (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), 0);

  return self->writer != NULL ? limner_store_writer_get_pending (self->writer) : 0;
}

gboolean
limner_annotate_page_get_saving_offline (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);

  return self->saving_offline;
}

void
limner_annotate_page_retry_saving (LimnerAnnotatePage *self)
{
  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));

  if (self->writer != NULL)
    limner_store_writer_retry_now (self->writer);
}

static void
on_reload_clicked (AdwToast           *toast,
                   LimnerAnnotatePage *page)
{
  limner_annotate_page_reload_shapes (page);
}

static AdwToast *
save_failed_toast (LimnerAnnotatePage *page,
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

static void
on_save_failed (LimnerStoreWriter  *writer,
                const GError       *error,
                LimnerAnnotatePage *self)
{
  /* An unreachable server is the window's offline banner, not a toast per
   * edit. */
  if (!g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE))
    adw_toast_overlay_add_toast (self->toast_overlay, save_failed_toast (self, error));
  _limner_annotate_page_watch_saving (self);
}

/* --- Tools and display ----------------------------------------------------- */

static void
on_tool_toggled (LimnerAnnotatePage *self,
                 GtkToggleButton    *button)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  if (button == self->box_button)
    limner_canvas_set_tool (self->canvas, LIMNER_CANVAS_TOOL_BOX);
  else if (button == self->polygon_button)
    limner_canvas_set_tool (self->canvas, LIMNER_CANVAS_TOOL_POLYGON);
  else if (button == self->wand_button)
    limner_canvas_set_tool (self->canvas, LIMNER_CANVAS_TOOL_WAND);
  else
    limner_canvas_set_tool (self->canvas, LIMNER_CANVAS_TOOL_SELECT);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_canvas_tool (LimnerAnnotatePage *self)
{
  GtkToggleButton *buttons[] = { self->select_button, self->box_button, self->polygon_button,
                                 self->wand_button };

  self->syncing = TRUE;
  gtk_toggle_button_set_active (buttons[limner_canvas_get_tool (self->canvas)], TRUE);
  self->syncing = FALSE;
  _limner_annotate_page_update_status (self);
}

static void
on_canvas_message (LimnerAnnotatePage *self,
                   const char         *message)
{
  _limner_annotate_page_toast (self, message);
}

static void
on_reset_display (LimnerAnnotatePage *self)
{
  gtk_adjustment_set_value (self->brightness_adjustment, 0);
  gtk_adjustment_set_value (self->contrast_adjustment, 1);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LimnerAnnotatePage *self = LIMNER_ANNOTATE_PAGE (widget);
  g_autofree char *target = g_strconcat ("canvas.", action_name + strlen ("annotate."), NULL);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->canvas), target, parameter);
}

/* --- Status and read-only images ------------------------------------------ */

static char *
readonly_reason (LimnerAnnotatePage *self)
{
  const LimnerImageRecord *record = self->record;
  const char *login = limner_store_get_login (self->store);

  if (self->pixels_failed)
    return g_strdup (_("The image file cannot be read — read-only"));
  if (_limner_annotate_page_file_blocks_edits (self))
    return g_strdup (_("The image file changed on disk — read-only"));
  if (!(limner_store_get_roles (self->store) &
        (LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD)))
    return g_strdup (_("You have no role in this project — read-only"));

  switch (record->status)
    {
    case LIMNER_IMAGE_IN_PROGRESS:
      if (record->assignee != NULL && g_strcmp0 (record->assignee, login) != 0)
        /* Translators: %s is the login of the annotator who holds the image */
        return g_strdup_printf (_("Held by %s — read-only"), record->assignee);
      break;
    case LIMNER_IMAGE_NEW:
    case LIMNER_IMAGE_REJECTED:
      if (record->assignee != NULL && g_strcmp0 (record->assignee, login) != 0)
        /* Translators: %s is the login of the annotator the image belongs to */
        return g_strdup_printf (_("Assigned to %s — read-only"), record->assignee);
      return g_strdup (_("Not claimed by you — read-only"));
    case LIMNER_IMAGE_SUBMITTED:
    case LIMNER_IMAGE_IN_REVIEW:
    case LIMNER_IMAGE_ACCEPTED:
      /* Translators: %s is an image status such as “Submitted” */
      return g_strdup_printf (_("%s — read-only"), limner_image_status_get_title (record->status));
    case LIMNER_IMAGE_N_STATUS:
    default:
      break;
    }
  return g_strdup (_("Read-only"));
}

void
_limner_annotate_page_update_image_state (LimnerAnnotatePage *self)
{
  gboolean readonly = self->record != NULL && !self->editable;

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_pill), status_classes[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->status_pill), self->record != NULL);
  if (self->record != NULL)
    {
      g_autofree char *tooltip = NULL;

      gtk_widget_add_css_class (GTK_WIDGET (self->status_pill), status_classes[self->record->status]);
      gtk_label_set_label (self->status_pill, limner_image_status_get_title (self->record->status));
      if (self->record->assignee != NULL)
        /* Translators: tooltip of the status pill; %s is a login */
        tooltip = g_strdup_printf (_("Assigned to %s"), self->record->assignee);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_pill), tooltip);
    }

  /* The red bar already says why when the pixels are missing, the
   * changed-file bar when the file changed. */
  gtk_widget_set_visible (self->readonly_bar, readonly && !self->pixels_failed
                                              && !gtk_widget_get_visible (self->changed_bar));
  if (readonly)
    {
      g_autofree char *reason = readonly_reason (self);

      gtk_label_set_label (self->readonly_label, reason);
    }
}

/* The comment, then one line per mark the reviewer left. */
static char *
review_text (LimnerAnnotatePage       *self,
             const LimnerReviewRecord *review)
{
  g_autoptr(GString) text = g_string_new (review->comment);
  g_autoptr(GPtrArray) marks = limner_store_list_review_marks (self->store, review->id, NULL);
  const char *names[] = { N_("Wrong label"), N_("Loose outline"), N_("Missing object"), N_("Extra object") };

  for (guint i = 0; marks != NULL && i < marks->len; i++)
    {
      const LimnerReviewMark *mark = g_ptr_array_index (marks, i);
      const char *name = mark->kind < G_N_ELEMENTS (names) ? _(names[mark->kind]) : "";

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (mark->shape_id > 0)
        /* Translators: a reviewer's mark, e.g. "Loose outline: shape 12" */
        g_string_append_printf (text, _("%s: shape %" G_GINT64_FORMAT), name, mark->shape_id);
      else
        g_string_append_printf (text, _("%s at %.0f, %.0f"), name, mark->x, mark->y);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The latest review, when it sent the work back: the annotator sees why
 * while the image is rejected and while they rework it. */
static void
update_review (LimnerAnnotatePage *self)
{
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  const LimnerReviewRecord *latest = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;

  if (self->record != NULL &&
      (self->record->status == LIMNER_IMAGE_REJECTED || self->record->status == LIMNER_IMAGE_IN_PROGRESS))
    {
      reviews = limner_store_list_reviews (self->store, self->record->id, &error);
      if (reviews == NULL)
        _limner_annotate_page_toast (self, error->message);
      else if (reviews->len > 0)
        latest = g_ptr_array_index (reviews, reviews->len - 1);
    }
  if (latest == NULL || g_strcmp0 (latest->decision, "reject") != 0)
    {
      gtk_widget_set_visible (self->review_box, FALSE);
      return;
    }

  /* Translators: %s is the reviewer's login */
  heading = g_strdup_printf (_("Rejected by %s"), latest->reviewer);
  gtk_label_set_label (self->review_heading, heading);
  text = review_text (self, latest);
  gtk_label_set_label (self->review_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->review_label), text[0] != '\0');
  gtk_widget_set_visible (self->review_box, TRUE);
}

/* Locks every shape through its label (0 = unlabelled), which also covers
 * shapes and labels that appear later, or takes those locks off again. */
static void
lock_all_labels (LimnerAnnotatePage *self,
                 gboolean            locked)
{
  if (self->document == NULL)
    return;
  limner_document_set_label_locked (self->document, 0, locked);
  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    limner_document_set_label_locked (self->document,
                                      ((LimnerLabel *) g_ptr_array_index (self->labels, i))->id,
                                      locked);
}

/* Read-only: no tool but select, no editing key or action, every shape
 * locked and nothing selected; zoom, pan, hide and copy still work. */
void
_limner_annotate_page_apply_editable (LimnerAnnotatePage *self)
{
  gboolean editable = self->editable;
  GtkListBoxRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (editing_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self->canvas), editing_actions[i], editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.undo", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.redo", editable);
  if (!editable)
    {
      limner_canvas_set_tool (self->canvas, LIMNER_CANVAS_TOOL_SELECT);
      limner_canvas_set_selected_shape (self->canvas, 0);
      lock_all_labels (self, TRUE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->box_button), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->polygon_button), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wand_button), editable);
  gtk_widget_set_sensitive (self->unlock_all_button, editable);

  _limner_annotate_page_sync_label_toggles (self);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->labels_list, i)) != NULL; i++)
    gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "lock-button"), editable);
  _limner_annotate_page_update_image_state (self);
}

void
limner_annotate_page_set_editable (LimnerAnnotatePage *self,
                                   gboolean            editable)
{
  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));

  editable = !!editable && !_limner_annotate_page_file_blocks_edits (self);
  if (self->editable == editable)
    return;
  /* Only the locks read-only mode put on come off; the document is new for
   * every image, so there are no others to keep. */
  if (editable)
    lock_all_labels (self, FALSE);
  self->editable = editable;
  _limner_annotate_page_apply_editable (self);
  _limner_annotate_page_fill_shape_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
limner_annotate_page_get_editable (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);

  return self->record != NULL && self->editable;
}

const char *
limner_annotate_page_get_readonly_reason (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), NULL);

  if (self->record == NULL || self->editable)
    return NULL;
  return gtk_label_get_label (self->readonly_label);
}

/* Why the shown image's pixels could not be opened, or NULL. */
const char *
limner_annotate_page_get_pixels_error (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->pixels_error_bar))
    return NULL;
  return gtk_label_get_label (self->pixels_error_label);
}

/* --- Images ---------------------------------------------------------------- */

typedef struct {
  LimnerAnnotatePage *self;
  gint64              image_id;
} OpenData;

static void
show_loading (LimnerAnnotatePage *self,
              gboolean            loading)
{
  gtk_widget_set_visible (self->loading_box, loading);
  gtk_spinner_set_spinning (self->loading_spinner, loading);
}

/* The first tile of the shown image is in (or could not be made): the
 * canvas is no longer blank for want of pixels. */
static void
first_tile_in (LimnerAnnotatePage *self,
               LimnerTileSource   *source);

static void
on_first_tile_ready (LimnerTileSource   *source,
                     LimnerTile         *tile,
                     LimnerAnnotatePage *self)
{
  first_tile_in (self, source);
}

static void
on_first_tile_failed (LimnerTileSource   *source,
                      int                 level,
                      int                 tx,
                      int                 ty,
                      const char         *message,
                      LimnerAnnotatePage *self)
{
  first_tile_in (self, source);
}

static void
first_tile_in (LimnerAnnotatePage *self,
               LimnerTileSource   *source)
{
  g_signal_handlers_disconnect_by_func (source, on_first_tile_ready, self);
  g_signal_handlers_disconnect_by_func (source, on_first_tile_failed, self);
  if (source == limner_canvas_get_source (self->canvas))
    show_loading (self, FALSE);
}

/* Stays on screen while the image does: a toast would leave a blank canvas
 * with no word of why. Shapes drawn blind would be guesses, so the image is
 * read-only until its file can be read. */
void
_limner_annotate_page_show_pixels_error (LimnerAnnotatePage *self,
                                         const char         *message)
{
  g_autofree char *text = NULL;

  /* Translators: %s is why the image file could not be opened */
  text = g_strdup_printf (_("%s — read-only"), message);
  gtk_label_set_label (self->pixels_error_label, text);
  gtk_widget_set_visible (self->pixels_error_bar, TRUE);
  self->pixels_failed = TRUE;
  if (self->editable)
    {
      self->editable = FALSE;
      _limner_annotate_page_apply_editable (self);
      _limner_annotate_page_fill_shape_list (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
    }
  else
    _limner_annotate_page_update_image_state (self);
}

static void
on_source_opened (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OpenData *data = user_data;
  g_autoptr(LimnerAnnotatePage) self = data->self;
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;
  gint64 image_id = data->image_id;

  g_free (data);
  source = limner_tile_source_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Another image may have been asked for meanwhile. */
  if (self->record == NULL || self->record->id != image_id)
    return;
  if (source == NULL)
    {
      /* The verification's word on a missing file says more: keep it. */
      if (self->verified == NULL || self->verified->status != LIMNER_VERIFY_MISSING)
        _limner_annotate_page_show_pixels_error (self, error->message);
      return;
    }
  limner_canvas_set_source (self->canvas, source);
  show_loading (self, TRUE);
  g_signal_connect_object (source, "tile-ready", G_CALLBACK (on_first_tile_ready), self, 0);
  g_signal_connect_object (source, "tile-failed", G_CALLBACK (on_first_tile_failed), self, 0);
}

/* New or rejected work that is the annotator's or no one's: looking at it
 * takes nothing, and the first edit claims it. */
static gboolean
claimable (LimnerAnnotatePage *self)
{
  const LimnerImageRecord *record = self->record;
  const char *login = limner_store_get_login (self->store);

  return (limner_store_get_roles (self->store) & LIMNER_ROLE_ANNOTATOR) &&
         (record->status == LIMNER_IMAGE_NEW || record->status == LIMNER_IMAGE_REJECTED) &&
         (record->assignee == NULL || g_strcmp0 (record->assignee, login) == 0);
}

/* The store's rule, so the screen never shows an edit it would refuse; and
 * free work, which the first edit claims. */
static gboolean
decide_editable (LimnerAnnotatePage *self)
{
  gboolean can_edit = limner_queue_can_edit (self->store, self->record);

  self->claim_on_edit = !can_edit && claimable (self);
  return (can_edit || self->claim_on_edit) && !_limner_annotate_page_file_blocks_edits (self);
}

/* The document's guard: claims the image before its first edit. If someone
 * else took it meanwhile, the edit is refused and the page turns read-only
 * with their name on the bar. */
static gboolean
claim_before_edit (LimnerDocument  *document,
                   gpointer         user_data,
                   GError         **error)
{
  LimnerAnnotatePage *self = user_data;
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean claimed;

  if (!self->claim_on_edit || self->record == NULL)
    return TRUE;
  claimed = limner_store_claim (self->store, self->record->id, &local_error);
  record = limner_store_get_image (self->store, self->record->id, NULL);
  if (record != NULL)
    limner_annotate_page_update_record (self, record);
  if (!claimed)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->claim_on_edit = FALSE;
  g_signal_emit (self, signals[CLAIMED], 0);
  return TRUE;
}

static void
disconnect_document (LimnerAnnotatePage *self)
{
  if (self->document == NULL)
    return;
  limner_document_set_guard (self->document, NULL, NULL);
  g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
}

static LimnerImageRecord *
copy_record (const LimnerImageRecord *record)
{
  LimnerImageRecord *copy = g_new0 (LimnerImageRecord, 1);

  *copy = *record;
  copy->path = g_strdup (record->path);
  copy->sha256 = g_strdup (record->sha256);
  copy->format = g_strdup (record->format);
  copy->assignee = g_strdup (record->assignee);
  return copy;
}

void
limner_annotate_page_set_image (LimnerAnnotatePage      *self,
                                const LimnerImageRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));
  g_return_if_fail (record == NULL || self->store != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  limner_canvas_set_source (self->canvas, NULL);
  limner_canvas_set_document (self->canvas, NULL);
  gtk_widget_set_visible (self->pixels_error_bar, FALSE);
  self->pixels_failed = FALSE;
  _limner_annotate_page_clear_verify (self);
  show_loading (self, FALSE);
  disconnect_document (self);
  g_clear_pointer (&self->record, limner_image_record_free);

  if (record != NULL)
    {
      g_autofree char *path = limner_store_resolve_path (self->store, record->path);
      OpenData *data;

      self->record = copy_record (record);
      limner_annotate_page_log_event (self, "image.open",
                                      record->status == LIMNER_IMAGE_IN_REVIEW
                                      ? "{\"mode\": \"review\"}" : "{\"mode\": \"annotate\"}");

      /* The shapes at once (the writer is flushed first, so earlier edits
       * of this image are read back); the pixels as they come. */
      self->document = limner_document_open (self->store, self->writer, record->id, &error);
      if (self->document == NULL)
        _limner_annotate_page_toast (self, error->message);
      else
        {
          g_signal_connect (self->document, "shape-added", G_CALLBACK (_limner_annotate_page_on_shape_added), self);
          g_signal_connect (self->document, "shape-removed", G_CALLBACK (_limner_annotate_page_on_shape_removed), self);
          g_signal_connect (self->document, "shape-modified", G_CALLBACK (_limner_annotate_page_on_shape_modified), self);
          g_signal_connect_swapped (self->document, "changed", G_CALLBACK (_limner_annotate_page_on_document_changed), self);
          limner_document_set_guard (self->document, claim_before_edit, self);
        }
      limner_canvas_set_document (self->canvas, self->document);
      self->editable = decide_editable (self);

      self->cancellable = g_cancellable_new ();
      data = g_new0 (OpenData, 1);
      data->self = g_object_ref (self);
      data->image_id = record->id;
      limner_tile_source_new_async (path, self->cancellable, on_source_opened, data);
      /* Beside the pixels, never before them: a gigapixel file shows at once. */
      _limner_annotate_page_start_verify (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
    }
  else
    {
      self->editable = TRUE;
      self->claim_on_edit = FALSE;
    }

  _limner_annotate_page_apply_editable (self);
  _limner_annotate_page_fill_shape_list (self);
  update_review (self);
  _limner_annotate_page_update_status (self);
  _limner_annotate_page_update_guide (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

void
limner_annotate_page_update_record (LimnerAnnotatePage      *self,
                                    const LimnerImageRecord *record)
{
  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));
  g_return_if_fail (record != NULL);

  if (self->record == NULL || self->record->id != record->id)
    return;
  limner_image_record_free (self->record);
  self->record = copy_record (record);
  _limner_annotate_page_set_editable_by_rule (self);
  update_review (self);
  _limner_annotate_page_update_status (self);
}

/* Editable or not as the store's rule and the file say, after either changed. */
void
_limner_annotate_page_set_editable_by_rule (LimnerAnnotatePage *self)
{
  gboolean editable = self->record != NULL && decide_editable (self);

  if (editable != self->editable)
    {
      if (editable)
        lock_all_labels (self, FALSE);
      self->editable = editable;
      _limner_annotate_page_fill_shape_list (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
    }
  _limner_annotate_page_apply_editable (self);
}

void
limner_annotate_page_reload_record (LimnerAnnotatePage *self)
{
  g_autoptr(LimnerImageRecord) fresh = NULL;

  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));

  if (self->record == NULL || self->store == NULL)
    return;
  fresh = limner_store_get_image (self->store, self->record->id, NULL);
  /* Every step of the workflow (claim, submit, draw, decision) changes
   * one of these; a shape saved does not, and costs nothing more here. */
  if (fresh == NULL
      || (fresh->status == self->record->status && fresh->claimed_at == self->record->claimed_at
          && g_strcmp0 (fresh->assignee, self->record->assignee) == 0))
    return;
  limner_annotate_page_update_record (self, fresh);
  limner_qc_panel_refresh (LIMNER_QC_PANEL (self->qc_panel));
}

gint64
limner_annotate_page_get_image_id (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), 0);

  return self->record ? self->record->id : 0;
}

LimnerCanvas *
limner_annotate_page_get_canvas (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), NULL);

  return self->canvas;
}

LimnerDocument *
limner_annotate_page_get_document (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), NULL);

  return self->document;
}

gboolean
limner_annotate_page_flush (LimnerAnnotatePage  *self,
                            GError             **error)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);

  if (self->writer == NULL)
    return TRUE;
  return limner_store_writer_flush (self->writer, error);
}

void
limner_annotate_page_log_event (LimnerAnnotatePage  *self,
                                const char          *kind,
                                const char          *detail_json)
{
  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));
  g_return_if_fail (kind != NULL);

  /* The store would refuse it, and a refused event must not look like a
   * failed save. */
  if (self->writer == NULL || limner_store_get_roles (self->store) == LIMNER_ROLE_NONE)
    return;
  limner_store_writer_log_event (self->writer, kind, self->record != NULL ? self->record->id : 0,
                                 detail_json);
}

gboolean
limner_annotate_page_set_store (LimnerAnnotatePage  *self,
                                LimnerStore         *store,
                                GError             **error)
{
  g_autoptr(LimnerStoreWriter) writer = NULL;

  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);
  g_return_val_if_fail (store == NULL || LIMNER_IS_STORE (store), FALSE);

  if (store != NULL)
    {
      writer = limner_store_writer_new (limner_store_get_dir (store),
                                        limner_store_get_login (store), error);
      if (writer == NULL)
        return FALSE;
    }

  limner_annotate_page_set_image (self, NULL);
  if (self->writer != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* Nothing the screen showed as done may be lost. */
      if (!limner_store_writer_flush (self->writer, &local_error))
        g_warning ("%s", local_error->message);
      g_clear_signal_handler (&self->save_failed_handler, self->writer);
      g_clear_object (&self->writer);
    }

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  if (writer != NULL)
    {
      self->writer = g_steal_pointer (&writer);
      self->save_failed_handler = g_signal_connect (self->writer, "save-failed",
                                                    G_CALLBACK (on_save_failed), self);
    }
  limner_annotate_page_reload_labels (self);
  /* No saves wait any more, offline or not. */
  update_saving (self);
  return TRUE;
}

/* --- GObject --------------------------------------------------------------- */

static void
limner_annotate_page_dispose (GObject *object)
{
  LimnerAnnotatePage *self = LIMNER_ANNOTATE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->verified, limner_verify_result_free);
  g_clear_handle_id (&self->save_poll, g_source_remove);
  disconnect_document (self);
  if (self->writer != NULL)
    {
      limner_store_writer_flush (self->writer, NULL);
      g_clear_signal_handler (&self->save_failed_handler, self->writer);
      g_clear_object (&self->writer);
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->record, limner_image_record_free);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_object (&self->shape_selection);
  g_clear_object (&self->shape_ids);

  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_ANNOTATE_PAGE);

  G_OBJECT_CLASS (limner_annotate_page_parent_class)->dispose (object);
}

static void
limner_annotate_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LimnerAnnotatePage *self = LIMNER_ANNOTATE_PAGE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ID:
      g_value_set_int64 (value, limner_annotate_page_get_image_id (self));
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, limner_annotate_page_get_editable (self));
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SAVING_OFFLINE:
      g_value_set_boolean (value, self->saving_offline);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_annotate_page_class_init (LimnerAnnotatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *forwarded[] = {
    "annotate.undo", "annotate.redo", "annotate.zoom-in", "annotate.zoom-out",
    "annotate.zoom-fit", "annotate.zoom-100",
  };

  object_class->dispose = limner_annotate_page_dispose;
  object_class->get_property = limner_annotate_page_get_property;

  properties[PROP_IMAGE_ID] =
    g_param_spec_int64 ("image-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Set with limner_annotate_page_set_store(), which can fail. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Edits wait because the team project's server cannot be reached. */
  properties[PROP_SAVING_OFFLINE] =
    g_param_spec_boolean ("saving-offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The first edit of free work claimed the image for the acting user. */
  signals[CLAIMED] =
    g_signal_new ("claimed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (LIMNER_TYPE_CANVAS);
  g_type_ensure (LIMNER_TYPE_QC_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-annotate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, select_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, box_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, polygon_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, wand_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, brightness_adjustment);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, contrast_adjustment);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, canvas);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, labels_list);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, guide_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, shapes_heading);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, shapes_view);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, save_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, status_pill);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, readonly_bar);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, readonly_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, pixels_error_bar);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, pixels_error_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, changed_bar);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, changed_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, loading_box);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, review_box);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, review_heading);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, qc_panel);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, review_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnnotatePage, unlock_all_button);
  gtk_widget_class_bind_template_callback (widget_class, on_tool_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_display);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_message);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_tool);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_status", G_CALLBACK (_limner_annotate_page_update_status));
  gtk_widget_class_bind_template_callback_full (widget_class, "update_guide", G_CALLBACK (_limner_annotate_page_update_guide));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_canvas_current_label", G_CALLBACK (_limner_annotate_page_on_canvas_current_label));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_canvas_selected_shape", G_CALLBACK (_limner_annotate_page_on_canvas_selected_shape));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_label_row_activated", G_CALLBACK (_limner_annotate_page_on_label_row_activated));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_show_all", G_CALLBACK (_limner_annotate_page_on_show_all));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_unlock_all", G_CALLBACK (_limner_annotate_page_on_unlock_all));

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_action);
  /* The file changed on disk since it was added: edit its shapes all the same. */
  gtk_widget_class_install_action (widget_class, "annotate.edit-anyway", NULL,
                                   _limner_annotate_page_on_edit_anyway);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "limner-annotate-page");
}

static void
limner_annotate_page_init (LimnerAnnotatePage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->shape_ids = gtk_string_list_new (NULL);
  self->shape_selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shape_ids)));
  gtk_single_selection_set_autoselect (self->shape_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->shape_selection, TRUE);
  gtk_single_selection_set_selected (self->shape_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->shape_selection, "notify::selected",
                            G_CALLBACK (_limner_annotate_page_on_shape_selection_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (_limner_annotate_page_setup_shape_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (_limner_annotate_page_bind_shape_row), self);
  gtk_list_view_set_factory (self->shapes_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->shapes_view, GTK_SELECTION_MODEL (self->shape_selection));
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (_limner_annotate_page_on_shapes_view_pressed), self);
    gtk_widget_add_controller (GTK_WIDGET (self->shapes_view), GTK_EVENT_CONTROLLER (click));
  }

  g_object_bind_property (self->brightness_adjustment, "value", self->canvas, "brightness",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->contrast_adjustment, "value", self->canvas, "contrast",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->editable = TRUE;
  on_canvas_tool (self);
  _limner_annotate_page_update_status (self);
  gtk_label_set_label (self->save_label, "");
}

GtkWidget *
limner_annotate_page_new (void)
{
  return g_object_new (LIMNER_TYPE_ANNOTATE_PAGE, NULL);
}
