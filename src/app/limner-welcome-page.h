/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-welcome-page.h: what `limner` shows with no project: recent projects,
 * "Create Demo Project" and "Open Project…". */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIMNER_TYPE_WELCOME_PAGE (limner_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerWelcomePage, limner_welcome_page, LIMNER, WELCOME_PAGE, GtkWidget)

#define LIMNER_DEMO_PROJECT_IMAGES 24

GtkWidget *limner_welcome_page_new              (void);
/* Generates a demo project in $XDG_DATA_HOME/limner/demo-N on a worker thread
 * with a progress bar, then emits "open-project" with its directory. */
void       limner_welcome_page_create_demo      (LimnerWelcomePage *self);
gboolean   limner_welcome_page_get_creating_demo (LimnerWelcomePage *self);
/* The first directory name demo-N under `parent` that does not exist yet. */
char      *limner_welcome_page_next_demo_dir    (const char *parent);

G_END_DECLS
