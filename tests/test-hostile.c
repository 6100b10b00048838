/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile inputs through the core import API: the corpus in
 * tests/data/hostile/ with its expected outcomes (expected.txt), and the
 * inputs made at test time (special files, every-byte truncations, deep
 * nesting, names in other encodings). After an error the project must be
 * as it was: no half-added rows. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "limner-core.h"
#include "limner-image.h"
#include "limner-import.h"
#include "limner-import-annotations.h"
#include "limner-store.h"
#include "limner-test-images.h"

typedef struct {
  char        *root;    /* per-test temporary directory */
  char        *data;    /* root/data: img.jpg, names.txt, one folder per case */
  LimnerStore *store;
} Fixture;

typedef struct {
  gint64 images;
  gint64 shapes;
  guint  labels;
} Counts;

/* A project holding img.jpg (64×48) and the labels cat and dog. */
static LimnerStore *
new_project (Fixture *f, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImportResult) result = NULL;
  g_autofree char *project = g_build_filename (f->root, name, NULL);
  g_autofree char *img = g_build_filename (f->data, "img.jpg", NULL);
  const char *paths[2] = { img, NULL };
  LimnerStore *store = limner_store_create (project, "Hostile", NULL, &error);

  g_assert_no_error (error);
  if (!g_file_test (img, G_FILE_TEST_EXISTS))
    test_write_jpeg (img, 64, 48);
  result = limner_import_run (store, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->added->len, ==, 1);
  g_assert_cmpint (limner_store_add_label (store, "cat", NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (limner_store_add_label (store, "dog", NULL, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  return store;
}

static void
fixture_set_up (Fixture *f, gconstpointer unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;

  f->root = g_dir_make_tmp ("limner-test-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->root, "data", NULL);
  g_assert_cmpint (g_mkdir (f->data, 0755), ==, 0);
  f->store = new_project (f, "project");
  names = g_build_filename (f->data, "names.txt", NULL);
  g_assert_true (g_file_set_contents (names, "cat\ndog\n", -1, NULL));
}

static void
fixture_tear_down (Fixture *f, gconstpointer unused)
{
  g_clear_object (&f->store);
  if (!g_test_failed ())
    test_rm_rf (f->root);
  g_free (f->root);
  g_free (f->data);
}

static Counts
counts (Fixture *f)
{
  g_autoptr(GPtrArray) labels = limner_store_list_labels (f->store, NULL);
  Counts c = { limner_store_count_images (f->store, -1), limner_store_count_shapes (f->store),
               labels != NULL ? labels->len : 0 };

  return c;
}

static void
assert_unchanged (Fixture *f, Counts before, const char *what)
{
  Counts after = counts (f);

  if (after.images != before.images || after.shapes != before.shapes || after.labels != before.labels)
    g_error ("%s: the project changed after an error (images %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
             ", shapes %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT ", labels %u -> %u)",
             what, before.images, after.images, before.shapes, after.shapes, before.labels, after.labels);
}

static void
assert_contains (const char *what, const char *text, const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("%s: expected “%s” in: %s", what, needle, text != NULL ? text : "(nothing)");
}

/* Imports an annotation file; returns the report, or NULL with `error`. */
static LimnerAnnotationImportReport *
import_annotations (Fixture                 *f,
                    const char              *path,
                    LimnerAnnotationFormat   format,
                    const char              *names,
                    GError                 **error)
{
  g_autofree char *default_names = g_build_filename (f->data, "names.txt", NULL);
  LimnerAnnotationImportOptions options = { 0 };

  options.format = format;
  if (format == LIMNER_ANNOTATION_FORMAT_YOLO)
    options.yolo_names = names != NULL ? names : default_names;
  return limner_import_annotations (f->store, path, &options, NULL, NULL, NULL, error);
}

/* The one message of a one-file import: its error, or its notes and skips joined. */
static char *
file_messages (LimnerAnnotationImportReport *report, gboolean *ok)
{
  const LimnerAnnotationFileReport *fr;
  GString *s = g_string_new (NULL);

  g_assert_cmpuint (report->files->len, ==, 1);
  fr = g_ptr_array_index (report->files, 0);
  *ok = fr->ok;
  if (!fr->ok)
    g_string_append (s, fr->error);
  for (guint i = 0; i < fr->notes->len; i++)
    g_string_append_printf (s, "%s\n", (char *) g_ptr_array_index (fr->notes, i));
  for (guint i = 0; i < fr->skipped->len; i++)
    g_string_append_printf (s, "%s\n", (char *) g_ptr_array_index (fr->skipped, i));
  return g_string_free (s, FALSE);
}

/* --- The corpus ----------------------------------------------------------- */

static void
run_case (Fixture *f, guint n, const char *file, const char *what, const char *outcome, const char *detail)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "hostile", file, NULL);
  g_autofree char *dir_name = g_strdup_printf ("case-%u", n);
  g_autofree char *dir = g_build_filename (f->data, dir_name, NULL);
  /* YOLO finds the image by the label file's stem. */
  const char *as = g_str_equal (what, "yolo") ? "img.txt" : file;
  g_autofree char *path = g_build_filename (dir, as, NULL);
  g_autofree char *project = g_strdup_printf ("project-%u", n);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  Counts before;
  gboolean expect_error = g_str_equal (outcome, "error");

  /* A project of its own: no case sees another's shapes as duplicates. */
  g_clear_object (&f->store);
  f->store = new_project (f, project);
  before = counts (f);

  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));

  if (g_str_equal (what, "images"))
    {
      const char *paths[2] = { path, NULL };
      g_autoptr(LimnerImportResult) result = limner_import_run (f->store, paths, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      if (expect_error)
        {
          g_assert_cmpuint (result->added->len, ==, 0);
          g_assert_cmpuint (result->rejected->len, ==, 1);
          assert_contains (file, ((LimnerImportItem *) g_ptr_array_index (result->rejected, 0))->reason, detail);
          assert_contains (file, ((LimnerImportItem *) g_ptr_array_index (result->rejected, 0))->reason, file);
          assert_unchanged (f, before, file);
        }
      else
        {
          g_assert_cmpstr (outcome, ==, "ok");
          if (result->rejected->len > 0)
            g_error ("%s: rejected: %s", file, ((LimnerImportItem *) g_ptr_array_index (result->rejected, 0))->reason);
          g_assert_cmpuint (result->added->len, ==, g_ascii_strtoull (detail, NULL, 10));
        }
      return;
    }
  else
    {
      LimnerAnnotationFormat format;
      g_autoptr(LimnerAnnotationImportReport) report = NULL;
      g_autofree char *messages = NULL;
      gboolean ok = FALSE;

      if (!limner_annotation_format_from_string (what, &format))
        g_error ("expected.txt: %s: unknown WHAT “%s”", file, what);
      report = import_annotations (f, path, format, NULL, &error);
      g_assert_no_error (error);
      messages = file_messages (report, &ok);
      if (expect_error)
        {
          if (ok)
            g_error ("%s: imported, but expected an error with “%s”", file, detail);
          assert_contains (file, messages, detail);
          assert_contains (file, messages, as);
          /* One line, and no raw control characters from the file. */
          g_assert_null (strpbrk (messages, "\r\n"));
          assert_unchanged (f, before, file);
        }
      else
        {
          if (!ok)
            g_error ("%s: failed: %s", file, messages);
          if (g_str_equal (outcome, "ok"))
            g_assert_cmpuint (report->n_imported, ==, g_ascii_strtoull (detail, NULL, 10));
          else if (g_str_equal (outcome, "clamp"))
            g_assert_cmpuint (report->n_clamped, ==, g_ascii_strtoull (detail, NULL, 10));
          else if (g_str_equal (outcome, "note") || g_str_equal (outcome, "skip"))
            assert_contains (file, messages, detail);
          else
            g_error ("expected.txt: %s: unknown outcome “%s”", file, outcome);
        }
    }
}

static void
test_corpus (Fixture *f, gconstpointer unused)
{
  g_autofree char *table = g_test_build_filename (G_TEST_DIST, "data", "hostile", "expected.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir = g_path_get_dirname (table);
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0;

  g_assert_true (g_file_get_contents (table, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (fields) != 4)
        g_error ("expected.txt line %u: expected four tab-separated fields", i + 1);
      g_test_message ("%s: %s, %s %s", fields[0], fields[1], fields[2], fields[3]);
      run_case (f, n++, fields[0], fields[1], fields[2], fields[3]);
      g_hash_table_add (listed, g_strdup (fields[0]));
    }
  g_assert_cmpuint (n, >=, 60);

  /* Every file of the corpus has an expected outcome. */
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (name, "expected.txt") && !g_hash_table_contains (listed, name))
      g_error ("tests/data/hostile/%s is not in expected.txt", name);
}

/* --- Made at test time ---------------------------------------------------- */

/* A FIFO opened for reading with no writer would block for ever, and
 * /dev/zero has no end: both are refused by type, named, at once. */
static void
test_special_files (Fixture *f, gconstpointer unused)
{
  g_autofree char *fifo = g_build_filename (f->data, "pipe.json", NULL);
  g_autofree char *zero = g_build_filename (f->data, "zero.json", NULL);
  g_autofree char *zero_names = g_build_filename (f->data, "zero-names.txt", NULL);
  g_autofree char *fifo_names = g_build_filename (f->data, "pipe-names.txt", NULL);
  g_autofree char *yolo_dir = g_build_filename (f->data, "yolo", NULL);
  g_autofree char *yolo_label = g_build_filename (yolo_dir, "img.txt", NULL);
  g_autofree char *yaml = g_build_filename (yolo_dir, "data.yaml", NULL);
  g_autofree char *good = g_build_filename (f->data, "img.txt", NULL);
  struct {
    const char             *path;
    LimnerAnnotationFormat  format;
    const char             *names;
    const char             *expect;
  } cases[] = {
    { fifo, LIMNER_ANNOTATION_FORMAT_LABELME, NULL, "FIFO" },
    { zero, LIMNER_ANNOTATION_FORMAT_LABELME, NULL, "character device" },
    { good, LIMNER_ANNOTATION_FORMAT_YOLO, zero_names, "character device" },
    { good, LIMNER_ANNOTATION_FORMAT_YOLO, fifo_names, "FIFO" },
  };
  Counts before;

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (mkfifo (fifo_names, 0644), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero_names), ==, 0);
  g_assert_true (g_file_set_contents (good, "0 0.5 0.5 0.2 0.2\n", -1, NULL));
  before = counts (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LimnerAnnotationImportReport) report = NULL;
      g_autofree char *messages = NULL;
      gboolean ok = TRUE;

      report = import_annotations (f, cases[i].path, cases[i].format, cases[i].names, &error);
      if (report != NULL)
        {
          messages = file_messages (report, &ok);
          g_assert_false (ok);
          assert_contains (cases[i].path, messages, cases[i].expect);
        }
      else
        assert_contains (cases[i].path, error->message, cases[i].expect);
      assert_unchanged (f, before, cases[i].path);
    }

  /* Image hashing checks the type on the open descriptor too. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sha = limner_import_hash_file (i == 0 ? fifo : zero, NULL, NULL, &error);

      g_assert_null (sha);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    }

  /* A data.yaml found beside the labels that is a FIFO is named as such,
   * not reported as missing. */
  g_assert_cmpint (g_mkdir (yolo_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (yolo_label, "0 0.5 0.5 0.2 0.2\n", -1, NULL));
  g_assert_cmpint (mkfifo (yaml, 0644), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    LimnerAnnotationImportOptions options = { LIMNER_ANNOTATION_FORMAT_YOLO };
    g_autoptr(LimnerAnnotationImportReport) report =
      limner_import_annotations (f->store, yolo_label, &options, NULL, NULL, NULL, &error);

    g_assert_null (report);
    assert_contains ("data.yaml", error->message, "data.yaml: the path is a FIFO");
  }

  /* The size cap holds on the new read path. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *big = g_build_filename (f->data, "big.json", NULL);
    g_autofree char *filler = g_strnfill (5000, ' ');
    LimnerAnnotationImportOptions options = { LIMNER_ANNOTATION_FORMAT_LABELME };
    g_autoptr(LimnerAnnotationImportReport) report = NULL;
    g_autofree char *messages = NULL;
    gboolean ok = TRUE;

    g_assert_true (g_file_set_contents (big, filler, -1, NULL));
    options.max_file_size = 4096;
    report = limner_import_annotations (f->store, big, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    messages = file_messages (report, &ok);
    g_assert_false (ok);
    assert_contains ("big.json", messages, "limit for annotation files");
  }
}

/* A small labelme file cut after every byte: each prefix fails cleanly. */
static void
test_labelme_every_byte (Fixture *f, gconstpointer unused)
{
  static const char full[] =
    "{\"version\": \"5.0.1\", \"imagePath\": \"img.jpg\", \"imageData\": null,"
    " \"shapes\": [{\"label\": \"cat\", \"shape_type\": \"polygon\", \"group_id\": null,"
    " \"points\": [[2, 3], [20, 3.5], [11, 30]]}]}";
  g_autofree char *path = g_build_filename (f->data, "cut.json", NULL);
  Counts before = counts (f);

  for (gsize n = 0; n < strlen (full); n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LimnerAnnotationImportReport) report = NULL;
      g_autofree char *messages = NULL;
      gboolean ok = TRUE;

      g_assert_true (g_file_set_contents (path, full, n, NULL));
      report = import_annotations (f, path, LIMNER_ANNOTATION_FORMAT_LABELME, NULL, &error);
      g_assert_no_error (error);
      messages = file_messages (report, &ok);
      if (ok)
        g_error ("cut.json cut at byte %zu was imported", n);
      assert_contains ("cut.json", messages, "cut.json");
      assert_unchanged (f, before, "cut.json");
    }

  /* The whole file does import: the loop above tested something. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LimnerAnnotationImportReport) report = NULL;

    g_assert_true (g_file_set_contents (path, full, -1, NULL));
    report = import_annotations (f, path, LIMNER_ANNOTATION_FORMAT_LABELME, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (report->n_imported, ==, 1);
  }
}

static void
expect_annotation_error (Fixture *f, const char *name, const char *text, gsize len,
                         LimnerAnnotationFormat format, const char *expect, gsize max_message)
{
  g_autofree char *path = g_build_filename (f->data, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerAnnotationImportReport) report = NULL;
  g_autofree char *messages = NULL;
  gboolean ok = TRUE;
  Counts before = counts (f);

  g_assert_true (g_file_set_contents (path, text, len, NULL));
  report = import_annotations (f, path, format, NULL, &error);
  g_assert_no_error (error);
  messages = file_messages (report, &ok);
  g_assert_false (ok);
  assert_contains (name, messages, expect);
  if (strlen (messages) > max_message)
    g_error ("%s: the message is %zu bytes long: %.300s…", name, strlen (messages), messages);
  assert_unchanged (f, before, name);
}

/* Deep nesting: JSON refused by jansson's depth limit; VOC by ours, in
 * linear time (the element path was rebuilt at each end tag). */
static void
test_deep_nesting (Fixture *f, gconstpointer unused)
{
  const guint depth = 100000;
  GString *json = g_string_new (NULL);
  GString *xml = g_string_new ("<annotation><filename>img.jpg</filename>");
  gint64 start;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, ']');
  expect_annotation_error (f, "deep.json", json->str, json->len, LIMNER_ANNOTATION_FORMAT_LABELME,
                           "deep.json: line 1", 400);

  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "<a>");
  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "</a>");
  g_string_append (xml, "</annotation>");
  start = g_get_monotonic_time ();
  expect_annotation_error (f, "deep.xml", xml->str, xml->len, LIMNER_ANNOTATION_FORMAT_VOC,
                           "nested more than", 400);
  /* It took 38 s when the cost grew with the square of the depth. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_string_free (json, TRUE);
  g_string_free (xml, TRUE);
}

/* A names list that is one long flow collection, and text with a CR:
 * messages stay short, on one line, with control characters escaped. */
static void
test_yolo_echoes (Fixture *f, gconstpointer unused)
{
  g_autofree char *names = g_build_filename (f->data, "deep-data.yaml", NULL);
  g_autofree char *label = g_build_filename (f->data, "img.txt", NULL);
  GString *yaml = g_string_new ("names: {");
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerAnnotationImportReport) report = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (yaml, "[x, ");
  g_string_append (yaml, "}\n");
  g_assert_true (g_file_set_contents (names, yaml->str, yaml->len, NULL));
  g_assert_true (g_file_set_contents (label, "0 0.5 0.5 0.2 0.2\n", -1, NULL));
  report = import_annotations (f, label, LIMNER_ANNOTATION_FORMAT_YOLO, names, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  assert_contains ("deep-data.yaml", error->message, "deep-data.yaml");
  if (strlen (error->message) > 400)
    g_error ("the names error is %zu bytes long", strlen (error->message));
  g_string_free (yaml, TRUE);

  expect_annotation_error (f, "cr.txt", "0 0.5\r0.5 0.5 0.2 0.2\n", (gsize) -1, LIMNER_ANNOTATION_FORMAT_YOLO,
                           "0.5\\r0.5", 300);
}

/* It was accepted in about one probe in ten: decoding went through a
 * worker pool that sometimes lost the error. */
static void
test_truncated_jpeg_deterministic (Fixture *f, gconstpointer unused)
{
  g_autofree char *full = g_build_filename (f->data, "big.jpg", NULL);
  g_autofree char *cut = g_build_filename (f->data, "big-cut.jpg", NULL);
  LimnerImageInfo info;

  test_write_jpeg (full, 1200, 900);
  test_write_truncated_copy (full, cut, 0.9);
  g_assert_true (limner_image_probe (full, &info, NULL));
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;

      if (limner_image_probe (cut, &info, &error))
        g_error ("probe %u accepted a JPEG truncated at 90%%", i + 1);
      g_assert_error (error, LIMNER_IMAGE_ERROR, LIMNER_IMAGE_ERROR_TRUNCATED);
    }
}

/* Image names in another encoding, a symlink loop and a huge PNG header. */
static void
test_image_names_and_links (Fixture *f, gconstpointer unused)
{
  g_autofree char *dir = g_build_filename (f->data, "names", NULL);
  g_autofree char *latin1 = g_build_filename (dir, "caf\xe9.jpg", NULL);
  g_autofree char *loop = g_build_filename (dir, "loop.jpg", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.png", NULL);
  /* ESC in a name: XML cannot hold it and a terminal would act on it. */
  g_autofree char *escape = g_build_filename (dir, "bad\x1b[2Jname.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImportResult) result = NULL;
  const char *paths[2] = { dir, NULL };
  Counts before = counts (f);
  gboolean seen[4] = { FALSE, FALSE, FALSE, FALSE };

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  test_write_jpeg (latin1, 40, 30);
  g_assert_cmpint (symlink ("loop.jpg", loop), ==, 0);
  test_write_huge_png_header (huge, 100000, 100000);
  test_write_jpeg (escape, 40, 30);

  result = limner_import_run (f->store, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->added->len, ==, 0);
  g_assert_cmpuint (result->rejected->len, ==, 4);
  for (guint i = 0; i < result->rejected->len; i++)
    {
      const LimnerImportItem *item = g_ptr_array_index (result->rejected, i);

      g_assert_true (g_utf8_validate (item->reason, -1, NULL));
      if (strstr (item->reason, "not valid UTF-8") != NULL)
        {
          assert_contains ("café", item->reason, "caf\xef\xbf\xbd.jpg");
          seen[0] = TRUE;
        }
      else if (strstr (item->reason, "control character") != NULL)
        {
          /* Shown escaped, never raw. */
          g_assert_null (strchr (item->reason, '\x1b'));
          g_assert_nonnull (strstr (item->reason, "bad\\033[2Jname.jpg"));
          seen[3] = TRUE;
        }
      else if (strstr (item->reason, "loop.jpg") != NULL)
        seen[1] = TRUE;
      else if (strstr (item->reason, "huge.png") != NULL && strstr (item->reason, "over the limit") != NULL)
        seen[2] = TRUE;
      else
        g_error ("unexpected rejection: %s", item->reason);
    }
  g_assert_true (seen[0] && seen[1] && seen[2] && seen[3]);
  assert_unchanged (f, before, "names");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_tolerate_vips_warnings ();
  g_assert_true (limner_core_init (argv[0], NULL));

#define ADD(name, func) \
  g_test_add ("/core/hostile/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("corpus", test_corpus);
  ADD ("special-files", test_special_files);
  ADD ("labelme-every-byte", test_labelme_every_byte);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("yolo-echoes", test_yolo_echoes);
  ADD ("truncated-jpeg-deterministic", test_truncated_jpeg_deterministic);
  ADD ("image-names-and-links", test_image_names_and_links);
#undef ADD

  return g_test_run ();
}
