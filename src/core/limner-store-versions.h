/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-versions.h: the store's queries for published versions
 * (limner-store-versions.c). Publishing itself is limner_store_publish() in
 * limner-dataset.h; most callers want LimnerDataset rather than these. */
#pragma once

#include "limner-check-report.h"
#include "limner-dataset.h"

G_BEGIN_DECLS

/* The frozen contents of version `number`. Unknown versions fail with
 * LIMNER_STORE_ERROR_NOT_FOUND. */
GPtrArray *limner_store_list_version_labels (LimnerStore  *self,
                                             gint64        number,
                                             GError      **error); /* LimnerLabel, by position */
GPtrArray *limner_store_list_version_images (LimnerStore  *self,
                                             gint64        number,
                                             GError      **error); /* LimnerImageRecord, by path */
GPtrArray *limner_store_list_version_shapes (LimnerStore  *self,
                                             gint64        number,
                                             gint64        image_id,
                                             GError      **error); /* LimnerShape, by id */

/* What publish() with `policy` would include now: images by path, and the
 * number of their shapes. */
GPtrArray *limner_store_list_policy_images  (LimnerStore          *self,
                                             LimnerPublishPolicy   policy,
                                             GError              **error);
gint64     limner_store_count_policy_shapes (LimnerStore          *self,
                                             LimnerPublishPolicy   policy,
                                             GError              **error);

/* SQLite integrity_check and foreign_key_check, the immutability triggers,
 * and each version's frozen rows against its counts; adds problems to
 * `report`. FALSE only if the checks could not run. */
gboolean   limner_store_check_database      (LimnerStore        *self,
                                             LimnerCheckReport  *report,
                                             GError            **error);

G_END_DECLS
