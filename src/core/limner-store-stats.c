/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Throughput analytics: the only SQL of the stats, see limner-store-stats.h. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limner-store-private.h"
#include "limner-store-stats.h"
#include "limner-worker.h"

/* The events of the day before a range also count: they say which image is
 * open and start the gap that crosses into the range's first midnight. */
#define LEAD_IN_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

/* The project's own targets live in the targets table under this login,
 * which no user can have (logins never contain '*'). */
#define PROJECT_TARGETS_LOGIN "*"

/* The same submission logged twice (image.submit and image.status). */
#define SUBMIT_DEDUP_US G_USEC_PER_SEC

static void
stats_period_clear (LimnerStatsPeriod *period)
{
  if (period->counts != NULL)
    for (guint i = 0; i < period->counts->len; i++)
      g_free ((double *) g_array_index (period->counts, LimnerUserCounts, i).image_active_s);
  g_clear_pointer (&period->period, g_free);
  g_clear_pointer (&period->counts, g_array_unref);
  g_clear_pointer (&period->figures, g_array_unref);
}

static void
stats_period_free (LimnerStatsPeriod *period)
{
  stats_period_clear (period);
  g_free (period);
}

static void
stats_label_clear (LimnerStatsLabel *label)
{
  g_clear_pointer (&label->name, g_free);
}

void
limner_stats_result_free (LimnerStatsResult *result)
{
  if (result == NULL)
    return;
  stats_period_clear (&result->total);
  g_clear_pointer (&result->periods, g_ptr_array_unref);
  g_clear_pointer (&result->logins, g_ptr_array_unref);
  g_clear_pointer (&result->user_targets, g_array_unref);
  g_clear_pointer (&result->labels, g_array_unref);
  g_free (result);
}

/* Dates */

/* Local midnight starting `day` in `tz`, as unix µs; FALSE when malformed. */
static gboolean
day_start_us (const char *day,
              GTimeZone  *tz,
              int         add_days,
              gint64     *out)
{
  int y, m, d;
  char extra;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  if (day == NULL || strlen (day) != 10
      || sscanf (day, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  start = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (start == NULL)
    return FALSE;
  shifted = g_date_time_add_days (start, add_days);
  *out = g_date_time_to_unix (shifted) * G_USEC_PER_SEC;
  return TRUE;
}

/* Remembers the last local day seen, since events come in time order and
 * a GDateTime per event would dominate the cost. */
typedef struct {
  gint64 start_us;
  gint64 end_us;
  char   day[11];
} DayCache;

static const char *
day_of (DayCache   *cache,
        gint64      ts_us,
        GTimeZone  *tz)
{
  if (ts_us < cache->start_us || ts_us >= cache->end_us)
    {
      g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
      g_autoptr(GDateTime) utc = g_date_time_add (epoch, ts_us);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
      g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                       g_date_time_get_month (local),
                                                       g_date_time_get_day_of_month (local),
                                                       0, 0, 0);
      g_autoptr(GDateTime) next = g_date_time_add_days (midnight, 1);

      g_snprintf (cache->day, sizeof cache->day, "%04d-%02d-%02d",
                  g_date_time_get_year (local), g_date_time_get_month (local),
                  g_date_time_get_day_of_month (local));
      cache->start_us = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
      cache->end_us = g_date_time_to_unix (next) * G_USEC_PER_SEC;
    }
  return cache->day;
}

/* The first whole second at or after `us`: reviews keep unix seconds, and a
 * bound in seconds lets SQLite use their index on created_at. */
static gint64
ceil_seconds (gint64 us)
{
  return us / G_USEC_PER_SEC + (us % G_USEC_PER_SEC > 0 ? 1 : 0);
}

/* Settings and targets */

double
limner_store_get_idle_threshold (LimnerStore *store)
{
  g_autofree char *value = NULL;
  char *end = NULL;
  double v;

  g_return_val_if_fail (LIMNER_IS_STORE (store), LIMNER_STATS_DEFAULT_IDLE_SECONDS);

  value = limner_store_get_setting (store, LIMNER_STATS_IDLE_SETTING);
  if (value == NULL)
    return LIMNER_STATS_DEFAULT_IDLE_SECONDS;
  v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(v > 0) || v > 1e9)
    return LIMNER_STATS_DEFAULT_IDLE_SECONDS;
  return v;
}

gboolean
limner_store_get_targets (LimnerStore    *store,
                          const char     *login,
                          LimnerTargets  *out,
                          GError        **error)
{
  LimnerStmt *stmt;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  stmt = limner_store_prepare (store,
                               "SELECT COALESCE(images_per_hour, 0), COALESCE(shapes_per_hour, 0), "
                               "  COALESCE(acceptance_rate, 0), COALESCE(gold_iou, 0) "
                               "FROM targets WHERE login = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_text (stmt, 1, login != NULL ? login : PROJECT_TARGETS_LOGIN);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      out->images_per_hour = limner_stmt_column_double (stmt, 0);
      out->shapes_per_hour = limner_stmt_column_double (stmt, 1);
      out->acceptance_rate = limner_stmt_column_double (stmt, 2);
      out->gold_iou = limner_stmt_column_double (stmt, 3);
    }
  limner_stmt_reset (stmt);
  return TRUE;
}

gboolean
limner_store_set_targets (LimnerStore          *store,
                          const char           *login,
                          const LimnerTargets  *targets,
                          GError              **error)
{
  LimnerStmt *stmt;
  const double values[] = {
    targets->images_per_hour, targets->shapes_per_hour,
    targets->acceptance_rate, targets->gold_iou,
  };
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (targets != NULL, FALSE);

  if (!limner_store_require_role (store, LIMNER_ROLE_LEAD, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (!isfinite (values[i]) || ((i == 2 || i == 3) && values[i] > 1))
      {
        g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                     _("The target %g for %s is not a valid number (rates go from 0 to 1)."),
                     values[i], login != NULL ? login : _("the project"));
        return FALSE;
      }
  if (login != NULL && limner_store_get_user_roles (store, login) == LIMNER_ROLE_NONE)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND,
                   _("There is no user %s in this project."), login);
      return FALSE;
    }
  if (!limner_store_write_begin (store, error))
    return FALSE;
  /* A negative value keeps what was there; 0 stores "no target". */
  stmt = limner_store_prepare (store,
                               "INSERT INTO targets (login, images_per_hour, shapes_per_hour, "
                               "  acceptance_rate, gold_iou) "
                               "VALUES (?1, CASE WHEN ?2 > 0 THEN ?2 ELSE 0 END, CASE WHEN ?3 > 0 THEN ?3 ELSE 0 END, "
                               "  CASE WHEN ?4 > 0 THEN ?4 ELSE 0 END, CASE WHEN ?5 > 0 THEN ?5 ELSE 0 END) "
                               "ON CONFLICT (login) DO UPDATE SET "
                               "  images_per_hour = CASE WHEN ?2 >= 0 THEN ?2 ELSE images_per_hour END, "
                               "  shapes_per_hour = CASE WHEN ?3 >= 0 THEN ?3 ELSE shapes_per_hour END, "
                               "  acceptance_rate = CASE WHEN ?4 >= 0 THEN ?4 ELSE acceptance_rate END, "
                               "  gold_iou = CASE WHEN ?5 >= 0 THEN ?5 ELSE gold_iou END",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_text (stmt, 1, login != NULL ? login : PROJECT_TARGETS_LOGIN);
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        limner_stmt_bind_double (stmt, 2 + i, values[i]);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      if (!ok)
        limner_store_set_sqlite_error (store, error, login != NULL ? login : _("the project"));
      limner_stmt_reset (stmt);
    }
  if (ok)
    {
      g_autofree char *detail = g_strdup_printf ("{\"login\": \"%s\"}",
                                                 login != NULL ? login : PROJECT_TARGETS_LOGIN);

      ok = limner_store_log_event_locked (store, "stats.targets", 0, 0, detail, error);
    }
  return limner_store_write_end (store, ok, error);
}

/* Events */

gboolean
limner_store_log_event_at (LimnerStore  *store,
                           gint64        ts_us,
                           const char   *kind,
                           gint64        image_id,
                           const char   *detail_json,
                           GError      **error)
{
  LimnerStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  if (!limner_store_require_role (store, LIMNER_ROLE_ANNOTATOR | LIMNER_ROLE_REVIEWER | LIMNER_ROLE_LEAD,
                                  error)
      || !limner_store_write_begin (store, error))
    return FALSE;
  stmt = limner_store_prepare (store,
                               "INSERT INTO events (ts, login, kind, image_id, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      limner_stmt_bind_int64 (stmt, 1, ts_us);
      limner_stmt_bind_text (stmt, 2, limner_store_get_login (store));
      limner_stmt_bind_text (stmt, 3, kind);
      if (image_id > 0)
        limner_stmt_bind_int64 (stmt, 4, image_id);
      else
        limner_stmt_bind_null (stmt, 4);
      limner_store_bind_text_or_null (stmt, 5, detail_json);
      ok = limner_stmt_step (stmt) == LIMNER_DB_DONE;
      if (!ok)
        limner_store_set_sqlite_error (store, error, kind);
      limner_stmt_reset (stmt);
    }
  return limner_store_write_end (store, ok, error);
}

/* What an event is for the active-time rule, and whether it submits. */
static LimnerActivityKind
classify (const char *kind,
          const char *detail,
          gboolean   *submit)
{
  LimnerActivityKind activity = LIMNER_ACTIVITY_OTHER;

  *submit = FALSE;
  if (g_str_equal (kind, "image.status"))
    {
      /* The store writes {"from": "...", "to": "..."} itself. */
      if (detail != NULL && strstr (detail, "\"to\": \"submitted\"") != NULL)
        {
          *submit = TRUE;
          return LIMNER_ACTIVITY_SUBMIT;
        }
      return LIMNER_ACTIVITY_OTHER;
    }
  if (g_str_equal (kind, "image.open"))
    return detail != NULL && strstr (detail, "\"review\"") != NULL
           ? LIMNER_ACTIVITY_OPEN_REVIEW : LIMNER_ACTIVITY_OPEN_IMAGE;
  if (!limner_activity_kind_from_string (kind, &activity))
    return LIMNER_ACTIVITY_OTHER;
  *submit = activity == LIMNER_ACTIVITY_SUBMIT;
  return activity;
}

/* The first event of `login` at or after `from_us`, which ends the gap
 * that starts with the last event of a range. FALSE when there is none. */
static gboolean
next_activity (LimnerStore    *store,
               const char     *login,
               gint64          from_us,
               LimnerActivity *out)
{
  LimnerStmt *stmt;
  gboolean found = FALSE;

  stmt = limner_store_prepare (store,
                               "SELECT e.ts, e.kind, COALESCE(e.image_id, 0), e.detail, "
                               "  COALESCE(s.label_id, 0) "
                               "FROM events e LEFT JOIN shapes s ON s.id = e.shape_id "
                               "WHERE e.login = ?1 AND e.ts >= ?2 ORDER BY e.ts, e.id LIMIT 1",
                               NULL);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_text (stmt, 1, login);
  limner_stmt_bind_int64 (stmt, 2, from_us);
  if (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      gboolean submit;

      out->time_us = limner_stmt_column_int64 (stmt, 0);
      out->kind = classify ((const char *) limner_stmt_column_text (stmt, 1),
                            (const char *) limner_stmt_column_text (stmt, 3), &submit);
      out->image_id = limner_stmt_column_int64 (stmt, 2);
      out->label_id = (out->kind == LIMNER_ACTIVITY_CREATE_SHAPE || out->kind == LIMNER_ACTIVITY_EDIT_SHAPE)
                      ? limner_stmt_column_int64 (stmt, 4) : 0;
      found = TRUE;
    }
  limner_stmt_reset (stmt);
  return found;
}

/* Per-user gathering */

typedef struct {
  LimnerStore       *store;
  GTimeZone         *tz;
  gint64             from_us;     /* counting starts here (0 = no bound) */
  gint64             to_us;       /* and ends before this */
  const char        *from_day;    /* NULL = no bound */
  const char        *to_day;
  LimnerStatsGrouping group_by;
  double             threshold_s;
  GHashTable        *login_index; /* login -> index + 1 */
  LimnerStatsResult *result;
  GHashTable        *periods;     /* key -> LimnerStatsPeriod* (borrowed from result->periods) */
  GHashTable        *rejections;  /* login -> GArray of LimnerRejection */
  GHashTable        *label_time;  /* label id -> LimnerStatsLabel* */
  DayCache           cache;
  /* The last day asked for and its period (NULL: out of range, or the
   * whole range only); days come mostly in order. */
  char               last_day[11];
  gboolean           last_in_range;
  LimnerStatsPeriod *last_period;
} Gather;

static void
period_init (LimnerStatsPeriod *period,
             Gather            *g,
             const char        *key)
{
  GPtrArray *logins = g->result->logins;

  period->period = g_strdup (key);
  period->counts = g_array_sized_new (FALSE, TRUE, sizeof (LimnerUserCounts), logins->len);
  g_array_set_size (period->counts, logins->len);
  for (guint i = 0; i < logins->len; i++)
    g_array_index (period->counts, LimnerUserCounts, i).login = g_ptr_array_index (logins, i);
}

/* The counts of user `idx` in the period of `day`, or NULL when the day is
 * outside the range. Also the whole range's counts in `total`. */
static LimnerUserCounts *
counts_for_day (Gather            *g,
                guint              idx,
                const char        *day,
                LimnerUserCounts **total)
{
  char week[9];
  const char *key = day;
  LimnerStatsPeriod *period;

  *total = NULL;
  if (strcmp (day, g->last_day) == 0)
    {
      if (!g->last_in_range)
        return NULL;
      *total = &g_array_index (g->result->total.counts, LimnerUserCounts, idx);
      return g->last_period != NULL
             ? &g_array_index (g->last_period->counts, LimnerUserCounts, idx) : NULL;
    }
  g_strlcpy (g->last_day, day, sizeof g->last_day);
  g->last_in_range = FALSE;
  g->last_period = NULL;
  if ((g->from_day != NULL && strcmp (day, g->from_day) < 0)
      || (g->to_day != NULL && strcmp (day, g->to_day) > 0))
    return NULL;
  g->last_in_range = TRUE;
  *total = &g_array_index (g->result->total.counts, LimnerUserCounts, idx);
  if (g->group_by == LIMNER_STATS_BY_RANGE)
    return NULL;
  if (g->group_by == LIMNER_STATS_BY_WEEK)
    {
      if (!limner_stats_week_of_day (day, week))
        return NULL;
      key = week;
    }
  period = g_hash_table_lookup (g->periods, key);
  if (period == NULL)
    {
      period = g_new0 (LimnerStatsPeriod, 1);
      period_init (period, g, key);
      g_ptr_array_add (g->result->periods, period);
      g_hash_table_insert (g->periods, period->period, period);
    }
  g->last_period = period;
  return &g_array_index (period->counts, LimnerUserCounts, idx);
}

static guint
login_idx (Gather     *g,
           const char *login)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (g->login_index, login)) - 1;
}

/* Adds `s` seconds of annotating time on `image_id` to the per-image table
 * of `counts` (a hash image id -> seconds kept beside it). */
static void
add_image_seconds (GHashTable *images,
                   gint64      image_id,
                   double      s)
{
  double *slot = g_hash_table_lookup (images, &image_id);

  if (slot == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = image_id;
      slot = g_new0 (double, 1);
      g_hash_table_insert (images, key, slot);
    }
  *slot += s;
}

static void
store_image_seconds (LimnerUserCounts *counts,
                     GHashTable       *images)
{
  GHashTableIter iter;
  gpointer value;
  double *values = g_new (double, MAX (1, g_hash_table_size (images)));
  guint n = 0;

  g_hash_table_iter_init (&iter, images);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(double *) value > 0)
      values[n++] = *(double *) value;
  g_free ((double *) counts->image_active_s);
  counts->image_active_s = values;
  counts->n_image_active_s = n;
}

/* Applies the rule to one user's activities and adds its time. */
static gboolean
finish_user (Gather         *g,
             const char     *login,
             GArray         *activities,
             GError        **error)
{
  guint idx = login_idx (g, login);
  GArray *rejections = g_hash_table_lookup (g->rejections, login);
  g_autoptr(LimnerActiveTime) at = NULL;
  g_autoptr(GHashTable) total_images = NULL;
  g_autoptr(GHashTable) period_images = NULL;
  LimnerUserCounts *total;
  LimnerActivity next;
  const LimnerStatsPeriod *last_period = NULL;
  GHashTable *images = NULL;

  /* The gap from the range's last event to the next one starts inside it. */
  if (g->to_us > 0 && next_activity (g->store, login, g->to_us, &next))
    g_array_append_val (activities, next);
  at = limner_active_time_compute ((LimnerActivity *) activities->data, activities->len,
                                   rejections != NULL ? (LimnerRejection *) rejections->data : NULL,
                                   rejections != NULL ? rejections->len : 0,
                                   g->threshold_s, g->tz, error);
  if (at == NULL)
    return FALSE;

  /* Time per day, split at midnight by the rule itself. */
  for (guint i = 0; i < at->days->len; i++)
    {
      const LimnerDayTime *d = &g_array_index (at->days, LimnerDayTime, i);
      LimnerUserCounts *c = counts_for_day (g, idx, d->date, &total);

      if (total == NULL)
        continue;
      total->active_s += d->active_s - d->review_s;
      total->review_active_s += d->review_s;
      total->rework_s += d->rework_s;
      if (c != NULL)
        {
          c->active_s += d->active_s - d->review_s;
          c->review_active_s += d->review_s;
          c->rework_s += d->rework_s;
        }
    }

  /* Annotating time per image: the part of each gap inside the range, in
   * the period of its start. */
  total_images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  period_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  for (guint i = 0; i < at->gaps->len; i++)
    {
      const LimnerActiveGap *gap = &g_array_index (at->gaps, LimnerActiveGap, i);
      gint64 start = gap->start_us;
      gint64 end = gap->start_us + (gint64) (gap->counted_s * G_USEC_PER_SEC);
      LimnerUserCounts *c;
      const char *day;
      double s;

      if (gap->review || gap->image_id == 0 || gap->counted_s <= 0)
        continue;
      if (g->from_us > 0 && start < g->from_us)
        start = g->from_us;
      if (g->to_us > 0 && end > g->to_us)
        end = g->to_us;
      if (end <= start)
        continue;
      s = (end - start) / (double) G_USEC_PER_SEC;
      add_image_seconds (total_images, gap->image_id, s);
      day = day_of (&g->cache, start, g->tz);
      c = counts_for_day (g, idx, day, &total);
      if (c != NULL)
        {
          if (g->last_period != last_period)
            {
              last_period = g->last_period;
              images = g_hash_table_lookup (period_images, last_period->period);
              if (images == NULL)
                {
                  images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
                  g_hash_table_insert (period_images, g_strdup (last_period->period), images);
                }
            }
          add_image_seconds (images, gap->image_id, s);
        }
    }
  store_image_seconds (&g_array_index (g->result->total.counts, LimnerUserCounts, idx),
                       total_images);
  for (guint i = 0; i < g->result->periods->len; i++)
    {
      LimnerStatsPeriod *period = g_ptr_array_index (g->result->periods, i);
      GHashTable *images = g_hash_table_lookup (period_images, period->period);

      if (images != NULL)
        store_image_seconds (&g_array_index (period->counts, LimnerUserCounts, idx), images);
    }

  /* Seconds per shape of each label, over the whole range. */
  for (guint i = 0; i < at->labels->len; i++)
    {
      const LimnerLabelTime *lt = &g_array_index (at->labels, LimnerLabelTime, i);
      LimnerStatsLabel *label;

      if (lt->label_id == 0)
        continue;
      label = g_hash_table_lookup (g->label_time, &lt->label_id);
      if (label == NULL)
        {
          label = g_new0 (LimnerStatsLabel, 1);
          label->label_id = lt->label_id;
          g_hash_table_insert (g->label_time, &label->label_id, label);
        }
      label->active_s += lt->active_s;
      label->shapes_created += lt->shapes_created;
    }
  return TRUE;
}

static int
compare_logins (gconstpointer a,
                gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Logins with any event or review in the range, sorted. */
static gboolean
collect_logins (LimnerStore  *store,
                Gather       *g,
                const char   *only,
                gint64        lo_us,
                gint64        hi_us,
                GError      **error)
{
  LimnerStmt *stmt;
  g_autoptr(GPtrArray) logins = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  stmt = limner_store_prepare (store,
                               "SELECT DISTINCT login FROM events WHERE ts >= ?1 AND ts < ?2 "
                               "UNION SELECT annotator FROM reviews "
                               "  WHERE annotator IS NOT NULL AND created_at >= ?3 AND created_at < ?4 "
                               "UNION SELECT reviewer FROM reviews "
                               "  WHERE created_at >= ?3 AND created_at < ?4",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, lo_us);
  limner_stmt_bind_int64 (stmt, 2, hi_us);
  limner_stmt_bind_int64 (stmt, 3, ceil_seconds (lo_us));
  limner_stmt_bind_int64 (stmt, 4, ceil_seconds (hi_us));
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      const char *login = (const char *) limner_stmt_column_text (stmt, 0);

      if (login != NULL && (only == NULL || g_str_equal (login, only)))
        g_hash_table_add (seen, g_strdup (login));
    }
  limner_stmt_reset (stmt);

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (logins, key);
  g_ptr_array_sort (logins, compare_logins);
  for (guint i = 0; i < logins->len; i++)
    {
      char *login = g_strdup (g_ptr_array_index (logins, i));

      g_ptr_array_add (g->result->logins, login);
      g_hash_table_insert (g->login_index, login, GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/* Each annotator's rejected images, first rejection first, up to the end of
 * the range: rework counts from there. */
static gboolean
collect_rejections (LimnerStore  *store,
                    Gather       *g,
                    gint64        hi_us,
                    GError      **error)
{
  LimnerStmt *stmt;

  stmt = limner_store_prepare (store,
                               "SELECT annotator, image_id, MIN(created_at) FROM reviews "
                               "WHERE decision = 'reject' AND annotator IS NOT NULL "
                               "  AND created_at < ?1 "
                               "GROUP BY annotator, image_id ORDER BY annotator, image_id",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, ceil_seconds (hi_us));
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      const char *login = (const char *) limner_stmt_column_text (stmt, 0);
      LimnerRejection r = { limner_stmt_column_int64 (stmt, 1),
                            limner_stmt_column_int64 (stmt, 2) * G_USEC_PER_SEC };
      GArray *list;

      if (!g_hash_table_contains (g->login_index, login))
        continue;
      list = g_hash_table_lookup (g->rejections, login);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (LimnerRejection));
          g_hash_table_insert (g->rejections, g_strdup (login), list);
        }
      g_array_append_val (list, r);
    }
  limner_stmt_reset (stmt);
  return TRUE;
}

/* Reviewers' decisions in the range, counted for the annotator whose work
 * was decided and for the reviewer who decided. */
static gboolean
collect_reviews (LimnerStore  *store,
                 Gather       *g,
                 gint64        lo_us,
                 gint64        hi_us,
                 GError      **error)
{
  LimnerStmt *stmt;

  stmt = limner_store_prepare (store,
                               "SELECT annotator, reviewer, decision, created_at FROM reviews "
                               "WHERE created_at >= ?1 AND created_at < ?2 "
                               "ORDER BY created_at, id",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, ceil_seconds (lo_us));
  limner_stmt_bind_int64 (stmt, 2, ceil_seconds (hi_us));
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      const char *annotator = (const char *) limner_stmt_column_text (stmt, 0);
      const char *reviewer = (const char *) limner_stmt_column_text (stmt, 1);
      const char *decision = (const char *) limner_stmt_column_text (stmt, 2);
      const char *day = day_of (&g->cache, limner_stmt_column_int64 (stmt, 3) * G_USEC_PER_SEC, g->tz);
      LimnerUserCounts *targets[2] = { NULL, NULL };

      if (annotator != NULL && g_hash_table_contains (g->login_index, annotator))
        {
          targets[0] = counts_for_day (g, login_idx (g, annotator), day, &targets[1]);
          for (guint k = 0; k < 2; k++)
            if (targets[k] != NULL)
              {
                if (g_str_equal (decision, "accept"))
                  targets[k]->qc_accepted++;
                else if (g_str_equal (decision, "reject"))
                  targets[k]->qc_rejected++;
                else
                  targets[k]->qc_fixed++;
              }
        }
      if (reviewer != NULL && g_hash_table_contains (g->login_index, reviewer))
        {
          targets[0] = counts_for_day (g, login_idx (g, reviewer), day, &targets[1]);
          for (guint k = 0; k < 2; k++)
            if (targets[k] != NULL)
              {
                if (g_str_equal (decision, "accept"))
                  targets[k]->decided_accept++;
                else if (g_str_equal (decision, "reject"))
                  targets[k]->decided_reject++;
                else
                  targets[k]->decided_fix++;
              }
        }
    }
  limner_stmt_reset (stmt);
  return TRUE;
}

/* Gold scores (limner-store-qc.h) in the range, added to the annotator's
 * figures of the day they were scored. */
static gboolean
collect_gold (LimnerStore  *store,
              Gather       *g,
              gint64        lo_us,
              gint64        hi_us,
              GError      **error)
{
  LimnerStmt *stmt;

  stmt = limner_store_prepare (store,
                               "SELECT annotator, tp, fp, fn, iou_sum, created_at FROM gold_scores "
                               "WHERE created_at >= ?1 AND created_at < ?2 "
                               "ORDER BY created_at, id",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, ceil_seconds (lo_us));
  limner_stmt_bind_int64 (stmt, 2, ceil_seconds (hi_us));
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      const char *annotator = (const char *) limner_stmt_column_text (stmt, 0);
      const char *day = day_of (&g->cache, limner_stmt_column_int64 (stmt, 5) * G_USEC_PER_SEC, g->tz);
      LimnerUserCounts *targets[2] = { NULL, NULL };

      g->result->has_gold = TRUE;
      if (annotator == NULL || !g_hash_table_contains (g->login_index, annotator))
        continue;
      targets[0] = counts_for_day (g, login_idx (g, annotator), day, &targets[1]);
      for (guint k = 0; k < 2; k++)
        if (targets[k] != NULL)
          {
            targets[k]->gold_tp += limner_stmt_column_int (stmt, 1);
            targets[k]->gold_fp += limner_stmt_column_int (stmt, 2);
            targets[k]->gold_fn += limner_stmt_column_int (stmt, 3);
            targets[k]->gold_iou_sum += limner_stmt_column_double (stmt, 4);
          }
    }
  limner_stmt_reset (stmt);
  return TRUE;
}

/* One person's events, as the scan meets them in time order. */
typedef struct {
  GArray *activities;         /* of LimnerActivity */
  gint64  last_submit_image;  /* to count a submission logged twice once */
  gint64  last_submit_us;
} Stream;

static void
stream_clear (Stream *stream)
{
  g_clear_pointer (&stream->activities, g_array_unref);
}

static int
compare_activities (gconstpointer a,
                    gconstpointer b)
{
  gint64 ta = ((const LimnerActivity *) a)->time_us;
  gint64 tb = ((const LimnerActivity *) b)->time_us;

  return ta < tb ? -1 : ta > tb;
}

/* Reads the events once, in the order SQLite finds cheapest (the log grows
 * in time order, so that is nearly time order already), counts what happened
 * in the range and files each event in its person's stream; then puts each
 * stream in time order if it is not, and applies the rule to it. */
static gboolean
walk_events (LimnerStore   *store,
             Gather        *g,
             const char    *only,
             gint64         lo_us,
             gint64         hi_us,
             GCancellable  *cancellable,
             GError       **error)
{
  LimnerStmt *stmt;
  guint n_logins = g->result->logins->len;
  g_autoptr(GArray) streams = g_array_sized_new (FALSE, TRUE, sizeof (Stream), n_logins);
  /* kind -> its activity + 1 and the submit flag (<< 8), or 0 when the
   * detail decides: a few kinds, a million events. */
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  guint n = 0;
  int rc;

  g_array_set_clear_func (streams, (GDestroyNotify) stream_clear);
  g_array_set_size (streams, n_logins);
  for (guint i = 0; i < n_logins; i++)
    g_array_index (streams, Stream, i).activities = g_array_new (FALSE, FALSE, sizeof (LimnerActivity));

  stmt = limner_store_prepare (store,
                               "SELECT e.login, e.ts, e.kind, COALESCE(e.image_id, 0), e.detail, "
                               "  COALESCE(s.label_id, 0) "
                               "FROM events e LEFT JOIN shapes s ON s.id = e.shape_id "
                               "WHERE e.ts >= ?1 AND e.ts < ?2 AND (?3 IS NULL OR e.login = ?3)",
                               error);
  if (stmt == NULL)
    return FALSE;
  limner_stmt_bind_int64 (stmt, 1, lo_us);
  limner_stmt_bind_int64 (stmt, 2, hi_us);
  limner_store_bind_text_or_null (stmt, 3, only);
  while (ok && (rc = limner_stmt_step (stmt)) == LIMNER_DB_ROW)
    {
      const char *login = (const char *) limner_stmt_column_text (stmt, 0);
      const char *kind = (const char *) limner_stmt_column_text (stmt, 2);
      LimnerActivity a = { limner_stmt_column_int64 (stmt, 1), LIMNER_ACTIVITY_OTHER,
                           limner_stmt_column_int64 (stmt, 3), 0 };
      gboolean submit;
      LimnerUserCounts *c, *total;
      gpointer known = NULL;
      gpointer slot;
      Stream *stream;

      if ((++n & 4095) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (login == NULL || kind == NULL
          || !g_hash_table_lookup_extended (g->login_index, login, NULL, &slot))
        continue;
      stream = &g_array_index (streams, Stream, GPOINTER_TO_UINT (slot) - 1);

      if (g_hash_table_lookup_extended (kinds, kind, NULL, &known) && GPOINTER_TO_UINT (known) != 0)
        {
          a.kind = (GPOINTER_TO_UINT (known) & 0xff) - 1;
          submit = (GPOINTER_TO_UINT (known) >> 8) != 0;
        }
      else
        {
          a.kind = classify (kind, (const char *) limner_stmt_column_text (stmt, 4), &submit);
          if (known == NULL && !g_str_equal (kind, "image.status") && !g_str_equal (kind, "image.open"))
            known = GUINT_TO_POINTER ((a.kind + 1) | (submit ? 1 << 8 : 0));
          g_hash_table_insert (kinds, g_strdup (kind), known);
        }
      if (a.kind == LIMNER_ACTIVITY_CREATE_SHAPE || a.kind == LIMNER_ACTIVITY_EDIT_SHAPE)
        a.label_id = limner_stmt_column_int64 (stmt, 5);
      g_array_append_val (stream->activities, a);
      if (g->from_us > 0 && a.time_us < g->from_us)
        continue;

      c = counts_for_day (g, GPOINTER_TO_UINT (slot) - 1, day_of (&g->cache, a.time_us, g->tz), &total);
      if (total == NULL)
        continue;
      if (submit && a.image_id == stream->last_submit_image
          && a.time_us - stream->last_submit_us < SUBMIT_DEDUP_US)
        submit = FALSE;
      else if (submit)
        {
          stream->last_submit_image = a.image_id;
          stream->last_submit_us = a.time_us;
        }
      for (guint k = 0; k < 2; k++)
        {
          LimnerUserCounts *t = k == 0 ? total : c;

          if (t == NULL)
            continue;
          if (submit)
            t->images_submitted++;
          else if (a.kind == LIMNER_ACTIVITY_CREATE_SHAPE)
            t->shapes_created++;
          else if (a.kind == LIMNER_ACTIVITY_EDIT_SHAPE)
            t->shapes_edited++;
          else if (a.kind == LIMNER_ACTIVITY_DELETE_SHAPE)
            t->shapes_deleted++;
        }
    }
  if (ok && rc != LIMNER_DB_DONE && rc != LIMNER_DB_ROW)
    {
      limner_store_set_sqlite_error (store, error, _("Could not read the event log"));
      ok = FALSE;
    }
  limner_stmt_reset (stmt);
  for (guint i = 0; ok && i < n_logins; i++)
    {
      GArray *activities = g_array_index (streams, Stream, i).activities;

      for (guint k = 1; k < activities->len; k++)
        if (g_array_index (activities, LimnerActivity, k).time_us
            < g_array_index (activities, LimnerActivity, k - 1).time_us)
          {
            g_array_sort (activities, compare_activities);
            break;
          }
      ok = finish_user (g, g_ptr_array_index (g->result->logins, i),
                        g_array_index (streams, Stream, i).activities, error);
      /* The streams take memory: drop each once used. */
      g_clear_pointer (&g_array_index (streams, Stream, i).activities, g_array_unref);
    }
  return ok;
}

static int
compare_periods (gconstpointer a,
                 gconstpointer b)
{
  const LimnerStatsPeriod *pa = *(LimnerStatsPeriod * const *) a;
  const LimnerStatsPeriod *pb = *(LimnerStatsPeriod * const *) b;

  return strcmp (pa->period, pb->period);
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  gint64 la = ((const LimnerStatsLabel *) a)->label_id;
  gint64 lb = ((const LimnerStatsLabel *) b)->label_id;

  return la < lb ? -1 : la > lb;
}

static void
compute_figures (LimnerStatsResult *result,
                 LimnerStatsPeriod *period)
{
  period->figures = limner_stats_figures ((LimnerUserCounts *) period->counts->data,
                                          period->counts->len, &result->project_targets,
                                          (LimnerTargets *) result->user_targets->data);
}

static gboolean
check_day (const char  *day,
           GTimeZone   *tz,
           int          add_days,
           gint64      *out,
           GError     **error)
{
  if (day_start_us (day, tz, add_days, out))
    return TRUE;
  g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
               _("The date “%s” is not a valid YYYY-MM-DD date."), day);
  return FALSE;
}

LimnerStatsResult *
limner_store_compute_stats (LimnerStore             *store,
                            const LimnerStatsQuery  *query,
                            GCancellable            *cancellable,
                            GError                 **error)
{
  g_autoptr(LimnerStatsResult) result = g_new0 (LimnerStatsResult, 1);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  Gather g = { 0 };
  gint64 lo_us, hi_us;
  gboolean ok;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  tz = query->tz != NULL ? g_time_zone_ref (query->tz) : g_time_zone_new_local ();
  g.store = store;
  g.tz = tz;
  g.from_day = query->from_day;
  g.to_day = query->to_day;
  g.group_by = query->group_by;
  g.result = result;
  if ((query->from_day != NULL && !check_day (query->from_day, tz, 0, &g.from_us, error))
      || (query->to_day != NULL && !check_day (query->to_day, tz, 1, &g.to_us, error)))
    return NULL;
  if (query->from_day != NULL && query->to_day != NULL && g.to_us <= g.from_us)
    {
      g_set_error (error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_INVALID,
                   _("The range ends on %s, before it starts on %s."),
                   query->to_day, query->from_day);
      return NULL;
    }
  lo_us = g.from_us > 0 ? g.from_us : 0;
  hi_us = g.to_us > 0 ? g.to_us : G_MAXINT64;

  result->idle_threshold_s = limner_store_get_idle_threshold (store);
  g.threshold_s = result->idle_threshold_s;
  result->logins = g_ptr_array_new_with_free_func (g_free);
  result->periods = g_ptr_array_new_with_free_func ((GDestroyNotify) stats_period_free);
  result->labels = g_array_new (FALSE, TRUE, sizeof (LimnerStatsLabel));
  g_array_set_clear_func (result->labels, (GDestroyNotify) stats_label_clear);
  result->user_targets = g_array_new (FALSE, TRUE, sizeof (LimnerTargets));
  /* Set by collect_gold() when the range has any gold score. */
  result->has_gold = FALSE;

  g.login_index = g_hash_table_new (g_str_hash, g_str_equal);
  g.periods = g_hash_table_new (g_str_hash, g_str_equal);
  g.rejections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_array_unref);
  g.label_time = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);

  ok = limner_store_get_targets (store, NULL, &result->project_targets, error)
       && collect_logins (store, &g, query->login, lo_us, hi_us, error);
  if (ok)
    {
      g_array_set_size (result->user_targets, result->logins->len);
      period_init (&result->total, &g, NULL);
      for (guint i = 0; ok && i < result->logins->len; i++)
        ok = limner_store_get_targets (store, g_ptr_array_index (result->logins, i),
                                       &g_array_index (result->user_targets, LimnerTargets, i),
                                       error);
    }
  ok = ok
       && collect_rejections (store, &g, hi_us, error)
       && collect_reviews (store, &g, lo_us, hi_us, error)
       && collect_gold (store, &g, lo_us, hi_us, error)
       && walk_events (store, &g, query->login, g.from_us > LEAD_IN_US ? g.from_us - LEAD_IN_US : 0,
                       hi_us, cancellable, error);
  if (ok)
    {
      GHashTableIter iter;
      gpointer value;

      g_ptr_array_sort (result->periods, compare_periods);
      compute_figures (result, &result->total);
      for (guint i = 0; i < result->periods->len; i++)
        compute_figures (result, g_ptr_array_index (result->periods, i));

      labels = limner_store_list_labels (store, NULL);
      g_hash_table_iter_init (&iter, g.label_time);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          LimnerStatsLabel label = *(LimnerStatsLabel *) value;

          for (guint i = 0; labels != NULL && i < labels->len; i++)
            {
              LimnerLabel *l = g_ptr_array_index (labels, i);

              if (l->id == label.label_id)
                label.name = g_strdup (l->name);
            }
          label.seconds_per_shape = label.shapes_created > 0 ? label.active_s / label.shapes_created : 0;
          g_array_append_val (result->labels, label);
        }
      g_array_sort (result->labels, compare_labels);
    }

  g_hash_table_unref (g.login_index);
  g_hash_table_unref (g.periods);
  g_hash_table_unref (g.rejections);
  g_hash_table_unref (g.label_time);
  if (!ok)
    return NULL;
  return g_steal_pointer (&result);
}

typedef struct {
  char                *from_day;
  char                *to_day;
  char                *login;
  LimnerStatsGrouping  group_by;
  GTimeZone           *tz;
} QueryCopy;

static void
query_copy_free (QueryCopy *copy)
{
  g_free (copy->from_day);
  g_free (copy->to_day);
  g_free (copy->login);
  g_clear_pointer (&copy->tz, g_time_zone_unref);
  g_free (copy);
}

static gpointer
compute_in_worker (LimnerWorker  *worker,
                   LimnerStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  QueryCopy *copy = data;
  LimnerStatsQuery query = { copy->from_day, copy->to_day, copy->login, copy->group_by, copy->tz };

  return limner_store_compute_stats (store, &query, cancellable, error);
}

void
limner_store_compute_stats_async (LimnerStore             *store,
                                  const LimnerStatsQuery  *query,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryCopy *copy;

  g_return_if_fail (LIMNER_IS_STORE (store));
  g_return_if_fail (query != NULL);

  copy = g_new0 (QueryCopy, 1);
  copy->from_day = g_strdup (query->from_day);
  copy->to_day = g_strdup (query->to_day);
  copy->login = g_strdup (query->login);
  copy->group_by = query->group_by;
  copy->tz = query->tz != NULL ? g_time_zone_ref (query->tz) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, limner_store_compute_stats_async);
  limner_worker_run (limner_worker_new (limner_store_get_dir (store), limner_store_get_login (store)),
                     task, compute_in_worker, copy, (GDestroyNotify) query_copy_free,
                     (GDestroyNotify) limner_stats_result_free);
}

LimnerStatsResult *
limner_store_compute_stats_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == limner_store_compute_stats_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

LimnerActiveTime *
limner_store_compute_active_time (LimnerStore  *store,
                                  const char   *login,
                                  const char   *day,
                                  GTimeZone    *tz,
                                  GError      **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GArray) activities = g_array_new (FALSE, FALSE, sizeof (LimnerActivity));
  g_autoptr(GArray) rejections = g_array_new (FALSE, FALSE, sizeof (LimnerRejection));
  LimnerStmt *stmt;
  gint64 start_us, end_us;
  LimnerActivity next;

  g_return_val_if_fail (LIMNER_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  if (!check_day (day, tz, 0, &start_us, error) || !check_day (day, tz, 1, &end_us, error))
    return NULL;

  stmt = limner_store_prepare (store,
                               "SELECT image_id, MIN(created_at) FROM reviews "
                               "WHERE decision = 'reject' AND annotator = ?1 AND created_at < ?2 "
                               "GROUP BY image_id ORDER BY image_id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_text (stmt, 1, login);
  limner_stmt_bind_int64 (stmt, 2, ceil_seconds (end_us));
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      LimnerRejection r = { limner_stmt_column_int64 (stmt, 0),
                            limner_stmt_column_int64 (stmt, 1) * G_USEC_PER_SEC };

      g_array_append_val (rejections, r);
    }
  limner_stmt_reset (stmt);

  /* The same events as limner_store_compute_stats() sees for that day. */
  stmt = limner_store_prepare (store,
                               "SELECT e.ts, e.kind, COALESCE(e.image_id, 0), e.detail, "
                               "  COALESCE(s.label_id, 0) "
                               "FROM events e LEFT JOIN shapes s ON s.id = e.shape_id "
                               "WHERE e.login = ?1 AND e.ts >= ?2 AND e.ts < ?3 ORDER BY e.ts, e.id",
                               error);
  if (stmt == NULL)
    return NULL;
  limner_stmt_bind_text (stmt, 1, login);
  limner_stmt_bind_int64 (stmt, 2, start_us > LEAD_IN_US ? start_us - LEAD_IN_US : 0);
  limner_stmt_bind_int64 (stmt, 3, end_us);
  while (limner_stmt_step (stmt) == LIMNER_DB_ROW)
    {
      gboolean submit;
      LimnerActivity a = { limner_stmt_column_int64 (stmt, 0), LIMNER_ACTIVITY_OTHER,
                           limner_stmt_column_int64 (stmt, 2), 0 };

      a.kind = classify ((const char *) limner_stmt_column_text (stmt, 1),
                         (const char *) limner_stmt_column_text (stmt, 3), &submit);
      if (a.kind == LIMNER_ACTIVITY_CREATE_SHAPE || a.kind == LIMNER_ACTIVITY_EDIT_SHAPE)
        a.label_id = limner_stmt_column_int64 (stmt, 4);
      g_array_append_val (activities, a);
    }
  limner_stmt_reset (stmt);
  if (next_activity (store, login, end_us, &next))
    g_array_append_val (activities, next);

  return limner_active_time_compute ((LimnerActivity *) activities->data, activities->len,
                                     (LimnerRejection *) rejections->data, rejections->len,
                                     limner_store_get_idle_threshold (store), tz, error);
}
