/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the review mode: three images submitted and drawn for
 * review; the reviewer opens the review page, accepts the first with A,
 * moves with Page Down and Page Up, and rejects the next with R, a comment
 * typed in the dialog and Enter. Keys go through the page's own key
 * bindings, as a key press that the canvas does not take would.
 * Without a display this test fails. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-application.h"
#include "limner-core.h"
#include "limner-review-page.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define IMAGE_W    320
#define IMAGE_H    240
#define N_IMAGES   3
#define TIMEOUT_MS 60000

static char *tmp_root;

/* A grey image of its own shade, so that each has its own hash. */
static gint64
add_image (LimnerStore *store,
           const char  *dir,
           guint        n)
{
  g_autofree char *name = g_strdup_printf ("review-%u.png", n);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  g_autoptr(GError) error = NULL;
  VipsImage *black = NULL, *grey = NULL;
  gsize length;
  gint64 id;

  if (vips_black (&black, IMAGE_W, IMAGE_H, NULL) ||
      vips_linear1 (black, &grey, 1.0, 40.0 + 60 * n, NULL) ||
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

/* The label under `widget` whose text contains `text`. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Presses `keyval` (no modifier) on `widget` the way its key bindings see
 * it: the shortcut with that trigger, activated. Fails when there is none. */
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

typedef struct {
  LimnerReviewPage *page;
  guint             n_items;
  gint64            image_id;
} State;

static gboolean
page_shows (gpointer data)
{
  State *state = data;

  return limner_review_page_get_n_items (state->page) == state->n_items &&
         limner_review_page_get_image_id (state->page) == state->image_id &&
         gtk_widget_get_mapped (GTK_WIDGET (state->page));
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static LimnerImageStatus
status_of (LimnerStore *store, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = limner_store_get_image (store, id, &error);

  g_assert_no_error (error);
  return image->status;
}

static void
test_review_keys (void)
{
  g_autofree char *project_dir = g_build_filename (tmp_root, "project", NULL);
  g_autofree char *images_dir = g_build_filename (project_dir, "images", NULL);
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerStore) rev = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) rejected = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  gint64 ids[N_IMAGES];
  gint64 shape_ids[N_IMAGES];
  LimnerWindow *window;
  LimnerReviewPage *page;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  gint64 label;
  State state;

  g_assert_cmpint (g_mkdir_with_parents (images_dir, 0755), ==, 0);
  lead = limner_store_create (project_dir, "Review", "lead", &error);
  g_assert_no_error (error);
  label = limner_store_add_label (lead, "thing", "#e01b24", NULL, NULL, &error);
  g_assert_true (limner_store_set_user_roles (lead, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "rev", LIMNER_ROLE_REVIEWER, &error));
  g_assert_true (limner_store_qc_set_rate (lead, 1.0, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_IMAGES; i++)
    ids[i] = add_image (lead, images_dir, i);

  ann = limner_store_open (project_dir, "ann", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
      double box[] = { 20, 20, 100 + 20 * i, 120 };

      g_assert_true (limner_store_claim (ann, ids[i], &error));
      shape->image_id = ids[i];
      shape->label_id = label;
      g_array_append_vals (shape->points, box, 4);
      g_assert_true (limner_store_insert_shape (ann, shape, &error));
      shape_ids[i] = shape->id;
      g_assert_true (limner_store_submit (ann, ids[i], NULL, &error));
      g_assert_no_error (error);
    }

  rev = limner_store_open (project_dir, "rev", &error);
  g_assert_no_error (error);
  window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (limner_window_open_store (window, rev, &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-review", NULL));
  page = LIMNER_REVIEW_PAGE (find_widget (GTK_WIDGET (window), LIMNER_TYPE_REVIEW_PAGE));
  g_assert_nonnull (page);
  state = (State) { page, N_IMAGES, ids[0] };
  g_assert_true (limner_test_wait_for (page_shows, &state, TIMEOUT_MS));

  /* Page Down, Page Up: through the queue and back. */
  press_key (GTK_WIDGET (page), GDK_KEY_Page_Down);
  g_assert_cmpint (limner_review_page_get_image_id (page), ==, ids[1]);
  press_key (GTK_WIDGET (page), GDK_KEY_Page_Up);
  g_assert_cmpint (limner_review_page_get_image_id (page), ==, ids[0]);

  /* A: accepted, and the next image takes its place. */
  press_key (GTK_WIDGET (page), GDK_KEY_a);
  g_assert_cmpint (status_of (lead, ids[0]), ==, LIMNER_IMAGE_ACCEPTED);
  state = (State) { page, N_IMAGES - 1, ids[1] };
  g_assert_true (limner_test_wait_for (page_shows, &state, TIMEOUT_MS));

  /* R with the box selected: the dialog; a comment and a mark on the box,
   * then Enter in the comment field. */
  limner_canvas_set_selected_shape (limner_annotate_page_get_canvas (limner_review_page_get_annotate_page (page)),
                                    shape_ids[1]);
  press_key (GTK_WIDGET (page), GDK_KEY_r);
  dialog = limner_review_page_get_reject_dialog (page);
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  /* Nothing happens until the dialog answers. */
  g_assert_cmpint (status_of (lead, ids[1]), ==, LIMNER_IMAGE_IN_REVIEW);
  g_assert_true (limner_test_wait_for (widget_mapped, dialog, TIMEOUT_MS));
  entry = find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN)), 2);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "The box is too wide");
  g_signal_emit_by_name (entry, "activate");
  limner_test_iterate (50);
  g_assert_null (limner_review_page_get_reject_dialog (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  g_assert_cmpint (status_of (lead, ids[1]), ==, LIMNER_IMAGE_REJECTED);
  rejected = limner_store_get_image (lead, ids[1], &error);
  g_assert_cmpstr (rejected->assignee, ==, "ann");
  reviews = limner_store_list_reviews (lead, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_assert_cmpstr (((LimnerReviewRecord *) reviews->pdata[0])->decision, ==, "reject");
  g_assert_cmpstr (((LimnerReviewRecord *) reviews->pdata[0])->comment, ==, "The box is too wide");
  g_assert_cmpstr (((LimnerReviewRecord *) reviews->pdata[0])->reviewer, ==, "rev");
  g_object_unref (dialog);
  state = (State) { page, N_IMAGES - 2, ids[2] };
  g_assert_true (limner_test_wait_for (page_shows, &state, TIMEOUT_MS));
  marks = limner_store_list_review_marks (lead, ((LimnerReviewRecord *) reviews->pdata[0])->id, &error);
  g_assert_cmpuint (marks->len, ==, 1);
  g_assert_cmpint (((LimnerReviewMark *) marks->pdata[0])->shape_id, ==, shape_ids[1]);
  g_assert_cmpint (((LimnerReviewMark *) marks->pdata[0])->kind, ==, LIMNER_MARK_LOOSE_OUTLINE);

  /* The moderation figures: ann, 1 accepted of 2, with its interval. */
  {
    GtkWidget *label = find_label (GTK_WIDGET (page), "ann: 1 waiting, 1 accepted, 1 rejected, 0 fixed");

    g_assert_nonnull (label);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "accepted 50 % of 2 (95 %: 9–91 %)"));
  }

  /* The toggle overlays the reference; nothing breaks without one. */
  {
    GtkWidget *toggle = find_widget (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON);

    g_assert_nonnull (toggle);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
    limner_test_iterate (100);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  }

  /* The rejected image, opened: the comment and the mark under "Rejected by rev". */
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, ids[1]);
    g_autofree char *mark_text = g_strdup_printf ("Loose outline: shape %" G_GINT64_FORMAT, shape_ids[1]);
    GtkWidget *comment;

    g_assert_true (limner_window_show_image (window, id, &error));
    g_assert_no_error (error);
    limner_test_iterate (100);
    comment = find_label (GTK_WIDGET (limner_window_get_annotate_page (window)), "The box is too wide");
    g_assert_nonnull (comment);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (comment)), mark_text));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (100);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-review");
  g_test_add_func ("/app/review/accept-reject-by-keys", test_review_keys);
  status = g_test_run ();

  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
