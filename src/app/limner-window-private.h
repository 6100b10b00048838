/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-window-private.h: shared by limner-window.c (pages, the queue,
 * folder projects) and limner-window-team.c (team projects: connecting,
 * the offline banner, edits the server never got). Never include it
 * elsewhere. */
#pragma once

#include "limner-activity-monitor.h"
#include "limner-analytics-page.h"
#include "limner-live-refresh.h"
#include "limner-review-page.h"
#include "limner-versions-page.h"
#include "limner-window.h"

G_BEGIN_DECLS

struct _LimnerWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  LimnerOfflineBanner  *offline_banner;
  GtkStack             *stack;
  LimnerWelcomePage    *welcome_page;
  LimnerProjectPage    *project_page;
  /* Created the first time it is shown, then kept in the stack. */
  LimnerVersionsPage   *versions_page;
  LimnerReviewPage     *review_page;
  LimnerAnalyticsPage  *analytics_page;
  GtkWidget            *image_page;
  AdwWindowTitle       *image_title;
  LimnerAnnotatePage   *annotate_page;

  /* Owned references */
  GSettings            *settings;
  LimnerStore          *store;
  LimnerLiveRefresh    *live_refresh;  /* NULL: the project cannot be watched */
  GtkFileChooserNative *chooser;
  GtkDropTarget        *drop_target;
  GtkWindow            *labels_dialog; /* weak */
  LimnerConnectDialog  *connect_dialog; /* weak */
  char                 *connect_image;  /* to show once connected (`limner URI IMAGE`) */
  LimnerActivityMonitor *activity;
  gint64                shown_image_id;
  /* Ids of the images shown, oldest first, for Page Up / Page Down; the
   * shown (or last shown) one is at history_pos. */
  GArray               *history;
  guint                 history_pos;
  gboolean              shown_releasable;
  gboolean              close_confirmed; /* the user chose to lose edits the server never got */
  guint                 backup_timer;
};

/* Connects the window to its annotate page's "saving-offline". */
void     _limner_window_team_init                (LimnerWindow *self);
/* Template callbacks of the offline banner. */
void     _limner_window_offline_retry            (LimnerWindow        *self,
                                                  LimnerOfflineBanner *banner);
void     _limner_window_offline_reconnected      (LimnerWindow        *self,
                                                  LimnerOfflineBanner *banner);
/* "win.connect" */
void     _limner_window_connect_action           (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *param);
/* TRUE if closing (`closing`: "close-window" or "close-project") must wait
 * for the user's answer first: edits wait for an unreachable server. */
gboolean _limner_window_ask_before_losing_edits  (LimnerWindow *self,
                                                  const char   *closing);

G_END_DECLS
