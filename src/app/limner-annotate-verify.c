/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-annotate-verify.c: the annotate page's check of the shown image's
 * file against the SHA-256 the project recorded (limner-image-verify.h).
 *
 * The check runs beside the pixels, on a worker thread, and edits are
 * allowed while it runs: most files are fine, and a gigapixel file must not
 * wait for its hash. A missing file shows the red bar with the image, the
 * path looked at and the image folder to set. A changed file shows a bar
 * naming it and makes the page read-only; "Edit Anyway" lifts that for this
 * opening only, and logs it, so the warning comes back next time until a
 * lead relinks the image (or the file is restored).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-annotate-page-private.h"

typedef struct {
  LimnerAnnotatePage *self;
  gint64              image_id;
} VerifyData;

gboolean
_limner_annotate_page_file_blocks_edits (LimnerAnnotatePage *self)
{
  return self->pixels_failed
         || (self->verified != NULL && self->verified->status == LIMNER_VERIFY_CHANGED
             && !self->edit_changed);
}

void
_limner_annotate_page_clear_verify (LimnerAnnotatePage *self)
{
  g_clear_pointer (&self->verified, limner_verify_result_free);
  self->verifying = FALSE;
  self->edit_changed = FALSE;
  gtk_widget_set_visible (self->changed_bar, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.edit-anyway", TRUE);
}

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  VerifyData *data = user_data;
  g_autoptr(LimnerAnnotatePage) self = data->self;
  g_autoptr(LimnerVerifyResult) verified = NULL;
  g_autoptr(GError) error = NULL;
  gint64 image_id = data->image_id;

  g_free (data);
  verified = limner_image_verify_finish (result, &error);
  /* Another image may be shown by now. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->record == NULL || self->record->id != image_id)
    return;
  self->verifying = FALSE;
  if (verified == NULL)
    {
      _limner_annotate_page_toast (self, error->message);
      return;
    }
  g_debug ("Image %" G_GINT64_FORMAT ": %s%s", image_id,
           verified->status == LIMNER_VERIFY_OK ? "verified" : verified->message,
           verified->from_cache ? " (cached)" : "");

  switch (verified->status)
    {
    case LIMNER_VERIFY_OK:
      self->verified = g_steal_pointer (&verified);
      break;
    case LIMNER_VERIFY_MISSING:
      self->verified = g_steal_pointer (&verified);
      _limner_annotate_page_show_pixels_error (self, self->verified->message);
      break;
    case LIMNER_VERIFY_CHANGED:
      self->verified = g_steal_pointer (&verified);
      gtk_label_set_label (self->changed_label, self->verified->message);
      gtk_widget_set_visible (self->changed_bar, TRUE);
      _limner_annotate_page_set_editable_by_rule (self);
      break;
    case LIMNER_VERIFY_UNREADABLE:
    default:
      /* The pixels' own error, if they cannot be read either, says the
       * rest; a file readable but not to its end is worth a word. */
      _limner_annotate_page_toast (self, verified->message);
      self->verified = g_steal_pointer (&verified);
      break;
    }
}

void
_limner_annotate_page_start_verify (LimnerAnnotatePage *self)
{
  VerifyData *data;

  g_return_if_fail (self->record != NULL && self->cancellable != NULL);

  data = g_new0 (VerifyData, 1);
  data->self = g_object_ref (self);
  data->image_id = self->record->id;
  self->verifying = TRUE;
  limner_image_verify_async (self->store, self->record, self->cancellable, on_verified, data);
}

void
_limner_annotate_page_on_edit_anyway (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  LimnerAnnotatePage *self = LIMNER_ANNOTATE_PAGE (widget);
  g_autofree char *detail = NULL;

  if (self->verified == NULL || self->verified->status != LIMNER_VERIFY_CHANGED || self->edit_changed)
    return;
  self->edit_changed = TRUE;
  {
    /* Translators: the changed-file message, once the user chose to edit */
    g_autofree char *text = g_strdup_printf (_("%s You chose to edit it anyway."), self->verified->message);

    gtk_label_set_label (self->changed_label, text);
  }
  gtk_widget_action_set_enabled (widget, "annotate.edit-anyway", FALSE);
  /* The lead can tell from the log who edited over which bytes. */
  detail = g_strdup_printf ("{\"sha256\": \"%s\"}", self->verified->sha256);
  limner_annotate_page_log_event (self, "image.edit_changed", detail);
  _limner_annotate_page_set_editable_by_rule (self);
}

gboolean
limner_annotate_page_get_verifying (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), FALSE);

  return self->verifying;
}

const char *
limner_annotate_page_get_file_warning (LimnerAnnotatePage *self)
{
  g_return_val_if_fail (LIMNER_IS_ANNOTATE_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->changed_bar))
    return NULL;
  return gtk_label_get_label (self->changed_label);
}
