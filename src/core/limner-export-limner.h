/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-export-limner.h: the limner JSON format, version 1.
 *
 * One file, OUT/dataset.json, byte-reproducible: the same dataset gives the
 * same bytes on every machine. The format is documented field by field in
 * README.md ("Export formats"). The file is written image by image, holding
 * only one image's shapes at a time.
 */
#pragma once

#include "limner-export.h"

G_BEGIN_DECLS

#define LIMNER_EXPORT_LIMNER_FILE "dataset.json"
#define LIMNER_EXPORT_LIMNER_FORMAT_VERSION 1

gboolean limner_export_limner (LimnerExport  *export,
                               GError       **error);

/* Formats unix seconds as ISO 8601 UTC, "2024-05-01T12:00:00Z". */
char    *limner_export_format_time (gint64 unix_seconds);

G_END_DECLS
