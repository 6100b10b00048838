/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-verify.h: checking an export against its manifest
 * (limner-manifest.h), against the project and against the image files. */
#pragma once

#include <gio/gio.h>

#include "limner-check.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_VERIFY_DEFAULT   = 0,
  /* Do not hash the image files (check existence and size only), and do not re-export. */
  LIMNER_VERIFY_QUICK     = 1 << 0,
  /* Do not export the version again to compare (the default for a version is to
   * re-export it into a temporary folder and compare every file's SHA-256). */
  LIMNER_VERIFY_NO_REEXPORT = 1 << 1,
} LimnerVerifyFlags;

/* Checks the export in `export_dir`:
 *  - every file listed has the listed size and SHA-256, and content_sha256 matches;
 *  - no file in the folder is missing from the manifest (apart from the manifest);
 *  - every file that matches parses: JSON files as JSON, XML files as
 *    well-formed XML 1.0, YOLO label files as numbers;
 *  - for a version: it exists in the project, its label schema and its
 *    images (id, SHA-256, size) are those of the manifest, and exporting it
 *    again with the same format and options gives the same files;
 *  - every image file in the project (at its current path) has the SHA-256
 *    of the manifest.
 * Mismatches go into `report`, each naming the file or image. Returns FALSE
 * only when the check cannot run (no or unreadable manifest). */
gboolean limner_export_verify      (LimnerStore        *store,
                                    const char         *export_dir,
                                    LimnerCheckReport  *report,
                                    GError            **error);
gboolean limner_export_verify_full (LimnerStore        *store,
                                    const char         *export_dir,
                                    LimnerVerifyFlags   flags,
                                    LimnerCheckReport  *report,
                                    GCancellable       *cancellable,
                                    GError            **error);

/* The report of limner_export_verify() as text: one line saying the export
 * at `export_dir` matches, or the list of problems. */
char    *limner_export_verify_report_format (const LimnerCheckReport *report,
                                             const char              *export_dir);

G_END_DECLS
