/* dbw-image-pyramid.h
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

#include <gtk/gtk.h>

#include "dbw-view-transform.h"

G_BEGIN_DECLS

#define DBW_IMAGE_PYRAMID_TILE_SIZE 512

#define DBW_TYPE_IMAGE_PYRAMID (dbw_image_pyramid_get_type ())

G_DECLARE_FINAL_TYPE (DbwImagePyramid, dbw_image_pyramid, DBW, IMAGE_PYRAMID, GObject)

/* An image decoded once into levels of halving size (level 0 is the image itself, the last
 * fits one tile), each cut into tiles of DBW_IMAGE_PYRAMID_TILE_SIZE pixels held as
 * textures. Drawing asks for the level that matches the zoom and only the tiles in view,
 * so an 8000 × 6000 scan costs a frame what the view shows, not what the image holds.
 * Built in a worker thread; immutable afterwards. */

void             dbw_image_pyramid_new_async      (GBytes               *bytes,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void             dbw_image_pyramid_new_for_file_async (GFile            *file,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
DbwImagePyramid *dbw_image_pyramid_new_finish     (GAsyncResult         *result,
                                                   GError              **error);
/* The same, synchronously: for a worker thread of one's own. */
DbwImagePyramid *dbw_image_pyramid_new_for_pixbuf (GdkPixbuf            *pixbuf,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

int              dbw_image_pyramid_get_width      (DbwImagePyramid      *self);
int              dbw_image_pyramid_get_height     (DbwImagePyramid      *self);
guint            dbw_image_pyramid_get_n_levels   (DbwImagePyramid      *self);
void             dbw_image_pyramid_get_level_size (DbwImagePyramid      *self,
                                                   guint                 level,
                                                   int                  *width,
                                                   int                  *height);
/* The smallest level with at least @device_scale level pixels per image pixel's worth of
 * detail: what a view drawing one image pixel on @device_scale device pixels needs. */
guint            dbw_image_pyramid_choose_level   (DbwImagePyramid      *self,
                                                   double                device_scale);
GdkTexture      *dbw_image_pyramid_get_tile       (DbwImagePyramid      *self,
                                                   guint                 level,
                                                   guint                 column,
                                                   guint                 row);
/* Appends the visible tiles of the right level; returns how many. @for_cairo: the widget is
 * drawn by GskCairoRenderer, which draws the level straight from memory instead. */
guint            dbw_image_pyramid_snapshot       (DbwImagePyramid      *self,
                                                   GtkSnapshot          *snapshot,
                                                   const DbwViewTransform *transform,
                                                   double                device_scale,
                                                   gboolean              for_cairo);

G_END_DECLS
