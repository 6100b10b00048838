/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of images on shared storage:
 *  - an image's file is hashed the first time it is opened, and not again
 *    (the verified-files cache) on the next open;
 *  - a file changed on disk since it was added shows a bar naming it, and
 *    the page refuses edits until the user chooses Edit Anyway;
 *  - a missing file names the image, the path looked at and the image folder;
 *  - Project Settings sets the image folder on this computer, and the grid
 *    reads the files from there; a lead sets the image root, others cannot.
 * Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-image-root.h"
#include "limner-image-verify.h"
#include "limner-project-settings-dialog.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W    320
#define IMAGE_H    240
#define N_IMAGES   3
#define TIMEOUT_MS 60000

static char *tmp_root;

static void
write_image (const char *path,
             double      shade)
{
  g_autofree char *dir = g_path_get_dirname (path);
  VipsImage *black = NULL, *grey = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, shade, NULL) ||
      vips_image_write_to_file (grey, path, NULL))
    g_error ("Cannot write %s: %s", path, vips_error_buffer ());
  g_object_unref (black);
  g_object_unref (grey);
}

static gint64
add_image (LimnerStore *store,
           const char  *path)
{
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  gint64 id;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  stored = limner_store_relativize_path (store, path);
  id = limner_store_add_image (store, stored, sha, length, IMAGE_W, IMAGE_H, "png", &error);
  g_assert_no_error (error);
  return id;
}

typedef struct {
  LimnerWindow *window;
  const char   *expected_path; /* the first grid item's file, for grid_reads */
} State;

static LimnerAnnotatePage *
page_of (State *state)
{
  return limner_window_get_annotate_page (state->window);
}

static gboolean
grid_loaded (gpointer data)
{
  State *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_loading (page) &&
         g_list_model_get_n_items (limner_project_page_get_model (page)) == N_IMAGES;
}

static gboolean
grid_reads (gpointer data)
{
  State *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);
  g_autoptr(LimnerImageItem) first = NULL;

  if (limner_project_page_get_loading (page)
      || g_list_model_get_n_items (limner_project_page_get_model (page)) != N_IMAGES)
    return FALSE;
  first = g_list_model_get_item (limner_project_page_get_model (page), 0);
  return g_strcmp0 (limner_image_item_get_path (first), state->expected_path) == 0;
}

static gboolean
verified (gpointer data)
{
  State *state = data;
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (page_of (state));

  return !limner_annotate_page_get_verifying (page_of (state)) &&
         (limner_annotate_page_get_pixels_error (page_of (state)) != NULL ||
          (limner_canvas_get_source (canvas) != NULL && gtk_widget_get_mapped (GTK_WIDGET (canvas)) &&
           gtk_widget_get_width (GTK_WIDGET (canvas)) > 100));
}

static gboolean
dialog_idle (gpointer data)
{
  return !limner_project_settings_dialog_get_busy (data);
}

static void
show (State  *state,
      gint64  id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_window_show_image (state->window, text, &error));
  g_assert_no_error (error);
  g_assert_true (limner_annotate_page_get_verifying (page_of (state)));
  g_assert_true (limner_test_wait_for (verified, state, TIMEOUT_MS));
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

/* For a person looking at what the test saw: LIMNER_TEST_DUMP=DIR keeps a
 * picture of `widget` as DIR/image-root-NAME.png. */
static void
dump (GtkWidget  *widget,
      const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  int width, height;

  if (g_getenv ("LIMNER_TEST_DUMP") == NULL)
    return;
  limner_test_iterate (200);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s/image-root-%s.png", g_getenv ("LIMNER_TEST_DUMP"), name);
  gdk_texture_save_to_png (texture, file);
}

static LimnerProjectSettingsDialog *
find_settings_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (LIMNER_IS_PROJECT_SETTINGS_DIALOG (l->data))
      return l->data;
  return NULL;
}

static void
test_image_root (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "project", NULL);
  g_autofree char *share = g_build_filename (tmp_root, "srv", "share", NULL);
  g_autofree char *mount = g_build_filename (tmp_root, "mnt", "data", NULL);
  g_autofree char *mounted = g_build_filename (mount, "cars", "shot-0.png", NULL);
  g_autofree char *paths[N_IMAGES] = { NULL };
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[N_IMAGES];
  LimnerAnnotatePage *page;
  LimnerCanvas *canvas;
  LimnerDocument *document;
  State state = { 0 };
  guint hashed;

  store = limner_store_create (project, "Shared images", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_image_root (store, share, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("shot-%u.png", i);

      paths[i] = g_build_filename (share, "cars", name, NULL);
      write_image (paths[i], 40.0 + 60 * i);
      ids[i] = add_image (store, paths[i]);
    }
  {
    g_autoptr(LimnerImageRecord) record = limner_store_get_image (store, ids[0], &error);

    g_assert_no_error (error);
    g_assert_cmpstr (record->path, ==, "cars/shot-0.png");
  }
  g_assert_true (limner_store_add_label (store, "car", NULL, NULL, NULL, &error) > 0);
  g_assert_no_error (error);

  state.window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (state.window), 1200, 800);
  gtk_window_present (GTK_WINDOW (state.window));
  g_assert_true (limner_window_open_project (state.window, project, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));
  page = page_of (&state);
  canvas = limner_annotate_page_get_canvas (page);

  /* The first open hashes the file; the second takes the cache's word. */
  hashed = limner_image_verify_get_n_hashed ();
  show (&state, ids[0]);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 1);
  g_assert_null (limner_annotate_page_get_file_warning (page));
  g_assert_true (limner_annotate_page_get_editable (page));
  show (&state, ids[1]);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 2);
  show (&state, ids[0]);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 2);
  g_assert_true (limner_annotate_page_get_editable (page));

  /* Image 2 changes on disk: a bar names it, and the page refuses edits. */
  write_image (paths[2], 200);
  show (&state, ids[2]);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 3);
  g_assert_nonnull (limner_annotate_page_get_file_warning (page));
  g_assert_nonnull (strstr (limner_annotate_page_get_file_warning (page), "shot-2.png"));
  g_assert_nonnull (strstr (limner_annotate_page_get_file_warning (page), "changed on disk"));
  g_assert_nonnull (strstr (limner_annotate_page_get_file_warning (page), paths[2]));
  g_assert_false (limner_annotate_page_get_editable (page));
  g_assert_cmpstr (limner_annotate_page_get_readonly_reason (page), ==,
                   "The image file changed on disk — read-only");
  limner_annotate_page_set_editable (page, TRUE);
  g_assert_false (limner_annotate_page_get_editable (page));
  dump (GTK_WIDGET (state.window), "changed");
  document = limner_annotate_page_get_document (page);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
  g_assert_cmpint (limner_canvas_get_tool (canvas), ==, LIMNER_CANVAS_TOOL_SELECT);
  drag_box (canvas, 20, 20, 120, 100);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 0);

  /* The user's explicit choice: edits for this opening. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "annotate.edit-anyway", NULL));
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_nonnull (strstr (limner_annotate_page_get_file_warning (page), "anyway"));
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
  g_assert_cmpint (limner_canvas_get_tool (canvas), ==, LIMNER_CANVAS_TOOL_BOX);
  drag_box (canvas, 20, 20, 120, 100);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 1);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) events = limner_store_list_events (store, 0, 0, &error);
    gboolean logged = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < events->len; i++)
      if (g_str_equal (((LimnerEvent *) g_ptr_array_index (events, i))->kind, "image.edit_changed"))
        logged = TRUE;
    g_assert_true (logged);
  }

  /* Opened again: the cache remembers the changed hash (no new hashing),
   * and the choice was for that opening only. */
  show (&state, ids[1]);
  show (&state, ids[2]);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 3);
  g_assert_nonnull (limner_annotate_page_get_file_warning (page));
  g_assert_false (limner_annotate_page_get_editable (page));

  /* The share is mounted elsewhere on this computer: every image is missing
   * from where the project says, and the page says where it looked. */
  {
    g_autofree char *parent = g_path_get_dirname (mount);

    g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
    g_assert_cmpint (g_rename (share, mount), ==, 0);
  }
  show (&state, ids[1]);
  g_assert_nonnull (limner_annotate_page_get_pixels_error (page));
  g_assert_nonnull (strstr (limner_annotate_page_get_pixels_error (page), "shot-1.png"));
  g_assert_nonnull (strstr (limner_annotate_page_get_pixels_error (page), paths[1]));
  g_assert_nonnull (strstr (limner_annotate_page_get_pixels_error (page), "image folder on this computer"));
  g_assert_false (limner_annotate_page_get_editable (page));
  dump (GTK_WIDGET (state.window), "missing");

  /* Project Settings: the image folder on this computer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (state.window), "win.show-project", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (state.window), "win.project-settings", NULL));
  {
    LimnerProjectSettingsDialog *dialog = find_settings_dialog ();

    g_assert_nonnull (dialog);
    g_assert_true (limner_project_settings_dialog_get_root_editable (dialog));
    g_assert_nonnull (strstr (limner_project_settings_dialog_get_folder_text (dialog), share));
    g_assert_true (limner_project_settings_dialog_set_local_folder (dialog, mount));
    g_assert_cmpstr (limner_project_settings_dialog_get_folder_text (dialog), ==, mount);
    dump (GTK_WIDGET (dialog), "settings");
    /* The grid reads the files from there. */
    state.expected_path = mounted;
    g_assert_true (limner_test_wait_for (grid_reads, &state, TIMEOUT_MS));

    /* A folder that does not exist is refused with its name. */
    g_assert_false (limner_project_settings_dialog_set_local_folder (dialog, "/no/such/mount"));
    g_assert_nonnull (strstr (limner_project_settings_dialog_get_last_error (dialog), "/no/such/mount"));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  show (&state, ids[1]);
  g_assert_null (limner_annotate_page_get_pixels_error (page));
  g_assert_true (limner_annotate_page_get_editable (page));

  /* The lead moves the image root to where the files are now: the paths
   * stay relative, and the grid still reads the same files. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (state.window), "win.show-project", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (state.window), "win.project-settings", NULL));
  {
    LimnerProjectSettingsDialog *dialog = find_settings_dialog ();
    g_autoptr(LimnerImageRecord) record = NULL;
    g_autofree char *root = NULL;

    g_assert_nonnull (dialog);
    limner_project_settings_dialog_set_image_root (dialog, mount);
    g_assert_true (limner_project_settings_dialog_get_busy (dialog));
    g_assert_true (limner_test_wait_for (dialog_idle, dialog, TIMEOUT_MS));
    g_assert_null (limner_project_settings_dialog_get_last_error (dialog));
    root = limner_store_dup_image_root (store);
    g_assert_cmpstr (root, ==, mount);
    record = limner_store_get_image (store, ids[0], &error);
    g_assert_no_error (error);
    g_assert_cmpstr (record->path, ==, "cars/shot-0.png");
    /* The old mapping was for the old root; this root needs none. */
    g_assert_nonnull (strstr (limner_project_settings_dialog_get_folder_text (dialog), mount));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  g_assert_true (limner_test_wait_for (grid_reads, &state, TIMEOUT_MS));

  /* An annotator sees the root but cannot change it. */
  {
    g_autoptr(LimnerStore) alice = NULL;
    GtkWindow *dialog;

    g_assert_true (limner_store_set_user_roles (store, "alice", LIMNER_ROLE_ANNOTATOR, &error));
    g_assert_no_error (error);
    alice = limner_store_open (project, "alice", &error);
    g_assert_no_error (error);
    dialog = limner_project_settings_dialog_new (GTK_WINDOW (state.window), alice);
    gtk_window_present (dialog);
    g_assert_false (limner_project_settings_dialog_get_root_editable (LIMNER_PROJECT_SETTINGS_DIALOG (dialog)));
    gtk_window_destroy (dialog);
  }

  gtk_window_destroy (GTK_WINDOW (state.window));
  limner_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-image-root");

  g_test_add_func ("/app/image-root/verify-changed-missing-settings", test_image_root);

  status = g_test_run ();

  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
