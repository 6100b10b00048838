/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-tiles.c: how fast the tile pipeline shows large images.
 *
 * Measures, with inputs it generates itself through libvips:
 *   - open + first fit-to-window frame and open + first 1:1 frame (centre of
 *     the image) of a 1-gigapixel pyramidal JPEG-compressed tiled TIFF and of
 *     a 100-megapixel baseline JPEG, with the peak RSS of each;
 *   - next-image latency: dropping one 24-megapixel JPEG and showing the
 *     next one fitted to the window.
 * A frame is complete when every tile of the chosen level that meets the
 * 1920×1080 viewport has been delivered on the main context, exactly as the
 * canvas receives them; the first paint is when the coarsest level, which
 * the canvas asks for first and shows (blurred) meanwhile, was in. Each figure is the median of several runs; libvips'
 * operation cache is emptied between runs so no run reuses decoded pixels.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-tile-source.h"
#include "bench-tiles.h"

#define VIEW_WIDTH 1920
#define VIEW_HEIGHT 1080

typedef struct {
  double ms;
  double first_ms;
  double base_rss_mb;
  double rss_mb;
  guint  n_tiles;
  int    level;
} FrameResult;

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

static double
read_status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field), NULL) / 1024.0;
}

/* Peak RSS since the last reset, from the kernel. */
static double
peak_rss_mb (void)
{
  return read_status_mb ("VmHWM:");
}

static double
current_rss_mb (void)
{
  return read_status_mb ("VmRSS:");
}

static void
reset_peak_rss (void)
{
  /* Writing 5 resets VmHWM to the current RSS (Linux >= 4.0). */
  FILE *fp = fopen ("/proc/self/clear_refs", "w");

  if (fp == NULL || fputs ("5", fp) < 0)
    g_printerr ("cannot reset the peak RSS: %s\n", g_strerror (errno));
  if (fp != NULL)
    fclose (fp);
}

/* Empties libvips' operation cache (vips_cache_drop_all() is for shutdown
 * only) so that no run reuses pixels decoded by the one before. */
static void
drop_vips_cache (void)
{
  int max = vips_cache_get_max ();

  vips_cache_set_max (0);
  vips_cache_set_max (max);
}

static void
forget_everything (void)
{
  drop_vips_cache ();
  malloc_trim (0);
}

/* --- Inputs -------------------------------------------------------------- */

/* A cheap but busy RGB pattern, so JPEG has real work to do: a textured
 * 1021 px block (odd, so tiles never repeat exactly), replicated. */
static VipsImage *
make_pattern (int width,
              int height)
{
  VipsImage *context = vips_image_new ();
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 16);
  VipsImage *out = NULL;
  int across = (width + 1020) / 1021;
  int down = (height + 1020) / 1021;

  /* R = x + noise, G = 2y + noise, B = (x xor y) + noise, each mod 256:
   * smooth ramps with grain, which JPEG codes at about the rate of a photo. */
  if (vips_xyz (&t[0], 1021, 1021, NULL) ||
      vips_extract_band (t[0], &t[1], 0, NULL) ||
      vips_extract_band (t[0], &t[2], 1, NULL) ||
      vips_linear1 (t[2], &t[3], 2.0, 0.0, NULL) ||
      vips_eorimage (t[1], t[2], &t[4], NULL) ||
      vips_bandjoin2 (t[1], t[3], &t[5], NULL) ||
      vips_bandjoin2 (t[5], t[4], &t[6], NULL) ||
      vips_gaussnoise (&t[7], 1021, 1021, "sigma", 4.0, "mean", 0.0, NULL) ||
      vips_add (t[6], t[7], &t[8], NULL) ||
      vips_cast (t[8], &t[9], VIPS_FORMAT_INT, NULL) ||
      vips_andimage_const1 (t[9], &t[10], 255, NULL) ||
      vips_cast_uchar (t[10], &t[11], NULL) ||
      /* Materialise the block: replicate then copies memory, not work. */
      vips_copy_file (t[11], &t[12], NULL) ||
      vips_replicate (t[12], &t[13], across, down, NULL) ||
      vips_crop (t[13], &t[14], 0, 0, width, height, NULL) ||
      vips_copy (t[14], &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL))
    g_error ("cannot make the test pattern: %s", vips_error_buffer ());

  g_object_unref (context);
  return out;
}

/* Generates `path` once; later runs reuse it. */
static void
ensure_input (const char *path,
              int         width,
              int         height,
              const char *options)
{
  g_autofree char *partial = NULL;
  g_autofree char *spec = NULL;
  VipsImage *pattern;
  gint64 start;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  g_printerr ("generating %s (%dx%d)...\n", path, width, height);
  start = g_get_monotonic_time ();
  partial = g_strdup_printf ("%s.partial.%s", path, strrchr (path, '.') + 1);
  spec = g_strdup_printf ("%s%s", partial, options);
  pattern = make_pattern (width, height);
  if (vips_image_write_to_file (pattern, spec, NULL))
    g_error ("cannot write %s: %s", partial, vips_error_buffer ());
  g_object_unref (pattern);
  if (g_rename (partial, path) != 0)
    g_error ("cannot rename %s: %s", partial, g_strerror (errno));
  drop_vips_cache ();
  malloc_trim (0);
  g_printerr ("  done in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
}

/* --- One frame ----------------------------------------------------------- */

typedef struct {
  guint  n_waiting;   /* tiles of the chosen level */
  int    level;
  int    coarse_level;
  guint  n_coarse;    /* tiles of the coarsest level, the canvas' first paint */
  gint64 coarse_done;
  char  *failure;
} Waiter;

static void
on_tile_ready (LimnerTileSource *source,
               LimnerTile       *tile,
               Waiter           *waiter)
{
  if (tile->level == waiter->level)
    waiter->n_waiting--;
  if (tile->level == waiter->coarse_level && --waiter->n_coarse == 0)
    waiter->coarse_done = g_get_monotonic_time ();
}

static void
on_tile_failed (LimnerTileSource *source,
                int               level,
                int               tx,
                int               ty,
                const char       *message,
                Waiter           *waiter)
{
  if (waiter->failure == NULL)
    waiter->failure = g_strdup (message);
  if (level == waiter->level)
    waiter->n_waiting--;
  if (level == waiter->coarse_level && --waiter->n_coarse == 0)
    waiter->coarse_done = g_get_monotonic_time ();
}

/* Requests what the canvas requests for the viewport whose top-left corner
 * is (view_x, view_y) in image pixels at `zoom`: the coarsest level (the
 * first, blurry paint) and the tiles of `level` centre first, then runs the
 * main context until they have all arrived. Returns the number of tiles of
 * `level`; `first_paint` is when the coarse level was complete. */
static guint
render_view (LimnerTileSource *source,
             int               level,
             double            zoom,
             double            view_x,
             double            view_y,
             gint64           *first_paint)
{
  Waiter waiter = { 0 };
  int coarsest = limner_tile_source_get_n_levels (source) - 1;
  double downsample = limner_tile_source_get_level_downsample (source, level);
  double span = LIMNER_TILE_SIZE * downsample;
  double x1 = view_x + VIEW_WIDTH / zoom;
  double y1 = view_y + VIEW_HEIGHT / zoom;
  int n_x, n_y, tx0, ty0, tx1, ty1;
  double cx, cy;
  gulong ready, failed;

  limner_tile_source_get_n_tiles (source, level, &n_x, &n_y);
  tx0 = CLAMP ((int) floor (view_x / span), 0, n_x - 1);
  ty0 = CLAMP ((int) floor (view_y / span), 0, n_y - 1);
  tx1 = CLAMP ((int) ceil (x1 / span) - 1, 0, n_x - 1);
  ty1 = CLAMP ((int) ceil (y1 / span) - 1, 0, n_y - 1);
  cx = (tx0 + tx1) / 2.0;
  cy = (ty0 + ty1) / 2.0;

  ready = g_signal_connect (source, "tile-ready", G_CALLBACK (on_tile_ready), &waiter);
  failed = g_signal_connect (source, "tile-failed", G_CALLBACK (on_tile_failed), &waiter);

  waiter.level = level;
  waiter.coarse_level = coarsest > level ? coarsest : -1;
  limner_tile_source_begin_requests (source);
  if (coarsest > level)
    {
      double coarse_span = LIMNER_TILE_SIZE * limner_tile_source_get_level_downsample (source, coarsest);
      int cn_x, cn_y;

      limner_tile_source_get_n_tiles (source, coarsest, &cn_x, &cn_y);
      for (int ty = CLAMP ((int) floor (view_y / coarse_span), 0, cn_y - 1);
           ty <= CLAMP ((int) ceil (y1 / coarse_span) - 1, 0, cn_y - 1); ty++)
        for (int tx = CLAMP ((int) floor (view_x / coarse_span), 0, cn_x - 1);
             tx <= CLAMP ((int) ceil (x1 / coarse_span) - 1, 0, cn_x - 1); tx++)
          {
            limner_tile_source_request (source, coarsest, tx, ty, -1);
            waiter.n_coarse++;
          }
    }
  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++)
      {
        int priority = (int) (fabs (tx - cx) + fabs (ty - cy));

        limner_tile_source_request (source, level, tx, ty, priority);
        waiter.n_waiting++;
      }

  while (waiter.n_waiting > 0 || waiter.n_coarse > 0)
    g_main_context_iteration (NULL, TRUE);
  *first_paint = waiter.coarse_done != 0 ? waiter.coarse_done : g_get_monotonic_time ();

  g_signal_handler_disconnect (source, ready);
  g_signal_handler_disconnect (source, failed);
  if (waiter.failure)
    g_error ("%s", waiter.failure);

  return (tx1 - tx0 + 1) * (ty1 - ty0 + 1);
}

typedef enum {
  VIEW_FIT,
  VIEW_ONE_TO_ONE,
} ViewKind;

static FrameResult
open_and_show (const char *path,
               ViewKind    view)
{
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;
  FrameResult result = { 0 };
  double zoom, view_x, view_y;
  gint64 start, first_paint;
  int w, h;

  forget_everything ();
  reset_peak_rss ();
  result.base_rss_mb = current_rss_mb ();
  start = g_get_monotonic_time ();

  source = limner_tile_source_new (path, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  w = limner_tile_source_get_width (source);
  h = limner_tile_source_get_height (source);

  if (view == VIEW_FIT)
    {
      zoom = MIN ((double) VIEW_WIDTH / w, (double) VIEW_HEIGHT / h);
      view_x = (w - VIEW_WIDTH / zoom) / 2;
      view_y = (h - VIEW_HEIGHT / zoom) / 2;
    }
  else
    {
      zoom = 1.0;
      view_x = (w - VIEW_WIDTH) / 2.0;
      view_y = (h - VIEW_HEIGHT) / 2.0;
    }

  result.level = limner_tile_source_choose_level_for_zoom (source, zoom);
  result.n_tiles = render_view (source, result.level, zoom, view_x, view_y, &first_paint);
  result.ms = (g_get_monotonic_time () - start) / 1000.0;
  result.first_ms = MIN (result.ms, (first_paint - start) / 1000.0);
  result.rss_mb = peak_rss_mb ();

  return result;
}

static void
bench_frame (const char *name,
             const char *path,
             ViewKind    view,
             int         runs)
{
  g_autofree double *ms = g_new (double, runs);
  g_autofree double *rss = g_new (double, runs);
  g_autofree double *base = g_new (double, runs);
  g_autofree double *first = g_new (double, runs);
  FrameResult last = { 0 };

  for (int i = 0; i < runs; i++)
    {
      last = open_and_show (path, view);
      ms[i] = last.ms;
      first[i] = last.first_ms;
      rss[i] = last.rss_mb;
      base[i] = last.base_rss_mb;
    }

  printf ("%-28s complete %7.1f ms (first paint %6.1f)  peak RSS %6.1f MB (at start %5.1f)  "
          "level %d, %u tiles, %d runs\n",
          name, median (ms, runs), median (first, runs), median (rss, runs), median (base, runs),
          last.level, last.n_tiles, runs);
  fflush (stdout);
}

/* Shows each image fitted, one after the other, as Page Down does: the
 * latency is from dropping the previous source to the last tile of the next
 * frame. */
static void
bench_next_image (char **paths,
                  int    n_paths,
                  int    runs)
{
  g_autofree double *ms = g_new (double, runs * n_paths);
  g_autofree double *first = g_new (double, runs * n_paths);
  g_autoptr(LimnerTileSource) previous = NULL;
  int n = 0;
  double max_rss = 0;

  forget_everything ();
  reset_peak_rss ();
  for (int run = 0; run < runs; run++)
    for (int i = 0; i < n_paths; i++)
      {
        g_autoptr(LimnerTileSource) source = NULL;
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time ();
        gint64 first_paint;
        double zoom;
        int level, w, h;

        if (previous)
          limner_tile_source_cancel_all (previous);
        g_clear_object (&previous);

        source = limner_tile_source_new (paths[i], &error);
        if (source == NULL)
          g_error ("%s", error->message);
        w = limner_tile_source_get_width (source);
        h = limner_tile_source_get_height (source);
        zoom = MIN ((double) VIEW_WIDTH / w, (double) VIEW_HEIGHT / h);
        level = limner_tile_source_choose_level_for_zoom (source, zoom);
        render_view (source, level, zoom,
                     (w - VIEW_WIDTH / zoom) / 2, (h - VIEW_HEIGHT / zoom) / 2, &first_paint);
        first[n] = (first_paint - start) / 1000.0;
        ms[n++] = (g_get_monotonic_time () - start) / 1000.0;
        previous = g_steal_pointer (&source);
        /* Switching images empties no cache in the app either, but the
         * same file must not be served from it on the next round. */
        drop_vips_cache ();
      }
  max_rss = peak_rss_mb ();

  printf ("%-28s complete %7.1f ms (first paint %6.1f)  peak RSS %6.1f MB   %d images x %d rounds\n",
          "next image, 24 MP JPEG, fit", median (ms, n), median (first, n), max_rss, n_paths, runs);
  fflush (stdout);
}

int
limner_bench_tiles (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tiff = NULL;
  g_autofree char *jpeg = NULL;
  char *next[4] = { NULL };
  int runs = 5;
  gboolean quick = FALSE;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs per measurement (default 5)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Where to keep generated inputs", "DIR" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick, "Smaller inputs, for a smoke test", NULL },
    { NULL }
  };
  int side = 32768;
  int jpeg_side = 10000;

  context = g_option_context_new ("— tile pipeline benchmarks");
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
  if (quick)
    {
      side = 8192;
      jpeg_side = 4000;
    }
  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "limner-bench", NULL);
  g_mkdir_with_parents (dir, 0755);

  tiff = g_strdup_printf ("%s/pyramid-%d.tif", dir, side);
  jpeg = g_strdup_printf ("%s/baseline-%d.jpg", dir, jpeg_side);
  ensure_input (tiff, side, side,
                "[tile,tile-width=256,tile-height=256,pyramid,subifd,"
                "compression=jpeg,Q=85,bigtiff]");
  ensure_input (jpeg, jpeg_side, jpeg_side, "[Q=85,interlace=false,optimize-coding]");
  for (int i = 0; i < 3; i++)
    {
      next[i] = g_strdup_printf ("%s/photo-24mp-%d.jpg", dir, i);
      /* Different sizes so no two files share libvips cache entries. */
      ensure_input (next[i], 6000 - i * 8, 4000 - i * 8, "[Q=90]");
    }

  printf ("viewport %dx%d, %u worker threads, tile %d px\n",
          VIEW_WIDTH, VIEW_HEIGHT, g_get_num_processors (), LIMNER_TILE_SIZE);
  {
    g_autofree char *name_fit = g_strdup_printf ("%.1f GP TIFF pyramid, fit",
                                                 (double) side * side / 1e9);
    g_autofree char *name_one = g_strdup_printf ("%.1f GP TIFF pyramid, 1:1",
                                                 (double) side * side / 1e9);
    g_autofree char *jpeg_fit = g_strdup_printf ("%d MP baseline JPEG, fit",
                                                 jpeg_side * jpeg_side / 1000000);
    g_autofree char *jpeg_one = g_strdup_printf ("%d MP baseline JPEG, 1:1",
                                                 jpeg_side * jpeg_side / 1000000);

    bench_frame (name_fit, tiff, VIEW_FIT, runs);
    bench_frame (name_one, tiff, VIEW_ONE_TO_ONE, runs);
    bench_frame (jpeg_fit, jpeg, VIEW_FIT, runs);
    bench_frame (jpeg_one, jpeg, VIEW_ONE_TO_ONE, MIN (runs, 3));
  }
  bench_next_image (next, 3, runs);

  for (int i = 0; i < 3; i++)
    g_free (next[i]);
  return 0;
}
