/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-labelme.h: labelme JSON: OUT/SPLIT/STEM.json next to the image OUT/SPLIT/NAME.
 *
 * Layout and conventions: README.md, "Export formats"; options and split:
 * limner-export-layout.h. */
#pragma once

#include "limner-export.h"

G_BEGIN_DECLS

gboolean limner_export_labelme (LimnerExport  *export,
                                GError       **error);

G_END_DECLS
