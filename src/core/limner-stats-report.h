/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-stats-report.h: the table of people, as the CLI prints it and the
 * GUI shows and exports it. One list of columns, one way to compute and
 * format each cell, so `limner-cli stats --csv` and the analytics page's
 * CSV export are the same text for the same query.
 */
#pragma once

#include <jansson.h>

#include "limner-store-stats.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_STATS_COL_LOGIN,
  LIMNER_STATS_COL_IMAGES_SUBMITTED,
  LIMNER_STATS_COL_SHAPES_CREATED,
  LIMNER_STATS_COL_SHAPES_EDITED,
  LIMNER_STATS_COL_SHAPES_DELETED,
  LIMNER_STATS_COL_ACTIVE_HOURS,
  LIMNER_STATS_COL_IMAGES_PER_HOUR,
  LIMNER_STATS_COL_SHAPES_PER_HOUR,
  LIMNER_STATS_COL_MEDIAN_IMAGE_S,
  LIMNER_STATS_COL_REWORK_S,
  LIMNER_STATS_COL_ACCEPTANCE,
  LIMNER_STATS_COL_ACCEPTANCE_N,
  LIMNER_STATS_COL_ACCEPTANCE_LOW,
  LIMNER_STATS_COL_ACCEPTANCE_HIGH,
  LIMNER_STATS_COL_REJECTIONS,
  LIMNER_STATS_COL_CORRECTIONS_PER_IMAGE,
  LIMNER_STATS_COL_GOLD_PRECISION,
  LIMNER_STATS_COL_GOLD_RECALL,
  LIMNER_STATS_COL_GOLD_MEAN_IOU,
  LIMNER_STATS_COL_REVIEW_HOURS,
  LIMNER_STATS_COL_REVIEWED,
  LIMNER_STATS_COL_REVIEWED_PER_HOUR,
  LIMNER_STATS_COL_ACCEPT_SHARE,
  LIMNER_STATS_COL_REJECT_SHARE,
  LIMNER_STATS_COL_FIX_SHARE,
  LIMNER_STATS_N_COLUMNS
} LimnerStatsColumn;

/* The column's machine name ("images_per_hour"), as in CSV and JSON. */
const char *limner_stats_column_id    (LimnerStatsColumn column);
/* Its translated title with its unit ("Images / h"). */
const char *limner_stats_column_title (LimnerStatsColumn column);

/* The number in a cell (not for LOGIN). FALSE when the figure has no data
 * (gold scores where none are recorded); then *value is 0. */
gboolean    limner_stats_cell_value   (const LimnerStatsResult *result,
                                       const LimnerStatsPeriod *period,
                                       guint                    user,
                                       LimnerStatsColumn        column,
                                       double                  *value);
/* The cell as text: the login, integers as such, other numbers with three
 * decimals ("%.3f", C locale), "" for no data. Newly allocated. */
char       *limner_stats_cell_text    (const LimnerStatsResult *result,
                                       const LimnerStatsPeriod *period,
                                       guint                    user,
                                       LimnerStatsColumn        column);

/* How a metric of one user compares, in one sentence ("below target by
 * 2.500 (25 %)", "far below the team median (0.40×)", "too little data"),
 * or "" when there is nothing to say. Translated; newly allocated. */
char       *limner_stats_check_text   (const LimnerFigureCheck *check);

/* CSV: a header, then one row per user of the whole range (period column
 * empty) or, when the result is grouped, one row per period and user. Every
 * column above, then one flag column per metric. RFC 4180 quoting, "\n". */
char       *limner_stats_result_to_csv  (const LimnerStatsResult *result);
/* The CSV of the whole range only (the rows `limner-cli stats --csv` prints
 * without --by), even when the result is grouped. */
char       *limner_stats_result_total_to_csv (const LimnerStatsResult *result);
/* The same figures as JSON: {"idle_threshold_s", "targets", "users": [...],
 * "periods": [{"period", "users": [...]}], "labels": [...], "gold": "no data"|...}. */
json_t     *limner_stats_result_to_json (const LimnerStatsResult *result);

G_END_DECLS
