/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-cli-assist.c: limner-cli assist: the magic wand and box tightening
 * run headless on one image, from the same core code as the GUI, printing
 * the proposed polygon or box and, with --save LABEL, storing it. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "limner-assist.h"
#include "limner-cli.h"
#include "limner-queue.h"
#include "limner-tile-source.h"

static gboolean
parse_number (LimnerCliContext *ctx,
              guint             i,
              double           *out)
{
  const char *text = limner_cli_arg (ctx, i);
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*out))
    {
      limner_cli_usage (ctx, _("“%s” is not a number"), text);
      return FALSE;
    }
  return TRUE;
}

/* Stores the proposal as a shape of `label_name` on the image, acting as
 * --user: an annotator takes the image first, like any other edit. */
static gint64
save_shape (LimnerStore       *store,
            gint64             image_id,
            const char        *label_name,
            LimnerShapeKind    kind,
            const GArray      *points,
            GError           **error)
{
  g_autoptr(LimnerLabel) label = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(LimnerShape) shape = NULL;

  label = limner_store_find_label (store, label_name, error);
  if (label == NULL)
    return 0;
  image = limner_queue_open (store, image_id, error);
  if (image == NULL)
    return 0;

  shape = limner_shape_new (kind);
  shape->image_id = image_id;
  shape->label_id = label->id;
  g_array_append_vals (shape->points, points->data, points->len);
  if (!limner_store_insert_shape (store, shape, error))
    return 0;
  return shape->id;
}

static json_t *
points_to_json (const GArray *points)
{
  json_t *array = json_array ();

  for (guint i = 0; i + 1 < points->len; i += 2)
    json_array_append_new (array, json_pack ("[f, f]", g_array_index (points, double, i),
                                             g_array_index (points, double, i + 1)));
  return array;
}

int
limner_cli_cmd_assist (LimnerCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(LimnerImageRecord) image = NULL;
  g_autoptr(LimnerTileSource) source = NULL;
  g_autoptr(GArray) points = NULL;
  g_autofree char *path = NULL;
  const char *tool = limner_cli_arg (ctx, 2);
  const char *label = limner_cli_opt (ctx, "--save");
  LimnerShapeKind kind;
  gint64 tolerance = LIMNER_WAND_DEFAULT_TOLERANCE;
  gint64 shape_id = 0;
  double simplify = LIMNER_WAND_DEFAULT_SIMPLIFY;

  if (g_str_equal (tool, "wand"))
    {
      if (ctx->args->len != 5)
        return limner_cli_usage (ctx, _("wand takes the point X Y"));
      if (!limner_cli_opt_int (ctx, "--tolerance", LIMNER_WAND_DEFAULT_TOLERANCE, &tolerance))
        return LIMNER_CLI_USAGE;
      if (tolerance < 0 || tolerance > 255)
        return limner_cli_usage (ctx, _("--tolerance takes a number from 0 to 255"));
      if (limner_cli_opt (ctx, "--simplify") != NULL)
        {
          char *end = NULL;
          const char *text = limner_cli_opt (ctx, "--simplify");

          simplify = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0' || !(simplify >= 0 && simplify < 1e6))
            return limner_cli_usage (ctx, _("--simplify takes a distance in pixels"));
        }
      kind = LIMNER_SHAPE_POLYGON;
    }
  else if (g_str_equal (tool, "tighten"))
    {
      if (ctx->args->len != 7)
        return limner_cli_usage (ctx, _("tighten takes the box X0 Y0 X1 Y1"));
      if (limner_cli_opt (ctx, "--tolerance") != NULL || limner_cli_opt (ctx, "--simplify") != NULL)
        return limner_cli_usage (ctx, _("--tolerance and --simplify apply to wand only"));
      kind = LIMNER_SHAPE_BOX;
    }
  else
    return limner_cli_usage (ctx, _("unknown tool “%s”; the tools are wand and tighten"), tool);

  store = limner_cli_open_project (ctx, &error);
  if (store == NULL)
    return limner_cli_fail (error);
  image = limner_store_lookup_image (store, limner_cli_arg (ctx, 1), &error);
  if (image == NULL)
    return limner_cli_fail (error);
  if (!limner_cli_verify_image (ctx, store, image))
    return LIMNER_CLI_ERROR;
  path = limner_store_resolve_path (store, image->path);
  source = limner_tile_source_new (path, &error);
  if (source == NULL)
    return limner_cli_fail (error);

  if (kind == LIMNER_SHAPE_POLYGON)
    {
      LimnerWandSeed seed = { 0, 0, LIMNER_WAND_ADD };

      if (!parse_number (ctx, 3, &seed.x) || !parse_number (ctx, 4, &seed.y))
        return LIMNER_CLI_USAGE;
      points = limner_assist_wand (source, 0, &seed, 1, (int) tolerance, simplify, &error);
      if (points == NULL)
        return limner_cli_fail (error);
    }
  else
    {
      double box[4], out[4];

      for (int i = 0; i < 4; i++)
        if (!parse_number (ctx, 3 + i, &box[i]))
          return LIMNER_CLI_USAGE;
      if (!limner_assist_tighten (source, box, out, &error))
        return limner_cli_fail (error);
      points = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_vals (points, out, 4);
    }

  if (label != NULL)
    {
      shape_id = save_shape (store, image->id, label, kind, points, &error);
      if (shape_id == 0)
        return limner_cli_fail (error);
    }

  if (ctx->json)
    {
      json_t *result = json_pack ("{s:I, s:s, s:s, s:o}",
                                  "image_id", (json_int_t) image->id,
                                  "tool", tool,
                                  "kind", limner_shape_kind_to_string (kind),
                                  "points", points_to_json (points));

      if (kind == LIMNER_SHAPE_BOX)
        json_object_set_new (result, "box", json_pack ("[f, f, f, f]",
                                                       g_array_index (points, double, 0),
                                                       g_array_index (points, double, 1),
                                                       g_array_index (points, double, 2),
                                                       g_array_index (points, double, 3)));
      else
        json_object_set_new (result, "tolerance", json_integer (tolerance));
      if (shape_id != 0)
        {
          json_object_set_new (result, "shape_id", json_integer (shape_id));
          json_object_set_new (result, "label", json_string (label));
        }
      limner_cli_print_json (result);
    }
  else
    {
      if (kind == LIMNER_SHAPE_BOX)
        printf (_("box %g %g %g %g\n"), g_array_index (points, double, 0),
                g_array_index (points, double, 1), g_array_index (points, double, 2),
                g_array_index (points, double, 3));
      else
        {
          printf (g_dngettext (GETTEXT_PACKAGE, "polygon with %u vertex:", "polygon with %u vertices:",
                               points->len / 2), points->len / 2);
          for (guint i = 0; i < points->len; i += 2)
            printf (" %g,%g", g_array_index (points, double, i), g_array_index (points, double, i + 1));
          printf ("\n");
        }
      if (shape_id != 0)
        printf (_("Saved as shape %" G_GINT64_FORMAT " with label %s.\n"), shape_id, label);
    }
  return LIMNER_CLI_OK;
}
