/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Load test of team mode on a real PostgreSQL server, bounded in time
 * (LIMNER_TEST_LOAD_SECONDS, 30 by default; it ends sooner when every image
 * is accepted).
 *
 * 20 annotators and 3 reviewers, each a thread with its own connection
 * (its own LimnerStore) logged in as its own role, work one project of a
 * few hundred images through the store's calls, as the GUI does:
 * annotators claim the next image, add, move and delete boxes, and submit;
 * reviewers take the review queue (every submission goes to review) and
 * accept or reject, and rejected work comes back to its annotator. A
 * twenty-fourth role, an annotator who never claims anything, keeps trying
 * what the server must refuse, with raw SQL as psql would and through the
 * store.
 *
 * At the end it checks that:
 *   - no image was ever given to two annotators: by the claims each thread
 *     was told it got, and by the server's own event log;
 *   - no acknowledged edit was lost: every shape each annotator was told it
 *     saved is in the database as saved (points and row version), every
 *     shape it deleted is gone, and there is no other shape;
 *   - no image was decided twice for one submission;
 *   - nothing the server had to refuse went through;
 * and it prints the throughput (claims, saves, submits and decisions per
 * second). */

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "limner-core.h"
#include "limner-store-qc.h"
#include "limner-test-pg-project.h"

#define DB           "load"
#define N_ANNOTATORS 20
#define N_REVIEWERS  3
#define N_IMAGES     600
#define ROGUE        "mallory"
#define REJECT_SHARE 0.3

static LimnerTestPg *server;
static gint stop;

typedef struct {
  gint64 image_id;
  gint64 start;   /* monotonic µs, when claim_next returned it */
  gint64 end;     /* when its submit returned; G_MAXINT64 if still held */
} Claim;

typedef struct {
  gint64   image_id;
  double   points[4];
  gint64   row_version;
  gboolean deleted;
} Saved;

typedef struct {
  char       *login;
  GRand      *rand;
  GArray     *claims;   /* of Claim */
  GHashTable *saved;    /* shape id -> Saved, what the store acknowledged */
  GPtrArray  *problems; /* of char *: anything unexpected */
  guint       n_claims;
  guint       n_saves;
  guint       n_submits;
  guint       n_decisions;
  guint       n_conflicts; /* reviewers: the image was decided by another */
  guint       n_attempts;  /* the rogue: refused attempts */
} Worker;

static void
worker_problem (Worker *w, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
worker_problem (Worker *w, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  /* A broken run can fail the same way thousands of times. */
  if (w->problems->len < 20)
    g_ptr_array_add (w->problems, g_strdup_vprintf (format, ap));
  va_end (ap);
}

static Worker *
worker_new (const char *login, guint seed)
{
  Worker *w = g_new0 (Worker, 1);

  w->login = g_strdup (login);
  w->rand = g_rand_new_with_seed (seed);
  w->claims = g_array_new (FALSE, FALSE, sizeof (Claim));
  w->saved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  w->problems = g_ptr_array_new_with_free_func (g_free);
  return w;
}

static void
worker_free (Worker *w)
{
  g_free (w->login);
  g_rand_free (w->rand);
  g_array_unref (w->claims);
  g_hash_table_unref (w->saved);
  g_ptr_array_unref (w->problems);
  g_free (w);
}

static gboolean
stopping (void)
{
  return g_atomic_int_get (&stop) != 0;
}

/* --- Annotators ------------------------------------------------------------ */

static void
random_box (Worker *w, double p[4])
{
  p[0] = g_rand_int_range (w->rand, 0, 600);
  p[1] = g_rand_int_range (w->rand, 0, 440);
  p[2] = p[0] + g_rand_int_range (w->rand, 2, 40);
  p[3] = p[1] + g_rand_int_range (w->rand, 2, 40);
}

/* A live shape of `image_id` that this annotator saved, or 0. */
static gint64
pick_shape (Worker *w, gint64 image_id)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 found = 0;
  guint seen = 0;

  g_hash_table_iter_init (&iter, w->saved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Saved *s = value;

      /* Reservoir sampling: each live shape equally likely. */
      if (s->image_id == image_id && !s->deleted && g_rand_int_range (w->rand, 0, ++seen) == 0)
        found = *(gint64 *) key;
    }
  return found;
}

static void
edit_once (Worker *w, LimnerStore *store, gint64 image_id)
{
  g_autoptr(GError) error = NULL;
  double r = g_rand_double (w->rand);
  gint64 id = pick_shape (w, image_id);
  Saved *s = id != 0 ? g_hash_table_lookup (w->saved, &id) : NULL;

  if (s == NULL || r < 0.55)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
      double p[4];

      random_box (w, p);
      shape->image_id = image_id;
      g_array_append_vals (shape->points, p, 4);
      if (!limner_store_insert_shape (store, shape, &error))
        {
          worker_problem (w, "%s could not add a shape to image %" G_GINT64_FORMAT ": %s",
                          w->login, image_id, error->message);
          return;
        }
      s = g_new0 (Saved, 1);
      s->image_id = image_id;
      memcpy (s->points, p, sizeof p);
      s->row_version = shape->row_version;
      g_hash_table_insert (w->saved, g_memdup2 (&shape->id, sizeof shape->id), s);
    }
  else if (r < 0.85)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
      double p[4];

      random_box (w, p);
      shape->id = id;
      shape->image_id = image_id;
      shape->row_version = s->row_version;
      g_array_append_vals (shape->points, p, 4);
      if (!limner_store_update_shape (store, shape, &error))
        {
          worker_problem (w, "%s could not move shape %" G_GINT64_FORMAT ": %s", w->login, id, error->message);
          return;
        }
      memcpy (s->points, p, sizeof p);
      s->row_version = shape->row_version;
    }
  else
    {
      if (!limner_store_delete_shape (store, id, s->row_version, &error))
        {
          worker_problem (w, "%s could not delete shape %" G_GINT64_FORMAT ": %s", w->login, id, error->message);
          return;
        }
      s->deleted = TRUE;
    }
  w->n_saves++;
}

static gpointer
annotator_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, DB, w->login);
  g_autoptr(LimnerImageRecord) held = NULL;
  guint edits_left = 0;

  while (!stopping ())
    {
      g_autoptr(GError) error = NULL;

      if (held == NULL)
        {
          Claim claim = { 0 };

          held = limner_store_claim_next (store, &error);
          if (held == NULL)
            {
              if (error != NULL)
                worker_problem (w, "%s: claim_next failed: %s", w->login, error->message);
              g_usleep (20000);
              continue;
            }
          claim.image_id = held->id;
          claim.start = g_get_monotonic_time ();
          claim.end = G_MAXINT64;
          g_array_append_val (w->claims, claim);
          w->n_claims++;
          edits_left = g_rand_int_range (w->rand, 1, 7);
          continue;
        }
      if (edits_left > 0)
        {
          edit_once (w, store, held->id);
          edits_left--;
          continue;
        }
      if (!limner_store_submit (store, held->id, NULL, &error))
        worker_problem (w, "%s could not submit %s: %s", w->login, held->path, error->message);
      else
        {
          g_array_index (w->claims, Claim, w->claims->len - 1).end = g_get_monotonic_time ();
          w->n_submits++;
        }
      g_clear_pointer (&held, limner_image_record_free);
    }
  return NULL;
}

/* --- Reviewers ------------------------------------------------------------- */

static gpointer
reviewer_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, DB, w->login);

  while (!stopping ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) queue = limner_store_review_queue (store, &error);
      LimnerReviewItem *item;
      LimnerReviewDecision decision;

      if (queue == NULL)
        {
          worker_problem (w, "%s could not read the review queue: %s", w->login, error->message);
          g_usleep (20000);
          continue;
        }
      if (queue->len == 0)
        {
          g_usleep (20000);
          continue;
        }
      /* Among the oldest few, so that reviewers often want the same one. */
      item = queue->pdata[g_rand_int_range (w->rand, 0, MIN (queue->len, 3))];
      decision = g_rand_double (w->rand) < REJECT_SHARE ? LIMNER_REVIEW_REJECT : LIMNER_REVIEW_ACCEPT;
      if (limner_store_decide (store, item->image_id, decision,
                               decision == LIMNER_REVIEW_REJECT ? "the boxes are loose" : NULL,
                               NULL, 0, &error) > 0)
        w->n_decisions++;
      else if (g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT)
               && strstr (error->message, "not waiting for review") != NULL)
        w->n_conflicts++;
      else
        worker_problem (w, "%s could not decide %s: %s", w->login, item->path, error->message);
    }
  return NULL;
}

/* --- The rogue annotator ------------------------------------------------- */

/* Runs `sql` as the rogue, which the server must refuse: an error with
 * `sqlstate`, or (row-level security hides rows) no row changed. */
static void
must_refuse (Worker     *w,
             PGconn     *conn,
             const char *sql,
             const char *sqlstate)
{
  PGresult *res = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (res);

  /* No row to try it on (nobody held an image at that moment) is no
   * success either. */
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      if (strcmp (PQcmdTuples (res), "0") != 0)
        worker_problem (w, "the server let %s run “%s” (%s rows)", ROGUE, sql, PQcmdTuples (res));
    }
  else if (sqlstate == NULL)
    {
      /* Refused outright is fine too, but only for lack of privilege. */
      if (g_strcmp0 (PQresultErrorField (res, PG_DIAG_SQLSTATE), "42501") != 0)
        worker_problem (w, "“%s” failed as %s for another reason: %s", sql, ROGUE, PQerrorMessage (conn));
    }
  else if (g_strcmp0 (PQresultErrorField (res, PG_DIAG_SQLSTATE), sqlstate) != 0)
    worker_problem (w, "“%s” as %s: expected SQLSTATE %s, got %s", sql, ROGUE, sqlstate,
                    PQerrorMessage (conn));
  PQclear (res);
  w->n_attempts++;
}

static gpointer
rogue_thread (gpointer data)
{
  static const char *const attempts[][2] = {
    /* Someone else's shapes: moved, deleted. */
    { "UPDATE shapes SET points = '\\x00' WHERE id IN (SELECT id FROM shapes ORDER BY random() LIMIT 5)", NULL },
    { "DELETE FROM shapes WHERE id IN (SELECT id FROM shapes ORDER BY random() LIMIT 5)", NULL },
    /* A shape on an image someone holds. */
    { "INSERT INTO shapes (image_id, kind, points, author, created_at, modified_at) "
      "SELECT id, 'box', '\\x00', 'mallory', 0, 0 FROM images WHERE assignee IS NOT NULL LIMIT 1", "42501" },
    /* A review decision. */
    { "INSERT INTO reviews (image_id, reviewer, decision, created_at) "
      "SELECT id, 'mallory', 'accept', 0 FROM images ORDER BY id LIMIT 1", "42501" },
    /* Taking over someone's image, or accepting one. */
    { "UPDATE images SET assignee = 'mallory' WHERE assignee IS NOT NULL AND assignee <> 'mallory'", NULL },
    { "UPDATE images SET status = 'accepted' WHERE status = 'in_review'", NULL },
    /* Rewriting the log. */
    { "UPDATE events SET login = 'mallory' WHERE id IN (SELECT id FROM events ORDER BY id DESC LIMIT 1)", "42501" },
  };
  Worker *w = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, DB, ROGUE);
  g_autofree char *uri = limner_test_pg_uri (server, DB, ROGUE);
  PGconn *conn = PQconnectdb (uri);
  guint i = 0;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect as %s: %s", ROGUE, PQerrorMessage (conn));
  while (!stopping ())
    {
      g_autoptr(GError) error = NULL;

      if (i % (G_N_ELEMENTS (attempts) + 1) < G_N_ELEMENTS (attempts))
        {
          const char *const *attempt = attempts[i % (G_N_ELEMENTS (attempts) + 1)];

          must_refuse (w, conn, attempt[0], attempt[1]);
        }
      else
        {
          /* Through the store, as a modified client would not bother to:
           * someone else's shape, moved. */
          PGresult *res = PQexec (conn, "SELECT id FROM shapes ORDER BY random() LIMIT 1");

          if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
            {
              gint64 id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
              g_autoptr(LimnerShape) shape = limner_store_get_shape (store, id, NULL);

              if (shape != NULL)
                {
                  g_array_index (shape->points, double, 2) += 1;
                  if (limner_store_update_shape (store, shape, &error))
                    worker_problem (w, "%s moved shape %" G_GINT64_FORMAT " of someone else", ROGUE, id);
                  w->n_attempts++;
                }
            }
          PQclear (res);
        }
      i++;
      g_usleep (5000);
    }
  PQfinish (conn);
  return NULL;
}

/* --- Checks ---------------------------------------------------------------- */

static void
report_problems (GPtrArray *workers, guint *n_problems)
{
  for (guint i = 0; i < workers->len; i++)
    {
      Worker *w = workers->pdata[i];

      for (guint k = 0; k < w->problems->len; k++)
        g_printerr ("%s\n", (char *) w->problems->pdata[k]);
      *n_problems += w->problems->len;
    }
}

/* No image was held by two annotators: one annotator per image in every
 * claim seen, no two claim windows of an image overlap, and the server's
 * log has one claimant per image. */
static void
check_claims (GPtrArray *annotators, PGconn *admin)
{
  g_autoptr(GHashTable) holder = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) windows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;
  PGresult *res;

  for (guint i = 0; i < annotators->len; i++)
    {
      Worker *w = annotators->pdata[i];

      for (guint k = 0; k < w->claims->len; k++)
        {
          Claim *c = &g_array_index (w->claims, Claim, k);
          Worker *before = g_hash_table_lookup (holder, &c->image_id);
          GArray *list = g_hash_table_lookup (windows, &c->image_id);

          if (before != NULL && before != w)
            g_error ("image %" G_GINT64_FORMAT " was claimed by %s and by %s",
                     c->image_id, before->login, w->login);
          g_hash_table_insert (holder, &c->image_id, w);
          if (list == NULL)
            {
              list = g_array_new (FALSE, FALSE, sizeof (Claim));
              g_hash_table_insert (windows, &c->image_id, list);
            }
          g_array_append_val (list, *c);
        }
    }
  g_hash_table_iter_init (&iter, windows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *list = value;

      for (guint a = 0; a < list->len; a++)
        for (guint b = a + 1; b < list->len; b++)
          {
            Claim *x = &g_array_index (list, Claim, a);
            Claim *y = &g_array_index (list, Claim, b);

            if (x->start < y->end && y->start < x->end)
              g_error ("two claims of image %" G_GINT64_FORMAT " overlap in time", x->image_id);
          }
    }

  res = PQexec (admin, "SELECT image_id, string_agg(DISTINCT login, ', ') FROM events "
                       "WHERE kind = 'image.claim' GROUP BY image_id HAVING count(DISTINCT login) > 1");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  if (PQntuples (res) > 0)
    g_error ("the server's log has image %s claimed by %s", PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1));
  PQclear (res);
  /* And the images say who holds them as the threads were told. */
  g_hash_table_iter_init (&iter, holder);
  res = PQexec (admin, "SELECT id, last_annotator FROM images WHERE last_annotator IS NOT NULL");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpuint (PQntuples (res), ==, g_hash_table_size (holder));
  for (int row = 0; row < PQntuples (res); row++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10);
      Worker *w = g_hash_table_lookup (holder, &id);

      g_assert_nonnull (w);
      g_assert_cmpstr (PQgetvalue (res, row, 1), ==, w->login);
    }
  PQclear (res);
}

/* Every acknowledged save is in the database as acknowledged, and nothing
 * else is. */
static void
check_saves (GPtrArray *annotators, LimnerStore *lead)
{
  guint live = 0;
  guint checked = 0;

  for (guint i = 0; i < annotators->len; i++)
    {
      Worker *w = annotators->pdata[i];
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, w->saved);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 id = *(gint64 *) key;
          Saved *s = value;
          g_autoptr(GError) error = NULL;
          g_autoptr(LimnerShape) shape = limner_store_get_shape (lead, id, &error);

          checked++;
          if (s->deleted)
            {
              if (shape != NULL)
                g_error ("shape %" G_GINT64_FORMAT ", deleted by %s, is still there", id, w->login);
              g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
              continue;
            }
          live++;
          if (shape == NULL)
            g_error ("shape %" G_GINT64_FORMAT ", saved by %s, was lost: %s", id, w->login, error->message);
          g_assert_cmpint (shape->image_id, ==, s->image_id);
          g_assert_cmpstr (shape->author, ==, w->login);
          g_assert_cmpint (shape->row_version, ==, s->row_version);
          g_assert_cmpuint (shape->points->len, ==, 4);
          if (memcmp (shape->points->data, s->points, sizeof s->points) != 0)
            g_error ("shape %" G_GINT64_FORMAT " of %s does not hold its last saved points", id, w->login);
        }
    }
  g_assert_cmpint (limner_store_count_shapes (lead), ==, live);
  g_print ("# load: %u acknowledged shapes checked, %u in the database\n", checked, live);
}

/* A decision needs a submission to review: never more decisions of an
 * image than times it went to review. Nothing of the rogue's is stored. */
static void
check_server (PGconn *admin)
{
  PGresult *res;

  res = PQexec (admin,
                "SELECT r.image_id, r.n, d.n FROM "
                "  (SELECT image_id, count(*) AS n FROM reviews GROUP BY image_id) r "
                "  LEFT JOIN (SELECT image_id, count(*) AS n FROM qc_draws "
                "             WHERE drawn = 1 OR reason = 'resubmit' GROUP BY image_id) d "
                "  ON d.image_id = r.image_id WHERE d.n IS NULL OR r.n > d.n");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  if (PQntuples (res) > 0)
    g_error ("image %s was decided %s times for %s submissions to review",
             PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  PQclear (res);

  res = PQexec (admin, "SELECT (SELECT count(*) FROM shapes WHERE author = '" ROGUE "') "
                       "+ (SELECT count(*) FROM reviews WHERE reviewer = '" ROGUE "') "
                       "+ (SELECT count(*) FROM images WHERE assignee = '" ROGUE "') "
                       "+ (SELECT count(*) FROM events WHERE login = '" ROGUE "')");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
  PQclear (res);
  /* Every shape was written as its author, and only by its image's holder. */
  res = PQexec (admin, "SELECT count(*) FROM shapes s JOIN images i ON i.id = s.image_id "
                       "WHERE s.author IS DISTINCT FROM i.last_annotator");
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
  PQclear (res);
}

/* --- The run ----------------------------------------------------------------- */

static guint
run_seconds (void)
{
  const char *text = g_getenv ("LIMNER_TEST_LOAD_SECONDS");
  guint64 seconds = 30;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 3600, &seconds, NULL))
    g_error ("LIMNER_TEST_LOAD_SECONDS=%s is not a number of seconds from 1 to 3600", text);
  return seconds;
}

static void
test_load (void)
{
  g_autoptr(LimnerStore) lead = limner_test_pg_project_new (server, DB, "lead1");
  g_autoptr(GPtrArray) annotators = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);
  g_autoptr(GPtrArray) reviewers = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GPtrArray) everyone = g_ptr_array_new ();
  g_autofree char *admin_uri = limner_test_pg_uri (server, DB, "postgres");
  g_autoptr(GError) error = NULL;
  Worker *rogue = worker_new (ROGUE, 99);
  guint seconds = run_seconds ();
  guint claims = 0, saves = 0, submits = 0, decisions = 0, conflicts = 0;
  guint n_problems = 0;
  gint64 started, deadline;
  double elapsed;
  PGconn *admin;

  /* The team, and the work. */
  for (guint i = 0; i < N_ANNOTATORS; i++)
    {
      g_autofree char *login = g_strdup_printf ("ann%02u", i + 1);

      g_assert_true (limner_store_set_user_roles (lead, login, LIMNER_ROLE_ANNOTATOR, &error));
      g_assert_no_error (error);
      g_ptr_array_add (annotators, worker_new (login, i + 1));
    }
  for (guint i = 0; i < N_REVIEWERS; i++)
    {
      g_autofree char *login = g_strdup_printf ("rev%u", i + 1);

      g_assert_true (limner_store_set_user_roles (lead, login, LIMNER_ROLE_REVIEWER, &error));
      g_assert_no_error (error);
      g_ptr_array_add (reviewers, worker_new (login, 100 + i));
    }
  g_assert_true (limner_store_set_user_roles (lead, ROGUE, LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);
  g_assert_true (limner_store_qc_set_rate (lead, 1.0, &error));
  g_assert_no_error (error);
  g_assert_true (limner_store_begin (lead, &error));
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *path = g_strdup_printf ("street/%04u.jpg", i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);

      g_assert_cmpint (limner_store_add_image (lead, path, sha, 150000, 640, 480, "jpeg", &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (limner_store_commit (lead, &error));

  started = g_get_monotonic_time ();
  for (guint i = 0; i < annotators->len; i++)
    g_ptr_array_add (threads, g_thread_new ("annotator", annotator_thread, annotators->pdata[i]));
  for (guint i = 0; i < reviewers->len; i++)
    g_ptr_array_add (threads, g_thread_new ("reviewer", reviewer_thread, reviewers->pdata[i]));
  g_ptr_array_add (threads, g_thread_new ("rogue", rogue_thread, rogue));

  /* Until the time is up, or all the work is done. */
  deadline = started + seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline
         && limner_store_count_images (lead, LIMNER_IMAGE_ACCEPTED) < N_IMAGES)
    g_usleep (200000);
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  for (guint i = 0; i < annotators->len; i++)
    {
      Worker *w = annotators->pdata[i];

      claims += w->n_claims;
      saves += w->n_saves;
      submits += w->n_submits;
    }
  for (guint i = 0; i < reviewers->len; i++)
    {
      Worker *w = reviewers->pdata[i];

      decisions += w->n_decisions;
      conflicts += w->n_conflicts;
    }
  g_print ("# load: %u annotators, %u reviewers, %u images, %.1f s (%" G_GINT64_FORMAT " accepted)\n",
           N_ANNOTATORS, N_REVIEWERS, N_IMAGES, elapsed, limner_store_count_images (lead, LIMNER_IMAGE_ACCEPTED));
  g_print ("# load: %u claims (%.1f/s), %u shape saves (%.1f/s), %u submits (%.1f/s), "
           "%u decisions (%.1f/s), %u decisions beaten by another reviewer, %u refused attempts by %s\n",
           claims, claims / elapsed, saves, saves / elapsed, submits, submits / elapsed,
           decisions, decisions / elapsed, conflicts, rogue->n_attempts, ROGUE);

  g_ptr_array_extend (everyone, annotators, NULL, NULL);
  g_ptr_array_extend (everyone, reviewers, NULL, NULL);
  g_ptr_array_add (everyone, rogue);
  report_problems (everyone, &n_problems);
  g_assert_cmpuint (n_problems, ==, 0);
  /* The run did something worth checking. */
  g_assert_cmpuint (claims, >=, N_ANNOTATORS);
  g_assert_cmpuint (saves, >=, N_ANNOTATORS);
  g_assert_cmpuint (submits, >=, N_ANNOTATORS);
  g_assert_cmpuint (decisions, >=, N_REVIEWERS);
  g_assert_cmpuint (rogue->n_attempts, >, 0);

  admin = PQconnectdb (admin_uri);
  g_assert_cmpint (PQstatus (admin), ==, CONNECTION_OK);
  check_claims (annotators, admin);
  check_saves (annotators, lead);
  check_server (admin);
  PQfinish (admin);
  worker_free (rogue);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  server = limner_test_pg_start ();
  g_test_add_func ("/pg/load/annotators-and-reviewers", test_load);
  status = g_test_run ();
  limner_test_pg_stop (server);
  return status;
}
