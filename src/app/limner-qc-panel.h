/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-qc-panel.h: the quality-control part of the annotate page's side
 * panel. It follows the canvas' document and shows:
 *   - model predictions: a "Hide predictions below score" slider (hidden
 *     predictions are hidden in the document, so not hit-testable) and
 *     "Accept Prediction" (also K on the canvas), which makes the selected
 *     prediction the user's own, unchanged: the store counts it as kept;
 *   - a rejected image's review marks, drawn on the canvas;
 *   - the image's history: claims, submissions, draws, decisions, comments.
 */
#pragma once

#include <gtk/gtk.h>

#include "limner-canvas.h"
#include "limner-store-qc.h"

G_BEGIN_DECLS

#define LIMNER_TYPE_QC_PANEL (limner_qc_panel_get_type ())
G_DECLARE_FINAL_TYPE (LimnerQcPanel, limner_qc_panel, LIMNER, QC_PANEL, GtkWidget)

GtkWidget *limner_qc_panel_new            (void);
void       limner_qc_panel_set_threshold  (LimnerQcPanel *self,
                                           double         threshold);
double     limner_qc_panel_get_threshold  (LimnerQcPanel *self);
/* Makes the canvas' selected prediction a manual shape, unchanged. FALSE
 * with an error when there is none or the edit is refused. */
gboolean   limner_qc_panel_accept_prediction (LimnerQcPanel  *self,
                                              GError        **error);
/* The history as shown, one event per line, or NULL while it is read on a
 * worker (for tests). */
const char *limner_qc_panel_get_history   (LimnerQcPanel *self);
/* Reads the marks and history again (after a decision, a submit...). */
void       limner_qc_panel_refresh        (LimnerQcPanel *self);

G_END_DECLS
