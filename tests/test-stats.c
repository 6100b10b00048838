/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "limner-stats.h"

#define EPS 1e-9

/* 2026-03-02 00:00:00 UTC. */
#define DAY0_US (G_GINT64_CONSTANT (1772409600) * G_USEC_PER_SEC)
#define AT(h, m, s) (DAY0_US + ((gint64) (h) * 3600 + (m) * 60 + (s)) * G_USEC_PER_SEC)
#define SEC(s) (DAY0_US + (gint64) (s) * G_USEC_PER_SEC)

static LimnerActiveTime *
compute (const LimnerActivity  *events,
         guint                  n,
         const LimnerRejection *rejections,
         guint                  n_rejections,
         double                 threshold,
         GTimeZone             *tz)
{
  g_autoptr(GError) error = NULL;
  LimnerActiveTime *at = limner_active_time_compute (events, n, rejections, n_rejections,
                                                     threshold, tz, &error);

  g_assert_no_error (error);
  g_assert_nonnull (at);
  return at;
}

static const LimnerImageTime *
image_time (const LimnerActiveTime *at,
            gint64                  image_id)
{
  for (guint i = 0; i < at->images->len; i++)
    if (g_array_index (at->images, LimnerImageTime, i).image_id == image_id)
      return &g_array_index (at->images, LimnerImageTime, i);
  g_assert_not_reached ();
}

static const LimnerActiveGap *
gap (const LimnerActiveTime *at,
     guint                   i)
{
  g_assert_cmpuint (i, <, at->gaps->len);
  return &g_array_index (at->gaps, LimnerActiveGap, i);
}

/* The worked example of limner-stats.h: 30 + 30 + 0 + 10 + 120 = 190 s. */
static void
test_worked_example (void)
{
  const LimnerActivity ev[] = {
    { AT (9, 0, 0), LIMNER_ACTIVITY_OPEN_IMAGE, 7, 0 },
    { AT (9, 0, 30), LIMNER_ACTIVITY_CREATE_SHAPE, 7, 0 },
    { AT (9, 1, 0), LIMNER_ACTIVITY_FOCUS_OUT, 0, 0 },
    { AT (9, 20, 0), LIMNER_ACTIVITY_FOCUS_IN, 0, 0 },
    { AT (9, 20, 10), LIMNER_ACTIVITY_EDIT_SHAPE, 7, 0 },
    { AT (9, 30, 10), LIMNER_ACTIVITY_SUBMIT, 7, 0 },
  };
  const double counted[] = { 30, 30, 0, 10, 120 };
  const LimnerGapReason reasons[] = {
    LIMNER_GAP_ACTIVE, LIMNER_GAP_ACTIVE, LIMNER_GAP_FOCUS_OUT, LIMNER_GAP_ACTIVE, LIMNER_GAP_CAPPED,
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), NULL, 0,
                                            LIMNER_STATS_DEFAULT_IDLE_SECONDS, utc);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (at->gaps->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpfloat_with_epsilon (gap (at, i)->counted_s, counted[i], EPS);
      g_assert_cmpint (gap (at, i)->reason, ==, reasons[i]);
    }
  g_assert_cmpfloat_with_epsilon (gap (at, 2)->gap_s, 1140.0, EPS);
  /* The gap after focus_in goes to the open image. */
  g_assert_cmpint (gap (at, 3)->image_id, ==, 7);
  g_assert_cmpfloat_with_epsilon (at->active_s, 190.0, EPS);
  g_assert_cmpuint (at->images->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (image_time (at, 7)->active_s, 190.0, EPS);
  g_assert_cmpuint (at->days->len, ==, 1);
  g_assert_cmpstr (g_array_index (at->days, LimnerDayTime, 0).date, ==, "2026-03-02");
  g_assert_cmpfloat_with_epsilon (g_array_index (at->days, LimnerDayTime, 0).active_s, 190.0, EPS);

  text = limner_active_time_explain (at, "2026-03-02", utc);
  g_assert_nonnull (strstr (text, "09:20:10 → 09:30:10  gap 600 s  counted 120 s  capped at 120 s  image 7  edit_shape → submit\n"));
  g_assert_nonnull (strstr (text, "09:01:00 → 09:20:00  gap 1140 s  counted 0 s  after focus out  image 7  focus_out → focus_in\n"));
  g_assert_true (g_str_has_suffix (text, "Total active time: 190 s\n"));
  /* One line per gap, and the total. */
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
}

/* Open 1 at 0 s, create at 60, idle_start at 100, idle_end at 700, edit at
 * 710: 60 + 40 + 0 + 10 = 110 s. With a 30 s threshold: 30 + 30 + 0 + 10. */
static void
test_idle (void)
{
  const LimnerActivity ev[] = {
    { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (60), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 0 },
    { SEC (100), LIMNER_ACTIVITY_IDLE_START, 0, 0 },
    { SEC (700), LIMNER_ACTIVITY_IDLE_END, 0, 0 },
    { SEC (710), LIMNER_ACTIVITY_EDIT_SHAPE, 1, 0 },
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, utc);
  g_autoptr(LimnerActiveTime) tight = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 30.0, utc);

  g_assert_cmpfloat_with_epsilon (at->active_s, 110.0, EPS);
  g_assert_cmpint (gap (at, 2)->reason, ==, LIMNER_GAP_IDLE);
  g_assert_cmpfloat (gap (at, 2)->counted_s, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (tight->active_s, 70.0, EPS);
  g_assert_cmpint (gap (tight, 0)->reason, ==, LIMNER_GAP_CAPPED);
}

/* In UTC+2 local midnight is 22:00 UTC.
 *   21:59:00 UTC open 3     (23:59:00 local, 2026-03-02)
 *   22:09:00 UTC edit 3     gap 600 s, capped to 120 s placed at 23:59:00:
 *                           60 s on 03-02 and 60 s on 03-03
 *   22:10:00 UTC submit 3   gap 60 s on 03-03
 * So 60 s on 2026-03-02 and 120 s on 2026-03-03; in UTC all 180 s fall on
 * 2026-03-02. */
static void
test_day_boundary (void)
{
  const LimnerActivity ev[] = {
    { AT (21, 59, 0), LIMNER_ACTIVITY_OPEN_IMAGE, 3, 0 },
    { AT (22, 9, 0), LIMNER_ACTIVITY_EDIT_SHAPE, 3, 0 },
    { AT (22, 10, 0), LIMNER_ACTIVITY_SUBMIT, 3, 0 },
  };
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(LimnerActiveTime) at = NULL;
  g_autoptr(LimnerActiveTime) at_utc = NULL;
  g_autofree char *day1 = NULL;
  g_autofree char *day2 = NULL;

  g_assert_nonnull (plus2);
  at = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, plus2);
  g_assert_cmpfloat_with_epsilon (at->active_s, 180.0, EPS);
  g_assert_cmpuint (at->days->len, ==, 2);
  g_assert_cmpstr (g_array_index (at->days, LimnerDayTime, 0).date, ==, "2026-03-02");
  g_assert_cmpfloat_with_epsilon (g_array_index (at->days, LimnerDayTime, 0).active_s, 60.0, EPS);
  g_assert_cmpstr (g_array_index (at->days, LimnerDayTime, 1).date, ==, "2026-03-03");
  g_assert_cmpfloat_with_epsilon (g_array_index (at->days, LimnerDayTime, 1).active_s, 120.0, EPS);
  /* The image keeps the whole gap. */
  g_assert_cmpfloat_with_epsilon (image_time (at, 3)->active_s, 180.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_active_time_on_day (at, "2026-03-02", plus2), 60.0, EPS);
  g_assert_cmpfloat_with_epsilon (limner_active_time_on_day (at, "2026-03-03", plus2), 120.0, EPS);
  g_assert_cmpfloat (limner_active_time_on_day (at, "2026-03-04", plus2), ==, 0.0);

  day1 = limner_active_time_explain (at, "2026-03-02", plus2);
  g_assert_nonnull (strstr (day1, "23:59:00 → 00:09:00  gap 600 s  counted 120 s  capped at 120 s  image 3  open_image → edit_shape  (60 s on this day)\n"));
  g_assert_null (strstr (day1, "edit_shape → submit"));
  g_assert_true (g_str_has_suffix (day1, "Total active time: 60 s\n"));
  day2 = limner_active_time_explain (at, "2026-03-03", plus2);
  g_assert_nonnull (strstr (day2, "(60 s on this day)"));
  g_assert_nonnull (strstr (day2, "00:09:00 → 00:10:00  gap 60 s  counted 60 s  active  image 3  edit_shape → submit\n"));
  g_assert_true (g_str_has_suffix (day2, "Total active time: 120 s\n"));

  at_utc = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, utc);
  g_assert_cmpuint (at_utc->days->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (at_utc->days, LimnerDayTime, 0).active_s, 180.0, EPS);
}

/* Two images in turn (seconds): open 1 @0, create(1) @10, open 2 @40,
 * create(2) @50, open 1 @100, edit(1) @130, focus_in @140, claim of image 8
 * (from the command line, while 1 is open) @145, submit 1 @150.
 * Image 1: 10 + 30 + 30 + 10 + 5 (focus_in: the open image) = 85 s;
 * image 2: 10 + 50 = 60 s; image 8: 5 s (the claim names it). */
static void
test_two_images (void)
{
  const LimnerActivity ev[] = {
    { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (10), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 0 },
    { SEC (40), LIMNER_ACTIVITY_OPEN_IMAGE, 2, 0 },
    { SEC (50), LIMNER_ACTIVITY_CREATE_SHAPE, 2, 0 },
    { SEC (100), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (130), LIMNER_ACTIVITY_EDIT_SHAPE, 1, 0 },
    { SEC (140), LIMNER_ACTIVITY_FOCUS_IN, 0, 0 },
    { SEC (145), LIMNER_ACTIVITY_CLAIM, 8, 0 },
    { SEC (150), LIMNER_ACTIVITY_SUBMIT, 1, 0 },
  };
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, NULL);

  g_assert_cmpuint (at->images->len, ==, 3);
  g_assert_cmpint (g_array_index (at->images, LimnerImageTime, 0).image_id, ==, 1);
  g_assert_cmpint (g_array_index (at->images, LimnerImageTime, 2).image_id, ==, 8);
  g_assert_cmpfloat_with_epsilon (image_time (at, 1)->active_s, 85.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 2)->active_s, 60.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 8)->active_s, 5.0, EPS);
  g_assert_cmpfloat_with_epsilon (at->active_s, 150.0, EPS);
  g_assert_cmpfloat (at->review_s, ==, 0.0);
}

/* One user annotates, then reviews (seconds): open 1 @0, create @30,
 * submit 1 @60, open_review 9 @70, review_decision 9 @100, open 2 @110,
 * create 2 @140. Image 1: 30 + 30 + 10 = 70; image 9 (review): 30 + 10 = 40;
 * image 2: 30. Active 140 s, of which review 40 s. */
static void
test_annotator_and_reviewer (void)
{
  const LimnerActivity ev[] = {
    { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (30), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 0 },
    { SEC (60), LIMNER_ACTIVITY_SUBMIT, 1, 0 },
    { SEC (70), LIMNER_ACTIVITY_OPEN_REVIEW, 9, 0 },
    { SEC (100), LIMNER_ACTIVITY_REVIEW_DECISION, 9, 0 },
    { SEC (110), LIMNER_ACTIVITY_OPEN_IMAGE, 2, 0 },
    { SEC (140), LIMNER_ACTIVITY_CREATE_SHAPE, 2, 0 },
  };
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, NULL);

  g_assert_cmpfloat_with_epsilon (at->active_s, 140.0, EPS);
  g_assert_cmpfloat_with_epsilon (at->review_s, 40.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 1)->active_s, 70.0, EPS);
  g_assert_cmpfloat (image_time (at, 1)->review_s, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (image_time (at, 9)->review_s, 40.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 2)->active_s, 30.0, EPS);
  g_assert_cmpfloat (image_time (at, 2)->review_s, ==, 0.0);
  g_assert_true (gap (at, 3)->review);
  g_assert_false (gap (at, 5)->review);
}

/* Image 4 is rejected at 100 s (and again at 220 s: the first counts).
 * open 4 @0, submit 4 @50, open 5 @60, create 5 @90, open 4 @200, edit 4
 * @230, submit 4 @260. Image 4: 50 + 10 before the rejection, then 30 + 30
 * of rework; image 5: 30 + 110 (under the threshold). */
static void
test_rework (void)
{
  const LimnerActivity ev[] = {
    { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 4, 0 },
    { SEC (50), LIMNER_ACTIVITY_SUBMIT, 4, 0 },
    { SEC (60), LIMNER_ACTIVITY_OPEN_IMAGE, 5, 0 },
    { SEC (90), LIMNER_ACTIVITY_CREATE_SHAPE, 5, 0 },
    { SEC (200), LIMNER_ACTIVITY_OPEN_IMAGE, 4, 0 },
    { SEC (230), LIMNER_ACTIVITY_EDIT_SHAPE, 4, 0 },
    { SEC (260), LIMNER_ACTIVITY_SUBMIT, 4, 0 },
  };
  const LimnerRejection rej[] = { { 4, SEC (220) }, { 4, SEC (100) } };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), rej, 2, 120.0, utc);
  g_autofree char *text = limner_active_time_explain (at, NULL, utc);

  g_assert_cmpfloat_with_epsilon (at->rework_s, 60.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 4)->active_s, 120.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 4)->rework_s, 60.0, EPS);
  g_assert_cmpfloat_with_epsilon (image_time (at, 5)->active_s, 140.0, EPS);
  g_assert_cmpfloat (image_time (at, 5)->rework_s, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (at->days, LimnerDayTime, 0).rework_s, 60.0, EPS);
  g_assert_nonnull (strstr (text, "00:03:20 → 00:03:50  gap 30 s  counted 30 s  active  image 4 rework  open_image → edit_shape\n"));
}

/* Labels (seconds): open 1 @0, create label 5 @20, create label 5 @50,
 * edit label 6 @60, create label 6 @100, submit @110, focus_out @111,
 * create label 6 @400. The gaps ending on label 5's shapes: 20 + 30 = 50 s
 * for 2 shapes, 25 s each; on label 6's: 10 + 40 = 50 s (the last gap
 * starts with focus_out: 0) for 2 shapes, 25 s each. The submit gap goes to
 * no label. */
static void
test_labels (void)
{
  const LimnerActivity ev[] = {
    { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (20), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 5 },
    { SEC (50), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 5 },
    { SEC (60), LIMNER_ACTIVITY_EDIT_SHAPE, 1, 6 },
    { SEC (100), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 6 },
    { SEC (110), LIMNER_ACTIVITY_SUBMIT, 1, 0 },
    { SEC (111), LIMNER_ACTIVITY_FOCUS_OUT, 0, 0 },
    { SEC (400), LIMNER_ACTIVITY_CREATE_SHAPE, 1, 6 },
  };
  g_autoptr(LimnerActiveTime) at = compute (ev, G_N_ELEMENTS (ev), NULL, 0, 120.0, NULL);
  const LimnerLabelTime *l5, *l6;

  g_assert_cmpuint (at->labels->len, ==, 2);
  l5 = &g_array_index (at->labels, LimnerLabelTime, 0);
  l6 = &g_array_index (at->labels, LimnerLabelTime, 1);
  g_assert_cmpint (l5->label_id, ==, 5);
  g_assert_cmpfloat_with_epsilon (l5->active_s, 50.0, EPS);
  g_assert_cmpuint (l5->shapes_created, ==, 2);
  g_assert_cmpfloat_with_epsilon (l5->seconds_per_shape, 25.0, EPS);
  g_assert_cmpint (l6->label_id, ==, 6);
  g_assert_cmpfloat_with_epsilon (l6->active_s, 50.0, EPS);
  g_assert_cmpuint (l6->shapes_created, ==, 2);
  g_assert_cmpfloat_with_epsilon (l6->seconds_per_shape, 25.0, EPS);
  g_assert_cmpint (gap (at, 4)->label_id, ==, 0);
  g_assert_cmpfloat_with_epsilon (at->active_s, 111.0, EPS);
}

static void
test_empty_and_errors (void)
{
  const LimnerActivity one[] = { { SEC (0), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 } };
  const LimnerActivity unsorted[] = {
    { SEC (10), LIMNER_ACTIVITY_OPEN_IMAGE, 1, 0 },
    { SEC (5), LIMNER_ACTIVITY_EDIT_SHAPE, 1, 0 },
  };
  g_autoptr(LimnerActiveTime) none = compute (NULL, 0, NULL, 0, 120.0, NULL);
  g_autoptr(LimnerActiveTime) single = compute (one, 1, NULL, 0, 120.0, NULL);
  g_autofree char *text = limner_active_time_explain (none, NULL, NULL);
  g_autoptr(GError) error = NULL;
  LimnerActivityKind kind;

  g_assert_cmpuint (none->gaps->len, ==, 0);
  g_assert_cmpuint (none->days->len, ==, 0);
  g_assert_cmpfloat (none->active_s, ==, 0.0);
  g_assert_cmpuint (single->gaps->len, ==, 0);
  g_assert_cmpuint (single->images->len, ==, 0);
  g_assert_cmpuint (none->labels->len, ==, 0);
  g_assert_cmpstr (text, ==, "Total active time: 0 s\n");

  g_assert_null (limner_active_time_compute (unsorted, 2, NULL, 0, 120.0, NULL, &error));
  g_assert_error (error, LIMNER_STATS_ERROR, LIMNER_STATS_ERROR_UNSORTED);
  g_assert_nonnull (strstr (error->message, "Event 1 (edit_shape)"));
  g_clear_error (&error);
  g_assert_null (limner_active_time_compute (one, 1, NULL, 0, 0.0, NULL, &error));
  g_assert_error (error, LIMNER_STATS_ERROR, LIMNER_STATS_ERROR_INVALID);

  g_assert_true (limner_activity_kind_from_string ("shape.add", &kind));
  g_assert_cmpint (kind, ==, LIMNER_ACTIVITY_CREATE_SHAPE);
  g_assert_true (limner_activity_kind_from_string ("idle_start", &kind));
  g_assert_cmpint (kind, ==, LIMNER_ACTIVITY_IDLE_START);
  g_assert_false (limner_activity_kind_from_string ("label.add", &kind));
  g_assert_cmpstr (limner_activity_kind_to_string (LIMNER_ACTIVITY_REVIEW_DECISION), ==, "review_decision");
}

/* Five users; project targets 8 images/h, 40 shapes/h, acceptance 0.9, gold
 * IoU 0.85; cat's own target is 15 images/h.
 *   ann  20 images, 100 shapes in 2 h: 10/h, 50/h; images 100 300 200 400 s
 *        (median 250); rework 720 s (0.1); QC 8 accepted, 1 rejected, 1 fixed
 *        (p 0.8 of 10, [0.490162, 0.943318], 235 more reviews); gold tp 9
 *        fp 1 fn 1 IoU sum 7.2 (precision 0.9, recall 0.9, mean 0.8).
 *   bob  4 images, 10 shapes in 2 h: 2/h, 5/h; 5 accepted of 5 (too few).
 *   cat  12 images, 60 shapes in 1 h: 12/h, 60/h; 10 of 10 accepted; gold
 *        tp 10 fn 0 IoU 9.5 (0.95); reviews too: 6 accept, 2 reject, 2 fix
 *        in 1800 s = 20 per hour.
 *   dan  2 images, 4 shapes in 1800 s: 4/h, under one hour: too little data.
 *   eve  nothing (an empty range).
 * Images/h with enough data: 10, 2, 12: median 10; bob is below 5 (far, -1)
 *   and 6 below 8 (75 %); cat 3 below her own 15 (20 %); dan is not flagged.
 * Shapes/h: 50, 5, 60: median 50; bob below 25 (far) and 35 below 40 (87.5 %).
 * Acceptance: ann 0.8, cat 1.0: median 0.9; ann 0.1 below 0.9 (11.1 %).
 * Gold IoU: ann 0.8, cat 0.95: median 0.875; ann 0.05 below 0.85 (5.88 %). */
static void
test_figures (void)
{
  const double ann_images[] = { 100, 300, 200, 400 };
  LimnerUserCounts users[5] = { 0 };
  LimnerTargets project = { 8, 40, 0.9, 0.85 };
  LimnerTargets own[5] = { 0 };
  g_autoptr(GArray) figures = NULL;
  const LimnerUserFigures *ann, *bob, *cat, *dan, *eve;

  users[0] = (LimnerUserCounts) { .login = "ann", .images_submitted = 20, .shapes_created = 100,
                                  .active_s = 7200, .image_active_s = ann_images,
                                  .n_image_active_s = 4, .rework_s = 720, .qc_accepted = 8,
                                  .qc_rejected = 1, .qc_fixed = 1, .gold_tp = 9, .gold_fp = 1,
                                  .gold_fn = 1, .gold_iou_sum = 7.2 };
  users[1] = (LimnerUserCounts) { .login = "bob", .images_submitted = 4, .shapes_created = 10,
                                  .active_s = 7200, .qc_accepted = 5 };
  users[2] = (LimnerUserCounts) { .login = "cat", .images_submitted = 12, .shapes_created = 60,
                                  .active_s = 3600, .qc_accepted = 10, .gold_tp = 10,
                                  .gold_iou_sum = 9.5, .review_active_s = 1800,
                                  .decided_accept = 6, .decided_reject = 2, .decided_fix = 2 };
  users[3] = (LimnerUserCounts) { .login = "dan", .images_submitted = 2, .shapes_created = 4,
                                  .active_s = 1800 };
  users[4] = (LimnerUserCounts) { .login = "eve" };
  own[2].images_per_hour = 15;

  figures = limner_stats_figures (users, 5, &project, own);
  g_assert_cmpuint (figures->len, ==, 5);
  ann = &g_array_index (figures, LimnerUserFigures, 0);
  bob = &g_array_index (figures, LimnerUserFigures, 1);
  cat = &g_array_index (figures, LimnerUserFigures, 2);
  dan = &g_array_index (figures, LimnerUserFigures, 3);
  eve = &g_array_index (figures, LimnerUserFigures, 4);

  g_assert_cmpstr (ann->login, ==, "ann");
  g_assert_cmpfloat_with_epsilon (ann->images_per_hour, 10.0, EPS);
  g_assert_cmpfloat_with_epsilon (ann->shapes_per_hour, 50.0, EPS);
  g_assert_cmpfloat_with_epsilon (ann->median_image_s, 250.0, EPS);
  g_assert_cmpfloat_with_epsilon (ann->rework_share, 0.1, EPS);
  g_assert_cmpuint (ann->acceptance.trials, ==, 10);
  g_assert_cmpfloat_with_epsilon (ann->acceptance.low, 0.490162, 1e-5);
  g_assert_cmpfloat_with_epsilon (ann->acceptance.high, 0.943318, 1e-5);
  g_assert_cmpuint (ann->reviews_needed, ==, 235);
  g_assert_cmpuint (ann->rejections, ==, 1);
  g_assert_cmpfloat_with_epsilon (ann->corrections_per_image, 0.1, EPS);
  g_assert_cmpfloat_with_epsilon (ann->gold.precision, 0.9, EPS);
  g_assert_cmpfloat_with_epsilon (ann->gold.recall, 0.9, EPS);
  g_assert_cmpfloat_with_epsilon (ann->gold.mean_iou, 0.8, EPS);

  /* Images per hour. */
  g_assert_true (ann->checks[LIMNER_METRIC_IMAGES_PER_HOUR].has_median);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_IMAGES_PER_HOUR].median, 10.0, EPS);
  g_assert_false (ann->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_target);
  g_assert_cmpint (ann->checks[LIMNER_METRIC_IMAGES_PER_HOUR].far_from_median, ==, 0);
  g_assert_true (bob->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_target);
  g_assert_cmpfloat_with_epsilon (bob->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_by, 6.0, EPS);
  g_assert_cmpfloat_with_epsilon (bob->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_by_percent, 75.0, EPS);
  g_assert_cmpint (bob->checks[LIMNER_METRIC_IMAGES_PER_HOUR].far_from_median, ==, -1);
  g_assert_cmpfloat_with_epsilon (bob->checks[LIMNER_METRIC_IMAGES_PER_HOUR].ratio_to_median, 0.2, EPS);
  g_assert_cmpfloat (cat->checks[LIMNER_METRIC_IMAGES_PER_HOUR].target, ==, 15.0);
  g_assert_true (cat->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_target);
  g_assert_cmpfloat_with_epsilon (cat->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_by, 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (cat->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_by_percent, 20.0, EPS);
  /* dan is at 4/h, below 8, but under one active hour: no flag. */
  g_assert_cmpfloat_with_epsilon (dan->images_per_hour, 4.0, EPS);
  g_assert_false (dan->checks[LIMNER_METRIC_IMAGES_PER_HOUR].enough_data);
  g_assert_false (dan->checks[LIMNER_METRIC_IMAGES_PER_HOUR].below_target);
  g_assert_false (dan->checks[LIMNER_METRIC_IMAGES_PER_HOUR].has_median);

  /* Shapes per hour. */
  g_assert_cmpfloat_with_epsilon (bob->checks[LIMNER_METRIC_SHAPES_PER_HOUR].median, 50.0, EPS);
  g_assert_cmpint (bob->checks[LIMNER_METRIC_SHAPES_PER_HOUR].far_from_median, ==, -1);
  g_assert_cmpfloat_with_epsilon (bob->checks[LIMNER_METRIC_SHAPES_PER_HOUR].below_by_percent, 87.5, EPS);
  g_assert_cmpint (cat->checks[LIMNER_METRIC_SHAPES_PER_HOUR].far_from_median, ==, 0);

  /* Acceptance. */
  g_assert_false (bob->checks[LIMNER_METRIC_ACCEPTANCE_RATE].enough_data);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_ACCEPTANCE_RATE].median, 0.9, EPS);
  g_assert_true (ann->checks[LIMNER_METRIC_ACCEPTANCE_RATE].below_target);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_ACCEPTANCE_RATE].below_by, 0.1, EPS);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_ACCEPTANCE_RATE].below_by_percent, 100.0 / 9.0, 1e-9);
  g_assert_false (cat->checks[LIMNER_METRIC_ACCEPTANCE_RATE].below_target);

  /* Gold IoU. */
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_GOLD_IOU].median, 0.875, EPS);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_GOLD_IOU].below_by, 0.05, EPS);
  g_assert_cmpfloat_with_epsilon (ann->checks[LIMNER_METRIC_GOLD_IOU].below_by_percent, 500.0 / 85.0, 1e-9);
  g_assert_false (bob->checks[LIMNER_METRIC_GOLD_IOU].enough_data);

  /* cat as a reviewer. */
  g_assert_cmpuint (cat->reviewed, ==, 10);
  g_assert_cmpfloat_with_epsilon (cat->reviewed_per_hour, 20.0, EPS);
  g_assert_cmpfloat_with_epsilon (cat->accept_share, 0.6, EPS);
  g_assert_cmpfloat_with_epsilon (cat->reject_share, 0.2, EPS);
  g_assert_cmpfloat_with_epsilon (cat->fix_share, 0.2, EPS);

  /* An empty range: zeros, a [0, 1] interval, and no flags. */
  g_assert_cmpfloat (eve->images_per_hour, ==, 0.0);
  g_assert_cmpfloat (eve->median_image_s, ==, 0.0);
  g_assert_cmpuint (eve->acceptance.trials, ==, 0);
  g_assert_cmpfloat (eve->acceptance.high, ==, 1.0);
  g_assert_cmpuint (eve->reviews_needed, ==, 381);
  for (guint m = 0; m < LIMNER_N_METRICS; m++)
    {
      g_assert_false (eve->checks[m].enough_data);
      g_assert_false (eve->checks[m].below_target);
      g_assert_cmpint (eve->checks[m].far_from_median, ==, 0);
    }
}

/* 2026-01-01 is a Thursday, so week 1 of 2026 starts on Monday 2025-12-29
 * and 2026 has 53 weeks: Monday 2026-03-02 is 63 days on, in week 10;
 * Friday 2027-01-01 is still in 2026-W53; Monday 2024-12-30 opens 2025-W01. */
static void
test_weeks (void)
{
  char week[9];

  g_assert_true (limner_stats_week_of_day ("2026-03-02", week));
  g_assert_cmpstr (week, ==, "2026-W10");
  g_assert_true (limner_stats_week_of_day ("2027-01-01", week));
  g_assert_cmpstr (week, ==, "2026-W53");
  g_assert_true (limner_stats_week_of_day ("2024-12-30", week));
  g_assert_cmpstr (week, ==, "2025-W01");
  g_assert_false (limner_stats_week_of_day ("2026-02-30", week));
  g_assert_false (limner_stats_week_of_day ("2026-03-02x", week));
}

static void
test_median (void)
{
  const double odd[] = { 5, 1, 3 };
  const double even[] = { 4, 1, 3, 2 };

  g_assert_cmpfloat (limner_stats_median (odd, 3), ==, 3.0);
  g_assert_cmpfloat (limner_stats_median (even, 4), ==, 2.5);
  g_assert_cmpfloat (limner_stats_median (NULL, 0), ==, 0.0);
  /* The input keeps its order. */
  g_assert_cmpfloat (odd[0], ==, 5.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/stats/worked-example", test_worked_example);
  g_test_add_func ("/core/stats/idle", test_idle);
  g_test_add_func ("/core/stats/day-boundary", test_day_boundary);
  g_test_add_func ("/core/stats/two-images", test_two_images);
  g_test_add_func ("/core/stats/annotator-and-reviewer", test_annotator_and_reviewer);
  g_test_add_func ("/core/stats/rework", test_rework);
  g_test_add_func ("/core/stats/labels", test_labels);
  g_test_add_func ("/core/stats/empty-and-errors", test_empty_and_errors);
  g_test_add_func ("/core/stats/figures", test_figures);
  g_test_add_func ("/core/stats/weeks", test_weeks);
  g_test_add_func ("/core/stats/median", test_median);

  return g_test_run ();
}
