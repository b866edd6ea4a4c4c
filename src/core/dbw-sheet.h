/* dbw-sheet.h
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

#define DBW_TYPE_SHEET (dbw_sheet_get_type ())

G_DECLARE_FINAL_TYPE (DbwSheet, dbw_sheet, DBW, SHEET, DbwRecord)

DbwSheet *dbw_sheet_new (void);

const char *         dbw_sheet_get_name              (DbwSheet *self);
void                 dbw_sheet_set_name              (DbwSheet *self,
                                                      const char *name);
const char *         dbw_sheet_get_description       (DbwSheet *self);
void                 dbw_sheet_set_description       (DbwSheet *self,
                                                      const char *description);
DbwSourceKind        dbw_sheet_get_source_kind       (DbwSheet *self);
void                 dbw_sheet_set_source_kind       (DbwSheet *self,
                                                      DbwSourceKind source_kind);
const char *         dbw_sheet_get_primary_table     (DbwSheet *self);
void                 dbw_sheet_set_primary_table     (DbwSheet *self,
                                                      const char *primary_table);
const char *         dbw_sheet_get_secondary_sources (DbwSheet *self);
void                 dbw_sheet_set_secondary_sources (DbwSheet *self,
                                                      const char *secondary_sources);
const char * const * dbw_sheet_get_join_keys         (DbwSheet *self);
void                 dbw_sheet_set_join_keys         (DbwSheet *self,
                                                      const char * const *join_keys);
const char *         dbw_sheet_get_filter_condition  (DbwSheet *self);
void                 dbw_sheet_set_filter_condition  (DbwSheet *self,
                                                      const char *filter_condition);
gint64               dbw_sheet_get_sample_size       (DbwSheet *self);
void                 dbw_sheet_set_sample_size       (DbwSheet *self,
                                                      gint64 sample_size);
const char *         dbw_sheet_get_source_path       (DbwSheet *self);
void                 dbw_sheet_set_source_path       (DbwSheet *self,
                                                      const char *source_path);
const char * const * dbw_sheet_get_parents           (DbwSheet *self);
void                 dbw_sheet_set_parents           (DbwSheet *self,
                                                      const char * const *parents);
const char *         dbw_sheet_get_derivation        (DbwSheet *self);
void                 dbw_sheet_set_derivation        (DbwSheet *self,
                                                      const char *derivation);
const char * const * dbw_sheet_get_tags              (DbwSheet *self);
void                 dbw_sheet_set_tags              (DbwSheet *self,
                                                      const char * const *tags);
const char *         dbw_sheet_get_created_by        (DbwSheet *self);
void                 dbw_sheet_set_created_by        (DbwSheet *self,
                                                      const char *created_by);
const char *         dbw_sheet_get_created_at        (DbwSheet *self);
void                 dbw_sheet_set_created_at        (DbwSheet *self,
                                                      const char *created_at);
const char *         dbw_sheet_get_updated_at        (DbwSheet *self);
void                 dbw_sheet_set_updated_at        (DbwSheet *self,
                                                      const char *updated_at);
const char *         dbw_sheet_get_deleted_at        (DbwSheet *self);
void                 dbw_sheet_set_deleted_at        (DbwSheet *self,
                                                      const char *deleted_at);

G_END_DECLS
