/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-disk-full.c: a full disk or failing writes lose nothing.
 *
 * The project, or the export target, sits on a small tmpfs (mounting one
 * needs root, as CI runs; elsewhere those cases say so and are skipped), and
 * failing writes are injected with RLIMIT_FSIZE in a child process (any user).
 * Edits and exports must fail with a clear message, the last good state must
 * stay intact, and the autosave writer must keep a failed edit and retry it
 * rather than drop it. */
#define G_LOG_DOMAIN "test-disk-full"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-demo.h"
#include "limner-document.h"
#include "limner-export.h"
#include "limner-store.h"
#include "limner-store-writer.h"
#include "limner-test-util.h"

#define LOGIN "ann"

static char *self_exe;

typedef struct {
  char *tmp;
  char *mnt;
  gboolean mounted;
} Fixture;

static gboolean
fixture_mount (Fixture    *f,
               const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *opts = g_strdup_printf ("size=%s,mode=0700", size);

  f->tmp = g_dir_make_tmp ("limner-diskfull-XXXXXX", &error);
  g_assert_no_error (error);
  f->mnt = g_build_filename (f->tmp, "mnt", NULL);
  g_assert_cmpint (g_mkdir (f->mnt, 0700), ==, 0);
  if (geteuid () != 0)
    {
      g_test_skip ("mounting a small tmpfs needs root (CI runs as root)");
      return FALSE;
    }
  if (mount ("tmpfs", f->mnt, "tmpfs", 0, opts) != 0)
    g_error ("could not mount a tmpfs on %s: %s", f->mnt, g_strerror (errno));
  f->mounted = TRUE;
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  if (f->mounted)
    g_assert_cmpint (umount (f->mnt), ==, 0);
  if (f->tmp)
    limner_test_rm_rf (f->tmp);
  g_free (f->mnt);
  g_free (f->tmp);
}

/* Writes a file until the file system is full; returns its path. */
static char *
fill (const char *dir)
{
  char *path = g_build_filename (dir, "filler", NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char block[4096] = { 0 };

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
  return path;
}

static LimnerShape *
big_polygon (guint n)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);

  for (guint i = 0; i < n; i++)
    {
      double a = 2 * G_PI * i / n;
      double p[2] = { 150 + 100 * cos (a), 120 + 100 * sin (a) };

      g_array_append_vals (shape->points, p, 2);
    }
  return shape;
}

static guint
count_shapes (const char *dir,
              gint64      image_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
  g_autoptr(GPtrArray) shapes = NULL;

  g_assert_no_error (error);
  shapes = limner_store_list_shapes (store, image_id, &error);
  g_assert_no_error (error);
  return shapes->len;
}

static void
assert_integrity (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
}

/* The project on a full disk: the edit fails with a clear message, stays
 * queued and is retried; once there is room again it is saved, and the
 * edits queued behind it follow in order. */
static void
test_edits_on_full_disk (void)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *filler = NULL;
  gint64 image_id, label_id;
  gint64 first_id, second_id, third_id;

  if (!fixture_mount (&f, "3m"))
    {
      fixture_clear (&f);
      return;
    }
  dir = g_build_filename (f.mnt, "Project", NULL);
  {
    g_autoptr(LimnerStore) store = limner_store_create (dir, "Full", LOGIN, &error);
    g_autoptr(LimnerStoreWriter) writer = NULL;
    g_autoptr(LimnerDocument) doc = NULL;
    g_autoptr(LimnerShape) shape = NULL;
    g_autoptr(LimnerShape) second = NULL;
    g_autoptr(GError) flush_error = NULL;
    guint before;

    g_assert_no_error (error);
    image_id = limner_store_add_image (store, "a.png", "aa00000000000000000000000000000000000000000000000000000000000000",
                                       1000, 300, 240, "png", &error);
    g_assert_no_error (error);
    label_id = limner_store_add_label (store, "car", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (limner_store_claim (store, image_id, &error));
    writer = limner_store_writer_new (dir, LOGIN, &error);
    g_assert_no_error (error);
    doc = limner_document_open (store, writer, image_id, &error);
    g_assert_no_error (error);

    /* One good edit, saved. */
    shape = big_polygon (16);
    shape->label_id = label_id;
    g_assert_cmpint (limner_document_add_shape (doc, shape, &error), >, 0);
    g_assert_true (limner_store_writer_flush (writer, &error));
    g_assert_no_error (error);
    before = count_shapes (dir, image_id);
    g_assert_cmpuint (before, ==, 1);

    /* Now the disk is full: a big edit cannot be written. */
    filler = fill (f.mnt);
    g_clear_pointer (&shape, limner_shape_free);
    shape = big_polygon (60000);
    shape->label_id = label_id;
    first_id = limner_document_add_shape (doc, shape, &error);
    g_assert_no_error (error);
    second = big_polygon (3);
    second->label_id = label_id;
    second_id = limner_document_add_shape (doc, second, &error);
    g_assert_no_error (error);

    g_assert_false (limner_store_writer_flush (writer, &flush_error));
    g_assert_nonnull (flush_error);
    g_test_message ("flush: %s", flush_error->message);
    g_assert_nonnull (strstr (flush_error->message, "full"));
    g_assert_true (limner_store_writer_is_retrying (writer, NULL));
    g_assert_cmpuint (limner_store_writer_get_pending (writer), ==, 2);
    /* The edit is still on screen, and the store has the last good state. */
    g_assert_nonnull (limner_document_get_shape (doc, first_id));
    g_assert_cmpuint (count_shapes (dir, image_id), ==, before);

    /* The delay grows: after 4 s the writer waits about 4 s more (retries at
     * 0.25, 0.75, 1.75, 3.75 s, the next at 7.75 s). */
    g_usleep (4 * G_USEC_PER_SEC);
    g_assert_true (limner_store_writer_is_retrying (writer, NULL));

    /* Room again, and Retry pressed: the retry comes at once, not at the
     * end of the delay, and saves both, in order. */
    g_assert_cmpint (g_unlink (filler), ==, 0);
    {
      gint64 start = g_get_monotonic_time ();

      limner_store_writer_retry_now (writer);
      for (int i = 0; i < 200 && limner_store_writer_get_pending (writer) > 0; i++)
        g_usleep (10 * 1000);
      g_assert_cmpuint (limner_store_writer_get_pending (writer), ==, 0);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    }
    g_assert_false (limner_store_writer_is_retrying (writer, NULL));
    g_assert_true (limner_store_writer_flush (writer, &error));
    g_assert_no_error (error);

    /* Full again, and room again before anyone flushed: the edit was saved
     * in the end, so the next flush has no failure to report. */
    g_clear_pointer (&filler, g_free);
    filler = fill (f.mnt);
    g_clear_pointer (&shape, limner_shape_free);
    shape = big_polygon (60000);
    shape->label_id = label_id;
    third_id = limner_document_add_shape (doc, shape, &error);
    g_assert_no_error (error);
    for (int i = 0; i < 200 && !limner_store_writer_is_retrying (writer, NULL); i++)
      g_usleep (10 * 1000);
    g_assert_true (limner_store_writer_is_retrying (writer, NULL));
    g_assert_cmpint (g_unlink (filler), ==, 0);
    limner_store_writer_retry_now (writer);
    for (int i = 0; i < 200 && limner_store_writer_get_pending (writer) > 0; i++)
      g_usleep (10 * 1000);
    g_assert_cmpuint (limner_store_writer_get_pending (writer), ==, 0);
    g_assert_true (limner_store_writer_flush (writer, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
    g_autoptr(LimnerShape) saved = NULL;
    g_autoptr(LimnerShape) saved2 = NULL;

    g_assert_no_error (error);
    saved = limner_store_get_shape (store, first_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (saved->points->len, ==, 120000);
    saved2 = limner_store_get_shape (store, second_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (saved2->points->len, ==, 6);
    {
      g_autoptr(LimnerShape) saved3 = limner_store_get_shape (store, third_id, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (saved3->points->len, ==, 120000);
    }
  }
  assert_integrity (dir);
  fixture_clear (&f);
}

/* Makes a demo project with `n` polygons on its images. */
static char *
make_project (const char *parent,
              guint       n)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_build_filename (parent, "Project", NULL);
  g_autofree char *images = g_build_filename (dir, "demo-images", NULL);
  g_autoptr(LimnerStore) store = limner_store_create (dir, "Export", LOGIN, &error);
  g_autoptr(GPtrArray) list = NULL;
  gint64 label_id;

  g_assert_no_error (error);
  g_assert_true (limner_demo_generate (store, images, 2, 3, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  list = limner_store_list_images (store, &error);
  g_assert_no_error (error);
  label_id = limner_store_add_label (store, "blob", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (list, i);

      g_assert_true (limner_store_claim (store, image->id, &error));
      for (guint k = 0; k < n; k++)
        {
          g_autoptr(LimnerShape) shape = big_polygon (64);

          shape->image_id = image->id;
          shape->label_id = label_id;
          shape->id = 0;
          g_assert_true (limner_store_insert_shape (store, shape, &error));
          g_assert_no_error (error);
        }
    }
  return dir;
}

/* Final-named files in `out` that are not whole JSON. */
static void
assert_no_partial_json (const char *out)
{
  g_autoptr(GDir) d = g_dir_open (out, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autofree char *text = NULL;

      g_assert_false (name[0] == '.'); /* temporary files are removed on failure */
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_no_partial_json (path);
          continue;
        }
      g_assert_false (g_str_equal (name, "manifest.json")); /* a failed export has none */
    }
}

static gboolean
export_to (const char  *dir,
           const char  *out,
           GError     **error)
{
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, error);
  g_autoptr(LimnerDataset) ds = NULL;
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);

  if (store == NULL)
    return FALSE;
  ds = limner_dataset_open (store, 0, error);
  if (ds == NULL)
    return FALSE;
  return limner_export_run ("coco", ds, out, options, NULL, NULL, NULL, error);
}

/* The export target on a tiny tmpfs: a clear error naming the file, no
 * manifest, no half-written file, and the project untouched. */
static void
test_export_on_full_disk (void)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  guint shapes_before;
  gint64 first_image;

  if (!fixture_mount (&f, "16k"))
    {
      fixture_clear (&f);
      return;
    }
  dir = make_project (f.tmp, 200);
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
    g_autoptr(GPtrArray) list = limner_store_list_images (store, &error);

    first_image = ((LimnerImageRecord *) g_ptr_array_index (list, 0))->id;
  }
  shapes_before = count_shapes (dir, first_image);
  out = g_build_filename (f.mnt, "export", NULL);
  g_assert_false (export_to (dir, out, &error));
  g_assert_nonnull (error);
  g_test_message ("export: %s", error->message);
  /* One clear sentence that says what filled up. */
  g_assert_true (strstr (error->message, "space") != NULL || strstr (error->message, "full") != NULL);
  assert_no_partial_json (out);
  g_assert_cmpuint (count_shapes (dir, first_image), ==, shapes_before);
  assert_integrity (dir);
  fixture_clear (&f);
}

/* Failing writes injected: the child may write files of at most `limit`
 * bytes (RLIMIT_FSIZE; SIGXFSZ ignored, so write() fails with EFBIG). */
static int
child_export_limited (const char *dir,
                      const char *out,
                      rlim_t      limit)
{
  g_autoptr(GError) error = NULL;
  struct rlimit rl = { limit, limit };
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
  g_autoptr(LimnerDataset) ds = NULL;
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  ds = limner_dataset_open (store, 0, &error);
  g_assert_no_error (error);
  /* The project is open; from now on no file may grow past `limit`. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
  if (limner_export_run ("coco", ds, out, options, NULL, NULL, NULL, &error))
    return 0;
  g_print ("%s\n", error->message);
  return 3;
}

static void
test_export_write_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-ioerr-XXXXXX", &error);
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out_text = NULL;
  const char *argv[] = { self_exe, "--child-export", NULL, NULL, "20000", NULL };
  int status = 0;

  g_assert_no_error (error);
  dir = make_project (tmp, 200);
  out = g_build_filename (tmp, "export", NULL);
  argv[2] = dir;
  argv[3] = out;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out_text, NULL, &status, &error));
  g_assert_no_error (error);
  g_test_message ("child: %s", out_text);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);
  g_assert_true (strstr (out_text, "large") != NULL || strstr (out_text, "Could not") != NULL);
  assert_no_partial_json (out);
  assert_integrity (dir);

  /* Without the limit, the same export works: nothing was left in the way. */
  g_assert_true (export_to (dir, out, &error));
  g_assert_no_error (error);
  limner_test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  if (argc == 5 && g_str_equal (argv[1], "--child-export"))
    return child_export_limited (argv[2], argv[3], g_ascii_strtoull (argv[4], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/disk-full/edits", test_edits_on_full_disk);
  g_test_add_func ("/reliability/disk-full/export", test_export_on_full_disk);
  g_test_add_func ("/reliability/io-error/export", test_export_write_errors);
  return g_test_run ();
}
