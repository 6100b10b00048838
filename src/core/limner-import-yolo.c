/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-yolo.c: the YOLO (Ultralytics) text reader, and the class names of
 * a data.yaml or a names file.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "limner-image.h"
#include "limner-import-annotations-private.h"

static gboolean
yolo_number (LimnerParseContext *ctx, const char *item, const char *token, double *out, GError **error)
{
  char *end = NULL;

  *out = g_ascii_strtod (token, &end);
  if (end == NULL || *end != '\0')
    {
      g_autofree char *quoted = limner_parse_excerpt (token);

      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: “%s” is not a number."), item, quoted);
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
          g_autofree char *quoted_class = limner_parse_excerpt (g_ptr_array_index (tokens, 0));

          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("%s: the class “%s” is not a whole number."),
                              item, quoted_class);
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
          limner_parse_polygon_drop_repeats (shape->points);
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
                      g_autofree char *quoted = limner_parse_excerpt (g_ptr_array_index (items, k));

                      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                                   _("%s: line %u: “%s” is not “index: name”."), display, i + 1,
                                   quoted);
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
              g_autofree char *quoted = limner_parse_excerpt (entry);

              g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                           _("%s: line %u: “%s” is not a class name entry."), display, k + 1, quoted);
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
