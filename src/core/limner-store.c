/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store.c: the project store, SQLite in WAL mode.
 *
 * Only the store module (limner-store*.c) contains SQL. Every statement is a
 * prepared statement, cached per connection. Every call that changes data
 * checks the acting user's role and runs in its own BEGIN IMMEDIATE
 * transaction, or joins the batch opened with limner_store_begin().
 *
 * This file holds the object, the connection, batches, settings and users;
 * the other tables live in limner-store-*.c (see limner-store-private.h).
 *
 * A LimnerStore is one connection and belongs to one thread at a time. Worker
 * threads open their own (WAL lets readers and one writer run together).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <unistd.h>
#include <string.h>

#include "limner-db-pg.h"
#include "limner-pg.h"
#include "limner-image-root.h"
#include "limner-store-private.h"

#define BUSY_TIMEOUT_MS 10000

G_DEFINE_TYPE (LimnerStore, limner_store, G_TYPE_OBJECT)

/* Private helpers shared by the store's files */

LimnerDb *
limner_store_db (LimnerStore *self)
{
  return self->db;
}

gboolean
limner_store_is_pg (LimnerStore *self)
{
  return limner_db_get_kind (self->db) == LIMNER_DB_POSTGRESQL;
}

void
limner_store_set_sqlite_error (LimnerStore  *self,
                               GError      **error,
                               const char   *what)
{
  const char *msg = limner_db_errmsg (self->db);
  int ecode = LIMNER_STORE_ERROR_FAILED;

  if (strstr (msg, "published versions are immutable") != NULL
      || strstr (msg, "is published and cannot change") != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IMMUTABLE,
                   _("Published versions can never be changed"));
      return;
    }
  switch (limner_db_failure (self->db))
    {
    case LIMNER_DB_FAILURE_BUSY:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                   _("%s: the project database in %s is busy; another program is writing to it"),
                   what, self->dir);
      return;
    case LIMNER_DB_FAILURE_OFFLINE:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE,
                   _("%s: the server of %s cannot be reached (%s)"), what, self->dir, msg);
      return;
    case LIMNER_DB_FAILURE_DENIED:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION,
                   _("%s: the server refused it to %s (%s)"), what, self->login, msg);
      return;
    case LIMNER_DB_FAILURE_READ_ONLY:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_READ_ONLY,
                   _("%s: the project %s is read-only (%s)"), what, self->dir, msg);
      return;
    case LIMNER_DB_FAILURE_UNIQUE:
      ecode = LIMNER_STORE_ERROR_EXISTS;
      break;
    case LIMNER_DB_FAILURE_CONSTRAINT:
      ecode = LIMNER_STORE_ERROR_INVALID;
      break;
    case LIMNER_DB_FAILURE_NONE:
    case LIMNER_DB_FAILURE_OTHER:
    default:
      break;
    }
  g_set_error (error, LIMNER_STORE_ERROR, ecode, "%s: %s", what, msg);
}

gboolean
limner_store_is_constraint_error (LimnerStore *self)
{
  LimnerDbFailure failure = limner_db_failure (self->db);

  return failure == LIMNER_DB_FAILURE_UNIQUE || failure == LIMNER_DB_FAILURE_CONSTRAINT;
}

LimnerStmt *
limner_store_prepare (LimnerStore  *self,
                      const char   *sql,
                      GError      **error)
{
  LimnerStmt *stmt = limner_db_prepare (self->db, sql, NULL);

  if (stmt == NULL)
    limner_store_set_sqlite_error (self, error, _("Could not prepare a query"));
  return stmt;
}

gboolean
limner_store_exec (LimnerStore  *self,
                   const char   *sql,
                   GError      **error)
{
  if (!limner_db_exec (self->db, sql, NULL))
    {
      limner_store_set_sqlite_error (self, error, _("Database error"));
      return FALSE;
    }
  return TRUE;
}

/* One sentence for every write refused on a read-only project. */
static gboolean
refuse_read_only (LimnerStore *self, GError **error)
{
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_READ_ONLY,
               _("The project %s is read-only: %s may read it but not change it"),
               self->dir, self->login);
  return FALSE;
}

gboolean
limner_store_write_begin (LimnerStore *self, GError **error)
{
  if (self->read_only)
    return refuse_read_only (self, error);
  if (self->in_batch || self->write_depth > 0)
    {
      self->write_depth++;
      return TRUE;
    }
  if (!limner_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->write_depth = 1;
  return TRUE;
}

gboolean
limner_store_write_end (LimnerStore *self, gboolean ok, GError **error)
{
  g_assert (self->write_depth > 0);
  self->write_depth--;
  if (self->in_batch || self->write_depth > 0)
    return ok;
  if (ok)
    {
      if (limner_store_exec (self, "COMMIT", error))
        return TRUE;
    }
  limner_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

GArray *
limner_store_points_from_column (LimnerStmt *stmt, int col)
{
  const void *blob = limner_stmt_column_blob (stmt, col);
  int bytes = limner_stmt_column_bytes (stmt, col);
  guint n = bytes / sizeof (double);
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (double), n);

  if (blob != NULL && n > 0)
    g_array_append_vals (points, blob, n);
  return points;
}

void
limner_store_bind_points (LimnerStmt *stmt, int col, const GArray *points)
{
  limner_stmt_bind_blob (stmt, col, points->data, points->len * sizeof (double));
}

void
limner_store_bind_text_or_null (LimnerStmt *stmt, int col, const char *text)
{
  /* A NULL text is a NULL of type text, which PostgreSQL needs in
   * "?1 IS NULL OR ..." filters. */
  limner_stmt_bind_text (stmt, col, text);
}

char *
limner_store_column_dup (LimnerStmt *stmt, int col)
{
  return g_strdup ((const char *) limner_stmt_column_text (stmt, col));
}

/* Object */

static void
limner_store_finalize (GObject *object)
{
  LimnerStore *self = LIMNER_STORE (object);

  if (self->in_batch)
    limner_store_rollback (self);
  /* The driver layer borrows the team connection: free it first. */
  g_clear_pointer (&self->db, limner_db_free);
  g_clear_object (&self->pg);
  g_free (self->dir);
  g_free (self->login);

  G_OBJECT_CLASS (limner_store_parent_class)->finalize (object);
}

static void
limner_store_class_init (LimnerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = limner_store_finalize;
}

static void
limner_store_init (LimnerStore *self)
{
}

gint64
limner_store_query_int (LimnerStore *self, const char *sql, gint64 def)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, NULL);
  gint64 value = def;

  if (stmt == NULL)
    return def;
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    value = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return value;
}

static LimnerStore *
connect (const char  *dir,
         const char  *login,
         gboolean     create,
         gboolean     read_only,
         gboolean    *refused_write,
         GError     **error)
{
  g_autoptr(LimnerStore) self = NULL;
  g_autofree char *path = NULL;
  g_autofree char *open_name = NULL;
  sqlite3 *lite = NULL;
  int flags = SQLITE_OPEN_FULLMUTEX;
  int rc;

  self = g_object_new (LIMNER_TYPE_STORE, NULL);
  self->dir = g_canonicalize_filename (dir, NULL);
  self->login = g_strdup (login != NULL && *login != '\0' ? login : g_get_user_name ());
  self->read_only = read_only;
  path = g_build_filename (self->dir, LIMNER_STORE_DB_NAME, NULL);

  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create)
    flags |= SQLITE_OPEN_CREATE;
  if (read_only)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);

      /* Without a -wal file nobody is writing, and a reader that cannot
       * create the -shm file could not open a WAL database at all; reading
       * it as immutable needs neither. */
      if (!g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

          if (uri != NULL)
            {
              open_name = g_strconcat (uri, "?immutable=1", NULL);
              flags |= SQLITE_OPEN_URI;
            }
        }
    }
  rc = sqlite3_open_v2 (open_name != NULL ? open_name : path, &lite, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                   _("Could not open %s: %s"), path,
                   lite != NULL ? sqlite3_errmsg (lite) : sqlite3_errstr (rc));
      sqlite3_close (lite);
      return NULL;
    }
  sqlite3_busy_timeout (lite, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (lite, 1);
  self->db = limner_db_new_sqlite (lite);

  if (!limner_store_schema_open (self, path, create, error))
    {
      if (refused_write != NULL)
        *refused_write = (sqlite3_extended_errcode (lite) & 0xff) == SQLITE_READONLY;
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Team mode: the project in the PostgreSQL database at `uri`. The user is
 * the role the URI logs in as; `login`, if given, must be that role. */
/* Team mode: the project in the PostgreSQL database at `uri`. The user is
 * the role the connection logs in as: `login`, if given and not the URI's
 * user, logs in as that role instead (with its own credentials: ~/.pgpass,
 * PGPASSWORD, or the server's trust for the local socket). */
static LimnerStore *
connect_pg (const char  *uri,
            const char  *login,
            gboolean     create,
            const char  *name,
            GError     **error)
{
  g_autoptr(LimnerStore) self = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *uri_user = limner_db_pg_conninfo_user (uri);
  g_autofree char *conninfo = NULL;
  LimnerPg *pg;

  if (login != NULL && *login != '\0' && g_strcmp0 (login, uri_user) != 0)
    conninfo = limner_db_pg_conninfo_as (uri, login);
  if (conninfo == NULL)
    conninfo = g_strdup (uri);

  pg = create ? limner_pg_create (conninfo, name, &local) : limner_pg_open (conninfo, &local);
  if (pg == NULL)
    {
      static const struct { int pg; int store; } codes[] = {
        { LIMNER_PG_ERROR_CONNECT, LIMNER_STORE_ERROR_OFFLINE },
        { LIMNER_PG_ERROR_NOT_EMPTY, LIMNER_STORE_ERROR_EXISTS },
        { LIMNER_PG_ERROR_NOT_A_PROJECT, LIMNER_STORE_ERROR_NOT_A_PROJECT },
        { LIMNER_PG_ERROR_NEWER_SCHEMA, LIMNER_STORE_ERROR_NEWER_SCHEMA },
        { LIMNER_PG_ERROR_DENIED, LIMNER_STORE_ERROR_PERMISSION },
        { LIMNER_PG_ERROR_INVALID, LIMNER_STORE_ERROR_INVALID },
      };
      int code = LIMNER_STORE_ERROR_FAILED;

      /* One error domain for the store's callers, whichever the backend. */
      for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
        if (g_error_matches (local, LIMNER_PG_ERROR, codes[i].pg))
          code = codes[i].store;
      g_set_error_literal (error, LIMNER_STORE_ERROR, code, local->message);
      return NULL;
    }

  self = g_object_new (LIMNER_TYPE_STORE, NULL);
  self->pg = G_OBJECT (pg);
  self->dir = g_strdup (uri);
  self->login = g_strdup (limner_pg_get_login (pg));
  self->db = limner_db_new_pg (limner_pg_get_connection (pg));
  self->schema_version = LIMNER_STORE_SCHEMA_VERSION;
  if (create && !limner_store_log_event (self, "project.create", 0, 0, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
limner_store_exists (const char *dir)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
  /* A server is asked when the project is opened. */
  if (limner_pg_is_uri (dir))
    return TRUE;
  path = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

LimnerStore *
limner_store_create (const char  *dir,
                     const char  *name,
                     const char  *login,
                     GError     **error)
{
  g_autoptr(LimnerStore) self = NULL;
  g_autofree char *project_name = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (dir != NULL && *dir != '\0', NULL);

  if (limner_pg_is_uri (dir))
    return connect_pg (dir, login, TRUE, name, error);
  if (limner_store_exists (dir))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                   _("%s is already a Limner project"), dir);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }

  self = connect (dir, login, TRUE, FALSE, NULL, error);
  if (self == NULL)
    return NULL;

  if (!limner_store_schema_stamp (self, error))
    return NULL;

  project_name = name != NULL && *name != '\0' ? g_strdup (name) : g_path_get_basename (self->dir);

  if (!limner_store_write_begin (self, error))
    return NULL;
  stmt = limner_store_prepare (self, "INSERT INTO settings (key, value) VALUES ('name', ?1)", error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, project_name);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      if (!ok)
        limner_store_set_sqlite_error (self, error, _("Could not name the project"));
      limner_stmt_reset (stmt);
    }
  /* The creator leads the project and, on a one-person project, also
   * annotates and reviews; a lead can change this with `users add`. */
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO users (login, roles, created_at) VALUES (?1, ?2, ?3)",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          limner_stmt_bind_text (stmt, 1, self->login);
          limner_stmt_bind_int64 (stmt, 2, LIMNER_ROLE_LEAD | LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER);
          limner_stmt_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
          ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
          if (!ok)
            limner_store_set_sqlite_error (self, error, _("Could not add the lead"));
          limner_stmt_reset (stmt);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "project.create", 0, 0, NULL, error);
  if (!limner_store_write_end (self, ok, ok ? error : NULL))
    return NULL;

  return g_steal_pointer (&self);
}

LimnerStore *
limner_store_open (const char  *dir,
                   const char  *login,
                   GError     **error)
{
  g_autofree char *db_path = NULL;
  g_autoptr(GError) local_error = NULL;
  LimnerStore *store;
  gboolean refused_write = FALSE;

  g_return_val_if_fail (dir != NULL, NULL);

  if (limner_pg_is_uri (dir))
    return connect_pg (dir, login, FALSE, NULL, error);
  if (!limner_store_exists (dir))
    {
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                     _("%s does not exist"), dir);
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                     _("%s is not a Limner project: it has no %s"), dir, LIMNER_STORE_DB_NAME);
      return NULL;
    }

  /* A project the user may read but not write (another owner, a read-only
   * folder or mount) opens read-only rather than not at all. WAL needs the
   * folder writable too, for its -wal and -shm files. */
  db_path = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
  if (access (db_path, W_OK) != 0 || access (dir, W_OK) != 0)
    return connect (dir, login, FALSE, TRUE, NULL, error);
  store = connect (dir, login, FALSE, FALSE, &refused_write, &local_error);
  /* access() says yes to root on a file that SQLite still cannot write. */
  if (store == NULL && refused_write)
    return connect (dir, login, FALSE, TRUE, NULL, error);
  if (store == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return store;
}

const char *
limner_store_get_dir (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return self->dir;
}

const char *
limner_store_get_login (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return self->login;
}

gboolean
limner_store_is_read_only (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  return self->read_only;
}

int
limner_store_get_schema_version (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  return self->schema_version;
}

char *
limner_store_dup_name (LimnerStore *self)
{
  char *name;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  name = limner_store_get_setting (self, "name");
  return name != NULL ? name : g_path_get_basename (self->dir);
}

LimnerRole
limner_store_get_user_roles (LimnerStore *self, const char *login)
{
  LimnerStmt *stmt;
  LimnerRole roles = LIMNER_ROLE_NONE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), LIMNER_ROLE_NONE);
  g_return_val_if_fail (login != NULL, LIMNER_ROLE_NONE);

  stmt = limner_store_prepare (self, "SELECT roles FROM users WHERE login = ?1", NULL);
  if (stmt == NULL)
    return LIMNER_ROLE_NONE;
  limner_stmt_bind_text (stmt, 1, login);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    roles = limner_stmt_column_int (stmt, 0);
  limner_stmt_reset (stmt);
  return roles;
}

LimnerRole
limner_store_get_roles (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), LIMNER_ROLE_NONE);
  return limner_store_get_user_roles (self, self->login);
}

gboolean
limner_store_require_role (LimnerStore  *self,
                           LimnerRole    any_of,
                           GError      **error)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (limner_store_get_roles (self) & any_of)
    return TRUE;
  wanted = limner_role_to_string (any_of);
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_PERMISSION,
               _("User “%s” needs the role %s in the project %s"),
               self->login, wanted, self->dir);
  return FALSE;
}

/* Batches */

gboolean
limner_store_begin (LimnerStore *self, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_batch, FALSE);

  if (self->read_only)
    return refuse_read_only (self, error);
  if (!limner_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_batch = TRUE;
  return TRUE;
}

gboolean
limner_store_commit (LimnerStore *self, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_batch, FALSE);

  self->in_batch = FALSE;
  if (!limner_store_exec (self, "COMMIT", error))
    {
      limner_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

void
limner_store_rollback (LimnerStore *self)
{
  g_return_if_fail (LIMNER_IS_STORE (self));

  if (!self->in_batch)
    return;
  self->in_batch = FALSE;
  limner_store_exec (self, "ROLLBACK", NULL);
}

gboolean
limner_store_in_batch (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  return self->in_batch;
}

/* Paths */

/* The folder they are under is chosen in limner-image-root.c. */
char *
limner_store_relativize_path (LimnerStore *self, const char *abs_path)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (abs_path != NULL, NULL);

  folder = limner_store_dup_image_folder (self);
  return limner_image_root_relativize (folder, abs_path);
}

char *
limner_store_resolve_path (LimnerStore *self, const char *stored_path)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (stored_path != NULL, NULL);

  if (g_path_is_absolute (stored_path))
    return g_strdup (stored_path);
  folder = limner_store_dup_image_folder (self);
  return limner_image_root_resolve (folder, stored_path);
}

/* Settings */

char *
limner_store_get_setting (LimnerStore *self, const char *key)
{
  LimnerStmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = limner_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_text (stmt, 1, key);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    value = limner_store_column_dup (stmt, 0);
  limner_stmt_reset (stmt);
  return value;
}

/* Runs one prepared write statement to completion; on failure sets `error`
 * prefixed with `what`. The statement is reset either way. */
gboolean
limner_store_step_id (LimnerStore  *self,
                      LimnerStmt   *stmt,
                      const char   *what,
                      gint64       *id,
                      GError      **error)
{
  int rc = limner_stmt_step (stmt);

  if (rc == LIMNER_DB_ROW)
    {
      *id = limner_stmt_column_int64 (stmt, 0);
      rc = limner_stmt_step (stmt);
    }
  if (rc != LIMNER_DB_DONE)
    limner_store_set_sqlite_error (self, error, what);
  limner_stmt_reset (stmt);
  return rc == LIMNER_DB_DONE;
}

gboolean
limner_store_step_done (LimnerStore *self, LimnerStmt *stmt, const char *what, GError **error)
{
  gboolean ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;

  if (!ok)
    limner_store_set_sqlite_error (self, error, what);
  limner_stmt_reset (stmt);
  return ok;
}

gboolean
limner_store_set_setting (LimnerStore  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, key);
      limner_store_bind_text_or_null (stmt, 2, value);
      ok = limner_store_step_done (self, stmt, key, error);
    }
  return limner_store_write_end (self, ok, error);
}

/* Users */

static char *
roles_event_detail (const char *login, LimnerRole roles)
{
  g_autofree char *role_str = limner_role_to_string (roles);
  g_autofree char *login_json = g_strescape (login, NULL);

  return g_strdup_printf ("{\"login\": \"%s\", \"roles\": \"%s\"}", login_json, role_str);
}

/* Team mode: roles are memberships of the server's group roles, which the
 * server enforces; the users table mirrors them. */
static gboolean
set_pg_user_roles (LimnerStore  *self,
                   const char   *login,
                   LimnerRole    roles,
                   GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *detail = NULL;

  if (!limner_pg_set_user_roles (LIMNER_PG (self->pg), login, roles, &local))
    {
      int code = g_error_matches (local, LIMNER_PG_ERROR, LIMNER_PG_ERROR_DENIED)
                 ? LIMNER_STORE_ERROR_PERMISSION
                 : g_error_matches (local, LIMNER_PG_ERROR, LIMNER_PG_ERROR_INVALID)
                 ? LIMNER_STORE_ERROR_INVALID : LIMNER_STORE_ERROR_FAILED;

      g_set_error_literal (error, LIMNER_STORE_ERROR, code, local->message);
      return FALSE;
    }
  detail = roles_event_detail (login, roles);
  return limner_store_log_event (self, "user.roles", 0, 0, detail, error);
}

gboolean
limner_store_set_user_roles (LimnerStore  *self,
                             const char   *login,
                             LimnerRole    roles,
                             GError      **error)
{
  LimnerStmt *stmt;
  g_autofree char *detail = NULL;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (*login == '\0' || strpbrk (login, " \t\n\r,") != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("“%s” is not a valid login"), login);
      return FALSE;
    }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  /* A project without a lead could never be administered again. */
  if (g_str_equal (login, self->login) && !(roles & LIMNER_ROLE_LEAD))
    {
      LimnerStmt *q = limner_store_prepare (self,
                                              "SELECT count(*) FROM users WHERE (roles & 4) != 0 AND login != ?1",
                                              error);
      gint64 other_leads = 0;

      if (q == NULL)
        return FALSE;
      limner_stmt_bind_text (q, 1, login);
      if (limner_stmt_step (q) == LIMNER_DB_ROW)
        other_leads = limner_stmt_column_int64 (q, 0);
      limner_stmt_reset (q);
      if (other_leads == 0)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("“%s” is the only lead of the project and must stay one"), login);
          return FALSE;
        }
    }

  if (self->pg != NULL)
    return set_pg_user_roles (self, login, roles, error);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "INSERT INTO users (login, roles, created_at) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (login) DO UPDATE SET roles = excluded.roles",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, login);
      limner_stmt_bind_int64 (stmt, 2, roles);
      limner_stmt_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
      ok = limner_store_step_done (self, stmt, login, error);
    }
  if (ok)
    {
      detail = roles_event_detail (login, roles);
      ok = limner_store_log_event_locked (self, "user.roles", 0, 0, detail, error);
    }
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_users (LimnerStore *self, GError **error)
{
  LimnerStmt *stmt;
  GPtrArray *users;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  /* The server's role memberships are the truth in team mode. */
  if (self->pg != NULL)
    return limner_pg_list_users (LIMNER_PG (self->pg), error);
  stmt = limner_store_prepare (self, "SELECT login, roles FROM users ORDER BY login", error);
  if (stmt == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_user_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerUser *user = g_new0 (LimnerUser, 1);

      user->login = limner_store_column_dup (stmt, 0);
      user->roles = limner_stmt_column_int (stmt, 1);
      g_ptr_array_add (users, user);
    }
  limner_stmt_reset (stmt);
  return users;
}
