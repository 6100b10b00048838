/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-formats.c: readers of labelme JSON, COCO JSON, Pascal VOC
 * XML and YOLO text files for limner-import-annotations.c.
 *
 * JSON goes through jansson with duplicate keys rejected; XML through
 * GMarkupParseContext, which knows no DTDs and so never expands an external
 * or recursive entity (an unknown entity is a parse error).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "limner-image.h"
#include "limner-import-annotations-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

static void
set_str (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

LimnerParsedShape *
limner_parsed_shape_new (const char *item)
{
  LimnerParsedShape *shape = g_new0 (LimnerParsedShape, 1);

  shape->item = g_strdup (item);
  shape->points = g_array_new (FALSE, FALSE, sizeof (double));
  return shape;
}

void
limner_parsed_shape_free (LimnerParsedShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->item);
  g_free (shape->label);
  g_free (shape->note);
  g_array_unref (shape->points);
  g_free (shape);
}

LimnerParsedImage *
limner_parsed_image_new (const char *item)
{
  LimnerParsedImage *image = g_new0 (LimnerParsedImage, 1);

  image->item = g_strdup (item);
  image->candidates = g_ptr_array_new_with_free_func (g_free);
  image->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_parsed_shape_free);
  return image;
}

void
limner_parsed_image_free (LimnerParsedImage *image)
{
  if (image == NULL)
    return;
  g_free (image->item);
  g_free (image->name);
  g_free (image->fallback);
  g_free (image->resolved);
  g_free (image->sha256);
  g_free (image->skip_reason);
  g_free (image->note);
  g_ptr_array_unref (image->candidates);
  g_ptr_array_unref (image->shapes);
  g_free (image);
}

void
limner_parse_skip (LimnerParseContext *ctx, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (ctx->skipped, g_strdup_printf ("%s: %s", ctx->display, msg));
}

void
limner_parse_error (LimnerParseContext  *ctx,
                    GError             **error,
                    int                  code,
                    const char          *format,
                    ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, code, "%s: %s", ctx->display, msg);
}

const char *
limner_parse_text (const char  *display,
                   const char  *data,
                   gsize       *len,
                   char       **converted,
                   GError     **error)
{
  const guchar *u = (const guchar *) data;
  const char *from = NULL;
  g_autoptr(GError) local = NULL;
  gsize written = 0;

  *converted = NULL;
  /* Windows tools (Notepad, .NET, PowerShell) write byte order marks. */
  if (*len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    {
      *len -= 3;
      return data + 3;
    }
  if (*len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
    from = "UTF-16LE";
  else if (*len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
    from = "UTF-16BE";
  if (from == NULL)
    return data;

  *converted = g_convert (data + 2, *len - 2, "UTF-8", from, NULL, &written, &local);
  if (*converted == NULL)
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                   _("%s: the file is UTF-16 text that does not convert to UTF-8: %s"),
                   display, local->message);
      return NULL;
    }
  *len = written;
  return *converted;
}

static gboolean
path_is_inside (const char *path, const char *root)
{
  gsize n = strlen (root);

  if (g_str_equal (root, "/"))
    return TRUE;
  return strncmp (path, root, n) == 0 && (path[n] == '\0' || path[n] == G_DIR_SEPARATOR);
}

char *
limner_parse_resolve_path (LimnerParseContext  *ctx,
                           const char          *base_dir,
                           const char          *ref,
                           const char          *item,
                           GError             **error)
{
  g_autofree char *unix_ref = g_strdelimit (g_strdup (ref), "\\", '/');
  g_autofree char *resolved = NULL;

  if (*unix_ref == '\0')
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: the image path is empty."), item);
      return NULL;
    }
  /* "C:/..." counts as absolute too: it came from another machine. */
  if (g_path_is_absolute (unix_ref) || (g_ascii_isalpha (unix_ref[0]) && unix_ref[1] == ':'))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_PATH,
                          _("%s: the image path “%s” is absolute; only paths relative to the file are accepted."),
                          item, ref);
      return NULL;
    }
  resolved = g_canonicalize_filename (unix_ref, base_dir);
  if (!path_is_inside (resolved, ctx->root))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_PATH,
                          _("%s: the image path “%s” leads outside the folder being imported (%s); import a folder that holds both the annotation files and the images."),
                          item, ref, ctx->root);
      return NULL;
    }
  return g_steal_pointer (&resolved);
}

void
limner_parse_add_candidate (LimnerParseContext *ctx,
                            LimnerParsedImage  *image,
                            const char         *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);

  if (!path_is_inside (canonical, ctx->root))
    return;
  for (guint i = 0; i < image->candidates->len; i++)
    if (g_str_equal (g_ptr_array_index (image->candidates, i), canonical))
      return;
  g_ptr_array_add (image->candidates, g_steal_pointer (&canonical));
}

gboolean
limner_parse_check_coordinate (LimnerParseContext  *ctx,
                               const char          *item,
                               double               v,
                               GError             **error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                          _("%s: a coordinate is not a finite number."), item);
      return FALSE;
    }
  if (fabs (v) > LIMNER_IMPORT_ANNOTATIONS_MAX_COORDINATE)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                          _("%s: the coordinate %s is out of range."),
                          item, g_ascii_formatd (buf, sizeof buf, "%g", v));
      return FALSE;
    }
  return TRUE;
}

/* --- JSON helpers --------------------------------------------------------- */

static json_t *
load_json (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  json_error_t jerror;
  json_t *root = json_loadb (data, len, JSON_REJECT_DUPLICATES, &jerror);

  if (root == NULL)
    limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                        _("line %d, column %d: %s"), jerror.line, jerror.column, jerror.text);
  return root;
}

/* A whole number that fits a gint64; jansson reads "1.0" as a real. */
static gboolean
json_get_int (json_t *value, gint64 *out)
{
  if (json_is_integer (value))
    {
      *out = json_integer_value (value);
      return TRUE;
    }
  if (json_is_real (value))
    {
      double d = json_real_value (value);

      if (d == floor (d) && fabs (d) < 9007199254740992.0)
        {
          *out = (gint64) d;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
add_point (LimnerParseContext  *ctx,
           LimnerParsedShape   *shape,
           json_t              *x,
           json_t              *y,
           GError             **error)
{
  double v[2];

  if (!json_is_number (x) || !json_is_number (y))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: a coordinate is not a number."), shape->item);
      return FALSE;
    }
  v[0] = json_number_value (x);
  v[1] = json_number_value (y);
  if (!limner_parse_check_coordinate (ctx, shape->item, v[0], error)
      || !limner_parse_check_coordinate (ctx, shape->item, v[1], error))
    return FALSE;
  g_array_append_vals (shape->points, v, 2);
  return TRUE;
}

static void
points_to_box (GArray *points)
{
  const double *p = (const double *) points->data;
  guint n = points->len / 2;
  double b[4] = { p[0], p[1], p[0], p[1] };

  for (guint i = 1; i < n; i++)
    {
      b[0] = MIN (b[0], p[2 * i]);
      b[1] = MIN (b[1], p[2 * i + 1]);
      b[2] = MAX (b[2], p[2 * i]);
      b[3] = MAX (b[3], p[2 * i + 1]);
    }
  g_array_set_size (points, 0);
  g_array_append_vals (points, b, 4);
}

/* Four points that are the corners of one axis-aligned box, in any order:
 * two x values and two y values, each of the four pairs once. */
static gboolean
is_box_corners (const double *p)
{
  double x[2] = { p[0], p[0] }, y[2] = { p[1], p[1] };
  gboolean seen[4] = { FALSE, FALSE, FALSE, FALSE };

  for (guint i = 1; i < 4; i++)
    {
      if (p[2 * i] != x[0])
        {
          if (x[1] != x[0] && p[2 * i] != x[1])
            return FALSE;
          x[1] = p[2 * i];
        }
      if (p[2 * i + 1] != y[0])
        {
          if (y[1] != y[0] && p[2 * i + 1] != y[1])
            return FALSE;
          y[1] = p[2 * i + 1];
        }
    }
  if (x[1] == x[0] || y[1] == y[0])
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      guint corner = (p[2 * i] == x[1] ? 1 : 0) + (p[2 * i + 1] == y[1] ? 2 : 0);

      if (seen[corner])
        return FALSE;
      seen[corner] = TRUE;
    }
  return TRUE;
}

/* Drops vertices that repeat the one before, and a last vertex that repeats
 * the first (some tools close their polygons explicitly; Limner's are
 * implicitly closed). The outline is unchanged. */
static void
polygon_drop_repeats (GArray *points)
{
  double *p = (double *) points->data;
  guint n = points->len / 2;
  guint out = 0;

  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && p[2 * i] == p[2 * (out - 1)] && p[2 * i + 1] == p[2 * (out - 1) + 1])
        continue;
      p[2 * out] = p[2 * i];
      p[2 * out + 1] = p[2 * i + 1];
      out++;
    }
  while (out > 1 && p[0] == p[2 * (out - 1)] && p[1] == p[2 * (out - 1) + 1])
    out--;
  g_array_set_size (points, 2 * out);
}

/* The four corners of a w×h box centred on (cx, cy) and turned by
 * `radians` about its centre, clockwise on screen (y points down), starting
 * at the corner that was top left: CVAT's and roLabelImg's convention. */
static void
rotated_box_to_polygon (GArray *points, double cx, double cy, double w, double h, double radians)
{
  static const double corners[4][2] = { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
  double c = cos (radians), s = sin (radians);

  g_array_set_size (points, 0);
  for (guint i = 0; i < 4; i++)
    {
      double dx = corners[i][0] * w, dy = corners[i][1] * h;
      double v[2] = { cx + dx * c - dy * s, cy + dx * s + dy * c };

      g_array_append_vals (points, v, 2);
    }
}

/* The file name without its folders and its last extension. */
static char *
file_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  return dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
}

/* A name ending in no extension at all ("000001", as some VOC and COCO
 * writers give it) is matched against the project's file stems. */
static gboolean
name_lacks_extension (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  const char *dot = strrchr (base, '.');

  return dot == NULL || dot == base;
}

/* --- labelme -------------------------------------------------------------- */

/* labelme writes group_id as a whole number or null; other writers put a
 * float ("1.0") or a string there. Equal values are one group. Returns
 * FALSE for a value that cannot be a group. */
static gboolean
labelme_group_key (json_t *group, GHashTable *groups, gint64 *next, gint64 *out)
{
  g_autofree char *key = NULL;
  gint64 g;
  gpointer found;

  *out = 0;
  if (group == NULL || json_is_null (group))
    return TRUE;
  if (json_get_int (group, &g))
    key = g_strdup_printf ("i%" PRId64, g);
  else if (json_is_string (group))
    {
      if (*json_string_value (group) == '\0')
        return TRUE;
      key = g_strconcat ("s", json_string_value (group), NULL);
    }
  else
    return FALSE;

  found = g_hash_table_lookup (groups, key);
  if (found == NULL)
    {
      found = GSIZE_TO_POINTER ((gsize) ++*next);
      g_hash_table_insert (groups, g_steal_pointer (&key), found);
    }
  *out = (gint64) GPOINTER_TO_SIZE (found);
  return TRUE;
}

/* Skips a labelme (or X-AnyLabeling) shape of a type Limner lacks, saying why. */
static void
labelme_skip_kind (LimnerParseContext *ctx, const char *item, const char *kind)
{
  if (g_str_equal (kind, "circle"))
    limner_parse_skip (ctx, _("%s: labelme “circle” shapes have no Limner equivalent, and a polygon would only approximate the circle; skipped."),
                       item);
  else if (g_str_equal (kind, "mask"))
    limner_parse_skip (ctx, _("%s: labelme “mask” shapes are bitmaps, which Limner cannot hold; skipped."), item);
  else if (g_str_equal (kind, "point") || g_str_equal (kind, "points")
           || g_str_equal (kind, "line") || g_str_equal (kind, "linestrip"))
    limner_parse_skip (ctx, _("%s: labelme “%s” shapes enclose no area, and Limner holds boxes and polygons only; skipped."),
                       item, kind);
  else
    limner_parse_skip (ctx, _("%s: labelme “%s” shapes have no Limner equivalent (boxes and polygons only); skipped."),
                       item, kind);
}

gboolean
limner_parse_labelme (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  g_autoptr(json_t) root = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  g_autofree char *own_stem = file_stem (ctx->path);
  LimnerParsedImage *image;
  json_t *shapes, *image_path, *value;
  gint64 key = 0;
  size_t index;

  /* The file may carry the whole image as base64 in "imageData"; it is
   * parsed like any string (within the size cap) and never decoded. */
  root = load_json (ctx, data, len, error);
  if (root == NULL)
    return FALSE;
  if (!json_is_object (root) || !json_is_array (shapes = json_object_get (root, "shapes")))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a labelme file: there is no “shapes” list."));
      return FALSE;
    }
  image_path = json_object_get (root, "imagePath");
  if (image_path == NULL || (!json_is_string (image_path) && !json_is_null (image_path)))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a labelme file: there is no “imagePath”."));
      return FALSE;
    }

  image = limner_parsed_image_new ("imagePath");
  g_ptr_array_add (ctx->images, image);
  if (json_is_null (image_path) || *json_string_value (image_path) == '\0')
    {
      /* labelme names the file after its image: that is all there is to go on. */
      image->name = g_strdup (own_stem);
      image->by_stem = TRUE;
      image->note = g_strdup_printf (_("“imagePath” is empty; the image was found by the file's own name, %s."),
                                     own_stem);
    }
  else
    {
      image->name = g_strdelimit (g_strdup (json_string_value (image_path)), "\\", '/');
      image->resolved = limner_parse_resolve_path (ctx, dir, json_string_value (image_path), "imagePath", error);
      if (image->resolved == NULL)
        return FALSE;
      limner_parse_add_candidate (ctx, image, image->resolved);
      image->fallback = g_strdup (own_stem);
    }
  {
    gint64 w = 0, h = 0;

    if (json_get_int (json_object_get (root, "imageWidth"), &w)
        && json_get_int (json_object_get (root, "imageHeight"), &h)
        && w > 0 && h > 0 && w <= G_MAXINT && h <= G_MAXINT)
      {
        image->width = (int) w;
        image->height = (int) h;
      }
  }

  json_array_foreach (shapes, index, value)
    {
      g_autofree char *item = g_strdup_printf ("shape %zu", index + 1);
      LimnerParsedShape *shape;
      json_t *label, *type, *points, *group, *score, *pt;
      const char *kind;
      size_t k;
      guint n;

      if (!json_is_object (value))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s is not an object."), item);
          return FALSE;
        }
      label = json_object_get (value, "label");
      type = json_object_get (value, "shape_type");
      points = json_object_get (value, "points");
      group = json_object_get (value, "group_id");
      score = json_object_get (value, "score");
      if (!json_is_string (label) || *json_string_value (label) == '\0')
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s has no label."), item);
          return FALSE;
        }
      if (type != NULL && !json_is_null (type) && !json_is_string (type))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: “shape_type” is not a string."), item);
          return FALSE;
        }
      /* labelme 3 before shape types wrote polygons only. */
      kind = json_is_string (type) ? json_string_value (type) : "polygon";
      if (!json_is_array (points))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s has no “points” list."), item);
          return FALSE;
        }
      if (score != NULL && !json_is_null (score) && !json_is_number (score))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: “score” is not a number."), item);
          return FALSE;
        }

      shape = limner_parsed_shape_new (item);
      shape->label = g_strdup (json_string_value (label));
      if (!labelme_group_key (group, groups, &key, &shape->group))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: “group_id” is not a whole number or null."), item);
          limner_parsed_shape_free (shape);
          return FALSE;
        }
      /* Read (and check) the points of every shape, also of those skipped. */
      json_array_foreach (points, k, pt)
        {
          if (!json_is_array (pt) || json_array_size (pt) != 2)
            {
              limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                                  _("%s: point %zu is not a pair of numbers."), item, k + 1);
              limner_parsed_shape_free (shape);
              return FALSE;
            }
          if (!add_point (ctx, shape, json_array_get (pt, 0), json_array_get (pt, 1), error))
            {
              limner_parsed_shape_free (shape);
              return FALSE;
            }
        }
      n = shape->points->len / 2;

      if (g_str_equal (kind, "rectangle"))
        {
          /* labelme: the two corners the user dragged between, in any
           * order. X-AnyLabeling: all four corners. */
          if (n == 2 || (n == 4 && is_box_corners ((const double *) shape->points->data)))
            {
              points_to_box (shape->points);
              shape->kind = LIMNER_SHAPE_BOX;
            }
          else if (n == 4)
            {
              shape->kind = LIMNER_SHAPE_POLYGON;
              shape->note = g_strdup (_("a rectangle whose four corners are not axis-aligned was imported as a four-point polygon."));
            }
          else
            {
              limner_parse_skip (ctx, _("%s: a rectangle needs two corners (or four axis-aligned ones), not %u points; skipped."),
                                 item, n);
              limner_parsed_shape_free (shape);
              continue;
            }
        }
      else if (g_str_equal (kind, "polygon") || g_str_equal (kind, "rotation"))
        {
          gboolean rotation = g_str_equal (kind, "rotation");

          if (rotation && n != 4)
            {
              limner_parse_skip (ctx, _("%s: a rotated box needs four corners, not %u points; skipped."), item, n);
              limner_parsed_shape_free (shape);
              continue;
            }
          polygon_drop_repeats (shape->points);
          if (shape->points->len < 6)
            {
              limner_parse_skip (ctx, _("%s: a polygon needs at least three points; skipped."), item);
              limner_parsed_shape_free (shape);
              continue;
            }
          shape->kind = LIMNER_SHAPE_POLYGON;
          if (rotation)
            shape->note = g_strdup (_("the rotated box (“rotation”) was imported as the four-point polygon of its corners."));
        }
      else
        {
          labelme_skip_kind (ctx, item, kind);
          limner_parsed_shape_free (shape);
          continue;
        }

      if (json_is_number (score))
        {
          shape->has_score = TRUE;
          shape->score = json_number_value (score);
        }
      g_ptr_array_add (image->shapes, shape);
    }
  return TRUE;
}

/* --- COCO ----------------------------------------------------------------- */

static char *
coco_item (json_t *annotation, size_t index)
{
  gint64 id;

  if (json_get_int (json_object_get (annotation, "id"), &id))
    return g_strdup_printf ("annotation %" PRId64, id);
  return g_strdup_printf ("annotation at position %zu", index + 1);
}

static gboolean
is_sha256 (const char *s)
{
  if (strlen (s) != 64)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* Where Limner's and other common COCO layouts keep the images. */
static void
coco_add_candidates (LimnerParseContext *ctx, LimnerParsedImage *image, const char *json_dir)
{
  g_autofree char *parent = g_path_get_dirname (json_dir);
  g_autofree char *base = g_path_get_basename (ctx->path);
  g_autofree char *name = g_path_get_basename (image->name);

  limner_parse_add_candidate (ctx, image, image->resolved);
  if (g_str_has_prefix (base, "instances_") && g_str_has_suffix (base, ".json"))
    {
      g_autofree char *s = g_strndup (base + strlen ("instances_"), strlen (base) - strlen ("instances_.json"));
      g_autofree char *p1 = g_build_filename (parent, "images", s, image->name, NULL);
      g_autofree char *p2 = g_build_filename (parent, s, image->name, NULL);

      limner_parse_add_candidate (ctx, image, p1);
      limner_parse_add_candidate (ctx, image, p2);
    }
  {
    g_autofree char *p3 = g_build_filename (parent, image->name, NULL);
    g_autofree char *p4 = g_build_filename (json_dir, "images", image->name, NULL);
    g_autofree char *p5 = g_build_filename (ctx->root, image->name, NULL);
    g_autofree char *p6 = g_build_filename (ctx->root, "images", name, NULL);

    limner_parse_add_candidate (ctx, image, p3);
    limner_parse_add_candidate (ctx, image, p4);
    limner_parse_add_candidate (ctx, image, p5);
    limner_parse_add_candidate (ctx, image, p6);
  }
}

static gboolean
coco_read_images (LimnerParseContext *ctx, json_t *images, GHashTable *by_id, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  json_t *value;
  size_t index;

  json_array_foreach (images, index, value)
    {
      g_autofree char *item = NULL;
      LimnerParsedImage *image;
      json_t *file_name, *sha;
      gint64 id, w = 0, h = 0;

      if (!json_is_object (value) || !json_get_int (json_object_get (value, "id"), &id))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("image at position %zu has no whole-number “id”."), index + 1);
          return FALSE;
        }
      item = g_strdup_printf ("image %" PRId64, id);
      if (g_hash_table_contains (by_id, &id))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s is listed twice."), item);
          return FALSE;
        }
      file_name = json_object_get (value, "file_name");
      if (!json_is_string (file_name))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s has no “file_name”."), item);
          return FALSE;
        }

      image = limner_parsed_image_new (item);
      g_ptr_array_add (ctx->images, image);
      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), image);
      image->name = g_strdelimit (g_strdup (json_string_value (file_name)), "\\", '/');
      image->resolved = limner_parse_resolve_path (ctx, dir, json_string_value (file_name), item, error);
      if (image->resolved == NULL)
        return FALSE;
      coco_add_candidates (ctx, image, dir);
      /* X-AnyLabeling's COCO export writes "file_name": "demo". */
      image->by_stem = name_lacks_extension (image->name);
      if (json_get_int (json_object_get (value, "width"), &w)
          && json_get_int (json_object_get (value, "height"), &h)
          && w > 0 && h > 0 && w <= G_MAXINT && h <= G_MAXINT)
        {
          image->width = (int) w;
          image->height = (int) h;
        }
      sha = json_object_get (value, "sha256");
      if (json_is_string (sha) && is_sha256 (json_string_value (sha)))
        image->sha256 = g_ascii_strdown (json_string_value (sha), -1);
      if (json_object_get (value, "augmented_from") != NULL)
        image->skip_reason = g_strdup_printf (_("%s (%s) is an augmented copy made by an export, not a project image; skipped."),
                                              item, image->name);
    }
  return TRUE;
}

static gboolean
coco_read_categories (LimnerParseContext *ctx, json_t *categories, GHashTable *names, GError **error)
{
  json_t *value;
  size_t index;

  json_array_foreach (categories, index, value)
    {
      json_t *name;
      gint64 id;

      if (!json_is_object (value) || !json_get_int (json_object_get (value, "id"), &id))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("category at position %zu has no whole-number “id”."), index + 1);
          return FALSE;
        }
      name = json_object_get (value, "name");
      if (!json_is_string (name) || *json_string_value (name) == '\0')
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("category %" PRId64 " has no name."), id);
          return FALSE;
        }
      if (g_hash_table_contains (names, &id))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("category %" PRId64 " is listed twice."), id);
          return FALSE;
        }
      g_hash_table_insert (names, g_memdup2 (&id, sizeof id), (gpointer) json_string_value (name));
    }
  return TRUE;
}

static gboolean
coco_read_polygon (LimnerParseContext  *ctx,
                   LimnerParsedShape   *shape,
                   json_t              *poly,
                   GError             **error)
{
  size_t n = json_array_size (poly);

  if (n % 2 != 0)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: a polygon has an odd number of coordinates."), shape->item);
      return FALSE;
    }
  for (size_t i = 0; i < n; i += 2)
    if (!add_point (ctx, shape, json_array_get (poly, i), json_array_get (poly, i + 1), error))
      return FALSE;
  return TRUE;
}

/* CVAT exports a rotated box to COCO as its unrotated bbox with the angle,
 * in degrees, in "attributes": {"rotation": ...}. 0 when there is none. */
static double
coco_rotation (json_t *annotation)
{
  json_t *attributes = json_object_get (annotation, "attributes");
  json_t *rotation = json_is_object (attributes) ? json_object_get (attributes, "rotation") : NULL;
  double degrees;

  if (!json_is_number (rotation))
    return 0;
  degrees = fmod (json_number_value (rotation), 360.0);
  return isfinite (degrees) ? degrees : 0;
}

/* What a COCO keypoints annotation (person keypoints) loses on import. */
static char *
coco_keypoints_note (json_t *annotation)
{
  json_t *keypoints = json_object_get (annotation, "keypoints");
  gint64 n = 0;

  if (!json_is_array (keypoints) || json_array_size (keypoints) == 0)
    return NULL;
  if (!json_get_int (json_object_get (annotation, "num_keypoints"), &n))
    n = (gint64) json_array_size (keypoints) / 3;
  if (n <= 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "its %" PRId64 " keypoint was left out (Limner has no keypoints).",
                                       "its %" PRId64 " keypoints were left out (Limner has no keypoints).",
                                       (gulong) n),
                          n);
}

static gboolean
coco_read_annotation (LimnerParseContext  *ctx,
                      json_t              *value,
                      size_t               index,
                      GHashTable          *images,
                      GHashTable          *categories,
                      gint64              *next_group,
                      GError             **error)
{
  g_autofree char *item = NULL;
  g_autofree char *keypoints_note = NULL;
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_parsed_shape_free);
  LimnerParsedImage *image;
  const char *label;
  json_t *seg, *bbox, *score;
  gint64 image_id, category_id;
  double score_value = 0;
  gboolean has_score = FALSE;

  if (!json_is_object (value))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("annotation at position %zu is not an object."), index + 1);
      return FALSE;
    }
  item = coco_item (value, index);
  if (!json_get_int (json_object_get (value, "image_id"), &image_id)
      || (image = g_hash_table_lookup (images, &image_id)) == NULL)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “image_id” names no image of the file."), item);
      return FALSE;
    }
  if (!json_get_int (json_object_get (value, "category_id"), &category_id)
      || (label = g_hash_table_lookup (categories, &category_id)) == NULL)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “category_id” names no category of the file."), item);
      return FALSE;
    }
  score = json_object_get (value, "score");
  if (score != NULL && !json_is_null (score))
    {
      if (!json_is_number (score))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: “score” is not a number."), item);
          return FALSE;
        }
      has_score = TRUE;
      score_value = json_number_value (score);
    }

  seg = json_object_get (value, "segmentation");
  bbox = json_object_get (value, "bbox");
  if (bbox != NULL && !json_is_null (bbox) && (!json_is_array (bbox) || json_array_size (bbox) != 4))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “bbox” is not four numbers."), item);
      return FALSE;
    }

  if (json_is_object (seg))
    {
      json_t *crowd = json_object_get (value, "iscrowd");
      gint64 iscrowd = 0;

      /* Not reduced to the bbox: a box is not the mask's shape, and a
       * crowd region (iscrowd 1) is not one object anyway. */
      json_get_int (crowd, &iscrowd);
      limner_parse_skip (ctx, _("%s: the segmentation is a run-length-encoded mask (iscrowd %" PRId64 "), which Limner cannot hold; skipped rather than reduced to its bbox."),
                         item, iscrowd);
      return TRUE;
    }
  if (seg != NULL && !json_is_null (seg) && !json_is_array (seg))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “segmentation” is neither a list of polygons nor an RLE mask."), item);
      return FALSE;
    }
  keypoints_note = coco_keypoints_note (value);

  if (json_is_array (seg))
    {
      gboolean given = FALSE;
      json_t *poly;
      size_t k;

      json_array_foreach (seg, k, poly)
        {
          LimnerParsedShape *shape;

          if (!json_is_array (poly))
            {
              limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                                  _("%s: polygon %zu is not a list of numbers."), item, k + 1);
              return FALSE;
            }
          /* Some converters write [[]] for a box without a mask. */
          if (json_array_size (poly) == 0)
            continue;
          given = TRUE;
          shape = limner_parsed_shape_new (item);
          g_ptr_array_add (shapes, shape);
          if (!coco_read_polygon (ctx, shape, poly, error))
            return FALSE;
          polygon_drop_repeats (shape->points);
          if (shape->points->len < 6)
            {
              limner_parse_skip (ctx, _("%s: polygon %zu has fewer than three points; skipped."), item, k + 1);
              g_ptr_array_remove_index (shapes, shapes->len - 1);
            }
        }
      if (given)
        {
          gboolean several = shapes->len > 1;

          /* Several polygons are one object: keep them together as a group. */
          if (several)
            ++*next_group;
          while (shapes->len > 0)
            {
              LimnerParsedShape *shape = g_ptr_array_steal_index (shapes, 0);

              shape->label = g_strdup (label);
              shape->kind = LIMNER_SHAPE_POLYGON;
              shape->group = several ? *next_group : 0;
              shape->has_score = has_score;
              shape->score = score_value;
              shape->note = g_strdup (keypoints_note);
              g_ptr_array_add (image->shapes, shape);
            }
          return TRUE;
        }
      /* [] or [[]]: a box only. */
    }

  if (!json_is_array (bbox))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s has neither a segmentation nor a bbox."), item);
      return FALSE;
    }
  {
    LimnerParsedShape *shape = limner_parsed_shape_new (item);
    double rotation = coco_rotation (value);
    double *p;

    if (!add_point (ctx, shape, json_array_get (bbox, 0), json_array_get (bbox, 1), error)
        || !add_point (ctx, shape, json_array_get (bbox, 2), json_array_get (bbox, 3), error))
      {
        limner_parsed_shape_free (shape);
        return FALSE;
      }
    p = (double *) shape->points->data;
    if (p[2] < 0 || p[3] < 0)
      {
        limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                            _("%s: the bbox has a negative width or height."), item);
        limner_parsed_shape_free (shape);
        return FALSE;
      }
    shape->label = g_strdup (label);
    shape->has_score = has_score;
    shape->score = score_value;
    if (rotation != 0)
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        rotated_box_to_polygon (shape->points, p[0] + p[2] / 2, p[1] + p[3] / 2, p[2], p[3],
                                rotation * G_PI / 180);
        shape->kind = LIMNER_SHAPE_POLYGON;
        shape->note = g_strdup_printf (_("the bbox rotated by %s° (CVAT's “rotation” attribute) was imported as the four-point polygon of its corners."),
                                       g_ascii_formatd (buf, sizeof buf, "%g", rotation));
      }
    else
      {
        /* [x, y, w, h] -> corners. */
        p[2] += p[0];
        p[3] += p[1];
        shape->kind = LIMNER_SHAPE_BOX;
        shape->note = g_steal_pointer (&keypoints_note);
      }
    g_ptr_array_add (image->shapes, shape);
  }
  return TRUE;
}

gboolean
limner_parse_coco (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  g_autoptr(json_t) root = NULL;
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  json_t *images_json, *annotations, *categories_json, *value;
  gint64 next_group = 0;
  size_t index;

  root = load_json (ctx, data, len, error);
  if (root == NULL)
    return FALSE;
  if (json_is_array (root) && json_is_object (json_array_get (root, 0))
      && json_object_get (json_array_get (root, 0), "image_id") != NULL)
    {
      /* What pycocotools' loadRes() reads and detectron2 writes. */
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a COCO file but a COCO results list, without the “images” and “categories” that name its images and labels; import a full COCO file."));
      return FALSE;
    }
  if (!json_is_object (root)
      || !json_is_array (images_json = json_object_get (root, "images"))
      || !json_is_array (annotations = json_object_get (root, "annotations"))
      || !json_is_array (categories_json = json_object_get (root, "categories")))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a COCO file: it needs the lists “images”, “annotations” and “categories”."));
      return FALSE;
    }
  if (!coco_read_images (ctx, images_json, images, error)
      || !coco_read_categories (ctx, categories_json, categories, error))
    return FALSE;
  json_array_foreach (annotations, index, value)
    if (!coco_read_annotation (ctx, value, index, images, categories, &next_group, error))
      return FALSE;
  return TRUE;
}

/* --- Pascal VOC ----------------------------------------------------------- */

typedef struct {
  LimnerParseContext *ctx;
  GPtrArray          *stack;    /* element names */
  GString            *text;
  char               *filename;
  char               *width;
  char               *height;
  guint               n_objects;
  /* The object being read. */
  char               *name;
  char               *bounds[4]; /* xmin, ymin, xmax, ymax */
  char               *rotated[5]; /* roLabelImg <robndbox>: cx, cy, w, h, angle */
  char               *score;
  GPtrArray          *parts;    /* of char *: names of its <part> boxes */
  GPtrArray          *objects;  /* of LimnerParsedShape */
} Voc;

static const char * const voc_bounds[4] = { "xmin", "ymin", "xmax", "ymax" };
static const char * const voc_rotated[5] = { "cx", "cy", "w", "h", "angle" };

/* The element path below the root, e.g. "object/bndbox/xmin". */
static char *
voc_path (Voc *voc)
{
  GString *s = g_string_new (NULL);

  for (guint i = 1; i < voc->stack->len; i++)
    {
      if (i > 1)
        g_string_append_c (s, '/');
      g_string_append (s, g_ptr_array_index (voc->stack, i));
    }
  return g_string_free (s, FALSE);
}

static void
voc_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **attribute_names,
           const char          **attribute_values,
           gpointer              user_data,
           GError              **error)
{
  Voc *voc = user_data;

  if (voc->stack->len == 0 && !g_str_equal (element, "annotation"))
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a Pascal VOC file: the root element is <%s>, not <annotation>."), element);
      return;
    }
  g_ptr_array_add (voc->stack, g_strdup (element));
  g_string_truncate (voc->text, 0);
  if (voc->stack->len == 2 && g_str_equal (element, "object"))
    {
      voc->n_objects++;
      g_clear_pointer (&voc->name, g_free);
      g_clear_pointer (&voc->score, g_free);
      for (guint i = 0; i < 4; i++)
        g_clear_pointer (&voc->bounds[i], g_free);
      for (guint i = 0; i < 5; i++)
        g_clear_pointer (&voc->rotated[i], g_free);
      g_ptr_array_set_size (voc->parts, 0);
    }
}

static gboolean
voc_number (Voc *voc, const char *item, const char *tag, const char *text, double *out, GError **error)
{
  char *end = NULL;

  if (text == NULL)
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s has no <%s>."), item, tag);
      return FALSE;
    }
  *out = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0')
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: <%s> “%s” is not a number."), item, tag, text);
      return FALSE;
    }
  return TRUE;
}

/* roLabelImg's rotated box: centre, size and angle (radians, clockwise on
 * screen), as a polygon of its corners. */
static gboolean
voc_read_rotated (Voc *voc, const char *item, LimnerParsedShape *shape, GError **error)
{
  double v[5];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < 5; i++)
    if (!voc_number (voc, item, voc_rotated[i], voc->rotated[i], &v[i], error)
        || !limner_parse_check_coordinate (voc->ctx, item, v[i], error))
      return FALSE;
  if (v[2] < 0 || v[3] < 0)
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                          _("%s: the rotated box has a negative width or height."), item);
      return FALSE;
    }
  rotated_box_to_polygon (shape->points, v[0], v[1], v[2], v[3], v[4]);
  shape->kind = LIMNER_SHAPE_POLYGON;
  shape->note = g_strdup_printf (_("the rotated box (<robndbox>, angle %s rad) was imported as the four-point polygon of its corners."),
                                 g_ascii_formatd (buf, sizeof buf, "%g", v[4]));
  return TRUE;
}

static gboolean
voc_finish_object (Voc *voc, GError **error)
{
  g_autofree char *item = g_strdup_printf ("object %u", voc->n_objects);
  g_autoptr(LimnerParsedShape) shape = NULL;
  gboolean rotated = voc->bounds[0] == NULL && voc->rotated[0] != NULL;
  double b[4];

  if (voc->name == NULL || *voc->name == '\0')
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s has no <name>."), item);
      return FALSE;
    }

  shape = limner_parsed_shape_new (item);
  shape->label = g_strdup (voc->name);
  if (rotated)
    {
      if (!voc_read_rotated (voc, item, shape, error))
        return FALSE;
    }
  else
    {
      for (guint i = 0; i < 4; i++)
        if (!voc_number (voc, item, voc_bounds[i], voc->bounds[i], &b[i], error)
            || !limner_parse_check_coordinate (voc->ctx, item, b[i], error))
          return FALSE;
      shape->kind = LIMNER_SHAPE_BOX;
      /* 1-based inclusive pixel indices back to pixel-corner coordinates. */
      b[0] -= 1;
      b[1] -= 1;
      g_array_append_vals (shape->points, b, 4);
    }
  if (voc->score != NULL)
    {
      if (!voc_number (voc, item, "score", voc->score, &shape->score, error))
        return FALSE;
      shape->has_score = TRUE;
    }
  if (voc->parts->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (voc->parts, NULL);
      names = g_strjoinv (", ", (char **) voc->parts->pdata);
      g_ptr_array_set_size (voc->parts, voc->parts->len - 1);
      limner_parse_skip (voc->ctx,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%s: the %u <part> box inside it (%s) was skipped; only the object's own box is imported.",
                                      "%s: the %u <part> boxes inside it (%s) were skipped; only the object's own box is imported.",
                                      voc->parts->len),
                         item, voc->parts->len, names);
    }
  g_ptr_array_add (voc->objects, g_steal_pointer (&shape));
  return TRUE;
}

static void
voc_end (GMarkupParseContext  *context,
         const char           *element,
         gpointer              user_data,
         GError              **error)
{
  Voc *voc = user_data;
  g_autofree char *path = voc_path (voc);
  g_autofree char *text = g_strstrip (g_strdup (voc->text->str));

  if (g_str_equal (path, "filename"))
    set_str (&voc->filename, text);
  else if (g_str_equal (path, "size/width"))
    set_str (&voc->width, text);
  else if (g_str_equal (path, "size/height"))
    set_str (&voc->height, text);
  else if (g_str_equal (path, "object/name"))
    set_str (&voc->name, text);
  else if (g_str_equal (path, "object/score") || g_str_equal (path, "object/confidence"))
    set_str (&voc->score, text);
  else if (g_str_equal (path, "object/part/name"))
    g_ptr_array_add (voc->parts, g_strdup (*text != '\0' ? text : "?"));
  else if (g_str_has_prefix (path, "object/bndbox/"))
    {
      for (guint i = 0; i < 4; i++)
        if (g_str_equal (path + strlen ("object/bndbox/"), voc_bounds[i]))
          set_str (&voc->bounds[i], text);
    }
  else if (g_str_has_prefix (path, "object/robndbox/"))
    {
      for (guint i = 0; i < 5; i++)
        if (g_str_equal (path + strlen ("object/robndbox/"), voc_rotated[i]))
          set_str (&voc->rotated[i], text);
    }
  else if (g_str_equal (path, "object"))
    voc_finish_object (voc, error);

  g_ptr_array_remove_index (voc->stack, voc->stack->len - 1);
  g_string_truncate (voc->text, 0);
}

static void
voc_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 len,
          gpointer              user_data,
          GError              **error)
{
  Voc *voc = user_data;

  /* Leaf text only; a cap keeps a huge text node from growing without bound. */
  if (voc->text->len + len <= 4096)
    g_string_append_len (voc->text, text, len);
}

/* The encoding an XML declaration names, if it is not UTF-8 (GMarkup reads
 * UTF-8 only): `<?xml version="1.0" encoding="ISO-8859-1"?>`. */
static char *
voc_declared_encoding (const char *data, gsize len)
{
  g_autofree char *head = g_strndup (data, MIN (len, 256));
  char *end, *enc, quote;
  char *close;

  if (!g_str_has_prefix (head, "<?xml") || (end = strstr (head, "?>")) == NULL)
    return NULL;
  *end = '\0';
  enc = strstr (head, "encoding");
  if (enc == NULL)
    return NULL;
  enc += strlen ("encoding");
  while (*enc == ' ' || *enc == '=')
    enc++;
  quote = *enc;
  if ((quote != '"' && quote != '\'') || (close = strchr (enc + 1, quote)) == NULL)
    return NULL;
  *close = '\0';
  enc++;
  if (g_ascii_strcasecmp (enc, "utf-8") == 0 || g_ascii_strcasecmp (enc, "utf8") == 0 || *enc == '\0')
    return NULL;
  return g_strdup (enc);
}

/* <width> and <height> as whole pixels; "500.0" too. 0 when missing or
 * not positive (LabelImg writes 0 when it could not read the image). */
static int
voc_size (const char *text)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return 0;
  v = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0' || !(v >= 1 && v <= G_MAXINT) || v != floor (v))
    return 0;
  return (int) v;
}

gboolean
limner_parse_voc (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  static const GMarkupParser parser = { voc_start, voc_end, voc_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  g_autofree char *encoding = voc_declared_encoding (data, len);
  g_autofree char *converted = NULL;
  Voc voc = { ctx };
  LimnerParsedImage *image = NULL;
  gboolean ok = TRUE;

  /* Text that is valid UTF-8 is read as such whatever it declares: a
   * Latin-1 "é" never forms a UTF-8 sequence, while writers that declare
   * one encoding and write UTF-8 exist. */
  if (encoding != NULL && !g_utf8_validate_len (data, len, NULL))
    {
      g_autoptr(GError) local = NULL;
      gsize written = 0;

      converted = g_convert (data, len, "UTF-8", encoding, NULL, &written, &local);
      if (converted == NULL)
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("the file declares the encoding “%s”, and reading it as such failed: %s"),
                              encoding, local->message);
          return FALSE;
        }
      data = converted;
      len = written;
    }

  voc.stack = g_ptr_array_new_with_free_func (g_free);
  voc.text = g_string_new (NULL);
  voc.parts = g_ptr_array_new_with_free_func (g_free);
  voc.objects = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_parsed_shape_free);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &voc, NULL);
  ok = g_markup_parse_context_parse (context, data, len, error)
       && g_markup_parse_context_end_parse (context, error);
  if (!ok && error != NULL && *error != NULL && (*error)->domain == G_MARKUP_ERROR)
    g_prefix_error (error, "%s: ", ctx->display);

  /* Without <filename> the XML's own name can stand in, but only for
   * something that has objects; an empty <annotation> is no VOC file. */
  if (ok && (voc.filename == NULL || *voc.filename == '\0') && voc.n_objects == 0)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a Pascal VOC file: there is no <filename>."));
      ok = FALSE;
    }
  if (ok)
    {
      g_autofree char *own_stem = file_stem (ctx->path);

      image = limner_parsed_image_new ("filename");
      g_ptr_array_add (ctx->images, image);
      if (voc.filename == NULL || *voc.filename == '\0')
        {
          /* LabelImg and most writers name the XML after its image. */
          image->name = g_strdup (own_stem);
          image->by_stem = TRUE;
          image->note = g_strdup_printf (_("<filename> is missing or empty; the image was found by the file's own name, %s."),
                                         own_stem);
        }
      else
        {
          image->name = g_strdelimit (g_strdup (voc.filename), "\\", '/');
          image->resolved = limner_parse_resolve_path (ctx, dir, voc.filename, "filename", error);
          ok = image->resolved != NULL;
          image->by_stem = name_lacks_extension (image->name);
          image->fallback = g_strdup (own_stem);
        }
    }
  if (ok)
    {
      g_autofree char *parent = g_path_get_dirname (dir);
      g_autofree char *jpeg_images = g_build_filename (parent, "JPEGImages", NULL);

      if (image->resolved != NULL)
        {
          g_autofree char *base = g_path_get_basename (image->name);
          g_autofree char *beside = g_build_filename (jpeg_images, base, NULL);

          limner_parse_add_candidate (ctx, image, image->resolved);
          limner_parse_add_candidate (ctx, image, beside);
        }
      if (image->by_stem)
        {
          g_autofree char *stem = g_path_get_basename (image->name);
          const char * const *exts = limner_image_get_extensions ();

          for (guint d = 0; d < 2; d++)
            for (guint e = 0; exts[e] != NULL; e++)
              for (guint upper = 0; upper < 2; upper++)
                {
                  g_autofree char *ext = upper ? g_ascii_strup (exts[e], -1) : g_strdup (exts[e]);
                  g_autofree char *name = g_strconcat (stem, ".", ext, NULL);
                  g_autofree char *path = g_build_filename (d == 0 ? dir : jpeg_images, name, NULL);

                  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
                    limner_parse_add_candidate (ctx, image, path);
                }
        }
      image->width = voc_size (voc.width);
      image->height = voc_size (voc.height);
      if (image->width == 0 || image->height == 0)
        image->width = image->height = 0;
      while (voc.objects->len > 0)
        g_ptr_array_add (image->shapes, g_ptr_array_steal_index (voc.objects, 0));
    }

  g_ptr_array_unref (voc.stack);
  g_string_free (voc.text, TRUE);
  g_ptr_array_unref (voc.objects);
  g_ptr_array_unref (voc.parts);
  g_free (voc.filename);
  g_free (voc.width);
  g_free (voc.height);
  g_free (voc.name);
  g_free (voc.score);
  for (guint i = 0; i < 4; i++)
    g_free (voc.bounds[i]);
  for (guint i = 0; i < 5; i++)
    g_free (voc.rotated[i]);
  return ok;
}

/* --- YOLO ----------------------------------------------------------------- */

static gboolean
yolo_number (LimnerParseContext *ctx, const char *item, const char *token, double *out, GError **error)
{
  char *end = NULL;

  *out = g_ascii_strtod (token, &end);
  if (end == NULL || *end != '\0')
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “%s” is not a number."), item, token);
      return FALSE;
    }
  return TRUE;
}

/* The class index: "3", or "3.0" as scripts that save numpy arrays write it. */
static gboolean
yolo_class (const char *token, guint64 *out)
{
  char *end = NULL;
  double v;

  if (g_ascii_string_to_unsigned (token, 10, 0, G_MAXUINT, out, NULL))
    return TRUE;
  v = g_ascii_strtod (token, &end);
  if (end == NULL || *end != '\0' || !(v >= 0 && v <= G_MAXUINT) || v != floor (v))
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

/* The image files the label file may belong to: Ultralytics' rule
 * (the last "labels" folder replaced by "images") and the same folder
 * (LabelImg, CVAT's YOLO 1.1). Extensions in either case: cameras write .JPG. */
static void
yolo_add_candidates (LimnerParseContext *ctx, LimnerParsedImage *image)
{
  g_autofree char *dir = g_path_get_dirname (ctx->path);
  g_auto(GStrv) parts = g_strsplit (dir, G_DIR_SEPARATOR_S, -1);
  g_autofree char *images_dir = NULL;
  const char * const *exts = limner_image_get_extensions ();

  for (int i = (int) g_strv_length (parts) - 1; i >= 0; i--)
    if (g_str_equal (parts[i], "labels"))
      {
        g_free (parts[i]);
        parts[i] = g_strdup ("images");
        images_dir = g_strjoinv (G_DIR_SEPARATOR_S, parts);
        break;
      }
  for (guint d = 0; d < 2; d++)
    {
      const char *folder = d == 0 ? images_dir : dir;

      if (folder == NULL)
        continue;
      for (guint e = 0; exts[e] != NULL; e++)
        for (guint upper = 0; upper < 2; upper++)
          {
            g_autofree char *ext = upper ? g_ascii_strup (exts[e], -1) : g_strdup (exts[e]);
            g_autofree char *name = g_strconcat (image->name, ".", ext, NULL);
            g_autofree char *path = g_build_filename (folder, name, NULL);

            if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
              limner_parse_add_candidate (ctx, image, path);
          }
    }
}

/* Ultralytics' train.txt / val.txt and darknet's (CVAT YOLO 1.1) list image
 * paths, one a line, and sit among the label files. */
static gboolean
yolo_is_image_list (char **lines)
{
  guint n = 0;

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autofree char *line = g_strstrip (g_strdelimit (g_strdup (lines[l]), "\\", '/'));
      char *end = NULL;

      if (*line == '\0')
        continue;
      g_ascii_strtod (line, &end);
      if (end != line || !limner_image_has_image_extension (line))
        return FALSE;
      n++;
    }
  return n > 0;
}

/* A fraction this far outside [0, 1] is no rounding slip: the row is in
 * pixels, or broken. */
#define YOLO_FRACTION_SLACK 1.0

gboolean
limner_parse_yolo (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  g_autofree char *text = g_strndup (data, len);
  g_autofree char *base = g_path_get_basename (ctx->path);
  g_auto(GStrv) lines = NULL;
  LimnerParsedImage *image;
  guint n_names = g_strv_length (ctx->names);
  guint pose = ctx->yolo_kpt_values;

  if (strlen (text) != len || !g_utf8_validate (text, -1, NULL))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a YOLO label file: it is not text."));
      return FALSE;
    }

  /* Split on '\n' and strip each line: "\r\n" files read the same. */
  lines = g_strsplit (text, "\n", -1);
  if (yolo_is_image_list (lines))
    {
      limner_parse_skip (ctx, _("the file lists image paths (as train.txt does), it holds no labels; skipped."));
      return TRUE;
    }

  image = limner_parsed_image_new ("file");
  g_ptr_array_add (ctx->images, image);
  image->name = g_strndup (base, strlen (base) - (g_str_has_suffix (base, ".txt") ? 4 : 0));
  image->by_stem = TRUE;
  image->normalised = TRUE;
  yolo_add_candidates (ctx, image);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autofree char *item = g_strdup_printf ("line %u", l + 1);
      g_auto(GStrv) raw = g_strsplit_set (g_strstrip (lines[l]), " \t", -1);
      g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
      g_autoptr(LimnerParsedShape) shape = NULL;
      guint64 cls;
      guint n_coords;
      gboolean pose_row;
      double v, lo = 0, hi = 1;

      for (guint i = 0; raw[i] != NULL; i++)
        if (*raw[i] != '\0')
          g_ptr_array_add (tokens, raw[i]);
      if (tokens->len == 0 || *(char *) g_ptr_array_index (tokens, 0) == '#')
        continue;
      if (tokens->len < 5)
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: expected a class and four box values, or a class and at least three points."),
                              item);
          return FALSE;
        }
      if (!yolo_class (g_ptr_array_index (tokens, 0), &cls))
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: the class “%s” is not a whole number."),
                              item, (char *) g_ptr_array_index (tokens, 0));
          return FALSE;
        }
      if (cls >= n_names)
        {
          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_UNKNOWN_LABEL,
                              _("%s: class %" PRIu64 " has no name (the names list has %u)."),
                              item, cls, n_names);
          return FALSE;
        }

      shape = limner_parsed_shape_new (item);
      shape->label = g_strdup (ctx->names[cls]);
      /* Pose (data.yaml has kpt_shape): box, keypoints, [score].
       * Otherwise 5: box; 6: box + score; odd >= 7: polygon; even >= 8:
       * polygon + score. A triangle is 7 values, a box with a score 6. */
      pose_row = pose > 0 && (tokens->len == 5 + pose || tokens->len == 6 + pose);
      if (tokens->len <= 6 || pose_row)
        n_coords = 4;
      else
        n_coords = (tokens->len - 1) - (tokens->len - 1) % 2;
      for (guint i = 1; i < tokens->len; i++)
        {
          if (!yolo_number (ctx, item, g_ptr_array_index (tokens, i), &v, error))
            return FALSE;
          if (i <= n_coords)
            {
              if (!limner_parse_check_coordinate (ctx, item, v, error))
                return FALSE;
              g_array_append_val (shape->points, v);
            }
          else if (pose_row && i <= n_coords + pose)
            continue;
          else
            {
              shape->has_score = TRUE;
              shape->score = v;
            }
        }
      if (n_coords == 4)
        {
          double *p = (double *) shape->points->data;
          double cx = p[0], cy = p[1], w = p[2], h = p[3];

          if (w < 0 || h < 0)
            {
              limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                                  _("%s: the box has a negative width or height."), item);
              return FALSE;
            }
          p[0] = cx - w / 2;
          p[1] = cy - h / 2;
          p[2] = cx + w / 2;
          p[3] = cy + h / 2;
          shape->kind = LIMNER_SHAPE_BOX;
          if (pose_row)
            shape->note = g_strdup_printf (_("the row's %u keypoint values were left out (Limner has no keypoints); its box was imported."),
                                           pose);
        }
      else
        {
          polygon_drop_repeats (shape->points);
          if (shape->points->len < 6)
            {
              limner_parse_skip (ctx, _("%s: a polygon needs at least three distinct points; skipped."), item);
              continue;
            }
          shape->kind = LIMNER_SHAPE_POLYGON;
        }

      for (guint i = 0; i < shape->points->len; i++)
        {
          lo = MIN (lo, g_array_index (shape->points, double, i));
          hi = MAX (hi, g_array_index (shape->points, double, i));
        }
      if (lo < -YOLO_FRACTION_SLACK || hi > 1 + YOLO_FRACTION_SLACK)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          limner_parse_skip (ctx, _("%s: YOLO coordinates are fractions of the image width and height, and %s is far from 0…1 (pixels?); skipped."),
                             item, g_ascii_formatd (buf, sizeof buf, "%g", hi > 1 + YOLO_FRACTION_SLACK ? hi : lo));
          continue;
        }
      g_ptr_array_add (image->shapes, g_steal_pointer (&shape));
    }
  return TRUE;
}

/* A YAML scalar as names are written: plain, 'single' or "double" quoted. */
static char *
yaml_scalar (const char *text)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  gsize n = strlen (s);

  if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'')
    {
      GString *out = g_string_new (NULL);

      for (gsize i = 1; i + 1 < n; i++)
        {
          g_string_append_c (out, s[i]);
          if (s[i] == '\'' && s[i + 1] == '\'')
            i++;
        }
      return g_string_free (out, FALSE);
    }
  if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
    {
      g_autofree char *inner = g_strndup (s + 1, n - 2);
      return g_strcompress (inner);
    }
  /* A plain scalar ends at " #" (a comment). */
  {
    char *hash = strstr (s, " #");

    if (hash != NULL)
      *hash = '\0';
  }
  return g_strstrip (g_strdup (s));
}

/* Splits a flow collection body ("a, 'b, c', d") at top-level commas. */
static GPtrArray *
yaml_flow_items (const char *body)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  char quote = 0;

  for (const char *p = body; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == ',')
        {
          g_ptr_array_add (items, g_strdup (cur->str));
          g_string_truncate (cur, 0);
          continue;
        }
      g_string_append_c (cur, *p);
    }
  if (*g_strstrip (cur->str) != '\0')
    g_ptr_array_add (items, g_strdup (cur->str));
  g_string_free (cur, TRUE);
  return items;
}

/* Cuts a " # comment" off a line, outside quotes. */
static char *
yaml_strip_comment (char *line)
{
  char quote = 0;

  for (char *p = line; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t'))
        {
          *p = '\0';
          break;
        }
    }
  return g_strstrip (line);
}

/* The bracket that closes the flow collection `s` opens, or NULL. */
static char *
yaml_flow_close (char *s)
{
  char quote = 0;
  int depth = 0;

  for (char *p = s; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '[' || *p == '{')
        depth++;
      else if ((*p == ']' || *p == '}') && --depth == 0)
        return p;
    }
  return NULL;
}

/* "0: cat" -> index 0, "cat"; FALSE if not an index map entry. */
static gboolean
yaml_index_entry (const char *text, guint64 *index, char **value)
{
  const char *colon = strchr (text, ':');
  g_autofree char *key = NULL;

  if (colon == NULL)
    return FALSE;
  key = g_strstrip (g_strndup (text, colon - text));
  if (!g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT, index, NULL))
    return FALSE;
  *value = yaml_scalar (colon + 1);
  return TRUE;
}

static char **
names_from_entries (const char *display, GPtrArray *plain, GHashTable *indexed, GError **error)
{
  GPtrArray *out;
  guint n;

  if (plain->len > 0 && g_hash_table_size (indexed) > 0)
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                   _("%s: “names” mixes a list with an index map."), display);
      return NULL;
    }
  if (plain->len > 0)
    {
      out = g_ptr_array_new ();
      for (guint i = 0; i < plain->len; i++)
        g_ptr_array_add (out, g_strdup (g_ptr_array_index (plain, i)));
      g_ptr_array_add (out, NULL);
      return (char **) g_ptr_array_free (out, FALSE);
    }
  n = g_hash_table_size (indexed);
  out = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const char *name = g_hash_table_lookup (indexed, GUINT_TO_POINTER (i));

      if (name == NULL)
        {
          g_ptr_array_add (out, NULL);
          g_strfreev ((char **) g_ptr_array_free (out, FALSE));
          g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                       _("%s: “names” has no class %u; indices must run 0, 1, 2, ..."), display, i);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (name));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char **
limner_parse_yolo_names (const char  *display,
                         const char  *data,
                         gsize        len,
                         gboolean     yaml,
                         GError     **error)
{
  g_autofree char *text = g_strndup (data, len);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) indexed = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  gboolean found = FALSE;
  char **names;

  if (strlen (text) != len || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                   _("%s: the class names are not text."), display);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);

  if (!yaml)
    {
      for (guint i = 0; lines[i] != NULL; i++)
        {
          char *name = g_strstrip (lines[i]);

          if (*name != '\0')
            g_ptr_array_add (plain, g_strdup (name));
        }
      found = plain->len > 0;
    }

  for (guint i = 0; yaml && lines[i] != NULL && !found; i++)
    {
      char *line = lines[i];
      char *rest;

      g_strchomp (line);
      if (!g_str_has_prefix (line, "names:"))
        continue;
      found = TRUE;
      rest = g_strstrip (line + strlen ("names:"));
      if (*rest == '[' || *rest == '{')
        {
          gboolean map = *rest == '{';
          g_autoptr(GString) flow = g_string_new (yaml_strip_comment (rest));
          g_autoptr(GPtrArray) items = NULL;
          char *close;

          /* YOLOv5's coco.yaml spreads the list over several lines. */
          for (guint k = i + 1; (close = yaml_flow_close (flow->str)) == NULL && lines[k] != NULL; k++)
            {
              g_string_append_c (flow, ' ');
              g_string_append (flow, yaml_strip_comment (lines[k]));
            }
          if (close == NULL)
            {
              g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                           _("%s: line %u: the “names” list is never closed."), display, i + 1);
              return NULL;
            }
          *close = '\0';
          items = yaml_flow_items (flow->str + 1);
          for (guint k = 0; k < items->len; k++)
            {
              guint64 index;
              char *value;

              if (map)
                {
                  if (!yaml_index_entry (g_ptr_array_index (items, k), &index, &value))
                    {
                      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                                   _("%s: line %u: “%s” is not “index: name”."), display, i + 1,
                                   (char *) g_ptr_array_index (items, k));
                      return NULL;
                    }
                  g_hash_table_replace (indexed, GUINT_TO_POINTER ((guint) index), value);
                }
              else
                g_ptr_array_add (plain, yaml_scalar (g_ptr_array_index (items, k)));
            }
          break;
        }
      if (*rest != '\0' && *rest != '#')
        {
          g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                       _("%s: line %u: “names” is neither a list nor an index map."), display, i + 1);
          return NULL;
        }
      /* A block: the indented lines that follow. */
      for (guint k = i + 1; lines[k] != NULL; k++)
        {
          char *entry = lines[k];
          guint64 index;
          char *value;

          g_strchomp (entry);
          if (*entry == '\0')
            continue;
          if (entry[0] != ' ' && entry[0] != '\t' && entry[0] != '-')
            break;
          g_strchug (entry);
          if (entry[0] == '#')
            continue;
          if (entry[0] == '-')
            g_ptr_array_add (plain, yaml_scalar (entry + 1));
          else if (yaml_index_entry (entry, &index, &value))
            g_hash_table_replace (indexed, GUINT_TO_POINTER ((guint) index), value);
          else
            {
              g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                           _("%s: line %u: “%s” is not a class name entry."), display, k + 1, entry);
              return NULL;
            }
        }
    }

  if (!found || (plain->len == 0 && g_hash_table_size (indexed) == 0))
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                   _("%s: there are no class names."), display);
      return NULL;
    }
  names = names_from_entries (display, plain, indexed, error);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (*names[i] == '\0')
      {
        g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                     _("%s: class %u has an empty name."), display, i);
        g_strfreev (names);
        return NULL;
      }
  return names;
}

guint
limner_parse_yolo_kpt_values (const char *data,
                              gsize       len)
{
  g_autofree char *text = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *rest;
      guint64 k, d;
      g_auto(GStrv) dims = NULL;

      if (!g_str_has_prefix (lines[i], "kpt_shape:"))
        continue;
      rest = yaml_strip_comment (lines[i] + strlen ("kpt_shape:"));
      if (*rest != '[' || !g_str_has_suffix (rest, "]"))
        return 0;
      rest[strlen (rest) - 1] = '\0';
      dims = g_strsplit (rest + 1, ",", -1);
      /* [K, 2] or [K, 3]: K points of x, y and, with 3, visibility. */
      if (g_strv_length (dims) != 2
          || !g_ascii_string_to_unsigned (g_strstrip (dims[0]), 10, 1, 10000, &k, NULL)
          || !g_ascii_string_to_unsigned (g_strstrip (dims[1]), 10, 2, 3, &d, NULL))
        return 0;
      return (guint) (k * d);
    }
  return 0;
}
