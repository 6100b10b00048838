/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-assist.h: classical computer vision that proposes outlines: the
 * magic wand, box tightening and edge snapping. The intelligent scissors are
 * in limner-livewire.h, contour tracing and simplification in
 * limner-contour.h.
 *
 * The functions taking a LimnerAssistRegion are pure (pixels in, geometry
 * out). Those taking a LimnerTileSource read only a bounded window of one
 * resolution level around the place asked for, never the whole image, and
 * may run on any thread. All coordinates in and out are image pixel space:
 * pixel (i, j) covers [i, i+1) x [j, j+1).
 */
#pragma once

#include <glib.h>

#include "limner-tile-source.h"

G_BEGIN_DECLS

#define LIMNER_ASSIST_ERROR (limner_assist_error_quark ())
GQuark limner_assist_error_quark (void);

typedef enum {
  LIMNER_ASSIST_ERROR_OUTSIDE,  /* a point or box outside the image */
  LIMNER_ASSIST_ERROR_EMPTY,    /* nothing found (e.g. every pixel subtracted) */
  LIMNER_ASSIST_ERROR_INVALID,  /* a bad argument (tolerance, size...) */
} LimnerAssistError;

/* A window of one resolution level: packed RGB, 8 bits per channel
 * (premultiplied when the file has alpha), and where it lies in the image. */
typedef struct {
  int     width;
  int     height;
  guint8 *pixels;   /* width × height × 3 bytes */
  double  x;        /* image coordinates of the window's top-left corner */
  double  y;
  double  scale_x;  /* image pixels per window pixel */
  double  scale_y;
} LimnerAssistRegion;

/* Copies packed RGB pixels (rows of `stride` bytes). */
LimnerAssistRegion *limner_assist_region_new  (int           width,
                                               int           height,
                                               const guint8 *rgb,
                                               int           stride,
                                               double        x,
                                               double        y,
                                               double        scale);
/* Reads the rectangle (x, y, width, height), in pixels of `level`, clipped to
 * the level, through the tile source's tiles. */
LimnerAssistRegion *limner_assist_region_read (LimnerTileSource  *source,
                                               int                level,
                                               int                x,
                                               int                y,
                                               int                width,
                                               int                height,
                                               GError           **error);
void                limner_assist_region_free (LimnerAssistRegion *region);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerAssistRegion, limner_assist_region_free)

/* Luminance (0–255) as floats, Gaussian-blurred by `sigma` window pixels
 * (none when sigma <= 0), one float per pixel, rows of width floats. */
float   *limner_assist_region_grey (const LimnerAssistRegion *region,
                                    double                    sigma);

/* --- Magic wand ------------------------------------------------------------
 *
 * A flood fill from the seed pixel over the 4-connected pixels whose colour
 * is within `tolerance` of the seed's colour. Tolerance is the largest
 * difference in any one of the R, G and B channels (0–255) after a light
 * blur that keeps sensor noise from breaking the region up: 0 takes only
 * the seed's exact colour, 255 everything. Seeds add to the region or cut
 * out of it (each with its own fill); the result is the outer outline
 * (holes ignored) of the part that contains the first adding seed,
 * simplified so that no traced corner is farther than `simplify` image
 * pixels from it. */
#define LIMNER_WAND_DEFAULT_TOLERANCE 40
#define LIMNER_WAND_DEFAULT_SIMPLIFY  1.0

typedef enum {
  LIMNER_WAND_ADD,
  LIMNER_WAND_SUBTRACT,
} LimnerWandOp;

typedef struct {
  double       x;  /* image coordinates */
  double       y;
  LimnerWandOp op;
} LimnerWandSeed;

/* The wand's mask over `region` (one byte per pixel, 1 = inside, rows of
 * region->width bytes), before tracing. `touches_edge` (may be NULL) tells
 * whether the region reached a side of the window that is not a side of the
 * image (`image_width` × `image_height`), so a bigger window would see
 * more. */
guint8  *limner_assist_wand_mask   (const LimnerAssistRegion *region,
                                    const LimnerWandSeed     *seeds,
                                    guint                     n_seeds,
                                    int                       tolerance,
                                    int                       image_width,
                                    int                       image_height,
                                    gboolean                 *touches_edge,
                                    GError                  **error);
/* The outline, as a polygon (x/y pairs of double) in image coordinates. */
GArray  *limner_assist_wand_region (const LimnerAssistRegion *region,
                                    const LimnerWandSeed     *seeds,
                                    guint                     n_seeds,
                                    int                       tolerance,
                                    double                    simplify,
                                    GError                  **error);
/* The same on an image: a window of `level` around the seeds (about 512
 * level pixels), moved to coarser levels while the region reaches its
 * sides (and at the coarsest grown up to 2048): a large object is outlined
 * at a coarser level, for a bounded cost per click. */
GArray  *limner_assist_wand        (LimnerTileSource         *source,
                                    int                       level,
                                    const LimnerWandSeed     *seeds,
                                    guint                     n_seeds,
                                    int                       tolerance,
                                    double                    simplify,
                                    GError                  **error);

/* --- Box tightening --------------------------------------------------------
 *
 * Moves each side of a rough box (x0, y0, x1, y1) to the strongest nearby
 * object edge: the outermost edge, by Sobel magnitude summed along the side,
 * within a margin of 20 % of the box's size (at least 8 px) inside or
 * outside the side. A side with no clear edge there stays where it was. */
gboolean limner_assist_tighten_region (const LimnerAssistRegion *region,
                                       const double              box[4],
                                       double                    out[4],
                                       GError                  **error);
/* The same on an image, at the finest level where the box and its margins
 * fit in 1024 × 1024 level pixels. */
gboolean limner_assist_tighten        (LimnerTileSource         *source,
                                       const double              box[4],
                                       double                    out[4],
                                       GError                  **error);

/* --- Edge snapping -------------------------------------------------------
 *
 * The centre of the pixel with the strongest edge (Sobel magnitude, largest
 * over R, G and B) within `radius` image pixels of (x, y), nearest first
 * among equals; (x, y) itself when no edge there reaches
 * LIMNER_SNAP_MIN_EDGE, which a step of about 15 grey levels does and
 * ordinary sensor noise does not. Returns whether it snapped. */
#define LIMNER_SNAP_MIN_EDGE 60.0

gboolean limner_assist_snap_region (const LimnerAssistRegion *region,
                                    double                    x,
                                    double                    y,
                                    double                    radius,
                                    double                   *out_x,
                                    double                   *out_y);
gboolean limner_assist_snap        (LimnerTileSource         *source,
                                    int                       level,
                                    double                    x,
                                    double                    y,
                                    double                    radius,
                                    double                   *out_x,
                                    double                   *out_y,
                                    GError                  **error);

G_END_DECLS
