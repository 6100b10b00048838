/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Display test of the canvas: drives it like a pointer (press, motion and
 * release at widget coordinates), checks the document and the store, and
 * renders the widget to a texture to look at its pixels. Needs a display
 * (xvfb-run); without one gtk_init() fails and so does the test. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <vips/vips.h>

#include "limner-annotate-page.h"
#include "limner-canvas.h"
#include "limner-core.h"
#include "limner-document.h"
#include "limner-store-writer.h"
#include "limner-store.h"
#include "limner-tile-source.h"
#include "limner-test-util.h"

#define IMAGE_W 600
#define IMAGE_H 400

typedef struct {
  char              *dir;
  char              *image_path;
  LimnerStore       *store;
  LimnerStoreWriter *writer;
  LimnerDocument    *document;
  LimnerTileSource  *source;
  GtkWidget         *window;
  LimnerCanvas      *canvas;
  gint64             image_id;
  gint64             label_red;  /* a label drawn in pure blue, confusingly named "car" */
  gint64             label_two;
} Fixture;

/* --- Helpers --------------------------------------------------------------- */

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("timed out: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* The image: the left half red, the right half green, with a white square
 * at (500..560, 300..360). Written as PNG so the pixels are exact. */
static char *
make_image (const char *dir)
{
  char *path = g_build_filename (dir, "photo.png", NULL);
  VipsImage *context = vips_image_new ();
  VipsImage **t = (VipsImage **) vips_object_local_array (VIPS_OBJECT (context), 10);
  double red[3] = { 255, 0, 0 };
  double green[3] = { 0, 255, 0 };
  double white[3] = { 255, 255, 255 };

  if (vips_black (&t[0], IMAGE_W / 2, IMAGE_H, "bands", 3, NULL) ||
      vips_linear (t[0], &t[1], (double[3]) { 1, 1, 1 }, red, 3, NULL) ||
      vips_linear (t[0], &t[2], (double[3]) { 1, 1, 1 }, green, 3, NULL) ||
      vips_join (t[1], t[2], &t[3], VIPS_DIRECTION_HORIZONTAL, NULL) ||
      vips_draw_rect (t[3], white, 3, 500, 300, 60, 60, "fill", TRUE, NULL) ||
      vips_cast_uchar (t[3], &t[4], NULL) ||
      vips_copy (t[4], &t[5], "interpretation", VIPS_INTERPRETATION_sRGB, NULL) ||
      vips_image_write_to_file (t[5], path, NULL))
    g_error ("cannot make the test image: %s", vips_error_buffer ());
  g_object_unref (context);
  return path;
}

static gint64
add_image (LimnerStore *store,
           const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *relative = NULL;
  gsize length;
  gint64 id;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  relative = limner_store_relativize_path (store, path);
  id = limner_store_add_image (store, relative, sha, length, IMAGE_W, IMAGE_H, "png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  GtkWidget *scrolled;

  f->dir = g_dir_make_tmp ("limner-canvas-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *project = g_build_filename (f->dir, "project", NULL);

    f->store = limner_store_create (project, "Canvas test", NULL, &error);
    g_assert_no_error (error);
  }
  f->image_path = make_image (f->dir);
  f->image_id = add_image (f->store, f->image_path);
  f->label_red = limner_store_add_label (f->store, "car", "#0000ff", NULL, "Whole vehicle", &error);
  g_assert_no_error (error);
  f->label_two = limner_store_add_label (f->store, "person", "#ffffff", "x", NULL, &error);
  g_assert_no_error (error);

  f->writer = limner_store_writer_new_sync (f->store);
  f->document = limner_document_open (f->store, f->writer, f->image_id, &error);
  g_assert_no_error (error);
  f->source = limner_tile_source_new (f->image_path, &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  scrolled = gtk_scrolled_window_new ();
  f->canvas = LIMNER_CANVAS (limner_canvas_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->canvas));
  gtk_window_set_child (GTK_WINDOW (f->window), scrolled);

  labels = limner_store_list_labels (f->store, &error);
  g_assert_no_error (error);
  limner_canvas_set_labels (f->canvas, labels);
  limner_canvas_set_source (f->canvas, f->source);
  limner_canvas_set_document (f->canvas, f->document);
  gtk_window_present (GTK_WINDOW (f->window));

  /* Wait until the canvas has its size. */
  {
    guint timeout = g_timeout_add_seconds (20, on_timeout, (gpointer) "window mapped");

    while (gtk_widget_get_width (GTK_WIDGET (f->canvas)) < 100 ||
           !gtk_widget_get_mapped (GTK_WIDGET (f->canvas)))
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (timeout);
  }
  limner_canvas_zoom_fit (f->canvas);
  limner_test_iterate (50);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  limner_test_iterate (20);
  g_clear_object (&f->source);
  g_clear_object (&f->document);
  g_clear_object (&f->writer);
  g_clear_object (&f->store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_free (f->image_path);
  g_free (f->dir);
}

/* Pointer gestures at image coordinates, through the canvas' own handlers. */
static void
to_widget (Fixture *f,
           double   ix,
           double   iy,
           double  *x,
           double  *y)
{
  limner_canvas_image_to_widget (f->canvas, ix, iy, x, y);
}

static void
drag_image (Fixture         *f,
            guint            button,
            double           ix0,
            double           iy0,
            double           ix1,
            double           iy1,
            GdkModifierType  state)
{
  double x0, y0, x1, y1;

  to_widget (f, ix0, iy0, &x0, &y0);
  to_widget (f, ix1, iy1, &x1, &y1);
  limner_canvas_pointer_press (f->canvas, button, 1, x0, y0, state);
  for (int i = 1; i <= 5; i++)
    limner_canvas_pointer_motion (f->canvas, x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, state);
  limner_canvas_pointer_release (f->canvas, button, x1, y1, state);
}

static void
click_image (Fixture *f,
             double   ix,
             double   iy,
             int      n_press)
{
  double x, y;

  to_widget (f, ix, iy, &x, &y);
  limner_canvas_pointer_motion (f->canvas, x, y, 0);
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, n_press, x, y, 0);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, x, y, 0);
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->canvas), action, parameter));
}

/* Presses `keyval` (no modifiers) on the canvas the way its key bindings see
 * it: the shortcut with that trigger, activated. */
static void
press_key (Fixture *f,
           guint    keyval)
{
  GtkWidget *widget = GTK_WIDGET (f->canvas);
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

static const LimnerShape *
only_shape (Fixture *f)
{
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 1);
  return limner_document_get_nth_shape (f->document, 0);
}

static void
assert_points (const LimnerShape *shape,
               const double      *expected,
               guint              n_values,
               double             tolerance)
{
  g_assert_cmpuint (shape->points->len, ==, n_values);
  for (guint i = 0; i < n_values; i++)
    if (fabs (g_array_index (shape->points, double, i) - expected[i]) > tolerance)
      g_error ("coordinate %u: expected %g, got %g", i, expected[i],
               g_array_index (shape->points, double, i));
}

/* The store's copy of the image's shapes (the writer is synchronous). */
static GPtrArray *
stored_shapes (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *shapes;

  g_assert_true (limner_store_writer_flush (f->writer, &error));
  g_assert_no_error (error);
  shapes = limner_store_list_shapes (f->store, f->image_id, &error);
  g_assert_no_error (error);
  return shapes;
}

/* --- Rendering ------------------------------------------------------------- */

typedef struct {
  int     width;
  int     height;
  gsize   stride;
  guint8 *data;  /* cairo ARGB32: B, G, R, A in memory on little endian */
} Pixels;

static void
pixels_free (Pixels *p)
{
  g_free (p->data);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pixels, pixels_free)

/* Snapshots the canvas and renders it with the window's renderer. */
static Pixels *
render_canvas (Fixture *f)
{
  GtkWidget *widget = GTK_WIDGET (f->canvas);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  Pixels *p = g_new0 (Pixels, 1);
  guint timeout = g_timeout_add_seconds (10, on_timeout, (gpointer) "a snapshot");

  p->width = gtk_widget_get_width (widget);
  p->height = gtk_widget_get_height (widget);
  /* The paintable draws nothing while a new allocation is pending (after a
   * zoom, the scrolled window lays out again): let the frame clock run. */
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, p->width, p->height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timeout);

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, p->width, p->height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, p->width);
  /* For a person debugging a failure: LIMNER_TEST_DUMP=DIR keeps the frames. */
  if (g_getenv ("LIMNER_TEST_DUMP") != NULL)
    {
      static int n;
      g_autofree char *name = g_strdup_printf ("%s/canvas-%03d.png", g_getenv ("LIMNER_TEST_DUMP"), n++);

      gdk_texture_save_to_png (texture, name);
    }
  p->stride = p->width * 4;
  p->data = g_malloc (p->stride * p->height);
  gdk_texture_download (texture, p->data, p->stride);
  return p;
}

/* Renders until every tile and overlay tile is in. */
static Pixels *
render_complete (Fixture *f)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, (gpointer) "tiles");
  Pixels *p = NULL;

  for (;;)
    {
      g_clear_pointer (&p, pixels_free);
      p = render_canvas (f);
      if (limner_canvas_is_complete (f->canvas) &&
          limner_tile_source_get_n_pending (f->source) == 0)
        break;
      limner_test_iterate (20);
    }
  g_source_remove (timeout);
  return p;
}

/* The canvas' next frame, drawn at once as the frame clock would draw it
 * (no main loop turn between an input and this frame), rendered to pixels.
 * `ms` is how long the canvas took to snapshot it. */
static Pixels *
render_next_frame (Fixture *f,
                   double  *ms)
{
  GtkWidget *widget = GTK_WIDGET (f->canvas);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  Pixels *p = g_new0 (Pixels, 1);
  gint64 start;

  p->width = gtk_widget_get_width (widget);
  p->height = gtk_widget_get_height (widget);
  start = g_get_monotonic_time ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, p->width, p->height));
  p->stride = p->width * 4;
  p->data = g_malloc (p->stride * p->height);
  gdk_texture_download (texture, p->data, p->stride);
  return p;
}

/* How many pixels are the yellow of unlabelled shapes' outlines. */
static guint
count_yellow (const Pixels *p)
{
  guint n = 0;

  for (int y = 0; y < p->height; y++)
    for (int x = 0; x < p->width; x++)
      {
        const guint8 *q = p->data + y * p->stride + x * 4;

        if (q[2] > 200 && q[1] > 160 && q[0] < 80)
          n++;
      }
  return n;
}

static void
pixel_at (const Pixels *p,
          double        x,
          double        y,
          int          *r,
          int          *g,
          int          *b)
{
  int px = (int) floor (x), py = (int) floor (y);
  const guint8 *q;

  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, p->width);
  g_assert_cmpint (py, <, p->height);
  q = p->data + py * p->stride + px * 4;
  *b = q[0];
  *g = q[1];
  *r = q[2];
}

static void
assert_image_pixel (Fixture      *f,
                    const Pixels *p,
                    double        ix,
                    double        iy,
                    int           er,
                    int           eg,
                    int           eb,
                    int           tolerance)
{
  double x, y;
  int r, g, b;

  to_widget (f, ix, iy, &x, &y);
  pixel_at (p, x, y, &r, &g, &b);
  if (ABS (r - er) > tolerance || ABS (g - eg) > tolerance || ABS (b - eb) > tolerance)
    g_error ("image point (%g, %g) at widget (%g, %g): expected %d,%d,%d, got %d,%d,%d",
             ix, iy, x, y, er, eg, eb, r, g, b);
}

/* TRUE if a pixel within one pixel of widget point (x, y) is `rgb`-ish. */
static gboolean
outline_near (const Pixels *p,
              double        x,
              double        y,
              int           er,
              int           eg,
              int           eb)
{
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++)
      {
        int r, g, b;

        pixel_at (p, x + dx, y + dy, &r, &g, &b);
        if (ABS (r - er) < 40 && ABS (g - eg) < 40 && ABS (b - eb) < 40)
          return TRUE;
      }
  return FALSE;
}

/* --- Tests ----------------------------------------------------------------- */

static void
test_fit_and_pixels (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Pixels) p = NULL;
  double x, y;
  int r, g, b;

  /* Fitted: the whole image shows, as large as the canvas allows. */
  {
    double w = gtk_widget_get_width (GTK_WIDGET (f->canvas));
    double h = gtk_widget_get_height (GTK_WIDGET (f->canvas));

    g_assert_cmpfloat (fabs (limner_canvas_get_zoom (f->canvas) -
                             MIN (w / IMAGE_W, h / IMAGE_H)), <, 1e-9);
  }
  to_widget (f, 0, 0, &x, &y);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  to_widget (f, IMAGE_W, IMAGE_H, &x, &y);
  g_assert_cmpfloat (x, <=, gtk_widget_get_width (GTK_WIDGET (f->canvas)) + 0.5);
  g_assert_cmpfloat (y, <=, gtk_widget_get_height (GTK_WIDGET (f->canvas)) + 0.5);

  p = render_complete (f);
  assert_image_pixel (f, p, 100, 100, 255, 0, 0, 8);
  assert_image_pixel (f, p, 450, 100, 0, 255, 0, 8);
  assert_image_pixel (f, p, 530, 330, 255, 255, 255, 8);
  assert_image_pixel (f, p, 10, 390, 255, 0, 0, 8);

  /* Outside the image: the canvas background, not red or green. */
  to_widget (f, IMAGE_W / 2.0, IMAGE_H, &x, &y);
  if (y + 5 < p->height)
    {
      pixel_at (p, x, y + 5, &r, &g, &b);
      g_assert_cmpint (r, <, 80);
      g_assert_cmpint (g, <, 80);
    }
}

static void
test_draw_box (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(Pixels) p = NULL;
  const LimnerShape *shape;
  double tolerance = 1.0 / limner_canvas_get_zoom (f->canvas) + 1e-6;
  double x, y;

  limner_canvas_set_current_label (f->canvas, f->label_red);
  activate (f, "canvas.tool", g_variant_new_string ("box"));
  g_assert_cmpint (limner_canvas_get_tool (f->canvas), ==, LIMNER_CANVAS_TOOL_BOX);

  /* Dragged from bottom-right to top-left: stored normalised. */
  drag_image (f, GDK_BUTTON_PRIMARY, 250, 200, 100, 120, 0);
  shape = only_shape (f);
  g_assert_cmpint (shape->kind, ==, LIMNER_SHAPE_BOX);
  g_assert_cmpint (shape->label_id, ==, f->label_red);
  assert_points (shape, (double[]) { 100, 120, 250, 200 }, 4, tolerance);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, shape->id);

  /* A click is not a box. */
  click_image (f, 400, 300, 1);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 1);

  stored = stored_shapes (f);
  g_assert_cmpuint (stored->len, ==, 1);
  assert_points (g_ptr_array_index (stored, 0), (double[]) { 100, 120, 250, 200 }, 4, tolerance);
  g_assert_cmpint (((LimnerShape *) g_ptr_array_index (stored, 0))->label_id, ==, f->label_red);

  /* Deselected, the box is in the cached overlay: blue outline over the
   * image, the image still visible inside through the light fill. */
  activate (f, "canvas.escape", NULL);   /* box tool -> select tool */
  activate (f, "canvas.escape", NULL);   /* selection -> none */
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, 0);
  p = render_complete (f);
  to_widget (f, 100, 160, &x, &y);
  g_assert_true (outline_near (p, x, y, 0, 0, 255));
  to_widget (f, 175, 120, &x, &y);
  g_assert_true (outline_near (p, x, y, 0, 0, 255));
  {
    int r, g, b;

    to_widget (f, 175, 160, &x, &y);
    pixel_at (p, x, y, &r, &g, &b);
    g_assert_cmpint (r, >, 150);     /* the red image... */
    g_assert_cmpint (b, >, 20);      /* ...under a blue fill */
    g_assert_cmpint (g, <, 30);
  }
  assert_image_pixel (f, p, 60, 60, 255, 0, 0, 8);
}

/* Drawing a box, then P and 2 ("the next shape is a person"): the box keeps
 * its label, and the polygon drawn next gets the new one. */
static void
test_tool_switch_drops_selection (Fixture       *f,
                                  gconstpointer  data)
{
  const LimnerShape *box;
  gint64 box_id;

  limner_canvas_set_current_label (f->canvas, f->label_red);
  press_key (f, GDK_KEY_b);
  g_assert_cmpint (limner_canvas_get_tool (f->canvas), ==, LIMNER_CANVAS_TOOL_BOX);
  drag_image (f, GDK_BUTTON_PRIMARY, 100, 100, 200, 180, 0);
  box_id = only_shape (f)->id;
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, box_id);

  press_key (f, GDK_KEY_p);
  g_assert_cmpint (limner_canvas_get_tool (f->canvas), ==, LIMNER_CANVAS_TOOL_POLYGON);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, 0);
  press_key (f, GDK_KEY_2);
  g_assert_cmpint (limner_canvas_get_current_label (f->canvas), ==, f->label_two);
  box = limner_document_get_shape (f->document, box_id);
  g_assert_nonnull (box);
  g_assert_cmpint (box->label_id, ==, f->label_red);

  click_image (f, 300, 100, 1);
  click_image (f, 380, 100, 1);
  click_image (f, 340, 180, 1);
  press_key (f, GDK_KEY_Return);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const LimnerShape *shape = limner_document_get_nth_shape (f->document, i);

      g_assert_cmpint (shape->label_id, ==,
                       shape->kind == LIMNER_SHAPE_BOX ? f->label_red : f->label_two);
    }

  /* Back to the select tool (V), the shape just drawn stays selected. */
  press_key (f, GDK_KEY_v);
  g_assert_cmpint (limner_canvas_get_tool (f->canvas), ==, LIMNER_CANVAS_TOOL_SELECT);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), !=, 0);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), !=, box_id);
}

static void
test_draw_polygon (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) stored = NULL;
  const LimnerShape *shape;
  double tolerance = 1.0 / limner_canvas_get_zoom (f->canvas) + 1e-6;

  activate (f, "canvas.tool", g_variant_new_string ("polygon"));

  /* Escape cancels a polygon being drawn. */
  click_image (f, 10, 10, 1);
  click_image (f, 50, 10, 1);
  g_assert_true (limner_canvas_get_drawing (f->canvas));
  activate (f, "canvas.escape", NULL);
  g_assert_false (limner_canvas_get_drawing (f->canvas));
  g_assert_cmpint (limner_canvas_get_tool (f->canvas), ==, LIMNER_CANVAS_TOOL_POLYGON);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);

  /* Click, click, click, Backspace takes the last back, click, then a
   * click on the first vertex closes. */
  click_image (f, 300, 50, 1);
  click_image (f, 450, 80, 1);
  click_image (f, 500, 150, 1);
  activate (f, "canvas.backspace", NULL);
  click_image (f, 400, 250, 1);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);
  click_image (f, 300.5, 50.5, 1);
  g_assert_false (limner_canvas_get_drawing (f->canvas));

  shape = only_shape (f);
  g_assert_cmpint (shape->kind, ==, LIMNER_SHAPE_POLYGON);
  assert_points (shape, (double[]) { 300, 50, 450, 80, 400, 250 }, 6, tolerance);

  /* A double-click closes too (its first click placed the last vertex)... */
  click_image (f, 20, 300, 1);
  click_image (f, 120, 300, 1);
  click_image (f, 70, 380, 1);
  click_image (f, 70, 380, 2);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 2);
  assert_points (limner_document_get_nth_shape (f->document, 1),
                 (double[]) { 20, 300, 120, 300, 70, 380 }, 6, tolerance);

  /* ...and so does Enter, but not with two vertices. */
  click_image (f, 200, 300, 1);
  click_image (f, 260, 300, 1);
  activate (f, "canvas.finish", NULL);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 2);
  click_image (f, 230, 380, 1);
  activate (f, "canvas.finish", NULL);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 3);

  stored = stored_shapes (f);
  g_assert_cmpuint (stored->len, ==, 3);
  assert_points (g_ptr_array_index (stored, 0), (double[]) { 300, 50, 450, 80, 400, 250 }, 6,
                 tolerance);
}

static gint64
add_polygon (Fixture *f)
{
  g_autoptr(LimnerShape) shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
  g_autoptr(GError) error = NULL;
  double points[] = { 100, 100, 300, 100, 300, 300, 100, 300 };
  gint64 id;

  g_array_append_vals (shape->points, points, G_N_ELEMENTS (points));
  id = limner_document_add_shape (f->document, shape, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_edit_vertex_undo_redo (Fixture       *f,
                            gconstpointer  data)
{
  double moved[] = { 100, 100, 300, 100, 350, 330, 100, 300 };
  double original[] = { 100, 100, 300, 100, 300, 300, 100, 300 };
  double tolerance = 1.0 / limner_canvas_get_zoom (f->canvas) + 1e-6;
  gint64 id = add_polygon (f);
  g_autoptr(Pixels) p = NULL;
  double x, y;

  /* Select it by clicking inside, then drag vertex 2. */
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id);
  drag_image (f, GDK_BUTTON_PRIMARY, 300, 300, 350, 330, 0);
  assert_points (only_shape (f), moved, 8, tolerance);
  {
    g_autoptr(GPtrArray) stored = stored_shapes (f);

    assert_points (g_ptr_array_index (stored, 0), moved, 8, tolerance);
  }

  activate (f, "canvas.undo", NULL);
  assert_points (only_shape (f), original, 8, 1e-9);
  {
    g_autoptr(GPtrArray) stored = stored_shapes (f);

    assert_points (g_ptr_array_index (stored, 0), original, 8, 1e-9);
  }

  activate (f, "canvas.redo", NULL);
  assert_points (only_shape (f), moved, 8, tolerance);
  {
    g_autoptr(GPtrArray) stored = stored_shapes (f);

    assert_points (g_ptr_array_index (stored, 0), moved, 8, tolerance);
  }

  /* The moved vertex is where the outline is drawn now. */
  activate (f, "canvas.escape", NULL);
  p = render_complete (f);
  to_widget (f, (300 + 350) / 2.0, (100 + 330) / 2.0, &x, &y);
  g_assert_true (outline_near (p, x, y, 0xff, 0xcc, 0x00));
}

static void
test_vertex_insert_delete (Fixture       *f,
                           gconstpointer  data)
{
  gint64 id = add_polygon (f);
  double x, y;

  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id);

  /* A double-click on the top edge adds a vertex there. */
  to_widget (f, 200, 100, &x, &y);
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, 2, x, y, 0);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, x, y, 0);
  g_assert_cmpuint (only_shape (f)->points->len, ==, 10);
  g_assert_cmpfloat (fabs (g_array_index (only_shape (f)->points, double, 2) - 200), <, 1);
  g_assert_cmpfloat (fabs (g_array_index (only_shape (f)->points, double, 3) - 100), <, 1);

  /* Ctrl+click on the bottom edge, too. */
  to_widget (f, 200, 300, &x, &y);
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, 1, x, y, GDK_CONTROL_MASK);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, x, y, GDK_CONTROL_MASK);
  g_assert_cmpuint (only_shape (f)->points->len, ==, 12);

  /* Delete removes the selected vertex, not the shape. */
  activate (f, "canvas.delete", NULL);
  g_assert_cmpuint (only_shape (f)->points->len, ==, 10);
  {
    g_autoptr(GPtrArray) stored = stored_shapes (f);

    g_assert_cmpuint (((LimnerShape *) g_ptr_array_index (stored, 0))->points->len, ==, 10);
  }

  /* Inserting a vertex and dragging it away in the same press is one
   * undo step. */
  {
    guint before = only_shape (f)->points->len;
    double x2, y2;

    to_widget (f, 100, 200, &x, &y);
    to_widget (f, 60, 210, &x2, &y2);
    limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, 1, x, y, GDK_CONTROL_MASK);
    limner_canvas_pointer_motion (f->canvas, x2, y2, GDK_CONTROL_MASK);
    limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, x2, y2, GDK_CONTROL_MASK);
    g_assert_cmpuint (only_shape (f)->points->len, ==, before + 2);
    activate (f, "canvas.undo", NULL);
    g_assert_cmpuint (only_shape (f)->points->len, ==, before);
    activate (f, "canvas.redo", NULL);
    g_assert_cmpuint (only_shape (f)->points->len, ==, before + 2);
    activate (f, "canvas.undo", NULL);
  }

  /* With no vertex selected, Delete removes the shape. */
  click_image (f, 150, 250, 1);
  activate (f, "canvas.delete", NULL);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);
  {
    g_autoptr(GPtrArray) stored = stored_shapes (f);

    g_assert_cmpuint (stored->len, ==, 0);
  }
  activate (f, "canvas.undo", NULL);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 1);
}

static void
test_move_and_resize (Fixture       *f,
                      gconstpointer  data)
{
  double tolerance = 1.0 / limner_canvas_get_zoom (f->canvas) + 1e-6;

  activate (f, "canvas.tool", g_variant_new_string ("box"));
  drag_image (f, GDK_BUTTON_PRIMARY, 100, 100, 200, 150, 0);
  activate (f, "canvas.tool", g_variant_new_string ("select"));

  /* Drag the body: moved. */
  drag_image (f, GDK_BUTTON_PRIMARY, 150, 125, 190, 145, 0);
  assert_points (only_shape (f), (double[]) { 140, 120, 240, 170 }, 4, 2 * tolerance);

  /* Drag the bottom-right handle: resized. */
  drag_image (f, GDK_BUTTON_PRIMARY, 240, 170, 300, 220, 0);
  assert_points (only_shape (f), (double[]) { 140, 120, 300, 220 }, 4, 3 * tolerance);

  /* Drag the left edge's handle past the right edge: still a proper box. */
  drag_image (f, GDK_BUTTON_PRIMARY, 140, 170, 350, 170, 0);
  assert_points (only_shape (f), (double[]) { 300, 120, 350, 220 }, 4, 3 * tolerance);

  /* A move cannot push it out of the image. */
  drag_image (f, GDK_BUTTON_PRIMARY, 325, 170, 900, 170, 0);
  g_assert_cmpfloat (g_array_index (only_shape (f)->points, double, 2), <=, IMAGE_W);
  g_assert_cmpfloat (fabs (g_array_index (only_shape (f)->points, double, 2) - IMAGE_W), <, 1e-6);

  /* Arrow keys nudge. */
  activate (f, "canvas.nudge", g_variant_new ("(ii)", -10, 0));
  g_assert_cmpfloat (fabs (g_array_index (only_shape (f)->points, double, 2) - (IMAGE_W - 10)), <, 1e-6);
}

static void
test_cycle_overlapping (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LimnerShape) a = limner_shape_new (LIMNER_SHAPE_BOX);
  g_autoptr(LimnerShape) b = limner_shape_new (LIMNER_SHAPE_BOX);
  g_autoptr(GError) error = NULL;
  gint64 id_a, id_b;

  g_array_append_vals (a->points, (double[]) { 100, 100, 300, 300 }, 4);
  g_array_append_vals (b->points, (double[]) { 150, 150, 350, 350 }, 4);
  id_a = limner_document_add_shape (f->document, a, &error);
  id_b = limner_document_add_shape (f->document, b, &error);
  g_assert_no_error (error);

  /* The topmost first, then a click on the same spot goes below... */
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id_b);
  limner_test_iterate (500);  /* not a double-click */
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id_a);
  /* ...and Tab goes round. */
  activate (f, "canvas.cycle", NULL);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id_b);
  activate (f, "canvas.cycle", NULL);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id_a);
}

static void
test_labels_hide_lock (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = add_polygon (f);

  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id);

  /* 1 is the first label of the schema, 2 the second. */
  activate (f, "canvas.label", g_variant_new_int32 (2));
  g_assert_cmpint (only_shape (f)->label_id, ==, f->label_two);
  g_assert_cmpint (limner_canvas_get_current_label (f->canvas), ==, f->label_two);
  activate (f, "canvas.label", g_variant_new_int32 (1));
  g_assert_cmpint (only_shape (f)->label_id, ==, f->label_red);
  /* No label 9: nothing happens. */
  activate (f, "canvas.label", g_variant_new_int32 (9));
  g_assert_cmpint (only_shape (f)->label_id, ==, f->label_red);

  /* Hidden shapes cannot be picked; Shift+H shows them again. */
  activate (f, "canvas.toggle-hidden", NULL);
  g_assert_true (limner_document_get_shape_hidden (f->document, id));
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, 0);
  activate (f, "canvas.show-all", NULL);
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id);

  /* Locked shapes neither. */
  activate (f, "canvas.toggle-locked", NULL);
  g_assert_true (limner_document_get_shape_locked (f->document, id));
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, 0);
  activate (f, "canvas.unlock-all", NULL);
  click_image (f, 200, 200, 1);
  g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, id);
}

static void
wait_for_shapes (Fixture        *f,
                 LimnerDocument *document,
                 guint           n)
{
  guint timeout = g_timeout_add_seconds (10, on_timeout, (gpointer) "paste");

  while (limner_document_get_n_shapes (document) < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
test_copy_paste (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerDocument) other = NULL;
  g_autofree char *other_path = NULL;
  gint64 other_id;

  add_polygon (f);
  click_image (f, 200, 200, 1);
  activate (f, "canvas.copy", NULL);

  /* Into the same image: a copy, offset so that it shows. */
  activate (f, "canvas.paste", NULL);
  wait_for_shapes (f, f->document, 2);
  {
    const LimnerShape *copy = limner_document_get_nth_shape (f->document, 1);

    g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), ==, copy->id);
    g_assert_cmpfloat (g_array_index (copy->points, double, 0), >, 100);
  }

  /* Into the next image: in place. */
  other_path = g_build_filename (f->dir, "second.png", NULL);
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (f->image_path, &contents, &length, NULL));
    /* A different file (one more byte after IEND), the same pixels. */
    contents = g_realloc (contents, length + 1);
    contents[length] = '\n';
    g_assert_true (g_file_set_contents (other_path, contents, length + 1, NULL));
  }
  other_id = add_image (f->store, other_path);
  other = limner_document_open (f->store, f->writer, other_id, &error);
  g_assert_no_error (error);
  limner_canvas_set_document (f->canvas, other);
  activate (f, "canvas.paste", NULL);
  wait_for_shapes (f, other, 1);
  assert_points (limner_document_get_nth_shape (other, 0),
                 (double[]) { 100, 100, 300, 100, 300, 300, 100, 300 }, 8, 1e-9);
  {
    g_autoptr(GPtrArray) stored = limner_store_list_shapes (f->store, other_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 1);
  }
  limner_canvas_set_document (f->canvas, f->document);
}

static void
test_navigation (Fixture       *f,
                 gconstpointer  data)
{
  double ix, iy, ix2, iy2, h0, x, y;
  GtkAdjustment *hadj;

  /* Zooming about a point keeps that image point under it. */
  to_widget (f, 300, 200, &x, &y);
  limner_canvas_zoom_at (f->canvas, limner_canvas_get_zoom (f->canvas) * 3, x, y);
  limner_canvas_widget_to_image (f->canvas, x, y, &ix, &iy);
  g_assert_cmpfloat (fabs (ix - 300), <, 1);
  g_assert_cmpfloat (fabs (iy - 200), <, 1);

  /* A middle-button drag pans: the image point under the pointer moves
   * with it. */
  hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (f->canvas));
  h0 = gtk_adjustment_get_value (hadj);
  limner_canvas_widget_to_image (f->canvas, 200, 200, &ix, &iy);
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_MIDDLE, 1, 200, 200, 0);
  limner_canvas_pointer_motion (f->canvas, 150, 180, 0);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_MIDDLE, 150, 180, 0);
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (hadj) - (h0 + 50)), <, 1);
  limner_canvas_widget_to_image (f->canvas, 150, 180, &ix2, &iy2);
  g_assert_cmpfloat (fabs (ix2 - ix), <, 0.5);
  g_assert_cmpfloat (fabs (iy2 - iy), <, 0.5);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);

  /* The scrollbars' adjustments scroll the view. */
  gtk_adjustment_set_value (hadj, 0);
  limner_canvas_widget_to_image (f->canvas, 0, 0, &ix, NULL);
  g_assert_cmpfloat (fabs (ix), <, 0.01);

  /* 100%, fit, zoom in and out from the keyboard. */
  activate (f, "canvas.zoom-100", NULL);
  g_assert_cmpfloat (fabs (limner_canvas_get_zoom (f->canvas) *
                           gtk_widget_get_scale_factor (GTK_WIDGET (f->canvas)) - 1), <, 1e-9);
  activate (f, "canvas.zoom-in", NULL);
  g_assert_cmpfloat (limner_canvas_get_zoom (f->canvas), >, 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (f->canvas)));
  activate (f, "canvas.zoom-out", NULL);
  activate (f, "canvas.zoom-out", NULL);
  g_assert_cmpfloat (limner_canvas_get_zoom (f->canvas), <, 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (f->canvas)));
  activate (f, "canvas.zoom-fit", NULL);
  to_widget (f, 0, 0, &x, &y);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);

}

static void
test_space_pan (Fixture       *f,
                gconstpointer  data)
{
  GtkAdjustment *hadj = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (f->canvas));
  GtkEventController *key = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->canvas));
  double h0;
  gboolean handled = FALSE;

  activate (f, "canvas.tool", g_variant_new_string ("box"));
  limner_canvas_zoom_at (f->canvas, 3, 300, 300);
  h0 = gtk_adjustment_get_value (hadj);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        key = c;
    }
  g_assert_nonnull (key);
  g_signal_emit_by_name (key, "key-pressed", GDK_KEY_space, 0, 0, &handled);
  g_assert_true (handled);
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, 1, 300, 300, 0);
  limner_canvas_pointer_motion (f->canvas, 260, 300, 0);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, 260, 300, 0);
  g_signal_emit_by_name (key, "key-released", GDK_KEY_space, 0, 0);
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (hadj) - (h0 + 40)), <, 1);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);

  /* Without Space the same drag draws a box. */
  limner_canvas_pointer_press (f->canvas, GDK_BUTTON_PRIMARY, 1, 300, 300, 0);
  limner_canvas_pointer_motion (f->canvas, 260, 260, 0);
  limner_canvas_pointer_release (f->canvas, GDK_BUTTON_PRIMARY, 260, 260, 0);
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 1);
}

static void
test_brightness_contrast (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Pixels) dark = NULL;
  g_autoptr(Pixels) grey = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  limner_canvas_set_brightness (f->canvas, -1.0);
  dark = render_complete (f);
  assert_image_pixel (f, dark, 100, 100, 0, 0, 0, 8);

  limner_canvas_set_brightness (f->canvas, 0.0);
  limner_canvas_set_contrast (f->canvas, 0.0);
  grey = render_complete (f);
  assert_image_pixel (f, grey, 100, 100, 128, 128, 128, 8);
  assert_image_pixel (f, grey, 450, 100, 128, 128, 128, 8);

  /* Display only: the pixels on disk and the document are untouched. */
  g_assert_cmpuint (limner_document_get_n_shapes (f->document), ==, 0);
  limner_canvas_set_contrast (f->canvas, 1.0);
}

static void
test_many_shapes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  g_autoptr(Pixels) p = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gint64 start;
  double ms;

  for (int i = 0; i < 5000; i++)
    {
      LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double cx = g_rand_double_range (rand, 20, IMAGE_W - 20);
      double cy = g_rand_double_range (rand, 20, IMAGE_H - 20);

      shape->id = 1000000 + i;
      shape->image_id = f->image_id;
      for (int k = 0; k < 20; k++)
        {
          double x = cx + 10 * cos (k * G_PI / 10), y = cy + 10 * sin (k * G_PI / 10);

          g_array_append_val (shape->points, x);
          g_array_append_val (shape->points, y);
        }
      g_ptr_array_add (shapes, shape);
    }
  limner_document_reset_shapes (f->document, g_steal_pointer (&shapes));
  p = render_complete (f);

  /* With the overlay cached, a frame only composites textures. */
  start = g_get_monotonic_time ();
  for (int i = 0; i < 10; i++)
    {
      g_clear_pointer (&p, pixels_free);
      p = render_canvas (f);
    }
  ms = (g_get_monotonic_time () - start) / 10000.0;
  g_test_message ("cached frame with 5000 polygons: %.1f ms (snapshot + render + download)", ms);
  g_assert_true (limner_canvas_is_complete (f->canvas));

  /* Hit testing finds a shape under a point inside one. */
  {
    const LimnerShape *shape = limner_document_get_nth_shape (f->document, 0);
    LimnerRect bbox = limner_shape_bbox (shape);

    click_image (f, (bbox.x0 + bbox.x1) / 2, (bbox.y0 + bbox.y1) / 2, 1);
    g_assert_cmpint (limner_canvas_get_selected_shape (f->canvas), !=, 0);
  }
}

/* With 5,000 shapes, the first frame after a wheel zoom shows the previous
 * overlay scaled at once, rendering no overlay tile; the new tiles follow in
 * the next frames. */
static void
test_zoom_first_frame (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) limner_shape_free);
  g_autoptr(Pixels) p = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  double w = gtk_widget_get_width (GTK_WIDGET (f->canvas));
  double h = gtk_widget_get_height (GTK_WIDGET (f->canvas));
  double pan_ms, zoom_ms, ms;
  guint yellow;

  for (int i = 0; i < 5000; i++)
    {
      LimnerShape *shape = limner_shape_new (LIMNER_SHAPE_POLYGON);
      double cx = g_rand_double_range (rand, 20, IMAGE_W - 20);
      double cy = g_rand_double_range (rand, 20, IMAGE_H - 20);

      shape->id = 1000000 + i;
      shape->image_id = f->image_id;
      for (int k = 0; k < 20; k++)
        {
          double x = cx + 10 * cos (k * G_PI / 10), y = cy + 10 * sin (k * G_PI / 10);

          g_array_append_val (shape->points, x);
          g_array_append_val (shape->points, y);
        }
      g_ptr_array_add (shapes, shape);
    }
  limner_document_reset_shapes (f->document, g_steal_pointer (&shapes));

  /* Zoomed in a little, so that a pan brings new tiles in. */
  limner_canvas_zoom_at (f->canvas, limner_canvas_get_zoom (f->canvas) * 1.25, w / 2, h / 2);
  p = render_complete (f);
  yellow = count_yellow (p);
  g_assert_cmpuint (yellow, >, 1000);

  /* A pan by a few pixels: for comparison. */
  {
    GtkAdjustment *hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (f->canvas));
    GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->canvas));

    gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_value (hadjustment) + 8);
    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) + 8);
  }
  g_clear_pointer (&p, pixels_free);
  p = render_next_frame (f, &pan_ms);
  g_clear_pointer (&p, pixels_free);
  p = render_complete (f);

  /* A wheel notch, about the centre. */
  limner_canvas_zoom_at (f->canvas, limner_canvas_get_zoom (f->canvas) * 1.25, w / 2, h / 2);
  g_clear_pointer (&p, pixels_free);
  p = render_next_frame (f, &zoom_ms);
  g_test_message ("5000 polygons: first frame after a pan %.1f ms, after a zoom %.1f ms",
                  pan_ms, zoom_ms);
  g_assert_cmpuint (limner_canvas_get_n_overlay_rendered (f->canvas), ==, 0);
  /* The old overlay, scaled, stands in: the outlines are on screen. */
  g_assert_cmpuint (count_yellow (p), >, yellow / 2);
  g_assert_false (limner_canvas_is_complete (f->canvas));

  /* The next frames render the new grid. */
  g_clear_pointer (&p, pixels_free);
  p = render_next_frame (f, &ms);
  g_assert_cmpuint (limner_canvas_get_n_overlay_rendered (f->canvas), >, 0);
  g_clear_pointer (&p, pixels_free);
  p = render_complete (f);
  g_assert_true (limner_canvas_is_complete (f->canvas));
  g_assert_cmpuint (count_yellow (p), >, 1000);
}

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The workspace page around the canvas: its own autosave writer (threaded),
 * the shapes list following the document, labels from the store. */
static void
test_annotate_page (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LimnerImageRecord) record = limner_store_get_image (f->store, f->image_id, &error);
  GtkWidget *window = gtk_window_new ();
  LimnerAnnotatePage *page = LIMNER_ANNOTATE_PAGE (limner_annotate_page_new ());
  LimnerCanvas *canvas;
  GtkListView *list;
  GListModel *model;
  double x0, y0, x1, y1;
  guint timeout;

  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  g_assert_true (limner_annotate_page_set_store (page, f->store, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  limner_annotate_page_set_image (page, record);
  g_assert_cmpint (limner_annotate_page_get_image_id (page), ==, f->image_id);

  canvas = limner_annotate_page_get_canvas (page);
  /* The first label is current until another is chosen. */
  g_assert_cmpint (limner_canvas_get_current_label (canvas), ==, f->label_red);

  timeout = g_timeout_add_seconds (20, on_timeout, (gpointer) "the page's image");
  while (limner_canvas_get_source (canvas) == NULL || gtk_widget_get_width (GTK_WIDGET (canvas)) < 100)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  limner_test_iterate (50);

  limner_canvas_set_tool (canvas, LIMNER_CANVAS_TOOL_BOX);
  limner_canvas_image_to_widget (canvas, 50, 50, &x0, &y0);
  limner_canvas_image_to_widget (canvas, 150, 120, &x1, &y1);
  limner_canvas_pointer_press (canvas, GDK_BUTTON_PRIMARY, 1, x0, y0, 0);
  limner_canvas_pointer_motion (canvas, x1, y1, 0);
  limner_canvas_pointer_release (canvas, GDK_BUTTON_PRIMARY, x1, y1, 0);
  g_assert_cmpuint (limner_document_get_n_shapes (limner_annotate_page_get_document (page)), ==, 1);

  /* The side panel lists it, selected. */
  list = GTK_LIST_VIEW (find_child_of_type (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (list);
  model = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)), ==, 0);
  /* Deleting it empties the list; undo brings it back. */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.delete", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.undo", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Saved through the page's writer, off the main thread. */
  g_assert_true (limner_annotate_page_flush (page, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) stored = limner_store_list_shapes (f->store, f->image_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 1);
    g_assert_cmpint (((LimnerShape *) g_ptr_array_index (stored, 0))->label_id, ==, f->label_red);
  }

  /* Next image and back: the shapes are read again from the store. */
  limner_annotate_page_set_image (page, NULL);
  limner_annotate_page_set_image (page, record);
  g_assert_cmpuint (limner_document_get_n_shapes (limner_annotate_page_get_document (page)), ==, 1);

  g_assert_true (limner_annotate_page_set_store (page, NULL, &error));
  gtk_window_destroy (GTK_WINDOW (window));
  limner_test_iterate (20);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;

  /* No accessibility bus under the test runner. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_init (&argc, &argv, NULL);
  /* A display test without a display is a failure, not a skip. */
  if (!gtk_init_check ())
    g_error ("Cannot open a display; run the app tests under xvfb-run (DISPLAY=%s)",
             g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "(unset)");
  if (!limner_core_init (argv[0], &error))
    g_error ("%s", error->message);

#define ADD(path, func) \
  g_test_add ("/app/canvas/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("fit-and-pixels", test_fit_and_pixels);
  ADD ("draw-box", test_draw_box);
  ADD ("draw-polygon", test_draw_polygon);
  ADD ("tool-switch-drops-selection", test_tool_switch_drops_selection);
  ADD ("edit-vertex-undo-redo", test_edit_vertex_undo_redo);
  ADD ("vertex-insert-delete", test_vertex_insert_delete);
  ADD ("move-and-resize", test_move_and_resize);
  ADD ("cycle-overlapping", test_cycle_overlapping);
  ADD ("labels-hide-lock", test_labels_hide_lock);
  ADD ("copy-paste", test_copy_paste);
  ADD ("navigation", test_navigation);
  ADD ("space-pan", test_space_pan);
  ADD ("brightness-contrast", test_brightness_contrast);
  ADD ("many-shapes", test_many_shapes);
  ADD ("zoom-first-frame", test_zoom_first_frame);
  ADD ("annotate-page", test_annotate_page);

#undef ADD

  return g_test_run ();
}
