/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-voc.c: the Pascal VOC XML reader.
 *
 * XML goes through GMarkupParseContext, which knows no DTDs and so never
 * expands an external or recursive entity (an unknown entity is a parse
 * error).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-image.h"
#include "limner-import-annotations-private.h"

static void
set_str (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}


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
  gboolean            text_cut;  /* the current element's text went over VOC_MAX_TEXT */
  gboolean            root_done; /* </annotation> was read */
  guint               n_bndbox;  /* <bndbox> elements in the current object */
  guint               n_objects_extra_bndbox;
  guint               first_extra_bndbox; /* the first object with more than one */
} Voc;

/* VOC nests four deep (annotation/object/part/bndbox); the cap keeps the
 * element path, rebuilt at each end tag, from costing the square of the depth. */
#define VOC_MAX_DEPTH 32
/* Longer leaf text is cut, and an error when it is text Limner reads. */
#define VOC_MAX_TEXT 4096

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

  if (voc->stack->len == 0 && voc->root_done)
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("a second root element <%s> follows </annotation>; a Pascal VOC file has one."),
                          element);
      return;
    }
  if (voc->stack->len >= VOC_MAX_DEPTH)
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("elements are nested more than %d deep (at <%s>); a Pascal VOC file nests four."),
                          VOC_MAX_DEPTH, element);
      return;
    }
  if (voc->stack->len == 0 && !g_str_equal (element, "annotation"))
    {
      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("not a Pascal VOC file: the root element is <%s>, not <annotation>."), element);
      return;
    }
  g_ptr_array_add (voc->stack, g_strdup (element));
  g_string_truncate (voc->text, 0);
  voc->text_cut = FALSE;
  if (voc->stack->len == 3 && g_str_equal (element, "bndbox")
      && g_str_equal (g_ptr_array_index (voc->stack, 1), "object")
      && voc->n_bndbox++ == 1)
    {
      if (voc->n_objects_extra_bndbox++ == 0)
        voc->first_extra_bndbox = voc->n_objects;
    }
  if (voc->stack->len == 2 && g_str_equal (element, "object"))
    {
      voc->n_objects++;
      voc->n_bndbox = 0;
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
      g_autofree char *quoted = limner_parse_excerpt (text);

      limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                          _("%s: <%s> “%s” is not a number."), item, tag, quoted);
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
  limner_parse_rotated_box (shape->points, v[0], v[1], v[2], v[3], v[4]);
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

/* Whether Limner reads the text of the element at `path`. */
static gboolean
voc_reads (const char *path)
{
  static const char * const read[] = {
    "filename", "size/width", "size/height", "object/name", "object/score",
    "object/confidence", "object/part/name",
  };

  for (guint i = 0; i < G_N_ELEMENTS (read); i++)
    if (g_str_equal (path, read[i]))
      return TRUE;
  return g_str_has_prefix (path, "object/bndbox/") || g_str_has_prefix (path, "object/robndbox/");
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

  if (voc->text_cut && voc_reads (path))
    {
      g_autofree char *item = g_strdup_printf ("object %u", voc->n_objects);
      const char *tag = strrchr (path, '/') != NULL ? strrchr (path, '/') + 1 : path;

      if (g_str_has_prefix (path, "object/"))
        limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                            _("%s: <%s> is too long (over %d bytes)."), item, tag, VOC_MAX_TEXT);
      else
        limner_parse_error (voc->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                            _("<%s> is too long (over %d bytes)."), tag, VOC_MAX_TEXT);
    }
  else if (g_str_equal (path, "filename"))
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
  else if (g_str_has_prefix (path, "object/bndbox/") && voc->n_bndbox == 1)
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
  voc->text_cut = FALSE;
  if (voc->stack->len == 0)
    voc->root_done = TRUE;
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
  if (voc->text->len + len <= VOC_MAX_TEXT)
    g_string_append_len (voc->text, text, len);
  else
    voc->text_cut = TRUE;
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

/* <width> or <height> as written, when it is a number at all; whether it is
 * a usable size is limner_parse_declared_size()'s call. */
static gboolean
voc_size (const char *text, double *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0')
    *out = NAN;
  return TRUE;
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
  if (encoding != NULL && g_utf8_validate_len (data, len, NULL))
    {
      GIConv cd = g_iconv_open ("UTF-8", encoding);

      if (cd == (GIConv) -1)
        {
          g_autofree char *quoted = limner_parse_excerpt (encoding);

          limner_parse_note (ctx, _("the file declares the encoding “%s”, which is unknown; its text is valid UTF-8 and was read as such."),
                             quoted);
        }
      else
        g_iconv_close (cd);
    }
  else if (encoding != NULL)
    {
      g_autoptr(GError) local = NULL;
      gsize written = 0;

      converted = g_convert (data, len, "UTF-8", encoding, NULL, &written, &local);
      if (converted == NULL)
        {
          g_autofree char *quoted = limner_parse_excerpt (encoding);

          limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,
                              _("the file declares the encoding “%s”, and reading it as such failed: %s"),
                              quoted, local->message);
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
      g_autofree char *own_stem = limner_parse_file_stem (ctx->path);

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
          image->by_stem = limner_parse_name_lacks_extension (image->name);
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
      {
        double w = 0, h = 0;
        gboolean w_ok = voc_size (voc.width, &w), h_ok = voc_size (voc.height, &h);

        limner_parse_declared_size (ctx, image, w_ok, w, h_ok, h);
      }
      if (voc.n_objects_extra_bndbox > 0)
        limner_parse_note (ctx,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "object %u has more than one <bndbox> (%u object in all); the first box of each was imported.",
                                        "object %u has more than one <bndbox> (%u objects in all); the first box of each was imported.",
                                        voc.n_objects_extra_bndbox),
                           voc.first_extra_bndbox, voc.n_objects_extra_bndbox);
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
