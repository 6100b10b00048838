/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-analytics-page.c: the table, charts, range and CSV of the stats. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-analytics-page.h"
#include "limner-atomic-file.h"
#include "limner-chart.h"
#include "limner-store-stats.h"
#include "limner-toast.h"

/* Rows share the result they show; the last row released frees it. */
typedef struct {
  LimnerStatsResult *result;
} SharedResult;

static void
shared_result_clear (gpointer data)
{
  SharedResult *shared = data;

  g_clear_pointer (&shared->result, limner_stats_result_free);
}

/* LimnerAnalyticsRow */

struct _LimnerAnalyticsRow
{
  GObject        parent_instance;

  SharedResult  *shared;  /* a reference on the rc box */
  guint          user;    /* index into the result's logins */
};

G_DEFINE_FINAL_TYPE (LimnerAnalyticsRow, limner_analytics_row, G_TYPE_OBJECT)

static void
limner_analytics_row_finalize (GObject *object)
{
  LimnerAnalyticsRow *self = LIMNER_ANALYTICS_ROW (object);

  if (self->shared != NULL)
    g_rc_box_release_full (self->shared, shared_result_clear);
  G_OBJECT_CLASS (limner_analytics_row_parent_class)->finalize (object);
}

static void
limner_analytics_row_class_init (LimnerAnalyticsRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = limner_analytics_row_finalize;
}

static void
limner_analytics_row_init (LimnerAnalyticsRow *self)
{
}

static LimnerAnalyticsRow *
row_new (SharedResult *shared,
         guint         user)
{
  LimnerAnalyticsRow *row = g_object_new (LIMNER_TYPE_ANALYTICS_ROW, NULL);

  row->shared = g_rc_box_acquire (shared);
  row->user = user;
  return row;
}

char *
limner_analytics_row_dup_text (LimnerAnalyticsRow *row,
                               LimnerStatsColumn   column)
{
  const LimnerStatsResult *r;

  g_return_val_if_fail (LIMNER_IS_ANALYTICS_ROW (row), NULL);

  r = row->shared->result;
  return limner_stats_cell_text (r, &r->total, row->user, column);
}

char *
limner_analytics_row_dup_flags (LimnerAnalyticsRow *row)
{
  const LimnerStatsResult *r;
  const LimnerUserFigures *f;
  /* Where each metric's flag is shown: its short name. */
  const char *names[LIMNER_N_METRICS] = {
    _("images/h"), _("shapes/h"), _("acceptance"), _("gold IoU"),
  };
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (LIMNER_IS_ANALYTICS_ROW (row), NULL);

  r = row->shared->result;
  f = &g_array_index (r->total.figures, LimnerUserFigures, row->user);
  for (guint m = 0; m < LIMNER_N_METRICS; m++)
    {
      g_autofree char *check = NULL;

      if (m == LIMNER_METRIC_GOLD_IOU && !r->has_gold)
        continue;
      check = limner_stats_check_text (&f->checks[m]);
      if (check[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", names[m], check);
    }
  return g_string_free (text, FALSE);
}

/* LimnerAnalyticsPage */

struct _LimnerAnalyticsPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkDropDown          *range_dropdown;
  GtkRevealer          *custom_revealer;
  GtkEntry             *from_entry;
  GtkEntry             *to_entry;
  GtkRevealer          *progress_revealer;
  GtkSpinner           *spinner;
  GtkLabel             *summary_label;
  GtkColumnView        *column_view;
  GtkBox               *charts_box;

  /* Borrowed references */
  LimnerChart          *rate_chart;
  LimnerChart          *daily_chart;
  LimnerChart          *acceptance_chart;
  LimnerChart          *label_chart;

  /* Owned references */
  LimnerStore          *store;
  GListStore           *rows;
  GtkSortListModel     *sorted;
  SharedResult         *shared;      /* the result on screen, or NULL */
  GCancellable         *cancellable; /* of the running computation */
  GtkFileChooserNative *chooser;
  char                 *from;        /* "" = no bound */
  char                 *to;

  LimnerAnalyticsRange  range;
  guint                 busy : 1;
};

G_DEFINE_FINAL_TYPE (LimnerAnalyticsPage, limner_analytics_page, GTK_TYPE_WIDGET)

enum {
  CLOSE_REQUESTED,
  COMPUTED,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (LimnerAnalyticsPage *self,
            const GError        *error)
{
  limner_toast_emit (GTK_WIDGET (self), limner_toast_new_for_error (error));
}

static void
set_busy (LimnerAnalyticsPage *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analytics.export",
                                 !busy && self->shared != NULL);
}

static void
update_charts (LimnerAnalyticsPage *self)
{
  const LimnerStatsResult *r = self->shared != NULL ? self->shared->result : NULL;
  guint n = r != NULL ? r->logins->len : 0;
  g_autofree LimnerChartItem *people = g_new0 (LimnerChartItem, MAX (n, 1));
  g_autofree LimnerChartItem *accept = g_new0 (LimnerChartItem, MAX (n, 1));
  g_autofree LimnerChartItem *days = NULL;
  guint n_days = r != NULL ? r->periods->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const LimnerUserFigures *f = &g_array_index (r->total.figures, LimnerUserFigures, i);
      const LimnerFigureCheck *c = &f->checks[LIMNER_METRIC_IMAGES_PER_HOUR];

      people[i].name = g_ptr_array_index (r->logins, i);
      people[i].value = f->images_per_hour;
      people[i].target = c->has_target ? c->target : 0;
      accept[i].name = people[i].name;
      accept[i].value = f->acceptance.p;
      accept[i].low = f->acceptance.low;
      accept[i].high = f->acceptance.high;
    }
  limner_chart_set_items (self->rate_chart, people, n);
  limner_chart_set_items (self->acceptance_chart, accept, n);

  /* The team's images per active hour, day by day. */
  days = g_new0 (LimnerChartItem, MAX (n_days, 1));
  for (guint d = 0; d < n_days; d++)
    {
      const LimnerStatsPeriod *p = g_ptr_array_index (r->periods, d);
      double images = 0, hours = 0;

      for (guint i = 0; i < p->counts->len; i++)
        {
          images += g_array_index (p->counts, LimnerUserCounts, i).images_submitted;
          hours += g_array_index (p->counts, LimnerUserCounts, i).active_s / 3600.0;
        }
      /* "MM-DD": the year is in the range picker. */
      days[d].name = p->period + 5;
      days[d].value = hours > 0 ? images / hours : 0;
    }
  limner_chart_set_items (self->daily_chart, days, n_days);

  /* Seconds per shape of each label, everyone together. */
  {
    guint n_labels = r != NULL ? r->labels->len : 0;
    g_autofree LimnerChartItem *labels = g_new0 (LimnerChartItem, MAX (n_labels, 1));
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < n_labels; i++)
      {
        const LimnerStatsLabel *l = &g_array_index (r->labels, LimnerStatsLabel, i);
        char *name = l->name != NULL ? g_strdup (l->name)
                     : g_strdup_printf (_("label %" G_GINT64_FORMAT), l->label_id);

        g_ptr_array_add (names, name);
        labels[i].name = name;
        labels[i].value = l->seconds_per_shape;
      }
    limner_chart_set_items (self->label_chart, labels, n_labels);
  }
}

static void
update_summary (LimnerAnalyticsPage *self)
{
  const LimnerStatsResult *r = self->shared != NULL ? self->shared->result : NULL;
  g_autofree char *text = NULL;

  if (r == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }
  /* Translators: the two %s are the first and last day of the range (or
   * "the first event", "the last event"), %g the idle threshold in seconds. */
  text = g_strdup_printf (_("From %s to %s. Active time counts each gap between two events of a person up to "
                            "%g s, and nothing after a focus loss or idle start (see the README, "
                            "“Throughput analytics”).%s"),
                          self->from[0] != '\0' ? self->from : _("the first event"),
                          self->to[0] != '\0' ? self->to : _("the last event"),
                          r->idle_threshold_s,
                          r->has_gold ? "" : _(" No gold scores are recorded: gold figures have no data."));
  gtk_label_set_text (self->summary_label, text);
}

static void
compute_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(LimnerAnalyticsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  LimnerStatsResult *result = limner_store_compute_stats_finish (res, &error);
  SharedResult *shared;

  if (result == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* replaced by a newer computation, or the page went away */
  g_clear_object (&self->cancellable);
  if (result == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error);
      g_signal_emit (self, signals[COMPUTED], 0);
      return;
    }

  shared = g_rc_box_new0 (SharedResult);
  shared->result = result;
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < result->logins->len; i++)
      g_ptr_array_add (rows, row_new (shared, i));
    g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                         rows->pdata, rows->len);
  }
  if (self->shared != NULL)
    g_rc_box_release_full (self->shared, shared_result_clear);
  self->shared = shared;

  update_charts (self);
  update_summary (self);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[COMPUTED], 0);
}

static char *
local_day (int add_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, add_days);

  return g_date_time_format (day, "%Y-%m-%d");
}

void
limner_analytics_page_reload (LimnerAnalyticsPage *self)
{
  LimnerStatsQuery query = { 0 };

  g_return_if_fail (LIMNER_IS_ANALYTICS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;

  query.from_day = self->from[0] != '\0' ? self->from : NULL;
  query.to_day = self->to[0] != '\0' ? self->to : NULL;
  query.group_by = LIMNER_STATS_BY_DAY;
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  limner_store_compute_stats_async (self->store, &query, self->cancellable, compute_cb,
                                    g_object_ref (self));
}

void
limner_analytics_page_set_range (LimnerAnalyticsPage  *self,
                                 LimnerAnalyticsRange  range,
                                 const char           *from,
                                 const char           *to)
{
  g_return_if_fail (LIMNER_IS_ANALYTICS_PAGE (self));

  self->range = range;
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->to, g_free);
  switch (range)
    {
    case LIMNER_ANALYTICS_TODAY:
      self->from = local_day (0);
      self->to = local_day (0);
      break;
    case LIMNER_ANALYTICS_7_DAYS:
      self->from = local_day (-6);
      self->to = local_day (0);
      break;
    case LIMNER_ANALYTICS_30_DAYS:
      self->from = local_day (-29);
      self->to = local_day (0);
      break;
    case LIMNER_ANALYTICS_CUSTOM:
      self->from = g_strdup (from != NULL ? from : "");
      self->to = g_strdup (to != NULL ? to : "");
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), self->from);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), self->to);
      break;
    case LIMNER_ANALYTICS_ALL:
    default:
      self->from = g_strdup ("");
      self->to = g_strdup ("");
      break;
    }
  gtk_revealer_set_reveal_child (self->custom_revealer, range == LIMNER_ANALYTICS_CUSTOM);
  if (gtk_drop_down_get_selected (self->range_dropdown) != range)
    gtk_drop_down_set_selected (self->range_dropdown, range);
  limner_analytics_page_reload (self);
}

static void
range_selected (LimnerAnalyticsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->range_dropdown);

  if (selected == self->range)
    return;
  if (selected == LIMNER_ANALYTICS_CUSTOM)
    {
      /* Start from what is shown, then let the lead edit it. */
      self->range = LIMNER_ANALYTICS_CUSTOM;
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), self->from);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), self->to);
      gtk_revealer_set_reveal_child (self->custom_revealer, TRUE);
      return;
    }
  limner_analytics_page_set_range (self, selected, NULL, NULL);
}

static void
apply_custom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  LimnerAnalyticsPage *self = LIMNER_ANALYTICS_PAGE (widget);

  limner_analytics_page_set_range (self, LIMNER_ANALYTICS_CUSTOM,
                                   gtk_editable_get_text (GTK_EDITABLE (self->from_entry)),
                                   gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  limner_analytics_page_reload (LIMNER_ANALYTICS_PAGE (widget));
}

gboolean
limner_analytics_page_export_csv (LimnerAnalyticsPage  *self,
                                  const char           *path,
                                  GError              **error)
{
  g_autofree char *csv = NULL;
  g_autoptr(LimnerAtomicFile) file = NULL;

  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->shared == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There are no figures to export to %s yet."), path);
      return FALSE;
    }
  csv = limner_stats_result_total_to_csv (self->shared->result);
  file = limner_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  /* Freed without a commit, the temporary file goes and the old one stays. */
  return limner_atomic_file_puts (file, csv, error) && limner_atomic_file_commit (file, error);
}

static void
export_response (GtkNativeDialog     *dialog,
                 int                  response,
                 LimnerAnalyticsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL && !limner_analytics_page_export_csv (self, path, &error))
        show_error (self, error);
      else if (path != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Saved %s"), path);

          limner_toast_emit (GTK_WIDGET (self), adw_toast_new (text));
        }
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerAnalyticsPage *self = LIMNER_ANALYTICS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strdup_printf ("limner-stats-%s-%s.csv",
                                           self->from[0] != '\0' ? self->from : "start",
                                           self->to[0] != '\0' ? self->to : "end");

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export the Table as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Table columns */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_UINT (data) == LIMNER_STATS_COL_LOGIN ? 0 : 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  LimnerAnalyticsRow *row = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (data);
  g_autofree char *text = column == LIMNER_STATS_N_COLUMNS
                          ? limner_analytics_row_dup_flags (row)
                          : limner_analytics_row_dup_text (row, column);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text[0] != '\0' || column == LIMNER_STATS_N_COLUMNS
                      ? text : _("no data"));
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  LimnerAnalyticsRow *ra = (LimnerAnalyticsRow *) a;
  LimnerAnalyticsRow *rb = (LimnerAnalyticsRow *) b;
  guint column = GPOINTER_TO_UINT (data);
  const LimnerStatsResult *r = ra->shared->result;
  double va = 0, vb = 0;
  gboolean ha, hb;

  if (column == LIMNER_STATS_COL_LOGIN)
    return g_utf8_collate (g_ptr_array_index (r->logins, ra->user),
                           g_ptr_array_index (rb->shared->result->logins, rb->user));
  ha = limner_stats_cell_value (r, &r->total, ra->user, column, &va);
  hb = limner_stats_cell_value (rb->shared->result, &rb->shared->result->total, rb->user, column, &vb);
  /* No data sorts first, as the smallest. */
  if (ha != hb)
    return ha ? 1 : -1;
  return va < vb ? -1 : va > vb;
}

static void
add_column (LimnerAnalyticsPage *self,
            guint                column)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;
  const char *title = column == LIMNER_STATS_N_COLUMNS ? _("Flags") : limner_stats_column_title (column);

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, g_object_ref (factory));
  if (column != LIMNER_STATS_N_COLUMNS)
    gtk_column_view_column_set_sorter (col, GTK_SORTER (gtk_custom_sorter_new (compare_rows,
                                                                               GUINT_TO_POINTER (column),
                                                                               NULL)));
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, column == LIMNER_STATS_N_COLUMNS);
  gtk_column_view_append_column (self->column_view, col);
}

static void
limner_analytics_page_dispose (GObject *object)
{
  LimnerAnalyticsPage *self = LIMNER_ANALYTICS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_ANALYTICS_PAGE);
  /* The template's top-level box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  if (self->shared != NULL)
    g_rc_box_release_full (g_steal_pointer (&self->shared), shared_result_clear);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_analytics_page_parent_class)->dispose (object);
}

static void
limner_analytics_page_finalize (GObject *object)
{
  LimnerAnalyticsPage *self = LIMNER_ANALYTICS_PAGE (object);

  g_free (self->from);
  g_free (self->to);

  G_OBJECT_CLASS (limner_analytics_page_parent_class)->finalize (object);
}

static void
limner_analytics_page_class_init (LimnerAnalyticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_analytics_page_dispose;
  object_class->finalize = limner_analytics_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-analytics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, custom_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, LimnerAnalyticsPage, charts_box);

  gtk_widget_class_install_action (widget_class, "analytics.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "analytics.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "analytics.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "analytics.apply-custom", NULL, apply_custom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "analytics.back", NULL);

  signals[CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[COMPUTED] = g_signal_new ("computed", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Errors and news, for whoever shows the page (limner-toast.h). */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
limner_analytics_page_init (LimnerAnalyticsPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->from = g_strdup ("");
  self->to = g_strdup ("");
  self->range = LIMNER_ANALYTICS_ALL;
  gtk_drop_down_set_selected (self->range_dropdown, LIMNER_ANALYTICS_ALL);
  g_signal_connect_swapped (self->range_dropdown, "notify::selected", G_CALLBACK (range_selected), self);

  for (guint c = 0; c <= LIMNER_STATS_N_COLUMNS; c++)
    add_column (self, c);
  self->rows = g_list_store_new (LIMNER_TYPE_ANALYTICS_ROW);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  self->rate_chart = LIMNER_CHART (limner_chart_new (LIMNER_CHART_BARS));
  limner_chart_set_titles (self->rate_chart, _("Images per active hour; the tick across a bar is the target"),
                           _("images / h"));
  self->daily_chart = LIMNER_CHART (limner_chart_new (LIMNER_CHART_LINES));
  limner_chart_set_titles (self->daily_chart, _("Team throughput per day"), _("images / active h"));
  self->acceptance_chart = LIMNER_CHART (limner_chart_new (LIMNER_CHART_INTERVALS));
  limner_chart_set_titles (self->acceptance_chart, _("QC acceptance with its 95 % Wilson interval"),
                           _("accepted, %"));
  gtk_box_append (self->charts_box, GTK_WIDGET (self->rate_chart));
  gtk_box_append (self->charts_box, GTK_WIDGET (self->daily_chart));
  gtk_box_append (self->charts_box, GTK_WIDGET (self->acceptance_chart));
  self->label_chart = LIMNER_CHART (limner_chart_new (LIMNER_CHART_BARS));
  limner_chart_set_titles (self->label_chart, _("Time per shape, by label"), _("seconds / shape"));
  gtk_box_append (self->charts_box, GTK_WIDGET (self->label_chart));
  set_busy (self, FALSE);
}

GtkWidget *
limner_analytics_page_new (void)
{
  return g_object_new (LIMNER_TYPE_ANALYTICS_PAGE, NULL);
}

void
limner_analytics_page_set_store (LimnerAnalyticsPage *self,
                                 LimnerStore         *store)
{
  g_return_if_fail (LIMNER_IS_ANALYTICS_PAGE (self));

  if (!g_set_object (&self->store, store))
    return;
  g_list_store_remove_all (self->rows);
  if (self->shared != NULL)
    g_rc_box_release_full (g_steal_pointer (&self->shared), shared_result_clear);
  update_charts (self);
  update_summary (self);
  limner_analytics_page_reload (self);
}

LimnerStore *
limner_analytics_page_get_store (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return self->store;
}

gboolean
limner_analytics_page_get_busy (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), FALSE);
  return self->busy;
}

GListModel *
limner_analytics_page_get_model (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkColumnView *
limner_analytics_page_get_column_view (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return self->column_view;
}

const LimnerStatsResult *
limner_analytics_page_get_result (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return self->shared != NULL ? self->shared->result : NULL;
}

const char *
limner_analytics_page_get_from (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return self->from;
}

const char *
limner_analytics_page_get_to (LimnerAnalyticsPage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);
  return self->to;
}

GtkWidget *
limner_analytics_page_get_chart (LimnerAnalyticsPage  *self,
                                 LimnerAnalyticsChart  chart)
{
  g_return_val_if_fail (LIMNER_IS_ANALYTICS_PAGE (self), NULL);

  switch (chart)
    {
    case LIMNER_ANALYTICS_CHART_IMAGES_PER_HOUR: return GTK_WIDGET (self->rate_chart);
    case LIMNER_ANALYTICS_CHART_DAILY: return GTK_WIDGET (self->daily_chart);
    case LIMNER_ANALYTICS_CHART_ACCEPTANCE: return GTK_WIDGET (self->acceptance_chart);
    case LIMNER_ANALYTICS_CHART_LABELS: return GTK_WIDGET (self->label_chart);
    default: g_return_val_if_reached (NULL);
    }
}
