/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-pg.c: a team project in a PostgreSQL database, through libpq.
 *
 * Limner's roles are three group roles named after the database
 * (DB_annotator, DB_reviewer, DB_lead), so that one cluster can hold several
 * projects; each person logs in as their own role, a member of some of them.
 * The server enforces the rules (limner-pg-schema.c), so nothing here is a
 * check that matters for security: it only reports what the server says.
 *
 * With limner-pg-schema.c and limner-pg-migrate.c (which shares this
 * file's helpers through limner-pg-private.h), this is the only place with
 * PostgreSQL SQL. */

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "limner-pg-private.h"
#include "limner-pg-schema.h"

/* PostgreSQL truncates longer names (NAMEDATALEN - 1). */
#define PG_MAX_NAME 63

#define SETTING_SCHEMA "pg.schema_version"
#define SETTING_ROLES  "pg.roles"

struct _LimnerPg
{
  GObject parent_instance;

  /* Owned references */
  PGconn *conn;
  char   *description;
  char   *login;
  char   *groups[3]; /* annotator, reviewer, lead */
  int     schema_version;
};

G_DEFINE_TYPE (LimnerPg, limner_pg, G_TYPE_OBJECT)

G_DEFINE_QUARK (limner-pg-error-quark, limner_pg_error)

static const char *const group_suffixes[] = { "_annotator", "_reviewer", "_lead" };
static const LimnerRole group_roles[] = { LIMNER_ROLE_ANNOTATOR, LIMNER_ROLE_REVIEWER, LIMNER_ROLE_LEAD };

static void
limner_pg_finalize (GObject *object)
{
  LimnerPg *self = LIMNER_PG (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->description);
  g_free (self->login);
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    g_free (self->groups[i]);
  G_OBJECT_CLASS (limner_pg_parent_class)->finalize (object);
}

static void
limner_pg_class_init (LimnerPgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = limner_pg_finalize;
}

static void
limner_pg_init (LimnerPg *self)
{
}

gboolean
limner_pg_is_uri (const char *project)
{
  return project != NULL
         && (g_str_has_prefix (project, "postgresql://") || g_str_has_prefix (project, "postgres://"));
}

/* libpq messages run over several lines ("FATAL: ...\nHINT: ..."); a
 * GError holds one sentence. */
static char *
first_line (const char *text)
{
  g_autofree char *copy = g_strdup (text != NULL && *text != '\0' ? text : _("unknown error"));
  char *nl = strchr (copy, '\n');

  if (nl != NULL)
    *nl = '\0';
  g_strstrip (copy);
  return g_strdup (copy);
}

/* Names the database and the server from the URI's parts, leaving out the
 * password. */
static char *
describe (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *dbname = NULL, *host = NULL, *port = NULL, *user = NULL;
  g_autofree char *where = NULL;
  char *text;

  if (options == NULL)
    return g_strdup (_("the PostgreSQL database"));
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
      else if (g_str_equal (o->keyword, "user"))
        user = o->val;
    }
  if (host == NULL)
    where = g_strdup (_("the local server"));
  else if (port != NULL)
    where = g_strdup_printf ("%s:%s", host, port);
  else
    where = g_strdup (host);
  /* libpq's default database is the one named after the user. */
  text = g_strdup_printf (_("the database “%s” on %s"),
                          dbname ? dbname : user ? user : g_get_user_name (), where);
  PQconninfoFree (options);
  return text;
}

void
limner_pg_set_result_error (LimnerPg    *self,
                            PGresult    *res,
                            const char  *what,
                            GError     **error)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *reason = first_line (primary ? primary : PQerrorMessage (self->conn));
  int code = LIMNER_PG_ERROR_FAILED;

  /* 42501: insufficient_privilege, and what the triggers raise. */
  if (state != NULL && g_str_equal (state, "42501"))
    code = LIMNER_PG_ERROR_DENIED;
  g_set_error (error, LIMNER_PG_ERROR, code, "%s: %s", what, reason);
}

PGresult *
limner_pg_run (LimnerPg           *self,
               const char         *sql,
               int                 n_params,
               const char *const  *params,
               const char         *what,
               GError            **error)
{
  PGresult *res;
  ExecStatusType status;

  if (n_params == 0)
    res = PQexec (self->conn, sql);
  else
    res = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  status = PQresultStatus (res);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return res;
  limner_pg_set_result_error (self, res, what, error);
  PQclear (res);
  return NULL;
}

gboolean
limner_pg_exec (LimnerPg    *self,
                const char  *sql,
                const char  *what,
                GError     **error)
{
  g_autoptr(PGresult) res = limner_pg_run (self, sql, 0, NULL, what, error);

  return res != NULL;
}

void
limner_pg_rollback (LimnerPg *self)
{
  PQclear (PQexec (self->conn, "ROLLBACK"));
}

PGconn *
limner_pg_get_conn (LimnerPg *self)
{
  return self->conn;
}

char *
limner_pg_quote_ident (LimnerPg *self, const char *name)
{
  char *quoted = PQescapeIdentifier (self->conn, name, strlen (name));
  char *copy = g_strdup (quoted);

  PQfreemem (quoted);
  return copy;
}

static void
ignore_notice (void *data, const char *message)
{
  /* Notices ("role is not a member", ...) are not for the user. */
}

static LimnerPg *
pg_connect (const char *uri, GError **error)
{
  g_autoptr(LimnerPg) self = g_object_new (LIMNER_TYPE_PG, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *what = NULL;

  self->description = describe (uri);
  self->conn = PQconnectdb (uri);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *reason = first_line (PQerrorMessage (self->conn));
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_CONNECT,
                   _("Could not connect to %s: %s"), self->description, reason);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  /* Limner's strings are UTF-8, whatever PGCLIENTENCODING says. */
  if (PQsetClientEncoding (self->conn, "UTF8") != 0)
    {
      g_autofree char *reason = first_line (PQerrorMessage (self->conn));
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_CONNECT,
                   _("Could not talk UTF-8 with %s: %s"), self->description, reason);
      return NULL;
    }

  what = g_strdup_printf (_("Could not start a session on %s"), self->description);
  /* A schema that someone else can write to must not shadow the project's
   * tables or functions. */
  res = limner_pg_run (self, "SELECT current_user, pg_catalog.set_config('search_path', 'public', false)",
                       0, NULL, what, error);
  if (res == NULL)
    return NULL;
  self->login = g_strdup (PQgetvalue (res, 0, 0));
  return g_steal_pointer (&self);
}

static void
set_groups (LimnerPg *self, const char *prefix)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_free (self->groups[i]);
      self->groups[i] = g_strconcat (prefix, group_suffixes[i], NULL);
    }
}

/* Reads the project's settings: its schema version and its group roles. */
static gboolean
read_project (LimnerPg *self, GError **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *what = g_strdup_printf (_("Could not read the project in %s"), self->description);
  const char *version = NULL, *prefix = NULL;
  gint64 v;

  res = limner_pg_run (self, "SELECT to_regclass('public.settings') IS NOT NULL", 0, NULL, what, error);
  if (res == NULL)
    return FALSE;
  if (!g_str_equal (PQgetvalue (res, 0, 0), "t"))
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_NOT_A_PROJECT,
                   _("There is no Limner project in %s; create one with “limner-cli init”"),
                   self->description);
      return FALSE;
    }
  g_clear_pointer (&res, PQclear);
  res = limner_pg_run (self,
                       "SELECT key, value FROM settings "
                       "WHERE key IN ('" SETTING_SCHEMA "', '" SETTING_ROLES "')",
                       0, NULL, what, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      if (g_str_equal (PQgetvalue (res, i, 0), SETTING_SCHEMA))
        version = PQgetvalue (res, i, 1);
      else
        prefix = PQgetvalue (res, i, 1);
    }
  if (version == NULL || prefix == NULL
      || !g_ascii_string_to_signed (version, 10, 1, G_MAXINT, &v, NULL))
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_NOT_A_PROJECT,
                   _("There are tables but no Limner project in %s"), self->description);
      return FALSE;
    }
  if (v > LIMNER_PG_SCHEMA_VERSION)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_NEWER_SCHEMA,
                   _("The project in %s was written by a newer version of Limner (schema %d; "
                     "this version reads up to %d): update Limner to open it"),
                   self->description, (int) v, LIMNER_PG_SCHEMA_VERSION);
      return FALSE;
    }
  self->schema_version = v;
  set_groups (self, prefix);
  return TRUE;
}

static gboolean
check_empty (LimnerPg *self, GError **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *what = g_strdup_printf (_("Could not look into %s"), self->description);
  gint64 n;

  res = limner_pg_run (self,
                       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                       "AND n.nspname !~ '^pg_(toast|temp)'",
                       0, NULL, what, error);
  if (res == NULL)
    return FALSE;
  n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  if (n == 0)
    return TRUE;
  if (read_project (self, NULL))
    g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_NOT_EMPTY,
                 _("There is already a Limner project in %s"), self->description);
  else
    g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_NOT_EMPTY,
                 _("Cannot create a project in %s: it is not empty (it holds %" G_GINT64_FORMAT
                   " tables, indexes or sequences), and a team project needs an empty database"),
                 self->description, n);
  return FALSE;
}

static gboolean
role_exists (LimnerPg *self, const char *role, gboolean *exists, const char *what, GError **error)
{
  const char *params[] = { role };
  g_autoptr(PGresult) res = limner_pg_run (self, "SELECT 1 FROM pg_roles WHERE rolname = $1",
                                           1, params, what, error);

  if (res == NULL)
    return FALSE;
  *exists = PQntuples (res) > 0;
  return TRUE;
}

gboolean
limner_pg_create_tables (LimnerPg    *self,
                         const char  *what,
                         GError     **error)
{
  g_autofree char *qa = limner_pg_quote_ident (self, self->groups[0]);
  g_autofree char *qr = limner_pg_quote_ident (self, self->groups[1]);
  g_autofree char *ql = limner_pg_quote_ident (self, self->groups[2]);

  /* Group roles are shared by the cluster: a database recreated under the
   * same name finds them there already. */
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_autofree char *quoted = limner_pg_quote_ident (self, self->groups[i]);
      g_autofree char *create = g_strdup_printf ("CREATE ROLE %s NOLOGIN", quoted);
      gboolean exists;

      if (!role_exists (self, self->groups[i], &exists, what, error))
        return FALSE;
      if (!exists && !limner_pg_exec (self, create, what, error))
        return FALSE;
    }
  for (int v = 0; v < LIMNER_PG_SCHEMA_VERSION; v++)
    {
      g_autofree char *sql = limner_pg_schema_migration (v, qa, qr, ql);

      if (!limner_pg_exec (self, sql, what, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
limner_pg_stamp_project (LimnerPg    *self,
                         const char  *name,
                         const char  *what,
                         GError     **error)
{
  g_autofree char *qa = limner_pg_quote_ident (self, self->groups[0]);
  g_autofree char *qr = limner_pg_quote_ident (self, self->groups[1]);
  g_autofree char *ql = limner_pg_quote_ident (self, self->groups[2]);
  g_autofree char *version = g_strdup_printf ("%d", LIMNER_PG_SCHEMA_VERSION);
  /* As on SQLite, the creator leads and, on a one-person project, also
   * annotates and reviews (a lead changes this with `users add`), when
   * the server lets them take those roles: a lead without CREATEROLE who
   * was handed only the lead group stays a lead alone. The block's
   * exception handler keeps a refusal from aborting the creation. */
  g_autofree char *grant = g_strdup_printf ("GRANT %s TO CURRENT_USER;"
                                            "DO $grant$ BEGIN"
                                            "  EXECUTE 'GRANT %s, %s TO CURRENT_USER';"
                                            "  UPDATE users SET roles = roles | %d WHERE login = current_user;"
                                            "EXCEPTION WHEN insufficient_privilege THEN NULL;"
                                            "END $grant$;",
                                            ql, qa, qr,
                                            LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER);
  g_autofree char *roles = g_strdup_printf ("%d", LIMNER_ROLE_LEAD);
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { version, PQdb (self->conn), name, roles };

  res = limner_pg_run (self,
                       "INSERT INTO settings (key, value) "
                       "VALUES ('" SETTING_SCHEMA "', $1), ('" SETTING_ROLES "', $2) "
                       "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                       2, params, what, error);
  if (res == NULL)
    return FALSE;
  g_clear_pointer (&res, PQclear);
  /* The review draw's seed is made here, by the server, rather than by the
   * first annotator who submits (as on SQLite): whoever picks the seed
   * could pick which submissions get reviewed, and annotators may not write
   * settings. 63 random bits, as limner_store_qc_dup_seed() makes. */
  res = limner_pg_run (self,
                       "INSERT INTO settings (key, value) VALUES ('name', $1), "
                       "  ('qc.seed', (('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint"
                       "               & 9223372036854775807)::text) "
                       "ON CONFLICT (key) DO NOTHING",
                       1, params + 2, what, error);
  if (res == NULL)
    return FALSE;
  g_clear_pointer (&res, PQclear);
  res = limner_pg_run (self,
                       "INSERT INTO users (login, roles, created_at) "
                       "VALUES (current_user, $1, floor(extract(epoch FROM now()))::bigint) "
                       "ON CONFLICT (login) DO UPDATE SET roles = users.roles | EXCLUDED.roles",
                       1, params + 3, what, error);
  if (res == NULL)
    return FALSE;
  return limner_pg_exec (self, grant, what, error);
}

LimnerPg *
limner_pg_connect_empty (const char  *uri,
                         GError     **error)
{
  g_autoptr(LimnerPg) self = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *db;

  g_return_val_if_fail (uri != NULL, NULL);

  self = pg_connect (uri, error);
  if (self == NULL || !check_empty (self, error))
    return NULL;

  /* Names and labels in any script must survive the round trip, and sort
   * as on SQLite. */
  res = limner_pg_run (self,
                       "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                       "WHERE datname = current_database()",
                       0, NULL, self->description, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) != 1 || !g_str_equal (PQgetvalue (res, 0, 0), "UTF8"))
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("Cannot create a project in %s: it stores text as %s, and a team project needs "
                     "UTF8 (createdb --encoding=UTF8)"), self->description,
                   PQntuples (res) == 1 ? PQgetvalue (res, 0, 0) : "?");
      return NULL;
    }

  db = PQdb (self->conn);
  if (strlen (db) + strlen ("_annotator") > PG_MAX_NAME)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("The database name “%s” is too long for team mode: its group roles "
                     "take the name with “_annotator” added, and PostgreSQL names hold "
                     "at most %d bytes"), db, PG_MAX_NAME);
      return NULL;
    }
  set_groups (self, db);
  return g_steal_pointer (&self);
}

void
limner_pg_explain_denied (GError *error)
{
  char *message;

  if (!g_error_matches (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_DENIED))
    return;
  message = g_strdup_printf (_("%s (the role that creates a project needs CREATEROLE and the "
                               "right to create tables in the database, as its owner has)"),
                             error->message);
  g_free (error->message);
  error->message = message;
}

void
limner_pg_set_created (LimnerPg *self)
{
  self->schema_version = LIMNER_PG_SCHEMA_VERSION;
}

LimnerPg *
limner_pg_create (const char  *uri,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(LimnerPg) self = NULL;
  g_autofree char *what = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  self = limner_pg_connect_empty (uri, error);
  if (self == NULL)
    return NULL;

  what = g_strdup_printf (_("Could not create a project in %s as %s"),
                          self->description, self->login);
  if (!limner_pg_exec (self, "BEGIN", what, error))
    return NULL;
  if (!limner_pg_create_tables (self, what, &local)
      || !limner_pg_stamp_project (self, name != NULL && *name != '\0' ? name : PQdb (self->conn),
                                   what, &local)
      || !limner_pg_exec (self, "COMMIT", what, &local))
    {
      limner_pg_rollback (self);
      limner_pg_explain_denied (local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  limner_pg_set_created (self);
  return g_steal_pointer (&self);
}

LimnerPg *
limner_pg_open (const char  *uri,
                GError     **error)
{
  g_autoptr(LimnerPg) self = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  self = pg_connect (uri, error);
  if (self == NULL || !read_project (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

PGconn *
limner_pg_get_connection (LimnerPg *self)
{
  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);
  return self->conn;
}

const char *
limner_pg_get_login (LimnerPg *self)
{
  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);
  return self->login;
}

const char *
limner_pg_get_description (LimnerPg *self)
{
  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);
  return self->description;
}

int
limner_pg_get_schema_version (LimnerPg *self)
{
  g_return_val_if_fail (LIMNER_IS_PG (self), 0);
  return self->schema_version;
}

char *
limner_pg_dup_name (LimnerPg *self)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);

  res = limner_pg_run (self, "SELECT value FROM settings WHERE key = 'name'", 0, NULL, "", NULL);
  if (res == NULL || PQntuples (res) == 0)
    return g_strdup (PQdb (self->conn));
  return g_strdup (PQgetvalue (res, 0, 0));
}

const char *
limner_pg_get_group_role (LimnerPg   *self,
                          LimnerRole  role)
{
  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (group_roles); i++)
    if (group_roles[i] == role)
      return self->groups[i];
  g_return_val_if_reached (NULL);
}

gboolean
limner_pg_check_login (LimnerPg *self, const char *login, GError **error)
{
  gboolean reserved = g_str_has_prefix (login, "pg_");

  if (*login == '\0' || strlen (login) > PG_MAX_NAME || !g_utf8_validate (login, -1, NULL))
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("“%s” cannot be a PostgreSQL login: it must be 1 to %d bytes of UTF-8"),
                   login, PG_MAX_NAME);
      return FALSE;
    }
  /* pg_ names belong to the server; the group roles are not people. */
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    reserved = reserved || g_str_equal (login, self->groups[i]);
  if (reserved)
    {
      g_set_error (error, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID,
                   _("“%s” cannot be a Limner user in %s: the name is reserved"),
                   login, self->description);
      return FALSE;
    }
  return TRUE;
}

gboolean
limner_pg_set_user_roles_locked (LimnerPg    *self,
                                 const char  *login,
                                 LimnerRole   roles,
                                 const char  *what,
                                 GError     **error)
{
  g_autofree char *quoted = limner_pg_quote_ident (self, login);
  g_autofree char *roles_text = g_strdup_printf ("%d", (int) roles);
  const char *params[] = { login, roles_text };
  g_autoptr(PGresult) res = NULL;
  gboolean exists;

  if (!role_exists (self, login, &exists, what, error))
    return FALSE;
  if (!exists)
    {
      g_autofree char *create = g_strdup_printf ("CREATE ROLE %s LOGIN", quoted);
      if (!limner_pg_exec (self, create, what, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_autofree char *group = limner_pg_quote_ident (self, self->groups[i]);
      g_autofree char *sql = NULL;

      if (roles & group_roles[i])
        sql = g_strdup_printf ("GRANT %s TO %s", group, quoted);
      else
        sql = g_strdup_printf ("REVOKE %s FROM %s", group, quoted);
      if (!limner_pg_exec (self, sql, what, error))
        return FALSE;
    }
  res = limner_pg_run (self,
                       "INSERT INTO users (login, roles, created_at) "
                       "VALUES ($1, $2, floor(extract(epoch FROM now()))::bigint) "
                       "ON CONFLICT (login) DO UPDATE SET roles = EXCLUDED.roles",
                       2, params, what, error);
  return res != NULL;
}

gboolean
limner_pg_set_user_roles (LimnerPg    *self,
                          const char  *login,
                          LimnerRole   roles,
                          GError     **error)
{
  g_autofree char *what = NULL;

  g_return_val_if_fail (LIMNER_IS_PG (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!limner_pg_check_login (self, login, error))
    return FALSE;

  what = g_strdup_printf (_("Could not set the roles of %s in %s as %s"),
                          login, self->description, self->login);
  if (!limner_pg_exec (self, "BEGIN", what, error))
    return FALSE;
  if (!limner_pg_set_user_roles_locked (self, login, roles, what, error)
      || !limner_pg_exec (self, "COMMIT", what, error))
    {
      limner_pg_rollback (self);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
limner_pg_list_users (LimnerPg    *self,
                      GError     **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *what = NULL;
  const char *params[3];

  g_return_val_if_fail (LIMNER_IS_PG (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    params[i] = self->groups[i];
  what = g_strdup_printf (_("Could not list the users of %s"), self->description);
  /* The server's memberships are the truth; the users table only mirrors them. */
  res = limner_pg_run (self,
                       "SELECT m.rolname, g.rolname FROM pg_auth_members a "
                       "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                       "WHERE g.rolname IN ($1, $2, $3) ORDER BY m.rolname",
                       3, params, what, error);
  if (res == NULL)
    return NULL;

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_user_free);
  for (int row = 0; row < PQntuples (res); row++)
    {
      const char *login = PQgetvalue (res, row, 0);
      const char *group = PQgetvalue (res, row, 1);
      LimnerUser *user = users->len > 0 ? users->pdata[users->len - 1] : NULL;

      if (user == NULL || !g_str_equal (user->login, login))
        {
          user = g_new0 (LimnerUser, 1);
          user->login = g_strdup (login);
          g_ptr_array_add (users, user);
        }
      for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
        if (g_str_equal (group, self->groups[i]))
          user->roles |= group_roles[i];
    }
  return g_steal_pointer (&users);
}
