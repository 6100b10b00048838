/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Team mode on a real PostgreSQL 15 server: limner-cli init and users on a
 * postgresql:// URI, then every rule the server enforces, checked by
 * connecting as each role with libpq, as psql would; the schema's parity
 * with SQLite's; and limner-cli migrate from a local project. */

#include "config.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-core.h"
#include "limner-demo.h"
#include "limner-store-qc.h"
#include "limner-store-stats.h"
#include "limner-store-versions.h"
#include "limner-store.h"
#include "limner-test-pg.h"
#include "limner-test-util.h"

#define DB "limner"
/* 42501: insufficient_privilege, which RLS violations and the triggers
 * raise too. */
#define DENIED "42501"
/* The server's clock in Unix seconds, as the store writes claimed_at. */
#define NOW_S "floor(extract(epoch FROM now()))::bigint"

static LimnerTestPg *server;

/* What the project holds once set up (see ensure_project). */
static struct {
  gboolean ready;
  char    *own_image;     /* held by ann1 */
  char    *other_image;   /* held by ann2 */
  char    *review_image;  /* in review */
  char    *other_shape;   /* on other_image */
  char    *stale_image;   /* held by ann2 since long ago */
  char    *submitted;     /* submitted by ann1, who is still its assignee */
  char    *submitted_shape;
  char    *event;
} project;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  Run r = { 0 };
  int wait_status;
  va_list ap;

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    g_error ("limner-cli died of signal %d; stderr: %s", WTERMSIG (wait_status), r.err);
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static char *
uri_as (const char *login)
{
  return limner_test_pg_uri (server, DB, login);
}

static PGconn *
connect_as (const char *login)
{
  g_autofree char *uri = uri_as (login);
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect as %s: %s", login, PQerrorMessage (conn));
  return conn;
}

static PGconn *
connect_as_db (const char *login, const char *database)
{
  g_autofree char *uri = limner_test_pg_uri (server, database, login);
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect to %s as %s: %s", database, login, PQerrorMessage (conn));
  return conn;
}

/* Runs SQL that must succeed; returns its result. */
static PGresult *
sql_ok (PGconn *conn, const char *sql)
{
  PGresult *res = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    g_error ("“%s” failed as %s: %s", sql, PQuser (conn), PQerrorMessage (conn));
  return res;
}

static char *
sql_value (PGconn *conn, const char *sql)
{
  PGresult *res = sql_ok (conn, sql);
  char *value;

  g_assert_cmpint (PQntuples (res), ==, 1);
  value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  return value;
}

static char *
sql_valuef (PGconn *conn, const char *format, ...) G_GNUC_PRINTF (2, 3);

static char *
sql_valuef (PGconn *conn, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  return sql_value (conn, sql);
}

/* Runs SQL that the server must refuse with `sqlstate`. */
static void
sql_refused (PGconn *conn, const char *sql, const char *sqlstate)
{
  PGresult *res = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (res);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    g_error ("“%s” should have been refused to %s, but it ran", sql, PQuser (conn));
  g_assert_cmpstr (PQresultErrorField (res, PG_DIAG_SQLSTATE), ==, sqlstate);
  PQclear (res);
}

/* Runs a data change that row-level security must hide every row from. */
static void
sql_no_rows (PGconn *conn, const char *sql)
{
  PGresult *res = sql_ok (conn, sql);

  g_assert_cmpstr (PQcmdTuples (res), ==, "0");
  PQclear (res);
}

static json_t *
parse_json (const char *text)
{
  json_error_t jerr;
  json_t *value = json_loads (text, JSON_REJECT_DUPLICATES, &jerr);

  if (value == NULL)
    g_error ("limner-cli printed invalid JSON (%s): %s", jerr.text, text);
  return value;
}

static void
add_user (const char *login, const char *role)
{
  g_autofree char *uri = uri_as ("lead1");
  Run r = cli ("users", uri, "add", login, "--role", role, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, login));
  run_clear (&r);
}

/* Creates the project as lead1 with limner-cli, adds the team with
 * limner-cli, and seeds a few rows as lead1. Every test calls it, so any
 * one of them can run alone. */
static void
ensure_project (void)
{
  g_autofree char *uri = uri_as ("lead1");
  PGconn *lead;
  json_t *init;
  Run r;

  if (project.ready)
    return;
  project.ready = TRUE;

  r = cli ("init", uri, "--name", "Street scenes", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  init = parse_json (r.out);
  g_assert_cmpstr (json_string_value (json_object_get (init, "lead")), ==, "lead1");
  g_assert_cmpstr (json_string_value (json_object_get (init, "name")), ==, "Street scenes");
  g_assert_cmpint (json_integer_value (json_object_get (init, "schema")), ==, 2);
  json_decref (init);
  run_clear (&r);

  add_user ("ann1", "annotator");
  add_user ("rev1", "reviewer");
  add_user ("ann2", "annotator");
  add_user ("lead2", "lead");

  lead = connect_as ("lead1");
  PQclear (sql_ok (lead, "INSERT INTO labels (name, color, position) VALUES ('car', '#ff0000', 0)"));
  PQclear (sql_ok (lead, "INSERT INTO settings (key, value) VALUES ('qc.rate', '0.1')"));
  /* Claimed now: a claim older than the claim timeout could be taken over. */
  project.own_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, claimed_at, added_at) "
    "VALUES ('a.png', 'aa', 1, 10, 10, 'png', 'in_progress', 'ann1', " NOW_S ", 0) RETURNING id");
  project.other_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, claimed_at, added_at) "
    "VALUES ('b.png', 'bb', 1, 10, 10, 'png', 'in_progress', 'ann2', " NOW_S ", 0) RETURNING id");
  project.stale_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, claimed_at, added_at) "
    "VALUES ('s.png', 'ss', 1, 10, 10, 'png', 'in_progress', 'ann2', 1, 0) RETURNING id");
  project.submitted = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, last_annotator, "
    "added_at) VALUES ('d.png', 'dd', 1, 10, 10, 'png', 'submitted', 'ann1', 'ann1', 0) RETURNING id");
  project.submitted_shape = sql_valuef (lead,
    "INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
    "VALUES (%s, 'box', '\\x0001', 'ann1', 0, 0) RETURNING id", project.submitted);
  project.review_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, added_at) "
    "VALUES ('c.png', 'cc', 1, 10, 10, 'png', 'in_review', 0) RETURNING id");
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
      "VALUES (%s, 'box', '\\x0001', 'ann2', 0, 0) RETURNING id", project.other_image);
    project.other_shape = sql_value (lead, sql);
  }
  /* Version 1, published the way publishing does it: rows, then the seal. */
  PQclear (sql_ok (lead, "INSERT INTO versions (number, author, created_at, message, policy) "
                         "VALUES (1, 'lead1', 0, 'first', 'done')"));
  PQclear (sql_ok (lead, "INSERT INTO version_labels (version, label_id, name, color, position) "
                         "VALUES (1, 1, 'car', '#ff0000', 0)"));
  PQclear (sql_ok (lead, "UPDATE versions SET n_images = 0, n_shapes = 0, sealed = 1 WHERE number = 1"));
  project.event = sql_value (lead, "INSERT INTO events (ts, login, kind) VALUES (0, 'x', 'seed') RETURNING id");
  PQfinish (lead);
}

static void
test_init (void)
{
  g_autofree char *uri = uri_as ("lead1");
  g_autofree char *admin_uri = limner_test_pg_uri (server, DB, "postgres");
  PGconn *admin;
  g_autofree char *groups = NULL;
  g_autofree char *is_lead = NULL;
  Run r;

  ensure_project ();

  admin = PQconnectdb (admin_uri);
  g_assert_cmpint (PQstatus (admin), ==, CONNECTION_OK);
  groups = sql_value (admin, "SELECT count(*) FROM pg_roles WHERE rolname IN "
                             "('limner_annotator', 'limner_reviewer', 'limner_lead') AND NOT rolcanlogin");
  g_assert_cmpstr (groups, ==, "3");
  is_lead = sql_value (admin, "SELECT pg_has_role('lead1', 'limner_lead', 'member')");
  g_assert_cmpstr (is_lead, ==, "t");
  PQfinish (admin);

  /* A second init finds the project. */
  r = cli ("init", uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "There is already a Limner project in the database “limner”"));
  run_clear (&r);
}

static void
test_init_refuses_non_empty (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "busy", "lead1");
  PGconn *conn;
  Run r;

  limner_test_pg_admin (server, "CREATE DATABASE busy OWNER lead1");
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PQclear (sql_ok (conn, "CREATE TABLE mine (x int)"));

  r = cli ("init", uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "“busy”"));
  g_assert_nonnull (strstr (r.err, "is not empty"));
  run_clear (&r);
  /* Nothing was added. */
  {
    g_autofree char *n = sql_value (conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    g_assert_cmpstr (n, ==, "1");
  }
  PQfinish (conn);
}

static void
test_init_needs_createrole (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "plain", "plain");
  PGconn *conn;
  Run r;

  limner_test_pg_admin (server, "CREATE ROLE plain LOGIN");
  limner_test_pg_admin (server, "CREATE DATABASE plain OWNER plain");

  r = cli ("init", uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "CREATEROLE"));
  g_assert_nonnull (strstr (r.err, "“plain”"));
  run_clear (&r);

  /* All or nothing: the failed init left no table behind. */
  conn = PQconnectdb (uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  {
    g_autofree char *n = sql_value (conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    g_assert_cmpstr (n, ==, "0");
  }
  PQfinish (conn);
}

static void
test_init_needs_utf8 (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "latin", "lead1");
  Run r;

  limner_test_pg_admin (server, "CREATE DATABASE latin OWNER lead1 ENCODING 'LATIN1' TEMPLATE template0");
  r = cli ("init", uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "“latin”"));
  g_assert_nonnull (strstr (r.err, "stores text as LATIN1"));
  run_clear (&r);
}

static void
test_users_list (void)
{
  g_autofree char *uri = uri_as ("ann1");
  /* The creator (lead1) also annotates and reviews, as on SQLite. */
  const char *expected[][2] = {
    { "ann1", "annotator" }, { "ann2", "annotator" }, { "lead1", "annotator,reviewer,lead" },
    { "lead2", "lead" }, { "rev1", "reviewer" },
  };
  json_t *users;
  Run r;

  ensure_project ();

  /* Anyone in the project may list the team. */
  r = cli ("users", uri, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  users = parse_json (r.out);
  g_assert_cmpint (json_array_size (users), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      json_t *u = json_array_get (users, i);
      json_t *roles = json_object_get (u, "roles");

      g_autoptr(GString) joined = g_string_new (NULL);

      g_assert_cmpstr (json_string_value (json_object_get (u, "login")), ==, expected[i][0]);
      for (size_t k = 0; k < json_array_size (roles); k++)
        g_string_append_printf (joined, "%s%s", k > 0 ? "," : "",
                                json_string_value (json_array_get (roles, k)));
      g_assert_cmpstr (joined->str, ==, expected[i][1]);
    }
  json_decref (users);
  run_clear (&r);
}

static void
test_users_change_roles (void)
{
  g_autofree char *uri = uri_as ("lead1");
  PGconn *admin;
  g_autofree char *roles = NULL;
  Run r;

  ensure_project ();

  r = cli ("users", uri, "add", "both", "--role", "annotator,reviewer", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("users", uri, "add", "both", "--role", "reviewer", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  admin = connect_as ("postgres");
  roles = sql_value (admin, "SELECT pg_has_role('both', 'limner_annotator', 'member')::text || ',' "
                            "|| pg_has_role('both', 'limner_reviewer', 'member')::text || ',' "
                            "|| (SELECT roles FROM users WHERE login = 'both')");
  g_assert_cmpstr (roles, ==, "false,true,2");
  PQfinish (admin);
}

static void
test_users_needs_lead (void)
{
  g_autofree char *uri = uri_as ("ann1");
  g_autofree char *n = NULL;
  PGconn *admin;
  Run r;

  ensure_project ();

  r = cli ("users", uri, "add", "eve", "--role", "lead", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "eve"));
  g_assert_nonnull (strstr (r.err, "permission denied"));
  run_clear (&r);

  /* Nor can the annotator grant themselves the lead role by hand. */
  {
    PGconn *ann = connect_as ("ann1");
    sql_refused (ann, "GRANT limner_lead TO ann1", DENIED);
    PQfinish (ann);
  }
  admin = connect_as ("postgres");
  n = sql_value (admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'eve'");
  g_assert_cmpstr (n, ==, "0");
  PQfinish (admin);
}

/* Every command works on a team project, through the same store calls. */
static void
test_other_commands_work (void)
{
  g_autofree char *uri = uri_as ("lead1");
  g_autofree char *ann = uri_as ("ann1");
  Run r;

  ensure_project ();

  r = cli ("labels", uri, "add", "tree", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("info", uri, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "tree"));
  run_clear (&r);
  /* An annotator may not add labels: the store says so, and the server
   * would refuse it anyway. */
  r = cli ("labels", ann, "add", "bush", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "ann1"));
  run_clear (&r);
}

static void
test_cli_errors (void)
{
  g_autofree char *missing = uri_as ("nobody_here");
  g_autofree char *no_db = limner_test_pg_uri (server, "nosuchdb", "lead1");
  g_autofree char *uri = uri_as ("lead1");
  Run r;

  ensure_project ();

  r = cli ("users", no_db, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Could not connect to the database “nosuchdb”"));
  g_assert_null (strchr (r.err, '\t'));
  run_clear (&r);

  r = cli ("users", missing, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "nobody_here"));
  run_clear (&r);

  /* --user connects as that role, as for every command: one that does not
   * exist is named. */
  r = cli ("users", uri, "--user", "someone", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "someone"));
  run_clear (&r);

  /* A database without a project. */
  {
    g_autofree char *postgres = limner_test_pg_uri (server, "postgres", "postgres");
    r = cli ("users", postgres, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "There is no Limner project in the database “postgres”"));
    run_clear (&r);
  }
}

static void
test_annotator_edits_own_image (void)
{
  PGconn *ann;
  g_autofree char *insert = NULL;
  g_autofree char *id = NULL;
  g_autofree char *update = NULL;
  g_autofree char *del = NULL;
  PGresult *res;

  ensure_project ();
  ann = connect_as ("ann1");

  insert = g_strdup_printf ("INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
                            "VALUES (%s, 'box', '\\x00', 'ann1', 1, 1) RETURNING id", project.own_image);
  id = sql_value (ann, insert);
  update = g_strdup_printf ("UPDATE shapes SET kind = 'polygon' WHERE id = %s", id);
  res = sql_ok (ann, update);
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  del = g_strdup_printf ("DELETE FROM shapes WHERE id = %s", id);
  res = sql_ok (ann, del);
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  PQfinish (ann);
}

static void
test_annotator_refused_on_other_image (void)
{
  PGconn *ann;
  g_autofree char *insert = NULL;
  g_autofree char *update = NULL;
  g_autofree char *del = NULL;
  g_autofree char *move = NULL;
  g_autofree char *own = NULL;
  g_autofree char *claim = NULL;
  g_autofree char *check = NULL;
  g_autofree char *after = NULL;

  ensure_project ();
  ann = connect_as ("ann1");

  insert = g_strdup_printf ("INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
                            "VALUES (%s, 'box', '\\x00', 'ann1', 1, 1)", project.other_image);
  sql_refused (ann, insert, DENIED);
  /* Row-level security hides the other image's shapes from changes. */
  update = g_strdup_printf ("UPDATE shapes SET kind = 'polygon' WHERE id = %s", project.other_shape);
  sql_no_rows (ann, update);
  del = g_strdup_printf ("DELETE FROM shapes WHERE id = %s", project.other_shape);
  sql_no_rows (ann, del);
  /* Nor can a shape of their own move onto it. */
  own = sql_valuef (ann, "INSERT INTO shapes (image_id, kind, points, author, created_at, "
                    "modified_at) VALUES (%s, 'box', '\\x00', 'ann1', 1, 1) RETURNING id",
                    project.own_image);
  move = g_strdup_printf ("UPDATE shapes SET image_id = %s WHERE id = %s", project.other_image, own);
  sql_refused (ann, move, DENIED);
  /* Nor take the image itself. */
  claim = g_strdup_printf ("UPDATE images SET assignee = 'ann1' WHERE id = %s", project.other_image);
  sql_no_rows (ann, claim);

  check = g_strdup_printf ("SELECT kind || ',' || row_version FROM shapes WHERE id = %s", project.other_shape);
  after = sql_value (ann, check);
  g_assert_cmpstr (after, ==, "box,1");
  PQfinish (ann);
}

static void
test_annotator_cannot_review (void)
{
  PGconn *ann;
  g_autofree char *sql = NULL;

  ensure_project ();
  ann = connect_as ("ann1");
  sql = g_strdup_printf ("INSERT INTO reviews (image_id, reviewer, decision, created_at) "
                         "VALUES (%s, 'ann1', 'accept', 1)", project.review_image);
  sql_refused (ann, sql, DENIED);
  sql_refused (ann, "INSERT INTO review_marks (review_id, shape_id) VALUES (1, 1)", DENIED);
  PQfinish (ann);
}

static void
test_annotator_cannot_change_labels (void)
{
  PGconn *ann;

  ensure_project ();
  ann = connect_as ("ann1");
  sql_refused (ann, "INSERT INTO labels (name, color, position) VALUES ('bus', '#00ff00', 1)", DENIED);
  sql_refused (ann, "UPDATE labels SET color = '#000000'", DENIED);
  sql_refused (ann, "DELETE FROM labels", DENIED);
  PQfinish (ann);
}

static void
test_annotator_cannot_change_settings (void)
{
  PGconn *ann;

  ensure_project ();
  ann = connect_as ("ann1");
  sql_refused (ann, "UPDATE settings SET value = '0' WHERE key = 'qc.rate'", DENIED);
  sql_refused (ann, "INSERT INTO settings (key, value) VALUES ('x', 'y')", DENIED);
  sql_refused (ann, "INSERT INTO targets (login, images_per_hour) VALUES ('ann1', 1)", DENIED);
  sql_refused (ann, "UPDATE users SET roles = 7", DENIED);
  PQfinish (ann);
}

static void
test_annotator_cannot_change_events (void)
{
  PGconn *ann;
  g_autofree char *update = NULL;
  g_autofree char *del = NULL;

  ensure_project ();
  ann = connect_as ("ann1");
  update = g_strdup_printf ("UPDATE events SET kind = 'nothing' WHERE id = %s", project.event);
  sql_refused (ann, update, DENIED);
  del = g_strdup_printf ("DELETE FROM events WHERE id = %s", project.event);
  sql_refused (ann, del, DENIED);
  sql_refused (ann, "TRUNCATE events", DENIED);
  PQfinish (ann);
}

static void
test_annotator_cannot_change_versions (void)
{
  PGconn *ann;

  ensure_project ();
  ann = connect_as ("ann1");
  sql_refused (ann, "UPDATE versions SET message = 'rewritten' WHERE number = 1", DENIED);
  sql_refused (ann, "DELETE FROM versions WHERE number = 1", DENIED);
  sql_refused (ann, "UPDATE version_labels SET name = 'truck'", DENIED);
  sql_refused (ann, "DELETE FROM version_labels", DENIED);
  sql_refused (ann, "INSERT INTO versions (number, author, created_at, message, policy) "
                    "VALUES (9, 'ann1', 0, 'mine', 'done')", DENIED);
  PQfinish (ann);
}

static void
test_log_and_versions_immutable_for_owner (void)
{
  PGconn *owner;
  g_autofree char *update = NULL;
  g_autofree char *del = NULL;

  ensure_project ();
  /* lead1 owns the tables, so only the triggers stand in the way. */
  owner = connect_as ("lead1");
  update = g_strdup_printf ("UPDATE events SET kind = 'nothing' WHERE id = %s", project.event);
  sql_refused (owner, update, DENIED);
  del = g_strdup_printf ("DELETE FROM events WHERE id = %s", project.event);
  sql_refused (owner, del, DENIED);
  sql_refused (owner, "UPDATE versions SET message = 'rewritten' WHERE number = 1", DENIED);
  sql_refused (owner, "DELETE FROM versions WHERE number = 1", DENIED);
  sql_refused (owner, "UPDATE version_labels SET name = 'truck'", DENIED);
  sql_refused (owner, "INSERT INTO version_labels (version, label_id, name, color, position) "
                      "VALUES (1, 2, 'bus', '#00ff00', 1)", DENIED);
  PQfinish (owner);
}

static void
test_reviewer_can_review (void)
{
  PGconn *rev;
  g_autofree char *ok = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *id = NULL;
  g_autofree char *mark = NULL;
  PGresult *res;

  ensure_project ();
  rev = connect_as ("rev1");
  ok = g_strdup_printf ("INSERT INTO reviews (image_id, reviewer, decision, comment, created_at) "
                        "VALUES (%s, 'rev1', 'reject', 'too loose', 1) RETURNING id", project.review_image);
  id = sql_value (rev, ok);
  mark = g_strdup_printf ("INSERT INTO review_marks (review_id, shape_id, note) VALUES (%s, 1, 'here')", id);
  res = sql_ok (rev, mark);
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  /* A decision is signed by the one who makes it. */
  forged = g_strdup_printf ("INSERT INTO reviews (image_id, reviewer, decision, created_at) "
                            "VALUES (%s, 'lead1', 'accept', 1)", project.review_image);
  sql_refused (rev, forged, DENIED);
  sql_refused (rev, "INSERT INTO labels (name, color, position) VALUES ('bus', '#00ff00', 1)", DENIED);
  PQfinish (rev);
}

static void
test_reviewer_fixes_shapes_in_review (void)
{
  PGconn *lead, *rev;
  g_autofree char *in_review = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *other = NULL;
  PGresult *res;

  ensure_project ();
  lead = connect_as ("lead1");
  in_review = sql_valuef (lead, "INSERT INTO shapes (image_id, kind, points, author, created_at, "
                          "modified_at) VALUES (%s, 'box', '\\x00', 'ann2', 1, 1) RETURNING id",
                          project.review_image);
  PQfinish (lead);

  rev = connect_as ("rev1");
  fix = g_strdup_printf ("UPDATE shapes SET score = 0.25 WHERE id = %s", in_review);
  res = sql_ok (rev, fix);
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  /* An image still being annotated is not the reviewer's to touch. */
  other = g_strdup_printf ("UPDATE shapes SET score = 0.25 WHERE id = %s", project.other_shape);
  sql_no_rows (rev, other);
  PQfinish (rev);
}

static void
test_annotator_cannot_add_images (void)
{
  PGconn *ann;
  g_autofree char *del = NULL;

  ensure_project ();
  ann = connect_as ("ann1");
  sql_refused (ann, "INSERT INTO images (path, sha256, size, width, height, format, added_at) "
                    "VALUES ('z.png', 'zz', 1, 1, 1, 'png', 0)", DENIED);
  del = g_strdup_printf ("DELETE FROM images WHERE id = %s", project.own_image);
  sql_refused (ann, del, DENIED);
  /* Nor change what an image is, even one they hold. */
  sql_refused (ann, "UPDATE images SET path = 'elsewhere.png'", DENIED);
  PQfinish (ann);
}

static void
test_lead_changes_labels_and_settings (void)
{
  PGconn *lead;
  g_autofree char *color = NULL;
  PGresult *res;

  ensure_project ();
  /* lead2 is a lead through the group role only, not the tables' owner. */
  lead = connect_as ("lead2");
  PQclear (sql_ok (lead, "INSERT INTO labels (name, color, position) VALUES ('person', '#0000ff', 5)"));
  res = sql_ok (lead, "UPDATE labels SET color = '#00ffff' WHERE name = 'person'");
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  color = sql_value (lead, "SELECT color FROM labels WHERE name = 'person'");
  g_assert_cmpstr (color, ==, "#00ffff");
  PQclear (sql_ok (lead, "UPDATE settings SET value = '0.2' WHERE key = 'qc.rate'"));
  PQclear (sql_ok (lead, "INSERT INTO targets (login, images_per_hour) VALUES ('ann1', 30)"));
  PQfinish (lead);
}

static void
test_lead_publishes (void)
{
  PGconn *lead;
  g_autofree char *shape = NULL;
  g_autofree char *sealed = NULL;
  PGresult *res;

  ensure_project ();
  lead = connect_as ("lead2");
  PQclear (sql_ok (lead, "INSERT INTO versions (number, parent, author, created_at, message, policy) "
                         "VALUES (2, 1, 'lead2', 5, 'second', 'all')"));
  shape = g_strdup_printf ("INSERT INTO version_shapes (version, shape_id, image_id, kind, points, group_id, "
                           "source, score, author, created_at, modified_at) "
                           "VALUES (2, %s, %s, 'box', '\\x0001', 0, 'manual', 1, 'ann2', 0, 0)",
                           project.other_shape, project.other_image);
  PQclear (sql_ok (lead, shape));
  res = sql_ok (lead, "UPDATE versions SET n_shapes = 1, sealed = 1 WHERE number = 2 AND sealed = 0");
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  sealed = sql_value (lead, "SELECT sealed || ',' || n_shapes FROM versions WHERE number = 2");
  g_assert_cmpstr (sealed, ==, "1,1");
  /* Once published, even a lead cannot change it. */
  sql_refused (lead, "UPDATE versions SET n_shapes = 5 WHERE number = 2", DENIED);
  sql_refused (lead, "DELETE FROM version_shapes WHERE version = 2", DENIED);
  PQfinish (lead);
}

static void
test_event_stamped_by_server (void)
{
  PGconn *ann;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PGresult *res;
  gint64 ts, t0, t1;

  ensure_project ();
  ann = connect_as ("ann1");
  before = sql_value (ann, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
  res = sql_ok (ann, "INSERT INTO events (ts, login, kind, detail) "
                     "VALUES (42, 'mallory', 'shape-add', 'forged') RETURNING login, ts");
  after = sql_value (ann, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "ann1");
  ts = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  t0 = g_ascii_strtoll (before, NULL, 10);
  t1 = g_ascii_strtoll (after, NULL, 10);
  g_assert_cmpint (ts, >=, t0);
  g_assert_cmpint (ts, <=, t1);
  PQclear (res);
  PQfinish (ann);
}

static void
test_shape_row_version (void)
{
  PGconn *ann;
  g_autofree char *id = NULL;
  g_autofree char *update = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *check = NULL;
  g_autofree char *version = NULL;
  PGresult *res;

  ensure_project ();
  ann = connect_as ("ann1");
  id = sql_valuef (ann, "INSERT INTO shapes (image_id, kind, points, author, created_at, "
                   "modified_at) VALUES (%s, 'box', '\\x00', 'ann1', 1, 1) RETURNING id",
                   project.own_image);
  update = g_strdup_printf ("UPDATE shapes SET score = 0.5 WHERE id = %s AND row_version = 1", id);
  res = sql_ok (ann, update);
  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
  /* A writer who read version 1 finds that someone changed it since. */
  stale = g_strdup_printf ("UPDATE shapes SET score = 0.7, row_version = 1 WHERE id = %s AND row_version = 1", id);
  sql_no_rows (ann, stale);
  check = g_strdup_printf ("SELECT row_version || ',' || score FROM shapes WHERE id = %s", id);
  version = sql_value (ann, check);
  g_assert_cmpstr (version, ==, "2,0.5");
  PQfinish (ann);
}

/* Runs a data change that must touch exactly one row. */
static void
sql_one_row (PGconn *conn, const char *sql)
{
  PGresult *res = sql_ok (conn, sql);

  g_assert_cmpstr (PQcmdTuples (res), ==, "1");
  PQclear (res);
}

static void
sql_one_rowf (PGconn *conn, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
sql_one_rowf (PGconn *conn, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  sql_one_row (conn, sql);
}

static void
sql_refusedf (PGconn *conn, const char *sqlstate, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
sql_refusedf (PGconn *conn, const char *sqlstate, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  sql_refused (conn, sql, sqlstate);
}

static void
sql_no_rowsf (PGconn *conn, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
sql_no_rowsf (PGconn *conn, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  sql_no_rows (conn, sql);
}

static void
test_annotator_takes_stale_claim (void)
{
  PGconn *ann;

  ensure_project ();
  ann = connect_as ("ann1");
  /* ann2's claim is older than the claim timeout, as claim_next() allows. */
  sql_one_rowf (ann, "UPDATE images SET status = 'in_progress', assignee = 'ann1', claimed_at = "
                NOW_S ", last_annotator = 'ann1' WHERE id = %s", project.stale_image);
  PQfinish (ann);
}

static void
test_annotator_cannot_accept (void)
{
  PGconn *ann;

  ensure_project ();
  ann = connect_as ("ann1");
  sql_refusedf (ann, DENIED, "UPDATE images SET status = 'accepted' WHERE id = %s", project.own_image);
  /* Nor take an image back out of review. */
  sql_no_rowsf (ann, "UPDATE images SET status = 'in_progress', assignee = 'ann1' WHERE id = %s",
                project.review_image);
  /* Once submitted, the shapes are not theirs to change, though they are
   * still the image's assignee. */
  sql_no_rowsf (ann, "UPDATE shapes SET score = 0.5 WHERE id = %s", project.submitted_shape);
  sql_no_rowsf (ann, "DELETE FROM shapes WHERE id = %s", project.submitted_shape);
  PQfinish (ann);
}

static void
test_annotator_writes_what_submit_writes (void)
{
  PGconn *ann;
  g_autofree char *score = NULL;

  ensure_project ();
  ann = connect_as ("ann1");
  /* The draw, signed by whoever submits. */
  sql_one_rowf (ann, "INSERT INTO qc_draws (image_id, seed, rate, ticket, drawn, login, ts) "
                "VALUES (%s, 1, 0.1, 0.5, 0, 'ann1', 1)", project.submitted);
  sql_refusedf (ann, DENIED, "INSERT INTO qc_draws (image_id, seed, rate, ticket, drawn, login, ts) "
                "VALUES (%s, 1, 0.1, 0.5, 0, 'ann2', 1)", project.submitted);
  /* The snapshot of an image they submitted, and of no other. */
  sql_one_rowf (ann, "INSERT INTO submitted_shapes (image_id, shape_id, kind, points, author) "
                "VALUES (%s, %s, 'box', '\\x0001', 'ann1')", project.submitted, project.submitted_shape);
  sql_one_rowf (ann, "DELETE FROM submitted_shapes WHERE image_id = %s", project.submitted);
  sql_refusedf (ann, DENIED, "INSERT INTO submitted_shapes (image_id, shape_id, kind, points, author) "
                "VALUES (%s, %s, 'box', '\\x0001', 'ann1')", project.other_image, project.other_shape);
  /* A gold score of their own, with the attempt's shapes. */
  score = sql_valuef (ann, "INSERT INTO gold_scores (image_id, annotator, threshold, tp, fp, fn, "
                      "iou_sum, created_at) VALUES (%s, 'ann1', 0.5, 1, 0, 0, 0.9, 1) RETURNING id",
                      project.own_image);
  sql_one_rowf (ann, "INSERT INTO gold_attempt_shapes (score_id, kind, points) VALUES (%s, 'box', '\\x00')",
                score);
  sql_refusedf (ann, DENIED, "INSERT INTO gold_scores (image_id, annotator, threshold, tp, fp, fn, "
                "iou_sum, created_at) VALUES (%s, 'ann2', 0.5, 1, 0, 0, 0.9, 1)", project.own_image);
  /* What is written stays written. */
  sql_refused (ann, "UPDATE qc_draws SET drawn = 1", DENIED);
  sql_refused (ann, "DELETE FROM gold_scores", DENIED);
  /* The lead's part: QC overrides, gold images; nobody's: the prediction
   * baseline, which only the trigger writes. */
  sql_refused (ann, "INSERT INTO qc_overrides (login, rate) VALUES ('ann1', 0)", DENIED);
  sql_refusedf (ann, DENIED, "INSERT INTO gold_images (image_id, marked_by, marked_at) VALUES (%s, 'ann1', 0)",
                project.own_image);
  sql_refusedf (ann, DENIED, "INSERT INTO prediction_baseline (shape_id, image_id, kind, points, score) "
                "VALUES (999, %s, 'box', '\\x00', 1)", project.own_image);
  sql_refused (ann, "INSERT INTO settings (key, value) VALUES ('qc.seed', '1')", DENIED);
  PQfinish (ann);
}

static void
test_prediction_baseline (void)
{
  PGconn *ann;
  g_autofree char *id = NULL;
  g_autofree char *manual = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *n = NULL;

  ensure_project ();
  ann = connect_as ("ann1");
  id = sql_valuef (ann, "INSERT INTO shapes (image_id, kind, points, source, score, author, created_at, "
                   "modified_at) VALUES (%s, 'box', '\\x0102', 'prediction', 0.75, 'ann1', 1, 1) RETURNING id",
                   project.own_image);
  kept = sql_valuef (ann, "SELECT kind || ',' || score || ',' || encode(points, 'hex') "
                     "FROM prediction_baseline WHERE shape_id = %s", id);
  g_assert_cmpstr (kept, ==, "box,0.75,0102");
  /* Correcting the prediction leaves the baseline as it was imported. */
  sql_one_rowf (ann, "UPDATE shapes SET points = '\\x0304' WHERE id = %s", id);
  g_free (kept);
  kept = sql_valuef (ann, "SELECT encode(points, 'hex') FROM prediction_baseline WHERE shape_id = %s", id);
  g_assert_cmpstr (kept, ==, "0102");
  manual = sql_valuef (ann, "INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
                       "VALUES (%s, 'box', '\\x00', 'ann1', 1, 1) RETURNING id", project.own_image);
  n = sql_valuef (ann, "SELECT count(*) FROM prediction_baseline WHERE shape_id = %s", manual);
  g_assert_cmpstr (n, ==, "0");
  PQfinish (ann);
}

static void
test_reviewer_turns_accept_into_fix (void)
{
  PGconn *rev, *ann;
  g_autofree char *id = NULL;

  ensure_project ();
  rev = connect_as ("rev1");
  id = sql_valuef (rev, "INSERT INTO reviews (image_id, reviewer, decision, created_at) "
                   "VALUES (%s, 'rev1', 'accept', 1) RETURNING id", project.review_image);
  sql_one_rowf (rev, "INSERT INTO review_corrections (review_id, image_id, shape_id, change, reviewer) "
                "VALUES (%s, %s, 1, 'added', 'rev1')", id, project.review_image);
  sql_refusedf (rev, DENIED, "INSERT INTO review_corrections (review_id, image_id, shape_id, change, reviewer) "
                "VALUES (%s, %s, 1, 'added', 'lead1')", id, project.review_image);
  sql_refusedf (rev, DENIED, "INSERT INTO review_corrections (review_id, image_id, shape_id, change, reviewer) "
                "VALUES (%s, %s, 1, 'added', 'rev1')", id, project.other_image);
  sql_one_rowf (rev, "UPDATE reviews SET decision = 'fix' WHERE id = %s", id);
  /* Nothing else about a decision changes, and a fix stays a fix. */
  sql_no_rowsf (rev, "UPDATE reviews SET decision = 'accept' WHERE id = %s", id);
  sql_refusedf (rev, DENIED, "UPDATE reviews SET comment = 'rewritten' WHERE id = %s", id);
  sql_refused (rev, "DELETE FROM reviews", DENIED);
  /* A reviewer decides images waiting for review, nothing else. */
  PQclear (sql_ok (rev, "BEGIN"));
  sql_one_rowf (rev, "UPDATE images SET status = 'accepted' WHERE id = %s", project.review_image);
  PQclear (sql_ok (rev, "ROLLBACK"));
  sql_no_rowsf (rev, "UPDATE images SET status = 'accepted' WHERE id = %s", project.own_image);
  sql_refusedf (rev, DENIED, "UPDATE images SET status = 'new' WHERE id = %s", project.review_image);
  /* Submitting is not a reviewer's. */
  sql_refusedf (rev, DENIED, "INSERT INTO qc_draws (image_id, seed, rate, ticket, drawn, login, ts) "
                "VALUES (%s, 1, 0.1, 0.5, 0, 'rev1', 1)", project.review_image);
  PQfinish (rev);

  ann = connect_as ("ann1");
  sql_refusedf (ann, DENIED, "UPDATE reviews SET decision = 'fix' WHERE id = %s", id);
  sql_refusedf (ann, DENIED, "INSERT INTO review_corrections (review_id, image_id, shape_id, change, reviewer) "
                "VALUES (%s, %s, 1, 'added', 'ann1')", id, project.review_image);
  PQfinish (ann);
}

static void
test_lead_sets_qc (void)
{
  PGconn *lead;

  ensure_project ();
  /* lead2 is not the tables' owner: the GRANTs and policies let it. */
  lead = connect_as ("lead2");
  sql_one_row (lead, "INSERT INTO qc_overrides (login, rate, first_n) VALUES ('ann1', 0.5, 3)");
  sql_one_rowf (lead, "INSERT INTO gold_images (image_id, marked_by, marked_at) VALUES (%s, 'lead2', 0)",
                project.review_image);
  sql_one_row (lead, "INSERT INTO settings (key, value) VALUES ('gold.rate', '0.1')");
  sql_one_row (lead, "INSERT INTO targets (login, acceptance_rate, gold_iou) VALUES ('ann2', 0.9, 0.7)");
  /* The seed of the review draw was made by the server at init. */
  {
    g_autofree char *seed = sql_value (lead, "SELECT value ~ '^[0-9]+$' FROM settings WHERE key = 'qc.seed'");
    g_assert_cmpstr (seed, ==, "t");
  }
  PQfinish (lead);
}

/* Schema parity */

static const char *
sqlite_family (const char *declared)
{
  if (g_ascii_strcasecmp (declared, "INTEGER") == 0)
    return "integer";
  if (g_ascii_strcasecmp (declared, "REAL") == 0)
    return "real";
  if (g_ascii_strcasecmp (declared, "TEXT") == 0)
    return "text";
  if (g_ascii_strcasecmp (declared, "BLOB") == 0)
    return "blob";
  return declared;
}

static const char *
pg_family (const char *data_type)
{
  if (g_str_equal (data_type, "bigint") || g_str_equal (data_type, "integer")
      || g_str_equal (data_type, "smallint"))
    return "integer";
  if (g_str_equal (data_type, "double precision"))
    return "real";
  if (g_str_equal (data_type, "text"))
    return "text";
  if (g_str_equal (data_type, "bytea"))
    return "blob";
  return data_type;
}

static sqlite3 *
open_sqlite (const char *dir, int flags)
{
  g_autofree char *path = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    g_error ("could not open %s: %s", path, sqlite3_errmsg (db));
  return db;
}

static char *
sqlite_value (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* "table.column family" for every column of every table, tables by name,
 * columns in order; a table without a primary key ends with SQLite's
 * implicit rowid. */
static char *
sqlite_columns (const char *dir)
{
  sqlite3 *db = open_sqlite (dir, SQLITE_OPEN_READONLY);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >, 0);
  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = tables->pdata[i];
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(\"%s\")", table);
      gboolean has_key = FALSE;

      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (out, "%s.%s %s\n", table, (const char *) sqlite3_column_text (stmt, 1),
                                  sqlite_family ((const char *) sqlite3_column_text (stmt, 2)));
          has_key = has_key || sqlite3_column_int (stmt, 5) > 0;
        }
      sqlite3_finalize (stmt);
      if (!has_key)
        g_string_append_printf (out, "%s.rowid integer\n", table);
    }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
pg_columns (PGconn *conn)
{
  PGresult *res = sql_ok (conn, "SELECT table_name, column_name, data_type FROM information_schema.columns "
                                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position");
  GString *out = g_string_new (NULL);

  for (int r = 0; r < PQntuples (res); r++)
    g_string_append_printf (out, "%s.%s %s\n", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                            pg_family (PQgetvalue (res, r, 2)));
  PQclear (res);
  return g_string_free (out, FALSE);
}

static void
test_schema_parity (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-parity-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "project", NULL);
  g_autofree char *local = NULL;
  g_autofree char *team = NULL;
  g_autofree char *binary = NULL;
  PGconn *conn;

  g_assert_no_error (error);
  ensure_project ();
  store = limner_store_create (dir, "Parity", "lead1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_get_schema_version (store), ==, LIMNER_STORE_SCHEMA_VERSION);
  g_clear_object (&store);

  /* The same tables with the same columns, in the same order, of the same
   * type families: the store's SQL runs on both. */
  local = sqlite_columns (dir);
  conn = connect_as ("lead1");
  team = pg_columns (conn);
  g_assert_cmpstr (team, ==, local);
  /* Text compares and sorts bytewise on both, as SQLite's BINARY does. */
  binary = sql_value (conn, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                            "AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'");
  g_assert_cmpstr (binary, ==, "0");
  PQfinish (conn);
  limner_test_rm_rf (tmp);
}

/* limner-cli migrate */

static char *local_tmp;
static char *local_dir;

static LimnerStore *
open_local_as (const char *login)
{
  g_autoptr(GError) error = NULL;
  LimnerStore *store = limner_store_open (local_dir, login, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
add_box (LimnerStore *store, gint64 image, gint64 label, LimnerShapeSource source, double x)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double box[] = { x, 10, x + 20, 30.25 };

  shape->image_id = image;
  shape->label_id = label;
  shape->source = source;
  shape->score = source == LIMNER_SOURCE_PREDICTION ? 0.8 : 1;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);
  return shape->id;
}

/* A local project with something in every table: the demo's images,
 * labels and reference shapes; annotators' shapes and predictions, submits
 * with their draws, a gold score, reviews with marks and corrections, QC
 * settings and targets, and a published version. Built once. */
static void
ensure_local_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) lead = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerStore) rev = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  LimnerTargets targets = { 20, 100, 0.9, 0.7 };
  LimnerReviewMark mark = { 0 };
  LimnerShape *fixed;
  gint64 image[4], label;

  if (local_dir != NULL)
    return;
  local_tmp = g_dir_make_tmp ("limner-migrate-XXXXXX", &error);
  g_assert_no_error (error);
  local_dir = g_build_filename (local_tmp, "streets", NULL);

  lead = limner_store_create (local_dir, "Streets", "lead1", &error);
  g_assert_no_error (error);
  g_assert_true (limner_demo_generate (lead, NULL, 6, 3, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (lead, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (lead, "rev1", LIMNER_ROLE_REVIEWER, &error));
  /* Not a name PostgreSQL lets anyone log in as. */
  g_assert_true (limner_store_set_user_roles (lead, "pg_guest", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_qc_set_rate (lead, 1, &error));
  g_assert_true (limner_store_qc_set_override (lead, "ann1", 1, 2, &error));
  g_assert_true (limner_store_set_targets (lead, NULL, &targets, &error));
  g_assert_no_error (error);
  images = limner_store_list_images (lead, &error);
  labels = limner_store_list_labels (lead, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (image); i++)
    image[i] = ((LimnerImageRecord *) images->pdata[i])->id;
  label = ((LimnerLabel *) labels->pdata[0])->id;
  g_assert_true (limner_store_set_gold (lead, image[3], TRUE, &error));
  g_assert_no_error (error);

  /* Three images annotated and submitted (all drawn for review), with a
   * prediction on each; a gold image attempted, scored and cleared, which
   * leaves SQLite's AUTOINCREMENT mark past the highest shape id. */
  ann = open_local_as ("ann1");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (limner_store_claim (ann, image[i], &error));
      add_box (ann, image[i], label, LIMNER_SOURCE_MANUAL, 5);
      add_box (ann, image[i], label, LIMNER_SOURCE_MANUAL, 40);
      add_box (ann, image[i], label, LIMNER_SOURCE_PREDICTION, 80);
      g_assert_true (limner_store_submit (ann, image[i], NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (limner_store_claim (ann, image[3], &error));
  add_box (ann, image[3], label, LIMNER_SOURCE_MANUAL, 7);
  g_assert_true (limner_store_submit (ann, image[3], NULL, &error));
  g_assert_no_error (error);

  /* Accepted with a mark, rejected with a comment and a point, and fixed. */
  rev = open_local_as ("rev1");
  shapes = limner_store_list_shapes (rev, image[0], &error);
  mark.shape_id = ((LimnerShape *) shapes->pdata[0])->id;
  mark.kind = LIMNER_MARK_LOOSE_OUTLINE;
  g_assert_cmpint (limner_store_decide (rev, image[0], LIMNER_REVIEW_ACCEPT, "fine\ttab\\slash", &mark, 1, &error), >, 0);
  mark.shape_id = 0;
  mark.kind = LIMNER_MARK_MISSING_OBJECT;
  mark.x = 12.5;
  mark.y = 1.0 / 3;
  g_assert_cmpint (limner_store_decide (rev, image[1], LIMNER_REVIEW_REJECT, "loose\nboxes", &mark, 1, &error), >, 0);
  g_clear_pointer (&shapes, g_ptr_array_unref);
  shapes = limner_store_list_shapes (rev, image[2], &error);
  fixed = shapes->pdata[1];
  g_array_index (fixed->points, double, 2) += 2.5;
  g_assert_true (limner_store_update_shape (rev, fixed, &error));
  g_assert_cmpint (limner_store_decide (rev, image[2], LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpint (limner_store_publish (lead, "first", LIMNER_PUBLISH_ALL, &error), ==, 1);
  g_assert_no_error (error);
}

static json_t *
table_report (json_t *report, const char *name)
{
  json_t *tables = json_object_get (report, "tables");
  size_t i;
  json_t *t;

  json_array_foreach (tables, i, t)
    if (g_str_equal (json_string_value (json_object_get (t, "table")), name))
      return t;
  g_error ("the migration's report has no table %s", name);
}

static char *
events_as_text_sqlite (void)
{
  sqlite3 *db = open_sqlite (local_dir, SQLITE_OPEN_READONLY);
  char *text = sqlite_value (db, "SELECT group_concat(e, ';') FROM (SELECT id || ',' || ts || ',' || login "
                                 "|| ',' || kind AS e FROM events ORDER BY id)");

  sqlite3_close (db);
  return text;
}

/* Every file under `a` is under `b` with the same bytes, and the other way
 * round; returns how many files there are. */
static guint
assert_same_tree (const char *a, const char *b)
{
  g_autoptr(GDir) dir = g_dir_open (a, 0, NULL);
  const char *name;
  guint n = 0, n_b = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pa = g_build_filename (a, name, NULL);
      g_autofree char *pb = g_build_filename (b, name, NULL);

      if (g_file_test (pa, G_FILE_TEST_IS_DIR))
        n += assert_same_tree (pa, pb);
      else
        {
          g_autofree char *ca = NULL, *cb = NULL;
          gsize la = 0, lb = 0;

          g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
          if (!g_file_get_contents (pb, &cb, &lb, NULL))
            g_error ("%s is missing after migration", pb);
          if (la != lb || memcmp (ca, cb, la) != 0)
            g_error ("%s and %s differ", pa, pb);
          n++;
        }
    }
  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (b, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pa = g_build_filename (a, name, NULL);

      if (!g_file_test (pa, G_FILE_TEST_EXISTS))
        g_error ("%s/%s exists only after migration", b, name);
      n_b++;
    }
  return n;
}

static void
test_migrate_demo (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "migrated", "lead1");
  g_autofree char *local_events = NULL;
  g_autofree char *team_events = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *new_shape = NULL;
  g_autofree char *value = NULL;
  g_autofree char *n_tables = NULL;
  const char *must_have_rows[] = {
    "settings", "users", "labels", "images", "shapes", "reference_shapes", "events", "qc_draws",
    "reviews", "review_marks", "targets", "versions", "version_labels", "version_images",
    "version_shapes", "qc_overrides", "gold_images", "gold_scores", "gold_attempt_shapes",
    "submitted_shapes", "review_corrections", "prediction_baseline",
  };
  json_t *report, *t, *pending;
  PGconn *lead, *ann;
  sqlite3 *db;
  size_t i;
  Run r;

  ensure_project ();
  ensure_local_project ();
  limner_test_pg_admin (server, "CREATE DATABASE migrated OWNER lead1");

  r = cli ("migrate", local_dir, uri, "--json", NULL);
  if (r.status != 0)
    g_error ("migrate failed (%d): %s%s", r.status, r.out, r.err);
  report = parse_json (r.out);
  run_clear (&r);
  g_assert_true (json_is_true (json_object_get (report, "migrated")));
  g_assert_cmpstr (json_string_value (json_object_get (report, "lead")), ==, "lead1");

  /* Every table of the project, each the same on both sides, and none
   * empty: the project exercises them all. */
  db = open_sqlite (local_dir, SQLITE_OPEN_READONLY);
  n_tables = sqlite_value (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                               "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
  seq = sqlite_value (db, "SELECT seq FROM sqlite_sequence WHERE name = 'shapes'");
  value = sqlite_value (db, "SELECT max(id) < (SELECT seq FROM sqlite_sequence WHERE name = 'shapes') FROM shapes");
  sqlite3_close (db);
  g_assert_cmpstr (value, ==, "1");
  g_assert_cmpint (json_array_size (json_object_get (report, "tables")), ==, g_ascii_strtoll (n_tables, NULL, 10));
  json_array_foreach (json_object_get (report, "tables"), i, t)
    {
      g_assert_true (json_is_true (json_object_get (t, "same")));
      g_assert_cmpint (json_integer_value (json_object_get (t, "sqlite_rows")), ==,
                       json_integer_value (json_object_get (t, "server_rows")));
      g_assert_cmpuint (strlen (json_string_value (json_object_get (t, "server_sha256"))), ==, 64);
    }
  for (guint k = 0; k < G_N_ELEMENTS (must_have_rows); k++)
    g_assert_cmpint (json_integer_value (json_object_get (table_report (report, must_have_rows[k]),
                                                          "server_rows")), >, 0);

  /* The team: roles for ann1 and rev1; pg_guest cannot be a login. */
  pending = json_object_get (report, "pending_users");
  g_assert_cmpint (json_array_size (pending), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (pending, 0), "login")), ==, "pg_guest");
  g_assert_cmpint (json_array_size (json_object_get (report, "users")), ==, 3);
  json_decref (report);

  lead = connect_as_db ("lead1", "migrated");
  /* Events keep their users and times: the stamp trigger was off. */
  local_events = events_as_text_sqlite ();
  /* Every event, as it was; migrate's own setting of the image root comes
   * after them. */
  team_events = sql_value (lead, "SELECT string_agg(id || ',' || ts || ',' || login || ',' || kind, ';' "
                                 "ORDER BY id) FROM events WHERE kind <> 'project.image_root'");
  g_assert_cmpstr (team_events, ==, local_events);
  g_assert_nonnull (strstr (team_events, ",ann1,shape.add"));
  g_assert_nonnull (strstr (team_events, ",rev1,review.reject"));
  g_free (value);
  value = sql_value (lead, "SELECT sealed || ',' || n_shapes FROM versions WHERE number = 1");
  g_assert_true (g_str_has_prefix (value, "1,"));

  /* The triggers are on again, for the owner too. */
  sql_refused (lead, "UPDATE events SET kind = 'rewritten' WHERE id = 1", DENIED);
  sql_refused (lead, "UPDATE versions SET message = 'rewritten' WHERE number = 1", DENIED);
  g_free (value);
  value = sql_value (lead, "INSERT INTO events (ts, login, kind) VALUES (1, 'mallory', 'test') "
                           "RETURNING login || ',' || (ts > 1000000000000000)");
  g_assert_cmpstr (value, ==, "lead1,true");

  /* New ids start past every id SQLite ever handed out. */
  new_shape = sql_value (lead, "INSERT INTO shapes (image_id, kind, points, source, score, author, "
                               "created_at, modified_at) SELECT min(id), 'box', '\\x00', 'prediction', "
                               "0.5, 'lead1', 0, 0 FROM images RETURNING id");
  g_assert_cmpint (g_ascii_strtoll (new_shape, NULL, 10), >, g_ascii_strtoll (seq, NULL, 10));
  g_free (value);
  value = sql_valuef (lead, "SELECT count(*) FROM prediction_baseline WHERE shape_id = %s", new_shape);
  g_assert_cmpstr (value, ==, "1");
  g_free (value);
  value = sql_value (lead, "SELECT (SELECT max(id) FROM labels) < nextval(pg_get_serial_sequence('labels', 'id'))");
  g_assert_cmpstr (value, ==, "t");
  g_free (value);
  value = sql_value (lead, "SELECT pg_has_role('ann1', 'migrated_annotator', 'member')::text || ',' "
                           "|| pg_has_role('rev1', 'migrated_reviewer', 'member')::text || ',' "
                           "|| pg_has_role('lead1', 'migrated_lead', 'member')::text || ',' "
                           "|| pg_has_role('rev1', 'migrated_annotator', 'member')::text");
  g_assert_cmpstr (value, ==, "true,true,true,false");
  PQfinish (lead);

  /* The annotator reads the migrated project as any team project. */
  ann = connect_as_db ("ann1", "migrated");
  g_free (value);
  value = sql_value (ann, "SELECT count(*) > 0 FROM shapes");
  g_assert_cmpstr (value, ==, "t");
  sql_refused (ann, "UPDATE versions SET message = 'mine'", DENIED);
  PQfinish (ann);

  /* Published versions export to the same bytes before and after, in every
   * format: the images stay where they were, under the image root that
   * migrate gave the project (its folder). */
  {
    const char *formats[] = { "limner", "coco", "yolo", "voc", "labelme" };
    g_autofree char *tmp = g_dir_make_tmp ("limner-migrate-export-XXXXXX", NULL);

    for (i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autofree char *before = g_build_filename (tmp, formats[i], "before", NULL);
        g_autofree char *after = g_build_filename (tmp, formats[i], "after", NULL);
        guint n;

        r = cli ("export", local_dir, "--format", formats[i], "--version", "1", "--out", before, NULL);
        g_assert_cmpint (r.status, ==, 0);
        run_clear (&r);
        r = cli ("export", uri, "--format", formats[i], "--version", "1", "--out", after, NULL);
        if (r.status != 0)
          g_error ("export of the migrated project failed: %s", r.err);
        run_clear (&r);
        n = assert_same_tree (before, after);
        g_test_message ("%s: %u files identical before and after migration", formats[i], n);
        g_assert_cmpuint (n, >=, 2);
      }
    limner_test_rm_rf (tmp);
  }

  /* A second migration into the same database is refused. */
  r = cli ("migrate", local_dir, uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "There is already a Limner project in the database “migrated”"));
  run_clear (&r);
}

static void
test_migrate_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = limner_test_pg_uri (server, "migbusy", "lead1");
  g_autofree char *tmp = g_dir_make_tmp ("limner-newer-XXXXXX", &error);
  g_autofree char *newer = g_build_filename (tmp, "newer", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  LimnerStore *store;
  PGconn *conn;
  sqlite3 *db;
  Run r;

  g_assert_no_error (error);
  ensure_project ();
  ensure_local_project ();
  limner_test_pg_admin (server, "CREATE DATABASE migbusy OWNER lead1");

  r = cli ("migrate", missing, uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, missing));
  g_assert_nonnull (strstr (r.err, "does not exist"));
  run_clear (&r);

  store = limner_store_create (newer, NULL, "lead1", &error);
  g_assert_no_error (error);
  g_object_unref (store);
  db = open_sqlite (newer, SQLITE_OPEN_READWRITE);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  r = cli ("migrate", newer, uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "newer version of Limner"));
  run_clear (&r);

  conn = connect_as_db ("lead1", "migbusy");
  PQclear (sql_ok (conn, "CREATE TABLE mine (x int)"));
  r = cli ("migrate", local_dir, uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "“migbusy”"));
  g_assert_nonnull (strstr (r.err, "is not empty"));
  run_clear (&r);
  {
    g_autofree char *n = sql_value (conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    g_assert_cmpstr (n, ==, "1");
  }
  PQfinish (conn);

  /* Rows a SQLite file holds but PostgreSQL would not: a value of the
   * wrong type (SQLite keeps what it is given), a shape whose label is gone
   * (written with foreign keys off). Nothing is left behind. */
  {
    g_autofree char *broken = g_build_filename (tmp, "broken", NULL);
    g_autofree char *empty_uri = limner_test_pg_uri (server, "migempty", "lead1");
    g_autofree char *n = NULL;
    g_autofree char *sha = NULL;

    limner_test_pg_admin (server, "CREATE DATABASE migempty OWNER lead1");
    store = limner_store_create (broken, NULL, "lead1", &error);
    g_assert_no_error (error);
    sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "a.png", -1);
    g_assert_cmpint (limner_store_add_image (store, "a.png", sha, 1, 10, 10, "png", &error), ==, 1);
    g_object_unref (store);
    db = open_sqlite (broken, SQLITE_OPEN_READWRITE);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE events SET ts = 'yesterday' WHERE id = 1", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    r = cli ("migrate", broken, empty_uri, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "row 1 of the table events holds a TEXT in the column ts"));
    run_clear (&r);

    g_assert_cmpint (sqlite3_exec (db, "UPDATE events SET ts = 1 WHERE id = 1; "
                                       "INSERT INTO shapes (image_id, label_id, kind, points, author, "
                                       "created_at, modified_at) VALUES (1, 999, 'box', x'00', 'x', 0, 0)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    r = cli ("migrate", broken, empty_uri, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "shapes_label_id_fkey"));
    run_clear (&r);

    conn = connect_as_db ("lead1", "migempty");
    n = sql_value (conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    g_assert_cmpstr (n, ==, "0");
    PQfinish (conn);
  }

  /* The folder first, then the URI. */
  r = cli ("migrate", uri, local_dir, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "folder first"));
  run_clear (&r);
  r = cli ("migrate", local_dir, local_dir, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "postgresql://"));
  run_clear (&r);
  limner_test_rm_rf (tmp);
}

/* Something on the server changes a table between the copy and the read
 * back (here an event trigger, planted by the superuser, that recolours the
 * labels when the migration turns their triggers back on): the migration
 * names the table, exits 1 and leaves the database empty. */
static void
test_migrate_mismatch (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "tampered", "lead1");
  g_autofree char *n = NULL;
  PGconn *admin, *conn;
  Run r;

  ensure_project ();
  ensure_local_project ();
  limner_test_pg_admin (server, "CREATE DATABASE tampered OWNER lead1");
  admin = connect_as_db ("postgres", "tampered");
  PQclear (sql_ok (admin, "CREATE FUNCTION public_tamper () RETURNS event_trigger LANGUAGE plpgsql AS $$ "
                          "BEGIN "
                          "  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands () "
                          "             WHERE object_identity = 'public.labels') THEN "
                          "    UPDATE public.labels SET color = '#000000'; "
                          "  END IF; "
                          "END $$"));
  PQclear (sql_ok (admin, "CREATE EVENT TRIGGER tamper ON ddl_command_end WHEN TAG IN ('ALTER TABLE') "
                          "EXECUTE FUNCTION public_tamper ()"));
  PQfinish (admin);

  r = cli ("migrate", local_dir, uri, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "The copy of the table labels does not match the project"));
  g_assert_nonnull (strstr (r.err, "nothing was migrated"));
  g_assert_nonnull (strstr (r.out, "DIFFERS"));
  run_clear (&r);

  conn = connect_as_db ("lead1", "tampered");
  n = sql_value (conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  g_assert_cmpstr (n, ==, "0");
  PQfinish (conn);
}

/* A lead who may not create roles (but was given the group roles, which
 * already existed, with ADMIN OPTION) migrates; the users are listed for
 * `users add` instead. */
static void
test_migrate_without_createrole (void)
{
  g_autofree char *uri = limner_test_pg_uri (server, "kept", "keeper");
  json_t *report, *pending;
  Run r;

  ensure_project ();
  ensure_local_project ();
  limner_test_pg_admin (server, "CREATE ROLE keeper LOGIN");
  limner_test_pg_admin (server, "CREATE DATABASE kept OWNER keeper");
  limner_test_pg_admin (server, "CREATE ROLE kept_annotator NOLOGIN");
  limner_test_pg_admin (server, "CREATE ROLE kept_reviewer NOLOGIN");
  limner_test_pg_admin (server, "CREATE ROLE kept_lead NOLOGIN");
  limner_test_pg_admin (server, "GRANT kept_lead TO keeper WITH ADMIN OPTION");

  r = cli ("migrate", local_dir, uri, "--json", NULL);
  if (r.status != 0)
    g_error ("migrate failed (%d): %s%s", r.status, r.out, r.err);
  report = parse_json (r.out);
  run_clear (&r);
  g_assert_cmpstr (json_string_value (json_object_get (report, "lead")), ==, "keeper");
  g_assert_cmpint (json_array_size (json_object_get (report, "users")), ==, 0);
  pending = json_object_get (report, "pending_users");
  g_assert_cmpint (json_array_size (pending), ==, 4);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (pending, 0), "login")), ==, "ann1");
  g_assert_nonnull (strstr (json_string_value (json_object_get (json_array_get (pending, 0), "reason")),
                            "CREATEROLE"));
  json_decref (report);

  /* Text mode lists them too. */
  limner_test_pg_admin (server, "CREATE DATABASE kept2 OWNER keeper");
  {
    g_autofree char *uri2 = limner_test_pg_uri (server, "kept2", "keeper");

    limner_test_pg_admin (server, "CREATE ROLE kept2_annotator NOLOGIN");
    limner_test_pg_admin (server, "CREATE ROLE kept2_reviewer NOLOGIN");
    limner_test_pg_admin (server, "CREATE ROLE kept2_lead NOLOGIN");
    limner_test_pg_admin (server, "GRANT kept2_lead TO keeper WITH ADMIN OPTION");
    r = cli ("migrate", local_dir, uri2, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "still need “limner-cli users URI add LOGIN --role ROLE”"));
    g_assert_nonnull (strstr (r.out, "rev1"));
    g_assert_null (strstr (r.out, "kept2?"));
    run_clear (&r);
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  {
    g_autoptr(GError) error = NULL;

    /* The demo writes images with libvips. */
    if (!limner_core_init (argv[0], &error))
      g_error ("%s", error->message);
  }

  server = limner_test_pg_start ();
  limner_test_pg_admin (server, "CREATE ROLE lead1 LOGIN CREATEROLE");
  limner_test_pg_admin (server, "CREATE DATABASE " DB " OWNER lead1");

  g_test_add_func ("/pg/cli/init", test_init);
  g_test_add_func ("/pg/cli/init-refuses-non-empty", test_init_refuses_non_empty);
  g_test_add_func ("/pg/cli/init-needs-createrole", test_init_needs_createrole);
  g_test_add_func ("/pg/cli/init-needs-utf8", test_init_needs_utf8);
  g_test_add_func ("/pg/cli/users-list", test_users_list);
  g_test_add_func ("/pg/cli/users-change-roles", test_users_change_roles);
  g_test_add_func ("/pg/cli/users-needs-lead", test_users_needs_lead);
  g_test_add_func ("/pg/cli/other-commands-work", test_other_commands_work);
  g_test_add_func ("/pg/cli/errors", test_cli_errors);
  g_test_add_func ("/pg/rules/annotator-edits-own-image", test_annotator_edits_own_image);
  g_test_add_func ("/pg/rules/annotator-refused-on-other-image", test_annotator_refused_on_other_image);
  g_test_add_func ("/pg/rules/annotator-cannot-review", test_annotator_cannot_review);
  g_test_add_func ("/pg/rules/annotator-cannot-change-labels", test_annotator_cannot_change_labels);
  g_test_add_func ("/pg/rules/annotator-cannot-change-settings", test_annotator_cannot_change_settings);
  g_test_add_func ("/pg/rules/annotator-cannot-change-events", test_annotator_cannot_change_events);
  g_test_add_func ("/pg/rules/annotator-cannot-change-versions", test_annotator_cannot_change_versions);
  g_test_add_func ("/pg/rules/log-and-versions-immutable-for-owner", test_log_and_versions_immutable_for_owner);
  g_test_add_func ("/pg/rules/reviewer-can-review", test_reviewer_can_review);
  g_test_add_func ("/pg/rules/reviewer-fixes-shapes-in-review", test_reviewer_fixes_shapes_in_review);
  g_test_add_func ("/pg/rules/annotator-cannot-add-images", test_annotator_cannot_add_images);
  g_test_add_func ("/pg/rules/lead-changes-labels-and-settings", test_lead_changes_labels_and_settings);
  g_test_add_func ("/pg/rules/lead-publishes", test_lead_publishes);
  g_test_add_func ("/pg/rules/event-stamped-by-server", test_event_stamped_by_server);
  g_test_add_func ("/pg/rules/shape-row-version", test_shape_row_version);
  g_test_add_func ("/pg/rules/annotator-takes-stale-claim", test_annotator_takes_stale_claim);
  g_test_add_func ("/pg/rules/annotator-cannot-accept", test_annotator_cannot_accept);
  g_test_add_func ("/pg/rules/annotator-writes-what-submit-writes", test_annotator_writes_what_submit_writes);
  g_test_add_func ("/pg/rules/prediction-baseline", test_prediction_baseline);
  g_test_add_func ("/pg/rules/reviewer-turns-accept-into-fix", test_reviewer_turns_accept_into_fix);
  g_test_add_func ("/pg/rules/lead-sets-qc", test_lead_sets_qc);
  g_test_add_func ("/pg/schema/parity", test_schema_parity);
  g_test_add_func ("/pg/migrate/demo", test_migrate_demo);
  g_test_add_func ("/pg/migrate/refusals", test_migrate_refusals);
  g_test_add_func ("/pg/migrate/mismatch", test_migrate_mismatch);
  g_test_add_func ("/pg/migrate/without-createrole", test_migrate_without_createrole);

  status = g_test_run ();
  limner_test_pg_stop (server);
  if (local_tmp != NULL)
    limner_test_rm_rf (local_tmp);
  return status;
}
