/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-check.c: integrity of a project's database and image files. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>

#include "limner-check.h"
#include "limner-import.h"
#include "limner-store-versions.h"


LimnerCheckReport *
limner_check_report_new (void)
{
  LimnerCheckReport *report = g_new0 (LimnerCheckReport, 1);

  report->problems = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
limner_check_report_free (LimnerCheckReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->problems);
  g_free (report);
}

void
limner_check_report_add (LimnerCheckReport *report, const char *format, ...)
{
  va_list ap;

  g_return_if_fail (report != NULL);

  va_start (ap, format);
  g_ptr_array_add (report->problems, g_strdup_vprintf (format, ap));
  va_end (ap);
}

gboolean
limner_check_report_ok (const LimnerCheckReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->problems->len == 0;
}

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
          limner_check_report_add (report, _("%s (image %" PRId64 "): the image file "
                                             "is missing."), path, image->id);
          continue;
        }
      if (st.st_size != image->size)
        {
          limner_check_report_add (report, _("%s (image %" PRId64 "): the file has %"
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
          limner_check_report_add (report, _("%s (image %" PRId64 "): could not be "
                                             "read: %s"), path, image->id, local->message);
        }
      else if (!g_str_equal (sha, image->sha256))
        limner_check_report_add (report, _("%s (image %" PRId64 "): the file changed "
                                           "(SHA-256 %s, the project recorded %s)."),
                                 path, image->id, sha, image->sha256);
    }
  return TRUE;
}
