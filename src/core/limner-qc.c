/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "limner-qc.h"

G_DEFINE_QUARK (limner-qc-error-quark, limner_qc_error)

static gboolean
is_sha256_hex (const char *hex)
{
  if (hex == NULL || strlen (hex) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (hex[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_seed (const char *seed)
{
  return seed != NULL && strchr (seed, '\n') == NULL;
}

static void
digest (const char *message,
        guint8      out[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (checksum, (const guchar *) message, strlen (message));
  g_checksum_get_digest (checksum, out, &len);
  g_assert (len == 32);
}

char *
limner_qc_ticket_message (const char *seed,
                          const char *image_sha256,
                          guint64     submission_count)
{
  g_return_val_if_fail (is_seed (seed), NULL);
  g_return_val_if_fail (is_sha256_hex (image_sha256), NULL);

  g_autofree char *hex = g_ascii_strdown (image_sha256, -1);

  return g_strdup_printf ("limner-qc-v1\n%s\n%s\n%" G_GUINT64_FORMAT "\n",
                          seed, hex, submission_count);
}

guint64
limner_qc_ticket_bits (const char *seed,
                       const char *image_sha256,
                       guint64     submission_count)
{
  g_autofree char *message = limner_qc_ticket_message (seed, image_sha256,
                                                       submission_count);
  guint8 d[32];
  guint64 bits = 0;

  g_return_val_if_fail (message != NULL, 0);

  digest (message, d);
  for (guint i = 0; i < 8; i++)
    bits = (bits << 8) | d[i];
  return bits;
}

double
limner_qc_ticket (const char *seed,
                  const char *image_sha256,
                  guint64     submission_count)
{
  guint64 bits = limner_qc_ticket_bits (seed, image_sha256, submission_count);

  /* B / 2^64 as a double could round up to 1.0; 53 bits never do. */
  return ldexp ((double) (bits >> 11), -53);
}

gboolean
limner_qc_is_drawn (double ticket,
                    double rate)
{
  return ticket < rate;
}

gboolean
limner_qc_audit_draw (const char  *seed,
                      const char  *image_sha256,
                      guint64      submission_count,
                      double       recorded_ticket,
                      double       rate,
                      gboolean     recorded_drawn,
                      const char  *image_name,
                      GError     **error)
{
  double ticket;

  g_return_val_if_fail (is_seed (seed), FALSE);
  g_return_val_if_fail (is_sha256_hex (image_sha256), FALSE);
  g_return_val_if_fail (image_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ticket = limner_qc_ticket (seed, image_sha256, submission_count);
  if (ticket != recorded_ticket)
    {
      g_set_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_TICKET_MISMATCH,
                   _("The review draw of image “%s” (submission %" G_GUINT64_FORMAT ") recorded ticket %.17g, but its seed and hash give %.17g."),
                   image_name, submission_count, recorded_ticket, ticket);
      return FALSE;
    }
  if (!recorded_drawn != !limner_qc_is_drawn (ticket, rate))
    {
      g_set_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_DECISION_MISMATCH,
                   recorded_drawn
                   ? _("Image “%s” was sent to review with ticket %.6f, which is not below its rate %.6f.")
                   : _("Image “%s” was not sent to review, though its ticket %.6f is below its rate %.6f."),
                   image_name, ticket, rate);
      return FALSE;
    }
  return TRUE;
}

double
limner_qc_rate_for (double                  project_rate,
                    const LimnerQcOverride *override,
                    guint                   n_submitted_before)
{
  if (override == NULL)
    return project_rate;
  if (override->first_n == 0 || n_submitted_before < override->first_n)
    return override->rate;
  return project_rate;
}

typedef struct {
  guint8 rank[32];
  guint  index;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *ra = a;
  const Ranked *rb = b;
  int c = memcmp (ra->rank, rb->rank, sizeof ra->rank);

  if (c != 0)
    return c;
  return ra->index < rb->index ? -1 : ra->index > rb->index;
}

GArray *
limner_qc_sample (const char         *seed,
                  const char * const *image_sha256s,
                  guint               n_images,
                  guint               count)
{
  g_return_val_if_fail (is_seed (seed), NULL);
  g_return_val_if_fail (image_sha256s != NULL || n_images == 0, NULL);

  g_autofree Ranked *ranked = g_new0 (Ranked, MAX (n_images, 1));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_images; i++)
    {
      if (!is_sha256_hex (image_sha256s[i]))
        {
          g_critical ("limner_qc_sample: item %u is not a SHA-256 hex digest", i);
          g_array_unref (out);
          return NULL;
        }
      g_autofree char *hex = g_ascii_strdown (image_sha256s[i], -1);
      g_autofree char *message = g_strdup_printf ("limner-sample-v1\n%s\n%s\n", seed, hex);

      digest (message, ranked[i].rank);
      ranked[i].index = i;
    }
  qsort (ranked, n_images, sizeof (Ranked), compare_ranked);
  for (guint i = 0; i < MIN (count, n_images); i++)
    g_array_append_val (out, ranked[i].index);
  return out;
}

double
limner_qc_wilson_half_width (double p,
                             guint  n)
{
  const double z = LIMNER_QC_WILSON_Z;
  double nn = n;

  if (n == 0)
    return 0.5;
  return z / (1.0 + z * z / nn) * sqrt (p * (1.0 - p) / nn + z * z / (4.0 * nn * nn));
}

LimnerWilson
limner_qc_wilson (guint successes,
                  guint trials)
{
  const double z = LIMNER_QC_WILSON_Z;
  LimnerWilson w = { successes, trials, 0.0, 0.0, 1.0, 0.5 };
  double n = trials;
  double centre;
  double half;

  g_return_val_if_fail (successes <= trials, w);

  if (trials == 0)
    return w;
  w.p = successes / n;
  centre = (w.p + z * z / (2.0 * n)) / (1.0 + z * z / n);
  half = limner_qc_wilson_half_width (w.p, trials);
  w.low = MAX (0.0, centre - half);
  w.high = MIN (1.0, centre + half);
  w.half_width = (w.high - w.low) / 2.0;
  return w;
}

guint
limner_qc_reviews_needed (guint  successes,
                          guint  trials,
                          double half_width)
{
  double p;
  guint64 lo;
  guint64 hi;

  g_return_val_if_fail (successes <= trials, 0);
  g_return_val_if_fail (half_width > 0.0, 0);

  p = trials == 0 ? 0.5 : (double) successes / trials;
  if (limner_qc_wilson_half_width (p, trials) <= half_width)
    return 0;

  /* The half-width falls monotonically with n: bracket, then bisect. */
  lo = trials;
  hi = MAX ((guint64) trials, 1) * 2;
  while (limner_qc_wilson_half_width (p, (guint) MIN (hi, G_MAXUINT)) > half_width)
    {
      lo = hi;
      if (hi >= G_MAXUINT)
        return G_MAXUINT - trials;
      hi *= 2;
    }
  hi = MIN (hi, G_MAXUINT);
  /* Invariant: half (lo) > half_width >= half (hi). */
  while (hi - lo > 1)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (limner_qc_wilson_half_width (p, (guint) mid) <= half_width)
        hi = mid;
      else
        lo = mid;
    }
  return (guint) (hi - trials);
}
