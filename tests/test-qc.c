/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "limner-qc.h"

/* SHA-256 of the empty string: a valid image hash anyone can check. */
#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Independently, in a shell:
 *   printf 'limner-qc-v1\nproject-seed-42\n%s\n1\n' e3b0...b855 | sha256sum
 *   -> dcea3d7a8f7b005f76b2da184ec0eff90ba6169f8fa4064feb54a5310d6c2b5 (first
 *      16 digits dcea3d7a8f7b005f = 15918603429496946783)
 *   ticket = floor (15918603429496946783 / 2^11) / 2^53 = 0.8629492210597896 */
static void
test_ticket_known (void)
{
  g_autofree char *message = limner_qc_ticket_message ("project-seed-42", EMPTY_SHA, 1);
  g_autofree char *own = NULL;
  guint64 bits = limner_qc_ticket_bits ("project-seed-42", EMPTY_SHA, 1);
  char prefix[17];
  double ticket;

  g_assert_cmpstr (message, ==, "limner-qc-v1\nproject-seed-42\n" EMPTY_SHA "\n1\n");
  g_assert_cmpuint (bits, ==, G_GUINT64_CONSTANT (0xdcea3d7a8f7b005f));

  /* The formula by a second route: hash the literal message ourselves. */
  own = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                       "limner-qc-v1\nproject-seed-42\n" EMPTY_SHA "\n1\n", -1);
  memcpy (prefix, own, 16);
  prefix[16] = '\0';
  g_assert_cmpuint (g_ascii_strtoull (prefix, NULL, 16), ==, bits);

  ticket = limner_qc_ticket ("project-seed-42", EMPTY_SHA, 1);
  g_assert_cmpfloat_with_epsilon (ticket, 0.8629492210597896, 1e-15);
  g_assert_cmpfloat (ticket, ==, ldexp ((double) (bits >> 11), -53));
  g_assert_true (limner_qc_is_drawn (ticket, 0.9));
  g_assert_false (limner_qc_is_drawn (ticket, 0.8));
}

/* The audit recomputes the known ticket above: drawn at rate 0.9, not at
 * 0.8; a ticket one unit in the last place off, or a wrong decision, fails
 * naming the image. */
static void
test_audit (void)
{
  double ticket = limner_qc_ticket ("project-seed-42", EMPTY_SHA, 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 1, ticket, 0.9, TRUE,
                                       "a.png", &error));
  g_assert_no_error (error);
  g_assert_true (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 1, ticket, 0.8, FALSE,
                                       "a.png", &error));
  g_assert_no_error (error);

  g_assert_false (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 1, nextafter (ticket, 1.0),
                                        0.9, TRUE, "a.png", &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_TICKET_MISMATCH);
  g_assert_nonnull (strstr (error->message, "a.png"));
  g_clear_error (&error);

  /* Another submission count is another ticket. */
  g_assert_false (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 2, ticket, 0.9, TRUE,
                                        "a.png", &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_TICKET_MISMATCH);
  g_clear_error (&error);

  g_assert_false (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 1, ticket, 0.8, TRUE,
                                        "b.png", &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_DECISION_MISMATCH);
  g_assert_nonnull (strstr (error->message, "b.png"));
  g_clear_error (&error);
  g_assert_false (limner_qc_audit_draw ("project-seed-42", EMPTY_SHA, 1, ticket, 0.9, FALSE,
                                        "b.png", &error));
  g_assert_error (error, LIMNER_QC_ERROR, LIMNER_QC_ERROR_DECISION_MISMATCH);
}

static void
test_ticket_reproducible (void)
{
  g_autofree char *upper = g_ascii_strup (EMPTY_SHA, -1);
  double a = limner_qc_ticket ("s", EMPTY_SHA, 3);

  g_assert_cmpfloat (a, ==, limner_qc_ticket ("s", EMPTY_SHA, 3));
  /* The hash is read case-insensitively. */
  g_assert_cmpfloat (a, ==, limner_qc_ticket ("s", upper, 3));
  /* Every input takes part. */
  g_assert_cmpfloat (a, !=, limner_qc_ticket ("s", EMPTY_SHA, 4));
  g_assert_cmpfloat (a, !=, limner_qc_ticket ("t", EMPTY_SHA, 3));
  g_assert_cmpfloat (a, >=, 0.0);
  g_assert_cmpfloat (a, <, 1.0);
}

/* 10,000 submissions at 10 %: the count drawn is binomial, mean 1000 and
 * sigma sqrt (10000 * 0.1 * 0.9) = 30, so it lies within 4 sigma: 880..1120. */
static void
test_observed_rate (void)
{
  guint drawn = 0;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%u", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);

      if (limner_qc_is_drawn (limner_qc_ticket ("rate-test", sha, 1), LIMNER_QC_DEFAULT_RATE))
        drawn++;
    }
  g_assert_cmpuint (drawn, >=, 880);
  g_assert_cmpuint (drawn, <=, 1120);
}

static void
test_rate_override (void)
{
  LimnerQcOverride newcomer = { 1.0, 50 };
  LimnerQcOverride always = { 0.25, 0 };

  g_assert_cmpfloat (limner_qc_rate_for (0.1, NULL, 0), ==, 0.1);
  g_assert_cmpfloat (limner_qc_rate_for (0.1, NULL, 500), ==, 0.1);
  /* 100 % for the first 50 images: indices 0..49, then the project rate. */
  g_assert_cmpfloat (limner_qc_rate_for (0.1, &newcomer, 0), ==, 1.0);
  g_assert_cmpfloat (limner_qc_rate_for (0.1, &newcomer, 49), ==, 1.0);
  g_assert_cmpfloat (limner_qc_rate_for (0.1, &newcomer, 50), ==, 0.1);
  g_assert_cmpfloat (limner_qc_rate_for (0.1, &always, 0), ==, 0.25);
  g_assert_cmpfloat (limner_qc_rate_for (0.1, &always, 100000), ==, 0.25);
  /* The edges of the rate. */
  g_assert_true (limner_qc_is_drawn (0.0, 1.0));
  g_assert_true (limner_qc_is_drawn (0.9999999, 1.0));
  g_assert_false (limner_qc_is_drawn (0.0, 0.0));
}

static char **
make_hashes (guint n)
{
  char **hashes = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("sample-%u", i);

      hashes[i] = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
    }
  return hashes;
}

static char *
rank_hex (const char *seed,
          const char *sha)
{
  g_autofree char *message = g_strdup_printf ("limner-sample-v1\n%s\n%s\n", seed, sha);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, message, -1);
}

static void
test_sample (void)
{
  g_auto(GStrv) hashes = make_hashes (100);
  g_autofree char **shuffled = g_new0 (char *, 101);
  g_autoptr(GArray) a = limner_qc_sample ("7", (const char * const *) hashes, 100, 10);
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) other = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  g_assert_cmpuint (a->len, ==, 10);

  /* Reverse, then shuffle: the same images come out in the same order. */
  for (guint i = 0; i < 100; i++)
    shuffled[i] = hashes[99 - i];
  for (guint i = 99; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1);
      char *t = shuffled[i];

      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
  b = limner_qc_sample ("7", (const char * const *) shuffled, 100, 10);
  g_assert_cmpuint (b->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpstr (hashes[g_array_index (a, guint, i)], ==,
                     shuffled[g_array_index (b, guint, i)]);

  /* By a second route: the ranks (lower-case hex sorts as the bytes do) of
   * the sample increase, and no image left out ranks below the last taken. */
  for (guint i = 1; i < 10; i++)
    {
      g_autofree char *prev = rank_hex ("7", hashes[g_array_index (a, guint, i - 1)]);
      g_autofree char *cur = rank_hex ("7", hashes[g_array_index (a, guint, i)]);

      g_assert_cmpint (strcmp (prev, cur), <, 0);
    }
  {
    g_autofree char *last = rank_hex ("7", hashes[g_array_index (a, guint, 9)]);
    guint below = 0;

    for (guint i = 0; i < 100; i++)
      {
        g_autofree char *r = rank_hex ("7", hashes[i]);

        if (strcmp (r, last) <= 0)
          below++;
      }
    g_assert_cmpuint (below, ==, 10);
  }

  /* Another seed, another sample. */
  other = limner_qc_sample ("8", (const char * const *) hashes, 100, 10);
  g_assert_false (memcmp (other->data, a->data, 10 * sizeof (guint)) == 0);

  /* Asking for more than there is gives everything. */
  all = limner_qc_sample ("7", (const char * const *) hashes, 100, 1000);
  g_assert_cmpuint (all->len, ==, 100);
}

/* The rank of EMPTY_SHA for seed "7", by hand:
 *   printf 'limner-sample-v1\n7\n%s\n' e3b0...b855 | sha256sum
 *   -> f967edfe0ad04fc77ec8a148081d0527a70087821724599d054a6321e935725e
 * It begins with f9, so against a hash whose rank begins with a lower digit
 * it comes second. */
static void
test_sample_known_rank (void)
{
  g_autofree char *r = rank_hex ("7", EMPTY_SHA);
  g_autofree char *other = NULL;
  const char *pair[2];
  g_autoptr(GArray) s = NULL;
  guint i = 0;

  g_assert_cmpstr (r, ==, "f967edfe0ad04fc77ec8a148081d0527a70087821724599d054a6321e935725e");
  /* Find a hash that ranks below it (most do: 15 in 16 start below 'f9'). */
  do
    {
      g_autofree char *name = g_strdup_printf ("x%u", i++);
      g_autofree char *rank = NULL;

      g_free (other);
      other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
      rank = rank_hex ("7", other);
      if (strcmp (rank, r) < 0)
        break;
    }
  while (TRUE);
  pair[0] = EMPTY_SHA;
  pair[1] = other;
  s = limner_qc_sample ("7", pair, 2, 1);
  g_assert_cmpuint (s->len, ==, 1);
  g_assert_cmpuint (g_array_index (s, guint, 0), ==, 1);
}

/* 8 successes out of 10, z = 1.959964, z^2 = 3.841459:
 *   p = 0.8, z^2/n = 0.3841459, 1 + z^2/n = 1.3841459
 *   centre = (0.8 + 0.1920729) / 1.3841459 = 0.716740
 *   half = 1.959964 / 1.3841459 * sqrt (0.016 + 0.0096036) = 0.226578
 *   -> [0.490162, 0.943318]
 * 0 out of 10: centre = 0.1920729 / 1.3841459 = 0.138766, half the same,
 *   -> [0, 0.277532]; 10 out of 10 mirrors it: [0.722468, 1]. */
static void
test_wilson (void)
{
  LimnerWilson w = limner_qc_wilson (8, 10);

  g_assert_cmpfloat_with_epsilon (w.p, 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (w.low, 0.490162, 1e-5);
  g_assert_cmpfloat_with_epsilon (w.high, 0.943318, 1e-5);
  g_assert_cmpfloat_with_epsilon (w.half_width, 0.226578, 1e-5);

  w = limner_qc_wilson (0, 10);
  g_assert_cmpfloat_with_epsilon (w.low, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.high, 0.277532, 1e-5);
  w = limner_qc_wilson (10, 10);
  g_assert_cmpfloat_with_epsilon (w.low, 0.722468, 1e-5);
  g_assert_cmpfloat_with_epsilon (w.high, 1.0, 1e-9);

  w = limner_qc_wilson (0, 0);
  g_assert_cmpuint (w.trials, ==, 0);
  g_assert_cmpfloat (w.low, ==, 0.0);
  g_assert_cmpfloat (w.high, ==, 1.0);
  g_assert_cmpfloat (w.half_width, ==, 0.5);
}

/* Half-width <= 0.05, by hand:
 *   n = 0, worst case p = 0.5: half = z / (2 sqrt (N + z^2)) <= 0.05
 *     <=> N >= 19.59964^2 - z^2 = 384.1459 - 3.8415 = 380.30 -> N = 381.
 *   0 out of 10, p = 0: half = z^2 / (2 (N + z^2)) <= 0.05
 *     <=> N >= 9 z^2 = 34.57 -> N = 35, so 25 more.
 *   8 out of 10, p = 0.8: z^2 (0.16 N + z^2/4) <= 0.0025 (N + z^2)^2, a
 *     quadratic in N with its larger root at 244.15 -> N = 245, 235 more. */
static void
test_reviews_needed (void)
{
  g_assert_cmpuint (limner_qc_reviews_needed (0, 0, 0.05), ==, 381);
  g_assert_cmpuint (limner_qc_reviews_needed (0, 10, 0.05), ==, 25);
  g_assert_cmpuint (limner_qc_reviews_needed (8, 10, 0.05), ==, 235);
  /* Enough already. */
  g_assert_cmpuint (limner_qc_reviews_needed (200, 400, 0.05), ==, 0);
  /* Just around the threshold: 244 reviews are not enough, 245 are. */
  g_assert_cmpfloat (limner_qc_wilson_half_width (0.8, 244), >, 0.05);
  g_assert_cmpfloat (limner_qc_wilson_half_width (0.8, 245), <=, 0.05);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/qc/ticket-known", test_ticket_known);
  g_test_add_func ("/core/qc/ticket-reproducible", test_ticket_reproducible);
  g_test_add_func ("/core/qc/audit", test_audit);
  g_test_add_func ("/core/qc/observed-rate", test_observed_rate);
  g_test_add_func ("/core/qc/rate-override", test_rate_override);
  g_test_add_func ("/core/qc/sample", test_sample);
  g_test_add_func ("/core/qc/sample-known-rank", test_sample_known_rank);
  g_test_add_func ("/core/qc/wilson", test_wilson);
  g_test_add_func ("/core/qc/reviews-needed", test_reviews_needed);

  return g_test_run ();
}
