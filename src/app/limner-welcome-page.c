/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-demo.h"
#include "limner-pg.h"
#include "limner-pg-uri.h"
#include "limner-progress.h"
#include "limner-recent-projects.h"
#include "limner-settings.h"
#include "limner-store.h"
#include "limner-toast.h"
#include "limner-welcome-page.h"

struct _LimnerWelcomePage
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkButton           *demo_button;
  GtkWidget           *connect_button;
  GtkRevealer         *demo_revealer;
  GtkLabel            *demo_label;
  GtkProgressBar      *demo_progress;
  AdwPreferencesGroup *recent_group;
  GtkListBox          *recent_list;

  /* Owned references */
  GSettings           *settings;
  GCancellable        *demo_cancellable;
  LimnerProgress      *progress;
  char                *demo_dir;
};

G_DEFINE_FINAL_TYPE (LimnerWelcomePage, limner_welcome_page, GTK_TYPE_WIDGET)

enum {
  OPEN_PROJECT,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Recent projects -------------------------------------------------------- */

static char *
abbreviate_home (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  if (len > 1 && g_str_has_prefix (path, home) && path[len] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + len, NULL);
  return g_strdup (path);
}

static void
remove_recent_clicked (GtkButton         *button,
                       LimnerWelcomePage *self)
{
  const char *dir = g_object_get_data (G_OBJECT (button), "project-dir");

  limner_recent_projects_remove (self->settings, dir);
}

static void
recent_row_activated (AdwActionRow      *row,
                      LimnerWelcomePage *self)
{
  const char *dir = g_object_get_data (G_OBJECT (row), "project-dir");

  g_signal_emit (self, signals[OPEN_PROJECT], 0, dir);
}

/* A team project: its database and server, and who connects. Whether it
 * is still there is the server's to say, when connecting. */
static void
describe_team_row (AdwActionRow *row,
                   const char   *uri)
{
  LimnerPgUriParts parts = { 0 };
  g_autofree char *name = limner_pg_uri_dup_dbname (uri);
  g_autofree char *where = limner_pg_uri_describe (uri);
  g_autofree char *subtitle = NULL;

  if (limner_pg_uri_parse (uri, &parts, NULL) && parts.user != NULL)
    /* Translators: a recent team project: "database “db” on host", then a login */
    subtitle = g_strdup_printf (_("Team project, %s, as %s"), where, parts.user);
  else
    /* Translators: a recent team project: "database “db” on host" */
    subtitle = g_strdup_printf (_("Team project, %s"), where);
  limner_pg_uri_parts_clear (&parts);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : uri);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "network-server-symbolic");
}

static GtkWidget *
create_recent_row (LimnerWelcomePage *self,
                   const char        *dir)
{
  gboolean team = limner_pg_is_uri (dir);
  gboolean exists = team || limner_store_exists (dir);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (team)
    describe_team_row (ADW_ACTION_ROW (row), dir);
  else
    {
      g_autofree char *name = g_path_get_basename (dir);
      g_autofree char *shown = abbreviate_home (dir);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      if (exists)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
      else
        {
          g_autofree char *missing = NULL;

          /* Translators: a recent project whose folder is gone; %s is the folder */
          missing = g_strdup_printf (_("%s (not found)"), shown);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), missing);
        }
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "folder-symbolic");
    }
  g_object_set_data_full (G_OBJECT (row), "project-dir", g_strdup (dir), g_free);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove From List"));
  g_object_set_data_full (G_OBJECT (remove), "project-dir", g_strdup (dir), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_recent_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  if (exists)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (recent_row_activated), self);
    }
  else
    gtk_widget_add_css_class (row, "dim-label");

  return row;
}

static void
update_recent (LimnerWelcomePage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    gtk_list_box_append (self->recent_list, create_recent_row (self, recent[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), recent[0] != NULL);
}

/* The demo project ----------------------------------------------------- */

static void
demo_progress_changed (LimnerProgress    *progress,
                       LimnerWelcomePage *self)
{
  guint done, total;
  g_autofree char *text = NULL;

  limner_progress_get (progress, &done, &total, NULL);
  if (total == 0)
    {
      gtk_progress_bar_pulse (self->demo_progress);
      return;
    }

  /* limner_demo_generate() first writes the images, then imports them. */
  if (done < total / 2)
    text = g_strdup_printf (_("Drawing image %u of %u…"), done + 1, total / 2);
  else
    text = g_strdup (_("Adding the images to the project…"));

  gtk_label_set_label (self->demo_label, text);
  gtk_progress_bar_set_fraction (self->demo_progress, (double)done / total);
}

static void
set_creating (LimnerWelcomePage *self,
              gboolean           creating)
{
  gtk_revealer_set_reveal_child (self->demo_revealer, creating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.create-demo", !creating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.cancel-demo", creating);
}

static void
clear_progress (LimnerWelcomePage *self)
{
  if (self->progress != NULL)
    g_signal_handlers_disconnect_by_data (self->progress, self);
  g_clear_object (&self->progress);
}

static void
demo_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LimnerWelcomePage) self = user_data;
  g_autoptr(LimnerImportResult) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  import = limner_demo_generate_finish (result, &error);

  /* Disposed while generating. */
  if (self->settings == NULL)
    return;

  clear_progress (self);
  g_clear_object (&self->demo_cancellable);
  dir = g_steal_pointer (&self->demo_dir);
  set_creating (self, FALSE);

  if (import == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        limner_toast_emit (GTK_WIDGET (self), limner_toast_new_for_error (error));
      return;
    }

  g_signal_emit (self, signals[OPEN_PROJECT], 0, dir);
}

static void
create_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  limner_welcome_page_create_demo (LIMNER_WELCOME_PAGE (widget));
}

static void
cancel_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  LimnerWelcomePage *self = LIMNER_WELCOME_PAGE (widget);

  g_cancellable_cancel (self->demo_cancellable);
}

/* GObject --------------------------------------------------------------- */

static void
limner_welcome_page_dispose (GObject *object)
{
  LimnerWelcomePage *self = (LimnerWelcomePage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->demo_cancellable);
  g_clear_object (&self->demo_cancellable);
  clear_progress (self);
  g_clear_pointer (&self->demo_dir, g_free);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_WELCOME_PAGE);
  /* The template's top-level box is not bound, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (limner_welcome_page_parent_class)->dispose (object);
}

static void
limner_welcome_page_class_init (LimnerWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_welcome_page_dispose;

  /* A recent project was chosen or the demo project is ready. */
  signals[OPEN_PROJECT] =
    g_signal_new ("open-project",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* An error for the user: whoever shows the page shows the toast. */
  signals[TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, demo_progress);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, LimnerWelcomePage, recent_list);

  gtk_widget_class_install_action (widget_class, "welcome.create-demo", NULL, create_demo_action);
  gtk_widget_class_install_action (widget_class, "welcome.cancel-demo", NULL, cancel_demo_action);

  gtk_widget_class_set_css_name (widget_class, "limner-welcome-page");
}

static void
limner_welcome_page_init (LimnerWelcomePage *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_CLAMP);
  g_type_ensure (ADW_TYPE_WINDOW_TITLE);
  g_type_ensure (ADW_TYPE_PREFERENCES_GROUP);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = limner_settings_new ();
  g_signal_connect_swapped (self->settings, "changed::recent-projects",
                            G_CALLBACK (update_recent), self);
  update_recent (self);
  set_creating (self, FALSE);
}

GtkWidget *
limner_welcome_page_new (void)
{
  return g_object_new (LIMNER_TYPE_WELCOME_PAGE, NULL);
}

char *
limner_welcome_page_next_demo_dir (const char *parent)
{
  g_return_val_if_fail (parent != NULL, NULL);

  for (guint n = 1; ; n++)
    {
      g_autofree char *name = g_strdup_printf ("demo-%u", n);
      g_autofree char *dir = g_build_filename (parent, name, NULL);

      if (!g_file_test (dir, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&dir);
    }
}

void
limner_welcome_page_create_demo (LimnerWelcomePage *self)
{
  g_autofree char *parent = NULL;

  g_return_if_fail (LIMNER_IS_WELCOME_PAGE (self));

  if (self->demo_cancellable != NULL)
    return;

  parent = g_build_filename (g_get_user_data_dir (), "limner", NULL);
  self->demo_dir = limner_welcome_page_next_demo_dir (parent);
  self->demo_cancellable = g_cancellable_new ();
  self->progress = limner_progress_new ();
  g_signal_connect (self->progress, "changed", G_CALLBACK (demo_progress_changed), self);

  gtk_label_set_label (self->demo_label, _("Creating the demo project…"));
  gtk_progress_bar_set_fraction (self->demo_progress, 0.0);
  set_creating (self, TRUE);

  limner_demo_generate_async (self->demo_dir,
                              _("Demo Project"),
                              NULL,
                              LIMNER_DEMO_PROJECT_IMAGES,
                              LIMNER_DEMO_DEFAULT_SEED,
                              self->demo_cancellable,
                              limner_progress_import_func,
                              g_object_ref (self->progress),
                              g_object_unref,
                              demo_done,
                              g_object_ref (self));
}

gboolean
limner_welcome_page_get_creating_demo (LimnerWelcomePage *self)
{
  g_return_val_if_fail (LIMNER_IS_WELCOME_PAGE (self), FALSE);
  return self->demo_cancellable != NULL;
}
