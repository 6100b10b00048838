/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The way into a team project, under a display: the connect dialog builds
 * the address from its fields and takes a pasted one apart, keeps the
 * password out of sight and out of the recent projects, says what is wrong
 * with a field, and reports an unreachable server with its reason; the
 * command line and a recent team project connect through it; and a real
 * pointer and keyboard (xdotool) can do all of it from the start screen.
 * Opening a project on a live server and losing it: test-app-team.c. */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-application.h"
#include "limner-connect-dialog.h"
#include "limner-recent-projects.h"
#include "limner-settings.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define TIMEOUT_MS 20000

static char *tmp_root;

/* A socket folder where no server listens: connecting fails at once. */
static char *
nowhere_uri (const char *extra)
{
  g_autofree char *dir = g_build_filename (tmp_root, "no-server", NULL);

  return g_strdup_printf ("postgresql:///limner?host=%s%s", dir, extra ? extra : "");
}

static LimnerWindow *
new_window (void)
{
  LimnerWindow *window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static AdwEntryRow *
row (LimnerConnectDialog *dialog,
     const char          *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), LIMNER_TYPE_CONNECT_DIALOG, name);

  g_assert_true (ADW_IS_ENTRY_ROW (child));
  return ADW_ENTRY_ROW (child);
}

static void
type (LimnerConnectDialog *dialog,
      const char          *name,
      const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (dialog, name)), text);
}

static const char *
text_of (LimnerConnectDialog *dialog,
         const char          *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (dialog, name)));
}

static gboolean
connect_enabled (LimnerConnectDialog *dialog)
{
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                 LIMNER_TYPE_CONNECT_DIALOG,
                                                                 "connect_button"));

  return gtk_widget_is_sensitive (button);
}

static void
assert_problem_names (LimnerConnectDialog *dialog,
                      const char          *named)
{
  const char *problem = limner_connect_dialog_get_problem (dialog);

  g_assert_nonnull (problem);
  if (strstr (problem, named) == NULL)
    g_error ("“%s” does not name “%s”", problem, named);
  g_assert_null (limner_connect_dialog_get_uri (dialog));
  g_assert_false (connect_enabled (dialog));
  g_assert_false (limner_connect_dialog_connect (dialog));
  g_assert_false (limner_connect_dialog_get_connecting (dialog));
}

/* Fields in, URI out; a bad field is named and Connect stays off. */
static void
test_fields (void)
{
  LimnerWindow *window = new_window ();
  LimnerConnectDialog *dialog = limner_connect_dialog_new (GTK_WINDOW (window));

  gtk_window_present (GTK_WINDOW (dialog));

  /* Nothing yet: the database is what is missing. */
  assert_problem_names (dialog, "database");

  type (dialog, "host_row", "db.example.com");
  type (dialog, "database_row", "team");
  g_assert_null (limner_connect_dialog_get_problem (dialog));
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==, "postgresql://db.example.com/team");
  g_assert_cmpstr (text_of (dialog, "uri_row"), ==, "postgresql://db.example.com/team");
  g_assert_true (connect_enabled (dialog));

  type (dialog, "port_row", "5433");
  type (dialog, "user_row", "ann lee");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==,
                   "postgresql://ann%20lee@db.example.com:5433/team");

  /* The password never shows in the address. */
  type (dialog, "password_row", "s3cret");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==,
                   "postgresql://ann%20lee@db.example.com:5433/team");
  g_assert_null (strstr (text_of (dialog, "uri_row"), "s3cret"));

  type (dialog, "port_row", "54x3");
  assert_problem_names (dialog, "“54x3”");
  type (dialog, "port_row", "70000");
  assert_problem_names (dialog, "“70000”");
  type (dialog, "port_row", "");
  type (dialog, "host_row", "db example");
  assert_problem_names (dialog, "“db example”");

  /* A socket folder. */
  type (dialog, "host_row", "/run/postgresql");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==,
                   "postgresql:///team?host=/run/postgresql&user=ann%20lee");
  type (dialog, "database_row", "");
  assert_problem_names (dialog, "database");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
failed (gpointer data)
{
  return limner_connect_dialog_get_error (data) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return limner_window_get_connect_dialog (data) == NULL;
}

typedef struct {
  LimnerConnectDialog *dialog;
  const char          *name;
  const char          *text;
} TypedState;

static gboolean
typed (gpointer data)
{
  TypedState *state = data;

  return g_str_equal (text_of (state->dialog, state->name), state->text);
}

/* A pasted URI fills the fields; its password moves to the password field
 * and out of the URI; options without a field are kept. */
static void
test_paste (void)
{
  LimnerWindow *window = new_window ();
  LimnerConnectDialog *dialog = limner_connect_dialog_new (GTK_WINDOW (window));

  gtk_window_present (GTK_WINDOW (dialog));
  type (dialog, "uri_row", "postgres://bob:s3cret@[::1]:6000/team%20db?sslmode=require");
  g_assert_null (limner_connect_dialog_get_problem (dialog));
  g_assert_cmpstr (text_of (dialog, "host_row"), ==, "::1");
  g_assert_cmpstr (text_of (dialog, "port_row"), ==, "6000");
  g_assert_cmpstr (text_of (dialog, "database_row"), ==, "team db");
  g_assert_cmpstr (text_of (dialog, "user_row"), ==, "bob");
  g_assert_cmpstr (text_of (dialog, "password_row"), ==, "s3cret");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==,
                   "postgresql://bob@[::1]:6000/team%20db?sslmode=require");
  /* The URI field drops the password once the paste is over. */
  {
    TypedState state = { dialog, "uri_row", "postgresql://bob@[::1]:6000/team%20db?sslmode=require" };

    if (!limner_test_wait_for (typed, &state, TIMEOUT_MS))
      g_error ("the URI field still holds “%s”", text_of (dialog, "uri_row"));
  }

  /* Editing a field keeps the option the fields do not show. */
  type (dialog, "port_row", "6001");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==,
                   "postgresql://bob@[::1]:6001/team%20db?sslmode=require");

  /* Not an address: said so, and the fields stay as they were. */
  type (dialog, "uri_row", "host=db dbname=team");
  assert_problem_names (dialog, "postgresql://");
  g_assert_cmpstr (text_of (dialog, "database_row"), ==, "team db");
  type (dialog, "uri_row", "postgresql://h/d?nonsense=1");
  assert_problem_names (dialog, "nonsense");
  /* Set through the API as a recent project would be. */
  limner_connect_dialog_set_uri (dialog, "postgresql://h/d");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==, "postgresql://h/d");
  g_assert_cmpstr (text_of (dialog, "port_row"), ==, "");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
connection_ended (gpointer data)
{
  return !limner_connect_dialog_get_connecting (data);
}

static void
assert_unreachable (LimnerConnectDialog *dialog)
{
  const GError *error;

  g_assert_true (limner_test_wait_for (connection_ended, dialog, TIMEOUT_MS));
  error = limner_connect_dialog_get_error (dialog);
  g_assert_nonnull (error);
  g_test_message ("unreachable: %s", error->message);
  g_assert_error ((GError *) error, LIMNER_CONNECT_ERROR, LIMNER_CONNECT_ERROR_UNREACHABLE);
  g_assert_cmpstr (limner_connect_dialog_get_error_heading (dialog), ==, "Server Unreachable");
  /* The dialog stays, to be corrected, and Connect is on again. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (connect_enabled (dialog));
}

/* No server at the address: the spinner, then "Server Unreachable" with
 * the reason; nothing is opened or remembered. */
static void
test_unreachable (void)
{
  LimnerWindow *window = new_window ();
  LimnerConnectDialog *dialog = limner_connect_dialog_new (GTK_WINDOW (window));
  g_autofree char *uri = nowhere_uri ("&user=ann");
  g_autoptr(GSettings) settings = limner_settings_new ();
  g_auto(GStrv) before = g_settings_get_strv (settings, "recent-projects");
  g_auto(GStrv) after = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  limner_connect_dialog_set_uri (dialog, uri);
  type (dialog, "password_row", "s3cret");
  g_assert_true (limner_connect_dialog_connect (dialog));
  g_assert_true (limner_connect_dialog_get_connecting (dialog));
  g_assert_false (connect_enabled (dialog));
  /* One at a time. */
  g_assert_false (limner_connect_dialog_connect (dialog));
  assert_unreachable (dialog);
  g_assert_null (strstr (limner_connect_dialog_get_error (dialog)->message, "s3cret"));
  g_assert_null (limner_window_get_store (window));
  after = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before));

  /* Changing a field clears the old reason. */
  type (dialog, "port_row", "5999");
  g_assert_null (limner_connect_dialog_get_error (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* `limner postgresql://...`: GApplication makes a GFile of the argument;
 * the window connects through the dialog, at once. */
static void
test_command_line (void)
{
  LimnerApplication *app = limner_test_app_get ();
  g_autofree char *uri = nowhere_uri ("&user=ann&password=s3cret");
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (uri);
  g_autoptr(GFile) folder = g_file_new_for_commandline_arg (tmp_root);
  g_autoptr(GFile) other = g_file_new_for_commandline_arg ("https://example.com/x");
  g_autofree char *team = NULL;
  g_autofree char *none = NULL;
  g_autofree char *web = NULL;
  GFile *files[1];
  LimnerWindow *window = NULL;
  LimnerConnectDialog *dialog;

  team = limner_application_dup_team_uri (file);
  none = limner_application_dup_team_uri (folder);
  web = limner_application_dup_team_uri (other);
  g_assert_cmpstr (team, ==, uri);
  g_assert_null (none);
  g_assert_null (web);

  files[0] = file;
  g_application_open (G_APPLICATION (app), files, 1, "");
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LIMNER_IS_WINDOW (l->data) && limner_window_get_connect_dialog (l->data) != NULL)
      window = l->data;
  g_assert_nonnull (window);
  dialog = limner_window_get_connect_dialog (window);
  g_assert_true (limner_connect_dialog_get_connecting (dialog));
  /* Shown without the password, which sits in its own field. */
  g_assert_null (strstr (limner_connect_dialog_get_uri (dialog), "s3cret"));
  g_assert_cmpstr (text_of (dialog, "password_row"), ==, "s3cret");
  assert_unreachable (dialog);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_ACTION_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_titled (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A team project in the recent list: remembered without its password,
 * named by its database and server, and connecting when activated. */
static void
test_recent (void)
{
  g_autoptr(GSettings) settings = limner_settings_new ();
  g_autofree char *uri = nowhere_uri ("&user=ann&password=s3cret");
  g_autofree char *stripped = nowhere_uri ("&user=ann");
  g_auto(GStrv) recent = NULL;
  LimnerWindow *window;
  GtkWidget *row_widget;
  LimnerConnectDialog *dialog;

  limner_recent_projects_add (settings, uri);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpstr (recent[0], ==, stripped);
  for (guint i = 0; recent[i] != NULL; i++)
    g_assert_null (strstr (recent[i], "s3cret"));

  window = new_window ();
  row_widget = find_row_titled (GTK_WIDGET (limner_window_get_welcome_page (window)), "limner");
  g_assert_nonnull (row_widget);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_widget)), ==,
                   "Team project, database “limner” on this computer, as ann");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row_widget)));

  g_signal_emit_by_name (row_widget, "activated");
  dialog = limner_window_get_connect_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==, stripped);
  assert_unreachable (dialog);

  gtk_window_destroy (GTK_WINDOW (window));
  limner_recent_projects_remove (settings, stripped);
}

/* xdotool --------------------------------------------------------------- */

static void xdotool (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Where the pointer is ("X Y"), to put it back: later tests' windows must
 * not find it over them. */
static char **
pointer_location (void)
{
  const char *argv[] = { "xdotool", "getmouselocation", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int x = 0, y = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error))
    g_error ("could not run xdotool (Debian: apt install xdotool): %s", error->message);
  if (out == NULL || sscanf (out, "x:%d y:%d", &x, &y) != 2)
    g_error ("xdotool getmouselocation said “%s”", out ? out : "");
  {
    g_autofree char *xy = g_strdup_printf ("%d %d", x, y);

    return g_strsplit (xy, " ", 2);
  }
}

static void
xdotool (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("could not run xdotool (Debian: apt install xdotool): %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool %s failed: %s %s", first, error->message, err);
}

/* Moves the real pointer to the middle of `widget` and clicks. */
static void
click (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t in = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                             gtk_widget_get_height (widget) / 2.0);
  graphene_point_t out;
  double dx, dy;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &in, &out));
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  x = g_strdup_printf ("%d", (int) (out.x + dx));
  y = g_strdup_printf ("%d", (int) (out.y + dy));
  xdotool ("mousemove", "--sync", "--window", xid, x, y, NULL);
  xdotool ("click", "1", NULL);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
has_focus (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
dialog_shown (gpointer data)
{
  LimnerConnectDialog *dialog = limner_window_get_connect_dialog (data);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static void
click_and_type (LimnerConnectDialog *dialog,
                const char          *name,
                const char          *text)
{
  AdwEntryRow *entry = row (dialog, name);
  TypedState state = { dialog, name, text };

  click (GTK_WIDGET (entry));
  g_assert_true (limner_test_wait_for (has_focus, entry, TIMEOUT_MS));
  xdotool ("type", "--delay", "5", text, NULL);
  if (!limner_test_wait_for (typed, &state, TIMEOUT_MS))
    g_error ("typed “%s” into %s, which holds “%s”", text, name, text_of (dialog, name));
}

/* From the start screen with the pointer and the keyboard: the button
 * opens the dialog, typed fields make the address, Enter connects. */
static void
test_pointer (void)
{
  LimnerWindow *window = new_window ();
  LimnerWelcomePage *welcome = limner_window_get_welcome_page (window);
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (welcome),
                                                                 LIMNER_TYPE_WELCOME_PAGE,
                                                                 "connect_button"));
  g_autofree char *socket_dir = g_build_filename (tmp_root, "no-server", NULL);
  g_autofree char *expected = g_strdup_printf ("postgresql:///team?host=%s&user=ann", socket_dir);
  g_auto(GStrv) pointer = NULL;
  LimnerConnectDialog *dialog;

  g_assert_nonnull (button);
  pointer = pointer_location ();
  g_assert_true (limner_test_wait_for (widget_mapped, button, TIMEOUT_MS));
  limner_test_iterate (200);
  click (button);
  g_assert_true (limner_test_wait_for (dialog_shown, window, TIMEOUT_MS));
  dialog = limner_window_get_connect_dialog (window);
  limner_test_iterate (200);

  click_and_type (dialog, "host_row", socket_dir);
  click_and_type (dialog, "database_row", "team");
  click_and_type (dialog, "user_row", "ann");
  g_assert_cmpstr (limner_connect_dialog_get_uri (dialog), ==, expected);
  g_assert_cmpstr (text_of (dialog, "uri_row"), ==, expected);

  /* Enter in a field connects (the default button). */
  g_assert_null (limner_connect_dialog_get_error (dialog));
  xdotool ("key", "Return", NULL);
  g_assert_true (limner_test_wait_for (failed, dialog, TIMEOUT_MS));
  assert_unreachable (dialog);

  /* So does the Connect button, once a field changed. */
  type (dialog, "port_row", "5432");
  g_assert_null (limner_connect_dialog_get_error (dialog));
  click (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), LIMNER_TYPE_CONNECT_DIALOG,
                                                    "connect_button")));
  g_assert_true (limner_test_wait_for (failed, dialog, TIMEOUT_MS));
  assert_unreachable (dialog);

  /* Escape closes it. */
  xdotool ("key", "Escape", NULL);
  g_assert_true (limner_test_wait_for (dialog_gone, window, TIMEOUT_MS));

  gtk_window_destroy (GTK_WINDOW (window));
  xdotool ("mousemove", pointer[0], pointer[1], NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-test-connect");

  g_test_add_func ("/app/connect/fields", test_fields);
  g_test_add_func ("/app/connect/paste", test_paste);
  g_test_add_func ("/app/connect/unreachable", test_unreachable);
  g_test_add_func ("/app/connect/command-line", test_command_line);
  g_test_add_func ("/app/connect/recent", test_recent);
  g_test_add_func ("/app/connect/pointer", test_pointer);

  status = g_test_run ();
  limner_test_app_clear ();
  limner_test_app_finish (tmp_root);
  return status;
}
