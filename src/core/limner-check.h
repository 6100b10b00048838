/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check.h: the integrity check of a project (its database and its
 * image files). Problems go into a LimnerCheckReport (limner-check-report.h);
 * the check returns FALSE (with an error) only when it could not run at all.
 */
#pragma once

#include <gio/gio.h>

#include "limner-check-report.h"
#include "limner-store.h"

G_BEGIN_DECLS

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

/* The report of limner_check_project() as text: one line saying the project
 * at `project_dir` is intact, or the list of problems. */
char    *limner_check_report_format_project (const LimnerCheckReport *report,
                                             const char              *project_dir);

G_END_DECLS
