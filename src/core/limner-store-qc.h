/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-qc.h: quality control in the store: the QC settings, submit
 * with its auditable draw, the review queue and decisions (with marks and
 * the reviewer's corrections), gold images and their scores, moderation
 * counts and the outcome of model predictions. Part of the store module.
 *
 * SETTINGS (settings table; only a lead changes them):
 *   qc.rate               share of submissions drawn for review (0.10)
 *   qc.seed               the project's draw seed: a random non-negative
 *                         63-bit integer in decimal, made on the first submit
 *                         (63 bits so that SQLite keeps it as an INTEGER)
 *   gold.rate             share of an annotator's queue served as gold (0.05)
 *   gold.iou_threshold    IoU for a gold match (0.5)
 * and the table qc_overrides: per annotator {rate, first_n}
 * (limner_qc_rate_for()).
 *
 * SUBMIT. limner_store_submit() is the one call behind Ctrl+Enter and
 * `limner-cli submit`. For a normal image it records a qc_draws row
 * (seed, rate, ticket, drawn, login, ts, submission = how many times the
 * image was submitted, counting this one, and reason "draw") and leaves
 * the image in_review when drawn, submitted (done) otherwise; the ticket
 * is limner_qc_ticket (seed, image sha256, submission). A resubmitted
 * rejected image (one with more reject decisions than "resubmit" rows) goes
 * straight back to in_review: its row has reason "resubmit", drawn = 1 and
 * the ticket of its submission count, which the audit recomputes too,
 * unless the rate that applies is 0: a lead who turns review off gets none.
 * The submitted shapes are kept (submitted_shapes) so that a reviewer's
 * later edits can be listed as corrections.
 *
 * GOLD. A gold image has reference shapes (the demo writes them; marking
 * an accepted image gold copies its shapes into the reference and gives
 * the image back as new, without shapes). The queue hides gold images
 * (claim_next skips them) and limner_queue_next() serves one at gold.rate.
 * Submitting a gold image scores the annotator's shapes against the
 * reference at once (limner_gold_score, gold.iou_threshold), stores the
 * score (gold_scores) and the attempt's shapes (gold_attempt_shapes), logs
 * "gold.score", removes the attempt from the image and returns it to new:
 * a gold image never carries an annotator's work into a dataset, and
 * published versions exclude gold images altogether.
 *
 * PREDICTIONS. Every shape stored with source "prediction" is copied, as
 * stored, into prediction_baseline by a trigger. On images past submission
 * (submitted, in_review, accepted), per label: kept = the prediction is
 * still there unchanged (label, kind, points); corrected = still there but
 * changed; deleted = gone; missed = a shape on an image with predictions
 * that is not a prediction. precision = (kept + corrected) / (kept +
 * corrected + deleted), recall = (kept + corrected) / (kept + corrected +
 * missed): a corrected prediction found a real object, with a poor outline
 * or label.
 *
 * A local SQLite file cannot stop someone who edits it with another tool:
 * the audit (limner_store_audit_draws) is how a lead finds out.
 */
#pragma once

#include "limner-gold.h"
#include "limner-qc.h"
#include "limner-store.h"

G_BEGIN_DECLS

/* The schema migration of this module (1 -> 2), for the store's array. */
#define LIMNER_STORE_QC_MIGRATION \
  "ALTER TABLE qc_draws ADD COLUMN submission INTEGER NOT NULL DEFAULT 1;" \
  "ALTER TABLE qc_draws ADD COLUMN reason TEXT NOT NULL DEFAULT 'draw';" \
  "CREATE INDEX qc_draws_image ON qc_draws(image_id, id);" \
  "ALTER TABLE review_marks ADD COLUMN kind TEXT;" \
  "ALTER TABLE review_marks ADD COLUMN x REAL;" \
  "ALTER TABLE review_marks ADD COLUMN y REAL;" \
  "CREATE TABLE qc_overrides (" \
  "  login TEXT PRIMARY KEY," \
  "  rate REAL NOT NULL CHECK (rate >= 0 AND rate <= 1)," \
  "  first_n INTEGER NOT NULL DEFAULT 0 CHECK (first_n >= 0)" \
  ");" \
  "CREATE TABLE gold_images (" \
  "  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE," \
  "  marked_by TEXT NOT NULL," \
  "  marked_at INTEGER NOT NULL" \
  ");" \
  "CREATE TABLE gold_scores (" \
  "  id INTEGER PRIMARY KEY," \
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE," \
  "  annotator TEXT NOT NULL," \
  "  threshold REAL NOT NULL," \
  "  tp INTEGER NOT NULL, fp INTEGER NOT NULL, fn INTEGER NOT NULL," \
  "  iou_sum REAL NOT NULL," \
  "  created_at INTEGER NOT NULL" \
  ");" \
  "CREATE TABLE gold_attempt_shapes (" \
  "  score_id INTEGER NOT NULL REFERENCES gold_scores(id) ON DELETE CASCADE," \
  "  label_id INTEGER," \
  "  kind TEXT NOT NULL," \
  "  points BLOB NOT NULL" \
  ");" \
  "CREATE TABLE submitted_shapes (" \
  "  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE," \
  "  shape_id INTEGER NOT NULL," \
  "  label_id INTEGER," \
  "  kind TEXT NOT NULL," \
  "  points BLOB NOT NULL," \
  "  author TEXT NOT NULL," \
  "  PRIMARY KEY (image_id, shape_id)" \
  ");" \
  "CREATE TABLE review_corrections (" \
  "  id INTEGER PRIMARY KEY," \
  "  review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE," \
  "  image_id INTEGER NOT NULL," \
  "  shape_id INTEGER NOT NULL," \
  "  change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'deleted'))," \
  "  label_id INTEGER," \
  "  points_before BLOB," \
  "  reviewer TEXT NOT NULL" \
  ");" \
  "CREATE TABLE prediction_baseline (" \
  "  shape_id INTEGER PRIMARY KEY," \
  "  image_id INTEGER NOT NULL," \
  "  label_id INTEGER," \
  "  kind TEXT NOT NULL," \
  "  points BLOB NOT NULL," \
  "  score REAL NOT NULL" \
  ");" \
  "CREATE TRIGGER prediction_baseline_insert AFTER INSERT ON shapes WHEN NEW.source = 'prediction'" \
  "  BEGIN INSERT OR IGNORE INTO prediction_baseline VALUES" \
  "    (NEW.id, NEW.image_id, NEW.label_id, NEW.kind, NEW.points, NEW.score); END;"

/* claim_next() skips gold images except one the acting user (?1) holds. */
#define LIMNER_STORE_QC_NOT_GOLD_FOR_1 \
  "(id NOT IN (SELECT image_id FROM gold_images) OR (status = 'in_progress' AND assignee = ?1))"

#define LIMNER_GOLD_DEFAULT_RATE 0.05

/* Settings. The getters fall back to the defaults. */
double       limner_store_qc_get_rate (LimnerStore *store);
gboolean     limner_store_qc_set_rate (LimnerStore  *store,
                                       double        rate,
                                       GError      **error); /* lead */
/* The project seed, made (and stored) when there is none yet. */
char        *limner_store_qc_dup_seed (LimnerStore  *store,
                                       GError      **error);
/* Sets an annotator's override; a negative rate removes it. */
gboolean     limner_store_qc_set_override (LimnerStore  *store,
                                           const char   *login,
                                           double        rate,
                                           guint         first_n,
                                           GError      **error); /* lead */
gboolean     limner_store_qc_get_override (LimnerStore      *store,
                                           const char       *login,
                                           LimnerQcOverride *out);
double       limner_store_gold_get_rate (LimnerStore *store);
double       limner_store_gold_get_threshold (LimnerStore *store);
gboolean     limner_store_gold_set_rate (LimnerStore  *store,
                                         double        rate,
                                         GError      **error); /* lead */
gboolean     limner_store_gold_set_threshold (LimnerStore  *store,
                                              double        threshold,
                                              GError      **error); /* lead */

/* Submitting. */
typedef struct {
  LimnerImageStatus status;      /* afterwards: submitted, in_review or (gold) new */
  gboolean          drawn;
  gboolean          resubmitted; /* back to review without a draw */
  gboolean          gold;        /* scored, not drawn; `gold_score` is set */
  guint             submission;  /* 1 for the first submission */
  double            rate;
  double            ticket;
  LimnerGoldScore   gold_score;
} LimnerSubmitResult;

/* Submits `image_id` as the acting user: an annotator who does not hold it
 * claims it first, a lead takes it in progress first; someone else's image
 * fails with LIMNER_STORE_ERROR_CONFLICT. Then the draw, or the gold score,
 * as described at the top of this file. All in one transaction: it cannot
 * run inside a batch. `out` may be NULL. */
gboolean     limner_store_submit (LimnerStore         *store,
                                  gint64               image_id,
                                  LimnerSubmitResult  *out,
                                  GError             **error);

/* The recorded draws. */
typedef struct {
  gint64   id;
  gint64   image_id;
  char    *image_path;
  char    *image_sha256;
  char    *seed;        /* decimal */
  double   rate;
  double   ticket;
  gboolean drawn;
  guint    submission;
  char    *reason;      /* "draw" or "resubmit" */
  char    *login;
  gint64   ts;          /* unix microseconds */
} LimnerQcDraw;

void limner_qc_draw_free (LimnerQcDraw *draw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerQcDraw, limner_qc_draw_free)

/* Of LimnerQcDraw, oldest first; image_id 0 = every image. */
GPtrArray   *limner_store_list_draws (LimnerStore  *store,
                                      gint64        image_id,
                                      GError      **error);
/* Recomputes every recorded draw (limner_qc_audit_draw; a "resubmit" row
 * must have drawn = 1) and fails with LIMNER_QC_ERROR naming the first image
 * whose ticket or decision does not match. `n_checked` may be NULL. */
gboolean     limner_store_audit_draws (LimnerStore  *store,
                                       guint        *n_checked,
                                       GError      **error);
/* A fixed-size sample (limner_qc_sample) of the submitted images (those
 * submitted, in review or accepted), as a GArray of gint64 image ids. */
GArray      *limner_store_review_sample (LimnerStore  *store,
                                         const char   *seed,
                                         guint         count,
                                         GError      **error);

/* The review queue: images in review, oldest submission first. */
typedef struct {
  gint64  image_id;
  char   *path;
  char   *author;        /* who submitted it, or NULL */
  gint64  submitted_at;  /* unix microseconds of the last draw row */
  gint64  seconds_spent; /* first claim by the author to submission; -1 if unknown */
  guint   n_shapes;
} LimnerReviewItem;

void limner_review_item_free (LimnerReviewItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimnerReviewItem, limner_review_item_free)

GPtrArray   *limner_store_review_queue (LimnerStore  *store,
                                        GError      **error);

typedef enum {
  LIMNER_REVIEW_ACCEPT,
  LIMNER_REVIEW_REJECT,
  LIMNER_REVIEW_FIX,
} LimnerReviewDecision;

typedef enum {
  LIMNER_MARK_WRONG_LABEL,
  LIMNER_MARK_LOOSE_OUTLINE,
  LIMNER_MARK_MISSING_OBJECT,
  LIMNER_MARK_EXTRA_OBJECT,
} LimnerMarkKind;

/* A mark on a shape (shape_id > 0), or on a point where an object was
 * missed (shape_id = 0, kind missing-object, x and y in image pixels). */
typedef struct {
  gint64         shape_id;
  LimnerMarkKind kind;
  double         x;
  double         y;
} LimnerReviewMark;

const char *limner_review_decision_to_string (LimnerReviewDecision decision);
gboolean    limner_review_decision_from_string (const char *str, LimnerReviewDecision *out);
const char *limner_mark_kind_to_string (LimnerMarkKind kind);
gboolean    limner_mark_kind_from_string (const char *str, LimnerMarkKind *out);

/* Decides a review of an image in review (or submitted) as the acting
 * reviewer. Reject sends the image back to its annotator (rejected,
 * assigned to them); accept and fix make it accepted. With accept and fix,
 * every difference between the submitted shapes and the shapes now on the
 * image is recorded as a correction of this review, and changed or added
 * shapes are attributed to the reviewer; an accept with corrections is
 * recorded as a fix (the GUI's "edit, then A"). Marks name shapes of the
 * image.
 * Returns the review id, or 0 on error. */
gint64       limner_store_decide (LimnerStore             *store,
                                  gint64                   image_id,
                                  LimnerReviewDecision     decision,
                                  const char              *comment,
                                  const LimnerReviewMark  *marks,
                                  guint                    n_marks,
                                  GError                 **error); /* reviewer */

typedef struct {
  gint64  review_id;
  gint64  shape_id;
  char   *change;    /* "added", "changed" or "deleted" */
  gint64  label_id;  /* before the change (after it for "added"); 0 = none */
  char   *reviewer;
} LimnerCorrection;

void limner_correction_free (LimnerCorrection *correction);

/* The reviewers' corrections of an image, oldest first. */
GPtrArray   *limner_store_list_corrections (LimnerStore  *store,
                                            gint64        image_id,
                                            GError      **error);

/* The marks of a review, in the order given (of LimnerReviewMark, g_free). */
GPtrArray   *limner_store_list_review_marks (LimnerStore  *store,
                                             gint64        review_id,
                                             GError      **error);

/* Gold. set_gold() needs reference shapes or an accepted image. */
gboolean     limner_store_set_gold (LimnerStore  *store,
                                    gint64        image_id,
                                    gboolean      gold,
                                    GError      **error); /* lead */
gboolean     limner_store_is_gold (LimnerStore *store,
                                   gint64       image_id);
/* A gold image new and never attempted by the acting user, or 0; 0 too
 * while the acting user holds an image in progress (their work first). */
gint64       limner_store_next_gold_for_me (LimnerStore  *store,
                                            GError      **error);
/* How many images the acting user has submitted (gold included). */
guint        limner_store_count_my_submissions (LimnerStore *store);

typedef struct {
  gint64           id;
  gint64           image_id;
  char            *annotator;
  double           threshold;
  LimnerGoldScore  score;
  gint64           created_at; /* unix seconds */
} LimnerGoldScoreRecord;

void limner_gold_score_record_free (LimnerGoldScoreRecord *record);

GPtrArray   *limner_store_list_gold_scores (LimnerStore  *store,
                                            GError      **error);

/* Moderation counts, per annotator. A review counts when it matches every
 * filter given: created between `from` and `to` (unix seconds, 0 = no
 * bound), by `reviewer`, of `annotator`'s work, on an image with a shape
 * of `label`, on an image whose status is now `status` (-1 = any). Waiting
 * images (in review now) take the annotator, label and status filters. */
typedef struct {
  gint64      from;
  gint64      to;
  const char *annotator;
  const char *reviewer;
  const char *label;
  int         status;
} LimnerQcFilter;

typedef struct {
  char  *annotator;
  guint  waiting;
  guint  accepted;
  guint  rejected;
  guint  fixed;
} LimnerQcCounts;

void limner_qc_counts_free (LimnerQcCounts *counts);

/* Of LimnerQcCounts, by annotator login. The acceptance rate is accepted
 * out of accepted + rejected + fixed (a fixed image did not pass as
 * submitted). */
GPtrArray   *limner_store_qc_counts (LimnerStore           *store,
                                     const LimnerQcFilter  *filter,
                                     GError               **error);

typedef struct {
  gint64  label_id;
  char   *label;
  guint   kept;
  guint   corrected;
  guint   deleted;
  guint   missed;
  double  precision; /* 1 when nothing was predicted */
  double  recall;    /* 1 when nothing was there to find */
} LimnerPredictionOutcome;

void limner_prediction_outcome_free (LimnerPredictionOutcome *outcome);

/* The predictions of an image as they were imported (of LimnerShape, source
 * prediction, with their score; id = the shape's id then). */
GPtrArray   *limner_store_list_prediction_baseline (LimnerStore  *store,
                                                    gint64        image_id,
                                                    GError      **error);

/* Per label, by label position (see the top of this file). */
GPtrArray   *limner_store_prediction_outcomes (LimnerStore  *store,
                                               GError      **error);

G_END_DECLS
