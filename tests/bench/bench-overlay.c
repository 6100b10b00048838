/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-overlay.c: how long drawing many shapes takes.
 *
 * Builds a document with N polygons of 20 vertices (and no store), then
 * renders the overlay of a 1920×1080 viewport with the canvas' rasteriser
 * (limner-canvas-overlay.c), headless:
 *   - "full": the whole viewport as one image, as after a zoom change;
 *   - "tiles": the same in 256 px tiles, one by one on one thread;
 *   - "tiles, N threads": the same tiles spread over the processors, which
 *     is what the canvas does (limner_canvas_overlay_render_many());
 *   - "edit": the tiles under one shape, as after moving it;
 * at fit-to-window (every shape visible) and at 1:1. Medians of several
 * runs; each figure has its wall-clock time and this thread's CPU time
 * (which other processes on a busy machine do not inflate). Hit tests have
 * their own benchmark (bench-hittest.c).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "limner-canvas-overlay.h"
#include "limner-core.h"
#include "limner-document.h"
#include "bench-overlay.h"

#define VIEW_WIDTH 1920
#define VIEW_HEIGHT 1080
#define TILE 256
#define N_VERTICES 20

/* CPU time of this thread, so that other processes on a busy machine do not
 * count; the wall-clock figures are printed next to it. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
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

/* N star-ish polygons with random centres and radii, and 8 labels. */
static LimnerDocument *
make_document (guint n_shapes,
               int   width,
               int   height,
               guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  LimnerDocument *document = limner_document_new (1, width, height, NULL);

  for (guint i = 0; i < n_shapes; i++)
    {
      LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double r = g_rand_double_range (rand, 15, 45);
      double cx = g_rand_double_range (rand, r, width - r);
      double cy = g_rand_double_range (rand, r, height - r);

      shape->id = i + 1;
      shape->image_id = 1;
      shape->label_id = 1 + i % 8;
      for (int k = 0; k < N_VERTICES; k++)
        {
          double angle = k * 2 * G_PI / N_VERTICES;
          double rr = r * g_rand_double_range (rand, 0.7, 1.0);
          double x = cx + rr * cos (angle);
          double y = cy + rr * sin (angle);

          g_array_append_val (shape->points, x);
          g_array_append_val (shape->points, y);
        }
      g_ptr_array_add (shapes, shape);
    }
  limner_document_reset_shapes (document, shapes);
  return document;
}

typedef struct {
  LimnerOverlayStyle style;
  GHashTable        *colors;
  guint8            *buffer;
  guint8            *tiles;    /* room for the viewport's tiles, one after the other */
  int                stride;
} Renderer;

static void
renderer_init (Renderer *r)
{
  static const guint32 palette[8] = {
    0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0, 0xf032e6,
  };

  r->colors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (int i = 0; i < 8; i++)
    {
      gint64 *key = g_new (gint64, 1);

      *key = i + 1;
      g_hash_table_insert (r->colors, key, GUINT_TO_POINTER (palette[i]));
    }
  r->style.line_width = 2.0;
  r->style.fill_alpha = 0.2;
  r->style.default_rgb = 0xffcc00;
  r->style.label_rgb = r->colors;
  r->style.exclude_id = 0;
  r->stride = VIEW_WIDTH * 4;
  r->buffer = g_malloc ((gsize) r->stride * VIEW_HEIGHT);
  r->tiles = g_malloc0 ((gsize) r->stride * VIEW_HEIGHT * 2);
}

static void
renderer_clear (Renderer *r)
{
  g_hash_table_unref (r->colors);
  g_free (r->buffer);
  g_free (r->tiles);
}

/* The viewport's top-left corner in device pixels of the zoomed image. */
typedef struct {
  double zoom;
  double x0;
  double y0;
} View;

typedef struct {
  double wall_ms;
  double cpu_ms;
} Timing;

typedef struct {
  gint64 wall;
  gint64 cpu;
} Stopwatch;

static Stopwatch
stopwatch_start (void)
{
  Stopwatch w = { g_get_monotonic_time (), cpu_time_us () };

  return w;
}

static Timing
stopwatch_read (const Stopwatch *w)
{
  Timing t = {
    (g_get_monotonic_time () - w->wall) / 1000.0,
    (cpu_time_us () - w->cpu) / 1000.0,
  };

  return t;
}

static Timing
time_full (LimnerDocument *document,
           Renderer       *r,
           const View     *view,
           guint          *n_drawn)
{
  LimnerOverlayArea area = { view->zoom, view->x0, view->y0, VIEW_WIDTH, VIEW_HEIGHT };
  Stopwatch w = stopwatch_start ();

  *n_drawn = limner_canvas_overlay_render (document, &r->style, &area, r->buffer, r->stride);
  return stopwatch_read (&w);
}

/* Renders the overlay tiles (aligned on the zoomed image's grid, as the
 * canvas aligns them) that meet the device rectangle x, y, w, h. */
static Timing
time_tiles (LimnerDocument *document,
            Renderer       *r,
            double          zoom,
            double          x,
            double          y,
            double          w,
            double          h,
            guint          *n_tiles)
{
  int tx0 = (int) floor (x / TILE), ty0 = (int) floor (y / TILE);
  int tx1 = (int) floor ((x + w - 1) / TILE), ty1 = (int) floor ((y + h - 1) / TILE);
  Stopwatch watch = stopwatch_start ();

  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++)
      {
        LimnerOverlayArea area = { zoom, tx * TILE, ty * TILE, TILE, TILE };

        limner_canvas_overlay_render (document, &r->style, &area, r->buffer, r->stride);
      }
  *n_tiles = (tx1 - tx0 + 1) * (ty1 - ty0 + 1);
  return stopwatch_read (&watch);
}

/* The same tiles through limner_canvas_overlay_render_many(), as the
 * canvas renders them: spread over every processor. */
static Timing
time_tiles_parallel (LimnerDocument *document,
                     Renderer       *r,
                     double          zoom,
                     double          x,
                     double          y,
                     double          w,
                     double          h)
{
  int tx0 = (int) floor (x / TILE), ty0 = (int) floor (y / TILE);
  int tx1 = (int) floor ((x + w - 1) / TILE), ty1 = (int) floor ((y + h - 1) / TILE);
  guint n = (tx1 - tx0 + 1) * (ty1 - ty0 + 1);
  g_autofree LimnerOverlayArea *areas = g_new (LimnerOverlayArea, n);
  g_autofree guint8 **pixels = g_new (guint8 *, n);
  g_autofree guint *n_drawn = g_new (guint, n);
  Stopwatch watch;
  Timing t;
  guint k = 0;

  /* Tile buffers come from the canvas' recycled pool: already mapped. */
  g_assert (n * TILE * TILE * 4 <= (gsize) r->stride * VIEW_HEIGHT * 2);
  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++, k++)
      {
        LimnerOverlayArea area = { zoom, tx * TILE, ty * TILE, TILE, TILE };

        areas[k] = area;
        pixels[k] = r->tiles + (gsize) k * TILE * TILE * 4;
      }

  watch = stopwatch_start ();
  limner_canvas_overlay_render_many (document, &r->style, areas, n, pixels, TILE * 4, n_drawn);
  t = stopwatch_read (&watch);
  return t;
}

typedef struct {
  double *wall;
  double *cpu;
} Samples;

static void
samples_init (Samples *s,
              int      runs)
{
  s->wall = g_new (double, runs);
  s->cpu = g_new (double, runs);
}

static void
samples_set (Samples *s,
             int      i,
             Timing   t)
{
  s->wall[i] = t.wall_ms;
  s->cpu[i] = t.cpu_ms;
}

static char *
samples_format (Samples *s,
                int      runs)
{
  char *text = g_strdup_printf ("%7.2f ms (cpu %6.2f)", median (s->wall, runs), median (s->cpu, runs));

  g_free (s->wall);
  g_free (s->cpu);
  return text;
}

static void
bench_view (LimnerDocument *document,
            Renderer       *r,
            const char     *name,
            const View     *view,
            int             runs)
{
  Samples full, tiles, parallel, edit;
  g_autofree char *full_text = NULL;
  g_autofree char *tiles_text = NULL;
  g_autofree char *parallel_text = NULL;
  g_autofree char *edit_text = NULL;
  guint n_drawn = 0, n_tiles = 0, n_edit_tiles = 0;
  guint n_shapes = limner_document_get_n_shapes (document);

  samples_init (&full, runs);
  samples_init (&tiles, runs);
  samples_init (&parallel, runs);
  samples_init (&edit, runs);
  for (int i = 0; i < runs; i++)
    {
      const LimnerShape *shape = limner_document_get_nth_shape (document, (i * 7919) % n_shapes);
      LimnerRect bbox = limner_shape_bbox (shape);

      samples_set (&full, i, time_full (document, r, view, &n_drawn));
      samples_set (&tiles, i, time_tiles (document, r, view->zoom, view->x0, view->y0,
                                          VIEW_WIDTH, VIEW_HEIGHT, &n_tiles));
      samples_set (&parallel, i, time_tiles_parallel (document, r, view->zoom, view->x0, view->y0,
                                                      VIEW_WIDTH, VIEW_HEIGHT));
      /* After an edit, only the tiles under the old and new outline. */
      samples_set (&edit, i, time_tiles (document, r, view->zoom,
                                         bbox.x0 * view->zoom - 3, bbox.y0 * view->zoom - 3,
                                         (bbox.x1 - bbox.x0) * view->zoom + 6,
                                         (bbox.y1 - bbox.y0) * view->zoom + 6, &n_edit_tiles));
    }
  full_text = samples_format (&full, runs);
  tiles_text = samples_format (&tiles, runs);
  parallel_text = samples_format (&parallel, runs);
  edit_text = samples_format (&edit, runs);

  printf ("%6u polygons, %s (zoom %.3f, %u drawn):\n"
          "    full viewport      %s\n"
          "    as %3u tiles       %s\n"
          "    tiles, %u threads   %s   <- what the canvas does after a zoom\n"
          "    one-shape edit     %s (%u tiles)\n",
          n_shapes, name, view->zoom, n_drawn, full_text,
          n_tiles, tiles_text, g_get_num_processors (), parallel_text, edit_text, n_edit_tiles);
  fflush (stdout);
}

static void
bench_count (guint n_shapes,
             int   width,
             int   height,
             int   runs)
{
  g_autoptr(LimnerDocument) document = NULL;
  Renderer r;
  View fit, one;
  gint64 start = g_get_monotonic_time ();

  document = make_document (n_shapes, width, height, 42);
  g_printerr ("built %u polygons in %.0f ms\n", n_shapes,
              (g_get_monotonic_time () - start) / 1000.0);
  renderer_init (&r);

  fit.zoom = MIN ((double) VIEW_WIDTH / width, (double) VIEW_HEIGHT / height);
  fit.x0 = (width * fit.zoom - VIEW_WIDTH) / 2;
  fit.y0 = (height * fit.zoom - VIEW_HEIGHT) / 2;
  one.zoom = 1.0;
  one.x0 = (width - VIEW_WIDTH) / 2.0;
  one.y0 = (height - VIEW_HEIGHT) / 2.0;

  bench_view (document, &r, "fit", &fit, runs);
  bench_view (document, &r, "1:1", &one, runs);
  renderer_clear (&r);
}

int
limner_bench_overlay (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int runs = 7;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs per measurement (default 7)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— overlay rendering benchmarks");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!limner_core_init (argv[0], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  runs = MAX (runs, 1);

  printf ("viewport %dx%d, polygons of %d vertices, radius 15-45 image px, outline 2 px, fill 20%%\n",
          VIEW_WIDTH, VIEW_HEIGHT, N_VERTICES);
  /* 5,000 on a 12 MP photo; 50,000 on an image ten times the area. */
  bench_count (5000, 4000, 3000, runs);
  bench_count (50000, 12650, 9490, runs);
  return 0;
}
