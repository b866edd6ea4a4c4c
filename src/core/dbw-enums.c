/* dbw-enums.c
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

#define G_LOG_DOMAIN "dbw-enums"

#include "config.h"

#include "dbw-enums.h"

#define DEFINE_ENUM_TYPE(func, Name, ...)                                      \
GType                                                                          \
func (void)                                                                    \
{                                                                              \
  static gsize type_id;                                                        \
  if (g_once_init_enter (&type_id))                                            \
    {                                                                          \
      static const GEnumValue values[] = { __VA_ARGS__, { 0, NULL, NULL } };   \
      g_once_init_leave (&type_id, g_enum_register_static (Name, values));     \
    }                                                                          \
  return type_id;                                                              \
}

DEFINE_ENUM_TYPE (dbw_modality_get_type, "DbwModality",
  { DBW_MODALITY_TEXT, "DBW_MODALITY_TEXT", "text" },
  { DBW_MODALITY_ROW, "DBW_MODALITY_ROW", "row" },
  { DBW_MODALITY_PDF, "DBW_MODALITY_PDF", "pdf" },
  { DBW_MODALITY_IMAGE, "DBW_MODALITY_IMAGE", "image" })

DEFINE_ENUM_TYPE (dbw_source_kind_get_type, "DbwSourceKind",
  { DBW_SOURCE_KIND_LOCAL, "DBW_SOURCE_KIND_LOCAL", "local" },
  { DBW_SOURCE_KIND_UNITY_CATALOG, "DBW_SOURCE_KIND_UNITY_CATALOG", "unity_catalog" },
  { DBW_SOURCE_KIND_DERIVED, "DBW_SOURCE_KIND_DERIVED", "derived" })

DEFINE_ENUM_TYPE (dbw_template_status_get_type, "DbwTemplateStatus",
  { DBW_TEMPLATE_STATUS_DRAFT, "DBW_TEMPLATE_STATUS_DRAFT", "draft" },
  { DBW_TEMPLATE_STATUS_PUBLISHED, "DBW_TEMPLATE_STATUS_PUBLISHED", "published" },
  { DBW_TEMPLATE_STATUS_ARCHIVED, "DBW_TEMPLATE_STATUS_ARCHIVED", "archived" })

DEFINE_ENUM_TYPE (dbw_label_type_get_type, "DbwLabelType",
  { DBW_LABEL_TYPE_CLASSIFICATION, "DBW_LABEL_TYPE_CLASSIFICATION", "classification" },
  { DBW_LABEL_TYPE_ENTITY_EXTRACTION, "DBW_LABEL_TYPE_ENTITY_EXTRACTION", "entity_extraction" },
  { DBW_LABEL_TYPE_QA, "DBW_LABEL_TYPE_QA", "qa" },
  { DBW_LABEL_TYPE_GENERATION, "DBW_LABEL_TYPE_GENERATION", "generation" },
  { DBW_LABEL_TYPE_SUMMARIZATION, "DBW_LABEL_TYPE_SUMMARIZATION", "summarization" },
  { DBW_LABEL_TYPE_OBJECT_DETECTION, "DBW_LABEL_TYPE_OBJECT_DETECTION", "object_detection" })

DEFINE_ENUM_TYPE (dbw_confidence_get_type, "DbwConfidence",
  { DBW_CONFIDENCE_HIGH, "DBW_CONFIDENCE_HIGH", "high" },
  { DBW_CONFIDENCE_MEDIUM, "DBW_CONFIDENCE_MEDIUM", "medium" },
  { DBW_CONFIDENCE_LOW, "DBW_CONFIDENCE_LOW", "low" })

DEFINE_ENUM_TYPE (dbw_data_classification_get_type, "DbwDataClassification",
  { DBW_CLASSIFICATION_PUBLIC, "DBW_CLASSIFICATION_PUBLIC", "public" },
  { DBW_CLASSIFICATION_INTERNAL, "DBW_CLASSIFICATION_INTERNAL", "internal" },
  { DBW_CLASSIFICATION_CONFIDENTIAL, "DBW_CLASSIFICATION_CONFIDENTIAL", "confidential" },
  { DBW_CLASSIFICATION_RESTRICTED, "DBW_CLASSIFICATION_RESTRICTED", "restricted" })

DEFINE_ENUM_TYPE (dbw_training_sheet_status_get_type, "DbwTrainingSheetStatus",
  { DBW_TRAINING_SHEET_STATUS_GENERATING, "DBW_TRAINING_SHEET_STATUS_GENERATING", "generating" },
  { DBW_TRAINING_SHEET_STATUS_REVIEW, "DBW_TRAINING_SHEET_STATUS_REVIEW", "review" },
  { DBW_TRAINING_SHEET_STATUS_APPROVED, "DBW_TRAINING_SHEET_STATUS_APPROVED", "approved" },
  { DBW_TRAINING_SHEET_STATUS_TRAINED, "DBW_TRAINING_SHEET_STATUS_TRAINED", "trained" })

DEFINE_ENUM_TYPE (dbw_labeling_mode_get_type, "DbwLabelingMode",
  { DBW_LABELING_MODE_AI_GENERATED, "DBW_LABELING_MODE_AI_GENERATED", "ai_generated" },
  { DBW_LABELING_MODE_MANUAL, "DBW_LABELING_MODE_MANUAL", "manual" },
  { DBW_LABELING_MODE_EXISTING_COLUMN, "DBW_LABELING_MODE_EXISTING_COLUMN", "existing_column" },
  { DBW_LABELING_MODE_CANONICAL, "DBW_LABELING_MODE_CANONICAL", "canonical" })

DEFINE_ENUM_TYPE (dbw_qa_status_get_type, "DbwQaStatus",
  { DBW_QA_STATUS_UNLABELED, "DBW_QA_STATUS_UNLABELED", "unlabeled" },
  { DBW_QA_STATUS_LABELED, "DBW_QA_STATUS_LABELED", "labeled" },
  { DBW_QA_STATUS_REJECTED, "DBW_QA_STATUS_REJECTED", "rejected" },
  { DBW_QA_STATUS_FLAGGED, "DBW_QA_STATUS_FLAGGED", "flagged" })

/* Enum classes of static types are never freed once referenced: keep the first reference
 * and peek afterwards, as this runs for every column of every row written. */
static GEnumClass *
enum_class (GType enum_type)
{
  GEnumClass *klass = g_type_class_peek (enum_type);

  return klass != NULL ? klass : g_type_class_ref (enum_type);
}

const char *
dbw_enum_to_nick (GType enum_type,
                  int   value)
{
  GEnumValue *ev = g_enum_get_value (enum_class (enum_type), value);

  return ev != NULL ? ev->value_nick : NULL;
}

gboolean
dbw_enum_from_nick (GType       enum_type,
                    const char *nick,
                    int        *value)
{
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;

  ev = g_enum_get_value_by_nick (enum_class (enum_type), nick);
  if (ev == NULL)
    return FALSE;

  if (value != NULL)
    *value = ev->value;

  return TRUE;
}

const char * const *
dbw_use_all (void)
{
  static const char * const uses[] = {
    DBW_USE_TRAINING, DBW_USE_VALIDATION, DBW_USE_EVALUATION,
    DBW_USE_FEW_SHOT, DBW_USE_TESTING, NULL
  };

  return uses;
}

gboolean
dbw_use_is_valid (const char *use)
{
  return use != NULL && g_strv_contains (dbw_use_all (), use);
}
