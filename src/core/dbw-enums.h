/* dbw-enums.h
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

#include <glib-object.h>

G_BEGIN_DECLS

/* The nicks of these enumerations are the strings stored in the project file and sent to
 * Databricks, so they follow the specification ("ai_generated"), not GObject's dashes. */

typedef enum
{
  DBW_MODALITY_TEXT,
  DBW_MODALITY_ROW,
  DBW_MODALITY_PDF,
  DBW_MODALITY_IMAGE,
} DbwModality;

typedef enum
{
  DBW_SOURCE_KIND_LOCAL,
  DBW_SOURCE_KIND_UNITY_CATALOG,
  DBW_SOURCE_KIND_DERIVED,
} DbwSourceKind;

typedef enum
{
  DBW_TEMPLATE_STATUS_DRAFT,
  DBW_TEMPLATE_STATUS_PUBLISHED,
  DBW_TEMPLATE_STATUS_ARCHIVED,
} DbwTemplateStatus;

typedef enum
{
  DBW_LABEL_TYPE_CLASSIFICATION,
  DBW_LABEL_TYPE_ENTITY_EXTRACTION,
  DBW_LABEL_TYPE_QA,
  DBW_LABEL_TYPE_GENERATION,
  DBW_LABEL_TYPE_SUMMARIZATION,
  DBW_LABEL_TYPE_OBJECT_DETECTION,
} DbwLabelType;

typedef enum
{
  DBW_CONFIDENCE_HIGH,
  DBW_CONFIDENCE_MEDIUM,
  DBW_CONFIDENCE_LOW,
} DbwConfidence;

typedef enum
{
  DBW_CLASSIFICATION_PUBLIC,
  DBW_CLASSIFICATION_INTERNAL,
  DBW_CLASSIFICATION_CONFIDENTIAL,
  DBW_CLASSIFICATION_RESTRICTED,
} DbwDataClassification;

typedef enum
{
  DBW_TRAINING_SHEET_STATUS_GENERATING,
  DBW_TRAINING_SHEET_STATUS_REVIEW,
  DBW_TRAINING_SHEET_STATUS_APPROVED,
  DBW_TRAINING_SHEET_STATUS_TRAINED,
} DbwTrainingSheetStatus;

typedef enum
{
  DBW_LABELING_MODE_AI_GENERATED,
  DBW_LABELING_MODE_MANUAL,
  DBW_LABELING_MODE_EXISTING_COLUMN,
  DBW_LABELING_MODE_CANONICAL,
} DbwLabelingMode;

typedef enum
{
  DBW_QA_STATUS_UNLABELED,
  DBW_QA_STATUS_LABELED,
  DBW_QA_STATUS_REJECTED,
  DBW_QA_STATUS_FLAGGED,
} DbwQaStatus;

/* Usage types of the governance gate (allowed_uses / prohibited_uses). */
#define DBW_USE_TRAINING   "training"
#define DBW_USE_VALIDATION "validation"
#define DBW_USE_EVALUATION "evaluation"
#define DBW_USE_FEW_SHOT   "few_shot"
#define DBW_USE_TESTING    "testing"

#define DBW_TYPE_MODALITY               (dbw_modality_get_type ())
#define DBW_TYPE_SOURCE_KIND            (dbw_source_kind_get_type ())
#define DBW_TYPE_TEMPLATE_STATUS        (dbw_template_status_get_type ())
#define DBW_TYPE_LABEL_TYPE             (dbw_label_type_get_type ())
#define DBW_TYPE_CONFIDENCE             (dbw_confidence_get_type ())
#define DBW_TYPE_DATA_CLASSIFICATION    (dbw_data_classification_get_type ())
#define DBW_TYPE_TRAINING_SHEET_STATUS  (dbw_training_sheet_status_get_type ())
#define DBW_TYPE_LABELING_MODE          (dbw_labeling_mode_get_type ())
#define DBW_TYPE_QA_STATUS              (dbw_qa_status_get_type ())

GType dbw_modality_get_type              (void) G_GNUC_CONST;
GType dbw_source_kind_get_type           (void) G_GNUC_CONST;
GType dbw_template_status_get_type       (void) G_GNUC_CONST;
GType dbw_label_type_get_type            (void) G_GNUC_CONST;
GType dbw_confidence_get_type            (void) G_GNUC_CONST;
GType dbw_data_classification_get_type   (void) G_GNUC_CONST;
GType dbw_training_sheet_status_get_type (void) G_GNUC_CONST;
GType dbw_labeling_mode_get_type         (void) G_GNUC_CONST;
GType dbw_qa_status_get_type             (void) G_GNUC_CONST;

const char *dbw_enum_to_nick          (GType        enum_type,
                                       int          value);
gboolean    dbw_enum_from_nick        (GType        enum_type,
                                       const char  *nick,
                                       int         *value);
gboolean    dbw_use_is_valid          (const char  *use);
const char * const *dbw_use_all       (void);

G_END_DECLS
