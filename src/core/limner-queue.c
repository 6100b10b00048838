/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-queue.h"

static gboolean
held_by_me (LimnerStore             *store,
            const LimnerImageRecord *image)
{
  return image->status == LIMNER_IMAGE_IN_PROGRESS &&
         g_strcmp0 (image->assignee, limner_store_get_login (store)) == 0;
}

/* New or rejected work that is the acting user's or no one's. */
static gboolean
free_for_me (LimnerStore             *store,
             const LimnerImageRecord *image)
{
  return (image->status == LIMNER_IMAGE_NEW || image->status == LIMNER_IMAGE_REJECTED) &&
         (image->assignee == NULL ||
          g_str_equal (image->assignee, limner_store_get_login (store)));
}

gboolean
limner_queue_can_edit (LimnerStore             *store,
                       const LimnerImageRecord *image)
{
  LimnerRole roles;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  roles = limner_store_get_roles (store);
  if (roles & (LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD))
    return TRUE;
  return (roles & LIMNER_ROLE_ANNOTATOR) && held_by_me (store, image);
}

LimnerImageRecord *
limner_queue_open (LimnerStore  *store,
                   gint64        image_id,
                   GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  image = limner_store_get_image (store, image_id, error);
  if (image == NULL)
    return NULL;
  if (!(limner_store_get_roles (store) & LIMNER_ROLE_ANNOTATOR) || !free_for_me (store, image))
    return g_steal_pointer (&image);

  /* Someone may have taken it since it was read: then it opens as theirs. */
  if (!limner_store_claim (store, image_id, &local_error) &&
      !g_error_matches (local_error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_pointer (&image, limner_image_record_free);
  return limner_store_get_image (store, image_id, error);
}

gboolean
limner_queue_submit (LimnerStore  *store,
                     gint64        image_id,
                     GError      **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  LimnerRole roles;
  gboolean ok = TRUE;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (limner_store_in_batch (store))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Cannot submit image %" PRId64 " inside another transaction"), image_id);
      return FALSE;
    }
  if (!limner_store_begin (store, error))
    return FALSE;

  image = limner_store_get_image (store, image_id, error);
  ok = image != NULL;
  roles = limner_store_get_roles (store);
  if (ok && !held_by_me (store, image))
    {
      if (roles & LIMNER_ROLE_ANNOTATOR)
        {
          /* A submitted or done image fails below with the store's message. */
          if (image->status == LIMNER_IMAGE_NEW || image->status == LIMNER_IMAGE_REJECTED ||
              image->status == LIMNER_IMAGE_IN_PROGRESS)
            ok = limner_store_claim (store, image_id, error);
        }
      else if ((roles & LIMNER_ROLE_LEAD) &&
               (image->status == LIMNER_IMAGE_NEW || image->status == LIMNER_IMAGE_REJECTED))
        ok = limner_store_set_image_status (store, image_id, LIMNER_IMAGE_IN_PROGRESS, error);
    }
  if (ok)
    ok = limner_store_set_image_status (store, image_id, LIMNER_IMAGE_SUBMITTED, error);

  if (!ok)
    {
      limner_store_rollback (store);
      return FALSE;
    }
  return limner_store_commit (store, error);
}
