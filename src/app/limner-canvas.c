/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-canvas-overlay.h"
#include "limner-canvas-private.h"

#define MAX_IMAGE_TILES 384
#define MAX_OVERLAY_TILES 320
#define OVERLAY_TILE LIMNER_CANVAS_TILE_BUFFER_SIZE
#define OVERLAY_TILE_BYTES LIMNER_CANVAS_TILE_BUFFER_BYTES
/* Overlay tiles rendered per frame stop after this long; the rest come in
 * the next frames while the previous zoom's tiles, scaled, stand in. */
#define OVERLAY_BUDGET_US 10000
/* Tiles rendered together (over all processors) between budget checks. */
#define OVERLAY_BATCH 8
#define MAX_ZOOM 64.0

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_DOCUMENT,
  PROP_TOOL,
  PROP_CURRENT_LABEL,
  PROP_SELECTED_SHAPE,
  PROP_DRAWING,
  PROP_ZOOM,
  PROP_BRIGHTNESS,
  PROP_CONTRAST,
  PROP_WAND_TOLERANCE,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum {
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (LimnerCanvasTool, limner_canvas_tool,
                    G_DEFINE_ENUM_VALUE (LIMNER_CANVAS_TOOL_SELECT, "select"),
                    G_DEFINE_ENUM_VALUE (LIMNER_CANVAS_TOOL_BOX, "box"),
                    G_DEFINE_ENUM_VALUE (LIMNER_CANVAS_TOOL_POLYGON, "polygon"),
                    G_DEFINE_ENUM_VALUE (LIMNER_CANVAS_TOOL_WAND, "wand"))

G_DEFINE_FINAL_TYPE_WITH_CODE (LimnerCanvas, limner_canvas, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static void configure_adjustments (LimnerCanvas *self,
                                   double        hvalue,
                                   double        vvalue);

/* --- Geometry -------------------------------------------------------------- */

static void
get_image_size (LimnerCanvas *self,
                double       *width,
                double       *height)
{
  if (self->source != NULL)
    {
      *width = limner_tile_source_get_width (self->source);
      *height = limner_tile_source_get_height (self->source);
    }
  else if (self->document != NULL)
    {
      *width = limner_document_get_width (self->document);
      *height = limner_document_get_height (self->document);
    }
  else
    *width = *height = 0;
}

static int
get_scale (LimnerCanvas *self)
{
  return MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

double
limner_canvas_get_device_zoom (LimnerCanvas *self)
{
  return self->zoom * get_scale (self);
}

/* Rounds a widget length to whole device pixels, so that tiles and the
 * overlay land exactly on the pixel grid (no seams, no blur). */
static double
snap (LimnerCanvas *self,
      double        v)
{
  int scale = get_scale (self);

  return round (v * scale) / scale;
}

/* Where the image's left and top edges are when it is smaller than the
 * widget: centred. */
static void
get_padding (LimnerCanvas *self,
             double       *pad_x,
             double       *pad_y)
{
  double w, h;

  get_image_size (self, &w, &h);
  *pad_x = floor (MAX (0, (gtk_widget_get_width (GTK_WIDGET (self)) - w * self->zoom) / 2) *
                  get_scale (self)) / get_scale (self);
  *pad_y = floor (MAX (0, (gtk_widget_get_height (GTK_WIDGET (self)) - h * self->zoom) / 2) *
                  get_scale (self)) / get_scale (self);
}

void
limner_canvas_get_scroll (LimnerCanvas *self,
                          double       *hvalue,
                          double       *vvalue)
{
  *hvalue = gtk_adjustment_get_value (self->hadjustment);
  *vvalue = gtk_adjustment_get_value (self->vadjustment);
}

void
limner_canvas_widget_to_image (LimnerCanvas *self,
                               double        x,
                               double        y,
                               double       *ix,
                               double       *iy)
{
  double pad_x, pad_y, h, v;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  get_padding (self, &pad_x, &pad_y);
  limner_canvas_get_scroll (self, &h, &v);
  if (ix)
    *ix = (x + h - pad_x) / self->zoom;
  if (iy)
    *iy = (y + v - pad_y) / self->zoom;
}

void
limner_canvas_image_to_widget (LimnerCanvas *self,
                               double        ix,
                               double        iy,
                               double       *x,
                               double       *y)
{
  double pad_x, pad_y, h, v;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  get_padding (self, &pad_x, &pad_y);
  limner_canvas_get_scroll (self, &h, &v);
  if (x)
    *x = ix * self->zoom - h + pad_x;
  if (y)
    *y = iy * self->zoom - v + pad_y;
}

static double
get_fit_zoom (LimnerCanvas *self)
{
  double w, h;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  get_image_size (self, &w, &h);
  if (w <= 0 || h <= 0 || width <= 0 || height <= 0)
    return 1.0;
  return MIN (width / w, height / h);
}

static double
clamp_zoom (LimnerCanvas *self,
            double        zoom)
{
  /* Down to half of the smaller of fit and 100% (one image pixel per
   * device pixel). */
  double min_zoom = MIN (get_fit_zoom (self), 1.0 / get_scale (self)) / 2;

  return CLAMP (zoom, min_zoom, MAX_ZOOM);
}

/* --- Scrolling ------------------------------------------------------------- */

static void
configure_adjustments (LimnerCanvas *self,
                       double        hvalue,
                       double        vvalue)
{
  double w, h;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double upper_x, upper_y;

  get_image_size (self, &w, &h);
  upper_x = MAX (w * self->zoom, width);
  upper_y = MAX (h * self->zoom, height);
  hvalue = snap (self, CLAMP (hvalue, 0, upper_x - width));
  vvalue = snap (self, CLAMP (vvalue, 0, upper_y - height));

  self->configuring = TRUE;
  gtk_adjustment_configure (self->hadjustment, hvalue, 0, upper_x,
                            width * 0.1, width * 0.9, width);
  gtk_adjustment_configure (self->vadjustment, vvalue, 0, upper_y,
                            height * 0.1, height * 0.9, height);
  self->configuring = FALSE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             LimnerCanvas  *self)
{
  double value = gtk_adjustment_get_value (adjustment);
  double snapped = snap (self, value);

  if (self->configuring)
    return;
  /* Scrollbars move in fractions of a pixel; tiles must not. */
  if (snapped != value)
    {
      self->configuring = TRUE;
      gtk_adjustment_set_value (adjustment, snapped);
      self->configuring = FALSE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (LimnerCanvas   *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                GParamSpec     *pspec)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed",
                    G_CALLBACK (on_adjustment_value_changed), self);
  if (self->hadjustment != NULL && self->vadjustment != NULL)
    configure_adjustments (self, gtk_adjustment_get_value (self->hadjustment),
                           gtk_adjustment_get_value (self->vadjustment));
}

void
limner_canvas_pan_from (LimnerCanvas *self,
                        double        hvalue,
                        double        vvalue,
                        double        dx,
                        double        dy)
{
  if (self->fit && (dx != 0 || dy != 0))
    self->fit = FALSE;
  configure_adjustments (self, hvalue - dx, vvalue - dy);
}

void
limner_canvas_scroll_to (LimnerCanvas *self,
                         double        ix,
                         double        iy,
                         double        x,
                         double        y)
{
  double w, h, pad_x, pad_y;
  double width, height;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  get_image_size (self, &w, &h);
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  pad_x = MAX (0, (width - w * self->zoom) / 2);
  pad_y = MAX (0, (height - h * self->zoom) / 2);
  configure_adjustments (self, ix * self->zoom + pad_x - x, iy * self->zoom + pad_y - y);
}

/* --- Zoom ------------------------------------------------------------------ */

void
limner_canvas_zoom_at (LimnerCanvas *self,
                       double        zoom,
                       double        x,
                       double        y)
{
  double ix, iy;

  g_return_if_fail (LIMNER_IS_CANVAS (self));

  limner_canvas_widget_to_image (self, x, y, &ix, &iy);
  self->fit = FALSE;
  zoom = clamp_zoom (self, zoom);
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  limner_canvas_scroll_to (self, ix, iy, x, y);
}

void
limner_canvas_zoom_fit (LimnerCanvas *self)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  self->fit = TRUE;
  self->zoom = get_fit_zoom (self);
  configure_adjustments (self, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

double
limner_canvas_get_zoom (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 1.0);

  return self->zoom;
}

/* --- Image tiles ----------------------------------------------------------- */

static void
on_tile_ready (LimnerTileSource *source,
               LimnerTile       *tile,
               LimnerCanvas     *self)
{
  g_autoptr(GdkTexture) texture = NULL;

  texture = gdk_memory_texture_new (tile->width, tile->height,
                                    GDK_MEMORY_R8G8B8A8_PREMULTIPLIED,
                                    tile->pixels, tile->stride);
  limner_canvas_tile_cache_insert (self->tiles,
                                   limner_canvas_tile_key (tile->level, tile->tx, tile->ty),
                                   texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_tile_failed (LimnerTileSource *source,
                int               level,
                int               tx,
                int               ty,
                const char       *message,
                LimnerCanvas     *self)
{
  guint64 *key = g_new (guint64, 1);
  gboolean first = g_hash_table_size (self->failed_tiles) == 0;

  *key = limner_canvas_tile_key (level, tx, ty);
  g_hash_table_add (self->failed_tiles, key);
  g_debug ("%s", message);
  if (first)
    limner_canvas_show_message (self, message);
}

typedef struct {
  int tx0;
  int ty0;
  int tx1;
  int ty1;
} TileRange;

/* Tiles of `level` that meet the image rectangle (x0, y0)-(x1, y1). */
static gboolean
get_tile_range (LimnerTileSource *source,
                int               level,
                double            x0,
                double            y0,
                double            x1,
                double            y1,
                TileRange        *range)
{
  int level_w, level_h, n_x, n_y;
  double dsx, dsy, span_x, span_y;

  limner_tile_source_get_level_size (source, level, &level_w, &level_h);
  limner_tile_source_get_n_tiles (source, level, &n_x, &n_y);
  dsx = (double) limner_tile_source_get_width (source) / level_w;
  dsy = (double) limner_tile_source_get_height (source) / level_h;
  span_x = LIMNER_TILE_SIZE * dsx;
  span_y = LIMNER_TILE_SIZE * dsy;

  range->tx0 = MAX (0, (int) floor (x0 / span_x));
  range->ty0 = MAX (0, (int) floor (y0 / span_y));
  range->tx1 = MIN (n_x - 1, (int) ceil (x1 / span_x) - 1);
  range->ty1 = MIN (n_y - 1, (int) ceil (y1 / span_y) - 1);
  return range->tx0 <= range->tx1 && range->ty0 <= range->ty1;
}

/* The widget rectangle of an image rectangle, on device pixel edges. */
static graphene_rect_t
image_rect_to_widget (LimnerCanvas *self,
                      double        x,
                      double        y,
                      double        w,
                      double        h)
{
  double x0, y0, x1, y1;

  limner_canvas_image_to_widget (self, x, y, &x0, &y0);
  limner_canvas_image_to_widget (self, x + w, y + h, &x1, &y1);
  x0 = snap (self, x0);
  y0 = snap (self, y0);
  x1 = snap (self, x1);
  y1 = snap (self, y1);
  return GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0);
}

static void
draw_tile (LimnerCanvas *self,
           GtkSnapshot  *snapshot,
           GdkTexture   *texture,
           int           level,
           int           tx,
           int           ty)
{
  double x, y, w, h;
  graphene_rect_t rect;

  limner_tile_source_get_tile_rect (self->source, level, tx, ty, &x, &y, &w, &h);
  rect = image_rect_to_widget (self, x, y, w, h);
  /* GTK scales the texture to the rectangle (there is no
   * gtk_snapshot_append_scaled_texture before GTK 4.10). */
  gtk_snapshot_append_texture (snapshot, texture, &rect);
}

/* Paints what coarser levels have over a missing tile, coarsest first. */
static void
draw_fill (LimnerCanvas *self,
           GtkSnapshot  *snapshot,
           int           level,
           int           tx,
           int           ty)
{
  int n_levels = limner_tile_source_get_n_levels (self->source);
  double x, y, w, h;
  graphene_rect_t clip;
  gboolean clipped = FALSE;

  limner_tile_source_get_tile_rect (self->source, level, tx, ty, &x, &y, &w, &h);
  for (int l = n_levels - 1; l > level; l--)
    {
      TileRange range;

      if (!get_tile_range (self->source, l, x, y, x + w, y + h, &range))
        continue;
      for (int cy = range.ty0; cy <= range.ty1; cy++)
        for (int cx = range.tx0; cx <= range.tx1; cx++)
          {
            GdkTexture *texture = NULL;

            if (!limner_canvas_tile_cache_lookup (self->tiles,
                                                  limner_canvas_tile_key (l, cx, cy), &texture) ||
                texture == NULL)
              continue;
            if (!clipped)
              {
                clip = image_rect_to_widget (self, x, y, w, h);
                gtk_snapshot_push_clip (snapshot, &clip);
                clipped = TRUE;
              }
            draw_tile (self, snapshot, texture, l, cx, cy);
          }
    }
  if (clipped)
    gtk_snapshot_pop (snapshot);
}

static gboolean
has_color_adjustment (LimnerCanvas *self)
{
  return self->brightness != 0 || self->contrast != 1;
}

static void
push_color_adjustment (LimnerCanvas *self,
                       GtkSnapshot  *snapshot)
{
  graphene_matrix_t matrix;
  graphene_vec4_t offset;
  float c = self->contrast;
  float o = 0.5f - 0.5f * c + (float) self->brightness;

  /* out = (in - 0.5) * contrast + 0.5 + brightness, per colour channel. */
  graphene_matrix_init_from_float (&matrix, (float[16]) {
                                     c, 0, 0, 0,
                                     0, c, 0, 0,
                                     0, 0, c, 0,
                                     0, 0, 0, 1 });
  graphene_vec4_init (&offset, o, o, o, 0);
  gtk_snapshot_push_color_matrix (snapshot, &matrix, &offset);
}

static gboolean
snapshot_image (LimnerCanvas *self,
                GtkSnapshot  *snapshot,
                double        ix0,
                double        iy0,
                double        ix1,
                double        iy1)
{
  int level = limner_tile_source_choose_level_for_zoom (self->source,
                                                        limner_canvas_get_device_zoom (self));
  int coarsest = limner_tile_source_get_n_levels (self->source) - 1;
  gboolean complete = TRUE;
  TileRange visible, wanted, coarse;
  double margin;
  guint round_key;
  double cx, cy;

  if (!get_tile_range (self->source, level, ix0, iy0, ix1, iy1, &visible))
    return TRUE;

  /* A new view starts a new round of requests: tiles asked for before and
   * no longer wanted are cancelled or dropped by the source. */
  round_key = g_int_hash (&level) ^ (visible.tx0 * 73856093u) ^ (visible.ty0 * 19349663u) ^
              (visible.tx1 * 83492791u) ^ (visible.ty1 * 2654435761u);
  if (round_key != self->request_round_key)
    {
      self->request_round_key = round_key;
      limner_tile_source_begin_requests (self->source);
    }

  /* The whole image at the coarsest level first: it fills every hole. */
  get_tile_range (self->source, coarsest, ix0, iy0, ix1, iy1, &coarse);
  for (int ty = coarse.ty0; ty <= coarse.ty1; ty++)
    for (int tx = coarse.tx0; tx <= coarse.tx1; tx++)
      {
        guint64 key = limner_canvas_tile_key (coarsest, tx, ty);

        if (!limner_canvas_tile_cache_contains (self->tiles, key) &&
            !g_hash_table_contains (self->failed_tiles, &key))
          limner_tile_source_request (self->source, coarsest, tx, ty, -1);
      }

  /* Visible tiles from the centre out, then a ring around them, so a
   * short pan finds its tiles ready. */
  margin = LIMNER_TILE_SIZE * limner_tile_source_get_level_downsample (self->source, level);
  get_tile_range (self->source, level, ix0 - margin, iy0 - margin, ix1 + margin, iy1 + margin,
                  &wanted);
  cx = (visible.tx0 + visible.tx1) / 2.0;
  cy = (visible.ty0 + visible.ty1) / 2.0;

  if (has_color_adjustment (self))
    push_color_adjustment (self, snapshot);

  for (int ty = wanted.ty0; ty <= wanted.ty1; ty++)
    for (int tx = wanted.tx0; tx <= wanted.tx1; tx++)
      {
        guint64 key = limner_canvas_tile_key (level, tx, ty);
        gboolean in_view = tx >= visible.tx0 && tx <= visible.tx1 &&
                           ty >= visible.ty0 && ty <= visible.ty1;
        GdkTexture *texture = NULL;

        if (limner_canvas_tile_cache_lookup (self->tiles, key, &texture))
          {
            if (in_view && texture != NULL)
              draw_tile (self, snapshot, texture, level, tx, ty);
            continue;
          }

        if (!g_hash_table_contains (self->failed_tiles, &key))
          {
            int priority = (int) (fabs (tx - cx) + fabs (ty - cy)) + (in_view ? 0 : 1000);

            limner_tile_source_request (self->source, level, tx, ty, priority);
          }
        if (in_view)
          {
            complete = FALSE;
            draw_fill (self, snapshot, level, tx, ty);
          }
      }

  if (has_color_adjustment (self))
    gtk_snapshot_pop (snapshot);

  /* Never evict what this frame needs. */
  {
    guint needed = (wanted.tx1 - wanted.tx0 + 1) * (wanted.ty1 - wanted.ty0 + 1) +
                   (coarse.tx1 - coarse.tx0 + 1) * (coarse.ty1 - coarse.ty0 + 1);

    if (limner_canvas_tile_cache_get_max (self->tiles) < 2 * needed)
      limner_canvas_tile_cache_set_max (self->tiles, MAX (MAX_IMAGE_TILES, 2 * needed));
  }

  return complete;
}

/* --- Overlay tiles --------------------------------------------------------- */

static void
drop_overlay (LimnerCanvas *self)
{
  limner_canvas_tile_cache_clear (self->overlay);
  limner_canvas_tile_cache_clear (self->overlay_stale);
  g_hash_table_remove_all (self->overlay_dirty);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint32
limner_canvas_get_label_rgb (LimnerCanvas *self,
                             gint64        label_id)
{
  gpointer value;

  if (label_id != 0 && g_hash_table_lookup_extended (self->label_rgb, &label_id, NULL, &value))
    return GPOINTER_TO_UINT (value);
  /* Unlabelled shapes: a yellow that shows on most photos. */
  return 0xffcc00;
}

static void
get_overlay_style (LimnerCanvas       *self,
                   LimnerOverlayStyle *style)
{
  style->line_width = 2.0 * get_scale (self);
  style->fill_alpha = 0.18;
  style->default_rgb = limner_canvas_get_label_rgb (self, 0);
  style->label_rgb = self->label_rgb;
  style->exclude_id = self->selected_id;
  style->marks = self->marks != NULL ? (const LimnerOverlayMark *) self->marks->data : NULL;
  style->n_marks = self->marks != NULL ? self->marks->len : 0;
}

/* For the parts of the canvas in other files. */
void
limner_canvas_drop_overlay (LimnerCanvas *self)
{
  drop_overlay (self);
}

void
limner_canvas_invalidate_overlay (LimnerCanvas     *self,
                                  const LimnerRect *rect)
{
  double zoom = self->overlay_zoom;
  double margin = 2.0 * get_scale (self) + 2;
  int tx0, ty0, tx1, ty1;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* The previous zoom's tiles no longer show the truth. */
  limner_canvas_tile_cache_clear (self->overlay_stale);

  if (rect == NULL || limner_rect_is_empty (rect) || zoom <= 0)
    return;

  tx0 = (int) floor ((rect->x0 * zoom - margin) / OVERLAY_TILE);
  ty0 = (int) floor ((rect->y0 * zoom - margin) / OVERLAY_TILE);
  tx1 = (int) floor ((rect->x1 * zoom + margin) / OVERLAY_TILE);
  ty1 = (int) floor ((rect->y1 * zoom + margin) / OVERLAY_TILE);
  for (int ty = MAX (ty0, 0); ty <= ty1; ty++)
    for (int tx = MAX (tx0, 0); tx <= tx1; tx++)
      {
        guint64 key = limner_canvas_tile_key (0, tx, ty);

        if (limner_canvas_tile_cache_contains (self->overlay, key))
          g_hash_table_add (self->overlay_dirty, g_memdup2 (&key, sizeof key));
      }
}

void
limner_canvas_invalidate_shape (LimnerCanvas *self,
                                gint64        shape_id)
{
  const LimnerShape *shape;
  LimnerRect bbox;

  if (self->document == NULL || shape_id == 0)
    return;
  shape = limner_document_get_shape (self->document, shape_id);
  if (shape == NULL)
    return;
  bbox = limner_shape_bbox (shape);
  limner_canvas_invalidate_overlay (self, &bbox);
}

/* Renders overlay tiles (tx[i], ty[i]) of the current grid, spread over the
 * processors, and caches them. */
static void
render_overlay_tiles (LimnerCanvas *self,
                      const int    *tx,
                      const int    *ty,
                      guint         n)
{
  LimnerOverlayStyle style;
  g_autofree LimnerOverlayArea *areas = g_new (LimnerOverlayArea, n);
  g_autofree guint8 **pixels = g_new (guint8 *, n);
  g_autofree guint *n_drawn = g_new0 (guint, n);

  get_overlay_style (self, &style);
  for (guint i = 0; i < n; i++)
    {
      areas[i].zoom = self->overlay_zoom;
      areas[i].x0 = tx[i] * OVERLAY_TILE;
      areas[i].y0 = ty[i] * OVERLAY_TILE;
      areas[i].width = OVERLAY_TILE;
      areas[i].height = OVERLAY_TILE;
      pixels[i] = limner_canvas_tile_buffer_take ();
    }

  limner_canvas_overlay_render_many (self->document, &style, areas, n, pixels,
                                     OVERLAY_TILE * 4, n_drawn);

  for (guint i = 0; i < n; i++)
    {
      guint64 key = limner_canvas_tile_key (0, tx[i], ty[i]);
      g_autoptr(GdkTexture) texture = NULL;

      if (n_drawn[i] > 0)
        {
          g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (pixels[i], OVERLAY_TILE_BYTES,
                                                                limner_canvas_tile_buffer_give_back,
                                                                pixels[i]);

          texture = gdk_memory_texture_new (OVERLAY_TILE, OVERLAY_TILE, GDK_MEMORY_DEFAULT,
                                            bytes, OVERLAY_TILE * 4);
        }
      else
        limner_canvas_tile_buffer_give_back (pixels[i]);
      /* An empty tile is cached too, as "nothing to draw". */
      limner_canvas_tile_cache_insert (self->overlay, key, texture);
      g_hash_table_remove (self->overlay_dirty, &key);
    }
}

/* Overlay tile (tx, ty) of the grid at device zoom `zoom`, in widget space.
 * Device pixel (0, 0) of the grid is image point (0, 0). */
static graphene_rect_t
overlay_tile_rect (LimnerCanvas *self,
                   double        zoom,
                   int           tx,
                   int           ty)
{
  double size = OVERLAY_TILE * self->zoom / zoom;
  double x0, y0;

  limner_canvas_image_to_widget (self, 0, 0, &x0, &y0);
  return GRAPHENE_RECT_INIT (x0 + tx * size, y0 + ty * size, size, size);
}

static void
draw_stale_overlay (LimnerCanvas          *self,
                    GtkSnapshot           *snapshot,
                    const graphene_rect_t *clip)
{
  double zoom = self->overlay_stale_zoom;
  double x0, y0, size;
  int tx0, ty0, tx1, ty1;

  if (zoom <= 0 || limner_canvas_tile_cache_get_size (self->overlay_stale) == 0)
    return;

  limner_canvas_image_to_widget (self, 0, 0, &x0, &y0);
  size = OVERLAY_TILE * self->zoom / zoom;
  tx0 = (int) floor ((clip->origin.x - x0) / size);
  ty0 = (int) floor ((clip->origin.y - y0) / size);
  tx1 = (int) floor ((clip->origin.x + clip->size.width - x0) / size);
  ty1 = (int) floor ((clip->origin.y + clip->size.height - y0) / size);

  gtk_snapshot_push_clip (snapshot, clip);
  for (int ty = MAX (ty0, 0); ty <= ty1; ty++)
    for (int tx = MAX (tx0, 0); tx <= tx1; tx++)
      {
        GdkTexture *texture = NULL;

        if (limner_canvas_tile_cache_lookup (self->overlay_stale,
                                             limner_canvas_tile_key (0, tx, ty), &texture) &&
            texture != NULL)
          {
            graphene_rect_t rect = overlay_tile_rect (self, zoom, tx, ty);

            gtk_snapshot_append_texture (snapshot, texture, &rect);
          }
      }
  gtk_snapshot_pop (snapshot);
}

static gboolean
on_redraw_idle (gpointer data)
{
  LimnerCanvas *self = data;

  self->redraw_idle = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static gboolean
snapshot_overlay (LimnerCanvas *self,
                  GtkSnapshot  *snapshot,
                  double        ix0,
                  double        iy0,
                  double        ix1,
                  double        iy1)
{
  double zoom = limner_canvas_get_device_zoom (self);
  gint64 start = g_get_monotonic_time ();
  gboolean complete = TRUE;
  gboolean zoomed = zoom != self->overlay_zoom;
  int tx0, ty0, tx1, ty1;

  if (zoomed)
    {
      /* Keep the most complete old grid as the stand-in. */
      if (limner_canvas_tile_cache_get_size (self->overlay) >=
          limner_canvas_tile_cache_get_size (self->overlay_stale))
        {
          LimnerCanvasTileCache *tmp = self->overlay_stale;

          self->overlay_stale = self->overlay;
          self->overlay = tmp;
          self->overlay_stale_zoom = self->overlay_zoom;
        }
      limner_canvas_tile_cache_clear (self->overlay);
      g_hash_table_remove_all (self->overlay_dirty);
      self->overlay_zoom = zoom;
    }

  tx0 = MAX (0, (int) floor (ix0 * zoom / OVERLAY_TILE));
  ty0 = MAX (0, (int) floor (iy0 * zoom / OVERLAY_TILE));
  tx1 = (int) floor ((ix1 * zoom - 1) / OVERLAY_TILE);
  ty1 = (int) floor ((iy1 * zoom - 1) / OVERLAY_TILE);
  if ((guint) ((tx1 - tx0 + 1) * (ty1 - ty0 + 1)) * 2 > limner_canvas_tile_cache_get_max (self->overlay))
    {
      limner_canvas_tile_cache_set_max (self->overlay, (tx1 - tx0 + 1) * (ty1 - ty0 + 1) * 2);
      limner_canvas_tile_cache_set_max (self->overlay_stale, (tx1 - tx0 + 1) * (ty1 - ty0 + 1) * 2);
    }

  /* What needs rendering: edited tiles (few, always redone at once so an
   * edit never shows stale), then missing ones while the budget lasts. */
  {
    guint n_cols = tx1 - tx0 + 1, n_rows = ty1 - ty0 + 1;
    g_autofree int *todo_x = g_new (int, n_cols * n_rows);
    g_autofree int *todo_y = g_new (int, n_cols * n_rows);
    guint n_dirty = 0, n_todo = 0, done = 0;

    for (int pass = 0; pass < 2; pass++)
      for (int ty = ty0; ty <= ty1; ty++)
        for (int tx = tx0; tx <= tx1; tx++)
          {
            guint64 key = limner_canvas_tile_key (0, tx, ty);
            gboolean have = limner_canvas_tile_cache_contains (self->overlay, key);
            gboolean dirty = have && g_hash_table_contains (self->overlay_dirty, &key);

            if ((pass == 0 && dirty) || (pass == 1 && !have))
              {
                todo_x[n_todo] = tx;
                todo_y[n_todo] = ty;
                n_todo++;
              }
            if (pass == 0 && dirty)
              n_dirty++;
          }

    if (n_dirty > 0)
      {
        render_overlay_tiles (self, todo_x, todo_y, n_dirty);
        done = n_dirty;
      }
    /* The first frame after a zoom shows the old grid scaled and nothing
     * else: even one batch of new tiles, with thousands of shapes, held
     * the zoom off the screen for a tenth of a second or more. */
    if (zoomed && limner_canvas_tile_cache_get_size (self->overlay_stale) > 0)
      n_todo = done;
    while (done < n_todo && g_get_monotonic_time () - start < OVERLAY_BUDGET_US)
      {
        guint batch = MIN (n_todo - done, OVERLAY_BATCH);

        render_overlay_tiles (self, todo_x + done, todo_y + done, batch);
        done += batch;
      }
    self->n_overlay_rendered = done;
  }

  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++)
      {
        GdkTexture *texture = NULL;
        graphene_rect_t rect = overlay_tile_rect (self, zoom, tx, ty);

        if (limner_canvas_tile_cache_lookup (self->overlay, limner_canvas_tile_key (0, tx, ty),
                                             &texture))
          {
            if (texture != NULL)
              gtk_snapshot_append_texture (snapshot, texture, &rect);
          }
        else
          {
            complete = FALSE;
            draw_stale_overlay (self, snapshot, &rect);
          }
      }

  if (!complete && self->redraw_idle == 0)
    self->redraw_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_redraw_idle, self, NULL);

  return complete;
}

/* --- GtkWidget ------------------------------------------------------------- */

static void
limner_canvas_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double w, h, ix0, iy0, ix1, iy1;
  gboolean complete = TRUE;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.16, 0.16, 0.17, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));

  get_image_size (self, &w, &h);
  if (w <= 0 || h <= 0 || width <= 0 || height <= 0)
    {
      self->complete = TRUE;
      return;
    }

  /* The visible part of the image, in image pixels. */
  limner_canvas_widget_to_image (self, 0, 0, &ix0, &iy0);
  limner_canvas_widget_to_image (self, width, height, &ix1, &iy1);
  ix0 = MAX (ix0, 0);
  iy0 = MAX (iy0, 0);
  ix1 = MIN (ix1, w);
  iy1 = MIN (iy1, h);

  if (ix0 < ix1 && iy0 < iy1)
    {
      if (self->source != NULL)
        complete &= snapshot_image (self, snapshot, ix0, iy0, ix1, iy1);
      if (self->document != NULL)
        complete &= snapshot_overlay (self, snapshot, ix0, iy0, ix1, iy1);
    }

  limner_canvas_tools_snapshot (self, snapshot);
  limner_canvas_assist_snapshot (self, snapshot);
  self->complete = complete;
}

static gboolean
notify_zoom_later (gpointer data)
{
  LimnerCanvas *self = data;

  self->zoom_notify_idle = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  return G_SOURCE_REMOVE;
}

static void
limner_canvas_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  LimnerCanvas *self = LIMNER_CANVAS (widget);

  if (self->fit)
    {
      double zoom = get_fit_zoom (self);

      if (zoom != self->zoom)
        {
          self->zoom = zoom;
          /* Not now: a handler that relabels a widget would queue a resize
           * in the middle of this layout. */
          if (self->zoom_notify_idle == 0)
            self->zoom_notify_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, notify_zoom_later,
                                                      self, NULL);
        }
    }
  configure_adjustments (self, gtk_adjustment_get_value (self->hadjustment),
                         gtk_adjustment_get_value (self->vadjustment));
}

static void
limner_canvas_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
on_scale_factor_changed (LimnerCanvas *self,
                         GParamSpec   *pspec,
                         gpointer      user_data)
{
  drop_overlay (self);
}

/* --- Sources and documents ------------------------------------------------- */

static void
disconnect_source (LimnerCanvas *self)
{
  if (self->source == NULL)
    return;
  g_clear_signal_handler (&self->tile_ready_handler, self->source);
  g_clear_signal_handler (&self->tile_failed_handler, self->source);
  limner_tile_source_cancel_all (self->source);
  g_clear_object (&self->source);
}

void
limner_canvas_set_source (LimnerCanvas     *self,
                          LimnerTileSource *source)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));
  g_return_if_fail (source == NULL || LIMNER_IS_TILE_SOURCE (source));

  if (self->source == source)
    return;

  disconnect_source (self);
  limner_canvas_assist_reset (self);
  limner_canvas_tile_cache_clear (self->tiles);
  limner_canvas_tile_cache_set_max (self->tiles, MAX_IMAGE_TILES);
  g_hash_table_remove_all (self->failed_tiles);
  self->request_round_key = 0;

  if (source != NULL)
    {
      self->source = g_object_ref (source);
      self->tile_ready_handler = g_signal_connect (source, "tile-ready",
                                                   G_CALLBACK (on_tile_ready), self);
      self->tile_failed_handler = g_signal_connect (source, "tile-failed",
                                                    G_CALLBACK (on_tile_failed), self);
    }

  limner_canvas_zoom_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

LimnerTileSource *
limner_canvas_get_source (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), NULL);

  return self->source;
}

static void
on_document_changed (LimnerDocument *document,
                     LimnerRect     *area,
                     LimnerCanvas   *self)
{
  limner_canvas_invalidate_overlay (self, area);
}

static void
on_document_shape_removed (LimnerDocument *document,
                           gint64          shape_id,
                           LimnerCanvas   *self)
{
  limner_canvas_tools_shape_removed (self, shape_id);
}

void
limner_canvas_set_document (LimnerCanvas   *self,
                            LimnerDocument *document)
{
  gboolean refit;

  g_return_if_fail (LIMNER_IS_CANVAS (self));
  g_return_if_fail (document == NULL || LIMNER_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  limner_canvas_tools_reset (self);
  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->document_changed_handler, self->document);
      g_clear_signal_handler (&self->document_removed_handler, self->document);
      g_clear_object (&self->document);
    }
  /* Without an image, the document gives the size. */
  refit = self->source == NULL;

  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->document_changed_handler =
        g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
      self->document_removed_handler =
        g_signal_connect (document, "shape-removed", G_CALLBACK (on_document_shape_removed), self);
    }

  self->paste_count = 0;
  drop_overlay (self);
  if (refit)
    limner_canvas_zoom_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

LimnerDocument *
limner_canvas_get_document (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), NULL);

  return self->document;
}

void
limner_canvas_set_labels (LimnerCanvas *self,
                          GPtrArray    *labels)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  g_ptr_array_set_size (self->labels, 0);
  g_hash_table_remove_all (self->label_rgb);
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);
      LimnerLabel *copy = g_new0 (LimnerLabel, 1);

      copy->id = label->id;
      copy->name = g_strdup (label->name);
      copy->color = g_strdup (label->color);
      copy->hotkey = g_strdup (label->hotkey);
      copy->guide = g_strdup (label->guide);
      copy->position = label->position;
      g_ptr_array_add (self->labels, copy);
      g_hash_table_insert (self->label_rgb, g_memdup2 (&label->id, sizeof label->id),
                           GUINT_TO_POINTER (limner_canvas_overlay_parse_rgb (label->color,
                                                                              0xffcc00)));
    }
  drop_overlay (self);
}

/* --- Display adjustments --------------------------------------------------- */

void
limner_canvas_set_brightness (LimnerCanvas *self,
                              double        brightness)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  brightness = CLAMP (brightness, -1.0, 1.0);
  if (brightness == self->brightness)
    return;
  self->brightness = brightness;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRIGHTNESS]);
}

double
limner_canvas_get_brightness (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 0);

  return self->brightness;
}

void
limner_canvas_set_contrast (LimnerCanvas *self,
                            double        contrast)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  contrast = CLAMP (contrast, 0.0, 4.0);
  if (contrast == self->contrast)
    return;
  self->contrast = contrast;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTRAST]);
}

double
limner_canvas_get_contrast (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 1);

  return self->contrast;
}

guint
limner_canvas_get_n_overlay_rendered (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 0);

  return self->n_overlay_rendered;
}

gboolean
limner_canvas_is_complete (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), FALSE);

  return self->complete;
}

void
limner_canvas_show_message (LimnerCanvas *self,
                            const char   *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

void
limner_canvas_notify (LimnerCanvas *self,
                      const char   *property)
{
  g_object_notify (G_OBJECT (self), property);
}

/* --- GObject --------------------------------------------------------------- */

static void
limner_canvas_dispose (GObject *object)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);

  g_clear_handle_id (&self->redraw_idle, g_source_remove);
  g_clear_handle_id (&self->zoom_notify_idle, g_source_remove);
  disconnect_source (self);
  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->document_changed_handler, self->document);
      g_clear_signal_handler (&self->document_removed_handler, self->document);
      g_clear_object (&self->document);
    }
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (limner_canvas_parent_class)->dispose (object);
}

static void
limner_canvas_finalize (GObject *object)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);

  g_clear_pointer (&self->tiles, limner_canvas_tile_cache_free);
  g_clear_pointer (&self->overlay, limner_canvas_tile_cache_free);
  g_clear_pointer (&self->overlay_stale, limner_canvas_tile_cache_free);
  g_clear_pointer (&self->overlay_dirty, g_hash_table_unref);
  g_clear_pointer (&self->failed_tiles, g_hash_table_unref);
  g_clear_pointer (&self->label_rgb, g_hash_table_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->preview, limner_shape_free);
  g_clear_pointer (&self->draft, g_array_unref);
  limner_canvas_assist_finalize (self);

  G_OBJECT_CLASS (limner_canvas_parent_class)->finalize (object);
}

static void
limner_canvas_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;
    case PROP_CURRENT_LABEL:
      g_value_set_int64 (value, self->current_label);
      break;
    case PROP_SELECTED_SHAPE:
      g_value_set_int64 (value, self->selected_id);
      break;
    case PROP_DRAWING:
      g_value_set_boolean (value, limner_canvas_get_drawing (self));
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_BRIGHTNESS:
      g_value_set_double (value, self->brightness);
      break;
    case PROP_CONTRAST:
      g_value_set_double (value, self->contrast);
      break;
    case PROP_WAND_TOLERANCE:
      g_value_set_int (value, self->wand_tolerance);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_canvas_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      limner_canvas_set_source (self, g_value_get_object (value));
      break;
    case PROP_DOCUMENT:
      limner_canvas_set_document (self, g_value_get_object (value));
      break;
    case PROP_TOOL:
      limner_canvas_set_tool (self, g_value_get_enum (value));
      break;
    case PROP_CURRENT_LABEL:
      limner_canvas_set_current_label (self, g_value_get_int64 (value));
      break;
    case PROP_SELECTED_SHAPE:
      limner_canvas_set_selected_shape (self, g_value_get_int64 (value));
      break;
    case PROP_ZOOM:
      limner_canvas_zoom_about_centre (self, g_value_get_double (value));
      break;
    case PROP_BRIGHTNESS:
      limner_canvas_set_brightness (self, g_value_get_double (value));
      break;
    case PROP_CONTRAST:
      limner_canvas_set_contrast (self, g_value_get_double (value));
      break;
    case PROP_WAND_TOLERANCE:
      limner_canvas_set_wand_tolerance (self, g_value_get_int (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), pspec);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), pspec);
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_canvas_class_init (LimnerCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_canvas_dispose;
  object_class->finalize = limner_canvas_finalize;
  object_class->get_property = limner_canvas_get_property;
  object_class->set_property = limner_canvas_set_property;

  widget_class->snapshot = limner_canvas_snapshot;
  widget_class->size_allocate = limner_canvas_size_allocate;
  widget_class->measure = limner_canvas_measure;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, LIMNER_TYPE_TILE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, LIMNER_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_enum ("tool", NULL, NULL, LIMNER_TYPE_CANVAS_TOOL, LIMNER_CANVAS_TOOL_SELECT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_LABEL] =
    g_param_spec_int64 ("current-label", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_SHAPE] =
    g_param_spec_int64 ("selected-shape", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAWING] =
    g_param_spec_boolean ("drawing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MAX_ZOOM, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRIGHTNESS] =
    g_param_spec_double ("brightness", NULL, NULL, -1, 1, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTRAST] =
    g_param_spec_double ("contrast", NULL, NULL, 0, 4, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAND_TOLERANCE] =
    g_param_spec_int ("wand-tolerance", NULL, NULL, 0, 255, LIMNER_WAND_DEFAULT_TOLERANCE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* A message for the user, e.g. why an edit was refused. */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  limner_canvas_actions_class_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "limner-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
limner_canvas_init (LimnerCanvas *self)
{
  self->zoom = 1.0;
  self->contrast = 1.0;
  self->fit = TRUE;
  self->complete = TRUE;
  self->tiles = limner_canvas_tile_cache_new (MAX_IMAGE_TILES);
  self->overlay = limner_canvas_tile_cache_new (MAX_OVERLAY_TILES);
  self->overlay_stale = limner_canvas_tile_cache_new (MAX_OVERLAY_TILES);
  self->overlay_dirty = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->failed_tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->label_rgb = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_label_free);

  set_adjustment (self, &self->hadjustment, NULL, NULL);
  set_adjustment (self, &self->vadjustment, NULL, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  limner_canvas_tools_init (self);
  limner_canvas_assist_init (self);
  limner_canvas_actions_init (self);
}

GtkWidget *
limner_canvas_new (void)
{
  return g_object_new (LIMNER_TYPE_CANVAS, NULL);
}
