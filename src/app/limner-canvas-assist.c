/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limner-canvas-assist.c: the canvas' assisted drawing on top of the core's
 * classical computer vision (limner-assist.h, limner-livewire.h): the magic
 * wand's proposal, box tightening, vertex snapping and the intelligent
 * scissors.
 *
 * Reading pixels may decode a tile, so everything but walking a finished
 * live-wire tree runs on a GTask thread. Each request carries a serial or
 * what it was asked about, and a result that no longer matches what the
 * canvas shows is dropped.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "limner-canvas-private.h"

/* In screen pixels. */
#define WAND_SIMPLIFY  1.5
#define SNAP_RADIUS    6.0
#define WIRE_RADIUS    200.0
#define WIRE_SIMPLIFY  1.0
#define TOLERANCE_STEP 5

typedef enum {
  JOB_WAND,
  JOB_TIGHTEN,
  JOB_SNAP,
  JOB_WIRE,
} JobKind;

typedef struct {
  JobKind           kind;
  guint             serial;
  LimnerTileSource *source;
  int               level;
  /* Wand */
  GArray           *seeds;
  int               tolerance;
  double            simplify;
  /* Tightening: the box asked about and the answer */
  gint64            shape_id;
  double            box[4];
  double            out[4];
  /* Snapping: the vertex and where it was; the wire's anchor */
  guint             vertex;
  double            x;
  double            y;
  double            radius;
  int               wire_radius;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->source);
  g_clear_pointer (&job->seeds, g_array_unref);
  g_free (job);
}

static Job *
job_new (LimnerCanvas *self,
         JobKind       kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->source = g_object_ref (self->source);
  job->level = limner_tile_source_choose_level_for_zoom (self->source,
                                                         limner_canvas_get_device_zoom (self));
  return job;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  switch (job->kind)
    {
    case JOB_WAND:
      {
        GArray *polygon = limner_assist_wand (job->source, job->level,
                                              (const LimnerWandSeed *) job->seeds->data,
                                              job->seeds->len, job->tolerance, job->simplify,
                                              &error);

        if (polygon == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, polygon, (GDestroyNotify) g_array_unref);
      }
      break;

    case JOB_TIGHTEN:
      if (limner_assist_tighten (job->source, job->box, job->out, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      break;

    case JOB_SNAP:
      {
        double x, y;
        gboolean snapped = limner_assist_snap (job->source, job->level, job->x, job->y,
                                               job->radius, &x, &y, NULL);

        /* No edge near, or a point outside the image: the vertex stays. */
        if (snapped)
          {
            job->out[0] = x;
            job->out[1] = y;
          }
        g_task_return_boolean (task, snapped);
      }
      break;

    case JOB_WIRE:
      {
        LimnerLiveWire *wire = limner_live_wire_new_for_source (job->source, job->level,
                                                                job->x, job->y,
                                                                job->wire_radius, &error);

        if (wire == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, wire, (GDestroyNotify) limner_live_wire_free);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
run_job (LimnerCanvas        *self,
         Job                 *job,
         GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, NULL);

  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/* --- Magic wand ------------------------------------------------------------ */

int
limner_canvas_get_wand_tolerance (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), LIMNER_WAND_DEFAULT_TOLERANCE);

  return self->wand_tolerance;
}

const GArray *
limner_canvas_get_wand_proposal (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), NULL);

  return self->wand_proposal;
}

static void
on_wand_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) polygon = NULL;
  g_autoptr(GError) error = NULL;

  polygon = g_task_propagate_pointer (G_TASK (result), &error);
  if (job->serial != self->wand_serial || job->source != self->source)
    return;

  g_clear_pointer (&self->wand_proposal, g_array_unref);
  if (polygon != NULL && polygon->len >= 6)
    self->wand_proposal = g_steal_pointer (&polygon);
  /* Nothing left after a subtraction, or a click off the image, just
   * shows no proposal. */
  else if (error != NULL && !g_error_matches (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_EMPTY) &&
           !g_error_matches (error, LIMNER_ASSIST_ERROR, LIMNER_ASSIST_ERROR_OUTSIDE))
    limner_canvas_tools_report_error (self, error);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Asks for the proposal of the current seeds. `keep` shows the previous
 * proposal until then (a tolerance change, another seed), so that it does
 * not flicker. */
static void
request_wand (LimnerCanvas *self,
              gboolean      keep)
{
  Job *job;

  self->wand_serial++;
  if (!keep)
    g_clear_pointer (&self->wand_proposal, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->source == NULL || self->wand_seeds->len == 0)
    return;

  job = job_new (self, JOB_WAND);
  job->serial = self->wand_serial;
  job->seeds = g_array_copy (self->wand_seeds);
  job->tolerance = self->wand_tolerance;
  /* The outline follows the pixels the user sees, no finer. */
  job->simplify = WAND_SIMPLIFY / self->zoom;
  run_job (self, job, on_wand_done);
}

void
limner_canvas_set_wand_tolerance (LimnerCanvas *self,
                                  int           tolerance)
{
  g_return_if_fail (LIMNER_IS_CANVAS (self));

  tolerance = CLAMP (tolerance, 0, 255);
  if (tolerance == self->wand_tolerance)
    return;
  self->wand_tolerance = tolerance;
  if (self->wand_seeds->len > 0)
    request_wand (self, TRUE);
  limner_canvas_notify (self, "wand-tolerance");
}

void
limner_canvas_assist_step_tolerance (LimnerCanvas *self,
                                     int           steps)
{
  limner_canvas_set_wand_tolerance (self, self->wand_tolerance + steps * TOLERANCE_STEP);
}

void
limner_canvas_assist_wand_press (LimnerCanvas    *self,
                                 double           ix,
                                 double           iy,
                                 GdkModifierType  state)
{
  LimnerWandSeed seed = { ix, iy, LIMNER_WAND_ADD };
  gboolean keep = FALSE;

  if (self->source == NULL || ix < 0 || iy < 0 ||
      ix >= limner_tile_source_get_width (self->source) ||
      iy >= limner_tile_source_get_height (self->source))
    return;

  if (state & GDK_CONTROL_MASK)
    {
      /* Nothing to cut a region out of yet. */
      if (self->wand_seeds->len == 0)
        return;
      seed.op = LIMNER_WAND_SUBTRACT;
      keep = TRUE;
    }
  else if ((state & GDK_SHIFT_MASK) && self->wand_seeds->len > 0)
    keep = TRUE;
  else
    g_array_set_size (self->wand_seeds, 0);

  g_array_append_val (self->wand_seeds, seed);
  request_wand (self, keep);
}

gboolean
limner_canvas_assist_accept (LimnerCanvas *self)
{
  g_autoptr(GArray) polygon = NULL;

  if (self->wand_proposal == NULL || self->document == NULL)
    return FALSE;

  polygon = g_steal_pointer (&self->wand_proposal);
  g_array_set_size (self->wand_seeds, 0);
  self->wand_serial++;
  limner_canvas_tools_add_shape (self, LIMNER_SHAPE_POLYGON, (const double *) polygon->data,
                                 polygon->len / 2);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

gboolean
limner_canvas_assist_drop (LimnerCanvas *self)
{
  if (self->wand_proposal == NULL && self->wand_seeds->len == 0)
    return FALSE;

  g_clear_pointer (&self->wand_proposal, g_array_unref);
  g_array_set_size (self->wand_seeds, 0);
  self->wand_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

/* --- Box tightening -------------------------------------------------------- */

static void
on_tighten_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(LimnerShape) copy = NULL;
  g_autoptr(GError) error = NULL;
  const LimnerShape *shape;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->serial == self->tighten_serial)
        limner_canvas_tools_report_error (self, error);
      return;
    }
  if (job->serial != self->tighten_serial || job->source != self->source ||
      self->document == NULL)
    return;

  /* The box may have been edited or deleted meanwhile: then the answer is
   * about another box. */
  shape = limner_document_get_shape (self->document, job->shape_id);
  if (shape == NULL || shape->kind != LIMNER_SHAPE_BOX || shape->points->len != 4 ||
      memcmp (shape->points->data, job->box, sizeof job->box) != 0 ||
      memcmp (job->box, job->out, sizeof job->box) == 0)
    return;

  copy = limner_shape_copy (shape);
  memcpy (copy->points->data, job->out, sizeof job->out);
  if (!limner_document_modify_shape (self->document, copy, &error))
    limner_canvas_tools_report_error (self, error);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
limner_canvas_assist_tighten (LimnerCanvas *self)
{
  const LimnerShape *shape = limner_canvas_tools_get_selected (self);
  Job *job;

  if (self->source == NULL)
    return;
  if (shape == NULL || shape->kind != LIMNER_SHAPE_BOX || shape->points->len != 4)
    {
      limner_canvas_show_message (self, _("Select a box to tighten it."));
      return;
    }
  if (!limner_document_is_shape_editable (self->document, shape->id))
    return;

  job = job_new (self, JOB_TIGHTEN);
  job->serial = ++self->tighten_serial;
  job->shape_id = shape->id;
  memcpy (job->box, shape->points->data, sizeof job->box);
  run_job (self, job, on_tighten_done);
}

/* --- Snapping -------------------------------------------------------------- */

static void start_wire (LimnerCanvas *self);

static void
on_snap_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  double *p;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || job->source != self->source)
    return;
  /* Only the vertex as it was clicked moves: not one taken back, nor one
   * of another polygon. */
  if (job->vertex >= self->draft->len / 2)
    return;
  p = &g_array_index (self->draft, double, 2 * job->vertex);
  if (p[0] != job->x || p[1] != job->y)
    return;
  p[0] = job->out[0];
  p[1] = job->out[1];
  /* The scissors start from where the vertex is now. */
  if (self->scissors && job->vertex == self->draft->len / 2 - 1)
    start_wire (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
limner_canvas_assist_snap (LimnerCanvas *self,
                           guint         vertex)
{
  Job *job;

  if (self->source == NULL || vertex >= self->draft->len / 2)
    return;
  job = job_new (self, JOB_SNAP);
  job->vertex = vertex;
  job->x = g_array_index (self->draft, double, 2 * vertex);
  job->y = g_array_index (self->draft, double, 2 * vertex + 1);
  job->radius = SNAP_RADIUS / self->zoom;
  run_job (self, job, on_snap_done);
}

/* --- Intelligent scissors -------------------------------------------------- */

/* TRUE when the wire starts at the draft's last vertex. */
static gboolean
wire_matches (LimnerCanvas *self)
{
  guint n = self->draft->len / 2;

  return self->wire != NULL && n > 0 &&
         g_array_index (self->draft, double, 2 * n - 2) == self->wire_x &&
         g_array_index (self->draft, double, 2 * n - 1) == self->wire_y;
}

static void
update_wire_path (LimnerCanvas *self)
{
  double ix, iy;

  g_clear_pointer (&self->wire_path, g_array_unref);
  if (self->scissors && wire_matches (self))
    {
      limner_canvas_widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy);
      self->wire_path = limner_live_wire_path (self->wire, ix, iy, WIRE_SIMPLIFY / self->zoom);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_wire_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LimnerCanvas *self = LIMNER_CANVAS (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  LimnerLiveWire *wire;
  g_autoptr(GError) error = NULL;

  wire = g_task_propagate_pointer (G_TASK (result), &error);
  if (job->serial != self->wire_serial || job->source != self->source)
    {
      limner_live_wire_free (wire);
      return;
    }
  self->wire_pending = FALSE;
  if (wire == NULL)
    {
      limner_canvas_tools_report_error (self, error);
      return;
    }
  g_clear_pointer (&self->wire, limner_live_wire_free);
  self->wire = wire;
  update_wire_path (self);
}

/* Builds the wire from the draft's last vertex, on a region around it. */
static void
start_wire (LimnerCanvas *self)
{
  guint n = self->draft->len / 2;
  double x = g_array_index (self->draft, double, 2 * n - 2);
  double y = g_array_index (self->draft, double, 2 * n - 1);
  double downsample;
  Job *job;

  if (self->wire_pending && self->wire_x == x && self->wire_y == y)
    return;
  g_clear_pointer (&self->wire, limner_live_wire_free);
  self->wire_x = x;
  self->wire_y = y;
  self->wire_pending = TRUE;

  job = job_new (self, JOB_WIRE);
  job->serial = ++self->wire_serial;
  job->x = x;
  job->y = y;
  downsample = limner_tile_source_get_level_downsample (self->source, job->level);
  /* About WIRE_RADIUS screen pixels, in pixels of the level read. */
  job->wire_radius = CLAMP ((int) ceil (WIRE_RADIUS / (self->zoom * downsample)), 16, 600);
  run_job (self, job, on_wire_done);
}

void
limner_canvas_assist_polygon_motion (LimnerCanvas    *self,
                                     double           ix,
                                     double           iy,
                                     GdkModifierType  state)
{
  gboolean scissors = self->tool == LIMNER_CANVAS_TOOL_POLYGON && self->source != NULL &&
                      self->draft->len > 0 && (state & GDK_SHIFT_MASK);

  if (!scissors && !self->scissors && self->wire_path == NULL)
    return;
  self->scissors = scissors;
  if (scissors && !wire_matches (self))
    start_wire (self);
  update_wire_path (self);
}

gboolean
limner_canvas_assist_polygon_click (LimnerCanvas    *self,
                                    GdkModifierType  state)
{
  g_autoptr(GArray) path = NULL;
  guint n;

  if (!(state & GDK_SHIFT_MASK) || self->wire_path == NULL || !wire_matches (self))
    return FALSE;

  path = g_steal_pointer (&self->wire_path);
  n = path->len / 2;
  /* The path starts at the last vertex's pixel centre: the vertex is kept. */
  if (n >= 2)
    g_array_append_vals (self->draft, &g_array_index (path, double, 2), 2 * (n - 1));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

const GArray *
limner_canvas_get_scissors_path (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), NULL);

  return wire_matches (self) ? self->wire_path : NULL;
}

const GArray *
limner_canvas_get_draft (LimnerCanvas *self)
{
  g_return_val_if_fail (LIMNER_IS_CANVAS (self), NULL);

  return self->draft;
}

/* --- State ----------------------------------------------------------------- */

void
limner_canvas_assist_reset (LimnerCanvas *self)
{
  limner_canvas_assist_drop (self);
  /* A tightening in flight stays: its answer is checked against the box and
   * the image when it arrives, so a tool switch or a refresh of the page
   * (a claim, another writer) in the meantime does not lose it. */
  self->wire_serial++;
  self->wire_pending = FALSE;
  self->scissors = FALSE;
  g_clear_pointer (&self->wire, limner_live_wire_free);
  g_clear_pointer (&self->wire_path, g_array_unref);
}

void
limner_canvas_assist_init (LimnerCanvas *self)
{
  self->wand_tolerance = LIMNER_WAND_DEFAULT_TOLERANCE;
  self->wand_seeds = g_array_new (FALSE, FALSE, sizeof (LimnerWandSeed));
}

void
limner_canvas_assist_finalize (LimnerCanvas *self)
{
  g_clear_pointer (&self->wand_seeds, g_array_unref);
  g_clear_pointer (&self->wand_proposal, g_array_unref);
  g_clear_pointer (&self->wire, limner_live_wire_free);
  g_clear_pointer (&self->wire_path, g_array_unref);
}

/* --- Drawing --------------------------------------------------------------- */

static void
path_points (LimnerCanvas     *self,
             cairo_t          *cr,
             const GArray     *points,
             gboolean          close)
{
  for (guint i = 0; i < points->len / 2; i++)
    {
      double x, y;

      limner_canvas_image_to_widget (self, g_array_index (points, double, 2 * i),
                                     g_array_index (points, double, 2 * i + 1), &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (close)
    cairo_close_path (cr);
}

static gboolean
grow_bounds (LimnerCanvas    *self,
             const GArray    *points,
             graphene_rect_t *bounds,
             gboolean         any)
{
  for (guint i = 0; i < points->len / 2; i++)
    {
      double x, y;
      graphene_rect_t r;

      limner_canvas_image_to_widget (self, g_array_index (points, double, 2 * i),
                                     g_array_index (points, double, 2 * i + 1), &x, &y);
      r = GRAPHENE_RECT_INIT (x, y, 0, 0);
      if (any)
        graphene_rect_union (bounds, &r, bounds);
      else
        *bounds = r;
      any = TRUE;
    }
  return any;
}

/* The proposal and the scissors' path change with every tolerance step and
 * pointer move, so they are drawn live here and never in the cached
 * overlay. */
void
limner_canvas_assist_snapshot (LimnerCanvas *self,
                               GtkSnapshot  *snapshot)
{
  static const double dash[] = { 6, 4 };
  const GArray *wire_path = self->draft->len > 0 && wire_matches (self) ? self->wire_path : NULL;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  graphene_rect_t widget_rect = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                                    gtk_widget_get_height (GTK_WIDGET (self)));
  guint32 rgb = limner_canvas_get_label_rgb (self, self->current_label);
  double r = ((rgb >> 16) & 0xff) / 255.0, g = ((rgb >> 8) & 0xff) / 255.0, b = (rgb & 0xff) / 255.0;
  gboolean any = FALSE;
  cairo_t *cr;

  if (self->wand_proposal != NULL)
    any = grow_bounds (self, self->wand_proposal, &bounds, any);
  if (wire_path != NULL)
    any = grow_bounds (self, wire_path, &bounds, any);
  if (!any)
    return;
  graphene_rect_inset (&bounds, -4, -4);
  if (!graphene_rect_intersection (&bounds, &widget_rect, &bounds))
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (self->wand_proposal != NULL)
    {
      path_points (self, cr, self->wand_proposal, TRUE);
      cairo_set_source_rgba (cr, r, g, b, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 3.5);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  if (wire_path != NULL)
    {
      path_points (self, cr, wire_path, FALSE);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 3.5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}
