/* dbw-sql-result.h
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

#define DBW_TYPE_SQL_RESULT (dbw_sql_result_get_type ())

G_DECLARE_FINAL_TYPE (DbwSqlResult, dbw_sql_result, DBW, SQL_RESULT, GObject)

const char *dbw_sql_result_get_statement_id (DbwSqlResult *self);
guint       dbw_sql_result_get_n_columns    (DbwSqlResult *self);
const char *dbw_sql_result_get_column_name  (DbwSqlResult *self,
                                             guint         column);
const char *dbw_sql_result_get_column_type  (DbwSqlResult *self,
                                             guint         column);
guint       dbw_sql_result_get_n_rows       (DbwSqlResult *self);
const char *dbw_sql_result_get_value        (DbwSqlResult *self,
                                             guint         row,
                                             guint         column);

gboolean    dbw_sql_result_get_truncated    (DbwSqlResult *self);

G_END_DECLS
