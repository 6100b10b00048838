/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-qc.h: the auditable QC draw, fixed-size samples and Wilson intervals.
 *
 * Pure functions: no store, no SQL, no clock, no global random state. The
 * same inputs give the same outputs on every machine, so anyone can recompute
 * a recorded draw.
 *
 * THE TICKET. For a project seed S (a string without a newline), an image's
 * SHA-256 H (64 hex digits, lower-cased) and the image's submission count C
 * (1 for its first submission, 2 for the second, ...; decimal, no leading
 * zeros), the canonical message is the bytes
 *
 *   "limner-qc-v1\n" S "\n" H "\n" C "\n"
 *
 * Its SHA-256 digest's first 8 bytes, read as a big-endian unsigned 64-bit
 * integer B, give the ticket B / 2^64, truncated to the 53 bits a double holds
 * (ticket = floor (B / 2^11) / 2^53), so that it always lies in [0, 1). The
 * image is drawn for review when ticket < rate. To recompute one by hand:
 *
 *   printf 'limner-qc-v1\n%s\n%s\n%s\n' SEED SHA256 COUNT | sha256sum
 *
 * and take the first 16 hex digits as B.
 *
 * THE SAMPLE. A fixed-size sample of N images out of a list ranks each image
 * by the SHA-256 digest of "limner-sample-v1\n" S "\n" H "\n" (S the sample
 * seed, H the image's lower-cased SHA-256), compared as 32 bytes in memcmp()
 * order, and takes the N smallest. The list's order does not matter.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The project sample rate unless a lead sets another. */
#define LIMNER_QC_DEFAULT_RATE 0.10

/* z for a two-sided 95 % interval. */
#define LIMNER_QC_WILSON_Z 1.959964

/* The canonical message of the ticket (see the top of this file), newly
 * allocated. `seed` must not contain a newline; `image_sha256` must be 64 hex
 * digits (either case; the message holds them lower-cased). */
char    *limner_qc_ticket_message (const char *seed,
                                   const char *image_sha256,
                                   guint64     submission_count);
/* B: the first 8 bytes of SHA-256 (message), big-endian. */
guint64  limner_qc_ticket_bits    (const char *seed,
                                   const char *image_sha256,
                                   guint64     submission_count);
/* The ticket in [0, 1): floor (B / 2^11) / 2^53. */
double   limner_qc_ticket         (const char *seed,
                                   const char *image_sha256,
                                   guint64     submission_count);
/* TRUE when `ticket` < `rate`. A rate <= 0 never draws; a rate >= 1 always
 * draws. */
gboolean limner_qc_is_drawn       (double ticket,
                                   double rate);

#define LIMNER_QC_ERROR (limner_qc_error_quark ())
GQuark limner_qc_error_quark (void);

typedef enum {
  LIMNER_QC_ERROR_TICKET_MISMATCH,   /* the recorded ticket is not the recomputed one */
  LIMNER_QC_ERROR_DECISION_MISMATCH, /* drawn or not, against ticket < rate */
} LimnerQcError;

/* Audits one recorded draw: recomputes the ticket from `seed`, `image_sha256`
 * and `submission_count` and checks that it equals `recorded_ticket` exactly
 * (a double stored as SQLite REAL or printed with %.17g round-trips), then
 * that `recorded_drawn` equals limner_qc_is_drawn (ticket, `rate`). On a
 * mismatch, fails with a message naming `image_name` (its path or id, as
 * the caller shows images). */
gboolean limner_qc_audit_draw     (const char  *seed,
                                   const char  *image_sha256,
                                   guint64      submission_count,
                                   double       recorded_ticket,
                                   double       rate,
                                   gboolean     recorded_drawn,
                                   const char  *image_name,
                                   GError     **error);

/* A lead's per-annotator override: `rate` for the annotator's first
 * `first_n` submitted images, then the project rate; first_n = 0 means
 * `rate` for every image. */
typedef struct {
  double rate;
  guint  first_n;
} LimnerQcOverride;

/* The rate that applies to an annotator's next submission, given how many
 * distinct images they had submitted before it (`n_submitted_before`, so 0
 * for their first image). `override` may be NULL (no override): then, and
 * once n_submitted_before >= override->first_n > 0, it is `project_rate`.
 * A resubmitted rejected image is not drawn at all (it goes straight back to
 * review), so callers do not ask for its rate. */
double   limner_qc_rate_for       (double                  project_rate,
                                   const LimnerQcOverride *override,
                                   guint                   n_submitted_before);

/* The fixed-size sample: indices into `image_sha256s` (n_images entries of 64
 * hex digits) of the min (count, n_images) images with the smallest rank (see
 * the top of this file), smallest rank first, as a GArray of guint. Only
 * identical hashes tie; they keep their input order. `seed` must not contain
 * a newline. Returns NULL, with a critical warning, when an entry is not a
 * SHA-256 hex digest. */
GArray  *limner_qc_sample         (const char         *seed,
                                   const char * const *image_sha256s,
                                   guint               n_images,
                                   guint               count);

/* A 95 % Wilson score interval for `successes` out of `trials`. With
 * p = k / n and z = LIMNER_QC_WILSON_Z:
 *   centre = (p + z^2 / 2n) / (1 + z^2 / n)
 *   half   = z / (1 + z^2 / n) * sqrt (p (1 - p) / n + z^2 / 4n^2)
 *   low    = centre - half, high = centre + half (clamped to [0, 1]).
 * When n = 0 there is no estimate: p = 0, low = 0, high = 1, half = 0.5. */
typedef struct {
  guint  successes;
  guint  trials;
  double p;          /* successes / trials, or 0 when trials = 0 */
  double low;
  double high;
  double half_width; /* (high - low) / 2 */
} LimnerWilson;

LimnerWilson limner_qc_wilson (guint successes,
                               guint trials);

/* The Wilson half-width above for a rate p over n trials, with p fixed
 * (p need not be k / n for an integer k). n = 0 gives 0.5. */
double   limner_qc_wilson_half_width (double p,
                                      guint  n);

/* How many more reviews would narrow the interval to +/- `half_width`
 * (0.05 for five points): the smallest m >= 0 such that
 * limner_qc_wilson_half_width (p, trials + m) <= half_width, where p is the
 * observed rate successes / trials, or 0.5 (the worst case) when trials = 0.
 * The half-width falls as n grows for any fixed p, so m is well defined.
 * `half_width` must be > 0. */
guint    limner_qc_reviews_needed (guint  successes,
                                   guint  trials,
                                   double half_width);

G_END_DECLS
