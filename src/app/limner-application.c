/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-application.h"
#include "limner-pg.h"
#include "limner-window.h"

struct _LimnerApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (LimnerApplication, limner_application, ADW_TYPE_APPLICATION)

/* A window that shows no project yet is reused rather than left behind. */
static LimnerWindow *
get_empty_window (LimnerApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (LIMNER_IS_WINDOW (l->data) && limner_window_get_store (l->data) == NULL)
        return l->data;
    }

  return NULL;
}

static void
limner_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (limner_window_new (GTK_APPLICATION (app)));

  gtk_window_present (window);
}

/* The IMAGE argument: a path, or an image id (GApplication made a file of
 * a bare number too). NULL if it is neither a local path nor a number. */
static char *
image_argument (GFile *file)
{
  g_autofree char *image = g_file_get_path (file);

  if (image != NULL && !g_file_test (image, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_file_get_basename (file);
      const char *p = name;

      while (g_ascii_isdigit (*p))
        p++;
      if (*name != '\0' && *p == '\0')
        return g_steal_pointer (&name);
    }
  return g_steal_pointer (&image);
}

char *
limner_application_dup_team_uri (GFile *file)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* GIO keeps an unknown scheme's URI as it was typed (a GDummyFile). */
  if (g_file_is_native (file))
    return NULL;
  uri = g_file_get_uri (file);
  return limner_pg_is_uri (uri) ? g_steal_pointer (&uri) : NULL;
}

static void
limner_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  LimnerApplication *self = LIMNER_APPLICATION (app);
  LimnerWindow *window;
  g_autofree char *dir = NULL;
  g_autofree char *team_uri = NULL;
  g_autofree char *image = NULL;
  g_autoptr(GError) error = NULL;

  window = get_empty_window (self);
  if (window == NULL)
    window = limner_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));

  if (n_files > 2)
    g_printerr (_("Only a project and one image can be opened; ignoring the rest.\n"));

  if (n_files > 1)
    {
      image = image_argument (files[1]);
      if (image == NULL)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The image must be a local file."));
          limner_window_show_error (window, error);
          g_clear_error (&error);
        }
    }

  /* A team project: connecting runs on a worker, with a spinner and, should
   * it fail, the reason in the connect dialog. */
  team_uri = limner_application_dup_team_uri (files[0]);
  if (team_uri != NULL)
    {
      limner_window_connect (window, team_uri, image);
      return;
    }

  dir = g_file_get_path (files[0]);
  if (dir == NULL)
    {
      g_autofree char *uri = g_file_get_uri (files[0]);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is neither a local folder nor a team project’s postgresql:// address."), uri);
      limner_window_show_error (window, error);
      return;
    }

  if (!limner_window_open_project (window, dir, &error))
    {
      limner_window_show_error (window, error);
      return;
    }

  if (image != NULL && !limner_window_show_image (window, image, &error))
    limner_window_show_error (window, error);
}

static void
limner_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.import", { "<Control>i", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.show-project", { "<Alt>Left", NULL } },
  };

  G_APPLICATION_CLASS (limner_application_parent_class)->startup (app);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static int
limner_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("limner %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
limner_application_class_init (LimnerApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = limner_application_handle_local_options;
  app_class->activate = limner_application_activate;
  app_class->open = limner_application_open;
  app_class->startup = limner_application_startup;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Closing (not destroying) lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  /* A window still open asks first (edits its server never got). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (LIMNER_IS_WINDOW (l->data))
        return;
    }
  g_application_quit (app);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = {
    "The Limner developers",
    NULL
  };
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  adw_show_about_window (window,
                         "application-name", _("Limner"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Limner developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Outline objects in images and build versioned training datasets."),
                         "website", "https://github.com/limner/limner",
                         "issue-url", "https://github.com/limner/limner/issues",
                         "copyright", "© 2024 The Limner developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your name and e-mail, one translator per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
limner_application_init (LimnerApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  /* Translators: the arguments in `limner --help` */
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PROJECT [IMAGE]]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Opens the project in the folder PROJECT, or the team "
                                              "project at the address PROJECT (postgresql://HOST/DB), "
                                              "and IMAGE (a path or an image id) in it. Without "
                                              "arguments, shows the recent projects and offers a "
                                              "demo project."));
}

LimnerApplication *
limner_application_new (void)
{
  return g_object_new (LIMNER_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/limner/Limner",
                       NULL);
}
