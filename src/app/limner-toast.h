/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-toast.h: toasts for errors and news, handed on by the pages.
 *
 * A page does not know the window it is in: it emits its "toast" signal
 * (one AdwToast argument) and whoever holds the page shows it, so pages stay
 * free of the window's header. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A toast for `error`: its message (escaped: toast titles are Pango markup,
 * and file names may hold '&' or '<'), shown longer than news. The message also goes to the log. */
AdwToast *limner_toast_new_for_error (const GError *error);
/* Whether the toast is for an error that says a team project's server
 * cannot be reached (LIMNER_STORE_ERROR_OFFLINE): the window shows its
 * offline banner instead. */
gboolean  limner_toast_is_offline    (AdwToast     *toast);
/* Emits "toast" on `page` with `toast` (taken). With nobody listening (a
 * page on its own, in a test), the toast's title goes to the log. */
void      limner_toast_emit          (GtkWidget    *page,
                                      AdwToast     *toast);

G_END_DECLS
