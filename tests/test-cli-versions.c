/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli publish, versions, diff, export and check, run as a program
 * (LIMNER_CLI) on a project made through the core API: a folder, or a
 * database on a throwaway PostgreSQL server (limner-test-backend.h). */

#include "config.h"

#include <jansson.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-check.h"
#include "limner-import.h"
#include "limner-core.h"
#include "limner-store.h"
#include "limner-test-backend.h"
#include "limner-test-images.h"

#define LEAD "lead1"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  Run r = { 0 };
  int wait_status;
  va_list ap;

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    g_error ("limner-cli died of signal %d; stderr: %s", WTERMSIG (wait_status), r.err);
  r.status = WEXITSTATUS (wait_status);
  if (r.status != 0)
    g_test_message ("limner-cli exited with %d: %s", r.status, r.err);
  return r;
}

static json_t *
parse_json (const char *text)
{
  json_error_t jerr;
  json_t *value = json_loads (text, JSON_REJECT_DUPLICATES, &jerr);

  if (value == NULL)
    g_error ("limner-cli printed invalid JSON (%s): %s", jerr.text, text);
  return value;
}

/* The path the store keeps for the image file `name`: relative to the
 * project folder on SQLite; on a server, which has no folder, the absolute
 * path of a file among the test's scratch files. */
static char *
stored_path (const char *dir, const char *name)
{
  g_autofree char *files = NULL;

  if (!limner_test_backend_is_pg ())
    return g_strdup (name);
  files = limner_test_backend_files_dir (dir);
  return g_build_filename (files, name, NULL);
}

/* The image file `name` on disk. */
static char *
image_file (const char *dir, const char *name)
{
  g_autofree char *files = limner_test_backend_files_dir (dir);

  return g_build_filename (files, name, NULL);
}

static void
add_image (LimnerStore *store, const char *dir, const char *name, LimnerImageStatus status,
           gint64 label, double x1)
{
  g_autofree char *path = image_file (dir, name);
  g_autofree char *rel = stored_path (dir, name);
  g_autofree char *sha = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double box[] = { 1, 2, x1, 20 };
  gint64 size = 0;
  gint64 id;

  test_write_png (path, 32, 32);
  sha = limner_import_hash_file (path, &size, NULL, &error);
  g_assert_no_error (error);
  id = limner_store_add_image (store, rel, sha, size, 32, 32, "png", &error);
  g_assert_no_error (error);

  shape->image_id = id;
  shape->label_id = label;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);

  if (status == LIMNER_IMAGE_NEW)
    return;
  g_assert_true (limner_store_set_image_status (store, id, LIMNER_IMAGE_IN_PROGRESS, &error));
  g_assert_true (limner_store_set_image_status (store, id, LIMNER_IMAGE_SUBMITTED, &error));
  if (status == LIMNER_IMAGE_ACCEPTED)
    g_assert_true (limner_store_set_image_status (store, id, LIMNER_IMAGE_ACCEPTED, &error));
  g_assert_no_error (error);
}

/* Two done images (a, b) and a new one (c), each with one box. */
static char *
make_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  char *dir = limner_test_backend_new_project (LEAD);
  gint64 cat;

  store = limner_store_create (dir, "CLI", LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, &error));
  g_assert_true (limner_store_set_user_roles (store, "ann", LIMNER_ROLE_ANNOTATOR, &error));
  cat = limner_store_add_label (store, "cat", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  add_image (store, dir, "a.png", LIMNER_IMAGE_ACCEPTED, cat, 10);
  add_image (store, dir, "b.png", LIMNER_IMAGE_SUBMITTED, cat, 11);
  add_image (store, dir, "c.png", LIMNER_IMAGE_NEW, cat, 12);
  return dir;
}

static void
test_publish_and_versions (void)
{
  char *dir = make_project ();
  g_auto(Run) r = { 0 };
  json_t *j;

  /* -m is required, and a short option. */
  r = cli ("publish", dir, "--user", LEAD, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "-m MESSAGE"));
  run_clear (&r);

  r = cli ("publish", "-m", "first labels", dir, "--user", LEAD, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "1\n");
  run_clear (&r);

  r = cli ("publish", dir, "--policy", "all", "--json", "--user", LEAD, "--message", "everything", NULL);
  g_assert_cmpint (r.status, ==, 0);
  j = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (j, "number")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (j, "parent")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (j, "images")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (j, "shapes")), ==, 3);
  g_assert_cmpstr (json_string_value (json_object_get (j, "policy")), ==, "all");
  g_assert_cmpstr (json_string_value (json_object_get (j, "author")), ==, LEAD);
  json_decref (j);
  run_clear (&r);

  r = cli ("publish", dir, "-m", "x", "--policy", "some", "--user", LEAD, NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  /* Only a lead publishes. */
  r = cli ("publish", dir, "-m", "mine", "--user", "ann", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "lead"));
  run_clear (&r);

  r = cli ("versions", dir, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  j = parse_json (r.out);
  {
    json_t *versions = json_object_get (j, "versions");

    g_assert_cmpuint (json_array_size (versions), ==, 2);
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (versions, 0), "message")),
                     ==, "first labels");
    g_assert_cmpint (json_integer_value (json_object_get (json_array_get (versions, 0), "images")),
                     ==, 2);
    g_assert_true (json_is_null (json_object_get (json_array_get (versions, 0), "parent")));
  }
  json_decref (j);
  run_clear (&r);

  r = cli ("versions", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "first labels"));
  g_assert_nonnull (strstr (r.out, "everything"));

  limner_test_backend_remove (dir);
}

static void
test_export_and_check (void)
{
  char *dir = make_project ();
  g_autofree char *files = limner_test_backend_files_dir (dir);
  g_autofree char *out = g_build_filename (files, "export", NULL);
  g_autofree char *out2 = g_build_filename (files, "export2", NULL);
  g_autofree char *dataset = g_build_filename (out, "dataset.json", NULL);
  g_autofree char *image = image_file (dir, "a.png");
  g_autofree char *data = NULL;
  g_autofree char *data2 = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0 };
  gsize len = 0, len2 = 0;
  json_t *j;

  r = cli ("publish", dir, "-m", "v1", "--user", LEAD, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("export", dir, "--format", "nope", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "limner"));
  run_clear (&r);

  r = cli ("export", dir, "--format", "limner", "--out", out, "--version", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  j = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (j, "version")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (j, "images")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (j, "files")), ==, 1);
  g_assert_cmpuint (strlen (json_string_value (json_object_get (j, "content_sha256"))), ==, 64);
  json_decref (j);
  run_clear (&r);

  /* Without --version: the latest version; the same bytes. */
  r = cli ("export", "--out", out2, dir, "--format", "limner", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_assert_true (g_file_get_contents (dataset, &data, &len, &error));
  {
    g_autofree char *dataset2 = g_build_filename (out2, "dataset.json", NULL);
    g_assert_true (g_file_get_contents (dataset2, &data2, &len2, &error));
  }
  g_assert_cmpmem (data, len, data2, len2);

  r = cli ("export", dir, "--format", "limner", "--version", "7", "--out", out2, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "version 7"));
  run_clear (&r);

  /* The project and the export are intact. */
  r = cli ("check", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("check", dir, "--export", out, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  j = parse_json (r.out);
  g_assert_true (json_is_true (json_object_get (j, "ok")));
  g_assert_cmpint (json_integer_value (json_object_get (j, "hashed")), ==, 2);
  json_decref (j);
  run_clear (&r);

  /* One byte of the export changed. */
  data[len / 2] ^= 0x01;
  g_assert_true (g_file_set_contents (dataset, data, len, &error));
  r = cli ("check", dir, "--export", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "dataset.json: the content differs from the manifest"));
  run_clear (&r);
  data[len / 2] ^= 0x01;
  g_assert_true (g_file_set_contents (dataset, data, len, &error));

  /* A file the manifest does not list: named, in text and in JSON. */
  {
    g_autofree char *stray = g_build_filename (out, "notes.txt", NULL);
    json_t *detail;

    g_assert_true (g_file_set_contents (stray, "hello\n", -1, &error));
    r = cli ("check", dir, "--export", out, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "notes.txt: in the export folder but not in the manifest"));
    run_clear (&r);
    r = cli ("check", dir, "--export", out, "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);
    j = parse_json (r.out);
    g_assert_cmpuint (json_array_size (json_object_get (j, "details")), ==, 1);
    detail = json_array_get (json_object_get (j, "details"), 0);
    g_assert_cmpstr (json_string_value (json_object_get (detail, "kind")), ==, "stray-file");
    g_assert_cmpstr (json_string_value (json_object_get (detail, "item")), ==, "notes.txt");
    json_decref (j);
    run_clear (&r);
    g_assert_cmpint (g_unlink (stray), ==, 0);
  }

  /* One byte of an image changed: check and check --export name it;
   * --quick (sizes only) does not see it. */
  {
    g_autofree char *pixels = NULL;
    gsize n = 0;

    g_assert_true (g_file_get_contents (image, &pixels, &n, &error));
    pixels[n - 20] ^= 0x01;
    g_assert_true (g_file_set_contents (image, pixels, n, &error));
  }
  r = cli ("check", dir, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "a.png (image 1): the file changed"));
  run_clear (&r);
  r = cli ("check", dir, "--quick", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("check", dir, "--export", out, "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  j = parse_json (r.out);
  g_assert_true (json_is_false (json_object_get (j, "ok")));
  g_assert_cmpuint (json_array_size (json_object_get (j, "problems")), ==, 1);
  g_assert_nonnull (strstr (json_string_value (json_array_get (json_object_get (j, "problems"), 0)),
                            "a.png: the image file changed since the export"));
  json_decref (j);
  run_clear (&r);

  /* A folder that is no export. */
  r = cli ("check", dir, "--export", files, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "manifest.json"));

  limner_test_backend_remove (dir);
}

static void
test_diff (void)
{
  char *dir = make_project ();
  g_autofree char *c_png = stored_path (dir, "c.png");
  g_autofree char *c_added = g_strdup_printf ("+ %s", c_png);
  g_auto(Run) r = { 0 };
  json_t *j;

  r = cli ("publish", dir, "-m", "done", "--user", LEAD, NULL);
  run_clear (&r);
  r = cli ("publish", dir, "-m", "all", "--policy", "all", "--user", LEAD, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("diff", dir, "1", "2", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  j = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (j, "images"), "added")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (j, "images"), "unchanged")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (j, "shapes"), "added")), ==, 1);
  {
    json_t *cat = json_array_get (json_object_get (j, "labels"), 0);

    g_assert_cmpstr (json_string_value (json_object_get (cat, "name")), ==, "cat");
    g_assert_cmpint (json_integer_value (json_object_get (cat, "a")), ==, 2);
    g_assert_cmpint (json_integer_value (json_object_get (cat, "b")), ==, 3);
    g_assert_cmpint (json_integer_value (json_object_get (cat, "added")), ==, 1);
  }
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (j, "image_changes"), 0),
                                                       "file")), ==, c_png);
  json_decref (j);
  run_clear (&r);

  r = cli ("diff", dir, "1", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, c_added));
  run_clear (&r);

  r = cli ("diff", dir, "2", "draft", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("diff", dir, "1", "x", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  r = cli ("diff", dir, "1", "9", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "version 9"));

  limner_test_backend_remove (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  test_tolerate_vips_warnings ();

  g_test_add_func ("/cli/versions/publish", test_publish_and_versions);
  g_test_add_func ("/cli/versions/export-check", test_export_and_check);
  g_test_add_func ("/cli/versions/diff", test_diff);
  return g_test_run ();
}
