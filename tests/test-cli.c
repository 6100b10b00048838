/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of limner-cli as a program: the contract in docs/architecture.md (arguments in
 * any order, --json, --user, exit statuses 0/1/2, clear errors). Built twice
 * (limner-test-backend.h): the project argument is a folder, or the URI of a
 * database on a throwaway PostgreSQL server, where --user connects as that
 * role. */

#include "config.h"

#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-test-backend.h"

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

static const char *
cli_path (void)
{
  const char *path = g_getenv ("LIMNER_CLI");

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  return path;
}

/* Runs limner-cli with a NULL-terminated argument list. */
static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run r = { 0 };
  int wait_status;
  va_list ap;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  r.status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    g_error ("limner-cli died of signal %d; stderr: %s", WTERMSIG (wait_status), r.err);
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

/* Where `demo` writes its images: inside the project folder on SQLite (the
 * default), a folder given with --out on a server, which has none. */
static char *
demo_images_dir (const char *proj)
{
  g_autofree char *files = limner_test_backend_files_dir (proj);

  return g_build_filename (files, "demo-images", NULL);
}

static Run
cli_demo (const char *proj, const char *n_images)
{
  g_autofree char *images = demo_images_dir (proj);

  if (limner_test_backend_is_pg ())
    return cli ("demo", proj, "--images", n_images, "--seed", "3", "--out", images, NULL);
  return cli ("demo", proj, "--images", n_images, "--seed", "3", NULL);
}

static void
test_usage_errors (void)
{
  Run r = cli (NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  r = cli ("frobnicate", "x", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "frobnicate"));
  run_clear (&r);

  r = cli ("info", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  r = cli ("info", "x", "--bogus", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--bogus"));
  run_clear (&r);

  r = cli ("init", "x", "--name", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  r = cli ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "limner-cli init"));
  run_clear (&r);
}

static void
test_init_and_info (void)
{
  char *proj = limner_test_backend_new_project ("alice");
  json_t *info, *images;
  Run r;

  /* Options before the positional argument. */
  r = cli ("init", "--name", "Street scenes", "--user", "alice", proj, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "alice"));
  run_clear (&r);

  r = cli ("init", proj, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already"));
  run_clear (&r);

  /* ... and after it. */
  r = cli ("info", proj, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  info = parse_json (r.out);
  images = json_object_get (info, "images");
  g_assert_cmpint (json_integer_value (json_object_get (images, "total")), ==, 0);
  g_assert_true (json_is_object (json_object_get (images, "by_status")));
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (images, "by_status"), "new")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (info, "shapes")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (info, "versions")), ==, 0);
  g_assert_cmpstr (json_string_value (json_object_get (info, "name")), ==, "Street scenes");
  g_assert_cmpuint (json_array_size (json_object_get (info, "users")), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (info, "users"), 0), "login")),
                   ==, "alice");
  json_decref (info);
  run_clear (&r);

  r = cli ("info", "/nonexistent/limner/project", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/limner/project"));
  run_clear (&r);
  limner_test_backend_remove (proj);
}

static void
test_labels_and_users (void)
{
  char *proj = limner_test_backend_new_project ("lead");
  json_t *labels, *users;
  Run r;

  r = cli ("init", proj, "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("labels", proj, "add", "car", "--color", "#ff0000", "--hotkey", "1",
           "--guide", "The whole vehicle", "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("labels", "--user", "lead", proj, "add", "person", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("labels", proj, "add", "bus", "--color", "blue", "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "blue"));
  run_clear (&r);

  r = cli ("labels", proj, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  labels = parse_json (r.out);
  g_assert_cmpuint (json_array_size (labels), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (labels, 0), "name")), ==, "car");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (labels, 0), "color")), ==, "#ff0000");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (labels, 0), "hotkey")), ==, "1");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (labels, 0), "guide")), ==, "The whole vehicle");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (labels, 1), "name")), ==, "person");
  json_decref (labels);
  run_clear (&r);

  r = cli ("users", proj, "add", "bob", "--role", "annotator,reviewer", "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("users", proj, "add", "carol", "--role", "boss", "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "boss"));
  run_clear (&r);

  /* Only a lead changes the schema or the users. */
  r = cli ("labels", proj, "add", "tree", "--user", "bob", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "bob"));
  run_clear (&r);
  r = cli ("users", proj, "add", "bob", "--role", "lead", "--user", "bob", NULL);
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);

  r = cli ("users", proj, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  users = parse_json (r.out);
  g_assert_cmpuint (json_array_size (users), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (users, 0), "login")), ==, "bob");
  g_assert_cmpuint (json_array_size (json_object_get (json_array_get (users, 0), "roles")), ==, 2);
  json_decref (users);
  run_clear (&r);
  limner_test_backend_remove (proj);
}

static void
test_demo_and_import (void)
{
  char *proj = limner_test_backend_new_project ("lead");
  g_autofree char *demo_dir = demo_images_dir (proj);
  json_t *info;
  Run r;

  /* A server has no project folder to put the images in, nor the exports. */
  if (limner_test_backend_is_pg ())
    {
      r = cli ("demo", proj, "--images", "5", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--out"));
      run_clear (&r);
    }

  r = cli_demo (proj, "5");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = cli ("info", proj, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  info = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (info, "images"), "total")), ==, 5);
  g_assert_cmpuint (json_array_size (json_object_get (info, "labels")), >, 0);
  json_decref (info);
  run_clear (&r);

  /* Importing the same folder again adds nothing: duplicates by hash. */
  r = cli ("import", proj, demo_dir, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  info = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (info, "added")), ==, 0);
  json_decref (info);
  run_clear (&r);

  r = cli ("import", proj, "/nonexistent/photos", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/photos"));
  run_clear (&r);

  if (limner_test_backend_is_pg ())
    {
      r = cli ("export", proj, "--format", "coco", "--draft", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--out"));
      run_clear (&r);
    }
  limner_test_backend_remove (proj);
}

static void
write_labelme (const char *dir, const char *image, const char *label)
{
  g_autofree char *stem = g_strndup (image, strlen (image) - strlen (".jpg"));
  g_autofree char *name = g_strconcat (stem, ".json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = g_strdup_printf ("{\"version\": \"5.0.1\", \"imagePath\": \"%s\", \"imageData\": null,"
                                           " \"shapes\": [{\"label\": \"%s\", \"shape_type\": \"rectangle\","
                                           " \"points\": [[2, 3], [20, 30]], \"group_id\": null}]}",
                                           image, label);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static gint64
count_shapes (const char *proj)
{
  Run r = cli ("info", proj, "--json", NULL);
  json_t *info;
  gint64 n;

  g_assert_cmpint (r.status, ==, 0);
  info = parse_json (r.out);
  n = json_integer_value (json_object_get (info, "shapes"));
  json_decref (info);
  run_clear (&r);
  return n;
}

/* Several PATHs in one import-annotations, one report; a missing label
 * names the option that creates it. */
static void
test_import_annotations_paths (void)
{
  char *demo = limner_test_backend_new_project ("lead");
  char *proj = limner_test_backend_new_project ("lead");
  g_autofree char *images = demo_images_dir (demo);
  g_autofree char *a = g_build_filename (images, "demo-3-0001.json", NULL);
  g_autofree char *b = g_build_filename (images, "demo-3-0002.json", NULL);
  json_t *report;
  Run r;

  r = cli_demo (demo, "2");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("init", proj, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("import", proj, images, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  write_labelme (images, "demo-3-0001.jpg", "person");
  write_labelme (images, "demo-3-0002.jpg", "car");

  r = cli ("import-annotations", proj, "--format", "labelme", a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "demo-3-0001.json"));
  g_assert_nonnull (strstr (r.err, "demo-3-0002.json"));
  g_assert_nonnull (strstr (r.err, "“person”"));
  g_assert_nonnull (strstr (r.err, "--create-labels"));
  g_assert_nonnull (strstr (r.out, "0 files imported, 2 failed"));
  run_clear (&r);
  g_assert_cmpint (count_shapes (proj), ==, 0);

  /* A missing path stops everything before the first file is read. */
  r = cli ("import-annotations", proj, "--format", "labelme", "--create-labels", a, "/nonexistent/b.json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/b.json"));
  run_clear (&r);
  g_assert_cmpint (count_shapes (proj), ==, 0);

  r = cli ("import-annotations", proj, a, "--format", "labelme", "--create-labels", b, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  report = parse_json (r.out);
  g_assert_cmpint (json_integer_value (json_object_get (report, "files_ok")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (report, "files_failed")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (report, "imported")), ==, 2);
  g_assert_cmpuint (json_array_size (json_object_get (report, "files")), ==, 2);
  json_decref (report);
  run_clear (&r);
  g_assert_cmpint (count_shapes (proj), ==, 2);
  limner_test_backend_remove (proj);
  limner_test_backend_remove (demo);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/init-and-info", test_init_and_info);
  g_test_add_func ("/cli/labels-and-users", test_labels_and_users);
  g_test_add_func ("/cli/demo-and-import", test_demo_and_import);
  g_test_add_func ("/cli/import-annotations-paths", test_import_annotations_paths);

  return g_test_run ();
}
