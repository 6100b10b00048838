/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-versions.h: publishing versions and the store's queries for
 * them (limner-store-versions.c). Readers mostly want LimnerDataset
 * (limner-dataset.h) rather than these queries. */
#pragma once

#include "limner-check-report.h"
#include "limner-store.h"

G_BEGIN_DECLS

/* Which images a version includes.
 *   DONE         images that are done: submitted and not drawn for review, or
 *                accepted (the default);
 *   WITH_SHAPES  every image that has at least one shape;
 *   ALL          every image of the project. */
typedef enum { LIMNER_PUBLISH_DONE, LIMNER_PUBLISH_WITH_SHAPES, LIMNER_PUBLISH_ALL } LimnerPublishPolicy;

/* lead only; returns the new version number (1, 2, 3...). Fails with
 * LIMNER_STORE_ERROR_INVALID when the policy includes no image. */
gint64 limner_store_publish (LimnerStore *store, const char *message, LimnerPublishPolicy policy, GError **error);
/* "done", "with-shapes", "all". */
const char    *limner_publish_policy_to_string   (LimnerPublishPolicy  policy);
gboolean       limner_publish_policy_from_string (const char          *str,
                                                  LimnerPublishPolicy *out);

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
