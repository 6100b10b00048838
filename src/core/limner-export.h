/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export.h: running an export in any format, and its manifest.
 *
 * limner_export_run() looks the format up in the table of
 * limner-export-formats.c, removes any old OUT/manifest.json, calls the
 * format's function, and, when that succeeds, writes OUT/manifest.json with
 * the SHA-256 of every file the format wrote, of every image of the dataset
 * and of the label schema (see limner-manifest.h). A failed or cancelled
 * export therefore never leaves a manifest behind.
 *
 * A format function writes its files only through limner_export_create_file()
 * + limner_export_commit_file() (atomic, hashed, recorded in the manifest),
 * or writes a file itself and records it with limner_export_add_file().
 * It reads everything from limner_export_get_dataset(), image by image, and
 * never holds all shapes of the project at once.
 *
 * Adding a format: write `gboolean limner_export_FORMAT (LimnerExport *export,
 * GError **error)` in limner-export-FORMAT.c/h and add one line to the table
 * in limner-export-formats.c.
 */
#pragma once

#include <gio/gio.h>

#include "limner-atomic-file.h"
#include "limner-dataset.h"

G_BEGIN_DECLS

#define LIMNER_EXPORT_ERROR (limner_export_error_quark ())
GQuark limner_export_error_quark (void);

typedef enum {
  LIMNER_EXPORT_ERROR_UNKNOWN_FORMAT,
  LIMNER_EXPORT_ERROR_BAD_OPTION,     /* unknown option or bad value */
  LIMNER_EXPORT_ERROR_BAD_PATH,       /* a file name that would leave the export folder */
  LIMNER_EXPORT_ERROR_MANIFEST,       /* a manifest that is missing or cannot be read */
  LIMNER_EXPORT_ERROR_FAILED,
} LimnerExportError;

typedef struct _LimnerExport LimnerExport;

typedef gboolean (*LimnerExportFunc) (LimnerExport  *export,
                                      GError       **error);

typedef struct {
  const char        *name;        /* "limner", "coco", ... as on the command line */
  const char        *description; /* N_() marked, for the GUI */
  const char        *options;     /* space-separated option keys the format accepts, or "" */
  LimnerExportFunc   func;
} LimnerExportFormat;

/* Progress, as in limner-import.h: `done` of `total` units (images), `current`
 * the item just finished or NULL. Called on the thread running the export. */
typedef void (*LimnerExportProgressFunc) (guint       done,
                                          guint       total,
                                          const char *current,
                                          gpointer    user_data);

/* The table (limner-export-formats.c), terminated by an entry with name NULL. */
extern const LimnerExportFormat limner_export_formats[];

const LimnerExportFormat *limner_export_find_format (const char *name);
/* "limner, coco, ..." for messages. */
char                     *limner_export_dup_format_names (void);

/* Exports `ds` into `out_dir` (created if needed). `options` maps option keys
 * (without "--", e.g. "split", "seed") to values; NULL means none. Options not
 * listed by the format are refused with LIMNER_EXPORT_ERROR_BAD_OPTION. */
gboolean limner_export_run (const char                *format,
                            LimnerDataset             *ds,
                            const char                *out_dir,
                            GHashTable                *options,
                            LimnerExportProgressFunc   progress,
                            gpointer                   progress_data,
                            GCancellable              *cancellable,
                            GError                   **error);

/* The same on a worker thread, which opens its own store on the project of
 * `store` as the same user (a store is not thread-safe) and exports `version`
 * (0 = draft of every image). `progress` is called on the worker thread. */
void     limner_export_run_async  (LimnerStore               *store,
                                   gint64                     version,
                                   const char                *format,
                                   const char                *out_dir,
                                   GHashTable                *options,
                                   LimnerExportProgressFunc   progress,
                                   gpointer                   progress_data,
                                   GDestroyNotify             progress_data_destroy,
                                   GCancellable              *cancellable,
                                   GAsyncReadyCallback        callback,
                                   gpointer                   user_data);
gboolean limner_export_run_finish (GAsyncResult  *result,
                                   GError       **error);

/* For format functions. */
LimnerDataset    *limner_export_get_dataset     (LimnerExport *self);
const char       *limner_export_get_out_dir     (LimnerExport *self);
const char       *limner_export_get_format_name (LimnerExport *self);
GCancellable     *limner_export_get_cancellable (LimnerExport *self);
/* NULL when not given. */
const char       *limner_export_get_option      (LimnerExport *self,
                                                 const char   *key);
/* Parses an integer option; a bad value is a LIMNER_EXPORT_ERROR_BAD_OPTION
 * naming the option. */
gboolean          limner_export_get_option_int  (LimnerExport  *self,
                                                 const char    *key,
                                                 gint64         def,
                                                 gint64        *out,
                                                 GError       **error);

/* Opens OUT/relpath for writing, atomically. `relpath` uses '/' and must stay
 * inside the export folder (no absolute path, no ".."); folders are created. */
LimnerAtomicFile *limner_export_create_file (LimnerExport  *self,
                                             const char    *relpath,
                                             GError       **error);
/* Commits `file`, records it in the manifest and frees it (also on failure). */
gboolean          limner_export_commit_file (LimnerExport      *self,
                                             LimnerAtomicFile  *file,
                                             GError           **error);
/* Records a file written by other means (already in place under OUT). */
gboolean          limner_export_add_file    (LimnerExport  *self,
                                             const char    *relpath,
                                             const char    *sha256,
                                             gint64         size,
                                             GError       **error);
/* Reports progress; returns FALSE with G_IO_ERROR_CANCELLED once cancelled. */
gboolean          limner_export_progress    (LimnerExport  *self,
                                             guint          done,
                                             guint          total,
                                             const char    *current,
                                             GError       **error);

/* TRUE if `relpath` is a relative path that stays inside its folder. */
gboolean          limner_export_path_is_safe (const char *relpath);

G_END_DECLS
