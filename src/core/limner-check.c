/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check.c: integrity of a project's database and image files. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>

#include "limner-check.h"
#include "limner-import.h"
#include "limner-store-versions.h"

gboolean
limner_check_project (LimnerStore         *store,
                      LimnerCheckFlags     flags,
                      LimnerCheckReport   *report,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GPtrArray) images = NULL;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!limner_store_check_database (store, report, error))
    return FALSE;

  images = limner_store_list_images (store, error);
  if (images == NULL)
    return FALSE;

  for (guint i = 0; i < images->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *path = limner_store_resolve_path (store, image->path);
      g_autofree char *sha = NULL;
      g_autoptr(GError) local = NULL;
      GStatBuf st;
      gint64 size = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      report->n_images++;
      if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                           _("%s (image %" PRId64 "): the image file "
                                             "is missing."), path, image->id);
          continue;
        }
      if (st.st_size != image->size)
        {
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                           _("%s (image %" PRId64 "): the file has %"
                                             PRId64 " bytes, the project recorded %"
                                             PRId64 "."),
                                           path, image->id, (gint64) st.st_size, image->size);
          continue;
        }
      if (flags & LIMNER_CHECK_QUICK)
        continue;

      sha = limner_import_hash_file (path, &size, cancellable, &local);
      report->n_hashed++;
      if (sha == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                           _("%s (image %" PRId64 "): could not be "
                                             "read: %s"), path, image->id, local->message);
        }
      else if (!g_str_equal (sha, image->sha256))
        limner_check_report_add_problem (report, LIMNER_CHECK_PROBLEM_IMAGE, path,
                                         _("%s (image %" PRId64 "): the file changed "
                                           "(SHA-256 %s, the project recorded %s)."),
                                         path, image->id, sha, image->sha256);
    }
  return TRUE;
}

char *
limner_check_report_format_project (const LimnerCheckReport *report,
                                    const char              *project_dir)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (project_dir != NULL, NULL);

  if (!limner_check_report_ok (report))
    return limner_check_report_format_problems (report, project_dir);
  return g_strdup_printf (_("The project %s is intact: database, %u versions, %u images "
                            "(%u hashed).\n"),
                          project_dir, report->n_versions, report->n_images, report->n_hashed);
}
