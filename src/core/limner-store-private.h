/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-private.h: shared by the files of the store module
 * (limner-store*.c), the only place with SQL. Never include it elsewhere. */
#pragma once

#include <sqlite3.h>

#include "limner-store.h"

G_BEGIN_DECLS

sqlite3      *limner_store_db (LimnerStore *self);

/* A cached prepared statement for `sql`, reset and with bindings cleared.
 * Reset it (sqlite3_reset) when done with it. */
sqlite3_stmt *limner_store_prepare (LimnerStore  *self,
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
GArray       *limner_store_points_from_column (sqlite3_stmt *stmt, int col);
void          limner_store_bind_points (sqlite3_stmt *stmt, int col, const GArray *points);
void          limner_store_bind_text_or_null (sqlite3_stmt *stmt, int col, const char *text);
char         *limner_store_column_dup (sqlite3_stmt *stmt, int col);

/* Appends an event inside the current write. */
gboolean      limner_store_log_event_locked (LimnerStore  *self,
                                             const char   *kind,
                                             gint64        image_id,
                                             gint64        shape_id,
                                             const char   *detail_json,
                                             GError      **error);

G_END_DECLS
