/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-formats.c: the table of export formats. To add a format,
 * include its header and add one line (see limner-export.h). */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-export.h"
#include "limner-export-coco.h"
#include "limner-export-csv.h"
#include "limner-export-labelme.h"
#include "limner-export-layout.h"
#include "limner-export-limner.h"
#include "limner-export-voc.h"
#include "limner-export-yolo.h"

const LimnerExportFormat limner_export_formats[] = {
  { "limner", N_("Limner JSON (version 1)"), "", limner_export_limner },
  { "coco", N_("COCO detection and segmentation JSON"), LIMNER_EXPORT_LAYOUT_OPTIONS, limner_export_coco },
  { "yolo", N_("YOLO (Ultralytics)"), LIMNER_EXPORT_LAYOUT_OPTIONS " task", limner_export_yolo },
  { "voc", N_("Pascal VOC XML"), LIMNER_EXPORT_LAYOUT_OPTIONS, limner_export_voc },
  { "labelme", N_("labelme JSON"), LIMNER_EXPORT_LAYOUT_OPTIONS, limner_export_labelme },
  { "csv", N_("CSV of boxes"), LIMNER_EXPORT_LAYOUT_OPTIONS, limner_export_csv },
  { NULL, NULL, NULL, NULL }
};
