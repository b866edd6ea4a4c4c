/* dbw-record-private.h
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

#include <sqlite3.h>

#include "dbw-record.h"

G_BEGIN_DECLS

typedef enum
{
  DBW_SQL_SELECT,          /* rowid, id, columns… FROM table */
  DBW_SQL_SELECT_BY_ID,    /* … WHERE id = ?1 */
  DBW_SQL_SELECT_BY_ROWIDS,/* … WHERE rowid IN (a JSON array bound to ?1) */
  DBW_SQL_BROWSE_BY_ROWIDS,/* the same, large columns left out too, for a #DbwQueryModel */
  DBW_SQL_INSERT,          /* ?1 is the id, ?N+1 column N */
  DBW_SQL_UPDATE,          /* same numbering; bumps "version" of versioned classes */
  DBW_SQL_DELETE,          /* WHERE id = ?1 */
  DBW_N_SQL
} DbwSqlKind;

/* Columns the store fills in by itself, as property ids (0 when the class has none). */
typedef struct
{
  guint created_at;
  guint updated_at;
  guint created_by;
  guint last_modified_at;
  guint last_modified_by;
  guint version;
} DbwRecordSpecialColumns;

/* The SQL text is built once per class and lives as long as the process, so its address
 * can key the store's cache of prepared statements. */
const char                    *_dbw_record_class_get_sql     (DbwRecordClass *klass,
                                                              DbwSqlKind      kind);
const DbwRecordSpecialColumns *_dbw_record_class_get_special (DbwRecordClass *klass);
const char                    *_dbw_record_class_get_update_sql (DbwRecordClass *klass,
                                                                 const guint    *columns,
                                                                 guint           n_columns);
GArray                        *_dbw_record_get_changed_columns  (DbwRecord      *self,
                                                                 DbwRecord      *original);

/* Column 0 of a record's SQL statements is always "id"; the class columns follow. */
void _dbw_record_set_rowid       (DbwRecord    *self,
                                  gint64        rowid);
void _dbw_record_load_from_stmt  (DbwRecord    *self,
                                  sqlite3_stmt *stmt,
                                  int           first_column);
int  _dbw_record_bind_column     (DbwRecord    *self,
                                  guint         position,
                                  sqlite3_stmt *stmt,
                                  int           param);
void _dbw_record_bind_value      (const GValue *value,
                                  GParamSpec   *pspec,
                                  sqlite3_stmt *stmt,
                                  int           param);

/* Whether two values of @pspec's column are the same; a %NULL list is an empty one. */
gboolean _dbw_record_values_equal (GParamSpec   *pspec,
                                   const GValue *a,
                                   const GValue *b);

G_END_DECLS
