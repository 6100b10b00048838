/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-backend.c: built twice, with and without
 * LIMNER_TEST_BACKEND_PG (see limner-test-backend.h). */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "limner-test-backend.h"
#include "limner-test-util.h"

#ifdef LIMNER_TEST_BACKEND_PG
#include <libpq-fe.h>

#include "limner-test-pg.h"

static LimnerTestPg *server;
static GHashTable *files_dirs; /* project URI -> scratch folder */

static void
stop_server (void)
{
  g_clear_pointer (&server, limner_test_pg_stop);
}

gboolean
limner_test_backend_is_pg (void)
{
  return TRUE;
}

/* The database name inside a project URI. */
static char *
database_of (const char *project)
{
  PQconninfoOption *options = PQconninfoParse (project, NULL);
  char *db = NULL;

  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname") && o->val != NULL)
      db = g_strdup (o->val);
  PQconninfoFree (options);
  return db;
}

char *
limner_test_backend_new_project (const char *lead)
{
  static int counter;
  g_autofree char *db = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *role = NULL;
  char *uri;

  if (server == NULL)
    {
      server = limner_test_pg_start ();
      files_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      atexit (stop_server);
    }
  /* A team's lead: may create roles, and owns the project's database. */
  role = g_strdup_printf ("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') "
                          "THEN CREATE ROLE \"%s\" LOGIN CREATEROLE; END IF; END $$", lead, lead);
  limner_test_pg_admin (server, role);
  db = g_strdup_printf ("p%d", ++counter);
  sql = g_strdup_printf ("CREATE DATABASE %s OWNER \"%s\"", db, lead);
  limner_test_pg_admin (server, sql);
  uri = limner_test_pg_uri (server, db, lead);
  {
    g_autoptr(GError) error = NULL;
    char *files = g_dir_make_tmp ("limner-files-XXXXXX", &error);

    g_assert_no_error (error);
    g_hash_table_insert (files_dirs, g_strdup (uri), files);
  }
  return uri;
}

void
limner_test_backend_remove (char *project)
{
  g_autofree char *db = database_of (project);
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
  const char *files = g_hash_table_lookup (files_dirs, project);

  if (files != NULL)
    limner_test_rm_rf (files);
  g_hash_table_remove (files_dirs, project);
  limner_test_pg_admin (server, sql);
  g_free (project);
}

int
limner_test_backend_raw_sql (const char *project,
                             const char *sql)
{
  g_autofree char *db = database_of (project);
  g_autofree char *uri = limner_test_pg_uri (server, db, "postgres");
  PGconn *conn = PQconnectdb (uri);
  PGresult *res;
  int status;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  status = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK ? 0 : 1;
  if (status != 0)
    g_test_message ("the server refused “%s”: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
  return status;
}

char *
limner_test_backend_files_dir (const char *project)
{
  const char *files = g_hash_table_lookup (files_dirs, project);

  g_assert_nonnull (files);
  return g_strdup (files);
}

#else /* SQLite */

gboolean
limner_test_backend_is_pg (void)
{
  return FALSE;
}

char *
limner_test_backend_new_project (const char *lead)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-store-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (tmp, "Project", NULL);
}

void
limner_test_backend_remove (char *project)
{
  g_autofree char *parent = g_path_get_dirname (project);

  limner_test_rm_rf (parent);
  g_free (project);
}

int
limner_test_backend_raw_sql (const char *project,
                             const char *sql)
{
  g_autofree char *path = g_build_filename (project, "project.db", NULL);
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

char *
limner_test_backend_files_dir (const char *project)
{
  return g_strdup (project);
}

#endif
