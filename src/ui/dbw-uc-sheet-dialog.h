/* dbw-uc-sheet-dialog.h
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

#include "dbw-store.h"
#include "dbw-uc-browse-list.h"

G_BEGIN_DECLS

#define DBW_TYPE_UC_SHEET_DIALOG (dbw_uc_sheet_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DbwUcSheetDialog, dbw_uc_sheet_dialog, DBW, UC_SHEET_DIALOG, AdwWindow)

DbwUcSheetDialog *dbw_uc_sheet_dialog_new               (GtkWindow        *parent,
                                                         DbwStore         *store);
const char       *dbw_uc_sheet_dialog_get_page          (DbwUcSheetDialog *self);
gboolean          dbw_uc_sheet_dialog_get_loading       (DbwUcSheetDialog *self);
DbwUcBrowseList  *dbw_uc_sheet_dialog_get_list          (DbwUcSheetDialog *self);
gboolean          dbw_uc_sheet_dialog_open              (DbwUcSheetDialog *self,
                                                         const char       *name);
guint             dbw_uc_sheet_dialog_get_n_preview_rows (DbwUcSheetDialog *self);
gboolean          dbw_uc_sheet_dialog_set_join_key      (DbwUcSheetDialog *self,
                                                         const char       *column,
                                                         gboolean          active);
gboolean          dbw_uc_sheet_dialog_add_source        (DbwUcSheetDialog *self,
                                                         const char       *name,
                                                         const char       *column);

G_END_DECLS
