/* dbw-training-sheet.c
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

#define G_LOG_DOMAIN "dbw-training-sheet"

#include "config.h"

#include "dbw-training-sheet.h"

/* A Training Sheet: the Q&A pairs made by applying a Prompt Template to a Sheet.
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `training_sheets` table, in table order. */

struct _DbwTrainingSheet
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwTrainingSheet, dbw_training_sheet, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SHEET_ID,
  PROP_TEMPLATE_ID,
  PROP_STATUS,
  PROP_LABELING_MODE,
  PROP_GENERATION_CONFIG,
  PROP_GENERATION_STARTED_AT,
  PROP_GENERATION_COMPLETED_AT,
  PROP_CREATED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_training_sheet_class_init (DbwTrainingSheetClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "training_sheets";

  /**
   * DbwTrainingSheet:name:
   *
   * The name shown in lists.
   */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_NAME], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:sheet-id:
   *
   * The source sheet.
   */
  properties [PROP_SHEET_ID] =
    g_param_spec_string ("sheet-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SHEET_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:template-id:
   *
   * The template version (row id) used.
   */
  properties [PROP_TEMPLATE_ID] =
    g_param_spec_string ("template-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TEMPLATE_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:status:
   *
   * Lifecycle state.
   */
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       DBW_TYPE_TRAINING_SHEET_STATUS,
                       DBW_TRAINING_SHEET_STATUS_GENERATING,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_STATUS], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:labeling-mode:
   *
   * How the assistant messages are produced.
   */
  properties [PROP_LABELING_MODE] =
    g_param_spec_enum ("labeling-mode", NULL, NULL,
                       DBW_TYPE_LABELING_MODE,
                       DBW_LABELING_MODE_AI_GENERATED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABELING_MODE], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:generation-config:
   *
   * Model or column used, as a JSON object.
   */
  properties [PROP_GENERATION_CONFIG] =
    g_param_spec_string ("generation-config", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_GENERATION_CONFIG], DBW_COLUMN_JSON);

  /**
   * DbwTrainingSheet:generation-started-at:
   *
   * When generation started (ISO 8601 UTC).
   */
  properties [PROP_GENERATION_STARTED_AT] =
    g_param_spec_string ("generation-started-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_GENERATION_STARTED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:generation-completed-at:
   *
   * When generation completed (ISO 8601 UTC).
   */
  properties [PROP_GENERATION_COMPLETED_AT] =
    g_param_spec_string ("generation-completed-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_GENERATION_COMPLETED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:created-by:
   *
   * Who created the training sheet.
   */
  properties [PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:created-at:
   *
   * When it was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwTrainingSheet:updated-at:
   *
   * When it last changed (ISO 8601 UTC).
   */
  properties [PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_UPDATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_training_sheet_init (DbwTrainingSheet *self)
{
}

DbwTrainingSheet *
dbw_training_sheet_new (void)
{
  return g_object_new (DBW_TYPE_TRAINING_SHEET, NULL);
}

const char *
dbw_training_sheet_get_name (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_NAME);
}

void
dbw_training_sheet_set_name (DbwTrainingSheet *self,
                             const char *name)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_NAME, name);
}

const char *
dbw_training_sheet_get_sheet_id (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SHEET_ID);
}

void
dbw_training_sheet_set_sheet_id (DbwTrainingSheet *self,
                                 const char *sheet_id)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SHEET_ID, sheet_id);
}

const char *
dbw_training_sheet_get_template_id (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TEMPLATE_ID);
}

void
dbw_training_sheet_set_template_id (DbwTrainingSheet *self,
                                    const char *template_id)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TEMPLATE_ID, template_id);
}

DbwTrainingSheetStatus
dbw_training_sheet_get_status (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), 0);

  return (DbwTrainingSheetStatus) dbw_record_get_enum (DBW_RECORD (self), PROP_STATUS);
}

void
dbw_training_sheet_set_status (DbwTrainingSheet *self,
                               DbwTrainingSheetStatus status)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_STATUS, status);
}

DbwLabelingMode
dbw_training_sheet_get_labeling_mode (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), 0);

  return (DbwLabelingMode) dbw_record_get_enum (DBW_RECORD (self), PROP_LABELING_MODE);
}

void
dbw_training_sheet_set_labeling_mode (DbwTrainingSheet *self,
                                      DbwLabelingMode  labeling_mode)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_LABELING_MODE, labeling_mode);
}

const char *
dbw_training_sheet_get_generation_config (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_GENERATION_CONFIG);
}

void
dbw_training_sheet_set_generation_config (DbwTrainingSheet *self,
                                          const char *generation_config)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_GENERATION_CONFIG, generation_config);
}

const char *
dbw_training_sheet_get_generation_started_at (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_GENERATION_STARTED_AT);
}

void
dbw_training_sheet_set_generation_started_at (DbwTrainingSheet *self,
                                              const char *generation_started_at)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_GENERATION_STARTED_AT, generation_started_at);
}

const char *
dbw_training_sheet_get_generation_completed_at (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_GENERATION_COMPLETED_AT);
}

void
dbw_training_sheet_set_generation_completed_at (DbwTrainingSheet *self,
                                                const char *generation_completed_at)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_GENERATION_COMPLETED_AT, generation_completed_at);
}

const char *
dbw_training_sheet_get_created_by (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_BY);
}

void
dbw_training_sheet_set_created_by (DbwTrainingSheet *self,
                                   const char *created_by)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_BY, created_by);
}

const char *
dbw_training_sheet_get_created_at (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_training_sheet_set_created_at (DbwTrainingSheet *self,
                                   const char *created_at)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}

const char *
dbw_training_sheet_get_updated_at (DbwTrainingSheet *self)
{
  g_return_val_if_fail (DBW_IS_TRAINING_SHEET (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_UPDATED_AT);
}

void
dbw_training_sheet_set_updated_at (DbwTrainingSheet *self,
                                   const char *updated_at)
{
  g_return_if_fail (DBW_IS_TRAINING_SHEET (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_UPDATED_AT, updated_at);
}
