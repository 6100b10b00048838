/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-activity-monitor.h: notices focus changes and idleness of a
 * window, for the event log (see limner-store-stats.h).
 *
 * "activity" is emitted with the event kind: "app.focus_in" and
 * "app.focus_out" when the window gains or loses focus, "app.idle_start"
 * when no key, pointer motion or other input reached it for the idle time
 * (a minute), and "app.idle_end" at the first input after that.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LIMNER_ACTIVITY_IDLE_SECONDS 60

#define LIMNER_TYPE_ACTIVITY_MONITOR (limner_activity_monitor_get_type ())
G_DECLARE_FINAL_TYPE (LimnerActivityMonitor, limner_activity_monitor, LIMNER, ACTIVITY_MONITOR, GObject)

/* Watches `window` (not referenced: the monitor stops with it). */
LimnerActivityMonitor *limner_activity_monitor_new (GtkWindow *window);
/* For tests: a shorter idle time. */
void     limner_activity_monitor_set_idle_ms (LimnerActivityMonitor *self,
                                              guint                  ms);
gboolean limner_activity_monitor_is_idle     (LimnerActivityMonitor *self);

G_END_DECLS
