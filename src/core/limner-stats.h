/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-stats.h: active time and throughput figures, from plain data.
 *
 * THE ACTIVE-TIME RULE. Take one user's events in time order. For each two
 * consecutive events E and F, the gap F.time - E.time counts as
 *
 *   0                   when E is focus_out or idle_start (the user was away);
 *   the idle threshold  when the gap is longer than the threshold (120 s
 *                       unless a lead sets another);
 *   the whole gap       otherwise.
 *
 * Nothing is counted before the first event or after the last one. The gap
 * is spent on E's image when E names one, else on the image open at E (set
 * by the most recent open_image or open_review at or before E; an open of
 * image 0 closes it), else on no image (id 0). It is review time when E is a
 * review_decision, or when its image is the open one and was opened with
 * open_review; the rest is annotating time. It is rework when its image had
 * been rejected at or before the gap's start.
 *
 * Labels: a gap that ends with create_shape or edit_shape of a labelled
 * shape is the time spent drawing or editing it, so it also counts for that
 * label; a label's seconds per shape are that time over the shapes of the
 * label created in the events.
 *
 * Days are local dates in the time zone given. The counted seconds of a gap
 * are placed at its start, [start, start + counted); when that interval runs
 * past local midnight it is split there, and each part goes to its own date.
 * Totals per image are not split.
 *
 * A worked example, threshold 120 s:
 *
 *   09:00:00 open_image 7
 *   09:00:30 create_shape 7   gap 30 s after open_image:         30 s, image 7
 *   09:01:00 focus_out        gap 30 s after create_shape:       30 s, image 7
 *   09:20:00 focus_in         gap 1140 s after focus_out:         0 s
 *   09:20:10 edit_shape 7     gap 10 s after focus_in:           10 s, image 7
 *                             (focus_in names no image; 7 is open)
 *   09:30:10 submit 7         gap 600 s after edit_shape, capped: 120 s, image 7
 *
 *   active time 30 + 30 + 0 + 10 + 120 = 190 s, all of it on image 7.
 *
 * THROUGHPUT FIGURES come from per-user counts (LimnerUserCounts), see
 * limner_stats_figures() below for every formula, flag and threshold.
 */
#pragma once

#include <glib.h>

#include "limner-gold.h"
#include "limner-qc.h"

G_BEGIN_DECLS

#define LIMNER_STATS_DEFAULT_IDLE_SECONDS 120.0

#define LIMNER_STATS_ERROR (limner_stats_error_quark ())
GQuark limner_stats_error_quark (void);

typedef enum {
  LIMNER_STATS_ERROR_UNSORTED,   /* events not in time order */
  LIMNER_STATS_ERROR_INVALID,    /* a bad argument, such as a threshold <= 0 */
} LimnerStatsError;

typedef enum {
  LIMNER_ACTIVITY_OPEN_IMAGE,
  LIMNER_ACTIVITY_OPEN_REVIEW,     /* opened an image from the review queue */
  LIMNER_ACTIVITY_CREATE_SHAPE,
  LIMNER_ACTIVITY_EDIT_SHAPE,
  LIMNER_ACTIVITY_DELETE_SHAPE,
  LIMNER_ACTIVITY_CLAIM,
  LIMNER_ACTIVITY_RELEASE,
  LIMNER_ACTIVITY_SUBMIT,
  LIMNER_ACTIVITY_REVIEW_DECISION,
  LIMNER_ACTIVITY_GOLD_SCORE,
  LIMNER_ACTIVITY_FOCUS_IN,
  LIMNER_ACTIVITY_FOCUS_OUT,
  LIMNER_ACTIVITY_IDLE_START,
  LIMNER_ACTIVITY_IDLE_END,
  LIMNER_ACTIVITY_OTHER,           /* any other event: it only splits gaps */
} LimnerActivityKind;

/* "open_image", "open_review", "create_shape", "edit_shape", "delete_shape",
 * "claim", "release", "submit", "review_decision", "gold_score", "focus_in",
 * "focus_out", "idle_start", "idle_end", "other". */
const char *limner_activity_kind_to_string   (LimnerActivityKind kind);
/* Accepts the names above and the store's event kinds "shape.add",
 * "shape.update", "shape.delete", "image.claim", "image.release",
 * "image.open", "image.submit", "review.accept", "review.reject",
 * "review.fix", "gold.score", "app.focus_in", "app.focus_out",
 * "app.idle_start", "app.idle_end". FALSE for
 * anything else (callers may then use LIMNER_ACTIVITY_OTHER). */
gboolean    limner_activity_kind_from_string (const char         *str,
                                              LimnerActivityKind *out);

typedef struct {
  gint64              time_us;   /* unix microseconds */
  LimnerActivityKind  kind;
  gint64              image_id;  /* 0 when the event names no image */
  gint64              label_id;  /* shape events: the shape's label; else 0 */
} LimnerActivity;

/* When an image of this user was rejected (for rework time). */
typedef struct {
  gint64 image_id;
  gint64 time_us;
} LimnerRejection;

typedef enum {
  LIMNER_GAP_ACTIVE,      /* counted in full */
  LIMNER_GAP_CAPPED,      /* longer than the threshold: counted as the threshold */
  LIMNER_GAP_FOCUS_OUT,   /* starts with focus_out: 0 */
  LIMNER_GAP_IDLE,        /* starts with idle_start: 0 */
} LimnerGapReason;

typedef struct {
  gint64              start_us;
  gint64              end_us;
  double              gap_s;      /* (end - start) / 1e6 */
  double              counted_s;  /* what the rule counts, 0 <= counted <= gap */
  LimnerGapReason     reason;
  gint64              image_id;   /* 0 for none */
  gboolean            review;
  gboolean            rework;
  LimnerActivityKind  from_kind;  /* E */
  LimnerActivityKind  to_kind;    /* F */
  gint64              label_id;   /* F's label when F creates or edits a shape, else 0 */
} LimnerActiveGap;

typedef struct {
  gint64 image_id;   /* 0 collects the time on no image */
  double active_s;   /* all counted time, review and rework included */
  double review_s;
  double rework_s;
} LimnerImageTime;

typedef struct {
  char   date[11];   /* "YYYY-MM-DD", local */
  double active_s;
  double review_s;
  double rework_s;
} LimnerDayTime;

typedef struct {
  gint64 label_id;
  double active_s;          /* counted time of the gaps that end on its shapes */
  guint  shapes_created;    /* create_shape events with this label */
  double seconds_per_shape; /* active_s / shapes_created, 0 when none created */
} LimnerLabelTime;

typedef struct {
  double  idle_threshold_s;
  GArray *gaps;      /* of LimnerActiveGap, in time order, one per pair of events */
  GArray *images;    /* of LimnerImageTime, by image id ascending, only images with counted time */
  GArray *days;      /* of LimnerDayTime, by date ascending, only dates with counted time */
  GArray *labels;    /* of LimnerLabelTime, by label id ascending: labels with a created shape or counted time */
  double  active_s;  /* the sum of every gap's counted_s */
  double  review_s;
  double  rework_s;
} LimnerActiveTime;

/* Applies the rule at the top of this file to `events` (n_events of them,
 * time_us non-decreasing) of one user. `rejections` (may be NULL when
 * n_rejections = 0) say when this user's images were rejected; an image
 * rejected twice counts from its first rejection. `tz` (NULL = local time)
 * decides the dates. `idle_threshold_s` must be > 0. Fails with
 * LIMNER_STATS_ERROR_UNSORTED naming the first event out of order. Zero or
 * one event gives empty arrays and zero totals. */
LimnerActiveTime *limner_active_time_compute (const LimnerActivity  *events,
                                              guint                  n_events,
                                              const LimnerRejection *rejections,
                                              guint                  n_rejections,
                                              double                 idle_threshold_s,
                                              GTimeZone             *tz,
                                              GError               **error);
void              limner_active_time_free    (LimnerActiveTime *at);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerActiveTime, limner_active_time_free)

/* The counted seconds of `at` on local date `day` ("YYYY-MM-DD") in `tz`
 * (NULL = local), splitting at midnight as above; 0 for a date with none or
 * a malformed one. */
double            limner_active_time_on_day  (const LimnerActiveTime *at,
                                              const char             *day,
                                              GTimeZone              *tz);

/* The ISO 8601 week of local date `day` ("YYYY-MM-DD"), as "YYYY-Www" (the
 * week's year, which differs from the date's near New Year), into `out`.
 * Weeks run Monday to Sunday, so weekly figures are the sums of their days.
 * FALSE for a malformed date. */
gboolean          limner_stats_week_of_day   (const char *day,
                                              char        out[9]);

/* The gap-by-gap explanation for `limner-cli stats --explain`: one line per
 * gap that starts on `day` or whose counted time reaches into it (NULL =
 * every gap), in time order:
 *   "09:20:10 → 09:30:10  gap 600 s  counted 120 s  capped at 120 s  image 7  edit_shape → submit"
 * with " review" and " rework" after the image when they apply and, when the
 * gap crosses midnight, "(N s on this day)". Then one line with the total of
 * counted seconds (on `day` only, if given; a malformed `day` counts as
 * NULL, so callers check it first). Times are local in `tz` (NULL = local).
 * Newly allocated; the words are translated. */
char             *limner_active_time_explain (const LimnerActiveTime *at,
                                              const char             *day,
                                              GTimeZone              *tz);

/* --- Throughput -------------------------------------------------------- */

/* One user's counts over a range of dates, as the store gathers them. */
typedef struct {
  const char   *login;
  /* as an annotator */
  guint         images_submitted;
  guint         shapes_created;
  guint         shapes_edited;
  guint         shapes_deleted;
  double        active_s;          /* annotating time: total minus review time */
  const double *image_active_s;    /* annotating seconds of each image worked on */
  guint         n_image_active_s;
  double        rework_s;
  guint         qc_accepted;       /* reviewers' decisions on this user's images */
  guint         qc_rejected;
  guint         qc_fixed;
  guint         gold_tp;
  guint         gold_fp;
  guint         gold_fn;
  double        gold_iou_sum;
  /* as a reviewer */
  double        review_active_s;
  guint         decided_accept;    /* decisions this user made */
  guint         decided_reject;
  guint         decided_fix;
} LimnerUserCounts;

/* Targets a lead sets; a value <= 0 means "no target". */
typedef struct {
  double images_per_hour;
  double shapes_per_hour;
  double acceptance_rate;   /* 0..1 */
  double gold_iou;          /* 0..1 */
} LimnerTargets;

typedef enum {
  LIMNER_METRIC_IMAGES_PER_HOUR,
  LIMNER_METRIC_SHAPES_PER_HOUR,
  LIMNER_METRIC_ACCEPTANCE_RATE,
  LIMNER_METRIC_GOLD_IOU,
  LIMNER_N_METRICS
} LimnerMetric;

/* How one figure of one user compares. */
typedef struct {
  double   value;
  gboolean enough_data;    /* FALSE: "too little data", and no flag is set */
  gboolean has_target;
  double   target;
  gboolean below_target;
  double   below_by;         /* target - value when below, else 0 */
  double   below_by_percent; /* 100 * below_by / target */
  gboolean has_median;     /* at least two users with enough data */
  double   median;         /* of the users with enough data, this one included */
  int      far_from_median;  /* -1 below half the median, +1 above double it, else 0 */
  double   ratio_to_median;  /* value / median, 0 when the median is 0 */
} LimnerFigureCheck;

/* Below these a figure says "too little data" instead of being flagged. */
#define LIMNER_STATS_MIN_ACTIVE_SECONDS 3600.0  /* per-hour rates: one active hour */
#define LIMNER_STATS_MIN_REVIEWS        10      /* acceptance rate: ten reviews */
#define LIMNER_STATS_MIN_GOLD_SHAPES    10      /* gold IoU: ten reference shapes (tp + fn) */

typedef struct {
  const char      *login;             /* borrowed from the counts */
  /* as an annotator */
  double           active_hours;      /* active_s / 3600 */
  double           images_per_hour;   /* images_submitted / active_hours */
  double           shapes_per_hour;   /* shapes_created / active_hours */
  double           median_image_s;    /* median of image_active_s (mean of the two
                                       * middle values for an even count), 0 if none */
  double           rework_s;
  double           rework_share;      /* rework_s / active_s */
  LimnerWilson     acceptance;        /* qc_accepted out of accepted + rejected + fixed:
                                       * a reviewer's fix is not an acceptance as is */
  guint            reviews_needed;    /* more reviews to narrow it to +/- 5 points */
  guint            rejections;        /* qc_rejected */
  double           corrections_per_image; /* qc_fixed / reviewed images */
  LimnerGoldScore  gold;              /* from gold_tp, _fp, _fn, _iou_sum */
  /* as a reviewer */
  double           review_hours;
  guint            reviewed;          /* decided_accept + decided_reject + decided_fix */
  double           reviewed_per_hour;
  double           accept_share;      /* of `reviewed`; 0 when none */
  double           reject_share;
  double           fix_share;
  /* targets and the team median, by LimnerMetric */
  LimnerFigureCheck checks[LIMNER_N_METRICS];
} LimnerUserFigures;

/* The figures of each of `users` (n_users), in the same order, as a GArray
 * of LimnerUserFigures. Every rate whose denominator is 0 is 0. The checks,
 * for each LimnerMetric (images/hour, shapes/hour, acceptance rate p, gold
 * mean IoU):
 *
 *   enough_data     active_s >= LIMNER_STATS_MIN_ACTIVE_SECONDS for the two
 *                   rates; reviews >= LIMNER_STATS_MIN_REVIEWS for acceptance;
 *                   gold tp + fn >= LIMNER_STATS_MIN_GOLD_SHAPES for IoU.
 *                   Without it nothing below is flagged.
 *   target          the user's own target (`user_targets[i]`, when that array
 *                   is given and the value is > 0), else the project's (when
 *                   `project_targets` is given and the value is > 0), else none.
 *   below_target    value < target; below_by = target - value and
 *                   below_by_percent = 100 * below_by / target.
 *   median          over the users with enough data for that metric; only
 *                   when there are at least two of them.
 *   far_from_median -1 when value < median / 2, +1 when value > 2 * median.
 */
GArray *limner_stats_figures (const LimnerUserCounts *users,
                              guint                   n_users,
                              const LimnerTargets    *project_targets,
                              const LimnerTargets    *user_targets);

/* The median of `values` (n of them; mean of the two middle ones when n is
 * even), 0 when n = 0. `values` is not changed. */
double  limner_stats_median (const double *values,
                             guint         n);

G_END_DECLS
