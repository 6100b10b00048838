/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-labels-dialog.h: the label schema editor.
 *
 * A modal window listing the project's labels in order, each with its
 * colour, name, hotkey, number of shapes and guideline text. A lead can add,
 * rename, recolour, reorder and delete labels and edit their hotkeys and
 * guidelines; every change goes to the store at once. Other users see the
 * list read-only. A label that shapes use is never deleted: the dialog says
 * how many shapes use it (and the store refuses anyway).
 *
 * Actions (on the dialog, for buttons and shortcuts):
 *   labels.add                  asks for a name, colour and hotkey
 *   labels.move-up    (int64)   moves that label one place up (Alt+Up on its row)
 *   labels.move-down  (int64)   moves that label one place down (Alt+Down on its row)
 *   labels.delete     (int64)   refuses with the count of shapes, or asks to confirm
 *
 * Signals:
 *   "labels-changed"  after every change the store accepted
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_LABELS_DIALOG (limner_labels_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LimnerLabelsDialog, limner_labels_dialog, LIMNER, LABELS_DIALOG, AdwWindow)

/* A modal dialog, transient for `parent` (may be NULL), on `store`. */
GtkWindow   *limner_labels_dialog_new          (GtkWindow   *parent,
                                                LimnerStore *store);
LimnerStore *limner_labels_dialog_get_store    (LimnerLabelsDialog *self);
/* TRUE when the acting user is a lead, so the labels can be changed. */
gboolean     limner_labels_dialog_get_editable (LimnerLabelsDialog *self);
/* Re-reads the labels and their shape counts from the store. */
void         limner_labels_dialog_reload       (LimnerLabelsDialog *self);
guint        limner_labels_dialog_get_n_labels (LimnerLabelsDialog *self);
/* The list row of a label, or NULL. Its editing widgets carry widget names:
 * "name-row", "color-button", "hotkey-row", "guide-view", "move-up",
 * "move-down", "delete-button". */
GtkWidget   *limner_labels_dialog_get_row      (LimnerLabelsDialog *self,
                                                gint64              label_id);
/* The message dialog this dialog is showing (add, delete), or NULL. The add
 * dialog's fields are named "add-name", "add-color" and "add-hotkey". */
AdwMessageDialog *limner_labels_dialog_get_message_dialog (LimnerLabelsDialog *self);
/* The text of the last error shown, or NULL. */
const char  *limner_labels_dialog_get_last_error (LimnerLabelsDialog *self);

G_END_DECLS
