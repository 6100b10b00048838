/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI smoke test under a display (Xvfb): a demo project opens in the window,
 * the grid holds every image of the store, thumbnails arrive from the worker
 * pool, an image opens on the image page, and an import through the GUI adds
 * images and reports the rejected ones. Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "limner-application.h"
#include "limner-core.h"
#include "limner-demo.h"
#include "limner-image-cell.h"
#include "limner-recent-projects.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define N_DEMO_IMAGES 12
#define TIMEOUT_MS    60000

static char *tmp_root;

static char *
make_demo_project (const char *name,
                   int         n_images,
                   gint64     *n_stored)
{
  g_autofree char *dir = g_build_filename (tmp_root, name, NULL);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = limner_store_create (dir, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (limner_demo_generate (store, NULL, n_images, 7, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  *n_stored = limner_store_count_images (store, -1);
  g_assert_cmpint (*n_stored, ==, n_images);
  return g_steal_pointer (&dir);
}

static LimnerApplication *app;

static LimnerApplication *
get_app (void)
{
  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = limner_application_new ();
      /* No D-Bus under the test runner: a single local instance. */
      g_application_set_flags (G_APPLICATION (app),
                               G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }

  return app;
}

typedef struct
{
  LimnerWindow *window;
  guint         n_expected;
} GridState;

static gboolean
model_is_full (gpointer data)
{
  GridState *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_loading (page) &&
         g_list_model_get_n_items (limner_project_page_get_model (page)) == state->n_expected;
}

static GtkPicture *
find_picture (GtkWidget *widget)
{
  if (GTK_IS_PICTURE (widget))
    return GTK_PICTURE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkPicture *picture = find_picture (child);

      if (picture != NULL)
        return picture;
    }

  return NULL;
}

/* Counts grid cells whose picture shows their item's thumbnail. */
static guint
count_cells_with_thumbnail (GtkWidget *widget)
{
  guint n = 0;

  if (LIMNER_IS_IMAGE_CELL (widget))
    {
      LimnerImageItem *item = limner_image_cell_get_item (LIMNER_IMAGE_CELL (widget));
      GtkPicture *picture = find_picture (widget);

      return item != NULL && picture != NULL &&
             limner_image_item_get_thumbnail (item) != NULL &&
             gtk_picture_get_paintable (picture) == GDK_PAINTABLE (limner_image_item_get_thumbnail (item));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cells_with_thumbnail (child);

  return n;
}

static gboolean
thumbnails_visible (gpointer data)
{
  GridState *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);
  LimnerThumbnailer *thumbnailer = limner_project_page_get_thumbnailer (page);

  /* All demo images fit on one screen: each of them must get its thumbnail. */
  return limner_thumbnailer_get_n_loaded (thumbnailer) >= state->n_expected &&
         count_cells_with_thumbnail (GTK_WIDGET (page)) == state->n_expected;
}

static void
test_grid_shows_demo_project (void)
{
  gint64 n_stored = 0;
  g_autofree char *dir = make_demo_project ("grid", N_DEMO_IMAGES, &n_stored);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWindow *window;
  LimnerProjectPage *page;
  GListModel *model;
  GridState state;

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (limner_window_open_project (window, dir, &error));
  g_assert_no_error (error);
  g_assert_nonnull (limner_window_get_store (window));

  state.window = window;
  state.n_expected = n_stored;
  g_assert_true (limner_test_wait_for (model_is_full, &state, TIMEOUT_MS));

  /* The grid's model holds the store's images, in id order. */
  page = limner_window_get_project_page (window);
  model = limner_project_page_get_model (page);
  store = limner_store_open (dir, NULL, &error);
  g_assert_no_error (error);
  records = limner_store_list_images (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, records->len);
  g_assert_cmpuint (records->len, ==, n_stored);
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, i);
      const LimnerImageRecord *record = g_ptr_array_index (records, i);

      g_assert_cmpint (limner_image_item_get_id (item), ==, record->id);
      g_assert_cmpint (limner_image_item_get_status (item), ==, record->status);
      g_assert_true (g_file_test (limner_image_item_get_path (item), G_FILE_TEST_IS_REGULAR));
    }

  /* Thumbnails come from the worker pool and end up in the cells. */
  if (!limner_test_wait_for (thumbnails_visible, &state, TIMEOUT_MS))
    g_error ("Only %u of %u thumbnails arrived (%u cells show one) within %d ms",
             limner_thumbnailer_get_n_loaded (limner_project_page_get_thumbnailer (page)),
             state.n_expected, count_cells_with_thumbnail (GTK_WIDGET (page)), TIMEOUT_MS);
  g_assert_cmpint (limner_project_page_get_first_thumbnail_time (page), >, 0);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, i);
      GdkTexture *texture = limner_image_item_get_thumbnail (item);
      int size = limner_thumbnailer_get_size (limner_project_page_get_thumbnailer (page));

      g_assert_nonnull (texture);
      g_assert_null (limner_image_item_get_thumbnail_error (item));
      g_assert_cmpint (MAX (gdk_texture_get_width (texture), gdk_texture_get_height (texture)), <=, size);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
image_view_loaded (gpointer data)
{
  LimnerWindow *window = data;

  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (window));

  /* The pixels are opened on a worker thread; then the canvas has them. */
  return limner_canvas_get_source (canvas) != NULL;
}

static void
test_open_image (void)
{
  gint64 n_stored = 0;
  g_autofree char *dir = make_demo_project ("image", 3, &n_stored);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *abs_path = NULL;
  const LimnerImageRecord *second;
  LimnerWindow *window;
  GridState state;

  store = limner_store_open (dir, NULL, &error);
  g_assert_no_error (error);
  records = limner_store_list_images (store, &error);
  g_assert_no_error (error);
  second = g_ptr_array_index (records, 1);
  abs_path = limner_store_resolve_path (store, second->path);

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_project (window, dir, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_expected = n_stored;
  g_assert_true (limner_test_wait_for (model_is_full, &state, TIMEOUT_MS));

  /* `limner PROJECT IMAGE` names the image by its path. */
  g_assert_true (limner_window_show_image (window, abs_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, second->id);
  g_assert_true (limner_test_wait_for (image_view_loaded, window, TIMEOUT_MS));
  g_assert_cmpint (limner_annotate_page_get_image_id (limner_window_get_annotate_page (window)), ==, second->id);

  /* Page Down / Page Up walk the grid's order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==,
                   ((LimnerImageRecord *)g_ptr_array_index (records, 2))->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-image", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==,
                   ((LimnerImageRecord *)g_ptr_array_index (records, 0))->id);

  /* Back to the grid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-project", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, 0);

  /* An unknown image is an error that names it. */
  g_assert_false (limner_window_show_image (window, "/nonexistent/nothing.jpg", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
import_finished (gpointer data)
{
  GridState *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_importing (page) && model_is_full (data);
}

static void
close_other_windows (LimnerWindow *keep)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != (gpointer)keep && ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (l->data);
}

static guint
count_message_dialogs (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      n++;
  return n;
}

static void
test_import_through_gui (void)
{
  gint64 n_stored = 0;
  g_autofree char *dir = make_demo_project ("import", 2, &n_stored);
  g_autofree char *folder = g_build_filename (tmp_root, "to-import", NULL);
  g_autofree char *bogus = g_build_filename (folder, "not-an-image.jpg", NULL);
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { folder, NULL };
  LimnerWindow *window;
  GridState state;

  /* Three new images, one copy of one of them, and a text file named .jpg. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("new-%d.jpg", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_true (limner_demo_write_image (path, 320, 240, 1000 + i, NULL, &error));
      g_assert_no_error (error);
    }
  {
    g_autofree char *src = g_build_filename (folder, "new-0.jpg", NULL);
    g_autofree char *copy = g_build_filename (folder, "copy-of-new-0.jpg", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (src, &contents, &len, &error));
    g_assert_true (g_file_set_contents (copy, contents, len, &error));
  }
  g_assert_true (g_file_set_contents (bogus, "just some text\n", -1, &error));
  g_assert_no_error (error);

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_project (window, dir, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_expected = n_stored;
  g_assert_true (limner_test_wait_for (model_is_full, &state, TIMEOUT_MS));

  g_assert_cmpuint (count_message_dialogs (), ==, 0);

  /* Cancel at once: nothing is added and no summary comes up. */
  limner_project_page_import (limner_window_get_project_page (window), paths);
  g_assert_true (limner_project_page_get_importing (limner_window_get_project_page (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (limner_window_get_project_page (window)),
                                             "project.cancel-import", NULL));
  g_assert_true (limner_test_wait_for (import_finished, &state, TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (limner_project_page_get_model (limner_window_get_project_page (window))),
                    ==, n_stored);
  g_assert_cmpuint (count_message_dialogs (), ==, 0);

  limner_project_page_import (limner_window_get_project_page (window), paths);
  g_assert_true (limner_project_page_get_importing (limner_window_get_project_page (window)));

  /* The grid grows by the three new images once the import is done. */
  state.n_expected = n_stored + 3;
  g_assert_true (limner_test_wait_for (import_finished, &state, TIMEOUT_MS));
  /* The summary dialog is up. */
  g_assert_cmpuint (count_message_dialogs (), ==, 1);
  close_other_windows (window);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_recent_projects_and_window_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  gint64 n_stored = 0;
  g_autofree char *dir = make_demo_project ("recent", 1, &n_stored);
  g_autofree char *canonical = g_canonicalize_filename (dir, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recent = NULL;
  LimnerWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 650);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);

  g_assert_true (limner_window_open_project (window, dir, &error));
  g_assert_no_error (error);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, canonical);

  /* The size is saved when the window closes. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);

  /* A project that is not there is refused with an error; the list is capped. */
  window = limner_window_new (GTK_APPLICATION (get_app ()));
  g_assert_false (limner_window_open_project (window, "/nonexistent/project", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  for (int i = 0; i < LIMNER_RECENT_PROJECTS_MAX + 5; i++)
    {
      g_autofree char *fake = g_strdup_printf ("/tmp/fake-project-%d", i);
      limner_recent_projects_add (settings, fake);
    }
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, LIMNER_RECENT_PROJECTS_MAX);
  limner_recent_projects_remove (settings, recent[0]);
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, LIMNER_RECENT_PROJECTS_MAX - 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
demo_opened (gpointer data)
{
  GridState *state = data;

  return limner_window_get_store (state->window) != NULL && model_is_full (data);
}

static void
test_create_demo_from_welcome_page (void)
{
  LimnerWindow *window;
  LimnerWelcomePage *welcome;
  GridState state;
  g_autofree char *parent = g_build_filename (g_get_user_data_dir (), "limner", NULL);
  g_autofree char *expected_dir = limner_welcome_page_next_demo_dir (parent);

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_present (GTK_WINDOW (window));
  welcome = limner_window_get_welcome_page (window);

  g_assert_true (g_str_has_prefix (expected_dir, tmp_root));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.create-demo", NULL));
  g_assert_true (limner_welcome_page_get_creating_demo (welcome));

  state.window = window;
  state.n_expected = LIMNER_DEMO_PROJECT_IMAGES;
  g_assert_true (limner_test_wait_for (demo_opened, &state, TIMEOUT_MS));
  g_assert_false (limner_welcome_page_get_creating_demo (welcome));
  g_assert_cmpstr (limner_store_get_dir (limner_window_get_store (window)), ==, expected_dir);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-smoke");

  g_test_add_func ("/app/smoke/grid-shows-demo-project", test_grid_shows_demo_project);
  g_test_add_func ("/app/smoke/open-image", test_open_image);
  g_test_add_func ("/app/smoke/import-through-gui", test_import_through_gui);
  g_test_add_func ("/app/smoke/recent-projects-and-window-size", test_recent_projects_and_window_size);
  g_test_add_func ("/app/smoke/create-demo-from-welcome-page", test_create_demo_from_welcome_page);

  status = g_test_run ();

  g_clear_object (&app);
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
