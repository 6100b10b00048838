/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-window.h: the main window: welcome page, project grid, image page. */
#pragma once

#include <adwaita.h>

#include "limner-annotate-page.h"
#include "limner-connect-dialog.h"
#include "limner-offline-banner.h"
#include "limner-project-page.h"
#include "limner-store.h"
#include "limner-welcome-page.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_WINDOW (limner_window_get_type ())
G_DECLARE_FINAL_TYPE (LimnerWindow, limner_window, LIMNER, WINDOW, AdwApplicationWindow)

LimnerWindow      *limner_window_new               (GtkApplication *application);
/* Opens the project in `dir`, or at a postgresql:// address, at once (its
 * image list is read on a worker thread) and shows its grid. On failure the
 * window is unchanged. The GUI connects to a team project through
 * limner_window_connect() instead, which never waits for the network. */
gboolean           limner_window_open_project      (LimnerWindow  *self,
                                                    const char    *dir,
                                                    GError       **error);
/* A team project: shows the connect dialog ("win.connect"). Given `uri`
 * (a recent project, the command line), fills it in and connects at once,
 * on a worker with a spinner; the dialog stays open with the reason if
 * that fails. Once connected, the project opens, then `image` (may be NULL;
 * as for limner_window_show_image()). */
void               limner_window_connect           (LimnerWindow  *self,
                                                    const char    *uri,
                                                    const char    *image);
/* The connect dialog while it is open, or NULL. */
LimnerConnectDialog *limner_window_get_connect_dialog (LimnerWindow *self);
LimnerOfflineBanner *limner_window_get_offline_banner (LimnerWindow *self);
/* The same on a store already open, as its acting user (the store's login:
 * tests open a window as "ann1" this way). */
gboolean           limner_window_open_store        (LimnerWindow  *self,
                                                    LimnerStore   *store,
                                                    GError       **error);
void               limner_window_close_project     (LimnerWindow *self);
/* The open project, or NULL. */
LimnerStore       *limner_window_get_store         (LimnerWindow *self);
/* Shows one image of the open project on the image page. `id_or_path` is an
 * image id, a stored path or an absolute path (see limner_store_lookup_image).
 * An annotator takes a free image on opening it this way
 * (limner_queue_open()); an image they may not edit opens read-only. An image
 * activated in the grid is only shown: the image page claims free work on its
 * first edit. The queue is driven by the actions "win.next-image" (Page
 * Down: forward in this window's history, then the next image of the queue),
 * "win.previous-image" (Page Up), "win.submit-image" (Ctrl+Enter: save,
 * submit, open the next) and "win.release-image". */
gboolean           limner_window_show_image        (LimnerWindow  *self,
                                                    const char    *id_or_path,
                                                    GError       **error);
void               limner_window_show_image_record (LimnerWindow            *self,
                                                    const LimnerImageRecord *record);
/* The id of the image on the image page, 0 when the image page is not shown. */
gint64             limner_window_get_shown_image_id (LimnerWindow *self);
LimnerWelcomePage *limner_window_get_welcome_page  (LimnerWindow *self);
LimnerProjectPage *limner_window_get_project_page  (LimnerWindow *self);
LimnerAnnotatePage *limner_window_get_annotate_page (LimnerWindow *self);
/* Takes ownership of `toast`. */
void               limner_window_add_toast         (LimnerWindow *self,
                                                    AdwToast     *toast);
void               limner_window_show_error        (LimnerWindow *self,
                                                    const GError *error);

G_END_DECLS
