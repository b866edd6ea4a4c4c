/* dbw-shapes.c
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

#define G_LOG_DOMAIN "dbw-shapes"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dbw-shapes.h"

/* query_rect is asked for every frame the annotator draws, so shapes are bucketed in a grid of
 * at most GRID_MAX × GRID_MAX cells over the image, built on first use after a change. */
#define GRID_MAX      64
#define GRID_MIN_CELL 16.0

struct _DbwShapeSet
{
  GObject    parent_instance;

  int        image_width;
  int        image_height;
  GPtrArray *shapes;          /* (element-type DbwShape) */

  /* The spatial index; valid while grid_valid. */
  gboolean   grid_valid;
  guint      grid_cols;
  guint      grid_rows;
  double     cell_width;
  double     cell_height;
  GArray   **grid;            /* grid_cols * grid_rows arrays of guint */
  guint     *stamps;          /* per shape, to report each once per query */
  guint      stamp;

  /* A drag keeps the side it started opposite to, even after the shape flipped over it. */
  guint64    serial;          /* bumped by every change not made by the current drag */
  guint64    drag_serial;
  guint      drag_index;
  int        drag_handle;
  double     drag_fixed_x;
  double     drag_fixed_y;
  DbwShape  *drag_origin;     /* polygons: the shape before the drag, scaled from */
};

G_DEFINE_FINAL_TYPE (DbwShapeSet, dbw_shape_set, G_TYPE_OBJECT)

G_DEFINE_QUARK (dbw-shapes-error-quark, dbw_shapes_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
shape_free (DbwShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->label);
  g_clear_pointer (&shape->points, g_array_unref);
  g_clear_pointer (&shape->extra, json_object_unref);
  g_free (shape);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbwShape, shape_free)

static DbwShape *
shape_copy (const DbwShape *shape)
{
  DbwShape *copy = g_new0 (DbwShape, 1);

  copy->kind = shape->kind;
  copy->label = g_strdup (shape->label);
  copy->x = shape->x;
  copy->y = shape->y;
  copy->width = shape->width;
  copy->height = shape->height;
  if (shape->points != NULL)
    {
      copy->points = g_array_sized_new (FALSE, FALSE, sizeof (DbwPoint), shape->points->len);
      g_array_append_vals (copy->points, shape->points->data, shape->points->len);
    }
  if (shape->extra != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonNode) node_copy = NULL;

      json_node_set_object (node, shape->extra);
      node_copy = json_node_copy (node);
      copy->extra = json_object_ref (json_node_get_object (node_copy));
    }
  copy->suggested = shape->suggested;
  return copy;
}

static void
grid_clear (DbwShapeSet *self)
{
  if (self->grid != NULL)
    {
      for (guint i = 0; i < self->grid_cols * self->grid_rows; i++)
        g_array_unref (self->grid[i]);
      g_clear_pointer (&self->grid, g_free);
    }
  g_clear_pointer (&self->stamps, g_free);
  self->grid_valid = FALSE;
}

static void
grid_cell_range (DbwShapeSet *self,
                 double       x0,
                 double       y0,
                 double       x1,
                 double       y1,
                 guint       *c0,
                 guint       *r0,
                 guint       *c1,
                 guint       *r1)
{
  *c0 = (guint) CLAMP (floor (x0 / self->cell_width), 0, self->grid_cols - 1);
  *c1 = (guint) CLAMP (floor (x1 / self->cell_width), 0, self->grid_cols - 1);
  *r0 = (guint) CLAMP (floor (y0 / self->cell_height), 0, self->grid_rows - 1);
  *r1 = (guint) CLAMP (floor (y1 / self->cell_height), 0, self->grid_rows - 1);
}

static void
grid_build (DbwShapeSet *self)
{
  grid_clear (self);

  self->grid_cols = (guint) CLAMP (self->image_width / GRID_MIN_CELL, 1, GRID_MAX);
  self->grid_rows = (guint) CLAMP (self->image_height / GRID_MIN_CELL, 1, GRID_MAX);
  self->cell_width = (double) self->image_width / self->grid_cols;
  self->cell_height = (double) self->image_height / self->grid_rows;
  self->grid = g_new0 (GArray *, self->grid_cols * self->grid_rows);
  for (guint i = 0; i < self->grid_cols * self->grid_rows; i++)
    self->grid[i] = g_array_new (FALSE, FALSE, sizeof (guint));
  self->stamps = g_new0 (guint, MAX (self->shapes->len, 1));
  self->stamp = 0;

  for (guint i = 0; i < self->shapes->len; i++)
    {
      const DbwShape *shape = g_ptr_array_index (self->shapes, i);
      guint c0, r0, c1, r1;

      grid_cell_range (self, shape->x, shape->y, shape->x + shape->width, shape->y + shape->height,
                       &c0, &r0, &c1, &r1);
      for (guint r = r0; r <= r1; r++)
        for (guint c = c0; c <= c1; c++)
          g_array_append_val (self->grid[r * self->grid_cols + c], i);
    }
  self->grid_valid = TRUE;
}

static void
emit_changed (DbwShapeSet *self)
{
  grid_clear (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Any change but the running drag's own forgets the drag. */
static void
changed (DbwShapeSet *self)
{
  self->serial++;
  g_clear_pointer (&self->drag_origin, shape_free);
  emit_changed (self);
}

static gboolean
has_size (DbwShapeSet *self)
{
  return self->image_width > 0 && self->image_height > 0;
}

static void
update_bbox (DbwShape *shape)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (shape->points == NULL || shape->points->len == 0)
    return;

  for (guint i = 0; i < shape->points->len; i++)
    {
      const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);

      x0 = MIN (x0, p->x);
      y0 = MIN (y0, p->y);
      x1 = MAX (x1, p->x);
      y1 = MAX (y1, p->y);
    }
  shape->x = x0;
  shape->y = y0;
  shape->width = x1 - x0;
  shape->height = y1 - y0;
}

/* A span [*lo, *hi] inside [0, limit] at least one pixel long (when the image has one). */
static void
clamp_span (double *lo,
            double *hi,
            double  limit)
{
  double a = *lo, b = *hi;

  if (limit <= 0)
    {
      if (b - a < 1)
        b = a + 1;
      *lo = a;
      *hi = b;
      return;
    }

  a = CLAMP (a, 0, limit);
  b = CLAMP (b, 0, limit);
  if (b - a < 1)
    {
      b = a + 1;
      if (b > limit)
        {
          b = limit;
          a = MAX (0, limit - 1);
        }
    }
  *lo = a;
  *hi = b;
}

static void
clamp_shape (DbwShapeSet *self,
             DbwShape    *shape)
{
  if (shape->kind == DBW_SHAPE_POLYGON)
    {
      if (has_size (self))
        for (guint i = 0; i < shape->points->len; i++)
          {
            DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);

            p->x = CLAMP (p->x, 0, self->image_width);
            p->y = CLAMP (p->y, 0, self->image_height);
          }
      update_bbox (shape);
    }
  else
    {
      double x0 = shape->x, x1 = shape->x + shape->width;
      double y0 = shape->y, y1 = shape->y + shape->height;

      clamp_span (&x0, &x1, self->image_width);
      clamp_span (&y0, &y1, self->image_height);
      shape->x = x0;
      shape->y = y0;
      shape->width = x1 - x0;
      shape->height = y1 - y0;
    }
}

static DbwShape *
get_shape_mutable (DbwShapeSet *self,
                   guint        index)
{
  return g_ptr_array_index (self->shapes, index);
}

/* The dragged edge moves to @dragged, @fixed stays; past it the span flips. */
static void
drag_span (double  fixed,
           double  dragged,
           double  limit,
           double *lo,
           double *hi)
{
  if (limit > 0)
    dragged = CLAMP (dragged, 0, limit);

  if (dragged >= fixed)
    {
      *lo = fixed;
      *hi = MAX (dragged, fixed + 1);
      if (limit > 0 && *hi > limit)
        {
          /* no room on this side: one pixel on the other */
          *hi = fixed;
          *lo = fixed - 1;
        }
    }
  else
    {
      *hi = fixed;
      *lo = MIN (dragged, fixed - 1);
      if (limit > 0 && *lo < 0)
        {
          *lo = fixed;
          *hi = fixed + 1;
        }
    }
}

static gboolean
handle_moves_left (int handle)
{
  return handle == DBW_HANDLE_TOP_LEFT || handle == DBW_HANDLE_LEFT || handle == DBW_HANDLE_BOTTOM_LEFT;
}

static gboolean
handle_moves_right (int handle)
{
  return handle == DBW_HANDLE_TOP_RIGHT || handle == DBW_HANDLE_RIGHT || handle == DBW_HANDLE_BOTTOM_RIGHT;
}

static gboolean
handle_moves_top (int handle)
{
  return handle == DBW_HANDLE_TOP_LEFT || handle == DBW_HANDLE_TOP || handle == DBW_HANDLE_TOP_RIGHT;
}

static gboolean
handle_moves_bottom (int handle)
{
  return handle == DBW_HANDLE_BOTTOM_LEFT || handle == DBW_HANDLE_BOTTOM || handle == DBW_HANDLE_BOTTOM_RIGHT;
}

static void
handle_position (const DbwShape *shape,
                 int             handle,
                 double         *x,
                 double         *y)
{
  double cx = shape->x + shape->width / 2, cy = shape->y + shape->height / 2;

  *x = handle_moves_left (handle) ? shape->x : handle_moves_right (handle) ? shape->x + shape->width : cx;
  *y = handle_moves_top (handle) ? shape->y : handle_moves_bottom (handle) ? shape->y + shape->height : cy;
}

static double
segment_distance (double x,
                  double y,
                  const DbwPoint *a,
                  const DbwPoint *b)
{
  double dx = b->x - a->x, dy = b->y - a->y;
  double len2 = dx * dx + dy * dy;
  double t = 0;

  if (len2 > 0)
    t = CLAMP (((x - a->x) * dx + (y - a->y) * dy) / len2, 0, 1);
  return hypot (x - (a->x + t * dx), y - (a->y + t * dy));
}

static gboolean
shape_contains (const DbwShape *shape,
                double          x,
                double          y,
                double          tolerance)
{
  gboolean inside = FALSE;
  guint n;

  if (x < shape->x - tolerance || x > shape->x + shape->width + tolerance ||
      y < shape->y - tolerance || y > shape->y + shape->height + tolerance)
    return FALSE;

  if (shape->kind == DBW_SHAPE_BOX)
    return TRUE;

  n = shape->points->len;
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      const DbwPoint *a = &g_array_index (shape->points, DbwPoint, i);
      const DbwPoint *b = &g_array_index (shape->points, DbwPoint, j);

      if (((a->y > y) != (b->y > y)) &&
          x < (b->x - a->x) * (y - a->y) / (b->y - a->y) + a->x)
        inside = !inside;
      if (tolerance > 0 && segment_distance (x, y, a, b) <= tolerance)
        return TRUE;
    }
  return inside;
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  return ia < ib ? -1 : ia > ib;
}

static gboolean
extra_equal (JsonObject *a,
             JsonObject *b)
{
  g_autoptr(JsonNode) na = NULL;
  g_autoptr(JsonNode) nb = NULL;

  if (a == NULL || b == NULL)
    return (a == NULL || json_object_get_size (a) == 0) && (b == NULL || json_object_get_size (b) == 0);

  na = json_node_new (JSON_NODE_OBJECT);
  nb = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (na, a);
  json_node_set_object (nb, b);
  return json_node_equal (na, nb);
}

static gboolean
shape_equal (const DbwShape *a,
             const DbwShape *b)
{
  if (a->kind != b->kind || g_strcmp0 (a->label, b->label) != 0 || a->suggested != b->suggested)
    return FALSE;
  if (a->x != b->x || a->y != b->y || a->width != b->width || a->height != b->height)
    return FALSE;
  if (a->kind == DBW_SHAPE_POLYGON)
    {
      if (a->points->len != b->points->len)
        return FALSE;
      for (guint i = 0; i < a->points->len; i++)
        {
          const DbwPoint *pa = &g_array_index (a->points, DbwPoint, i);
          const DbwPoint *pb = &g_array_index (b->points, DbwPoint, i);

          if (pa->x != pb->x || pa->y != pb->y)
            return FALSE;
        }
    }
  return extra_equal (a->extra, b->extra);
}

/* Whole pixels as JSON integers, so label_data stays as readable as the tools that wrote it. */
static void
add_number (JsonBuilder *builder,
            double       value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static gboolean
read_number (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

static gboolean
read_image_size (JsonObject  *root,
                 const char  *member,
                 int         *size,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!read_number (node, &value) || value < 1 || value > G_MAXINT || value != floor (value))
    {
      g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                   _("Member “%s” must be a positive whole number of pixels"), member);
      return FALSE;
    }
  *size = (int) value;
  return TRUE;
}

static DbwShape *
parse_object (JsonNode  *node,
              guint      index,
              GError   **error)
{
  g_autoptr(DbwShape) shape = g_new0 (DbwShape, 1);
  JsonObject *object;
  JsonNode *class_node, *bbox_node, *polygon_node;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                   _("Object %u is not a JSON object"), index);
      return NULL;
    }
  object = json_node_get_object (node);

  class_node = json_object_get_member (object, "class");
  if (class_node == NULL || !JSON_NODE_HOLDS_VALUE (class_node) ||
      json_node_get_value_type (class_node) != G_TYPE_STRING ||
      *json_node_get_string (class_node) == '\0')
    {
      g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                   _("Object %u: member “class” must be a non-empty string"), index);
      return NULL;
    }
  shape->label = g_strdup (json_node_get_string (class_node));

  polygon_node = json_object_get_member (object, "polygon");
  bbox_node = json_object_get_member (object, "bbox");

  if (polygon_node != NULL && !JSON_NODE_HOLDS_NULL (polygon_node))
    {
      JsonArray *points;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (polygon_node) ||
          (n = json_array_get_length (points = json_node_get_array (polygon_node))) < 3)
        {
          g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                       _("Object %u: member “polygon” must be an array of at least three [x, y] points"),
                       index);
          return NULL;
        }
      shape->kind = DBW_SHAPE_POLYGON;
      shape->points = g_array_sized_new (FALSE, FALSE, sizeof (DbwPoint), n);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *pn = json_array_get_element (points, i);
          JsonArray *pair;
          DbwPoint p;

          if (!JSON_NODE_HOLDS_ARRAY (pn) ||
              json_array_get_length (pair = json_node_get_array (pn)) != 2 ||
              !read_number (json_array_get_element (pair, 0), &p.x) ||
              !read_number (json_array_get_element (pair, 1), &p.y))
            {
              g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                           _("Object %u: member “polygon”, point %u must be [x, y] numbers"), index, i);
              return NULL;
            }
          g_array_append_val (shape->points, p);
        }
      update_bbox (shape);
    }
  else
    {
      JsonArray *bbox;
      double v[4];

      if (bbox_node == NULL || !JSON_NODE_HOLDS_ARRAY (bbox_node) ||
          json_array_get_length (bbox = json_node_get_array (bbox_node)) != 4)
        {
          g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                       _("Object %u: member “bbox” must be an array [x, y, width, height]"), index);
          return NULL;
        }
      for (guint i = 0; i < 4; i++)
        if (!read_number (json_array_get_element (bbox, i), &v[i]))
          {
            g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                         _("Object %u: member “bbox”, element %u is not a number"), index, i);
            return NULL;
          }
      if (v[2] < 0 || v[3] < 0)
        {
          g_set_error (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                       _("Object %u: member “bbox” has a negative width or height"), index);
          return NULL;
        }
      shape->kind = DBW_SHAPE_BOX;
      shape->x = v[0];
      shape->y = v[1];
      shape->width = v[2];
      shape->height = v[3];
    }

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "class") || g_str_equal (name, "bbox") || g_str_equal (name, "polygon"))
        continue;
      if (shape->extra == NULL)
        shape->extra = json_object_new ();
      json_object_set_member (shape->extra, name, json_node_copy (json_object_get_member (object, name)));
    }

  return g_steal_pointer (&shape);
}

static void
dbw_shape_set_finalize (GObject *object)
{
  DbwShapeSet *self = (DbwShapeSet *)object;

  grid_clear (self);
  g_clear_pointer (&self->drag_origin, shape_free);
  g_clear_pointer (&self->shapes, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_shape_set_parent_class)->finalize (object);
}

static void
dbw_shape_set_class_init (DbwShapeSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dbw_shape_set_finalize;

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dbw_shape_set_init (DbwShapeSet *self)
{
  self->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) shape_free);
  self->drag_serial = G_MAXUINT64;
}

DbwShapeSet *
dbw_shape_set_new (int image_width,
                   int image_height)
{
  DbwShapeSet *self = g_object_new (DBW_TYPE_SHAPE_SET, NULL);

  self->image_width = MAX (image_width, 0);
  self->image_height = MAX (image_height, 0);
  return self;
}

DbwShapeSet *
dbw_shape_set_new_from_json (const char  *label_data,
                             int          image_width,
                             int          image_height,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DbwShapeSet) self = NULL;
  JsonObject *root;
  JsonNode *objects_node;
  JsonArray *objects;
  int json_width = 0, json_height = 0;

  g_return_val_if_fail (label_data != NULL, NULL);

  if (!json_parser_load_from_data (parser, label_data, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                           _("The label data is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  if (!read_image_size (root, "image_width", &json_width, error) ||
      !read_image_size (root, "image_height", &json_height, error))
    return NULL;

  self = dbw_shape_set_new (image_width > 0 ? image_width : json_width,
                            image_height > 0 ? image_height : json_height);

  objects_node = json_object_get_member (root, "objects");
  if (objects_node == NULL || JSON_NODE_HOLDS_NULL (objects_node))
    return g_steal_pointer (&self);
  if (!JSON_NODE_HOLDS_ARRAY (objects_node))
    {
      g_set_error_literal (error, DBW_SHAPES_ERROR, DBW_SHAPES_ERROR_PARSE,
                           _("Member “objects” must be an array"));
      return NULL;
    }
  objects = json_node_get_array (objects_node);
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      DbwShape *shape = parse_object (json_array_get_element (objects, i), i, error);

      if (shape == NULL)
        return NULL;
      clamp_shape (self, shape);
      g_ptr_array_add (self->shapes, shape);
    }

  return g_steal_pointer (&self);
}

char *
dbw_shape_set_to_json (DbwShapeSet *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), NULL);

  json_builder_begin_object (builder);
  if (self->image_width > 0 && self->image_height > 0)
    {
      json_builder_set_member_name (builder, "image_width");
      json_builder_add_int_value (builder, self->image_width);
      json_builder_set_member_name (builder, "image_height");
      json_builder_add_int_value (builder, self->image_height);
    }
  json_builder_set_member_name (builder, "objects");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->shapes->len; i++)
    {
      const DbwShape *shape = g_ptr_array_index (self->shapes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "class");
      json_builder_add_string_value (builder, shape->label);
      json_builder_set_member_name (builder, "bbox");
      json_builder_begin_array (builder);
      add_number (builder, shape->x);
      add_number (builder, shape->y);
      add_number (builder, shape->width);
      add_number (builder, shape->height);
      json_builder_end_array (builder);
      if (shape->kind == DBW_SHAPE_POLYGON)
        {
          json_builder_set_member_name (builder, "polygon");
          json_builder_begin_array (builder);
          for (guint j = 0; j < shape->points->len; j++)
            {
              const DbwPoint *p = &g_array_index (shape->points, DbwPoint, j);

              json_builder_begin_array (builder);
              add_number (builder, p->x);
              add_number (builder, p->y);
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
        }
      if (shape->extra != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (shape->extra);

          for (const GList *l = members; l != NULL; l = l->next)
            {
              json_builder_set_member_name (builder, l->data);
              json_builder_add_value (builder, json_node_copy (json_object_get_member (shape->extra, l->data)));
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

DbwShapeSet *
dbw_shape_set_copy (DbwShapeSet *self)
{
  DbwShapeSet *copy;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), NULL);

  copy = dbw_shape_set_new (self->image_width, self->image_height);
  for (guint i = 0; i < self->shapes->len; i++)
    g_ptr_array_add (copy->shapes, shape_copy (g_ptr_array_index (self->shapes, i)));
  return copy;
}

gboolean
dbw_shape_set_equal (DbwShapeSet *self,
                     DbwShapeSet *other)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), FALSE);
  g_return_val_if_fail (DBW_IS_SHAPE_SET (other), FALSE);

  if (self == other)
    return TRUE;
  if (self->image_width != other->image_width || self->image_height != other->image_height ||
      self->shapes->len != other->shapes->len)
    return FALSE;
  for (guint i = 0; i < self->shapes->len; i++)
    if (!shape_equal (g_ptr_array_index (self->shapes, i), g_ptr_array_index (other->shapes, i)))
      return FALSE;
  return TRUE;
}

int
dbw_shape_set_get_image_width (DbwShapeSet *self)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), 0);

  return self->image_width;
}

int
dbw_shape_set_get_image_height (DbwShapeSet *self)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), 0);

  return self->image_height;
}

void
dbw_shape_set_set_image_size (DbwShapeSet *self,
                              int          width,
                              int          height)
{
  g_return_if_fail (DBW_IS_SHAPE_SET (self));

  width = MAX (width, 0);
  height = MAX (height, 0);
  if (self->image_width == width && self->image_height == height)
    return;

  self->image_width = width;
  self->image_height = height;
  for (guint i = 0; i < self->shapes->len; i++)
    clamp_shape (self, get_shape_mutable (self, i));
  changed (self);
}

guint
dbw_shape_set_get_n_shapes (DbwShapeSet *self)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), 0);

  return self->shapes->len;
}

const DbwShape *
dbw_shape_set_get_shape (DbwShapeSet *self,
                         guint        index)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), NULL);
  g_return_val_if_fail (index < self->shapes->len, NULL);

  return g_ptr_array_index (self->shapes, index);
}

guint
dbw_shape_set_add_box (DbwShapeSet *self,
                       const char  *label,
                       double       x,
                       double       y,
                       double       width,
                       double       height)
{
  DbwShape *shape;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), G_MAXUINT);
  g_return_val_if_fail (label != NULL, G_MAXUINT);

  shape = g_new0 (DbwShape, 1);
  shape->kind = DBW_SHAPE_BOX;
  shape->label = g_strdup (label);
  /* a box drawn from right to left or bottom to top */
  shape->x = width < 0 ? x + width : x;
  shape->y = height < 0 ? y + height : y;
  shape->width = fabs (width);
  shape->height = fabs (height);
  clamp_shape (self, shape);
  g_ptr_array_add (self->shapes, shape);
  changed (self);
  return self->shapes->len - 1;
}

double
dbw_polygon_area (const DbwPoint *points,
                  guint           n_points)
{
  double area = 0;

  g_return_val_if_fail (points != NULL || n_points == 0, 0);

  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    area += (points[j].x + points[i].x) * (points[j].y - points[i].y);

  return fabs (area) / 2;
}

guint
dbw_shape_set_add_polygon (DbwShapeSet    *self,
                           const char     *label,
                           const DbwPoint *points,
                           guint           n_points)
{
  DbwShape *shape;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), G_MAXUINT);
  g_return_val_if_fail (label != NULL, G_MAXUINT);
  g_return_val_if_fail (points != NULL, G_MAXUINT);

  /* a polygon closed by clicking its first vertex again lists it once */
  if (n_points > 3 &&
      points[0].x == points[n_points - 1].x && points[0].y == points[n_points - 1].y)
    n_points--;
  g_return_val_if_fail (n_points >= 3, G_MAXUINT);

  shape = g_new0 (DbwShape, 1);
  shape->kind = DBW_SHAPE_POLYGON;
  shape->label = g_strdup (label);
  shape->points = g_array_sized_new (FALSE, FALSE, sizeof (DbwPoint), n_points);
  g_array_append_vals (shape->points, points, n_points);
  clamp_shape (self, shape);
  g_ptr_array_add (self->shapes, shape);
  changed (self);
  return self->shapes->len - 1;
}

void
dbw_shape_set_remove (DbwShapeSet *self,
                      guint        index)
{
  g_return_if_fail (DBW_IS_SHAPE_SET (self));
  g_return_if_fail (index < self->shapes->len);

  g_ptr_array_remove_index (self->shapes, index);
  changed (self);
}

void
dbw_shape_set_clear (DbwShapeSet *self)
{
  g_return_if_fail (DBW_IS_SHAPE_SET (self));

  if (self->shapes->len == 0)
    return;
  g_ptr_array_set_size (self->shapes, 0);
  changed (self);
}

void
dbw_shape_set_set_label (DbwShapeSet *self,
                         guint        index,
                         const char  *label)
{
  DbwShape *shape;

  g_return_if_fail (DBW_IS_SHAPE_SET (self));
  g_return_if_fail (index < self->shapes->len);
  g_return_if_fail (label != NULL);

  shape = get_shape_mutable (self, index);
  if (g_strcmp0 (shape->label, label) == 0)
    return;
  g_free (shape->label);
  shape->label = g_strdup (label);
  changed (self);
}

void
dbw_shape_set_set_suggested (DbwShapeSet *self,
                             guint        index,
                             gboolean     suggested)
{
  DbwShape *shape;

  g_return_if_fail (DBW_IS_SHAPE_SET (self));
  g_return_if_fail (index < self->shapes->len);

  shape = get_shape_mutable (self, index);
  if (shape->suggested == !!suggested)
    return;
  shape->suggested = !!suggested;
  changed (self);
}

void
dbw_shape_set_move (DbwShapeSet *self,
                    guint        index,
                    double       dx,
                    double       dy)
{
  DbwShape *shape;

  g_return_if_fail (DBW_IS_SHAPE_SET (self));
  g_return_if_fail (index < self->shapes->len);

  shape = get_shape_mutable (self, index);
  if (has_size (self))
    {
      dx = CLAMP (dx, -shape->x, MAX (0, self->image_width - (shape->x + shape->width)));
      dy = CLAMP (dy, -shape->y, MAX (0, self->image_height - (shape->y + shape->height)));
    }
  if (dx == 0 && dy == 0)
    return;

  shape->x += dx;
  shape->y += dy;
  if (shape->points != NULL)
    for (guint i = 0; i < shape->points->len; i++)
      {
        DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);

        p->x += dx;
        p->y += dy;
      }
  changed (self);
}

static gboolean
drag_box_handle (DbwShapeSet *self,
                 DbwShape    *shape,
                 int          handle,
                 double       x,
                 double       y)
{
  double x0 = shape->x, x1 = shape->x + shape->width;
  double y0 = shape->y, y1 = shape->y + shape->height;
  double old_x = shape->x, old_y = shape->y, old_w = shape->width, old_h = shape->height;

  if (handle_moves_left (handle) || handle_moves_right (handle))
    drag_span (self->drag_fixed_x, x, self->image_width, &x0, &x1);
  if (handle_moves_top (handle) || handle_moves_bottom (handle))
    drag_span (self->drag_fixed_y, y, self->image_height, &y0, &y1);

  shape->x = x0;
  shape->y = y0;
  shape->width = x1 - x0;
  shape->height = y1 - y0;

  if (shape->kind == DBW_SHAPE_POLYGON)
    {
      /* the polygon is scaled from where it was when the drag began, so it mirrors on a flip */
      const DbwShape *origin = self->drag_origin;
      gboolean flip_x = (handle_moves_left (handle) && x > self->drag_fixed_x) ||
                        (handle_moves_right (handle) && x < self->drag_fixed_x);
      gboolean flip_y = (handle_moves_top (handle) && y > self->drag_fixed_y) ||
                        (handle_moves_bottom (handle) && y < self->drag_fixed_y);

      for (guint i = 0; i < shape->points->len; i++)
        {
          const DbwPoint *o = &g_array_index (origin->points, DbwPoint, i);
          DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);
          double u = origin->width > 0 ? (o->x - origin->x) / origin->width : 0.5;
          double v = origin->height > 0 ? (o->y - origin->y) / origin->height : 0.5;

          if (flip_x)
            u = 1 - u;
          if (flip_y)
            v = 1 - v;
          p->x = shape->x + u * shape->width;
          p->y = shape->y + v * shape->height;
        }
      update_bbox (shape);
    }

  return shape->x != old_x || shape->y != old_y || shape->width != old_w || shape->height != old_h ||
         shape->kind == DBW_SHAPE_POLYGON;
}

void
dbw_shape_set_drag_handle (DbwShapeSet *self,
                           guint        index,
                           int          handle,
                           double       x,
                           double       y)
{
  DbwShape *shape;
  gboolean moved;

  g_return_if_fail (DBW_IS_SHAPE_SET (self));
  g_return_if_fail (index < self->shapes->len);

  shape = get_shape_mutable (self, index);

  if (handle >= DBW_HANDLE_VERTEX)
    {
      guint vertex = (guint) (handle - DBW_HANDLE_VERTEX);
      DbwPoint *p;

      g_return_if_fail (shape->kind == DBW_SHAPE_POLYGON && vertex < shape->points->len);

      if (has_size (self))
        {
          x = CLAMP (x, 0, self->image_width);
          y = CLAMP (y, 0, self->image_height);
        }
      p = &g_array_index (shape->points, DbwPoint, vertex);
      if (p->x == x && p->y == y)
        return;
      p->x = x;
      p->y = y;
      update_bbox (shape);
      changed (self);
      return;
    }

  g_return_if_fail (handle >= DBW_HANDLE_TOP_LEFT && handle <= DBW_HANDLE_LEFT);

  /* A new drag — or the same one continued — keeps the side opposite the handle where it was
   * when the drag began, so a box dragged past it flips and can flip back. */
  if (self->drag_serial != self->serial || self->drag_index != index || self->drag_handle != handle)
    {
      self->drag_fixed_x = handle_moves_left (handle) ? shape->x + shape->width : shape->x;
      self->drag_fixed_y = handle_moves_top (handle) ? shape->y + shape->height : shape->y;
      self->drag_index = index;
      self->drag_handle = handle;
      g_clear_pointer (&self->drag_origin, shape_free);
      if (shape->kind == DBW_SHAPE_POLYGON)
        self->drag_origin = shape_copy (shape);
    }

  moved = drag_box_handle (self, shape, handle, x, y);
  self->drag_serial = ++self->serial;
  if (moved)
    emit_changed (self);
}

int
dbw_shape_set_hit_test (DbwShapeSet *self,
                        double       x,
                        double       y,
                        double       tolerance)
{
  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), -1);

  for (guint i = self->shapes->len; i > 0; i--)
    if (shape_contains (g_ptr_array_index (self->shapes, i - 1), x, y, MAX (tolerance, 0)))
      return (int) i - 1;
  return -1;
}

int
dbw_shape_set_hit_handle (DbwShapeSet *self,
                          guint        index,
                          double       x,
                          double       y,
                          double       tolerance)
{
  const DbwShape *shape;
  double best = G_MAXDOUBLE;
  int found = DBW_HANDLE_NONE;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), DBW_HANDLE_NONE);
  g_return_val_if_fail (index < self->shapes->len, DBW_HANDLE_NONE);

  shape = g_ptr_array_index (self->shapes, index);

  /* a press on a handle begins a new drag */
  self->drag_serial = G_MAXUINT64;

  /* a polygon's vertices come before its box handles */
  if (shape->kind == DBW_SHAPE_POLYGON)
    {
      for (guint i = 0; i < shape->points->len; i++)
        {
          const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);
          double d = hypot (x - p->x, y - p->y);

          if (d <= tolerance && d < best)
            {
              best = d;
              found = DBW_HANDLE_VERTEX + (int) i;
            }
        }
      if (found != DBW_HANDLE_NONE)
        return found;
    }

  for (int h = DBW_HANDLE_TOP_LEFT; h <= DBW_HANDLE_LEFT; h++)
    {
      double hx, hy, d;

      handle_position (shape, h, &hx, &hy);
      d = hypot (x - hx, y - hy);
      if (d <= tolerance && d < best)
        {
          best = d;
          found = h;
        }
    }
  return found;
}

GArray *
dbw_shape_set_query_rect (DbwShapeSet *self,
                          double       x,
                          double       y,
                          double       width,
                          double       height)
{
  GArray *result;
  double x1 = x + width, y1 = y + height;
  guint c0, r0, c1, r1;

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), NULL);

  result = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!has_size (self))
    {
      for (guint i = 0; i < self->shapes->len; i++)
        {
          const DbwShape *s = g_ptr_array_index (self->shapes, i);

          if (s->x <= x1 && s->x + s->width >= x && s->y <= y1 && s->y + s->height >= y)
            g_array_append_val (result, i);
        }
      return result;
    }

  if (!self->grid_valid)
    grid_build (self);

  if (++self->stamp == 0)
    {
      memset (self->stamps, 0, sizeof (guint) * MAX (self->shapes->len, 1));
      self->stamp = 1;
    }

  grid_cell_range (self, x, y, x1, y1, &c0, &r0, &c1, &r1);
  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        GArray *cell = self->grid[r * self->grid_cols + c];

        for (guint k = 0; k < cell->len; k++)
          {
            guint i = g_array_index (cell, guint, k);
            const DbwShape *s = g_ptr_array_index (self->shapes, i);

            if (self->stamps[i] == self->stamp)
              continue;
            self->stamps[i] = self->stamp;
            if (s->x <= x1 && s->x + s->width >= x && s->y <= y1 && s->y + s->height >= y)
              g_array_append_val (result, i);
          }
      }

  if (r0 != r1 || c0 != c1)
    g_array_sort (result, compare_index);

  return result;
}

GStrv
dbw_shape_set_list_labels (DbwShapeSet *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (DBW_IS_SHAPE_SET (self), NULL);

  for (guint i = 0; i < self->shapes->len; i++)
    {
      const DbwShape *shape = g_ptr_array_index (self->shapes, i);

      if (g_hash_table_add (seen, shape->label))
        g_strv_builder_add (builder, shape->label);
    }
  return g_strv_builder_end (builder);
}
