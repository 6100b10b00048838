/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-labels-dialog.c: the label schema editor. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-labels-dialog.h"

/* The widgets of one label's row. Owned by the row (object data), so it
 * lives exactly as long as the row's widgets that point to it. */
typedef struct
{
  LimnerLabelsDialog *dialog;       /* borrowed */
  LimnerLabel        *label;        /* as the store last returned it */
  gint64              n_shapes;
  int                 position;

  AdwExpanderRow     *row;
  GtkWidget          *handle;
  GtkWidget          *swatch;
  GtkWidget          *up_button;
  GtkWidget          *down_button;
  AdwEntryRow        *name_row;
  AdwActionRow       *color_row;
  GtkColorButton     *color_button;
  AdwEntryRow        *hotkey_row;
  GtkTextView        *guide_view;
  AdwActionRow       *delete_row;

  double              drag_x, drag_y;
  guint               hotkey_idle;
  guint               updating; /* > 0 while the dialog fills the widgets */
  guint               removed : 1;
} LabelRow;

struct _LimnerLabelsDialog
{
  AdwWindow         parent_instance;

  /* Template widgets */
  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkWidget        *add_button;
  GtkRevealer      *readonly_revealer;
  GtkLabel         *readonly_label;
  GtkStack         *list_stack;
  AdwStatusPage    *empty_page;
  GtkWidget        *empty_add_button;
  GtkLabel         *intro_label;
  GtkListBox       *labels_list;

  /* Borrowed references */
  AdwMessageDialog *message_dialog;  /* weak: the add or delete dialog shown */

  /* Owned references */
  LimnerStore      *store;
  GHashTable       *rows;            /* gint64 label id -> LabelRow (owned by its row widget) */
  GArray           *order;           /* gint64 label ids in list order */
  char             *last_error;

  guint             editable : 1;
  guint             disposed : 1;
};

G_DEFINE_FINAL_TYPE (LimnerLabelsDialog, limner_labels_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EDITABLE,
  N_PROPS
};

enum {
  LABELS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* GNOME palette, for labels added without a colour in mind. */
static const char *const palette[] = {
  "#e01b24", "#2ec27e", "#3584e4", "#f6d32d", "#9141ac",
  "#ff7800", "#33d17a", "#1c71d8", "#c64600", "#865e3c",
};

typedef enum {
  FIELD_NAME,
  FIELD_COLOR,
  FIELD_HOTKEY,
  FIELD_GUIDE,
} Field;

#define LABEL_ROW_KEY "limner-label-row"

static LabelRow *
label_row_from_widget (gpointer widget)
{
  return g_object_get_data (G_OBJECT (widget), LABEL_ROW_KEY);
}

/* Helpers */

static char *
rgba_to_hex (const GdkRGBA *rgba)
{
  return g_strdup_printf ("#%02x%02x%02x",
                          (int) (CLAMP (rgba->red, 0., 1.) * 255 + .5),
                          (int) (CLAMP (rgba->green, 0., 1.) * 255 + .5),
                          (int) (CLAMP (rgba->blue, 0., 1.) * 255 + .5));
}

static void
hex_to_rgba (const char *hex, GdkRGBA *rgba)
{
  if (hex == NULL || !gdk_rgba_parse (rgba, hex))
    *rgba = (GdkRGBA) { .5, .5, .5, 1 };
  rgba->alpha = 1;
}

static gboolean
blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
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
show_error (LimnerLabelsDialog *self,
            const GError       *error)
{
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  g_message ("%s", error->message);
  if (self->disposed)
    return;

  /* Toast titles are Pango markup; label names may hold '&' or '<'. */
  markup = g_markup_escape_text (error->message, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const LimnerLabel *
find_other_label (LimnerLabelsDialog *self,
                  gint64              except_id,
                  Field               field,
                  const char         *value)
{
  GHashTableIter iter;
  LabelRow *lr;

  if (value == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    {
      const char *other = field == FIELD_NAME ? lr->label->name : lr->label->hotkey;

      if (lr->label->id != except_id && g_strcmp0 (other, value) == 0)
        return lr->label;
    }
  return NULL;
}

/* A friendlier refusal than the database's constraint message, naming both
 * labels. The store still makes the real check. */
static gboolean
check_conflicts (LimnerLabelsDialog *self,
                 gint64              id,
                 const char         *name,
                 const char         *hotkey,
                 GError            **error)
{
  const LimnerLabel *other;

  if ((other = find_other_label (self, id, FIELD_NAME, name)) != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                   _("A label named “%s” already exists"), name);
      return FALSE;
    }
  if ((other = find_other_label (self, id, FIELD_HOTKEY, hotkey)) != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                   _("Label “%s”: the label “%s” already uses the hotkey “%s”"),
                   name, other->name, hotkey);
      return FALSE;
    }
  return TRUE;
}

static void
changed (LimnerLabelsDialog *self)
{
  limner_labels_dialog_reload (self);
  g_signal_emit (self, signals[LABELS_CHANGED], 0);
}

/* Writes one field of a label to the store. Shows the error and returns
 * FALSE when the store (or the conflict check) refuses it. */
static gboolean
set_field (LabelRow   *lr,
           Field       field,
           const char *value)
{
  LimnerLabelsDialog *self = lr->dialog;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  LimnerLabel edited;

  if (lr->removed || self->disposed || !self->editable)
    return FALSE;

  edited = *lr->label;
  switch (field)
    {
    case FIELD_NAME:
      name = g_strstrip (g_strdup (value));
      edited.name = name;
      break;
    case FIELD_COLOR:
      edited.color = (char *) value;
      break;
    case FIELD_HOTKEY:
      edited.hotkey = blank (value) ? NULL : (char *) value;
      break;
    case FIELD_GUIDE:
      edited.guide = blank (value) ? NULL : (char *) value;
      break;
    default:
      g_assert_not_reached ();
    }

  if (g_strcmp0 (edited.name, lr->label->name) == 0
      && g_strcmp0 (edited.color, lr->label->color) == 0
      && g_strcmp0 (edited.hotkey, lr->label->hotkey) == 0
      && g_strcmp0 (edited.guide, lr->label->guide) == 0)
    return TRUE;

  if (!check_conflicts (self, edited.id, edited.name, edited.hotkey, &error)
      || !limner_store_update_label (self->store, &edited, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  changed (self);
  return TRUE;
}

static void
set_editable_text (GtkEditable *editable,
                   const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text ? text : "") != 0)
    gtk_editable_set_text (editable, text ? text : "");
}

/* Puts the stored value back into an entry row the store refused, without
 * making it look like an edit waiting to be applied. */
static void
revert_entry_row (LabelRow    *lr,
                  AdwEntryRow *entry_row,
                  const char  *text)
{
  gboolean apply = adw_entry_row_get_show_apply_button (entry_row);

  lr->updating++;
  adw_entry_row_set_show_apply_button (entry_row, FALSE);
  set_editable_text (GTK_EDITABLE (entry_row), text);
  adw_entry_row_set_show_apply_button (entry_row, apply);
  lr->updating--;
}

/* Row widget callbacks */

static void
swatch_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  LabelRow *lr = label_row_from_widget (area);
  double r = 5, x = .5, y = .5, w = width - 1, h = height - 1;
  GdkRGBA rgba;

  if (lr == NULL)
    return;
  hex_to_rgba (lr->label->color, &rgba);
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
name_applied (AdwEntryRow *entry_row,
              LabelRow    *lr)
{
  if (lr->updating)
    return;
  if (!set_field (lr, FIELD_NAME, gtk_editable_get_text (GTK_EDITABLE (entry_row))))
    revert_entry_row (lr, entry_row, lr->label->name);
}

static void
color_set (GtkColorButton *button,
           LabelRow       *lr)
{
  g_autofree char *hex = NULL;
  GdkRGBA rgba;

  if (lr->updating)
    return;
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  hex = rgba_to_hex (&rgba);
  if (!set_field (lr, FIELD_COLOR, hex))
    {
      hex_to_rgba (lr->label->color, &rgba);
      lr->updating++;
      gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (button), &rgba);
      lr->updating--;
    }
}

static gboolean
save_hotkey_idle (gpointer data)
{
  GtkWidget *row = data;
  LabelRow *lr = label_row_from_widget (row);

  if (lr == NULL || lr->removed)
    return G_SOURCE_REMOVE;
  lr->hotkey_idle = 0;
  if (!set_field (lr, FIELD_HOTKEY, gtk_editable_get_text (GTK_EDITABLE (lr->hotkey_row))))
    revert_entry_row (lr, lr->hotkey_row, lr->label->hotkey);
  return G_SOURCE_REMOVE;
}

/* A hotkey is one character, so it is saved as soon as it is typed: from
 * an idle, because replacing the character deletes before it inserts, and
 * the empty moment between must not reach the store. */
static void
hotkey_changed (GtkEditable *editable,
                LabelRow    *lr)
{
  if (lr->updating || lr->hotkey_idle != 0)
    return;
  lr->hotkey_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, save_hotkey_idle,
                                     g_object_ref (lr->row), g_object_unref);
}

static void
save_guide (LabelRow *lr)
{
  g_autofree char *text = NULL;

  if (lr->updating || lr->removed || lr->dialog->disposed)
    return;
  text = text_view_dup_text (lr->guide_view);
  g_strchomp (text);
  if (!set_field (lr, FIELD_GUIDE, text))
    {
      lr->updating++;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (lr->guide_view),
                                lr->label->guide ? lr->label->guide : "", -1);
      lr->updating--;
    }
}

static void
guide_focus_leave (GtkEventControllerFocus *controller,
                   LabelRow                *lr)
{
  save_guide (lr);
}

/* Enter saves the guideline; Shift+Enter starts a new line. */
static gboolean
guide_key_pressed (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   LabelRow              *lr)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
      && (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      save_guide (lr);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Reordering by drag and drop: the handle carries the label id. */

static GdkContentProvider *
drag_prepare (GtkDragSource *source,
              double         x,
              double         y,
              LabelRow      *lr)
{
  graphene_point_t in_row;

  if (!lr->dialog->editable || lr->removed)
    return NULL;
  if (!gtk_widget_compute_point (lr->handle, GTK_WIDGET (lr->row),
                                 &GRAPHENE_POINT_INIT (x, y), &in_row))
    in_row = GRAPHENE_POINT_INIT (x, y);
  lr->drag_x = in_row.x;
  lr->drag_y = in_row.y;
  return gdk_content_provider_new_typed (G_TYPE_INT64, lr->label->id);
}

static void
drag_begin (GtkDragSource *source,
            GdkDrag       *drag,
            LabelRow      *lr)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (lr->row));

  gtk_drag_source_set_icon (source, paintable, (int) lr->drag_x, (int) lr->drag_y);
}

static gboolean
move_label (LimnerLabelsDialog *self,
            gint64              label_id,
            int                 position)
{
  g_autoptr(GError) error = NULL;

  if (!self->editable)
    return FALSE;
  if (!limner_store_move_label (self->store, label_id, position, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  changed (self);
  return TRUE;
}

static gboolean
row_drop (GtkDropTarget *target,
          const GValue  *value,
          double         x,
          double         y,
          LabelRow      *lr)
{
  gint64 dragged = g_value_get_int64 (value);

  if (lr->removed || dragged == lr->label->id)
    return FALSE;
  return move_label (lr->dialog, dragged, lr->position);
}

/* Building and filling rows */

static void
label_row_free (LabelRow *lr)
{
  limner_label_free (lr->label);
  g_free (lr);
}

static void move_by (LimnerLabelsDialog *self, gint64 label_id, int delta);

static void
move_up_clicked (GtkButton *button,
                 LabelRow  *lr)
{
  move_by (lr->dialog, lr->label->id, -1);
}

static void
move_down_clicked (GtkButton *button,
                   LabelRow  *lr)
{
  move_by (lr->dialog, lr->label->id, +1);
}

/* Not an actionable button: its sensitivity says whether the label can move
 * that way, which an action shared by every row cannot. */
static GtkWidget *
move_button (const char *icon_name,
             const char *label,
             const char *tooltip,
             GCallback   clicked,
             LabelRow   *lr)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon_name);
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", clicked, lr);
  return button;
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

static LabelRow *
label_row_new (LimnerLabelsDialog *self,
               const LimnerLabel  *label)
{
  LabelRow *lr = g_new0 (LabelRow, 1);
  gboolean editable = self->editable;
  GtkEventController *controller;
  GtkWidget *guide_row;
  GtkWidget *position_row;
  GtkWidget *box;
  GtkWidget *caption;
  GtkWidget *hint;
  GtkWidget *delete_button;
  GtkEditable *text;

  lr->dialog = self;
  lr->label = g_new0 (LimnerLabel, 1);
  lr->label->id = label->id;
  lr->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  g_object_set_data_full (G_OBJECT (lr->row), LABEL_ROW_KEY, lr, (GDestroyNotify) label_row_free);

  /* Header: handle, swatch, name and facts. */
  lr->handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  gtk_widget_set_tooltip_text (lr->handle, _("Drag to reorder"));
  gtk_widget_add_css_class (lr->handle, "dim-label");
  gtk_widget_set_cursor_from_name (lr->handle, "grab");
  gtk_widget_set_visible (lr->handle, editable);
  adw_expander_row_add_prefix (lr->row, lr->handle);

  lr->swatch = gtk_drawing_area_new ();
  g_object_set_data (G_OBJECT (lr->swatch), LABEL_ROW_KEY, lr);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (lr->swatch), 22);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (lr->swatch), 22);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (lr->swatch), swatch_draw, NULL, NULL);
  gtk_widget_set_valign (lr->swatch, GTK_ALIGN_CENTER);
  adw_expander_row_add_prefix (lr->row, lr->swatch);

  /* Name */
  lr->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (lr->name_row), "name-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lr->name_row), _("Name"));
  adw_entry_row_set_show_apply_button (lr->name_row, TRUE);
  gtk_editable_set_editable (GTK_EDITABLE (lr->name_row), editable);
  g_signal_connect (lr->name_row, "apply", G_CALLBACK (name_applied), lr);
  adw_expander_row_add_row (lr->row, GTK_WIDGET (lr->name_row));

  /* Colour */
  lr->color_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lr->color_row), _("Colour"));
  lr->color_button = GTK_COLOR_BUTTON (gtk_color_button_new ());
  gtk_widget_set_name (GTK_WIDGET (lr->color_button), "color-button");
  gtk_color_button_set_title (lr->color_button, _("Label Colour"));
  gtk_color_button_set_modal (lr->color_button, TRUE);
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (lr->color_button), FALSE);
  gtk_widget_set_valign (GTK_WIDGET (lr->color_button), GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (GTK_WIDGET (lr->color_button), editable);
  g_signal_connect (lr->color_button, "color-set", G_CALLBACK (color_set), lr);
  adw_action_row_add_suffix (lr->color_row, GTK_WIDGET (lr->color_button));
  if (editable)
    adw_action_row_set_activatable_widget (lr->color_row, GTK_WIDGET (lr->color_button));
  adw_expander_row_add_row (lr->row, GTK_WIDGET (lr->color_row));

  /* Hotkey: one character. */
  lr->hotkey_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (lr->hotkey_row), "hotkey-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lr->hotkey_row),
                                 _("Hotkey (one character; empty for none)"));
  adw_entry_row_set_input_hints (lr->hotkey_row, GTK_INPUT_HINT_NO_EMOJI | GTK_INPUT_HINT_NO_SPELLCHECK);
  text = gtk_editable_get_delegate (GTK_EDITABLE (lr->hotkey_row));
  if (GTK_IS_TEXT (text))
    gtk_text_set_max_length (GTK_TEXT (text), 1);
  gtk_editable_set_editable (GTK_EDITABLE (lr->hotkey_row), editable);
  g_signal_connect (lr->hotkey_row, "changed", G_CALLBACK (hotkey_changed), lr);
  adw_expander_row_add_row (lr->row, GTK_WIDGET (lr->hotkey_row));

  /* Guideline: several lines, saved on Enter or when the focus leaves. */
  guide_row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (guide_row), _("Guideline"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (guide_row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  caption = gtk_label_new (_("Guideline"));
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  lr->guide_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_widget_set_name (GTK_WIDGET (lr->guide_view), "guide-view");
  gtk_text_view_set_wrap_mode (lr->guide_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (lr->guide_view, FALSE);
  gtk_text_view_set_editable (lr->guide_view, editable);
  gtk_text_view_set_cursor_visible (lr->guide_view, editable);
  gtk_text_view_set_top_margin (lr->guide_view, 6);
  gtk_text_view_set_bottom_margin (lr->guide_view, 6);
  gtk_text_view_set_left_margin (lr->guide_view, 8);
  gtk_text_view_set_right_margin (lr->guide_view, 8);
  gtk_widget_add_css_class (GTK_WIDGET (lr->guide_view), "label-guide");
  gtk_label_set_mnemonic_widget (GTK_LABEL (caption), GTK_WIDGET (lr->guide_view));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (lr->guide_view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (guide_focus_leave), lr);
  gtk_widget_add_controller (GTK_WIDGET (lr->guide_view), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (guide_key_pressed), lr);
  gtk_widget_add_controller (GTK_WIDGET (lr->guide_view), controller);
  hint = gtk_label_new (editable
                        ? _("Shown to annotators while they draw. Enter saves; "
                            "Shift+Enter starts a new line.")
                        : _("Shown to annotators while they draw."));
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (lr->guide_view));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (guide_row), box);
  adw_expander_row_add_row (lr->row, guide_row);

  /* Position: also Alt+Up and Alt+Down anywhere in the row, and the handle. */
  position_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (position_row), _("Position"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (position_row),
                               _("Alt+Up and Alt+Down move the label too, or drag its handle"));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  lr->up_button = move_button ("go-up-symbolic", _("Move _Up"), _("Move Up (Alt+Up)"),
                               G_CALLBACK (move_up_clicked), lr);
  lr->down_button = move_button ("go-down-symbolic", _("Move _Down"), _("Move Down (Alt+Down)"),
                                 G_CALLBACK (move_down_clicked), lr);
  gtk_widget_set_name (lr->up_button, "move-up");
  gtk_widget_set_name (lr->down_button, "move-down");
  gtk_box_append (GTK_BOX (box), lr->up_button);
  gtk_box_append (GTK_BOX (box), lr->down_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (position_row), box);
  gtk_widget_set_visible (position_row, editable);
  adw_expander_row_add_row (lr->row, position_row);

  /* Delete */
  lr->delete_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lr->delete_row), _("Delete Label"));
  delete_button = gtk_button_new_with_mnemonic (_("_Delete…"));
  gtk_widget_set_name (delete_button, "delete-button");
  gtk_widget_set_valign (delete_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete_button, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete_button), "labels.delete");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (delete_button),
                                          g_variant_new_int64 (label->id));
  adw_action_row_add_suffix (lr->delete_row, delete_button);
  gtk_widget_set_visible (GTK_WIDGET (lr->delete_row), editable);
  adw_expander_row_add_row (lr->row, GTK_WIDGET (lr->delete_row));

  if (editable)
    {
      GtkDragSource *source = gtk_drag_source_new ();
      GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);

      gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
      g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare), lr);
      g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin), lr);
      gtk_widget_add_controller (lr->handle, GTK_EVENT_CONTROLLER (source));
      g_signal_connect (target, "drop", G_CALLBACK (row_drop), lr);
      gtk_widget_add_controller (GTK_WIDGET (lr->row), GTK_EVENT_CONTROLLER (target));

      controller = gtk_shortcut_controller_new ();
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Up, "labels.move-up", label->id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Up, "labels.move-up", label->id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_Down, "labels.move-down", label->id);
      add_row_shortcut (GTK_SHORTCUT_CONTROLLER (controller), GDK_KEY_KP_Down, "labels.move-down",
                        label->id);
      gtk_widget_add_controller (GTK_WIDGET (lr->row), controller);
    }

  return lr;
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

/* Fills the row from `label` (taking it). A widget is only set when the
 * stored value changed, so an edit waiting in another row is kept. */
static void
label_row_update (LabelRow    *lr,
                  LimnerLabel *label,
                  gint64       n_shapes,
                  int          position,
                  int          n_labels,
                  gboolean     digit_is_own)
{
  g_autoptr(LimnerLabel) old = lr->label;
  g_autofree char *title = g_markup_escape_text (label->name, -1);
  g_autofree char *used = shapes_text (n_shapes);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *hotkey = NULL;
  g_autofree char *number = NULL;

  lr->updating++;
  lr->label = label;
  lr->n_shapes = n_shapes;
  lr->position = position;

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
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lr->row), title);
  adw_expander_row_set_subtitle (lr->row, escaped);
  gtk_widget_set_tooltip_text (lr->swatch, label->color);
  gtk_widget_queue_draw (lr->swatch);

  if (g_strcmp0 (old->name, label->name) != 0)
    set_editable_text (GTK_EDITABLE (lr->name_row), label->name);
  if (g_strcmp0 (old->color, label->color) != 0)
    {
      GdkRGBA rgba;

      hex_to_rgba (label->color, &rgba);
      gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (lr->color_button), &rgba);
      adw_action_row_set_subtitle (lr->color_row, label->color);
    }
  if (g_strcmp0 (old->hotkey, label->hotkey) != 0)
    set_editable_text (GTK_EDITABLE (lr->hotkey_row), label->hotkey);
  if (g_strcmp0 (old->guide, label->guide) != 0)
    {
      g_autofree char *shown = text_view_dup_text (lr->guide_view);

      g_strchomp (shown);
      if (g_strcmp0 (shown, label->guide ? label->guide : "") != 0)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (lr->guide_view),
                                  label->guide ? label->guide : "", -1);
    }

  adw_action_row_set_subtitle (lr->delete_row,
                               n_shapes > 0
                               ? _("A label in use cannot be deleted: relabel or delete its shapes first")
                               : _("No shape uses this label"));
  gtk_widget_set_sensitive (lr->up_button, position > 0);
  gtk_widget_set_sensitive (lr->down_button, position < n_labels - 1);
  lr->updating--;
}

static int position_of (LimnerLabelsDialog *self, gint64 label_id);

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  LabelRow *la = label_row_from_widget (a);
  LabelRow *lb = label_row_from_widget (b);

  return (la ? la->position : 0) - (lb ? lb->position : 0);
}

static void
update_subtitle (LimnerLabelsDialog *self)
{
  g_autofree char *name = limner_store_dup_name (self->store);
  g_autofree char *subtitle = NULL;
  guint n = self->order->len;

  /* Translators: the labels dialog's subtitle: project name · number of labels */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u label", "%s · %u labels", n),
                              name ? name : "", n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

void
limner_labels_dialog_reload (LimnerLabelsDialog *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  gint64 digit_owner[10] = { 0 };
  GtkWidget *focus;
  GHashTableIter iter;
  LabelRow *lr;

  g_return_if_fail (LIMNER_IS_LABELS_DIALOG (self));

  if (self->disposed)
    return;
  labels = limner_store_list_labels (self->store, &error);
  if (labels == NULL)
    {
      show_error (self, error);
      return;
    }

  /* Which label, if any, has each digit as its own hotkey. */
  for (guint i = 0; i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);

      if (label->hotkey != NULL && label->hotkey[0] >= '1' && label->hotkey[0] <= '9' &&
          label->hotkey[1] == '\0')
        digit_owner[label->hotkey[0] - '0'] = label->id;
    }

  g_array_set_size (self->order, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      LimnerLabel *label = g_steal_pointer (&labels->pdata[i]);
      gint64 n_shapes = limner_store_count_label_shapes (self->store, label->id);
      gboolean digit_is_own = i < 9 && (digit_owner[i + 1] == 0 || digit_owner[i + 1] == label->id);

      lr = g_hash_table_lookup (self->rows, &label->id);
      if (lr == NULL)
        {
          lr = label_row_new (self, label);
          g_hash_table_insert (self->rows, g_memdup2 (&label->id, sizeof label->id), lr);
          gtk_list_box_append (self->labels_list, GTK_WIDGET (lr->row));
        }
      g_array_append_val (self->order, label->id);
      label_row_update (lr, label, n_shapes, i, labels->len, digit_is_own);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    if (position_of (self, lr->label->id) < 0)
      {
        lr->removed = TRUE;
        g_hash_table_iter_remove (&iter);
        gtk_list_box_remove (self->labels_list, GTK_WIDGET (lr->row));
      }

  gtk_list_box_invalidate_sort (self->labels_list);

  /* Focus on a button that just went insensitive (Move Up on the first
   * row) would be lost: keep it on the row. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus != NULL && !gtk_widget_is_sensitive (focus))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, ADW_TYPE_EXPANDER_ROW);

      if (row != NULL)
        gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
    }

  gtk_stack_set_visible_child_name (self->list_stack, self->order->len > 0 ? "list" : "empty");
  update_subtitle (self);
}

/* Adding */

static void
add_dialog_validate (AdwMessageDialog *dialog)
{
  LimnerLabelsDialog *self = g_object_get_data (G_OBJECT (dialog), "labels-dialog");
  GtkEditable *name_row = g_object_get_data (G_OBJECT (dialog), "name-row");
  GtkEditable *hotkey_row = g_object_get_data (G_OBJECT (dialog), "hotkey-row");
  GtkLabel *problem = g_object_get_data (G_OBJECT (dialog), "problem");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (name_row)));
  const char *hotkey = gtk_editable_get_text (hotkey_row);
  gboolean ok = !blank (name);

  if (ok && !check_conflicts (self, 0, name, blank (hotkey) ? NULL : hotkey, &error))
    ok = FALSE;
  gtk_label_set_text (problem, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (problem), error != NULL);
  adw_message_dialog_set_response_enabled (dialog, "add", ok);
}

static void
add_dialog_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     LimnerLabelsDialog *self)
{
  GtkEditable *name_row = g_object_get_data (G_OBJECT (dialog), "name-row");
  GtkEditable *hotkey_row = g_object_get_data (G_OBJECT (dialog), "hotkey-row");
  GtkColorChooser *color = g_object_get_data (G_OBJECT (dialog), "color");
  g_autofree char *name = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(GError) error = NULL;
  const char *hotkey;
  GdkRGBA rgba;
  gint64 id;

  if (!g_str_equal (response, "add") || self->disposed)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (name_row)));
  hotkey = gtk_editable_get_text (hotkey_row);
  if (blank (hotkey))
    hotkey = NULL;
  gtk_color_chooser_get_rgba (color, &rgba);
  hex = rgba_to_hex (&rgba);

  if (!check_conflicts (self, 0, name, hotkey, &error))
    id = 0;
  else
    id = limner_store_add_label (self->store, name, hex, hotkey, NULL, &error);
  if (id <= 0)
    {
      show_error (self, error);
      return;
    }
  changed (self);

  /* Open the new label so its guideline can be written straight away. */
  {
    LabelRow *lr = g_hash_table_lookup (self->rows, &id);

    if (lr != NULL)
      {
        adw_expander_row_set_expanded (lr->row, TRUE);
        gtk_widget_grab_focus (GTK_WIDGET (lr->guide_view));
      }
  }
}

/* The palette colour farthest from every colour in use, so a new label
 * stands apart from the others on the canvas. */
static const char *
unused_color (LimnerLabelsDialog *self)
{
  const char *best = palette[0];
  double best_distance = -1;

  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      GHashTableIter iter;
      LabelRow *lr;
      GdkRGBA candidate;
      double nearest = G_MAXDOUBLE;

      hex_to_rgba (palette[i], &candidate);
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
        {
          GdkRGBA used;
          double dr, dg, db;

          hex_to_rgba (lr->label->color, &used);
          dr = candidate.red - used.red;
          dg = candidate.green - used.green;
          db = candidate.blue - used.blue;
          nearest = MIN (nearest, dr * dr + dg * dg + db * db);
        }
      if (nearest > best_distance)
        {
          best = palette[i];
          best_distance = nearest;
        }
    }
  return best;
}

static void
present_message_dialog (LimnerLabelsDialog *self,
                        AdwMessageDialog   *dialog)
{
  if (self->message_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->message_dialog));
  g_set_weak_pointer (&self->message_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (widget);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *list;
  GtkWidget *name_row;
  GtkWidget *color_row;
  GtkWidget *color;
  GtkWidget *hotkey_row;
  GtkWidget *problem;
  GtkEditable *text;
  GdkRGBA rgba;

  if (!self->editable)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add a Label"),
                                   _("Give the label a name annotators will recognise. "
                                     "The colour and hotkey can be changed later."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  name_row = adw_entry_row_new ();
  gtk_widget_set_name (name_row, "add-name");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("Name"));
  /* Enter adds the label (the "add" response is the default). */
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (name_row), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), name_row);

  color_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (color_row), _("Colour"));
  hex_to_rgba (unused_color (self), &rgba);
  color = gtk_color_button_new_with_rgba (&rgba);
  gtk_widget_set_name (color, "add-color");
  gtk_color_button_set_title (GTK_COLOR_BUTTON (color), _("Label Colour"));
  gtk_color_button_set_modal (GTK_COLOR_BUTTON (color), TRUE);
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (color), FALSE);
  gtk_widget_set_valign (color, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (color_row), color);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (color_row), color);
  gtk_list_box_append (GTK_LIST_BOX (list), color_row);

  hotkey_row = adw_entry_row_new ();
  gtk_widget_set_name (hotkey_row, "add-hotkey");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hotkey_row), _("Hotkey (optional)"));
  text = gtk_editable_get_delegate (GTK_EDITABLE (hotkey_row));
  if (GTK_IS_TEXT (text))
    gtk_text_set_max_length (GTK_TEXT (text), 1);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (hotkey_row), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), hotkey_row);

  problem = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (problem), 0);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_add_css_class (problem, "caption");
  gtk_widget_set_visible (problem, FALSE);

  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), problem);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "labels-dialog", self);
  g_object_set_data (G_OBJECT (dialog), "name-row", name_row);
  g_object_set_data (G_OBJECT (dialog), "hotkey-row", hotkey_row);
  g_object_set_data (G_OBJECT (dialog), "color", color);
  g_object_set_data (G_OBJECT (dialog), "problem", problem);
  g_signal_connect_swapped (name_row, "changed", G_CALLBACK (add_dialog_validate), dialog);
  g_signal_connect_swapped (hotkey_row, "changed", G_CALLBACK (add_dialog_validate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_dialog_response), self, 0);
  add_dialog_validate (ADW_MESSAGE_DIALOG (dialog));

  present_message_dialog (self, ADW_MESSAGE_DIALOG (dialog));
  gtk_widget_grab_focus (name_row);
}

/* Moving */

static int
position_of (LimnerLabelsDialog *self,
             gint64              label_id)
{
  for (guint i = 0; i < self->order->len; i++)
    if (g_array_index (self->order, gint64, i) == label_id)
      return (int) i;
  return -1;
}

static void
move_by (LimnerLabelsDialog *self,
         gint64              label_id,
         int                 delta)
{
  int from = position_of (self, label_id);
  int to = from + delta;

  if (from < 0 || to < 0 || to >= (int) self->order->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  move_label (self, label_id, to);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  move_by (LIMNER_LABELS_DIALOG (widget), g_variant_get_int64 (param), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  move_by (LIMNER_LABELS_DIALOG (widget), g_variant_get_int64 (param), +1);
}

/* Deleting */

static void
delete_response (AdwMessageDialog   *dialog,
                 const char         *response,
                 LimnerLabelsDialog *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "label-id");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete") || self->disposed)
    return;
  /* The store refuses a label in use, even one that became used since the
   * question was asked. */
  if (!limner_store_delete_label (self->store, id, &error))
    {
      show_error (self, error);
      limner_labels_dialog_reload (self);
      return;
    }
  changed (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (widget);
  gint64 id = g_variant_get_int64 (param);
  LabelRow *lr = g_hash_table_lookup (self->rows, &id);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  gint64 n_shapes;

  if (lr == NULL || !self->editable)
    return;

  n_shapes = limner_store_count_label_shapes (self->store, id);
  if (n_shapes > 0)
    {
      heading = g_strdup (_("Label Is in Use"));
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” is used by %" PRId64 " shape, so it cannot be deleted. "
                                           "Relabel or delete that shape first.",
                                           "“%s” is used by %" PRId64 " shapes, so it cannot be deleted. "
                                           "Relabel or delete those shapes first.",
                                           n_shapes),
                              lr->label->name, n_shapes);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
      adw_message_dialog_add_response (dialog, "close", _("_OK"));
      adw_message_dialog_set_default_response (dialog, "close");
      adw_message_dialog_set_close_response (dialog, "close");
    }
  else
    {
      heading = g_strdup_printf (_("Delete “%s”?"), lr->label->name);
      body = g_strdup (_("No shape uses this label. Published versions keep their own copy "
                         "of the labels and are not affected."));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "delete", _("_Delete"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "label-id", g_memdup2 (&id, sizeof id), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
    }
  present_message_dialog (self, dialog);
}

/* Object */

static void
update_editable (LimnerLabelsDialog *self)
{
  LimnerRole roles = limner_store_get_roles (self->store);

  self->editable = (roles & LIMNER_ROLE_LEAD) != 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.add", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.move-up", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.move-down", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.delete", self->editable);
  gtk_widget_set_visible (self->add_button, self->editable);
  gtk_widget_set_visible (self->empty_add_button, self->editable);
  gtk_revealer_set_reveal_child (self->readonly_revealer, !self->editable);

  if (!self->editable)
    {
      g_autofree char *role_names = limner_role_to_string (roles);
      g_autofree char *text = NULL;

      if (roles == LIMNER_ROLE_NONE)
        text = g_strdup_printf (_("Only a project lead can change the labels. You are signed in as "
                                  "“%s”, who has no role in this project."),
                                limner_store_get_login (self->store));
      else
        /* Translators: the second %s is a list of roles, such as "annotator,reviewer" */
        text = g_strdup_printf (_("Only a project lead can change the labels. You are signed in as "
                                  "“%s” (%s)."),
                                limner_store_get_login (self->store), role_names);
      gtk_label_set_text (self->readonly_label, text);
      gtk_label_set_text (self->intro_label,
                          _("Annotators pick the first nine labels with the keys 1–9, in this "
                            "order, or any label with its own hotkey."));
      adw_status_page_set_description (self->empty_page,
                                       _("A project lead has not defined any labels yet."));
    }
}

/* Closing saves a guideline still being typed, as leaving its field would. */
static gboolean
limner_labels_dialog_close_request (GtkWindow *window)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (window);
  GHashTableIter iter;
  LabelRow *lr;
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    g_ptr_array_add (pending, g_object_ref (lr->row));
  /* save_guide() reloads, which may change the table under the iterator. */
  for (guint i = 0; i < pending->len; i++)
    {
      lr = label_row_from_widget (pending->pdata[i]);
      if (lr != NULL && self->editable)
        save_guide (lr);
      g_object_unref (pending->pdata[i]);
    }

  return GTK_WINDOW_CLASS (limner_labels_dialog_parent_class)->close_request (window);
}

static void
limner_labels_dialog_constructed (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  update_editable (self);
  limner_labels_dialog_reload (self);
}

static void
limner_labels_dialog_dispose (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  self->disposed = TRUE;
  if (self->message_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->message_dialog));
  g_clear_weak_pointer (&self->message_dialog);
  /* Rows own their LabelRow and may outlive the dialog in an idle: mark
   * them removed and forget them before the list goes. */
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      LabelRow *lr;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
        lr->removed = TRUE;
      g_hash_table_remove_all (self->rows);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_LABELS_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->dispose (object);
}

static void
limner_labels_dialog_finalize (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->finalize (object);
}

static void
limner_labels_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_labels_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_labels_dialog_class_init (LimnerLabelsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = limner_labels_dialog_constructed;
  object_class->dispose = limner_labels_dialog_dispose;
  object_class->finalize = limner_labels_dialog_finalize;
  object_class->get_property = limner_labels_dialog_get_property;
  object_class->set_property = limner_labels_dialog_set_property;
  window_class->close_request = limner_labels_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LimnerLabelsDialog::labels-changed:
   *
   * Emitted after every change to the labels that the store accepted.
   */
  signals[LABELS_CHANGED] = g_signal_new ("labels-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-labels-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, readonly_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, readonly_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, labels_list);

  gtk_widget_class_install_action (widget_class, "labels.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "labels.move-up", "x", move_up_action);
  gtk_widget_class_install_action (widget_class, "labels.move-down", "x", move_down_action);
  gtk_widget_class_install_action (widget_class, "labels.delete", "x", delete_action);
}

/* Another program (limner-cli, a second window) may have changed the
 * labels while the user was away: re-read them on coming back. */
static void
is_active_changed (LimnerLabelsDialog *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->store != NULL)
    limner_labels_dialog_reload (self);
}

static void
limner_labels_dialog_init (LimnerLabelsDialog *self)
{
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->order = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_list_box_set_sort_func (self->labels_list, sort_rows, NULL, NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_changed), NULL);
}

GtkWindow *
limner_labels_dialog_new (GtkWindow   *parent,
                          LimnerStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  return g_object_new (LIMNER_TYPE_LABELS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

LimnerStore *
limner_labels_dialog_get_store (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->store;
}

gboolean
limner_labels_dialog_get_editable (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), FALSE);
  return self->editable;
}

guint
limner_labels_dialog_get_n_labels (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), 0);
  return self->order->len;
}

GtkWidget *
limner_labels_dialog_get_row (LimnerLabelsDialog *self,
                              gint64              label_id)
{
  LabelRow *lr;

  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);

  lr = g_hash_table_lookup (self->rows, &label_id);
  return lr ? GTK_WIDGET (lr->row) : NULL;
}

AdwMessageDialog *
limner_labels_dialog_get_message_dialog (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->message_dialog;
}

const char *
limner_labels_dialog_get_last_error (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->last_error;
}
