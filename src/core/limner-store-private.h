/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-private.h: shared by the files of the store module
 * (limner-store*.c), the only place with SQL. Never include it elsewhere.
 *
 * The store is split by table family: limner-store.c (the object, batches,
 * settings, users), -schema (tables, migrations, opening checks), -labels,
 * -images, -queue (claims and the status workflow), -shapes (and reference
 * shapes), -events, -reviews, -versions and -shape-ids.
 *
 * Two backends, one SQL. Every statement goes through the driver layer
 * (limner-db.h) and is written in the common dialect of SQLite 3.39+ and
 * PostgreSQL 15: numbered parameters, IS [NOT] DISTINCT FROM, INSERT ...
 * RETURNING id (limner_store_step_id), ON CONFLICT upserts, integers
 * compared explicitly (never used as booleans). The driver rewrites the
 * few spellings that differ (limner-db-pg.c). What remains per backend:
 *   - SQLite's file: pragmas, quick_check, the schema's own checks and
 *     migrations (limner-store-schema.c), backups (-backup), the
 *     data_version watch (-watch);
 *   - PostgreSQL's server: connecting, the schema with its GRANTs and
 *     row-level security, and roles as group memberships (limner-pg*.c);
 *     the database check reads pg_trigger instead (-versions);
 *   - reserving shape ids: AUTOINCREMENT's sqlite_sequence, or the
 *     identity's sequence (-shape-ids). */
#pragma once

#include "limner-db.h"

#include "limner-store.h"

G_BEGIN_DECLS

/* PRAGMA application_id of every project database: "LIMN". */
#define LIMNER_STORE_APPLICATION_ID 0x4C494D4E

struct _LimnerStore
{
  GObject parent_instance;

  /* Owned references */
  LimnerDb   *db;
  GObject    *pg;          /* team mode: the LimnerPg that holds the connection */
  char       *dir;         /* the project folder, or the server's URI in team mode */
  char       *login;

  int         schema_version;
  gboolean    read_only;   /* SQLite: opened read-only */
  gboolean    in_batch;
  int         write_depth; /* store calls that write may call each other */
};


LimnerDb     *limner_store_db (LimnerStore *self);
/* Whether the project lives on a PostgreSQL server (team mode). */
gboolean      limner_store_is_pg (LimnerStore *self);

/* A cached prepared statement for `sql`, reset and with bindings cleared.
 * Reset it (limner_stmt_reset) when done with it. */
LimnerStmt *limner_store_prepare (LimnerStore  *self,
                                    const char   *sql,
                                    GError      **error);

/* Runs SQL with no results (may hold several statements). */
gboolean      limner_store_exec (LimnerStore  *self,
                                 const char   *sql,
                                 GError      **error);

/* A write: BEGIN IMMEDIATE unless a batch is open; write_end() commits on
 * success and rolls back on failure (or leaves both to the batch). */
gboolean      limner_store_write_begin (LimnerStore *self, GError **error);
gboolean      limner_store_write_end   (LimnerStore *self, gboolean ok, GError **error);

/* Sets `error` from the connection's last SQLite error, prefixed by `what`.
 * Maps constraint failures from the version triggers to IMMUTABLE. */
void          limner_store_set_sqlite_error (LimnerStore  *self,
                                             GError      **error,
                                             const char   *what);

/* Points are stored as a BLOB of native doubles. */
GArray       *limner_store_points_from_column (LimnerStmt *stmt, int col);
void          limner_store_bind_points (LimnerStmt *stmt, int col, const GArray *points);
void          limner_store_bind_text_or_null (LimnerStmt *stmt, int col, const char *text);
char         *limner_store_column_dup (LimnerStmt *stmt, int col);

/* The first column of the first row of `sql`, or `def`. */
gint64        limner_store_query_int (LimnerStore *self, const char *sql, gint64 def);

/* Runs one prepared write statement to completion; on failure sets `error`
 * prefixed with `what`. The statement is reset either way. */
gboolean      limner_store_step_done (LimnerStore   *self,
                                      LimnerStmt  *stmt,
                                      const char    *what,
                                      GError       **error);

/* Runs an INSERT ... RETURNING id to completion and reads the new row's id
 * (portable, where SQLite's last_insert_rowid is not, and immune to
 * triggers that insert elsewhere). On failure sets `error` (if not NULL)
 * prefixed with `what`. The statement is reset either way. */
gboolean      limner_store_step_id (LimnerStore   *self,
                                    LimnerStmt    *stmt,
                                    const char    *what,
                                    gint64        *id,
                                    GError       **error);

/* Whether the last failure was a UNIQUE, CHECK or other constraint. */
gboolean      limner_store_is_constraint_error (LimnerStore *self);

/* Schema (limner-store-schema.c). open() checks that the database is a
 * Limner project of a schema this version reads, sets the connection's
 * pragmas and migrates it; stamp() marks a new database as a project. */
gboolean      limner_store_schema_open  (LimnerStore  *self,
                                         const char   *path,
                                         gboolean      create,
                                         GError      **error);
gboolean      limner_store_schema_stamp (LimnerStore  *self,
                                         GError      **error);

/* Inside a write, before reading an image to decide from it (claim,
 * release, submit, a review decision): on PostgreSQL, locks the image's row
 * until the write ends, so that a concurrent call on the same image waits
 * and then reads what this one wrote (limner-store-queue.c). Nothing on
 * SQLite, whose BEGIN IMMEDIATE already lets one writer in at a time. */
gboolean      limner_store_lock_image (LimnerStore  *self,
                                       gint64        image_id,
                                       GError      **error);

/* Row readers, shared with the version store, which selects the same
 * columns from its frozen tables. */
#define LIMNER_STORE_LABEL_COLUMNS "id, name, color, hotkey, guide, position"
#define LIMNER_STORE_IMAGE_COLUMNS \
  "id, path, sha256, size, width, height, format, status, assignee, claimed_at, added_at"
#define LIMNER_STORE_SHAPE_COLUMNS \
  "id, image_id, label_id, kind, points, group_id, source, score, author, created_at, modified_at, row_version"

LimnerLabel       *limner_store_label_from_row (LimnerStmt *stmt);
LimnerImageRecord *limner_store_image_from_row (LimnerStmt *stmt);
LimnerShape       *limner_store_shape_from_row (LimnerStmt *stmt);

/* Appends an event inside the current write. */
gboolean      limner_store_log_event_locked (LimnerStore  *self,
                                             const char   *kind,
                                             gint64        image_id,
                                             gint64        shape_id,
                                             const char   *detail_json,
                                             GError      **error);

G_END_DECLS
