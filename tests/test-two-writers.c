/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-two-writers.c: two processes annotate one SQLite project.
 *
 * The test runs itself twice as a child ("--child DIR LOGIN SEED SECONDS
 * OUT"), as two annotators at once, each through its own store and threaded
 * writer like the GUI: take the next image of the queue (a claim), add, move
 * and delete shapes on it through a LimnerDocument, release it, take the
 * next. Every edit the writer committed is written to OUT as
 * "ack TIME OP ID DIGEST", every refused one as "conflict ID DIGEST".
 * Afterwards the parent checks that:
 *  - no image was held by both at once, and nobody wrote to an image held
 *    by the other (the event log of claims, releases and shape edits);
 *  - every acknowledged edit is in the project, and nothing else is: a
 *    conflict was refused, not written;
 *  - PRAGMA integrity_check says ok.
 */
#define G_LOG_DOMAIN "test-two-writers"

#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "limner-core.h"
#include "limner-document.h"
#include "limner-queue.h"
#include "limner-store.h"
#include "limner-store-writer.h"
#include "limner-test-util.h"

#define N_IMAGES 6
#define WIDTH 320
#define HEIGHT 240

static char *
shape_digest (const LimnerShape *shape)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s/", limner_shape_kind_to_string (shape->kind));
  for (guint i = 0; i < shape->points->len; i++)
    g_string_append_printf (s, "%.17g,", g_array_index (shape->points, double, i));
  return g_string_free (s, FALSE);
}

/* --- The child ----------------------------------------------------------- */

static FILE *out;

static void
say (const char *format,
     ...)
{
  va_list ap;

  va_start (ap, format);
  vfprintf (out, format, ap);
  va_end (ap);
  fflush (out);
}

/* Saves what was queued; returns FALSE on a refusal, which is logged. */
static gboolean
save (LimnerStoreWriter *writer,
      const char        *op,
      gint64             id,
      const char        *digest)
{
  g_autoptr(GError) error = NULL;

  if (limner_store_writer_flush (writer, &error))
    {
      say ("ack %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " %s\n", g_get_real_time (), op, id, digest);
      return TRUE;
    }
  if (!g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT))
    g_error ("save: %s", error->message);
  say ("conflict %" G_GINT64_FORMAT " %s\n", id, digest);
  return FALSE;
}

static void
edit_once (LimnerDocument    *doc,
           LimnerStoreWriter *writer,
           GRand             *rand)
{
  g_autoptr(GError) error = NULL;
  guint n = limner_document_get_n_shapes (doc);
  int op = g_rand_int_range (rand, 0, 10);

  if (n < 2 || op < 5)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double cx = g_rand_double_range (rand, 20, WIDTH - 20);
      double cy = g_rand_double_range (rand, 20, HEIGHT - 20);
      guint k = g_rand_int_range (rand, 3, 12);
      g_autofree char *digest = NULL;
      gint64 id;

      for (guint i = 0; i < k; i++)
        {
          double p[2] = { cx + 15 * cos (2 * G_PI * i / k), cy + 15 * sin (2 * G_PI * i / k) };

          g_array_append_vals (shape->points, p, 2);
        }
      digest = shape_digest (shape);
      id = limner_document_add_shape (doc, shape, &error);
      g_assert_no_error (error);
      save (writer, "add", id, digest);
    }
  else if (op < 8)
    {
      const LimnerShape *old = limner_document_get_nth_shape (doc, g_rand_int_range (rand, 0, n));
      g_autoptr(LimnerShape) moved = limner_shape_copy (old);
      g_autofree char *digest = NULL;
      double dx = g_rand_double_range (rand, -3, 3);

      for (guint i = 0; i < moved->points->len; i += 2)
        g_array_index (moved->points, double, i) = CLAMP (g_array_index (moved->points, double, i) + dx, 0, WIDTH);
      digest = shape_digest (moved);
      if (!limner_document_modify_shape (doc, moved, &error))
        g_error ("modify: %s", error->message);
      save (writer, "edit", moved->id, digest);
    }
  else
    {
      gint64 id = limner_document_get_nth_shape (doc, g_rand_int_range (rand, 0, n))->id;

      if (!limner_document_delete_shapes (doc, &id, 1, &error))
        g_error ("delete: %s", error->message);
      save (writer, "delete", id, "-");
    }
}

static int
child (const char *dir,
       const char *login,
       guint64     seed,
       double      seconds,
       const char *out_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, login, &error);
  g_autoptr(LimnerStoreWriter) writer = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  g_assert_no_error (error);
  out = fopen (out_path, "w");
  g_assert_nonnull (out);
  writer = limner_store_writer_new (dir, login, &error);
  g_assert_no_error (error);

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(LimnerImageRecord) image = limner_queue_next (store, &error);
      g_autoptr(LimnerDocument) doc = NULL;
      guint n_edits = g_rand_int_range (rand, 2, 8);

      if (image == NULL)
        {
          /* Everything is held by the other writer for the moment. */
          g_assert_no_error (error);
          g_usleep (2000);
          continue;
        }
      say ("hold %" G_GINT64_FORMAT "\n", image->id);
      doc = limner_document_open (store, writer, image->id, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n_edits; i++)
        edit_once (doc, writer, rand);
      g_clear_object (&doc);
      if (!limner_store_writer_flush (writer, &error)
          && !g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_CONFLICT))
        g_error ("save: %s", error->message);
      g_clear_error (&error);
      if (!limner_store_release (store, image->id, &error))
        g_error ("release: %s", error->message);
      say ("drop %" G_GINT64_FORMAT "\n", image->id);
      /* A breath between images, so that the other takes some of them. */
      g_usleep (g_rand_int_range (rand, 0, 4000));
    }
  say ("done\n");
  fclose (out);
  return 0;
}

/* --- The parent ---------------------------------------------------------- */

typedef struct {
  gint64  ts;
  char   *op;
  gint64  id;
  char   *digest;
} Ack;

static void
ack_free (gpointer data)
{
  Ack *ack = data;

  g_free (ack->op);
  g_free (ack->digest);
  g_free (ack);
}

static int
compare_acks (gconstpointer a,
              gconstpointer b)
{
  const Ack *x = *(const Ack * const *) a;
  const Ack *y = *(const Ack * const *) b;

  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const LimnerEvent *x = *(const LimnerEvent * const *) a;
  const LimnerEvent *y = *(const LimnerEvent * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* Reads a child's log into `acks`; returns the number of conflicts. */
static guint
read_log (const char *path,
          GPtrArray  *acks)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint conflicts = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);

      if (g_str_equal (lines[i], "done"))
        done = TRUE;
      else if (g_str_has_prefix (lines[i], "ack "))
        {
          Ack *ack = g_new0 (Ack, 1);

          g_assert_cmpuint (g_strv_length (f), ==, 5);
          ack->ts = g_ascii_strtoll (f[1], NULL, 10);
          ack->op = g_strdup (f[2]);
          ack->id = g_ascii_strtoll (f[3], NULL, 10);
          ack->digest = g_strdup (f[4]);
          g_ptr_array_add (acks, ack);
        }
      else if (g_str_has_prefix (lines[i], "conflict "))
        conflicts++;
    }
  g_assert_true (done);
  return conflicts;
}

static gboolean
collect_shape (const LimnerShape *shape,
               gpointer           user_data)
{
  g_hash_table_insert (user_data, g_memdup2 (&shape->id, sizeof shape->id), shape_digest (shape));
  return TRUE;
}

static void
check_claims (LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = limner_store_list_events (store, 0, 0, &error);
  g_autoptr(GHashTable) holder = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) held_by = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  guint handovers = 0;

  g_assert_no_error (error);
  g_ptr_array_sort (events, compare_events);
  for (guint i = 0; i < events->len; i++)
    {
      const LimnerEvent *e = g_ptr_array_index (events, i);
      const char *now = g_hash_table_lookup (holder, &e->image_id);

      if (g_str_equal (e->kind, "image.claim"))
        {
          const char *before = g_hash_table_lookup (held_by, &e->image_id);

          if (now != NULL)
            g_error ("%s claimed image %" G_GINT64_FORMAT " while %s held it", e->login, e->image_id, now);
          if (before != NULL && !g_str_equal (before, e->login))
            handovers++;
          g_hash_table_insert (holder, g_memdup2 (&e->image_id, sizeof e->image_id), g_strdup (e->login));
          g_hash_table_insert (held_by, g_memdup2 (&e->image_id, sizeof e->image_id), g_strdup (e->login));
        }
      else if (g_str_equal (e->kind, "image.release"))
        {
          g_assert_cmpstr (now, ==, e->login);
          g_hash_table_remove (holder, &e->image_id);
        }
      else if (g_str_has_prefix (e->kind, "shape."))
        {
          if (g_strcmp0 (now, e->login) != 0)
            g_error ("%s wrote shape %" G_GINT64_FORMAT " on image %" G_GINT64_FORMAT " held by %s",
                     e->login, e->shape_id, e->image_id, now ? now : "nobody");
        }
    }
  /* The images went back and forth, so the two wrote the same shapes. */
  g_test_message ("%u handovers", handovers);
  g_assert_cmpuint (handovers, >, 0);
}

static void
test_two_writers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-two-writers-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "Project", NULL);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *logins[] = { "ann", "bob" };
  const char *env = g_getenv ("LIMNER_TWO_WRITERS_SECONDS");
  g_autofree char *seconds = g_strdup (env ? env : "5");
  g_autoptr(GPtrArray) acks = g_ptr_array_new_with_free_func (ack_free);
  g_autoptr(GHashTable) model = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GSubprocess *children[2];
  g_autofree char *logs[2] = { NULL, NULL };
  guint conflicts = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_no_error (error);
  {
    g_autoptr(LimnerStore) store = limner_store_create (dir, "Two writers", "lead", &error);

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
      g_assert_true (limner_store_set_user_roles (store, logins[i], LIMNER_ROLE_ANNOTATOR, &error));
    for (guint i = 0; i < N_IMAGES; i++)
      {
        g_autofree char *path = g_strdup_printf ("street-%02u.jpg", i);
        g_autofree char *sha = g_strdup_printf ("%064u", i);

        g_assert_cmpint (limner_store_add_image (store, path, sha, 1000, WIDTH, HEIGHT, "jpeg", &error), >, 0);
        g_assert_no_error (error);
      }
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int () & 0xffff);

      logs[i] = g_build_filename (tmp, logins[i], NULL);
      children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--child", dir, logins[i],
                                      seed, seconds, logs[i], NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (g_subprocess_wait_check (children[i], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (children[i]);
    }

  for (guint i = 0; i < 2; i++)
    {
      guint before = acks->len;

      conflicts += read_log (logs[i], acks);
      g_assert_cmpuint (acks->len, >, before + 5);
    }
  g_test_message ("%u acknowledged edits, %u conflicts", acks->len, conflicts);

  /* Acknowledged edits in the order they were committed. An image changes
   * hands only after its holder's edits were saved, so one shape's edits
   * never race and the clock orders them. */
  g_ptr_array_sort (acks, compare_acks);
  for (guint i = 0; i < acks->len; i++)
    {
      const Ack *ack = g_ptr_array_index (acks, i);

      if (g_str_equal (ack->op, "delete"))
        g_assert_true (g_hash_table_remove (model, &ack->id));
      else
        g_hash_table_insert (model, g_memdup2 (&ack->id, sizeof ack->id), g_strdup (ack->digest));
    }

  {
    g_autoptr(LimnerStore) store = limner_store_open (dir, "lead", &error);
    g_autofree char *db = g_build_filename (dir, LIMNER_STORE_DB_NAME, NULL);
    sqlite3 *raw = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_no_error (error);
    g_assert_true (limner_store_foreach_shape (store, collect_shape, stored, &error));
    g_assert_no_error (error);
    g_hash_table_iter_init (&iter, model);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        const char *have = g_hash_table_lookup (stored, key);

        if (g_strcmp0 (have, value) != 0)
          g_error ("shape %" G_GINT64_FORMAT ": acknowledged %s, stored %s", *(gint64 *) key,
                   (const char *) value, have ? have : "nothing");
      }
    g_assert_cmpuint (g_hash_table_size (stored), ==, g_hash_table_size (model));
    check_claims (store);

    g_assert_cmpint (sqlite3_open_v2 (db, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
  }
  limner_test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (argc == 7 && g_str_equal (argv[1], "--child"))
    {
      if (!limner_core_init (argv[0], &error))
        g_error ("%s", error->message);
      return child (argv[2], argv[3], g_ascii_strtoull (argv[4], NULL, 10),
                    g_ascii_strtod (argv[5], NULL), argv[6]);
    }

  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  g_test_add_func ("/reliability/two-writers", test_two_writers);
  return g_test_run ();
}
