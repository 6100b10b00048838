/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-db-pg.c: the driver layer's PostgreSQL backend, through libpq.
 *
 * The dialect, in one place. The store writes SQL that SQLite and
 * PostgreSQL both read, except for these spellings, rewritten here:
 *   - parameters: ?1, ?2... (and bare ?) become $1, $2...;
 *   - BEGIN IMMEDIATE (SQLite's writer lock) becomes BEGIN;
 *   - INSERT OR IGNORE becomes INSERT ... ON CONFLICT DO NOTHING.
 * (Tables that SQLite orders by its implicit rowid have an explicit rowid
 * column on PostgreSQL, see limner-pg-schema.c.)
 * Parameters are sent typed (bigint, double precision, text, bytea) and
 * results come back as text, BYTEA in hex, booleans as t and f.
 *
 * SQLite undoes only the failed statement inside a transaction, whereas
 * PostgreSQL aborts the whole transaction. To keep SQLite's behaviour, on
 * which the store relies (a refused insert inside an import batch), a write
 * inside a transaction runs under a savepoint.
 *
 * A connection that drops is reset on the next call. If it dropped inside a
 * transaction, the transaction is gone: every statement then fails as
 * OFFLINE until the store rolls back, so that a later COMMIT can never look
 * as if it had saved what the server lost. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-db-pg.h"
#include "limner-db-private.h"

LimnerDb *
limner_db_new_pg (PGconn *conn)
{
  LimnerDb *db = limner_db_alloc (LIMNER_DB_POSTGRESQL);

  db->pg = conn;
  return db;
}

char *
limner_db_pg_conninfo_as (const char *uri, const char *user)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  GString *out;

  if (options == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = g_str_equal (o->keyword, "user") ? user : o->val;

      if (value == NULL || *value == '\0')
        continue;
      g_string_append_printf (out, "%s%s='", out->len > 0 ? " " : "", o->keyword);
      for (const char *c = value; *c != '\0'; c++)
        {
          if (*c == '\'' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '\'');
    }
  PQconninfoFree (options);
  return g_string_free (out, FALSE);
}

char *
limner_db_pg_conninfo_user (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  char *user = NULL;

  if (options == NULL)
    return NULL;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "user") && o->val != NULL && *o->val != '\0')
      user = g_strdup (o->val);
  PQconninfoFree (options);
  return user;
}

/* Rewriting */

static gboolean
starts_with_word (const char *p, const char *word)
{
  gsize n = strlen (word);

  return g_ascii_strncasecmp (p, word, n) == 0 && !g_ascii_isalnum (p[n]) && p[n] != '_';
}

char *
limner_db_pg_rewrite (const char *sql, int *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 32);
  gboolean or_ignore = FALSE;
  int next = 1;
  int max = 0;
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              g_string_append_c (out, *p);
              if (*p++ == quote)
                {
                  if (*p == quote)
                    g_string_append_c (out, *p++);
                  else
                    break;
                }
            }
          continue;
        }
      if (*p == '?')
        {
          int n;

          p++;
          if (g_ascii_isdigit (*p))
            {
              n = 0;
              while (g_ascii_isdigit (*p))
                n = n * 10 + (*p++ - '0');
            }
          else
            n = next;
          next = n + 1;
          max = MAX (max, n);
          g_string_append_printf (out, "$%d", n);
          continue;
        }
      if ((p == sql || !g_ascii_isalnum (p[-1])) && g_ascii_isalpha (*p))
        {
          if (starts_with_word (p, "BEGIN") && starts_with_word (p + 6, "IMMEDIATE"))
            {
              g_string_append (out, "BEGIN");
              p += strlen ("BEGIN IMMEDIATE");
              continue;
            }
          if (starts_with_word (p, "INSERT") && starts_with_word (p + 7, "OR")
              && starts_with_word (p + 10, "IGNORE"))
            {
              g_string_append (out, "INSERT");
              p += strlen ("INSERT OR IGNORE");
              or_ignore = TRUE;
              continue;
            }
        }
      g_string_append_c (out, *p++);
    }

  if (or_ignore)
    {
      while (out->len > 0 && (g_ascii_isspace (out->str[out->len - 1]) || out->str[out->len - 1] == ';'))
        g_string_truncate (out, out->len - 1);
      g_string_append (out, " ON CONFLICT DO NOTHING");
    }
  if (n_params != NULL)
    *n_params = max;
  return g_string_free (out, FALSE);
}

/* Failures */

static LimnerDbFailure
failure_of_state (const char *state)
{
  if (state == NULL)
    return LIMNER_DB_FAILURE_OFFLINE;
  if (strcmp (state, "23505") == 0)
    return LIMNER_DB_FAILURE_UNIQUE;
  if (g_str_has_prefix (state, "23"))
    return LIMNER_DB_FAILURE_CONSTRAINT;
  if (strcmp (state, "42501") == 0)
    return LIMNER_DB_FAILURE_DENIED;
  if (strcmp (state, "25006") == 0)
    return LIMNER_DB_FAILURE_READ_ONLY;
  if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0 || strcmp (state, "55P03") == 0)
    return LIMNER_DB_FAILURE_BUSY;
  /* Connection exceptions, and the server shutting down or starting. */
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return LIMNER_DB_FAILURE_OFFLINE;
  /* A trigger's RAISE EXCEPTION: the store reads it as a refusal. */
  if (strcmp (state, "P0001") == 0)
    return LIMNER_DB_FAILURE_CONSTRAINT;
  return LIMNER_DB_FAILURE_OTHER;
}

static void
set_result_failure (LimnerDb *db, PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  LimnerDbFailure failure = failure_of_state (state);
  g_autofree char *message = NULL;

  if (PQstatus (db->pg) == CONNECTION_BAD)
    failure = LIMNER_DB_FAILURE_OFFLINE;
  if (primary == NULL)
    primary = PQerrorMessage (db->pg);
  message = g_strstrip (g_strdup (primary != NULL && *primary != '\0' ? primary : _("the server did not answer")));
  limner_db_set_failure (db, failure, message);
}

/* Connection */

/* Makes sure the connection is up, resetting a dropped one. FALSE, with an
 * OFFLINE failure, if the server is still unreachable or if a transaction
 * was lost with the connection. */
static gboolean
ensure_connected (LimnerDb *db, const char *sql)
{
  if (db->pg_txn_lost)
    {
      if (g_ascii_strncasecmp (sql, "ROLLBACK", 8) == 0)
        return TRUE;
      limner_db_set_failure (db, LIMNER_DB_FAILURE_OFFLINE,
                             _("the connection to the server was lost in the middle of a transaction"));
      return FALSE;
    }
  if (PQstatus (db->pg) == CONNECTION_OK)
    return TRUE;
  PQreset (db->pg);
  if (PQstatus (db->pg) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (db->pg)));

      limner_db_set_failure (db, LIMNER_DB_FAILURE_OFFLINE, message);
      return FALSE;
    }
  /* A new session: the search path again (see limner-pg.c). */
  PQclear (PQexec (db->pg, "SELECT pg_catalog.set_config('search_path', 'public', false)"));
  if (db->pg_in_txn)
    {
      db->pg_txn_lost = TRUE;
      return ensure_connected (db, sql);
    }
  return TRUE;
}

/* Follows BEGIN, COMMIT and ROLLBACK to know whether a transaction is open. */
static void
track_transaction (LimnerDb *db, const char *sql, gboolean ok)
{
  while (g_ascii_isspace (*sql))
    sql++;
  if (g_ascii_strncasecmp (sql, "BEGIN", 5) == 0 && ok)
    db->pg_in_txn = TRUE;
  else if (g_ascii_strncasecmp (sql, "COMMIT", 6) == 0 || g_ascii_strncasecmp (sql, "END", 3) == 0)
    db->pg_in_txn = PQtransactionStatus (db->pg) == PQTRANS_INTRANS
                    || PQtransactionStatus (db->pg) == PQTRANS_INERROR;
  else if (g_ascii_strncasecmp (sql, "ROLLBACK", 8) == 0 && strstr (sql, " TO ") == NULL)
    {
      db->pg_in_txn = FALSE;
      db->pg_txn_lost = FALSE;
    }
}

gboolean
limner_db_pg_exec (LimnerDb *db, const char *sql)
{
  g_autofree char *rewritten = limner_db_pg_rewrite (sql, NULL);
  PGresult *result;
  gboolean ok;

  if (!ensure_connected (db, rewritten))
    return FALSE;
  if (db->pg_txn_lost)
    {
      /* ROLLBACK of a transaction the server already dropped. */
      track_transaction (db, rewritten, TRUE);
      return TRUE;
    }
  result = PQexec (db->pg, rewritten);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK || PQresultStatus (result) == PGRES_TUPLES_OK;
  if (!ok)
    set_result_failure (db, result);
  else
    db->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  PQclear (result);
  track_transaction (db, rewritten, ok);
  return ok;
}

gint64
limner_db_pg_last_insert_id (LimnerDb *db)
{
  PGresult *result = PQexec (db->pg, "SELECT lastval()");
  gint64 id = 0;

  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    id = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  else
    set_result_failure (db, result);
  PQclear (result);
  return id;
}

/* Statements */

static gboolean
is_write (const char *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;
  return g_ascii_strncasecmp (sql, "INSERT", 6) == 0
         || g_ascii_strncasecmp (sql, "UPDATE", 6) == 0
         || g_ascii_strncasecmp (sql, "DELETE", 6) == 0
         || g_ascii_strncasecmp (sql, "WITH", 4) == 0;
}

LimnerStmt *
limner_db_pg_prepare (LimnerDb *db, const char *sql)
{
  LimnerStmt *stmt = g_new0 (LimnerStmt, 1);

  stmt->db = db;
  stmt->sql = limner_db_pg_rewrite (sql, &stmt->n_params);
  stmt->params = g_new0 (LimnerDbParam, MAX (stmt->n_params, 1));
  stmt->is_write = is_write (sql);
  stmt->row = -1;
  return stmt;
}

static void
clear_blobs (LimnerStmt *stmt)
{
  if (stmt->blobs != NULL)
    g_ptr_array_set_size (stmt->blobs, 0);
}

void
limner_db_pg_stmt_reset (LimnerStmt *stmt)
{
  g_clear_pointer (&stmt->result, PQclear);
  clear_blobs (stmt);
  stmt->row = -1;
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->params[i].value, g_free);
      stmt->params[i].type = 0;
      stmt->params[i].length = 0;
      stmt->params[i].binary = 0;
    }
}

void
limner_db_pg_stmt_free (LimnerStmt *stmt)
{
  limner_db_pg_stmt_reset (stmt);
  g_clear_pointer (&stmt->blobs, g_ptr_array_unref);
  g_free (stmt->params);
  g_free (stmt->sql);
}

void
limner_db_pg_bind (LimnerStmt   *stmt,
                   int           i,
                   unsigned int  type,
                   const char   *value,
                   int           length,
                   int           binary)
{
  LimnerDbParam *param;

  g_return_if_fail (i >= 1 && i <= stmt->n_params);
  param = &stmt->params[i - 1];
  g_free (param->value);
  param->type = type;
  param->binary = binary;
  if (value == NULL)
    {
      param->value = NULL;
      param->length = 0;
    }
  else if (binary)
    {
      /* Never a NULL pointer for an empty blob: NULL means SQL NULL. */
      param->value = g_malloc (MAX (length, 1));
      memcpy (param->value, value, length);
      param->length = length;
    }
  else
    {
      param->value = g_strdup (value);
      param->length = 0;
    }
}

static gboolean
run_simple (LimnerDb *db, const char *sql)
{
  PGresult *result = PQexec (db->pg, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    set_result_failure (db, result);
  PQclear (result);
  return ok;
}

static int
execute (LimnerStmt *stmt)
{
  LimnerDb *db = stmt->db;
  g_autofree unsigned int *types = g_new0 (unsigned int, MAX (stmt->n_params, 1));
  g_autofree const char **values = g_new0 (const char *, MAX (stmt->n_params, 1));
  g_autofree int *lengths = g_new0 (int, MAX (stmt->n_params, 1));
  g_autofree int *formats = g_new0 (int, MAX (stmt->n_params, 1));
  gboolean savepoint;
  ExecStatusType status;

  if (!ensure_connected (db, stmt->sql))
    return LIMNER_DB_ERROR;

  for (int i = 0; i < stmt->n_params; i++)
    {
      types[i] = stmt->params[i].type;
      values[i] = stmt->params[i].value;
      lengths[i] = stmt->params[i].length;
      formats[i] = stmt->params[i].binary;
    }

  savepoint = stmt->is_write && PQtransactionStatus (db->pg) == PQTRANS_INTRANS;
  if (savepoint && !run_simple (db, "SAVEPOINT limner_statement"))
    return LIMNER_DB_ERROR;

  stmt->result = PQexecParams (db->pg, stmt->sql, stmt->n_params, types, values,
                               lengths, formats, 0);
  status = PQresultStatus (stmt->result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      set_result_failure (db, stmt->result);
      g_clear_pointer (&stmt->result, PQclear);
      if (savepoint && PQstatus (db->pg) == CONNECTION_OK)
        {
          LimnerDbFailure failure = db->failure;
          g_autofree char *message = g_strdup (db->errmsg);

          run_simple (db, "ROLLBACK TO SAVEPOINT limner_statement");
          run_simple (db, "RELEASE SAVEPOINT limner_statement");
          limner_db_set_failure (db, failure, message);
        }
      return LIMNER_DB_ERROR;
    }
  db->changes = g_ascii_strtoll (PQcmdTuples (stmt->result), NULL, 10);
  if (savepoint && !run_simple (db, "RELEASE SAVEPOINT limner_statement"))
    return LIMNER_DB_ERROR;
  return LIMNER_DB_DONE;
}

int
limner_db_pg_step (LimnerStmt *stmt)
{
  if (stmt->result == NULL)
    {
      if (execute (stmt) != LIMNER_DB_DONE)
        return LIMNER_DB_ERROR;
      stmt->row = -1;
    }
  clear_blobs (stmt);
  stmt->row++;
  if (stmt->row < PQntuples (stmt->result))
    return LIMNER_DB_ROW;
  return LIMNER_DB_DONE;
}

const char *
limner_db_pg_value (LimnerStmt *stmt, int col)
{
  if (stmt->result == NULL || stmt->row < 0 || stmt->row >= PQntuples (stmt->result)
      || col < 0 || col >= PQnfields (stmt->result)
      || PQgetisnull (stmt->result, stmt->row, col))
    return NULL;
  return PQgetvalue (stmt->result, stmt->row, col);
}

typedef struct
{
  int     col;
  size_t  length;
  guchar *data;
} Blob;

static void
blob_free (gpointer data)
{
  Blob *blob = data;

  PQfreemem (blob->data);
  g_free (blob);
}

const void *
limner_db_pg_blob (LimnerStmt *stmt, int col, int *length)
{
  const char *value = limner_db_pg_value (stmt, col);
  Blob *blob;

  if (length != NULL)
    *length = 0;
  if (value == NULL)
    return NULL;
  if (stmt->blobs == NULL)
    stmt->blobs = g_ptr_array_new_with_free_func (blob_free);
  for (guint i = 0; i < stmt->blobs->len; i++)
    {
      blob = stmt->blobs->pdata[i];
      if (blob->col == col)
        {
          if (length != NULL)
            *length = (int) blob->length;
          return blob->data;
        }
    }
  blob = g_new0 (Blob, 1);
  blob->col = col;
  blob->data = PQunescapeBytea ((const unsigned char *) value, &blob->length);
  g_ptr_array_add (stmt->blobs, blob);
  if (length != NULL)
    *length = (int) blob->length;
  return blob->data;
}
