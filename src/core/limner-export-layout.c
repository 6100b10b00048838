/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-layout.c: split, names, image copies and augmentation shared
 * by the COCO, YOLO, VOC, labelme and CSV exporters. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-export-layout.h"
#include "limner-image.h"

#define COPY_CHUNK (256 * 1024)

struct _LimnerExportLayout
{
  /* Borrowed references */
  LimnerExport   *export;
  LimnerDataset  *dataset;

  /* Owned references */
  GPtrArray      *items;        /* of Item */
  GHashTable     *class_index;  /* label id (gint64 *) -> index + 1 */

  double          ratios[LIMNER_N_SPLITS];
  gboolean        has_split;
  gboolean        split_used[LIMNER_N_SPLITS];
  guint64         seed;
  gboolean        copy_images;
  guint           n_transforms;
  LimnerTransform transforms[5];
  guint           n_unlabelled;
};

/* A LimnerExportItem and the strings it points to. */
typedef struct {
  LimnerExportItem  pub;
  char             *name;
  char             *stem;
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->name);
  g_free (item->stem);
  g_free (item);
}

static const char * const split_names[LIMNER_N_SPLITS] = { "train", "val", "test" };

const char *
limner_split_to_string (LimnerSplit split)
{
  g_return_val_if_fail (split < LIMNER_N_SPLITS, NULL);
  return split_names[split];
}

LimnerSplit
limner_split_for_image (const char   *sha256,
                        guint64       seed,
                        const double  ratios[LIMNER_N_SPLITS])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *key = g_strdup_printf ("%" PRIu64 ":%s", seed, sha256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 bits = 0;
  double u;

  g_checksum_update (checksum, (const guchar *) key, strlen (key));
  g_checksum_get_digest (checksum, digest, &len);
  for (guint i = 0; i < 8; i++)
    bits = (bits << 8) | digest[i];
  /* The top 53 bits give a double in [0, 1) exactly, the same everywhere. */
  u = (double) (bits >> 11) / 9007199254740992.0;
  if (u < ratios[LIMNER_SPLIT_TRAIN])
    return LIMNER_SPLIT_TRAIN;
  if (u < ratios[LIMNER_SPLIT_TRAIN] + ratios[LIMNER_SPLIT_VAL])
    return LIMNER_SPLIT_VAL;
  return ratios[LIMNER_SPLIT_TEST] > 0 ? LIMNER_SPLIT_TEST
       : ratios[LIMNER_SPLIT_VAL] > 0 ? LIMNER_SPLIT_VAL : LIMNER_SPLIT_TRAIN;
}

gboolean
limner_split_parse_ratios (const char  *text,
                           double       ratios[LIMNER_N_SPLITS],
                           GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;
  double sum = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  n = g_strv_length (parts);
  if (n < 2 || n > 3)
    goto bad;
  for (guint i = 0; i < LIMNER_N_SPLITS; i++)
    {
      char *end = NULL;
      const char *part;

      ratios[i] = 0;
      if (i >= n)
        continue;
      part = g_strstrip (parts[i]);
      ratios[i] = g_ascii_strtod (part, &end);
      if (*part == '\0' || end == NULL || *end != '\0' || !isfinite (ratios[i]) || ratios[i] < 0)
        goto bad;
      sum += ratios[i];
    }
  if (fabs (sum - 1.0) > 1e-6 || ratios[LIMNER_SPLIT_TRAIN] <= 0)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
               _("split “%s” is not two or three fractions that add up to 1, train first (e.g. 0.8,0.1,0.1)."),
               text);
  return FALSE;
}

static const struct {
  LimnerTransform  transform;
  const char      *option;
  const char      *suffix;
} transforms[] = {
  { LIMNER_TRANSFORM_FLIP_H,     "flip-h", "fliph" },
  { LIMNER_TRANSFORM_FLIP_V,     "flip-v", "flipv" },
  { LIMNER_TRANSFORM_ROTATE_90,  "rot90",  "rot90" },
  { LIMNER_TRANSFORM_ROTATE_180, "rot180", "rot180" },
  { LIMNER_TRANSFORM_ROTATE_270, "rot270", "rot270" },
};

const char *
limner_transform_to_option (LimnerTransform transform)
{
  for (guint i = 0; i < G_N_ELEMENTS (transforms); i++)
    if (transforms[i].transform == transform)
      return transforms[i].option;
  return NULL;
}

gboolean
limner_transform_from_option (const char *text, LimnerTransform *out)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (transforms); i++)
    if (g_str_equal (transforms[i].option, text))
      {
        if (out != NULL)
          *out = transforms[i].transform;
        return TRUE;
      }
  return FALSE;
}

static const char *
transform_suffix (LimnerTransform transform)
{
  for (guint i = 0; i < G_N_ELEMENTS (transforms); i++)
    if (transforms[i].transform == transform)
      return transforms[i].suffix;
  return NULL;
}

static gboolean
parse_options (LimnerExportLayout *self, GError **error)
{
  const char *split = limner_export_get_option (self->export, "split");
  const char *augment = limner_export_get_option (self->export, "augment");
  const char *images = limner_export_get_option (self->export, "images");
  gint64 seed;

  self->ratios[LIMNER_SPLIT_TRAIN] = 1;
  if (split != NULL)
    {
      if (!limner_split_parse_ratios (split, self->ratios, error))
        return FALSE;
      self->has_split = TRUE;
    }

  if (!limner_export_get_option_int (self->export, "seed", 0, &seed, error))
    return FALSE;
  self->seed = (guint64) seed;

  if (augment != NULL && *augment != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (augment, ",", -1);
      guint wanted = 0;

      for (guint i = 0; parts[i] != NULL; i++)
        {
          LimnerTransform t;

          if (!limner_transform_from_option (g_strstrip (parts[i]), &t))
            {
              g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                           _("augment: “%s” is not one of flip-h, flip-v, rot90, rot180, rot270."),
                           parts[i]);
              return FALSE;
            }
          wanted |= 1u << t;
        }
      /* A fixed order, whatever order the option lists them in. */
      for (guint i = 0; i < G_N_ELEMENTS (transforms); i++)
        if (wanted & (1u << transforms[i].transform))
          self->transforms[self->n_transforms++] = transforms[i].transform;
    }

  if (images == NULL || g_str_equal (images, "copy"))
    self->copy_images = TRUE;
  else if (g_str_equal (images, "none"))
    self->copy_images = FALSE;
  else
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                   _("images: “%s” is not “copy” or “none”."), images);
      return FALSE;
    }
  if (!self->copy_images && self->n_transforms > 0)
    {
      g_set_error_literal (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                           _("augmented copies need their images: do not combine augment with images=none."));
      return FALSE;
    }
  return TRUE;
}

/* The extension an augmented copy gets: the original's when libvips can
 * write that format, otherwise ".png". */
static const char *
augmented_extension (const char *ext)
{
  if (*ext != '\0' && vips_foreign_find_save_buffer (ext) != NULL)
    return ext;
  vips_error_clear ();
  return ".png";
}

/* Splits a base name into stem and extension (".jpg", or "" if none). */
static void
split_name (const char *base, char **stem, char **ext)
{
  const char *dot = strrchr (base, '.');

  if (dot == NULL || dot == base)
    dot = base + strlen (base);
  *stem = g_strndup (base, dot - base);
  *ext = g_strdup (dot);
}

static char *
stem_key (const char *stem)
{
  return g_utf8_casefold (stem, -1);
}

/* Plain stems first; an image any of whose stems (original or augmented)
 * clashes, ignoring case, with another one gets "-" and the first 8 digits
 * of its SHA-256, then, if that still clashes, the whole SHA-256 (unique in
 * a project). */
static gboolean
plan_stems (LimnerExportLayout *self, GPtrArray *images, char **stems, GError **error)
{
  for (int round = 0; round < 3; round++)
    {
      g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      gboolean clash = FALSE;

      for (guint i = 0; i < images->len; i++)
        for (guint t = 0; t <= self->n_transforms; t++)
          {
            g_autofree char *stem = t == 0 ? g_strdup (stems[i])
                                    : g_strconcat (stems[i], "__", transform_suffix (self->transforms[t - 1]), NULL);
            char *key = stem_key (stem);
            guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

            g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
          }

      for (guint i = 0; i < images->len; i++)
        {
          const LimnerImageRecord *image = g_ptr_array_index (images, i);
          gboolean clashes = FALSE;

          for (guint t = 0; t <= self->n_transforms && !clashes; t++)
            {
              g_autofree char *stem = t == 0 ? g_strdup (stems[i])
                                      : g_strconcat (stems[i], "__", transform_suffix (self->transforms[t - 1]), NULL);
              g_autofree char *key = stem_key (stem);

              clashes = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) > 1;
            }
          if (!clashes)
            continue;
          clash = TRUE;
          if (round == 2)
            {
              g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_FAILED,
                           _("%s: no file name in the export is free for this image."), image->path);
              return FALSE;
            }
          {
            g_autofree char *base = g_path_get_basename (image->path);
            g_autofree char *plain = NULL;
            g_autofree char *ext = NULL;

            split_name (base, &plain, &ext);
            g_free (stems[i]);
            stems[i] = round == 0 ? g_strdup_printf ("%s-%.8s", plain, image->sha256)
                                  : g_strdup_printf ("%s-%s", plain, image->sha256);
          }
        }
      if (!clash)
        return TRUE;
    }
  return TRUE;
}

LimnerExportLayout *
limner_export_layout_new (LimnerExport *export, GError **error)
{
  g_autoptr(LimnerExportLayout) self = NULL;
  GPtrArray *images;
  GPtrArray *labels;
  char **stems;
  gboolean ok;

  g_return_val_if_fail (export != NULL, NULL);

  self = g_new0 (LimnerExportLayout, 1);
  self->export = export;
  self->dataset = limner_export_get_dataset (export);
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->class_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (!parse_options (self, error))
    return NULL;

  labels = limner_dataset_get_labels (self->dataset);
  for (guint i = 0; i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);

      g_hash_table_insert (self->class_index, g_memdup2 (&label->id, sizeof label->id),
                           GUINT_TO_POINTER (i + 1));
    }

  images = limner_dataset_get_images (self->dataset);
  stems = g_new0 (char *, images->len + 1);
  for (guint i = 0; i < images->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *base = g_path_get_basename (image->path);
      g_autofree char *ext = NULL;

      split_name (base, &stems[i], &ext);
    }
  ok = plan_stems (self, images, stems, error);

  for (guint i = 0; ok && i < images->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *base = g_path_get_basename (image->path);
      g_autofree char *plain = NULL;
      g_autofree char *ext = NULL;
      LimnerSplit split = self->has_split
                          ? limner_split_for_image (image->sha256, self->seed, self->ratios)
                          : LIMNER_SPLIT_TRAIN;

      split_name (base, &plain, &ext);
      self->split_used[split] = TRUE;
      for (guint t = 0; t <= self->n_transforms; t++)
        {
          Item *item = g_new0 (Item, 1);
          double w, h;

          item->pub.image = image;
          item->pub.transform = t == 0 ? LIMNER_TRANSFORM_IDENTITY : self->transforms[t - 1];
          item->pub.split = split;
          if (t == 0)
            {
              item->stem = g_strdup (stems[i]);
              item->name = g_strconcat (stems[i], ext, NULL);
            }
          else
            {
              item->stem = g_strconcat (stems[i], "__", transform_suffix (item->pub.transform), NULL);
              item->name = g_strconcat (item->stem, augmented_extension (ext), NULL);
            }
          item->pub.stem = item->stem;
          item->pub.name = item->name;
          limner_transform_image_size (item->pub.transform, image->width, image->height, &w, &h);
          item->pub.width = (int) w;
          item->pub.height = (int) h;
          item->pub.index = self->items->len;
          g_ptr_array_add (self->items, item);
        }
    }
  g_strfreev (stems);
  if (!ok)
    return NULL;
  return g_steal_pointer (&self);
}

void
limner_export_layout_free (LimnerExportLayout *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->class_index, g_hash_table_unref);
  g_free (self);
}

LimnerExport *
limner_export_layout_get_export (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->export;
}

gboolean
limner_export_layout_has_split (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_split;
}

double
limner_export_layout_get_ratio (LimnerExportLayout *self, LimnerSplit split)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (split < LIMNER_N_SPLITS, 0);
  return self->ratios[split];
}

gboolean
limner_export_layout_uses_split (LimnerExportLayout *self, LimnerSplit split)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (split < LIMNER_N_SPLITS, FALSE);
  return split == LIMNER_SPLIT_TRAIN || self->split_used[split];
}

gboolean
limner_export_layout_copies_images (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->copy_images;
}

GPtrArray *
limner_export_layout_get_items (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->items;
}

GPtrArray *
limner_export_layout_get_labels (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return limner_dataset_get_labels (self->dataset);
}

int
limner_export_layout_class_index (LimnerExportLayout *self, gint64 label_id)
{
  g_return_val_if_fail (self != NULL, -1);
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->class_index, &label_id)) - 1;
}

guint
limner_export_layout_get_n_unlabelled (LimnerExportLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_unlabelled;
}

gboolean
limner_export_layout_foreach (LimnerExportLayout    *self,
                              LimnerExportItemFunc   func,
                              gpointer               user_data,
                              GError               **error)
{
  guint n_items;
  guint per_image;
  guint n_images;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  n_items = self->items->len;
  per_image = self->n_transforms + 1;
  n_images = n_items / per_image;

  for (guint i = 0; i < n_images; i++)
    {
      const LimnerExportItem *first = g_ptr_array_index (self->items, i * per_image);
      const LimnerImageRecord *image = first->image;
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GPtrArray) labelled = g_ptr_array_new ();

      all = limner_dataset_get_shapes (self->dataset, image->id, error);
      if (all == NULL)
        return FALSE;
      for (guint s = 0; s < all->len; s++)
        {
          LimnerShape *shape = g_ptr_array_index (all, s);

          if (limner_export_layout_class_index (self, shape->label_id) < 0)
            self->n_unlabelled++;
          else
            g_ptr_array_add (labelled, shape);
        }

      for (guint t = 0; t < per_image; t++)
        {
          const LimnerExportItem *item = g_ptr_array_index (self->items, i * per_image + t);
          g_autoptr(GPtrArray) moved = NULL;

          if (item->transform != LIMNER_TRANSFORM_IDENTITY)
            {
              moved = g_ptr_array_new_full (labelled->len, (GDestroyNotify) limner_shape_free);
              for (guint s = 0; s < labelled->len; s++)
                {
                  LimnerShape *copy = limner_shape_copy (g_ptr_array_index (labelled, s));

                  limner_shape_transform (copy, item->transform, image->width, image->height);
                  g_ptr_array_add (moved, copy);
                }
            }
          if (!func (self, item, moved != NULL ? moved : labelled, user_data, error))
            return FALSE;
        }

      if (!limner_export_progress (self->export, i + 1, n_images, image->path, error))
        return FALSE;
    }
  return TRUE;
}

/* Copies the original file, checking that it still has the SHA-256 the
 * dataset records: an export must hold the images the version names. */
static gboolean
copy_original (LimnerExportLayout      *self,
               const LimnerExportItem  *item,
               const char              *relpath,
               GError                 **error)
{
  g_autofree char *path = limner_dataset_dup_image_file (self->dataset, item->image);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  LimnerAtomicFile *out;
  GCancellable *cancellable = limner_export_get_cancellable (self->export);

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    {
      g_prefix_error (error, _("%s: cannot read the image: "), item->image->path);
      return FALSE;
    }
  out = limner_export_create_file (self->export, relpath, error);
  if (out == NULL)
    return FALSE;

  buffer = g_malloc (COPY_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, COPY_CHUNK, cancellable, error);

      if (n < 0)
        {
          g_prefix_error (error, _("%s: cannot read the image: "), item->image->path);
          limner_atomic_file_free (out);
          return FALSE;
        }
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
      if (!limner_atomic_file_write (out, buffer, n, error))
        {
          limner_atomic_file_free (out);
          return FALSE;
        }
    }
  if (g_strcmp0 (g_checksum_get_string (checksum), item->image->sha256) != 0)
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_FAILED,
                   _("%s: the file on disk no longer has the SHA-256 the project records; relink or re-import it."),
                   item->image->path);
      limner_atomic_file_free (out);
      return FALSE;
    }
  return limner_export_commit_file (self->export, out, error);
}

static VipsImage *
apply_transform (VipsImage *in, LimnerTransform transform)
{
  VipsImage *out = NULL;
  int rc;

  switch (transform)
    {
    case LIMNER_TRANSFORM_FLIP_H:
      rc = vips_flip (in, &out, VIPS_DIRECTION_HORIZONTAL, NULL);
      break;
    case LIMNER_TRANSFORM_FLIP_V:
      rc = vips_flip (in, &out, VIPS_DIRECTION_VERTICAL, NULL);
      break;
    /* vips_rot turns clockwise, as LimnerTransform does. */
    case LIMNER_TRANSFORM_ROTATE_90:
      rc = vips_rot (in, &out, VIPS_ANGLE_D90, NULL);
      break;
    case LIMNER_TRANSFORM_ROTATE_180:
      rc = vips_rot (in, &out, VIPS_ANGLE_D180, NULL);
      break;
    case LIMNER_TRANSFORM_ROTATE_270:
      rc = vips_rot (in, &out, VIPS_ANGLE_D270, NULL);
      break;
    case LIMNER_TRANSFORM_IDENTITY:
    default:
      out = g_object_ref (in);
      rc = 0;
      break;
    }
  return rc == 0 ? out : NULL;
}

static gboolean
write_transformed (LimnerExportLayout      *self,
                   const LimnerExportItem  *item,
                   const char              *relpath,
                   GError                 **error)
{
  g_autofree char *path = limner_dataset_dup_image_file (self->dataset, item->image);
  VipsImage *in;
  VipsImage *out;
  g_autofree char *suffix = NULL;
  LimnerImageInfo info;
  LimnerAtomicFile *file;
  const char *ext = strrchr (item->name, '.');
  void *buf = NULL;
  size_t len = 0;
  gboolean ok;

  in = limner_image_open_level (path, 0, &info, error);
  if (in == NULL)
    return FALSE;
  if (info.width != item->image->width || info.height != item->image->height)
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_FAILED,
                   _("%s: the file is %d×%d pixels, but the project records %d×%d."),
                   item->image->path, info.width, info.height, item->image->width, item->image->height);
      return FALSE;
    }
  out = apply_transform (in, item->transform);
  g_object_unref (in);
  /* Lossy formats at high quality: the copies are training data. "strip"
   * drops EXIF, whose orientation tag would otherwise turn the copy again. */
  if (g_ascii_strcasecmp (ext, ".jpg") == 0 || g_ascii_strcasecmp (ext, ".jpeg") == 0
      || g_ascii_strcasecmp (ext, ".webp") == 0)
    suffix = g_strdup_printf ("%s[Q=95,strip]", ext);
  else
    suffix = g_strdup_printf ("%s[strip]", ext);
  if (out == NULL || vips_image_write_to_buffer (out, suffix, &buf, &len, NULL) != 0)
    {
      g_clear_object (&out);
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_FAILED,
                   _("%s: cannot write the %s copy: %s"), item->image->path,
                   limner_transform_to_option (item->transform), vips_error_buffer ());
      vips_error_clear ();
      return FALSE;
    }
  g_object_unref (out);

  file = limner_export_create_file (self->export, relpath, error);
  if (file == NULL)
    {
      g_free (buf);
      return FALSE;
    }
  ok = limner_atomic_file_write (file, buf, len, error);
  g_free (buf);
  if (!ok)
    {
      limner_atomic_file_free (file);
      return FALSE;
    }
  return limner_export_commit_file (self->export, file, error);
}

gboolean
limner_export_layout_write_image (LimnerExportLayout      *self,
                                  const LimnerExportItem  *item,
                                  const char              *relpath,
                                  GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (relpath != NULL, FALSE);

  if (!self->copy_images)
    return TRUE;
  if (item->transform == LIMNER_TRANSFORM_IDENTITY)
    return copy_original (self, item, relpath, error);
  return write_transformed (self, item, relpath, error);
}

char *
limner_export_layout_dup_description (LimnerExportLayout *self)
{
  g_autofree char *project = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  project = limner_dataset_dup_project_name (self->dataset);
  if (limner_dataset_is_draft (self->dataset))
    return g_strdup_printf ("%s, draft (not a published version)", project);
  return g_strdup_printf ("%s, version %" PRId64, project,
                          limner_dataset_get_version_number (self->dataset));
}

gboolean
limner_export_layout_write_draft_note (LimnerExportLayout *self, GError **error)
{
  g_autofree char *project = NULL;
  LimnerAtomicFile *file;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!limner_dataset_is_draft (self->dataset))
    return TRUE;
  project = limner_dataset_dup_project_name (self->dataset);
  file = limner_export_create_file (self->export, "DRAFT.txt", error);
  if (file == NULL)
    return FALSE;
  /* Not translated: exports are the same on every machine. */
  limner_atomic_file_printf (file, NULL,
                             "DRAFT: this export of the project \"%s\" was made from the current\n"
                             "state of the project, not from a published version. It cannot be\n"
                             "reproduced later. Publish a version and export that for training.\n",
                             project);
  return limner_export_commit_file (self->export, file, error);
}
