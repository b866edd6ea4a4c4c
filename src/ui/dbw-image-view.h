/* dbw-image-view.h
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

G_BEGIN_DECLS

#define DBW_IMAGE_ERROR (dbw_image_error_quark ())

typedef enum
{
  DBW_IMAGE_ERROR_EMPTY,
  DBW_IMAGE_ERROR_TRUNCATED,
  DBW_IMAGE_ERROR_UNSUPPORTED,
  DBW_IMAGE_ERROR_DAMAGED,
} DbwImageError;

#define DBW_TYPE_IMAGE_VIEW (dbw_image_view_get_type ())

G_DECLARE_FINAL_TYPE (DbwImageView, dbw_image_view, DBW, IMAGE_VIEW, GtkWidget)

/* Shows one image, decoded from bytes in a worker thread by GdkPixbuf (PNG, JPEG, TIFF,
 * and whatever other loaders are installed, WebP among them when its loader is), turned
 * upright by its EXIF orientation. Image coordinates are pixels of that upright image.
 *
 * The image starts fitted to the widget (scaled up or down, centred). Ctrl+scroll and
 * pinching zoom around the pointer: the image point under it stays where it is. Dragging
 * with any button, and scrolling without Ctrl, pan an image larger than the widget.
 * Zoom is widget pixels per image pixel.
 *
 * Actions (and their keys while the view has the focus):
 *   image.zoom-in        Ctrl+plus (also Ctrl+equal, Ctrl+KP_Add)
 *   image.zoom-out       Ctrl+minus (also Ctrl+KP_Subtract)
 *   image.fit            Ctrl+0
 *   image.original-size  1 (the digit, no modifier): one image pixel on one screen pixel.
 *                        Not Ctrl+1: the window uses Ctrl+1…7 to switch pages, and a key
 *                        without modifier only reaches the view while it has the focus.
 *
 * An overlay (such as an annotator's boxes) maps between the two spaces with
 * dbw_image_view_widget_to_image() and dbw_image_view_image_to_widget(), and redraws on
 * ::transform-changed. Errors are in %DBW_IMAGE_ERROR; DbwImagePreview shows them. */

GQuark        dbw_image_error_quark          (void);
GdkPixbuf    *dbw_image_decode_pixbuf        (GBytes       *bytes,
                                              GError      **error);

GtkWidget    *dbw_image_view_new             (void);
void          dbw_image_view_set_bytes       (DbwImageView *self,
                                              GBytes       *bytes);
void          dbw_image_view_set_texture     (DbwImageView *self,
                                              GdkTexture   *texture);
GdkTexture   *dbw_image_view_get_texture     (DbwImageView *self);
gboolean      dbw_image_view_get_loading     (DbwImageView *self);
const GError *dbw_image_view_get_error       (DbwImageView *self);
double        dbw_image_view_get_zoom        (DbwImageView *self);
void          dbw_image_view_set_zoom        (DbwImageView *self,
                                              double        zoom);
void          dbw_image_view_zoom_at         (DbwImageView *self,
                                              double        zoom,
                                              double        x,
                                              double        y);
gboolean      dbw_image_view_get_fit         (DbwImageView *self);
void          dbw_image_view_set_fit         (DbwImageView *self,
                                              gboolean      fit);
double        dbw_image_view_get_fit_zoom    (DbwImageView *self);
void          dbw_image_view_widget_to_image (DbwImageView *self,
                                              double        x,
                                              double        y,
                                              double       *image_x,
                                              double       *image_y);
void          dbw_image_view_image_to_widget (DbwImageView *self,
                                              double        image_x,
                                              double        image_y,
                                              double       *x,
                                              double       *y);

G_END_DECLS
