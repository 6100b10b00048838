/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "limner-activity-monitor.h"

struct _LimnerActivityMonitor
{
  GObject    parent_instance;

  /* Borrowed references */
  GtkWindow *window;   /* weak */

  guint      idle_ms;
  guint      timeout_id;
  gboolean   idle;
};

G_DEFINE_FINAL_TYPE (LimnerActivityMonitor, limner_activity_monitor, G_TYPE_OBJECT)

enum {
  ACTIVITY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
idle_timeout (gpointer data)
{
  LimnerActivityMonitor *self = data;

  self->timeout_id = 0;
  self->idle = TRUE;
  g_signal_emit (self, signals[ACTIVITY], 0, "app.idle_start");
  return G_SOURCE_REMOVE;
}

static void
restart_timer (LimnerActivityMonitor *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  /* Also without focus: an idle start after a focus out changes no count
   * (both gaps are 0) and the rule stays simple. */
  if (self->window != NULL)
    self->timeout_id = g_timeout_add (self->idle_ms, idle_timeout, self);
}

/* Any input: the end of idleness, and the timer starts over. */
static void
input (LimnerActivityMonitor *self)
{
  if (self->idle)
    {
      self->idle = FALSE;
      g_signal_emit (self, signals[ACTIVITY], 0, "app.idle_end");
    }
  restart_timer (self);
}

static gboolean
legacy_event (GtkEventControllerLegacy *controller,
              GdkEvent                 *event,
              LimnerActivityMonitor    *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      input (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             LimnerActivityMonitor *self)
{
  input (self);
  return GDK_EVENT_PROPAGATE;
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        LimnerActivityMonitor    *self)
{
  input (self);
}

static void
active_changed (GtkWindow             *window,
                GParamSpec            *pspec,
                LimnerActivityMonitor *self)
{
  gboolean active = gtk_window_is_active (window);

  g_signal_emit (self, signals[ACTIVITY], 0, active ? "app.focus_in" : "app.focus_out");
  /* Away is not idle: the focus-out gap already counts as zero. */
  self->idle = FALSE;
  restart_timer (self);
}

static void
limner_activity_monitor_dispose (GObject *object)
{
  LimnerActivityMonitor *self = LIMNER_ACTIVITY_MONITOR (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  G_OBJECT_CLASS (limner_activity_monitor_parent_class)->dispose (object);
}

static void
limner_activity_monitor_class_init (LimnerActivityMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = limner_activity_monitor_dispose;

  signals[ACTIVITY] = g_signal_new ("activity", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
limner_activity_monitor_init (LimnerActivityMonitor *self)
{
  self->idle_ms = LIMNER_ACTIVITY_IDLE_SECONDS * 1000;
}

LimnerActivityMonitor *
limner_activity_monitor_new (GtkWindow *window)
{
  LimnerActivityMonitor *self;
  GtkEventController *controller;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  self = g_object_new (LIMNER_TYPE_ACTIVITY_MONITOR, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  /* Capture phase: input counts wherever it goes in the window. The
   * controllers belong to the window; g_signal_connect_object() drops their
   * handlers when the monitor goes first. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (legacy_event), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  g_signal_connect (window, "notify::is-active", G_CALLBACK (active_changed), self);
  return self;
}

void
limner_activity_monitor_set_idle_ms (LimnerActivityMonitor *self,
                                     guint                  ms)
{
  g_return_if_fail (LIMNER_IS_ACTIVITY_MONITOR (self));
  g_return_if_fail (ms > 0);

  self->idle_ms = ms;
  restart_timer (self);
}

gboolean
limner_activity_monitor_is_idle (LimnerActivityMonitor *self)
{
  g_return_val_if_fail (LIMNER_IS_ACTIVITY_MONITOR (self), FALSE);
  return self->idle;
}
