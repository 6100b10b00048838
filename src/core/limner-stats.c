/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limner-stats.h"

G_DEFINE_QUARK (limner-stats-error-quark, limner_stats_error)

static const struct {
  LimnerActivityKind  kind;
  const char         *name;
} kind_names[] = {
  { LIMNER_ACTIVITY_OPEN_IMAGE, "open_image" },
  { LIMNER_ACTIVITY_OPEN_REVIEW, "open_review" },
  { LIMNER_ACTIVITY_CREATE_SHAPE, "create_shape" },
  { LIMNER_ACTIVITY_EDIT_SHAPE, "edit_shape" },
  { LIMNER_ACTIVITY_DELETE_SHAPE, "delete_shape" },
  { LIMNER_ACTIVITY_CLAIM, "claim" },
  { LIMNER_ACTIVITY_RELEASE, "release" },
  { LIMNER_ACTIVITY_SUBMIT, "submit" },
  { LIMNER_ACTIVITY_REVIEW_DECISION, "review_decision" },
  { LIMNER_ACTIVITY_GOLD_SCORE, "gold_score" },
  { LIMNER_ACTIVITY_FOCUS_IN, "focus_in" },
  { LIMNER_ACTIVITY_FOCUS_OUT, "focus_out" },
  { LIMNER_ACTIVITY_IDLE_START, "idle_start" },
  { LIMNER_ACTIVITY_IDLE_END, "idle_end" },
  { LIMNER_ACTIVITY_OTHER, "other" },
  /* The store's own event names. */
  { LIMNER_ACTIVITY_CREATE_SHAPE, "shape.add" },
  { LIMNER_ACTIVITY_EDIT_SHAPE, "shape.update" },
  { LIMNER_ACTIVITY_DELETE_SHAPE, "shape.delete" },
  { LIMNER_ACTIVITY_CLAIM, "image.claim" },
  { LIMNER_ACTIVITY_RELEASE, "image.release" },
  { LIMNER_ACTIVITY_OPEN_IMAGE, "image.open" },
  { LIMNER_ACTIVITY_SUBMIT, "image.submit" },
  { LIMNER_ACTIVITY_REVIEW_DECISION, "review.accept" },
  { LIMNER_ACTIVITY_REVIEW_DECISION, "review.reject" },
  { LIMNER_ACTIVITY_REVIEW_DECISION, "review.fix" },
  { LIMNER_ACTIVITY_GOLD_SCORE, "gold.score" },
  { LIMNER_ACTIVITY_FOCUS_IN, "app.focus_in" },
  { LIMNER_ACTIVITY_FOCUS_OUT, "app.focus_out" },
  { LIMNER_ACTIVITY_IDLE_START, "app.idle_start" },
  { LIMNER_ACTIVITY_IDLE_END, "app.idle_end" },
};

const char *
limner_activity_kind_to_string (LimnerActivityKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].kind == kind)
      return kind_names[i].name;
  return "other";
}

gboolean
limner_activity_kind_from_string (const char         *str,
                                  LimnerActivityKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind_names[i].name, str) == 0)
      {
        *out = kind_names[i].kind;
        return TRUE;
      }
  return FALSE;
}

static GDateTime *
local_time (gint64     time_us,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr(GDateTime) utc = g_date_time_add (epoch, time_us);

  return g_date_time_to_timezone (utc, tz);
}

/* The unix time (µs) of the local midnight that starts the date after
 * `time_us`'s local date. */
static gint64
next_midnight_us (gint64     time_us,
                  GTimeZone *tz)
{
  g_autoptr(GDateTime) t = local_time (time_us, tz);
  g_autoptr(GDateTime) day = g_date_time_new (tz, g_date_time_get_year (t),
                                              g_date_time_get_month (t),
                                              g_date_time_get_day_of_month (t), 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);

  return g_date_time_to_unix (next) * G_USEC_PER_SEC;
}

static void
format_date (gint64     time_us,
             GTimeZone *tz,
             char       out[11])
{
  g_autoptr(GDateTime) t = local_time (time_us, tz);

  g_snprintf (out, 11, "%04d-%02d-%02d", g_date_time_get_year (t),
              g_date_time_get_month (t), g_date_time_get_day_of_month (t));
}

static LimnerImageTime *
image_entry (LimnerActiveTime *at,
             GHashTable       *index,
             gint64            image_id)
{
  gpointer slot;

  if (!g_hash_table_lookup_extended (index, &image_id, NULL, &slot))
    {
      LimnerImageTime entry = { image_id, 0.0, 0.0, 0.0 };
      gint64 *key = g_new (gint64, 1);

      *key = image_id;
      g_array_append_val (at->images, entry);
      slot = GUINT_TO_POINTER (at->images->len - 1);
      g_hash_table_insert (index, key, slot);
    }
  return &g_array_index (at->images, LimnerImageTime, GPOINTER_TO_UINT (slot));
}

static LimnerLabelTime *
label_entry (LimnerActiveTime *at,
             gint64            label_id)
{
  LimnerLabelTime entry = { label_id, 0.0, 0, 0.0 };

  /* A project has few labels: a linear search is fine. */
  for (guint i = 0; i < at->labels->len; i++)
    if (g_array_index (at->labels, LimnerLabelTime, i).label_id == label_id)
      return &g_array_index (at->labels, LimnerLabelTime, i);
  g_array_append_val (at->labels, entry);
  return &g_array_index (at->labels, LimnerLabelTime, at->labels->len - 1);
}

static int
compare_label_time (gconstpointer a,
                    gconstpointer b)
{
  gint64 la = ((const LimnerLabelTime *) a)->label_id;
  gint64 lb = ((const LimnerLabelTime *) b)->label_id;

  return la < lb ? -1 : la > lb;
}

/* The local date around a time, kept between gaps: events come in time
 * order, and a GDateTime per gap would dominate the cost over a big log. */
typedef struct {
  gint64 start_us;  /* its local midnight */
  gint64 end_us;    /* the next one */
  char   date[11];
} DaySpan;

static const DaySpan *
day_span (DaySpan    *span,
          gint64      time_us,
          GTimeZone  *tz)
{
  if (span->end_us <= span->start_us || time_us < span->start_us || time_us >= span->end_us)
    {
      g_autoptr(GDateTime) t = local_time (time_us, tz);
      g_autoptr(GDateTime) day = g_date_time_new (tz, g_date_time_get_year (t),
                                                  g_date_time_get_month (t),
                                                  g_date_time_get_day_of_month (t), 0, 0, 0);

      format_date (time_us, tz, span->date);
      span->start_us = g_date_time_to_unix (day) * G_USEC_PER_SEC;
      span->end_us = next_midnight_us (time_us, tz);
    }
  return span;
}

static void
add_to_day (LimnerActiveTime      *at,
            const LimnerActiveGap *gap,
            const char            *date,
            gint64                 len_us)
{
  LimnerDayTime *day = NULL;
  double s = len_us / (double) G_USEC_PER_SEC;

  /* Gaps come in time order, so a new date is always the last one. */
  if (at->days->len > 0)
    day = &g_array_index (at->days, LimnerDayTime, at->days->len - 1);
  if (day == NULL || strcmp (day->date, date) != 0)
    {
      LimnerDayTime entry = { "", 0.0, 0.0, 0.0 };

      memcpy (entry.date, date, sizeof entry.date);
      g_array_append_val (at->days, entry);
      day = &g_array_index (at->days, LimnerDayTime, at->days->len - 1);
    }
  day->active_s += s;
  if (gap->review)
    day->review_s += s;
  if (gap->rework)
    day->rework_s += s;
}

static int
compare_image_time (gconstpointer a,
                    gconstpointer b)
{
  gint64 ia = ((const LimnerImageTime *) a)->image_id;
  gint64 ib = ((const LimnerImageTime *) b)->image_id;

  return ia < ib ? -1 : ia > ib;
}

void
limner_active_time_free (LimnerActiveTime *at)
{
  if (at == NULL)
    return;
  g_clear_pointer (&at->gaps, g_array_unref);
  g_clear_pointer (&at->images, g_array_unref);
  g_clear_pointer (&at->days, g_array_unref);
  g_clear_pointer (&at->labels, g_array_unref);
  g_free (at);
}

LimnerActiveTime *
limner_active_time_compute (const LimnerActivity  *events,
                            guint                  n_events,
                            const LimnerRejection *rejections,
                            guint                  n_rejections,
                            double                 idle_threshold_s,
                            GTimeZone             *tz,
                            GError               **error)
{
  g_autoptr(LimnerActiveTime) at = g_new0 (LimnerActiveTime, 1);
  g_autoptr(GHashTable) rejected_at = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                            g_free, g_free);
  g_autoptr(GHashTable) image_index = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                            g_free, NULL);
  g_autoptr(GTimeZone) local = NULL;
  gint64 threshold_us;
  gint64 open_image = 0;
  gboolean open_for_review = FALSE;
  DaySpan days = { 0, 0, "" };

  g_return_val_if_fail (events != NULL || n_events == 0, NULL);
  g_return_val_if_fail (rejections != NULL || n_rejections == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(idle_threshold_s > 0.0) || !isfinite (idle_threshold_s))
    {
      g_set_error (error, LIMNER_STATS_ERROR, LIMNER_STATS_ERROR_INVALID,
                   _("The idle threshold must be a positive number of seconds, not %g."),
                   idle_threshold_s);
      return NULL;
    }
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  threshold_us = (gint64) llround (idle_threshold_s * G_USEC_PER_SEC);
  at->idle_threshold_s = idle_threshold_s;
  at->gaps = g_array_new (FALSE, FALSE, sizeof (LimnerActiveGap));
  at->images = g_array_new (FALSE, FALSE, sizeof (LimnerImageTime));
  at->days = g_array_new (FALSE, FALSE, sizeof (LimnerDayTime));
  at->labels = g_array_new (FALSE, FALSE, sizeof (LimnerLabelTime));

  for (guint i = 0; i < n_rejections; i++)
    {
      gint64 *known = g_hash_table_lookup (rejected_at, &rejections[i].image_id);

      if (known == NULL)
        g_hash_table_insert (rejected_at, g_memdup2 (&rejections[i].image_id, sizeof (gint64)),
                             g_memdup2 (&rejections[i].time_us, sizeof (gint64)));
      else if (rejections[i].time_us < *known)
        *known = rejections[i].time_us;
    }

  for (guint i = 0; i + 1 < n_events; i++)
    if (events[i + 1].time_us < events[i].time_us)
      {
        g_set_error (error, LIMNER_STATS_ERROR, LIMNER_STATS_ERROR_UNSORTED,
                     _("Event %u (%s) is earlier than the event before it; events must be in time order."),
                     i + 1, limner_activity_kind_to_string (events[i + 1].kind));
        return NULL;
      }

  for (guint i = 0; i < n_events; i++)
    {
      const LimnerActivity *e = &events[i];
      LimnerActiveGap gap = { 0 };
      gint64 counted_us;
      gint64 *rejected;
      LimnerImageTime *img;

      if (e->kind == LIMNER_ACTIVITY_CREATE_SHAPE && e->label_id != 0)
        label_entry (at, e->label_id)->shapes_created++;
      if (e->kind == LIMNER_ACTIVITY_OPEN_IMAGE || e->kind == LIMNER_ACTIVITY_OPEN_REVIEW)
        {
          open_image = e->image_id;
          open_for_review = e->kind == LIMNER_ACTIVITY_OPEN_REVIEW && e->image_id != 0;
        }
      if (i + 1 == n_events)
        break;

      gap.start_us = e->time_us;
      gap.end_us = events[i + 1].time_us;
      gap.gap_s = (gap.end_us - gap.start_us) / (double) G_USEC_PER_SEC;
      gap.from_kind = e->kind;
      gap.to_kind = events[i + 1].kind;
      gap.image_id = e->image_id != 0 ? e->image_id : open_image;
      gap.review = e->kind == LIMNER_ACTIVITY_REVIEW_DECISION
                   || (open_for_review && gap.image_id == open_image);
      if (events[i + 1].kind == LIMNER_ACTIVITY_CREATE_SHAPE
          || events[i + 1].kind == LIMNER_ACTIVITY_EDIT_SHAPE)
        gap.label_id = events[i + 1].label_id;
      rejected = gap.image_id != 0 ? g_hash_table_lookup (rejected_at, &gap.image_id) : NULL;
      gap.rework = rejected != NULL && *rejected <= gap.start_us;

      if (e->kind == LIMNER_ACTIVITY_FOCUS_OUT)
        gap.reason = LIMNER_GAP_FOCUS_OUT, counted_us = 0;
      else if (e->kind == LIMNER_ACTIVITY_IDLE_START)
        gap.reason = LIMNER_GAP_IDLE, counted_us = 0;
      else if (gap.end_us - gap.start_us > threshold_us)
        gap.reason = LIMNER_GAP_CAPPED, counted_us = threshold_us;
      else
        gap.reason = LIMNER_GAP_ACTIVE, counted_us = gap.end_us - gap.start_us;
      gap.counted_s = counted_us / (double) G_USEC_PER_SEC;
      g_array_append_val (at->gaps, gap);

      if (counted_us == 0)
        continue;

      at->active_s += gap.counted_s;
      if (gap.review)
        at->review_s += gap.counted_s;
      if (gap.rework)
        at->rework_s += gap.counted_s;
      if (gap.label_id != 0)
        label_entry (at, gap.label_id)->active_s += gap.counted_s;
      img = image_entry (at, image_index, gap.image_id);
      img->active_s += gap.counted_s;
      if (gap.review)
        img->review_s += gap.counted_s;
      if (gap.rework)
        img->rework_s += gap.counted_s;

      /* The counted span sits at the start of the gap; cut it at midnights. */
      for (gint64 t = gap.start_us, end = gap.start_us + counted_us; t < end;)
        {
          const DaySpan *span = day_span (&days, t, tz);
          gint64 cut = MIN (end, span->end_us);

          /* Never loop on a zone whose rules would put midnight behind us. */
          if (cut <= t)
            cut = end;

          add_to_day (at, &gap, span->date, cut - t);
          t = cut;
        }
    }

  g_array_sort (at->images, compare_image_time);
  g_array_sort (at->labels, compare_label_time);
  for (guint i = 0; i < at->labels->len; i++)
    {
      LimnerLabelTime *label = &g_array_index (at->labels, LimnerLabelTime, i);

      label->seconds_per_shape = label->shapes_created > 0
                                 ? label->active_s / label->shapes_created : 0.0;
    }
  return g_steal_pointer (&at);
}

static gboolean parse_day (const char *day, int *y, int *m, int *d);

/* The start of local date `day` and of the next one, in unix µs. */
static gboolean
day_bounds (const char *day,
            GTimeZone  *tz,
            gint64     *out_start,
            gint64     *out_end)
{
  int y, m, d;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (!parse_day (day, &y, &m, &d))
    return FALSE;
  start = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (start == NULL)
    return FALSE;
  end = g_date_time_add_days (start, 1);
  *out_start = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  *out_end = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
parse_day (const char *day,
           int        *y,
           int        *m,
           int        *d)
{
  char tail;

  return day != NULL && sscanf (day, "%4d-%2d-%2d%c", y, m, d, &tail) == 3
         && g_date_valid_dmy (*d, *m, *y);
}

gboolean
limner_stats_week_of_day (const char *day,
                          char        out[9])
{
  int y, m, d, delta;
  GDate date;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!parse_day (day, &y, &m, &d))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  /* The ISO year is the year of the week's Thursday. */
  delta = 4 - (int) g_date_get_weekday (&date);
  if (delta >= 0)
    g_date_add_days (&date, delta);
  else
    g_date_subtract_days (&date, -delta);
  g_snprintf (out, 9, "%04d-W%02u", g_date_get_year (&date),
              g_date_get_iso8601_week_of_year (&date));
  return TRUE;
}

static gint64
counted_within (const LimnerActiveGap *gap,
                gint64                 from,
                gint64                 to)
{
  gint64 start = gap->start_us;
  gint64 end = start + (gint64) llround (gap->counted_s * G_USEC_PER_SEC);

  return MAX (0, MIN (end, to) - MAX (start, from));
}

double
limner_active_time_on_day (const LimnerActiveTime *at,
                           const char             *day,
                           GTimeZone              *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  gint64 from, to, sum = 0;

  g_return_val_if_fail (at != NULL, 0.0);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  if (!day_bounds (day, tz, &from, &to))
    return 0.0;
  for (guint i = 0; i < at->gaps->len; i++)
    sum += counted_within (&g_array_index (at->gaps, LimnerActiveGap, i), from, to);
  return sum / (double) G_USEC_PER_SEC;
}

static char *
format_seconds (double s)
{
  /* Whole seconds read best; keep a decimal only when there is one. */
  if (s == floor (s))
    return g_strdup_printf ("%.0f s", s);
  return g_strdup_printf ("%.1f s", s);
}

char *
limner_active_time_explain (const LimnerActiveTime *at,
                            const char             *day,
                            GTimeZone              *tz)
{
  g_autoptr(GTimeZone) local = NULL;
  GString *out = g_string_new (NULL);
  gint64 from = G_MININT64, to = G_MAXINT64, total_us = 0;
  gboolean one_day;

  g_return_val_if_fail (at != NULL, NULL);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  one_day = day != NULL && day_bounds (day, tz, &from, &to);

  for (guint i = 0; i < at->gaps->len; i++)
    {
      const LimnerActiveGap *gap = &g_array_index (at->gaps, LimnerActiveGap, i);
      gint64 counted_us = (gint64) llround (gap->counted_s * G_USEC_PER_SEC);
      gint64 here_us = one_day ? counted_within (gap, from, to) : counted_us;
      g_autoptr(GDateTime) start = local_time (gap->start_us, tz);
      g_autoptr(GDateTime) end = local_time (gap->end_us, tz);
      g_autofree char *start_text = g_date_time_format (start, "%H:%M:%S");
      g_autofree char *end_text = g_date_time_format (end, "%H:%M:%S");
      g_autofree char *gap_text = format_seconds (gap->gap_s);
      g_autofree char *counted_text = format_seconds (gap->counted_s);
      g_autofree char *threshold_text = format_seconds (at->idle_threshold_s);
      g_autofree char *reason = NULL;

      if (one_day)
        {
          /* A gap belongs to the day it starts on, or that its count reaches. */
          gboolean starts_here = gap->start_us >= from && gap->start_us < to;

          if (!starts_here && here_us == 0)
            continue;
        }
      total_us += here_us;

      switch (gap->reason)
        {
        case LIMNER_GAP_ACTIVE:
          reason = g_strdup (_("active"));
          break;
        case LIMNER_GAP_CAPPED:
          /* TRANSLATORS: %s is a duration such as "120 s" */
          reason = g_strdup_printf (_("capped at %s"), threshold_text);
          break;
        case LIMNER_GAP_FOCUS_OUT:
          reason = g_strdup (_("after focus out"));
          break;
        case LIMNER_GAP_IDLE:
          reason = g_strdup (_("after idle start"));
          break;
        default:
          g_assert_not_reached ();
        }

      /* TRANSLATORS: one gap of the active-time rule: start → end, the gap's
       * length, what it counts for, why, and the image it went to */
      g_string_append_printf (out, _("%s → %s  gap %s  counted %s  %s  image %" G_GINT64_FORMAT),
                              start_text, end_text, gap_text, counted_text, reason,
                              gap->image_id);
      if (gap->review)
        g_string_append_printf (out, " %s", _("review"));
      if (gap->rework)
        g_string_append_printf (out, " %s", _("rework"));
      g_string_append_printf (out, "  %s → %s", limner_activity_kind_to_string (gap->from_kind),
                              limner_activity_kind_to_string (gap->to_kind));
      if (here_us != counted_us)
        {
          g_autofree char *here_text = format_seconds (here_us / (double) G_USEC_PER_SEC);

          g_string_append (out, "  ");
          g_string_append_printf (out, _("(%s on this day)"), here_text);
        }
      g_string_append_c (out, '\n');
    }

  {
    g_autofree char *total_text = format_seconds (total_us / (double) G_USEC_PER_SEC);

    g_string_append_printf (out, _("Total active time: %s"), total_text);
    g_string_append_c (out, '\n');
  }
  return g_string_free (out, FALSE);
}

/* --- Throughput -------------------------------------------------------- */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return da < db ? -1 : da > db;
}

double
limner_stats_median (const double *values,
                     guint         n)
{
  g_autofree double *sorted = NULL;

  g_return_val_if_fail (values != NULL || n == 0, 0.0);

  if (n == 0)
    return 0.0;
  sorted = g_memdup2 (values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_double);
  if (n % 2 == 1)
    return sorted[n / 2];
  return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

static double
target_of (const LimnerTargets *t,
           LimnerMetric         metric)
{
  if (t == NULL)
    return 0.0;
  switch (metric)
    {
    case LIMNER_METRIC_IMAGES_PER_HOUR:
      return t->images_per_hour;
    case LIMNER_METRIC_SHAPES_PER_HOUR:
      return t->shapes_per_hour;
    case LIMNER_METRIC_ACCEPTANCE_RATE:
      return t->acceptance_rate;
    case LIMNER_METRIC_GOLD_IOU:
      return t->gold_iou;
    case LIMNER_N_METRICS:
    default:
      g_assert_not_reached ();
    }
}

static double
ratio (double num,
       double den)
{
  return den > 0.0 ? num / den : 0.0;
}

GArray *
limner_stats_figures (const LimnerUserCounts *users,
                      guint                   n_users,
                      const LimnerTargets    *project_targets,
                      const LimnerTargets    *user_targets)
{
  GArray *all = g_array_sized_new (FALSE, TRUE, sizeof (LimnerUserFigures), n_users);

  g_return_val_if_fail (users != NULL || n_users == 0, all);

  for (guint i = 0; i < n_users; i++)
    {
      const LimnerUserCounts *c = &users[i];
      LimnerUserFigures f = { 0 };
      guint reviews = c->qc_accepted + c->qc_rejected + c->qc_fixed;

      f.login = c->login;
      f.active_hours = c->active_s / 3600.0;
      f.images_per_hour = ratio (c->images_submitted, f.active_hours);
      f.shapes_per_hour = ratio (c->shapes_created, f.active_hours);
      f.median_image_s = limner_stats_median (c->image_active_s, c->n_image_active_s);
      f.rework_s = c->rework_s;
      f.rework_share = ratio (c->rework_s, c->active_s);
      f.acceptance = limner_qc_wilson (c->qc_accepted, reviews);
      f.reviews_needed = limner_qc_reviews_needed (c->qc_accepted, reviews, 0.05);
      f.rejections = c->qc_rejected;
      f.corrections_per_image = ratio (c->qc_fixed, reviews);
      f.gold.tp = c->gold_tp;
      f.gold.fp = c->gold_fp;
      f.gold.fn = c->gold_fn;
      f.gold.iou_sum = c->gold_iou_sum;
      limner_gold_score_finish (&f.gold);

      f.review_hours = c->review_active_s / 3600.0;
      f.reviewed = c->decided_accept + c->decided_reject + c->decided_fix;
      f.reviewed_per_hour = ratio (f.reviewed, f.review_hours);
      f.accept_share = ratio (c->decided_accept, f.reviewed);
      f.reject_share = ratio (c->decided_reject, f.reviewed);
      f.fix_share = ratio (c->decided_fix, f.reviewed);

      f.checks[LIMNER_METRIC_IMAGES_PER_HOUR].value = f.images_per_hour;
      f.checks[LIMNER_METRIC_IMAGES_PER_HOUR].enough_data = c->active_s >= LIMNER_STATS_MIN_ACTIVE_SECONDS;
      f.checks[LIMNER_METRIC_SHAPES_PER_HOUR].value = f.shapes_per_hour;
      f.checks[LIMNER_METRIC_SHAPES_PER_HOUR].enough_data = c->active_s >= LIMNER_STATS_MIN_ACTIVE_SECONDS;
      f.checks[LIMNER_METRIC_ACCEPTANCE_RATE].value = f.acceptance.p;
      f.checks[LIMNER_METRIC_ACCEPTANCE_RATE].enough_data = reviews >= LIMNER_STATS_MIN_REVIEWS;
      f.checks[LIMNER_METRIC_GOLD_IOU].value = f.gold.mean_iou;
      f.checks[LIMNER_METRIC_GOLD_IOU].enough_data = c->gold_tp + c->gold_fn >= LIMNER_STATS_MIN_GOLD_SHAPES;

      for (guint m = 0; m < LIMNER_N_METRICS; m++)
        {
          LimnerFigureCheck *check = &f.checks[m];
          double own = user_targets != NULL ? target_of (&user_targets[i], m) : 0.0;
          double project = target_of (project_targets, m);

          check->target = own > 0.0 ? own : project > 0.0 ? project : 0.0;
          check->has_target = check->target > 0.0;
          if (check->enough_data && check->has_target && check->value < check->target)
            {
              check->below_target = TRUE;
              check->below_by = check->target - check->value;
              check->below_by_percent = 100.0 * check->below_by / check->target;
            }
        }
      g_array_append_val (all, f);
    }

  /* The team median of each metric, over those with enough data. */
  for (guint m = 0; m < LIMNER_N_METRICS; m++)
    {
      g_autofree double *values = g_new (double, MAX (n_users, 1));
      guint n = 0;
      double median;

      for (guint i = 0; i < n_users; i++)
        {
          const LimnerFigureCheck *check = &g_array_index (all, LimnerUserFigures, i).checks[m];

          if (check->enough_data)
            values[n++] = check->value;
        }
      if (n < 2)
        continue;
      median = limner_stats_median (values, n);
      for (guint i = 0; i < n_users; i++)
        {
          LimnerFigureCheck *check = &g_array_index (all, LimnerUserFigures, i).checks[m];

          if (!check->enough_data)
            continue;
          check->has_median = TRUE;
          check->median = median;
          check->ratio_to_median = ratio (check->value, median);
          if (check->value < median / 2.0)
            check->far_from_median = -1;
          else if (check->value > 2.0 * median)
            check->far_from_median = 1;
        }
    }
  return all;
}
