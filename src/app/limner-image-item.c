/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "limner-image-item.h"

struct _LimnerImageItem
{
  GObject parent_instance;

  /* Owned references */
  LimnerImageRecord *record;
  char              *path;
  char              *name;
  GdkTexture        *thumbnail;
  char              *thumbnail_error;
};

G_DEFINE_FINAL_TYPE (LimnerImageItem, limner_image_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATUS,
  PROP_THUMBNAIL,
  PROP_THUMBNAIL_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LimnerImageRecord *
copy_record (const LimnerImageRecord *record)
{
  LimnerImageRecord *copy = g_new0 (LimnerImageRecord, 1);

  *copy = *record;
  copy->path = g_strdup (record->path);
  copy->sha256 = g_strdup (record->sha256);
  copy->format = g_strdup (record->format);
  copy->assignee = g_strdup (record->assignee);
  return copy;
}

static void
limner_image_item_finalize (GObject *object)
{
  LimnerImageItem *self = (LimnerImageItem *)object;

  g_clear_pointer (&self->record, limner_image_record_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->thumbnail_error, g_free);

  G_OBJECT_CLASS (limner_image_item_parent_class)->finalize (object);
}

static void
limner_image_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LimnerImageItem *self = LIMNER_IMAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_STATUS:
      g_value_set_int (value, self->record->status);
      break;

    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;

    case PROP_THUMBNAIL_ERROR:
      g_value_set_string (value, self->thumbnail_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_image_item_class_init (LimnerImageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = limner_image_item_finalize;
  object_class->get_property = limner_image_item_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      0, LIMNER_IMAGE_N_STATUS - 1, LIMNER_IMAGE_NEW,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_THUMBNAIL_ERROR] =
    g_param_spec_string ("thumbnail-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
limner_image_item_init (LimnerImageItem *self)
{
}

LimnerImageItem *
limner_image_item_new (const LimnerImageRecord *record,
                       const char              *abs_path)
{
  LimnerImageItem *self;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (abs_path != NULL, NULL);

  self = g_object_new (LIMNER_TYPE_IMAGE_ITEM, NULL);
  self->record = copy_record (record);
  self->path = g_strdup (abs_path);
  self->name = g_path_get_basename (abs_path);
  return self;
}

gint64
limner_image_item_get_id (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), 0);
  return self->record->id;
}

const char *
limner_image_item_get_path (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->path;
}

const char *
limner_image_item_get_sha256 (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->record->sha256;
}

const char *
limner_image_item_get_name (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->name;
}

const LimnerImageRecord *
limner_image_item_get_record (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->record;
}

void
limner_image_item_update (LimnerImageItem         *self,
                          const LimnerImageRecord *record)
{
  LimnerImageStatus old_status;

  g_return_if_fail (LIMNER_IS_IMAGE_ITEM (self));
  g_return_if_fail (record != NULL);
  g_return_if_fail (record->id == self->record->id);

  old_status = self->record->status;
  g_clear_pointer (&self->record, limner_image_record_free);
  self->record = copy_record (record);

  if (old_status != record->status)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

LimnerImageStatus
limner_image_item_get_status (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), LIMNER_IMAGE_NEW);
  return self->record->status;
}

GdkTexture *
limner_image_item_get_thumbnail (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->thumbnail;
}

void
limner_image_item_set_thumbnail (LimnerImageItem *self,
                                 GdkTexture      *thumbnail)
{
  g_return_if_fail (LIMNER_IS_IMAGE_ITEM (self));
  g_return_if_fail (!thumbnail || GDK_IS_TEXTURE (thumbnail));

  if (g_set_object (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

const char *
limner_image_item_get_thumbnail_error (LimnerImageItem *self)
{
  g_return_val_if_fail (LIMNER_IS_IMAGE_ITEM (self), NULL);
  return self->thumbnail_error;
}

void
limner_image_item_set_thumbnail_error (LimnerImageItem *self,
                                       const char      *message)
{
  g_return_if_fail (LIMNER_IS_IMAGE_ITEM (self));

  if (g_strcmp0 (self->thumbnail_error, message) == 0)
    return;

  g_free (self->thumbnail_error);
  self->thumbnail_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL_ERROR]);
}

const char *
limner_image_status_get_title (LimnerImageStatus status)
{
  switch (status)
    {
    case LIMNER_IMAGE_NEW:
      return _("New");
    case LIMNER_IMAGE_IN_PROGRESS:
      return _("In Progress");
    case LIMNER_IMAGE_SUBMITTED:
      return _("Submitted");
    case LIMNER_IMAGE_IN_REVIEW:
      return _("In Review");
    case LIMNER_IMAGE_ACCEPTED:
      return _("Accepted");
    case LIMNER_IMAGE_REJECTED:
      return _("Rejected");
    case LIMNER_IMAGE_N_STATUS:
    default:
      break;
    }

  g_return_val_if_reached ("");
}
