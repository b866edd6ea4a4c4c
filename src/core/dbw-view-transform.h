/* dbw-view-transform.h
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

#include <glib.h>

G_BEGIN_DECLS

/* How an image of image_width × image_height pixels lies in a view of view_width ×
 * view_height (logical) pixels: view = offset + image × scale. Pure geometry, no toolkit,
 * so the zoom and pan rules are tested without a display.
 *
 * The pan is clamped so the image cannot be lost: along each axis an image larger than the
 * view may be moved until its edge reaches the middle of the view (so a shape in a corner
 * can be brought to the centre and its handles grabbed), never further; an image smaller
 * than the view keeps its middle inside the view. Every function that moves the image
 * clamps; the fields are read freely, written only through the functions. */

#define DBW_VIEW_TRANSFORM_MAX_SCALE 32.0

typedef struct
{
  double scale;         /* view pixels per image pixel */
  double offset_x;      /* where the image origin lies in the view */
  double offset_y;
  double view_width;
  double view_height;
  double image_width;
  double image_height;
} DbwViewTransform;

void     dbw_view_transform_init          (DbwViewTransform       *self);
/* Returns TRUE if the scale or the offset changed. Neither refits: the caller decides. */
gboolean dbw_view_transform_set_view_size (DbwViewTransform       *self,
                                           double                  width,
                                           double                  height);
gboolean dbw_view_transform_set_image_size (DbwViewTransform      *self,
                                            double                 width,
                                            double                 height);

void     dbw_view_transform_image_to_view (const DbwViewTransform *self,
                                           double                  image_x,
                                           double                  image_y,
                                           double                 *view_x,
                                           double                 *view_y);
void     dbw_view_transform_view_to_image (const DbwViewTransform *self,
                                           double                  view_x,
                                           double                  view_y,
                                           double                 *image_x,
                                           double                 *image_y);
/* The part of the image the view shows, in image pixels, limited to the image. FALSE if
 * none shows. */
gboolean dbw_view_transform_get_visible_rect (const DbwViewTransform *self,
                                              double               *x,
                                              double               *y,
                                              double               *width,
                                              double               *height);

/* The scale that shows the whole image as large as the view allows. */
double   dbw_view_transform_get_fit_scale (const DbwViewTransform *self);
double   dbw_view_transform_get_min_scale (const DbwViewTransform *self);
double   dbw_view_transform_get_max_scale (const DbwViewTransform *self);

/* Fitted and centred. */
gboolean dbw_view_transform_fit           (DbwViewTransform       *self);
/* Zooms to @scale (limited to the minimum and maximum) keeping the image point under
 * (@view_x, @view_y) where it is, unless the clamp must move it (zooming out near an
 * edge). Returns TRUE if anything changed. */
gboolean dbw_view_transform_zoom_at       (DbwViewTransform       *self,
                                           double                  scale,
                                           double                  view_x,
                                           double                  view_y);
/* One image pixel on one device pixel (@device_scale is the view's scale factor), about
 * the view's centre. */
gboolean dbw_view_transform_one_to_one    (DbwViewTransform       *self,
                                           double                  device_scale);
gboolean dbw_view_transform_pan_to        (DbwViewTransform       *self,
                                           double                  offset_x,
                                           double                  offset_y);
gboolean dbw_view_transform_pan_by        (DbwViewTransform       *self,
                                           double                  dx,
                                           double                  dy);
/* Moves the least needed to bring the image rectangle into view (for a shape selected
 * from the keyboard). */
gboolean dbw_view_transform_scroll_to_rect (DbwViewTransform      *self,
                                            double                 x,
                                            double                 y,
                                            double                 width,
                                            double                 height);

G_END_DECLS
