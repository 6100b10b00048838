/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-root.h: where a project's image files are on this computer.
 *
 * A project stores an image's path relative to one folder when the image is
 * inside it, and absolute otherwise. On this computer that folder is, first
 * found:
 *
 *  1. the folder this process was told with limner_image_root_set_override()
 *     (limner-cli --image-root), or this user's mapping of the project's image
 *     root to a local folder (a key file under $XDG_CONFIG_HOME/limner/,
 *     never in the project), when the project has an image root;
 *  2. the project's image root (the setting "image_root", which a lead sets);
 *  3. the project's own folder, for a folder project.
 *
 * A team project (postgresql://) without an image root has no such folder:
 * its paths are absolute. A mapping belongs to one project (its identity: the
 * folder, or the URI without its password) and one image root; when a lead
 * changes the root, the old mapping no longer applies.
 *
 * Nothing here reads the project: the store passes its location and setting
 * (limner_store_dup_image_folder()). Thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The project setting that holds the image root (an absolute path). */
#define LIMNER_IMAGE_ROOT_SETTING "image_root"

/* The key by which this computer knows a project: the canonical folder, or
 * for a postgresql:// URI "postgresql://USER@HOST:PORT/DB" with only the
 * parts it names (never a password). NULL for a NULL location. */
char     *limner_image_root_identity      (const char *location);

/* The folder relative paths are under on this computer, by the order above;
 * NULL when there is none. `location` is the project's folder or URI (may be
 * NULL), `project_root` its image root (NULL or "" for none). */
char     *limner_image_root_choose_folder (const char *location,
                                           const char *project_root);

/* `stored_path` as a file on this computer: under `folder` when relative
 * (returned as is without a folder), itself when absolute. */
char     *limner_image_root_resolve       (const char *folder,
                                           const char *stored_path);
/* What to store for the file `path` (made absolute and canonical): relative
 * to `folder` when inside it, else absolute. `folder` may be NULL. */
char     *limner_image_root_relativize    (const char *folder,
                                           const char *path);

/* This user's local folder for the project's image root, or NULL when none
 * is set (or it was set for another root). */
char     *limner_image_root_dup_mapping   (const char *location,
                                           const char *project_root);
/* Sets (or with `local_folder` NULL, removes) that mapping. The folder must
 * be an absolute path to an existing folder, named in UTF-8; `project_root`
 * must not be empty. The key file is written atomically. */
gboolean  limner_image_root_set_mapping   (const char  *location,
                                           const char  *project_root,
                                           const char  *local_folder,
                                           GError     **error);
/* The key file that holds the mappings. */
char     *limner_image_root_dup_mappings_path (void);

/* For this process only, and ahead of any mapping: the local folder of
 * whatever image root the project has (limner-cli --image-root). NULL
 * clears it. */
void      limner_image_root_set_override  (const char *local_folder);

/* A number that changes whenever this process sets a mapping or the
 * override, for those who keep a folder chosen earlier. */
guint     limner_image_root_get_generation (void);

G_END_DECLS
