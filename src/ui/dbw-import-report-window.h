/* dbw-import-report-window.h
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

#include "dbw-import-report.h"

G_BEGIN_DECLS

#define DBW_TYPE_IMPORT_REPORT_WINDOW (dbw_import_report_window_get_type ())

G_DECLARE_FINAL_TYPE (DbwImportReportWindow, dbw_import_report_window, DBW, IMPORT_REPORT_WINDOW, AdwWindow)

DbwImportReportWindow *dbw_import_report_window_new        (GtkWindow             *parent,
                                                            DbwImportReport       *report);
DbwImportReport       *dbw_import_report_window_get_report (DbwImportReportWindow *self);

G_END_DECLS
