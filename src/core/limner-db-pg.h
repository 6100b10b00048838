/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-db-pg.h: the PostgreSQL backend of the driver layer. */
#pragma once

#include <libpq-fe.h>

#include "limner-db.h"

G_BEGIN_DECLS

/* Wraps an open connection, which the caller keeps open for longer than the
 * LimnerDb. A connection that drops is reset in place on the next call. */
LimnerDb *limner_db_new_pg (PGconn *conn);

/* The connection string `uri` (a URI or key=value pairs) with its user
 * replaced by `user`, as key=value pairs; NULL if `uri` does not parse. */
char     *limner_db_pg_conninfo_as   (const char *uri,
                                      const char *user);
/* The user that `uri` names, or NULL (libpq then takes the OS user). */
char     *limner_db_pg_conninfo_user (const char *uri);

G_END_DECLS
