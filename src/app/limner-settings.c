/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "limner-core.h"
#include "limner-settings.h"

#define BUILTIN_SCHEMAS_RESOURCE "/io/github/limner/Limner/schemas/gschemas.compiled"

static GSettingsSchema *schema;
static GSettingsBackend *backend;

static GSettingsSchemaSource *
builtin_schema_source (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GSettingsSchemaSource *source;

  bytes = g_resources_lookup_data (BUILTIN_SCHEMAS_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  /* GIO reads schemas only from a directory; the file is mapped on load, so
   * it can go as soon as the source exists. */
  dir = g_dir_make_tmp ("limner-schemas-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    source = NULL;
  else
    source = g_settings_schema_source_new_from_directory (dir, NULL, TRUE, error);
  g_unlink (path);
  g_rmdir (dir);
  return source;
}

static void
resolve_schema (void)
{
  GSettingsSchemaSource *default_source = g_settings_schema_source_get_default ();
  const char *build_root = limner_core_get_build_root ();
  g_autoptr(GSettingsSchemaSource) builtin = NULL;
  g_autoptr(GError) error = NULL;

  if (build_root != NULL)
    {
      g_autofree char *dir = g_build_filename (build_root, "data", NULL);
      g_autoptr(GSettingsSchemaSource) source = NULL;

      source = g_settings_schema_source_new_from_directory (dir, default_source, FALSE, NULL);
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
      if (schema != NULL)
        {
          g_debug ("Settings schema from the build tree %s", dir);
          return;
        }
    }

  if (default_source != NULL)
    schema = g_settings_schema_source_lookup (default_source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    {
      g_debug ("Settings schema from the installed schemas");
      return;
    }

  builtin = builtin_schema_source (&error);
  if (builtin != NULL)
    schema = g_settings_schema_source_lookup (builtin, APPLICATION_ID, FALSE);
  if (schema == NULL)
    g_error ("The built-in settings schema %s could not be loaded: %s", APPLICATION_ID,
             error != NULL ? error->message : "not in the program");
  backend = g_memory_settings_backend_new ();
  g_warning ("The settings schema %s is not installed; settings will not be kept after this run.",
             APPLICATION_ID);
}

GSettings *
limner_settings_new (void)
{
  static gsize resolved = 0;

  if (g_once_init_enter (&resolved))
    {
      resolve_schema ();
      g_once_init_leave (&resolved, 1);
    }
  return g_settings_new_full (schema, backend, NULL);
}
