/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of assisted annotation in the window, on a demo image whose
 * objects have recorded reference outlines:
 *  - W, a click at an object's centre, Enter: a polygon close to the
 *    reference (IoU >= 0.9) is in the document, undoable, and in the store
 *    after a flush;
 *  - [ and ] change the tolerance, Escape drops a proposal, and so does
 *    another tool;
 *  - T moves a rough box's sides to the object's edges, undoably;
 *  - a polygon vertex snaps to a nearby edge, but not with Alt, and with
 *    Shift the intelligent scissors' path follows the edges round a corner.
 * Without a display this test fails. */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "limner-application.h"
#include "limner-assist.h"
#include "limner-core.h"
#include "limner-demo.h"
#include "limner-geometry.h"
#include "limner-overlap.h"
#include "limner-store.h"
#include "limner-window.h"
#include "limner-test-app.h"
#include "limner-test-util.h"

#define TIMEOUT_MS 60000
#define N_IMAGES   6

static char *tmp_root;

typedef struct {
  LimnerWindow *window;
  LimnerCanvas *canvas;
  gint64        image_id;      /* the image to show */
  gint64        shape_id;
  double        box[4];
  double        pointer[2];    /* image point of the Shift motion, for scissors_shown */
  gint64        pointer_sent;  /* when it was last sent (monotonic µs) */
} State;

static gboolean
grid_loaded (gpointer data)
{
  State *state = data;
  LimnerProjectPage *page = limner_window_get_project_page (state->window);

  return !limner_project_page_get_loading (page) &&
         g_list_model_get_n_items (limner_project_page_get_model (page)) == N_IMAGES;
}

static gboolean
canvas_ready (gpointer data)
{
  State *state = data;
  LimnerCanvas *canvas = limner_annotate_page_get_canvas (limner_window_get_annotate_page (state->window));

  return limner_canvas_get_source (canvas) != NULL &&
         limner_canvas_get_document (canvas) != NULL &&
         limner_document_get_image_id (limner_canvas_get_document (canvas)) == state->image_id &&
         gtk_widget_get_mapped (GTK_WIDGET (canvas)) &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) > 100;
}

static void
show_image (State  *state,
            gint64  image_id)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, image_id);
  g_autoptr(GError) error = NULL;

  state->image_id = image_id;
  g_assert_true (limner_window_show_image (state->window, key, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (canvas_ready, state, TIMEOUT_MS));
  limner_test_iterate (50);
}

static gboolean
no_proposal (gpointer data)
{
  State *state = data;

  return limner_canvas_get_wand_proposal (state->canvas) == NULL;
}

static gboolean
proposal_shown (gpointer data)
{
  State *state = data;

  return limner_canvas_get_wand_proposal (state->canvas) != NULL;
}

/* The box has moved from state->box. */
static gboolean
box_changed (gpointer data)
{
  State *state = data;
  const LimnerShape *shape =
    limner_document_get_shape (limner_canvas_get_document (state->canvas), state->shape_id);

  return shape != NULL && memcmp (shape->points->data, state->box, sizeof state->box) != 0;
}

/* Presses `keyval` on the canvas the way its key bindings see it. */
static void
press_key (LimnerCanvas *canvas,
           guint         keyval)
{
  GtkWidget *widget = GTK_WIDGET (canvas);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("No binding for %s on the canvas", gdk_keyval_name (keyval));
}

static void
click_image_with (LimnerCanvas    *canvas,
                  double           ix,
                  double           iy,
                  GdkModifierType  state)
{
  double x, y;

  limner_canvas_image_to_widget (canvas, ix, iy, &x, &y);
  limner_canvas_pointer_motion (canvas, x, y, state);
  limner_canvas_pointer_press (canvas, GDK_BUTTON_PRIMARY, 1, x, y, state);
  limner_canvas_pointer_release (canvas, GDK_BUTTON_PRIMARY, x, y, state);
}

static void
click_image (LimnerCanvas *canvas,
             double        ix,
             double        iy)
{
  click_image_with (canvas, ix, iy, 0);
}

/* Whether a label under `widget` shows `text`. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
first_vertex_snapped (gpointer data)
{
  State *state = data;
  const GArray *draft = limner_canvas_get_draft (state->canvas);

  return draft->len >= 2 && g_array_index (draft, double, 1) != state->box[1];
}

/* The X server's own pointer (Xvfb's, over the window) can send a motion
 * without Shift meanwhile, which rightly drops the preview: the Shift motion
 * is sent again every two seconds, long enough for a search to finish. */
static gboolean
scissors_shown (gpointer data)
{
  State *state = data;
  gint64 now = g_get_monotonic_time ();

  if (limner_canvas_get_scissors_path (state->canvas) != NULL)
    return TRUE;
  if (now - state->pointer_sent > 2 * G_USEC_PER_SEC)
    {
      double x, y;

      limner_canvas_image_to_widget (state->canvas, state->pointer[0], state->pointer[1], &x, &y);
      limner_canvas_pointer_motion (state->canvas, x, y, GDK_SHIFT_MASK);
      state->pointer_sent = now;
    }
  return FALSE;
}

/* How far image point (x, y) is from the outline of `box`. */
static double
distance_to_box (const double *box,
                 double        x,
                 double        y)
{
  double dx = MAX (box[0] - x, MAX (0, x - box[2]));
  double dy = MAX (box[1] - y, MAX (0, y - box[3]));

  /* Inside: the nearest side. */
  if (dx <= 0 && dy <= 0)
    return MIN (MIN (x - box[0], box[2] - x), MIN (y - box[1], box[3] - y));
  return hypot (MAX (dx, 0), MAX (dy, 0));
}

static void
drag_box (LimnerCanvas *canvas,
          const double  box[4])
{
  double x0, y0, x1, y1;

  limner_canvas_image_to_widget (canvas, box[0], box[1], &x0, &y0);
  limner_canvas_image_to_widget (canvas, box[2], box[3], &x1, &y1);
  limner_canvas_pointer_press (canvas, GDK_BUTTON_PRIMARY, 1, x0, y0, 0);
  for (int i = 1; i <= 5; i++)
    limner_canvas_pointer_motion (canvas, x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, 0);
  limner_canvas_pointer_release (canvas, GDK_BUTTON_PRIMARY, x1, y1, 0);
}

static double
box_area (const double *box)
{
  return (box[2] - box[0]) * (box[3] - box[1]);
}

/* Whether `b` meets `a` grown by `margin` times its size on every side. */
static gboolean
boxes_meet (const double *a,
            const double *b,
            double        margin)
{
  double mx = margin * (a[2] - a[0]), my = margin * (a[3] - a[1]);

  return a[0] - mx < b[2] && b[0] < a[2] + mx && a[1] - my < b[3] && b[1] < a[3] + my;
}

/* The largest reference object of `label_id` (0: any) that no other one of
 * its image comes near (within `margin` times its size), so that its pixels
 * and the edges around it are its own. */
static const LimnerReferenceShape *
pick_object (GPtrArray *refs,
             gint64     label_id,
             double     margin)
{
  const LimnerReferenceShape *best = NULL;

  for (guint i = 0; i < refs->len; i++)
    {
      const LimnerReferenceShape *ref = g_ptr_array_index (refs, i);
      double cx = (ref->box[0] + ref->box[2]) / 2, cy = (ref->box[1] + ref->box[3]) / 2;
      gboolean alone = TRUE;

      if (label_id != 0 && ref->label_id != label_id)
        continue;
      if (!limner_polygon_contains_point ((const double *) ref->polygon->data,
                                          ref->polygon->len / 2, cx, cy))
        continue;
      for (guint j = 0; j < refs->len; j++)
        {
          const LimnerReferenceShape *other = g_ptr_array_index (refs, j);

          if (j != i && other->image_id == ref->image_id &&
              boxes_meet (ref->box, other->box, margin))
            alone = FALSE;
        }
      if (alone && (best == NULL || box_area (ref->box) > box_area (best->box)))
        best = ref;
    }
  g_assert_nonnull (best);
  return best;
}

static double
iou_with (const LimnerShape           *shape,
          const LimnerReferenceShape  *ref,
          gboolean                     as_box)
{
  if (as_box)
    return limner_overlap_iou ((const double *) shape->points->data, 2, TRUE, ref->box, 2, TRUE);
  return limner_overlap_iou ((const double *) shape->points->data, shape->points->len / 2, FALSE,
                             (const double *) ref->polygon->data, ref->polygon->len / 2, FALSE);
}

static void
test_assist (void)
{
  g_autofree char *project_dir = g_build_filename (tmp_root, "project", NULL);
  g_autoptr(LimnerStore) store = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  const LimnerReferenceShape *object, *box_object;
  const LimnerShape *shape;
  LimnerAnnotatePage *page;
  LimnerDocument *document;
  LimnerCanvas *canvas;
  State state = { 0 };
  double cx, cy, rough[4], before, after, iou, zoom, ax, ay, bx, by, corner;
  const GArray *draft, *path;
  guint n_path;
  gint64 image_id, polygon_id, rectangle = 0;
  guint n_shapes;

  store = limner_store_create (project_dir, "Assist", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (limner_demo_generate (store, NULL, N_IMAGES, LIMNER_DEMO_DEFAULT_SEED, NULL, NULL, NULL,
                                       NULL, &error));
  g_assert_no_error (error);
  refs = limner_store_list_reference_shapes (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refs->len, >, 1);
  object = pick_object (refs, 0, 0);
  labels = limner_store_list_labels (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (((LimnerLabel *) g_ptr_array_index (labels, i))->name, "rectangle"))
      rectangle = ((LimnerLabel *) g_ptr_array_index (labels, i))->id;
  g_assert_cmpint (rectangle, !=, 0);
  /* Tightening looks for edges up to 20 % of the box's size outside it:
   * another object's there would pull the side out. */
  box_object = pick_object (refs, rectangle, 0.4);

  state.window = limner_window_new (GTK_APPLICATION (limner_test_app_get ()));
  gtk_window_set_default_size (GTK_WINDOW (state.window), 1200, 800);
  gtk_window_present (GTK_WINDOW (state.window));
  g_assert_true (limner_window_open_store (state.window, store, &error));
  g_assert_no_error (error);
  g_assert_true (limner_test_wait_for (grid_loaded, &state, TIMEOUT_MS));
  image_id = object->image_id;
  show_image (&state, image_id);
  page = limner_window_get_annotate_page (state.window);
  canvas = state.canvas = limner_annotate_page_get_canvas (page);
  document = limner_canvas_get_document (canvas);
  n_shapes = limner_document_get_n_shapes (document);
  cx = (object->box[0] + object->box[2]) / 2;
  cy = (object->box[1] + object->box[3]) / 2;

  /* W, a click inside the object, then Enter. */
  press_key (canvas, GDK_KEY_w);
  g_assert_cmpint (limner_canvas_get_tool (canvas), ==, LIMNER_CANVAS_TOOL_WAND);
  g_assert_null (limner_canvas_get_wand_proposal (canvas));
  click_image (canvas, cx, cy);
  g_assert_true (limner_test_wait_for (proposal_shown, &state, TIMEOUT_MS));
  g_assert_cmpuint (limner_canvas_get_wand_proposal (canvas)->len, >=, 6);
  limner_test_iterate (50);   /* drawn at least once, dashed */
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, n_shapes);
  press_key (canvas, GDK_KEY_Return);
  g_assert_null (limner_canvas_get_wand_proposal (canvas));
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, n_shapes + 1);
  polygon_id = limner_canvas_get_selected_shape (canvas);
  shape = limner_document_get_shape (document, polygon_id);
  g_assert_nonnull (shape);
  g_assert_cmpint (shape->kind, ==, LIMNER_SHAPE_POLYGON);
  g_assert_cmpint (shape->label_id, ==, limner_canvas_get_current_label (canvas));
  iou = iou_with (shape, object, FALSE);
  g_test_message ("wand: IoU %.3f with the reference, %u vertices", iou, shape->points->len / 2);
  g_assert_cmpfloat (iou, >=, 0.9);

  /* Undoable like any other shape. */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.undo", NULL);
  g_assert_null (limner_document_get_shape (document, polygon_id));
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.redo", NULL);
  g_assert_nonnull (limner_document_get_shape (document, polygon_id));

  /* And saved. */
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  stored = limner_store_list_shapes (store, image_id, &error);
  g_assert_no_error (error);
  shape = NULL;
  for (guint i = 0; i < stored->len; i++)
    if (((LimnerShape *) g_ptr_array_index (stored, i))->id == polygon_id)
      shape = g_ptr_array_index (stored, i);
  g_assert_nonnull (shape);
  g_assert_cmpfloat (iou_with (shape, object, FALSE), >=, 0.9);

  /* [ and ] change the tolerance, within 0–255, and the status bar shows it. */
  g_assert_cmpint (limner_canvas_get_wand_tolerance (canvas), ==, LIMNER_WAND_DEFAULT_TOLERANCE);
  {
    g_autofree char *text = g_strdup_printf ("wand tolerance %d", LIMNER_WAND_DEFAULT_TOLERANCE);

    g_assert_true (shows_text (GTK_WIDGET (page), text));
  }
  press_key (canvas, GDK_KEY_bracketright);
  g_assert_cmpint (limner_canvas_get_wand_tolerance (canvas), >, LIMNER_WAND_DEFAULT_TOLERANCE);
  {
    g_autofree char *text = g_strdup_printf ("wand tolerance %d",
                                             limner_canvas_get_wand_tolerance (canvas));

    g_assert_true (shows_text (GTK_WIDGET (page), text));
  }
  press_key (canvas, GDK_KEY_bracketleft);
  press_key (canvas, GDK_KEY_bracketleft);
  g_assert_cmpint (limner_canvas_get_wand_tolerance (canvas), <, LIMNER_WAND_DEFAULT_TOLERANCE);
  limner_canvas_set_wand_tolerance (canvas, 300);
  g_assert_cmpint (limner_canvas_get_wand_tolerance (canvas), ==, 255);
  limner_canvas_set_wand_tolerance (canvas, LIMNER_WAND_DEFAULT_TOLERANCE);

  /* Escape drops a proposal, and leaves the tool only when pressed again. */
  click_image (canvas, cx, cy);
  g_assert_true (limner_test_wait_for (proposal_shown, &state, TIMEOUT_MS));
  press_key (canvas, GDK_KEY_Escape);
  g_assert_null (limner_canvas_get_wand_proposal (canvas));
  g_assert_cmpint (limner_canvas_get_tool (canvas), ==, LIMNER_CANVAS_TOOL_WAND);
  /* A result still on its way after Escape is not shown. */
  click_image (canvas, cx, cy);
  press_key (canvas, GDK_KEY_Escape);
  limner_test_iterate (500);
  g_assert_null (limner_canvas_get_wand_proposal (canvas));
  /* Ctrl+click cuts a region out: here the whole object, so nothing is
   * left to propose. */
  click_image (canvas, cx, cy);
  g_assert_true (limner_test_wait_for (proposal_shown, &state, TIMEOUT_MS));
  click_image_with (canvas, cx, cy, GDK_CONTROL_MASK);
  g_assert_true (limner_test_wait_for (no_proposal, &state, TIMEOUT_MS));
  press_key (canvas, GDK_KEY_Return);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, n_shapes + 1);
  /* Another tool drops it too. */
  click_image (canvas, cx, cy);
  g_assert_true (limner_test_wait_for (proposal_shown, &state, TIMEOUT_MS));
  press_key (canvas, GDK_KEY_b);
  g_assert_null (limner_canvas_get_wand_proposal (canvas));
  g_assert_false (shows_text (GTK_WIDGET (page), "wand tolerance"));
  press_key (canvas, GDK_KEY_Return);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, n_shapes + 1);

  /* T: a rough box, 8 % of a rectangle's size off on every side, moves to
   * its edges. */
  object = box_object;
  if (object->image_id != image_id)
    {
      show_image (&state, object->image_id);
      document = limner_canvas_get_document (canvas);
    }
  press_key (canvas, GDK_KEY_b);
  rough[0] = object->box[0] - 0.08 * (object->box[2] - object->box[0]);
  rough[1] = object->box[1] - 0.08 * (object->box[3] - object->box[1]);
  rough[2] = object->box[2] + 0.08 * (object->box[2] - object->box[0]);
  rough[3] = object->box[3] + 0.08 * (object->box[3] - object->box[1]);
  drag_box (canvas, rough);
  state.shape_id = limner_canvas_get_selected_shape (canvas);
  g_assert_cmpint (state.shape_id, !=, 0);
  shape = limner_document_get_shape (document, state.shape_id);
  g_assert_cmpint (shape->kind, ==, LIMNER_SHAPE_BOX);
  memcpy (state.box, shape->points->data, sizeof state.box);
  before = iou_with (shape, object, TRUE);
  /* One press is enough, whatever the live refresh does meanwhile (a read
   * of the shapes older than the box once took the box back; see
   * test-app-live-refresh). */
  press_key (canvas, GDK_KEY_t);
  g_assert_true (limner_test_wait_for (box_changed, &state, TIMEOUT_MS));
  shape = limner_document_get_shape (document, state.shape_id);
  after = iou_with (shape, object, TRUE);
  g_test_message ("tighten: box IoU %.3f before, %.3f after; object %g,%g-%g,%g label %" G_GINT64_FORMAT
                  ", rough %g,%g-%g,%g, tightened %g,%g-%g,%g", before, after,
                  object->box[0], object->box[1], object->box[2], object->box[3], object->label_id,
                  state.box[0], state.box[1], state.box[2], state.box[3],
                  g_array_index (shape->points, double, 0), g_array_index (shape->points, double, 1),
                  g_array_index (shape->points, double, 2), g_array_index (shape->points, double, 3));
  g_assert_cmpfloat (after, >, before);
  g_assert_cmpfloat (after, >=, 0.9);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.undo", NULL);
  shape = limner_document_get_shape (document, state.shape_id);
  g_assert_cmpmem (shape->points->data, sizeof state.box, state.box, sizeof state.box);

  /* P: a vertex clicked near the top edge snaps onto it. */
  press_key (canvas, GDK_KEY_p);
  zoom = limner_canvas_get_zoom (canvas);
  ax = object->box[0] + 0.3 * (object->box[2] - object->box[0]);
  ay = object->box[1] + 4 / zoom;
  state.box[1] = ay;
  click_image (canvas, ax, ay);
  g_assert_true (limner_test_wait_for (first_vertex_snapped, &state, TIMEOUT_MS));
  draft = limner_canvas_get_draft (canvas);
  g_test_message ("snap: %g,%g to %g,%g (top edge at %g, zoom %g)", ax, ay,
                  g_array_index (draft, double, 0), g_array_index (draft, double, 1),
                  object->box[1], zoom);
  g_assert_cmpfloat (fabs (g_array_index (draft, double, 1) - object->box[1]), <=, 1.5 / zoom + 1);

  /* With Shift, the path to a point of the right edge follows the edges
   * round the corner instead of cutting across. */
  bx = object->box[2];
  by = object->box[1] + 0.4 * (object->box[3] - object->box[1]);
  {
    double x, y;

    limner_canvas_image_to_widget (canvas, bx, by, &x, &y);
    limner_canvas_pointer_motion (canvas, x, y, GDK_SHIFT_MASK);
    state.pointer[0] = bx;
    state.pointer[1] = by;
    state.pointer_sent = g_get_monotonic_time ();
  }
  g_assert_true (limner_test_wait_for (scissors_shown, &state, TIMEOUT_MS));
  /* The X server's own pointer events may have moved the pointer meanwhile:
   * back to the point, without running the main loop until the click. */
  {
    double x, y;

    limner_canvas_image_to_widget (canvas, bx, by, &x, &y);
    limner_canvas_pointer_motion (canvas, x, y, GDK_SHIFT_MASK);
  }
  path = limner_canvas_get_scissors_path (canvas);
  g_assert_nonnull (path);
  corner = G_MAXDOUBLE;
  for (guint i = 0; i < path->len / 2; i++)
    {
      double x = g_array_index (path, double, 2 * i), y = g_array_index (path, double, 2 * i + 1);

      /* A few screen pixels off where the background's noise is strong;
       * the straight line would be tens. */
      g_assert_cmpfloat (distance_to_box (object->box, x, y), <=, 8 / zoom);
      corner = MIN (corner, hypot (x - object->box[2], y - object->box[1]));
    }
  g_test_message ("scissors: %u points, nearest %.1f px from the corner", path->len / 2, corner);
  g_assert_cmpfloat (corner, <=, 4 / zoom + 2);
  n_path = path->len / 2;
  click_image_with (canvas, bx, by, GDK_SHIFT_MASK);
  draft = limner_canvas_get_draft (canvas);
  g_assert_cmpuint (draft->len / 2, ==, n_path);

  /* Alt places a vertex just off the bottom edge where clicked. */
  cx = ax;
  cy = object->box[3] + 3 / zoom;
  click_image_with (canvas, cx, cy, GDK_ALT_MASK);
  limner_test_iterate (300);
  draft = limner_canvas_get_draft (canvas);
  g_assert_cmpuint (draft->len / 2, ==, n_path + 1);
  /* As clicked, give or take the widget's rounding; a snap moves pixels. */
  g_assert_cmpfloat_with_epsilon (g_array_index (draft, double, 2 * n_path), cx, 0.01);
  g_assert_cmpfloat_with_epsilon (g_array_index (draft, double, 2 * n_path + 1), cy, 0.01);
  n_shapes = limner_document_get_n_shapes (document);
  press_key (canvas, GDK_KEY_Return);
  g_assert_cmpuint (limner_document_get_n_shapes (document), ==, n_shapes + 1);

  gtk_window_destroy (GTK_WINDOW (state.window));
  limner_test_iterate (50);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = limner_test_app_init (&argc, &argv, "limner-app-assist");

  g_test_add_func ("/app/assist/wand-tighten-snap-scissors", test_assist);

  status = g_test_run ();

  limner_test_app_clear ();
  limner_test_app_finish (g_steal_pointer (&tmp_root));
  return status;
}
