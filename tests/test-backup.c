/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backup.c: rolling backups of project.db, and restoring one in place
 * of a damaged database. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "limner-core.h"
#include "limner-store.h"
#include "limner-store-backup.h"
#include "limner-test-util.h"

#define SHA_A "a000000000000000000000000000000000000000000000000000000000000000"

static void
test_backup_and_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-backup-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "Project", NULL);
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *damaged = NULL;
  g_autoptr(GPtrArray) list = NULL;

  {
    g_autoptr(LimnerStore) store = limner_store_create (dir, "Backups", "lead", &error);

    g_assert_no_error (error);
    g_assert_cmpint (limner_store_add_label (store, "before", NULL, NULL, NULL, &error), >, 0);
    backup = limner_store_backup (store, &error);
    g_assert_no_error (error);
    g_assert_nonnull (backup);
    /* Made after the backup: gone once the backup is restored. */
    g_assert_cmpint (limner_store_add_label (store, "after", NULL, NULL, NULL, &error), >, 0);
    /* A backup younger than a day is enough. */
    g_assert_true (limner_store_backup_if_due (store, 24 * 3600, &error));
  }
  list = limner_store_list_backups (dir);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((LimnerStoreBackup *) g_ptr_array_index (list, 0))->path, ==, backup);

  /* Damage the database: overwrite its first page's header. */
  {
    FILE *f = fopen (db, "r+b");

    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, 0, SEEK_SET), ==, 0);
    g_assert_cmpint (fwrite ("garbage garbage garbage garbage!", 1, 32, f), ==, 32);
    fclose (f);
  }
  {
    g_autoptr(LimnerStore) broken = limner_store_open (dir, "lead", &error);

    g_assert_null (broken);
    g_assert_nonnull (error);
    g_test_message ("open: %s", error->message);
    g_clear_error (&error);
  }

  damaged = limner_store_restore_backup (dir, backup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (damaged);
  g_assert_true (g_file_test (damaged, G_FILE_TEST_IS_REGULAR)); /* kept, never deleted */
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);
    g_autoptr(GPtrArray) labels = NULL;

    g_assert_no_error (error);
    labels = limner_store_list_labels (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (labels->len, ==, 1);
    g_assert_cmpstr (((LimnerLabel *) g_ptr_array_index (labels, 0))->name, ==, "before");
  }
  limner_test_rm_rf (tmp);
}

static void
test_prune_and_refuse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-backup-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "Project", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *junk = g_build_filename (backups, "project-20200101T000000Z.db", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(LimnerStore) store = limner_store_create (dir, "Prune", "lead", &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (backups, 0755), ==, 0);
  /* Ten old backups by name, one of them junk. */
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("project-2020010%dT000000Z.db", i);
      g_autofree char *path = g_build_filename (backups, name, NULL);

      g_assert_true (g_file_set_contents (path, "not a database", -1, NULL));
    }
  /* Due: the newest is years old. */
  g_assert_true (limner_store_backup_if_due (store, 24 * 3600, &error));
  g_assert_no_error (error);
  list = limner_store_list_backups (dir);
  g_assert_cmpuint (list->len, ==, LIMNER_STORE_BACKUPS_KEPT);
  /* The newest is the real one; the oldest were pruned. */
  g_assert_cmpint (((LimnerStoreBackup *) g_ptr_array_index (list, 0))->created_at, >,
                   ((LimnerStoreBackup *) g_ptr_array_index (list, 1))->created_at);
  g_assert_false (g_file_test (junk, G_FILE_TEST_EXISTS));

  /* A junk backup is refused before anything moves. */
  {
    LimnerStoreBackup *old = g_ptr_array_index (list, list->len - 1);
    g_autofree char *moved = limner_store_restore_backup (dir, old->path, &error);

    g_assert_null (moved);
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT);
    g_assert_nonnull (strstr (error->message, old->path));
    g_clear_error (&error);
  }
  g_clear_object (&store);
  store = limner_store_open (dir, "lead", &error);
  g_assert_no_error (error);
  limner_test_rm_rf (tmp);
}

/* A project with enough rows to span many pages. */
static char *
make_project (const char *tmp)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_build_filename (tmp, "Project", NULL);
  g_autoptr(LimnerStore) store = limner_store_create (dir, "Damaged", "lead", &error);

  g_assert_no_error (error);
  for (int i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("label %03d with a long enough name to fill pages", i);

      g_assert_cmpint (limner_store_add_label (store, name, NULL, NULL, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  return dir;
}

static void
raw_sql (const char *dir,
         const char *sql)
{
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  sqlite3 *conn = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  if (sqlite3_exec (conn, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (conn);
}

static void
assert_refused (const char *dir,
                int         code,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);

  g_assert_null (store);
  g_assert_error (error, LIMNER_STORE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

/* Triggers planted or changed by someone else are refused on open. */
static void
test_planted_trigger (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("limner-damaged-XXXXXX", NULL);
  g_autofree char *dir = make_project (tmp);

  raw_sql (dir, "CREATE TRIGGER sneaky AFTER INSERT ON shapes BEGIN DELETE FROM labels; END;");
  assert_refused (dir, LIMNER_STORE_ERROR_DAMAGED, "sneaky");
  raw_sql (dir, "DROP TRIGGER sneaky;");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);

    g_assert_no_error (error);
  }
  /* Same name, other body: still refused. */
  raw_sql (dir, "DROP TRIGGER versions_immutable_delete;"
                "CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions BEGIN SELECT 1; END;");
  assert_refused (dir, LIMNER_STORE_ERROR_DAMAGED, "versions_immutable_delete");
  /* A view someone added is refused too. */
  raw_sql (dir, "DROP TRIGGER versions_immutable_delete;"
                "CREATE VIEW spy AS SELECT * FROM users;");
  assert_refused (dir, LIMNER_STORE_ERROR_DAMAGED, "spy");
  limner_test_rm_rf (tmp);
}

/* Flipped bytes in a data page: quick_check on open refuses the project
 * with a clear message, and a backup brings it back. */
static void
test_flipped_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-damaged-XXXXXX", NULL);
  g_autofree char *dir = make_project (tmp);
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *damaged = NULL;

  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);

    g_assert_no_error (error);
    backup = limner_store_backup (store, &error);
    g_assert_no_error (error);
  }
  /* Checkpoint the WAL into the file, then flip bytes inside page 3 onwards
   * (page headers and cell pointers). */
  raw_sql (dir, "PRAGMA wal_checkpoint(TRUNCATE);");
  {
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (db, &data, &len, NULL));
    g_assert_cmpuint (len, >, 4096 * 6);
    for (gsize off = 4096 * 2; off < len; off += 4096)
      for (gsize k = 0; k < 12; k++)
        data[off + k] ^= 0x5a;
    g_assert_true (g_file_set_contents (db, data, len, NULL));
  }
  assert_refused (dir, LIMNER_STORE_ERROR_DAMAGED, "is damaged");

  damaged = limner_store_restore_backup (dir, backup, &error);
  g_assert_no_error (error);
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);
    g_autoptr(GPtrArray) labels = NULL;

    g_assert_no_error (error);
    labels = limner_store_list_labels (store, &error);
    g_assert_cmpuint (labels->len, ==, 300);
  }
  limner_test_rm_rf (tmp);
}

/* A -wal file lost after a crash: the database falls back to its last
 * checkpoint, which is consistent, and opens. (Nothing can tell a lost WAL
 * from one removed by a clean close.) */
static void
test_missing_wal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-damaged-XXXXXX", NULL);
  g_autofree char *dir = make_project (tmp);
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *copy = g_strconcat (db, ".copy", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  /* A copy of the main file alone, taken while the WAL holds the latest
   * commits, is what a lost -wal leaves behind. */
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);

    g_assert_no_error (error);
    g_assert_cmpint (limner_store_add_label (store, "only in the wal", NULL, NULL, NULL, &error), >, 0);
    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_get_contents (db, &data, &len, NULL));
  }
  g_assert_true (g_file_set_contents (db, data, len, NULL));
  g_unlink (wal);
  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);

    g_assert_no_error (error);
  }
  limner_test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  g_test_add_func ("/core/backup/backup-and-restore", test_backup_and_restore);
  g_test_add_func ("/core/backup/prune-and-refuse", test_prune_and_refuse);
  g_test_add_func ("/core/damaged/planted-trigger", test_planted_trigger);
  g_test_add_func ("/core/damaged/flipped-bytes", test_flipped_bytes);
  g_test_add_func ("/core/damaged/missing-wal", test_missing_wal);
  return g_test_run ();
}
