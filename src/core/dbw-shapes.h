/* dbw-shapes.h
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

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The shapes of an object_detection label, always in image pixels (origin top-left, x right,
 * y down), whatever the zoom they were drawn at. Serialised as the label_data the templates'
 * output schema asks for:
 *
 *   {"image_width": W, "image_height": H,
 *    "objects": [{"class": "solder_bridge", "bbox": [x, y, w, h], …},
 *                {"class": "scratch", "bbox": [x, y, w, h], "polygon": [[x, y], …], …}]}
 *
 * A polygon keeps its bbox too, so consumers that read only boxes still work. Members the
 * annotator does not know ("component", "score"…) are kept as they were. */

#define DBW_SHAPES_ERROR (dbw_shapes_error_quark ())

typedef enum
{
  DBW_SHAPES_ERROR_PARSE,   /* the message names the object index and member */
} DbwShapesError;

typedef enum
{
  DBW_SHAPE_BOX,
  DBW_SHAPE_POLYGON,
} DbwShapeKind;

typedef enum
{
  DBW_HANDLE_NONE = -1,
  DBW_HANDLE_TOP_LEFT,
  DBW_HANDLE_TOP,
  DBW_HANDLE_TOP_RIGHT,
  DBW_HANDLE_RIGHT,
  DBW_HANDLE_BOTTOM_RIGHT,
  DBW_HANDLE_BOTTOM,
  DBW_HANDLE_BOTTOM_LEFT,
  DBW_HANDLE_LEFT,
  /* polygon vertex i is DBW_HANDLE_VERTEX + i */
  DBW_HANDLE_VERTEX = 100,
} DbwHandle;

typedef struct
{
  double x;
  double y;
} DbwPoint;

typedef struct
{
  DbwShapeKind  kind;
  char         *label;     /* class name */
  double        x, y, width, height; /* the box, or the polygon's bounding box */
  GArray       *points;    /* (element-type DbwPoint) polygon vertices; NULL for a box */
  JsonObject   *extra;     /* (nullable) members kept verbatim */
  gboolean      suggested; /* a pre-annotation not yet accepted */
} DbwShape;

#define DBW_TYPE_SHAPE_SET (dbw_shape_set_get_type ())

G_DECLARE_FINAL_TYPE (DbwShapeSet, dbw_shape_set, DBW, SHAPE_SET, GObject)

/* Emits "changed" after every modification. Indices are in drawing order (last on top). */

GQuark          dbw_shapes_error_quark        (void);

/* The area a polygon's vertices enclose, whichever way they turn. */
double          dbw_polygon_area              (const DbwPoint *points,
                                               guint           n_points);

DbwShapeSet    *dbw_shape_set_new             (int            image_width,
                                               int            image_height);
DbwShapeSet    *dbw_shape_set_new_from_json   (const char    *label_data,
                                               int            image_width,   /* 0: from the JSON */
                                               int            image_height,
                                               GError       **error);
char           *dbw_shape_set_to_json         (DbwShapeSet   *self);
DbwShapeSet    *dbw_shape_set_copy            (DbwShapeSet   *self);
gboolean        dbw_shape_set_equal           (DbwShapeSet   *self,
                                               DbwShapeSet   *other);

int             dbw_shape_set_get_image_width  (DbwShapeSet  *self);
int             dbw_shape_set_get_image_height (DbwShapeSet  *self);
void            dbw_shape_set_set_image_size   (DbwShapeSet  *self,
                                                int           width,
                                                int           height);
guint           dbw_shape_set_get_n_shapes    (DbwShapeSet   *self);
const DbwShape *dbw_shape_set_get_shape       (DbwShapeSet   *self,
                                               guint          index);

/* Shapes are clamped to the image on every operation. Return the new shape's index. */
guint           dbw_shape_set_add_box         (DbwShapeSet   *self,
                                               const char    *label,
                                               double         x,
                                               double         y,
                                               double         width,
                                               double         height);
guint           dbw_shape_set_add_polygon     (DbwShapeSet   *self,
                                               const char    *label,
                                               const DbwPoint *points,
                                               guint          n_points);
void            dbw_shape_set_remove          (DbwShapeSet   *self,
                                               guint          index);
void            dbw_shape_set_clear           (DbwShapeSet   *self);
void            dbw_shape_set_set_label       (DbwShapeSet   *self,
                                               guint          index,
                                               const char    *label);
void            dbw_shape_set_set_suggested   (DbwShapeSet   *self,
                                               guint          index,
                                               gboolean       suggested);
/* Moves by (dx, dy), limited so the whole shape stays inside the image. */
void            dbw_shape_set_move            (DbwShapeSet   *self,
                                               guint          index,
                                               double         dx,
                                               double         dy);
/* Drags @handle to (x, y) in image pixels; the opposite side stays put, the result is clamped to
 * the image and never narrower than one pixel (a box dragged past its opposite edge flips).
 * Successive calls for the same shape and handle are one drag, which keeps the side opposite
 * where it was when the drag began (so a flipped box can flip back); any other change, or
 * dbw_shape_set_hit_handle() as a drag starts, begins a new one. Box handles on a polygon scale
 * its vertices. */
void            dbw_shape_set_drag_handle     (DbwShapeSet   *self,
                                               guint          index,
                                               int            handle,
                                               double         x,
                                               double         y);
/* The topmost shape containing (x, y) — inside a box, inside a polygon (even-odd), or within
 * @tolerance image pixels of an edge — or -1. */
int             dbw_shape_set_hit_test        (DbwShapeSet   *self,
                                               double         x,
                                               double         y,
                                               double         tolerance);
/* The handle of shape @index within @tolerance of (x, y), or DBW_HANDLE_NONE. */
int             dbw_shape_set_hit_handle      (DbwShapeSet   *self,
                                               guint          index,
                                               double         x,
                                               double         y,
                                               double         tolerance);
/* Indices of the shapes whose bounding box meets the rectangle, in drawing order; for drawing
 * only what is visible. */
GArray         *dbw_shape_set_query_rect      (DbwShapeSet   *self,
                                               double         x,
                                               double         y,
                                               double         width,
                                               double         height);
/* Class names in first-use order. */
GStrv           dbw_shape_set_list_labels     (DbwShapeSet   *self);

G_END_DECLS
