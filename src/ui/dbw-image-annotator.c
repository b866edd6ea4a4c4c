/* dbw-image-annotator.c
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

#define G_LOG_DOMAIN "dbw-image-annotator"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dbw-image-annotator-private.h"
#include "dbw-image-pyramid.h"
#include "dbw-view-transform.h"

/* One transform (DbwViewTransform) maps image pixels to the widget; every shape lives in
 * image pixels in the DbwShapeSet and is mapped only to be drawn or hit. A gesture that edits
 * copies the set when it begins and, if the set differs when it ends, keeps that copy as an
 * undo step and emits ::changed once. Images are decoded into pyramids by worker threads; a
 * few recent ones stay in a small cache keyed by the file's bytes, which
 * dbw_image_annotator_prefetch() fills ahead of time. */

#define ZOOM_STEP        1.25
#define SCROLL_STEP      48.0
#define HANDLE_SIZE      8.0     /* view pixels */
#define HIT_TOLERANCE    6.0     /* view pixels */
#define CLICK_DISTANCE   3.0     /* view pixels: a press and release closer are a click */
#define LINE_WIDTH       2.0
#define CACHE_SIZE       3
#define UNDO_DEPTH       100
#define NATURAL_SIZE     400
#define DEFAULT_CLASS    "object"

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_MOVE,
  DRAG_RESIZE,
  DRAG_BOX,
  DRAG_CLICK,    /* a press that acts on release: a polygon vertex, a selection */
} DragMode;

typedef struct
{
  GBytes          *bytes;
  GFile           *file;
  DbwImagePyramid *pyramid;
  GError          *error;
  GCancellable    *cancellable;  /* while loading */
  GWeakRef         owner;
} CacheEntry;

struct _DbwImageAnnotator
{
  GtkWidget         parent_instance;

  DbwShapeSet      *shapes;
  DbwImagePyramid  *pyramid;
  GError           *error;
  CacheEntry       *current;
  GPtrArray        *cache;        /* (element-type CacheEntry) least recently used first */

  DbwViewTransform  transform;

  GStrv             classes;
  char             *current_class;

  DbwAnnotatorTool  tool;
  int               selected;
  int               hover;

  GPtrArray        *undo;         /* (element-type DbwShapeSet) oldest first */
  GPtrArray        *redo;
  DbwShapeSet      *before;       /* the set when the edit under way began */

  /* The pointer and the gesture under way, in view pixels unless named image_. */
  double            pointer_x;
  double            pointer_y;
  DragMode          drag;
  guint             drag_button;
  double            press_x;
  double            press_y;
  double            press_offset_x;
  double            press_offset_y;
  double            press_image_x;
  double            press_image_y;
  double            moved_x;      /* image pixels the shape has moved in this drag */
  double            moved_y;
  int               drag_handle;
  int               press_hit;
  double            box_x1;       /* the far corner of the box being drawn, image pixels */
  double            box_y1;
  GArray           *polygon;      /* (element-type DbwPoint) vertices of the polygon being drawn */
  double            gesture_zoom;

  guint             n_drawn_tiles;
  guint             n_drawn_shapes;

  guint             fit : 1;
  guint             editable : 1;
  guint             has_pointer : 1;
  guint             space_down : 1;
  guint             loading : 1;
};

G_DEFINE_FINAL_TYPE (DbwImageAnnotator, dbw_image_annotator, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (DbwAnnotatorTool, dbw_annotator_tool,
                    G_DEFINE_ENUM_VALUE (DBW_ANNOTATOR_TOOL_SELECT, "select"),
                    G_DEFINE_ENUM_VALUE (DBW_ANNOTATOR_TOOL_BOX, "box"),
                    G_DEFINE_ENUM_VALUE (DBW_ANNOTATOR_TOOL_POLYGON, "polygon"))

enum {
  PROP_0,
  PROP_SHAPES,
  PROP_EDITABLE,
  PROP_SELECTED,
  PROP_TOOL,
  PROP_CURRENT_CLASS,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_LOADING,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* GNOME palette, one colour for each hotkey. */
static const GdkRGBA palette[] = {
  { 0.208f, 0.518f, 0.894f, 1 },  /* blue */
  { 0.180f, 0.761f, 0.494f, 1 },  /* green */
  { 0.965f, 0.827f, 0.176f, 1 },  /* yellow */
  { 1.000f, 0.471f, 0.000f, 1 },  /* orange */
  { 0.878f, 0.106f, 0.141f, 1 },  /* red */
  { 0.569f, 0.255f, 0.675f, 1 },  /* purple */
  { 0.596f, 0.416f, 0.267f, 1 },  /* brown */
  { 0.129f, 0.565f, 0.643f, 1 },  /* teal */
  { 0.753f, 0.380f, 0.796f, 1 },  /* pink */
};

static void update_accessible_description (DbwImageAnnotator *self);
static void update_cursor                 (DbwImageAnnotator *self);

/* Cache */

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->cancellable);
  g_clear_pointer (&entry->bytes, g_bytes_unref);
  g_clear_object (&entry->file);
  g_clear_object (&entry->pyramid);
  g_clear_error (&entry->error);
  g_weak_ref_clear (&entry->owner);
}

static void
cache_entry_unref (gpointer data)
{
  g_rc_box_release_full (data, cache_entry_free);
}

/* Out of the cache: a decode under way is not needed any more. */
static void
cache_entry_drop (gpointer data)
{
  CacheEntry *entry = data;

  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  cache_entry_unref (entry);
}

static gboolean
cache_entry_matches (CacheEntry *entry,
                     GBytes     *bytes,
                     GFile      *file)
{
  if (bytes != NULL)
    return entry->bytes != NULL && (entry->bytes == bytes || g_bytes_equal (entry->bytes, bytes));

  return entry->file != NULL && g_file_equal (entry->file, file);
}

static void
set_loading (DbwImageAnnotator *self,
             gboolean           loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static int
image_width (DbwImageAnnotator *self)
{
  if (self->pyramid != NULL)
    return dbw_image_pyramid_get_width (self->pyramid);

  return dbw_shape_set_get_image_width (self->shapes);
}

static int
image_height (DbwImageAnnotator *self)
{
  if (self->pyramid != NULL)
    return dbw_image_pyramid_get_height (self->pyramid);

  return dbw_shape_set_get_image_height (self->shapes);
}

static void
transform_changed (DbwImageAnnotator *self,
                   double             old_scale)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (old_scale != self->transform.scale)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

static void
apply_fit (DbwImageAnnotator *self)
{
  double old_scale = self->transform.scale;

  dbw_view_transform_set_image_size (&self->transform, image_width (self), image_height (self));
  dbw_view_transform_fit (&self->transform);
  transform_changed (self, old_scale);
}

/* The image or the shapes' size may have changed. */
static void
update_image_size (DbwImageAnnotator *self)
{
  /* A label made before the image was seen learns its size from the image. */
  if (self->pyramid != NULL && dbw_shape_set_get_image_width (self->shapes) == 0)
    dbw_shape_set_set_image_size (self->shapes, image_width (self), image_height (self));

  if (self->fit ||
      self->transform.image_width != image_width (self) ||
      self->transform.image_height != image_height (self))
    {
      self->fit = TRUE;
      apply_fit (self);
    }
}

static void
show_entry (DbwImageAnnotator *self,
            CacheEntry        *entry)
{
  DbwImagePyramid *pyramid = entry != NULL ? entry->pyramid : NULL;

  g_clear_error (&self->error);
  if (entry != NULL && entry->error != NULL)
    self->error = g_error_copy (entry->error);

  if (g_set_object (&self->pyramid, pyramid) || pyramid == NULL)
    {
      self->fit = TRUE;
      update_image_size (self);
    }

  set_loading (self, entry != NULL && entry->cancellable != NULL);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pyramid_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CacheEntry *entry = user_data;
  g_autoptr(DbwImageAnnotator) self = g_weak_ref_get (&entry->owner);
  g_autoptr(GError) error = NULL;
  g_autoptr(DbwImagePyramid) pyramid = dbw_image_pyramid_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cache_entry_unref (entry);
      return;
    }

  g_clear_object (&entry->cancellable);
  entry->pyramid = g_steal_pointer (&pyramid);
  entry->error = g_steal_pointer (&error);
  if (entry->error != NULL)
    g_debug ("Image not shown: %s", entry->error->message);

  if (self != NULL && self->current == entry)
    show_entry (self, entry);

  cache_entry_unref (entry);
}

static void
cache_evict (DbwImageAnnotator *self)
{
  for (guint i = 0; self->cache->len > CACHE_SIZE && i < self->cache->len; )
    {
      if (g_ptr_array_index (self->cache, i) == self->current)
        i++;
      else
        g_ptr_array_remove_index (self->cache, i);
    }
}

/* The entry for @bytes or @file, most recently used now, loading if it was not there. */
static CacheEntry *
cache_get (DbwImageAnnotator *self,
           GBytes            *bytes,
           GFile             *file)
{
  CacheEntry *entry = NULL;

  for (guint i = 0; i < self->cache->len; i++)
    if (cache_entry_matches (g_ptr_array_index (self->cache, i), bytes, file))
      {
        entry = g_ptr_array_steal_index (self->cache, i);
        break;
      }

  if (entry == NULL)
    {
      entry = g_rc_box_new0 (CacheEntry);
      g_weak_ref_init (&entry->owner, self);
      entry->cancellable = g_cancellable_new ();
      if (bytes != NULL)
        {
          entry->bytes = g_bytes_ref (bytes);
          dbw_image_pyramid_new_async (bytes, entry->cancellable, pyramid_ready_cb, g_rc_box_acquire (entry));
        }
      else
        {
          entry->file = g_object_ref (file);
          dbw_image_pyramid_new_for_file_async (file, entry->cancellable, pyramid_ready_cb, g_rc_box_acquire (entry));
        }
    }

  g_ptr_array_add (self->cache, entry);
  cache_evict (self);

  return entry;
}

static void
set_image (DbwImageAnnotator *self,
           GBytes            *bytes,
           GFile             *file)
{
  self->current = (bytes != NULL || file != NULL) ? cache_get (self, bytes, file) : NULL;
  cache_evict (self);
  show_entry (self, self->current);
}

/* Drawing */

static const GdkRGBA *
class_color (DbwImageAnnotator *self,
             const char        *label)
{
  if (self->classes != NULL && label != NULL)
    for (guint i = 0; self->classes[i] != NULL; i++)
      if (g_str_equal (self->classes[i], label))
        return &palette[i % G_N_ELEMENTS (palette)];

  return &palette[(label != NULL ? g_str_hash (label) : 0) % G_N_ELEMENTS (palette)];
}

static void
shape_view_rect (DbwImageAnnotator *self,
                 const DbwShape    *shape,
                 graphene_rect_t   *rect)
{
  double x0, y0, x1, y1;

  dbw_view_transform_image_to_view (&self->transform, shape->x, shape->y, &x0, &y0);
  dbw_view_transform_image_to_view (&self->transform, shape->x + shape->width, shape->y + shape->height, &x1, &y1);
  graphene_rect_init (rect, x0, y0, x1 - x0, y1 - y0);
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                double                 width,
                const GdkRGBA         *color)
{
  GskRoundedRect outline;
  float w = (float) width;
  const float widths[4] = { w, w, w, w };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  /* The line straddles the shape's edge. */
  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (rect->origin.x - w / 2, rect->origin.y - w / 2,
                                                        rect->size.width + w, rect->size.height + w),
                                   0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
append_fill (GtkSnapshot           *snapshot,
             const graphene_rect_t *rect,
             const GdkRGBA         *color,
             float                  alpha)
{
  GdkRGBA fill = *color;

  fill.alpha = alpha;
  gtk_snapshot_append_color (snapshot, &fill, rect);
}

static void
append_handle (GtkSnapshot   *snapshot,
               double         x,
               double         y,
               const GdkRGBA *color)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x - HANDLE_SIZE / 2, y - HANDLE_SIZE / 2, HANDLE_SIZE, HANDLE_SIZE);

  gtk_snapshot_append_color (snapshot, &white, &rect);
  append_outline (snapshot, &rect, 1.5, color);
}

static void
box_handle_position (const DbwShape *shape,
                     int             handle,
                     double         *x,
                     double         *y)
{
  static const double fx[] = { 0, 0.5, 1, 1, 1, 0.5, 0, 0 };
  static const double fy[] = { 0, 0, 0, 0.5, 1, 1, 1, 0.5 };

  *x = shape->x + shape->width * fx[handle];
  *y = shape->y + shape->height * fy[handle];
}

static void
cairo_shape_path (DbwImageAnnotator *self,
                  cairo_t           *cr,
                  const DbwShape    *shape)
{
  if (shape->kind == DBW_SHAPE_POLYGON && shape->points != NULL && shape->points->len > 0)
    {
      for (guint i = 0; i < shape->points->len; i++)
        {
          const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);
          double x, y;

          dbw_view_transform_image_to_view (&self->transform, p->x, p->y, &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
  else
    {
      graphene_rect_t rect;

      shape_view_rect (self, shape, &rect);
      cairo_rectangle (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
    }
}

static gboolean
is_plain_box (DbwImageAnnotator *self,
              guint              index,
              const DbwShape    *shape)
{
  return shape->kind == DBW_SHAPE_BOX && !shape->suggested &&
         (int) index != self->selected && (int) index != self->hover;
}

/* Polygons and suggestions need paths or dashes, which only cairo draws in GTK 4.8: one
 * cairo node for all of those in view, none at all when there are none. For the cairo
 * renderer every shape goes here, plain boxes as one path per colour. */
static void
draw_cairo_shapes (DbwImageAnnotator *self,
                   GtkSnapshot       *snapshot,
                   GArray            *indices,
                   int                width,
                   int                height)
{
  static const double dashes[] = { 6.0, 4.0 };
  gboolean has_plain[G_N_ELEMENTS (palette)] = { FALSE, };
  cairo_t *cr;

  if (indices->len == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, LINE_WIDTH);

  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, i);

      if (is_plain_box (self, i, shape))
        has_plain[class_color (self, shape->label) - palette] = TRUE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (palette); c++)
    {
      if (!has_plain[c])
        continue;

      for (guint k = 0; k < indices->len; k++)
        {
          guint i = g_array_index (indices, guint, k);
          const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, i);

          if (is_plain_box (self, i, shape) && class_color (self, shape->label) == &palette[c])
            cairo_shape_path (self, cr, shape);
        }
      gdk_cairo_set_source_rgba (cr, &palette[c]);
      cairo_stroke (cr);
    }

  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, i);
      const GdkRGBA *color = class_color (self, shape->label);
      gboolean emphasis = (int) i == self->selected || (int) i == self->hover;

      if (is_plain_box (self, i, shape))
        continue;

      cairo_shape_path (self, cr, shape);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue,
                             (int) i == self->selected ? 0.25 : shape->suggested ? 0.12 : 0.08);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, shape->suggested ? 0.85 : 1.0);
      cairo_set_line_width (cr, emphasis ? LINE_WIDTH + 1 : LINE_WIDTH);
      cairo_set_dash (cr, dashes, shape->suggested ? G_N_ELEMENTS (dashes) : 0, 0);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static void
draw_polygon_in_progress (DbwImageAnnotator *self,
                          GtkSnapshot       *snapshot,
                          int                width,
                          int                height)
{
  const GdkRGBA *color = class_color (self, self->current_class);
  cairo_t *cr;

  if (self->polygon->len == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, LINE_WIDTH);

  for (guint i = 0; i < self->polygon->len; i++)
    {
      const DbwPoint *p = &g_array_index (self->polygon, DbwPoint, i);
      double x, y;

      dbw_view_transform_image_to_view (&self->transform, p->x, p->y, &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (self->has_pointer)
    cairo_line_to (cr, self->pointer_x, self->pointer_y);
  cairo_stroke (cr);

  for (guint i = 0; i < self->polygon->len; i++)
    {
      const DbwPoint *p = &g_array_index (self->polygon, DbwPoint, i);
      double x, y;

      dbw_view_transform_image_to_view (&self->transform, p->x, p->y, &x, &y);
      cairo_arc (cr, x, y, i == 0 ? HANDLE_SIZE / 2 + 1 : HANDLE_SIZE / 2 - 1, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, color);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static void
draw_selection (DbwImageAnnotator *self,
                GtkSnapshot       *snapshot)
{
  const DbwShape *shape;
  const GdkRGBA *color;

  if (self->selected < 0 || !self->editable)
    return;

  shape = dbw_shape_set_get_shape (self->shapes, self->selected);
  color = class_color (self, shape->label);

  for (int h = DBW_HANDLE_TOP_LEFT; h <= DBW_HANDLE_LEFT; h++)
    {
      double ix, iy, x, y;

      box_handle_position (shape, h, &ix, &iy);
      dbw_view_transform_image_to_view (&self->transform, ix, iy, &x, &y);
      append_handle (snapshot, x, y, color);
    }

  if (shape->kind == DBW_SHAPE_POLYGON && shape->points != NULL)
    for (guint i = 0; i < shape->points->len; i++)
      {
        const DbwPoint *p = &g_array_index (shape->points, DbwPoint, i);
        double x, y;

        dbw_view_transform_image_to_view (&self->transform, p->x, p->y, &x, &y);
        append_handle (snapshot, x, y, color);
      }
}

static void
draw_shapes (DbwImageAnnotator *self,
             GtkSnapshot       *snapshot,
             int                width,
             int                height,
             gboolean           for_cairo)
{
  g_autoptr(GArray) indices = NULL;
  g_autoptr(GArray) cairo_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  double x0, y0, x1, y1, pad;

  if (dbw_shape_set_get_n_shapes (self->shapes) == 0)
    return;

  /* What the view shows, widened by a handle: a shape just outside still shows its line. */
  pad = HANDLE_SIZE / self->transform.scale;
  dbw_view_transform_view_to_image (&self->transform, 0, 0, &x0, &y0);
  dbw_view_transform_view_to_image (&self->transform, width, height, &x1, &y1);
  indices = dbw_shape_set_query_rect (self->shapes, x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
  self->n_drawn_shapes = indices->len;

  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, i);
      const GdkRGBA *color;
      graphene_rect_t rect;

      if (for_cairo || shape->kind == DBW_SHAPE_POLYGON || shape->suggested)
        {
          g_array_append_val (cairo_indices, i);
          continue;
        }

      color = class_color (self, shape->label);
      shape_view_rect (self, shape, &rect);
      if ((int) i == self->selected)
        append_fill (snapshot, &rect, color, 0.25f);
      append_outline (snapshot, &rect,
                      (int) i == self->selected || (int) i == self->hover ? LINE_WIDTH + 1 : LINE_WIDTH,
                      color);
    }

  draw_cairo_shapes (self, snapshot, cairo_indices, width, height);
}

static void
draw_box_in_progress (DbwImageAnnotator *self,
                      GtkSnapshot       *snapshot)
{
  const GdkRGBA *color = class_color (self, self->current_class);
  double x0, y0, x1, y1;
  graphene_rect_t rect;

  dbw_view_transform_image_to_view (&self->transform, self->press_image_x, self->press_image_y, &x0, &y0);
  dbw_view_transform_image_to_view (&self->transform, self->box_x1, self->box_y1, &x1, &y1);
  graphene_rect_init (&rect, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
  append_fill (snapshot, &rect, color, 0.15f);
  append_outline (snapshot, &rect, LINE_WIDTH, color);
}

/* Accessibility */

static char *
describe_shape (DbwImageAnnotator *self,
                guint              index)
{
  const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, index);
  guint n = dbw_shape_set_get_n_shapes (self->shapes);
  g_autofree char *where = NULL;

  /* Translators: a shape's size and place in image pixels, e.g. "30 × 20 pixels at 120, 40" */
  where = g_strdup_printf (_("%.0f × %.0f pixels at %.0f, %.0f"),
                           shape->width, shape->height, shape->x, shape->y);

  if (shape->kind == DBW_SHAPE_POLYGON)
    return g_strdup_printf (shape->suggested ?
                            /* Translators: "Suggested polygon 3 of 12: scratch, 5 points, 30 × 20 pixels at 120, 40" */
                            _("Suggested polygon %u of %u: %s, %u points, %s") :
                            /* Translators: "Polygon 3 of 12: scratch, 5 points, 30 × 20 pixels at 120, 40" */
                            _("Polygon %u of %u: %s, %u points, %s"),
                            index + 1, n, shape->label, shape->points != NULL ? shape->points->len : 0, where);

  return g_strdup_printf (shape->suggested ?
                          /* Translators: "Suggested box 3 of 12: solder_bridge, 30 × 20 pixels at 120, 40" */
                          _("Suggested box %u of %u: %s, %s") :
                          /* Translators: "Box 3 of 12: solder_bridge, 30 × 20 pixels at 120, 40" */
                          _("Box %u of %u: %s, %s"),
                          index + 1, n, shape->label, where);
}

static void
update_accessible_description (DbwImageAnnotator *self)
{
  g_autofree char *description = NULL;

  if (self->selected >= 0)
    description = describe_shape (self, self->selected);
  else if (image_width (self) > 0)
    /* Translators: "8000 × 6000 pixels, 12 shapes" */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d × %d pixels, %u shape", "%d × %d pixels, %u shapes",
                                                dbw_shape_set_get_n_shapes (self->shapes)),
                                   image_width (self), image_height (self), dbw_shape_set_get_n_shapes (self->shapes));
  else
    description = g_strdup (self->loading ? _("Loading the image") : _("No image"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Selection, undo and edits */

static void
set_selected_internal (DbwImageAnnotator *self,
                       int                index)
{
  if (index >= (int) dbw_shape_set_get_n_shapes (self->shapes))
    index = -1;
  index = MAX (index, -1);

  if (self->selected == index)
    return;

  self->selected = index;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotator.delete", self->editable && index >= 0);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
}

static void
update_undo_actions (DbwImageAnnotator *self,
                     gboolean           could_undo,
                     gboolean           could_redo)
{
  gboolean can_undo = self->editable && self->undo->len > 0;
  gboolean can_redo = self->editable && self->redo->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotator.undo", can_undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotator.redo", can_redo);
  if (can_undo != could_undo)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_UNDO]);
  if (can_redo != could_redo)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_REDO]);
}

static void
begin_edit (DbwImageAnnotator *self)
{
  g_clear_object (&self->before);
  self->before = dbw_shape_set_copy (self->shapes);
}

/* Keeps the state from begin_edit() as an undo step if anything changed. */
static void
end_edit (DbwImageAnnotator *self)
{
  g_autoptr(DbwShapeSet) before = g_steal_pointer (&self->before);
  gboolean could_undo = dbw_image_annotator_get_can_undo (self);
  gboolean could_redo = dbw_image_annotator_get_can_redo (self);

  if (before == NULL || dbw_shape_set_equal (before, self->shapes))
    return;

  g_ptr_array_add (self->undo, g_steal_pointer (&before));
  if (self->undo->len > UNDO_DEPTH)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  update_undo_actions (self, could_undo, could_redo);
  update_accessible_description (self);

  g_signal_emit (self, signals [CHANGED], 0);
}

static void
on_shapes_changed_cb (DbwImageAnnotator *self,
                      DbwShapeSet       *shapes)
{
  guint n = dbw_shape_set_get_n_shapes (shapes);

  if (self->hover >= (int) n)
    self->hover = -1;
  if (self->selected >= (int) n)
    set_selected_internal (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cancel_gesture (DbwImageAnnotator *self)
{
  self->drag = DRAG_NONE;
  g_array_set_size (self->polygon, 0);
  g_clear_object (&self->before);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Swaps in @shapes; undo and redo use it with the copies they keep. */
static void
replace_shapes (DbwImageAnnotator *self,
                DbwShapeSet       *shapes)
{
  if (self->shapes == shapes)
    return;

  if (self->shapes != NULL)
    g_signal_handlers_disconnect_by_data (self->shapes, self);
  g_set_object (&self->shapes, shapes);
  g_signal_connect_object (self->shapes, "changed", G_CALLBACK (on_shapes_changed_cb), self, G_CONNECT_SWAPPED);

  self->hover = -1;
  cancel_gesture (self);
  set_selected_internal (self, -1);
  update_image_size (self);
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHAPES]);
}

static const char *
class_for_new_shapes (DbwImageAnnotator *self)
{
  return self->current_class != NULL ? self->current_class : DEFAULT_CLASS;
}

static void
close_polygon (DbwImageAnnotator *self)
{
  guint index;
  guint n;

  /* A vertex clicked twice (a double click to finish) counts once. */
  n = 0;
  for (guint i = 0; i < self->polygon->len; i++)
    {
      DbwPoint point = g_array_index (self->polygon, DbwPoint, i);

      if (n > 0 && point.x == g_array_index (self->polygon, DbwPoint, n - 1).x &&
          point.y == g_array_index (self->polygon, DbwPoint, n - 1).y)
        continue;
      g_array_index (self->polygon, DbwPoint, n++) = point;
    }
  g_array_set_size (self->polygon, n);

  /* Fewer than three corners, or all on a line, outline nothing: go on drawing. */
  if (n < 3 || dbw_polygon_area ((const DbwPoint *) (gpointer) self->polygon->data, n) < 1e-6)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  begin_edit (self);
  index = dbw_shape_set_add_polygon (self->shapes, class_for_new_shapes (self),
                                     (const DbwPoint *) (gpointer) self->polygon->data, self->polygon->len);
  g_array_set_size (self->polygon, 0);
  set_selected_internal (self, (int) index);
  end_edit (self);
}

static void
nudge (DbwImageAnnotator *self,
       int                dx,
       int                dy)
{
  if (self->selected < 0 || !self->editable)
    {
      double old_scale = self->transform.scale;

      /* Without a shape the arrows look around: the view moves the other way. */
      if (dbw_view_transform_pan_by (&self->transform, -dx * SCROLL_STEP / 10.0, -dy * SCROLL_STEP / 10.0))
        {
          self->fit = FALSE;
          transform_changed (self, old_scale);
        }
      return;
    }

  begin_edit (self);
  dbw_shape_set_move (self->shapes, self->selected, dx, dy);
  end_edit (self);

  {
    const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, self->selected);
    double old_scale = self->transform.scale;

    if (dbw_view_transform_scroll_to_rect (&self->transform, shape->x, shape->y, shape->width, shape->height))
      {
        self->fit = FALSE;
        transform_changed (self, old_scale);
      }
  }
}

/* Pointer */

static void
clamp_to_image (DbwImageAnnotator *self,
                double            *x,
                double            *y)
{
  *x = CLAMP (*x, 0, image_width (self));
  *y = CLAMP (*y, 0, image_height (self));
}

static const char *
handle_cursor (int handle)
{
  static const char * const names[] = {
    "nw-resize", "n-resize", "ne-resize", "e-resize", "se-resize", "s-resize", "sw-resize", "w-resize",
  };

  if (handle >= DBW_HANDLE_VERTEX)
    return "crosshair";
  if (handle >= DBW_HANDLE_TOP_LEFT && handle <= DBW_HANDLE_LEFT)
    return names[handle];

  return NULL;
}

static int
hit_selected_handle (DbwImageAnnotator *self,
                     double             image_x,
                     double             image_y)
{
  if (!self->editable || self->selected < 0)
    return DBW_HANDLE_NONE;

  return dbw_shape_set_hit_handle (self->shapes, self->selected, image_x, image_y,
                                   HIT_TOLERANCE / self->transform.scale);
}

static void
update_cursor (DbwImageAnnotator *self)
{
  const char *name = NULL;
  double ix, iy;
  int handle;

  if (self->drag == DRAG_PAN)
    name = "grabbing";
  else if (self->space_down)
    name = "grab";
  else if (self->drag == DRAG_MOVE)
    name = "move";
  else if (self->drag == DRAG_RESIZE)
    name = handle_cursor (self->drag_handle);
  else if (self->drag == DRAG_NONE && self->has_pointer)
    {
      dbw_view_transform_view_to_image (&self->transform, self->pointer_x, self->pointer_y, &ix, &iy);
      handle = hit_selected_handle (self, ix, iy);

      if (handle != DBW_HANDLE_NONE)
        name = handle_cursor (handle);
      else if (self->editable && self->tool != DBW_ANNOTATOR_TOOL_SELECT)
        name = "crosshair";
      else if (self->hover >= 0)
        name = self->editable ? "move" : "pointer";
    }
  else if (self->editable && self->tool != DBW_ANNOTATOR_TOOL_SELECT)
    name = "crosshair";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
update_hover (DbwImageAnnotator *self)
{
  double ix, iy;
  int hover = -1;

  if (self->has_pointer)
    {
      dbw_view_transform_view_to_image (&self->transform, self->pointer_x, self->pointer_y, &ix, &iy);
      hover = dbw_shape_set_hit_test (self->shapes, ix, iy, HIT_TOLERANCE / self->transform.scale);
    }

  if (hover != self->hover)
    {
      self->hover = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
_dbw_image_annotator_pointer_press (DbwImageAnnotator *self,
                                    guint              button,
                                    double             x,
                                    double             y)
{
  double ix, iy;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  self->pointer_x = self->press_x = x;
  self->pointer_y = self->press_y = y;
  self->press_offset_x = self->transform.offset_x;
  self->press_offset_y = self->transform.offset_y;
  self->drag_button = button;
  self->drag_handle = DBW_HANDLE_NONE;
  self->press_hit = -1;
  self->moved_x = self->moved_y = 0;
  dbw_view_transform_view_to_image (&self->transform, x, y, &ix, &iy);
  self->press_image_x = ix;
  self->press_image_y = iy;

  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));

  if (button != GDK_BUTTON_PRIMARY || self->space_down || image_width (self) <= 0)
    {
      self->drag = DRAG_PAN;
      update_cursor (self);
      return;
    }

  if (!self->editable)
    {
      /* A read-only view pans on drag and selects on click. */
      self->press_hit = dbw_shape_set_hit_test (self->shapes, ix, iy, HIT_TOLERANCE / self->transform.scale);
      self->drag = DRAG_CLICK;
      return;
    }

  self->drag_handle = self->tool != DBW_ANNOTATOR_TOOL_POLYGON ? hit_selected_handle (self, ix, iy) : DBW_HANDLE_NONE;
  if (self->drag_handle != DBW_HANDLE_NONE)
    {
      begin_edit (self);
      self->drag = DRAG_RESIZE;
      update_cursor (self);
      return;
    }

  switch (self->tool)
    {
    case DBW_ANNOTATOR_TOOL_SELECT:
      self->press_hit = dbw_shape_set_hit_test (self->shapes, ix, iy, HIT_TOLERANCE / self->transform.scale);
      set_selected_internal (self, self->press_hit);
      if (self->press_hit >= 0)
        {
          begin_edit (self);
          self->drag = DRAG_MOVE;
        }
      else
        self->drag = DRAG_PAN;
      break;

    case DBW_ANNOTATOR_TOOL_BOX:
      /* A click on a shape selects it; a drag draws, from inside the image. */
      self->press_hit = dbw_shape_set_hit_test (self->shapes, ix, iy, HIT_TOLERANCE / self->transform.scale);
      clamp_to_image (self, &self->press_image_x, &self->press_image_y);
      self->box_x1 = self->press_image_x;
      self->box_y1 = self->press_image_y;
      self->drag = DRAG_BOX;
      break;

    case DBW_ANNOTATOR_TOOL_POLYGON:
    default:
      self->drag = DRAG_CLICK;
      break;
    }

  update_cursor (self);
}

void
_dbw_image_annotator_pointer_motion (DbwImageAnnotator *self,
                                     double             x,
                                     double             y)
{
  double ix, iy;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  dbw_view_transform_view_to_image (&self->transform, x, y, &ix, &iy);

  switch (self->drag)
    {
    case DRAG_NONE:
      update_hover (self);
      update_cursor (self);
      if (self->polygon->len > 0)
        gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_CLICK:
      /* A read-only view turns a press that moves into a pan. */
      if (!self->editable && hypot (x - self->press_x, y - self->press_y) > CLICK_DISTANCE)
        {
          self->drag = DRAG_PAN;
          update_cursor (self);
        }
      else
        break;
      G_GNUC_FALLTHROUGH;

    case DRAG_PAN:
      {
        double old_scale = self->transform.scale;

        if (dbw_view_transform_pan_to (&self->transform,
                                       self->press_offset_x + (x - self->press_x),
                                       self->press_offset_y + (y - self->press_y)))
          {
            self->fit = FALSE;
            transform_changed (self, old_scale);
          }
      }
      break;

    case DRAG_MOVE:
      {
        /* The whole move from the press, less what was done already: the set clamps to the
         * image, and a shape held at an edge follows again as soon as the pointer returns. */
        const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, self->selected);
        double before_x = shape->x, before_y = shape->y;

        dbw_shape_set_move (self->shapes, self->selected,
                            (ix - self->press_image_x) - self->moved_x,
                            (iy - self->press_image_y) - self->moved_y);
        shape = dbw_shape_set_get_shape (self->shapes, self->selected);
        self->moved_x += shape->x - before_x;
        self->moved_y += shape->y - before_y;
      }
      break;

    case DRAG_RESIZE:
      dbw_shape_set_drag_handle (self->shapes, self->selected, self->drag_handle, ix, iy);
      break;

    case DRAG_BOX:
      clamp_to_image (self, &ix, &iy);
      self->box_x1 = ix;
      self->box_y1 = iy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    default:
      break;
    }
}

void
_dbw_image_annotator_pointer_release (DbwImageAnnotator *self,
                                      double             x,
                                      double             y)
{
  DragMode drag;
  gboolean click;
  double ix, iy;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  _dbw_image_annotator_pointer_motion (self, x, y);

  drag = self->drag;
  self->drag = DRAG_NONE;
  click = hypot (x - self->press_x, y - self->press_y) <= CLICK_DISTANCE;

  switch (drag)
    {
    case DRAG_MOVE:
    case DRAG_RESIZE:
      end_edit (self);
      break;

    case DRAG_BOX:
      {
        double x0 = MIN (self->press_image_x, self->box_x1);
        double y0 = MIN (self->press_image_y, self->box_y1);
        double w = fabs (self->box_x1 - self->press_image_x);
        double h = fabs (self->box_y1 - self->press_image_y);

        if (click)
          {
            set_selected_internal (self, self->press_hit);
            break;
          }
        /* A slip of the hand is no box. */
        if (w < 1 || h < 1 || w * self->transform.scale < CLICK_DISTANCE || h * self->transform.scale < CLICK_DISTANCE)
          break;

        begin_edit (self);
        set_selected_internal (self, (int) dbw_shape_set_add_box (self->shapes, class_for_new_shapes (self), x0, y0, w, h));
        end_edit (self);
      }
      break;

    case DRAG_CLICK:
      if (!self->editable)
        {
          set_selected_internal (self, self->press_hit);
          break;
        }
      if (self->tool != DBW_ANNOTATOR_TOOL_POLYGON || !click)
        break;

      dbw_view_transform_view_to_image (&self->transform, x, y, &ix, &iy);
      clamp_to_image (self, &ix, &iy);

      /* A click on the first vertex closes the polygon. */
      if (self->polygon->len >= 3)
        {
          const DbwPoint *first = &g_array_index (self->polygon, DbwPoint, 0);
          double fx, fy;

          dbw_view_transform_image_to_view (&self->transform, first->x, first->y, &fx, &fy);
          if (hypot (x - fx, y - fy) <= HANDLE_SIZE)
            {
              close_polygon (self);
              break;
            }
        }

      g_array_append_val (self->polygon, ((DbwPoint) { ix, iy }));
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_PAN:
    case DRAG_NONE:
    default:
      break;
    }

  update_hover (self);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_dbw_image_annotator_set_space_down (DbwImageAnnotator *self,
                                     gboolean           down)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  self->space_down = !!down;
  update_cursor (self);
}

DbwImagePyramid *
_dbw_image_annotator_get_pyramid (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), NULL);

  return self->pyramid;
}

guint
_dbw_image_annotator_get_n_ready (DbwImageAnnotator *self)
{
  guint n = 0;

  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), 0);

  for (guint i = 0; i < self->cache->len; i++)
    n += ((CacheEntry *) g_ptr_array_index (self->cache, i))->pyramid != NULL;

  return n;
}

void
_dbw_image_annotator_get_drawn (DbwImageAnnotator *self,
                                guint             *n_tiles,
                                guint             *n_shapes)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  *n_tiles = self->n_drawn_tiles;
  *n_shapes = self->n_drawn_shapes;
}

/* Event controllers */

static void
on_drag_begin_cb (DbwImageAnnotator *self,
                  double             x,
                  double             y,
                  GtkGestureDrag    *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  _dbw_image_annotator_pointer_press (self, button, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update_cb (DbwImageAnnotator *self,
                   double             dx,
                   double             dy,
                   GtkGestureDrag    *gesture)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  _dbw_image_annotator_pointer_motion (self, x + dx, y + dy);
}

static void
on_drag_end_cb (DbwImageAnnotator *self,
                double             dx,
                double             dy,
                GtkGestureDrag    *gesture)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  _dbw_image_annotator_pointer_release (self, x + dx, y + dy);
}

static void
on_motion_cb (DbwImageAnnotator        *self,
              double                    x,
              double                    y,
              GtkEventControllerMotion *controller)
{
  /* During a drag the gesture reports the pointer. */
  if (self->drag == DRAG_NONE)
    _dbw_image_annotator_pointer_motion (self, x, y);
}

static void
on_leave_cb (DbwImageAnnotator        *self,
             GtkEventControllerMotion *controller)
{
  self->has_pointer = FALSE;
  if (self->hover >= 0 || self->polygon->len > 0)
    {
      self->hover = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
on_scroll_cb (DbwImageAnnotator        *self,
              double                    dx,
              double                    dy,
              GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (image_width (self) <= 0)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      /* Touchpads report pixels rather than wheel clicks. */
      double steps = wheel ? dy : dy / 30.0;
      double x = self->has_pointer ? self->pointer_x : self->transform.view_width / 2;
      double y = self->has_pointer ? self->pointer_y : self->transform.view_height / 2;

      dbw_image_annotator_zoom_at (self, self->transform.scale * pow (ZOOM_STEP, -steps), x, y);
      return TRUE;
    }

  if ((state & GDK_SHIFT_MASK) && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  if (wheel)
    {
      dx *= SCROLL_STEP;
      dy *= SCROLL_STEP;
    }

  dbw_image_annotator_pan_by (self, -dx, -dy);

  return TRUE;
}

static void
on_zoom_begin_cb (DbwImageAnnotator *self,
                  GdkEventSequence  *sequence,
                  GtkGesture        *gesture)
{
  self->gesture_zoom = self->transform.scale;
}

static void
on_zoom_scale_changed_cb (DbwImageAnnotator *self,
                          double             scale,
                          GtkGestureZoom    *gesture)
{
  double x, y;

  if (gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    dbw_image_annotator_zoom_at (self, self->gesture_zoom * scale, x, y);
}

static gboolean
on_key_pressed_cb (DbwImageAnnotator     *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  _dbw_image_annotator_set_space_down (self, TRUE);
  return TRUE;
}

static void
on_key_released_cb (DbwImageAnnotator     *self,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_space)
    _dbw_image_annotator_set_space_down (self, FALSE);
}

static void
on_focus_leave_cb (DbwImageAnnotator *self,
                   GtkEventControllerFocus *controller)
{
  /* The release of a space held while the focus left never comes. */
  if (self->space_down)
    _dbw_image_annotator_set_space_down (self, FALSE);
}

/* Actions */

static void
tool_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (DBW_TYPE_ANNOTATOR_TOOL);
  GEnumValue *value = g_enum_get_value_by_nick (enum_class, name);

  if (value == NULL)
    {
      g_warning ("No annotator tool “%s”", name);
      return;
    }

  dbw_image_annotator_set_tool (self, value->value);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);

  if (self->polygon->len > 0 || self->drag != DRAG_NONE)
    {
      if (self->before != NULL)
        {
          /* Escape during a drag puts the shape back. */
          g_autoptr(DbwShapeSet) before = g_steal_pointer (&self->before);

          replace_shapes (self, before);
        }
      cancel_gesture (self);
    }
  else if (self->tool != DBW_ANNOTATOR_TOOL_SELECT)
    dbw_image_annotator_set_tool (self, DBW_ANNOTATOR_TOOL_SELECT);
  else
    set_selected_internal (self, -1);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);

  if (self->polygon->len > 0)
    close_polygon (self);
  else if (self->selected >= 0 && dbw_shape_set_get_shape (self->shapes, self->selected)->suggested)
    {
      begin_edit (self);
      dbw_shape_set_set_suggested (self->shapes, self->selected, FALSE);
      end_edit (self);
    }
  else
    gtk_widget_error_bell (widget);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  guint index;

  if (self->selected < 0)
    return;

  index = (guint) self->selected;
  begin_edit (self);
  set_selected_internal (self, -1);
  dbw_shape_set_remove (self->shapes, index);
  end_edit (self);
}

static void
class_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  int index = g_variant_get_int32 (parameter);
  g_auto(GStrv) labels = NULL;
  const char * const *classes = (const char * const *) self->classes;

  if (classes == NULL || classes[0] == NULL)
    classes = (const char * const *) (labels = dbw_shape_set_list_labels (self->shapes));

  if (index < 0 || index >= (int) g_strv_length ((char **) classes))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  dbw_image_annotator_set_current_class (self, classes[index]);

  if (self->selected >= 0 && self->editable)
    {
      begin_edit (self);
      dbw_shape_set_set_label (self->shapes, self->selected, classes[index]);
      end_edit (self);
    }
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);

  dbw_image_annotator_zoom_at (self, self->transform.scale * ZOOM_STEP,
                               self->transform.view_width / 2, self->transform.view_height / 2);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);

  dbw_image_annotator_zoom_at (self, self->transform.scale / ZOOM_STEP,
                               self->transform.view_width / 2, self->transform.view_height / 2);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  dbw_image_annotator_fit (DBW_IMAGE_ANNOTATOR (widget));
}

static void
zoom_original_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  double old_scale = self->transform.scale;

  if (dbw_view_transform_one_to_one (&self->transform, gtk_widget_get_scale_factor (widget)))
    {
      self->fit = FALSE;
      transform_changed (self, old_scale);
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  dbw_image_annotator_undo (DBW_IMAGE_ANNOTATOR (widget));
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  dbw_image_annotator_redo (DBW_IMAGE_ANNOTATOR (widget));
}

static void
nudge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  nudge (DBW_IMAGE_ANNOTATOR (widget), dx, dy);
}

static void
accept_suggestions_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  dbw_image_annotator_accept_suggestions (DBW_IMAGE_ANNOTATOR (widget));
}

static void
update_edit_actions (DbwImageAnnotator *self)
{
  static const char * const editing[] = {
    "annotator.tool", "annotator.confirm", "annotator.class", "annotator.accept-suggestions",
  };

  for (guint i = 0; i < G_N_ELEMENTS (editing); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), editing[i], self->editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotator.delete", self->editable && self->selected >= 0);
}

/* GtkWidget */

static void
dbw_image_annotator_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  /* The view fills what its container gives; a large image must not ask for a large window. */
  *minimum = 0;
  *natural = NATURAL_SIZE;
}

static void
dbw_image_annotator_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  double old_width = self->transform.view_width;
  double old_height = self->transform.view_height;
  double old_scale = self->transform.scale;

  dbw_view_transform_set_view_size (&self->transform, width, height);

  if (self->fit)
    {
      apply_fit (self);
      return;
    }

  /* Out of fit mode the image point in the middle stays in the middle. */
  dbw_view_transform_pan_by (&self->transform, (width - old_width) / 2, (height - old_height) / 2);
  transform_changed (self, old_scale);
}

static void
dbw_image_annotator_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  gboolean for_cairo = renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);

  self->n_drawn_tiles = 0;
  self->n_drawn_shapes = 0;

  if (image_width (self) <= 0)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->pyramid != NULL)
    self->n_drawn_tiles = dbw_image_pyramid_snapshot (self->pyramid, snapshot, &self->transform,
                                                      gtk_widget_get_scale_factor (widget), for_cairo);

  draw_shapes (self, snapshot, width, height, for_cairo);
  draw_selection (self, snapshot);

  if (self->drag == DRAG_BOX)
    draw_box_in_progress (self, snapshot);
  draw_polygon_in_progress (self, snapshot, width, height);

  gtk_snapshot_pop (snapshot);
}

/* GObject */

static void
dbw_image_annotator_dispose (GObject *object)
{
  DbwImageAnnotator *self = (DbwImageAnnotator *)object;

  self->current = NULL;
  g_clear_pointer (&self->cache, g_ptr_array_unref);
  g_clear_object (&self->pyramid);
  if (self->shapes != NULL)
    g_signal_handlers_disconnect_by_data (self->shapes, self);
  g_clear_object (&self->shapes);
  g_clear_object (&self->before);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);

  G_OBJECT_CLASS (dbw_image_annotator_parent_class)->dispose (object);
}

static void
dbw_image_annotator_finalize (GObject *object)
{
  DbwImageAnnotator *self = (DbwImageAnnotator *)object;

  g_clear_error (&self->error);
  g_clear_pointer (&self->classes, g_strfreev);
  g_clear_pointer (&self->current_class, g_free);
  g_clear_pointer (&self->polygon, g_array_unref);

  G_OBJECT_CLASS (dbw_image_annotator_parent_class)->finalize (object);
}

static void
dbw_image_annotator_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (object);

  switch (prop_id)
    {
    case PROP_SHAPES:
      g_value_set_object (value, self->shapes);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;

    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;

    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;

    case PROP_CURRENT_CLASS:
      g_value_set_string (value, self->current_class);
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, dbw_image_annotator_get_can_undo (self));
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, dbw_image_annotator_get_can_redo (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->transform.scale);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_image_annotator_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DbwImageAnnotator *self = DBW_IMAGE_ANNOTATOR (object);

  switch (prop_id)
    {
    case PROP_SHAPES:
      dbw_image_annotator_set_shapes (self, g_value_get_object (value));
      break;

    case PROP_EDITABLE:
      dbw_image_annotator_set_editable (self, g_value_get_boolean (value));
      break;

    case PROP_SELECTED:
      dbw_image_annotator_set_selected (self, g_value_get_int (value));
      break;

    case PROP_TOOL:
      dbw_image_annotator_set_tool (self, g_value_get_enum (value));
      break;

    case PROP_CURRENT_CLASS:
      dbw_image_annotator_set_current_class (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dbw_image_annotator_class_init (DbwImageAnnotatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dbw_image_annotator_dispose;
  object_class->finalize = dbw_image_annotator_finalize;
  object_class->get_property = dbw_image_annotator_get_property;
  object_class->set_property = dbw_image_annotator_set_property;

  widget_class->measure = dbw_image_annotator_measure;
  widget_class->size_allocate = dbw_image_annotator_size_allocate;
  widget_class->snapshot = dbw_image_annotator_snapshot;

  properties [PROP_SHAPES] =
    g_param_spec_object ("shapes", NULL, NULL,
                         DBW_TYPE_SHAPE_SET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TOOL] =
    g_param_spec_enum ("tool", NULL, NULL,
                       DBW_TYPE_ANNOTATOR_TOOL, DBW_ANNOTATOR_TOOL_SELECT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENT_CLASS] =
    g_param_spec_string ("current-class", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0, G_MAXDOUBLE, 1.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DbwImageAnnotator::changed:
   *
   * The user changed the shapes: drew, moved, resized, deleted, relabelled, accepted,
   * pasted, undid or redid. Once per change, at its end.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "annotator.tool", "s", tool_action);
  gtk_widget_class_install_action (widget_class, "annotator.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "annotator.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "annotator.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "annotator.class", "i", class_action);
  gtk_widget_class_install_action (widget_class, "annotator.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "annotator.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "annotator.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "annotator.zoom-original", NULL, zoom_original_action);
  gtk_widget_class_install_action (widget_class, "annotator.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "annotator.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "annotator.nudge", "(ii)", nudge_action);
  gtk_widget_class_install_action (widget_class, "annotator.accept-suggestions", NULL, accept_suggestions_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, 0, "annotator.tool", "s", "box");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "annotator.tool", "s", "polygon");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "annotator.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "annotator.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "annotator.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "annotator.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "annotator.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "annotator.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "annotator.delete", NULL);
  for (int i = 0; i < 9; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, 0, "annotator.class", "i", i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1 + i, 0, "annotator.class", "i", i);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "annotator.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "annotator.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "annotator.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "annotator.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "annotator.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "annotator.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "annotator.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "annotator.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "annotator.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "annotator.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "annotator.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "annotator.nudge", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "annotator.nudge", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "annotator.nudge", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "annotator.nudge", "(ii)", 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_SHIFT_MASK, "annotator.nudge", "(ii)", -10, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_SHIFT_MASK, "annotator.nudge", "(ii)", 10, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_SHIFT_MASK, "annotator.nudge", "(ii)", 0, -10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_SHIFT_MASK, "annotator.nudge", "(ii)", 0, 10);

  gtk_widget_class_set_css_name (widget_class, "imageannotator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dbw_image_annotator_init (DbwImageAnnotator *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  dbw_view_transform_init (&self->transform);
  self->shapes = dbw_shape_set_new (0, 0);
  g_signal_connect_object (self->shapes, "changed", G_CALLBACK (on_shapes_changed_cb), self, G_CONNECT_SWAPPED);
  self->cache = g_ptr_array_new_with_free_func (cache_entry_drop);
  self->undo = g_ptr_array_new_with_free_func (g_object_unref);
  self->redo = g_ptr_array_new_with_free_func (g_object_unref);
  self->polygon = g_array_new (FALSE, FALSE, sizeof (DbwPoint));
  self->selected = -1;
  self->hover = -1;
  self->drag_handle = DBW_HANDLE_NONE;
  self->fit = TRUE;
  self->editable = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (on_drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (on_drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (on_drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (on_drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (on_drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (on_drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (on_zoom_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "key-released", G_CALLBACK (on_key_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  update_edit_actions (self);
  update_undo_actions (self, FALSE, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Image annotator"),
                                  -1);
  update_accessible_description (self);
}

/* Public API */

GtkWidget *
dbw_image_annotator_new (void)
{
  return g_object_new (DBW_TYPE_IMAGE_ANNOTATOR, NULL);
}

/**
 * dbw_image_annotator_set_image_bytes:
 * @bytes: (nullable): the content of an image file, or %NULL for none
 *
 * Shows the image, at once if it was prefetched and decoded, otherwise when a worker thread
 * has decoded it (#DbwImageAnnotator:loading meanwhile). The view fits the new image.
 */
void
dbw_image_annotator_set_image_bytes (DbwImageAnnotator *self,
                                     GBytes            *bytes)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  set_image (self, bytes, NULL);
}

/**
 * dbw_image_annotator_set_image_file:
 * @file: (nullable): an image file, or %NULL for none
 *
 * As dbw_image_annotator_set_image_bytes(), reading @file in the worker thread too.
 */
void
dbw_image_annotator_set_image_file (DbwImageAnnotator *self,
                                    GFile             *file)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));
  g_return_if_fail (!file || G_IS_FILE (file));

  set_image (self, NULL, file);
}

/**
 * dbw_image_annotator_prefetch:
 * @bytes: the content of the image likely shown next
 *
 * Starts decoding @bytes so that dbw_image_annotator_set_image_bytes() with the same content
 * shows it at once. The cache holds the image shown and the last few asked for.
 */
void
dbw_image_annotator_prefetch (DbwImageAnnotator *self,
                              GBytes            *bytes)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));
  g_return_if_fail (bytes != NULL);

  cache_get (self, bytes, NULL);
}

gboolean
dbw_image_annotator_get_loading (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), FALSE);

  return self->loading;
}

/**
 * dbw_image_annotator_get_error:
 *
 * Returns: (nullable): why the image cannot be shown, in %DBW_IMAGE_ERROR or %G_IO_ERROR
 */
const GError *
dbw_image_annotator_get_error (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), NULL);

  return self->error;
}

/**
 * dbw_image_annotator_get_shapes:
 *
 * Returns: (transfer none): the shapes shown and edited
 */
DbwShapeSet *
dbw_image_annotator_get_shapes (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), NULL);

  return self->shapes;
}

/**
 * dbw_image_annotator_set_shapes:
 * @shapes: (nullable): the shapes to show and edit, or %NULL for an empty set
 *
 * Edits @shapes in place, and starts a new undo history: the shapes of another item.
 */
void
dbw_image_annotator_set_shapes (DbwImageAnnotator *self,
                                DbwShapeSet       *shapes)
{
  g_autoptr(DbwShapeSet) empty = NULL;
  gboolean could_undo, could_redo;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));
  g_return_if_fail (!shapes || DBW_IS_SHAPE_SET (shapes));

  if (shapes == NULL)
    shapes = empty = dbw_shape_set_new (0, 0);

  could_undo = dbw_image_annotator_get_can_undo (self);
  could_redo = dbw_image_annotator_get_can_redo (self);
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  replace_shapes (self, shapes);
  update_undo_actions (self, could_undo, could_redo);
}

gboolean
dbw_image_annotator_get_editable (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), FALSE);

  return self->editable;
}

/**
 * dbw_image_annotator_set_editable:
 *
 * A view that is not editable shows the shapes, pans, zooms and selects; nothing else.
 */
void
dbw_image_annotator_set_editable (DbwImageAnnotator *self,
                                  gboolean           editable)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  could_undo = dbw_image_annotator_get_can_undo (self);
  could_redo = dbw_image_annotator_get_can_redo (self);
  cancel_gesture (self);
  self->editable = editable;
  if (!editable)
    dbw_image_annotator_set_tool (self, DBW_ANNOTATOR_TOOL_SELECT);
  update_edit_actions (self);
  update_undo_actions (self, could_undo, could_redo);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDITABLE]);
}

int
dbw_image_annotator_get_selected (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), -1);

  return self->selected;
}

/**
 * dbw_image_annotator_set_selected:
 * @index: a shape's index, or -1 for none
 *
 * Selects the shape and scrolls it into view.
 */
void
dbw_image_annotator_set_selected (DbwImageAnnotator *self,
                                  int                index)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  set_selected_internal (self, index);

  if (self->selected >= 0)
    {
      const DbwShape *shape = dbw_shape_set_get_shape (self->shapes, self->selected);
      double old_scale = self->transform.scale;

      if (dbw_view_transform_scroll_to_rect (&self->transform, shape->x, shape->y, shape->width, shape->height))
        {
          self->fit = FALSE;
          transform_changed (self, old_scale);
        }
    }
}

DbwAnnotatorTool
dbw_image_annotator_get_tool (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), DBW_ANNOTATOR_TOOL_SELECT);

  return self->tool;
}

void
dbw_image_annotator_set_tool (DbwImageAnnotator *self,
                              DbwAnnotatorTool   tool)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));
  g_return_if_fail (tool <= DBW_ANNOTATOR_TOOL_POLYGON);

  if (!self->editable)
    tool = DBW_ANNOTATOR_TOOL_SELECT;
  if (self->tool == tool)
    return;

  g_array_set_size (self->polygon, 0);
  self->tool = tool;
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOOL]);
}

/**
 * dbw_image_annotator_set_classes:
 * @classes: (nullable) (array zero-terminated=1): the class names, in hotkey order
 *
 * The palette: keys 1 to 9 pick the first nine, each class has its colour. Without one the
 * keys pick among the classes the shapes use. The current class becomes the first.
 */
void
dbw_image_annotator_set_classes (DbwImageAnnotator  *self,
                                 const char * const *classes)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  if (self->classes != NULL && classes != NULL && g_strv_equal ((const char * const *) self->classes, classes))
    return;

  g_clear_pointer (&self->classes, g_strfreev);
  self->classes = g_strdupv ((char **) classes);
  dbw_image_annotator_set_current_class (self, classes != NULL ? classes[0] : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * dbw_image_annotator_get_classes:
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the palette
 */
const char * const *
dbw_image_annotator_get_classes (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), NULL);

  return (const char * const *) self->classes;
}

/**
 * dbw_image_annotator_get_current_class:
 *
 * Returns: (nullable): the class new shapes get ("object" when none is set)
 */
const char *
dbw_image_annotator_get_current_class (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), NULL);

  return self->current_class;
}

void
dbw_image_annotator_set_current_class (DbwImageAnnotator *self,
                                       const char        *class_name)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  if (g_strcmp0 (self->current_class, class_name) == 0)
    return;

  g_free (self->current_class);
  self->current_class = g_strdup (class_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENT_CLASS]);
}

gboolean
dbw_image_annotator_get_can_undo (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), FALSE);

  return self->editable && self->undo->len > 0;
}

gboolean
dbw_image_annotator_get_can_redo (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), FALSE);

  return self->editable && self->redo->len > 0;
}

static void
step_history (DbwImageAnnotator *self,
              GPtrArray         *from,
              GPtrArray         *to)
{
  g_autoptr(DbwShapeSet) state = NULL;
  gboolean could_undo = dbw_image_annotator_get_can_undo (self);
  gboolean could_redo = dbw_image_annotator_get_can_redo (self);

  if (!self->editable || from->len == 0)
    return;

  state = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, g_object_ref (self->shapes));
  replace_shapes (self, state);
  update_undo_actions (self, could_undo, could_redo);

  g_signal_emit (self, signals [CHANGED], 0);
}

void
dbw_image_annotator_undo (DbwImageAnnotator *self)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  cancel_gesture (self);
  step_history (self, self->undo, self->redo);
}

void
dbw_image_annotator_redo (DbwImageAnnotator *self)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  cancel_gesture (self);
  step_history (self, self->redo, self->undo);
}

/**
 * dbw_image_annotator_paste_shapes:
 * @from: the shapes of another image, usually the previous one
 *
 * Adds copies of every shape of @from, as one undo step. When both images' sizes are known
 * and differ, the shapes are scaled to this image (the same board scanned at another
 * resolution); otherwise they keep their pixel coordinates, clamped to this image.
 */
void
dbw_image_annotator_paste_shapes (DbwImageAnnotator *self,
                                  DbwShapeSet       *from)
{
  double sx = 1, sy = 1;
  int from_width, from_height;
  guint n;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));
  g_return_if_fail (DBW_IS_SHAPE_SET (from));

  if (!self->editable || from == self->shapes)
    return;

  from_width = dbw_shape_set_get_image_width (from);
  from_height = dbw_shape_set_get_image_height (from);
  if (from_width > 0 && from_height > 0 && image_width (self) > 0 && image_height (self) > 0)
    {
      sx = (double) image_width (self) / from_width;
      sy = (double) image_height (self) / from_height;
    }

  n = dbw_shape_set_get_n_shapes (from);
  if (n == 0)
    return;

  cancel_gesture (self);
  begin_edit (self);
  for (guint i = 0; i < n; i++)
    {
      const DbwShape *shape = dbw_shape_set_get_shape (from, i);
      guint index;

      if (shape->kind == DBW_SHAPE_POLYGON && shape->points != NULL)
        {
          g_autoptr(GArray) points = g_array_sized_new (FALSE, FALSE, sizeof (DbwPoint), shape->points->len);

          for (guint k = 0; k < shape->points->len; k++)
            {
              const DbwPoint *p = &g_array_index (shape->points, DbwPoint, k);

              g_array_append_val (points, ((DbwPoint) { p->x * sx, p->y * sy }));
            }
          index = dbw_shape_set_add_polygon (self->shapes, shape->label,
                                             (const DbwPoint *) (gpointer) points->data, points->len);
        }
      else
        index = dbw_shape_set_add_box (self->shapes, shape->label,
                                       shape->x * sx, shape->y * sy, shape->width * sx, shape->height * sy);

      if (shape->suggested)
        dbw_shape_set_set_suggested (self->shapes, index, TRUE);
    }
  end_edit (self);
}

/**
 * dbw_image_annotator_accept_suggestions:
 *
 * Makes every suggested shape a shape of the label, as one undo step.
 */
void
dbw_image_annotator_accept_suggestions (DbwImageAnnotator *self)
{
  guint n;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  if (!self->editable)
    return;

  n = dbw_shape_set_get_n_shapes (self->shapes);
  begin_edit (self);
  for (guint i = 0; i < n; i++)
    if (dbw_shape_set_get_shape (self->shapes, i)->suggested)
      dbw_shape_set_set_suggested (self->shapes, i, FALSE);
  end_edit (self);
}

/**
 * dbw_image_annotator_get_zoom:
 *
 * Returns: view pixels per image pixel
 */
double
dbw_image_annotator_get_zoom (DbwImageAnnotator *self)
{
  g_return_val_if_fail (DBW_IS_IMAGE_ANNOTATOR (self), 1.0);

  return self->transform.scale;
}

/**
 * dbw_image_annotator_zoom_at:
 * @zoom: view pixels per image pixel
 * @x: view coordinate whose image point stays where it is
 * @y: view coordinate whose image point stays where it is
 */
void
dbw_image_annotator_zoom_at (DbwImageAnnotator *self,
                             double             zoom,
                             double             x,
                             double             y)
{
  double old_scale;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  old_scale = self->transform.scale;
  if (dbw_view_transform_zoom_at (&self->transform, zoom, x, y))
    {
      self->fit = FALSE;
      transform_changed (self, old_scale);
      update_hover (self);
    }
}

/**
 * dbw_image_annotator_fit:
 *
 * Shows the whole image, and keeps it whole when the widget's size changes.
 */
void
dbw_image_annotator_fit (DbwImageAnnotator *self)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  self->fit = TRUE;
  apply_fit (self);
}

void
dbw_image_annotator_pan_by (DbwImageAnnotator *self,
                            double             dx,
                            double             dy)
{
  double old_scale;

  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  old_scale = self->transform.scale;
  if (dbw_view_transform_pan_by (&self->transform, dx, dy))
    {
      self->fit = FALSE;
      transform_changed (self, old_scale);
      update_hover (self);
    }
}

/**
 * dbw_image_annotator_view_to_image:
 * @image_x: (out): image pixel coordinate, fractional, possibly outside the image
 * @image_y: (out): image pixel coordinate, fractional, possibly outside the image
 */
void
dbw_image_annotator_view_to_image (DbwImageAnnotator *self,
                                   double             x,
                                   double             y,
                                   double            *image_x,
                                   double            *image_y)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  dbw_view_transform_view_to_image (&self->transform, x, y, image_x, image_y);
}

/**
 * dbw_image_annotator_image_to_view:
 * @x: (out): view coordinate
 * @y: (out): view coordinate
 */
void
dbw_image_annotator_image_to_view (DbwImageAnnotator *self,
                                   double             image_x,
                                   double             image_y,
                                   double            *x,
                                   double            *y)
{
  g_return_if_fail (DBW_IS_IMAGE_ANNOTATOR (self));

  dbw_view_transform_image_to_view (&self->transform, image_x, image_y, x, y);
}
