/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-window-team.c: the window and team projects (PostgreSQL):
 * connecting through the connect dialog, the offline banner, and asking
 * before closing loses edits that the server never got. */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-window-private.h"

/* The offline banner ----------------------------------------------------- */

void
_limner_window_offline_retry (LimnerWindow        *self,
                              LimnerOfflineBanner *banner)
{
  limner_annotate_page_retry_saving (self->annotate_page);
}

/* What failed to load while the server was away is read again. */
void
_limner_window_offline_reconnected (LimnerWindow        *self,
                                    LimnerOfflineBanner *banner)
{
  if (self->store != NULL && !limner_project_page_get_loading (self->project_page))
    limner_project_page_reload (self->project_page);
}

static void
saving_offline_changed (LimnerWindow       *self,
                        GParamSpec         *pspec,
                        LimnerAnnotatePage *page)
{
  limner_offline_banner_set_saving_offline (self->offline_banner,
                                            limner_annotate_page_get_saving_offline (page));
}

void
_limner_window_team_init (LimnerWindow *self)
{
  g_signal_connect_swapped (self->annotate_page, "notify::saving-offline",
                            G_CALLBACK (saving_offline_changed), self);
}

/* Team projects ---------------------------------------------------------- */

static void
connect_dialog_connected (LimnerWindow        *self,
                          LimnerStore         *store,
                          const char          *uri,
                          LimnerConnectDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *image = g_steal_pointer (&self->connect_image);

  if (!limner_window_open_store (self, store, &error))
    {
      limner_window_show_error (self, error);
      return;
    }
  if (image != NULL && !limner_window_show_image (self, image, &error))
    limner_window_show_error (self, error);
}

void
_limner_window_connect_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  limner_window_connect (LIMNER_WINDOW (widget), NULL, NULL);
}

/* Edits the server never got are lost when the writer goes: the user
 * decides, not the close button. */
static void
lose_edits_response (AdwMessageDialog *dialog,
                     const char       *response,
                     LimnerWindow     *self)
{
  if (!g_str_equal (response, "close-window") && !g_str_equal (response, "close-project"))
    return;
  self->close_confirmed = TRUE;
  if (g_str_equal (response, "close-window"))
    gtk_window_close (GTK_WINDOW (self));
  else
    limner_window_close_project (self);
  self->close_confirmed = FALSE;
}

gboolean
_limner_window_ask_before_losing_edits (LimnerWindow *self,
                                        const char   *closing)
{
  guint unsaved = limner_annotate_page_get_unsaved (self->annotate_page);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->close_confirmed || !limner_annotate_page_get_saving_offline (self->annotate_page))
    return FALSE;
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u save waits for the server, which cannot be reached. "
                                       "Closing now loses it; left open, it is saved when the "
                                       "server is back.",
                                       "%u saves wait for the server, which cannot be reached. "
                                       "Closing now loses them; left open, they are saved when "
                                       "the server is back.", unsaved), unsaved);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Edits Not Saved"), body));
  adw_message_dialog_add_responses (dialog,
                                    "wait", _("_Keep Waiting"),
                                    closing, _("_Close and Lose Them"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, closing, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "wait");
  adw_message_dialog_set_close_response (dialog, "wait");
  g_signal_connect_object (dialog, "response", G_CALLBACK (lose_edits_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* Public ------------------------------------------------------------------ */

void
limner_window_connect (LimnerWindow *self,
                       const char   *uri,
                       const char   *image)
{
  g_return_if_fail (LIMNER_IS_WINDOW (self));

  if (self->connect_dialog == NULL)
    {
      g_set_weak_pointer (&self->connect_dialog, limner_connect_dialog_new (GTK_WINDOW (self)));
      g_signal_connect_object (self->connect_dialog, "connected",
                               G_CALLBACK (connect_dialog_connected), self, G_CONNECT_SWAPPED);
    }
  g_free (self->connect_image);
  self->connect_image = g_strdup (image);
  if (uri != NULL)
    limner_connect_dialog_set_uri (self->connect_dialog, uri);
  gtk_window_present (GTK_WINDOW (self->connect_dialog));
  /* A known address (a recent project, the command line) connects at once;
   * the dialog stays to show why, should it fail. */
  if (uri != NULL)
    limner_connect_dialog_connect (self->connect_dialog);
}

LimnerConnectDialog *
limner_window_get_connect_dialog (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->connect_dialog;
}

LimnerOfflineBanner *
limner_window_get_offline_banner (LimnerWindow *self)
{
  g_return_val_if_fail (LIMNER_IS_WINDOW (self), NULL);
  return self->offline_banner;
}
