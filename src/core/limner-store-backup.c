/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "limner-core"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "limner-store-backup.h"
#include "limner-store-private.h"

#define BACKUP_PREFIX "project-"
#define BACKUP_SUFFIX ".db"

void
limner_store_backup_free (LimnerStoreBackup *backup)
{
  if (backup == NULL)
    return;
  g_free (backup->path);
  g_free (backup);
}

static char *
utc_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y%m%dT%H%M%SZ");
}

/* "project-20261206T031500Z.db" -> unix seconds, or -1. */
static gint64
parse_backup_name (const char *name)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *s;

  if (!g_str_has_prefix (name, BACKUP_PREFIX) || !g_str_has_suffix (name, BACKUP_SUFFIX))
    return -1;
  s = name + strlen (BACKUP_PREFIX);
  if (strlen (s) != strlen ("20261206T031500Z" BACKUP_SUFFIX))
    return -1;
  /* 20261206T031500Z -> 2026-12-06T03:15:00Z */
  iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 9, s + 11, s + 13);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  return dt ? g_date_time_to_unix (dt) : -1;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const LimnerStoreBackup *x = *(LimnerStoreBackup **) a;
  const LimnerStoreBackup *y = *(LimnerStoreBackup **) b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? 1 : -1;
  return g_strcmp0 (y->path, x->path);
}

GPtrArray *
limner_store_list_backups (const char *dir)
{
  g_autofree char *backup_dir = NULL;
  g_autoptr(GDir) d = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_store_backup_free);
  const char *name;

  g_return_val_if_fail (dir != NULL, list);

  backup_dir = g_build_filename (dir, LIMNER_STORE_BACKUP_DIR, NULL);
  d = g_dir_open (backup_dir, 0, NULL);
  if (d == NULL)
    return list;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      gint64 when = parse_backup_name (name);
      GStatBuf st;
      LimnerStoreBackup *backup;
      g_autofree char *path = NULL;

      if (when < 0)
        continue;
      path = g_build_filename (backup_dir, name, NULL);
      if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      backup = g_new0 (LimnerStoreBackup, 1);
      backup->path = g_steal_pointer (&path);
      backup->created_at = when;
      backup->size = st.st_size;
      g_ptr_array_add (list, backup);
    }
  g_ptr_array_sort (list, compare_newest_first);
  return list;
}

/* Copies `from` into the database file `to_path` with the online backup
 * API, in steps so that writers elsewhere are not held up for long. */
static gboolean
copy_database (sqlite3     *from,
               const char  *to_path,
               GError     **error)
{
  sqlite3 *to = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (to_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (to, "main", from, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (to);
      else
        {
          do
            {
              rc = sqlite3_backup_step (backup, 1024);
              if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep (20);
            }
          while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                 _("Could not write the backup %s: %s"), to_path,
                 to ? sqlite3_errmsg (to) : sqlite3_errstr (rc));
  sqlite3_close (to);
  return rc == SQLITE_OK;
}

static void
prune (const char *dir)
{
  g_autoptr(GPtrArray) list = limner_store_list_backups (dir);

  for (guint i = LIMNER_STORE_BACKUPS_KEPT; i < list->len; i++)
    {
      LimnerStoreBackup *old = g_ptr_array_index (list, i);

      if (g_unlink (old->path) != 0)
        g_debug ("Could not remove the old backup %s: %s", old->path, g_strerror (errno));
    }
}

char *
limner_store_backup (LimnerStore  *store,
                     GError      **error)
{
  const char *dir;
  g_autofree char *backup_dir = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tmp = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = limner_store_get_dir (store);
  backup_dir = g_build_filename (dir, LIMNER_STORE_BACKUP_DIR, NULL);
  if (g_mkdir_with_parents (backup_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the backup folder %s: %s"), backup_dir, g_strerror (saved));
      return NULL;
    }
  stamp = utc_stamp ();
  {
    g_autofree char *name = g_strconcat (BACKUP_PREFIX, stamp, BACKUP_SUFFIX, NULL);

    path = g_build_filename (backup_dir, name, NULL);
  }
  /* Two backups in one second: the second replaces the first, which is
   * the same state or older. */
  tmp = g_strconcat (path, ".part", NULL);
  g_unlink (tmp);
  if (!copy_database (limner_db_get_sqlite (limner_store_db (store)), tmp, error))
    {
      g_unlink (tmp);
      return NULL;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write the backup %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  prune (dir);
  return g_steal_pointer (&path);
}

gboolean
limner_store_backup_if_due (LimnerStore  *store,
                            gint64        max_age_seconds,
                            GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);

  list = limner_store_list_backups (limner_store_get_dir (store));
  if (list->len > 0)
    {
      LimnerStoreBackup *newest = g_ptr_array_index (list, 0);

      if (g_get_real_time () / G_USEC_PER_SEC - newest->created_at < max_age_seconds)
        return TRUE;
    }
  path = limner_store_backup (store, error);
  return path != NULL;
}

/* A backup is usable when SQLite opens it, it passes quick_check and it
 * carries Limner's application id. */
static gboolean
check_backup (const char  *path,
              GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  g_autofree char *problem = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *result = (const char *) sqlite3_column_text (stmt, 0);

      ok = g_strcmp0 (result, "ok") == 0;
      if (!ok)
        problem = g_strdup (result);
    }
  else
    problem = g_strdup (db ? sqlite3_errmsg (db) : "cannot open");
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (ok && sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    {
      ok = sqlite3_column_int (stmt, 0) == LIMNER_STORE_APPLICATION_ID;
      if (!ok)
        problem = g_strdup (_("not a Limner project database"));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (!ok)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                 _("The backup %s cannot be used: %s"), path, problem ? problem : "?");
  return ok;
}

char *
limner_store_restore_backup (const char   *dir,
                             const char   *backup_path,
                             GError      **error)
{
  g_autofree char *db = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  const char *sidecars[] = { "-wal", "-shm" };

  g_return_val_if_fail (dir != NULL && backup_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_backup (backup_path, error))
    return NULL;

  db = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  stamp = utc_stamp ();
  damaged = g_strconcat (db, ".damaged-", stamp, NULL);

  /* The copy goes next to project.db first, so the final step is a rename
   * on one file system. */
  tmp = g_strconcat (db, ".restoring", NULL);
  if (!g_file_get_contents (backup_path, &contents, &len, error)
      || !g_file_set_contents (tmp, contents, len, error))
    return NULL;

  if (g_file_test (db, G_FILE_TEST_EXISTS) && g_rename (db, damaged) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not move the damaged database %s aside: %s"), db, g_strerror (saved));
      return NULL;
    }
  /* Its WAL belongs to the damaged file, never to the restored one. */
  for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
    {
      g_autofree char *from = g_strconcat (db, sidecars[i], NULL);
      g_autofree char *to = g_strconcat (damaged, sidecars[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  if (g_rename (tmp, db) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not put the backup in place as %s: %s"), db, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&damaged);
}
