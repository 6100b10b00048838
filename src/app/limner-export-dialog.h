/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-dialog.h: the options of an export, as `limner-cli export`
 * takes them: format, version or draft, split ratios and seed, augmentation,
 * task, whether to copy the images, and the output folder.
 *
 * The dialog only collects them: on Export it emits "export-requested" and
 * closes, and whoever opened it runs limner_export_run_async() with them
 * (the versions page, with its progress bar and Cancel).
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_EXPORT_DIALOG (limner_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LimnerExportDialog, limner_export_dialog, LIMNER, EXPORT_DIALOG, AdwWindow)

/* `versions` (of LimnerVersion, oldest first) are offered with the draft;
 * `version` is the one chosen at first (0 = the draft). */
LimnerExportDialog *limner_export_dialog_new         (GtkWindow       *parent,
                                                      LimnerStore     *store,
                                                      GPtrArray       *versions,
                                                      gint64           version);
/* 0 = the draft: the current state of every image. */
gint64              limner_export_dialog_get_version (LimnerExportDialog *self);
const char         *limner_export_dialog_get_format  (LimnerExportDialog *self);
const char         *limner_export_dialog_get_folder  (LimnerExportDialog *self);
/* The format's options for limner_export_run(): "split", "seed", "augment",
 * "task", "images" (string -> string), only those the format takes. */
GHashTable         *limner_export_dialog_dup_options (LimnerExportDialog *self);

/* The same as choosing in the dialog. */
void                limner_export_dialog_set_format  (LimnerExportDialog *self,
                                                      const char         *format);
void                limner_export_dialog_set_version (LimnerExportDialog *self,
                                                      gint64              version);
void                limner_export_dialog_set_folder  (LimnerExportDialog *self,
                                                      const char         *folder);
/* Percentages; `train` 0 turns the split off. */
void                limner_export_dialog_set_split   (LimnerExportDialog *self,
                                                      guint               train,
                                                      guint               val,
                                                      guint               test,
                                                      guint64             seed);
/* Comma-separated, as the "augment" option: "flip-h,rot90". */
void                limner_export_dialog_set_augment (LimnerExportDialog *self,
                                                      const char         *augment);
/* "mixed", "detect" or "segment". */
void                limner_export_dialog_set_task    (LimnerExportDialog *self,
                                                      const char         *task);
void                limner_export_dialog_set_copy_images (LimnerExportDialog *self,
                                                          gboolean            copy);
/* Why Export is unavailable (one sentence), or NULL when it is. */
const char         *limner_export_dialog_get_problem (LimnerExportDialog *self);
/* What the Export button does: emits "export-requested" and closes. Returns
 * FALSE (and does nothing) while there is a problem. */
gboolean            limner_export_dialog_export      (LimnerExportDialog *self);

G_END_DECLS
