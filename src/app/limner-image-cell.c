/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-image-cell.h"

struct _LimnerImageCell
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkPicture *picture;
  GtkImage   *placeholder;
  GtkLabel   *badge;
  GtkLabel   *name_label;

  /* Owned references */
  LimnerImageItem *item;
  gulong           thumbnail_handler;
  gulong           error_handler;
  gulong           status_handler;
};

G_DEFINE_FINAL_TYPE (LimnerImageCell, limner_image_cell, GTK_TYPE_WIDGET)

/* CSS classes of the status badge, indexed by LimnerImageStatus. */
static const char * const status_classes[LIMNER_IMAGE_N_STATUS] = {
  "status-new",
  "status-in-progress",
  "status-submitted",
  "status-in-review",
  "status-accepted",
  "status-rejected",
};

static void
update_thumbnail (LimnerImageCell *self)
{
  GdkTexture *texture = NULL;
  const char *error = NULL;

  if (self->item != NULL)
    {
      texture = limner_image_item_get_thumbnail (self->item);
      error = limner_image_item_get_thumbnail_error (self->item);
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), texture == NULL);
  gtk_image_set_from_icon_name (self->placeholder,
                                error ? "image-missing-symbolic" : "image-x-generic-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->picture), error);
}

static void
update_status (LimnerImageCell *self)
{
  LimnerImageStatus status = LIMNER_IMAGE_NEW;

  if (self->item != NULL)
    status = limner_image_item_get_status (self->item);

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), status_classes[status]);
  gtk_label_set_label (self->badge, limner_image_status_get_title (status));
}

static void
disconnect_item (LimnerImageCell *self)
{
  if (self->item == NULL)
    return;

  g_clear_signal_handler (&self->thumbnail_handler, self->item);
  g_clear_signal_handler (&self->error_handler, self->item);
  g_clear_signal_handler (&self->status_handler, self->item);
  g_clear_object (&self->item);
}

static void
limner_image_cell_dispose (GObject *object)
{
  LimnerImageCell *self = (LimnerImageCell *)object;
  GtkWidget *child;

  disconnect_item (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_IMAGE_CELL);
  /* The template's top-level box is not bound, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (limner_image_cell_parent_class)->dispose (object);
}

static void
limner_image_cell_class_init (LimnerImageCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_image_cell_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-image-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerImageCell, picture);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageCell, placeholder);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageCell, badge);
  gtk_widget_class_bind_template_child (widget_class, LimnerImageCell, name_label);
  gtk_widget_class_set_css_name (widget_class, "limner-image-cell");
}

static void
limner_image_cell_init (LimnerImageCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
limner_image_cell_new (void)
{
  return g_object_new (LIMNER_TYPE_IMAGE_CELL, NULL);
}

LimnerImageItem *
limner_image_cell_get_item (LimnerImageCell *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_CELL (self), NULL);
  return self->item;
}

void
limner_image_cell_set_item (LimnerImageCell *self,
                            LimnerImageItem *item)
{
  g_return_if_fail (LIMNER_IS_IMAGE_CELL (self));
  g_return_if_fail (!item || LIMNER_IS_IMAGE_ITEM (item));

  if (self->item == item)
    return;

  disconnect_item (self);

  if (item != NULL)
    {
      self->item = g_object_ref (item);
      self->thumbnail_handler =
        g_signal_connect_swapped (item, "notify::thumbnail", G_CALLBACK (update_thumbnail), self);
      self->error_handler =
        g_signal_connect_swapped (item, "notify::thumbnail-error", G_CALLBACK (update_thumbnail), self);
      self->status_handler =
        g_signal_connect_swapped (item, "notify::status", G_CALLBACK (update_status), self);
      gtk_label_set_label (self->name_label, limner_image_item_get_name (item));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), limner_image_item_get_path (item));
    }
  else
    {
      gtk_label_set_label (self->name_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), NULL);
    }

  update_thumbnail (self);
  update_status (self);
}
