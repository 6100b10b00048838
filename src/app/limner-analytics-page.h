/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-analytics-page.h: throughput analytics for leads.
 *
 * A sortable table of people (one column per figure of
 * limner-stats-report.h, plus the flags against targets and the team
 * median), a bar chart of images per hour against the target, a daily
 * throughput line, acceptance rates with their 95 % Wilson intervals, a date
 * range (today, 7 days, 30 days, all, custom) and CSV export of the table.
 * The figures are limner_store_compute_stats_async()'s, the same code as
 * `limner-cli stats`, computed off the main thread with a spinner.
 *
 * Like the versions page it has its own header bar with a back button that
 * emits "close-requested".
 */
#pragma once

#include <adwaita.h>

#include "limner-stats-report.h"
#include "limner-store.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_ANALYTICS_TODAY,
  LIMNER_ANALYTICS_7_DAYS,
  LIMNER_ANALYTICS_30_DAYS,
  LIMNER_ANALYTICS_ALL,
  LIMNER_ANALYTICS_CUSTOM,
} LimnerAnalyticsRange;

/* One person in the table. */
#define LIMNER_TYPE_ANALYTICS_ROW (limner_analytics_row_get_type ())
G_DECLARE_FINAL_TYPE (LimnerAnalyticsRow, limner_analytics_row, LIMNER, ANALYTICS_ROW, GObject)

/* The cell as the CSV has it (limner_stats_cell_text()). */
char       *limner_analytics_row_dup_text  (LimnerAnalyticsRow *row,
                                            LimnerStatsColumn   column);
/* The flags of every metric, joined ("" when none). */
char       *limner_analytics_row_dup_flags (LimnerAnalyticsRow *row);

#define LIMNER_TYPE_ANALYTICS_PAGE (limner_analytics_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerAnalyticsPage, limner_analytics_page, LIMNER, ANALYTICS_PAGE, GtkWidget)

GtkWidget   *limner_analytics_page_new       (void);
/* Shows the figures of `store` (NULL clears the page) and computes them. */
void         limner_analytics_page_set_store (LimnerAnalyticsPage *self,
                                              LimnerStore         *store);
LimnerStore *limner_analytics_page_get_store (LimnerAnalyticsPage *self);
/* Computes again (a new one replaces one still running). */
void         limner_analytics_page_reload    (LimnerAnalyticsPage *self);
/* Picks a range; `from` and `to` ("YYYY-MM-DD", local) only for CUSTOM. */
void         limner_analytics_page_set_range (LimnerAnalyticsPage  *self,
                                              LimnerAnalyticsRange  range,
                                              const char           *from,
                                              const char           *to);
/* TRUE while figures are being computed. "computed" is emitted when new
 * ones are on screen (or the computation failed). */
gboolean     limner_analytics_page_get_busy  (LimnerAnalyticsPage *self);
/* The table's rows in their shown (sorted) order, of LimnerAnalyticsRow. */
GListModel  *limner_analytics_page_get_model (LimnerAnalyticsPage *self);
GtkColumnView *limner_analytics_page_get_column_view (LimnerAnalyticsPage *self);
/* The figures shown, or NULL before the first result. */
const LimnerStatsResult *limner_analytics_page_get_result (LimnerAnalyticsPage *self);
/* The first and last day shown ("" for no bound). */
const char  *limner_analytics_page_get_from  (LimnerAnalyticsPage *self);
const char  *limner_analytics_page_get_to    (LimnerAnalyticsPage *self);
typedef enum {
  LIMNER_ANALYTICS_CHART_IMAGES_PER_HOUR,
  LIMNER_ANALYTICS_CHART_DAILY,
  LIMNER_ANALYTICS_CHART_ACCEPTANCE,
  LIMNER_ANALYTICS_CHART_LABELS,
} LimnerAnalyticsChart;

/* One of the page's charts (a LimnerChart). */
GtkWidget   *limner_analytics_page_get_chart (LimnerAnalyticsPage  *self,
                                              LimnerAnalyticsChart  chart);
/* Writes the table as CSV (limner_stats_result_total_to_csv()) to `path`
 * atomically. */
gboolean     limner_analytics_page_export_csv (LimnerAnalyticsPage  *self,
                                               const char           *path,
                                               GError              **error);

G_END_DECLS
