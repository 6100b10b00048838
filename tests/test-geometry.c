/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of plane geometry: area, bbox, point-in-polygon and its boundary
 * rule, edge and vertex distances, clamping, validation, transforms. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "limner-geometry.h"

static LimnerShape *
make_shape (LimnerShapeKind  kind,
            const double    *coords,
            guint            n_coords)
{
  LimnerShape *shape = limner_shape_new (kind);

  g_array_append_vals (shape->points, coords, n_coords);
  return shape;
}

static void
test_area (void)
{
  const double square[] = { 0, 0, 10, 0, 10, 10, 0, 10 };        /* clockwise on screen */
  const double square_ccw[] = { 0, 0, 0, 10, 10, 10, 10, 0 };
  const double triangle[] = { 0, 0, 4, 0, 0, 3 };
  /* An L: 3x3 minus the 2x2 top-right block = 5. */
  const double ell[] = { 0, 0, 1, 0, 1, 2, 3, 2, 3, 3, 0, 3 };
  /* The same square far from the origin: no precision lost. */
  const double far[] = { 1e9, 1e9, 1e9 + 10, 1e9, 1e9 + 10, 1e9 + 10, 1e9, 1e9 + 10 };
  const double box[] = { 2, 3, 7, 11 };
  g_autoptr(LimnerShape) poly = make_shape (LIMNER_SHAPE_POLYGON, ell, G_N_ELEMENTS (ell));
  g_autoptr(LimnerShape) b = make_shape (LIMNER_SHAPE_BOX, box, 4);

  g_assert_cmpfloat (limner_polygon_area (square, 4), ==, 100);
  g_assert_cmpfloat (limner_polygon_signed_area (square, 4), ==, 100);
  g_assert_cmpfloat (limner_polygon_signed_area (square_ccw, 4), ==, -100);
  g_assert_cmpfloat (limner_polygon_area (square_ccw, 4), ==, 100);
  g_assert_cmpfloat (limner_polygon_area (triangle, 3), ==, 6);
  g_assert_cmpfloat (limner_polygon_area (ell, 6), ==, 5);
  g_assert_cmpfloat (limner_polygon_area (far, 4), ==, 100);
  g_assert_cmpfloat (limner_polygon_area (square, 2), ==, 0);
  g_assert_cmpfloat (limner_shape_area (poly), ==, 5);
  g_assert_cmpfloat (limner_shape_area (b), ==, 40);
}

static void
test_bbox (void)
{
  const double pts[] = { 5, -1, 2, 8, 9, 3 };
  LimnerRect r = limner_points_bbox (pts, 3);
  LimnerRect e = limner_points_bbox (NULL, 0);
  LimnerRect u = limner_rect_empty ();
  LimnerRect a = { 0, 0, 1, 1 }, b = { 1, 1, 2, 2 }, c = { 1.5, 0, 3, 0.5 };

  g_assert_cmpfloat (r.x0, ==, 2);
  g_assert_cmpfloat (r.y0, ==, -1);
  g_assert_cmpfloat (r.x1, ==, 9);
  g_assert_cmpfloat (r.y1, ==, 8);
  g_assert_true (limner_rect_is_empty (&e));
  g_assert_false (limner_rect_is_empty (&r));

  limner_rect_union (&u, &e);
  g_assert_true (limner_rect_is_empty (&u));
  limner_rect_union (&u, &r);
  g_assert_cmpmem (&u, sizeof u, &r, sizeof r);

  /* Closed intervals: touching rectangles intersect. */
  g_assert_true (limner_rect_intersects (&a, &b));
  g_assert_false (limner_rect_intersects (&a, &c));
  g_assert_false (limner_rect_intersects (&a, &e));
  g_assert_true (limner_rect_contains_point (&a, 1, 1));
  g_assert_false (limner_rect_contains_point (&a, 1.01, 1));
}

static void
test_point_in_polygon (void)
{
  /* A U shape: the notch (4..6 x 0..6) is outside. */
  const double u[] = { 0, 0, 4, 0, 4, 6, 6, 6, 6, 0, 10, 0, 10, 10, 0, 10 };
  const double square[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  const double right_square[] = { 10, 0, 20, 0, 20, 10, 10, 10 };
  const double corners[] = { 10, 10, 0, 0 }; /* a box given bottom-right first */

  g_assert_true (limner_polygon_contains_point (u, 8, 1, 1));
  g_assert_true (limner_polygon_contains_point (u, 8, 2, 2));
  g_assert_false (limner_polygon_contains_point (u, 8, 5, 3));   /* in the notch */
  g_assert_true (limner_polygon_contains_point (u, 8, 5, 8));    /* below the notch */
  g_assert_false (limner_polygon_contains_point (u, 8, -1, 5));
  g_assert_false (limner_polygon_contains_point (u, 8, 11, 5));
  g_assert_false (limner_polygon_contains_point (u, 2, 1, 1));   /* not a polygon */

  /* The boundary rule: left and top edges in, right and bottom edges out. */
  g_assert_true (limner_polygon_contains_point (square, 4, 0, 5));
  g_assert_true (limner_polygon_contains_point (square, 4, 5, 0));
  g_assert_false (limner_polygon_contains_point (square, 4, 10, 5));
  g_assert_false (limner_polygon_contains_point (square, 4, 5, 10));
  g_assert_true (limner_polygon_contains_point (square, 4, 0, 0));
  g_assert_false (limner_polygon_contains_point (square, 4, 10, 10));

  /* A point on a shared edge belongs to exactly one of the two squares. */
  for (double y = 0.5; y < 10; y += 1.5)
    {
      gboolean in_left = limner_polygon_contains_point (square, 4, 10, y);
      gboolean in_right = limner_polygon_contains_point (right_square, 4, 10, y);

      g_assert_true (in_left != in_right);
    }

  /* Boxes follow the same rule as the same rectangle as a polygon. */
  for (double y = -1; y <= 11; y += 0.5)
    for (double x = -1; x <= 11; x += 0.5)
      g_assert_cmpint (limner_box_contains_point (corners, x, y), ==,
                       limner_polygon_contains_point (square, 4, x, y));
}

static void
test_segment_distance (void)
{
  double x, y, t;
  double d;

  d = limner_segment_distance (0, 0, 10, 0, 5, 3, &x, &y, &t);
  g_assert_cmpfloat (d, ==, 3);
  g_assert_cmpfloat (x, ==, 5);
  g_assert_cmpfloat (y, ==, 0);
  g_assert_cmpfloat (t, ==, 0.5);

  /* Beyond an end: the distance to that end. */
  d = limner_segment_distance (0, 0, 10, 0, 13, 4, &x, &y, &t);
  g_assert_cmpfloat (d, ==, 5);
  g_assert_cmpfloat (x, ==, 10);
  g_assert_cmpfloat (t, ==, 1);
  d = limner_segment_distance (0, 0, 10, 0, -3, -4, NULL, NULL, &t);
  g_assert_cmpfloat (d, ==, 5);
  g_assert_cmpfloat (t, ==, 0);

  /* A zero-length segment is a point. */
  d = limner_segment_distance (2, 2, 2, 2, 5, 6, &x, &y, NULL);
  g_assert_cmpfloat (d, ==, 5);
  g_assert_cmpfloat (x, ==, 2);
}

static void
test_nearest_edge (void)
{
  const double square[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  const double line[] = { 0, 0, 10, 0 };
  guint edge = 99;
  double x = -1, y = -1, d;

  /* Near the right side: edge 1, from vertex 1 to 2. */
  d = limner_points_nearest_edge (square, 4, TRUE, 12, 4, &edge, &x, &y);
  g_assert_cmpfloat (d, ==, 2);
  g_assert_cmpuint (edge, ==, 1);
  g_assert_cmpfloat (x, ==, 10);
  g_assert_cmpfloat (y, ==, 4);

  /* Near the closing edge, which exists only when closed. */
  d = limner_points_nearest_edge (square, 4, TRUE, -1, 5, &edge, &x, &y);
  g_assert_cmpfloat (d, ==, 1);
  g_assert_cmpuint (edge, ==, 3);
  g_assert_cmpfloat (x, ==, 0);
  g_assert_cmpfloat (y, ==, 5);
  d = limner_points_nearest_edge (square, 4, FALSE, -1, 5, &edge, NULL, NULL);
  g_assert_cmpuint (edge, ==, 0);
  g_assert_cmpfloat (fabs (d - hypot (1, 5)), <, 1e-12);

  /* An interior point too: the nearest side wins. */
  d = limner_points_nearest_edge (square, 4, TRUE, 5, 9, &edge, NULL, NULL);
  g_assert_cmpfloat (d, ==, 1);
  g_assert_cmpuint (edge, ==, 2);

  g_assert_cmpfloat (limner_points_nearest_edge (line, 2, TRUE, 5, 2, &edge, NULL, NULL), ==, 2);
  g_assert_cmpuint (edge, ==, 0);
  g_assert_cmpfloat (limner_points_nearest_edge (line, 1, TRUE, 5, 2, NULL, NULL, NULL), ==, -1);
}

static void
test_nearest_vertex (void)
{
  const double pts[] = { 0, 0, 10, 0, 10, 10, 0, 10 };

  g_assert_cmpint (limner_points_nearest_vertex (pts, 4, 9, 9, 2), ==, 2);
  g_assert_cmpint (limner_points_nearest_vertex (pts, 4, 9, 9, 1), ==, -1);
  g_assert_cmpint (limner_points_nearest_vertex (pts, 4, 3, 0, 3), ==, 0);  /* inclusive */
  g_assert_cmpint (limner_points_nearest_vertex (pts, 4, 5, 5, 100), ==, 0); /* tie: lowest */
  g_assert_cmpint (limner_points_nearest_vertex (pts, 0, 0, 0, 100), ==, -1);
}

static void
test_clamp (void)
{
  double inside[] = { 0, 0, 100, 50, 30, 20 };
  double outside[] = { -5, 10, 120, -3, 50, 70 };
  const double box[] = { -10, -10, 20, 30 };
  g_autoptr(LimnerShape) b = make_shape (LIMNER_SHAPE_BOX, box, 4);

  g_assert_false (limner_points_clamp (inside, 3, 100, 50));
  g_assert_cmpfloat (inside[2], ==, 100);

  g_assert_true (limner_points_clamp (outside, 3, 100, 50));
  g_assert_cmpfloat (outside[0], ==, 0);
  g_assert_cmpfloat (outside[1], ==, 10);
  g_assert_cmpfloat (outside[2], ==, 100);
  g_assert_cmpfloat (outside[3], ==, 0);
  g_assert_cmpfloat (outside[4], ==, 50);
  g_assert_cmpfloat (outside[5], ==, 50);

  g_assert_true (limner_shape_clamp (b, 15, 25));
  g_assert_cmpfloat (g_array_index (b->points, double, 0), ==, 0);
  g_assert_cmpfloat (g_array_index (b->points, double, 1), ==, 0);
  g_assert_cmpfloat (g_array_index (b->points, double, 2), ==, 15);
  g_assert_cmpfloat (g_array_index (b->points, double, 3), ==, 25);
  g_assert_false (limner_shape_clamp (b, 15, 25));
}

static void
assert_invalid (LimnerShapeKind  kind,
                const double    *coords,
                guint            n_coords,
                int              code)
{
  g_autoptr(LimnerShape) shape = make_shape (kind, coords, n_coords);
  g_autoptr(GError) error = NULL;

  g_assert_false (limner_shape_validate (shape, &error));
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, code);
  g_assert_nonnull (error->message);
  g_test_message ("%s", error->message);
}

static void
test_validate (void)
{
  const double good_poly[] = { 0, 0, 5, 0, 5, 5 };
  const double good_box[] = { 1, 2, 3, 4 };
  const double nan_poly[] = { 0, 0, NAN, 0, 5, 5 };
  const double inf_poly[] = { 0, 0, 5, INFINITY, 5, 5 };
  const double ninf_box[] = { -INFINITY, 2, 3, 4 };
  const double two_vertices[] = { 0, 0, 5, 5 };
  const double flat_box[] = { 1, 2, 1, 4 };
  const double reversed_box[] = { 3, 4, 1, 2 };
  const double three_corners[] = { 1, 2, 3, 4, 5, 6 };
  const double odd[] = { 1, 2, 3, 4, 5, 6, 7 };
  g_autoptr(LimnerShape) p = make_shape (LIMNER_SHAPE_POLYGON, good_poly, 6);
  g_autoptr(LimnerShape) b = make_shape (LIMNER_SHAPE_BOX, good_box, 4);
  g_autoptr(LimnerShape) r = make_shape (LIMNER_SHAPE_BOX, reversed_box, 4);
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_shape_validate (p, &error));
  g_assert_no_error (error);
  g_assert_true (limner_shape_validate (b, &error));
  g_assert_no_error (error);

  assert_invalid (LIMNER_SHAPE_POLYGON, nan_poly, 6, LIMNER_GEOMETRY_ERROR_NON_FINITE);
  assert_invalid (LIMNER_SHAPE_POLYGON, inf_poly, 6, LIMNER_GEOMETRY_ERROR_NON_FINITE);
  assert_invalid (LIMNER_SHAPE_BOX, ninf_box, 4, LIMNER_GEOMETRY_ERROR_NON_FINITE);
  assert_invalid (LIMNER_SHAPE_POLYGON, two_vertices, 4, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS);
  assert_invalid (LIMNER_SHAPE_POLYGON, odd, 7, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS);
  assert_invalid (LIMNER_SHAPE_BOX, three_corners, 6, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS);
  assert_invalid (LIMNER_SHAPE_BOX, flat_box, 4, LIMNER_GEOMETRY_ERROR_DEGENERATE);
  assert_invalid (LIMNER_SHAPE_BOX, reversed_box, 4, LIMNER_GEOMETRY_ERROR_NOT_NORMALIZED);

  /* Normalising fixes the reversed box. */
  limner_shape_normalize_box (r);
  g_assert_true (limner_shape_validate (r, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (g_array_index (r->points, double, 0), ==, 1);
  g_assert_cmpfloat (g_array_index (r->points, double, 3), ==, 4);

  /* Non-finite coordinates are caught by the point validator too. */
  g_assert_false (limner_points_validate (nan_poly, 3, &error));
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE);
}

static void
test_transforms (void)
{
  const double w = 40, h = 30;
  const double tri[] = { 1, 2, 11, 2, 1, 7 };
  const double box[] = { 5, 6, 15, 10 };
  struct {
    LimnerTransform t;
    double x, y;   /* where (1, 2) goes */
    double nw, nh;
  } cases[] = {
    { LIMNER_TRANSFORM_IDENTITY,   1,  2, 40, 30 },
    { LIMNER_TRANSFORM_FLIP_H,    39,  2, 40, 30 },
    { LIMNER_TRANSFORM_FLIP_V,     1, 28, 40, 30 },
    { LIMNER_TRANSFORM_ROTATE_90, 28,  1, 30, 40 },
    { LIMNER_TRANSFORM_ROTATE_180, 39, 28, 40, 30 },
    { LIMNER_TRANSFORM_ROTATE_270, 2, 39, 30, 40 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double p[6];
      double nw, nh;
      g_autoptr(LimnerShape) b = make_shape (LIMNER_SHAPE_BOX, box, 4);
      g_autoptr(GError) error = NULL;

      memcpy (p, tri, sizeof p);
      limner_points_transform (p, 3, cases[i].t, w, h);
      g_assert_cmpfloat (p[0], ==, cases[i].x);
      g_assert_cmpfloat (p[1], ==, cases[i].y);
      limner_transform_image_size (cases[i].t, w, h, &nw, &nh);
      g_assert_cmpfloat (nw, ==, cases[i].nw);
      g_assert_cmpfloat (nh, ==, cases[i].nh);
      /* Everything stays inside the new image and keeps its area. */
      for (guint k = 0; k < 3; k++)
        {
          g_assert_cmpfloat (p[2 * k], >=, 0);
          g_assert_cmpfloat (p[2 * k], <=, nw);
          g_assert_cmpfloat (p[2 * k + 1], >=, 0);
          g_assert_cmpfloat (p[2 * k + 1], <=, nh);
        }
      g_assert_cmpfloat (limner_polygon_area (p, 3), ==, limner_polygon_area (tri, 3));

      /* A box stays a valid, normalised box of the same size. */
      limner_shape_transform (b, cases[i].t, w, h);
      g_assert_true (limner_shape_validate (b, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (limner_shape_area (b), ==, 40);
    }

  /* Rotating four times, or 90 then 270, or flipping twice is the identity. */
  {
    double p[6];

    memcpy (p, tri, sizeof p);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_90, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_90, h, w);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_90, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_90, h, w);
    g_assert_cmpmem (p, sizeof p, tri, sizeof tri);

    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_90, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_270, h, w);
    g_assert_cmpmem (p, sizeof p, tri, sizeof tri);

    limner_points_transform (p, 3, LIMNER_TRANSFORM_FLIP_H, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_FLIP_H, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_FLIP_V, w, h);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_FLIP_V, w, h);
    g_assert_cmpmem (p, sizeof p, tri, sizeof tri);

    /* 180 is two 90s. */
    double q[6];
    memcpy (q, tri, sizeof q);
    limner_points_transform (p, 3, LIMNER_TRANSFORM_ROTATE_180, w, h);
    limner_points_transform (q, 3, LIMNER_TRANSFORM_ROTATE_90, w, h);
    limner_points_transform (q, 3, LIMNER_TRANSFORM_ROTATE_90, h, w);
    g_assert_cmpmem (p, sizeof p, q, sizeof q);
  }

  /* Pixel (0, 0) of a rotated image is pixel (0, h-1) of the original: the
   * centre (0.5, h - 0.5) must land on (0.5, 0.5). */
  {
    double c[2] = { 0.5, h - 0.5 };

    limner_points_transform (c, 1, LIMNER_TRANSFORM_ROTATE_90, w, h);
    g_assert_cmpfloat (c[0], ==, 0.5);
    g_assert_cmpfloat (c[1], ==, 0.5);
  }
}

static void
test_translate_and_outline (void)
{
  const double box[] = { 0, 0, 10, 10 };
  g_autoptr(LimnerShape) b = make_shape (LIMNER_SHAPE_BOX, box, 4);
  LimnerRect r;

  limner_shape_translate (b, 5, -2);
  r = limner_shape_bbox (b);
  g_assert_cmpfloat (r.x0, ==, 5);
  g_assert_cmpfloat (r.y0, ==, -2);
  g_assert_cmpfloat (r.x1, ==, 15);
  g_assert_cmpfloat (r.y1, ==, 8);

  /* The outline of a box is its four sides, not its two corners. */
  g_assert_cmpfloat (limner_shape_outline_distance (b, 15, 3), ==, 0);
  g_assert_cmpfloat (limner_shape_outline_distance (b, 10, 3), ==, 5);
  g_assert_cmpfloat (limner_shape_outline_distance (b, 10, 10), ==, 2);
  g_assert_true (limner_shape_contains_point (b, 10, 3));
  g_assert_false (limner_shape_contains_point (b, 15, 3));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/geometry/area", test_area);
  g_test_add_func ("/core/geometry/bbox", test_bbox);
  g_test_add_func ("/core/geometry/point-in-polygon", test_point_in_polygon);
  g_test_add_func ("/core/geometry/segment-distance", test_segment_distance);
  g_test_add_func ("/core/geometry/nearest-edge", test_nearest_edge);
  g_test_add_func ("/core/geometry/nearest-vertex", test_nearest_vertex);
  g_test_add_func ("/core/geometry/clamp", test_clamp);
  g_test_add_func ("/core/geometry/validate", test_validate);
  g_test_add_func ("/core/geometry/transforms", test_transforms);
  g_test_add_func ("/core/geometry/translate-outline", test_translate_and_outline);

  return g_test_run ();
}
