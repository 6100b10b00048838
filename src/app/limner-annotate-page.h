/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-annotate-page.h: the annotator's workspace for one image.
 *
 * The canvas with its tool bar (tools, zoom, undo, brightness and contrast),
 * and a side panel with the label schema (colours, keys, the current label's
 * guideline text) and the image's shapes (select, hide, lock). Edits are
 * saved through a LimnerStoreWriter of its own, off the main thread.
 */
#pragma once

#include <adwaita.h>

#include "limner-canvas.h"
#include "limner-document.h"
#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_ANNOTATE_PAGE (limner_annotate_page_get_type ())
G_DECLARE_FINAL_TYPE (LimnerAnnotatePage, limner_annotate_page, LIMNER, ANNOTATE_PAGE, GtkWidget)

GtkWidget      *limner_annotate_page_new           (void);
/* The project (NULL closes it, after saving what is pending). Opens the
 * autosave writer: a second connection to the project, on its own thread. */
gboolean        limner_annotate_page_set_store     (LimnerAnnotatePage  *self,
                                                    LimnerStore         *store,
                                                    GError             **error);
/* Shows an image of the store: its shapes at once, its pixels as they are
 * decoded on worker threads. NULL clears the page. */
void            limner_annotate_page_set_image     (LimnerAnnotatePage      *self,
                                                    const LimnerImageRecord *record);
/* The shown image's record changed in the store (its status, its holder):
 * shows the new one without reloading the shapes or the pixels. Ignored for
 * another image. */
void            limner_annotate_page_update_record (LimnerAnnotatePage      *self,
                                                    const LimnerImageRecord *record);
gint64          limner_annotate_page_get_image_id  (LimnerAnnotatePage  *self);
LimnerCanvas   *limner_annotate_page_get_canvas    (LimnerAnnotatePage  *self);
LimnerDocument *limner_annotate_page_get_document  (LimnerAnnotatePage  *self);
/* Reads the label schema again (after a lead changed it). */
void            limner_annotate_page_reload_labels (LimnerAnnotatePage  *self);
/* Whether the shown image takes edits. set_image() decides it by the store's
 * rule (limner_queue_can_edit(): reviewers and leads edit any image,
 * annotators only one they hold) or, for an annotator, free work (new or
 * rejected, theirs or no one's), which the first edit claims; the page then
 * emits "claimed". If someone else took it meanwhile, that edit is refused
 * and the page turns read-only. A read-only page has only the select tool,
 * every shape locked, no editing keys, and a bar saying why. set_editable()
 * can make the page read-only anyway; making it editable cannot grant what
 * the store refuses (the saves would fail). */
void            limner_annotate_page_set_editable  (LimnerAnnotatePage  *self,
                                                    gboolean             editable);
gboolean        limner_annotate_page_get_editable  (LimnerAnnotatePage  *self);
/* The read-only bar's text ("Held by ann2 — read-only"), NULL when editable. */
const char     *limner_annotate_page_get_readonly_reason (LimnerAnnotatePage *self);
const char     *limner_annotate_page_get_pixels_error     (LimnerAnnotatePage *self);
/* Whether the shown image's file is being hashed to verify it (the first
 * open on this computer, or after the file changed; limner-image-verify.h).
 * Editing is allowed meanwhile. */
gboolean        limner_annotate_page_get_verifying        (LimnerAnnotatePage *self);
/* The changed-file bar's text, NULL unless the shown image's file has another
 * SHA-256 than the project recorded. The page is read-only with that bar
 * until the user chooses "annotate.edit-anyway" for this opening. */
const char     *limner_annotate_page_get_file_warning     (LimnerAnnotatePage *self);
/* Waits until every edit made so far is in the store. */
gboolean        limner_annotate_page_flush         (LimnerAnnotatePage  *self,
                                                    GError             **error);
/* Queues an event of the acting user on the shown image (if any) through
 * the autosave writer, so it never blocks; nothing without a project or
 * for a user without a role. */
void            limner_annotate_page_log_event     (LimnerAnnotatePage  *self,
                                                    const char          *kind,
                                                    const char          *detail_json);

/* Re-reads the shown image's shapes now (on a worker) and merges what
 * other writers committed into the document, keeping the selection and the
 * undo stack. Only the latest read is merged, and only if the document was
 * not edited since it began (else it reads again): an older read would
 * take back edits of the document's own. */
void          limner_annotate_page_reload_shapes       (LimnerAnnotatePage *self);
/* Re-reads the shown image's record; if someone else moved it on in the
 * workflow (claimed, submitted, decided it), shows its new status, holder
 * and review, and the QC panel's marks and history again. */
void          limner_annotate_page_reload_record       (LimnerAnnotatePage *self);
/* TRUE while an edit of the user's own waits to be saved or retried. */
gboolean      limner_annotate_page_has_pending_edits   (LimnerAnnotatePage *self);
/* Saves queued and not yet done (each may hold several edits). */
guint         limner_annotate_page_get_unsaved         (LimnerAnnotatePage *self);
/* The "saving-offline" property: edits wait because a team project's
 * server cannot be reached (the writer retries them every few seconds).
 * The status bar then says "Not saved, offline", never "saved". */
gboolean      limner_annotate_page_get_saving_offline  (LimnerAnnotatePage *self);
/* Tries the waiting saves now rather than at the next retry. */
void          limner_annotate_page_retry_saving        (LimnerAnnotatePage *self);

G_END_DECLS
