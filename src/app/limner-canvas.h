/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas.h: the annotation canvas.
 *
 * Shows an image through a LimnerTileSource (tiles cached as textures, coarse
 * levels filling holes while fine tiles arrive) and the shapes of a
 * LimnerDocument (rasterised into cached overlay tiles; the selection, its
 * handles and the shape being drawn are drawn live on top), and edits them
 * with the select, box, polygon and magic wand tools. Every edit is a
 * command on the document, so undo, redo and autosave follow.
 *
 * Implements GtkScrollable: put it in a GtkScrolledWindow for scrollbars.
 *
 * Keys (when the canvas has the focus): V / Escape select, B box, P polygon,
 * W magic wand ([ and ] or the wheel change its tolerance while it proposes;
 * Shift+click adds, Ctrl+click subtracts; Enter accepts), T tightens the
 * selected box, Shift while drawing a polygon follows the edges (scissors),
 * Alt turns vertex snapping off, 1–9 (or a label's own hotkey) label,
 * Delete, Backspace, Enter, Tab (next shape under the pointer), H / L hide /
 * lock, Shift+H show all, arrows move the selection, Ctrl+Z / Ctrl+Shift+Z /
 * Ctrl+Y, Ctrl+C / Ctrl+V, Ctrl+0 fit, Ctrl+1 100%, + / − zoom. Space +
 * drag or middle drag pans; the wheel zooms about the pointer.
 */
#pragma once

#include <gtk/gtk.h>

#include "limner-canvas-overlay.h"
#include "limner-document.h"
#include "limner-store.h"
#include "limner-tile-source.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_CANVAS_TOOL_SELECT,
  LIMNER_CANVAS_TOOL_BOX,
  LIMNER_CANVAS_TOOL_POLYGON,
  LIMNER_CANVAS_TOOL_WAND,
} LimnerCanvasTool;

#define LIMNER_TYPE_CANVAS_TOOL (limner_canvas_tool_get_type ())
GType limner_canvas_tool_get_type (void) G_GNUC_CONST;

#define LIMNER_TYPE_CANVAS (limner_canvas_get_type ())
G_DECLARE_FINAL_TYPE (LimnerCanvas, limner_canvas, LIMNER, CANVAS, GtkWidget)

GtkWidget        *limner_canvas_new               (void);

/* The image. NULL clears it. Fits the image to the view. */
void              limner_canvas_set_source        (LimnerCanvas     *self,
                                                   LimnerTileSource *source);
LimnerTileSource *limner_canvas_get_source        (LimnerCanvas     *self);
/* The shapes. NULL clears them. */
void              limner_canvas_set_document      (LimnerCanvas     *self,
                                                   LimnerDocument   *document);
LimnerDocument   *limner_canvas_get_document      (LimnerCanvas     *self);
/* The label schema (LimnerLabel *, by position): colours, keys 1–9 and
 * hotkeys. Copied. */
void              limner_canvas_set_labels        (LimnerCanvas     *self,
                                                   GPtrArray        *labels);

void              limner_canvas_set_tool          (LimnerCanvas     *self,
                                                   LimnerCanvasTool  tool);
LimnerCanvasTool  limner_canvas_get_tool          (LimnerCanvas     *self);
/* The label of the next shape drawn (0 = none). */
void              limner_canvas_set_current_label (LimnerCanvas     *self,
                                                   gint64            label_id);
gint64            limner_canvas_get_current_label (LimnerCanvas     *self);
/* Sets the current label, and the selected shape's label if there is one. */
void              limner_canvas_apply_label       (LimnerCanvas     *self,
                                                   gint64            label_id);
/* 0 when nothing is selected. */
void              limner_canvas_set_selected_shape (LimnerCanvas    *self,
                                                    gint64           shape_id);
gint64            limner_canvas_get_selected_shape (LimnerCanvas    *self);
/* TRUE while a polygon is being drawn. */
gboolean          limner_canvas_get_drawing       (LimnerCanvas     *self);

/* The magic wand's colour tolerance (0–255). */
int               limner_canvas_get_wand_tolerance (LimnerCanvas    *self);
void              limner_canvas_set_wand_tolerance (LimnerCanvas    *self,
                                                    int              tolerance);
/* The outline the wand proposes (image x/y pairs of double), or NULL. A new
 * click clears it until its outline arrives; a tolerance change, Shift+click
 * or Ctrl+click keeps the previous one shown meanwhile. */
const GArray     *limner_canvas_get_wand_proposal  (LimnerCanvas    *self);
/* The intelligent scissors' path from the polygon's last vertex towards
 * the pointer (image x/y pairs of double), or NULL while none is shown. */
const GArray     *limner_canvas_get_scissors_path  (LimnerCanvas    *self);
/* The polygon being drawn (image x/y pairs of double), empty when none. */
const GArray     *limner_canvas_get_draft          (LimnerCanvas    *self);

/* Zoom is screen (logical) pixels per image pixel. */
double            limner_canvas_get_zoom          (LimnerCanvas     *self);
/* Zooms keeping the image point under widget point (x, y) in place. */
void              limner_canvas_zoom_at           (LimnerCanvas     *self,
                                                   double            zoom,
                                                   double            x,
                                                   double            y);
void              limner_canvas_zoom_fit          (LimnerCanvas     *self);
void              limner_canvas_zoom_one_to_one   (LimnerCanvas     *self);
void              limner_canvas_zoom_in           (LimnerCanvas     *self);
void              limner_canvas_zoom_out          (LimnerCanvas     *self);
/* Scrolls so that image point (ix, iy) is at widget point (x, y). */
void              limner_canvas_scroll_to         (LimnerCanvas     *self,
                                                   double            ix,
                                                   double            iy,
                                                   double            x,
                                                   double            y);
void              limner_canvas_widget_to_image   (LimnerCanvas     *self,
                                                   double            x,
                                                   double            y,
                                                   double           *ix,
                                                   double           *iy);
void              limner_canvas_image_to_widget   (LimnerCanvas     *self,
                                                   double            ix,
                                                   double            iy,
                                                   double           *x,
                                                   double           *y);

/* A rejected image's review marks, drawn over the shapes (copied; none
 * clears them). They stay until replaced: whoever sets them follows the
 * document. */
void              limner_canvas_set_review_marks  (LimnerCanvas            *self,
                                                   const LimnerOverlayMark *marks,
                                                   guint                    n_marks);
guint             limner_canvas_get_n_review_marks (LimnerCanvas           *self);

/* Display only: brightness in -1..1 (0 = unchanged), contrast in 0..4
 * (1 = unchanged). */
void              limner_canvas_set_brightness    (LimnerCanvas     *self,
                                                   double            brightness);
double            limner_canvas_get_brightness    (LimnerCanvas     *self);
void              limner_canvas_set_contrast      (LimnerCanvas     *self,
                                                   double            contrast);
double            limner_canvas_get_contrast      (LimnerCanvas     *self);

/* TRUE when the last frame showed every visible tile at the right level and
 * the overlay was up to date (for tests and benchmarks). */
gboolean          limner_canvas_is_complete       (LimnerCanvas     *self);
/* How many overlay tiles the last frame rendered (for tests and benchmarks). */
guint             limner_canvas_get_n_overlay_rendered (LimnerCanvas *self);

/* Pointer input in widget coordinates, as the canvas' event controller
 * delivers it; tests call these to drive the tools like a pointer. */
void              limner_canvas_pointer_press     (LimnerCanvas     *self,
                                                   guint             button,
                                                   int               n_press,
                                                   double            x,
                                                   double            y,
                                                   GdkModifierType   state);
void              limner_canvas_pointer_motion    (LimnerCanvas     *self,
                                                   double            x,
                                                   double            y,
                                                   GdkModifierType   state);
void              limner_canvas_pointer_release   (LimnerCanvas     *self,
                                                   guint             button,
                                                   double            x,
                                                   double            y,
                                                   GdkModifierType   state);

G_END_DECLS
