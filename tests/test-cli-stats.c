/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli stats (LIMNER_CLI) against the core's figures on the
 * hand-computed event log of limner-test-stats.c, in a project folder or in
 * a database on a throwaway PostgreSQL server (limner-test-backend.h). */

#include "config.h"

#include <jansson.h>
#include <string.h>

#include "limner-stats-report.h"
#include "limner-store-stats.h"
#include "limner-test-backend.h"
#include "limner-test-stats.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  Run run = { 0 };
  int wait_status = 0;
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
                &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run.status = WEXITSTATUS (wait_status);
  if (run.status != 0)
    g_test_message ("limner-cli exited with %d: %s", run.status, run.err);
  return run;
}

static char *
make_project (LimnerStore **store)
{
  char *dir = limner_test_backend_new_project ("lead");

  *store = limner_test_stats_project (dir);
  return dir;
}

static void
remove_project (LimnerStore **store, char *dir)
{
  g_clear_object (store);
  limner_test_backend_remove (dir);
}

/* --csv is the core's CSV, byte for byte, for several queries. */
static void
test_csv_matches_core (void)
{
  g_autoptr(LimnerStore) store = NULL;
  char *dir = make_project (&store);
  const struct {
    LimnerStatsQuery query;
    const char *args[8];
  } cases[] = {
    { { NULL, NULL, NULL, LIMNER_STATS_BY_RANGE, NULL }, { NULL } },
    { { NULL, NULL, NULL, LIMNER_STATS_BY_DAY, NULL }, { "--by", "day", NULL } },
    { { "2026-03-03", "2026-03-03", "bob", LIMNER_STATS_BY_RANGE, NULL },
      { "--from", "2026-03-03", "--to", "2026-03-03", "--user", "bob", NULL } },
    { { "2026-03-01", NULL, NULL, LIMNER_STATS_BY_WEEK, NULL }, { "--by", "week", "--from", "2026-03-01", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LimnerStatsResult) r = limner_store_compute_stats (store, &cases[i].query, NULL, &error);
      g_autofree char *csv = NULL;
      const char *a[8] = { NULL };
      g_auto(Run) run = { 0 };

      g_assert_no_error (error);
      csv = limner_stats_result_to_csv (r);
      memcpy (a, cases[i].args, sizeof a);
      run = cli ("stats", dir, "--csv", a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, csv);
    }
  /* and the CSV has the hand-computed figures: alice's 685 s in hours */
  {
    g_auto(Run) run = cli ("stats", dir, "--csv", "--user", "alice", NULL);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "period,login,images_submitted,"));
    g_assert_nonnull (strstr (run.out, "\n,alice,3,3,2,1,0.190,15.766,15.766,200.000,60.000,0.500,2,"));
  }
  remove_project (&store, dir);
}

static void
test_json (void)
{
  g_autoptr(LimnerStore) store = NULL;
  char *dir = make_project (&store);
  g_auto(Run) run = cli ("stats", dir, "--json", NULL);
  json_t *root, *users, *bob;
  json_error_t jerr;

  g_assert_cmpint (run.status, ==, 0);
  root = json_loads (run.out, 0, &jerr);
  g_assert_nonnull (root);
  users = json_object_get (root, "users");
  g_assert_cmpuint (json_array_size (users), ==, 2);
  bob = json_array_get (users, 1);
  g_assert_cmpstr (json_string_value (json_object_get (bob, "login")), ==, "bob");
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (bob, "reviewed_per_hour")), 80, 1e-9);
  g_assert_cmpint (json_integer_value (json_object_get (bob, "reviewed")), ==, 2);
  g_assert_true (json_is_null (json_object_get (bob, "gold_mean_iou")));
  g_assert_cmpstr (json_string_value (json_object_get (root, "gold")), ==, "no data");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_array_get (users, 0), "checks"),
                                                       "gold_iou")), ==, "no data");
  g_assert_cmpuint (json_array_size (json_object_get (root, "labels")), ==, 2);
  json_decref (root);
  remove_project (&store, dir);
}

static void
test_explain (void)
{
  g_autoptr(LimnerStore) store = NULL;
  char *dir = make_project (&store);
  g_auto(Run) run = cli ("stats", dir, "--explain", "bob", "--day", "2026-03-03", NULL);
  g_auto(Run) bad = cli ("stats", dir, "--explain", "bob", "--day", "2026-13-03", NULL);
  g_auto(Run) no_day = cli ("stats", dir, "--explain", "bob", NULL);

  g_assert_cmpint (run.status, ==, 0);
  /* the midnight gap, with its part on this day */
  g_assert_nonnull (strstr (run.out, "23:59:40 → 00:00:30  gap 50 s  counted 50 s"));
  g_assert_nonnull (strstr (run.out, "(30 s on this day)"));
  g_assert_nonnull (strstr (run.out, "00:01:00 → 09:00:00  gap 32340 s  counted 120 s  capped at 120 s  image 4"));
  g_assert_nonnull (strstr (run.out, " review"));
  /* 180 s annotating and 90 s reviewing */
  g_assert_nonnull (strstr (run.out, "270 s"));
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "2026-13-03"));
  g_assert_cmpint (no_day.status, ==, 2);
  remove_project (&store, dir);
}

static void
test_targets (void)
{
  g_autoptr(LimnerStore) store = NULL;
  char *dir = make_project (&store);
  /* Whoever runs limner-cli, since --user names whose targets are meant:
   * the OS login, or on a server the role the URI logs in as, who must be
   * in the project (here as an annotator) to get as far as the role check. */
  const char *login = g_get_user_name ();
  g_autofree char *runner = limner_test_backend_project_as (dir, login);
  g_auto(Run) refused = { 0 };
  g_auto(Run) bad = cli ("stats", dir, "targets", "--images-per-hour", "fast", NULL);
  g_auto(Run) by = cli ("stats", dir, "--csv", "--by", "month", NULL);
  g_auto(Run) no_format = cli ("stats", dir, NULL);

  if (limner_test_backend_is_pg ())
    g_assert_true (limner_store_set_user_roles (store, login, LIMNER_ROLE_ANNOTATOR, NULL));

  /* The runner is not a lead of this project. */
  refused = cli ("stats", runner, "targets", "--images-per-hour", "12", NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "lead"));
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_cmpint (by.status, ==, 2);
  g_assert_cmpint (no_format.status, ==, 2);

  /* Once a lead, the same user sets them, for the project and for alice. */
  g_assert_true (limner_store_set_user_roles (store, login, LIMNER_ROLE_LEAD, NULL));
  {
    g_auto(Run) project = cli ("stats", runner, "targets", "--images-per-hour", "12",
                               "--idle-threshold", "60", "--json", NULL);
    g_auto(Run) alice = cli ("stats", runner, "targets", "--user", "alice", "--shapes-per-hour", "30", NULL);
    g_auto(Run) explain = cli ("stats", runner, "--explain", "alice", "--day", "2026-03-02", NULL);
    LimnerTargets t;

    g_assert_cmpint (project.status, ==, 0);
    g_assert_nonnull (strstr (project.out, "\"idle_threshold_s\": 60.0"));
    g_assert_cmpint (alice.status, ==, 0);
    g_assert_true (limner_store_get_targets (store, NULL, &t, NULL));
    g_assert_cmpfloat (t.images_per_hour, ==, 12);
    g_assert_true (limner_store_get_targets (store, "alice", &t, NULL));
    g_assert_cmpfloat (t.shapes_per_hour, ==, 30);
    g_assert_cmpfloat (t.images_per_hour, ==, 0);
    /* three gaps over 60 s lose 60 s each: 625 - 180 */
    g_assert_nonnull (strstr (explain.out, "445 s"));
  }
  remove_project (&store, dir);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/stats/csv-matches-core", test_csv_matches_core);
  g_test_add_func ("/cli/stats/json", test_json);
  g_test_add_func ("/cli/stats/explain", test_explain);
  g_test_add_func ("/cli/stats/targets", test_targets);
  return g_test_run ();
}
