/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-migrate.h: copies a local (SQLite) project into an empty
 * PostgreSQL database, as a team project, and proves the copy.
 *
 * In one transaction on the server: the project's tables are created as
 * `limner-cli init` creates them, every table of the SQLite project is copied
 * row for row (versions, the event log with its original users and times,
 * QC draws, ...) with binary COPY, the identity sequences are set past the
 * copied ids, and then each table is read back and compared with what was
 * read from SQLite: row count, and a SHA-256 of the rows in primary-key
 * order, each value in a canonical text form (see limner-pg-migrate.c). A
 * mismatch rolls everything back. Only then does the connected role become
 * the project's lead, and the project's users get login roles with their
 * roles where the connected role may create them (CREATEROLE). */
#pragma once

#include <glib.h>

#include "limner-records.h"

G_BEGIN_DECLS

typedef struct {
  char   *name;
  gint64  sqlite_rows;
  gint64  pg_rows;       /* -1 when the copy stopped before it was read back */
  char   *sqlite_sha256; /* hex */
  char   *pg_sha256;     /* hex, or NULL as pg_rows */
} LimnerPgMigrateTable;

typedef struct {
  char       *login;
  LimnerRole  roles;
  char       *reason;   /* why the server has no role for them yet */
} LimnerPgPendingUser;

typedef struct {
  char      *project;       /* the project folder */
  char      *database;      /* "the database “db” on host" */
  char      *lead;          /* the connected role, now a lead */
  GPtrArray *tables;        /* of LimnerPgMigrateTable, in copy order */
  GPtrArray *users_ready;   /* of LimnerUser: login roles with their group roles */
  GPtrArray *users_pending; /* of LimnerPgPendingUser: still need `users add` */
  gint64     n_rows;        /* rows copied, over all tables */
  double     seconds;       /* from connecting to the commit */
} LimnerPgMigrateResult;

void limner_pg_migrate_result_free (LimnerPgMigrateResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerPgMigrateResult, limner_pg_migrate_result_free)

/* Called every few thousand rows and at the end of each table: `step` is
 * "copy" or "verify", `table` the table at hand, `done` and `total` count
 * rows over all tables. */
typedef void (*LimnerPgMigrateProgress) (const char *step,
                                         const char *table,
                                         gint64      done,
                                         gint64      total,
                                         gpointer    user_data);

/* Migrates the project in `project_dir` (which open upgrades to the current
 * SQLite schema first, as any open does) into the empty database at `uri`.
 * Refuses a missing project, one of a newer schema, and a database that is
 * not empty. On a mismatch it fails with LIMNER_PG_ERROR_MISMATCH naming the
 * first table that differs, and still returns the comparison in `result`
 * (which may be NULL); nothing is left in the database then. */
gboolean limner_pg_migrate (const char               *project_dir,
                            const char               *uri,
                            LimnerPgMigrateProgress   progress,
                            gpointer                  user_data,
                            LimnerPgMigrateResult   **result,
                            GError                  **error);

G_END_DECLS
