/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-overlay.h: rasterises a document's shapes into pixels.
 *
 * The canvas caches these pixels as textures, one per 256 px overlay tile,
 * and re-renders a tile only when the zoom changes or a shape over it does;
 * so this runs rarely, but when it runs it must be quick even with tens of
 * thousands of polygons. Cairo's general stroker costs several milliseconds
 * per thousand polygons on modest machines, so this file has a small
 * rasteriser of its own: non-antialiased scanline fills (under the outline,
 * their edges never show) and antialiased outlines of fixed width.
 * Predictions (source "prediction") are outlined dashed, with their score
 * written at their top-left corner in a built-in digit font: text through a
 * font engine would cost more than the shape itself.
 *
 * No GTK here: the overlay benchmark links this file headless.
 */
#pragma once

#include <glib.h>

#include "limner-document.h"

G_BEGIN_DECLS

/* A reviewer's mark, for the annotator of a rejected image: a marked shape
 * is outlined in a warning colour, a point mark is a pin; both carry the
 * mark's kind as a small label. */
typedef struct {
  gint64      shape_id;  /* 0 for a point mark */
  LimnerRect  bbox;      /* the marked shape's bounding box (image pixels) */
  double      x;         /* a point mark (image pixels) */
  double      y;
  const char *text;      /* the label: the mark's kind, translated */
} LimnerOverlayMark;

typedef struct {
  double      line_width;   /* outline width in device pixels */
  double      fill_alpha;   /* 0..1, opacity of the interior */
  guint32     default_rgb;  /* 0xRRGGBB for shapes without a known label */
  GHashTable *label_rgb;    /* gint64 * label id -> GUINT_TO_POINTER (0xRRGGBB), or NULL */
  gint64      exclude_id;   /* a shape not to draw (the selection, drawn live), or 0 */
  const LimnerOverlayMark *marks; /* review marks drawn over the shapes, or NULL */
  guint       n_marks;
} LimnerOverlayStyle;

/* The part of the zoomed image to render: device pixel (x, y) of the target
 * shows image point ((x + 0.5) / zoom, ...) offset by `x0`, `y0` (device
 * pixels of the zoomed image at the target's top-left corner). */
typedef struct {
  double zoom;   /* device pixels per image pixel */
  double x0;
  double y0;
  int    width;
  int    height;
} LimnerOverlayArea;

/* Clears the `area` target (premultiplied ARGB32 as cairo and
 * GDK_MEMORY_DEFAULT use, `stride` in bytes) and draws every visible shape of
 * `document` that meets it, then the style's marks. Returns how many shapes
 * were drawn (1 for marks alone; 0 = nothing to show). */
guint limner_canvas_overlay_render (LimnerDocument           *document,
                                    const LimnerOverlayStyle *style,
                                    const LimnerOverlayArea  *area,
                                    guint8                   *pixels,
                                    int                       stride);

/* The visible shapes of `document` that can reach `area`, bottom first,
 * without the excluded one (borrowed pointers, valid until the document
 * changes). */
GPtrArray *limner_canvas_overlay_collect (LimnerDocument           *document,
                                          const LimnerOverlayStyle *style,
                                          const LimnerOverlayArea  *area);
/* limner_canvas_overlay_render() on shapes collected beforehand. Reads
 * nothing but its arguments, so it may run on any thread. */
guint limner_canvas_overlay_render_shapes (const LimnerShape * const *shapes,
                                           guint                      n_shapes,
                                           const LimnerOverlayStyle  *style,
                                           const LimnerOverlayArea   *area,
                                           guint8                    *pixels,
                                           int                        stride);
/* Renders `n_areas` targets (all with the same stride) at once, spread over
 * the processors; returns when all are done. n_drawn[i] is what
 * limner_canvas_overlay_render() would return for area i. The document
 * must not change meanwhile (call it from the thread that owns it). */
void  limner_canvas_overlay_render_many (LimnerDocument           *document,
                                         const LimnerOverlayStyle *style,
                                         const LimnerOverlayArea  *areas,
                                         guint                     n_areas,
                                         guint8                  **pixels,
                                         int                       stride,
                                         guint                    *n_drawn);

/* The colour of a label from its "#rrggbb" text; `fallback` if unparsable. */
guint32 limner_canvas_overlay_parse_rgb (const char *color,
                                         guint32     fallback);

G_END_DECLS
