/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-image-root.c: where a project's images are. `settings` (the
 * project's image root and this user's local folder for it), `relink`, and
 * the check of an image's file before a command reads its pixels. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "limner-cli.h"
#include "limner-image-root.h"
#include "limner-image-verify.h"
#include "limner-import.h"

/* Where this computer finds the project's images, and why there. */
static const char *
folder_origin (const char  *root,
               const char  *mapping,
               const char  *folder)
{
  if (folder == NULL)
    return NULL;
  if (root == NULL)
    return _("the project folder");
  if (g_strcmp0 (folder, mapping) == 0)
    return _("this user's image folder on this computer");
  if (g_str_equal (folder, root))
    return _("the image root");
  return _("--image-root");
}

static int
print_settings (LimnerCliContext *ctx,
                LimnerStore      *store)
{
  g_autofree char *root = limner_store_dup_image_root (store);
  g_autofree char *mapping = limner_image_root_dup_mapping (limner_store_get_dir (store), root);
  g_autofree char *folder = limner_store_dup_image_folder (store);

  if (ctx->json)
    {
      limner_cli_print_json (json_pack ("{s:s, s:o, s:o, s:o}",
                                        "project", limner_store_get_dir (store),
                                        "image_root", root ? json_string (root) : json_null (),
                                        "local_image_root", mapping ? json_string (mapping) : json_null (),
                                        "image_folder", folder ? json_string (folder) : json_null ()));
      return LIMNER_CLI_OK;
    }
  if (root != NULL)
    printf (_("Image root: %s\n"), root);
  else
    printf (_("Image root: none; image paths are relative to the project folder\n"));
  if (folder != NULL)
    printf (_("Images on this computer: %s (%s)\n"), folder, folder_origin (root, mapping, folder));
  else
    printf (_("Images on this computer: absolute paths only\n"));
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_settings (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  const char *key = limner_cli_arg (ctx, 1);
  const char *value = limner_cli_arg (ctx, 2);
  gboolean unset = limner_cli_flag (ctx, "--unset");

  if (key != NULL && !g_str_equal (key, "image-root") && !g_str_equal (key, "local-image-root"))
    return limner_cli_usage (ctx, _("unknown setting “%s”; the settings are image-root and local-image-root"), key);
  if (key != NULL && (value == NULL) == !unset)
    return limner_cli_usage (ctx, _("%s takes a folder or --unset"), key);
  if (key == NULL && unset)
    return limner_cli_usage (ctx, _("--unset needs a setting"));

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  if (key != NULL && g_str_equal (key, "image-root"))
    {
      g_autofree char *absolute = value ? g_canonicalize_filename (value, NULL) : NULL;

      if (!limner_store_set_image_root (store, absolute, &error))
        return limner_cli_fail (error);
    }
  else if (key != NULL)
    {
      g_autofree char *root = limner_store_dup_image_root (store);
      g_autofree char *absolute = value ? g_canonicalize_filename (value, NULL) : NULL;

      if (root == NULL)
        {
          limner_cli_error (_("The project %s has no image root to map; a lead sets one with "
                              "“limner-cli settings PROJECT image-root PATH”"),
                            limner_store_get_dir (store));
          return LIMNER_CLI_ERROR;
        }
      if (!limner_image_root_set_mapping (limner_store_get_dir (store), root, absolute, &error))
        return limner_cli_fail (error);
    }
  return print_settings (ctx, store);
}

int
limner_cli_cmd_relink (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autofree char *file = g_canonicalize_filename (limner_cli_arg (ctx, 2), NULL);
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);
  image = limner_store_lookup_image (store, limner_cli_arg (ctx, 1), &error);
  if (image == NULL)
    return limner_cli_fail (error);
  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, &error))
    return limner_cli_fail (error);

  /* A relink says "this is the same file, elsewhere": only the bytes the
   * project recorded make it so. */
  sha = limner_import_hash_file (file, NULL, NULL, &error);
  if (sha == NULL)
    return limner_cli_fail (error);
  if (g_ascii_strcasecmp (sha, image->sha256) != 0)
    {
      limner_cli_error (_("%s is not image %" G_GINT64_FORMAT " (%s): its SHA-256 is not the one the project recorded"),
                        file, image->id, image->path);
      return LIMNER_CLI_ERROR;
    }
  stored = limner_store_relativize_path (store, file);
  if (!limner_store_set_image_path (store, image->id, stored, &error))
    return limner_cli_fail (error);

  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:I, s:s, s:s}",
                                      "image_id", (json_int_t) image->id,
                                      "path", stored,
                                      "file", file));
  else
    printf (_("Image %" G_GINT64_FORMAT " now points to %s.\n"), image->id, file);
  return LIMNER_CLI_OK;
}

gboolean
limner_cli_verify_image (LimnerCliContext        *ctx,
                         LimnerStore             *store,
                         const LimnerImageRecord *image)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerVerifyResult) result = limner_image_verify (store, image, NULL, &error);

  if (result == NULL)
    {
      limner_cli_fail (error);
      return FALSE;
    }
  switch (result->status)
    {
    case LIMNER_VERIFY_OK:
      return TRUE;
    case LIMNER_VERIFY_CHANGED:
      if (limner_cli_flag (ctx, "--allow-changed"))
        {
          g_printerr (_("Warning: %s\n"), result->message);
          return TRUE;
        }
      /* Translators: the first %s says that the image's file changed */
      limner_cli_error (_("%s Pass --allow-changed to use it anyway."), result->message);
      return FALSE;
    case LIMNER_VERIFY_MISSING:
    case LIMNER_VERIFY_UNREADABLE:
    default:
      limner_cli_error ("%s", result->message);
      return FALSE;
    }
}
