/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "limner-document.h"

/* Clipboard text larger than this is not ours. */
#define CLIPBOARD_MAX_BYTES (64 * 1024 * 1024)
#define CLIPBOARD_FORMAT "limner-shapes"
/* Above this many changes in one command, re-sort the z-order once instead
 * of shifting the array for each change. */
#define BULK_THRESHOLD 32
/* A query rectangle covering at least this share of the image is answered
 * by one pass over the z-order (no sorting, no lookups) instead of through
 * the spatial index. */
#define LINEAR_QUERY_SHARE 0.25

typedef struct {
  gint64       id;        /* first: the id table hashes &item->id */
  LimnerShape *shape;     /* owned */
  LimnerRect   bbox;      /* of shape */
  guint        hidden : 1;
  guint        locked : 1;
} Item;

typedef enum {
  COMMAND_ADD,     /* after = the added shape */
  COMMAND_DELETE,  /* before = the deleted shape */
  COMMAND_MODIFY,  /* before, after */
  COMMAND_GROUP,   /* children, applied in order, undone in reverse */
} CommandKind;

typedef struct _Command Command;
struct _Command {
  CommandKind  kind;
  char        *description;
  LimnerShape *before;
  LimnerShape *after;
  GPtrArray   *children;
};

/* Notifications gathered while a command runs, sent when it is done so that
 * handlers never see a half-applied command. */
typedef enum {
  NOTE_ADDED,
  NOTE_REMOVED,
  NOTE_MODIFIED,
} NoteKind;

typedef struct {
  NoteKind kind;
  gint64   id;
} Note;

struct _LimnerDocument
{
  GObject parent_instance;

  /* Owned references */
  LimnerStoreWriter  *writer;        /* NULL: never saved */
  GHashTable         *items;         /* &Item.id -> Item* (owned) */
  GPtrArray          *order;         /* Item*, ascending id = bottom to top */
  LimnerSpatialIndex *index;
  GHashTable         *hidden_labels; /* set of gint64* */
  GHashTable         *locked_labels; /* set of gint64* */
  GPtrArray          *undo_stack;    /* Command*, last = next to undo */
  GPtrArray          *redo_stack;    /* Command*, last = next to redo */
  Command            *open_group;    /* between begin_group() and end_group() */
  GArray             *notes;         /* of Note */

  gint64              image_id;
  int                 width;
  int                 height;
  int                 group_depth;
  gint64              next_local_id; /* ids of a document without a writer */
  gboolean            order_valid;   /* FALSE: `order` must be rebuilt */
  LimnerRect          dirty;         /* area changed by the running command */
  LimnerDocumentGuard guard;
  gpointer            guard_data;
};

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

static void
command_free (gpointer data)
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

static Command *
command_new (CommandKind  kind,
             LimnerShape *before,
             LimnerShape *after)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->kind = kind;
  cmd->before = before;
  cmd->after = after;
  if (kind == COMMAND_GROUP)
    cmd->children = g_ptr_array_new_with_free_func (command_free);
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

static int
compare_items (gconstpointer a,
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
  g_ptr_array_sort (self->order, compare_items);
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

static gboolean
guard_allows (LimnerDocument  *self,
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

static void
notify_undo_state (LimnerDocument *self,
                   gboolean        could_undo,
                   gboolean        could_redo)
{
  if (could_undo != limner_document_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != limner_document_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Applies a new command and records it. Takes `cmd`. */
static void
execute (LimnerDocument *self,
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
  notify_undo_state (self, could_undo, could_redo);
}

/* --- GObject ------------------------------------------------------------- */

static void
limner_document_finalize (GObject *object)
{
  LimnerDocument *self = LIMNER_DOCUMENT (object);

  g_warn_if_fail (self->group_depth == 0);
  g_clear_pointer (&self->open_group, command_free);
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
  self->undo_stack = g_ptr_array_new_with_free_func (command_free);
  self->redo_stack = g_ptr_array_new_with_free_func (command_free);
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
  notify_undo_state (self, could_undo, could_redo);
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

static Item *
lookup (LimnerDocument *self,
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

  item = lookup (self, id);
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

static gboolean
item_locked (LimnerDocument *self,
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
          Item *item = lookup (self, g_array_index (ids, gint64, i));

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
      Item *item = lookup (self, id);

      if (item == NULL)
        continue;
      if (!(flags & LIMNER_HIT_INCLUDE_HIDDEN) && !item_visible (self, item))
        continue;
      if (!(flags & LIMNER_HIT_INCLUDE_LOCKED) && item_locked (self, item))
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

  item = lookup (self, id);
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

  item = lookup (self, id);
  return item != NULL && item->hidden;
}

void
limner_document_set_shape_locked (LimnerDocument *self,
                                  gint64          id,
                                  gboolean        locked)
{
  Item *item;

  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  item = lookup (self, id);
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

  item = lookup (self, id);
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

  item = lookup (self, id);
  return item != NULL && item_visible (self, item);
}

gboolean
limner_document_is_shape_editable (LimnerDocument *self,
                                   gint64          id)
{
  Item *item;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);

  item = lookup (self, id);
  return item != NULL && item_visible (self, item) && !item_locked (self, item);
}

/* --- Edits --------------------------------------------------------------- */

static gint64
new_id (LimnerDocument  *self,
        GError         **error)
{
  if (self->writer != NULL)
    return limner_store_writer_reserve_shape_id (self->writer, error);
  return self->next_local_id++;
}

/* Normalises, clamps and validates a copy of `shape` for this image. */
static LimnerShape *
prepare_shape (LimnerDocument     *self,
               const LimnerShape  *shape,
               GError            **error)
{
  g_autoptr(LimnerShape) copy = limner_shape_copy (shape);

  copy->image_id = self->image_id;
  limner_shape_normalize_box (copy);
  /* Non-finite points must be refused, not clamped into range. */
  if (!limner_shape_validate (copy, error))
    return NULL;
  limner_shape_clamp (copy, self->width, self->height);
  if (!limner_shape_validate (copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

static Item *
lookup_editable (LimnerDocument  *self,
                 gint64           id,
                 GError         **error)
{
  Item *item = lookup (self, id);

  if (item == NULL)
    {
      g_set_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_NOT_FOUND,
                   _("Image %" PRId64 " has no shape with id %" PRId64 "."),
                   self->image_id, id);
      return NULL;
    }
  if (item_locked (self, item))
    {
      g_set_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_LOCKED,
                   _("Shape %" PRId64 " is locked; unlock it before editing."), id);
      return NULL;
    }
  return item;
}

/* Wraps a list of commands: one alone is itself, more become a group. */
static Command *
command_from_list (GPtrArray  *list,
                   char       *description)
{
  Command *cmd;

  if (list->len == 1)
    {
      cmd = g_ptr_array_steal_index (list, 0);
      g_free (cmd->description);
    }
  else
    {
      gpointer *children;
      gsize n = 0;

      cmd = command_new (COMMAND_GROUP, NULL, NULL);
      children = g_ptr_array_steal (list, &n);
      for (gsize i = 0; i < n; i++)
        g_ptr_array_add (cmd->children, children[i]);
      g_free (children);
    }
  cmd->description = description;
  return cmd;
}

static const char *
kind_description (LimnerShapeKind kind)
{
  return kind == LIMNER_SHAPE_BOX ? _("Add Box") : _("Add Polygon");
}

gint64
limner_document_add_shape (LimnerDocument     *self,
                           const LimnerShape  *shape,
                           GError            **error)
{
  g_autoptr(LimnerShape) copy = NULL;
  Command *cmd;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (shape != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!guard_allows (self, error))
    return 0;

  copy = prepare_shape (self, shape, error);
  if (copy == NULL)
    return 0;
  copy->id = new_id (self, error);
  if (copy->id == 0)
    return 0;
  g_free (copy->author);
  copy->author = g_strdup (self->writer ? limner_store_writer_get_login (self->writer)
                                        : g_get_user_name ());
  copy->created_at = now;
  copy->modified_at = now;

  cmd = command_new (COMMAND_ADD, NULL, g_steal_pointer (&copy));
  cmd->description = g_strdup (kind_description (cmd->after->kind));
  execute (self, cmd);
  return cmd->after->id;
}

gboolean
limner_document_delete_shapes (LimnerDocument  *self,
                               const gint64    *ids,
                               guint            n_ids,
                               GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!guard_allows (self, error))
    return FALSE;

  list = g_ptr_array_new_with_free_func (command_free);
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < n_ids; i++)
    {
      Item *item = lookup_editable (self, ids[i], error);

      if (item == NULL)
        return FALSE;
      if (!g_hash_table_add (seen, &item->id))
        continue;
      g_ptr_array_add (list, command_new (COMMAND_DELETE, limner_shape_copy (item->shape), NULL));
    }
  if (list->len == 0)
    return TRUE;

  execute (self, command_from_list (list,
                                    g_strdup_printf (ngettext ("Delete Shape", "Delete %u Shapes",
                                                               list->len),
                                                     list->len)));
  return TRUE;
}

static gboolean
same_shape (const LimnerShape *a,
            const LimnerShape *b)
{
  return a->kind == b->kind && a->label_id == b->label_id && a->group_id == b->group_id &&
         a->source == b->source && a->score == b->score &&
         a->points->len == b->points->len &&
         memcmp (a->points->data, b->points->data, a->points->len * sizeof (double)) == 0;
}

/* Builds the modify commands for `shapes` into `list`, skipping no-ops. */
static gboolean
collect_modifications (LimnerDocument  *self,
                       GPtrArray       *shapes,
                       GPtrArray       *list,
                       GError         **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < shapes->len; i++)
    {
      const LimnerShape *shape = g_ptr_array_index (shapes, i);
      LimnerShape *after;
      Item *item;

      g_return_val_if_fail (shape != NULL, FALSE);

      item = lookup_editable (self, shape->id, error);
      if (item == NULL)
        return FALSE;
      if (!g_hash_table_add (seen, &item->id))
        {
          g_set_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_NOT_FOUND,
                       _("Shape %" PRId64 " is modified twice in one edit."), item->id);
          return FALSE;
        }
      after = prepare_shape (self, shape, error);
      if (after == NULL)
        return FALSE;
      /* What the editor does not own stays as stored. */
      after->id = item->id;
      g_free (after->author);
      after->author = g_strdup (item->shape->author);
      after->created_at = item->shape->created_at;
      after->modified_at = now;
      if (same_shape (after, item->shape))
        {
          limner_shape_free (after);
          continue;
        }
      g_ptr_array_add (list, command_new (COMMAND_MODIFY, limner_shape_copy (item->shape), after));
    }
  return TRUE;
}

gboolean
limner_document_modify_shapes (LimnerDocument  *self,
                               GPtrArray       *shapes,
                               GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (shapes != NULL, FALSE);

  if (!guard_allows (self, error))
    return FALSE;

  list = g_ptr_array_new_with_free_func (command_free);
  if (!collect_modifications (self, shapes, list, error))
    return FALSE;
  if (list->len == 0)
    return TRUE;

  execute (self, command_from_list (list,
                                    g_strdup_printf (ngettext ("Edit Shape", "Edit %u Shapes",
                                                               list->len),
                                                     list->len)));
  return TRUE;
}

gboolean
limner_document_modify_shape (LimnerDocument     *self,
                              const LimnerShape  *shape,
                              GError            **error)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new ();

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  g_ptr_array_add (shapes, (gpointer) shape);
  return limner_document_modify_shapes (self, shapes, error);
}

gboolean
limner_document_set_label (LimnerDocument  *self,
                           const gint64    *ids,
                           guint            n_ids,
                           gint64           label_id,
                           GError         **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (label_id >= 0, FALSE);

  if (!guard_allows (self, error))
    return FALSE;

  shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  for (guint i = 0; i < n_ids; i++)
    {
      Item *item = lookup_editable (self, ids[i], error);
      LimnerShape *copy;

      if (item == NULL)
        return FALSE;
      copy = limner_shape_copy (item->shape);
      copy->label_id = label_id;
      g_ptr_array_add (shapes, copy);
    }

  list = g_ptr_array_new_with_free_func (command_free);
  if (!collect_modifications (self, shapes, list, error))
    return FALSE;
  if (list->len == 0)
    return TRUE;
  execute (self, command_from_list (list, g_strdup (_("Set Label"))));
  return TRUE;
}

void
limner_document_begin_group (LimnerDocument *self,
                             const char     *description)
{
  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  if (self->group_depth++ > 0)
    return;

  self->open_group = command_new (COMMAND_GROUP, NULL, NULL);
  self->open_group->description = g_strdup (description ? description : _("Edit"));
  if (self->writer)
    limner_store_writer_begin (self->writer);
}

void
limner_document_end_group (LimnerDocument *self)
{
  gboolean could_undo, could_redo;
  Command *group;

  g_return_if_fail (LIMNER_IS_DOCUMENT (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;

  group = g_steal_pointer (&self->open_group);
  if (self->writer)
    limner_store_writer_commit (self->writer);
  if (group->children->len == 0)
    {
      command_free (group);
      return;
    }

  could_undo = limner_document_can_undo (self);
  could_redo = limner_document_can_redo (self);
  g_ptr_array_add (self->undo_stack, group);
  g_ptr_array_set_size (self->redo_stack, 0);
  notify_undo_state (self, could_undo, could_redo);
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

  if (from->len == 0 || self->group_depth > 0 || !guard_allows (self, NULL))
    return FALSE;

  could_undo = limner_document_can_undo (self);
  could_redo = limner_document_can_redo (self);

  cmd = g_ptr_array_steal_index (from, from->len - 1);
  if (command_size (cmd) > BULK_THRESHOLD)
    self->order_valid = FALSE;
  apply (self, cmd, forward);
  g_ptr_array_add (to, cmd);

  emit_changes (self);
  notify_undo_state (self, could_undo, could_redo);
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

/* --- Clipboard ----------------------------------------------------------- */

char *
limner_document_copy (LimnerDocument *self,
                      const gint64   *ids,
                      guint           n_ids)
{
  g_autoptr(GPtrArray) items = NULL;
  json_t *root, *shapes;
  char *dump, *text;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  items = g_ptr_array_new ();
  for (guint i = 0; i < n_ids; i++)
    {
      Item *item = lookup (self, ids[i]);

      if (item != NULL && g_ptr_array_find (items, item, NULL) == FALSE)
        g_ptr_array_add (items, item);
    }
  g_ptr_array_sort (items, compare_items);

  shapes = json_array ();
  for (guint i = 0; i < items->len; i++)
    {
      const LimnerShape *shape = ((Item *) g_ptr_array_index (items, i))->shape;
      json_t *points = json_array ();

      for (guint k = 0; k < shape->points->len; k++)
        json_array_append_new (points, json_real (g_array_index (shape->points, double, k)));
      json_array_append_new (shapes,
                             json_pack ("{s:s, s:o, s:I, s:I}",
                                        "kind", limner_shape_kind_to_string (shape->kind),
                                        "points", points,
                                        "label_id", (json_int_t) shape->label_id,
                                        "group_id", (json_int_t) shape->group_id));
    }

  root = json_pack ("{s:s, s:i, s:I, s:i, s:i, s:o}",
                    "format", CLIPBOARD_FORMAT,
                    "version", 1,
                    "image_id", (json_int_t) self->image_id,
                    "width", self->width,
                    "height", self->height,
                    "shapes", shapes);
  dump = json_dumps (root, JSON_COMPACT | JSON_REAL_PRECISION (17));
  json_decref (root);
  /* json_dumps() allocates with malloc(); hand out GLib memory. */
  text = g_strdup (dump);
  free (dump);
  return text;
}

static gboolean
clipboard_error (GError     **error,
                 const char  *message)
{
  gboolean has_stop = g_str_has_suffix (message, ".");

  g_set_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_CLIPBOARD,
               has_stop ? _("The clipboard does not hold Limner shapes: %s")
                        : _("The clipboard does not hold Limner shapes: %s."),
               message);
  return FALSE;
}

/* Reads shape `i` of the clipboard into a new LimnerShape. */
static LimnerShape *
shape_from_json (json_t   *obj,
                 guint     i,
                 GError  **error)
{
  g_autoptr(LimnerShape) shape = NULL;
  g_autofree char *where = NULL;
  LimnerShapeKind kind;
  json_t *kind_j, *points_j, *label_j, *group_j;

  where = g_strdup_printf (_("shape %u"), i + 1);
  if (!json_is_object (obj))
    {
      clipboard_error (error, where);
      return NULL;
    }
  kind_j = json_object_get (obj, "kind");
  points_j = json_object_get (obj, "points");
  label_j = json_object_get (obj, "label_id");
  group_j = json_object_get (obj, "group_id");
  if (!json_is_string (kind_j) || !limner_shape_kind_from_string (json_string_value (kind_j), &kind))
    {
      g_autofree char *msg = g_strdup_printf (_("%s has no valid “kind”"), where);
      clipboard_error (error, msg);
      return NULL;
    }
  if (!json_is_array (points_j) || json_array_size (points_j) % 2 != 0)
    {
      g_autofree char *msg = g_strdup_printf (_("%s has no list of x, y “points”"), where);
      clipboard_error (error, msg);
      return NULL;
    }
  if ((label_j && !json_is_integer (label_j)) || (group_j && !json_is_integer (group_j)) ||
      (label_j && json_integer_value (label_j) < 0) || (group_j && json_integer_value (group_j) < 0))
    {
      g_autofree char *msg = g_strdup_printf (_("%s has a bad “label_id” or “group_id”"), where);
      clipboard_error (error, msg);
      return NULL;
    }

  shape = limner_shape_new (kind);
  shape->label_id = label_j ? json_integer_value (label_j) : 0;
  shape->group_id = group_j ? json_integer_value (group_j) : 0;
  for (size_t k = 0; k < json_array_size (points_j); k++)
    {
      json_t *v = json_array_get (points_j, k);
      double d;

      if (!json_is_number (v) || !isfinite (d = json_number_value (v)))
        {
          g_autofree char *msg = g_strdup_printf (_("%s has a coordinate that is not a number"),
                                                  where);
          clipboard_error (error, msg);
          return NULL;
        }
      g_array_append_val (shape->points, d);
    }
  return g_steal_pointer (&shape);
}

GArray *
limner_document_paste (LimnerDocument  *self,
                       const char      *json,
                       double           dx,
                       double           dy,
                       guint           *n_dropped,
                       GError         **error)
{
  g_autoptr(GPtrArray) prepared = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GArray) ids = NULL;
  LimnerRect image;
  json_error_t jerr;
  json_t *root, *format_j, *shapes_j;
  guint dropped = 0;
  gint64 now = g_get_real_time ();
  const char *author;

  g_return_val_if_fail (LIMNER_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!guard_allows (self, error))
    return NULL;

  image = (LimnerRect) { 0, 0, self->width, self->height };
  if (!isfinite (dx) || !isfinite (dy))
    {
      g_set_error (error, LIMNER_GEOMETRY_ERROR, LIMNER_GEOMETRY_ERROR_NON_FINITE,
                   _("Cannot paste with an offset of (%g, %g)."), dx, dy);
      return NULL;
    }
  if (strlen (json) > CLIPBOARD_MAX_BYTES)
    {
      clipboard_error (error, _("the text is too large"));
      return NULL;
    }
  root = json_loads (json, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("line %d: %s"), jerr.line, jerr.text);
      clipboard_error (error, msg);
      return NULL;
    }
  format_j = json_object_get (root, "format");
  shapes_j = json_object_get (root, "shapes");
  if (!json_is_string (format_j) || g_strcmp0 (json_string_value (format_j), CLIPBOARD_FORMAT) != 0 ||
      !json_is_array (shapes_j))
    {
      json_decref (root);
      clipboard_error (error, _("it has no “format” of “" CLIPBOARD_FORMAT "” and list of “shapes”"));
      return NULL;
    }

  /* Read and check everything before changing anything. */
  prepared = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  for (size_t i = 0; i < json_array_size (shapes_j); i++)
    {
      g_autoptr(LimnerShape) shape = shape_from_json (json_array_get (shapes_j, i), i, error);
      g_autoptr(GError) local_error = NULL;
      LimnerRect bbox;

      if (shape == NULL)
        {
          json_decref (root);
          return NULL;
        }
      limner_shape_translate (shape, dx, dy);
      limner_shape_normalize_box (shape);
      if (!limner_shape_validate (shape, &local_error))
        {
          json_decref (root);
          clipboard_error (error, local_error->message);
          return NULL;
        }
      /* Wholly outside, or squashed flat against the border by clamping. */
      bbox = limner_shape_bbox (shape);
      if (bbox.x1 <= image.x0 || bbox.x0 >= image.x1 || bbox.y1 <= image.y0 || bbox.y0 >= image.y1)
        {
          dropped++;
          continue;
        }
      limner_shape_clamp (shape, self->width, self->height);
      if (limner_shape_area (shape) <= 0 || !limner_shape_validate (shape, NULL))
        {
          dropped++;
          continue;
        }
      g_ptr_array_add (prepared, g_steal_pointer (&shape));
    }
  json_decref (root);

  list = g_ptr_array_new_with_free_func (command_free);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Pasted groups get fresh group ids: the id of their first shape, which
   * no other group can have. */
  groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  author = self->writer ? limner_store_writer_get_login (self->writer) : g_get_user_name ();
  for (guint i = 0; i < prepared->len; i++)
    {
      LimnerShape *shape = g_ptr_array_index (prepared, i);
      gint64 id = new_id (self, error);

      if (id == 0)
        return NULL;
      shape->id = id;
      shape->image_id = self->image_id;
      /* A paste is the user's own work, whatever the original was. */
      shape->source = LIMNER_SOURCE_MANUAL;
      shape->score = 1.0;
      shape->author = g_strdup (author);
      shape->created_at = now;
      shape->modified_at = now;
      if (shape->group_id != 0)
        {
          gint64 *group = g_hash_table_lookup (groups, &shape->group_id);

          if (group == NULL)
            {
              group = g_memdup2 (&id, sizeof id);
              g_hash_table_insert (groups, g_memdup2 (&shape->group_id, sizeof (gint64)), group);
            }
          shape->group_id = *group;
        }
      g_array_append_val (ids, id);
    }
  {
    gsize n = 0;
    gpointer *shapes = g_ptr_array_steal (prepared, &n);

    for (gsize i = 0; i < n; i++)
      g_ptr_array_add (list, command_new (COMMAND_ADD, NULL, shapes[i]));
    g_free (shapes);
  }

  if (n_dropped)
    *n_dropped = dropped;
  if (list->len > 0)
    execute (self, command_from_list (list,
                                      g_strdup_printf (ngettext ("Paste Shape", "Paste %u Shapes",
                                                                 list->len),
                                                       list->len)));
  return g_steal_pointer (&ids);
}
