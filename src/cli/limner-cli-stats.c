/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli stats: throughput figures, --explain, and targets. */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "limner-cli.h"
#include "limner-stats-report.h"
#include "limner-store-stats.h"

/* Reads a target option: -1 when absent (keep), else the number. */
static gboolean
target_opt (LimnerCliContext *ctx,
            const char       *name,
            double           *out)
{
  const char *text = limner_cli_opt (ctx, name);
  char *end = NULL;

  *out = -1;
  if (text == NULL)
    return TRUE;
  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || *out < 0)
    {
      limner_cli_usage (ctx, _("%s needs a number of 0 or more, not “%s”."), name, text);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_targets (LimnerCliContext *ctx)
{
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  LimnerTargets targets;
  LimnerTargets now;
  double idle;

  if (!target_opt (ctx, "--images-per-hour", &targets.images_per_hour)
      || !target_opt (ctx, "--shapes-per-hour", &targets.shapes_per_hour)
      || !target_opt (ctx, "--acceptance-rate", &targets.acceptance_rate)
      || !target_opt (ctx, "--gold-iou", &targets.gold_iou)
      || !target_opt (ctx, "--idle-threshold", &idle))
    return LIMNER_CLI_USAGE;
  if (idle == 0 || (idle > 0 && ctx->user != NULL))
    return limner_cli_usage (ctx, _("--idle-threshold is one number of seconds above 0 for the whole project."));

  /* --user names whose targets these are; the lead is whoever runs this. */
  store = limner_store_open (limner_cli_arg (ctx, 0), NULL, &error);
  if (store == NULL)
    return limner_cli_fail (g_steal_pointer (&error));
  if (idle > 0)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      if (!limner_store_set_setting (store, LIMNER_STATS_IDLE_SETTING,
                                     g_ascii_dtostr (text, sizeof text, idle), &error))
        return limner_cli_fail (g_steal_pointer (&error));
    }
  /* Without a value to set, this only shows them. */
  if (((targets.images_per_hour >= 0 || targets.shapes_per_hour >= 0
        || targets.acceptance_rate >= 0 || targets.gold_iou >= 0)
       && !limner_store_set_targets (store, ctx->user, &targets, &error))
      || !limner_store_get_targets (store, ctx->user, &now, &error))
    return limner_cli_fail (g_steal_pointer (&error));

  if (ctx->json)
    {
      json_t *obj = json_object ();

      json_object_set_new (obj, "login", ctx->user != NULL ? json_string (ctx->user) : json_null ());
      json_object_set_new (obj, "images_per_hour", json_real (now.images_per_hour));
      json_object_set_new (obj, "shapes_per_hour", json_real (now.shapes_per_hour));
      json_object_set_new (obj, "acceptance_rate", json_real (now.acceptance_rate));
      json_object_set_new (obj, "gold_iou", json_real (now.gold_iou));
      json_object_set_new (obj, "idle_threshold_s", json_real (limner_store_get_idle_threshold (store)));
      limner_cli_print_json (obj);
    }
  else
    {
      printf (_("Targets for %s: %g images/h, %g shapes/h, acceptance %g, gold IoU %g (0 = none); "
                "idle threshold %g s.\n"),
              ctx->user != NULL ? ctx->user : _("the project"),
              now.images_per_hour, now.shapes_per_hour, now.acceptance_rate, now.gold_iou,
              limner_store_get_idle_threshold (store));
    }
  return LIMNER_CLI_OK;
}

static int
cmd_explain (LimnerCliContext *ctx,
             const char       *login)
{
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerActiveTime) at = NULL;
  g_autofree char *text = NULL;
  const char *day = limner_cli_opt (ctx, "--day");

  if (day == NULL)
    return limner_cli_usage (ctx, _("--explain needs --day YYYY-MM-DD."));
  store = limner_store_open (limner_cli_arg (ctx, 0), NULL, &error);
  if (store == NULL)
    return limner_cli_fail (g_steal_pointer (&error));
  at = limner_store_compute_active_time (store, login, day, NULL, &error);
  if (at == NULL)
    return limner_cli_fail (g_steal_pointer (&error));

  if (ctx->json)
    {
      json_t *gaps = json_array ();

      for (guint i = 0; i < at->gaps->len; i++)
        {
          const LimnerActiveGap *g = &g_array_index (at->gaps, LimnerActiveGap, i);

          json_array_append_new (gaps, json_pack ("{s:I, s:I, s:f, s:f, s:I, s:b, s:b, s:s, s:s}",
                                                  "start_us", (json_int_t) g->start_us,
                                                  "end_us", (json_int_t) g->end_us,
                                                  "gap_s", g->gap_s,
                                                  "counted_s", g->counted_s,
                                                  "image", (json_int_t) g->image_id,
                                                  "review", g->review,
                                                  "rework", g->rework,
                                                  "from", limner_activity_kind_to_string (g->from_kind),
                                                  "to", limner_activity_kind_to_string (g->to_kind)));
        }
      limner_cli_print_json (json_pack ("{s:s, s:s, s:f, s:f, s:o}",
                                        "login", login, "day", day,
                                        "idle_threshold_s", at->idle_threshold_s,
                                        "active_s", limner_active_time_on_day (at, day, NULL),
                                        "gaps", gaps));
      return LIMNER_CLI_OK;
    }
  printf (_("Active time of %s on %s, idle threshold %g s:\n"), login, day, at->idle_threshold_s);
  text = limner_active_time_explain (at, day, NULL);
  fputs (text, stdout);
  if (text[0] != '\0' && text[strlen (text) - 1] != '\n')
    fputc ('\n', stdout);
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_stats (LimnerCliContext *ctx)
{
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStatsResult) result = NULL;
  LimnerStatsQuery query = { 0 };
  const char *by = limner_cli_opt (ctx, "--by");
  const char *explain = limner_cli_opt (ctx, "--explain");
  const char *sub = limner_cli_arg (ctx, 1);

  if (sub != NULL && g_str_equal (sub, "targets"))
    return cmd_targets (ctx);
  if (sub != NULL)
    return limner_cli_usage (ctx, _("Unknown stats command “%s”."), sub);
  if (explain != NULL)
    return cmd_explain (ctx, explain);
  if (!ctx->json && !limner_cli_flag (ctx, "--csv"))
    return limner_cli_usage (ctx, _("stats needs --json or --csv."));

  query.from_day = limner_cli_opt (ctx, "--from");
  query.to_day = limner_cli_opt (ctx, "--to");
  query.login = ctx->user;
  if (by == NULL || g_str_equal (by, "range"))
    query.group_by = LIMNER_STATS_BY_RANGE;
  else if (g_str_equal (by, "day"))
    query.group_by = LIMNER_STATS_BY_DAY;
  else if (g_str_equal (by, "week"))
    query.group_by = LIMNER_STATS_BY_WEEK;
  else
    return limner_cli_usage (ctx, _("--by takes day or week, not “%s”."), by);

  /* Reading figures needs no role; --user picks whose figures. */
  store = limner_store_open (limner_cli_arg (ctx, 0), NULL, &error);
  if (store == NULL)
    return limner_cli_fail (g_steal_pointer (&error));
  result = limner_store_compute_stats (store, &query, NULL, &error);
  if (result == NULL)
    return limner_cli_fail (g_steal_pointer (&error));

  if (ctx->json)
    {
      limner_cli_print_json (limner_stats_result_to_json (result));
    }
  else
    {
      g_autofree char *csv = limner_stats_result_to_csv (result);

      fputs (csv, stdout);
    }
  return LIMNER_CLI_OK;
}
