/* dbw-pdf-canvas.h
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

#include "dbw-pdf-renderer.h"

G_BEGIN_DECLS

#define DBW_TYPE_PDF_CANVAS (dbw_pdf_canvas_get_type ())

G_DECLARE_FINAL_TYPE (DbwPdfCanvas, dbw_pdf_canvas, DBW, PDF_CANVAS, GtkWidget)

/* The continuous column of pages inside DbwPdfView, a GtkScrollable for a GtkScrolledWindow.
 * A zoom of 1.0 shows a page at 96 pixels per inch (one point is 4/3 of a pixel). */

#define DBW_PDF_MIN_ZOOM 0.1
#define DBW_PDF_MAX_ZOOM 8.0

GtkWidget      *dbw_pdf_canvas_new            (void);
DbwPdfRenderer *dbw_pdf_canvas_get_renderer   (DbwPdfCanvas   *self);
void            dbw_pdf_canvas_set_renderer   (DbwPdfCanvas   *self,
                                               DbwPdfRenderer *renderer);
double          dbw_pdf_canvas_get_zoom       (DbwPdfCanvas   *self);
void            dbw_pdf_canvas_set_zoom       (DbwPdfCanvas   *self,
                                               double          zoom);
void            dbw_pdf_canvas_zoom_at        (DbwPdfCanvas   *self,
                                               double          zoom,
                                               double          x,
                                               double          y);
gboolean        dbw_pdf_canvas_get_fit_width  (DbwPdfCanvas   *self);
void            dbw_pdf_canvas_set_fit_width  (DbwPdfCanvas   *self,
                                               gboolean        fit_width);
guint           dbw_pdf_canvas_get_page       (DbwPdfCanvas   *self);
void            dbw_pdf_canvas_set_page       (DbwPdfCanvas   *self,
                                               guint           page);
guint           dbw_pdf_canvas_get_n_pages    (DbwPdfCanvas   *self);
double          dbw_pdf_canvas_get_page_scale (DbwPdfCanvas   *self,
                                               guint           page);
GdkTexture     *dbw_pdf_canvas_get_texture    (DbwPdfCanvas   *self,
                                               guint           page,
                                               double         *texture_scale);

G_END_DECLS
