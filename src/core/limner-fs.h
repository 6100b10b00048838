/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-fs.h: what kind of file system a project lives on.
 *
 * SQLite's locking is unreliable over network file systems, so a project
 * there can be corrupted when two machines write to it at once. Limner warns
 * rather than refuses: one machine alone on a network share is fine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The name of a network file system type ("NFS", "SMB", "CIFS", ...) for a
 * statfs(2) f_type magic number, or NULL for a local one. */
const char *limner_fs_network_type_name (gint64 f_type);

/* The network file system `path` is on, or NULL when it is local or cannot
 * be told (the path does not exist). */
const char *limner_fs_network_type (const char *path);

/* One translated sentence warning that the project in `dir` is on a network
 * file system, or NULL when it is not. */
char       *limner_fs_dup_network_warning (const char *dir);

G_END_DECLS
