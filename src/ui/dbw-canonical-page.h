/* dbw-canonical-page.h
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

#include "dbw-item.h"
#include "dbw-label-form.h"
#include "dbw-page.h"

G_BEGIN_DECLS

#define DBW_TYPE_CANONICAL_PAGE (dbw_canonical_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwCanonicalPage, dbw_canonical_page, DBW, CANONICAL_PAGE, DbwPage)

gboolean      dbw_canonical_page_set_sheet         (DbwCanonicalPage    *self,
                                                    const char          *sheet_id);
const char   *dbw_canonical_page_get_sheet_id      (DbwCanonicalPage    *self);
void          dbw_canonical_page_set_label_type    (DbwCanonicalPage    *self,
                                                    DbwLabelType         label_type);
DbwLabelType  dbw_canonical_page_get_label_type    (DbwCanonicalPage    *self);
gboolean      dbw_canonical_page_set_template      (DbwCanonicalPage    *self,
                                                    const char          *template_row_id);
DbwItem      *dbw_canonical_page_get_item          (DbwCanonicalPage    *self);
DbwLabelForm *dbw_canonical_page_get_form          (DbwCanonicalPage    *self);
gboolean      dbw_canonical_page_get_counting      (DbwCanonicalPage    *self);
gboolean      dbw_canonical_page_get_searching     (DbwCanonicalPage    *self);
const char   *dbw_canonical_page_get_progress_text (DbwCanonicalPage    *self);
void          dbw_canonical_page_export_async      (DbwCanonicalPage    *self,
                                                    GFile               *file,
                                                    const char          *use,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gint64        dbw_canonical_page_export_finish     (DbwCanonicalPage    *self,
                                                    GAsyncResult        *result,
                                                    gint64              *n_withheld,
                                                    GError             **error);

G_END_DECLS
