/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check.h: integrity checks of a project and of exports.
 *
 * A check collects problems instead of stopping at the first: each one is a
 * sentence that names the file, image, version or item at fault. A check
 * returns FALSE (with an error) only when it could not run at all.
 */
#pragma once

#include <gio/gio.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *problems;  /* of char *, one sentence each, in the order found */
  guint      n_files;   /* export files checked */
  guint      n_images;  /* image files checked */
  guint      n_hashed;  /* image files whose content was hashed */
  guint      n_versions;
} LimnerCheckReport;

LimnerCheckReport *limner_check_report_new  (void);
void               limner_check_report_free (LimnerCheckReport *report);
void               limner_check_report_add  (LimnerCheckReport *report,
                                             const char        *format,
                                             ...) G_GNUC_PRINTF (2, 3);
gboolean           limner_check_report_ok   (const LimnerCheckReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerCheckReport, limner_check_report_free)

typedef enum {
  LIMNER_CHECK_DEFAULT = 0,
  /* Do not hash image files: only check that they exist and have the recorded size. */
  LIMNER_CHECK_QUICK   = 1 << 0,
} LimnerCheckFlags;

/* The project: SQLite's integrity_check and foreign_key_check, the frozen
 * contents of every version against its counts, and every image file
 * (exists, size, SHA-256 unless QUICK). */
gboolean limner_check_project (LimnerStore         *store,
                               LimnerCheckFlags     flags,
                               LimnerCheckReport   *report,
                               GCancellable        *cancellable,
                               GError             **error);

G_END_DECLS
