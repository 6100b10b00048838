/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-gold.h: scoring an annotator's shapes against a gold reference.
 *
 * Matching, per label: every pair of an annotator shape and a reference
 * shape with the same label_id and an IoU (limner-overlap.h, exact for boxes
 * and polygons) of at least `threshold` and above 0 is a candidate. The
 * candidates are taken greedily by descending IoU (ties: lower reference
 * index, then lower annotator index), each shape being matched at most once.
 * Greedy, as in COCO-style evaluation, is simple to explain to an annotator
 * ("your best-overlapping shape was paired first"); it can find fewer pairs
 * than an optimal assignment only when shapes on one side overlap each other
 * heavily, so that one shape clears the threshold with two partners.
 *
 *   true positives  tp = matched pairs
 *   false positives fp = annotator shapes left unmatched
 *   false negatives fn = reference shapes left unmatched
 *   precision = tp / (tp + fp), or 1 when tp + fp = 0 (nothing drawn, so
 *               nothing drawn wrong)
 *   recall    = tp / (tp + fn), or 1 when tp + fn = 0 (nothing to find)
 *   mean IoU  = iou_sum / tp over the matched pairs, or 0 when tp = 0
 *
 * Scores add up: sum tp, fp, fn and iou_sum over images, then
 * limner_gold_score_finish() gives the totals' ratios.
 */
#pragma once

#include <glib.h>

#include "limner-geometry.h"

G_BEGIN_DECLS

/* The lead's IoU threshold unless set. */
#define LIMNER_GOLD_DEFAULT_THRESHOLD 0.5

/* A borrowed view of one shape: `points` (x/y pairs) stays owned by the
 * caller. A box has exactly 2 corners, a polygon >= 3 vertices. */
typedef struct {
  gint64           label_id;
  LimnerShapeKind  kind;
  const double    *points;
  guint            n_points;
} LimnerGoldShape;

typedef struct {
  guint  tp;
  guint  fp;
  guint  fn;
  double iou_sum;   /* sum of the IoU of the matched pairs */
  double precision;
  double recall;
  double mean_iou;
} LimnerGoldScore;

/* One matched pair: indices into the two input arrays. */
typedef struct {
  guint  annotator_index;
  guint  reference_index;
  double iou;
} LimnerGoldMatch;

/* A view of a store shape (no copy: valid while `shape` is). */
LimnerGoldShape limner_gold_shape_from_shape (const LimnerShape *shape);

/* IoU of two shapes; 0 when their labels differ. */
double   limner_gold_shape_iou (const LimnerGoldShape *a,
                                const LimnerGoldShape *b);

/* Matches `annotator` against `reference` as described at the top of this
 * file and fills `out_score`. When `out_matches` is not NULL it receives a
 * new GArray of LimnerGoldMatch in the order the pairs were taken (IoU
 * descending). `threshold` must be in [0, 1]. */
void     limner_gold_score (const LimnerGoldShape *annotator,
                            guint                  n_annotator,
                            const LimnerGoldShape *reference,
                            guint                  n_reference,
                            double                 threshold,
                            LimnerGoldScore       *out_score,
                            GArray               **out_matches);

/* Adds the counts and iou_sum of `other` to `total`, then finishes it. */
void     limner_gold_score_add    (LimnerGoldScore       *total,
                                   const LimnerGoldScore *other);
/* Computes precision, recall and mean IoU from tp, fp, fn and iou_sum. */
void     limner_gold_score_finish (LimnerGoldScore *score);

G_END_DECLS
