/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-moderation-view.h"
#include "limner-store-qc.h"
#include "limner-worker.h"

struct _LimnerModerationView
{
  GtkWidget      parent_instance;

  /* Widgets */
  GtkDropDown   *range;
  GtkDropDown   *annotator;
  GtkDropDown   *reviewer;
  GtkDropDown   *label;
  GtkDropDown   *status;
  GtkLabel      *figures;

  /* Owned references */
  LimnerStore   *store;
  GtkStringList *annotators;  /* "All annotators", then logins */
  GtkStringList *reviewers;
  GtkStringList *labels;
  GCancellable  *cancellable; /* the computation under way */
  char          *text;
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (LimnerModerationView, limner_moderation_view, GTK_TYPE_WIDGET)

/* Statuses offered by the filter, after "Any status". */
static const LimnerImageStatus statuses[] = {
  LIMNER_IMAGE_IN_REVIEW, LIMNER_IMAGE_ACCEPTED, LIMNER_IMAGE_REJECTED,
  LIMNER_IMAGE_IN_PROGRESS, LIMNER_IMAGE_SUBMITTED,
};

typedef struct {
  LimnerQcFilter filter;
  char          *annotator;
  char          *reviewer;
  char          *label;
} Query;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->annotator);
  g_free (query->reviewer);
  g_free (query->label);
  g_free (query);
}

static void
append_rate (GString *text,
             guint    accepted,
             guint    trials)
{
  LimnerWilson w = limner_qc_wilson (accepted, trials);

  if (trials == 0)
    {
      g_string_append (text, _("  no decisions yet\n"));
      return;
    }
  g_string_append_printf (text, _("  accepted %.0f %% of %u (95 %%: %.0f–%.0f %%); "
                                  "%u more reviews for ±5 points\n"),
                          100 * w.p, trials, 100 * w.low, 100 * w.high,
                          limner_qc_reviews_needed (accepted, trials, 0.05));
}

/* On the worker: the figures as text, per annotator, in total, then gold. */
static gpointer
compute (LimnerWorker  *worker,
         LimnerStore   *store,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Query *query = data;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) scores = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint waiting = 0, accepted = 0, rejected = 0, fixed = 0;

  query->filter.annotator = query->annotator;
  query->filter.reviewer = query->reviewer;
  query->filter.label = query->label;
  if ((counts = limner_store_qc_counts (store, &query->filter, error)) == NULL ||
      (scores = limner_store_list_gold_scores (store, error)) == NULL)
    return NULL;

  for (guint i = 0; i < counts->len; i++)
    {
      const LimnerQcCounts *c = g_ptr_array_index (counts, i);

      g_string_append_printf (text, _("%s: %u waiting, %u accepted, %u rejected, %u fixed\n"),
                              c->annotator, c->waiting, c->accepted, c->rejected, c->fixed);
      append_rate (text, c->accepted, c->accepted + c->rejected + c->fixed);
      waiting += c->waiting;
      accepted += c->accepted;
      rejected += c->rejected;
      fixed += c->fixed;
    }
  g_string_append_printf (text, _("In all: %u waiting, %u accepted, %u rejected, %u fixed\n"),
                          waiting, accepted, rejected, fixed);
  append_rate (text, accepted, accepted + rejected + fixed);
  for (guint i = 0; i < scores->len; i++)
    {
      const LimnerGoldScoreRecord *r = g_ptr_array_index (scores, i);

      if (query->annotator != NULL && g_strcmp0 (r->annotator, query->annotator) != 0)
        continue;
      if (query->filter.from > 0 && r->created_at < query->filter.from)
        continue;
      g_string_append_printf (text, _("Gold image %" G_GINT64_FORMAT " by %s: precision %.2f, "
                                      "recall %.2f, mean IoU %.2f\n"),
                              r->image_id, r->annotator, r->score.precision, r->score.recall,
                              r->score.mean_iou);
    }
  g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
computed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LimnerModerationView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  g_free (self->text);
  self->text = text != NULL ? g_steal_pointer (&text) : g_strdup (error->message);
  gtk_label_set_text (self->figures, self->text);
}

/* The selected login or label of a filter whose first entry means "all". */
static char *
dup_choice (GtkDropDown   *drop_down,
            GtkStringList *list)
{
  guint position = gtk_drop_down_get_selected (drop_down);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_strdup (gtk_string_list_get_string (list, position));
}

void
limner_moderation_view_reload (LimnerModerationView *self)
{
  g_autoptr(GTask) task = NULL;
  LimnerWorker *worker;
  Query *query;
  guint range, status;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (LIMNER_IS_MODERATION_VIEW (self));

  if (self->filling)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;

  query = g_new0 (Query, 1);
  query->filter.status = -1;
  range = gtk_drop_down_get_selected (self->range);
  if (range == LIMNER_MODERATION_TODAY)
    {
      g_autoptr(GDateTime) local = g_date_time_new_now_local ();
      g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                             g_date_time_get_month (local),
                                                             g_date_time_get_day_of_month (local), 0, 0, 0);

      query->filter.from = g_date_time_to_unix (midnight);
    }
  else if (range == LIMNER_MODERATION_7_DAYS)
    query->filter.from = now - 7 * 24 * 3600;
  else if (range == LIMNER_MODERATION_30_DAYS)
    query->filter.from = now - 30 * 24 * 3600;
  query->annotator = dup_choice (self->annotator, self->annotators);
  query->reviewer = dup_choice (self->reviewer, self->reviewers);
  query->label = dup_choice (self->label, self->labels);
  status = gtk_drop_down_get_selected (self->status);
  if (status > 0 && status <= G_N_ELEMENTS (statuses))
    query->filter.status = statuses[status - 1];

  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->figures, _("Counting…"));
  task = g_task_new (NULL, self->cancellable, computed, g_object_ref (self));
  g_task_set_source_tag (task, limner_moderation_view_reload);
  worker = limner_worker_new (limner_store_get_dir (self->store), limner_store_get_login (self->store));
  limner_worker_run (worker, task, compute, query, query_free, g_free);
}

static void
fill_list (GtkStringList *list,
           const char    *all)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  gtk_string_list_splice (list, 0, n, (const char *[]) { all, NULL });
}

void
limner_moderation_view_set_store (LimnerModerationView *self,
                                  LimnerStore          *store)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) labels = NULL;

  g_return_if_fail (LIMNER_IS_MODERATION_VIEW (self));
  g_return_if_fail (store == NULL || LIMNER_IS_STORE (store));

  g_set_object (&self->store, store);
  self->filling = TRUE;
  fill_list (self->annotators, _("All annotators"));
  fill_list (self->reviewers, _("All reviewers"));
  fill_list (self->labels, _("All labels"));
  if (store != NULL)
    {
      users = limner_store_list_users (store, NULL);
      labels = limner_store_list_labels (store, NULL);
    }
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      const LimnerUser *user = g_ptr_array_index (users, i);

      if (user->roles & LIMNER_ROLE_ANNOTATOR)
        gtk_string_list_append (self->annotators, user->login);
      if (user->roles & (LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD))
        gtk_string_list_append (self->reviewers, user->login);
    }
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    gtk_string_list_append (self->labels, ((const LimnerLabel *) g_ptr_array_index (labels, i))->name);
  gtk_drop_down_set_selected (self->annotator, 0);
  gtk_drop_down_set_selected (self->reviewer, 0);
  gtk_drop_down_set_selected (self->label, 0);
  self->filling = FALSE;
  limner_moderation_view_reload (self);
}

void
limner_moderation_view_set_range (LimnerModerationView  *self,
                                  LimnerModerationRange  range)
{
  g_return_if_fail (LIMNER_IS_MODERATION_VIEW (self));

  gtk_drop_down_set_selected (self->range, range);
}

void
limner_moderation_view_set_annotator (LimnerModerationView *self,
                                      const char           *login)
{
  guint n;

  g_return_if_fail (LIMNER_IS_MODERATION_VIEW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->annotators));
  for (guint i = 1; login != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->annotators, i), login) == 0)
      {
        gtk_drop_down_set_selected (self->annotator, i);
        return;
      }
  gtk_drop_down_set_selected (self->annotator, 0);
}

const char *
limner_moderation_view_get_text (LimnerModerationView *self)
{
  g_return_val_if_fail (LIMNER_IS_MODERATION_VIEW (self), NULL);

  return self->text;
}

gboolean
limner_moderation_view_get_busy (LimnerModerationView *self)
{
  g_return_val_if_fail (LIMNER_IS_MODERATION_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

GtkWidget *
limner_moderation_view_new (void)
{
  return g_object_new (LIMNER_TYPE_MODERATION_VIEW, NULL);
}

static void
limner_moderation_view_dispose (GObject *object)
{
  LimnerModerationView *self = LIMNER_MODERATION_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->annotators);
  g_clear_object (&self->reviewers);
  g_clear_object (&self->labels);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (limner_moderation_view_parent_class)->dispose (object);
}

static void
limner_moderation_view_class_init (LimnerModerationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_moderation_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moderation");
}

static GtkDropDown *
add_filter (LimnerModerationView *self,
            GtkWidget            *flow,
            GListModel           *model,
            const char           *tooltip)
{
  GtkWidget *drop_down = gtk_drop_down_new (model, NULL);

  gtk_widget_set_tooltip_text (drop_down, tooltip);
  gtk_flow_box_append (GTK_FLOW_BOX (flow), drop_down);
  g_signal_connect_swapped (drop_down, "notify::selected", G_CALLBACK (limner_moderation_view_reload), self);
  return GTK_DROP_DOWN (drop_down);
}

static void
limner_moderation_view_init (LimnerModerationView *self)
{
  const char *ranges[] = { _("All time"), _("Today"), _("Last 7 days"), _("Last 30 days"), NULL };
  g_autoptr(GtkStringList) status_names = gtk_string_list_new ((const char *[]) { _("Any status"), NULL });
  GtkWidget *heading, *flow;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  heading = gtk_label_new (_("Moderation"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_parent (heading, GTK_WIDGET (self));

  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 5);
  gtk_widget_set_parent (flow, GTK_WIDGET (self));

  self->annotators = gtk_string_list_new (NULL);
  self->reviewers = gtk_string_list_new (NULL);
  self->labels = gtk_string_list_new (NULL);
  fill_list (self->annotators, _("All annotators"));
  fill_list (self->reviewers, _("All reviewers"));
  fill_list (self->labels, _("All labels"));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    gtk_string_list_append (status_names, limner_image_status_to_string (statuses[i]));

  self->filling = TRUE;
  self->range = add_filter (self, flow, G_LIST_MODEL (gtk_string_list_new (ranges)), _("Reviews made in"));
  self->annotator = add_filter (self, flow, g_object_ref (G_LIST_MODEL (self->annotators)), _("Whose work"));
  self->reviewer = add_filter (self, flow, g_object_ref (G_LIST_MODEL (self->reviewers)), _("Reviewed by"));
  self->label = add_filter (self, flow, g_object_ref (G_LIST_MODEL (self->labels)), _("Images with a shape of"));
  self->status = add_filter (self, flow, g_object_ref (G_LIST_MODEL (status_names)), _("Images now in"));
  self->filling = FALSE;

  self->figures = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->figures, 0);
  gtk_label_set_wrap (self->figures, TRUE);
  gtk_label_set_selectable (self->figures, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->figures), "caption");
  gtk_widget_set_parent (GTK_WIDGET (self->figures), GTK_WIDGET (self));
}
