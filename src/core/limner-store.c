/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store.c: the project store, SQLite in WAL mode.
 *
 * Only the store module (limner-store*.c) contains SQL. Every statement is a
 * prepared statement, cached per connection. Every call that changes data
 * checks the acting user's role and runs in its own BEGIN IMMEDIATE
 * transaction, or joins the batch opened with limner_store_begin().
 *
 * A LimnerStore is one connection and belongs to one thread at a time. Worker
 * threads open their own (WAL lets readers and one writer run together).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "limner-store-private.h"

/* "LIMN": marks a SQLite file as a Limner project. */
#define LIMNER_APPLICATION_ID 0x4C494D4E
#define BUSY_TIMEOUT_MS 10000
#define DEFAULT_CLAIM_TIMEOUT_S (30 * 60)

struct _LimnerStore
{
  GObject parent_instance;

  /* Owned references */
  sqlite3    *db;
  char       *dir;
  char       *login;
  GHashTable *statements; /* sql -> sqlite3_stmt */

  int         schema_version;
  gboolean    in_batch;
  int         write_depth; /* store calls that write may call each other */
};

G_DEFINE_TYPE (LimnerStore, limner_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (limner-store-error-quark, limner_store_error)

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
  /* 1 -> 2 (stats): acceptance and gold IoU targets; reviews by date */
  "ALTER TABLE targets ADD COLUMN acceptance_rate REAL;"
  "ALTER TABLE targets ADD COLUMN gold_iou REAL;"
  "CREATE INDEX reviews_created ON reviews(created_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LIMNER_STORE_SCHEMA_VERSION);

/* Colours for labels created without one (GNOME palette). */
static const char *const default_colors[] = {
  "#e01b24", "#2ec27e", "#3584e4", "#f6d32d", "#9141ac",
  "#ff7800", "#33d17a", "#1c71d8", "#c64600", "#865e3c",
};

static const char *const status_names[LIMNER_IMAGE_N_STATUS] = {
  "new", "in_progress", "submitted", "in_review", "accepted", "rejected",
};

/* Records */

void
limner_user_free (LimnerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->login);
  g_free (user);
}

void
limner_label_free (LimnerLabel *label)
{
  if (label == NULL)
    return;
  g_free (label->name);
  g_free (label->color);
  g_free (label->hotkey);
  g_free (label->guide);
  g_free (label);
}

void
limner_image_record_free (LimnerImageRecord *image)
{
  if (image == NULL)
    return;
  g_free (image->path);
  g_free (image->sha256);
  g_free (image->format);
  g_free (image->assignee);
  g_free (image);
}

void
limner_reference_shape_free (LimnerReferenceShape *ref)
{
  if (ref == NULL)
    return;
  g_clear_pointer (&ref->polygon, g_array_unref);
  g_free (ref);
}

void
limner_event_free (LimnerEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->login);
  g_free (event->kind);
  g_free (event->detail);
  g_free (event);
}

void
limner_version_free (LimnerVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->author);
  g_free (version->message);
  g_free (version->policy);
  g_free (version);
}

LimnerShape *
limner_shape_new (LimnerShapeKind kind)
{
  LimnerShape *shape = g_new0 (LimnerShape, 1);

  shape->kind = kind;
  shape->points = g_array_new (FALSE, FALSE, sizeof (double));
  shape->source = LIMNER_SOURCE_MANUAL;
  shape->score = 1.0;
  return shape;
}

LimnerShape *
limner_shape_copy (const LimnerShape *shape)
{
  LimnerShape *copy;

  g_return_val_if_fail (shape != NULL, NULL);

  copy = g_new0 (LimnerShape, 1);
  *copy = *shape;
  copy->points = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                    shape->points ? shape->points->len : 0);
  if (shape->points != NULL)
    g_array_append_vals (copy->points, shape->points->data, shape->points->len);
  copy->author = g_strdup (shape->author);
  return copy;
}

void
limner_shape_free (LimnerShape *shape)
{
  if (shape == NULL)
    return;
  g_clear_pointer (&shape->points, g_array_unref);
  g_free (shape->author);
  g_free (shape);
}

const char *
limner_image_status_to_string (LimnerImageStatus status)
{
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, NULL);
  return status_names[status];
}

gboolean
limner_image_status_from_string (const char *str, LimnerImageStatus *out)
{
  for (guint i = 0; str != NULL && i < LIMNER_IMAGE_N_STATUS; i++)
    if (g_str_equal (str, status_names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
limner_shape_kind_to_string (LimnerShapeKind kind)
{
  return kind == LIMNER_SHAPE_BOX ? "box" : "polygon";
}

gboolean
limner_shape_kind_from_string (const char *str, LimnerShapeKind *out)
{
  if (g_strcmp0 (str, "box") == 0)
    *out = LIMNER_SHAPE_BOX;
  else if (g_strcmp0 (str, "polygon") == 0)
    *out = LIMNER_SHAPE_POLYGON;
  else
    return FALSE;
  return TRUE;
}

const char *
limner_shape_source_to_string (LimnerShapeSource source)
{
  switch (source)
    {
    case LIMNER_SOURCE_IMPORTED:
      return "imported";
    case LIMNER_SOURCE_PREDICTION:
      return "prediction";
    case LIMNER_SOURCE_MANUAL:
    default:
      return "manual";
    }
}

gboolean
limner_shape_source_from_string (const char *str, LimnerShapeSource *out)
{
  if (g_strcmp0 (str, "manual") == 0)
    *out = LIMNER_SOURCE_MANUAL;
  else if (g_strcmp0 (str, "imported") == 0)
    *out = LIMNER_SOURCE_IMPORTED;
  else if (g_strcmp0 (str, "prediction") == 0)
    *out = LIMNER_SOURCE_PREDICTION;
  else
    return FALSE;
  return TRUE;
}

char *
limner_role_to_string (LimnerRole roles)
{
  GString *s = g_string_new (NULL);

  if (roles & LIMNER_ROLE_ANNOTATOR)
    g_string_append (s, "annotator,");
  if (roles & LIMNER_ROLE_REVIEWER)
    g_string_append (s, "reviewer,");
  if (roles & LIMNER_ROLE_LEAD)
    g_string_append (s, "lead,");
  if (s->len > 0)
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

gboolean
limner_role_from_string (const char *str, LimnerRole *out, GError **error)
{
  g_auto(GStrv) parts = NULL;
  LimnerRole roles = LIMNER_ROLE_NONE;

  g_return_val_if_fail (str != NULL, FALSE);

  parts = g_strsplit (str, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (*p == '\0')
        continue;
      if (g_str_equal (p, "annotator"))
        roles |= LIMNER_ROLE_ANNOTATOR;
      else if (g_str_equal (p, "reviewer"))
        roles |= LIMNER_ROLE_REVIEWER;
      else if (g_str_equal (p, "lead"))
        roles |= LIMNER_ROLE_LEAD;
      else
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("“%s” is not a role; the roles are annotator, reviewer and lead"), p);
          return FALSE;
        }
    }
  *out = roles;
  return TRUE;
}

/* Private helpers shared by the store's files */

sqlite3 *
limner_store_db (LimnerStore *self)
{
  return self->db;
}

void
limner_store_set_sqlite_error (LimnerStore  *self,
                               GError      **error,
                               const char   *what)
{
  const char *msg = sqlite3_errmsg (self->db);
  int code = sqlite3_extended_errcode (self->db);
  int ecode = LIMNER_STORE_ERROR_FAILED;

  if (strstr (msg, "published versions are immutable") != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IMMUTABLE,
                   _("Published versions can never be changed"));
      return;
    }
  if ((code & 0xff) == SQLITE_BUSY)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                   _("%s: the project database in %s is busy; another program is writing to it"),
                   what, self->dir);
      return;
    }
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    ecode = LIMNER_STORE_ERROR_EXISTS;
  else if ((code & 0xff) == SQLITE_CONSTRAINT)
    ecode = LIMNER_STORE_ERROR_INVALID;
  g_set_error (error, LIMNER_STORE_ERROR, ecode, "%s: %s", what, msg);
}

sqlite3_stmt *
limner_store_prepare (LimnerStore  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          limner_store_set_sqlite_error (self, error, _("Could not prepare a query"));
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

gboolean
limner_store_exec (LimnerStore  *self,
                   const char   *sql,
                   GError      **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      if (errmsg != NULL && strstr (errmsg, "published versions are immutable") != NULL)
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IMMUTABLE,
                     _("Published versions can never be changed"));
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_FAILED,
                     _("Database error in %s: %s"), self->dir, errmsg ? errmsg : "?");
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

gboolean
limner_store_write_begin (LimnerStore *self, GError **error)
{
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
limner_store_points_from_column (sqlite3_stmt *stmt, int col)
{
  const void *blob = sqlite3_column_blob (stmt, col);
  int bytes = sqlite3_column_bytes (stmt, col);
  guint n = bytes / sizeof (double);
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (double), n);

  if (blob != NULL && n > 0)
    g_array_append_vals (points, blob, n);
  return points;
}

void
limner_store_bind_points (sqlite3_stmt *stmt, int col, const GArray *points)
{
  sqlite3_bind_blob (stmt, col, points->data, points->len * sizeof (double), SQLITE_TRANSIENT);
}

void
limner_store_bind_text_or_null (sqlite3_stmt *stmt, int col, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

char *
limner_store_column_dup (sqlite3_stmt *stmt, int col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* Object */

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
limner_store_finalize (GObject *object)
{
  LimnerStore *self = LIMNER_STORE (object);

  if (self->in_batch)
    limner_store_rollback (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
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
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

static gint64
query_int (LimnerStore *self, const char *sql, gint64 def)
{
  sqlite3_stmt *stmt = limner_store_prepare (self, sql, NULL);
  gint64 value = def;

  if (stmt == NULL)
    return def;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

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

static LimnerStore *
connect (const char *dir, const char *login, gboolean create, GError **error)
{
  g_autoptr(LimnerStore) self = NULL;
  g_autofree char *path = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
  int rc;

  self = g_object_new (LIMNER_TYPE_STORE, NULL);
  self->dir = g_canonicalize_filename (dir, NULL);
  self->login = g_strdup (login != NULL && *login != '\0' ? login : g_get_user_name ());
  path = g_build_filename (self->dir, LIMNER_STORE_DB_NAME, NULL);

  if (create)
    flags |= SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                   _("Could not open %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  /* Reading the header tells a SQLite file from anything else. */
  if (sqlite3_exec (self->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                   _("%s is not a Limner project database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (!limner_store_exec (self, "PRAGMA journal_mode = WAL", error)
      || !limner_store_exec (self, "PRAGMA foreign_keys = ON", error)
      || !limner_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  self->schema_version = query_int (self, "PRAGMA user_version", 0);
  if (!create)
    {
      gint64 app_id = query_int (self, "PRAGMA application_id", 0);

      if (app_id != LIMNER_APPLICATION_ID)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT,
                       _("%s is a SQLite database but not a Limner project"), path);
          return NULL;
        }
    }
  if (self->schema_version > LIMNER_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NEWER_SCHEMA,
                   _("%s was written by a newer version of Limner (schema %d; this version "
                     "reads up to %d). Update Limner to open this project."),
                   path, self->schema_version, LIMNER_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (self->schema_version < LIMNER_STORE_SCHEMA_VERSION
      && !migrate (self, self->schema_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
limner_store_exists (const char *dir)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
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
  g_autofree char *app_id_sql = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (dir != NULL && *dir != '\0', NULL);

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

  self = connect (dir, login, TRUE, error);
  if (self == NULL)
    return NULL;

  app_id_sql = g_strdup_printf ("PRAGMA application_id = %d", LIMNER_APPLICATION_ID);
  if (!limner_store_exec (self, app_id_sql, error))
    return NULL;

  project_name = name != NULL && *name != '\0' ? g_strdup (name) : g_path_get_basename (self->dir);

  if (!limner_store_write_begin (self, error))
    return NULL;
  stmt = limner_store_prepare (self, "INSERT INTO settings (key, value) VALUES ('name', ?1)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, project_name, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        limner_store_set_sqlite_error (self, error, _("Could not name the project"));
      sqlite3_reset (stmt);
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
          sqlite3_bind_text (stmt, 1, self->login, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (stmt, 2, LIMNER_ROLE_LEAD | LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER);
          sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
          ok = sqlite3_step (stmt) == SQLITE_DONE;
          if (!ok)
            limner_store_set_sqlite_error (self, error, _("Could not add the lead"));
          sqlite3_reset (stmt);
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
  g_return_val_if_fail (dir != NULL, NULL);

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
  return connect (dir, login, FALSE, error);
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
  sqlite3_stmt *stmt;
  LimnerRole roles = LIMNER_ROLE_NONE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), LIMNER_ROLE_NONE);
  g_return_val_if_fail (login != NULL, LIMNER_ROLE_NONE);

  stmt = limner_store_prepare (self, "SELECT roles FROM users WHERE login = ?1", NULL);
  if (stmt == NULL)
    return LIMNER_ROLE_NONE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    roles = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
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

char *
limner_store_relativize_path (LimnerStore *self, const char *abs_path)
{
  g_autofree char *canon = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = NULL;
  char *rel;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (abs_path != NULL, NULL);

  canon = g_canonicalize_filename (abs_path, NULL);
  dir = g_file_new_for_path (self->dir);
  file = g_file_new_for_path (canon);
  rel = g_file_get_relative_path (dir, file);
  return rel != NULL ? rel : g_steal_pointer (&canon);
}

char *
limner_store_resolve_path (LimnerStore *self, const char *stored_path)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (stored_path != NULL, NULL);

  if (g_path_is_absolute (stored_path))
    return g_strdup (stored_path);
  return g_build_filename (self->dir, stored_path, NULL);
}

/* Settings */

char *
limner_store_get_setting (LimnerStore *self, const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = limner_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = limner_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* Runs one prepared write statement to completion; on failure sets `error`
 * prefixed with `what`. The statement is reset either way. */
static gboolean
step_done (LimnerStore *self, sqlite3_stmt *stmt, const char *what, GError **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    limner_store_set_sqlite_error (self, error, what);
  sqlite3_reset (stmt);
  return ok;
}

gboolean
limner_store_set_setting (LimnerStore  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  sqlite3_stmt *stmt;
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
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      limner_store_bind_text_or_null (stmt, 2, value);
      ok = step_done (self, stmt, key, error);
    }
  return limner_store_write_end (self, ok, error);
}

/* Users */

gboolean
limner_store_set_user_roles (LimnerStore  *self,
                             const char   *login,
                             LimnerRole    roles,
                             GError      **error)
{
  sqlite3_stmt *stmt;
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
      sqlite3_stmt *q = limner_store_prepare (self,
                                              "SELECT count(*) FROM users WHERE roles & 4 AND login != ?1",
                                              error);
      gint64 other_leads = 0;

      if (q == NULL)
        return FALSE;
      sqlite3_bind_text (q, 1, login, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (q) == SQLITE_ROW)
        other_leads = sqlite3_column_int64 (q, 0);
      sqlite3_reset (q);
      if (other_leads == 0)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("“%s” is the only lead of the project and must stay one"), login);
          return FALSE;
        }
    }

  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "INSERT INTO users (login, roles, created_at) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (login) DO UPDATE SET roles = excluded.roles",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, roles);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
      ok = step_done (self, stmt, login, error);
    }
  if (ok)
    {
      g_autofree char *role_str = limner_role_to_string (roles);
      g_autofree char *login_json = g_strescape (login, NULL);

      detail = g_strdup_printf ("{\"login\": \"%s\", \"roles\": \"%s\"}", login_json, role_str);
      ok = limner_store_log_event_locked (self, "user.roles", 0, 0, detail, error);
    }
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_users (LimnerStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *users;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT login, roles FROM users ORDER BY login", error);
  if (stmt == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_user_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LimnerUser *user = g_new0 (LimnerUser, 1);

      user->login = limner_store_column_dup (stmt, 0);
      user->roles = sqlite3_column_int (stmt, 1);
      g_ptr_array_add (users, user);
    }
  sqlite3_reset (stmt);
  return users;
}

/* Labels */

static gboolean
valid_color (const char *color)
{
  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static gboolean
blank (const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
check_label_fields (const char *name, const char *color, const char *hotkey, GError **error)
{
  if (blank (name))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("A label needs a name"));
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("A label name must be valid UTF-8"));
      return FALSE;
    }
  if (color != NULL && !valid_color (color))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: “%s” is not a colour of the form #RRGGBB"), name, color);
      return FALSE;
    }
  if (hotkey != NULL && (g_utf8_strlen (hotkey, -1) != 1 || g_ascii_isspace (hotkey[0])))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: the hotkey “%s” must be a single character"), name, hotkey);
      return FALSE;
    }
  return TRUE;
}

static LimnerLabel *
label_from_row (sqlite3_stmt *stmt)
{
  LimnerLabel *label = g_new0 (LimnerLabel, 1);

  label->id = sqlite3_column_int64 (stmt, 0);
  label->name = limner_store_column_dup (stmt, 1);
  label->color = limner_store_column_dup (stmt, 2);
  label->hotkey = limner_store_column_dup (stmt, 3);
  label->guide = limner_store_column_dup (stmt, 4);
  label->position = sqlite3_column_int (stmt, 5);
  return label;
}

/* Turns a failed label write into a sentence: a clash of names or hotkeys. */
static void
set_label_write_error (LimnerStore *self, GError **error, const char *name, const char *hotkey)
{
  gboolean constraint = (sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_CONSTRAINT;

  if (constraint && strstr (sqlite3_errmsg (self->db), "hotkey") != NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                 _("Label “%s”: another label already uses the hotkey “%s”"), name, hotkey);
  else if (constraint)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                 _("A label named “%s” already exists"), name);
  else
    limner_store_set_sqlite_error (self, error, name);
}

#define LABEL_COLUMNS "id, name, color, hotkey, guide, position"

gint64
limner_store_add_label (LimnerStore  *self,
                        const char   *name,
                        const char   *color,
                        const char   *hotkey,
                        const char   *guide,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count, id = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  if (!check_label_fields (name, color, hotkey, error)
      || !limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return 0;

  count = query_int (self, "SELECT count(*) FROM labels", 0);
  stmt = limner_store_prepare (self,
                               "INSERT INTO labels (name, color, hotkey, guide, position) "
                               "VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(max(position) + 1, 0) FROM labels))",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, color ? color : default_colors[count % G_N_ELEMENTS (default_colors)],
                         -1, SQLITE_TRANSIENT);
      limner_store_bind_text_or_null (stmt, 3, hotkey);
      limner_store_bind_text_or_null (stmt, 4, guide);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        set_label_write_error (self, error, name, hotkey);
      sqlite3_reset (stmt);
    }
  if (ok)
    {
      id = sqlite3_last_insert_rowid (self->db);
      ok = limner_store_log_event_locked (self, "label.add", 0, 0, NULL, error);
    }
  if (!limner_store_write_end (self, ok, error))
    return 0;
  return id;
}

gboolean
limner_store_update_label (LimnerStore        *self,
                           const LimnerLabel  *label,
                           GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (!check_label_fields (label->name, label->color, label->hotkey, error)
      || !limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  if (label->color == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s” needs a colour"), label->name);
      return FALSE;
    }
  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "UPDATE labels SET name = ?2, color = ?3, hotkey = ?4, guide = ?5 "
                               "WHERE id = ?1",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, label->id);
      sqlite3_bind_text (stmt, 2, label->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, label->color, -1, SQLITE_TRANSIENT);
      limner_store_bind_text_or_null (stmt, 4, label->hotkey);
      limner_store_bind_text_or_null (stmt, 5, label->guide);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        set_label_write_error (self, error, label->name, label->hotkey);
      sqlite3_reset (stmt);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("There is no label with id %" PRId64), label->id);
      ok = FALSE;
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "label.update", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

gint64
limner_store_count_label_shapes (LimnerStore *self, gint64 label_id)
{
  sqlite3_stmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  stmt = limner_store_prepare (self, "SELECT count(*) FROM shapes WHERE label_id = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, label_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gboolean
limner_store_delete_label (LimnerStore  *self,
                           gint64        label_id,
                           GError      **error)
{
  g_autoptr(LimnerLabel) label = NULL;
  sqlite3_stmt *stmt;
  gint64 used;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  label = limner_store_get_label (self, label_id, error);
  if (label == NULL)
    return FALSE;
  used = limner_store_count_label_shapes (self, label_id);
  if (used > 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Label “%s” is used by %" PRId64 " shape; relabel or delete it first",
                                "Label “%s” is used by %" PRId64 " shapes; relabel or delete them first",
                                used),
                   label->name, used);
      return FALSE;
    }
  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "DELETE FROM labels WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, label_id);
      ok = step_done (self, stmt, label->name, error);
    }
  if (ok)
    ok = limner_store_exec (self,
                            "UPDATE labels SET position = (SELECT count(*) FROM labels l2 "
                            "WHERE l2.position < labels.position)",
                            error);
  if (ok)
    ok = limner_store_log_event_locked (self, "label.delete", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_move_label (LimnerStore  *self,
                         gint64        label_id,
                         int           position,
                         GError      **error)
{
  g_autoptr(GPtrArray) labels = NULL;
  sqlite3_stmt *stmt;
  int from = -1;
  gboolean ok = TRUE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  labels = limner_store_list_labels (self, error);
  if (labels == NULL)
    return FALSE;
  for (guint i = 0; i < labels->len; i++)
    if (((LimnerLabel *) labels->pdata[i])->id == label_id)
      from = i;
  if (from < 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("There is no label with id %" PRId64), label_id);
      return FALSE;
    }
  position = CLAMP (position, 0, (int) labels->len - 1);
  {
    gpointer moved = labels->pdata[from];

    g_ptr_array_steal_index (labels, from);
    g_ptr_array_insert (labels, position, moved);
  }

  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "UPDATE labels SET position = ?2 WHERE id = ?1", error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < labels->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, ((LimnerLabel *) labels->pdata[i])->id);
      sqlite3_bind_int (stmt, 2, i);
      ok = step_done (self, stmt, ((LimnerLabel *) labels->pdata[i])->name, error);
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "label.move", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_labels (LimnerStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *labels;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " LABEL_COLUMNS " FROM labels ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;
  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_label_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (labels, label_from_row (stmt));
  sqlite3_reset (stmt);
  return labels;
}

static LimnerLabel *
get_label_by (LimnerStore *self, const char *sql, gint64 id, const char *name, GError **error)
{
  sqlite3_stmt *stmt = limner_store_prepare (self, sql, error);
  LimnerLabel *label = NULL;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    label = label_from_row (stmt);
  sqlite3_reset (stmt);
  if (label == NULL)
    {
      if (name != NULL)
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("There is no label named “%s”"), name);
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("There is no label with id %" PRId64), id);
    }
  return label;
}

LimnerLabel *
limner_store_get_label (LimnerStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return get_label_by (self, "SELECT " LABEL_COLUMNS " FROM labels WHERE id = ?1", id, NULL, error);
}

LimnerLabel *
limner_store_find_label (LimnerStore *self, const char *name, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return get_label_by (self, "SELECT " LABEL_COLUMNS " FROM labels WHERE name = ?1", 0, name, error);
}

/* Images */

#define IMAGE_COLUMNS "id, path, sha256, size, width, height, format, status, assignee, claimed_at, added_at"

static LimnerImageRecord *
image_from_row (sqlite3_stmt *stmt)
{
  LimnerImageRecord *image = g_new0 (LimnerImageRecord, 1);

  image->id = sqlite3_column_int64 (stmt, 0);
  image->path = limner_store_column_dup (stmt, 1);
  image->sha256 = limner_store_column_dup (stmt, 2);
  image->size = sqlite3_column_int64 (stmt, 3);
  image->width = sqlite3_column_int (stmt, 4);
  image->height = sqlite3_column_int (stmt, 5);
  image->format = limner_store_column_dup (stmt, 6);
  if (!limner_image_status_from_string ((const char *) sqlite3_column_text (stmt, 7), &image->status))
    image->status = LIMNER_IMAGE_NEW;
  image->assignee = limner_store_column_dup (stmt, 8);
  image->claimed_at = sqlite3_column_int64 (stmt, 9);
  image->added_at = sqlite3_column_int64 (stmt, 10);
  return image;
}

static gboolean
valid_sha256 (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
      return FALSE;
  return TRUE;
}

gint64
limner_store_add_image (LimnerStore  *self,
                        const char   *path,
                        const char   *sha256,
                        gint64        size,
                        int           width,
                        int           height,
                        const char   *format,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  g_return_val_if_fail (path != NULL && format != NULL, 0);

  if (!valid_sha256 (sha256) || size < 0 || width <= 0 || height <= 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: invalid image record (hash, size or dimensions)"), path);
      return 0;
    }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return 0;
  stmt = limner_store_prepare (self,
                               "INSERT INTO images (path, sha256, size, width, height, format, added_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, size);
      sqlite3_bind_int (stmt, 4, width);
      sqlite3_bind_int (stmt, 5, height);
      sqlite3_bind_text (stmt, 6, format, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        {
          if ((sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_CONSTRAINT)
            g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                         _("%s is already in the project (same path or same content)"), path);
          else
            limner_store_set_sqlite_error (self, error, path);
        }
      sqlite3_reset (stmt);
    }
  if (ok)
    {
      id = sqlite3_last_insert_rowid (self->db);
      ok = limner_store_log_event_locked (self, "image.add", id, 0, NULL, error);
    }
  if (!limner_store_write_end (self, ok, error))
    return 0;
  return id;
}

gboolean
limner_store_has_sha256 (LimnerStore *self, const char *sha256)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  stmt = limner_store_prepare (self, "SELECT 1 FROM images WHERE sha256 = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static LimnerImageRecord *
get_image_by (LimnerStore *self, const char *sql, gint64 id, const char *text, GError **error)
{
  sqlite3_stmt *stmt = limner_store_prepare (self, sql, error);
  LimnerImageRecord *image = NULL;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    image = image_from_row (stmt);
  sqlite3_reset (stmt);
  if (image == NULL)
    {
      if (text != NULL)
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("The project has no image %s"), text);
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("The project has no image with id %" PRId64), id);
    }
  return image;
}

LimnerImageRecord *
limner_store_get_image (LimnerStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return get_image_by (self, "SELECT " IMAGE_COLUMNS " FROM images WHERE id = ?1", id, NULL, error);
}

LimnerImageRecord *
limner_store_find_image_by_path (LimnerStore  *self,
                                 const char   *path,
                                 GError      **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  return get_image_by (self, "SELECT " IMAGE_COLUMNS " FROM images WHERE path = ?1", 0, path, error);
}

LimnerImageRecord *
limner_store_find_image_by_sha256 (LimnerStore  *self,
                                   const char   *sha256,
                                   GError      **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  return get_image_by (self, "SELECT " IMAGE_COLUMNS " FROM images WHERE sha256 = ?1", 0, sha256, error);
}

LimnerImageRecord *
limner_store_lookup_image (LimnerStore  *self,
                           const char   *id_or_path,
                           GError      **error)
{
  guint64 id;
  LimnerImageRecord *image;
  g_autofree char *abs = NULL;
  g_autofree char *rel = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_path != NULL, NULL);

  if (g_ascii_string_to_unsigned (id_or_path, 10, 1, G_MAXINT64, &id, NULL))
    return limner_store_get_image (self, id, error);

  image = limner_store_find_image_by_path (self, id_or_path, NULL);
  if (image != NULL)
    return image;

  /* A path as the user typed it: relative to the working directory. */
  abs = g_canonicalize_filename (id_or_path, NULL);
  rel = limner_store_relativize_path (self, abs);
  image = limner_store_find_image_by_path (self, rel, NULL);
  if (image == NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                 _("The project has no image %s"), id_or_path);
  return image;
}

GPtrArray *
limner_store_list_images (LimnerStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *images;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " IMAGE_COLUMNS " FROM images ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  images = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_image_record_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (images, image_from_row (stmt));
  sqlite3_reset (stmt);
  return images;
}

gint64
limner_store_count_images (LimnerStore *self, int status)
{
  sqlite3_stmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  if (status < 0)
    return query_int (self, "SELECT count(*) FROM images", 0);
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, 0);
  stmt = limner_store_prepare (self, "SELECT count(*) FROM images WHERE status = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, status_names[status], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gboolean
limner_store_set_image_path (LimnerStore  *self,
                             gint64        image_id,
                             const char   *path,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "UPDATE images SET path = ?2 WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, image_id);
      sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
      ok = step_done (self, stmt, path, error);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("The project has no image with id %" PRId64), image_id);
      ok = FALSE;
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "image.relink", image_id, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

/* The work queue */

static gint64
claim_timeout (LimnerStore *self)
{
  g_autofree char *value = limner_store_get_setting (self, "claim_timeout");
  gint64 seconds;

  if (value != NULL && g_ascii_string_to_signed (value, 10, 1, G_MAXINT32, &seconds, NULL))
    return seconds;
  return DEFAULT_CLAIM_TIMEOUT_S;
}

static gboolean
claim_locked (LimnerStore *self, LimnerImageRecord *image, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok;

  stmt = limner_store_prepare (self,
                               "UPDATE images SET status = 'in_progress', assignee = ?2, claimed_at = ?3, "
                               "last_annotator = ?2 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, image->id);
  sqlite3_bind_text (stmt, 2, self->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  ok = step_done (self, stmt, image->path, error);
  if (ok)
    {
      image->status = LIMNER_IMAGE_IN_PROGRESS;
      g_free (image->assignee);
      image->assignee = g_strdup (self->login);
      image->claimed_at = now;
      ok = limner_store_log_event_locked (self, "image.claim", image->id, 0, NULL, error);
    }
  return ok;
}

/* Whether the acting user may take `image` now. */
static gboolean
claimable (LimnerStore *self, const LimnerImageRecord *image, GError **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean stale = image->claimed_at + claim_timeout (self) < now;

  switch (image->status)
    {
    case LIMNER_IMAGE_NEW:
    case LIMNER_IMAGE_REJECTED:
      if (image->assignee == NULL || g_str_equal (image->assignee, self->login))
        return TRUE;
      break;
    case LIMNER_IMAGE_IN_PROGRESS:
      if (image->assignee == NULL || g_str_equal (image->assignee, self->login) || stale)
        return TRUE;
      break;
    case LIMNER_IMAGE_SUBMITTED:
    case LIMNER_IMAGE_IN_REVIEW:
    case LIMNER_IMAGE_ACCEPTED:
    default:
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is %s and cannot be claimed"), image->path,
                   status_names[image->status]);
      return FALSE;
    }
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
               _("%s is held by %s"), image->path, image->assignee);
  return FALSE;
}

LimnerImageRecord *
limner_store_claim_next (LimnerStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(LimnerImageRecord) image = NULL;
  gint64 stale_before;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR, error)
      || !limner_store_write_begin (self, error))
    return NULL;

  stale_before = g_get_real_time () / G_USEC_PER_SEC - claim_timeout (self);
  /* Own work first (an image already held, then rejected work sent back),
   * then new images, then stale claims of others. */
  stmt = limner_store_prepare (self,
                               "SELECT " IMAGE_COLUMNS " FROM images WHERE "
                               "  (status = 'in_progress' AND assignee = ?1) "
                               "  OR (status IN ('new', 'rejected') AND (assignee IS NULL OR assignee = ?1)) "
                               "  OR (status = 'in_progress' AND claimed_at < ?2) "
                               "ORDER BY CASE "
                               "  WHEN assignee = ?1 AND status = 'in_progress' THEN 0 "
                               "  WHEN assignee = ?1 THEN 1 "
                               "  WHEN status = 'new' THEN 2 ELSE 3 END, id "
                               "LIMIT 1",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, self->login, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, stale_before);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        image = image_from_row (stmt);
      sqlite3_reset (stmt);
    }
  if (ok && image != NULL)
    ok = claim_locked (self, image, error);
  if (!limner_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&image);
}

gboolean
limner_store_claim (LimnerStore *self, gint64 image_id, GError **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  image = limner_store_get_image (self, image_id, error);
  ok = image != NULL && claimable (self, image, error);
  if (ok && !(image->status == LIMNER_IMAGE_IN_PROGRESS
              && g_strcmp0 (image->assignee, self->login) == 0))
    ok = claim_locked (self, image, error);
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_release (LimnerStore *self, gint64 image_id, GError **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok && image->status != LIMNER_IMAGE_IN_PROGRESS)
    return limner_store_write_end (self, TRUE, error);
  if (ok && g_strcmp0 (image->assignee, self->login) != 0
      && !(limner_store_get_roles (self) & LIMNER_ROLE_LEAD))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is held by %s, not by %s"), image->path, image->assignee, self->login);
      ok = FALSE;
    }
  if (ok)
    {
      /* Work that came back from review keeps its annotator. */
      stmt = limner_store_prepare (self,
                                   "UPDATE images SET "
                                   "  status = CASE WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.image_id = images.id "
                                   "    AND r.decision = 'reject') THEN 'rejected' ELSE 'new' END, "
                                   "  assignee = CASE WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.image_id = images.id "
                                   "    AND r.decision = 'reject') THEN assignee ELSE NULL END, "
                                   "  claimed_at = 0 WHERE id = ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, image_id);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "image.release", image_id, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

static gboolean
transition_allowed (LimnerImageStatus from, LimnerImageStatus to)
{
  switch (to)
    {
    case LIMNER_IMAGE_NEW:
      return TRUE; /* a lead resets an image */
    case LIMNER_IMAGE_IN_PROGRESS:
      return from == LIMNER_IMAGE_NEW || from == LIMNER_IMAGE_REJECTED || from == LIMNER_IMAGE_IN_PROGRESS;
    case LIMNER_IMAGE_SUBMITTED:
      return from == LIMNER_IMAGE_IN_PROGRESS;
    case LIMNER_IMAGE_IN_REVIEW:
      return from == LIMNER_IMAGE_SUBMITTED;
    case LIMNER_IMAGE_ACCEPTED:
    case LIMNER_IMAGE_REJECTED:
      return from == LIMNER_IMAGE_IN_REVIEW || from == LIMNER_IMAGE_SUBMITTED;
    case LIMNER_IMAGE_N_STATUS:
    default:
      return FALSE;
    }
}

gboolean
limner_store_set_image_status (LimnerStore        *self,
                               gint64              image_id,
                               LimnerImageStatus   status,
                               GError            **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autofree char *detail = NULL;
  LimnerRole need;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (status < LIMNER_IMAGE_N_STATUS, FALSE);

  switch (status)
    {
    case LIMNER_IMAGE_IN_PROGRESS:
    case LIMNER_IMAGE_SUBMITTED:
      need = LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_LEAD;
      break;
    case LIMNER_IMAGE_IN_REVIEW:
    case LIMNER_IMAGE_ACCEPTED:
    case LIMNER_IMAGE_REJECTED:
      need = LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD;
      break;
    case LIMNER_IMAGE_NEW:
    case LIMNER_IMAGE_N_STATUS:
    default:
      need = LIMNER_ROLE_LEAD;
      break;
    }
  if (!limner_store_require_role (self, need, error)
      || !limner_store_write_begin (self, error))
    return FALSE;

  image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok && !transition_allowed (image->status, status))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s cannot go from %s to %s"), image->path,
                   status_names[image->status], status_names[status]);
      ok = FALSE;
    }
  /* Only the holder submits, unless a lead steps in. */
  if (ok && status == LIMNER_IMAGE_SUBMITTED && image->assignee != NULL
      && !g_str_equal (image->assignee, self->login)
      && !(limner_store_get_roles (self) & LIMNER_ROLE_LEAD))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
                   _("%s is held by %s, not by %s"), image->path, image->assignee, self->login);
      ok = FALSE;
    }
  if (ok)
    {
      /* Rejected work goes back to the annotator who submitted it; a reset
       * image (new) belongs to no one. */
      stmt = limner_store_prepare (self,
                                   "UPDATE images SET status = ?2, "
                                   "  assignee = CASE ?2 WHEN 'new' THEN NULL "
                                   "    WHEN 'in_progress' THEN ?3 "
                                   "    WHEN 'rejected' THEN last_annotator ELSE assignee END, "
                                   "  last_annotator = CASE ?2 WHEN 'in_progress' THEN ?3 "
                                   "    WHEN 'submitted' THEN COALESCE(assignee, ?3) ELSE last_annotator END, "
                                   "  claimed_at = CASE ?2 WHEN 'in_progress' THEN ?4 ELSE 0 END "
                                   "WHERE id = ?1",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, image_id);
          sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, self->login, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    {
      detail = g_strdup_printf ("{\"from\": \"%s\", \"to\": \"%s\"}",
                                status_names[image->status], status_names[status]);
      ok = limner_store_log_event_locked (self, "image.status", image_id, 0, detail, error);
    }
  return limner_store_write_end (self, ok, error);
}

/* Shapes */

static gboolean
check_shape (LimnerStore *self, const LimnerShape *shape, const LimnerImageRecord *image, GError **error)
{
  const double *p;
  guint n;

  if (shape->points == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a shape has no points"), image->path);
      return FALSE;
    }
  n = shape->points->len;
  p = (const double *) shape->points->data;
  if (shape->kind == LIMNER_SHAPE_BOX && n != 4)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a box needs exactly two corners"), image->path);
      return FALSE;
    }
  if (shape->kind == LIMNER_SHAPE_POLYGON && (n < 6 || n % 2 != 0))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a polygon needs at least three vertices"), image->path);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      double limit = i % 2 == 0 ? image->width : image->height;

      if (!isfinite (p[i]))
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("%s: point %u of a shape is not a finite number"), image->path, i / 2 + 1);
          return FALSE;
        }
      if (p[i] < 0 || p[i] > limit)
        {
          g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                       _("%s: point %u (%g, %g) of a shape lies outside the %d×%d image"),
                       image->path, i / 2 + 1, p[i - i % 2], p[i - i % 2 + 1],
                       image->width, image->height);
          return FALSE;
        }
    }
  if (shape->kind == LIMNER_SHAPE_BOX && (p[0] > p[2] || p[1] > p[3]))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a box's first corner must be its top-left one"), image->path);
      return FALSE;
    }
  if (shape->score < 0 || shape->score > 1 || !isfinite (shape->score))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("%s: a shape's score must lie between 0 and 1"), image->path);
      return FALSE;
    }
  return TRUE;
}

/* Annotators edit only images they hold; reviewers and leads edit any. */
static gboolean
may_edit_image (LimnerStore *self, const LimnerImageRecord *image, GError **error)
{
  LimnerRole roles = limner_store_get_roles (self);

  if (roles & (LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD))
    return TRUE;
  if (!(roles & LIMNER_ROLE_ANNOTATOR))
    return limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD,
                                      error);
  if (image->status == LIMNER_IMAGE_IN_PROGRESS && g_strcmp0 (image->assignee, self->login) == 0)
    return TRUE;
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT,
               _("%s is not claimed by %s; claim it before editing"), image->path, self->login);
  return FALSE;
}

static gboolean
label_exists (LimnerStore *self, gint64 label_id)
{
  sqlite3_stmt *stmt = limner_store_prepare (self, "SELECT 1 FROM labels WHERE id = ?1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, label_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
prepare_shape_write (LimnerStore        *self,
                     const LimnerShape  *shape,
                     LimnerImageRecord **image_out,
                     GError            **error)
{
  g_autoptr(LimnerImageRecord) image = limner_store_get_image (self, shape->image_id, error);

  if (image == NULL || !may_edit_image (self, image, error) || !check_shape (self, shape, image, error))
    return FALSE;
  if (shape->label_id != 0 && !label_exists (self, shape->label_id))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("%s: there is no label with id %" PRId64), image->path, shape->label_id);
      return FALSE;
    }
  *image_out = g_steal_pointer (&image);
  return TRUE;
}

static void
bind_label (sqlite3_stmt *stmt, int col, gint64 label_id)
{
  if (label_id == 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, label_id);
}

gboolean
limner_store_insert_shape (LimnerStore  *self,
                           LimnerShape  *shape,
                           GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  ok = prepare_shape_write (self, shape, &image, error);
  if (ok)
    {
      /* A shape with an id is being restored (undo of a delete): keep it. */
      stmt = limner_store_prepare (self,
                                   "INSERT INTO shapes (id, image_id, label_id, kind, points, group_id, source, "
                                   "score, author, created_at, modified_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          if (shape->id > 0)
            sqlite3_bind_int64 (stmt, 1, shape->id);
          else
            sqlite3_bind_null (stmt, 1);
          sqlite3_bind_int64 (stmt, 2, shape->image_id);
          bind_label (stmt, 3, shape->label_id);
          sqlite3_bind_text (stmt, 4, limner_shape_kind_to_string (shape->kind), -1, SQLITE_STATIC);
          limner_store_bind_points (stmt, 5, shape->points);
          sqlite3_bind_int64 (stmt, 6, shape->group_id);
          sqlite3_bind_text (stmt, 7, limner_shape_source_to_string (shape->source), -1, SQLITE_STATIC);
          sqlite3_bind_double (stmt, 8, shape->score);
          sqlite3_bind_text (stmt, 9, shape->author ? shape->author : self->login, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 10, shape->created_at > 0 ? shape->created_at : now);
          sqlite3_bind_int64 (stmt, 11, now);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    {
      shape->id = sqlite3_last_insert_rowid (self->db);
      if (shape->author == NULL)
        shape->author = g_strdup (self->login);
      if (shape->created_at <= 0)
        shape->created_at = now;
      shape->modified_at = now;
      ok = limner_store_log_event_locked (self, "shape.add", shape->image_id, shape->id, NULL, error);
    }
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_update_shape (LimnerStore  *self,
                           LimnerShape  *shape,
                           GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  ok = prepare_shape_write (self, shape, &image, error);
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "UPDATE shapes SET label_id = ?2, kind = ?3, points = ?4, group_id = ?5, "
                                   "source = ?6, score = ?7, modified_at = ?8 "
                                   "WHERE id = ?1 AND image_id = ?9",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, shape->id);
          bind_label (stmt, 2, shape->label_id);
          sqlite3_bind_text (stmt, 3, limner_shape_kind_to_string (shape->kind), -1, SQLITE_STATIC);
          limner_store_bind_points (stmt, 4, shape->points);
          sqlite3_bind_int64 (stmt, 5, shape->group_id);
          sqlite3_bind_text (stmt, 6, limner_shape_source_to_string (shape->source), -1, SQLITE_STATIC);
          sqlite3_bind_double (stmt, 7, shape->score);
          sqlite3_bind_int64 (stmt, 8, now);
          sqlite3_bind_int64 (stmt, 9, shape->image_id);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("%s has no shape with id %" PRId64), image->path, shape->id);
      ok = FALSE;
    }
  if (ok)
    {
      shape->modified_at = now;
      ok = limner_store_log_event_locked (self, "shape.update", shape->image_id, shape->id, NULL, error);
    }
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_delete_shape (LimnerStore  *self,
                           gint64        shape_id,
                           GError      **error)
{
  g_autoptr(LimnerShape) shape = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_write_begin (self, error))
    return FALSE;
  shape = limner_store_get_shape (self, shape_id, error);
  ok = shape != NULL;
  if (ok)
    {
      image = limner_store_get_image (self, shape->image_id, error);
      ok = image != NULL && may_edit_image (self, image, error);
    }
  if (ok)
    {
      stmt = limner_store_prepare (self, "DELETE FROM shapes WHERE id = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, shape_id);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "shape.delete", shape->image_id, shape_id, NULL, error);
  return limner_store_write_end (self, ok, error);
}

#define SHAPE_COLUMNS "id, image_id, label_id, kind, points, group_id, source, score, author, created_at, modified_at"

static LimnerShape *
shape_from_row (sqlite3_stmt *stmt)
{
  LimnerShape *shape = g_new0 (LimnerShape, 1);

  shape->id = sqlite3_column_int64 (stmt, 0);
  shape->image_id = sqlite3_column_int64 (stmt, 1);
  shape->label_id = sqlite3_column_int64 (stmt, 2);
  if (!limner_shape_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &shape->kind))
    shape->kind = LIMNER_SHAPE_POLYGON;
  shape->points = limner_store_points_from_column (stmt, 4);
  shape->group_id = sqlite3_column_int64 (stmt, 5);
  if (!limner_shape_source_from_string ((const char *) sqlite3_column_text (stmt, 6), &shape->source))
    shape->source = LIMNER_SOURCE_MANUAL;
  shape->score = sqlite3_column_double (stmt, 7);
  shape->author = limner_store_column_dup (stmt, 8);
  shape->created_at = sqlite3_column_int64 (stmt, 9);
  shape->modified_at = sqlite3_column_int64 (stmt, 10);
  return shape;
}

LimnerShape *
limner_store_get_shape (LimnerStore *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt;
  LimnerShape *shape = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " SHAPE_COLUMNS " FROM shapes WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    shape = shape_from_row (stmt);
  sqlite3_reset (stmt);
  if (shape == NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                 _("There is no shape with id %" PRId64), id);
  return shape;
}

GPtrArray *
limner_store_list_shapes (LimnerStore  *self,
                          gint64        image_id,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *shapes;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " SHAPE_COLUMNS " FROM shapes WHERE image_id = ?1 ORDER BY id",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, image_id);
  shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (shapes, shape_from_row (stmt));
  sqlite3_reset (stmt);
  return shapes;
}

gint64
limner_store_count_shapes (LimnerStore *self)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);
  return query_int (self, "SELECT count(*) FROM shapes", 0);
}

gboolean
limner_store_foreach_shape (LimnerStore      *self,
                            LimnerShapeFunc   func,
                            gpointer          user_data,
                            GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean go_on = TRUE;
  int rc;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = limner_store_prepare (self, "SELECT " SHAPE_COLUMNS " FROM shapes ORDER BY image_id, id", error);
  if (stmt == NULL)
    return FALSE;
  while (go_on && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(LimnerShape) shape = shape_from_row (stmt);

      go_on = func (shape, user_data);
    }
  if (go_on && rc != SQLITE_DONE)
    {
      limner_store_set_sqlite_error (self, error, _("Could not read the shapes"));
      go_on = FALSE;
    }
  sqlite3_reset (stmt);
  return go_on;
}

/* Reference shapes */

gboolean
limner_store_add_reference_shape (LimnerStore           *self,
                                  LimnerReferenceShape  *ref,
                                  GError               **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL && ref->polygon != NULL, FALSE);

  for (guint i = 0; i < ref->polygon->len; i++)
    if (!isfinite (g_array_index (ref->polygon, double, i)))
      {
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                     _("A reference outline has a coordinate that is not a finite number"));
        return FALSE;
      }
  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "INSERT INTO reference_shapes (image_id, label_id, polygon, x0, y0, x1, y1) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, ref->image_id);
      bind_label (stmt, 2, ref->label_id);
      limner_store_bind_points (stmt, 3, ref->polygon);
      for (int i = 0; i < 4; i++)
        sqlite3_bind_double (stmt, 4 + i, ref->box[i]);
      ok = step_done (self, stmt, _("reference outline"), error);
    }
  if (ok)
    ref->id = sqlite3_last_insert_rowid (self->db);
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_reference_shapes (LimnerStore  *self,
                                    gint64        image_id,
                                    GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *refs;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self,
                               "SELECT id, image_id, label_id, polygon, x0, y0, x1, y1 FROM reference_shapes "
                               "WHERE ?1 = 0 OR image_id = ?1 ORDER BY image_id, id",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, image_id);
  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_reference_shape_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LimnerReferenceShape *ref = g_new0 (LimnerReferenceShape, 1);

      ref->id = sqlite3_column_int64 (stmt, 0);
      ref->image_id = sqlite3_column_int64 (stmt, 1);
      ref->label_id = sqlite3_column_int64 (stmt, 2);
      ref->polygon = limner_store_points_from_column (stmt, 3);
      for (int i = 0; i < 4; i++)
        ref->box[i] = sqlite3_column_double (stmt, 4 + i);
      g_ptr_array_add (refs, ref);
    }
  sqlite3_reset (stmt);
  return refs;
}

/* Events */

gboolean
limner_store_log_event_locked (LimnerStore  *self,
                               const char   *kind,
                               gint64        image_id,
                               gint64        shape_id,
                               const char   *detail_json,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = limner_store_prepare (self,
                               "INSERT INTO events (ts, login, kind, image_id, shape_id, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, self->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  if (image_id > 0)
    sqlite3_bind_int64 (stmt, 4, image_id);
  else
    sqlite3_bind_null (stmt, 4);
  if (shape_id > 0)
    sqlite3_bind_int64 (stmt, 5, shape_id);
  else
    sqlite3_bind_null (stmt, 5);
  limner_store_bind_text_or_null (stmt, 6, detail_json);
  return step_done (self, stmt, _("Could not log an event"), error);
}

gboolean
limner_store_log_event (LimnerStore  *self,
                        const char   *kind,
                        gint64        image_id,
                        gint64        shape_id,
                        const char   *detail_json,
                        GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  ok = limner_store_log_event_locked (self, kind, image_id, shape_id, detail_json, error);
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_events (LimnerStore  *self,
                          gint64        from_us,
                          gint64        to_us,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *events;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self,
                               "SELECT id, ts, login, kind, image_id, shape_id, detail FROM events "
                               "WHERE (?1 = 0 OR ts >= ?1) AND (?2 = 0 OR ts < ?2) ORDER BY ts, id",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_event_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      LimnerEvent *event = g_new0 (LimnerEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->ts = sqlite3_column_int64 (stmt, 1);
      event->login = limner_store_column_dup (stmt, 2);
      event->kind = limner_store_column_dup (stmt, 3);
      event->image_id = sqlite3_column_int64 (stmt, 4);
      event->shape_id = sqlite3_column_int64 (stmt, 5);
      event->detail = limner_store_column_dup (stmt, 6);
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  return events;
}

/* Reviews */

gboolean
limner_store_add_review (LimnerStore  *self,
                         gint64        image_id,
                         gboolean      accepted,
                         const char   *comment,
                         GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_REVIEWER, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  image = limner_store_get_image (self, image_id, error);
  ok = image != NULL;
  if (ok)
    {
      stmt = limner_store_prepare (self,
                                   "INSERT INTO reviews (image_id, reviewer, annotator, decision, comment, created_at) "
                                   "VALUES (?1, ?2, (SELECT last_annotator FROM images WHERE id = ?1), ?3, ?4, ?5)",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, image_id);
          sqlite3_bind_text (stmt, 2, self->login, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, accepted ? "accept" : "reject", -1, SQLITE_STATIC);
          limner_store_bind_text_or_null (stmt, 4, comment);
          sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
          ok = step_done (self, stmt, image->path, error);
        }
    }
  if (ok)
    ok = limner_store_log_event_locked (self, accepted ? "review.accept" : "review.reject",
                                        image_id, 0, NULL, error);
  if (ok)
    ok = limner_store_set_image_status (self, image_id,
                                        accepted ? LIMNER_IMAGE_ACCEPTED : LIMNER_IMAGE_REJECTED,
                                        error);
  return limner_store_write_end (self, ok, error);
}
