/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-import.c: import and demo.
 *
 * Exit status: an import that ran to the end exits 0 even when some files
 * were refused (each refusal is one sentence on stderr, and the summary
 * counts them): a folder of 10,000 photos with one damaged file is a
 * success. It exits 1 when a named PATH does not exist (checked before
 * anything is read, so nothing is imported), when files were found but not
 * one could be read (everything refused), or on a store error; 2 on bad
 * usage.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "limner-cli.h"
#include "limner-demo.h"
#include "limner-import.h"
#include "limner-pg.h"

/* Progress on a terminal only: pipelines get clean stderr. */
static void
print_progress (guint done, guint total, const char *current, gpointer user_data)
{
  fputc ('\r', stderr);
  if (total == 0)
    fprintf (stderr, _("Scanning folders… %u files found"), done);
  else
    fprintf (stderr, _("Checking files… %u of %u"), done, total);
  if (current == NULL)
    fputc ('\n', stderr);
  fflush (stderr);
}

static gboolean
want_progress (LimnerCliContext *ctx)
{
  return !ctx->json && isatty (STDERR_FILENO);
}

static json_t *
items_to_json (GPtrArray *items, gboolean with_reason, gboolean with_id)
{
  json_t *array = json_array ();

  for (guint i = 0; i < items->len; i++)
    {
      LimnerImportItem *item = g_ptr_array_index (items, i);
      g_autofree char *path = g_filename_display_name (item->path);
      json_t *obj = json_pack ("{s:s}", "path", path);

      if (with_reason)
        json_object_set_new (obj, "reason", json_string (item->reason ? item->reason : ""));
      if (with_id)
        json_object_set_new (obj, "image_id",
                             item->image_id > 0 ? json_integer (item->image_id) : json_null ());
      json_array_append_new (array, obj);
    }
  return array;
}

/* {"added": N, "duplicates": N, "rejected": [{"path", "reason"}],
 *  "added_images": [{"path", "image_id"}],
 *  "duplicate_files": [{"path", "reason", "image_id"}]} */
static json_t *
result_to_json (LimnerStore *store, LimnerImportResult *result)
{
  return json_pack ("{s:s, s:I, s:I, s:o, s:o, s:o}",
                    "project", limner_store_get_dir (store),
                    "added", (json_int_t) result->added->len,
                    "duplicates", (json_int_t) result->duplicates->len,
                    "rejected", items_to_json (result->rejected, TRUE, FALSE),
                    "added_images", items_to_json (result->added, FALSE, TRUE),
                    "duplicate_files", items_to_json (result->duplicates, TRUE, TRUE));
}

static void
print_rejections (LimnerImportResult *result)
{
  for (guint i = 0; i < result->rejected->len; i++)
    {
      LimnerImportItem *item = g_ptr_array_index (result->rejected, i);

      limner_cli_error ("%s", item->reason);
    }
}

static void
print_summary (LimnerStore *store, LimnerImportResult *result)
{
  guint added = result->added->len;
  guint dups = result->duplicates->len;
  guint rejected = result->rejected->len;

  if (added + dups + rejected == 0)
    {
      printf (_("Found no image files to import.\n"));
      return;
    }
  printf (ngettext ("Added %u image to %s", "Added %u images to %s", added),
          added, limner_store_get_dir (store));
  printf (ngettext ("; skipped %u duplicate", "; skipped %u duplicates", dups), dups);
  printf (ngettext ("; rejected %u file.\n", "; rejected %u files.\n", rejected), rejected);
}

/* Everything refused and nothing usable: the run read nothing at all. */
static gboolean
nothing_readable (LimnerImportResult *result)
{
  return result->rejected->len > 0 && result->added->len == 0 && result->duplicates->len == 0;
}

int
limner_cli_cmd_import (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerImportResult) result = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  for (guint i = 1; i < ctx->args->len; i++)
    {
      const char *path = limner_cli_arg (ctx, i);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *display = g_filename_display_name (path);

          limner_cli_error (_("%s: no such file or folder; nothing was imported."), display);
          return LIMNER_CLI_ERROR;
        }
      g_ptr_array_add (paths, (char *) path);
    }
  g_ptr_array_add (paths, NULL);

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  result = limner_import_run (store, (const char * const *) paths->pdata, NULL,
                              want_progress (ctx) ? print_progress : NULL, NULL, &error);
  if (result == NULL)
    return limner_cli_fail (error);

  print_rejections (result);
  if (ctx->json)
    limner_cli_print_json (result_to_json (store, result));
  else
    print_summary (store, result);

  return nothing_readable (result) ? LIMNER_CLI_ERROR : LIMNER_CLI_OK;
}

int
limner_cli_cmd_demo (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerImportResult) result = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autofree char *demo_dir = NULL;
  const char *dir = limner_cli_arg (ctx, 0);
  const char *out_dir = limner_cli_opt (ctx, "--out");
  gint64 n_images, seed;

  if (!limner_cli_opt_int (ctx, "--images", LIMNER_DEMO_DEFAULT_IMAGES, &n_images)
      || !limner_cli_opt_int (ctx, "--seed", LIMNER_DEMO_DEFAULT_SEED, &seed))
    return LIMNER_CLI_USAGE;
  if (n_images < 0 || n_images > 100000)
    return limner_cli_usage (ctx, _("--images expects a number from 0 to 100000, not %s"),
                             limner_cli_opt (ctx, "--images"));
  if (seed < 0)
    return limner_cli_usage (ctx, _("--seed expects a number of 0 or more, not %s"),
                             limner_cli_opt (ctx, "--seed"));

  /* The images go next to a project folder; a team project has none. */
  if (out_dir == NULL && limner_pg_is_uri (dir))
    return limner_cli_usage (ctx, _("a project on a PostgreSQL server has no folder for the demo "
                                    "images: give --out DIR (on the team's shared storage)"));

  if (limner_store_exists (dir))
    {
      store = limner_store_open (dir, ctx->user, &error);
      /* An empty database on a server: a new demo project, as a new folder is. */
      if (store == NULL && limner_pg_is_uri (dir)
          && g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_A_PROJECT))
        g_clear_error (&error);
    }
  if (store == NULL && error == NULL)
    store = limner_store_create (dir, limner_cli_opt (ctx, "--name"), ctx->user, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  demo_dir = out_dir != NULL ? g_canonicalize_filename (out_dir, NULL)
                             : g_build_filename (limner_store_get_dir (store), LIMNER_DEMO_DIR_NAME, NULL);
  if (!limner_demo_generate (store, demo_dir, (int) n_images, (guint64) seed, NULL,
                             want_progress (ctx) ? print_progress : NULL, NULL, &result, &error))
    return limner_cli_fail (error);

  refs = limner_store_list_reference_shapes (store, 0, &error);
  if (refs == NULL)
    return limner_cli_fail (error);

  print_rejections (result);
  if (ctx->json)
    {
      json_t *obj = result_to_json (store, result);

      json_object_set_new (obj, "seed", json_integer (seed));
      json_object_set_new (obj, "images_dir", json_string (demo_dir));
      json_object_set_new (obj, "reference_shapes", json_integer (refs->len));
      limner_cli_print_json (obj);
    }
  else
    {
      g_autofree char *seed_text = g_strdup_printf ("%" PRId64, seed);

      printf (ngettext ("Wrote %u demo image (seed %s) to %s.\n",
                        "Wrote %u demo images (seed %s) to %s.\n", (gulong) n_images),
              (guint) n_images, seed_text, demo_dir);
      printf (ngettext ("Added %u image to the project",
                        "Added %u images to the project", result->added->len),
              result->added->len);
      printf (ngettext (" (%u was there already)", " (%u were there already)", result->duplicates->len),
              result->duplicates->len);
      printf (ngettext ("; it has %u reference outline.\n", "; it has %u reference outlines.\n", refs->len),
              refs->len);
    }
  return result->rejected->len > 0 ? LIMNER_CLI_ERROR : LIMNER_CLI_OK;
}
