/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-manifest.h: manifest.json, the checksums of an export, and verifying
 * an export against it, against the project and against the image files.
 *
 * The manifest is written by limner_export_run() for every format, with the
 * same deterministic JSON as the limner format (limner-json-writer.h):
 *
 *   {
 *     "format": "limner-manifest",
 *     "format_version": 1,
 *     "export_format": "limner",
 *     "options": {"seed": "42"},            keys sorted
 *     "project": "Birds",
 *     "version": 3,                         null for a draft
 *     "draft": false,
 *     "content_sha256": "...",              see below
 *     "schema_sha256": "...",               see limner_manifest_schema_sha256()
 *     "files": [{"path": "dataset.json", "sha256": "...", "size": 1234}, ...],   by path
 *     "images": [{"id": 7, "file": "img/a.jpg", "sha256": "...", "size": 5678}, ...]   by file
 *   }
 *
 * content_sha256 is the SHA-256 of the lines "SHA256  PATH\n" of `files`, in
 * order: the output of `sha256sum` run on the files in that order, so one
 * value identifies the export's whole content.
 */
#pragma once

#include <gio/gio.h>

#include "limner-check.h"
#include "limner-dataset.h"
#include "limner-json-writer.h"

G_BEGIN_DECLS

#define LIMNER_MANIFEST_NAME "manifest.json"

typedef struct {
  char   *path;    /* relative, '/' separated */
  char   *sha256;
  gint64  size;
} LimnerManifestFile;

LimnerManifestFile *limner_manifest_file_new  (const char *path,
                                               const char *sha256,
                                               gint64      size);
void                limner_manifest_file_free (LimnerManifestFile *file);

/* Writes a label the canonical way, as one inline object:
 * {"id": 1, "name": "cat", "color": "#ff0000", "hotkey": "1", "guide": null, "position": 0} */
void     limner_manifest_write_label    (LimnerJsonWriter  *writer,
                                         const LimnerLabel *label);
/* The SHA-256 of the label schema: of the labels (in position order) written
 * as one inline JSON array of canonical label objects, plus a newline. */
char    *limner_manifest_schema_sha256  (GPtrArray *labels);
/* The content_sha256 of a list of LimnerManifestFile (sorted by path). */
char    *limner_manifest_content_sha256 (GPtrArray *files);

/* Writes OUT/manifest.json atomically. `files` is sorted in place. */
gboolean limner_manifest_write (LimnerDataset  *ds,
                                const char     *out_dir,
                                const char     *export_format,
                                GHashTable     *options,
                                GPtrArray      *files,
                                GError        **error);

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

G_END_DECLS
