/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export.c: format dispatch, export files and the manifest. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "limner-export.h"
#include "limner-manifest.h"
#include "limner-worker.h"

G_DEFINE_QUARK (limner-export-error-quark, limner_export_error)

struct _LimnerExport
{
  const LimnerExportFormat  *format;
  LimnerDataset             *ds;          /* borrowed */
  char                      *out_dir;
  GHashTable                *options;     /* borrowed, may be NULL */
  LimnerExportProgressFunc   progress;
  gpointer                   progress_data;
  GCancellable              *cancellable; /* borrowed, may be NULL */
  GPtrArray                 *files;       /* of LimnerManifestFile */
  GHashTable                *file_paths;  /* relpath set, to refuse duplicates */
};

const LimnerExportFormat *
limner_export_find_format (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; limner_export_formats[i].name != NULL; i++)
    if (g_str_equal (limner_export_formats[i].name, name))
      return &limner_export_formats[i];
  return NULL;
}

char *
limner_export_dup_format_names (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; limner_export_formats[i].name != NULL; i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, limner_export_formats[i].name);
    }
  return g_string_free (s, FALSE);
}

gboolean
limner_export_path_is_safe (const char *relpath)
{
  g_auto(GStrv) parts = NULL;

  if (relpath == NULL || *relpath == '\0' || g_path_is_absolute (relpath)
      || relpath[0] == '/' || strchr (relpath, '\\') != NULL)
    return FALSE;
  parts = g_strsplit (relpath, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

static gboolean
check_options (const LimnerExportFormat *format, GHashTable *options, GError **error)
{
  g_auto(GStrv) allowed = g_strsplit (format->options ? format->options : "", " ", -1);
  GHashTableIter iter;
  gpointer key;

  if (options == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, options);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains ((const char * const *) allowed, key))
      {
        g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                     _("The %s format has no option “%s”."), format->name, (const char *) key);
        return FALSE;
      }
  return TRUE;
}

gboolean
limner_export_run (const char                *format,
                   LimnerDataset             *ds,
                   const char                *out_dir,
                   GHashTable                *options,
                   LimnerExportProgressFunc   progress,
                   gpointer                   progress_data,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  const LimnerExportFormat *fmt;
  g_autofree char *manifest_path = NULL;
  LimnerExport ex = { 0 };
  gboolean ok;

  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (out_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fmt = limner_export_find_format (format);
  if (fmt == NULL)
    {
      g_autofree char *names = limner_export_dup_format_names ();
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("Unknown export format “%s”; the formats are: %s."), format, names);
      return FALSE;
    }
  if (!check_options (fmt, options, error))
    return FALSE;

  if (g_mkdir_with_parents (out_dir, 0777) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s: %s."), out_dir, g_strerror (saved));
      return FALSE;
    }

  /* A stale manifest would vouch for a mix of old and new files. */
  manifest_path = g_build_filename (out_dir, LIMNER_MANIFEST_NAME, NULL);
  if (g_unlink (manifest_path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not remove the old %s: %s."), manifest_path, g_strerror (saved));
      return FALSE;
    }

  ex.format = fmt;
  ex.ds = ds;
  /* Canonical (absolute, no trailing '/'), so relative names come out right. */
  ex.out_dir = g_canonicalize_filename (out_dir, NULL);
  ex.options = options;
  ex.progress = progress;
  ex.progress_data = progress_data;
  ex.cancellable = cancellable;
  ex.files = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_manifest_file_free);
  ex.file_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ok = fmt->func (&ex, error);
  if (ok)
    ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (ok)
    ok = limner_manifest_write (ds, out_dir, fmt->name, options, ex.files, error);

  g_free (ex.out_dir);
  g_ptr_array_unref (ex.files);
  g_hash_table_unref (ex.file_paths);
  return ok;
}

LimnerDataset *
limner_export_get_dataset (LimnerExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ds;
}

const char *
limner_export_get_out_dir (LimnerExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->out_dir;
}

const char *
limner_export_get_format_name (LimnerExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->format->name;
}

GCancellable *
limner_export_get_cancellable (LimnerExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cancellable;
}

const char *
limner_export_get_option (LimnerExport *self, const char *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return self->options ? g_hash_table_lookup (self->options, key) : NULL;
}

gboolean
limner_export_get_option_int (LimnerExport  *self,
                              const char    *key,
                              gint64         def,
                              gint64        *out,
                              GError       **error)
{
  const char *value = limner_export_get_option (self, key);

  g_return_val_if_fail (out != NULL, FALSE);

  if (value == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, out, NULL))
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                   _("The option “%s” expects a whole number, not “%s”."), key, value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_relpath (LimnerExport *self, const char *relpath, GError **error)
{
  if (!limner_export_path_is_safe (relpath) || g_str_equal (relpath, LIMNER_MANIFEST_NAME))
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_PATH,
                   _("The export file name “%s” is not allowed: it must be a relative path "
                     "inside the export folder."), relpath);
      return FALSE;
    }
  if (g_hash_table_contains (self->file_paths, relpath))
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_PATH,
                   _("The export writes %s twice."), relpath);
      return FALSE;
    }
  return TRUE;
}

LimnerAtomicFile *
limner_export_create_file (LimnerExport *self, const char *relpath, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (relpath != NULL, NULL);

  if (!check_relpath (self, relpath, error))
    return NULL;
  path = g_build_filename (self->out_dir, relpath, NULL);
  return limner_atomic_file_new (path, error);
}

static char *
relpath_of (LimnerExport *self, const char *path)
{
  gsize n = strlen (self->out_dir);

  if (g_str_has_prefix (path, self->out_dir) && path[n] == G_DIR_SEPARATOR)
    return g_strdup (path + n + 1);
  return g_strdup (path);
}

gboolean
limner_export_commit_file (LimnerExport *self, LimnerAtomicFile *file, GError **error)
{
  g_autoptr(LimnerAtomicFile) owned = file;
  g_autofree char *relpath = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  relpath = relpath_of (self, limner_atomic_file_get_path (owned));
  if (!check_relpath (self, relpath, error))
    return FALSE;
  if (!limner_atomic_file_commit (owned, error))
    return FALSE;
  return limner_export_add_file (self, relpath, limner_atomic_file_get_sha256 (owned),
                                 limner_atomic_file_get_size (owned), error);
}

gboolean
limner_export_add_file (LimnerExport  *self,
                        const char    *relpath,
                        const char    *sha256,
                        gint64         size,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  if (!check_relpath (self, relpath, error))
    return FALSE;
  g_hash_table_add (self->file_paths, g_strdup (relpath));
  g_ptr_array_add (self->files, limner_manifest_file_new (relpath, sha256, size));
  return TRUE;
}

gboolean
limner_export_progress (LimnerExport  *self,
                        guint          done,
                        guint          total,
                        const char    *current,
                        GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->progress != NULL)
    self->progress (done, total, current, self->progress_data);
  return !g_cancellable_set_error_if_cancelled (self->cancellable, error);
}

/* Asynchronous export. */

typedef struct {
  gint64                    version;
  char                     *format;
  char                     *out_dir;
  GHashTable               *options;
  LimnerExportProgressFunc  progress;
  gpointer                  progress_data;
  GDestroyNotify            progress_data_destroy;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->format);
  g_free (data->out_dir);
  g_clear_pointer (&data->options, g_hash_table_unref);
  if (data->progress_data_destroy != NULL)
    data->progress_data_destroy (data->progress_data);
  g_free (data);
}

static gpointer
export_in_worker (LimnerWorker  *worker,
                  LimnerStore   *store,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  AsyncData *data = user_data;
  g_autoptr(LimnerDataset) ds = limner_dataset_open (store, data->version, error);

  if (ds == NULL
      || !limner_export_run (data->format, ds, data->out_dir, data->options,
                             data->progress, data->progress_data, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

void
limner_export_run_async (LimnerStore               *store,
                         gint64                     version,
                         const char                *format,
                         const char                *out_dir,
                         GHashTable                *options,
                         LimnerExportProgressFunc   progress,
                         gpointer                   progress_data,
                         GDestroyNotify             progress_data_destroy,
                         GCancellable              *cancellable,
                         GAsyncReadyCallback        callback,
                         gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (LIMNER_IS_STORE (store));
  g_return_if_fail (format != NULL);
  g_return_if_fail (out_dir != NULL);

  data = g_new0 (AsyncData, 1);
  data->version = version;
  data->format = g_strdup (format);
  data->out_dir = g_strdup (out_dir);
  if (options != NULL)
    {
      GHashTableIter iter;
      gpointer k, v;

      data->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, options);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (data->options, g_strdup (k), g_strdup (v));
    }
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_destroy = progress_data_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_export_run_async);
  limner_worker_run (limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store)),
                     task, export_in_worker, data, (GDestroyNotify) async_data_free, NULL);
}

gboolean
limner_export_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}
