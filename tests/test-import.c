/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of importing files and folders: duplicates, refusals, symlink loops,
 * pyramids, cancellation and the async API. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-image.h"
#include "limner-import.h"
#include "limner-store.h"
#include "limner-test-images.h"

typedef struct {
  char        *root;    /* per-test temporary directory */
  char        *project; /* root/project */
  char        *photos;  /* root/photos: outside the project */
  LimnerStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->root = g_dir_make_tmp ("limner-test-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->root, "project", NULL);
  f->photos = g_build_filename (f->root, "photos", NULL);
  g_assert_cmpint (g_mkdir (f->photos, 0755), ==, 0);
  f->store = limner_store_create (f->project, "Import test", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  if (!g_test_failed ())
    test_rm_rf (f->root);
  g_free (f->root);
  g_free (f->project);
  g_free (f->photos);
}

static char *
make_dir (const char *parent, const char *name)
{
  char *path = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return path;
}

static char *
jpeg_in (const char *dir, const char *name, int w, int h)
{
  char *path = g_build_filename (dir, name, NULL);

  test_write_jpeg (path, w, h);
  return path;
}

static void
copy_file (const char *src, const char *dst)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (dst, data, len, NULL));
}

static LimnerImportResult *
import_paths (LimnerStore *store, const char *first, ...)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  LimnerImportResult *result;
  va_list ap;

  va_start (ap, first);
  for (const char *p = first; p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (paths, (char *) p);
  va_end (ap);
  g_ptr_array_add (paths, NULL);

  result = limner_import_run (store, (const char * const *) paths->pdata, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static const LimnerImportItem *
find_item (GPtrArray *items, const char *basename)
{
  for (guint i = 0; i < items->len; i++)
    {
      const LimnerImportItem *item = g_ptr_array_index (items, i);
      g_autofree char *base = g_path_get_basename (item->path);

      if (g_str_equal (base, basename))
        return item;
    }
  return NULL;
}

/* The reason for `basename`'s refusal, which must name the file. */
static const char *
rejection (LimnerImportResult *result, const char *basename)
{
  const LimnerImportItem *item = find_item (result->rejected, basename);

  g_assert_nonnull (item);
  g_assert_nonnull (item->reason);
  g_assert_nonnull (strstr (item->reason, basename));
  return item->reason;
}

static void
test_hash_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->photos, "bytes.bin", NULL);
  g_autofree char *contents = g_malloc (200 * 1024 + 17);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) error = NULL;
  gint64 size = 0;

  /* Several chunks and a partial one. */
  for (gsize i = 0; i < 200 * 1024 + 17; i++)
    contents[i] = (char) (i * 31 + (i >> 9));
  g_assert_true (g_file_set_contents (path, contents, 200 * 1024 + 17, NULL));
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) contents, 200 * 1024 + 17);
  actual = limner_import_hash_file (path, &size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpint (size, ==, 200 * 1024 + 17);

  g_clear_pointer (&actual, g_free);
  g_unlink (path);
  actual = limner_import_hash_file (path, &size, NULL, &error);
  g_assert_null (actual);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_folder (Fixture *f, gconstpointer data)
{
  g_autofree char *sub = make_dir (f->photos, "sub/deeper");
  g_autofree char *hidden_dir = make_dir (f->photos, ".hidden");
  g_autofree char *a = jpeg_in (f->photos, "a.jpg", 320, 240);
  g_autofree char *b = g_build_filename (f->photos, "b.png", NULL);
  g_autofree char *c = g_build_filename (sub, "c.webp", NULL);
  g_autofree char *a_copy = g_build_filename (sub, "a-copy.jpg", NULL);
  g_autofree char *a_copy2 = g_build_filename (f->photos, "copy2.JPG", NULL);
  g_autofree char *hidden1 = jpeg_in (hidden_dir, "h.jpg", 64, 64);
  g_autofree char *hidden2 = jpeg_in (f->photos, ".h2.jpg", 64, 64);
  g_autofree char *notes = g_build_filename (f->photos, "notes.txt", NULL);
  g_autofree char *cut = g_build_filename (f->photos, "cut.jpg", NULL);
  g_autofree char *empty = g_build_filename (f->photos, "empty.jpg", NULL);
  g_autofree char *text = g_build_filename (f->photos, "text.jpg", NULL);
  g_autofree char *big = g_build_filename (f->photos, "big.png", NULL);
  g_autoptr(VipsImage) webp_image = test_make_image (90, 60, 3);
  g_autoptr(LimnerImportResult) result = NULL;
  g_autoptr(LimnerImportResult) again = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big_expected = NULL;
  g_autofree char *a_abs = g_canonicalize_filename (a, NULL);
  const LimnerImportItem *item;

  test_write_png (b, 200, 100);
  g_assert_cmpint (vips_webpsave (webp_image, c, NULL), ==, 0);
  copy_file (a, a_copy);
  copy_file (a, a_copy2);
  g_assert_true (g_file_set_contents (notes, "not an image, and not an image name", -1, NULL));
  {
    g_autofree char *whole = jpeg_in (f->root, "whole.jpg", 400, 300);
    test_write_truncated_copy (whole, cut, 0.5);
  }
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "Dear diary,\nthis is not a JPEG.\n", -1, NULL));
  test_write_huge_png_header (big, 100000, 100000);

  result = import_paths (f->store, f->photos, NULL);

  /* a, b, c are new; the copies are duplicates of a; hidden files and
   * notes.txt are not considered. */
  g_assert_cmpuint (result->added->len, ==, 3);
  g_assert_nonnull (find_item (result->added, "a.jpg"));
  g_assert_nonnull (find_item (result->added, "b.png"));
  g_assert_nonnull (find_item (result->added, "c.webp"));
  g_assert_cmpuint (result->duplicates->len, ==, 2);
  item = find_item (result->duplicates, "a-copy.jpg");
  g_assert_nonnull (item);
  g_assert_nonnull (strstr (item->reason, "a.jpg"));
  g_assert_nonnull (find_item (result->duplicates, "copy2.JPG"));

  g_assert_cmpuint (result->rejected->len, ==, 4);
  g_assert_nonnull (strstr (rejection (result, "cut.jpg"), "truncated"));
  g_assert_nonnull (strstr (rejection (result, "empty.jpg"), "empty"));
  g_assert_nonnull (strstr (rejection (result, "text.jpg"), "not an image"));
  big_expected = g_strdup_printf ("100000×100000 pixels is over the limit of %" G_GUINT64_FORMAT,
                                  limner_image_get_max_pixels ());
  g_assert_nonnull (strstr (rejection (result, "big.png"), big_expected));

  /* What the store holds: outside the project, absolute paths. */
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 3);
  images = limner_store_list_images (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < images->len; i++)
    {
      LimnerImageRecord *rec = g_ptr_array_index (images, i);
      g_autofree char *resolved = limner_store_resolve_path (f->store, rec->path);
      g_autofree char *hash = limner_import_hash_file (resolved, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (g_path_is_absolute (rec->path));
      g_assert_cmpstr (rec->sha256, ==, hash);
      g_assert_cmpint (rec->size, >, 0);
      if (g_str_has_suffix (rec->path, "a.jpg"))
        {
          g_assert_cmpstr (rec->path, ==, a_abs);
          g_assert_cmpint (rec->width, ==, 320);
          g_assert_cmpint (rec->height, ==, 240);
          g_assert_cmpstr (rec->format, ==, "jpeg");
        }
      else if (g_str_has_suffix (rec->path, "c.webp"))
        {
          g_assert_cmpint (rec->width, ==, 90);
          g_assert_cmpstr (rec->format, ==, "webp");
        }
    }

  /* Importing again adds nothing: each file is now a duplicate of a
   * project image, named with its id. */
  again = import_paths (f->store, f->photos, NULL);
  g_assert_cmpuint (again->added->len, ==, 0);
  g_assert_cmpuint (again->duplicates->len, ==, 5);
  g_assert_cmpuint (again->rejected->len, ==, 4);
  item = find_item (again->duplicates, "b.png");
  g_assert_nonnull (item);
  g_assert_cmpint (item->image_id, ==, ((LimnerImportItem *) find_item (result->added, "b.png"))->image_id);
  g_assert_nonnull (strstr (item->reason, "already in the project"));
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 3);
}

static void
test_inside_project (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_dir (f->project, "images");
  g_autofree char *a = jpeg_in (dir, "in.jpg", 100, 80);
  g_autoptr(LimnerImportResult) result = import_paths (f->store, dir, NULL);
  g_autoptr(LimnerImageRecord) rec = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (result->added->len, ==, 1);
  rec = limner_store_get_image (f->store, ((LimnerImportItem *) result->added->pdata[0])->image_id, &error);
  g_assert_no_error (error);
  /* Inside the project, the stored path is relative to it. */
  g_assert_cmpstr (rec->path, ==, "images/in.jpg");
}

static void
test_explicit_files (Fixture *f, gconstpointer data)
{
  g_autofree char *odd = g_build_filename (f->photos, "really-a-jpeg.dat", NULL);
  g_autofree char *src = jpeg_in (f->root, "src.jpg", 50, 40);
  g_autofree char *missing = g_build_filename (f->photos, "missing.jpg", NULL);
  g_autoptr(LimnerImportResult) by_folder = NULL;
  g_autoptr(LimnerImportResult) by_name = NULL;

  copy_file (src, odd);
  /* In a folder, only image extensions are considered... */
  by_folder = import_paths (f->store, f->photos, NULL);
  g_assert_cmpuint (by_folder->added->len + by_folder->rejected->len + by_folder->duplicates->len, ==, 0);
  /* ...but a file named explicitly is always tried, and a missing one is
   * listed with its reason. */
  by_name = import_paths (f->store, odd, missing, NULL);
  g_assert_cmpuint (by_name->added->len, ==, 1);
  g_assert_cmpuint (by_name->rejected->len, ==, 1);
  g_assert_nonnull (strstr (rejection (by_name, "missing.jpg"), "No such file"));
}

static void
test_symlink_loop (Fixture *f, gconstpointer data)
{
  g_autofree char *sub = make_dir (f->photos, "sub");
  g_autofree char *a = jpeg_in (f->photos, "a.jpg", 60, 40);
  g_autofree char *b = jpeg_in (sub, "b.jpg", 60, 40);
  g_autofree char *up = g_build_filename (sub, "up", NULL);
  g_autofree char *self = g_build_filename (sub, "self", NULL);
  g_autofree char *dangling = g_build_filename (f->photos, "gone.jpg", NULL);
  g_autoptr(LimnerImportResult) result = NULL;

  /* sub/up -> .. and sub/self -> . make the tree infinite. */
  g_assert_cmpint (symlink ("..", up), ==, 0);
  g_assert_cmpint (symlink (".", self), ==, 0);
  g_assert_cmpint (symlink ("nowhere.jpg", dangling), ==, 0);

  result = import_paths (f->store, f->photos, NULL);
  /* Each folder is walked once: both images once, no duplicates. */
  g_assert_cmpuint (result->added->len, ==, 2);
  g_assert_cmpuint (result->duplicates->len, ==, 0);
  g_assert_cmpuint (result->rejected->len, ==, 1);
  g_assert_nonnull (rejection (result, "gone.jpg"));

  /* Entering through the loop itself is no different. */
  {
    g_autoptr(LimnerImportResult) through = import_paths (f->store, up, NULL);
    g_assert_cmpuint (through->added->len, ==, 0);
    g_assert_cmpuint (through->duplicates->len, ==, 2);
  }
}

static void
test_pyramid_tiff (Fixture *f, gconstpointer data)
{
  g_autofree char *tif = g_build_filename (f->photos, "slide.tif", NULL);
  g_autoptr(VipsImage) image = test_make_image (2048, 1536, 3);
  g_autoptr(LimnerImportResult) result = NULL;
  g_autoptr(LimnerImageRecord) rec = NULL;
  g_autoptr(GError) error = NULL;
  LimnerImageInfo info;

  g_assert_cmpint (vips_tiffsave (image, tif, "tile", TRUE, "pyramid", TRUE, "bigtiff", TRUE,
                                  "compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE, NULL), ==, 0);
  g_assert_true (limner_image_probe (tif, &info, &error));
  g_assert_no_error (error);
  g_assert_true (info.tiled);
  g_assert_cmpint (info.n_levels, >=, 4);

  result = import_paths (f->store, f->photos, NULL);
  g_assert_cmpuint (result->added->len, ==, 1);
  rec = limner_store_get_image (f->store, ((LimnerImportItem *) result->added->pdata[0])->image_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->format, ==, "tiff");
  g_assert_cmpint (rec->width, ==, 2048);
  g_assert_cmpint (rec->height, ==, 1536);
}

static void
test_changed_file (Fixture *f, gconstpointer data)
{
  g_autofree char *a = jpeg_in (f->photos, "same-name.jpg", 64, 48);
  g_autoptr(LimnerImportResult) first = import_paths (f->store, a, NULL);
  g_autoptr(LimnerImportResult) second = NULL;

  g_assert_cmpuint (first->added->len, ==, 1);
  /* New content under a path the project knows: refused, not duplicated. */
  test_write_jpeg (a, 64, 48);
  second = import_paths (f->store, a, NULL);
  g_assert_cmpuint (second->added->len, ==, 0);
  g_assert_nonnull (strstr (rejection (second, "same-name.jpg"), "changed"));
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 1);
}

typedef struct {
  GCancellable *cancellable;
  guint         cancel_after;
  guint         calls;
  guint         last_total;
  GThread      *thread;
  gboolean      other_thread;
} ProgressLog;

static void
on_progress (guint done, guint total, const char *current, gpointer user_data)
{
  ProgressLog *log = user_data;

  log->calls++;
  log->last_total = total;
  if (log->thread != NULL && g_thread_self () != log->thread)
    log->other_thread = TRUE;
  g_assert_cmpuint (done, <=, total == 0 ? G_MAXUINT : total);
  if (log->cancellable && total > 0 && done >= log->cancel_after)
    g_cancellable_cancel (log->cancellable);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImportResult) before = NULL;
  LimnerImportResult *result;
  const char *paths[] = { f->photos, NULL };
  ProgressLog log = { cancellable, 3 };
  gint64 events_before;

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("img-%02d.jpg", i);
      g_autofree char *path = jpeg_in (f->photos, name, 80, 60);
    }
  {
    /* One image already there, to see that nothing else changes. */
    g_autofree char *first = g_build_filename (f->photos, "img-00.jpg", NULL);
    before = import_paths (f->store, first, NULL);
    g_assert_cmpuint (before->added->len, ==, 1);
  }
  {
    g_autoptr(GPtrArray) events = limner_store_list_events (f->store, 0, 0, &error);
    g_assert_no_error (error);
    events_before = events->len;
  }

  result = limner_import_run (f->store, paths, cancellable, on_progress, &log, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (log.calls, >=, 3);
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 1);
  g_assert_false (limner_store_in_batch (f->store));
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) events = limner_store_list_events (f->store, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (events->len, ==, events_before);
  }

  /* Cancelled before it starts: the same. */
  g_clear_error (&error);
  result = limner_import_run (f->store, paths, cancellable, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 1);
}

static void
test_permission (Fixture *f, gconstpointer data)
{
  g_autofree char *a = jpeg_in (f->photos, "a.jpg", 40, 30);
  g_autoptr(LimnerStore) annotator = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { a, NULL };
  LimnerImportResult *result;

  g_assert_true (limner_store_set_user_roles (f->store, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);
  annotator = limner_store_open (f->project, "ann", &error);
  g_assert_no_error (error);
  result = limner_import_run (annotator, paths, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 0);
}

static void
on_async_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LimnerImportResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = limner_import_run_finish (res, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autofree char *a = jpeg_in (f->photos, "a.jpg", 40, 30);
  g_autofree char *b = jpeg_in (f->photos, "b.jpg", 40, 30);
  g_autoptr(LimnerImportResult) result = NULL;
  const char *paths[] = { f->photos, NULL };
  ProgressLog log = { NULL, 0, 0, 0, g_thread_self (), FALSE };

  limner_import_run_async (f->store, paths, NULL, on_progress, &log, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (result->added->len, ==, 2);
  /* Progress came from the worker, as documented. */
  g_assert_true (log.other_thread);
  g_assert_cmpuint (log.last_total, ==, 2);
  /* The caller's store sees the worker's commit. */
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 2);
}

int
main (int argc, char **argv)
{

  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  g_assert_true (limner_core_init (argv[0], NULL));

#define ADD(name, func) \
  g_test_add ("/core/import/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("hash-file", test_hash_file);
  ADD ("folder", test_folder);
  ADD ("inside-project", test_inside_project);
  ADD ("explicit-files", test_explicit_files);
  ADD ("symlink-loop", test_symlink_loop);
  ADD ("pyramid-tiff", test_pyramid_tiff);
  ADD ("changed-file", test_changed_file);
  ADD ("cancel", test_cancel);
  ADD ("permission", test_permission);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
