/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli assist, run as a program (LIMNER_CLI): the magic wand and box
 * tightening on an image with a known object, --json output, --save as an
 * annotator, and the errors. */

#include "config.h"

#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <vips/vips.h>

#include "limner-contour.h"
#include "limner-core.h"
#include "limner-test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  Run r = { 0 };
  int wait_status;
  va_list ap;

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    g_error ("limner-cli died of signal %d; stderr: %s", WTERMSIG (wait_status), r.err);
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static json_t *
parse_json (const char *text)
{
  json_error_t jerr;
  json_t *value = json_loads (text, JSON_REJECT_DUPLICATES, &jerr);

  if (value == NULL)
    g_error ("limner-cli printed invalid JSON (%s): %s", jerr.text, text);
  return value;
}

/* The object: an orange rectangle [120, 280) x [90, 200) on a noisy grey
 * texture, 400 x 300. */
static void
write_image (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  int w = 400, h = 300;
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);
  VipsImage *image;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gboolean in = x >= 120 && x < 280 && y >= 90 && y < 200;
        const int colour[3] = { 235, 140, 30 };

        for (int c = 0; c < 3; c++)
          rgb[((gsize) y * w + x) * 3 + c] =
            CLAMP ((in ? colour[c] : 110 + 30 * sin (x / 5.0) * cos (y / 7.0)) +
                   g_rand_double_range (rand, -8, 8), 0, 255);
      }
  image = vips_image_new_from_memory (rgb, (gsize) w * h * 3, w, h, 3, VIPS_FORMAT_UCHAR);
  g_assert_cmpint (vips_pngsave (image, path, NULL), ==, 0);
  g_object_unref (image);
}

static GArray *
points_from_json (json_t *points)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (double));
  size_t i;
  json_t *p;

  json_array_foreach (points, i, p)
    {
      double v[2] = { json_number_value (json_array_get (p, 0)),
                      json_number_value (json_array_get (p, 1)) };

      g_array_append_vals (array, v, 2);
    }
  return array;
}

static void
test_assist (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("limner-cli-assist-XXXXXX", NULL);
  g_autofree char *project = g_build_filename (tmp, "proj", NULL);
  g_autofree char *image = g_build_filename (tmp, "object.png", NULL);
  const double truth_coords[] = { 120, 90, 280, 90, 280, 200, 120, 200 };
  g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (truth, truth_coords, 8);
  write_image (image);
  {
    g_auto(Run) r = cli ("init", project, "--user", "lead1", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = cli ("import", project, image, "--user", "lead1", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = cli ("labels", project, "add", "box", "--user", "lead1", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = cli ("users", project, "add", "ann", "--role", "annotator", "--user", "lead1", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  /* The wand, by image id, options after the positional arguments. */
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "200.5", "140", "--json", "--user", "ann", NULL);
    json_t *root;
    g_autoptr(GArray) polygon = NULL;

    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    g_assert_cmpstr (json_string_value (json_object_get (root, "kind")), ==, "polygon");
    g_assert_cmpint (json_integer_value (json_object_get (root, "image_id")), ==, 1);
    g_assert_null (json_object_get (root, "shape_id"));
    polygon = points_from_json (json_object_get (root, "points"));
    g_assert_cmpuint (polygon->len / 2, >=, 4);
    g_assert_cmpfloat (limner_contour_iou (polygon, truth, 0.5), >, 0.97);
    json_decref (root);
  }

  /* Tightening, by the absolute path, with --save as the annotator. */
  {
    g_auto(Run) r = cli ("assist", "--json", "--user", "ann", "--save", "box", project, image,
                         "tighten", "108", "101", "295", "191", NULL);
    json_t *root, *box;

    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    g_assert_cmpstr (json_string_value (json_object_get (root, "kind")), ==, "box");
    box = json_object_get (root, "box");
    g_assert_cmpfloat (fabs (json_number_value (json_array_get (box, 0)) - 120), <=, 1.5);
    g_assert_cmpfloat (fabs (json_number_value (json_array_get (box, 1)) - 90), <=, 1.5);
    g_assert_cmpfloat (fabs (json_number_value (json_array_get (box, 2)) - 280), <=, 1.5);
    g_assert_cmpfloat (fabs (json_number_value (json_array_get (box, 3)) - 200), <=, 1.5);
    g_assert_cmpint (json_integer_value (json_object_get (root, "shape_id")), >, 0);
    g_assert_cmpstr (json_string_value (json_object_get (root, "label")), ==, "box");
    json_decref (root);
  }
  /* The wand saved too: two shapes, and the annotator holds the image. */
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "200", "140", "--save", "box",
                         "--user", "ann", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Saved as shape"));
  }
  {
    g_auto(Run) r = cli ("info", project, "--json", "--user", "lead1", NULL);
    json_t *root = parse_json (r.out);

    g_assert_cmpint (json_integer_value (json_object_get (root, "shapes")), ==, 2);
    g_assert_cmpint (json_integer_value (json_object_get (json_object_get (json_object_get (root, "images"), "by_status"),
                                                          "in_progress")), ==, 1);
    json_decref (root);
  }

  /* Errors name the item; bad usage exits with 2. */
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "400", "10", "--user", "ann", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "(400, 10)"));
    g_assert_nonnull (strstr (r.err, "outside the image"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "7", "wand", "10", "10", "--user", "ann", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "7"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "10", "10", "--save", "nolabel", "--user", "ann", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "nolabel"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "lasso", "10", "10", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "lasso"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "ten", "10", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "ten"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "10", "10", "--tolerance", "300", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "tighten", "10", "10", "5", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }

  limner_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  g_test_add_func ("/cli/assist", test_assist);

  return g_test_run ();
}
