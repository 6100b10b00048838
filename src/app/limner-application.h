/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-application.h: the application: command line, windows, app actions. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIMNER_TYPE_APPLICATION (limner_application_get_type ())
G_DECLARE_FINAL_TYPE (LimnerApplication, limner_application, LIMNER, APPLICATION, AdwApplication)

/* `limner PROJECT [IMAGE]` opens PROJECT (and IMAGE on the image page);
 * `limner` alone shows the welcome page. PROJECT is a folder or a team
 * project's postgresql:// address, which connects on a worker through the
 * window's connect dialog (limner_window_connect()). */
LimnerApplication *limner_application_new (void);
/* The team project's address that a command-line argument names, as
 * GApplication made a GFile of it; NULL for a folder or anything else. */
char              *limner_application_dup_team_uri (GFile *file);

G_END_DECLS
