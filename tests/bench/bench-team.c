/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-team.c: an annotator's latency on a large team project.
 *
 * Starts a throwaway PostgreSQL 15 server (tests/limner-test-pg.h), then
 * for each project size (10,000, 30,000 and 100,000 images by default, ten
 * shapes each: 1,000,000 shapes at the largest) bulk-loads a project
 * directly on the server (INSERT ... SELECT generate_series, triggers off):
 * 60 % of the images accepted, 8 % in review, 2 % held by ten other
 * annotators, the rest new; one event per shape and two per image worked
 * on, the QC draws and reviews of the submitted ones. Then one annotator,
 * through the store as the GUI calls it, does OPS rounds (300) of: claim
 * the next image, add four boxes and move one (five saves), submit. Each
 * call is timed alone; the table gives the median and the 99th percentile
 * per size, so that a cost growing with the project shows.
 *
 * The server runs with fsync and synchronous_commit on (the test server
 * turns them off; --no-fsync keeps them off) but with the test server's
 * small shared_buffers (16 MB), on a Unix socket: no network round trip
 * is in these figures. */

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "limner-core.h"
#include "limner-store-qc.h"
#include "limner-test-pg-project.h"
#include "bench-team.h"

#define LEAD  "lead1"
#define WORKER "bench"

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
admin_exec (PGconn *conn, const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("the server refused “%.200s”: %s", sql, PQerrorMessage (conn));
  PQclear (res);
}

/* A box from (10, 10) to (50, 50), as the store packs points: four
 * little-endian doubles. */
#define BOX_HEX "'0000000000002440000000000000244000000000000049400000000000004940'"

/* Fills the project in `database` with `n` images of `per_image` shapes,
 * as the superuser, in one transaction with the triggers off (the event
 * stamp, the row versions and the notifications are for live writes). */
static void
bulk_load (LimnerTestPg *pg,
           const char   *database,
           guint         n,
           guint         per_image)
{
  g_autofree char *uri = limner_test_pg_uri (pg, database, "postgres");
  PGconn *conn = PQconnectdb (uri);
  guint accepted = n * 60 / 100, in_review = n * 68 / 100, held = n * 70 / 100;
  g_autofree char *images = NULL;
  g_autofree char *shapes = NULL;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect to %s: %s", database, PQerrorMessage (conn));
  admin_exec (conn, "BEGIN");
  admin_exec (conn, "SET LOCAL session_replication_role = replica");
  admin_exec (conn, "INSERT INTO labels (name, color, position) "
                    "SELECT 'label ' || g, '#3366cc', g FROM generate_series (1, 5) g");
  images = g_strdup_printf (
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, claimed_at, "
    "  last_annotator, added_at) "
    "SELECT format ('street/%%s.jpg', lpad (g::text, 7, '0')), encode (sha256 (g::text::bytea), 'hex'), "
    "  150000, 1920, 1080, 'jpeg', "
    "  CASE WHEN g <= %u THEN 'accepted' WHEN g <= %u THEN 'in_review' "
    "       WHEN g <= %u THEN 'in_progress' ELSE 'new' END, "
    "  CASE WHEN g <= %u THEN 'ann' || lpad ((g %% 10 + 1)::text, 2, '0') END, "
    "  CASE WHEN g <= %u AND g > %u THEN extract (epoch FROM now ())::bigint ELSE 0 END, "
    "  CASE WHEN g <= %u THEN 'ann' || lpad ((g %% 10 + 1)::text, 2, '0') END, "
    "  1767571200 + g "
    "FROM generate_series (1, %u) g",
    accepted, in_review, held, held, held, in_review, held, n);
  admin_exec (conn, images);
  shapes = g_strdup_printf (
    "INSERT INTO shapes (image_id, label_id, kind, points, group_id, source, score, author, "
    "  created_at, modified_at, row_version) "
    "SELECT i.id, (SELECT min (id) FROM labels) + s %% 5, 'box', decode (" BOX_HEX ", 'hex'), 0, "
    "  CASE WHEN i.status = 'new' THEN 'imported' ELSE 'manual' END, 1, "
    "  COALESCE (i.last_annotator, '" LEAD "'), (i.added_at + s) * 1000000, (i.added_at + s) * 1000000, 1 "
    "FROM images i, generate_series (1, %u) s ORDER BY i.id, s",
    per_image);
  admin_exec (conn, shapes);
  /* The log: every shape added, every image claimed and submitted. */
  admin_exec (conn, "INSERT INTO events (ts, login, kind, image_id, shape_id) "
                    "SELECT created_at, author, 'shape.add', image_id, id FROM shapes "
                    "WHERE source = 'manual' ORDER BY id");
  admin_exec (conn, "INSERT INTO events (ts, login, kind, image_id, detail) "
                    "SELECT added_at * 1000000 + k, last_annotator, "
                    "  CASE k WHEN 0 THEN 'image.claim' ELSE 'image.status' END, id, "
                    "  CASE k WHEN 1 THEN '{\"from\": \"in_progress\", \"to\": \"submitted\"}' END "
                    "FROM images, generate_series (0, 1) k WHERE last_annotator IS NOT NULL ORDER BY id, k");
  admin_exec (conn, "INSERT INTO qc_draws (image_id, seed, rate, ticket, drawn, login, ts, submission, reason) "
                    "SELECT id, 42, 0.1, (id % 100) / 100.0, CASE WHEN status = 'in_review' OR id % 10 = 0 "
                    "  THEN 1 ELSE 0 END, last_annotator, added_at * 1000000 + 2, 1, 'draw' "
                    "FROM images WHERE status IN ('accepted', 'in_review') ORDER BY id");
  admin_exec (conn, "INSERT INTO reviews (image_id, reviewer, annotator, decision, created_at) "
                    "SELECT id, 'rev1', last_annotator, 'accept', added_at + 3600 FROM images "
                    "WHERE status = 'accepted' AND id % 10 = 0 ORDER BY id");
  admin_exec (conn, "COMMIT");
  /* Identities go on after the loaded ids, as if the rows had come one
   * by one; then statistics, as on a project at rest. */
  admin_exec (conn, "SELECT setval (pg_get_serial_sequence ('public.' || t, 'id'), "
                    "  (xpath ('/row/m/text()', query_to_xml ('SELECT max (id) AS m FROM ' || t, false, true, '')))[1]"
                    "  ::text::bigint) "
                    "FROM unnest (ARRAY['labels', 'images', 'shapes', 'events', 'qc_draws', 'reviews']) t");
  admin_exec (conn, "VACUUM ANALYZE");
  PQfinish (conn);
}

typedef struct {
  const char *name;
  GArray     *ms;   /* of double */
} Series;

static void
series_add (Series *s, double ms)
{
  g_array_append_val (s->ms, ms);
}

static double
percentile (GArray *ms, double p)
{
  guint i;

  g_array_sort (ms, compare_doubles);
  i = (guint) (p * (ms->len - 1) + 0.5);
  return g_array_index (ms, double, i);
}

static LimnerShape *
make_box (gint64 image_id, guint k)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double p[] = { 100 + 50 * k, 100, 140 + 50 * k, 160 };

  shape->image_id = image_id;
  g_array_append_vals (shape->points, p, 4);
  return shape;
}

/* One round: claim, four boxes added and one moved, submit. Times go to
 * the series unless `warm_up`. */
static void
round_trip (LimnerStore *store,
            Series      *claim,
            Series      *save,
            Series      *submit,
            gboolean     warm_up)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(LimnerShape) moved = NULL;
  double t;

  t = now_ms ();
  image = limner_store_claim_next (store, &error);
  if (image == NULL)
    g_error ("claim_next: %s", error ? error->message : "no image left");
  if (!warm_up)
    series_add (claim, now_ms () - t);
  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(LimnerShape) box = make_box (image->id, k);

      t = now_ms ();
      if (!limner_store_insert_shape (store, box, &error))
        g_error ("insert_shape: %s", error->message);
      if (!warm_up)
        series_add (save, now_ms () - t);
      if (k == 0)
        moved = limner_shape_copy (box);
    }
  g_array_index (moved->points, double, 2) += 5;
  t = now_ms ();
  if (!limner_store_update_shape (store, moved, &error))
    g_error ("update_shape: %s", error->message);
  if (!warm_up)
    series_add (save, now_ms () - t);
  t = now_ms ();
  if (!limner_store_submit (store, image->id, NULL, &error))
    g_error ("submit: %s", error->message);
  if (!warm_up)
    series_add (submit, now_ms () - t);
}

int
limner_bench_team (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- claim, save and submit latency on PostgreSQL");
  g_autoptr(GError) error = NULL;
  g_autofree char *sizes_text = NULL;
  g_auto(GStrv) sizes = NULL;
  int per_image = 10, ops = 300;
  gboolean json = FALSE, no_fsync = FALSE;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Project sizes in images (10000,30000,100000)", "N,N,..." },
    { "shapes-per-image", 0, 0, G_OPTION_ARG_INT, &per_image, "Shapes per image (10)", "S" },
    { "ops", 0, 0, G_OPTION_ARG_INT, &ops, "Rounds timed per size (300)", "R" },
    { "no-fsync", 0, 0, G_OPTION_ARG_NONE, &no_fsync, "Keep the test server's fsync = off", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Machine-readable output", NULL },
    { NULL }
  };
  LimnerTestPg *pg;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || per_image <= 0 || ops <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--shapes-per-image and --ops must be > 0");
      return 2;
    }
  sizes = g_strsplit (sizes_text != NULL ? sizes_text : "10000,30000,100000", ",", -1);
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (sizes[i], 10, 1000, 10000000, &n, &error))
        {
          g_printerr ("--sizes: %s\n", error->message);
          return 2;
        }
    }

  pg = limner_test_pg_start ();
  if (!no_fsync)
    {
      limner_test_pg_admin (pg, "ALTER SYSTEM SET fsync = on");
      limner_test_pg_admin (pg, "ALTER SYSTEM SET synchronous_commit = on");
      limner_test_pg_admin (pg, "SELECT pg_reload_conf ()");
    }
  if (json)
    printf ("{\"shapes_per_image\": %d, \"ops\": %d, \"fsync\": %s, \"results\": [",
            per_image, ops, no_fsync ? "false" : "true");
  else
    printf ("team: PostgreSQL 15 on a Unix socket, fsync %s; %d rounds per size of claim, "
            "4 adds + 1 move, submit\n"
            "%9s %10s %9s | %-14s %-14s %-14s (median / p99, ms)\n",
            no_fsync ? "off" : "on", ops, "images", "shapes", "load s", "claim", "save shape", "submit");

  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = g_ascii_strtoull (sizes[i], NULL, 10);
      g_autofree char *database = g_strdup_printf ("bench_%u", n);
      g_autoptr(LimnerStore) lead = NULL;
      g_autoptr(LimnerStore) store = NULL;
      Series claim = { "claim", g_array_new (FALSE, FALSE, sizeof (double)) };
      Series save = { "save", g_array_new (FALSE, FALSE, sizeof (double)) };
      Series submit = { "submit", g_array_new (FALSE, FALSE, sizeof (double)) };
      double t0 = now_ms (), load_s;

      lead = limner_test_pg_project_new (pg, database, LEAD);
      if (!limner_store_set_user_roles (lead, WORKER, LIMNER_ROLE_ANNOTATOR, &error))
        g_error ("%s", error->message);
      bulk_load (pg, database, n, per_image);
      load_s = (now_ms () - t0) / 1000;

      store = limner_test_pg_project_open (pg, database, WORKER);
      for (guint k = 0; k < 10; k++)
        round_trip (store, &claim, &save, &submit, TRUE);
      for (int k = 0; k < ops; k++)
        round_trip (store, &claim, &save, &submit, FALSE);

      if (json)
        printf ("%s{\"images\": %u, \"shapes\": %u, \"load_s\": %.1f, "
                "\"claim_ms\": [%.2f, %.2f], \"save_ms\": [%.2f, %.2f], \"submit_ms\": [%.2f, %.2f]}",
                i > 0 ? ", " : "", n, n * per_image, load_s,
                percentile (claim.ms, 0.5), percentile (claim.ms, 0.99),
                percentile (save.ms, 0.5), percentile (save.ms, 0.99),
                percentile (submit.ms, 0.5), percentile (submit.ms, 0.99));
      else
        printf ("%9u %10u %9.1f | %6.2f / %-6.2f %6.2f / %-6.2f %6.2f / %-6.2f\n",
                n, n * per_image, load_s,
                percentile (claim.ms, 0.5), percentile (claim.ms, 0.99),
                percentile (save.ms, 0.5), percentile (save.ms, 0.99),
                percentile (submit.ms, 0.5), percentile (submit.ms, 0.99));
      fflush (stdout);
      g_array_unref (claim.ms);
      g_array_unref (save.ms);
      g_array_unref (submit.ms);
    }
  if (json)
    printf ("]}\n");
  limner_test_pg_stop (pg);
  return 0;
}
