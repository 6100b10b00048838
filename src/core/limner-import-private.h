/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-import-private.h: import as one part of a larger store batch. */
#pragma once

#include "limner-import.h"

G_BEGIN_DECLS

/* limner_import_run() inside a batch the caller opened with
 * limner_store_begin(): inserts without committing. On failure (NULL) the
 * caller must roll the batch back. Used by the demo generator so that
 * images, labels and reference outlines land in one transaction. */
LimnerImportResult *limner_import_run_in_batch (LimnerStore               *store,
                                                const char * const        *paths,
                                                GCancellable              *cancellable,
                                                LimnerImportProgressFunc   progress,
                                                gpointer                   progress_data,
                                                GError                   **error);

G_END_DECLS
