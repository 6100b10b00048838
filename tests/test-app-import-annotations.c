/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the dialog that imports annotations: it detects the format
 * of a folder when that is obvious, imports labelme files on a worker thread
 * with missing labels created, and reports what was imported, skipped and
 * clamped, naming the file that failed. Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "limner-core.h"
#include "limner-import-annotations-dialog.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define LEAD       "lead1"
#define TIMEOUT_MS 60000

static char *tmp_root;

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static gint64
add_image (LimnerStore *store,
           const char  *name,
           int          width,
           int          height)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  gint64 id = limner_store_add_image (store, name, sha, 100, width, height, "png", &error);

  g_assert_no_error (error);
  return id;
}

static void
test_detect (void)
{
  g_autofree char *dir = g_build_filename (tmp_root, "detect", NULL);
  g_autofree char *labelme = g_build_filename (dir, "labelme", NULL);
  g_autofree char *coco = g_build_filename (dir, "coco.json", NULL);
  g_autofree char *voc = g_build_filename (dir, "voc", NULL);
  g_autofree char *yolo = g_build_filename (dir, "yolo", NULL);
  g_autofree char *yolo_labels = g_build_filename (yolo, "labels", NULL);
  g_autofree char *text = g_build_filename (dir, "text", NULL);
  LimnerAnnotationFormat format;

  g_assert_cmpint (g_mkdir_with_parents (labelme, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (voc, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (yolo_labels, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (text, 0755), ==, 0);
  write_file (labelme, "a.json", "{\"version\": \"5.2.1\", \"flags\": {}, \"shapes\": []}");
  write_file (dir, "coco.json", "{\"images\": [], \"annotations\": [], \"categories\": []}");
  write_file (voc, "a.xml", "<annotation></annotation>");
  write_file (yolo, "data.yaml", "names: [cat]\n");
  write_file (yolo_labels, "a.txt", "0 0.5 0.5 0.1 0.1\n");
  write_file (text, "notes.txt", "not annotations\n");

  g_assert_true (limner_import_annotations_detect_format ((const char *[]) { labelme, NULL }, &format));
  g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_LABELME);
  g_assert_true (limner_import_annotations_detect_format ((const char *[]) { coco, NULL }, &format));
  g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_COCO);
  g_assert_true (limner_import_annotations_detect_format ((const char *[]) { voc, NULL }, &format));
  g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_VOC);
  g_assert_true (limner_import_annotations_detect_format ((const char *[]) { yolo, NULL }, &format));
  g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_YOLO);
  /* A chosen label file finds its class list two folders up. */
  {
    g_autofree char *one = g_build_filename (yolo_labels, "a.txt", NULL);

    g_assert_true (limner_import_annotations_detect_format ((const char *[]) { one, NULL }, &format));
    g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_YOLO);
  }
  /* Not obvious: text without class names, or two formats at once. */
  g_assert_false (limner_import_annotations_detect_format ((const char *[]) { text, NULL }, &format));
  g_assert_false (limner_import_annotations_detect_format ((const char *[]) { labelme, voc, NULL }, &format));
  g_assert_false (limner_import_annotations_detect_format ((const char *[]) { dir, NULL }, &format));
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
test_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_root, "proj", NULL);
  g_autofree char *ann = g_build_filename (tmp_root, "ann", NULL);
  g_autofree char *report = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerLabel) dog = NULL;
  g_autoptr(GPtrArray) shapes_a = NULL;
  g_autoptr(GPtrArray) shapes_b = NULL;
  LimnerImportAnnotationsDialog *dialog;
  LimnerAnnotationFormat format;
  gboolean finished = FALSE, imported = FALSE;
  gint64 a, b;

  store = limner_store_create (dir, "Import", LEAD, &error);
  g_assert_no_error (error);
  a = add_image (store, "a.png", 40, 30);
  b = add_image (store, "b.png", 50, 20);

  g_assert_cmpint (g_mkdir_with_parents (ann, 0755), ==, 0);
  /* A box, and a polygon one pixel past the right border (clamped). */
  write_file (ann, "a.json",
              "{\"version\": \"5.2.1\", \"flags\": {}, \"shapes\": ["
              "{\"label\": \"dog\", \"points\": [[1, 2], [10, 12]], \"group_id\": null,"
              " \"shape_type\": \"rectangle\", \"flags\": {}},"
              "{\"label\": \"dog\", \"points\": [[5, 5], [41, 6], [20, 25]], \"group_id\": null,"
              " \"shape_type\": \"polygon\", \"flags\": {}}],"
              " \"imagePath\": \"a.png\", \"imageData\": null, \"imageHeight\": 30, \"imageWidth\": 40}");
  /* A circle Limner does not have (skipped) and a box. */
  write_file (ann, "b.json",
              "{\"version\": \"5.2.1\", \"flags\": {}, \"shapes\": ["
              "{\"label\": \"dog\", \"points\": [[5, 5], [8, 8]], \"group_id\": null,"
              " \"shape_type\": \"circle\", \"flags\": {}},"
              "{\"label\": \"dog\", \"points\": [[3, 3], [9, 9]], \"group_id\": null,"
              " \"shape_type\": \"rectangle\", \"flags\": {}}],"
              " \"imagePath\": \"b.png\", \"imageData\": null, \"imageHeight\": 20, \"imageWidth\": 50}");
  /* Cut short. */
  write_file (ann, "broken.json", "{\"version\": \"5.2.1\", \"shapes\": [{\"label\": \"dog\", ");

  dialog = limner_import_annotations_dialog_new (NULL, store);
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect (dialog, "finished", G_CALLBACK (on_flag), &finished);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_flag), &imported);

  /* Nothing chosen: nothing to start. */
  g_assert_false (limner_import_annotations_dialog_start (dialog));

  limner_import_annotations_dialog_set_paths (dialog, (const char *[]) { ann, NULL });
  g_assert_true (limner_import_annotations_dialog_get_format (dialog, &format));
  g_assert_cmpint (format, ==, LIMNER_ANNOTATION_FORMAT_LABELME);
  limner_import_annotations_dialog_set_create_labels (dialog, TRUE);

  g_assert_true (limner_import_annotations_dialog_start (dialog));
  g_assert_true (limner_import_annotations_dialog_get_running (dialog));
  g_assert_true (limner_test_wait_for (flag_set, &finished, TIMEOUT_MS));
  g_assert_false (limner_import_annotations_dialog_get_running (dialog));
  g_assert_true (imported);

  report = limner_import_annotations_dialog_dup_report_text (dialog);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, "3 shapes imported, 1 skipped, 1 clamped to the image"));
  g_assert_nonnull (strstr (report, "2 files imported, 1 failed, 1 label created."));
  /* The failure and the skipped circle name their file. */
  g_assert_nonnull (strstr (report, "Error: "));
  g_assert_nonnull (strstr (strstr (report, "Error: "), "broken.json"));
  g_assert_nonnull (strstr (strstr (report, "Skipped: "), "b.json"));

  /* In the store, as imported shapes of the new label. */
  dog = limner_store_find_label (store, "dog", &error);
  g_assert_no_error (error);
  shapes_a = limner_store_list_shapes (store, a, &error);
  g_assert_no_error (error);
  shapes_b = limner_store_list_shapes (store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shapes_a->len, ==, 2);
  g_assert_cmpuint (shapes_b->len, ==, 1);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes_b, 0))->label_id, ==, dog->id);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes_b, 0))->source, ==, LIMNER_SOURCE_IMPORTED);

  /* Again, as predictions: the same shapes with another source are new. */
  finished = FALSE;
  limner_import_annotations_dialog_set_as_predictions (dialog, TRUE);
  limner_import_annotations_dialog_set_format (dialog, LIMNER_ANNOTATION_FORMAT_LABELME);
  g_assert_true (limner_import_annotations_dialog_start (dialog));
  g_assert_true (limner_test_wait_for (flag_set, &finished, TIMEOUT_MS));
  g_clear_pointer (&shapes_b, g_ptr_array_unref);
  shapes_b = limner_store_list_shapes (store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shapes_b->len, ==, 2);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes_b, 1))->source, ==, LIMNER_SOURCE_PREDICTION);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-import-annotations");

  g_test_add_func ("/app/import-annotations/detect", test_detect);
  g_test_add_func ("/app/import-annotations/labelme", test_import);

  status = g_test_run ();

  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
