/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-recent-projects.h: the projects opened lately, newest first, kept
 * in the "recent-projects" GSettings key. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LIMNER_RECENT_PROJECTS_MAX 10

/* Puts `dir` first: no duplicates, at most LIMNER_RECENT_PROJECTS_MAX
 * entries. `dir` may be a team project's postgresql:// address: it is
 * remembered without its password (limner_pg_uri_strip_password()). */
void limner_recent_projects_add    (GSettings  *settings,
                                    const char *dir);
void limner_recent_projects_remove (GSettings  *settings,
                                    const char *dir);

G_END_DECLS
