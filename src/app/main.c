/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-application.h"
#include "limner-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LimnerApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  limner_core_init_i18n ();

  if (!limner_core_init (argv[0], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  app = limner_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
