/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of what a keyboard-and-mouse user ran into in the window:
 *  - a project just opened has the keyboard focus on its grid's first image,
 *    so the arrow keys and Enter work at once;
 *  - Escape on the canvas cancels, then leaves the tool, then the selection,
 *    and only with nothing left to cancel goes on to the window (back to the
 *    grid);
 *  - the side panel's buttons do not take the keys away from the canvas, and
 *    its hide and lock buttons show their state;
 *  - an image whose file is gone says so on the page, not only in a toast.
 * Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-core.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W    400
#define IMAGE_H    300
#define N_IMAGES   3
#define TIMEOUT_MS 60000

static char *tmp_root;

/* A grey image of its own shade, so that each has its own hash. */
static gint64
add_image (LimnerStore *store,
           const char  *dir,
           guint        n,
           char       **path_out)
{
  g_autofree char *name = g_strdup_printf ("key-%u.png", n);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GError) error = NULL;
  VipsImage *black = NULL, *grey = NULL;
  gsize length;
  gint64 id;

  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, 50.0 + 50 * n, NULL) ||
      vips_image_write_to_file (grey, path, NULL))
    g_error ("Cannot write %s: %s", path, vips_error_buffer ());
  g_object_unref (black);
  g_object_unref (grey);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  relative = limner_store_relativize_path (store, path);
  id = limner_store_add_image (store, relative, sha, length, IMAGE_W, IMAGE_H, "png", &error);
  g_assert_no_error (error);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return id;
}

typedef struct {
  LimnerWindow *window;
  guint         n_images;
} State;

static gboolean
grid_loaded (gpointer data)
{
  State *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_loading (page) &&
         g_list_model_get_n_items (limner_project_page_get_model (page)) == state->n_images;
}

static gboolean
canvas_ready (gpointer data)
{
  State *state = data;
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (state->window));

  return limner_canvas_get_source (canvas) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (canvas)) &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) > 100;
}

static gboolean
pixels_error_shown (gpointer data)
{
  State *state = data;

  return limner_annotate_page_get_pixels_error (limner_window_get_annotate_page (state->window)) != NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every mapped toggle button under `widget`, in tree order. */
static void
collect_toggles (GtkWidget *widget,
                 GPtrArray *toggles)
{
  /* A menu button's own toggle opens a popover, which gives the focus back. */
  if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    g_ptr_array_add (toggles, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_toggles (child, toggles);
}

/* Whether the shape list shows a "Show (H)" toggle. */
static gboolean
show_toggle_present (gpointer data)
{
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();

  collect_toggles (GTK_WIDGET (data), toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (toggles, i)), "Show (H)") == 0)
      return TRUE;
  return FALSE;
}

/* Presses Escape on `widget` the way its key bindings would see it: the
 * shortcut with the Escape trigger, activated. Returns whether the widget
 * took the key (FALSE: the key goes on to the window). */
static gboolean
press_escape (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("No Escape binding on %s", G_OBJECT_TYPE_NAME (widget));
}

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

static void
test_keyboard (void)
{
  g_autofree char *project_dir = g_build_filename (tmp_root, "project", NULL);
  g_autofree char *images_dir = g_build_filename (project_dir, "images", NULL);
  g_autofree char *gone_path = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  gint64 ids[N_IMAGES];
  LimnerWindow *window;
  LimnerAnnotatePage *page;
  LimnerCanvas *canvas;
  GtkWidget *grid, *focus, *hide = NULL;
  State state;
  gint64 shape_id;

  g_assert_cmpint (g_mkdir_with_parents (images_dir, 0755), ==, 0);
  store = limner_store_create (project_dir, "Keys", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_add_label (store, "thing", "#e01b24", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  for (guint i = 0; i < N_IMAGES; i++)
    ids[i] = add_image (store, images_dir, i, i == N_IMAGES - 1 ? &gone_path : NULL);

  window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, store, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = N_IMAGES;
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));
  limner_test_iterate (100);

  /* The focus is on an image of the grid, not on a header button. */
  grid = find_widget (GTK_WIDGET (limner_window_get_project_page (window)), GTK_TYPE_GRID_VIEW);
  g_assert_nonnull (grid);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus != grid && gtk_widget_is_ancestor (focus, grid));

  /* On the canvas: a box drawn, then Escape walks back one thing at a time. */
  {
    g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT, ids[0]);

    g_assert_true (limner_window_show_image (window, first, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  page = limner_window_get_annotate_page (window);
  canvas = limner_annotate_page_get_canvas (page);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
  drag_box (canvas, 50, 50, 200, 150);
  shape_id = limner_canvas_get_selected_shape (canvas);
  g_assert_cmpint (shape_id, !=, 0);

  g_assert_true (press_escape (GTK_WIDGET (canvas)));           /* box tool -> select */
  g_assert_cmpint (limner_canvas_get_tool (canvas), ==, LIMNER_CANVAS_TOOL_SELECT);
  g_assert_true (press_escape (GTK_WIDGET (canvas)));           /* the selection */
  g_assert_cmpint (limner_canvas_get_selected_shape (canvas), ==, 0);
  g_assert_false (press_escape (GTK_WIDGET (canvas)));          /* on to the window */

  /* The shape list's hide button: it shows the state, and the canvas keeps
   * the keys when it is clicked. */
  collect_toggles (GTK_WIDGET (page), toggles);
  for (guint i = 0; i < toggles->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (toggles, i);
      const char *tooltip = gtk_widget_get_tooltip_text (button);

      if (gtk_widget_get_focus_on_click (button))
        g_error ("The toggle “%s” takes the focus from the canvas", tooltip);
      if (g_strcmp0 (tooltip, "Hide (H)") == 0)
        hide = button;
    }
  g_assert_nonnull (hide);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (hide)), ==, "view-reveal-symbolic");
  /* The list may build the row anew meanwhile; a click holds the button too. */
  g_object_ref (hide);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (hide), TRUE);
  g_object_unref (hide);
  g_assert_true (limner_document_get_shape_hidden (limner_canvas_get_document (canvas), shape_id));
  /* The list builds its rows when it next lays out, later on a busy machine
   * (and again when a refresh of the page refills it): wait for the row. */
  g_assert_true (limner_test_wait_for (show_toggle_present, page, 30000));
  g_ptr_array_set_size (toggles, 0);
  collect_toggles (GTK_WIDGET (page), toggles);
  hide = NULL;
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (toggles, i)), "Show (H)") == 0)
      hide = g_ptr_array_index (toggles, i);
  g_assert_nonnull (hide);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (hide)));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (hide)), ==, "view-conceal-symbolic");

  /* An image whose file is gone: the page says so, names the file and is
   * read-only, so nothing is drawn over a blank canvas. */
  g_assert_null (limner_annotate_page_get_pixels_error (page));
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_cmpint (g_unlink (gone_path), ==, 0);
  g_assert_true (limner_window_show_image (window, gone_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[N_IMAGES - 1]);
  g_assert_true (limner_test_wait_for (pixels_error_shown, &state, TIMEOUT_MS));
  g_assert_nonnull (strstr (limner_annotate_page_get_pixels_error (page), "key-2.png"));
  g_assert_nonnull (strstr (limner_annotate_page_get_pixels_error (page), "read-only"));
  g_assert_false (limner_annotate_page_get_editable (page));
  g_assert_nonnull (strstr (limner_annotate_page_get_readonly_reason (page), "cannot be read"));
  limner_annotate_page_set_editable (page, TRUE);
  g_assert_false (limner_annotate_page_get_editable (page));
  /* And the next image is shown without it. */
  {
    g_autofree char *second = g_strdup_printf ("%" G_GINT64_FORMAT, ids[1]);

    g_assert_true (limner_window_show_image (window, second, &error));
    g_assert_no_error (error);
  }
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  g_assert_null (limner_annotate_page_get_pixels_error (page));
  g_assert_true (limner_annotate_page_get_editable (page));

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-keyboard");

  g_test_add_func ("/app/keyboard/focus-escape-panel-missing-file", test_keyboard);

  status = g_test_run ();

  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
