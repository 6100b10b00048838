/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts libvips for Limner: untrusted loaders blocked, bounded caches.
 * Call once from main() of every program that links liblimner-core. */
gboolean limner_core_init (const char *argv0, GError **error);

/* Sets the locale and binds the gettext domain to limner_core_get_localedir().
 * Call first thing in main(). */
void limner_core_init_i18n (void);

/* The build directory when this program runs from it (uninstalled), else NULL. */
const char *limner_core_get_build_root (void);

/* $LIMNER_LOCALEDIR, else the build tree's po/ when uninstalled, else the
 * installed locale directory. */
const char *limner_core_get_localedir (void);

G_END_DECLS
