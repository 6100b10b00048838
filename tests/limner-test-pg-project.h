/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-pg-project.h: a team project on the throwaway server, made
 * through the store, for the tests that drive the store on PostgreSQL. */
#pragma once

#include "limner-store.h"
#include "limner-test-pg.h"

G_BEGIN_DECLS

/* Creates the login role `lead` (with CREATEROLE) if needed, the database
 * `database` owned by it, and a project in it through limner_store_create()
 * as `lead`; returns that store. Fails the test on an error. */
LimnerStore *limner_test_pg_project_new  (LimnerTestPg *pg,
                                          const char   *database,
                                          const char   *lead);
/* Opens the project in `database` as `login`; fails the test on an error. */
LimnerStore *limner_test_pg_project_open (LimnerTestPg *pg,
                                          const char   *database,
                                          const char   *login);

G_END_DECLS
