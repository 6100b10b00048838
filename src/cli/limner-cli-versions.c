/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-versions.c: publish, versions, diff, export and check. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "limner-check.h"
#include "limner-cli.h"
#include "limner-dataset.h"
#include "limner-export-limner.h"
#include "limner-export.h"
#include "limner-export-verify.h"
#include "limner-manifest.h"
#include "limner-pg.h"
#include "limner-version-diff.h"

static json_t *
version_to_json (const LimnerVersion *v)
{
  g_autofree char *time = limner_export_format_time (v->created_at);

  return json_pack ("{s:I, s:o, s:s?, s:s, s:I, s:s?, s:s?, s:I, s:I}",
                    "number", (json_int_t) v->number,
                    "parent", v->parent > 0 ? json_integer (v->parent) : json_null (),
                    "author", v->author,
                    "time", time,
                    "created_at", (json_int_t) v->created_at,
                    "message", v->message,
                    "policy", v->policy,
                    "images", (json_int_t) v->n_images,
                    "shapes", (json_int_t) v->n_shapes);
}

int
limner_cli_cmd_publish (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerVersion) version = NULL;
  const char *message = limner_cli_opt (ctx, "--message");
  const char *policy_name = limner_cli_opt (ctx, "--policy");
  LimnerPublishPolicy policy = LIMNER_PUBLISH_DONE;
  gint64 number;

  if (message == NULL)
    return limner_cli_usage (ctx, _("a version needs a message: -m MESSAGE"));
  if (policy_name != NULL && !limner_publish_policy_from_string (policy_name, &policy))
    return limner_cli_usage (ctx, _("the policy “%s” is not one of done, with-shapes, all"),
                             policy_name);

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  number = limner_store_publish (store, message, policy, &error);
  if (number == 0)
    return limner_cli_fail (error);

  if (ctx->json)
    {
      version = limner_store_get_version (store, number, &error);
      if (version == NULL)
        return limner_cli_fail (error);
      limner_cli_print_json (version_to_json (version));
    }
  else
    printf ("%" PRId64 "\n", number);
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_versions (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) versions = NULL;

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);
  versions = limner_store_list_versions (store, &error);
  if (versions == NULL)
    return limner_cli_fail (error);

  if (ctx->json)
    {
      json_t *array = json_array ();

      for (guint i = 0; i < versions->len; i++)
        json_array_append_new (array, version_to_json (g_ptr_array_index (versions, i)));
      limner_cli_print_json (json_pack ("{s:o}", "versions", array));
      return LIMNER_CLI_OK;
    }

  if (versions->len == 0)
    {
      printf ("%s\n", _("No published versions."));
      return LIMNER_CLI_OK;
    }
  printf ("%-7s %-20s %-12s %-11s %8s %8s  %s\n", _("version"), _("time (UTC)"), _("author"),
          _("policy"), _("images"), _("shapes"), _("message"));
  for (guint i = 0; i < versions->len; i++)
    {
      const LimnerVersion *v = g_ptr_array_index (versions, i);
      g_autofree char *time = limner_export_format_time (v->created_at);

      printf ("%-7" PRId64 " %-20s %-12s %-11s %8" PRId64 " %8" PRId64
              "  %s\n",
              v->number, time, v->author, v->policy, v->n_images, v->n_shapes, v->message);
    }
  return LIMNER_CLI_OK;
}

/* "3", or "draft"/"0" for the current state. */
static gboolean
parse_version_arg (LimnerCliContext *ctx, const char *arg, gint64 *out)
{
  if (g_str_equal (arg, "draft"))
    {
      *out = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (arg, 10, 0, G_MAXINT64, out, NULL))
    {
      limner_cli_usage (ctx, _("“%s” is not a version number (or “draft”)"), arg);
      return FALSE;
    }
  return TRUE;
}

static json_t *
fields_json (char *list /* owned */)
{
  g_auto(GStrv) parts = g_strsplit (list, ", ", -1);
  json_t *array = json_array ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      json_array_append_new (array, json_string (parts[i]));
  g_free (list);
  return array;
}

static json_t *
diff_to_json (const LimnerVersionDiff *diff)
{
  json_t *labels = json_array ();
  json_t *images = json_array ();
  json_t *shapes = json_array ();

  for (guint i = 0; i < diff->labels->len; i++)
    {
      const LimnerLabelDiff *d = g_ptr_array_index (diff->labels, i);

      json_array_append_new (labels,
                             json_pack ("{s:I, s:s?, s:s?, s:b, s:b, s:I, s:I, s:I, s:I, s:I}",
                                        "id", (json_int_t) d->label_id,
                                        "name", d->name,
                                        "old_name", d->old_name,
                                        "in_a", d->in_a,
                                        "in_b", d->in_b,
                                        "a", (json_int_t) d->count_a,
                                        "b", (json_int_t) d->count_b,
                                        "added", (json_int_t) d->added,
                                        "removed", (json_int_t) d->removed,
                                        "changed", (json_int_t) d->changed));
    }
  for (guint i = 0; i < diff->images->len; i++)
    {
      const LimnerImageDiff *d = g_ptr_array_index (diff->images, i);

      json_array_append_new (images,
                             json_pack ("{s:I, s:s, s:s?, s:s, s:o, s:i, s:i, s:i}",
                                        "id", (json_int_t) d->image_id,
                                        "file", d->path,
                                        "old_file", d->old_path,
                                        "change", limner_diff_change_to_string (d->change),
                                        "fields", fields_json (limner_diff_image_fields_to_string (d->fields)),
                                        "shapes_added", d->shapes_added,
                                        "shapes_removed", d->shapes_removed,
                                        "shapes_changed", d->shapes_changed));
    }
  for (guint i = 0; i < diff->shapes->len; i++)
    {
      const LimnerShapeDiff *d = g_ptr_array_index (diff->shapes, i);

      json_array_append_new (shapes,
                             json_pack ("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:o}",
                                        "id", (json_int_t) d->shape_id,
                                        "image", (json_int_t) d->image_id,
                                        "file", d->path,
                                        "change", limner_diff_change_to_string (d->change),
                                        "label", d->label,
                                        "old_label", d->old_label,
                                        "fields", fields_json (limner_diff_shape_fields_to_string (d->fields))));
    }

  return json_pack ("{s:o, s:o, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i}, s:o, s:o, s:o}",
                    "a", diff->a > 0 ? json_integer (diff->a) : json_string ("draft"),
                    "b", diff->b > 0 ? json_integer (diff->b) : json_string ("draft"),
                    "images",
                      "added", diff->images_added, "removed", diff->images_removed,
                      "changed", diff->images_changed, "unchanged", diff->images_unchanged,
                    "shapes",
                      "added", diff->shapes_added, "removed", diff->shapes_removed,
                      "changed", diff->shapes_changed, "unchanged", diff->shapes_unchanged,
                    "labels", labels,
                    "image_changes", images,
                    "shape_changes", shapes);
}

int
limner_cli_cmd_diff (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerVersionDiff) diff = NULL;
  gint64 a, b;

  if (!parse_version_arg (ctx, limner_cli_arg (ctx, 1), &a)
      || !parse_version_arg (ctx, limner_cli_arg (ctx, 2), &b))
    return LIMNER_CLI_USAGE;

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);
  diff = limner_version_diff (store, a, b, NULL, &error);
  if (diff == NULL)
    return limner_cli_fail (error);

  if (ctx->json)
    limner_cli_print_json (diff_to_json (diff));
  else
    {
      g_autofree char *text = limner_version_diff_format (diff);
      fputs (text, stdout);
    }
  return LIMNER_CLI_OK;
}

/* Options handled by the export command itself; the rest go to the format. */
static const char * const export_own_options[] = {
  "--format", "--out", "--version", "--draft", "--policy", "--json", "--user", NULL
};

int
limner_cli_cmd_export (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerDataset) ds = NULL;
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *default_out = NULL;
  const char *format = limner_cli_opt (ctx, "--format");
  const char *out = limner_cli_opt (ctx, "--out");
  const char *policy_name = limner_cli_opt (ctx, "--policy");
  gboolean draft = limner_cli_flag (ctx, "--draft");
  LimnerPublishPolicy policy = LIMNER_PUBLISH_ALL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 version = 0;

  if (format == NULL)
    {
      g_autofree char *names = limner_export_dup_format_names ();
      return limner_cli_usage (ctx, _("--format is missing (one of %s)"), names);
    }
  if (limner_export_find_format (format) == NULL)
    {
      g_autofree char *names = limner_export_dup_format_names ();
      return limner_cli_usage (ctx, _("unknown format “%s”; the formats are %s"), format, names);
    }
  if (!limner_cli_opt_int (ctx, "--version", 0, &version))
    return LIMNER_CLI_USAGE;
  if (version < 0 || (version > 0 && draft))
    return limner_cli_usage (ctx, _("--version takes a positive number and excludes --draft"));
  if (policy_name != NULL && !limner_publish_policy_from_string (policy_name, &policy))
    return limner_cli_usage (ctx, _("the policy “%s” is not one of done, with-shapes, all"),
                             policy_name);
  if (policy_name != NULL && !draft)
    return limner_cli_usage (ctx, _("--policy applies to --draft exports only"));
  /* The default folder is inside the project's; a team project has none. */
  if (out == NULL && limner_pg_is_uri (limner_cli_arg (ctx, 0)))
    return limner_cli_usage (ctx, _("a project on a PostgreSQL server has no folder to export "
                                    "into: give --out DIR"));

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  /* Without --version: the latest version, or the current state if none. */
  if (version == 0 && !draft)
    {
      g_autoptr(GPtrArray) versions = limner_store_list_versions (store, &error);

      if (versions == NULL)
        return limner_cli_fail (error);
      if (versions->len > 0)
        version = ((LimnerVersion *) g_ptr_array_index (versions, versions->len - 1))->number;
      else
        limner_cli_error (_("%s has no published version; exporting the current state as a draft."),
                          limner_store_get_dir (store));
    }

  /* Default: PROJECT/exports/FORMAT-vN (or FORMAT-draft). */
  if (out == NULL)
    {
      g_autofree char *dirname = version > 0
        ? g_strdup_printf ("%s-v%" PRId64, format, version)
        : g_strdup_printf ("%s-draft", format);

      default_out = g_build_filename (limner_store_get_dir (store), "exports", dirname, NULL);
      out = default_out;
    }

  ds = version > 0 ? limner_dataset_open (store, version, &error)
                   : limner_dataset_open_draft (store, policy, &error);
  if (ds == NULL)
    return limner_cli_fail (error);

  options = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, ctx->options);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_strv_contains (export_own_options, key))
      g_hash_table_insert (options, (char *) key + 2, value);

  if (!limner_export_run (format, ds, out, options, NULL, NULL, NULL, &error))
    return limner_cli_fail (error);

  if (ctx->json)
    {
      g_autofree char *manifest_path = g_build_filename (out, LIMNER_MANIFEST_NAME, NULL);
      json_t *manifest = json_load_file (manifest_path, JSON_REJECT_DUPLICATES, NULL);
      json_t *content = manifest ? json_object_get (manifest, "content_sha256") : NULL;
      json_t *files = manifest ? json_object_get (manifest, "files") : NULL;

      limner_cli_print_json (json_pack ("{s:s, s:s, s:o, s:b, s:I, s:I, s:I, s:O?}",
                                        "format", format,
                                        "out", out,
                                        "version", version > 0 ? json_integer (version) : json_null (),
                                        "draft", version == 0,
                                        "images", (json_int_t) limner_dataset_get_images (ds)->len,
                                        "shapes", (json_int_t) limner_dataset_count_shapes (ds),
                                        "files", (json_int_t) (files ? json_array_size (files) : 0),
                                        "content_sha256", content));
      json_decref (manifest);
    }
  else if (version > 0)
    printf (_("Exported version %" PRId64 " of %s as %s into %s.\n"),
            version, limner_store_get_dir (store), format, out);
  else
    printf (_("Exported the current state (a draft) of %s as %s into %s.\n"),
            limner_store_get_dir (store), format, out);
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_check (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerCheckReport) report = limner_check_report_new ();
  const char *export_dir = limner_cli_opt (ctx, "--export");
  gboolean quick = limner_cli_flag (ctx, "--quick");
  gboolean ok;

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  if (export_dir != NULL)
    ok = limner_export_verify_full (store, export_dir,
                                    quick ? LIMNER_VERIFY_QUICK : LIMNER_VERIFY_DEFAULT,
                                    report, NULL, &error);
  else
    ok = limner_check_project (store, quick ? LIMNER_CHECK_QUICK : LIMNER_CHECK_DEFAULT,
                               report, NULL, &error);
  if (!ok)
    return limner_cli_fail (error);

  if (ctx->json)
    {
      json_t *problems = json_array ();
      json_t *details = json_array ();

      for (guint i = 0; i < report->problems->len; i++)
        {
          const LimnerCheckProblem *problem = g_ptr_array_index (report->problems, i);

          json_array_append_new (problems, json_string (problem->message));
          json_array_append_new (details,
                                 json_pack ("{s:s, s:s?, s:s}",
                                            "kind", limner_check_problem_kind_to_string (problem->kind),
                                            "item", problem->item,
                                            "message", problem->message));
        }
      limner_cli_print_json (json_pack ("{s:b, s:s, s:s?, s:o, s:o, s:i, s:i, s:i, s:i}",
                                        "ok", limner_check_report_ok (report),
                                        "project", limner_store_get_dir (store),
                                        "export", export_dir,
                                        "problems", problems,
                                        "details", details,
                                        "files", report->n_files,
                                        "images", report->n_images,
                                        "hashed", report->n_hashed,
                                        "versions", report->n_versions));
    }
  else
    {
      g_autofree char *text = export_dir != NULL
        ? limner_export_verify_report_format (report, export_dir)
        : limner_check_report_format_project (report, limner_store_get_dir (store));

      /* Problems are errors, so they go where errors go. */
      fputs (text, limner_check_report_ok (report) ? stdout : stderr);
    }
  return limner_check_report_ok (report) ? LIMNER_CLI_OK : LIMNER_CLI_ERROR;
}
