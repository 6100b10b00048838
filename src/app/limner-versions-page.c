/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-versions-page.c: versions, publish, compare, export and verify. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-check.h"
#include "limner-dataset.h"
#include "limner-export-dialog.h"
#include "limner-export-limner.h"
#include "limner-export.h"
#include "limner-export-verify.h"
#include "limner-progress.h"
#include "limner-version-diff.h"
#include "limner-toast.h"
#include "limner-versions-page.h"
#include "limner-worker.h"

struct _LimnerVersionsPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkStack             *list_stack;
  GtkWidget            *compare_box;
  GtkListBox           *versions_list;
  GtkDropDown          *from_dropdown;
  GtkDropDown          *to_dropdown;
  GtkTextView          *result_view;

  /* Owned references */
  LimnerStore          *store;
  GPtrArray            *versions;       /* of LimnerVersion, oldest first */
  GArray               *choice_numbers; /* gint64 per dropdown item; 0 = current state */
  GCancellable         *cancellable;    /* of the running job */
  LimnerProgress       *progress;
  GtkFileChooserNative *chooser;
  char                 *export_format;
  char                 *export_dir;     /* of the running or last export */

  guint                 busy : 1;
  guint                 disposed : 1;
};

G_DEFINE_FINAL_TYPE (LimnerVersionsPage, limner_versions_page, GTK_TYPE_WIDGET)

enum {
  CLOSE_REQUESTED,
  PUBLISHED,
  EXPORTED,
  DIFF_SHOWN,
  VERIFY_SHOWN,
  TOAST,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Errors and news go out as the "toast" signal, to whoever shows the page. */
static void
show_error (LimnerVersionsPage *self, const GError *error)
{
  limner_toast_emit (GTK_WIDGET (self), limner_toast_new_for_error (error));
}

static void
show_toast (LimnerVersionsPage *self, const char *text)
{
  limner_toast_emit (GTK_WIDGET (self), adw_toast_new (text));
}

static void
set_result_text (LimnerVersionsPage *self, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->result_view), text, -1);
}

static void
update_actions (LimnerVersionsPage *self)
{
  gboolean have_store = self->store != NULL;
  gboolean is_lead = have_store && (limner_store_get_roles (self->store) & LIMNER_ROLE_LEAD);
  gboolean idle = !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.publish", have_store && is_lead && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.export", have_store && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.verify", have_store && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.compare",
                                 have_store && idle && self->choice_numbers->len > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.cancel", self->busy);
}

static void
set_busy (LimnerVersionsPage *self, const char *what)
{
  self->busy = what != NULL;
  g_clear_object (&self->cancellable);
  if (what != NULL)
    {
      self->cancellable = g_cancellable_new ();
      gtk_label_set_text (self->progress_label, what);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  gtk_revealer_set_reveal_child (self->progress_revealer, what != NULL);
  update_actions (self);
}

/* The version list */

static GtkWidget *
version_row (const LimnerVersion *v)
{
  g_autofree char *time = limner_export_format_time (v->created_at);
  g_autofree char *title = g_strdup_printf (_("Version %" PRId64), v->number);
  g_autofree char *images = NULL;
  g_autofree char *shapes = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  GtkWidget *row = adw_action_row_new ();

  images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " image",
                                         "%" PRId64 " images", (gulong) v->n_images),
                            v->n_images);
  shapes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " shape",
                                         "%" PRId64 " shapes", (gulong) v->n_shapes),
                            v->n_shapes);
  /* TRANSLATORS: message — time · author · "N images" · "N shapes" · policy */
  subtitle = g_strdup_printf (_("%s — %s · %s · %s · %s · policy %s"),
                              v->message, time, v->author, images, shapes, v->policy);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

static void
fill_dropdowns (LimnerVersionsPage *self)
{
  g_autoptr(GtkStringList) from = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) to = gtk_string_list_new (NULL);
  gint64 current = 0;
  guint n = self->versions ? self->versions->len : 0;

  g_array_set_size (self->choice_numbers, 0);
  /* Newest first, then the current state. */
  for (guint i = n; i > 0; i--)
    {
      const LimnerVersion *v = g_ptr_array_index (self->versions, i - 1);
      g_autofree char *name = g_strdup_printf (_("Version %" PRId64), v->number);

      gtk_string_list_append (from, name);
      gtk_string_list_append (to, name);
      g_array_append_val (self->choice_numbers, v->number);
    }
  gtk_string_list_append (from, _("Current state"));
  gtk_string_list_append (to, _("Current state"));
  g_array_append_val (self->choice_numbers, current);

  gtk_drop_down_set_model (self->from_dropdown, G_LIST_MODEL (from));
  gtk_drop_down_set_model (self->to_dropdown, G_LIST_MODEL (to));
  /* The latest change: the version before the newest to the newest, or the
   * only version to the current state. */
  if (n >= 2)
    {
      gtk_drop_down_set_selected (self->from_dropdown, 1);
      gtk_drop_down_set_selected (self->to_dropdown, 0);
    }
  else
    {
      gtk_drop_down_set_selected (self->from_dropdown, 0);
      gtk_drop_down_set_selected (self->to_dropdown, n);
    }
}

void
limner_versions_page_reload (LimnerVersionsPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (LIMNER_IS_VERSIONS_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_list))) != NULL)
    gtk_list_box_remove (self->versions_list, child);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  if (self->store != NULL)
    {
      /* One small query on an indexed table: fine on the main thread. */
      self->versions = limner_store_list_versions (self->store, &error);
      if (self->versions == NULL)
        show_error (self, error);
    }

  if (self->versions != NULL)
    for (guint i = self->versions->len; i > 0; i--)
      gtk_list_box_append (self->versions_list, version_row (g_ptr_array_index (self->versions, i - 1)));

  gtk_stack_set_visible_child_name (self->list_stack,
                                    self->versions && self->versions->len > 0 ? "list" : "empty");
  /* Nothing to compare before the first version. */
  gtk_widget_set_visible (self->compare_box, self->versions && self->versions->len > 0);
  {
    g_autofree char *subtitle = NULL;
    guint n = self->versions ? self->versions->len : 0;

    if (self->store != NULL)
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u version", "%u versions", n), n);
    adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
  }
  fill_dropdowns (self);
  update_actions (self);
}

/* Worker jobs: each runs on a worker with its own store on the project. */

typedef enum {
  JOB_PUBLISH,
  JOB_DIFF,
  JOB_VERIFY,
} JobKind;

typedef struct {
  JobKind              kind;
  char                *dir;
  char                *login;
  char                *message;   /* publish */
  LimnerPublishPolicy  policy;    /* publish */
  gint64               a, b;      /* diff */
  char                *path;      /* verify */
  /* Results */
  gint64               number;
  char                *text;
  gboolean             ok;
} Job;

static void
job_free (Job *job)
{
  g_free (job->dir);
  g_free (job->login);
  g_free (job->message);
  g_free (job->path);
  g_free (job->text);
  g_free (job);
}

static Job *
job_new (LimnerVersionsPage *self, JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->dir = g_strdup (limner_store_get_dir (self->store));
  job->login = g_strdup (limner_store_get_login (self->store));
  return job;
}

/* Runs on a worker with its own store; the job carries the results back. */
static gpointer
job_in_worker (LimnerWorker  *worker,
               LimnerStore   *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Job *job = data;

  switch (job->kind)
    {
    case JOB_PUBLISH:
      job->number = limner_store_publish (store, job->message, job->policy, error);
      job->ok = job->number > 0;
      break;

    case JOB_DIFF:
      {
        g_autoptr(LimnerVersionDiff) diff = limner_version_diff (store, job->a, job->b, cancellable, error);

        if (diff != NULL)
          job->text = limner_version_diff_format (diff);
        job->ok = diff != NULL;
      }
      break;

    case JOB_VERIFY:
      {
        g_autoptr(LimnerCheckReport) report = limner_check_report_new ();

        if (limner_export_verify_full (store, job->path, LIMNER_VERIFY_DEFAULT, report,
                                       cancellable, error))
          {
            job->text = limner_export_verify_report_format (report, job->path);
            job->number = limner_check_report_ok (report);
            job->ok = TRUE;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* The worker owns the job until the task is gone, after job_done(). */
  return job->ok ? job : NULL;
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (source);
  g_autoptr(GError) error = NULL;
  Job *job;

  /* The task kept the page alive, but its widgets are gone. */
  if (self->disposed)
    return;
  set_busy (self, NULL);
  job = g_task_propagate_pointer (G_TASK (result), &error);
  if (job == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  switch (job->kind)
    {
    case JOB_PUBLISH:
      {
        g_autofree char *text = g_strdup_printf (_("Published version %" PRId64), job->number);

        limner_versions_page_reload (self);
        show_toast (self, text);
        g_signal_emit (self, signals[PUBLISHED], 0, job->number);
      }
      break;

    case JOB_DIFF:
      set_result_text (self, job->text);
      g_signal_emit (self, signals[DIFF_SHOWN], 0);
      break;

    case JOB_VERIFY:
      set_result_text (self, job->text);
      g_signal_emit (self, signals[VERIFY_SHOWN], 0, (gboolean) job->number);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
run_job (LimnerVersionsPage *self, Job *job, const char *what)
{
  g_autoptr(GTask) task = NULL;

  set_busy (self, what);
  task = g_task_new (self, self->cancellable, job_done, NULL);
  g_task_set_source_tag (task, run_job);
  limner_worker_run (limner_worker_new (job->dir, job->login), task, job_in_worker,
                     job, (GDestroyNotify) job_free, NULL);
}

/* Compare */

void
limner_versions_page_compare (LimnerVersionsPage *self, gint64 a, gint64 b)
{
  Job *job;

  g_return_if_fail (LIMNER_IS_VERSIONS_PAGE (self));
  g_return_if_fail (self->store != NULL);

  if (self->busy)
    return;
  job = job_new (self, JOB_DIFF);
  job->a = a;
  job->b = b;
  run_job (self, job, _("Comparing…"));
}

static void
compare_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (widget);
  guint from = gtk_drop_down_get_selected (self->from_dropdown);
  guint to = gtk_drop_down_get_selected (self->to_dropdown);

  if (from >= self->choice_numbers->len || to >= self->choice_numbers->len)
    return;
  limner_versions_page_compare (self, g_array_index (self->choice_numbers, gint64, from),
                                g_array_index (self->choice_numbers, gint64, to));
}

/* Verify */

void
limner_versions_page_verify (LimnerVersionsPage *self, const char *dir)
{
  Job *job;

  g_return_if_fail (LIMNER_IS_VERSIONS_PAGE (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (dir != NULL);

  if (self->busy)
    return;
  job = job_new (self, JOB_VERIFY);
  job->path = g_strdup (dir);
  run_job (self, job, _("Verifying the export…"));
}

static void
verify_chooser_response (GtkNativeDialog    *dialog,
                         int                 response,
                         LimnerVersionsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        limner_versions_page_verify (self, path);
    }
  g_clear_object (&self->chooser);
}

static GtkWindow *
parent_window (LimnerVersionsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
verify_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Verify an Export"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Verify"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (verify_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Publish */

static void
publish_entry_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  gboolean blank = TRUE;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      blank = FALSE;
  adw_message_dialog_set_response_enabled (dialog, "publish", !blank);
}

static void
publish_response (AdwMessageDialog   *dialog,
                  const char         *response,
                  LimnerVersionsPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GtkDropDown *policy = g_object_get_data (G_OBJECT (dialog), "policy");
  Job *job;

  if (!g_str_equal (response, "publish") || self->store == NULL || self->busy)
    return;
  job = job_new (self, JOB_PUBLISH);
  job->message = g_strdup (gtk_editable_get_text (entry));
  job->policy = (LimnerPublishPolicy) gtk_drop_down_get_selected (policy);
  run_job (self, job, _("Publishing…"));
}

static void
publish_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (widget);
  /* In LimnerPublishPolicy order. */
  const char * const policies[] = {
    _("Done images: submitted and not drawn for review, or accepted"),
    _("Every image with shapes"),
    _("Every image"),
    NULL
  };
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *policy;

  dialog = adw_message_dialog_new (parent_window (self), _("Publish a Version"),
                                   _("The version freezes the label schema, the images the "
                                     "policy includes and their shapes. It can never change."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("What changed"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  policy = gtk_drop_down_new_from_strings (policies);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), policy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "publish", _("_Publish"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "publish",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "publish");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "publish", FALSE);

  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "policy", policy);
  g_signal_connect (entry, "changed", G_CALLBACK (publish_entry_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (publish_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Export */

static gint64
selected_version (LimnerVersionsPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->versions_list);
  guint n = self->versions ? self->versions->len : 0;

  if (n == 0)
    return 0;
  /* Rows are newest first. */
  if (row != NULL)
    return ((LimnerVersion *) g_ptr_array_index (self->versions,
                                                 n - 1 - gtk_list_box_row_get_index (row)))->number;
  return ((LimnerVersion *) g_ptr_array_index (self->versions, n - 1))->number;
}

static void
progress_changed (LimnerProgress *progress, LimnerVersionsPage *self)
{
  g_autofree char *current = NULL;
  guint done = 0, total = 0;

  limner_progress_get (progress, &done, &total, &current);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
open_folder_clicked (AdwToast   *toast,
                     const char *uri)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (toast), "window");

  gtk_show_uri (window != NULL ? GTK_WINDOW (window) : NULL, uri, GDK_CURRENT_TIME);
}

/* Says where the files went, with a way to look at them. */
static void
export_finished_toast (LimnerVersionsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *text = g_strdup_printf (_("Export finished in %s"), self->export_dir);
  g_autofree char *markup = NULL;
  g_autoptr(GFile) folder = NULL;
  AdwToast *toast;

  markup = g_markup_escape_text (text, -1);
  toast = adw_toast_new (markup);
  folder = g_file_new_for_path (self->export_dir);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("_Open Folder"));
  g_object_set_data (G_OBJECT (toast), "window", GTK_IS_WINDOW (root) ? root : NULL);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_folder_clicked),
                         g_file_get_uri (folder), (GClosureNotify) G_CALLBACK (g_free), 0);
  limner_toast_emit (GTK_WIDGET (self), toast);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(LimnerVersionsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = limner_export_run_finish (result, &error);

  if (self->disposed)
    return;
  set_busy (self, NULL);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      else
        show_toast (self, _("Export cancelled"));
      return;
    }
  export_finished_toast (self);
  g_signal_emit (self, signals[EXPORTED], 0);
}

static void
export_requested (LimnerExportDialog *dialog,
                  LimnerVersionsPage *self)
{
  g_autoptr(GHashTable) options = limner_export_dialog_dup_options (dialog);
  g_autofree char *what = NULL;
  gint64 version = limner_export_dialog_get_version (dialog);

  if (self->store == NULL || self->busy)
    return;

  g_free (self->export_format);
  self->export_format = g_strdup (limner_export_dialog_get_format (dialog));
  what = version > 0
    ? g_strdup_printf (_("Exporting version %" PRId64 " as %s…"), version, self->export_format)
    : g_strdup_printf (_("Exporting the current state as %s…"), self->export_format);
  set_busy (self, what);
  g_free (self->export_dir);
  self->export_dir = g_strdup (limner_export_dialog_get_folder (dialog));
  limner_export_run_async (self->store, version, self->export_format, self->export_dir, options,
                           limner_progress_import_func, g_object_ref (self->progress),
                           g_object_unref, self->cancellable, export_done, g_object_ref (self));
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (widget);
  LimnerExportDialog *dialog;

  if (self->store == NULL)
    return;
  dialog = limner_export_dialog_new (parent_window (self), self->store, self->versions,
                                     selected_version (self));
  g_signal_connect_object (dialog, "export-requested", G_CALLBACK (export_requested), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Other actions */

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

/* Object */

static void
limner_versions_page_dispose (GObject *object)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_VERSIONS_PAGE);
  /* The template's top-level box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  if (self->progress != NULL)
    g_signal_handlers_disconnect_by_data (self->progress, self);
  g_clear_object (&self->progress);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  G_OBJECT_CLASS (limner_versions_page_parent_class)->dispose (object);
}

static void
limner_versions_page_finalize (GObject *object)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (object);

  g_array_unref (self->choice_numbers);
  g_free (self->export_format);
  g_free (self->export_dir);

  G_OBJECT_CLASS (limner_versions_page_parent_class)->finalize (object);
}

static void
limner_versions_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (object);

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
limner_versions_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LimnerVersionsPage *self = LIMNER_VERSIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      limner_versions_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_versions_page_class_init (LimnerVersionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_versions_page_dispose;
  object_class->finalize = limner_versions_page_finalize;
  object_class->get_property = limner_versions_page_get_property;
  object_class->set_property = limner_versions_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[PUBLISHED] = g_signal_new ("published", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
  signals[DIFF_SHOWN] = g_signal_new ("diff-shown", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 0);
  signals[VERIFY_SHOWN] = g_signal_new ("verify-shown", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /* Errors and news for the user: whoever shows the page shows the toast. */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-versions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, compare_box);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, versions_list);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, to_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerVersionsPage, result_view);

  gtk_widget_class_install_action (widget_class, "versions.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "versions.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "versions.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "versions.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "versions.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "versions.cancel", NULL, cancel_action);
}

static void
limner_versions_page_init (LimnerVersionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choice_numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->progress = limner_progress_new ();
  g_signal_connect (self->progress, "changed", G_CALLBACK (progress_changed), self);
  fill_dropdowns (self);
  update_actions (self);
}

GtkWidget *
limner_versions_page_new (void)
{
  return g_object_new (LIMNER_TYPE_VERSIONS_PAGE, NULL);
}

void
limner_versions_page_set_store (LimnerVersionsPage *self, LimnerStore *store)
{
  g_return_if_fail (LIMNER_IS_VERSIONS_PAGE (self));
  g_return_if_fail (store == NULL || LIMNER_IS_STORE (store));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  set_result_text (self, "");
  limner_versions_page_reload (self);
}

LimnerStore *
limner_versions_page_get_store (LimnerVersionsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_VERSIONS_PAGE (self), NULL);
  return self->store;
}

guint
limner_versions_page_get_n_versions (LimnerVersionsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_VERSIONS_PAGE (self), 0);
  return self->versions ? self->versions->len : 0;
}

char *
limner_versions_page_dup_result_text (LimnerVersionsPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LIMNER_IS_VERSIONS_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->result_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
