/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stats through the store on the scenario of limner-test-stats.c. Every
 * expected figure below was worked out by hand from that event list with
 * the rule of limner-stats.h (threshold 120 s unless said otherwise):
 *
 * alice, 2026-03-02 (all on the 2nd):
 *   image 1: 30 + 30 + 0 (focus out) + 10 + 120 (capped) + 120 (capped,
 *            submit -> open 2, the submit names image 1)          = 310
 *   image 2: 20 + 30, then 30 after the idle end (open 2 -> submit),
 *            then 120 capped from the last submit to the next day = 200
 *   image 3: 40 + 10 + 60, 0 idle, 5 (idle end names no image: the
 *            open image is 3)                                     = 115
 *   day total 625.
 * alice, 2026-03-03: rework on image 1 after bob rejected it: 45 + 15 = 60.
 * bob: 23:59:00 open 4, +40 add, the 50 s gap across midnight puts 20 s on
 *   the 2nd and 30 s on the 3rd, +30 to the submit, +120 capped (submit ->
 *   review open): 60 s on the 2nd, 180 s on the 3rd, 240 s on image 4.
 *   Review: 40 + 20 + 30 = 90 s, one reject and one accept.
 * labels: car 30 + 10 + 40 + 45 = 125 s over 2 shapes; tree 20 + 40 + 50 =
 *   110 s over 2 shapes.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "limner-stats-report.h"
#include "limner-store-stats.h"
#include "limner-store-writer.h"
#include "limner-test-backend.h"
#include "limner-test-stats.h"

#define EPS 1e-6

typedef struct {
  char        *dir;
  LimnerStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = limner_test_backend_new_project ("lead");
  f->store = limner_test_stats_project (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  limner_test_backend_remove (f->dir);
}

static LimnerStatsResult *
compute (LimnerStore         *store,
         const char          *from,
         const char          *to,
         const char          *login,
         LimnerStatsGrouping  by)
{
  g_autoptr(GError) error = NULL;
  LimnerStatsQuery query = { from, to, login, by, NULL };
  LimnerStatsResult *result = limner_store_compute_stats (store, &query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static guint
user_index (const LimnerStatsResult *result,
            const char              *login)
{
  for (guint i = 0; i < result->logins->len; i++)
    if (g_str_equal (g_ptr_array_index (result->logins, i), login))
      return i;
  g_assert_not_reached ();
}

static const LimnerUserCounts *
counts (const LimnerStatsPeriod *period,
        guint                    i)
{
  return &g_array_index (period->counts, LimnerUserCounts, i);
}

static const LimnerUserFigures *
figures (const LimnerStatsPeriod *period,
         guint                    i)
{
  return &g_array_index (period->figures, LimnerUserFigures, i);
}

static void
test_whole_range (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) r = compute (f->store, NULL, NULL, NULL, LIMNER_STATS_BY_RANGE);
  guint a, b;
  const LimnerUserCounts *ca, *cb;
  const LimnerUserFigures *fa, *fb;
  LimnerWilson w = limner_qc_wilson (1, 2);

  g_assert_cmpuint (r->logins->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (r->idle_threshold_s, 120, EPS);
  a = user_index (r, "alice");
  b = user_index (r, "bob");
  ca = counts (&r->total, a);
  cb = counts (&r->total, b);
  fa = figures (&r->total, a);
  fb = figures (&r->total, b);

  /* alice: the status change and image.submit of image 2 count once */
  g_assert_cmpuint (ca->images_submitted, ==, 3);
  g_assert_cmpuint (ca->shapes_created, ==, 3);
  g_assert_cmpuint (ca->shapes_edited, ==, 2);
  g_assert_cmpuint (ca->shapes_deleted, ==, 1);
  g_assert_cmpfloat_with_epsilon (ca->active_s, 685, EPS);
  g_assert_cmpfloat_with_epsilon (ca->review_active_s, 0, EPS);
  g_assert_cmpfloat_with_epsilon (ca->rework_s, 60, EPS);
  g_assert_cmpuint (ca->n_image_active_s, ==, 3);
  g_assert_cmpfloat_with_epsilon (fa->median_image_s, 200, EPS);
  g_assert_cmpfloat_with_epsilon (fa->active_hours, 685 / 3600.0, EPS);
  g_assert_cmpfloat_with_epsilon (fa->images_per_hour, 3 / (685 / 3600.0), EPS);
  g_assert_cmpuint (ca->qc_accepted, ==, 1);
  g_assert_cmpuint (ca->qc_rejected, ==, 1);
  g_assert_cmpuint (fa->acceptance.trials, ==, 2);
  g_assert_cmpfloat_with_epsilon (fa->acceptance.low, w.low, EPS);
  g_assert_cmpfloat_with_epsilon (fa->acceptance.high, w.high, EPS);
  g_assert_cmpuint (fa->rejections, ==, 1);
  /* little data: no flags */
  g_assert_false (fa->checks[LIMNER_METRIC_IMAGES_PER_HOUR].enough_data);
  g_assert_false (fa->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_target);
  g_assert_false (r->has_gold);

  /* bob: annotator and reviewer */
  g_assert_cmpuint (cb->images_submitted, ==, 1);
  g_assert_cmpuint (cb->shapes_created, ==, 1);
  g_assert_cmpuint (cb->shapes_edited, ==, 1);
  g_assert_cmpfloat_with_epsilon (cb->active_s, 240, EPS);
  g_assert_cmpfloat_with_epsilon (cb->review_active_s, 90, EPS);
  g_assert_cmpfloat_with_epsilon (fb->median_image_s, 240, EPS);
  g_assert_cmpuint (cb->qc_accepted + cb->qc_rejected + cb->qc_fixed, ==, 0);
  g_assert_cmpuint (fb->reviewed, ==, 2);
  g_assert_cmpfloat_with_epsilon (fb->reviewed_per_hour, 2 / (90 / 3600.0), EPS);
  g_assert_cmpfloat_with_epsilon (fb->accept_share, 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (fb->reject_share, 0.5, EPS);

  /* labels */
  g_assert_cmpuint (r->labels->len, ==, 2);
  g_assert_cmpstr (g_array_index (r->labels, LimnerStatsLabel, 0).name, ==, "car");
  g_assert_cmpfloat_with_epsilon (g_array_index (r->labels, LimnerStatsLabel, 0).active_s, 125, EPS);
  g_assert_cmpfloat_with_epsilon (g_array_index (r->labels, LimnerStatsLabel, 0).seconds_per_shape, 62.5, EPS);
  g_assert_cmpstr (g_array_index (r->labels, LimnerStatsLabel, 1).name, ==, "tree");
  g_assert_cmpfloat_with_epsilon (g_array_index (r->labels, LimnerStatsLabel, 1).seconds_per_shape, 55, EPS);
}

static void
test_by_day (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) r = compute (f->store, NULL, NULL, NULL, LIMNER_STATS_BY_DAY);
  const LimnerStatsPeriod *d0, *d1;
  guint a = user_index (r, "alice"), b = user_index (r, "bob");

  g_assert_cmpuint (r->periods->len, ==, 2);
  d0 = g_ptr_array_index (r->periods, 0);
  d1 = g_ptr_array_index (r->periods, 1);
  g_assert_cmpstr (d0->period, ==, "2026-03-02");
  g_assert_cmpstr (d1->period, ==, "2026-03-03");
  g_assert_cmpfloat_with_epsilon (counts (d0, a)->active_s, 625, EPS);
  g_assert_cmpfloat_with_epsilon (counts (d1, a)->active_s, 60, EPS);
  g_assert_cmpfloat_with_epsilon (counts (d1, a)->rework_s, 60, EPS);
  /* the gap across midnight is split: 20 s, then 30 s */
  g_assert_cmpfloat_with_epsilon (counts (d0, b)->active_s, 60, EPS);
  g_assert_cmpfloat_with_epsilon (counts (d1, b)->active_s, 180, EPS);
  g_assert_cmpfloat_with_epsilon (counts (d1, b)->review_active_s, 90, EPS);
  g_assert_cmpuint (counts (d0, b)->shapes_created, ==, 1);
  g_assert_cmpuint (counts (d1, b)->shapes_edited, ==, 1);
  g_assert_cmpuint (counts (d1, b)->images_submitted, ==, 1);
  g_assert_cmpuint (counts (d0, a)->images_submitted, ==, 2);
  g_assert_cmpuint (counts (d1, a)->qc_rejected, ==, 1);
}

static void
test_by_week (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) r = compute (f->store, NULL, NULL, NULL, LIMNER_STATS_BY_WEEK);
  const LimnerStatsPeriod *w;
  guint a = user_index (r, "alice");

  g_assert_cmpuint (r->periods->len, ==, 1);
  w = g_ptr_array_index (r->periods, 0);
  g_assert_cmpstr (w->period, ==, "2026-W10");
  g_assert_cmpfloat_with_epsilon (counts (w, a)->active_s, counts (&r->total, a)->active_s, EPS);
  g_assert_cmpfloat_with_epsilon (figures (w, a)->median_image_s, 200, EPS);
}

/* A range that starts after midnight still sees the gap that crosses it
 * and which image was open, but counts nothing from the day before. */
static void
test_one_day (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) r = compute (f->store, "2026-03-03", "2026-03-03", NULL,
                                            LIMNER_STATS_BY_RANGE);
  guint a = user_index (r, "alice"), b = user_index (r, "bob");

  g_assert_cmpuint (r->logins->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (counts (&r->total, a)->active_s, 60, EPS);
  g_assert_cmpuint (counts (&r->total, a)->images_submitted, ==, 1);
  g_assert_cmpuint (counts (&r->total, a)->shapes_created, ==, 0);
  g_assert_cmpfloat_with_epsilon (figures (&r->total, a)->median_image_s, 60, EPS);
  g_assert_cmpfloat_with_epsilon (counts (&r->total, b)->active_s, 180, EPS);
  g_assert_cmpfloat_with_epsilon (figures (&r->total, b)->median_image_s, 180, EPS);
  g_assert_cmpuint (counts (&r->total, b)->shapes_created, ==, 0);
  g_assert_cmpuint (counts (&r->total, b)->shapes_edited, ==, 1);
}

/* A range that ends before the next event still counts the gap that
 * starts inside it: a day's figure does not depend on the range. */
static void
test_range_end (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) r = compute (f->store, "2026-03-02", "2026-03-02", NULL,
                                            LIMNER_STATS_BY_RANGE);
  guint a = user_index (r, "alice"), b = user_index (r, "bob");

  g_assert_cmpfloat_with_epsilon (counts (&r->total, a)->active_s, 625, EPS);
  g_assert_cmpfloat_with_epsilon (counts (&r->total, b)->active_s, 60, EPS);
  g_assert_cmpuint (counts (&r->total, b)->shapes_edited, ==, 0);
  g_assert_cmpuint (counts (&r->total, a)->qc_rejected, ==, 0);
}

static void
test_one_user_and_empty (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LimnerStatsResult) bob = compute (f->store, NULL, NULL, "bob", LIMNER_STATS_BY_DAY);
  g_autoptr(LimnerStatsResult) empty = compute (f->store, "2026-04-01", "2026-04-02", NULL,
                                                LIMNER_STATS_BY_DAY);
  g_autoptr(GError) error = NULL;
  LimnerStatsQuery bad = { "2026-03-05", "2026-03-01", NULL, LIMNER_STATS_BY_RANGE, NULL };
  LimnerStatsQuery malformed = { "2026-02-30", NULL, NULL, LIMNER_STATS_BY_RANGE, NULL };
  LimnerStatsResult *none;
  g_autofree char *csv = NULL;

  g_assert_cmpuint (bob->logins->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bob->logins, 0), ==, "bob");
  g_assert_cmpfloat_with_epsilon (counts (&bob->total, 0)->active_s, 240, EPS);
  /* bob's decisions on alice's work are his, not hers */
  g_assert_cmpuint (figures (&bob->total, 0)->reviewed, ==, 2);

  g_assert_cmpuint (empty->logins->len, ==, 0);
  g_assert_cmpuint (empty->periods->len, ==, 0);
  g_assert_cmpuint (empty->labels->len, ==, 0);
  csv = limner_stats_result_to_csv (empty);
  g_assert_nonnull (strchr (csv, '\n'));
  g_assert_cmpstr (strchr (csv, '\n') + 1, ==, "");

  none = limner_store_compute_stats (f->store, &bad, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  none = limner_store_compute_stats (f->store, &malformed, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
}

static void
test_idle_threshold (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerActiveTime) at = NULL;
  g_autoptr(LimnerStatsResult) r = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  at = limner_store_compute_active_time (f->store, "alice", "2026-03-02", utc, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (limner_active_time_on_day (at, "2026-03-02", utc), 625, EPS);
  g_clear_pointer (&at, limner_active_time_free);

  g_assert_true (limner_store_set_setting (f->store, LIMNER_STATS_IDLE_SETTING, "60", &error));
  g_assert_cmpfloat_with_epsilon (limner_store_get_idle_threshold (f->store), 60, EPS);
  /* three gaps longer than 60 s lose 60 s each */
  at = limner_store_compute_active_time (f->store, "alice", "2026-03-02", utc, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (limner_active_time_on_day (at, "2026-03-02", utc), 445, EPS);
  r = compute (f->store, "2026-03-02", "2026-03-02", "alice", LIMNER_STATS_BY_RANGE);
  g_assert_cmpfloat_with_epsilon (counts (&r->total, 0)->active_s, 445, EPS);

  /* nonsense falls back to the default */
  g_assert_true (limner_store_set_setting (f->store, LIMNER_STATS_IDLE_SETTING, "-3", &error));
  g_assert_cmpfloat_with_epsilon (limner_store_get_idle_threshold (f->store),
                                  LIMNER_STATS_DEFAULT_IDLE_SECONDS, EPS);
}

/* carol: 41 shapes 100 s apart, 4000 s, 36 shapes an hour. */
static void
add_carol (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_store_set_user_roles (f->store, "carol", LIMNER_ROLE_ANNOTATOR, &error));
  for (guint i = 0; i <= 40; i++)
    limner_test_stats_event (f->dir, LIMNER_TEST_AT (2, 8, 0, 0) + (gint64) i * 100 * G_USEC_PER_SEC,
                             "carol", i == 0 ? "image.open" : "shape.add", 3, 0, NULL);
}

static void
test_targets (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) alice = NULL;
  g_autoptr(LimnerStatsResult) r = NULL;
  g_autoptr(LimnerStatsResult) r2 = NULL;
  LimnerTargets t = { -1, 40, 0.9, -1 };
  LimnerTargets got;
  LimnerTargets own = { -1, 30, -1, -1 };
  const LimnerFigureCheck *check;
  g_autofree char *text = NULL;

  add_carol (f);
  g_assert_true (limner_store_set_targets (f->store, NULL, &t, &error));
  g_assert_true (limner_store_get_targets (f->store, NULL, &got, &error));
  g_assert_cmpfloat_with_epsilon (got.shapes_per_hour, 40, EPS);
  g_assert_cmpfloat_with_epsilon (got.acceptance_rate, 0.9, EPS);
  g_assert_cmpfloat_with_epsilon (got.images_per_hour, 0, EPS);

  r = compute (f->store, "2026-03-04", "2026-03-04", NULL, LIMNER_STATS_BY_RANGE);
  g_assert_cmpuint (r->logins->len, ==, 1);
  check = &figures (&r->total, 0)->checks[LIMNER_METRIC_SHAPES_PER_HOUR];
  g_assert_true (check->enough_data);
  g_assert_cmpfloat_with_epsilon (check->value, 36, EPS);
  g_assert_true (check->below_target);
  g_assert_cmpfloat_with_epsilon (check->below_by, 4, EPS);
  g_assert_cmpfloat_with_epsilon (check->below_by_percent, 10, EPS);
  text = limner_stats_check_text (check);
  g_assert_cmpstr (text, ==, "below target by 4.000 (10 %)");
  /* acceptance has no reviews: too little data, no flag */
  check = &figures (&r->total, 0)->checks[LIMNER_METRIC_ACCEPTANCE_RATE];
  g_assert_false (check->enough_data);
  g_assert_false (check->below_target);

  /* carol's own target wins over the project's */
  g_assert_true (limner_store_set_targets (f->store, "carol", &own, &error));
  r2 = compute (f->store, "2026-03-04", "2026-03-04", NULL, LIMNER_STATS_BY_RANGE);
  check = &figures (&r2->total, 0)->checks[LIMNER_METRIC_SHAPES_PER_HOUR];
  g_assert_cmpfloat_with_epsilon (check->target, 30, EPS);
  g_assert_false (check->below_target);

  /* refusals */
  t.gold_iou = 1.5;
  g_assert_false (limner_store_set_targets (f->store, NULL, &t, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (limner_store_set_targets (f->store, "nobody", &own, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  alice = limner_store_open (f->dir, "alice", &error);
  g_assert_no_error (error);
  g_assert_false (limner_store_set_targets (alice, "alice", &own, &error));
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION);
}

static void
test_writer_events (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStoreWriter) writer = limner_store_writer_new (f->dir, "alice", &error);
  g_autoptr(GPtrArray) events = NULL;
  gint64 before = g_get_real_time (), after;
  guint found = 0;

  g_assert_no_error (error);
  limner_store_writer_log_event (writer, "image.open", 3, "{\"mode\": \"annotate\"}");
  limner_store_writer_begin (writer);
  limner_store_writer_log_event (writer, "app.focus_out", 3, NULL);
  limner_store_writer_log_event (writer, "app.focus_in", 3, NULL);
  limner_store_writer_commit (writer);
  g_assert_true (limner_store_writer_flush (writer, &error));
  after = g_get_real_time ();

  events = limner_store_list_events (f->store, before, after + 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      LimnerEvent *e = g_ptr_array_index (events, i);
      const char *expected[] = { "image.open", "app.focus_out", "app.focus_in" };

      g_assert_cmpstr (e->login, ==, "alice");
      g_assert_cmpint (e->image_id, ==, 3);
      g_assert_cmpuint (found, <, 3);
      g_assert_cmpstr (e->kind, ==, expected[found]);
      found++;
    }
  g_assert_cmpuint (found, ==, 3);
  g_assert_cmpstr (((LimnerEvent *) g_ptr_array_index (events, 0))->detail, ==, "{\"mode\": \"annotate\"}");
}

int
main (int argc, char **argv)
{
  /* The scenario's days are UTC days. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/stats/whole-range", test_whole_range);
  ADD ("/store/stats/by-day", test_by_day);
  ADD ("/store/stats/by-week", test_by_week);
  ADD ("/store/stats/one-day", test_one_day);
  ADD ("/store/stats/range-end", test_range_end);
  ADD ("/store/stats/one-user-and-empty", test_one_user_and_empty);
  ADD ("/store/stats/idle-threshold", test_idle_threshold);
  ADD ("/store/stats/targets", test_targets);
  ADD ("/store/stats/writer-events", test_writer_events);
#undef ADD
  return g_test_run ();
}
