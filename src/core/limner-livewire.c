/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-contour.h"
#include "limner-livewire.h"

/* Mortensen and Barrett's weights: zero crossings, gradient magnitude,
 * gradient direction. */
#define W_ZERO      0.43f
#define W_GRADIENT  0.43f
#define W_DIRECTION 0.14f
#define BLUR_SIGMA  1.0

struct _LimnerLiveWire
{
  int     width;
  int     height;
  double  x;
  double  y;
  double  scale_x;
  double  scale_y;
  int     anchor;
  float  *dist;     /* cost of the cheapest path from the anchor */
  gint32 *parent;   /* previous pixel on it, -1 at the anchor */
};

static const int nb_dx[8] = { 1, 1, 0, -1, -1, -1, 0, 1 };
static const int nb_dy[8] = { 0, 1, 1, 1, 0, -1, -1, -1 };

/* A binary min-heap of (cost, pixel); stale entries are skipped when popped
 * instead of being decreased in place. */
typedef struct {
  float  cost;
  gint32 index;
} HeapItem;

static void
heap_push (GArray   *heap,
           float     cost,
           gint32    index)
{
  HeapItem item = { cost, index };
  HeapItem *h;
  guint i;

  g_array_append_val (heap, item);
  h = (HeapItem *) heap->data;
  i = heap->len - 1;
  while (i > 0 && h[(i - 1) / 2].cost > h[i].cost)
    {
      HeapItem tmp = h[i];

      h[i] = h[(i - 1) / 2];
      h[(i - 1) / 2] = tmp;
      i = (i - 1) / 2;
    }
}

static HeapItem
heap_pop (GArray *heap)
{
  HeapItem *h = (HeapItem *) heap->data;
  HeapItem top = h[0];
  guint n = heap->len - 1, i = 0;

  h[0] = h[n];
  g_array_set_size (heap, n);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < n && h[l].cost < h[m].cost)
        m = l;
      if (r < n && h[r].cost < h[m].cost)
        m = r;
      if (m == i)
        break;
      {
        HeapItem tmp = h[i];

        h[i] = h[m];
        h[m] = tmp;
      }
      i = m;
    }
  return top;
}

/* Local costs that depend on one pixel only: the zero-crossing and gradient
 * terms (already weighted), and the unit vector along the edge. */
static void
local_costs (const float *grey,
             int          w,
             int          h,
             float       *node_cost,
             float       *edge_dx,
             float       *edge_dy)
{
  g_autofree float *mag = g_new0 (float, (gsize) w * h);
  g_autofree float *lap = g_new0 (float, (gsize) w * h);
  float max_mag = 0;

#define G(x, y) grey[(gsize) CLAMP ((y), 0, h - 1) * w + CLAMP ((x), 0, w - 1)]
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gsize i = (gsize) y * w + x;
        float gx = (G (x + 1, y) - G (x - 1, y)) / 2;
        float gy = (G (x, y + 1) - G (x, y - 1)) / 2;
        float m = sqrtf (gx * gx + gy * gy);

        mag[i] = m;
        max_mag = MAX (max_mag, m);
        lap[i] = G (x + 1, y) + G (x - 1, y) + G (x, y + 1) + G (x, y - 1) - 4 * G (x, y);
        /* Perpendicular to the gradient: along the edge. */
        edge_dx[i] = m > 1e-3f ? gy / m : 0;
        edge_dy[i] = m > 1e-3f ? -gx / m : 0;
      }
#undef G

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        gsize i = (gsize) y * w + x;
        float zero = 1;

        /* A zero crossing is marked on the side closer to zero. */
        for (int d = 0; d < 8 && zero > 0; d += 2)
          {
            int nx = x + nb_dx[d], ny = y + nb_dy[d];
            float l, o;

            if (nx < 0 || ny < 0 || nx >= w || ny >= h)
              continue;
            l = lap[i];
            o = lap[(gsize) ny * w + nx];
            if (((l > 0 && o < 0) || (l < 0 && o > 0) || l == 0) && fabsf (l) <= fabsf (o) &&
                mag[i] > 0.05f * max_mag)
              zero = 0;
          }
        node_cost[i] = W_ZERO * zero +
                       W_GRADIENT * (max_mag > 0 ? 1 - mag[i] / max_mag : 1);
      }
}

LimnerLiveWire *
limner_live_wire_new (const LimnerAssistRegion *region,
                      double                    anchor_x,
                      double                    anchor_y,
                      GError                  **error)
{
  g_autofree float *grey = NULL;
  g_autofree float *node_cost = NULL;
  g_autofree float *edge_dx = NULL;
  g_autofree float *edge_dy = NULL;
  g_autofree float *angle = NULL;
  g_autofree guint8 *done = NULL;
  g_autoptr(GArray) heap = NULL;
  LimnerLiveWire *wire;
  double ax, ay;
  gsize n;
  int w, h;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ax = floor ((anchor_x - region->x) / region->scale_x);
  ay = floor ((anchor_y - region->y) / region->scale_y);
  if (!isfinite (ax) || !isfinite (ay) || ax < 0 || ay < 0 ||
      ax >= region->width || ay >= region->height)
    {
      g_set_error (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE,
                   _("The anchor point (%g, %g) is outside the pixels read around it."),
                   anchor_x, anchor_y);
      return NULL;
    }

  w = region->width;
  h = region->height;
  n = (gsize) w * h;
  wire = g_new0 (LimnerLiveWire, 1);
  wire->width = w;
  wire->height = h;
  wire->x = region->x;
  wire->y = region->y;
  wire->scale_x = region->scale_x;
  wire->scale_y = region->scale_y;
  wire->anchor = (int) ay * w + (int) ax;
  wire->dist = g_new (float, n);
  wire->parent = g_new (gint32, n);

  grey = limner_assist_region_grey (region, BLUR_SIGMA);
  node_cost = g_new (float, n);
  edge_dx = g_new (float, n);
  edge_dy = g_new (float, n);
  local_costs (grey, w, h, node_cost, edge_dx, edge_dy);
  /* The angle between each pixel's edge direction and the links of the
   * first four directions, once per pixel rather than once per link. */
  angle = g_new (float, n * 4);
  for (gsize i = 0; i < n; i++)
    for (int d = 0; d < 4; d++)
      {
        float len = d % 2 ? (float) G_SQRT2 : 1.0f;
        float dot = (nb_dx[d] * edge_dx[i] + nb_dy[d] * edge_dy[i]) / len;

        angle[i * 4 + d] = acosf (CLAMP (dot, -1.0f, 1.0f));
      }

  for (gsize i = 0; i < n; i++)
    {
      wire->dist[i] = G_MAXFLOAT;
      wire->parent[i] = -1;
    }
  done = g_malloc0 (n);
  heap = g_array_sized_new (FALSE, FALSE, sizeof (HeapItem), 1024);
  wire->dist[wire->anchor] = 0;
  heap_push (heap, 0, wire->anchor);

  while (heap->len > 0)
    {
      HeapItem item = heap_pop (heap);
      int px, py;

      if (done[item.index])
        continue;
      done[item.index] = 1;
      px = item.index % w;
      py = item.index / w;
      for (int d = 0; d < 8; d++)
        {
          int qx = px + nb_dx[d], qy = py + nb_dy[d];
          gint32 q;
          float cost;
          gboolean diagonal = d % 2 == 1;

          if (qx < 0 || qy < 0 || qx >= w || qy >= h)
            continue;
          q = qy * w + qx;
          if (done[q])
            continue;

          /* Direction term: the link should run along the edge at both
           * ends, the link oriented the way the edge points at p. Link d
           * and d + 4 are opposite, so their angles are pi minus each
           * other's. */
          {
            float bp = angle[(gsize) item.index * 4 + d % 4];
            float bq = angle[(gsize) q * 4 + d % 4];
            gboolean forward;

            if (d >= 4)
              {
                bp = (float) G_PI - bp;
                bq = (float) G_PI - bq;
              }
            forward = bp <= (float) G_PI_2;
            if (!forward)
              {
                bp = (float) G_PI - bp;
                bq = (float) G_PI - bq;
              }
            /* Diagonal links are longer: the per-pixel terms scale with
             * length, as the gradient term does in the paper. */
            cost = node_cost[q] * (diagonal ? 1.0f : (float) (1 / G_SQRT2)) +
                   W_DIRECTION * (float) (2.0 / (3.0 * G_PI)) * (bp + bq);
          }
          cost += item.cost;
          if (cost < wire->dist[q])
            {
              wire->dist[q] = cost;
              wire->parent[q] = item.index;
              heap_push (heap, cost, q);
            }
        }
    }

  return wire;
}

LimnerLiveWire *
limner_live_wire_new_for_source (LimnerTileSource *source,
                                 int               level,
                                 double            anchor_x,
                                 double            anchor_y,
                                 int               radius,
                                 GError          **error)
{
  g_autoptr(LimnerAssistRegion) region = NULL;
  int level_w, level_h;
  double ds_x, ds_y;

  g_return_val_if_fail (LIMNER_IS_TILE_SOURCE (source), NULL);
  g_return_val_if_fail (radius > 0, NULL);

  level = CLAMP (level, 0, limner_tile_source_get_n_levels (source) - 1);
  limner_tile_source_get_level_size (source, level, &level_w, &level_h);
  ds_x = (double) limner_tile_source_get_width (source) / level_w;
  ds_y = (double) limner_tile_source_get_height (source) / level_h;
  region = limner_assist_region_read (source, level,
                                      (int) floor (anchor_x / ds_x) - radius,
                                      (int) floor (anchor_y / ds_y) - radius,
                                      2 * radius + 1, 2 * radius + 1, error);
  if (region == NULL)
    return NULL;
  return limner_live_wire_new (region, anchor_x, anchor_y, error);
}

void
limner_live_wire_free (LimnerLiveWire *wire)
{
  if (wire == NULL)
    return;
  g_free (wire->dist);
  g_free (wire->parent);
  g_free (wire);
}

void
limner_live_wire_get_bounds (LimnerLiveWire *wire,
                             double         *x0,
                             double         *y0,
                             double         *x1,
                             double         *y1)
{
  g_return_if_fail (wire != NULL);

  *x0 = wire->x;
  *y0 = wire->y;
  *x1 = wire->x + wire->width * wire->scale_x;
  *y1 = wire->y + wire->height * wire->scale_y;
}

static gint32
target_index (LimnerLiveWire *wire,
              double          x,
              double          y)
{
  double tx = floor ((x - wire->x) / wire->scale_x);
  double ty = floor ((y - wire->y) / wire->scale_y);

  if (!isfinite (tx) || !isfinite (ty))
    return wire->anchor;
  tx = CLAMP (tx, 0, wire->width - 1);
  ty = CLAMP (ty, 0, wire->height - 1);
  return (gint32) ty * wire->width + (gint32) tx;
}

GArray *
limner_live_wire_path (LimnerLiveWire *wire,
                       double          x,
                       double          y,
                       double          simplify)
{
  g_autoptr(GArray) path = NULL;
  double *v;
  guint n;

  g_return_val_if_fail (wire != NULL, NULL);

  path = g_array_new (FALSE, FALSE, sizeof (double));
  for (gint32 i = target_index (wire, x, y); i >= 0; i = wire->parent[i])
    {
      double p[2] = { wire->x + (i % wire->width + 0.5) * wire->scale_x,
                      wire->y + (i / wire->width + 0.5) * wire->scale_y };

      g_array_append_vals (path, p, 2);
    }
  /* Walked from the target back: reverse so it runs from the anchor. */
  n = path->len / 2;
  v = (double *) path->data;
  for (guint i = 0; i < n / 2; i++)
    for (int k = 0; k < 2; k++)
      {
        double tmp = v[2 * i + k];

        v[2 * i + k] = v[2 * (n - 1 - i) + k];
        v[2 * (n - 1 - i) + k] = tmp;
      }
  return limner_contour_simplify_open (path, simplify);
}

double
limner_live_wire_cost (LimnerLiveWire *wire,
                       double          x,
                       double          y)
{
  g_return_val_if_fail (wire != NULL, 0);

  return wire->dist[target_index (wire, x, y)];
}
