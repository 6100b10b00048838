/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-import.c: a libFuzzer target for one annotation importer, chosen at
 * build time with -DFUZZ_FORMAT="labelme" (or coco, yolo, voc).
 *
 * Each input is written to a file of the format's name in a scratch folder
 * and imported into a small demo project with --create-labels, as predictions
 * and not, so both paths of the importer run. Whatever the bytes, the import
 * must return (a report or an error), never crash, hang or leak past the
 * sanitizers. */
#define G_LOG_DOMAIN "fuzz-import"

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "limner-core.h"
#include "limner-demo.h"
#include "limner-import-annotations.h"
#include "limner-store.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name the importer"
#endif

static LimnerStore *store;
static char *scratch;
static char *input_path;
static LimnerAnnotationFormat format;

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *images = NULL;
  const char *name;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  if (!limner_core_init ((*argv)[0], &error))
    g_error ("%s", error->message);
  if (!limner_annotation_format_from_string (FUZZ_FORMAT, &format))
    g_error ("unknown format %s", FUZZ_FORMAT);

  scratch = g_dir_make_tmp ("limner-fuzz-XXXXXX", &error);
  if (scratch == NULL)
    g_error ("%s", error->message);
  project = g_build_filename (scratch, "project", NULL);
  images = g_build_filename (project, "images", NULL);
  store = limner_store_create (project, "Fuzz", "lead", &error);
  if (store == NULL || !limner_demo_generate (store, images, 2, 1, NULL, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  /* The names the importers look for; YOLO gets its class names beside. */
  if (g_str_equal (FUZZ_FORMAT, "voc"))
    name = "demo-1-0001.xml";
  else if (g_str_equal (FUZZ_FORMAT, "yolo"))
    name = "demo-1-0001.txt";
  else
    name = "demo-1-0001.json";
  input_path = g_build_filename (scratch, "in", name, NULL);
  g_mkdir_with_parents (scratch, 0700);
  {
    g_autofree char *dir = g_path_get_dirname (input_path);
    g_autofree char *yaml = g_build_filename (dir, "data.yaml", NULL);

    g_mkdir_with_parents (dir, 0700);
    if (!g_file_set_contents (yaml, "names: [car, person, sign]\n", -1, &error))
      g_error ("%s", error->message);
  }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (input_path, (const char *) data, size, &error))
    g_error ("%s", error->message);
  for (int predictions = 0; predictions < 2; predictions++)
    {
      LimnerAnnotationImportOptions options = {
        .format = format,
        .as_predictions = predictions,
        .create_labels = TRUE,
      };
      g_autoptr(LimnerAnnotationImportReport) report = NULL;

      report = limner_import_annotations (store, input_path, &options, NULL, NULL, NULL, &error);
      if (report == NULL)
        {
          /* An error must say something: a crash-free silence is a bug too. */
          if (error == NULL || error->message[0] == '\0')
            abort ();
          g_clear_error (&error);
        }
    }
  return 0;
}
