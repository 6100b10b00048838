/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The grid's thumbnailer: renders on worker threads, drops requests for items
 * released before their turn, follows the priority function, and bounds the
 * textures kept for unbound items. */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "limner-core.h"
#include "limner-demo.h"
#include "limner-thumbnailer.h"
#include "limner-test-util.h"

#define N_ITEMS    8
#define TIMEOUT_MS 60000

static char *tmp_root;
static GPtrArray *items; /* of LimnerImageItem, ids 1..N_ITEMS */

static gboolean
no_pending (gpointer data)
{
  return limner_thumbnailer_get_n_pending (data) == 0;
}

static gboolean
wait_idle (LimnerThumbnailer *thumbnailer)
{
  /* Let the dispatch idle run first, then wait for every delivery. */
  g_main_context_iteration (NULL, FALSE);
  return limner_test_wait_for (no_pending, thumbnailer, TIMEOUT_MS);
}

static GPtrArray *
make_items (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%d.jpg", i);
      g_autofree char *path = g_build_filename (tmp_root, name, NULL);
      g_autoptr(GError) error = NULL;
      LimnerImageRecord record = { 0 };

      g_assert_true (limner_demo_write_image (path, 400 + 10 * i, 300, 50 + i, NULL, &error));
      g_assert_no_error (error);

      record.id = i + 1;
      record.path = path;
      /* No hash: rendered without the disk cache. */
      record.sha256 = NULL;
      record.format = (char *)"jpeg";
      g_ptr_array_add (array, limner_image_item_new (&record, path));
    }

  return array;
}

static void
reset_items (void)
{
  for (guint i = 0; i < items->len; i++)
    {
      limner_image_item_set_thumbnail (g_ptr_array_index (items, i), NULL);
      limner_image_item_set_thumbnail_error (g_ptr_array_index (items, i), NULL);
    }
}

static void
test_renders_and_drops_released (void)
{
  g_autoptr(LimnerThumbnailer) thumbnailer = limner_thumbnailer_new (64, 100);
  LimnerImageItem *released = g_ptr_array_index (items, 3);

  reset_items ();
  for (guint i = 0; i < items->len; i++)
    limner_thumbnailer_request (thumbnailer, g_ptr_array_index (items, i));
  /* Scrolled away before any worker got to it. */
  limner_thumbnailer_release (thumbnailer, released);

  g_assert_true (wait_idle (thumbnailer));
  g_assert_cmpuint (limner_thumbnailer_get_n_loaded (thumbnailer), ==, N_ITEMS - 1);

  for (guint i = 0; i < items->len; i++)
    {
      LimnerImageItem *item = g_ptr_array_index (items, i);
      GdkTexture *texture = limner_image_item_get_thumbnail (item);

      if (item == released)
        {
          g_assert_null (texture);
          continue;
        }
      g_assert_nonnull (texture);
      g_assert_null (limner_image_item_get_thumbnail_error (item));
      /* Never larger than asked, aspect ratio kept. */
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
      g_assert_cmpint (gdk_texture_get_height (texture), <, 64);
    }
}

static double
reverse_priority (LimnerImageItem *item,
                  gpointer         user_data)
{
  return -(double)limner_image_item_get_id (item);
}

static void
record_first (LimnerThumbnailer *thumbnailer,
              LimnerImageItem   *item,
              gint64            *first_id)
{
  if (*first_id == 0)
    *first_id = limner_image_item_get_id (item);
}

static void
test_priority_orders_jobs (void)
{
  g_autoptr(LimnerThumbnailer) thumbnailer = limner_thumbnailer_new (64, 100);
  gint64 first_id = 0;

  reset_items ();
  limner_thumbnailer_set_priority_func (thumbnailer, reverse_priority, NULL, NULL);
  g_signal_connect (thumbnailer, "thumbnail-loaded", G_CALLBACK (record_first), &first_id);

  for (guint i = 0; i < items->len; i++)
    limner_thumbnailer_request (thumbnailer, g_ptr_array_index (items, i));
  g_assert_true (wait_idle (thumbnailer));

  /* Only LIMNER_THUMBNAILER_IN_FLIGHT jobs go out at first, the best ranked:
   * the first result is one of the highest ids even though they were asked
   * for last. */
  g_assert_cmpint (first_id, >, N_ITEMS - LIMNER_THUMBNAILER_IN_FLIGHT);
  g_assert_cmpuint (limner_thumbnailer_get_n_loaded (thumbnailer), ==, N_ITEMS);
}

static void
test_lru_bounds_textures (void)
{
  g_autoptr(LimnerThumbnailer) thumbnailer = limner_thumbnailer_new (64, 2);
  guint with_texture = 0;

  reset_items ();
  for (guint i = 0; i < items->len; i++)
    limner_thumbnailer_request (thumbnailer, g_ptr_array_index (items, i));
  g_assert_true (wait_idle (thumbnailer));

  /* All bound: all keep their textures. */
  for (guint i = 0; i < items->len; i++)
    g_assert_nonnull (limner_image_item_get_thumbnail (g_ptr_array_index (items, i)));

  /* All unbound: only the two released last keep theirs. */
  for (guint i = 0; i < items->len; i++)
    limner_thumbnailer_release (thumbnailer, g_ptr_array_index (items, i));
  for (guint i = 0; i < items->len; i++)
    with_texture += limner_image_item_get_thumbnail (g_ptr_array_index (items, i)) != NULL;
  g_assert_cmpuint (with_texture, ==, 2);
  g_assert_nonnull (limner_image_item_get_thumbnail (g_ptr_array_index (items, N_ITEMS - 1)));
  g_assert_nonnull (limner_image_item_get_thumbnail (g_ptr_array_index (items, N_ITEMS - 2)));

  /* Bound again: an evicted item is rendered again, a kept one is not. */
  limner_thumbnailer_request (thumbnailer, g_ptr_array_index (items, 0));
  limner_thumbnailer_request (thumbnailer, g_ptr_array_index (items, N_ITEMS - 1));
  g_assert_cmpuint (limner_thumbnailer_get_n_pending (thumbnailer), ==, 1);
  g_assert_true (wait_idle (thumbnailer));
  g_assert_nonnull (limner_image_item_get_thumbnail (g_ptr_array_index (items, 0)));
}

static void
test_error_is_reported (void)
{
  g_autoptr(LimnerThumbnailer) thumbnailer = limner_thumbnailer_new (64, 10);
  g_autofree char *path = g_build_filename (tmp_root, "not-an-image.jpg", NULL);
  g_autoptr(LimnerImageItem) item = NULL;
  g_autoptr(GError) error = NULL;
  LimnerImageRecord record = { 0 };

  g_assert_true (g_file_set_contents (path, "plain text\n", -1, &error));
  record.id = 100;
  record.path = path;
  item = limner_image_item_new (&record, path);

  limner_thumbnailer_request (thumbnailer, item);
  g_assert_true (wait_idle (thumbnailer));
  g_assert_null (limner_image_item_get_thumbnail (item));
  g_assert_nonnull (limner_image_item_get_thumbnail_error (item));
  /* The message names the file. */
  g_assert_nonnull (strstr (limner_image_item_get_thumbnail_error (item), "not-an-image.jpg"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  tmp_root = g_dir_make_tmp ("limner-thumbnailer-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("GTK_A11Y", "none", FALSE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    g_error ("Cannot open a display; run the app tests under xvfb-run");
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  items = make_items ();

  g_test_add_func ("/app/thumbnailer/renders-and-drops-released", test_renders_and_drops_released);
  g_test_add_func ("/app/thumbnailer/priority-orders-jobs", test_priority_orders_jobs);
  g_test_add_func ("/app/thumbnailer/lru-bounds-textures", test_lru_bounds_textures);
  g_test_add_func ("/app/thumbnailer/error-is-reported", test_error_is_reported);

  status = g_test_run ();

  g_ptr_array_unref (items);
  for (int i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%d.jpg", i);
      g_autofree char *path = g_build_filename (tmp_root, name, NULL);
      g_unlink (path);
    }
  {
    g_autofree char *path = g_build_filename (tmp_root, "not-an-image.jpg", NULL);
    g_unlink (path);
  }
  g_rmdir (tmp_root);
  g_free (tmp_root);
  return status;
}
