/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-pg.h"
#include "limner-pg-uri.h"
#include "limner-recent-projects.h"

void
limner_recent_projects_add (GSettings  *settings,
                            const char *dir)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  g_autofree char *stripped = NULL;
  guint n = 1;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (dir != NULL);

  /* A team project is remembered by its address without the password,
   * whatever the store was opened with: settings are plain text. */
  if (limner_pg_is_uri (dir))
    {
      stripped = limner_pg_uri_strip_password (dir);
      if (stripped == NULL)
        return;
      dir = stripped;
    }
  old = g_settings_get_strv (settings, "recent-projects");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, dir);
  for (guint i = 0; old[i] != NULL && n < LIMNER_RECENT_PROJECTS_MAX; i++)
    {
      if (g_str_equal (old[i], dir))
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "recent-projects", (const char * const *)recent);
}

void
limner_recent_projects_remove (GSettings  *settings,
                               const char *dir)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (dir != NULL);

  old = g_settings_get_strv (settings, "recent-projects");
  builder = g_strv_builder_new ();
  for (guint i = 0; old[i] != NULL; i++)
    {
      if (!g_str_equal (old[i], dir))
        g_strv_builder_add (builder, old[i]);
    }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "recent-projects", (const char * const *)recent);
}
