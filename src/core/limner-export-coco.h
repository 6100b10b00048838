/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-coco.h: COCO detection and segmentation JSON:
 * OUT/annotations/instances_SPLIT.json, images in OUT/images/SPLIT/.
 *
 * Layout and conventions: README.md, "Export formats"; options and split:
 * limner-export-layout.h. */
#pragma once

#include "limner-export.h"

G_BEGIN_DECLS

gboolean limner_export_coco (LimnerExport  *export,
                             GError       **error);

G_END_DECLS
