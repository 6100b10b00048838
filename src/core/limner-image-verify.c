/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-verify.c: an image's file against the SHA-256 the project
 * recorded, with a local cache of the files already hashed. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "limner-image-root.h"
#include "limner-image-verify.h"
#include "limner-import.h"

#define CACHE_GROUP "file"

static gint n_hashed;

/* Everything a verification needs, copied on the caller's thread. */
typedef struct {
  char   *identity;    /* the project's, or NULL: then nothing is cached */
  gint64  image_id;
  char   *stored_path;
  char   *path;        /* the file on this computer */
  char   *sha256;      /* as recorded */
  char   *root;        /* the project's image root, or NULL */
  char   *folder;      /* where relative paths are on this computer, or NULL */
} VerifyJob;

static void
verify_job_free (VerifyJob *job)
{
  g_free (job->identity);
  g_free (job->stored_path);
  g_free (job->path);
  g_free (job->sha256);
  g_free (job->root);
  g_free (job->folder);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyJob, verify_job_free)

static VerifyJob *
verify_job_new (LimnerStore             *store,
                const LimnerImageRecord *record)
{
  VerifyJob *job = g_new0 (VerifyJob, 1);

  job->identity = limner_image_root_identity (limner_store_get_dir (store));
  job->image_id = record->id;
  job->stored_path = g_strdup (record->path);
  job->root = limner_store_dup_image_root (store);
  job->folder = limner_store_dup_image_folder (store);
  job->path = limner_image_root_resolve (job->folder, record->path);
  job->sha256 = g_strdup (record->sha256);
  return job;
}

void
limner_verify_result_free (LimnerVerifyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  g_free (result->sha256);
  g_free (result->message);
  g_free (result);
}

guint
limner_image_verify_get_n_hashed (void)
{
  return (guint) g_atomic_int_get (&n_hashed);
}

/* Messages */

static char *
image_name (const VerifyJob *job)
{
  g_autofree char *base = g_path_get_basename (job->stored_path);

  return g_filename_display_name (base);
}

static char *
missing_message (const VerifyJob *job)
{
  g_autofree char *name = image_name (job);
  g_autofree char *display = g_filename_display_name (job->path);
  g_autofree char *hint = NULL;

  /* Only a relative path goes through the image folder, so only then is
   * the folder of this computer the likely cause. */
  if (g_path_is_absolute (job->stored_path) || job->root == NULL)
    hint = g_strdup (_("If the file was moved, a lead can relink it, or set the project's image root."));
  else if (job->folder != NULL && !g_str_equal (job->folder, job->root))
    hint = g_strdup_printf (_("This computer reads the project's image root %s from %s: check that "
                              "folder, or change the image folder on this computer in Project Settings."),
                            job->root, job->folder);
  else
    hint = g_strdup_printf (_("The project's images are under %s: if that folder is elsewhere on this "
                              "computer, set the image folder on this computer in Project Settings "
                              "(limner-cli: --image-root)."),
                            job->root);
  /* Translators: the image's id, its file name, the path looked at, then a hint */
  return g_strdup_printf (_("Image %" G_GINT64_FORMAT " (%s) is missing: there is no file at %s. %s"),
                          job->image_id, name, display, hint);
}

char *
limner_image_verify_missing_message (LimnerStore             *store,
                                     const LimnerImageRecord *record,
                                     const char              *path)
{
  g_autoptr(VerifyJob) job = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  job = verify_job_new (store, record);
  if (path != NULL)
    {
      g_free (job->path);
      job->path = g_strdup (path);
    }
  return missing_message (job);
}

/* The cache */

static char *
cache_path (const VerifyJob *job)
{
  g_autofree char *project = g_compute_checksum_for_string (G_CHECKSUM_SHA256, job->identity, -1);
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, job->image_id);

  return g_build_filename (g_get_user_cache_dir (), "limner", "verified", project, name, NULL);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* The hash remembered for this very file (path, size, mtime), or NULL. */
static char *
cache_lookup (const VerifyJob   *job,
              const struct stat *st)
{
  g_autofree char *file = cache_path (job);
  g_autofree char *path_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, job->path, -1);
  g_autofree char *cached_path_sha = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  char *sha;

  if (!g_key_file_load_from_file (keys, file, G_KEY_FILE_NONE, NULL))
    return NULL;
  cached_path_sha = g_key_file_get_string (keys, CACHE_GROUP, "path-sha256", NULL);
  if (g_strcmp0 (cached_path_sha, path_sha) != 0
      || g_key_file_get_int64 (keys, CACHE_GROUP, "size", NULL) != (gint64) st->st_size
      || g_key_file_get_int64 (keys, CACHE_GROUP, "mtime", NULL) != (gint64) st->st_mtim.tv_sec
      || g_key_file_get_int64 (keys, CACHE_GROUP, "mtime-nsec", NULL) != (gint64) st->st_mtim.tv_nsec)
    return NULL;
  sha = g_key_file_get_string (keys, CACHE_GROUP, "sha256", NULL);
  if (!is_sha256 (sha))
    g_clear_pointer (&sha, g_free);
  return sha;
}

/* A cache that cannot be written costs a hash next time, nothing more. */
static void
cache_store (const VerifyJob   *job,
             const struct stat *st,
             const char        *sha256)
{
  g_autofree char *file = cache_path (job);
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *path_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, job->path, -1);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;

  g_key_file_set_string (keys, CACHE_GROUP, "path-sha256", path_sha);
  g_key_file_set_int64 (keys, CACHE_GROUP, "size", st->st_size);
  g_key_file_set_int64 (keys, CACHE_GROUP, "mtime", st->st_mtim.tv_sec);
  g_key_file_set_int64 (keys, CACHE_GROUP, "mtime-nsec", st->st_mtim.tv_nsec);
  g_key_file_set_string (keys, CACHE_GROUP, "sha256", sha256);
  data = g_key_file_to_data (keys, NULL, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (file, data, -1, &error))
    g_debug ("Could not remember the hash of %s in %s: %s", job->path, file,
             error ? error->message : g_strerror (errno));
}

/* Verifying */

static gboolean
same_stat (const struct stat *a, const struct stat *b)
{
  return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec
         && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ino == b->st_ino;
}

static LimnerVerifyResult *
unreadable (LimnerVerifyResult *result,
            const VerifyJob    *job,
            const char         *reason)
{
  g_autofree char *name = image_name (job);

  result->status = LIMNER_VERIFY_UNREADABLE;
  /* Translators: the image's id, its file name, then why (a sentence naming the file) */
  result->message = g_strdup_printf (_("Image %" G_GINT64_FORMAT " (%s) could not be verified: %s"),
                                     job->image_id, name, reason);
  return result;
}

static LimnerVerifyResult *
verify_job_run (const VerifyJob  *job,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(LimnerVerifyResult) result = g_new0 (LimnerVerifyResult, 1);
  g_autofree char *display = g_filename_display_name (job->path);
  struct stat before, after;

  result->image_id = job->image_id;
  result->path = g_strdup (job->path);

  if (stat (job->path, &before) != 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        {
          result->status = LIMNER_VERIFY_MISSING;
          result->message = missing_message (job);
          return g_steal_pointer (&result);
        }
      {
        g_autofree char *reason = g_strdup_printf ("%s: %s.", display, g_strerror (saved));

        return unreadable (g_steal_pointer (&result), job, reason);
      }
    }
  if (!S_ISREG (before.st_mode))
    {
      g_autofree char *reason = g_strdup_printf (_("%s: this is not a regular file."), display);

      return unreadable (g_steal_pointer (&result), job, reason);
    }

  if (job->identity != NULL)
    result->sha256 = cache_lookup (job, &before);
  result->from_cache = result->sha256 != NULL;
  if (result->sha256 == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      result->sha256 = limner_import_hash_file (job->path, NULL, cancellable, &local_error);
      if (result->sha256 == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            {
              result->status = LIMNER_VERIFY_MISSING;
              result->message = missing_message (job);
              return g_steal_pointer (&result);
            }
          return unreadable (g_steal_pointer (&result), job, local_error->message);
        }
      g_atomic_int_inc (&n_hashed);
      /* A file written to while it was read is not this hash: check again next time. */
      if (job->identity != NULL && stat (job->path, &after) == 0 && same_stat (&before, &after))
        cache_store (job, &before, result->sha256);
    }

  if (g_ascii_strcasecmp (result->sha256, job->sha256 != NULL ? job->sha256 : "") == 0)
    result->status = LIMNER_VERIFY_OK;
  else
    {
      g_autofree char *name = image_name (job);

      result->status = LIMNER_VERIFY_CHANGED;
      /* Translators: the image's id, its file name, then the path of the file */
      result->message = g_strdup_printf (_("Image %" G_GINT64_FORMAT " (%s) changed on disk since it "
                                           "was added: %s no longer has the SHA-256 the project "
                                           "recorded, so its shapes may not match the pixels."),
                                         job->image_id, name, display);
    }
  return g_steal_pointer (&result);
}

LimnerVerifyResult *
limner_image_verify (LimnerStore              *store,
                     const LimnerImageRecord  *record,
                     GCancellable             *cancellable,
                     GError                  **error)
{
  g_autoptr(VerifyJob) job = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = verify_job_new (store, record);
  return verify_job_run (job, cancellable, error);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  LimnerVerifyResult *result = verify_job_run (data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) limner_verify_result_free);
}

void
limner_image_verify_async (LimnerStore              *store,
                           const LimnerImageRecord  *record,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LIMNER_IS_STORE (store));
  g_return_if_fail (record != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_image_verify_async);
  g_task_set_task_data (task, verify_job_new (store, record), (GDestroyNotify) verify_job_free);
  g_task_run_in_thread (task, verify_in_thread);
}

LimnerVerifyResult *
limner_image_verify_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, limner_image_verify_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
