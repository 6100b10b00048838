/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of published versions, the limner JSON export, manifests,
 * verification and diffs. */

#include "config.h"

#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "limner-atomic-file.h"
#include "limner-check.h"
#include "limner-import.h"
#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-export-limner.h"
#include "limner-export.h"
#include "limner-json-writer.h"
#include "limner-export-verify.h"
#include "limner-manifest.h"
#include "limner-test-backend.h"
#include "limner-test-images.h"
#include "limner-version-diff.h"

#define LEAD "lead1"

/* A small project:
 *   img/a.png  accepted     s1 box cat, s2 polygon dog
 *   img/b.png  submitted    s3 box dog, s4 + s5 polygons cat in group 1
 *   img/c.png  in_review    s6 box cat (a prediction, score 0.875)
 *   img/d.png  new          no shapes
 *   img/e.png  rejected     s7 polygon dog
 * DONE includes a, b (5 shapes); WITH_SHAPES a, b, c, e (7); ALL all 5 (7). */
typedef struct {
  char        *tmp;      /* exports */
  char        *dir;      /* the project: a folder, or a database's URI */
  char        *files;    /* where the image files are */
  LimnerStore *store;
  gint64       cat;
  gint64       dog;
  gint64       img[5];   /* a..e */
  gint64       s[9];     /* s1..s7 at [1..7] */
} Project;

static void
project_free (Project *p)
{
  g_clear_object (&p->store);
  if (p->tmp != NULL)
    test_rm_rf (p->tmp);
  g_free (p->tmp);
  g_free (p->files);
  if (p->dir != NULL)
    limner_test_backend_remove (p->dir);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Project, project_free)

/* The path the store keeps for the image file `rel` (under p->files):
 * relative to the project folder on SQLite, absolute on PostgreSQL, whose
 * project has no folder. */
static char *
stored_path (Project *p, const char *rel)
{
  if (limner_test_backend_is_pg ())
    return g_build_filename (p->files, rel, NULL);
  return g_strdup (rel);
}

/* The image's file name in an export: an absolute path keeps only its
 * last part (limner_dataset_dup_export_path()). */
static char *
export_name (const char *rel)
{
  if (limner_test_backend_is_pg ())
    return g_path_get_basename (rel);
  return g_strdup (rel);
}

static gint64
add_image (Project *p, const char *rel, int w, int h, gboolean fixed_bytes)
{
  g_autofree char *path = g_build_filename (p->files, rel, NULL);
  g_autofree char *stored = stored_path (p, rel);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *sha = NULL;
  g_autoptr(GError) error = NULL;
  gint64 size = 0;
  gint64 id;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  if (fixed_bytes)
    {
      /* Golden tests need the same bytes, hence the same SHA-256, everywhere. */
      g_autofree char *content = g_strdup_printf ("limner golden image %s %dx%d\n", rel, w, h);
      g_assert_true (g_file_set_contents (path, content, -1, &error));
    }
  else
    test_write_png (path, w, h);

  sha = limner_import_hash_file (path, &size, NULL, &error);
  g_assert_no_error (error);
  id = limner_store_add_image (p->store, stored, sha, size, w, h, "png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_shape (Project *p, gint64 image, gint64 label, LimnerShapeKind kind, gint64 group,
           guint n, const double *pts)
{
  g_autoptr(LimnerShape) shape = limner_shape_new (kind);
  g_autoptr(GError) error = NULL;

  shape->image_id = image;
  shape->label_id = label;
  shape->group_id = group;
  g_array_append_vals (shape->points, pts, n);
  g_assert_true (limner_store_insert_shape (p->store, shape, &error));
  g_assert_no_error (error);
  return shape->id;
}

static void
set_status (Project *p, gint64 image, LimnerImageStatus status)
{
  static const LimnerImageStatus path_to[][4] = {
    [LIMNER_IMAGE_SUBMITTED] = { LIMNER_IMAGE_IN_PROGRESS, LIMNER_IMAGE_SUBMITTED },
    [LIMNER_IMAGE_IN_REVIEW] = { LIMNER_IMAGE_IN_PROGRESS, LIMNER_IMAGE_SUBMITTED, LIMNER_IMAGE_IN_REVIEW },
    [LIMNER_IMAGE_ACCEPTED] = { LIMNER_IMAGE_IN_PROGRESS, LIMNER_IMAGE_SUBMITTED, LIMNER_IMAGE_ACCEPTED },
    [LIMNER_IMAGE_REJECTED] = { LIMNER_IMAGE_IN_PROGRESS, LIMNER_IMAGE_SUBMITTED, LIMNER_IMAGE_REJECTED },
  };

  for (guint i = 0; i < 4 && path_to[status][i] != LIMNER_IMAGE_NEW; i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (limner_store_set_image_status (p->store, image, path_to[status][i], &error));
      g_assert_no_error (error);
    }
}

static Project *
project_new (gboolean fixed_bytes)
{
  g_autoptr(GError) error = NULL;
  Project *p = g_new0 (Project, 1);
  static const double a1[] = { 1.5, 2, 10.25, 20 };
  static const double a2[] = { 0.1, 0.2, 33.333333333333336, 5, 20, 39.5 };
  static const double b3[] = { 0, 0, 40, 30 };
  static const double b4[] = { 1, 1, 9, 1, 5, 7.75 };
  static const double b5[] = { 21, 21, 29, 21, 25, 1e-07 };
  static const double c6[] = { 3, 4, 5, 6 };
  static const double e7[] = { 2, 2, 38, 2, 20, 0.30000000000000004 };

  p->tmp = g_dir_make_tmp ("limner-versions-XXXXXX", &error);
  g_assert_no_error (error);
  p->dir = limner_test_backend_new_project (LEAD);
  p->store = limner_store_create (p->dir, "Golden “birds”", LEAD, &error);
  g_assert_no_error (error);
  p->files = limner_test_backend_files_dir (p->dir);
  g_assert_true (limner_store_set_user_roles (p->store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, &error));
  g_assert_no_error (error);

  p->cat = limner_store_add_label (p->store, "cat", "#ff0000", "1",
                                   "Whole animal,\n\"ears\" included", &error);
  g_assert_no_error (error);
  p->dog = limner_store_add_label (p->store, "dog", "#0000ff", NULL, NULL, &error);
  g_assert_no_error (error);

  p->img[0] = add_image (p, "img/a.png", 40, 40, fixed_bytes);
  p->img[1] = add_image (p, "img/b.png", 40, 30, fixed_bytes);
  p->img[2] = add_image (p, "img/c.png", 16, 16, fixed_bytes);
  p->img[3] = add_image (p, "img/d.png", 8, 8, fixed_bytes);
  p->img[4] = add_image (p, "img/e.png", 40, 40, fixed_bytes);

  p->s[1] = add_shape (p, p->img[0], p->cat, LIMNER_SHAPE_BOX, 0, 4, a1);
  p->s[2] = add_shape (p, p->img[0], p->dog, LIMNER_SHAPE_POLYGON, 0, 6, a2);
  p->s[3] = add_shape (p, p->img[1], p->dog, LIMNER_SHAPE_BOX, 0, 4, b3);
  p->s[4] = add_shape (p, p->img[1], p->cat, LIMNER_SHAPE_POLYGON, 1, 6, b4);
  p->s[5] = add_shape (p, p->img[1], p->cat, LIMNER_SHAPE_POLYGON, 1, 6, b5);
  {
    g_autoptr(LimnerShape) pred = limner_shape_new (LIMNER_SHAPE_BOX);

    pred->image_id = p->img[2];
    pred->label_id = p->cat;
    pred->source = LIMNER_SOURCE_PREDICTION;
    pred->score = 0.875;
    g_array_append_vals (pred->points, c6, 4);
    g_assert_true (limner_store_insert_shape (p->store, pred, &error));
    g_assert_no_error (error);
    p->s[6] = pred->id;
  }
  p->s[7] = add_shape (p, p->img[4], p->dog, LIMNER_SHAPE_POLYGON, 0, 6, e7);

  set_status (p, p->img[0], LIMNER_IMAGE_ACCEPTED);
  set_status (p, p->img[1], LIMNER_IMAGE_SUBMITTED);
  set_status (p, p->img[2], LIMNER_IMAGE_IN_REVIEW);
  set_status (p, p->img[4], LIMNER_IMAGE_REJECTED);
  return p;
}

static gint64
publish (Project *p, const char *message, LimnerPublishPolicy policy)
{
  g_autoptr(GError) error = NULL;
  gint64 n = limner_store_publish (p->store, message, policy, &error);

  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  return n;
}

static char *
read_file (const char *dir, const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

static char *
export_to (Project *p, gint64 version, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, version, &error);
  char *out = g_build_filename (p->tmp, name, NULL);

  g_assert_no_error (error);
  g_assert_true (limner_export_run ("limner", ds, out, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static char *
file_sha256 (const char *dir, const char *name)
{
  gsize len = 0;
  g_autofree char *data = read_file (dir, name, &len);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* The problems of a report, one per line, for assertion messages. */
static char *
report_text (LimnerCheckReport *report)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < report->problems->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                            limner_check_report_get_message (report, i));
  return g_string_free (text, FALSE);
}

static gboolean
report_mentions (LimnerCheckReport *report, const char *needle)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (limner_check_report_get_message (report, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
flip_byte (const char *path, gsize offset)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_cmpuint (offset, <, len);
  data[offset] ^= 0x01;
  g_assert_true (g_file_set_contents (path, data, len, &error));
}

/* Tests */

static void
test_json_numbers (void)
{
  static const struct { double v; const char *s; } cases[] = {
    { 0.0, "0" },
    { -0.0, "0" },
    { 12.0, "12" },
    { -3.0, "-3" },
    { 0.1, "0.1" },
    { 1.5, "1.5" },
    { 1e-07, "1e-07" },
    { 123456.789, "123456.789" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 0.30000000000000004, "0.30000000000000004" },
    { 33.333333333333336, "33.333333333333336" },
    { 1e300, "1e+300" },
    { 9007199254740992.0, "9007199254740992" },
    { 4503599627370497.0, "4503599627370497" },
  };
  char buf[LIMNER_JSON_NUMBER_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (limner_json_format_double (cases[i].v, buf), ==, cases[i].s);
      g_assert_true (g_ascii_strtod (buf, NULL) == cases[i].v);
    }
}

/* The fast exact path agrees with a brute-force search for the shortest
 * "%.Ng" that reads back, on random doubles of every magnitude it covers. */
static void
test_json_numbers_random (void)
{
  char buf[LIMNER_JSON_NUMBER_BUF_SIZE];
  char ref[64];

  for (guint i = 0; i < 60000; i++)
    {
      double v;
      int n;

      if (i % 3 == 0)
        v = g_test_rand_double_range (0, 5000);
      else if (i % 3 == 1)
        v = (double) (g_test_rand_int_range (1, 100000)) / 64.0 + 0.1 * (i % 7);
      else
        {
          guint64 m = ((guint64) g_test_rand_int () << 32 | (guint32) g_test_rand_int ())
                      & ((G_GUINT64_CONSTANT (1) << 53) - 1);
          v = ldexp ((double) (m | G_GUINT64_CONSTANT (1) << 52), g_test_rand_int_range (-63, 0));
        }
      if (i % 2 == 1)
        v = -v;
      if (v == floor (v) || fabs (v) >= 1e15)
        continue;

      for (n = 1; n <= 17; n++)
        {
          g_autofree char *fmt = g_strdup_printf ("%%.%dg", n);

          g_ascii_formatd (ref, sizeof ref, fmt, v);
          if (g_ascii_strtod (ref, NULL) == v)
            break;
        }
      limner_json_format_double (v, buf);
      if (g_ascii_strtod (buf, NULL) != v || (fabs (v) >= 0x1p-10 && strcmp (buf, ref) != 0))
        g_error ("%.17g: wrote %s, the shortest is %s", v, buf, ref);
    }
}

static void
test_json_layout (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(LimnerJsonWriter) w = limner_json_writer_new_for_string (s);
  g_autoptr(GError) error = NULL;

  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_string (w, "text", "a\"b\\c\n\001é");
  limner_json_writer_member_null (w, "none");
  limner_json_writer_key (w, "empty");
  limner_json_writer_begin_array (w, FALSE);
  limner_json_writer_end_array (w);
  limner_json_writer_key (w, "list");
  limner_json_writer_begin_array (w, FALSE);
  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_member_int (w, "id", 1);
  limner_json_writer_key (w, "p");
  limner_json_writer_begin_array (w, FALSE); /* inline through its parent */
  limner_json_writer_double (w, 0.5);
  limner_json_writer_double (w, 2);
  limner_json_writer_end_array (w);
  limner_json_writer_member_bool (w, "ok", TRUE);
  limner_json_writer_end_object (w);
  limner_json_writer_end_array (w);
  limner_json_writer_end_object (w);
  g_assert_true (limner_json_writer_finish (w, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (s->str, ==,
                   "{\n"
                   "  \"text\": \"a\\\"b\\\\c\\n\\u0001é\",\n"
                   "  \"none\": null,\n"
                   "  \"empty\": [],\n"
                   "  \"list\": [\n"
                   "    {\"id\": 1, \"p\": [0.5, 2], \"ok\": true}\n"
                   "  ]\n"
                   "}\n");
}

static void
test_json_errors (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(LimnerJsonWriter) w = limner_json_writer_new_for_string (s);
  g_autoptr(LimnerJsonWriter) w2 = limner_json_writer_new_for_string (s);
  g_autoptr(GError) error = NULL;

  limner_json_writer_begin_array (w, FALSE);
  limner_json_writer_double (w, NAN);
  limner_json_writer_end_array (w);
  g_assert_false (limner_json_writer_finish (w, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* An unclosed container is an error, not a truncated file. */
  limner_json_writer_begin_object (w2, FALSE);
  g_assert_false (limner_json_writer_finish (w2, &error));
  g_assert_nonnull (error);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_atomic_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-atomic-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "sub", "out.txt", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autofree char *content = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  LimnerAtomicFile *file;

  /* Committed: the content, its hash, no temporary file left. */
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (big, "line %d\n", i);
  file = limner_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (limner_atomic_file_puts (file, "hello\n", &error));
  g_assert_true (limner_atomic_file_write (file, big->str, big->len, &error));
  g_assert_true (limner_atomic_file_printf (file, &error, "%d\n", 42));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (sub), ==, 1); /* the temporary file */
  g_assert_true (limner_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &content, NULL, &error));
  g_assert_true (g_str_has_prefix (content, "hello\nline 0\n"));
  g_assert_true (g_str_has_suffix (content, "line 19999\n42\n"));
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_assert_cmpstr (limner_atomic_file_get_sha256 (file), ==, expected);
  g_assert_cmpint (limner_atomic_file_get_size (file), ==, strlen (content));
  limner_atomic_file_free (file);
  g_assert_cmpuint (count_entries (sub), ==, 1);

  /* Abandoned: the old content stays and the temporary file goes. */
  file = limner_atomic_file_new (path, &error);
  g_assert_true (limner_atomic_file_puts (file, "partial", &error));
  limner_atomic_file_free (file);
  g_clear_pointer (&content, g_free);
  g_assert_true (g_file_get_contents (path, &content, NULL, &error));
  g_assert_true (g_str_has_prefix (content, "hello\n"));
  g_assert_cmpuint (count_entries (sub), ==, 1);

  /* Written through the temporary path by someone else, then committed. */
  file = limner_atomic_file_new (path, &error);
  g_assert_true (g_file_set_contents (limner_atomic_file_get_temp_path (file), "external", -1, &error));
  g_assert_true (limner_atomic_file_commit (file, &error));
  g_clear_pointer (&expected, g_free);
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "external", -1);
  g_assert_cmpstr (limner_atomic_file_get_sha256 (file), ==, expected);
  limner_atomic_file_free (file);
  g_clear_pointer (&content, g_free);
  g_assert_true (g_file_get_contents (path, &content, NULL, &error));
  g_assert_cmpstr (content, ==, "external");

  test_rm_rf (tmp);
}

static void
test_publish (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(LimnerVersion) v = NULL;
  g_autoptr(LimnerStore) annotator = NULL;
  gint64 n1, n2, n3;

  n1 = publish (p, "first", LIMNER_PUBLISH_DONE);
  n2 = publish (p, "every image with shapes", LIMNER_PUBLISH_WITH_SHAPES);
  n3 = publish (p, "all", LIMNER_PUBLISH_ALL);
  g_assert_cmpint (n1, ==, 1);
  g_assert_cmpint (n2, ==, 2);
  g_assert_cmpint (n3, ==, 3);

  versions = limner_store_list_versions (p->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 3);
  {
    const LimnerVersion *v1 = versions->pdata[0], *v2 = versions->pdata[1], *v3 = versions->pdata[2];
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;

    g_assert_cmpint (v1->parent, ==, 0);
    g_assert_cmpint (v2->parent, ==, 1);
    g_assert_cmpint (v3->parent, ==, 2);
    g_assert_cmpstr (v1->author, ==, LEAD);
    g_assert_cmpstr (v1->message, ==, "first");
    g_assert_cmpstr (v1->policy, ==, "done");
    g_assert_cmpstr (v2->policy, ==, "with-shapes");
    g_assert_cmpint (llabs (v1->created_at - now), <, 60);
    g_assert_cmpint (v1->n_images, ==, 2);
    g_assert_cmpint (v1->n_shapes, ==, 5);
    g_assert_cmpint (v2->n_images, ==, 4);
    g_assert_cmpint (v2->n_shapes, ==, 7);
    g_assert_cmpint (v3->n_images, ==, 5);
    g_assert_cmpint (v3->n_shapes, ==, 7);
  }

  /* The dataset of version 1 holds a and b, sorted by path, with their shapes. */
  {
    g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, 1, &error);
    g_autoptr(GPtrArray) shapes = NULL;
    g_autofree char *a = stored_path (p, "img/a.png");
    g_autofree char *b = stored_path (p, "img/b.png");
    GPtrArray *images;

    g_assert_no_error (error);
    g_assert_false (limner_dataset_is_draft (ds));
    g_assert_cmpint (limner_dataset_get_version (ds)->number, ==, 1);
    images = limner_dataset_get_images (ds);
    g_assert_cmpuint (images->len, ==, 2);
    g_assert_cmpstr (((LimnerImageRecord *) images->pdata[0])->path, ==, a);
    g_assert_cmpstr (((LimnerImageRecord *) images->pdata[1])->path, ==, b);
    g_assert_cmpint (((LimnerImageRecord *) images->pdata[0])->status, ==, LIMNER_IMAGE_ACCEPTED);
    g_assert_cmpuint (limner_dataset_get_labels (ds)->len, ==, 2);
    shapes = limner_dataset_get_shapes (ds, p->img[1], &error);
    g_assert_no_error (error);
    g_assert_cmpuint (shapes->len, ==, 3);
    g_assert_cmpint (((LimnerShape *) shapes->pdata[1])->group_id, ==, 1);
    g_assert_cmpint (limner_dataset_count_shapes (ds), ==, 5);
  }

  v = limner_store_get_version (p->store, 42, &error);
  g_assert_null (v);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Only a lead publishes; a version needs a message. */
  g_assert_true (limner_store_set_user_roles (p->store, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  annotator = limner_store_open (p->dir, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_publish (annotator, "mine", LIMNER_PUBLISH_ALL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_publish (p->store, "  ", LIMNER_PUBLISH_ALL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&versions, g_ptr_array_unref);
  versions = limner_store_list_versions (p->store, &error);
  g_assert_cmpuint (versions->len, ==, 3);
}

/* A publish that fails leaves nothing behind, and numbering goes on from there. */
static void
test_publish_nothing (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;

  g_assert_true (limner_store_set_image_status (p->store, p->img[0], LIMNER_IMAGE_NEW, &error));
  g_assert_true (limner_store_set_image_status (p->store, p->img[1], LIMNER_IMAGE_NEW, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_publish (p->store, "nothing done", LIMNER_PUBLISH_DONE, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  versions = limner_store_list_versions (p->store, &error);
  g_assert_cmpuint (versions->len, ==, 0);
  g_assert_cmpint (publish (p, "everything", LIMNER_PUBLISH_ALL), ==, 1);
}

static void
test_draft (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDataset) all = limner_dataset_open (p->store, 0, &error);
  g_autoptr(LimnerDataset) done = limner_dataset_open_draft (p->store, LIMNER_PUBLISH_DONE, &error);
  g_autoptr(LimnerDataset) shaped = limner_dataset_open_draft (p->store, LIMNER_PUBLISH_WITH_SHAPES, &error);

  g_assert_no_error (error);
  g_assert_true (limner_dataset_is_draft (all));
  g_assert_null (limner_dataset_get_version (all));
  g_assert_cmpuint (limner_dataset_get_images (all)->len, ==, 5);
  g_assert_cmpuint (limner_dataset_get_images (done)->len, ==, 2);
  g_assert_cmpuint (limner_dataset_get_images (shaped)->len, ==, 4);
  g_assert_cmpint (limner_dataset_count_shapes (all), ==, 7);
  g_assert_cmpint (limner_dataset_count_shapes (done), ==, 5);
  g_assert_cmpstr (limner_dataset_get_project_dir (all), ==, limner_store_get_dir (p->store));
}

/* Every store call that changes data leaves a published version as it was. */
static void
test_immutable_api (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(LimnerShape) s1 = NULL;
  g_autoptr(LimnerLabel) dog = NULL;
  g_autofree char *a = stored_path (p, "img/a.png");
  g_autofree char *renamed = stored_path (p, "img/a-renamed.png");

  publish (p, "v1", LIMNER_PUBLISH_WITH_SHAPES);
  out1 = export_to (p, 1, "before");
  before = file_sha256 (out1, LIMNER_EXPORT_LIMNER_FILE);

  s1 = limner_store_get_shape (p->store, p->s[1], &error);
  g_assert_no_error (error);
  g_array_index (s1->points, double, 0) = 3;
  g_assert_true (limner_store_update_shape (p->store, s1, &error));
  g_assert_true (limner_store_delete_shape (p->store, p->s[7], 0, &error));
  dog = limner_store_get_label (p->store, p->dog, &error);
  g_free (dog->name);
  dog->name = g_strdup ("hound");
  g_assert_true (limner_store_update_label (p->store, dog, &error));
  g_assert_true (limner_store_move_label (p->store, p->dog, 0, &error));
  g_assert_cmpint (limner_store_add_label (p->store, "bird", NULL, NULL, NULL, &error), >, 0);
  g_assert_true (limner_store_set_image_path (p->store, p->img[0], renamed, &error));
  g_assert_true (limner_store_set_image_status (p->store, p->img[1], LIMNER_IMAGE_NEW, &error));
  g_assert_no_error (error);
  publish (p, "v2", LIMNER_PUBLISH_ALL);

  out2 = export_to (p, 1, "after");
  after = file_sha256 (out2, LIMNER_EXPORT_LIMNER_FILE);
  g_assert_cmpstr (before, ==, after);

  /* While the draft shows the changes. */
  {
    g_autoptr(LimnerDataset) draft = limner_dataset_open (p->store, 0, &error);
    g_autoptr(LimnerDataset) v1 = limner_dataset_open (p->store, 1, &error);

    g_assert_cmpstr (limner_dataset_find_label (draft, p->dog)->name, ==, "hound");
    g_assert_cmpstr (limner_dataset_find_label (v1, p->dog)->name, ==, "dog");
    g_assert_cmpstr (limner_dataset_find_image (v1, p->img[0])->path, ==, a);
  }
}

/* Raw SQL, as another tool would run it (sqlite3 on the file, or psql as
 * the server's superuser), cannot change a published version: Limner's
 * triggers refuse it. */
static void
test_immutable_sql (void)
{
  static const char * const attacks[] = {
    "UPDATE versions SET message = 'tampered' WHERE number = 1",
    "UPDATE versions SET sealed = 0 WHERE number = 1",
    "DELETE FROM versions WHERE number = 1",
    "UPDATE version_labels SET name = 'lion' WHERE version = 1",
    "DELETE FROM version_labels WHERE version = 1",
    "INSERT INTO version_labels (version, label_id, name, color, hotkey, guide, position) "
    "VALUES (1, 99, 'lion', '#000000', NULL, NULL, 9)",
    "UPDATE version_images SET sha256 = 'x' WHERE version = 1",
    "DELETE FROM version_images WHERE version = 1",
    "INSERT INTO version_images (version, image_id, path, sha256, size, width, height, format, status) "
    "VALUES (1, 99, 'x.png', 'x', 1, 1, 1, 'png', 'accepted')",
    "UPDATE version_shapes SET points = x'00' WHERE version = 1",
    "DELETE FROM version_shapes WHERE version = 1",
    "INSERT INTO version_shapes (version, shape_id, image_id, label_id, kind, points, group_id, "
    "source, score, author, created_at, modified_at) "
    "VALUES (1, 999, 1, NULL, 'box', x'', 0, 'manual', 1, 'x', 0, 0)",
  };
  /* The guard each backend's triggers name in their refusal, and the
   * trigger dropped below (limner-store-schema.c, limner-pg-schema.c). */
  gboolean pg = limner_test_backend_is_pg ();
  const char *refusals[] = {
    pg ? "is published and cannot change" : "published versions are immutable",
    pg ? "is insert-only" : NULL,
  };
  const char *trigger = pg ? "versions_immutable" : "versions_immutable_update";
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *drop = NULL;

  publish (p, "v1", LIMNER_PUBLISH_DONE);
  out1 = export_to (p, 1, "before");
  before = file_sha256 (out1, LIMNER_EXPORT_LIMNER_FILE);

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GString) sql = g_string_new (attacks[i]);
      g_autofree char *msg = NULL;
      gboolean refused = FALSE;

      /* psql spells a blob '\x00'::bytea, where x'00' is a bit string. */
      if (pg)
        {
          g_string_replace (sql, "x'00'", "'\\x00'::bytea", 0);
          g_string_replace (sql, "x''", "''::bytea", 0);
        }
      msg = limner_test_backend_raw_sql_error (p->dir, sql->str);

      for (guint j = 0; j < G_N_ELEMENTS (refusals); j++)
        refused |= msg != NULL && refusals[j] != NULL && strstr (msg, refusals[j]) != NULL;
      if (!refused)
        g_error ("raw SQL was not refused: %s (%s)", attacks[i], msg ? msg : "no error");
    }

  out2 = export_to (p, 1, "after");
  after = file_sha256 (out2, LIMNER_EXPORT_LIMNER_FILE);
  g_assert_cmpstr (before, ==, after);

  /* Someone who drops the triggers can change the version; check and verify say so. */
  drop = pg ? g_strdup_printf ("DROP TRIGGER %s ON versions", trigger)
            : g_strdup_printf ("DROP TRIGGER %s", trigger);
  g_assert_cmpint (limner_test_backend_raw_sql (p->dir, drop), ==, 0);
  g_assert_cmpint (limner_test_backend_raw_sql (p->dir, "UPDATE versions SET message = 'tampered' "
                                                "WHERE number = 1"), ==, 0);
  {
    g_autoptr(LimnerStore) reopened = limner_store_open (p->dir, LEAD, &error);
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
    g_autoptr(LimnerCheckReport) vreport = limner_check_report_new ();

    g_assert_no_error (error);
    g_assert_true (limner_check_project (reopened, LIMNER_CHECK_QUICK, report, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (report_mentions (report, trigger));

    g_assert_true (limner_export_verify (reopened, out1, vreport, &error));
    g_assert_no_error (error);
    g_assert_true (report_mentions (vreport, "dataset.json: exporting version 1 again gives different content"));
  }
}

static void
test_reexport_identical (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *d1 = NULL, *d2 = NULL, *m1 = NULL, *m2 = NULL;
  gsize l1 = 0, l2 = 0, ml1 = 0, ml2 = 0;

  publish (p, "v1", LIMNER_PUBLISH_ALL);
  out1 = export_to (p, 1, "one");
  out2 = export_to (p, 1, "two");
  d1 = read_file (out1, LIMNER_EXPORT_LIMNER_FILE, &l1);
  d2 = read_file (out2, LIMNER_EXPORT_LIMNER_FILE, &l2);
  m1 = read_file (out1, LIMNER_MANIFEST_NAME, &ml1);
  m2 = read_file (out2, LIMNER_MANIFEST_NAME, &ml2);
  g_assert_cmpuint (l1, >, 500);
  g_assert_cmpmem (d1, l1, d2, l2);
  g_assert_cmpmem (m1, ml1, m2, ml2);

  /* Exporting into the same folder again replaces it with the same bytes
   * and leaves no temporary files. */
  {
    g_autofree char *again = export_to (p, 1, "one");
    g_autofree char *d3 = read_file (again, LIMNER_EXPORT_LIMNER_FILE, &l2);

    g_assert_cmpmem (d1, l1, d3, l2);
    g_assert_cmpuint (count_entries (again), ==, 2);
  }
}

/* The manifest: structure and the hashes it gives. */
static void
test_manifest (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dataset_sha = NULL;
  json_t *m, *files, *images;
  json_error_t jerr;

  publish (p, "v1", LIMNER_PUBLISH_DONE);
  out = export_to (p, 1, "out");
  path = g_build_filename (out, LIMNER_MANIFEST_NAME, NULL);
  m = json_load_file (path, JSON_REJECT_DUPLICATES, &jerr);
  g_assert_nonnull (m);
  g_assert_cmpstr (json_string_value (json_object_get (m, "format")), ==, "limner-manifest");
  g_assert_cmpstr (json_string_value (json_object_get (m, "export_format")), ==, "limner");
  g_assert_cmpint (json_integer_value (json_object_get (m, "version")), ==, 1);
  g_assert_true (json_is_false (json_object_get (m, "draft")));

  files = json_object_get (m, "files");
  g_assert_cmpuint (json_array_size (files), ==, 1);
  dataset_sha = file_sha256 (out, LIMNER_EXPORT_LIMNER_FILE);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (files, 0), "path")), ==,
                   LIMNER_EXPORT_LIMNER_FILE);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (files, 0), "sha256")), ==,
                   dataset_sha);

  /* content_sha256 is what sha256sum prints for the files, hashed. */
  {
    g_autofree char *line = g_strdup_printf ("%s  %s\n", dataset_sha, LIMNER_EXPORT_LIMNER_FILE);
    g_autofree char *content = g_compute_checksum_for_string (G_CHECKSUM_SHA256, line, -1);
    g_assert_cmpstr (json_string_value (json_object_get (m, "content_sha256")), ==, content);
  }

  /* Each image, by its name in the export, with the SHA-256 of its file. */
  images = json_object_get (m, "images");
  g_assert_cmpuint (json_array_size (images), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *rel = i == 0 ? "img/a.png" : "img/b.png";
      json_t *img = json_array_get (images, i);
      g_autofree char *name = export_name (rel);
      g_autofree char *file_sha = file_sha256 (p->files, rel);

      g_assert_cmpstr (json_string_value (json_object_get (img, "file")), ==, name);
      g_assert_cmpstr (json_string_value (json_object_get (img, "sha256")), ==, file_sha);
    }

  /* schema_sha256 covers the labels: it changes when a label does. */
  {
    g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, 1, &error);
    g_autofree char *schema = limner_manifest_schema_sha256 (limner_dataset_get_labels (ds));
    LimnerLabel *first = limner_dataset_get_labels (ds)->pdata[0];
    g_autofree char *old_color = first->color;
    g_autofree char *changed = NULL;

    g_assert_cmpstr (json_string_value (json_object_get (m, "schema_sha256")), ==, schema);
    first->color = g_strdup ("#ff0001");
    changed = limner_manifest_schema_sha256 (limner_dataset_get_labels (ds));
    g_assert_cmpstr (changed, !=, schema);
    g_free (first->color);
    first->color = g_steal_pointer (&old_color);
  }
  json_decref (m);
}

static void
test_verify (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *image = NULL;

  publish (p, "v1", LIMNER_PUBLISH_DONE);
  out = export_to (p, 1, "out");
  dataset = g_build_filename (out, LIMNER_EXPORT_LIMNER_FILE, NULL);
  image = g_build_filename (p->files, "img", "b.png", NULL);

  /* A clean export passes, with every file and image hashed. */
  {
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
    g_autofree char *text = NULL;

    g_assert_true (limner_export_verify (p->store, out, report, &error));
    g_assert_no_error (error);
    text = report_text (report);
    g_assert_cmpstr (text, ==, "");
    g_assert_cmpuint (report->n_files, ==, 1);
    g_assert_cmpuint (report->n_images, ==, 2);
    g_assert_cmpuint (report->n_hashed, ==, 2);
  }

  /* One byte changed in the export: named. */
  flip_byte (dataset, 100);
  {
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();

    g_assert_true (limner_export_verify (p->store, out, report, &error));
    g_assert_false (limner_check_report_ok (report));
    g_assert_true (report_mentions (report, "dataset.json: the content differs from the manifest"));
    g_assert_cmpuint (report->problems->len, ==, 1);
  }
  flip_byte (dataset, 100);

  /* One byte changed in an image: named, with its path. */
  flip_byte (image, 40);
  {
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
    g_autoptr(LimnerCheckReport) quick = limner_check_report_new ();
    g_autoptr(LimnerCheckReport) project = limner_check_report_new ();

    g_assert_true (limner_export_verify (p->store, out, report, &error));
    g_assert_cmpuint (report->problems->len, ==, 1);
    g_assert_true (report_mentions (report, "b.png: the image file changed since the export"));

    /* --quick only compares sizes, which did not change. */
    g_assert_true (limner_export_verify_full (p->store, out, LIMNER_VERIFY_QUICK, quick, NULL, &error));
    g_assert_true (limner_check_report_ok (quick));

    g_assert_true (limner_check_project (p->store, LIMNER_CHECK_DEFAULT, project, NULL, &error));
    g_assert_cmpuint (project->problems->len, ==, 1);
    g_assert_true (report_mentions (project, "b.png (image 2): the file changed"));
  }
  flip_byte (image, 40);

  /* A missing image and a manifest edited by hand. */
  {
    g_autofree char *moved = g_strconcat (image, ".moved", NULL);
    g_autofree char *manifest = g_build_filename (out, LIMNER_MANIFEST_NAME, NULL);
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
    g_autoptr(LimnerCheckReport) report2 = limner_check_report_new ();

    g_assert_cmpint (g_rename (image, moved), ==, 0);
    g_assert_true (limner_export_verify (p->store, out, report, &error));
    g_assert_true (report_mentions (report, "b.png: the image file is missing"));
    g_assert_cmpint (g_rename (moved, image), ==, 0);

    /* The last file hash digit in the manifest. */
    {
      g_autofree char *text = NULL;
      char *hit;

      g_assert_true (g_file_get_contents (manifest, &text, NULL, &error));
      hit = strstr (text, "\"path\": \"dataset.json\", \"sha256\": \"");
      g_assert_nonnull (hit);
      hit += strlen ("\"path\": \"dataset.json\", \"sha256\": \"");
      *hit = *hit == '0' ? '1' : '0';
      g_assert_true (g_file_set_contents (manifest, text, -1, &error));
    }
    g_assert_true (limner_export_verify (p->store, out, report2, &error));
    g_assert_true (report_mentions (report2, "dataset.json: the content differs from the manifest"));
    g_assert_true (report_mentions (report2, "content_sha256 does not match"));
  }

  /* Not an export at all. */
  {
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();

    g_assert_false (limner_export_verify (p->store, p->tmp, report, &error));
    g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_MANIFEST);
  }
}

static LimnerCheckProblem *
find_problem (LimnerCheckReport *report, LimnerCheckProblemKind kind, const char *item)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      LimnerCheckProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->kind == kind && g_strcmp0 (problem->item, item) == 0)
        return problem;
    }
  return NULL;
}

/* The first file of the export's manifest whose path ends with `suffix`. */
static char *
manifest_file_with_suffix (const char *out, const char *suffix)
{
  g_autofree char *path = g_build_filename (out, LIMNER_MANIFEST_NAME, NULL);
  json_t *m = json_load_file (path, 0, NULL);
  json_t *item;
  size_t i;
  char *found = NULL;

  g_assert_nonnull (m);
  json_array_foreach (json_object_get (m, "files"), i, item)
    {
      const char *file = json_string_value (json_object_get (item, "path"));

      if (found == NULL && g_str_has_suffix (file, suffix))
        found = g_strdup (file);
    }
  json_decref (m);
  g_assert_nonnull (found);
  return found;
}

/* Records the current content of `relpath` in the manifest, as a forger
 * would, so that only parsing can tell that the file is broken. */
static void
rewrite_manifest_entry (const char *out, const char *relpath)
{
  g_autofree char *path = g_build_filename (out, LIMNER_MANIFEST_NAME, NULL);
  g_autofree char *full = g_build_filename (out, relpath, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_manifest_file_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  gint64 size = 0;
  g_autofree char *sha = limner_import_hash_file (full, &size, NULL, &error);
  json_t *m = json_load_file (path, 0, NULL);
  json_t *item;
  size_t i;

  g_assert_no_error (error);
  g_assert_nonnull (m);
  json_array_foreach (json_object_get (m, "files"), i, item)
    {
      if (g_str_equal (json_string_value (json_object_get (item, "path")), relpath))
        {
          json_object_set_new (item, "sha256", json_string (sha));
          json_object_set_new (item, "size", json_integer (size));
        }
      g_ptr_array_add (files, limner_manifest_file_new (json_string_value (json_object_get (item, "path")),
                                                        json_string_value (json_object_get (item, "sha256")),
                                                        json_integer_value (json_object_get (item, "size"))));
    }
  content = limner_manifest_content_sha256 (files);
  json_object_set_new (m, "content_sha256", json_string (content));
  g_assert_cmpint (json_dump_file (m, path, JSON_INDENT (2)), ==, 0);
  json_decref (m);
}

static char *
export_format_to (Project *p, const char *format, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, 1, &error);
  char *out = g_build_filename (p->tmp, name, NULL);

  g_assert_no_error (error);
  g_assert_true (limner_export_run (format, ds, out, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

/* Verifies `out` and checks that the only problem is a parse error of `relpath`. */
static void
assert_only_parse_problem (Project *p, const char *out, const char *relpath)
{
  g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LimnerCheckProblem *problem;

  g_assert_true (limner_export_verify_full (p->store, out, LIMNER_VERIFY_NO_REEXPORT, report,
                                            NULL, &error));
  g_assert_no_error (error);
  text = report_text (report);
  problem = find_problem (report, LIMNER_CHECK_PROBLEM_PARSE, relpath);
  g_assert_nonnull (problem);
  g_assert_true (g_str_has_prefix (problem->message, relpath));
  g_assert_cmpuint (report->problems->len, ==, 1);
}

static void
test_verify_content (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  const char *formats[] = { "limner", "coco", "yolo", "voc", "labelme" };

  publish (p, "v1", LIMNER_PUBLISH_DONE);

  /* Every format's own export parses, and holds no stray file. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = export_format_to (p, formats[i], formats[i]);
      g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
      g_autofree char *text = NULL;

      g_assert_true (limner_export_verify (p->store, out, report, &error));
      g_assert_no_error (error);
      text = report_text (report);
      g_assert_cmpstr (text, ==, "");
    }

  /* A file the manifest does not list, however deep. */
  {
    g_autofree char *out = g_build_filename (p->tmp, "voc", NULL);
    g_autofree char *stray = g_build_filename (out, "Annotations", "extra.xml", NULL);
    g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
    g_autofree char *text = NULL;
    LimnerCheckProblem *problem;

    g_assert_true (g_file_set_contents (stray, "<annotation/>", -1, &error));
    g_assert_true (limner_export_verify (p->store, out, report, &error));
    problem = find_problem (report, LIMNER_CHECK_PROBLEM_STRAY_FILE, "Annotations/extra.xml");
    g_assert_nonnull (problem);
    g_assert_nonnull (strstr (problem->message, "Annotations/extra.xml: in the export folder "
                                                "but not in the manifest"));
    g_assert_cmpuint (report->problems->len, ==, 1);
    text = limner_export_verify_report_format (report, out);
    g_assert_nonnull (strstr (text, "1 problem in"));
    g_assert_nonnull (strstr (text, "  • Annotations/extra.xml: in the export folder"));
    g_assert_cmpint (g_unlink (stray), ==, 0);
  }

  /* VOC: a character reference XML 1.0 forbids, with the manifest rewritten to match. */
  {
    g_autofree char *out = g_build_filename (p->tmp, "voc", NULL);
    g_autofree char *rel = manifest_file_with_suffix (out, ".xml");
    g_autofree char *full = g_build_filename (out, rel, NULL);
    g_autofree char *data = NULL;
    g_autoptr(GString) edited = NULL;

    g_assert_true (g_file_get_contents (full, &data, NULL, &error));
    edited = g_string_new (data);
    g_assert_cmpuint (g_string_replace (edited, "<filename>", "<filename>&#x1b;", 1), ==, 1);
    g_assert_true (g_file_set_contents (full, edited->str, -1, &error));
    rewrite_manifest_entry (out, rel);
    assert_only_parse_problem (p, out, rel);
  }

  /* JSON: truncated, with the manifest rewritten to match. */
  {
    g_autofree char *out = g_build_filename (p->tmp, "coco", NULL);
    g_autofree char *rel = manifest_file_with_suffix (out, ".json");
    g_autofree char *full = g_build_filename (out, rel, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (full, &data, &len, &error));
    g_assert_true (g_file_set_contents (full, data, len / 2, &error));
    rewrite_manifest_entry (out, rel);
    assert_only_parse_problem (p, out, rel);
  }

  /* YOLO: a coordinate that is not a number. */
  {
    g_autofree char *out = g_build_filename (p->tmp, "yolo", NULL);
    g_autofree char *rel = manifest_file_with_suffix (out, ".txt");
    g_autofree char *full = g_build_filename (out, rel, NULL);

    g_assert_true (g_str_has_prefix (rel, "labels/"));
    g_assert_true (g_file_set_contents (full, "0 0.5 0.5 0.25 0.25\n0 0.5 zero 0.25 0.25\n", -1, &error));
    rewrite_manifest_entry (out, rel);
    assert_only_parse_problem (p, out, rel);
  }
}

static void
test_check_project (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
  g_autofree char *text = NULL;

  publish (p, "v1", LIMNER_PUBLISH_DONE);
  g_assert_true (limner_check_project (p->store, LIMNER_CHECK_DEFAULT, report, NULL, &error));
  g_assert_no_error (error);
  text = report_text (report);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpuint (report->n_images, ==, 5);
  g_assert_cmpuint (report->n_hashed, ==, 5);
  g_assert_cmpuint (report->n_versions, ==, 1);
}

static void
test_export_errors (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, 0, &error);
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *out = g_build_filename (p->tmp, "out", NULL);

  g_assert_false (limner_export_run ("nope", ds, out, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);

  g_hash_table_insert (options, "bogus", "1");
  g_assert_false (limner_export_run ("limner", ds, out, options, NULL, NULL, NULL, &error));
  g_assert_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION);
  g_clear_error (&error);

  g_assert_false (limner_export_path_is_safe ("../x"));
  g_assert_false (limner_export_path_is_safe ("/etc/passwd"));
  g_assert_false (limner_export_path_is_safe ("a//b"));
  g_assert_false (limner_export_path_is_safe ("a/./b"));
  g_assert_true (limner_export_path_is_safe ("labels/train/a.txt"));

  g_assert_cmpint (limner_dataset_open (p->store, 7, &error) == NULL, ==, TRUE);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
}

static void
test_cancel (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDataset) ds = limner_dataset_open (p->store, 0, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *out = g_build_filename (p->tmp, "out", NULL);

  g_cancellable_cancel (cancellable);
  g_assert_false (limner_export_run ("limner", ds, out, NULL, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nothing half-written stays behind, and no manifest vouches for it. */
  g_assert_cmpuint (count_entries (out), ==, 0);
}

static void
test_diff (void)
{
  g_autoptr(Project) p = project_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerVersionDiff) diff = NULL;
  g_autoptr(LimnerVersionDiff) same = NULL;
  g_autoptr(LimnerShape) s1 = NULL;
  g_autoptr(LimnerShape) s3 = NULL;
  static const double a8[] = { 30, 30, 35, 36 };
  gint64 s8;

  publish (p, "v1", LIMNER_PUBLISH_DONE);

  s1 = limner_store_get_shape (p->store, p->s[1], &error);
  g_array_index (s1->points, double, 2) = 11;
  g_assert_true (limner_store_update_shape (p->store, s1, &error));
  s3 = limner_store_get_shape (p->store, p->s[3], &error);
  s3->label_id = p->cat;
  g_assert_true (limner_store_update_shape (p->store, s3, &error));
  g_assert_true (limner_store_delete_shape (p->store, p->s[5], 0, &error));
  g_assert_no_error (error);
  s8 = add_shape (p, p->img[0], p->dog, LIMNER_SHAPE_BOX, 0, 4, a8);
  g_assert_true (limner_store_set_image_status (p->store, p->img[2], LIMNER_IMAGE_ACCEPTED, &error));
  g_assert_no_error (error);
  publish (p, "v2", LIMNER_PUBLISH_DONE);

  diff = limner_version_diff (p->store, 1, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (diff->images_added, ==, 1);
  g_assert_cmpuint (diff->images_removed, ==, 0);
  g_assert_cmpuint (diff->images_changed, ==, 2);
  g_assert_cmpuint (diff->images_unchanged, ==, 0);
  g_assert_cmpuint (diff->shapes_added, ==, 2);
  g_assert_cmpuint (diff->shapes_removed, ==, 1);
  g_assert_cmpuint (diff->shapes_changed, ==, 2);
  g_assert_cmpuint (diff->shapes_unchanged, ==, 2);

  /* Images by path: a (changed), b (changed), c (added). */
  g_assert_cmpuint (diff->images->len, ==, 3);
  {
    LimnerImageDiff *a = diff->images->pdata[0], *b = diff->images->pdata[1], *c = diff->images->pdata[2];
    g_autofree char *a_path = stored_path (p, "img/a.png");
    g_autofree char *b_path = stored_path (p, "img/b.png");
    g_autofree char *c_path = stored_path (p, "img/c.png");

    g_assert_cmpstr (a->path, ==, a_path);
    g_assert_cmpint (a->change, ==, LIMNER_DIFF_CHANGED);
    g_assert_cmpuint (a->fields, ==, LIMNER_DIFF_IMAGE_SHAPES);
    g_assert_cmpuint (a->shapes_added, ==, 1);
    g_assert_cmpuint (a->shapes_changed, ==, 1);
    g_assert_cmpstr (b->path, ==, b_path);
    g_assert_cmpuint (b->shapes_removed, ==, 1);
    g_assert_cmpuint (b->shapes_changed, ==, 1);
    g_assert_cmpstr (c->path, ==, c_path);
    g_assert_cmpint (c->change, ==, LIMNER_DIFF_ADDED);
    g_assert_cmpuint (c->shapes_added, ==, 1);
  }

  /* Shapes by image path, then id: s1 ~points, s8 +, s3 ~label, s5 -, s6 +. */
  g_assert_cmpuint (diff->shapes->len, ==, 5);
  {
    LimnerShapeDiff **d = (LimnerShapeDiff **) diff->shapes->pdata;

    g_assert_cmpint (d[0]->shape_id, ==, p->s[1]);
    g_assert_cmpuint (d[0]->fields, ==, LIMNER_DIFF_SHAPE_POINTS);
    g_assert_cmpint (d[1]->shape_id, ==, s8);
    g_assert_cmpint (d[1]->change, ==, LIMNER_DIFF_ADDED);
    g_assert_cmpstr (d[1]->label, ==, "dog");
    g_assert_cmpint (d[2]->shape_id, ==, p->s[3]);
    g_assert_cmpuint (d[2]->fields, ==, LIMNER_DIFF_SHAPE_LABEL);
    g_assert_cmpstr (d[2]->label, ==, "cat");
    g_assert_cmpstr (d[2]->old_label, ==, "dog");
    g_assert_cmpint (d[3]->shape_id, ==, p->s[5]);
    g_assert_cmpint (d[3]->change, ==, LIMNER_DIFF_REMOVED);
    g_assert_cmpint (d[4]->shape_id, ==, p->s[6]);
    g_assert_cmpint (d[4]->change, ==, LIMNER_DIFF_ADDED);
  }

  /* Per label. v1: cat s1 s4 s5, dog s2 s3. v2: cat s1 s3 s4 s6, dog s2 s8. */
  g_assert_cmpuint (diff->labels->len, ==, 2);
  {
    LimnerLabelDiff *cat = diff->labels->pdata[0], *dog = diff->labels->pdata[1];

    g_assert_cmpstr (cat->name, ==, "cat");
    g_assert_cmpint (cat->count_a, ==, 3);
    g_assert_cmpint (cat->count_b, ==, 4);
    g_assert_cmpint (cat->added, ==, 1);
    g_assert_cmpint (cat->removed, ==, 1);
    g_assert_cmpint (cat->changed, ==, 2);
    g_assert_cmpstr (dog->name, ==, "dog");
    g_assert_cmpint (dog->count_a, ==, 2);
    g_assert_cmpint (dog->count_b, ==, 2);
    g_assert_cmpint (dog->added, ==, 1);
    g_assert_cmpint (dog->removed, ==, 0);
    g_assert_cmpint (dog->changed, ==, 0);
  }

  /* The text form counts in the right number: a.png and c.png gained one shape each. */
  {
    g_autofree char *text = limner_version_diff_format (diff);

    g_assert_nonnull (strstr (text, ": 1 shape added, 0 removed, 1 changed"));
    g_assert_null (strstr (text, "1 shapes"));
  }

  /* A version against itself, and against the draft (which has d and e too). */
  same = limner_version_diff (p->store, 2, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same->images->len + same->shapes->len, ==, 0);
  g_assert_cmpuint (same->shapes_unchanged, ==, 6);
  {
    g_autoptr(LimnerVersionDiff) draft = limner_version_diff (p->store, 2, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (draft->images_added, ==, 2);
    g_assert_cmpuint (draft->shapes_added, ==, 1);
    g_assert_cmpuint (draft->images_unchanged, ==, 3);
  }
}

/* LIMNER_TEST_WRITE_GOLDEN=1 rewrites the golden files from the current
 * output (then review them by hand with `git diff`). */
static gboolean
write_golden (void)
{
  return g_strcmp0 (g_getenv ("LIMNER_TEST_WRITE_GOLDEN"), "1") == 0;
}

/* The golden files of this backend. A team project keeps its images by
 * absolute path, so its exports name them by file name alone, and the
 * hashes of its dataset.json differ accordingly; everything else is the
 * same as on SQLite. */
static const char *
golden_folder (void)
{
  return limner_test_backend_is_pg () ? "limner-pg" : "limner";
}

/* The limner JSON of a hand-made project, byte for byte. The version's time
 * is the one thing that differs between runs; the golden file says @TIME@. */
static void
test_golden (void)
{
  g_autoptr(Project) p = project_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerVersion) v = NULL;
  g_autofree char *out = NULL;
  g_autofree char *draft_out = NULL;
  g_autofree char *golden_path = NULL;
  g_autofree char *golden = NULL;
  g_autofree char *time = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GString) expected = NULL;
  gsize len = 0;

  publish (p, "First labels", LIMNER_PUBLISH_WITH_SHAPES);
  v = limner_store_get_version (p->store, 1, &error);
  g_assert_no_error (error);
  out = export_to (p, 1, "golden");

  golden_path = g_test_build_filename (G_TEST_DIST, "golden", golden_folder (), "dataset-v1.json", NULL);
  time = limner_export_format_time (v->created_at);
  actual = read_file (out, LIMNER_EXPORT_LIMNER_FILE, &len);
  if (write_golden ())
    {
      g_autoptr(GString) templ = g_string_new (actual);

      g_string_replace (templ, time, "@TIME@", 0);
      g_assert_true (g_file_set_contents (golden_path, templ->str, templ->len, &error));
    }
  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, &error));
  g_assert_no_error (error);
  expected = g_string_new (golden);
  g_string_replace (expected, "@TIME@", time, 0);
  g_assert_cmpstr (actual, ==, expected->str);

  /* A draft has no time at all: its dataset and manifest are golden as they are. */
  draft_out = export_to (p, 0, "draft");
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? LIMNER_EXPORT_LIMNER_FILE : LIMNER_MANIFEST_NAME;
      g_autofree char *gpath = g_test_build_filename (G_TEST_DIST, "golden", golden_folder (), "draft", name, NULL);
      g_autofree char *want = NULL;
      g_autofree char *got = read_file (draft_out, name, &len);

      if (write_golden ())
        g_assert_true (g_file_set_contents (gpath, got, len, &error));
      g_assert_true (g_file_get_contents (gpath, &want, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, want);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  test_tolerate_vips_warnings ();

  g_test_add_func ("/core/versions/json-numbers", test_json_numbers);
  g_test_add_func ("/core/versions/json-numbers-random", test_json_numbers_random);
  g_test_add_func ("/core/versions/json-layout", test_json_layout);
  g_test_add_func ("/core/versions/json-errors", test_json_errors);
  g_test_add_func ("/core/versions/atomic-file", test_atomic_file);
  g_test_add_func ("/core/versions/publish", test_publish);
  g_test_add_func ("/core/versions/publish-nothing", test_publish_nothing);
  g_test_add_func ("/core/versions/draft", test_draft);
  g_test_add_func ("/core/versions/immutable-api", test_immutable_api);
  g_test_add_func ("/core/versions/immutable-sql", test_immutable_sql);
  g_test_add_func ("/core/versions/reexport-identical", test_reexport_identical);
  g_test_add_func ("/core/versions/manifest", test_manifest);
  g_test_add_func ("/core/versions/verify", test_verify);
  g_test_add_func ("/core/versions/verify-content", test_verify_content);
  g_test_add_func ("/core/versions/check-project", test_check_project);
  g_test_add_func ("/core/versions/export-errors", test_export_errors);
  g_test_add_func ("/core/versions/cancel", test_cancel);
  g_test_add_func ("/core/versions/diff", test_diff);
  g_test_add_func ("/core/versions/golden", test_golden);
  return g_test_run ();
}
