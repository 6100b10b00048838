/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-export-dialog.h"
#include "limner-export.h"
#include "limner-pg.h"
#include "limner-pg-uri.h"

/* The augmentations in the order of the "augment" option's documentation. */
static const char * const augment_names[] = { "flip-h", "flip-v", "rot90", "rot180", "rot270" };
static const char * const task_names[] = { "mixed", "detect", "segment" };

struct _LimnerExportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkWidget            *export_button;
  AdwComboRow          *format_row;
  AdwComboRow          *version_row;
  AdwActionRow         *folder_row;
  GtkWidget            *split_group;
  AdwExpanderRow       *split_row;
  GtkSpinButton        *train_spin;
  GtkSpinButton        *val_spin;
  GtkSpinButton        *test_spin;
  GtkSpinButton        *seed_spin;
  GtkWidget            *augment_group;
  GtkSwitch            *flip_h_switch;
  GtkSwitch            *flip_v_switch;
  GtkSwitch            *rot90_switch;
  GtkSwitch            *rot180_switch;
  GtkSwitch            *rot270_switch;
  AdwComboRow          *task_row;
  GtkWidget            *images_row;
  GtkSwitch            *images_switch;

  /* Owned references */
  LimnerStore          *store;
  GArray               *version_numbers; /* gint64 per version item; 0 = draft */
  GtkFileChooserNative *chooser;
  char                 *folder;
  char                 *problem;

  guint                 folder_chosen : 1;
};

G_DEFINE_FINAL_TYPE (LimnerExportDialog, limner_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const LimnerExportFormat *
selected_format (LimnerExportDialog *self)
{
  guint index = adw_combo_row_get_selected (self->format_row);

  for (guint i = 0; limner_export_formats[i].name != NULL; i++)
    if (i == index)
      return &limner_export_formats[i];
  return &limner_export_formats[0];
}

static gboolean
format_takes (const LimnerExportFormat *format,
              const char               *option)
{
  g_auto(GStrv) keys = g_strsplit (format->options, " ", -1);

  return g_strv_contains ((const char * const *) keys, option);
}

static GtkSwitch *
augment_switch (LimnerExportDialog *self,
                guint               i)
{
  GtkSwitch *switches[] = {
    self->flip_h_switch, self->flip_v_switch, self->rot90_switch, self->rot180_switch, self->rot270_switch
  };

  g_assert (i < G_N_ELEMENTS (switches));
  return switches[i];
}

static gboolean
any_augment (LimnerExportDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (augment_names); i++)
    if (gtk_switch_get_active (augment_switch (self, i)))
      return TRUE;
  return FALSE;
}

/* Where exports go by default: the project folder's "exports", or for a
 * team project, which has no folder here, Documents/limner-exports/DATABASE. */
static char *
exports_folder (LimnerExportDialog *self)
{
  const char *dir = limner_store_get_dir (self->store);
  const char *documents;
  g_autofree char *dbname = NULL;

  if (!limner_pg_is_uri (dir))
    return g_build_filename (dir, "exports", NULL);
  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  dbname = limner_pg_uri_dup_dbname (dir);
  /* A database name may hold a slash; a file name may not. */
  g_strdelimit (dbname, G_DIR_SEPARATOR_S, '_');
  return g_build_filename (documents ? documents : g_get_home_dir (), "limner-exports",
                           dbname ? dbname : "team", NULL);
}

/* Like the command line: PROJECT/exports/FORMAT-vN, or FORMAT-draft. */
static void
update_default_folder (LimnerExportDialog *self)
{
  g_autofree char *name = NULL;
  g_autofree char *exports = NULL;
  gint64 version = limner_export_dialog_get_version (self);

  if (self->folder_chosen)
    return;
  name = version > 0 ? g_strdup_printf ("%s-v%" PRId64, selected_format (self)->name, version)
                     : g_strdup_printf ("%s-draft", selected_format (self)->name);
  exports = exports_folder (self);
  g_free (self->folder);
  self->folder = g_build_filename (exports, name, NULL);
}

/* Shows what the chosen format takes, and whether the options make sense. */
static void
update (LimnerExportDialog *self)
{
  const LimnerExportFormat *format = selected_format (self);
  gboolean layout = format_takes (format, "split");
  guint train = gtk_spin_button_get_value_as_int (self->train_spin);
  guint val = gtk_spin_button_get_value_as_int (self->val_spin);
  guint test = gtk_spin_button_get_value_as_int (self->test_spin);

  update_default_folder (self);
  adw_action_row_set_subtitle (self->folder_row, self->folder);

  gtk_widget_set_sensitive (self->split_group, layout);
  gtk_widget_set_sensitive (self->augment_group, format_takes (format, "augment"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->task_row), format_takes (format, "task"));
  gtk_widget_set_sensitive (self->images_row, format_takes (format, "images"));

  if (limner_export_dialog_get_version (self) == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->version_row),
                                _("Draft: the current state of every image, not a published version; "
                                  "it cannot be reproduced later"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->version_row), "");

  g_clear_pointer (&self->problem, g_free);
  if (layout && adw_expander_row_get_enable_expansion (self->split_row) && train + val + test != 100)
    self->problem = g_strdup_printf (_("The train, validation and test shares add up to %u%%, not 100%%."),
                                     train + val + test);
  else if (format_takes (format, "images") && !gtk_switch_get_active (self->images_switch) &&
           format_takes (format, "augment") && any_augment (self))
    self->problem = g_strdup (_("Augmented copies need the image files: turn on copying them, "
                                "or turn off augmentation."));

  adw_expander_row_set_subtitle (self->split_row,
                                 self->problem != NULL && train + val + test != 100 ? self->problem : "");
  gtk_widget_set_tooltip_text (self->export_button, self->problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export-dialog.export", self->problem == NULL);
}

static void
chooser_response (GtkNativeDialog    *chooser,
                  int                 response,
                  LimnerExportDialog *self)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (folder != NULL)
    {
      g_autofree char *path = g_file_get_path (folder);

      if (path != NULL)
        limner_export_dialog_set_folder (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LimnerExportDialog *self = LIMNER_EXPORT_DIALOG (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Into a Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  limner_export_dialog_export (LIMNER_EXPORT_DIALOG (widget));
}

/* GObject ---------------------------------------------------------------- */

static void
limner_export_dialog_dispose (GObject *object)
{
  LimnerExportDialog *self = (LimnerExportDialog *) object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_export_dialog_parent_class)->dispose (object);
}

static void
limner_export_dialog_finalize (GObject *object)
{
  LimnerExportDialog *self = (LimnerExportDialog *) object;

  g_clear_pointer (&self->version_numbers, g_array_unref);
  g_free (self->folder);
  g_free (self->problem);

  G_OBJECT_CLASS (limner_export_dialog_parent_class)->finalize (object);
}

static void
limner_export_dialog_class_init (LimnerExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_export_dialog_dispose;
  object_class->finalize = limner_export_dialog_finalize;

  /* Export was pressed with valid options; read them with the getters. */
  signals[EXPORT_REQUESTED] =
    g_signal_new ("export-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, split_group);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, split_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, train_spin);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, val_spin);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, test_spin);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, augment_group);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, flip_h_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, flip_v_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, rot90_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, rot180_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, rot270_switch);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, task_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, images_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerExportDialog, images_switch);

  gtk_widget_class_install_action (widget_class, "export-dialog.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "export-dialog.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
limner_export_dialog_init (LimnerExportDialog *self)
{
  g_type_ensure (ADW_TYPE_PREFERENCES_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->version_numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
connect_updates (LimnerExportDialog *self)
{
  GObject *switches[] = {
    G_OBJECT (self->flip_h_switch), G_OBJECT (self->flip_v_switch), G_OBJECT (self->rot90_switch),
    G_OBJECT (self->rot180_switch), G_OBJECT (self->rot270_switch), G_OBJECT (self->images_switch),
  };
  GObject *spins[] = {
    G_OBJECT (self->train_spin), G_OBJECT (self->val_spin), G_OBJECT (self->test_spin),
  };

  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->version_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->split_row, "notify::enable-expansion", G_CALLBACK (update), self);
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    g_signal_connect_swapped (switches[i], "notify::active", G_CALLBACK (update), self);
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (update), self);
}

LimnerExportDialog *
limner_export_dialog_new (GtkWindow   *parent,
                          LimnerStore *store,
                          GPtrArray   *versions,
                          gint64       version)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  LimnerExportDialog *self;
  gint64 draft = 0;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  self = g_object_new (LIMNER_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);

  for (guint i = 0; limner_export_formats[i].name != NULL; i++)
    gtk_string_list_append (formats, _(limner_export_formats[i].description));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));

  /* Newest first, then the draft, marked as such. */
  for (guint i = versions ? versions->len : 0; i > 0; i--)
    {
      const LimnerVersion *v = g_ptr_array_index (versions, i - 1);
      g_autofree char *title = v->message && *v->message
        /* Translators: a version in the export dialog: its number and message */
        ? g_strdup_printf (_("Version %" PRId64 ": %s"), v->number, v->message)
        : g_strdup_printf (_("Version %" PRId64), v->number);

      gtk_string_list_append (choices, title);
      g_array_append_val (self->version_numbers, v->number);
    }
  gtk_string_list_append (choices, _("Draft (current state, unpublished)"));
  g_array_append_val (self->version_numbers, draft);
  adw_combo_row_set_model (self->version_row, G_LIST_MODEL (choices));

  limner_export_dialog_set_version (self, version);
  connect_updates (self);
  update (self);
  return self;
}

gint64
limner_export_dialog_get_version (LimnerExportDialog *self)
{
  guint index;

  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), 0);

  index = adw_combo_row_get_selected (self->version_row);
  return index < self->version_numbers->len ? g_array_index (self->version_numbers, gint64, index) : 0;
}

const char *
limner_export_dialog_get_format (LimnerExportDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), NULL);
  return selected_format (self)->name;
}

const char *
limner_export_dialog_get_folder (LimnerExportDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), NULL);
  return self->folder;
}

GHashTable *
limner_export_dialog_dup_options (LimnerExportDialog *self)
{
  const LimnerExportFormat *format;
  GHashTable *options;

  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), NULL);

  format = selected_format (self);
  options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (format_takes (format, "split") && adw_expander_row_get_enable_expansion (self->split_row))
    {
      char train[G_ASCII_DTOSTR_BUF_SIZE], val[G_ASCII_DTOSTR_BUF_SIZE], test[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (train, sizeof train, "%.2f", gtk_spin_button_get_value_as_int (self->train_spin) / 100.0);
      g_ascii_formatd (val, sizeof val, "%.2f", gtk_spin_button_get_value_as_int (self->val_spin) / 100.0);
      g_ascii_formatd (test, sizeof test, "%.2f", gtk_spin_button_get_value_as_int (self->test_spin) / 100.0);
      g_hash_table_insert (options, g_strdup ("split"), g_strjoin (",", train, val, test, NULL));
      g_hash_table_insert (options, g_strdup ("seed"),
                           g_strdup_printf ("%.0f", gtk_spin_button_get_value (self->seed_spin)));
    }

  if (format_takes (format, "augment") && any_augment (self))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (augment_names); i++)
        if (gtk_switch_get_active (augment_switch (self, i)))
          g_strv_builder_add (builder, augment_names[i]);
      names = g_strv_builder_end (builder);
      g_hash_table_insert (options, g_strdup ("augment"), g_strjoinv (",", names));
    }

  if (format_takes (format, "task"))
    {
      guint task = adw_combo_row_get_selected (self->task_row);

      g_hash_table_insert (options, g_strdup ("task"),
                           g_strdup (task_names[task < G_N_ELEMENTS (task_names) ? task : 0]));
    }

  if (format_takes (format, "images") && !gtk_switch_get_active (self->images_switch))
    g_hash_table_insert (options, g_strdup ("images"), g_strdup ("none"));

  return options;
}

void
limner_export_dialog_set_format (LimnerExportDialog *self,
                                 const char         *format)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));

  for (guint i = 0; limner_export_formats[i].name != NULL; i++)
    if (g_strcmp0 (limner_export_formats[i].name, format) == 0)
      {
        adw_combo_row_set_selected (self->format_row, i);
        return;
      }
  g_warning ("No export format called %s", format);
}

void
limner_export_dialog_set_version (LimnerExportDialog *self,
                                  gint64              version)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < self->version_numbers->len; i++)
    if (g_array_index (self->version_numbers, gint64, i) == version)
      {
        adw_combo_row_set_selected (self->version_row, i);
        return;
      }
  g_warning ("No version %" PRId64 " to export", version);
}

void
limner_export_dialog_set_folder (LimnerExportDialog *self,
                                 const char         *folder)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));
  g_return_if_fail (folder != NULL);

  g_free (self->folder);
  self->folder = g_strdup (folder);
  self->folder_chosen = TRUE;
  update (self);
}

void
limner_export_dialog_set_split (LimnerExportDialog *self,
                                guint               train,
                                guint               val,
                                guint               test,
                                guint64             seed)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));

  if (train > 0)
    {
      gtk_spin_button_set_value (self->train_spin, train);
      gtk_spin_button_set_value (self->val_spin, val);
      gtk_spin_button_set_value (self->test_spin, test);
      gtk_spin_button_set_value (self->seed_spin, (double) seed);
    }
  adw_expander_row_set_enable_expansion (self->split_row, train > 0);
  update (self);
}

void
limner_export_dialog_set_augment (LimnerExportDialog *self,
                                  const char         *augment)
{
  g_auto(GStrv) names = NULL;

  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));

  names = g_strsplit (augment ? augment : "", ",", -1);
  for (guint i = 0; i < G_N_ELEMENTS (augment_names); i++)
    gtk_switch_set_active (augment_switch (self, i),
                           g_strv_contains ((const char * const *) names, augment_names[i]));
}

void
limner_export_dialog_set_task (LimnerExportDialog *self,
                               const char         *task)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (task_names); i++)
    if (g_strcmp0 (task_names[i], task) == 0)
      {
        adw_combo_row_set_selected (self->task_row, i);
        return;
      }
  g_warning ("No export task called %s", task);
}

void
limner_export_dialog_set_copy_images (LimnerExportDialog *self,
                                      gboolean            copy)
{
  g_return_if_fail (LIMNER_IS_EXPORT_DIALOG (self));
  gtk_switch_set_active (self->images_switch, copy);
}

const char *
limner_export_dialog_get_problem (LimnerExportDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), NULL);
  return self->problem;
}

gboolean
limner_export_dialog_export (LimnerExportDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_EXPORT_DIALOG (self), FALSE);

  if (self->problem != NULL)
    return FALSE;
  g_signal_emit (self, signals[EXPORT_REQUESTED], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}
