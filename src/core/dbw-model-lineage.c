/* dbw-model-lineage.c
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

#define G_LOG_DOMAIN "dbw-model-lineage"

#include "config.h"

#include "dbw-model-lineage.h"

/* A trained model and what it was trained on: one row of model_training_lineage, written
 * when a fine-tune run succeeds, listed by the Train page and walked by the lineage
 * queries. */

struct _DbwModelLineage
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwModelLineage, dbw_model_lineage, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_MODEL_ID,
  PROP_MODEL_NAME,
  PROP_MODEL_VERSION,
  PROP_TRAINING_SHEET_ID,
  PROP_TRAINING_SHEET_VERSION,
  PROP_QA_PAIR_IDS,
  PROP_TRAIN_PAIR_COUNT,
  PROP_VAL_PAIR_COUNT,
  PROP_TRAINING_CONFIG,
  PROP_MLFLOW_RUN_ID,
  PROP_JOB_RUN_ID,
  PROP_EXPORT_ID,
  PROP_TRAINED_AT,
  PROP_CREATED_BY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_model_lineage_class_init (DbwModelLineageClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "model_training_lineage";

  /**
   * DbwModelLineage:model-id:
   *
   * The model's id in the registry, when it has one.
   */
  properties [PROP_MODEL_ID] =
    g_param_spec_string ("model-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MODEL_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:model-name:
   *
   * The registered model name (catalog.schema.model).
   */
  properties [PROP_MODEL_NAME] =
    g_param_spec_string ("model-name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MODEL_NAME], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:model-version:
   *
   * The registered version.
   */
  properties [PROP_MODEL_VERSION] =
    g_param_spec_string ("model-version", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MODEL_VERSION], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:training-sheet-id:
   *
   * The training sheet the pairs came from.
   */
  properties [PROP_TRAINING_SHEET_ID] =
    g_param_spec_string ("training-sheet-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINING_SHEET_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:training-sheet-version:
   *
   * The training sheet's state when it was exported.
   */
  properties [PROP_TRAINING_SHEET_VERSION] =
    g_param_spec_string ("training-sheet-version", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINING_SHEET_VERSION], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:qa-pair-ids:
   *
   * The pairs trained on, as a JSON array of ids. Lists leave it out (%DBW_COLUMN_DEFERRED).
   */
  properties [PROP_QA_PAIR_IDS] =
    g_param_spec_string ("qa-pair-ids", NULL, NULL,
                         "[]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_QA_PAIR_IDS], DBW_COLUMN_JSON | DBW_COLUMN_DEFERRED);

  /**
   * DbwModelLineage:train-pair-count:
   *
   * How many pairs were in the training split.
   */
  properties [PROP_TRAIN_PAIR_COUNT] =
    g_param_spec_int64 ("train-pair-count", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAIN_PAIR_COUNT], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:val-pair-count:
   *
   * How many pairs were in the validation split.
   */
  properties [PROP_VAL_PAIR_COUNT] =
    g_param_spec_int64 ("val-pair-count", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_VAL_PAIR_COUNT], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:training-config:
   *
   * Base model, epochs, learning rate and the rest, as a JSON object.
   */
  properties [PROP_TRAINING_CONFIG] =
    g_param_spec_string ("training-config", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINING_CONFIG], DBW_COLUMN_JSON);

  /**
   * DbwModelLineage:mlflow-run-id:
   *
   * The MLflow run that tracks the training.
   */
  properties [PROP_MLFLOW_RUN_ID] =
    g_param_spec_string ("mlflow-run-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MLFLOW_RUN_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:job-run-id:
   *
   * The job_runs row of the fine-tune run.
   */
  properties [PROP_JOB_RUN_ID] =
    g_param_spec_string ("job-run-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_JOB_RUN_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:export-id:
   *
   * The export trained on.
   */
  properties [PROP_EXPORT_ID] =
    g_param_spec_string ("export-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_EXPORT_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:trained-at:
   *
   * When training finished (ISO 8601 UTC).
   */
  properties [PROP_TRAINED_AT] =
    g_param_spec_string ("trained-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwModelLineage:created-by:
   *
   * Who started the training.
   */
  properties [PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_BY], DBW_COLUMN_DEFAULT);
}

static void
dbw_model_lineage_init (DbwModelLineage *self)
{
}

DbwModelLineage *
dbw_model_lineage_new (void)
{
  return g_object_new (DBW_TYPE_MODEL_LINEAGE, NULL);
}

const char *
dbw_model_lineage_get_model_id (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_MODEL_ID);
}

void
dbw_model_lineage_set_model_id (DbwModelLineage *self,
                                const char      *model_id)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_MODEL_ID, model_id);
}

const char *
dbw_model_lineage_get_model_name (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_MODEL_NAME);
}

void
dbw_model_lineage_set_model_name (DbwModelLineage *self,
                                  const char      *model_name)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_MODEL_NAME, model_name);
}

const char *
dbw_model_lineage_get_model_version (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_MODEL_VERSION);
}

void
dbw_model_lineage_set_model_version (DbwModelLineage *self,
                                     const char      *model_version)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_MODEL_VERSION, model_version);
}

const char *
dbw_model_lineage_get_training_sheet_id (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TRAINING_SHEET_ID);
}

void
dbw_model_lineage_set_training_sheet_id (DbwModelLineage *self,
                                         const char      *training_sheet_id)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TRAINING_SHEET_ID, training_sheet_id);
}

const char *
dbw_model_lineage_get_training_sheet_version (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TRAINING_SHEET_VERSION);
}

void
dbw_model_lineage_set_training_sheet_version (DbwModelLineage *self,
                                              const char      *training_sheet_version)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TRAINING_SHEET_VERSION, training_sheet_version);
}

const char *
dbw_model_lineage_get_qa_pair_ids (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_QA_PAIR_IDS);
}

void
dbw_model_lineage_set_qa_pair_ids (DbwModelLineage *self,
                                   const char      *qa_pair_ids)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_QA_PAIR_IDS, qa_pair_ids);
}

gint64
dbw_model_lineage_get_train_pair_count (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_TRAIN_PAIR_COUNT);
}

void
dbw_model_lineage_set_train_pair_count (DbwModelLineage *self,
                                        gint64           train_pair_count)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_TRAIN_PAIR_COUNT, train_pair_count);
}

gint64
dbw_model_lineage_get_val_pair_count (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), 0);

  return dbw_record_get_int64 (DBW_RECORD (self), PROP_VAL_PAIR_COUNT);
}

void
dbw_model_lineage_set_val_pair_count (DbwModelLineage *self,
                                      gint64           val_pair_count)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_int64 (DBW_RECORD (self), PROP_VAL_PAIR_COUNT, val_pair_count);
}

const char *
dbw_model_lineage_get_training_config (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TRAINING_CONFIG);
}

void
dbw_model_lineage_set_training_config (DbwModelLineage *self,
                                       const char      *training_config)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TRAINING_CONFIG, training_config);
}

const char *
dbw_model_lineage_get_mlflow_run_id (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_MLFLOW_RUN_ID);
}

void
dbw_model_lineage_set_mlflow_run_id (DbwModelLineage *self,
                                     const char      *mlflow_run_id)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_MLFLOW_RUN_ID, mlflow_run_id);
}

const char *
dbw_model_lineage_get_job_run_id (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_JOB_RUN_ID);
}

void
dbw_model_lineage_set_job_run_id (DbwModelLineage *self,
                                  const char      *job_run_id)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_JOB_RUN_ID, job_run_id);
}

const char *
dbw_model_lineage_get_export_id (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_EXPORT_ID);
}

void
dbw_model_lineage_set_export_id (DbwModelLineage *self,
                                 const char      *export_id)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_EXPORT_ID, export_id);
}

const char *
dbw_model_lineage_get_trained_at (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TRAINED_AT);
}

void
dbw_model_lineage_set_trained_at (DbwModelLineage *self,
                                  const char      *trained_at)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TRAINED_AT, trained_at);
}

const char *
dbw_model_lineage_get_created_by (DbwModelLineage *self)
{
  g_return_val_if_fail (DBW_IS_MODEL_LINEAGE (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_BY);
}

void
dbw_model_lineage_set_created_by (DbwModelLineage *self,
                                  const char      *created_by)
{
  g_return_if_fail (DBW_IS_MODEL_LINEAGE (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_BY, created_by);
}
