/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-import-annotations-dialog.h"
#include "limner-progress.h"

/* A report with tens of thousands of rows would take seconds to build. */
#define REPORT_MAX_ROWS 500
/* Detection looks at no more than this many entries of a folder tree, and at
 * the start of JSON files only: a COCO file can be hundreds of megabytes. */
#define DETECT_MAX_ENTRIES 5000
#define DETECT_HEAD_SIZE   8192

struct _LimnerImportAnnotationsDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *stack;
  AdwActionRow         *source_row;
  AdwComboRow          *format_row;
  GtkSwitch            *predictions_switch;
  GtkSwitch            *create_labels_switch;
  GtkLabel             *summary_label;
  GtkListBox           *details_list;

  /* Owned references */
  LimnerStore          *store;
  GStrv                 paths;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
  LimnerProgress       *progress;
  GPtrArray            *reports;    /* of LimnerAnnotationImportReport, one per path done */
  GPtrArray            *failures;   /* of char *: paths where nothing could be tried */
  GString              *report_text;

  LimnerAnnotationFormat format;    /* of the running import */
  guint                 next_path;
  guint                 detected_valid : 1;
  guint                 cancelled : 1;
  LimnerAnnotationFormat detected;
};

G_DEFINE_FINAL_TYPE (LimnerImportAnnotationsDialog, limner_import_annotations_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
format_title (LimnerAnnotationFormat format)
{
  switch (format)
    {
    case LIMNER_ANNOTATION_FORMAT_LABELME:
      return _("labelme JSON");
    case LIMNER_ANNOTATION_FORMAT_COCO:
      return _("COCO JSON");
    case LIMNER_ANNOTATION_FORMAT_YOLO:
      return _("YOLO text files");
    case LIMNER_ANNOTATION_FORMAT_VOC:
      return _("Pascal VOC XML");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Detecting the format ---------------------------------------------------- */

typedef struct
{
  guint    found;     /* bit per LimnerAnnotationFormat */
  guint    n_entries;
  gboolean has_names; /* a YOLO class list */
  gboolean has_txt;
} Detect;

static void
detect_json (Detect     *detect,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  char head[DETECT_HEAD_SIZE + 1];
  gsize n = 0;

  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, DETECT_HEAD_SIZE, &n, NULL, NULL))
    return;
  head[n] = '\0';
  if (strstr (head, "\"shapes\"") != NULL)
    detect->found |= 1 << LIMNER_ANNOTATION_FORMAT_LABELME;
  else if (strstr (head, "\"annotations\"") != NULL || strstr (head, "\"categories\"") != NULL ||
           strstr (head, "\"images\"") != NULL)
    detect->found |= 1 << LIMNER_ANNOTATION_FORMAT_COCO;
}

static void
detect_file (Detect     *detect,
             const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);

  if (lower[0] == '.')
    return;
  if (g_str_equal (lower, "manifest.json"))
    return;
  if (g_str_equal (lower, "data.yaml") || g_str_equal (lower, "data.yml") ||
      g_str_equal (lower, "classes.txt") || g_str_equal (lower, "obj.names"))
    detect->has_names = TRUE;
  else if (g_str_has_suffix (lower, ".json"))
    detect_json (detect, path);
  else if (g_str_has_suffix (lower, ".xml"))
    detect->found |= 1 << LIMNER_ANNOTATION_FORMAT_VOC;
  else if (g_str_has_suffix (lower, ".txt") && !g_str_has_prefix (lower, "readme"))
    detect->has_txt = TRUE;
}

static void
detect_path (Detect     *detect,
             const char *path,
             int         depth)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      detect->n_entries++;
      detect_file (detect, path);
      return;
    }
  if (depth > 4 || (dir = g_dir_open (path, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL && detect->n_entries < DETECT_MAX_ENTRIES)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (name[0] == '.' || g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      detect_path (detect, child, depth + 1);
    }
}

gboolean
limner_import_annotations_detect_format (const char * const     *paths,
                                         LimnerAnnotationFormat *format)
{
  Detect detect = { 0 };

  g_return_val_if_fail (paths != NULL, FALSE);

  for (guint i = 0; paths[i] != NULL; i++)
    detect_path (&detect, paths[i], 0);

  /* Text files are YOLO labels only next to a class list (which a chosen
   * file has up to two folders above it). */
  if (detect.has_txt && !detect.has_names)
    for (guint i = 0; paths[i] != NULL && !detect.has_names; i++)
      {
        g_autofree char *parent = g_path_get_dirname (paths[i]);

        for (int up = 0; up < 3 && !detect.has_names; up++)
          {
            const char *lists[] = { "data.yaml", "data.yml", "classes.txt", "obj.names" };
            char *next;

            for (guint j = 0; j < G_N_ELEMENTS (lists); j++)
              {
                g_autofree char *list = g_build_filename (parent, lists[j], NULL);

                if (g_file_test (list, G_FILE_TEST_IS_REGULAR))
                  detect.has_names = TRUE;
              }
            next = g_path_get_dirname (parent);
            g_free (parent);
            parent = next;
          }
      }
  if (detect.has_txt && detect.has_names)
    detect.found |= 1 << LIMNER_ANNOTATION_FORMAT_YOLO;

  for (int f = LIMNER_ANNOTATION_FORMAT_LABELME; f <= LIMNER_ANNOTATION_FORMAT_VOC; f++)
    if (detect.found == (guint) (1 << f))
      {
        if (format != NULL)
          *format = f;
        return TRUE;
      }
  return FALSE;
}

/* The options page ------------------------------------------------------- */

static void
update (LimnerImportAnnotationsDialog *self)
{
  gboolean running = self->cancellable != NULL;
  gboolean have_paths = self->paths != NULL && self->paths[0] != NULL;
  LimnerAnnotationFormat format;
  g_autofree char *subtitle = NULL;

  if (have_paths)
    {
      guint n = g_strv_length (self->paths);

      subtitle = n == 1 ? g_strdup (self->paths[0])
                        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item: %s, …",
                                                        "%u items: %s, …", n),
                                           n, self->paths[0]);
    }
  adw_action_row_set_subtitle (self->source_row, subtitle ? subtitle : _("Nothing chosen yet"));

  if (adw_combo_row_get_selected (self->format_row) == 0)
    {
      g_autofree char *detected = NULL;

      if (!have_paths)
        detected = g_strdup ("");
      else if (self->detected_valid)
        /* Translators: the format found in the chosen annotation files */
        detected = g_strdup_printf (_("Detected: %s"), format_title (self->detected));
      else
        detected = g_strdup (_("The files do not tell their format: choose it"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), detected);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import-annotations.start",
                                 !running && have_paths &&
                                 limner_import_annotations_dialog_get_format (self, &format));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import-annotations.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import-annotations.choose-files", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import-annotations.choose-folder", !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !running);
  gtk_revealer_set_reveal_child (self->progress_revealer, running);
}

static void
chooser_response (GtkNativeDialog               *chooser,
                  int                            response,
                  LimnerImportAnnotationsDialog *self)
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
    limner_import_annotations_dialog_set_paths (self, (const char * const *) paths);
}

static void
choose (LimnerImportAnnotationsDialog *self,
        gboolean                       folder)
{
  if (self->chooser != NULL || self->cancellable != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (folder ? _("Import Annotations From a Folder")
                                                      : _("Import Annotation Files"),
                                               GTK_WINDOW (self),
                                               folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), !folder);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  choose (LIMNER_IMPORT_ANNOTATIONS_DIALOG (widget), FALSE);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  choose (LIMNER_IMPORT_ANNOTATIONS_DIALOG (widget), TRUE);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  limner_import_annotations_dialog_start (LIMNER_IMPORT_ANNOTATIONS_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  limner_import_annotations_dialog_cancel (LIMNER_IMPORT_ANNOTATIONS_DIALOG (widget));
}

/* The report ------------------------------------------------------------- */

static void
add_detail (LimnerImportAnnotationsDialog *self,
            guint                         *n_rows,
            const char                    *kind,
            const char                    *text)
{
  GtkWidget *row, *label;
  g_autofree char *line = g_strdup_printf ("%s: %s", kind, text);

  g_string_append_printf (self->report_text, "%s\n", line);
  if (++*n_rows > REPORT_MAX_ROWS)
    return;

  label = gtk_label_new (line);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (self->details_list, row);
}

static void
show_report (LimnerImportAnnotationsDialog *self)
{
  guint files_ok = 0, files_failed = 0, imported = 0, skipped = 0, clamped = 0, notes = 0;
  guint n_rows = 0, n_labels = 0;
  g_autoptr(GString) summary = g_string_new (NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_list))) != NULL)
    gtk_list_box_remove (self->details_list, child);
  g_string_truncate (self->report_text, 0);

  for (guint i = 0; i < self->reports->len; i++)
    {
      const LimnerAnnotationImportReport *report = g_ptr_array_index (self->reports, i);

      files_ok += report->n_files_ok;
      files_failed += report->n_files_failed;
      imported += report->n_imported;
      skipped += report->n_skipped;
      clamped += report->n_clamped;
      notes += report->n_notes;
      for (guint j = 0; j < report->files->len; j++)
        n_labels += ((LimnerAnnotationFileReport *) g_ptr_array_index (report->files, j))->labels_created->len;
    }

  if (self->cancelled)
    g_string_append_printf (summary, "%s\n", _("Import cancelled; the files finished before stay imported."));
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u shape imported", "%u shapes imported", imported),
                          imported);
  g_string_append (summary, ", ");
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u skipped", "%u skipped", skipped), skipped);
  g_string_append (summary, ", ");
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u clamped to the image",
                                       "%u clamped to the image", clamped), clamped);
  g_string_append (summary, ", ");
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u converted or matched otherwise",
                                       "%u converted or matched otherwise", notes), notes);
  g_string_append (summary, ".\n");
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u file imported", "%u files imported", files_ok),
                          files_ok);
  g_string_append (summary, ", ");
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                       files_failed + self->failures->len),
                          files_failed + self->failures->len);
  if (n_labels > 0)
    {
      g_string_append (summary, ", ");
      g_string_append_printf (summary,
                              g_dngettext (GETTEXT_PACKAGE, "%u label created", "%u labels created", n_labels),
                              n_labels);
    }
  g_string_append (summary, ".");
  gtk_label_set_label (self->summary_label, summary->str);
  g_string_append_printf (self->report_text, "%s\n", summary->str);

  for (guint i = 0; i < self->failures->len; i++)
    add_detail (self, &n_rows, _("Error"), g_ptr_array_index (self->failures, i));
  for (guint i = 0; i < self->reports->len; i++)
    {
      const LimnerAnnotationImportReport *report = g_ptr_array_index (self->reports, i);

      for (guint j = 0; j < report->files->len; j++)
        {
          const LimnerAnnotationFileReport *file = g_ptr_array_index (report->files, j);

          if (file->error != NULL)
            add_detail (self, &n_rows, _("Error"), file->error);
          for (guint k = 0; k < file->labels_created->len; k++)
            add_detail (self, &n_rows, _("New label"), g_ptr_array_index (file->labels_created, k));
          for (guint k = 0; k < file->skipped->len; k++)
            add_detail (self, &n_rows, _("Skipped"), g_ptr_array_index (file->skipped, k));
          for (guint k = 0; k < file->notes->len; k++)
            add_detail (self, &n_rows, _("Note"), g_ptr_array_index (file->notes, k));
        }
    }
  if (n_rows > REPORT_MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more line not shown",
                                                            "%u more lines not shown",
                                                            n_rows - REPORT_MAX_ROWS),
                                               n_rows - REPORT_MAX_ROWS);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->details_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->details_list), n_rows > 0);
  gtk_stack_set_visible_child_name (self->stack, "report");

  if (imported > 0 || n_labels > 0)
    g_signal_emit (self, signals[IMPORTED], 0);
}

/* Running ---------------------------------------------------------------- */

static void run_next (LimnerImportAnnotationsDialog *self);

static void
progress_changed (LimnerProgress                *progress,
                  LimnerImportAnnotationsDialog *self)
{
  g_autofree char *current = NULL;
  guint done = 0, total = 0;

  limner_progress_get (progress, &done, &total, &current);
  if (current != NULL)
    gtk_label_set_label (self->progress_label, current);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LimnerImportAnnotationsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  LimnerAnnotationImportReport *report = limner_import_annotations_finish (result, &error);

  if (self->cancellable == NULL)
    {
      /* The dialog was closed meanwhile. */
      g_clear_pointer (&report, limner_annotation_import_report_free);
      return;
    }

  if (report != NULL)
    g_ptr_array_add (self->reports, report);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->cancelled = TRUE;
  else
    g_ptr_array_add (self->failures, g_strdup (error->message));

  if (!self->cancelled && self->paths[self->next_path] != NULL)
    {
      run_next (self);
      return;
    }

  g_clear_object (&self->cancellable);
  if (self->progress != NULL)
    g_signal_handlers_disconnect_by_data (self->progress, self);
  g_clear_object (&self->progress);
  update (self);
  show_report (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
run_next (LimnerImportAnnotationsDialog *self)
{
  LimnerAnnotationImportOptions options = { 0 };
  const char *path = self->paths[self->next_path++];
  g_autofree char *what = g_path_get_basename (path);

  options.format = self->format;
  options.as_predictions = gtk_switch_get_active (self->predictions_switch);
  options.create_labels = gtk_switch_get_active (self->create_labels_switch);

  gtk_label_set_label (self->progress_label, what);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  limner_import_annotations_async (self->store, path, &options, self->cancellable,
                                   limner_progress_import_func, g_object_ref (self->progress),
                                   g_object_unref, import_done, g_object_ref (self));
}

/* GObject ---------------------------------------------------------------- */

static void
limner_import_annotations_dialog_dispose (GObject *object)
{
  LimnerImportAnnotationsDialog *self = (LimnerImportAnnotationsDialog *) object;

  /* The import goes on to the end of its file (all or nothing), unseen. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->progress != NULL)
    g_signal_handlers_disconnect_by_data (self->progress, self);
  g_clear_object (&self->progress);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_import_annotations_dialog_parent_class)->dispose (object);
}

static void
limner_import_annotations_dialog_finalize (GObject *object)
{
  LimnerImportAnnotationsDialog *self = (LimnerImportAnnotationsDialog *) object;

  g_strfreev (self->paths);
  g_ptr_array_unref (self->reports);
  g_ptr_array_unref (self->failures);
  g_string_free (self->report_text, TRUE);

  G_OBJECT_CLASS (limner_import_annotations_dialog_parent_class)->finalize (object);
}

static void
limner_import_annotations_dialog_class_init (LimnerImportAnnotationsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_import_annotations_dialog_dispose;
  object_class->finalize = limner_import_annotations_dialog_finalize;

  /* Shapes or labels were added to the project: views of it are stale. */
  signals[IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The import is over (done, failed or cancelled) and its report shown. */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-import-annotations-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, predictions_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, create_labels_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerImportAnnotationsDialog, details_list);

  gtk_widget_class_install_action (widget_class, "import-annotations.choose-files", NULL, choose_files_action);
  gtk_widget_class_install_action (widget_class, "import-annotations.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "import-annotations.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "import-annotations.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
limner_import_annotations_dialog_init (LimnerImportAnnotationsDialog *self)
{
  g_type_ensure (ADW_TYPE_PREFERENCES_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_annotation_import_report_free);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  self->report_text = g_string_new (NULL);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (update), self);
  update (self);
}

LimnerImportAnnotationsDialog *
limner_import_annotations_dialog_new (GtkWindow   *parent,
                                      LimnerStore *store)
{
  LimnerImportAnnotationsDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  self = g_object_new (LIMNER_TYPE_IMPORT_ANNOTATIONS_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
limner_import_annotations_dialog_set_paths (LimnerImportAnnotationsDialog *self,
                                            const char * const            *paths)
{
  g_return_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self));
  g_return_if_fail (paths != NULL);

  if (self->cancellable != NULL)
    return;
  g_strfreev (self->paths);
  self->paths = g_strdupv ((char **) paths);
  self->detected_valid = limner_import_annotations_detect_format (paths, &self->detected);
  gtk_stack_set_visible_child_name (self->stack, "options");
  update (self);
}

void
limner_import_annotations_dialog_set_format (LimnerImportAnnotationsDialog *self,
                                             int                            format)
{
  g_return_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self));
  g_return_if_fail (format >= -1 && format <= LIMNER_ANNOTATION_FORMAT_VOC);

  adw_combo_row_set_selected (self->format_row, format + 1);
}

void
limner_import_annotations_dialog_set_as_predictions (LimnerImportAnnotationsDialog *self,
                                                     gboolean                       as_predictions)
{
  g_return_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self));
  gtk_switch_set_active (self->predictions_switch, as_predictions);
}

void
limner_import_annotations_dialog_set_create_labels (LimnerImportAnnotationsDialog *self,
                                                    gboolean                       create_labels)
{
  g_return_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self));
  gtk_switch_set_active (self->create_labels_switch, create_labels);
}

gboolean
limner_import_annotations_dialog_get_format (LimnerImportAnnotationsDialog *self,
                                             LimnerAnnotationFormat        *format)
{
  guint selected;

  g_return_val_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self), FALSE);

  selected = adw_combo_row_get_selected (self->format_row);
  if (selected != 0 && selected != GTK_INVALID_LIST_POSITION)
    {
      if (format != NULL)
        *format = selected - 1;
      return TRUE;
    }
  if (!self->detected_valid)
    return FALSE;
  if (format != NULL)
    *format = self->detected;
  return TRUE;
}

gboolean
limner_import_annotations_dialog_start (LimnerImportAnnotationsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self), FALSE);

  if (self->cancellable != NULL || self->paths == NULL || self->paths[0] == NULL ||
      !limner_import_annotations_dialog_get_format (self, &self->format))
    return FALSE;

  g_ptr_array_set_size (self->reports, 0);
  g_ptr_array_set_size (self->failures, 0);
  self->cancelled = FALSE;
  self->next_path = 0;
  self->cancellable = g_cancellable_new ();
  self->progress = limner_progress_new ();
  g_signal_connect (self->progress, "changed", G_CALLBACK (progress_changed), self);
  update (self);
  run_next (self);
  return TRUE;
}

gboolean
limner_import_annotations_dialog_get_running (LimnerImportAnnotationsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

void
limner_import_annotations_dialog_cancel (LimnerImportAnnotationsDialog *self)
{
  g_return_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

char *
limner_import_annotations_dialog_dup_report_text (LimnerImportAnnotationsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_IMPORT_ANNOTATIONS_DIALOG (self), NULL);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "options"))
    return NULL;
  return g_strdup (self->report_text->str);
}
