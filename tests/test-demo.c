/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the synthetic demo dataset: determinism, ground truth, schema. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-demo.h"
#include "limner-image.h"
#include "limner-store.h"
#include "limner-test-images.h"

static char *tmpdir;

static LimnerStore *
new_project (const char *name)
{
  g_autofree char *dir = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  LimnerStore *store = limner_store_create (dir, name, NULL, &error);

  g_assert_no_error (error);
  return store;
}

static LimnerImportResult *
generate (LimnerStore *store, int n, guint64 seed)
{
  g_autoptr(GError) error = NULL;
  LimnerImportResult *result = NULL;

  g_assert_true (limner_demo_generate (store, NULL, n, seed, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->rejected->len, ==, 0);
  return result;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Sorted file names of a folder. */
static GPtrArray *
list_dir (const char *path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static gboolean
same_bytes (const char *a, const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  return la == lb && memcmp (da, db, la) == 0;
}

static void
test_same_seed_same_bytes (void)
{
  g_autoptr(LimnerStore) one = new_project ("seed-a");
  g_autoptr(LimnerStore) two = new_project ("seed-b");
  g_autoptr(LimnerStore) other = new_project ("seed-c");
  g_autoptr(LimnerImportResult) r1 = generate (one, 8, 7);
  g_autoptr(LimnerImportResult) r2 = generate (two, 8, 7);
  g_autoptr(LimnerImportResult) r3 = generate (other, 8, 8);
  g_autofree char *d1 = g_build_filename (limner_store_get_dir (one), LIMNER_DEMO_DIR_NAME, NULL);
  g_autofree char *d2 = g_build_filename (limner_store_get_dir (two), LIMNER_DEMO_DIR_NAME, NULL);
  g_autofree char *d3 = g_build_filename (limner_store_get_dir (other), LIMNER_DEMO_DIR_NAME, NULL);
  g_autoptr(GPtrArray) n1 = list_dir (d1);
  g_autoptr(GPtrArray) n2 = list_dir (d2);
  g_autoptr(GPtrArray) n3 = list_dir (d3);
  guint differing = 0;

  g_assert_cmpuint (n1->len, ==, 8);
  g_assert_cmpuint (n2->len, ==, 8);
  for (guint i = 0; i < n1->len; i++)
    {
      g_autofree char *a = g_build_filename (d1, n1->pdata[i], NULL);
      g_autofree char *b = g_build_filename (d2, n2->pdata[i], NULL);
      g_autofree char *c = g_build_filename (d3, n3->pdata[i], NULL);

      g_assert_cmpstr (n1->pdata[i], ==, n2->pdata[i]);
      g_assert_true (same_bytes (a, b));
      if (g_file_test (c, G_FILE_TEST_EXISTS) && !same_bytes (a, c))
        differing++;
      else if (!g_file_test (c, G_FILE_TEST_EXISTS))
        differing++;
    }
  /* Another seed, other images. */
  g_assert_cmpuint (differing, ==, 8);

  /* And the same reference outlines. */
  {
    g_autoptr(GPtrArray) ref1 = limner_store_list_reference_shapes (one, 0, NULL);
    g_autoptr(GPtrArray) ref2 = limner_store_list_reference_shapes (two, 0, NULL);

    g_assert_cmpuint (ref1->len, ==, ref2->len);
    for (guint i = 0; i < ref1->len; i++)
      {
        LimnerReferenceShape *a = ref1->pdata[i], *b = ref2->pdata[i];

        g_assert_cmpuint (a->polygon->len, ==, b->polygon->len);
        g_assert_cmpmem (a->polygon->data, a->polygon->len * sizeof (double),
                         b->polygon->data, b->polygon->len * sizeof (double));
        g_assert_cmpmem (a->box, sizeof a->box, b->box, sizeof b->box);
      }
  }
}

static void
test_project_contents (void)
{
  g_autoptr(LimnerStore) store = new_project ("contents");
  g_autoptr(LimnerImportResult) result = generate (store, LIMNER_DEMO_DEFAULT_IMAGES, LIMNER_DEMO_DEFAULT_SEED);
  g_autoptr(LimnerImportResult) again = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) all_refs = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "rectangle", "ellipse", "triangle", "polygon" };
  guint kinds_seen[4] = { 0 };
  guint n_png = 0, n_jpeg = 0, n_large = 0;
  int min_w = G_MAXINT, max_w = 0;

  g_assert_cmpuint (result->added->len, ==, LIMNER_DEMO_DEFAULT_IMAGES);
  g_assert_cmpint (limner_store_count_images (store, -1), ==, LIMNER_DEMO_DEFAULT_IMAGES);

  /* The label schema: four labels, distinct colours, hotkeys 1–4, guides. */
  labels = limner_store_list_labels (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      LimnerLabel *l = labels->pdata[i];
      g_autofree char *key = g_strdup_printf ("%u", i + 1);

      g_assert_cmpstr (l->name, ==, names[i]);
      g_assert_cmpstr (l->hotkey, ==, key);
      g_assert_nonnull (l->guide);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (l->color, !=, ((LimnerLabel *) labels->pdata[j])->color);
    }

  images = limner_store_list_images (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < images->len; i++)
    {
      LimnerImageRecord *rec = images->pdata[i];
      g_autoptr(GPtrArray) refs = limner_store_list_reference_shapes (store, rec->id, &error);
      g_autofree char *path = limner_store_resolve_path (store, rec->path);
      LimnerImageInfo info;

      g_assert_no_error (error);
      /* Inside the project: stored relative, under demo-images/. */
      g_assert_true (g_str_has_prefix (rec->path, LIMNER_DEMO_DIR_NAME G_DIR_SEPARATOR_S));
      g_assert_true (limner_image_probe (path, &info, &error));
      g_assert_no_error (error);
      g_assert_cmpint (info.width, ==, rec->width);
      if (g_str_equal (rec->format, "png"))
        n_png++;
      else if (g_str_equal (rec->format, "jpeg"))
        n_jpeg++;
      if (rec->width > 1600)
        n_large++;
      min_w = MIN (min_w, rec->width);
      max_w = MAX (max_w, rec->width);

      g_assert_cmpuint (refs->len, >=, 2);
      for (guint j = 0; j < refs->len; j++)
        {
          LimnerReferenceShape *ref = refs->pdata[j];
          const double *v = (const double *) ref->polygon->data;
          guint n = ref->polygon->len / 2;
          double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
          g_autoptr(LimnerLabel) label = limner_store_get_label (store, ref->label_id, &error);

          g_assert_no_error (error);
          for (guint k = 0; k < 4; k++)
            if (g_str_equal (label->name, names[k]))
              kinds_seen[k]++;
          g_assert_cmpuint (n, >=, 3);
          if (g_str_equal (label->name, "triangle"))
            g_assert_cmpuint (n, ==, 3);
          if (g_str_equal (label->name, "rectangle"))
            g_assert_cmpuint (n, ==, 4);
          if (g_str_equal (label->name, "ellipse"))
            g_assert_cmpuint (n, >=, 64);
          for (guint k = 0; k < n; k++)
            {
              /* Inside the image, as docs/architecture.md requires. */
              g_assert_cmpfloat (v[2 * k], >=, 0);
              g_assert_cmpfloat (v[2 * k], <=, rec->width);
              g_assert_cmpfloat (v[2 * k + 1], >=, 0);
              g_assert_cmpfloat (v[2 * k + 1], <=, rec->height);
              x0 = MIN (x0, v[2 * k]);
              y0 = MIN (y0, v[2 * k + 1]);
              x1 = MAX (x1, v[2 * k]);
              y1 = MAX (y1, v[2 * k + 1]);
            }
          /* The box is the polygon's bounds. */
          g_assert_cmpfloat (ref->box[0], ==, x0);
          g_assert_cmpfloat (ref->box[1], ==, y0);
          g_assert_cmpfloat (ref->box[2], ==, x1);
          g_assert_cmpfloat (ref->box[3], ==, y1);
        }
    }
  /* Mostly JPEG with some PNG, varied sizes, some larger, every kind. */
  g_assert_cmpuint (n_png, >=, 1);
  g_assert_cmpuint (n_jpeg, >, n_png);
  g_assert_cmpint (min_w, >=, 640);
  g_assert_cmpint (max_w - min_w, >=, 400);
  g_assert_cmpuint (n_large, >=, 1);
  for (guint k = 0; k < 4; k++)
    g_assert_cmpuint (kinds_seen[k], >=, 1);

  /* Again with the same seed: nothing new, no outline twice. */
  all_refs = limner_store_list_reference_shapes (store, 0, &error);
  g_assert_no_error (error);
  again = generate (store, LIMNER_DEMO_DEFAULT_IMAGES, LIMNER_DEMO_DEFAULT_SEED);
  g_assert_cmpuint (again->added->len, ==, 0);
  g_assert_cmpuint (again->duplicates->len, ==, LIMNER_DEMO_DEFAULT_IMAGES);
  {
    g_autoptr(GPtrArray) refs_after = limner_store_list_reference_shapes (store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (refs_after->len, ==, all_refs->len);
  }
  g_assert_cmpint (limner_store_count_images (store, -1), ==, LIMNER_DEMO_DEFAULT_IMAGES);
}

/* The pixels follow the outlines: inside an object the image differs from
 * just outside it. */
static void
test_objects_drawn (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "one.png", NULL);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  guint distinct = 0;

  g_assert_true (limner_demo_write_image (path, 800, 600, 42, &objects, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (objects->len, >=, 2);
  image = vips_image_new_from_file (path, NULL);
  g_assert_nonnull (image);
  g_assert_cmpint (image->Xsize, ==, 800);

  for (guint i = 0; i < objects->len; i++)
    {
      LimnerDemoObject *o = objects->pdata[i];
      const double *v = (const double *) o->polygon->data;
      guint nv = o->polygon->len / 2;
      double cx = 0, cy = 0;
      double *inside = NULL, *outside = NULL;
      int n = 0;
      double diff = 0;

      /* The mean of the vertices (inside: the shapes are convex or
       * star-shaped around their centre) against a point just left of the
       * box. */
      for (guint k = 0; k < nv; k++)
        {
          cx += v[2 * k] / nv;
          cy += v[2 * k + 1] / nv;
        }
      g_assert_cmpint (vips_getpoint (image, &inside, &n, (int) cx, (int) cy, NULL), ==, 0);
      if (o->box[0] >= 4)
        {
          g_assert_cmpint (vips_getpoint (image, &outside, &n, (int) o->box[0] - 3, (int) cy, NULL), ==, 0);
          for (int c = 0; c < n; c++)
            diff += ABS (inside[c] - outside[c]);
          if (diff > 30)
            distinct++;
        }
      else
        distinct++;
      g_free (inside);
      g_free (outside);
    }
  /* Noise can make one comparison close; most must be clear. */
  g_assert_cmpuint (distinct, >=, objects->len - 1);
}

static void
on_demo_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LimnerImportResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = limner_demo_generate_finish (res, &error);
  g_assert_no_error (error);
}

static void
test_async_creates_project (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "async-demo", NULL);
  g_autoptr(LimnerImportResult) result = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (limner_store_exists (dir));
  limner_demo_generate_async (dir, NULL, NULL, 3, 5, NULL, NULL, NULL, NULL, on_demo_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (result->added->len, ==, 3);
  store = limner_store_open (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_count_images (store, -1), ==, 3);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  tmpdir = g_dir_make_tmp ("limner-test-demo-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_assert_true (limner_core_init (argv[0], NULL));

  g_test_add_func ("/core/demo/same-seed-same-bytes", test_same_seed_same_bytes);
  g_test_add_func ("/core/demo/project-contents", test_project_contents);
  g_test_add_func ("/core/demo/objects-drawn", test_objects_drawn);
  g_test_add_func ("/core/demo/async-creates-project", test_async_creates_project);

  rc = g_test_run ();
  if (rc == 0)
    test_rm_rf (tmpdir);
  g_free (tmpdir);
  return rc;
}
