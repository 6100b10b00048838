/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-document.h: the shapes of one open image, and their edit history.
 *
 * One LimnerDocument per open image. It holds the image's shapes by id, in
 * stacking order (z-order = id order: a new shape gets a higher id, so it is
 * on top; an undone delete gets its old id back and so its old place), a
 * spatial index over them, and per-shape and per-label UI state (hidden,
 * locked; in memory only).
 *
 * Every edit is a command on an undo/redo stack with no depth limit. A command
 * changes the shapes in memory at once and queues the matching store writes
 * on the LimnerStoreWriter (autosave); undo and redo queue theirs the same
 * way, so the store always follows the screen, including after a flush.
 * Undoing a delete re-inserts the shape with its old id.
 *
 * Signals (all on the thread that owns the document):
 *   "changed" (LimnerRect *area): shapes inside `area` (image pixels, the
 *       union of old and new bounding boxes; no stroke width) need a redraw.
 *       Emitted once per edit, undo, redo or UI-state change.
 *   "shape-added" (gint64 id), "shape-removed" (gint64 id),
 *   "shape-modified" (gint64 id): geometry, label or hidden/locked changed.
 *       Emitted before "changed".
 * Properties: "can-undo", "can-redo" (notify when they change), "image-id",
 *   "width", "height" (construct-only).
 */
#pragma once

#include <glib-object.h>

#include "limner-geometry.h"
#include "limner-spatial-index.h"
#include "limner-store.h"
#include "limner-store-writer.h"

G_BEGIN_DECLS

#define LIMNER_DOCUMENT_ERROR (limner_document_error_quark ())
GQuark limner_document_error_quark (void);

typedef enum {
  LIMNER_DOCUMENT_ERROR_NOT_FOUND, /* no shape with that id in this document */
  LIMNER_DOCUMENT_ERROR_LOCKED,    /* the shape or its label is locked */
  LIMNER_DOCUMENT_ERROR_CLIPBOARD, /* clipboard text is not Limner shapes */
} LimnerDocumentError;

/* Flags of limner_document_hit_test(). */
typedef enum {
  LIMNER_HIT_DEFAULT        = 0,      /* visible, unlocked shapes only */
  LIMNER_HIT_INCLUDE_LOCKED = 1 << 0, /* also visible locked shapes */
  LIMNER_HIT_INCLUDE_HIDDEN = 1 << 1, /* also hidden shapes */
} LimnerHitFlags;

#define LIMNER_TYPE_DOCUMENT (limner_document_get_type ())
G_DECLARE_FINAL_TYPE (LimnerDocument, limner_document, LIMNER, DOCUMENT, GObject)

/* An empty document for an image of width x height. `writer` may be NULL for
 * a document that is never saved (benchmarks, previews). */
LimnerDocument *limner_document_new  (gint64              image_id,
                                      int                 width,
                                      int                 height,
                                      LimnerStoreWriter  *writer);
/* Reads the image record and its shapes through `store` (the caller's
 * connection), after flushing `writer` so that earlier edits of the image are
 * read back. */
LimnerDocument *limner_document_open (LimnerStore        *store,
                                      LimnerStoreWriter  *writer,
                                      gint64              image_id,
                                      GError            **error);
/* Replaces all shapes (each with its id set) without a command, as if loaded,
 * and clears the undo stack and the UI state. Steals the shapes out of
 * `shapes`, which is left empty (the caller still frees the array). */
void            limner_document_reset_shapes (LimnerDocument *self,
                                              GPtrArray      *shapes);

/* Brings the document in line with `shapes` as read from the store after
 * another writer committed: shapes whose row version differs are replaced,
 * new ones added, missing ones removed, each with its usual notification;
 * the undo stack stays (an undo then applies to the shape as now stored).
 * Steals the shapes it keeps (their slots become NULL). Returns how many
 * shapes changed. Call only with no edit of this document pending. */
guint           limner_document_merge_shapes (LimnerDocument *self,
                                              GPtrArray      *shapes);

/* Asked before every edit (add, delete, modify, label, paste, undo, redo);
 * FALSE with an error refuses it, and the error is the edit's. The GUI uses
 * it to claim an image on its first edit. NULL: every edit goes ahead. */
typedef gboolean (*LimnerDocumentGuard) (LimnerDocument  *document,
                                         gpointer         user_data,
                                         GError         **error);
void                limner_document_set_guard    (LimnerDocument      *self,
                                                  LimnerDocumentGuard  guard,
                                                  gpointer             user_data);

gint64              limner_document_get_image_id (LimnerDocument *self);
int                 limner_document_get_width    (LimnerDocument *self);
int                 limner_document_get_height   (LimnerDocument *self);
LimnerStoreWriter  *limner_document_get_writer   (LimnerDocument *self);
/* Grows with every edit, undo and redo applied to the document (each one
 * queued to the writer as it is applied), not with a load or a merge. A
 * read of the store that sees it change meanwhile may miss one of this
 * document's own edits: merging such a read would take the edit back. */
guint64             limner_document_get_edit_serial (LimnerDocument *self);

/* --- Reading ------------------------------------------------------------ */

guint              limner_document_get_n_shapes   (LimnerDocument *self);
/* Bottom (0) to top. Borrowed; valid until the next change. */
const LimnerShape *limner_document_get_nth_shape  (LimnerDocument *self,
                                                   guint           position);
/* NULL if there is no such shape. Borrowed; valid until the next change. */
const LimnerShape *limner_document_get_shape      (LimnerDocument *self,
                                                   gint64          id);
/* Ids of shapes whose bbox meets `rect`, bottom first (drawing order), hidden
 * ones left out. For viewport culling. */
GArray            *limner_document_query_rect     (LimnerDocument   *self,
                                                   const LimnerRect *rect);
/* The same as limner_document_query_rect(), as borrowed shapes (const
 * LimnerShape *, valid until the next change): no lookup per id. Free the
 * array only. */
GPtrArray         *limner_document_query_rect_shapes (LimnerDocument   *self,
                                                      const LimnerRect *rect);
/* Ids (gint64) of the shapes under (x, y), topmost first: inside the shape,
 * or within `tolerance` image pixels of its outline. Cycling through
 * overlapping shapes is walking this array. Never NULL. */
GArray            *limner_document_hit_test       (LimnerDocument *self,
                                                   double          x,
                                                   double          y,
                                                   double          tolerance,
                                                   LimnerHitFlags  flags);
/* The spatial index, for callers that do their own refinement. Borrowed. */
LimnerSpatialIndex *limner_document_get_index     (LimnerDocument *self);

/* --- UI state: in memory only, never saved, not undoable ------------------ */

void     limner_document_set_shape_hidden (LimnerDocument *self,
                                           gint64          id,
                                           gboolean        hidden);
gboolean limner_document_get_shape_hidden (LimnerDocument *self,
                                           gint64          id);
void     limner_document_set_shape_locked (LimnerDocument *self,
                                           gint64          id,
                                           gboolean        locked);
gboolean limner_document_get_shape_locked (LimnerDocument *self,
                                           gint64          id);
/* Hide or lock every shape of a label (0 = unlabelled), now and later. */
void     limner_document_set_label_hidden (LimnerDocument *self,
                                           gint64          label_id,
                                           gboolean        hidden);
gboolean limner_document_get_label_hidden (LimnerDocument *self,
                                           gint64          label_id);
void     limner_document_set_label_locked (LimnerDocument *self,
                                           gint64          label_id,
                                           gboolean        locked);
gboolean limner_document_get_label_locked (LimnerDocument *self,
                                           gint64          label_id);
/* Neither the shape nor its label is hidden. */
gboolean limner_document_is_shape_visible  (LimnerDocument *self,
                                            gint64          id);
/* Visible, and neither the shape nor its label is locked. */
gboolean limner_document_is_shape_editable (LimnerDocument *self,
                                            gint64          id);

/* --- Edits: each is one undoable command, saved at once ------------------ */
/* Edits validate first (limner_shape_validate(); locked shapes refuse) and
 * change nothing on error. Boxes are normalised and every shape is clamped to
 * the image before validation. */

/* Copies `shape` (its id, image_id, author and timestamps are ignored) and
 * returns the new id, or 0 on error. */
gint64   limner_document_add_shape     (LimnerDocument     *self,
                                        const LimnerShape  *shape,
                                        GError            **error);
gboolean limner_document_delete_shapes (LimnerDocument     *self,
                                        const gint64       *ids,
                                        guint               n_ids,
                                        GError            **error);
/* Replaces the shape with the same id by a copy of `shape` (kind, points,
 * label, group, source, score). */
gboolean limner_document_modify_shape  (LimnerDocument     *self,
                                        const LimnerShape  *shape,
                                        GError            **error);
/* One command for several modified shapes (moving a selection). `shapes` is
 * an array of const LimnerShape *. */
gboolean limner_document_modify_shapes (LimnerDocument     *self,
                                        GPtrArray          *shapes,
                                        GError            **error);
gboolean limner_document_set_label     (LimnerDocument     *self,
                                        const gint64       *ids,
                                        guint               n_ids,
                                        gint64              label_id,
                                        GError            **error);

/* Groups every edit until the matching end_group() into one command (one
 * undo step, one store transaction). Nests. */
void     limner_document_begin_group   (LimnerDocument *self,
                                        const char     *description);
void     limner_document_end_group     (LimnerDocument *self);

/* --- Undo and redo ------------------------------------------------------ */

gboolean    limner_document_can_undo  (LimnerDocument *self);
gboolean    limner_document_can_redo  (LimnerDocument *self);
/* FALSE if there was nothing to undo/redo. */
gboolean    limner_document_undo      (LimnerDocument *self);
gboolean    limner_document_redo      (LimnerDocument *self);
/* Translated description of the next undo/redo step ("Add Box",
 * "Delete 3 Shapes", ...), or NULL. */
const char *limner_document_get_undo_description (LimnerDocument *self);
const char *limner_document_get_redo_description (LimnerDocument *self);
guint       limner_document_get_undo_depth (LimnerDocument *self);
guint       limner_document_get_redo_depth (LimnerDocument *self);

/* --- Clipboard ----------------------------------------------------------- */

/* A JSON text for the clipboard (MIME type LIMNER_CLIPBOARD_MIME_TYPE, also
 * fine as text/plain) with copies of the given shapes, bottom first. Unknown
 * ids are skipped. It records "image_id", "width" and "height" of the
 * source, so a caller can offset a paste into the same image. Label ids are
 * the project's: pasting into another project needs the same labels. */
#define LIMNER_CLIPBOARD_MIME_TYPE "application/x-limner-shapes+json"
char    *limner_document_copy  (LimnerDocument *self,
                                const gint64   *ids,
                                guint           n_ids);
/* Adds the shapes in `json` (from limner_document_copy() in this or another
 * document) as one command: new ids, moved by (dx, dy), clamped to this
 * image; group ids are renumbered so pasted groups stay groups but apart
 * from the originals. Shapes that lie wholly outside the image are dropped
 * and counted in `n_dropped`. Returns the new ids (gint64), or NULL on error
 * (nothing is added). */
GArray  *limner_document_paste (LimnerDocument  *self,
                                const char      *json,
                                double           dx,
                                double           dy,
                                guint           *n_dropped,
                                GError         **error);

G_END_DECLS
