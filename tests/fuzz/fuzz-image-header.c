/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-image-header.c: a libFuzzer target for the image header path
 * (limner_image_probe), the first thing that touches an untrusted image on
 * import. Each input is tried under the extensions Limner accepts, since
 * the extension picks what a user expects and libvips then sniffs the bytes. */
#define G_LOG_DOMAIN "fuzz-image-header"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "limner-core.h"
#include "limner-image.h"

static char *scratch;

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  if (!limner_core_init ((*argv)[0], &error))
    g_error ("%s", error->message);
  scratch = g_dir_make_tmp ("limner-fuzz-image-XXXXXX", &error);
  if (scratch == NULL)
    g_error ("%s", error->message);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const names[] = { "in.jpg", "in.png", "in.tif", "in.webp" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (scratch, names[i], NULL);
      LimnerImageInfo info = { 0 };

      if (!g_file_set_contents (path, (const char *) data, size, &error))
        g_error ("%s", error->message);
      if (limner_image_probe (path, &info, &error))
        {
          /* A header that passes must be sane. */
          if (info.width <= 0 || info.height <= 0)
            abort ();
        }
      else if (error == NULL || error->message[0] == '\0')
        abort ();
    }
  return 0;
}
