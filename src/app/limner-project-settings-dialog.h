/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-project-settings-dialog.h: where the project's images are.
 *
 * A preferences window with the project's image root (a lead edits it; the
 * stored image paths are rewritten on a worker thread so that each still
 * names its file) and this user's "Image folder on this computer", the local
 * folder of that root (limner-image-root.h), with a folder chooser and a
 * reset. The folder is this user's, on this computer: any role sets it.
 *
 * Actions:
 *   project-settings.choose-folder   asks for the image folder on this computer
 *   project-settings.reset-folder    forgets it: the image root itself again
 *   project-settings.unset-root      (lead) no image root any more
 *
 * Signals:
 *   "image-folder-changed"  where the images are found changed: views of
 *                           their files (the grid) read them again
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_PROJECT_SETTINGS_DIALOG (limner_project_settings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LimnerProjectSettingsDialog, limner_project_settings_dialog,
                      LIMNER, PROJECT_SETTINGS_DIALOG, AdwPreferencesWindow)

/* A modal window, transient for `parent` (may be NULL), on `store`. */
GtkWindow  *limner_project_settings_dialog_new             (GtkWindow   *parent,
                                                            LimnerStore *store);
/* What the folder chooser and the reset button do: sets (NULL: forgets)
 * the image folder on this computer, then refreshes the rows and emits
 * "image-folder-changed". On failure the dialog shows the error. */
gboolean    limner_project_settings_dialog_set_local_folder (LimnerProjectSettingsDialog *self,
                                                             const char                  *folder);
/* What applying the image root row does (NULL or "": unset), on a worker
 * thread; "image-folder-changed" follows when the store took it. */
void        limner_project_settings_dialog_set_image_root  (LimnerProjectSettingsDialog *self,
                                                            const char                  *root);
/* TRUE while the image root is being set. */
gboolean    limner_project_settings_dialog_get_busy        (LimnerProjectSettingsDialog *self);
/* The subtitle of the image folder row: where this computer finds the images. */
const char *limner_project_settings_dialog_get_folder_text (LimnerProjectSettingsDialog *self);
/* Whether the image root row takes edits (a lead's dialog). */
gboolean    limner_project_settings_dialog_get_root_editable (LimnerProjectSettingsDialog *self);
/* The text of the last error shown, or NULL. */
const char *limner_project_settings_dialog_get_last_error  (LimnerProjectSettingsDialog *self);

G_END_DECLS
