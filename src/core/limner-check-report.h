/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check-report.h: the problems an integrity check found, as data.
 *
 * A check collects problems instead of stopping at the first. Each problem
 * has a kind, the item at fault (file, image, version) and one sentence that
 * names that item. The project check is limner-check.h, the check of an
 * export limner-export-verify.h; each has one function that writes its report
 * as text, for the GUI and the CLI alike.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  LIMNER_CHECK_PROBLEM_DATABASE,     /* the database: integrity, triggers, frozen versions */
  LIMNER_CHECK_PROBLEM_IMAGE,        /* an image file: missing, resized, changed, unreadable */
  LIMNER_CHECK_PROBLEM_VERSION,      /* a version against the manifest of its export */
  LIMNER_CHECK_PROBLEM_EXPORT_FILE,  /* an export file against the manifest */
  LIMNER_CHECK_PROBLEM_STRAY_FILE,   /* a file in the export the manifest does not list */
  LIMNER_CHECK_PROBLEM_PARSE,        /* an export file that does not parse */
  LIMNER_CHECK_PROBLEM_REEXPORT,     /* exporting the version again differs */
} LimnerCheckProblemKind;

typedef struct {
  LimnerCheckProblemKind  kind;
  char                   *item;     /* the file, image or version at fault; NULL when none */
  char                   *message;  /* one sentence that names the item */
} LimnerCheckProblem;

typedef struct {
  GPtrArray *problems;  /* of LimnerCheckProblem *, in the order found */
  guint      n_files;   /* export files checked */
  guint      n_images;  /* image files checked */
  guint      n_hashed;  /* image files whose content was hashed */
  guint      n_versions;
} LimnerCheckReport;

LimnerCheckReport *limner_check_report_new         (void);
void               limner_check_report_free        (LimnerCheckReport      *report);
void               limner_check_report_add_problem (LimnerCheckReport      *report,
                                                    LimnerCheckProblemKind  kind,
                                                    const char             *item,
                                                    const char             *format,
                                                    ...) G_GNUC_PRINTF (4, 5);
/* A problem of the database (LIMNER_CHECK_PROBLEM_DATABASE), with no item
 * apart from what the sentence names. */
void               limner_check_report_add         (LimnerCheckReport      *report,
                                                    const char             *format,
                                                    ...) G_GNUC_PRINTF (2, 3);
gboolean           limner_check_report_ok          (const LimnerCheckReport *report);
/* The problem's message; for assertions and logs. */
const char        *limner_check_report_get_message (const LimnerCheckReport *report,
                                                    guint                    index);

/* "database", "image", "version", "export-file", "stray-file", "parse", "reexport". */
const char        *limner_check_problem_kind_to_string (LimnerCheckProblemKind kind);

/* The text both reports share when there are problems: a heading naming
 * `where`, then one bulleted line per problem. */
char              *limner_check_report_format_problems (const LimnerCheckReport *report,
                                                        const char              *where);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerCheckReport, limner_check_report_free)

G_END_DECLS
