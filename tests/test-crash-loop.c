/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crash-loop.c: nothing acknowledged is lost when the process dies.
 *
 * The test runs itself as a child process ("--child edit|export DIR SEED")
 * that annotates through the same core API as the GUI (a LimnerDocument over
 * a threaded LimnerStoreWriter) or exports the project, and kills it with
 * SIGKILL at a random moment, LIMNER_CRASH_ITERATIONS times (default 200).
 *
 * The edit child prints "begin OP ID DIGEST" before an edit and "ack" once
 * the writer has committed it (the moment the GUI would show "All changes
 * saved"). After each kill the parent checks that:
 *  - PRAGMA integrity_check says ok;
 *  - every acknowledged edit is in the project, and the only other state a
 *    shape may be in is that of the one edit in flight at the kill;
 *  - no export file is half-written under its final name: every JSON file
 *    parses, and a manifest, when present, matches every file it lists.
 */
#define G_LOG_DOMAIN "test-crash-loop"

#include "config.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-demo.h"
#include "limner-document.h"
#include "limner-export.h"
#include "limner-store.h"
#include "limner-store-writer.h"
#include "limner-test-util.h"

#define LOGIN "ann"

static char *self_exe;

/* --- The child ----------------------------------------------------------- */

static char *
shape_digest (const LimnerShape *shape)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s/%" G_GINT64_FORMAT "/", limner_shape_kind_to_string (shape->kind),
                          shape->label_id);
  for (guint i = 0; i < shape->points->len; i++)
    g_string_append_printf (s, "%.17g,", g_array_index (shape->points, double, i));
  return g_string_free (s, FALSE);
}

static void
say (const char *format,
     ...)
{
  va_list ap;

  va_start (ap, format);
  vprintf (format, ap);
  va_end (ap);
  fflush (stdout);
}

static gint64
first_image (LimnerStore *store)
{
  g_autoptr(GPtrArray) images = limner_store_list_images (store, NULL);

  g_assert_nonnull (images);
  g_assert_cmpuint (images->len, >, 0);
  return ((LimnerImageRecord *) g_ptr_array_index (images, 0))->id;
}

static int
child_edit (const char *dir,
            guint64     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
  g_autoptr(LimnerStoreWriter) writer = NULL;
  g_autoptr(LimnerDocument) doc = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  gint64 image_id;

  g_assert_no_error (error);
  image_id = first_image (store);
  if (!limner_store_claim (store, image_id, &error))
    g_error ("claim: %s", error->message);
  writer = limner_store_writer_new (dir, LOGIN, &error);
  g_assert_no_error (error);
  doc = limner_document_open (store, writer, image_id, &error);
  g_assert_no_error (error);

  for (;;)
    {
      guint n = limner_document_get_n_shapes (doc);
      int op = g_rand_int_range (rand, 0, 10);

      if (n < 3 || op < 6)
        {
          g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
          double cx = g_rand_double_range (rand, 20, 280);
          double cy = g_rand_double_range (rand, 20, 200);
          guint k = g_rand_int_range (rand, 3, 40);
          g_autofree char *digest = NULL;
          gint64 id;

          for (guint i = 0; i < k; i++)
            {
              double a = 2 * G_PI * i / k;
              double p[2] = { cx + 15 * cos (a), cy + 15 * sin (a) };

              g_array_append_vals (shape->points, p, 2);
            }
          /* The insert may commit before add_shape() returns, so announce
           * the edit first; its id comes with the acknowledgement. */
          digest = shape_digest (shape);
          say ("begin add ? %s\n", digest);
          id = limner_document_add_shape (doc, shape, &error);
          g_assert_no_error (error);
          if (!limner_store_writer_flush (writer, &error))
            g_error ("save: %s", error->message);
          say ("ack %" G_GINT64_FORMAT "\n", id);
          continue;
        }
      else if (op < 9)
        {
          const LimnerShape *old = limner_document_get_nth_shape (doc, g_rand_int_range (rand, 0, n));
          g_autoptr(LimnerShape) moved = limner_shape_copy (old);
          g_autofree char *digest = NULL;
          double dx = g_rand_double_range (rand, -2, 2);

          for (guint i = 0; i < moved->points->len; i += 2)
            g_array_index (moved->points, double, i) =
              CLAMP (g_array_index (moved->points, double, i) + dx, 0, 320);
          digest = shape_digest (moved);
          say ("begin edit %" G_GINT64_FORMAT " %s\n", moved->id, digest);
          if (!limner_document_modify_shape (doc, moved, &error))
            g_error ("modify: %s", error->message);
        }
      else
        {
          gint64 id = limner_document_get_nth_shape (doc, g_rand_int_range (rand, 0, n))->id;

          say ("begin delete %" G_GINT64_FORMAT " -\n", id);
          if (!limner_document_delete_shapes (doc, &id, 1, &error))
            g_error ("delete: %s", error->message);
        }
      if (!limner_store_writer_flush (writer, &error))
        g_error ("save: %s", error->message);
      say ("ack\n");
    }
  return 0;
}

static int
child_export (const char *dir,
              guint64     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
  g_autofree char *out = g_build_filename (dir, "exports", "crash", NULL);
  const char *formats[] = { "limner", "coco", "labelme" };

  g_assert_no_error (error);
  for (guint i = seed;; i++)
    {
      g_autoptr(LimnerDataset) ds = limner_dataset_open (store, 0, &error);
      g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_no_error (error);
      say ("begin export %s\n", formats[i % G_N_ELEMENTS (formats)]);
      if (!limner_export_run (formats[i % G_N_ELEMENTS (formats)], ds, out, options,
                              NULL, NULL, NULL, &error))
        g_error ("export: %s", error->message);
      say ("ack\n");
    }
  return 0;
}

/* --- The parent ---------------------------------------------------------- */

typedef struct {
  char       *tmp;
  char       *dir;
  GHashTable *model; /* shape id (gint64 *) -> digest of its saved state */
  guint       kills_in_flight;
  guint       kills_idle;
  guint       export_kills;
} Fixture;

static GHashTable *
store_state (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = limner_store_open (dir, LOGIN, &error);
  g_autoptr(GPtrArray) shapes = NULL;
  GHashTable *state = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_no_error (error);
  shapes = limner_store_list_shapes (store, first_image (store), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);

      g_hash_table_insert (state, g_memdup2 (&shape->id, sizeof shape->id), shape_digest (shape));
    }
  return state;
}

static void
assert_integrity (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "project.db", NULL);
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* Every file under its final name is whole: JSON parses, and the manifest,
 * if any, lists exactly what is on disk with matching checksums. */
static void
assert_export_whole (const char *out,
                     const char *rel)
{
  g_autofree char *here = rel ? g_build_filename (out, rel, NULL) : g_strdup (out);
  g_autoptr(GDir) d = g_dir_open (here, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (out, sub, NULL);

      if (name[0] == '.')
        continue; /* a temporary file of LimnerAtomicFile: never a final name */
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_export_whole (out, sub);
          continue;
        }
      if (g_str_has_suffix (name, ".json"))
        {
          json_error_t jerr;
          json_t *json = json_load_file (path, JSON_REJECT_DUPLICATES, &jerr);

          if (json == NULL)
            g_error ("%s is half-written: %s", sub, jerr.text);
          if (rel == NULL && g_str_equal (name, "manifest.json"))
            {
              json_t *files = json_object_get (json, "files");
              json_t *file;
              size_t i;

              g_assert_true (json_is_array (files));
              json_array_foreach (files, i, file)
                {
                  const char *fpath = json_string_value (json_object_get (file, "path"));
                  const char *sha = json_string_value (json_object_get (file, "sha256"));
                  g_autofree char *full = NULL;
                  g_autofree char *actual = NULL;

                  g_assert_nonnull (fpath);
                  g_assert_nonnull (sha);
                  full = g_build_filename (out, fpath, NULL);
                  actual = file_sha256 (full);
                  if (!g_str_equal (actual, sha))
                    g_error ("%s does not match the manifest after a crash", fpath);
                }
            }
          json_decref (json);
        }
    }
}

/* Reads the child's lines: the model takes every acknowledged edit; the
 * edit begun and not acknowledged is returned in `in_flight`. */
static void
apply_child_output (Fixture    *f,
                    const char *output,
                    char      **in_flight)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  g_auto(GStrv) pending = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "begin "))
        {
          g_clear_pointer (&pending, g_strfreev);
          pending = g_strsplit (lines[i], " ", 4);
        }
      else if (g_str_has_prefix (lines[i], "ack") && pending != NULL)
        {
          if (g_str_equal (pending[1], "add") || g_str_equal (pending[1], "edit"))
            {
              /* "ack ID" for an add, whose id was not known at its begin. */
              const char *id_str = g_str_equal (pending[1], "add") ? lines[i] + 3 : pending[2];
              gint64 id = g_ascii_strtoll (id_str, NULL, 10);

              g_hash_table_insert (f->model, g_memdup2 (&id, sizeof id), g_strdup (pending[3]));
            }
          else if (g_str_equal (pending[1], "delete"))
            {
              gint64 id = g_ascii_strtoll (pending[2], NULL, 10);

              g_hash_table_remove (f->model, &id);
            }
          g_clear_pointer (&pending, g_strfreev);
        }
    }
  *in_flight = pending ? g_strjoinv (" ", pending) : NULL;
}

static void
check_against_model (Fixture    *f,
                     const char *in_flight)
{
  g_autoptr(GHashTable) state = store_state (f->dir);
  g_auto(GStrv) flight = in_flight ? g_strsplit (in_flight, " ", 4) : NULL;
  gint64 flight_id = flight && flight[1] && !g_str_equal (flight[1], "export")
                     ? g_ascii_strtoll (flight[2], NULL, 10) : 0;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->model);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      const char *saved = g_hash_table_lookup (state, &id);

      if (id == flight_id)
        {
          /* Either the acknowledged state or the one in flight. */
          if (g_str_equal (flight[1], "delete") && saved == NULL)
            continue;
          if (saved != NULL && (g_str_equal (saved, value) || g_str_equal (saved, flight[3])))
            continue;
        }
      if (saved == NULL)
        g_error ("acknowledged shape %" G_GINT64_FORMAT " is lost", id);
      if (!g_str_equal (saved, value))
        g_error ("acknowledged edit of shape %" G_GINT64_FORMAT " is lost: %s, not %s",
                 id, saved, (const char *) value);
    }
  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;

      /* An add in flight may have committed under an id not yet told. */
      if (flight != NULL && g_str_equal (flight[1], "add") && g_str_equal (value, flight[3]))
        continue;
      if (!g_hash_table_contains (f->model, &id) && id != flight_id)
        g_error ("shape %" G_GINT64_FORMAT " is in the project but was deleted or never made", id);
    }
  /* What the project holds is now the truth the next round starts from. */
  g_hash_table_remove_all (f->model);
  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (f->model, g_memdup2 (key, sizeof (gint64)), g_strdup (value));
}

static void
run_and_kill (Fixture  *f,
              gboolean  export,
              guint64   seed,
              guint     delay_us)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed_str = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  const char *argv[] = { self_exe, "--child", export ? "export" : "edit", f->dir, seed_str, NULL };
  GPid pid;
  int out_fd;
  int status;
  GString *output = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *in_flight = NULL;
  char buf[4096];
  ssize_t n;
  gint64 deadline;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);

  /* Wait until the child works (its first "begin"), then a random delay. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (strstr (output->str, "begin") == NULL && g_get_monotonic_time () < deadline
         && (n = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (output, buf, n);
  g_assert_nonnull (strstr (output->str, "begin"));
  g_usleep (delay_us);
  kill (pid, SIGKILL);
  while ((n = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (output, buf, n);
  close (out_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  text = g_string_free (output, FALSE);
  apply_child_output (f, text, &in_flight);
  if (export)
    f->export_kills++;
  else if (in_flight != NULL)
    f->kills_in_flight++;
  else
    f->kills_idle++;

  assert_integrity (f->dir);
  check_against_model (f, in_flight);
  {
    g_autofree char *out = g_build_filename (f->dir, "exports", "crash", NULL);

    assert_export_whole (out, NULL);
  }
}

static void
test_crash_loop (void)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  const char *env = g_getenv ("LIMNER_CRASH_ITERATIONS");
  guint iterations = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 200;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);

  f.tmp = g_dir_make_tmp ("limner-crash-XXXXXX", &error);
  g_assert_no_error (error);
  f.dir = g_build_filename (f.tmp, "Project", NULL);
  f.model = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  {
    g_autoptr(LimnerStore) store = limner_store_create (f.dir, "Crash loop", LOGIN, &error);

    g_assert_no_error (error);
    g_autofree char *images = g_build_filename (f.dir, "demo-images", NULL);

    g_assert_true (limner_demo_generate (store, images, 3, 7, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GHashTable) state = store_state (f.dir);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, state);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (f.model, g_memdup2 (key, sizeof (gint64)), g_strdup (value));
  }

  for (guint i = 0; i < iterations; i++)
    {
      /* One round in five exports; delays from 0 to 60 ms land in commits,
       * between them, and inside file writes and renames. */
      gboolean export = i % 5 == 4;

      run_and_kill (&f, export, i, g_rand_int_range (rand, 0, 60000));
    }
  g_test_message ("%u kills with an edit in flight, %u between edits, %u during exports",
                  f.kills_in_flight, f.kills_idle, f.export_kills);
  g_assert_cmpuint (f.kills_in_flight + f.kills_idle + f.export_kills, ==, iterations);
  /* The harness must actually hit commits, or it proves nothing. */
  if (iterations >= 50)
    g_assert_cmpuint (f.kills_in_flight, >, 0);

  g_hash_table_unref (f.model);
  limner_test_rm_rf (f.tmp);
  g_free (f.dir);
  g_free (f.tmp);
}

int
main (int   argc,
      char *argv[])
{
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (argc == 5 && g_str_equal (argv[1], "--child"))
    {
      g_autoptr(GError) error = NULL;

      if (!limner_core_init (argv[0], &error))
        g_error ("%s", error->message);
      if (g_str_equal (argv[2], "edit"))
        return child_edit (argv[3], g_ascii_strtoull (argv[4], NULL, 10));
      return child_export (argv[3], g_ascii_strtoull (argv[4], NULL, 10));
    }

  g_test_init (&argc, &argv, NULL);
  {
    g_autoptr(GError) error = NULL;

    if (!limner_core_init (argv[0], &error))
      g_error ("%s", error->message);
  }
  g_test_add_func ("/reliability/crash-loop", test_crash_loop);
  return g_test_run ();
}
