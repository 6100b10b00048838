/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytics page under a display (Xvfb), on the hand-computed event log
 * of limner-test-stats.c: the table holds what `limner-cli stats --csv`
 * prints, cell for cell; it sorts by a column; a new range recomputes it;
 * the CSV export is the CLI's text. Without a display this test fails. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "limner-activity-monitor.h"
#include "limner-analytics-page.h"
#include "limner-annotate-page.h"
#include "limner-chart.h"
#include "limner-test-app.h"
#include "limner-test-stats.h"
#include "limner-test-util.h"

#define TIMEOUT_MS 60000

static char *tmp_root;

static char *
cli_csv (const char *dir,
         const char *from,
         const char *to)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("LIMNER_CLI"), "stats", dir, "--csv",
                         from != NULL ? "--from" : NULL, from, "--to", to, NULL };
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static gboolean
computed (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_computed (LimnerAnalyticsPage *page,
             gboolean            *flag)
{
  *flag = TRUE;
}

/* Starts `change` and waits until the page shows new figures. */
static void
wait_computed (LimnerAnalyticsPage *page,
               gboolean            *flag)
{
  g_assert_true (limner_test_wait_for (computed, flag, TIMEOUT_MS));
  g_assert_false (limner_analytics_page_get_busy (page));
  *flag = FALSE;
}

static char *
row_login (GListModel *model,
           guint       i)
{
  g_autoptr(LimnerAnalyticsRow) row = g_list_model_get_item (model, i);

  return limner_analytics_row_dup_text (row, LIMNER_STATS_COL_LOGIN);
}

/* Every cell of the table equals the CLI's CSV field; the rows are in the
 * CSV's order (the table unsorted). */
static void
assert_table_is (LimnerAnalyticsPage *page,
                 const char          *csv)
{
  GListModel *model = limner_analytics_page_get_model (page);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n_rows = g_strv_length (lines) - 2; /* header, and the empty end */

  g_assert_null (strchr (csv, '"'));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(LimnerAnalyticsRow) row = g_list_model_get_item (model, i);
      g_auto(GStrv) fields = g_strsplit (lines[i + 1], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 1 + LIMNER_STATS_N_COLUMNS + LIMNER_N_METRICS);
      for (guint c = 0; c < LIMNER_STATS_N_COLUMNS; c++)
        {
          g_autofree char *text = limner_analytics_row_dup_text (row, c);

          g_assert_cmpstr (text, ==, fields[1 + c]);
        }
    }
}

static void
test_analytics_page (void)
{
  g_autofree char *dir = g_build_filename (tmp_root, "stats-project", NULL);
  g_autofree char *csv_path = g_build_filename (tmp_root, "exported.csv", NULL);
  g_autoptr(LimnerStore) store = limner_test_stats_project (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *all_csv = cli_csv (dir, NULL, NULL);
  g_autofree char *day_csv = cli_csv (dir, "2026-03-03", "2026-03-03");
  g_autofree char *exported = NULL;
  GtkWidget *window = adw_window_new ();
  LimnerAnalyticsPage *page = LIMNER_ANALYTICS_PAGE (limner_analytics_page_new ());
  GtkColumnView *view = limner_analytics_page_get_column_view (page);
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) active_col = g_list_model_get_item (columns, LIMNER_STATS_COL_ACTIVE_HOURS);
  g_autoptr(GtkColumnViewColumn) login_col = g_list_model_get_item (columns, LIMNER_STATS_COL_LOGIN);
  GListModel *model = limner_analytics_page_get_model (page);
  gboolean done = FALSE;
  LimnerChart *chart;
  char *first;

  g_signal_connect (page, "computed", G_CALLBACK (on_computed), &done);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  gtk_window_present (GTK_WINDOW (window));

  /* All time: the page computes on a worker, with the spinner shown. */
  limner_analytics_page_set_store (page, store);
  g_assert_true (limner_analytics_page_get_busy (page));
  wait_computed (page, &done);
  g_assert_cmpstr (limner_analytics_page_get_from (page), ==, "");
  assert_table_is (page, all_csv);
  limner_test_iterate (100); /* the charts draw */
  /* two people, two days, two labels (car 62.5 s per shape: an axis to 100) */
  chart = LIMNER_CHART (limner_analytics_page_get_chart (page, LIMNER_ANALYTICS_CHART_IMAGES_PER_HOUR));
  g_assert_cmpuint (limner_chart_get_n_items (chart), ==, 2);
  chart = LIMNER_CHART (limner_analytics_page_get_chart (page, LIMNER_ANALYTICS_CHART_DAILY));
  g_assert_cmpuint (limner_chart_get_n_items (chart), ==, 2);
  chart = LIMNER_CHART (limner_analytics_page_get_chart (page, LIMNER_ANALYTICS_CHART_ACCEPTANCE));
  g_assert_cmpuint (limner_chart_get_n_items (chart), ==, 2);
  g_assert_cmpfloat (limner_chart_get_axis_max (chart), ==, 1);
  chart = LIMNER_CHART (limner_analytics_page_get_chart (page, LIMNER_ANALYTICS_CHART_LABELS));
  g_assert_cmpuint (limner_chart_get_n_items (chart), ==, 2);
  g_assert_cmpfloat (limner_chart_get_axis_max (chart), ==, 100);

  /* Sorting by active time: alice has 685 s, bob 240 s. */
  gtk_column_view_sort_by_column (view, active_col, GTK_SORT_DESCENDING);
  first = row_login (model, 0);
  g_assert_cmpstr (first, ==, "alice");
  g_free (first);
  gtk_column_view_sort_by_column (view, active_col, GTK_SORT_ASCENDING);
  first = row_login (model, 0);
  g_assert_cmpstr (first, ==, "bob");
  g_free (first);
  gtk_column_view_sort_by_column (view, login_col, GTK_SORT_DESCENDING);
  first = row_login (model, 0);
  g_assert_cmpstr (first, ==, "bob");
  g_free (first);
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);

  /* A custom range of one day gives the CLI's figures for that day. */
  limner_analytics_page_set_range (page, LIMNER_ANALYTICS_CUSTOM, "2026-03-03", "2026-03-03");
  g_assert_true (limner_analytics_page_get_busy (page));
  wait_computed (page, &done);
  assert_table_is (page, day_csv);
  g_assert_cmpstr (strstr (day_csv, "\n,alice,") + 1, !=, strstr (all_csv, "\n,alice,") + 1);

  /* The export is the CLI's text, written in place. */
  g_assert_true (limner_analytics_page_export_csv (page, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &exported, NULL, &error));
  g_assert_cmpstr (exported, ==, day_csv);

  /* The scenario is in 2026-03: nothing in the last 7 days. */
  limner_analytics_page_set_range (page, LIMNER_ANALYTICS_7_DAYS, NULL, NULL);
  wait_computed (page, &done);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (strlen (limner_analytics_page_get_from (page)), ==, 10);

  /* A malformed custom date is refused with a message and changes nothing;
   * the page stays usable. */
  limner_analytics_page_set_range (page, LIMNER_ANALYTICS_CUSTOM, "2026-02-30", "2026-03-03");
  wait_computed (page, &done);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  limner_analytics_page_set_range (page, LIMNER_ANALYTICS_ALL, NULL, NULL);
  wait_computed (page, &done);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_activity (LimnerActivityMonitor *monitor,
             const char            *kind,
             GPtrArray             *kinds)
{
  g_ptr_array_add (kinds, g_strdup (kind));
}

static gboolean
has_idle_start (gpointer data)
{
  GPtrArray *kinds = data;

  for (guint i = 0; i < kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (kinds, i), "app.idle_start"))
      return TRUE;
  return FALSE;
}

/* A window without input for the idle time says so once. */
static void
test_idle (void)
{
  GtkWidget *window = gtk_window_new ();
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LimnerActivityMonitor) monitor = limner_activity_monitor_new (GTK_WINDOW (window));
  guint n;

  g_signal_connect (monitor, "activity", G_CALLBACK (on_activity), kinds);
  gtk_window_present (GTK_WINDOW (window));
  limner_test_iterate (200);
  limner_activity_monitor_set_idle_ms (monitor, 300);
  g_assert_false (limner_activity_monitor_is_idle (monitor));
  g_assert_true (limner_test_wait_for (has_idle_start, kinds, TIMEOUT_MS));
  g_assert_true (limner_activity_monitor_is_idle (monitor));
  n = kinds->len;
  limner_test_iterate (800);
  g_assert_cmpuint (kinds->len, ==, n);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening an image and the window's activity are logged through the
 * page's autosave writer, with the shown image. */
static void
test_page_events (void)
{
  g_autofree char *dir = g_build_filename (tmp_root, "events-project", NULL);
  g_autoptr(LimnerStore) store = limner_test_stats_project (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) record = limner_store_get_image (store, 2, &error);
  g_autoptr(GPtrArray) events = NULL;
  GtkWidget *window = gtk_window_new ();
  LimnerAnnotatePage *page = LIMNER_ANNOTATE_PAGE (limner_annotate_page_new ());
  gint64 before = g_get_real_time ();
  LimnerEvent *e;

  g_assert_no_error (error);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  g_assert_true (limner_annotate_page_set_store (page, store, &error));
  gtk_window_present (GTK_WINDOW (window));
  limner_annotate_page_set_image (page, record);
  limner_annotate_page_log_event (page, "app.focus_out", NULL);
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);

  events = limner_store_list_events (store, before, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->kind, ==, "image.open");
  g_assert_cmpstr (e->login, ==, "lead");
  g_assert_cmpint (e->image_id, ==, 2);
  g_assert_cmpstr (e->detail, ==, "{\"mode\": \"annotate\"}");
  e = g_ptr_array_index (events, 1);
  g_assert_cmpstr (e->kind, ==, "app.focus_out");
  g_assert_cmpint (e->image_id, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  tmp_root = limner_test_app_init (&argc, &argv, "limner-test-app-analytics");
  g_test_add_func ("/app/analytics/page", test_analytics_page);
  g_test_add_func ("/app/analytics/idle", test_idle);
  g_test_add_func ("/app/analytics/page-events", test_page_events);
  status = g_test_run ();
  limner_test_app_finish (tmp_root);
  return status;
}
