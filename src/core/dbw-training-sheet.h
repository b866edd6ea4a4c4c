/* dbw-training-sheet.h
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

#include "dbw-enums.h"
#include "dbw-record.h"

G_BEGIN_DECLS

#define DBW_TYPE_TRAINING_SHEET (dbw_training_sheet_get_type ())

G_DECLARE_FINAL_TYPE (DbwTrainingSheet, dbw_training_sheet, DBW, TRAINING_SHEET, DbwRecord)

DbwTrainingSheet *dbw_training_sheet_new (void);

const char *           dbw_training_sheet_get_name                    (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_name                    (DbwTrainingSheet *self,
                                                                       const char *name);
const char *           dbw_training_sheet_get_sheet_id                (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_sheet_id                (DbwTrainingSheet *self,
                                                                       const char *sheet_id);
const char *           dbw_training_sheet_get_template_id             (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_template_id             (DbwTrainingSheet *self,
                                                                       const char *template_id);
DbwTrainingSheetStatus dbw_training_sheet_get_status                  (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_status                  (DbwTrainingSheet *self,
                                                                       DbwTrainingSheetStatus status);
DbwLabelingMode        dbw_training_sheet_get_labeling_mode           (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_labeling_mode           (DbwTrainingSheet *self,
                                                                       DbwLabelingMode labeling_mode);
const char *           dbw_training_sheet_get_generation_config       (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_generation_config       (DbwTrainingSheet *self,
                                                                       const char *generation_config);
const char *           dbw_training_sheet_get_generation_started_at   (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_generation_started_at   (DbwTrainingSheet *self,
                                                                       const char *generation_started_at);
const char *           dbw_training_sheet_get_generation_completed_at (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_generation_completed_at (DbwTrainingSheet *self,
                                                                       const char *generation_completed_at);
const char *           dbw_training_sheet_get_created_by              (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_created_by              (DbwTrainingSheet *self,
                                                                       const char *created_by);
const char *           dbw_training_sheet_get_created_at              (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_created_at              (DbwTrainingSheet *self,
                                                                       const char *created_at);
const char *           dbw_training_sheet_get_updated_at              (DbwTrainingSheet *self);
void                   dbw_training_sheet_set_updated_at              (DbwTrainingSheet *self,
                                                                       const char *updated_at);

G_END_DECLS
