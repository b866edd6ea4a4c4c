/* test-shapes.c
 *
 * Copyright 2026 The Databits Workbench authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dbw-shapes.h"

static void
assert_box (DbwShapeSet *set,
            guint        index,
            double       x,
            double       y,
            double       width,
            double       height)
{
  const DbwShape *shape = dbw_shape_set_get_shape (set, index);

  g_assert_nonnull (shape);
  g_assert_cmpfloat_with_epsilon (shape->x, x, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->y, y, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->width, width, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->height, height, 1e-9);
}

static void
on_changed_cb (DbwShapeSet *set,
               guint       *count)
{
  (*count)++;
}

static void
test_shapes_hit_test (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (200, 100);
  DbwPoint triangle[] = { { 100, 10 }, { 150, 90 }, { 50, 90 } };

  g_assert_cmpuint (dbw_shape_set_add_box (set, "a", 10, 10, 50, 50), ==, 0);
  g_assert_cmpuint (dbw_shape_set_add_box (set, "b", 40, 40, 50, 50), ==, 1);
  g_assert_cmpuint (dbw_shape_set_add_polygon (set, "c", triangle, 3), ==, 2);

  g_assert_cmpint (dbw_shape_set_hit_test (set, 20, 20, 0), ==, 0);
  /* the overlap belongs to the topmost */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 45, 45, 0), ==, 1);
  g_assert_cmpint (dbw_shape_set_hit_test (set, 5, 5, 0), ==, -1);
  /* near an edge, within the tolerance */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 8, 30, 3), ==, 0);
  g_assert_cmpint (dbw_shape_set_hit_test (set, 8, 30, 1), ==, -1);

  /* the triangle: inside its tip, outside its bounding box corner */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 100, 30, 0), ==, 2);
  g_assert_cmpint (dbw_shape_set_hit_test (set, 140, 20, 0), ==, -1);
  /* near the slanted edge from (100,10) to (150,90): (127, 50) is outside, 1.7 px from it */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 127, 50, 0), ==, -1);
  g_assert_cmpint (dbw_shape_set_hit_test (set, 127, 50, 2), ==, 2);

  g_assert_cmpint (dbw_shape_set_hit_handle (set, 0, 11, 9, 3), ==, DBW_HANDLE_TOP_LEFT);
  g_assert_cmpint (dbw_shape_set_hit_handle (set, 0, 60, 35, 3), ==, DBW_HANDLE_RIGHT);
  g_assert_cmpint (dbw_shape_set_hit_handle (set, 0, 35, 60, 3), ==, DBW_HANDLE_BOTTOM);
  g_assert_cmpint (dbw_shape_set_hit_handle (set, 0, 35, 35, 3), ==, DBW_HANDLE_NONE);
  g_assert_cmpint (dbw_shape_set_hit_handle (set, 2, 149, 89, 3), ==, DBW_HANDLE_VERTEX + 1);
}

static void
test_shapes_polygon (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (100, 100);
  /* a concave "U", closed by repeating its first vertex */
  DbwPoint u[] = { { 10, 10 }, { 30, 10 }, { 30, 60 }, { 70, 60 }, { 70, 10 }, { 90, 10 },
                   { 90, 90 }, { 10, 90 }, { 10, 10 } };
  DbwPoint outside[] = { { -20, 50 }, { 50, -30 }, { 150, 120 } };
  const DbwShape *shape;
  guint index;

  index = dbw_shape_set_add_polygon (set, "u", u, G_N_ELEMENTS (u));
  shape = dbw_shape_set_get_shape (set, index);
  g_assert_cmpint (shape->kind, ==, DBW_SHAPE_POLYGON);
  g_assert_cmpuint (shape->points->len, ==, 8);
  assert_box (set, index, 10, 10, 80, 80);

  g_assert_cmpint (dbw_shape_set_hit_test (set, 20, 30, 0), ==, 0);
  g_assert_cmpint (dbw_shape_set_hit_test (set, 50, 80, 0), ==, 0);
  /* the notch of the U is inside its bounding box but not inside the polygon */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 50, 30, 0), ==, -1);
  /* the closing edge (10,90)→(10,10) counts as an edge */
  g_assert_cmpint (dbw_shape_set_hit_test (set, 8, 50, 3), ==, 0);

  index = dbw_shape_set_add_polygon (set, "clamped", outside, 3);
  shape = dbw_shape_set_get_shape (set, index);
  for (guint i = 0; i < shape->points->len; i++)
    {
      const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);

      g_assert_cmpfloat (p->x, >=, 0);
      g_assert_cmpfloat (p->x, <=, 100);
      g_assert_cmpfloat (p->y, >=, 0);
      g_assert_cmpfloat (p->y, <=, 100);
    }
  assert_box (set, index, 0, 0, 100, 100);

  /* a vertex dragged outside stays on the image */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_VERTEX + 6, 130, 95);
  shape = dbw_shape_set_get_shape (set, 0);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 6).x, ==, 100);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 6).y, ==, 95);
  assert_box (set, 0, 10, 10, 90, 85);
}

static void
test_shapes_handles_clamped (void)
{
  struct {
    int handle;
    double x, y;              /* dragged far outside the image */
    double ex, ey, ew, eh;    /* the box after */
  } cases[] = {
    { DBW_HANDLE_TOP_LEFT, -50, -50, 0, 0, 60, 70 },
    { DBW_HANDLE_TOP, 35, -50, 20, 0, 40, 70 },
    { DBW_HANDLE_TOP_RIGHT, 500, -50, 20, 0, 180, 70 },
    { DBW_HANDLE_RIGHT, 500, 40, 20, 30, 180, 40 },
    { DBW_HANDLE_BOTTOM_RIGHT, 500, 500, 20, 30, 180, 70 },
    { DBW_HANDLE_BOTTOM, 35, 500, 20, 30, 40, 70 },
    { DBW_HANDLE_BOTTOM_LEFT, -50, 500, 0, 30, 60, 70 },
    { DBW_HANDLE_LEFT, -50, 40, 0, 30, 60, 40 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DbwShapeSet) set = dbw_shape_set_new (200, 100);

      /* box from (20,30) to (60,70) */
      dbw_shape_set_add_box (set, "box", 20, 30, 40, 40);
      dbw_shape_set_drag_handle (set, 0, cases[i].handle, cases[i].x, cases[i].y);
      assert_box (set, 0, cases[i].ex, cases[i].ey, cases[i].ew, cases[i].eh);
    }
}

static void
test_shapes_handles_flip (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (200, 100);

  dbw_shape_set_add_box (set, "box", 20, 30, 40, 40);

  /* the left edge dragged past the right one: the box flips, the right edge stays */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_LEFT, 45, 50);
  assert_box (set, 0, 45, 30, 15, 40);
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_LEFT, 90, 50);
  assert_box (set, 0, 60, 30, 30, 40);
  /* still the same drag: back over the fixed edge, it flips back */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_LEFT, 10, 50);
  assert_box (set, 0, 10, 30, 50, 40);
  /* onto the fixed edge: one pixel wide, never zero */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_LEFT, 60, 50);
  g_assert_cmpfloat (dbw_shape_set_get_shape (set, 0)->width, ==, 1);

  /* a new drag on the bottom right, flipped both ways up to the image corner */
  g_assert_cmpint (dbw_shape_set_hit_handle (set, 0, 61, 70, 2), ==, DBW_HANDLE_BOTTOM_RIGHT);
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_BOTTOM_RIGHT, -30, -30);
  assert_box (set, 0, 0, 0, 60, 30);

  /* a box at the image's edge, its edge dragged onto it: one pixel inside the image */
  dbw_shape_set_add_box (set, "edge", 150, 50, 50, 50);
  dbw_shape_set_drag_handle (set, 1, DBW_HANDLE_LEFT, 200, 60);
  assert_box (set, 1, 199, 50, 1, 50);
}

static void
test_shapes_polygon_scale (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (200, 200);
  DbwPoint tri[] = { { 10, 10 }, { 30, 10 }, { 10, 50 } };
  const DbwShape *shape;

  dbw_shape_set_add_polygon (set, "tri", tri, 3);
  /* the right edge dragged to x = 50 doubles the width */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_RIGHT, 50, 0);
  shape = dbw_shape_set_get_shape (set, 0);
  assert_box (set, 0, 10, 10, 40, 40);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 1).x, ==, 50);
  /* past the left edge: mirrored */
  dbw_shape_set_drag_handle (set, 0, DBW_HANDLE_RIGHT, 0, 0);
  shape = dbw_shape_set_get_shape (set, 0);
  assert_box (set, 0, 0, 10, 10, 40);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 0).x, ==, 10);
  g_assert_cmpfloat (g_array_index (shape->points, DbwPoint, 1).x, ==, 0);
}

static void
test_shapes_move (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (200, 100);
  DbwPoint tri[] = { { 100, 10 }, { 150, 90 }, { 50, 90 } };
  guint changes = 0;

  g_signal_connect (set, "changed", G_CALLBACK (on_changed_cb), &changes);
  dbw_shape_set_add_box (set, "box", 20, 30, 40, 40);
  dbw_shape_set_add_polygon (set, "tri", tri, 3);
  g_assert_cmpuint (changes, ==, 2);

  dbw_shape_set_move (set, 0, 10, -5);
  assert_box (set, 0, 30, 25, 40, 40);
  /* far past the bottom right: stops at the image edge, keeping its size */
  dbw_shape_set_move (set, 0, 1000, 1000);
  assert_box (set, 0, 160, 60, 40, 40);
  dbw_shape_set_move (set, 0, -1000, 0);
  assert_box (set, 0, 0, 60, 40, 40);
  g_assert_cmpuint (changes, ==, 5);
  /* nothing to move: no signal */
  dbw_shape_set_move (set, 0, -10, 0);
  g_assert_cmpuint (changes, ==, 5);

  dbw_shape_set_move (set, 1, 0, 500);
  assert_box (set, 1, 50, 20, 100, 80);
  g_assert_cmpfloat (g_array_index (dbw_shape_set_get_shape (set, 1)->points, DbwPoint, 0).y, ==, 20);

  /* boxes added partly outside are clamped, and never thinner than one pixel */
  dbw_shape_set_add_box (set, "out", 190, -10, 50, 30);
  assert_box (set, 2, 190, 0, 10, 20);
  dbw_shape_set_add_box (set, "thin", 199.5, 50, 0, 0);
  assert_box (set, 3, 199, 50, 1, 1);
  /* drawn right to left */
  dbw_shape_set_add_box (set, "rtl", 50, 50, -20, -10);
  assert_box (set, 4, 30, 40, 20, 10);

  /* a smaller image clamps what is there */
  dbw_shape_set_set_image_size (set, 100, 50);
  assert_box (set, 0, 0, 49, 40, 1);
}

static void
test_shapes_json_round_trip (void)
{
  const char *json =
    "{\"image_width\":640,\"image_height\":480,\"objects\":["
    "{\"class\":\"solder_bridge\",\"bbox\":[10,20,30.5,40],\"component\":\"U3\",\"score\":0.97},"
    "{\"class\":\"scratch\",\"bbox\":[0,0,1,1],\"polygon\":[[100,100],[200,120],[150,200]],"
    "\"notes\":{\"by\":\"qa\",\"tags\":[1,2]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (json, 0, 0, &error);
  g_autoptr(DbwShapeSet) again = NULL;
  g_autoptr(DbwShapeSet) copy = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) labels = NULL;
  const DbwShape *shape;

  g_assert_no_error (error);
  g_assert_cmpint (dbw_shape_set_get_image_width (set), ==, 640);
  g_assert_cmpint (dbw_shape_set_get_image_height (set), ==, 480);
  g_assert_cmpuint (dbw_shape_set_get_n_shapes (set), ==, 2);
  assert_box (set, 0, 10, 20, 30.5, 40);
  shape = dbw_shape_set_get_shape (set, 0);
  g_assert_cmpstr (shape->label, ==, "solder_bridge");
  g_assert_cmpstr (json_object_get_string_member (shape->extra, "component"), ==, "U3");
  /* a polygon's bbox follows its vertices */
  assert_box (set, 1, 100, 100, 100, 100);

  out = dbw_shape_set_to_json (set);
  g_assert_nonnull (strstr (out, "\"component\":\"U3\""));
  g_assert_nonnull (strstr (out, "\"notes\":{\"by\":\"qa\",\"tags\":[1,2]}"));
  g_assert_nonnull (strstr (out, "\"bbox\":[100,100,100,100]"));
  again = dbw_shape_set_new_from_json (out, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (dbw_shape_set_equal (set, again));

  copy = dbw_shape_set_copy (set);
  g_assert_true (dbw_shape_set_equal (set, copy));
  dbw_shape_set_set_label (copy, 1, "dent");
  g_assert_false (dbw_shape_set_equal (set, copy));
  g_assert_cmpstr (dbw_shape_set_get_shape (set, 1)->label, ==, "scratch");

  labels = dbw_shape_set_list_labels (copy);
  g_assert_cmpuint (g_strv_length (labels), ==, 2);
  g_assert_cmpstr (labels[0], ==, "solder_bridge");
  g_assert_cmpstr (labels[1], ==, "dent");

  /* the given image size wins over the JSON's and clamps */
  g_clear_object (&again);
  again = dbw_shape_set_new_from_json (json, 20, 25, &error);
  g_assert_no_error (error);
  assert_box (again, 0, 10, 20, 10, 5);
}

static void
test_shapes_json_errors (void)
{
  struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "[1,2]", "not a JSON object" },
    { "{\"objects\":{}}", "“objects”" },
    { "{\"objects\":[{\"class\":\"a\",\"bbox\":[1,2,3,4]},7]}", "Object 1 " },
    { "{\"objects\":[{\"bbox\":[1,2,3,4]}]}", "Object 0: member “class”" },
    { "{\"objects\":[{\"class\":\"a\",\"bbox\":[1,2,3,4]},{\"class\":\"b\",\"bbox\":[1,2,3]}]}",
      "Object 1: member “bbox”" },
    { "{\"objects\":[{\"class\":\"a\",\"bbox\":[1,\"2\",3,4]}]}", "Object 0: member “bbox”, element 1" },
    { "{\"objects\":[{\"class\":\"a\",\"bbox\":[1,2,-3,4]}]}", "negative" },
    { "{\"objects\":[{\"class\":\"a\",\"polygon\":[[1,2],[3,4]]}]}", "Object 0: member “polygon”" },
    { "{\"objects\":[{\"class\":\"a\",\"polygon\":[[1,2],[3,4],[5]]}]}", "point 2" },
    { "{\"image_width\":-4,\"objects\":[]}", "“image_width”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (cases[i].json, 0, 0, &error);

      g_assert_null (set);
      g_assert_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json ("{\"objects\": [", 0, 0, &error);

    g_assert_null (set);
    g_assert_nonnull (error);
  }
}

static void
test_shapes_query_rect (void)
{
  g_autoptr(DbwShapeSet) set = dbw_shape_set_new (4000, 3000);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) some = NULL;
  guint expected = 0;

  /* 2,500 boxes in a 50 × 50 lattice, 20 px wide, every 80 px */
  for (guint r = 0; r < 50; r++)
    for (guint c = 0; c < 50; c++)
      dbw_shape_set_add_box (set, "part", c * 80, r * 60, 20, 20);
  dbw_shape_set_add_box (set, "big", 0, 0, 4000, 3000);

  all = dbw_shape_set_query_rect (set, 0, 0, 4000, 3000);
  g_assert_cmpuint (all->len, ==, 2501);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpuint (g_array_index (all, guint, i), ==, i);

  /* the window x 100..300, y 50..130 meets columns 1 to 3 (column 1 at its edge) and rows 1, 2 */
  some = dbw_shape_set_query_rect (set, 100, 50, 200, 80);
  for (guint r = 0; r < 50; r++)
    for (guint c = 0; c < 50; c++)
      if (c * 80 <= 300 && c * 80 + 20 >= 100 && r * 60 <= 130 && r * 60 + 20 >= 50)
        expected++;
  g_assert_cmpuint (expected, ==, 6);
  g_assert_cmpuint (some->len, ==, expected + 1);
  g_assert_cmpuint (g_array_index (some, guint, 0), ==, 1 * 50 + 1);
  g_assert_cmpuint (g_array_index (some, guint, 6), ==, 2500);

  /* a thousand small queries, as a panning view asks them, find what a scan of every
   * shape finds, in insertion order */
  for (guint i = 0; i < 1000; i++)
    {
      double x = (i * 37) % 3600, y = (i * 53) % 2600;
      g_autoptr(GArray) q = dbw_shape_set_query_rect (set, x, y, 400, 300);
      guint n = 0;

      for (guint r = 0; r < 50; r++)
        for (guint c = 0; c < 50; c++)
          if (c * 80 <= x + 400 && c * 80 + 20 >= x && r * 60 <= y + 300 && r * 60 + 20 >= y)
            {
              g_assert_cmpuint (n, <, q->len);
              g_assert_cmpuint (g_array_index (q, guint, n), ==, r * 50 + c);
              n++;
            }
      g_assert_cmpuint (q->len, ==, n + 1);
      g_assert_cmpuint (g_array_index (q, guint, n), ==, 2500);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/shapes/hit-test", test_shapes_hit_test);
  g_test_add_func ("/shapes/polygon", test_shapes_polygon);
  g_test_add_func ("/shapes/handles-clamped", test_shapes_handles_clamped);
  g_test_add_func ("/shapes/handles-flip", test_shapes_handles_flip);
  g_test_add_func ("/shapes/polygon-scale", test_shapes_polygon_scale);
  g_test_add_func ("/shapes/move", test_shapes_move);
  g_test_add_func ("/shapes/json-round-trip", test_shapes_json_round_trip);
  g_test_add_func ("/shapes/json-errors", test_shapes_json_errors);
  g_test_add_func ("/shapes/query-rect", test_shapes_query_rect);

  return g_test_run ();
}
