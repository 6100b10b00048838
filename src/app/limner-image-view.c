/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "limner-image.h"
#include "limner-image-view.h"

/* Bounds on the longest side of the pixels loaded for display. */
#define MIN_LOAD_SIZE 1024
#define MAX_LOAD_SIZE 4096

struct _LimnerImageView
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkPicture    *picture;
  GtkSpinner    *spinner;
  AdwStatusPage *error_page;
  GtkLabel      *info_label;

  /* Owned references */
  GCancellable  *cancellable;
  gint64         image_id;
};

G_DEFINE_FINAL_TYPE (LimnerImageView, limner_image_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *path;
  int   size;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int width, height, stride;

  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = limner_image_thumbnail_rgba (data->path, data->size, &width, &height, &stride, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task,
                         gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride),
                         g_object_unref);
}

static void
set_loading (LimnerImageView *self,
             gboolean         loading)
{
  if (loading == gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LimnerImageView) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer image replaced this one */

  set_loading (self, FALSE);

  if (texture == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_page), TRUE);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static int
pick_load_size (LimnerImageView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  int size = MAX (gtk_widget_get_width (widget), gtk_widget_get_height (widget));

  /* Not allocated yet (the page is being switched to): the window's size is
   * the best guess. */
  if (size <= 1 && root != NULL)
    size = MAX (gtk_widget_get_width (GTK_WIDGET (root)), gtk_widget_get_height (GTK_WIDGET (root)));

  size *= gtk_widget_get_scale_factor (widget);
  return CLAMP (size, MIN_LOAD_SIZE, MAX_LOAD_SIZE);
}

static void
limner_image_view_dispose (GObject *object)
{
  LimnerImageView *self = (LimnerImageView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_IMAGE_VIEW);
  /* The template's top-level box is not bound, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (limner_image_view_parent_class)->dispose (object);
}

static void
limner_image_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LimnerImageView *self = LIMNER_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, limner_image_view_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_image_view_class_init (LimnerImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_image_view_dispose;
  object_class->get_property = limner_image_view_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-image-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerImageView, picture);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageView, info_label);
  gtk_widget_class_set_css_name (widget_class, "limner-image-view");
}

static void
limner_image_view_init (LimnerImageView *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
limner_image_view_new (void)
{
  return g_object_new (LIMNER_TYPE_IMAGE_VIEW, NULL);
}

void
limner_image_view_set_image (LimnerImageView         *self,
                             const char              *store_dir,
                             const LimnerImageRecord *record)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *info = NULL;
  g_autofree char *format = NULL;
  LoadData *data;

  g_return_if_fail (LIMNER_IS_IMAGE_VIEW (self));
  g_return_if_fail (record == NULL || store_dir != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_page), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->info_label), record != NULL);
  self->image_id = record ? record->id : 0;

  if (record == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  size_text = g_format_size (record->size);
  format = g_ascii_strup (record->format ? record->format : "?", -1);
  /* Translators: image facts under the image: width × height · format · file size */
  info = g_strdup_printf (_("%d × %d · %s · %s"),
                          record->width, record->height, format, size_text);
  gtk_label_set_label (self->info_label, info);

  data = g_new0 (LoadData, 1);
  data->path = g_path_is_absolute (record->path)
             ? g_strdup (record->path)
             : g_build_filename (store_dir, record->path, NULL);
  data->size = pick_load_size (self);

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);

  task = g_task_new (NULL, self->cancellable, load_done, g_object_ref (self));
  g_task_set_source_tag (task, limner_image_view_set_image);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gint64
limner_image_view_get_image_id (LimnerImageView *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_VIEW (self), 0);
  return self->image_id;
}

gboolean
limner_image_view_get_loading (LimnerImageView *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_VIEW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->spinner));
}
