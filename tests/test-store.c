/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the project store: creation, migrations, schema refusal,
 * transactions, roles, labels, images, shapes and the work queue. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "limner-store.h"
#include "limner-store-watch.h"
#include "limner-store-versions.h"
#include "limner-test-backend.h"
#include "limner-test-util.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

typedef struct {
  char        *dir;
  LimnerStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = limner_test_backend_new_project ("lead");
  f->store = limner_store_create (f->dir, "Test project", "lead", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  /* A team project's images are under its image root, as a team sets it. */
  if (limner_test_backend_is_pg ())
    {
      g_autofree char *files = limner_test_backend_files_dir (f->dir);

      g_assert_true (limner_store_set_image_root (f->store, files, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  limner_test_backend_remove (f->dir);
}

/* Runs SQL through a second, raw connection, as another tool would. */
static int
raw_sql (const char *dir, const char *sql)
{
  return limner_test_backend_raw_sql (dir, sql);
}

static gint64
add_image (LimnerStore *store, const char *path, const char *sha, int w, int h)
{
  g_autoptr(GError) error = NULL;
  gint64 id = limner_store_add_image (store, path, sha, 1234, w, h, "jpeg", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static LimnerShape *
make_box (gint64 image_id, double x0, double y0, double x1, double y1)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double p[] = { x0, y0, x1, y1 };

  shape->image_id = image_id;
  g_array_append_vals (shape->points, p, 4);
  return shape;
}

/* Two connections (two windows, or a window and the CLI) edit the same
 * shape: the one holding a stale row version is refused, naming the shape,
 * the image and who changed it, and the other's data stays. */
static void
test_row_version_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) other = NULL;
  g_autoptr(LimnerShape) mine = NULL;
  g_autoptr(LimnerShape) theirs = NULL;
  g_autoptr(LimnerShape) got = NULL;
  g_autofree char *name = NULL;
  gint64 image;

  g_assert_true (limner_store_set_user_roles (f->store, "ann", LIMNER_ROLE_LEAD, &error));
  g_assert_no_error (error);
  image = add_image (f->store, "street-04.jpg", SHA_A, 100, 80);
  mine = make_box (image, 1, 1, 10, 10);
  g_assert_true (limner_store_insert_shape (f->store, mine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mine->row_version, ==, 1);

  other = limner_store_open (f->dir, "ann", &error);
  g_assert_no_error (error);
  theirs = limner_store_get_shape (other, mine->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (theirs->row_version, ==, 1);

  /* ann moves it first and sees the new version. */
  g_array_index (theirs->points, double, 2) = 40;
  g_assert_true (limner_store_update_shape (other, theirs, &error));
  g_assert_no_error (error);
  g_assert_cmpint (theirs->row_version, ==, 2);

  /* The lead still holds version 1: refused, not overwritten. */
  g_array_index (mine->points, double, 2) = 60;
  g_assert_false (limner_store_update_shape (f->store, mine, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  name = g_strdup_printf ("Shape %" G_GINT64_FORMAT " ", mine->id);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "street-04.jpg"));
  g_assert_nonnull (strstr (error->message, "ann"));
  g_clear_error (&error);
  g_assert_cmpint (mine->row_version, ==, 1);
  got = limner_store_get_shape (f->store, mine->id, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (g_array_index (got->points, double, 2), ==, 40);
  g_assert_cmpint (got->row_version, ==, 2);

  /* A stale delete is refused too, and the shape stays. */
  g_assert_false (limner_store_delete_shape (f->store, mine->id, 1, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "street-04.jpg"));
  g_clear_error (&error);
  g_assert_cmpint (limner_store_count_shapes (f->store), ==, 1);

  /* With the current version both go through; 0 skips the check. */
  g_array_index (got->points, double, 3) = 30;
  g_assert_true (limner_store_update_shape (f->store, got, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got->row_version, ==, 3);
  g_assert_false (limner_store_delete_shape (other, got->id, 2, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "lead"));
  g_clear_error (&error);
  g_assert_true (limner_store_delete_shape (other, got->id, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_count_shapes (f->store), ==, 0);

  /* Updating a shape deleted meanwhile is a conflict as well. */
  g_assert_false (limner_store_update_shape (f->store, got, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

/* Waits (bounded) until `count` moves past `from`. */
static gboolean
wait_count (const guint *count,
            guint        from)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (*count == from && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return *count > from;
}

/* The watch sees other connections' commits (SQLite: data_version;
 * PostgreSQL: NOTIFY); the images signal comes only when the images table
 * changed, not for a shape. */
static void
test_watch (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWatch) watch = limner_store_watch_new_for_store (f->store, 20, &error);
  g_autoptr(LimnerShape) box = NULL;
  guint changed = 0, images = 0;
  gint64 image;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  /* A team project's watch connects without blocking: let it. */
  while (!limner_store_watch_is_connected (watch) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (limner_store_watch_is_connected (watch));
  g_signal_connect (watch, "changed", G_CALLBACK (count_signal), &changed);
  g_signal_connect (watch, "images-changed", G_CALLBACK (count_signal), &images);
  g_assert_false (limner_store_watch_poll (watch));

  image = add_image (f->store, "a.jpg", SHA_A, 100, 80);
  g_assert_true (wait_count (&changed, 0));
  g_assert_true (wait_count (&images, 0));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (images, ==, 1);

  box = make_box (image, 1, 1, 10, 10);
  g_assert_true (limner_store_insert_shape (f->store, box, &error));
  g_assert_no_error (error);
  g_assert_true (wait_count (&changed, 1));
  g_assert_cmpuint (images, ==, 1);

  g_assert_true (limner_store_claim (f->store, image, &error));
  g_assert_no_error (error);
  g_assert_true (wait_count (&images, 1));
}

static void
test_create_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) again = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpint (limner_store_get_schema_version (f->store), ==, LIMNER_STORE_SCHEMA_VERSION);
  g_assert_true (limner_store_exists (f->dir));
  g_assert_cmpint (limner_store_get_roles (f->store) & LIMNER_ROLE_LEAD, !=, 0);

  /* Creating twice is refused. */
  again = limner_store_create (f->dir, NULL, "lead", &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_assert_null (again);
  g_clear_error (&error);

  g_clear_object (&f->store);
  f->store = limner_store_open (f->dir, "lead", &error);
  g_assert_no_error (error);
  name = limner_store_dup_name (f->store);
  g_assert_cmpstr (name, ==, "Test project");

  /* A team project's address, as the store keeps and shows it, never holds
   * the password it was opened with (the test server trusts its socket, so
   * any password opens it). */
  if (limner_test_backend_is_pg ())
    {
      g_autofree char *with = g_strconcat (f->dir, "&password=s3cret", NULL);
      g_autoptr(LimnerStore) third = limner_store_open (with, "lead", &error);

      g_assert_no_error (error);
      g_assert_null (strstr (limner_store_get_dir (third), "s3cret"));
      g_assert_cmpstr (limner_store_get_dir (third), ==, f->dir);
    }
}

static void
test_wal_and_foreign_keys (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_build_filename (f->dir, LIMNER_STORE_DB_NAME "-wal", NULL);
  gint64 image;
  g_autoptr(LimnerShape) shape = NULL;
  g_autoptr(GError) error = NULL;

  image = add_image (f->store, "a.jpg", SHA_A, 100, 80);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* A shape on a missing image violates the foreign key. */
  shape = make_box (image, 1, 1, 10, 10);
  g_assert_true (limner_store_insert_shape (f->store, shape, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_sql (f->dir, "PRAGMA foreign_keys = ON; "
                                    "INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
                                    "VALUES (999, 'box', x'00', 'x', 0, 0)"),
                   !=, SQLITE_OK);
}

static void
test_missing_and_foreign (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-store-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, LIMNER_STORE_DB_NAME, NULL);
  g_autoptr(LimnerStore) store = NULL;

  store = limner_store_open (tmp, NULL, &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT);
  g_assert_null (store);
  g_clear_error (&error);

  /* A text file named project.db */
  g_assert_true (g_file_set_contents (db, "hello, not sqlite\n", -1, NULL));
  store = limner_store_open (tmp, NULL, &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT);
  g_assert_nonnull (strstr (error->message, db));
  g_clear_error (&error);
  g_remove (db);

  /* Another application's SQLite database */
  g_assert_cmpint (raw_sql (tmp, "CREATE TABLE t (x)"), ==, SQLITE_OK);
  store = limner_store_open (tmp, NULL, &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT);
  g_clear_error (&error);

  limner_test_rm_rf (tmp);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autofree char *sql = NULL;

  if (limner_test_backend_is_pg ())
    sql = g_strdup ("UPDATE settings SET value = (value::int + 1)::text WHERE key = 'pg.schema_version'");
  else
    sql = g_strdup_printf ("PRAGMA user_version = %d", LIMNER_STORE_SCHEMA_VERSION + 1);

  g_clear_object (&f->store);
  g_assert_cmpint (raw_sql (f->dir, sql), ==, 0);
  store = limner_store_open (f->dir, "lead", &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "newer version of Limner"));
}

static void
test_migration_from_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-store-XXXXXX", NULL);
  g_autoptr(LimnerStore) store = NULL;

  /* A project database at schema 0 (as an interrupted create leaves it) is
   * migrated on open, all tables at once. */
  g_assert_cmpint (raw_sql (tmp, "PRAGMA application_id = 1279872334"), ==, SQLITE_OK);
  store = limner_store_open (tmp, "lead", &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_get_schema_version (store), ==, LIMNER_STORE_SCHEMA_VERSION);
  /* Nobody is a user of such a project, so nothing can be changed. */
  g_assert_cmpint (limner_store_add_label (store, "car", NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_clear_object (&store);
  limner_test_rm_rf (tmp);
}

static void
test_migration_is_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-store-XXXXXX", NULL);
  g_autoptr(LimnerStore) store = NULL;

  /* A table in the way makes migration 1 fail half-way: nothing of it may stay. */
  g_assert_cmpint (raw_sql (tmp, "PRAGMA application_id = 1279872334; CREATE TABLE reviews (x)"),
                   ==, SQLITE_OK);
  store = limner_store_open (tmp, "lead", &error);
  g_assert_nonnull (error);
  g_assert_null (store);
  g_assert_cmpint (raw_sql (tmp, "SELECT * FROM settings"), !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (tmp, "SELECT * FROM reviews"), ==, SQLITE_OK);
  limner_test_rm_rf (tmp);
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) annotator = NULL;
  g_autoptr(GPtrArray) users = NULL;
  LimnerRole roles;

  g_assert_true (limner_role_from_string ("annotator,reviewer", &roles, &error));
  g_assert_cmpint (roles, ==, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER);
  g_assert_false (limner_role_from_string ("annotator,boss", &roles, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (limner_store_set_user_roles (f->store, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_get_user_roles (f->store, "ann"), ==, LIMNER_ROLE_ANNOTATOR);

  users = limner_store_list_users (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((LimnerUser *) users->pdata[0])->login, ==, "ann");
  g_assert_cmpstr (((LimnerUser *) users->pdata[1])->login, ==, "lead");

  /* The sole lead may not drop the role. */
  g_assert_false (limner_store_set_user_roles (f->store, "lead", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An annotator cannot do a lead's work. */
  annotator = limner_store_open (f->dir, "ann", &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_add_label (annotator, "car", NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "ann"));
  g_clear_error (&error);
  g_assert_false (limner_store_set_user_roles (annotator, "ann", LIMNER_ROLE_LEAD, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_image (annotator, "x.jpg", SHA_A, 1, 1, 1, "jpeg", &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
}

static void
test_labels (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(LimnerShape) shape = NULL;
  g_autoptr(LimnerLabel) found = NULL;
  gint64 car, person, tree, image;

  car = limner_store_add_label (f->store, "car", "#ff0000", "1", "Whole vehicle, including mirrors", &error);
  g_assert_no_error (error);
  person = limner_store_add_label (f->store, "person", NULL, "2", NULL, &error);
  g_assert_no_error (error);
  tree = limner_store_add_label (f->store, "tree", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Duplicates, bad colours and a taken hotkey are refused with reasons. */
  g_assert_cmpint (limner_store_add_label (f->store, "car", NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_label (f->store, "bus", "red", NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_label (f->store, "bus", NULL, "1", NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "hotkey"));
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_label (f->store, "  ", NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Reorder: tree to the front. */
  g_assert_true (limner_store_move_label (f->store, tree, 0, &error));
  g_assert_no_error (error);
  labels = limner_store_list_labels (f->store, &error);
  g_assert_cmpuint (labels->len, ==, 3);
  g_assert_cmpint (((LimnerLabel *) labels->pdata[0])->id, ==, tree);
  g_assert_cmpint (((LimnerLabel *) labels->pdata[1])->id, ==, car);
  g_assert_cmpint (((LimnerLabel *) labels->pdata[2])->id, ==, person);
  g_assert_cmpstr (((LimnerLabel *) labels->pdata[1])->guide, ==, "Whole vehicle, including mirrors");

  /* Rename and recolour. */
  found = limner_store_find_label (f->store, "person", &error);
  g_assert_no_error (error);
  g_free (found->name);
  found->name = g_strdup ("pedestrian");
  g_free (found->color);
  found->color = g_strdup ("#00ff00");
  g_assert_true (limner_store_update_label (f->store, found, &error));
  g_assert_no_error (error);
  /* Clashes on update are sentences too. */
  g_free (found->hotkey);
  found->hotkey = g_strdup ("1");
  g_assert_false (limner_store_update_label (f->store, found, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "hotkey “1”"));
  g_clear_error (&error);
  g_clear_pointer (&found->hotkey, g_free);
  found->hotkey = g_strdup ("2");
  g_clear_pointer (&found, limner_label_free);
  found = limner_store_get_label (f->store, person, &error);
  g_assert_cmpstr (found->name, ==, "pedestrian");
  g_assert_cmpstr (found->color, ==, "#00ff00");

  /* A label in use cannot be deleted. */
  image = add_image (f->store, "a.jpg", SHA_A, 100, 80);
  shape = make_box (image, 1, 1, 5, 5);
  shape->label_id = car;
  g_assert_true (limner_store_insert_shape (f->store, shape, &error));
  g_assert_false (limner_store_delete_label (f->store, car, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "car"));
  g_clear_error (&error);
  g_assert_true (limner_store_delete_label (f->store, tree, &error));
  g_assert_no_error (error);
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = limner_store_list_labels (f->store, &error);
  g_assert_cmpuint (labels->len, ==, 2);
  g_assert_cmpint (((LimnerLabel *) labels->pdata[0])->position, ==, 0);
  g_assert_cmpint (((LimnerLabel *) labels->pdata[1])->position, ==, 1);
}

static void
test_images (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) rec = NULL;
  g_autoptr(GPtrArray) images = NULL;
  gint64 a;

  a = add_image (f->store, "photos/a.jpg", SHA_A, 640, 480);
  add_image (f->store, "photos/b.jpg", SHA_B, 800, 600);

  /* Same content under another name, or same path, is refused. */
  g_assert_cmpint (limner_store_add_image (f->store, "c.jpg", SHA_A, 1, 1, 1, "jpeg", &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_image (f->store, "photos/a.jpg", SHA_C, 1, 1, 1, "jpeg", &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (limner_store_add_image (f->store, "d.jpg", "nothex", 1, 1, 1, "jpeg", &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (limner_store_has_sha256 (f->store, SHA_B));
  g_assert_false (limner_store_has_sha256 (f->store, SHA_C));
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 2);
  g_assert_cmpint (limner_store_count_images (f->store, LIMNER_IMAGE_NEW), ==, 2);

  rec = limner_store_lookup_image (f->store, "photos/a.jpg", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->id, ==, a);
  g_assert_cmpint (rec->width, ==, 640);
  g_assert_cmpstr (rec->format, ==, "jpeg");
  g_clear_pointer (&rec, limner_image_record_free);
  {
    g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, a);
    rec = limner_store_lookup_image (f->store, id_str, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (rec->path, ==, "photos/a.jpg");
  }
  g_clear_pointer (&rec, limner_image_record_free);
  {
    g_autofree char *folder = limner_store_dup_image_folder (f->store);
    g_autofree char *abs = g_build_filename (folder, "photos", "a.jpg", NULL);
    rec = limner_store_lookup_image (f->store, abs, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rec->id, ==, a);
  }
  g_clear_pointer (&rec, limner_image_record_free);
  rec = limner_store_lookup_image (f->store, "nope.jpg", &error);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nope.jpg"));
  g_clear_error (&error);

  images = limner_store_list_images (f->store, &error);
  g_assert_cmpuint (images->len, ==, 2);

  /* Paths inside the image folder (the project's, or its image root) are
   * stored relative, others absolute. */
  {
    g_autofree char *folder = limner_store_dup_image_folder (f->store);
    g_autofree char *inside = g_build_filename (folder, "x", "y.png", NULL);
    g_autofree char *rel = limner_store_relativize_path (f->store, inside);
    g_autofree char *outside = limner_store_relativize_path (f->store, "/somewhere/else.png");
    g_autofree char *back = limner_store_resolve_path (f->store, rel);

    g_assert_cmpstr (rel, ==, "x/y.png");
    g_assert_cmpstr (outside, ==, "/somewhere/else.png");
    g_assert_cmpstr (back, ==, inside);
  }
}

static void
test_batch_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_store_begin (f->store, &error));
  g_assert_true (limner_store_in_batch (f->store));
  add_image (f->store, "a.jpg", SHA_A, 10, 10);
  add_image (f->store, "b.jpg", SHA_B, 10, 10);
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 2);
  limner_store_rollback (f->store);
  g_assert_false (limner_store_in_batch (f->store));
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 0);

  /* A committed batch is visible to another connection. */
  g_assert_true (limner_store_begin (f->store, &error));
  add_image (f->store, "a.jpg", SHA_A, 10, 10);
  g_assert_true (limner_store_commit (f->store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(LimnerStore) other = limner_store_open (f->dir, "lead", &error);
    g_assert_no_error (error);
    g_assert_cmpint (limner_store_count_images (other, -1), ==, 1);
  }
}

static void
test_write_lock (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) other = limner_store_open (f->dir, "lead", &error);

  g_assert_no_error (error);
  /* While one connection holds the write lock, the other waits out its busy
   * timeout, then fails with a message rather than writing half. */
  g_assert_true (limner_store_begin (f->store, &error));
  add_image (f->store, "a.jpg", SHA_A, 10, 10);
  g_assert_cmpint (limner_store_count_images (other, -1), ==, 0);
  limner_store_rollback (f->store);
  add_image (other, "b.jpg", SHA_B, 10, 10);
  g_assert_cmpint (limner_store_count_images (f->store, -1), ==, 1);
}

static void
test_shapes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) box = NULL;
  g_autoptr(LimnerShape) poly = NULL;
  g_autoptr(LimnerShape) got = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  double tri[] = { 10, 10, 50, 10, 30, 40 };
  gint64 image, id;

  image = add_image (f->store, "a.jpg", SHA_A, 100, 80);

  box = make_box (image, 0, 0, 100, 80); /* touching every border is fine */
  g_assert_true (limner_store_insert_shape (f->store, box, &error));
  g_assert_no_error (error);
  g_assert_cmpint (box->id, >, 0);
  g_assert_cmpstr (box->author, ==, "lead");

  poly = limner_shape_new (LIMNER_SHAPE_POLYGON);
  poly->image_id = image;
  poly->group_id = 7;
  poly->source = LIMNER_SOURCE_PREDICTION;
  poly->score = 0.25;
  g_array_append_vals (poly->points, tri, 6);
  g_assert_true (limner_store_insert_shape (f->store, poly, &error));
  g_assert_no_error (error);

  got = limner_store_get_shape (f->store, poly->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->kind, ==, LIMNER_SHAPE_POLYGON);
  g_assert_cmpuint (got->points->len, ==, 6);
  g_assert_cmpfloat (g_array_index (got->points, double, 5), ==, 40);
  g_assert_cmpint (got->group_id, ==, 7);
  g_assert_cmpint (got->source, ==, LIMNER_SOURCE_PREDICTION);
  g_assert_cmpfloat (got->score, ==, 0.25);

  /* Invalid shapes: NaN, outside the image, too few vertices, inverted box. */
  {
    g_autoptr(LimnerShape) bad = make_box (image, 1, NAN, 5, 5);
    g_assert_false (limner_store_insert_shape (f->store, bad, &error));
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "a.jpg"));
    g_clear_error (&error);
  }
  {
    g_autoptr(LimnerShape) bad = make_box (image, 1, 1, 100.5, 5);
    g_assert_false (limner_store_insert_shape (f->store, bad, &error));
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(LimnerShape) bad = make_box (image, 5, 5, 1, 1);
    g_assert_false (limner_store_insert_shape (f->store, bad, &error));
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(LimnerShape) bad = limner_shape_new (LIMNER_SHAPE_POLYGON);
    bad->image_id = image;
    g_array_append_vals (bad->points, tri, 4);
    g_assert_false (limner_store_insert_shape (f->store, bad, &error));
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(LimnerShape) bad = make_box (image, 1, 1, 5, 5);
    bad->label_id = 4242;
    g_assert_false (limner_store_insert_shape (f->store, bad, &error));
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_cmpint (limner_store_count_shapes (f->store), ==, 2);

  /* Update, delete, and restore with the same id (undo of a delete). */
  g_array_index (box->points, double, 2) = 50;
  g_assert_true (limner_store_update_shape (f->store, box, &error));
  g_assert_no_error (error);
  g_clear_pointer (&got, limner_shape_free);
  got = limner_store_get_shape (f->store, box->id, &error);
  g_assert_cmpfloat (g_array_index (got->points, double, 2), ==, 50);

  id = box->id;
  g_assert_true (limner_store_delete_shape (f->store, id, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_count_shapes (f->store), ==, 1);
  g_assert_true (limner_store_insert_shape (f->store, box, &error));
  g_assert_no_error (error);
  g_assert_cmpint (box->id, ==, id);

  shapes = limner_store_list_shapes (f->store, image, &error);
  g_assert_cmpuint (shapes->len, ==, 2);
  g_assert_cmpint (((LimnerShape *) shapes->pdata[0])->id, <, ((LimnerShape *) shapes->pdata[1])->id);
}

static gboolean
count_shape (const LimnerShape *shape, gpointer user_data)
{
  (*(int *) user_data)++;
  return TRUE;
}

static void
test_foreach_and_events (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) before = limner_store_list_events (f->store, 0, 0, &error);
  gint64 image = add_image (f->store, "a.jpg", SHA_A, 100, 80);
  guint n0 = before->len;
  int n = 0;

  /* project.create (and, for a team, project.image_root) */
  g_assert_cmpuint (n0, ==, limner_test_backend_is_pg () ? 2 : 1);
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(LimnerShape) s = make_box (image, i, i, i + 5, i + 5);
      g_assert_true (limner_store_insert_shape (f->store, s, &error));
    }
  g_assert_true (limner_store_foreach_shape (f->store, count_shape, &n, &error));
  g_assert_cmpint (n, ==, 10);

  g_assert_true (limner_store_log_event (f->store, "image.open", image, 0, "{\"ms\": 5}", &error));
  events = limner_store_list_events (f->store, 0, 0, &error);
  g_assert_no_error (error);
  /* image.add, 10 x shape.add, image.open */
  g_assert_cmpuint (events->len, ==, n0 + 12);
  g_assert_cmpstr (((LimnerEvent *) events->pdata[n0 + 11])->kind, ==, "image.open");
  g_assert_cmpstr (((LimnerEvent *) events->pdata[n0 + 11])->detail, ==, "{\"ms\": 5}");
  g_assert_cmpstr (((LimnerEvent *) events->pdata[n0])->kind, ==, "image.add");
}

static void
test_queue (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) ann1 = NULL;
  g_autoptr(LimnerStore) ann2 = NULL;
  g_autoptr(LimnerImageRecord) got1 = NULL;
  g_autoptr(LimnerImageRecord) got2 = NULL;
  g_autoptr(LimnerImageRecord) none = NULL;
  g_autoptr(LimnerShape) shape = NULL;
  gint64 a, b;

  a = add_image (f->store, "a.jpg", SHA_A, 100, 80);
  b = add_image (f->store, "b.jpg", SHA_B, 100, 80);
  g_assert_true (limner_store_set_user_roles (f->store, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->store, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  ann1 = limner_store_open (f->dir, "ann1", &error);
  ann2 = limner_store_open (f->dir, "ann2", &error);
  g_assert_no_error (error);

  /* Two annotators never hold the same image. */
  got1 = limner_store_claim_next (ann1, &error);
  g_assert_no_error (error);
  got2 = limner_store_claim_next (ann2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got1->id, ==, a);
  g_assert_cmpint (got2->id, ==, b);
  g_assert_cmpint (got1->status, ==, LIMNER_IMAGE_IN_PROGRESS);
  g_assert_cmpstr (got1->assignee, ==, "ann1");
  none = limner_store_claim_next (ann2, &error);
  g_assert_no_error (error);
  /* ann2 already holds b: claim_next gives it back, not a. */
  g_assert_cmpint (none->id, ==, b);
  g_assert_false (limner_store_claim (ann2, a, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "ann1"));
  g_clear_error (&error);

  /* An annotator edits only what they hold. */
  shape = make_box (a, 1, 1, 5, 5);
  g_assert_false (limner_store_insert_shape (ann2, shape, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (limner_store_insert_shape (ann1, shape, &error));
  g_assert_no_error (error);

  /* Submit; then ann1's queue moves on to nothing. */
  g_assert_true (limner_store_set_image_status (ann1, a, LIMNER_IMAGE_SUBMITTED, &error));
  g_assert_no_error (error);
  g_assert_false (limner_store_set_image_status (ann1, a, LIMNER_IMAGE_SUBMITTED, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&none, limner_image_record_free);
  none = limner_store_claim_next (ann1, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* Rejected work goes back to its annotator, and only to them. */
  g_assert_true (limner_store_add_review (f->store, a, FALSE, "Box too loose", &error));
  g_assert_no_error (error);
  g_clear_pointer (&none, limner_image_record_free);
  none = limner_store_get_image (f->store, a, &error);
  g_assert_cmpint (none->status, ==, LIMNER_IMAGE_REJECTED);
  g_assert_cmpstr (none->assignee, ==, "ann1");
  g_assert_true (limner_store_set_image_status (ann2, b, LIMNER_IMAGE_SUBMITTED, &error));
  g_clear_pointer (&none, limner_image_record_free);
  none = limner_store_claim_next (ann2, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  none = limner_store_claim_next (ann1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_cmpint (none->id, ==, a);
}

static void
test_stale_claim (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) ann1 = NULL;
  g_autoptr(LimnerStore) ann2 = NULL;
  g_autoptr(LimnerImageRecord) got = NULL;
  gint64 a = add_image (f->store, "a.jpg", SHA_A, 100, 80);

  g_assert_true (limner_store_set_user_roles (f->store, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (f->store, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  ann1 = limner_store_open (f->dir, "ann1", &error);
  ann2 = limner_store_open (f->dir, "ann2", &error);
  g_assert_true (limner_store_claim (ann1, a, &error));
  g_assert_no_error (error);
  g_assert_false (limner_store_claim (ann2, a, &error));
  g_clear_error (&error);

  /* Age the claim past the timeout, as an idle holder's would be. */
  g_assert_true (limner_store_set_setting (f->store, "claim_timeout", "60", &error));
  g_assert_cmpint (raw_sql (f->dir, "UPDATE images SET claimed_at = claimed_at - 3600"), ==, SQLITE_OK);
  got = limner_store_claim_next (ann2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpint (got->id, ==, a);
  g_assert_cmpstr (got->assignee, ==, "ann2");
}

static void
test_version_triggers (Fixture *f, gconstpointer data)
{
  /* The triggers refuse changes to a sealed version whoever writes. */
  g_assert_cmpint (raw_sql (f->dir,
                            "INSERT INTO versions (number, author, created_at, message, policy) "
                            "VALUES (1, 'lead', 0, 'first', 'done');"
                            "INSERT INTO version_images VALUES (1, 1, 'a.jpg', 'x', 1, 1, 1, 'jpeg', 'accepted');"
                            "UPDATE versions SET sealed = 1 WHERE number = 1;"),
                   ==, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "UPDATE versions SET message = 'changed'"), !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "DELETE FROM versions"), !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "UPDATE version_images SET sha256 = 'y'"), !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "DELETE FROM version_images"), !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "INSERT INTO version_images VALUES (1, 2, 'b.jpg', 'x', 1, 1, 1, 'jpeg', 'accepted')"),
                   !=, SQLITE_OK);
  g_assert_cmpint (raw_sql (f->dir, "INSERT INTO version_shapes VALUES "
                                    "(1, 1, 1, NULL, 'box', x'00', 0, 'manual', 1, 'x', 0, 0)"),
                   !=, SQLITE_OK);
}

/* Tool and canvas keys, and another label's position digit, are refused as
 * hotkeys in either case, with a sentence naming the label and the key. */
static void
test_label_reserved_hotkeys (Fixture *f, gconstpointer data)
{
  const char *const reserved[] = { "v", "b", "p", "w", "a", "r", "h", "l", "t", "k", "V", "W", "A", "R", "T" };
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerLabel) label = NULL;
  gint64 id;

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", reserved[i]);

      g_assert_cmpint (limner_store_add_label (f->store, "car", NULL, reserved[i], NULL, &error), ==, 0);
      g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "Label “car”"));
      g_assert_nonnull (strstr (error->message, quoted));
      g_clear_error (&error);
    }
  /* The first label may repeat its own digit, not another position's. */
  g_assert_cmpint (limner_store_add_label (f->store, "car", NULL, "2", NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“2”"));
  g_clear_error (&error);
  id = limner_store_add_label (f->store, "car", NULL, "1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_add_label (f->store, "bus", NULL, "x", NULL, &error), >, 0);
  g_assert_no_error (error);

  label = limner_store_get_label (f->store, id, &error);
  g_assert_no_error (error);
  g_free (label->hotkey);
  label->hotkey = g_strdup ("B");
  g_assert_false (limner_store_update_label (f->store, label, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“B”"));
  g_clear_error (&error);
  g_free (label->hotkey);
  label->hotkey = g_strdup ("2");
  g_assert_false (limner_store_update_label (f->store, label, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (label->hotkey);
  label->hotkey = g_strdup ("c");
  g_assert_true (limner_store_update_label (f->store, label, &error));
  g_assert_no_error (error);
}

/* Control characters (C0, DEL, C1) are refused in label names, and the
 * message shows them escaped, never raw. */
static void
test_label_control_characters (Fixture *f, gconstpointer data)
{
  const char *const names[] = {
    "car\033[31m", "bell\a", "cr\r", "line\nfeed", "tab\tbed", "del\177", "next\302\205line",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *m;

      g_assert_cmpint (limner_store_add_label (f->store, names[i], NULL, NULL, NULL, &error), ==, 0);
      g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "control characters"));
      for (m = error->message; *m != '\0'; m = g_utf8_next_char (m))
        {
          gunichar c = g_utf8_get_char (m);

          g_assert_false (c < 0x20 || (c >= 0x7f && c <= 0x9f));
        }
      g_clear_error (&error);
    }
  g_assert_cmpint (limner_store_add_label (f->store, names[0], NULL, NULL, NULL, &error), ==, 0);
  g_assert_nonnull (strstr (error->message, "car\\033[31m"));
  g_clear_error (&error);

  labels = limner_store_list_labels (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 0);
  g_assert_cmpint (limner_store_add_label (f->store, "café", NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
}

/* Labels created without a colour get distinct ones, however many. */
static void
test_label_default_colors (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (limner_store_begin (f->store, &error));
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("label %d", i);

      g_assert_cmpint (limner_store_add_label (f->store, name, NULL, NULL, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (limner_store_commit (f->store, &error));

  labels = limner_store_list_labels (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 100);
  for (guint i = 0; i < labels->len; i++)
    {
      const LimnerLabel *label = labels->pdata[i];
      g_autofree char *expected = limner_label_default_color (i);

      g_assert_cmpstr (label->color, ==, expected);
      g_assert_true (g_regex_match_simple ("^#[0-9a-f]{6}$", label->color, 0, 0));
      g_assert_false (g_hash_table_contains (seen, label->color));
      g_hash_table_add (seen, label->color);
    }
  g_assert_cmpstr (((LimnerLabel *) labels->pdata[0])->color, ==, "#e01b24");
}

/* With nothing done, publish says how to publish the work that has shapes. */
static void
test_publish_nothing_done (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  add_image (f->store, "a.jpg", SHA_A, 100, 100);
  g_assert_cmpint (limner_store_publish (f->store, "first", LIMNER_PUBLISH_DONE, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--policy with-shapes"));
  g_clear_error (&error);
  g_assert_cmpint (limner_store_publish (f->store, "first", LIMNER_PUBLISH_ALL, &error), ==, 1);
  g_assert_no_error (error);
}

/* Opens the project as a user who may read but not write it, and checks
 * that it reads and refuses writes. Runs in a child process. */
static void
read_only_child (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) labels = NULL;

  store = limner_store_open (dir, "lead", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_is_read_only (store));
  labels = limner_store_list_labels (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 1);
  g_assert_cmpint (limner_store_count_images (store, -1), ==, 1);

  g_assert_cmpint (limner_store_add_label (store, "bus", NULL, NULL, NULL, &error), ==, 0);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "is read-only"));
  g_clear_error (&error);
  g_assert_false (limner_store_begin (store, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_READ_ONLY);
}

/* A project whose folder and database are not writable opens read-only.
 * Tests run as root in CI, where access() grants everything: the child
 * then drops to the unprivileged user "nobody" so that the real check
 * runs. */
static void
test_read_only_project (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (f->dir);
  g_autofree char *db = g_build_filename (f->dir, LIMNER_STORE_DB_NAME, NULL);
  int status = 0;
  pid_t pid;

  g_assert_false (limner_store_is_read_only (f->store));
  g_assert_cmpint (limner_store_add_label (f->store, "car", NULL, NULL, NULL, &error), >, 0);
  add_image (f->store, "a.jpg", SHA_A, 100, 100);
  g_clear_object (&f->store);

  g_assert_cmpint (g_chmod (parent, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (3);
      read_only_child (f->dir);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  /* Writable again, it opens read-write. */
  f->store = limner_store_open (f->dir, "lead", &error);
  g_assert_no_error (error);
  g_assert_false (limner_store_is_read_only (f->store));
}

/* Adding a label finds the next position through the position index, not
 * by visiting every label: a bulk --create-labels of 100,000 labels once
 * took five minutes. Checked on the query plan, not on a clock. */
static void
test_label_position_indexed (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "project.db", NULL);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *plan = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "EXPLAIN QUERY PLAN SELECT COALESCE(max(position) + 1, 0) FROM labels",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "labels_position"));
  g_assert_null (strstr (plan->str, "SCAN labels\n"));
  g_string_free (plan, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/store/create-and-reopen", test_create_and_reopen);
  ADD ("/core/store/newer-schema-refused", test_newer_schema_refused);
  ADD ("/core/store/roles", test_roles);
  ADD ("/core/store/labels", test_labels);
  ADD ("/core/store/label-reserved-hotkeys", test_label_reserved_hotkeys);
  ADD ("/core/store/label-control-characters", test_label_control_characters);
  ADD ("/core/store/label-default-colors", test_label_default_colors);
  ADD ("/core/store/publish-nothing-done", test_publish_nothing_done);
  ADD ("/core/store/images", test_images);
  ADD ("/core/store/batch-rollback", test_batch_rollback);
  ADD ("/core/store/write-lock", test_write_lock);
  ADD ("/core/store/shapes", test_shapes);
  ADD ("/core/store/row-version-conflict", test_row_version_conflict);
  ADD ("/core/store/foreach-and-events", test_foreach_and_events);
  ADD ("/core/store/queue", test_queue);
  ADD ("/core/store/stale-claim", test_stale_claim);
  ADD ("/core/store/version-triggers", test_version_triggers);
  /* SQLite's own file: WAL, pragmas, schema checks and migrations of a
   * project.db, its permissions, the query planner. */
  if (!limner_test_backend_is_pg ())
    {
      ADD ("/core/store/wal-and-foreign-keys", test_wal_and_foreign_keys);
      g_test_add_func ("/core/store/missing-and-foreign", test_missing_and_foreign);
      g_test_add_func ("/core/store/migrate", test_migration_from_empty);
      g_test_add_func ("/core/store/migration-is-atomic", test_migration_is_atomic);
      ADD ("/core/store/label-position-indexed", test_label_position_indexed);
      ADD ("/core/store/read-only-project", test_read_only_project);
    }
  ADD ("/core/store/watch", test_watch);
#undef ADD

  return g_test_run ();
}
