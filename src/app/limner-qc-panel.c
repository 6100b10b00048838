/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-qc-panel.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"
#include "limner-worker.h"

struct _LimnerQcPanel
{
  GtkWidget       parent_instance;

  /* Widgets */
  GtkWidget      *predictions_box;
  GtkAdjustment  *threshold;
  GtkWidget      *accept_button;
  GtkLabel       *history_label;

  /* Borrowed references */
  LimnerCanvas   *canvas;

  /* Owned references */
  LimnerStore    *store;
  LimnerDocument *document;
  char           *history;     /* NULL while it is read */
  GCancellable   *history_cancellable;
};

enum {
  PROP_0,
  PROP_CANVAS,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LimnerQcPanel, limner_qc_panel, GTK_TYPE_WIDGET)

static const char *mark_names[] = {
  N_("Wrong label"), N_("Loose outline"), N_("Missing object"), N_("Extra object"),
};

/* Hidden through the document, so that a hidden prediction is neither drawn
 * nor hit: the canvas needs no filter of its own. */
static void
apply_threshold (LimnerQcPanel *self)
{
  double threshold = gtk_adjustment_get_value (self->threshold);
  gboolean any = FALSE;
  guint n;

  if (self->document == NULL)
    {
      gtk_widget_set_visible (self->predictions_box, FALSE);
      return;
    }
  n = limner_document_get_n_shapes (self->document);
  for (guint i = 0; i < n; i++)
    {
      const LimnerShape *shape = limner_document_get_nth_shape (self->document, i);
      gboolean hide;

      if (shape->source != LIMNER_SOURCE_PREDICTION)
        continue;
      any = TRUE;
      hide = shape->score < threshold;
      if (limner_document_get_shape_hidden (self->document, shape->id) != hide)
        limner_document_set_shape_hidden (self->document, shape->id, hide);
    }
  gtk_widget_set_visible (self->predictions_box, any || threshold > 0);
}

static const LimnerShape *
selected_prediction (LimnerQcPanel *self)
{
  const LimnerShape *shape;

  if (self->canvas == NULL || self->document == NULL)
    return NULL;
  shape = limner_document_get_shape (self->document, limner_canvas_get_selected_shape (self->canvas));
  return shape != NULL && shape->source == LIMNER_SOURCE_PREDICTION ? shape : NULL;
}

static void
update_accept (LimnerQcPanel *self)
{
  gtk_widget_set_sensitive (self->accept_button, selected_prediction (self) != NULL);
}

gboolean
limner_qc_panel_accept_prediction (LimnerQcPanel  *self,
                                   GError        **error)
{
  const LimnerShape *shape;
  g_autoptr(LimnerShape) accepted = NULL;

  g_return_val_if_fail (LIMNER_IS_QC_PANEL (self), FALSE);

  shape = selected_prediction (self);
  if (shape == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No prediction is selected."));
      return FALSE;
    }
  /* Same label and outline: the store counts it as kept. */
  accepted = limner_shape_copy (shape);
  accepted->source = LIMNER_SOURCE_MANUAL;
  accepted->score = 1.0;
  if (!limner_document_modify_shape (self->document, accepted, error))
    return FALSE;
  update_accept (self);
  return TRUE;
}

static void
on_accept_clicked (LimnerQcPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (!limner_qc_panel_accept_prediction (self, &error))
    g_warning ("%s", error->message);
}

static gboolean
on_accept_key (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  LimnerQcPanel *self = user_data;

  if (selected_prediction (self) == NULL)
    return FALSE;
  on_accept_clicked (self);
  return TRUE;
}

/* --- Review marks ------------------------------------------------------------ */

/* The latest review of a rejected image, or of one its annotator is
 * reworking, when it sent the work back. */
static LimnerReviewRecord *
dup_rejection (LimnerQcPanel *self,
               gint64         image_id)
{
  g_autoptr(LimnerImageRecord) record = limner_store_get_image (self->store, image_id, NULL);
  g_autoptr(GPtrArray) reviews = NULL;
  LimnerReviewRecord *latest;

  if (record == NULL ||
      (record->status != LIMNER_IMAGE_REJECTED && record->status != LIMNER_IMAGE_IN_PROGRESS))
    return NULL;
  reviews = limner_store_list_reviews (self->store, image_id, NULL);
  if (reviews == NULL || reviews->len == 0)
    return NULL;
  latest = g_ptr_array_index (reviews, reviews->len - 1);
  if (g_strcmp0 (latest->decision, "reject") != 0)
    return NULL;
  return g_ptr_array_steal_index (reviews, reviews->len - 1);
}

static void
update_marks (LimnerQcPanel *self)
{
  g_autoptr(LimnerReviewRecord) rejection = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  g_autoptr(GArray) shown = g_array_new (FALSE, TRUE, sizeof (LimnerOverlayMark));

  if (self->canvas == NULL)
    return;
  if (self->store != NULL && self->document != NULL)
    rejection = dup_rejection (self, limner_document_get_image_id (self->document));
  if (rejection != NULL)
    marks = limner_store_list_review_marks (self->store, rejection->id, NULL);

  for (guint i = 0; marks != NULL && i < marks->len; i++)
    {
      const LimnerReviewMark *mark = g_ptr_array_index (marks, i);
      LimnerOverlayMark item = { 0 };

      item.text = mark->kind < G_N_ELEMENTS (mark_names) ? _(mark_names[mark->kind]) : "";
      if (mark->shape_id > 0)
        {
          const LimnerShape *shape = limner_document_get_shape (self->document, mark->shape_id);

          /* A shape the annotator has deleted since: nothing left to mark. */
          if (shape == NULL)
            continue;
          item.shape_id = mark->shape_id;
          item.bbox = limner_shape_bbox (shape);
        }
      else
        {
          item.x = mark->x;
          item.y = mark->y;
        }
      g_array_append_val (shown, item);
    }
  limner_canvas_set_review_marks (self->canvas, (const LimnerOverlayMark *) shown->data, shown->len);
}

/* --- History ------------------------------------------------------------------ */

typedef struct {
  gint64  ts;  /* unix microseconds */
  char   *text;
} HistoryLine;

static void
history_line_clear (gpointer data)
{
  g_free (((HistoryLine *) data)->text);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const HistoryLine *x = a, *y = b;

  return (x->ts > y->ts) - (x->ts < y->ts);
}

static void
add_line (GArray     *lines,
          gint64      ts,
          const char *login,
          const char *what)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ts / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (when, "%F %H:%M");
  /* Translators: a line of an image's history: time, login, what happened */
  HistoryLine line = { ts, g_strdup_printf (_("%s  %s  %s"), stamp, login ? login : "", what) };

  g_array_append_val (lines, line);
}

static char *
event_text (const LimnerEvent *event)
{
  if (g_str_equal (event->kind, "image.claim"))
    return g_strdup (_("claimed"));
  if (g_str_equal (event->kind, "image.release"))
    return g_strdup (_("released"));
  if (g_str_equal (event->kind, "image.status"))
    {
      /* The detail is {"from": "...", "to": "..."}. */
      g_autoptr(GRegex) regex = g_regex_new ("\"from\": *\"([a-z_]+)\", *\"to\": *\"([a-z_]+)\"", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      if (event->detail != NULL && g_regex_match (regex, event->detail, 0, &match))
        {
          g_autofree char *from = g_match_info_fetch (match, 1);
          g_autofree char *to = g_match_info_fetch (match, 2);

          /* Translators: an image's status changed, e.g. "status: submitted → in_review" */
          return g_strdup_printf (_("status: %s → %s"), from, to);
        }
      return g_strdup_printf (_("status: %s"), event->detail ? event->detail : "");
    }
  if (g_str_equal (event->kind, "gold.score"))
    return g_strdup_printf (_("gold score: %s"), event->detail ? event->detail : "");
  if (g_str_has_prefix (event->kind, "gold."))
    return g_strdup (g_str_equal (event->kind, "gold.set") ? _("marked gold") : _("no longer gold"));
  return NULL;
}

/* Claims and status changes from the event log, draws with their tickets
 * and decisions with comments and marks, oldest first: what
 * `limner-cli review PROJECT history IMAGE` prints. On a worker: the event
 * log is read whole, and it grows with every edit of the project. */
static gpointer
build_history (LimnerWorker  *worker,
               LimnerStore   *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  gint64 image_id = *(gint64 *) data;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) draws = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (HistoryLine));
  g_autoptr(GString) text = g_string_new (NULL);

  g_array_set_clear_func (lines, history_line_clear);
  if ((events = limner_store_list_events (store, 0, 0, error)) == NULL ||
      (draws = limner_store_list_draws (store, image_id, error)) == NULL ||
      (reviews = limner_store_list_reviews (store, image_id, error)) == NULL)
    return NULL;

  for (guint i = 0; i < events->len; i++)
    {
      const LimnerEvent *event = g_ptr_array_index (events, i);
      g_autofree char *what = NULL;

      if (event->image_id == image_id && (what = event_text (event)) != NULL)
        add_line (lines, event->ts, event->login, what);
    }
  for (guint i = 0; i < draws->len; i++)
    {
      const LimnerQcDraw *draw = g_ptr_array_index (draws, i);
      g_autofree char *what = NULL;

      if (g_strcmp0 (draw->reason, "resubmit") == 0)
        /* Translators: %u is how many times the image was submitted */
        what = g_strdup_printf (_("submitted (%u), back to review without a draw"), draw->submission);
      else if (draw->drawn)
        what = g_strdup_printf (_("submitted (%u), drawn for review: ticket %.6f < rate %.2f"),
                                draw->submission, draw->ticket, draw->rate);
      else
        what = g_strdup_printf (_("submitted (%u), not drawn: ticket %.6f ≥ rate %.2f"),
                                draw->submission, draw->ticket, draw->rate);
      add_line (lines, draw->ts, draw->login, what);
    }
  for (guint i = 0; i < reviews->len; i++)
    {
      const LimnerReviewRecord *review = g_ptr_array_index (reviews, i);
      g_autoptr(GPtrArray) marks = limner_store_list_review_marks (store, review->id, NULL);
      g_autoptr(GString) what = g_string_new (NULL);
      const char *decision = g_str_equal (review->decision, "accept") ? _("accepted")
                             : g_str_equal (review->decision, "reject") ? _("rejected")
                             : _("fixed and accepted");

      g_string_append (what, decision);
      if (review->comment != NULL && review->comment[0] != '\0')
        g_string_append_printf (what, ": “%s”", review->comment);
      if (marks != NULL && marks->len > 0)
        /* Translators: how many marks a reviewer left */
        g_string_append_printf (what, ngettext (" (%u mark)", " (%u marks)", marks->len), marks->len);
      /* Reviews keep whole seconds: placed at the end of their second, a
       * decision never comes before the submission it decided. */
      add_line (lines, review->created_at * G_USEC_PER_SEC + G_USEC_PER_SEC - 1, review->reviewer, what->str);
    }

  /* Stable: a claim and its draw in the same microsecond keep their order. */
  g_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_array_index (lines, HistoryLine, i).text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
history_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LimnerQcPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *history = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->history_cancellable);
  g_free (self->history);
  self->history = history != NULL ? g_steal_pointer (&history) : g_strdup (error->message);
  gtk_label_set_label (self->history_label,
                       self->history[0] != '\0' ? self->history : _("Nothing yet."));
}

static void
update_history (LimnerQcPanel *self)
{
  g_autoptr(GTask) task = NULL;
  LimnerWorker *worker;

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_pointer (&self->history, g_free);
  gtk_label_set_label (self->history_label, _("Nothing yet."));
  if (self->store == NULL || self->document == NULL)
    return;

  self->history_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->history_cancellable, history_read, g_object_ref (self));
  g_task_set_source_tag (task, update_history);
  worker = limner_worker_new (limner_store_get_dir (self->store), limner_store_get_login (self->store));
  limner_worker_run (worker, task, build_history,
                     g_memdup2 (&(gint64) { limner_document_get_image_id (self->document) }, sizeof (gint64)),
                     g_free, g_free);
}

void
limner_qc_panel_refresh (LimnerQcPanel *self)
{
  g_return_if_fail (LIMNER_IS_QC_PANEL (self));

  update_marks (self);
  update_history (self);
}

const char *
limner_qc_panel_get_history (LimnerQcPanel *self)
{
  g_return_val_if_fail (LIMNER_IS_QC_PANEL (self), NULL);

  return self->history;
}

/* --- Following the canvas ------------------------------------------------------ */

static void
on_document_changed (LimnerQcPanel *self)
{
  LimnerDocument *document = self->canvas ? limner_canvas_get_document (self->canvas) : NULL;

  g_set_object (&self->document, document);
  apply_threshold (self);
  update_accept (self);
  limner_qc_panel_refresh (self);
}

static void
set_canvas (LimnerQcPanel *self,
            LimnerCanvas  *canvas)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  g_return_if_fail (self->canvas == NULL);
  if (canvas == NULL)
    return;
  self->canvas = canvas;
  g_object_add_weak_pointer (G_OBJECT (canvas), (gpointer *) &self->canvas);
  g_signal_connect_object (canvas, "notify::document", G_CALLBACK (on_document_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (canvas, "notify::selected-shape", G_CALLBACK (update_accept), self,
                           G_CONNECT_SWAPPED);

  /* K, for keep, where the annotator's hands are. */
  controller = gtk_shortcut_controller_new ();
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_k, 0),
                               gtk_callback_action_new (on_accept_key, self, NULL));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (canvas), controller);
  on_document_changed (self);
}

void
limner_qc_panel_set_threshold (LimnerQcPanel *self,
                               double         threshold)
{
  g_return_if_fail (LIMNER_IS_QC_PANEL (self));

  gtk_adjustment_set_value (self->threshold, threshold);
}

double
limner_qc_panel_get_threshold (LimnerQcPanel *self)
{
  g_return_val_if_fail (LIMNER_IS_QC_PANEL (self), 0);

  return gtk_adjustment_get_value (self->threshold);
}

GtkWidget *
limner_qc_panel_new (void)
{
  return g_object_new (LIMNER_TYPE_QC_PANEL, NULL);
}

static void
limner_qc_panel_dispose (GObject *object)
{
  LimnerQcPanel *self = LIMNER_QC_PANEL (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->canvas != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->canvas), (gpointer *) &self->canvas);
  self->canvas = NULL;
  g_clear_object (&self->document);
  g_clear_object (&self->store);
  g_clear_pointer (&self->history, g_free);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);

  G_OBJECT_CLASS (limner_qc_panel_parent_class)->dispose (object);
}

static void
limner_qc_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LimnerQcPanel *self = LIMNER_QC_PANEL (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      g_value_set_object (value, self->canvas);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_qc_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LimnerQcPanel *self = LIMNER_QC_PANEL (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      set_canvas (self, g_value_get_object (value));
      break;
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        limner_qc_panel_refresh (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_qc_panel_class_init (LimnerQcPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_qc_panel_dispose;
  object_class->get_property = limner_qc_panel_get_property;
  object_class->set_property = limner_qc_panel_set_property;

  properties[PROP_CANVAS] =
    g_param_spec_object ("canvas", NULL, NULL, LIMNER_TYPE_CANVAS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "qcpanel");
}

static void
limner_qc_panel_init (LimnerQcPanel *self)
{
  GtkWidget *label, *scale, *expander, *scrolled;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->predictions_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (self->predictions_box, FALSE);
  gtk_widget_set_margin_bottom (self->predictions_box, 6);
  label = gtk_label_new (_("Hide predictions below score"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (self->predictions_box), label);
  self->threshold = gtk_adjustment_new (0, 0, 1, 0.05, 0.1, 0);
  scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, self->threshold);
  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_scale_set_draw_value (GTK_SCALE (scale), TRUE);
  gtk_widget_set_tooltip_text (scale, _("Predictions scored below this are hidden and cannot be selected"));
  gtk_box_append (GTK_BOX (self->predictions_box), scale);
  self->accept_button = gtk_button_new_with_mnemonic (_("_Accept Prediction"));
  gtk_widget_set_tooltip_text (self->accept_button, _("Keep the selected prediction as it is (K)"));
  gtk_widget_set_sensitive (self->accept_button, FALSE);
  gtk_box_append (GTK_BOX (self->predictions_box), self->accept_button);
  gtk_widget_set_parent (self->predictions_box, GTK_WIDGET (self));
  g_signal_connect_swapped (self->threshold, "value-changed", G_CALLBACK (apply_threshold), self);
  g_signal_connect_swapped (self->accept_button, "clicked", G_CALLBACK (on_accept_clicked), self);

  expander = gtk_expander_new (_("History"));
  gtk_widget_set_margin_bottom (expander, 6);
  self->history_label = GTK_LABEL (gtk_label_new (_("Nothing yet.")));
  gtk_label_set_xalign (self->history_label, 0);
  gtk_label_set_wrap (self->history_label, TRUE);
  gtk_label_set_selectable (self->history_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->history_label), "caption");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->history_label));
  gtk_expander_set_child (GTK_EXPANDER (expander), scrolled);
  gtk_widget_set_parent (expander, GTK_WIDGET (self));
}
