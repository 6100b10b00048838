/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-review-page.h"
#include "limner-moderation-view.h"
#include "limner-store-qc.h"

struct _LimnerReviewPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkToggleButton    *reference_toggle;
  GtkStack           *stack;
  GtkListBox         *queue_list;
  LimnerAnnotatePage *annotate_page;
  GtkDrawingArea     *reference_area;
  GtkLabel           *moderation_label;
  LimnerModerationView *moderation_view;

  /* Borrowed references */
  AdwMessageDialog   *reject_dialog;
  GtkEditable        *reject_comment;
  GtkDropDown        *reject_mark;

  /* Owned references */
  LimnerStore        *store;
  GPtrArray          *items;       /* of LimnerReviewItem, the queue */
  GPtrArray          *references;  /* of LimnerReferenceShape, the shown image's */
  GPtrArray          *predictions; /* of LimnerShape, as imported */
  guint               current;
  guint               tick_id;
  gboolean            filling;     /* the list is being rebuilt: ignore selections */
};

G_DEFINE_FINAL_TYPE (LimnerReviewPage, limner_review_page, GTK_TYPE_WIDGET)

enum {
  CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The marks offered in the reject dialog, after "no mark". */
static const LimnerMarkKind mark_kinds[] = {
  LIMNER_MARK_WRONG_LABEL, LIMNER_MARK_LOOSE_OUTLINE, LIMNER_MARK_MISSING_OBJECT, LIMNER_MARK_EXTRA_OBJECT,
};

static void
show_error (LimnerReviewPage *self,
            const char       *heading,
            const GError     *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static LimnerReviewItem *
current_item (LimnerReviewPage *self)
{
  if (self->items == NULL || self->current >= self->items->len)
    return NULL;
  return g_ptr_array_index (self->items, self->current);
}

static void
load_overlay_shapes (LimnerReviewPage *self,
                     gint64            image_id)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->predictions, g_ptr_array_unref);
  if (self->store == NULL || image_id == 0)
    return;
  self->references = limner_store_list_reference_shapes (self->store, image_id, &error);
  if (self->references != NULL)
    self->predictions = limner_store_list_prediction_baseline (self->store, image_id, &error);
  if (error != NULL)
    g_warning ("Cannot read the reference shapes of image %" PRId64 ": %s", image_id, error->message);
  gtk_widget_queue_draw (GTK_WIDGET (self->reference_area));
}

static void
show_current (LimnerReviewPage *self)
{
  LimnerReviewItem *item = current_item (self);
  g_autoptr(LimnerImageRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    {
      limner_annotate_page_set_image (self->annotate_page, NULL);
      adw_window_title_set_subtitle (self->window_title, NULL);
      load_overlay_shapes (self, 0);
      return;
    }
  record = limner_store_get_image (self->store, item->image_id, &error);
  if (record == NULL)
    {
      show_error (self, _("Could not open the image"), error);
      return;
    }
  limner_annotate_page_set_image (self->annotate_page, record);
  adw_window_title_set_subtitle (self->window_title, record->path);
  load_overlay_shapes (self, record->id);
  gtk_list_box_select_row (self->queue_list, gtk_list_box_get_row_at_index (self->queue_list, self->current));
}

static char *
format_spent (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup (_("time unknown"));
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " second", "%" PRId64 " seconds",
                                         seconds), seconds);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " minute", "%" PRId64 " minutes",
                                       seconds / 60), seconds / 60);
}

static GtkWidget *
make_row (const LimnerReviewItem *item)
{
  g_autofree char *spent = format_spent (item->seconds_spent);
  g_autofree char *shapes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shape", "%u shapes",
                                                          item->n_shapes), item->n_shapes);
  g_autofree char *details = g_strdup_printf ("%s · %s · %s", item->author ? item->author : _("unknown"),
                                              spent, shapes);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (item->path);
  GtkWidget *subtitle = gtk_label_new (details);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_START);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  return box;
}

/* The moderation figures: per annotator, the acceptance rate with its
 * sample size and 95 % Wilson interval, the reviews still needed for
 * +/- 5 points, and the gold scores. */
static void
update_moderation (LimnerReviewPage *self)
{
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) scores = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (self->store != NULL)
    counts = limner_store_qc_counts (self->store, NULL, &error);
  if (counts != NULL)
    scores = limner_store_list_gold_scores (self->store, &error);
  if (scores == NULL)
    {
      gtk_label_set_text (self->moderation_label, error != NULL ? error->message : "");
      return;
    }
  for (guint i = 0; i < counts->len; i++)
    {
      LimnerQcCounts *c = g_ptr_array_index (counts, i);
      guint n = c->accepted + c->rejected + c->fixed;
      LimnerWilson w = limner_qc_wilson (c->accepted, n);

      g_string_append_printf (text, _("%s: %u waiting, %u accepted, %u rejected, %u fixed\n"),
                              c->annotator, c->waiting, c->accepted, c->rejected, c->fixed);
      if (n > 0)
        g_string_append_printf (text, _("  accepted %.0f %% of %u (95 %%: %.0f–%.0f %%); "
                                        "%u more reviews for ±5 points\n"),
                                100 * w.p, n, 100 * w.low, 100 * w.high,
                                limner_qc_reviews_needed (c->accepted, n, 0.05));
    }
  for (guint i = 0; i < scores->len; i++)
    {
      LimnerGoldScoreRecord *r = g_ptr_array_index (scores, i);
      g_autoptr(LimnerImageRecord) image = limner_store_get_image (self->store, r->image_id, NULL);

      g_string_append_printf (text, _("Gold %s by %s: precision %.2f, recall %.2f, mean IoU %.2f\n"),
                              image != NULL ? image->path : "?", r->annotator,
                              r->score.precision, r->score.recall, r->score.mean_iou);
    }
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  gtk_label_set_text (self->moderation_label, text->str);
}

void
limner_review_page_reload (LimnerReviewPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gint64 shown;
  gboolean keep = FALSE;

  g_return_if_fail (LIMNER_IS_REVIEW_PAGE (self));

  shown = limner_annotate_page_get_image_id (self->annotate_page);
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->queue_list))) != NULL)
    gtk_list_box_remove (self->queue_list, child);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->store != NULL)
    {
      self->items = limner_store_review_queue (self->store, &error);
      if (self->items == NULL)
        show_error (self, _("Could not read the review queue"), error);
    }
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      LimnerReviewItem *item = g_ptr_array_index (self->items, i);

      gtk_list_box_append (self->queue_list, make_row (item));
      /* The image on screen stays there while it waits for review (a
       * reload because someone else submitted or decided another). */
      if (item->image_id == shown)
        {
          self->current = i;
          keep = TRUE;
        }
    }
  self->filling = FALSE;

  if (self->items != NULL && self->items->len > 0)
    {
      self->current = MIN (self->current, self->items->len - 1);
      gtk_stack_set_visible_child_name (self->stack, "review");
    }
  else
    {
      self->current = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  update_moderation (self);
  limner_moderation_view_reload (self->moderation_view);
  if (keep)
    gtk_list_box_select_row (self->queue_list, gtk_list_box_get_row_at_index (self->queue_list, self->current));
  else
    show_current (self);
}

static void
row_selected (LimnerReviewPage *self,
              GtkListBoxRow    *row,
              GtkListBox       *list)
{
  guint index;

  if (self->filling || row == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index == self->current && limner_annotate_page_get_image_id (self->annotate_page) != 0)
    return;
  self->current = index;
  show_current (self);
}

static gboolean
decide (LimnerReviewPage       *self,
        LimnerReviewDecision    decision,
        const char             *comment,
        const LimnerReviewMark *mark)
{
  LimnerReviewItem *item = current_item (self);
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    return FALSE;
  /* The reviewer's edits reach the store before the decision compares them. */
  if (!limner_annotate_page_flush (self->annotate_page, &error)
      || limner_store_decide (self->store, item->image_id, decision, comment, mark, mark ? 1 : 0, &error) == 0)
    {
      g_autofree char *heading = g_strdup_printf (_("Could not record the decision on %s"), item->path);

      show_error (self, heading, error);
      return FALSE;
    }
  /* The next image takes the decided one's place in the list. */
  limner_review_page_reload (self);
  return TRUE;
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerReviewPage *self = LIMNER_REVIEW_PAGE (widget);

  if (self->reject_dialog == NULL)
    decide (self, LIMNER_REVIEW_ACCEPT, NULL, NULL);
}

static void
reject_response (LimnerReviewPage *self,
                 const char       *response,
                 AdwMessageDialog *dialog)
{
  g_autofree char *comment = NULL;
  LimnerReviewMark mark = { 0 };
  guint choice;

  if (dialog != self->reject_dialog)
    return;
  comment = g_strdup (gtk_editable_get_text (self->reject_comment));
  choice = gtk_drop_down_get_selected (self->reject_mark);
  self->reject_dialog = NULL;
  self->reject_comment = NULL;
  self->reject_mark = NULL;
  if (!g_str_equal (response, "reject"))
    return;

  mark.shape_id = limner_canvas_get_selected_shape (limner_annotate_page_get_canvas (self->annotate_page));
  if (choice > 0 && choice <= G_N_ELEMENTS (mark_kinds) && mark.shape_id > 0)
    mark.kind = mark_kinds[choice - 1];
  else
    mark.shape_id = 0;
  decide (self, LIMNER_REVIEW_REJECT, comment, mark.shape_id > 0 ? &mark : NULL);
}

/* Enter in the comment rejects, as the default response would. */
static void
reject_entry_activated (LimnerReviewPage *self,
                        GtkEntry         *entry)
{
  AdwMessageDialog *dialog = self->reject_dialog;

  if (dialog == NULL)
    return;
  /* Unlike a click on a response button, response() leaves it open. */
  adw_message_dialog_response (dialog, "reject");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerReviewPage *self = LIMNER_REVIEW_PAGE (widget);
  LimnerReviewItem *item = current_item (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *marks[] = {
    N_("No mark"), N_("Wrong label"), N_("Loose outline"), N_("Missing object"), N_("Extra object"), NULL,
  };
  g_autofree char *heading = NULL;
  const char *translated[G_N_ELEMENTS (marks)];
  GtkWidget *box, *entry, *drop_down;

  if (item == NULL || self->reject_dialog != NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    translated[i] = marks[i] ? _(marks[i]) : NULL;

  heading = g_strdup_printf (_("Reject %s?"), item->path);
  self->reject_dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                    heading,
                                                                    _("The image goes back to its annotator "
                                                                      "with your comment.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("What to fix"));
  g_signal_connect_object (entry, "activate", G_CALLBACK (reject_entry_activated), self, G_CONNECT_SWAPPED);
  drop_down = gtk_drop_down_new_from_strings (translated);
  gtk_widget_set_tooltip_text (drop_down, _("A mark on the selected shape"));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), drop_down);
  adw_message_dialog_set_extra_child (self->reject_dialog, box);
  adw_message_dialog_add_responses (self->reject_dialog, "cancel", _("_Cancel"), "reject", _("_Reject"), NULL);
  adw_message_dialog_set_response_appearance (self->reject_dialog, "reject", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->reject_dialog, "reject");
  adw_message_dialog_set_close_response (self->reject_dialog, "cancel");
  self->reject_comment = GTK_EDITABLE (entry);
  self->reject_mark = GTK_DROP_DOWN (drop_down);
  g_signal_connect_object (self->reject_dialog, "response", G_CALLBACK (reject_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->reject_dialog));
  gtk_widget_grab_focus (entry);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  LimnerReviewPage *self = LIMNER_REVIEW_PAGE (widget);
  gboolean next = g_str_equal (action_name, "review.next");

  if (self->items == NULL || self->items->len == 0)
    return;
  if (next && self->current + 1 < self->items->len)
    self->current++;
  else if (!next && self->current > 0)
    self->current--;
  else
    return;
  show_current (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[CLOSE_REQUESTED], 0);
}

/* The overlay */

static void
trace (cairo_t          *cr,
       LimnerReviewPage *self,
       LimnerCanvas     *canvas,
       const double     *points,
       guint             n_points,
       gboolean          box)
{
  double corners[8];
  double wx, wy, ax, ay;

  if (box && n_points == 2)
    {
      corners[0] = points[0], corners[1] = points[1];
      corners[2] = points[2], corners[3] = points[1];
      corners[4] = points[2], corners[5] = points[3];
      corners[6] = points[0], corners[7] = points[3];
      points = corners;
      n_points = 4;
    }
  for (guint i = 0; i < n_points; i++)
    {
      limner_canvas_image_to_widget (canvas, points[2 * i], points[2 * i + 1], &wx, &wy);
      if (!gtk_widget_translate_coordinates (GTK_WIDGET (canvas), GTK_WIDGET (self->reference_area),
                                             wx, wy, &ax, &ay))
        return;
      if (i == 0)
        cairo_move_to (cr, ax, ay);
      else
        cairo_line_to (cr, ax, ay);
    }
  cairo_close_path (cr);
}

static void
draw_reference (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  LimnerReviewPage *self = user_data;
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (self->annotate_page);
  static const double dash[] = { 6, 4 };

  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  /* Reference: gold-yellow; predictions as imported: cyan. */
  for (guint i = 0; self->references != NULL && i < self->references->len; i++)
    {
      LimnerReferenceShape *ref = g_ptr_array_index (self->references, i);

      if (ref->polygon != NULL && ref->polygon->len >= 6)
        trace (cr, self, canvas, (const double *) ref->polygon->data, ref->polygon->len / 2, FALSE);
      else
        trace (cr, self, canvas, ref->box, 2, TRUE);
    }
  cairo_set_source_rgba (cr, 0.96, 0.83, 0.18, 0.95);
  cairo_stroke (cr);
  for (guint i = 0; self->predictions != NULL && i < self->predictions->len; i++)
    {
      LimnerShape *shape = g_ptr_array_index (self->predictions, i);

      trace (cr, self, canvas, (const double *) shape->points->data, shape->points->len / 2,
             shape->kind == LIMNER_SHAPE_BOX);
    }
  cairo_set_source_rgba (cr, 0.2, 0.85, 0.95, 0.95);
  cairo_stroke (cr);
}

/* The canvas pans and zooms on its own: follow it while the overlay shows. */
static gboolean
overlay_tick (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
reference_toggled (LimnerReviewPage *self,
                   GtkToggleButton  *toggle)
{
  gboolean on = gtk_toggle_button_get_active (toggle);

  gtk_widget_set_visible (GTK_WIDGET (self->reference_area), on);
  if (on && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->reference_area), overlay_tick, NULL, NULL);
  else if (!on && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->reference_area), self->tick_id);
      self->tick_id = 0;
    }
}

/* API */

GtkWidget *
limner_review_page_new (void)
{
  return g_object_new (LIMNER_TYPE_REVIEW_PAGE, NULL);
}

gboolean
limner_review_page_set_store (LimnerReviewPage  *self,
                              LimnerStore       *store,
                              GError           **error)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), FALSE);
  g_return_val_if_fail (store == NULL || LIMNER_IS_STORE (store), FALSE);

  if (self->store == store)
    return TRUE;
  limner_annotate_page_set_image (self->annotate_page, NULL);
  if (!limner_annotate_page_set_store (self->annotate_page, store, error))
    return FALSE;
  g_set_object (&self->store, store);
  limner_moderation_view_set_store (self->moderation_view, store);
  self->current = 0;
  limner_review_page_reload (self);
  return TRUE;
}

LimnerStore *
limner_review_page_get_store (LimnerReviewPage *self)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), NULL);
  return self->store;
}

guint
limner_review_page_get_n_items (LimnerReviewPage *self)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), 0);
  return self->items != NULL ? self->items->len : 0;
}

gint64
limner_review_page_get_image_id (LimnerReviewPage *self)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), 0);
  return limner_annotate_page_get_image_id (self->annotate_page);
}

LimnerAnnotatePage *
limner_review_page_get_annotate_page (LimnerReviewPage *self)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), NULL);
  return self->annotate_page;
}

AdwMessageDialog *
limner_review_page_get_reject_dialog (LimnerReviewPage *self)
{
  g_return_val_if_fail (LIMNER_IS_REVIEW_PAGE (self), NULL);
  return self->reject_dialog;
}

/* GObject */

static void
limner_review_page_dispose (GObject *object)
{
  LimnerReviewPage *self = LIMNER_REVIEW_PAGE (object);

  if (self->reject_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reject_dialog));
  self->reject_dialog = NULL;
  if (self->annotate_page != NULL)
    limner_annotate_page_set_store (self->annotate_page, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_REVIEW_PAGE);
  /* The template's top-level box is not a bound child: unparent it too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->predictions, g_ptr_array_unref);

  G_OBJECT_CLASS (limner_review_page_parent_class)->dispose (object);
}

static void
limner_review_page_class_init (LimnerReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_review_page_dispose;

  signals[CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (LIMNER_TYPE_ANNOTATE_PAGE);
  g_type_ensure (LIMNER_TYPE_MODERATION_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/limner/Limner/limner-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, reference_toggle);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, queue_list);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, annotate_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, reference_area);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, moderation_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerReviewPage, moderation_view);

  gtk_widget_class_install_action (widget_class, "review.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "review.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "review.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "review.next", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "review.previous", NULL, move_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "review.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "review.reject", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "review.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "review.previous", NULL);
}

static void
limner_review_page_init (LimnerReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->reference_area, draw_reference, self, NULL);
  g_signal_connect_object (self->queue_list, "row-selected", G_CALLBACK (row_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reference_toggle, "toggled", G_CALLBACK (reference_toggled), self,
                           G_CONNECT_SWAPPED);
}
