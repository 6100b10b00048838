/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-export.c: how long exporting 100,000 polygons takes.
 *
 * Makes a project in a temporary folder with 1,000 image records of
 * 4,000 x 3,000 pixels and N polygons (100,000 by default) of 12 vertices at
 * arbitrary double coordinates (so every number takes the slow, exact
 * formatting path), spread evenly over the images and five labels. Then
 * times limner_export_run() from the draft for each format, with images=none
 * (copying image files measures the disk, not the exporter). Reports the
 * best of R runs per format.
 *
 *   limner-bench export [--shapes N] [--runs R] [--format F] [--json]
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-export.h"
#include "bench-export.h"

#define N_IMAGES   1000
#define IMAGE_W    4000
#define IMAGE_H    3000
#define N_VERTICES 12

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          rm_rf (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

static gboolean
fill_project (LimnerStore *store, guint n_shapes, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 labels[5];
  gint64 *images = g_new (gint64, N_IMAGES);
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (labels) && ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("class%u", i);

      labels[i] = limner_store_add_label (store, name, NULL, NULL, NULL, error);
      ok = labels[i] > 0;
    }
  for (guint i = 0; i < N_IMAGES && ok; i++)
    {
      g_autofree char *path = g_strdup_printf ("images/%04u.jpg", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);

      images[i] = limner_store_add_image (store, path, sha, 100000, IMAGE_W, IMAGE_H, "jpeg", error);
      ok = images[i] > 0;
    }

  ok = ok && limner_store_begin (store, error);
  for (guint s = 0; s < n_shapes && ok; s++)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double cx = g_rand_double_range (rand, 100, IMAGE_W - 100);
      double cy = g_rand_double_range (rand, 100, IMAGE_H - 100);

      shape->image_id = images[s % N_IMAGES];
      shape->label_id = labels[s % G_N_ELEMENTS (labels)];
      for (guint v = 0; v < N_VERTICES; v++)
        {
          double a = 2 * G_PI * v / N_VERTICES;
          double r = g_rand_double_range (rand, 20, 90);
          double xy[2] = { cx + r * cos (a), cy + r * sin (a) };

          g_array_append_vals (shape->points, xy, 2);
        }
      ok = limner_store_insert_shape (store, shape, error);
    }
  if (ok)
    ok = limner_store_commit (store, error);
  else if (limner_store_in_batch (store))
    limner_store_rollback (store);
  g_free (images);
  return ok;
}

int
limner_bench_export (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerDataset) ds = NULL;
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *project = NULL;
  g_autofree char *only = NULL;
  static const char * const formats[] = { "coco", "yolo", "voc", "labelme", "csv", "limner" };
  int n_shapes = 100000;
  int runs = 3;
  gboolean json = FALSE;
  double t0, fill_s;
  int status = 0;
  GOptionEntry entries[] = {
    { "shapes", 0, 0, G_OPTION_ARG_INT, &n_shapes, "Number of polygons (default 100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per format; the best counts (default 3)", "R" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &only, "Only this format", "F" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Machine-readable output", NULL },
    { NULL }
  };

  context = g_option_context_new ("- export speed");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_shapes < 1 || runs < 1)
    {
      g_printerr ("--shapes and --runs must be positive\n");
      return 2;
    }

  tmp = g_dir_make_tmp ("limner-bench-export-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  project = g_build_filename (tmp, "project", NULL);
  store = limner_store_create (project, "Bench", "bench", &error);
  t0 = now_s ();
  if (store == NULL || !fill_project (store, n_shapes, &error))
    {
      g_printerr ("%s\n", error->message);
      rm_rf (tmp);
      return 1;
    }
  fill_s = now_s () - t0;
  ds = limner_dataset_open (store, 0, &error);
  if (ds == NULL)
    {
      g_printerr ("%s\n", error->message);
      rm_rf (tmp);
      return 1;
    }

  options = g_hash_table_new (g_str_hash, g_str_equal);
  if (json)
    printf ("{\"shapes\": %d, \"images\": %d, \"vertices\": %d, \"fill_s\": %.3f, \"export_s\": {",
            n_shapes, N_IMAGES, N_VERTICES, fill_s);
  else
    printf ("%d polygons of %d vertices on %d images (made in %.2f s); best of %d runs:\n",
            n_shapes, N_VERTICES, N_IMAGES, fill_s, runs);

  for (guint f = 0, printed = 0; f < G_N_ELEMENTS (formats); f++)
    {
      double best = G_MAXDOUBLE;

      if (only != NULL && !g_str_equal (only, formats[f]))
        continue;
      g_hash_table_remove_all (options);
      if (!g_str_equal (formats[f], "limner"))
        g_hash_table_insert (options, (char *) "images", (char *) "none");
      for (int r = 0; r < runs; r++)
        {
          /* A new folder each run, as a real export: removing thousands of
           * files first would time the file system's inode reuse. */
          g_autofree char *name = g_strdup_printf ("%s-%d", formats[f], r);
          g_autofree char *out = g_build_filename (tmp, name, NULL);
          double t;

          t = now_s ();
          if (!limner_export_run (formats[f], ds, out, options, NULL, NULL, NULL, &error))
            {
              g_printerr ("%s: %s\n", formats[f], error->message);
              status = 1;
              break;
            }
          best = MIN (best, now_s () - t);
        }
      if (status != 0)
        break;
      if (json)
        printf ("%s\"%s\": %.3f", printed++ ? ", " : "", formats[f], best);
      else
        printf ("  %-8s %6.3f s  (%.0f polygons/s)\n", formats[f], best, n_shapes / best);
    }
  if (json)
    printf ("}}\n");

  g_clear_pointer (&ds, limner_dataset_free);
  g_clear_object (&store);
  rm_rf (tmp);
  return status;
}
