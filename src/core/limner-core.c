/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
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

static gboolean
path_is_under (const char *path,
               const char *dir)
{
  size_t len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == G_DIR_SEPARATOR || dir[len - 1] == G_DIR_SEPARATOR);
}

const char *
limner_core_get_build_root (void)
{
  static gsize resolved = 0;
  static char *build_root = NULL;

  if (g_once_init_enter (&resolved))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *root = realpath (LIMNER_BUILD_ROOT, NULL);

      /* An installed copy must never pick up a build tree that still exists
       * on the same machine, so only our own location counts. */
      if (exe != NULL && root != NULL && path_is_under (exe, root))
        build_root = g_steal_pointer (&root);
      g_once_init_leave (&resolved, 1);
    }
  return build_root;
}

const char *
limner_core_get_localedir (void)
{
  static gsize resolved = 0;
  static char *localedir = NULL;

  if (g_once_init_enter (&resolved))
    {
      const char *env = g_getenv ("LIMNER_LOCALEDIR");
      const char *build_root = limner_core_get_build_root ();

      if (env != NULL && *env != '\0')
        localedir = g_strdup (env);
      else if (build_root != NULL)
        /* i18n.gettext() compiles <build>/po/LANG/LC_MESSAGES/limner.mo. */
        localedir = g_build_filename (build_root, "po", NULL);
      else
        localedir = g_strdup (LOCALEDIR);
      g_once_init_leave (&resolved, 1);
    }
  return localedir;
}

void
limner_core_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, limner_core_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
