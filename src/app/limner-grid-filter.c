/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-grid-filter.h"
#include "limner-image-item.h"
#include "limner-store-grid.h"

/* Keys cached on each item: computing them in every comparison would make
 * sorting 10,000 names take a visible moment. */
#define SORT_KEY_DATA   "limner-grid-filter-sort-key"
#define SEARCH_KEY_DATA "limner-grid-filter-search-key"

struct _LimnerGridFilter
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *label_dropdown;
  GtkDropDown        *worker_dropdown;
  GtkDropDown        *sort_dropdown;
  GtkLabel           *count_label;

  /* Owned references */
  LimnerStore        *store;
  GListModel         *items;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  GCancellable       *cancellable;
  GHashTable         *infos;       /* image id (gint64 *) -> LimnerImageGridInfo */
  GArray             *label_ids;   /* gint64 per label dropdown item; 0 = any */
  GStrv               workers;     /* login per worker dropdown item after "Anyone" */
  char               *search_key;  /* casefolded search text, NULL when empty */
  char               *count_text;

  int                 status;      /* -1 = any */
  gint64              label_id;    /* 0 = any */
  char               *worker;      /* NULL = anyone */
  LimnerGridSort      sort;
  guint               updating_choices : 1;
};

G_DEFINE_FINAL_TYPE (LimnerGridFilter, limner_grid_filter, GTK_TYPE_WIDGET)

enum {
  INFO_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_count (LimnerGridFilter *self)
{
  guint total = self->items ? g_list_model_get_n_items (self->items) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  g_free (self->count_text);
  if (limner_grid_filter_is_filtering (self))
    /* Translators: images shown by the grid's filter, of all images */
    self->count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u of %u image", "%u of %u images", total),
                                        shown, total);
  else
    self->count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", total),
                                        total);
  gtk_label_set_label (self->count_label, self->count_text);
}

/* Filtering and sorting -------------------------------------------------- */

static const LimnerImageGridInfo *
lookup_info (LimnerGridFilter *self,
             LimnerImageItem  *item)
{
  gint64 id = limner_image_item_get_id (item);

  return self->infos ? g_hash_table_lookup (self->infos, &id) : NULL;
}

static const char *
search_key (LimnerImageItem *item)
{
  const char *key = g_object_get_data (G_OBJECT (item), SEARCH_KEY_DATA);

  if (key == NULL)
    {
      char *folded = g_utf8_casefold (limner_image_item_get_name (item), -1);

      g_object_set_data_full (G_OBJECT (item), SEARCH_KEY_DATA, folded, g_free);
      key = folded;
    }
  return key;
}

static const char *
sort_key (LimnerImageItem *item)
{
  const char *key = g_object_get_data (G_OBJECT (item), SORT_KEY_DATA);

  if (key == NULL)
    {
      /* Casefolded first: under the C locale "B.png" would come before "a.png". */
      char *made = g_utf8_collate_key_for_filename (search_key (item), -1);

      g_object_set_data_full (G_OBJECT (item), SORT_KEY_DATA, made, g_free);
      key = made;
    }
  return key;
}

static gboolean
info_has_label (const LimnerImageGridInfo *info,
                gint64                     label_id)
{
  for (guint i = 0; i < info->label_ids->len; i++)
    if (g_array_index (info->label_ids, gint64, i) == label_id)
      return TRUE;
  return FALSE;
}

static gboolean
filter_func (gpointer object,
             gpointer user_data)
{
  LimnerGridFilter *self = user_data;
  LimnerImageItem *item = object;
  const LimnerImageGridInfo *info = NULL;

  if (self->status >= 0 && (int) limner_image_item_get_status (item) != self->status)
    return FALSE;

  if (self->search_key != NULL && strstr (search_key (item), self->search_key) == NULL)
    return FALSE;

  if (self->label_id != 0 || self->worker != NULL)
    {
      /* An image read after the last info load has no shapes yet that the
       * filter could know of: hide it rather than guess. */
      info = lookup_info (self, item);
      if (info == NULL)
        return FALSE;
      if (self->label_id != 0 && !info_has_label (info, self->label_id))
        return FALSE;
      if (self->worker != NULL && g_strcmp0 (info->worker, self->worker) != 0)
        return FALSE;
    }

  return TRUE;
}

static int
compare_ids (LimnerImageItem *a,
             LimnerImageItem *b)
{
  gint64 ia = limner_image_item_get_id (a);
  gint64 ib = limner_image_item_get_id (b);

  return ia < ib ? -1 : ia > ib;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  LimnerGridFilter *self = user_data;
  LimnerImageItem *ia = (LimnerImageItem *) a;
  LimnerImageItem *ib = (LimnerImageItem *) b;
  int cmp = 0;

  switch (self->sort)
    {
    case LIMNER_GRID_SORT_NAME:
      cmp = strcmp (sort_key (ia), sort_key (ib));
      break;

    case LIMNER_GRID_SORT_STATUS:
      cmp = (int) limner_image_item_get_status (ia) - (int) limner_image_item_get_status (ib);
      break;

    case LIMNER_GRID_SORT_ADDED:
    default:
      {
        gint64 ta = limner_image_item_get_record (ia)->added_at;
        gint64 tb = limner_image_item_get_record (ib)->added_at;

        cmp = ta < tb ? -1 : ta > tb;
      }
      break;
    }

  if (cmp == 0)
    cmp = compare_ids (ia, ib);
  return cmp < 0 ? GTK_ORDERING_SMALLER : cmp > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
refilter (LimnerGridFilter *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* The choices in the bar ------------------------------------------------- */

static void
status_selected (LimnerGridFilter *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  self->status = selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
  refilter (self);
}

static void
label_selected (LimnerGridFilter *self)
{
  guint selected = gtk_drop_down_get_selected (self->label_dropdown);

  if (self->updating_choices)
    return;
  self->label_id = selected < self->label_ids->len ? g_array_index (self->label_ids, gint64, selected) : 0;
  refilter (self);
}

static void
worker_selected (LimnerGridFilter *self)
{
  guint selected = gtk_drop_down_get_selected (self->worker_dropdown);

  if (self->updating_choices)
    return;
  g_clear_pointer (&self->worker, g_free);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->workers != NULL &&
      selected - 1 < g_strv_length (self->workers))
    self->worker = g_strdup (self->workers[selected - 1]);
  refilter (self);
}

static void
sort_selected (LimnerGridFilter *self)
{
  static const LimnerGridSort sorts[] = {
    LIMNER_GRID_SORT_ADDED, LIMNER_GRID_SORT_NAME, LIMNER_GRID_SORT_STATUS
  };
  guint selected = gtk_drop_down_get_selected (self->sort_dropdown);

  self->sort = selected < G_N_ELEMENTS (sorts) ? sorts[selected] : LIMNER_GRID_SORT_ADDED;
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

static void
search_changed (LimnerGridFilter *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_key, g_free);
  if (*stripped != '\0')
    self->search_key = g_utf8_casefold (stripped, -1);
  refilter (self);
}

/* Escape in the entry clears the search and shows every image again. */
static void
stop_search (LimnerGridFilter *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static int
compare_logins (gconstpointer a,
                gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Rebuilds the label and worker lists, keeping what was chosen when it is
 * still there. */
static void
set_choices (LimnerGridFilter *self,
             GPtrArray        *labels,
             GPtrArray        *infos)
{
  g_autoptr(GtkStringList) label_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) worker_names = gtk_string_list_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) workers = g_ptr_array_new ();
  guint label_pos = 0, worker_pos = 0;
  gint64 any = 0;

  g_array_set_size (self->label_ids, 0);
  gtk_string_list_append (label_names, _("Any Label"));
  g_array_append_val (self->label_ids, any);
  for (guint i = 0; labels != NULL && i < labels->len; i++)
    {
      const LimnerLabel *label = g_ptr_array_index (labels, i);

      gtk_string_list_append (label_names, label->name);
      g_array_append_val (self->label_ids, label->id);
      if (label->id == self->label_id)
        label_pos = i + 1;
    }
  if (label_pos == 0)
    self->label_id = 0;

  for (guint i = 0; infos != NULL && i < infos->len; i++)
    {
      const LimnerImageGridInfo *info = g_ptr_array_index (infos, i);

      if (info->worker != NULL && g_hash_table_add (seen, info->worker))
        g_ptr_array_add (workers, info->worker);
    }
  g_ptr_array_sort (workers, compare_logins);

  gtk_string_list_append (worker_names, _("Anyone"));
  for (guint i = 0; i < workers->len; i++)
    {
      gtk_string_list_append (worker_names, g_ptr_array_index (workers, i));
      if (g_strcmp0 (g_ptr_array_index (workers, i), self->worker) == 0)
        worker_pos = i + 1;
    }
  if (worker_pos == 0)
    g_clear_pointer (&self->worker, g_free);
  g_strfreev (self->workers);
  g_ptr_array_add (workers, NULL);
  self->workers = g_strdupv ((char **) workers->pdata);

  self->updating_choices = TRUE;
  gtk_drop_down_set_model (self->label_dropdown, G_LIST_MODEL (label_names));
  gtk_drop_down_set_selected (self->label_dropdown, label_pos);
  gtk_drop_down_set_model (self->worker_dropdown, G_LIST_MODEL (worker_names));
  gtk_drop_down_set_selected (self->worker_dropdown, worker_pos);
  self->updating_choices = FALSE;
}

/* Reading the labels and workers ----------------------------------------- */

typedef struct
{
  char *dir;
  char *login;
} InfoData;

typedef struct
{
  GPtrArray *labels; /* of LimnerLabel */
  GPtrArray *infos;  /* of LimnerImageGridInfo */
} InfoResult;

static void
info_data_free (InfoData *data)
{
  g_free (data->dir);
  g_free (data->login);
  g_free (data);
}

static void
info_result_free (InfoResult *result)
{
  g_clear_pointer (&result->labels, g_ptr_array_unref);
  g_clear_pointer (&result->infos, g_ptr_array_unref);
  g_free (result);
}

/* A store is not thread-safe: the worker opens its own. */
static void
info_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  InfoData *data = task_data;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  InfoResult *result = g_new0 (InfoResult, 1);

  store = limner_store_open (data->dir, data->login, &error);
  if (store != NULL)
    result->labels = limner_store_list_labels (store, &error);
  if (result->labels != NULL)
    result->infos = limner_store_list_grid_info (store, &error);
  if (result->infos == NULL)
    {
      info_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) info_result_free);
}

static void
info_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LimnerGridFilter) self = user_data;
  g_autoptr(GError) error = NULL;
  InfoResult *info = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&info, info_result_free);
      return;
    }
  g_clear_object (&self->cancellable);

  if (info == NULL)
    {
      /* The grid still works without them; only these two filters do not.
       * A team server out of reach is no fault: the window's offline banner
       * says so, and the next refresh reads them again. */
      if (g_error_matches (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_OFFLINE))
        g_message ("%s", error->message);
      else
        g_warning ("%s", error->message);
      return;
    }

  g_hash_table_remove_all (self->infos);
  for (guint i = 0; i < info->infos->len; i++)
    {
      LimnerImageGridInfo *grid_info = g_ptr_array_index (info->infos, i);

      g_hash_table_insert (self->infos, &grid_info->image_id, grid_info);
    }
  /* The table now owns the infos. */
  g_ptr_array_set_free_func (info->infos, NULL);
  set_choices (self, info->labels, info->infos);
  info_result_free (info);

  /* Statuses may have changed with the reload: filter and sort again. */
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  refilter (self);
  g_signal_emit (self, signals[INFO_LOADED], 0);
}

/* GObject ---------------------------------------------------------------- */

static void
limner_grid_filter_dispose (GObject *object)
{
  LimnerGridFilter *self = (LimnerGridFilter *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The grid may hold the models a little longer than this widget lives. */
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  if (self->sorter != NULL)
    gtk_custom_sorter_set_sort_func (self->sorter, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIMNER_TYPE_GRID_FILTER);
  /* The template's top-level box is not bound, so unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->items);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (limner_grid_filter_parent_class)->dispose (object);
}

static void
limner_grid_filter_finalize (GObject *object)
{
  LimnerGridFilter *self = (LimnerGridFilter *) object;

  g_hash_table_unref (self->infos);
  g_array_unref (self->label_ids);
  g_strfreev (self->workers);
  g_free (self->search_key);
  g_free (self->count_text);
  g_free (self->worker);

  G_OBJECT_CLASS (limner_grid_filter_parent_class)->finalize (object);
}

static void
limner_grid_filter_class_init (LimnerGridFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = limner_grid_filter_dispose;
  object_class->finalize = limner_grid_filter_finalize;

  /* The labels and workers of the project were read and apply. */
  signals[INFO_LOADED] =
    g_signal_new ("info-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/limner/Limner/limner-grid-filter.ui");
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, worker_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LimnerGridFilter, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, stop_search);

  gtk_widget_class_set_css_name (widget_class, "limner-grid-filter");
}

static void
limner_grid_filter_init (LimnerGridFilter *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sorts = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->status = -1;
  self->sort = LIMNER_GRID_SORT_ADDED;
  self->infos = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify) limner_image_grid_info_free);
  self->label_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_string_list_append (statuses, _("All Statuses"));
  for (int i = 0; i < LIMNER_IMAGE_N_STATUS; i++)
    gtk_string_list_append (statuses, limner_image_status_get_title (i));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  gtk_string_list_append (sorts, _("Date Added"));
  gtk_string_list_append (sorts, _("Name"));
  gtk_string_list_append (sorts, _("Status"));
  gtk_drop_down_set_model (self->sort_dropdown, G_LIST_MODEL (sorts));

  set_choices (self, NULL, NULL);

  g_signal_connect_swapped (self->status_dropdown, "notify::selected", G_CALLBACK (status_selected), self);
  g_signal_connect_swapped (self->label_dropdown, "notify::selected", G_CALLBACK (label_selected), self);
  g_signal_connect_swapped (self->worker_dropdown, "notify::selected", G_CALLBACK (worker_selected), self);
  g_signal_connect_swapped (self->sort_dropdown, "notify::selected", G_CALLBACK (sort_selected), self);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  self->sort_model = gtk_sort_list_model_new (NULL, g_object_ref (GTK_SORTER (self->sorter)));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_swapped (self->filter_model, "items-changed", G_CALLBACK (update_count), self);
  update_count (self);
}

GtkWidget *
limner_grid_filter_new (void)
{
  return g_object_new (LIMNER_TYPE_GRID_FILTER, NULL);
}

void
limner_grid_filter_set_items (LimnerGridFilter *self,
                              GListModel       *items)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));
  g_return_if_fail (G_IS_LIST_MODEL (items));
  g_return_if_fail (self->items == NULL);

  self->items = g_object_ref (items);
  gtk_sort_list_model_set_model (self->sort_model, items);
  update_count (self);
}

GListModel *
limner_grid_filter_get_model (LimnerGridFilter *self)
{
  g_return_val_if_fail (LIMNER_IS_GRID_FILTER (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

void
limner_grid_filter_set_store (LimnerGridFilter *self,
                              LimnerStore      *store)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));
  g_return_if_fail (!store || LIMNER_IS_STORE (store));

  if (self->store == store)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->store, store);
  g_hash_table_remove_all (self->infos);
  /* Another project: its labels and people are others. */
  self->label_id = 0;
  g_clear_pointer (&self->worker, g_free);
  set_choices (self, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refilter (self);
}

void
limner_grid_filter_reload (LimnerGridFilter *self)
{
  g_autoptr(GTask) task = NULL;
  InfoData *data;

  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    {
      refilter (self);
      return;
    }

  data = g_new0 (InfoData, 1);
  data->dir = g_strdup (limner_store_get_dir (self->store));
  data->login = g_strdup (limner_store_get_login (self->store));
  self->cancellable = g_cancellable_new ();

  task = g_task_new (NULL, self->cancellable, info_done, g_object_ref (self));
  g_task_set_source_tag (task, limner_grid_filter_reload);
  g_task_set_task_data (task, data, (GDestroyNotify) info_data_free);
  g_task_run_in_thread (task, info_thread);
}

gboolean
limner_grid_filter_get_loading (LimnerGridFilter *self)
{
  g_return_val_if_fail (LIMNER_IS_GRID_FILTER (self), FALSE);
  return self->cancellable != NULL;
}

void
limner_grid_filter_set_status (LimnerGridFilter *self,
                               int               status)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));
  g_return_if_fail (status >= -1 && status < LIMNER_IMAGE_N_STATUS);

  gtk_drop_down_set_selected (self->status_dropdown, status + 1);
}

void
limner_grid_filter_set_label (LimnerGridFilter *self,
                              gint64            label_id)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  for (guint i = 0; i < self->label_ids->len; i++)
    if (g_array_index (self->label_ids, gint64, i) == label_id)
      {
        gtk_drop_down_set_selected (self->label_dropdown, i);
        return;
      }
  g_warning ("No label %" G_GINT64_FORMAT " to filter the grid by", label_id);
}

void
limner_grid_filter_set_worker (LimnerGridFilter *self,
                               const char       *worker)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  if (worker == NULL)
    {
      gtk_drop_down_set_selected (self->worker_dropdown, 0);
      return;
    }
  for (guint i = 0; self->workers != NULL && self->workers[i] != NULL; i++)
    if (g_str_equal (self->workers[i], worker))
      {
        gtk_drop_down_set_selected (self->worker_dropdown, i + 1);
        return;
      }
  g_warning ("Nobody called %s works images of the grid", worker);
}

void
limner_grid_filter_set_search (LimnerGridFilter *self,
                               const char       *text)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* GtkSearchEntry waits a moment before "search-changed"; apply it now. */
  search_changed (self);
}

void
limner_grid_filter_set_sort (LimnerGridFilter *self,
                             LimnerGridSort    sort)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  switch (sort)
    {
    case LIMNER_GRID_SORT_ADDED:
      gtk_drop_down_set_selected (self->sort_dropdown, 0);
      break;
    case LIMNER_GRID_SORT_NAME:
      gtk_drop_down_set_selected (self->sort_dropdown, 1);
      break;
    case LIMNER_GRID_SORT_STATUS:
      gtk_drop_down_set_selected (self->sort_dropdown, 2);
      break;
    default:
      g_return_if_reached ();
    }
}

gboolean
limner_grid_filter_is_filtering (LimnerGridFilter *self)
{
  g_return_val_if_fail (LIMNER_IS_GRID_FILTER (self), FALSE);
  return self->status >= 0 || self->label_id != 0 || self->worker != NULL || self->search_key != NULL;
}

const char *
limner_grid_filter_get_count_text (LimnerGridFilter *self)
{
  g_return_val_if_fail (LIMNER_IS_GRID_FILTER (self), NULL);
  return self->count_text;
}

void
limner_grid_filter_focus_search (LimnerGridFilter *self)
{
  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static gboolean
focus_search_shortcut (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  limner_grid_filter_focus_search (LIMNER_GRID_FILTER (user_data));
  return TRUE;
}

void
limner_grid_filter_add_shortcuts (LimnerGridFilter *self,
                                  GtkWidget        *scope)
{
  GtkEventController *controller;

  g_return_if_fail (LIMNER_IS_GRID_FILTER (self));
  g_return_if_fail (GTK_IS_WIDGET (scope));

  controller = gtk_shortcut_controller_new ();
  /* Ctrl+F must work with the focus on the grid, not only in the bar. */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_LOCAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (focus_search_shortcut,
                                                                                   self, NULL)));
  gtk_widget_add_controller (scope, controller);
}
