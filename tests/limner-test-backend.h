/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-backend.h: where the store and CLI suites put their projects.
 *
 * Each suite is built twice from the same source: once as is, on SQLite
 * (a project folder in a temporary directory), and once with
 * LIMNER_TEST_BACKEND_PG defined, on PostgreSQL (a new database on a
 * throwaway server per test program, see limner-test-pg.h). The tests call
 * the same store functions and make the same assertions on both; only
 * the few that test SQLite's own file (WAL, pragmas, the file's
 * permissions) are registered on SQLite alone. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this program runs its tests on PostgreSQL. */
gboolean limner_test_backend_is_pg (void);

/* A new, empty place for a project, to pass to limner_store_create() with
 * `lead` as the login: a folder that does not exist yet, or the URI of a
 * new empty database whose owner is the login role `lead` (with
 * CREATEROLE, as a team's lead has). Free it with
 * limner_test_backend_remove(). */
char    *limner_test_backend_new_project (const char *lead);

/* Removes what limner_test_backend_new_project() made. */
void     limner_test_backend_remove      (char *project);

/* Runs SQL on the project's database as another tool would: on SQLite a
 * second raw connection, on PostgreSQL the server's superuser (whom the
 * insert-only triggers still refuse). 0 on success. */
int      limner_test_backend_raw_sql     (const char *project,
                                          const char *sql);

/* A scratch folder for the test's files (images, exports): inside the
 * project folder on SQLite, a temporary folder on PostgreSQL. Removed with
 * the project. */
char    *limner_test_backend_files_dir   (const char *project);

G_END_DECLS
