/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-canvas-overlay.h"

#define PREFETCH_AHEAD 4

/* Scratch arrays grow once and are reused for every shape: appending
 * through GArray costs a call per element, which dominated small shapes. */
typedef struct {
  double *data;
  gsize   len;
  gsize   size;
} Buffer;

typedef struct {
  guint32 *pixels;
  int      width;
  int      height;
  int      stride;      /* in pixels */
  Buffer   points;      /* the current shape, x/y in target pixels */
  Buffer   crossings;   /* x where edges cross row centres, grouped by row */
  int     *row_counts;  /* per row of the current polygon */
  gsize    row_counts_size;
  gint64   last_label;  /* one-entry colour cache: shapes come in runs */
  guint32  last_rgb;
} Target;

static void
buffer_reserve (Buffer *b,
                gsize   n)
{
  if (n <= b->size)
    return;
  b->size = MAX (n, b->size * 2);
  b->data = g_renew (double, b->data, b->size);
}

static inline int
floor_int (double x)
{
  int i = (int) x;

  return i - (x < i);
}

static inline int
ceil_int (double x)
{
  int i = (int) x;

  return i + (x > i);
}

/* x * a / 255 on the four channels of a premultiplied pixel at once. */
static inline guint32
mul_pixel (guint32 x,
           guint   a)
{
  guint32 rb = (x & 0xff00ff) * a + 0x800080;
  guint32 ag = ((x >> 8) & 0xff00ff) * a + 0x800080;

  rb = ((rb + ((rb >> 8) & 0xff00ff)) >> 8) & 0xff00ff;
  ag = (ag + ((ag >> 8) & 0xff00ff)) & 0xff00ff00;
  return rb | ag;
}

/* The same on two pixels packed in 64 bits. */
static inline guint64
mul_pixel2 (guint64 x,
            guint   a)
{
  const guint64 mask = G_GUINT64_CONSTANT (0x00ff00ff00ff00ff);
  const guint64 half = G_GUINT64_CONSTANT (0x0080008000800080);
  guint64 rb = (x & mask) * a + half;
  guint64 ag = ((x >> 8) & mask) * a + half;

  rb = ((rb + ((rb >> 8) & mask)) >> 8) & mask;
  ag = (ag + ((ag >> 8) & mask)) & ~mask;
  return rb | ag;
}

/* Source-over of `color` (premultiplied) at coverage `cov` (0..255). */
static inline void
blend (guint32 *dst,
       guint32  color,
       guint    cov)
{
  guint32 src = cov >= 255 ? color : mul_pixel (color, cov);
  guint src_alpha = src >> 24;

  *dst = src + (src_alpha == 255 ? 0 : mul_pixel (*dst, 255 - src_alpha));
}

static guint32
premultiply (guint32 rgb,
             double  alpha)
{
  guint a = (guint) CLAMP (lround (alpha * 255), 0, 255);

  return mul_pixel (0xff000000 | rgb, a);
}

guint32
limner_canvas_overlay_parse_rgb (const char *color,
                                 guint32     fallback)
{
  guint64 value;
  char *end = NULL;

  if (color == NULL || color[0] != '#' || strlen (color) != 7)
    return fallback;
  value = g_ascii_strtoull (color + 1, &end, 16);
  if (end == NULL || *end != '\0')
    return fallback;
  return (guint32) value & 0xffffff;
}

static void
fill_span (Target  *t,
           int      row,
           int      from,
           int      to,
           guint32  color)
{
  guint32 *p = t->pixels + (gsize) row * t->stride;
  guint alpha = color >> 24;
  guint inverse = 255 - alpha;
  int i;

  from = MAX (from, 0);
  to = MIN (to, t->width);
  if (from >= to)
    return;

  if (alpha == 255)
    {
      for (i = from; i < to; i++)
        p[i] = color;
      return;
    }

  /* Two pixels per step; memcpy keeps the unaligned access legal. */
  i = from;
  {
    guint64 color2 = ((guint64) color << 32) | color;

    for (; i + 1 < to; i += 2)
      {
        guint64 pair;

        memcpy (&pair, p + i, sizeof pair);
        pair = color2 + mul_pixel2 (pair, inverse);
        memcpy (p + i, &pair, sizeof pair);
      }
  }
  if (i < to)
    p[i] = color + mul_pixel (p[i], inverse);
}

/* Even-odd scanline fill sampled at pixel centres, like the geometry
 * module's point-in-polygon rule. The crossings of each row are bucketed by
 * row (counting sort), so the work is proportional to the polygon's height
 * plus its vertices, not their product. */
static void
fill_polygon (Target       *t,
              const double *pts,
              guint         n,
              guint32       color)
{
  double ymin = G_MAXDOUBLE, ymax = -G_MAXDOUBLE;
  int row0, row1, n_rows;
  int *counts;
  double *xs;
  int total = 0;

  for (guint i = 0; i < n; i++)
    {
      ymin = MIN (ymin, pts[2 * i + 1]);
      ymax = MAX (ymax, pts[2 * i + 1]);
    }
  row0 = MAX (0, ceil_int (ymin - 0.5));
  row1 = MIN (t->height - 1, ceil_int (ymax - 0.5) - 1);
  if (row1 < row0)
    return;
  n_rows = row1 - row0 + 1;

  if ((gsize) n_rows + 2 > t->row_counts_size)
    {
      t->row_counts_size = MAX ((gsize) n_rows + 2, t->row_counts_size * 2);
      t->row_counts = g_renew (int, t->row_counts, t->row_counts_size);
    }
  counts = t->row_counts;
  memset (counts, 0, sizeof (int) * (n_rows + 2));

  /* Pass 1: how many crossings each row has (a difference array). */
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double ay = pts[2 * j + 1], by = pts[2 * i + 1];
      int a, b;

      if (ay == by)
        continue;
      a = MAX (row0, ceil_int (MIN (ay, by) - 0.5));
      b = MIN (row1, ceil_int (MAX (ay, by) - 0.5) - 1);
      if (a > b)
        continue;
      counts[a - row0 + 1]++;
      counts[b - row0 + 2]--;
      total += b - a + 1;
    }
  if (total < 2)
    return;
  for (int r = 1; r <= n_rows; r++)
    counts[r] += counts[r - 1];
  /* counts[r + 1] is now the number of crossings in row r; make counts[r]
   * the start of row r. */
  counts[0] = 0;
  for (int r = 1; r <= n_rows; r++)
    counts[r] += counts[r - 1];

  buffer_reserve (&t->crossings, total);
  xs = t->crossings.data;

  /* Pass 2: the crossings, straight into their rows. */
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double ax = pts[2 * j], ay = pts[2 * j + 1];
      double bx = pts[2 * i], by = pts[2 * i + 1];
      double slope, x;
      int a, b;

      if (ay == by)
        continue;
      if (ay > by)
        {
          double tmp;

          tmp = ax; ax = bx; bx = tmp;
          tmp = ay; ay = by; by = tmp;
        }
      a = MAX (row0, ceil_int (ay - 0.5));
      b = MIN (row1, ceil_int (by - 0.5) - 1);
      if (a > b)
        continue;
      slope = (bx - ax) / (by - ay);
      x = ax + (a + 0.5 - ay) * slope;
      for (int row = a; row <= b; row++, x += slope)
        xs[counts[row - row0]++] = x;
    }

  /* counts[r] now ends row r; row r starts where row r - 1 ended. */
  for (int r = 0, start = 0; r < n_rows; r++)
    {
      int end = counts[r];

      /* Insertion sort: rows of ordinary polygons have two crossings. */
      for (int k = start + 1; k < end; k++)
        {
          double v = xs[k];
          int m = k - 1;

          while (m >= start && xs[m] > v)
            {
              xs[m + 1] = xs[m];
              m--;
            }
          xs[m + 1] = v;
        }
      for (int k = start; k + 1 < end; k += 2)
        {
          double from = CLAMP (xs[k] - 0.5, -1.0, t->width + 1.0);
          double to = CLAMP (xs[k + 1] - 0.5, -1.0, t->width + 1.0);

          fill_span (t, row0 + r, ceil_int (from), ceil_int (to), color);
        }
      start = end;
    }
}

/* Liang-Barsky: clips the segment to [xmin, xmax] x [ymin, ymax]. */
static gboolean
clip_segment (double *x0, double *y0, double *x1, double *y1,
              double  xmin, double ymin, double xmax, double ymax)
{
  double dx = *x1 - *x0, dy = *y1 - *y0;
  double t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *x0 - xmin, xmax - *x0, *y0 - ymin, ymax - *y0 };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      {
        double r = q[i] / p[i];

        if (p[i] < 0)
          {
            if (r > t1)
              return FALSE;
            t0 = MAX (t0, r);
          }
        else
          {
            if (r < t0)
              return FALSE;
            t1 = MIN (t1, r);
          }
      }
    }

  *x1 = *x0 + t1 * dx;
  *y1 = *y0 + t1 * dy;
  *x0 = *x0 + t0 * dx;
  *y0 = *y0 + t0 * dy;
  return TRUE;
}

/* Blends `color` at coverage `cov` (0..256) into the pixel at minor
 * coordinate `j` of the current column, if it is inside the target. */
static inline void
plot (guint32 *column,
      int      minor_step,
      int      minor_size,
      int      j,
      guint32  color,
      int      cov)
{
  guint32 *p;

  if (cov <= 0 || j < 0 || j >= minor_size)
    return;
  p = column + (gssize) j * minor_step;
  if (cov >= 256 && (color >> 24) == 255)
    *p = color;
  else
    blend (p, color, (guint) (cov - (cov >> 8)));
}

/* An antialiased line `width` pixels thick, without caps: for each column
 * (or row, for steep lines) the coverage of each pixel is its overlap with
 * the band around the centre line, scaled by how much of the column the
 * segment spans. Coverage is in 1/256 of a pixel, integer arithmetic in
 * the inner loop. Shared vertices of a polygon blend twice, which only
 * shows as a slightly denser dot on translucent outlines. */
static void
draw_line (Target  *t,
           double   x0,
           double   y0,
           double   x1,
           double   y1,
           double   width,
           guint32  color)
{
  double margin = width + 2;
  gboolean steep = fabs (y1 - y0) > fabs (x1 - x0);
  int major_size, minor_size, major_step, minor_step;
  double slope, half, yc;
  int first, last;

  /* Most segments lie inside the target; only the others need clipping. */
  if (MIN (x0, x1) < -margin || MIN (y0, y1) < -margin ||
      MAX (x0, x1) > t->width + margin || MAX (y0, y1) > t->height + margin)
    {
      if (!clip_segment (&x0, &y0, &x1, &y1, -margin, -margin,
                         t->width + margin, t->height + margin))
        return;
    }

  if (steep)
    {
      double tmp;

      tmp = x0; x0 = y0; y0 = tmp;
      tmp = x1; x1 = y1; y1 = tmp;
      major_size = t->height;
      minor_size = t->width;
      major_step = t->stride;
      minor_step = 1;
    }
  else
    {
      major_size = t->width;
      minor_size = t->height;
      major_step = 1;
      minor_step = t->stride;
    }
  if (x0 > x1)
    {
      double tmp;

      tmp = x0; x0 = x1; x1 = tmp;
      tmp = y0; y0 = y1; y1 = tmp;
    }

  slope = x1 > x0 ? (y1 - y0) / (x1 - x0) : 0;
  /* |slope| <= 1 here, so the band reaches w/2 to w/sqrt(2) each side. */
  half = 0.5 * width * sqrt (1 + slope * slope);

  /* A segment shorter than a pixel still shows as a dot. */
  if (x1 - x0 < 1e-6)
    {
      x0 -= 0.5;
      x1 += 0.5;
    }

  first = MAX (0, floor_int (x0));
  last = MIN (major_size - 1, floor_int (x1));
  yc = y0 + (first + 0.5 - x0) * slope;
  for (int i = first; i <= last; i++, yc += slope)
    {
      guint32 *column = t->pixels + (gssize) i * major_step;
      int span = 256;
      double centre = yc;
      int top, bottom, row_top, row_bottom;

      /* End columns: only the part of the column the segment covers. */
      if (i < x0 || i + 1 > x1)
        {
          double a = MAX (x0, (double) i), b = MIN (x1, i + 1.0);

          if (b <= a)
            continue;
          span = (int) ((b - a) * 256 + 0.5);
          centre = y0 + ((a + b) * 0.5 - x0) * slope;
        }

      top = floor_int ((centre - half) * 256);
      bottom = floor_int ((centre + half) * 256);
      row_top = top >> 8;
      row_bottom = bottom >> 8;

      if (row_top == row_bottom)
        {
          plot (column, minor_step, minor_size, row_top, color, ((bottom - top) * span) >> 8);
          continue;
        }
      plot (column, minor_step, minor_size, row_top, color, ((256 - (top & 255)) * span) >> 8);
      for (int j = MAX (row_top + 1, 0); j < MIN (row_bottom, minor_size); j++)
        plot (column, minor_step, minor_size, j, color, span);
      plot (column, minor_step, minor_size, row_bottom, color, ((bottom & 255) * span) >> 8);
    }
}

/* Maps the shape into target pixels, dropping vertices that land within
 * a pixel of the previous one: at low zoom a 20-vertex polygon may cover a
 * dozen pixels and its vertices add nothing but work. */
static guint
project_points (Target                  *t,
                const LimnerShape       *shape,
                const LimnerOverlayArea *area)
{
  const double *src = (const double *) shape->points->data;
  guint n = shape->points->len / 2;
  double last_x = G_MAXDOUBLE, last_y = G_MAXDOUBLE;
  double *dst;
  guint kept = 0;

  buffer_reserve (&t->points, 2 * (gsize) n);
  dst = t->points.data;
  for (guint i = 0; i < n; i++)
    {
      double x = src[2 * i] * area->zoom - area->x0;
      double y = src[2 * i + 1] * area->zoom - area->y0;

      if (kept > 0 && fabs (x - last_x) < 1.0 && fabs (y - last_y) < 1.0)
        continue;
      dst[2 * kept] = x;
      dst[2 * kept + 1] = y;
      last_x = x;
      last_y = y;
      kept++;
    }
  t->points.len = 2 * kept;
  return kept;
}

static guint32
label_rgb (Target                   *t,
           const LimnerOverlayStyle *style,
           gint64                    label_id)
{
  gpointer value;

  if (label_id == 0 || style->label_rgb == NULL)
    return style->default_rgb;
  if (label_id == t->last_label)
    return t->last_rgb;

  t->last_label = label_id;
  if (g_hash_table_lookup_extended (style->label_rgb, &label_id, NULL, &value))
    t->last_rgb = GPOINTER_TO_UINT (value);
  else
    t->last_rgb = style->default_rgb;
  return t->last_rgb;
}

/* draw_line() in dashes, `dash` pixels on and `gap` off from the segment's
 * start: a tile draws the same dashes as its neighbours, since each sees the
 * segment at the same place. Only the dashes inside the target are drawn,
 * so a long edge at high zoom costs what its visible part costs. */
static void
draw_dashed_line (Target  *t,
                  double   x0,
                  double   y0,
                  double   x1,
                  double   y1,
                  double   width,
                  guint32  color)
{
  double margin = width + 2;
  double dx = x1 - x0, dy = y1 - y0;
  double length = sqrt (dx * dx + dy * dy);
  double dash = 4 * width, period = 7 * width;
  double cx0 = x0, cy0 = y0, cx1 = x1, cy1 = y1;
  double from, to;

  if (length < 1e-6 || period <= 0)
    {
      draw_line (t, x0, y0, x1, y1, width, color);
      return;
    }
  if (!clip_segment (&cx0, &cy0, &cx1, &cy1, -margin, -margin,
                     t->width + margin, t->height + margin))
    return;
  /* Distances along the whole segment of the visible part's ends. */
  from = sqrt ((cx0 - x0) * (cx0 - x0) + (cy0 - y0) * (cy0 - y0));
  to = sqrt ((cx1 - x0) * (cx1 - x0) + (cy1 - y0) * (cy1 - y0));
  for (double d = floor (from / period) * period; d < to; d += period)
    {
      double a = MAX (d, from) / length;
      double b = MIN (d + dash, to) / length;

      if (b > a)
        draw_line (t, x0 + a * dx, y0 + a * dy, x0 + b * dx, y0 + b * dy, width, color);
    }
}

/* Digits and the decimal point, 3 x 5 pixels, one row per 3 bits. */
static const guint16 digit_glyphs[11] = {
  075557, 026227, 071747, 071717, 055711, 074717, 074757, 071111, 075757, 075717,
  000002,
};

#define GLYPH_W 3
#define GLYPH_H 5

/* The score as "0.87", in glyph indices (10 = the point). */
static guint
score_glyphs (double score,
              guint  glyphs[4])
{
  int v = (int) lround (CLAMP (score, 0.0, 1.0) * 100);

  glyphs[0] = v / 100;
  glyphs[1] = 10;
  glyphs[2] = (v / 10) % 10;
  glyphs[3] = v % 10;
  return 4;
}

/* White digits on a dark plate at (x, y), each glyph pixel `k` device
 * pixels wide. Drawn only where the plate fits inside the shape's bounding
 * box (`w` x `h` device pixels), so that every tile the label touches also
 * draws the shape and no label is cut at a tile's edge. */
static void
draw_score (Target *t,
            double  score,
            double  x,
            double  y,
            double  w,
            double  h,
            int     k)
{
  guint glyphs[4];
  guint n = score_glyphs (score, glyphs);
  int plate_w = (int) n * (GLYPH_W + 1) * k + k;
  int plate_h = (GLYPH_H + 2) * k;
  int left = (int) floor (x) + 1, top = (int) floor (y) + 1;

  if (w < plate_w + 2 || h < plate_h + 2)
    return;
  if (left >= t->width || top >= t->height || left + plate_w <= 0 || top + plate_h <= 0)
    return;

  for (int row = MAX (top, 0); row < MIN (top + plate_h, t->height); row++)
    fill_span (t, row, left, left + plate_w, 0xb0000000);
  for (guint g = 0; g < n; g++)
    for (int gy = 0; gy < GLYPH_H; gy++)
      {
        guint bits = (digit_glyphs[glyphs[g]] >> (3 * (GLYPH_H - 1 - gy))) & 7;

        for (int gx = 0; gx < GLYPH_W; gx++)
          {
            int px = left + k + ((int) g * (GLYPH_W + 1) + gx) * k;
            int py = top + k + gy * k;

            if (!(bits & (4 >> gx)))
              continue;
            for (int row = MAX (py, 0); row < MIN (py + k, t->height); row++)
              fill_span (t, row, px, px + k, 0xffffffff);
          }
      }
}

/* The outline of `shape`, and its interior when `fill` has alpha. */
static void
paint_shape (Target                  *t,
             const LimnerShape       *shape,
             const LimnerOverlayArea *area,
             double                   width,
             guint32                  outline,
             guint32                  fill,
             gboolean                 dashed,
             LimnerRect              *bounds)
{
  void (*line) (Target *, double, double, double, double, double, guint32) =
    dashed ? draw_dashed_line : draw_line;

  if (shape->kind == LIMNER_SHAPE_BOX && shape->points->len >= 4)
    {
      const double *p = (const double *) shape->points->data;
      double x0 = MIN (p[0], p[2]) * area->zoom - area->x0;
      double y0 = MIN (p[1], p[3]) * area->zoom - area->y0;
      double x1 = MAX (p[0], p[2]) * area->zoom - area->x0;
      double y1 = MAX (p[1], p[3]) * area->zoom - area->y0;

      if (fill >> 24)
        {
          int row0 = MAX (0, ceil_int (y0 - 0.5));
          int row1 = MIN (t->height - 1, ceil_int (y1 - 0.5) - 1);
          int col0 = ceil_int (CLAMP (x0 - 0.5, -1.0, t->width + 1.0));
          int col1 = ceil_int (CLAMP (x1 - 0.5, -1.0, t->width + 1.0));

          for (int row = row0; row <= row1; row++)
            fill_span (t, row, col0, col1, fill);
        }
      line (t, x0, y0, x1, y0, width, outline);
      line (t, x1, y0, x1, y1, width, outline);
      line (t, x1, y1, x0, y1, width, outline);
      line (t, x0, y1, x0, y0, width, outline);
      *bounds = (LimnerRect) { x0, y0, x1, y1 };
      return;
    }

  {
    guint n = project_points (t, shape, area);
    const double *pts = t->points.data;

    *bounds = (LimnerRect) { 0, 0, 0, 0 };
    if (n == 0)
      return;
    if (n >= 3 && (fill >> 24))
      fill_polygon (t, pts, n, fill);
    if (n == 1)
      {
        draw_line (t, pts[0], pts[1], pts[0], pts[1], width, outline);
        return;
      }
    *bounds = (LimnerRect) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
    for (guint i = 0, j = n - 1; i < n; j = i++)
      {
        line (t, pts[2 * j], pts[2 * j + 1], pts[2 * i], pts[2 * i + 1], width, outline);
        bounds->x0 = MIN (bounds->x0, pts[2 * i]);
        bounds->y0 = MIN (bounds->y0, pts[2 * i + 1]);
        bounds->x1 = MAX (bounds->x1, pts[2 * i]);
        bounds->y1 = MAX (bounds->y1, pts[2 * i + 1]);
      }
  }
}

static void
draw_shape (Target                   *t,
            const LimnerShape        *shape,
            const LimnerOverlayStyle *style,
            const LimnerOverlayArea  *area)
{
  guint32 rgb = label_rgb (t, style, shape->label_id);
  gboolean prediction = shape->source == LIMNER_SOURCE_PREDICTION;
  guint32 outline, fill;
  LimnerRect bounds;

  /* Predictions are suggestions: drawn lighter and dashed, so accepted
   * work stands out. */
  outline = prediction ? premultiply (rgb, 0.8) : 0xff000000 | rgb;
  fill = premultiply (rgb, prediction ? style->fill_alpha / 2 : style->fill_alpha);

  paint_shape (t, shape, area, style->line_width, outline, fill, prediction, &bounds);
  if (prediction)
    draw_score (t, shape->score, bounds.x0, bounds.y0, bounds.x1 - bounds.x0,
                bounds.y1 - bounds.y0, MAX (2, (int) lround (style->line_width)));
}

#define MARK_RGB 0xe66100

/* The review marks: marked shapes outlined again in the warning colour,
 * then each mark's label (and pin) through cairo, which is fine for the
 * few marks a review has. Labels sit just above the shape, pins at their
 * point; both are placed from the mark, not from the shapes this tile
 * collected, so that neighbouring tiles agree. */
static void
draw_marks (Target                    *t,
            const LimnerShape * const *shapes,
            guint                      n_shapes,
            const LimnerOverlayStyle  *style,
            const LimnerOverlayArea   *area)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double k = MAX (1.0, style->line_width / 2);
  LimnerRect bounds;

  for (guint i = 0; i < n_shapes; i++)
    for (guint m = 0; m < style->n_marks; m++)
      if (style->marks[m].shape_id != 0 && style->marks[m].shape_id == shapes[i]->id)
        paint_shape (t, shapes[i], area, 2 * style->line_width, 0xff000000 | MARK_RGB, 0,
                     FALSE, &bounds);

  surface = cairo_image_surface_create_for_data ((unsigned char *) t->pixels, CAIRO_FORMAT_ARGB32,
                                                 t->width, t->height, t->stride * 4);
  cr = cairo_create (surface);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11 * k);
  for (guint m = 0; m < style->n_marks; m++)
    {
      const LimnerOverlayMark *mark = &style->marks[m];
      cairo_text_extents_t extents;
      double x, y;

      if (mark->shape_id != 0)
        {
          x = mark->bbox.x0 * area->zoom - area->x0;
          y = mark->bbox.y0 * area->zoom - area->y0 - 2 * style->line_width;
        }
      else
        {
          /* A pin: a head on a short stem whose tip is the point. */
          double px = mark->x * area->zoom - area->x0;
          double py = mark->y * area->zoom - area->y0;

          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 3 * k);
          cairo_move_to (cr, px, py);
          cairo_line_to (cr, px, py - 12 * k);
          cairo_stroke (cr);
          cairo_set_source_rgb (cr, ((MARK_RGB >> 16) & 255) / 255.0, ((MARK_RGB >> 8) & 255) / 255.0,
                                (MARK_RGB & 255) / 255.0);
          cairo_set_line_width (cr, 1.5 * k);
          cairo_move_to (cr, px, py);
          cairo_line_to (cr, px, py - 12 * k);
          cairo_stroke (cr);
          cairo_arc (cr, px, py - 15 * k, 5 * k, 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, k);
          cairo_stroke (cr);
          x = px + 7 * k;
          y = py - 15 * k;
        }
      if (mark->text == NULL || mark->text[0] == '\0')
        continue;
      cairo_text_extents (cr, mark->text, &extents);
      if (x + extents.width + 8 * k < 0 || y < -40 * k || x > t->width || y - 16 * k > t->height)
        continue;
      cairo_set_source_rgb (cr, ((MARK_RGB >> 16) & 255) / 255.0, ((MARK_RGB >> 8) & 255) / 255.0,
                            (MARK_RGB & 255) / 255.0);
      cairo_rectangle (cr, x, y - 15 * k, extents.x_advance + 8 * k, 15 * k);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, x + 4 * k, y - 4 * k);
      cairo_show_text (cr, mark->text);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
}

static void
clear_target (const LimnerOverlayArea *area,
              guint8                  *pixels,
              int                      stride)
{
  for (int row = 0; row < area->height; row++)
    memset (pixels + (gsize) row * stride, 0, (gsize) area->width * 4);
}

static gboolean
check_area (const LimnerOverlayStyle *style,
            const LimnerOverlayArea  *area,
            int                       stride)
{
  g_return_val_if_fail (style != NULL && area != NULL, FALSE);
  g_return_val_if_fail (area->zoom > 0 && area->width > 0 && area->height > 0, FALSE);
  g_return_val_if_fail (stride >= area->width * 4 && stride % 4 == 0, FALSE);
  return TRUE;
}

GPtrArray *
limner_canvas_overlay_collect (LimnerDocument           *document,
                               const LimnerOverlayStyle *style,
                               const LimnerOverlayArea  *area)
{
  g_autoptr(GArray) ids = NULL;
  GPtrArray *shapes;
  LimnerRect rect;
  double margin;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (style != NULL && area != NULL && area->zoom > 0, NULL);

  /* Shapes whose outline can reach the target, through the spatial index. */
  margin = (style->line_width + 1) / area->zoom;
  rect.x0 = area->x0 / area->zoom - margin;
  rect.y0 = area->y0 / area->zoom - margin;
  rect.x1 = (area->x0 + area->width) / area->zoom + margin;
  rect.y1 = (area->y0 + area->height) / area->zoom + margin;
  ids = limner_document_query_rect (document, &rect);

  shapes = g_ptr_array_sized_new (ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      const LimnerShape *shape;

      if (id == style->exclude_id)
        continue;
      shape = limner_document_get_shape (document, id);
      if (shape == NULL || shape->points == NULL || shape->points->len < 2)
        continue;
      /* Shapes live all over the heap: start fetching now. */
      __builtin_prefetch (shape->points);
      g_ptr_array_add (shapes, (gpointer) shape);
    }
  return shapes;
}

guint
limner_canvas_overlay_render_shapes (const LimnerShape * const *shapes,
                                     guint                      n_shapes,
                                     const LimnerOverlayStyle  *style,
                                     const LimnerOverlayArea   *area,
                                     guint8                    *pixels,
                                     int                        stride)
{
  Target target = { 0 };

  g_return_val_if_fail (pixels != NULL, 0);
  if (!check_area (style, area, stride))
    return 0;

  clear_target (area, pixels, stride);
  if (n_shapes == 0 && style->n_marks == 0)
    return 0;

  target.pixels = (guint32 *) pixels;
  target.width = area->width;
  target.height = area->height;
  target.stride = stride / 4;
  target.last_label = -1;

  for (guint i = 0; i < n_shapes; i++)
    {
      /* Drawing waits on memory more than it computes: fetch ahead. */
      if (i + PREFETCH_AHEAD < n_shapes)
        __builtin_prefetch (shapes[i + PREFETCH_AHEAD]->points->data);
      draw_shape (&target, shapes[i], style, area);
    }
  if (style->n_marks > 0)
    draw_marks (&target, shapes, n_shapes, style, area);

  g_free (target.points.data);
  g_free (target.crossings.data);
  g_free (target.row_counts);
  /* A tile with only a pin still has something to show. */
  return n_shapes > 0 ? n_shapes : 1;
}

guint
limner_canvas_overlay_render (LimnerDocument           *document,
                              const LimnerOverlayStyle *style,
                              const LimnerOverlayArea  *area,
                              guint8                   *pixels,
                              int                       stride)
{
  g_autoptr(GPtrArray) shapes = NULL;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (document), 0);
  g_return_val_if_fail (pixels != NULL, 0);
  if (!check_area (style, area, stride))
    return 0;

  shapes = limner_canvas_overlay_collect (document, style, area);
  return limner_canvas_overlay_render_shapes ((const LimnerShape * const *) shapes->pdata,
                                              shapes->len, style, area, pixels, stride);
}

/* Rendering several areas at once: the document is read on the calling
 * thread (its index is not thread-safe), the pixels are drawn on the pool's
 * threads and this one. The shapes do not change meanwhile: the caller
 * waits for the end. */

typedef struct {
  const LimnerOverlayStyle *style;
  const LimnerOverlayArea  *areas;
  GPtrArray               **shapes;
  guint8                  **pixels;
  int                       stride;
  guint                    *n_drawn;
  guint                     n_areas;
  gint                      next;       /* atomic: the next area to take */
  GMutex                    lock;
  GCond                     done_cond;
  guint                     n_helpers;  /* guarded by lock: helpers still working */
} Batch;

static void
batch_work (Batch *batch)
{
  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&batch->next, 1);

      if (i >= batch->n_areas)
        return;
      batch->n_drawn[i] =
        limner_canvas_overlay_render_shapes ((const LimnerShape * const *) batch->shapes[i]->pdata,
                                             batch->shapes[i]->len, batch->style,
                                             &batch->areas[i], batch->pixels[i], batch->stride);
    }
}

static void
helper_thread (gpointer data,
               gpointer user_data)
{
  Batch *batch = data;

  batch_work (batch);
  g_mutex_lock (&batch->lock);
  if (--batch->n_helpers == 0)
    g_cond_signal (&batch->done_cond);
  g_mutex_unlock (&batch->lock);
}

static GThreadPool *
get_helper_pool (guint *n_helpers)
{
  static gsize initialised;
  static GThreadPool *pool;
  static guint n;

  if (g_once_init_enter (&initialised))
    {
      n = CLAMP (g_get_num_processors (), 1, 8) - 1;
      if (n > 0)
        pool = g_thread_pool_new (helper_thread, NULL, n, FALSE, NULL);
      g_once_init_leave (&initialised, 1);
    }
  *n_helpers = n;
  return pool;
}

void
limner_canvas_overlay_render_many (LimnerDocument           *document,
                                   const LimnerOverlayStyle *style,
                                   const LimnerOverlayArea  *areas,
                                   guint                     n_areas,
                                   guint8                  **pixels,
                                   int                       stride,
                                   guint                    *n_drawn)
{
  Batch batch = { 0 };
  GThreadPool *pool;
  guint n_helpers;

  g_return_if_fail (LIMNER_IS_DOCUMENT (document));
  g_return_if_fail (style != NULL && (areas != NULL || n_areas == 0));
  g_return_if_fail (pixels != NULL && n_drawn != NULL);

  if (n_areas == 0)
    return;

  batch.style = style;
  batch.areas = areas;
  batch.pixels = pixels;
  batch.stride = stride;
  batch.n_drawn = n_drawn;
  batch.n_areas = n_areas;
  batch.shapes = g_new0 (GPtrArray *, n_areas);
  for (guint i = 0; i < n_areas; i++)
    batch.shapes[i] = limner_canvas_overlay_collect (document, style, &areas[i]);

  pool = get_helper_pool (&n_helpers);
  n_helpers = MIN (n_helpers, n_areas - 1);
  g_mutex_init (&batch.lock);
  g_cond_init (&batch.done_cond);
  batch.n_helpers = n_helpers;
  for (guint i = 0; i < n_helpers; i++)
    g_thread_pool_push (pool, &batch, NULL);

  batch_work (&batch);

  g_mutex_lock (&batch.lock);
  while (batch.n_helpers > 0)
    g_cond_wait (&batch.done_cond, &batch.lock);
  g_mutex_unlock (&batch.lock);

  g_mutex_clear (&batch.lock);
  g_cond_clear (&batch.done_cond);
  for (guint i = 0; i < n_areas; i++)
    g_ptr_array_unref (batch.shapes[i]);
  g_free (batch.shapes);
}
