/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-coco.c: the COCO JSON reader. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "limner-import-annotations-private.h"

static char *
coco_item (json_t *annotation, size_t index)
{
  gint64 id;

  if (limner_parse_json_int (json_object_get (annotation, "id"), &id))
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
      json_t *file_name, *sha, *w, *h;
      gint64 id;

      if (!json_is_object (value) || !limner_parse_json_int (json_object_get (value, "id"), &id))
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
      image->by_stem = limner_parse_name_lacks_extension (image->name);
      w = json_object_get (value, "width");
      h = json_object_get (value, "height");
      limner_parse_declared_size (ctx, image, json_is_number (w), json_number_value (w),
                                  json_is_number (h), json_number_value (h));
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

      if (!json_is_object (value) || !limner_parse_json_int (json_object_get (value, "id"), &id))
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
    if (!limner_parse_add_point (ctx, shape, json_array_get (poly, i), json_array_get (poly, i + 1), error))
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
  if (!limner_parse_json_int (json_object_get (annotation, "num_keypoints"), &n))
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
  if (!limner_parse_json_int (json_object_get (value, "image_id"), &image_id)
      || (image = g_hash_table_lookup (images, &image_id)) == NULL)
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “image_id” names no image of the file."), item);
      return FALSE;
    }
  if (!limner_parse_json_int (json_object_get (value, "category_id"), &category_id)
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
      limner_parse_json_int (crowd, &iscrowd);
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
          limner_parse_polygon_drop_repeats (shape->points);
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

    if (!limner_parse_add_point (ctx, shape, json_array_get (bbox, 0), json_array_get (bbox, 1), error)
        || !limner_parse_add_point (ctx, shape, json_array_get (bbox, 2), json_array_get (bbox, 3), error))
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

        limner_parse_rotated_box (shape->points, p[0] + p[2] / 2, p[1] + p[3] / 2, p[2], p[3],
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
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 next_group = 0, first_duplicate = 0;
  guint n_duplicates = 0;
  size_t index;

  root = limner_parse_load_json (ctx, data, len, error);
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
    {
      gint64 id;

      if (!coco_read_annotation (ctx, value, index, images, categories, &next_group, error))
        return FALSE;
      /* Ids are how COCO tools (and our messages) name annotations. */
      if (limner_parse_json_int (json_object_get (value, "id"), &id)
          && !g_hash_table_add (ids, g_memdup2 (&id, sizeof id)))
        {
          if (n_duplicates++ == 0)
            first_duplicate = id;
        }
    }
  if (n_duplicates > 0)
    limner_parse_note (ctx,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "annotation id %" PRId64 " is used more than once (%u repeated id in all); each annotation was imported, but messages naming such an id are ambiguous.",
                                    "annotation id %" PRId64 " is used more than once (%u repeated ids in all); each annotation was imported, but messages naming such an id are ambiguous.",
                                    n_duplicates),
                       first_duplicate, n_duplicates);
  return TRUE;
}
