/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import.c: importing image files and folders into a project.
 *
 * Three steps, of which only the last touches the database:
 *   1. walk: the given paths become a list of candidate files;
 *   2. check: each candidate is hashed and probed on a small worker pool;
 *   3. insert: the accepted files go into the store in one batch.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "limner-image.h"
#include "limner-import.h"
#include "limner-import-private.h"
#include "limner-worker.h"

#define HASH_CHUNK (64 * 1024)
/* Hashing is I/O bound and probing cheap; two threads keep a disk busy
 * without starving the UI on the two-core machines we target. */
#define N_CHECK_THREADS 2

typedef struct {
  char            *path;     /* as found: the given path, or joined under it */
  /* Filled by the check step. */
  char            *sha256;
  gint64           size;
  LimnerImageInfo  info;
  GError          *error;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->path);
  g_free (c->sha256);
  g_clear_error (&c->error);
  g_free (c);
}

static LimnerImportItem *
item_new (const char *path, char *reason, gint64 image_id)
{
  LimnerImportItem *item = g_new0 (LimnerImportItem, 1);

  item->path = g_strdup (path);
  item->reason = reason;
  item->image_id = image_id;
  return item;
}

static void
item_free (LimnerImportItem *item)
{
  g_free (item->path);
  g_free (item->reason);
  g_free (item);
}

static LimnerImportResult *
result_new (void)
{
  LimnerImportResult *result = g_new0 (LimnerImportResult, 1);

  result->added = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  result->duplicates = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  result->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  return result;
}

void
limner_import_result_free (LimnerImportResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->added);
  g_ptr_array_unref (result->duplicates);
  g_ptr_array_unref (result->rejected);
  g_free (result);
}

char *
limner_import_hash_file (const char    *path,
                         gint64        *size,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guint8 *buf = NULL;
  gint64 total = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Not blocking on a FIFO swapped in since the folder walk, and refusing
   * anything but a regular file: a device such as /dev/zero has no end. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: the file cannot be read (%s)."), display, g_strerror (saved));
      return NULL;
    }
  {
    struct stat st;

    if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
      {
        g_autofree char *display = g_filename_display_name (path);

        close (fd);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                     _("%s: this is not a regular file."), display);
        return NULL;
      }
  }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  buf = g_malloc (HASH_CHUNK);
  for (;;)
    {
      gssize n = read (fd, buf, HASH_CHUNK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (path);

          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("%s: the file cannot be read (%s)."), display, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      g_checksum_update (checksum, buf, n);
      total += n;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }
    }
  close (fd);

  if (size != NULL)
    *size = total;
  return g_strdup (g_checksum_get_string (checksum));
}

/* Walking */

typedef struct {
  GPtrArray                *candidates; /* of Candidate */
  LimnerImportResult       *result;
  GHashTable               *visited;    /* "dev:ino" of directories entered */
  GCancellable             *cancellable;
  LimnerImportProgressFunc  progress;
  gpointer                  progress_data;
} Walk;

static void
add_candidate (Walk *walk, const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  Candidate *c;

  /* Every export writes the path as UTF-8 text (JSON, XML, YAML), so a
   * name in another encoding would import and then fail every export. */
  if (!g_utf8_validate (absolute, -1, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_ptr_array_add (walk->result->rejected,
                       item_new (path, g_strdup_printf (_("%s: the file's path is not valid UTF-8 (a name written in another encoding); rename it to import it, since every export writes paths as UTF-8."),
                                                        display), 0));
      return;
    }
  /* XML 1.0 (Pascal VOC) cannot carry control characters at all, and a
   * terminal would act on them when the name is printed. */
  for (const char *p = absolute; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_autofree char *shown = g_strescape (absolute, NULL);

        g_ptr_array_add (walk->result->rejected,
                         item_new (path, g_strdup_printf (_("%s: the file's path holds a control character; rename it to import it, since exports cannot write it."),
                                                          shown), 0));
        return;
      }
  c = g_new0 (Candidate, 1);
  c->path = g_strdup (path);
  g_ptr_array_add (walk->candidates, c);
}

static void
reject (Walk *walk, const char *path, char *reason)
{
  g_ptr_array_add (walk->result->rejected, item_new (path, reason, 0));
}

static char *
dir_key (const GStatBuf *st)
{
  return g_strdup_printf ("%" PRIu64 ":%" PRIu64,
                          (guint64) st->st_dev, (guint64) st->st_ino);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static gboolean
walk_dir (Walk *walk, const char *path, const GStatBuf *st, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  GDir *dir;
  const char *name;
  char *key = dir_key (st);

  /* Symlinks may lead back to a folder we are inside or have seen; each
   * directory (by device and inode) is entered once. */
  if (!g_hash_table_add (walk->visited, key))
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
    return FALSE;
  if (walk->progress)
    walk->progress (walk->candidates->len, 0, path, walk->progress_data);

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      reject (walk, path, g_strdup_printf (_("%s: the folder cannot be read (%s)."),
                                           display, local_error->message));
      return TRUE;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  /* Name order, so the same folder always imports in the same order. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      GStatBuf cst;

      /* stat, not lstat: symlinked files and folders are followed. */
      if (g_stat (child, &cst) != 0)
        {
          /* A dangling symlink, or a file gone since the listing. */
          if (limner_image_has_image_extension (child))
            {
              int saved = errno;
              g_autofree char *display = g_filename_display_name (child);

              reject (walk, child, g_strdup_printf ("%s: %s.", display, g_strerror (saved)));
            }
          continue;
        }
      if (S_ISDIR (cst.st_mode))
        {
          if (!walk_dir (walk, child, &cst, error))
            return FALSE;
        }
      else if (S_ISREG (cst.st_mode) && limner_image_has_image_extension (child))
        add_candidate (walk, child);
    }
  return TRUE;
}

static gboolean
walk_paths (Walk *walk, const char * const *paths, GError **error)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      GStatBuf st;

      if (g_stat (paths[i], &st) != 0)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (paths[i]);

          reject (walk, paths[i], g_strdup_printf ("%s: %s.", display, g_strerror (saved)));
          continue;
        }
      if (S_ISDIR (st.st_mode))
        {
          if (!walk_dir (walk, paths[i], &st, error))
            return FALSE;
        }
      else if (S_ISREG (st.st_mode))
        /* A file named explicitly is tried whatever its name. */
        add_candidate (walk, paths[i]);
      else
        {
          g_autofree char *display = g_filename_display_name (paths[i]);

          reject (walk, paths[i], g_strdup_printf (_("%s: this is not a regular file."), display));
        }
    }
  return TRUE;
}

/* Checking, on a pool of N_CHECK_THREADS */

typedef struct {
  GCancellable *cancellable;
  GAsyncQueue  *done;   /* of Candidate *, as they finish */
} Check;

static void
check_candidate (gpointer data, gpointer user_data)
{
  Candidate *c = data;
  Check *check = user_data;

  if (!g_cancellable_is_cancelled (check->cancellable))
    {
      c->sha256 = limner_import_hash_file (c->path, &c->size, check->cancellable, &c->error);
      if (c->sha256 != NULL)
        limner_image_probe (c->path, &c->info, &c->error);
    }
  g_async_queue_push (check->done, c);
}

static gboolean
check_candidates (GPtrArray                 *candidates,
                  GCancellable              *cancellable,
                  LimnerImportProgressFunc   progress,
                  gpointer                   progress_data,
                  GError                   **error)
{
  Check check = { cancellable, g_async_queue_new () };
  GThreadPool *pool;
  guint n = candidates->len;

  pool = g_thread_pool_new (check_candidate, &check, N_CHECK_THREADS, FALSE, NULL);
  for (guint i = 0; i < n; i++)
    g_thread_pool_push (pool, g_ptr_array_index (candidates, i), NULL);

  /* Progress is reported from this thread only, in completion order. Every
   * job reports back even when cancelled, so the pool is idle after this. */
  for (guint done = 1; done <= n; done++)
    {
      Candidate *c = g_async_queue_pop (check.done);

      if (progress && !g_cancellable_is_cancelled (cancellable))
        progress (done, n, c->path, progress_data);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (check.done);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Inserting */

/* Sorts the checked candidates into rejected, duplicate and accepted (in
 * walk order) and inserts the accepted ones. The sorting reads the store
 * inside the same transaction as the inserts, so a concurrent import cannot
 * slip a duplicate in between. With `own_batch` this is one batch of its
 * own; otherwise the caller holds the batch and rolls it back on failure.
 * Frees `result` on failure. */
static LimnerImportResult *
insert_accepted (LimnerStore         *store,
                 GPtrArray           *candidates,
                 LimnerImportResult  *result,
                 gboolean             own_batch,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal); /* sha256 -> Candidate */

  /* The last moment a cancel keeps the database as it was. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || (own_batch && !limner_store_begin (store, error)))
    goto fail;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);
      g_autofree char *display = g_filename_display_name (c->path);
      g_autofree char *absolute = NULL;
      g_autofree char *stored = NULL;
      Candidate *first;
      g_autoptr(LimnerImageRecord) same_hash = NULL;
      g_autoptr(LimnerImageRecord) same_path = NULL;
      gint64 id;

      if (c->error != NULL)
        {
          g_ptr_array_add (result->rejected, item_new (c->path, g_strdup (c->error->message), 0));
          continue;
        }
      if ((first = g_hash_table_lookup (seen, c->sha256)) != NULL)
        {
          g_autofree char *first_display = g_filename_display_name (first->path);

          g_ptr_array_add (result->duplicates,
                           item_new (c->path,
                                     g_strdup_printf (_("%s: the same image as %s, which this import adds."),
                                                      display, first_display),
                                     0));
          continue;
        }
      g_hash_table_insert (seen, c->sha256, c);

      same_hash = limner_store_find_image_by_sha256 (store, c->sha256, NULL);
      if (same_hash != NULL)
        {
          g_ptr_array_add (result->duplicates,
                           item_new (c->path,
                                     g_strdup_printf (_("%s: the same image as %s, already in the project."),
                                                      display, same_hash->path),
                                     same_hash->id));
          continue;
        }

      /* Stored relative to the project when inside it (docs/architecture.md). */
      absolute = g_canonicalize_filename (c->path, NULL);
      stored = limner_store_relativize_path (store, absolute);
      same_path = limner_store_find_image_by_path (store, stored, NULL);
      if (same_path != NULL)
        {
          g_ptr_array_add (result->rejected,
                           item_new (c->path,
                                     g_strdup_printf (_("%s: the project already has a different image at this path; "
                                                        "the file changed since it was imported."),
                                                      display),
                                     0));
          continue;
        }

      id = limner_store_add_image (store, stored, c->sha256, c->size,
                                   c->info.width, c->info.height, c->info.format, error);
      if (id <= 0)
        {
          if (own_batch)
            limner_store_rollback (store);
          goto fail;
        }
      g_ptr_array_add (result->added, item_new (c->path, NULL, id));
    }

  if (own_batch && !limner_store_commit (store, error))
    goto fail;
  return result;

fail:
  limner_import_result_free (result);
  return NULL;
}

static LimnerImportResult *
import_run (LimnerStore               *store,
            const char * const        *paths,
            gboolean                   own_batch,
            GCancellable              *cancellable,
            LimnerImportProgressFunc   progress,
            gpointer                   progress_data,
            GError                   **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GHashTable) visited = NULL;
  LimnerImportResult *result;
  Walk walk = { 0 };

  /* Before reading a single file: hashing a big folder only to be refused
   * at the end would waste minutes. */
  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error))
    return NULL;

  candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  result = result_new ();
  walk.candidates = candidates;
  walk.result = result;
  walk.visited = visited;
  walk.cancellable = cancellable;
  walk.progress = progress;
  walk.progress_data = progress_data;

  if (!walk_paths (&walk, paths, error)
      || !check_candidates (candidates, cancellable, progress, progress_data, error))
    {
      limner_import_result_free (result);
      return NULL;
    }
  if (progress)
    progress (candidates->len, candidates->len, NULL, progress_data);

  return insert_accepted (store, candidates, result, own_batch, cancellable, error);
}

LimnerImportResult *
limner_import_run (LimnerStore               *store,
                   const char * const        *paths,
                   GCancellable              *cancellable,
                   LimnerImportProgressFunc   progress,
                   gpointer                   progress_data,
                   GError                   **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (!limner_store_in_batch (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_run (store, paths, TRUE, cancellable, progress, progress_data, error);
}

LimnerImportResult *
limner_import_run_in_batch (LimnerStore               *store,
                            const char * const        *paths,
                            GCancellable              *cancellable,
                            LimnerImportProgressFunc   progress,
                            gpointer                   progress_data,
                            GError                   **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (limner_store_in_batch (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_run (store, paths, FALSE, cancellable, progress, progress_data, error);
}

/* Async */

typedef struct {
  GStrv                     paths;
  LimnerImportProgressFunc  progress;
  gpointer                  progress_data;
  GDestroyNotify            progress_data_destroy;
} ImportTaskData;

static void
import_task_data_free (ImportTaskData *data)
{
  if (data->progress_data_destroy)
    data->progress_data_destroy (data->progress_data);
  g_strfreev (data->paths);
  g_free (data);
}

static gpointer
import_in_worker (LimnerWorker  *worker,
                  LimnerStore   *store,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ImportTaskData *data = user_data;

  return limner_import_run (store, (const char * const *) data->paths, cancellable,
                            data->progress, data->progress_data, error);
}

void
limner_import_run_async (LimnerStore               *store,
                         const char * const        *paths,
                         GCancellable              *cancellable,
                         LimnerImportProgressFunc   progress,
                         gpointer                   progress_data,
                         GDestroyNotify             progress_data_destroy,
                         GAsyncReadyCallback        callback,
                         gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportTaskData *data;

  g_return_if_fail (LIMNER_IS_STORE (store));
  g_return_if_fail (paths != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ImportTaskData, 1);
  data->paths = g_strdupv ((char **) paths);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_data_destroy = progress_data_destroy;

  /* No source object: the worker must not touch `store`. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_import_run_async);
  g_task_set_name (task, "limner-import");
  limner_worker_run (limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store)),
                     task, import_in_worker, data, (GDestroyNotify) import_task_data_free,
                     (GDestroyNotify) limner_import_result_free);
}

LimnerImportResult *
limner_import_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == limner_import_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
