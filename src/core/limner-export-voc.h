/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-voc.h: Pascal VOC XML: OUT/Annotations/STEM.xml,
 * OUT/ImageSets/Main/SPLIT.txt, images in OUT/JPEGImages/.
 *
 * Layout and conventions: README.md, "Export formats"; options and split:
 * limner-export-layout.h. */
#pragma once

#include "limner-export.h"

G_BEGIN_DECLS

gboolean limner_export_voc (LimnerExport  *export,
                            GError       **error);

G_END_DECLS
