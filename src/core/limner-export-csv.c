/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-csv.c: a CSV of boxes.
 *
 * OUT/boxes.csv with the header "image,label,x0,y0,x1,y1,source,score", one
 * row per shape in pixel coordinates (a polygon by its bounding box), image
 * being the path of the copied image relative to OUT (images/SPLIT/NAME).
 * Fields are quoted as RFC 4180 asks when they hold a comma, quote or line
 * break; numbers use the JSON number format (shortest exact form).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-export-csv.h"
#include "limner-export-layout.h"
#include "limner-json-writer.h"

typedef struct {
  LimnerAtomicFile *file;
  GString          *rows;
} Csv;

static void
append_field (GString *s, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

static void
append_number (GString *s, double v)
{
  char buf[LIMNER_JSON_NUMBER_BUF_SIZE];

  g_string_append_c (s, ',');
  g_string_append (s, limner_json_format_double (v, buf));
}

static gboolean
write_item (LimnerExportLayout      *layout,
            const LimnerExportItem  *item,
            GPtrArray               *shapes,
            gpointer                 user_data,
            GError                 **error)
{
  Csv *csv = user_data;
  GPtrArray *labels = limner_export_layout_get_labels (layout);
  g_autofree char *image_path = g_strdup_printf ("images/%s/%s", limner_split_to_string (item->split), item->name);
  GString *s = csv->rows;

  if (!limner_export_layout_write_image (layout, item, image_path, error))
    return FALSE;

  g_string_truncate (s, 0);
  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);
      const LimnerLabel *label = g_ptr_array_index (labels, limner_export_layout_class_index (layout, shape->label_id));
      LimnerRect r = limner_shape_bbox (shape);

      append_field (s, image_path);
      g_string_append_c (s, ',');
      append_field (s, label->name);
      append_number (s, r.x0);
      append_number (s, r.y0);
      append_number (s, r.x1);
      append_number (s, r.y1);
      g_string_append_c (s, ',');
      g_string_append (s, limner_shape_source_to_string (shape->source));
      append_number (s, shape->score);
      g_string_append_c (s, '\n');
    }
  return limner_atomic_file_write (csv->file, s->str, s->len, error);
}

gboolean
limner_export_csv (LimnerExport *export, GError **error)
{
  g_autoptr(LimnerExportLayout) layout = NULL;
  g_autoptr(GString) rows = g_string_sized_new (4096);
  Csv csv = { NULL, rows };

  g_return_val_if_fail (export != NULL, FALSE);

  layout = limner_export_layout_new (export, error);
  if (layout == NULL)
    return FALSE;
  csv.file = limner_export_create_file (export, "boxes.csv", error);
  if (csv.file == NULL)
    return FALSE;
  limner_atomic_file_puts (csv.file, "image,label,x0,y0,x1,y1,source,score\n", NULL);
  if (!limner_export_layout_foreach (layout, write_item, &csv, error))
    {
      limner_atomic_file_free (csv.file);
      return FALSE;
    }
  if (!limner_export_commit_file (export, csv.file, error))
    return FALSE;
  return limner_export_layout_write_draft_note (layout, error);
}
