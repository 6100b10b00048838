/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store.h: the project store. The only module that contains SQL.
 *
 * A project is a directory holding project.db (SQLite, WAL). Every call that
 * changes data checks the acting user's role. Every change is committed at
 * once in its own BEGIN IMMEDIATE transaction unless the caller has opened a
 * batch with limner_store_begin().
 */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define LIMNER_STORE_SCHEMA_VERSION 2
#define LIMNER_STORE_DB_NAME "project.db"

#define LIMNER_STORE_ERROR (limner_store_error_quark ())
GQuark limner_store_error_quark (void);

typedef enum {
  LIMNER_STORE_ERROR_FAILED,        /* SQLite or I/O failure */
  LIMNER_STORE_ERROR_NOT_A_PROJECT, /* no project.db, or not a Limner database */
  LIMNER_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer Limner */
  LIMNER_STORE_ERROR_EXISTS,        /* project or item already exists */
  LIMNER_STORE_ERROR_NOT_FOUND,     /* no such image, label, user, shape, version */
  LIMNER_STORE_ERROR_PERMISSION,    /* the acting user lacks the role */
  LIMNER_STORE_ERROR_INVALID,       /* bad argument: non-finite point, empty name... */
  LIMNER_STORE_ERROR_IN_USE,        /* e.g. deleting a label that shapes use */
  LIMNER_STORE_ERROR_IMMUTABLE,     /* published versions never change */
  LIMNER_STORE_ERROR_CONFLICT,      /* image claimed by someone else, wrong status */
} LimnerStoreError;

typedef enum {
  LIMNER_ROLE_NONE      = 0,
  LIMNER_ROLE_ANNOTATOR = 1 << 0,
  LIMNER_ROLE_REVIEWER  = 1 << 1,
  LIMNER_ROLE_LEAD      = 1 << 2,
} LimnerRole;

typedef enum {
  LIMNER_IMAGE_NEW,
  LIMNER_IMAGE_IN_PROGRESS,
  LIMNER_IMAGE_SUBMITTED,
  LIMNER_IMAGE_IN_REVIEW,
  LIMNER_IMAGE_ACCEPTED,
  LIMNER_IMAGE_REJECTED,
  LIMNER_IMAGE_N_STATUS
} LimnerImageStatus;

typedef enum {
  LIMNER_SHAPE_BOX,
  LIMNER_SHAPE_POLYGON,
} LimnerShapeKind;

typedef enum {
  LIMNER_SOURCE_MANUAL,
  LIMNER_SOURCE_IMPORTED,
  LIMNER_SOURCE_PREDICTION,
} LimnerShapeSource;

/* Plain records returned by the store. Free with the matching _free(). */

typedef struct {
  char       *login;
  LimnerRole  roles;
} LimnerUser;

typedef struct {
  gint64  id;
  char   *name;
  char   *color;   /* "#rrggbb" */
  char   *hotkey;  /* a single key name or NULL */
  char   *guide;   /* guideline text or NULL */
  int     position;
} LimnerLabel;

typedef struct {
  gint64             id;
  char              *path;     /* relative to the project dir when inside it, else absolute */
  char              *sha256;   /* 64 lowercase hex digits */
  gint64             size;     /* bytes */
  int                width;
  int                height;
  char              *format;   /* "jpeg", "png", "tiff", "webp", "heif", ... */
  LimnerImageStatus  status;
  char              *assignee; /* login or NULL */
  gint64             claimed_at; /* unix seconds, 0 if unclaimed */
  gint64             added_at;
} LimnerImageRecord;

typedef struct {
  gint64             id;        /* 0 for a shape not yet stored */
  gint64             image_id;
  gint64             label_id;  /* 0 = no label */
  LimnerShapeKind    kind;
  GArray            *points;    /* of double: x0, y0, x1, y1, ...; a box has two corners */
  gint64             group_id;  /* 0 = no group */
  LimnerShapeSource  source;
  double             score;     /* predictions: 0..1; otherwise 1 */
  char              *author;
  gint64             created_at; /* unix microseconds */
  gint64             modified_at;
} LimnerShape;

/* A ground-truth outline recorded by `limner-cli demo`. */
typedef struct {
  gint64  id;
  gint64  image_id;
  gint64  label_id;
  GArray *polygon;            /* of double, x/y pairs */
  double  box[4];             /* x0, y0, x1, y1 */
} LimnerReferenceShape;

typedef struct {
  gint64  id;
  gint64  ts;         /* unix microseconds */
  char   *login;
  char   *kind;       /* "import", "shape.add", "submit", ... */
  gint64  image_id;   /* 0 if none */
  gint64  shape_id;   /* 0 if none */
  char   *detail;     /* JSON text or NULL */
} LimnerEvent;

typedef struct {
  gint64  number;     /* 1, 2, 3, ... */
  gint64  parent;     /* 0 for the first */
  char   *author;
  gint64  created_at; /* unix seconds */
  char   *message;
  char   *policy;
  gint64  n_images;
  gint64  n_shapes;
} LimnerVersion;

void limner_user_free (LimnerUser *user);
void limner_label_free (LimnerLabel *label);
void limner_image_record_free (LimnerImageRecord *image);
void limner_reference_shape_free (LimnerReferenceShape *ref);
void limner_event_free (LimnerEvent *event);
void limner_version_free (LimnerVersion *version);

LimnerShape *limner_shape_new (LimnerShapeKind kind);
LimnerShape *limner_shape_copy (const LimnerShape *shape);
void         limner_shape_free (LimnerShape *shape);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerUser, limner_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerLabel, limner_label_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerImageRecord, limner_image_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerShape, limner_shape_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerReferenceShape, limner_reference_shape_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerEvent, limner_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerVersion, limner_version_free)

const char        *limner_image_status_to_string (LimnerImageStatus status);
gboolean           limner_image_status_from_string (const char *str, LimnerImageStatus *out);
const char        *limner_shape_kind_to_string (LimnerShapeKind kind);
gboolean           limner_shape_kind_from_string (const char *str, LimnerShapeKind *out);
const char        *limner_shape_source_to_string (LimnerShapeSource source);
gboolean           limner_shape_source_from_string (const char *str, LimnerShapeSource *out);
/* "annotator,reviewer" <-> flags. Returns FALSE on an unknown role name. */
char              *limner_role_to_string (LimnerRole roles);
gboolean           limner_role_from_string (const char *str, LimnerRole *out, GError **error);

#define LIMNER_TYPE_STORE (limner_store_get_type ())
G_DECLARE_FINAL_TYPE (LimnerStore, limner_store, LIMNER, STORE, GObject)

/* Creating and opening. `login` is the acting user (NULL = the OS login).
 * create() makes the directory if needed and refuses an existing project;
 * its acting user becomes the project's lead. */
LimnerStore *limner_store_create (const char  *dir,
                                  const char  *name,
                                  const char  *login,
                                  GError     **error);
LimnerStore *limner_store_open   (const char  *dir,
                                  const char  *login,
                                  GError     **error);
/* TRUE if dir/project.db exists. */
gboolean     limner_store_exists (const char *dir);

const char  *limner_store_get_dir   (LimnerStore *self);
const char  *limner_store_get_login (LimnerStore *self);
char        *limner_store_dup_name  (LimnerStore *self);
int          limner_store_get_schema_version (LimnerStore *self);
/* Roles of the acting user. */
LimnerRole   limner_store_get_roles (LimnerStore *self);
/* Fails with LIMNER_STORE_ERROR_PERMISSION naming the user and role unless the
 * acting user holds at least one of `any_of`. */
gboolean     limner_store_require_role (LimnerStore  *self,
                                        LimnerRole    any_of,
                                        GError      **error);

/* Batches. Inside begin()/commit() every call joins one BEGIN IMMEDIATE
 * transaction; rollback() undoes all of it. Batches do not nest. */
gboolean     limner_store_begin    (LimnerStore *self, GError **error);
gboolean     limner_store_commit   (LimnerStore *self, GError **error);
void         limner_store_rollback (LimnerStore *self);
gboolean     limner_store_in_batch (LimnerStore *self);

/* Path helpers: make a file path relative to the project dir when inside it. */
char        *limner_store_relativize_path (LimnerStore *self, const char *abs_path);
char        *limner_store_resolve_path    (LimnerStore *self, const char *stored_path);

/* Project settings (key/value): "name", "qc_sample_rate", "claim_timeout", ... */
char        *limner_store_get_setting (LimnerStore *self, const char *key);
gboolean     limner_store_set_setting (LimnerStore  *self,
                                       const char   *key,
                                       const char   *value,
                                       GError      **error); /* lead */

/* Users. */
gboolean     limner_store_set_user_roles (LimnerStore  *self,
                                          const char   *login,
                                          LimnerRole    roles,
                                          GError      **error); /* lead; adds or updates */
LimnerRole   limner_store_get_user_roles (LimnerStore *self, const char *login);
GPtrArray   *limner_store_list_users     (LimnerStore *self, GError **error); /* of LimnerUser */

/* Labels. */
gint64       limner_store_add_label    (LimnerStore  *self,
                                        const char   *name,
                                        const char   *color,  /* NULL = pick one */
                                        const char   *hotkey, /* may be NULL */
                                        const char   *guide,  /* may be NULL */
                                        GError      **error); /* lead */
gboolean     limner_store_update_label (LimnerStore        *self,
                                        const LimnerLabel  *label,
                                        GError            **error); /* lead; by id */
/* Refuses with LIMNER_STORE_ERROR_IN_USE when shapes use the label. */
gboolean     limner_store_delete_label (LimnerStore  *self,
                                        gint64        label_id,
                                        GError      **error); /* lead */
/* Moves the label to `position` (0-based) and renumbers the others. */
gboolean     limner_store_move_label   (LimnerStore  *self,
                                        gint64        label_id,
                                        int           position,
                                        GError      **error); /* lead */
GPtrArray   *limner_store_list_labels  (LimnerStore *self, GError **error); /* by position */
LimnerLabel *limner_store_get_label    (LimnerStore *self, gint64 id, GError **error);
LimnerLabel *limner_store_find_label   (LimnerStore *self, const char *name, GError **error);
gint64       limner_store_count_label_shapes (LimnerStore *self, gint64 label_id);

/* Images. add_image() fails with LIMNER_STORE_ERROR_EXISTS on a known sha256
 * or path. `path` is stored as given (callers relativize first). */
gint64             limner_store_add_image (LimnerStore  *self,
                                           const char   *path,
                                           const char   *sha256,
                                           gint64        size,
                                           int           width,
                                           int           height,
                                           const char   *format,
                                           GError      **error); /* lead */
gboolean           limner_store_has_sha256 (LimnerStore *self, const char *sha256);
LimnerImageRecord *limner_store_get_image (LimnerStore *self, gint64 id, GError **error);
LimnerImageRecord *limner_store_find_image_by_path (LimnerStore  *self,
                                                    const char   *path,
                                                    GError      **error);
LimnerImageRecord *limner_store_find_image_by_sha256 (LimnerStore  *self,
                                                      const char   *sha256,
                                                      GError      **error);
/* Accepts an id ("42"), a stored path, or an absolute path. */
LimnerImageRecord *limner_store_lookup_image (LimnerStore  *self,
                                              const char   *id_or_path,
                                              GError      **error);
GPtrArray         *limner_store_list_images (LimnerStore *self, GError **error); /* by id */
gint64             limner_store_count_images (LimnerStore *self, int status); /* -1 = all */
gboolean           limner_store_set_image_path (LimnerStore  *self,
                                                gint64        image_id,
                                                const char   *path,
                                                GError      **error); /* lead: relink */

/* The work queue. */
/* Claims the next image that is new or rejected and assigned to the acting
 * user or to no one (or whose claim is older than the claim timeout). Returns
 * NULL with no error when the queue is empty. */
LimnerImageRecord *limner_store_claim_next (LimnerStore *self, GError **error); /* annotator */
gboolean           limner_store_claim (LimnerStore *self, gint64 image_id, GError **error);
gboolean           limner_store_release (LimnerStore *self, gint64 image_id, GError **error);
/* Changes status with the checks of the workflow in DESIGN.md. */
gboolean           limner_store_set_image_status (LimnerStore        *self,
                                                  gint64              image_id,
                                                  LimnerImageStatus   status,
                                                  GError            **error);

/* Shapes. Points must be finite and a polygon needs at least three vertices.
 * insert() sets shape->id, author and timestamps. */
gboolean     limner_store_insert_shape (LimnerStore  *self,
                                        LimnerShape  *shape,
                                        GError      **error); /* annotator, reviewer or lead */
gboolean     limner_store_update_shape (LimnerStore  *self,
                                        LimnerShape  *shape,
                                        GError      **error);
gboolean     limner_store_delete_shape (LimnerStore  *self,
                                        gint64        shape_id,
                                        GError      **error);
LimnerShape *limner_store_get_shape    (LimnerStore *self, gint64 id, GError **error);
GPtrArray   *limner_store_list_shapes  (LimnerStore  *self,
                                        gint64        image_id,
                                        GError      **error); /* of LimnerShape, by id */
gint64       limner_store_count_shapes (LimnerStore *self);
/* Calls func for every shape of the project in (image_id, id) order without
 * holding them all in memory. Stops and returns FALSE if func returns FALSE. */
typedef gboolean (*LimnerShapeFunc) (const LimnerShape *shape, gpointer user_data);
gboolean     limner_store_foreach_shape (LimnerStore      *self,
                                         LimnerShapeFunc   func,
                                         gpointer          user_data,
                                         GError          **error);

/* Reference (ground-truth) shapes, as written by the demo generator. */
gboolean     limner_store_add_reference_shape   (LimnerStore           *self,
                                                 LimnerReferenceShape  *ref,
                                                 GError               **error); /* lead */
GPtrArray   *limner_store_list_reference_shapes (LimnerStore  *self,
                                                 gint64        image_id, /* 0 = all */
                                                 GError      **error);

/* The event log. Store calls that change data log their own events; callers
 * log UI-level ones (image.open, image.close, idle...). */
gboolean     limner_store_log_event (LimnerStore  *self,
                                     const char   *kind,
                                     gint64        image_id,
                                     gint64        shape_id,
                                     const char   *detail_json,
                                     GError      **error);
GPtrArray   *limner_store_list_events (LimnerStore  *self,
                                       gint64        from_us, /* 0 = no bound */
                                       gint64        to_us,   /* 0 = no bound */
                                       GError      **error);

/* Reviews. */
gboolean     limner_store_add_review (LimnerStore  *self,
                                      gint64        image_id,
                                      gboolean      accepted,
                                      const char   *comment,
                                      GError      **error); /* reviewer */

/* Versions (publishing and reading them: limner-dataset.h, limner-store-versions.h). */
GPtrArray     *limner_store_list_versions (LimnerStore *self, GError **error);
LimnerVersion *limner_store_get_version   (LimnerStore *self, gint64 number, GError **error);

G_END_DECLS
