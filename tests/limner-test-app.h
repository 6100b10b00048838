/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-test-app.h: the start and end shared by the display tests. */
#pragma once

#include <glib.h>

#include "limner-application.h"

G_BEGIN_DECLS

/* Prepares a display test, before any test runs: a new temporary folder
 * (returned; `prefix` names it) holding XDG_CACHE_HOME, XDG_CONFIG_HOME and
 * XDG_DATA_HOME, no accessibility bus, English strings, g_test_init(), a
 * private session bus when dbus-daemon exists, GTK, libadwaita and
 * liblimner-core. A missing display is a failure, not a skip. */
char *limner_test_app_init   (int         *argc,
                              char      ***argv,
                              const char  *prefix);

/* The test program's application, made and registered on first use
 * (non-unique, handling "open"); the same one on every call. */
LimnerApplication *limner_test_app_get (void);

/* Drops the application, before limner_test_app_finish(). */
void               limner_test_app_clear (void);

/* Stops the private bus and removes the temporary folder (and frees it).
 * Call after g_test_run(), once the application is gone. */
void  limner_test_app_finish (char *tmp_root);

G_END_DECLS
