/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-manifest.c: writing manifest.json. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <string.h>

#include "limner-manifest.h"

LimnerManifestFile *
limner_manifest_file_new (const char *path, const char *sha256, gint64 size)
{
  LimnerManifestFile *file = g_new0 (LimnerManifestFile, 1);

  file->path = g_strdup (path);
  file->sha256 = g_strdup (sha256);
  file->size = size;
  return file;
}

void
limner_manifest_file_free (LimnerManifestFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->sha256);
  g_free (file);
}

static int
compare_files (gconstpointer a, gconstpointer b)
{
  const LimnerManifestFile *fa = *(LimnerManifestFile * const *) a;
  const LimnerManifestFile *fb = *(LimnerManifestFile * const *) b;

  return strcmp (fa->path, fb->path);
}

void
limner_manifest_write_label (LimnerJsonWriter *w, const LimnerLabel *label)
{
  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_member_int (w, "id", label->id);
  limner_json_writer_member_string (w, "name", label->name);
  limner_json_writer_member_string (w, "color", label->color);
  limner_json_writer_member_string (w, "hotkey", label->hotkey);
  limner_json_writer_member_string (w, "guide", label->guide);
  limner_json_writer_member_int (w, "position", label->position);
  limner_json_writer_end_object (w);
}

char *
limner_manifest_schema_sha256 (GPtrArray *labels)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(LimnerJsonWriter) w = limner_json_writer_new_for_checksum (checksum);

  g_return_val_if_fail (labels != NULL, NULL);

  limner_json_writer_begin_array (w, TRUE);
  for (guint i = 0; i < labels->len; i++)
    limner_manifest_write_label (w, g_ptr_array_index (labels, i));
  limner_json_writer_end_array (w);
  if (!limner_json_writer_finish (w, NULL))
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

char *
limner_manifest_content_sha256 (GPtrArray *files)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < files->len; i++)
    {
      const LimnerManifestFile *f = g_ptr_array_index (files, i);
      g_autofree char *line = g_strdup_printf ("%s  %s\n", f->sha256, f->path);

      g_checksum_update (checksum, (const guchar *) line, strlen (line));
    }
  return g_strdup (g_checksum_get_string (checksum));
}

typedef struct {
  char                    *file;
  const LimnerImageRecord *image;
} ManifestImage;

static int
compare_images (gconstpointer a, gconstpointer b)
{
  const ManifestImage *ia = a;
  const ManifestImage *ib = b;
  int c = strcmp (ia->file, ib->file);

  if (c != 0)
    return c;
  return ia->image->id < ib->image->id ? -1 : ia->image->id > ib->image->id;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

gboolean
limner_manifest_write (LimnerDataset  *ds,
                       const char     *out_dir,
                       const char     *export_format,
                       GHashTable     *options,
                       GPtrArray      *files,
                       GError        **error)
{
  g_autofree char *path = g_build_filename (out_dir, LIMNER_MANIFEST_NAME, NULL);
  g_autoptr(LimnerAtomicFile) file = NULL;
  g_autoptr(LimnerJsonWriter) w = NULL;
  g_autofree char *project = limner_dataset_dup_project_name (ds);
  g_autofree char *schema = limner_manifest_schema_sha256 (limner_dataset_get_labels (ds));
  g_autofree char *content = NULL;
  g_autoptr(GArray) images = g_array_new (FALSE, FALSE, sizeof (ManifestImage));
  GPtrArray *records = limner_dataset_get_images (ds);
  const LimnerVersion *version = limner_dataset_get_version (ds);
  gboolean ok;

  g_ptr_array_sort (files, compare_files);
  content = limner_manifest_content_sha256 (files);

  file = limner_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  w = limner_json_writer_new_for_atomic_file (file);

  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_string (w, "format", LIMNER_MANIFEST_FORMAT);
  limner_json_writer_member_int (w, "format_version", LIMNER_MANIFEST_FORMAT_VERSION);
  limner_json_writer_member_string (w, "export_format", export_format);

  limner_json_writer_key (w, "options");
  limner_json_writer_begin_object (w, TRUE);
  if (options != NULL)
    {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (options, NULL);
      guint n = g_hash_table_size (options);

      qsort (keys, n, sizeof (gpointer), compare_strings);
      for (guint i = 0; i < n; i++)
        limner_json_writer_member_string (w, keys[i], g_hash_table_lookup (options, keys[i]));
    }
  limner_json_writer_end_object (w);

  limner_json_writer_member_string (w, "project", project);
  if (version != NULL)
    limner_json_writer_member_int (w, "version", version->number);
  else
    limner_json_writer_member_null (w, "version");
  limner_json_writer_member_bool (w, "draft", limner_dataset_is_draft (ds));
  limner_json_writer_member_string (w, "content_sha256", content);
  limner_json_writer_member_string (w, "schema_sha256", schema);

  limner_json_writer_key (w, "files");
  limner_json_writer_begin_array (w, FALSE);
  for (guint i = 0; i < files->len; i++)
    {
      const LimnerManifestFile *f = g_ptr_array_index (files, i);

      limner_json_writer_begin_object (w, TRUE);
      limner_json_writer_member_string (w, "path", f->path);
      limner_json_writer_member_string (w, "sha256", f->sha256);
      limner_json_writer_member_int (w, "size", f->size);
      limner_json_writer_end_object (w);
    }
  limner_json_writer_end_array (w);

  for (guint i = 0; i < records->len; i++)
    {
      ManifestImage mi;

      mi.image = g_ptr_array_index (records, i);
      mi.file = limner_dataset_dup_export_path (ds, mi.image);
      g_array_append_val (images, mi);
    }
  g_array_sort (images, compare_images);

  limner_json_writer_key (w, "images");
  limner_json_writer_begin_array (w, FALSE);
  for (guint i = 0; i < images->len; i++)
    {
      ManifestImage *mi = &g_array_index (images, ManifestImage, i);

      limner_json_writer_begin_object (w, TRUE);
      limner_json_writer_member_int (w, "id", mi->image->id);
      limner_json_writer_member_string (w, "file", mi->file);
      limner_json_writer_member_string (w, "sha256", mi->image->sha256);
      limner_json_writer_member_int (w, "size", mi->image->size);
      limner_json_writer_end_object (w);
      g_free (mi->file);
    }
  limner_json_writer_end_array (w);
  limner_json_writer_end_object (w);

  ok = limner_json_writer_finish (w, error);
  if (ok)
    ok = limner_atomic_file_commit (file, error);
  return ok;
}
