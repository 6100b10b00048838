/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-demo.c: a synthetic dataset with known ground truth.
 *
 * Pixels are computed here, into a memory buffer, from a splitmix64 stream:
 * no g_random, no libvips drawing, so the bytes depend only on the seed (and
 * on libm and the JPEG/PNG encoders of the machine). Every object is filled
 * from the very polygon that is recorded as its outline, with 4× vertical
 * supersampling and exact horizontal coverage for smooth edges.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>

#include "limner-demo.h"
#include "limner-import-private.h"
#include "limner-pg.h"
#include "limner-worker.h"

#define ELLIPSE_VERTICES 96
#define SUBROWS 4
#define MAX_OBJECTS 6
#define JPEG_QUALITY 90

typedef struct {
  const char *name;
  const char *color;
  const char *hotkey;
  const char *guide;
} DemoLabel;

static const DemoLabel demo_labels[] = {
  { "rectangle", "#e01b24", "1",
    N_("Four-sided shapes with right angles, upright or turned. Draw a box when upright, else trace the four corners.") },
  { "ellipse", "#33d17a", "2",
    N_("Circles and ovals. Trace the outline closely with a polygon, or draw a tight box.") },
  { "triangle", "#3584e4", "3",
    N_("Three-cornered shapes. Trace the three corners with a polygon.") },
  { "polygon", "#f6d32d", "4",
    N_("Irregular shapes with five to nine corners. Trace every corner with a polygon.") },
};

enum { KIND_RECTANGLE, KIND_ELLIPSE, KIND_TRIANGLE, KIND_POLYGON, N_KINDS };

void
limner_demo_object_free (LimnerDemoObject *object)
{
  if (object == NULL)
    return;
  g_clear_pointer (&object->polygon, g_array_unref);
  g_free (object);
}

/* The PRNG: splitmix64 (Steele, Lea, Flood 2014). */

typedef struct {
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_uniform (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

static double
rng_range (Rng *rng, double lo, double hi)
{
  return lo + (hi - lo) * rng_uniform (rng);
}

/* Uniform integer in [lo, hi]. */
static int
rng_int (Rng *rng, int lo, int hi)
{
  return lo + (int) (rng_next (rng) % (guint64) (hi - lo + 1));
}

/* An independent stream for item `index` of a seed. */
static Rng
rng_for (guint64 seed, guint64 index)
{
  Rng rng = { seed ^ (index * G_GUINT64_CONSTANT (0xd1b54a32d192ed03)) };

  rng_next (&rng);
  return rng;
}

static void
hsv_to_rgb (double h, double s, double v, double rgb[3])
{
  double c = v * s;
  double hp = fmod (h, 1.0) * 6.0;
  double x = c * (1.0 - fabs (fmod (hp, 2.0) - 1.0));
  double m = v - c;
  double r = 0, g = 0, b = 0;

  switch ((int) hp)
    {
    case 0: r = c; g = x; break;
    case 1: r = x; g = c; break;
    case 2: g = c; b = x; break;
    case 3: g = x; b = c; break;
    case 4: r = x; b = c; break;
    default: r = c; b = x; break;
    }
  rgb[0] = (r + m) * 255.0;
  rgb[1] = (g + m) * 255.0;
  rgb[2] = (b + m) * 255.0;
}

static guint8
clamp_u8 (double v)
{
  return v <= 0.0 ? 0 : v >= 255.0 ? 255 : (guint8) (v + 0.5);
}

/* Drawing into an RGB8 canvas: a 3200 px demo image stays at 24 MB. */

typedef struct {
  int     width;
  int     height;
  guint8 *px; /* width * height * 3 */
} Canvas;

/* A muted base colour, a few separable waves (fabric-like), and value noise
 * on a coarse grid (blotches). Separable waves cost one multiply per pixel. */
static void
draw_background (Canvas *canvas, Rng *rng)
{
  int w = canvas->width, h = canvas->height;
  double base[3];
  double tint[3];
  int cell = rng_int (rng, 24, 72);
  int gw = w / cell + 2, gh = h / cell + 2;
  g_autofree float *grid = g_new (float, gw * gh);
  g_autofree float *colx = g_new (float, w * 3);
  g_autofree float *rowy = g_new (float, h * 3);

  hsv_to_rgb (rng_uniform (rng), rng_range (rng, 0.05, 0.3), rng_range (rng, 0.35, 0.8), base);
  hsv_to_rgb (rng_uniform (rng), 0.5, 1.0, tint);

  for (int k = 0; k < 3; k++)
    {
      double fx = rng_range (rng, 0.01, 0.15), px = rng_range (rng, 0, 2 * G_PI);
      double fy = rng_range (rng, 0.01, 0.15), py = rng_range (rng, 0, 2 * G_PI);

      for (int x = 0; x < w; x++)
        colx[x * 3 + k] = (float) sin (fx * x + px);
      for (int y = 0; y < h; y++)
        rowy[y * 3 + k] = (float) cos (fy * y + py);
    }
  for (int i = 0; i < gw * gh; i++)
    grid[i] = (float) rng_range (rng, -1.0, 1.0);

  for (int y = 0; y < h; y++)
    {
      int gy = y / cell;
      float ty = (float) (y % cell) / cell;

      for (int x = 0; x < w; x++)
        {
          int gx = x / cell;
          float tx = (float) (x % cell) / cell;
          float v00 = grid[gy * gw + gx], v10 = grid[gy * gw + gx + 1];
          float v01 = grid[(gy + 1) * gw + gx], v11 = grid[(gy + 1) * gw + gx + 1];
          float blotch = (v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty;
          float waves = 0;
          guint8 *p = canvas->px + ((gsize) y * w + x) * 3;

          for (int k = 0; k < 3; k++)
            waves += colx[x * 3 + k] * rowy[y * 3 + k];
          for (int c = 0; c < 3; c++)
            p[c] = clamp_u8 (base[c] + 18.0 * waves + 30.0 * blotch + 0.08 * tint[c] * blotch);
        }
    }
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Fills a polygon (even-odd) with `rgb`, shaded along (gx, gy), blending by
 * coverage: SUBROWS sample rows per pixel row, exact coverage along each. */
static void
fill_polygon (Canvas *canvas, const GArray *poly, const double rgb[3], double gx, double gy)
{
  const double *v = (const double *) poly->data;
  int n = poly->len / 2;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double cx = 0, cy = 0;
  int ix0, ix1, iy0, iy1, span;
  g_autofree float *cov = NULL;
  g_autofree double *xs = g_new (double, n);

  for (int i = 0; i < n; i++)
    {
      x0 = MIN (x0, v[2 * i]);
      x1 = MAX (x1, v[2 * i]);
      y0 = MIN (y0, v[2 * i + 1]);
      y1 = MAX (y1, v[2 * i + 1]);
      cx += v[2 * i] / n;
      cy += v[2 * i + 1] / n;
    }
  ix0 = MAX (0, (int) floor (x0));
  ix1 = MIN (canvas->width, (int) ceil (x1));
  iy0 = MAX (0, (int) floor (y0));
  iy1 = MIN (canvas->height, (int) ceil (y1));
  span = ix1 - ix0;
  if (span <= 0 || iy1 <= iy0)
    return;
  cov = g_new (float, span + 1);

  for (int y = iy0; y < iy1; y++)
    {
      memset (cov, 0, sizeof (float) * (span + 1));
      for (int s = 0; s < SUBROWS; s++)
        {
          double sy = y + (s + 0.5) / SUBROWS;
          int nx = 0;

          for (int i = 0; i < n; i++)
            {
              double ax = v[2 * i], ay = v[2 * i + 1];
              double bx = v[2 * ((i + 1) % n)], by = v[2 * ((i + 1) % n) + 1];

              if ((ay <= sy && sy < by) || (by <= sy && sy < ay))
                xs[nx++] = ax + (sy - ay) * (bx - ax) / (by - ay);
            }
          qsort (xs, nx, sizeof (double), compare_doubles);
          for (int k = 0; k + 1 < nx; k += 2)
            {
              double a = CLAMP (xs[k], ix0, ix1) - ix0;
              double b = CLAMP (xs[k + 1], ix0, ix1) - ix0;
              int ia = (int) floor (a), ib = (int) floor (b);

              if (ia == ib)
                cov[ia] += (float) (b - a);
              else
                {
                  cov[ia] += (float) (ia + 1 - a);
                  for (int j = ia + 1; j < ib; j++)
                    cov[j] += 1.0f;
                  cov[ib] += (float) (b - ib);
                }
            }
        }
      for (int j = 0; j < span; j++)
        {
          float alpha = cov[j] / SUBROWS;
          int x = ix0 + j;
          guint8 *p;
          double shade;

          if (alpha <= 0.0f)
            continue;
          alpha = MIN (alpha, 1.0f);
          p = canvas->px + ((gsize) y * canvas->width + x) * 3;
          shade = 1.0 + gx * (x + 0.5 - cx) + gy * (y + 0.5 - cy);
          for (int c = 0; c < 3; c++)
            p[c] = clamp_u8 (p[c] * (1.0 - alpha) + rgb[c] * shade * alpha);
        }
    }
}

/* Sensor-like noise over everything: a shared luminance part and a weaker
 * per-channel part, roughly Gaussian (sum of four uniforms). */
static void
add_noise (Canvas *canvas, Rng *rng, double sigma)
{
  gsize n = (gsize) canvas->width * canvas->height;

  for (gsize i = 0; i < n; i++)
    {
      guint64 r = rng_next (rng);
      double lum = ((double) ((r & 0xff) + ((r >> 8) & 0xff) + ((r >> 16) & 0xff) + ((r >> 24) & 0xff)) - 510.0) / 147.8;
      guint8 *p = canvas->px + i * 3;

      for (int c = 0; c < 3; c++)
        {
          double chroma = ((double) ((r >> (32 + 8 * c)) & 0xff) - 127.5) / 73.9;

          p[c] = clamp_u8 (p[c] + sigma * (lum + 0.35 * chroma));
        }
    }
}

static LimnerDemoObject *
object_new (const char *label)
{
  LimnerDemoObject *object = g_new0 (LimnerDemoObject, 1);

  object->label = label;
  object->polygon = g_array_new (FALSE, FALSE, sizeof (double));
  return object;
}

static void
object_add_vertex (LimnerDemoObject *object, double x, double y)
{
  g_array_append_val (object->polygon, x);
  g_array_append_val (object->polygon, y);
}

static void
object_compute_box (LimnerDemoObject *object)
{
  const double *v = (const double *) object->polygon->data;

  object->box[0] = object->box[2] = v[0];
  object->box[1] = object->box[3] = v[1];
  for (guint i = 1; i < object->polygon->len / 2; i++)
    {
      object->box[0] = MIN (object->box[0], v[2 * i]);
      object->box[1] = MIN (object->box[1], v[2 * i + 1]);
      object->box[2] = MAX (object->box[2], v[2 * i]);
      object->box[3] = MAX (object->box[3], v[2 * i + 1]);
    }
}

/* An object of `kind` inside the circle (cx, cy, r). */
static LimnerDemoObject *
make_object (Rng *rng, int kind, double cx, double cy, double r)
{
  LimnerDemoObject *object = object_new (demo_labels[kind].name);

  switch (kind)
    {
    case KIND_RECTANGLE:
      {
        double angle = rng_uniform (rng) < 0.5 ? 0.0 : rng_range (rng, -0.6, 0.6);
        double t = rng_range (rng, 0.25, 0.75) * G_PI / 2; /* aspect */
        double a = r * cos (t), b = r * sin (t);
        double ca = cos (angle), sa = sin (angle);
        const double corners[4][2] = { { -a, -b }, { a, -b }, { a, b }, { -a, b } };

        for (int i = 0; i < 4; i++)
          object_add_vertex (object,
                             cx + corners[i][0] * ca - corners[i][1] * sa,
                             cy + corners[i][0] * sa + corners[i][1] * ca);
        break;
      }
    case KIND_ELLIPSE:
      {
        double rx = r * rng_range (rng, 0.5, 1.0), ry = r * rng_range (rng, 0.5, 1.0);
        double angle = rng_range (rng, 0, G_PI);
        double ca = cos (angle), sa = sin (angle);

        for (int i = 0; i < ELLIPSE_VERTICES; i++)
          {
            double t = 2 * G_PI * i / ELLIPSE_VERTICES;
            double ex = rx * cos (t), ey = ry * sin (t);

            object_add_vertex (object, cx + ex * ca - ey * sa, cy + ex * sa + ey * ca);
          }
        break;
      }
    case KIND_TRIANGLE:
      {
        double start = rng_range (rng, 0, 2 * G_PI);

        for (int i = 0; i < 3; i++)
          {
            double t = start + i * 2 * G_PI / 3 + rng_range (rng, -0.4, 0.4);
            double rr = r * rng_range (rng, 0.65, 1.0);

            object_add_vertex (object, cx + rr * cos (t), cy + rr * sin (t));
          }
        break;
      }
    default:
      {
        /* Star-shaped around the centre, so always a simple polygon. */
        int n = rng_int (rng, 5, 9);
        double start = rng_range (rng, 0, 2 * G_PI);
        double step = 2 * G_PI / n;

        for (int i = 0; i < n; i++)
          {
            double t = start + i * step + rng_range (rng, -0.3, 0.3) * step;
            double rr = r * rng_range (rng, 0.45, 1.0);

            object_add_vertex (object, cx + rr * cos (t), cy + rr * sin (t));
          }
        break;
      }
    }
  object_compute_box (object);
  return object;
}

static gboolean
boxes_overlap (const double a[4], const double b[4], double gap)
{
  return a[0] - gap < b[2] && b[0] - gap < a[2] && a[1] - gap < b[3] && b[1] - gap < a[3];
}

/* Flushes a written file to disk, so the rename below publishes whole bytes. */
static gboolean
sync_file (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* Writes `pixels` (RGB8) to `path` as JPEG or PNG (by extension): to a
 * temporary name beside it, fsynced, then renamed into place. The temporary
 * name is not made with mkstemp(), whose 0600 mode the image would keep. */
static gboolean
save_rgb (const char *path, const guint8 *pixels, int width, int height, GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-%d-%08x", path, (int) getpid (), g_random_int ());
  g_autofree char *display = g_filename_display_name (path);
  VipsImage *image;
  gboolean png = g_str_has_suffix (path, ".png");
  int rc;

  image = vips_image_new_from_memory (pixels, (size_t) width * height * 3, width, height, 3,
                                      VIPS_FORMAT_UCHAR);
  if (png)
    rc = vips_pngsave (image, tmp, "compression", 6, "strip", TRUE, NULL);
  else
    rc = vips_jpegsave (image, tmp, "Q", JPEG_QUALITY, "strip", TRUE, NULL);
  g_object_unref (image);
  if (rc != 0)
    {
      g_autofree char *detail = vips_error_buffer_copy ();

      vips_error_clear ();
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: the image cannot be written (%s)."), display, g_strchomp (detail));
      return FALSE;
    }
  if (!sync_file (tmp) || g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: the image cannot be written (%s)."), display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
limner_demo_write_image (const char  *path,
                         int          width,
                         int          height,
                         guint64      seed,
                         GPtrArray  **objects_out,
                         GError     **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_demo_object_free);
  g_autofree guint8 *pixels = NULL;
  Canvas canvas = { width, height, NULL };
  Rng rng = rng_for (seed, 0);
  int n_objects;
  double min_side = MIN (width, height);
  gsize n;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width >= 16 && height >= 16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = (gsize) width * height;
  canvas.px = pixels = g_new (guint8, n * 3);
  draw_background (&canvas, &rng);

  n_objects = rng_int (&rng, 2, MAX_OBJECTS);
  /* Objects never overlap, so every outline is fully visible. */
  for (int tries = 0; (int) objects->len < n_objects && tries < 60; tries++)
    {
      int kind = rng_int (&rng, 0, N_KINDS - 1);
      double r = min_side * rng_range (&rng, 0.07, 0.22);
      double cx = rng_range (&rng, r + 2, width - r - 2);
      double cy = rng_range (&rng, r + 2, height - r - 2);
      LimnerDemoObject *object = make_object (&rng, kind, cx, cy, r);
      double rgb[3];
      double gx = rng_range (&rng, -0.25, 0.25) / r, gy = rng_range (&rng, -0.25, 0.25) / r;
      gboolean clear = TRUE;

      for (guint i = 0; i < objects->len && clear; i++)
        clear = !boxes_overlap (object->box, ((LimnerDemoObject *) g_ptr_array_index (objects, i))->box, 6);
      if (!clear)
        {
          limner_demo_object_free (object);
          continue;
        }
      hsv_to_rgb (rng_uniform (&rng), rng_range (&rng, 0.6, 1.0), rng_range (&rng, 0.55, 1.0), rgb);
      fill_polygon (&canvas, object->polygon, rgb, gx, gy);
      g_ptr_array_add (objects, object);
    }
  add_noise (&canvas, &rng, rng_range (&rng, 3.0, 9.0));

  if (!save_rgb (path, pixels, width, height, error))
    return FALSE;
  if (objects_out != NULL)
    *objects_out = g_steal_pointer (&objects);
  return TRUE;
}

/* The seed of image `index`'s pixels: a stream apart from the plans'. */
static guint64
image_seed (guint64 seed, int index)
{
  Rng rng = rng_for (seed, (G_GUINT64_CONSTANT (1) << 40) + (guint64) index);

  return rng_next (&rng);
}

/* The plan for image `index` of a seed: size and format. */
static void
plan_image (guint64 seed, int index, int *width, int *height, gboolean *png)
{
  Rng rng = rng_for (seed, (guint64) index + 1);

  /* Mostly 640–1600 px wide; one in eight larger, up to 3200. */
  if (rng_int (&rng, 0, 7) == 0)
    *width = rng_int (&rng, 2000, 3200);
  else
    *width = rng_int (&rng, 640, 1600);
  *height = (int) (*width * rng_range (&rng, 0.55, 1.0));
  /* One in four is PNG, but not the large ones (noisy PNGs get big). */
  *png = *width <= 1600 && rng_int (&rng, 0, 3) == 0;
}

typedef struct {
  LimnerImportProgressFunc progress;
  gpointer                 data;
  guint                    offset;
  guint                    total;
} ProgressShift;

static void
shifted_progress (guint done, guint total, const char *current, gpointer user_data)
{
  ProgressShift *shift = user_data;

  /* The import's own scan phase (total 0) is folded into the first step. */
  if (total == 0)
    return;
  shift->progress (shift->offset + MIN (done, shift->total - shift->offset),
                   shift->total, current, shift->data);
}

static gboolean
ensure_labels (LimnerStore *store, gint64 ids[N_KINDS], GError **error)
{
  for (int k = 0; k < N_KINDS; k++)
    {
      g_autoptr(LimnerLabel) label = limner_store_find_label (store, demo_labels[k].name, NULL);

      if (label != NULL)
        ids[k] = label->id;
      else
        {
          ids[k] = limner_store_add_label (store, demo_labels[k].name, demo_labels[k].color,
                                           demo_labels[k].hotkey, _(demo_labels[k].guide), error);
          if (ids[k] <= 0)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_references (LimnerStore *store, gint64 image_id, GPtrArray *objects,
                const gint64 label_ids[N_KINDS], GError **error)
{
  for (guint i = 0; i < objects->len; i++)
    {
      LimnerDemoObject *object = g_ptr_array_index (objects, i);
      LimnerReferenceShape ref = { 0 };

      ref.image_id = image_id;
      for (int k = 0; k < N_KINDS; k++)
        if (g_str_equal (object->label, demo_labels[k].name))
          ref.label_id = label_ids[k];
      ref.polygon = object->polygon;
      memcpy (ref.box, object->box, sizeof ref.box);
      if (!limner_store_add_reference_shape (store, &ref, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
limner_demo_generate (LimnerStore               *store,
                      const char                *out_dir,
                      int                        n_images,
                      guint64                    seed,
                      GCancellable              *cancellable,
                      LimnerImportProgressFunc   progress,
                      gpointer                   progress_data,
                      LimnerImportResult       **result_out,
                      GError                   **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) objects_by_path = NULL; /* path -> GPtrArray of LimnerDemoObject */
  g_autoptr(LimnerImportResult) result = NULL;
  gint64 label_ids[N_KINDS];
  ProgressShift shift = { progress, progress_data, n_images, 2 * n_images };

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (!limner_store_in_batch (store), FALSE);
  g_return_val_if_fail (n_images >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error))
    return FALSE;

  /* A team project is a database, not a folder to put the images in. */
  if (out_dir == NULL && limner_pg_is_uri (limner_store_get_dir (store)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A project on a PostgreSQL server has no folder for the demo images: "
                             "choose one on the team's shared storage."));
      return FALSE;
    }
  dir = out_dir ? g_strdup (out_dir)
                : g_build_filename (limner_store_get_dir (store), LIMNER_DEMO_DIR_NAME, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: the folder cannot be created (%s)."), display, g_strerror (saved));
      return FALSE;
    }

  objects_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  for (int i = 0; i < n_images; i++)
    {
      int width, height;
      gboolean png;
      g_autofree char *name = NULL;
      char *path;
      GPtrArray *objects = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      plan_image (seed, i, &width, &height, &png);
      /* The seed is in the name: another seed never overwrites these files,
       * which the project may already reference. */
      name = g_strdup_printf ("demo-%" PRIu64 "-%04d.%s", seed, i + 1, png ? "png" : "jpg");
      path = g_build_filename (dir, name, NULL);
      if (!limner_demo_write_image (path, width, height, image_seed (seed, i), &objects, error))
        {
          g_free (path);
          return FALSE;
        }
      g_ptr_array_add (paths, path);
      g_hash_table_insert (objects_by_path, g_strdup (path), objects);
      if (progress)
        progress (i + 1, 2 * n_images, path, progress_data);
    }
  g_ptr_array_add (paths, NULL);

  /* Labels, images and outlines in one transaction: a demo project is
   * complete or absent. */
  if (!limner_store_begin (store, error))
    return FALSE;
  if (!ensure_labels (store, label_ids, error))
    goto fail;
  result = limner_import_run_in_batch (store, (const char * const *) paths->pdata, cancellable,
                                       progress ? shifted_progress : NULL, &shift, error);
  if (result == NULL)
    goto fail;
  for (guint i = 0; i < result->added->len; i++)
    {
      LimnerImportItem *item = g_ptr_array_index (result->added, i);

      if (!add_references (store, item->image_id, g_hash_table_lookup (objects_by_path, item->path),
                           label_ids, error))
        goto fail;
    }
  /* Images already in the project keep their outlines; add only the missing. */
  for (guint i = 0; i < result->duplicates->len; i++)
    {
      LimnerImportItem *item = g_ptr_array_index (result->duplicates, i);
      g_autoptr(GPtrArray) existing = NULL;

      if (item->image_id <= 0)
        continue;
      existing = limner_store_list_reference_shapes (store, item->image_id, error);
      if (existing == NULL)
        goto fail;
      if (existing->len == 0
          && !add_references (store, item->image_id, g_hash_table_lookup (objects_by_path, item->path),
                              label_ids, error))
        goto fail;
    }
  if (!limner_store_commit (store, error))
    return FALSE;

  if (result_out != NULL)
    *result_out = g_steal_pointer (&result);
  return TRUE;

fail:
  limner_store_rollback (store);
  return FALSE;
}

/* Async */

typedef struct {
  int                       n_images;
  guint64                   seed;
  LimnerImportProgressFunc  progress;
  gpointer                  progress_data;
  GDestroyNotify            progress_data_destroy;
} DemoTaskData;

static void
demo_task_data_free (DemoTaskData *data)
{
  if (data->progress_data_destroy)
    data->progress_data_destroy (data->progress_data);
  g_free (data);
}

static gpointer
demo_in_worker (LimnerWorker  *worker,
                LimnerStore   *store,
                gpointer       user_data,
                GCancellable  *cancellable,
                GError       **error)
{
  DemoTaskData *data = user_data;
  LimnerImportResult *result = NULL;

  if (!limner_demo_generate (store, NULL, data->n_images, data->seed, cancellable,
                             data->progress, data->progress_data, &result, error))
    return NULL;
  return result;
}

void
limner_demo_generate_async (const char                *project_dir,
                            const char                *name,
                            const char                *login,
                            int                        n_images,
                            guint64                    seed,
                            GCancellable              *cancellable,
                            LimnerImportProgressFunc   progress,
                            gpointer                   progress_data,
                            GDestroyNotify             progress_data_destroy,
                            GAsyncReadyCallback        callback,
                            gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  LimnerWorker *worker;
  DemoTaskData *data;

  g_return_if_fail (project_dir != NULL);
  g_return_if_fail (n_images >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (DemoTaskData, 1);
  data->n_images = n_images;
  data->seed = seed;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_destroy = progress_data_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_demo_generate_async);
  g_task_set_name (task, "limner-demo");
  worker = limner_worker_new (project_dir, login);
  limner_worker_set_create (worker, name);
  limner_worker_run (worker, task, demo_in_worker, data, (GDestroyNotify) demo_task_data_free,
                     (GDestroyNotify) limner_import_result_free);
}

LimnerImportResult *
limner_demo_generate_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == limner_demo_generate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
