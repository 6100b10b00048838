/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-document-edit.c: the edits of a LimnerDocument (add, delete,
 * modify, relabel, groups) and its clipboard, each as an undoable command. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "limner-document-private.h"

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
  Item *item = _limner_document_lookup (self, id);

  if (item == NULL)
    {
      g_set_error (error, LIMNER_DOCUMENT_ERROR, LIMNER_DOCUMENT_ERROR_NOT_FOUND,
                   _("Image %" PRId64 " has no shape with id %" PRId64 "."),
                   self->image_id, id);
      return NULL;
    }
  if (_limner_document_item_locked (self, item))
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

      cmd = _limner_document_command_new (COMMAND_GROUP, NULL, NULL);
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

  if (!_limner_document_guard_allows (self, error))
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

  cmd = _limner_document_command_new (COMMAND_ADD, NULL, g_steal_pointer (&copy));
  cmd->description = g_strdup (kind_description (cmd->after->kind));
  _limner_document_execute (self, cmd);
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

  if (!_limner_document_guard_allows (self, error))
    return FALSE;

  list = g_ptr_array_new_with_free_func (_limner_document_command_free);
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < n_ids; i++)
    {
      Item *item = lookup_editable (self, ids[i], error);

      if (item == NULL)
        return FALSE;
      if (!g_hash_table_add (seen, &item->id))
        continue;
      g_ptr_array_add (list, _limner_document_command_new (COMMAND_DELETE, limner_shape_copy (item->shape), NULL));
    }
  if (list->len == 0)
    return TRUE;

  _limner_document_execute (self, command_from_list (list,
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
      g_ptr_array_add (list, _limner_document_command_new (COMMAND_MODIFY, limner_shape_copy (item->shape), after));
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

  if (!_limner_document_guard_allows (self, error))
    return FALSE;

  list = g_ptr_array_new_with_free_func (_limner_document_command_free);
  if (!collect_modifications (self, shapes, list, error))
    return FALSE;
  if (list->len == 0)
    return TRUE;

  _limner_document_execute (self, command_from_list (list,
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

  if (!_limner_document_guard_allows (self, error))
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

  list = g_ptr_array_new_with_free_func (_limner_document_command_free);
  if (!collect_modifications (self, shapes, list, error))
    return FALSE;
  if (list->len == 0)
    return TRUE;
  _limner_document_execute (self, command_from_list (list, g_strdup (_("Set Label"))));
  return TRUE;
}

void
limner_document_begin_group (LimnerDocument *self,
                             const char     *description)
{
  g_return_if_fail (LIMNER_IS_DOCUMENT (self));

  if (self->group_depth++ > 0)
    return;

  self->open_group = _limner_document_command_new (COMMAND_GROUP, NULL, NULL);
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
      _limner_document_command_free (group);
      return;
    }

  could_undo = limner_document_can_undo (self);
  could_redo = limner_document_can_redo (self);
  g_ptr_array_add (self->undo_stack, group);
  g_ptr_array_set_size (self->redo_stack, 0);
  _limner_document_notify_undo_state (self, could_undo, could_redo);
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
      Item *item = _limner_document_lookup (self, ids[i]);

      if (item != NULL && g_ptr_array_find (items, item, NULL) == FALSE)
        g_ptr_array_add (items, item);
    }
  g_ptr_array_sort (items, _limner_document_compare_items);

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

  if (!_limner_document_guard_allows (self, error))
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

  list = g_ptr_array_new_with_free_func (_limner_document_command_free);
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
      g_ptr_array_add (list, _limner_document_command_new (COMMAND_ADD, NULL, shapes[i]));
    g_free (shapes);
  }

  if (n_dropped)
    *n_dropped = dropped;
  if (list->len > 0)
    _limner_document_execute (self, command_from_list (list,
                                      g_strdup_printf (ngettext ("Paste Shape", "Paste %u Shapes",
                                                                 list->len),
                                                       list->len)));
  return g_steal_pointer (&ids);
}
