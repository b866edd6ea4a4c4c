/* dbw-canonical-label.h
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

#define DBW_TYPE_CANONICAL_LABEL (dbw_canonical_label_get_type ())

G_DECLARE_FINAL_TYPE (DbwCanonicalLabel, dbw_canonical_label, DBW, CANONICAL_LABEL, DbwRecord)

DbwCanonicalLabel *dbw_canonical_label_new (void);

const char *          dbw_canonical_label_get_sheet_id            (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_sheet_id            (DbwCanonicalLabel *self,
                                                                   const char *sheet_id);
const char *          dbw_canonical_label_get_item_ref            (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_item_ref            (DbwCanonicalLabel *self,
                                                                   const char *item_ref);
DbwLabelType          dbw_canonical_label_get_label_type          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_label_type          (DbwCanonicalLabel *self,
                                                                   DbwLabelType label_type);
const char *          dbw_canonical_label_get_label_data          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_label_data          (DbwCanonicalLabel *self,
                                                                   const char *label_data);
DbwConfidence         dbw_canonical_label_get_confidence          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_confidence          (DbwCanonicalLabel *self,
                                                                   DbwConfidence confidence);
const char *          dbw_canonical_label_get_notes               (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_notes               (DbwCanonicalLabel *self,
                                                                   const char *notes);
const char * const *  dbw_canonical_label_get_allowed_uses        (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_allowed_uses        (DbwCanonicalLabel *self,
                                                                   const char * const *allowed_uses);
const char * const *  dbw_canonical_label_get_prohibited_uses     (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_prohibited_uses     (DbwCanonicalLabel *self,
                                                                   const char * const *prohibited_uses);
const char *          dbw_canonical_label_get_usage_reason        (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_usage_reason        (DbwCanonicalLabel *self,
                                                                   const char *usage_reason);
DbwDataClassification dbw_canonical_label_get_data_classification (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_data_classification (DbwCanonicalLabel *self,
                                                                   DbwDataClassification data_classification);
const char *          dbw_canonical_label_get_labeled_by          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_labeled_by          (DbwCanonicalLabel *self,
                                                                   const char *labeled_by);
const char *          dbw_canonical_label_get_labeled_at          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_labeled_at          (DbwCanonicalLabel *self,
                                                                   const char *labeled_at);
const char *          dbw_canonical_label_get_last_modified_by    (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_last_modified_by    (DbwCanonicalLabel *self,
                                                                   const char *last_modified_by);
const char *          dbw_canonical_label_get_last_modified_at    (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_last_modified_at    (DbwCanonicalLabel *self,
                                                                   const char *last_modified_at);
gint64                dbw_canonical_label_get_version             (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_version             (DbwCanonicalLabel *self,
                                                                   gint64 version);
const char *          dbw_canonical_label_get_created_at          (DbwCanonicalLabel *self);
void                  dbw_canonical_label_set_created_at          (DbwCanonicalLabel *self,
                                                                   const char *created_at);

G_END_DECLS
