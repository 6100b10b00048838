/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-annotations.c: limner-cli import-annotations. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "limner-cli.h"
#include "limner-import-annotations.h"

static void
print_report (const LimnerAnnotationImportReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      const LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, i);

      if (!fr->ok)
        {
          /* The message already names the file and the item. */
          limner_cli_error ("%s", fr->error);
          continue;
        }
      printf (_("%s: %u shapes imported into %u images, %u of them clamped to the image; %u items skipped.\n"),
              fr->file, fr->n_imported, fr->n_images, fr->n_clamped, fr->skipped->len);
      for (guint k = 0; k < fr->labels_created->len; k++)
        printf (_("  label created: %s\n"), (const char *) g_ptr_array_index (fr->labels_created, k));
      for (guint k = 0; k < fr->skipped->len; k++)
        printf ("  %s\n", (const char *) g_ptr_array_index (fr->skipped, k));
      /* Conversions and fallbacks: imported, but not quite as written. */
      for (guint k = 0; k < fr->notes->len; k++)
        printf (_("  note: %s\n"), (const char *) g_ptr_array_index (fr->notes, k));
    }
  printf (_("%u files imported, %u failed: %u shapes imported, %u clamped, %u items skipped.\n"),
          report->n_files_ok, report->n_files_failed, report->n_imported, report->n_clamped,
          report->n_skipped);
}

int
limner_cli_cmd_import_annotations (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  LimnerAnnotationImportOptions options = { 0 };
  const char *format = limner_cli_opt (ctx, "--format");
  gint64 max_size;
  guint n_paths_failed = 0;

  if (format == NULL)
    return limner_cli_usage (ctx, _("--format is missing (one of labelme, coco, yolo, voc)"));
  if (!limner_annotation_format_from_string (format, &options.format))
    return limner_cli_usage (ctx, _("unknown format “%s”; the formats are labelme, coco, yolo, voc"), format);
  if (!limner_cli_opt_int (ctx, "--max-size", 0, &max_size))
    return LIMNER_CLI_USAGE;
  if (max_size < 0)
    return limner_cli_usage (ctx, _("--max-size takes a number of bytes"));
  if (limner_cli_opt (ctx, "--names") != NULL && options.format != LIMNER_ANNOTATION_FORMAT_YOLO)
    return limner_cli_usage (ctx, _("--names applies to --format yolo only"));

  options.as_predictions = limner_cli_flag (ctx, "--as-predictions");
  options.create_labels = limner_cli_flag (ctx, "--create-labels");
  options.max_file_size = max_size;
  options.yolo_names = limner_cli_opt (ctx, "--names");

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);

  /* A mistyped path fails before anything is imported. */
  for (guint i = 1; i < ctx->args->len; i++)
    if (!g_file_test (limner_cli_arg (ctx, i), G_FILE_TEST_EXISTS))
      {
        limner_cli_error (_("%s: no such file or folder."), limner_cli_arg (ctx, i));
        return LIMNER_CLI_ERROR;
      }

  /* Each path is imported on its own (each file all or nothing), and
   * reported together. */
  for (guint i = 1; i < ctx->args->len; i++)
    {
      g_autoptr(LimnerAnnotationImportReport) one = NULL;

      one = limner_import_annotations (store, limner_cli_arg (ctx, i), &options, NULL, NULL, NULL, &error);
      if (one == NULL && ctx->args->len == 2)
        return limner_cli_fail (error);
      if (one == NULL)
        {
          /* Nothing of this path could be tried (no annotation files, no
           * class names); the other paths still are. */
          limner_cli_error ("%s", error->message);
          g_clear_error (&error);
          n_paths_failed++;
          continue;
        }
      if (report == NULL)
        report = g_steal_pointer (&one);
      else
        limner_annotation_import_report_merge (report, one);
    }
  if (report == NULL)
    return LIMNER_CLI_ERROR;

  if (ctx->json)
    {
      g_autofree char *text = limner_annotation_import_report_to_json (report);

      printf ("%s\n", text);
      /* Failures still go to stderr, one sentence each. */
      for (guint i = 0; i < report->files->len; i++)
        {
          const LimnerAnnotationFileReport *fr = g_ptr_array_index (report->files, i);

          if (!fr->ok)
            limner_cli_error ("%s", fr->error);
        }
    }
  else
    print_report (report);

  return report->n_files_failed > 0 || n_paths_failed > 0 ? LIMNER_CLI_ERROR : LIMNER_CLI_OK;
}
