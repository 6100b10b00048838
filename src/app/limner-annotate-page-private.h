/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-annotate-page-private.h: shared by limner-annotate-page.c (images,
 * status, tools, the read-only state) and limner-annotate-sidebar.c (the
 * labels and the shapes list of the side panel). Never include it elsewhere. */
#pragma once

#include "config.h"
#include "limner-annotate-page.h"
#include "limner-image-verify.h"
#include "limner-image-item.h"
#include "limner-queue.h"
#include "limner-qc-panel.h"
#include "limner-store-reviews.h"
#include "limner-store-writer.h"
#include "limner-tile-source.h"

G_BEGIN_DECLS

struct _LimnerAnnotatePage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkToggleButton    *select_button;
  GtkToggleButton    *box_button;
  GtkToggleButton    *polygon_button;
  GtkToggleButton    *wand_button;
  GtkLabel           *zoom_label;
  GtkAdjustment      *brightness_adjustment;
  GtkAdjustment      *contrast_adjustment;
  LimnerCanvas       *canvas;
  GtkListBox         *labels_list;
  GtkLabel           *guide_label;
  GtkLabel           *shapes_heading;
  GtkListView        *shapes_view;
  GtkLabel           *status_label;
  GtkLabel           *save_label;
  GtkLabel           *status_pill;
  GtkWidget          *readonly_bar;
  GtkLabel           *readonly_label;
  GtkWidget          *pixels_error_bar;
  GtkLabel           *pixels_error_label;
  GtkWidget          *changed_bar;
  GtkLabel           *changed_label;
  GtkWidget          *loading_box;
  GtkSpinner         *loading_spinner;
  GtkWidget          *review_box;
  GtkLabel           *review_heading;
  GtkLabel           *review_label;
  GtkWidget          *unlock_all_button;
  GtkWidget          *qc_panel;

  /* Owned references */
  LimnerStore        *store;
  LimnerStoreWriter  *writer;
  LimnerDocument     *document;
  LimnerImageRecord  *record;
  GPtrArray          *labels;          /* LimnerLabel *, by position */
  GtkStringList      *shape_ids;       /* ids as text, bottom to top */
  GtkSingleSelection *shape_selection;
  GCancellable       *cancellable;     /* opening the pixels, verifying the file */
  LimnerVerifyResult *verified;        /* the shown image's file, once verified */

  gulong              save_failed_handler;
  guint               save_poll;
  guint               reload_serial;   /* the latest re-read of the shapes */
  gboolean            syncing;
  gboolean            editable;
  gboolean            claim_on_edit;   /* free work, looked at: the first edit takes it */
  gboolean            pixels_failed;   /* no drawing over a blank canvas */
  gboolean            saving_offline;  /* the writer retries for an unreachable server */
  gboolean            verifying;       /* its file is being hashed */
  gboolean            edit_changed;    /* the user chose to edit although the file changed */
};

void _limner_annotate_page_update_status (LimnerAnnotatePage *self);
/* limner-annotate-verify.c: the shown image's file against its SHA-256. */
void _limner_annotate_page_start_verify (LimnerAnnotatePage *self);
void _limner_annotate_page_clear_verify (LimnerAnnotatePage *self);
gboolean _limner_annotate_page_file_blocks_edits (LimnerAnnotatePage *self);
void _limner_annotate_page_on_edit_anyway (GtkWidget *widget, const char *action_name, GVariant *param);
/* limner-annotate-page.c, for it. */
void _limner_annotate_page_show_pixels_error (LimnerAnnotatePage *self, const char *message);
void _limner_annotate_page_set_editable_by_rule (LimnerAnnotatePage *self);
void _limner_annotate_page_update_image_state (LimnerAnnotatePage *self);
void _limner_annotate_page_apply_editable (LimnerAnnotatePage *self);
const LimnerLabel * _limner_annotate_page_find_label (LimnerAnnotatePage *self, gint64 label_id);
void _limner_annotate_page_watch_saving (LimnerAnnotatePage *self);
void _limner_annotate_page_toast (LimnerAnnotatePage *self, const char *message);
void _limner_annotate_page_bind_shape_row (GtkSignalListItemFactory *factory, GtkListItem *item, LimnerAnnotatePage *self);
void _limner_annotate_page_on_document_changed (LimnerAnnotatePage *self, LimnerRect *area);
void _limner_annotate_page_on_shape_added (LimnerDocument *document, gint64 id, LimnerAnnotatePage *self);
void _limner_annotate_page_setup_shape_row (GtkSignalListItemFactory *factory, GtkListItem *item, LimnerAnnotatePage *self);
void _limner_annotate_page_on_shapes_view_pressed (GtkGestureClick *gesture, int n_press, double x, double y, LimnerAnnotatePage *self);
void _limner_annotate_page_on_shape_modified (LimnerDocument *document, gint64 id, LimnerAnnotatePage *self);
void _limner_annotate_page_on_label_row_activated (LimnerAnnotatePage *self, GtkListBoxRow *row);
void _limner_annotate_page_fill_shape_list (LimnerAnnotatePage *self);
void _limner_annotate_page_on_canvas_current_label (LimnerAnnotatePage *self);
void _limner_annotate_page_on_unlock_all (LimnerAnnotatePage *self);
void _limner_annotate_page_on_shape_selection_changed (LimnerAnnotatePage *self);
void _limner_annotate_page_on_shape_removed (LimnerDocument *document, gint64 id, LimnerAnnotatePage *self);
void _limner_annotate_page_update_guide (LimnerAnnotatePage *self);
void _limner_annotate_page_on_show_all (LimnerAnnotatePage *self);
void _limner_annotate_page_sync_label_toggles (LimnerAnnotatePage *self);
void _limner_annotate_page_on_canvas_selected_shape (LimnerAnnotatePage *self);

G_END_DECLS
