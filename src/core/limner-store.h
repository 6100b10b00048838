/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store.h: the project store. The only module that contains SQL.
 *
 * A project is a directory holding project.db (SQLite, WAL). Every call that
 * changes data checks the acting user's role. Every change is committed at
 * once in its own BEGIN IMMEDIATE transaction unless the caller has opened a
 * batch with limner_store_begin().
 */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>

#include "limner-records.h"

G_BEGIN_DECLS

#define LIMNER_STORE_SCHEMA_VERSION 5
#define LIMNER_STORE_DB_NAME "project.db"

#define LIMNER_TYPE_STORE (limner_store_get_type ())
G_DECLARE_FINAL_TYPE (LimnerStore, limner_store, LIMNER, STORE, GObject)

/* Creating and opening. `login` is the acting user (NULL = the OS login).
 * create() makes the directory if needed and refuses an existing project;
 * its acting user becomes the project's lead. */
LimnerStore *limner_store_create (const char  *dir,
                                  const char  *name,
                                  const char  *login,
                                  GError     **error);
LimnerStore *limner_store_open   (const char  *dir,
                                  const char  *login,
                                  GError     **error);
/* open() opens a project the user may read but not write (another owner,
 * a read-only folder or mount) read-only: no migration runs, and every call
 * that writes fails with LIMNER_STORE_ERROR_READ_ONLY. */
gboolean     limner_store_is_read_only (LimnerStore *self);
/* TRUE if dir/project.db exists; always TRUE for a postgresql:// URI,
 * whose server is only asked when the project is opened. */
gboolean     limner_store_exists (const char *dir);

const char  *limner_store_get_dir   (LimnerStore *self);
const char  *limner_store_get_login (LimnerStore *self);
char        *limner_store_dup_name  (LimnerStore *self);
int          limner_store_get_schema_version (LimnerStore *self);
/* Roles of the acting user. */
LimnerRole   limner_store_get_roles (LimnerStore *self);
/* Fails with LIMNER_STORE_ERROR_PERMISSION naming the user and role unless the
 * acting user holds at least one of `any_of`. */
gboolean     limner_store_require_role (LimnerStore  *self,
                                        LimnerRole    any_of,
                                        GError      **error);

/* Batches. Inside begin()/commit() every call joins one BEGIN IMMEDIATE
 * transaction; rollback() undoes all of it. Batches do not nest. */
gboolean     limner_store_begin    (LimnerStore *self, GError **error);
gboolean     limner_store_commit   (LimnerStore *self, GError **error);
void         limner_store_rollback (LimnerStore *self);
gboolean     limner_store_in_batch (LimnerStore *self);

/* Path helpers: an image path is stored relative to the image folder
 * (limner_store_dup_image_folder()) when inside it, absolute otherwise. */
char        *limner_store_relativize_path (LimnerStore *self, const char *abs_path);
char        *limner_store_resolve_path    (LimnerStore *self, const char *stored_path);

/* The image root (limner-image-root.h), in limner-store-image-root.c. */
/* The project's image root, NULL when it has none. */
char        *limner_store_dup_image_root   (LimnerStore *self);
/* The folder relative image paths are under on this computer: this user's
 * mapping of the image root, else the image root, else the project folder;
 * NULL when there is none. */
char        *limner_store_dup_image_folder (LimnerStore *self);
/* Sets the image root (an absolute path; NULL or "" unsets it) and, in the
 * same transaction, stores every image's path anew against the folder that
 * follows from it, so that each still names the same file. */
gboolean     limner_store_set_image_root   (LimnerStore  *self,
                                            const char   *root,
                                            GError      **error); /* lead */

/* Project settings (key/value): "name", "qc_sample_rate", "claim_timeout", ... */
char        *limner_store_get_setting (LimnerStore *self, const char *key);
gboolean     limner_store_set_setting (LimnerStore  *self,
                                       const char   *key,
                                       const char   *value,
                                       GError      **error); /* lead */

/* Users. */
gboolean     limner_store_set_user_roles (LimnerStore  *self,
                                          const char   *login,
                                          LimnerRole    roles,
                                          GError      **error); /* lead; adds or updates */
LimnerRole   limner_store_get_user_roles (LimnerStore *self, const char *login);
GPtrArray   *limner_store_list_users     (LimnerStore *self, GError **error); /* of LimnerUser */

/* Labels. */
gint64       limner_store_add_label    (LimnerStore  *self,
                                        const char   *name,
                                        const char   *color,  /* NULL = pick one */
                                        const char   *hotkey, /* may be NULL */
                                        const char   *guide,  /* may be NULL */
                                        GError      **error); /* lead */
gboolean     limner_store_update_label (LimnerStore        *self,
                                        const LimnerLabel  *label,
                                        GError            **error); /* lead; by id */
/* Refuses with LIMNER_STORE_ERROR_IN_USE when shapes use the label. */
gboolean     limner_store_delete_label (LimnerStore  *self,
                                        gint64        label_id,
                                        GError      **error); /* lead */
/* Moves the label to `position` (0-based) and renumbers the others. */
gboolean     limner_store_move_label   (LimnerStore  *self,
                                        gint64        label_id,
                                        int           position,
                                        GError      **error); /* lead */
GPtrArray   *limner_store_list_labels  (LimnerStore *self, GError **error); /* by position */
LimnerLabel *limner_store_get_label    (LimnerStore *self, gint64 id, GError **error);
LimnerLabel *limner_store_find_label   (LimnerStore *self, const char *name, GError **error);
gint64       limner_store_count_label_shapes (LimnerStore *self, gint64 label_id);

/* Images. add_image() fails with LIMNER_STORE_ERROR_EXISTS on a known sha256
 * or path. `path` is stored as given (callers relativize first). */
gint64             limner_store_add_image (LimnerStore  *self,
                                           const char   *path,
                                           const char   *sha256,
                                           gint64        size,
                                           int           width,
                                           int           height,
                                           const char   *format,
                                           GError      **error); /* lead */
gboolean           limner_store_has_sha256 (LimnerStore *self, const char *sha256);
LimnerImageRecord *limner_store_get_image (LimnerStore *self, gint64 id, GError **error);
LimnerImageRecord *limner_store_find_image_by_path (LimnerStore  *self,
                                                    const char   *path,
                                                    GError      **error);
LimnerImageRecord *limner_store_find_image_by_sha256 (LimnerStore  *self,
                                                      const char   *sha256,
                                                      GError      **error);
/* Accepts an id ("42"), a stored path, or an absolute path. */
LimnerImageRecord *limner_store_lookup_image (LimnerStore  *self,
                                              const char   *id_or_path,
                                              GError      **error);
GPtrArray         *limner_store_list_images (LimnerStore *self, GError **error); /* by id */
gint64             limner_store_count_images (LimnerStore *self, int status); /* -1 = all */
gboolean           limner_store_set_image_path (LimnerStore  *self,
                                                gint64        image_id,
                                                const char   *path,
                                                GError      **error); /* lead: relink */

/* The work queue. */
/* Claims the next image that is new or rejected and assigned to the acting
 * user or to no one (or whose claim is older than the claim timeout). Returns
 * NULL with no error when the queue is empty. */
LimnerImageRecord *limner_store_claim_next (LimnerStore *self, GError **error); /* annotator */
gboolean           limner_store_claim (LimnerStore *self, gint64 image_id, GError **error);
gboolean           limner_store_release (LimnerStore *self, gint64 image_id, GError **error);
/* Changes status with the checks of the workflow in docs/architecture.md. */
gboolean           limner_store_set_image_status (LimnerStore        *self,
                                                  gint64              image_id,
                                                  LimnerImageStatus   status,
                                                  GError            **error);

/* Shapes. Points must be finite and a polygon needs at least three vertices.
 * insert() sets shape->id, author, timestamps and row_version (1).
 * update() and delete() check the row version: given the version the caller
 * read (shape->row_version, or `row_version`), they fail with
 * LIMNER_STORE_ERROR_CONFLICT, naming the shape and the image, when another
 * writer changed or deleted the shape meanwhile; on success update() stores
 * the new version in shape->row_version. A version of 0 skips the check:
 * for callers that never read the shape (imports, scripts). */
gboolean     limner_store_insert_shape (LimnerStore  *self,
                                        LimnerShape  *shape,
                                        GError      **error); /* annotator, reviewer or lead */
gboolean     limner_store_update_shape (LimnerStore  *self,
                                        LimnerShape  *shape,
                                        GError      **error);
gboolean     limner_store_delete_shape (LimnerStore  *self,
                                        gint64        shape_id,
                                        gint64        row_version,
                                        GError      **error);
/* The shape's current row version, 0 if there is no such shape. */
gint64       limner_store_query_row_version (LimnerStore *self,
                                             gint64       shape_id);
LimnerShape *limner_store_get_shape    (LimnerStore *self, gint64 id, GError **error);
GPtrArray   *limner_store_list_shapes  (LimnerStore  *self,
                                        gint64        image_id,
                                        GError      **error); /* of LimnerShape, by id */
gint64       limner_store_count_shapes (LimnerStore *self);
/* Calls func for every shape of the project in (image_id, id) order without
 * holding them all in memory. Stops and returns FALSE if func returns FALSE. */
typedef gboolean (*LimnerShapeFunc) (const LimnerShape *shape, gpointer user_data);
gboolean     limner_store_foreach_shape (LimnerStore      *self,
                                         LimnerShapeFunc   func,
                                         gpointer          user_data,
                                         GError          **error);

/* Reference (ground-truth) shapes, as written by the demo generator. */
gboolean     limner_store_add_reference_shape   (LimnerStore           *self,
                                                 LimnerReferenceShape  *ref,
                                                 GError               **error); /* lead */
GPtrArray   *limner_store_list_reference_shapes (LimnerStore  *self,
                                                 gint64        image_id, /* 0 = all */
                                                 GError      **error);

/* The event log. Store calls that change data log their own events; callers
 * log UI-level ones (image.open, image.close, idle...). */
gboolean     limner_store_log_event (LimnerStore  *self,
                                     const char   *kind,
                                     gint64        image_id,
                                     gint64        shape_id,
                                     const char   *detail_json,
                                     GError      **error);
GPtrArray   *limner_store_list_events (LimnerStore  *self,
                                       gint64        from_us, /* 0 = no bound */
                                       gint64        to_us,   /* 0 = no bound */
                                       GError      **error);

/* Reviews. */
gboolean     limner_store_add_review (LimnerStore  *self,
                                      gint64        image_id,
                                      gboolean      accepted,
                                      const char   *comment,
                                      GError      **error); /* reviewer */

/* Versions (publishing them: limner-store-versions.h; reading them: limner-dataset.h). */
GPtrArray     *limner_store_list_versions (LimnerStore *self, GError **error);
LimnerVersion *limner_store_get_version   (LimnerStore *self, gint64 number, GError **error);

G_END_DECLS
