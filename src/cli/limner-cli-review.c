/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-review.c: `submit`, `review` and the "qc" part of `info`. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "limner-cli.h"
#include "limner-qc.h"
#include "limner-queue.h"
#include "limner-store-qc.h"
#include "limner-store-reviews.h"

/* IMAGE as the design has it: an id, a path as stored or given on import
 * (relative to the working directory), or an absolute path. */
static LimnerImageRecord *
find_image (LimnerStore *store, const char *arg, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  LimnerImageRecord *image;

  image = limner_store_lookup_image (store, arg, &local_error);
  if (image == NULL && !g_path_is_absolute (arg)
      && g_error_matches (local_error, LIMNER_STORE_ERROR, LIMNER_STORE_ERROR_NOT_FOUND))
    {
      g_autofree char *abs = g_canonicalize_filename (arg, NULL);

      image = limner_store_lookup_image (store, abs, NULL);
    }
  if (image == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return image;
}

static gboolean
parse_share (LimnerCliContext *ctx, const char *name, double *out)
{
  const char *value = limner_cli_opt (ctx, name);
  char *end = NULL;

  if (value == NULL)
    return TRUE;
  *out = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !isfinite (*out) || *out < 0 || *out > 1)
    {
      limner_cli_usage (ctx, _("%s expects a number between 0 and 1, not “%s”"), name, value);
      return FALSE;
    }
  return TRUE;
}

int
limner_cli_cmd_submit (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  json_t *array = json_array ();

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    {
      json_decref (array);
      return limner_cli_fail (error);
    }
  for (guint i = 1; i < ctx->args->len; i++)
    {
      g_autoptr(LimnerImageRecord) image = find_image (store, limner_cli_arg (ctx, i), &error);
      LimnerSubmitResult result;

      if (image == NULL || !limner_store_submit (store, image->id, &result, &error))
        {
          json_decref (array);
          return limner_cli_fail (error);
        }
      if (ctx->json)
        {
          json_t *obj = json_pack ("{s:I, s:s, s:s, s:b, s:b, s:b, s:i, s:f, s:f}",
                                   "id", (json_int_t) image->id,
                                   "path", image->path,
                                   "status", limner_image_status_to_string (result.status),
                                   "drawn", result.drawn,
                                   "resubmitted", result.resubmitted,
                                   "gold", result.gold,
                                   "submission", (int) result.submission,
                                   "rate", result.rate,
                                   "ticket", result.ticket);

          if (result.gold)
            json_object_set_new (obj, "gold_score",
                                 json_pack ("{s:i, s:i, s:i, s:f, s:f, s:f}",
                                            "tp", result.gold_score.tp, "fp", result.gold_score.fp,
                                            "fn", result.gold_score.fn,
                                            "precision", result.gold_score.precision,
                                            "recall", result.gold_score.recall,
                                            "mean_iou", result.gold_score.mean_iou));
          json_array_append_new (array, obj);
        }
      else if (result.gold)
        printf (_("%s: submitted (gold: precision %.3f, recall %.3f, mean IoU %.3f)\n"), image->path,
                result.gold_score.precision, result.gold_score.recall, result.gold_score.mean_iou);
      else if (result.resubmitted)
        printf (_("%s: back in review (resubmitted after a rejection)\n"), image->path);
      else
        printf (_("%s: %s (ticket %.6f, rate %.4g)\n"), image->path,
                result.drawn ? _("drawn for review") : _("submitted"), result.ticket, result.rate);
    }
  if (ctx->json)
    limner_cli_print_json (array);
  else
    json_decref (array);
  return LIMNER_CLI_OK;
}

/* review PROJECT queue */
static int
review_queue (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = limner_store_review_queue (store, &error);
  json_t *array;

  if (items == NULL)
    return limner_cli_fail (error);
  array = json_array ();
  for (guint i = 0; i < items->len; i++)
    {
      LimnerReviewItem *item = items->pdata[i];

      if (ctx->json)
        json_array_append_new (array, json_pack ("{s:I, s:s, s:s?, s:I, s:o, s:i}",
                                                 "id", (json_int_t) item->image_id,
                                                 "path", item->path,
                                                 "author", item->author,
                                                 "submitted_us", (json_int_t) item->submitted_at,
                                                 "seconds_spent", item->seconds_spent < 0 ? json_null ()
                                                   : json_integer (item->seconds_spent),
                                                 "shapes", (int) item->n_shapes));
      else
        {
          g_autofree char *spent = item->seconds_spent < 0 ? g_strdup ("-")
            : g_strdup_printf ("%" PRId64 "s", item->seconds_spent);

          printf ("%" PRId64 "\t%s\t%s\t%s\t%u\n", item->image_id, item->path,
                  item->author ? item->author : "-", spent, item->n_shapes);
        }
    }
  if (ctx->json)
    limner_cli_print_json (array);
  else
    json_decref (array);
  return LIMNER_CLI_OK;
}

static gboolean
parse_marks (LimnerCliContext *ctx, GArray *marks)
{
  const char *shape_marks = limner_cli_opt (ctx, "--mark");
  const char *point_marks = limner_cli_opt (ctx, "--mark-point");

  if (shape_marks != NULL)
    {
      g_auto(GStrv) items = g_strsplit (shape_marks, ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          const char *colon = strchr (items[i], ':');
          g_autofree char *id = colon ? g_strndup (items[i], colon - items[i]) : NULL;
          LimnerReviewMark mark = { 0 };
          guint64 v;

          if (colon == NULL || !g_ascii_string_to_unsigned (id, 10, 1, G_MAXINT64, &v, NULL)
              || !limner_mark_kind_from_string (colon + 1, &mark.kind))
            {
              limner_cli_usage (ctx, _("--mark expects SHAPE_ID:KIND with KIND one of wrong-label, "
                                       "loose-outline, missing-object, extra-object, not “%s”"), items[i]);
              return FALSE;
            }
          mark.shape_id = v;
          g_array_append_val (marks, mark);
        }
    }
  if (point_marks != NULL)
    {
      g_auto(GStrv) items = g_strsplit (point_marks, ";", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          g_auto(GStrv) xy = g_strsplit (items[i], ",", -1);
          LimnerReviewMark mark = { 0, LIMNER_MARK_MISSING_OBJECT, 0, 0 };
          char *end_x = NULL, *end_y = NULL;

          if (g_strv_length (xy) == 2)
            {
              mark.x = g_ascii_strtod (xy[0], &end_x);
              mark.y = g_ascii_strtod (xy[1], &end_y);
            }
          if (end_x == NULL || end_x == xy[0] || *end_x != '\0' || end_y == xy[1] || *end_y != '\0')
            {
              limner_cli_usage (ctx, _("--mark-point expects X,Y in image pixels, not “%s”"), items[i]);
              return FALSE;
            }
          g_array_append_val (marks, mark);
        }
    }
  return TRUE;
}

/* review PROJECT decide IMAGE accept|reject|fix */
static int
review_decide (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (LimnerReviewMark));
  LimnerReviewDecision decision;
  gint64 review_id;

  if (ctx->args->len != 4)
    return limner_cli_usage (ctx, _("“review decide” needs an IMAGE and accept, reject or fix"));
  if (!limner_review_decision_from_string (limner_cli_arg (ctx, 3), &decision))
    return limner_cli_usage (ctx, _("the decision is accept, reject or fix, not “%s”"), limner_cli_arg (ctx, 3));
  if (!parse_marks (ctx, marks))
    return LIMNER_CLI_USAGE;

  image = find_image (store, limner_cli_arg (ctx, 2), &error);
  if (image == NULL)
    return limner_cli_fail (error);
  review_id = limner_store_decide (store, image->id, decision, limner_cli_opt (ctx, "--comment"),
                                   (const LimnerReviewMark *) marks->data, marks->len, &error);
  if (review_id == 0)
    return limner_cli_fail (error);
  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:I, s:I, s:s, s:s}", "review", (json_int_t) review_id,
                                      "id", (json_int_t) image->id, "path", image->path,
                                      "decision", limner_review_decision_to_string (decision)));
  else
    printf (_("%s: %s\n"), image->path, decision == LIMNER_REVIEW_REJECT ? _("rejected") : _("accepted"));
  return LIMNER_CLI_OK;
}

static int
review_audit (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!limner_store_audit_draws (store, &n, &error))
    return limner_cli_fail (error);
  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:b, s:i}", "ok", TRUE, "draws", (int) n));
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "%u draw checked: every ticket and decision matches\n",
                         "%u draws checked: every ticket and decision matches\n", n), n);
  return LIMNER_CLI_OK;
}

static int
review_sample (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  const char *seed = limner_cli_opt (ctx, "--seed");
  gint64 count;
  json_t *array;

  if (!limner_cli_opt_int (ctx, "--count", -1, &count))
    return LIMNER_CLI_USAGE;
  if (count < 0 || seed == NULL)
    return limner_cli_usage (ctx, _("“review sample” needs --count N and --seed S"));
  ids = limner_store_review_sample (store, seed, MIN (count, G_MAXUINT), &error);
  if (ids == NULL)
    return limner_cli_fail (error);
  array = json_array ();
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(LimnerImageRecord) image = limner_store_get_image (store, g_array_index (ids, gint64, i), &error);

      if (image == NULL)
        {
          json_decref (array);
          return limner_cli_fail (error);
        }
      if (ctx->json)
        json_array_append_new (array, json_pack ("{s:I, s:s, s:s}", "id", (json_int_t) image->id,
                                                 "path", image->path, "sha256", image->sha256));
      else
        printf ("%" PRId64 "\t%s\n", image->id, image->path);
    }
  if (ctx->json)
    limner_cli_print_json (array);
  else
    json_decref (array);
  return LIMNER_CLI_OK;
}

static int
review_gold (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  gboolean unset = limner_cli_flag (ctx, "--unset");

  if (ctx->args->len < 3)
    return limner_cli_usage (ctx, _("“review gold” needs at least one IMAGE"));
  for (guint i = 2; i < ctx->args->len; i++)
    {
      g_autoptr(LimnerImageRecord) image = find_image (store, limner_cli_arg (ctx, i), &error);

      if (image == NULL || !limner_store_set_gold (store, image->id, !unset, &error))
        return limner_cli_fail (error);
      if (!ctx->json)
        printf (unset ? _("%s: no longer gold\n") : _("%s: gold\n"), image->path);
    }
  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:b, s:i}", "gold", !unset, "images", (int) ctx->args->len - 2));
  return LIMNER_CLI_OK;
}

static int
review_diff (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GPtrArray) list = NULL;
  json_t *array;

  if (ctx->args->len != 3)
    return limner_cli_usage (ctx, _("“review diff” needs one IMAGE"));
  image = find_image (store, limner_cli_arg (ctx, 2), &error);
  if (image != NULL)
    list = limner_store_list_corrections (store, image->id, &error);
  if (list == NULL)
    return limner_cli_fail (error);
  array = json_array ();
  for (guint i = 0; i < list->len; i++)
    {
      LimnerCorrection *c = list->pdata[i];
      g_autoptr(LimnerLabel) label = c->label_id ? limner_store_get_label (store, c->label_id, NULL) : NULL;

      if (ctx->json)
        json_array_append_new (array, json_pack ("{s:I, s:I, s:s, s:s?, s:s}",
                                                 "review", (json_int_t) c->review_id,
                                                 "shape", (json_int_t) c->shape_id,
                                                 "change", c->change,
                                                 "label", label ? label->name : NULL,
                                                 "reviewer", c->reviewer));
      else
        printf ("%s\t%" PRId64 "\t%s\t%s\n", c->change, c->shape_id, label ? label->name : "-", c->reviewer);
    }
  if (ctx->json)
    limner_cli_print_json (array);
  else
    json_decref (array);
  return LIMNER_CLI_OK;
}

static int
review_predictions (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = limner_store_prediction_outcomes (store, &error);
  json_t *array;

  if (list == NULL)
    return limner_cli_fail (error);
  array = json_array ();
  if (!ctx->json)
    printf ("%s\n", _("label\tkept\tcorrected\tdeleted\tmissed\tprecision\trecall"));
  for (guint i = 0; i < list->len; i++)
    {
      LimnerPredictionOutcome *o = list->pdata[i];

      if (ctx->json)
        json_array_append_new (array, json_pack ("{s:s, s:i, s:i, s:i, s:i, s:f, s:f}",
                                                 "label", o->label, "kept", o->kept,
                                                 "corrected", o->corrected, "deleted", o->deleted,
                                                 "missed", o->missed, "precision", o->precision,
                                                 "recall", o->recall));
      else
        printf ("%s\t%u\t%u\t%u\t%u\t%.3f\t%.3f\n", o->label, o->kept, o->corrected, o->deleted,
                o->missed, o->precision, o->recall);
    }
  if (ctx->json)
    limner_cli_print_json (array);
  else
    json_decref (array);
  return LIMNER_CLI_OK;
}

static gboolean
history_kind (const char *kind)
{
  return g_str_has_prefix (kind, "image.") || g_str_has_prefix (kind, "qc.")
         || g_str_has_prefix (kind, "review.") || g_str_has_prefix (kind, "gold.");
}

/* review PROJECT history IMAGE: claims, submissions, draws, decisions with
 * their comments and marks, oldest first. */
static int
review_history (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  json_t *array, *comments;

  if (ctx->args->len != 3)
    return limner_cli_usage (ctx, _("“review history” needs one IMAGE"));
  image = find_image (store, limner_cli_arg (ctx, 2), &error);
  if (image != NULL)
    events = limner_store_list_events (store, 0, 0, &error);
  if (events != NULL)
    reviews = limner_store_list_reviews (store, image->id, &error);
  if (reviews == NULL)
    return limner_cli_fail (error);

  array = json_array ();
  for (guint i = 0; i < events->len; i++)
    {
      LimnerEvent *event = events->pdata[i];
      g_autoptr(GDateTime) when = NULL;
      g_autofree char *stamp = NULL;

      if (event->image_id != image->id || !history_kind (event->kind))
        continue;
      when = g_date_time_new_from_unix_local (event->ts / G_USEC_PER_SEC);
      stamp = g_date_time_format (when, "%F %T");
      if (ctx->json)
        json_array_append_new (array, json_pack ("{s:s, s:s, s:s, s:s?}", "time", stamp, "login", event->login,
                                                 "kind", event->kind, "detail", event->detail));
      else
        printf ("%s\t%s\t%s\t%s\n", stamp, event->login, event->kind, event->detail ? event->detail : "");
    }
  comments = json_array ();
  for (guint i = 0; i < reviews->len; i++)
    {
      LimnerReviewRecord *review = reviews->pdata[i];
      g_autoptr(GPtrArray) marks = limner_store_list_review_marks (store, review->id, &error);
      json_t *marks_json = json_array ();

      if (marks == NULL)
        {
          json_decref (marks_json);
          json_decref (comments);
          json_decref (array);
          return limner_cli_fail (error);
        }
      if (!ctx->json)
        printf (_("%s by %s: %s\n"), review->decision, review->reviewer, review->comment ? review->comment : "");
      for (guint j = 0; j < marks->len; j++)
        {
          LimnerReviewMark *mark = marks->pdata[j];

          if (mark->shape_id > 0)
            json_array_append_new (marks_json, json_pack ("{s:I, s:s}", "shape", (json_int_t) mark->shape_id,
                                                          "kind", limner_mark_kind_to_string (mark->kind)));
          else
            json_array_append_new (marks_json, json_pack ("{s:f, s:f, s:s}", "x", mark->x, "y", mark->y,
                                                          "kind", limner_mark_kind_to_string (mark->kind)));
          if (!ctx->json && mark->shape_id > 0)
            printf (_("  mark: %s on shape %" PRId64 "\n"), limner_mark_kind_to_string (mark->kind), mark->shape_id);
          else if (!ctx->json)
            printf (_("  mark: %s at %g, %g\n"), limner_mark_kind_to_string (mark->kind), mark->x, mark->y);
        }
      json_array_append_new (comments, json_pack ("{s:s, s:s, s:s?, s:o}", "decision", review->decision,
                                                  "reviewer", review->reviewer, "comment", review->comment,
                                                  "marks", marks_json));
    }
  if (ctx->json)
    limner_cli_print_json (json_pack ("{s:o, s:o}", "events", array, "reviews", comments));
  else
    {
      json_decref (array);
      json_decref (comments);
    }
  return LIMNER_CLI_OK;
}

/* review PROJECT settings [--rate R] [--gold-rate R] [--gold-threshold T]
 *   [--override LOGIN --rate R [--first-n N] | --override LOGIN --unset] */
static int
review_settings (LimnerCliContext *ctx, LimnerStore *store)
{
  g_autoptr(GError) error = NULL;
  double rate = -1, gold_rate = -1, threshold = -1;
  const char *login = limner_cli_opt (ctx, "--override");
  gint64 first_n;
  LimnerQcOverride override;

  if (!parse_share (ctx, "--rate", &rate) || !parse_share (ctx, "--gold-rate", &gold_rate)
      || !parse_share (ctx, "--gold-threshold", &threshold)
      || !limner_cli_opt_int (ctx, "--first-n", 0, &first_n))
    return LIMNER_CLI_USAGE;
  if (first_n < 0 || first_n > G_MAXUINT)
    return limner_cli_usage (ctx, _("--first-n expects a count of images"));
  if (login != NULL && rate < 0 && !limner_cli_flag (ctx, "--unset"))
    return limner_cli_usage (ctx, _("--override LOGIN needs --rate R (or --unset)"));

  if (login != NULL && !limner_store_qc_set_override (store, login, limner_cli_flag (ctx, "--unset") ? -1 : rate,
                                                      first_n, &error))
    return limner_cli_fail (error);
  if (login == NULL && rate >= 0 && !limner_store_qc_set_rate (store, rate, &error))
    return limner_cli_fail (error);
  if (gold_rate >= 0 && !limner_store_gold_set_rate (store, gold_rate, &error))
    return limner_cli_fail (error);
  if (threshold >= 0 && !limner_store_gold_set_threshold (store, threshold, &error))
    return limner_cli_fail (error);

  if (ctx->json)
    {
      g_autofree char *seed = limner_store_get_setting (store, "qc.seed");

      limner_cli_print_json (json_pack ("{s:f, s:s?, s:f, s:f}",
                                        "rate", limner_store_qc_get_rate (store),
                                        "seed", seed,
                                        "gold_rate", limner_store_gold_get_rate (store),
                                        "gold_iou_threshold", limner_store_gold_get_threshold (store)));
    }
  else
    {
      printf (_("Review sample rate: %g\n"), limner_store_qc_get_rate (store));
      printf (_("Gold rate: %g\n"), limner_store_gold_get_rate (store));
      printf (_("Gold IoU threshold: %g\n"), limner_store_gold_get_threshold (store));
      if (login != NULL && limner_store_qc_get_override (store, login, &override))
        printf (_("%s: rate %g for the first %u images (0: all)\n"), login, override.rate, override.first_n);
    }
  return LIMNER_CLI_OK;
}

int
limner_cli_cmd_review (LimnerCliContext *ctx)
{
  static const struct {
    const char *name;
    int (*func) (LimnerCliContext *ctx, LimnerStore *store);
  } subcommands[] = {
    { "audit", review_audit },
    { "decide", review_decide },
    { "diff", review_diff },
    { "gold", review_gold },
    { "history", review_history },
    { "predictions", review_predictions },
    { "queue", review_queue },
    { "sample", review_sample },
    { "settings", review_settings },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  const char *sub = limner_cli_arg (ctx, 1);

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (sub, subcommands[i].name))
      {
        store = limner_cli_open_project (ctx, &error);
        if (store == NULL)
          return limner_cli_fail (error);
        return subcommands[i].func (ctx, store);
      }
  return limner_cli_usage (ctx, _("unknown subcommand “%s”"), sub);
}

/* The "qc" object of `info --json`. */

static gboolean
parse_day (LimnerCliContext *ctx, const char *name, gint64 *out, gboolean end)
{
  const char *value = limner_cli_opt (ctx, name);
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;
  char extra;

  *out = 0;
  if (value == NULL)
    return TRUE;
  if (sscanf (value, "%d-%d-%d%c", &y, &m, &d, &extra) == 3)
    day = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (day == NULL)
    {
      limner_cli_usage (ctx, _("%s expects a date YYYY-MM-DD, not “%s”"), name, value);
      return FALSE;
    }
  /* --to is inclusive: up to the end of that day. */
  *out = g_date_time_to_unix (day) + (end ? 24 * 3600 : 0);
  return TRUE;
}

static json_t *
rate_json (guint accepted, guint trials)
{
  LimnerWilson w = limner_qc_wilson (accepted, trials);

  return json_pack ("{s:f, s:i, s:f, s:f, s:i}",
                    "acceptance", w.p, "sample_size", (int) trials,
                    "wilson_low", w.low, "wilson_high", w.high,
                    "reviews_needed_5pt", (int) limner_qc_reviews_needed (accepted, trials, 0.05));
}

json_t *
limner_cli_qc_json (LimnerCliContext *ctx, LimnerStore *store, int *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) scores = NULL;
  g_autoptr(GHashTable) gold_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  LimnerQcFilter filter = { 0, 0, NULL, NULL, NULL, -1 };
  const char *status_name = limner_cli_opt (ctx, "--status");
  guint waiting = 0, accepted = 0, rejected = 0, fixed = 0;
  json_t *per = json_object ();
  json_t *gold = json_object ();
  json_t *qc;

  *status = LIMNER_CLI_OK;
  if (!parse_day (ctx, "--from", &filter.from, FALSE) || !parse_day (ctx, "--to", &filter.to, TRUE))
    *status = LIMNER_CLI_USAGE;
  if (*status == LIMNER_CLI_OK && status_name != NULL)
    {
      LimnerImageStatus s = 0;

      if (!limner_image_status_from_string (status_name, &s))
        *status = limner_cli_usage (ctx, _("--status expects an image status, not “%s”"), status_name);
      filter.status = s;
    }
  if (*status != LIMNER_CLI_OK)
    {
      json_decref (per);
      json_decref (gold);
      return NULL;
    }
  filter.annotator = limner_cli_opt (ctx, "--annotator");
  filter.reviewer = limner_cli_opt (ctx, "--reviewer");
  filter.label = limner_cli_opt (ctx, "--label");

  counts = limner_store_qc_counts (store, &filter, &error);
  if (counts != NULL)
    scores = limner_store_list_gold_scores (store, &error);
  if (scores == NULL)
    {
      json_decref (per);
      json_decref (gold);
      *status = limner_cli_fail (error);
      return NULL;
    }
  for (guint i = 0; i < counts->len; i++)
    {
      LimnerQcCounts *c = counts->pdata[i];
      json_t *obj = rate_json (c->accepted, c->accepted + c->rejected + c->fixed);

      json_object_set_new (obj, "waiting", json_integer (c->waiting));
      json_object_set_new (obj, "accepted", json_integer (c->accepted));
      json_object_set_new (obj, "rejected", json_integer (c->rejected));
      json_object_set_new (obj, "fixed", json_integer (c->fixed));
      json_object_set_new (per, c->annotator, obj);
      waiting += c->waiting;
      accepted += c->accepted;
      rejected += c->rejected;
      fixed += c->fixed;
    }
  for (guint i = 0; i < scores->len; i++)
    {
      LimnerGoldScoreRecord *r = scores->pdata[i];
      LimnerGoldScore *total;

      if (filter.annotator != NULL && g_strcmp0 (filter.annotator, r->annotator) != 0)
        continue;
      if ((filter.from && r->created_at < filter.from) || (filter.to && r->created_at >= filter.to))
        continue;
      total = g_hash_table_lookup (gold_by, r->annotator);
      if (total == NULL)
        {
          total = g_new0 (LimnerGoldScore, 1);
          g_hash_table_insert (gold_by, g_strdup (r->annotator), total);
        }
      limner_gold_score_add (total, &r->score);
    }
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, gold_by);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        LimnerGoldScore *s = value;

        json_object_set_new (gold, key, json_pack ("{s:i, s:i, s:i, s:f, s:f, s:f}",
                                                   "tp", s->tp, "fp", s->fp, "fn", s->fn,
                                                   "precision", s->precision, "recall", s->recall,
                                                   "mean_iou", s->mean_iou));
      }
  }
  qc = rate_json (accepted, accepted + rejected + fixed);
  json_object_set_new (qc, "waiting", json_integer (waiting));
  json_object_set_new (qc, "accepted", json_integer (accepted));
  json_object_set_new (qc, "rejected", json_integer (rejected));
  json_object_set_new (qc, "fixed", json_integer (fixed));
  json_object_set_new (qc, "rate", json_real (limner_store_qc_get_rate (store)));
  json_object_set_new (qc, "per_annotator", per);
  json_object_set_new (qc, "gold", gold);
  return qc;
}
