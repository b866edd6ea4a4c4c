/* dbw-qa-pair.h
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

#define DBW_TYPE_QA_PAIR (dbw_qa_pair_get_type ())

G_DECLARE_FINAL_TYPE (DbwQaPair, dbw_qa_pair, DBW, QA_PAIR, DbwRecord)

DbwQaPair *dbw_qa_pair_new (void);

const char *          dbw_qa_pair_get_training_sheet_id   (DbwQaPair *self);
void                  dbw_qa_pair_set_training_sheet_id   (DbwQaPair *self,
                                                           const char *training_sheet_id);
const char *          dbw_qa_pair_get_item_ref            (DbwQaPair *self);
void                  dbw_qa_pair_set_item_ref            (DbwQaPair *self,
                                                           const char *item_ref);
const char *          dbw_qa_pair_get_messages            (DbwQaPair *self);
void                  dbw_qa_pair_set_messages            (DbwQaPair *self,
                                                           const char *messages);
const char *          dbw_qa_pair_get_canonical_label_id  (DbwQaPair *self);
void                  dbw_qa_pair_set_canonical_label_id  (DbwQaPair *self,
                                                           const char *canonical_label_id);
DbwQaStatus           dbw_qa_pair_get_status              (DbwQaPair *self);
void                  dbw_qa_pair_set_status              (DbwQaPair *self,
                                                           DbwQaStatus status);
DbwLabelingMode       dbw_qa_pair_get_labeling_mode       (DbwQaPair *self);
void                  dbw_qa_pair_set_labeling_mode       (DbwQaPair *self,
                                                           DbwLabelingMode labeling_mode);
const char * const *  dbw_qa_pair_get_allowed_uses        (DbwQaPair *self);
void                  dbw_qa_pair_set_allowed_uses        (DbwQaPair *self,
                                                           const char * const *allowed_uses);
const char * const *  dbw_qa_pair_get_prohibited_uses     (DbwQaPair *self);
void                  dbw_qa_pair_set_prohibited_uses     (DbwQaPair *self,
                                                           const char * const *prohibited_uses);
const char *          dbw_qa_pair_get_usage_reason        (DbwQaPair *self);
void                  dbw_qa_pair_set_usage_reason        (DbwQaPair *self,
                                                           const char *usage_reason);
DbwDataClassification dbw_qa_pair_get_data_classification (DbwQaPair *self);
void                  dbw_qa_pair_set_data_classification (DbwQaPair *self,
                                                           DbwDataClassification data_classification);
double                dbw_qa_pair_get_ai_confidence       (DbwQaPair *self);
void                  dbw_qa_pair_set_ai_confidence       (DbwQaPair *self,
                                                           double ai_confidence);
double                dbw_qa_pair_get_quality_score       (DbwQaPair *self);
void                  dbw_qa_pair_set_quality_score       (DbwQaPair *self,
                                                           double quality_score);
const char *          dbw_qa_pair_get_reviewed_by         (DbwQaPair *self);
void                  dbw_qa_pair_set_reviewed_by         (DbwQaPair *self,
                                                           const char *reviewed_by);
const char *          dbw_qa_pair_get_reviewed_at         (DbwQaPair *self);
void                  dbw_qa_pair_set_reviewed_at         (DbwQaPair *self,
                                                           const char *reviewed_at);
const char *          dbw_qa_pair_get_review_notes        (DbwQaPair *self);
void                  dbw_qa_pair_set_review_notes        (DbwQaPair *self,
                                                           const char *review_notes);
const char *          dbw_qa_pair_get_created_at          (DbwQaPair *self);
void                  dbw_qa_pair_set_created_at          (DbwQaPair *self,
                                                           const char *created_at);
const char *          dbw_qa_pair_get_updated_at          (DbwQaPair *self);
void                  dbw_qa_pair_set_updated_at          (DbwQaPair *self,
                                                           const char *updated_at);

G_END_DECLS
