/* dbw-pdf-renderer.h
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

#define DBW_PDF_ERROR (dbw_pdf_error_quark ())

typedef enum
{
  DBW_PDF_ERROR_EMPTY,
  DBW_PDF_ERROR_ENCRYPTED,
  DBW_PDF_ERROR_DAMAGED,
  DBW_PDF_ERROR_NOT_LOADED,
  DBW_PDF_ERROR_INVALID_PAGE,
  DBW_PDF_ERROR_TOO_LARGE,
} DbwPdfError;

/* The default memory budget of the texture cache, in bytes. */
#define DBW_PDF_RENDERER_DEFAULT_CACHE_BUDGET (64 * 1024 * 1024)

#define DBW_TYPE_PDF_RENDERER (dbw_pdf_renderer_get_type ())

G_DECLARE_FINAL_TYPE (DbwPdfRenderer, dbw_pdf_renderer, DBW, PDF_RENDERER, GObject)

/* A PDF document opened from bytes, rendering pages into textures.
 *
 * Every poppler call runs on one worker thread of the renderer, in turn: loading, page sizes
 * and rendering. Page sizes are read once at load, so the getters below never block. Sizes
 * are in PDF points (1/72 inch); a scale is pixels per point, so 150 dpi is 150.0 / 72.0.
 * Rendered textures are kept in a least-recently-used cache keyed by page and scale. */

GQuark          dbw_pdf_error_quark                     (void);

DbwPdfRenderer *dbw_pdf_renderer_new                    (void);

void            dbw_pdf_renderer_load_async             (DbwPdfRenderer       *self,
                                                         GBytes               *bytes,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean        dbw_pdf_renderer_load_finish            (DbwPdfRenderer       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
gboolean        dbw_pdf_renderer_is_loaded              (DbwPdfRenderer       *self);
guint           dbw_pdf_renderer_get_n_pages            (DbwPdfRenderer       *self);
gboolean        dbw_pdf_renderer_get_page_size          (DbwPdfRenderer       *self,
                                                         guint                 page_index,
                                                         double               *width,
                                                         double               *height);
void            dbw_pdf_renderer_get_max_page_size      (DbwPdfRenderer       *self,
                                                         double               *width,
                                                         double               *height);

void            dbw_pdf_renderer_render_page_async      (DbwPdfRenderer       *self,
                                                         guint                 page_index,
                                                         double                scale,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
void            dbw_pdf_renderer_render_page_full_async (DbwPdfRenderer       *self,
                                                         guint                 page_index,
                                                         double                scale,
                                                         int                   io_priority,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GdkTexture     *dbw_pdf_renderer_render_page_finish     (DbwPdfRenderer       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

GdkTexture     *dbw_pdf_renderer_lookup                 (DbwPdfRenderer       *self,
                                                         guint                 page_index,
                                                         double                scale);
GdkTexture     *dbw_pdf_renderer_lookup_nearest         (DbwPdfRenderer       *self,
                                                         guint                 page_index,
                                                         double                scale,
                                                         double               *texture_scale);
void            dbw_pdf_renderer_clear_cache            (DbwPdfRenderer       *self);
gsize           dbw_pdf_renderer_get_cache_size         (DbwPdfRenderer       *self);
gsize           dbw_pdf_renderer_get_cache_budget       (DbwPdfRenderer       *self);
void            dbw_pdf_renderer_set_cache_budget       (DbwPdfRenderer       *self,
                                                         gsize                 budget);

G_END_DECLS
