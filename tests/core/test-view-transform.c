/* test-view-transform.c
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

#include <math.h>

#include "dbw-view-transform.h"

#define EPSILON 1e-6

/* An 8000 × 6000 scan in a 1300 × 800 view, the case the annotator is built for. */
static void
init_scan (DbwViewTransform *t)
{
  dbw_view_transform_init (t);
  dbw_view_transform_set_view_size (t, 1300, 800);
  dbw_view_transform_set_image_size (t, 8000, 6000);
  dbw_view_transform_fit (t);
}

static void
assert_axis_in_reach (double start,
                      double end,
                      double available)
{
  if (end - start > available)
    {
      /* Larger than the view: it reaches the middle of the view. */
      g_assert_cmpfloat (start, <=, available / 2 + EPSILON);
      g_assert_cmpfloat (end, >=, available / 2 - EPSILON);
    }
  else
    {
      /* Smaller: its own middle stays inside the view. */
      g_assert_cmpfloat ((start + end) / 2, >=, -EPSILON);
      g_assert_cmpfloat ((start + end) / 2, <=, available + EPSILON);
    }
}

/* The image cannot be lost. */
static void
assert_image_in_reach (const DbwViewTransform *t)
{
  double x0, y0, x1, y1;

  dbw_view_transform_image_to_view (t, 0, 0, &x0, &y0);
  dbw_view_transform_image_to_view (t, t->image_width, t->image_height, &x1, &y1);
  assert_axis_in_reach (x0, x1, t->view_width);
  assert_axis_in_reach (y0, y1, t->view_height);
}

static void
test_round_trip (void)
{
  DbwViewTransform t;
  double scale;
  guint n_scales = 0;

  init_scan (&t);

  /* From the smallest scale to the largest in steps that hit no round numbers. */
  for (scale = dbw_view_transform_get_min_scale (&t);
       scale <= dbw_view_transform_get_max_scale (&t);
       scale *= 1.37)
    {
      dbw_view_transform_zoom_at (&t, scale, 311.5, 207.25);
      g_assert_cmpfloat_with_epsilon (t.scale, scale, EPSILON);
      n_scales++;

      for (double ix = -100; ix <= 8100; ix += 733.3)
        for (double iy = -100; iy <= 6100; iy += 517.7)
          {
            double vx, vy, rx, ry;

            dbw_view_transform_image_to_view (&t, ix, iy, &vx, &vy);
            dbw_view_transform_view_to_image (&t, vx, vy, &rx, &ry);
            g_assert_cmpfloat_with_epsilon (rx, ix, EPSILON);
            g_assert_cmpfloat_with_epsilon (ry, iy, EPSILON);
            /* A view pixel is 1 / scale image pixels, whatever the offset. */
            dbw_view_transform_view_to_image (&t, vx + 1, vy + 1, &rx, &ry);
            g_assert_cmpfloat_with_epsilon (rx - ix, 1 / scale, EPSILON);
            g_assert_cmpfloat_with_epsilon (ry - iy, 1 / scale, EPSILON);
          }
    }

  g_assert_cmpuint (n_scales, >, 15);
}

static void
test_fit (void)
{
  DbwViewTransform t;
  double x0, y0, x1, y1, vx, vy, vw, vh;

  init_scan (&t);

  /* 1300 / 8000 = 0.1625, 800 / 6000 = 0.1333: the height limits. */
  g_assert_cmpfloat_with_epsilon (t.scale, 800.0 / 6000.0, EPSILON);
  dbw_view_transform_image_to_view (&t, 0, 0, &x0, &y0);
  dbw_view_transform_image_to_view (&t, 8000, 6000, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (y0, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y1, 800, EPSILON);
  /* Centred horizontally, on a whole pixel. */
  g_assert_cmpfloat (fabs ((x0 - 0) - (1300 - x1)), <=, 1.0);
  g_assert_cmpfloat (x0, ==, round (x0));

  g_assert_true (dbw_view_transform_get_visible_rect (&t, &vx, &vy, &vw, &vh));
  g_assert_cmpfloat_with_epsilon (vx, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (vy, 0, EPSILON);
  g_assert_cmpfloat_with_epsilon (vw, 8000, EPSILON);
  g_assert_cmpfloat_with_epsilon (vh, 6000, EPSILON);

  /* Zoomed away and back. */
  dbw_view_transform_zoom_at (&t, 4.0, 100, 100);
  g_assert_true (dbw_view_transform_fit (&t));
  g_assert_cmpfloat_with_epsilon (t.scale, 800.0 / 6000.0, EPSILON);
  g_assert_false (dbw_view_transform_fit (&t));

  /* A wide view: the width limits. */
  dbw_view_transform_set_view_size (&t, 4000, 800);
  dbw_view_transform_set_image_size (&t, 8000, 600);
  dbw_view_transform_fit (&t);
  g_assert_cmpfloat_with_epsilon (t.scale, 0.5, EPSILON);

  /* A tiny image is scaled up to fit, past the usual maximum if it must be. */
  dbw_view_transform_set_view_size (&t, 1300, 800);
  dbw_view_transform_set_image_size (&t, 10, 10);
  dbw_view_transform_fit (&t);
  g_assert_cmpfloat_with_epsilon (t.scale, 80.0, EPSILON);
  g_assert_cmpfloat (dbw_view_transform_get_max_scale (&t), >=, 80.0);
}

static void
test_zoom_at_cursor (void)
{
  static const double factors[] = { 1.25, 1.1, 2.0, 1.0 / 1.25 };
  guint n_checked = 0;

  /* From the fitted view, zooming in over any point of the image, step after step up to
   * the maximum, the image point under the cursor stays under it. */
  for (double cx = 130; cx <= 1170; cx += 130)
    for (double cy = 20; cy <= 780; cy += 95)
      {
        DbwViewTransform t;
        double ix, iy;

        init_scan (&t);
        dbw_view_transform_view_to_image (&t, cx, cy, &ix, &iy);
        g_assert_cmpfloat (ix, >=, 0);
        g_assert_cmpfloat (ix, <=, 8000);

        while (t.scale < dbw_view_transform_get_max_scale (&t))
          {
            double vx, vy;

            dbw_view_transform_zoom_at (&t, t.scale * factors[n_checked % 3], cx, cy);
            dbw_view_transform_image_to_view (&t, ix, iy, &vx, &vy);
            g_assert_cmpfloat_with_epsilon (vx, cx, EPSILON);
            g_assert_cmpfloat_with_epsilon (vy, cy, EPSILON);
            assert_image_in_reach (&t);
            n_checked++;
          }
      }
  g_assert_cmpuint (n_checked, >, 1000);

  /* Zooming out from deep in, about the middle of the view: the point stays too while the
   * image covers the view. */
  {
    DbwViewTransform t;
    double ix, iy, vx, vy;

    init_scan (&t);
    dbw_view_transform_zoom_at (&t, 16.0, 650, 400);
    dbw_view_transform_view_to_image (&t, 650, 400, &ix, &iy);
    while (t.scale * 6000 > 800 * 1.25)
      {
        dbw_view_transform_zoom_at (&t, t.scale * factors[3], 650, 400);
        dbw_view_transform_image_to_view (&t, ix, iy, &vx, &vy);
        g_assert_cmpfloat_with_epsilon (vx, 650, EPSILON);
        g_assert_cmpfloat_with_epsilon (vy, 400, EPSILON);
      }
  }
}

static void
test_zoom_limits (void)
{
  DbwViewTransform t;
  double fit;

  init_scan (&t);
  fit = t.scale;

  g_assert_true (dbw_view_transform_zoom_at (&t, 1000.0, 650, 400));
  g_assert_cmpfloat_with_epsilon (t.scale, DBW_VIEW_TRANSFORM_MAX_SCALE, EPSILON);
  g_assert_false (dbw_view_transform_zoom_at (&t, 2000.0, 650, 400));

  dbw_view_transform_zoom_at (&t, 1e-9, 650, 400);
  g_assert_cmpfloat_with_epsilon (t.scale, fit / 2, EPSILON);
  assert_image_in_reach (&t);

  g_assert_false (dbw_view_transform_zoom_at (&t, NAN, 650, 400));
  g_assert_false (dbw_view_transform_zoom_at (&t, -1, 650, 400));
  g_assert_cmpfloat_with_epsilon (t.scale, fit / 2, EPSILON);
}

static void
test_one_to_one (void)
{
  DbwViewTransform t;
  double ix, iy, vx, vy;

  init_scan (&t);
  dbw_view_transform_view_to_image (&t, 650, 400, &ix, &iy);
  dbw_view_transform_one_to_one (&t, 1);
  g_assert_cmpfloat (t.scale, ==, 1.0);
  dbw_view_transform_image_to_view (&t, ix, iy, &vx, &vy);
  g_assert_cmpfloat_with_epsilon (vx, 650, EPSILON);
  g_assert_cmpfloat_with_epsilon (vy, 400, EPSILON);

  /* On a screen of scale 2, one image pixel is half a logical pixel. */
  dbw_view_transform_one_to_one (&t, 2);
  g_assert_cmpfloat (t.scale, ==, 0.5);
}

static void
test_pan_clamp (void)
{
  DbwViewTransform t;
  double x0, y0;

  init_scan (&t);
  dbw_view_transform_zoom_at (&t, 1.0, 650, 400);

  /* Thrown far to the right and down: the image's left and top edges stop in the middle. */
  dbw_view_transform_pan_by (&t, 1e6, 1e6);
  dbw_view_transform_image_to_view (&t, 0, 0, &x0, &y0);
  g_assert_cmpfloat_with_epsilon (x0, 650, EPSILON);
  g_assert_cmpfloat_with_epsilon (y0, 400, EPSILON);
  g_assert_false (dbw_view_transform_pan_by (&t, 10, 10));

  /* And far the other way: the right and bottom edges stop in the middle. */
  dbw_view_transform_pan_by (&t, -1e7, -1e7);
  dbw_view_transform_image_to_view (&t, 8000, 6000, &x0, &y0);
  g_assert_cmpfloat_with_epsilon (x0, 650, EPSILON);
  g_assert_cmpfloat_with_epsilon (y0, 400, EPSILON);

  /* Inside the bounds a pan moves by exactly what was asked. */
  dbw_view_transform_zoom_at (&t, 2.0, 650, 400);
  dbw_view_transform_pan_to (&t, -5000, -3000);
  g_assert_true (dbw_view_transform_pan_by (&t, 17.5, -3.25));
  g_assert_cmpfloat_with_epsilon (t.offset_x, -4982.5, EPSILON);
  g_assert_cmpfloat_with_epsilon (t.offset_y, -3003.25, EPSILON);

  /* A fitted image smaller than the view keeps its middle inside it. */
  init_scan (&t);
  dbw_view_transform_zoom_at (&t, t.scale / 2, 650, 400);
  dbw_view_transform_pan_by (&t, 1e6, -1e6);
  assert_image_in_reach (&t);
  dbw_view_transform_image_to_view (&t, 4000, 3000, &x0, &y0);
  g_assert_cmpfloat_with_epsilon (x0, 1300, EPSILON);
  g_assert_cmpfloat_with_epsilon (y0, 0, EPSILON);

  /* A smaller view keeps the image in reach. */
  dbw_view_transform_set_view_size (&t, 100, 100);
  assert_image_in_reach (&t);
}

static void
test_scroll_to_rect (void)
{
  DbwViewTransform t;
  double x0, y0, x1, y1;

  init_scan (&t);
  dbw_view_transform_zoom_at (&t, 4.0, 650, 400);

  /* A box far off to the bottom right comes just into view. */
  g_assert_true (dbw_view_transform_scroll_to_rect (&t, 7000, 5000, 50, 40));
  dbw_view_transform_image_to_view (&t, 7000, 5000, &x0, &y0);
  dbw_view_transform_image_to_view (&t, 7050, 5040, &x1, &y1);
  g_assert_cmpfloat (x0, >=, 0);
  g_assert_cmpfloat (y0, >=, 0);
  g_assert_cmpfloat_with_epsilon (x1, 1300, EPSILON);
  g_assert_cmpfloat_with_epsilon (y1, 800, EPSILON);

  /* Already visible: nothing moves. */
  g_assert_false (dbw_view_transform_scroll_to_rect (&t, 7010, 5010, 10, 10));
}

static void
test_no_image (void)
{
  DbwViewTransform t;
  double x, y, w, h;

  dbw_view_transform_init (&t);
  dbw_view_transform_set_view_size (&t, 300, 200);
  g_assert_false (dbw_view_transform_get_visible_rect (&t, &x, &y, &w, &h));
  dbw_view_transform_fit (&t);
  g_assert_cmpfloat (t.scale, ==, 1.0);
  dbw_view_transform_pan_by (&t, 10, 10);
  g_assert_cmpfloat (t.offset_x, ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/view-transform/round-trip", test_round_trip);
  g_test_add_func ("/view-transform/fit", test_fit);
  g_test_add_func ("/view-transform/zoom-at-cursor", test_zoom_at_cursor);
  g_test_add_func ("/view-transform/zoom-limits", test_zoom_limits);
  g_test_add_func ("/view-transform/one-to-one", test_one_to_one);
  g_test_add_func ("/view-transform/pan-clamp", test_pan_clamp);
  g_test_add_func ("/view-transform/scroll-to-rect", test_scroll_to_rect);
  g_test_add_func ("/view-transform/no-image", test_no_image);

  return g_test_run ();
}
