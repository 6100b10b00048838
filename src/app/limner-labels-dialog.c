/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-labels-dialog.c: the label schema editor. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "limner-label-row.h"
#include "limner-labels-dialog.h"

struct _LimnerLabelsDialog
{
  AdwWindow         parent_instance;

  /* Template widgets */
  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkWidget        *add_button;
  GtkRevealer      *readonly_revealer;
  GtkLabel         *readonly_label;
  GtkStack         *list_stack;
  AdwStatusPage    *empty_page;
  GtkWidget        *empty_add_button;
  GtkLabel         *intro_label;
  GtkListBox       *labels_list;

  /* Borrowed references */
  AdwMessageDialog *message_dialog;  /* weak: the add or delete dialog shown */

  /* Owned references */
  LimnerStore      *store;
  GHashTable       *rows;            /* gint64 label id -> LimnerLabelRow (borrowed: the list holds it) */
  GArray           *order;           /* gint64 label ids in list order */
  char             *last_error;

  guint             editable : 1;
  guint             disposed : 1;
};

G_DEFINE_FINAL_TYPE (LimnerLabelsDialog, limner_labels_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EDITABLE,
  N_PROPS
};

enum {
  LABELS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* GNOME palette, for labels added without a colour in mind. */
static const char *const palette[] = {
  "#e01b24", "#2ec27e", "#3584e4", "#f6d32d", "#9141ac",
  "#ff7800", "#33d17a", "#1c71d8", "#c64600", "#865e3c",
};

/* Helpers */

static gboolean
blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void
show_error (LimnerLabelsDialog *self,
            const GError       *error)
{
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  g_message ("%s", error->message);
  if (self->disposed)
    return;

  /* Toast titles are Pango markup; label names may hold '&' or '<'. */
  markup = g_markup_escape_text (error->message, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const LimnerLabel *
find_other_label (LimnerLabelsDialog *self,
                  gint64              except_id,
                  LimnerLabelField    field,
                  const char         *value)
{
  GHashTableIter iter;
  LimnerLabelRow *lr;

  if (value == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    {
      const LimnerLabel *label = limner_label_row_get_label (lr);
      const char *other = field == LIMNER_LABEL_FIELD_NAME ? label->name : label->hotkey;

      if (label->id != except_id && g_strcmp0 (other, value) == 0)
        return label;
    }
  return NULL;
}

/* A friendlier refusal than the database's constraint message, naming both
 * labels. The store still makes the real check. */
static gboolean
check_conflicts (LimnerLabelsDialog *self,
                 gint64              id,
                 const char         *name,
                 const char         *hotkey,
                 GError            **error)
{
  const LimnerLabel *other;

  if ((other = find_other_label (self, id, LIMNER_LABEL_FIELD_NAME, name)) != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                   _("A label named “%s” already exists"), name);
      return FALSE;
    }
  if ((other = find_other_label (self, id, LIMNER_LABEL_FIELD_HOTKEY, hotkey)) != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                   _("Label “%s”: the label “%s” already uses the hotkey “%s”"),
                   name, other->name, hotkey);
      return FALSE;
    }
  return TRUE;
}

static void
changed (LimnerLabelsDialog *self)
{
  limner_labels_dialog_reload (self);
  g_signal_emit (self, signals[LABELS_CHANGED], 0);
}

/* A row's "edit": writes one field of its label to the store. Shows the
 * error and returns FALSE when the store (or the conflict check) refuses it. */
static gboolean
row_edit (LimnerLabelRow     *row,
          LimnerLabelField    field,
          const char         *value,
          LimnerLabelsDialog *self)
{
  const LimnerLabel *label = limner_label_row_get_label (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  LimnerLabel edited;

  if (self->disposed || !self->editable || label == NULL)
    return FALSE;

  edited = *label;
  switch (field)
    {
    case LIMNER_LABEL_FIELD_NAME:
      name = g_strstrip (g_strdup (value));
      edited.name = name;
      break;
    case LIMNER_LABEL_FIELD_COLOR:
      edited.color = (char *) value;
      break;
    case LIMNER_LABEL_FIELD_HOTKEY:
      edited.hotkey = blank (value) ? NULL : (char *) value;
      break;
    case LIMNER_LABEL_FIELD_GUIDE:
      edited.guide = blank (value) ? NULL : (char *) value;
      break;
    default:
      g_assert_not_reached ();
    }

  if (g_strcmp0 (edited.name, label->name) == 0
      && g_strcmp0 (edited.color, label->color) == 0
      && g_strcmp0 (edited.hotkey, label->hotkey) == 0
      && g_strcmp0 (edited.guide, label->guide) == 0)
    return TRUE;

  if (!check_conflicts (self, edited.id, edited.name, edited.hotkey, &error)
      || !limner_store_update_label (self->store, &edited, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  changed (self);
  return TRUE;
}

static gboolean
move_label (LimnerLabelsDialog *self,
            gint64              label_id,
            int                 position)
{
  g_autoptr(GError) error = NULL;

  if (!self->editable)
    return FALSE;
  if (!limner_store_move_label (self->store, label_id, position, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  changed (self);
  return TRUE;
}

static void move_by (LimnerLabelsDialog *self, gint64 label_id, int delta);

static void
row_move (LimnerLabelRow     *row,
          int                 delta,
          LimnerLabelsDialog *self)
{
  const LimnerLabel *label = limner_label_row_get_label (row);

  if (label != NULL)
    move_by (self, label->id, delta);
}

static void
row_drop_label (LimnerLabelRow     *row,
                gint64              dragged,
                LimnerLabelsDialog *self)
{
  move_label (self, dragged, limner_label_row_get_position (row));
}

static LimnerLabelRow *
create_row (LimnerLabelsDialog *self,
            gint64              label_id)
{
  LimnerLabelRow *row = limner_label_row_new (label_id, self->editable);

  g_signal_connect_object (row, "edit", G_CALLBACK (row_edit), self, 0);
  g_signal_connect_object (row, "move", G_CALLBACK (row_move), self, 0);
  g_signal_connect_object (row, "drop-label", G_CALLBACK (row_drop_label), self, 0);
  return row;
}

static int position_of (LimnerLabelsDialog *self, gint64 label_id);

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  int pa = LIMNER_IS_LABEL_ROW (a) ? limner_label_row_get_position (LIMNER_LABEL_ROW (a)) : 0;
  int pb = LIMNER_IS_LABEL_ROW (b) ? limner_label_row_get_position (LIMNER_LABEL_ROW (b)) : 0;

  return pa - pb;
}

static void
update_subtitle (LimnerLabelsDialog *self)
{
  g_autofree char *name = limner_store_dup_name (self->store);
  g_autofree char *subtitle = NULL;
  guint n = self->order->len;

  /* Translators: the labels dialog's subtitle: project name · number of labels */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u label", "%s · %u labels", n),
                              name ? name : "", n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

void
limner_labels_dialog_reload (LimnerLabelsDialog *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  gint64 digit_owner[10] = { 0 };
  GtkWidget *focus;
  GHashTableIter iter;
  LimnerLabelRow *lr;

  g_return_if_fail (LIMNER_IS_LABELS_DIALOG (self));

  if (self->disposed)
    return;
  labels = limner_store_list_labels (self->store, &error);
  if (labels == NULL)
    {
      show_error (self, error);
      return;
    }

  /* Which label, if any, has each digit as its own hotkey. */
  for (guint i = 0; i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);

      if (label->hotkey != NULL && label->hotkey[0] >= '1' && label->hotkey[0] <= '9' &&
          label->hotkey[1] == '\0')
        digit_owner[label->hotkey[0] - '0'] = label->id;
    }

  g_array_set_size (self->order, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      LimnerLabel *label = g_steal_pointer (&labels->pdata[i]);
      gint64 n_shapes = limner_store_count_label_shapes (self->store, label->id);
      gboolean digit_is_own = i < 9 && (digit_owner[i + 1] == 0 || digit_owner[i + 1] == label->id);

      lr = g_hash_table_lookup (self->rows, &label->id);
      if (lr == NULL)
        {
          lr = create_row (self, label->id);
          g_hash_table_insert (self->rows, g_memdup2 (&label->id, sizeof label->id), lr);
          gtk_list_box_append (self->labels_list, GTK_WIDGET (lr));
        }
      g_array_append_val (self->order, label->id);
      limner_label_row_update (lr, label, n_shapes, i, labels->len, digit_is_own);
    }

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    if (position_of (self, limner_label_row_get_label (lr)->id) < 0)
      {
        limner_label_row_set_removed (lr);
        g_hash_table_iter_remove (&iter);
        gtk_list_box_remove (self->labels_list, GTK_WIDGET (lr));
      }

  gtk_list_box_invalidate_sort (self->labels_list);

  /* Focus on a button that just went insensitive (Move Up on the first
   * row) would be lost: keep it on the row. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus != NULL && !gtk_widget_is_sensitive (focus))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, ADW_TYPE_EXPANDER_ROW);

      if (row != NULL)
        gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
    }

  gtk_stack_set_visible_child_name (self->list_stack, self->order->len > 0 ? "list" : "empty");
  update_subtitle (self);
}

/* Adding */

static void
add_dialog_validate (AdwMessageDialog *dialog)
{
  LimnerLabelsDialog *self = g_object_get_data (G_OBJECT (dialog), "labels-dialog");
  GtkEditable *name_row = g_object_get_data (G_OBJECT (dialog), "name-row");
  GtkEditable *hotkey_row = g_object_get_data (G_OBJECT (dialog), "hotkey-row");
  GtkLabel *problem = g_object_get_data (G_OBJECT (dialog), "problem");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (name_row)));
  const char *hotkey = gtk_editable_get_text (hotkey_row);
  gboolean ok = !blank (name);

  if (ok && !check_conflicts (self, 0, name, blank (hotkey) ? NULL : hotkey, &error))
    ok = FALSE;
  gtk_label_set_text (problem, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (problem), error != NULL);
  adw_message_dialog_set_response_enabled (dialog, "add", ok);
}

static void
add_dialog_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     LimnerLabelsDialog *self)
{
  GtkEditable *name_row = g_object_get_data (G_OBJECT (dialog), "name-row");
  GtkEditable *hotkey_row = g_object_get_data (G_OBJECT (dialog), "hotkey-row");
  GtkColorChooser *color = g_object_get_data (G_OBJECT (dialog), "color");
  g_autofree char *name = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(GError) error = NULL;
  const char *hotkey;
  GdkRGBA rgba;
  gint64 id;

  if (!g_str_equal (response, "add") || self->disposed)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (name_row)));
  hotkey = gtk_editable_get_text (hotkey_row);
  if (blank (hotkey))
    hotkey = NULL;
  gtk_color_chooser_get_rgba (color, &rgba);
  hex = limner_label_row_rgba_to_hex (&rgba);

  if (!check_conflicts (self, 0, name, hotkey, &error))
    id = 0;
  else
    id = limner_store_add_label (self->store, name, hex, hotkey, NULL, &error);
  if (id <= 0)
    {
      show_error (self, error);
      return;
    }
  changed (self);

  /* Open the new label so its guideline can be written straight away. */
  {
    LimnerLabelRow *lr = g_hash_table_lookup (self->rows, &id);

    if (lr != NULL)
      limner_label_row_edit_guide (lr);
  }
}

/* The palette colour farthest from every colour in use, so a new label
 * stands apart from the others on the canvas. */
static const char *
unused_color (LimnerLabelsDialog *self)
{
  const char *best = palette[0];
  double best_distance = -1;

  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      GHashTableIter iter;
      LimnerLabelRow *lr;
      GdkRGBA candidate;
      double nearest = G_MAXDOUBLE;

      limner_label_row_hex_to_rgba (palette[i], &candidate);
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
        {
          GdkRGBA used;
          double dr, dg, db;

          limner_label_row_hex_to_rgba (limner_label_row_get_label (lr)->color, &used);
          dr = candidate.red - used.red;
          dg = candidate.green - used.green;
          db = candidate.blue - used.blue;
          nearest = MIN (nearest, dr * dr + dg * dg + db * db);
        }
      if (nearest > best_distance)
        {
          best = palette[i];
          best_distance = nearest;
        }
    }
  return best;
}

static void
present_message_dialog (LimnerLabelsDialog *self,
                        AdwMessageDialog   *dialog)
{
  if (self->message_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->message_dialog));
  g_set_weak_pointer (&self->message_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (widget);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *dialog;
  GtkWidget *name_row;
  GtkWidget *color;
  GtkWidget *hotkey_row;
  GtkWidget *problem;
  GtkEditable *text;
  GdkRGBA rgba;

  if (!self->editable)
    return;

  builder = gtk_builder_new_from_resource ("/io/github/limner/Limner/limner-add-label-dialog.ui");
  dialog = GTK_WIDGET (gtk_builder_get_object (builder, "dialog"));
  name_row = GTK_WIDGET (gtk_builder_get_object (builder, "name_row"));
  color = GTK_WIDGET (gtk_builder_get_object (builder, "color_button"));
  hotkey_row = GTK_WIDGET (gtk_builder_get_object (builder, "hotkey_row"));
  problem = GTK_WIDGET (gtk_builder_get_object (builder, "problem"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));

  limner_label_row_hex_to_rgba (unused_color (self), &rgba);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (color), &rgba);
  text = gtk_editable_get_delegate (GTK_EDITABLE (hotkey_row));
  if (GTK_IS_TEXT (text))
    gtk_text_set_max_length (GTK_TEXT (text), 1);

  g_object_set_data (G_OBJECT (dialog), "labels-dialog", self);
  g_object_set_data (G_OBJECT (dialog), "name-row", name_row);
  g_object_set_data (G_OBJECT (dialog), "hotkey-row", hotkey_row);
  g_object_set_data (G_OBJECT (dialog), "color", color);
  g_object_set_data (G_OBJECT (dialog), "problem", problem);
  g_signal_connect_swapped (name_row, "changed", G_CALLBACK (add_dialog_validate), dialog);
  g_signal_connect_swapped (hotkey_row, "changed", G_CALLBACK (add_dialog_validate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_dialog_response), self, 0);
  add_dialog_validate (ADW_MESSAGE_DIALOG (dialog));

  present_message_dialog (self, ADW_MESSAGE_DIALOG (dialog));
  gtk_widget_grab_focus (name_row);
}

/* Moving */

static int
position_of (LimnerLabelsDialog *self,
             gint64              label_id)
{
  for (guint i = 0; i < self->order->len; i++)
    if (g_array_index (self->order, gint64, i) == label_id)
      return (int) i;
  return -1;
}

static void
move_by (LimnerLabelsDialog *self,
         gint64              label_id,
         int                 delta)
{
  int from = position_of (self, label_id);
  int to = from + delta;

  if (from < 0 || to < 0 || to >= (int) self->order->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  move_label (self, label_id, to);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  move_by (LIMNER_LABELS_DIALOG (widget), g_variant_get_int64 (param), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  move_by (LIMNER_LABELS_DIALOG (widget), g_variant_get_int64 (param), +1);
}

/* Deleting */

static void
delete_response (AdwMessageDialog   *dialog,
                 const char         *response,
                 LimnerLabelsDialog *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "label-id");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete") || self->disposed)
    return;
  /* The store refuses a label in use, even one that became used since the
   * question was asked. */
  if (!limner_store_delete_label (self->store, id, &error))
    {
      show_error (self, error);
      limner_labels_dialog_reload (self);
      return;
    }
  changed (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (widget);
  gint64 id = g_variant_get_int64 (param);
  LimnerLabelRow *lr = g_hash_table_lookup (self->rows, &id);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  gint64 n_shapes;

  if (lr == NULL || !self->editable)
    return;

  n_shapes = limner_store_count_label_shapes (self->store, id);
  if (n_shapes > 0)
    {
      heading = g_strdup (_("Label Is in Use"));
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” is used by %" PRId64 " shape, so it cannot be deleted. "
                                           "Relabel or delete that shape first.",
                                           "“%s” is used by %" PRId64 " shapes, so it cannot be deleted. "
                                           "Relabel or delete those shapes first.",
                                           n_shapes),
                              limner_label_row_get_label (lr)->name, n_shapes);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
      adw_message_dialog_add_response (dialog, "close", _("_OK"));
      adw_message_dialog_set_default_response (dialog, "close");
      adw_message_dialog_set_close_response (dialog, "close");
    }
  else
    {
      heading = g_strdup_printf (_("Delete “%s”?"), limner_label_row_get_label (lr)->name);
      body = g_strdup (_("No shape uses this label. Published versions keep their own copy "
                         "of the labels and are not affected."));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "delete", _("_Delete"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "label-id", g_memdup2 (&id, sizeof id), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
    }
  present_message_dialog (self, dialog);
}

/* Object */

static void
update_editable (LimnerLabelsDialog *self)
{
  LimnerRole roles = limner_store_get_roles (self->store);

  self->editable = (roles & LIMNER_ROLE_LEAD) != 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.add", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.move-up", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.move-down", self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "labels.delete", self->editable);
  gtk_widget_set_visible (self->add_button, self->editable);
  gtk_widget_set_visible (self->empty_add_button, self->editable);
  gtk_revealer_set_reveal_child (self->readonly_revealer, !self->editable);

  if (!self->editable)
    {
      g_autofree char *role_names = limner_role_to_string (roles);
      g_autofree char *text = NULL;

      if (roles == LIMNER_ROLE_NONE)
        text = g_strdup_printf (_("Only a project lead can change the labels. You are signed in as "
                                  "“%s”, who has no role in this project."),
                                limner_store_get_login (self->store));
      else
        /* Translators: the second %s is a list of roles, such as "annotator,reviewer" */
        text = g_strdup_printf (_("Only a project lead can change the labels. You are signed in as "
                                  "“%s” (%s)."),
                                limner_store_get_login (self->store), role_names);
      gtk_label_set_text (self->readonly_label, text);
      gtk_label_set_text (self->intro_label,
                          _("Annotators pick the first nine labels with the keys 1–9, in this "
                            "order, or any label with its own hotkey."));
      adw_status_page_set_description (self->empty_page,
                                       _("A project lead has not defined any labels yet."));
    }
}

/* Closing saves a guideline still being typed, as leaving its field would. */
static gboolean
limner_labels_dialog_close_request (GtkWindow *window)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (window);
  GHashTableIter iter;
  LimnerLabelRow *lr;
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
    g_ptr_array_add (pending, g_object_ref (lr));
  /* save_guide() reloads, which may change the table under the iterator. */
  for (guint i = 0; i < pending->len; i++)
    {
      if (self->editable)
        limner_label_row_save_guide (pending->pdata[i]);
      g_object_unref (pending->pdata[i]);
    }

  return GTK_WINDOW_CLASS (limner_labels_dialog_parent_class)->close_request (window);
}

static void
limner_labels_dialog_constructed (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  update_editable (self);
  limner_labels_dialog_reload (self);
}

static void
limner_labels_dialog_dispose (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  self->disposed = TRUE;
  if (self->message_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->message_dialog));
  g_clear_weak_pointer (&self->message_dialog);
  /* Rows may outlive the dialog in an idle: mark them removed and forget
   * them before the list goes. */
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      LimnerLabelRow *lr;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lr))
        limner_label_row_set_removed (lr);
      g_hash_table_remove_all (self->rows);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_LABELS_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->dispose (object);
}

static void
limner_labels_dialog_finalize (GObject *object)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (limner_labels_dialog_parent_class)->finalize (object);
}

static void
limner_labels_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_labels_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LimnerLabelsDialog *self = LIMNER_LABELS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_labels_dialog_class_init (LimnerLabelsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = limner_labels_dialog_constructed;
  object_class->dispose = limner_labels_dialog_dispose;
  object_class->finalize = limner_labels_dialog_finalize;
  object_class->get_property = limner_labels_dialog_get_property;
  object_class->set_property = limner_labels_dialog_set_property;
  window_class->close_request = limner_labels_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LIMNER_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LimnerLabelsDialog::labels-changed:
   *
   * Emitted after every change to the labels that the store accepted.
   */
  signals[LABELS_CHANGED] = g_signal_new ("labels-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-labels-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, readonly_revealer);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, readonly_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, LimnerLabelsDialog, labels_list);

  gtk_widget_class_install_action (widget_class, "labels.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "labels.move-up", "x", move_up_action);
  gtk_widget_class_install_action (widget_class, "labels.move-down", "x", move_down_action);
  gtk_widget_class_install_action (widget_class, "labels.delete", "x", delete_action);
}

/* Another program (limner-cli, a second window) may have changed the
 * labels while the user was away: re-read them on coming back. */
static void
is_active_changed (LimnerLabelsDialog *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->store != NULL)
    limner_labels_dialog_reload (self);
}

static void
limner_labels_dialog_init (LimnerLabelsDialog *self)
{
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->order = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_list_box_set_sort_func (self->labels_list, sort_rows, NULL, NULL);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_changed), NULL);
}

GtkWindow *
limner_labels_dialog_new (GtkWindow   *parent,
                          LimnerStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);

  return g_object_new (LIMNER_TYPE_LABELS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

LimnerStore *
limner_labels_dialog_get_store (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->store;
}

gboolean
limner_labels_dialog_get_editable (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), FALSE);
  return self->editable;
}

guint
limner_labels_dialog_get_n_labels (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), 0);
  return self->order->len;
}

GtkWidget *
limner_labels_dialog_get_row (LimnerLabelsDialog *self,
                              gint64              label_id)
{
  LimnerLabelRow *lr;

  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);

  lr = g_hash_table_lookup (self->rows, &label_id);
  return lr ? GTK_WIDGET (lr) : NULL;
}

AdwMessageDialog *
limner_labels_dialog_get_message_dialog (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->message_dialog;
}

const char *
limner_labels_dialog_get_last_error (LimnerLabelsDialog *self)
{
  g_return_val_if_fail (LIMNER_IS_LABELS_DIALOG (self), NULL);
  return self->last_error;
}
