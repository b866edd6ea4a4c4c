/* dbw-pdf-thumbnail.h
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

#define DBW_TYPE_PDF_THUMBNAIL (dbw_pdf_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (DbwPdfThumbnail, dbw_pdf_thumbnail, DBW, PDF_THUMBNAIL, GtkWidget)

/* One page, small, in DbwPdfView's thumbnail strip. A page of -1 shows nothing. */

#define DBW_PDF_THUMBNAIL_WIDTH 112

GtkWidget      *dbw_pdf_thumbnail_new          (void);
DbwPdfRenderer *dbw_pdf_thumbnail_get_renderer (DbwPdfThumbnail *self);
int             dbw_pdf_thumbnail_get_page     (DbwPdfThumbnail *self);
void            dbw_pdf_thumbnail_set_page     (DbwPdfThumbnail *self,
                                                DbwPdfRenderer  *renderer,
                                                int              page);
GdkTexture     *dbw_pdf_thumbnail_get_texture  (DbwPdfThumbnail *self);

G_END_DECLS
