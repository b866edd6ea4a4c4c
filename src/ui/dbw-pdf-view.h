/* dbw-pdf-view.h
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

#include <adwaita.h>

#include "dbw-pdf-renderer.h"

G_BEGIN_DECLS

#define DBW_TYPE_PDF_VIEW (dbw_pdf_view_get_type ())

G_DECLARE_FINAL_TYPE (DbwPdfView, dbw_pdf_view, DBW, PDF_VIEW, GtkWidget)

/* Shows one PDF given as bytes: a column of pages rendered as they scroll into view, a
 * toolbar to move between pages and zoom, and a strip of page thumbnails.
 *
 * Actions (and their keys while the focus is in the view):
 *   pdf.zoom-in            Ctrl+plus (also Ctrl+equal, Ctrl+KP_Add)
 *   pdf.zoom-out           Ctrl+minus (also Ctrl+KP_Subtract)
 *   pdf.fit-width          Ctrl+0
 *   pdf.previous-page      Page Up
 *   pdf.next-page          Page Down
 *   pdf.toggle-thumbnails  F4; stateful, follows the thumbnails-visible property
 *
 * Zoom 1.0 shows a page at 96 pixels per inch; pages are 0-based in the API and 1-based on
 * screen. Ctrl+scroll and pinching zoom around the pointer. */

GtkWidget      *dbw_pdf_view_new                     (void);
void            dbw_pdf_view_set_bytes               (DbwPdfView *self,
                                                      GBytes     *bytes);
DbwPdfRenderer *dbw_pdf_view_get_renderer            (DbwPdfView *self);
gboolean        dbw_pdf_view_get_loading             (DbwPdfView *self);
const GError   *dbw_pdf_view_get_error               (DbwPdfView *self);
guint           dbw_pdf_view_get_n_pages             (DbwPdfView *self);
guint           dbw_pdf_view_get_page                (DbwPdfView *self);
void            dbw_pdf_view_set_page                (DbwPdfView *self,
                                                      guint       page);
double          dbw_pdf_view_get_zoom                (DbwPdfView *self);
void            dbw_pdf_view_set_zoom                (DbwPdfView *self,
                                                      double      zoom);
gboolean        dbw_pdf_view_get_fit_width           (DbwPdfView *self);
void            dbw_pdf_view_set_fit_width           (DbwPdfView *self,
                                                      gboolean    fit_width);
gboolean        dbw_pdf_view_get_thumbnails_visible  (DbwPdfView *self);
void            dbw_pdf_view_set_thumbnails_visible  (DbwPdfView *self,
                                                      gboolean    visible);
GListModel     *dbw_pdf_view_get_pages               (DbwPdfView *self);

G_END_DECLS
