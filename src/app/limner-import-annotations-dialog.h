/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-annotations-dialog.h: importing annotations (labelme, COCO,
 * YOLO, Pascal VOC) into a project from files or a folder, as annotations or
 * as predictions, with a progress bar, Cancel, and a report of what was
 * imported, skipped, clamped and converted, and of the files that failed. */
#pragma once

#include <adwaita.h>

#include "limner-import-annotations.h"
#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_IMPORT_ANNOTATIONS_DIALOG (limner_import_annotations_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LimnerImportAnnotationsDialog, limner_import_annotations_dialog,
                      LIMNER, IMPORT_ANNOTATIONS_DIALOG, AdwWindow)

LimnerImportAnnotationsDialog *
         limner_import_annotations_dialog_new (GtkWindow   *parent,
                                               LimnerStore *store);

/* The files or folders to import (what the choosers set). */
void     limner_import_annotations_dialog_set_paths (LimnerImportAnnotationsDialog *self,
                                                     const char * const            *paths);
/* -1 = detect it from the files. */
void     limner_import_annotations_dialog_set_format (LimnerImportAnnotationsDialog *self,
                                                      int                            format);
void     limner_import_annotations_dialog_set_as_predictions (LimnerImportAnnotationsDialog *self,
                                                              gboolean                       as_predictions);
void     limner_import_annotations_dialog_set_create_labels (LimnerImportAnnotationsDialog *self,
                                                             gboolean                       create_labels);
/* The format that will be used: the chosen one, or the detected one; FALSE
 * when it is to be detected and the files do not tell. */
gboolean limner_import_annotations_dialog_get_format (LimnerImportAnnotationsDialog *self,
                                                      LimnerAnnotationFormat        *format);
/* What Import does: imports the paths one after the other on a worker
 * thread. FALSE (and nothing done) without paths, a format, or while running. */
gboolean limner_import_annotations_dialog_start   (LimnerImportAnnotationsDialog *self);
gboolean limner_import_annotations_dialog_get_running (LimnerImportAnnotationsDialog *self);
void     limner_import_annotations_dialog_cancel  (LimnerImportAnnotationsDialog *self);
/* The report on screen, as text, or NULL before one is shown. */
char    *limner_import_annotations_dialog_dup_report_text (LimnerImportAnnotationsDialog *self);

/* The format of annotation files or folders when it is obvious: .xml files
 * are Pascal VOC, .txt files with class names YOLO, JSON with "shapes"
 * labelme and JSON with "annotations" or "categories" COCO. FALSE when
 * nothing or more than one format was found. */
gboolean limner_import_annotations_detect_format (const char * const     *paths,
                                                  LimnerAnnotationFormat *format);

G_END_DECLS
