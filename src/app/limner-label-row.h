/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-label-row.h: one label in the labels dialog.
 *
 * An expander row: the label's swatch, name and facts, and when opened its
 * name, colour, hotkey, guideline, position and a delete button. The row
 * shows what the store holds (limner_label_row_update()) and asks for every
 * change through its signals; the dialog writes it to the store.
 *
 * Its editing widgets carry widget names: "name-row", "color-button",
 * "hotkey-row", "guide-view", "move-up", "move-down", "delete-button".
 *
 * Signals:
 *   "edit"        (LimnerLabelField field, const char *value) -> gboolean:
 *                 FALSE puts the stored value back
 *   "move"        (int delta) one place up (-1) or down (+1)
 *   "drop-label"  (gint64 label_id) a label dragged onto this row
 */
#pragma once

#include <adwaita.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_LABEL_FIELD_NAME,
  LIMNER_LABEL_FIELD_COLOR,
  LIMNER_LABEL_FIELD_HOTKEY,
  LIMNER_LABEL_FIELD_GUIDE,
} LimnerLabelField;

#define LIMNER_TYPE_LABEL_ROW (limner_label_row_get_type ())
G_DECLARE_FINAL_TYPE (LimnerLabelRow, limner_label_row, LIMNER, LABEL_ROW, AdwExpanderRow)

/* A row for label `label_id`; `editable` FALSE shows it read-only. */
LimnerLabelRow    *limner_label_row_new          (gint64            label_id,
                                                  gboolean          editable);
/* Fills the row from `label` (taken). A widget is only set when the stored
 * value changed, so an edit waiting in it is kept. */
void               limner_label_row_update       (LimnerLabelRow   *self,
                                                  LimnerLabel      *label,
                                                  gint64            n_shapes,
                                                  int               position,
                                                  int               n_labels,
                                                  gboolean          digit_is_own);
/* The label as the store last returned it. */
const LimnerLabel *limner_label_row_get_label    (LimnerLabelRow   *self);
int                limner_label_row_get_position (LimnerLabelRow   *self);
/* The label is gone (or the dialog is): the row asks for nothing more. */
void               limner_label_row_set_removed  (LimnerLabelRow   *self);
/* Saves a guideline still being typed, as leaving its field would. */
void               limner_label_row_save_guide   (LimnerLabelRow   *self);
/* Opens the row with the focus in the guideline. */
void               limner_label_row_edit_guide   (LimnerLabelRow   *self);

/* "#rrggbb" and back. */
char              *limner_label_row_rgba_to_hex  (const GdkRGBA    *rgba);
void               limner_label_row_hex_to_rgba  (const char       *hex,
                                                  GdkRGBA          *rgba);

G_END_DECLS
