/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the annotator's queue in the window: two annotators on a
 * project of three images. ann1 takes the next image, draws a box on it
 * through the canvas' pointer handlers and submits with the Ctrl+Enter
 * action; the box is in the store, the next image is claimed and shown, the
 * grid's badge follows. The previous image opens read-only and refuses a
 * drawing. ann2, through the store, gets the third image, never ann1's.
 * Work a reviewer rejected shows the comment. An empty queue says so and
 * shows the grid. Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-core.h"
#include "limner-store-qc.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W    480
#define IMAGE_H    320
#define N_IMAGES   3
#define TIMEOUT_MS 60000

static char *tmp_root;
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

/* A grey image with a shade of its own, so that every image has its own hash. */
static gint64
add_image (LimnerStore *store,
           const char  *dir,
           guint        n)
{
  g_autofree char *name = g_strdup_printf ("photo-%u.png", n);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GError) error = NULL;
  VipsImage *black = NULL, *grey = NULL;
  gsize length;
  gint64 id;

  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, 60.0 + 40 * n, NULL) ||
      vips_image_write_to_file (grey, path, NULL))
    g_error ("Cannot write %s: %s", path, vips_error_buffer ());
  g_object_unref (black);
  g_object_unref (grey);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  relative = limner_store_relativize_path (store, path);
  id = limner_store_add_image (store, relative, sha, length, IMAGE_W, IMAGE_H, "png", &error);
  g_assert_no_error (error);
  return id;
}

static LimnerImageRecord *
get_image (LimnerStore *store,
           gint64       id)
{
  g_autoptr(GError) error = NULL;
  LimnerImageRecord *record = limner_store_get_image (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
assert_status (LimnerStore       *store,
               gint64             id,
               LimnerImageStatus  status,
               const char        *assignee)
{
  g_autoptr(LimnerImageRecord) record = get_image (store, id);

  g_assert_cmpstr (limner_image_status_to_string (record->status), ==,
                   limner_image_status_to_string (status));
  if (assignee != NULL)
    g_assert_cmpstr (record->assignee, ==, assignee);
}

/* The grid's item of an image. */
static LimnerImageItem *
grid_item (LimnerWindow *window,
           gint64        id)
{
  GListModel *model = limner_project_page_get_model (limner_window_get_project_page (window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      LimnerImageItem *item = g_list_model_get_item (model, i);

      g_object_unref (item); /* the model keeps it */
      if (limner_image_item_get_id (item) == id)
        return item;
    }
  g_error ("Image %" G_GINT64_FORMAT " is not in the grid", id);
}

/* The first label under `widget` whose text contains `text`, drawn on screen. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child, text);

      if (label != NULL)
        return label;
    }
  return NULL;
}

/* The status pill: the shown label with the grid badges' class. */
static GtkWidget *
find_status_pill (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_has_css_class (widget, "status-badge"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *pill = find_status_pill (child);

      if (pill != NULL)
        return pill;
    }
  return NULL;
}

static void
assert_pill (LimnerWindow *window,
             const char   *title,
             const char   *css_class)
{
  GtkWidget *pill = find_status_pill (GTK_WIDGET (limner_window_get_annotate_page (window)));

  g_assert_nonnull (pill);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pill)), ==, title);
  g_assert_true (gtk_widget_has_css_class (pill, css_class));
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

/* The pixels are on the canvas and the canvas has its size. */
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
all_done_shown (gpointer data)
{
  State *state = data;

  return find_label (GTK_WIDGET (state->window), "All done") != NULL;
}

/* Drags with the box tool from image point (ix0, iy0) to (ix1, iy1), the
 * way the canvas' gesture would. */
static void
drag_box (LimnerWindow *window,
          double        ix0,
          double        iy0,
          double        ix1,
          double        iy1)
{
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (window));
  double x0, y0, x1, y1;

  limner_canvas_image_to_widget (canvas, ix0, iy0, &x0, &y0);
  limner_canvas_image_to_widget (canvas, ix1, iy1, &x1, &y1);
  limner_canvas_pointer_press (canvas, GDK_BUTTON_PRIMARY, 1, x0, y0, 0);
  for (int i = 1; i <= 5; i++)
    limner_canvas_pointer_motion (canvas, x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, 0);
  limner_canvas_pointer_release (canvas, GDK_BUTTON_PRIMARY, x1, y1, 0);
}

/* What "b" does on the canvas: the box tool, unless the image is read-only. */
static void
press_box_key (LimnerWindow *window)
{
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (window));

  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.tool", "s", "box");
}

/* Ctrl+Enter on the image page triggers win.submit-image. */
static void
assert_submit_shortcut (LimnerWindow *window)
{
  GtkWidget *image_page = gtk_widget_get_parent (GTK_WIDGET (limner_window_get_annotate_page (window)));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (image_page);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (strstr (trigger, "<Control>Return") != NULL)
            {
              g_assert_cmpstr (action, ==, "action(win.submit-image)");
              found = TRUE;
            }
        }
    }
  g_assert_true (found);
}

static void
test_queue (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "queue", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann1 = NULL;
  g_autoptr(LimnerStore) ann2 = NULL;
  g_autoptr(LimnerImageRecord) taken = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GError) error = NULL;
  LimnerAnnotatePage *page;
  LimnerDocument *document;
  LimnerWindow *window;
  const LimnerShape *box;
  const double *p;
  gint64 ids[N_IMAGES];
  gint64 label;
  State state;

  /* The lead sets up the project: three images, one label, two annotators. */
  lead = limner_store_create (project, "Queue", "lead", &error);
  g_assert_no_error (error);
  /* This test follows the queue, not the review draw: nothing is drawn. */
  g_assert_true (limner_store_qc_set_rate (lead, 0.0, &error));
  for (guint i = 0; i < N_IMAGES; i++)
    ids[i] = add_image (lead, project, i + 1);
  label = limner_store_add_label (lead, "car", "#ff0000", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);

  /* The window, as ann1. */
  ann1 = limner_store_open (project, "ann1", &error);
  g_assert_no_error (error);
  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, ann1, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = N_IMAGES;
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));
  page = limner_window_get_annotate_page (window);
  assert_submit_shortcut (window);

  /* Next, from the grid: ann1 takes the first image. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  assert_status (lead, ids[0], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_null (limner_annotate_page_get_readonly_reason (page));
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[0])), ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  assert_pill (window, "In Progress", "status-in-progress");

  /* A box, drawn like a pointer does. */
  press_box_key (window);
  g_assert_cmpint (limner_canvas_get_tool (limner_annotate_page_get_canvas (page)), ==,
                   LIMNER_CANVAS_TOOL_BOX);
  drag_box (window, 100, 80, 300, 240);
  document = limner_annotate_page_get_document (page);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 1);

  /* Ctrl+Enter: saved, submitted, and the next image taken and shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.submit-image", NULL));
  assert_status (lead, ids[0], LIMNER_IMAGE_SUBMITTED, NULL);
  shapes = limner_store_list_shapes (lead, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shapes->len, ==, 1);
  box = g_ptr_array_index (shapes, 0);
  g_assert_cmpint (box->kind, ==, LIMNER_SHAPE_BOX);
  g_assert_cmpint (box->label_id, ==, label);
  g_assert_cmpstr (box->author, ==, "ann1");
  p = (const double *) box->points->data;
  g_assert_cmpfloat_with_epsilon (p[0], 100, 2);
  g_assert_cmpfloat_with_epsilon (p[1], 80, 2);
  g_assert_cmpfloat_with_epsilon (p[2], 300, 2);
  g_assert_cmpfloat_with_epsilon (p[3], 240, 2);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);
  assert_status (lead, ids[1], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[0])), ==, LIMNER_IMAGE_SUBMITTED);
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[1])), ==, LIMNER_IMAGE_IN_PROGRESS);

  /* Page Up: the submitted image again, read-only; a drawing is refused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  g_assert_false (limner_annotate_page_get_editable (page));
  g_assert_cmpstr (limner_annotate_page_get_readonly_reason (page), ==, "Submitted — read-only");
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  assert_pill (window, "Submitted", "status-submitted");
  document = limner_annotate_page_get_document (page);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 1);
  press_box_key (window);
  g_assert_cmpint (limner_canvas_get_tool (limner_annotate_page_get_canvas (page)), ==,
                   LIMNER_CANVAS_TOOL_SELECT);
  drag_box (window, 20, 20, 80, 80);   /* nothing there to select, nothing drawn */
  drag_box (window, 200, 160, 260, 200); /* inside the box: it must not move */
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 1);
  p = (const double *) limner_document_get_nth_shape (document, 0)->points->data;
  g_assert_cmpfloat_with_epsilon (p[0], 100, 2);
  g_assert_cmpfloat_with_epsilon (p[1], 80, 2);
  gtk_widget_activate_action (GTK_WIDGET (limner_annotate_page_get_canvas (page)), "canvas.unlock-all", NULL);
  drag_box (window, 200, 160, 260, 200);
  p = (const double *) limner_document_get_nth_shape (document, 0)->points->data;
  g_assert_cmpfloat_with_epsilon (p[0], 100, 2);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = limner_store_list_shapes (lead, ids[0], &error);
  g_assert_cmpuint (shapes->len, ==, 1);

  /* Page Down: forward in the history first, to the image ann1 holds. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);
  g_assert_true (limner_annotate_page_get_editable (page));

  /* ann2 never gets ann1's image: the third one. */
  ann2 = limner_store_open (project, "ann2", &error);
  g_assert_no_error (error);
  taken = limner_store_claim_next (ann2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (taken);
  g_assert_cmpint (taken->id, ==, ids[2]);

  /* ann1 opening it from the grid sees it held, read-only. */
  limner_window_show_image_record (window, limner_image_item_get_record (grid_item (window, ids[2])));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[2]);
  assert_status (lead, ids[2], LIMNER_IMAGE_IN_PROGRESS, "ann2");
  g_assert_false (limner_annotate_page_get_editable (page));
  g_assert_cmpstr (limner_annotate_page_get_readonly_reason (page), ==, "Held by ann2 — read-only");
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[2])), ==, LIMNER_IMAGE_IN_PROGRESS);

  /* The lead reviews the first image and sends it back with a comment;
   * ann1 opens it again, takes it back, and reads why. */
  g_assert_true (limner_store_set_image_status (lead, ids[0], LIMNER_IMAGE_IN_REVIEW, &error));
  g_assert_true (limner_store_add_review (lead, ids[0], FALSE, "The box is too loose", &error));
  g_assert_no_error (error);
  {
    g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT, ids[0]);

    g_assert_true (limner_window_show_image (window, first, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  assert_status (lead, ids[0], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  g_assert_nonnull (find_label (GTK_WIDGET (page), "The box is too loose"));
  g_assert_nonnull (find_label (GTK_WIDGET (page), "Rejected by lead"));

  /* Submitting it gives the image ann1 still holds; submitting that one
   * empties the queue (ann2 holds the last): all done, back on the grid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.submit-image", NULL));
  assert_status (lead, ids[0], LIMNER_IMAGE_SUBMITTED, NULL);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.submit-image", NULL));
  assert_status (lead, ids[1], LIMNER_IMAGE_SUBMITTED, NULL);
  assert_status (lead, ids[2], LIMNER_IMAGE_IN_PROGRESS, "ann2");
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (limner_window_get_project_page (window))));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (limner_window_get_project_page (window))));
  g_assert_true (limner_test_wait_for (all_done_shown, &state, TIMEOUT_MS));
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[1])), ==, LIMNER_IMAGE_SUBMITTED);

  /* Next from the grid with an empty queue is all done too, and takes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, 0);
  assert_status (lead, ids[2], LIMNER_IMAGE_IN_PROGRESS, "ann2");

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (50);
}

/* Page Down moves on from an image the annotator holds (the store's own
 * order would give that same image back), round the end of the grid; Page Up
 * retraces the steps. Release hands an image back: it is new again. */
static void
test_walk_and_release (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "walk", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann1 = NULL;
  g_autoptr(LimnerImageRecord) released = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWindow *window;
  gint64 ids[N_IMAGES];
  State state;

  lead = limner_store_create (project, "Walk", "lead", &error);
  g_assert_no_error (error);
  /* This test follows the queue, not the review draw: nothing is drawn. */
  g_assert_true (limner_store_qc_set_rate (lead, 0.0, &error));
  for (guint i = 0; i < N_IMAGES; i++)
    ids[i] = add_image (lead, project, i + 1);
  g_assert_true (limner_store_set_user_roles (lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  ann1 = limner_store_open (project, "ann1", &error);
  g_assert_no_error (error);

  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, ann1, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = N_IMAGES;
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));

  /* The second image from the grid, then on: the third, then round to the first. */
  limner_window_show_image_record (window, limner_image_item_get_record (grid_item (window, ids[1])));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);
  assert_status (lead, ids[1], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[2]);
  assert_status (lead, ids[2], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  assert_status (lead, ids[0], LIMNER_IMAGE_IN_PROGRESS, "ann1");

  /* Back the same way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[2]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);

  /* Released: new again, in the store and on the grid, and the grid shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.release-image", NULL));
  released = get_image (lead, ids[1]);
  g_assert_cmpint (released->status, ==, LIMNER_IMAGE_NEW);
  g_assert_null (released->assignee);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, 0);
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[1])), ==, LIMNER_IMAGE_NEW);

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (50);
}

/* Enter (or a double click) on the grid's cell of image `id`. */
static void
activate_in_grid (LimnerWindow *window,
                  gint64        id)
{
  LimnerProjectPage *project_page = limner_window_get_project_page (window);
  GListModel *model = limner_project_page_get_model (project_page);
  GtkWidget *grid = GTK_WIDGET (project_page);

  /* The grid view, depth first. */
  while (grid != NULL && !GTK_IS_GRID_VIEW (grid))
    {
      GtkWidget *next = gtk_widget_get_first_child (grid);

      while (next == NULL && grid != GTK_WIDGET (project_page))
        {
          next = gtk_widget_get_next_sibling (grid);
          if (next == NULL)
            grid = gtk_widget_get_parent (grid);
        }
      if (next == NULL)
        break;
      grid = next;
    }
  g_assert_true (GTK_IS_GRID_VIEW (grid));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, i);

      if (limner_image_item_get_id (item) == id)
        {
          g_signal_emit_by_name (grid, "activate", i);
          return;
        }
    }
  g_error ("Image %" G_GINT64_FORMAT " is not in the grid", id);
}

/* Opening images from the grid only to look at them takes nothing: the first
 * edit claims an image silently, or is refused when someone else took it
 * meanwhile; Next Image claims. */
static void
test_view_does_not_claim (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "view", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann1 = NULL;
  g_autoptr(LimnerStore) ann2 = NULL;
  g_autoptr(GError) error = NULL;
  LimnerAnnotatePage *page;
  LimnerWindow *window;
  gint64 ids[N_IMAGES];
  State state;

  lead = limner_store_create (project, "View", "lead", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_IMAGES; i++)
    ids[i] = add_image (lead, project, i + 1);
  g_assert_cmpint (limner_store_add_label (lead, "car", "#ff0000", NULL, NULL, &error), >, 0);
  g_assert_true (limner_store_set_user_roles (lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);

  ann1 = limner_store_open (project, "ann1", &error);
  g_assert_no_error (error);
  window = limner_window_new (GTK_APPLICATION (get_app ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, ann1, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = N_IMAGES;
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));
  page = limner_window_get_annotate_page (window);

  /* Looked at: still new, in the store and on the grid, and no read-only bar. */
  activate_in_grid (window, ids[0]);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[0]);
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  assert_status (lead, ids[0], LIMNER_IMAGE_NEW, NULL);
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[0])), ==, LIMNER_IMAGE_NEW);
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_null (limner_annotate_page_get_readonly_reason (page));

  /* The first edit claims it, silently. */
  press_box_key (window);
  drag_box (window, 100, 80, 300, 240);
  g_assert_cmpuint (limner_document_get_n_shapes (limner_annotate_page_get_document (page)), ==, 1);
  assert_status (lead, ids[0], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[0])), ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_true (limner_annotate_page_get_editable (page));
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);

  /* Looked at, then taken by ann2 meanwhile: ann1's edit is refused, and
   * the bar says who holds it. */
  activate_in_grid (window, ids[1]);
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[1]);
  g_assert_true (limner_test_wait_for (canvas_ready, &state, TIMEOUT_MS));
  assert_status (lead, ids[1], LIMNER_IMAGE_NEW, NULL);
  g_assert_true (limner_annotate_page_get_editable (page));
  ann2 = limner_store_open (project, "ann2", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_claim (ann2, ids[1], &error));
  g_assert_no_error (error);
  press_box_key (window);
  drag_box (window, 100, 80, 300, 240);
  g_assert_cmpuint (limner_document_get_n_shapes (limner_annotate_page_get_document (page)), ==, 0);
  assert_status (lead, ids[1], LIMNER_IMAGE_IN_PROGRESS, "ann2");
  g_assert_false (limner_annotate_page_get_editable (page));
  g_assert_cmpstr (limner_annotate_page_get_readonly_reason (page), ==, "Held by ann2 — read-only");

  /* Next Image takes the next free one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-image", NULL));
  g_assert_cmpint (limner_window_get_shown_image_id (window), ==, ids[2]);
  assert_status (lead, ids[2], LIMNER_IMAGE_IN_PROGRESS, "ann1");
  g_assert_cmpint (limner_image_item_get_status (grid_item (window, ids[2])), ==, LIMNER_IMAGE_IN_PROGRESS);

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-queue");

  g_test_add_func ("/app/queue/next-submit-previous", test_queue);
  g_test_add_func ("/app/queue/walk-and-release", test_walk_and_release);
  g_test_add_func ("/app/queue/view-does-not-claim", test_view_does_not_claim);

  status = g_test_run ();

  g_clear_object (&app);
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
