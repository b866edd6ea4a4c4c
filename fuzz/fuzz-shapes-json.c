/* fuzz-shapes-json.c
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

#define G_LOG_DOMAIN "fuzz-shapes-json"

#include "config.h"

#include <string.h>

#include "dbw-shapes.h"

#include "fuzz.h"

/* Parses the input (JSON text up to its first NUL byte) as object_detection label_data
 * with dbw_shape_set_new_from_json(), once with the size the JSON gives and once for an
 * image of 64 × 48. A failure must be a DBW_SHAPES_ERROR or a JSON_PARSER_ERROR. A
 * success must have every shape inside a known image, boxes at least a pixel wide and
 * high, polygons of three points or more; its JSON must read back as an equal set, and a
 * copy must be equal; moving, dragging and hit testing every shape must keep it inside. */

static void
check_set (DbwShapeSet *set)
{
  int width = dbw_shape_set_get_image_width (set);
  int height = dbw_shape_set_get_image_height (set);
  g_autoptr(DbwShapeSet) copy = dbw_shape_set_copy (set);
  g_autoptr(DbwShapeSet) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = dbw_shape_set_to_json (set);

  if (!dbw_shape_set_equal (set, copy))
    g_error ("A copy differs from its set");

  for (guint i = 0; i < dbw_shape_set_get_n_shapes (set); i++)
    {
      const DbwShape *shape = dbw_shape_set_get_shape (set, i);

      if (shape->kind == DBW_SHAPE_POLYGON && (shape->points == NULL || shape->points->len < 3))
        g_error ("Shape %u is a polygon of fewer than three points", i);
      if (width > 0 && height > 0 &&
          (shape->x < 0 || shape->y < 0 || shape->x + shape->width > width || shape->y + shape->height > height))
        g_error ("Shape %u lies outside its %d × %d image: %g %g %g %g", i, width, height,
                 shape->x, shape->y, shape->width, shape->height);
      if (width > 0 && height > 0 && shape->kind == DBW_SHAPE_BOX && (shape->width < 1 || shape->height < 1))
        g_error ("Box %u is thinner than a pixel", i);
    }

  /* json-glib turns an escaped lone surrogate into bytes that are not UTF-8, which it will
   * not read back: such input cannot round-trip, whoever wrote it */
  if (g_utf8_validate (json, -1, NULL))
    {
      again = dbw_shape_set_new_from_json (json, 0, 0, &error);
      if (again == NULL)
        g_error ("A set does not read back its own JSON: %s\n%s", error->message, json);
      if (width > 0 && height > 0 && !dbw_shape_set_equal (set, again))
        g_error ("A set changed on the round trip:\n%s", json);
    }

  for (guint i = 0; width > 0 && height > 0 && i < dbw_shape_set_get_n_shapes (copy); i++)
    {
      const DbwShape *shape;

      dbw_shape_set_move (copy, i, 1e6, -1e6);
      dbw_shape_set_drag_handle (copy, i, DBW_HANDLE_TOP_LEFT, -5, 1e9);
      dbw_shape_set_drag_handle (copy, i, DBW_HANDLE_TOP_LEFT, width + 5.5, -3);
      if (dbw_shape_set_get_shape (copy, i)->kind == DBW_SHAPE_POLYGON)
        dbw_shape_set_drag_handle (copy, i, DBW_HANDLE_VERTEX, -7, height * 2);
      shape = dbw_shape_set_get_shape (copy, i);
      if (shape->x < 0 || shape->y < 0 || shape->x + shape->width > width || shape->y + shape->height > height)
        g_error ("Shape %u left its image when moved and dragged: %g %g %g %g", i,
                 shape->x, shape->y, shape->width, shape->height);
      dbw_shape_set_hit_test (copy, shape->x, shape->y, 2);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const int sizes[][2] = { { 0, 0 }, { 64, 48 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DbwShapeSet) set = dbw_shape_set_new_from_json (text, sizes[s][0], sizes[s][1], &error);

      if (set == NULL)
        {
          if (error == NULL || (error->domain != DBW_SHAPES_ERROR && error->domain != JSON_PARSER_ERROR))
            g_error ("Parsing failed with %s instead of a shapes or JSON error",
                     error != NULL ? g_quark_to_string (error->domain) : "no error");
          continue;
        }
      check_set (set);
    }
  return 0;
}
