/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-dataset.h: publishing versions, and a read-only view of a published
 * version or of the current state (a draft) for exporters, diff and checks.
 *
 * A published version freezes, in one transaction, the label schema, the
 * images its policy includes (path, SHA-256, size, dimensions, format, status)
 * and every shape of those images. It can never change afterwards: the store
 * has no call that would change it, and database triggers refuse raw SQL.
 * Publishing itself is limner_store_publish() in limner-store-versions.h.
 */
#pragma once

#include <gio/gio.h>

#include "limner-store-versions.h"

G_BEGIN_DECLS

/* A read-only view of a published version or of the current state (draft). */
typedef struct _LimnerDataset LimnerDataset;

LimnerDataset *limner_dataset_open (LimnerStore *store, gint64 version /* 0 = draft */, GError **error);
gboolean limner_dataset_is_draft (LimnerDataset *ds);
const LimnerVersion *limner_dataset_get_version (LimnerDataset *ds); /* NULL for a draft */
char *limner_dataset_dup_project_name (LimnerDataset *ds);
GPtrArray *limner_dataset_get_labels (LimnerDataset *ds); /* LimnerLabel*, by position; owned by ds */
GPtrArray *limner_dataset_get_images (LimnerDataset *ds); /* LimnerImageRecord*, sorted by path; owned by ds */
GPtrArray *limner_dataset_get_shapes (LimnerDataset *ds, gint64 image_id, GError **error); /* new array of LimnerShape*, sorted by id */
const char *limner_dataset_get_project_dir (LimnerDataset *ds);
void limner_dataset_free (LimnerDataset *ds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerDataset, limner_dataset_free)

/* Additions. */

/* A draft holding only the images `policy` includes, as publish() would
 * freeze them now. limner_dataset_open (store, 0, ...) is the ALL draft. */
LimnerDataset *limner_dataset_open_draft (LimnerStore          *store,
                                          LimnerPublishPolicy   policy,
                                          GError              **error);

/* The store the dataset reads from (borrowed). */
LimnerStore   *limner_dataset_get_store (LimnerDataset *ds);
/* 0 for a draft. */
gint64         limner_dataset_get_version_number (LimnerDataset *ds);
/* The label with that id, or NULL (owned by ds). */
const LimnerLabel       *limner_dataset_find_label (LimnerDataset *ds, gint64 label_id);
/* The image with that id, or NULL (owned by ds). */
const LimnerImageRecord *limner_dataset_find_image (LimnerDataset *ds, gint64 image_id);
/* Total number of shapes of the included images. */
gint64         limner_dataset_count_shapes (LimnerDataset *ds);
/* The image's path as exports write it: the stored path when it is relative
 * to the project directory, otherwise its base name, so that an export never
 * contains an absolute path. Always uses '/' as the separator. */
char          *limner_dataset_dup_export_path (LimnerDataset           *ds,
                                               const LimnerImageRecord *image);
/* The image file on disk (absolute). */
char          *limner_dataset_dup_image_file (LimnerDataset           *ds,
                                              const LimnerImageRecord *image);

G_END_DECLS
