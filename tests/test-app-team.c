/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A team project in the GUI, on a real, throwaway PostgreSQL server
 * (tests/limner-test-pg.h): `limner postgresql://...` opens it through the
 * connect dialog; the dialog names each kind of failure (no such role, an
 * empty database, a user without a Limner role); and when the server goes
 * away under an annotator, the window says it is offline, keeps the unsaved
 * shape, never says "saved", and saves it once the server is back, with no
 * restart. */
#include "config.h"

#include <adwaita.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-application.h"
#include "limner-connect-dialog.h"
#include "limner-offline-banner.h"
#include "limner-settings.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-images.h"
#include "limner-test-pg.h"
#include "limner-test-util.h"

#define DB         "limner"
#define TIMEOUT_MS 30000
#define IMAGE_W    640
#define IMAGE_H    480

static char *tmp_root;
static LimnerTestPg *server;
static gint64 image_id;

static char *
uri_as (const char *login)
{
  return limner_test_pg_uri (server, DB, login);
}

static void
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  int status;
  va_list ap;

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("limner-cli %s failed: %s%s", first, out, err);
}

static char *
sql_value (const char *sql)
{
  g_autofree char *uri = limner_test_pg_uri (server, DB, "postgres");
  PGconn *conn = PQconnectdb (uri);
  PGresult *res;
  char *value;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect as postgres: %s", PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    g_error ("“%s” failed: %s", sql, PQerrorMessage (conn));
  value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

/* The project, made as its lead would: limner-cli init and users add, then
 * a label and an image through the store. */
static void
make_project (void)
{
  g_autofree char *lead = uri_as ("lead1");
  g_autofree char *image = g_build_filename (tmp_root, "street.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  limner_test_pg_admin (server, "CREATE ROLE lead1 LOGIN CREATEROLE");
  limner_test_pg_admin (server, "CREATE DATABASE " DB " OWNER lead1");
  limner_test_pg_admin (server, "CREATE ROLE plain LOGIN");
  limner_test_pg_admin (server, "CREATE DATABASE empty OWNER lead1");
  cli ("init", lead, "--name", "Street scenes", NULL);
  cli ("users", lead, "add", "ann1", "--role", "annotator", NULL);

  test_write_png (image, IMAGE_W, IMAGE_H);
  g_assert_true (g_file_get_contents (image, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  store = limner_store_open (lead, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_add_label (store, "car", "#e01b24", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  image_id = limner_store_add_image (store, image, sha, length, IMAGE_W, IMAGE_H, "png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (image_id, >, 0);
}

static LimnerWindow *
window_with_dialog (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (limner_test_app_get ())); l; l = l->next)
    if (LIMNER_IS_WINDOW (l->data) && limner_window_get_connect_dialog (l->data) != NULL)
      return l->data;
  return NULL;
}

/* As `limner URI` does it. */
static LimnerWindow *
open_from_command_line (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (uri);
  GFile *files[] = { file };
  LimnerWindow *window;

  g_application_open (G_APPLICATION (limner_test_app_get ()), files, 1, "");
  window = window_with_dialog ();
  g_assert_nonnull (window);
  g_assert_true (limner_connect_dialog_get_connecting (limner_window_get_connect_dialog (window)));
  return window;
}

static gboolean
connect_over (gpointer data)
{
  LimnerConnectDialog *dialog = limner_window_get_connect_dialog (data);

  return dialog == NULL || !limner_connect_dialog_get_connecting (dialog);
}

static void
expect_connect_error (const char *uri,
                      int         code,
                      const char *heading,
                      const char *named)
{
  LimnerWindow *window = open_from_command_line (uri);
  LimnerConnectDialog *dialog = limner_window_get_connect_dialog (window);
  const GError *error;

  g_assert_true (limner_test_wait_for (connect_over, window, TIMEOUT_MS));
  error = limner_connect_dialog_get_error (dialog);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", heading, error->message);
  g_assert_error ((GError *) error, LIMNER_CONNECT_ERROR, code);
  g_assert_cmpstr (limner_connect_dialog_get_error_heading (dialog), ==, heading);
  if (strstr (error->message, named) == NULL)
    g_error ("“%s” does not name “%s”", error->message, named);
  g_assert_null (limner_window_get_store (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each way connecting fails, on a live server, with its own heading. */
static void
test_connect_errors (void)
{
  g_autofree char *no_role = uri_as ("nobody_here");
  g_autofree char *empty = limner_test_pg_uri (server, "empty", "lead1");
  g_autofree char *plain = uri_as ("plain");

  expect_connect_error (no_role, LIMNER_CONNECT_ERROR_LOGIN, "Login Refused", "nobody_here");
  expect_connect_error (empty, LIMNER_CONNECT_ERROR_NOT_A_PROJECT, "Not a Limner Project", "empty");
  expect_connect_error (plain, LIMNER_CONNECT_ERROR_NO_ROLE, "No Limner Role", "plain");
}

/* Drawing, the way the canvas' pointer handlers see it. */
static void
drag_box (LimnerCanvas *canvas,
          double        ix0,
          double        iy0,
          double        ix1,
          double        iy1)
{
  double x0, y0, x1, y1;

  limner_canvas_image_to_widget (canvas, ix0, iy0, &x0, &y0);
  limner_canvas_image_to_widget (canvas, ix1, iy1, &x1, &y1);
  limner_canvas_pointer_press (canvas, GDK_BUTTON_PRIMARY, 1, x0, y0, 0);
  for (int i = 1; i <= 5; i++)
    limner_canvas_pointer_motion (canvas, x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, 0);
  limner_canvas_pointer_release (canvas, GDK_BUTTON_PRIMARY, x1, y1, 0);
}

static gboolean
grid_loaded (gpointer data)
{
  LimnerProjectPage *page = limner_window_get_project_page (data);

  return limner_window_get_store (data) != NULL && !limner_project_page_get_loading (page)
         && g_list_model_get_n_items (limner_project_page_get_model (page)) == 1;
}

static gboolean
canvas_ready (gpointer data)
{
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (data));

  return limner_canvas_get_source (canvas) != NULL && gtk_widget_get_mapped (GTK_WIDGET (canvas))
         && gtk_widget_get_width (GTK_WIDGET (canvas)) > 100;
}

static gboolean
banner_shown (gpointer data)
{
  return limner_offline_banner_get_offline (limner_window_get_offline_banner (data));
}

static gboolean
banner_gone (gpointer data)
{
  return !banner_shown (data);
}

static gboolean
all_saved (gpointer data)
{
  return limner_annotate_page_get_unsaved (limner_window_get_annotate_page (data)) == 0;
}

static const char *
save_label (LimnerWindow *window)
{
  GObject *label = gtk_widget_get_template_child (GTK_WIDGET (limner_window_get_annotate_page (window)),
                                                  LIMNER_TYPE_ANNOTATE_PAGE, "save_label");

  return gtk_label_get_label (GTK_LABEL (label));
}

typedef struct {
  LimnerWindow *window;
  const char   *text;
} LabelState;

static gboolean
label_is (gpointer data)
{
  LabelState *state = data;

  return g_strcmp0 (save_label (state->window), state->text) == 0;
}

static void
wait_for_label (LimnerWindow *window,
                const char   *text)
{
  LabelState state = { window, text };

  if (!limner_test_wait_for (label_is, &state, TIMEOUT_MS))
    g_error ("the status bar says “%s”, not “%s”", save_label (window), text);
}

static guint
shapes_in_database (void)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM shapes WHERE image_id = %" G_GINT64_FORMAT,
                                          image_id);
  g_autofree char *count = sql_value (sql);

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* The server goes away under an annotator and comes back. */
static void
test_offline (void)
{
  g_autofree char *uri = uri_as ("ann1");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, image_id);
  g_autoptr(GSettings) settings = limner_settings_new ();
  g_auto(GStrv) recent = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWindow *window;
  LimnerAnnotatePage *page;
  LimnerCanvas *canvas;
  LimnerDocument *document;
  const char *subtitle;
  gint64 start;

  /* `limner postgresql://...` */
  window = open_from_command_line (uri);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  g_assert_true (limner_test_wait_for (grid_loaded, window, TIMEOUT_MS));
  g_assert_cmpstr (limner_store_get_login (limner_window_get_store (window)), ==, "ann1");
  g_assert_null (limner_window_get_connect_dialog (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Street scenes — Limner");
  subtitle = adw_window_title_get_subtitle (
    ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (limner_window_get_project_page (window)),
                                                     LIMNER_TYPE_PROJECT_PAGE, "window_title")));
  g_assert_cmpstr (subtitle, ==, "1 image · database “limner” on this computer");
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_nonnull (recent[0]);
  g_assert_true (g_str_has_prefix (recent[0], "postgresql:///limner?host="));
  /* Not a folder: no backups, no network file system warning, online. */
  g_assert_false (limner_offline_banner_get_offline (limner_window_get_offline_banner (window)));

  /* A first box, saved. */
  g_assert_true (limner_window_show_image (window, id, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (canvas_ready, window, TIMEOUT_MS));
  page = limner_window_get_annotate_page (window);
  canvas = limner_annotate_page_get_canvas (page);
  document = limner_annotate_page_get_document (page);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
  drag_box (canvas, 50, 50, 200, 150);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 1);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (all_saved, window, TIMEOUT_MS));
  wait_for_label (window, "All changes saved");
  g_assert_cmpuint (shapes_in_database (), ==, 1);

  /* The server goes away; a second box is drawn. */
  limner_test_pg_shut_down (server);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
  drag_box (canvas, 300, 200, 450, 350);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 2);
  g_assert_true (limner_test_wait_for (banner_shown, window, TIMEOUT_MS));
  g_test_message ("banner: %s", limner_offline_banner_get_message (limner_window_get_offline_banner (window)));
  g_assert_true (g_str_has_prefix (limner_offline_banner_get_message (limner_window_get_offline_banner (window)),
                                   "Offline — the database server on this computer cannot be reached."));
  g_assert_true (limner_annotate_page_get_saving_offline (page));
  /* Kept, on screen and in the queue, and never said to be saved. */
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 2);
  g_assert_cmpuint (limner_annotate_page_get_unsaved (page), >, 0);
  wait_for_label (window, "Not saved, offline");

  /* Closing now would lose it: the window asks, and stays. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  {
    AdwMessageDialog *ask = find_message_dialog ();

    g_assert_nonnull (ask);
    g_assert_cmpstr (adw_message_dialog_get_heading (ask), ==, "Edits Not Saved");
    adw_message_dialog_response (ask, "wait");
    gtk_window_destroy (GTK_WINDOW (ask));
  }
  g_assert_nonnull (limner_window_get_store (window));

  /* Retry while it is still down: still offline. */
  limner_offline_banner_retry (limner_window_get_offline_banner (window));
  limner_test_iterate (1000);
  g_assert_true (banner_shown (window));
  g_assert_cmpuint (limner_annotate_page_get_unsaved (page), >, 0);

  /* Back: the retries save the box, and the banner goes, with no restart. */
  limner_test_pg_start_again (server);
  start = g_get_monotonic_time ();
  g_assert_true (limner_test_wait_for (banner_gone, window, TIMEOUT_MS));
  g_test_message ("back online %.1f s after the server", (g_get_monotonic_time () - start) / 1e6);
  g_assert_true (limner_test_wait_for (all_saved, window, TIMEOUT_MS));
  wait_for_label (window, "All changes saved");
  g_assert_cmpuint (shapes_in_database (), ==, 2);

  /* And the window goes on working: a third box, saved at once. */
  drag_box (canvas, 100, 300, 180, 400);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (shapes_in_database (), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-test-team");
  server = limner_test_pg_start ();
  make_project ();

  g_test_add_func ("/app/team/connect-errors", test_connect_errors);
  g_test_add_func ("/app/team/offline", test_offline);

  status = g_test_run ();
  limner_test_app_clear ();
  limner_test_pg_stop (server);
  limner_test_app_finish (tmp_root);
  return status;
}
