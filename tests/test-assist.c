/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the classical computer-vision assists: contour tracing and
 * simplification, the magic wand, box tightening, edge snapping and the
 * live-wire, on hand-made masks and synthetic images with known outlines. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-assist.h"
#include "limner-contour.h"
#include "limner-core.h"
#include "limner-geometry.h"
#include "limner-livewire.h"
#include "limner-test-util.h"

/* --- Contours ------------------------------------------------------------ */

/* A mask from rows of text: '#' inside, anything else outside. */
static guint8 *
mask_from_rows (const char * const *rows,
                int                 *width,
                int                 *height)
{
  guint8 *mask;

  *height = g_strv_length ((char **) rows);
  *width = strlen (rows[0]);
  mask = g_malloc0 ((gsize) *width * *height);
  for (int y = 0; y < *height; y++)
    for (int x = 0; x < *width; x++)
      mask[y * *width + x] = rows[y][x] == '#';
  return mask;
}

static void
assert_trace (const char * const *rows,
              int                 seed_x,
              int                 seed_y,
              const double       *expected,
              guint               n_expected)
{
  int w, h;
  g_autofree guint8 *mask = mask_from_rows (rows, &w, &h);
  g_autoptr(GArray) contour = limner_contour_trace_outer (mask, w, h, w, seed_x, seed_y);

  g_assert_nonnull (contour);
  g_assert_cmpuint (contour->len, ==, n_expected * 2);
  for (guint i = 0; i < n_expected * 2; i++)
    g_assert_cmpfloat (g_array_index (contour, double, i), ==, expected[i]);
}

static void
test_trace_square (void)
{
  const char *rows[] = { "........",
                         "........",
                         "..###...",
                         "..###...",
                         "..###...",
                         "........", NULL };
  const double expected[] = { 2, 2, 5, 2, 5, 5, 2, 5 };

  assert_trace (rows, 3, 3, expected, 4);
}

static void
test_trace_l_shape (void)
{
  const char *rows[] = { ".....",
                         ".#...",
                         ".#...",
                         ".###.",
                         ".....", NULL };
  const double expected[] = { 1, 1, 2, 1, 2, 3, 4, 3, 4, 4, 1, 4 };

  assert_trace (rows, 1, 3, expected, 6);
}

static void
test_trace_line (void)
{
  const char *rows[] = { "........",
                         "........",
                         "..#####.",
                         "........", NULL };
  const double expected[] = { 2, 2, 7, 2, 7, 3, 2, 3 };

  assert_trace (rows, 4, 2, expected, 4);
}

static void
test_trace_single_pixel (void)
{
  const char *rows[] = { "#..", "...", NULL };
  const double expected[] = { 0, 0, 1, 0, 1, 1, 0, 1 };

  assert_trace (rows, 0, 0, expected, 4);
}

static void
test_trace_border (void)
{
  const char *rows[] = { "###..",
                         "###..",
                         ".....", NULL };
  const char *whole[] = { "###", "###", NULL };
  const double expected[] = { 0, 0, 3, 0, 3, 2, 0, 2 };

  assert_trace (rows, 2, 1, expected, 4);
  assert_trace (whole, 0, 0, expected, 4);
}

static void
test_trace_hole (void)
{
  const char *rows[] = { ".......",
                         ".#####.",
                         ".#####.",
                         ".##.##.",
                         ".#####.",
                         ".#####.",
                         ".......", NULL };
  const double expected[] = { 1, 1, 6, 1, 6, 6, 1, 6 };

  assert_trace (rows, 1, 5, expected, 4);
}

static void
test_trace_concave_and_diagonal (void)
{
  /* A U: the notch at the top is part of the outer outline. */
  const char *u[] = { "#.#", "###", NULL };
  const double expected_u[] = { 0, 0, 1, 0, 1, 1, 2, 1, 2, 0, 3, 0, 3, 2, 0, 2 };
  /* Pixels touching only at a corner are separate regions. */
  const char *diagonal[] = { "#..", ".#.", NULL };
  const double expected_diagonal[] = { 1, 1, 2, 1, 2, 2, 1, 2 };
  int w, h;
  g_autofree guint8 *mask = mask_from_rows (diagonal, &w, &h);

  assert_trace (u, 0, 1, expected_u, 8);
  assert_trace (diagonal, 1, 1, expected_diagonal, 4);
  /* A seed outside gives nothing. */
  g_assert_null (limner_contour_trace_outer (mask, w, h, w, 2, 0));
  g_assert_null (limner_contour_trace_outer (mask, w, h, w, -1, 0));
}

/* A disc of radius r, with a few bumps so simplification has work to do. */
static guint8 *
make_blob (int size)
{
  guint8 *mask = g_malloc0 ((gsize) size * size);
  double c = size / 2.0;

  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        double dx = x + 0.5 - c, dy = y + 0.5 - c;
        double r = size * 0.35 * (1 + 0.15 * sin (5 * atan2 (dy, dx)));

        mask[y * size + x] = dx * dx + dy * dy < r * r;
      }
  return mask;
}

static double
distance_to_polygon (const GArray *poly,
                     double        x,
                     double        y)
{
  guint n = poly->len / 2;
  const double *v = (const double *) poly->data;
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    {
      guint j = (i + 1) % n;

      best = MIN (best, limner_contour_segment_distance (x, y, v[2 * i], v[2 * i + 1],
                                                         v[2 * j], v[2 * j + 1]));
    }
  return best;
}

static void
test_trace_area (void)
{
  int size = 90;
  g_autofree guint8 *mask = make_blob (size);
  g_autoptr(GArray) contour = limner_contour_trace_outer (mask, size, size, size, size / 2, size / 2);
  guint count = 0;

  for (int i = 0; i < size * size; i++)
    count += mask[i];
  g_assert_nonnull (contour);
  /* The outline along pixel edges encloses exactly the region's pixels. */
  g_assert_cmpfloat (limner_polygon_signed_area ((const double *) contour->data, contour->len / 2),
                     ==, count);
}

static void
test_simplify_bounds (void)
{
  const double tolerances[] = { 0, 0.5, 1, 2, 4, 8, 16 };
  int size = 120;
  g_autofree guint8 *mask = make_blob (size);
  g_autoptr(GArray) contour = limner_contour_trace_outer (mask, size, size, size, size / 2, size / 2);
  guint previous = G_MAXUINT;

  for (guint t = 0; t < G_N_ELEMENTS (tolerances); t++)
    {
      g_autoptr(GArray) simple = limner_contour_simplify_closed (contour, tolerances[t]);

      g_assert_cmpuint (simple->len / 2, >=, 3);
      g_assert_cmpuint (simple->len / 2, <=, previous);
      if (tolerances[t] == 0)
        g_assert_cmpuint (simple->len, ==, contour->len);
      else
        g_assert_cmpuint (simple->len, <, contour->len);
      for (guint i = 0; i < contour->len; i += 2)
        g_assert_cmpfloat (distance_to_polygon (simple, g_array_index (contour, double, i),
                                                g_array_index (contour, double, i + 1)),
                           <=, tolerances[t] + 1e-9);
      previous = simple->len / 2;
    }
}

static void
test_simplify_open (void)
{
  /* A straight run with one kink: only the ends and the kink stay. */
  const double line[] = { 0, 0, 1, 0.1, 2, 0, 3, 0.05, 4, 0, 5, 3, 6, 6 };
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) simple = NULL;
  g_autoptr(GArray) all = NULL;
  const double expected[] = { 0, 0, 4, 0, 6, 6 };

  g_array_append_vals (points, line, G_N_ELEMENTS (line));
  simple = limner_contour_simplify_open (points, 0.5);
  g_assert_cmpuint (simple->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat (g_array_index (simple, double, i), ==, expected[i]);
  all = limner_contour_simplify_open (points, 0);
  g_assert_cmpuint (all->len, ==, points->len);
}

/* --- Synthetic images ---------------------------------------------------- */

typedef struct {
  int     width;
  int     height;
  guint8 *rgb;
} Picture;

static void
picture_free (Picture *p)
{
  g_free (p->rgb);
  g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

/* A grey, woven-looking texture with per-pixel noise. */
static Picture *
textured_picture (int width,
                  int height,
                  guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Picture *p = g_new0 (Picture, 1);

  p->width = width;
  p->height = height;
  p->rgb = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        double base = 115 + 35 * sin (x / 4.0) * cos (y / 6.0);

        for (int c = 0; c < 3; c++)
          p->rgb[((gsize) y * width + x) * 3 + c] =
            CLAMP (base + (c == 1 ? 8 : 0) + g_rand_double_range (rand, -12, 12), 0, 255);
      }
  return p;
}

/* Fills the pixels whose centres lie inside `poly` with a colour and noise. */
static void
fill_polygon (Picture      *p,
              const GArray *poly,
              const guint8  colour[3],
              guint32       seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int y = 0; y < p->height; y++)
    for (int x = 0; x < p->width; x++)
      if (limner_polygon_contains_point ((const double *) poly->data, poly->len / 2, x + 0.5, y + 0.5))
        for (int c = 0; c < 3; c++)
          p->rgb[((gsize) y * p->width + x) * 3 + c] =
            CLAMP (colour[c] + g_rand_double_range (rand, -10, 10), 0, 255);
}

static GArray *
make_polygon (const double *coords,
              guint         n_coords)
{
  GArray *poly = g_array_new (FALSE, FALSE, sizeof (double));

  g_array_append_vals (poly, coords, n_coords);
  return poly;
}

static GArray *
box_polygon (double x0, double y0, double x1, double y1)
{
  const double v[] = { x0, y0, x1, y0, x1, y1, x0, y1 };

  return make_polygon (v, 8);
}

static LimnerAssistRegion *
picture_region (const Picture *p)
{
  return limner_assist_region_new (p->width, p->height, p->rgb, p->width * 3, 0, 0, 1);
}

static void
polygon_centroid (const GArray *poly,
                  double       *cx,
                  double       *cy)
{
  guint n = poly->len / 2;

  *cx = *cy = 0;
  for (guint i = 0; i < n; i++)
    {
      *cx += g_array_index (poly, double, 2 * i) / n;
      *cy += g_array_index (poly, double, 2 * i + 1) / n;
    }
}

static void
test_wand_polygon (void)
{
  const double coords[] = { 150, 40, 250, 110, 215, 240, 90, 250, 45, 120, 110, 95 };
  const guint8 colour[3] = { 205, 70, 55 };
  g_autoptr(GArray) truth = make_polygon (coords, G_N_ELEMENTS (coords));
  g_autoptr(Picture) p = textured_picture (300, 300, 7);
  g_autoptr(LimnerAssistRegion) region = NULL;
  g_autoptr(GArray) outline = NULL;
  g_autoptr(GArray) fine = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWandSeed seed = { 0, 0, LIMNER_WAND_ADD };
  double iou;

  fill_polygon (p, truth, colour, 8);
  region = picture_region (p);
  polygon_centroid (truth, &seed.x, &seed.y);

  outline = limner_assist_wand_region (region, &seed, 1, LIMNER_WAND_DEFAULT_TOLERANCE, 1.0, &error);
  g_assert_no_error (error);
  iou = limner_contour_iou (outline, truth, 0.5);
  g_test_message ("wand IoU %.4f with %u vertices", iou, outline->len / 2);
  g_assert_cmpfloat (iou, >, 0.95);
  /* Simplified: far fewer vertices than a pixel staircase. */
  fine = limner_assist_wand_region (region, &seed, 1, LIMNER_WAND_DEFAULT_TOLERANCE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outline->len, <, fine->len / 4);

  /* Tolerance 0 takes almost nothing of a noisy object; 255 everything. */
  {
    g_autoptr(GArray) tiny = limner_assist_wand_region (region, &seed, 1, 0, 0, &error);
    g_autoptr(GArray) all = limner_assist_wand_region (region, &seed, 1, 255, 0, &error);
    LimnerRect r;

    g_assert_no_error (error);
    g_assert_cmpfloat (limner_polygon_area ((const double *) tiny->data, tiny->len / 2), <, 100);
    r = limner_points_bbox ((const double *) all->data, all->len / 2);
    g_assert_cmpfloat (r.x0, ==, 0);
    g_assert_cmpfloat (r.y1, ==, 300);
  }

  /* A bad tolerance and a seed outside are errors. */
  g_assert_null (limner_assist_wand_region (region, &seed, 1, 300, 1, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_INVALID);
  g_clear_error (&error);
  seed.x = 400;
  g_assert_null (limner_assist_wand_region (region, &seed, 1, 40, 1, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE);
}

static void
test_wand_add_subtract (void)
{
  /* A red and a blue rectangle side by side. */
  const guint8 red[3] = { 210, 40, 40 }, blue[3] = { 40, 60, 210 };
  g_autoptr(GArray) left = box_polygon (40, 50, 100, 150);
  g_autoptr(GArray) right = box_polygon (100, 50, 170, 150);
  g_autoptr(GArray) both = box_polygon (40, 50, 170, 150);
  g_autoptr(Picture) p = textured_picture (220, 200, 3);
  g_autoptr(LimnerAssistRegion) region = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWandSeed seeds[3] = {
    { 70, 100, LIMNER_WAND_ADD },
    { 135, 100, LIMNER_WAND_ADD },
    { 130, 90, LIMNER_WAND_SUBTRACT },
  };

  fill_polygon (p, left, red, 1);
  fill_polygon (p, right, blue, 2);
  region = picture_region (p);

  {
    g_autoptr(GArray) one = limner_assist_wand_region (region, seeds, 1, 40, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (limner_contour_iou (one, left, 0.5), >, 0.97);
  }
  {
    g_autoptr(GArray) two = limner_assist_wand_region (region, seeds, 2, 40, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (limner_contour_iou (two, both, 0.5), >, 0.97);
  }
  {
    g_autoptr(GArray) cut = limner_assist_wand_region (region, seeds, 3, 40, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (limner_contour_iou (cut, left, 0.5), >, 0.97);
  }
  /* Cutting out the first seed's own region leaves nothing. */
  seeds[1].op = LIMNER_WAND_SUBTRACT;
  seeds[1].x = 60;
  g_assert_null (limner_assist_wand_region (region, seeds, 2, 40, 1, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_EMPTY);
}

/* Writes `p` as a PNG under `dir` and opens a tile source on it. */
static LimnerTileSource *
picture_source (const Picture *p,
                const char    *dir,
                const char    *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  VipsImage *image = vips_image_new_from_memory (p->rgb, (gsize) p->width * p->height * 3,
                                                 p->width, p->height, 3, VIPS_FORMAT_UCHAR);
  LimnerTileSource *source;

  g_assert_cmpint (vips_pngsave (image, path, "compression", 1, NULL), ==, 0);
  g_object_unref (image);
  source = limner_tile_source_new (path, &error);
  g_assert_no_error (error);
  return source;
}

static void
test_wand_source (void)
{
  /* An object wider than the first window, so the window has to grow. */
  const double coords[] = { 100, 300, 1300, 200, 1400, 900, 200, 1000 };
  const guint8 colour[3] = { 60, 170, 70 };
  g_autoptr(GArray) truth = make_polygon (coords, G_N_ELEMENTS (coords));
  g_autoptr(Picture) p = textured_picture (1500, 1100, 11);
  g_autofree char *dir = g_dir_make_tmp ("limner-assist-XXXXXX", NULL);
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GArray) outline = NULL;
  g_autoptr(GError) error = NULL;
  LimnerWandSeed seed = { 750, 600, LIMNER_WAND_ADD };
  double iou;

  fill_polygon (p, truth, colour, 12);
  source = picture_source (p, dir, "big.png");
  outline = limner_assist_wand (source, 0, &seed, 1, LIMNER_WAND_DEFAULT_TOLERANCE, 1.0, &error);
  g_assert_no_error (error);
  iou = limner_contour_iou (outline, truth, 2.0);
  g_test_message ("wand on a tile source: IoU %.4f", iou);
  g_assert_cmpfloat (iou, >, 0.95);

  /* A point outside the image is named in the error. */
  seed.x = 1500;
  g_assert_null (limner_assist_wand (source, 0, &seed, 1, 40, 1.0, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE);
  g_assert_nonnull (strstr (error->message, "1500"));
  g_assert_nonnull (strstr (error->message, "big.png"));

  limner_test_rm_rf (dir);
}

static void
test_tighten (void)
{
  const guint8 colour[3] = { 230, 200, 40 };
  g_autoptr(GArray) rect = box_polygon (60, 50, 140, 120);
  g_autoptr(Picture) p = textured_picture (220, 200, 5);
  g_autoptr(LimnerAssistRegion) region = NULL;
  g_autoptr(GError) error = NULL;
  /* Grown on two sides, shrunk on the other two, by 5–15 %. */
  const double rough[4] = { 52, 58, 150, 113 };
  const double truth[4] = { 60, 50, 140, 120 };
  const double bad[4] = { 10, 10, 10, 20 };
  double out[4];

  fill_polygon (p, rect, colour, 6);
  region = picture_region (p);
  g_assert_true (limner_assist_tighten_region (region, rough, out, &error));
  g_assert_no_error (error);
  g_test_message ("tightened to %g %g %g %g", out[0], out[1], out[2], out[3]);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (fabs (out[i] - truth[i]), <=, 1.0);

  g_assert_false (limner_assist_tighten_region (region, bad, out, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_INVALID);
}

static void
test_tighten_ellipse (void)
{
  const guint8 colour[3] = { 40, 90, 220 };
  g_autoptr(GArray) ellipse = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(Picture) p = textured_picture (260, 220, 9);
  g_autoptr(LimnerAssistRegion) region = NULL;
  g_autoptr(GError) error = NULL;
  const double truth[4] = { 50, 40, 210, 170 };
  const double rough[4] = { 38, 52, 222, 158 };
  double out[4], iou;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;

  for (int i = 0; i < 360; i++)
    {
      double v[2] = { 130 + 80 * cos (i * G_PI / 180), 105 + 65 * sin (i * G_PI / 180) };

      g_array_append_vals (ellipse, v, 2);
    }
  fill_polygon (p, ellipse, colour, 10);
  region = picture_region (p);
  g_assert_true (limner_assist_tighten_region (region, rough, out, &error));
  g_assert_no_error (error);
  a = box_polygon (out[0], out[1], out[2], out[3]);
  b = box_polygon (truth[0], truth[1], truth[2], truth[3]);
  iou = limner_contour_iou (a, b, 0.25);
  g_test_message ("ellipse box %g %g %g %g, IoU %.4f", out[0], out[1], out[2], out[3], iou);
  g_assert_cmpfloat (iou, >, 0.95);
}

static Picture *
step_picture (int width,
              int height,
              double (*edge) (double y))
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  Picture *p = g_new0 (Picture, 1);

  p->width = width;
  p->height = height;
  p->rgb = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        p->rgb[((gsize) y * width + x) * 3 + c] =
          (x + 0.5 < edge (y + 0.5) ? 50 : 190) + g_rand_int_range (rand, -6, 7);
  return p;
}

static double
straight_edge (double y)
{
  (void) y;
  return 100;
}

static double
wavy_edge (double y)
{
  return 80 + 18 * sin (y / 14.0);
}

static void
test_snap (void)
{
  g_autoptr(Picture) p = step_picture (200, 120, straight_edge);
  g_autoptr(LimnerAssistRegion) region = picture_region (p);
  double x, y;

  g_assert_true (limner_assist_snap_region (region, 93.2, 60.4, 10, &x, &y));
  g_assert_cmpfloat (fabs (x - 100), <=, 1.0);
  g_assert_cmpfloat (fabs (y - 60.4), <=, 10);
  g_assert_true (limner_assist_snap_region (region, 104, 30, 6, &x, &y));
  g_assert_cmpfloat (fabs (x - 100), <=, 1.0);
  /* No edge within reach: the point stays. */
  g_assert_false (limner_assist_snap_region (region, 40.3, 60.7, 8, &x, &y));
  g_assert_cmpfloat (x, ==, 40.3);
  g_assert_cmpfloat (y, ==, 60.7);
}

static void
test_live_wire (void)
{
  g_autoptr(Picture) p = step_picture (160, 200, wavy_edge);
  g_autoptr(LimnerAssistRegion) region = picture_region (p);
  g_autoptr(LimnerLiveWire) wire = NULL;
  g_autoptr(GArray) path = NULL;
  g_autoptr(GArray) simple = NULL;
  g_autoptr(GError) error = NULL;
  double ay = 5.5, ty = 190.5;

  wire = limner_live_wire_new (region, wavy_edge (ay), ay, &error);
  g_assert_no_error (error);
  path = limner_live_wire_path (wire, wavy_edge (ty), ty, 0);
  g_assert_cmpuint (path->len / 2, >=, 185);
  /* It starts at the anchor, ends at the target and hugs the edge. */
  g_assert_cmpfloat (fabs (g_array_index (path, double, 1) - ay), <, 1);
  g_assert_cmpfloat (fabs (g_array_index (path, double, path->len - 1) - ty), <, 1);
  for (guint i = 0; i < path->len; i += 2)
    {
      double x = g_array_index (path, double, i), y = g_array_index (path, double, i + 1);

      g_assert_cmpfloat (fabs (x - wavy_edge (y)), <=, 1.0);
    }
  /* Simplified, the path keeps few vertices and still follows the edge. */
  simple = limner_live_wire_path (wire, wavy_edge (ty), ty, 0.75);
  g_assert_cmpuint (simple->len, <, path->len / 3);
  for (guint i = 0; i < simple->len; i += 2)
    g_assert_cmpfloat (fabs (g_array_index (simple, double, i) -
                             wavy_edge (g_array_index (simple, double, i + 1))), <=, 1.0);
  /* The path to the anchor itself is one point, at no cost. */
  {
    g_autoptr(GArray) none = limner_live_wire_path (wire, wavy_edge (ay), ay, 0);

    g_assert_cmpuint (none->len, ==, 2);
    g_assert_cmpfloat (limner_live_wire_cost (wire, wavy_edge (ay), ay), ==, 0);
  }
  /* Going across flat areas costs more than following the edge. */
  g_assert_cmpfloat (limner_live_wire_cost (wire, 20.5, ty), >,
                     limner_live_wire_cost (wire, wavy_edge (ty), ty));

  g_assert_null (limner_live_wire_new (region, 500, 5, &error));
  g_assert_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  g_test_add_func ("/core/assist/trace/square", test_trace_square);
  g_test_add_func ("/core/assist/trace/l-shape", test_trace_l_shape);
  g_test_add_func ("/core/assist/trace/line", test_trace_line);
  g_test_add_func ("/core/assist/trace/single-pixel", test_trace_single_pixel);
  g_test_add_func ("/core/assist/trace/border", test_trace_border);
  g_test_add_func ("/core/assist/trace/hole", test_trace_hole);
  g_test_add_func ("/core/assist/trace/concave-diagonal", test_trace_concave_and_diagonal);
  g_test_add_func ("/core/assist/trace/area", test_trace_area);
  g_test_add_func ("/core/assist/simplify/bounds", test_simplify_bounds);
  g_test_add_func ("/core/assist/simplify/open", test_simplify_open);
  g_test_add_func ("/core/assist/wand/polygon", test_wand_polygon);
  g_test_add_func ("/core/assist/wand/add-subtract", test_wand_add_subtract);
  g_test_add_func ("/core/assist/wand/tile-source", test_wand_source);
  g_test_add_func ("/core/assist/tighten/rectangle", test_tighten);
  g_test_add_func ("/core/assist/tighten/ellipse", test_tighten_ellipse);
  g_test_add_func ("/core/assist/snap", test_snap);
  g_test_add_func ("/core/assist/live-wire", test_live_wire);

  return g_test_run ();
}
