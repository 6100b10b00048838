/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The versions page under a display (Xvfb): it lists the versions of a
 * project, compares two of them on a worker thread, and verifies an export,
 * naming a one-byte change. Without a display this test fails. */
#include "config.h"

#include <adwaita.h>

#include "limner-core.h"
#include "limner-dataset.h"
#include "limner-export.h"
#include "limner-check.h"
#include "limner-import.h"
#include "limner-test-images.h"
#include "limner-versions-page.h"
#include "limner-test-util.h"

#define LEAD "lead1"
#define TIMEOUT_MS 60000

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
wait_for_flag (gboolean *flag)
{
  return limner_test_wait_for (flag_set, flag, TIMEOUT_MS);
}

static void
add_image (LimnerStore *store, const char *dir, const char *rel, gint64 label, gboolean done)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *sha = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double box[] = { 1, 2, 10, 20 };
  gint64 size = 0, id;

  test_write_png (path, 32, 32);
  sha = limner_import_hash_file (path, &size, NULL, &error);
  id = limner_store_add_image (store, rel, sha, size, 32, 32, "png", &error);
  g_assert_no_error (error);
  shape->image_id = id;
  shape->label_id = label;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  if (done)
    {
      g_assert_true (limner_store_set_image_status (store, id, LIMNER_IMAGE_IN_PROGRESS, &error));
      g_assert_true (limner_store_set_image_status (store, id, LIMNER_IMAGE_SUBMITTED, &error));
    }
  g_assert_no_error (error);
}

static void
on_flag (gpointer instance, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
on_verify_shown (LimnerVersionsPage *page, gboolean ok, gpointer data)
{
  int *result = data;
  *result = ok ? 1 : 0;
}

static gboolean
int_set (int *value)
{
  gboolean set = *value >= 0;
  return set;
}

static void
test_versions_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-app-versions-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "proj", NULL);
  g_autofree char *out = g_build_filename (tmp, "export", NULL);
  g_autofree char *text = NULL;
  g_autoptr(LimnerStore) store = NULL;
  LimnerVersionsPage *page;
  GtkWidget *window;
  gboolean shown = FALSE;
  int verified = -1;
  gint64 cat;

  store = limner_store_create (dir, "App", LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, &error));
  cat = limner_store_add_label (store, "cat", NULL, NULL, NULL, &error);
  add_image (store, dir, "a.png", cat, TRUE);
  add_image (store, dir, "b.png", cat, FALSE);
  g_assert_cmpint (limner_store_publish (store, "done", LIMNER_PUBLISH_DONE, &error), ==, 1);
  g_assert_cmpint (limner_store_publish (store, "all", LIMNER_PUBLISH_ALL, &error), ==, 2);
  g_assert_no_error (error);

  window = adw_window_new ();
  page = LIMNER_VERSIONS_PAGE (limner_versions_page_new ());
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));

  limner_versions_page_set_store (page, store);
  g_assert_cmpuint (limner_versions_page_get_n_versions (page), ==, 2);

  /* Compare 1 -> 2 on the worker: b.png is new. */
  g_signal_connect (page, "diff-shown", G_CALLBACK (on_flag), &shown);
  limner_versions_page_compare (page, 1, 2);
  g_assert_true (wait_for_flag (&shown));
  text = limner_versions_page_dup_result_text (page);
  g_assert_nonnull (strstr (text, "images: 1 added, 0 removed, 0 changed, 1 unchanged"));
  g_assert_nonnull (strstr (text, "+ b.png"));
  g_clear_pointer (&text, g_free);

  /* Verify an export: clean, then with one byte changed. */
  {
    g_autoptr(LimnerDataset) ds = limner_dataset_open (store, 2, &error);
    g_assert_true (limner_export_run ("limner", ds, out, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_signal_connect (page, "verify-shown", G_CALLBACK (on_verify_shown), &verified);
  limner_versions_page_verify (page, out);
  {
    gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
    while (!int_set (&verified) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (verified, ==, 1);
  text = limner_versions_page_dup_result_text (page);
  g_assert_nonnull (strstr (text, "matches its manifest"));
  g_clear_pointer (&text, g_free);

  {
    g_autofree char *dataset = g_build_filename (out, "dataset.json", NULL);
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (dataset, &data, &len, &error));
    data[len / 2] ^= 1;
    g_assert_true (g_file_set_contents (dataset, data, len, &error));
  }
  verified = -1;
  limner_versions_page_verify (page, out);
  {
    gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;
    while (!int_set (&verified) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (verified, ==, 0);
  text = limner_versions_page_dup_result_text (page);
  g_assert_nonnull (strstr (text, "dataset.json: the content differs from the manifest"));

  gtk_window_destroy (GTK_WINDOW (window));
  test_rm_rf (tmp);
}

static void
on_store_notify (GObject    *object,
                 GParamSpec *pspec,
                 gboolean   *notified)
{
  *notified = TRUE;
}

static gboolean
title_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
on_toast (LimnerVersionsPage *page,
          AdwToast           *toast,
          char              **title)
{
  g_free (*title);
  *title = g_strdup (adw_toast_get_title (toast));
}

/* The page takes its project through the "store" property and hands its
 * errors on through "toast", knowing nothing of the window around it. */
static void
test_store_property_and_toast (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("limner-app-versions-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "proj", NULL);
  g_autofree char *title = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerStore) got = NULL;
  LimnerVersionsPage *page;
  GtkWidget *window;
  gboolean notified = FALSE;

  store = limner_store_create (dir, "App", LEAD, &error);
  g_assert_no_error (error);

  window = adw_window_new ();
  page = LIMNER_VERSIONS_PAGE (limner_versions_page_new ());
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  g_signal_connect (page, "notify::store", G_CALLBACK (on_store_notify), &notified);
  g_object_set (page, "store", store, NULL);
  g_assert_true (notified);
  g_object_get (page, "store", &got, NULL);
  g_assert_true (got == store);
  g_assert_cmpuint (limner_versions_page_get_n_versions (page), ==, 0);

  /* No version 1 yet: the worker's error comes back as a toast. */
  g_signal_connect (page, "toast", G_CALLBACK (on_toast), &title);
  limner_versions_page_compare (page, 1, 7);
  g_assert_true (limner_test_wait_for (title_set, &title, TIMEOUT_MS));
  g_assert_nonnull (strstr (title, "has no version 1"));

  gtk_window_destroy (GTK_WINDOW (window));
  test_rm_rf (tmp);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_init (&argc, &argv, NULL);
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);
  test_tolerate_vips_warnings ();
  adw_init ();

  g_test_add_func ("/app/versions/page", test_versions_page);
  g_test_add_func ("/app/versions/store-property-and-toast", test_store_property_and_toast);
  return g_test_run ();
}
