/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-private.h: shared by limner-canvas.c (view, tiles, overlay),
 * limner-canvas-tools.c (pointer, editing commands, live layer) and
 * limner-canvas-actions.c (keyboard, wheel, clipboard, actions). Never
 * include it elsewhere. */
#pragma once

#include "limner-canvas.h"
#include "limner-canvas-tile-cache.h"
#include "limner-livewire.h"

G_BEGIN_DECLS

typedef enum {
  DRAG_NONE,
  DRAG_PAN,
  DRAG_NEW_BOX,
  DRAG_MOVE,
  DRAG_BOX_HANDLE,
  DRAG_VERTEX,
} LimnerCanvasDrag;

struct _LimnerCanvas
{
  GtkWidget               parent_instance;

  /* Owned references */
  LimnerTileSource       *source;
  LimnerDocument         *document;
  GtkAdjustment          *hadjustment;
  GtkAdjustment          *vadjustment;
  LimnerCanvasTileCache  *tiles;          /* image tiles, all levels */
  LimnerCanvasTileCache  *overlay;        /* overlay tiles at overlay_zoom */
  LimnerCanvasTileCache  *overlay_stale;  /* at overlay_stale_zoom: fills while re-rendering */
  GHashTable             *overlay_dirty;  /* guint64 keys of overlay tiles to re-render */
  GHashTable             *failed_tiles;   /* guint64 keys never to request again */
  GHashTable             *label_rgb;      /* gint64 * label id -> 0xRRGGBB */
  GArray                 *marks;          /* LimnerOverlayMark: a rejected image's review marks */
  GPtrArray              *labels;         /* LimnerLabel *, by position */
  LimnerShape            *preview;        /* the selection while dragged, or NULL */
  GArray                 *draft;          /* polygon being drawn, image x/y pairs */

  gulong                  tile_ready_handler;
  gulong                  tile_failed_handler;
  gulong                  document_changed_handler;
  gulong                  document_removed_handler;
  guint                   redraw_idle;
  guint                   zoom_notify_idle;

  /* View */
  double                  zoom;           /* logical pixels per image pixel */
  double                  brightness;
  double                  contrast;
  double                  overlay_zoom;   /* device pixels per image pixel */
  double                  overlay_stale_zoom;
  guint                   request_round_key;
  guint                   n_overlay_rendered; /* in the last frame */
  guint                   fit : 1;
  guint                   hscroll_policy : 1;
  guint                   vscroll_policy : 1;
  guint                   complete : 1;
  guint                   configuring : 1;

  /* Tools */
  LimnerCanvasTool        tool;
  gint64                  current_label;
  gint64                  selected_id;
  int                     selected_vertex; /* -1 or a vertex of the selected polygon */
  gint64                  hover_id;
  LimnerCanvasDrag        drag;
  guint                   drag_button;
  int                     drag_handle;     /* vertex index, or box handle 0..7 */
  double                  press_x;         /* widget coordinates of the press */
  double                  press_y;
  double                  press_ix;        /* image coordinates of the press */
  double                  press_iy;
  double                  drag_hvalue;     /* scroll position when a pan started */
  double                  drag_vvalue;
  gboolean                drag_moved;
  gboolean                drag_grouped;    /* an undo group is open for this drag */
  double                  pointer_x;
  double                  pointer_y;
  gboolean                pointer_inside;
  gboolean                space_held;
  double                  cycle_x;         /* where the last selecting click was */
  double                  cycle_y;
  guint32                 last_press_time;
  guint                   last_press_button;
  double                  last_press_x;
  double                  last_press_y;
  int                     n_press;
  int                     paste_count;

  /* Assist (limner-canvas-assist.c) */
  int                     wand_tolerance;
  GArray                 *wand_seeds;      /* LimnerWandSeed */
  GArray                 *wand_proposal;   /* image x/y pairs, or NULL */
  guint                   wand_serial;     /* of the latest request; older results are dropped */
  guint                   tighten_serial;
  LimnerLiveWire         *wire;            /* scissors from the draft's last vertex */
  double                  wire_x;          /* its anchor */
  double                  wire_y;
  guint                   wire_serial;
  gboolean                wire_pending;
  GArray                 *wire_path;       /* scissors preview, image x/y pairs, or NULL */
  gboolean                scissors;        /* Shift held on the last polygon motion */
};

/* limner-canvas.c */
double   limner_canvas_get_device_zoom       (LimnerCanvas     *self);
/* Marks overlay tiles over `rect` (image pixels) for re-rendering. */
/* Every overlay tile must be drawn again. */
void     limner_canvas_drop_overlay          (LimnerCanvas     *self);
void     limner_canvas_invalidate_overlay    (LimnerCanvas     *self,
                                              const LimnerRect *rect);
void     limner_canvas_invalidate_shape      (LimnerCanvas     *self,
                                              gint64            shape_id);
guint32  limner_canvas_get_label_rgb         (LimnerCanvas     *self,
                                              gint64            label_id);
/* Pans by a widget-pixel delta from the scroll position (h, v). */
void     limner_canvas_pan_from              (LimnerCanvas     *self,
                                              double            hvalue,
                                              double            vvalue,
                                              double            dx,
                                              double            dy);
void     limner_canvas_get_scroll            (LimnerCanvas     *self,
                                              double           *hvalue,
                                              double           *vvalue);
void     limner_canvas_show_message          (LimnerCanvas     *self,
                                              const char       *message);
void     limner_canvas_notify                (LimnerCanvas     *self,
                                              const char       *property);

/* limner-canvas-tools.c */
void     limner_canvas_tools_init            (LimnerCanvas     *self);
void     limner_canvas_tools_reset           (LimnerCanvas     *self);
void     limner_canvas_tools_snapshot        (LimnerCanvas     *self,
                                              GtkSnapshot      *snapshot);
void     limner_canvas_tools_shape_removed   (LimnerCanvas     *self,
                                              gint64            shape_id);
void     limner_canvas_tools_update_cursor   (LimnerCanvas     *self);
void     limner_canvas_tools_set_drag        (LimnerCanvas     *self,
                                              LimnerCanvasDrag  drag);
/* Drops the polygon being drawn. */
void     limner_canvas_tools_clear_draft     (LimnerCanvas     *self);
/* Shows `error`'s message to the user; does nothing for NULL. */
void     limner_canvas_tools_report_error    (LimnerCanvas     *self,
                                              GError           *error);
/* The selected shape, or NULL. */
const LimnerShape *
         limner_canvas_tools_get_selected    (LimnerCanvas     *self);
void     limner_canvas_tools_finish_polygon  (LimnerCanvas     *self);
/* Deletes the selected vertex, or else the selected shape. */
void     limner_canvas_tools_delete_selection (LimnerCanvas    *self);
/* Moves the selection by (dx, dy) image pixels, kept inside the image. */
void     limner_canvas_tools_nudge_selection (LimnerCanvas     *self,
                                              double            dx,
                                              double            dy);
/* Selects the next of the shapes under widget point (x, y). */
void     limner_canvas_tools_cycle_selection (LimnerCanvas     *self,
                                              double            x,
                                              double            y);

/* Adds a shape with the current label and selects it. */
void     limner_canvas_tools_add_shape       (LimnerCanvas     *self,
                                              LimnerShapeKind   kind,
                                              const double     *points,
                                              guint             n_points);

/* limner-canvas-assist.c */
void     limner_canvas_assist_init           (LimnerCanvas     *self);
void     limner_canvas_assist_finalize       (LimnerCanvas     *self);
/* Drops the wand's proposal and the scissors, and forgets running requests. */
void     limner_canvas_assist_reset          (LimnerCanvas     *self);
void     limner_canvas_assist_wand_press     (LimnerCanvas     *self,
                                              double            ix,
                                              double            iy,
                                              GdkModifierType   state);
/* Each returns whether there was a proposal. */
gboolean limner_canvas_assist_accept         (LimnerCanvas     *self);
gboolean limner_canvas_assist_drop           (LimnerCanvas     *self);
/* Changes the wand's tolerance by `steps` and recomputes the proposal. */
void     limner_canvas_assist_step_tolerance (LimnerCanvas     *self,
                                              int               steps);
/* Tightens the selected box around the object in it. */
void     limner_canvas_assist_tighten        (LimnerCanvas     *self);
/* Moves the draft's `vertex` to the strongest edge nearby, when found. */
void     limner_canvas_assist_snap           (LimnerCanvas     *self,
                                              guint             vertex);
/* The scissors while the polygon tool's pointer moves with `state`. */
void     limner_canvas_assist_polygon_motion (LimnerCanvas     *self,
                                              double            ix,
                                              double            iy,
                                              GdkModifierType   state);
/* Adds the scissors' path to the draft if one is shown; returns whether it did. */
gboolean limner_canvas_assist_polygon_click  (LimnerCanvas     *self,
                                              GdkModifierType   state);
void     limner_canvas_assist_snapshot       (LimnerCanvas     *self,
                                              GtkSnapshot      *snapshot);

/* limner-canvas-actions.c */
void     limner_canvas_actions_class_init    (GtkWidgetClass   *widget_class);
void     limner_canvas_actions_init          (LimnerCanvas     *self);
/* Zooms about the pointer when it is over the canvas, else the centre. */
void     limner_canvas_zoom_about_centre     (LimnerCanvas     *self,
                                              double            zoom);

G_END_DECLS
