/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-grid-filter.h"
#include "limner-image-cell.h"
#include "limner-import.h"
#include "limner-progress.h"
#include "limner-project-page.h"
#include "limner-toast.h"
#include "limner-worker.h"

/* The import summary lists at most this many files per kind; a list box with
 * tens of thousands of rows would take seconds to build. */
#define SUMMARY_MAX_ROWS 500

struct _LimnerProjectPage
{
  GtkWidget parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkStack             *content_stack;
  GtkSpinner           *loading_spinner;
  GtkGridView          *grid_view;
  LimnerGridFilter     *grid_filter;

  /* Owned references */
  LimnerStore          *store;
  GListStore           *items;
  LimnerThumbnailer    *thumbnailer;
  GCancellable         *load_cancellable;
  GCancellable         *import_cancellable;
  LimnerProgress       *progress;
  GtkFileChooserNative *chooser;

  /* Thumbnail ranks: distance of each bound cell from the viewport, rebuilt
   * at most once per frame. */
  GHashTable           *cell_ranks;
  GHashTable           *cell_positions; /* bound LimnerImageItem -> model position */
  gint64                cell_ranks_frame;
  gboolean              cell_ranks_dirty;

  gint64                load_started_us;
  gint64                first_thumbnail_us;
  guint                 loading : 1;
};

G_DEFINE_FINAL_TYPE (LimnerProjectPage, limner_project_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_IMPORTING,
  PROP_STORE,
  N_PROPS
};

enum {
  IMAGE_ACTIVATED,
  LOADED,
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_error (LimnerProjectPage *self,
            const GError      *error)
{
  limner_toast_emit (GTK_WIDGET (self), limner_toast_new_for_error (error));
}

static void
update_title (LimnerProjectPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  if (self->store == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Project"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  name = limner_store_dup_name (self->store);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = g_path_get_basename (limner_store_get_dir (self->store));
    }
  adw_window_title_set_title (self->window_title, name);

  /* A reload keeps the old count on screen until the new one is known. */
  if (!self->loading || n > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
update_content (LimnerProjectPage *self)
{
  const char *page;

  if (self->loading && g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    page = "empty";
  else
    page = "grid";

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->content_stack, page);
}

/* Loading the image list ----------------------------------------------- */

typedef struct
{
  GPtrArray *records; /* of LimnerImageRecord */
  GPtrArray *items;   /* of LimnerImageItem, one per record */
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_ptr_array_unref (result->records);
  g_ptr_array_unref (result->items);
  g_free (result);
}

/* Runs on a worker with its own store. It also builds the items: for 10,000
 * images that is over 100 ms the main thread does not spend. */
static gpointer
load_in_worker (LimnerWorker  *worker,
                LimnerStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) records = NULL;
  gint64 start = g_get_monotonic_time ();
  LoadResult *result;

  records = limner_store_list_images (store, error);
  if (records == NULL)
    return NULL;

  result = g_new0 (LoadResult, 1);
  result->items = g_ptr_array_new_full (records->len, g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      const LimnerImageRecord *record = g_ptr_array_index (records, i);
      g_autofree char *path = limner_store_resolve_path (store, record->path);

      g_ptr_array_add (result->items, limner_image_item_new (record, path));
    }
  g_debug ("Read %u images of %s in %.1f ms",
           records->len, limner_store_get_dir (store), (g_get_monotonic_time () - start) / 1000.0);
  result->records = g_steal_pointer (&records);
  return result;
}

/* Keeps the items already shown (and their thumbnails and scroll position)
 * when the new list only adds images at the end, which is what an import does. */
static void
merge_records (LimnerProjectPage *self,
               LoadResult        *result)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  gboolean is_prefix = n_items <= result->records->len;
  guint first_new;

  for (guint i = 0; is_prefix && i < n_items; i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      const LimnerImageRecord *record = g_ptr_array_index (result->records, i);

      /* The same image found elsewhere (the image folder changed) is a new
       * item: its thumbnail comes from the new file. */
      if (limner_image_item_get_id (item) != record->id
          || g_strcmp0 (limner_image_item_get_path (item),
                        limner_image_item_get_path (g_ptr_array_index (result->items, i))) != 0)
        is_prefix = FALSE;
    }

  first_new = is_prefix ? n_items : 0;

  if (is_prefix)
    {
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(LimnerImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

          limner_image_item_update (item, g_ptr_array_index (result->records, i));
        }
    }

  g_list_store_splice (self->items,
                       first_new, n_items - first_new,
                       result->items->pdata + first_new,
                       result->items->len - first_new);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LimnerProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *load;
  gboolean was_empty;

  load = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  was_empty = g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0;

  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;

  if (load == NULL)
    show_error (self, error);
  else
    {
      merge_records (self, load);
      load_result_free (load);
      limner_grid_filter_reload (self->grid_filter);
    }

  update_title (self);
  update_content (self);

  /* A project just opened: the arrow keys and Enter work the grid at once
   * (the window would have put the focus on the first header button). */
  if (was_empty && g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (self->grid_view)))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

      if (focus == NULL || !GTK_IS_EDITABLE (focus))
        {
          /* Into the grid as Tab goes, onto its first image: grabbing the
           * grid itself focuses no item, and the keys would do nothing. */
          gtk_widget_child_focus (GTK_WIDGET (self->grid_view), GTK_DIR_TAB_FORWARD);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
start_loading (LimnerProjectPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->store == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;

  task = g_task_new (NULL, self->load_cancellable, load_done, g_object_ref (self));
  g_task_set_source_tag (task, start_loading);
  limner_worker_run (limner_worker_new (limner_store_get_dir (self->store),
                                        limner_store_get_login (self->store)),
                     task, load_in_worker, NULL, NULL, (GDestroyNotify) load_result_free);

  update_content (self);
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The grid -------------------------------------------------------------- */

static void
rebuild_cell_ranks (LimnerProjectPage *self)
{
  GtkWidget *grid = GTK_WIDGET (self->grid_view);
  double height = gtk_widget_get_height (grid);
  guint first_visible = G_MAXUINT;
  guint last_visible = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_remove_all (self->cell_ranks);

  /* GtkGridView is its own viewport: its mapped children sit at scrolled
   * positions; the bound ones outside the view are not allocated at all. */
  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *cell = gtk_widget_get_first_child (child);
      LimnerImageItem *item;
      graphene_rect_t bounds;
      double top, bottom, rank;
      guint position;

      if (!LIMNER_IS_IMAGE_CELL (cell) ||
          !gtk_widget_get_mapped (child) ||
          !(item = limner_image_cell_get_item (LIMNER_IMAGE_CELL (cell))) ||
          !g_hash_table_lookup_extended (self->cell_positions, item, NULL, &value) ||
          !gtk_widget_compute_bounds (child, grid, &bounds))
        continue;

      top = bounds.origin.y;
      bottom = top + bounds.size.height;
      if (bottom <= 0 || top >= height)
        continue;

      /* On screen: top to bottom, left to right. */
      rank = top + bounds.origin.x / 100000.0;
      g_hash_table_insert (self->cell_ranks, item, g_memdup2 (&rank, sizeof rank));

      position = GPOINTER_TO_UINT (value);
      first_visible = MIN (first_visible, position);
      last_visible = MAX (last_visible, position);
    }

  if (first_visible == G_MAXUINT)
    first_visible = last_visible = 0;

  /* Off screen: nearest to the visible range first. */
  g_hash_table_iter_init (&iter, self->cell_positions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint position = GPOINTER_TO_UINT (value);
      double rank;

      if (g_hash_table_contains (self->cell_ranks, key))
        continue;

      rank = 1e6 + (position < first_visible ? first_visible - position : position - last_visible);
      g_hash_table_insert (self->cell_ranks, key, g_memdup2 (&rank, sizeof rank));
    }
}

static double
thumbnail_priority (LimnerImageItem *item,
                    gpointer         user_data)
{
  LimnerProjectPage *self = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->grid_view));
  gint64 frame = clock ? gdk_frame_clock_get_frame_counter (clock) : -1;
  double *rank;

  if (self->cell_ranks_dirty || frame != self->cell_ranks_frame)
    {
      rebuild_cell_ranks (self);
      self->cell_ranks_dirty = FALSE;
      self->cell_ranks_frame = frame;
    }

  rank = g_hash_table_lookup (self->cell_ranks, item);
  return rank ? *rank : 2e6;
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               LimnerProjectPage        *self)
{
  gtk_list_item_set_child (list_item, limner_image_cell_new ());
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              LimnerProjectPage        *self)
{
  LimnerImageItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  limner_image_cell_set_item (LIMNER_IMAGE_CELL (cell), item);
  g_hash_table_insert (self->cell_positions, item,
                       GUINT_TO_POINTER (gtk_list_item_get_position (list_item)));
  self->cell_ranks_dirty = TRUE;
  /* Only bound items are rendered; thumbnail_priority() puts visible ones first. */
  limner_thumbnailer_request (self->thumbnailer, item);
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                LimnerProjectPage        *self)
{
  LimnerImageItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  limner_thumbnailer_release (self->thumbnailer, item);
  limner_image_cell_set_item (LIMNER_IMAGE_CELL (cell), NULL);
  g_hash_table_remove (self->cell_positions, item);
  self->cell_ranks_dirty = TRUE;
}

static void
grid_activate (GtkGridView       *grid_view,
               guint              position,
               LimnerProjectPage *self)
{
  g_autoptr(LimnerImageItem) item =
    g_list_model_get_item (G_LIST_MODEL (gtk_grid_view_get_model (grid_view)), position);

  if (item != NULL)
    g_signal_emit (self, signals[IMAGE_ACTIVATED], 0, item);
}

static void
thumbnail_loaded (LimnerThumbnailer *thumbnailer,
                  LimnerImageItem   *item,
                  LimnerProjectPage *self)
{
  if (self->first_thumbnail_us == 0 && self->load_started_us != 0)
    {
      self->first_thumbnail_us = MAX (1, g_get_monotonic_time () - self->load_started_us);
      g_debug ("First thumbnail after %.1f ms (%u images)",
               self->first_thumbnail_us / 1000.0,
               g_list_model_get_n_items (G_LIST_MODEL (self->items)));
    }
}

/* Thumbnails are rendered for the display's scale factor, so a HiDPI screen
 * gets sharp ones. Only called while no item is bound (set_store, init). */
static void
ensure_thumbnailer (LimnerProjectPage *self)
{
  int scale = MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  int size = LIMNER_THUMBNAILER_DEFAULT_SIZE * scale;

  if (self->thumbnailer != NULL && limner_thumbnailer_get_size (self->thumbnailer) == size)
    return;

  if (self->thumbnailer != NULL)
    g_signal_handlers_disconnect_by_data (self->thumbnailer, self);
  g_clear_object (&self->thumbnailer);

  self->thumbnailer = limner_thumbnailer_new (size, LIMNER_THUMBNAILER_DEFAULT_CACHED);
  g_signal_connect (self->thumbnailer, "thumbnail-loaded", G_CALLBACK (thumbnail_loaded), self);
  limner_thumbnailer_set_priority_func (self->thumbnailer, thumbnail_priority, self, NULL);
}

/* Import ---------------------------------------------------------------- */

static void
set_importing (LimnerProjectPage *self,
               gboolean           importing)
{
  gtk_revealer_set_reveal_child (self->import_revealer, importing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "project.cancel-import", importing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

static void
import_progress_changed (LimnerProgress    *progress,
                         LimnerProjectPage *self)
{
  g_autofree char *current = NULL;
  g_autofree char *text = NULL;
  guint done, total;

  limner_progress_get (progress, &done, &total, &current);

  if (total == 0)
    {
      text = g_strdup (_("Looking for images…"));
      gtk_progress_bar_pulse (self->import_progress);
    }
  else if (done >= total && current == NULL)
    {
      text = g_strdup (_("Adding the images to the project…"));
      gtk_progress_bar_set_fraction (self->import_progress, 1.0);
    }
  else
    {
      g_autofree char *name = current ? g_path_get_basename (current) : g_strdup ("");

      /* Translators: import progress: "Importing 12 of 340: photo.jpg" */
      text = g_strdup_printf (_("Importing %u of %u: %s"), done, total, name);
      gtk_progress_bar_set_fraction (self->import_progress, (double)done / total);
    }

  gtk_label_set_label (self->import_label, text);
}

static void
clear_progress (LimnerProjectPage *self)
{
  if (self->progress != NULL)
    g_signal_handlers_disconnect_by_data (self->progress, self);
  g_clear_object (&self->progress);
}

/* Import reasons name the file ("/x/y.jpg: the file is empty."); the row's
 * title already does, so the subtitle keeps what follows, capitalised. */
static char *
reason_without_path (const LimnerImportItem *import_item)
{
  const char *reason = import_item->reason;
  g_autofree char *prefix = NULL;

  if (reason == NULL)
    return g_strdup (import_item->path);

  prefix = g_strconcat (import_item->path, ": ", NULL);
  if (g_str_has_prefix (reason, prefix) && reason[strlen (prefix)] != '\0')
    {
      const char *rest = reason + strlen (prefix);
      gunichar first = g_utf8_get_char (rest);
      char buf[8] = { 0 };

      g_unichar_to_utf8 (g_unichar_totitle (first), buf);
      return g_strconcat (buf, g_utf8_next_char (rest), NULL);
    }

  return g_strdup (reason);
}

static GtkWidget *
summary_list (const char *title,
              GPtrArray  *import_items)
{
  g_autofree char *label = g_strdup_printf ("%s (%u)", title, import_items->len);
  GtkWidget *expander = gtk_expander_new (label);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 6);
  gtk_widget_set_margin_bottom (list, 6);
  gtk_widget_set_margin_start (list, 2);
  gtk_widget_set_margin_end (list, 2);

  for (guint i = 0; i < import_items->len && i < SUMMARY_MAX_ROWS; i++)
    {
      const LimnerImportItem *import_item = g_ptr_array_index (import_items, i);
      g_autofree char *name = g_path_get_basename (import_item->path);
      g_autofree char *reason = reason_without_path (import_item);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      gtk_widget_set_tooltip_text (row, import_item->reason ? import_item->reason : import_item->path);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  if (import_items->len > SUMMARY_MAX_ROWS)
    {
      guint more = import_items->len - SUMMARY_MAX_ROWS;
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more file", "and %u more files", more),
                         more);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_expander_set_child (GTK_EXPANDER (expander), scrolled);
  /* A few problems are worth seeing at once; a long list stays folded. */
  gtk_expander_set_expanded (GTK_EXPANDER (expander), import_items->len <= 5);
  return expander;
}

static void
show_import_summary (LimnerProjectPage  *self,
                     LimnerImportResult *result)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint n_added = result->added->len;
  guint n_duplicates = result->duplicates->len;
  guint n_rejected = result->rejected->len;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE, "%u image added.", "%u images added.", n_added),
                          n_added);
  if (n_duplicates > 0)
    {
      g_string_append_c (body, '\n');
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u duplicate skipped.",
                                           "%u duplicates skipped.",
                                           n_duplicates),
                              n_duplicates);
    }
  if (n_rejected > 0)
    {
      g_string_append_c (body, '\n');
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u file rejected.", "%u files rejected.", n_rejected),
                              n_rejected);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Import Finished"), body->str);
  /* Room for the file lists; the dialog is narrow by default. */
  if (n_rejected > 0 || n_duplicates > 0)
    gtk_window_set_default_size (GTK_WINDOW (dialog), 520, -1);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");

  if (n_rejected > 0 || n_duplicates > 0)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

      if (n_rejected > 0)
        gtk_box_append (GTK_BOX (box), summary_list (_("Rejected Files"), result->rejected));
      if (n_duplicates > 0)
        gtk_box_append (GTK_BOX (box), summary_list (_("Duplicates"), result->duplicates));
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
    }

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LimnerProjectPage) self = user_data;
  g_autoptr(LimnerImportResult) import = NULL;
  g_autoptr(GError) error = NULL;

  import = limner_import_run_finish (result, &error);

  /* The page was disposed (window closed) while the import ran. */
  if (self->items == NULL)
    return;

  clear_progress (self);
  g_clear_object (&self->import_cancellable);
  set_importing (self, FALSE);

  /* The project was closed meanwhile: the import finished into it anyway. */
  if (self->store == NULL)
    return;

  if (import == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        limner_toast_emit (GTK_WIDGET (self),
                           adw_toast_new (_("Import cancelled; no images were added")));
      else
        show_error (self, error);
      return;
    }

  limner_project_page_reload (self);
  show_import_summary (self, import);
}

static void
chooser_response (GtkNativeDialog   *chooser,
                  int                response,
                  LimnerProjectPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);

          if (path != NULL)
            g_strv_builder_add (builder, path);
        }
    }

  paths = g_strv_builder_end (builder);
  g_clear_object (&self->chooser);

  if (paths[0] != NULL)
    limner_project_page_import (self, (const char * const *)paths);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  limner_project_page_cancel_import (LIMNER_PROJECT_PAGE (widget));
}

/* GObject --------------------------------------------------------------- */

static void
limner_project_page_dispose (GObject *object)
{
  LimnerProjectPage *self = (LimnerProjectPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  clear_progress (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* Unbinds every cell while the thumbnailer is still there. */
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_PROJECT_PAGE);
  /* The template's top-level box is not bound, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->thumbnailer != NULL)
    g_signal_handlers_disconnect_by_data (self->thumbnailer, self);
  g_clear_object (&self->thumbnailer);
  g_clear_pointer (&self->cell_ranks, g_hash_table_unref);
  g_clear_pointer (&self->cell_positions, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_project_page_parent_class)->dispose (object);
}

static void
limner_project_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LimnerProjectPage *self = LIMNER_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_IMPORTING:
      g_value_set_boolean (value, limner_project_page_get_importing (self));
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_project_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LimnerProjectPage *self = LIMNER_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      limner_project_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_project_page_class_init (LimnerProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_project_page_dispose;
  object_class->get_property = limner_project_page_get_property;
  object_class->set_property = limner_project_page_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The open project, or NULL. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A cell was activated (double click or Enter). */
  signals[IMAGE_ACTIVATED] =
    g_signal_new ("image-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LIMNER_TYPE_IMAGE_ITEM);
  /* The image list was (re)read into the model. */
  signals[LOADED] =
    g_signal_new ("loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* Errors and news for the user: whoever shows the page shows the toast. */
  signals[TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, import_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, import_progress);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectPage, grid_filter);

  gtk_widget_class_install_action (widget_class, "project.cancel-import", NULL, cancel_import_action);

  gtk_widget_class_set_css_name (widget_class, "limner-project-page");
}

static void
limner_project_page_init (LimnerProjectPage *self)
{
  GtkListItemFactory *factory;
  GtkSingleSelection *selection;

  g_type_ensure (ADW_TYPE_WINDOW_TITLE);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (LIMNER_TYPE_GRID_FILTER);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (LIMNER_TYPE_IMAGE_ITEM);
  ensure_thumbnailer (self);
  self->cell_ranks = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->cell_positions = g_hash_table_new (NULL, NULL);
  self->cell_ranks_dirty = TRUE;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);

  limner_grid_filter_set_items (self->grid_filter, G_LIST_MODEL (self->items));
  limner_grid_filter_add_shortcuts (self->grid_filter, GTK_WIDGET (self));
  selection = gtk_single_selection_new (g_object_ref (limner_grid_filter_get_model (self->grid_filter)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  g_signal_connect (self->grid_view, "activate", G_CALLBACK (grid_activate), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "project.cancel-import", FALSE);
  update_content (self);
}

GtkWidget *
limner_project_page_new (void)
{
  return g_object_new (LIMNER_TYPE_PROJECT_PAGE, NULL);
}

void
limner_project_page_set_store (LimnerProjectPage *self,
                               LimnerStore       *store)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));
  g_return_if_fail (!store || LIMNER_IS_STORE (store));

  if (self->store == store)
    return;

  limner_project_page_cancel_import (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;

  g_list_store_remove_all (self->items);
  limner_thumbnailer_clear (self->thumbnailer);
  ensure_thumbnailer (self);
  g_set_object (&self->store, store);
  limner_grid_filter_set_store (self->grid_filter, store);

  self->load_started_us = store ? g_get_monotonic_time () : 0;
  self->first_thumbnail_us = 0;

  start_loading (self);
  update_title (self);
  update_content (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

LimnerStore *
limner_project_page_get_store (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), NULL);
  return self->store;
}

void
limner_project_page_reload (LimnerProjectPage *self)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));
  start_loading (self);
}

GListModel *
limner_project_page_get_model (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), NULL);
  return G_LIST_MODEL (self->items);
}

LimnerThumbnailer *
limner_project_page_get_thumbnailer (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), NULL);
  return self->thumbnailer;
}

gboolean
limner_project_page_get_loading (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), FALSE);
  return self->loading;
}

/* A native chooser picks either folders or files, never both at once. */
static void
choose_import (LimnerProjectPage *self,
               gboolean           files)
{
  GtkRoot *root;

  if (self->store == NULL || self->chooser != NULL || self->import_cancellable != NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (files ? _("Import Image Files") : _("Import Folders"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               files ? GTK_FILE_CHOOSER_ACTION_OPEN
                                                     : GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Import"),
                                               _("_Cancel"));
  if (files)
    {
      g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (images, _("Images"));
      gtk_file_filter_add_mime_type (images, "image/*");
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
limner_project_page_choose_import (LimnerProjectPage *self)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));

  choose_import (self, FALSE);
}

void
limner_project_page_choose_import_files (LimnerProjectPage *self)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));

  choose_import (self, TRUE);
}

void
limner_project_page_import (LimnerProjectPage  *self,
                            const char * const *paths)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));
  g_return_if_fail (paths != NULL);

  if (self->store == NULL || self->import_cancellable != NULL || paths[0] == NULL)
    return;

  self->progress = limner_progress_new ();
  g_signal_connect (self->progress, "changed", G_CALLBACK (import_progress_changed), self);
  self->import_cancellable = g_cancellable_new ();

  gtk_label_set_label (self->import_label, _("Looking for images…"));
  gtk_progress_bar_set_fraction (self->import_progress, 0.0);
  set_importing (self, TRUE);

  limner_import_run_async (self->store,
                           paths,
                           self->import_cancellable,
                           limner_progress_import_func,
                           g_object_ref (self->progress),
                           g_object_unref,
                           import_done,
                           g_object_ref (self));
}

gboolean
limner_project_page_get_importing (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), FALSE);
  return self->import_cancellable != NULL;
}

void
limner_project_page_cancel_import (LimnerProjectPage *self)
{
  g_return_if_fail (LIMNER_IS_PROJECT_PAGE (self));

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

gint64
limner_project_page_get_first_thumbnail_time (LimnerProjectPage *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_PAGE (self), 0);
  return self->first_thumbnail_us;
}
