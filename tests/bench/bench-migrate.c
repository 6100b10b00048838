/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-migrate.c: how long limner_pg_migrate() takes (limner-cli migrate).
 *
 * Makes a project in a temporary folder with one image record per 100
 * shapes (at least 10), N polygons of 12 vertices (100,000 by default) over
 * five labels, each logged as an event, and a published version holding
 * them all; or takes an existing project (--project, which is not
 * changed). Starts a throwaway PostgreSQL server (as the tests do), and
 * times the migration into an empty database: copy, read-back and
 * comparison, commit.
 *
 *   limner-bench migrate [--shapes N] [--project DIR] [--json]
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "limner-core.h"
#include "limner-pg-migrate.h"
#include "limner-store-versions.h"
#include "limner-test-pg.h"
#include "limner-test-util.h"
#include "bench-migrate.h"

#define N_VERTICES 12

static gboolean
fill_project (LimnerStore *store, guint n_shapes, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint n_images = MAX (n_shapes / 100, 10);
  g_autofree gint64 *images = g_new (gint64, n_images);
  gint64 labels[5];
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (labels) && ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("class%u", i);

      labels[i] = limner_store_add_label (store, name, NULL, NULL, NULL, error);
      ok = labels[i] > 0;
    }
  ok = ok && limner_store_begin (store, error);
  for (guint i = 0; i < n_images && ok; i++)
    {
      g_autofree char *path = g_strdup_printf ("images/%06u.jpg", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);

      images[i] = limner_store_add_image (store, path, sha, 100000, 4000, 3000, "jpeg", error);
      ok = images[i] > 0;
    }
  for (guint s = 0; s < n_shapes && ok; s++)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double cx = g_rand_double_range (rand, 100, 3900);
      double cy = g_rand_double_range (rand, 100, 2900);

      shape->image_id = images[s % n_images];
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
  return ok && limner_store_publish (store, "bench", LIMNER_PUBLISH_ALL, error) > 0;
}

int
limner_bench_migrate (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LimnerPgMigrateResult) result = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *project = NULL;
  g_autofree char *uri = NULL;
  LimnerTestPg *server;
  int n_shapes = 100000;
  gboolean json = FALSE;
  double fill_s = 0, t0;
  GOptionEntry entries[] = {
    { "shapes", 0, 0, G_OPTION_ARG_INT, &n_shapes, "Number of polygons (default 100000)", "N" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &project, "Migrate this project instead", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Machine-readable output", NULL },
    { NULL }
  };

  context = g_option_context_new ("- migration to PostgreSQL");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_shapes < 1)
    {
      g_printerr ("--shapes must be positive\n");
      return 2;
    }

  tmp = g_dir_make_tmp ("limner-bench-migrate-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (project == NULL)
    {
      g_autoptr(LimnerStore) store = NULL;

      project = g_build_filename (tmp, "project", NULL);
      store = limner_store_create (project, "Bench", "bench", &error);
      t0 = g_get_monotonic_time () / 1e6;
      if (store == NULL || !fill_project (store, n_shapes, &error))
        {
          g_printerr ("%s\n", error->message);
          limner_test_rm_rf (tmp);
          return 1;
        }
      fill_s = g_get_monotonic_time () / 1e6 - t0;
    }

  server = limner_test_pg_start ();
  limner_test_pg_admin (server, "CREATE ROLE bench LOGIN CREATEROLE");
  limner_test_pg_admin (server, "CREATE DATABASE bench OWNER bench");
  uri = limner_test_pg_uri (server, "bench", "bench");
  if (!limner_pg_migrate (project, uri, NULL, NULL, &result, &error))
    {
      g_printerr ("%s\n", error->message);
      limner_test_pg_stop (server);
      limner_test_rm_rf (tmp);
      return 1;
    }
  limner_test_pg_stop (server);

  if (json)
    printf ("{\"project\": \"%s\", \"rows\": %" G_GINT64_FORMAT ", \"tables\": %u, \"fill_s\": %.3f, "
            "\"migrate_s\": %.3f}\n", result->project, result->n_rows, result->tables->len, fill_s,
            result->seconds);
  else
    printf ("%s: %" G_GINT64_FORMAT " rows in %u tables (project made in %.2f s) migrated and "
            "verified in %.2f s (%.0f rows/s)\n", result->project, result->n_rows, result->tables->len,
            fill_s, result->seconds, result->n_rows / result->seconds);
  limner_test_rm_rf (tmp);
  return 0;
}
