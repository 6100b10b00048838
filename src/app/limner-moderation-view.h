/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-moderation-view.h: the moderation figures with their filters.
 *
 * Filters: date range (today, 7 days, 30 days, all), annotator, reviewer,
 * label and image status. Per annotator and in total: images waiting for
 * review, accepted, rejected and fixed, the acceptance rate with its sample
 * size and 95 % Wilson interval, and how many more reviews would narrow it
 * to ±5 points; then the gold scores. The same core calls as the "qc"
 * object of `limner-cli info --json`, run on a worker with its own store.
 */
#pragma once

#include <gtk/gtk.h>

#include "limner-store.h"

G_BEGIN_DECLS

typedef enum {
  LIMNER_MODERATION_ALL,
  LIMNER_MODERATION_TODAY,
  LIMNER_MODERATION_7_DAYS,
  LIMNER_MODERATION_30_DAYS,
} LimnerModerationRange;

#define LIMNER_TYPE_MODERATION_VIEW (limner_moderation_view_get_type ())
G_DECLARE_FINAL_TYPE (LimnerModerationView, limner_moderation_view, LIMNER, MODERATION_VIEW, GtkWidget)

GtkWidget  *limner_moderation_view_new           (void);
/* Fills the filters from the project and computes the figures. */
void        limner_moderation_view_set_store     (LimnerModerationView  *self,
                                                  LimnerStore           *store);
/* Computes the figures again, off the main thread. */
void        limner_moderation_view_reload        (LimnerModerationView  *self);
void        limner_moderation_view_set_range     (LimnerModerationView  *self,
                                                  LimnerModerationRange  range);
/* A login listed in the annotator filter; NULL = all. */
void        limner_moderation_view_set_annotator (LimnerModerationView  *self,
                                                  const char            *login);
/* The figures shown, and whether a computation is under way (for tests). */
const char *limner_moderation_view_get_text      (LimnerModerationView  *self);
gboolean    limner_moderation_view_get_busy      (LimnerModerationView  *self);

G_END_DECLS
