/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-stats.h: throughput analytics from the event log. Part of the
 * store module.
 *
 * One call, limner_store_compute_stats(), gathers each user's events in a
 * date range (one range scan of the events' ts index), the reviews table's decisions and
 * rejections (SQL aggregates), the idle threshold and the targets, then
 * applies the active-time rule and the figures of limner-stats.h. The CLI
 * and the GUI both show what it returns, so they always agree.
 *
 * How events become activities (limner-stats.h): the store's own kinds
 * ("shape.add", "image.claim", ...) and the GUI's "image.open" (with
 * {"mode": "review"} for open_review), "app.focus_in", "app.focus_out",
 * "app.idle_start", "app.idle_end"; "image.submit", "image.status" to
 * "submitted" (one submission when both are logged within a second),
 * "review.accept", "review.reject", "review.fix" and "gold.score". Anything
 * else only splits gaps.
 */
#pragma once

#include "limner-stats.h"
#include "limner-store.h"

G_BEGIN_DECLS

/* The project setting holding the idle threshold in seconds. */
#define LIMNER_STATS_IDLE_SETTING "stats.idle_threshold"

typedef enum {
  LIMNER_STATS_BY_RANGE,  /* one period: the whole range */
  LIMNER_STATS_BY_DAY,
  LIMNER_STATS_BY_WEEK,   /* ISO weeks, "YYYY-Www" */
} LimnerStatsGrouping;

typedef struct {
  const char          *from_day;  /* "YYYY-MM-DD", local; NULL = no lower bound */
  const char          *to_day;    /* inclusive; NULL = no upper bound */
  const char          *login;     /* NULL = everyone */
  LimnerStatsGrouping  group_by;
  GTimeZone           *tz;        /* NULL = local time */
} LimnerStatsQuery;

/* One period's figures: counts and figures have one entry per login of the
 * result, in the same order. */
typedef struct {
  char   *period;   /* "YYYY-MM-DD", "YYYY-Www", or NULL for the whole range */
  GArray *counts;   /* of LimnerUserCounts (their arrays owned here) */
  GArray *figures;  /* of LimnerUserFigures, from limner_stats_figures() */
} LimnerStatsPeriod;

/* Seconds per shape of one label, over everyone in the result. */
typedef struct {
  gint64  label_id;
  char   *name;               /* NULL for a label deleted since */
  double  active_s;
  guint   shapes_created;
  double  seconds_per_shape;  /* 0 when none was created */
} LimnerStatsLabel;

typedef struct {
  double             idle_threshold_s;
  LimnerTargets      project_targets;
  GPtrArray         *logins;        /* of char *, sorted */
  GArray            *user_targets;  /* of LimnerTargets, one per login (0 = none) */
  LimnerStatsPeriod  total;         /* the whole range */
  GPtrArray         *periods;       /* of LimnerStatsPeriod *, ascending; empty for BY_RANGE */
  GArray            *labels;        /* of LimnerStatsLabel, by label id */
  gboolean           has_gold;      /* FALSE: no gold scores are recorded in this project */
} LimnerStatsResult;

void limner_stats_result_free (LimnerStatsResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerStatsResult, limner_stats_result_free)

/* The figures of `query`. Fails with LIMNER_STORE_ERROR_INVALID naming a
 * malformed date or a range that ends before it starts, and with
 * G_IO_ERROR_CANCELLED. Any user may read them. A range with no activity
 * gives no logins and empty arrays. */
LimnerStatsResult *limner_store_compute_stats (LimnerStore             *store,
                                               const LimnerStatsQuery  *query,
                                               GCancellable            *cancellable,
                                               GError                 **error);

/* limner_store_compute_stats() on a worker thread with its own store, so
 * the main loop never waits; `query` is copied. */
void               limner_store_compute_stats_async  (LimnerStore             *store,
                                                      const LimnerStatsQuery  *query,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
LimnerStatsResult *limner_store_compute_stats_finish (GAsyncResult            *result,
                                                      GError                 **error);

/* One user's activities on `day` ("YYYY-MM-DD", local in `tz`, NULL =
 * local) with the gaps that reach into it, for --explain: the events from
 * one threshold before the day's start to its end. */
LimnerActiveTime *limner_store_compute_active_time (LimnerStore  *store,
                                                    const char   *login,
                                                    const char   *day,
                                                    GTimeZone    *tz,
                                                    GError      **error);

/* The idle threshold: the setting above when it holds a number > 0, else
 * LIMNER_STATS_DEFAULT_IDLE_SECONDS. */
double   limner_store_get_idle_threshold (LimnerStore *store);

/* Targets: `login` NULL for the project's. A missing value is 0. */
gboolean limner_store_get_targets (LimnerStore    *store,
                                   const char     *login,
                                   LimnerTargets  *out,
                                   GError        **error);
/* Sets the values of `targets` that are >= 0 (a negative one is left as it
 * was; 0 removes that target). Rates are 0..1. Lead only. */
gboolean limner_store_set_targets (LimnerStore          *store,
                                   const char           *login,
                                   const LimnerTargets  *targets,
                                   GError              **error);

/* Logs an event with an explicit timestamp (unix µs) as the acting user,
 * inside the current write: the autosave writer queues GUI events and
 * writes them later with the time they happened. */
gboolean limner_store_log_event_at (LimnerStore  *store,
                                    gint64        ts_us,
                                    const char   *kind,
                                    gint64        image_id,
                                    const char   *detail_json,
                                    GError      **error);

G_END_DECLS
