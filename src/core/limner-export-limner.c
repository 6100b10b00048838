/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-limner.c: the limner JSON format, version 1. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-export-limner.h"
#include "limner-json-writer.h"
#include "limner-manifest.h"

char *
limner_export_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
write_version (LimnerJsonWriter *w, const LimnerVersion *v)
{
  g_autofree char *time = NULL;

  if (v == NULL)
    {
      limner_json_writer_member_null (w, "version");
      return;
    }
  time = limner_export_format_time (v->created_at);
  limner_json_writer_key (w, "version");
  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_int (w, "number", v->number);
  if (v->parent > 0)
    limner_json_writer_member_int (w, "parent", v->parent);
  else
    limner_json_writer_member_null (w, "parent");
  limner_json_writer_member_string (w, "author", v->author);
  limner_json_writer_member_string (w, "time", time);
  limner_json_writer_member_string (w, "message", v->message);
  limner_json_writer_member_string (w, "policy", v->policy);
  limner_json_writer_member_int (w, "images", v->n_images);
  limner_json_writer_member_int (w, "shapes", v->n_shapes);
  limner_json_writer_end_object (w);
}

static void
write_shape (LimnerJsonWriter *w, LimnerDataset *ds, const LimnerShape *shape)
{
  const LimnerLabel *label = limner_dataset_find_label (ds, shape->label_id);

  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_member_int (w, "id", shape->id);
  limner_json_writer_member_string (w, "label", label ? label->name : NULL);
  limner_json_writer_member_string (w, "kind", limner_shape_kind_to_string (shape->kind));
  limner_json_writer_key (w, "points");
  limner_json_writer_begin_array (w, TRUE);
  for (guint i = 0; shape->points != NULL && i < shape->points->len; i++)
    limner_json_writer_double (w, g_array_index (shape->points, double, i));
  limner_json_writer_end_array (w);
  if (shape->group_id > 0)
    limner_json_writer_member_int (w, "group", shape->group_id);
  else
    limner_json_writer_member_null (w, "group");
  limner_json_writer_member_string (w, "source", limner_shape_source_to_string (shape->source));
  limner_json_writer_member_double (w, "score", shape->score);
  limner_json_writer_member_string (w, "author", shape->author);
  limner_json_writer_end_object (w);
}

gboolean
limner_export_limner (LimnerExport *export, GError **error)
{
  LimnerDataset *ds = limner_export_get_dataset (export);
  g_autoptr(LimnerAtomicFile) file = NULL;
  g_autoptr(LimnerJsonWriter) w = NULL;
  g_autofree char *project = NULL;
  GPtrArray *labels;
  GPtrArray *images;

  file = limner_export_create_file (export, LIMNER_EXPORT_LIMNER_FILE, error);
  if (file == NULL)
    return FALSE;
  w = limner_json_writer_new_for_atomic_file (file);

  project = limner_dataset_dup_project_name (ds);
  labels = limner_dataset_get_labels (ds);
  images = limner_dataset_get_images (ds);

  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_string (w, "format", "limner");
  limner_json_writer_member_int (w, "format_version", LIMNER_EXPORT_LIMNER_FORMAT_VERSION);
  limner_json_writer_member_string (w, "project", project);
  limner_json_writer_member_bool (w, "draft", limner_dataset_is_draft (ds));
  write_version (w, limner_dataset_get_version (ds));

  limner_json_writer_key (w, "labels");
  limner_json_writer_begin_array (w, FALSE);
  for (guint i = 0; i < labels->len; i++)
    limner_manifest_write_label (w, g_ptr_array_index (labels, i));
  limner_json_writer_end_array (w);

  limner_json_writer_key (w, "images");
  limner_json_writer_begin_array (w, FALSE);
  for (guint i = 0; i < images->len; i++)
    {
      const LimnerImageRecord *image = g_ptr_array_index (images, i);
      g_autofree char *relpath = limner_dataset_dup_export_path (ds, image);
      g_autoptr(GPtrArray) shapes = limner_dataset_get_shapes (ds, image->id, error);

      if (shapes == NULL)
        return FALSE;

      limner_json_writer_begin_object (w, FALSE);
      limner_json_writer_member_int (w, "id", image->id);
      limner_json_writer_member_string (w, "file", relpath);
      limner_json_writer_member_string (w, "sha256", image->sha256);
      limner_json_writer_member_int (w, "size", image->size);
      limner_json_writer_member_int (w, "width", image->width);
      limner_json_writer_member_int (w, "height", image->height);
      limner_json_writer_member_string (w, "format", image->format);
      limner_json_writer_member_string (w, "status", limner_image_status_to_string (image->status));
      limner_json_writer_key (w, "shapes");
      limner_json_writer_begin_array (w, FALSE);
      for (guint j = 0; j < shapes->len; j++)
        write_shape (w, ds, g_ptr_array_index (shapes, j));
      limner_json_writer_end_array (w);
      limner_json_writer_end_object (w);

      if (!limner_export_progress (export, i + 1, images->len, relpath, error))
        return FALSE;
    }
  limner_json_writer_end_array (w);
  limner_json_writer_end_object (w);

  if (!limner_json_writer_finish (w, error))
    return FALSE;
  return limner_export_commit_file (export, g_steal_pointer (&file), error);
}
