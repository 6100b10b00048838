/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-parse.c: what the annotation readers share: parsed images and shapes,
 * messages, paths kept inside the chosen folder, coordinates, JSON.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-import-annotations-private.h"

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

char *
limner_parse_excerpt (const char *text)
{
  GString *s = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (n == LIMNER_PARSE_EXCERPT_CHARS)
        {
          g_string_append (s, "…");
          break;
        }
      n++;
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (s, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c == '\r')
        g_string_append (s, "\\r");
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_unichar (s, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (s, FALSE);
}

void
limner_parse_note (LimnerParseContext *ctx, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (ctx->notes, g_strdup_printf ("%s: %s", ctx->display, msg));
}

void
limner_parse_declared_size (LimnerParseContext *ctx,
                            LimnerParsedImage  *image,
                            gboolean            w_ok,
                            double              w,
                            gboolean            h_ok,
                            double              h)
{
  char wbuf[G_ASCII_DTOSTR_BUF_SIZE], hbuf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!w_ok && !h_ok)
    return;
  if (w_ok && h_ok && w >= 1 && h >= 1 && w <= G_MAXINT && h <= G_MAXINT
      && w == floor (w) && h == floor (h))
    {
      image->width = (int) w;
      image->height = (int) h;
      return;
    }
  limner_parse_note (ctx, _("%s: the declared image size %s×%s is not a usable size; it was not compared with the project image."),
                     image->item,
                     w_ok ? g_ascii_formatd (wbuf, sizeof wbuf, "%.15g", w) : "?",
                     h_ok ? g_ascii_formatd (hbuf, sizeof hbuf, "%.15g", h) : "?");
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
  g_autofree char *quoted = limner_parse_excerpt (ref);

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
                          item, quoted);
      return NULL;
    }
  resolved = g_canonicalize_filename (unix_ref, base_dir);
  if (!path_is_inside (resolved, ctx->root))
    {
      limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_PATH,
                          _("%s: the image path “%s” leads outside the folder being imported (%s); import a folder that holds both the annotation files and the images."),
                          item, quoted, ctx->root);
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

json_t *
limner_parse_load_json (LimnerParseContext *ctx, const char *data, gsize len, GError **error)
{
  json_error_t jerror;
  json_t *root = json_loadb (data, len, JSON_REJECT_DUPLICATES, &jerror);

  if (root == NULL)
    limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                        _("line %d, column %d: %s"), jerror.line, jerror.column, jerror.text);
  return root;
}

/* A whole number that fits a gint64; jansson reads "1.0" as a real. */
gboolean
limner_parse_json_int (json_t *value, gint64 *out)
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

gboolean
limner_parse_add_point (LimnerParseContext  *ctx,
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

/* Drops vertices that repeat the one before, and a last vertex that repeats
 * the first (some tools close their polygons explicitly; Limner's are
 * implicitly closed). The outline is unchanged. */
void
limner_parse_polygon_drop_repeats (GArray *points)
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
void
limner_parse_rotated_box (GArray *points, double cx, double cy, double w, double h, double radians)
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
char *
limner_parse_file_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  return dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
}

/* A name ending in no extension at all ("000001", as some VOC and COCO
 * writers give it) is matched against the project's file stems. */
gboolean
limner_parse_name_lacks_extension (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  const char *dot = strrchr (base, '.');

  return dot == NULL || dot == base;
}
