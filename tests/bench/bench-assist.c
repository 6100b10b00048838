/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-assist.c: how good and how fast the classical-CV assists are.
 *
 *   - Quality on the demo generator's images (known outlines): the magic
 *     wand clicked once at each object's centroid (IoU of the polygon, and of
 *     its bounding box), and box tightening from a rough box (the true box
 *     with each side moved out or in by a seeded random 5–15 %). Clicks per
 *     object against drawing by hand (a box: 2 clicks; a polygon: one per
 *     vertex of the true outline).
 *   - The same on the real photographs of labelme-examples, against the
 *     outlines people drew there (reported even where it does poorly).
 *   - Latency: a wand click on a 24-megapixel JPEG and on a 1-gigapixel
 *     pyramidal tiled TIFF, and the intelligent scissors on a 200 × 200 px
 *     region: the cost map and path tree once per anchor, then each pointer
 *     move.
 * Figures are medians.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

#include "limner-assist.h"
#include "limner-contour.h"
#include "limner-core.h"
#include "limner-demo.h"
#include "limner-geometry.h"
#include "limner-livewire.h"
#include "bench-assist.h"

typedef struct {
  GArray *wand_iou;      /* of double */
  GArray *wand_box_iou;
  GArray *tight_iou;
  GArray *rough_iou;
  GArray *hand_clicks;   /* vertices of the true outline */
  guint   n_failed;
} Scores;

static void
scores_init (Scores *s)
{
  s->wand_iou = g_array_new (FALSE, FALSE, sizeof (double));
  s->wand_box_iou = g_array_new (FALSE, FALSE, sizeof (double));
  s->tight_iou = g_array_new (FALSE, FALSE, sizeof (double));
  s->rough_iou = g_array_new (FALSE, FALSE, sizeof (double));
  s->hand_clicks = g_array_new (FALSE, FALSE, sizeof (double));
  s->n_failed = 0;
}

static void
scores_clear (Scores *s)
{
  g_array_unref (s->wand_iou);
  g_array_unref (s->wand_box_iou);
  g_array_unref (s->tight_iou);
  g_array_unref (s->rough_iou);
  g_array_unref (s->hand_clicks);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  guint n = values->len;
  double *v = (double *) values->data;

  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
fraction_at_least (GArray *values,
                   double  threshold)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) >= threshold;
  return values->len ? (double) n / values->len : NAN;
}

static void
append (GArray *a,
        double  v)
{
  g_array_append_val (a, v);
}

static double
box_iou (const double *a,
         const double *b)
{
  double ix = MAX (0, MIN (a[2], b[2]) - MAX (a[0], b[0]));
  double iy = MAX (0, MIN (a[3], b[3]) - MAX (a[1], b[1]));
  double inter = ix * iy;
  double uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;

  return uni > 0 ? inter / uni : 0;
}

/* The vertex centroid, or, for outlines it falls outside of, the middle of
 * the longest inside run of the horizontal line through it: where a person
 * would click. */
static void
click_point (const GArray *poly,
             double       *x,
             double       *y)
{
  const double *v = (const double *) poly->data;
  guint n = poly->len / 2;
  LimnerRect r = limner_points_bbox (v, n);
  double best = 0, run_start = 0;
  gboolean in_run = FALSE;

  *x = *y = 0;
  for (guint i = 0; i < n; i++)
    {
      *x += v[2 * i] / n;
      *y += v[2 * i + 1] / n;
    }
  if (limner_polygon_contains_point (v, n, *x, *y))
    return;
  for (double px = r.x0; px <= r.x1 + 0.5; px += 0.5)
    {
      gboolean in = px <= r.x1 && limner_polygon_contains_point (v, n, px, *y);

      if (in && !in_run)
        run_start = px;
      else if (!in && in_run && px - run_start > best)
        {
          best = px - run_start;
          *x = (run_start + px) / 2;
        }
      in_run = in;
    }
}

/* One object: the wand at its click point, and tightening a rough box. */
static void
score_object (LimnerTileSource *source,
              const GArray     *truth,
              gboolean          polygon,
              GRand            *rand,
              Scores           *s)
{
  g_autoptr(GError) error = NULL;
  LimnerRect r = limner_points_bbox ((const double *) truth->data, truth->len / 2);
  double box[4] = { r.x0, r.y0, r.x1, r.y1 };
  double w = r.x1 - r.x0, h = r.y1 - r.y0;
  double rough[4], tight[4];

  if (polygon)
    {
      LimnerWandSeed seed = { 0, 0, LIMNER_WAND_ADD };
      g_autoptr(GArray) outline = NULL;

      click_point (truth, &seed.x, &seed.y);
      outline = limner_assist_wand (source, 0, &seed, 1, LIMNER_WAND_DEFAULT_TOLERANCE,
                                    LIMNER_WAND_DEFAULT_SIMPLIFY, &error);
      if (outline == NULL)
        {
          g_printerr ("  wand failed: %s\n", error->message);
          s->n_failed++;
          g_clear_error (&error);
        }
      else
        {
          LimnerRect o = limner_points_bbox ((const double *) outline->data, outline->len / 2);
          double obox[4] = { o.x0, o.y0, o.x1, o.y1 };

          append (s->wand_iou, limner_contour_iou (outline, truth, MAX (0.25, MAX (w, h) / 400)));
          append (s->wand_box_iou, box_iou (obox, box));
        }
      append (s->hand_clicks, truth->len / 2);
    }

  /* Each side out or in by 5–15 % of the box's size. */
  rough[0] = box[0] + (g_rand_boolean (rand) ? 1 : -1) * g_rand_double_range (rand, 0.05, 0.15) * w;
  rough[2] = box[2] + (g_rand_boolean (rand) ? 1 : -1) * g_rand_double_range (rand, 0.05, 0.15) * w;
  rough[1] = box[1] + (g_rand_boolean (rand) ? 1 : -1) * g_rand_double_range (rand, 0.05, 0.15) * h;
  rough[3] = box[3] + (g_rand_boolean (rand) ? 1 : -1) * g_rand_double_range (rand, 0.05, 0.15) * h;
  rough[0] = MAX (rough[0], 0);
  rough[1] = MAX (rough[1], 0);
  rough[2] = MIN (rough[2], limner_tile_source_get_width (source));
  rough[3] = MIN (rough[3], limner_tile_source_get_height (source));
  if (!limner_assist_tighten (source, rough, tight, &error))
    {
      g_printerr ("  tightening failed: %s\n", error->message);
      s->n_failed++;
      return;
    }
  append (s->rough_iou, box_iou (rough, box));
  append (s->tight_iou, box_iou (tight, box));
}

static void
report (const char *name,
        Scores     *s)
{
  printf ("%s:\n", name);
  if (s->wand_iou->len > 0)
    {
      printf ("  wand, 1 click at the centroid: median IoU %.3f (%.0f %% of %u objects >= 0.90);"
              " its bounding box: median IoU %.3f\n",
              median (s->wand_iou), 100 * fraction_at_least (s->wand_iou, 0.90), s->wand_iou->len,
              median (s->wand_box_iou));
      printf ("  clicks per object: wand 1, polygon by hand %.0f (median vertices of the true outline)\n",
              median (s->hand_clicks));
    }
  printf ("  tightening: median IoU %.3f from rough boxes of median IoU %.3f"
          " (%.0f %% of %u boxes >= 0.95); 2 clicks + 0 corrections vs 2 clicks by hand\n",
          median (s->tight_iou), median (s->rough_iou), 100 * fraction_at_least (s->tight_iou, 0.95),
          s->tight_iou->len);
  if (s->n_failed > 0)
    printf ("  %u failures\n", s->n_failed);
}

/* --- Demo images --------------------------------------------------------- */

static void
bench_demo (const char *dir,
            int         n_images,
            Scores     *s)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (int i = 0; i < n_images; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/demo-%03d.%s", dir, i, i % 3 == 1 ? "png" : "jpg");
      g_autoptr(GPtrArray) objects = NULL;
      g_autoptr(LimnerTileSource) source = NULL;
      g_autoptr(GError) error = NULL;
      int width = 960 + 64 * (i % 8), height = 720 + 48 * ((i * 5) % 7);

      if (!limner_demo_write_image (path, width, height, 1000 + i, &objects, &error) ||
          (source = limner_tile_source_new (path, &error)) == NULL)
        g_error ("%s", error->message);
      for (guint k = 0; k < objects->len; k++)
        {
          LimnerDemoObject *o = g_ptr_array_index (objects, k);

          score_object (source, o->polygon, TRUE, rand, s);
        }
    }
}

/* --- labelme-examples ---------------------------------------------------- */

static void
bench_labelme_file (const char *json_path,
                    GRand      *rand,
                    Scores     *s)
{
  g_autofree char *dir = g_path_get_dirname (json_path);
  g_autofree char *image_path = NULL;
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;
  json_error_t jerr;
  json_t *root = json_load_file (json_path, 0, &jerr);
  json_t *shapes, *shape;
  size_t i;

  if (root == NULL || !json_is_string (json_object_get (root, "imagePath")))
    {
      if (root != NULL)
        json_decref (root);
      return;
    }
  image_path = g_build_filename (dir, json_string_value (json_object_get (root, "imagePath")), NULL);
  source = limner_tile_source_new (image_path, &error);
  if (source == NULL)
    {
      g_printerr ("  %s\n", error->message);
      json_decref (root);
      return;
    }
  shapes = json_object_get (root, "shapes");
  json_array_foreach (shapes, i, shape)
    {
      const char *type = json_string_value (json_object_get (shape, "shape_type"));
      const char *label = json_string_value (json_object_get (shape, "label"));
      json_t *points = json_object_get (shape, "points"), *p;
      g_autoptr(GArray) poly = g_array_new (FALSE, FALSE, sizeof (double));
      gboolean polygon;
      size_t k;

      if (type == NULL || (strcmp (type, "polygon") != 0 && strcmp (type, "rectangle") != 0) ||
          g_strcmp0 (label, "__ignore__") == 0)
        continue;
      json_array_foreach (points, k, p)
        {
          double v[2] = { json_number_value (json_array_get (p, 0)), json_number_value (json_array_get (p, 1)) };

          g_array_append_vals (poly, v, 2);
        }
      polygon = strcmp (type, "polygon") == 0;
      if (polygon && poly->len < 6)
        continue;
      if (!polygon)
        {
          /* Two corners: as a polygon, for the box's bounds. */
          double x0 = g_array_index (poly, double, 0), y0 = g_array_index (poly, double, 1);
          double x1 = g_array_index (poly, double, 2), y1 = g_array_index (poly, double, 3);
          double v[8] = { MIN (x0, x1), MIN (y0, y1), MAX (x0, x1), MIN (y0, y1),
                          MAX (x0, x1), MAX (y0, y1), MIN (x0, x1), MAX (y0, y1) };

          g_array_set_size (poly, 0);
          g_array_append_vals (poly, v, 8);
        }
      score_object (source, poly, polygon, rand, s);
    }
  json_decref (root);
}

static void
bench_labelme (const char *root_dir,
               Scores     *s)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (stack, g_strdup (root_dir));
  while (stack->len > 0)
    {
      g_autofree char *dir = g_ptr_array_steal_index (stack, stack->len - 1);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          char *path = g_build_filename (dir, name, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_DIR))
            g_ptr_array_add (stack, path);
          else if (g_str_has_suffix (name, ".json") && strstr (dir, "data_annotated") != NULL)
            g_ptr_array_add (files, path);
          else if (g_str_has_suffix (name, ".json") && strstr (dir, "tutorial") != NULL)
            g_ptr_array_add (files, path);
          else
            g_free (path);
        }
    }
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    bench_labelme_file (g_ptr_array_index (files, i), rand, s);
}

/* --- Latency ------------------------------------------------------------- */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* CPU time of the whole process (libvips' worker threads included): on a
 * machine shared with other work, wall-clock times mostly measure waiting
 * for a core, so both are reported. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Wand clicks on the objects, in ms: the first click on the image apart
 * (it opens the file's pixels), then the median of the others. */
static void
time_wand (const char *name,
           const char *path,
           GPtrArray  *objects,
           double      offset_x,
           double      offset_y)
{
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ious = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double first = NAN, first_cpu = NAN, t0, c0;

  t0 = now_ms ();
  source = limner_tile_source_new (path, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  printf ("%s: open %.1f ms\n", name, now_ms () - t0);
  for (guint k = 0; k < objects->len; k++)
    {
      LimnerDemoObject *o = g_ptr_array_index (objects, k);
      g_autoptr(GArray) truth = g_array_copy (o->polygon);
      g_autoptr(GArray) outline = NULL;
      LimnerWandSeed seed = { 0, 0, LIMNER_WAND_ADD };

      for (guint i = 0; i < truth->len; i += 2)
        {
          g_array_index (truth, double, i) += offset_x;
          g_array_index (truth, double, i + 1) += offset_y;
        }
      click_point (truth, &seed.x, &seed.y);
      t0 = now_ms ();
      c0 = cpu_ms ();
      outline = limner_assist_wand (source, 0, &seed, 1, LIMNER_WAND_DEFAULT_TOLERANCE,
                                    LIMNER_WAND_DEFAULT_SIMPLIFY, &error);
      if (outline == NULL)
        g_error ("%s", error->message);
      if (k == 0)
        {
          first = now_ms () - t0;
          first_cpu = cpu_ms () - c0;
        }
      else
        {
          append (times, now_ms () - t0);
          append (cpu, cpu_ms () - c0);
        }
      append (ious, limner_contour_iou (outline, truth, 1.0));
    }
  printf ("  wand click: first %.1f ms (CPU %.1f ms), then median %.1f ms (CPU %.1f ms)"
          " over %u clicks (median IoU %.3f)\n",
          first, first_cpu, median (times), median (cpu), times->len, median (ious));
}

static void
time_scissors (const char *path,
               GPtrArray  *objects)
{
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) build = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) read = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) build_cpu = g_array_new (FALSE, FALSE, sizeof (double));

  source = limner_tile_source_new (path, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  for (guint k = 0; k < objects->len; k++)
    {
      LimnerDemoObject *o = g_ptr_array_index (objects, k);
      guint n = o->polygon->len / 2;
      double ax = g_array_index (o->polygon, double, 0), ay = g_array_index (o->polygon, double, 1);
      g_autoptr(LimnerLiveWire) wire = NULL;
      g_autoptr(LimnerAssistRegion) region = NULL;
      double t0, c0;

      t0 = now_ms ();
      region = limner_assist_region_read (source, 0, (int) ax - 100, (int) ay - 100, 200, 200, &error);
      if (region == NULL)
        g_error ("%s", error->message);
      append (read, now_ms () - t0);
      t0 = now_ms ();
      c0 = cpu_ms ();
      wire = limner_live_wire_new (region, ax, ay, &error);
      if (wire == NULL)
        g_error ("%s", error->message);
      append (build, now_ms () - t0);
      append (build_cpu, cpu_ms () - c0);
      /* The pointer moving along the outline away from the anchor. */
      for (guint i = 1; i < MIN (n, 40); i++)
        {
          g_autoptr(GArray) path_points = NULL;

          t0 = now_ms ();
          path_points = limner_live_wire_path (wire, g_array_index (o->polygon, double, 2 * i),
                                               g_array_index (o->polygon, double, 2 * i + 1), 1.0);
          append (moves, now_ms () - t0);
        }
    }
  printf ("scissors on 200x200 px regions: reading the region %.2f ms, cost map + path tree"
          " per anchor %.2f ms (CPU %.2f ms; median of %u), each pointer move %.4f ms (median of %u)\n",
          median (read), median (build), median (build_cpu), build->len, median (moves), moves->len);
}

/* A 1-gigapixel pyramidal JPEG tiled TIFF: a 4096 px demo image with its
 * objects, repeated 8 × 8. Generated once into `dir`. */
static void
ensure_gigapixel (const char *tile_path,
                  const char *tiff_path)
{
  VipsImage *tile, *big = NULL;
  double t0;

  if (g_file_test (tiff_path, G_FILE_TEST_EXISTS))
    return;
  g_printerr ("generating %s...\n", tiff_path);
  t0 = now_ms ();
  tile = vips_image_new_from_file (tile_path, NULL);
  if (tile == NULL || vips_replicate (tile, &big, 8, 8, NULL) ||
      vips_tiffsave (big, tiff_path, "tile", TRUE, "tile_width", 256, "tile_height", 256,
                     "pyramid", TRUE, "subifd", TRUE, "compression", VIPS_FOREIGN_TIFF_COMPRESSION_JPEG,
                     "Q", 85, "bigtiff", TRUE, NULL))
    g_error ("cannot write %s: %s", tiff_path, vips_error_buffer ());
  g_object_unref (big);
  g_object_unref (tile);
  g_printerr ("  done in %.1f s\n", (now_ms () - t0) / 1000);
}

int
limner_bench_assist (int    argc,
                     char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *labelme = NULL;
  int n_images = 24;
  gboolean quick = FALSE;
  gboolean scores_only = FALSE;
  GOptionEntry entries[] = {
    { "images", 0, 0, G_OPTION_ARG_INT, &n_images, "Demo images to score (default 24)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where to keep generated inputs (default a temporary folder)", "DIR" },
    { "labelme", 0, 0, G_OPTION_ARG_FILENAME, &labelme,
      "labelme-examples' examples folder (default /usr/share/doc/labelme-examples/examples)", "DIR" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Skip the gigapixel TIFF", NULL },
    { "scores-only", 0, 0, G_OPTION_ARG_NONE, &scores_only, "Only the demo images' scores", NULL },
    { NULL }
  };
  Scores demo, real;

  /* Results show as they come, even if a later stage fails. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  context = g_option_context_new ("- magic wand, box tightening and scissors");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!limner_core_init ("limner-bench", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (dir == NULL)
    dir = g_dir_make_tmp ("limner-bench-assist-XXXXXX", NULL);
  else
    g_mkdir_with_parents (dir, 0755);
  if (labelme == NULL)
    labelme = g_strdup ("/usr/share/doc/labelme-examples/examples");

  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      printf ("load average %.1f on %d cores: wall-clock times include waiting for a core\n",
              load[0], g_get_num_processors ());
  }
  scores_init (&demo);
  bench_demo (dir, n_images, &demo);
  report ("demo images", &demo);
  scores_clear (&demo);
  if (scores_only)
    return 0;

  scores_init (&real);
  if (g_file_test (labelme, G_FILE_TEST_IS_DIR))
    {
      bench_labelme (labelme, &real);
      report ("labelme-examples photographs (outlines drawn by people)", &real);
    }
  else
    printf ("labelme-examples not found at %s: not scored\n", labelme);
  scores_clear (&real);

  {
    g_autofree char *path = g_build_filename (dir, "demo-24mp.jpg", NULL);
    g_autoptr(GPtrArray) objects = NULL;

    if (!limner_demo_write_image (path, 6000, 4000, 77, &objects, &error))
      g_error ("%s", error->message);
    time_wand ("24-megapixel JPEG (6000x4000)", path, objects, 0, 0);
    time_scissors (path, objects);
  }

  if (!quick)
    {
      g_autofree char *tile = g_build_filename (dir, "demo-4096.png", NULL);
      g_autofree char *tiff = g_build_filename (dir, "gigapixel-assist.tif", NULL);
      g_autoptr(GPtrArray) objects = NULL;

      if (!limner_demo_write_image (tile, 4096, 4096, 78, &objects, &error))
        g_error ("%s", error->message);
      ensure_gigapixel (tile, tiff);
      /* The objects of the replica in the middle of the image. */
      time_wand ("1-gigapixel pyramidal TIFF (32768x32768)", tiff, objects, 4 * 4096, 4 * 4096);
    }

  return 0;
}
