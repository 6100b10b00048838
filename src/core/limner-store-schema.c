/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-schema.c: the tables, their migrations, and what a project
 * database must look like when it is opened (SQLite pragmas, application id,
 * schema version). */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-private.h"
#include "limner-store-qc.h"

/* "LIMN": marks a SQLite file as a Limner project. */

/* Migrations: entry i brings the schema from version i to i + 1, in one
 * transaction. Never edit a released entry; append a new one. */
static const char *const migrations[] = {
  /* 0 -> 1: the initial schema */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ");"
  "CREATE TABLE users ("
  "  login TEXT PRIMARY KEY,"
  "  roles INTEGER NOT NULL CHECK (roles >= 0 AND roles < 8),"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE labels ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),"
  "  color TEXT NOT NULL,"
  "  hotkey TEXT,"
  "  guide TEXT,"
  "  position INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX labels_hotkey ON labels(hotkey) WHERE hotkey IS NOT NULL;"
  "CREATE TABLE images ("
  "  id INTEGER PRIMARY KEY,"
  "  path TEXT NOT NULL UNIQUE,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  size INTEGER NOT NULL,"
  "  width INTEGER NOT NULL CHECK (width > 0),"
  "  height INTEGER NOT NULL CHECK (height > 0),"
  "  format TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN"
  "    ('new', 'in_progress', 'submitted', 'in_review', 'accepted', 'rejected')),"
  "  assignee TEXT,"
  "  claimed_at INTEGER NOT NULL DEFAULT 0,"
  "  last_annotator TEXT,"
  "  added_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX images_status ON images(status, id);"
  /* AUTOINCREMENT: a deleted shape's id is never reused, so undo can
   * restore it and version diffs never confuse two shapes. */
  "CREATE TABLE shapes ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
  "  label_id INTEGER REFERENCES labels(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('box', 'polygon')),"
  "  points BLOB NOT NULL,"
  "  group_id INTEGER NOT NULL DEFAULT 0,"
  "  source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'imported', 'prediction')),"
  "  score REAL NOT NULL DEFAULT 1,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  modified_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX shapes_image ON shapes(image_id, id);"
  "CREATE INDEX shapes_label ON shapes(label_id);"
  "CREATE TABLE reference_shapes ("
  "  id INTEGER PRIMARY KEY,"
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
  "  label_id INTEGER REFERENCES labels(id),"
  "  polygon BLOB NOT NULL,"
  "  x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL"
  ");"
  "CREATE INDEX reference_shapes_image ON reference_shapes(image_id);"
  /* The event log has no foreign keys: it outlives what it mentions. */
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  ts INTEGER NOT NULL,"
  "  login TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  image_id INTEGER,"
  "  shape_id INTEGER,"
  "  detail TEXT"
  ");"
  "CREATE INDEX events_ts ON events(ts);"
  "CREATE INDEX events_login_ts ON events(login, ts);"
  /* One row per submitted image per QC draw, drawn or not: the draw is auditable. */
  "CREATE TABLE qc_draws ("
  "  id INTEGER PRIMARY KEY,"
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
  "  seed INTEGER NOT NULL,"
  "  rate REAL NOT NULL,"
  "  ticket REAL NOT NULL,"
  "  drawn INTEGER NOT NULL,"
  "  login TEXT NOT NULL,"
  "  ts INTEGER NOT NULL"
  ");"
  "CREATE TABLE reviews ("
  "  id INTEGER PRIMARY KEY,"
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
  "  reviewer TEXT NOT NULL,"
  "  annotator TEXT,"
  "  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'fix')),"
  "  comment TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX reviews_image ON reviews(image_id);"
  "CREATE TABLE review_marks ("
  "  review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,"
  "  shape_id INTEGER NOT NULL,"
  "  note TEXT"
  ");"
  "CREATE TABLE targets ("
  "  login TEXT PRIMARY KEY,"
  "  images_per_hour REAL,"
  "  shapes_per_hour REAL"
  ");"
  "CREATE TABLE versions ("
  "  number INTEGER PRIMARY KEY,"
  "  parent INTEGER NOT NULL DEFAULT 0,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  message TEXT NOT NULL,"
  "  policy TEXT NOT NULL,"
  "  n_images INTEGER NOT NULL DEFAULT 0,"
  "  n_shapes INTEGER NOT NULL DEFAULT 0,"
  "  sealed INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE version_labels ("
  "  version INTEGER NOT NULL REFERENCES versions(number),"
  "  label_id INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  color TEXT NOT NULL,"
  "  hotkey TEXT,"
  "  guide TEXT,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (version, label_id)"
  ");"
  "CREATE TABLE version_images ("
  "  version INTEGER NOT NULL REFERENCES versions(number),"
  "  image_id INTEGER NOT NULL,"
  "  path TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  format TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  PRIMARY KEY (version, image_id)"
  ");"
  "CREATE TABLE version_shapes ("
  "  version INTEGER NOT NULL REFERENCES versions(number),"
  "  shape_id INTEGER NOT NULL,"
  "  image_id INTEGER NOT NULL,"
  "  label_id INTEGER,"
  "  kind TEXT NOT NULL,"
  "  points BLOB NOT NULL,"
  "  group_id INTEGER NOT NULL,"
  "  source TEXT NOT NULL,"
  "  score REAL NOT NULL,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  modified_at INTEGER NOT NULL,"
  "  PRIMARY KEY (version, shape_id)"
  ");"
  "CREATE INDEX version_shapes_image ON version_shapes(version, image_id, shape_id);"
  /* Published versions never change, whoever writes to the file. */
  "CREATE TRIGGER versions_immutable_update BEFORE UPDATE ON versions WHEN OLD.sealed = 1"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER versions_immutable_delete BEFORE DELETE ON versions WHEN OLD.sealed = 1"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_labels_immutable_update BEFORE UPDATE ON version_labels"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_labels_immutable_delete BEFORE DELETE ON version_labels"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_labels_immutable_insert BEFORE INSERT ON version_labels"
  "  WHEN COALESCE((SELECT sealed FROM versions WHERE number = NEW.version), 1) = 1"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_images_immutable_update BEFORE UPDATE ON version_images"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_images_immutable_delete BEFORE DELETE ON version_images"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_images_immutable_insert BEFORE INSERT ON version_images"
  "  WHEN COALESCE((SELECT sealed FROM versions WHERE number = NEW.version), 1) = 1"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_shapes_immutable_update BEFORE UPDATE ON version_shapes"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_shapes_immutable_delete BEFORE DELETE ON version_shapes"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;"
  "CREATE TRIGGER version_shapes_immutable_insert BEFORE INSERT ON version_shapes"
  "  WHEN COALESCE((SELECT sealed FROM versions WHERE number = NEW.version), 1) = 1"
  "  BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;",
  /* 1 -> 2: the next label position without scanning every label */
  "CREATE INDEX labels_position ON labels(position);",
  /* 2 -> 3: quality control (limner-store-qc.h) */
  LIMNER_STORE_QC_MIGRATION,
  /* 3 -> 4: acceptance and gold IoU targets; reviews by date (limner-store-stats.h) */
  "ALTER TABLE targets ADD COLUMN acceptance_rate REAL;"
  "ALTER TABLE targets ADD COLUMN gold_iou REAL;"
  "CREATE INDEX reviews_created ON reviews(created_at);",
  /* 4 -> 5: shapes.row_version, the version check that stops
   * a second writer (another window, the CLI) from silently overwriting an
   * edit; same name and meaning as in the PostgreSQL schema. */
  "ALTER TABLE shapes ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LIMNER_STORE_SCHEMA_VERSION);

static gboolean
migrate (LimnerStore *self, int from, GError **error)
{
  for (int v = from; v < LIMNER_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!limner_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!limner_store_exec (self, migrations[v], error)
          || !limner_store_exec (self, bump, error)
          || !limner_store_exec (self, "COMMIT", error))
        {
          limner_store_exec (self, "ROLLBACK", NULL);
          g_prefix_error (error, _("Could not upgrade %s to schema %d: "), self->dir, v + 1);
          return FALSE;
        }
    }
  self->schema_version = LIMNER_STORE_SCHEMA_VERSION;
  return TRUE;
}

gboolean
limner_store_schema_stamp (LimnerStore *self, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", LIMNER_STORE_APPLICATION_ID);

  return limner_store_exec (self, sql, error);
}

/* The schema objects (type, name, sql) that the migrations make, from a
 * scratch in-memory database, computed once. */
static GHashTable *
expected_schema_objects (void)
{
  static gsize once = 0;
  static GHashTable *objects;

  if (g_once_init_enter (&once))
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
        {
          for (guint v = 0; v < G_N_ELEMENTS (migrations); v++)
            if (sqlite3_exec (db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
              g_error ("Limner's own migration %u fails: %s", v + 1, sqlite3_errmsg (db));
          if (sqlite3_prepare_v2 (db, "SELECT type || ' ' || name, sql FROM sqlite_schema "
                                      "WHERE name NOT LIKE 'sqlite_%'", -1, &stmt, NULL) == SQLITE_OK)
            while (sqlite3_step (stmt) == SQLITE_ROW)
              g_hash_table_insert (objects, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                                   g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
          sqlite3_finalize (stmt);
        }
      sqlite3_close (db);
      g_once_init_leave (&once, 1);
    }
  return objects;
}

/* Refuses a database holding a table, index, view or trigger that Limner's
 * migrations did not make, or one whose SQL differs: a trigger planted by
 * someone else would run with the user's rights on every write. Objects
 * that are missing (a dropped immutability trigger) are left to `check`. */
static gboolean
check_schema_objects (LimnerStore  *self,
                      const char   *path,
                      GError      **error)
{
  GHashTable *expected = expected_schema_objects ();
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (limner_db_get_sqlite (self->db), "SELECT type, name, type || ' ' || name, sql FROM sqlite_schema "
                                    "WHERE name NOT LIKE 'sqlite_%'", -1, &stmt, NULL) != SQLITE_OK)
    {
      limner_store_set_sqlite_error (self, error, path);
      return FALSE;
    }
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 2);
      const char *sql = (const char *) sqlite3_column_text (stmt, 3);
      const char *want = g_hash_table_lookup (expected, key);

      if (want == NULL || g_strcmp0 (want, sql) != 0)
        {
          g_autofree char *shown = g_strescape (name, NULL);

          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_DAMAGED,
                       want == NULL
                       ? _("%s holds a %s “%s” that Limner did not create; someone changed the "
                           "database with another tool, and Limner will not run it")
                       : _("%s holds a changed %s “%s”; someone changed the database with "
                           "another tool, and Limner will not run it"),
                       path, type, shown);
          ok = FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* PRAGMA quick_check: a damaged page shows here rather than halfway
 * through someone's work. */
static gboolean
quick_check (LimnerStore  *self,
             const char   *path,
             GError      **error)
{
  /* It reads every page (about 0.5 s for a million shapes), so each process
   * checks a project once; its other connections (the autosave writer,
   * workers) trust that first look. */
  static GMutex lock;
  static GHashTable *checked;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  gboolean seen;
  int rc;

  g_mutex_lock (&lock);
  if (checked == NULL)
    checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  seen = g_hash_table_contains (checked, path);
  g_mutex_unlock (&lock);
  if (seen)
    return TRUE;

  rc = sqlite3_prepare_v2 (limner_db_get_sqlite (self->db), "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (g_strcmp0 (result, "ok") == 0)
    {
      g_mutex_lock (&lock);
      g_hash_table_add (checked, g_strdup (path));
      g_mutex_unlock (&lock);
      return TRUE;
    }
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_DAMAGED,
               _("%s is damaged: %s"), path,
               result ? result : sqlite3_errmsg (limner_db_get_sqlite (self->db)));
  return FALSE;
}

/* A first read that fails: damaged, not a database, or not readable. */
static void
set_open_error (LimnerStore  *self,
                const char   *path,
                GError      **error)
{
  int code = sqlite3_extended_errcode (limner_db_get_sqlite (self->db)) & 0xff;

  if (code == SQLITE_CORRUPT)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_DAMAGED,
                 _("%s is damaged: %s"), path, sqlite3_errmsg (limner_db_get_sqlite (self->db)));
  else if (code == SQLITE_NOTADB)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                 _("%s is not a Limner project database: %s"), path, sqlite3_errmsg (limner_db_get_sqlite (self->db)));
  else
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                 _("Could not read %s: %s"), path, sqlite3_errmsg (limner_db_get_sqlite (self->db)));
}

gboolean
limner_store_schema_open (LimnerStore  *self,
                          const char   *path,
                          gboolean      create,
                          GError      **error)
{
  /* Nothing in the file's schema may call functions with side effects,
   * whoever wrote it. Set before the schema is first read. */
  if (sqlite3_exec (limner_db_get_sqlite (self->db), "PRAGMA trusted_schema = OFF", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_open_error (self, path, error);
      return FALSE;
    }
  /* Reading the header tells a SQLite file from anything else. */
  if (sqlite3_exec (limner_db_get_sqlite (self->db), "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_open_error (self, path, error);
      return FALSE;
    }
  /* Setting the journal mode writes the header; a read-only connection
   * finds WAL already set by whoever created the project. */
  if ((!self->read_only && !limner_store_exec (self, "PRAGMA journal_mode = WAL", error))
      || !limner_store_exec (self, "PRAGMA foreign_keys = ON", error)
      /* FULL: a commit is on the disk before it returns, so an edit shown
       * as saved survives a power cut too, not only a crash. */
      || !limner_store_exec (self, "PRAGMA synchronous = FULL", error))
    return FALSE;

  self->schema_version = limner_store_query_int (self, "PRAGMA user_version", 0);
  if (!create)
    {
      gint64 app_id = limner_store_query_int (self, "PRAGMA application_id", 0);

      if (app_id != LIMNER_STORE_APPLICATION_ID)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                       _("%s is a SQLite database but not a Limner project"), path);
          return FALSE;
        }
    }
  if (self->schema_version > LIMNER_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NEWER_SCHEMA,
                   _("%s was written by a newer version of Limner (schema %d; this version "
                     "reads up to %d). Update Limner to open this project."),
                   path, self->schema_version, LIMNER_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (self->schema_version < LIMNER_STORE_SCHEMA_VERSION && self->read_only)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_READ_ONLY,
                   _("%s needs an upgrade to schema %d, but it is read-only"),
                   path, LIMNER_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (!create && !quick_check (self, path, error))
    return FALSE;
  if (self->schema_version < LIMNER_STORE_SCHEMA_VERSION
      && !migrate (self, self->schema_version, error))
    return FALSE;
  if (!create && !check_schema_objects (self, path, error))
    return FALSE;

  return TRUE;
}
