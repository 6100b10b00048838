/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the filter bar above the image grid: status, label, who
 * works the image, search by file name (Ctrl+F, Escape), sort, the "N of M
 * images" count, activation through the filtered model, and a project of
 * 10,000 images. Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "limner-core.h"
#include "limner-grid-filter.h"
#include "limner-image-item.h"
#include "limner-project-page.h"
#include "limner-store-grid.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define LEAD       "lead1"
#define ANNOTATOR  "ann"
#define TIMEOUT_MS 60000

static char *tmp_root;

typedef struct
{
  LimnerProjectPage *page;
  LimnerGridFilter  *filter;
  gboolean           loaded;
} Fixture;

static gint64
add_image (LimnerStore *store,
           const char  *name,
           guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  gint64 id;

  /* No file: the grid lists records; a missing file only costs a thumbnail. */
  id = limner_store_add_image (store, name, sha, 100 + n, 64, 48, "png", &error);
  g_assert_no_error (error);
  return id;
}

static void
add_box (LimnerStore *store,
         gint64       image_id,
         gint64       label_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
  double box[] = { 1, 2, 10, 20 };

  shape->image_id = image_id;
  shape->label_id = label_id;
  g_array_append_vals (shape->points, box, 4);
  g_assert_true (limner_store_insert_shape (store, shape, &error));
  g_assert_no_error (error);
}

static void
on_loaded (gpointer instance,
           gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
page_ready (gpointer data)
{
  Fixture *fx = data;

  return fx->loaded && !limner_project_page_get_loading (fx->page) &&
         !limner_grid_filter_get_loading (fx->filter);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The file names the grid shows, in order, separated by spaces. */
static char *
shown_names (Fixture *fx)
{
  GListModel *model = limner_grid_filter_get_model (fx->filter);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LimnerImageItem) item = g_list_model_get_item (model, i);

      if (names->len > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, limner_image_item_get_name (item));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

#define assert_shown(fx, expected) \
  G_STMT_START { \
    g_autofree char *shown__ = shown_names (fx); \
    g_assert_cmpstr (shown__, ==, expected); \
  } G_STMT_END

/* Activates the shortcut of `widget` with the trigger `keyval` + `mods`, the
 * way its shortcut controller would on that key. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("No shortcut for key %u on %s", keyval, G_OBJECT_TYPE_NAME (widget));
}

static void
on_activated (LimnerProjectPage *page,
              LimnerImageItem   *item,
              gpointer           data)
{
  g_free (*(char **) data);
  *(char **) data = g_strdup (limner_image_item_get_name (item));
}

static GtkWidget *
show_page (Fixture     *fx,
           LimnerStore *store)
{
  GtkWidget *window = adw_window_new ();

  fx->page = LIMNER_PROJECT_PAGE (limner_project_page_new ());
  fx->filter = LIMNER_GRID_FILTER (find_widget (GTK_WIDGET (fx->page), LIMNER_TYPE_GRID_FILTER));
  g_assert_nonnull (fx->filter);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (fx->page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));

  g_signal_connect (fx->page, "loaded", G_CALLBACK (on_loaded), &fx->loaded);
  limner_project_page_set_store (fx->page, store);
  g_assert_true (limner_test_wait_for (page_ready, fx, TIMEOUT_MS));
  return window;
}

static void
test_filter_sort_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_root, "filter", NULL);
  g_autofree char *activated = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerStore) ann = NULL;
  GtkWidget *window, *entry, *focus;
  Fixture fx = { 0 };
  gint64 cat, dog, a, b, c, e;

  store = limner_store_create (dir, "Filter", LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, &error));
  g_assert_true (limner_store_set_user_roles (store, ANNOTATOR, LIMNER_ROLE_ANNOTATOR, &error));
  cat = limner_store_add_label (store, "cat", NULL, NULL, NULL, &error);
  dog = limner_store_add_label (store, "dog", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Added in this order; d10 before d9 so that name and date orders differ. */
  a = add_image (store, "a.png", 1);
  b = add_image (store, "B.png", 2);
  c = add_image (store, "c.png", 3);
  add_image (store, "d10.png", 4);
  add_image (store, "d9.png", 5);
  e = add_image (store, "e.png", 6);

  add_box (store, a, cat);
  add_box (store, b, cat);
  add_box (store, b, dog);
  add_box (store, b, dog);
  add_box (store, c, dog);
  g_assert_true (limner_store_claim (store, b, &error));
  g_assert_true (limner_store_claim (store, c, &error));
  g_assert_true (limner_store_set_image_status (store, c, LIMNER_IMAGE_SUBMITTED, &error));
  g_assert_no_error (error);
  ann = limner_store_open (dir, ANNOTATOR, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_claim (ann, e, &error));
  g_assert_no_error (error);

  window = show_page (&fx, store);
  g_assert_cmpstr (limner_grid_filter_get_count_text (fx.filter), ==, "6 images");
  assert_shown (&fx, "a.png B.png c.png d10.png d9.png e.png");
  g_assert_false (limner_grid_filter_is_filtering (fx.filter));

  /* Status. */
  limner_grid_filter_set_status (fx.filter, LIMNER_IMAGE_NEW);
  assert_shown (&fx, "a.png d10.png d9.png");
  g_assert_cmpstr (limner_grid_filter_get_count_text (fx.filter), ==, "3 of 6 images");
  limner_grid_filter_set_status (fx.filter, LIMNER_IMAGE_IN_PROGRESS);
  assert_shown (&fx, "B.png e.png");
  limner_grid_filter_set_status (fx.filter, LIMNER_IMAGE_SUBMITTED);
  assert_shown (&fx, "c.png");
  limner_grid_filter_set_status (fx.filter, -1);

  /* Label: images with at least one shape of it. */
  limner_grid_filter_set_label (fx.filter, cat);
  assert_shown (&fx, "a.png B.png");
  limner_grid_filter_set_label (fx.filter, dog);
  assert_shown (&fx, "B.png c.png");
  g_assert_cmpstr (limner_grid_filter_get_count_text (fx.filter), ==, "2 of 6 images");

  /* Label and status together. */
  limner_grid_filter_set_status (fx.filter, LIMNER_IMAGE_SUBMITTED);
  assert_shown (&fx, "c.png");
  limner_grid_filter_set_status (fx.filter, -1);
  limner_grid_filter_set_label (fx.filter, 0);

  /* Who holds the image, or last worked it. */
  limner_grid_filter_set_worker (fx.filter, ANNOTATOR);
  assert_shown (&fx, "e.png");
  limner_grid_filter_set_worker (fx.filter, LEAD);
  assert_shown (&fx, "B.png c.png");
  limner_grid_filter_set_worker (fx.filter, NULL);
  assert_shown (&fx, "a.png B.png c.png d10.png d9.png e.png");
  g_assert_cmpstr (limner_grid_filter_get_count_text (fx.filter), ==, "6 images");

  /* Search by file name, ignoring case. */
  limner_grid_filter_set_search (fx.filter, "b.");
  assert_shown (&fx, "B.png");
  limner_grid_filter_set_search (fx.filter, "D1");
  assert_shown (&fx, "d10.png");
  g_assert_cmpstr (limner_grid_filter_get_count_text (fx.filter), ==, "1 of 6 images");

  /* An activated cell is the one shown, not the one at that place in the
   * unfiltered model. */
  g_signal_connect (fx.page, "image-activated", G_CALLBACK (on_activated), &activated);
  g_signal_emit_by_name (find_widget (GTK_WIDGET (fx.page), GTK_TYPE_GRID_VIEW), "activate", 0);
  g_assert_cmpstr (activated, ==, "d10.png");

  /* Escape in the search entry clears it. */
  entry = find_widget (GTK_WIDGET (fx.filter), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "D1");
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  limner_test_iterate (400);
  assert_shown (&fx, "a.png B.png c.png d10.png d9.png e.png");

  /* Ctrl+F on the page puts the focus in the search entry. */
  gtk_widget_grab_focus (find_widget (GTK_WIDGET (fx.page), GTK_TYPE_GRID_VIEW));
  g_assert_true (press_shortcut (GTK_WIDGET (fx.page), GDK_KEY_f, GDK_CONTROL_MASK));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  /* Sorting: by name (numbers as numbers), by status, back by date. */
  limner_grid_filter_set_sort (fx.filter, LIMNER_GRID_SORT_NAME);
  assert_shown (&fx, "a.png B.png c.png d9.png d10.png e.png");
  limner_grid_filter_set_sort (fx.filter, LIMNER_GRID_SORT_STATUS);
  assert_shown (&fx, "a.png d10.png d9.png B.png e.png c.png");
  /* A sorted and filtered grid. */
  limner_grid_filter_set_label (fx.filter, dog);
  assert_shown (&fx, "B.png c.png");
  limner_grid_filter_set_label (fx.filter, 0);
  limner_grid_filter_set_sort (fx.filter, LIMNER_GRID_SORT_ADDED);
  assert_shown (&fx, "a.png B.png c.png d10.png d9.png e.png");

  /* A reload brings changes in: d9 gets a cat. */
  limner_grid_filter_set_label (fx.filter, cat);
  assert_shown (&fx, "a.png B.png");
  add_box (store, a + 4, cat);
  fx.loaded = FALSE;
  limner_project_page_reload (fx.page);
  g_assert_true (limner_test_wait_for (page_ready, &fx, TIMEOUT_MS));
  assert_shown (&fx, "a.png B.png d9.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_large_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_root, "large", NULL);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  GtkWidget *window;
  Fixture fx = { 0 };
  gint64 labels[3], start, info_us, filter_us;
  guint n_images = 10000, n_with_first = 0;

  store = limner_store_create (dir, "Large", LEAD, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *name = g_strdup_printf ("label%u", i);

      labels[i] = limner_store_add_label (store, name, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  g_assert_true (limner_store_begin (store, &error));
  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *name = g_strdup_printf ("img-%05u.png", i);
      gint64 id = add_image (store, name, i);

      /* Two shapes on most images; label0 on every third. */
      add_box (store, id, labels[i % 3]);
      if (i % 5 != 0)
        add_box (store, id, labels[(i + 1) % 3]);
      if (i % 3 == 0 || (i % 5 != 0 && (i + 1) % 3 == 0))
        n_with_first++;
    }
  g_assert_true (limner_store_commit (store, &error));
  g_assert_no_error (error);

  /* One pass over the project, not a query per image. */
  start = g_get_monotonic_time ();
  infos = limner_store_list_grid_info (store, &error);
  info_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, n_images);
  g_assert_cmpuint (((LimnerImageGridInfo *) g_ptr_array_index (infos, 5))->label_ids->len, ==, 1);
  g_assert_cmpuint (((LimnerImageGridInfo *) g_ptr_array_index (infos, 1))->label_ids->len, ==, 2);

  window = show_page (&fx, store);
  g_assert_cmpuint (g_list_model_get_n_items (limner_grid_filter_get_model (fx.filter)), ==, n_images);

  start = g_get_monotonic_time ();
  limner_grid_filter_set_label (fx.filter, labels[0]);
  limner_grid_filter_set_sort (fx.filter, LIMNER_GRID_SORT_NAME);
  filter_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (g_list_model_get_n_items (limner_grid_filter_get_model (fx.filter)), ==, n_with_first);

  g_test_message ("10,000 images: label sets read in %.1f ms, filter and sort by name in %.1f ms",
                  info_us / 1000.0, filter_us / 1000.0);
  /* Generous bounds for a loaded machine; a query per image would take far longer. */
  g_assert_cmpint (info_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (filter_us, <, 5 * G_USEC_PER_SEC);

  limner_grid_filter_set_search (fx.filter, "img-0999");
  /* img-09990..09999 that have label0. */
  {
    guint expected = 0;

    for (guint i = 9990; i < 10000; i++)
      if (i % 3 == 0 || (i % 5 != 0 && (i + 1) % 3 == 0))
        expected++;
    g_assert_cmpuint (g_list_model_get_n_items (limner_grid_filter_get_model (fx.filter)), ==, expected);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-grid-filter");

  g_test_add_func ("/app/grid-filter/filter-sort-search", test_filter_sort_search);
  g_test_add_func ("/app/grid-filter/large-project", test_large_project);

  status = g_test_run ();

  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
