/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-application.h: the application: command line, windows, app actions. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIMNER_TYPE_APPLICATION (limner_application_get_type ())
G_DECLARE_FINAL_TYPE (LimnerApplication, limner_application, LIMNER, APPLICATION, AdwApplication)

/* `limner PROJECT [IMAGE]` opens PROJECT (and IMAGE on the image page);
 * `limner` alone shows the welcome page. */
LimnerApplication *limner_application_new (void);

G_END_DECLS
