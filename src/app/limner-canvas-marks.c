/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-marks.c: a rejected image's review marks on the canvas.
 * They are drawn into the overlay tiles (limner-canvas-overlay.c), so
 * setting them drops the tiles. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-canvas-private.h"

static void
clear_mark (gpointer data)
{
  LimnerOverlayMark *mark = data;

  g_free ((char *) mark->text);
}

void
limner_canvas_set_review_marks (LimnerCanvas            *self,
                                const LimnerOverlayMark *marks,
                                guint                    n_marks)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));
  g_return_if_fail (marks != NULL || n_marks == 0);

  if (n_marks == 0 && (self->marks == NULL || self->marks->len == 0))
    return;
  if (self->marks == NULL)
    {
      self->marks = g_array_new (FALSE, FALSE, sizeof (LimnerOverlayMark));
      g_array_set_clear_func (self->marks, clear_mark);
    }
  g_array_set_size (self->marks, 0);
  for (guint i = 0; i < n_marks; i++)
    {
      LimnerOverlayMark copy = marks[i];

      copy.text = g_strdup (marks[i].text);
      g_array_append_val (self->marks, copy);
    }
  limner_canvas_drop_overlay (self);
}

guint
limner_canvas_get_n_review_marks (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), 0);

  return self->marks != NULL ? self->marks->len : 0;
}
