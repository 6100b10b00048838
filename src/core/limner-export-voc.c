/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-voc.c: Pascal VOC XML.
 *
 * OUT/Annotations/STEM.xml per image, OUT/JPEGImages/NAME (whatever the
 * format), OUT/ImageSets/Main/SPLIT.txt listing the stems of each split.
 * Boxes in 1-based inclusive integer pixel indices: xmin = floor(x0) + 1,
 * xmax = ceil(x1), the same for y; a polygon is written as its bounding box.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "limner-export-layout.h"
#include "limner-export-voc.h"

typedef struct {
  GString *xml;
  GString *lists[LIMNER_N_SPLITS];
  char    *database;
} Voc;

static void
append_escaped (GString *s, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (s, escaped);
}

static gboolean
write_item (LimnerExportLayout      *layout,
            const LimnerExportItem  *item,
            GPtrArray               *shapes,
            gpointer                 user_data,
            GError                 **error)
{
  Voc *voc = user_data;
  LimnerExport *export = limner_export_layout_get_export (layout);
  GPtrArray *labels = limner_export_layout_get_labels (layout);
  g_autofree char *image_path = g_strdup_printf ("JPEGImages/%s", item->name);
  g_autofree char *xml_path = g_strdup_printf ("Annotations/%s.xml", item->stem);
  GString *s = voc->xml;
  LimnerAtomicFile *file;

  if (!limner_export_layout_write_image (layout, item, image_path, error))
    return FALSE;
  g_string_append_printf (voc->lists[item->split], "%s\n", item->stem);

  g_string_truncate (s, 0);
  g_string_append (s, "<annotation>\n  <folder>JPEGImages</folder>\n  <filename>");
  append_escaped (s, item->name);
  g_string_append (s, "</filename>\n  <source>\n    <database>");
  append_escaped (s, voc->database);
  g_string_append (s, "</database>\n  </source>\n");
  /* Limner does not record the number of bands; 3 is what readers expect. */
  g_string_append_printf (s, "  <size>\n    <width>%d</width>\n    <height>%d</height>\n"
                             "    <depth>3</depth>\n  </size>\n  <segmented>0</segmented>\n",
                          item->width, item->height);
  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);
      const LimnerLabel *label = g_ptr_array_index (labels, limner_export_layout_class_index (layout, shape->label_id));
      LimnerRect r = limner_shape_bbox (shape);

      g_string_append (s, "  <object>\n    <name>");
      append_escaped (s, label->name);
      g_string_append (s, "</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n"
                          "    <difficult>0</difficult>\n");
      if (shape->source == LIMNER_SOURCE_PREDICTION)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* Not in VOC; importers of predictions read it, others ignore it. */
          g_string_append_printf (s, "    <score>%s</score>\n",
                                  g_ascii_formatd (buf, sizeof buf, "%.6f", shape->score));
        }
      g_string_append_printf (s, "    <bndbox>\n      <xmin>%.0f</xmin>\n      <ymin>%.0f</ymin>\n"
                                 "      <xmax>%.0f</xmax>\n      <ymax>%.0f</ymax>\n    </bndbox>\n"
                                 "  </object>\n",
                              floor (r.x0) + 1, floor (r.y0) + 1, ceil (r.x1), ceil (r.y1));
    }
  g_string_append (s, "</annotation>\n");

  file = limner_export_create_file (export, xml_path, error);
  if (file == NULL)
    return FALSE;
  limner_atomic_file_write (file, s->str, s->len, NULL);
  return limner_export_commit_file (export, file, error);
}

gboolean
limner_export_voc (LimnerExport *export, GError **error)
{
  g_autoptr(LimnerExportLayout) layout = NULL;
  g_autoptr(GString) xml = g_string_sized_new (4096);
  Voc voc = { xml };
  gboolean ok;

  g_return_val_if_fail (export != NULL, FALSE);

  layout = limner_export_layout_new (export, error);
  if (layout == NULL)
    return FALSE;
  {
    g_autofree char *description = limner_export_layout_dup_description (layout);
    voc.database = g_strconcat ("Limner: ", description, NULL);
  }
  for (guint s = 0; s < LIMNER_N_SPLITS; s++)
    voc.lists[s] = g_string_new (NULL);

  ok = limner_export_layout_foreach (layout, write_item, &voc, error);
  for (guint s = 0; ok && s < LIMNER_N_SPLITS; s++)
    {
      g_autofree char *relpath = NULL;
      LimnerAtomicFile *file;

      if (!limner_export_layout_uses_split (layout, s))
        continue;
      relpath = g_strdup_printf ("ImageSets/Main/%s.txt", limner_split_to_string (s));
      file = limner_export_create_file (export, relpath, error);
      ok = file != NULL;
      if (ok)
        {
          limner_atomic_file_write (file, voc.lists[s]->str, voc.lists[s]->len, NULL);
          ok = limner_export_commit_file (export, file, error);
        }
    }
  if (ok)
    ok = limner_export_layout_write_draft_note (layout, error);

  for (guint s = 0; s < LIMNER_N_SPLITS; s++)
    g_string_free (voc.lists[s], TRUE);
  g_free (voc.database);
  return ok;
}
