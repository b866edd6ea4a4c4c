/* dbw-model-lineage.h
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

#define DBW_TYPE_MODEL_LINEAGE (dbw_model_lineage_get_type ())

G_DECLARE_FINAL_TYPE (DbwModelLineage, dbw_model_lineage, DBW, MODEL_LINEAGE, DbwRecord)

DbwModelLineage *dbw_model_lineage_new (void);

const char * dbw_model_lineage_get_model_id (DbwModelLineage *self);
void         dbw_model_lineage_set_model_id (DbwModelLineage *self,
                                             const char *model_id);
const char * dbw_model_lineage_get_model_name (DbwModelLineage *self);
void         dbw_model_lineage_set_model_name (DbwModelLineage *self,
                                               const char *model_name);
const char * dbw_model_lineage_get_model_version (DbwModelLineage *self);
void         dbw_model_lineage_set_model_version (DbwModelLineage *self,
                                                  const char *model_version);
const char * dbw_model_lineage_get_training_sheet_id (DbwModelLineage *self);
void         dbw_model_lineage_set_training_sheet_id (DbwModelLineage *self,
                                                      const char *training_sheet_id);
const char * dbw_model_lineage_get_training_sheet_version (DbwModelLineage *self);
void         dbw_model_lineage_set_training_sheet_version (DbwModelLineage *self,
                                                           const char *training_sheet_version);
const char * dbw_model_lineage_get_qa_pair_ids (DbwModelLineage *self);
void         dbw_model_lineage_set_qa_pair_ids (DbwModelLineage *self,
                                                const char *qa_pair_ids);
gint64       dbw_model_lineage_get_train_pair_count (DbwModelLineage *self);
void         dbw_model_lineage_set_train_pair_count (DbwModelLineage *self,
                                                     gint64      train_pair_count);
gint64       dbw_model_lineage_get_val_pair_count (DbwModelLineage *self);
void         dbw_model_lineage_set_val_pair_count (DbwModelLineage *self,
                                                   gint64      val_pair_count);
const char * dbw_model_lineage_get_training_config (DbwModelLineage *self);
void         dbw_model_lineage_set_training_config (DbwModelLineage *self,
                                                    const char *training_config);
const char * dbw_model_lineage_get_mlflow_run_id (DbwModelLineage *self);
void         dbw_model_lineage_set_mlflow_run_id (DbwModelLineage *self,
                                                  const char *mlflow_run_id);
const char * dbw_model_lineage_get_job_run_id (DbwModelLineage *self);
void         dbw_model_lineage_set_job_run_id (DbwModelLineage *self,
                                               const char *job_run_id);
const char * dbw_model_lineage_get_export_id (DbwModelLineage *self);
void         dbw_model_lineage_set_export_id (DbwModelLineage *self,
                                              const char *export_id);
const char * dbw_model_lineage_get_trained_at (DbwModelLineage *self);
void         dbw_model_lineage_set_trained_at (DbwModelLineage *self,
                                               const char *trained_at);
const char * dbw_model_lineage_get_created_by (DbwModelLineage *self);
void         dbw_model_lineage_set_created_by (DbwModelLineage *self,
                                               const char *created_by);

G_END_DECLS
