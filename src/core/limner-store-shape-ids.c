/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-private.h"
#include "limner-store-shape-ids.h"

/* Where the high-water mark of reserved ids lives. With an AUTOINCREMENT
 * shapes table it is SQLite's own sequence, which every INSERT without an id
 * respects too. Without one, a settings row keeps reservations apart from
 * each other, though not from an INSERT without an id in another process. */
#define RESERVED_SETTING "shape_id_reserved"

static gboolean
query_int64 (LimnerStore  *self,
             const char   *sql,
             gint64       *out,
             GError      **error)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = limner_stmt_step (stmt);
  if (rc == LIMNER_DB_ROW)
    *out = limner_stmt_column_int64 (stmt, 0);
  else
    *out = 0;
  limner_stmt_reset (stmt);
  if (rc != LIMNER_DB_ROW && rc != LIMNER_DB_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not reserve shape ids"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_high_water (LimnerStore  *self,
                  gboolean      autoincrement,
                  gint64        value,
                  GError      **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  if (autoincrement)
    {
      /* sqlite_sequence has no unique key: update, then insert if absent. */
      stmt = limner_store_prepare (self, "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'shapes'",
                                   error);
      if (stmt == NULL)
        return FALSE;
      limner_stmt_bind_int64 (stmt, 1, value);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      limner_stmt_reset (stmt);
      if (ok && limner_db_changes (limner_store_db (self)) == 0)
        {
          stmt = limner_store_prepare (self,
                                       "INSERT INTO sqlite_sequence (name, seq) VALUES ('shapes', ?1)",
                                       error);
          if (stmt == NULL)
            return FALSE;
          limner_stmt_bind_int64 (stmt, 1, value);
          ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
          limner_stmt_reset (stmt);
        }
    }
  else
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO settings (key, value) VALUES ('" RESERVED_SETTING "', ?1) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error);
      if (stmt == NULL)
        return FALSE;
      limner_stmt_bind_int64 (stmt, 1, value);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      limner_stmt_reset (stmt);
    }
  if (!ok)
    limner_store_set_sqlite_error (self, error, _("Could not reserve shape ids"));
  return ok;
}

/* PostgreSQL: the identity's own sequence. The table lock keeps every
 * other writer's INSERT (which takes its id from the sequence) out until
 * the block is reserved, so the block is contiguous and nobody else's. */
static gboolean
reserve_pg (LimnerStore  *self,
            guint         n,
            gint64       *out_first,
            GError      **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  ok = limner_store_exec (self, "LOCK TABLE shapes IN SHARE ROW EXCLUSIVE MODE", error);
  if (!ok)
    return FALSE;
  stmt = limner_store_prepare (self,
                               "SELECT setval('shapes_id_seq', nextval('shapes_id_seq') + ?1 - 1) - ?1 + 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, n);
  ok = limner_stmt_step (stmt) == LIMNER_DB_ROW;
  if (ok)
    *out_first = limner_stmt_column_int64 (stmt, 0);
  else
    limner_store_set_sqlite_error (self, error, _("Could not reserve shape ids"));
  limner_stmt_reset (stmt);
  return ok;
}

gboolean
limner_store_reserve_shape_ids (LimnerStore  *self,
                                guint         n,
                                gint64       *out_first,
                                GError      **error)
{
  gint64 autoincrement = 0;
  gint64 max_id = 0;
  gint64 mark = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (n > 0, FALSE);
  g_return_val_if_fail (out_first != NULL, FALSE);

  if (!limner_store_require_role (self,
                                  LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD,
                                  error))
    return FALSE;
  if (!limner_store_write_begin (self, error))
    return FALSE;
  if (limner_store_is_pg (self))
    {
      ok = reserve_pg (self, n, out_first, error);
      return limner_store_write_end (self, ok, error);
    }

  ok = query_int64 (self,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'shapes' "
                    "AND sql LIKE '%AUTOINCREMENT%'",
                    &autoincrement, error);
  ok = ok && query_int64 (self, "SELECT coalesce(max(id), 0) FROM shapes", &max_id, error);
  if (ok && autoincrement)
    ok = query_int64 (self, "SELECT seq FROM sqlite_sequence WHERE name = 'shapes'", &mark, error);
  else if (ok)
    ok = query_int64 (self,
                      "SELECT CAST(value AS INTEGER) FROM settings WHERE key = '" RESERVED_SETTING "'",
                      &mark, error);
  if (ok)
    {
      gint64 first = MAX (mark, max_id) + 1;

      ok = write_high_water (self, autoincrement != 0, first + n - 1, error);
      if (ok)
        *out_first = first;
    }
  return limner_store_write_end (self, ok, error);
}
