/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-exporters.c: the COCO, YOLO, VOC, labelme and CSV exporters (golden
 * files with hand-checked coordinates, split, augmentation against pixels,
 * byte-identical re-export) and the annotation importers (round trips
 * through every format, and every kind of bad input). */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-export.h"
#include "limner-export-layout.h"
#include "limner-geometry.h"
#include "limner-import.h"
#include "limner-import-annotations.h"
#include "limner-manifest.h"
#include "limner-store.h"
#include "limner-test-images.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* --- A hand-made project -------------------------------------------------- */

typedef struct {
  char        *tmp;
  char        *dir;
  LimnerStore *store;
  gint64       cat, dog, light;
  gint64       img_a, img_b, other_a;
} Project;

static void
project_free (Project *p)
{
  g_clear_object (&p->store);
  if (p->tmp != NULL)
    test_rm_rf (p->tmp);
  g_free (p->tmp);
  g_free (p->dir);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Project, project_free)

static Project *
project_new_empty (const char *name)
{
  g_autoptr(GError) error = NULL;
  Project *p = g_new0 (Project, 1);

  p->tmp = g_dir_make_tmp ("limner-exporters-XXXXXX", &error);
  g_assert_no_error (error);
  p->dir = g_build_filename (p->tmp, "project", NULL);
  p->store = limner_store_create (p->dir, name, "tester", &error);
  g_assert_no_error (error);
  return p;
}

static gint64
add_label (Project *p, const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = limner_store_add_label (p->store, name, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Registers an existing file (absolute or relative to the project). */
static gint64
register_image (Project *p, const char *path, int w, int h)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *abs = g_path_is_absolute (path) ? g_strdup (path) : g_build_filename (p->dir, path, NULL);
  g_autofree char *rel = limner_store_relativize_path (p->store, abs);
  g_autofree char *sha = NULL;
  gint64 size = 0;
  gint64 id;

  sha = limner_import_hash_file (abs, &size, NULL, &error);
  g_assert_no_error (error);
  id = limner_store_add_image (p->store, rel, sha, size, w, h, "png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Golden files need the same bytes, hence the same SHA-256, everywhere: the
 * "images" are small text files (nothing here decodes them). */
static gint64
add_fixed_image (Project *p, const char *rel, int w, int h)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (p->dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *content = g_strdup_printf ("limner exporter test image %s %dx%d\n", rel, w, h);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, content, -1, &error));
  return register_image (p, rel, w, h);
}

static gint64
add_shape (Project *p, gint64 image, gint64 label, LimnerShapeKind kind, gint64 group,
           LimnerShapeSource source, double score, guint n, const double *pts)
{
  g_autoptr(LimnerShape) shape = limner_shape_new (kind);
  g_autoptr(GError) error = NULL;

  shape->image_id = image;
  shape->label_id = label;
  shape->group_id = group;
  shape->source = source;
  shape->score = score;
  g_array_append_vals (shape->points, pts, n);
  g_assert_true (limner_store_insert_shape (p->store, shape, &error));
  g_assert_no_error (error);
  return shape->id;
}

/* The golden project. Coordinates (checked by hand in test_golden_*):
 *  img/a.png 100×80:
 *    1 cat box (10.5, 20.25)-(30, 40.75)
 *    2 dog triangle (50,10) (90,10) (70,50)                area 800
 *    3 dog square (0,60) (10,60) (10,80) (0,80), group 1   area 200
 *    4 dog triangle (20,60) (30,60) (25,70), group 1       area 50
 *    5 cat box (60.2, 55.5)-(99.9, 79.1), prediction 0.75
 *  img/b.png 60×40: one box without a label (left out of every export)
 *  other/a.png 40×30: traffic light box (0, 0)-(40, 30), the whole image
 * img/a.png and other/a.png share a name, so both get "-SHA8" stems. */
static Project *
golden_project (void)
{
  Project *p = project_new_empty ("Golden");
  static const double box1[] = { 10.5, 20.25, 30, 40.75 };
  static const double tri[] = { 50, 10, 90, 10, 70, 50 };
  static const double square[] = { 0, 60, 10, 60, 10, 80, 0, 80 };
  static const double tri2[] = { 20, 60, 30, 60, 25, 70 };
  static const double pred[] = { 60.2, 55.5, 99.9, 79.1 };
  static const double unlabelled[] = { 1, 1, 5, 5 };
  static const double whole[] = { 0, 0, 40, 30 };

  p->cat = add_label (p, "cat");
  p->dog = add_label (p, "dog");
  p->light = add_label (p, "traffic light");
  p->img_a = add_fixed_image (p, "img/a.png", 100, 80);
  p->img_b = add_fixed_image (p, "img/b.png", 60, 40);
  p->other_a = add_fixed_image (p, "other/a.png", 40, 30);

  add_shape (p, p->img_a, p->cat, LIMNER_SHAPE_BOX, 0, LIMNER_SOURCE_MANUAL, 1, 4, box1);
  add_shape (p, p->img_a, p->dog, LIMNER_SHAPE_POLYGON, 0, LIMNER_SOURCE_MANUAL, 1, 6, tri);
  add_shape (p, p->img_a, p->dog, LIMNER_SHAPE_POLYGON, 1, LIMNER_SOURCE_MANUAL, 1, 8, square);
  add_shape (p, p->img_a, p->dog, LIMNER_SHAPE_POLYGON, 1, LIMNER_SOURCE_MANUAL, 1, 6, tri2);
  add_shape (p, p->img_a, p->cat, LIMNER_SHAPE_BOX, 0, LIMNER_SOURCE_PREDICTION, 0.75, 4, pred);
  add_shape (p, p->img_b, 0, LIMNER_SHAPE_BOX, 0, LIMNER_SOURCE_MANUAL, 1, 4, unlabelled);
  add_shape (p, p->other_a, p->light, LIMNER_SHAPE_BOX, 0, LIMNER_SOURCE_MANUAL, 1, 4, whole);
  return p;
}

/* --- Helpers -------------------------------------------------------------- */

static char *
export_to (Project *p, gint64 version, const char *format, const char *name, GError **error, ...)
{
  g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, version, NULL);
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);
  char *out = g_build_filename (p->tmp, name, NULL);
  const char *key;
  va_list ap;

  g_assert_nonnull (ds);
  va_start (ap, error);
  while ((key = va_arg (ap, const char *)) != NULL)
    g_hash_table_insert (options, (char *) key, va_arg (ap, char *));
  va_end (ap);
  if (!limner_export_run (format, ds, out, options, NULL, NULL, NULL, error))
    g_clear_pointer (&out, g_free);
  return out;
}

static char *
export_ok (Project *p, gint64 version, const char *format, const char *name)
{
  g_autoptr(GError) error = NULL;
  char *out = export_to (p, version, format, name, &error, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static char *
read_text (const char *dir, const char *rel)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static json_t *
read_json (const char *dir, const char *rel)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  json_error_t jerror;
  json_t *root = json_load_file (path, JSON_REJECT_DUPLICATES, &jerror);

  if (root == NULL)
    g_error ("%s: %s", path, jerror.text);
  return root;
}

static void
list_files_rec (const char *root, const char *rel, GPtrArray *out)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_files_rec (root, child_rel, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child_rel));
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file under `dir`, relative, '/'-separated, sorted. */
static GPtrArray *
list_files (const char *dir)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  list_files_rec (dir, NULL, out);
  g_ptr_array_sort (out, compare_strings);
  return out;
}

static gboolean
is_text_output (const char *rel)
{
  static const char * const exts[] = { ".json", ".txt", ".xml", ".yaml", ".csv", NULL };

  if (g_str_equal (rel, LIMNER_MANIFEST_NAME))
    return FALSE;
  for (guint i = 0; exts[i] != NULL; i++)
    if (g_str_has_suffix (rel, exts[i]))
      return TRUE;
  return FALSE;
}

static gboolean
write_golden (void)
{
  return g_strcmp0 (g_getenv ("LIMNER_TEST_WRITE_GOLDEN"), "1") == 0;
}

/* Compares every text file of the export (not the manifest, which belongs to
 * the limner format's tests, nor the copied images) with tests/golden/FORMAT. */
static void
check_golden (const char *out, const char *format)
{
  g_autofree char *golden_dir = g_test_build_filename (G_TEST_DIST, "golden", format, NULL);
  g_autoptr(GPtrArray) files = list_files (out);
  g_autoptr(GPtrArray) golden = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  for (guint i = 0; i < files->len; i++)
    if (is_text_output (g_ptr_array_index (files, i)))
      g_ptr_array_add (texts, g_ptr_array_index (files, i));

  if (write_golden ())
    {
      test_rm_rf (golden_dir);
      for (guint i = 0; i < texts->len; i++)
        {
          const char *rel = g_ptr_array_index (texts, i);
          g_autofree char *text = read_text (out, rel);
          g_autofree char *dest = g_build_filename (golden_dir, rel, NULL);
          g_autofree char *parent = g_path_get_dirname (dest);
          g_autoptr(GError) error = NULL;

          g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
          g_assert_true (g_file_set_contents (dest, text, -1, &error));
        }
    }

  golden = list_files (golden_dir);
  g_assert_cmpuint (texts->len, ==, golden->len);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *rel = g_ptr_array_index (texts, i);
      g_autofree char *got = read_text (out, rel);
      g_autofree char *want = read_text (golden_dir, rel);

      g_assert_cmpstr (rel, ==, g_ptr_array_index (golden, i));
      if (g_strcmp0 (got, want) != 0)
        g_error ("%s/%s differs from tests/golden/%s/%s:\n--- got ---\n%s\n--- want ---\n%s",
                 out, rel, format, rel, got, want);
    }
}

static char *
sha8 (Project *p, gint64 image_id)
{
  g_autoptr(LimnerImageRecord) image = limner_store_get_image (p->store, image_id, NULL);

  return g_strndup (image->sha256, 8);
}

static gboolean
file_exists (const char *dir, const char *rel)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* A copied image holds the same bytes as the original. */
static void
assert_same_file (const char *a, const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  g_assert_cmpmem (x, nx, y, ny);
}

/* --- Golden files, checked by hand ---------------------------------------- */

static json_t *
find_by_int (json_t *array, const char *key, gint64 value)
{
  size_t i;
  json_t *item;

  json_array_foreach (array, i, item)
    if (json_integer_value (json_object_get (item, key)) == value)
      return item;
  return NULL;
}

static void
assert_json_numbers (json_t *array, guint n, const double *want)
{
  g_assert_true (json_is_array (array));
  g_assert_cmpuint (json_array_size (array), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (json_number_value (json_array_get (array, i)), ==, want[i]);
}

static void
test_golden_coco (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autofree char *out = export_ok (p, 0, "coco", "coco");
  g_autoptr(json_t) root = read_json (out, "annotations/instances_train.json");
  g_autofree char *sa = sha8 (p, p->img_a);
  g_autofree char *name_a = g_strdup_printf ("a-%s.png", sa);
  g_autofree char *src = g_build_filename (p->dir, "img", "a.png", NULL);
  g_autofree char *copy = g_strdup_printf ("%s/images/train/%s", out, name_a);
  json_t *images = json_object_get (root, "images");
  json_t *anns = json_object_get (root, "annotations");
  json_t *cats = json_object_get (root, "categories");
  json_t *image_a, *ann;
  gint64 id_a;

  check_golden (out, "coco");

  /* Draft marks. */
  g_assert_true (json_is_true (json_object_get (json_object_get (root, "info"), "draft")));
  g_assert_true (file_exists (out, "DRAFT.txt"));

  /* Categories: id = position + 1. */
  g_assert_cmpuint (json_array_size (cats), ==, 3);
  g_assert_cmpstr (json_string_value (json_object_get (find_by_int (cats, "id", 3), "name")), ==, "traffic light");

  /* Images sorted by path; the clashing names got their SHA-256 prefix. */
  g_assert_cmpuint (json_array_size (images), ==, 3);
  image_a = json_array_get (images, 0);
  g_assert_cmpstr (json_string_value (json_object_get (image_a, "file_name")), ==, name_a);
  g_assert_cmpint (json_integer_value (json_object_get (image_a, "width")), ==, 100);
  id_a = json_integer_value (json_object_get (image_a, "id"));
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  assert_same_file (src, copy);

  /* Four instances on a.png (the group is one), one on other/a.png, none for
   * the unlabelled box. */
  g_assert_cmpuint (json_array_size (anns), ==, 5);
  {
    /* The box (10.5, 20.25)-(30, 40.75): [x, y, w, h] = [10.5, 20.25, 19.5, 20.5]. */
    static const double bbox[] = { 10.5, 20.25, 19.5, 20.5 };

    ann = json_array_get (anns, 0);
    g_assert_cmpint (json_integer_value (json_object_get (ann, "image_id")), ==, id_a);
    g_assert_cmpint (json_integer_value (json_object_get (ann, "category_id")), ==, 1);
    assert_json_numbers (json_object_get (ann, "bbox"), 4, bbox);
    g_assert_cmpfloat (json_number_value (json_object_get (ann, "area")), ==, 19.5 * 20.5);
    g_assert_cmpuint (json_array_size (json_object_get (ann, "segmentation")), ==, 0);
    g_assert_cmpint (json_integer_value (json_object_get (ann, "iscrowd")), ==, 0);
  }
  {
    static const double bbox[] = { 50, 10, 40, 40 };
    static const double seg[] = { 50, 10, 90, 10, 70, 50 };

    ann = json_array_get (anns, 1);
    assert_json_numbers (json_object_get (ann, "bbox"), 4, bbox);
    g_assert_cmpfloat (json_number_value (json_object_get (ann, "area")), ==, 800);
    assert_json_numbers (json_array_get (json_object_get (ann, "segmentation"), 0), 6, seg);
  }
  {
    /* Group 1: one instance, two polygons, bbox = union, area = sum. */
    static const double bbox[] = { 0, 60, 30, 20 };

    ann = json_array_get (anns, 2);
    g_assert_cmpint (json_integer_value (json_object_get (ann, "category_id")), ==, 2);
    g_assert_cmpuint (json_array_size (json_object_get (ann, "segmentation")), ==, 2);
    assert_json_numbers (json_object_get (ann, "bbox"), 4, bbox);
    g_assert_cmpfloat (json_number_value (json_object_get (ann, "area")), ==, 250);
  }
  {
    ann = json_array_get (anns, 3);
    g_assert_cmpfloat (json_number_value (json_object_get (ann, "score")), ==, 0.75);
    g_assert_null (json_object_get (json_array_get (anns, 0), "score"));
  }
}

static void
test_golden_yolo (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autofree char *out = export_ok (p, 0, "yolo", "yolo");
  g_autofree char *sa = sha8 (p, p->img_a);
  g_autofree char *so = sha8 (p, p->other_a);
  g_autofree char *rel_a = g_strdup_printf ("labels/train/a-%s.txt", sa);
  g_autofree char *rel_o = g_strdup_printf ("labels/train/a-%s.txt", so);
  g_autofree char *img_a = g_strdup_printf ("images/train/a-%s.png", sa);
  g_autofree char *labels_a = read_text (out, rel_a);
  g_autofree char *labels_o = read_text (out, rel_o);
  g_autofree char *labels_b = read_text (out, "labels/train/b.txt");
  g_autofree char *yaml = read_text (out, "data.yaml");
  g_auto(GStrv) lines = g_strsplit (labels_a, "\n", -1);

  check_golden (out, "yolo");
  g_assert_true (file_exists (out, img_a));
  g_assert_true (file_exists (out, "images/train/b.png"));

  /* Box (10.5, 20.25)-(30, 40.75) in 100×80: centre (20.25, 30.5) / (100, 80),
   * size (19.5, 20.5) / (100, 80). */
  g_assert_cmpstr (lines[0], ==, "0 0.202500 0.381250 0.195000 0.256250");
  /* Triangle (50,10) (90,10) (70,50). */
  g_assert_cmpstr (lines[1], ==, "1 0.500000 0.125000 0.900000 0.125000 0.700000 0.625000");
  g_assert_cmpstr (lines[2], ==, "1 0.000000 0.750000 0.100000 0.750000 0.100000 1.000000 0.000000 1.000000");
  g_assert_cmpstr (lines[3], ==, "1 0.200000 0.750000 0.300000 0.750000 0.250000 0.875000");
  /* Prediction box (60.2, 55.5)-(99.9, 79.1). */
  g_assert_cmpstr (lines[4], ==, "0 0.800500 0.841250 0.397000 0.295000");
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_cmpstr (labels_o, ==, "2 0.500000 0.500000 1.000000 1.000000\n");
  g_assert_cmpstr (labels_b, ==, "");

  g_assert_nonnull (strstr (yaml, "# DRAFT"));
  g_assert_nonnull (strstr (yaml, "names:\n  0: \"cat\"\n  1: \"dog\"\n  2: \"traffic light\"\n"));
  g_assert_nonnull (strstr (yaml, "train: images/train\nval: images/train\n"));
  g_assert_null (strstr (yaml, "test:"));
}

static void
test_golden_voc (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autofree char *out = export_ok (p, 0, "voc", "voc");
  g_autofree char *sa = sha8 (p, p->img_a);
  g_autofree char *so = sha8 (p, p->other_a);
  g_autofree char *rel_a = g_strdup_printf ("Annotations/a-%s.xml", sa);
  g_autofree char *rel_o = g_strdup_printf ("Annotations/a-%s.xml", so);
  g_autofree char *xml_a = read_text (out, rel_a);
  g_autofree char *xml_o = read_text (out, rel_o);
  g_autofree char *list = read_text (out, "ImageSets/Main/train.txt");
  g_autofree char *want_list = g_strdup_printf ("a-%s\nb\na-%s\n", sa, so);

  check_golden (out, "voc");

  /* (10.5, 20.25)-(30, 40.75): xmin = floor(10.5)+1 = 11, ymin = floor(20.25)+1 = 21,
   * xmax = ceil(30) = 30, ymax = ceil(40.75) = 41. */
  g_assert_nonnull (strstr (xml_a, "<name>cat</name>"));
  g_assert_nonnull (strstr (xml_a, "<xmin>11</xmin>\n      <ymin>21</ymin>\n      <xmax>30</xmax>\n      <ymax>41</ymax>"));
  /* The triangle by its bbox (50, 10)-(90, 50). */
  g_assert_nonnull (strstr (xml_a, "<xmin>51</xmin>\n      <ymin>11</ymin>\n      <xmax>90</xmax>\n      <ymax>50</ymax>"));
  /* (60.2, 55.5)-(99.9, 79.1) -> 61 56 100 80. */
  g_assert_nonnull (strstr (xml_a, "<xmin>61</xmin>\n      <ymin>56</ymin>\n      <xmax>100</xmax>\n      <ymax>80</ymax>"));
  /* The whole 40×30 image: 1 1 40 30. */
  g_assert_nonnull (strstr (xml_o, "<name>traffic light</name>"));
  g_assert_nonnull (strstr (xml_o, "<xmin>1</xmin>\n      <ymin>1</ymin>\n      <xmax>40</xmax>\n      <ymax>30</ymax>"));
  g_assert_nonnull (strstr (xml_o, "<width>40</width>\n    <height>30</height>"));
  g_assert_cmpstr (list, ==, want_list);
}

static void
test_golden_labelme (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autofree char *out = export_ok (p, 0, "labelme", "labelme");
  g_autofree char *sa = sha8 (p, p->img_a);
  g_autofree char *rel = g_strdup_printf ("train/a-%s.json", sa);
  g_autofree char *img = g_strdup_printf ("a-%s.png", sa);
  g_autoptr(json_t) root = read_json (out, rel);
  g_autoptr(json_t) b = read_json (out, "train/b.json");
  json_t *shapes = json_object_get (root, "shapes");
  json_t *s;

  check_golden (out, "labelme");
  g_assert_cmpstr (json_string_value (json_object_get (root, "version")), ==, "5.2.1");
  g_assert_cmpstr (json_string_value (json_object_get (root, "imagePath")), ==, img);
  g_assert_true (json_is_null (json_object_get (root, "imageData")));
  g_assert_cmpint (json_integer_value (json_object_get (root, "imageWidth")), ==, 100);
  g_assert_cmpint (json_integer_value (json_object_get (root, "imageHeight")), ==, 80);
  g_assert_true (file_exists (out, "train/b.png"));
  g_assert_cmpuint (json_array_size (json_object_get (b, "shapes")), ==, 0);

  g_assert_cmpuint (json_array_size (shapes), ==, 5);
  s = json_array_get (shapes, 0);
  g_assert_cmpstr (json_string_value (json_object_get (s, "shape_type")), ==, "rectangle");
  g_assert_cmpuint (json_array_size (json_object_get (s, "points")), ==, 2);
  g_assert_cmpfloat (json_number_value (json_array_get (json_array_get (json_object_get (s, "points"), 1), 1)), ==, 40.75);
  g_assert_true (json_is_null (json_object_get (s, "group_id")));
  s = json_array_get (shapes, 2);
  g_assert_cmpstr (json_string_value (json_object_get (s, "shape_type")), ==, "polygon");
  g_assert_cmpint (json_integer_value (json_object_get (s, "group_id")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (shapes, 3), "group_id")), ==, 1);
  g_assert_cmpfloat (json_number_value (json_object_get (json_array_get (shapes, 4), "score")), ==, 0.75);
}

static void
test_golden_csv (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autofree char *out = export_ok (p, 0, "csv", "csv");
  g_autofree char *sa = sha8 (p, p->img_a);
  g_autofree char *so = sha8 (p, p->other_a);
  g_autofree char *csv = read_text (out, "boxes.csv");
  g_autofree char *want = g_strdup_printf (
    "image,label,x0,y0,x1,y1,source,score\n"
    "images/train/a-%s.png,cat,10.5,20.25,30,40.75,manual,1\n"
    "images/train/a-%s.png,dog,50,10,90,50,manual,1\n"
    "images/train/a-%s.png,dog,0,60,10,80,manual,1\n"
    "images/train/a-%s.png,dog,20,60,30,70,manual,1\n"
    "images/train/a-%s.png,cat,60.2,55.5,99.9,79.1,prediction,0.75\n"
    "images/train/a-%s.png,traffic light,0,0,40,30,manual,1\n",
    sa, sa, sa, sa, sa, so);

  check_golden (out, "csv");
  g_assert_cmpstr (csv, ==, want);
}

/* A published version: no draft marks, and the version in COCO's info. */
static void
test_version_marks (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autoptr(GError) error = NULL;
  g_autofree char *coco = NULL;
  g_autofree char *yolo = NULL;
  g_autofree char *yaml = NULL;
  g_autoptr(json_t) root = NULL;
  json_t *info;

  g_assert_cmpint (limner_store_publish (p->store, "v1", LIMNER_PUBLISH_ALL, &error), ==, 1);
  g_assert_no_error (error);
  coco = export_ok (p, 1, "coco", "coco-v1");
  yolo = export_ok (p, 1, "yolo", "yolo-v1");
  root = read_json (coco, "annotations/instances_train.json");
  info = json_object_get (root, "info");
  g_assert_true (json_is_false (json_object_get (info, "draft")));
  g_assert_cmpstr (json_string_value (json_object_get (info, "version")), ==, "1");
  g_assert_nonnull (json_object_get (info, "date_created"));
  g_assert_false (file_exists (coco, "DRAFT.txt"));
  g_assert_false (file_exists (yolo, "DRAFT.txt"));
  yaml = read_text (yolo, "data.yaml");
  g_assert_null (strstr (yaml, "DRAFT"));
  g_assert_nonnull (strstr (yaml, "version 1"));
}

/* Same dataset, same options: the same bytes. */
static void
test_reexport_identical (void)
{
  g_autoptr(Project) p = golden_project ();
  const char *formats[] = { "coco", "yolo", "voc", "labelme", "csv" };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *n1 = g_strdup_printf ("%s-1", formats[f]);
      g_autofree char *n2 = g_strdup_printf ("%s-2", formats[f]);
      g_autofree char *a = export_to (p, 0, formats[f], n1, &error, "split", "0.5,0.5", "seed", "9", NULL);
      g_autofree char *b = export_to (p, 0, formats[f], n2, &error, "split", "0.5,0.5", "seed", "9", NULL);
      g_autoptr(GPtrArray) fa = list_files (a);
      g_autoptr(GPtrArray) fb = list_files (b);

      g_assert_no_error (error);
      g_assert_cmpuint (fa->len, ==, fb->len);
      for (guint i = 0; i < fa->len; i++)
        {
          g_autofree char *pa = g_build_filename (a, g_ptr_array_index (fa, i), NULL);
          g_autofree char *pb = g_build_filename (b, g_ptr_array_index (fb, i), NULL);

          g_assert_cmpstr (g_ptr_array_index (fa, i), ==, g_ptr_array_index (fb, i));
          assert_same_file (pa, pb);
        }
    }
}

/* --- Options and split ---------------------------------------------------- */

static void
test_bad_options (void)
{
  g_autoptr(Project) p = golden_project ();
  static const char * const bad[][2] = {
    { "split", "0.8,0.1" },
    { "split", "0.5,0.6,-0.1" },
    { "split", "abc" },
    { "split", "0,1" },
    { "seed", "x" },
    { "augment", "rot45" },
    { "images", "link" },
    { "colour", "red" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = export_to (p, 0, "coco", "bad", &error, bad[i][0], bad[i][1], NULL);

      g_assert_null (out);
      g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = export_to (p, 0, "yolo", "bad", &error, "images", "none", "augment", "rot90", NULL);

    g_assert_null (out);
    g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = export_to (p, 0, "yolo", "bad", &error, "task", "pose", NULL);

    g_assert_null (out);
    g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION);
  }
}

/* An image file changed after it was registered: the export refuses to copy
 * it rather than ship bytes the version does not name. */
static void
test_changed_image_refused (void)
{
  g_autoptr(Project) p = golden_project ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (p->dir, "img", "b.png", NULL);
  g_autofree char *out = NULL;

  g_assert_true (g_file_set_contents (path, "changed", -1, NULL));
  out = export_to (p, 0, "yolo", "changed", &error, NULL);
  g_assert_null (out);
  g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "img/b.png"));
  /* Without copies the annotations alone still export. */
  g_clear_error (&error);
  out = export_to (p, 0, "yolo", "changed2", &error, "images", "none", NULL);
  g_assert_no_error (error);
  g_assert_false (file_exists (out, "images/train/b.png"));
  g_assert_true (file_exists (out, "labels/train/b.txt"));
}

static void
test_split (void)
{
  g_autoptr(Project) p = project_new_empty ("Split");
  g_autoptr(GError) error = NULL;
  static const double ratios[] = { 0.7, 0.2, 0.1 };
  guint counts[LIMNER_N_SPLITS] = { 0 };
  guint moved = 0;
  const guint n = 400;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *yaml = NULL;

  add_label (p, "thing");
  /* Records only: with images=none nothing reads the files. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *rel = g_strdup_printf ("img/%03u.png", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, rel, -1);

      g_assert_cmpint (limner_store_add_image (p->store, rel, sha, 1, 10, 10, "png", &error), >, 0);
      g_assert_no_error (error);
      counts[limner_split_for_image (sha, 5, ratios)]++;
      if (limner_split_for_image (sha, 5, ratios) != limner_split_for_image (sha, 6, ratios))
        moved++;
    }
  /* Roughly the fractions asked for, and another seed gives another split. */
  g_assert_cmpuint (counts[LIMNER_SPLIT_TRAIN], >, n * 0.6);
  g_assert_cmpuint (counts[LIMNER_SPLIT_TRAIN], <, n * 0.8);
  g_assert_cmpuint (counts[LIMNER_SPLIT_VAL], >, n * 0.12);
  g_assert_cmpuint (counts[LIMNER_SPLIT_VAL], <, n * 0.28);
  g_assert_cmpuint (counts[LIMNER_SPLIT_TEST], >, n * 0.04);
  g_assert_cmpuint (counts[LIMNER_SPLIT_TEST], <, n * 0.16);
  g_assert_cmpuint (moved, >, n / 10);

  out1 = export_to (p, 0, "yolo", "s1", &error, "split", "0.7,0.2,0.1", "seed", "5", "images", "none", NULL);
  out2 = export_to (p, 0, "yolo", "s2", &error, "split", "0.7, 0.2, 0.1", "seed", "5", "images", "none", NULL);
  out3 = export_to (p, 0, "voc", "s3", &error, "split", "0.7,0.2,0.1", "seed", "5", "images", "none", NULL);
  g_assert_no_error (error);
  for (guint s = 0; s < LIMNER_N_SPLITS; s++)
    {
      g_autofree char *dir1 = g_strdup_printf ("%s/labels/%s", out1, limner_split_to_string (s));
      g_autofree char *dir2 = g_strdup_printf ("%s/labels/%s", out2, limner_split_to_string (s));
      g_autofree char *list_rel = g_strdup_printf ("ImageSets/Main/%s.txt", limner_split_to_string (s));
      g_autofree char *list = read_text (out3, list_rel);
      g_autoptr(GPtrArray) f1 = list_files (dir1);
      g_autoptr(GPtrArray) f2 = list_files (dir2);

      /* Same seed, same split; the export agrees with limner_split_for_image(). */
      g_assert_cmpuint (f1->len, ==, counts[s]);
      g_assert_cmpuint (f2->len, ==, counts[s]);
      for (guint i = 0; i < f1->len; i++)
        g_assert_cmpstr (g_ptr_array_index (f1, i), ==, g_ptr_array_index (f2, i));
      /* The VOC lists hold the same images. */
      for (guint i = 0; i < f1->len; i++)
        {
          g_autofree char *stem = g_strndup (g_ptr_array_index (f1, i), 3);
          g_autofree char *line = g_strdup_printf ("%s\n", stem);

          g_assert_nonnull (strstr (list, line));
        }
    }
  yaml = read_text (out1, "data.yaml");
  g_assert_nonnull (strstr (yaml, "train: images/train\nval: images/val\ntest: images/test\n"));
}

/* --- Augmentation against pixels ------------------------------------------ */

#define AUG_W 64
#define AUG_H 48

/* A black PNG with a white rectangle covering pixels [x0, x1) × [y0, y1). */
static void
write_rect_png (const char *path, int x0, int y0, int x1, int y1)
{
  g_autofree guint8 *pixels = g_malloc0 (AUG_W * AUG_H);
  g_autoptr(VipsImage) image = NULL;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      pixels[y * AUG_W + x] = 255;
  image = vips_image_new_from_memory_copy (pixels, AUG_W * AUG_H, AUG_W, AUG_H, 1, VIPS_FORMAT_UCHAR);
  g_assert_nonnull (image);
  g_assert_cmpint (vips_pngsave (image, path, NULL), ==, 0);
}

/* The bounds of the bright pixels, in pixel-corner coordinates. */
static LimnerRect
bright_bounds (const char *path, int *width, int *height)
{
  g_autoptr(VipsImage) image = vips_image_new_from_file (path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
  g_autoptr(VipsImage) band = NULL;
  LimnerRect r = limner_rect_empty ();
  VipsPel *data;
  size_t len;

  g_assert_nonnull (image);
  g_assert_cmpint (vips_extract_band (image, &band, 0, NULL), ==, 0);
  data = vips_image_write_to_memory (band, &len);
  g_assert_nonnull (data);
  *width = band->Xsize;
  *height = band->Ysize;
  g_assert_cmpuint (len, ==, (gsize) band->Xsize * band->Ysize);
  for (int y = 0; y < band->Ysize; y++)
    for (int x = 0; x < band->Xsize; x++)
      if (data[y * band->Xsize + x] > 128)
        {
          LimnerRect px = { x, y, x + 1, y + 1 };

          limner_rect_union (&r, &px);
        }
  g_free (data);
  return r;
}

static void
test_augment_pixels (void)
{
  g_autoptr(Project) p = project_new_empty ("Augment");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (p->dir, "scene.png", NULL);
  static const double box[] = { 10, 5, 25, 15 };
  static const double tri[] = { 30, 20, 60, 20, 45, 45 };
  g_autofree char *coco = NULL;
  g_autofree char *voc = NULL;
  g_autoptr(json_t) root = NULL;
  json_t *images, *anns, *image;
  size_t i;
  guint seen = 0;
  gint64 cat, dog, id;

  cat = add_label (p, "cat");
  dog = add_label (p, "dog");
  write_rect_png (path, 10, 5, 25, 15);
  id = register_image (p, "scene.png", AUG_W, AUG_H);
  add_shape (p, id, cat, LIMNER_SHAPE_BOX, 0, LIMNER_SOURCE_MANUAL, 1, 4, box);
  add_shape (p, id, dog, LIMNER_SHAPE_POLYGON, 0, LIMNER_SOURCE_MANUAL, 1, 6, tri);

  coco = export_to (p, 0, "coco", "aug-coco", &error,
                    "augment", "rot270,flip-h,rot90,flip-v,rot180", "split", "0.5,0.5", "seed", "1", NULL);
  g_assert_no_error (error);
  voc = export_to (p, 0, "voc", "aug-voc", &error, "augment", "flip-h,flip-v,rot90,rot180,rot270", NULL);
  g_assert_no_error (error);

  /* One image: it and its copies are all in train or all in val. */
  root = read_json (coco, "annotations/instances_train.json");
  if (json_array_size (json_object_get (root, "images")) == 0)
    {
      g_clear_pointer (&root, json_decref);
      root = read_json (coco, "annotations/instances_val.json");
    }
  images = json_object_get (root, "images");
  anns = json_object_get (root, "annotations");
  /* The original and five copies, all in the original's split. */
  g_assert_cmpuint (json_array_size (images), ==, 6);
  g_assert_cmpuint (json_array_size (anns), ==, 12);

  json_array_foreach (images, i, image)
    {
      const char *name = json_string_value (json_object_get (image, "file_name"));
      const char *transform = json_string_value (json_object_get (image, "transform"));
      gint64 image_id = json_integer_value (json_object_get (image, "id"));
      g_autofree char *file = NULL;
      g_autofree char *voc_rel = NULL;
      g_autofree char *voc_xml = NULL;
      g_autofree char *voc_box = NULL;
      g_autofree char *stem = g_strndup (name, strrchr (name, '.') - name);
      LimnerTransform t = LIMNER_TRANSFORM_IDENTITY;
      LimnerRect bright;
      int w, h;
      size_t k;
      json_t *ann;
      gboolean found_box = FALSE, found_tri = FALSE;

      if (transform != NULL)
        g_assert_true (limner_transform_from_option (transform, &t));
      {
        g_autofree char *a = g_build_filename (coco, "images", "train", name, NULL);
        g_autofree char *b = g_build_filename (coco, "images", "val", name, NULL);

        file = g_strdup (g_file_test (a, G_FILE_TEST_IS_REGULAR) ? a : b);
        g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      }
      bright = bright_bounds (file, &w, &h);
      g_assert_cmpint (w, ==, json_integer_value (json_object_get (image, "width")));
      g_assert_cmpint (h, ==, json_integer_value (json_object_get (image, "height")));

      json_array_foreach (anns, k, ann)
        {
          json_t *bbox = json_object_get (ann, "bbox");

          if (json_integer_value (json_object_get (ann, "image_id")) != image_id)
            continue;
          if (json_integer_value (json_object_get (ann, "category_id")) == 1)
            {
              /* The transformed box bounds exactly the rectangle's pixels. */
              double want[4] = { bright.x0, bright.y0, bright.x1 - bright.x0, bright.y1 - bright.y0 };

              assert_json_numbers (bbox, 4, want);
              found_box = TRUE;
            }
          else
            {
              /* The triangle's vertices map by the formulas of limner-geometry.h. */
              double want[6];

              memcpy (want, tri, sizeof tri);
              limner_points_transform (want, 3, t, AUG_W, AUG_H);
              assert_json_numbers (json_array_get (json_object_get (ann, "segmentation"), 0), 6, want);
              found_tri = TRUE;
            }
        }
      g_assert_true (found_box && found_tri);

      /* VOC: 1-based inclusive pixel indices of the same rectangle. */
      voc_rel = g_strdup_printf ("Annotations/%s.xml", stem);
      voc_xml = read_text (voc, voc_rel);
      voc_box = g_strdup_printf ("<xmin>%d</xmin>\n      <ymin>%d</ymin>\n      <xmax>%d</xmax>\n      <ymax>%d</ymax>",
                                 (int) bright.x0 + 1, (int) bright.y0 + 1, (int) bright.x1, (int) bright.y1);
      g_assert_nonnull (strstr (voc_xml, voc_box));
      seen |= 1u << t;
    }
  g_assert_cmpuint (seen, ==, (1u << LIMNER_TRANSFORM_IDENTITY) | (1u << LIMNER_TRANSFORM_FLIP_H)
                               | (1u << LIMNER_TRANSFORM_FLIP_V) | (1u << LIMNER_TRANSFORM_ROTATE_90)
                               | (1u << LIMNER_TRANSFORM_ROTATE_180) | (1u << LIMNER_TRANSFORM_ROTATE_270));
}

/* --- Round trips ---------------------------------------------------------- */

/* A second project with the same image files and labels, no shapes. */
static Project *
twin_project (Project *p)
{
  Project *q = project_new_empty ("Twin");
  g_autoptr(GPtrArray) images = limner_store_list_images (p->store, NULL);
  g_autoptr(GPtrArray) labels = limner_store_list_labels (p->store, NULL);

  for (guint i = 0; i < labels->len; i++)
    add_label (q, ((LimnerLabel *) g_ptr_array_index (labels, i))->name);
  for (guint i = 0; i < images->len; i++)
    {
      LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *abs = limner_store_resolve_path (p->store, image->path);

      register_image (q, abs, image->width, image->height);
    }
  return q;
}

typedef struct {
  char            *label;
  LimnerShapeKind  kind;
  double           p[16];
  guint            n;
  gint64           group;
  LimnerShapeSource source;
  double           score;
} Flat;

static int
compare_flat (gconstpointer a, gconstpointer b)
{
  const Flat *x = *(const Flat * const *) a;
  const Flat *y = *(const Flat * const *) b;
  int c = strcmp (x->label, y->label);

  if (c != 0)
    return c;
  if (x->kind != y->kind)
    return x->kind - y->kind;
  if (fabs (x->p[0] - y->p[0]) > 1e-3)
    return x->p[0] < y->p[0] ? -1 : 1;
  if (fabs (x->p[1] - y->p[1]) > 1e-3)
    return x->p[1] < y->p[1] ? -1 : 1;
  return 0;
}

static void
flat_free (Flat *f)
{
  g_free (f->label);
  g_free (f);
}

typedef enum { KEEP, BOXES_VOC } Expect;

/* The labelled shapes of the image with `sha`, as the format should give them back. */
static GPtrArray *
flat_shapes (Project *p, const char *sha, Expect expect, gboolean keep_groups)
{
  g_autoptr(LimnerImageRecord) image = limner_store_find_image_by_sha256 (p->store, sha, NULL);
  g_autoptr(GPtrArray) shapes = limner_store_list_shapes (p->store, image->id, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) flat_free);

  for (guint i = 0; i < shapes->len; i++)
    {
      LimnerShape *s = g_ptr_array_index (shapes, i);
      g_autoptr(LimnerLabel) label = NULL;
      Flat *f;

      if (s->label_id == 0)
        continue;
      label = limner_store_get_label (p->store, s->label_id, NULL);
      f = g_new0 (Flat, 1);
      f->label = g_strdup (label->name);
      f->kind = s->kind;
      f->group = keep_groups ? s->group_id : 0;
      f->source = s->source;
      f->score = s->score;
      if (expect == BOXES_VOC)
        {
          LimnerRect r = limner_shape_bbox (s);

          f->kind = LIMNER_SHAPE_BOX;
          f->n = 4;
          f->p[0] = floor (r.x0);
          f->p[1] = floor (r.y0);
          f->p[2] = ceil (r.x1);
          f->p[3] = ceil (r.y1);
        }
      else
        {
          f->n = s->points->len;
          memcpy (f->p, s->points->data, f->n * sizeof (double));
        }
      g_ptr_array_add (out, f);
    }
  g_ptr_array_sort (out, compare_flat);
  return out;
}

static void
assert_same_shapes (GPtrArray *want, GPtrArray *got, double tolerance)
{
  g_assert_cmpuint (want->len, ==, got->len);
  for (guint i = 0; i < want->len; i++)
    {
      Flat *w = g_ptr_array_index (want, i);
      Flat *g = g_ptr_array_index (got, i);

      g_assert_cmpstr (w->label, ==, g->label);
      g_assert_cmpint (w->kind, ==, g->kind);
      g_assert_cmpuint (w->n, ==, g->n);
      for (guint k = 0; k < w->n; k++)
        if (tolerance == 0)
          g_assert_cmpfloat (w->p[k], ==, g->p[k]);
        else
          g_assert_cmpfloat_with_epsilon (w->p[k], g->p[k], tolerance);
      /* Groups: the same shapes together, whatever the ids. */
      for (guint j = 0; j < want->len; j++)
        {
          Flat *w2 = g_ptr_array_index (want, j);
          Flat *g2 = g_ptr_array_index (got, j);

          g_assert_cmpint (w->group != 0 && w->group == w2->group, ==, g->group != 0 && g->group == g2->group);
        }
    }
}

static LimnerAnnotationImportReport *
import_ok (Project *p, const char *path, LimnerAnnotationFormat format, gboolean predictions)
{
  g_autoptr(GError) error = NULL;
  LimnerAnnotationImportOptions options = { format, predictions, FALSE, 0, NULL };
  LimnerAnnotationImportReport *report = limner_import_annotations (p->store, path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->files->len; i++)
    {
      LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, i);

      if (!fr->ok)
        g_error ("%s", fr->error);
    }
  return report;
}

static void
round_trip (const char *format, LimnerAnnotationFormat import_format, Expect expect,
            gboolean groups, double tolerance)
{
  g_autoptr(Project) p = golden_project ();
  g_autoptr(Project) q = twin_project (p);
  g_autoptr(GPtrArray) images = limner_store_list_images (p->store, NULL);
  g_autofree char *out = export_ok (p, 0, format, format);
  g_autoptr(LimnerAnnotationImportReport) report = import_ok (q, out, import_format, FALSE);
  g_autoptr(LimnerAnnotationImportReport) again = NULL;

  g_assert_cmpuint (report->n_imported, ==, 6);
  g_assert_cmpuint (report->n_clamped, ==, 0);
  for (guint i = 0; i < images->len; i++)
    {
      LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autoptr(GPtrArray) want = flat_shapes (p, image->sha256, expect, groups);
      g_autoptr(GPtrArray) got = flat_shapes (q, image->sha256, KEEP, TRUE);

      assert_same_shapes (want, got, tolerance);
      for (guint k = 0; k < got->len; k++)
        g_assert_cmpint (((Flat *) g_ptr_array_index (got, k))->source, ==, LIMNER_SOURCE_IMPORTED);
    }

  /* Importing the same files again adds nothing. */
  again = import_ok (q, out, import_format, FALSE);
  g_assert_cmpuint (again->n_imported, ==, 0);
  g_assert_cmpint (limner_store_count_shapes (q->store), ==, 6);
}

static void
test_round_trip_labelme (void)
{
  round_trip ("labelme", LIMNER_ANNOTATION_FORMAT_LABELME, KEEP, TRUE, 0);
}

static void
test_round_trip_coco (void)
{
  /* [x, y, w, h] and back may differ from the corners in the last bit. */
  round_trip ("coco", LIMNER_ANNOTATION_FORMAT_COCO, KEEP, TRUE, 1e-9);
}

static void
test_round_trip_yolo (void)
{
  /* Six decimals of a fraction of 100 px: within 5e-5 px. YOLO has no groups. */
  round_trip ("yolo", LIMNER_ANNOTATION_FORMAT_YOLO, KEEP, FALSE, 1e-4);
}

static void
test_round_trip_voc (void)
{
  /* Integer pixel boxes: polygons come back as their bounding boxes. */
  round_trip ("voc", LIMNER_ANNOTATION_FORMAT_VOC, BOXES_VOC, FALSE, 0);
}

/* Predictions keep their scores through COCO, labelme and VOC. */
static void
test_round_trip_predictions (void)
{
  const char *formats[] = { "coco", "labelme", "voc" };
  const LimnerAnnotationFormat imports[] = { LIMNER_ANNOTATION_FORMAT_COCO, LIMNER_ANNOTATION_FORMAT_LABELME,
                                             LIMNER_ANNOTATION_FORMAT_VOC };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(Project) p = golden_project ();
      g_autoptr(Project) q = twin_project (p);
      g_autofree char *out = export_ok (p, 0, formats[f], formats[f]);
      g_autoptr(LimnerAnnotationImportReport) report = import_ok (q, out, imports[f], TRUE);
      g_autoptr(LimnerImageRecord) a = limner_store_get_image (p->store, p->img_a, NULL);
      g_autoptr(GPtrArray) got = flat_shapes (q, a->sha256, KEEP, TRUE);
      guint scored = 0;

      for (guint i = 0; i < got->len; i++)
        {
          Flat *s = g_ptr_array_index (got, i);

          g_assert_cmpint (s->source, ==, LIMNER_SOURCE_PREDICTION);
          if (s->score != 1)
            {
              g_assert_cmpfloat (s->score, ==, 0.75);
              scored++;
            }
        }
      g_assert_cmpuint (scored, ==, 1);
    }
}

/* --- Importer: what is skipped, clamped and created ----------------------- */

static Project *
import_project (void)
{
  Project *p = golden_project ();

  g_autofree char *dir = g_build_filename (p->tmp, "in", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return p;
}

static char *
write_input (Project *p, const char *name, const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (p->tmp, "in", name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, content, -1, &error));
  return path;
}

static LimnerAnnotationImportReport *
import_file (Project *p, const char *path, LimnerAnnotationFormat format, gboolean predictions,
             gboolean create_labels)
{
  g_autoptr(GError) error = NULL;
  LimnerAnnotationImportOptions options = { format, predictions, create_labels, 0, NULL };
  LimnerAnnotationImportReport *report = limner_import_annotations (p->store, path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->files->len, ==, 1);
  return report;
}

static void
test_import_skips_and_clamps (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = write_input (p, "b.json",
    "{\"version\": \"5.2.1\", \"flags\": {}, \"imagePath\": \"b.png\", \"imageData\": null,\n"
    " \"imageWidth\": 60, \"imageHeight\": 40, \"shapes\": [\n"
    "  {\"label\": \"cat\", \"points\": [[-2, 3], [20, 45]], \"shape_type\": \"rectangle\", \"group_id\": null},\n"
    "  {\"label\": \"dog\", \"points\": [[10, 10], [20, 10], [15, 20]], \"shape_type\": \"polygon\", \"group_id\": 0},\n"
    "  {\"label\": \"dog\", \"points\": [[30, 10], [40, 10], [35, 20]], \"shape_type\": \"polygon\", \"group_id\": 0},\n"
    "  {\"label\": \"cat\", \"points\": [[1, 1], [5, 5]], \"shape_type\": \"line\", \"group_id\": null},\n"
    "  {\"label\": \"cat\", \"points\": [[1, 1], [5, 5]], \"shape_type\": \"circle\", \"group_id\": null},\n"
    "  {\"label\": \"cat\", \"points\": [[1, 1]], \"shape_type\": \"point\", \"group_id\": null},\n"
    "  {\"label\": \"cat\", \"points\": [[50, 30], [58, 30], [58, 38], [50, 38]], \"shape_type\": \"rectangle\"},\n"
    "  {\"label\": \"cat\", \"points\": [[70, 50], [90, 60]], \"shape_type\": \"rectangle\"}\n"
    "]}\n");
  g_autoptr(LimnerAnnotationImportReport) report = import_file (p, path, LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE);
  LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, 0);
  g_autoptr(GPtrArray) shapes = limner_store_list_shapes (p->store, p->img_b, NULL);
  g_autofree char *json = limner_annotation_import_report_to_json (report);
  const double *q;

  g_assert_true (fr->ok);
  g_assert_null (fr->error);
  /* The clamped box, two grouped polygons, the four-corner rectangle. */
  g_assert_cmpuint (fr->n_imported, ==, 4);
  g_assert_cmpuint (fr->n_clamped, ==, 1);
  g_assert_cmpuint (fr->n_images, ==, 1);
  /* line, circle, point, and a box wholly outside the 60×40 image. */
  g_assert_cmpuint (fr->skipped->len, ==, 4);
  g_assert_nonnull (strstr (g_ptr_array_index (fr->skipped, 0), "b.json: shape 4: labelme “line”"));
  g_assert_nonnull (strstr (g_ptr_array_index (fr->skipped, 1), "shape 5: labelme “circle”"));
  g_assert_nonnull (strstr (g_ptr_array_index (fr->skipped, 3), "shape 8"));
  g_assert_nonnull (strstr (json, "\"clamped\": 1"));

  g_assert_cmpuint (shapes->len, ==, 5); /* with the unlabelled box already there */
  q = (const double *) ((LimnerShape *) g_ptr_array_index (shapes, 1))->points->data;
  g_assert_cmpfloat (q[0], ==, 0);
  g_assert_cmpfloat (q[1], ==, 3);
  g_assert_cmpfloat (q[2], ==, 20);
  g_assert_cmpfloat (q[3], ==, 40);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes, 1))->source, ==, LIMNER_SOURCE_IMPORTED);
  /* labelme group 0 is a group: both polygons share a fresh id. */
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes, 2))->group_id, !=, 0);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes, 2))->group_id, ==,
                   ((LimnerShape *) g_ptr_array_index (shapes, 3))->group_id);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (shapes, 4))->kind, ==, LIMNER_SHAPE_BOX);
}

static void
test_import_unmatched_image (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = write_input (p, "x.xml",
    "<annotation><filename>nowhere.jpg</filename><object><name>cat</name>"
    "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>");
  g_autoptr(LimnerAnnotationImportReport) report = import_file (p, path, LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE);
  LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, 0);

  g_assert_true (fr->ok);
  g_assert_cmpuint (fr->n_imported, ==, 0);
  g_assert_cmpuint (fr->skipped->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fr->skipped, 0), "nowhere.jpg"));
}

static void
test_import_create_labels (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = write_input (p, "data.yaml", "names: [cat, zebra]\n");
  g_autofree char *label_file = write_input (p, "b.txt", "1 0.5 0.5 0.2 0.2 0.9\n");
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(LimnerLabel) zebra = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerAnnotationFileReport *fr;
  LimnerShape *s;

  /* Without --create-labels the file fails and names the label. */
  report = import_file (p, label_file, LIMNER_ANNOTATION_FORMAT_YOLO, TRUE, FALSE);
  fr = g_ptr_array_index (report->files, 0);
  g_assert_false (fr->ok);
  g_assert_nonnull (strstr (fr->error, "b.txt: line 1"));
  g_assert_nonnull (strstr (fr->error, "zebra"));
  g_clear_pointer (&report, limner_annotation_import_report_free);

  report = import_file (p, label_file, LIMNER_ANNOTATION_FORMAT_YOLO, TRUE, TRUE);
  fr = g_ptr_array_index (report->files, 0);
  g_assert_true (fr->ok);
  g_assert_cmpuint (fr->labels_created->len, ==, 1);
  zebra = limner_store_find_label (p->store, "zebra", NULL);
  g_assert_nonnull (zebra);
  shapes = limner_store_list_shapes (p->store, p->img_b, NULL);
  s = g_ptr_array_index (shapes, shapes->len - 1);
  g_assert_cmpint (s->label_id, ==, zebra->id);
  g_assert_cmpint (s->source, ==, LIMNER_SOURCE_PREDICTION);
  g_assert_cmpfloat (s->score, ==, 0.9);
  /* Centre (30, 20), size (12, 8) in the 60×40 image. */
  g_assert_cmpfloat_with_epsilon (g_array_index (s->points, double, 0), 24, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_array_index (s->points, double, 1), 16, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_array_index (s->points, double, 2), 36, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_array_index (s->points, double, 3), 24, 1e-9);
  (void) path;
}

/* --- Importer: bad input leaves the project as it was --------------------- */

typedef struct {
  gint64 shapes;
  guint  labels;
  guint  events;
} Counts;

static Counts
counts (Project *p)
{
  g_autoptr(GPtrArray) labels = limner_store_list_labels (p->store, NULL);
  g_autoptr(GPtrArray) events = limner_store_list_events (p->store, 0, 0, NULL);
  Counts c = { limner_store_count_shapes (p->store), labels->len, events->len };

  return c;
}

/* Imports `content` as `name` and expects the file to fail with an error
 * holding each of the NULL-terminated fragments, and no change at all. */
static void
expect_failure (LimnerAnnotationFormat format, gboolean predictions, gboolean create_labels,
                const char *name, const char *content, ...)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = NULL;
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  LimnerAnnotationFileReport *fr;
  Counts before = counts (p), after;
  const char *fragment;
  va_list ap;

  if (format == LIMNER_ANNOTATION_FORMAT_YOLO)
    g_free (write_input (p, "data.yaml", "names:\n  - cat\n  - dog\n"));
  path = write_input (p, name, content);
  report = import_file (p, path, format, predictions, create_labels);
  fr = g_ptr_array_index (report->files, 0);
  g_assert_false (fr->ok);
  g_assert_cmpuint (fr->n_imported, ==, 0);
  g_assert_cmpuint (report->n_files_failed, ==, 1);
  g_test_message ("%s", fr->error);
  g_assert_true (g_str_has_prefix (fr->error, name));
  va_start (ap, content);
  while ((fragment = va_arg (ap, const char *)) != NULL)
    if (strstr (fr->error, fragment) == NULL)
      g_error ("“%s” does not mention “%s”", fr->error, fragment);
  va_end (ap);

  after = counts (p);
  g_assert_cmpint (after.shapes, ==, before.shapes);
  g_assert_cmpuint (after.labels, ==, before.labels);
  g_assert_cmpuint (after.events, ==, before.events);
}

static void
test_bad_truncated_json (void)
{
  expect_failure (LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, "a.json",
                  "{\"imagePath\": \"b.png\", \"shapes\": [{\"label\": \"cat\", \"points\": [[1, 2",
                  "line 1", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "coco.json", "[1, 2, 3]", "not a COCO file", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "empty.json", "", "line", NULL);
}

static void
test_bad_duplicate_keys (void)
{
  expect_failure (LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, "dup.json",
                  "{\"imagePath\": \"b.png\", \"imagePath\": \"a.png\", \"shapes\": []}",
                  "duplicate", NULL);
}

static const char coco_head[] =
  "{\"images\": [{\"id\": 1, \"file_name\": \"b.png\", \"width\": 60, \"height\": 40}],\n"
  " \"categories\": [{\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"zebra\"}],\n"
  " \"annotations\": [\n"
  "  {\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 5, 5], \"segmentation\": [], \"score\": 0.5},\n";

static void
test_bad_numbers (void)
{
  g_autofree char *huge = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1e300, 1, 5, 5]}]}", NULL);
  g_autofree char *overflow = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1e999, 1, 5, 5]}]}", NULL);
  g_autofree char *nan_token = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 1, \"bbox\": [NaN, 1, 5, 5]}]}", NULL);
  g_autofree char *text = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[1, 1, \"x\", 2, 3, 3]]}]}", NULL);

  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "preds.json", huge,
                  "annotation 17", "out of range", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "preds.json", overflow, "line 5", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "preds.json", nan_token, "line 5", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "preds.json", text,
                  "annotation 17", "not a number", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, FALSE, "b.txt",
                  "0 0.5 0.5 0.1 0.1\n1 nan 0.5 0.1 0.1\n", "b.txt: line 2", "not a finite number", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, FALSE, "b.txt",
                  "0 0.5 0.5 0.1 0.1\n0 inf 0.5 0.1 0.1\n", "line 2", "not a finite number", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, FALSE, "b.txt",
                  "0 0.5 0.5 0.1 0.1\n7 0.5 0.5 0.1 0.1\n", "line 2", "class 7", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "b.xml",
                  "<annotation><filename>b.png</filename><object><name>cat</name><bndbox>"
                  "<xmin>nan</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>",
                  "object 1", "not a finite number", NULL);
}

static void
test_bad_unknown_label (void)
{
  /* The first annotation is fine and is inserted before the second fails:
   * the rollback must remove it. */
  g_autofree char *unknown = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 2, \"bbox\": [10, 10, 5, 5]}]}", NULL);
  /* With --create-labels, zebra is created, then the bad score fails the
   * file: the new label goes too. */
  g_autofree char *bad_score = g_strconcat (coco_head,
    "  {\"id\": 17, \"image_id\": 1, \"category_id\": 2, \"bbox\": [10, 10, 5, 5], \"score\": 1.5}]}", NULL);

  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "preds.json", unknown,
                  "annotation 17", "zebra", "--create-labels", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, TRUE, TRUE, "preds.json", bad_score,
                  "annotation 17", "score 1.5", NULL);
}

static void
test_bad_paths (void)
{
  expect_failure (LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, "up.json",
                  "{\"imagePath\": \"../../../etc/passwd\", \"shapes\": []}", "imagePath", "outside", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, "abs.json",
                  "{\"imagePath\": \"/etc/passwd\", \"shapes\": []}", "imagePath", "absolute", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_COCO, FALSE, FALSE, "coco.json",
                  "{\"images\": [{\"id\": 3, \"file_name\": \"..\\\\..\\\\x.png\"}], \"annotations\": [], \"categories\": []}",
                  "image 3", "outside", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "v.xml",
                  "<annotation><filename>../../b.png</filename></annotation>", "filename", "outside", NULL);
}

static void
test_bad_xml (void)
{
  /* An external entity is never fetched: GMarkup knows no DTD entities. */
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "xxe.xml",
                  "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                  "<annotation><filename>&xxe;</filename></annotation>", "xxe.xml", "xxe", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "cut.xml",
                  "<annotation><filename>b.png</filename><object><name>cat</na", "cut.xml", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "other.xml", "<svg></svg>", "not a Pascal VOC file", NULL);
  expect_failure (LIMNER_ANNOTATION_FORMAT_VOC, FALSE, FALSE, "nobox.xml",
                  "<annotation><filename>b.png</filename><object><name>cat</name></object></annotation>",
                  "object 1", "xmin", NULL);
}

static void
test_bad_huge_file (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = g_build_filename (p->tmp, "in", "huge.json", NULL);
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  LimnerAnnotationFileReport *fr;
  Counts before = counts (p), after;
  FILE *f;

  /* 100 MB, sparse: the size cap refuses it before reading a byte. */
  f = fopen (path, "w");
  g_assert_nonnull (f);
  fputs ("{\"shapes\": [", f);
  g_assert_cmpint (fseek (f, 100 * 1000 * 1000, SEEK_SET), ==, 0);
  fputs ("]}", f);
  fclose (f);

  report = import_file (p, path, LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE);
  fr = g_ptr_array_index (report->files, 0);
  g_assert_false (fr->ok);
  g_assert_true (g_str_has_prefix (fr->error, "huge.json: "));
  g_assert_nonnull (strstr (fr->error, "limit"));
  after = counts (p);
  g_assert_cmpint (after.shapes, ==, before.shapes);
  g_assert_cmpuint (after.events, ==, before.events);
}

/* One bad file among good ones: the good ones are imported. */
static void
test_import_folder_partial (void)
{
  g_autoptr(Project) p = import_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autofree char *dir = g_build_filename (p->tmp, "in", NULL);
  LimnerAnnotationImportOptions options = { LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, 0, NULL };
  gint64 before = limner_store_count_shapes (p->store);

  g_free (write_input (p, "1.json",
                       "{\"imagePath\": \"b.png\", \"shapes\": [{\"label\": \"cat\", \"points\": [[1, 1], [9, 9]], \"shape_type\": \"rectangle\"}]}"));
  g_free (write_input (p, "2.json", "{\"imagePath\": \"b.png\", \"shapes\": [}"));
  g_free (write_input (p, "sub/3.json",
                       "{\"imagePath\": \"../b.png\", \"shapes\": [{\"label\": \"dog\", \"points\": [[1, 1], [9, 1], [5, 9]]}]}"));
  report = limner_import_annotations (p->store, dir, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->files->len, ==, 3);
  g_assert_cmpuint (report->n_files_ok, ==, 2);
  g_assert_cmpuint (report->n_files_failed, ==, 1);
  g_assert_cmpstr (((LimnerAnnotationFileReport *) g_ptr_array_index (report->files, 1))->file, ==, "2.json");
  g_assert_cmpint (limner_store_count_shapes (p->store), ==, before + 2);

  /* Nothing to import is an error of its own. */
  g_clear_pointer (&report, limner_annotation_import_report_free);
  options.format = LIMNER_ANNOTATION_FORMAT_VOC;
  report = limner_import_annotations (p->store, dir, &options, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* YOLO without class names. */
  options.format = LIMNER_ANNOTATION_FORMAT_YOLO;
  report = limner_import_annotations (p->store, dir, &options, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES);
}

/* data.yaml "names" as Ultralytics and others write it. */
static void
test_yolo_names_forms (void)
{
  static const char * const forms[] = {
    "names: ['cat', \"dog\"]\n",
    "nc: 2\nnames:\n  0: cat\n  1: 'dog'   \n",
    "path: ../x\nnames: {0: cat, 1: dog}\n",
    "names:\n- cat\n- dog  # the second\ntrain: x\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(Project) p = import_project ();
      g_autofree char *label_file = NULL;
      g_autoptr(LimnerAnnotationImportReport) report = NULL;
      g_autoptr(GPtrArray) shapes = NULL;
      LimnerShape *s;

      g_free (write_input (p, "data.yaml", forms[i]));
      label_file = write_input (p, "b.txt", "1 0.5 0.5 0.5 0.5\n");
      report = import_file (p, label_file, LIMNER_ANNOTATION_FORMAT_YOLO, FALSE, FALSE);
      g_assert_true (((LimnerAnnotationFileReport *) g_ptr_array_index (report->files, 0))->ok);
      shapes = limner_store_list_shapes (p->store, p->img_b, NULL);
      s = g_ptr_array_index (shapes, shapes->len - 1);
      g_assert_cmpint (s->label_id, ==, p->dog);
    }
}

/* The worker-thread variant imports through its own store connection. */
static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LimnerAnnotationImportReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = limner_import_annotations_finish (result, &error);
  g_assert_no_error (error);
}

static void
count_progress (guint done, guint total, const char *file, gpointer user_data)
{
  g_atomic_int_inc ((int *) user_data);
}

static void
test_import_async (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *path = write_input (p, "b.json",
                                       "{\"imagePath\": \"b.png\", \"shapes\": [{\"label\": \"dog\", \"points\": [[1, 1], [9, 1], [5, 9]]}]}");
  LimnerAnnotationImportOptions options = { LIMNER_ANNOTATION_FORMAT_LABELME, FALSE, FALSE, 0, NULL };
  LimnerAnnotationImportReport *report = NULL;
  gint64 before = limner_store_count_shapes (p->store);
  int calls = 0;

  limner_import_annotations_async (p->store, path, &options, NULL, count_progress, &calls, NULL,
                                   async_done, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (report->n_imported, ==, 1);
  g_assert_cmpint (calls, ==, 1);
  g_assert_cmpint (limner_store_count_shapes (p->store), ==, before + 1);
  limner_annotation_import_report_free (report);
}

/* --- Through limner-cli --------------------------------------------------- */

static int
run_cli (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("LIMNER_CLI");
  const char *arg;
  int status = 0;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (void)
{
  g_autoptr(Project) p = import_project ();
  g_autofree char *out_dir = g_build_filename (p->tmp, "cli-yolo", NULL);
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(json_t) report = NULL;
  gint64 before;

  g_clear_object (&p->store);

  /* Export options reach the format. */
  g_assert_cmpint (run_cli (&out, &err, "export", p->dir, "--format", "yolo", "--draft", "--split", "0.5,0.5",
                            "--seed", "3", "--task", "detect", "--out", out_dir, "--user", "tester", NULL), ==, 0);
  yaml = read_text (out_dir, "data.yaml");
  g_assert_nonnull (strstr (yaml, "val: images/val"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "export", p->dir, "--format", "coco", "--draft", "--augment", "rot45",
                            "--out", out_dir, "--user", "tester", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "rot45"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A bad file: exit status 1, the error on stderr naming file and item. */
  bad = write_input (p, "preds.json", coco_head);
  g_assert_cmpint (run_cli (&out, &err, "import-annotations", p->dir, "--format", "coco", bad,
                            "--user", "tester", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "preds.json: line"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A good one, as JSON. */
  good = write_input (p, "good.json",
                      "{\"imagePath\": \"b.png\", \"shapes\": [{\"label\": \"cat\", \"points\": [[1, 1], [9, 9]], \"shape_type\": \"rectangle\"}]}");
  p->store = limner_store_open (p->dir, "tester", NULL);
  before = limner_store_count_shapes (p->store);
  g_clear_object (&p->store);
  g_assert_cmpint (run_cli (&out, &err, "import-annotations", p->dir, "--format", "labelme", "--json",
                            "--as-predictions", good, "--user", "tester", NULL), ==, 0);
  report = json_loads (out, 0, NULL);
  g_assert_nonnull (report);
  g_assert_cmpint (json_integer_value (json_object_get (report, "imported")), ==, 1);
  p->store = limner_store_open (p->dir, "tester", NULL);
  g_assert_cmpint (limner_store_count_shapes (p->store), ==, before + 1);
  g_clear_object (&p->store);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors: exit status 2. */
  g_assert_cmpint (run_cli (&out, &err, "import-annotations", p->dir, "--format", "csv", good, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "import-annotations", p->dir, good, NULL), ==, 2);
  p->store = limner_store_open (p->dir, "tester", NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  g_test_add_func ("/core/exporters/golden/coco", test_golden_coco);
  g_test_add_func ("/core/exporters/golden/yolo", test_golden_yolo);
  g_test_add_func ("/core/exporters/golden/voc", test_golden_voc);
  g_test_add_func ("/core/exporters/golden/labelme", test_golden_labelme);
  g_test_add_func ("/core/exporters/golden/csv", test_golden_csv);
  g_test_add_func ("/core/exporters/version-marks", test_version_marks);
  g_test_add_func ("/core/exporters/reexport-identical", test_reexport_identical);
  g_test_add_func ("/core/exporters/bad-options", test_bad_options);
  g_test_add_func ("/core/exporters/changed-image", test_changed_image_refused);
  g_test_add_func ("/core/exporters/split", test_split);
  g_test_add_func ("/core/exporters/augment-pixels", test_augment_pixels);
  g_test_add_func ("/core/exporters/round-trip/labelme", test_round_trip_labelme);
  g_test_add_func ("/core/exporters/round-trip/coco", test_round_trip_coco);
  g_test_add_func ("/core/exporters/round-trip/yolo", test_round_trip_yolo);
  g_test_add_func ("/core/exporters/round-trip/voc", test_round_trip_voc);
  g_test_add_func ("/core/exporters/round-trip/predictions", test_round_trip_predictions);
  g_test_add_func ("/core/import-annotations/skips-and-clamps", test_import_skips_and_clamps);
  g_test_add_func ("/core/import-annotations/unmatched-image", test_import_unmatched_image);
  g_test_add_func ("/core/import-annotations/create-labels", test_import_create_labels);
  g_test_add_func ("/core/import-annotations/folder-partial", test_import_folder_partial);
  g_test_add_func ("/core/import-annotations/yolo-names", test_yolo_names_forms);
  g_test_add_func ("/core/import-annotations/bad/truncated-json", test_bad_truncated_json);
  g_test_add_func ("/core/import-annotations/bad/duplicate-keys", test_bad_duplicate_keys);
  g_test_add_func ("/core/import-annotations/bad/numbers", test_bad_numbers);
  g_test_add_func ("/core/import-annotations/bad/unknown-label", test_bad_unknown_label);
  g_test_add_func ("/core/import-annotations/bad/paths", test_bad_paths);
  g_test_add_func ("/core/import-annotations/bad/xml", test_bad_xml);
  g_test_add_func ("/core/import-annotations/bad/huge-file", test_bad_huge_file);

  g_test_add_func ("/core/import-annotations/async", test_import_async);
  g_test_add_func ("/core/import-annotations/cli", test_cli);

  return g_test_run ();
}
