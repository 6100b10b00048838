/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli and the image root, run as a program (LIMNER_CLI): `settings`
 * sets the project's root and this user's local folder for it, --image-root
 * gives the folder for one run, `assist` refuses a missing or changed file
 * with a message naming it, and `relink` takes only the recorded bytes. */

#include "config.h"

#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>
#include <sys/wait.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-store.h"
#include "limner-test-util.h"

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

/* A grey image with a bright square, so that the wand finds something. */
static void
write_image (const char *path,
             int         shade)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int w = 80, h = 60;
  g_autofree guint8 *rgb = g_malloc ((gsize) w * h * 3);
  VipsImage *image;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        rgb[((gsize) y * w + x) * 3 + c] = x >= 20 && x < 50 && y >= 10 && y < 40 ? 240 : shade;
  image = vips_image_new_from_memory (rgb, (gsize) w * h * 3, w, h, 3, VIPS_FORMAT_UCHAR);
  g_assert_cmpint (vips_pngsave (image, path, NULL), ==, 0);
  g_object_unref (image);
}

static const char *
json_str (json_t *obj, const char *key)
{
  return json_string_value (json_object_get (obj, key));
}

static void
test_image_root (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("limner-cli-image-root-XXXXXX", NULL);
  g_autofree char *project = g_build_filename (tmp, "proj", NULL);
  g_autofree char *share = g_build_filename (tmp, "srv", "share", NULL);
  g_autofree char *cars = g_build_filename (share, "cars", NULL);
  g_autofree char *image = g_build_filename (cars, "car.png", NULL);
  g_autofree char *mount = g_build_filename (tmp, "mnt", "data", NULL);
  g_autofree char *mounted = g_build_filename (mount, "cars", "car.png", NULL);
  g_autofree char *backup = g_build_filename (tmp, "backup.png", NULL);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_autofree char *cache = g_build_filename (tmp, "cache", NULL);
  g_autoptr(GError) error = NULL;
  json_t *json;

  /* The child's mappings and cache, away from the user's. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  write_image (image, 90);

  {
    g_auto(Run) r = cli ("init", project, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = cli ("import", project, cars, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  /* No root yet: the project folder. */
  {
    g_auto(Run) r = cli ("settings", project, "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json = parse_json (r.out);
    g_assert_true (json_is_null (json_object_get (json, "image_root")));
    g_assert_cmpstr (json_str (json, "image_folder"), ==, project);
    json_decref (json);
  }

  /* Bad usage, and a relative path is made absolute, not refused. */
  {
    g_auto(Run) r = cli ("settings", project, "colour", "red", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "colour"));
  }
  {
    g_auto(Run) r = cli ("settings", project, "image-root", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = cli ("settings", project, "local-image-root", mount, NULL);
    /* No root to map yet. */
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "no image root"));
  }

  /* The lead sets the root: the image's path becomes relative to it. */
  {
    g_auto(Run) r = cli ("settings", project, "image-root", share, "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json = parse_json (r.out);
    g_assert_cmpstr (json_str (json, "image_root"), ==, share);
    g_assert_cmpstr (json_str (json, "image_folder"), ==, share);
    json_decref (json);
  }
  {
    g_autoptr(LimnerStore) store = limner_store_open (project, NULL, &error);
    g_autoptr(LimnerImageRecord) record = NULL;

    g_assert_no_error (error);
    record = limner_store_get_image (store, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (record->path, ==, "cars/car.png");
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  /* This computer mounts the share elsewhere: the image is missing, and
   * the message names it, the path looked at, and what to do. */
  g_assert_cmpint (g_mkdir_with_parents (mount, 0755), ==, 0);
  {
    g_autofree char *moved = g_build_filename (mount, "cars", NULL);

    g_assert_cmpint (g_rename (cars, moved), ==, 0);
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", NULL);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "Image 1 (car.png) is missing"));
    g_assert_nonnull (strstr (r.err, image));
    g_assert_nonnull (strstr (r.err, "--image-root"));
  }
  /* --image-root for one run. */
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", "--image-root", mount, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "polygon"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", "--image-root", "/no/such/place", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "/no/such/place"));
  }
  /* The user's local folder, kept in their config, not in the project. */
  {
    g_auto(Run) r = cli ("settings", project, "local-image-root", mount, "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json = parse_json (r.out);
    g_assert_cmpstr (json_str (json, "local_image_root"), ==, mount);
    g_assert_cmpstr (json_str (json, "image_folder"), ==, mount);
    g_assert_cmpstr (json_str (json, "image_root"), ==, share);
    json_decref (json);
  }
  {
    g_autofree char *keys = g_build_filename (config, "limner", "image-folders.ini", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (keys, &text, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, mount));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  /* The file changes: refused unless asked, with the image named. */
  g_assert_cmpint (g_rename (mounted, backup), ==, 0);
  write_image (mounted, 60);
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", NULL);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "Image 1 (car.png) changed on disk"));
    g_assert_nonnull (strstr (r.err, mounted));
    g_assert_nonnull (strstr (r.err, "--allow-changed"));
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", "--allow-changed", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "changed on disk"));
  }

  /* Relink: the changed file is refused, the original accepted. */
  {
    g_auto(Run) r = cli ("relink", project, "1", mounted, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "SHA-256"));
  }
  {
    g_auto(Run) r = cli ("relink", project, "1", backup, "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json = parse_json (r.out);
    g_assert_cmpstr (json_str (json, "path"), ==, backup);
    json_decref (json);
  }
  {
    g_auto(Run) r = cli ("assist", project, "1", "wand", "30", "20", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  /* An annotator may not relink. */
  {
    g_auto(Run) add = cli ("users", project, "add", "alice", "--role", "annotator", NULL);
    g_auto(Run) r = cli ("relink", project, "1", backup, "--user", "alice", NULL);

    g_assert_cmpint (add.status, ==, 0);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "alice"));
  }

  /* Unset: back to the project folder. */
  {
    g_auto(Run) r = cli ("settings", project, "local-image-root", "--unset", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = cli ("settings", project, "image-root", "--unset", "--json", NULL);

    g_assert_cmpint (r.status, ==, 0);
    json = parse_json (r.out);
    g_assert_true (json_is_null (json_object_get (json, "image_root")));
    g_assert_true (json_is_null (json_object_get (json, "local_image_root")));
    json_decref (json);
  }

  limner_test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (limner_core_init (argv[0], &error));
  g_test_add_func ("/cli/image-root", test_image_root);
  return g_test_run ();
}
