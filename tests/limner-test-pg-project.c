/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "limner-test-pg-project.h"

LimnerStore *
limner_test_pg_project_new (LimnerTestPg *pg,
                            const char   *database,
                            const char   *lead)
{
  g_autofree char *create_role = g_strdup_printf ("DO $$ BEGIN CREATE ROLE \"%s\" LOGIN CREATEROLE; "
                                                  "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                                                  lead);
  g_autofree char *create_db = g_strdup_printf ("CREATE DATABASE \"%s\" OWNER \"%s\"", database, lead);
  g_autofree char *uri = limner_test_pg_uri (pg, database, lead);
  g_autoptr(GError) error = NULL;
  LimnerStore *store;

  limner_test_pg_admin (pg, create_role);
  limner_test_pg_admin (pg, create_db);
  store = limner_store_create (uri, database, NULL, &error);
  g_assert_no_error (error);
  return store;
}

LimnerStore *
limner_test_pg_project_open (LimnerTestPg *pg,
                             const char   *database,
                             const char   *login)
{
  g_autofree char *uri = limner_test_pg_uri (pg, database, login);
  g_autoptr(GError) error = NULL;
  LimnerStore *store = limner_store_open (uri, NULL, &error);

  if (store == NULL)
    g_error ("could not open %s as %s: %s", database, login, error->message);
  return store;
}
