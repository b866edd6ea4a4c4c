/* dbw-view-transform.c
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

#define G_LOG_DOMAIN "dbw-view-transform"

#include "config.h"

#include <math.h>

#include "dbw-view-transform.h"

#define MIN_SCALE_FLOOR 1e-3

static gboolean
has_image (const DbwViewTransform *self)
{
  return self->image_width > 0 && self->image_height > 0;
}

/* Whichever is smaller, the image or the view, keeps its middle inside the other. */
static double
clamp_axis (double offset,
            double scaled,
            double available)
{
  double m = MIN (available, scaled) / 2.0;
  double lo = MIN (0.0, available - scaled) - m;
  double hi = MAX (0.0, available - scaled) + m;

  return CLAMP (offset, lo, hi);
}

/* Returns TRUE if the offset moved. */
static gboolean
clamp_offset (DbwViewTransform *self)
{
  double x = self->offset_x;
  double y = self->offset_y;

  if (has_image (self))
    {
      self->offset_x = clamp_axis (self->offset_x, self->image_width * self->scale, self->view_width);
      self->offset_y = clamp_axis (self->offset_y, self->image_height * self->scale, self->view_height);
    }

  return x != self->offset_x || y != self->offset_y;
}

void
dbw_view_transform_init (DbwViewTransform *self)
{
  g_return_if_fail (self != NULL);

  *self = (DbwViewTransform) { .scale = 1.0 };
}

gboolean
dbw_view_transform_set_view_size (DbwViewTransform *self,
                                  double            width,
                                  double            height)
{
  g_return_val_if_fail (self != NULL, FALSE);

  self->view_width = MAX (width, 0.0);
  self->view_height = MAX (height, 0.0);

  return clamp_offset (self);
}

gboolean
dbw_view_transform_set_image_size (DbwViewTransform *self,
                                   double            width,
                                   double            height)
{
  g_return_val_if_fail (self != NULL, FALSE);

  self->image_width = MAX (width, 0.0);
  self->image_height = MAX (height, 0.0);

  return clamp_offset (self);
}

void
dbw_view_transform_image_to_view (const DbwViewTransform *self,
                                  double                  image_x,
                                  double                  image_y,
                                  double                 *view_x,
                                  double                 *view_y)
{
  g_return_if_fail (self != NULL);

  if (view_x != NULL)
    *view_x = self->offset_x + image_x * self->scale;
  if (view_y != NULL)
    *view_y = self->offset_y + image_y * self->scale;
}

void
dbw_view_transform_view_to_image (const DbwViewTransform *self,
                                  double                  view_x,
                                  double                  view_y,
                                  double                 *image_x,
                                  double                 *image_y)
{
  g_return_if_fail (self != NULL);

  if (image_x != NULL)
    *image_x = (view_x - self->offset_x) / self->scale;
  if (image_y != NULL)
    *image_y = (view_y - self->offset_y) / self->scale;
}

gboolean
dbw_view_transform_get_visible_rect (const DbwViewTransform *self,
                                     double                 *x,
                                     double                 *y,
                                     double                 *width,
                                     double                 *height)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (self != NULL, FALSE);

  dbw_view_transform_view_to_image (self, 0, 0, &x0, &y0);
  dbw_view_transform_view_to_image (self, self->view_width, self->view_height, &x1, &y1);
  x0 = CLAMP (x0, 0, self->image_width);
  y0 = CLAMP (y0, 0, self->image_height);
  x1 = CLAMP (x1, 0, self->image_width);
  y1 = CLAMP (y1, 0, self->image_height);

  if (x != NULL)
    *x = x0;
  if (y != NULL)
    *y = y0;
  if (width != NULL)
    *width = x1 - x0;
  if (height != NULL)
    *height = y1 - y0;

  return x1 > x0 && y1 > y0;
}

double
dbw_view_transform_get_fit_scale (const DbwViewTransform *self)
{
  g_return_val_if_fail (self != NULL, 1.0);

  if (!has_image (self) || self->view_width <= 0 || self->view_height <= 0)
    return 1.0;

  return MIN (self->view_width / self->image_width, self->view_height / self->image_height);
}

double
dbw_view_transform_get_min_scale (const DbwViewTransform *self)
{
  g_return_val_if_fail (self != NULL, 1.0);

  /* Half the fitted size: further out the image is a stamp. */
  return MAX (MIN (dbw_view_transform_get_fit_scale (self), 1.0) / 2.0, MIN_SCALE_FLOOR);
}

double
dbw_view_transform_get_max_scale (const DbwViewTransform *self)
{
  g_return_val_if_fail (self != NULL, 1.0);

  /* A tiny image fitted to a large view may already be past the usual maximum. */
  return MAX (DBW_VIEW_TRANSFORM_MAX_SCALE, dbw_view_transform_get_fit_scale (self));
}

gboolean
dbw_view_transform_fit (DbwViewTransform *self)
{
  DbwViewTransform old;

  g_return_val_if_fail (self != NULL, FALSE);

  old = *self;
  self->scale = dbw_view_transform_get_fit_scale (self);
  self->offset_x = self->offset_y = 0;
  if (has_image (self))
    {
      /* Whole view pixels: the image edges stay sharp. */
      self->offset_x = round ((self->view_width - self->image_width * self->scale) / 2.0);
      self->offset_y = round ((self->view_height - self->image_height * self->scale) / 2.0);
      clamp_offset (self);
    }

  return old.scale != self->scale || old.offset_x != self->offset_x || old.offset_y != self->offset_y;
}

gboolean
dbw_view_transform_zoom_at (DbwViewTransform *self,
                            double            scale,
                            double            view_x,
                            double            view_y)
{
  DbwViewTransform old;
  double image_x, image_y;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!isfinite (scale) || scale <= 0)
    return FALSE;

  old = *self;
  scale = CLAMP (scale, dbw_view_transform_get_min_scale (self), dbw_view_transform_get_max_scale (self));
  dbw_view_transform_view_to_image (self, view_x, view_y, &image_x, &image_y);
  self->scale = scale;
  self->offset_x = view_x - image_x * scale;
  self->offset_y = view_y - image_y * scale;
  clamp_offset (self);

  return old.scale != self->scale || old.offset_x != self->offset_x || old.offset_y != self->offset_y;
}

gboolean
dbw_view_transform_one_to_one (DbwViewTransform *self,
                               double            device_scale)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (device_scale > 0, FALSE);

  return dbw_view_transform_zoom_at (self, 1.0 / device_scale, self->view_width / 2.0, self->view_height / 2.0);
}

gboolean
dbw_view_transform_pan_to (DbwViewTransform *self,
                           double            offset_x,
                           double            offset_y)
{
  double x, y;

  g_return_val_if_fail (self != NULL, FALSE);

  x = self->offset_x;
  y = self->offset_y;
  self->offset_x = offset_x;
  self->offset_y = offset_y;
  clamp_offset (self);

  return x != self->offset_x || y != self->offset_y;
}

gboolean
dbw_view_transform_pan_by (DbwViewTransform *self,
                           double            dx,
                           double            dy)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return dbw_view_transform_pan_to (self, self->offset_x + dx, self->offset_y + dy);
}

static double
scroll_axis (double offset,
             double start,
             double end,
             double available)
{
  /* start and end are view coordinates of the rectangle; a rectangle larger than the
   * view shows its start. */
  if (end - start > available || start < 0)
    return offset - start;
  if (end > available)
    return offset - (end - available);

  return offset;
}

gboolean
dbw_view_transform_scroll_to_rect (DbwViewTransform *self,
                                   double            x,
                                   double            y,
                                   double            width,
                                   double            height)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (self != NULL, FALSE);

  dbw_view_transform_image_to_view (self, x, y, &x0, &y0);
  dbw_view_transform_image_to_view (self, x + width, y + height, &x1, &y1);

  return dbw_view_transform_pan_to (self,
                                    scroll_axis (self->offset_x, x0, x1, self->view_width),
                                    scroll_axis (self->offset_y, y0, y1, self->view_height));
}
