/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-yolo.c: the Ultralytics YOLO layout.
 *
 * OUT/data.yaml, OUT/images/SPLIT/NAME and OUT/labels/SPLIT/STEM.txt, one
 * row per shape: "class cx cy w h" for a box, "class x1 y1 x2 y2 ..." for a
 * polygon, every coordinate divided by the image width or height and written
 * with six decimals.
 *
 * Option "task": "mixed" (the default) writes boxes as detect rows and
 * polygons as segment rows; "detect" writes every shape as the detect row of
 * its bounding box; "segment" writes boxes as four-corner segment rows.
 * Ultralytics reads a label file that has any segment row as all segments,
 * so for training choose "detect" or "segment" when an image mixes kinds.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-export-layout.h"
#include "limner-export-yolo.h"

typedef enum {
  TASK_MIXED,
  TASK_DETECT,
  TASK_SEGMENT,
} Task;

typedef struct {
  Task     task;
  GString *line;
} Yolo;

/* v (clamped to [0, 1]) with exactly six decimals, without the C library's
 * locale or digit choices: round(v * 10^6) split at the decimal point. */
static void
append_normalised (GString *s, double v)
{
  gint64 m;

  if (!(v > 0))
    v = 0;
  else if (v > 1)
    v = 1;
  m = (gint64) llround (v * 1000000.0);
  g_string_append_printf (s, " %d.%06d", (int) (m / 1000000), (int) (m % 1000000));
}

static void
append_detect_row (GString *s, int cls, LimnerRect r, double w, double h)
{
  g_string_append_printf (s, "%d", cls);
  append_normalised (s, (r.x0 + r.x1) / 2 / w);
  append_normalised (s, (r.y0 + r.y1) / 2 / h);
  append_normalised (s, (r.x1 - r.x0) / w);
  append_normalised (s, (r.y1 - r.y0) / h);
  g_string_append_c (s, '\n');
}

static void
append_segment_row (GString *s, int cls, const double *p, guint n_points, double w, double h)
{
  g_string_append_printf (s, "%d", cls);
  for (guint i = 0; i < n_points; i++)
    {
      append_normalised (s, p[2 * i] / w);
      append_normalised (s, p[2 * i + 1] / h);
    }
  g_string_append_c (s, '\n');
}

static gboolean
write_item (LimnerExportLayout      *layout,
            const LimnerExportItem  *item,
            GPtrArray               *shapes,
            gpointer                 user_data,
            GError                 **error)
{
  Yolo *yolo = user_data;
  LimnerExport *export = limner_export_layout_get_export (layout);
  const char *split = limner_split_to_string (item->split);
  g_autofree char *image_path = g_strdup_printf ("images/%s/%s", split, item->name);
  g_autofree char *label_path = g_strdup_printf ("labels/%s/%s.txt", split, item->stem);
  LimnerAtomicFile *file;
  GString *s = yolo->line;
  double w = item->width;
  double h = item->height;

  if (!limner_export_layout_write_image (layout, item, image_path, error))
    return FALSE;

  g_string_truncate (s, 0);
  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);
      const double *p = (const double *) shape->points->data;
      int cls = limner_export_layout_class_index (layout, shape->label_id);
      gboolean box = shape->kind == LIMNER_SHAPE_BOX;

      if (yolo->task == TASK_DETECT || (box && yolo->task == TASK_MIXED))
        append_detect_row (s, cls, limner_shape_bbox (shape), w, h);
      else if (box)
        {
          const double corners[8] = { p[0], p[1], p[2], p[1], p[2], p[3], p[0], p[3] };

          append_segment_row (s, cls, corners, 4, w, h);
        }
      else
        append_segment_row (s, cls, p, shape->points->len / 2, w, h);
    }

  /* Every image gets a label file, empty for a background image. */
  file = limner_export_create_file (export, label_path, error);
  if (file == NULL)
    return FALSE;
  limner_atomic_file_write (file, s->str, s->len, NULL);
  return limner_export_commit_file (export, file, error);
}

/* A YAML double-quoted scalar: only '"' and '\\' and control characters need escapes. */
static void
append_yaml_string (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (s, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (s, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static gboolean
write_data_yaml (LimnerExportLayout *layout, GError **error)
{
  LimnerExport *export = limner_export_layout_get_export (layout);
  LimnerDataset *ds = limner_export_get_dataset (export);
  GPtrArray *labels = limner_export_layout_get_labels (layout);
  g_autofree char *description = limner_export_layout_dup_description (layout);
  g_autoptr(GString) s = g_string_new (NULL);
  LimnerAtomicFile *file;

  g_string_append (s, "# Limner export: ");
  for (const char *p = description; *p != '\0'; p++)
    g_string_append_c (s, *p == '\n' || *p == '\r' ? ' ' : *p);
  g_string_append_c (s, '\n');
  if (limner_dataset_is_draft (ds))
    g_string_append (s, "# DRAFT: not a published version; see DRAFT.txt.\n");
  /* No "path": Ultralytics then uses this file's folder, wherever the export
   * is moved, and the file stays the same on every machine. */
  g_string_append (s, "train: images/train\n");
  /* Ultralytics needs a val set; without a split it validates on train. */
  g_string_append_printf (s, "val: images/%s\n",
                          limner_export_layout_uses_split (layout, LIMNER_SPLIT_VAL) ? "val" : "train");
  if (limner_export_layout_uses_split (layout, LIMNER_SPLIT_TEST))
    g_string_append (s, "test: images/test\n");
  g_string_append_printf (s, "nc: %u\n", labels->len);
  g_string_append (s, "names:\n");
  for (guint i = 0; i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);

      g_string_append_printf (s, "  %u: ", i);
      append_yaml_string (s, label->name);
      g_string_append_c (s, '\n');
    }

  file = limner_export_create_file (export, "data.yaml", error);
  if (file == NULL)
    return FALSE;
  limner_atomic_file_write (file, s->str, s->len, NULL);
  return limner_export_commit_file (export, file, error);
}

gboolean
limner_export_yolo (LimnerExport *export, GError **error)
{
  g_autoptr(LimnerExportLayout) layout = NULL;
  g_autoptr(GString) line = g_string_sized_new (4096);
  const char *task = limner_export_get_option (export, "task");
  Yolo yolo = { TASK_MIXED, line };

  g_return_val_if_fail (export != NULL, FALSE);

  if (task == NULL || g_str_equal (task, "mixed"))
    yolo.task = TASK_MIXED;
  else if (g_str_equal (task, "detect"))
    yolo.task = TASK_DETECT;
  else if (g_str_equal (task, "segment"))
    yolo.task = TASK_SEGMENT;
  else
    {
      g_set_error (error, LIMNER_EXPORT_ERROR, LIMNER_EXPORT_ERROR_BAD_OPTION,
                   _("task: “%s” is not “mixed”, “detect” or “segment”."), task);
      return FALSE;
    }

  layout = limner_export_layout_new (export, error);
  if (layout == NULL)
    return FALSE;
  if (!limner_export_layout_foreach (layout, write_item, &yolo, error))
    return FALSE;
  if (!write_data_yaml (layout, error))
    return FALSE;
  return limner_export_layout_write_draft_note (layout, error);
}
