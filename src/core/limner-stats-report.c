/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "limner-stats-report.h"

static const struct {
  const char *id;
  const char *title;
  gboolean    integer;
} columns[LIMNER_STATS_N_COLUMNS] = {
  { "login", N_("Person"), FALSE },
  { "images_submitted", N_("Images submitted"), TRUE },
  { "shapes_created", N_("Shapes created"), TRUE },
  { "shapes_edited", N_("Shapes edited"), TRUE },
  { "shapes_deleted", N_("Shapes deleted"), TRUE },
  { "active_hours", N_("Active time (h)"), FALSE },
  { "images_per_hour", N_("Images / h"), FALSE },
  { "shapes_per_hour", N_("Shapes / h"), FALSE },
  { "median_image_s", N_("Median per image (s)"), FALSE },
  { "rework_s", N_("Rework (s)"), FALSE },
  { "acceptance_rate", N_("Acceptance"), FALSE },
  { "acceptance_n", N_("Reviews"), TRUE },
  { "acceptance_low", N_("Acceptance 95 % low"), FALSE },
  { "acceptance_high", N_("Acceptance 95 % high"), FALSE },
  { "rejections", N_("Rejections"), TRUE },
  { "corrections_per_image", N_("Corrections / image"), FALSE },
  { "gold_precision", N_("Gold precision"), FALSE },
  { "gold_recall", N_("Gold recall"), FALSE },
  { "gold_mean_iou", N_("Gold mean IoU"), FALSE },
  { "review_hours", N_("Review time (h)"), FALSE },
  { "reviewed", N_("Reviewed"), TRUE },
  { "reviewed_per_hour", N_("Reviewed / h"), FALSE },
  { "accept_share", N_("Accepted share"), FALSE },
  { "reject_share", N_("Rejected share"), FALSE },
  { "fix_share", N_("Fixed share"), FALSE },
};

static const char *const metric_ids[LIMNER_N_METRICS] = {
  "images_per_hour", "shapes_per_hour", "acceptance_rate", "gold_iou",
};

const char *
limner_stats_column_id (LimnerStatsColumn column)
{
  g_return_val_if_fail (column < LIMNER_STATS_N_COLUMNS, NULL);
  return columns[column].id;
}

const char *
limner_stats_column_title (LimnerStatsColumn column)
{
  g_return_val_if_fail (column < LIMNER_STATS_N_COLUMNS, NULL);
  return _(columns[column].title);
}

gboolean
limner_stats_cell_value (const LimnerStatsResult *result,
                         const LimnerStatsPeriod *period,
                         guint                    user,
                         LimnerStatsColumn        column,
                         double                  *value)
{
  const LimnerUserCounts *c;
  const LimnerUserFigures *f;
  double v = 0;

  g_return_val_if_fail (result != NULL && period != NULL && value != NULL, FALSE);
  g_return_val_if_fail (user < period->counts->len, FALSE);

  c = &g_array_index (period->counts, LimnerUserCounts, user);
  f = &g_array_index (period->figures, LimnerUserFigures, user);
  *value = 0;
  switch (column)
    {
    case LIMNER_STATS_COL_LOGIN: return FALSE;
    case LIMNER_STATS_COL_IMAGES_SUBMITTED: v = c->images_submitted; break;
    case LIMNER_STATS_COL_SHAPES_CREATED: v = c->shapes_created; break;
    case LIMNER_STATS_COL_SHAPES_EDITED: v = c->shapes_edited; break;
    case LIMNER_STATS_COL_SHAPES_DELETED: v = c->shapes_deleted; break;
    case LIMNER_STATS_COL_ACTIVE_HOURS: v = f->active_hours; break;
    case LIMNER_STATS_COL_IMAGES_PER_HOUR: v = f->images_per_hour; break;
    case LIMNER_STATS_COL_SHAPES_PER_HOUR: v = f->shapes_per_hour; break;
    case LIMNER_STATS_COL_MEDIAN_IMAGE_S: v = f->median_image_s; break;
    case LIMNER_STATS_COL_REWORK_S: v = f->rework_s; break;
    case LIMNER_STATS_COL_ACCEPTANCE: v = f->acceptance.p; break;
    case LIMNER_STATS_COL_ACCEPTANCE_N: v = f->acceptance.trials; break;
    case LIMNER_STATS_COL_ACCEPTANCE_LOW: v = f->acceptance.low; break;
    case LIMNER_STATS_COL_ACCEPTANCE_HIGH: v = f->acceptance.high; break;
    case LIMNER_STATS_COL_REJECTIONS: v = f->rejections; break;
    case LIMNER_STATS_COL_CORRECTIONS_PER_IMAGE: v = f->corrections_per_image; break;
    case LIMNER_STATS_COL_GOLD_PRECISION:
    case LIMNER_STATS_COL_GOLD_RECALL:
    case LIMNER_STATS_COL_GOLD_MEAN_IOU:
      if (!result->has_gold)
        return FALSE;
      v = column == LIMNER_STATS_COL_GOLD_PRECISION ? f->gold.precision
          : column == LIMNER_STATS_COL_GOLD_RECALL ? f->gold.recall : f->gold.mean_iou;
      break;
    case LIMNER_STATS_COL_REVIEW_HOURS: v = f->review_hours; break;
    case LIMNER_STATS_COL_REVIEWED: v = f->reviewed; break;
    case LIMNER_STATS_COL_REVIEWED_PER_HOUR: v = f->reviewed_per_hour; break;
    case LIMNER_STATS_COL_ACCEPT_SHARE: v = f->accept_share; break;
    case LIMNER_STATS_COL_REJECT_SHARE: v = f->reject_share; break;
    case LIMNER_STATS_COL_FIX_SHARE: v = f->fix_share; break;
    case LIMNER_STATS_N_COLUMNS:
    default:
      g_return_val_if_reached (FALSE);
    }
  *value = v;
  return TRUE;
}

char *
limner_stats_cell_text (const LimnerStatsResult *result,
                        const LimnerStatsPeriod *period,
                        guint                    user,
                        LimnerStatsColumn        column)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  g_return_val_if_fail (column < LIMNER_STATS_N_COLUMNS, NULL);

  if (column == LIMNER_STATS_COL_LOGIN)
    return g_strdup (g_ptr_array_index (result->logins, user));
  if (!limner_stats_cell_value (result, period, user, column, &v))
    return g_strdup ("");
  if (columns[column].integer)
    return g_strdup_printf ("%.0f", v);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", v));
}

char *
limner_stats_check_text (const LimnerFigureCheck *check)
{
  GString *text = g_string_new (NULL);

  if (!check->enough_data)
    return g_string_free (g_string_append (text, _("too little data")), FALSE);
  if (check->below_target)
    g_string_append_printf (text, _("below target by %.3f (%.0f %%)"),
                            check->below_by, check->below_by_percent);
  if (check->far_from_median != 0)
    {
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text,
                              check->far_from_median < 0
                              ? _("far below the team median (%.2f×)")
                              : _("far above the team median (%.2f×)"),
                              check->ratio_to_median);
    }
  return g_string_free (text, FALSE);
}

static void
csv_field (GString    *out,
           const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_rows (GString                 *out,
          const LimnerStatsResult *result,
          const LimnerStatsPeriod *period)
{
  for (guint u = 0; u < period->counts->len; u++)
    {
      const LimnerUserFigures *f = &g_array_index (period->figures, LimnerUserFigures, u);

      csv_field (out, period->period != NULL ? period->period : "");
      for (guint c = 0; c < LIMNER_STATS_N_COLUMNS; c++)
        {
          g_autofree char *cell = limner_stats_cell_text (result, period, u, c);

          g_string_append_c (out, ',');
          csv_field (out, cell);
        }
      for (guint m = 0; m < LIMNER_N_METRICS; m++)
        {
          g_autofree char *flag = NULL;

          if (m == LIMNER_METRIC_GOLD_IOU && !result->has_gold)
            flag = g_strdup (_("no data"));
          else
            flag = limner_stats_check_text (&f->checks[m]);
          g_string_append_c (out, ',');
          csv_field (out, flag);
        }
      g_string_append_c (out, '\n');
    }
}

static GString *
csv_header (void)
{
  GString *out = g_string_new ("period");

  for (guint c = 0; c < LIMNER_STATS_N_COLUMNS; c++)
    g_string_append_printf (out, ",%s", columns[c].id);
  for (guint m = 0; m < LIMNER_N_METRICS; m++)
    g_string_append_printf (out, ",%s_flag", metric_ids[m]);
  g_string_append_c (out, '\n');
  return out;
}

char *
limner_stats_result_to_csv (const LimnerStatsResult *result)
{
  GString *out;

  g_return_val_if_fail (result != NULL, NULL);

  out = csv_header ();
  if (result->periods->len == 0)
    csv_rows (out, result, &result->total);
  for (guint i = 0; i < result->periods->len; i++)
    csv_rows (out, result, g_ptr_array_index (result->periods, i));
  return g_string_free (out, FALSE);
}

char *
limner_stats_result_total_to_csv (const LimnerStatsResult *result)
{
  GString *out;

  g_return_val_if_fail (result != NULL, NULL);

  out = csv_header ();
  csv_rows (out, result, &result->total);
  return g_string_free (out, FALSE);
}

static json_t *
targets_json (const LimnerTargets *t)
{
  json_t *obj = json_object ();
  const double values[LIMNER_N_METRICS] = {
    t->images_per_hour, t->shapes_per_hour, t->acceptance_rate, t->gold_iou,
  };

  for (guint m = 0; m < LIMNER_N_METRICS; m++)
    json_object_set_new (obj, metric_ids[m], values[m] > 0 ? json_real (values[m]) : json_null ());
  return obj;
}

static json_t *
check_json (const LimnerFigureCheck *check)
{
  g_autofree char *text = limner_stats_check_text (check);
  json_t *obj = json_pack ("{s:f, s:b, s:b, s:b, s:f, s:f, s:s}",
                           "value", check->value,
                           "enough_data", check->enough_data,
                           "below_target", check->below_target,
                           "has_median", check->has_median,
                           "below_by", check->below_by,
                           "below_by_percent", check->below_by_percent,
                           "text", text);

  json_object_set_new (obj, "target", check->has_target ? json_real (check->target) : json_null ());
  json_object_set_new (obj, "median", check->has_median ? json_real (check->median) : json_null ());
  json_object_set_new (obj, "far_from_median", json_integer (check->far_from_median));
  return obj;
}

static json_t *
users_json (const LimnerStatsResult *result,
            const LimnerStatsPeriod *period)
{
  json_t *array = json_array ();

  for (guint u = 0; u < period->counts->len; u++)
    {
      const LimnerUserFigures *f = &g_array_index (period->figures, LimnerUserFigures, u);
      json_t *obj = json_object ();
      json_t *checks = json_object ();

      for (guint c = 0; c < LIMNER_STATS_N_COLUMNS; c++)
        {
          double v;

          if (c == LIMNER_STATS_COL_LOGIN)
            json_object_set_new (obj, columns[c].id, json_string (g_ptr_array_index (result->logins, u)));
          else if (!limner_stats_cell_value (result, period, u, c, &v))
            json_object_set_new (obj, columns[c].id, json_null ());
          else if (columns[c].integer)
            json_object_set_new (obj, columns[c].id, json_integer ((json_int_t) v));
          else
            json_object_set_new (obj, columns[c].id, json_real (v));
        }
      for (guint m = 0; m < LIMNER_N_METRICS; m++)
        json_object_set_new (checks, metric_ids[m],
                             m == LIMNER_METRIC_GOLD_IOU && !result->has_gold
                             ? json_string ("no data") : check_json (&f->checks[m]));
      json_object_set_new (obj, "checks", checks);
      json_object_set_new (obj, "targets",
                           targets_json (&g_array_index (result->user_targets, LimnerTargets, u)));
      json_array_append_new (array, obj);
    }
  return array;
}

json_t *
limner_stats_result_to_json (const LimnerStatsResult *result)
{
  json_t *root;
  json_t *periods = json_array ();
  json_t *labels = json_array ();

  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->periods->len; i++)
    {
      const LimnerStatsPeriod *p = g_ptr_array_index (result->periods, i);

      json_array_append_new (periods, json_pack ("{s:s, s:o}", "period", p->period,
                                                 "users", users_json (result, p)));
    }
  for (guint i = 0; i < result->labels->len; i++)
    {
      const LimnerStatsLabel *l = &g_array_index (result->labels, LimnerStatsLabel, i);
      json_t *obj = json_pack ("{s:I, s:f, s:I, s:f}",
                               "id", (json_int_t) l->label_id,
                               "active_s", l->active_s,
                               "shapes_created", (json_int_t) l->shapes_created,
                               "seconds_per_shape", l->seconds_per_shape);

      json_object_set_new (obj, "name", l->name != NULL ? json_string (l->name) : json_null ());
      json_array_append_new (labels, obj);
    }
  root = json_pack ("{s:f, s:o, s:o, s:o, s:o}",
                    "idle_threshold_s", result->idle_threshold_s,
                    "targets", targets_json (&result->project_targets),
                    "users", users_json (result, &result->total),
                    "periods", periods,
                    "labels", labels);
  json_object_set_new (root, "gold", json_string (result->has_gold ? "scored" : "no data"));
  return root;
}
