/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Team mode on a real PostgreSQL 15 server: limner-cli init and users on a
 * postgresql:// URI, then every rule the server enforces, checked by
 * connecting as each role with libpq, as psql would. */

#include "config.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-test-pg.h"

#define DB "limner"
/* 42501: insufficient_privilege, which RLS violations and the triggers
 * raise too. */
#define DENIED "42501"

static LimnerTestPg *server;

/* What the project holds once set up (see ensure_project). */
static struct {
  gboolean ready;
  char    *own_image;     /* held by ann1 */
  char    *other_image;   /* held by ann2 */
  char    *review_image;  /* in review */
  char    *other_shape;   /* on other_image */
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
  project.own_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, added_at) "
    "VALUES ('a.png', 'aa', 1, 10, 10, 'png', 'in_progress', 'ann1', 0) RETURNING id");
  project.other_image = sql_value (lead,
    "INSERT INTO images (path, sha256, size, width, height, format, status, assignee, added_at) "
    "VALUES ('b.png', 'bb', 1, 10, 10, 'png', 'in_progress', 'ann2', 0) RETURNING id");
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

  r = cli ("users", uri, "--user", "someone", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--user"));
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

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  server = limner_test_pg_start ();
  limner_test_pg_admin (server, "CREATE ROLE lead1 LOGIN CREATEROLE");
  limner_test_pg_admin (server, "CREATE DATABASE " DB " OWNER lead1");

  g_test_add_func ("/pg/cli/init", test_init);
  g_test_add_func ("/pg/cli/init-refuses-non-empty", test_init_refuses_non_empty);
  g_test_add_func ("/pg/cli/init-needs-createrole", test_init_needs_createrole);
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

  status = g_test_run ();
  limner_test_pg_stop (server);
  return status;
}
