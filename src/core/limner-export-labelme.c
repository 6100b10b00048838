/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-labelme.c: labelme JSON, one file per image.
 *
 * OUT/SPLIT/STEM.json next to the image OUT/SPLIT/NAME, as labelme 5.2.1
 * writes them: "rectangle" shapes with two corner points, "polygon" shapes,
 * group_id (null when none), imagePath relative to the JSON file, imageData
 * null. Predictions carry a "score" in the shape, as X-AnyLabeling does.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-export-labelme.h"
#include "limner-export-layout.h"
#include "limner-json-writer.h"

#define LABELME_VERSION "5.2.1"

static gboolean
write_item (LimnerExportLayout      *layout,
            const LimnerExportItem  *item,
            GPtrArray               *shapes,
            gpointer                 user_data,
            GError                 **error)
{
  LimnerExport *export = limner_export_layout_get_export (layout);
  GPtrArray *labels = limner_export_layout_get_labels (layout);
  const char *split = limner_split_to_string (item->split);
  g_autofree char *image_path = g_strdup_printf ("%s/%s", split, item->name);
  g_autofree char *json_path = g_strdup_printf ("%s/%s.json", split, item->stem);
  g_autoptr(LimnerJsonWriter) w = NULL;
  LimnerAtomicFile *file;

  if (!limner_export_layout_write_image (layout, item, image_path, error))
    return FALSE;

  file = limner_export_create_file (export, json_path, error);
  if (file == NULL)
    return FALSE;
  w = limner_json_writer_new_for_atomic_file (file);
  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_string (w, "version", LABELME_VERSION);
  limner_json_writer_key (w, "flags");
  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_end_object (w);
  limner_json_writer_key (w, "shapes");
  limner_json_writer_begin_array (w, FALSE);
  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);
      const LimnerLabel *label = g_ptr_array_index (labels, limner_export_layout_class_index (layout, shape->label_id));
      const double *p = (const double *) shape->points->data;

      limner_json_writer_begin_object (w, TRUE);
      limner_json_writer_member_string (w, "label", label->name);
      limner_json_writer_key (w, "points");
      limner_json_writer_begin_array (w, TRUE);
      for (guint k = 0; k + 1 < shape->points->len; k += 2)
        {
          limner_json_writer_begin_array (w, TRUE);
          limner_json_writer_double (w, p[k]);
          limner_json_writer_double (w, p[k + 1]);
          limner_json_writer_end_array (w);
        }
      limner_json_writer_end_array (w);
      if (shape->group_id != 0)
        limner_json_writer_member_int (w, "group_id", shape->group_id);
      else
        limner_json_writer_member_null (w, "group_id");
      limner_json_writer_member_string (w, "description", "");
      limner_json_writer_member_string (w, "shape_type",
                                        shape->kind == LIMNER_SHAPE_BOX ? "rectangle" : "polygon");
      limner_json_writer_key (w, "flags");
      limner_json_writer_begin_object (w, TRUE);
      limner_json_writer_end_object (w);
      if (shape->source == LIMNER_SOURCE_PREDICTION)
        limner_json_writer_member_double (w, "score", shape->score);
      limner_json_writer_end_object (w);
    }
  limner_json_writer_end_array (w);
  limner_json_writer_member_string (w, "imagePath", item->name);
  limner_json_writer_member_null (w, "imageData");
  limner_json_writer_member_int (w, "imageHeight", item->height);
  limner_json_writer_member_int (w, "imageWidth", item->width);
  limner_json_writer_end_object (w);

  if (!limner_json_writer_finish (w, error))
    {
      limner_atomic_file_free (file);
      return FALSE;
    }
  return limner_export_commit_file (export, file, error);
}

gboolean
limner_export_labelme (LimnerExport *export, GError **error)
{
  g_autoptr(LimnerExportLayout) layout = NULL;

  g_return_val_if_fail (export != NULL, FALSE);

  layout = limner_export_layout_new (export, error);
  if (layout == NULL)
    return FALSE;
  if (!limner_export_layout_foreach (layout, write_item, NULL, error))
    return FALSE;
  return limner_export_layout_write_draft_note (layout, error);
}
