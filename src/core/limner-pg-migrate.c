/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-migrate.c: a local project into an empty PostgreSQL database.
 *
 * Nothing here knows what a table means: the tables and columns come from
 * the two schemas, which must match (tests/test-pg.c checks that they do),
 * and every row is copied as it is. The exceptions are named where they
 * are made: versions are sealed after their rows, the identity sequences
 * are set past the copied ids (for shapes, past SQLite's AUTOINCREMENT
 * mark, since a deleted shape's id is never handed out again), and the
 * users become login roles.
 *
 * The copy is checked, not trusted: each table is read back from the server
 * and compared with what was read from SQLite. Both sides go through the
 * same function, canonical_append(): rows in primary-key order (SQLite's
 * rowid for a table without one, which PostgreSQL keeps as a `rowid`
 * column), values separated by a tab and rows ended by a newline, NULL as
 * \N, integers in decimal, reals with 17 significant digits (enough to
 * tell any two doubles apart), text with backslash, tab, newline and
 * carriage return escaped as in COPY's text format, and blobs as \x and
 * lowercase hex. The SHA-256 of that stream, and the row count, must be
 * equal for every table. */

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "limner-pg-migrate.h"
#include "limner-pg-private.h"
#include "limner-store.h"

/* The type OIDs of PostgreSQL's catalog (pg_type.dat) for the types the
 * schema uses; they never change. */
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_INT2   21
#define OID_INT4   23
#define OID_TEXT   25
#define OID_FLOAT8 701

/* Bytes of COPY data sent to the server at a time. */
#define COPY_CHUNK (1 << 20)
#define PROGRESS_EVERY 20000

/* The start of every binary COPY stream: signature, flags, header extension. */
static const guchar copy_signature[11] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0 };

typedef enum {
  FAMILY_INTEGER,
  FAMILY_REAL,
  FAMILY_TEXT,
  FAMILY_BLOB,
} Family;

typedef struct {
  char     *name;
  Oid       pg_type;
  Family    family;
  gboolean  identity; /* GENERATED … AS IDENTITY on PostgreSQL */
  gboolean  is_rowid; /* PostgreSQL's column for SQLite's implicit rowid */
} Column;

typedef struct {
  char                 *name;
  GArray               *columns;    /* of Column, in PostgreSQL's order */
  char                 *order_by;   /* the primary key, for both databases */
  GPtrArray            *references; /* names of the tables it refers to */
  gint64                sqlite_seq; /* sqlite_sequence's mark, 0 = none */
  int                   seal;       /* versions.sealed, or -1 */
  int                   seal_key;   /* versions.number */
  gint64                n_rows;     /* counted in SQLite */
  LimnerPgMigrateTable *report;     /* owned by the result */
} Table;

typedef struct {
  LimnerPg                *pg;
  PGconn                  *conn;
  sqlite3                 *db;
  char                    *db_path;
  char                    *what;
  GPtrArray               *tables;  /* of Table, in copy order */
  GArray                  *seals;   /* of gint64 pairs: number, sealed */
  GPtrArray               *users;   /* of LimnerUser, from SQLite */
  LimnerPgMigrateProgress  progress;
  gpointer                 progress_data;
  gint64                   done;
  gint64                   total;
  gint64                   reported;
  LimnerPgMigrateResult   *result;
} Migration;

/* One value, as either database gives it. */
typedef struct {
  int           type; /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT or _BLOB */
  gint64        i;
  double        d;
  const guchar *p;
  gsize         len;
} Value;

static void
column_clear (gpointer data)
{
  g_free (((Column *) data)->name);
}

static void
table_free (Table *t)
{
  g_free (t->name);
  g_array_unref (t->columns);
  g_free (t->order_by);
  g_ptr_array_unref (t->references);
  g_free (t);
}

static void
migrate_table_free (LimnerPgMigrateTable *t)
{
  g_free (t->name);
  g_free (t->sqlite_sha256);
  g_free (t->pg_sha256);
  g_free (t);
}

static void
pending_user_free (LimnerPgPendingUser *u)
{
  g_free (u->login);
  g_free (u->reason);
  g_free (u);
}

void
limner_pg_migrate_result_free (LimnerPgMigrateResult *result)
{
  if (result == NULL)
    return;
  g_free (result->project);
  g_free (result->database);
  g_free (result->lead);
  g_ptr_array_unref (result->tables);
  g_ptr_array_unref (result->users_ready);
  g_ptr_array_unref (result->users_pending);
  g_free (result);
}

static const char *
family_name (Family family)
{
  switch (family)
    {
    case FAMILY_INTEGER:
      return "INTEGER";
    case FAMILY_REAL:
      return "REAL";
    case FAMILY_TEXT:
      return "TEXT";
    case FAMILY_BLOB:
    default:
      return "BLOB";
    }
}

static const char *
storage_name (int type)
{
  switch (type)
    {
    case SQLITE_INTEGER:
      return "INTEGER";
    case SQLITE_FLOAT:
      return "REAL";
    case SQLITE_TEXT:
      return "TEXT";
    case SQLITE_BLOB:
      return "BLOB";
    case SQLITE_NULL:
    default:
      return "NULL";
    }
}

static gboolean
family_of_oid (Oid oid, Family *out)
{
  switch (oid)
    {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
      *out = FAMILY_INTEGER;
      return TRUE;
    case OID_FLOAT8:
      *out = FAMILY_REAL;
      return TRUE;
    case OID_TEXT:
      *out = FAMILY_TEXT;
      return TRUE;
    case OID_BYTEA:
      *out = FAMILY_BLOB;
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
sqlite_quote (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, "\"", -1);
  g_autofree char *inner = g_strjoinv ("\"\"", parts);

  return g_strdup_printf ("\"%s\"", inner);
}

static void
report_progress (Migration *m, const char *step, const char *table, gboolean force)
{
  if (m->progress == NULL)
    return;
  if (!force && m->done - m->reported < PROGRESS_EVERY)
    return;
  m->reported = m->done;
  m->progress (step, table, m->done, m->total, m->progress_data);
}

/* The canonical text form (see the top of this file). */
static void
canonical_append (GString *row, const Value *v)
{
  static const char hex[] = "0123456789abcdef";
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (v->type)
    {
    case SQLITE_INTEGER:
      g_string_append_printf (row, "%" G_GINT64_FORMAT, v->i);
      break;
    case SQLITE_FLOAT:
      g_string_append (row, g_ascii_formatd (buf, sizeof buf, "%.17g", v->d));
      break;
    case SQLITE_TEXT:
      for (gsize k = 0; k < v->len; k++)
        switch (v->p[k])
          {
          case '\\':
            g_string_append (row, "\\\\");
            break;
          case '\t':
            g_string_append (row, "\\t");
            break;
          case '\n':
            g_string_append (row, "\\n");
            break;
          case '\r':
            g_string_append (row, "\\r");
            break;
          default:
            g_string_append_c (row, v->p[k]);
          }
      break;
    case SQLITE_BLOB:
      g_string_append (row, "\\x");
      for (gsize k = 0; k < v->len; k++)
        {
          g_string_append_c (row, hex[v->p[k] >> 4]);
          g_string_append_c (row, hex[v->p[k] & 0xf]);
        }
      break;
    case SQLITE_NULL:
    default:
      g_string_append (row, "\\N");
    }
}

/* SQLite */

static void
set_sqlite_error (Migration *m, GError **error)
{
  g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED, _("Could not read %s: %s"),
               m->db_path, sqlite3_errmsg (m->db));
}

static sqlite3_stmt *
sqlite_prepare (Migration *m, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (m->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (m, error);
      return NULL;
    }
  return stmt;
}

/* A value of `stmt`'s column `col`, which must fit the column's family; a
 * SQLite column holds what it is given, so an old or hand-edited file may
 * not. */
static gboolean
read_sqlite_value (Migration     *m,
                   const Table   *t,
                   const Column  *c,
                   sqlite3_stmt  *stmt,
                   int            col,
                   gint64         row,
                   Value         *v,
                   GError       **error)
{
  gboolean fits;

  memset (v, 0, sizeof *v);
  v->type = sqlite3_column_type (stmt, col);
  switch (v->type)
    {
    case SQLITE_INTEGER:
      v->i = sqlite3_column_int64 (stmt, col);
      fits = c->family == FAMILY_INTEGER || c->family == FAMILY_REAL;
      if (c->family == FAMILY_REAL)
        {
          v->type = SQLITE_FLOAT;
          v->d = (double) v->i;
        }
      break;
    case SQLITE_FLOAT:
      v->d = sqlite3_column_double (stmt, col);
      fits = c->family == FAMILY_REAL;
      break;
    case SQLITE_TEXT:
      v->p = sqlite3_column_text (stmt, col);
      v->len = sqlite3_column_bytes (stmt, col);
      fits = c->family == FAMILY_TEXT;
      break;
    case SQLITE_BLOB:
      v->p = sqlite3_column_blob (stmt, col);
      v->len = sqlite3_column_bytes (stmt, col);
      if (v->p == NULL)
        v->p = (const guchar *) "";
      fits = c->family == FAMILY_BLOB;
      break;
    case SQLITE_NULL:
    default:
      fits = TRUE;
    }
  if (!fits)
    g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                 _("%s cannot be migrated: row %" G_GINT64_FORMAT " of the table %s holds a %s "
                   "in the column %s, which holds %s values"),
                 m->db_path, row, t->name, storage_name (v->type), c->name, family_name (c->family));
  return fits;
}

/* Binary COPY */

static void
put_be16 (GByteArray *out, gint16 value)
{
  guint16 be = GUINT16_TO_BE ((guint16) value);

  g_byte_array_append (out, (const guint8 *) &be, 2);
}

static void
put_be32 (GByteArray *out, gint32 value)
{
  guint32 be = GUINT32_TO_BE ((guint32) value);

  g_byte_array_append (out, (const guint8 *) &be, 4);
}

static void
put_be64 (GByteArray *out, guint64 value)
{
  guint64 be = GUINT64_TO_BE (value);

  g_byte_array_append (out, (const guint8 *) &be, 8);
}

static guint64
get_be (const guchar *p, int n)
{
  guint64 value = 0;

  for (int k = 0; k < n; k++)
    value = value << 8 | p[k];
  return value;
}

/* One field of a COPY row in PostgreSQL's binary form for the column's type. */
static gboolean
binary_append (GByteArray    *out,
               const Table   *t,
               const Column  *c,
               const Value   *v,
               GError       **error)
{
  gint64 min = G_MININT64, max = G_MAXINT64;

  if (v->type == SQLITE_NULL)
    {
      put_be32 (out, -1);
      return TRUE;
    }
  switch (c->pg_type)
    {
    case OID_INT2:
    case OID_INT4:
      min = c->pg_type == OID_INT2 ? G_MININT16 : G_MININT32;
      max = c->pg_type == OID_INT2 ? G_MAXINT16 : G_MAXINT32;
      if (v->i < min || v->i > max)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                       _("The value %" G_GINT64_FORMAT " in the column %s of the table %s does not "
                         "fit the PostgreSQL column, which holds %" G_GINT64_FORMAT " to %"
                         G_GINT64_FORMAT), v->i, c->name, t->name, min, max);
          return FALSE;
        }
      if (c->pg_type == OID_INT2)
        {
          put_be32 (out, 2);
          put_be16 (out, (gint16) v->i);
        }
      else
        {
          put_be32 (out, 4);
          put_be32 (out, (gint32) v->i);
        }
      return TRUE;
    case OID_INT8:
      put_be32 (out, 8);
      put_be64 (out, (guint64) v->i);
      return TRUE;
    case OID_FLOAT8:
      {
        guint64 bits;

        memcpy (&bits, &v->d, sizeof bits);
        put_be32 (out, 8);
        put_be64 (out, bits);
        return TRUE;
      }
    case OID_TEXT:
    case OID_BYTEA:
    default:
      if (v->len > G_MAXINT32)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                       _("A value in the column %s of the table %s is too large for PostgreSQL"),
                       c->name, t->name);
          return FALSE;
        }
      put_be32 (out, (gint32) v->len);
      g_byte_array_append (out, v->p, v->len);
      return TRUE;
    }
}

/* A field of a binary COPY row from the server, as a Value. */
static gboolean
binary_decode (const Column *c, const guchar *p, gint32 len, Value *v)
{
  memset (v, 0, sizeof *v);
  if (len < 0)
    {
      v->type = SQLITE_NULL;
      return TRUE;
    }
  switch (c->pg_type)
    {
    case OID_INT2:
      v->type = SQLITE_INTEGER;
      v->i = (gint16) get_be (p, 2);
      return len == 2;
    case OID_INT4:
      v->type = SQLITE_INTEGER;
      v->i = (gint32) get_be (p, 4);
      return len == 4;
    case OID_INT8:
      v->type = SQLITE_INTEGER;
      v->i = (gint64) get_be (p, 8);
      return len == 8;
    case OID_FLOAT8:
      {
        guint64 bits = get_be (p, 8);

        v->type = SQLITE_FLOAT;
        memcpy (&v->d, &bits, sizeof bits);
        return len == 8;
      }
    case OID_TEXT:
    case OID_BYTEA:
    default:
      v->type = c->pg_type == OID_TEXT ? SQLITE_TEXT : SQLITE_BLOB;
      v->p = p;
      v->len = len;
      return TRUE;
    }
}

static gboolean
put_copy_data (Migration *m, GByteArray *buf, GError **error)
{
  if (buf->len > 0 && PQputCopyData (m->conn, (const char *) buf->data, buf->len) != 1)
    {
      limner_pg_set_result_error (m->pg, NULL, m->what, error);
      return FALSE;
    }
  g_byte_array_set_size (buf, 0);
  return TRUE;
}

/* After a COPY: its result, then nothing. */
static gboolean
finish_copy (Migration *m, const char *table, GError **error)
{
  PGresult *res;
  gboolean ok = TRUE;

  while ((res = PQgetResult (m->conn)) != NULL)
    {
      if (ok && PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          g_autofree char *what = g_strdup_printf (_("%s: the table %s"), m->what, table);

          limner_pg_set_result_error (m->pg, res, what, error);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok;
}

static char *
column_list (Migration *m, const Table *t, gboolean for_sqlite)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < t->columns->len; i++)
    {
      const Column *c = &g_array_index (t->columns, Column, i);
      g_autofree char *quoted = NULL;

      if (for_sqlite && c->is_rowid)
        quoted = g_strdup ("rowid");
      else
        quoted = for_sqlite ? sqlite_quote (c->name) : limner_pg_quote_ident (m->pg, c->name);
      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", quoted);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Copies one table, reading it from SQLite in primary-key order, and
 * computes its checksum on the way. */
static gboolean
copy_table (Migration *m, Table *t, GError **error)
{
  g_autofree char *sqlite_cols = column_list (m, t, TRUE);
  g_autofree char *pg_cols = column_list (m, t, FALSE);
  g_autofree char *sqlite_name = sqlite_quote (t->name);
  g_autofree char *pg_name = limner_pg_quote_ident (m->pg, t->name);
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", sqlite_cols, sqlite_name,
                                             t->order_by);
  g_autofree char *copy = g_strdup_printf ("COPY public.%s (%s) FROM STDIN WITH (FORMAT binary)",
                                           pg_name, pg_cols);
  g_autoptr(GByteArray) buf = g_byte_array_sized_new (COPY_CHUNK + 65536);
  g_autoptr(GString) row = g_string_new (NULL);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree Value *values = g_new0 (Value, t->columns->len);
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt;
  PGresult *res;
  gint64 n = 0;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  stmt = sqlite_prepare (m, select, error);
  if (stmt == NULL)
    return FALSE;
  res = PQexec (m->conn, copy);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      limner_pg_set_result_error (m->pg, res, m->what, error);
      PQclear (res);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  PQclear (res);

  g_byte_array_append (buf, copy_signature, sizeof copy_signature);
  put_be32 (buf, 0);
  put_be32 (buf, 0);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      n++;
      g_string_truncate (row, 0);
      for (guint i = 0; ok && i < t->columns->len; i++)
        ok = read_sqlite_value (m, t, &g_array_index (t->columns, Column, i), stmt, i, n,
                                &values[i], &local);
      if (!ok)
        break;
      put_be16 (buf, t->columns->len);
      for (guint i = 0; ok && i < t->columns->len; i++)
        {
          const Column *c = &g_array_index (t->columns, Column, i);
          Value unsealed = { SQLITE_INTEGER, 0, 0, NULL, 0 };

          if (i > 0)
            g_string_append_c (row, '\t');
          canonical_append (row, &values[i]);
          /* A published version goes in open, so that its rows may follow,
           * and is sealed once they are in (seal_versions()). */
          if ((int) i == t->seal && values[i].type == SQLITE_INTEGER && values[i].i != 0)
            {
              gint64 pair[2] = { values[t->seal_key].i, values[i].i };

              g_array_append_vals (m->seals, pair, 2);
              ok = binary_append (buf, t, c, &unsealed, &local);
            }
          else
            ok = binary_append (buf, t, c, &values[i], &local);
        }
      g_string_append_c (row, '\n');
      g_checksum_update (sum, (const guchar *) row->str, row->len);
      if (ok && buf->len >= COPY_CHUNK)
        ok = put_copy_data (m, buf, &local);
      m->done++;
      report_progress (m, "copy", t->name, FALSE);
    }
  if (ok && rc != SQLITE_DONE)
    {
      set_sqlite_error (m, &local);
      ok = FALSE;
    }
  sqlite3_finalize (stmt);

  if (ok)
    {
      put_be16 (buf, -1);
      ok = put_copy_data (m, buf, &local);
    }
  /* A failed copy is abandoned; the caller rolls the transaction back. */
  PQputCopyEnd (m->conn, ok ? NULL : "abandoned");
  if (!finish_copy (m, t->name, ok ? &local : NULL))
    ok = FALSE;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  t->report->sqlite_rows = n;
  t->report->sqlite_sha256 = g_strdup (g_checksum_get_string (sum));
  report_progress (m, "copy", t->name, TRUE);
  return TRUE;
}

/* Reads a table back from the server, in the same order, into the same
 * canonical form, and counts its rows. */
static gboolean
verify_table (Migration *m, Table *t, GError **error)
{
  g_autofree char *cols = column_list (m, t, FALSE);
  g_autofree char *name = limner_pg_quote_ident (m->pg, t->name);
  g_autofree char *copy = g_strdup_printf ("COPY (SELECT %s FROM public.%s ORDER BY %s) "
                                           "TO STDOUT WITH (FORMAT binary)", cols, name, t->order_by);
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  g_autoptr(GString) row = g_string_new (NULL);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gboolean header = FALSE, trailer = FALSE, malformed = FALSE;
  PGresult *res;
  char *data;
  gint64 n = 0;
  int len;

  res = PQexec (m->conn, copy);
  if (PQresultStatus (res) != PGRES_COPY_OUT)
    {
      limner_pg_set_result_error (m->pg, res, m->what, error);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);

  while ((len = PQgetCopyData (m->conn, &data, 0)) > 0)
    {
      gsize pos = 0;

      g_byte_array_append (pending, (const guint8 *) data, len);
      PQfreemem (data);
      if (!header && pending->len >= 19)
        {
          gsize ext = get_be (pending->data + 15, 4);

          if (memcmp (pending->data, copy_signature, sizeof copy_signature) != 0)
            malformed = TRUE;
          if (pending->len < 19 + ext)
            continue;
          pos = 19 + ext;
          header = TRUE;
        }
      /* Whole rows only; a row cut between two messages waits for the rest. */
      while (header && !trailer && !malformed && pending->len - pos >= 2)
        {
          const guchar *p = pending->data + pos;
          gsize avail = pending->len - pos, at = 2;
          gint16 n_fields = (gint16) get_be (p, 2);
          gboolean whole = TRUE;

          if (n_fields == -1)
            {
              trailer = TRUE;
              pos += 2;
              break;
            }
          if (n_fields != (gint16) t->columns->len)
            {
              malformed = TRUE;
              break;
            }
          g_string_truncate (row, 0);
          for (guint i = 0; whole && i < t->columns->len; i++)
            {
              gint32 field;
              Value v;

              if (avail - at < 4)
                {
                  whole = FALSE;
                  break;
                }
              field = (gint32) get_be (p + at, 4);
              at += 4;
              if (field > 0 && avail - at < (gsize) field)
                {
                  whole = FALSE;
                  break;
                }
              if (!binary_decode (&g_array_index (t->columns, Column, i), p + at, field, &v))
                malformed = TRUE;
              at += MAX (field, 0);
              if (i > 0)
                g_string_append_c (row, '\t');
              canonical_append (row, &v);
            }
          if (!whole || malformed)
            break;
          g_string_append_c (row, '\n');
          g_checksum_update (sum, (const guchar *) row->str, row->len);
          pos += at;
          n++;
          m->done++;
          report_progress (m, "verify", t->name, FALSE);
        }
      g_byte_array_remove_range (pending, 0, pos);
    }
  if (len == -2)
    {
      limner_pg_set_result_error (m->pg, NULL, m->what, error);
      finish_copy (m, t->name, NULL);
      return FALSE;
    }
  if (!finish_copy (m, t->name, error))
    return FALSE;
  if (malformed || !trailer || pending->len > 0)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                   _("%s: the server sent the table %s back in a form Limner does not read"),
                   m->what, t->name);
      return FALSE;
    }
  t->report->pg_rows = n;
  t->report->pg_sha256 = g_strdup (g_checksum_get_string (sum));
  report_progress (m, "verify", t->name, TRUE);
  return TRUE;
}

/* The schemas */

/* The project's tables with their columns, as the server has them, in an
 * order where every table comes after the tables it refers to. */
static gboolean
read_tables (Migration *m, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  g_autoptr(GHashTable) pg_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) res = NULL;
  sqlite3_stmt *stmt;
  int rc;

  res = limner_pg_run (m->pg,
                       "SELECT c.relname, a.attname, a.atttypid, a.attidentity <> '' "
                       "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 "
                       "AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
                       0, NULL, m->what, error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      const char *table = PQgetvalue (res, r, 0);
      GArray *columns = g_hash_table_lookup (pg_tables, table);
      Column c = { 0 };

      if (columns == NULL)
        {
          columns = g_array_new (FALSE, TRUE, sizeof (Column));
          g_array_set_clear_func (columns, column_clear);
          g_hash_table_insert (pg_tables, g_strdup (table), columns);
        }
      c.name = g_strdup (PQgetvalue (res, r, 1));
      c.pg_type = (Oid) g_ascii_strtoull (PQgetvalue (res, r, 2), NULL, 10);
      c.identity = g_str_equal (PQgetvalue (res, r, 3), "t");
      if (!family_of_oid (c.pg_type, &c.family))
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                       _("%s: the column %s.%s has a type Limner does not copy"),
                       m->what, table, c.name);
          g_free (c.name);
          return FALSE;
        }
      g_array_append_val (columns, c);
    }

  /* AUTOINCREMENT's marks; without an AUTOINCREMENT table there is no
   * sqlite_sequence, and no mark. */
  stmt = sqlite_prepare (m, "SELECT name, seq FROM sqlite_sequence", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_insert (seqs, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             GSIZE_TO_POINTER ((gsize) MAX (sqlite3_column_int64 (stmt, 1), 0)));
      sqlite3_finalize (stmt);
    }

  stmt = sqlite_prepare (m, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Table *t = g_new0 (Table, 1);

      t->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      t->references = g_ptr_array_new_with_free_func (g_free);
      t->columns = g_array_new (FALSE, TRUE, sizeof (Column));
      g_array_set_clear_func (t->columns, column_clear);
      t->seal = t->seal_key = -1;
      t->sqlite_seq = GPOINTER_TO_SIZE (g_hash_table_lookup (seqs, t->name));
      g_ptr_array_add (found, t);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (m, error);
      return FALSE;
    }

  for (guint k = 0; k < found->len; k++)
    {
      Table *t = found->pdata[k];
      GArray *pg_columns = g_hash_table_lookup (pg_tables, t->name);
      g_autofree char *quoted = sqlite_quote (t->name);
      g_autofree char *info = g_strdup_printf ("PRAGMA table_info(%s)", quoted);
      g_autofree char *fks = g_strdup_printf ("PRAGMA foreign_key_list(%s)", quoted);
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s", quoted);
      g_autoptr(GPtrArray) key = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) sqlite_columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      if (pg_columns == NULL)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                       _("%s: the project has a table %s that this version of Limner does not "
                         "create on PostgreSQL"), m->what, t->name);
          return FALSE;
        }
      stmt = sqlite_prepare (m, info, error);
      if (stmt == NULL)
        return FALSE;
      /* Columns 1 and 5: name, and the position in the primary key (0 = not in it). */
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          int pk = sqlite3_column_int (stmt, 5);
          const char *name = (const char *) sqlite3_column_text (stmt, 1);

          g_hash_table_add (sqlite_columns, g_strdup (name));
          if (pk > 0)
            {
              if ((guint) pk > key->len)
                g_ptr_array_set_size (key, pk);
              key->pdata[pk - 1] = limner_pg_quote_ident (m->pg, name);
            }
        }
      sqlite3_finalize (stmt);
      if (key->len == 0)
        g_ptr_array_add (key, g_strdup ("rowid"));
      g_ptr_array_add (key, NULL);
      t->order_by = g_strjoinv (", ", (char **) key->pdata);

      for (guint i = 0; i < pg_columns->len; i++)
        {
          Column c = g_array_index (pg_columns, Column, i);

          c.name = g_strdup (c.name);
          c.is_rowid = g_str_equal (c.name, "rowid") && !g_hash_table_contains (sqlite_columns, "rowid");
          if (!c.is_rowid && !g_hash_table_remove (sqlite_columns, c.name))
            {
              g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                           _("%s: the PostgreSQL table %s has a column %s that the project lacks"),
                           m->what, t->name, c.name);
              g_free (c.name);
              return FALSE;
            }
          if (g_str_equal (t->name, "versions") && g_str_equal (c.name, "sealed"))
            t->seal = i;
          if (g_str_equal (t->name, "versions") && g_str_equal (c.name, "number"))
            t->seal_key = i;
          g_array_append_val (t->columns, c);
        }
      if (g_hash_table_size (sqlite_columns) > 0)
        {
          GHashTableIter iter;
          gpointer name;

          g_hash_table_iter_init (&iter, sqlite_columns);
          g_hash_table_iter_next (&iter, &name, NULL);
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                       _("%s: the project's table %s has a column %s that this version of Limner "
                         "does not create on PostgreSQL"), m->what, t->name, (const char *) name);
          return FALSE;
        }
      if (t->seal_key < 0)
        t->seal = -1;
      g_hash_table_remove (pg_tables, t->name);

      stmt = sqlite_prepare (m, fks, error);
      if (stmt == NULL)
        return FALSE;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (t->references, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      sqlite3_finalize (stmt);

      stmt = sqlite_prepare (m, count, error);
      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        t->n_rows = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      m->total += t->n_rows;
    }
  if (g_hash_table_size (pg_tables) > 0)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, pg_tables);
      g_hash_table_iter_next (&iter, &name, NULL);
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_FAILED,
                   _("%s: the project has no table %s, which PostgreSQL projects have; open it "
                     "with this version of Limner first"), m->what, (const char *) name);
      return FALSE;
    }

  /* Referenced tables first, otherwise in the order SQLite made them. */
  while (found->len > 0)
    {
      guint pick = 0;

      for (guint k = 0; k < found->len; k++)
        {
          Table *t = found->pdata[k];
          gboolean ready = TRUE;

          for (guint r = 0; ready && r < t->references->len; r++)
            for (guint o = 0; ready && o < found->len; o++)
              if (o != k && g_str_equal (((Table *) found->pdata[o])->name, t->references->pdata[r]))
                ready = FALSE;
          if (ready)
            {
              pick = k;
              break;
            }
        }
      g_ptr_array_add (m->tables, g_ptr_array_steal_index (found, pick));
    }
  return TRUE;
}

static gboolean
read_users (Migration *m, GError **error)
{
  sqlite3_stmt *stmt = sqlite_prepare (m, "SELECT login, roles FROM users ORDER BY login", error);

  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LimnerUser *u = g_new0 (LimnerUser, 1);

      u->login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      u->roles = sqlite3_column_int (stmt, 1)
                 & (LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD);
      g_ptr_array_add (m->users, u);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* The server */

/* Triggers would stamp each event with the migrating role and the time of
 * the migration, and copy every prediction into a baseline that is copied
 * anyway; inside this one transaction nobody else sees them off. */
static gboolean
set_triggers (Migration *m, gboolean enabled, GError **error)
{
  for (guint k = 0; k < m->tables->len; k++)
    {
      Table *t = m->tables->pdata[k];
      g_autofree char *name = limner_pg_quote_ident (m->pg, t->name);
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE public.%s %s TRIGGER USER", name,
                                              enabled ? "ENABLE" : "DISABLE");

      if (!limner_pg_exec (m->pg, sql, m->what, error))
        return FALSE;
    }
  return TRUE;
}

/* The foreign keys go while the rows are copied and come back after: the
 * server then checks each of them in one join rather than row by row,
 * which makes the copy several times faster. They are the schema's own
 * definitions, checked against every copied row before anything is read
 * back. */
static gboolean
drop_foreign_keys (Migration *m, GPtrArray *restore, GError **error)
{
  g_autoptr(PGresult) res = NULL;

  res = limner_pg_run (m->pg,
                       "SELECT format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, "
                       "              c.conname), "
                       "  format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, t.relname, c.conname, "
                       "         pg_get_constraintdef(c.oid)) "
                       "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                       "JOIN pg_namespace n ON n.oid = t.relnamespace "
                       "WHERE n.nspname = 'public' AND c.contype = 'f' ORDER BY c.oid",
                       0, NULL, m->what, error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      if (!limner_pg_exec (m->pg, PQgetvalue (res, r, 0), m->what, error))
        return FALSE;
      g_ptr_array_add (restore, g_strdup (PQgetvalue (res, r, 1)));
    }
  return TRUE;
}

static gboolean
restore_foreign_keys (Migration *m, GPtrArray *restore, GError **error)
{
  for (guint k = 0; k < restore->len; k++)
    if (!limner_pg_exec (m->pg, restore->pdata[k], m->what, error))
      return FALSE;
  return TRUE;
}

static gboolean
seal_versions (Migration *m, GError **error)
{
  for (guint k = 0; k + 1 < m->seals->len; k += 2)
    {
      gint64 *pair = &g_array_index (m->seals, gint64, k);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, pair[0]);
      g_autofree char *sealed = g_strdup_printf ("%" G_GINT64_FORMAT, pair[1]);
      const char *params[] = { number, sealed };
      g_autoptr(PGresult) res = limner_pg_run (m->pg, "UPDATE versions SET sealed = $2 WHERE number = $1",
                                               2, params, m->what, error);

      if (res == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Every identity sequence past the copied ids, and past SQLite's
 * AUTOINCREMENT mark: ids of deleted rows are not handed out again. */
static gboolean
set_sequences (Migration *m, GError **error)
{
  for (guint k = 0; k < m->tables->len; k++)
    {
      Table *t = m->tables->pdata[k];

      for (guint i = 0; i < t->columns->len; i++)
        {
          const Column *c = &g_array_index (t->columns, Column, i);
          g_autofree char *table = limner_pg_quote_ident (m->pg, t->name);
          g_autofree char *column = limner_pg_quote_ident (m->pg, c->name);
          g_autofree char *qualified = g_strdup_printf ("public.%s", table);
          g_autofree char *mark = g_strdup_printf ("%" G_GINT64_FORMAT, t->sqlite_seq);
          g_autofree char *sql = NULL;
          const char *params[] = { qualified, c->name, mark };
          g_autoptr(PGresult) res = NULL;

          if (!c->identity)
            continue;
          sql = g_strdup_printf ("SELECT setval(pg_get_serial_sequence($1, $2), "
                                 "GREATEST(COALESCE(max(%s), 0), $3::bigint, 1), "
                                 "GREATEST(COALESCE(max(%s), 0), $3::bigint) > 0) FROM public.%s",
                                 column, column, table);
          res = limner_pg_run (m->pg, sql, 3, params, m->what, error);
          if (res == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

/* The project's users as login roles, where the connected role may create
 * roles; the others are listed for `users add`. */
static gboolean
grant_users (Migration *m, GError **error)
{
  g_autoptr(PGresult) res = NULL;
  const char *lead = limner_pg_get_login (m->pg);
  gboolean may_create;

  res = limner_pg_run (m->pg, "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user",
                       0, NULL, m->what, error);
  if (res == NULL)
    return FALSE;
  may_create = PQntuples (res) == 1 && g_str_equal (PQgetvalue (res, 0, 0), "t");
  for (guint k = 0; k < m->users->len; k++)
    {
      LimnerUser *u = m->users->pdata[k];
      LimnerRole roles = u->roles | (g_str_equal (u->login, lead) ? LIMNER_ROLE_LEAD : 0);
      g_autoptr(GError) invalid = NULL;
      char *reason = NULL;

      if (!limner_pg_check_login (m->pg, u->login, &invalid))
        reason = g_strdup (invalid->message);
      else if (!may_create)
        reason = g_strdup_printf (_("%s may not create roles (CREATEROLE)"), lead);
      else if (!limner_pg_set_user_roles_locked (m->pg, u->login, roles, m->what, error))
        return FALSE;

      if (reason != NULL)
        {
          LimnerPgPendingUser *p = g_new0 (LimnerPgPendingUser, 1);

          p->login = g_strdup (u->login);
          p->roles = roles;
          p->reason = reason;
          g_ptr_array_add (m->result->users_pending, p);
        }
      else
        {
          LimnerUser *ready = g_new0 (LimnerUser, 1);

          ready->login = g_strdup (u->login);
          ready->roles = roles;
          g_ptr_array_add (m->result->users_ready, ready);
        }
    }
  return TRUE;
}

static gboolean
compare (Migration *m, GError **error)
{
  for (guint k = 0; k < m->tables->len; k++)
    {
      LimnerPgMigrateTable *r = ((Table *) m->tables->pdata[k])->report;

      if (r->sqlite_rows != r->pg_rows)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_MISMATCH,
                       _("The copy of the table %s does not match the project: %" G_GINT64_FORMAT
                         " rows in %s, %" G_GINT64_FORMAT " on the server; nothing was migrated"),
                       r->name, r->sqlite_rows, m->result->project, r->pg_rows);
          return FALSE;
        }
      if (g_strcmp0 (r->sqlite_sha256, r->pg_sha256) != 0)
        {
          g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_MISMATCH,
                       _("The copy of the table %s does not match the project: the same %"
                         G_GINT64_FORMAT " rows, but other contents (SHA-256 %s in %s, %s on the "
                         "server); nothing was migrated"),
                       r->name, r->sqlite_rows, r->sqlite_sha256, m->result->project, r->pg_sha256);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
run_migration (Migration *m, const char *name, GError **error)
{
  g_autoptr(GPtrArray) foreign_keys = g_ptr_array_new_with_free_func (g_free);

  if (!limner_pg_create_tables (m->pg, m->what, error)
      || !read_tables (m, error)
      || !read_users (m, error))
    return FALSE;
  for (guint k = 0; k < m->tables->len; k++)
    {
      Table *t = m->tables->pdata[k];

      t->report = g_new0 (LimnerPgMigrateTable, 1);
      t->report->name = g_strdup (t->name);
      t->report->pg_rows = -1;
      g_ptr_array_add (m->result->tables, t->report);
    }

  if (!set_triggers (m, FALSE, error)
      || !drop_foreign_keys (m, foreign_keys, error))
    return FALSE;
  for (guint k = 0; k < m->tables->len; k++)
    if (!copy_table (m, m->tables->pdata[k], error))
      return FALSE;
  m->result->n_rows = m->done;
  if (!restore_foreign_keys (m, foreign_keys, error)
      || !seal_versions (m, error)
      || !set_triggers (m, TRUE, error)
      || !set_sequences (m, error))
    return FALSE;

  m->done = m->reported = 0;
  for (guint k = 0; k < m->tables->len; k++)
    if (!verify_table (m, m->tables->pdata[k], error))
      return FALSE;
  if (!compare (m, error))
    return FALSE;

  /* Only what was copied is compared: the team-mode settings and the lead
   * come afterwards. */
  return limner_pg_stamp_project (m->pg, name, m->what, error)
         && grant_users (m, error)
         && limner_pg_exec (m->pg, "COMMIT", m->what, error);
}

gboolean
limner_pg_migrate (const char               *project_dir,
                   const char               *uri,
                   LimnerPgMigrateProgress   progress,
                   gpointer                  user_data,
                   LimnerPgMigrateResult   **result,
                   GError                  **error)
{
  g_autoptr(LimnerPgMigrateResult) res = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerPg) pg = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;
  gint64 start = g_get_monotonic_time ();
  Migration m = { 0 };
  gboolean ok;

  g_return_val_if_fail (project_dir != NULL && uri != NULL, FALSE);

  /* Opening checks the project (a Limner project, not damaged, not of a
   * newer schema) and brings an older one to the current schema. */
  store = limner_store_open (project_dir, NULL, error);
  if (store == NULL)
    return FALSE;
  if (limner_store_get_schema_version (store) != LIMNER_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("%s is at schema %d; open it with this version of Limner to upgrade it to "
                     "schema %d, then migrate it"), limner_store_get_dir (store),
                   limner_store_get_schema_version (store), LIMNER_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  name = limner_store_dup_name (store);
  m.db_path = g_build_filename (limner_store_get_dir (store), LIMNER_STORE_DB_NAME, NULL);

  res = g_new0 (LimnerPgMigrateResult, 1);
  res->project = g_strdup (limner_store_get_dir (store));
  res->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) migrate_table_free);
  res->users_ready = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_user_free);
  res->users_pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_user_free);
  g_clear_object (&store);

  pg = limner_pg_connect_empty (uri, error);
  if (pg == NULL)
    {
      g_free (m.db_path);
      return FALSE;
    }
  res->database = g_strdup (limner_pg_get_description (pg));
  res->lead = g_strdup (limner_pg_get_login (pg));

  m.pg = pg;
  m.conn = limner_pg_get_conn (pg);
  m.what = g_strdup_printf (_("Could not migrate %s into %s as %s"), res->project, res->database,
                            res->lead);
  m.tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  m.seals = g_array_new (FALSE, FALSE, sizeof (gint64));
  m.users = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_user_free);
  m.progress = progress;
  m.progress_data = user_data;
  m.result = res;

  /* One read transaction: every table from the same snapshot, even if
   * someone works on the project meanwhile. */
  ok = sqlite3_open_v2 (m.db_path, &m.db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_busy_timeout (m.db, 5000);
      ok = sqlite3_exec (m.db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    }
  if (!ok)
    set_sqlite_error (&m, &local);
  else if (!limner_pg_exec (pg, "BEGIN", m.what, &local))
    ok = FALSE;
  else if (!run_migration (&m, name, &local))
    {
      limner_pg_rollback (pg);
      limner_pg_explain_denied (local);
      ok = FALSE;
    }

  if (m.db != NULL)
    sqlite3_exec (m.db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (m.db);
  g_free (m.db_path);
  g_free (m.what);
  g_ptr_array_unref (m.tables);
  g_array_unref (m.seals);
  g_ptr_array_unref (m.users);

  if (ok)
    limner_pg_set_created (pg);
  res->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* A mismatch is reported with the comparison that shows it. */
  if (result != NULL && (ok || g_error_matches (local, LIMNER_PG_ERROR, LIMNER_PG_ERROR_MISMATCH)))
    *result = g_steal_pointer (&res);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}
