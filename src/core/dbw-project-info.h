/* dbw-project-info.h
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

#include <gio/gio.h>

#include "dbw-enums.h"
#include "dbw-store.h"

G_BEGIN_DECLS

#define DBW_TYPE_SHEET_INFO (dbw_sheet_info_get_type ())

G_DECLARE_FINAL_TYPE (DbwSheetInfo, dbw_sheet_info, DBW, SHEET_INFO, GObject)

const char         *dbw_sheet_info_get_id                  (DbwSheetInfo   *self);
const char         *dbw_sheet_info_get_name                (DbwSheetInfo   *self);
gint64              dbw_sheet_info_get_n_items             (DbwSheetInfo   *self);
gint64              dbw_sheet_info_get_n_items_of_modality (DbwSheetInfo   *self,
                                                            DbwModality     modality);

#define DBW_TYPE_PROJECT_INFO (dbw_project_info_get_type ())

G_DECLARE_FINAL_TYPE (DbwProjectInfo, dbw_project_info, DBW, PROJECT_INFO, GObject)

DbwProjectInfo     *dbw_project_info_collect               (DbwStore       *store,
                                                            GError        **error);
const char         *dbw_project_info_get_path              (DbwProjectInfo *self);
const char         *dbw_project_info_get_title             (DbwProjectInfo *self);
int                 dbw_project_info_get_schema_version    (DbwProjectInfo *self);
gboolean            dbw_project_info_get_read_only         (DbwProjectInfo *self);
const char * const *dbw_project_info_get_tables            (DbwProjectInfo *self);
gint64              dbw_project_info_get_n_rows            (DbwProjectInfo *self,
                                                            const char     *table);
GListModel         *dbw_project_info_get_sheets            (DbwProjectInfo *self);
char               *dbw_project_info_to_json               (DbwProjectInfo *self);

G_END_DECLS
