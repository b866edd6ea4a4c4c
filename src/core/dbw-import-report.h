/* dbw-import-report.h
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

G_BEGIN_DECLS

/* A report keeps the first problems in full and only counts the rest, so a file where
 * every line is bad cannot exhaust memory. */
#define DBW_IMPORT_REPORT_MAX_PROBLEMS 10000

#define DBW_TYPE_IMPORT_PROBLEM (dbw_import_problem_get_type ())

G_DECLARE_FINAL_TYPE (DbwImportProblem, dbw_import_problem, DBW, IMPORT_PROBLEM, GObject)

const char       *dbw_import_problem_get_source (DbwImportProblem *self);
guint64           dbw_import_problem_get_line   (DbwImportProblem *self);
guint64           dbw_import_problem_get_record (DbwImportProblem *self);
const char       *dbw_import_problem_get_reason (DbwImportProblem *self);
char             *dbw_import_problem_dup_location (DbwImportProblem *self);
const char       *dbw_import_problem_get_what     (DbwImportProblem *self);

#define DBW_TYPE_IMPORT_REPORT (dbw_import_report_get_type ())

G_DECLARE_FINAL_TYPE (DbwImportReport, dbw_import_report, DBW, IMPORT_REPORT, GObject)

DbwImportReport  *dbw_import_report_new              (const char       *sheet_id);
const char       *dbw_import_report_get_sheet_id     (DbwImportReport  *self);
GListModel       *dbw_import_report_get_problems     (DbwImportReport  *self);
guint64           dbw_import_report_get_n_problems   (DbwImportReport  *self);
guint64           dbw_import_report_get_n_added      (DbwImportReport  *self);
guint64           dbw_import_report_get_n_versions   (DbwImportReport  *self);
guint64           dbw_import_report_get_n_unchanged  (DbwImportReport  *self);
guint64           dbw_import_report_get_n_rejected   (DbwImportReport  *self);
guint64           dbw_import_report_get_n_blobs_added  (DbwImportReport *self);
guint64           dbw_import_report_get_n_blobs_shared (DbwImportReport *self);
gboolean          dbw_import_report_get_committed    (DbwImportReport  *self);
gboolean          dbw_import_report_get_keep_good    (DbwImportReport  *self);
char             *dbw_import_report_to_json          (DbwImportReport  *self);
gboolean          dbw_import_report_save             (DbwImportReport  *self,
                                                      GFile            *file,
                                                      GCancellable     *cancellable,
                                                      GError          **error);

G_END_DECLS
