/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-image-root.c: the folder a project's relative image paths are
 * under on this computer, and this user's mappings of image roots. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <errno.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/stat.h>

#include "limner-image-root.h"
#include "limner-pg.h"

#define MAPPINGS_FILE "image-folders.ini"
#define KEY_ROOT "image-root"
#define KEY_FOLDER "folder"

/* The key file is read for every path the store resolves (a grid of
 * 100,000 images resolves as many), so it is kept in memory and read again
 * only when the file on disk is another one. */
static GMutex mappings_lock;
static GKeyFile *mappings;            /* NULL until read, or when there is no file */
static struct stat mappings_stat;
static char *override_folder;
static gint generation;

/* Identity */

/* "postgresql://USER@HOST:PORT/DB" from the parts the URI names, so that
 * two spellings of one database (postgres://, parameters in another order)
 * share a mapping, and a password is never written down. */
static char *
uri_identity (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *dbname = NULL, *host = NULL, *port = NULL, *user = NULL;
  GString *id;

  if (options == NULL)
    {
      /* Not a URI libpq reads: its host and path, without the user
       * information and the parameters, either of which may hold a password. */
      const char *scheme_end = strstr (uri, "://");
      const char *start = scheme_end != NULL ? scheme_end + 3 : uri;
      const char *end = start + strcspn (start, "/?");
      const char *at = g_strrstr_len (start, end - start, "@");
      const char *place = at != NULL ? at + 1 : start;
      g_autofree char *rest = g_strndup (place, strcspn (place, "?"));

      return g_strconcat ("postgresql://", rest, NULL);
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || *o->val == '\0')
        continue;
      if (g_str_equal (o->keyword, "dbname"))
        dbname = o->val;
      else if (g_str_equal (o->keyword, "host"))
        host = o->val;
      else if (g_str_equal (o->keyword, "port"))
        port = o->val;
      else if (g_str_equal (o->keyword, "user"))
        user = o->val;
    }
  id = g_string_new ("postgresql://");
  if (user != NULL)
    g_string_append_printf (id, "%s@", user);
  if (host != NULL)
    g_string_append (id, host);
  if (port != NULL)
    g_string_append_printf (id, ":%s", port);
  if (dbname != NULL)
    g_string_append_printf (id, "/%s", dbname);
  PQconninfoFree (options);
  return g_string_free (id, FALSE);
}

char *
limner_image_root_identity (const char *location)
{
  if (location == NULL || *location == '\0')
    return NULL;
  if (limner_pg_is_uri (location))
    return uri_identity (location);
  return g_canonicalize_filename (location, NULL);
}

/* Paths */

char *
limner_image_root_resolve (const char *folder,
                           const char *stored_path)
{
  g_return_val_if_fail (stored_path != NULL, NULL);

  if (g_path_is_absolute (stored_path) || folder == NULL)
    return g_strdup (stored_path);
  return g_build_filename (folder, stored_path, NULL);
}

char *
limner_image_root_relativize (const char *folder,
                              const char *path)
{
  g_autofree char *canon = NULL;
  char *rel = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  canon = g_canonicalize_filename (path, NULL);
  if (folder != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);
      g_autoptr(GFile) file = g_file_new_for_path (canon);

      rel = g_file_get_relative_path (dir, file);
    }
  return rel != NULL ? rel : g_steal_pointer (&canon);
}

/* Mappings */

char *
limner_image_root_dup_mappings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "limner", MAPPINGS_FILE, NULL);
}

/* A group name GKeyFile accepts ("[" and "]" are not) that a person can
 * still read. */
static char *
group_for (const char *location)
{
  g_autofree char *identity = limner_image_root_identity (location);

  if (identity == NULL)
    return NULL;
  return g_uri_escape_string (identity, "/:@+,;=~!$&'()* ", TRUE);
}

static gboolean
same_file (const struct stat *a, const struct stat *b)
{
  return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size
         && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* With mappings_lock held: the mappings as on disk now, or NULL. */
static GKeyFile *
current_mappings (void)
{
  g_autofree char *path = limner_image_root_dup_mappings_path ();
  g_autoptr(GError) error = NULL;
  struct stat st;

  if (stat (path, &st) != 0)
    {
      g_clear_pointer (&mappings, g_key_file_unref);
      return NULL;
    }
  if (mappings != NULL && same_file (&st, &mappings_stat))
    return mappings;

  g_clear_pointer (&mappings, g_key_file_unref);
  mappings = g_key_file_new ();
  if (!g_key_file_load_from_file (mappings, path, G_KEY_FILE_KEEP_COMMENTS, &error))
    {
      /* A broken file maps nothing; the user hears of it when setting one. */
      g_debug ("Ignoring %s: %s", path, error->message);
      g_key_file_unref (mappings);
      mappings = g_key_file_new ();
    }
  mappings_stat = st;
  return mappings;
}

static gboolean
same_root (const char *a, const char *b)
{
  g_autofree char *ca = g_canonicalize_filename (a, "/");
  g_autofree char *cb = g_canonicalize_filename (b, "/");

  return g_str_equal (ca, cb);
}

char *
limner_image_root_dup_mapping (const char *location,
                               const char *project_root)
{
  g_autofree char *group = NULL;
  g_autofree char *root = NULL;
  char *folder = NULL;
  GKeyFile *file;

  if (project_root == NULL || *project_root == '\0')
    return NULL;
  group = group_for (location);
  if (group == NULL)
    return NULL;

  g_mutex_lock (&mappings_lock);
  file = current_mappings ();
  if (file != NULL)
    {
      root = g_key_file_get_string (file, group, KEY_ROOT, NULL);
      if (root != NULL && same_root (root, project_root))
        folder = g_key_file_get_string (file, group, KEY_FOLDER, NULL);
    }
  g_mutex_unlock (&mappings_lock);

  if (folder != NULL && !g_path_is_absolute (folder))
    g_clear_pointer (&folder, g_free);
  return folder;
}

gboolean
limner_image_root_set_mapping (const char  *location,
                               const char  *project_root,
                               const char  *local_folder,
                               GError     **error)
{
  g_autofree char *group = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  group = group_for (location);
  if (group == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This project has no folder or address to remember an image folder by"));
      return FALSE;
    }
  if (local_folder != NULL)
    {
      if (project_root == NULL || *project_root == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The project %s has no image root to map to %s; a lead sets one first"),
                       location, local_folder);
          return FALSE;
        }
      if (!g_path_is_absolute (local_folder) || !g_utf8_validate (local_folder, -1, NULL))
        {
          g_autofree char *display = g_filename_display_name (local_folder);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                       _("The image folder must be an absolute path named in UTF-8, not “%s”"),
                       display);
          return FALSE;
        }
      if (!g_file_test (local_folder, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                       _("The image folder %s does not exist or is not a folder"), local_folder);
          return FALSE;
        }
      folder = g_canonicalize_filename (local_folder, NULL);
    }

  path = limner_image_root_dup_mappings_path ();
  dir = g_path_get_dirname (path);

  g_mutex_lock (&mappings_lock);
  /* From the disk, not the cache: another process may have written since. */
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_mutex_unlock (&mappings_lock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Could not read the image folders in %s: %s"), path, local_error->message);
      return FALSE;
    }
  if (local_error != NULL)
    g_key_file_set_comment (file, NULL, NULL,
                            " Written by Limner: where each project's image root is on this computer.",
                            NULL);
  g_clear_error (&local_error);
  if (folder != NULL)
    {
      g_key_file_set_string (file, group, KEY_ROOT, project_root);
      g_key_file_set_string (file, group, KEY_FOLDER, folder);
    }
  else
    g_key_file_remove_group (file, group, NULL);

  data = g_key_file_to_data (file, NULL, NULL);
  ok = g_mkdir_with_parents (dir, 0700) == 0;
  if (!ok)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved));
    }
  else
    {
      ok = g_file_set_contents (path, data, -1, &local_error);
      if (!ok)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not save the image folder in %s: %s"), path, local_error->message);
    }
  g_clear_pointer (&mappings, g_key_file_unref);
  g_atomic_int_inc (&generation);
  g_mutex_unlock (&mappings_lock);
  return ok;
}

void
limner_image_root_set_override (const char *local_folder)
{
  g_mutex_lock (&mappings_lock);
  g_clear_pointer (&override_folder, g_free);
  if (local_folder != NULL)
    override_folder = g_canonicalize_filename (local_folder, NULL);
  g_atomic_int_inc (&generation);
  g_mutex_unlock (&mappings_lock);
}

guint
limner_image_root_get_generation (void)
{
  return (guint) g_atomic_int_get (&generation);
}

char *
limner_image_root_choose_folder (const char *location,
                                 const char *project_root)
{
  char *folder = NULL;

  if (project_root != NULL && *project_root != '\0')
    {
      g_mutex_lock (&mappings_lock);
      folder = g_strdup (override_folder);
      g_mutex_unlock (&mappings_lock);
      if (folder == NULL)
        folder = limner_image_root_dup_mapping (location, project_root);
      return folder != NULL ? folder : g_strdup (project_root);
    }
  if (location != NULL && !limner_pg_is_uri (location))
    return g_strdup (location);
  return NULL;
}
