/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the spatial index: exact agreement with a brute-force scan over
 * random shapes of very different sizes, z-order of results, updates. */

#include "config.h"

#include "limner-spatial-index.h"

typedef struct {
  gint64     id;
  gint64     z;
  LimnerRect bbox;
  gboolean   present;
} Ref;

static gboolean
array_has (GArray *ids,
           gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
test_basic (void)
{
  g_autoptr(LimnerSpatialIndex) index = limner_spatial_index_new (0);
  LimnerRect a = { 0, 0, 10, 10 };
  LimnerRect b = { 5, 5, 15, 15 };
  LimnerRect c = { 100, 100, 101, 101 };
  LimnerRect big = { -1000, -1000, 5000, 5000 };
  LimnerRect got;
  GArray *ids;

  limner_spatial_index_insert (index, 1, 10, &a);
  limner_spatial_index_insert (index, 2, 30, &b);
  limner_spatial_index_insert (index, 3, 20, &c);
  limner_spatial_index_insert (index, 4, 5, &big);
  g_assert_cmpuint (limner_spatial_index_get_size (index), ==, 4);

  /* Topmost first: z 30, 10, 5. */
  ids = limner_spatial_index_query_point (index, 7, 7, 0);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, 4);
  g_array_unref (ids);

  /* Tolerance reaches the small box from 2 px away. */
  ids = limner_spatial_index_query_point (index, 103, 100.5, 1.5);
  g_assert_false (array_has (ids, 3));
  g_array_unref (ids);
  ids = limner_spatial_index_query_point (index, 103, 100.5, 2);
  g_assert_true (array_has (ids, 3));
  g_array_unref (ids);

  /* Rect queries come bottom first. */
  {
    LimnerRect view = { 0, 0, 200, 200 };

    ids = limner_spatial_index_query_rect (index, &view);
    g_assert_cmpuint (ids->len, ==, 4);
    g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 4);
    g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1);
    g_assert_cmpint (g_array_index (ids, gint64, 2), ==, 3);
    g_assert_cmpint (g_array_index (ids, gint64, 3), ==, 2);
    g_array_unref (ids);
  }

  /* Update moves a shape and keeps its z; insert of a known id replaces it. */
  g_assert_true (limner_spatial_index_update (index, 1, &c));
  g_assert_true (limner_spatial_index_get_bbox (index, 1, &got));
  g_assert_cmpmem (&got, sizeof got, &c, sizeof c);
  ids = limner_spatial_index_query_point (index, 100.5, 100.5, 0);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 3); /* z 20 above z 10 */
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1);
  g_array_unref (ids);
  limner_spatial_index_insert (index, 1, 99, &a);
  g_assert_cmpuint (limner_spatial_index_get_size (index), ==, 4);
  ids = limner_spatial_index_query_point (index, 7, 7, 0);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_array_unref (ids);

  g_assert_true (limner_spatial_index_remove (index, 2));
  g_assert_false (limner_spatial_index_remove (index, 2));
  g_assert_false (limner_spatial_index_update (index, 2, &a));
  g_assert_false (limner_spatial_index_contains (index, 2));
  ids = limner_spatial_index_query_point (index, 12, 12, 0);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 4);
  g_array_unref (ids);

  limner_spatial_index_clear (index);
  g_assert_cmpuint (limner_spatial_index_get_size (index), ==, 0);
  ids = limner_spatial_index_query_point (index, 7, 7, 0);
  g_assert_cmpuint (ids->len, ==, 0);
  g_array_unref (ids);
}

static LimnerRect
random_rect (GRand *rand)
{
  double x = g_rand_double_range (rand, -50, 4000);
  double y = g_rand_double_range (rand, -50, 3000);
  /* Mostly small, some huge, some points. */
  double s = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_double_range (rand, 0, 5000)
           : g_rand_int_range (rand, 0, 10) == 0 ? 0
           : g_rand_double_range (rand, 1, 80);
  double t = g_rand_double_range (rand, 0, s + 1);

  return (LimnerRect) { x, y, x + s, y + t };
}

/* The results must be exactly the brute-force answer, in the same order. */
static void
check_against_scan (LimnerSpatialIndex *index,
                    GArray             *refs,
                    const LimnerRect   *query,
                    gboolean            point,
                    double              tolerance)
{
  g_autoptr(GArray) got = NULL;
  g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) want_z = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (point)
    got = limner_spatial_index_query_point (index, query->x0, query->y0, tolerance);
  else
    got = limner_spatial_index_query_rect (index, query);

  for (guint i = 0; i < refs->len; i++)
    {
      Ref *r = &g_array_index (refs, Ref, i);
      LimnerRect q = *query;

      if (!r->present)
        continue;
      if (point)
        q = (LimnerRect) { query->x0 - tolerance, query->y0 - tolerance,
                           query->x0 + tolerance, query->y0 + tolerance };
      if (limner_rect_intersects (&r->bbox, &q))
        g_array_append_val (want, r->id);
    }

  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < want->len; i++)
    g_assert_true (array_has (got, g_array_index (want, gint64, i)));

  /* Order: by z (descending for points), ids unique. */
  for (guint i = 1; i < got->len; i++)
    {
      gint64 prev = g_array_index (got, gint64, i - 1);
      gint64 cur = g_array_index (got, gint64, i);
      gint64 zp = 0, zc = 0;

      for (guint k = 0; k < refs->len; k++)
        {
          Ref *r = &g_array_index (refs, Ref, k);

          if (r->id == prev)
            zp = r->z;
          if (r->id == cur)
            zc = r->z;
        }
      if (point)
        g_assert_cmpint (zp, >, zc);
      else
        g_assert_cmpint (zp, <, zc);
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  g_autoptr(LimnerSpatialIndex) index = limner_spatial_index_new (16);
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (Ref));

  for (guint i = 0; i < 3000; i++)
    {
      /* z is a permutation of the ids, not equal to them. */
      Ref r = { i + 1, (gint64) ((i * 7919) % 3000), random_rect (rand), TRUE };

      g_array_append_val (refs, r);
      limner_spatial_index_insert (index, r.id, r.z, &r.bbox);
    }

  for (guint round = 0; round < 3; round++)
    {
      for (guint q = 0; q < 300; q++)
        {
          LimnerRect p = random_rect (rand);
          LimnerRect rect = random_rect (rand);

          check_against_scan (index, refs, &p, TRUE, q % 3 == 0 ? 0 : g_rand_double_range (rand, 0, 8));
          check_against_scan (index, refs, &rect, FALSE, 0);
        }
      /* A whole-image viewport too. */
      {
        LimnerRect all = { -100, -100, 10000, 10000 };

        check_against_scan (index, refs, &all, FALSE, 0);
      }

      /* Move, remove and re-add a third of them. */
      for (guint i = 0; i < refs->len; i++)
        {
          Ref *r = &g_array_index (refs, Ref, i);

          switch (g_rand_int_range (rand, 0, 6))
            {
            case 0:
              r->bbox = random_rect (rand);
              if (r->present)
                g_assert_true (limner_spatial_index_update (index, r->id, &r->bbox));
              else
                g_assert_false (limner_spatial_index_update (index, r->id, &r->bbox));
              break;
            case 1:
              g_assert_cmpint (limner_spatial_index_remove (index, r->id), ==, r->present);
              r->present = FALSE;
              break;
            case 2:
              r->bbox = random_rect (rand);
              limner_spatial_index_insert (index, r->id, r->z, &r->bbox);
              r->present = TRUE;
              break;
            default:
              break;
            }
        }
      {
        guint n = 0;

        for (guint i = 0; i < refs->len; i++)
          n += g_array_index (refs, Ref, i).present;
        g_assert_cmpuint (limner_spatial_index_get_size (index), ==, n);
      }
    }
}

static void
test_extreme_coordinates (void)
{
  g_autoptr(LimnerSpatialIndex) index = limner_spatial_index_new (0);
  LimnerRect far = { 1e12, 1e12, 1e12 + 1, 1e12 + 1 };
  LimnerRect neg = { -1e12, -1e12, -1e12 + 1, -1e12 + 1 };
  LimnerRect huge = { -1e15, -1e15, 1e15, 1e15 };
  GArray *ids;

  limner_spatial_index_insert (index, 1, 1, &far);
  limner_spatial_index_insert (index, 2, 2, &neg);
  limner_spatial_index_insert (index, 3, 3, &huge);

  ids = limner_spatial_index_query_point (index, 1e12 + 0.5, 1e12 + 0.5, 0);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 1);
  g_array_unref (ids);
  ids = limner_spatial_index_query_point (index, -1e12 + 0.5, -1e12 + 0.5, 0);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 2);
  g_array_unref (ids);
  ids = limner_spatial_index_query_point (index, 0, 0, 0);
  g_assert_cmpuint (ids->len, ==, 1);
  g_array_unref (ids);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/spatial-index/basic", test_basic);
  g_test_add_func ("/core/spatial-index/random", test_random);
  g_test_add_func ("/core/spatial-index/extreme-coordinates", test_extreme_coordinates);

  return g_test_run ();
}
