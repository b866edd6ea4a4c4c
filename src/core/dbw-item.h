/* dbw-item.h
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

#define DBW_TYPE_ITEM (dbw_item_get_type ())

G_DECLARE_FINAL_TYPE (DbwItem, dbw_item, DBW, ITEM, DbwRecord)

DbwItem *dbw_item_new (void);

const char *          dbw_item_get_sheet_id            (DbwItem *self);
void                  dbw_item_set_sheet_id            (DbwItem *self,
                                                        const char *sheet_id);
const char *          dbw_item_get_item_ref            (DbwItem *self);
void                  dbw_item_set_item_ref            (DbwItem *self,
                                                        const char *item_ref);
gint64                dbw_item_get_version             (DbwItem *self);
void                  dbw_item_set_version             (DbwItem *self,
                                                        gint64 version);
const char *          dbw_item_get_derived_from        (DbwItem *self);
void                  dbw_item_set_derived_from        (DbwItem *self,
                                                        const char *derived_from);
DbwModality           dbw_item_get_modality            (DbwItem *self);
void                  dbw_item_set_modality            (DbwItem *self,
                                                        DbwModality modality);
const char *          dbw_item_get_fields              (DbwItem *self);
void                  dbw_item_set_fields              (DbwItem *self,
                                                        const char *fields);
const char *          dbw_item_get_blob_hash           (DbwItem *self);
void                  dbw_item_set_blob_hash           (DbwItem *self,
                                                        const char *blob_hash);
const char *          dbw_item_get_content_type        (DbwItem *self);
void                  dbw_item_set_content_type        (DbwItem *self,
                                                        const char *content_type);
const char *          dbw_item_get_text_content        (DbwItem *self);
void                  dbw_item_set_text_content        (DbwItem *self,
                                                        const char *text_content);
const char * const *  dbw_item_get_allowed_uses        (DbwItem *self);
void                  dbw_item_set_allowed_uses        (DbwItem *self,
                                                        const char * const *allowed_uses);
const char * const *  dbw_item_get_prohibited_uses     (DbwItem *self);
void                  dbw_item_set_prohibited_uses     (DbwItem *self,
                                                        const char * const *prohibited_uses);
const char *          dbw_item_get_usage_reason        (DbwItem *self);
void                  dbw_item_set_usage_reason        (DbwItem *self,
                                                        const char *usage_reason);
DbwDataClassification dbw_item_get_data_classification (DbwItem *self);
void                  dbw_item_set_data_classification (DbwItem *self,
                                                        DbwDataClassification data_classification);
const char * const *  dbw_item_get_tags                (DbwItem *self);
void                  dbw_item_set_tags                (DbwItem *self,
                                                        const char * const *tags);
const char *          dbw_item_get_created_at          (DbwItem *self);
void                  dbw_item_set_created_at          (DbwItem *self,
                                                        const char *created_at);

G_END_DECLS
