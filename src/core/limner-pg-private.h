/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg-private.h: shared by limner-pg.c and limner-pg-migrate.c, the
 * team-mode module. Never include it elsewhere. */
#pragma once

#include <libpq-fe.h>

#include "limner-pg.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

PGconn   *limner_pg_get_conn         (LimnerPg *self);

/* Runs SQL with text parameters; returns the result, or NULL and sets
 * `error` to "WHAT: the server's reason" (LIMNER_PG_ERROR_DENIED for a
 * missing privilege or a trigger's refusal). */
PGresult *limner_pg_run              (LimnerPg           *self,
                                      const char         *sql,
                                      int                 n_params,
                                      const char *const  *params,
                                      const char         *what,
                                      GError            **error);
gboolean  limner_pg_exec             (LimnerPg    *self,
                                      const char  *sql,
                                      const char  *what,
                                      GError     **error);
void      limner_pg_rollback         (LimnerPg *self);
/* Sets `error` from a failed result (or the connection's last error). */
void      limner_pg_set_result_error (LimnerPg    *self,
                                      PGresult    *res,
                                      const char  *what,
                                      GError     **error);
char     *limner_pg_quote_ident      (LimnerPg    *self,
                                      const char  *name);

/* Creating a project, in the caller's transaction: connect_empty() refuses
 * a database that is not empty and names the group roles after it;
 * create_tables() makes the group roles and the empty tables;
 * stamp_project() records the team-mode settings (the schema version, the
 * group roles; the name and a QC seed unless there are some already) and
 * makes the connected role a lead. set_created() marks the object as
 * opened at the current schema once the transaction has committed. */
LimnerPg *limner_pg_connect_empty    (const char  *uri,
                                      GError     **error);
gboolean  limner_pg_create_tables    (LimnerPg    *self,
                                      const char  *what,
                                      GError     **error);
gboolean  limner_pg_stamp_project    (LimnerPg    *self,
                                      const char  *name,
                                      const char  *what,
                                      GError     **error);
void      limner_pg_set_created      (LimnerPg *self);
/* Adds the hint about CREATEROLE to a DENIED error from creating a project. */
void      limner_pg_explain_denied   (GError *error);

/* Users, in the caller's transaction. */
gboolean  limner_pg_check_login      (LimnerPg    *self,
                                      const char  *login,
                                      GError     **error);
gboolean  limner_pg_set_user_roles_locked (LimnerPg    *self,
                                           const char  *login,
                                           LimnerRole   roles,
                                           const char  *what,
                                           GError     **error);

G_END_DECLS
