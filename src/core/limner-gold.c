/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-gold.h"
#include "limner-overlap.h"

LimnerGoldShape
limner_gold_shape_from_shape (const LimnerShape *shape)
{
  LimnerGoldShape view = { 0, LIMNER_SHAPE_POLYGON, NULL, 0 };

  g_return_val_if_fail (shape != NULL, view);

  view.label_id = shape->label_id;
  view.kind = shape->kind;
  if (shape->points != NULL)
    {
      view.points = (const double *) shape->points->data;
      view.n_points = shape->points->len / 2;
    }
  return view;
}

double
limner_gold_shape_iou (const LimnerGoldShape *a,
                       const LimnerGoldShape *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  if (a->label_id != b->label_id)
    return 0.0;
  if (a->kind == LIMNER_SHAPE_BOX && a->n_points != 2)
    return 0.0;
  if (b->kind == LIMNER_SHAPE_BOX && b->n_points != 2)
    return 0.0;
  return limner_overlap_iou (a->points, a->n_points, a->kind == LIMNER_SHAPE_BOX,
                             b->points, b->n_points, b->kind == LIMNER_SHAPE_BOX);
}

static int
compare_candidates (gconstpointer pa,
                    gconstpointer pb)
{
  const LimnerGoldMatch *a = pa;
  const LimnerGoldMatch *b = pb;

  if (a->iou != b->iou)
    return a->iou > b->iou ? -1 : 1;
  if (a->reference_index != b->reference_index)
    return a->reference_index < b->reference_index ? -1 : 1;
  if (a->annotator_index != b->annotator_index)
    return a->annotator_index < b->annotator_index ? -1 : 1;
  return 0;
}

void
limner_gold_score_finish (LimnerGoldScore *score)
{
  g_return_if_fail (score != NULL);

  score->precision = score->tp + score->fp == 0 ? 1.0
                     : (double) score->tp / (score->tp + score->fp);
  score->recall = score->tp + score->fn == 0 ? 1.0
                  : (double) score->tp / (score->tp + score->fn);
  score->mean_iou = score->tp == 0 ? 0.0 : score->iou_sum / score->tp;
}

void
limner_gold_score_add (LimnerGoldScore       *total,
                       const LimnerGoldScore *other)
{
  g_return_if_fail (total != NULL && other != NULL);

  total->tp += other->tp;
  total->fp += other->fp;
  total->fn += other->fn;
  total->iou_sum += other->iou_sum;
  limner_gold_score_finish (total);
}

void
limner_gold_score (const LimnerGoldShape *annotator,
                   guint                  n_annotator,
                   const LimnerGoldShape *reference,
                   guint                  n_reference,
                   double                 threshold,
                   LimnerGoldScore       *out_score,
                   GArray               **out_matches)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (LimnerGoldMatch));
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (LimnerGoldMatch));
  g_autofree gboolean *annotator_used = g_new0 (gboolean, n_annotator + 1);
  g_autofree gboolean *reference_used = g_new0 (gboolean, n_reference + 1);
  LimnerGoldScore score = { 0 };

  g_return_if_fail (annotator != NULL || n_annotator == 0);
  g_return_if_fail (reference != NULL || n_reference == 0);
  g_return_if_fail (threshold >= 0.0 && threshold <= 1.0);
  g_return_if_fail (out_score != NULL);

  for (guint r = 0; r < n_reference; r++)
    for (guint a = 0; a < n_annotator; a++)
      {
        LimnerGoldMatch m = { a, r, 0.0 };

        if (annotator[a].label_id != reference[r].label_id)
          continue;
        m.iou = limner_gold_shape_iou (&annotator[a], &reference[r]);
        if (m.iou > 0.0 && m.iou >= threshold)
          g_array_append_val (candidates, m);
      }
  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len; i++)
    {
      const LimnerGoldMatch *m = &g_array_index (candidates, LimnerGoldMatch, i);

      if (annotator_used[m->annotator_index] || reference_used[m->reference_index])
        continue;
      annotator_used[m->annotator_index] = TRUE;
      reference_used[m->reference_index] = TRUE;
      g_array_append_val (matches, *m);
      score.tp++;
      score.iou_sum += m->iou;
    }
  score.fp = n_annotator - score.tp;
  score.fn = n_reference - score.tp;
  limner_gold_score_finish (&score);

  *out_score = score;
  if (out_matches != NULL)
    *out_matches = g_steal_pointer (&matches);
}
