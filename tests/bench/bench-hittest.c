/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-hittest.c: how fast the shape under the cursor is found.
 *
 * Fills a LimnerDocument with N random 20-vertex polygons (5,000 and 50,000
 * by default) on a 10,000 x 10,000 image, then times, per query:
 *   - limner_document_hit_test() at a random point, exact (tolerance 0) and
 *     with a 4 px tolerance as the canvas uses, i.e. spatial-index lookup
 *     plus the exact point-in-polygon / outline-distance refinement;
 *   - limner_document_query_rect_shapes() for a random 1920 x 1080 viewport
 *     at 1:1 (the culling the overlay does each frame) and for the whole
 *     image (fit to window);
 *   - a linear scan over every shape, for comparison.
 * Each figure is the median over many queries, taken as the median of
 * several runs; p99 and max show the tail. Also reports the time to build
 * the document and its index.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "limner-core.h"
#include "limner-document.h"
#include "bench-hittest.h"

#define IMAGE_SIDE 10000
#define N_VERTICES 20
#define VIEW_WIDTH 1920
#define VIEW_HEIGHT 1080

typedef struct {
  double median_us;
  double p99_us;
  double max_us;
} Stats;

static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* A star-ish polygon: irregular radii so that it is concave, as traced
 * outlines are. Mostly small objects, a few large ones. */
static LimnerShape *
random_polygon (GRand *rand,
                gint64 id)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
  double r = g_rand_int_range (rand, 0, 100) == 0 ? g_rand_double_range (rand, 200, 800)
                                                  : g_rand_double_range (rand, 10, 60);
  double cx = g_rand_double_range (rand, r, IMAGE_SIDE - r);
  double cy = g_rand_double_range (rand, r, IMAGE_SIDE - r);

  for (guint i = 0; i < N_VERTICES; i++)
    {
      double a = 2 * G_PI * i / N_VERTICES;
      double rr = r * g_rand_double_range (rand, 0.6, 1.0);
      double p[2] = { cx + rr * cos (a), cy + rr * sin (a) };

      g_array_append_vals (shape->points, p, 2);
    }
  shape->id = id;
  shape->image_id = 1;
  shape->label_id = 1 + id % 5;
  return shape;
}

typedef double (*QueryFunc) (LimnerDocument *doc, GRand *rand, guint *n_found);

static double
query_exact (LimnerDocument *doc, GRand *rand, guint *n_found)
{
  double x = g_rand_double_range (rand, 0, IMAGE_SIDE);
  double y = g_rand_double_range (rand, 0, IMAGE_SIDE);
  double t0 = now_us ();
  g_autoptr(GArray) hits = limner_document_hit_test (doc, x, y, 0, LIMNER_HIT_DEFAULT);
  double t1 = now_us ();

  *n_found += hits->len;
  return t1 - t0;
}

static double
query_tolerance (LimnerDocument *doc, GRand *rand, guint *n_found)
{
  double x = g_rand_double_range (rand, 0, IMAGE_SIDE);
  double y = g_rand_double_range (rand, 0, IMAGE_SIDE);
  double t0 = now_us ();
  g_autoptr(GArray) hits = limner_document_hit_test (doc, x, y, 4, LIMNER_HIT_DEFAULT);
  double t1 = now_us ();

  *n_found += hits->len;
  return t1 - t0;
}

static double
query_viewport (LimnerDocument *doc, GRand *rand, guint *n_found)
{
  double x = g_rand_double_range (rand, 0, IMAGE_SIDE - VIEW_WIDTH);
  double y = g_rand_double_range (rand, 0, IMAGE_SIDE - VIEW_HEIGHT);
  LimnerRect view = { x, y, x + VIEW_WIDTH, y + VIEW_HEIGHT };
  double t0 = now_us ();
  g_autoptr(GPtrArray) shapes = limner_document_query_rect_shapes (doc, &view);
  double t1 = now_us ();

  *n_found += shapes->len;
  return t1 - t0;
}

static double
query_whole (LimnerDocument *doc, GRand *rand, guint *n_found)
{
  LimnerRect view = { 0, 0, IMAGE_SIDE, IMAGE_SIDE };
  double t0 = now_us ();
  g_autoptr(GPtrArray) shapes = limner_document_query_rect_shapes (doc, &view);
  double t1 = now_us ();

  *n_found += shapes->len;
  return t1 - t0;
}

/* What a hit test without an index would cost: every shape, exactly. */
static double
query_scan (LimnerDocument *doc, GRand *rand, guint *n_found)
{
  double x = g_rand_double_range (rand, 0, IMAGE_SIDE);
  double y = g_rand_double_range (rand, 0, IMAGE_SIDE);
  guint n = limner_document_get_n_shapes (doc);
  double t0 = now_us ();
  guint found = 0;

  for (guint i = n; i > 0; i--)
    if (limner_shape_contains_point (limner_document_get_nth_shape (doc, i - 1), x, y))
      found++;
  *n_found += found;
  return now_us () - t0;
}

static Stats
measure (LimnerDocument *doc,
         QueryFunc       func,
         guint           queries,
         guint           runs,
         guint32         seed,
         double         *mean_found)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree double *times = g_new (double, queries);
  g_autofree double *all = g_new (double, (gsize) queries * runs);
  g_autofree double *run_medians = g_new (double, runs);
  guint found = 0;
  Stats stats;

  for (guint r = 0; r < runs; r++)
    {
      for (guint q = 0; q < queries; q++)
        {
          times[q] = func (doc, rand, &found);
          all[(gsize) r * queries + q] = times[q];
        }
      run_medians[r] = median (times, queries);
    }
  stats.median_us = median (run_medians, runs);
  qsort (all, (gsize) queries * runs, sizeof (double), compare_doubles);
  stats.p99_us = all[(gsize) ((queries * runs - 1) * 0.99)];
  stats.max_us = all[(gsize) queries * runs - 1];
  *mean_found = (double) found / (queries * runs);
  return stats;
}

static void
report (const char *what,
        guint       n_shapes,
        Stats       s,
        double      mean_found,
        gboolean    json,
        gboolean   *first)
{
  if (json)
    {
      g_print ("%s    {\"shapes\": %u, \"query\": \"%s\", \"median_us\": %.3f, \"p99_us\": %.3f, "
               "\"max_us\": %.3f, \"mean_results\": %.2f}",
               *first ? "" : ",\n", n_shapes, what, s.median_us, s.p99_us, s.max_us, mean_found);
      *first = FALSE;
    }
  else
    g_print ("  %-26s median %9.3f us   p99 %9.3f us   max %9.3f us   (%.1f results)\n",
             what, s.median_us, s.p99_us, s.max_us, mean_found);
}

int
limner_bench_hittest (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) counts = NULL;
  int queries = 10000;
  int runs = 5;
  gboolean json = FALSE;
  gboolean first = TRUE;
  gboolean met = TRUE;
  GOptionEntry entries[] = {
    { "shapes", 's', 0, G_OPTION_ARG_STRING_ARRAY, &counts,
      "Number of polygons (repeatable; default 5000 and 50000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &queries, "Queries per run (default 10000)", "Q" },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs per measurement (default 5)", "R" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Machine-readable output", NULL },
    { NULL }
  };
  const char *default_counts[] = { "5000", "50000", NULL };

  context = g_option_context_new ("— hit-test and culling benchmarks");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  queries = MAX (queries, 1);
  runs = MAX (runs, 1);

  if (json)
    g_print ("{\"benchmark\": \"hittest\", \"image\": [%d, %d], \"vertices\": %d, \"results\": [\n",
             IMAGE_SIDE, IMAGE_SIDE, N_VERTICES);

  for (const char * const *c = counts ? (const char * const *) counts : default_counts; *c; c++)
    {
      guint64 n_shapes = 0;
      g_autoptr(LimnerDocument) doc = NULL;
      g_autoptr(GPtrArray) shapes = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
      double t0, build_ms, mean_found;
      Stats s;

      if (!g_ascii_string_to_unsigned (*c, 10, 1, 10000000, &n_shapes, &error))
        {
          g_printerr ("--shapes %s: %s\n", *c, error->message);
          return 2;
        }

      shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
      for (guint64 i = 1; i <= n_shapes; i++)
        g_ptr_array_add (shapes, random_polygon (rand, (gint64) i));
      doc = limner_document_new (1, IMAGE_SIDE, IMAGE_SIDE, NULL);
      t0 = now_us ();
      limner_document_reset_shapes (doc, shapes);
      build_ms = (now_us () - t0) / 1000;

      if (json)
        {
          g_print ("%s    {\"shapes\": %u, \"query\": \"build\", \"ms\": %.1f}",
                   first ? "" : ",\n", (guint) n_shapes, build_ms);
          first = FALSE;
        }
      else
        g_print ("%u polygons of %d vertices on a %dx%d image (document + index built in %.1f ms):\n",
                 (guint) n_shapes, N_VERTICES, IMAGE_SIDE, IMAGE_SIDE, build_ms);

      s = measure (doc, query_exact, queries, runs, 1, &mean_found);
      met = met && s.median_us <= 1000;
      report ("hit test", n_shapes, s, mean_found, json, &first);
      s = measure (doc, query_tolerance, queries, runs, 2, &mean_found);
      met = met && s.median_us <= 1000;
      report ("hit test, 4 px tolerance", n_shapes, s, mean_found, json, &first);
      s = measure (doc, query_viewport, MAX (queries / 10, 1), runs, 3, &mean_found);
      report ("viewport 1920x1080 cull", n_shapes, s, mean_found, json, &first);
      s = measure (doc, query_whole, MAX (queries / 1000, 3), runs, 4, &mean_found);
      report ("whole-image cull", n_shapes, s, mean_found, json, &first);
      s = measure (doc, query_scan, MAX (queries / 100, 3), runs, 5, &mean_found);
      report ("linear scan (no index)", n_shapes, s, mean_found, json, &first);
    }

  if (json)
    g_print ("\n], \"target_hit_test_us\": 1000, \"met\": %s}\n", met ? "true" : "false");
  else
    g_print ("Target: hit test <= 1 ms (1000 us): %s\n", met ? "met" : "MISSED");
  return 0;
}
