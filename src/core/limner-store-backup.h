/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-backup.h: rolling backups of project.db. Part of the store
 * module.
 *
 * A backup is a consistent copy of the database made with SQLite's online
 * backup API while the project is in use, written to a temporary file and
 * renamed into PROJECT/backups/project-YYYYMMDDTHHMMSSZ.db. The newest
 * LIMNER_STORE_BACKUPS_KEPT are kept. The GUI makes one when it opens a
 * project and once a day while it stays open; when a project cannot be
 * opened because its database is damaged, the newest backup is offered. */
#pragma once

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_STORE_BACKUPS_KEPT 7
#define LIMNER_STORE_BACKUP_DIR "backups"

typedef struct {
  char   *path;       /* absolute */
  gint64  created_at; /* unix seconds, from the file name */
  gint64  size;       /* bytes */
} LimnerStoreBackup;

void limner_store_backup_free (LimnerStoreBackup *backup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerStoreBackup, limner_store_backup_free)

/* Copies the open project's database into a new backup and prunes the
 * oldest beyond LIMNER_STORE_BACKUPS_KEPT. Returns the backup's path. */
char      *limner_store_backup (LimnerStore  *store,
                                GError      **error);

/* Makes a backup unless the newest one is younger than `max_age_seconds`.
 * Returns TRUE when none was needed or it was made. */
gboolean   limner_store_backup_if_due (LimnerStore  *store,
                                       gint64        max_age_seconds,
                                       GError      **error);

/* The backups of the project in `dir`, newest first (of LimnerStoreBackup).
 * Works without opening the project, which may be damaged. */
GPtrArray *limner_store_list_backups (const char *dir);

/* Puts `backup_path` in place of the project's database. The damaged
 * database (with its -wal and -shm) is kept beside it as
 * project.db.damaged-YYYYMMDDTHHMMSSZ, never deleted. The backup is checked
 * (it must be a Limner database that passes quick_check) before anything
 * moves. Returns the path the damaged database was moved to. */
char      *limner_store_restore_backup (const char   *dir,
                                        const char   *backup_path,
                                        GError      **error);

G_END_DECLS
