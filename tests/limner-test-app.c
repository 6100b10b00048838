/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>

#include "limner-core.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

static GTestDBus *bus;

char *
limner_test_app_init (int         *argc,
                      char      ***argv,
                      const char  *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  g_autofree char *cache = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *dbus_daemon = NULL;
  char *tmp_root;

  /* Thumbnails, demo projects, verified hashes and image folders go to a
   * throw-away place; set before GLib reads the XDG variables. */
  tmp_root = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp_root, "cache", NULL);
  data = g_build_filename (tmp_root, "data", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  config = g_build_filename (tmp_root, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  /* No accessibility bus under the test runner. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  /* The strings the tests compare are the English ones. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (argc, argv, NULL);

  /* GtkApplication wants a session bus, and xvfb-run brings none: a private
   * one keeps its warning (fatal in tests) away. */
  dbus_daemon = g_find_program_in_path ("dbus-daemon");
  if (dbus_daemon != NULL)
    {
      g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      /* g_test_dbus_up() unsets DISPLAY; the tests need it. */
      if (display != NULL)
        g_setenv ("DISPLAY", display, TRUE);
    }
  else
    {
      g_test_message ("No dbus-daemon: warnings are not fatal in this run");
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    }

  /* A display test without a display is a failure, not a skip. */
  if (!gtk_init_check ())
    g_error ("Cannot open a display; run the app tests under xvfb-run (DISPLAY=%s)",
             g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)");
  adw_init ();

  if (!limner_core_init ((*argv)[0], &error))
    g_error ("%s", error->message);

  return tmp_root;
}

void
limner_test_app_finish (char *tmp_root)
{
  /* GTK keeps its session bus connection to the end: stopped but not
   * unreffed, since finalizing it would wait for that connection. */
  if (bus != NULL)
    g_test_dbus_stop (bus);
  limner_test_rm_rf (tmp_root);
  g_free (tmp_root);
}

static LimnerApplication *test_app;

LimnerApplication *
limner_test_app_get (void)
{
  if (test_app == NULL)
    {
      g_autoptr(GError) error = NULL;

      test_app = limner_application_new ();
      g_application_set_flags (G_APPLICATION (test_app),
                               G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (test_app), NULL, &error));
      g_assert_no_error (error);
    }
  return test_app;
}

void
limner_test_app_clear (void)
{
  g_clear_object (&test_app);
}
