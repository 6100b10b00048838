/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-store-events.c: the event log. */

#include "config.h"

#include <glib/gi18n.h>

#include "limner-store-private.h"

gboolean
limner_store_log_event_locked (LimnerStore  *self,
                               const char   *kind,
                               gint64        image_id,
                               gint64        shape_id,
                               const char   *detail_json,
                               GError      **error)
{
  LimnerStmt *stmt;

  stmt = limner_store_prepare (self,
                               "INSERT INTO events (ts, login, kind, image_id, shape_id, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, g_get_real_time ());
  limner_stmt_bind_text (stmt, 2, self->login);
  limner_stmt_bind_text (stmt, 3, kind);
  if (image_id > 0)
    limner_stmt_bind_int64 (stmt, 4, image_id);
  else
    limner_stmt_bind_null (stmt, 4);
  if (shape_id > 0)
    limner_stmt_bind_int64 (stmt, 5, shape_id);
  else
    limner_stmt_bind_null (stmt, 5);
  limner_store_bind_text_or_null (stmt, 6, detail_json);
  return limner_store_step_done (self, stmt, _("Could not log an event"), error);
}

gboolean
limner_store_log_event (LimnerStore  *self,
                        const char   *kind,
                        gint64        image_id,
                        gint64        shape_id,
                        const char   *detail_json,
                        GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  if (!limner_store_require_role (self, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD, error)
      || !limner_store_write_begin (self, error))
    return FALSE;
  ok = limner_store_log_event_locked (self, kind, image_id, shape_id, detail_json, error);
  return limner_store_write_end (self, ok, error);
}

GPtrArray *
limner_store_list_events (LimnerStore  *self,
                          gint64        from_us,
                          gint64        to_us,
                          GError      **error)
{
  LimnerStmt *stmt;
  GPtrArray *events;

  g_return_val_if_fail (LIMNER_IS_STORE (self), NULL);

  stmt = limner_store_prepare (self,
                               "SELECT id, ts, login, kind, image_id, shape_id, detail FROM events "
                               "WHERE (?1 = 0 OR ts >= ?1) AND (?2 = 0 OR ts < ?2) ORDER BY ts, id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_int64 (stmt, 1, from_us);
  limner_stmt_bind_int64 (stmt, 2, to_us);
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_event_free);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerEvent *event = g_new0 (LimnerEvent, 1);

      event->id = limner_stmt_column_int64 (stmt, 0);
      event->ts = limner_stmt_column_int64 (stmt, 1);
      event->login = limner_store_column_dup (stmt, 2);
      event->kind = limner_store_column_dup (stmt, 3);
      event->image_id = limner_stmt_column_int64 (stmt, 4);
      event->shape_id = limner_stmt_column_int64 (stmt, 5);
      event->detail = limner_store_column_dup (stmt, 6);
      g_ptr_array_add (events, event);
    }
  limner_stmt_reset (stmt);
  return events;
}
