/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-records.h"
#include "limner-toast.h"

AdwToast *
limner_toast_new_for_error (const GError *error)
{
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_return_val_if_fail (error != NULL, NULL);

  markup = g_markup_escape_text (error->message, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 8);
  g_message ("%s", error->message);
  if (g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE))
    g_object_set_data (G_OBJECT (toast), "limner-offline", GINT_TO_POINTER (TRUE));
  return toast;
}

gboolean
limner_toast_is_offline (AdwToast *toast)
{
  g_return_val_if_fail (ADW_IS_TOAST (toast), FALSE);

  return g_object_get_data (G_OBJECT (toast), "limner-offline") != NULL;
}

void
limner_toast_emit (GtkWidget *page,
                   AdwToast  *toast)
{
  g_autoptr(AdwToast) owned = toast;
  guint signal_id;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (ADW_IS_TOAST (toast));

  signal_id = g_signal_lookup ("toast", G_OBJECT_TYPE (page));
  g_return_if_fail (signal_id != 0);
  if (!g_signal_has_handler_pending (page, signal_id, 0, FALSE))
    {
      g_message ("%s", adw_toast_get_title (toast));
      return;
    }
  g_signal_emit (page, signal_id, 0, toast);
}
