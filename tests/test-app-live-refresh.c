/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of two writers on one SQLite project: a window (the lead)
 * and a second connection writing as another window or the CLI would (ann).
 * ann's new shape appears in the window's open image; ann's move of the
 * lead's shape replaces it there; a move of the lead's made on a stale
 * version is refused with CONFLICT, ann's data stays, and a reload shows
 * it; images ann adds appear in the grid. A re-read of the shapes that
 * started before the window's own edit and comes back after its save does
 * not take the edit (and its selection) back. A reviewer's decision reaches
 * the annotator's window (status, QC history) and a submission the
 * reviewer's queue, without a reload. Every wait is bounded; without a
 * display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-core.h"
#include "limner-document.h"
#include "limner-live-refresh.h"
#include "limner-qc-panel.h"
#include "limner-review-page.h"
#include "limner-store.h"
#include "limner-store-qc.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W    480
#define IMAGE_H    320
#define TIMEOUT_MS 10000

static char *tmp_root;

static gint64
add_image (LimnerStore *store,
           const char  *dir,
           guint        n)
{
  g_autofree char *name = g_strdup_printf ("street-%02u.png", n);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GError) error = NULL;
  VipsImage *black = NULL, *grey = NULL;
  gsize length;
  gint64 id;

  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, 20.0 + 10 * n, NULL) ||
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

static LimnerShape *
make_box (gint64 image_id, double x0, double y0, double x1, double y1)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double p[] = { x0, y0, x1, y1 };

  shape->image_id = image_id;
  g_array_append_vals (shape->points, p, 4);
  return shape;
}

typedef struct {
  LimnerWindow *window;
  guint         n_images;
  gint64        shape_id;
  double        x1;       /* the shape's expected right edge */
} State;

static gboolean
grid_shows (gpointer data)
{
  State *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_loading (page) &&
         g_list_model_get_n_items (limner_project_page_get_model (page)) == state->n_images;
}

static LimnerDocument *
shown_document (State *state)
{
  return limner_annotate_page_get_document (limner_window_get_annotate_page (state->window));
}

/* The window's document holds the shape with the expected right edge. */
static gboolean
shape_shown (gpointer data)
{
  State *state = data;
  LimnerDocument *document = shown_document (state);
  const LimnerShape *shape = document ? limner_document_get_shape (document, state->shape_id) : NULL;

  return shape != NULL && g_array_index (shape->points, double, 2) == state->x1;
}

static void
on_save_failed (LimnerStoreWriter  *writer,
                const GError       *error,
                GError            **out)
{
  if (*out == NULL)
    *out = g_error_copy (error);
}

static void
test_live_refresh (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "live", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerShape) theirs = NULL;
  g_autoptr(LimnerShape) mine = NULL;
  g_autoptr(LimnerShape) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) signalled = NULL;
  g_autofree char *id_text = NULL;
  LimnerDocument *document;
  LimnerWindow *window;
  gint64 image;
  gint64 mine_id;
  State state = { 0 };

  lead = limner_store_create (project, "Live", "lead", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (lead, "ann", LIMNER_ROLE_LEAD, &error));
  g_assert_no_error (error);
  image = add_image (lead, project, 1);
  add_image (lead, project, 2);

  window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, lead, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = 2;
  g_assert_true (limner_test_wait_for (grid_shows, &state, TIMEOUT_MS));
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, image);
  g_assert_true (limner_window_show_image (window, id_text, &error));
  g_assert_no_error (error);
  document = shown_document (&state);
  g_assert_nonnull (document);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 0);

  /* ann, through a connection of her own, adds a box: it appears. */
  ann = limner_store_open (project, "ann", &error);
  g_assert_no_error (error);
  theirs = make_box (image, 10, 10, 60, 60);
  g_assert_true (limner_store_insert_shape (ann, theirs, &error));
  g_assert_no_error (error);
  state.shape_id = theirs->id;
  state.x1 = 60;
  g_assert_true (limner_test_wait_for (shape_shown, &state, TIMEOUT_MS));

  /* The lead draws a box in the window; ann moves it: the move appears,
   * and the lead's own box stays beside hers. */
  mine = make_box (image, 100, 100, 150, 150);
  mine_id = limner_document_add_shape (document, mine, &error);
  g_assert_no_error (error);
  g_assert_true (limner_annotate_page_flush (limner_window_get_annotate_page (window), &error));
  g_assert_no_error (error);
  stored = limner_store_get_shape (ann, mine_id, &error);
  g_assert_no_error (error);
  g_array_index (stored->points, double, 2) = 200;
  g_assert_true (limner_store_update_shape (ann, stored, &error));
  g_assert_no_error (error);
  state.shape_id = mine_id;
  state.x1 = 200;
  g_assert_true (limner_test_wait_for (shape_shown, &state, TIMEOUT_MS));
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, 2);

  /* ann moves it again, and the lead moves it before the window could
   * look: the lead's save is refused and ann's move stays. */
  g_array_index (stored->points, double, 2) = 220;
  g_assert_true (limner_store_update_shape (ann, stored, &error));
  g_assert_no_error (error);
  g_signal_connect (limner_document_get_writer (document), "save-failed", G_CALLBACK (on_save_failed), &signalled);
  {
    g_autoptr(LimnerShape) moved = limner_shape_copy (limner_document_get_shape (document, mine_id));

    g_array_index (moved->points, double, 3) = 180;
    g_assert_true (limner_document_modify_shape (document, moved, &error));
    g_assert_no_error (error);
  }
  g_assert_false (limner_annotate_page_flush (limner_window_get_annotate_page (window), &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "street-01.png"));
  g_assert_nonnull (strstr (error->message, "ann"));
  g_clear_error (&error);
  g_clear_pointer (&stored, limner_shape_free);
  stored = limner_store_get_shape (ann, mine_id, &error);
  g_assert_cmpfloat (g_array_index (stored->points, double, 2), ==, 220);
  g_assert_cmpfloat (g_array_index (stored->points, double, 3), ==, 150);
  /* What the toast's Reload does: the window shows ann's version. */
  limner_annotate_page_reload_shapes (limner_window_get_annotate_page (window));
  state.x1 = 220;
  g_assert_true (limner_test_wait_for (shape_shown, &state, TIMEOUT_MS));
  g_assert_nonnull (signalled);
  g_assert_error (signalled, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_signal_handlers_disconnect_by_data (limner_document_get_writer (document), &signalled);

  /* Images added by the CLI appear in the grid. */
  for (guint i = 3; i <= 5; i++)
    add_image (ann, project, i);
  state.n_images = 5;
  g_assert_true (limner_test_wait_for (grid_shows, &state, TIMEOUT_MS));

  limner_window_close_project (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_removal (LimnerDocument *document,
               gint64          id,
               guint          *n_removed)
{
  (*n_removed)++;
}

/* The live refresh reads the shapes on a worker. A read that began before
 * the user drew a box and comes back once the box is saved does not hold
 * it: merging it would remove the box from the screen, and its selection
 * with it (T then had no box to tighten). */
static void
test_own_edit_during_read (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "own-edit", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerShape) box = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  LimnerAnnotatePage *page;
  LimnerDocument *document;
  LimnerCanvas *canvas;
  LimnerWindow *window;
  State state = { 0 };
  guint n_removed = 0;
  gint64 image, box_id;

  lead = limner_store_create (project, "Own edit", "lead", &error);
  g_assert_no_error (error);
  image = add_image (lead, project, 1);

  window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, lead, &error));
  g_assert_no_error (error);
  state.window = window;
  state.n_images = 1;
  g_assert_true (limner_test_wait_for (grid_shows, &state, TIMEOUT_MS));
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, image);
  g_assert_true (limner_window_show_image (window, id_text, &error));
  g_assert_no_error (error);
  page = limner_window_get_annotate_page (window);
  canvas = limner_annotate_page_get_canvas (page);
  document = shown_document (&state);
  g_assert_nonnull (document);
  /* Opening the image logs an event: let its refresh pass. */
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  limner_test_iterate (1500);
  g_signal_connect (document, "shape-removed", G_CALLBACK (count_removal), &n_removed);

  /* A read starts; the main loop does not run for a second, so it reads
   * the store without the box and its answer waits. */
  limner_annotate_page_reload_shapes (page);
  g_usleep (G_USEC_PER_SEC);
  /* Meanwhile the box is drawn, selected and saved. */
  box = make_box (image, 100, 100, 150, 150);
  box_id = limner_document_add_shape (document, box, &error);
  g_assert_no_error (error);
  limner_canvas_set_selected_shape (canvas, box_id);
  g_assert_cmpint (limner_canvas_get_selected_shape (canvas), ==, box_id);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);

  /* The old answer arrives, then the refreshes the save sets off. */
  limner_test_iterate (2000);
  g_assert_nonnull (limner_document_get_shape (document, box_id));
  g_assert_cmpuint (n_removed, ==, 0);
  g_assert_cmpint (limner_canvas_get_selected_shape (canvas), ==, box_id);

  g_signal_handlers_disconnect_by_data (document, &n_removed);
  limner_window_close_project (window);
  gtk_window_destroy (GTK_WINDOW (window));
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

typedef struct {
  LimnerAnnotatePage *page;
  LimnerQcPanel      *panel;
  const char         *history_has;
} Shown;

/* The annotator's page takes edits again and its history tells why. */
static gboolean
decision_shown (gpointer data)
{
  Shown *shown = data;
  const char *history = limner_qc_panel_get_history (shown->panel);

  return limner_annotate_page_get_editable (shown->page)
         && history != NULL && strstr (history, shown->history_has) != NULL;
}

typedef struct {
  LimnerReviewPage *page;
  guint             n_items;
  gint64            image_id;
} Queue;

static gboolean
queue_shows (gpointer data)
{
  Queue *queue = data;

  return limner_review_page_get_n_items (queue->page) == queue->n_items
         && limner_review_page_get_image_id (queue->page) == queue->image_id;
}

static void
claim_and_submit (LimnerStore *store, gint64 image)
{
  g_autoptr(LimnerShape) box = make_box (image, 30, 30, 90, 70);
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_store_claim (store, image, &error));
  g_assert_true (limner_store_insert_shape (store, box, &error));
  g_assert_true (limner_store_submit (store, image, NULL, &error));
  g_assert_no_error (error);
}

static void
test_live_review (void)
{
  g_autofree char *project = g_build_filename (tmp_root, "review", NULL);
  g_autofree char *id_text = NULL;
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerStore) ann_window_store = NULL;
  g_autoptr(LimnerStore) rev = NULL;
  g_autoptr(LimnerStore) rev_window_store = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWindow *ann_window, *rev_window;
  LimnerAnnotatePage *page;
  LimnerReviewPage *review_page;
  Shown shown;
  Queue queue;
  gint64 first, second;

  lead = limner_store_create (project, "Review", "lead", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (lead, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "rev", LIMNER_ROLE_REVIEWER, &error));
  g_assert_true (limner_store_qc_set_rate (lead, 1.0, &error));
  g_assert_no_error (error);
  first = add_image (lead, project, 1);
  second = add_image (lead, project, 2);

  /* ann submitted the first image and looks at it in her window, where it
   * is read-only while in review. */
  ann = limner_store_open (project, "ann", &error);
  g_assert_no_error (error);
  claim_and_submit (ann, first);
  ann_window_store = limner_store_open (project, "ann", &error);
  g_assert_no_error (error);
  ann_window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (ann_window), 1200, 800);
  gtk_window_present (GTK_WINDOW (ann_window));
  g_assert_true (limner_window_open_store (ann_window, ann_window_store, &error));
  g_assert_no_error (error);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, first);
  g_assert_true (limner_window_show_image (ann_window, id_text, &error));
  g_assert_no_error (error);
  page = limner_window_get_annotate_page (ann_window);
  g_assert_false (limner_annotate_page_get_editable (page));

  /* rev's window shows the review queue: the first image. */
  rev_window_store = limner_store_open (project, "rev", &error);
  g_assert_no_error (error);
  rev_window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (rev_window), 1200, 800);
  gtk_window_present (GTK_WINDOW (rev_window));
  g_assert_true (limner_window_open_store (rev_window, rev_window_store, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (rev_window), "win.show-review", NULL));
  review_page = LIMNER_REVIEW_PAGE (find_widget (GTK_WIDGET (rev_window), LIMNER_TYPE_REVIEW_PAGE));
  g_assert_nonnull (review_page);
  queue = (Queue) { review_page, 1, first };
  g_assert_true (limner_test_wait_for (queue_shows, &queue, TIMEOUT_MS));

  /* ann submits the second: it joins rev's queue, and rev keeps looking
   * at the first. */
  claim_and_submit (ann, second);
  queue = (Queue) { review_page, 2, first };
  g_assert_true (limner_test_wait_for (queue_shows, &queue, TIMEOUT_MS));

  /* Another reviewer's connection (the CLI) rejects the first: ann's window
   * shows it rejected, hers to fix, with the comment in its history; it
   * leaves rev's queue, which moves on to the second. */
  rev = limner_store_open (project, "rev", &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_decide (rev, first, LIMNER_REVIEW_REJECT, "Too loose", NULL, 0, &error), >, 0);
  g_assert_no_error (error);
  shown = (Shown) { page, LIMNER_QC_PANEL (find_widget (GTK_WIDGET (page), LIMNER_TYPE_QC_PANEL)),
                    "rejected: “Too loose”" };
  g_assert_nonnull (shown.panel);
  g_assert_true (limner_test_wait_for (decision_shown, &shown, TIMEOUT_MS));
  queue = (Queue) { review_page, 1, second };
  g_assert_true (limner_test_wait_for (queue_shows, &queue, TIMEOUT_MS));

  limner_window_close_project (rev_window);
  gtk_window_destroy (GTK_WINDOW (rev_window));
  limner_window_close_project (ann_window);
  gtk_window_destroy (GTK_WINDOW (ann_window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-live-refresh");
  g_test_add_func ("/app/live-refresh/two-writers", test_live_refresh);
  g_test_add_func ("/app/live-refresh/own-edit-during-read", test_own_edit_during_read);
  g_test_add_func ("/app/live-refresh/review", test_live_review);
  status = g_test_run ();
  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
