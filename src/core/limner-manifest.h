/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-manifest.h: manifest.json, the checksums of an export. Verifying an
 * export against it is limner-export-verify.h.
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

#include "limner-dataset.h"
#include "limner-json-writer.h"

G_BEGIN_DECLS

#define LIMNER_MANIFEST_NAME "manifest.json"
#define LIMNER_MANIFEST_FORMAT "limner-manifest"
#define LIMNER_MANIFEST_FORMAT_VERSION 1

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

G_END_DECLS
