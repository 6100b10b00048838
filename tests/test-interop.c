/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-interop.c: importing what other annotation tools write. The inputs
 * are hand-written copies of real output (tests/interop/<tool>/…: labelme
 * 3, 4 and 5, X-AnyLabeling, COCO from CVAT, Roboflow and the official
 * val2017 layout, YOLO from Ultralytics, Roboflow, CVAT and Ultralytics'
 * predict, Pascal VOC from LabelImg, CVAT and roLabelImg). The images
 * they describe are made at run time with libvips at the sizes the files
 * give and imported into a fresh project first. Every expected coordinate
 * below was worked out by hand from the file, following docs/architecture.md
 * ("Coordinates"). */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "limner-core.h"
#include "limner-import.h"
#include "limner-import-annotations.h"
#include "limner-store.h"
#include "limner-test-images.h"

/* --- A project and a copy of one fixture folder --------------------------- */

typedef struct {
  char        *tmp;
  char        *dir;   /* the project */
  char        *in;    /* the fixture, copied: images are written into it */
  LimnerStore *store;
} Env;

static void
env_free (Env *e)
{
  g_clear_object (&e->store);
  test_rm_rf (e->tmp);
  g_free (e->tmp);
  g_free (e->dir);
  g_free (e->in);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Env, env_free)

/* Byte for byte: the fixtures' CRLF, BOMs and Latin-1 must survive. */
static void
copy_tree (const char *src, const char *dst)
{
  g_autoptr(GDir) dir = g_dir_open (src, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dst, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (src, name, NULL);
      g_autofree char *to = g_build_filename (dst, name, NULL);

      if (g_file_test (from, G_FILE_TEST_IS_DIR))
        copy_tree (from, to);
      else
        {
          g_autofree char *data = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (from, &data, &len, NULL));
          g_assert_true (g_file_set_contents (to, data, len, NULL));
        }
    }
}

static Env *
env_new (const char *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "interop", fixture, NULL);
  Env *e = g_new0 (Env, 1);

  e->tmp = g_dir_make_tmp ("limner-interop-XXXXXX", &error);
  g_assert_no_error (error);
  e->dir = g_build_filename (e->tmp, "project", NULL);
  e->in = g_build_filename (e->tmp, "in", NULL);
  copy_tree (src, e->in);
  e->store = limner_store_create (e->dir, "Interop", "tester", &error);
  g_assert_no_error (error);
  return e;
}

static char *
env_path (Env *e, const char *rel)
{
  return g_build_filename (e->in, rel, NULL);
}

/* Writes an image of w×h pixels at `rel` (PNG or JPEG by its extension)
 * and imports it into the project, as a user would before importing the
 * annotations. Returns its id. */
static gint64
env_image (Env *e, const char *rel, int w, int h)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = env_path (e, rel);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(LimnerImportResult) result = NULL;
  const char *paths[] = { path, NULL };
  LimnerImportItem *item;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  if (g_str_has_suffix (path, ".png"))
    test_write_png (path, w, h);
  else
    test_write_jpeg (path, w, h);
  result = limner_import_run (e->store, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->added->len, ==, 1);
  item = g_ptr_array_index (result->added, 0);
  g_assert_cmpint (item->image_id, >, 0);
  return item->image_id;
}

static void
env_labels (Env *e, ...)
{
  const char *name;
  va_list ap;

  va_start (ap, e);
  while ((name = va_arg (ap, const char *)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (limner_store_add_label (e->store, name, NULL, NULL, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  va_end (ap);
}

/* Imports `rel` (a file or folder of the fixture copy). */
static LimnerAnnotationImportReport *
env_import (Env *e, const char *rel, LimnerAnnotationFormat format, gboolean predictions, const char *names_rel)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rel != NULL ? env_path (e, rel) : g_strdup (e->in);
  g_autofree char *names = names_rel != NULL ? env_path (e, names_rel) : NULL;
  LimnerAnnotationImportOptions options = { format, predictions, FALSE, 0, names };
  LimnerAnnotationImportReport *report;
  g_autofree char *json = NULL;

  report = limner_import_annotations (e->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  json = limner_annotation_import_report_to_json (report);
  g_test_message ("%s", json);
  return report;
}

/* The report of the file shown as `file`; it must exist and have succeeded. */
static LimnerAnnotationFileReport *
file_ok (LimnerAnnotationImportReport *report, const char *file)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, i);

      if (g_str_equal (fr->file, file))
        {
          if (!fr->ok)
            g_error ("%s failed: %s", file, fr->error);
          return fr;
        }
    }
  g_error ("no report for %s", file);
  return NULL;
}

/* One of `lines` holds every NULL-terminated fragment. */
static void
assert_line (GPtrArray *lines, ...)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      gboolean all = TRUE;
      const char *fragment;
      va_list ap;

      va_start (ap, lines);
      while ((fragment = va_arg (ap, const char *)) != NULL)
        all = all && strstr (line, fragment) != NULL;
      va_end (ap);
      if (all)
        return;
    }
  {
    g_autoptr(GString) s = g_string_new (NULL);
    const char *fragment;
    va_list ap;

    va_start (ap, lines);
    while ((fragment = va_arg (ap, const char *)) != NULL)
      g_string_append_printf (s, " “%s”", fragment);
    va_end (ap);
    for (guint i = 0; i < lines->len; i++)
      g_test_message ("  %s", (const char *) g_ptr_array_index (lines, i));
    g_error ("no report line holds%s", s->str);
  }
}

static GPtrArray *
env_shapes (Env *e, gint64 image)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *shapes = limner_store_list_shapes (e->store, image, &error);

  g_assert_no_error (error);
  return shapes;
}

#define SHAPE(shapes, i) ((LimnerShape *) g_ptr_array_index ((shapes), (i)))

/* `s` has the label, kind and points (within `eps` pixels). */
static void
check_shape (Env *e, const LimnerShape *s, const char *label, LimnerShapeKind kind,
             const double *points, guint n, double eps)
{
  g_autoptr(LimnerLabel) l = limner_store_get_label (e->store, s->label_id, NULL);

  g_assert_nonnull (l);
  g_assert_cmpstr (l->name, ==, label);
  g_assert_cmpint (s->kind, ==, kind);
  g_assert_cmpuint (s->points->len, ==, n);
  for (guint i = 0; i < n; i++)
    if (eps == 0)
      g_assert_cmpfloat (g_array_index (s->points, double, i), ==, points[i]);
    else
      g_assert_cmpfloat_with_epsilon (g_array_index (s->points, double, i), points[i], eps);
}

#define BOX(...) LIMNER_SHAPE_BOX, (const double[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const double[]) { __VA_ARGS__ }))
#define POLY(...) LIMNER_SHAPE_POLYGON, (const double[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const double[]) { __VA_ARGS__ }))

static char *
fixture_bytes (Env *e, const char *rel, gsize *len)
{
  g_autofree char *path = env_path (e, rel);
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return data;
}

/* --- labelme ------------------------------------------------------------- */

/* labelme 3.16: line_color/fill_color, lineColor/fillColor, imageData
 * inline, a shape from before shape types (a polygon). */
static void
test_labelme_v3 (void)
{
  g_autoptr(Env) e = env_new ("labelme/v3");
  gint64 img = env_image (e, "2011_000003.jpg", 200, 150);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "person", "bottle", NULL);
  report = env_import (e, "2011_000003.json", LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  fr = file_ok (report, "2011_000003.json");
  g_assert_cmpuint (fr->n_imported, ==, 3);
  g_assert_cmpuint (fr->skipped->len, ==, 0);
  g_assert_cmpuint (fr->n_clamped, ==, 0);
  g_assert_cmpuint (fr->notes->len, ==, 0);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 3);
  check_shape (e, SHAPE (shapes, 0), "person", POLY (120.5, 20.25, 160, 20.25, 170.75, 140, 110, 140), 0);
  check_shape (e, SHAPE (shapes, 1), "bottle", BOX (30, 60, 55, 110), 0);
  check_shape (e, SHAPE (shapes, 2), "person", POLY (5, 5, 25, 5, 15, 40), 0);
  for (guint i = 0; i < shapes->len; i++)
    {
      g_assert_cmpint (SHAPE (shapes, i)->source, ==, LIMNER_SOURCE_IMPORTED);
      g_assert_cmpint (SHAPE (shapes, i)->group_id, ==, 0);
    }
}

/* labelme 4.5 with --output to a sibling folder: imagePath
 * "..\\images\\street.jpg", group ids, corners dragged bottom-right to
 * top-left, whole-number points, a linestrip and a point. */
static void
test_labelme_v4 (void)
{
  g_autoptr(Env) e = env_new ("labelme/v4");
  gint64 img = env_image (e, "images/street.jpg", 240, 180);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(LimnerAnnotationImportReport) alone = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;
  gint64 g1, g2;

  env_labels (e, "car", "person", NULL);

  /* The annotations folder alone does not hold the image the path leads
   * to: refused, naming the file and the item, and nothing changes. */
  alone = env_import (e, "annotations", LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  fr = g_ptr_array_index (alone->files, 0);
  g_assert_false (fr->ok);
  g_assert_nonnull (strstr (fr->error, "street.json: imagePath"));
  g_assert_nonnull (strstr (fr->error, "outside"));
  g_assert_cmpint (limner_store_count_shapes (e->store), ==, 0);

  /* The folder that holds both. */
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 1);
  fr = file_ok (report, "annotations/street.json");
  g_assert_cmpuint (fr->n_imported, ==, 5);
  g_assert_cmpuint (fr->skipped->len, ==, 2);
  assert_line (fr->skipped, "annotations/street.json: shape 6: labelme “linestrip”", "no area", NULL);
  assert_line (fr->skipped, "annotations/street.json: shape 7: labelme “point”", NULL);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 5);
  check_shape (e, SHAPE (shapes, 0), "car", BOX (120, 90, 200, 150), 0);
  check_shape (e, SHAPE (shapes, 1), "car", BOX (10, 130, 60, 170), 0);
  check_shape (e, SHAPE (shapes, 2), "person", POLY (30, 20, 50, 20, 50, 60, 30, 60), 0);
  check_shape (e, SHAPE (shapes, 3), "person", POLY (35, 5, 45, 5, 40, 18), 0);
  check_shape (e, SHAPE (shapes, 4), "person", POLY (70, 20, 90, 20, 80, 70), 0);
  g_assert_cmpint (SHAPE (shapes, 0)->group_id, ==, 0);
  g1 = SHAPE (shapes, 2)->group_id;
  g2 = SHAPE (shapes, 4)->group_id;
  g_assert_cmpint (g1, !=, 0);
  g_assert_cmpint (SHAPE (shapes, 3)->group_id, ==, g1);
  g_assert_cmpint (g2, !=, 0);
  g_assert_cmpint (g2, !=, g1);
}

/* labelme 5.4: description, mask (with its bitmap), circle, line, a
 * polygon closed by repeating its first point, a box past the border,
 * unknown keys, imageData inline. Also a stale imagePath (moved.json) and
 * a phone photo whose EXIF orientation labelme applied (phone.json). */
static void
test_labelme_v5 (void)
{
  g_autoptr(Env) e = env_new ("labelme/v5");
  gint64 kitchen = env_image (e, "kitchen.png", 160, 120);
  gint64 moved = env_image (e, "moved.jpg", 64, 48);
  gint64 phone = env_image (e, "phone.jpg", 64, 48);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "cup", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 3);
  g_assert_cmpuint (report->n_files_failed, ==, 0);

  fr = file_ok (report, "kitchen.json");
  g_assert_cmpuint (fr->n_imported, ==, 3);
  g_assert_cmpuint (fr->n_clamped, ==, 1);
  g_assert_cmpuint (fr->skipped->len, ==, 3);
  assert_line (fr->skipped, "kitchen.json: shape 2: labelme “circle”", "approximate", NULL);
  assert_line (fr->skipped, "kitchen.json: shape 4: labelme “mask”", "bitmaps", NULL);
  assert_line (fr->skipped, "kitchen.json: shape 5: labelme “line”", NULL);
  shapes = env_shapes (e, kitchen);
  g_assert_cmpuint (shapes->len, ==, 3);
  check_shape (e, SHAPE (shapes, 0), "cup", BOX (20, 10, 40, 30), 0);
  /* The repeated closing vertex is dropped: four corners. */
  check_shape (e, SHAPE (shapes, 1), "cup", POLY (110, 20, 140, 20, 140, 50, 110, 50), 0);
  /* labelme group 0 is a group like any other. */
  g_assert_cmpint (SHAPE (shapes, 1)->group_id, !=, 0);
  /* (-4, 90)-(30, 125) clamped to the 160×120 image. */
  check_shape (e, SHAPE (shapes, 2), "cup", BOX (0, 90, 30, 120), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "moved.json");
  g_assert_cmpuint (fr->n_imported, ==, 1);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  assert_line (fr->notes, "moved.json: imagePath:", "photos/IMG_2040.JPG", "own name", NULL);
  shapes = env_shapes (e, moved);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "cup", BOX (4, 4, 20, 30), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "phone.json");
  g_assert_cmpuint (fr->n_imported, ==, 0);
  assert_line (fr->skipped, "phone.json: imagePath:", "48×64", "64×48", "EXIF", NULL);
  shapes = env_shapes (e, phone);
  g_assert_cmpuint (shapes->len, ==, 0);
}

/* A labelme file carrying its image as a multi-megabyte base64 string:
 * read like any other, never decoded, never stored. */
static void
test_labelme_image_data (void)
{
  g_autoptr(Env) e = env_new ("labelme/v5");
  gint64 kitchen = env_image (e, "kitchen.png", 160, 120);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = env_path (e, "kitchen.json");
  g_autoptr(GString) big = NULL;
  const char *key = "\"imageData\": \"";
  const char *start, *end;
  gsize len;
  GStatBuf st;
  gint64 db_size = 0;
  static const char * const db_files[] = { "project.db", "project.db-wal", "project.db-shm" };

  env_labels (e, "cup", NULL);
  json = fixture_bytes (e, "kitchen.json", &len);
  start = strstr (json, key);
  g_assert_nonnull (start);
  start += strlen (key);
  end = strchr (start, '"');
  big = g_string_new_len (json, start - json);
  /* 12 MB of base64, as a 9 MB photo gives. */
  for (guint i = 0; i < 12 * 1024 * 1024 / 64; i++)
    g_string_append (big, "iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAYAAAB1ovlvAAAAGUlEQVR4nO3BMQEA");
  g_string_append (big, end);
  g_assert_true (g_file_set_contents (path, big->str, big->len, NULL));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 12 * 1024 * 1024);

  report = env_import (e, "kitchen.json", LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  g_assert_cmpuint (file_ok (report, "kitchen.json")->n_imported, ==, 3);
  shapes = env_shapes (e, kitchen);
  g_assert_cmpuint (shapes->len, ==, 3);
  check_shape (e, SHAPE (shapes, 0), "cup", BOX (20, 10, 40, 30), 0);

  g_clear_object (&e->store);
  for (guint i = 0; i < G_N_ELEMENTS (db_files); i++)
    {
      g_autofree char *db = g_build_filename (e->dir, db_files[i], NULL);

      if (g_stat (db, &st) == 0)
        db_size += st.st_size;
    }
  g_test_message ("project database after import: %" G_GINT64_FORMAT " bytes", db_size);
  g_assert_cmpint (db_size, <, 2 * 1024 * 1024);
}

/* Saved as UTF-16 with a byte order mark (PowerShell's Out-File, Notepad's
 * "Unicode"). */
static void
test_labelme_utf16 (void)
{
  g_autoptr(Env) e = env_new ("labelme/v3");
  gint64 img = env_image (e, "2011_000003.jpg", 200, 150);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *utf16 = NULL;
  g_autofree char *path = env_path (e, "2011_000003.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new_len ("\xff\xfe", 2);
  gsize len, written;

  env_labels (e, "person", "bottle", NULL);
  json = fixture_bytes (e, "2011_000003.json", &len);
  utf16 = g_convert (json, len, "UTF-16LE", "UTF-8", NULL, &written, &error);
  g_assert_no_error (error);
  g_string_append_len (out, utf16, written);
  g_assert_true (g_file_set_contents (path, out->str, out->len, NULL));

  report = env_import (e, "2011_000003.json", LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, NULL);
  g_assert_cmpuint (file_ok (report, "2011_000003.json")->n_imported, ==, 3);
  shapes = env_shapes (e, img);
  check_shape (e, SHAPE (shapes, 1), "bottle", BOX (30, 60, 55, 110), 0);
}

/* --- X-AnyLabeling --------------------------------------------------------- */

/* X-AnyLabeling 2.4: rectangles as four corners (one in a crossed order),
 * a rotated box ("rotation"), score, difficult, attributes, kie_linking. */
static void
test_xanylabeling (void)
{
  g_autoptr(Env) e = env_new ("xanylabeling");
  gint64 img = env_image (e, "harbour.jpg", 300, 200);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "ship", "buoy", "pier", NULL);
  report = env_import (e, "harbour.json", LIMNER_ANNOTATION_FORMAT_LABELME, TRUE, NULL);
  fr = file_ok (report, "harbour.json");
  g_assert_cmpuint (fr->n_imported, ==, 4);
  g_assert_cmpuint (fr->skipped->len, ==, 1);
  assert_line (fr->skipped, "harbour.json: shape 5: labelme “circle”", NULL);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  assert_line (fr->notes, "harbour.json: shape 2:", "rotated box", "polygon", NULL);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 4);
  check_shape (e, SHAPE (shapes, 0), "ship", BOX (40, 50, 120, 90), 0);
  g_assert_cmpfloat (SHAPE (shapes, 0)->score, ==, 0.91);
  check_shape (e, SHAPE (shapes, 1), "ship", POLY (200, 100, 230, 130, 200, 160, 170, 130), 0);
  g_assert_cmpfloat (SHAPE (shapes, 1)->score, ==, 0.78);
  check_shape (e, SHAPE (shapes, 2), "buoy", BOX (10, 10, 30, 30), 0);
  g_assert_cmpfloat (SHAPE (shapes, 2)->score, ==, 1);
  check_shape (e, SHAPE (shapes, 3), "pier", POLY (150, 20, 290, 20, 290, 40, 150, 40), 0);
  g_assert_cmpint (SHAPE (shapes, 3)->group_id, !=, 0);
  for (guint i = 0; i < shapes->len; i++)
    g_assert_cmpint (SHAPE (shapes, i)->source, ==, LIMNER_SOURCE_PREDICTION);
}

/* --- COCO ------------------------------------------------------------------ */

/* CVAT "COCO 1.0": attributes, a rotated box as bbox + "rotation", a person
 * of two polygons, a mask as uncompressed RLE (iscrowd 1), a file in a
 * subfolder, and an image the project lacks. */
static void
test_coco_cvat (void)
{
  g_autoptr(Env) e = env_new ("coco/cvat");
  gint64 f0 = env_image (e, "images/default/frame_000000.png", 320, 240);
  gint64 f1 = env_image (e, "images/default/sub/frame_000001.png", 160, 120);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;
  const char *f = "annotations/instances_default.json";

  env_labels (e, "car", "person", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_COCO, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 1);
  fr = file_ok (report, f);
  g_assert_cmpuint (fr->n_imported, ==, 5);
  g_assert_cmpuint (fr->n_images, ==, 2);
  g_assert_cmpuint (fr->skipped->len, ==, 2);
  assert_line (fr->skipped, f, "annotation 4:", "run-length", "iscrowd 1", NULL);
  assert_line (fr->skipped, f, "image 3:", "frame_000002.png", "1 shape", NULL);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  assert_line (fr->notes, f, "annotation 2:", "rotated by 90°", "polygon", NULL);

  shapes = env_shapes (e, f0);
  g_assert_cmpuint (shapes->len, ==, 4);
  /* bbox [10, 20, 60, 40] with rotation 0: a plain box. */
  check_shape (e, SHAPE (shapes, 0), "car", BOX (10, 20, 70, 60), 0);
  /* bbox [100, 100, 40, 30] turned 90° clockwise about (120, 115): the
   * corner (100, 100) goes to (135, 95), and so on round. */
  check_shape (e, SHAPE (shapes, 1), "car", POLY (135, 95, 135, 135, 105, 135, 105, 95), 1e-9);
  check_shape (e, SHAPE (shapes, 2), "person", POLY (200, 50, 240, 50, 240, 150, 200, 150), 0);
  check_shape (e, SHAPE (shapes, 3), "person", POLY (205, 20, 235, 20, 220, 45), 0);
  g_assert_cmpint (SHAPE (shapes, 2)->group_id, !=, 0);
  g_assert_cmpint (SHAPE (shapes, 2)->group_id, ==, SHAPE (shapes, 3)->group_id);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  shapes = env_shapes (e, f1);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "car", POLY (10.5, 10.5, 50.5, 10.5, 50.5, 40.5), 0);
}

/* Roboflow "COCO JSON": category 0 is the dataset's name, ids from 0,
 * bbox-only annotations with "segmentation": [], a float width/height. */
static void
test_coco_roboflow (void)
{
  g_autoptr(Env) e = env_new ("coco/roboflow");
  gint64 cat = env_image (e, "train/cat-1_jpg.rf.8d3c0e8a1b2c4d5e.jpg", 128, 96);
  gint64 dog = env_image (e, "train/dog-2_jpg.rf.f00dfeedbeef0123.jpg", 128, 96);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "cat", "dog", NULL);
  report = env_import (e, "train/_annotations.coco.json", LIMNER_ANNOTATION_FORMAT_COCO, FALSE, NULL);
  fr = file_ok (report, "_annotations.coco.json");
  g_assert_cmpuint (fr->n_imported, ==, 3);
  g_assert_cmpuint (fr->skipped->len, ==, 0);

  shapes = env_shapes (e, cat);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "cat", BOX (12, 8, 76, 56), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = env_shapes (e, dog);
  g_assert_cmpuint (shapes->len, ==, 2);
  check_shape (e, SHAPE (shapes, 0), "dog", BOX (70.5, 30.25, 120.5, 90.25), 0);
  check_shape (e, SHAPE (shapes, 1), "cat", POLY (0, 0, 20, 0, 20, 20, 0, 20), 0);
}

/* The official layout (annotations/instances_val2017.json, val2017/):
 * category ids with gaps, supercategories, info and licenses, a crowd as
 * compressed RLE, "segmentation": [[]] with a bbox, keypoints. And a
 * results list, which names no images. */
static void
test_coco_pycocotools (void)
{
  g_autoptr(Env) e = env_new ("coco/pycocotools");
  gint64 img = env_image (e, "val2017/000000000139.jpg", 320, 213);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(LimnerAnnotationImportReport) results = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *results_path = env_path (e, "detections.json");
  LimnerAnnotationFileReport *fr;
  const char *f = "annotations/instances_val2017.json";
  const LimnerShape *plant;

  env_labels (e, "person", "chair", "potted plant", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_COCO, FALSE, NULL);
  fr = file_ok (report, f);
  g_assert_cmpuint (fr->n_imported, ==, 3);
  g_assert_cmpuint (fr->skipped->len, ==, 1);
  assert_line (fr->skipped, f, "annotation 900100000139:", "run-length", NULL);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  assert_line (fr->notes, f, "annotation 7:", "3 keypoints", NULL);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 3);
  plant = SHAPE (shapes, 0);
  check_shape (e, plant, "potted plant", LIMNER_SHAPE_POLYGON,
               (const double[]) { 240.86, 211.31, 240.16, 197.19, 236.98, 192.26, 237.34, 187.67,
                                  245.8, 188.02, 243.33, 176.02, 250.39, 186.96, 251.8, 166.85,
                                  255.33, 142.51, 253.21, 190.49, 261.68, 183.08, 258.86, 191.2,
                                  260.98, 206.37, 254.63, 199.66, 252.51, 201.78, 251.8, 212.01 },
               32, 0);
  /* [[]]: no polygon, so the bbox [10, 20, 30, 40]. */
  check_shape (e, SHAPE (shapes, 1), "chair", BOX (10, 20, 40, 60), 0);
  check_shape (e, SHAPE (shapes, 2), "person", POLY (130, 30, 170, 30, 170, 110, 130, 110), 0);

  g_assert_true (g_file_set_contents (results_path,
                                      "[{\"image_id\": 139, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 0.9}]",
                                      -1, NULL));
  results = env_import (e, "detections.json", LIMNER_ANNOTATION_FORMAT_COCO, TRUE, NULL);
  fr = g_ptr_array_index (results->files, 0);
  g_assert_false (fr->ok);
  g_assert_true (g_str_has_prefix (fr->error, "detections.json: "));
  g_assert_nonnull (strstr (fr->error, "results list"));
}

/* --- YOLO ------------------------------------------------------------------ */

/* Ultralytics: data.yaml with path/train/val and an index map of names,
 * labels/train and labels/val beside images/train and images/val, detect
 * and segment rows, trailing spaces, CRLF, an empty file, values a hair
 * outside [0, 1], %g's exponents. */
static void
test_yolo_ultralytics (void)
{
  g_autoptr(Env) e = env_new ("yolo/ultralytics");
  gint64 i1 = env_image (e, "images/train/img_001.jpg", 160, 120);
  gint64 i2 = env_image (e, "images/train/img_002.png", 200, 100);
  gint64 i3 = env_image (e, "images/train/img_003.jpg", 64, 64);
  gint64 i4 = env_image (e, "images/val/img_004.jpg", 100, 50);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *crlf = NULL;
  g_autofree char *spaces = NULL;
  LimnerAnnotationFileReport *fr;
  gsize len;

  /* The fixture really has what the test is about. */
  crlf = fixture_bytes (e, "labels/train/img_002.txt", &len);
  g_assert_nonnull (strstr (crlf, "0.9\r\n"));
  spaces = fixture_bytes (e, "labels/train/img_001.txt", &len);
  g_assert_nonnull (strstr (spaces, "0.25  \n"));

  env_labels (e, "circle", "square", "triangle", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 4);
  g_assert_cmpuint (report->n_files_failed, ==, 0);
  g_assert_cmpuint (report->n_skipped, ==, 0);

  /* 160×120: centre (80, 60) size 40×30; centre (20, 30) size 20×30. */
  g_assert_cmpuint (file_ok (report, "labels/train/img_001.txt")->n_imported, ==, 2);
  shapes = env_shapes (e, i1);
  check_shape (e, SHAPE (shapes, 0), "circle", BOX (60, 45, 100, 75), 1e-9);
  check_shape (e, SHAPE (shapes, 1), "square", BOX (10, 15, 30, 45), 1e-9);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  /* 200×100. */
  g_assert_cmpuint (file_ok (report, "labels/train/img_002.txt")->n_imported, ==, 2);
  shapes = env_shapes (e, i2);
  check_shape (e, SHAPE (shapes, 0), "triangle", POLY (100, 10, 180, 90, 20, 90), 1e-9);
  check_shape (e, SHAPE (shapes, 1), "square", POLY (50, 25, 150, 25, 150, 75, 50, 75), 1e-9);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "labels/train/img_003.txt");
  g_assert_cmpuint (fr->n_imported, ==, 0);
  shapes = env_shapes (e, i3);
  g_assert_cmpuint (shapes->len, ==, 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  /* 100×50: the box's x runs 95…101 and is clamped to 100; the triangle's
   * (-0.4, 25) and (50, 50.1) are clamped too. */
  fr = file_ok (report, "labels/val/img_004.txt");
  g_assert_cmpuint (fr->n_imported, ==, 2);
  g_assert_cmpuint (fr->n_clamped, ==, 2);
  shapes = env_shapes (e, i4);
  check_shape (e, SHAPE (shapes, 0), "circle", BOX (95, 20, 100, 30), 1e-9);
  check_shape (e, SHAPE (shapes, 1), "triangle", POLY (0, 25, 50, 50, 0.001, 50), 1e-9);
}

/* Roboflow "YOLOv8": data.yaml with nc, a flow list of names and a
 * roboflow: section; train/labels and valid/labels; README files beside. */
static void
test_yolo_roboflow (void)
{
  g_autoptr(Env) e = env_new ("yolo/roboflow");
  gint64 w1 = env_image (e, "train/images/worker-1_jpg.rf.0a1b2c3d4e5f6a7b.jpg", 80, 80);
  gint64 w2 = env_image (e, "valid/images/worker-2_jpg.rf.4e5f6a7b8c9d0e1f.jpg", 80, 80);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;

  env_labels (e, "head", "helmet", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, NULL);
  /* Only the label files: the READMEs are not tried. */
  g_assert_cmpuint (report->files->len, ==, 2);
  g_assert_cmpuint (report->n_files_failed, ==, 0);
  file_ok (report, "train/labels/worker-1_jpg.rf.0a1b2c3d4e5f6a7b.txt");
  file_ok (report, "valid/labels/worker-2_jpg.rf.4e5f6a7b8c9d0e1f.txt");

  shapes = env_shapes (e, w1);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "helmet", BOX (20, 0, 60, 40), 1e-9);
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = env_shapes (e, w2);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "head", BOX (15, 50, 25, 70), 1e-9);
}

/* Ultralytics predict with save_txt and save_conf: "class cx cy w h conf"
 * (6 values) against a triangle (7) and a triangle with a score (8); the
 * names from YOLOv5's two-line flow list. */
static void
test_yolo_predictions (void)
{
  g_autoptr(Env) e = env_new ("yolo/predict");
  gint64 bus = env_image (e, "bus.jpg", 200, 100);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;

  env_labels (e, "person", "car", "motorcycle", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_YOLO, TRUE, "coco4.yaml");
  g_assert_cmpuint (report->files->len, ==, 1);
  g_assert_cmpuint (file_ok (report, "labels/bus.txt")->n_imported, ==, 4);

  shapes = env_shapes (e, bus);
  g_assert_cmpuint (shapes->len, ==, 4);
  check_shape (e, SHAPE (shapes, 0), "person", BOX (80, 30, 120, 70), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 0)->score, ==, 0.912);
  check_shape (e, SHAPE (shapes, 1), "car", BOX (40, 70, 60, 80), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 1)->score, ==, 0.45);
  check_shape (e, SHAPE (shapes, 2), "motorcycle", POLY (20, 10, 60, 10, 40, 20), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 2)->score, ==, 0.61);
  check_shape (e, SHAPE (shapes, 3), "person", POLY (120, 10, 140, 10, 130, 20), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 3)->score, ==, 1);
  for (guint i = 0; i < shapes->len; i++)
    g_assert_cmpint (SHAPE (shapes, i)->source, ==, LIMNER_SOURCE_PREDICTION);
}

/* CVAT "YOLO 1.1" (darknet): obj.names, obj.data, train.txt listing the
 * images, labels beside the images in obj_train_data/. */
static void
test_yolo_cvat (void)
{
  g_autoptr(Env) e = env_new ("yolo/cvat");
  gint64 frame = env_image (e, "obj_train_data/frame_000000.jpg", 100, 100);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "car", "person", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 2);
  g_assert_cmpuint (report->n_files_failed, ==, 0);
  fr = file_ok (report, "train.txt");
  g_assert_cmpuint (fr->n_imported, ==, 0);
  assert_line (fr->skipped, "train.txt:", "image paths", NULL);
  g_assert_cmpuint (file_ok (report, "obj_train_data/frame_000000.txt")->n_imported, ==, 1);

  shapes = env_shapes (e, frame);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "person", BOX (40, 30, 60, 70), 1e-9);
}

/* Ultralytics pose: kpt_shape [3, 3] makes a row box + 9 keypoint values
 * (+ a score), not a polygon. */
static void
test_yolo_pose (void)
{
  g_autoptr(Env) e = env_new ("yolo/pose");
  gint64 img = env_image (e, "images/train/pose1.jpg", 100, 100);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "person", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_YOLO, TRUE, NULL);
  fr = file_ok (report, "labels/train/pose1.txt");
  g_assert_cmpuint (fr->n_imported, ==, 2);
  g_assert_cmpuint (fr->notes->len, ==, 2);
  assert_line (fr->notes, "labels/train/pose1.txt: line 1:", "9 keypoint values", NULL);
  assert_line (fr->notes, "labels/train/pose1.txt: line 2:", "9 keypoint values", NULL);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 2);
  check_shape (e, SHAPE (shapes, 0), "person", BOX (30, 10, 70, 90), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 0)->score, ==, 1);
  check_shape (e, SHAPE (shapes, 1), "person", BOX (10, 10, 30, 30), 1e-9);
  g_assert_cmpfloat (SHAPE (shapes, 1)->score, ==, 0.87);
}

/* --- Pascal VOC ------------------------------------------------------------ */

/* LabelImg: the XML beside its image, tabs, an absolute Windows <path>,
 * pose, truncated, difficult. VOC boxes are 1-based inclusive pixels:
 * xmin 21 is x 20. */
static void
test_voc_labelimg (void)
{
  g_autoptr(Env) e = env_new ("voc/labelimg");
  gint64 img = env_image (e, "dog1.jpg", 200, 160);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;

  env_labels (e, "dog", "cat", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  g_assert_cmpuint (file_ok (report, "dog1.xml")->n_imported, ==, 2);
  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 2);
  check_shape (e, SHAPE (shapes, 0), "dog", BOX (20, 30, 120, 150), 0);
  check_shape (e, SHAPE (shapes, 1), "cat", BOX (149, 0, 200, 60), 0);
}

/* CVAT "PASCAL VOC 1.1": XML declaration, float coordinates, <part>
 * children, attributes, ImageSets and labelmap.txt beside; and a file
 * saved again by Notepad: BOM, CRLF, comments, no <size>, <filename>
 * without extension. */
static void
test_voc_cvat (void)
{
  g_autoptr(Env) e = env_new ("voc/cvat");
  gint64 f0 = env_image (e, "JPEGImages/frame_000000.png", 320, 240);
  gint64 f1 = env_image (e, "JPEGImages/frame_000001.jpg", 64, 48);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *edited = NULL;
  LimnerAnnotationFileReport *fr;
  gsize len;

  edited = fixture_bytes (e, "Annotations/frame_000001.xml", &len);
  g_assert_true (g_str_has_prefix (edited, "\xef\xbb\xbf<?xml"));
  g_assert_nonnull (strstr (edited, "</filename>\r\n"));

  env_labels (e, "person", "car", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 2);

  fr = file_ok (report, "Annotations/frame_000000.xml");
  g_assert_cmpuint (fr->n_imported, ==, 2);
  g_assert_cmpuint (fr->skipped->len, ==, 1);
  assert_line (fr->skipped, "Annotations/frame_000000.xml: object 1:", "2 <part> boxes", "head, hand", NULL);
  shapes = env_shapes (e, f0);
  check_shape (e, SHAPE (shapes, 0), "person", BOX (11, 19.5, 80.25, 200), 0);
  check_shape (e, SHAPE (shapes, 1), "car", BOX (200, 100, 320, 240), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "Annotations/frame_000001.xml");
  g_assert_cmpuint (fr->n_imported, ==, 1);
  shapes = env_shapes (e, f1);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "car", BOX (10, 5, 40, 30), 0);
}

/* Annotation file names that are not the image's: 0001.xml names its image
 * (found by <filename>); site-08.xml names the camera's file since renamed
 * (found by the XML's own name); site-09.xml names it in other case. */
static void
test_voc_renamed (void)
{
  g_autoptr(Env) e = env_new ("voc/renamed");
  gint64 s7 = env_image (e, "JPEGImages/site-07.jpg", 90, 60);
  gint64 s8 = env_image (e, "JPEGImages/site-08.jpg", 90, 60);
  gint64 s9 = env_image (e, "JPEGImages/site-09.jpg", 90, 60);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "crane", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  g_assert_cmpuint (report->files->len, ==, 3);

  fr = file_ok (report, "Annotations/0001.xml");
  g_assert_cmpuint (fr->n_imported, ==, 1);
  g_assert_cmpuint (fr->notes->len, ==, 0);
  shapes = env_shapes (e, s7);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "crane", BOX (0, 0, 30, 60), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "Annotations/site-08.xml");
  g_assert_cmpuint (fr->n_imported, ==, 1);
  assert_line (fr->notes, "Annotations/site-08.xml: filename:", "DJI_0042.JPG", "own name", NULL);
  shapes = env_shapes (e, s8);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "crane", BOX (40, 10, 90, 50), 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);

  fr = file_ok (report, "Annotations/site-09.xml");
  g_assert_cmpuint (fr->n_imported, ==, 1);
  assert_line (fr->notes, "Annotations/site-09.xml: filename:", "SITE-09.JPG", "case", NULL);
  shapes = env_shapes (e, s9);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "crane", BOX (1, 1, 10, 10), 0);
}

/* <?xml … encoding="ISO-8859-1"?> with a Latin-1 “é” in a label. */
static void
test_voc_latin1 (void)
{
  g_autoptr(Env) e = env_new ("voc/latin1");
  gint64 img = env_image (e, "terrasse.jpg", 100, 80);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *bytes = NULL;
  gsize len;

  bytes = fixture_bytes (e, "terrasse.xml", &len);
  g_assert_nonnull (strstr (bytes, "<name>caf\xe9</name>"));

  env_labels (e, "caf\xc3\xa9", NULL);
  report = env_import (e, "terrasse.xml", LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  g_assert_cmpuint (file_ok (report, "terrasse.xml")->n_imported, ==, 1);
  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 1);
  check_shape (e, SHAPE (shapes, 0), "caf\xc3\xa9", BOX (10, 20, 60, 70), 0);
}

/* The same declaration over UTF-8 text, as some scripts write it: the
 * bytes win, and “é” stays “é” (not “Ã©”). */
static void
test_voc_mislabelled_utf8 (void)
{
  g_autoptr(Env) e = env_new ("voc/latin1");
  gint64 img = env_image (e, "terrasse.jpg", 100, 80);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = env_path (e, "terrasse.xml");
  g_autofree char *bytes = NULL;
  g_autofree char *utf8 = NULL;
  gsize len;

  bytes = fixture_bytes (e, "terrasse.xml", &len);
  utf8 = g_convert (bytes, len, "UTF-8", "ISO-8859-1", NULL, &len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (utf8, "encoding=\"ISO-8859-1\""));
  g_assert_true (g_file_set_contents (path, utf8, len, NULL));

  env_labels (e, "caf\xc3\xa9", NULL);
  report = env_import (e, "terrasse.xml", LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  g_assert_cmpuint (file_ok (report, "terrasse.xml")->n_imported, ==, 1);
  shapes = env_shapes (e, img);
  check_shape (e, SHAPE (shapes, 0), "caf\xc3\xa9", BOX (10, 20, 60, 70), 0);
}

/* roLabelImg: <robndbox> (centre, size, angle in radians) and a plain
 * <bndbox>; <filename> without its extension. */
static void
test_voc_rolabelimg (void)
{
  g_autoptr(Env) e = env_new ("voc/rolabelimg");
  gint64 img = env_image (e, "ship.png", 200, 200);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;

  env_labels (e, "ship", NULL);
  report = env_import (e, NULL, LIMNER_ANNOTATION_FORMAT_VOC, FALSE, NULL);
  fr = file_ok (report, "ship.xml");
  g_assert_cmpuint (fr->n_imported, ==, 2);
  g_assert_cmpuint (fr->notes->len, ==, 1);
  assert_line (fr->notes, "ship.xml: object 1:", "robndbox", "polygon", NULL);

  shapes = env_shapes (e, img);
  g_assert_cmpuint (shapes->len, ==, 2);
  /* 60×20 about (100, 80), turned 1.570796 rad (a quarter, less 3e-7)
   * clockwise: the top-left corner (70, 70) goes to (110, 50). */
  check_shape (e, SHAPE (shapes, 0), "ship", POLY (110, 50, 110, 110, 90, 110, 90, 50), 1e-4);
  check_shape (e, SHAPE (shapes, 1), "ship", BOX (10, 150, 60, 190), 0);
}

/* --- Cut short ------------------------------------------------------------ */

typedef struct {
  const char             *fixture;
  LimnerAnnotationFormat  format;
  const char             *suffix;
  const char             *names;  /* YOLO --names, or NULL */
} Cut;

static void
collect (const char *dir, const char *suffix, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect (path, suffix, out);
          g_free (path);
        }
      else if (g_str_has_suffix (name, suffix) && !g_str_has_suffix (name, ".yaml"))
        g_ptr_array_add (out, path);
      else
        g_free (path);
    }
}

/* Every fixture cut at seven points: each import gives a report (never a
 * crash: run this under ASan), and a file that fails changes nothing. */
static void
test_truncated (void)
{
  static const Cut cuts[] = {
    { "labelme", LIMNER_ANNOTATION_FORMAT_LABELME, ".json", NULL },
    { "xanylabeling", LIMNER_ANNOTATION_FORMAT_LABELME, ".json", NULL },
    { "coco", LIMNER_ANNOTATION_FORMAT_COCO, ".json", NULL },
    { "voc", LIMNER_ANNOTATION_FORMAT_VOC, ".xml", NULL },
    { "yolo/ultralytics", LIMNER_ANNOTATION_FORMAT_YOLO, ".txt", "data.yaml" },
    { "yolo/predict", LIMNER_ANNOTATION_FORMAT_YOLO, ".txt", "coco4.yaml" },
    { "yolo/pose", LIMNER_ANNOTATION_FORMAT_YOLO, ".txt", "data.yaml" },
  };
  guint n_failed = 0, n_ok = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cuts); c++)
    {
      g_autoptr(Env) e = env_new (cuts[c].fixture);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *names = cuts[c].names != NULL ? env_path (e, cuts[c].names) : NULL;

      /* One image that many of the files name, so their shapes get as far
       * as the store. */
      env_image (e, "kitchen.png", 160, 120);
      collect (e->in, cuts[c].suffix, files);
      g_assert_cmpuint (files->len, >, 0);
      for (guint i = 0; i < files->len; i++)
        {
          const char *path = g_ptr_array_index (files, i);
          g_autofree char *data = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (path, &data, &len, NULL));
          for (guint k = 1; k < 8; k++)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(LimnerAnnotationImportReport) report = NULL;
              LimnerAnnotationImportOptions options = { cuts[c].format, k % 2 == 0, TRUE, 0, names };
              gint64 before = limner_store_count_shapes (e->store);
              LimnerAnnotationFileReport *fr;

              g_assert_true (g_file_set_contents (path, data, len * k / 8, NULL));
              report = limner_import_annotations (e->store, path, &options, NULL, NULL, NULL, &error);
              g_assert_no_error (error);
              g_assert_cmpuint (report->files->len, ==, 1);
              fr = g_ptr_array_index (report->files, 0);
              if (!fr->ok)
                {
                  g_autofree char *base = g_path_get_basename (path);

                  n_failed++;
                  g_assert_nonnull (strstr (fr->error, base));
                  g_assert_cmpint (limner_store_count_shapes (e->store), ==, before);
                }
              else
                n_ok++;
            }
          g_assert_true (g_file_set_contents (path, data, len, NULL));
        }
    }
  g_test_message ("cut files: %u failed cleanly, %u imported", n_failed, n_ok);
  g_assert_cmpuint (n_failed, >, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  g_test_add_func ("/core/interop/labelme/v3", test_labelme_v3);
  g_test_add_func ("/core/interop/labelme/v4", test_labelme_v4);
  g_test_add_func ("/core/interop/labelme/v5", test_labelme_v5);
  g_test_add_func ("/core/interop/labelme/image-data", test_labelme_image_data);
  g_test_add_func ("/core/interop/labelme/utf16", test_labelme_utf16);
  g_test_add_func ("/core/interop/x-anylabeling", test_xanylabeling);
  g_test_add_func ("/core/interop/coco/cvat", test_coco_cvat);
  g_test_add_func ("/core/interop/coco/roboflow", test_coco_roboflow);
  g_test_add_func ("/core/interop/coco/pycocotools", test_coco_pycocotools);
  g_test_add_func ("/core/interop/yolo/ultralytics", test_yolo_ultralytics);
  g_test_add_func ("/core/interop/yolo/roboflow", test_yolo_roboflow);
  g_test_add_func ("/core/interop/yolo/predictions", test_yolo_predictions);
  g_test_add_func ("/core/interop/yolo/cvat", test_yolo_cvat);
  g_test_add_func ("/core/interop/yolo/pose", test_yolo_pose);
  g_test_add_func ("/core/interop/voc/labelimg", test_voc_labelimg);
  g_test_add_func ("/core/interop/voc/cvat", test_voc_cvat);
  g_test_add_func ("/core/interop/voc/renamed", test_voc_renamed);
  g_test_add_func ("/core/interop/voc/latin1", test_voc_latin1);
  g_test_add_func ("/core/interop/voc/mislabelled-utf8", test_voc_mislabelled_utf8);
  g_test_add_func ("/core/interop/voc/rolabelimg", test_voc_rolabelimg);
  g_test_add_func ("/core/interop/truncated", test_truncated);

  return g_test_run ();
}
