/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-annotations.c: finds annotation files, matches their images
 * to the project's, and adds their shapes, one store batch per file. The
 * format readers are in limner-import-labelme.c, -coco.c, -voc.c and
 * -yolo.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <string.h>

#include "limner-geometry.h"
#include "limner-import.h"
#include "limner-import-annotations-private.h"
#include "limner-worker.h"

G_DEFINE_QUARK (limner-annotation-import-error-quark, limner_annotation_import_error)

/* Marks a base name or stem that several project images share. */
static const char ambiguous_marker;
#define AMBIGUOUS ((gpointer) &ambiguous_marker)

static const char * const format_names[] = { "labelme", "coco", "yolo", "voc" };

const char *
limner_annotation_format_to_string (LimnerAnnotationFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

gboolean
limner_annotation_format_from_string (const char *str, LimnerAnnotationFormat *out)
{
  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (str, format_names[i]) == 0)
      {
        if (out != NULL)
          *out = (LimnerAnnotationFormat) i;
        return TRUE;
      }
  return FALSE;
}

static void
file_report_free (LimnerAnnotationFileReport *report)
{
  g_free (report->file);
  g_free (report->error);
  g_ptr_array_unref (report->skipped);
  g_ptr_array_unref (report->labels_created);
  g_ptr_array_unref (report->notes);
  g_free (report);
}

void
limner_annotation_import_report_free (LimnerAnnotationImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->files);
  g_free (report);
}

void
limner_annotation_import_report_merge (LimnerAnnotationImportReport *into,
                                       LimnerAnnotationImportReport *from)
{
  g_return_if_fail (into != NULL);
  g_return_if_fail (from != NULL);

  for (guint i = 0; i < from->files->len; i++)
    g_ptr_array_add (into->files, g_ptr_array_index (from->files, i));
  /* The reports now belong to `into`. */
  g_ptr_array_set_free_func (from->files, NULL);
  g_ptr_array_set_size (from->files, 0);
  g_ptr_array_set_free_func (from->files, (GDestroyNotify) file_report_free);
  into->n_files_ok += from->n_files_ok;
  into->n_files_failed += from->n_files_failed;
  into->n_imported += from->n_imported;
  into->n_skipped += from->n_skipped;
  into->n_clamped += from->n_clamped;
  into->n_notes += from->n_notes;
  from->n_files_ok = from->n_files_failed = 0;
  from->n_imported = from->n_skipped = from->n_clamped = from->n_notes = 0;
}

typedef struct {
  /* Borrowed references */
  LimnerStore                          *store;
  const LimnerAnnotationImportOptions  *options;
  GCancellable                         *cancellable;

  /* Owned references */
  char        *root;       /* canonical folder the user chose */
  char       **names;      /* YOLO class names */
  guint        kpt_values; /* YOLO pose: values after the box */
  GPtrArray   *images;     /* of LimnerImageRecord: the project's */
  GHashTable  *by_path;    /* stored path -> record */
  GHashTable  *by_base;    /* base name -> record or AMBIGUOUS */
  GHashTable  *by_stem;    /* stem -> record or AMBIGUOUS */
  GHashTable  *by_base_fold; /* the same, case-folded */
  GHashTable  *by_stem_fold;
  GHashTable  *by_sha256;  /* sha256 -> record */
  GHashTable  *hashes;     /* file on disk -> its sha256 ("" if unreadable) */
  gint64       max_size;
} Importer;

static void
importer_clear (Importer *im)
{
  g_clear_pointer (&im->root, g_free);
  g_clear_pointer (&im->names, g_strfreev);
  g_clear_pointer (&im->by_path, g_hash_table_unref);
  g_clear_pointer (&im->by_base, g_hash_table_unref);
  g_clear_pointer (&im->by_stem, g_hash_table_unref);
  g_clear_pointer (&im->by_base_fold, g_hash_table_unref);
  g_clear_pointer (&im->by_stem_fold, g_hash_table_unref);
  g_clear_pointer (&im->by_sha256, g_hash_table_unref);
  g_clear_pointer (&im->hashes, g_hash_table_unref);
  g_clear_pointer (&im->images, g_ptr_array_unref);
}

static void
index_unique (GHashTable *table, char *key, LimnerImageRecord *image)
{
  if (g_hash_table_contains (table, key))
    {
      g_hash_table_replace (table, key, AMBIGUOUS);
      return;
    }
  g_hash_table_insert (table, key, image);
}

static gboolean
index_project (Importer *im, GError **error)
{
  im->images = limner_store_list_images (im->store, error);
  if (im->images == NULL)
    return FALSE;
  im->by_path = g_hash_table_new (g_str_hash, g_str_equal);
  im->by_base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im->by_stem = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im->by_base_fold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im->by_stem_fold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im->by_sha256 = g_hash_table_new (g_str_hash, g_str_equal);
  im->hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < im->images->len; i++)
    {
      LimnerImageRecord *image = g_ptr_array_index (im->images, i);
      char *base = g_path_get_basename (image->path);
      const char *dot = strrchr (base, '.');
      char *stem = dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);

      g_hash_table_insert (im->by_path, image->path, image);
      g_hash_table_insert (im->by_sha256, image->sha256, image);
      index_unique (im->by_stem_fold, g_utf8_casefold (stem, -1), image);
      index_unique (im->by_base_fold, g_utf8_casefold (base, -1), image);
      index_unique (im->by_stem, stem, image);
      index_unique (im->by_base, base, image);
    }
  return TRUE;
}

/* --- Finding the files ---------------------------------------------------- */

static gboolean
wanted_file (Importer *im, const char *name)
{
  /* The checksums of a Limner export, not annotations. */
  if (g_str_equal (name, "manifest.json"))
    return FALSE;
  switch (im->options->format)
    {
    case LIMNER_ANNOTATION_FORMAT_LABELME:
    case LIMNER_ANNOTATION_FORMAT_COCO:
      return g_str_has_suffix (name, ".json");
    case LIMNER_ANNOTATION_FORMAT_VOC:
      return g_str_has_suffix (name, ".xml");
    case LIMNER_ANNOTATION_FORMAT_YOLO:
      /* Roboflow puts README.dataset.txt and README.roboflow.txt beside
       * the labels; LabelImg, classes.txt. */
      return g_str_has_suffix (name, ".txt") && !g_str_equal (name, "classes.txt")
             && g_ascii_strncasecmp (name, "readme", strlen ("readme")) != 0;
    default:
      return FALSE;
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Recursively, in name order; hidden entries and symbolic links to folders
 * (which could loop) are left out. */
static void
walk (Importer *im, const char *dir, GPtrArray *out, guint depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL || depth > 64)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
            walk (im, path, out, depth + 1);
        }
      else if (wanted_file (im, entry) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static gboolean
in_labels_folder (Importer *im, const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path + strlen (im->root));
  g_auto(GStrv) parts = g_strsplit (dir, G_DIR_SEPARATOR_S, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "labels"))
      return TRUE;
  return FALSE;
}

/* When some of the YOLO text files are in a labels/ folder, those are the
 * label files and the rest (image lists, notes) are not. */
static void
keep_label_folders (Importer *im, GPtrArray *files)
{
  gboolean any = FALSE;

  for (guint i = 0; i < files->len && !any; i++)
    any = in_labels_folder (im, g_ptr_array_index (files, i));
  for (guint i = files->len; any && i > 0; i--)
    if (!in_labels_folder (im, g_ptr_array_index (files, i - 1)))
      g_ptr_array_remove_index (files, i - 1);
}

static char *
display_name (Importer *im, const char *path)
{
  gsize n = strlen (im->root);

  if (strncmp (path, im->root, n) == 0 && path[n] == G_DIR_SEPARATOR)
    return g_strdup (path + n + 1);
  return g_path_get_basename (path);
}

/* What a file that is not a regular file is, for messages. */
static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a FIFO (named pipe)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

/* Reads a regular file of at most im->max_size bytes. The type is checked
 * on the open descriptor (a path checked first could be swapped), the open
 * does not block on a FIFO, and the read stops past the cap whatever
 * fstat() said, so /dev/zero behind a symlink cannot be read without end. */
static gboolean
read_capped (Importer     *im,
             const char   *path,
             const char   *display,
             char        **data,
             gsize        *len,
             GError      **error)
{
  struct stat st;
  g_autofree char *buf = NULL;
  gsize have = 0, capacity;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                   _("%s: cannot read the file: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                   _("%s: cannot read the file: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                   _("%s: the path is %s, not a regular file; only regular files are read."),
                   display, file_kind (st.st_mode));
      return FALSE;
    }
  /* Checked before reading: a parser must never see an oversized file. */
  if ((gint64) st.st_size > im->max_size)
    {
      g_autofree char *size = g_format_size (st.st_size);
      g_autofree char *cap = g_format_size (im->max_size);

      close (fd);
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_TOO_LARGE,
                   _("%s: the file is %s, over the %s limit for annotation files."), display, size, cap);
      return FALSE;
    }

  /* One byte more than fstat() said tells a file that grew from one that
   * fits; the buffer then grows, up to one byte over the cap. */
  capacity = (gsize) st.st_size + 1;
  buf = g_malloc (capacity);
  for (;;)
    {
      gsize room = capacity - have;
      gssize n;

      if (room == 0)
        {

          if (have > (gsize) im->max_size)
            {
              close (fd);
              g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_TOO_LARGE,
                           _("%s: the file grew over the size limit while being read."), display);
              return FALSE;
            }
          capacity = MIN ((gsize) im->max_size + 2, MAX (have * 2, (gsize) 4096));
          buf = g_realloc (buf, capacity);
          continue;
        }
      n = read (fd, buf + have, room);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                       _("%s: cannot read the file: %s"), display, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      have += (gsize) n;
    }
  close (fd);
  if ((gint64) have > im->max_size)
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_TOO_LARGE,
                   _("%s: the file grew over the size limit while being read."), display);
      return FALSE;
    }
  /* The parsers take a length, but some messages quote the text as a string. */
  buf = g_realloc (buf, have + 1);
  buf[have] = '\0';
  *data = g_steal_pointer (&buf);
  *len = have;
  return TRUE;
}

static gboolean
load_names (Importer *im, const char *path, GError **error)
{
  g_autofree char *display = g_path_get_basename (path);
  g_autofree char *data = NULL;
  g_autofree char *converted = NULL;
  const char *text;
  gsize len;
  gboolean yaml = g_str_has_suffix (path, ".yaml") || g_str_has_suffix (path, ".yml");

  if (!read_capped (im, path, display, &data, &len, error))
    return FALSE;
  text = limner_parse_text (display, data, &len, &converted, error);
  if (text == NULL)
    return FALSE;
  im->names = limner_parse_yolo_names (display, text, len, yaml, error);
  if (yaml)
    im->kpt_values = limner_parse_yolo_kpt_values (text, len);
  return im->names != NULL;
}

/* data.yaml in the chosen folder, or next to the chosen file or in one of
 * the two folders above it (labels/train/x.txt). Without one, the class
 * list LabelImg (classes.txt) or darknet and CVAT's YOLO 1.1 (obj.names)
 * write. */
static char *
find_data_yaml (const char *path, gboolean is_dir)
{
  static const char * const names[] = { "data.yaml", "data.yml", "classes.txt", "obj.names" };
  g_autofree char *dir = is_dir ? g_strdup (path) : g_path_get_dirname (path);

  for (guint up = 0; up < (is_dir ? 1u : 3u); up++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        {
          char *candidate = g_build_filename (dir, names[k], NULL);

          /* Not only regular files: a FIFO or a device named data.yaml
           * is refused by name when read, not passed over in silence. */
          if (g_file_test (candidate, G_FILE_TEST_EXISTS) && !g_file_test (candidate, G_FILE_TEST_IS_DIR))
            return candidate;
          g_free (candidate);
        }
      {
        char *parent = g_path_get_dirname (dir);

        g_free (dir);
        dir = parent;
      }
    }
  return NULL;
}

/* --- Matching images ------------------------------------------------------ */

static const char *
hash_of (Importer *im, const char *path)
{
  const char *known = g_hash_table_lookup (im->hashes, path);
  char *sha;

  if (known != NULL)
    return *known != '\0' ? known : NULL;
  sha = limner_import_hash_file (path, NULL, im->cancellable, NULL);
  g_hash_table_insert (im->hashes, g_strdup (path), sha != NULL ? sha : g_strdup (""));
  return sha;
}

static LimnerImageRecord *
lookup_unique (GHashTable *table, const char *key, gboolean *ambiguous)
{
  gpointer found = g_hash_table_lookup (table, key);

  if (found == AMBIGUOUS)
    {
      *ambiguous = TRUE;
      return NULL;
    }
  return found;
}

/* The project image `name` (a path, or with `by_stem` a stem) names
 * exactly, or, with `fold`, ignoring case. */
static LimnerImageRecord *
lookup_name (Importer *im, const char *name, gboolean by_stem, gboolean fold, gboolean *ambiguous)
{
  g_autofree char *base = g_path_get_basename (name);
  g_autofree char *folded = NULL;

  if (!fold)
    return lookup_unique (by_stem ? im->by_stem : im->by_base, base, ambiguous);
  folded = g_utf8_casefold (base, -1);
  return lookup_unique (by_stem ? im->by_stem_fold : im->by_base_fold, folded, ambiguous);
}

/* See limner-import-annotations.h for the order of the rules. `*note`
 * says how the image was found when it was by a fallback. */
static LimnerImageRecord *
match_image (Importer *im, LimnerParsedImage *pi, char **reason, char **note)
{
  g_autofree char *quoted = limner_parse_excerpt (pi->name);
  LimnerImageRecord *found = NULL;
  gboolean ambiguous = FALSE;
  /* Not the file's name: says nothing about it in the reason. */
  gboolean fallback_ambiguous = FALSE;

  if (pi->sha256 != NULL && (found = g_hash_table_lookup (im->by_sha256, pi->sha256)) != NULL)
    return found;

  if (!pi->by_stem)
    {
      found = g_hash_table_lookup (im->by_path, pi->name);
      if (found == NULL && pi->resolved != NULL)
        {
          g_autofree char *rel = limner_store_relativize_path (im->store, pi->resolved);

          found = g_hash_table_lookup (im->by_path, rel);
          if (found == NULL)
            found = g_hash_table_lookup (im->by_path, pi->resolved);
        }
    }
  if (found == NULL)
    found = lookup_name (im, pi->name, pi->by_stem, FALSE, &ambiguous);
  if (found != NULL)
    return found;

  for (guint i = 0; i < pi->candidates->len; i++)
    {
      const char *path = g_ptr_array_index (pi->candidates, i);
      const char *sha;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      sha = hash_of (im, path);
      if (sha != NULL && (found = g_hash_table_lookup (im->by_sha256, sha)) != NULL)
        return found;
    }

  /* Files written on Windows or macOS, where IMG_1.JPG and img_1.jpg are
   * the same file. */
  if ((found = lookup_name (im, pi->name, pi->by_stem, TRUE, &ambiguous)) != NULL)
    {
      *note = g_strdup_printf (_("the file names the image “%s”, found in the project as %s (the names differ in case only)."),
                               quoted, found->path);
      return found;
    }
  /* A file of one image named after it (labelme, LabelImg) whose recorded
   * image name is stale, e.g. after the images were renamed. */
  if (pi->fallback != NULL
      && ((found = lookup_name (im, pi->fallback, TRUE, FALSE, &fallback_ambiguous)) != NULL
          || (found = lookup_name (im, pi->fallback, TRUE, TRUE, &fallback_ambiguous)) != NULL))
    {
      *note = g_strdup_printf (_("the project has no image “%s”; the image was found by the annotation file's own name, as %s."),
                               quoted, found->path);
      return found;
    }

  if (ambiguous)
    *reason = g_strdup_printf (_("several project images are named “%s” and no image file settles which one"),
                               quoted);
  else
    *reason = g_strdup_printf (_("the project has no image “%s”"), quoted);
  return NULL;
}

/* --- Adding shapes -------------------------------------------------------- */

/* Identifies a shape's content, to skip shapes the image already has. */
static char *
shape_key (gint64 label_id, LimnerShapeKind kind, LimnerShapeSource source, const GArray *points)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%" PRId64 "/%d/%d", label_id, kind, source);
  for (guint i = 0; i < points->len; i++)
    g_string_append_printf (s, " %a", g_array_index (points, double, i));
  return g_string_free (s, FALSE);
}

typedef struct {
  Importer                    *im;
  LimnerParseContext          *ctx;
  LimnerAnnotationFileReport  *report;
  GHashTable                  *labels;  /* name -> gint64 id (boxed) */
} Apply;

static gint64
resolve_label (Apply *ap, LimnerParsedShape *ps, GError **error)
{
  gint64 *known = g_hash_table_lookup (ap->labels, ps->label);
  gint64 id;

  if (known != NULL)
    return *known;
  if (!ap->im->options->create_labels)
    {
      g_autofree char *quoted = limner_parse_excerpt (ps->label);

      limner_parse_error (ap->ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_UNKNOWN_LABEL,
                          _("%s: the project has no label “%s”; add it first, or import with --create-labels."),
                          ps->item, quoted);
      return 0;
    }
  id = limner_store_add_label (ap->im->store, ps->label, NULL, NULL, NULL, error);
  if (id <= 0)
    {
      g_prefix_error (error, "%s: %s: ", ap->ctx->display, ps->item);
      return 0;
    }
  g_hash_table_insert (ap->labels, g_strdup (ps->label), g_memdup2 (&id, sizeof id));
  g_ptr_array_add (ap->report->labels_created, g_strdup (ps->label));
  return id;
}

static gboolean
apply_image (Apply *ap, LimnerParsedImage *pi, GError **error)
{
  Importer *im = ap->im;
  LimnerParseContext *ctx = ap->ctx;
  const LimnerAnnotationImportOptions *opt = im->options;
  g_autofree char *reason = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  LimnerImageRecord *image;
  gint64 next_group = 0;
  gboolean touched = FALSE;

  if (pi->shapes->len == 0)
    return TRUE;
  if (pi->skip_reason != NULL)
    {
      limner_parse_skip (ctx, "%s", pi->skip_reason);
      return TRUE;
    }
  image = match_image (im, pi, &reason, &note);
  if (image == NULL)
    {
      limner_parse_skip (ctx, g_dngettext (GETTEXT_PACKAGE, "%s: %s; its %u shape was skipped.",
                                           "%s: %s; its %u shapes were skipped.", pi->shapes->len),
                         pi->item, reason, pi->shapes->len);
      return TRUE;
    }
  if (pi->width > 0 && (pi->width != image->width || pi->height != image->height))
    {
      /* Phone photos: the other tool turned the image by its EXIF
       * orientation; Limner keeps the pixels as stored. */
      if (pi->width == image->height && pi->height == image->width)
        limner_parse_skip (ctx, g_dngettext (GETTEXT_PACKAGE,
                                             "%s: the file gives %d×%d pixels but the project image %s is %d×%d, turned a quarter (an EXIF orientation the other tool applied?); its %u shape was skipped.",
                                             "%s: the file gives %d×%d pixels but the project image %s is %d×%d, turned a quarter (an EXIF orientation the other tool applied?); its %u shapes were skipped.",
                                             pi->shapes->len),
                           pi->item, pi->width, pi->height, image->path, image->width, image->height,
                           pi->shapes->len);
      else
        limner_parse_skip (ctx, g_dngettext (GETTEXT_PACKAGE,
                                             "%s: the file gives %d×%d pixels but the project image %s is %d×%d; its %u shape was skipped.",
                                             "%s: the file gives %d×%d pixels but the project image %s is %d×%d; its %u shapes were skipped.",
                                             pi->shapes->len),
                           pi->item, pi->width, pi->height, image->path, image->width, image->height,
                           pi->shapes->len);
      return TRUE;
    }

  existing = limner_store_list_shapes (im->store, image->id, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (existing, i);

      next_group = MAX (next_group, shape->group_id);
      g_hash_table_add (keys, shape_key (shape->label_id, shape->kind, shape->source, shape->points));
    }

  for (guint i = 0; i < pi->shapes->len; i++)
    {
      LimnerParsedShape *ps = g_ptr_array_index (pi->shapes, i);
      g_autoptr(LimnerShape) shape = limner_shape_new (ps->kind);
      double *p;
      guint n;
      gboolean clamped;
      char *key;

      shape->image_id = image->id;
      shape->label_id = resolve_label (ap, ps, error);
      if (shape->label_id == 0)
        return FALSE;
      g_array_append_vals (shape->points, ps->points->data, ps->points->len);
      p = (double *) shape->points->data;
      n = shape->points->len / 2;
      for (guint k = 0; k < shape->points->len; k++)
        {
          if (pi->normalised)
            p[k] *= k % 2 == 0 ? image->width : image->height;
          if (!limner_parse_check_coordinate (ctx, ps->item, p[k], error))
            return FALSE;
        }

      if (opt->as_predictions)
        {
          if (ps->has_score && !(ps->score >= 0 && ps->score <= 1))
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              limner_parse_error (ctx, error, LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,
                                  _("%s: the score %s is not between 0 and 1."),
                                  ps->item, g_ascii_dtostr (buf, sizeof buf, ps->score));
              return FALSE;
            }
          shape->source = LIMNER_SOURCE_PREDICTION;
          shape->score = ps->has_score ? ps->score : 1.0;
        }
      else
        {
          shape->source = LIMNER_SOURCE_IMPORTED;
          shape->score = 1.0;
        }

      if (shape->kind == LIMNER_SHAPE_BOX)
        limner_shape_normalize_box (shape);
      clamped = limner_points_clamp (p, n, image->width, image->height);
      if (shape->kind == LIMNER_SHAPE_BOX ? (p[2] <= p[0] || p[3] <= p[1])
                                          : limner_polygon_area (p, n) <= 0)
        {
          limner_parse_skip (ctx, _("%s: the shape has no area inside the %d×%d image; skipped."),
                             ps->item, image->width, image->height);
          continue;
        }

      key = shape_key (shape->label_id, shape->kind, shape->source, shape->points);
      if (g_hash_table_contains (keys, key))
        {
          g_free (key);
          limner_parse_skip (ctx, _("%s: the image %s already has this shape; skipped."), ps->item, image->path);
          continue;
        }
      g_hash_table_add (keys, key);

      if (ps->group != 0)
        {
          gint64 *mapped = g_hash_table_lookup (groups, &ps->group);

          if (mapped == NULL)
            {
              gint64 id = ++next_group;

              mapped = g_memdup2 (&id, sizeof id);
              g_hash_table_insert (groups, g_memdup2 (&ps->group, sizeof ps->group), mapped);
            }
          shape->group_id = *mapped;
        }

      if (!limner_store_insert_shape (im->store, shape, error))
        {
          g_prefix_error (error, "%s: %s: ", ctx->display, ps->item);
          return FALSE;
        }
      ap->report->n_imported++;
      if (clamped)
        ap->report->n_clamped++;
      if (ps->note != NULL)
        g_ptr_array_add (ap->report->notes, g_strdup_printf ("%s: %s: %s", ctx->display, ps->item, ps->note));
      touched = TRUE;
    }
  if (touched)
    {
      const char *how = pi->note != NULL ? pi->note : note;

      ap->report->n_images++;
      if (how != NULL)
        g_ptr_array_add (ap->report->notes, g_strdup_printf ("%s: %s: %s", ctx->display, pi->item, how));
    }
  return TRUE;
}

static gboolean
apply_file (Importer *im, LimnerParseContext *ctx, LimnerAnnotationFileReport *report, GError **error)
{
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) list = limner_store_list_labels (im->store, error);
  Apply ap = { im, ctx, report, labels };

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (list, i);

      g_hash_table_insert (labels, g_strdup (label->name), g_memdup2 (&label->id, sizeof label->id));
    }
  for (guint i = 0; i < ctx->images->len; i++)
    if (!apply_image (&ap, g_ptr_array_index (ctx->images, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_file (Importer *im, LimnerParseContext *ctx, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *converted = NULL;
  const char *text;
  gsize len;

  if (!read_capped (im, ctx->path, ctx->display, &data, &len, error))
    return FALSE;
  text = limner_parse_text (ctx->display, data, &len, &converted, error);
  if (text == NULL)
    return FALSE;
  switch (im->options->format)
    {
    case LIMNER_ANNOTATION_FORMAT_LABELME:
      return limner_parse_labelme (ctx, text, len, error);
    case LIMNER_ANNOTATION_FORMAT_COCO:
      return limner_parse_coco (ctx, text, len, error);
    case LIMNER_ANNOTATION_FORMAT_VOC:
      return limner_parse_voc (ctx, text, len, error);
    case LIMNER_ANNOTATION_FORMAT_YOLO:
      return limner_parse_yolo (ctx, text, len, error);
    default:
      g_assert_not_reached ();
    }
}

static LimnerAnnotationFileReport *
import_file (Importer *im, const char *path)
{
  LimnerAnnotationFileReport *report = g_new0 (LimnerAnnotationFileReport, 1);
  g_autofree char *display = display_name (im, path);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_parsed_image_free);
  g_autoptr(GError) error = NULL;
  LimnerParseContext ctx = { 0 };
  gboolean ok;

  report->file = g_strdup (display);
  report->skipped = g_ptr_array_new_with_free_func (g_free);
  report->labels_created = g_ptr_array_new_with_free_func (g_free);
  report->notes = g_ptr_array_new_with_free_func (g_free);

  ctx.options = im->options;
  ctx.path = path;
  ctx.display = display;
  ctx.root = im->root;
  ctx.names = im->names;
  ctx.yolo_kpt_values = im->kpt_values;
  ctx.images = images;
  ctx.skipped = report->skipped;
  ctx.notes = report->notes;

  ok = parse_file (im, &ctx, &error);
  /* All or nothing: one batch for the file, rolled back on any failure. */
  if (ok)
    ok = limner_store_begin (im->store, &error);
  if (ok)
    {
      ok = apply_file (im, &ctx, report, &error);
      if (ok)
        ok = limner_store_commit (im->store, &error);
      else
        limner_store_rollback (im->store);
    }

  if (!ok)
    {
      report->ok = FALSE;
      report->error = g_strdup (error->message);
      report->n_imported = report->n_clamped = report->n_images = 0;
      g_ptr_array_set_size (report->skipped, 0);
      g_ptr_array_set_size (report->labels_created, 0);
      g_ptr_array_set_size (report->notes, 0);
    }
  else
    report->ok = TRUE;
  return report;
}

LimnerAnnotationImportReport *
limner_import_annotations (LimnerStore                          *store,
                           const char                           *path,
                           const LimnerAnnotationImportOptions  *options,
                           GCancellable                         *cancellable,
                           LimnerAnnotationImportProgressFunc    progress,
                           gpointer                              progress_data,
                           GError                              **error)
{
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *abs = NULL;
  Importer im = { 0 };
  gboolean is_dir;
  gboolean ok = TRUE;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error))
    return NULL;

  abs = g_canonicalize_filename (path, NULL);
  if (!g_file_test (abs, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                   _("%s: no such file or folder."), path);
      return NULL;
    }
  is_dir = g_file_test (abs, G_FILE_TEST_IS_DIR);

  im.store = store;
  im.options = options;
  im.cancellable = cancellable;
  im.max_size = options->max_file_size > 0 ? options->max_file_size
                                           : LIMNER_IMPORT_ANNOTATIONS_DEFAULT_MAX_FILE_SIZE;
  im.root = is_dir ? g_strdup (abs) : g_path_get_dirname (abs);

  if (options->format == LIMNER_ANNOTATION_FORMAT_YOLO)
    {
      g_autofree char *names = options->yolo_names != NULL ? g_canonicalize_filename (options->yolo_names, NULL)
                                                            : find_data_yaml (abs, is_dir);

      if (names == NULL)
        {
          g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,
                       _("%s: no data.yaml with the class names was found; name one (or a file with one name per line) with --names."),
                       path);
          importer_clear (&im);
          return NULL;
        }
      ok = load_names (&im, names, error);
    }

  if (ok && is_dir)
    {
      g_autofree char *labels_dir = g_build_filename (abs, "labels", NULL);

      /* An Ultralytics folder: only its label files, not e.g. notes.txt. */
      if (options->format == LIMNER_ANNOTATION_FORMAT_YOLO && g_file_test (labels_dir, G_FILE_TEST_IS_DIR))
        walk (&im, labels_dir, files, 0);
      else
        walk (&im, abs, files, 0);
      /* Roboflow's train/labels/, valid/labels/: the same rule one level down. */
      if (options->format == LIMNER_ANNOTATION_FORMAT_YOLO)
        keep_label_folders (&im, files);
      if (files->len == 0)
        {
          g_set_error (error, LIMNER_ANNOTATION_IMPORT_ERROR, LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,
                       _("%s: the folder holds no %s annotation files."), path,
                       limner_annotation_format_to_string (options->format));
          ok = FALSE;
        }
    }
  else if (ok)
    g_ptr_array_add (files, g_strdup (abs));

  if (ok)
    ok = index_project (&im, error);
  if (!ok)
    {
      importer_clear (&im);
      return NULL;
    }

  report = g_new0 (LimnerAnnotationImportReport, 1);
  report->format = options->format;
  report->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_report_free);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      LimnerAnnotationFileReport *fr;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          importer_clear (&im);
          return NULL;
        }
      fr = import_file (&im, file);
      g_ptr_array_add (report->files, fr);
      if (fr->ok)
        report->n_files_ok++;
      else
        report->n_files_failed++;
      report->n_imported += fr->n_imported;
      report->n_clamped += fr->n_clamped;
      report->n_skipped += fr->skipped->len;
      report->n_notes += fr->notes->len;
      if (progress != NULL)
        progress (i + 1, files->len, fr->file, progress_data);
    }

  importer_clear (&im);
  return g_steal_pointer (&report);
}

typedef struct {
  char                                *path;
  char                                *yolo_names;
  LimnerAnnotationImportOptions        options;
  LimnerAnnotationImportProgressFunc   progress;
  gpointer                             progress_data;
  GDestroyNotify                       progress_data_destroy;
} AsyncJob;

static void
async_job_free (AsyncJob *job)
{
  if (job->progress_data_destroy != NULL)
    job->progress_data_destroy (job->progress_data);
  g_free (job->path);
  g_free (job->yolo_names);
  g_free (job);
}

static gpointer
import_in_worker (LimnerWorker  *worker,
                  LimnerStore   *store,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  AsyncJob *job = user_data;

  return limner_import_annotations (store, job->path, &job->options, cancellable,
                                    job->progress, job->progress_data, error);
}

void
limner_import_annotations_async (LimnerStore                          *store,
                                 const char                           *path,
                                 const LimnerAnnotationImportOptions  *options,
                                 GCancellable                         *cancellable,
                                 LimnerAnnotationImportProgressFunc    progress,
                                 gpointer                              progress_data,
                                 GDestroyNotify                        progress_data_destroy,
                                 GAsyncReadyCallback                   callback,
                                 gpointer                              user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncJob *job;

  g_return_if_fail (LIMNER_IS_STORE (store));
  g_return_if_fail (path != NULL);
  g_return_if_fail (options != NULL);

  job = g_new0 (AsyncJob, 1);
  job->path = g_strdup (path);
  job->yolo_names = g_strdup (options->yolo_names);
  job->options = *options;
  job->options.yolo_names = job->yolo_names;
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_data_destroy = progress_data_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_import_annotations_async);
  limner_worker_run (limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store)),
                     task, import_in_worker, job, (GDestroyNotify) async_job_free,
                     (GDestroyNotify) limner_annotation_import_report_free);
}

LimnerAnnotationImportReport *
limner_import_annotations_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static json_t *
strings_to_json (GPtrArray *strings)
{
  json_t *array = json_array ();

  for (guint i = 0; i < strings->len; i++)
    json_array_append_new (array, json_string (g_ptr_array_index (strings, i)));
  return array;
}

char *
limner_annotation_import_report_to_json (const LimnerAnnotationImportReport *report)
{
  json_t *root;
  json_t *files;
  char *text;
  char *copy;

  g_return_val_if_fail (report != NULL, NULL);

  root = json_object ();
  files = json_array ();
  json_object_set_new (root, "format", json_string (limner_annotation_format_to_string (report->format)));
  for (guint i = 0; i < report->files->len; i++)
    {
      const LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, i);
      json_t *f = json_object ();

      json_object_set_new (f, "file", json_string (fr->file));
      json_object_set_new (f, "ok", json_boolean (fr->ok));
      json_object_set_new (f, "error", fr->error ? json_string (fr->error) : json_null ());
      json_object_set_new (f, "imported", json_integer (fr->n_imported));
      json_object_set_new (f, "clamped", json_integer (fr->n_clamped));
      json_object_set_new (f, "images", json_integer (fr->n_images));
      json_object_set_new (f, "skipped", strings_to_json (fr->skipped));
      json_object_set_new (f, "labels_created", strings_to_json (fr->labels_created));
      json_object_set_new (f, "notes", strings_to_json (fr->notes));
      json_array_append_new (files, f);
    }
  json_object_set_new (root, "files", files);
  json_object_set_new (root, "files_ok", json_integer (report->n_files_ok));
  json_object_set_new (root, "files_failed", json_integer (report->n_files_failed));
  json_object_set_new (root, "imported", json_integer (report->n_imported));
  json_object_set_new (root, "skipped", json_integer (report->n_skipped));
  json_object_set_new (root, "clamped", json_integer (report->n_clamped));
  json_object_set_new (root, "notes", json_integer (report->n_notes));
  text = json_dumps (root, JSON_INDENT (2) | JSON_SORT_KEYS);
  json_decref (root);
  /* json_dumps() allocates with malloc(); callers free with g_free(). */
  copy = g_strdup (text);
  free (text);
  return copy;
}
