/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-offline-banner.h: "Offline — the server … cannot be reached", at
 * the top of the window while a team project's server is out of reach.
 *
 * The window tells it when a store call failed with
 * LIMNER_STORE_ERROR_OFFLINE (report()) and while the autosave writer
 * retries such a failure (set_saving_offline()). While a reported failure
 * stands, the banner tries the server every few seconds on a worker (a new
 * connection to the project) and goes away once one succeeds and the writer
 * has saved; its Retry button does both at once ("retry"). Going back online
 * emits "reconnected", so that the window can read again what it could not.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* How often a lost server is tried again. */
#define LIMNER_OFFLINE_PROBE_SECONDS 3

#define LIMNER_TYPE_OFFLINE_BANNER (limner_offline_banner_get_type ())
G_DECLARE_FINAL_TYPE (LimnerOfflineBanner, limner_offline_banner, LIMNER, OFFLINE_BANNER, GtkWidget)

GtkWidget  *limner_offline_banner_new          (void);
/* The project to try again: its address as the store opened it (a password
 * included) and the acting login. NULL for a folder project or none, which
 * also hides the banner. */
void        limner_offline_banner_set_project  (LimnerOfflineBanner *self,
                                                const char          *uri,
                                                const char          *login);
/* TRUE (and the banner shows) if `error` says the server cannot be
 * reached; FALSE for any other error, which the caller reports itself. */
gboolean    limner_offline_banner_report       (LimnerOfflineBanner *self,
                                                const GError        *error);
/* The same, for an error known to be of that kind. */
void        limner_offline_banner_report_offline (LimnerOfflineBanner *self);
/* The writer keeps edits that it cannot save because of the server. */
void        limner_offline_banner_set_saving_offline (LimnerOfflineBanner *self,
                                                      gboolean             saving_offline);
gboolean    limner_offline_banner_get_offline  (LimnerOfflineBanner *self);
/* The banner's text; NULL while online. */
const char *limner_offline_banner_get_message  (LimnerOfflineBanner *self);
/* What Retry does: emits "retry" and tries the server now. */
void        limner_offline_banner_retry        (LimnerOfflineBanner *self);

G_END_DECLS
