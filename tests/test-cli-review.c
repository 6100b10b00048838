/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli submit, review and the "qc" object of info, run as a program
 * (LIMNER_CLI) on a project made through the core API: a folder, or a
 * database on a throwaway PostgreSQL server, where --user LOGIN connects as
 * that role (limner-test-backend.h). */

#include "config.h"

#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "limner-store.h"
#include "limner-test-backend.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("LIMNER_CLI");
  Run r = { 0 };
  int wait_status;
  va_list ap;

  if (path == NULL)
    g_error ("LIMNER_CLI is not set; run this test through meson");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r.out, &r.err, &wait_status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    g_error ("limner-cli died of signal %d; stderr: %s", WTERMSIG (wait_status), r.err);
  r.status = WEXITSTATUS (wait_status);
  if (r.status != 0)
    g_test_message ("limner-cli exited with %d: %s", r.status, r.err);
  return r;
}

static json_t *
parse_json (const char *text)
{
  json_error_t jerr;
  json_t *value = json_loads (text, JSON_REJECT_DUPLICATES, &jerr);

  if (value == NULL)
    g_error ("limner-cli printed invalid JSON (%s): %s", jerr.text, text);
  return value;
}

/* Four images (a.png ... d.png; ids 1 to 4) with a box each, the lead
 * "lead", annotators "ann1" and "ann2" and the reviewer "rev". */
static char *
make_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  char *dir = limner_test_backend_new_project ("lead");
  gint64 label;

  store = limner_store_create (dir, "Review", "lead", &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, "ann1", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (store, "ann2", LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_true (limner_store_set_user_roles (store, "rev", LIMNER_ROLE_REVIEWER, &error));
  label = limner_store_add_label (store, "cat", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("%c.png", 'a' + i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
      double box[] = { 1, 2, 10 + i, 20 };

      shape->image_id = limner_store_add_image (store, name, sha, 10, 32, 32, "png", &error);
      g_assert_no_error (error);
      shape->label_id = label;
      g_array_append_vals (shape->points, box, 4);
      g_assert_true (limner_store_insert_shape (store, shape, &error));
    }
  return dir;
}

static void
test_submit_review_info (void)
{
  char *dir = make_project ();
  g_auto(Run) r = { 0 };
  json_t *json, *qc, *ann1;

  /* Only a lead sets the rate. */
  r = cli ("review", dir, "settings", "--rate", "1", "--user", "ann1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "ann1"));
  run_clear (&r);
  r = cli ("review", dir, "settings", "--rate", "1", "--user", "lead", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  /* By path as imported and by id; a reviewer cannot submit. */
  r = cli ("submit", dir, "a.png", "2", "--user", "ann1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json = parse_json (r.out);
  g_assert_cmpuint (json_array_size (json), ==, 2);
  g_assert_true (json_is_true (json_object_get (json_array_get (json, 0), "drawn")));
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json, 1), "status")), ==, "in_review");
  json_decref (json);
  run_clear (&r);
  r = cli ("submit", dir, "c.png", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);

  r = cli ("review", dir, "queue", "--json", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json = parse_json (r.out);
  g_assert_cmpuint (json_array_size (json), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json, 0), "path")), ==, "a.png");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json, 0), "author")), ==, "ann1");
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (json, 0), "shapes")), ==, 1);
  json_decref (json);
  run_clear (&r);

  /* An annotator cannot decide; a bad decision is a usage error; a mark on
   * a shape of another image is refused. */
  r = cli ("review", dir, "decide", "a.png", "accept", "--user", "ann1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "reviewer"));
  run_clear (&r);
  r = cli ("review", dir, "decide", "a.png", "maybe", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);
  r = cli ("review", dir, "decide", "a.png", "reject", "--mark", "2:loose-outline", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "a.png"));
  run_clear (&r);

  r = cli ("review", dir, "decide", "a.png", "reject", "--comment", "Too loose",
           "--mark", "1:loose-outline", "--mark-point", "5,6", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("review", dir, "decide", "2", "accept", "--user", "rev", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  /* ann1 resubmits the rejected image: back in review without a draw (a
   * draw at this rate would take 1 image in 10^12). */
  r = cli ("review", dir, "settings", "--rate", "0.000000000001", "--user", "lead", NULL);
  run_clear (&r);
  r = cli ("submit", dir, "a.png", "--user", "ann1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json = parse_json (r.out);
  g_assert_true (json_is_true (json_object_get (json_array_get (json, 0), "resubmitted")));
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (json, 0), "submission")), ==, 2);
  json_decref (json);
  run_clear (&r);

  /* The image's history: the draws, the decision, its comment and marks. */
  r = cli ("review", dir, "history", "a.png", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json = parse_json (r.out);
  {
    json_t *reviews = json_object_get (json, "reviews");
    json_t *events = json_object_get (json, "events");
    guint n_draws = 0;

    g_assert_cmpuint (json_array_size (reviews), ==, 1);
    g_assert_cmpstr (json_string_value (json_object_get (json_array_get (reviews, 0), "comment")), ==, "Too loose");
    g_assert_cmpuint (json_array_size (json_object_get (json_array_get (reviews, 0), "marks")), ==, 2);
    for (guint i = 0; i < json_array_size (events); i++)
      n_draws += g_strcmp0 (json_string_value (json_object_get (json_array_get (events, i), "kind")),
                            "qc.draw") == 0;
    g_assert_cmpuint (n_draws, ==, 2);
  }
  json_decref (json);
  run_clear (&r);

  r = cli ("info", dir, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json = parse_json (r.out);
  qc = json_object_get (json, "qc");
  g_assert_cmpint (json_integer_value (json_object_get (qc, "waiting")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (qc, "accepted")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (qc, "rejected")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (qc, "sample_size")), ==, 2);
  ann1 = json_object_get (json_object_get (qc, "per_annotator"), "ann1");
  g_assert_cmpfloat (json_real_value (json_object_get (ann1, "acceptance")), ==, 0.5);
  /* Wilson, 1 of 2, z = 1.959964: centre 0.5, half-width 0.405...; by hand
   * (z^2 = 3.841459): half = z / (1 + z^2/2) * sqrt (0.25/2 + z^2/16). */
  g_assert_cmpfloat_with_epsilon (json_real_value (json_object_get (ann1, "wilson_low")),
                                  0.5 - 1.959964 / (1 + 3.841459 / 2) * sqrt (0.125 + 3.841459 / 16), 1e-5);
  json_decref (json);
  run_clear (&r);

  /* Filters: another reviewer saw nothing. */
  r = cli ("info", dir, "--json", "--reviewer", "nobody", NULL);
  json = parse_json (r.out);
  qc = json_object_get (json, "qc");
  g_assert_cmpint (json_integer_value (json_object_get (qc, "accepted")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (qc, "sample_size")), ==, 0);
  json_decref (json);
  run_clear (&r);
  r = cli ("info", dir, "--json", "--from", "yesterday", NULL);
  g_assert_cmpint (r.status, ==, 2);

  limner_test_backend_remove (dir);
}

static void
test_audit_and_sample (void)
{
  char *dir = make_project ();
  g_autofree char *first = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) r = { 0 };

  r = cli ("submit", dir, "a.png", "b.png", "c.png", "d.png", "--user", "ann2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  r = cli ("review", dir, "audit", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "4 draws"));
  run_clear (&r);

  r = cli ("review", dir, "sample", "--count", "2", "--seed", "42", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  first = g_steal_pointer (&r.out);
  run_clear (&r);
  r = cli ("review", dir, "sample", "--seed", "42", "--count", "2", "--user", "rev", NULL);
  g_assert_cmpstr (r.out, ==, first);
  run_clear (&r);
  r = cli ("review", dir, "sample", "--count", "2", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  /* c.png's draw edited by hand, by someone who can write the database. */
  g_assert_cmpint (limner_test_backend_raw_sql (dir, "UPDATE qc_draws SET ticket = 0.000001 WHERE image_id = 3"),
                   ==, 0);
  r = cli ("review", dir, "audit", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "c.png"));

  limner_test_backend_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/review/submit-decide-info", test_submit_review_info);
  g_test_add_func ("/cli/review/audit-and-sample", test_audit_and_sample);
  return g_test_run ();
}
