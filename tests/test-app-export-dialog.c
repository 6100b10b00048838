/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the export dialog of the versions page: it offers the
 * options of `limner-cli export` (format, version or draft, split and seed,
 * augmentation, task, copying images, folder), refuses shares that do not
 * add up, and the page runs the export it asks for: a YOLO detection export
 * of a version, split by the seed and with flipped copies. Without a display
 * this test fails. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-export-dialog.h"
#include "limner-export-layout.h"
#include "limner-import.h"
#include "limner-test-app.h"
#include "limner-test-images.h"
#include "limner-test-util.h"
#include "limner-versions-page.h"

#define LEAD       "lead1"
#define TIMEOUT_MS 60000

static char *tmp_root;

static char *
add_image (LimnerStore *store,
           const char  *dir,
           const char  *name,
           int          width,
           gint64       label)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
  double triangle[] = { 2, 2, 20, 4, 10, 18 };
  char *sha;
  gint64 size = 0, id;

  /* Sizes differ so that every image has its own hash; the pixels are the
   * same on every run, so that the seeded split below is too (random
   * pixels sent all six to one side about once in 32 runs). */
  test_write_png_seeded (path, width, 24, (guint32) width);
  sha = limner_import_hash_file (path, &size, NULL, &error);
  g_assert_no_error (error);
  id = limner_store_add_image (store, name, sha, size, width, 24, "png", &error);
  g_assert_no_error (error);
  shape->image_id = id;
  shape->label_id = label;
  g_array_append_vals (shape->points, triangle, 6);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);
  return sha;
}

static LimnerExportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LIMNER_IS_EXPORT_DIALOG (window))
        return LIMNER_EXPORT_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_flag (gpointer instance,
         gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
assert_file (const char *out,
             const char *split,
             const char *kind,
             const char *name)
{
  g_autofree char *path = g_build_filename (out, kind, split, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("The export lacks %s", path);
}

static void
test_export_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_root, "proj", NULL);
  g_autofree char *out = g_build_filename (tmp_root, "yolo-out", NULL);
  g_autofree char *default_v1 = NULL;
  g_autofree char *default_draft = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GHashTable) options = NULL;
  const char *names[] = { "a.png", "b.png", "c.png", "d.png", "e.png", "f.png" };
  const double ratios[LIMNER_N_SPLITS] = { 0.5, 0.5, 0 };
  g_auto(GStrv) shas = g_new0 (char *, G_N_ELEMENTS (names) + 1);
  LimnerVersionsPage *page;
  LimnerExportDialog *dialog;
  GtkWidget *window;
  gboolean exported = FALSE;
  gint64 cat;
  guint n_val = 0;

  store = limner_store_create (dir, "Export", LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, &error));
  cat = limner_store_add_label (store, "cat", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    shas[i] = add_image (store, dir, names[i], 32 + i, cat);
  g_assert_cmpint (limner_store_publish (store, "first", LIMNER_PUBLISH_ALL, &error), ==, 1);
  g_assert_no_error (error);

  window = adw_window_new ();
  page = LIMNER_VERSIONS_PAGE (limner_versions_page_new ());
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  limner_versions_page_set_store (page, store);
  g_signal_connect (page, "exported", G_CALLBACK (on_flag), &exported);

  /* The page's Export opens the dialog, on the newest version. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "versions.export", NULL));
  g_assert_true (limner_test_wait_for (dialog_shown, NULL, TIMEOUT_MS));
  dialog = find_dialog ();
  g_assert_cmpint (limner_export_dialog_get_version (dialog), ==, 1);

  /* The folder follows the format and version until one is chosen. */
  limner_export_dialog_set_format (dialog, "yolo");
  default_v1 = g_build_filename (dir, "exports", "yolo-v1", NULL);
  g_assert_cmpstr (limner_export_dialog_get_folder (dialog), ==, default_v1);
  limner_export_dialog_set_version (dialog, 0);
  default_draft = g_build_filename (dir, "exports", "yolo-draft", NULL);
  g_assert_cmpstr (limner_export_dialog_get_folder (dialog), ==, default_draft);
  limner_export_dialog_set_version (dialog, 1);

  /* Shares that do not add up to 100% are refused. */
  limner_export_dialog_set_split (dialog, 70, 10, 10, 7);
  g_assert_nonnull (limner_export_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (limner_export_dialog_get_problem (dialog), "90%"));
  g_assert_false (limner_export_dialog_export (dialog));

  /* Augmented copies need the image files. */
  limner_export_dialog_set_split (dialog, 50, 50, 0, 7);
  limner_export_dialog_set_augment (dialog, "flip-h");
  limner_export_dialog_set_copy_images (dialog, FALSE);
  g_assert_nonnull (limner_export_dialog_get_problem (dialog));
  limner_export_dialog_set_copy_images (dialog, TRUE);
  g_assert_null (limner_export_dialog_get_problem (dialog));

  limner_export_dialog_set_task (dialog, "detect");
  limner_export_dialog_set_folder (dialog, out);

  /* The options are those of the command line. */
  options = limner_export_dialog_dup_options (dialog);
  g_assert_cmpstr (g_hash_table_lookup (options, "split"), ==, "0.50,0.50,0.00");
  g_assert_cmpstr (g_hash_table_lookup (options, "seed"), ==, "7");
  g_assert_cmpstr (g_hash_table_lookup (options, "augment"), ==, "flip-h");
  g_assert_cmpstr (g_hash_table_lookup (options, "task"), ==, "detect");
  g_assert_null (g_hash_table_lookup (options, "images"));

  /* A format without these options gets none of them. */
  limner_export_dialog_set_format (dialog, "limner");
  g_clear_pointer (&options, g_hash_table_unref);
  options = limner_export_dialog_dup_options (dialog);
  g_assert_cmpuint (g_hash_table_size (options), ==, 0);
  limner_export_dialog_set_format (dialog, "yolo");

  g_assert_true (limner_export_dialog_export (dialog));
  g_assert_true (limner_test_wait_for (flag_set, &exported, TIMEOUT_MS));
  g_assert_null (find_dialog ());

  /* Each image in the split its seed gives, with its flipped copy, and
   * detection rows (class and four numbers) for the triangles. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      LimnerSplit split = limner_split_for_image (shas[i], 7, ratios);
      const char *split_name = limner_split_to_string (split);
      g_autofree char *stem = g_strndup (names[i], strlen (names[i]) - 4);
      g_autofree char *flipped = g_strdup_printf ("%s__fliph.png", stem);
      g_autofree char *label_name = g_strdup_printf ("%s.txt", stem);
      g_autofree char *label_path = g_build_filename (out, "labels", split_name, label_name, NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) fields = NULL;

      n_val += split == LIMNER_SPLIT_VAL;
      assert_file (out, split_name, "images", names[i]);
      assert_file (out, split_name, "images", flipped);
      g_assert_true (g_file_get_contents (label_path, &contents, NULL, &error));
      g_assert_no_error (error);
      fields = g_strsplit_set (g_strstrip (contents), " ", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 5);
    }
  /* With six images and half in validation, a seed sending all to one side
   * would show a split that is not applied. */
  g_assert_cmpuint (n_val, >, 0);
  g_assert_cmpuint (n_val, <, G_N_ELEMENTS (names));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-export-dialog");

  g_test_add_func ("/app/export-dialog/yolo-split-augment", test_export_dialog);

  status = g_test_run ();

  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
