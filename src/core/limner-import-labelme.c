/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-labelme.c: the labelme (and X-AnyLabeling) JSON reader. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-import-annotations-private.h"

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
  if (limner_parse_json_int (group, &g))
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
labelme_skip_kind (LimnerParseContext *ctx, const char *item, const char *raw_kind)
{
  g_autofree char *kind = limner_parse_excerpt (raw_kind);

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
  g_autofree char *own_stem = limner_parse_file_stem (ctx->path);
  LimnerParsedImage *image;
  json_t *shapes, *image_path, *value;
  gint64 key = 0;
  size_t index;

  /* The file may carry the whole image as base64 in "imageData"; it is
   * parsed like any string (within the size cap) and never decoded. */
  root = limner_parse_load_json (ctx, data, len, error);
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
    json_t *w = json_object_get (root, "imageWidth");
    json_t *h = json_object_get (root, "imageHeight");

    limner_parse_declared_size (ctx, image, json_is_number (w), json_number_value (w),
                                json_is_number (h), json_number_value (h));
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
          if (!limner_parse_add_point (ctx, shape, json_array_get (pt, 0), json_array_get (pt, 1), error))
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
          limner_parse_polygon_drop_repeats (shape->points);
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
