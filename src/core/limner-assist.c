/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-assist.h"
#include "limner-contour.h"

G_DEFINE_QUARK (limner-assist-error-quark, limner_assist_error)

/* The wand's window: about this many level pixels on each side of the seeds
 * at first, and at most WAND_MAX_WINDOW across at the level asked for and
 * coarser ones: a region that reaches the window's sides is looked for on
 * the next coarser level, which covers four times the area for the same
 * work. Only at the coarsest level does the window grow, to MAX_WINDOW. */
#define WAND_START_HALF 256
#define WAND_MAX_WINDOW 512
#define MAX_WINDOW      2048
/* Tightening reads at most this many level pixels across. */
#define TIGHTEN_WINDOW  1024
/* Blur before the wand's colour test, in window pixels: enough to tame
 * sensor noise and JPEG blocks, little enough to keep corners. */
#define WAND_BLUR_SIGMA 1.0
#define EDGE_BLUR_SIGMA 1.0
#define CLOSE_SIZE      5
/* Half the width at half height of the Sobel response to a step, after
 * the EDGE_BLUR_SIGMA blur, in pixels. */
#define EDGE_HALF_WIDTH 1.5

LimnerAssistRegion *
limner_assist_region_new (int           width,
                          int           height,
                          const guint8 *rgb,
                          int           stride,
                          double        x,
                          double        y,
                          double        scale)
{
  LimnerAssistRegion *region;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (rgb != NULL && stride >= width * 3, NULL);
  g_return_val_if_fail (scale > 0, NULL);

  region = g_new0 (LimnerAssistRegion, 1);
  region->width = width;
  region->height = height;
  region->x = x;
  region->y = y;
  region->scale_x = region->scale_y = scale;
  region->pixels = g_malloc ((gsize) width * height * 3);
  for (int row = 0; row < height; row++)
    memcpy (region->pixels + (gsize) row * width * 3, rgb + (gsize) row * stride, (gsize) width * 3);
  return region;
}

void
limner_assist_region_free (LimnerAssistRegion *region)
{
  if (region == NULL)
    return;
  g_free (region->pixels);
  g_free (region);
}

LimnerAssistRegion *
limner_assist_region_read (LimnerTileSource  *source,
                           int                level,
                           int                x,
                           int                y,
                           int                width,
                           int                height,
                           GError           **error)
{
  g_autoptr(LimnerAssistRegion) region = NULL;
  int level_w, level_h, x1, y1;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (source), NULL);
  g_return_val_if_fail (level >= 0 && level < limner_tile_source_get_n_levels (source), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  limner_tile_source_get_level_size (source, level, &level_w, &level_h);
  x1 = MIN (x + width, level_w);
  y1 = MIN (y + height, level_h);
  x = MAX (x, 0);
  y = MAX (y, 0);
  if (x1 <= x || y1 <= y)
    {
      g_autofree char *basename = g_path_get_basename (limner_tile_source_get_path (source));

      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE,
                   _("%s: the area to read is outside the image."), basename);
      return NULL;
    }

  region = g_new0 (LimnerAssistRegion, 1);
  region->width = x1 - x;
  region->height = y1 - y;
  region->scale_x = (double) limner_tile_source_get_width (source) / level_w;
  region->scale_y = (double) limner_tile_source_get_height (source) / level_h;
  region->x = x * region->scale_x;
  region->y = y * region->scale_y;
  region->pixels = g_malloc ((gsize) region->width * region->height * 3);

  for (int ty = y / LIMNER_TILE_SIZE; ty <= (y1 - 1) / LIMNER_TILE_SIZE; ty++)
    for (int tx = x / LIMNER_TILE_SIZE; tx <= (x1 - 1) / LIMNER_TILE_SIZE; tx++)
      {
        g_autoptr(LimnerTile) tile = limner_tile_source_render_tile (source, level, tx, ty, error);
        const guint8 *src;
        int cx0, cy0, cx1, cy1;

        if (tile == NULL)
          return NULL;
        src = g_bytes_get_data (tile->pixels, NULL);
        cx0 = MAX (x, tile->x);
        cy0 = MAX (y, tile->y);
        cx1 = MIN (x1, tile->x + tile->width);
        cy1 = MIN (y1, tile->y + tile->height);
        for (int row = cy0; row < cy1; row++)
          {
            const guint8 *s = src + (gsize) (row - tile->y) * tile->stride + (gsize) (cx0 - tile->x) * 4;
            guint8 *d = region->pixels + ((gsize) (row - y) * region->width + (cx0 - x)) * 3;

            for (int col = cx0; col < cx1; col++, s += 4, d += 3)
              {
                d[0] = s[0];
                d[1] = s[1];
                d[2] = s[2];
              }
          }
      }

  return g_steal_pointer (&region);
}

/* Runs a Gaussian blur over a packed buffer of `bands` values per pixel and
 * returns the result in a new buffer of the same format. */
static gpointer
blur_buffer (const void    *data,
             int            width,
             int            height,
             int            bands,
             VipsBandFormat format,
             double         sigma)
{
  gsize size = (gsize) width * height * bands * vips_format_sizeof (format);
  VipsImage *in, *out = NULL;
  gpointer result;
  size_t out_size = 0;

  if (sigma <= 0)
    return g_memdup2 (data, size);

  in = vips_image_new_from_memory (data, size, width, height, bands, format);
  /* Edge pixels repeat outwards rather than fade to black at the window's
   * sides, so no false edge appears there. */
  if (in == NULL ||
      vips_gaussblur (in, &out, sigma, "precision", format == VIPS_FORMAT_FLOAT ?
                      VIPS_PRECISION_FLOAT : VIPS_PRECISION_INTEGER, NULL))
    {
      g_warning ("blur failed: %s", vips_error_buffer ());
      vips_error_clear ();
      g_clear_object (&in);
      return g_memdup2 (data, size);
    }
  result = vips_image_write_to_memory (out, &out_size);
  g_object_unref (out);
  g_object_unref (in);
  if (result == NULL || out_size != size)
    {
      g_free (result);
      vips_error_clear ();
      return g_memdup2 (data, size);
    }
  /* vips allocates with g_malloc: g_free releases it. */
  return result;
}

float *
limner_assist_region_grey (const LimnerAssistRegion *region,
                           double                    sigma)
{
  gsize n;
  g_autofree float *grey = NULL;

  g_return_val_if_fail (region != NULL, NULL);

  n = (gsize) region->width * region->height;
  grey = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = region->pixels + i * 3;

      grey[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
    }
  return blur_buffer (grey, region->width, region->height, 1, VIPS_FORMAT_FLOAT, sigma);
}

/* Edge strength: the largest Sobel magnitude over the R, G and B channels
 * of the lightly blurred window, one float per pixel. Colour rather than
 * luminance: a saturated object on a grey background of the same
 * brightness has a strong edge in one channel only. */
static float *
edge_magnitude (const LimnerAssistRegion *region)
{
  VipsImage *context = vips_image_new ();
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 4);
  gsize n = (gsize) region->width * region->height;
  float *bands = NULL;
  float *mag;
  size_t size = 0;

  t[0] = vips_image_new_from_memory (region->pixels, n * 3, region->width, region->height,
                                     3, VIPS_FORMAT_UCHAR);
  if (t[0] == NULL ||
      vips_cast_float (t[0], &t[1], NULL) ||
      vips_gaussblur (t[1], &t[2], EDGE_BLUR_SIGMA, "precision", VIPS_PRECISION_FLOAT, NULL) ||
      vips_sobel (t[2], &t[3], NULL) ||
      (bands = vips_image_write_to_memory (t[3], &size)) == NULL || size != n * 3 * sizeof (float))
    {
      g_warning ("edge detection failed: %s", vips_error_buffer ());
      vips_error_clear ();
      g_free (bands);
      g_object_unref (context);
      return g_new0 (float, n);
    }
  mag = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    mag[i] = MAX (MAX (bands[3 * i], bands[3 * i + 1]), bands[3 * i + 2]);
  g_free (bands);
  g_object_unref (context);
  return mag;
}

/* --- Magic wand ---------------------------------------------------------- */

static gboolean
seed_pixel (const LimnerAssistRegion *region,
            const LimnerWandSeed     *seed,
            int                      *px,
            int                      *py,
            GError                  **error)
{
  double fx = floor ((seed->x - region->x) / region->scale_x);
  double fy = floor ((seed->y - region->y) / region->scale_y);

  if (!isfinite (fx) || !isfinite (fy) || fx < 0 || fy < 0 ||
      fx >= region->width || fy >= region->height)
    {
      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE,
                   _("The point (%g, %g) is outside the pixels read around it."),
                   seed->x, seed->y);
      return FALSE;
    }
  *px = (int) fx;
  *py = (int) fy;
  return TRUE;
}

/* Floods `within` (255 where the colour test passes) from (px, py) with
 * libvips, marking the filled pixels 128; returns the fill's bounds. */
static gboolean
flood (guint8   *within,
       int       width,
       int       height,
       int       px,
       int       py,
       VipsRect *bounds)
{
  VipsImage *image = vips_image_new_from_memory (within, (gsize) width * height,
                                                 width, height, 1, VIPS_FORMAT_UCHAR);
  int ok;

  ok = image != NULL &&
       vips_draw_flood1 (image, 128, px, py, "equal", TRUE,
                         "left", &bounds->left, "top", &bounds->top,
                         "width", &bounds->width, "height", &bounds->height, NULL) == 0;
  if (!ok)
    {
      g_warning ("flood fill failed: %s", vips_error_buffer ());
      vips_error_clear ();
    }
  g_clear_object (&image);
  return ok;
}

/* Closes gaps of up to CLOSE_SIZE - 1 pixels in the mask (0/1), with
 * libvips' morphology: the blur mixes the colours of two touching regions
 * along their border, and without this two added regions would stay apart
 * by that seam. Also fills pinholes that noise leaves. */
static void
close_mask (guint8 *mask,
            int     width,
            int     height)
{
  VipsImage *context = vips_image_new ();
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 6);
  gsize n = (gsize) width * height;
  guint8 *closed;
  size_t size = 0;

  for (gsize i = 0; i < n; i++)
    mask[i] = mask[i] ? 255 : 0;
  t[0] = vips_image_new_from_memory (mask, n, width, height, 1, VIPS_FORMAT_UCHAR);
  t[1] = vips_image_new_matrix (CLOSE_SIZE, CLOSE_SIZE);
  for (int y = 0; y < CLOSE_SIZE; y++)
    for (int x = 0; x < CLOSE_SIZE; x++)
      *VIPS_MATRIX (t[1], x, y) = 255;
  /* Padding with copies of the edge keeps regions that touch the window's
   * sides from being eaten at them. */
  if (t[0] == NULL ||
      vips_embed (t[0], &t[2], CLOSE_SIZE, CLOSE_SIZE, width + 2 * CLOSE_SIZE,
                  height + 2 * CLOSE_SIZE, "extend", VIPS_EXTEND_COPY, NULL) ||
      vips_morph (t[2], &t[3], t[1], VIPS_OPERATION_MORPHOLOGY_DILATE, NULL) ||
      vips_morph (t[3], &t[4], t[1], VIPS_OPERATION_MORPHOLOGY_ERODE, NULL) ||
      vips_extract_area (t[4], &t[5], CLOSE_SIZE, CLOSE_SIZE, width, height, NULL) ||
      (closed = vips_image_write_to_memory (t[5], &size)) == NULL)
    {
      g_warning ("closing the wand's mask failed: %s", vips_error_buffer ());
      vips_error_clear ();
      for (gsize i = 0; i < n; i++)
        mask[i] = mask[i] != 0;
      g_object_unref (context);
      return;
    }
  g_assert (size == n);
  for (gsize i = 0; i < n; i++)
    mask[i] = closed[i] != 0;
  g_free (closed);
  g_object_unref (context);
}

guint8 *
limner_assist_wand_mask (const LimnerAssistRegion *region,
                         const LimnerWandSeed     *seeds,
                         guint                     n_seeds,
                         int                       tolerance,
                         int                       image_width,
                         int                       image_height,
                         gboolean                 *touches_edge,
                         GError                  **error)
{
  g_autofree guint8 *blurred = NULL;
  g_autofree guint8 *within = NULL;
  g_autofree guint8 *mask = NULL;
  gsize n;
  gboolean touches = FALSE;
  gboolean left_is_side, top_is_side, right_is_side, bottom_is_side;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (seeds != NULL && n_seeds > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tolerance < 0 || tolerance > 255)
    {
      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_INVALID,
                   _("The tolerance %d is not between 0 and 255."), tolerance);
      return NULL;
    }

  n = (gsize) region->width * region->height;
  blurred = blur_buffer (region->pixels, region->width, region->height, 3,
                         VIPS_FORMAT_UCHAR, WAND_BLUR_SIGMA);
  within = g_malloc (n);
  mask = g_malloc0 (n);

  left_is_side = region->x <= 0.5 * region->scale_x;
  top_is_side = region->y <= 0.5 * region->scale_y;
  right_is_side = region->x + (region->width + 0.5) * region->scale_x >= image_width;
  bottom_is_side = region->y + (region->height + 0.5) * region->scale_y >= image_height;

  /* Adding seeds first, then subtracting ones: the order of clicks does not
   * matter. */
  for (int pass = 0; pass < 2; pass++)
    for (guint s = 0; s <= n_seeds; s++)
      {
        LimnerWandOp op = pass == 0 ? LIMNER_WAND_ADD : LIMNER_WAND_SUBTRACT;
        const guint8 *c;
        VipsRect bounds;
        int px, py;

        /* The added regions are closed before anything is cut out, so
         * that a cut stays as sharp as it was asked for. */
        if (s == n_seeds)
          {
            if (pass == 0)
              close_mask (mask, region->width, region->height);
            continue;
          }
        if (seeds[s].op != op)
          continue;
        if (!seed_pixel (region, &seeds[s], &px, &py, error))
          return NULL;

        c = blurred + ((gsize) py * region->width + px) * 3;
        for (gsize i = 0; i < n; i++)
          {
            const guint8 *p = blurred + i * 3;
            int d = MAX (MAX (ABS (p[0] - c[0]), ABS (p[1] - c[1])), ABS (p[2] - c[2]));

            within[i] = d <= tolerance ? 255 : 0;
          }
        if (!flood (within, region->width, region->height, px, py, &bounds))
          {
            g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_INVALID,
                         _("The flood fill from (%g, %g) failed."), seeds[s].x, seeds[s].y);
            return NULL;
          }
        for (int row = bounds.top; row < bounds.top + bounds.height; row++)
          for (int col = bounds.left; col < bounds.left + bounds.width; col++)
            {
              gsize i = (gsize) row * region->width + col;

              if (within[i] == 128)
                mask[i] = op == LIMNER_WAND_ADD;
            }
        if (op == LIMNER_WAND_ADD &&
            ((bounds.left == 0 && !left_is_side) ||
             (bounds.top == 0 && !top_is_side) ||
             (bounds.left + bounds.width == region->width && !right_is_side) ||
             (bounds.top + bounds.height == region->height && !bottom_is_side)))
          touches = TRUE;
      }

  if (touches_edge != NULL)
    *touches_edge = touches;
  return g_steal_pointer (&mask);
}

static GArray *
trace_in_image (const LimnerAssistRegion *region,
                const guint8             *mask,
                int                       px,
                int                       py,
                double                    simplify,
                GError                  **error)
{
  g_autoptr(GArray) contour = NULL;

  contour = limner_contour_trace_outer (mask, region->width, region->height, region->width, px, py);
  if (contour == NULL)
    {
      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_EMPTY,
                   _("The region at (%g, %g) is empty: it was all cut out."),
                   region->x + (px + 0.5) * region->scale_x,
                   region->y + (py + 0.5) * region->scale_y);
      return NULL;
    }
  for (guint i = 0; i < contour->len; i += 2)
    {
      g_array_index (contour, double, i) = region->x + g_array_index (contour, double, i) * region->scale_x;
      g_array_index (contour, double, i + 1) = region->y + g_array_index (contour, double, i + 1) * region->scale_y;
    }
  return limner_contour_simplify_closed (contour, simplify);
}

static const LimnerWandSeed *
first_adding_seed (const LimnerWandSeed  *seeds,
                   guint                  n_seeds,
                   GError               **error)
{
  for (guint i = 0; i < n_seeds; i++)
    if (seeds[i].op == LIMNER_WAND_ADD)
      return &seeds[i];
  g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_EMPTY,
               _("The magic wand needs at least one point that adds to the region."));
  return NULL;
}

GArray *
limner_assist_wand_region (const LimnerAssistRegion *region,
                           const LimnerWandSeed     *seeds,
                           guint                     n_seeds,
                           int                       tolerance,
                           double                    simplify,
                           GError                  **error)
{
  g_autofree guint8 *mask = NULL;
  const LimnerWandSeed *first;
  int px, py;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (seeds != NULL && n_seeds > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  first = first_adding_seed (seeds, n_seeds, error);
  if (first == NULL || !seed_pixel (region, first, &px, &py, error))
    return NULL;
  mask = limner_assist_wand_mask (region, seeds, n_seeds, tolerance, G_MAXINT, G_MAXINT, NULL, error);
  if (mask == NULL)
    return NULL;
  return trace_in_image (region, mask, px, py, simplify, error);
}

static gboolean
check_point (LimnerTileSource  *source,
             double             x,
             double             y,
             GError           **error)
{
  int width = limner_tile_source_get_width (source);
  int height = limner_tile_source_get_height (source);

  if (!isfinite (x) || !isfinite (y) || x < 0 || y < 0 || x >= width || y >= height)
    {
      g_autofree char *basename = g_path_get_basename (limner_tile_source_get_path (source));

      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE,
                   _("%s: the point (%g, %g) is outside the image (%d × %d)."),
                   basename, x, y, width, height);
      return FALSE;
    }
  return TRUE;
}

GArray *
limner_assist_wand (LimnerTileSource      *source,
                    int                    level,
                    const LimnerWandSeed  *seeds,
                    guint                  n_seeds,
                    int                    tolerance,
                    double                 simplify,
                    GError               **error)
{
  const LimnerWandSeed *first;
  double sx0 = G_MAXDOUBLE, sy0 = G_MAXDOUBLE, sx1 = -G_MAXDOUBLE, sy1 = -G_MAXDOUBLE;
  int n_levels, half = WAND_START_HALF;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (source), NULL);
  g_return_val_if_fail (seeds != NULL && n_seeds > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  first = first_adding_seed (seeds, n_seeds, error);
  if (first == NULL)
    return NULL;
  for (guint i = 0; i < n_seeds; i++)
    {
      if (!check_point (source, seeds[i].x, seeds[i].y, error))
        return NULL;
      sx0 = MIN (sx0, seeds[i].x);
      sy0 = MIN (sy0, seeds[i].y);
      sx1 = MAX (sx1, seeds[i].x);
      sy1 = MAX (sy1, seeds[i].y);
    }

  n_levels = limner_tile_source_get_n_levels (source);
  level = CLAMP (level, 0, n_levels - 1);
  for (;;)
    {
      g_autoptr(LimnerAssistRegion) region = NULL;
      g_autofree guint8 *mask = NULL;
      int level_w, level_h, x0, y0, x1, y1, px, py;
      double ds_x, ds_y;
      gboolean touches = FALSE;

      limner_tile_source_get_level_size (source, level, &level_w, &level_h);
      ds_x = (double) limner_tile_source_get_width (source) / level_w;
      ds_y = (double) limner_tile_source_get_height (source) / level_h;
      x0 = (int) floor (sx0 / ds_x) - half;
      y0 = (int) floor (sy0 / ds_y) - half;
      x1 = (int) floor (sx1 / ds_x) + half;
      y1 = (int) floor (sy1 / ds_y) + half;
      region = limner_assist_region_read (source, level, x0, y0, x1 - x0, y1 - y0, error);
      if (region == NULL)
        return NULL;
      mask = limner_assist_wand_mask (region, seeds, n_seeds, tolerance,
                                      limner_tile_source_get_width (source),
                                      limner_tile_source_get_height (source),
                                      &touches, error);
      if (mask == NULL)
        return NULL;

      /* A region that outgrows the window is looked for again on a wider
       * window, then on coarser levels, whose windows cover more image for
       * the same work: a large object is outlined to the precision its size
       * needs, and a click stays within a bounded cost. */
      if (touches && 2 * half * 2 <= WAND_MAX_WINDOW)
        {
          half *= 2;
          continue;
        }
      if (touches && level + 1 < n_levels)
        {
          level++;
          continue;
        }
      if (touches && 2 * half * 2 <= MAX_WINDOW)
        {
          half *= 2;
          continue;
        }
      if (!seed_pixel (region, first, &px, &py, error))
        return NULL;
      return trace_in_image (region, mask, px, py, simplify, error);
    }
}

/* --- Box tightening ------------------------------------------------------ */

static int
compare_floats (gconstpointer a,
                gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* Where along `profile` (indices lo..hi, `outward` = -1 when smaller indices
 * lie outside the box) the object's edge is: the first strong peak met from
 * the outside, to a fraction of a pixel, as a pixel-corner coordinate.
 * Returns FALSE when the profile has no clear edge. */
static gboolean
find_edge (const float *profile,
           int          lo,
           int          hi,
           int          outward,
           double      *edge)
{
  int n = hi - lo + 1, i, step, peak;
  g_autofree float *sorted = NULL;
  float low, high = 0, threshold, half;
  double crossing;

  if (n < 3)
    return FALSE;
  sorted = g_memdup2 (profile + lo, n * sizeof (float));
  qsort (sorted, n, sizeof (float), compare_floats);
  low = sorted[n / 5];
  high = sorted[n - 1];
  /* Sobel of a 0–255 luminance: below this, texture rather than an edge. */
  if (high - low < 8.0f)
    return FALSE;
  threshold = low + 0.5f * (high - low);

  step = -outward;
  i = outward < 0 ? lo : hi;
  while (profile[i] < threshold)
    i += step;
  /* Climb to the top of that peak. */
  while (i + step >= lo && i + step <= hi && profile[i + step] >= profile[i])
    i += step;
  peak = i;
  /* Where the peak's outer flank crosses half its height, to a fraction of
   * a pixel: unlike the top of the peak, this does not creep inwards where
   * the object meets the side at a thin vertex, whose response rises
   * slowly. */
  half = low + 0.5f * (profile[peak] - low);
  i = peak;
  while (i - step >= lo && i - step <= hi && profile[i - step] > half)
    i -= step;
  crossing = i;
  if (i - step >= lo && i - step <= hi && profile[i] > profile[i - step])
    crossing = i - step * (profile[i] - half) / (profile[i] - profile[i - step]);
  /* A step between pixels k - 1 and k gives a Sobel response centred on
   * pixel index k - 0.5 (corner coordinate k), whose half height lies
   * about EDGE_HALF_WIDTH pixels further out. */
  *edge = crossing + step * MIN (EDGE_HALF_WIDTH, fabs (peak - crossing)) + 0.5;
  return TRUE;
}

static inline void
keep_top3 (float *top,
           float  v)
{
  if (v <= top[2])
    return;
  if (v > top[0])
    {
      top[2] = top[1];
      top[1] = top[0];
      top[0] = v;
    }
  else if (v > top[1])
    {
      top[2] = top[1];
      top[1] = v;
    }
  else
    top[2] = v;
}

gboolean
limner_assist_tighten_region (const LimnerAssistRegion *region,
                              const double              box[4],
                              double                    out[4],
                              GError                  **error)
{
  g_autofree float *mag = NULL;
  g_autofree float *profile = NULL;
  double b[4], t[4], mx, my;
  int w, h;

  g_return_val_if_fail (region != NULL, FALSE);
  g_return_val_if_fail (box != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(box[0] < box[2] && box[1] < box[3]) ||
      !isfinite (box[0]) || !isfinite (box[1]) || !isfinite (box[2]) || !isfinite (box[3]))
    {
      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_INVALID,
                   _("The box (%g, %g, %g, %g) is empty."), box[0], box[1], box[2], box[3]);
      return FALSE;
    }

  w = region->width;
  h = region->height;
  b[0] = (box[0] - region->x) / region->scale_x;
  b[1] = (box[1] - region->y) / region->scale_y;
  b[2] = (box[2] - region->x) / region->scale_x;
  b[3] = (box[3] - region->y) / region->scale_y;
  mx = MAX (8.0 / region->scale_x, 0.2 * (b[2] - b[0]));
  my = MAX (8.0 / region->scale_y, 0.2 * (b[3] - b[1]));
  memcpy (t, b, sizeof t);

  mag = edge_magnitude (region);
  profile = g_new0 (float, MAX (w, h));

  /* Left and right sides: the edge strength of each column, over the rows
   * the box spans, as the mean of its three strongest pixels: a side that
   * touches the object at one vertex or a curve's extreme shows as well as
   * a straight side, and a single noisy pixel does not. The first and last row and column of the window have only
   * one-sided Sobel responses and are left out. */
  {
    int r0 = CLAMP ((int) floor (b[1]), 1, h - 2), r1 = CLAMP ((int) ceil (b[3]) - 1, 1, h - 2);
    double mid = (b[0] + b[2]) / 2;

    for (int c = 1; c < w - 1; c++)
      {
        float top[3] = { 0, 0, 0 };

        for (int r = r0; r <= r1; r++)
          keep_top3 (top, mag[(gsize) r * w + c]);
        profile[c] = (top[0] + top[1] + top[2]) / 3;
      }
    find_edge (profile, CLAMP ((int) floor (b[0] - mx), 1, w - 2),
               CLAMP ((int) floor (MIN (b[0] + mx, mid)), 1, w - 2), -1, &t[0]);
    find_edge (profile, CLAMP ((int) ceil (MAX (b[2] - mx, mid)), 1, w - 2),
               CLAMP ((int) ceil (b[2] + mx), 1, w - 2), 1, &t[2]);
  }
  {
    int c0 = CLAMP ((int) floor (b[0]), 1, w - 2), c1 = CLAMP ((int) ceil (b[2]) - 1, 1, w - 2);
    double mid = (b[1] + b[3]) / 2;

    for (int r = 1; r < h - 1; r++)
      {
        float top[3] = { 0, 0, 0 };

        for (int c = c0; c <= c1; c++)
          keep_top3 (top, mag[(gsize) r * w + c]);
        profile[r] = (top[0] + top[1] + top[2]) / 3;
      }
    find_edge (profile, CLAMP ((int) floor (b[1] - my), 1, h - 2),
               CLAMP ((int) floor (MIN (b[1] + my, mid)), 1, h - 2), -1, &t[1]);
    find_edge (profile, CLAMP ((int) ceil (MAX (b[3] - my, mid)), 1, h - 2),
               CLAMP ((int) ceil (b[3] + my), 1, h - 2), 1, &t[3]);
  }

  if (t[0] >= t[2])
    t[0] = b[0], t[2] = b[2];
  if (t[1] >= t[3])
    t[1] = b[1], t[3] = b[3];
  out[0] = region->x + t[0] * region->scale_x;
  out[1] = region->y + t[1] * region->scale_y;
  out[2] = region->x + t[2] * region->scale_x;
  out[3] = region->y + t[3] * region->scale_y;
  return TRUE;
}

gboolean
limner_assist_tighten (LimnerTileSource  *source,
                       const double       box[4],
                       double             out[4],
                       GError           **error)
{
  g_autoptr(LimnerAssistRegion) region = NULL;
  int width, height, n_levels, level, level_w, level_h;
  double mx, my, ds_x = 1, ds_y = 1;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (source), FALSE);
  g_return_val_if_fail (box != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  width = limner_tile_source_get_width (source);
  height = limner_tile_source_get_height (source);
  if (!(box[0] < box[2] && box[1] < box[3]) ||
      !isfinite (box[0]) || !isfinite (box[1]) || !isfinite (box[2]) || !isfinite (box[3]) ||
      box[2] <= 0 || box[3] <= 0 || box[0] >= width || box[1] >= height)
    {
      g_autofree char *basename = g_path_get_basename (limner_tile_source_get_path (source));

      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE,
                   _("%s: the box (%g, %g, %g, %g) is empty or outside the image (%d × %d)."),
                   basename, box[0], box[1], box[2], box[3], width, height);
      return FALSE;
    }

  mx = MAX (8.0, 0.2 * (box[2] - box[0])) + 4;
  my = MAX (8.0, 0.2 * (box[3] - box[1])) + 4;
  n_levels = limner_tile_source_get_n_levels (source);
  for (level = 0; level < n_levels; level++)
    {
      limner_tile_source_get_level_size (source, level, &level_w, &level_h);
      ds_x = (double) width / level_w;
      ds_y = (double) height / level_h;
      if ((box[2] - box[0] + 2 * mx) / ds_x <= TIGHTEN_WINDOW &&
          (box[3] - box[1] + 2 * my) / ds_y <= TIGHTEN_WINDOW)
        break;
    }
  level = MIN (level, n_levels - 1);
  limner_tile_source_get_level_size (source, level, &level_w, &level_h);
  ds_x = (double) width / level_w;
  ds_y = (double) height / level_h;

  region = limner_assist_region_read (source, level,
                                      (int) floor ((box[0] - mx) / ds_x),
                                      (int) floor ((box[1] - my) / ds_y),
                                      (int) ceil ((box[2] - box[0] + 2 * mx) / ds_x) + 1,
                                      (int) ceil ((box[3] - box[1] + 2 * my) / ds_y) + 1,
                                      error);
  if (region == NULL || !limner_assist_tighten_region (region, box, out, error))
    return FALSE;

  out[0] = CLAMP (out[0], 0, width);
  out[1] = CLAMP (out[1], 0, height);
  out[2] = CLAMP (out[2], out[0], width);
  out[3] = CLAMP (out[3], out[1], height);
  return TRUE;
}

/* --- Edge snapping ------------------------------------------------------- */

gboolean
limner_assist_snap_region (const LimnerAssistRegion *region,
                           double                    x,
                           double                    y,
                           double                    radius,
                           double                   *out_x,
                           double                   *out_y)
{
  g_autofree float *mag = NULL;
  double cx, cy, rx, ry, best = -1, best_d = G_MAXDOUBLE;
  int bi = -1, bj = -1;

  g_return_val_if_fail (region != NULL, FALSE);
  g_return_val_if_fail (out_x != NULL && out_y != NULL, FALSE);

  *out_x = x;
  *out_y = y;
  cx = (x - region->x) / region->scale_x;
  cy = (y - region->y) / region->scale_y;
  rx = radius / region->scale_x;
  ry = radius / region->scale_y;
  mag = edge_magnitude (region);

  for (int j = MAX (1, (int) floor (cy - ry)); j <= MIN (region->height - 2, (int) ceil (cy + ry)); j++)
    for (int i = MAX (1, (int) floor (cx - rx)); i <= MIN (region->width - 2, (int) ceil (cx + rx)); i++)
      {
        double dx = (i + 0.5 - cx) / MAX (rx, 1e-9), dy = (j + 0.5 - cy) / MAX (ry, 1e-9);
        double d = dx * dx + dy * dy;
        float m = mag[(gsize) j * region->width + i];

        if (d > 1.0)
          continue;
        if (m > best || (m == best && d < best_d))
          {
            best = m;
            best_d = d;
            bi = i;
            bj = j;
          }
      }

  if (bi < 0 || best < LIMNER_SNAP_MIN_EDGE)
    return FALSE;
  *out_x = region->x + (bi + 0.5) * region->scale_x;
  *out_y = region->y + (bj + 0.5) * region->scale_y;
  return TRUE;
}

gboolean
limner_assist_snap (LimnerTileSource  *source,
                    int                level,
                    double             x,
                    double             y,
                    double             radius,
                    double            *out_x,
                    double            *out_y,
                    GError           **error)
{
  g_autoptr(LimnerAssistRegion) region = NULL;
  int level_w, level_h, r;
  double ds_x, ds_y;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (source), FALSE);
  g_return_val_if_fail (out_x != NULL && out_y != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_point (source, x, y, error))
    return FALSE;
  level = CLAMP (level, 0, limner_tile_source_get_n_levels (source) - 1);
  limner_tile_source_get_level_size (source, level, &level_w, &level_h);
  ds_x = (double) limner_tile_source_get_width (source) / level_w;
  ds_y = (double) limner_tile_source_get_height (source) / level_h;
  /* Room for the blur and the Sobel kernel around the disc. */
  r = (int) ceil (MAX (radius, 1.0) / MIN (ds_x, ds_y)) + 4;
  region = limner_assist_region_read (source, level, (int) floor (x / ds_x) - r,
                                      (int) floor (y / ds_y) - r, 2 * r + 1, 2 * r + 1, error);
  if (region == NULL)
    return FALSE;
  limner_assist_snap_region (region, x, y, radius, out_x, out_y);
  return TRUE;
}
