/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-labels.c: the label schema: names, colours, hotkeys, guidelines, order. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "limner-store-private.h"

/* Single keys the canvas and the review page take for themselves
 * (select, box, polygon, wand, tighten, hide, lock, accept a prediction,
 * accept, reject). The digits 1-9 choose a label by its position. */
static const char reserved_keys[] = "abhklprtvw";

static gboolean
valid_color (const char *color)
{
  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static gboolean
blank (const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
has_control_character (const char *name)
{
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_label_fields (const char *name, const char *color, const char *hotkey, GError **error)
{
  if (blank (name))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("A label needs a name"));
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("A label name must be valid UTF-8"));
      return FALSE;
    }
  if (has_control_character (name))
    {
      /* Escaped, so that a terminal showing the error never receives the
       * control character itself. */
      g_autofree char *escaped = g_strescape (name, NULL);

      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: a label name cannot contain control characters"), escaped);
      return FALSE;
    }
  if (color != NULL && !valid_color (color))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: “%s” is not a colour of the form #RRGGBB"), name, color);
      return FALSE;
    }
  if (hotkey != NULL && (g_utf8_strlen (hotkey, -1) != 1 || g_ascii_isspace (hotkey[0])))
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: the hotkey “%s” must be a single character"), name, hotkey);
      return FALSE;
    }
  return TRUE;
}

static gboolean
hotkey_taken (LimnerStore *self, const char *hotkey, gint64 label_id)
{
  LimnerStmt *stmt = limner_store_prepare (self, "SELECT 1 FROM labels WHERE hotkey = ?1 AND id != ?2", NULL);
  gboolean taken;

  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_text (stmt, 1, hotkey);
  limner_stmt_bind_int64 (stmt, 2, label_id);
  taken = limner_stmt_step (stmt) == LIMNER_DB_ROW;
  limner_stmt_reset (stmt);
  return taken;
}

/* A newly chosen hotkey must not shadow a tool or canvas key, nor choose
 * another position than the label's own (`position`). A hotkey another
 * label holds is left to the write, which reports the clash. */
static gboolean
check_hotkey (LimnerStore  *self,
              const char   *name,
              const char   *hotkey,
              gint64        label_id,
              int           position,
              GError      **error)
{
  if (hotkey == NULL || hotkey_taken (self, hotkey, label_id))
    return TRUE;
  if (hotkey != NULL && hotkey[1] == '\0' && strchr (reserved_keys, g_ascii_tolower (hotkey[0])) != NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: the key “%s” is a tool or canvas key and cannot be a label hotkey"),
                   name, hotkey);
      return FALSE;
    }
  /* A label may repeat its own position digit, which changes nothing. */
  if (hotkey != NULL && hotkey[0] >= '1' && hotkey[0] <= '9' && hotkey[1] == '\0'
      && hotkey[0] - '1' != position)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s”: the key “%s” chooses the label at position %s and cannot be "
                     "another label’s hotkey"),
                   name, hotkey, hotkey);
      return FALSE;
    }
  return TRUE;
}

LimnerLabel *
limner_store_label_from_row (LimnerStmt *stmt)
{
  LimnerLabel *label = g_new0 (LimnerLabel, 1);

  label->id = limner_stmt_column_int64 (stmt, 0);
  label->name = limner_store_column_dup (stmt, 1);
  label->color = limner_store_column_dup (stmt, 2);
  label->hotkey = limner_store_column_dup (stmt, 3);
  label->guide = limner_store_column_dup (stmt, 4);
  label->position = limner_stmt_column_int (stmt, 5);
  return label;
}

/* Turns a failed label write into a sentence: a clash of names or hotkeys. */
static void
set_label_write_error (LimnerStore *self, GError **error, const char *name, const char *hotkey)
{
  gboolean constraint = limner_store_is_constraint_error (self);

  if (constraint && strstr (limner_db_errmsg (self->db), "hotkey") != NULL)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                 _("Label “%s”: another label already uses the hotkey “%s”"), name, hotkey);
  else if (constraint)
    g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_EXISTS,
                 _("A label named “%s” already exists"), name);
  else
    limner_store_set_sqlite_error (self, error, name);
}

gint64
limner_store_add_label (LimnerStore  *self,
                        const char   *name,
                        const char   *color,
                        const char   *hotkey,
                        const char   *guide,
                        GError      **error)
{
  LimnerStmt *stmt;
  g_autofree char *default_color = NULL;
  gint64 count, id = 0;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  /* Positions run 0..n-1, so the next one is the count; max() over the
   * position index finds it without visiting every label (count(*) would,
   * making a bulk --create-labels quadratic). */
  count = limner_store_query_int (self, "SELECT COALESCE(max(position) + 1, 0) FROM labels", 0);
  if (!check_label_fields (name, color, hotkey, error)
      || !check_hotkey (self, name, hotkey, 0, count, error)
      || !limner_store_require_role (self, LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return 0;
  if (color == NULL)
    color = default_color = limner_label_default_color (count);

  stmt = limner_store_prepare (self,
                               "INSERT INTO labels (name, color, hotkey, guide, position) "
                               "VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(max(position) + 1, 0) FROM labels)) "
                               "RETURNING id",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, name);
      limner_stmt_bind_text (stmt, 2, color);
      limner_store_bind_text_or_null (stmt, 3, hotkey);
      limner_store_bind_text_or_null (stmt, 4, guide);
      ok = limner_store_step_id (self, stmt, name, &id, NULL);
      if (!ok)
        set_label_write_error (self, error, name, hotkey);
    }
  if (ok)
    {
      ok = limner_store_log_event_locked (self, "label.add", 0, 0, NULL, error);
    }
  if (!limner_store_write_end (self, ok, error))
    return 0;
  return id;
}

gboolean
limner_store_update_label (LimnerStore        *self,
                           const LimnerLabel  *label,
                           GError            **error)
{
  g_autoptr(LimnerLabel) stored = NULL;
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  stored = limner_store_get_label (self, label->id, NULL);
  /* A label keeps the hotkey it has; only a new one is checked, against
   * the stored position rather than the caller's copy of it. */
  if (!check_label_fields (label->name, label->color, label->hotkey, error)
      || (stored != NULL && g_strcmp0 (stored->hotkey, label->hotkey) != 0
          && !check_hotkey (self, label->name, label->hotkey, label->id, stored->position, error))
      || !limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  if (label->color == NULL)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("Label “%s” needs a colour"), label->name);
      return FALSE;
    }
  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self,
                               "UPDATE labels SET name = ?2, color = ?3, hotkey = ?4, guide = ?5 "
                               "WHERE id = ?1",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, label->id);
      limner_stmt_bind_text (stmt, 2, label->name);
      limner_stmt_bind_text (stmt, 3, label->color);
      limner_store_bind_text_or_null (stmt, 4, label->hotkey);
      limner_store_bind_text_or_null (stmt, 5, label->guide);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      if (!ok)
        set_label_write_error (self, error, label->name, label->hotkey);
      limner_stmt_reset (stmt);
    }
  if (ok && limner_db_changes (self->db) == 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("There is no label with id %" PRId64), label->id);
      ok = FALSE;
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "label.update", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

gint64
limner_store_count_label_shapes (LimnerStore *self, gint64 label_id)
{
  LimnerStmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (LIMNER_IS_STORE (self), 0);

  stmt = limner_store_prepare (self, "SELECT count(*) FROM shapes WHERE label_id = ?1", NULL);
  if (stmt == NULL)
    return 0;
  limner_stmt_bind_int64 (stmt, 1, label_id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    n = limner_stmt_column_int64 (stmt, 0);
  limner_stmt_reset (stmt);
  return n;
}

gboolean
limner_store_delete_label (LimnerStore  *self,
                           gint64        label_id,
                           GError      **error)
{
  g_autoptr(LimnerLabel) label = NULL;
  LimnerStmt *stmt;
  gint64 used;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  label = limner_store_get_label (self, label_id, error);
  if (label == NULL)
    return FALSE;
  used = limner_store_count_label_shapes (self, label_id);
  if (used > 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Label “%s” is used by %" PRId64 " shape; relabel or delete it first",
                                "Label “%s” is used by %" PRId64 " shapes; relabel or delete them first",
                                used),
                   label->name, used);
      return FALSE;
    }
  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "DELETE FROM labels WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, label_id);
      ok = limner_store_step_done (self, stmt, label->name, error);
    }
  if (ok)
    ok = limner_store_exec (self,
                            "UPDATE labels SET position = (SELECT count(*) FROM labels l2 "
                            "WHERE l2.position < labels.position)",
                            error);
  if (ok)
    ok = limner_store_log_event_locked (self, "label.delete", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

gboolean
limner_store_move_label (LimnerStore  *self,
                         gint64        label_id,
                         int           position,
                         GError      **error)
{
  g_autoptr(GPtrArray) labels = NULL;
  LimnerStmt *stmt;
  int from = -1;
  gboolean ok = TRUE;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_LEAD, error))
    return FALSE;
  labels = limner_store_list_labels (self, error);
  if (labels == NULL)
    return FALSE;
  for (guint i = 0; i < labels->len; i++)
    if (((LimnerLabel *) labels->pdata[i])->id == label_id)
      from = i;
  if (from < 0)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("There is no label with id %" PRId64), label_id);
      return FALSE;
    }
  position = CLAMP (position, 0, (int) labels->len - 1);
  {
    gpointer moved = labels->pdata[from];

    g_ptr_array_steal_index (labels, from);
    g_ptr_array_insert (labels, position, moved);
  }

  if (!limner_store_write_begin (self, error))
    return FALSE;
  stmt = limner_store_prepare (self, "UPDATE labels SET position = ?2 WHERE id = ?1", error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < labels->len; i++)
    {
      limner_stmt_bind_int64 (stmt, 1, ((LimnerLabel *) labels->pdata[i])->id);
      limner_stmt_bind_int64 (stmt, 2, i);
      ok = limner_store_step_done (self, stmt, ((LimnerLabel *) labels->pdata[i])->name, error);
    }
  if (ok)
    ok = limner_store_log_event_locked (self, "label.move", 0, 0, NULL, error);
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_labels (LimnerStore *self, GError **error)
{
  LimnerStmt *stmt;
  GPtrArray *labels;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self, "SELECT " LIMNER_STORE_LABEL_COLUMNS " FROM labels ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;
  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_label_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    g_ptr_array_add (labels, limner_store_label_from_row (stmt));
  limner_stmt_reset (stmt);
  return labels;
}

static LimnerLabel *
get_label_by (LimnerStore *self, const char *sql, gint64 id, const char *name, GError **error)
{
  LimnerStmt *stmt = limner_store_prepare (self, sql, error);
  LimnerLabel *label = NULL;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    limner_stmt_bind_text (stmt, 1, name);
  else
    limner_stmt_bind_int64 (stmt, 1, id);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    label = limner_store_label_from_row (stmt);
  limner_stmt_reset (stmt);
  if (label == NULL)
    {
      if (name != NULL)
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("There is no label named “%s”"), name);
      else
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                     _("There is no label with id %" PRId64), id);
    }
  return label;
}

LimnerLabel *
limner_store_get_label (LimnerStore *self, gint64 id, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  return get_label_by (self, "SELECT " LIMNER_STORE_LABEL_COLUMNS " FROM labels WHERE id = ?1", id, NULL, error);
}

LimnerLabel *
limner_store_find_label (LimnerStore *self, const char *name, GError **error)
{
  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return get_label_by (self, "SELECT " LIMNER_STORE_LABEL_COLUMNS " FROM labels WHERE name = ?1", 0, name, error);
}
