/* dbw-qa-pair.c
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

#define G_LOG_DOMAIN "dbw-qa-pair"

#include "config.h"

#include "dbw-qa-pair.h"

/* A Q&A pair: one training example as chat messages, with its review state and usage constraints.
 * Storage, notification, JSON and SQL mapping come from DbwRecord; this class declares the
 * columns of the `qa_pairs` table, in table order. */

struct _DbwQaPair
{
  DbwRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (DbwQaPair, dbw_qa_pair, DBW_TYPE_RECORD)

enum {
  PROP_0,
  PROP_TRAINING_SHEET_ID,
  PROP_ITEM_REF,
  PROP_MESSAGES,
  PROP_CANONICAL_LABEL_ID,
  PROP_STATUS,
  PROP_LABELING_MODE,
  PROP_ALLOWED_USES,
  PROP_PROHIBITED_USES,
  PROP_USAGE_REASON,
  PROP_DATA_CLASSIFICATION,
  PROP_AI_CONFIDENCE,
  PROP_QUALITY_SCORE,
  PROP_REVIEWED_BY,
  PROP_REVIEWED_AT,
  PROP_REVIEW_NOTES,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
dbw_qa_pair_class_init (DbwQaPairClass *klass)
{
  DbwRecordClass *record_class = DBW_RECORD_CLASS (klass);

  record_class->table = "qa_pairs";

  /**
   * DbwQaPair:training-sheet-id:
   *
   * The training sheet the pair belongs to.
   */
  properties [PROP_TRAINING_SHEET_ID] =
    g_param_spec_string ("training-sheet-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_TRAINING_SHEET_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:item-ref:
   *
   * The source item's reference.
   */
  properties [PROP_ITEM_REF] =
    g_param_spec_string ("item-ref", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ITEM_REF], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:messages:
   *
   * The conversation as a JSON array of {role, content}.
   */
  properties [PROP_MESSAGES] =
    g_param_spec_string ("messages", NULL, NULL,
                         "[]",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_MESSAGES], DBW_COLUMN_JSON);

  /**
   * DbwQaPair:canonical-label-id:
   *
   * The canonical label the pair reuses, if any.
   */
  properties [PROP_CANONICAL_LABEL_ID] =
    g_param_spec_string ("canonical-label-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CANONICAL_LABEL_ID], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:status:
   *
   * Review state.
   */
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       DBW_TYPE_QA_STATUS,
                       DBW_QA_STATUS_UNLABELED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_STATUS], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:labeling-mode:
   *
   * How the assistant message was produced.
   */
  properties [PROP_LABELING_MODE] =
    g_param_spec_enum ("labeling-mode", NULL, NULL,
                       DBW_TYPE_LABELING_MODE,
                       DBW_LABELING_MODE_AI_GENERATED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_LABELING_MODE], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:allowed-uses:
   *
   * Uses the pair may be put to.
   */
  properties [PROP_ALLOWED_USES] =
    g_param_spec_boxed ("allowed-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_ALLOWED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:prohibited-uses:
   *
   * Uses the pair must never be put to.
   */
  properties [PROP_PROHIBITED_USES] =
    g_param_spec_boxed ("prohibited-uses", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_PROHIBITED_USES], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:usage-reason:
   *
   * Why the usage constraints are what they are.
   */
  properties [PROP_USAGE_REASON] =
    g_param_spec_string ("usage-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_USAGE_REASON], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:data-classification:
   *
   * Data classification.
   */
  properties [PROP_DATA_CLASSIFICATION] =
    g_param_spec_enum ("data-classification", NULL, NULL,
                       DBW_TYPE_DATA_CLASSIFICATION,
                       DBW_CLASSIFICATION_INTERNAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_DATA_CLASSIFICATION], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:ai-confidence:
   *
   * The model's confidence between 0 and 1; -1 when unknown.
   */
  properties [PROP_AI_CONFIDENCE] =
    g_param_spec_double ("ai-confidence", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_AI_CONFIDENCE], DBW_COLUMN_NULLABLE);

  /**
   * DbwQaPair:quality-score:
   *
   * Automated quality score between 0 and 1; -1 when unknown.
   */
  properties [PROP_QUALITY_SCORE] =
    g_param_spec_double ("quality-score", NULL, NULL,
                         -1.0, G_MAXDOUBLE, -1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_QUALITY_SCORE], DBW_COLUMN_NULLABLE);

  /**
   * DbwQaPair:reviewed-by:
   *
   * The reviewer.
   */
  properties [PROP_REVIEWED_BY] =
    g_param_spec_string ("reviewed-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_REVIEWED_BY], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:reviewed-at:
   *
   * When it was reviewed (ISO 8601 UTC).
   */
  properties [PROP_REVIEWED_AT] =
    g_param_spec_string ("reviewed-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_REVIEWED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:review-notes:
   *
   * Reason for a rejection, note for a flag.
   */
  properties [PROP_REVIEW_NOTES] =
    g_param_spec_string ("review-notes", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_REVIEW_NOTES], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:created-at:
   *
   * When the pair was created (ISO 8601 UTC).
   */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_CREATED_AT], DBW_COLUMN_DEFAULT);

  /**
   * DbwQaPair:updated-at:
   *
   * When the pair last changed (ISO 8601 UTC).
   */
  properties [PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  dbw_record_class_add_column (record_class, properties [PROP_UPDATED_AT], DBW_COLUMN_DEFAULT);
}

static void
dbw_qa_pair_init (DbwQaPair *self)
{
}

DbwQaPair *
dbw_qa_pair_new (void)
{
  return g_object_new (DBW_TYPE_QA_PAIR, NULL);
}

const char *
dbw_qa_pair_get_training_sheet_id (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_TRAINING_SHEET_ID);
}

void
dbw_qa_pair_set_training_sheet_id (DbwQaPair *self,
                                   const char *training_sheet_id)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_TRAINING_SHEET_ID, training_sheet_id);
}

const char *
dbw_qa_pair_get_item_ref (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_ITEM_REF);
}

void
dbw_qa_pair_set_item_ref (DbwQaPair *self,
                          const char *item_ref)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_ITEM_REF, item_ref);
}

const char *
dbw_qa_pair_get_messages (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_MESSAGES);
}

void
dbw_qa_pair_set_messages (DbwQaPair *self,
                          const char *messages)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_MESSAGES, messages);
}

const char *
dbw_qa_pair_get_canonical_label_id (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CANONICAL_LABEL_ID);
}

void
dbw_qa_pair_set_canonical_label_id (DbwQaPair *self,
                                    const char *canonical_label_id)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CANONICAL_LABEL_ID, canonical_label_id);
}

DbwQaStatus
dbw_qa_pair_get_status (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), 0);

  return (DbwQaStatus) dbw_record_get_enum (DBW_RECORD (self), PROP_STATUS);
}

void
dbw_qa_pair_set_status (DbwQaPair *self,
                        DbwQaStatus status)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_STATUS, status);
}

DbwLabelingMode
dbw_qa_pair_get_labeling_mode (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), 0);

  return (DbwLabelingMode) dbw_record_get_enum (DBW_RECORD (self), PROP_LABELING_MODE);
}

void
dbw_qa_pair_set_labeling_mode (DbwQaPair *self,
                               DbwLabelingMode labeling_mode)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_LABELING_MODE, labeling_mode);
}

const char * const *
dbw_qa_pair_get_allowed_uses (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_ALLOWED_USES);
}

void
dbw_qa_pair_set_allowed_uses (DbwQaPair *self,
                              const char * const *allowed_uses)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_ALLOWED_USES, allowed_uses);
}

const char * const *
dbw_qa_pair_get_prohibited_uses (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_strv (DBW_RECORD (self), PROP_PROHIBITED_USES);
}

void
dbw_qa_pair_set_prohibited_uses (DbwQaPair *self,
                                 const char * const *prohibited_uses)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_strv (DBW_RECORD (self), PROP_PROHIBITED_USES, prohibited_uses);
}

const char *
dbw_qa_pair_get_usage_reason (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_USAGE_REASON);
}

void
dbw_qa_pair_set_usage_reason (DbwQaPair *self,
                              const char *usage_reason)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_USAGE_REASON, usage_reason);
}

DbwDataClassification
dbw_qa_pair_get_data_classification (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), 0);

  return (DbwDataClassification) dbw_record_get_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION);
}

void
dbw_qa_pair_set_data_classification (DbwQaPair *self,
                                     DbwDataClassification data_classification)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_enum (DBW_RECORD (self), PROP_DATA_CLASSIFICATION, data_classification);
}

double
dbw_qa_pair_get_ai_confidence (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), 0);

  return dbw_record_get_double (DBW_RECORD (self), PROP_AI_CONFIDENCE);
}

void
dbw_qa_pair_set_ai_confidence (DbwQaPair *self,
                               double    ai_confidence)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_double (DBW_RECORD (self), PROP_AI_CONFIDENCE, ai_confidence);
}

double
dbw_qa_pair_get_quality_score (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), 0);

  return dbw_record_get_double (DBW_RECORD (self), PROP_QUALITY_SCORE);
}

void
dbw_qa_pair_set_quality_score (DbwQaPair *self,
                               double    quality_score)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_double (DBW_RECORD (self), PROP_QUALITY_SCORE, quality_score);
}

const char *
dbw_qa_pair_get_reviewed_by (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_REVIEWED_BY);
}

void
dbw_qa_pair_set_reviewed_by (DbwQaPair *self,
                             const char *reviewed_by)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_REVIEWED_BY, reviewed_by);
}

const char *
dbw_qa_pair_get_reviewed_at (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_REVIEWED_AT);
}

void
dbw_qa_pair_set_reviewed_at (DbwQaPair *self,
                             const char *reviewed_at)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_REVIEWED_AT, reviewed_at);
}

const char *
dbw_qa_pair_get_review_notes (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_REVIEW_NOTES);
}

void
dbw_qa_pair_set_review_notes (DbwQaPair *self,
                              const char *review_notes)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_REVIEW_NOTES, review_notes);
}

const char *
dbw_qa_pair_get_created_at (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_CREATED_AT);
}

void
dbw_qa_pair_set_created_at (DbwQaPair *self,
                            const char *created_at)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_CREATED_AT, created_at);
}

const char *
dbw_qa_pair_get_updated_at (DbwQaPair *self)
{
  g_return_val_if_fail (DBW_IS_QA_PAIR (self), NULL);

  return dbw_record_get_string (DBW_RECORD (self), PROP_UPDATED_AT);
}

void
dbw_qa_pair_set_updated_at (DbwQaPair *self,
                            const char *updated_at)
{
  g_return_if_fail (DBW_IS_QA_PAIR (self));

  dbw_record_set_string (DBW_RECORD (self), PROP_UPDATED_AT, updated_at);
}
