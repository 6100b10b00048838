/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts libvips for Limner: untrusted loaders blocked, bounded caches.
 * Call once from main() of every program that links liblimner-core. */
gboolean limner_core_init (const char *argv0, GError **error);

G_END_DECLS
