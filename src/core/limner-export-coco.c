/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-coco.c: COCO detection and segmentation JSON.
 *
 * One file per split, OUT/annotations/instances_SPLIT.json, written as a
 * stream: the images arrays of every split first (the image list is in
 * memory anyway), then the annotations, image by image, then the
 * categories. All split files are open at once so the shapes are read once.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-export-coco.h"
#include "limner-export-layout.h"
#include "limner-export-limner.h"
#include "limner-json-writer.h"

typedef struct {
  LimnerAtomicFile *file;
  LimnerJsonWriter *writer;
  gint64            next_image_id;
  gint64            next_annotation_id;
} SplitFile;

typedef struct {
  LimnerExportLayout *layout;
  SplitFile           splits[LIMNER_N_SPLITS];
  gint64             *image_ids; /* by item index */
} Coco;

static void
write_info (Coco *coco, LimnerJsonWriter *w)
{
  LimnerDataset *ds = limner_export_get_dataset (limner_export_layout_get_export (coco->layout));
  const LimnerVersion *version = limner_dataset_get_version (ds);
  g_autofree char *description = limner_export_layout_dup_description (coco->layout);
  g_autofree char *text = g_strconcat ("Limner export: ", description, NULL);

  limner_json_writer_key (w, "info");
  limner_json_writer_begin_object (w, FALSE);
  limner_json_writer_member_string (w, "description", text);
  if (version != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" PRId64, version->number);
      g_autofree char *time = limner_export_format_time (version->created_at);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (version->created_at);

      limner_json_writer_member_string (w, "version", number);
      limner_json_writer_member_int (w, "year", dt ? g_date_time_get_year (dt) : 1970);
      limner_json_writer_member_string (w, "contributor", version->author);
      limner_json_writer_member_string (w, "date_created", time);
      limner_json_writer_member_bool (w, "draft", FALSE);
    }
  else
    {
      /* No date: a draft is the state of the moment, there is no version time. */
      limner_json_writer_member_string (w, "version", "draft");
      limner_json_writer_member_bool (w, "draft", TRUE);
    }
  limner_json_writer_end_object (w);
}

static void
write_image (LimnerJsonWriter *w, const LimnerExportItem *item, gint64 id)
{
  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_member_int (w, "id", id);
  limner_json_writer_member_string (w, "file_name", item->name);
  limner_json_writer_member_int (w, "width", item->width);
  limner_json_writer_member_int (w, "height", item->height);
  /* Beyond COCO (readers ignore extra keys): what lets an import find the
   * project image again, and tells augmented copies apart. */
  if (item->transform == LIMNER_TRANSFORM_IDENTITY)
    limner_json_writer_member_string (w, "sha256", item->image->sha256);
  else
    {
      limner_json_writer_member_string (w, "augmented_from", item->image->sha256);
      limner_json_writer_member_string (w, "transform", limner_transform_to_option (item->transform));
    }
  limner_json_writer_end_object (w);
}

static void
write_rect_polygon (LimnerJsonWriter *w, const double *p)
{
  const double corners[8] = { p[0], p[1], p[2], p[1], p[2], p[3], p[0], p[3] };

  limner_json_writer_begin_array (w, TRUE);
  for (guint i = 0; i < 8; i++)
    limner_json_writer_double (w, corners[i]);
  limner_json_writer_end_array (w);
}

/* One instance: an ungrouped shape, or the shapes of one group and label. */
static void
write_annotation (Coco                   *coco,
                  SplitFile              *out,
                  gint64                  image_id,
                  GPtrArray              *members)
{
  LimnerJsonWriter *w = out->writer;
  const LimnerShape *first = g_ptr_array_index (members, 0);
  LimnerRect bbox = limner_rect_empty ();
  double area = 0;
  double score = -1;
  gboolean lone_box = members->len == 1 && first->kind == LIMNER_SHAPE_BOX;

  for (guint i = 0; i < members->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (members, i);
      LimnerRect r = limner_shape_bbox (shape);

      limner_rect_union (&bbox, &r);
      area += limner_shape_area (shape);
      if (shape->source == LIMNER_SOURCE_PREDICTION && shape->score > score)
        score = shape->score;
    }

  limner_json_writer_begin_object (w, TRUE);
  limner_json_writer_member_int (w, "id", out->next_annotation_id++);
  limner_json_writer_member_int (w, "image_id", image_id);
  limner_json_writer_member_int (w, "category_id",
                                 limner_export_layout_class_index (coco->layout, first->label_id) + 1);
  limner_json_writer_key (w, "segmentation");
  limner_json_writer_begin_array (w, TRUE);
  /* A lone box has no outline beyond its bbox: an empty segmentation, as
   * detection datasets write it, keeps it a box on import. */
  for (guint i = 0; !lone_box && i < members->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (members, i);
      const double *p = (const double *) shape->points->data;

      if (shape->kind == LIMNER_SHAPE_BOX)
        {
          write_rect_polygon (w, p);
          continue;
        }
      limner_json_writer_begin_array (w, TRUE);
      for (guint k = 0; k < shape->points->len; k++)
        limner_json_writer_double (w, p[k]);
      limner_json_writer_end_array (w);
    }
  limner_json_writer_end_array (w);
  limner_json_writer_member_double (w, "area", area);
  limner_json_writer_key (w, "bbox");
  limner_json_writer_begin_array (w, TRUE);
  limner_json_writer_double (w, bbox.x0);
  limner_json_writer_double (w, bbox.y0);
  limner_json_writer_double (w, bbox.x1 - bbox.x0);
  limner_json_writer_double (w, bbox.y1 - bbox.y0);
  limner_json_writer_end_array (w);
  limner_json_writer_member_int (w, "iscrowd", 0);
  if (score >= 0)
    limner_json_writer_member_double (w, "score", score);
  limner_json_writer_end_object (w);
}

static gboolean
write_item (LimnerExportLayout      *layout,
            const LimnerExportItem  *item,
            GPtrArray               *shapes,
            gpointer                 user_data,
            GError                 **error)
{
  Coco *coco = user_data;
  SplitFile *out = &coco->splits[item->split];
  gint64 image_id = coco->image_ids[item->index];
  g_autoptr(GPtrArray) instances = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStringChunk) keys = g_string_chunk_new (256);
  g_autofree char *relpath = g_strdup_printf ("images/%s/%s", limner_split_to_string (item->split), item->name);

  if (!limner_export_layout_write_image (layout, item, relpath, error))
    return FALSE;

  /* Instances in the order of their first shape; a group with shapes of
   * several labels makes one instance per label. */
  for (guint i = 0; i < shapes->len; i++)
    {
      LimnerShape *shape = g_ptr_array_index (shapes, i);
      GPtrArray *members = NULL;

      if (shape->group_id != 0)
        {
          char key[64];

          g_snprintf (key, sizeof key, "%" PRId64 ":%" PRId64,
                      shape->group_id, shape->label_id);
          members = g_hash_table_lookup (groups, key);
          if (members == NULL)
            {
              members = g_ptr_array_new ();
              g_ptr_array_add (instances, members);
              g_hash_table_insert (groups, g_string_chunk_insert (keys, key), members);
            }
        }
      else
        {
          members = g_ptr_array_new ();
          g_ptr_array_add (instances, members);
        }
      g_ptr_array_add (members, shape);
    }

  for (guint i = 0; i < instances->len; i++)
    write_annotation (coco, out, image_id, g_ptr_array_index (instances, i));
  return TRUE;
}

static void
coco_clear (Coco *coco)
{
  for (guint s = 0; s < LIMNER_N_SPLITS; s++)
    {
      g_clear_pointer (&coco->splits[s].writer, limner_json_writer_free);
      g_clear_pointer (&coco->splits[s].file, limner_atomic_file_free);
    }
  g_clear_pointer (&coco->image_ids, g_free);
  g_clear_pointer (&coco->layout, limner_export_layout_free);
}

gboolean
limner_export_coco (LimnerExport *export, GError **error)
{
  Coco coco = { 0 };
  GPtrArray *items;
  GPtrArray *labels;
  gboolean ok = TRUE;

  g_return_val_if_fail (export != NULL, FALSE);

  coco.layout = limner_export_layout_new (export, error);
  if (coco.layout == NULL)
    return FALSE;
  items = limner_export_layout_get_items (coco.layout);
  labels = limner_export_layout_get_labels (coco.layout);
  coco.image_ids = g_new0 (gint64, items->len + 1);

  for (guint s = 0; ok && s < LIMNER_N_SPLITS; s++)
    {
      SplitFile *out = &coco.splits[s];
      g_autofree char *relpath = NULL;

      if (!limner_export_layout_uses_split (coco.layout, s))
        continue;
      relpath = g_strdup_printf ("annotations/instances_%s.json", limner_split_to_string (s));
      out->file = limner_export_create_file (export, relpath, error);
      if (out->file == NULL)
        {
          ok = FALSE;
          break;
        }
      out->writer = limner_json_writer_new_for_atomic_file (out->file);
      out->next_image_id = 1;
      out->next_annotation_id = 1;

      limner_json_writer_begin_object (out->writer, FALSE);
      write_info (&coco, out->writer);
      limner_json_writer_key (out->writer, "licenses");
      limner_json_writer_begin_array (out->writer, TRUE);
      limner_json_writer_end_array (out->writer);
      limner_json_writer_key (out->writer, "images");
      limner_json_writer_begin_array (out->writer, FALSE);
      for (guint i = 0; i < items->len; i++)
        {
          const LimnerExportItem *item = g_ptr_array_index (items, i);

          if (item->split != s)
            continue;
          coco.image_ids[i] = out->next_image_id++;
          write_image (out->writer, item, coco.image_ids[i]);
        }
      limner_json_writer_end_array (out->writer);
      limner_json_writer_key (out->writer, "annotations");
      limner_json_writer_begin_array (out->writer, FALSE);
    }

  if (ok)
    ok = limner_export_layout_foreach (coco.layout, write_item, &coco, error);

  for (guint s = 0; ok && s < LIMNER_N_SPLITS; s++)
    {
      SplitFile *out = &coco.splits[s];

      if (out->writer == NULL)
        continue;
      limner_json_writer_end_array (out->writer);
      limner_json_writer_key (out->writer, "categories");
      limner_json_writer_begin_array (out->writer, FALSE);
      for (guint i = 0; i < labels->len; i++)
        {
          const LimnerLabel *label = g_ptr_array_index (labels, i);

          limner_json_writer_begin_object (out->writer, TRUE);
          limner_json_writer_member_int (out->writer, "id", i + 1);
          limner_json_writer_member_string (out->writer, "name", label->name);
          limner_json_writer_member_string (out->writer, "supercategory", "");
          limner_json_writer_end_object (out->writer);
        }
      limner_json_writer_end_array (out->writer);
      limner_json_writer_end_object (out->writer);
      ok = limner_json_writer_finish (out->writer, error);
      g_clear_pointer (&out->writer, limner_json_writer_free);
      if (ok)
        ok = limner_export_commit_file (export, g_steal_pointer (&out->file), error);
    }

  if (ok)
    ok = limner_export_layout_write_draft_note (coco.layout, error);
  coco_clear (&coco);
  return ok;
}
