/* test-image-annotator.c — the PCB-image annotator, under Xvfb
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "dbw-image-annotator-private.h"
#include "dbw-image-pyramid.h"
#include "dbw-image-view.h"

/* GTK 4 cannot synthesise pointer events, so drags go through the private entry points the
 * gestures call; keys go through the widget's own shortcut table, so a binding that is
 * missing or points at the wrong action fails here. */

#define IMAGE_WIDTH  2000
#define IMAGE_HEIGHT 1500
#define VIEW_WIDTH   800
#define VIEW_HEIGHT  600
#define EPSILON      1e-6

typedef struct
{
  GtkWindow         *window;
  DbwImageAnnotator *annotator;
  GBytes            *png;
  guint              n_changed;
} Fixture;

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Four quadrants of four colours: red, green / blue, white. */
static GBytes *
make_png (int width,
          int height)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, 0, 0, width / 2.0, height / 2.0);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 1, 0);
  cairo_rectangle (cr, width / 2.0, 0, width / 2.0, height / 2.0);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_rectangle (cr, 0, height / 2.0, width / 2.0, height / 2.0);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, width / 2.0, height / 2.0, width / 2.0, height / 2.0);
  cairo_fill (cr);
  cairo_destroy (cr);

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_to_array, array), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static gboolean
annotator_ready (gpointer data)
{
  DbwImageAnnotator *annotator = data;

  return !dbw_image_annotator_get_loading (annotator) &&
         _dbw_image_annotator_get_pyramid (annotator) != NULL &&
         gtk_widget_get_width (GTK_WIDGET (annotator)) == VIEW_WIDTH;
}

static void
on_changed_cb (DbwImageAnnotator *annotator,
               Fixture           *fixture)
{
  fixture->n_changed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->png = make_png (IMAGE_WIDTH, IMAGE_HEIGHT);
  fixture->annotator = g_object_ref_sink (DBW_IMAGE_ANNOTATOR (dbw_image_annotator_new ()));
  g_signal_connect (fixture->annotator, "changed", G_CALLBACK (on_changed_cb), fixture);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_widget_set_size_request (GTK_WIDGET (fixture->annotator), VIEW_WIDTH, VIEW_HEIGHT);
  gtk_window_set_resizable (fixture->window, FALSE);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->annotator));
  gtk_window_present (fixture->window);

  dbw_image_annotator_set_image_bytes (fixture->annotator, fixture->png);
  g_assert_true (dbw_image_annotator_get_loading (fixture->annotator));
  spin_until (annotator_ready, fixture->annotator);
  g_assert_null (dbw_image_annotator_get_error (fixture->annotator));
  gtk_widget_grab_focus (GTK_WIDGET (fixture->annotator));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->annotator;

  gtk_window_destroy (fixture->window);
  g_object_add_weak_pointer (weak, &weak);
  g_object_unref (fixture->annotator);
  /* Nothing keeps the widget alive: no worker, no cycle. */
  spin_until (pointer_is_null, &weak);
  g_bytes_unref (fixture->png);
}

/* Activates what the widget binds to @keyval with @mods, as its shortcut controller does on
 * a key press; FALSE if the action is disabled (the key then goes on to the page). Fails
 * the test if nothing is bound. */
static gboolean
press_key (DbwImageAnnotator *annotator,
           guint              keyval,
           GdkModifierType    mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (annotator));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods &&
              GTK_IS_NAMED_ACTION (action))
            return gtk_shortcut_action_activate (action, GTK_SHORTCUT_ACTION_EXCLUSIVE, GTK_WIDGET (annotator),
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  g_error ("no shortcut for %s with modifiers %x", gdk_keyval_name (keyval), mods);
  return FALSE;
}

static void
drag (DbwImageAnnotator *annotator,
      guint              button,
      double             x0,
      double             y0,
      double             x1,
      double             y1)
{
  _dbw_image_annotator_pointer_press (annotator, button, x0, y0);
  for (int i = 1; i <= 4; i++)
    _dbw_image_annotator_pointer_motion (annotator, x0 + (x1 - x0) * i / 4, y0 + (y1 - y0) * i / 4);
  _dbw_image_annotator_pointer_release (annotator, x1, y1);
}

static void
click (DbwImageAnnotator *annotator,
       double             x,
       double             y)
{
  _dbw_image_annotator_pointer_press (annotator, GDK_BUTTON_PRIMARY, x, y);
  _dbw_image_annotator_pointer_release (annotator, x, y);
}

static void
image_point (DbwImageAnnotator *annotator,
             double             x,
             double             y,
             double            *ix,
             double            *iy)
{
  dbw_image_annotator_view_to_image (annotator, x, y, ix, iy);
  *ix = CLAMP (*ix, 0, IMAGE_WIDTH);
  *iy = CLAMP (*iy, 0, IMAGE_HEIGHT);
}

static void
view_point (DbwImageAnnotator *annotator,
            double             ix,
            double             iy,
            double            *x,
            double            *y)
{
  dbw_image_annotator_image_to_view (annotator, ix, iy, x, y);
}

static const DbwShape *
shape_at (DbwImageAnnotator *annotator,
          guint              index)
{
  DbwShapeSet *shapes = dbw_image_annotator_get_shapes (annotator);

  g_assert_cmpuint (index, <, dbw_shape_set_get_n_shapes (shapes));

  return dbw_shape_set_get_shape (shapes, index);
}

static void
assert_box (const DbwShape *shape,
            double          x,
            double          y,
            double          width,
            double          height)
{
  g_assert_cmpint (shape->kind, ==, DBW_SHAPE_BOX);
  g_assert_cmpfloat_with_epsilon (shape->x, x, EPSILON);
  g_assert_cmpfloat_with_epsilon (shape->y, y, EPSILON);
  g_assert_cmpfloat_with_epsilon (shape->width, width, EPSILON);
  g_assert_cmpfloat_with_epsilon (shape->height, height, EPSILON);
}

static guint
n_shapes (DbwImageAnnotator *annotator)
{
  return dbw_shape_set_get_n_shapes (dbw_image_annotator_get_shapes (annotator));
}

static void
test_fit (Fixture       *fixture,
          gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  double x, y, fit;

  /* 800 / 2000 = 0.4 = 600 / 1500: the image fills the view exactly. */
  /* An empty label made before the image was seen learns its size. */
  g_assert_cmpint (dbw_shape_set_get_image_width (dbw_image_annotator_get_shapes (annotator)), ==, IMAGE_WIDTH);
  g_assert_cmpint (dbw_shape_set_get_image_height (dbw_image_annotator_get_shapes (annotator)), ==, IMAGE_HEIGHT);

  fit = dbw_image_annotator_get_zoom (annotator);
  g_assert_cmpfloat_with_epsilon (fit, 0.4, EPSILON);
  view_point (annotator, 0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, 0, EPSILON);
  view_point (annotator, IMAGE_WIDTH, IMAGE_HEIGHT, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, VIEW_WIDTH, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, VIEW_HEIGHT, EPSILON);

  /* + and - zoom about the middle of the view. */
  g_assert_true (press_key (annotator, GDK_KEY_plus, 0));
  g_assert_true (press_key (annotator, GDK_KEY_equal, 0));
  g_assert_cmpfloat_with_epsilon (dbw_image_annotator_get_zoom (annotator), fit * 1.25 * 1.25, EPSILON);
  dbw_image_annotator_view_to_image (annotator, VIEW_WIDTH / 2.0, VIEW_HEIGHT / 2.0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, IMAGE_WIDTH / 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, IMAGE_HEIGHT / 2.0, EPSILON);
  g_assert_true (press_key (annotator, GDK_KEY_minus, 0));
  g_assert_cmpfloat_with_epsilon (dbw_image_annotator_get_zoom (annotator), fit * 1.25, EPSILON);

  /* Zoom about a point off centre, pan, then 0 fits again. */
  dbw_image_annotator_zoom_at (annotator, 3.0, 123, 456);
  dbw_image_annotator_pan_by (annotator, -200, 100);
  g_assert_cmpfloat (dbw_image_annotator_get_zoom (annotator), ==, 3.0);
  g_assert_true (press_key (annotator, GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (dbw_image_annotator_get_zoom (annotator), fit, EPSILON);
  view_point (annotator, 0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, 0, EPSILON);

  /* 1:1 is one image pixel on one device pixel. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (annotator), "annotator.zoom-original", NULL));
  g_assert_cmpfloat (dbw_image_annotator_get_zoom (annotator), ==,
                     1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (annotator)));

  /* The Accessible names the widget and what it shows. */
  gtk_test_accessible_assert_property (annotator, GTK_ACCESSIBLE_PROPERTY_LABEL, "Image annotator");
  gtk_test_accessible_assert_property (annotator, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "2000 × 1500 pixels, 0 shapes");
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (annotator)));
}

static void
test_draw_box_at_zooms (Fixture       *fixture,
                        gconstpointer  data)
{
  static const struct { double zoom; double cx, cy; } zooms[] = {
    { 0.0, 0, 0 },          /* fitted */
    { 1.0, 400, 300 },
    { 3.3, 131, 517 },
    { 12.0, 700, 50 },
    { 0.25, 400, 300 },
  };
  DbwImageAnnotator *annotator = fixture->annotator;

  g_assert_true (press_key (annotator, GDK_KEY_b, 0));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_BOX);
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      double ix0, iy0, ix1, iy1;

      if (zooms[i].zoom > 0)
        dbw_image_annotator_zoom_at (annotator, zooms[i].zoom, zooms[i].cx, zooms[i].cy);

      /* Dragged up and to the left: the box is the same. */
      image_point (annotator, 610.5, 420.25, &ix0, &iy0);
      image_point (annotator, 200.75, 100.5, &ix1, &iy1);
      drag (annotator, GDK_BUTTON_PRIMARY, 610.5, 420.25, 200.75, 100.5);

      g_assert_cmpuint (n_shapes (annotator), ==, i + 1);
      g_assert_cmpuint (fixture->n_changed, ==, i + 1);
      g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, (int) i);
      assert_box (shape_at (annotator, i), ix1, iy1, ix0 - ix1, iy0 - iy1);
      g_assert_cmpstr (shape_at (annotator, i)->label, ==, "object");
      g_assert_false (shape_at (annotator, i)->suggested);
    }

  /* Begun outside the image, the box starts at its edge. */
  dbw_image_annotator_fit (annotator);
  dbw_image_annotator_zoom_at (annotator, 0.2, 400, 300);
  {
    double x0, y0, ix1, iy1;

    view_point (annotator, 0, 0, &x0, &y0);
    g_assert_cmpfloat (x0, >, 10);
    image_point (annotator, x0 + 50, y0 + 40, &ix1, &iy1);
    drag (annotator, GDK_BUTTON_PRIMARY, x0 - 10, y0 - 10, x0 + 50, y0 + 40);
    assert_box (shape_at (annotator, 5), 0, 0, ix1, iy1);
  }

  /* A click is no box; a click on a box selects it. */
  click (annotator, 5, 5);
  g_assert_cmpuint (n_shapes (annotator), ==, 6);
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, -1);
  {
    const DbwShape *shape = shape_at (annotator, 0);
    double x, y;

    view_point (annotator, shape->x + shape->width / 2, shape->y + shape->height / 2, &x, &y);
    click (annotator, x, y);
    g_assert_cmpuint (n_shapes (annotator), ==, 6);
    g_assert_cmpint (dbw_image_annotator_get_selected (annotator), >=, 0);
  }
  g_assert_cmpuint (fixture->n_changed, ==, 6);
}

static void
test_resize_clamped_to_image (Fixture       *fixture,
                              gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  DbwShapeSet *shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  double x, y, vx, vy, right, bottom;

  dbw_shape_set_add_box (shapes, "scratch", 1900, 1400, 60, 50);
  dbw_image_annotator_set_shapes (annotator, shapes);
  g_object_unref (shapes);

  /* Deep in, the box in the middle of the view: 100 × 75 image pixels show. */
  view_point (annotator, 1930, 1425, &x, &y);
  dbw_image_annotator_zoom_at (annotator, 8.0, x, y);
  dbw_image_annotator_pan_by (annotator, VIEW_WIDTH / 2.0 - x, VIEW_HEIGHT / 2.0 - y);
  dbw_image_annotator_view_to_image (annotator, VIEW_WIDTH, VIEW_HEIGHT, &right, &bottom);
  g_assert_cmpfloat (right, <, IMAGE_WIDTH - 10);
  g_assert_cmpfloat (bottom, <, IMAGE_HEIGHT - 10);

  view_point (annotator, 1930, 1425, &x, &y);
  click (annotator, x, y);
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, 0);

  /* The bottom-right handle thrown far past the view stops at the image's corner, not at
   * the edge of what shows. */
  view_point (annotator, 1960, 1450, &x, &y);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, 5000, 4000);
  assert_box (shape_at (annotator, 0), 1900, 1400, IMAGE_WIDTH - 1900, IMAGE_HEIGHT - 1400);
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  /* The top-left handle dragged left and up out of the view lands where the pointer is in
   * the image, far outside what shows. */
  view_point (annotator, 1900, 1400, &x, &y);
  dbw_image_annotator_view_to_image (annotator, -1500, -900, &vx, &vy);
  g_assert_cmpfloat (vx, >, 0);
  g_assert_cmpfloat (vy, >, 0);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, -1500, -900);
  assert_box (shape_at (annotator, 0), vx, vy, IMAGE_WIDTH - vx, IMAGE_HEIGHT - vy);

  while (dbw_image_annotator_get_can_undo (annotator))
    dbw_image_annotator_undo (annotator);
  assert_box (shape_at (annotator, 0), 1900, 1400, 60, 50);
  dbw_image_annotator_set_selected (annotator, 0);

  /* Moved by dragging its middle far away: it goes on past the view and stops at the
   * image's edge, keeping its size. */
  view_point (annotator, 1930, 1425, &x, &y);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, x + 20000, y - 3 * 8.0);
  assert_box (shape_at (annotator, 0), IMAGE_WIDTH - 60, 1400 - 3, 60, 50);
  view_point (annotator, IMAGE_WIDTH - 30, 1400 - 3 + 25, &x, &y);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, x - 800, y - 600);
  assert_box (shape_at (annotator, 0), IMAGE_WIDTH - 60 - 100, 1400 - 3 - 75, 60, 50);

  /* At another zoom the same handle drag is the same in image pixels. */
  dbw_image_annotator_fit (annotator);
  view_point (annotator, IMAGE_WIDTH - 160 + 60, 1400 - 78 + 50, &x, &y);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, x + 4, y + 4);
  assert_box (shape_at (annotator, 0), IMAGE_WIDTH - 160, 1400 - 78, 60 + 10, 50 + 10);
}

/* A vertex clicked twice (a double click to finish) counts once; corners on one line
 * outline nothing: neither makes a shape without an area. */
static void
test_polygon_degenerate (Fixture       *fixture,
                         gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;

  g_assert_true (press_key (annotator, GDK_KEY_p, 0));
  click (annotator, 100, 100);
  click (annotator, 300, 120);
  click (annotator, 300, 120);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 0);

  g_assert_true (press_key (annotator, GDK_KEY_Escape, 0));
  click (annotator, 100, 400);
  click (annotator, 200, 400);
  click (annotator, 300, 400);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 0);

  /* A third corner off the line makes it one, its doubled vertex once. */
  click (annotator, 300, 300);
  click (annotator, 300, 300);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 1);
  g_assert_cmpuint (shape_at (annotator, 0)->points->len, ==, 4);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
}

static void
test_polygon (Fixture       *fixture,
              gconstpointer  data)
{
  static const double points[][2] = { { 100, 100 }, { 300, 120 }, { 320, 330 }, { 90, 280 } };
  DbwImageAnnotator *annotator = fixture->annotator;
  const DbwShape *shape;

  dbw_image_annotator_zoom_at (annotator, 1.7, 250, 200);
  g_assert_true (press_key (annotator, GDK_KEY_p, 0));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_POLYGON);

  /* Enter with fewer than three vertices closes nothing. */
  click (annotator, points[0][0], points[0][1]);
  click (annotator, points[1][0], points[1][1]);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 0);

  /* Escape drops the vertices; the tool stays. */
  g_assert_true (press_key (annotator, GDK_KEY_Escape, 0));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_POLYGON);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 0);
  g_assert_cmpuint (fixture->n_changed, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    click (annotator, points[i][0], points[i][1]);
  g_assert_cmpuint (n_shapes (annotator), ==, 0);
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));

  g_assert_cmpuint (n_shapes (annotator), ==, 1);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  shape = shape_at (annotator, 0);
  g_assert_cmpint (shape->kind, ==, DBW_SHAPE_POLYGON);
  g_assert_cmpuint (shape->points->len, ==, G_N_ELEMENTS (points));
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);
      double ix, iy;

      image_point (annotator, points[i][0], points[i][1], &ix, &iy);
      g_assert_cmpfloat_with_epsilon (p->x, ix, EPSILON);
      g_assert_cmpfloat_with_epsilon (p->y, iy, EPSILON);
    }

  /* A click on the first vertex closes too. */
  click (annotator, 500, 500);
  click (annotator, 600, 500);
  click (annotator, 600, 580);
  click (annotator, 502, 502);
  g_assert_cmpuint (n_shapes (annotator), ==, 2);
  g_assert_cmpuint (shape_at (annotator, 1)->points->len, ==, 3);

  /* Escape leaves the tool, then the selection. */
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, 1);
  g_assert_true (press_key (annotator, GDK_KEY_Escape, 0));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_SELECT);
  g_assert_true (press_key (annotator, GDK_KEY_Escape, 0));
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, -1);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_delete_undo_redo (Fixture       *fixture,
                       gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  g_autofree char *first = NULL;
  guint undo_notified = 0;

  g_signal_connect (annotator, "notify::can-undo", G_CALLBACK (on_notify_cb), &undo_notified);
  g_assert_false (dbw_image_annotator_get_can_undo (annotator));
  g_assert_false (press_key (annotator, GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_false (press_key (annotator, GDK_KEY_Delete, 0));

  press_key (annotator, GDK_KEY_b, 0);
  drag (annotator, GDK_BUTTON_PRIMARY, 10, 10, 100, 100);
  drag (annotator, GDK_BUTTON_PRIMARY, 200, 10, 300, 100);
  drag (annotator, GDK_BUTTON_PRIMARY, 400, 10, 500, 100);
  g_assert_cmpuint (n_shapes (annotator), ==, 3);
  g_assert_true (dbw_image_annotator_get_can_undo (annotator));
  g_assert_cmpuint (undo_notified, ==, 1);
  first = dbw_shape_set_to_json (dbw_image_annotator_get_shapes (annotator));

  /* The last box drawn is selected; Delete removes it. */
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, 2);
  g_assert_true (press_key (annotator, GDK_KEY_Delete, 0));
  g_assert_cmpuint (n_shapes (annotator), ==, 2);
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, -1);
  g_assert_cmpuint (fixture->n_changed, ==, 4);

  /* Undo brings it back, exactly; redo removes it again. */
  g_assert_true (press_key (annotator, GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_cmpuint (n_shapes (annotator), ==, 3);
  g_assert_true (dbw_image_annotator_get_can_redo (annotator));
  {
    g_autofree char *again = dbw_shape_set_to_json (dbw_image_annotator_get_shapes (annotator));

    g_assert_cmpstr (again, ==, first);
  }
  g_assert_true (press_key (annotator, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_cmpuint (n_shapes (annotator), ==, 2);
  g_assert_false (dbw_image_annotator_get_can_redo (annotator));
  g_assert_true (press_key (annotator, GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_true (press_key (annotator, GDK_KEY_y, GDK_CONTROL_MASK));
  g_assert_cmpuint (n_shapes (annotator), ==, 2);
  g_assert_cmpuint (fixture->n_changed, ==, 8);

  /* Back to the start: nothing more to undo. */
  while (press_key (annotator, GDK_KEY_z, GDK_CONTROL_MASK))
    ;
  g_assert_cmpuint (n_shapes (annotator), ==, 0);
  g_assert_false (dbw_image_annotator_get_can_undo (annotator));
  g_assert_true (dbw_image_annotator_get_can_redo (annotator));

  /* A new edit drops what could be redone. */
  drag (annotator, GDK_BUTTON_PRIMARY, 10, 10, 100, 100);
  g_assert_false (dbw_image_annotator_get_can_redo (annotator));

  /* Another item's shapes start a new history. */
  dbw_image_annotator_set_shapes (annotator, NULL);
  g_assert_false (dbw_image_annotator_get_can_undo (annotator));
  g_assert_cmpuint (n_shapes (annotator), ==, 0);
}

static void
test_class_hotkeys (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const classes[] = { "solder_bridge", "missing_component", "scratch", NULL };
  DbwImageAnnotator *annotator = fixture->annotator;

  dbw_image_annotator_set_classes (annotator, classes);
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==, "solder_bridge");

  g_assert_true (press_key (annotator, GDK_KEY_2, 0));
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==, "missing_component");
  g_assert_cmpuint (fixture->n_changed, ==, 0);

  press_key (annotator, GDK_KEY_b, 0);
  drag (annotator, GDK_BUTTON_PRIMARY, 10, 10, 100, 100);
  g_assert_cmpstr (shape_at (annotator, 0)->label, ==, "missing_component");

  /* With a shape selected the key relabels it too, as one undo step. */
  g_assert_true (press_key (annotator, GDK_KEY_KP_3, 0));
  g_assert_cmpstr (shape_at (annotator, 0)->label, ==, "scratch");
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==, "scratch");
  g_assert_cmpuint (fixture->n_changed, ==, 2);
  dbw_image_annotator_undo (annotator);
  g_assert_cmpstr (shape_at (annotator, 0)->label, ==, "missing_component");

  /* A key with no class does nothing. */
  dbw_image_annotator_set_selected (annotator, 0);
  g_assert_true (press_key (annotator, GDK_KEY_9, 0));
  g_assert_cmpstr (shape_at (annotator, 0)->label, ==, "missing_component");
  g_assert_cmpstr (dbw_image_annotator_get_current_class (annotator), ==, "scratch");

  /* Each class has its own colour; the accessible description names the selected shape. */
  gtk_test_accessible_assert_property (annotator, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Box 1 of 1: missing_component, 225 × 225 pixels at 25, 25");
}

static void
test_nudge_and_pan (Fixture       *fixture,
                    gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  DbwShapeSet *shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  double x0, y0, x1, y1;

  dbw_shape_set_add_box (shapes, "scratch", 5, 100, 40, 30);
  dbw_image_annotator_set_shapes (annotator, shapes);
  g_object_unref (shapes);
  dbw_image_annotator_set_selected (annotator, 0);

  g_assert_true (press_key (annotator, GDK_KEY_Right, 0));
  g_assert_true (press_key (annotator, GDK_KEY_Down, GDK_SHIFT_MASK));
  assert_box (shape_at (annotator, 0), 6, 110, 40, 30);
  g_assert_true (press_key (annotator, GDK_KEY_Left, GDK_SHIFT_MASK));
  assert_box (shape_at (annotator, 0), 0, 110, 40, 30);
  g_assert_cmpuint (fixture->n_changed, ==, 3);

  /* Space held: a drag pans, even with the box tool, and draws nothing. */
  dbw_image_annotator_zoom_at (annotator, 2.0, 400, 300);
  press_key (annotator, GDK_KEY_b, 0);
  view_point (annotator, 0, 0, &x0, &y0);
  _dbw_image_annotator_set_space_down (annotator, TRUE);
  drag (annotator, GDK_BUTTON_PRIMARY, 300, 300, 350, 270);
  _dbw_image_annotator_set_space_down (annotator, FALSE);
  view_point (annotator, 0, 0, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1 - x0, 50, EPSILON);
  g_assert_cmpfloat_with_epsilon (y1 - y0, -30, EPSILON);
  g_assert_cmpuint (n_shapes (annotator), ==, 1);

  /* So does the middle button. */
  drag (annotator, GDK_BUTTON_MIDDLE, 300, 300, 280, 310);
  view_point (annotator, 0, 0, &x0, &y0);
  g_assert_cmpfloat_with_epsilon (x0 - x1, -20, EPSILON);
  g_assert_cmpfloat_with_epsilon (y0 - y1, 10, EPSILON);
  g_assert_cmpuint (n_shapes (annotator), ==, 1);
  g_assert_cmpuint (fixture->n_changed, ==, 3);

  /* Without a selection the arrows pan. */
  dbw_image_annotator_set_selected (annotator, -1);
  press_key (annotator, GDK_KEY_Left, 0);
  view_point (annotator, 0, 0, &x1, &y1);
  g_assert_cmpfloat (x1, >, x0);
  assert_box (shape_at (annotator, 0), 0, 110, 40, 30);
}

static void
test_suggestions_and_paste (Fixture       *fixture,
                            gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  g_autoptr(DbwShapeSet) previous = dbw_shape_set_new (IMAGE_WIDTH / 2, IMAGE_HEIGHT / 2);
  DbwShapeSet *shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  static const DbwPoint triangle[] = { { 10, 10 }, { 50, 10 }, { 30, 40 } };
  double x, y;

  dbw_shape_set_set_suggested (shapes, dbw_shape_set_add_box (shapes, "scratch", 100, 100, 50, 50), TRUE);
  dbw_shape_set_set_suggested (shapes, dbw_shape_set_add_box (shapes, "scratch", 300, 100, 50, 50), TRUE);
  dbw_shape_set_set_suggested (shapes, dbw_shape_set_add_box (shapes, "scratch", 500, 100, 50, 50), TRUE);
  dbw_image_annotator_set_shapes (annotator, shapes);
  g_object_unref (shapes);

  /* Enter accepts the one selected. */
  view_point (annotator, 125, 125, &x, &y);
  click (annotator, x, y);
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, 0);
  gtk_test_accessible_assert_property (annotator, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Suggested box 1 of 3: scratch, 50 × 50 pixels at 100, 100");
  g_assert_true (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_false (shape_at (annotator, 0)->suggested);
  g_assert_true (shape_at (annotator, 1)->suggested);
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  /* All the rest at once, one step. */
  dbw_image_annotator_accept_suggestions (annotator);
  g_assert_false (shape_at (annotator, 1)->suggested);
  g_assert_false (shape_at (annotator, 2)->suggested);
  g_assert_cmpuint (fixture->n_changed, ==, 2);
  dbw_image_annotator_undo (annotator);
  g_assert_true (shape_at (annotator, 1)->suggested);
  g_assert_true (shape_at (annotator, 2)->suggested);
  g_assert_false (shape_at (annotator, 0)->suggested);

  /* The previous image's shapes, from a scan at half the resolution, scaled to this one. */
  dbw_shape_set_add_box (previous, "solder_bridge", 10, 20, 30, 40);
  dbw_shape_set_add_polygon (previous, "scratch", triangle, G_N_ELEMENTS (triangle));
  dbw_image_annotator_paste_shapes (annotator, previous);
  g_assert_cmpuint (n_shapes (annotator), ==, 5);
  assert_box (shape_at (annotator, 3), 20, 40, 60, 80);
  g_assert_cmpstr (shape_at (annotator, 3)->label, ==, "solder_bridge");
  g_assert_cmpint (shape_at (annotator, 4)->kind, ==, DBW_SHAPE_POLYGON);
  g_assert_cmpfloat_with_epsilon (g_array_index (shape_at (annotator, 4)->points, DbwPoint, 2).x, 60, EPSILON);
  g_assert_cmpfloat_with_epsilon (g_array_index (shape_at (annotator, 4)->points, DbwPoint, 2).y, 80, EPSILON);
  g_assert_cmpuint (fixture->n_changed, ==, 4);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (previous), ==, 2);

  dbw_image_annotator_undo (annotator);
  g_assert_cmpuint (n_shapes (annotator), ==, 3);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  DbwShapeSet *shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  double x, y, x0, y0, x1, y1;

  dbw_shape_set_add_box (shapes, "scratch", 100, 100, 200, 200);
  dbw_image_annotator_set_shapes (annotator, shapes);
  g_object_unref (shapes);
  dbw_image_annotator_set_editable (annotator, FALSE);

  /* Editing keys are off, so they reach the page around the view. */
  g_assert_false (press_key (annotator, GDK_KEY_b, 0));
  g_assert_false (press_key (annotator, GDK_KEY_1, 0));
  g_assert_false (press_key (annotator, GDK_KEY_Return, 0));
  g_assert_cmpint (dbw_image_annotator_get_tool (annotator), ==, DBW_ANNOTATOR_TOOL_SELECT);

  /* A click selects; a drag on the shape pans and leaves it where it is. */
  view_point (annotator, 200, 200, &x, &y);
  click (annotator, x, y);
  g_assert_cmpint (dbw_image_annotator_get_selected (annotator), ==, 0);
  g_assert_false (press_key (annotator, GDK_KEY_Delete, 0));

  dbw_image_annotator_zoom_at (annotator, 1.0, x, y);
  view_point (annotator, 0, 0, &x0, &y0);
  view_point (annotator, 200, 200, &x, &y);
  drag (annotator, GDK_BUTTON_PRIMARY, x, y, x + 40, y + 30);
  view_point (annotator, 0, 0, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1 - x0, 40, EPSILON);
  g_assert_cmpfloat_with_epsilon (y1 - y0, 30, EPSILON);
  assert_box (shape_at (annotator, 0), 100, 100, 200, 200);
  g_assert_cmpuint (fixture->n_changed, ==, 0);

  /* Zoom and fit still work. */
  g_assert_true (press_key (annotator, GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (dbw_image_annotator_get_zoom (annotator), 0.4, EPSILON);
}

/* Draws a frame now, as the window would. */
static void
snapshot_annotator (DbwImageAnnotator *annotator)
{
  GtkWidget *widget = GTK_WIDGET (annotator);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gtk_widget_queue_draw (widget);
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
}

static void
assert_pixel (GdkTexture *texture,
              int         x,
              int         y,
              guint32     argb)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  g_assert_cmphex (pixels[y * width + x], ==, argb);
}

static void
test_pyramid_draws_what_shows (Fixture       *fixture,
                               gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  DbwImagePyramid *pyramid = _dbw_image_annotator_get_pyramid (annotator);
  DbwShapeSet *shapes = dbw_shape_set_new (IMAGE_WIDTH, IMAGE_HEIGHT);
  int width, height;
  guint n_tiles, n_drawn;

  /* 2000, 1000, 500: the last fits one tile. */
  g_assert_cmpuint (dbw_image_pyramid_get_n_levels (pyramid), ==, 3);
  dbw_image_pyramid_get_level_size (pyramid, 1, &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 750);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 4.0), ==, 0);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 1.0), ==, 0);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 0.6), ==, 0);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 0.5), ==, 1);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 0.4), ==, 1);
  g_assert_cmpuint (dbw_image_pyramid_choose_level (pyramid, 0.1), ==, 2);

  /* Tiles hold the image's pixels: red top left, white bottom right, at every level. */
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 0, 0, 0), 10, 10, 0xffff0000);
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 0, 3, 2), 400, 400, 0xffffffff);
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 0, 1, 0), 487, 0, 0xffff0000);
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 0, 2, 0), 0, 0, 0xff00ff00);
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 1, 1, 1), 100, 100, 0xffffffff);
  assert_pixel (dbw_image_pyramid_get_tile (pyramid, 2, 0, 0), 10, 300, 0xff0000ff);

  for (int i = 0; i < 2000; i++)
    dbw_shape_set_add_box (shapes, "component", (i % 50) * 40 + 5, (i / 50) * 37 + 5, 30, 28);
  dbw_image_annotator_set_shapes (annotator, shapes);
  g_object_unref (shapes);

  /* Fitted: every shape, the level of half size, all of its 2 × 2 tiles. */
  snapshot_annotator (annotator);
  _dbw_image_annotator_get_drawn (annotator, &n_tiles, &n_drawn);
  g_assert_cmpuint (n_tiles, ==, 4);
  g_assert_cmpuint (n_drawn, ==, 2000);

  /* Deep in: the full-size level, a few tiles, a few shapes. */
  dbw_image_annotator_zoom_at (annotator, 6.0, 400, 300);
  snapshot_annotator (annotator);
  _dbw_image_annotator_get_drawn (annotator, &n_tiles, &n_drawn);
  g_assert_cmpuint (n_tiles, >=, 1);
  g_assert_cmpuint (n_tiles, <=, 4);
  g_assert_cmpuint (n_drawn, >=, 4);
  g_assert_cmpuint (n_drawn, <=, 30);

  /* A shape selected deep in draws its handles too. */
  dbw_image_annotator_set_selected (annotator, 1000);
  snapshot_annotator (annotator);
}

static void
test_prefetch (Fixture       *fixture,
               gconstpointer  data)
{
  DbwImageAnnotator *annotator = fixture->annotator;
  g_autoptr(GBytes) next = make_png (640, 480);
  g_autoptr(GBytes) copy = g_bytes_new (g_bytes_get_data (next, NULL), g_bytes_get_size (next));
  g_autoptr(GBytes) broken = g_bytes_new_static ("not an image", 12);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  dbw_image_annotator_prefetch (annotator, next);
  while (_dbw_image_annotator_get_n_ready (annotator) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  /* The same content in other bytes shows at once, fitted. */
  dbw_image_annotator_set_image_bytes (annotator, copy);
  g_assert_false (dbw_image_annotator_get_loading (annotator));
  g_assert_cmpint (dbw_image_pyramid_get_width (_dbw_image_annotator_get_pyramid (annotator)), ==, 640);
  g_assert_cmpfloat_with_epsilon (dbw_image_annotator_get_zoom (annotator), 1.25, EPSILON);

  /* And back to the first, still in the cache. */
  dbw_image_annotator_set_image_bytes (annotator, fixture->png);
  g_assert_false (dbw_image_annotator_get_loading (annotator));
  g_assert_cmpint (dbw_image_pyramid_get_width (_dbw_image_annotator_get_pyramid (annotator)), ==, IMAGE_WIDTH);

  /* Bytes that are no image say so. */
  dbw_image_annotator_set_image_bytes (annotator, broken);
  g_assert_true (dbw_image_annotator_get_loading (annotator));
  while (dbw_image_annotator_get_loading (annotator))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_error (dbw_image_annotator_get_error (annotator), DBW_IMAGE_ERROR, DBW_IMAGE_ERROR_UNSUPPORTED);
  g_assert_null (_dbw_image_annotator_get_pyramid (annotator));

  /* From a file, read in the worker too. */
  {
    g_autofree char *path = NULL;
    g_autoptr(GFile) file = NULL;
    g_autoptr(GError) error = NULL;
    int fd = g_file_open_tmp ("annotator-XXXXXX.png", &path, &error);

    g_assert_no_error (error);
    close (fd);
    g_file_set_contents (path, g_bytes_get_data (next, NULL), g_bytes_get_size (next), &error);
    g_assert_no_error (error);
    file = g_file_new_for_path (path);
    dbw_image_annotator_set_image_file (annotator, file);
    while (dbw_image_annotator_get_loading (annotator))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (dbw_image_annotator_get_error (annotator));
    g_assert_cmpint (dbw_image_pyramid_get_height (_dbw_image_annotator_get_pyramid (annotator)), ==, 480);
    g_unlink (path);
  }

  /* Many prefetches keep the cache small; the one shown stays. */
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GBytes) other = make_png (64 + i, 48);

      dbw_image_annotator_prefetch (annotator, other);
    }
  dbw_image_annotator_set_image_bytes (annotator, NULL);
  g_assert_false (dbw_image_annotator_get_loading (annotator));
  g_assert_null (dbw_image_annotator_get_error (annotator));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/image-annotator/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("fit-and-zoom-keys", test_fit);
  ADD ("draw-box-at-zooms", test_draw_box_at_zooms);
  ADD ("resize-clamped-to-image", test_resize_clamped_to_image);
  ADD ("polygon", test_polygon);
  ADD ("polygon-degenerate", test_polygon_degenerate);
  ADD ("delete-undo-redo", test_delete_undo_redo);
  ADD ("class-hotkeys", test_class_hotkeys);
  ADD ("nudge-and-pan", test_nudge_and_pan);
  ADD ("suggestions-and-paste", test_suggestions_and_paste);
  ADD ("read-only", test_read_only);
  ADD ("pyramid-draws-what-shows", test_pyramid_draws_what_shows);
  ADD ("prefetch", test_prefetch);

#undef ADD

  return g_test_run ();
}
