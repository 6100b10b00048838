/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The label schema editor under a display (Xvfb): a lead adds, renames,
 * recolours, re-keys, reorders and deletes labels through the dialog's
 * widgets and actions, and the store holds each change at once; a label in
 * use is refused; a user without the lead role sees the list read-only.
 * Without a display this test fails. */
#include "config.h"

#include <adwaita.h>

#include "limner-core.h"
#include "limner-labels-dialog.h"
#include "limner-test-images.h"
#include "limner-window.h"

#define LEAD "lead1"
#define ANNOTATOR "ann1"

typedef struct {
  char        *tmp;
  char        *dir;
  LimnerStore *store;
  gint64       cat;    /* used by two shapes */
  gint64       image;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  f->tmp = g_dir_make_tmp ("limner-app-labels-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "proj", NULL);
  f->store = limner_store_create (f->dir, "Labels Test", LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (f->store, LEAD, LIMNER_ROLE_ANNOTATOR
                                              | LIMNER_ROLE_LEAD, &error));
  g_assert_true (limner_store_set_user_roles (f->store, ANNOTATOR, LIMNER_ROLE_ANNOTATOR, &error));
  f->cat = limner_store_add_label (f->store, "cat", "#e01b24", "c", NULL, &error);
  g_assert_no_error (error);
  f->image = limner_store_add_image (f->store, "a.png", sha, 100, 64, 48, "png", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_BOX);
      double box[] = { 1 + i, 2, 10, 20 };

      shape->image_id = f->image;
      shape->label_id = f->cat;
      g_array_append_vals (shape->points, box, 4);
      g_assert_true (limner_store_insert_shape (f->store, shape, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->tmp);
  g_free (f->dir);
  g_free (f->tmp);
}

/* Helpers */

static void
spin (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row_widget (LimnerLabelsDialog *dialog, gint64 id, const char *name)
{
  GtkWidget *row = limner_labels_dialog_get_row (dialog, id);
  GtkWidget *widget;

  g_assert_nonnull (row);
  widget = find_named (row, name);
  g_assert_nonnull (widget);
  return widget;
}

static LimnerLabel *
stored (LimnerStore *store, gint64 id)
{
  g_autoptr(GError) error = NULL;
  LimnerLabel *label = limner_store_get_label (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (label);
  return label;
}

static int
stored_position (LimnerStore *store, gint64 id)
{
  g_autoptr(LimnerLabel) label = stored (store, id);
  return label->position;
}

static void
count_signal (gpointer instance, gpointer data)
{
  (*(int *) data)++;
}

static char *
collect_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
  return out->str;
}

/* The text a message dialog shows (heading and body). */
static char *
message_text (AdwMessageDialog *dialog)
{
  return g_strdup_printf ("%s\n%s", adw_message_dialog_get_heading (dialog),
                          adw_message_dialog_get_body (dialog));
}

static LimnerLabelsDialog *
open_dialog (LimnerStore *store)
{
  GtkWindow *window = limner_labels_dialog_new (NULL, store);

  g_assert_true (LIMNER_IS_LABELS_DIALOG (window));
  gtk_window_present (window);
  spin ();
  return LIMNER_LABELS_DIALOG (window);
}

/* Tests */

static void
test_lead_edits (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LimnerLabelsDialog *dialog = open_dialog (f->store);
  AdwMessageDialog *message;
  GtkWidget *widget;
  int n_changed = 0;
  gint64 dog;
  GdkRGBA rgba;

  g_signal_connect (dialog, "labels-changed", G_CALLBACK (count_signal), &n_changed);
  g_assert_true (limner_labels_dialog_get_editable (dialog));
  g_assert_cmpuint (limner_labels_dialog_get_n_labels (dialog), ==, 1);
  g_assert_nonnull (limner_labels_dialog_get_row (dialog, f->cat));

  /* Add: the dialog refuses a name or hotkey already taken before the store
   * sees it, then adds "dog" with its colour and hotkey. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "labels.add", NULL);
  message = limner_labels_dialog_get_message_dialog (dialog);
  g_assert_nonnull (message);
  g_assert_false (adw_message_dialog_get_response_enabled (message, "add"));
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (message), "add-name")), "cat");
  g_assert_false (adw_message_dialog_get_response_enabled (message, "add"));
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (message), "add-name")), " dog ");
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (message), "add-hotkey")), "c");
  g_assert_false (adw_message_dialog_get_response_enabled (message, "add"));
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (message), "add-hotkey")), "d");
  g_assert_true (adw_message_dialog_get_response_enabled (message, "add"));
  gdk_rgba_parse (&rgba, "#123456");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (find_named (GTK_WIDGET (message), "add-color")), &rgba);
  adw_message_dialog_response (message, "add");
  gtk_window_destroy (GTK_WINDOW (message));
  spin ();
  {
    g_autoptr(LimnerLabel) label = limner_store_find_label (f->store, "dog", &error);

    g_assert_no_error (error);
    g_assert_nonnull (label);
    g_assert_cmpstr (label->color, ==, "#123456");
    g_assert_cmpstr (label->hotkey, ==, "d");
    g_assert_cmpint (label->position, ==, 1);
    dog = label->id;
  }
  g_assert_cmpint (n_changed, ==, 1);
  g_assert_cmpuint (limner_labels_dialog_get_n_labels (dialog), ==, 2);
  g_assert_nonnull (limner_labels_dialog_get_row (dialog, dog));
  spin ();
  g_assert_false (gtk_widget_is_sensitive (row_widget (dialog, dog, "move-down")));
  g_assert_true (gtk_widget_is_sensitive (row_widget (dialog, dog, "move-up")));

  /* Rename inline: Enter (the entry row's "apply") saves at once. */
  widget = row_widget (dialog, dog, "name-row");
  gtk_editable_set_text (GTK_EDITABLE (widget), "wolf");
  g_signal_emit_by_name (widget, "apply");
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->name, ==, "wolf");
  }
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (limner_labels_dialog_get_row (dialog, dog))),
                   ==, "wolf");
  g_assert_cmpint (n_changed, ==, 2);

  /* A name another label has is refused with a message, and the entry
   * shows the stored name again. */
  gtk_editable_set_text (GTK_EDITABLE (widget), "cat");
  g_signal_emit_by_name (widget, "apply");
  g_assert_nonnull (strstr (limner_labels_dialog_get_last_error (dialog), "“cat” already exists"));
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->name, ==, "wolf");
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (widget)), ==, "wolf");
  g_assert_cmpint (n_changed, ==, 2);

  /* Recolour through the colour button. */
  widget = row_widget (dialog, dog, "color-button");
  gdk_rgba_parse (&rgba, "#33d17a");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (widget), &rgba);
  g_signal_emit_by_name (widget, "color-set");
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->color, ==, "#33d17a");
  }
  g_assert_cmpint (n_changed, ==, 3);

  /* Hotkey: a conflict is refused and reverted; clearing and retyping saves. */
  widget = row_widget (dialog, dog, "hotkey-row");
  gtk_editable_set_text (GTK_EDITABLE (widget), "c");
  spin ();
  g_assert_nonnull (strstr (limner_labels_dialog_get_last_error (dialog), "already uses the hotkey “c”"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (widget)), ==, "d");
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->hotkey, ==, "d");
  }
  gtk_editable_set_text (GTK_EDITABLE (widget), "");
  spin ();
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_null (label->hotkey);
  }
  gtk_editable_set_text (GTK_EDITABLE (widget), "x");
  spin ();
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->hotkey, ==, "x");
  }

  /* Guideline: Enter saves it. */
  widget = row_widget (dialog, dog, "guide-view");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)),
                            "The whole animal,\nincluding the tail.", -1);
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && !handled)
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Return, 36, 0, &handled);
      }
    g_assert_true (handled);
  }
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->guide, ==, "The whole animal,\nincluding the tail.");
  }

  /* Reorder: the Move Up button, then the Move Down action (Alt+Down). */
  g_assert_cmpint (stored_position (f->store, dog), ==, 1);
  g_assert_false (gtk_widget_is_sensitive (row_widget (dialog, f->cat, "move-up")));
  g_assert_true (gtk_widget_is_visible (row_widget (dialog, dog, "move-up")));
  n_changed = 0;
  g_signal_emit_by_name (row_widget (dialog, dog, "move-up"), "clicked");
  spin ();
  g_assert_cmpint (stored_position (f->store, dog), ==, 0);
  g_assert_cmpint (stored_position (f->store, f->cat), ==, 1);
  g_assert_true (gtk_widget_get_next_sibling (limner_labels_dialog_get_row (dialog, dog))
                 == limner_labels_dialog_get_row (dialog, f->cat));
  g_assert_cmpint (n_changed, ==, 1);
  gtk_widget_activate_action (limner_labels_dialog_get_row (dialog, dog), "labels.move-down", "x", dog);
  spin ();
  g_assert_cmpint (stored_position (f->store, dog), ==, 1);
  g_assert_cmpint (stored_position (f->store, f->cat), ==, 0);
  g_assert_cmpint (n_changed, ==, 2);

  /* Another label's position digit is refused as a hotkey by the store:
   * dog (second) cannot take “1”, and the first row keeps Key 1. */
  {
    AdwExpanderRow *cat_row = ADW_EXPANDER_ROW (limner_labels_dialog_get_row (dialog, f->cat));
    AdwExpanderRow *dog_row = ADW_EXPANDER_ROW (limner_labels_dialog_get_row (dialog, dog));

    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (cat_row), "Key 1"));
    gtk_editable_set_text (GTK_EDITABLE (row_widget (dialog, dog, "hotkey-row")), "1");
    spin ();
    g_assert_nonnull (strstr (limner_labels_dialog_get_last_error (dialog), "chooses the label at position 1"));
    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (cat_row), "Key 1"));
    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (dog_row), "Key 2 · Hotkey “x”"));
    {
      g_autoptr(LimnerLabel) label = stored (f->store, dog);
      g_assert_cmpstr (label->hotkey, ==, "x");
    }
    n_changed = 2;
  }

  /* Deleting a label in use: the dialog says how many shapes use it and
   * nothing is deleted. */
  g_signal_emit_by_name (row_widget (dialog, f->cat, "delete-button"), "clicked");
  message = limner_labels_dialog_get_message_dialog (dialog);
  g_assert_nonnull (message);
  {
    g_autofree char *text = message_text (message);

    g_assert_nonnull (strstr (text, "“cat” is used by 2 shapes"));
    g_assert_false (adw_message_dialog_has_response (message, "delete"));
  }
  gtk_window_close (GTK_WINDOW (message));
  spin ();
  {
    g_autoptr(LimnerLabel) label = stored (f->store, f->cat);
    g_assert_cmpstr (label->name, ==, "cat");
  }
  g_assert_nonnull (limner_labels_dialog_get_row (dialog, f->cat));
  g_assert_cmpint (n_changed, ==, 2);

  /* Deleting an unused label asks first; cancelling keeps it. */
  g_signal_emit_by_name (row_widget (dialog, dog, "delete-button"), "clicked");
  message = limner_labels_dialog_get_message_dialog (dialog);
  g_assert_nonnull (message);
  g_assert_true (adw_message_dialog_has_response (message, "delete"));
  adw_message_dialog_response (message, "cancel");
  gtk_window_destroy (GTK_WINDOW (message));
  g_assert_nonnull (limner_labels_dialog_get_row (dialog, dog));
  {
    g_autoptr(LimnerLabel) label = stored (f->store, dog);
    g_assert_cmpstr (label->name, ==, "wolf");
  }

  /* Confirmed, it is gone from the store and the list. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "labels.delete", "x", dog);
  message = limner_labels_dialog_get_message_dialog (dialog);
  g_assert_nonnull (message);
  adw_message_dialog_response (message, "delete");
  gtk_window_destroy (GTK_WINDOW (message));
  spin ();
  {
    g_autoptr(LimnerLabel) label = limner_store_get_label (f->store, dog, &error);

    g_assert_null (label);
    g_assert_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_null (limner_labels_dialog_get_row (dialog, dog));
  g_assert_cmpuint (limner_labels_dialog_get_n_labels (dialog), ==, 1);
  g_assert_cmpint (n_changed, ==, 3);
  g_assert_cmpint (stored_position (f->store, f->cat), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();
}

/* A store error (here: the database refuses a write) shows in the dialog
 * and changes nothing; the dialog stays usable. */
static void
test_store_refusal_is_shown (Fixture *f, gconstpointer data)
{
  g_autoptr(LimnerStore) other = NULL;
  g_autoptr(GError) error = NULL;
  LimnerLabelsDialog *dialog;
  GtkWidget *widget;

  dialog = open_dialog (f->store);
  /* The lead loses the role behind the dialog's back (another process). */
  other = limner_store_open (f->dir, LEAD, &error);
  g_assert_no_error (error);
  g_assert_true (limner_store_set_user_roles (other, "boss", LIMNER_ROLE_LEAD, &error));
  g_assert_true (limner_store_set_user_roles (other, LEAD, LIMNER_ROLE_ANNOTATOR, &error));
  g_assert_no_error (error);

  widget = row_widget (dialog, f->cat, "name-row");
  gtk_editable_set_text (GTK_EDITABLE (widget), "kitten");
  g_signal_emit_by_name (widget, "apply");
  g_assert_nonnull (limner_labels_dialog_get_last_error (dialog));
  g_test_message ("refusal shown: %s", limner_labels_dialog_get_last_error (dialog));
  {
    g_autoptr(LimnerLabel) label = stored (f->store, f->cat);
    g_assert_cmpstr (label->name, ==, "cat");
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (widget)), ==, "cat");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();
}

static void
test_annotator_read_only (Fixture *f, gconstpointer data)
{
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  LimnerLabelsDialog *dialog;

  store = limner_store_open (f->dir, ANNOTATOR, &error);
  g_assert_no_error (error);
  dialog = open_dialog (store);

  g_assert_false (limner_labels_dialog_get_editable (dialog));
  g_assert_cmpuint (limner_labels_dialog_get_n_labels (dialog), ==, 1);
  collect_labels (GTK_WIDGET (dialog), text);
  g_assert_nonnull (strstr (text->str, "Only a project lead can change the labels"));
  g_assert_nonnull (strstr (text->str, "“ann1”"));

  /* Nothing to edit with, and the actions do nothing. */
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (row_widget (dialog, f->cat, "name-row"))));
  g_assert_false (gtk_widget_is_visible (row_widget (dialog, f->cat, "move-up")));
  g_assert_false (gtk_widget_is_visible (row_widget (dialog, f->cat, "delete-button")));
  g_assert_false (gtk_widget_is_sensitive (row_widget (dialog, f->cat, "color-button")));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (row_widget (dialog, f->cat, "guide-view"))));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "labels.add", NULL);
  g_assert_null (limner_labels_dialog_get_message_dialog (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "labels.delete", "x", f->cat);
  g_assert_null (limner_labels_dialog_get_message_dialog (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  spin ();
}

static LimnerLabelsDialog *
find_labels_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (LIMNER_IS_LABELS_DIALOG (toplevel))
        return LIMNER_LABELS_DIALOG (toplevel);
    }
  return NULL;
}

/* The window's "win.edit-labels" (Ctrl+L, the "Labels…" menu item) opens
 * the dialog on the open project, only while a project is open. */
static void
test_window_action (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  LimnerWindow *window = limner_window_new (NULL);
  LimnerLabelsDialog *dialog;

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-labels", NULL);
  spin ();
  g_assert_null (find_labels_dialog ());

  g_assert_true (limner_window_open_project (window, f->dir, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-labels", NULL));
  spin ();
  dialog = find_labels_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (limner_labels_dialog_get_store (dialog) == limner_window_get_store (window));
  g_assert_cmpuint (limner_labels_dialog_get_n_labels (dialog), ==, 1);

  /* A second activation presents the same dialog. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-labels", NULL);
  spin ();
  g_assert_true (find_labels_dialog () == dialog);

  /* Closing the project closes the dialog with it. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  limner_window_close_project (window);
  spin ();
  g_assert_null (dialog);
  g_assert_null (find_labels_dialog ());
  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_init (&argc, &argv, NULL);

  /* A display test without a display is a failure, not a skip. */
  if (!gtk_init_check ())
    g_error ("Cannot open a display; run the app tests under xvfb-run (DISPLAY=%s)",
             g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)");
  adw_init ();
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

  g_test_add ("/app/labels/lead-edits", Fixture, NULL,
              fixture_set_up, test_lead_edits, fixture_tear_down);
  g_test_add ("/app/labels/store-refusal-is-shown", Fixture, NULL,
              fixture_set_up, test_store_refusal_is_shown, fixture_tear_down);
  g_test_add ("/app/labels/annotator-read-only", Fixture, NULL,
              fixture_set_up, test_annotator_read_only, fixture_tear_down);
  g_test_add ("/app/labels/window-action", Fixture, NULL,
              fixture_set_up, test_window_action, fixture_tear_down);
  return g_test_run ();
}
