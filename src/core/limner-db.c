/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-db.c: the driver layer's common part and its SQLite backend, which
 * passes every call straight to SQLite. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "limner-db-private.h"

static void
stmt_free (gpointer data)
{
  LimnerStmt *stmt = data;

  if (stmt->lite != NULL)
    sqlite3_finalize (stmt->lite);
  else
    limner_db_pg_stmt_free (stmt);
  g_free (stmt);
}

LimnerDb *
limner_db_alloc (LimnerDbKind kind)
{
  LimnerDb *db = g_new0 (LimnerDb, 1);

  db->kind = kind;
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_free);
  return db;
}

LimnerDb *
limner_db_new_sqlite (sqlite3 *handle)
{
  LimnerDb *db = limner_db_alloc (LIMNER_DB_SQLITE);

  db->lite = handle;
  return db;
}

void
limner_db_free (LimnerDb *db)
{
  if (db == NULL)
    return;
  g_hash_table_unref (db->statements);
  if (db->lite != NULL)
    sqlite3_close (db->lite);
  g_free (db->errmsg);
  g_free (db);
}

LimnerDbKind
limner_db_get_kind (LimnerDb *db)
{
  return db->kind;
}

sqlite3 *
limner_db_get_sqlite (LimnerDb *db)
{
  return db->lite;
}

void
limner_db_set_failure (LimnerDb        *db,
                       LimnerDbFailure  failure,
                       const char      *message)
{
  db->failure = failure;
  g_free (db->errmsg);
  db->errmsg = g_strdup (message);
}

/* Reads SQLite's last error into the common form. */
static void
lite_failure (LimnerDb *db)
{
  int code = sqlite3_extended_errcode (db->lite);
  LimnerDbFailure failure = LIMNER_DB_FAILURE_OTHER;

  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    failure = LIMNER_DB_FAILURE_UNIQUE;
  else if ((code & 0xff) == SQLITE_CONSTRAINT)
    failure = LIMNER_DB_FAILURE_CONSTRAINT;
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    failure = LIMNER_DB_FAILURE_BUSY;
  else if ((code & 0xff) == SQLITE_READONLY)
    failure = LIMNER_DB_FAILURE_READ_ONLY;
  limner_db_set_failure (db, failure, sqlite3_errmsg (db->lite));
}

LimnerDbFailure
limner_db_failure (LimnerDb *db)
{
  return db->failure;
}

const char *
limner_db_errmsg (LimnerDb *db)
{
  return db->errmsg != NULL ? db->errmsg : "";
}

LimnerStmt *
limner_db_prepare (LimnerDb    *db,
                   const char  *sql,
                   GError     **error)
{
  LimnerStmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt != NULL)
    {
      limner_stmt_reset (stmt);
      if (stmt->lite != NULL)
        sqlite3_clear_bindings (stmt->lite);
      return stmt;
    }

  if (db->kind == LIMNER_DB_SQLITE)
    {
      sqlite3_stmt *lite = NULL;

      if (sqlite3_prepare_v3 (db->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &lite, NULL) != SQLITE_OK)
        {
          lite_failure (db);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not prepare a query: %s"), limner_db_errmsg (db));
          return NULL;
        }
      stmt = g_new0 (LimnerStmt, 1);
      stmt->db = db;
      stmt->lite = lite;
    }
  else
    stmt = limner_db_pg_prepare (db, sql);

  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
limner_db_exec (LimnerDb    *db,
                const char  *sql,
                GError     **error)
{
  gboolean ok;

  if (db->kind == LIMNER_DB_SQLITE)
    {
      char *errmsg = NULL;

      ok = sqlite3_exec (db->lite, sql, NULL, NULL, &errmsg) == SQLITE_OK;
      if (!ok)
        {
          lite_failure (db);
          if (errmsg != NULL)
            limner_db_set_failure (db, db->failure, errmsg);
        }
      sqlite3_free (errmsg);
    }
  else
    ok = limner_db_pg_exec (db, sql);

  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, limner_db_errmsg (db));
  return ok;
}

gint64
limner_db_changes (LimnerDb *db)
{
  if (db->kind == LIMNER_DB_SQLITE)
    return sqlite3_changes (db->lite);
  return db->changes;
}

gint64
limner_db_last_insert_id (LimnerDb *db)
{
  if (db->kind == LIMNER_DB_SQLITE)
    return sqlite3_last_insert_rowid (db->lite);
  return limner_db_pg_last_insert_id (db);
}

/* Statements */

/* PostgreSQL type OIDs (catalog/pg_type_d.h, which libpq-dev lacks). */
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_TEXT   25
#define OID_FLOAT8 701

void
limner_stmt_bind_int64 (LimnerStmt *stmt, int i, gint64 value)
{
  char text[32];

  if (stmt->lite != NULL)
    {
      sqlite3_bind_int64 (stmt->lite, i, value);
      return;
    }
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  limner_db_pg_bind (stmt, i, OID_INT8, text, -1, 0);
}

void
limner_stmt_bind_double (LimnerStmt *stmt, int i, double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (stmt->lite != NULL)
    {
      sqlite3_bind_double (stmt->lite, i, value);
      return;
    }
  /* Shortest text that reads back as the same double. */
  g_ascii_dtostr (text, sizeof text, value);
  limner_db_pg_bind (stmt, i, OID_FLOAT8, text, -1, 0);
}

void
limner_stmt_bind_text (LimnerStmt *stmt, int i, const char *text)
{
  if (stmt->lite != NULL)
    {
      if (text == NULL)
        sqlite3_bind_null (stmt->lite, i);
      else
        sqlite3_bind_text (stmt->lite, i, text, -1, SQLITE_TRANSIENT);
      return;
    }
  limner_db_pg_bind (stmt, i, OID_TEXT, text, -1, 0);
}

void
limner_stmt_bind_blob (LimnerStmt *stmt, int i, const void *data, gsize size)
{
  if (stmt->lite != NULL)
    {
      sqlite3_bind_blob (stmt->lite, i, data, (int) size, SQLITE_TRANSIENT);
      return;
    }
  limner_db_pg_bind (stmt, i, OID_BYTEA, data, (int) size, 1);
}

void
limner_stmt_bind_null (LimnerStmt *stmt, int i)
{
  if (stmt->lite != NULL)
    {
      sqlite3_bind_null (stmt->lite, i);
      return;
    }
  /* Untyped: the server takes the type from where the parameter stands. */
  limner_db_pg_bind (stmt, i, 0, NULL, 0, 0);
}

int
limner_stmt_param_count (LimnerStmt *stmt)
{
  if (stmt->lite != NULL)
    return sqlite3_bind_parameter_count (stmt->lite);
  return stmt->n_params;
}

int
limner_stmt_step (LimnerStmt *stmt)
{
  int rc;

  if (stmt->lite == NULL)
    return limner_db_pg_step (stmt);

  rc = sqlite3_step (stmt->lite);
  if (rc == SQLITE_ROW)
    return LIMNER_DB_ROW;
  if (rc == SQLITE_DONE)
    return LIMNER_DB_DONE;
  lite_failure (stmt->db);
  return LIMNER_DB_ERROR;
}

void
limner_stmt_reset (LimnerStmt *stmt)
{
  if (stmt->lite != NULL)
    sqlite3_reset (stmt->lite);
  else
    limner_db_pg_stmt_reset (stmt);
}

int
limner_stmt_column_count (LimnerStmt *stmt)
{
  if (stmt->lite != NULL)
    return sqlite3_column_count (stmt->lite);
  return stmt->result != NULL ? PQnfields (stmt->result) : 0;
}

gboolean
limner_stmt_column_is_null (LimnerStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return sqlite3_column_type (stmt->lite, col) == SQLITE_NULL;
  return limner_db_pg_value (stmt, col) == NULL;
}

gint64
limner_stmt_column_int64 (LimnerStmt *stmt, int col)
{
  const char *value;

  if (stmt->lite != NULL)
    return sqlite3_column_int64 (stmt->lite, col);
  value = limner_db_pg_value (stmt, col);
  if (value == NULL)
    return 0;
  /* A boolean reads as 1 or 0, as SQLite's comparisons do. */
  if (value[0] == 't' && value[1] == '\0')
    return 1;
  if (value[0] == 'f' && value[1] == '\0')
    return 0;
  if (strpbrk (value, ".eE") != NULL)
    return (gint64) g_ascii_strtod (value, NULL);
  return g_ascii_strtoll (value, NULL, 10);
}

int
limner_stmt_column_int (LimnerStmt *stmt, int col)
{
  return (int) limner_stmt_column_int64 (stmt, col);
}

double
limner_stmt_column_double (LimnerStmt *stmt, int col)
{
  const char *value;

  if (stmt->lite != NULL)
    return sqlite3_column_double (stmt->lite, col);
  value = limner_db_pg_value (stmt, col);
  if (value == NULL)
    return 0.0;
  if (value[0] == 't' && value[1] == '\0')
    return 1.0;
  if (value[0] == 'f' && value[1] == '\0')
    return 0.0;
  return g_ascii_strtod (value, NULL);
}

const char *
limner_stmt_column_text (LimnerStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return (const char *) sqlite3_column_text (stmt->lite, col);
  return limner_db_pg_value (stmt, col);
}

const void *
limner_stmt_column_blob (LimnerStmt *stmt, int col)
{
  if (stmt->lite != NULL)
    return sqlite3_column_blob (stmt->lite, col);
  return limner_db_pg_blob (stmt, col, NULL);
}

int
limner_stmt_column_bytes (LimnerStmt *stmt, int col)
{
  int length = 0;

  if (stmt->lite != NULL)
    return sqlite3_column_bytes (stmt->lite, col);
  limner_db_pg_blob (stmt, col, &length);
  return length;
}
