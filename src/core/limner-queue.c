/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-queue.h"
#include "limner-store-qc.h"

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
  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return limner_store_submit (store, image_id, NULL, error);
}

/* "gold-queue\n" LOGIN, hashed: the draw's image slot for a user's queue. */
static char *
queue_hash (const char *login)
{
  g_autofree char *message = g_strconcat ("limner-gold-queue-v1\n", login, "\n", NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, message, -1);
}

LimnerImageRecord *
limner_queue_next (LimnerStore  *store,
                   GError      **error)
{
  g_autofree char *seed = NULL;
  g_autofree char *hash = NULL;
  double gold_rate;
  gint64 gold_id;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gold_rate = limner_store_gold_get_rate (store);
  if (gold_rate > 0 && (limner_store_get_roles (store) & LIMNER_ROLE_ANNOTATOR))
    {
      g_autoptr(GError) local_error = NULL;

      gold_id = limner_store_next_gold_for_me (store, error);
      if (gold_id != 0)
        {
          seed = limner_store_qc_dup_seed (store, error);
          if (seed == NULL)
            return NULL;
          hash = queue_hash (limner_store_get_login (store));
          if (limner_qc_is_drawn (limner_qc_ticket (seed, hash, limner_store_count_my_submissions (store) + 1),
                                  gold_rate))
            {
              if (limner_store_claim (store, gold_id, &local_error))
                return limner_store_get_image (store, gold_id, error);
              if (!g_error_matches (local_error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return NULL;
                }
            }
        }
    }
  return limner_store_claim_next (store, error);
}
