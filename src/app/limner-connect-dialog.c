/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-connect-dialog.h"
#include "limner-pg.h"
#include "limner-pg-uri.h"

G_DEFINE_QUARK (limner-connect-error-quark, limner_connect_error)

struct _LimnerConnectDialog
{
  AdwWindow         parent_instance;

  /* Template widgets */
  GtkWidget        *connect_button;
  GtkWidget        *server_group;
  AdwEntryRow      *host_row;
  AdwEntryRow      *port_row;
  AdwEntryRow      *database_row;
  AdwEntryRow      *user_row;
  AdwEntryRow      *password_row;
  AdwEntryRow      *uri_row;
  GtkLabel         *problem_label;
  GtkWidget        *busy_box;
  GtkSpinner       *spinner;
  GtkLabel         *busy_label;
  GtkWidget        *error_box;
  GtkLabel         *error_heading;
  GtkLabel         *error_label;
  GtkLabel         *error_hint;

  /* Owned references */
  char             *uri;        /* as the fields stand, without the password; NULL: a problem */
  char             *problem;
  GStrv             options;    /* parameters of a pasted URI that have no field (sslmode...) */
  GError           *error;      /* of the last connection */
  GCancellable     *cancellable; /* while connecting */

  guint             strip_idle;
  gboolean          syncing;
};

G_DEFINE_FINAL_TYPE (LimnerConnectDialog, limner_connect_dialog, ADW_TYPE_WINDOW)

enum {
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Showing the state ---------------------------------------------------- */

static void
update_state (LimnerConnectDialog *self)
{
  gboolean connecting = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect-dialog.connect",
                                 self->uri != NULL && !connecting);
  gtk_widget_set_sensitive (self->server_group, !connecting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->uri_row), !connecting);
  gtk_label_set_label (self->problem_label, self->problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), self->problem != NULL && !connecting);
  gtk_widget_set_visible (self->busy_box, connecting);
  gtk_spinner_set_spinning (self->spinner, connecting);
  gtk_widget_set_visible (self->error_box, self->error != NULL && !connecting);
}

static void
set_problem (LimnerConnectDialog *self,
             const char          *uri,
             const char          *problem)
{
  g_free (self->uri);
  self->uri = g_strdup (uri);
  g_free (self->problem);
  self->problem = g_strdup (problem);
}

static void
clear_error (LimnerConnectDialog *self)
{
  g_clear_error (&self->error);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (LimnerConnectDialog *self,
              AdwEntryRow         *row,
              const char          *text)
{
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  self->syncing = FALSE;
}

/* The fields and the URI field, each in step with the other ------------ */

/* The address as the fields stand, or the reason there is none. */
static void
rebuild (LimnerConnectDialog *self)
{
  LimnerPgUriParts parts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  parts.host = g_strdup (row_text (self->host_row));
  parts.port = g_strstrip (g_strdup (row_text (self->port_row)));
  parts.dbname = g_strdup (row_text (self->database_row));
  parts.user = g_strdup (row_text (self->user_row));
  parts.options = g_strdupv (self->options);
  uri = limner_pg_uri_build (&parts, &error);
  limner_pg_uri_parts_clear (&parts);
  set_problem (self, uri, error ? error->message : NULL);
  update_state (self);
}

static void
fields_changed (LimnerConnectDialog *self)
{
  if (self->syncing)
    return;
  clear_error (self);
  rebuild (self);
  if (self->uri != NULL)
    set_row_text (self, self->uri_row, self->uri);
}

/* The URI field shows the address without its password. Not from inside
 * its own "changed": setting an editable's text there garbles it. */
static gboolean
show_stripped_uri (gpointer data)
{
  LimnerConnectDialog *self = data;

  self->strip_idle = 0;
  if (self->uri != NULL)
    set_row_text (self, self->uri_row, self->uri);
  return G_SOURCE_REMOVE;
}

static void
uri_changed (LimnerConnectDialog *self)
{
  LimnerPgUriParts parts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->syncing)
    return;
  clear_error (self);
  text = g_strstrip (g_strdup (row_text (self->uri_row)));
  /* Emptied (or half-way through a replacement): the fields say what is left. */
  if (*text == '\0')
    {
      rebuild (self);
      return;
    }
  if (!limner_pg_uri_parse (text, &parts, &error))
    {
      set_problem (self, NULL, error->message);
      update_state (self);
      return;
    }

  set_row_text (self, self->host_row, parts.host);
  set_row_text (self, self->port_row, parts.port);
  set_row_text (self, self->database_row, parts.dbname);
  set_row_text (self, self->user_row, parts.user);
  g_strfreev (self->options);
  self->options = g_steal_pointer (&parts.options);
  rebuild (self);
  /* A pasted password moves to its own field, out of sight. */
  if (parts.password != NULL)
    {
      set_row_text (self, self->password_row, parts.password);
      if (self->strip_idle == 0)
        self->strip_idle = g_idle_add_full (G_PRIORITY_HIGH, show_stripped_uri, self, NULL);
    }
  limner_pg_uri_parts_clear (&parts);
}

/* Connecting, on a worker ---------------------------------------------- */

typedef struct {
  char *uri;      /* with the password, if any */
  char *shown;    /* without */
  char *password; /* NULL: none */
} ConnectJob;

static void
forget (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
connect_job_free (ConnectJob *job)
{
  forget (job->uri);
  forget (job->password);
  g_free (job->shown);
  g_free (job);
}

static char *
replace_all (const char *text,
             const char *what,
             const char *with)
{
  g_auto(GStrv) pieces = g_strsplit (text, what, -1);

  return g_strjoinv (with, pieces);
}

/* Whatever reported the failure may have quoted the address: the message
 * shown and logged holds no password. */
static char *
without_password (const ConnectJob *job,
                  const char       *message)
{
  g_autofree char *text = replace_all (message, job->uri, job->shown);

  if (job->password != NULL && strlen (job->password) >= 3)
    {
      char *masked = replace_all (text, job->password, "********");

      g_free (text);
      text = masked;
    }
  return g_steal_pointer (&text);
}

static gboolean
error_is (const GError *error,
          int           store_code,
          int           pg_code)
{
  return g_error_matches (error, LIMNER_STORE_ERROR, store_code)
         || (pg_code >= 0 && g_error_matches (error, LIMNER_PG_ERROR, pg_code));
}

/* Says which of the expected failures this is. Whether a server answers at
 * all (PQping) tells an unreachable server from a refused login, whatever
 * words the server chose. */
static GError *
classify (const ConnectJob *job,
          const GError     *error)
{
  LimnerConnectError code;

  switch (limner_pg_uri_ping (job->uri))
    {
    case LIMNER_PG_PING_NO_RESPONSE:
    case LIMNER_PG_PING_REJECT:
      code = LIMNER_CONNECT_ERROR_UNREACHABLE;
      break;
    case LIMNER_PG_PING_OK:
      if (error_is (error, LIMNER_STORE_ERROR_NOT_A_PROJECT, LIMNER_PG_ERROR_NOT_A_PROJECT))
        code = LIMNER_CONNECT_ERROR_NOT_A_PROJECT;
      else if (error_is (error, LIMNER_STORE_ERROR_PERMISSION, LIMNER_PG_ERROR_DENIED))
        code = LIMNER_CONNECT_ERROR_NO_ROLE;
      else if (error_is (error, LIMNER_STORE_ERROR_OFFLINE, LIMNER_PG_ERROR_CONNECT))
        code = LIMNER_CONNECT_ERROR_LOGIN;
      else
        code = LIMNER_CONNECT_ERROR_FAILED;
      break;
    case LIMNER_PG_PING_INVALID:
    default:
      code = LIMNER_CONNECT_ERROR_FAILED;
      break;
    }
  {
    g_autofree char *message = without_password (job, error->message);

    /* The server refused to show the project: the message names a table,
     * and the user needs to hear that it is about them. */
    if (code == LIMNER_CONNECT_ERROR_NO_ROLE)
      {
        LimnerPgUriParts parts = { 0 };
        g_autofree char *where = limner_pg_uri_describe (job->shown);
        g_autofree char *why = g_steal_pointer (&message);

        limner_pg_uri_parse (job->shown, &parts, NULL);
        /* Translators: a login, "database “db” on host", then the server's refusal */
        message = g_strdup_printf (_("“%s” holds no Limner role in the %s. %s"),
                                   parts.user ? parts.user : g_get_user_name (), where, why);
        limner_pg_uri_parts_clear (&parts);
      }
    return g_error_new_literal (LIMNER_CONNECT_ERROR, code, message);
  }
}

static void
connect_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  ConnectJob *job = data;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = limner_store_open (job->uri, NULL, &error);
  if (store == NULL)
    {
      g_task_return_error (task, classify (job, error));
      return;
    }
  if (limner_store_get_roles (store) == LIMNER_ROLE_NONE)
    {
      g_autofree char *where = limner_pg_uri_describe (job->shown);
      const char *login = limner_store_get_login (store);

      g_task_return_new_error (task, LIMNER_CONNECT_ERROR, LIMNER_CONNECT_ERROR_NO_ROLE,
                               /* Translators: %s are a login and "database “db” on host" */
                               _("“%s” holds no Limner role in the %s."), login, where);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

static const char *
heading_for (const GError *error)
{
  switch (error->code)
    {
    case LIMNER_CONNECT_ERROR_UNREACHABLE:
      return _("Server Unreachable");
    case LIMNER_CONNECT_ERROR_LOGIN:
      return _("Login Refused");
    case LIMNER_CONNECT_ERROR_NOT_A_PROJECT:
      return _("Not a Limner Project");
    case LIMNER_CONNECT_ERROR_NO_ROLE:
      return _("No Limner Role");
    default:
      return _("Could Not Open the Project");
    }
}

static char *
hint_for (const GError *error)
{
  switch (error->code)
    {
    case LIMNER_CONNECT_ERROR_UNREACHABLE:
      return g_strdup (_("Check the server’s name and port, the network, and that the server "
                         "is running."));
    case LIMNER_CONNECT_ERROR_LOGIN:
      return g_strdup (_("Check the user, the password and the database’s name. Without a "
                         "password, ~/.pgpass and PGPASSWORD are used."));
    case LIMNER_CONNECT_ERROR_NOT_A_PROJECT:
      return g_strdup (_("A lead creates the project first, with “limner-cli init” and this "
                         "address."));
    case LIMNER_CONNECT_ERROR_NO_ROLE:
      return g_strdup (_("Ask a lead to add you, with “limner-cli users … add LOGIN --role "
                         "annotator”."));
    default:
      return NULL;
    }
}

static void
connect_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LimnerConnectDialog *self = LIMNER_CONNECT_DIALOG (source);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  ConnectJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *shown = g_strdup (job->shown);
  g_autofree char *hint = NULL;

  store = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled, or the dialog closed meanwhile: the store is dropped. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_clear_object (&self->cancellable);

  if (store == NULL)
    {
      g_message ("Could not open %s: %s", shown, error->message);
      self->error = g_steal_pointer (&error);
      gtk_label_set_label (self->error_heading, heading_for (self->error));
      gtk_label_set_label (self->error_label, self->error->message);
      hint = hint_for (self->error);
      gtk_label_set_label (self->error_hint, hint);
      gtk_widget_set_visible (GTK_WIDGET (self->error_hint), hint != NULL);
      update_state (self);
      if (self->error->code == LIMNER_CONNECT_ERROR_LOGIN)
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  update_state (self);
  g_signal_emit (self, signals[CONNECTED], 0, store, shown);
  gtk_window_close (GTK_WINDOW (self));
}

gboolean
limner_connect_dialog_connect (LimnerConnectDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *where = NULL;
  g_autofree char *busy = NULL;
  const char *password;
  ConnectJob *job;

  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), FALSE);

  if (self->uri == NULL || self->cancellable != NULL)
    return FALSE;

  password = row_text (self->password_row);
  job = g_new0 (ConnectJob, 1);
  job->shown = g_strdup (self->uri);
  job->password = *password != '\0' ? g_strdup (password) : NULL;
  job->uri = job->password ? limner_pg_uri_with_password (self->uri, password) : g_strdup (self->uri);
  where = limner_pg_uri_describe (self->uri);
  /* Translators: %s is "database “db” on host" */
  busy = g_strdup_printf (_("Connecting to the %s…"), where);
  gtk_label_set_label (self->busy_label, busy);

  clear_error (self);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, connect_done, NULL);
  g_task_set_source_tag (task, limner_connect_dialog_connect);
  g_task_set_task_data (task, job, (GDestroyNotify) connect_job_free);
  /* The outcome is what matters, even after a cancel: the task still runs
   * to its end (libpq cannot be interrupted) and its store is dropped. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, connect_thread);
  update_state (self);
  return TRUE;
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  limner_connect_dialog_connect (LIMNER_CONNECT_DIALOG (widget));
}

/* GObject --------------------------------------------------------------- */

static gboolean
limner_connect_dialog_close_request (GtkWindow *window)
{
  LimnerConnectDialog *self = LIMNER_CONNECT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  return GTK_WINDOW_CLASS (limner_connect_dialog_parent_class)->close_request (window);
}

static void
limner_connect_dialog_dispose (GObject *object)
{
  LimnerConnectDialog *self = LIMNER_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->strip_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (limner_connect_dialog_parent_class)->dispose (object);
}

static void
limner_connect_dialog_finalize (GObject *object)
{
  LimnerConnectDialog *self = LIMNER_CONNECT_DIALOG (object);

  g_free (self->uri);
  g_free (self->problem);
  g_strfreev (self->options);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (limner_connect_dialog_parent_class)->finalize (object);
}

static void
limner_connect_dialog_class_init (LimnerConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = limner_connect_dialog_dispose;
  object_class->finalize = limner_connect_dialog_finalize;
  window_class->close_request = limner_connect_dialog_close_request;

  /**
   * LimnerConnectDialog::connected:
   * @store: the project, open on the connected role
   * @uri: its address without the password, to remember
   */
  signals[CONNECTED] =
    g_signal_new ("connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, LIMNER_TYPE_STORE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, server_group);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, database_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, uri_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, busy_box);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, busy_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, error_heading);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerConnectDialog, error_hint);

  gtk_widget_class_install_action (widget_class, "connect-dialog.connect", NULL, connect_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
limner_connect_dialog_init (LimnerConnectDialog *self)
{
  AdwEntryRow *fields[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  fields[0] = self->host_row;
  fields[1] = self->port_row;
  fields[2] = self->database_row;
  fields[3] = self->user_row;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect_swapped (fields[i], "changed", G_CALLBACK (fields_changed), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->uri_row, "changed", G_CALLBACK (uri_changed), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->connect_button);

  fields_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
}

LimnerConnectDialog *
limner_connect_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (LIMNER_TYPE_CONNECT_DIALOG,
                       "transient-for", parent,
                       NULL);
}

void
limner_connect_dialog_set_uri (LimnerConnectDialog *self,
                               const char          *uri)
{
  g_return_if_fail (LIMNER_IS_CONNECT_DIALOG (self));
  g_return_if_fail (uri != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->uri_row), uri);
}

const char *
limner_connect_dialog_get_uri (LimnerConnectDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), NULL);
  return self->uri;
}

const char *
limner_connect_dialog_get_problem (LimnerConnectDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), NULL);
  return self->problem;
}

gboolean
limner_connect_dialog_get_connecting (LimnerConnectDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

const GError *
limner_connect_dialog_get_error (LimnerConnectDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), NULL);
  return self->error;
}

const char *
limner_connect_dialog_get_error_heading (LimnerConnectDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_CONNECT_DIALOG (self), NULL);
  return self->error != NULL ? heading_for (self->error) : NULL;
}
