/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-pg.h: a throwaway PostgreSQL 15 server for the tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LimnerTestPg LimnerTestPg;

/* Creates a cluster in a new temporary folder (initdb), and starts it on a
 * Unix socket in that folder, with no TCP. When the test runs as root, the
 * server runs as an unprivileged user ($LIMNER_TEST_PG_USER, or nobody),
 * since PostgreSQL refuses to run as root. Its superuser is "postgres" and
 * every role logs in without a password over the socket. Fails the test
 * program (never skips) when the server cannot start. */
LimnerTestPg *limner_test_pg_start (void);

/* A libpq URI for `database` on the server, as `login`. */
char         *limner_test_pg_uri   (LimnerTestPg *pg,
                                    const char   *database,
                                    const char   *login);

/* Runs `sql` as the superuser in the database "postgres"; fails the test on
 * an error. */
void          limner_test_pg_admin (LimnerTestPg *pg,
                                    const char   *sql);

/* Shuts the server down (pg_ctl stop -m fast: connected clients are cut
 * off), keeping its data, as a restart or a lost network would; then
 * starts it again on the same data and socket. */
void          limner_test_pg_shut_down   (LimnerTestPg *pg);
void          limner_test_pg_start_again (LimnerTestPg *pg);

/* Stops the server and removes its folder. If the test program dies first,
 * a watchdog process does the same. */
void          limner_test_pg_stop  (LimnerTestPg *pg);

G_END_DECLS
