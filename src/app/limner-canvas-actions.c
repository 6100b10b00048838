/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-actions.c: what the keyboard, the wheel and the clipboard do
 * on the canvas: its "canvas.*" actions and their key bindings, label
 * hotkeys, Space to pan, copy and paste, and zooming by key or wheel.
 *
 * Shares the canvas' instance through limner-canvas-private.h, and edits
 * through the commands of limner-canvas-tools.c, so that the pointer and the
 * keys do the same thing.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-canvas-private.h"

#define WHEEL_ZOOM_STEP 1.25
#define KEY_ZOOM_STEP 1.5
/* In widget pixels. */
#define PASTE_OFFSET 12.0

/* The last copy made in this process, so that pasting into the image it came
 * from can offset the copies and pasting works even without a system
 * clipboard. */
static char *last_copy_json;
static gint64 last_copy_image_id;

/* --- Zoom ------------------------------------------------------------------ */

void
limner_canvas_zoom_about_centre (LimnerCanvas *self,
                                 double        zoom)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  /* Keyboard zoom follows the pointer when it is over the image. */
  if (self->pointer_inside)
    {
      x = self->pointer_x;
      y = self->pointer_y;
    }
  limner_canvas_zoom_at (self, zoom, x, y);
}

void
limner_canvas_zoom_one_to_one (LimnerCanvas *self)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  /* One image pixel per device pixel: 100% means the real pixels. */
  limner_canvas_zoom_about_centre (self, 1.0 / MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self))));
}

void
limner_canvas_zoom_in (LimnerCanvas *self)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  limner_canvas_zoom_about_centre (self, self->zoom * KEY_ZOOM_STEP);
}

void
limner_canvas_zoom_out (LimnerCanvas *self)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  limner_canvas_zoom_about_centre (self, self->zoom / KEY_ZOOM_STEP);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LimnerCanvas             *self)
{
  GdkModifierType state;
  double factor;

  if (dy == 0)
    return FALSE;

  /* While the wand proposes, the wheel changes its tolerance (up: more). */
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if (self->wand_seeds->len > 0 && !(state & GDK_CONTROL_MASK))
    {
      limner_canvas_assist_step_tolerance (self, dy < 0 ? 1 : -1);
      return TRUE;
    }

  /* A wheel notch is one step; touchpads send pixels, so zoom smoothly. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    factor = pow (WHEEL_ZOOM_STEP, -dy);
  else
    factor = exp (-dy * 0.01);

  limner_canvas_zoom_at (self, self->zoom * factor, self->pointer_x, self->pointer_y);
  return TRUE;
}

/* --- Keyboard -------------------------------------------------------------- */

static gboolean
label_for_key (LimnerCanvas *self,
               guint         keyval,
               gint64       *label_id)
{
  const char *name = gdk_keyval_name (gdk_keyval_to_lower (keyval));
  gunichar ch = gdk_keyval_to_unicode (keyval);
  char utf8[8] = { 0 };

  if (ch != 0)
    g_unichar_to_utf8 (g_unichar_tolower (ch), utf8);

  for (guint i = 0; i < self->labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (self->labels, i);

      if (label->hotkey == NULL || label->hotkey[0] == '\0')
        continue;
      if ((name != NULL && g_ascii_strcasecmp (label->hotkey, name) == 0) ||
          (utf8[0] != '\0' && g_utf8_collate (label->hotkey, utf8) == 0))
        {
          *label_id = label->id;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LimnerCanvas          *self)
{
  gint64 label_id;

  if (keyval == GDK_KEY_space && !(state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    {
      if (!self->space_held)
        {
          self->space_held = TRUE;
          limner_canvas_tools_update_cursor (self);
        }
      return GDK_EVENT_STOP;
    }

  /* A label's own hotkey wins over the tool keys: the lead chose it. With
   * Shift, the key is someone else's (Shift+H shows all). */
  if (!(state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_SHIFT_MASK)) &&
      label_for_key (self, keyval, &label_id))
    {
      limner_canvas_apply_label (self, label_id);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 LimnerCanvas          *self)
{
  if (keyval == GDK_KEY_space)
    {
      self->space_held = FALSE;
      limner_canvas_tools_update_cursor (self);
    }
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                LimnerCanvas            *self)
{
  self->space_held = FALSE;
}

/* --- Clipboard ------------------------------------------------------------- */

static void
copy_selection (LimnerCanvas *self)
{
  g_autofree char *json = NULL;
  GdkContentProvider *providers[2];
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (limner_canvas_tools_get_selected (self) == NULL)
    return;
  json = limner_document_copy (self->document, &self->selected_id, 1);
  if (json == NULL)
    return;

  g_free (last_copy_json);
  last_copy_json = g_strdup (json);
  last_copy_image_id = limner_document_get_image_id (self->document);
  self->paste_count = 0;

  bytes = g_bytes_new (json, strlen (json));
  providers[0] = gdk_content_provider_new_for_bytes (LIMNER_CLIPBOARD_MIME_TYPE, bytes);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, json);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
}

static void
paste_json (LimnerCanvas *self,
            const char   *json)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  double offset = 0;
  guint n_dropped = 0;

  if (self->document == NULL || json == NULL)
    return;

  /* Into the image it was copied from, each paste lands a little further
   * down so the copies are visible; into another image, in place. */
  if (g_strcmp0 (json, last_copy_json) == 0 &&
      last_copy_image_id == limner_document_get_image_id (self->document))
    offset = ++self->paste_count * PASTE_OFFSET / self->zoom;

  ids = limner_document_paste (self->document, json, offset, offset, &n_dropped, &error);
  if (ids == NULL)
    {
      limner_canvas_tools_report_error (self, error);
      return;
    }
  if (ids->len > 0)
    limner_canvas_set_selected_shape (self, g_array_index (ids, gint64, ids->len - 1));
  if (n_dropped > 0)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("%u pasted shape lay outside the image and was left out.",
                                   "%u pasted shapes lay outside the image and were left out.",
                                   n_dropped), n_dropped);

      limner_canvas_show_message (self, message);
    }
}

static void
on_clipboard_text (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LimnerCanvas) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  /* Text that is not ours falls back to the last copy made here. */
  if (text == NULL || strstr (text, "limner") == NULL)
    paste_json (self, last_copy_json);
  else
    paste_json (self, text);
}

static void
paste (LimnerCanvas *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (self->document == NULL)
    return;
  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, g_object_ref (self));
}

/* --- Actions --------------------------------------------------------------- */

static void
action_zoom_fit (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  limner_canvas_zoom_fit (LIMNER_CANVAS (widget));
}

static void
action_zoom_one_to_one (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  limner_canvas_zoom_one_to_one (LIMNER_CANVAS (widget));
}

static void
action_zoom_in (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  limner_canvas_zoom_in (LIMNER_CANVAS (widget));
}

static void
action_zoom_out (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  limner_canvas_zoom_out (LIMNER_CANVAS (widget));
}

static void
action_tool (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_str_equal (name, "box"))
    limner_canvas_set_tool (self, LIMNER_CANVAS_TOOL_BOX);
  else if (g_str_equal (name, "polygon"))
    limner_canvas_set_tool (self, LIMNER_CANVAS_TOOL_POLYGON);
  else if (g_str_equal (name, "wand"))
    limner_canvas_set_tool (self, LIMNER_CANVAS_TOOL_WAND);
  else
    limner_canvas_set_tool (self, LIMNER_CANVAS_TOOL_SELECT);
}

static void
action_escape (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  /* One thing at a time: the drawing or the wand's proposal, then the
   * drag, then the tool, then the selection. */
  if (limner_canvas_assist_drop (self))
    return;
  if (self->draft->len > 0)
    limner_canvas_tools_clear_draft (self);
  else if (self->drag != DRAG_NONE)
    {
      limner_canvas_tools_set_drag (self, DRAG_NONE);
      gtk_widget_queue_draw (widget);
    }
  else if (self->tool != LIMNER_CANVAS_TOOL_SELECT)
    limner_canvas_set_tool (self, LIMNER_CANVAS_TOOL_SELECT);
  else
    limner_canvas_set_selected_shape (self, 0);
}

/* The Escape key: as "canvas.escape" while there is something to cancel;
 * with nothing drawn, dragged, chosen or selected, it goes on to the
 * window, where it leaves the image. */
static gboolean
escape_key (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->draft->len == 0 && self->drag == DRAG_NONE &&
      self->tool == LIMNER_CANVAS_TOOL_SELECT && self->selected_id == 0)
    return FALSE;
  action_escape (widget, "canvas.escape", NULL);
  return TRUE;
}

static void
action_finish (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (!limner_canvas_assist_accept (self))
    limner_canvas_tools_finish_polygon (self);
}

static void
action_tighten (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  limner_canvas_assist_tighten (LIMNER_CANVAS (widget));
}

static void
action_wand_tolerance (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  limner_canvas_assist_step_tolerance (LIMNER_CANVAS (widget), g_variant_get_int32 (parameter));
}

static void
action_backspace (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->draft->len > 0)
    {
      g_array_set_size (self->draft, self->draft->len - 2);
      gtk_widget_queue_draw (widget);
      if (self->draft->len == 0)
        limner_canvas_notify (self, "drawing");
    }
  else
    limner_canvas_tools_delete_selection (self);
}

static void
action_delete (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  limner_canvas_tools_delete_selection (LIMNER_CANVAS (widget));
}

static void
action_label (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);
  int n = g_variant_get_int32 (parameter);

  if (n >= 1 && (guint) n <= self->labels->len)
    limner_canvas_apply_label (self, ((LimnerLabel *) g_ptr_array_index (self->labels, n - 1))->id);
}

static void
action_cycle (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  limner_canvas_tools_cycle_selection (self, self->pointer_x, self->pointer_y);
}

static void
action_nudge (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  limner_canvas_tools_nudge_selection (LIMNER_CANVAS (widget), dx, dy);
}

static void
action_toggle_hidden (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);
  gint64 id = self->selected_id;

  if (limner_canvas_tools_get_selected (self) == NULL)
    return;
  limner_canvas_set_selected_shape (self, 0);
  limner_document_set_shape_hidden (self->document, id, TRUE);
}

static void
action_show_all (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->document == NULL)
    return;
  for (guint i = 0; i < limner_document_get_n_shapes (self->document); i++)
    {
      const LimnerShape *shape = limner_document_get_nth_shape (self->document, i);

      if (limner_document_get_shape_hidden (self->document, shape->id))
        limner_document_set_shape_hidden (self->document, shape->id, FALSE);
      if (limner_document_get_label_hidden (self->document, shape->label_id))
        limner_document_set_label_hidden (self->document, shape->label_id, FALSE);
    }
}

static void
action_toggle_locked (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);
  gint64 id = self->selected_id;

  if (limner_canvas_tools_get_selected (self) == NULL)
    return;
  /* Locked shapes cannot be picked, so the lock also ends the selection. */
  limner_canvas_set_selected_shape (self, 0);
  limner_document_set_shape_locked (self->document, id,
                                    !limner_document_get_shape_locked (self->document, id));
}

static void
action_unlock_all (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->document == NULL)
    return;
  for (guint i = 0; i < limner_document_get_n_shapes (self->document); i++)
    {
      const LimnerShape *shape = limner_document_get_nth_shape (self->document, i);

      if (limner_document_get_shape_locked (self->document, shape->id))
        limner_document_set_shape_locked (self->document, shape->id, FALSE);
      if (limner_document_get_label_locked (self->document, shape->label_id))
        limner_document_set_label_locked (self->document, shape->label_id, FALSE);
    }
}

static void
action_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->document == NULL)
    return;
  limner_canvas_tools_clear_draft (self);
  limner_canvas_tools_set_drag (self, DRAG_NONE);
  self->selected_vertex = -1;
  limner_document_undo (self->document);
}

static void
action_redo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->document == NULL)
    return;
  limner_canvas_tools_clear_draft (self);
  limner_canvas_tools_set_drag (self, DRAG_NONE);
  self->selected_vertex = -1;
  limner_document_redo (self->document);
}

static void
action_copy (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  copy_selection (LIMNER_CANVAS (widget));
}

static void
action_paste (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  paste (LIMNER_CANVAS (widget));
}

void
limner_canvas_actions_class_init (GtkWidgetClass *widget_class)
{
  static const struct {
    guint keyval;
    int   dx;
    int   dy;
  } arrows[] = {
    { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 }, { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
  };

  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, action_zoom_fit);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-100", NULL, action_zoom_one_to_one);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, action_zoom_in);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, action_zoom_out);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "canvas.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_CONTROL_MASK, "canvas.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "canvas.zoom-out", NULL);

  gtk_widget_class_install_action (widget_class, "canvas.tool", "s", action_tool);
  gtk_widget_class_install_action (widget_class, "canvas.escape", NULL, action_escape);
  gtk_widget_class_install_action (widget_class, "canvas.finish", NULL, action_finish);
  gtk_widget_class_install_action (widget_class, "canvas.tighten", NULL, action_tighten);
  gtk_widget_class_install_action (widget_class, "canvas.wand-tolerance", "i", action_wand_tolerance);
  gtk_widget_class_install_action (widget_class, "canvas.backspace", NULL, action_backspace);
  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "canvas.label", "i", action_label);
  gtk_widget_class_install_action (widget_class, "canvas.cycle", NULL, action_cycle);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", action_nudge);
  gtk_widget_class_install_action (widget_class, "canvas.toggle-hidden", NULL, action_toggle_hidden);
  gtk_widget_class_install_action (widget_class, "canvas.show-all", NULL, action_show_all);
  gtk_widget_class_install_action (widget_class, "canvas.toggle-locked", NULL, action_toggle_locked);
  gtk_widget_class_install_action (widget_class, "canvas.unlock-all", NULL, action_unlock_all);
  gtk_widget_class_install_action (widget_class, "canvas.undo", NULL, action_undo);
  gtk_widget_class_install_action (widget_class, "canvas.redo", NULL, action_redo);
  gtk_widget_class_install_action (widget_class, "canvas.copy", NULL, action_copy);
  gtk_widget_class_install_action (widget_class, "canvas.paste", NULL, action_paste);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, 0, "canvas.tool", "s", "select");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, 0, "canvas.tool", "s", "box");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "canvas.tool", "s", "polygon");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0, "canvas.tool", "s", "wand");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "canvas.tighten", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft, 0, "canvas.wand-tolerance", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright, 0, "canvas.wand-tolerance", "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_key, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "canvas.finish", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "canvas.finish", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.backspace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, 0, "canvas.cycle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "canvas.toggle-hidden", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_SHIFT_MASK, "canvas.show-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "canvas.toggle-locked", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_SHIFT_MASK, "canvas.unlock-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "canvas.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "canvas.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "canvas.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "canvas.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "canvas.paste", NULL);

  for (int n = 1; n <= 9; n++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + n, 0, "canvas.label", "i", n);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + n, 0, "canvas.label", "i", n);
    }
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, arrows[i].keyval, 0, "canvas.nudge",
                                           "(ii)", arrows[i].dx, arrows[i].dy);
      gtk_widget_class_add_binding_action (widget_class, arrows[i].keyval, GDK_SHIFT_MASK,
                                           "canvas.nudge", "(ii)", 10 * arrows[i].dx,
                                           10 * arrows[i].dy);
    }
}

void
limner_canvas_actions_init (LimnerCanvas *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
