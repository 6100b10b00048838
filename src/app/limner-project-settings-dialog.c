/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-project-settings-dialog.c: the project's image root and this
 * user's image folder on this computer. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-image-root.h"
#include "limner-project-settings-dialog.h"
#include "limner-worker.h"

struct _LimnerProjectSettingsDialog
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *root_row;
  GtkWidget            *unset_root_button;
  AdwActionRow         *folder_row;
  GtkSpinner           *spinner;

  /* Owned references */
  LimnerStore          *store;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;   /* setting the root */
  char                 *root;          /* the project's, NULL for none */
  char                 *last_error;

  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (LimnerProjectSettingsDialog, limner_project_settings_dialog, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  IMAGE_FOLDER_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_error (LimnerProjectSettingsDialog *self,
            const char                  *message)
{
  g_autofree char *markup = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (markup);

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  adw_toast_set_timeout (toast, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* The rows as the store and this computer's mappings say now. */
static void
refresh (LimnerProjectSettingsDialog *self)
{
  const char *location = limner_store_get_dir (self->store);
  gboolean lead = (limner_store_get_roles (self->store) & LIMNER_ROLE_LEAD) != 0;
  g_autofree char *mapping = NULL;
  g_autofree char *subtitle = NULL;

  g_free (self->root);
  self->root = limner_store_dup_image_root (self->store);
  mapping = limner_image_root_dup_mapping (location, self->root);

  gtk_editable_set_text (GTK_EDITABLE (self->root_row), self->root ? self->root : "");
  gtk_editable_set_editable (GTK_EDITABLE (self->root_row), lead && !self->busy);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->root_row),
                               lead ? NULL : _("Only a lead can change the project’s image root"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "project-settings.unset-root",
                                 lead && !self->busy && self->root != NULL);

  if (self->root == NULL)
    subtitle = g_strdup (limner_store_get_dir (self->store) != NULL
                         ? _("The project has no image root: image paths are relative to the project folder")
                         : _("The project has no image root: image paths are absolute"));
  else if (mapping != NULL)
    subtitle = g_strdup (mapping);
  else
    /* Translators: %s is the project's image root */
    subtitle = g_strdup_printf (_("Not set: the image root itself, %s"), self->root);
  adw_action_row_set_subtitle (self->folder_row, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "project-settings.choose-folder", self->root != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "project-settings.reset-folder", mapping != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

gboolean
limner_project_settings_dialog_set_local_folder (LimnerProjectSettingsDialog *self,
                                                 const char                  *folder)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self), FALSE);

  if (!limner_image_root_set_mapping (limner_store_get_dir (self->store), self->root, folder, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  refresh (self);
  g_signal_emit (self, signals[IMAGE_FOLDER_CHANGED], 0);
  return TRUE;
}

/* The image root, on a worker: every image path may be rewritten. */

static gpointer
set_root_in_worker (LimnerWorker  *worker,
                    LimnerStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  if (!limner_store_set_image_root (store, data, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
set_root_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LimnerProjectSettingsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_pointer (G_TASK (result), &error) != NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (!ok)
    show_error (self, error->message);
  refresh (self);
  if (ok)
    g_signal_emit (self, signals[IMAGE_FOLDER_CHANGED], 0);
}

void
limner_project_settings_dialog_set_image_root (LimnerProjectSettingsDialog *self,
                                               const char                  *root)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self));

  if (self->busy)
    return;
  self->busy = TRUE;
  refresh (self);
  task = g_task_new (NULL, self->cancellable, set_root_done, g_object_ref (self));
  g_task_set_source_tag (task, limner_project_settings_dialog_set_image_root);
  limner_worker_run (limner_worker_new (limner_store_get_dir (self->store), limner_store_get_login (self->store)),
                     task, set_root_in_worker,
                     root != NULL && *root != '\0' ? g_strdup (root) : NULL, g_free, NULL);
}

static void
on_root_apply (LimnerProjectSettingsDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->root_row))));

  limner_project_settings_dialog_set_image_root (self, text);
}

/* Actions */

static void
chooser_response (GtkNativeDialog             *chooser,
                  int                          response,
                  LimnerProjectSettingsDialog *self)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (folder != NULL)
    {
      g_autofree char *path = g_file_get_path (folder);

      if (path != NULL)
        limner_project_settings_dialog_set_local_folder (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  LimnerProjectSettingsDialog *self = LIMNER_PROJECT_SETTINGS_DIALOG (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Image Folder on This Computer"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  limner_project_settings_dialog_set_local_folder (LIMNER_PROJECT_SETTINGS_DIALOG (widget), NULL);
}

static void
unset_root_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  limner_project_settings_dialog_set_image_root (LIMNER_PROJECT_SETTINGS_DIALOG (widget), NULL);
}

/* GObject */

static void
limner_project_settings_dialog_constructed (GObject *object)
{
  LimnerProjectSettingsDialog *self = LIMNER_PROJECT_SETTINGS_DIALOG (object);

  G_OBJECT_CLASS (limner_project_settings_dialog_parent_class)->constructed (object);
  refresh (self);
}

static void
limner_project_settings_dialog_dispose (GObject *object)
{
  LimnerProjectSettingsDialog *self = LIMNER_PROJECT_SETTINGS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);
  g_clear_pointer (&self->root, g_free);
  g_clear_pointer (&self->last_error, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_PROJECT_SETTINGS_DIALOG);

  G_OBJECT_CLASS (limner_project_settings_dialog_parent_class)->dispose (object);
}

static void
limner_project_settings_dialog_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  LimnerProjectSettingsDialog *self = LIMNER_PROJECT_SETTINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_project_settings_dialog_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  LimnerProjectSettingsDialog *self = LIMNER_PROJECT_SETTINGS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_project_settings_dialog_class_init (LimnerProjectSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = limner_project_settings_dialog_constructed;
  object_class->dispose = limner_project_settings_dialog_dispose;
  object_class->set_property = limner_project_settings_dialog_set_property;
  object_class->get_property = limner_project_settings_dialog_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[IMAGE_FOLDER_CHANGED] =
    g_signal_new ("image-folder-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-project-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectSettingsDialog, root_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectSettingsDialog, unset_root_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectSettingsDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerProjectSettingsDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_root_apply);

  gtk_widget_class_install_action (widget_class, "project-settings.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "project-settings.reset-folder", NULL, reset_folder_action);
  gtk_widget_class_install_action (widget_class, "project-settings.unset-root", NULL, unset_root_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
limner_project_settings_dialog_init (LimnerProjectSettingsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWindow *
limner_project_settings_dialog_new (GtkWindow   *parent,
                                    LimnerStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  return g_object_new (LIMNER_TYPE_PROJECT_SETTINGS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

gboolean
limner_project_settings_dialog_get_busy (LimnerProjectSettingsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self), FALSE);
  return self->busy;
}

const char *
limner_project_settings_dialog_get_folder_text (LimnerProjectSettingsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self), NULL);
  return adw_action_row_get_subtitle (self->folder_row);
}

gboolean
limner_project_settings_dialog_get_root_editable (LimnerProjectSettingsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self), FALSE);
  return gtk_editable_get_editable (GTK_EDITABLE (self->root_row));
}

const char *
limner_project_settings_dialog_get_last_error (LimnerProjectSettingsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_PROJECT_SETTINGS_DIALOG (self), NULL);
  return self->last_error;
}
