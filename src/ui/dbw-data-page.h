/* dbw-data-page.h
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

#include "dbw-item-preview.h"
#include "dbw-page.h"
#include "dbw-uc-sheet-dialog.h"

G_BEGIN_DECLS

#define DBW_TYPE_DATA_PAGE (dbw_data_page_get_type ())

G_DECLARE_FINAL_TYPE (DbwDataPage, dbw_data_page, DBW, DATA_PAGE, DbwPage)

GListModel *dbw_data_page_get_sheets     (DbwDataPage *self);
GListModel *dbw_data_page_get_items      (DbwDataPage *self);
gboolean    dbw_data_page_select_sheet   (DbwDataPage *self,
                                          guint        position);
guint       dbw_data_page_get_n_columns  (DbwDataPage *self);
void        dbw_data_page_import         (DbwDataPage *self,
                                          GPtrArray   *sources,
                                          gunichar     delimiter,
                                          gboolean     keep_good);
gboolean    dbw_data_page_get_importing  (DbwDataPage *self);
DbwItemPreview *dbw_data_page_get_preview (DbwDataPage *self);
gboolean    dbw_data_page_set_search     (DbwDataPage *self,
                                          const char  *text);
void        dbw_data_page_select_item    (DbwDataPage *self,
                                          guint        position);
DbwUcSheetDialog *dbw_data_page_add_uc_sheet (DbwDataPage *self);

G_END_DECLS
