/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <vips/vips.h>

#include "limner-core.h"

gboolean
limner_core_init (const char *argv0, GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialised))
    {
      ok = VIPS_INIT (argv0 ? argv0 : "limner") == 0;
      if (ok)
        {
          /* Loaders libvips marks untrusted (matrix, fits, magick, ...) are
           * not fuzzed: files from annotators never reach them. */
          vips_block_untrusted_set (TRUE);
          /* The operation cache is for interactive pipelines; keep it small so
           * tile rendering of huge images stays bounded. */
          vips_cache_set_max (100);
          vips_cache_set_max_mem (64 * 1024 * 1024);
        }
      g_once_init_leave (&initialised, 1);
    }
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("Could not start libvips: %s"), vips_error_buffer ());
  return ok;
}
