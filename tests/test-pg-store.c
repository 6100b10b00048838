/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store on a real PostgreSQL server, where many writers run at once:
 * annotators claiming at the same moment never get the same image (row
 * locks, SKIP LOCKED), two claims or two review decisions of one image let
 * exactly one through, and the watch hears other connections' commits
 * through LISTEN/NOTIFY, coalesced, and again after its connection was cut. */

#include "config.h"

#include <string.h>

#include "limner-core.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"
#include "limner-store-watch.h"
#include "limner-test-pg-project.h"

#define N_ANNOTATORS 8
#define WAIT_S       10

static LimnerTestPg *server;

/* The error first: a failure then says why. */
#define assert_ok(call) \
  G_STMT_START { gboolean ok_ = (call); g_assert_no_error (error); g_assert_true (ok_); } G_STMT_END

static void
add_images (LimnerStore *store,
            const char  *prefix,
            guint        n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (limner_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s-%03u.png", prefix, i);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);

      g_assert_cmpint (limner_store_add_image (store, path, sha, 1000, 640, 480, "png", &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (limner_store_commit (store, &error));
}

/* A project with annotators ann1..annN and reviewers rev1..rev3; every
 * submission goes to review. */
static LimnerStore *
new_project (const char *database)
{
  g_autoptr(GError) error = NULL;
  LimnerStore *lead = limner_test_pg_project_new (server, database, "lead1");

  for (guint i = 1; i <= N_ANNOTATORS; i++)
    {
      g_autofree char *login = g_strdup_printf ("ann%u", i);

      assert_ok (limner_store_set_user_roles (lead, login, LIMNER_ROLE_ANNOTATOR, &error));
    }
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *login = g_strdup_printf ("rev%u", i);

      assert_ok (limner_store_set_user_roles (lead, login, LIMNER_ROLE_REVIEWER, &error));
    }
  assert_ok (limner_store_qc_set_rate (lead, 1.0, &error));
  return lead;
}

static LimnerShape *
make_box (gint64 image_id, double x0, double y0, double x1, double y1)
{
  LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double p[] = { x0, y0, x1, y1 };

  shape->image_id = image_id;
  g_array_append_vals (shape->points, p, 4);
  return shape;
}

/* --- Starting many threads at once --------------------------------------- */

typedef struct {
  GMutex   lock;
  GCond    cond;
  guint    waiting;
  guint    n;
} Barrier;

static void
barrier_wait (Barrier *b)
{
  g_mutex_lock (&b->lock);
  if (++b->waiting == b->n)
    g_cond_broadcast (&b->cond);
  while (b->waiting < b->n)
    g_cond_wait (&b->cond, &b->lock);
  g_mutex_unlock (&b->lock);
}

/* --- Claims -------------------------------------------------------------- */

#define CLAIMS_EACH 6

typedef struct {
  const char *database;
  Barrier    *barrier;
  GMutex     *lock;
  GHashTable *holder;      /* image id -> login, every claim seen */
  GPtrArray  *problems;    /* of char *, under `lock` */
  char       *login;
  gint64      image_id;    /* claim_one: the image everyone wants */
  gboolean    got_it;
  GError     *error;
} Claimer;

static void
problem (Claimer *c, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (Claimer *c, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_mutex_lock (c->lock);
  g_ptr_array_add (c->problems, g_strdup_vprintf (format, ap));
  g_mutex_unlock (c->lock);
  va_end (ap);
}

/* Claims the next image, submits it, again, CLAIMS_EACH times. */
static gpointer
claim_next_thread (gpointer data)
{
  Claimer *c = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, c->database, c->login);

  barrier_wait (c->barrier);
  for (guint k = 0; k < CLAIMS_EACH; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LimnerImageRecord) image = limner_store_claim_next (store, &error);
      const char *before;

      if (image == NULL)
        {
          problem (c, "%s: claim_next gave nothing: %s", c->login, error ? error->message : "no image left");
          break;
        }
      g_mutex_lock (c->lock);
      before = g_hash_table_lookup (c->holder, &image->id);
      if (before == NULL)
        g_hash_table_insert (c->holder, g_memdup2 (&image->id, sizeof image->id), c->login);
      g_mutex_unlock (c->lock);
      if (before != NULL)
        problem (c, "%s was given to %s and to %s", image->path, before, c->login);
      if (!limner_store_set_image_status (store, image->id, LIMNER_IMAGE_SUBMITTED, &error))
        problem (c, "%s could not submit %s: %s", c->login, image->path, error->message);
    }
  return NULL;
}

static void
test_claim_next_concurrent (void)
{
  g_autoptr(LimnerStore) lead = new_project ("claims");
  g_autoptr(GHashTable) holder = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  GThread *threads[N_ANNOTATORS];
  Claimer claimers[N_ANNOTATORS] = { 0 };
  Barrier barrier = { .n = N_ANNOTATORS };
  GMutex lock;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  guint claimed = 0;

  g_mutex_init (&lock);
  add_images (lead, "next", N_ANNOTATORS * CLAIMS_EACH + 5);
  for (guint i = 0; i < N_ANNOTATORS; i++)
    {
      claimers[i] = (Claimer) { .database = "claims", .barrier = &barrier, .lock = &lock,
                                .holder = holder, .problems = problems,
                                .login = g_strdup_printf ("ann%u", i + 1) };
      threads[i] = g_thread_new ("claimer", claim_next_thread, &claimers[i]);
    }
  for (guint i = 0; i < N_ANNOTATORS; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (g_hash_table_size (holder), ==, N_ANNOTATORS * CLAIMS_EACH);

  /* The server agrees: each image went to the one who was told so. */
  images = limner_store_list_images (lead, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < images->len; i++)
    {
      LimnerImageRecord *image = images->pdata[i];
      const char *login = g_hash_table_lookup (holder, &image->id);

      if (login == NULL)
        {
          g_assert_cmpint (image->status, ==, LIMNER_IMAGE_NEW);
          continue;
        }
      claimed++;
      g_assert_cmpint (image->status, ==, LIMNER_IMAGE_SUBMITTED);
      g_assert_cmpstr (image->assignee, ==, login);
    }
  g_assert_cmpuint (claimed, ==, N_ANNOTATORS * CLAIMS_EACH);
  for (guint i = 0; i < N_ANNOTATORS; i++)
    g_free (claimers[i].login);
  g_mutex_clear (&lock);
}

static gpointer
claim_one_thread (gpointer data)
{
  Claimer *c = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, c->database, c->login);

  barrier_wait (c->barrier);
  c->got_it = limner_store_claim (store, c->image_id, &c->error);
  return NULL;
}

/* Everyone clicks the same image at once: one gets it, the others are told
 * who holds it. */
static void
test_claim_same_image (void)
{
  g_autoptr(LimnerStore) lead = new_project ("same");
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  add_images (lead, "same", 5);
  images = limner_store_list_images (lead, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < images->len; k++)
    {
      LimnerImageRecord *image = images->pdata[k];
      g_autoptr(LimnerImageRecord) after = NULL;
      GThread *threads[N_ANNOTATORS];
      Claimer claimers[N_ANNOTATORS] = { 0 };
      Barrier barrier = { .n = N_ANNOTATORS };
      const char *winner = NULL;

      for (guint i = 0; i < N_ANNOTATORS; i++)
        {
          claimers[i] = (Claimer) { .database = "same", .barrier = &barrier, .image_id = image->id,
                                    .login = g_strdup_printf ("ann%u", i + 1) };
          threads[i] = g_thread_new ("claimer", claim_one_thread, &claimers[i]);
        }
      for (guint i = 0; i < N_ANNOTATORS; i++)
        g_thread_join (threads[i]);
      for (guint i = 0; i < N_ANNOTATORS; i++)
        if (claimers[i].got_it)
          {
            g_assert_null (winner);
            winner = claimers[i].login;
            g_assert_no_error (claimers[i].error);
          }
      g_assert_nonnull (winner);
      for (guint i = 0; i < N_ANNOTATORS; i++)
        if (!claimers[i].got_it)
          {
            g_autofree char *held = g_strdup_printf ("is held by %s", winner);

            g_assert_error (claimers[i].error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
            g_assert_nonnull (strstr (claimers[i].error->message, image->path));
            g_assert_nonnull (strstr (claimers[i].error->message, held));
          }
      after = limner_store_get_image (lead, image->id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (after->assignee, ==, winner);
      for (guint i = 0; i < N_ANNOTATORS; i++)
        {
          g_clear_error (&claimers[i].error);
          g_free (claimers[i].login);
        }
    }
}

/* --- Review decisions ------------------------------------------------------- */

typedef struct {
  Barrier  *barrier;
  char     *login;
  gint64    image_id;
  gint64    review_id;
  GError   *error;
} Reviewer;

static gpointer
decide_thread (gpointer data)
{
  Reviewer *r = data;
  g_autoptr(LimnerStore) store = limner_test_pg_project_open (server, "decide", r->login);

  barrier_wait (r->barrier);
  r->review_id = limner_store_decide (store, r->image_id, LIMNER_REVIEW_ACCEPT, NULL, NULL, 0, &r->error);
  return NULL;
}

/* Three reviewers accept the same image at once: one decision is
 * recorded, the others are told it is no longer waiting. */
static void
test_decide_same_image (void)
{
  g_autoptr(LimnerStore) lead = new_project ("decide");
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;

  add_images (lead, "decide", 4);
  ann = limner_test_pg_project_open (server, "decide", "ann1");
  images = limner_store_list_images (lead, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < images->len; k++)
    {
      LimnerImageRecord *image = images->pdata[k];
      g_autoptr(LimnerImageRecord) claimed = limner_store_claim_next (ann, &error);
      g_autoptr(LimnerImageRecord) after = NULL;
      LimnerSubmitResult result;
      Reviewer reviewers[3] = { 0 };
      GThread *threads[3];
      Barrier barrier = { .n = 3 };
      guint decided = 0;

      g_assert_no_error (error);
      g_assert_cmpint (claimed->id, ==, image->id);
      assert_ok (limner_store_submit (ann, image->id, &result, &error));
      g_assert_cmpint (result.status, ==, LIMNER_IMAGE_IN_REVIEW);

      for (guint i = 0; i < 3; i++)
        {
          reviewers[i] = (Reviewer) { .barrier = &barrier, .image_id = image->id,
                                      .login = g_strdup_printf ("rev%u", i + 1) };
          threads[i] = g_thread_new ("reviewer", decide_thread, &reviewers[i]);
        }
      for (guint i = 0; i < 3; i++)
        g_thread_join (threads[i]);
      for (guint i = 0; i < 3; i++)
        {
          if (reviewers[i].review_id > 0)
            decided++;
          else
            {
              g_assert_error (reviewers[i].error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT);
              if (strstr (reviewers[i].error->message, "not waiting for review") == NULL)
                g_error ("%s: %s", reviewers[i].login, reviewers[i].error->message);
            }
          g_clear_error (&reviewers[i].error);
          g_free (reviewers[i].login);
        }
      g_assert_cmpuint (decided, ==, 1);
      after = limner_store_get_image (lead, image->id, &error);
      g_assert_cmpint (after->status, ==, LIMNER_IMAGE_ACCEPTED);
      {
        g_autoptr(GPtrArray) reviews = limner_store_list_reviews (lead, image->id, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (reviews->len, ==, 1);
      }
    }
}

/* --- The watch ------------------------------------------------------------ */

typedef struct {
  guint changed;
  guint images;
} Counts;

static void
count_changed (LimnerStoreWatch *watch, Counts *counts)
{
  counts->changed++;
}

static void
count_images (LimnerStoreWatch *watch, Counts *counts)
{
  counts->images++;
}

/* Runs the main context until `*value` exceeds `from`, at most WAIT_S. */
static gboolean
wait_above (const guint *value, guint from)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (*value <= from && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *value > from;
}

/* Runs the main context for `ms`, to see that nothing more comes. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gboolean
wait_connected (LimnerStoreWatch *watch)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!limner_store_watch_is_connected (watch) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return limner_store_watch_is_connected (watch);
}

static void
test_watch (void)
{
  g_autoptr(LimnerStore) lead = new_project ("watch");
  g_autoptr(LimnerStore) ann = NULL;
  g_autoptr(LimnerStore) rev = NULL;
  g_autoptr(LimnerStoreWatch) watch = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) others = NULL;
  Counts counts = { 0 };
  Counts before;
  gint64 started;

  add_images (lead, "watch", 40);
  watch = limner_store_watch_new_for_store (lead, 50, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed), &counts);
  g_signal_connect (watch, "images-changed", G_CALLBACK (count_images), &counts);
  g_assert_true (wait_connected (watch));
  settle (100);
  g_assert_cmpuint (counts.changed, ==, 0);

  /* Another connection claims: the image's row changed. */
  ann = limner_test_pg_project_open (server, "watch", "ann1");
  started = g_get_monotonic_time ();
  image = limner_store_claim_next (ann, &error);
  g_assert_no_error (error);
  g_assert_true (wait_above (&counts.images, 0));
  g_assert_cmpuint (counts.changed, ==, 1);
  g_test_message ("a claim was heard after %.1f ms", (g_get_monotonic_time () - started) / 1000.0);

  /* A shape: "changed" alone. */
  before = counts;
  {
    g_autoptr(LimnerShape) box = make_box (image->id, 1, 1, 20, 20);

    assert_ok (limner_store_insert_shape (ann, box, &error));
  }
  g_assert_true (wait_above (&counts.changed, before.changed));
  settle (200);
  g_assert_cmpuint (counts.changed, ==, before.changed + 1);
  g_assert_cmpuint (counts.images, ==, before.images);

  /* One transaction that touches many images is one signal of each kind. */
  before = counts;
  others = limner_store_list_images (lead, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_begin (lead, &error));
  for (guint i = 0; i < others->len; i++)
    {
      LimnerImageRecord *other = others->pdata[i];
      g_autoptr(LimnerShape) box = make_box (other->id, 2, 2, 30, 30);

      assert_ok (limner_store_insert_shape (lead, box, &error));
    }
  g_assert_true (limner_store_commit (lead, &error));
  g_assert_true (wait_above (&counts.changed, before.changed));
  settle (300);
  g_assert_cmpuint (counts.changed, ==, before.changed + 1);
  g_assert_cmpuint (counts.images, ==, before.images);

  /* A review decision reaches the annotator's window: reviews and the
   * image's status. */
  {
    LimnerSubmitResult result;

    assert_ok (limner_store_submit (ann, image->id, &result, &error));
    g_assert_true (wait_above (&counts.images, before.images));
  }
  rev = limner_test_pg_project_open (server, "watch", "rev1");
  before = counts;
  g_assert_cmpint (limner_store_decide (rev, image->id, LIMNER_REVIEW_REJECT, "too loose", NULL, 0, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (wait_above (&counts.images, before.images));
  g_assert_cmpuint (counts.changed, >, before.changed);

  /* The connection is cut (a server restart, a network loss): the watch
   * connects again by itself and says that anything may have changed. */
  settle (200);
  before = counts;
  limner_test_pg_admin (server, "SELECT pg_terminate_backend (pid) FROM pg_stat_activity "
                                "WHERE application_name = 'limner watch' AND datname = 'watch'");
  g_assert_true (wait_above (&counts.images, before.images));
  g_assert_cmpuint (counts.changed, ==, before.changed + 1);
  g_assert_true (wait_connected (watch));
  settle (100);
  before = counts;
  {
    g_autoptr(LimnerShape) box = make_box (image->id, 3, 3, 9, 9);

    /* Rejected work is the annotator's again. */
    assert_ok (limner_store_claim (ann, image->id, &error));
    assert_ok (limner_store_insert_shape (ann, box, &error));
  }
  g_assert_true (wait_above (&counts.changed, before.changed));
}

/* limner_store_watch_new() on a URI logs in as the URI says; poll() reads
 * what has arrived without waiting for the coalescing window. */
static void
test_watch_uri (void)
{
  g_autoptr(LimnerStore) lead = new_project ("watchuri");
  g_autofree char *uri = limner_test_pg_uri (server, "watchuri", "ann2");
  g_autoptr(LimnerStoreWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };
  gint64 deadline;
  gboolean heard = FALSE;

  watch = limner_store_watch_new (uri, 60000, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (count_changed), &counts);
  g_signal_connect (watch, "images-changed", G_CALLBACK (count_images), &counts);
  g_assert_true (wait_connected (watch));
  g_assert_false (limner_store_watch_poll (watch));
  add_images (lead, "uri", 1);
  /* The window would be 12 s: only poll() can emit this soon. */
  deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  while (!heard && g_get_monotonic_time () < deadline)
    {
      g_usleep (2000);
      heard = limner_store_watch_poll (watch);
    }
  g_assert_true (heard);
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.images, ==, 1);

  /* A bad address is a clear error, not a crash. */
  g_clear_object (&watch);
  watch = limner_store_watch_new ("postgresql://[::1", 0, &error);
  g_assert_null (watch);
  g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "does not parse"));
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

  g_test_add_func ("/pg/store/claim-next-concurrent", test_claim_next_concurrent);
  g_test_add_func ("/pg/store/claim-same-image", test_claim_same_image);
  g_test_add_func ("/pg/store/decide-same-image", test_decide_same_image);
  g_test_add_func ("/pg/store/watch", test_watch);
  g_test_add_func ("/pg/store/watch-uri", test_watch_uri);
  status = g_test_run ();
  limner_test_pg_stop (server);
  return status;
}
