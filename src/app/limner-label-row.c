/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-label-row.h"

struct _LimnerLabelRow
{
  AdwExpanderRow  parent_instance;

  /* Template widgets */
  GtkWidget      *handle;
  GtkWidget      *swatch;
  AdwEntryRow    *name_row;
  AdwActionRow   *color_row;
  GtkColorButton *color_button;
  AdwEntryRow    *hotkey_row;
  GtkTextView    *guide_view;
  GtkLabel       *guide_hint;
  GtkWidget      *position_row;
  GtkWidget      *up_button;
  GtkWidget      *down_button;
  AdwActionRow   *delete_row;
  GtkWidget      *delete_button;

  /* Owned references */
  LimnerLabel    *label;        /* as the store last returned it */

  gint64          n_shapes;
  int             position;
  double          drag_x;
  double          drag_y;
  guint           hotkey_idle;
  guint           updating;     /* > 0 while the row fills its widgets */
  guint           editable : 1;
  guint           removed : 1;
};

G_DEFINE_FINAL_TYPE (LimnerLabelRow, limner_label_row, ADW_TYPE_EXPANDER_ROW)

enum {
  EDIT,
  MOVE,
  DROP_LABEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
limner_label_row_rgba_to_hex (const GdkRGBA *rgba)
{
  return g_strdup_printf ("#%02x%02x%02x",
                          (int) (CLAMP (rgba->red, 0., 1.) * 255 + .5),
                          (int) (CLAMP (rgba->green, 0., 1.) * 255 + .5),
                          (int) (CLAMP (rgba->blue, 0., 1.) * 255 + .5));
}

void
limner_label_row_hex_to_rgba (const char *hex,
                              GdkRGBA    *rgba)
{
  if (hex == NULL || !gdk_rgba_parse (rgba, hex))
    *rgba = (GdkRGBA) { .5, .5, .5, 1 };
  rgba->alpha = 1;
}

static char *
text_view_dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_editable_text (GtkEditable *editable,
                   const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text ? text : "") != 0)
    gtk_editable_set_text (editable, text ? text : "");
}

/* Asks the dialog to store one field; FALSE when it was refused. */
static gboolean
edit (LimnerLabelRow   *self,
      LimnerLabelField  field,
      const char       *value)
{
  gboolean accepted = FALSE;

  if (self->removed || !self->editable)
    return FALSE;
  g_signal_emit (self, signals[EDIT], 0, field, value, &accepted);
  return accepted;
}

/* Puts the stored value back into an entry row the store refused, without
 * making it look like an edit waiting to be applied. */
static void
revert_entry_row (LimnerLabelRow *self,
                  AdwEntryRow    *entry_row,
                  const char     *text)
{
  gboolean apply = adw_entry_row_get_show_apply_button (entry_row);

  self->updating++;
  adw_entry_row_set_show_apply_button (entry_row, FALSE);
  set_editable_text (GTK_EDITABLE (entry_row), text);
  adw_entry_row_set_show_apply_button (entry_row, apply);
  self->updating--;
}

static void
swatch_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  LimnerLabelRow *self = user_data;
  double r = 5, x = .5, y = .5, w = width - 1, h = height - 1;
  GdkRGBA rgba;

  if (self->label == NULL)
    return;
  limner_label_row_hex_to_rgba (self->label->color, &rgba);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  /* A faint outline keeps white and very light colours visible. */
  cairo_set_source_rgba (cr, 0, 0, 0, .2);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
name_applied (LimnerLabelRow *self,
              AdwEntryRow    *entry_row)
{
  if (self->updating)
    return;
  if (!edit (self, LIMNER_LABEL_FIELD_NAME, gtk_editable_get_text (GTK_EDITABLE (entry_row))))
    revert_entry_row (self, entry_row, self->label->name);
}

static void
color_set (LimnerLabelRow *self,
           GtkColorButton *button)
{
  g_autofree char *hex = NULL;
  GdkRGBA rgba;

  if (self->updating)
    return;
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  hex = limner_label_row_rgba_to_hex (&rgba);
  if (!edit (self, LIMNER_LABEL_FIELD_COLOR, hex))
    {
      limner_label_row_hex_to_rgba (self->label->color, &rgba);
      self->updating++;
      gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (button), &rgba);
      self->updating--;
    }
}

static gboolean
save_hotkey_idle (gpointer data)
{
  LimnerLabelRow *self = data;

  self->hotkey_idle = 0;
  if (self->removed)
    return G_SOURCE_REMOVE;
  if (!edit (self, LIMNER_LABEL_FIELD_HOTKEY, gtk_editable_get_text (GTK_EDITABLE (self->hotkey_row))))
    revert_entry_row (self, self->hotkey_row, self->label->hotkey);
  return G_SOURCE_REMOVE;
}

/* A hotkey is one character, so it is saved as soon as it is typed: from
 * an idle, because replacing the character deletes before it inserts, and
 * the empty moment between must not reach the store. */
static void
hotkey_changed (LimnerLabelRow *self,
                GtkEditable    *editable)
{
  if (self->updating || self->hotkey_idle != 0)
    return;
  self->hotkey_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, save_hotkey_idle,
                                       g_object_ref (self), g_object_unref);
}

void
limner_label_row_save_guide (LimnerLabelRow *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LIMNER_IS_LABEL_ROW (self));

  if (self->updating || self->removed || !self->editable || self->label == NULL)
    return;
  text = text_view_dup_text (self->guide_view);
  g_strchomp (text);
  if (!edit (self, LIMNER_LABEL_FIELD_GUIDE, text))
    {
      self->updating++;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->guide_view),
                                self->label->guide ? self->label->guide : "", -1);
      self->updating--;
    }
}

/* Enter saves the guideline; Shift+Enter starts a new line. */
static gboolean
guide_key_pressed (LimnerLabelRow        *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
      && (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      limner_label_row_save_guide (self);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
move_up_clicked (LimnerLabelRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, -1);
}

static void
move_down_clicked (LimnerLabelRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, +1);
}

/* Reordering by drag and drop: the handle carries the label id. */

static GdkContentProvider *
drag_prepare (GtkDragSource  *source,
              double          x,
              double          y,
              LimnerLabelRow *self)
{
  graphene_point_t in_row;

  if (!self->editable || self->removed || self->label == NULL)
    return NULL;
  if (!gtk_widget_compute_point (self->handle, GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &in_row))
    in_row = GRAPHENE_POINT_INIT (x, y);
  self->drag_x = in_row.x;
  self->drag_y = in_row.y;
  return gdk_content_provider_new_typed (G_TYPE_INT64, self->label->id);
}

static void
drag_begin (GtkDragSource  *source,
            GdkDrag        *drag,
            LimnerLabelRow *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, (int) self->drag_x, (int) self->drag_y);
}

static gboolean
row_drop (GtkDropTarget  *target,
          const GValue   *value,
          double          x,
          double          y,
          LimnerLabelRow *self)
{
  gint64 dragged = g_value_get_int64 (value);

  if (self->removed || self->label == NULL || dragged == self->label->id)
    return FALSE;
  g_signal_emit (self, signals[DROP_LABEL], 0, dragged);
  return TRUE;
}

static void
add_row_shortcut (GtkShortcutController *controller,
                  guint                  keyval,
                  const char            *action_name,
                  gint64                 label_id)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, GDK_ALT_MASK),
                                            gtk_named_action_new (action_name));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_int64 (label_id));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static char *
shapes_text (gint64 n_shapes)
{
  if (n_shapes == 0)
    return g_strdup (_("Not used by any shape"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Used by %" PRId64 " shape",
                                       "Used by %" PRId64 " shapes", n_shapes),
                          n_shapes);
}

void
limner_label_row_update (LimnerLabelRow *self,
                         LimnerLabel    *label,
                         gint64          n_shapes,
                         int             position,
                         int             n_labels,
                         gboolean        digit_is_own)
{
  g_autoptr(LimnerLabel) old = NULL;
  g_autofree char *title = NULL;
  g_autofree char *used = shapes_text (n_shapes);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *hotkey = NULL;
  g_autofree char *number = NULL;

  g_return_if_fail (LIMNER_IS_LABEL_ROW (self));
  g_return_if_fail (label != NULL);

  old = g_steal_pointer (&self->label);
  title = g_markup_escape_text (label->name, -1);
  self->updating++;
  self->label = label;
  self->n_shapes = n_shapes;
  self->position = position;

  if (label->hotkey != NULL)
    /* Translators: the hotkey of a label, as in "Hotkey “c”" */
    hotkey = g_strdup_printf (_("Hotkey “%s”"), label->hotkey);
  else
    hotkey = g_strdup (_("No hotkey"));
  /* The keys 1–9 pick the first nine labels by position, unless another
   * label took the digit as its hotkey (hotkeys win, as in the annotate
   * page); a label whose hotkey is its own digit needs no second mention. */
  if (position < 9 && digit_is_own &&
      !(label->hotkey != NULL && label->hotkey[0] == '1' + (char) position &&
        label->hotkey[1] == '\0'))
    number = g_strdup_printf (_("Key %d"), position + 1);
  /* Translators: the facts under a label's name: key · hotkey · shapes */
  subtitle = number != NULL
    ? g_strdup_printf (_("%s · %s · %s"), number, hotkey, used)
    : g_strdup_printf (_("%s · %s"), hotkey, used);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), escaped);
  gtk_widget_set_tooltip_text (self->swatch, label->color);
  gtk_widget_queue_draw (self->swatch);

  if (old == NULL || g_strcmp0 (old->name, label->name) != 0)
    set_editable_text (GTK_EDITABLE (self->name_row), label->name);
  if (old == NULL || g_strcmp0 (old->color, label->color) != 0)
    {
      GdkRGBA rgba;

      limner_label_row_hex_to_rgba (label->color, &rgba);
      gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
      adw_action_row_set_subtitle (self->color_row, label->color);
    }
  if (old == NULL || g_strcmp0 (old->hotkey, label->hotkey) != 0)
    set_editable_text (GTK_EDITABLE (self->hotkey_row), label->hotkey);
  if (old == NULL || g_strcmp0 (old->guide, label->guide) != 0)
    {
      g_autofree char *shown = text_view_dup_text (self->guide_view);

      g_strchomp (shown);
      if (g_strcmp0 (shown, label->guide ? label->guide : "") != 0)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->guide_view),
                                  label->guide ? label->guide : "", -1);
    }

  adw_action_row_set_subtitle (self->delete_row,
                               n_shapes > 0
                               ? _("A label in use cannot be deleted: relabel or delete its shapes first")
                               : _("No shape uses this label"));
  gtk_widget_set_sensitive (self->up_button, position > 0);
  gtk_widget_set_sensitive (self->down_button, position < n_labels - 1);
  self->updating--;
}

const LimnerLabel *
limner_label_row_get_label (LimnerLabelRow *self)
{
  g_return_val_if_fail (LIMNER_IS_LABEL_ROW (self), NULL);

  return self->label;
}

int
limner_label_row_get_position (LimnerLabelRow *self)
{
  g_return_val_if_fail (LIMNER_IS_LABEL_ROW (self), 0);

  return self->position;
}

void
limner_label_row_set_removed (LimnerLabelRow *self)
{
  g_return_if_fail (LIMNER_IS_LABEL_ROW (self));

  self->removed = TRUE;
}

void
limner_label_row_edit_guide (LimnerLabelRow *self)
{
  g_return_if_fail (LIMNER_IS_LABEL_ROW (self));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->guide_view));
}

static void
limner_label_row_dispose (GObject *object)
{
  LimnerLabelRow *self = LIMNER_LABEL_ROW (object);

  self->removed = TRUE;
  g_clear_handle_id (&self->hotkey_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_LABEL_ROW);

  G_OBJECT_CLASS (limner_label_row_parent_class)->dispose (object);
}

static void
limner_label_row_finalize (GObject *object)
{
  LimnerLabelRow *self = LIMNER_LABEL_ROW (object);

  g_clear_pointer (&self->label, limner_label_free);

  G_OBJECT_CLASS (limner_label_row_parent_class)->finalize (object);
}

static void
limner_label_row_class_init (LimnerLabelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_label_row_dispose;
  object_class->finalize = limner_label_row_finalize;

  signals[EDIT] =
    g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[MOVE] =
    g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[DROP_LABEL] =
    g_signal_new ("drop-label", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-label-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, handle);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, swatch);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, name_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, color_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, color_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, hotkey_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, guide_view);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, guide_hint);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, position_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, delete_row);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, name_applied);
  gtk_widget_class_bind_template_callback (widget_class, color_set);
  gtk_widget_class_bind_template_callback (widget_class, hotkey_changed);
  gtk_widget_class_bind_template_callback (widget_class, limner_label_row_save_guide);
  gtk_widget_class_bind_template_callback (widget_class, guide_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, move_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, move_down_clicked);
}

static void
limner_label_row_init (LimnerLabelRow *self)
{
  GtkEditable *text;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_cursor_from_name (self->handle, "grab");
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->swatch), swatch_draw, self, NULL);
  text = gtk_editable_get_delegate (GTK_EDITABLE (self->hotkey_row));
  if (GTK_IS_TEXT (text))
    gtk_text_set_max_length (GTK_TEXT (text), 1);
}

LimnerLabelRow *
limner_label_row_new (gint64   label_id,
                      gboolean editable)
{
  LimnerLabelRow *self = g_object_new (LIMNER_TYPE_LABEL_ROW, NULL);

  self->editable = !!editable;
  gtk_widget_set_visible (self->handle, editable);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->color_button), editable);
  if (editable)
    adw_action_row_set_activatable_widget (self->color_row, GTK_WIDGET (self->color_button));
  gtk_editable_set_editable (GTK_EDITABLE (self->hotkey_row), editable);
  gtk_text_view_set_editable (self->guide_view, editable);
  gtk_text_view_set_cursor_visible (self->guide_view, editable);
  gtk_label_set_label (self->guide_hint,
                       editable
                       ? _("Shown to annotators while they draw. Enter saves; "
                           "Shift+Enter starts a new line.")
                       : _("Shown to annotators while they draw."));
  gtk_widget_set_visible (self->position_row, editable);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button),
                                          g_variant_new_int64 (label_id));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_row), editable);

  if (editable)
    {
      GtkDragSource *source = gtk_drag_source_new ();
      GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);
      GtkEventController *controller = gtk_shortcut_controller_new ();

      gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
      g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare), self);
      g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin), self);
      gtk_widget_add_controller (self->handle, GTK_EVENT_CONTROLLER (source));
      g_signal_connect (target, "drop", G_CALLBACK (row_drop), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Up, "labels.move-up", label_id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Up, "labels.move-up", label_id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Down, "labels.move-down", label_id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Down, "labels.move-down",
                        label_id);
      gtk_widget_add_controller (GTK_WIDGET (self), controller);
    }
  return self;
}
