/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-db.h: the store's thin database driver layer. One API over two
 * backends: SQLite (the embedded project, the default) and PostgreSQL
 * through libpq (team mode). The store's files write their SQL once, in the
 * common dialect of both (SQLite 3.40 and PostgreSQL 15), with numbered
 * parameters (?1, ?2...); the PostgreSQL backend rewrites the few spellings
 * that differ (see limner-db-pg.c). Only the store uses this module. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  LIMNER_DB_SQLITE,
  LIMNER_DB_POSTGRESQL,
} LimnerDbKind;

/* What a failed call was, for the store's error mapping. */
typedef enum {
  LIMNER_DB_FAILURE_NONE,
  LIMNER_DB_FAILURE_OTHER,
  LIMNER_DB_FAILURE_UNIQUE,     /* a UNIQUE or PRIMARY KEY clash */
  LIMNER_DB_FAILURE_CONSTRAINT, /* CHECK, NOT NULL, FOREIGN KEY, or a trigger's refusal */
  LIMNER_DB_FAILURE_BUSY,       /* locked by another writer, or a serialization failure */
  LIMNER_DB_FAILURE_READ_ONLY,  /* the database or the connection is read-only */
  LIMNER_DB_FAILURE_DENIED,     /* the server refused: privilege or row-level security */
  LIMNER_DB_FAILURE_OFFLINE,    /* the server cannot be reached */
} LimnerDbFailure;

/* step() results, equal to SQLite's. */
#define LIMNER_DB_ROW   100
#define LIMNER_DB_DONE  101
#define LIMNER_DB_ERROR 1

typedef struct _LimnerDb   LimnerDb;
typedef struct _LimnerStmt LimnerStmt;

/* Takes ownership of an open SQLite connection. */
LimnerDb       *limner_db_new_sqlite (sqlite3 *handle);
void            limner_db_free       (LimnerDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerDb, limner_db_free)

LimnerDbKind    limner_db_get_kind   (LimnerDb *db);
/* The SQLite handle, for SQLite-only work (pragmas, backups); NULL on
 * PostgreSQL. */
sqlite3        *limner_db_get_sqlite (LimnerDb *db);

/* A cached prepared statement for `sql`, reset, with no bindings. Reset it
 * when done with it. NULL with `error` set if it does not compile. */
LimnerStmt     *limner_db_prepare    (LimnerDb    *db,
                                      const char  *sql,
                                      GError     **error);
/* Runs SQL with no parameters and no results; may hold several statements. */
gboolean        limner_db_exec       (LimnerDb    *db,
                                      const char  *sql,
                                      GError     **error);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
gint64          limner_db_changes    (LimnerDb *db);
/* The id given to the row of the last INSERT into a table with an
 * automatic id. */
gint64          limner_db_last_insert_id (LimnerDb *db);
/* The last failure: its kind and the driver's message. */
LimnerDbFailure limner_db_failure    (LimnerDb *db);
const char     *limner_db_errmsg     (LimnerDb *db);

/* Parameters are numbered from 1. A NULL text binds SQL NULL. */
void            limner_stmt_bind_int64  (LimnerStmt *stmt, int i, gint64 value);
void            limner_stmt_bind_double (LimnerStmt *stmt, int i, double value);
void            limner_stmt_bind_text   (LimnerStmt *stmt, int i, const char *text);
void            limner_stmt_bind_blob   (LimnerStmt *stmt, int i, const void *data, gsize size);
void            limner_stmt_bind_null   (LimnerStmt *stmt, int i);
int             limner_stmt_param_count (LimnerStmt *stmt);

/* LIMNER_DB_ROW, LIMNER_DB_DONE or LIMNER_DB_ERROR (see limner_db_failure). */
int             limner_stmt_step        (LimnerStmt *stmt);
void            limner_stmt_reset       (LimnerStmt *stmt);

/* Columns of the current row, numbered from 0. NULL reads as 0 or NULL. */
int             limner_stmt_column_count  (LimnerStmt *stmt);
gboolean        limner_stmt_column_is_null (LimnerStmt *stmt, int col);
gint64          limner_stmt_column_int64  (LimnerStmt *stmt, int col);
int             limner_stmt_column_int    (LimnerStmt *stmt, int col);
double          limner_stmt_column_double (LimnerStmt *stmt, int col);
const char     *limner_stmt_column_text   (LimnerStmt *stmt, int col);
const void     *limner_stmt_column_blob   (LimnerStmt *stmt, int col);
int             limner_stmt_column_bytes  (LimnerStmt *stmt, int col);

G_END_DECLS
