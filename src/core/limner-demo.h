/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-demo.h: a synthetic dataset with known ground truth.
 *
 * Images of coloured rectangles, ellipses, triangles and irregular polygons on
 * textured, noisy backgrounds, drawn from Limner's own PRNG so that the same
 * seed gives the same bytes on every machine.
 */
#pragma once

#include <gio/gio.h>

#include "limner-import.h"
#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_DEMO_DEFAULT_IMAGES 24
#define LIMNER_DEMO_DEFAULT_SEED   1
#define LIMNER_DEMO_DIR_NAME       "demo-images"

/* One object drawn in a demo image. */
typedef struct {
  const char *label;   /* static: "rectangle", "ellipse", "triangle", "polygon" */
  GArray     *polygon; /* of double, x/y pairs; ellipses as a fine polygon */
  double      box[4];  /* x0, y0, x1, y1: the polygon's bounds */
} LimnerDemoObject;

void limner_demo_object_free (LimnerDemoObject *object);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerDemoObject, limner_demo_object_free)

/* Writes one demo image of width × height to `path` (JPEG for .jpg/.jpeg,
 * PNG for .png), entirely determined by `seed`. `objects` (may be NULL)
 * receives a GPtrArray of LimnerDemoObject. */
gboolean limner_demo_write_image (const char  *path,
                                  int          width,
                                  int          height,
                                  guint64      seed,
                                  GPtrArray  **objects,
                                  GError     **error);

/* Writes `n_images` images into `out_dir` (NULL = PROJECT/demo-images),
 * creates the label schema (rectangle, ellipse, triangle, polygon; hotkeys
 * 1–4) if missing, imports the images and records every object's outline as
 * a reference shape. Images already in the project (same bytes) are not
 * added twice, nor are their reference shapes. The acting user must be a
 * lead. Progress runs over 2 × n_images steps: writing, then importing.
 * `result` (may be NULL) receives the import result. */
gboolean limner_demo_generate (LimnerStore               *store,
                               const char                *out_dir,
                               int                        n_images,
                               guint64                    seed,
                               GCancellable              *cancellable,
                               LimnerImportProgressFunc   progress,
                               gpointer                   progress_data,
                               LimnerImportResult       **result,
                               GError                   **error);

/* On a worker thread: creates the project at `project_dir` (named `name`,
 * NULL = the directory's name) unless it exists, then generates as above with
 * its own store acting as `login` (NULL = the OS login). Progress is called
 * from the worker thread. */
void     limner_demo_generate_async  (const char                *project_dir,
                                      const char                *name,
                                      const char                *login,
                                      int                        n_images,
                                      guint64                    seed,
                                      GCancellable              *cancellable,
                                      LimnerImportProgressFunc   progress,
                                      gpointer                   progress_data,
                                      GDestroyNotify             progress_data_destroy,
                                      GAsyncReadyCallback        callback,
                                      gpointer                   user_data);
/* Returns the import result, or NULL with an error. */
LimnerImportResult *limner_demo_generate_finish (GAsyncResult  *result,
                                                 GError       **error);

G_END_DECLS
