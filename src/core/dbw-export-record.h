/* dbw-export-record.h
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

#include "dbw-record.h"

G_BEGIN_DECLS

#define DBW_TYPE_EXPORT_RECORD (dbw_export_record_get_type ())

G_DECLARE_FINAL_TYPE (DbwExportRecord, dbw_export_record, DBW, EXPORT_RECORD, DbwRecord)

DbwExportRecord *dbw_export_record_new (void);

const char * const * dbw_export_record_get_training_sheet_ids (DbwExportRecord *self);
void                 dbw_export_record_set_training_sheet_ids (DbwExportRecord *self,
                                                               const char * const *training_sheet_ids);
const char *         dbw_export_record_get_use                (DbwExportRecord *self);
void                 dbw_export_record_set_use                (DbwExportRecord *self,
                                                               const char *use);
const char *         dbw_export_record_get_format             (DbwExportRecord *self);
void                 dbw_export_record_set_format             (DbwExportRecord *self,
                                                               const char *format);
const char *         dbw_export_record_get_qa_pair_ids        (DbwExportRecord *self);
void                 dbw_export_record_set_qa_pair_ids        (DbwExportRecord *self,
                                                               const char *qa_pair_ids);
const char *         dbw_export_record_get_counts             (DbwExportRecord *self);
void                 dbw_export_record_set_counts             (DbwExportRecord *self,
                                                               const char *counts);
const char *         dbw_export_record_get_split_config       (DbwExportRecord *self);
void                 dbw_export_record_set_split_config       (DbwExportRecord *self,
                                                               const char *split_config);
const char *         dbw_export_record_get_template_versions  (DbwExportRecord *self);
void                 dbw_export_record_set_template_versions  (DbwExportRecord *self,
                                                               const char *template_versions);
const char *         dbw_export_record_get_file_hashes        (DbwExportRecord *self);
void                 dbw_export_record_set_file_hashes        (DbwExportRecord *self,
                                                               const char *file_hashes);
const char *         dbw_export_record_get_created_by         (DbwExportRecord *self);
void                 dbw_export_record_set_created_by         (DbwExportRecord *self,
                                                               const char *created_by);
const char *         dbw_export_record_get_created_at         (DbwExportRecord *self);
void                 dbw_export_record_set_created_at         (DbwExportRecord *self,
                                                               const char *created_at);

G_END_DECLS
