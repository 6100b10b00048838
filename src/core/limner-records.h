/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-records.h: the plain records that the store reads and writes
 * (users, labels, images, shapes, reference shapes, events, versions), their
 * enums, copy and free functions, and their string forms. No SQL and no
 * store object: geometry, documents, formats and exports include this. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The store's error domain; the record parsers below report in it too, so
 * that a bad role name reads the same from the CLI and from the store. */
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
  LIMNER_STORE_ERROR_READ_ONLY,     /* the project was opened read-only */
  LIMNER_STORE_ERROR_DAMAGED,       /* fails quick_check, or holds schema objects Limner did not make */
  LIMNER_STORE_ERROR_OFFLINE,       /* the database server cannot be reached (team mode); retry later */
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
  char              *path;     /* relative to the image folder when inside it (limner-image-root.h), else absolute */
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
  /* Goes up by one on every stored update. A caller that read the shape
   * passes it back so that an edit made meanwhile by another writer is
   * refused rather than overwritten; 0 = unknown, no check (imports). */
  gint64             row_version;
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
/* Same id, geometry, label, group, source and score (not the version,
 * author or times). */
gboolean     limner_shape_same_content (const LimnerShape *a,
                                        const LimnerShape *b);

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

/* The colour ("#rrggbb", newly allocated) of a label created without one at
 * `position`: the GNOME palette first, then golden-angle hue steps with
 * varying saturation and value, so that no two positions share a colour. */
char              *limner_label_default_color (guint position);

G_END_DECLS
