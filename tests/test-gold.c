/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>

#include "limner-gold.h"
#include "limner-overlap.h"

#define EPS 1e-9

static const double L_SHAPE[] = { 0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10 };

static void
reverse_points (const double *in,
                guint         n,
                double       *out)
{
  for (guint i = 0; i < n; i++)
    {
      out[2 * i] = in[2 * (n - 1 - i)];
      out[2 * i + 1] = in[2 * (n - 1 - i) + 1];
    }
}

/* [0,10]^2 and [5,15]^2 overlap in [5,10]^2: 25 / (100 + 100 - 25) = 1/7. */
static void
test_offset_squares (void)
{
  const double a[] = { 0, 0, 10, 10 };
  const double b[] = { 5, 5, 15, 15 };
  const double pa[] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  const double pb[] = { 5, 5, 15, 5, 15, 15, 5, 15 };
  /* Corners given the other way round. */
  const double b_swapped[] = { 15, 15, 5, 5 };

  g_assert_cmpfloat_with_epsilon (limner_overlap_box_box (a, b), 25.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (a, 2, TRUE, b, 2, TRUE), 1.0 / 7.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (a, 2, TRUE, b_swapped, 2, TRUE), 1.0 / 7.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_polygon (pa, 4, pb, 4), 25.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (pa, 4, FALSE, pb, 4, FALSE), 1.0 / 7.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (a, 2, TRUE, pb, 4, FALSE), 1.0 / 7.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (pa, 4, FALSE, b, 2, TRUE), 1.0 / 7.0, EPS);
}

/* The L (the 10 x 10 square minus [4,10]x[4,10]) has area 100 - 36 = 64.
 * The square [2,8]^2 (36) loses its [4,8]^2 corner (16) to the notch, so
 * they share 20: IoU = 20 / (64 + 36 - 20) = 0.25. */
static void
test_l_shape_square (void)
{
  const double sq[] = { 2, 2, 8, 8 };
  double rev[12];

  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_area (L_SHAPE, 6), 64.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (L_SHAPE, 6, FALSE, sq, 2, TRUE), 0.25, EPS);
  /* Orientation does not matter. */
  reverse_points (L_SHAPE, 6, rev);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (rev, 6, FALSE, sq, 2, TRUE), 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (sq, 2, TRUE, rev, 6, FALSE), 0.25, EPS);
}

/* Triangle (0,0) (10,0) (0,10), area 50, against the box [0,6]^2 (36): the
 * box's corner beyond x + y = 10 is the triangle (4,6) (6,6) (6,4) of area
 * 2, so they share 34: IoU = 34 / (50 + 36 - 34) = 34 / 52. */
static void
test_triangle_box (void)
{
  const double tri[] = { 0, 0, 10, 0, 0, 10 };
  const double box[] = { 0, 0, 6, 6 };

  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (tri, 3, FALSE, box, 2, TRUE), 34.0 / 52.0, EPS);
}

/* Two non-convex outlines whose edges cross: the U (9 x 9 minus the 3 x 6
 * slot [3,6]x[3,9], area 63) and the bar [-1,10]x[5,7] (22). In y 5..7 the U
 * covers x in [0,3] and [6,9], 6 wide: 12 shared. IoU = 12 / (63 + 22 - 12).
 * The diamond (5,0) (10,5) (5,10) (0,5), area 50, fills half of [0,10]^2
 * and a quarter of its own area lies in [5,10]x[0,10]. */
static void
test_crossing_shapes (void)
{
  const double u[] = { 0, 0, 9, 0, 9, 9, 6, 9, 6, 3, 3, 3, 3, 9, 0, 9 };
  const double bar[] = { -1, 5, 10, 5, 10, 7, -1, 7 };
  const double diamond[] = { 5, 0, 10, 5, 5, 10, 0, 5 };
  const double full[] = { 0, 0, 10, 10 };
  const double right[] = { 5, 0, 10, 10 };

  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_area (u, 8), 63.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_polygon (u, 8, bar, 4), 12.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (u, 8, FALSE, bar, 4, FALSE), 12.0 / 73.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (diamond, 4, FALSE, full, 2, TRUE), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (diamond, 4, FALSE, right, 2, TRUE), 1.0 / 3.0, EPS);
}

static void
test_disjoint_identical (void)
{
  const double a[] = { 0, 0, 10, 10 };
  const double touching[] = { 10, 0, 20, 10 };
  const double far[] = { 30, 30, 40, 40 };
  const double tri[] = { 50, 50, 60, 50, 50, 60 };

  g_assert_cmpfloat (limner_overlap_iou (a, 2, TRUE, touching, 2, TRUE), ==, 0.0);
  g_assert_cmpfloat (limner_overlap_iou (a, 2, TRUE, far, 2, TRUE), ==, 0.0);
  g_assert_cmpfloat (limner_overlap_iou (a, 2, TRUE, tri, 3, FALSE), ==, 0.0);
  g_assert_cmpfloat (limner_overlap_iou (L_SHAPE, 6, FALSE, tri, 3, FALSE), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (a, 2, TRUE, a, 2, TRUE), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (L_SHAPE, 6, FALSE, L_SHAPE, 6, FALSE), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_overlap_iou (tri, 3, FALSE, tri, 3, FALSE), 1.0, EPS);
}

/* A pentagram drawn as one self-crossing outline: its even-odd region is the
 * five points without the centre pentagon, so its area is less than that of
 * the filled star. Checked against the non-crossing 10-vertex star minus the
 * pentagon, whose area the shoelace gives. */
static void
test_self_intersecting (void)
{
  double pentagram[10], star[20], pentagon[10];
  double r_outer = 10.0, r_inner;

  /* The inner radius of a regular pentagram. */
  r_inner = r_outer * cos (2 * G_PI / 5) / cos (G_PI / 5);
  for (guint i = 0; i < 5; i++)
    {
      double t = -G_PI / 2 + i * 4 * G_PI / 5;

      pentagram[2 * i] = r_outer * cos (t);
      pentagram[2 * i + 1] = r_outer * sin (t);
    }
  for (guint i = 0; i < 10; i++)
    {
      double t = -G_PI / 2 + i * G_PI / 5;
      double r = i % 2 == 0 ? r_outer : r_inner;

      star[2 * i] = r * cos (t);
      star[2 * i + 1] = r * sin (t);
    }
  for (guint i = 0; i < 5; i++)
    {
      double t = -G_PI / 2 + G_PI / 5 + i * 2 * G_PI / 5;

      pentagon[2 * i] = r_inner * cos (t);
      pentagon[2 * i + 1] = r_inner * sin (t);
    }
  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_area (pentagram, 5),
                                  limner_polygon_area (star, 10) - limner_polygon_area (pentagon, 5),
                                  1e-9);
  /* A simple non-convex polygon: slabs agree with the shoelace. */
  g_assert_cmpfloat_with_epsilon (limner_overlap_polygon_area (star, 10),
                                  limner_polygon_area (star, 10), 1e-9);
}

/* Two wavy, non-convex outlines of 60 vertices whose edges cross many
 * times: the slab IoU against a count of grid points (every 0.25 px, tested
 * with the geometry module's even-odd rule, a separate route). The boundary
 * cells make the count off by well under 0.001. */
static void
test_against_sampling (void)
{
  const guint n = 60;
  g_autofree double *a = g_new (double, 2 * n);
  g_autofree double *b = g_new (double, 2 * n);
  guint in_both = 0, in_either = 0;
  double iou;

  for (guint i = 0; i < n; i++)
    {
      double t = 2 * G_PI * i / n;
      double ra = 40 + 12 * sin (7 * t), rb = 40 + 12 * cos (5 * t);

      a[2 * i] = 80 + ra * cos (t);
      a[2 * i + 1] = 80 + ra * sin (t);
      b[2 * i] = 90 + rb * cos (t);
      b[2 * i + 1] = 85 + rb * sin (t);
    }
  for (double y = 20.125; y < 140; y += 0.25)
    for (double x = 20.125; x < 150; x += 0.25)
      {
        gboolean ia = limner_polygon_contains_point (a, n, x, y);
        gboolean ib = limner_polygon_contains_point (b, n, x, y);

        in_both += ia && ib;
        in_either += ia || ib;
      }
  iou = limner_overlap_iou (a, n, FALSE, b, n, FALSE);
  g_test_message ("slab IoU %.6f, sampled %.6f", iou, (double) in_both / in_either);
  g_assert_cmpuint (in_either, >, 0);
  g_assert_cmpfloat (iou, >, 0.1);
  g_assert_cmpfloat (iou, <, 0.9);
  g_assert_cmpfloat_with_epsilon (iou, (double) in_both / in_either, 0.001);
}

static LimnerGoldShape
box (gint64        label,
     const double *corners)
{
  LimnerGoldShape s = { label, LIMNER_SHAPE_BOX, corners, 2 };

  return s;
}

/* References: R0 label 1 [0,10]x[0,10]; R1 label 1 [20,30]x[0,10]; R2 label
 * 2 the L. Annotator: A0 label 1 [1,11]x[0,10] (R0: 90 / 110 = 0.818182);
 * A1 label 1 [25,35]x[0,10] (R1: 50 / 150 = 1/3, below 0.5); A2 label 2 the
 * L (R2: 1); A3 label 3 on R0's place (no reference of label 3).
 * At 0.5: tp 2, fp 2 (A1, A3), fn 1 (R1); precision 2/4 = 0.5, recall 2/3,
 * mean IoU (9/11 + 1) / 2 = 10/11.
 * At 0.3: A1-R1 counts too: tp 3, fp 1, fn 0; precision 0.75, recall 1,
 * mean IoU (9/11 + 1 + 1/3) / 3 = 0.717172. */
static void
test_score (void)
{
  const double r0[] = { 0, 0, 10, 10 }, r1[] = { 20, 0, 30, 10 };
  const double a0[] = { 1, 0, 11, 10 }, a1[] = { 25, 0, 35, 10 };
  LimnerGoldShape refs[3] = { box (1, r0), box (1, r1), { 2, LIMNER_SHAPE_POLYGON, L_SHAPE, 6 } };
  LimnerGoldShape ann[4] = { box (1, a0), box (1, a1), { 2, LIMNER_SHAPE_POLYGON, L_SHAPE, 6 }, box (3, r0) };
  g_autoptr(GArray) matches = NULL;
  LimnerGoldScore s;
  const LimnerGoldMatch *m;

  limner_gold_score (ann, 4, refs, 3, LIMNER_GOLD_DEFAULT_THRESHOLD, &s, &matches);
  g_assert_cmpuint (s.tp, ==, 2);
  g_assert_cmpuint (s.fp, ==, 2);
  g_assert_cmpuint (s.fn, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.precision, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (s.recall, 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (s.mean_iou, 10.0 / 11.0, EPS);
  /* Taken by descending IoU: the L pair first. */
  g_assert_cmpuint (matches->len, ==, 2);
  m = &g_array_index (matches, LimnerGoldMatch, 0);
  g_assert_cmpuint (m->annotator_index, ==, 2);
  g_assert_cmpuint (m->reference_index, ==, 2);
  m = &g_array_index (matches, LimnerGoldMatch, 1);
  g_assert_cmpuint (m->annotator_index, ==, 0);
  g_assert_cmpuint (m->reference_index, ==, 0);
  g_assert_cmpfloat_with_epsilon (m->iou, 9.0 / 11.0, EPS);

  limner_gold_score (ann, 4, refs, 3, 0.3, &s, NULL);
  g_assert_cmpuint (s.tp, ==, 3);
  g_assert_cmpuint (s.fp, ==, 1);
  g_assert_cmpuint (s.fn, ==, 0);
  g_assert_cmpfloat_with_epsilon (s.precision, 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (s.recall, 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (s.mean_iou, (9.0 / 11.0 + 1.0 + 1.0 / 3.0) / 3.0, EPS);
}

/* The same outline under another label is no match: one fp and one fn. */
static void
test_label_mismatch (void)
{
  const double r[] = { 0, 0, 10, 10 };
  LimnerGoldShape ref = box (1, r);
  LimnerGoldShape ann = box (2, r);
  LimnerGoldScore s;

  g_assert_cmpfloat (limner_gold_shape_iou (&ann, &ref), ==, 0.0);
  limner_gold_score (&ann, 1, &ref, 1, LIMNER_GOLD_DEFAULT_THRESHOLD, &s, NULL);
  g_assert_cmpuint (s.tp, ==, 0);
  g_assert_cmpuint (s.fp, ==, 1);
  g_assert_cmpuint (s.fn, ==, 1);
  g_assert_cmpfloat (s.precision, ==, 0.0);
  g_assert_cmpfloat (s.recall, ==, 0.0);
  g_assert_cmpfloat (s.mean_iou, ==, 0.0);
}

/* Greedy by IoU: of two candidates for one reference, the better one (IoU 1
 * against 0.9) is paired, whatever the input order. */
static void
test_greedy_and_sums (void)
{
  const double r[] = { 0, 0, 10, 10 }, near[] = { 0, 0, 10, 9 };
  LimnerGoldShape ref = box (1, r);
  LimnerGoldShape ann[2] = { box (1, near), box (1, r) };
  g_autoptr(GArray) matches = NULL;
  LimnerGoldScore s, total = { 0 };

  limner_gold_score (ann, 2, &ref, 1, 0.5, &s, &matches);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpuint (g_array_index (matches, LimnerGoldMatch, 0).annotator_index, ==, 1);
  g_assert_cmpuint (s.tp, ==, 1);
  g_assert_cmpuint (s.fp, ==, 1);

  /* Nothing on either side is a perfect score with no IoU. */
  limner_gold_score (NULL, 0, NULL, 0, 0.5, &s, NULL);
  g_assert_cmpfloat (s.precision, ==, 1.0);
  g_assert_cmpfloat (s.recall, ==, 1.0);
  g_assert_cmpfloat (s.mean_iou, ==, 0.0);

  /* Sums over images: tp 1 fp 1 (IoU 1) plus tp 1 fn 1 (IoU 0.9):
   * precision 2/3, recall 2/3, mean IoU 0.95. */
  limner_gold_score (ann, 2, &ref, 1, 0.5, &s, NULL);
  limner_gold_score_add (&total, &s);
  s = (LimnerGoldScore) { .tp = 1, .fp = 0, .fn = 1, .iou_sum = 0.9 };
  limner_gold_score_add (&total, &s);
  g_assert_cmpfloat_with_epsilon (total.precision, 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (total.recall, 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (total.mean_iou, 0.95, EPS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/gold/offset-squares", test_offset_squares);
  g_test_add_func ("/core/gold/l-shape-square", test_l_shape_square);
  g_test_add_func ("/core/gold/triangle-box", test_triangle_box);
  g_test_add_func ("/core/gold/crossing-shapes", test_crossing_shapes);
  g_test_add_func ("/core/gold/disjoint-identical", test_disjoint_identical);
  g_test_add_func ("/core/gold/self-intersecting", test_self_intersecting);
  g_test_add_func ("/core/gold/against-sampling", test_against_sampling);
  g_test_add_func ("/core/gold/score", test_score);
  g_test_add_func ("/core/gold/label-mismatch", test_label_mismatch);
  g_test_add_func ("/core/gold/greedy-and-sums", test_greedy_and_sums);

  return g_test_run ();
}
