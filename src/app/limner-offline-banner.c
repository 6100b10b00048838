/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-offline-banner.h"
#include "limner-pg-uri.h"
#include "limner-store.h"
#include "limner-worker.h"

struct _LimnerOfflineBanner
{
  GtkWidget     parent_instance;

  /* Child widgets */
  GtkRevealer  *revealer;
  GtkLabel     *label;
  GtkWidget    *retry_button;

  /* Owned references */
  char         *uri;          /* NULL: not a team project */
  char         *login;
  char         *message;      /* NULL while online */
  GCancellable *probe;        /* a try of the server under way */

  guint         probe_timer;
  gboolean      reported;       /* a call failed for the server, and no try since succeeded */
  gboolean      saving_offline; /* the writer keeps edits for the server */
};

G_DEFINE_FINAL_TYPE (LimnerOfflineBanner, limner_offline_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RETRY,
  RECONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_probe (LimnerOfflineBanner *self);

static char *
offline_message (const char *uri)
{
  g_autofree char *server = limner_pg_uri_dup_server (uri);

  if (server == NULL)
    return g_strdup (_("Offline — the database server on this computer cannot be reached. Your "
                       "unsaved edits are kept and will be saved when it is back."));
  /* Translators: %s is a server ("db.example.com:5433") */
  return g_strdup_printf (_("Offline — the server %s cannot be reached. Your unsaved edits are "
                            "kept and will be saved when it is back."), server);
}

static gboolean
probe_timeout (gpointer data)
{
  LimnerOfflineBanner *self = data;

  start_probe (self);
  return G_SOURCE_CONTINUE;
}

/* Shows or hides the banner after a change, and tries the server every few
 * seconds while a reported failure stands. */
static void
update (LimnerOfflineBanner *self)
{
  gboolean was_offline = self->message != NULL;
  gboolean offline = self->uri != NULL && (self->reported || self->saving_offline);

  if (offline && !was_offline)
    {
      self->message = offline_message (self->uri);
      gtk_label_set_label (self->label, self->message);
      g_message ("%s", self->message);
    }
  else if (!offline && was_offline)
    g_clear_pointer (&self->message, g_free);
  gtk_revealer_set_reveal_child (self->revealer, offline);
  gtk_widget_set_sensitive (self->retry_button, self->probe == NULL);

  if (self->reported && self->uri != NULL && self->probe_timer == 0)
    self->probe_timer = g_timeout_add_seconds (LIMNER_OFFLINE_PROBE_SECONDS, probe_timeout, self);
  else if (!self->reported)
    g_clear_handle_id (&self->probe_timer, g_source_remove);

  if (offline != was_offline)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
      if (!offline && self->uri != NULL)
        g_signal_emit (self, signals[RECONNECTED], 0);
    }
}

/* Trying the server ---------------------------------------------------- */

/* Opening the project was the test. */
static gpointer
probe_in_worker (LimnerWorker  *worker,
                 LimnerStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return NULL;
}

static void
probe_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LimnerOfflineBanner) self = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_pointer (G_TASK (result), &error);
  /* Another project meanwhile, or disposed. */
  if (g_task_get_cancellable (G_TASK (result)) != self->probe)
    return;
  g_clear_object (&self->probe);
  if (error == NULL)
    self->reported = FALSE;
  else
    g_debug ("The server is still out of reach: %s", error->message);
  update (self);
}

static void
start_probe (LimnerOfflineBanner *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->uri == NULL || self->probe != NULL)
    return;
  self->probe = g_cancellable_new ();
  task = g_task_new (NULL, self->probe, probe_done, g_object_ref (self));
  g_task_set_source_tag (task, start_probe);
  limner_worker_run (limner_worker_new (self->uri, self->login), task, probe_in_worker,
                     NULL, NULL, NULL);
  gtk_widget_set_sensitive (self->retry_button, FALSE);
}

static void
retry_clicked (LimnerOfflineBanner *self)
{
  limner_offline_banner_retry (self);
}

/* GObject --------------------------------------------------------------- */

static void
limner_offline_banner_dispose (GObject *object)
{
  LimnerOfflineBanner *self = LIMNER_OFFLINE_BANNER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (limner_offline_banner_parent_class)->dispose (object);
}

static void
limner_offline_banner_finalize (GObject *object)
{
  LimnerOfflineBanner *self = LIMNER_OFFLINE_BANNER (object);

  g_free (self->uri);
  g_free (self->login);
  g_free (self->message);

  G_OBJECT_CLASS (limner_offline_banner_parent_class)->finalize (object);
}

static void
limner_offline_banner_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LimnerOfflineBanner *self = LIMNER_OFFLINE_BANNER (object);

  switch (prop_id)
    {
    case PROP_OFFLINE:
      g_value_set_boolean (value, limner_offline_banner_get_offline (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_offline_banner_class_init (LimnerOfflineBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_offline_banner_dispose;
  object_class->finalize = limner_offline_banner_finalize;
  object_class->get_property = limner_offline_banner_get_property;

  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Retry was pressed: whoever keeps unsaved edits tries them now. */
  signals[RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The server is back: read again what could not be read. */
  signals[RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "limner-offline-banner");
}

/* libadwaita 1.2 has no AdwBanner: a revealer with a label and a button,
 * styled alike (style.css). */
static void
limner_offline_banner_init (LimnerOfflineBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("network-offline-symbolic");

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  gtk_widget_add_css_class (box, "offline-banner");
  gtk_revealer_set_child (self->revealer, box);
  gtk_box_append (GTK_BOX (box), icon);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_valign (self->retry_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (retry_clicked), self);
  gtk_box_append (GTK_BOX (box), self->retry_button);
}

GtkWidget *
limner_offline_banner_new (void)
{
  return g_object_new (LIMNER_TYPE_OFFLINE_BANNER, NULL);
}

void
limner_offline_banner_set_project (LimnerOfflineBanner *self,
                                   const char          *uri,
                                   const char          *login)
{
  g_return_if_fail (LIMNER_IS_OFFLINE_BANNER (self));

  g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  g_clear_handle_id (&self->probe_timer, g_source_remove);
  g_free (self->uri);
  self->uri = g_strdup (uri);
  g_free (self->login);
  self->login = g_strdup (login);
  self->reported = FALSE;
  self->saving_offline = FALSE;
  g_clear_pointer (&self->message, g_free);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

gboolean
limner_offline_banner_report (LimnerOfflineBanner *self,
                              const GError        *error)
{
  g_return_val_if_fail (LIMNER_IS_OFFLINE_BANNER (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);

  if (!g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE))
    return FALSE;
  g_message ("%s", error->message);
  limner_offline_banner_report_offline (self);
  return TRUE;
}

void
limner_offline_banner_report_offline (LimnerOfflineBanner *self)
{
  g_return_if_fail (LIMNER_IS_OFFLINE_BANNER (self));

  self->reported = TRUE;
  update (self);
}

void
limner_offline_banner_set_saving_offline (LimnerOfflineBanner *self,
                                          gboolean             saving_offline)
{
  g_return_if_fail (LIMNER_IS_OFFLINE_BANNER (self));

  /* The writer saved: the server is back for everyone. */
  if (self->saving_offline && !saving_offline)
    self->reported = FALSE;
  self->saving_offline = saving_offline;
  update (self);
}

gboolean
limner_offline_banner_get_offline (LimnerOfflineBanner *self)
{
  g_return_val_if_fail (LIMNER_IS_OFFLINE_BANNER (self), FALSE);
  return self->message != NULL;
}

const char *
limner_offline_banner_get_message (LimnerOfflineBanner *self)
{
  g_return_val_if_fail (LIMNER_IS_OFFLINE_BANNER (self), NULL);
  return self->message;
}

void
limner_offline_banner_retry (LimnerOfflineBanner *self)
{
  g_return_if_fail (LIMNER_IS_OFFLINE_BANNER (self));

  g_signal_emit (self, signals[RETRY], 0);
  start_probe (self);
}
