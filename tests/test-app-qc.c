/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of quality control on the annotate page: predictions drawn
 * dashed with their score, hidden below the slider's threshold (and then not
 * hit), accepted with K and deleted, with the outcomes the store reports;
 * a rejected image's marks on the canvas; an image's history with its
 * submission and the decision. Without a display this test fails. */

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-canvas-overlay.h"
#include "limner-core.h"
#include "limner-moderation-view.h"
#include "limner-qc-panel.h"
#include "limner-store-qc.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W 320
#define IMAGE_H 240

static char *tmp_root;

static gint64
add_image (LimnerStore *store,
           const char  *dir,
           guint        n)
{
  g_autofree char *name = g_strdup_printf ("qc-%u.png", n);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GError) error = NULL;
  VipsImage *black = NULL, *grey = NULL;
  gsize length;
  gint64 id;

  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, 50.0 + 70 * n, NULL) ||
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

static gint64
add_box (LimnerStore       *store,
         gint64             image_id,
         gint64             label,
         LimnerShapeSource  source,
         double             score,
         double             x0,
         double             y0,
         double             x1,
         double             y1)
{
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  g_autoptr(GError) error = NULL;
  double box[] = { x0, y0, x1, y1 };

  shape->image_id = image_id;
  shape->label_id = label;
  shape->source = source;
  shape->score = score;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);
  return shape->id;
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

/* Activates the shortcut of `widget` with `keyval` and no modifier. */
static void
press_key (GtkWidget *widget,
           guint      keyval)
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
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("No binding for %s on %s", gdk_keyval_name (keyval), G_OBJECT_TYPE_NAME (widget));
}

static guint32
pixel (const guint8 *pixels,
       int           stride,
       int           x,
       int           y)
{
  return *(const guint32 *) (pixels + (gsize) y * stride + 4 * x);
}

/* The rasteriser alone: a prediction's top edge has gaps, a manual box's
 * does not, and the prediction's score plate has white digit pixels. */
static void
test_overlay_dashed (void)
{
  g_autoptr(LimnerDocument) document = limner_document_new (1, 200, 200, NULL);
  g_autoptr(LimnerShape) prediction = limner_shape_new (LIMNER_SHAPE_BOX);
  g_autoptr(LimnerShape) manual = NULL;
  g_autoptr(GError) error = NULL;
  LimnerOverlayStyle style = { 2.0, 0.0, 0x00ff00, NULL, 0, NULL, 0 };
  LimnerOverlayArea area = { 1.0, 0, 0, 200, 200 };
  g_autofree guint8 *pixels = g_malloc (200 * 200 * 4);
  double box[] = { 10, 10, 190, 90 };
  guint prediction_gaps = 0, manual_gaps = 0, white = 0;

  prediction->source = LIMNER_SOURCE_PREDICTION;
  prediction->score = 0.87;
  g_array_append_vals (prediction->points, box, 4);
  g_assert_cmpint (limner_document_add_shape (document, prediction, &error), >, 0);
  manual = limner_shape_copy (prediction);
  manual->source = LIMNER_SOURCE_MANUAL;
  g_array_index (manual->points, double, 1) = 110;
  g_array_index (manual->points, double, 3) = 190;
  g_assert_cmpint (limner_document_add_shape (document, manual, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (limner_canvas_overlay_render (document, &style, &area, pixels, 200 * 4), ==, 2);
  for (int x = 40; x < 180; x++)
    {
      prediction_gaps += (pixel (pixels, 200 * 4, x, 10) >> 24) == 0;
      manual_gaps += (pixel (pixels, 200 * 4, x, 110) >> 24) == 0;
    }
  g_assert_cmpuint (prediction_gaps, >, 30);
  g_assert_cmpuint (manual_gaps, ==, 0);
  /* The plate sits just inside the top-left corner. */
  for (int y = 11; y < 30; y++)
    for (int x = 11; x < 50; x++)
      white += pixel (pixels, 200 * 4, x, y) == 0xffffffff;
  g_assert_cmpuint (white, >, 10);
  for (int y = 120; y < 140; y++)
    for (int x = 11; x < 50; x++)
      g_assert_cmpuint (pixel (pixels, 200 * 4, x, y), !=, 0xffffffff);
}

static gboolean
document_open (gpointer data)
{
  LimnerAnnotatePage *page = data;

  return limner_annotate_page_get_document (page) != NULL;
}

static gboolean
history_read (gpointer data)
{
  return limner_qc_panel_get_history (data) != NULL;
}

static LimnerQcPanel *
show_image (LimnerWindow *window,
            gint64        id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GError) error = NULL;
  LimnerAnnotatePage *page = limner_window_get_annotate_page (window);
  LimnerDocument *document;

  g_assert_true (limner_window_show_image (window, text, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (document_open, page, 60000));
  document = limner_annotate_page_get_document (page);
  g_assert_cmpint (limner_document_get_image_id (document), ==, id);
  return LIMNER_QC_PANEL (find_widget (GTK_WIDGET (page), LIMNER_TYPE_QC_PANEL));
}

static gboolean
view_idle (gpointer data)
{
  return !limner_moderation_view_get_busy (data) && limner_moderation_view_get_text (data) != NULL;
}

/* The moderation figures for the one rejection: 0 of 1 accepted, whose
 * Wilson interval is 0 to z^2 / (1 + z^2) = 79 %; a status filter that
 * leaves nothing gives zeros. */
static void
check_moderation (LimnerStore *store)
{
  LimnerModerationView *view = LIMNER_MODERATION_VIEW (g_object_ref_sink (limner_moderation_view_new ()));
  GtkWidget *flow, *status;

  limner_moderation_view_set_store (view, store);
  g_assert_true (limner_test_wait_for (view_idle, view, 60000));
  g_assert_nonnull (strstr (limner_moderation_view_get_text (view), "ann: 0 waiting, 0 accepted, 1 rejected, 0 fixed"));
  g_assert_nonnull (strstr (limner_moderation_view_get_text (view), "accepted 0 % of 1 (95 %: 0–79 %)"));

  limner_moderation_view_set_range (view, LIMNER_MODERATION_TODAY);
  limner_moderation_view_set_annotator (view, "ann");
  g_assert_true (limner_test_wait_for (view_idle, view, 60000));
  g_assert_nonnull (strstr (limner_moderation_view_get_text (view), "In all: 0 waiting, 0 accepted, 1 rejected, 0 fixed"));

  /* The last filter is the status: "accepted" is its third entry. */
  flow = find_widget (GTK_WIDGET (view), GTK_TYPE_FLOW_BOX);
  g_assert_nonnull (flow);
  status = find_widget (gtk_widget_get_last_child (flow), GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (status);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), 2);
  g_assert_true (limner_test_wait_for (view_idle, view, 60000));
  g_assert_nonnull (strstr (limner_moderation_view_get_text (view), "In all: 0 waiting, 0 accepted, 0 rejected, 0 fixed"));
  g_object_unref (view);
}

static void
test_annotate_qc (void)
{
  g_autofree char *project_dir = g_build_filename (tmp_root, "project", NULL);
  g_autofree char *images_dir = g_build_filename (project_dir, "images", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerStore) rev = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(LimnerShape) stored = NULL;
  g_autoptr(GError) error = NULL;
  LimnerReviewMark marks[2];
  LimnerWindow *window;
  LimnerAnnotatePage *page;
  LimnerCanvas *canvas;
  LimnerDocument *document;
  LimnerQcPanel *panel;
  const LimnerPredictionOutcome *outcome;
  gint64 predicted, rejected, label, sure, unsure, marked;
  g_autoptr(GArray) hits = NULL;

  g_assert_cmpint (g_mkdir_with_parents (images_dir, 0755), ==, 0);
  lead = limner_store_create (project_dir, "QC", "lead", &error);
  g_assert_no_error (error);
  label = limner_store_add_label (lead, "thing", "#e01b24", NULL, NULL, &error);
  g_assert_true (limner_store_set_user_roles (lead, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "rev", LIMNER_ROLE_REVIEWER, &error));
  g_assert_true (limner_store_qc_set_rate (lead, 1.0, &error));
  g_assert_no_error (error);
  predicted = add_image (lead, images_dir, 0);
  rejected = add_image (lead, images_dir, 1);
  sure = add_box (lead, predicted, label, LIMNER_SOURCE_PREDICTION, 0.9, 20, 20, 120, 100);
  unsure = add_box (lead, predicted, label, LIMNER_SOURCE_PREDICTION, 0.3, 180, 120, 300, 220);

  /* ann's work on the second image, rejected with two marks. */
  ann = limner_store_open (project_dir, "ann", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_claim (ann, rejected, &error));
  marked = add_box (ann, rejected, label, LIMNER_SOURCE_MANUAL, 1.0, 30, 30, 200, 150);
  g_assert_true (limner_store_submit (ann, rejected, NULL, &error));
  rev = limner_store_open (project_dir, "rev", &error);
  g_assert_no_error (error);
  marks[0] = (LimnerReviewMark) { marked, LIMNER_MARK_LOOSE_OUTLINE, 0, 0 };
  marks[1] = (LimnerReviewMark) { 0, LIMNER_MARK_MISSING_OBJECT, 250, 200 };
  g_assert_cmpint (limner_store_decide (rev, rejected, LIMNER_REVIEW_REJECT, "Too loose", marks, 2, &error), >, 0);
  g_assert_no_error (error);
  check_moderation (lead);

  window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, ann, &error));
  g_assert_no_error (error);
  page = limner_window_get_annotate_page (window);
  canvas = limner_annotate_page_get_canvas (page);

  /* Predictions: both shown at 0; at 0.5 the unsure one is hidden and not hit. */
  panel = show_image (window, predicted);
  g_assert_nonnull (panel);
  document = limner_annotate_page_get_document (page);
  g_assert_cmpuint (limner_canvas_get_n_review_marks (canvas), ==, 0);
  g_assert_false (limner_document_get_shape_hidden (document, unsure));
  limner_qc_panel_set_threshold (panel, 0.5);
  g_assert_true (limner_document_get_shape_hidden (document, unsure));
  g_assert_false (limner_document_get_shape_hidden (document, sure));
  hits = limner_document_hit_test (document, 240, 170, 2, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);
  hits = limner_document_hit_test (document, 70, 60, 2, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 1);

  /* K keeps the selected prediction; then the unsure one is deleted. */
  limner_canvas_set_selected_shape (canvas, sure);
  press_key (GTK_WIDGET (canvas), GDK_KEY_k);
  g_assert_cmpint (limner_document_get_shape (document, sure)->source, ==, LIMNER_SOURCE_MANUAL);
  g_assert_true (limner_document_delete_shapes (document, &unsure, 1, &error));
  g_assert_no_error (error);
  g_assert_true (limner_store_writer_flush (limner_document_get_writer (document), &error));
  g_assert_no_error (error);
  stored = limner_store_get_shape (lead, sure, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->source, ==, LIMNER_SOURCE_MANUAL);
  g_assert_true (limner_store_submit (ann, predicted, NULL, &error));
  g_assert_no_error (error);
  outcomes = limner_store_prediction_outcomes (lead, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, 1);
  outcome = g_ptr_array_index (outcomes, 0);
  g_assert_cmpuint (outcome->kept, ==, 1);
  g_assert_cmpuint (outcome->corrected, ==, 0);
  g_assert_cmpuint (outcome->deleted, ==, 1);
  g_assert_cmpuint (outcome->missed, ==, 0);

  /* The rejected image: two marks on the canvas, and its history. */
  panel = show_image (window, rejected);
  g_assert_cmpuint (limner_canvas_get_n_review_marks (canvas), ==, 2);
  g_assert_true (limner_test_wait_for (history_read, panel, 60000));
  g_assert_nonnull (strstr (limner_qc_panel_get_history (panel), "claimed"));
  g_assert_nonnull (strstr (limner_qc_panel_get_history (panel), "submitted (1), drawn for review"));
  g_assert_nonnull (strstr (limner_qc_panel_get_history (panel), "status: submitted → in_review"));
  g_assert_nonnull (strstr (limner_qc_panel_get_history (panel), "rejected: “Too loose” (2 marks)"));
  g_assert_true (strstr (limner_qc_panel_get_history (panel), "claimed") <
                 strstr (limner_qc_panel_get_history (panel), "rejected"));

  /* Back to the accepted-prediction image: no marks are left over. */
  show_image (window, predicted);
  g_assert_cmpuint (limner_canvas_get_n_review_marks (canvas), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-qc");
  g_test_add_func ("/app/qc/overlay-dashed", test_overlay_dashed);
  g_test_add_func ("/app/qc/annotate", test_annotate_qc);
  status = g_test_run ();

  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
