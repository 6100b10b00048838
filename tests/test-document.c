/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of LimnerDocument: commands, the undo/redo stack (1000+ steps),
 * autosave through LimnerStoreWriter (threaded and synchronous), undo
 * across a flushed autosave, restored ids, UI state, hit tests, copy and
 * paste. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "limner-document.h"
#include "limner-store-shape-ids.h"
#include "limner-test-util.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define WIDTH 800
#define HEIGHT 600

typedef struct {
  char        *tmp;
  char        *dir;
  LimnerStore *store;
  gint64       image_id;
  gint64       image2_id;
  gint64       label_a;
  gint64       label_b;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("limner-document-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "Project", NULL);
  f->store = limner_store_create (f->dir, "Document test", "ann", &error);
  g_assert_no_error (error);
  f->image_id = limner_store_add_image (f->store, "a.png", SHA_A, 1000, WIDTH, HEIGHT, "png", &error);
  g_assert_no_error (error);
  f->image2_id = limner_store_add_image (f->store, "b.png", SHA_B, 1000, 400, 300, "png", &error);
  g_assert_no_error (error);
  f->label_a = limner_store_add_label (f->store, "car", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->label_b = limner_store_add_label (f->store, "person", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  limner_test_rm_rf (f->tmp);
  g_free (f->dir);
  g_free (f->tmp);
}

static LimnerShape *
make_box (double x0,
          double y0,
          double x1,
          double y1)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double p[] = { x0, y0, x1, y1 };

  g_array_append_vals (shape->points, p, 4);
  return shape;
}

/* A regular n-gon around (cx, cy). */
static LimnerShape *
make_polygon (guint  n,
              double cx,
              double cy,
              double r)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);

  for (guint i = 0; i < n; i++)
    {
      double a = 2 * G_PI * i / n;
      double p[2] = { cx + r * cos (a), cy + r * sin (a) };

      g_array_append_vals (shape->points, p, 2);
    }
  return shape;
}

static char *
shape_digest (const LimnerShape *shape)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%" G_GINT64_FORMAT ":%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":",
                          shape->id, limner_shape_kind_to_string (shape->kind),
                          shape->label_id, shape->group_id);
  for (guint i = 0; i < shape->points->len; i++)
    g_string_append_printf (s, "%.17g,", g_array_index (shape->points, double, i));
  return g_string_free (s, FALSE);
}

/* The whole content of a document, in z-order, as text. */
static char *
document_digest (LimnerDocument *doc)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < limner_document_get_n_shapes (doc); i++)
    {
      g_autofree char *d = shape_digest (limner_document_get_nth_shape (doc, i));

      g_string_append (s, d);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* What the project holds for the image, read through a fresh connection. */
static char *
store_digest (const char *dir,
              gint64      image_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, "ann", &error);
  g_autoptr(GPtrArray) shapes = NULL;
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  shapes = limner_store_list_shapes (store, image_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < shapes->len; i++)
    {
      g_autofree char *d = shape_digest (g_ptr_array_index (shapes, i));

      g_string_append (s, d);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static void
assert_store_matches (Fixture        *f,
                      LimnerDocument *doc)
{
  g_autofree char *want = document_digest (doc);
  g_autofree char *got = store_digest (f->dir, limner_document_get_image_id (doc));

  g_assert_cmpstr (got, ==, want);
}

typedef struct {
  guint      changed;
  LimnerRect last_area;
  guint      added;
  guint      removed;
  guint      modified;
  guint      can_undo_notifies;
} Counters;

static void
on_changed (LimnerDocument *doc,
            LimnerRect     *area,
            Counters       *c)
{
  c->changed++;
  c->last_area = *area;
}

static void
on_added (LimnerDocument *doc, gint64 id, Counters *c)
{
  g_assert_nonnull (limner_document_get_shape (doc, id));
  c->added++;
}

static void
on_removed (LimnerDocument *doc, gint64 id, Counters *c)
{
  g_assert_null (limner_document_get_shape (doc, id));
  c->removed++;
}

static void
on_modified (LimnerDocument *doc, gint64 id, Counters *c)
{
  c->modified++;
}

static void
on_notify_can_undo (GObject *object, GParamSpec *pspec, Counters *c)
{
  c->can_undo_notifies++;
}

static void
connect_counters (LimnerDocument *doc,
                  Counters       *c)
{
  g_signal_connect (doc, "changed", G_CALLBACK (on_changed), c);
  g_signal_connect (doc, "shape-added", G_CALLBACK (on_added), c);
  g_signal_connect (doc, "shape-removed", G_CALLBACK (on_removed), c);
  g_signal_connect (doc, "shape-modified", G_CALLBACK (on_modified), c);
  g_signal_connect (doc, "notify::can-undo", G_CALLBACK (on_notify_can_undo), c);
}

/* --- In memory ----------------------------------------------------------- */

static void
test_add_undo_redo (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(LimnerShape) box = make_box (10, 20, 30, 40);
  g_autoptr(LimnerShape) poly = make_polygon (5, 100, 100, 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *after_two = NULL;
  Counters c = { 0 };
  gint64 id_box, id_poly;

  connect_counters (doc, &c);
  g_assert_false (limner_document_can_undo (doc));
  g_assert_null (limner_document_get_undo_description (doc));

  id_box = limner_document_add_shape (doc, box, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_box, >, 0);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (c.changed, ==, 1);
  g_assert_cmpfloat (c.last_area.x0, ==, 10);
  g_assert_cmpfloat (c.last_area.y1, ==, 40);
  g_assert_cmpuint (c.can_undo_notifies, ==, 1);
  g_assert_true (limner_document_can_undo (doc));
  g_assert_cmpstr (limner_document_get_undo_description (doc), ==, "Add Box");

  id_poly = limner_document_add_shape (doc, poly, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_poly, >, id_box);
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 2);
  g_assert_cmpint (limner_document_get_nth_shape (doc, 0)->id, ==, id_box);
  g_assert_cmpint (limner_document_get_nth_shape (doc, 1)->id, ==, id_poly);
  g_assert_cmpint (limner_document_get_shape (doc, id_poly)->image_id, ==, 1);
  g_assert_nonnull (limner_document_get_shape (doc, id_poly)->author);
  after_two = document_digest (doc);

  g_assert_true (limner_document_undo (doc));
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 1);
  g_assert_null (limner_document_get_shape (doc, id_poly));
  g_assert_true (limner_document_can_redo (doc));
  g_assert_cmpstr (limner_document_get_redo_description (doc), ==, "Add Polygon");

  g_assert_true (limner_document_redo (doc));
  {
    g_autofree char *again = document_digest (doc);

    g_assert_cmpstr (again, ==, after_two);
  }
  g_assert_false (limner_document_redo (doc));

  /* A new edit after an undo drops what could be redone. */
  g_assert_true (limner_document_undo (doc));
  g_assert_true (limner_document_undo (doc));
  g_assert_false (limner_document_undo (doc));
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 0);
  g_assert_cmpuint (c.can_undo_notifies, ==, 2); /* on at the first add, off now */
  g_assert_cmpint (limner_document_add_shape (doc, box, &error), >, 0);
  g_assert_false (limner_document_can_redo (doc));
  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, 1);
}

static void
test_validation (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(LimnerShape) nan_poly = make_polygon (4, 50, 50, 10);
  g_autoptr(LimnerShape) inf_box = make_box (0, 0, INFINITY, 10);
  g_autoptr(LimnerShape) line = limner_shape_new (LIMNER_SHAPE_POLYGON);
  g_autoptr(LimnerShape) reversed = make_box (50, 60, 10, 20);
  g_autoptr(LimnerShape) overhang = make_box (-20, 500, 100, 700);
  g_autoptr(LimnerShape) outside = make_box (900, 10, 950, 20);
  g_autoptr(GError) error = NULL;
  const LimnerShape *got;
  gint64 id;
  double p[] = { 1, 1, 5, 5 };

  g_array_index (nan_poly->points, double, 3) = NAN;
  g_assert_cmpint (limner_document_add_shape (doc, nan_poly, &error), ==, 0);
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE);
  g_clear_error (&error);
  g_assert_cmpint (limner_document_add_shape (doc, inf_box, &error), ==, 0);
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE);
  g_clear_error (&error);
  g_array_append_vals (line->points, p, 2);
  g_assert_cmpint (limner_document_add_shape (doc, line, &error), ==, 0);
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_TOO_FEW_POINTS);
  g_clear_error (&error);
  /* Clamping a box that lies wholly outside leaves nothing of it. */
  g_assert_cmpint (limner_document_add_shape (doc, outside, &error), ==, 0);
  g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_DEGENERATE);
  g_clear_error (&error);
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 0);
  g_assert_false (limner_document_can_undo (doc));

  /* Reversed corners are normalised; an overhang is clamped. */
  id = limner_document_add_shape (doc, reversed, &error);
  g_assert_no_error (error);
  got = limner_document_get_shape (doc, id);
  g_assert_cmpfloat (g_array_index (got->points, double, 0), ==, 10);
  g_assert_cmpfloat (g_array_index (got->points, double, 3), ==, 60);
  id = limner_document_add_shape (doc, overhang, &error);
  g_assert_no_error (error);
  got = limner_document_get_shape (doc, id);
  g_assert_cmpfloat (g_array_index (got->points, double, 0), ==, 0);
  g_assert_cmpfloat (g_array_index (got->points, double, 3), ==, HEIGHT);

  /* A bad modification changes nothing. */
  {
    g_autoptr(LimnerShape) bad = limner_shape_copy (got);
    g_autofree char *before = document_digest (doc);
    g_autofree char *after = NULL;
    guint depth = limner_document_get_undo_depth (doc);

    g_array_index (bad->points, double, 2) = NAN;
    g_assert_false (limner_document_modify_shape (doc, bad, &error));
    g_assert_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE);
    g_clear_error (&error);
    bad->id = 12345;
    g_assert_false (limner_document_modify_shape (doc, bad, &error));
    g_assert_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    after = document_digest (doc);
    g_assert_cmpstr (after, ==, before);
    g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, depth);
  }

  /* Modifying to the same geometry is not an edit. */
  {
    g_autoptr(LimnerShape) same = limner_shape_copy (got);
    guint depth = limner_document_get_undo_depth (doc);

    g_assert_true (limner_document_modify_shape (doc, same, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, depth);
  }
}

static void
test_hit_test (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(LimnerShape) big = make_box (0, 0, 400, 400);
  g_autoptr(LimnerShape) mid = make_polygon (8, 200, 200, 100);
  g_autoptr(LimnerShape) small = make_box (190, 190, 210, 210);
  /* A U whose notch holds the point (300, 450). */
  g_autoptr(LimnerShape) u = limner_shape_new (LIMNER_SHAPE_POLYGON);
  const double up[] = { 250, 420, 280, 420, 280, 480, 320, 480, 320, 420, 350, 420, 350, 500, 250, 500 };
  g_autoptr(GError) error = NULL;
  gint64 id_big, id_mid, id_small, id_u;
  GArray *hits;

  g_array_append_vals (u->points, up, G_N_ELEMENTS (up));
  id_big = limner_document_add_shape (doc, big, &error);
  id_mid = limner_document_add_shape (doc, mid, &error);
  id_small = limner_document_add_shape (doc, small, &error);
  id_u = limner_document_add_shape (doc, u, &error);
  g_assert_no_error (error);

  /* Topmost first, for cycling through the overlap. */
  hits = limner_document_hit_test (doc, 200, 200, 0, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id_small);
  g_assert_cmpint (g_array_index (hits, gint64, 1), ==, id_mid);
  g_assert_cmpint (g_array_index (hits, gint64, 2), ==, id_big);
  g_array_unref (hits);

  /* Inside the mid polygon's bbox but outside the polygon itself. */
  hits = limner_document_hit_test (doc, 110, 110, 0, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id_big);
  g_array_unref (hits);

  /* In the U's notch: only with enough tolerance to reach its outline. */
  hits = limner_document_hit_test (doc, 300, 450, 0, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 0);
  g_array_unref (hits);
  hits = limner_document_hit_test (doc, 300, 450, 20, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id_u);
  g_array_unref (hits);

  /* Near a box's outside edge, within tolerance. */
  hits = limner_document_hit_test (doc, 403, 100, 5, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 1);
  g_array_unref (hits);
  hits = limner_document_hit_test (doc, 403, 100, 2, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 0);
  g_array_unref (hits);

  /* Locked shapes are skipped unless asked for; hidden ones too. */
  limner_document_set_shape_locked (doc, id_small, TRUE);
  limner_document_set_shape_hidden (doc, id_mid, TRUE);
  hits = limner_document_hit_test (doc, 200, 200, 0, LIMNER_HIT_DEFAULT);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id_big);
  g_array_unref (hits);
  hits = limner_document_hit_test (doc, 200, 200, 0, LIMNER_HIT_INCLUDE_LOCKED);
  g_assert_cmpuint (hits->len, ==, 2);
  g_array_unref (hits);
  hits = limner_document_hit_test (doc, 200, 200, 0,
                                   LIMNER_HIT_INCLUDE_LOCKED | LIMNER_HIT_INCLUDE_HIDDEN);
  g_assert_cmpuint (hits->len, ==, 3);
  g_array_unref (hits);

  /* Viewport culling leaves hidden shapes out and keeps drawing order. */
  {
    LimnerRect view = { 150, 150, 260, 260 };

    hits = limner_document_query_rect (doc, &view);
    g_assert_cmpuint (hits->len, ==, 2);
    g_assert_cmpint (g_array_index (hits, gint64, 0), ==, id_big);
    g_assert_cmpint (g_array_index (hits, gint64, 1), ==, id_small);
    g_array_unref (hits);
  }
}

static void
test_lock_hide (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(LimnerShape) a = make_box (10, 10, 50, 50);
  g_autoptr(LimnerShape) b = make_box (100, 100, 150, 150);
  g_autoptr(GError) error = NULL;
  Counters c = { 0 };
  gint64 id_a, id_b;

  a->label_id = 7;
  b->label_id = 8;
  id_a = limner_document_add_shape (doc, a, &error);
  id_b = limner_document_add_shape (doc, b, &error);
  g_assert_no_error (error);
  connect_counters (doc, &c);

  limner_document_set_shape_locked (doc, id_a, TRUE);
  g_assert_true (limner_document_get_shape_locked (doc, id_a));
  g_assert_cmpuint (c.modified, ==, 1);
  g_assert_cmpuint (c.changed, ==, 1);
  g_assert_false (limner_document_is_shape_editable (doc, id_a));
  g_assert_true (limner_document_is_shape_visible (doc, id_a));
  g_assert_false (limner_document_delete_shapes (doc, &id_a, 1, &error));
  g_assert_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (limner_document_set_label (doc, &id_a, 1, 8, &error));
  g_assert_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_LOCKED);
  g_clear_error (&error);
  /* UI state is not an edit. */
  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, 2);
  limner_document_set_shape_locked (doc, id_a, FALSE);
  g_assert_true (limner_document_is_shape_editable (doc, id_a));

  /* Per label, now and for shapes that get the label later. */
  limner_document_set_label_locked (doc, 8, TRUE);
  g_assert_true (limner_document_get_label_locked (doc, 8));
  g_assert_false (limner_document_is_shape_editable (doc, id_b));
  g_assert_false (limner_document_delete_shapes (doc, &id_b, 1, &error));
  g_assert_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (limner_document_set_label (doc, &id_a, 1, 8, &error));
  g_assert_no_error (error);
  g_assert_false (limner_document_is_shape_editable (doc, id_a));
  limner_document_set_label_locked (doc, 8, FALSE);

  limner_document_set_label_hidden (doc, 8, TRUE);
  g_assert_false (limner_document_is_shape_visible (doc, id_a));
  g_assert_false (limner_document_is_shape_visible (doc, id_b));
  {
    LimnerRect all = { 0, 0, WIDTH, HEIGHT };
    g_autoptr(GArray) ids = limner_document_query_rect (doc, &all);

    g_assert_cmpuint (ids->len, ==, 0);
  }
  limner_document_set_label_hidden (doc, 8, FALSE);
  g_assert_true (limner_document_is_shape_visible (doc, id_b));
}

/* Small rectangles go through the index, large ones through one pass over
 * the z-order: both must give the brute-force answer in drawing order. */
static void
test_query_paths (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(LimnerShape) shape = make_polygon (g_rand_int_range (rand, 3, 12),
                                                   g_rand_double_range (rand, 0, WIDTH),
                                                   g_rand_double_range (rand, 0, HEIGHT),
                                                   g_rand_double_range (rand, 2, 120));
      gint64 id;

      shape->label_id = g_rand_int_range (rand, 0, 3);
      id = limner_document_add_shape (doc, shape, &error);
      g_assert_no_error (error);
      if (g_rand_int_range (rand, 0, 10) == 0)
        limner_document_set_shape_hidden (doc, id, TRUE);
    }
  limner_document_set_label_hidden (doc, 2, TRUE);

  for (guint q = 0; q < 300; q++)
    {
      double w = q % 3 == 0 ? g_rand_double_range (rand, 0, WIDTH * 1.5) : g_rand_double_range (rand, 0, 150);
      double h = q % 3 == 0 ? g_rand_double_range (rand, 0, HEIGHT * 1.5) : g_rand_double_range (rand, 0, 150);
      double x = g_rand_double_range (rand, -100, WIDTH);
      double y = g_rand_double_range (rand, -100, HEIGHT);
      LimnerRect rect = { x, y, x + w, y + h };
      g_autoptr(GArray) ids = limner_document_query_rect (doc, &rect);
      g_autoptr(GPtrArray) shapes = limner_document_query_rect_shapes (doc, &rect);
      guint k = 0;

      g_assert_cmpuint (shapes->len, ==, ids->len);
      for (guint i = 0; i < limner_document_get_n_shapes (doc); i++)
        {
          const LimnerShape *shape = limner_document_get_nth_shape (doc, i);
          LimnerRect bbox = limner_shape_bbox (shape);

          if (!limner_rect_intersects (&bbox, &rect) || !limner_document_is_shape_visible (doc, shape->id))
            continue;
          g_assert_cmpuint (k, <, ids->len);
          g_assert_cmpint (g_array_index (ids, gint64, k), ==, shape->id);
          g_assert_true (g_ptr_array_index (shapes, k) == (gpointer) shape);
          k++;
        }
      g_assert_cmpuint (k, ==, ids->len);
    }
}

/* One random edit that is guaranteed to be one undo step. */
static void
random_edit (LimnerDocument *doc,
             GRand          *rand,
             gint64          label_a,
             gint64          label_b)
{
  g_autoptr(GError) error = NULL;
  guint n = limner_document_get_n_shapes (doc);
  guint depth = limner_document_get_undo_depth (doc);
  int op = n < 3 ? 0 : g_rand_int_range (rand, 0, 5);

  if (op >= 1)
    {
      const LimnerShape *pick = limner_document_get_nth_shape (doc, g_rand_int_range (rand, 0, n));
      gint64 id = pick->id;

      switch (op)
        {
        case 1: /* move */
          {
            g_autoptr(LimnerShape) moved = limner_shape_copy (pick);

            limner_shape_translate (moved, g_rand_double_range (rand, -20, 20),
                                    g_rand_double_range (rand, -20, 20));
            g_assert_true (limner_document_modify_shape (doc, moved, &error));
          }
          break;
        case 2: /* drag one vertex */
          {
            g_autoptr(LimnerShape) edited = limner_shape_copy (pick);
            guint k = g_rand_int_range (rand, 0, edited->points->len);

            g_array_index (edited->points, double, k) += g_rand_double_range (rand, 1, 5);
            if (!limner_document_modify_shape (doc, edited, &error))
              g_clear_error (&error); /* e.g. a box corner pushed past the other */
          }
          break;
        case 3:
          g_assert_true (limner_document_delete_shapes (doc, &id, 1, &error));
          break;
        case 4:
          g_assert_true (limner_document_set_label (doc, &id, 1,
                                                    pick->label_id == label_a ? label_b : label_a,
                                                    &error));
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_no_error (error);
    }

  if (limner_document_get_undo_depth (doc) == depth)
    {
      g_autoptr(LimnerShape) shape = NULL;
      double x = g_rand_double_range (rand, 0, WIDTH - 60);
      double y = g_rand_double_range (rand, 0, HEIGHT - 60);

      if (g_rand_boolean (rand))
        shape = make_box (x, y, x + g_rand_double_range (rand, 2, 60), y + g_rand_double_range (rand, 2, 60));
      else
        shape = make_polygon (g_rand_int_range (rand, 3, 21), x + 30, y + 30, g_rand_double_range (rand, 3, 30));
      shape->label_id = g_rand_boolean (rand) ? label_a : 0;
      g_assert_cmpint (limner_document_add_shape (doc, shape, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, depth + 1);
}

/* `steps` random edits, then all undone and all redone, comparing each
 * state with the one recorded on the way. Returns the digests. */
static GPtrArray *
walk_history (LimnerDocument *doc,
              guint           steps,
              gint64          label_a,
              gint64          label_b,
              guint32         seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *states = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (states, document_digest (doc));
  for (guint i = 0; i < steps; i++)
    {
      random_edit (doc, rand, label_a, label_b);
      g_ptr_array_add (states, document_digest (doc));
    }
  return states;
}

static void
test_deep_undo (void)
{
  g_autoptr(LimnerDocument) doc = limner_document_new (1, WIDTH, HEIGHT, NULL);
  g_autoptr(GPtrArray) states = walk_history (doc, 1500, 1, 2, 42);

  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, 1500);
  for (guint i = 1500; i > 0; i--)
    {
      g_autofree char *now = NULL;

      g_assert_true (limner_document_undo (doc));
      now = document_digest (doc);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i - 1));
    }
  g_assert_false (limner_document_undo (doc));
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 0);
  for (guint i = 1; i <= 1500; i++)
    {
      g_autofree char *now = NULL;

      g_assert_true (limner_document_redo (doc));
      now = document_digest (doc);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
    }
  g_assert_false (limner_document_redo (doc));
}

/* --- With the store ------------------------------------------------------ */

static void
test_autosave_threaded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(GPtrArray) states = NULL;

  g_assert_no_error (error);
  g_assert_false (limner_store_writer_is_sync (writer));
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_document_get_width (doc), ==, WIDTH);

  /* 1200 steps, saved as they go. */
  states = walk_history (doc, 1200, f->label_a, f->label_b, 7);
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (limner_store_writer_get_pending (writer), ==, 0);
  assert_store_matches (f, doc);

  /* Undo across the autosave: the store follows each step back. */
  for (guint i = 1200; i > 600; i--)
    {
      g_assert_true (limner_document_undo (doc));
      if (i % 150 == 0)
        {
          g_assert_true (limner_store_writer_flush (writer, &error));
          assert_store_matches (f, doc);
        }
    }
  {
    g_autofree char *now = document_digest (doc);

    g_assert_cmpstr (now, ==, g_ptr_array_index (states, 600));
  }
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, doc);

  for (guint i = 0; i < 300; i++)
    g_assert_true (limner_document_redo (doc));
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = document_digest (doc);

    g_assert_cmpstr (now, ==, g_ptr_array_index (states, 900));
  }
  assert_store_matches (f, doc);

  /* Re-opening reads back exactly what the document shows. */
  {
    g_autoptr(LimnerDocument) again = limner_document_open (f->store, writer, f->image_id, &error);
    g_autofree char *want = document_digest (doc);
    g_autofree char *got = NULL;

    g_assert_no_error (error);
    got = document_digest (again);
    g_assert_cmpstr (got, ==, want);
    g_assert_false (limner_document_can_undo (again));
  }
}

static void
test_undo_delete_restores_id (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(LimnerShape) a = make_polygon (6, 100, 100, 40);
  g_autoptr(LimnerShape) b = make_box (300, 300, 400, 350);
  g_autoptr(LimnerShape) c = make_box (10, 10, 20, 20);
  g_autoptr(LimnerShape) stored = NULL;
  gint64 ids[2];
  gint64 id_c;

  g_assert_no_error (error);
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);
  a->label_id = f->label_a;
  ids[0] = limner_document_add_shape (doc, a, &error);
  ids[1] = limner_document_add_shape (doc, b, &error);
  g_assert_no_error (error);

  /* The ids are known before the INSERTs reach the database. */
  g_assert_cmpint (ids[0], >, 0);
  g_assert_cmpint (ids[1], >, ids[0]);

  g_assert_true (limner_document_delete_shapes (doc, ids, 2, &error));
  g_assert_cmpstr (limner_document_get_undo_description (doc), ==, "Delete 2 Shapes");
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  g_assert_null (limner_store_get_shape (f->store, ids[0], NULL));

  /* A shape added meanwhile gets a new id, not a deleted one. */
  id_c = limner_document_add_shape (doc, c, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_c, !=, ids[0]);
  g_assert_cmpint (id_c, !=, ids[1]);
  g_assert_true (limner_document_undo (doc)); /* the add of c */
  g_assert_true (limner_document_undo (doc)); /* the delete */
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);

  stored = limner_store_get_shape (f->store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpint (stored->label_id, ==, f->label_a);
  g_assert_cmpuint (stored->points->len, ==, 12);
  g_assert_cmpint (limner_document_get_shape (doc, ids[1])->id, ==, ids[1]);
  assert_store_matches (f, doc);
}

static void
test_autosave_sync (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new_sync (f->store);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);

  g_assert_true (limner_store_writer_is_sync (writer));
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);

  /* Every step is in the database when the call returns. */
  for (guint i = 0; i < 60; i++)
    {
      random_edit (doc, rand, f->label_a, f->label_b);
      g_assert_cmpuint (limner_store_writer_get_pending (writer), ==, 0);
      assert_store_matches (f, doc);
    }
  for (guint i = 0; i < 30; i++)
    {
      g_assert_true (limner_document_undo (doc));
      assert_store_matches (f, doc);
    }
}

static void
on_save_failed (LimnerStoreWriter *writer,
                GError            *error,
                GError           **out)
{
  g_assert_nonnull (error);
  if (*out == NULL)
    *out = g_error_copy (error);
}

static void
test_save_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) signalled = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(LimnerShape) a = make_box (10, 10, 50, 50);
  gint64 id;
  gint64 timeout;

  g_assert_no_error (error);
  g_signal_connect (writer, "save-failed", G_CALLBACK (on_save_failed), &signalled);
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);
  id = limner_document_add_shape (doc, a, &error);
  g_assert_no_error (error);

  /* The document cannot know that label 9999 does not exist; the store
   * refuses it and the failure comes back. */
  g_assert_true (limner_document_set_label (doc, &id, 1, 9999, &error));
  g_assert_no_error (error);
  g_assert_false (limner_store_writer_flush (writer, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "9999"));
  g_clear_error (&error);
  /* Only reported once. */
  g_assert_true (limner_store_writer_flush (writer, &error));

  /* The signal arrives on the main context. */
  timeout = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (signalled == NULL && g_get_monotonic_time () < timeout)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (signalled);
  g_assert_error (signalled, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);

  /* Undoing the bad edit brings document and store back together. */
  g_assert_true (limner_document_undo (doc));
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, doc);
}

static void
test_group (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(LimnerShape) a = make_box (10, 10, 50, 50);
  g_autoptr(LimnerShape) b = make_polygon (3, 200, 200, 30);
  g_autoptr(LimnerShape) moved = NULL;
  gint64 id_a;

  g_assert_no_error (error);
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);

  limner_document_begin_group (doc, "Trace");
  id_a = limner_document_add_shape (doc, a, &error);
  g_assert_no_error (error);
  moved = limner_shape_copy (limner_document_get_shape (doc, id_a));
  limner_shape_translate (moved, 5, 5);
  g_assert_true (limner_document_modify_shape (doc, moved, &error));
  g_assert_cmpint (limner_document_add_shape (doc, b, &error), >, 0);
  g_assert_false (limner_document_can_undo (doc)); /* not while the group is open */
  limner_document_end_group (doc);

  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, 1);
  g_assert_cmpstr (limner_document_get_undo_description (doc), ==, "Trace");
  g_assert_cmpfloat (g_array_index (limner_document_get_shape (doc, id_a)->points, double, 0), ==, 15);
  g_assert_true (limner_store_writer_flush (writer, &error));
  assert_store_matches (f, doc);

  g_assert_true (limner_document_undo (doc));
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 0);
  g_assert_true (limner_store_writer_flush (writer, &error));
  assert_store_matches (f, doc);
  g_assert_true (limner_document_redo (doc));
  g_assert_cmpuint (limner_document_get_n_shapes (doc), ==, 2);
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, doc);
}

static void
test_copy_paste (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) src = NULL;
  g_autoptr(LimnerDocument) dst = NULL;
  g_autoptr(LimnerShape) inside = make_box (10, 10, 60, 40);
  g_autoptr(LimnerShape) overhang = make_polygon (4, 380, 100, 50);
  g_autoptr(LimnerShape) far = make_box (600, 500, 700, 560);
  g_autoptr(LimnerShape) g1 = make_box (100, 100, 120, 120);
  g_autoptr(LimnerShape) g2 = make_box (130, 100, 150, 120);
  g_autoptr(GArray) pasted = NULL;
  g_autofree char *text = NULL;
  gint64 ids[5];
  guint dropped = 99;

  g_assert_no_error (error);
  src = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);
  dst = limner_document_open (f->store, writer, f->image2_id, &error); /* 400 x 300 */
  g_assert_no_error (error);

  inside->label_id = f->label_b;
  g1->group_id = g2->group_id = 77;
  ids[0] = limner_document_add_shape (src, inside, &error);
  ids[1] = limner_document_add_shape (src, overhang, &error);
  ids[2] = limner_document_add_shape (src, far, &error);
  ids[3] = limner_document_add_shape (src, g1, &error);
  ids[4] = limner_document_add_shape (src, g2, &error);
  g_assert_no_error (error);

  text = limner_document_copy (src, ids, 5);
  g_assert_nonnull (text);

  pasted = limner_document_paste (dst, text, 5, 0, &dropped, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pasted);
  g_assert_cmpuint (dropped, ==, 1);               /* `far` lies outside 400 x 300 */
  g_assert_cmpuint (pasted->len, ==, 4);
  g_assert_cmpuint (limner_document_get_n_shapes (dst), ==, 4);
  g_assert_cmpuint (limner_document_get_undo_depth (dst), ==, 1);
  g_assert_cmpstr (limner_document_get_undo_description (dst), ==, "Paste 4 Shapes");

  for (guint i = 0; i < pasted->len; i++)
    {
      gint64 id = g_array_index (pasted, gint64, i);
      const LimnerShape *s = limner_document_get_shape (dst, id);
      LimnerRect r = limner_shape_bbox (s);

      for (guint k = 0; k < 5; k++)
        g_assert_cmpint (id, !=, ids[k]);
      g_assert_cmpint (s->image_id, ==, f->image2_id);
      g_assert_cmpfloat (r.x0, >=, 0);
      g_assert_cmpfloat (r.x1, <=, 400);
      g_assert_cmpfloat (r.y1, <=, 300);
    }
  {
    const LimnerShape *p0 = limner_document_get_shape (dst, g_array_index (pasted, gint64, 0));
    const LimnerShape *p1 = limner_document_get_shape (dst, g_array_index (pasted, gint64, 1));
    const LimnerShape *p2 = limner_document_get_shape (dst, g_array_index (pasted, gint64, 2));
    const LimnerShape *p3 = limner_document_get_shape (dst, g_array_index (pasted, gint64, 3));

    /* Moved by (5, 0), label kept. */
    g_assert_cmpfloat (g_array_index (p0->points, double, 0), ==, 15);
    g_assert_cmpint (p0->label_id, ==, f->label_b);
    /* The overhanging polygon was clamped to x <= 400. */
    g_assert_cmpfloat (limner_shape_bbox (p1).x1, ==, 400);
    /* The group stays a group, under a new group id. */
    g_assert_cmpint (p2->group_id, !=, 0);
    g_assert_cmpint (p2->group_id, ==, p3->group_id);
    g_assert_cmpint (p2->group_id, !=, 77);
  }

  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, dst);
  assert_store_matches (f, src);

  g_assert_true (limner_document_undo (dst));
  g_assert_cmpuint (limner_document_get_n_shapes (dst), ==, 0);
  g_assert_true (limner_store_writer_flush (writer, &error));
  assert_store_matches (f, dst);

  /* Not Limner shapes: refused, nothing added. */
  {
    const char *bad[] = {
      "not json",
      "{\"format\": \"limner-shapes\", \"format\": \"limner-shapes\", \"shapes\": []}",
      "{\"format\": \"other\", \"shapes\": []}",
      "{\"format\": \"limner-shapes\", \"shapes\": [{\"kind\": \"circle\", \"points\": [1, 2]}]}",
      "{\"format\": \"limner-shapes\", \"shapes\": [{\"kind\": \"box\", \"points\": [1, 2, 3]}]}",
      "{\"format\": \"limner-shapes\", \"shapes\": [{\"kind\": \"box\", \"points\": [1, \"a\", 3, 4]}]}",
      "{\"format\": \"limner-shapes\", \"shapes\": [{\"kind\": \"polygon\", \"points\": [1, 2, 3, 4]}]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GArray) none = limner_document_paste (dst, bad[i], 0, 0, NULL, &error);

        g_assert_null (none);
        g_assert_nonnull (error);
        g_test_message ("%s", error->message);
        g_clear_error (&error);
        g_assert_cmpuint (limner_document_get_n_shapes (dst), ==, 0);
      }
  }
}

/* A second writer (another window, the CLI) on the same image: the
 * document's stale edit is refused with CONFLICT through "save-failed" and
 * not retried; merging what the store holds brings the other's shapes in
 * and keeps the undo stack; edits after the merge save again. */
static void
test_second_writer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) signalled = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerStore) other = limner_store_open (f->dir, "ann", &error);
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(LimnerShape) a = make_box (10, 10, 50, 50);
  g_autoptr(LimnerShape) theirs = NULL;
  g_autoptr(LimnerShape) added = make_box (200, 200, 260, 260);
  g_autoptr(LimnerShape) moved = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  Counters c = { 0 };
  guint64 edit_serial;
  gint64 id;

  g_assert_no_error (error);
  g_signal_connect (writer, "save-failed", G_CALLBACK (on_save_failed), &signalled);
  doc = limner_document_open (f->store, writer, f->image_id, &error);
  g_assert_no_error (error);
  id = limner_document_add_shape (doc, a, &error);
  g_assert_no_error (error);
  /* Several edits of one shape in a row: the writer counts its own versions. */
  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(LimnerShape) step = limner_shape_copy (limner_document_get_shape (doc, id));

      limner_shape_translate (step, 1, 0);
      g_assert_true (limner_document_modify_shape (doc, step, &error));
    }
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, doc);

  /* The other writer moves the box and adds one. */
  theirs = limner_store_get_shape (other, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (theirs->row_version, ==, 6);
  limner_shape_translate (theirs, 0, 100);
  g_assert_true (limner_store_update_shape (other, theirs, &error));
  g_assert_no_error (error);
  added->image_id = f->image_id;
  g_assert_true (limner_store_insert_shape (other, added, &error));
  g_assert_no_error (error);

  /* The document, not yet up to date, moves the box too: refused. */
  moved = limner_shape_copy (limner_document_get_shape (doc, id));
  limner_shape_translate (moved, 50, 0);
  g_assert_true (limner_document_modify_shape (doc, moved, &error));
  g_assert_false (limner_store_writer_flush (writer, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "a.png"));
  g_clear_error (&error);
  g_assert_false (limner_store_writer_is_retrying (writer, NULL));
  while (signalled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (signalled, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  {
    g_autoptr(LimnerShape) kept = limner_store_get_shape (f->store, id, &error);

    g_assert_cmpfloat (g_array_index (kept->points, double, 1), ==, 110);
    g_assert_cmpfloat (g_array_index (kept->points, double, 0), ==, 15);
  }

  /* Merging shows the other's state and keeps the undo stack; it is not an
   * edit of the document's own. */
  connect_counters (doc, &c);
  edit_serial = limner_document_get_edit_serial (doc);
  g_assert_cmpuint (edit_serial, >, 0);
  shapes = limner_store_list_shapes (f->store, f->image_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limner_document_merge_shapes (doc, shapes), ==, 2);
  g_assert_cmpuint (limner_document_get_edit_serial (doc), ==, edit_serial);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (c.modified, ==, 1);
  g_assert_cmpuint (limner_document_get_undo_depth (doc), ==, 7);
  assert_store_matches (f, doc);
  /* Nothing new: nothing changes. */
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = limner_store_list_shapes (f->store, f->image_id, &error);
  g_assert_cmpuint (limner_document_merge_shapes (doc, shapes), ==, 0);

  /* Edits after the merge save again, on the other's version; each one,
   * and an undo or a redo, counts. */
  g_assert_true (limner_document_delete_shapes (doc, &added->id, 1, &error));
  g_assert_cmpuint (limner_document_get_edit_serial (doc), >, edit_serial);
  edit_serial = limner_document_get_edit_serial (doc);
  g_assert_true (limner_document_undo (doc));
  g_assert_cmpuint (limner_document_get_edit_serial (doc), >, edit_serial);
  edit_serial = limner_document_get_edit_serial (doc);
  g_assert_true (limner_document_redo (doc));
  g_assert_cmpuint (limner_document_get_edit_serial (doc), >, edit_serial);
  g_clear_pointer (&moved, limner_shape_free);
  moved = limner_shape_copy (limner_document_get_shape (doc, id));
  limner_shape_translate (moved, 1, 1);
  g_assert_true (limner_document_modify_shape (doc, moved, &error));
  g_assert_true (limner_store_writer_flush (writer, &error));
  g_assert_no_error (error);
  assert_store_matches (f, doc);
}

static void
test_reserve_ids (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) w1 = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(LimnerStoreWriter) w2 = limner_store_writer_new (f->dir, "ann", &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(LimnerStore) stranger = NULL;
  gint64 first = 0;

  g_assert_no_error (error);
  /* Two writers (two processes, say) never hand out the same id, also past
   * their first block. */
  for (guint i = 0; i < 1000; i++)
    {
      gint64 a = limner_store_writer_reserve_shape_id (i % 2 ? w1 : w2, &error);

      g_assert_no_error (error);
      g_assert_cmpint (a, >, 0);
      g_assert_true (g_hash_table_add (seen, g_memdup2 (&a, sizeof a)));
    }
  g_assert_true (limner_store_reserve_shape_ids (f->store, 10, &first, &error));
  g_assert_no_error (error);
  for (gint64 id = first; id < first + 10; id++)
    g_assert_false (g_hash_table_contains (seen, &id));

  /* A user with no role cannot reserve. */
  g_assert_true (limner_store_set_user_roles (f->store, "nobody", LIMNER_ROLE_NONE, &error));
  g_assert_no_error (error);
  stranger = limner_store_open (f->dir, "nobody", &error);
  g_assert_no_error (error);
  g_assert_false (limner_store_reserve_shape_ids (stranger, 1, &first, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/document/add-undo-redo", test_add_undo_redo);
  g_test_add_func ("/core/document/validation", test_validation);
  g_test_add_func ("/core/document/hit-test", test_hit_test);
  g_test_add_func ("/core/document/lock-hide", test_lock_hide);
  g_test_add_func ("/core/document/query-paths", test_query_paths);
  g_test_add_func ("/core/document/deep-undo", test_deep_undo);
  g_test_add ("/core/document/autosave-threaded", Fixture, NULL,
              fixture_setup, test_autosave_threaded, fixture_teardown);
  g_test_add ("/core/document/undo-delete-restores-id", Fixture, NULL,
              fixture_setup, test_undo_delete_restores_id, fixture_teardown);
  g_test_add ("/core/document/autosave-sync", Fixture, NULL,
              fixture_setup, test_autosave_sync, fixture_teardown);
  g_test_add ("/core/document/save-failed", Fixture, NULL,
              fixture_setup, test_save_failed, fixture_teardown);
  g_test_add ("/core/document/group", Fixture, NULL,
              fixture_setup, test_group, fixture_teardown);
  g_test_add ("/core/document/copy-paste", Fixture, NULL,
              fixture_setup, test_copy_paste, fixture_teardown);
  g_test_add ("/core/document/second-writer", Fixture, NULL,
              fixture_setup, test_second_writer, fixture_teardown);
  g_test_add ("/core/document/reserve-ids", Fixture, NULL,
              fixture_setup, test_reserve_ids, fixture_teardown);

  return g_test_run ();
}
