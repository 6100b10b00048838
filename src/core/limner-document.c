/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "limner-document-private.h"

G_DEFINE_FINAL_TYPE (LimnerDocument, limner_document, G_TYPE_OBJECT)

G_DEFINE_QUARK (limner-document-error-quark, limner_document_error)

enum {
  PROP_0,
  PROP_IMAGE_ID,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  CHANGED,
  SHAPE_ADDED,
  SHAPE_REMOVED,
  SHAPE_MODIFIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- Commands ------------------------------------------------------------ */

void
_limner_document_command_free (gpointer data)
{
  Command *cmd = data;

  if (cmd == NULL)
    return;
  g_free (cmd->description);
  g_clear_pointer (&cmd->before, limner_shape_free);
  g_clear_pointer (&cmd->after, limner_shape_free);
  g_clear_pointer (&cmd->children, g_ptr_array_unref);
  g_free (cmd);
}

Command *
_limner_document_command_new (CommandKind  kind,
             LimnerShape *before,
             LimnerShape *after)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->kind = kind;
  cmd->before = before;
  cmd->after = after;
  if (kind == COMMAND_GROUP)
    cmd->children = g_ptr_array_new_with_free_func (_limner_document_command_free);
  return cmd;
}

static guint
command_size (const Command *cmd)
{
  return cmd->kind == COMMAND_GROUP ? cmd->children->len : 1;
}

/* --- Items and the z-order ---------------------------------------------- */

static void
item_free (gpointer data)
{
  Item *item = data;

  limner_shape_free (item->shape);
  g_free (item);
}

int
_limner_document_compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *ia = *(const Item * const *) a;
  const Item *ib = *(const Item * const *) b;

  return ia->id < ib->id ? -1 : ia->id > ib->id;
}

static void
ensure_order (LimnerDocument *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->order_valid)
    return;
  g_ptr_array_set_size (self->order, 0);
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->order, value);
  g_ptr_array_sort (self->order, _limner_document_compare_items);
  self->order_valid = TRUE;
}

/* Index of the first item with an id >= `id`. */
static guint
order_lower_bound (LimnerDocument *self,
                   gint64          id)
{
  guint lo = 0, hi = self->order->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      Item *item = g_ptr_array_index (self->order, mid);

      if (item->id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
note (LimnerDocument *self,
      NoteKind        kind,
      gint64          id)
{
  Note n = { kind, id };

  g_array_append_val (self->notes, n);
}

static void
dirty_shape (LimnerDocument    *self,
             const LimnerShape *shape)
{
  LimnerRect bbox = limner_shape_bbox (shape);

  limner_rect_union (&self->dirty, &bbox);
}

static void
index_item (LimnerDocument *self,
            Item           *item)
{
  item->bbox = limner_shape_bbox (item->shape);
  if (limner_rect_is_empty (&item->bbox))
    {
      g_warning ("Shape %" PRId64 " has no points; it cannot be found by position",
                 item->id);
      return;
    }
  limner_spatial_index_insert (self->index, item->id, item->id, &item->bbox);
}

/* Takes `shape`. */
static void
insert_item (LimnerDocument *self,
             LimnerShape    *shape)
{
  Item *item = g_new0 (Item, 1);

  item->id = shape->id;
  item->shape = shape;
  g_assert (!g_hash_table_contains (self->items, &item->id));
  g_hash_table_insert (self->items, &item->id, item);
  index_item (self, item);

  if (self->order_valid)
    g_ptr_array_insert (self->order, order_lower_bound (self, item->id), item);

  if (shape->id >= self->next_local_id)
    self->next_local_id = shape->id + 1;
  dirty_shape (self, shape);
  note (self, NOTE_ADDED, shape->id);
}

static void
remove_item (LimnerDocument *self,
             gint64          id)
{
  Item *item = g_hash_table_lookup (self->items, &id);

  g_assert (item != NULL);
  dirty_shape (self, item->shape);
  limner_spatial_index_remove (self->index, id);
  if (self->order_valid)
    {
      guint pos = order_lower_bound (self, id);

      g_assert (pos < self->order->len && g_ptr_array_index (self->order, pos) == item);
      g_ptr_array_remove_index (self->order, pos);
    }
  g_hash_table_remove (self->items, &id);
  note (self, NOTE_REMOVED, id);
}

/* Takes `shape`, which replaces the item with the same id. */
static void
replace_item (LimnerDocument *self,
              LimnerShape    *shape)
{
  Item *item = g_hash_table_lookup (self->items, &shape->id);

  g_assert (item != NULL);
  dirty_shape (self, item->shape);
  dirty_shape (self, shape);
  limner_shape_free (item->shape);
  item->shape = shape;
  item->bbox = limner_shape_bbox (shape);
  if (!limner_rect_is_empty (&item->bbox))
    limner_spatial_index_update (self->index, shape->id, &item->bbox);
  note (self, NOTE_MODIFIED, shape->id);
}

/* --- Running commands ---------------------------------------------------- */

gboolean
_limner_document_guard_allows (LimnerDocument  *self,
              GError         **error)
{
  return self->guard == NULL || self->guard (self, self->guard_data, error);
}

void
limner_document_set_guard (LimnerDocument      *self,
                           LimnerDocumentGuard  guard,
                           gpointer             user_data)
{
  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  self->guard = guard;
  self->guard_data = user_data;
}

static void
apply (LimnerDocument *self,
       Command        *cmd,
       gboolean        forward)
{
  LimnerStoreWriter *writer = self->writer;

  self->edit_serial++;
  switch (cmd->kind)
    {
    case COMMAND_ADD:
    case COMMAND_DELETE:
      {
        gboolean adding = (cmd->kind == COMMAND_ADD) == forward;
        const LimnerShape *shape = cmd->kind == COMMAND_ADD ? cmd->after : cmd->before;

        if (adding)
          {
            LimnerShape *copy = limner_shape_copy (shape);

            copy->row_version = 1; /* a stored insert starts at 1 */
            insert_item (self, copy);
            /* Same id as before: an undone delete comes back as itself. */
            if (writer)
              limner_store_writer_insert_shape (writer, shape);
          }
        else
          {
            Item *item = g_hash_table_lookup (self->items, &shape->id);
            gint64 version = item ? item->shape->row_version : 0;

            remove_item (self, shape->id);
            if (writer)
              limner_store_writer_delete_shape (writer, shape->id, version);
          }
      }
      break;

    case COMMAND_MODIFY:
      {
        const LimnerShape *shape = forward ? cmd->after : cmd->before;
        Item *item = g_hash_table_lookup (self->items, &shape->id);
        LimnerShape *copy = limner_shape_copy (shape);

        /* Checked against the version read from the store; the writer
         * accounts for what its own earlier jobs did to it. */
        copy->row_version = item ? item->shape->row_version : 0;
        if (writer)
          limner_store_writer_update_shape (writer, copy);
        replace_item (self, copy);
      }
      break;

    case COMMAND_GROUP:
      if (writer)
        limner_store_writer_begin (writer);
      if (cmd->children->len > BULK_THRESHOLD)
        self->order_valid = FALSE;
      for (guint i = 0; i < cmd->children->len; i++)
        {
          guint k = forward ? i : cmd->children->len - 1 - i;

          apply (self, g_ptr_array_index (cmd->children, k), forward);
        }
      if (writer)
        limner_store_writer_commit (writer);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Sends what the last command(s) changed. */
static void
emit_changes (LimnerDocument *self)
{
  g_autoptr(GArray) notes = NULL;
  LimnerRect dirty = self->dirty;

  if (self->notes->len == 0 && limner_rect_is_empty (&dirty))
    return;

  /* Handlers may edit the document again: start fresh before calling them. */
  notes = g_steal_pointer (&self->notes);
  self->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  self->dirty = limner_rect_empty ();

  for (guint i = 0; i < notes->len; i++)
    {
      const Note *n = &g_array_index (notes, Note, i);
      guint signal_id = n->kind == NOTE_ADDED ? signals[SHAPE_ADDED]
                      : n->kind == NOTE_REMOVED ? signals[SHAPE_REMOVED]
                      : signals[SHAPE_MODIFIED];

      g_signal_emit (self, signal_id, 0, n->id);
    }
  g_signal_emit (self, signals[CHANGED], 0, &dirty);
}

void
_limner_document_notify_undo_state (LimnerDocument *self,
                   gboolean        could_undo,
                   gboolean        could_redo)
{
  if (could_undo != limner_document_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != limner_document_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Applies a new command and records it. Takes `cmd`. */
void
_limner_document_execute (LimnerDocument *self,
         Command        *cmd)
{
  gboolean could_undo = limner_document_can_undo (self);
  gboolean could_redo = limner_document_can_redo (self);

  apply (self, cmd, TRUE);

  /* A new edit starts a new future: what could be redone is gone. */
  g_ptr_array_set_size (self->redo_stack, 0);
  if (self->open_group != NULL)
    g_ptr_array_add (self->open_group->children, cmd);
  else
    g_ptr_array_add (self->undo_stack, cmd);

  emit_changes (self);
  _limner_document_notify_undo_state (self, could_undo, could_redo);
}

/* --- GObject ------------------------------------------------------------- */

static void
limner_document_finalize (GObject *object)
{
  LimnerDocument *self = LIMNER_DOCUMENT (object);

  g_warn_if_fail (self->group_depth == 0);
  g_clear_pointer (&self->open_group, _limner_document_command_free);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->index, limner_spatial_index_free);
  g_clear_pointer (&self->hidden_labels, g_hash_table_unref);
  g_clear_pointer (&self->locked_labels, g_hash_table_unref);
  g_clear_pointer (&self->undo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->redo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->notes, g_array_unref);
  g_clear_object (&self->writer);

  G_OBJECT_CLASS (limner_document_parent_class)->finalize (object);
}

static void
limner_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LimnerDocument *self = LIMNER_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ID:
      g_value_set_int64 (value, self->image_id);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, limner_document_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, limner_document_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_document_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LimnerDocument *self = LIMNER_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ID:
      self->image_id = g_value_get_int64 (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_int (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
limner_document_class_init (LimnerDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = limner_document_finalize;
  object_class->get_property = limner_document_get_property;
  object_class->set_property = limner_document_set_property;

  properties[PROP_IMAGE_ID] =
    g_param_spec_int64 ("image-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LIMNER_TYPE_RECT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SHAPE_ADDED] =
    g_signal_new ("shape-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHAPE_REMOVED] =
    g_signal_new ("shape-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SHAPE_MODIFIED] =
    g_signal_new ("shape-modified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
limner_document_init (LimnerDocument *self)
{
  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, item_free);
  self->order = g_ptr_array_new ();
  self->order_valid = TRUE;
  self->index = limner_spatial_index_new (0);
  self->hidden_labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->locked_labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->undo_stack = g_ptr_array_new_with_free_func (_limner_document_command_free);
  self->redo_stack = g_ptr_array_new_with_free_func (_limner_document_command_free);
  self->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  self->dirty = limner_rect_empty ();
  self->next_local_id = 1;
}

LimnerDocument *
limner_document_new (gint64             image_id,
                     int                width,
                     int                height,
                     LimnerStoreWriter *writer)
{
  LimnerDocument *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (writer == NULL || LIMNER_IS_STORE_WRITER (writer), NULL);

  self = g_object_new (LIMNER_TYPE_DOCUMENT,
                       "image-id", image_id,
                       "width", width,
                       "height", height,
                       NULL);
  if (writer != NULL)
    self->writer = g_object_ref (writer);
  return self;
}

LimnerDocument *
limner_document_open (LimnerStore        *store,
                      LimnerStoreWriter  *writer,
                      gint64              image_id,
                      GError            **error)
{
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GError) flush_error = NULL;
  LimnerDocument *self;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (writer == NULL || LIMNER_IS_STORE_WRITER (writer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An earlier failure was already signalled; it must not stop this open. */
  if (writer != NULL && !limner_store_writer_flush (writer, &flush_error))
    g_debug ("Opening image %" PRId64 " after a failed save: %s",
             image_id, flush_error->message);

  image = limner_store_get_image (store, image_id, error);
  if (image == NULL)
    return NULL;
  shapes = limner_store_list_shapes (store, image_id, error);
  if (shapes == NULL)
    return NULL;

  self = limner_document_new (image_id, image->width, image->height, writer);
  limner_document_reset_shapes (self, shapes);
  return self;
}

void
limner_document_reset_shapes (LimnerDocument *self,
                              GPtrArray      *shapes)
{
  gboolean could_undo, could_redo;
  LimnerShape **taken;
  gsize n_taken = 0;

  g_return_if_fail (LIMNER_IS_DOCUMENT (self));
  g_return_if_fail (shapes != NULL);
  g_return_if_fail (self->group_depth == 0);

  could_undo = limner_document_can_undo (self);
  could_redo = limner_document_can_redo (self);

  /* Everything that was there goes, with a notification each. */
  ensure_order (self);
  for (guint i = 0; i < self->order->len; i++)
    {
      Item *item = g_ptr_array_index (self->order, i);

      dirty_shape (self, item->shape);
      note (self, NOTE_REMOVED, item->id);
    }
  g_ptr_array_set_size (self->order, 0);
  g_hash_table_remove_all (self->items);
  limner_spatial_index_clear (self->index);
  g_hash_table_remove_all (self->hidden_labels);
  g_hash_table_remove_all (self->locked_labels);
  g_ptr_array_set_size (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);

  self->order_valid = FALSE;
  taken = (LimnerShape **) g_ptr_array_steal (shapes, &n_taken);
  for (gsize i = 0; i < n_taken; i++)
    {
      if (taken[i] == NULL)
        continue;
      if (taken[i]->id <= 0 || g_hash_table_contains (self->items, &taken[i]->id))
        {
          g_warning ("Skipping a shape with a missing or repeated id (%" PRId64 ")",
                     taken[i]->id);
          limner_shape_free (taken[i]);
          continue;
        }
      insert_item (self, taken[i]);
    }
  g_free (taken);

  emit_changes (self);
  _limner_document_notify_undo_state (self, could_undo, could_redo);
}

guint
limner_document_merge_shapes (LimnerDocument *self,
                              GPtrArray      *shapes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  Item *item;
  guint n_changed = 0;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (shapes != NULL && self->group_depth == 0, 0);

  for (guint i = 0; i < shapes->len; i++)
    {
      LimnerShape *shape = g_ptr_array_index (shapes, i);

      if (shape == NULL || shape->id <= 0 || g_hash_table_contains (seen, &shape->id))
        continue;
      item = g_hash_table_lookup (self->items, &shape->id);
      g_hash_table_add (seen, &shape->id);
      if (item != NULL && item->shape->row_version == shape->row_version)
        continue;
      /* Our own save coming back: take the version, keep the shape. */
      if (item != NULL && limner_shape_same_content (item->shape, shape))
        {
          item->shape->row_version = shape->row_version;
          continue;
        }
      g_ptr_array_index (shapes, i) = NULL;
      if (item != NULL)
        replace_item (self, shape);
      else
        insert_item (self, shape);
      n_changed++;
    }
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &item))
    if (!g_hash_table_contains (seen, &item->id))
      g_array_append_val (gone, item->id);
  for (guint i = 0; i < gone->len; i++)
    remove_item (self, g_array_index (gone, gint64, i));
  n_changed += gone->len;
  emit_changes (self);
  return n_changed;
}

gint64
limner_document_get_image_id (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->image_id;
}

int
limner_document_get_width (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->width;
}

int
limner_document_get_height (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->height;
}

LimnerStoreWriter *
limner_document_get_writer (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  return self->writer;
}

guint64
limner_document_get_edit_serial (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->edit_serial;
}

/* --- Reading ------------------------------------------------------------- */

guint
limner_document_get_n_shapes (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return g_hash_table_size (self->items);
}

const LimnerShape *
limner_document_get_nth_shape (LimnerDocument *self,
                               guint           position)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  ensure_order (self);
  if (position >= self->order->len)
    return NULL;
  return ((Item *) g_ptr_array_index (self->order, position))->shape;
}

Item *
_limner_document_lookup (LimnerDocument *self,
        gint64          id)
{
  return g_hash_table_lookup (self->items, &id);
}

const LimnerShape *
limner_document_get_shape (LimnerDocument *self,
                           gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  item = _limner_document_lookup (self, id);
  return item ? item->shape : NULL;
}

static gboolean
item_visible (LimnerDocument *self,
              const Item     *item)
{
  return !item->hidden &&
         (g_hash_table_size (self->hidden_labels) == 0 ||
          !g_hash_table_contains (self->hidden_labels, &item->shape->label_id));
}

gboolean
_limner_document_item_locked (LimnerDocument *self,
             const Item     *item)
{
  return item->locked ||
         (g_hash_table_size (self->locked_labels) > 0 &&
          g_hash_table_contains (self->locked_labels, &item->shape->label_id));
}

/* Visible items whose bbox meets `rect`, bottom first. */
static GPtrArray *
query_items (LimnerDocument   *self,
             const LimnerRect *rect)
{
  GPtrArray *items = g_ptr_array_new ();
  LimnerRect image = { 0, 0, self->width, self->height };
  double image_area = (double) self->width * self->height;
  LimnerRect clipped = *rect;

  if (limner_rect_is_empty (rect))
    return items;

  clipped.x0 = MAX (clipped.x0, image.x0);
  clipped.y0 = MAX (clipped.y0, image.y0);
  clipped.x1 = MIN (clipped.x1, image.x1);
  clipped.y1 = MIN (clipped.y1, image.y1);
  if (!limner_rect_is_empty (&clipped) &&
      (clipped.x1 - clipped.x0) * (clipped.y1 - clipped.y0) >= LINEAR_QUERY_SHARE * image_area)
    {
      ensure_order (self);
      for (guint i = 0; i < self->order->len; i++)
        {
          Item *item = g_ptr_array_index (self->order, i);

          if (limner_rect_intersects (&item->bbox, rect) && item_visible (self, item))
            g_ptr_array_add (items, item);
        }
    }
  else
    {
      g_autoptr(GArray) ids = limner_spatial_index_query_rect (self->index, rect);

      for (guint i = 0; i < ids->len; i++)
        {
          Item *item = _limner_document_lookup (self, g_array_index (ids, gint64, i));

          if (item != NULL && item_visible (self, item))
            g_ptr_array_add (items, item);
        }
    }
  return items;
}

GArray *
limner_document_query_rect (LimnerDocument   *self,
                            const LimnerRect *rect)
{
  g_autoptr(GPtrArray) items = NULL;
  GArray *ids;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (rect != NULL, NULL);

  items = query_items (self, rect);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), items->len);
  for (guint i = 0; i < items->len; i++)
    g_array_append_val (ids, ((Item *) g_ptr_array_index (items, i))->id);
  return ids;
}

GPtrArray *
limner_document_query_rect_shapes (LimnerDocument   *self,
                                   const LimnerRect *rect)
{
  GPtrArray *items;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (rect != NULL, NULL);

  /* Item* -> LimnerShape* in place. */
  items = query_items (self, rect);
  for (guint i = 0; i < items->len; i++)
    items->pdata[i] = ((Item *) items->pdata[i])->shape;
  return items;
}

GArray *
limner_document_hit_test (LimnerDocument *self,
                          double          x,
                          double          y,
                          double          tolerance,
                          LimnerHitFlags  flags)
{
  GArray *ids;
  guint kept = 0;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  tolerance = MAX (tolerance, 0);
  ids = limner_spatial_index_query_point (self->index, x, y, tolerance);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      Item *item = _limner_document_lookup (self, id);

      if (item == NULL)
        continue;
      if (!(flags & LIMNER_HIT_INCLUDE_HIDDEN) && !item_visible (self, item))
        continue;
      if (!(flags & LIMNER_HIT_INCLUDE_LOCKED) && _limner_document_item_locked (self, item))
        continue;
      if (limner_shape_contains_point (item->shape, x, y) ||
          (tolerance > 0 && limner_shape_outline_distance (item->shape, x, y) <= tolerance))
        g_array_index (ids, gint64, kept++) = id;
    }
  g_array_set_size (ids, kept);
  return ids;
}

LimnerSpatialIndex *
limner_document_get_index (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  return self->index;
}

/* --- UI state ------------------------------------------------------------ */

/* A UI-state change: no command, but the same notifications. */
static void
state_changed (LimnerDocument *self,
               Item           *item)
{
  dirty_shape (self, item->shape);
  note (self, NOTE_MODIFIED, item->id);
}

void
limner_document_set_shape_hidden (LimnerDocument *self,
                                  gint64          id,
                                  gboolean        hidden)
{
  Item *item;

  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  item = _limner_document_lookup (self, id);
  if (item == NULL || item->hidden == !!hidden)
    return;
  item->hidden = !!hidden;
  state_changed (self, item);
  emit_changes (self);
}

gboolean
limner_document_get_shape_hidden (LimnerDocument *self,
                                  gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  item = _limner_document_lookup (self, id);
  return item != NULL && item->hidden;
}

void
limner_document_set_shape_locked (LimnerDocument *self,
                                  gint64          id,
                                  gboolean        locked)
{
  Item *item;

  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  item = _limner_document_lookup (self, id);
  if (item == NULL || item->locked == !!locked)
    return;
  item->locked = !!locked;
  state_changed (self, item);
  emit_changes (self);
}

gboolean
limner_document_get_shape_locked (LimnerDocument *self,
                                  gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  item = _limner_document_lookup (self, id);
  return item != NULL && item->locked;
}

static void
set_label_flag (LimnerDocument *self,
                GHashTable     *set,
                gint64          label_id,
                gboolean        on)
{
  if (on == g_hash_table_contains (set, &label_id))
    return;
  if (on)
    g_hash_table_add (set, g_memdup2 (&label_id, sizeof label_id));
  else
    g_hash_table_remove (set, &label_id);

  ensure_order (self);
  for (guint i = 0; i < self->order->len; i++)
    {
      Item *item = g_ptr_array_index (self->order, i);

      if (item->shape->label_id == label_id)
        state_changed (self, item);
    }
  emit_changes (self);
}

void
limner_document_set_label_hidden (LimnerDocument *self,
                                  gint64          label_id,
                                  gboolean        hidden)
{
  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  set_label_flag (self, self->hidden_labels, label_id, !!hidden);
}

gboolean
limner_document_get_label_hidden (LimnerDocument *self,
                                  gint64          label_id)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return g_hash_table_contains (self->hidden_labels, &label_id);
}

void
limner_document_set_label_locked (LimnerDocument *self,
                                  gint64          label_id,
                                  gboolean        locked)
{
  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  set_label_flag (self, self->locked_labels, label_id, !!locked);
}

gboolean
limner_document_get_label_locked (LimnerDocument *self,
                                  gint64          label_id)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return g_hash_table_contains (self->locked_labels, &label_id);
}

gboolean
limner_document_is_shape_visible (LimnerDocument *self,
                                  gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  item = _limner_document_lookup (self, id);
  return item != NULL && item_visible (self, item);
}

gboolean
limner_document_is_shape_editable (LimnerDocument *self,
                                   gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  item = _limner_document_lookup (self, id);
  return item != NULL && item_visible (self, item) && !_limner_document_item_locked (self, item);
}

/* --- Undo and redo ------------------------------------------------------- */

gboolean
limner_document_can_undo (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return self->undo_stack->len > 0 && self->group_depth == 0;
}

gboolean
limner_document_can_redo (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return self->redo_stack->len > 0 && self->group_depth == 0;
}

static gboolean
step (LimnerDocument *self,
      GPtrArray      *from,
      GPtrArray      *to,
      gboolean        forward)
{
  gboolean could_undo, could_redo;
  Command *cmd;

  if (from->len == 0 || self->group_depth > 0 || !_limner_document_guard_allows (self, NULL))
    return FALSE;

  could_undo = limner_document_can_undo (self);
  could_redo = limner_document_can_redo (self);

  cmd = g_ptr_array_steal_index (from, from->len - 1);
  if (command_size (cmd) > BULK_THRESHOLD)
    self->order_valid = FALSE;
  apply (self, cmd, forward);
  g_ptr_array_add (to, cmd);

  emit_changes (self);
  _limner_document_notify_undo_state (self, could_undo, could_redo);
  return TRUE;
}

gboolean
limner_document_undo (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return step (self, self->undo_stack, self->redo_stack, FALSE);
}

gboolean
limner_document_redo (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  return step (self, self->redo_stack, self->undo_stack, TRUE);
}

const char *
limner_document_get_undo_description (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  if (self->undo_stack->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->undo_stack, self->undo_stack->len - 1))->description;
}

const char *
limner_document_get_redo_description (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);

  if (self->redo_stack->len == 0)
    return NULL;
  return ((Command *) g_ptr_array_index (self->redo_stack, self->redo_stack->len - 1))->description;
}

guint
limner_document_get_undo_depth (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->undo_stack->len;
}

guint
limner_document_get_redo_depth (LimnerDocument *self)
{
  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);

  return self->redo_stack->len;
}
