/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The image root: where relative image paths point with and without a
 * project root and a local mapping, what setting the root does to the
 * stored paths, and the SHA-256 verification of image files with its cache. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "limner-image-root.h"
#include "limner-image-verify.h"
#include "limner-store.h"
#include "limner-test-util.h"

typedef struct {
  char        *tmp;
  char        *project;   /* the project folder */
  char        *share;     /* the image root, as the lead knows it */
  char        *mount;     /* the same files where this computer mounts them */
  LimnerStore *store;
} Fixture;

static char *tmp_root;

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

static gint64
add_image (LimnerStore *store,
           const char  *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  gsize length;
  gint64 id;

  g_assert_true (g_file_get_contents (file, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  stored = limner_store_relativize_path (store, file);
  id = limner_store_add_image (store, stored, sha, length, 10, 10, "png", &error);
  g_assert_no_error (error);
  return id;
}

static char *
stored_path (LimnerStore *store,
             gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) record = limner_store_get_image (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (record->path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_build_filename (tmp_root, "case-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (f->tmp));
  f->project = g_build_filename (f->tmp, "project", NULL);
  f->share = g_build_filename (f->tmp, "srv", "share", NULL);
  f->mount = g_build_filename (f->tmp, "mnt", "data", NULL);
  f->store = limner_store_create (f->project, "Root test", NULL, &error);
  g_assert_no_error (error);
  limner_image_root_set_override (NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  limner_image_root_set_override (NULL);
  g_clear_object (&f->store);
  limner_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->project);
  g_free (f->share);
  g_free (f->mount);
}

/* --- Pure paths ------------------------------------------------------------ */

static void
test_identity (void)
{
  g_autofree char *folder = limner_image_root_identity ("/a/b/../c/");
  g_autofree char *uri = limner_image_root_identity ("postgresql://carol:s3cret@db.example.org:5433/streets"
                                                      "?sslmode=require");
  g_autofree char *same = limner_image_root_identity ("postgres://carol@db.example.org:5433/streets");
  g_autofree char *param = limner_image_root_identity ("postgresql://db.example.org/streets?user=carol"
                                                        "&password=s3cret");
  g_autofree char *odd = limner_image_root_identity ("postgresql://carol:p@ss@host/db?password=x%zz");

  g_assert_cmpstr (folder, ==, "/a/c");
  g_assert_cmpstr (uri, ==, "postgresql://carol@db.example.org:5433/streets");
  g_assert_cmpstr (same, ==, uri);
  g_assert_cmpstr (param, ==, "postgresql://carol@db.example.org/streets");
  /* Whatever libpq makes of it, a password never shows. */
  g_assert_null (strstr (odd, "ss@"));
  g_assert_null (strstr (odd, "password"));
  g_assert_null (limner_image_root_identity (NULL));
}

static void
test_resolve_relativize (void)
{
  g_autofree char *a = limner_image_root_resolve ("/srv/share", "cars/a.png");
  g_autofree char *b = limner_image_root_resolve ("/srv/share", "/elsewhere/b.png");
  g_autofree char *c = limner_image_root_resolve (NULL, "cars/c.png");
  g_autofree char *d = limner_image_root_relativize ("/srv/share", "/srv/share/cars/../cars/d.png");
  g_autofree char *e = limner_image_root_relativize ("/srv/share", "/srv/shared/e.png");
  g_autofree char *f = limner_image_root_relativize (NULL, "/srv/share/f.png");

  g_assert_cmpstr (a, ==, "/srv/share/cars/a.png");
  g_assert_cmpstr (b, ==, "/elsewhere/b.png");
  g_assert_cmpstr (c, ==, "cars/c.png");
  g_assert_cmpstr (d, ==, "cars/d.png");
  g_assert_cmpstr (e, ==, "/srv/shared/e.png");
  g_assert_cmpstr (f, ==, "/srv/share/f.png");
}

static void
test_choose_folder (void)
{
  g_autofree char *none = limner_image_root_choose_folder ("postgresql://carol@db/streets", NULL);
  g_autofree char *team = limner_image_root_choose_folder ("postgresql://carol@db/streets", "/srv/share");
  g_autofree char *local = limner_image_root_choose_folder ("/p/project", NULL);
  g_autofree char *empty = limner_image_root_choose_folder ("/p/project", "");

  g_assert_null (none);
  g_assert_cmpstr (team, ==, "/srv/share");
  g_assert_cmpstr (local, ==, "/p/project");
  g_assert_cmpstr (empty, ==, "/p/project");
}

/* --- The store ------------------------------------------------------------- */

/* Without a root the project folder is the base; with one, the root; with a
 * mapping, the mapped folder; a mapping made for another root is ignored. */
static void
test_store_resolution (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = g_build_filename (f->project, "img", "in.png", NULL);
  g_autofree char *shared = g_build_filename (f->share, "cars", "car.png", NULL);
  g_autofree char *mounted = g_build_filename (f->mount, "cars", "car.png", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  gint64 in_id, car_id;

  write_file (inside, "inside");
  write_file (shared, "a car");
  g_assert_cmpint (g_mkdir_with_parents (f->mount, 0755), ==, 0);

  /* No root: relative to the project folder. */
  in_id = add_image (f->store, inside);
  car_id = add_image (f->store, shared);
  path = stored_path (f->store, in_id);
  g_assert_cmpstr (path, ==, "img/in.png");
  g_clear_pointer (&path, g_free);
  path = stored_path (f->store, car_id);
  g_assert_cmpstr (path, ==, shared);
  g_clear_pointer (&path, g_free);
  g_assert_null (limner_store_dup_image_root (f->store));
  folder = limner_store_dup_image_folder (f->store);
  g_assert_cmpstr (folder, ==, f->project);
  g_clear_pointer (&folder, g_free);

  /* The root: the shared image is stored relative to it, the one in the
   * project folder (outside the root) by its absolute path. */
  g_assert_true (limner_store_set_image_root (f->store, f->share, &error));
  g_assert_no_error (error);
  path = limner_store_dup_image_root (f->store);
  g_assert_cmpstr (path, ==, f->share);
  g_clear_pointer (&path, g_free);
  path = stored_path (f->store, car_id);
  g_assert_cmpstr (path, ==, "cars/car.png");
  g_clear_pointer (&path, g_free);
  path = stored_path (f->store, in_id);
  g_assert_cmpstr (path, ==, inside);
  g_clear_pointer (&path, g_free);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, shared);
  g_clear_pointer (&path, g_free);
  path = limner_store_resolve_path (f->store, inside);
  g_assert_cmpstr (path, ==, inside);
  g_clear_pointer (&path, g_free);

  /* This user's mapping: the same stored path, found under the mount. */
  g_assert_true (limner_image_root_set_mapping (f->project, f->share, f->mount, &error));
  g_assert_no_error (error);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, mounted);
  g_clear_pointer (&path, g_free);
  path = limner_store_relativize_path (f->store, mounted);
  g_assert_cmpstr (path, ==, "cars/car.png");
  g_clear_pointer (&path, g_free);
  /* Another connection (a worker's) sees the mapping too. */
  {
    g_autoptr(LimnerStore) other = limner_store_open (f->project, NULL, &error);

    g_assert_no_error (error);
    path = limner_store_resolve_path (other, "cars/car.png");
    g_assert_cmpstr (path, ==, mounted);
    g_clear_pointer (&path, g_free);
  }
  /* It is in the user's config, not in the project. */
  {
    g_autofree char *keys = limner_image_root_dup_mappings_path ();
    g_autofree char *text = NULL;

    g_assert_true (g_str_has_prefix (keys, g_get_user_config_dir ()));
    g_assert_true (g_file_get_contents (keys, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, f->mount));
    g_assert_null (limner_store_get_setting (f->store, "folder"));
  }

  /* The process' override wins over the mapping. */
  limner_image_root_set_override (f->share);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, shared);
  g_clear_pointer (&path, g_free);
  limner_image_root_set_override (NULL);

  /* A mapping for another root does not apply. */
  g_assert_true (limner_image_root_set_mapping (f->project, "/somewhere/else", f->mount, &error));
  g_assert_no_error (error);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, shared);
  g_clear_pointer (&path, g_free);

  /* Reset: the root again. */
  g_assert_true (limner_image_root_set_mapping (f->project, f->share, NULL, &error));
  g_assert_no_error (error);
  path = limner_image_root_dup_mapping (f->project, f->share);
  g_assert_null (path);

  /* Unsetting the root brings the paths back against the project folder. */
  g_assert_true (limner_store_set_image_root (f->store, NULL, &error));
  g_assert_no_error (error);
  path = stored_path (f->store, in_id);
  g_assert_cmpstr (path, ==, "img/in.png");
  g_clear_pointer (&path, g_free);
  path = stored_path (f->store, car_id);
  g_assert_cmpstr (path, ==, shared);
  g_clear_pointer (&path, g_free);
}

/* Setting the root with the local folder given (limner-cli --image-root):
 * images imported from the local mount become relative to the root. */
static void
test_store_root_from_mount (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mounted = g_build_filename (f->mount, "cars", "car.png", NULL);
  g_autofree char *path = NULL;
  gint64 id;

  write_file (mounted, "a car");
  id = add_image (f->store, mounted);
  limner_image_root_set_override (f->mount);
  g_assert_true (limner_store_set_image_root (f->store, "/srv/share/data", &error));
  g_assert_no_error (error);
  path = stored_path (f->store, id);
  g_assert_cmpstr (path, ==, "cars/car.png");
  g_clear_pointer (&path, g_free);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, mounted);
  g_clear_pointer (&path, g_free);
  limner_image_root_set_override (NULL);
  path = limner_store_resolve_path (f->store, "cars/car.png");
  g_assert_cmpstr (path, ==, "/srv/share/data/cars/car.png");
}

static void
test_store_root_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) alice = NULL;

  g_assert_false (limner_store_set_image_root (f->store, "relative/path", &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "relative/path"));
  g_clear_error (&error);

  g_assert_true (limner_store_set_user_roles (f->store, "alice", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);
  alice = limner_store_open (f->project, "alice", &error);
  g_assert_no_error (error);
  g_assert_false (limner_store_set_image_root (alice, "/srv/share", &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (limner_store_dup_image_root (f->store));

  /* A mapping needs a root, and a folder that exists. */
  g_assert_false (limner_image_root_set_mapping (f->project, NULL, f->tmp, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (limner_image_root_set_mapping (f->project, "/srv/share", "/no/such/folder", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "/no/such/folder"));
  g_clear_error (&error);
}

/* --- Verification ---------------------------------------------------------- */

static LimnerVerifyResult *
verify (LimnerStore *store,
        gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) record = limner_store_get_image (store, id, &error);
  LimnerVerifyResult *result;

  g_assert_no_error (error);
  result = limner_image_verify (store, record, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shared = g_build_filename (f->share, "cars", "car.png", NULL);
  g_autofree char *mounted = g_build_filename (f->mount, "cars", "car.png", NULL);
  g_autoptr(LimnerVerifyResult) result = NULL;
  guint hashed = limner_image_verify_get_n_hashed ();
  struct utimbuf times = { 1700000000, 1700000000 };
  gint64 id;

  write_file (shared, "a car");
  g_assert_true (limner_store_set_image_root (f->store, f->share, &error));
  g_assert_no_error (error);
  id = add_image (f->store, shared);

  /* The first open hashes, the second reads the cache. */
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_OK);
  g_assert_false (result->from_cache);
  g_assert_null (result->message);
  g_assert_cmpstr (result->path, ==, shared);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 1);
  g_clear_pointer (&result, limner_verify_result_free);
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_OK);
  g_assert_true (result->from_cache);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 1);
  g_clear_pointer (&result, limner_verify_result_free);

  /* Another modification time: hashed again (and still the same bytes). */
  g_assert_cmpint (utime (shared, &times), ==, 0);
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_OK);
  g_assert_false (result->from_cache);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 2);
  g_clear_pointer (&result, limner_verify_result_free);

  /* Other bytes: changed, named, and remembered as changed. */
  write_file (shared, "another car");
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_CHANGED);
  g_assert_nonnull (strstr (result->message, "car.png"));
  g_assert_nonnull (strstr (result->message, shared));
  g_assert_nonnull (strstr (result->message, "changed on disk"));
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 3);
  g_clear_pointer (&result, limner_verify_result_free);
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_CHANGED);
  g_assert_true (result->from_cache);
  g_assert_cmpuint (limner_image_verify_get_n_hashed (), ==, hashed + 3);
  g_clear_pointer (&result, limner_verify_result_free);

  /* Through a mapping whose folder lacks the file: missing, naming the
   * image, the path looked at and the folder of this computer. */
  g_assert_cmpint (g_mkdir_with_parents (f->mount, 0755), ==, 0);
  g_assert_true (limner_image_root_set_mapping (f->project, f->share, f->mount, &error));
  g_assert_no_error (error);
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_MISSING);
  g_assert_cmpstr (result->path, ==, mounted);
  g_assert_nonnull (strstr (result->message, "car.png"));
  g_assert_nonnull (strstr (result->message, mounted));
  g_assert_nonnull (strstr (result->message, "image folder on this computer"));
  g_clear_pointer (&result, limner_verify_result_free);
  g_assert_true (limner_image_root_set_mapping (f->project, f->share, NULL, &error));
  g_assert_no_error (error);

  /* No mapping, no file: the hint is to map the root. */
  g_assert_cmpint (g_unlink (shared), ==, 0);
  result = verify (f->store, id);
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_MISSING);
  g_assert_nonnull (strstr (result->message, shared));
  g_assert_nonnull (strstr (result->message, "--image-root"));
  g_clear_pointer (&result, limner_verify_result_free);

  /* The cache is the user's, keyed by the project. */
  {
    g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "limner", "verified", NULL);

    g_assert_true (g_str_has_prefix (cache, tmp_root));
    g_assert_true (g_file_test (cache, G_FILE_TEST_IS_DIR));
  }
}

static void
verified_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  LimnerVerifyResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = limner_image_verify_finish (res, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_verify_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *inside = g_build_filename (f->project, "a.png", NULL);
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  LimnerVerifyResult *result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 id;

  write_file (inside, "pixels");
  id = add_image (f->store, inside);
  record = limner_store_get_image (f->store, id, &error);
  g_assert_no_error (error);
  limner_image_verify_async (f->store, record, NULL, verified_cb, &result);
  g_assert_true (limner_test_wait_for (is_set, &result, 10000));
  g_assert_cmpint (result->status, ==, LIMNER_VERIFY_OK);
  g_assert_cmpint (result->image_id, ==, id);
  limner_verify_result_free (result);

  /* Cancelled: an error, never a verdict. */
  g_cancellable_cancel (cancellable);
  {
    g_autofree char *other = g_build_filename (f->project, "b.png", NULL);
    g_autoptr(LimnerVerifyResult) none = NULL;

    write_file (other, "more pixels");
    g_clear_pointer (&record, limner_image_record_free);
    record = limner_store_get_image (f->store, add_image (f->store, other), &error);
    g_assert_no_error (error);
    none = limner_image_verify (f->store, record, cancellable, &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything reads them: the mappings and the cache go here. */
  tmp_root = g_dir_make_tmp ("limner-image-root-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *config = g_build_filename (tmp_root, "config", NULL);
    g_autofree char *cache = g_build_filename (tmp_root, "cache", NULL);

    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-root/identity", test_identity);
  g_test_add_func ("/image-root/resolve-relativize", test_resolve_relativize);
  g_test_add_func ("/image-root/choose-folder", test_choose_folder);
  g_test_add ("/image-root/store/resolution", Fixture, NULL, fixture_set_up, test_store_resolution, fixture_tear_down);
  g_test_add ("/image-root/store/root-from-mount", Fixture, NULL, fixture_set_up, test_store_root_from_mount,
              fixture_tear_down);
  g_test_add ("/image-root/store/refused", Fixture, NULL, fixture_set_up, test_store_root_refused, fixture_tear_down);
  g_test_add ("/image-root/verify", Fixture, NULL, fixture_set_up, test_verify, fixture_tear_down);
  g_test_add ("/image-root/verify-async", Fixture, NULL, fixture_set_up, test_verify_async, fixture_tear_down);

  status = g_test_run ();
  limner_test_rm_rf (tmp_root);
  g_free (tmp_root);
  return status;
}
