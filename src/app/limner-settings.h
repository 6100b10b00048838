/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The application's settings. The schema comes from the build tree when
 * running uninstalled, then from the installed schemas; when neither has it,
 * from a copy built into the program, kept in memory for this run only (with
 * one warning) rather than aborting. Every call shares the same backend. */
GSettings *limner_settings_new (void);

G_END_DECLS
