/* dbw-export-record.c
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

#define G_LOG_DOMAIN "dbw-export-record"

#include "config.h"

#include "dbw-export-record.h"

/* One governed export: what was written, from which pairs and templates, with which split,
 * and the hashes of the files, so a model trained on them can be traced back. The columns
 * of the `exports` table, in table order. */

struct _DbwExportRecord
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwExportRecord, dbw_export_record, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_TRAINING_SHEET_IDS,
  PROP_USE,
  PROP_FORMAT,
  PROP_QA_PAIR_IDS,
  PROP_COUNTS,
  PROP_SPLIT_CONFIG,
  PROP_TEMPLATE_VERSIONS,
  PROP_FILE_HASHES,
  PROP_CREATED_BY,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_export_record_class_init (DbwExportRecordClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "exports";

  /**
   * DbwExportRecord:training-sheet-ids:
   *
   * The training sheets exported, as ids.
   */
  properties [PROP_TRAINING_SHEET_IDS] =
    g_param_spec_boxed ("training-sheet-ids", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINING_SHEET_IDS], DBW_COLUMN_DEFAULT);

  /**
   * DbwExportRecord:use:
   *
   * The use the gate was asked about (DBW_USE_*).
   */
  properties [PROP_USE] =
    g_param_spec_string ("use", NULL, NULL,
                         "training",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_USE], DBW_COLUMN_DEFAULT);

  /**
   * DbwExportRecord:format:
   *
   * jsonl, csv, coco, yolo or voc.
   */
  properties [PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL,
                         "jsonl",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_FORMAT], DBW_COLUMN_DEFAULT);

  /**
   * DbwExportRecord:qa-pair-ids:
   *
   * The exported pairs, a JSON array of ids. Lists leave it out (%DBW_COLUMN_DEFERRED).
   */
  properties [PROP_QA_PAIR_IDS] =
    g_param_spec_string ("qa-pair-ids", NULL, NULL,
                         "[]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_QA_PAIR_IDS], DBW_COLUMN_JSON | DBW_COLUMN_DEFERRED);

  /**
   * DbwExportRecord:counts:
   *
   * The summary's numbers, a JSON object.
   */
  properties [PROP_COUNTS] =
    g_param_spec_string ("counts", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_COUNTS], DBW_COLUMN_JSON);

  /**
   * DbwExportRecord:split-config:
   *
   * Validation fraction, seed, stratification and grouping, a JSON object, with the ids of
   * the validation pairs. Lists leave it out (%DBW_COLUMN_DEFERRED).
   */
  properties [PROP_SPLIT_CONFIG] =
    g_param_spec_string ("split-config", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_SPLIT_CONFIG], DBW_COLUMN_JSON | DBW_COLUMN_DEFERRED);

  /**
   * DbwExportRecord:template-versions:
   *
   * {template_id: version} of the sheets' templates.
   */
  properties [PROP_TEMPLATE_VERSIONS] =
    g_param_spec_string ("template-versions", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TEMPLATE_VERSIONS], DBW_COLUMN_JSON);

  /**
   * DbwExportRecord:file-hashes:
   *
   * {file name: SHA-256} of the files written.
   */
  properties [PROP_FILE_HASHES] =
    g_param_spec_string ("file-hashes", NULL, NULL,
                         "{}",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_FILE_HASHES], DBW_COLUMN_JSON);

  /**
   * DbwExportRecord:created-by:
   *
   * Who exported.
   */
  properties [PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwExportRecord:created-at:
   *
   * When (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_export_record_init (DbwExportRecord *self)
{
}

DbwExportRecord *
dbw_export_record_new (void)
{
  return g_object_new (DBW_TYPE_EXPORT_RECORD, NULL);
}

const char * const *
dbw_export_record_get_training_sheet_ids (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_TRAINING_SHEET_IDS);
}

void
dbw_export_record_set_training_sheet_ids (DbwExportRecord *self,
                                          const char * const *training_sheet_ids)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_TRAINING_SHEET_IDS, training_sheet_ids);
}

const char *
dbw_export_record_get_use (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_USE);
}

void
dbw_export_record_set_use (DbwExportRecord *self,
                           const char *use)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_USE, use);
}

const char *
dbw_export_record_get_format (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_FORMAT);
}

void
dbw_export_record_set_format (DbwExportRecord *self,
                              const char *format)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_FORMAT, format);
}

const char *
dbw_export_record_get_qa_pair_ids (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_QA_PAIR_IDS);
}

void
dbw_export_record_set_qa_pair_ids (DbwExportRecord *self,
                                   const char *qa_pair_ids)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_QA_PAIR_IDS, qa_pair_ids);
}

const char *
dbw_export_record_get_counts (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_COUNTS);
}

void
dbw_export_record_set_counts (DbwExportRecord *self,
                              const char *counts)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_COUNTS, counts);
}

const char *
dbw_export_record_get_split_config (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_SPLIT_CONFIG);
}

void
dbw_export_record_set_split_config (DbwExportRecord *self,
                                    const char *split_config)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_SPLIT_CONFIG, split_config);
}

const char *
dbw_export_record_get_template_versions (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TEMPLATE_VERSIONS);
}

void
dbw_export_record_set_template_versions (DbwExportRecord *self,
                                         const char *template_versions)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TEMPLATE_VERSIONS, template_versions);
}

const char *
dbw_export_record_get_file_hashes (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_FILE_HASHES);
}

void
dbw_export_record_set_file_hashes (DbwExportRecord *self,
                                   const char *file_hashes)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_FILE_HASHES, file_hashes);
}

const char *
dbw_export_record_get_created_by (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_BY);
}

void
dbw_export_record_set_created_by (DbwExportRecord *self,
                                  const char *created_by)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_BY, created_by);
}

const char *
dbw_export_record_get_created_at (DbwExportRecord *self)
{
  g_return_val_if_fail (DBW_IS_EXPORT_RECORD (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_export_record_set_created_at (DbwExportRecord *self,
                                  const char *created_at)
{
  g_return_if_fail (DBW_IS_EXPORT_RECORD (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}
