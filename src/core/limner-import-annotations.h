/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-annotations.h: shapes from labelme, COCO, YOLO and Pascal VOC
 * files, as annotations or as predictions.
 *
 * Rules (README.md, "Importing annotations"):
 *
 * - Each annotation file is imported all or nothing, in one store batch. A
 *   file fails as a whole, and changes nothing, on malformed or truncated
 *   input, duplicate JSON keys, a non-finite or out-of-range coordinate, an
 *   unknown label (unless `create_labels`), an image path that leaves the
 *   folder the user chose, or a file larger than `max_file_size`. The error
 *   names the file and the item ("preds.json: annotation 17: ...").
 * - Images are matched to project images by the SHA-256 the file records
 *   (Limner's COCO export), by stored path, by unique base name (YOLO: unique
 *   file stem), and finally by hashing the referenced image file when it
 *   exists inside the chosen folder. Shapes of images not in the project are
 *   skipped with a reason.
 * - Coordinates slightly outside the image are clamped to it and counted;
 *   shapes that are empty after clamping are skipped with a reason.
 * - Shape types Limner does not have (labelme line, linestrip, point, points,
 *   circle, mask; COCO RLE masks; YOLO pose keypoints) are skipped with a
 *   reason. Shapes that convert exactly are converted, and each conversion
 *   is listed in the report's notes: a labelme rectangle given by four
 *   corners in any order is a box (by four corners that are not
 *   axis-aligned, a polygon); a rotated box (X-AnyLabeling "rotation", a
 *   CVAT COCO bbox with a "rotation" attribute, a roLabelImg <robndbox>)
 *   is a four-point polygon.
 * - An image the file names but the project lacks is also looked for by
 *   name ignoring case, by stem when the name has no extension, and, for
 *   files of one image (labelme, VOC), by the annotation file's own stem;
 *   each such match is noted.
 * - Group ids of the file (labelme group_id, several COCO polygons of one
 *   annotation) become fresh group ids of the image, so imported groups never
 *   merge with existing ones.
 * - A shape equal to one the image already has (label, kind, points, source)
 *   is skipped, so importing the same file twice adds nothing.
 *
 * Importing needs the lead role.
 */
#pragma once

#include <gio/gio.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_ANNOTATION_IMPORT_ERROR (limner_annotation_import_error_quark ())
GQuark limner_annotation_import_error_quark (void);

typedef enum {
  LIMNER_ANNOTATION_IMPORT_ERROR_NOT_FOUND,     /* no such path, or no annotation files in it */
  LIMNER_ANNOTATION_IMPORT_ERROR_TOO_LARGE,     /* over the size cap */
  LIMNER_ANNOTATION_IMPORT_ERROR_MALFORMED,     /* not valid JSON/XML/text of the format */
  LIMNER_ANNOTATION_IMPORT_ERROR_BAD_VALUE,     /* a non-finite or out-of-range number, bad score */
  LIMNER_ANNOTATION_IMPORT_ERROR_BAD_PATH,      /* an image path leaving the chosen folder */
  LIMNER_ANNOTATION_IMPORT_ERROR_UNKNOWN_LABEL, /* a label the project lacks */
  LIMNER_ANNOTATION_IMPORT_ERROR_NO_NAMES,      /* YOLO without class names */
} LimnerAnnotationImportError;

typedef enum {
  LIMNER_ANNOTATION_FORMAT_LABELME,
  LIMNER_ANNOTATION_FORMAT_COCO,
  LIMNER_ANNOTATION_FORMAT_YOLO,
  LIMNER_ANNOTATION_FORMAT_VOC,
} LimnerAnnotationFormat;

const char *limner_annotation_format_to_string   (LimnerAnnotationFormat  format);
gboolean    limner_annotation_format_from_string (const char             *str,
                                                  LimnerAnnotationFormat *out);

/* Files larger than this are refused before they are read. */
#define LIMNER_IMPORT_ANNOTATIONS_DEFAULT_MAX_FILE_SIZE (G_GINT64_CONSTANT (64) * 1024 * 1024)
/* A coordinate (in pixels) beyond ±this is an error rather than something to
 * clamp: no image Limner opens is that large. */
#define LIMNER_IMPORT_ANNOTATIONS_MAX_COORDINATE 2147483648.0

typedef struct {
  LimnerAnnotationFormat  format;
  /* Store shapes with source "prediction" and the file's score (1 if none)
   * instead of source "imported". */
  gboolean                as_predictions;
  /* Add labels the project does not have instead of failing the file. */
  gboolean                create_labels;
  /* 0 = LIMNER_IMPORT_ANNOTATIONS_DEFAULT_MAX_FILE_SIZE. */
  gint64                  max_file_size;
  /* YOLO: a data.yaml, or a text file with one class name per line. NULL =
   * the data.yaml (or data.yml, or else classes.txt or obj.names) in the
   * chosen folder, or, for a chosen file, next to it or up to two folders
   * above it. */
  const char             *yolo_names;
} LimnerAnnotationImportOptions;

typedef struct {
  char      *file;       /* the annotation file, as found */
  gboolean   ok;         /* FALSE: nothing of this file was imported */
  char      *error;      /* why it failed (names the file and item), or NULL */
  guint      n_imported; /* shapes added */
  guint      n_clamped;  /* of those, shapes whose coordinates were clamped */
  guint      n_images;   /* project images that received shapes */
  GPtrArray *skipped;    /* of char *: one sentence per skipped item */
  GPtrArray *labels_created; /* of char * */
  GPtrArray *notes;      /* of char *: one sentence per item imported other than
                          * as the file gives it (converted, or matched by a fallback) */
} LimnerAnnotationFileReport;

typedef struct {
  LimnerAnnotationFormat  format;
  GPtrArray              *files; /* of LimnerAnnotationFileReport, in path order */
  guint                   n_files_ok;
  guint                   n_files_failed;
  guint                   n_imported;
  guint                   n_skipped;
  guint                   n_clamped;
  guint                   n_notes;
} LimnerAnnotationImportReport;

void limner_annotation_import_report_free (LimnerAnnotationImportReport *report);
/* Moves the file reports of `from` to the end of `into` and adds up the
 * counts, for one report over several imports; `from` is left empty. */
void limner_annotation_import_report_merge (LimnerAnnotationImportReport *into,
                                            LimnerAnnotationImportReport *from);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerAnnotationImportReport, limner_annotation_import_report_free)

/* Called after each annotation file with the number of files done. */
typedef void (*LimnerAnnotationImportProgressFunc) (guint       done,
                                                    guint       total,
                                                    const char *file,
                                                    gpointer    user_data);

/* Imports the annotation file `path`, or every annotation file of the
 * format under the folder `path` (recursively, in name order, hidden entries
 * left out: *.json but manifest.json for labelme and COCO, *.xml for VOC,
 * *.txt but classes.txt and README* for YOLO, and of those only the ones in
 * a labels/ folder when there are any). Image paths in the files must stay
 * inside the chosen folder (or the chosen file's folder). Runs as the store's acting
 * user (a lead). Failed files are listed in the report, not returned as
 * errors. Returns NULL with an error only when nothing could be tried: no
 * such path, no annotation files, no YOLO class names, not a lead, or
 * cancellation (files finished before it stay imported). */
LimnerAnnotationImportReport *
limner_import_annotations (LimnerStore                          *store,
                           const char                           *path,
                           const LimnerAnnotationImportOptions  *options,
                           GCancellable                         *cancellable,
                           LimnerAnnotationImportProgressFunc    progress,
                           gpointer                              progress_data,
                           GError                              **error);

/* The same on a worker thread, which opens its own store on the project of
 * `store` as the same user (a store is not thread-safe); `options` is copied.
 * `progress` is called on the worker thread; `progress_data_destroy` runs
 * once the import is over. Refresh any views of `store` after finishing. */
void limner_import_annotations_async (LimnerStore                          *store,
                                      const char                           *path,
                                      const LimnerAnnotationImportOptions  *options,
                                      GCancellable                         *cancellable,
                                      LimnerAnnotationImportProgressFunc    progress,
                                      gpointer                              progress_data,
                                      GDestroyNotify                        progress_data_destroy,
                                      GAsyncReadyCallback                   callback,
                                      gpointer                              user_data);
LimnerAnnotationImportReport *
     limner_import_annotations_finish (GAsyncResult  *result,
                                       GError       **error);

/* The report as JSON text (for `limner-cli import-annotations --json`):
 * {"format", "files": [{"file", "ok", "error", "imported", "clamped",
 * "images", "skipped": [...], "labels_created": [...], "notes": [...]}],
 * "files_ok", "files_failed", "imported", "skipped", "clamped", "notes"}. */
char *limner_annotation_import_report_to_json (const LimnerAnnotationImportReport *report);

G_END_DECLS
