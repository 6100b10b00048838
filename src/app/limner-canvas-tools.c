/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-tools.c: what the pointer does on the canvas, the editing
 * commands the keys share with it (limner-canvas-actions.c), and the live
 * layer (selection, handles, the shape being drawn).
 *
 * Every change to shapes is a LimnerDocument command (so it can be undone
 * and is saved at once). While a shape is dragged nothing is committed: the
 * canvas draws `preview`, and the command comes on release.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-canvas-private.h"

/* In widget pixels. */
#define HANDLE_SIZE 8.0
#define HANDLE_GRAB 7.0
#define HIT_TOLERANCE 5.0
#define CLOSE_DISTANCE 9.0
#define DRAG_THRESHOLD 3.0

void
limner_canvas_tools_set_drag (LimnerCanvas     *self,
                              LimnerCanvasDrag  drag)
{
  self->drag = drag;
  if (drag == DRAG_NONE)
    {
      g_clear_pointer (&self->preview, limner_shape_free);
      /* A vertex inserted by the press and dragged is one undo step. */
      if (self->drag_grouped)
        {
          self->drag_grouped = FALSE;
          if (self->document != NULL)
            limner_document_end_group (self->document);
        }
    }
  limner_canvas_tools_update_cursor (self);
}

gboolean
limner_canvas_get_drawing (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), FALSE);

  return self->draft->len > 0;
}

void
limner_canvas_tools_clear_draft (LimnerCanvas *self)
{
  if (self->draft->len == 0)
    return;
  g_array_set_size (self->draft, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  limner_canvas_notify (self, "drawing");
}

void
limner_canvas_tools_report_error (LimnerCanvas *self,
                                  GError       *error)
{
  if (error != NULL)
    limner_canvas_show_message (self, error->message);
}

static void
clamp_to_image (LimnerCanvas *self,
                double       *ix,
                double       *iy)
{
  double w = limner_document_get_width (self->document);
  double h = limner_document_get_height (self->document);

  *ix = CLAMP (*ix, 0, w);
  *iy = CLAMP (*iy, 0, h);
}

const LimnerShape *
limner_canvas_tools_get_selected (LimnerCanvas *self)
{
  if (self->document == NULL || self->selected_id == 0)
    return NULL;
  return limner_document_get_shape (self->document, self->selected_id);
}

/* The selection as drawn: the drag preview while dragging. */
static const LimnerShape *
get_selected_as_shown (LimnerCanvas *self)
{
  return self->preview != NULL ? self->preview : limner_canvas_tools_get_selected (self);
}

void
limner_canvas_set_selected_shape (LimnerCanvas *self,
                                  gint64        shape_id)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  if (shape_id != 0 && (self->document == NULL ||
                        limner_document_get_shape (self->document, shape_id) == NULL))
    shape_id = 0;
  if (shape_id == self->selected_id)
    return;

  /* The selection is drawn live, not in the cached overlay: both the old
   * and the new one change tiles. */
  limner_canvas_invalidate_shape (self, self->selected_id);
  self->selected_id = shape_id;
  self->selected_vertex = -1;
  limner_canvas_invalidate_shape (self, self->selected_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  limner_canvas_notify (self, "selected-shape");
}

gint64
limner_canvas_get_selected_shape (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 0);

  return self->selected_id;
}

void
limner_canvas_set_tool (LimnerCanvas     *self,
                        LimnerCanvasTool  tool)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  if (tool == self->tool)
    return;
  limner_canvas_tools_clear_draft (self);
  limner_canvas_tools_set_drag (self, DRAG_NONE);
  limner_canvas_assist_reset (self);
  /* A drawing tool is about the next shape: 1–9 then label that one, not
   * the shape drawn last. Back to the select tool, the selection stays to
   * be edited. */
  if (tool != LIMNER_CANVAS_TOOL_SELECT)
    limner_canvas_set_selected_shape (self, 0);
  self->tool = tool;
  self->hover_id = 0;
  limner_canvas_tools_update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  limner_canvas_notify (self, "tool");
}

LimnerCanvasTool
limner_canvas_get_tool (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), LIMNER_CANVAS_TOOL_SELECT);

  return self->tool;
}

void
limner_canvas_set_current_label (LimnerCanvas *self,
                                 gint64        label_id)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  if (label_id == self->current_label)
    return;
  self->current_label = label_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  limner_canvas_notify (self, "current-label");
}

gint64
limner_canvas_get_current_label (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 0);

  return self->current_label;
}

void
limner_canvas_apply_label (LimnerCanvas *self,
                           gint64        label_id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  limner_canvas_set_current_label (self, label_id);
  if (limner_canvas_tools_get_selected (self) != NULL &&
      !limner_document_set_label (self->document, &self->selected_id, 1, label_id, &error))
    limner_canvas_tools_report_error (self, error);
}

void
limner_canvas_tools_reset (LimnerCanvas *self)
{
  g_array_set_size (self->draft, 0);
  limner_canvas_tools_set_drag (self, DRAG_NONE);
  limner_canvas_assist_reset (self);
  self->hover_id = 0;
  if (self->selected_id != 0)
    {
      self->selected_id = 0;
      self->selected_vertex = -1;
      limner_canvas_notify (self, "selected-shape");
    }
  limner_canvas_notify (self, "drawing");
}

void
limner_canvas_tools_shape_removed (LimnerCanvas *self,
                                   gint64        shape_id)
{
  if (shape_id == self->hover_id)
    self->hover_id = 0;
  if (shape_id == self->selected_id)
    {
      limner_canvas_tools_set_drag (self, DRAG_NONE);
      self->selected_id = 0;
      self->selected_vertex = -1;
      limner_canvas_notify (self, "selected-shape");
    }
}

/* --- Handles --------------------------------------------------------------- */

/* Box handles: 0..3 corners (x0y0, x1y0, x1y1, x0y1), 4..7 edge midpoints
 * (top, right, bottom, left). */
static void
box_handle_position (const double *p,
                     int           handle,
                     double       *x,
                     double       *y)
{
  double x0 = MIN (p[0], p[2]), y0 = MIN (p[1], p[3]);
  double x1 = MAX (p[0], p[2]), y1 = MAX (p[1], p[3]);
  double xs[8] = { x0, x1, x1, x0, (x0 + x1) / 2, x1, (x0 + x1) / 2, x0 };
  double ys[8] = { y0, y0, y1, y1, y0, (y0 + y1) / 2, y1, (y0 + y1) / 2 };

  *x = xs[handle];
  *y = ys[handle];
}

static int
n_handles (const LimnerShape *shape)
{
  return shape->kind == LIMNER_SHAPE_BOX ? 8 : (int) shape->points->len / 2;
}

static void
handle_position (const LimnerShape *shape,
                 int                handle,
                 double            *x,
                 double            *y)
{
  const double *p = (const double *) shape->points->data;

  if (shape->kind == LIMNER_SHAPE_BOX)
    box_handle_position (p, handle, x, y);
  else
    {
      *x = p[2 * handle];
      *y = p[2 * handle + 1];
    }
}

/* The handle of the selected shape under widget point (x, y), or -1. */
static int
find_handle (LimnerCanvas      *self,
             const LimnerShape *shape,
             double             x,
             double             y)
{
  double best = HANDLE_GRAB * HANDLE_GRAB;
  int found = -1;

  for (int i = 0; i < n_handles (shape); i++)
    {
      double hx, hy, wx, wy, d;

      handle_position (shape, i, &hx, &hy);
      limner_canvas_image_to_widget (self, hx, hy, &wx, &wy);
      d = (wx - x) * (wx - x) + (wy - y) * (wy - y);
      if (d <= best)
        {
          best = d;
          found = i;
        }
    }
  return found;
}

static const char *
box_handle_cursor (int handle)
{
  static const char *names[8] = {
    "nw-resize", "ne-resize", "se-resize", "sw-resize",
    "n-resize", "e-resize", "s-resize", "w-resize",
  };

  return names[handle];
}

void
limner_canvas_tools_update_cursor (LimnerCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const LimnerShape *shape;
  const char *name = NULL;

  if (self->drag == DRAG_PAN)
    name = "grabbing";
  else if (self->space_held)
    name = "grab";
  else if (self->drag == DRAG_MOVE && self->drag_moved)
    name = "move";
  else if (self->drag == DRAG_BOX_HANDLE)
    name = box_handle_cursor (self->drag_handle);
  else if (self->drag == DRAG_VERTEX)
    name = "crosshair";
  else if (self->tool != LIMNER_CANVAS_TOOL_SELECT)
    name = "crosshair";
  else if ((shape = limner_canvas_tools_get_selected (self)) != NULL && self->pointer_inside &&
           limner_document_is_shape_editable (self->document, shape->id))
    {
      int handle = find_handle (self, shape, self->pointer_x, self->pointer_y);

      if (handle >= 0)
        name = shape->kind == LIMNER_SHAPE_BOX ? box_handle_cursor (handle) : "pointer";
      else if (self->hover_id != 0)
        name = "move";
    }
  else if (self->hover_id != 0)
    name = "pointer";

  gtk_widget_set_cursor_from_name (widget, name);
}

/* --- Editing commands ------------------------------------------------------ */

static void
commit_preview (LimnerCanvas *self)
{
  g_autoptr(GError) error = NULL;

  if (self->preview == NULL)
    return;
  if (!limner_document_modify_shape (self->document, self->preview, &error))
    limner_canvas_tools_report_error (self, error);
}

void
limner_canvas_tools_add_shape (LimnerCanvas    *self,
                               LimnerShapeKind  kind,
                               const double    *points,
                               guint            n_points)
{
  g_autoptr(LimnerShape) shape = limner_shape_new (kind);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_array_append_vals (shape->points, points, 2 * n_points);
  shape->label_id = self->current_label;
  shape->source = LIMNER_SOURCE_MANUAL;
  shape->score = 1.0;
  id = limner_document_add_shape (self->document, shape, &error);
  if (id == 0)
    {
      limner_canvas_tools_report_error (self, error);
      return;
    }
  limner_canvas_set_selected_shape (self, id);
}

void
limner_canvas_tools_finish_polygon (LimnerCanvas *self)
{
  g_autoptr(GArray) points = NULL;

  if (self->draft->len < 6 || self->document == NULL)
    return;
  points = g_array_copy (self->draft);
  limner_canvas_tools_clear_draft (self);
  limner_canvas_tools_add_shape (self, LIMNER_SHAPE_POLYGON, (const double *) points->data,
                                 points->len / 2);
}

void
limner_canvas_tools_delete_selection (LimnerCanvas *self)
{
  const LimnerShape *shape = limner_canvas_tools_get_selected (self);
  g_autoptr(GError) error = NULL;

  if (shape == NULL)
    return;

  if (shape->kind == LIMNER_SHAPE_POLYGON && self->selected_vertex >= 0 &&
      (guint) self->selected_vertex < shape->points->len / 2 && shape->points->len / 2 > 3)
    {
      g_autoptr(LimnerShape) copy = limner_shape_copy (shape);

      g_array_remove_range (copy->points, 2 * self->selected_vertex, 2);
      if (!limner_document_modify_shape (self->document, copy, &error))
        limner_canvas_tools_report_error (self, error);
      self->selected_vertex = -1;
      return;
    }

  if (!limner_document_delete_shapes (self->document, &self->selected_id, 1, &error))
    limner_canvas_tools_report_error (self, error);
}

/* Adds a vertex on the polygon's edge nearest to image point (ix, iy) if it
 * is within reach, selects it and returns its index; -1 otherwise. */
static int
insert_vertex (LimnerCanvas      *self,
               const LimnerShape *shape,
               double             ix,
               double             iy)
{
  g_autoptr(LimnerShape) copy = NULL;
  g_autoptr(GError) error = NULL;
  double px, py, d;
  guint edge;

  if (shape->kind != LIMNER_SHAPE_POLYGON)
    return -1;
  d = limner_points_nearest_edge ((const double *) shape->points->data, shape->points->len / 2,
                                  TRUE, ix, iy, &edge, &px, &py);
  if (d < 0 || d * self->zoom > HIT_TOLERANCE)
    return -1;

  copy = limner_shape_copy (shape);
  g_array_insert_val (copy->points, 2 * (edge + 1), py);
  g_array_insert_val (copy->points, 2 * (edge + 1), px);
  if (!limner_document_modify_shape (self->document, copy, &error))
    {
      limner_canvas_tools_report_error (self, error);
      return -1;
    }
  self->selected_vertex = edge + 1;
  return edge + 1;
}

/* The translation that keeps `shape` moved by (dx, dy) inside the image. */
static void
limit_translation (LimnerCanvas      *self,
                   const LimnerShape *shape,
                   double            *dx,
                   double            *dy)
{
  LimnerRect bbox = limner_shape_bbox (shape);
  double w = limner_document_get_width (self->document);
  double h = limner_document_get_height (self->document);

  *dx = CLAMP (*dx, -bbox.x0, w - bbox.x1);
  *dy = CLAMP (*dy, -bbox.y0, h - bbox.y1);
}

void
limner_canvas_tools_nudge_selection (LimnerCanvas *self,
                                     double        dx,
                                     double        dy)
{
  const LimnerShape *shape = limner_canvas_tools_get_selected (self);
  g_autoptr(LimnerShape) copy = NULL;
  g_autoptr(GError) error = NULL;

  if (shape == NULL)
    return;
  limit_translation (self, shape, &dx, &dy);
  if (dx == 0 && dy == 0)
    return;
  copy = limner_shape_copy (shape);
  limner_shape_translate (copy, dx, dy);
  if (!limner_document_modify_shape (self->document, copy, &error))
    limner_canvas_tools_report_error (self, error);
}

/* Selects the next of the shapes under the pointer, below the selected one. */
void
limner_canvas_tools_cycle_selection (LimnerCanvas *self,
                                     double        x,
                                     double        y)
{
  g_autoptr(GArray) hits = NULL;
  double ix, iy;
  guint next = 0;

  if (self->document == NULL)
    return;
  limner_canvas_widget_to_image (self, x, y, &ix, &iy);
  hits = limner_document_hit_test (self->document, ix, iy, HIT_TOLERANCE / self->zoom,
                                   LIMNER_HIT_DEFAULT);
  if (hits->len == 0)
    return;
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, gint64, i) == self->selected_id)
      next = (i + 1) % hits->len;
  limner_canvas_set_selected_shape (self, g_array_index (hits, gint64, next));
}

/* --- Pointer --------------------------------------------------------------- */

static void
polygon_click (LimnerCanvas    *self,
               double           x,
               double           y,
               double           ix,
               double           iy,
               int              n_press,
               GdkModifierType  state)
{
  guint n = self->draft->len / 2;
  const double *p = (const double *) self->draft->data;

  clamp_to_image (self, &ix, &iy);

  if (n > 0)
    {
      double fx, fy, lx, ly;

      /* A double-click ends the polygon; its first click added the vertex. */
      if (n_press >= 2)
        {
          limner_canvas_tools_finish_polygon (self);
          return;
        }
      limner_canvas_image_to_widget (self, p[0], p[1], &fx, &fy);
      if (n >= 3 && hypot (fx - x, fy - y) <= CLOSE_DISTANCE)
        {
          limner_canvas_tools_finish_polygon (self);
          return;
        }
      limner_canvas_image_to_widget (self, p[2 * n - 2], p[2 * n - 1], &lx, &ly);
      if (hypot (lx - x, ly - y) < 1.0)
        return;
      /* With Shift, the scissors' path to here. */
      if (limner_canvas_assist_polygon_click (self, state))
        return;
    }

  g_array_append_val (self->draft, ix);
  g_array_append_val (self->draft, iy);
  /* Alt places the vertex exactly where clicked. */
  if (!(state & GDK_ALT_MASK))
    limner_canvas_assist_snap (self, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (n == 0)
    limner_canvas_notify (self, "drawing");
}

static void
select_press (LimnerCanvas    *self,
              double           x,
              double           y,
              double           ix,
              double           iy,
              int              n_press,
              GdkModifierType  state)
{
  const LimnerShape *shape = limner_canvas_tools_get_selected (self);
  g_autoptr(GArray) hits = NULL;
  gint64 chosen;
  gboolean was_selected = FALSE;

  if (shape != NULL && limner_document_is_shape_editable (self->document, shape->id))
    {
      int handle = find_handle (self, shape, x, y);

      if (handle < 0 && (n_press >= 2 || (state & GDK_CONTROL_MASK)))
        {
          /* Double-click or Ctrl+click on an edge: a new vertex, dragged at once. */
          limner_document_begin_group (self->document, _("Insert Vertex"));
          handle = insert_vertex (self, shape, ix, iy);
          shape = limner_canvas_tools_get_selected (self);
          if (handle >= 0 && shape != NULL)
            self->drag_grouped = TRUE;
          else
            limner_document_end_group (self->document);
        }

      if (handle >= 0 && shape != NULL)
        {
          self->drag_handle = handle;
          if (shape->kind == LIMNER_SHAPE_POLYGON)
            {
              self->selected_vertex = handle;
              limner_canvas_tools_set_drag (self, DRAG_VERTEX);
            }
          else
            limner_canvas_tools_set_drag (self, DRAG_BOX_HANDLE);
          self->preview = limner_shape_copy (shape);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
    }

  hits = limner_document_hit_test (self->document, ix, iy, HIT_TOLERANCE / self->zoom,
                                   LIMNER_HIT_DEFAULT);
  if (hits->len == 0)
    {
      limner_canvas_set_selected_shape (self, 0);
      return;
    }

  /* Keep the selection if it is among the shapes here, so that it can be
   * dragged even from under another shape; otherwise take the topmost. */
  chosen = g_array_index (hits, gint64, 0);
  for (guint i = 0; i < hits->len; i++)
    if (g_array_index (hits, gint64, i) == self->selected_id)
      {
        chosen = self->selected_id;
        was_selected = TRUE;
      }
  limner_canvas_set_selected_shape (self, chosen);

  shape = limner_canvas_tools_get_selected (self);
  if (shape == NULL)
    return;
  /* A click that does not drag on the selection cycles, on release. */
  self->cycle_x = was_selected ? x : G_MAXDOUBLE;
  self->cycle_y = y;
  limner_canvas_tools_set_drag (self, DRAG_MOVE);
  self->preview = limner_shape_copy (shape);
}

void
limner_canvas_pointer_press (LimnerCanvas    *self,
                             guint            button,
                             int              n_press,
                             double           x,
                             double           y,
                             GdkModifierType  state)
{
  double ix, iy;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (self->drag != DRAG_NONE)
    return;

  limner_canvas_widget_to_image (self, x, y, &ix, &iy);
  self->press_x = x;
  self->press_y = y;
  self->press_ix = ix;
  self->press_iy = iy;
  self->drag_button = button;
  self->drag_moved = FALSE;

  if (button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_held))
    {
      limner_canvas_get_scroll (self, &self->drag_hvalue, &self->drag_vvalue);
      limner_canvas_tools_set_drag (self, DRAG_PAN);
      return;
    }

  if (self->document == NULL)
    return;

  if (button == GDK_BUTTON_SECONDARY)
    {
      /* Right-click takes back the last vertex of a polygon being drawn. */
      if (self->draft->len > 0)
        {
          g_array_set_size (self->draft, self->draft->len - 2);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          if (self->draft->len == 0)
            limner_canvas_notify (self, "drawing");
        }
      return;
    }
  if (button != GDK_BUTTON_PRIMARY)
    return;

  switch (self->tool)
    {
    case LIMNER_CANVAS_TOOL_BOX:
      clamp_to_image (self, &self->press_ix, &self->press_iy);
      limner_canvas_tools_set_drag (self, DRAG_NEW_BOX);
      break;
    case LIMNER_CANVAS_TOOL_POLYGON:
      polygon_click (self, x, y, ix, iy, n_press, state);
      break;
    case LIMNER_CANVAS_TOOL_WAND:
      limner_canvas_assist_wand_press (self, ix, iy, state);
      break;
    case LIMNER_CANVAS_TOOL_SELECT:
    default:
      select_press (self, x, y, ix, iy, n_press, state);
      break;
    }
}

static void
update_hover (LimnerCanvas *self,
              double        x,
              double        y)
{
  gint64 hover = 0;

  if (self->document != NULL && self->tool == LIMNER_CANVAS_TOOL_SELECT && self->pointer_inside)
    {
      g_autoptr(GArray) hits = NULL;
      double ix, iy;

      limner_canvas_widget_to_image (self, x, y, &ix, &iy);
      hits = limner_document_hit_test (self->document, ix, iy, HIT_TOLERANCE / self->zoom,
                                       LIMNER_HIT_DEFAULT);
      if (hits->len > 0)
        hover = g_array_index (hits, gint64, 0);
    }
  if (hover != self->hover_id)
    {
      self->hover_id = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
limner_canvas_pointer_motion (LimnerCanvas    *self,
                              double           x,
                              double           y,
                              GdkModifierType  state)
{
  const LimnerShape *shape;
  double ix, iy;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  self->pointer_x = x;
  self->pointer_y = y;
  limner_canvas_widget_to_image (self, x, y, &ix, &iy);

  if (self->drag == DRAG_NONE)
    {
      update_hover (self, x, y);
      limner_canvas_assist_polygon_motion (self, ix, iy, state);
      if (self->draft->len > 0)
        gtk_widget_queue_draw (GTK_WIDGET (self));
      limner_canvas_tools_update_cursor (self);
      return;
    }

  if (!self->drag_moved && hypot (x - self->press_x, y - self->press_y) > DRAG_THRESHOLD)
    {
      self->drag_moved = TRUE;
      limner_canvas_tools_update_cursor (self);
    }

  switch (self->drag)
    {
    case DRAG_PAN:
      limner_canvas_pan_from (self, self->drag_hvalue, self->drag_vvalue,
                              x - self->press_x, y - self->press_y);
      return;

    case DRAG_NEW_BOX:
      break;

    case DRAG_MOVE:
      shape = limner_canvas_tools_get_selected (self);
      if (shape != NULL && self->drag_moved &&
          limner_document_is_shape_editable (self->document, shape->id))
        {
          double dx = ix - self->press_ix, dy = iy - self->press_iy;

          limit_translation (self, shape, &dx, &dy);
          limner_shape_free (self->preview);
          self->preview = limner_shape_copy (shape);
          limner_shape_translate (self->preview, dx, dy);
        }
      break;

    case DRAG_BOX_HANDLE:
      if (self->preview != NULL)
        {
          double *p = (double *) self->preview->points->data;
          const LimnerShape *original = limner_canvas_tools_get_selected (self);
          const double *o = original ? (const double *) original->points->data : p;
          double x0 = MIN (o[0], o[2]), y0 = MIN (o[1], o[3]);
          double x1 = MAX (o[0], o[2]), y1 = MAX (o[1], o[3]);
          int handle = self->drag_handle;

          clamp_to_image (self, &ix, &iy);
          /* Corners move both coordinates, edge midpoints one. */
          if (handle == 0 || handle == 3 || handle == 7)
            x0 = ix;
          if (handle == 1 || handle == 2 || handle == 5)
            x1 = ix;
          if (handle == 0 || handle == 1 || handle == 4)
            y0 = iy;
          if (handle == 2 || handle == 3 || handle == 6)
            y1 = iy;
          p[0] = MIN (x0, x1);
          p[1] = MIN (y0, y1);
          p[2] = MAX (x0, x1);
          p[3] = MAX (y0, y1);
        }
      break;

    case DRAG_VERTEX:
      if (self->preview != NULL && (guint) self->drag_handle < self->preview->points->len / 2)
        {
          double *p = (double *) self->preview->points->data;

          clamp_to_image (self, &ix, &iy);
          p[2 * self->drag_handle] = ix;
          p[2 * self->drag_handle + 1] = iy;
        }
      break;

    case DRAG_NONE:
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
limner_canvas_pointer_release (LimnerCanvas    *self,
                               guint            button,
                               double           x,
                               double           y,
                               GdkModifierType  state)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  if (self->drag == DRAG_NONE || button != self->drag_button)
    return;
  limner_canvas_pointer_motion (self, x, y, state);

  switch (self->drag)
    {
    case DRAG_NEW_BOX:
      {
        double ix, iy;

        limner_canvas_widget_to_image (self, x, y, &ix, &iy);
        clamp_to_image (self, &ix, &iy);
        /* A click is not a box; neither is a sliver. */
        if (self->drag_moved && fabs (ix - self->press_ix) * self->zoom >= 2 &&
            fabs (iy - self->press_iy) * self->zoom >= 2)
          {
            double corners[4] = {
              MIN (self->press_ix, ix), MIN (self->press_iy, iy),
              MAX (self->press_ix, ix), MAX (self->press_iy, iy),
            };

            limner_canvas_tools_set_drag (self, DRAG_NONE);
            limner_canvas_tools_add_shape (self, LIMNER_SHAPE_BOX, corners, 2);
          }
      }
      break;

    case DRAG_MOVE:
      if (self->drag_moved)
        commit_preview (self);
      else if (self->cycle_x != G_MAXDOUBLE)
        {
          limner_canvas_tools_set_drag (self, DRAG_NONE);
          limner_canvas_tools_cycle_selection (self, x, y);
        }
      break;

    case DRAG_BOX_HANDLE:
    case DRAG_VERTEX:
      if (self->drag_moved)
        commit_preview (self);
      break;

    case DRAG_PAN:
    case DRAG_NONE:
    default:
      break;
    }

  limner_canvas_tools_set_drag (self, DRAG_NONE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GTK 4 no longer reports double clicks: count presses close in time and
 * place, with the desktop's settings. */
static int
count_presses (LimnerCanvas *self,
               guint         button,
               guint32       time,
               double        x,
               double        y)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  int double_click_time = 400, double_click_distance = 5;

  g_object_get (settings,
                "gtk-double-click-time", &double_click_time,
                "gtk-double-click-distance", &double_click_distance,
                NULL);
  if (button == self->last_press_button &&
      time - self->last_press_time <= (guint32) double_click_time &&
      fabs (x - self->last_press_x) <= double_click_distance &&
      fabs (y - self->last_press_y) <= double_click_distance)
    self->n_press++;
  else
    self->n_press = 1;

  self->last_press_button = button;
  self->last_press_time = time;
  self->last_press_x = x;
  self->last_press_y = y;
  return self->n_press;
}

static gboolean
on_legacy_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 LimnerCanvas             *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkEventType type = gdk_event_get_event_type (event);
  GdkModifierType state = gdk_event_get_modifier_state (event);
  GtkNative *native;
  double x, y, nx, ny, wx, wy;

  if (type != GDK_BUTTON_PRESS && type != GDK_BUTTON_RELEASE &&
      type != GDK_MOTION_NOTIFY && type != GDK_ENTER_NOTIFY && type != GDK_LEAVE_NOTIFY)
    return GDK_EVENT_PROPAGATE;

  /* Event positions are in surface coordinates. */
  native = gtk_widget_get_native (widget);
  if (native == NULL || !gdk_event_get_position (event, &x, &y))
    return GDK_EVENT_PROPAGATE;
  gtk_native_get_surface_transform (native, &nx, &ny);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (native), widget, x - nx, y - ny, &wx, &wy))
    return GDK_EVENT_PROPAGATE;

  switch ((int) type)
    {
    case GDK_BUTTON_PRESS:
      {
        guint button = gdk_button_event_get_button (event);
        int n_press = count_presses (self, button, gdk_event_get_time (event), wx, wy);

        limner_canvas_pointer_press (self, button, n_press, wx, wy, state);
        return GDK_EVENT_STOP;
      }
    case GDK_BUTTON_RELEASE:
      limner_canvas_pointer_release (self, gdk_button_event_get_button (event), wx, wy, state);
      return GDK_EVENT_STOP;
    case GDK_MOTION_NOTIFY:
      self->pointer_inside = TRUE;
      limner_canvas_pointer_motion (self, wx, wy, state);
      return GDK_EVENT_PROPAGATE;
    case GDK_ENTER_NOTIFY:
      self->pointer_inside = TRUE;
      self->pointer_x = wx;
      self->pointer_y = wy;
      return GDK_EVENT_PROPAGATE;
    case GDK_LEAVE_NOTIFY:
      if (self->drag == DRAG_NONE)
        {
          self->pointer_inside = FALSE;
          update_hover (self, wx, wy);
        }
      return GDK_EVENT_PROPAGATE;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

void
limner_canvas_tools_init (LimnerCanvas *self)
{
  GtkEventController *controller;

  self->draft = g_array_new (FALSE, FALSE, sizeof (double));
  self->selected_vertex = -1;
  self->cycle_x = G_MAXDOUBLE;

  controller = gtk_event_controller_legacy_new ();
  g_signal_connect (controller, "event", G_CALLBACK (on_legacy_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* --- Live layer ------------------------------------------------------------ */

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb,
                double   alpha)
{
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

static void
path_shape (LimnerCanvas      *self,
            cairo_t           *cr,
            const LimnerShape *shape)
{
  const double *p = (const double *) shape->points->data;
  guint n = shape->points->len / 2;

  if (shape->kind == LIMNER_SHAPE_BOX && n >= 2)
    {
      double x0, y0, x1, y1;

      limner_canvas_image_to_widget (self, MIN (p[0], p[2]), MIN (p[1], p[3]), &x0, &y0);
      limner_canvas_image_to_widget (self, MAX (p[0], p[2]), MAX (p[1], p[3]), &x1, &y1);
      cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      limner_canvas_image_to_widget (self, p[2 * i], p[2 * i + 1], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

static void
draw_handle (cairo_t  *cr,
             double    x,
             double    y,
             gboolean  active)
{
  double s = active ? HANDLE_SIZE + 2 : HANDLE_SIZE;

  cairo_rectangle (cr, x - s / 2, y - s / 2, s, s);
  if (active)
    cairo_set_source_rgb (cr, 1.0, 0.85, 0.1);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
grow_bounds (graphene_rect_t   *bounds,
             gboolean          *any,
             LimnerCanvas      *self,
             double             ix0,
             double             iy0,
             double             ix1,
             double             iy1)
{
  double x0, y0, x1, y1;
  graphene_rect_t r;

  limner_canvas_image_to_widget (self, ix0, iy0, &x0, &y0);
  limner_canvas_image_to_widget (self, ix1, iy1, &x1, &y1);
  r = GRAPHENE_RECT_INIT (MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
  if (*any)
    graphene_rect_union (bounds, &r, bounds);
  else
    *bounds = r;
  *any = TRUE;
}

static void
grow_bounds_shape (graphene_rect_t   *bounds,
                   gboolean          *any,
                   LimnerCanvas      *self,
                   const LimnerShape *shape)
{
  LimnerRect bbox = limner_shape_bbox (shape);

  if (!limner_rect_is_empty (&bbox))
    grow_bounds (bounds, any, self, bbox.x0, bbox.y0, bbox.x1, bbox.y1);
}

/* The selection, its handles, the hovered shape and the shape being drawn:
 * few, changing every frame, so drawn directly, over a rectangle no larger
 * than they need. */
void
limner_canvas_tools_snapshot (LimnerCanvas *self,
                              GtkSnapshot  *snapshot)
{
  const LimnerShape *selected = get_selected_as_shown (self);
  const LimnerShape *hover = NULL;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  graphene_rect_t widget_rect = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                                    gtk_widget_get_height (GTK_WIDGET (self)));
  gboolean any = FALSE;
  cairo_t *cr;

  if (self->document == NULL)
    return;

  if (self->hover_id != 0 && self->hover_id != self->selected_id && self->drag == DRAG_NONE)
    hover = limner_document_get_shape (self->document, self->hover_id);
  if (hover != NULL)
    grow_bounds_shape (&bounds, &any, self, hover);
  if (selected != NULL)
    grow_bounds_shape (&bounds, &any, self, selected);
  if (self->drag == DRAG_NEW_BOX)
    {
      double ix, iy;

      limner_canvas_widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy);
      grow_bounds (&bounds, &any, self, self->press_ix, self->press_iy, ix, iy);
    }
  if (self->draft->len > 0)
    {
      const double *p = (const double *) self->draft->data;
      double ix, iy;

      for (guint i = 0; i < self->draft->len / 2; i++)
        grow_bounds (&bounds, &any, self, p[2 * i], p[2 * i + 1], p[2 * i], p[2 * i + 1]);
      limner_canvas_widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy);
      grow_bounds (&bounds, &any, self, ix, iy, ix, iy);
    }
  if (!any)
    return;

  graphene_rect_inset (&bounds, -(HANDLE_SIZE + 4), -(HANDLE_SIZE + 4));
  if (!graphene_rect_intersection (&bounds, &widget_rect, &bounds))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  if (hover != NULL)
    {
      path_shape (self, cr, hover);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 3);
      cairo_stroke_preserve (cr);
      set_source_rgb (cr, limner_canvas_get_label_rgb (self, hover->label_id), 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }

  if (selected != NULL)
    {
      guint32 rgb = limner_canvas_get_label_rgb (self, selected->label_id);
      gboolean editable = limner_document_is_shape_editable (self->document, self->selected_id);

      path_shape (self, cr, selected);
      set_source_rgb (cr, rgb, 0.3);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 4);
      cairo_stroke_preserve (cr);
      set_source_rgb (cr, rgb, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);

      if (editable)
        for (int i = 0; i < n_handles (selected); i++)
          {
            double hx, hy, x, y;

            handle_position (selected, i, &hx, &hy);
            limner_canvas_image_to_widget (self, hx, hy, &x, &y);
            draw_handle (cr, x, y, selected->kind == LIMNER_SHAPE_POLYGON &&
                                   i == self->selected_vertex);
          }
    }

  if (self->drag == DRAG_NEW_BOX)
    {
      double ix, iy, x0, y0, x1, y1;

      limner_canvas_widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy);
      clamp_to_image (self, &ix, &iy);
      limner_canvas_image_to_widget (self, self->press_ix, self->press_iy, &x0, &y0);
      limner_canvas_image_to_widget (self, ix, iy, &x1, &y1);
      cairo_rectangle (cr, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
      set_source_rgb (cr, limner_canvas_get_label_rgb (self, self->current_label), 0.2);
      cairo_fill_preserve (cr);
      set_source_rgb (cr, limner_canvas_get_label_rgb (self, self->current_label), 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  if (self->draft->len > 0)
    {
      const double *p = (const double *) self->draft->data;
      guint n = self->draft->len / 2;
      guint32 rgb = limner_canvas_get_label_rgb (self, self->current_label);
      double fx, fy;
      gboolean closing;

      for (guint i = 0; i < n; i++)
        {
          double x, y;

          limner_canvas_image_to_widget (self, p[2 * i], p[2 * i + 1], &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      /* The rubber band to the pointer, unless the scissors draw a path. */
      if (limner_canvas_get_scissors_path (self) == NULL)
        cairo_line_to (cr, self->pointer_x, self->pointer_y);
      set_source_rgb (cr, rgb, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);

      limner_canvas_image_to_widget (self, p[0], p[1], &fx, &fy);
      closing = n >= 3 && hypot (fx - self->pointer_x, fy - self->pointer_y) <= CLOSE_DISTANCE;
      for (guint i = 0; i < n; i++)
        {
          double x, y;

          limner_canvas_image_to_widget (self, p[2 * i], p[2 * i + 1], &x, &y);
          draw_handle (cr, x, y, i == 0 && closing);
        }
    }

  cairo_destroy (cr);
}
