/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-db-private.h: shared by limner-db.c (the common part and SQLite)
 * and limner-db-pg.c (PostgreSQL). */
#pragma once

#include <libpq-fe.h>

#include "limner-db.h"

G_BEGIN_DECLS

struct _LimnerDb
{
  LimnerDbKind     kind;
  sqlite3         *lite;       /* owned, SQLite */
  PGconn          *pg;         /* borrowed, PostgreSQL */
  GHashTable      *statements; /* sql -> LimnerStmt */
  LimnerDbFailure  failure;
  char            *errmsg;
  gint64           changes;    /* PostgreSQL: rows of the last command */
  gboolean         pg_in_txn;  /* PostgreSQL: a BEGIN without its COMMIT yet */
  gboolean         pg_txn_lost; /* PostgreSQL: the connection dropped inside it */
};

/* A PostgreSQL parameter: its type OID and its value as text (or bytes). */
typedef struct
{
  unsigned int type;
  char        *value;  /* NULL = SQL NULL */
  int          length;
  int          binary;
} LimnerDbParam;

struct _LimnerStmt
{
  LimnerDb     *db;
  sqlite3_stmt *lite;
  /* PostgreSQL */
  char         *sql;      /* rewritten for the server */
  int           n_params;
  LimnerDbParam *params;
  gboolean      is_write; /* INSERT, UPDATE or DELETE */
  PGresult     *result;
  int           row;      /* current row, -1 before the first step */
  GPtrArray    *blobs;    /* decoded BYTEA columns of the current row */
};

/* A new connection object of `kind`, with no connection yet. */
LimnerDb   *limner_db_alloc       (LimnerDbKind kind);
void        limner_db_set_failure (LimnerDb        *db,
                                   LimnerDbFailure  failure,
                                   const char      *message);

/* limner-db-pg.c */
char       *limner_db_pg_rewrite      (const char *sql, int *n_params);
LimnerStmt *limner_db_pg_prepare      (LimnerDb *db, const char *sql);
void        limner_db_pg_stmt_free    (LimnerStmt *stmt);
void        limner_db_pg_stmt_reset   (LimnerStmt *stmt);
void        limner_db_pg_bind         (LimnerStmt *stmt, int i, unsigned int type,
                                       const char *value, int length, int binary);
int         limner_db_pg_step         (LimnerStmt *stmt);
const char *limner_db_pg_value        (LimnerStmt *stmt, int col);
const void *limner_db_pg_blob         (LimnerStmt *stmt, int col, int *length);
gboolean    limner_db_pg_exec         (LimnerDb *db, const char *sql);
gint64      limner_db_pg_last_insert_id (LimnerDb *db);

G_END_DECLS
