/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-annotate-sidebar.c: the annotate page's side panel: the labels
 * (keys, guideline text, hide and lock) and the list of the image's shapes. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-annotate-page-private.h"

/* --- Labels ---------------------------------------------------------------- */

void
_limner_annotate_page_update_guide (LimnerAnnotatePage *self)
{
  const LimnerLabel *label = _limner_annotate_page_find_label (self, limner_canvas_get_current_label (self->canvas));

  if (label != NULL && label->guide != NULL && label->guide[0] != '\0')
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>: %s", label->name, label->guide);

      gtk_label_set_markup (self->guide_label, markup);
      gtk_widget_set_visible (GTK_WIDGET (self->guide_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->guide_label), FALSE);
}

static void
on_label_toggle (GtkToggleButton    *button,
                 LimnerAnnotatePage *self)
{
  const gint64 *id = g_object_get_data (G_OBJECT (button), "label-id");
  gboolean active = gtk_toggle_button_get_active (button);

  if (self->document == NULL || id == NULL || self->syncing)
    return;
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "is-hide")))
    limner_document_set_label_hidden (self->document, *id, active);
  else
    limner_document_set_label_locked (self->document, *id, active);
  /* A shape that cannot be seen or edited any more cannot stay selected. */
  if (active && !limner_document_is_shape_editable (self->document,
                                                    limner_canvas_get_selected_shape (self->canvas)))
    limner_canvas_set_selected_shape (self->canvas, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->shapes_view));
}

/* A hide or lock button shows the state it is in: an open eye while the
 * shapes show, a shut one while they are hidden; an open or a closed lock.
 * Its tooltip says what a click does. */
static void
update_toggle_look (GtkToggleButton *button)
{
  gboolean is_hide = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "is-hide"));
  gboolean for_label = g_object_get_data (G_OBJECT (button), "label-id") != NULL;
  gboolean active = gtk_toggle_button_get_active (button);
  const char *icon, *tooltip;

  if (is_hide)
    {
      icon = active ? "view-conceal-symbolic" : "view-reveal-symbolic";
      if (for_label)
        tooltip = active ? _("Show This Label’s Shapes") : _("Hide This Label’s Shapes");
      else
        tooltip = active ? _("Show (H)") : _("Hide (H)");
    }
  else
    {
      icon = active ? "changes-prevent-symbolic" : "changes-allow-symbolic";
      if (for_label)
        tooltip = active ? _("Unlock This Label’s Shapes") : _("Lock This Label’s Shapes");
      else
        tooltip = active ? _("Unlock (L)") : _("Lock (L)");
    }
  gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), tooltip);
}

static GtkWidget *
make_label_toggle (LimnerAnnotatePage *self,
                   const LimnerLabel  *label,
                   gboolean            is_hide)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* The keys stay with the canvas. */
  gtk_widget_set_focus_on_click (button, FALSE);
  g_object_set_data (G_OBJECT (button), "is-hide", GINT_TO_POINTER (is_hide));
  g_object_set_data_full (G_OBJECT (button), "label-id",
                          g_memdup2 (&label->id, sizeof label->id), g_free);
  g_signal_connect (button, "toggled", G_CALLBACK (on_label_toggle), self);
  g_signal_connect (button, "notify::active", G_CALLBACK (update_toggle_look), NULL);
  update_toggle_look (GTK_TOGGLE_BUTTON (button));
  return button;
}

/* The label rows' hide and lock buttons show the current document's state. */
void
_limner_annotate_page_sync_label_toggles (LimnerAnnotatePage *self)
{
  GtkListBoxRow *row;

  self->syncing = TRUE;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->labels_list, i)) != NULL; i++)
    {
      const gint64 *id = g_object_get_data (G_OBJECT (row), "label-id");
      GtkWidget *hide = g_object_get_data (G_OBJECT (row), "hide-button");
      GtkWidget *lock = g_object_get_data (G_OBJECT (row), "lock-button");

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (hide), self->document != NULL &&
                                    limner_document_get_label_hidden (self->document, *id));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (lock), self->document != NULL &&
                                    limner_document_get_label_locked (self->document, *id));
    }
  self->syncing = FALSE;
}

/* Whether a label other than `label` has the digit as its hotkey. */
static gboolean
digit_is_hotkey (LimnerAnnotatePage *self,
                 guint               digit,
                 const LimnerLabel  *label)
{
  char text[2] = { (char) ('0' + digit), '\0' };

  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    {
      const LimnerLabel *other = g_ptr_array_index (self->labels, i);

      if (other != label && g_strcmp0 (other->hotkey, text) == 0)
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
make_label_row (LimnerAnnotatePage *self,
                const LimnerLabel  *label,
                guint               position)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autofree char *swatch = NULL;
  g_autofree char *key = NULL;
  GtkWidget *name, *dot, *hint;

  swatch = g_markup_printf_escaped ("<span foreground=\"%s\">●</span>",
                                    label->color ? label->color : "#ffcc00");
  dot = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (dot), swatch);
  name = gtk_label_new (label->name);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);

  /* The keys that pick this label: its place (1–9) unless another label
   * took that digit as its own hotkey (hotkeys win, see the canvas), and
   * its hotkey. */
  if (position < 9 && !digit_is_hotkey (self, position + 1, label))
    {
      if (label->hotkey != NULL && label->hotkey[0] != '\0' &&
          !(label->hotkey[0] == '1' + (char) position && label->hotkey[1] == '\0'))
        key = g_strdup_printf ("%u · %s", position + 1, label->hotkey);
      else
        key = g_strdup_printf ("%u", position + 1);
    }
  else
    key = g_strdup (label->hotkey ? label->hotkey : "");
  hint = gtk_label_new (key);
  gtk_widget_add_css_class (hint, "dim-label");

  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), hint);
  {
    GtkWidget *hide = make_label_toggle (self, label, TRUE);
    GtkWidget *lock = make_label_toggle (self, label, FALSE);

    gtk_box_append (GTK_BOX (box), hide);
    gtk_box_append (GTK_BOX (box), lock);
    g_object_set_data (G_OBJECT (row), "hide-button", hide);
    g_object_set_data (G_OBJECT (row), "lock-button", lock);
  }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "label-id", g_memdup2 (&label->id, sizeof label->id), g_free);
  if (label->guide != NULL)
    gtk_widget_set_tooltip_text (row, label->guide);
  return row;
}

static void
select_current_label_row (LimnerAnnotatePage *self)
{
  gint64 current = limner_canvas_get_current_label (self->canvas);
  GtkListBoxRow *row;

  self->syncing = TRUE;
  gtk_list_box_unselect_all (self->labels_list);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->labels_list, i)) != NULL; i++)
    {
      const gint64 *id = g_object_get_data (G_OBJECT (row), "label-id");

      if (id != NULL && *id == current)
        gtk_list_box_select_row (self->labels_list, row);
    }
  self->syncing = FALSE;
}

void
limner_annotate_page_reload_labels (LimnerAnnotatePage *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (LIMNER_IS_ANNOTATE_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->labels_list))) != NULL)
    gtk_list_box_remove (self->labels_list, child);
  g_clear_pointer (&self->labels, g_ptr_array_unref);

  if (self->store != NULL)
    {
      self->labels = limner_store_list_labels (self->store, &error);
      if (self->labels == NULL)
        _limner_annotate_page_toast (self, error->message);
    }
  limner_canvas_set_labels (self->canvas, self->labels);

  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    gtk_list_box_append (self->labels_list,
                         make_label_row (self, g_ptr_array_index (self->labels, i), i));
  _limner_annotate_page_apply_editable (self);

  /* The first label until the annotator picks one. */
  if (_limner_annotate_page_find_label (self, limner_canvas_get_current_label (self->canvas)) == NULL)
    limner_canvas_set_current_label (self->canvas,
                                     self->labels && self->labels->len > 0
                                     ? ((LimnerLabel *) g_ptr_array_index (self->labels, 0))->id
                                     : 0);
  select_current_label_row (self);
  _limner_annotate_page_update_guide (self);
}

void
_limner_annotate_page_on_label_row_activated (LimnerAnnotatePage *self,
                        GtkListBoxRow      *row)
{
  const gint64 *id = g_object_get_data (G_OBJECT (row), "label-id");

  if (id != NULL && !self->syncing)
    limner_canvas_apply_label (self->canvas, *id);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

void
_limner_annotate_page_on_canvas_current_label (LimnerAnnotatePage *self)
{
  select_current_label_row (self);
  _limner_annotate_page_update_guide (self);
}

/* --- Shapes list ----------------------------------------------------------- */

static gint64
item_id (gpointer item)
{
  return g_ascii_strtoll (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), NULL, 10);
}

static int
find_shape_position (LimnerAnnotatePage *self,
                     gint64              id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shape_ids));
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->shape_ids, i), text) == 0)
      return i;
  return -1;
}

void
_limner_annotate_page_fill_shape_list (LimnerAnnotatePage *self)
{
  guint n = self->document ? limner_document_get_n_shapes (self->document) : 0;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < n; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT,
                  limner_document_get_nth_shape (self->document, i)->id);
      g_strv_builder_add (builder, text);
    }
  ids = g_strv_builder_end (builder);
  self->syncing = TRUE;
  gtk_string_list_splice (self->shape_ids, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->shape_ids)),
                          (const char * const *) ids);
  self->syncing = FALSE;
}

void
_limner_annotate_page_on_shape_added (LimnerDocument     *document,
                gint64              id,
                LimnerAnnotatePage *self)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  /* Undone deletions come back in their old place: rebuild then. */
  if (limner_document_get_nth_shape (document, limner_document_get_n_shapes (document) - 1)->id == id)
    gtk_string_list_append (self->shape_ids, text);
  else
    _limner_annotate_page_fill_shape_list (self);
}

void
_limner_annotate_page_on_shape_removed (LimnerDocument     *document,
                  gint64              id,
                  LimnerAnnotatePage *self)
{
  int position = find_shape_position (self, id);

  if (position >= 0)
    {
      self->syncing = TRUE;
      gtk_string_list_remove (self->shape_ids, position);
      self->syncing = FALSE;
    }
}

void
_limner_annotate_page_on_shape_modified (LimnerDocument     *document,
                   gint64              id,
                   LimnerAnnotatePage *self)
{
  int position = find_shape_position (self, id);
  char text[32];
  const char *additions[2] = { text, NULL };
  if (position < 0)
    return;
  /* Replacing the item with an equal one makes the view bind it again. */
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  self->syncing = TRUE;
  gtk_string_list_splice (self->shape_ids, position, 1, additions);
  if (limner_canvas_get_selected_shape (self->canvas) == id)
    gtk_single_selection_set_selected (self->shape_selection, position);
  self->syncing = FALSE;
}

void
_limner_annotate_page_on_document_changed (LimnerAnnotatePage *self,
                     LimnerRect         *area)
{
  _limner_annotate_page_update_status (self);
  _limner_annotate_page_watch_saving (self);
}

void
_limner_annotate_page_on_canvas_selected_shape (LimnerAnnotatePage *self)
{
  gint64 id = limner_canvas_get_selected_shape (self->canvas);
  int position = id != 0 ? find_shape_position (self, id) : -1;

  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->shape_selection,
                                     position >= 0 ? (guint) position : GTK_INVALID_LIST_POSITION);
  if (position >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self->shapes_view), "list.scroll-to-item", "u", position);
  self->syncing = FALSE;
}

static gboolean
focus_canvas_idle (gpointer data)
{
  LimnerAnnotatePage *self = data;

  if (self->canvas != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->canvas)))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  return G_SOURCE_REMOVE;
}

/* A click in the shape list picks a shape for the canvas, and the keys
 * (Delete, 1–9, arrows) must then reach the canvas, not the list. The row
 * takes the focus after this press is handled, hence the idle. */
void
_limner_annotate_page_on_shapes_view_pressed (GtkGestureClick    *gesture,
                        int                 n_press,
                        double              x,
                        double              y,
                        LimnerAnnotatePage *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_canvas_idle,
                   g_object_ref (self), g_object_unref);
}

void
_limner_annotate_page_on_shape_selection_changed (LimnerAnnotatePage *self)
{
  gpointer item;

  if (self->syncing)
    return;
  item = gtk_single_selection_get_selected_item (self->shape_selection);
  limner_canvas_set_selected_shape (self->canvas, item ? item_id (item) : 0);
}

static void
on_row_toggle (GtkToggleButton    *button,
               LimnerAnnotatePage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "shape-id"));
  gboolean hide = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "is-hide"));
  gboolean active = gtk_toggle_button_get_active (button);

  if (self->document == NULL || id == 0 || g_object_get_data (G_OBJECT (button), "binding"))
    return;
  if (limner_canvas_get_selected_shape (self->canvas) == id && active)
    limner_canvas_set_selected_shape (self->canvas, 0);
  if (hide)
    limner_document_set_shape_hidden (self->document, id, active);
  else
    limner_document_set_shape_locked (self->document, id, active);
}

static GtkWidget *
make_row_toggle (LimnerAnnotatePage *self,
                 gboolean            is_hide)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_focus_on_click (button, FALSE);
  g_object_set_data (G_OBJECT (button), "is-hide", GINT_TO_POINTER (is_hide));
  g_signal_connect (button, "toggled", G_CALLBACK (on_row_toggle), self);
  g_signal_connect (button, "notify::active", G_CALLBACK (update_toggle_look), NULL);
  update_toggle_look (GTK_TOGGLE_BUTTON (button));
  return button;
}

void
_limner_annotate_page_setup_shape_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 LimnerAnnotatePage       *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_use_markup (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), make_row_toggle (self, TRUE));
  gtk_box_append (GTK_BOX (box), make_row_toggle (self, FALSE));
  gtk_list_item_set_child (item, box);
}

void
_limner_annotate_page_bind_shape_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                LimnerAnnotatePage       *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *hide = gtk_widget_get_next_sibling (label);
  GtkWidget *lock = gtk_widget_get_next_sibling (hide);
  gint64 id = item_id (gtk_list_item_get_item (item));
  const LimnerShape *shape = self->document ? limner_document_get_shape (self->document, id) : NULL;
  const LimnerLabel *shape_label;
  g_autofree char *markup = NULL;
  const char *kind;

  if (shape == NULL)
    {
      gtk_label_set_label (GTK_LABEL (label), "");
      return;
    }

  shape_label = _limner_annotate_page_find_label (self, shape->label_id);
  kind = shape->kind == LIMNER_SHAPE_BOX ? _("Box") : _("Polygon");
  markup = g_markup_printf_escaped ("<span foreground=\"%s\">●</span> %s <span alpha=\"60%%\">%s</span>",
                                    shape_label && shape_label->color ? shape_label->color : "#ffcc00",
                                    shape_label ? shape_label->name : _("No label"), kind);
  gtk_label_set_markup (GTK_LABEL (label), markup);

  for (GtkWidget *button = hide; button != NULL; button = button == hide ? lock : NULL)
    {
      gboolean is_hide = button == hide;
      gboolean active = is_hide ? limner_document_get_shape_hidden (self->document, id)
                                : limner_document_get_shape_locked (self->document, id);

      g_object_set_data (G_OBJECT (button), "shape-id", GSIZE_TO_POINTER ((gsize) id));
      g_object_set_data (G_OBJECT (button), "binding", GINT_TO_POINTER (1));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), active);
      g_object_set_data (G_OBJECT (button), "binding", NULL);
    }
  gtk_widget_set_sensitive (lock, self->editable);
}

void
_limner_annotate_page_on_show_all (LimnerAnnotatePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.show-all", NULL);
}

void
_limner_annotate_page_on_unlock_all (LimnerAnnotatePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self->canvas), "canvas.unlock-all", NULL);
}

