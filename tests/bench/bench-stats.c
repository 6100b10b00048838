/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-stats.c: throughput analytics over a large event log.
 *
 * Writes a project whose log holds N events (one million by default) from
 * U annotators (100), 30 working days of opens, shape adds, edits and
 * deletes, focus changes, idle periods and submissions, plus a review of
 * one submission in ten. Then times limner_store_compute_stats() as the
 * analytics page and `limner-cli stats` call it: the whole range, the whole
 * range by day, and the last 7 days by day. Each figure is the median of R
 * runs (5) after one that is not counted, in wall-clock and in CPU time
 * (which other jobs on a shared machine do not inflate). The goal is under
 * one second.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "limner-core.h"
#include "limner-store-stats.h"
#include "bench-stats.h"

/* 2026-01-05 00:00:00 UTC, a Monday. */
#define START_US (G_GINT64_CONSTANT (1767571200) * G_USEC_PER_SEC)
#define N_DAYS 30

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of the process, which other jobs on a shared machine do not
 * inflate as they do wall-clock time. */
static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
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
check (int rc, sqlite3 *db)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

typedef struct {
  gint64      ts;
  guint       user;
  const char *kind;
  gint64      image;
  const char *detail;
} BenchEvent;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const BenchEvent *x = a, *y = b;

  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Each annotator's day is a stream of events from 09:00 on; the log holds
 * them in time order, as a project's log grows. */
static void
fill (const char *dir,
      guint       n_events,
      guint       n_users,
      GRand      *rand)
{
  g_autofree char *path = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *ev = NULL, *rv = NULL;
  guint per_user = n_events / n_users;
  guint per_day = MAX (1, per_user / N_DAYS);
  gint64 image = 1;
  g_autoptr(GArray) log = g_array_sized_new (FALSE, FALSE, sizeof (BenchEvent), n_events);
  g_autoptr(GPtrArray) logins = g_ptr_array_new_with_free_func (g_free);

  check (sqlite3_open (path, &db), db);
  check (sqlite3_exec (db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO events (ts, login, kind, image_id, detail) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &ev, NULL), db);
  check (sqlite3_prepare_v2 (db, "INSERT INTO reviews (image_id, reviewer, annotator, decision, created_at) "
                                 "VALUES (?1, 'reviewer', ?2, ?3, ?4)", -1, &rv, NULL), db);
  for (guint u = 0; u < n_users; u++)
    {
      char *login = g_strdup_printf ("annotator%03u", u);
      guint written = 0;

      g_ptr_array_add (logins, login);

      for (guint d = 0; d < N_DAYS && written < per_user; d++)
        {
          gint64 t = START_US + ((gint64) d * 86400 + 9 * 3600) * G_USEC_PER_SEC;
          gint64 open = 0;

          for (guint i = 0; i < per_day && written < per_user; i++, written++)
            {
              const char *kind;
              const char *detail = NULL;
              guint r = g_rand_int_range (rand, 0, 100);

              t += (gint64) g_rand_int_range (rand, 2, r < 3 ? 900 : 90) * G_USEC_PER_SEC;
              if (open == 0 || r < 6)
                {
                  open = image++;
                  kind = "image.open";
                }
              else if (r < 9)
                {
                  kind = "image.status";
                  detail = "{\"from\": \"in_progress\", \"to\": \"submitted\"}";
                  if (g_rand_int_range (rand, 0, 10) == 0)
                    {
                      sqlite3_bind_int64 (rv, 1, open);
                      sqlite3_bind_text (rv, 2, login, -1, SQLITE_STATIC);
                      sqlite3_bind_text (rv, 3, g_rand_boolean (rand) ? "accept" : "reject", -1, SQLITE_STATIC);
                      sqlite3_bind_int64 (rv, 4, t / G_USEC_PER_SEC + 3600);
                      check (sqlite3_step (rv), db);
                      sqlite3_reset (rv);
                    }
                }
              else if (r < 11)
                kind = "app.focus_out";
              else if (r < 13)
                kind = "app.focus_in";
              else if (r < 14)
                kind = "app.idle_start";
              else if (r < 15)
                kind = "app.idle_end";
              else if (r < 60)
                kind = "shape.add";
              else if (r < 90)
                kind = "shape.update";
              else
                kind = "shape.delete";
              {
                BenchEvent e = { t, u, kind, open, detail };

                g_array_append_val (log, e);
              }
            }
        }
    }
  g_array_sort (log, compare_events);
  for (guint i = 0; i < log->len; i++)
    {
      const BenchEvent *e = &g_array_index (log, BenchEvent, i);

      sqlite3_bind_int64 (ev, 1, e->ts);
      sqlite3_bind_text (ev, 2, g_ptr_array_index (logins, e->user), -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 3, e->kind, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ev, 4, e->image);
      if (e->detail != NULL)
        sqlite3_bind_text (ev, 5, e->detail, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (ev, 5);
      check (sqlite3_step (ev), db);
      sqlite3_reset (ev);
    }
  sqlite3_finalize (ev);
  sqlite3_finalize (rv);
  /* As a project at rest: statistics gathered, the log out of the WAL. */
  check (sqlite3_exec (db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), db);
  sqlite3_close (db);
}

static double
time_query (LimnerStore            *store,
            const LimnerStatsQuery *query,
            guint                   runs,
            guint                  *n_users,
            double                 *median_cpu_s)
{
  g_autofree double *times = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);
  g_autoptr(LimnerStatsResult) warm = NULL;

  /* One run first, not counted: the page cache holds the database after it,
   * as it does once the page has been opened. */
  warm = limner_store_compute_stats (store, query, NULL, NULL);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LimnerStatsResult) result = NULL;
      double t0 = now_s ();
      double c0 = cpu_s ();

      result = limner_store_compute_stats (store, query, NULL, &error);
      times[i] = now_s () - t0;
      cpu[i] = cpu_s () - c0;
      if (result == NULL)
        g_error ("%s", error->message);
      *n_users = result->logins->len;
    }
  qsort (times, runs, sizeof (double), compare_doubles);
  qsort (cpu, runs, sizeof (double), compare_doubles);
  *median_cpu_s = runs % 2 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2;
  return runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
}

int
limner_bench_stats (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- throughput analytics over many events");
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  int events = 1000000, users = 100, runs = 5;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &events, "Events in the log (1,000,000)", "N" },
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Annotators (100)", "U" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure; the median is reported (5)", "R" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Machine-readable output", NULL },
    { NULL }
  };
  const struct {
    const char *name;
    LimnerStatsQuery query;
  } cases[] = {
    { "all days, whole range", { NULL, NULL, NULL, LIMNER_STATS_BY_RANGE, utc } },
    { "all days, by day", { NULL, NULL, NULL, LIMNER_STATS_BY_DAY, utc } },
    { "last 7 days, by day", { "2026-01-28", "2026-02-03", NULL, LIMNER_STATS_BY_DAY, utc } },
  };
  double t0, fill_s;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || events <= 0 || users <= 0 || runs <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--events, --users and --runs must be > 0");
      return 2;
    }

  tmp = g_dir_make_tmp ("limner-bench-stats-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  dir = g_build_filename (tmp, "project", NULL);
  store = limner_store_create (dir, "bench", "lead", &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  t0 = now_s ();
  fill (dir, events, users, rand);
  fill_s = now_s () - t0;

  if (!json)
    printf ("stats: %d events, %d annotators, %d days (log written in %.1f s); median of %d runs\n",
            events, users, N_DAYS, fill_s, runs);
  else
    printf ("{\"events\": %d, \"users\": %d, \"runs\": %d, \"results\": [", events, users, runs);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n_users = 0;
      double cpu = 0;
      double s = time_query (store, &cases[i].query, runs, &n_users, &cpu);

      if (json)
        printf ("%s{\"case\": \"%s\", \"median_s\": %.4f, \"median_cpu_s\": %.4f, \"people\": %u}",
                i > 0 ? ", " : "", cases[i].name, s, cpu, n_users);
      else
        printf ("  %-24s %8.3f s  (CPU %.3f s, %u people)\n", cases[i].name, s, cpu, n_users);
    }
  if (json)
    printf ("]}\n");

  g_clear_object (&store);
  {
    g_autoptr(GDir) d = NULL;
    const char *name;

    /* The project is only this database and its WAL files. */
    d = g_dir_open (dir, 0, NULL);
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_remove (file);
      }
    g_rmdir (dir);
    g_rmdir (tmp);
  }
  return 0;
}
