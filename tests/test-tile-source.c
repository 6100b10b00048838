/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-tile-source.h"

/* libvips 8.14 has no autoptr support; a private alias cannot clash with
 * one added later. */
typedef VipsImage TestImage;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestImage, g_object_unref)

static char *tmpdir;

/* A deterministic RGB pattern that differs in every pixel of a tile:
 * R = x mod 256, G = y mod 256, B = (x + 3y) mod 256. */
static VipsImage *
make_pattern (int width, int height, gboolean with_alpha)
{
  g_autoptr(TestImage) context = vips_image_new ();
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 12);
  VipsImage *out = NULL;

  g_assert_cmpint (vips_xyz (&t[0], width, height, NULL), ==, 0);
  g_assert_cmpint (vips_extract_band (t[0], &t[1], 0, NULL), ==, 0);
  g_assert_cmpint (vips_extract_band (t[0], &t[2], 1, NULL), ==, 0);
  g_assert_cmpint (vips_linear1 (t[2], &t[3], 3, 0, NULL), ==, 0);
  g_assert_cmpint (vips_add (t[1], t[3], &t[4], NULL), ==, 0);
  g_assert_cmpint (vips_cast (t[4], &t[5], VIPS_FORMAT_INT, NULL), ==, 0);
  {
    VipsImage *bands[4];

    bands[0] = t[1];
    bands[1] = t[2];
    bands[2] = t[5];
    if (with_alpha)
      {
        /* alpha = 2x mod 256 */
        g_assert_cmpint (vips_linear1 (t[1], &t[6], 2, 0, NULL), ==, 0);
        g_assert_cmpint (vips_cast (t[6], &t[7], VIPS_FORMAT_INT, NULL), ==, 0);
        bands[3] = t[7];
      }
    g_assert_cmpint (vips_bandjoin (bands, &t[8], with_alpha ? 4 : 3, NULL), ==, 0);
  }
  g_assert_cmpint (vips_andimage_const1 (t[8], &t[9], 255, NULL), ==, 0);
  g_assert_cmpint (vips_cast_uchar (t[9], &t[10], NULL), ==, 0);
  g_assert_cmpint (vips_copy (t[10], &out,
                              "interpretation", VIPS_INTERPRETATION_sRGB, NULL), ==, 0);
  return out;
}

static char *
write_image (VipsImage  *image,
             const char *name,
             const char *options)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *spec = g_strdup_printf ("%s%s", path, options ? options : "");

  if (vips_image_write_to_file (image, spec, NULL) != 0)
    g_error ("cannot write %s: %s", spec, vips_error_buffer ());
  return path;
}

/* The pixels of a rectangle of an image file, as packed uchar. */
static guint8 *
read_rect (const char *path, int x, int y, int w, int h, int *bands)
{
  g_autoptr(TestImage) image = vips_image_new_from_file (path, NULL);
  g_autoptr(TestImage) crop = NULL;
  size_t size;
  guint8 *pixels;

  g_assert_nonnull (image);
  g_assert_cmpint (vips_crop (image, &crop, x, y, w, h, NULL), ==, 0);
  pixels = vips_image_write_to_memory (crop, &size);
  g_assert_nonnull (pixels);
  *bands = crop->Bands;
  g_assert_cmpuint (size, ==, (gsize) w * h * crop->Bands);
  return pixels;
}

static void
test_choose_level (void)
{
  const double halves[] = { 1, 2, 4, 8, 16 };
  const double rounded[] = { 1, 1.998, 3.99, 7.9 };

  /* Zoomed in or at 100%: full resolution. */
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 4.0), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 1.0), ==, 0);
  /* Just above 50% the half level would be enlarged: keep level 0. */
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.6), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.5), ==, 1);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.3), ==, 1);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.25), ==, 2);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.2), ==, 2);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.125), ==, 3);
  /* Beyond the coarsest level: the coarsest. */
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0.001), ==, 4);
  /* Sizes rounded up by the loader still count as halvings. */
  g_assert_cmpint (limner_tile_source_choose_level (rounded, 4, 0.5), ==, 1);
  g_assert_cmpint (limner_tile_source_choose_level (rounded, 4, 0.25), ==, 2);
  g_assert_cmpint (limner_tile_source_choose_level (rounded, 4, 0.127), ==, 3);
  /* One level, or nonsense zooms. */
  g_assert_cmpint (limner_tile_source_choose_level (halves, 1, 0.01), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, 0), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, -1), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, NAN), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level (halves, 5, INFINITY), ==, 0);
}

static void
test_levels_jpeg (void)
{
  g_autoptr(TestImage) pattern = make_pattern (3000, 2000, FALSE);
  g_autofree char *path = write_image (pattern, "levels.jpg", "[Q=90]");
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  int w, h;

  g_assert_no_error (error);
  g_assert_cmpint (limner_tile_source_get_width (source), ==, 3000);
  g_assert_cmpint (limner_tile_source_get_height (source), ==, 2000);

  /* Shrink-on-load gives 1/2, 1/4, 1/8; one more halving is computed. */
  g_assert_cmpint (limner_tile_source_get_n_levels (source), ==, 5);
  for (int i = 0; i < 4; i++)
    {
      limner_tile_source_get_level_size (source, i, &w, &h);
      g_assert_cmpint (w, ==, (3000 + (1 << i) - 1) >> i);
      g_assert_cmpint (h, ==, (2000 + (1 << i) - 1) >> i);
      g_assert_cmpint (limner_tile_source_get_level_origin (source, i), ==, LIMNER_LEVEL_FILE);
    }
  limner_tile_source_get_level_size (source, 4, &w, &h);
  g_assert_cmpint (w, <=, 256);
  g_assert_cmpint (h, <=, 256);
  g_assert_cmpint (limner_tile_source_get_level_origin (source, 4), ==, LIMNER_LEVEL_SHRUNK);

  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 1.0), ==, 0);
  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 0.5), ==, 1);
  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 0.2), ==, 2);
  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 0.1), ==, 3);
  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 0.01), ==, 4);
}

static void
check_pyramid (const char *name, const char *options)
{
  g_autoptr(TestImage) pattern = make_pattern (2048, 1536, FALSE);
  g_autofree char *path = write_image (pattern, name, options);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  int n_levels;

  g_assert_no_error (error);
  n_levels = limner_tile_source_get_n_levels (source);
  /* 2048, 1024, 512, 256 wide: libvips stops the pyramid at one tile. */
  g_assert_cmpint (n_levels, >=, 4);
  for (int i = 0; i < n_levels; i++)
    {
      int w, h;

      limner_tile_source_get_level_size (source, i, &w, &h);
      g_assert_cmpint (w, ==, 2048 >> i);
      g_assert_cmpint (h, ==, 1536 >> i);
      g_assert_cmpfloat_with_epsilon (limner_tile_source_get_level_downsample (source, i),
                                      1 << i, 1e-9);
    }
  g_assert_cmpint (limner_tile_source_get_level_origin (source, 1), ==, LIMNER_LEVEL_FILE);
  g_assert_cmpint (limner_tile_source_get_level_origin (source, 3), ==, LIMNER_LEVEL_FILE);
  g_assert_cmpint (limner_tile_source_choose_level_for_zoom (source, 0.3), ==, 1);

  /* A level-2 tile has the pixels of the file's own level 2 (lossless). */
  {
    g_autoptr(LimnerTile) tile = limner_tile_source_render_tile (source, 2, 1, 1, &error);
    g_autoptr(TestImage) full = vips_image_new_from_file (path, NULL);
    g_autoptr(TestImage) half = NULL;
    g_autoptr(TestImage) crop = NULL;
    g_autofree guint8 *expected = NULL;
    const guint8 *got;
    size_t size;

    g_assert_no_error (error);
    g_assert_cmpint (tile->width, ==, 256);
    g_assert_cmpint (tile->height, ==, 128);
    g_assert_cmpfloat_with_epsilon (tile->image_x, 1024, 1e-9);
    g_assert_cmpfloat_with_epsilon (tile->image_y, 1024, 1e-9);
    g_assert_cmpfloat_with_epsilon (tile->image_height, 512, 1e-9);
    /* libvips made the pyramid by 2x2 averaging. */
    g_assert_cmpint (vips_shrink (full, &half, 4, 4, NULL), ==, 0);
    g_assert_cmpint (vips_crop (half, &crop, 256, 256, 256, 128, NULL), ==, 0);
    expected = vips_image_write_to_memory (crop, &size);
    got = g_bytes_get_data (tile->pixels, NULL);
    for (int y = 0; y < 128; y++)
      for (int x = 0; x < 256; x++)
        for (int b = 0; b < 3; b++)
          {
            int e = expected[(y * 256 + x) * 3 + b];
            int g = got[y * tile->stride + x * 4 + b];

            /* Averaging in two steps rounds differently from one 4x4 box. */
            if (ABS (e - g) > 2)
              g_error ("level 2 pixel (%d, %d) band %d: expected %d, got %d", x, y, b, e, g);
          }
  }
}

static void
test_levels_tiff_subifd (void)
{
  check_pyramid ("subifd.tif", "[tile,pyramid,subifd,compression=deflate,tile-width=256,tile-height=256]");
}

static void
test_levels_tiff_pages (void)
{
  check_pyramid ("pages.tif", "[tile,pyramid,compression=deflate,tile-width=256,tile-height=256]");
}

static void
check_tile_against_file (LimnerTileSource *source,
                         const char       *path,
                         int               tx,
                         int               ty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTile) tile = limner_tile_source_render_tile (source, 0, tx, ty, &error);
  g_autofree guint8 *expected = NULL;
  const guint8 *got;
  int bands;
  int w = MIN (256, limner_tile_source_get_width (source) - tx * 256);
  int h = MIN (256, limner_tile_source_get_height (source) - ty * 256);

  g_assert_no_error (error);
  g_assert_nonnull (tile);
  g_assert_cmpint (tile->level, ==, 0);
  g_assert_cmpint (tile->x, ==, tx * 256);
  g_assert_cmpint (tile->y, ==, ty * 256);
  g_assert_cmpint (tile->width, ==, w);
  g_assert_cmpint (tile->height, ==, h);
  g_assert_cmpint (tile->stride, ==, w * 4);
  g_assert_cmpuint (g_bytes_get_size (tile->pixels), ==, (gsize) w * h * 4);
  g_assert_cmpfloat_with_epsilon (tile->image_x, tx * 256, 1e-9);
  g_assert_cmpfloat_with_epsilon (tile->image_width, w, 1e-9);

  expected = read_rect (path, tx * 256, ty * 256, w, h, &bands);
  got = g_bytes_get_data (tile->pixels, NULL);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *e = expected + (y * w + x) * bands;
        const guint8 *g = got + y * tile->stride + x * 4;
        int alpha = bands == 4 ? e[3] : 255;

        g_assert_cmpint (g[3], ==, alpha);
        for (int b = 0; b < 3; b++)
          {
            /* Tiles are premultiplied. */
            int want = (e[b] * alpha + 127) / 255;

            if (ABS (g[b] - want) > 1)
              g_error ("tile (%d, %d) pixel (%d, %d) band %d: expected %d, got %d",
                       tx, ty, x, y, b, want, g[b]);
          }
      }
}

static void
test_pixels (void)
{
  g_autoptr(TestImage) pattern = make_pattern (700, 530, FALSE);
  g_autofree char *path = write_image (pattern, "pixels.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  int n_x, n_y;

  g_assert_no_error (error);
  limner_tile_source_get_n_tiles (source, 0, &n_x, &n_y);
  g_assert_cmpint (n_x, ==, 3);
  g_assert_cmpint (n_y, ==, 3);

  check_tile_against_file (source, path, 0, 0);
  check_tile_against_file (source, path, 1, 1);
  /* Edge tiles are cut to the image. */
  check_tile_against_file (source, path, 2, 2);
  check_tile_against_file (source, path, 2, 0);

  /* No tile outside the grid. */
  g_assert_null (limner_tile_source_render_tile (source, 0, 3, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_pixels_alpha (void)
{
  g_autoptr(TestImage) pattern = make_pattern (300, 260, TRUE);
  g_autofree char *path = write_image (pattern, "alpha.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);

  g_assert_no_error (error);
  check_tile_against_file (source, path, 0, 0);
  check_tile_against_file (source, path, 1, 1);
}

static void
test_pixels_grey (void)
{
  g_autoptr(TestImage) pattern = make_pattern (300, 200, FALSE);
  g_autoptr(TestImage) grey = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(LimnerTile) tile = NULL;
  const guint8 *p;

  g_assert_cmpint (vips_extract_band (pattern, &grey, 0, NULL), ==, 0);
  path = write_image (grey, "grey.png", NULL);
  source = limner_tile_source_new (path, &error);
  g_assert_no_error (error);
  tile = limner_tile_source_render_tile (source, 0, 0, 0, &error);
  g_assert_no_error (error);
  /* Grey becomes R = G = B, opaque. Pixel (77, 5) has value 77. */
  p = (const guint8 *) g_bytes_get_data (tile->pixels, NULL) + 5 * tile->stride + 77 * 4;
  g_assert_cmpint (p[0], ==, 77);
  g_assert_cmpint (p[1], ==, 77);
  g_assert_cmpint (p[2], ==, 77);
  g_assert_cmpint (p[3], ==, 255);
}

static void
test_shrunk_level_pixels (void)
{
  /* PNG has no reduced levels: every level beyond 0 is computed. */
  g_autoptr(TestImage) pattern = make_pattern (1100, 900, FALSE);
  g_autofree char *path = write_image (pattern, "shrunk.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  g_autoptr(LimnerTile) tile = NULL;
  g_autoptr(TestImage) shrunk = NULL;
  g_autoptr(TestImage) crop = NULL;
  g_autofree guint8 *expected = NULL;
  const guint8 *got;
  size_t size;
  int w, h;

  g_assert_no_error (error);
  g_assert_cmpint (limner_tile_source_get_n_levels (source), ==, 4);
  g_assert_cmpint (limner_tile_source_get_level_origin (source, 2), ==, LIMNER_LEVEL_SHRUNK);
  limner_tile_source_get_level_size (source, 2, &w, &h);
  g_assert_cmpint (w, ==, 275);
  g_assert_cmpint (h, ==, 225);

  tile = limner_tile_source_render_tile (source, 2, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vips_shrink (pattern, &shrunk, 4, 4, NULL), ==, 0);
  g_assert_cmpint (vips_crop (shrunk, &crop, 0, 0, 256, 225, NULL), ==, 0);
  expected = vips_image_write_to_memory (crop, &size);
  got = g_bytes_get_data (tile->pixels, NULL);
  g_assert_cmpint (tile->width, ==, 256);
  g_assert_cmpint (tile->height, ==, 225);
  for (int y = 0; y < 225; y++)
    for (int x = 0; x < 256; x++)
      for (int b = 0; b < 3; b++)
        g_assert_cmpint (ABS (got[y * tile->stride + x * 4 + b] - expected[(y * 256 + x) * 3 + b]),
                         <=, 1);
}

typedef struct {
  GPtrArray *tiles;
  GThread   *main_thread;
} Collector;

static void
on_tile_ready (LimnerTileSource *source,
               LimnerTile       *tile,
               Collector        *collector)
{
  g_assert_true (g_thread_self () == collector->main_thread);
  g_ptr_array_add (collector->tiles, limner_tile_ref (tile));
}

static void
on_tile_failed (LimnerTileSource *source,
                int               level,
                int               tx,
                int               ty,
                const char       *message,
                gpointer          user_data)
{
  g_error ("tile %d/%d/%d failed: %s", level, tx, ty, message);
}

static gboolean
on_timeout (gpointer user_data)
{
  LimnerTileSource *source = user_data;

  if (source != NULL)
    g_error ("timed out waiting for tiles: %u delivered, %u dropped, %u cancelled, %u pending",
             limner_tile_source_get_n_delivered (source), limner_tile_source_get_n_dropped (source),
             limner_tile_source_get_n_cancelled (source), limner_tile_source_get_n_pending (source));
  g_error ("timed out waiting for tiles");
  return G_SOURCE_REMOVE;
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until every request has ended one way or
 * another: delivered, dropped after rendering, or cancelled in the queue. */
static void
wait_for_accounting (LimnerTileSource *source,
                     guint             n_requested)
{
  guint timeout = g_timeout_add_seconds (60, on_timeout, source);
  /* Cancellations happen on the workers and post nothing to this thread:
   * wake up now and then to count them. */
  guint tick = g_timeout_add (10, keep_ticking, NULL);

  while (limner_tile_source_get_n_delivered (source) +
         limner_tile_source_get_n_dropped (source) +
         limner_tile_source_get_n_cancelled (source) < n_requested)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_source_remove (tick);
}

static void
test_async_delivery (void)
{
  g_autoptr(TestImage) pattern = make_pattern (1000, 700, FALSE);
  g_autofree char *path = write_image (pattern, "async.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  g_autoptr(GPtrArray) tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_tile_unref);
  Collector collector = { tiles, g_thread_self () };
  guint generation;
  int n_x, n_y;

  g_assert_no_error (error);
  g_signal_connect (source, "tile-ready", G_CALLBACK (on_tile_ready), &collector);
  g_signal_connect (source, "tile-failed", G_CALLBACK (on_tile_failed), NULL);

  generation = limner_tile_source_begin_requests (source);
  limner_tile_source_get_n_tiles (source, 0, &n_x, &n_y);
  for (int ty = 0; ty < n_y; ty++)
    for (int tx = 0; tx < n_x; tx++)
      {
        limner_tile_source_request (source, 0, tx, ty, tx + ty);
        /* A second request of the same tile is not a second render. */
        limner_tile_source_request (source, 0, tx, ty, tx + ty);
      }
  g_assert_true (limner_tile_source_get_n_pending (source) <= (guint) (n_x * n_y));

  wait_for_accounting (source, n_x * n_y);
  g_assert_cmpuint (tiles->len, ==, n_x * n_y);
  g_assert_cmpuint (limner_tile_source_get_n_dropped (source), ==, 0);
  g_assert_cmpuint (limner_tile_source_get_n_cancelled (source), ==, 0);
  g_assert_cmpuint (limner_tile_source_get_n_pending (source), ==, 0);

  for (guint i = 0; i < tiles->len; i++)
    {
      LimnerTile *tile = g_ptr_array_index (tiles, i);
      g_autoptr(LimnerTile) direct = limner_tile_source_render_tile (source, tile->level,
                                                                     tile->tx, tile->ty, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tile->generation, ==, generation);
      g_assert_true (g_bytes_equal (tile->pixels, direct->pixels));
      for (guint j = 0; j < i; j++)
        {
          LimnerTile *other = g_ptr_array_index (tiles, j);

          g_assert_false (other->tx == tile->tx && other->ty == tile->ty);
        }
    }
}

static void
test_stale_dropped (void)
{
  g_autoptr(TestImage) pattern = make_pattern (4096, 2048, FALSE);
  g_autofree char *path = write_image (pattern, "stale.jpg", "[Q=80]");
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  g_autoptr(GPtrArray) tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_tile_unref);
  Collector collector = { tiles, g_thread_self () };
  guint first, second;
  int n_x, n_y;
  guint n_requested = 0;

  g_assert_no_error (error);
  g_signal_connect (source, "tile-ready", G_CALLBACK (on_tile_ready), &collector);
  g_signal_connect (source, "tile-failed", G_CALLBACK (on_tile_failed), NULL);

  /* Round 1: the whole image at full resolution, as if zoomed to 100%... */
  first = limner_tile_source_begin_requests (source);
  limner_tile_source_get_n_tiles (source, 0, &n_x, &n_y);
  for (int ty = 0; ty < n_y; ty++)
    for (int tx = 0; tx < n_x; tx++)
      {
        limner_tile_source_request (source, 0, tx, ty, 0);
        n_requested++;
      }
  g_assert_true (limner_tile_source_is_pending (source, 0, 5, 5));

  /* ...then the user zooms out before they finish: round 2 wants two tiles
   * of level 3 and, still, tile (0, 0) of level 0. */
  second = limner_tile_source_begin_requests (source);
  g_assert_cmpuint (second, >, first);
  g_assert_false (limner_tile_source_is_pending (source, 0, 5, 5));
  limner_tile_source_request (source, 3, 0, 0, 0);
  limner_tile_source_request (source, 3, 1, 0, 0);
  limner_tile_source_request (source, 0, 0, 0, 1);
  n_requested += 2;
  g_assert_cmpuint (limner_tile_source_get_n_pending (source), ==, 3);

  wait_for_accounting (source, n_requested);

  /* Only round 2 tiles arrived; everything else was cancelled or dropped. */
  g_assert_cmpuint (tiles->len, ==, 3);
  for (guint i = 0; i < tiles->len; i++)
    {
      LimnerTile *tile = g_ptr_array_index (tiles, i);

      g_assert_cmpuint (tile->generation, ==, second);
      g_assert_true (tile->level == 3 || (tile->tx == 0 && tile->ty == 0));
    }
  g_assert_cmpuint (limner_tile_source_get_n_delivered (source), ==, 3);
  g_assert_cmpuint (limner_tile_source_get_n_dropped (source) +
                    limner_tile_source_get_n_cancelled (source), ==, n_x * n_y - 1);
  /* With two workers at most a few were already rendering. */
  g_assert_cmpuint (limner_tile_source_get_n_cancelled (source), >, n_x * n_y / 2);
  g_assert_cmpuint (limner_tile_source_get_n_pending (source), ==, 0);
}

static void
test_cancel_all (void)
{
  g_autoptr(TestImage) pattern = make_pattern (2048, 2048, FALSE);
  g_autofree char *path = write_image (pattern, "cancel.jpg", "[Q=80]");
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = limner_tile_source_new (path, &error);
  g_autoptr(GPtrArray) tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_tile_unref);
  Collector collector = { tiles, g_thread_self () };

  g_assert_no_error (error);
  g_signal_connect (source, "tile-ready", G_CALLBACK (on_tile_ready), &collector);

  limner_tile_source_begin_requests (source);
  for (int ty = 0; ty < 8; ty++)
    for (int tx = 0; tx < 8; tx++)
      limner_tile_source_request (source, 0, tx, ty, 0);
  limner_tile_source_cancel_all (source);
  g_assert_cmpuint (limner_tile_source_get_n_pending (source), ==, 0);

  wait_for_accounting (source, 64);
  g_assert_cmpuint (tiles->len, ==, 0);
}

static void
on_new_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static LimnerTileSource *
new_async_and_wait (const char  *path,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint timeout = g_timeout_add_seconds (60, on_timeout, NULL);

  limner_tile_source_new_async (path, NULL, on_new_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  return limner_tile_source_new_finish (result, error);
}

static void
test_async_new (void)
{
  g_autoptr(TestImage) pattern = make_pattern (400, 300, FALSE);
  g_autofree char *path = write_image (pattern, "async-new.png", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.png", NULL);
  g_autoptr(GPtrArray) tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_tile_unref);
  Collector collector = { tiles, g_thread_self () };
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GError) error = NULL;

  source = new_async_and_wait (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_tile_source_get_width (source), ==, 400);

  /* Opened on a worker thread, it still delivers in this thread. */
  g_signal_connect (source, "tile-ready", G_CALLBACK (on_tile_ready), &collector);
  limner_tile_source_begin_requests (source);
  limner_tile_source_request (source, 0, 1, 0, 0);
  wait_for_accounting (source, 1);
  g_assert_cmpuint (tiles->len, ==, 1);

  g_assert_null (new_async_and_wait (missing, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing.png"));
}

static void
test_errors (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "missing.png", NULL);
  g_autofree char *text = g_build_filename (tmpdir, "not-an-image.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerTileSource) source = NULL;

  source = limner_tile_source_new (missing, &error);
  g_assert_null (source);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing.png"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "hello, not a picture\n", -1, NULL));
  source = limner_tile_source_new (text, &error);
  g_assert_null (source);
  g_assert_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "not-an-image.jpg"));
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  tmpdir = g_dir_make_tmp ("limner-tile-source-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/core/tile-source/choose-level", test_choose_level);
  g_test_add_func ("/core/tile-source/levels/jpeg", test_levels_jpeg);
  g_test_add_func ("/core/tile-source/levels/tiff-subifd", test_levels_tiff_subifd);
  g_test_add_func ("/core/tile-source/levels/tiff-pages", test_levels_tiff_pages);
  g_test_add_func ("/core/tile-source/pixels/rgb", test_pixels);
  g_test_add_func ("/core/tile-source/pixels/alpha", test_pixels_alpha);
  g_test_add_func ("/core/tile-source/pixels/grey", test_pixels_grey);
  g_test_add_func ("/core/tile-source/pixels/shrunk-level", test_shrunk_level_pixels);
  g_test_add_func ("/core/tile-source/async/delivery", test_async_delivery);
  g_test_add_func ("/core/tile-source/async/stale-dropped", test_stale_dropped);
  g_test_add_func ("/core/tile-source/async/cancel-all", test_cancel_all);
  g_test_add_func ("/core/tile-source/async/new", test_async_new);
  g_test_add_func ("/core/tile-source/errors", test_errors);

  ret = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return ret;
}
