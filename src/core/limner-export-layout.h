/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-layout.h: what the interchange exporters (COCO, YOLO, Pascal
 * VOC, labelme, CSV) share: their options, the seeded train/val/test split,
 * unique file names in the export, copies of the image files, and augmented
 * (flipped, rotated) copies with exactly transformed shapes.
 *
 * Options (keys of limner_export_run()'s table; see README.md):
 *   split    "TRAIN,VAL,TEST" fractions, e.g. "0.8,0.1,0.1" (two values mean
 *            no test split). Without it every image is in "train".
 *   seed     a whole number for the split (default 0).
 *   augment  comma-separated: flip-h, flip-v, rot90, rot180, rot270.
 *   images   "copy" (default): copy the image files into the export;
 *            "none": write only the annotations (augmented copies still need
 *            their images and are refused).
 *
 * The split of an image depends only on (seed, SHA-256 of the image): the
 * first 8 bytes of SHA-256("SEED:SHA256") as a fraction of 2^64 fall into
 * [0, train), [train, train+val) or the rest. So an image stays in its split
 * across versions, and the same seed gives the same split on every machine.
 * Augmented copies go to the split of their original, so no copy of a
 * validation image ever lands in train.
 */
#pragma once

#include "limner-export.h"
#include "limner-geometry.h"

G_BEGIN_DECLS

/* The option keys above, for the format table. */
#define LIMNER_EXPORT_LAYOUT_OPTIONS "split seed augment images"

typedef enum {
  LIMNER_SPLIT_TRAIN,
  LIMNER_SPLIT_VAL,
  LIMNER_SPLIT_TEST,
  LIMNER_N_SPLITS
} LimnerSplit;

const char *limner_split_to_string (LimnerSplit split);

/* The split of an image (see above). `ratios` sum to 1. */
LimnerSplit limner_split_for_image (const char   *sha256,
                                    guint64       seed,
                                    const double  ratios[LIMNER_N_SPLITS]);

/* Parses "0.8,0.1,0.1" (or two values): non-negative fractions summing to 1
 * (within 1e-6), the train fraction positive. */
gboolean    limner_split_parse_ratios (const char  *text,
                                       double       ratios[LIMNER_N_SPLITS],
                                       GError     **error);

/* "flip-h", "flip-v", "rot90", "rot180", "rot270" and back. */
const char *limner_transform_to_option   (LimnerTransform  transform);
gboolean    limner_transform_from_option (const char      *text,
                                          LimnerTransform *out);

/* One image of the export: an original, or an augmented copy of one. */
typedef struct {
  const LimnerImageRecord *image;     /* the original in the dataset */
  LimnerTransform          transform; /* IDENTITY for the original */
  LimnerSplit              split;
  const char              *name;      /* file name in the export: "cat.jpg", "cat__rot90.jpg" */
  const char              *stem;      /* the name without its extension, unique in the export
                                       * (ignoring case) */
  int                      width;     /* after the transform */
  int                      height;
  guint                    index;     /* 0, 1, 2... in export order */
} LimnerExportItem;

typedef struct _LimnerExportLayout LimnerExportLayout;

/* Reads the options above from `export` and plans the items: for each image
 * of the dataset (by path), the original and then its augmented copies in
 * the order flip-h, flip-v, rot90, rot180, rot270. */
LimnerExportLayout *limner_export_layout_new (LimnerExport  *export,
                                              GError       **error);
void                limner_export_layout_free (LimnerExportLayout *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerExportLayout, limner_export_layout_free)

LimnerExport *limner_export_layout_get_export (LimnerExportLayout *self);
/* TRUE when the split option was given. */
gboolean      limner_export_layout_has_split  (LimnerExportLayout *self);
/* The split's fraction (train is 1 without a split). */
double        limner_export_layout_get_ratio  (LimnerExportLayout *self,
                                               LimnerSplit         split);
/* TRUE if some item is in `split`, or split is train. */
gboolean      limner_export_layout_uses_split (LimnerExportLayout *self,
                                               LimnerSplit         split);
gboolean      limner_export_layout_copies_images (LimnerExportLayout *self);
/* All items in export order (LimnerExportItem *, owned by the layout). */
GPtrArray    *limner_export_layout_get_items  (LimnerExportLayout *self);
/* The labels of the dataset in position order; a shape's class index is the
 * label's index here (-1 for no or an unknown label). */
GPtrArray    *limner_export_layout_get_labels (LimnerExportLayout *self);
int           limner_export_layout_class_index (LimnerExportLayout *self,
                                                gint64              label_id);
/* Shapes left out because they have no label (no export format can hold them). */
guint         limner_export_layout_get_n_unlabelled (LimnerExportLayout *self);

/* Calls `func` for every item in order with the item's shapes (transformed
 * for augmented copies, sorted by id, unlabelled shapes left out), reading
 * each original's shapes once. Reports progress per original image and
 * stops with G_IO_ERROR_CANCELLED when the export is cancelled. */
typedef gboolean (*LimnerExportItemFunc) (LimnerExportLayout      *layout,
                                          const LimnerExportItem  *item,
                                          GPtrArray               *shapes,
                                          gpointer                 user_data,
                                          GError                 **error);
gboolean      limner_export_layout_foreach (LimnerExportLayout    *self,
                                            LimnerExportItemFunc   func,
                                            gpointer               user_data,
                                            GError               **error);

/* Writes the item's image to OUT/relpath unless images are "none": the
 * original's bytes (checked against its SHA-256), or the transformed pixels
 * through libvips in the original's format (PNG if libvips cannot write it). */
gboolean      limner_export_layout_write_image (LimnerExportLayout      *self,
                                                const LimnerExportItem  *item,
                                                const char              *relpath,
                                                GError                 **error);

/* For a draft, writes OUT/DRAFT.txt saying that the export is not a
 * published version; does nothing for a version. */
gboolean      limner_export_layout_write_draft_note (LimnerExportLayout  *self,
                                                     GError             **error);
/* "Birds, version 3" or "Birds, draft (not a published version)". */
char         *limner_export_layout_dup_description (LimnerExportLayout *self);

G_END_DECLS
