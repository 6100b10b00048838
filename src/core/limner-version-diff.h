/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-version-diff.h: what changed between two versions (or a version
 * and the current state).
 *
 * Images are matched by image id, shapes by shape id, labels by label id.
 * An image changed when its file (SHA-256, size, dimensions), its path or its
 * status differ, or any of its shapes was added, removed or changed. A shape
 * changed when its label, kind, points or group differ; source, score and
 * author alone do not count.
 *
 * The diff reads both sides image by image; it keeps only the changes.
 */
#pragma once

#include <gio/gio.h>

#include "limner-dataset.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_DIFF_ADDED,
  LIMNER_DIFF_REMOVED,
  LIMNER_DIFF_CHANGED,
} LimnerDiffChange;

/* What differs, for LIMNER_DIFF_CHANGED entries. */
typedef enum {
  LIMNER_DIFF_IMAGE_FILE   = 1 << 0, /* SHA-256, size or dimensions */
  LIMNER_DIFF_IMAGE_PATH   = 1 << 1,
  LIMNER_DIFF_IMAGE_STATUS = 1 << 2,
  LIMNER_DIFF_IMAGE_SHAPES = 1 << 3, /* shapes added, removed or changed */
} LimnerDiffImageFields;

typedef enum {
  LIMNER_DIFF_SHAPE_LABEL  = 1 << 0,
  LIMNER_DIFF_SHAPE_KIND   = 1 << 1,
  LIMNER_DIFF_SHAPE_POINTS = 1 << 2,
  LIMNER_DIFF_SHAPE_GROUP  = 1 << 3,
} LimnerDiffShapeFields;

typedef struct {
  LimnerDiffChange  change;
  gint64            image_id;
  char             *path;          /* B's path, A's for a removed image */
  char             *old_path;      /* A's path when it changed, else NULL */
  guint             fields;        /* LimnerDiffImageFields */
  guint             shapes_added;
  guint             shapes_removed;
  guint             shapes_changed;
} LimnerImageDiff;

typedef struct {
  LimnerDiffChange  change;
  gint64            shape_id;
  gint64            image_id;
  char             *path;          /* of the image */
  char             *label;         /* B's label name (A's when removed); NULL = none */
  char             *old_label;     /* A's label name when the label changed */
  guint             fields;        /* LimnerDiffShapeFields */
} LimnerShapeDiff;

typedef struct {
  gint64    label_id;
  char     *name;      /* B's name, A's if the label is only in A */
  char     *old_name;  /* A's name if it was renamed, else NULL */
  gboolean  in_a;
  gboolean  in_b;
  gint64    count_a;   /* shapes with this label in A */
  gint64    count_b;
  gint64    added;     /* shapes added with this label (B's) */
  gint64    removed;   /* shapes removed that had this label (A's) */
  gint64    changed;   /* shapes changed that have this label in B */
} LimnerLabelDiff;

typedef struct {
  gint64     a;           /* version numbers; 0 = the current state */
  gint64     b;
  GPtrArray *images;      /* of LimnerImageDiff, by path; only added, removed or changed */
  GPtrArray *shapes;      /* of LimnerShapeDiff, by image path then shape id */
  GPtrArray *labels;      /* of LimnerLabelDiff: B's labels by position, then those only in A */
  guint      images_added;
  guint      images_removed;
  guint      images_changed;
  guint      images_unchanged;
  guint      shapes_added;
  guint      shapes_removed;
  guint      shapes_changed;
  guint      shapes_unchanged;
} LimnerVersionDiff;

/* Compares version `a` with version `b`; either may be 0 for the current
 * state (every image). */
LimnerVersionDiff *limner_version_diff      (LimnerStore   *store,
                                             gint64         a,
                                             gint64         b,
                                             GCancellable  *cancellable,
                                             GError       **error);
/* The same on two open datasets. */
LimnerVersionDiff *limner_version_diff_datasets (LimnerDataset  *a,
                                                 LimnerDataset  *b,
                                                 GCancellable   *cancellable,
                                                 GError        **error);
void               limner_version_diff_free (LimnerVersionDiff *diff);

/* The diff as text for people: counts, the table per label, then one line
 * per image and per shape ("+" added, "-" removed, "~" changed). */
char              *limner_version_diff_format (const LimnerVersionDiff *diff);

const char        *limner_diff_change_to_string (LimnerDiffChange change); /* "added", ... */
/* "file, path" etc., or "" for none. Free with g_free(). */
char              *limner_diff_image_fields_to_string (guint fields);
char              *limner_diff_shape_fields_to_string (guint fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerVersionDiff, limner_version_diff_free)

G_END_DECLS
