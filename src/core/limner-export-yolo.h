/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-yolo.h: YOLO (Ultralytics): OUT/data.yaml,
 * OUT/labels/SPLIT/STEM.txt, images in OUT/images/SPLIT/. Option "task"
 * (mixed, detect, segment): see limner-export-yolo.c.
 *
 * Layout and conventions: README.md, "Export formats"; options and split:
 * limner-export-layout.h. */
#pragma once

#include "limner-export.h"

G_BEGIN_DECLS

gboolean limner_export_yolo (LimnerExport  *export,
                             GError       **error);

G_END_DECLS
